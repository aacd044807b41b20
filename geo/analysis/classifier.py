"""Many targets at once: exact statuses for millions of points in bounded memory.

:func:`geo.analysis.bands.reach_table` computes every target's exact nearest and
farthest distance, which costs tens of exact geodesic solutions per target.
Most targets of a large set are nowhere near a range threshold, and their
status needs far less. :class:`Classifier` screens them first:

Screening
---------
Each launch-area part is enclosed in a ball: a centre ``C`` and a radius
``rho`` that bounds the farthest distance from ``C`` to the part, from exact
distances to its vertices (:func:`_find_ball`), plus :data:`SCREEN_SLACK_M`;
the balls of nearby small parts are enclosed in one ball again
(:func:`_group_balls`, each found once per part). By the
triangle inequality of the geodesic metric, every point of the part lies
within ``d(T, C) +- rho`` of a target ``T``, so its nearest and farthest
distances to the part both lie in ``[d(T, C) - rho, d(T, C) + rho]``.
``d(T, C)`` itself is bounded without solving the inverse problem: first by
``b sigma <= d <= a sigma`` (:func:`_arc_interval`, one ``arccos``), then,
for the targets that leaves, by Lambert's formula plus or minus its error
bound (:func:`~geo.geodesy.ellipsoid.lambert_error_bound`, the envelope
measured on 4 million pairs, doubled, plus 1 m), and near the antipode of
``C``, where that bound fails, ``H - d(T', C)`` with ``T'`` the target's
antipode and ``H`` the half meridian. A few vector operations per target then decide the two
questions a status rests on (nearest ``<= max``, farthest ``>= min``) unless a
threshold falls inside the interval. Launch points are screened the same way
with ``rho = 0``. The targets the screen cannot decide (a strip ``2 rho`` wide
around each threshold circle, a few per cent of the Earth for Belarus) get
a second screen where a part is large, and then the exact nearest and
farthest distances of :mod:`geo.geodesy.distance`, and
:func:`geo.analysis.status.classify`.

Large parts
-----------
One ball round Russia's mainland is 4,400 km wide: its strip covers most of
Eurasia. A part whose ball is wider than :data:`COVER_FROM_M` is also covered
by small balls that hold its boundary: its edges are grouped by the
:data:`COVER_CELL_M` cell their start lies in, each group's ball centred at
the mean of its starts with the radius ``max(d(C, v1), d(C, v2)) + L / 2``
over its edges (exact distances to both ends; every point of an edge of
length ``L`` is within ``L / 2`` of one end). A target outside the part is
nearest to its boundary, so ``min(d(T, C_i) - r_i) <= nearest <=
min(d(T, C_i) + r_i)`` (each ball holds a vertex); a target whose
antipode lies outside it is farthest from its boundary, with the same
bounds taken as maxima; inside, the nearest distance is 0, and with the
antipode inside the farthest is the half meridian (the inside test is the
exact engine's own). The strips shrink to the width of a small ball.

So a status from :meth:`Classifier.status` is exactly the status of
:func:`geo.analysis.bands.reach_table`: the screen only ever decides targets whose
bounds clear a threshold by a proven error bound plus :data:`SCREEN_SLACK_M`,
far beyond the engine's sub-millimetre error; the exact engine relies on the
same bound to choose its candidate edges. For Belarus and random points
worldwide, a status takes about 0.1 exact solutions per target. The tests
compare the two on random points and on points metres from each threshold.

Chunks
------
Targets are processed in chunks of :data:`CHUNK` (memory stays proportional
to the chunk, not to the input), on ``workers`` threads: pyproj's geodesic
solver, the KD-tree and shapely release the GIL, so two threads run about
1.7 times as fast as one on two cores.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geo.analysis.bands import RangeBand, name_route_legs, source_intervals
from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchSource
from geo.analysis.status import classify, codes_of
from geo.errors import InvalidRangeError
from geo.geodesy.distance import LaunchArea
from geo.geodesy.ellipsoid import (
    A_M,
    FLATTENING,
    HALF_MERIDIAN_M,
    antipode,
    auxiliary_direction,
    auxiliary_unit_vectors,
    check_lonlat,
    geodesic_distance,
    lambert_interval,
)

__all__ = ["CHUNK", "SCREEN_SLACK_M", "Classifier"]

FloatArray = NDArray[np.float64]
Codes = NDArray[np.int8]
Progress = Callable[[int], None]

CHUNK: Final = 65_536
"""Targets per chunk: large enough to amortise numpy's per-call cost, small
enough that a chunk's temporaries stay in the tens of megabytes."""

