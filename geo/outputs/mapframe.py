"""Where a map puts the Earth: an azimuthal equidistant plane centred on the launch.

Every offline map (interactive and static) is drawn in an azimuthal
equidistant projection on the WGS84 ellipsoid (PROJ ``aeqd``, which solves
geodesics with GeographicLib) centred on the launch: the distance and the
azimuth from the centre to every point are exact on the map. A cap around
a pole is a cap, a zone across the antimeridian is one piece, and a zone of
19,000 km is a disk with the whole globe but the antipode's neighbourhood
in it. Web Mercator remains for maps with online tiles only.

A lon/lat geometry (zones are cut at the antimeridian and closed along the
poles, :mod:`geo.geodesy.lonlat`) becomes plane geometry in three steps:

1. **clip** it to the cap of radius :attr:`Frame.clip_m` around the centre
   (built by :mod:`geo.analysis.zones`, so exact within its tolerance): the
   projection is continuous there; only the antipode, left out, is singular;
2. **densify**: each straight lon/lat edge is split until the projected
   midpoint is within ``eps`` metres of the midpoint of the projected
   endpoints, so the straight lines a renderer draws between projected
   vertices follow the lon/lat edge (plane distances in this projection are
   never shorter than ground distances, so the bound holds on the ground);
3. **assemble**: each ring becomes the bounded region it encloses in the
   plane and the pieces combine by symmetric difference. On the sphere a
   ring has two sides; in the plane the bounded one is the side without the
   antipode, so crossing any ring toggles both membership and the count of
   enclosing rings, and the parity rule gives the region whether or not it
   surrounded the antipode. Pieces cut at the antimeridian share their
   seam vertices and merge into one.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import shapely
import shapely.errors
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchSource
from geo.analysis.zones import reach_zone
from geo.geodesy.ellipsoid import HALF_MERIDIAN_M, WGS84
from geo.outputs.mapcontent import MapContent

__all__ = [
    "GLOBE_CLIP_M",
    "Frame",
    "aeqd_frame",
    "content_centre",
    "content_points",
    "content_reach_m",
    "frame_for",
    "launch_centre",
    "mercator_frame",
    "nice_step",
    "view_bounds",
]

FloatArray = NDArray[np.float64]

GLOBE_CLIP_M: Final = 19_600_000.0
"""Largest radius a frame draws: the globe less a cap of about 400 km around the antipode."""
_CLIP_TOLERANCE_M: Final = 500.0
_MAX_SPLITS: Final = 24


@dataclass(frozen=True)
class Frame:
    """A map's plane: ``kind`` is ``"aeqd"`` (metres from the centre) or ``"mercator"`` (lon/lat passed through).

    Attributes
    ----------
    lon0, lat0 : float
        The centre (degrees): the launch point, or the centre of the launch.
    clip_m : float
        Radius of the drawn cap around the centre, in metres (aeqd).
    centre_label : str
        What the centre is, for legends ("Krichev", "the centre of Belarus").
    """

    kind: str
    lon0: float = 0.0
    lat0: float = 0.0
    clip_m: float = GLOBE_CLIP_M
    centre_label: str = ""

    @property
    def planar(self) -> bool:
        """Whether coordinates are plane metres (aeqd) rather than lon/lat."""
        return self.kind == "aeqd"

    @property
    def transformer(self) -> Transformer:
        """Lon/lat degrees (``always_xy``) to plane metres (aeqd only); its inverse goes back."""
        return _forward(self.lon0, self.lat0)

    def project(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Return frame coordinates of lon/lat points (arrays)."""
        if not self.planar:
            return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        x, y = _forward(self.lon0, self.lat0).transform(lon, lat)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def cap(self) -> BaseGeometry:
        """Return the drawn cap as a lon/lat polygon (exact within 500 m; the whole world for Mercator)."""
        return _cap(self.lon0, self.lat0, self.clip_m) if self.planar else shapely.box(-180, -85.06, 180, 85.06)

    def polygons(self, geometry: BaseGeometry, eps_m: float) -> BaseGeometry:
        """Return a lon/lat (Multi)Polygon in frame coordinates, clipped to the cap (see the module docstring)."""
        return self.many_polygons([geometry], eps_m)[0]

    def many_polygons(self, geometries: Sequence[BaseGeometry], eps_m: float) -> list[BaseGeometry]:
        """Return :meth:`polygons` of each geometry (their vertices projected in one batch)."""
        if not self.planar:
            return list(geometries)
        geoms = np.array([g if g.is_valid else shapely.make_valid(g) for g in geometries], dtype=object)
        cap = self.cap()
        shapely.prepare(cap)
        inside = shapely.contains(cap, geoms)
        geoms[~inside] = shapely.intersection(geoms[~inside], cap)
        rings: list[FloatArray] = []
        layout: list[list[tuple[int, bool]]] = []  # per geometry and polygon part: rings, whether on a seam
        for g in geoms:
            counts = []
            for polygon in shapely.get_parts(g):
                if isinstance(polygon, shapely.Polygon) and not polygon.is_empty:
                    xy = [shapely.get_coordinates(r) for r in (polygon.exterior, *polygon.interiors)]
                    seam = any(bool(((np.abs(c[:, 0]) == 180.0) | (np.abs(c[:, 1]) == 90.0)).any()) for c in xy)
                    counts.append((len(xy), seam))
                    rings += xy
            layout.append(counts)
        images = iter(self._curves(rings, eps_m))
        out = []
        for g, counts in zip(geoms, layout, strict=True):
            drawn = [(_assemble([next(images) for _ in range(n)], eps_m, seam), seam) for n, seam in counts]
            drawn = [(p, seam) for p, seam in drawn if not p.is_empty]
            parts = [p for p, _ in drawn]
            seam = bool(parts) and bool((np.abs(shapely.get_coordinates(g)[:, 0]) == 180.0).any())
            if not parts:
                out.append(shapely.Polygon())
            elif len(parts) == 1:
                out.append(parts[0])
            elif seam:
                # Pieces cut at the antimeridian or a pole join again in the plane; the other parts are
                # disjoint already (Russia: a few of its 213 parts to join, not all).
                grid = min(0.01, eps_m / 100)
                snapped = np.array([shapely.set_precision(p, grid) for p in parts], dtype=object)
                out.append(_join_cut(snapped, np.array([cut for _, cut in drawn])))
            else:
                out.append(shapely.MultiPolygon([q for p in parts for q in shapely.get_parts(p)]))
        return out

    def lines(self, geometry: BaseGeometry, eps_m: float) -> BaseGeometry:
        """Return lon/lat lines in frame coordinates, clipped to the cap."""
        if geometry.is_empty or not self.planar:
            return geometry
        clipped = shapely.intersection(geometry, self.cap())
        if clipped.is_empty:
            return shapely.MultiLineString()
        merged = shapely.get_parts(shapely.line_merge(_lineal(clipped)))
        return _multiline(self._curves([shapely.get_coordinates(line) for line in merged], eps_m))

    def graticule(self, degrees: float, radius_m: float, eps_m: float) -> BaseGeometry:
        """Return the meridians and parallels every ``degrees`` within ``radius_m`` of the centre, as plane lines.

        Each line is sampled every degree, only the runs of samples within
        ``radius_m`` (and their neighbours outside, where a line crosses the
        circle) are projected further, chords split until they follow the
        curve within ``eps_m`` and the result clipped to the disk: the same
        lines as :meth:`lines` of the lon/lat graticule, without clipping the
        whole world's lines on the sphere first (azimuthal frame only).
        """
        lats = np.linspace(-89.9, 89.9, 181)
        meridians = np.arange(-180.0, 180.0, degrees)
        parallels = np.arange(-90.0 + degrees, 90.0, degrees)
        lons = np.linspace(-180.0, 180.0, 361)
        lon = np.concatenate([np.repeat(meridians, lats.size), np.tile(lons, parallels.size)])
        lat = np.concatenate([np.tile(lats, meridians.size), np.repeat(parallels, lons.size)])
        line = np.concatenate([np.repeat(np.arange(meridians.size), lats.size),
                               meridians.size + np.repeat(np.arange(parallels.size), lons.size)])
        x, y = self.project(lon, lat)
        near = np.hypot(x, y) <= radius_m
        same_line = line[1:] == line[:-1]
        keep = near.copy()
        keep[1:] |= near[:-1] & same_line
        keep[:-1] |= near[1:] & same_line
        kept = np.flatnonzero(keep)
        if kept.size == 0:
            return shapely.MultiLineString()
        starts = np.flatnonzero(np.r_[True, (np.diff(kept) != 1) | (line[kept[1:]] != line[kept[:-1]])])
        runs = [np.c_[lon[r], lat[r]] for r in np.split(kept, starts[1:]) if r.size >= 2]
        return shapely.intersection(_multiline(self._curves(runs, eps_m)), self.disk(radius_m))

    def disk(self, radius_m: float, n: int = 720) -> BaseGeometry:
        """Return the points within ``radius_m`` of the centre as a plane polygon (exact at every vertex; aeqd)."""
        t = np.linspace(0.0, 2 * np.pi, n + 1)
        return shapely.Polygon(np.c_[radius_m * np.sin(t), radius_m * np.cos(t)])

    def _curves(self, curves: Sequence[FloatArray], eps_m: float) -> list[FloatArray]:
        """Project lon/lat polylines, splitting straight lon/lat edges until the plane chords follow them."""
        if not curves:
            return []
        lonlat = np.concatenate(curves)
        ids = np.repeat(np.arange(len(curves)), [len(c) for c in curves])
        lon, lat = lonlat[:, 0], lonlat[:, 1]
        x, y = self.project(lon, lat)
        for _ in range(_MAX_SPLITS):
            edge = np.flatnonzero(ids[:-1] == ids[1:])
            mlon, mlat = (lon[edge] + lon[edge + 1]) / 2, (lat[edge] + lat[edge + 1]) / 2
            mx, my = self.project(mlon, mlat)
            off = np.hypot(mx - (x[edge] + x[edge + 1]) / 2, my - (y[edge] + y[edge + 1]) / 2)
            split = off > eps_m
            if not split.any():
                break
            at = edge[split] + 1
            lon, lat = np.insert(lon, at, mlon[split]), np.insert(lat, at, mlat[split])
            x, y = np.insert(x, at, mx[split]), np.insert(y, at, my[split])
            ids = np.insert(ids, at, ids[at])
        bounds = np.searchsorted(ids, np.arange(1, len(curves)))
        return np.split(np.c_[x, y], bounds)


