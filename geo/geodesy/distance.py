"""Exact nearest and farthest geodesic distances from targets to launch areas.

The question every georange verdict rests on: for a target T and a launch
area (a polygon or multipolygon whose edges are geodesics between their
vertices), how far is the nearest point of the area, and how far the
farthest, on the WGS84 ellipsoid?

Algorithm (per target; all steps vectorised over targets)
-----------------------------------------------------------
1. **Inside.** If T is covered by the area the minimum is 0. The test runs on
   a lon/lat polygon whose edges were densified along the geodesics until no
   piece departs from its geodesic by more than :data:`INSIDE_TOLERANCE_M`,
   so the planar test is wrong only for targets that close to the boundary,
   where the true minimum is below that tolerance anyway. Likewise, if the
   antipode of T is covered, the maximum is the half meridian (the antipode
   is the farthest point of the ellipsoid from any point).
2. **Candidates.** The boundary is sampled (every vertex, plus points along
   edges longer than :data:`SAMPLE_SPACING_M`) and indexed in a KD-tree of
   auxiliary-sphere unit vectors. The k samples nearest to T (or to its
   antipodal vector, for the maximum) name candidate edges. For each, the
   nearest (farthest) point of the edge on the auxiliary sphere is found in
   closed form and its distance estimated with Lambert's formula, whose
   error is bounded by :func:`geo.geodesy.ellipsoid.lambert_error_bound`. Edges whose
   estimate cannot beat the best one by more than the two error bounds are
   dropped.
3. **Completeness.** Edges never named lie at least ``sigma_k - h`` from T on
   the auxiliary sphere (``sigma_k`` the k-th sample distance, ``h`` half the
   largest gap between samples); Lambert's formula is bounded below by
   ``a (sigma - f/2 B(sigma))`` for any latitudes, so if that bound minus its
   error exceeds the best candidate's upper bound, no unnamed edge can hold
   the answer. Targets failing the test are redone with a larger k, and in
   the end exhaustively.
4. **Exact refinement.** For each surviving (target, edge) pair the extremum
   on the geodesic edge is found with exact GeographicLib distances
   (:func:`geo.geodesy.ellipsoid.extremum_on_geodesic`). The answer is the best exact
   value.
5. **Corners.** Where the auxiliary-sphere extremum of a kept edge is one
   of its end vertices (the usual case), one exact solution from that
   vertex settles it if the distance is convex along the edge (within
   :data:`CONVEX_M`; for the farthest, concave beyond :data:`CONCAVE_M`) and
   its exact derivative into the edge, ``-cos`` of the angle to the target,
   does not point to an improvement. Two edges sharing the vertex share the
   solution.
6. **Near the antipode** Lambert's formula degrades, so targets whose
   candidates lie farther than :data:`geo.geodesy.ellipsoid.LAMBERT_MAX_SIGMA` on the
   auxiliary sphere take an exhaustive path over runs of 32 edges, each in
   a ball round a pivot. For the nearest distance, every pair of antipodes
   is the half meridian ``H`` apart (the shortest path is a meridian), so
   ``d(T, v) >= H - d(T', v)`` with ``T'`` the target's antipode, and
   ``d(T', v)`` is short and within Lambert's bound: runs and vertices are
   bounded without solving, one probe is solved, and only what can beat it
   is. Beyond :data:`CONCAVE_M` the distance is concave along every edge, so
   the minimum is at a vertex; elsewhere, and for the farthest distance
   (runs bounded through the antipode too, ``d(T, x) <= H - d(T', x)`` plus
   at most :data:`ANTIPODE_DEFECT_M`, then exact pivots, and each edge
   bounded by its pivot's distance plus the edge's own reach from the
   pivot), a golden-section search runs on each
   edge the triangle inequality (and, for a maximum, the derivatives at both
   ends) cannot exclude.
7. **Hull vertices.** For an area in a cap of 60 degrees, targets within
   :data:`CONVEX_M` of all of it (farthest) or beyond :data:`CONCAVE_M` of all of
   it (nearest) need only the vertices of its convex hull: the distance is
   convex, or concave, along geodesics there, so its maximum, or minimum,
   over the hull is at an extreme point.
8. **Vertex certificates.** For the other side of those same targets (the
   nearest within :data:`CONVEX_M`, the farthest beyond :data:`CONCAVE_M`), the
   hull vertex v nearest (farthest) on the auxiliary sphere is solved
   exactly. The distance's derivative leaving v at angle g from the
   direction to the target is exactly ``-cos g``, so by convexity
   (concavity) no point of the area beats v if every direction from v into
   the area, a wedge measured once per hull vertex, turns at least (at
   most) 90 degrees from the target. One exact solution then settles the
   target; the others take the candidate search.

Error bound
-----------
Every reported distance is an exact WGS84 geodesic distance (GeographicLib,
about 15 nm) from T to a point of the boundary, within 0.1 mm of the
extremum (the refinement stops when the distance cannot improve by more).
The selection of the edge is exact as long as Lambert's error stays within
its bound, which was measured on 4 million pairs and doubled. Against a brute-force reference the tests require 1 m and
observe well under a millimetre.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Final, Protocol

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidGeometryError
from geo.geodesy.densify import densify, split_edges
from geo.geodesy.ellipsoid import (
    A_M,
    FLATTENING,
    HALF_MERIDIAN_M,
    LAMBERT_MAX_SIGMA,
    WGS84,
    antipode,
    auxiliary_unit_vectors,
    check_lonlat,
    extremum_on_geodesic,
    geodesic_distance,
    lambert_distance,
    lambert_error_bound,
    lambert_interval,
)

if TYPE_CHECKING:
    from pykdtree.kdtree import KDTree

__all__ = [
    "INSIDE_TOLERANCE_M",
    "SAMPLE_SPACING_M",
    "LaunchArea",
    "LaunchLine",
    "PreparedStore",
    "VERTEX_BOUND_LIMIT_M",
    "ROUTE_EDGE_MAX_M",
    "distances_to_points",
    "set_prepared_store",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

_BOX_TOLERANCE_M: Final = 100.0  # a part's box is found from its outer ring densified this coarsely
INSIDE_TOLERANCE_M: Final = 0.05
"""Largest departure, in metres, of the inside-test polygon from the
geodesic boundary."""

SAMPLE_SPACING_M: Final = 4_000.0
"""Largest gap, in metres, between boundary samples in the candidate index."""

CONVEX_M: Final = 9.7e6
"""Distances below which the distance from a target is convex along any geodesic: the geodesic scale
M21 stays positive to 9,985 km (GeographicLib, every 5 degrees of latitude and azimuth and 3,000 random
geodesics: its first zero lies between 9,985.2 km, on the equator, and 10,046.0 km)."""
CONCAVE_M: Final = 1.03e7
"""Distances beyond which it is concave (M21 negative from 10,046 km to the conjugate point)."""
ANTIPODE_DEFECT_M: Final = 67_200.0
"""Most by which ``d(T, x) + d(x, T')`` can exceed the half meridian (T' the antipode of T), doubled:
measured on 2 million pairs, the excess reaches ``pi a - H`` (33,577 m, T and x on the equator a quarter
apart, where the equator is shorter than the meridian through the poles) and no more."""

ROUTE_EDGE_MAX_M: Final = 19_000_000.0
"""Longest edge of a route, in metres: ends nearer to antipodal than this do not fix one geodesic between them
(two antipodes on the equator are joined by two, one over each pole); a longer leg needs a vertex on the way."""

VERTEX_BOUND_LIMIT_M: Final = 9_000_000.0
"""Largest vertex bound :meth:`LaunchArea.radius_bound` trusts: a cap this small is convex (see ``CONVEX_M``)."""

_DENSE_POINTS: Final = 4_000_000  # densified ring vertices remembered per process (64 MB)
_MEMO_QUERY: Final = 4096  # queries up to this many targets are remembered (see LaunchArea.distances)
_MEMO_SIZE: Final = 100_000  # targets remembered per area before the memo starts again
_K_STEPS: Final = (16, 64, 256, 1024)
_CHUNK: Final = 4096
_GROUP: Final = 32  # consecutive edges per ball in the exhaustive path
_WEDGE_PAIRS_PER_TARGET: Final = 32  # the wedges (hull vertices x vertices) are built once a chunk pays for them
_WEDGE_PAD: Final = math.radians(2.0)  # twice the most auxiliary-sphere azimuths can be off (0.47 degrees)
_CERTIFY_PAD: Final = 1e-9  # rad: a vertex certificate's margin on the right angle


class PreparedStore(Protocol):
    """Where prepared structures may be kept between runs (:mod:`geo.analysis.cache` provides one)."""

    def load(self, kind: str, key: Mapping[str, object]) -> bytes | None:
        """Return the value stored under ``kind`` and ``key``, or None."""

    def store(self, kind: str, key: Mapping[str, object], value: bytes) -> None:
        """Keep ``value`` under ``kind`` and ``key``."""


_store: PreparedStore | None = None


def set_prepared_store(store: PreparedStore | None) -> PreparedStore | None:
    """Use ``store`` for the inside-test polygons of areas prepared from now on; return the previous one."""
    global _store
    previous, _store = _store, store
    return previous


_DENSE: dict[bytes, FloatArray] = {}
_dense_points = [0]  # vertices held in _DENSE


def _dense_ring(xy: FloatArray) -> FloatArray:
    """Return a ring densified to :data:`INSIDE_TOLERANCE_M`, each ring once per process.

    A territory's parts are prepared one by one (for verdicts and tables)
    and together (one area for its zones): the rings are the same, and
    densifying them is most of the preparing (1 s of Russia's 1.5 s).
    """
    key = xy.tobytes()
    dense = _DENSE.get(key)
    if dense is None:
        dense = densify(xy, tolerance_m=INSIDE_TOLERANCE_M)
        _dense_points[0] += len(dense)
        if _dense_points[0] > _DENSE_POINTS:
            _DENSE.clear()
            _dense_points[0] = len(dense)
        _DENSE[key] = dense
    return dense


@dataclass(frozen=True)
class _Edges:
    """All boundary edges of an area as parallel arrays (one row per edge)."""

    lon1: FloatArray
    lat1: FloatArray
    lon2: FloatArray
    lat2: FloatArray
    azi1: FloatArray
    back2: FloatArray  # azimuth at the end vertex pointing back into the edge
    next_edge: IntArray  # the edge that starts where this one ends (same ring)
    length_m: FloatArray
    u1: FloatArray  # auxiliary unit vectors of the end points, (n, 3)
    u2: FloatArray
    normal: FloatArray  # unit normal of the great circle u1 -> u2
    ortho: FloatArray  # normal x u1: completes the in-plane basis
    arc: FloatArray  # angle u1 -> u2 (rad)


def _rings(geometry: BaseGeometry) -> list[list[np.ndarray]]:
    """Return the rings of each polygon part as (m, 2) lon/lat arrays, unclosed."""
    if isinstance(geometry, shapely.Polygon):
        polygons = [geometry]
    elif isinstance(geometry, shapely.MultiPolygon):
        polygons = list(geometry.geoms)
    else:
        raise InvalidGeometryError(
            f"launch area must be a Polygon or MultiPolygon, got {geometry.geom_type}"
        )
    parts = []
    for poly in polygons:
        if poly.is_empty:
            continue
        rings = []
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords, dtype=float)[:, :2]
            keep = np.ones(len(xy), dtype=bool)
            keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
            xy = xy[keep]
            if len(xy) > 1 and np.all(xy[0] == xy[-1]):
                xy = xy[:-1]
            if len(xy) >= 1:
                rings.append(xy)
        if rings:
            parts.append(rings)
    if not parts:
        raise InvalidGeometryError("launch area is empty")
    return parts


@dataclass(eq=False)
class LaunchArea:
    """A launch area prepared for fast exact distance queries (``geo.LaunchArea``).

    **Axis order (lon, lat) and metres**, as everywhere inside the library
    and unlike the rest of the public API (LAT,LON and km: :func:`geo.reach`
    gives ``min_km``/``max_km`` for the same targets): :meth:`distances`
    takes longitudes first and returns ``min_m, max_m`` in metres.

    Parameters
    ----------
    geometry : shapely.Polygon or shapely.MultiPolygon
        Longitude/latitude in degrees (EPSG:4326). Each edge is the geodesic
        between its two vertices. As in RFC 7946, a part must not cross the
        antimeridian: split it into parts that meet at +-180 (Natural Earth
        does this for Russia and Fiji).
    name : str, optional
        A label used in messages.

    Notes
    -----
    Preparing costs a few milliseconds per thousand vertices and is done
    once; :meth:`distances` then answers any number of targets.

    Examples
    --------
    >>> from shapely import box
    >>> area = LaunchArea(box(23.0, 51.0, 32.0, 56.0))
    >>> lo, hi = area.distances([21.0118], [52.2298])  # Warsaw
    >>> f"{lo[0] / 1000:.1f} {hi[0] / 1000:.1f}"
    '135.8 830.8'
    """

    geometry: BaseGeometry
    name: str = "launch area"
    _parts: list[list[np.ndarray]] = field(init=False, repr=False)
    _spares: dict[int, list[BaseGeometry]] = field(init=False, repr=False, default_factory=dict)  # per part
    _inside_parts: dict[int, BaseGeometry] = field(init=False, repr=False, default_factory=dict)
    _certify_asked: int = field(init=False, repr=False, default=0)  # targets offered to _certified so far
    _memo: dict[tuple[float, float], tuple[float, float]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.geometry, BaseGeometry):  # a geometry of another type is refused by _rings
            raise InvalidGeometryError(f"{self.name} must be a Polygon or MultiPolygon (shapely, lon/lat), "
                                       f"got {type(self.geometry).__name__}")
        self._parts = _rings(self.geometry)
        for rings in self._parts:
            for xy in rings:
                check_lonlat(xy[:, 0], xy[:, 1], what=f"{self.name} vertex")
                lon_next, lat_next = np.roll(xy[:, 0], -1), np.roll(xy[:, 1], -1)
                at_pole = (np.abs(xy[:, 1]) == 90.0) & (lat_next == xy[:, 1])  # zero-length, any longitudes
                if np.any((np.abs(lon_next - xy[:, 0]) > 180.0) & ~at_pole):
                    raise InvalidGeometryError(
                        f"{self.name}: an edge spans more than 180 degrees of longitude; "
                        "split the polygon at the antimeridian (RFC 7946, section 3.1.9)"
                    )

    # -- prepared structures (built on first use) -------------------------

    @cached_property
    def _inside_geometry(self) -> BaseGeometry:
        """The area with its edges densified to :data:`INSIDE_TOLERANCE_M`: every part's (see :meth:`_part_inside`)."""
        polys = [self._part_inside(k) for k in range(len(self._parts))]
        geom = shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]
        shapely.prepare(geom)
        return geom

    def _part_inside(self, k: int) -> BaseGeometry:
        """Part ``k`` with its edges densified to :data:`INSIDE_TOLERANCE_M` (or read from the prepared store).

        Built when a target first falls in the part's box (:attr:`_part_boxes`):
        densifying Russia's 213 parts to 5 cm gives 870,000 vertices and took
        1-1.5 s of every first query, though most queries (a zone's boundary
        2,500 km away, a capital in Europe) fall in no part's box.
        """
        found = self._inside_parts.get(k)
        if found is not None:
            return found
        rings = self._parts[k]
        store, key = _store, None
        if store is not None:
            wkb = shapely.to_wkb(shapely.Polygon(rings[0], rings[1:]))
            key = {"part": hashlib.sha256(wkb).hexdigest()[:32], "tolerance_m": INSIDE_TOLERANCE_M}
            blob = store.load("inside", key)
            if blob is not None:
                try:
                    geom = shapely.from_wkb(blob)
                except shapely.errors.GEOSException:
                    geom = None
                if geom is not None and geom.geom_type == "Polygon":
                    self._inside_parts[k] = geom
                    return geom
        dense = [_dense_ring(xy) for xy in rings]
        geom = shapely.Polygon(dense[0], dense[1:])
        if store is not None and key is not None:
            store.store("inside", key, shapely.to_wkb(geom))
        self._inside_parts[k] = geom
        return geom

    @cached_property
    def _part_boxes(self) -> FloatArray:
        """Per part, a lon/lat box (west, south, east, north) that holds it, its geodesic edges included.

        From the part's outer ring densified to :data:`_BOX_TOLERANCE_M` (its
        straight lon/lat chords, which stay within the vertices' box, are that
        close to the geodesic edges), widened by twice that in latitude and in
        longitude at the box's most poleward latitude (to every longitude
        near a pole).
        """
        boxes = np.empty((len(self._parts), 4))
        pad_lat = 2.0 * _BOX_TOLERANCE_M / 110_000.0
        for k, rings in enumerate(self._parts):
            xy = densify(rings[0], tolerance_m=_BOX_TOLERANCE_M) if len(rings[0]) > 1 else rings[0]
            (west, south), (east, north) = xy.min(axis=0), xy.max(axis=0)
            south, north = max(south - pad_lat, -90.0), min(north + pad_lat, 90.0)
            cos_lat = math.cos(math.radians(max(abs(south), abs(north))))
            pad_lon = pad_lat / cos_lat if cos_lat > 1e-3 else 360.0
            boxes[k] = (west - pad_lon, south, east + pad_lon, north)
        return boxes

    def _covers(self, lon: FloatArray, lat: FloatArray) -> NDArray[np.bool_]:
        """Return whether the inside-test polygon covers each point; safe from several threads at once.

        Only the parts whose box (:attr:`_part_boxes`) holds a point are
        asked (and prepared). GEOS 3.14 corrupts memory when two threads
        query one prepared geometry at the same time (libgeos/geos#825), so
        each concurrent caller borrows its own copy of a part from a pool
        (one copy per thread that ever ran at the same time as another).
        """
        lon_f, lat_f = np.asarray(lon, dtype=float).ravel(), np.asarray(lat, dtype=float).ravel()
        out = np.zeros(lon_f.size, dtype=bool)
        if lon_f.size == 0:
            return out.reshape(np.shape(lon))
        boxes = self._part_boxes
        near = np.flatnonzero((boxes[:, 0] <= lon_f.max()) & (boxes[:, 2] >= lon_f.min())
                              & (boxes[:, 1] <= lat_f.max()) & (boxes[:, 3] >= lat_f.min()))
        for k in near:
            west, south, east, north = boxes[k]
            rows = np.flatnonzero((lon_f >= west) & (lon_f <= east) & (lat_f >= south) & (lat_f <= north) & ~out)
            if rows.size:
                out[rows] = self._covers_part(int(k), lon_f[rows], lat_f[rows])
        return out.reshape(np.shape(lon))

    def _covers_part(self, k: int, lon: FloatArray, lat: FloatArray) -> NDArray[np.bool_]:
        spares = self._spares.setdefault(k, [])
        try:
            geom = spares.pop()  # list.pop and append are atomic in CPython
        except IndexError:
            geom = shapely.from_wkb(shapely.to_wkb(self._part_inside(k)))
            shapely.prepare(geom)
        try:
            return shapely.intersects_xy(geom, lon, lat)
        finally:
            spares.append(geom)

    @cached_property
    def _edges(self) -> _Edges:
        xy1 = np.concatenate([xy for rings in self._parts for xy in rings])
        xy2 = np.concatenate([np.roll(xy, -1, axis=0) for rings in self._parts for xy in rings])
        lon1, lat1, lon2, lat2 = xy1[:, 0], xy1[:, 1], xy2[:, 0], xy2[:, 1]
        azi1, back2, length = WGS84.inv(lon1, lat1, lon2, lat2)
        sizes = [len(xy) for rings in self._parts for xy in rings]
        firsts = np.cumsum([0, *sizes[:-1]])
        next_edge = np.concatenate([np.roll(np.arange(a, a + m), -1) for a, m in zip(firsts, sizes, strict=True)])
        u1 = auxiliary_unit_vectors(lon1, lat1)
        u2 = auxiliary_unit_vectors(lon2, lat2)
        cross = np.cross(u1, u2)
        norm = np.linalg.norm(cross, axis=1)
        arc = np.arctan2(norm, np.einsum("ij,ij->i", u1, u2))
        with np.errstate(invalid="ignore", divide="ignore"):
            normal = cross / norm[:, None]
        # A degenerate edge (a single point) has no plane: any normal will
        # do, since its arc is 0 and only its end point can be chosen.
        degenerate = ~np.isfinite(normal).all(axis=1)
        if degenerate.any():
            helper = np.where(np.abs(u1[degenerate, 2:3]) < 0.9, [[0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]])
            alt = np.cross(u1[degenerate], helper)
            normal[degenerate] = alt / np.linalg.norm(alt, axis=1)[:, None]
            arc[degenerate] = 0.0
        ortho = np.cross(normal, u1)
        return _Edges(lon1, lat1, lon2, lat2, np.asarray(azi1), np.asarray(back2), next_edge.astype(np.intp),
                      np.asarray(length), u1, u2, normal, ortho, arc)

    @cached_property
    def _index(self) -> tuple[KDTree, FloatArray, IntArray, IntArray, float]:
        """KD-tree of boundary samples, the samples, the two edges each sample touches, and h.

        pykdtree, not scipy's cKDTree: the same neighbours, three times as fast
        for 16 of them, and 1 ms to import instead of 0.4 s.
        """
        from pykdtree.kdtree import KDTree

        e = self._edges
        n = len(e.length_m)
        prev = np.empty(n, dtype=np.intp)  # the previous edge of each vertex, in its ring
        prev[e.next_edge] = np.arange(n)
        pieces = np.maximum(1, np.ceil(e.length_m / SAMPLE_SPACING_M)).astype(np.intp)
        lon, lat, edge, offset = split_edges(e.lon1, e.lat1, e.azi1, e.length_m, pieces)
        vecs = auxiliary_unit_vectors(lon, lat)
        other = np.where(offset == 0, prev[edge], edge)
        # h: half the largest arc between consecutive samples, with 1 % to
        # spare for the sub-arc's departure from its chord on the sphere.
        nxt = np.roll(np.arange(len(edge)), -1)
        nxt_vec = np.where((offset + 1 == pieces[edge])[:, None], e.u2[edge], vecs[nxt])
        gaps = np.arctan2(np.linalg.norm(np.cross(vecs, nxt_vec), axis=1), np.einsum("ij,ij->i", vecs, nxt_vec))
        h = 0.5 * float(gaps.max()) * 1.01 + 1e-12
        vecs = np.ascontiguousarray(vecs)
        return KDTree(vecs), vecs, edge, other, h

    @cached_property
    def _hull(self) -> tuple[FloatArray, FloatArray, FloatArray, float, FloatArray] | None:
        """Vertices that can be farthest from a target within CONVEX_M, or nearest to one beyond CONCAVE_M.

        Returns (lon, lat, aux unit vectors, cos of the cap radius around the
        area's mean direction, that direction), or None when the area does
        not fit in a cap of 60 degrees, where the shortcut is not used.

        Notes
        -----
        Within about 9,985 km of a target the geodesic distance is convex
        along geodesics (the geodesic scale M21 stays positive), so its
        maximum over the area is reached at an extreme point of the area's
        geodesic convex hull, which is a vertex. Likewise beyond about
        10,046 km it is concave (M21 negative, up to the antipode: a minimum
        of concave branches is concave), so its minimum over the hull is at
        an extreme point when the whole cap lies beyond :data:`CONCAVE_M`.
        That hull is found as the
        planar hull of the vertices in a gnomonic projection of the
        auxiliary sphere (where great circles are straight lines); vertices
        within 1e-5 rad (64 m) of that hull are kept too, far more than the
        few metres by which geodesics and auxiliary great circles differ
        along hull edges.
        """
        e = self._edges
        vecs = e.u1
        centre = vecs.mean(axis=0)
        norm = float(np.linalg.norm(centre))
        if norm == 0.0:
            return None
        centre /= norm
        cos_cap = float((vecs @ centre).min())
        if cos_cap < np.cos(np.radians(60.0)):
            return None
        helper = np.array([0.0, 0.0, 1.0]) if abs(centre[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
        e1 = np.cross(helper, centre)
        e1 /= np.linalg.norm(e1)
        e2 = np.cross(centre, e1)
        depth = vecs @ centre
        xy = np.column_stack([(vecs @ e1) / depth, (vecs @ e2) / depth])
        hull = shapely.convex_hull(shapely.multipoints(xy))
        if not isinstance(hull, shapely.Polygon):
            keep = np.ones(len(xy), dtype=bool)
        else:
            ring = hull.exterior
            # Distance in the gnomonic plane understates arc by at most the
            # scale factor 1/depth^2 <= 4 inside a 60-degree cap.
            keep = shapely.distance(ring, shapely.points(xy)) <= 1e-5
        return e.lon1[keep], e.lat1[keep], vecs[keep], cos_cap, centre

    @cached_property
    def _wedges(self) -> tuple[FloatArray, FloatArray] | None:
        """Per hull vertex, the azimuths (rad) from it to every point of the area: (centre, half-width).

        The half-width is NaN where the azimuths span 180 degrees or more (a
        vertex kept within 64 m of the hull but not an extreme point). None
        without a hull.

        Notes
        -----
        Azimuths from a vertex v along a geodesic edge vary monotonically
        between those to its two ends (a geodesic from v meets the edge at
        most once: two geodesics meet again only about half the meridian
        on, and the area lies in a cap of 60 degrees), and every point of
        the area lies on a geodesic from v to its boundary, so the azimuths
        to the vertices bound them all. They are found on the auxiliary
        sphere, whose azimuths differ from the exact ones by at most about
        ``f sigma / sin(sigma)`` (0.47 degrees at 120 degrees; measured:
        0.23 degrees): only vertices within :data:`_WEDGE_PAD` of either end
        of that range are solved exactly, and the range is widened by half
        the pad for the others.
        """
        hull = self._hull
        if hull is None:
            return None
        e = self._edges
        h_lon, h_lat, h_vec = hull[0], hull[1], hull[2]
        lam = np.radians(h_lon)
        east = np.column_stack([-np.sin(lam), np.cos(lam), np.zeros_like(lam)])
        north = np.column_stack([-h_vec[:, 2] * np.cos(lam), -h_vec[:, 2] * np.sin(lam),
                                 np.hypot(h_vec[:, 0], h_vec[:, 1])])
        x_e, x_n = east @ e.u1.T, north @ e.u1.T  # (hull vertices, vertices)
        aux = np.arctan2(x_e, x_n) % (2.0 * np.pi)
        # Too close for the auxiliary azimuth (under 6 mm): solved exactly, and left out of the gaps
        # (set to another azimuth of their row, a duplicate changes no gap).
        tiny = np.arctan2(np.hypot(x_e, x_n), h_vec @ e.u1.T) < 1e-9
        rows = np.arange(h_lon.size)
        some = np.argmin(tiny, axis=1)  # a vertex that is not tiny, if the row has one
        usable = ~tiny[rows, some]
        filled = np.where(tiny, aux[rows, some][:, None], aux)
        a = np.sort(filled, axis=1)
        gaps = np.diff(a, axis=1, append=a[:, :1] + 2.0 * np.pi)
        j = np.argmax(gaps, axis=1)
        width = 2.0 * np.pi - gaps[rows, j]
        centre = a[rows, (j + 1) % a.shape[1]] + width / 2.0  # the middle of each row's occupied range
        rel = _wrap(filled - centre[:, None])
        lo_aux, hi_aux = rel.min(axis=1), rel.max(axis=1)
        r, c = np.nonzero(tiny | (rel <= lo_aux[:, None] + _WEDGE_PAD) | (rel >= hi_aux[:, None] - _WEDGE_PAD))
        az, _, dist = WGS84.inv(h_lon[r], h_lat[r], e.lon1[c], e.lat1[c])
        moved = np.asarray(dist) > 0.0
        exact = _wrap(np.radians(np.asarray(az)[moved]) - centre[r[moved]])
        lo, hi = lo_aux + _WEDGE_PAD / 2.0, hi_aux - _WEDGE_PAD / 2.0
        np.minimum.at(lo, r[moved], exact)
        np.maximum.at(hi, r[moved], exact)
        valid = usable & (hi - lo < np.pi) & (lo > -np.pi / 2.0) & (hi < np.pi / 2.0)
        return centre + (lo + hi) / 2.0, np.where(valid, (hi - lo) / 2.0, np.nan)

    @cached_property
    def _z_range(self) -> tuple[float, float]:
        """Range of sin(reduced latitude) over the boundary, padded for edge bulges."""
        z = self._index[1][:, 2]
        # Between samples at most 4 km apart a geodesic strays poleward by
        # far less than 1e-6 (6 m); the pad keeps the bound on the safe side.
        return max(-1.0, float(z.min()) - 1e-6), min(1.0, float(z.max()) + 1e-6)

    # -- queries -------------------------------------------------------------

    def distances(self, lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Return the nearest and farthest geodesic distance (m) from each target.

        Parameters
        ----------
        lon, lat : array_like
            Target coordinates in degrees; scalars or arrays of one shape.

        Returns
        -------
        min_m, max_m : ndarray
            ``min_m`` is 0 for a target covered by the area (boundary
            included); ``max_m`` is the half meridian (20,003,931.46 m) for a
            target whose antipode is covered.

        Raises
        ------
        InvalidCoordinateError
            If a coordinate is not finite or out of range.

        Notes
        -----
        Exact within 1 m (observed: under 1 mm) of a brute-force reference;
        see the module docstring for the argument.

        The answers to small queries (up to :data:`_MEMO_QUERY` targets) are
        kept, at most :data:`_MEMO_SIZE` targets per area: the claims,
        scenarios, coverage and reports of one run ask the same parts about
        the same places again, and a query costs about as much for one
        target as for a hundred.
        """
        lon_a, lat_a = check_lonlat(lon, lat, what="target")
        if lon_a.size > _MEMO_QUERY:
            lo, _, _ = self.extremes(lon_a, lat_a, farthest=False, point=False)
            hi, _, _ = self.extremes(lon_a, lat_a, farthest=True, point=False)
            return lo, hi
        keys = list(zip(lon_a.ravel().tolist(), lat_a.ravel().tolist(), strict=True))
        memo = self._memo
        missing = [k for k in dict.fromkeys(keys) if k not in memo]
        if missing:
            mlon, mlat = np.array([k[0] for k in missing]), np.array([k[1] for k in missing])
            lo, _, _ = self.extremes(mlon, mlat, farthest=False, point=False)
            hi, _, _ = self.extremes(mlon, mlat, farthest=True, point=False)
            if len(memo) + len(missing) > _MEMO_SIZE:
                memo.clear()
            memo.update(zip(missing, zip(lo.tolist(), hi.tolist(), strict=True), strict=True))
        found = np.array([memo[k] for k in keys], dtype=float).reshape(-1, 2)
        return found[:, 0].reshape(lon_a.shape), found[:, 1].reshape(lon_a.shape)

    def extremes(
        self, lon: ArrayLike, lat: ArrayLike, *, farthest: bool, point: bool = True
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Return the nearest (or farthest) distance (m) and the point of the area where it is reached.

        Parameters
        ----------
        lon, lat : array_like
            Target coordinates in degrees; scalars or arrays of one shape.
        farthest : bool
            Seek the farthest point instead of the nearest.
        point : bool, default True
            Also locate the point (one more exact solution per target);
            without it the point's coordinates may be NaN.

        Returns
        -------
        dist_m, point_lon, point_lat : ndarray
            The distance as in :meth:`distances` and a point of the area at
            that distance: the target itself when it is covered (nearest), its
            antipode when the antipode is covered (farthest), otherwise a
            boundary point (one of them, if several tie).
        """
        lon_a, lat_a = check_lonlat(lon, lat, what="target")
        shape = lon_a.shape
        lon_f, lat_f = lon_a.ravel(), lat_a.ravel()
        out = np.empty((3, lon_f.size))
        for s in range(0, lon_f.size, _CHUNK):
            sl = slice(s, s + _CHUNK)
            out[:, sl] = self._side_chunk(lon_f[sl], lat_f[sl], farthest=farthest, point=point)
        return out[0].reshape(shape), out[1].reshape(shape), out[2].reshape(shape)

    def radius_bound(self, lon: float, lat: float) -> float:
        """Return an upper bound (m) on the farthest distance from one point to the area, cheaply.

        Every edge of length ``L`` lies within ``max(d(P, v1), d(P, v2)) + L / 2``
        of ``P`` (exact distances to its ends; each of its points is within
        ``L / 2`` of one end), which bounds the boundary. Below
        :data:`VERTEX_BOUND_LIMIT_M` the area is the side of its boundary
        that lies within that cap (a lon/lat polygon is the small side of its
        rings), so the bound holds for the whole area, with no preparation; a
        larger area gets the exact farthest distance.
        """
        e = self._edges
        start = geodesic_distance(lon, lat, e.lon1, e.lat1)  # an edge's end is the next edge's start
        radius = float((np.maximum(start, start[e.next_edge]) + e.length_m / 2.0).max())
        if radius >= VERTEX_BOUND_LIMIT_M:
            radius = float(self.extremes(lon, lat, farthest=True, point=False)[0])
        return radius

    def contains(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
        """Return whether each target is covered by the area (boundary included)."""
        lon_a, lat_a = check_lonlat(lon, lat, what="target")
        return self._covers(lon_a, lat_a)

    def _side_chunk(self, lon: FloatArray, lat: FloatArray, *, farthest: bool, point: bool) -> FloatArray:
        """Rows: distance, point lon, point lat for one chunk of targets."""
        if farthest:
            alon, alat = antipode(lon, lat)
            covered = self._covers(alon, alat)
            out = np.vstack([np.full(lon.size, HALF_MERIDIAN_M), alon, alat])
        else:
            covered = self._covers(lon, lat)
            out = np.vstack([np.zeros(lon.size), lon, lat])
        need = ~covered
        if need.any():
            if farthest:
                out[:, need] = self._farthest(lon[need], lat[need], point=point)
            else:
                out[:, need] = self._nearest(lon[need], lat[need], point=point)
        return out

    def _nearest(self, lon: FloatArray, lat: FloatArray, *, point: bool) -> FloatArray:  # rows: dist, lon, lat
        """Exact nearest distance; hull vertices suffice for targets the whole area lies beyond CONCAVE_M of.

        There the distance is concave along every geodesic through the
        area's geodesic convex hull (which lies in the cap round the area),
        so its minimum over the hull, and over the area, is at an extreme
        point: a hull vertex. Each vertex is bounded (Lambert's interval, and
        near the antipode ``d >= H - d(T', v)``); the vertex with the
        smallest lower bound is solved, then every vertex that can beat it.
        Targets the whole area lies within CONVEX_M of may be settled by one
        hull vertex (:meth:`_certified`); the rest take the candidate search.
        """
        hull = self._hull
        if hull is None:
            return self._extreme(lon, lat, farthest=False, point=point)
        h_lon, h_lat, h_vec, _, _ = hull
        z_lo, z_hi = self._z_range
        u = auxiliary_unit_vectors(lon, lat)
        lower, arc_t, cap = self._cap_lower(u)
        s_anti = np.minimum(np.pi - arc_t + cap, np.pi)  # the farthest the antipode T' is from the cap
        with np.errstate(invalid="ignore"):  # inf - inf where the antipode is far: no bound (NaN), fmax skips it
            lower = np.fmax(lower, HALF_MERIDIAN_M - _lambert_bounds(s_anti, -u[:, 2], z_lo, z_hi)[1]
                            - lambert_error_bound(s_anti))
        far = np.flatnonzero(lower > CONCAVE_M)
        result = np.empty((3, lon.size))
        if far.size:
            uf, cos_sigma = u[far], u[far] @ h_vec.T
            low, up = lambert_interval(cos_sigma, uf[:, 2:3], h_vec[None, :, 2])
            # Near the antipode Lambert's bound widens (211 m beyond 2.4 rad, none beyond 3.0): there the
            # bound through the antipode is the tighter one.
            wide = np.flatnonzero(cos_sigma.min(axis=1) < math.cos(2.4))
            low[wide] = np.maximum(low[wide], _antipode_lower(-cos_sigma[wide], -uf[wide, 2:3], h_vec[None, :, 2]))
            probe = np.argmin(low, axis=1)
            d_probe = geodesic_distance(lon[far], lat[far], h_lon[probe], h_lat[probe])
            rows, cols = np.nonzero(low <= np.minimum(d_probe, up.min(axis=1))[:, None])
            other = cols != probe[rows]
            rows, cols = rows[other], cols[other]
            dist = np.r_[geodesic_distance(lon[far[rows]], lat[far[rows]], h_lon[cols], h_lat[cols]), d_probe]
            rows, cols = np.r_[rows, np.arange(far.size)], np.r_[cols, probe]
            first = _best_per_row(rows, dist, farthest=False)
            r, c = far[rows[first]], cols[first]
            result[:, r] = np.vstack([dist[first], h_lon[c], h_lat[c]])
        rest = np.ones(lon.size, dtype=bool)
        rest[far] = False
        # Targets the whole area lies within CONVEX_M of (the distance is convex): one hull vertex may settle them.
        maybe = np.flatnonzero(rest & (lower <= CONVEX_M))
        done, found = self._certified(lon, lat, u, maybe[self._within_convex(u[maybe])], farthest=False)
        result[:, done] = found
        rest[done] = False
        if rest.any():
            result[:, rest] = self._extreme(lon[rest], lat[rest], farthest=False, point=point)
        return result

    def _farthest(self, lon: FloatArray, lat: FloatArray, *, point: bool) -> FloatArray:  # rows: dist, lon, lat
        """Exact farthest distance; hull vertices suffice for targets within CONVEX_M.

        Targets the whole area lies beyond CONCAVE_M of may be settled by one
        hull vertex (:meth:`_certified`); the rest take the candidate search.
        """
        hull = self._hull
        if hull is None:
            return self._extreme(lon, lat, farthest=True, point=point)
        h_lon, h_lat, h_vec, _, _ = hull
        u = auxiliary_unit_vectors(lon, lat)
        # Targets the whole cap lies beyond CONVEX_M of are far for every hull vertex: no need to bound each.
        cap_lower = self._cap_lower(u)[0]
        maybe = np.flatnonzero(cap_lower <= CONVEX_M)
        maybe = maybe[self._within_convex(u[maybe])]
        near = np.zeros(lon.size, dtype=bool)
        near[maybe] = True
        result = np.empty((3, lon.size))
        if maybe.size:
            um = u[maybe]
            low, up = lambert_interval(um @ h_vec.T, um[:, 2:3], h_vec[None, :, 2])
            rows, cols = np.nonzero(up >= low.max(axis=1)[:, None])
            if rows.size:
                rows = maybe[rows]
                dist = geodesic_distance(lon[rows], lat[rows], h_lon[cols], h_lat[cols])
                first = _best_per_row(rows, dist, farthest=True)
                r, c = rows[first], cols[first]
                result[:, r] = np.vstack([dist[first], h_lon[c], h_lat[c]])
        far = ~near
        # Targets the whole area lies beyond CONCAVE_M of (the distance is concave): one hull vertex may settle them.
        done, found = self._certified(lon, lat, u, np.flatnonzero(cap_lower > CONCAVE_M), farthest=True)
        result[:, done] = found
        far[done] = False
        if far.any():
            result[:, far] = self._extreme(lon[far], lat[far], farthest=True, point=point)
        return result

    def _certified(
        self, lon: FloatArray, lat: FloatArray, u: FloatArray, cand: IntArray, *, farthest: bool
    ) -> tuple[IntArray, FloatArray]:
        """Targets ``cand`` whose nearest (farthest) point one hull vertex is: their indices and 3 rows.

        The caller guarantees that the distance is convex (nearest: the
        whole area within :data:`CONVEX_M`) or concave (farthest: beyond
        :data:`CONCAVE_M`) along every geodesic through the area's hull. The
        hull vertex v nearest (farthest) on the auxiliary sphere is solved
        exactly; the distance's derivative leaving v in a direction at angle
        g from the direction to the target is exactly ``-cos g`` (first
        variation), so by convexity ``d(x) >= d(v) - cos(g) d(v, x)`` for
        every point x of the area, and by concavity ``d(x) <= d(v) -
        cos(g) d(v, x)``. If every direction from v into the area (its
        wedge, :attr:`_wedges`) is at least 90 degrees from the target's
        (nearest), or at most 90 degrees (farthest), no point of the area
        beats v: d(v) is the answer.
        """
        hull = self._hull
        if hull is None or cand.size == 0:
            return cand[:0], np.empty((3, 0))
        # The wedges cost 70 to 200 ns per (hull vertex, vertex) pair, a certificate saves about 6 us of
        # candidate search: they are built once enough targets have asked to pay for them.
        self._certify_asked += cand.size
        pairs = hull[0].size * self._edges.lon1.size
        if "_wedges" not in self.__dict__ and pairs > _WEDGE_PAIRS_PER_TARGET * self._certify_asked:
            return cand[:0], np.empty((3, 0))
        h_lon, h_lat, h_vec = hull[0], hull[1], hull[2]
        centre, half = self._wedges  # type: ignore[misc]  # not None with a hull
        cos_arc = u[cand] @ h_vec.T
        v = np.argmin(cos_arc, axis=1) if farthest else np.argmax(cos_arc, axis=1)
        ok = np.isfinite(half[v])
        if farthest:  # v well away from the target's antipode, where the distance has no derivative
            ok &= cos_arc[np.arange(cand.size), v] >= math.cos(LAMBERT_MAX_SIGMA)
        cand, v = cand[ok], v[ok]
        az, _, dist = WGS84.inv(h_lon[v], h_lat[v], lon[cand], lat[cand])
        off = np.abs(_wrap(np.radians(np.asarray(az)) - centre[v]))
        if farthest:
            good = off <= np.pi / 2.0 - half[v] - _CERTIFY_PAD
        else:
            good = off >= np.pi / 2.0 + half[v] + _CERTIFY_PAD
        v = v[good]
        return cand[good], np.vstack([np.asarray(dist)[good], h_lon[v], h_lat[v]])

    def _within_convex(self, u: FloatArray) -> NDArray[np.bool_]:
        """Whether every hull vertex is surely within CONVEX_M of each target (``u``: auxiliary unit vectors).

        The distance at arc sigma on the auxiliary sphere is at most
        Lambert's estimate plus its error bound, and the estimate at most
        ``a sigma`` (its correction terms are never negative); both grow with
        sigma, so the hull vertex at the largest arc bounds them all.
        """
        h_vec = self._hull[2]  # type: ignore[index]
        sigma = np.arccos(np.clip((u @ h_vec.T).min(axis=1, initial=1.0), -1.0, 1.0))
        return A_M * sigma + lambert_error_bound(sigma) < CONVEX_M

    def _cap_lower(self, u: FloatArray) -> tuple[FloatArray, FloatArray, float]:
        """Bound every point of the area's cap from targets ``u`` (auxiliary unit vectors), from below.

        Returns the lower bound (m; Lambert's over every latitude of the
        boundary, less its error bound), each target's arc to the cap's centre,
        and the cap's angular radius, widened by 1e-6 rad (6 m) for edge bulges.
        """
        _, _, _, cos_cap, centre = self._hull  # type: ignore[misc]
        z_lo, z_hi = self._z_range
        arc_t = np.arccos(np.clip(u @ centre, -1.0, 1.0))
        cap = math.acos(min(1.0, cos_cap)) + 1e-6
        s_out = np.maximum(arc_t - cap, 0.0)
        return _lambert_bounds(s_out, u[:, 2], z_lo, z_hi)[0] - lambert_error_bound(s_out), arc_t, cap

    def _extreme(self, lon: FloatArray, lat: FloatArray, *, farthest: bool, point: bool = True) -> FloatArray:
        """Exact nearest (farthest) boundary distance and point (3 rows) for targets outside (antipode outside)."""
        tree, samples, sample_edge, sample_other, h = self._index
        z_lo, z_hi = self._z_range
        n_samples = len(samples)
        u = auxiliary_unit_vectors(lon, lat)
        result = np.full((3, lon.size), np.nan)
        todo = np.arange(lon.size)
        exhaustive = np.zeros(lon.size, dtype=bool)
        for step, k in enumerate((*_K_STEPS, n_samples)):
            k = min(k, n_samples)
            if todo.size == 0 or (step and k <= _K_STEPS[step - 1]):
                break
            chord, idx = tree.query(np.ascontiguousarray(-u[todo] if farthest else u[todo]), k=k)
            chord, idx = chord.reshape(len(todo), k), idx.reshape(len(todo), k).astype(np.intp)
            # Candidate edges: both edges touching each sample, once each.
            edges = np.sort(np.concatenate([sample_edge[idx], sample_other[idx]], axis=1), axis=1)
            distinct = np.ones(edges.shape, dtype=bool)
            distinct[:, 1:] = edges[:, 1:] != edges[:, :-1]
            rows, cols = np.nonzero(distinct)
            pair_e = edges[rows, cols]
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            est, err, sigma = self._proxy(u[todo[rows]], pair_e, farthest=farthest)
            if farthest:
                bound = np.maximum.reduceat(est - err, starts)
                keep = est + err >= bound[rows]
            else:
                bound = np.minimum.reduceat(est + err, starts)
                keep = est - err <= bound[rows]
            # Completeness: what the k nearest samples left out cannot win.
            sigma_k = 2.0 * np.arcsin(np.clip(chord[:, -1] / 2.0, 0.0, 1.0))
            if k >= n_samples:
                complete = np.ones(len(todo), dtype=bool)
            elif farthest:
                s_out = np.pi - np.maximum(sigma_k - h, 0.0)
                _, upper = _lambert_bounds(s_out, u[todo, 2], z_lo, z_hi)
                complete = upper + lambert_error_bound(s_out) < bound
            else:
                s_out = np.maximum(sigma_k - h, 0.0)
                lower, _ = _lambert_bounds(s_out, u[todo, 2], z_lo, z_hi)
                complete = lower - lambert_error_bound(s_out) > bound
            # Near the antipode the proxy is not trusted at all.
            untrusted = np.logical_or.reduceat(keep & (sigma > LAMBERT_MAX_SIGMA), starts)
            exhaustive[todo[untrusted]] = True
            done = complete & ~untrusted
            sel = np.flatnonzero(keep & done[rows])
            if sel.size:
                rr, ee = rows[sel], pair_e[sel]
                g = todo[rr]
                t, dist = self._refine(lon, lat, u, g, ee, farthest=farthest)
                first = _best_per_row(rr, dist, farthest=farthest)
                result[0, todo[rr[first]]] = dist[first]
                if point:
                    e, ef = self._edges, ee[first]
                    plon, plat, _ = WGS84.fwd(e.lon1[ef], e.lat1[ef], e.azi1[ef], t[first])
                    result[1:, todo[rr[first]]] = np.vstack([plon, plat])
            todo = todo[~done & ~untrusted]
        ex = np.flatnonzero(exhaustive)
        if ex.size:
            result[:, ex] = self._exhaustive(lon[ex], lat[ex], farthest=farthest)
        return result

    def _refine(
        self, lon: FloatArray, lat: FloatArray, u: FloatArray, g: IntArray, ee: IntArray, *, farthest: bool
    ) -> tuple[FloatArray, FloatArray]:
        """Exact extremum on edge ``ee[i]`` for target ``g[i]``: (position m along the edge, distance m).

        Where the auxiliary-sphere extremum is an end vertex (the common case:
        the nearest point of a country is mostly a corner), one exact inverse
        problem from the vertex settles it when the distance is convex along
        the whole edge (nearest, within :data:`CONVEX_M`; farthest, beyond
        :data:`CONCAVE_M`, where it is concave): the derivative of the
        distance moving into the edge is exactly ``-cos`` of the angle between
        the edge and the direction to the target (first variation), and if it
        points the wrong way for an improvement, no point of the edge
        improves on the vertex. Two edges sharing the vertex share that one
        solution. Every other pair is refined by
        :func:`~geo.geodesy.ellipsoid.extremum_on_geodesic`.
        """
        e = self._edges
        length = e.length_m[ee]
        t = self._foot(u[g], ee, farthest=farthest)
        dist = np.empty(ee.size)
        at_start, at_end = t <= 0.0, (t >= length) & (length > 0.0)
        ends = np.flatnonzero(at_start | at_end)
        settled = np.zeros(ee.size, dtype=bool)
        if ends.size:
            start = at_start[ends]
            vertex = np.where(start, ee[ends], e.next_edge[ee[ends]])
            inward = np.where(start, e.azi1[ee[ends]], e.back2[ee[ends]])
            key = g[ends].astype(np.int64) * e.length_m.size + vertex
            uniq, back = np.unique(key, return_inverse=True)
            tg, tv = uniq // e.length_m.size, uniq % e.length_m.size
            az, _, dv = WGS84.inv(e.lon1[tv], e.lat1[tv], lon[tg], lat[tg])
            az, dv = np.asarray(az)[back], np.asarray(dv)[back]
            slope = -np.cos(np.radians(az - inward))  # d(distance)/d(metres into the edge)
            if farthest:
                ok = (slope <= 0.0) & (dv - length[ends] > CONCAVE_M)
            else:
                ok = (slope >= 0.0) & (dv + length[ends] < CONVEX_M)
            dist[ends[ok]] = dv[ok]
            settled[ends[ok]] = True
        rest = np.flatnonzero(~settled)
        if rest.size:
            er, gr = ee[rest], g[rest]
            t[rest], dist[rest] = extremum_on_geodesic(
                e.lon1[er], e.lat1[er], e.azi1[er], length[rest], lon[gr], lat[gr], t[rest], farthest=farthest
            )
        return np.clip(t, 0.0, length), dist

    def _proxy(self, u: FloatArray, edge: IntArray, *, farthest: bool) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Estimate each (target, edge) pair's extremum with Lambert's formula.

        ``u`` is (n, 3) and ``edge`` (n,), one pair per row. Returns the
        estimate (m), its error bound (m) and its arc on the auxiliary sphere
        (rad). The nearest point of the great-circle arc to ``w`` (``u``, or
        ``-u`` for the farthest point) is the normalised projection of ``w``
        on the arc's plane when that falls between the end points, else the
        nearer end point.
        """
        w = -u if farthest else u
        w0, w1, w2 = w[:, 0], w[:, 1], w[:, 2]
        # One gather of the edges' rows: u1, ortho, u2, sin and cos of the arc, arc > 0.
        a0, a1, a2, o0, o1, o2, b0, b1, b2, sin_arc, cos_arc, proper = self._edge_rows.take(edge, axis=1)
        x = w0 * a0 + w1 * a1 + w2 * a2
        y = w0 * o0 + w1 * o1 + w2 * o2
        xb = w0 * b0 + w1 * b1 + w2 * b2
        interior = (y >= 0.0) & (sin_arc * x - cos_arc * y >= 0.0) & (proper > 0.0)
        r = np.sqrt(x * x + y * y)
        with np.errstate(invalid="ignore", divide="ignore"):
            z_in = (x * a2 + y * o2) / r
        first = x >= xb
        cos_w = np.where(interior, r, np.where(first, x, xb))
        z_foot = np.where(interior, z_in, np.where(first, a2, b2))
        cos_sigma = np.clip(-cos_w if farthest else cos_w, -1.0, 1.0)
        sigma = np.arccos(cos_sigma)
        est = lambert_distance(cos_sigma, u[:, 2], z_foot, sigma=sigma)
        return est, lambert_error_bound(sigma), sigma

    @cached_property
    def _edge_rows(self) -> FloatArray:
        """Per edge, a column for a single gather: u1, ortho, u2, sin and cos of the arc, 1.0 if the arc > 0."""
        e = self._edges
        return np.vstack([e.u1.T, e.ortho.T, e.u2.T, np.sin(e.arc), np.cos(e.arc), (e.arc > 0.0).astype(float)])

    def _foot(self, u: FloatArray, edge: IntArray, *, farthest: bool) -> FloatArray:
        """Position (m along the edge) of the auxiliary-sphere extremum: the refinement's start."""
        e = self._edges
        w = -u if farthest else u
        x = np.einsum("ij,ij->i", w, e.u1[edge])
        y = np.einsum("ij,ij->i", w, e.ortho[edge])
        arc = e.arc[edge]
        alpha = np.clip(np.arctan2(y, x), 0.0, arc)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(arc > 0.0, alpha / arc, 0.0)
        return frac * e.length_m[edge]

    @cached_property
    def _groups(self) -> tuple[IntArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        """Runs of :data:`_GROUP` consecutive edges, each in a ball round a pivot.

        Returns the group of each edge, the pivots' lon and lat, each group's
        radius (m), and each edge's own reach from its group's pivot (m).

        The pivot is the first vertex of the run's middle edge, so it lies on
        the boundary. The radius bounds the exact distance from the pivot to
        every point of the run's edges: a point ``t`` metres along an edge of
        length ``L`` is within ``min(d1 + t, d2 + L - t) <= (d1 + d2 + L) / 2``
        of the pivot by the triangle inequality (``d1``, ``d2``: the pivot's
        distances to the edge's ends).
        """
        e = self._edges
        n = e.length_m.size
        group = np.arange(n) // _GROUP
        mid = np.minimum(np.arange(0, n, _GROUP) + _GROUP // 2, n - 1)
        plon, plat = e.lon1[mid], e.lat1[mid]
        d1 = geodesic_distance(plon[group], plat[group], e.lon1, e.lat1)
        d2 = geodesic_distance(plon[group], plat[group], e.lon2, e.lat2)
        extent = (d1 + d2 + e.length_m) / 2.0 * (1.0 + 1e-12) + 1e-3
        radius = np.zeros(mid.size)
        np.maximum.at(radius, group, extent)
        return group, plon, plat, radius, extent

    def _exhaustive(self, lon: FloatArray, lat: FloatArray, *, farthest: bool) -> FloatArray:
        """Exact extremum (3 rows: distance, lon, lat) over every edge the group balls cannot exclude."""
        plon = self._groups[1]
        out = np.empty((3, lon.size))
        step = max(1, 1_000_000 // max(1, plon.size))
        for s in range(0, lon.size, step):
            sl = slice(s, s + step)
            out[:, sl] = self._exhaustive_chunk(lon[sl], lat[sl], farthest=farthest)
        return out

    def _exhaustive_chunk(self, lon: FloatArray, lat: FloatArray, *, farthest: bool) -> FloatArray:
        group, plon, plat, radius, extent = self._groups
        ua = -auxiliary_unit_vectors(lon, lat)
        pv = auxiliary_unit_vectors(plon, plat)
        if farthest:
            # Upper bounds without solving, through the antipode: d(T, x) <= H - d(T', x) + ANTIPODE_DEFECT_M,
            # and d(T', x) >= d(T', pivot) - radius, Lambert's lower bound from T'. The most promising pivot
            # is solved; a group whose bound cannot reach it is skipped whole. The others' pivots are solved:
            # the best pivot is a boundary point, so it bounds the answer, and a group whose ball (pivot
            # distance plus radius) cannot beat it is skipped too.
            low_a = lambert_interval(ua @ pv.T, ua[:, 2:3], pv[None, :, 2])[0] - radius[None, :]
            probe_g = np.argmin(low_a, axis=1)
            d_probe = geodesic_distance(lon, lat, plon[probe_g], plat[probe_g])
            reach = HALF_MERIDIAN_M - low_a + ANTIPODE_DEFECT_M >= d_probe[:, None]
            reach[np.arange(lon.size), probe_g] = False  # solved already
            rows, groups = np.nonzero(reach)
            dp = geodesic_distance(lon[rows], lat[rows], plon[groups], plat[groups])
            rows, groups, dp = np.r_[rows, np.arange(lon.size)], np.r_[groups, probe_g], np.r_[dp, d_probe]
            best = d_probe.copy()
            np.maximum.at(best, rows, dp)
            ball = dp + radius[groups] >= best[rows]
            rows, groups, dp = rows[ball], groups[ball], dp[ball]
        else:
            # Lower bounds without solving, through the antipode (_antipode_lower). A group is skipped
            # whole when its bound (pivot bound less the ball radius) exceeds the exact distance of the
            # most promising pivot.
            low_g = _antipode_lower(ua @ pv.T, ua[:, 2:3], pv[None, :, 2]) - radius[None, :]
            probe_g = np.argmin(low_g, axis=1)
            upper = geodesic_distance(lon, lat, plon[probe_g], plat[probe_g])
            rows, groups = np.nonzero(low_g <= upper[:, None])
        starts = np.searchsorted(group, groups)
        counts = np.searchsorted(group, groups, side="right") - starts
        rr = np.repeat(rows, counts)
        ee = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        if farthest:
            # Each edge on its own: no point of it is farther than its pivot's distance plus its reach.
            keep = np.repeat(dp, counts) + extent[ee] >= best[rr]
            return self._exhaustive_edges(lon, lat, rr[keep], ee[keep], farthest=True)
        out, done = self._concave_nearest(lon, lat, ua, upper, rr, ee)
        if done.all():
            return out
        # Targets whose candidate edges are not all concave (never met in practice: a target this far from
        # the nearest point of a part sees the whole part nearly antipodal): the edge search, for them alone.
        keep = ~done[rr]
        rest = np.flatnonzero(~done)
        remap = np.full(lon.size, -1)
        remap[rest] = np.arange(rest.size)
        out[:, rest] = self._exhaustive_edges(lon[rest], lat[rest], remap[rr[keep]], ee[keep], farthest=False)
        return out

    def _concave_nearest(
        self, lon: FloatArray, lat: FloatArray, ua: FloatArray, upper: FloatArray, rr: IntArray, ee: IntArray
    ) -> tuple[FloatArray, NDArray[np.bool_]]:
        """Nearest vertex per target (3 rows) and which targets it settles: those whose candidate edges are concave.

        ``rr``, ``ee`` (sorted by target) are the candidate (target, edge) pairs, ``upper`` an exact
        distance to a boundary point per target, ``ua`` the targets' antipodes (auxiliary unit vectors).
        Beyond :data:`CONCAVE_M` the distance is concave along an edge, so its minimum is at a vertex:
        the vertices (each edge's start, and the end of each run of consecutive edges) are bounded
        below by the half-meridian argument, one per target is solved, and only those that can
        beat it are solved too. No (target, vertex) pair is sorted or deduplicated.
        """
        e = self._edges
        run_end = np.r_[(rr[1:] != rr[:-1]) | (ee[1:] != ee[:-1] + 1), True]
        vr = np.r_[rr, rr[run_end]]
        vv = np.r_[ee, e.next_edge[ee[run_end]]]
        order = np.argsort(vr, kind="stable")
        vr, vv = vr[order], vv[order]
        low = _antipode_lower(np.einsum("ij,ij->i", ua[vr], e.u1[vv]), ua[vr, 2], e.u1[vv, 2])
        seg = np.r_[0, np.cumsum(vr[1:] != vr[:-1])]
        starts = np.flatnonzero(np.r_[True, vr[1:] != vr[:-1]])
        probe = _first_min(low, seg, starts)
        d_probe = geodesic_distance(lon[vr[probe]], lat[vr[probe]], e.lon1[vv[probe]], e.lat1[vv[probe]])
        dist = np.full(vr.size, np.inf)
        dist[probe] = d_probe
        bound = np.minimum(upper[vr[probe]], d_probe)[seg]
        solve = np.flatnonzero((low <= bound) & np.isinf(dist))
        if solve.size:
            dist[solve] = geodesic_distance(lon[vr[solve]], lat[vr[solve]], e.lon1[vv[solve]], e.lat1[vv[solve]])
        best = _first_min(dist, seg, starts)
        out = np.empty((3, lon.size))
        tv = vr[best]
        out[:, tv] = np.vstack([dist[best], e.lon1[vv[best]], e.lat1[vv[best]]])
        # Settled where every candidate edge is concave: a lower bound of its ends less its length clears CONCAVE_M.
        d_low = np.where(np.isinf(dist), low, dist)
        worst = np.minimum.reduceat(d_low, starts) - float(e.length_m.max(initial=0.0))
        done = np.zeros(lon.size, dtype=bool)
        done[tv] = worst > CONCAVE_M
        return out, done

    def _exhaustive_edges(
        self, lon: FloatArray, lat: FloatArray, rr: IntArray, ee: IntArray, *, farthest: bool
    ) -> FloatArray:
        """Return the exhaustive extremum over candidate (target ``rr``, edge ``ee``) pairs, searching edges."""
        e = self._edges
        # One exact solution per (target, vertex), from the vertex: the distance and the direction to the target.
        n_edges, m = e.length_m.size, ee.size
        key, back = np.unique(np.r_[rr, rr].astype(np.int64) * n_edges + np.r_[ee, e.next_edge[ee]],
                              return_inverse=True)
        vr, vv = key // n_edges, key % n_edges
        az, _, dv = WGS84.inv(e.lon1[vv], e.lat1[vv], lon[vr], lat[vr])
        az, dv = np.asarray(az), np.asarray(dv)
        d1, d2 = dv[back[:m]], dv[back[m:]]
        first = _best_per_row(vr, dv, farthest=farthest)  # best vertex per target
        out = np.empty((3, lon.size))
        out[:, vr[first]] = np.vstack([dv[first], e.lon1[vv[first]], e.lat1[vv[first]]])
        best = np.empty(lon.size)
        best[vr[first]] = dv[first]
        length = e.length_m[ee]
        # Beyond CONCAVE_M the distance is concave along the edge: a minimum is at a vertex, and a maximum
        # is inside only if the distance rises into the edge from both ends (derivative -cos, as in _refine).
        concave = np.minimum(d1, d2) - length > CONCAVE_M
        if farthest:
            # Triangle inequality: no edge point exceeds (d1 + d2 + L) / 2.
            rising = (-np.cos(np.radians(az[back[:m]] - e.azi1[ee])) > 0.0) & (
                -np.cos(np.radians(az[back[m:]] - e.back2[ee])) > 0.0
            )
            cand = np.flatnonzero(((d1 + d2 + length) / 2.0 > best[rr]) & (rising | ~concave) & (length > 0.0))
        else:
            cand = np.flatnonzero(((d1 + d2 - length) / 2.0 < best[rr]) & ~concave & (length > 0.0))
        if cand.size:
            r_c, e_c = rr[cand], ee[cand]
            vals, ts = _golden_section(e, e_c, lon[r_c], lat[r_c], farthest=farthest)
            pick = _best_per_row(r_c, vals, farthest=farthest)
            r, c, v, t = r_c[pick], e_c[pick], vals[pick], ts[pick]
            better = v > best[r] if farthest else v < best[r]
            r, c, v, t = r[better], c[better], v[better], t[better]
            x, y, _ = WGS84.fwd(e.lon1[c], e.lat1[c], e.azi1[c], t)
            out[:, r] = np.vstack([v, x, y])
        return out


def _wrap(angle: FloatArray) -> FloatArray:
    """Angles (rad) wrapped to [-pi, pi)."""
    return (angle + np.pi) % (2.0 * np.pi) - np.pi


def _first_min(values: FloatArray, seg: IntArray, starts: IntArray) -> IntArray:
    """Index of the smallest value of each segment (``seg``: segment of each value; ``starts``: first index of each)."""
    low = np.minimum.reduceat(values, starts)
    hit = np.flatnonzero(values == low[seg])
    return hit[np.r_[True, seg[hit][1:] != seg[hit][:-1]]]


def _antipode_lower(cos_anti: FloatArray, z_anti: FloatArray, z_v: FloatArray) -> FloatArray:
    """Bound the distance (m) from targets to points ``v`` from below, through the targets' antipodes T'.

    Every pair of antipodes is the half meridian H apart (the shortest path
    is a meridian), so ``d(T, v) >= H - d(T', v)``, and near the antipode
    ``d(T', v)`` is short, at most Lambert's estimate plus its error bound.
    ``cos_anti`` is the cosine of the arc from T' to v on the auxiliary
    sphere, ``z_anti`` and ``z_v`` their vectors' z components.
    """
    return HALF_MERIDIAN_M - lambert_interval(cos_anti, z_anti, z_v)[1]


def _best_per_row(rows: IntArray, dist: FloatArray, *, farthest: bool) -> IntArray:
    """Index of the best pair (smallest or largest ``dist``) of each distinct value in ``rows``."""
    order = np.lexsort((-dist if farthest else dist, rows))
    r = rows[order]
    return order[np.r_[True, r[1:] != r[:-1]]]


def _lambert_bounds(
    sigma: FloatArray, sin_beta: FloatArray, z_lo: float, z_hi: float
) -> tuple[FloatArray, FloatArray]:
    """Bound Lambert's formula over every point at arc ``sigma`` from a target.

    Parameters
    ----------
    sigma : ndarray
        Arc on the auxiliary sphere (rad).
    sin_beta : ndarray
        Sine of the target's reduced latitude.
    z_lo, z_hi : float
        Range of the sine of the reduced latitude over the boundary.

    Returns
    -------
    lower, upper : ndarray
        Bounds (m) of ``a (sigma - f/2 (X + Y))`` over every second point
        whose reduced-latitude sine ``s2`` lies in ``[z_lo, z_hi]`` and within
        ``sigma`` of the target's. ``X + Y`` is ``Xc p^2 + Yc q^2`` with
        ``p = (s1 + s2)/2`` and ``q = (s2 - s1)/2``, a convex quadratic in
        ``s2``: its maximum is at an end of the interval, its minimum at the
        clipped vertex.
    """
    s1 = sin_beta
    beta1 = np.arcsin(np.clip(s1, -1.0, 1.0))
    lo = np.maximum(z_lo, np.sin(np.maximum(beta1 - sigma, -np.pi / 2)))
    hi = np.minimum(z_hi, np.sin(np.minimum(beta1 + sigma, np.pi / 2)))
    empty = lo > hi
    lo = np.where(empty, z_lo, lo)
    hi = np.where(empty, z_hi, hi)
    c = np.cos(sigma)
    sn = np.sin(sigma)
    with np.errstate(divide="ignore", invalid="ignore"):
        xc = (sigma - sn) / (0.5 * (1.0 + c))
        yc = (sigma + sn) / (0.5 * (1.0 - c))
        vertex = np.clip(s1 * (yc - xc) / (xc + yc), lo, hi)

    def quad(s2: FloatArray) -> FloatArray:
        with np.errstate(invalid="ignore", over="ignore"):
            v = xc * (0.5 * (s1 + s2)) ** 2 + yc * (0.5 * (s2 - s1)) ** 2
        # sigma -> 0: Yc q^2 -> 2 sigma (q/sigma)^2 stays finite; 0/0 is 0 here.
        return np.where(np.isfinite(v), v, np.where(sigma < 1.0, 0.0, np.inf))

    worst = np.maximum(quad(lo), quad(hi))
    least = np.minimum(quad(vertex), np.minimum(quad(lo), quad(hi)))
    return A_M * (sigma - 0.5 * FLATTENING * worst), A_M * (sigma - 0.5 * FLATTENING * least)


def _golden_section(
    e: _Edges, cand: IntArray, lon: FloatArray, lat: FloatArray, *, farthest: bool
) -> tuple[FloatArray, FloatArray]:
    """Golden-section search for the extremum of the exact distance along each candidate edge.

    Returns the extreme distance on each edge and its position (m along the edge).
    """
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    a = np.zeros(cand.size)
    b = e.length_m[cand].copy()
    lon1, lat1, azi1 = e.lon1[cand], e.lat1[cand], e.azi1[cand]
    tl = np.broadcast_to(np.asarray(lon, dtype=float), cand.shape)
    tt = np.broadcast_to(np.asarray(lat, dtype=float), cand.shape)
    sign = -1.0 if farthest else 1.0

    def f(t: FloatArray, m: NDArray[np.bool_] | slice = slice(None)) -> FloatArray:
        x, y, _ = WGS84.fwd(lon1[m], lat1[m], azi1[m], t)
        return sign * np.asarray(WGS84.inv(x, y, tl[m], tt[m])[2])

    c = b - ratio * (b - a)
    d = a + ratio * (b - a)
    fc, fd = f(c), f(d)
    # The bracket shrinks by 0.618 a step, from the longest edge down to 0.1 mm (60 steps for 20,000 km).
    longest = float(b.max()) if b.size else 0.0
    steps = min(60, max(0, math.ceil(math.log(1e-4 / max(longest, 1e-4)) / math.log(ratio))))
    for _ in range(steps):
        left = fc < fd
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        d_new = np.where(left, c, a + ratio * (b - a))
        c_new = np.where(left, b - ratio * (b - a), d)
        fd_new = np.where(left, fc, np.nan)
        fc_new = np.where(left, np.nan, fd)
        need_c = np.isnan(fc_new)
        need_d = ~need_c  # each edge needs one new value a step: at c or at d
        if need_c.any():
            fc_new[need_c] = f(c_new[need_c], need_c)
        if need_d.any():
            fd_new[need_d] = f(d_new[need_d], need_d)
        c, d, fc, fd = c_new, d_new, fc_new, fd_new
    zero = np.zeros(cand.size)
    values = np.stack([f(zero), f(e.length_m[cand]), fc, fd])
    where = np.stack([zero, e.length_m[cand], c, d])
    k = values.argmin(axis=0)
    cols = np.arange(cand.size)
    return sign * values[k, cols], where[k, cols]


def _route_rings(geometry: BaseGeometry, name: str) -> list[list[np.ndarray]]:
    """Return each line of a route as one degenerate ring that runs out along it and back: [[(m, 2) lon/lat]].

    The ring ``v0 .. vn .. v1`` has every edge of the line twice (once each way) and no other
    point, so the boundary engine's nearest and farthest boundary point is the route's.
    """
    if isinstance(geometry, shapely.LineString):
        lines = [geometry]
    elif isinstance(geometry, shapely.MultiLineString):
        lines = list(geometry.geoms)
    else:
        raise InvalidGeometryError(f"{name} must be a LineString or MultiLineString (shapely, lon/lat), "
                                   f"got {type(geometry).__name__}")
    parts = []
    for k, line in enumerate(lines, start=1):
        where = f"{name}, line {k}" if len(lines) > 1 else name
        xy = shapely.get_coordinates(line).astype(float)
        if len(xy) == 0:
            raise InvalidGeometryError(f"{where}: the line is empty; a route needs at least two distinct vertices")
        check_lonlat(xy[:, 0], xy[:, 1], what=f"{where} vertex")
        keep = np.r_[True, np.any(xy[1:] != xy[:-1], axis=1)]
        xy = xy[keep]
        if len(xy) < 2:
            raise InvalidGeometryError(f"{where}: a single position ({xy[0, 1]:g}, {xy[0, 0]:g} as lat, lon); "
                                       "a route needs at least two distinct vertices")
        _, _, length = WGS84.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
        long = np.flatnonzero(np.asarray(length) > ROUTE_EDGE_MAX_M)
        if long.size:
            i = int(long[0])
            raise InvalidGeometryError(
                f"{where}: edge {i + 1} from ({xy[i, 1]:g}, {xy[i, 0]:g}) to ({xy[i + 1, 1]:g}, {xy[i + 1, 0]:g}) "
                f"(lat, lon) is {float(length[i]) / 1000:,.0f} km long: ends this close to antipodal do not fix "
                "one geodesic; add a vertex on the way"
            )
        parts.append([np.concatenate([xy, xy[-2:0:-1]])])
    if not parts:
        raise InvalidGeometryError(f"{name} is empty")
    return parts


@dataclass(eq=False)
class LaunchLine(LaunchArea):
    """A launch route prepared for exact distance queries: every point of a (Multi)LineString.

    Each edge is the geodesic between its vertices (the shortest path: a leg
    from 170E to 170W crosses the antimeridian, one from 80N 0E to 80N 180E
    passes over the pole). A route is a boundary without interior: the
    engine of :class:`LaunchArea` runs on each line as a ring that goes out
    along it and back, and nothing is inside it, so the nearest and the
    farthest distances are exact distances to points of the line (within
    0.1 mm, as for an area's boundary).

    Parameters
    ----------
    geometry : shapely.LineString or shapely.MultiLineString
        Longitude/latitude in degrees (EPSG:4326). Longitudes need no
        splitting at the antimeridian: each edge is the shortest geodesic.
    name : str, optional
        A label used in messages.

    Raises
    ------
    InvalidGeometryError
        For another geometry type, an empty line, a line with fewer than two
        distinct vertices, or an edge longer than :data:`ROUTE_EDGE_MAX_M`
        (nearly antipodal ends).
    InvalidCoordinateError
        For a vertex that is not finite or out of range.

    Examples
    --------
    >>> route = LaunchLine(shapely.LineString([(170.0, 50.0), (-170.0, 50.0)]))
    >>> lo, hi = route.distances([180.0], [50.0])
    >>> f"{lo[0] / 1000:.1f} {hi[0] / 1000:.1f}"
    '48.1 716.4'
    """

    name: str = "launch route"

    def __post_init__(self) -> None:
        self._parts = _route_rings(self.geometry, self.name)

    @cached_property
    def _inside_geometry(self) -> BaseGeometry:
        return shapely.Polygon()  # a line covers no area: no target is inside it

    def _covers(self, lon: FloatArray, lat: FloatArray) -> NDArray[np.bool_]:
        return np.zeros(np.shape(lon), dtype=bool)

    @cached_property
    def segments(self) -> tuple[FloatArray, FloatArray, IntArray]:
        """Per route edge (in the order of the lines): start and end auxiliary unit vectors, and its line."""
        starts, ends, line = [], [], []
        for k, (ring,) in enumerate(self._parts):
            m = (len(ring) + 2) // 2  # the line's own vertices
            xy = ring[:m]
            starts.append(auxiliary_unit_vectors(xy[:-1, 0], xy[:-1, 1]))
            ends.append(auxiliary_unit_vectors(xy[1:, 0], xy[1:, 1]))
            line.append(np.full(m - 1, k, dtype=np.intp))
        return np.concatenate(starts), np.concatenate(ends), np.concatenate(line)

    def segment_at(self, lon: ArrayLike, lat: ArrayLike) -> IntArray:
        """Return the index of the route edge (counted over all lines, from 0) each point lies on or nearest.

        For naming where a nearest point lies (``via``): the edge whose great
        circle arc on the auxiliary sphere passes nearest, which for a point
        of the route is its own edge (within centimetres of a shared vertex).
        """
        u = auxiliary_unit_vectors(np.ravel(lon), np.ravel(lat)).reshape(-1, 3)
        a, b, _ = self.segments
        n = np.cross(a, b)
        norm = np.linalg.norm(n, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            n = n / norm[:, None]
        # Distance (as a chord-like angle) from each point to each arc: to its plane if the foot lies between the
        # ends, else to the nearer end.
        cos_a, cos_b = u @ a.T, u @ b.T
        ends = np.arccos(np.clip(np.maximum(cos_a, cos_b), -1.0, 1.0))
        s = u @ n.T
        foot = u[:, None, :] - s[:, :, None] * n[None, :, :]
        between = (np.einsum("ijk,jk->ij", foot, np.cross(n, a)) >= 0.0) & (
            np.einsum("ijk,jk->ij", foot, np.cross(b, n)) >= 0.0)
        plane = np.abs(np.arcsin(np.clip(s, -1.0, 1.0)))
        dist = np.where(between & (norm[None, :] > 0.0), plane, ends)
        return np.argmin(dist, axis=1).astype(np.intp)


def distances_to_points(
    lon: ArrayLike, lat: ArrayLike, site_lon: Sequence[float] | ArrayLike, site_lat: Sequence[float] | ArrayLike
) -> FloatArray:
    """Return the geodesic distance in METRES from every target to every launch point, (LON, LAT) order: internal.

    The public function is ``geo.geodesic_distance_km`` (latitude first, km),
    which broadcasts: ``geodesic_distance_km(lat[:, None], lon[:, None],
    site_lat, site_lon)`` is this matrix in km.

    Parameters
    ----------
    lon, lat : array_like, shape (n,)
        Targets in degrees.
    site_lon, site_lat : array_like, shape (m,)
        Launch points in degrees.

    Returns
    -------
    ndarray, shape (n, m)
        Exact WGS84 distances in metres.
    """
    lon_a, lat_a = check_lonlat(lon, lat, what="target")
    slon, slat = check_lonlat(site_lon, site_lat, what="launch point")
    lon_a, lat_a, slon, slat = lon_a.ravel(), lat_a.ravel(), slon.ravel(), slat.ravel()
    return geodesic_distance(lon_a[:, None], lat_a[:, None], slon[None, :], slat[None, :])