SCREEN_SLACK_M: Final = 1.0
"""Added to every ball radius: a screened verdict clears its threshold by at
least this much, far beyond the exact engine's error (under 1 mm)."""

COVER_FROM_M: Final = 500_000.0
"""Parts whose ball is wider than this (radius) are also covered by small balls (see Large parts)."""

COVER_CELL_M: Final = 200_000.0
"""Side of the cells (on the unit sphere, scaled by 6,371 km) that group a large part's edges into balls."""

B_M: Final = A_M * (1.0 - FLATTENING)
_ARC_SLACK_M: Final = 1.0  # an arc read from a rounded dot product: off by up to 1.5e-8 rad (0.1 m) near 0 and pi
_COVER_BLOCK: Final = 2048  # targets per block of the second screen (blocks x balls temporaries)
_PAIRS_PER_BLOCK: Final = 1 << 20  # (target, ball) pairs bounded at once: a few 8 MB temporaries



@dataclass(frozen=True)
class _Ball:
    """A geodesic ball that contains a launch-area part."""

    lon: float
    lat: float
    radius_m: float


_BALLS: weakref.WeakKeyDictionary[LaunchArea, _Ball] = weakref.WeakKeyDictionary()
_COVERS: weakref.WeakKeyDictionary[LaunchArea, _Cover] = weakref.WeakKeyDictionary()


def _ball(area: LaunchArea) -> _Ball:
    """Return a ball around ``area`` (see :func:`_find_ball`), found once per area (each band's classifier asks)."""
    if area not in _BALLS:
        _BALLS[area] = _find_ball(area)
    return _BALLS[area]


def _find_ball(area: LaunchArea) -> _Ball:
    """Return a ball around ``area``: centre at the mean direction of its boundary.

    The radius is :meth:`~geo.geodesy.distance.LaunchArea.radius_bound`:
    from exact distances to the vertices, with no prepared engine for the
    many small parts of an archipelago.
    """
    e = area._edges
    centre = e.u1.mean(axis=0)
    if float(np.linalg.norm(centre)) < 1e-9:  # a part spread around the globe: any centre will do, the radius says so
        lon, lat = float(e.lon1[0]), float(e.lat1[0])
    else:
        lon, lat = (float(v) for v in auxiliary_direction(centre))
    return _Ball(lon, lat, min(area.radius_bound(lon, lat) + SCREEN_SLACK_M, HALF_MERIDIAN_M))


def _group_balls(balls: list[_Ball]) -> list[_Ball]:
    """Return balls that each hold the balls of nearby small parts (an archipelago's islands), large ones alone.

    A group's centre is the mean of its members' and its radius the largest
    ``d(C, c_i) + r_i`` (exact distances): every member lies inside.
    """
    if len(balls) < 2:
        return list(balls)
    vec = auxiliary_unit_vectors([b.lon for b in balls], [b.lat for b in balls]).reshape(-1, 3)
    radius = np.array([b.radius_m for b in balls])
    small = radius < COVER_CELL_M
    cell = np.floor(vec / (COVER_CELL_M / 6_371_000.0)).astype(np.int64)
    cell[~small] = -1 - np.arange(3 * int((~small).sum())).reshape(-1, 3)  # large balls: a cell of their own
    _, label = np.unique(cell, axis=0, return_inverse=True)
    label = label.ravel()
    out = []
    for k in range(int(label.max()) + 1):
        members = np.flatnonzero(label == k)
        if members.size == 1:
            out.append(balls[int(members[0])])
            continue
        lon, lat = (float(v) for v in auxiliary_direction(vec[members].sum(axis=0)))
        d = geodesic_distance(lon, lat, [balls[i].lon for i in members], [balls[i].lat for i in members])
        out.append(_Ball(lon, lat, min(float((d + radius[members]).max()) + SCREEN_SLACK_M, HALF_MERIDIAN_M)))
    return out


@dataclass(frozen=True)
class _Cover:
    """Small balls that together hold the boundary of one large part (see Large parts)."""

    area: LaunchArea
    vec: FloatArray  # (m, 3) auxiliary unit vectors of the centres
    radius_m: FloatArray  # (m,)