def launch_centre(sources: Sequence[LaunchSource]) -> tuple[float, float]:
    """Return the mean direction of the sources' centres (lon, lat): a site, or a territory's area-weighted centroid.

    Robust across the antimeridian (territory parts do not cross it, RFC 7946).
    """
    vectors = []
    for source in sources:
        if isinstance(source, LaunchPoint):
            vectors.append(_unit(source.lon, source.lat))
            continue
        if isinstance(source.geometry, shapely.LineString | shapely.MultiLineString):  # a route: its vertices
            xy = shapely.get_coordinates(source.geometry)
            total = np.sum([_unit(x, y) for x, y in xy], axis=0)
            vectors.append(total / np.linalg.norm(total) if np.linalg.norm(total) > 1e-9 else _unit(*xy[0]))
            continue
        polys = list(shapely.get_parts(source.geometry))
        weights = np.array([p.area for p in polys])
        centres = np.array([_unit(p.centroid.x, p.centroid.y) for p in polys])
        total = centres.T @ weights if weights.sum() > 0 else centres.sum(axis=0)
        vectors.append(total / np.linalg.norm(total))
    mean = np.sum(vectors, axis=0)
    if np.linalg.norm(mean) < 1e-9:  # sources on opposite sides of the Earth: any of them will do
        mean = vectors[0]
    x, y, z = mean / np.linalg.norm(mean)
    return float(np.degrees(np.arctan2(y, x))), float(np.degrees(np.arctan2(z, np.hypot(x, y))))


