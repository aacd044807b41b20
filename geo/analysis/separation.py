"""How far apart two things are: exact nearest and farthest WGS84 geodesic distances (``geo.distance``).

A thing is anything the ``--from`` grammar names (:func:`geo.analysis.api.as_sources`):
a city, a named site, a coordinate, a country, a region, an exclave
(``RUS@Kaliningrad``), a file of polygons, a shapely geometry, or a list of
these (taken together). A point is itself; an area is every point of its
polygons, whose edges are geodesics between their vertices, split into its
connected parts (:attr:`geo.analysis.launch.LaunchRegion.parts`). The answer is the
smallest and the largest geodesic distance between a point of one thing
and a point of the other, with a pair of points that realises each and the
parts they lie in (``via``).

The argument, part against part
-------------------------------
- **Point and point**: the geodesic (GeographicLib through pyproj).
- **Point and area**: the exact engine, :meth:`geo.geodesy.distance.LaunchArea.extremes`.
- **Area and area, nearest.** If the two parts meet (touch or overlap) the
  distance is 0, at a point they share. Otherwise the nearest pair lies on
  the two boundaries, and **one of its points is a vertex**: were both
  inside edges, the geodesic joining them would meet both edges at right
  angles, and sliding its two ends along the edges together (a parallel
  field along it) changes its length by ``-integral of K |V|^2`` to second
  order, negative since the Gaussian curvature K of the ellipsoid is
  positive everywhere and the edges are geodesics (no boundary term): no
  such pair is a local minimum, at any distance. So the nearest distance is
  the least, over the vertices of each part, of the engine's exact nearest
  distance to the other part, with no edge-against-edge search.
- **Area and area, farthest.** If the antipode of a point of one part lies
  in the other, the answer is the half meridian, the largest distance on
  the ellipsoid. Otherwise, for the farthest pair (x, y), y is on the
  boundary of its part (the engine's module docstring: the farthest point
  of an area is a boundary point unless the antipode is covered), so the
  answer is the largest, over the boundary of one part, of the engine's
  exact farthest distance F to the other part; together with F at the
  other part's vertices this also settles the antipode case. Along an edge
  of length L between vertices where F is f1 and f2, F is 1-Lipschitz, so
  no point of the edge exceeds ``(f1 + f2 + L) / 2``; while that bound
  stays below :data:`~geo.geodesy.distance.CONVEX_M` (9,700 km) the
  distance from any fixed point is convex along the edge, so its largest
  value there is at a vertex: the vertices settle every edge whose bound is
  under 9,700 km or under the best value found. The other edges (things
  more than 9,700 km apart at their farthest) are cut in halves, F solved
  at each middle, until no piece can beat the best by more than
  :data:`FAR_TOLERANCE_M`.

Parts are screened with balls: each part lies within ``r`` of a centre
``c`` (``r`` the largest of ``(d(c, v1) + d(c, v2) + L) / 2`` over its edges,
or the half meridian when the ball would hold the centre's antipode), so
pairs, and vertices, whose bounds cannot beat the best pair found so far
are never solved (a vertex's distance to a centre is bounded by Lambert's
formula and its error bound, without solving a geodesic).

Error bound
-----------
Every distance reported is an exact geodesic distance (GeographicLib, about
15 nm) between two points of the things. The nearest distance is within
0.1 mm of the true one (the engine's refinement), except that two parts
closer than 0.1 m may be reported as meeting (0 km): they are tested for
meeting on polygons whose edges stray at most
:data:`~geo.geodesy.distance.INSIDE_TOLERANCE_M` (5 cm) from the geodesics.
The farthest distance is within 0.1 mm when it is below 9,700 km, and
within :data:`FAR_TOLERANCE_M` (1 m) above. ``tests/test_distance_command.py``
compares both with a dense-sampling oracle that shares no code with the
engine (geographiclib, boundaries sampled every few hundred metres).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.analysis.launch import LaunchPoint, LaunchRegion, as_sources
from geo.errors import InvalidRangeError
from geo.geodesy.densify import densify
from geo.geodesy.distance import CONVEX_M, INSIDE_TOLERANCE_M, LaunchArea, LaunchLine
from geo.geodesy.ellipsoid import (
    HALF_MERIDIAN_M,
    WGS84,
    auxiliary_unit_vectors,
    geodesic_distance,
    lambert_interval,
)
from geo.geodesy.lonlat import route_lines
from geo.reference.borders import borders_data, check_borders
from geo.reference.names import as_asked

__all__ = ["COLUMNS", "FAR_TOLERANCE_M", "Separation", "distance", "distances_from"]

log = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

FAR_TOLERANCE_M: Final = 1.0
"""Largest error, in metres, of a farthest distance beyond 9,700 km (the edge search stops there)."""

_MAX_ROUNDS: Final = 64  # halvings of an edge: 2^-64 of 20,000 km is far below a millimetre

COLUMNS: Final = (
    "from", "from_query", "to", "to_query", "min_km", "max_km",
    "min_from_lat", "min_from_lon", "min_to_lat", "min_to_lon", "min_via_from", "min_via_to",
    "max_from_lat", "max_from_lon", "max_to_lat", "max_to_lon", "max_via_from", "max_via_to",
    "borders", "border_src",
)
"""The fields of :meth:`Separation.record`, in order (the columns of ``georange distance``'s CSV and JSON)."""


@dataclass(frozen=True)
class Separation:
    """The nearest and farthest geodesic distance between two things, and where they are reached.

    Distances in km; points as latitude and longitude in degrees (as the
    rest of the public API writes them). ``*_via_from`` and ``*_via_to``
    name the part of a thing in several parts (a country's exclave or
    island, one place of a list) that holds the point, and are empty for a
    thing in one piece. ``from_query`` and ``to_query`` are the things as
    asked for (the user's spelling), ``from_label`` and ``to_label`` what
    they resolved to; ``borders`` the border view countries were taken
    under (:mod:`geo.reference.borders`).
    """

    from_label: str
    from_query: str
    to_label: str
    to_query: str
    min_km: float
    max_km: float
    min_from_lat: float
    min_from_lon: float
    min_to_lat: float
    min_to_lon: float
    min_via_from: str
    min_via_to: str
    max_from_lat: float
    max_from_lon: float
    max_to_lat: float
    max_to_lon: float
    max_via_from: str
    max_via_to: str
    borders: str = "recognised"

    def question(self) -> str:
        """Return the question as a title: ``"Distance from Gdańsk, PL to Russia"``."""
        return f"Distance from {as_asked(self.from_label, self.from_query)} to {as_asked(self.to_label, self.to_query)}"

    @property
    def min_via(self) -> str:
        """The parts holding the nearest pair, as text (``""`` when both things are in one piece)."""
        return _via(self.min_via_from, self.min_via_to)

    @property
    def max_via(self) -> str:
        """The parts holding the farthest pair, as text."""
        return _via(self.max_via_from, self.max_via_to)

    def record(self) -> dict[str, Any]:
        """Return the fields as a dict keyed by :data:`COLUMNS` (``from``, ``to``, ... as in CSV and JSON)."""
        values = {"from": self.from_label, "to": self.to_label, "border_src": borders_data(self.borders)}
        return {c: values[c] if c in values else getattr(self, c) for c in COLUMNS}


def _via(a: str, b: str) -> str:
    return " to ".join(p for p in (a, b) if p)


# -- the things, in pieces -------------------------------------------------------------------------


@dataclass(eq=False)
class _Piece:
    """One point or one connected part of an area, with a ball holding it (centre lon/lat, radius m)."""

    name: str
    lon: float = math.nan
    lat: float = math.nan
    area: LaunchArea | None = None
    rings: list[FloatArray] = field(default_factory=list)  # (m, 2) lon/lat, unclosed

    @cached_property
    def vertices(self) -> FloatArray:
        """Every vertex, (n, 2) lon/lat; a point is its one vertex."""
        if self.area is None:
            return np.array([[self.lon, self.lat]])
        return np.concatenate(self.rings)

    @cached_property
    def edges(self) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
        """Each vertex's index, the index of the next vertex of its ring, the edge's azimuth (deg) and length (m)."""
        sizes = [len(r) for r in self.rings]
        firsts = np.cumsum([0, *sizes[:-1]])
        start = np.arange(sum(sizes), dtype=np.intp)
        end = np.concatenate([np.roll(np.arange(a, a + m, dtype=np.intp), -1)
                              for a, m in zip(firsts, sizes, strict=True)])
        v = self.vertices
        azi, _, length = WGS84.inv(v[start, 0], v[start, 1], v[end, 0], v[end, 1])
        return start, end, np.asarray(azi, dtype=float), np.asarray(length, dtype=float)

    @cached_property
    def ball(self) -> tuple[float, float, float]:
        """A centre (lon, lat) and a radius (m) within which every point of the piece lies."""
        if self.area is None:
            return self.lon, self.lat, 0.0
        v = self.vertices
        c_lon, c_lat = float(v[:, 0].mean()), float(v[:, 1].mean())
        start, end, _, length = self.edges
        d = geodesic_distance(c_lon, c_lat, v[:, 0], v[:, 1])
        radius = float(np.max((d[start] + d[end] + length) / 2.0))  # no edge point is farther (triangle inequality)
        # Interior points are no farther than the boundary unless the antipode of the centre is inside.
        anti_lon, anti_lat = (c_lon + 360.0) % 360.0 - 180.0, -c_lat
        if radius >= HALF_MERIDIAN_M / 2.0 or self.area.geometry.intersects(shapely.Point(anti_lon, anti_lat)):
            radius = HALF_MERIDIAN_M
        return c_lon, c_lat, radius

    @cached_property
    def polygon(self) -> BaseGeometry:
        """The part with its edges densified along the geodesics (within 5 cm), for the meeting test.

        A route's part is its lines (:func:`geo.geodesy.lonlat.route_lines`): it has no interior.
        """
        if isinstance(self.area, LaunchLine):
            lines = route_lines(self.area.geometry, INSIDE_TOLERANCE_M)
            shapely.prepare(lines)
            return lines
        dense = [densify(r, tolerance_m=INSIDE_TOLERANCE_M) for r in self.rings]
        polygon = shapely.Polygon(dense[0], dense[1:])
        shapely.prepare(polygon)
        return polygon

    @property
    def outline(self) -> BaseGeometry:
        """The boundary of :attr:`polygon`: where two pieces whose edges cross meet (a route is its own)."""
        return self.polygon if isinstance(self.area, LaunchLine) else self.polygon.boundary


def _rings(area: LaunchArea) -> list[FloatArray]:
    """Return the rings of a one-polygon area as (m, 2) lon/lat arrays without closing or repeated vertices.

    A route's ring runs out along its line and back (:class:`~geo.geodesy.distance.LaunchLine`).
    """
    if isinstance(area, LaunchLine):
        return [ring for rings in area._parts for ring in rings]
    geometry = area.geometry
    polygons = list(geometry.geoms) if isinstance(geometry, shapely.MultiPolygon) else [geometry]
    rings = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords, dtype=float)[:, :2]
            keep = np.r_[True, np.any(xy[1:] != xy[:-1], axis=1)]
            xy = xy[keep]
            if len(xy) > 1 and np.all(xy[0] == xy[-1]):
                xy = xy[:-1]
            if len(xy):
                rings.append(xy)
    return rings


