"""Turn closed curves on the ellipsoid into valid lon/lat polygons (RFC 7946).

A closed curve on the globe splits it in two. Drawn as a plain lon/lat ring it
goes wrong in two ways: where it crosses the antimeridian its longitudes jump
by 360 degrees (a streak across the map), and when it circles a pole neither
side of the ring is the region (the pole cap is missing). Here a curve is
given as a densely sampled closed sequence of (lon, lat) vertices, together
with one point known to lie on the side that is *not* wanted, and
:func:`side_polygon` returns the wanted side as a planar (Multi)Polygon in
[-180, 180] x [-90, 90]:

1. longitudes are unwrapped, so consecutive vertices never differ by more
   than 180 degrees; the curve then either closes (it does not circle a
   pole) or ends 360 degrees east or west of where it started (it circles
   one);
2. a curve that circles a pole is closed along the map's top edge (lat 90)
   or bottom edge (lat -90), giving the two candidate regions;
3. each candidate is folded into [-180, 180] by cutting it at the
   antimeridian and shifting the pieces by multiples of 360 degrees;
4. the candidate that does not hold the excluded point is the answer (for a
   curve that does not circle a pole, the candidates are the bounded region
   and its complement in the map rectangle).

Edges stay straight lines in lon/lat, so a vertex-dense ring stays within
its stated tolerance after the cut (the cut points lie on the straight edge
that crosses +-180). Exterior rings come out counter-clockwise, holes
clockwise, as RFC 7946 asks. The ``antimeridian`` package on PyPI solves the
same problem from a ring alone and infers the pole from the ring's
orientation; georange knows which side it wants from the exact distances,
so it decides with a point instead.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidGeometryError
from geo.geodesy.densify import densify
from geo.geodesy.ellipsoid import WGS84

__all__ = ["WORLD", "drawn_boundary", "fold", "orient", "route_lines", "side_polygon", "unwrap", "wrap"]

FloatArray = NDArray[np.float64]

WORLD = shapely.box(-180.0, -90.0, 180.0, 90.0)
"""The map rectangle: the whole Earth as a lon/lat polygon."""


def wrap(lon: FloatArray) -> FloatArray:
    """Return longitudes (or longitude steps) reduced to [-180, 180)."""
    return (np.asarray(lon) + 180.0) % 360.0 - 180.0


def unwrap(lon: FloatArray) -> FloatArray:
    """Return longitudes made continuous: no step between neighbours exceeds 180 degrees."""
    step = wrap(np.diff(lon))
    return np.concatenate([lon[:1], lon[0] + np.cumsum(step)])


def fold(polygon: BaseGeometry) -> BaseGeometry:
    """Cut a polygon given in unwrapped longitudes at +-180 and shift the pieces into the map."""
    if polygon.is_empty:
        return polygon
    xmin, _, xmax, _ = polygon.bounds
    pieces = []
    for k in range(int(np.floor((xmin + 180.0) / 360.0)), int(np.floor((xmax + 180.0) / 360.0)) + 1):
        window = shapely.box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        part = shapely.intersection(polygon, window)
        if not part.is_empty:
            pieces.append(shapely.affinity.translate(part, xoff=-360.0 * k))
    return polygonal(shapely.union_all(pieces))


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Keep the polygonal part of a geometry (set operations may leave slivers of lines or points)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polys = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def orient(geometry: BaseGeometry) -> BaseGeometry:
    """Return the geometry with exterior rings counter-clockwise and holes clockwise (RFC 7946)."""
    return shapely.orient_polygons(geometry, exterior_cw=False)


def _start_at_antimeridian(x: FloatArray, y: FloatArray, offset: float) -> tuple[FloatArray, FloatArray]:
    """Rotate an unwrapped curve that circles a pole so that it starts and ends on a meridian 180 + 360 k.

    Closing along the map edge then adds vertical edges only at the
    antimeridian, where folding cuts anyway; closed elsewhere, the two folded
    pieces would meet along a meridian with a rounding gap between them.
    """
    px, py = x[:-1], y[:-1]  # open: the last vertex repeats the first, shifted by offset
    nx, ny = np.r_[px[1:], px[0] + offset], np.r_[py[1:], py[0]]
    k0 = np.floor((px - 180.0) / 360.0)
    k1 = np.floor((nx - 180.0) / 360.0)
    i = int(np.flatnonzero(k0 != k1)[0])
    c = 180.0 + 360.0 * max(k0[i], k1[i])
    t = (c - px[i]) / (nx[i] - px[i])
    yc = py[i] + t * (ny[i] - py[i])
    body_x = np.r_[px[i + 1:], px[: i + 1] + offset]
    body_y = np.r_[py[i + 1:], py[: i + 1]]
    return np.r_[c, body_x, c + offset], np.r_[yc, body_y, yc]


def side_polygon(lon: FloatArray, lat: FloatArray, exclude: tuple[float, float]) -> BaseGeometry:
    """Return the side of a closed curve that does not contain ``exclude`` as a lon/lat polygon.

    Parameters
    ----------
    lon, lat : ndarray
        Vertices of the closed curve in order, in degrees (the last vertex
        may repeat the first). Consecutive vertices must be close enough that
        the straight lon/lat segment between them is an acceptable drawing
        of the curve, and in particular less than 180 degrees of longitude
        apart.
    exclude : (lon, lat)
        A point of the side that is not wanted, well away from the curve.

    Returns
    -------
    shapely Polygon or MultiPolygon
        In [-180, 180] x [-90, 90], split at the antimeridian, closed along
        the map edge where it holds a pole.
    """
    x = unwrap(np.asarray(lon, dtype=float))
    y = np.asarray(lat, dtype=float)
    if x[0] != x[-1] or y[0] != y[-1]:
        x, y = np.append(x, x[0] + np.round((x[-1] - x[0]) / 360.0) * 360.0), np.append(y, y[0])
    turns = int(np.round((x[-1] - x[0]) / 360.0))
    if turns == 0:
        inner = fold(shapely.make_valid(shapely.Polygon(np.column_stack([x, y]))))
        candidates = [inner, polygonal(shapely.difference(WORLD, inner))]
    elif abs(turns) == 1:
        x, y = _start_at_antimeridian(x, y, 360.0 * turns)
        candidates = []
        for edge in (90.0, -90.0):
            ring = np.column_stack([np.r_[x, x[-1], x[0]], np.r_[y, edge, edge]])
            candidates.append(fold(shapely.make_valid(shapely.Polygon(ring))))
    else:
        raise InvalidGeometryError(f"curve winds {turns} times around a pole; expected a simple closed curve")
    point = shapely.Point(exclude)
    # The wanted side is the candidate that does not hold the excluded point.
    holds = [c.intersects(point) for c in candidates]
    if holds[0] and not holds[1]:
        return orient(candidates[1])
    if holds[1] and not holds[0]:
        return orient(candidates[0])
    # The point lies on the drawn curve itself: fall back on distance.
    return orient(candidates[0] if candidates[0].distance(point) > candidates[1].distance(point) else candidates[1])


def drawn_boundary(geometry: BaseGeometry) -> BaseGeometry:
    """Return the true boundary of a lon/lat polygon as lines, without the map-edge closures.

    Polygons from :func:`side_polygon` are cut at the antimeridian and closed
    along lat +-90 around a pole. Those edges are artefacts of the flat map,
    not part of the curve on the globe: stroked, they draw a line down the
    antimeridian and along the top of the map. Edges that run along
    lon = +-180 or lat = +-90 are dropped here; what remains is the curve,
    as lines that end at the map edge.
    """
    lines = []
    for ring in shapely.get_rings(shapely.get_parts(geometry)) if not geometry.is_empty else []:
        xy = shapely.get_coordinates(ring)
        x, y = xy[:, 0], xy[:, 1]
        on_edge = ((np.abs(x[:-1]) == 180.0) & (x[:-1] == x[1:])) | ((np.abs(y[:-1]) == 90.0) & (y[:-1] == y[1:]))
        keep = np.flatnonzero(~on_edge)
        if keep.size == 0:
            continue
        if keep.size == on_edge.size:  # a closed curve: keep it closed
            lines.append(shapely.LineString(xy))
            continue
        # Runs of consecutive kept edges; a run that wraps past the ring's end is joined.
        breaks = np.flatnonzero(np.diff(keep) > 1) + 1
        runs = [list(r) for r in np.split(keep, breaks)]
        if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == on_edge.size - 1:
            runs[0] = runs.pop() + runs[0]
        for run in runs:
            idx = np.r_[run, run[-1] + 1] % (len(xy) - 1)
            lines.append(shapely.LineString(xy[idx]))
    return shapely.MultiLineString(lines) if lines else shapely.MultiLineString()


def route_lines(geometry: BaseGeometry, tolerance_m: float) -> BaseGeometry:
    """Return a launch route as lon/lat lines to draw: geodesic legs densified, cut at the antimeridian and poles.

    A route (:class:`geo.geodesy.distance.LaunchLine`) is drawn, and tested
    for crossing areas, on these lines. Every leg is densified along its
    geodesic (:func:`geo.geodesy.densify.densify`)
    until the straight lon/lat segments stay within ``tolerance_m`` of it;
    the line is cut where a segment meets +-180 (the cut point on its
    straight segment, on both sides), and a leg between opposite meridians,
    which runs over a pole, is drawn up one meridian to the pole, along the
    map edge there (a single point of the globe, so two routes over the pole
    meet there on the map too) and down the other, so no segment streaks
    across the map. Returns a MultiLineString in [-180, 180] x [-90, 90].
    """
    runs: list[tuple[list[float], list[float]]] = []
    for line in shapely.get_parts(geometry):
        xy = shapely.get_coordinates(line)
        xs, ys = [float(xy[0, 0])], [float(xy[0, 1])]
        for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:], strict=True):
            x0 = xs[-1]  # unwrapped
            step = float(wrap(np.array(x1 - x0)))
            if abs(step) == 180.0 and abs(y0) != 90.0 and abs(y1) != 90.0:  # over a pole, along two meridians
                azi, _, _ = WGS84.inv(x0, y0, x1, y1)
                pole = 90.0 if abs(float(azi)) < 90.0 else -90.0
                xs.extend([x0, x0 + step, x0 + step])  # along the map edge at the pole: one point on the globe
                ys.extend([pole, pole, float(y1)])
                continue
            leg = densify(np.array([[x0, y0], [x0 + step, y1]]), tolerance_m=tolerance_m, closed=False)
            lx = x0 + np.concatenate([[0.0], np.cumsum(wrap(np.diff(leg[:, 0])))])
            xs.extend(lx[1:].tolist())
            ys.extend(leg[1:, 1].tolist())
        runs.append((xs, ys))
    lines = []
    for xs, ys in runs:
        x, y = np.asarray(xs), np.asarray(ys)
        # Cut where a segment crosses a meridian 180 + 360 k (its straight line's point there ends one piece
        # and starts the next).
        k = np.floor((x - 180.0) / 360.0)
        cross = np.flatnonzero(k[1:] != k[:-1])
        pieces: list[tuple[FloatArray, FloatArray]] = []
        px: list[float] = []
        py: list[float] = []
        start = 0
        for c in cross:
            seam = 180.0 + 360.0 * max(k[c], k[c + 1])
            ys_ = y[c] + (y[c + 1] - y[c]) * (seam - x[c]) / (x[c + 1] - x[c])
            pieces.append((np.r_[px, x[start:c + 1], seam], np.r_[py, y[start:c + 1], ys_]))
            px, py, start = [float(seam)], [float(ys_)], int(c) + 1
        pieces.append((np.r_[px, x[start:]], np.r_[py, y[start:]]))
        for px_, py_ in pieces:
            if len(px_) < 2:
                continue
            mid = 0.5 * (px_.min() + px_.max())  # one shift for the whole piece: it lies between two seams
            shift = float(wrap(np.array(mid))) - mid
            lines.append(shapely.LineString(np.column_stack([np.clip(px_ + shift, -180.0, 180.0), py_])))
    return shapely.MultiLineString(lines) if lines else shapely.MultiLineString()