def _unit(lon: float, lat: float) -> FloatArray:
    lam, phi = np.radians(lon), np.radians(lat)
    return np.array([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def content_centre(content: MapContent) -> tuple[float, float, str]:
    """Return the centre of a claim map, (lon, lat, what it is): the first zone set's launch."""
    sources: Sequence[LaunchSource] = content.zone_sets[0].scenario.sources if content.zone_sets else content.launches
    if not sources:
        west, south, east, north = content.view
        return (west + east) / 2.0, (south + north) / 2.0, "the map centre"
    lon, lat = launch_centre(sources)
    if len(sources) == 1 and isinstance(sources[0], LaunchPoint):
        return lon, lat, sources[0].label
    names = " and ".join(s.label for s in sources[:2]) + (" and others" if len(sources) > 2 else "")
    where = f"{abs(lat):.2f}{'N' if lat >= 0 else 'S'} {abs(lon):.2f}{'E' if lon >= 0 else 'W'}"
    return lon, lat, f"the centre of {names} ({where})"


def content_points(content: MapContent, *, everything: bool) -> tuple[FloatArray, FloatArray]:
    """Lon/lat of what a map must show: main zones' outer limits, main launches, claim places (and survey places)."""
    lon_parts: list[FloatArray] = []
    lat_parts: list[FloatArray] = []
    for zone_set in content.zone_sets:
        if zone_set.main and not zone_set.outer_limit.is_empty:
            xy = shapely.get_coordinates(zone_set.outer_limit)
            lon_parts.append(xy[:, 0])
            lat_parts.append(xy[:, 1])
    for source in content.main_launches:
        xy = (shapely.get_coordinates(source.geometry) if isinstance(source, LaunchRegion)
              else np.array([[source.lon, source.lat]]))
        lon_parts.append(xy[:, 0])
        lat_parts.append(xy[:, 1])
    marks = content.marks if everything else content.claim_marks
    lon_parts.append(np.array([m.lon for m in marks], dtype=float))
    lat_parts.append(np.array([m.lat for m in marks], dtype=float))
    return np.concatenate(lon_parts), np.concatenate(lat_parts)


def content_reach_m(content: MapContent, lon0: float, lat0: float, *, everything: bool = True) -> float:
    """Return the distance in metres from (lon0, lat0) to the farthest zone limit, launch or place of a map.

    ``everything`` False leaves out the places only surveys name (see :func:`content_points`).
    """
    lon, lat = content_points(content, everything=everything)
    if not lon.size:
        return 0.0
    _, _, dist = WGS84.inv(np.full(lon.size, lon0), np.full(lat.size, lat0), lon, lat)
    return float(np.max(dist))


def frame_for(content: MapContent) -> Frame:
    """Return the plane of a claim map: centred on the main launch, drawing every place, zone and launch of it."""
    lon0, lat0, label = content_centre(content)
    return aeqd_frame(lon0, lat0, reach_m=content_reach_m(content, lon0, lat0), centre_label=label)


def view_bounds(frame: Frame, content: MapContent) -> tuple[float, float, float, float]:
    """Frame bounds (xmin, ymin, xmax, ymax) of the first view: the main zones, the launches, the claim places.

    In Mercator the view is the content's lon/lat view.
    """
    if not frame.planar:
        return content.view
    lon, lat = content_points(content, everything=False)
    x, y = frame.project(lon, lat)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return (-1000.0, -1000.0, 1000.0, 1000.0)
    x, y = x[ok], y[ok]
    pad = 0.04 * max(float(np.ptp(x)), float(np.ptp(y)), 500.0)
    return (float(x.min()) - pad, float(y.min()) - pad, float(x.max()) + pad, float(y.max()) + pad)


def aeqd_frame(lon0: float, lat0: float, *, reach_m: float = 0.0, centre_label: str = "") -> Frame:
    """Return the plane centred on (lon0, lat0) that draws everything within ``reach_m`` and room around it.

    The cap reaches twice as far as what the map must show (at least 3,000
    km, so neighbours are drawn) and at most :data:`GLOBE_CLIP_M`.
    """
    clip = min(GLOBE_CLIP_M, max(3_000_000.0, 2.0 * reach_m, reach_m + 2_000_000.0))
    if clip > HALF_MERIDIAN_M:  # past the equator of the frame the rest of the globe is cheap: draw it all
        clip = GLOBE_CLIP_M
    return Frame("aeqd", float(lon0), float(lat0), clip, centre_label)


def mercator_frame() -> Frame:
    """Return the Web Mercator frame (lon/lat coordinates, for maps with online tiles)."""
    return Frame("mercator")


@functools.cache
def _forward(lon0: float, lat0: float) -> Transformer:
    crs = f"+proj=aeqd +lat_0={lat0!r} +lon_0={lon0!r} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


@functools.cache
def _cap(lon0: float, lat0: float, radius_m: float) -> BaseGeometry:
    return reach_zone([LaunchPoint("centre", lon0, lat0)], radius_m / 1000.0, tolerance_m=_CLIP_TOLERANCE_M)


def _assemble(rings: Sequence[FloatArray], eps_m: float, seam: bool) -> BaseGeometry:
    """Return the plane region of one polygon from its projected rings (shell first): the parity rule.

    ``seam``: the polygon has edges on the antimeridian or a pole, which project onto each other.
    """
    rings = [r for r in rings if len(r) >= 4]
    if not rings:
        return shapely.Polygon()
    grid = min(0.01, eps_m / 100)
    shell = shapely.Polygon(rings[0])
    holes = [shapely.Polygon(r) for r in rings[1:]]
    if all(shell.contains(h) for h in holes):  # the usual case: nothing surrounds the antipode
        # A seam of the lon/lat cut inside one ring (a cap around a pole, a notch at the antimeridian) is a
        # spike or slit of zero width here; snapping to the grid removes it.
        polygon = shapely.Polygon(rings[0], rings[1:])
        if seam or not polygon.is_valid:
            return _only_polygons(_on_grid(polygon, grid))
        return polygon
    pieces = [_only_polygons(_on_grid(p, grid)) for p in (shell, *holes)]
    return _only_polygons(functools.reduce(shapely.symmetric_difference, pieces))


def _on_grid(polygon: BaseGeometry, grid: float) -> BaseGeometry:
    """Snap a projected polygon to the grid, made valid first where GEOS cannot snap it as it is.

    A coastline folded at the projection's edge can raise a side location
    conflict; the map only draws it, no verdict depends on it.
    """
    try:
        return shapely.set_precision(polygon, grid)
    except shapely.errors.GEOSException:
        return shapely.set_precision(shapely.make_valid(polygon), grid)


def _join_cut(parts: NDArray[np.object_], cut: NDArray[np.bool_]) -> BaseGeometry:
    """Join the drawn parts that were cut at a seam, with every part they touch; keep the rest as they are."""
    tree = shapely.STRtree(parts)
    group = np.flatnonzero(cut)
    frontier = group
    while frontier.size:
        touching = np.unique(tree.query(parts[frontier], predicate="intersects")[1])
        frontier = np.setdiff1d(touching, group)
        group = np.union1d(group, frontier)
    rest = np.setdiff1d(np.arange(len(parts)), group)
    joined = _only_polygons(shapely.union_all(parts[group]))
    whole = shapely.MultiPolygon([q for p in [joined, *parts[rest]] for q in shapely.get_parts(p) if not q.is_empty])
    return whole if whole.is_valid else _only_polygons(shapely.union_all(parts))


def _only_polygons(geometry: BaseGeometry) -> BaseGeometry:
    """Return the polygons of a set operation's result (dropping the lines and points a seam may leave)."""
    kept = [p for p in shapely.get_parts(geometry) if isinstance(p, shapely.Polygon) and not p.is_empty]
    if not kept:
        return shapely.Polygon()
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


def _multiline(curves: Sequence[FloatArray]) -> BaseGeometry:
    """Return coordinate arrays as one MultiLineString, built in one call (those of fewer than 2 points left out)."""
    curves = [c for c in curves if len(c) >= 2]
    if not curves:
        return shapely.MultiLineString()
    ids = np.repeat(np.arange(len(curves)), [len(c) for c in curves])
    return shapely.multilinestrings(shapely.linestrings(np.concatenate(curves), indices=ids))


def _lineal(geometry: BaseGeometry) -> BaseGeometry:
    """Return the lines of a set operation's result as one MultiLineString (dropping its points)."""
    parts = shapely.get_parts(shapely.get_parts(geometry))  # twice: a collection may hold MultiLineStrings
    lines = parts[(shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)]
    return shapely.multilinestrings(lines) if lines.size else shapely.MultiLineString()


def nice_step(span: float) -> float:
    """Return a round step (1, 2 or 5 times a power of ten) giving about five steps over ``span``."""
    raw = span / 5.0
    power = 10 ** math.floor(math.log10(raw))
    return next(power * k for k in (1, 2, 5, 10) if power * k >= raw)