@dataclass(eq=False)
class _Side:
    """A thing resolved: its label, the spelling asked for, and its pieces."""

    label: str
    query: str
    pieces: list[_Piece]


def _side(thing: Any, borders: str = "recognised") -> _Side:
    if isinstance(thing, _Side):
        return thing
    sources = as_sources(thing, borders)
    pieces: list[_Piece] = []
    for s in sources:
        if isinstance(s, LaunchPoint):
            pieces.append(_Piece(name=s.label, lon=float(s.lon), lat=float(s.lat)))
        elif isinstance(s, LaunchRegion):
            pieces.extend(_Piece(name=a.name, area=a, rings=_rings(a)) for a in s.parts)
        else:  # a kind of source this module does not know yet: say so rather than guess
            raise InvalidRangeError(f"distance: {getattr(s, 'label', s)!r} is a {type(s).__name__}; "
                                    "expected a point or an area")
    if len(pieces) == 1:
        pieces[0].name = ""  # one piece: no part to name
    # A shapely geometry or a frame's row is labelled "launch geometry", "launch row 3" by as_sources.
    label = " or ".join(dict.fromkeys(s.label.removeprefix("launch ") for s in sources))
    query = thing if isinstance(thing, str) else label
    return _Side(label=label, query=query, pieces=pieces)