def _cover(area: LaunchArea) -> _Cover:
    """Return :func:`_find_cover` of a part, found once per part."""
    if area not in _COVERS:
        _COVERS[area] = _find_cover(area)
    return _COVERS[area]


def _find_cover(area: LaunchArea) -> _Cover:
    """Group a part's edges by cell into balls with exact radii."""
    e = area._edges
    cell = np.floor(e.u1 / (COVER_CELL_M / 6_371_000.0)).astype(np.int64)
    _, label = np.unique(cell, axis=0, return_inverse=True)
    label = label.ravel()
    m = int(label.max()) + 1
    sums = np.zeros((m, 3))
    np.add.at(sums, label, e.u1)
    lon, lat = auxiliary_direction(sums)  # the starts of a cell are close: no zero sum
    ends = np.maximum(geodesic_distance(lon[label], lat[label], e.lon1, e.lat1),
                      geodesic_distance(lon[label], lat[label], e.lon2, e.lat2))
    radius = np.zeros(m)
    np.maximum.at(radius, label, ends + e.length_m / 2.0)
    vec = auxiliary_unit_vectors(lon, lat).reshape(-1, 3)
    return _Cover(area, vec, radius + SCREEN_SLACK_M)


def _cover_bounds(cover: _Cover, u: FloatArray, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, ...]:
    """Bounds (m) on a large part's nearest and farthest distance: near_lo, near_hi, far_lo, far_hi."""
    cos_sigma = u @ cover.vec.T  # (n, m)
    z_t, z_c = np.broadcast_to(u[:, 2:3], cos_sigma.shape), np.broadcast_to(cover.vec[None, :, 2], cos_sigma.shape)
    lo, hi = _lambert_pairs(cos_sigma, z_t, z_c)
    lo = lo - cover.radius_m
    hi = hi + cover.radius_m
    near_lo, near_hi = np.maximum(lo.min(axis=1), 0.0), np.minimum(hi.min(axis=1), HALF_MERIDIAN_M)
    far_lo, far_hi = np.maximum(lo.max(axis=1), 0.0), np.minimum(hi.max(axis=1), HALF_MERIDIAN_M)
    inside = cover.area.contains(lon, lat)
    near_lo[inside] = near_hi[inside] = 0.0
    anti_inside = cover.area.contains(*antipode(lon, lat))
    far_lo[anti_inside] = far_hi[anti_inside] = HALF_MERIDIAN_M
    return near_lo, near_hi, far_lo, far_hi


