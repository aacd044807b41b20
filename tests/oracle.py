"""Independent brute-force reference for distances to a launch area.

Nothing here shares code with geo.geodesy.distance: the boundary is densified to at
most ``spacing_m`` along its geodesics, every dense point is measured, and
the best few are refined by a golden-section search on the true edge using
geographiclib (a separate implementation of Karney's algorithms from the one
pyproj wraps). Inside tests use a polygon densified to ``spacing_m`` too.
"""

from __future__ import annotations

import numpy as np
import shapely
from geographiclib.geodesic import Geodesic
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
GL = Geodesic.WGS84
HALF_MERIDIAN_M = GL.Inverse(90.0, 0.0, -90.0, 0.0)["s12"]


def _edges(geometry):
    polys = [geometry] if geometry.geom_type == "Polygon" else list(geometry.geoms)
    out = []
    for p in polys:
        for ring in (p.exterior, *p.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            for (x1, y1), (x2, y2) in zip(xy[:-1], xy[1:], strict=True):
                if (x1, y1) != (x2, y2):
                    out.append((x1, y1, x2, y2))
    return np.array(out)


class BruteForce:
    """Brute-force min/max geodesic distance to a (multi)polygon with geodesic edges."""

    def __init__(self, geometry, spacing_m: float = 100.0):
        self.geometry = geometry
        e = _edges(geometry)
        self.e = e
        az, _, length = GEOD.inv(e[:, 0], e[:, 1], e[:, 2], e[:, 3])
        self.az, self.length = np.asarray(az), np.asarray(length)
        n = np.maximum(1, np.ceil(self.length / spacing_m)).astype(int)
        self.edge = np.repeat(np.arange(len(e)), n + 1)
        off = np.arange(len(self.edge)) - np.repeat(np.cumsum(n + 1) - (n + 1), n + 1)
        self.t = self.length[self.edge] * off / n[self.edge]
        lon, lat, _ = GEOD.fwd(e[self.edge, 0], e[self.edge, 1], self.az[self.edge], self.t)
        self.lon, self.lat = np.asarray(lon), np.asarray(lat)
        self.step = (self.length / n)[self.edge]
        # Inside test on a polygon densified along the geodesics.
        polys = [geometry] if geometry.geom_type == "Polygon" else list(geometry.geoms)
        dense = []
        for p in polys:
            rings = []
            for ring in (p.exterior, *p.interiors):
                pts = []
                for x1, y1, x2, y2 in _edges(shapely.Polygon(ring)):
                    g = GL.InverseLine(y1, x1, y2, x2)
                    k = max(1, int(np.ceil(g.s13 / spacing_m)))
                    for i in range(k):
                        q = g.Position(g.s13 * i / k)
                        lon_q = q["lon2"]
                        if abs(abs(x1) - 180) < 1e-9 and abs(abs(x2) - 180) < 1e-9:
                            lon_q = x1
                        pts.append((lon_q, q["lat2"]))
                rings.append(pts)
            dense.append(shapely.Polygon(rings[0], rings[1:]))
        self.inside_geom = shapely.MultiPolygon(dense) if len(dense) > 1 else dense[0]
        shapely.prepare(self.inside_geom)

    def _refine(self, lon, lat, idx, farthest):
        sign = -1.0 if farthest else 1.0
        best = None
        for j in idx:
            k = self.edge[j]
            x1, y1, x2, y2 = self.e[k]
            line = GL.InverseLine(y1, x1, y2, x2)
            a = max(0.0, self.t[j] - self.step[j])
            b = min(line.s13, self.t[j] + self.step[j])

            def f(s, line=line):
                q = line.Position(s)
                return sign * GL.Inverse(lat, lon, q["lat2"], q["lon2"])["s12"]

            r = (5**0.5 - 1) / 2
            c, d = b - r * (b - a), a + r * (b - a)
            fc, fd = f(c), f(d)
            for _ in range(50):
                if fc < fd:
                    b, d, fd = d, c, fc
                    c = b - r * (b - a)
                    fc = f(c)
                else:
                    a, c, fc = c, d, fd
                    d = a + r * (b - a)
                    fd = f(d)
            v = min(fc, fd, f(a), f(b))
            best = v if best is None else min(best, v)
        return sign * best

    def distances(self, lon, lat):
        """Return (min_m, max_m) for one target."""
        _, _, d = GEOD.inv(np.full(self.lon.size, lon), np.full(self.lon.size, lat), self.lon, self.lat)
        d = np.asarray(d)
        if shapely.intersects_xy(self.inside_geom, lon, lat):
            lo = 0.0
        else:
            near = np.argsort(d)[:6]
            lo = self._refine(lon, lat, near, farthest=False)
        alon, alat = ((lon + 360.0) % 360.0) - 180.0, -lat
        if shapely.intersects_xy(self.inside_geom, alon, alat):
            hi = GL.Inverse(lat, lon, alat, alon)["s12"]
        else:
            far = np.argsort(-d)[:6]
            hi = self._refine(lon, lat, far, farthest=True)
        return lo, hi