# -- one pair of pieces ----------------------------------------------------------------------------

_Pair = tuple[float, float, float, float, float]  # distance (m), lon/lat on the first piece, lon/lat on the second


def _swap(pair: _Pair) -> _Pair:
    d, a_lon, a_lat, b_lon, b_lat = pair
    return d, b_lon, b_lat, a_lon, a_lat


def _to_area(points: FloatArray, area: LaunchArea, *, farthest: bool) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return the engine's exact nearest (farthest) distance from each point to the area, and the point of the area."""
    if not len(points):
        return np.empty(0), np.empty(0), np.empty(0)
    return area.extremes(points[:, 0], points[:, 1], farthest=farthest)


def _centre_bounds(points: FloatArray, other: _Piece) -> tuple[FloatArray, FloatArray]:
    """Return bounds (m) on the distance from each point to the nearest and the farthest point of ``other``.

    From ``other``'s ball: the distance to its centre, bounded by Lambert's
    formula and its error bound (:func:`geo.geodesy.ellipsoid.lambert_interval`,
    no geodesic solved; unbounded near the antipode), less and plus its radius.
    """
    c_lon, c_lat, radius = other.ball
    u = auxiliary_unit_vectors(points[:, 0], points[:, 1])
    c = auxiliary_unit_vectors(c_lon, c_lat)
    low, high = lambert_interval(u @ c, u[:, 2], c[2])
    return low - radius, high + radius