def _arc_interval(u: FloatArray, vec: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Bounds (m) on the exact distance from targets ``u`` to one point ``vec``: ``b sigma <= d <= a sigma``.

    ``sigma`` is the arc between the auxiliary unit vectors. The ellipsoid is
    the sphere of radius ``a`` through the points ``a u`` squeezed along the
    axis by ``b / a``: a map that shortens no curve by more than that factor
    and lengthens none, so the geodesic is no longer than the image of the
    great circle (``a sigma``) and its preimage no longer than ``a / b``
    times the geodesic. 0.34 % wide, for one ``arccos`` a pair: the first
    screen's bound (the second uses Lambert's, metres wide).
    """
    sigma = np.arccos(np.clip(u @ vec, -1.0, 1.0))
    return B_M * sigma - _ARC_SLACK_M, A_M * sigma + _ARC_SLACK_M


def _ball_bounds(u: FloatArray, vec: FloatArray, radius: FloatArray, band: RangeBand, *,
                 lambert: bool) -> tuple[FloatArray, FloatArray]:
    """Bounds (m) on the distance from each target to every point of each ball: (n, m) arrays lo, hi.

    The arc's bounds (:func:`_arc_interval`) for every pair; with ``lambert``,
    the pairs whose bounds hold a limit of the band get Lambert's too
    (:func:`_lambert_interval`), and keep where both hold. The
    other pairs are on one side of both limits already: a tighter bound
    would not change what the screen decides.
    """
    cos_sigma = u @ vec.T
    sigma = np.arccos(np.clip(cos_sigma, -1.0, 1.0))
    lo = B_M * sigma - _ARC_SLACK_M - radius
    hi = A_M * sigma + _ARC_SLACK_M + radius
    if lambert:
        rows, cols = np.nonzero(((lo <= band.max_m) & (hi > band.max_m)) | ((lo < band.min_m) & (hi >= band.min_m)))
        if rows.size:
            l_lo, l_hi = _lambert_pairs(cos_sigma[rows, cols], u[rows, 2], vec[cols, 2])
            lo[rows, cols] = np.maximum(lo[rows, cols], l_lo - radius[cols])
            hi[rows, cols] = np.minimum(hi[rows, cols], l_hi + radius[cols])
    return np.maximum(lo, 0.0), np.minimum(hi, HALF_MERIDIAN_M)


def _lambert_pairs(cos_sigma: FloatArray, z_t: FloatArray, z_c: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Bounds (m) on the exact distance of (target, point) pairs: cosine of their arc and their auxiliary z.

    Lambert's formula and its measured error bound: no exact solution, so the
    screen costs a few vector operations per pair. Near the point's
    antipode, where that bound fails, the lower bound comes from the target's
    antipode ``T'`` instead: every pair of antipodes is the half meridian
    ``H`` apart (the shortest path is a meridian), so ``d(T, C) >= H - d(T', C)``
    by the triangle inequality, and ``d(T', C)`` is short.
    """
    lo, hi = lambert_interval(cos_sigma, z_t, z_c)
    far = np.nonzero(cos_sigma < 0.0)
    if far[0].size:
        anti_hi = lambert_interval(-cos_sigma[far], -z_t[far], z_c[far])[1]
        with np.errstate(invalid="ignore"):  # inf - inf where neither bound holds: NaN, skipped by fmax
            lo[far] = np.fmax(lo[far], HALF_MERIDIAN_M - anti_hi)
    return lo, hi