def _screened(points: FloatArray, other: _Piece, bound: float, *, farthest: bool) -> FloatArray:
    """Return the points whose ball bound to ``other`` can still beat ``bound`` (the best distance so far)."""
    if not math.isfinite(bound):
        return points
    low, high = _centre_bounds(points, other)
    return points[high >= bound] if farthest else points[low <= bound]


def _best(points: FloatArray, dist: FloatArray, x: FloatArray, y: FloatArray, *, farthest: bool) -> _Pair | None:
    if not dist.size:
        return None
    i = int(np.argmax(dist) if farthest else np.argmin(dist))
    return float(dist[i]), float(points[i, 0]), float(points[i, 1]), float(x[i]), float(y[i])


def _better(a: _Pair | None, b: _Pair | None, *, farthest: bool) -> _Pair | None:
    if a is None or b is None:
        return a if b is None else b
    return b if (b[0] > a[0] if farthest else b[0] < a[0]) else a


def _nearest(p: _Piece, q: _Piece, bound: float) -> _Pair | None:
    """Exact nearest pair of two pieces, or None if none can be nearer than ``bound``."""
    if p.area is None and q.area is None:
        return float(geodesic_distance(p.lon, p.lat, q.lon, q.lat)), p.lon, p.lat, q.lon, q.lat
    if p.area is None:
        found = _nearest(q, p, bound)
        return None if found is None else _swap(found)
    if q.area is None:
        d, x, y = _to_area(q.vertices, p.area, farthest=False)
        return float(d[0]), float(x[0]), float(y[0]), q.lon, q.lat
    # The nearest pair has a vertex of one of them (module docstring), or they meet. If they meet where
    # no vertex of either lies in the other, two edges cross, and an end of the crossing edge of p lies
    # within that edge's length of q: vertices are screened against the bound or the longest edge.
    longest = max(float(p.edges[3].max()), float(q.edges[3].max()))
    best = None
    for a, b, flip in ((p, q, False), (q, p, True)):
        pts = _screened(a.vertices, b, max(longest, bound if best is None else min(bound, best[0])), farthest=False)
        d, x, y = _to_area(pts, b.area, farthest=False)  # type: ignore[arg-type]
        found = _best(pts, d, x, y, farthest=False)
        best = _better(best, _swap(found) if flip and found else found, farthest=False)
        if best is not None and best[0] == 0.0:
            return best  # a vertex of one lies in the other: they meet there
    if best is not None and best[0] <= longest and p.polygon.intersects(q.polygon):
        meet = shapely.intersection(p.outline, q.outline).representative_point()
        return 0.0, meet.x, meet.y, meet.x, meet.y  # edges cross
    return best if best is not None and best[0] <= bound else None