def _lambert_interval(u: FloatArray, vec: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Bounds (m) on the exact distance from targets ``u`` (auxiliary unit vectors) to one point ``vec``."""
    return _lambert_pairs(u @ vec, u[:, 2], np.full(len(u), vec[2]))


class Classifier:
    """Exact statuses (and, on demand, distances) of many targets against one launch and band.

    Parameters
    ----------
    sources : sequence of LaunchPoint or LaunchRegion
        "From any of these", as for :func:`geo.analysis.bands.reach_table`.
    band : RangeBand
    workers : int, default 2
        Threads that process chunks side by side.

    Notes
    -----
    Building a classifier finds every launch area's ball (and a large
    area's small balls) once per area; the exact structures are prepared
    when a target first needs them, by whichever thread gets there (two
    that meet build equal values). It holds prepared shapely and scipy structures, so distributed
    code sends the sources and band, not the classifier, and builds one per
    worker (:mod:`geo.analysis.distributed` does).

    Examples
    --------
    >>> from geo import parse_launch, RangeBand
    >>> from geo.analysis.status import status_names
    >>> c = Classifier([parse_launch("BLR")], RangeBand(700, 5000))
    >>> status_names(c.status([21.01, 30.52, -74.0], [52.23, 50.45, 40.71])).tolist()
    ['reachable', 'too_close', 'too_far']
    """

    def __init__(self, sources: Sequence[LaunchSource], band: RangeBand, *, workers: int = 2) -> None:
        if not sources:
            raise InvalidRangeError("no launch source given")
        self.sources = tuple(sources)
        self.band = band
        self.workers = max(1, int(workers))
        points = [s for s in self.sources if isinstance(s, LaunchPoint)]
        self._point_lon = np.array([p.lon for p in points], dtype=float)
        self._point_lat = np.array([p.lat for p in points], dtype=float)
        self._areas = [a for s in self.sources if isinstance(s, LaunchRegion) for a in s.parts]
        self._balls = [_ball(a) for a in self._areas]  # also prepares every area's structures
        self._point_vec = auxiliary_unit_vectors(self._point_lon, self._point_lat).reshape(-1, 3)
        self._ball_vec = auxiliary_unit_vectors([b.lon for b in self._balls], [b.lat for b in self._balls]).reshape(
            -1, 3
        )
        # The areas' other structures are built when first needed, mostly for few parts: two threads that
        # build one at once build equal values, and each keeps its own copy of a prepared geometry.
        self._covers = [_cover(a) if b.radius_m > COVER_FROM_M else None
                        for a, b in zip(self._areas, self._balls, strict=True)]
        self._groups = _group_balls(self._balls)
        self._group_vec = auxiliary_unit_vectors([b.lon for b in self._groups],
                                                 [b.lat for b in self._groups]).reshape(-1, 3)
        self._group_radius = np.array([b.radius_m for b in self._groups], dtype=float)
        plain = np.array([c is None for c in self._covers], dtype=bool)  # parts bounded by their one ball
        self._plain_vec = self._ball_vec[plain]
        self._plain_radius = np.array([b.radius_m for b in self._balls], dtype=float)[plain]

    # -- statuses -----------------------------------------------------------

    def status(self, lon: ArrayLike, lat: ArrayLike, *, progress: Progress | None = None) -> Codes:
        """Return each target's :attr:`~geo.analysis.status.Status.code`, exactly as ``reach_table`` decides it.

        ``progress``, if given, is called with the number of targets done after each chunk.

        Raises
        ------
        InvalidCoordinateError
            If a coordinate is not finite or out of range.
        """
        lon_a, lat_a = check_lonlat(lon, lat, what="target")
        shape = lon_a.shape
        lon_f, lat_f = lon_a.ravel(), lat_a.ravel()
        out = np.empty(lon_f.size, dtype=np.int8)
        for sl, codes in self._map(self._status_chunk, lon_f, lat_f):
            out[sl] = codes
            if progress is not None:
                progress(len(range(lon_f.size)[sl]))
        return out.reshape(shape)

    def screen(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
        """Return which targets the ball screen decides without exact area distances (for tests and the bench)."""
        lon_a, lat_a = check_lonlat(lon, lat, what="target")
        decided, _ = self._screen(lon_a.ravel(), lat_a.ravel())
        return decided.reshape(lon_a.shape)

    def _map(
        self, fn: Callable[[FloatArray, FloatArray], Codes], lon: FloatArray, lat: FloatArray
    ) -> Iterator[tuple[slice, Codes]]:
        # Chunks of CHUNK, or smaller so that every thread gets work (34,000 cities make two chunks, not one).
        size = max(1024, min(CHUNK, -(-lon.size // self.workers)))
        slices = [slice(s, s + size) for s in range(0, lon.size, size)]
        if self.workers == 1 or len(slices) < 2:
            for sl in slices:
                yield sl, fn(lon[sl], lat[sl])
            return
        with ThreadPoolExecutor(self.workers) as pool:
            yield from zip(slices, pool.map(lambda sl: fn(lon[sl], lat[sl]), slices), strict=True)

    def _screen(self, lon: FloatArray, lat: FloatArray, *, covers: bool = False) -> tuple[NDArray[np.bool_], Codes]:
        """Decide what the balls (and, with ``covers``, the small balls of large parts) can; return (decided, codes)."""
        rmin, rmax = self.band.min_m, self.band.max_m
        n = lon.size
        # Per target, over all parts: could some part reach it / must every part be too close?
        reach_sure = np.zeros(n, dtype=bool)
        reach_maybe = np.zeros(n, dtype=bool)
        close_sure = np.ones(n, dtype=bool)  # every part's farthest < min
        far_sure = np.ones(n, dtype=bool)  # every part's nearest > max
        # Per part: bounds on its nearest distance (near_lo, near_hi) and its farthest (far_lo, far_hi).
        intervals: list[tuple[FloatArray, ...]] = []
        u = auxiliary_unit_vectors(lon, lat).reshape(-1, 3)
        for j in range(self._point_lon.size):  # a launch point: its distance, within Lambert's error (or the arc's)
            lo, hi = _lambert_interval(u, self._point_vec[j]) if covers else _arc_interval(u, self._point_vec[j])
            lo, hi = np.maximum(lo, 0.0), np.minimum(hi, HALF_MERIDIAN_M)
            intervals.append((lo, hi, lo, hi))
        # First the groups of balls (a group's ball holds each member: its bounds hold for each), then, for
        # what they leave, each part's own ball or the small balls of a large part.
        if covers:
            intervals += [_cover_bounds(cover, u, lon, lat) for cover in self._covers if cover is not None]
            vec, radius = self._plain_vec, self._plain_radius
        else:
            vec, radius = self._group_vec, self._group_radius
        for near_lo, near_hi, far_lo, far_hi in intervals:
            reach_sure |= (near_hi <= rmax) & (far_lo >= rmin)
            reach_maybe |= (near_lo <= rmax) & (far_hi >= rmin)
            close_sure &= far_hi < rmin
            far_sure &= near_lo > rmax
        # Every ball at once (a ball's nearest and farthest point share its bounds), in blocks of targets.
        step = max(1, _PAIRS_PER_BLOCK // max(1, radius.size))
        for s in range(0, n if radius.size else 0, step):
            sl = slice(s, s + step)
            lo, hi = _ball_bounds(u[sl], vec, radius, self.band, lambert=covers)
            reach_sure[sl] |= ((hi <= rmax) & (lo >= rmin)).any(axis=1)
            reach_maybe[sl] |= ((lo <= rmax) & (hi >= rmin)).any(axis=1)
            close_sure[sl] &= (hi < rmin).all(axis=1)
            far_sure[sl] &= (lo > rmax).all(axis=1)
        # Where no part can reach, each part's side is known (hi < min or lo > max): the status is decided.
        decided = reach_sure | ~reach_maybe
        return decided, codes_of(reach_sure, close_sure, far_sure)

    def _status_chunk(self, lon: FloatArray, lat: FloatArray) -> Codes:
        decided, codes = self._screen(lon, lat)
        rest = np.flatnonzero(~decided)
        if rest.size and any(c is not None for c in self._covers):
            for s in range(0, rest.size, _COVER_BLOCK):
                block = rest[s:s + _COVER_BLOCK]
                sure, block_codes = self._screen(lon[block], lat[block], covers=True)
                codes[block[sure]] = block_codes[sure]
                decided[block[sure]] = True
            rest = np.flatnonzero(~decided)
        if rest.size:
            # With the band, parts that cannot decide a target are bounded, not computed (statuses stay exact).
            _, nearest, farthest = source_intervals(self.sources, lon[rest], lat[rest], self.band)
            codes[rest], _, _ = classify(nearest, farthest, self.band.min_m, self.band.max_m)
        return codes

    # -- full table -----------------------------------------------------------

    def table(self, lon: ArrayLike, lat: ArrayLike, *, progress: Progress | None = None) -> dict[str, NDArray]:
        """Return exact ``min_km``, ``max_km``, ``status`` (codes), ``margin_km`` and ``via`` arrays.

        The same numbers as :func:`geo.analysis.bands.reach_table`, computed in chunks on
        ``workers`` threads; ``progress`` as for :meth:`status`.
        """
        cols, labels = self.table_codes(lon, lat, progress=progress)
        cols["via"] = np.array(labels, dtype=object)[cols["via"]]
        return cols

    def table_codes(
        self, lon: ArrayLike, lat: ArrayLike, *, progress: Progress | None = None
    ) -> tuple[dict[str, NDArray], list[str]]:
        """Return :meth:`table`'s arrays with ``via`` as int32 positions in the list of labels returned too."""
        lon_a, lat_a = check_lonlat(lon, lat, what="target")
        lon_f, lat_f = lon_a.ravel(), lat_a.ravel()
        n = lon_f.size
        cols: dict[str, NDArray] = {
            "min_km": np.empty(n),
            "max_km": np.empty(n),
            "status": np.empty(n, dtype=np.int8),
            "margin_km": np.empty(n),
            "via": np.empty(n, dtype=np.int32),
        }
        labels: list[str] = []

        def chunk(lo: FloatArray, la: FloatArray) -> NDArray:
            names, nearest, farthest = source_intervals(self.sources, lo, la, self.band)
            codes, margin, part = classify(nearest, farthest, self.band.min_m, self.band.max_m)
            names, part = name_route_legs(self.sources, names, part, lo, la)  # a route's leg, not only its name
            labels[:] = names
            return np.vstack([nearest.min(axis=0), farthest.max(axis=0), codes, margin, part])

        for sl, rows in self._map(chunk, lon_f, lat_f):  # type: ignore[arg-type]
            cols["min_km"][sl] = rows[0] / 1000.0
            cols["max_km"][sl] = rows[1] / 1000.0
            cols["status"][sl] = rows[2]
            cols["margin_km"][sl] = rows[3] / 1000.0
            cols["via"][sl] = rows[4]
            if progress is not None:
                progress(len(range(n)[sl]))
        return cols, labels or [""]