def _farthest(p: _Piece, q: _Piece, bound: float) -> _Pair | None:
    """Exact farthest pair of two pieces (within FAR_TOLERANCE_M beyond 9,700 km), or None if none beats ``bound``."""
    if p.area is None and q.area is None:
        return float(geodesic_distance(p.lon, p.lat, q.lon, q.lat)), p.lon, p.lat, q.lon, q.lat
    if p.area is None or (q.area is not None and len(q.vertices) > len(p.vertices)):
        found = _farthest(q, p, bound)  # the edges searched are the second piece's: the smaller one
        return None if found is None else _swap(found)
    area: LaunchArea = p.area
    best = None
    if q.area is not None:  # F of q at p's vertices: settles the case of an antipode of p inside q
        pts = _screened(p.vertices, q, bound, farthest=True)
        d, x, y = _to_area(pts, q.area, farthest=True)
        best = _best(pts, d, x, y, farthest=True)
        if best is not None and best[0] >= HALF_MERIDIAN_M:
            return best  # an antipode of p lies in q: nothing is farther
    # F of p along q's boundary: its vertices, then the edges they cannot settle.
    qv = q.vertices
    upper = _centre_bounds(qv, p)[1]  # F <= this at each vertex
    goal = bound if best is None else max(bound, best[0])
    solve = upper >= goal if math.isfinite(goal) else np.ones(len(qv), dtype=bool)
    f = np.minimum(upper, HALF_MERIDIAN_M)
    d, x, y = _to_area(qv[solve], area, farthest=True)
    f[solve] = d
    found = _best(qv[solve], d, x, y, farthest=True)
    best = _better(best, _swap(found) if found else None, farthest=True)
    if q.area is not None:
        best = _better(best, _edge_search(area, q, f, bound if best is None else max(bound, best[0])), farthest=True)
    return best if best is not None and best[0] >= bound else None


def _edge_search(area: LaunchArea, q: _Piece, f: FloatArray, best_m: float) -> _Pair | None:
    """Largest F (the engine's farthest distance to ``area``) inside q's edges that the vertices do not settle.

    ``f`` holds F, or an upper bound of it, at each vertex of q. An edge is
    searched only if its Lipschitz bound ``(f1 + f2 + L) / 2`` beats the
    best value and reaches CONVEX_M (below it the distance from any point
    is convex along the edge, so the vertices hold the maximum). Each piece
    is halved, F solved at its middle, until no piece can beat the best by
    more than FAR_TOLERANCE_M.
    """
    if best_m >= HALF_MERIDIAN_M:
        return None
    start, end, azi, length = q.edges
    f1, f2 = f[start], f[end]
    bound = np.minimum((f1 + f2 + length) / 2.0, HALF_MERIDIAN_M)
    todo = np.flatnonzero((bound > best_m + FAR_TOLERANCE_M) & (bound >= CONVEX_M))
    if not todo.size:
        return None
    log.debug("farthest: %d edges of %s beyond the convex range searched", todo.size, q.name or "the area")
    v = q.vertices
    edge, t0, t1, g0, g1 = todo, np.zeros(todo.size), length[todo], f1[todo], f2[todo]
    best: _Pair | None = None
    for _ in range(_MAX_ROUNDS):
        keep = np.minimum((g0 + g1 + (t1 - t0)) / 2.0, HALF_MERIDIAN_M) > best_m + FAR_TOLERANCE_M
        edge, t0, t1, g0, g1 = edge[keep], t0[keep], t1[keep], g0[keep], g1[keep]
        if not edge.size:
            break
        mid = (t0 + t1) / 2.0
        lon, lat, _ = WGS84.fwd(v[start[edge], 0], v[start[edge], 1], azi[edge], mid)
        pts = np.column_stack([lon, lat])
        g, x, y = _to_area(pts, area, farthest=True)
        found = _best(pts, g, x, y, farthest=True)
        if found is not None and found[0] > best_m:
            best, best_m = _swap(found), found[0]
        edge, t0, t1, g0, g1 = (np.r_[edge, edge], np.r_[t0, mid], np.r_[mid, t1], np.r_[g0, g], np.r_[g, g1])
    return best


# -- the public functions --------------------------------------------------------------------------


def _pairs(a: _Side, b: _Side, *, farthest: bool) -> tuple[_Pair, _Piece, _Piece]:
    """Return the best pair of points over every pair of pieces, the pieces screened by their balls."""
    ball_a, ball_b = (np.array([p.ball for p in side.pieces]) for side in (a, b))
    centres = geodesic_distance(ball_a[:, None, 0], ball_a[:, None, 1], ball_b[None, :, 0], ball_b[None, :, 1])
    radii = ball_a[:, None, 2] + ball_b[None, :, 2]
    keys = -np.minimum(centres + radii, HALF_MERIDIAN_M) if farthest else np.maximum(0.0, centres - radii)
    flat = np.argsort(keys, axis=None, kind="stable")
    rows, cols = np.unravel_index(flat, keys.shape)
    order = [(float(keys.flat[k]), a.pieces[i], b.pieces[j]) for k, i, j in zip(flat, rows, cols, strict=True)]
    best: _Pair | None = None
    where = (a.pieces[0], b.pieces[0])
    solved = 0
    for key, p, q in order:
        if best is not None and (-key <= best[0] if farthest else key >= best[0]):
            break  # sorted: no later pair can beat it (the half meridian and 0 are beaten by none)
        bound = (-math.inf if farthest else math.inf) if best is None else best[0]
        found = _farthest(p, q, bound) if farthest else _nearest(p, q, bound)
        solved += 1
        if found is not None and _better(best, found, farthest=farthest) is found:
            best, where = found, (p, q)
    log.info("%s: %d of %d pairs of parts solved", "farthest" if farthest else "nearest", solved, len(order))
    assert best is not None  # the first pair is always solved
    return best, *where


def _separation(a: _Side, b: _Side) -> Separation:
    (n, n_alon, n_alat, n_blon, n_blat), n_p, n_q = _pairs(a, b, farthest=False)
    (f, f_alon, f_alat, f_blon, f_blat), f_p, f_q = _pairs(a, b, farthest=True)
    return Separation(
        from_label=a.label, from_query=a.query, to_label=b.label, to_query=b.query,
        min_km=n / 1000.0, max_km=f / 1000.0,
        min_from_lat=n_alat, min_from_lon=n_alon, min_to_lat=n_blat, min_to_lon=n_blon,
        min_via_from=n_p.name, min_via_to=n_q.name,
        max_from_lat=f_alat, max_from_lon=f_alon, max_to_lat=f_blat, max_to_lon=f_blon,
        max_via_from=f_p.name, max_via_to=f_q.name,
    )


def distance(a: Any, b: Any, *, borders: str = "recognised") -> Separation:
    """Return the exact nearest and farthest geodesic distance between two things (``geo.distance``).

    Parameters
    ----------
    a, b : str, LaunchPoint, LaunchRegion, shapely geometry, GeoDataFrame or list
        Anything ``--from`` takes (:func:`geo.analysis.api.as_sources`): a city
        (``"Gdańsk"``), a site, ``"LAT,LON"``, a country, a region, an
        exclave (``"RUS@Kaliningrad"``), a file of polygons, a shapely
        Point/Polygon/MultiPolygon in lon/lat, or a list of these taken
        together (the nearest and farthest over all of them).
    borders : str, default "recognised"
        The border view countries are taken under (:mod:`geo.reference.borders`):
        ``recognised`` or ``controlled``.

    Returns
    -------
    Separation
        ``min_km`` (0 when the two meet) and ``max_km``, a pair of points
        realising each (latitude, longitude), and the parts that hold them
        (``min_via_to``: the name of Russia's part that holds Kaliningrad, for Gdańsk).

    Raises
    ------
    UnknownPlaceError, InvalidCoordinateError, InputFileError
        For a thing that cannot be resolved; the message names it.

    Notes
    -----
    Exact on the WGS84 ellipsoid: within 0.1 mm, parts closer than 0.1 m
    reported as meeting, and a farthest distance beyond 9,700 km within
    1 m. The argument is in this module's docstring.

    Examples
    --------
    >>> s = distance("Kyiv", "Belarus")
    >>> f"{s.min_km:.1f} {s.max_km:.1f}"
    '86.8 654.6'
    >>> s = distance("Gdańsk", "Russia")
    >>> s.question(), f"{s.min_km:.1f}"
    ('Distance from Gdańsk, PL to Russia', '63.4')
    """
    borders = check_borders(borders)
    return dataclasses.replace(_separation(_side(a, borders), _side(b, borders)), borders=borders)


def distances_from(a: Any, others: Sequence[Any], *, borders: str = "recognised") -> list[Separation]:
    """Return :func:`distance` from ``a`` to each of ``others``, in order (``georange distance A B C``).

    ``a`` is resolved once, so its parts are prepared once for all the others.
    """
    if isinstance(others, str) or not isinstance(others, Sequence) or not others:
        raise InvalidRangeError(f"distance: expected a non-empty list of things to measure to, got {others!r}")
    borders = check_borders(borders)
    first = _side(a, borders)
    return [dataclasses.replace(_separation(first, _side(b, borders)), borders=borders) for b in others]
