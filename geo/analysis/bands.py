"""Which places a weapon reaches: statuses and margins for a range band.

Semantics
---------
A place is **reachable** when some launch point ``p`` lies at a geodesic
distance ``d`` with ``min_km <= d <= max_km`` (both bounds inclusive). For one
connected launch area the distances from a place to the area's points fill
the interval ``[nearest, farthest]``, so that is ``farthest >= min_km`` and
``nearest <= max_km``. Several sources, or a territory in several parts, are
decided per source and per part, never on the combined interval: a place
0 km from one site and 6,000 km from another is not reachable by a
700-5,000 km system from either.

Otherwise no launch point is in the band, and each source and part misses
it on one side: a place is **too_close** when every launch point of every
source is within the minimum range (the place lies in the dead zone, the
intersection of the sources' dead zones), **too_far** when every launch
point is beyond the maximum range (outside the reach zone), and **mixed**
when some parts are too close and the others too far (Gdansk from Russia
at 300-500 km: the Kaliningrad exclave is 63-276 km away, the mainland
630 km or more). One connected launch area can never leave a place mixed:
its distances fill an interval. The statuses partition the Earth exactly
as the zones of :mod:`geo.analysis.zones` do: reachable zone, dead zone,
outside the reach zone, and the rest of the reach zone (mixed).

The **margin** is how far the deciding distance is from the threshold that
decides, in km, never negative: for a reachable place, how much the maximum
range could shrink or the minimum range grow before it stops being
reachable from its best source; for an unreachable place, how far it misses
the band from the part that comes closest to reaching it, whichever side
that is on (too_close: the smallest ``min_km - farthest``; too_far: the
smallest ``nearest - max_km``; mixed: the smaller of the two, and ``via``
names the part that decides).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import NDArray

from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchSource
from geo.analysis.status import classify, column_block, status_names
from geo.errors import InvalidRangeError
from geo.geodesy.distance import LaunchArea, LaunchLine, distances_to_points
from geo.geodesy.ellipsoid import (
    HALF_MERIDIAN_M,
    MAX_RANGE_KM,
    antipode,
    auxiliary_direction,
    auxiliary_unit_vectors,
    check_lonlat,
    geodesic_distance,
    lambert_interval,
)

if TYPE_CHECKING:
    import pandas as pd
else:
    from geo.lazy import pandas as pd

__all__ = ["RangeBand", "cap_bounds", "essential_intervals", "km_text", "name_route_legs", "part_bounds", "reach_table",
           "resolve_band", "source_intervals"]

FloatArray = NDArray[np.float64]


def km_text(km: float) -> str:
    """Return a distance in km with the decimals it needs (at most three): '5,000', '0.2', '1.25'."""
    for digits in range(3):
        text = f"{km:,.{digits}f}"
        if abs(float(text.replace(",", "")) - km) < 1e-9:
            return text
    return f"{km:,.3f}"


@dataclass(frozen=True)
class RangeBand:
    """The distances a system can strike at: ``min_km <= d <= max_km``.

    Raises
    ------
    InvalidRangeError
        If a bound is not a finite number, negative, beyond
        :data:`MAX_RANGE_KM`, or ``min_km > max_km``. ``where`` prefixes the
        message (e.g. a file and claim id).
    """

    min_km: float
    max_km: float
    where: str = ""

    def __post_init__(self) -> None:
        prefix = f"{self.where}: " if self.where else ""
        for name, value in (("min_km", self.min_km), ("max_km", self.max_km)):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidRangeError(f"{prefix}{name} {value!r} must be a number of kilometres")
            if not math.isfinite(value):
                raise InvalidRangeError(f"{prefix}{name} {value!r} must be a finite number of kilometres")
            if value < 0:
                raise InvalidRangeError(f"{prefix}{name} {value:g} must be >= 0")
            if value > MAX_RANGE_KM:
                raise InvalidRangeError(
                    f"{prefix}{name} {value:g} exceeds {MAX_RANGE_KM:,.0f} km, half the meridian: "
                    "no two places on Earth are farther apart"
                )
        if self.min_km > self.max_km:
            raise InvalidRangeError(f"{prefix}min_km {self.min_km:g} must not exceed max_km {self.max_km:g}")

    def span_text(self) -> str:
        """Return the band as text: '700-5,000 km', '0.2-1 km'."""
        return f"{km_text(self.min_km)}-{km_text(self.max_km)} km"

    def phrase(self) -> str:
        """Return the band as a title says it: '700-5,000 km', or 'up to 500 km' when there is no minimum."""
        return self.span_text() if self.min_km else f"up to {km_text(self.max_km)} km"

    @property
    def min_m(self) -> float:
        """Minimum range in metres."""
        return float(self.min_km) * 1000.0

    @property
    def max_m(self) -> float:
        """Maximum range in metres."""
        return float(self.max_km) * 1000.0

    def decides(self, low_m: float, high_m: float) -> bool:
        """Whether distances known to lie in ``[low_m, high_m]`` are all in the band or all out of it."""
        return high_m < self.min_m or low_m > self.max_m or (low_m >= self.min_m and high_m <= self.max_m)


def source_intervals(
    sources: Sequence[LaunchSource], lon: FloatArray, lat: FloatArray, band: RangeBand | None = None
) -> tuple[list[str], FloatArray, FloatArray]:
    """Return each launch part's nearest and farthest distance (m) to each target.

    Parameters
    ----------
    sources : sequence of LaunchPoint or LaunchRegion
    lon, lat : ndarray
        Targets, degrees.
    band : RangeBand, optional
        With a band, territories of several parts are bounded first (see
        :func:`_bounded_parts`): a part that cannot change a target's
        nearest or farthest distance, status, margin or deciding part is not
        computed exactly for it, and gets its bounds instead. Every value
        :func:`reach_table` reports stays exact.

    Returns
    -------
    labels : list of str
        One label per part: a site, a coordinate, or a territory part.
    nearest, farthest : ndarray, shape (n_parts, n_targets)
    """
    labels: list[str] = []
    lows: list[FloatArray] = []
    highs: list[FloatArray] = []
    points = [s for s in sources if isinstance(s, LaunchPoint)]
    if points:
        d = distances_to_points(lon, lat, [p.lon for p in points], [p.lat for p in points]).T
        labels += [p.label for p in points]
        lows += list(d)
        highs += list(d)
    parts = [part for s in sources if isinstance(s, LaunchRegion) for part in s.parts]
    if band is not None and len(parts) > 1:
        near, far = _bounded_parts(parts, lon, lat, band, np.vstack(lows) if lows else None,
                                   np.vstack(highs) if highs else None)
        labels += [part.name for part in parts]
        if not lows:  # one territory alone: no copy of its (parts, targets) arrays
            return labels, near, far
        lows += list(near)
        highs += list(far)
    else:
        for part in parts:
            lo, hi = part.distances(lon, lat)
            labels.append(part.name)
            lows.append(lo)
            highs.append(hi)
    return labels, np.vstack(lows), np.vstack(highs)


def essential_intervals(
    sources: Sequence[LaunchSource], lon: FloatArray, lat: FloatArray
) -> tuple[list[str], FloatArray, FloatArray, NDArray[np.bool_]]:
    """Return :func:`source_intervals` for every band at once, exact for the parts that can decide anything.

    A part whose distances to a target lie within another part's, ``[n_p,
    f_p]`` inside ``[n_q, f_q]``, decides nothing for any band: whenever it
    reaches the other does (``n_q <= n_p <= max``, ``f_q >= f_p >= min``),
    when it is too close or too far so is the other's side, and its margin
    or miss is never better. Such a part (an island off a coast, measured
    from a far target) keeps bounds that stay inside the other's interval
    instead of exact distances: the largest parts are computed exactly, the
    others bounded by their caps and then their vertices, and computed only
    where no exact part holds their bounds. Statuses, margins, deciding
    parts, nearest and farthest distances, and the verdict's break points
    (the exact values, the fourth array) are those of exact values everywhere.

    Returns
    -------
    labels, nearest, farthest
        As :func:`source_intervals`.
    exact : ndarray of bool, shape (n_parts, n_targets)
        Where the value is exact (elsewhere a bound that keeps the part inside another's interval).
    """
    parts = [part for s in sources if isinstance(s, LaunchRegion) for part in s.parts]
    if len(parts) < 2:  # nothing to leave out
        labels, near, far = source_intervals(sources, lon, lat)
        return labels, near, far, np.ones(near.shape, dtype=bool)
    points = [s for s in sources if isinstance(s, LaunchPoint)]
    labels, nearest, farthest = (source_intervals(points, lon, lat) if points else
                                 ([], np.empty((0, lon.size)), np.empty((0, lon.size))))
    caps = [_cap(p) for p in parts]
    radius = np.array([np.inf if c is None else c[2] for c in caps])
    large = np.flatnonzero(radius > _EXACT_RADIUS_M)
    if not large.size:
        large = np.array([int(np.argmax(radius))])
    n = lon.size
    lo = np.zeros((len(parts), n))
    hi = np.full((len(parts), n), HALF_MERIDIAN_M)
    exact = np.zeros((len(parts), n), dtype=bool)
    for q in large:
        lo[q], hi[q] = parts[q].distances(lon, lat)
        exact[q] = True
    small = np.setdiff1d(np.arange(len(parts)), large)
    lo[small], hi[small] = cap_bounds([parts[k] for k in small], lon, lat)

    def held(k: int, idx: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Whether part k's bounds lie strictly inside an exact large part's interval, per target of idx."""
        return ((lo[large][:, idx] < lo[k, idx]) & (hi[large][:, idx] > hi[k, idx])).any(axis=0)

    for k in small.tolist():
        idx = np.arange(n)
        idx = idx[~held(k, idx)]
        if idx.size:  # the vertices' bounds, then exact values where they are not enough
            lo_v, hi_v = part_bounds(parts[k], lon[idx], lat[idx])
            lo[k, idx], hi[k, idx] = np.maximum(lo[k, idx], lo_v), np.minimum(hi[k, idx], hi_v)
            idx = idx[~held(k, idx)]
        if idx.size:
            lo[k, idx], hi[k, idx] = parts[k].distances(lon[idx], lat[idx])
            exact[k, idx] = True
    labels += [p.name for p in parts]
    return labels, np.vstack([nearest, lo]), np.vstack([farthest, hi]), np.vstack([np.ones(nearest.shape, bool), exact])


_CAP_LIMIT_M = 9_000_000.0  # a part wider than this is not bounded by a cap (caps stay convex well below 10,000 km)
_EXACT_RADIUS_M = 300_000.0  # parts larger than this are computed exactly for every target, and bound the others


_CAPS: weakref.WeakKeyDictionary[LaunchArea, tuple[float, float, float] | None] = weakref.WeakKeyDictionary()


def _cap(part: LaunchArea) -> tuple[float, float, float] | None:
    """Return a cap (lon, lat, radius m) holding the part, or None if it is too large to bound (once per part)."""
    if part not in _CAPS:
        _CAPS[part] = _find_cap(part)
    return _CAPS[part]


def cap_bounds(parts: Sequence[LaunchArea], lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return bounds (m) on each part's nearest and farthest distance to each target from its cap, (parts, targets).

    ``d(T, c) - r <= nearest <= farthest <= d(T, c) + r`` with ``d(T, c)``
    within Lambert's error bound: one vector operation for all parts; a part
    too large for a cap gets ``[0, H]``.
    """
    lo = np.zeros((len(parts), lon.size))
    hi = np.full((len(parts), lon.size), HALF_MERIDIAN_M)
    caps = [_cap(p) for p in parts]
    rows = [k for k, c in enumerate(caps) if c is not None]
    if rows and lon.size:
        c_lon, c_lat, radius = (np.array([caps[k][i] for k in rows]) for i in range(3))  # type: ignore[index]
        c = auxiliary_unit_vectors(c_lon, c_lat).reshape(-1, 3)
        t = auxiliary_unit_vectors(lon, lat).reshape(-1, 3)
        low, up = lambert_interval(c @ t.T, c[:, 2:3], t[None, :, 2])
        lo[rows] = np.maximum(low - radius[:, None], 0.0)
        hi[rows] = np.minimum(up + radius[:, None], HALF_MERIDIAN_M)
    return lo, hi


def part_bounds(part: LaunchArea, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return bounds (m) on a part's nearest and farthest distance to each target: its cap's, then its vertices'.

    ``low <= nearest <= farthest <= high``; a few vector operations per
    target and vertex, no exact solution.
    """
    lo, hi = (b[0] for b in cap_bounds([part], lon, lat))
    # Only a target within the cap can be covered, only one whose antipode is can have it covered.
    lo_v, hi_v = _vertex_bounds(part, lon, lat, inside=lo <= 0.0, antipodal=hi >= HALF_MERIDIAN_M)
    return np.maximum(lo, lo_v), np.minimum(hi, hi_v)


def _find_cap(part: LaunchArea) -> tuple[float, float, float] | None:
    """Return a cap (lon, lat, radius m) holding the part, or None if it is too large to bound.

    The centre is the part's vertex mean on the auxiliary sphere; the
    radius is the largest exact distance to a vertex, widened by 0.1 % and
    1 km for the edges between vertices (a cap this small is convex, so
    geodesic edges between points inside it stay inside).
    """
    xy = shapely.get_coordinates(part.geometry)
    v = auxiliary_unit_vectors(xy[:, 0], xy[:, 1]).mean(axis=0)
    if float(np.linalg.norm(v)) < 1e-6:
        return None
    lon, lat = (float(c) for c in auxiliary_direction(v))
    radius = float(geodesic_distance(lon, lat, xy[:, 0], xy[:, 1]).max()) * 1.001 + 1000.0
    return (lon, lat, radius) if radius < _CAP_LIMIT_M else None


def _bounded_parts(
    parts: Sequence[LaunchArea], lon: FloatArray, lat: FloatArray, band: RangeBand,
    point_near: FloatArray | None, point_far: FloatArray | None,
) -> tuple[FloatArray, FloatArray]:
    """Nearest and farthest distance of each part to each target, exact where it can matter.

    Each part lies in a cap (centre c, radius r), so for a target T at a
    proxy distance D from c (Lambert's formula, within its error bound e):
    ``D - r - e <= nearest <= farthest <= D + r + e``. A part is computed
    exactly for a target unless its bounds show that it cannot be (a) the
    nearest or (b) the farthest part, (c) of uncertain standing in the band
    (reaching, too close, too far), or (d) the part with the best margin
    (reachable targets) or the smallest miss (the others). The pairs that
    remain are bounded again from the part's vertices (:func:`_vertex_bounds`,
    kilometres wide instead of the cap's radius) and screened once more;
    then only the side each one needs is computed: the nearest distance for
    (a) and a miss beyond the maximum, the farthest for (b) and a miss short
    of the minimum, both for (c) and (d). A side skipped keeps its bound
    (``nearest >= D - r - e``, ``farthest <= D + r + e``), which keeps the
    part in its certain standing and below the margin of the deciding part,
    so :func:`geo.analysis.status.classify` and the minimum and maximum
    over parts come out as with exact values everywhere (tested against
    the exhaustive computation).
    """
    n = len(lon)
    caps = [_cap(p) for p in parts]
    lo_b = np.zeros((len(parts), n))
    hi_b = np.full((len(parts), n), np.inf)
    # Large parts (a mainland) are computed exactly for every target: their exact values bound the rest
    # far more tightly than their caps would.
    large = [k for k, cap in enumerate(caps) if cap is None or cap[2] > _EXACT_RADIUS_M]
    exact_near, exact_far = [], []
    for k in large:
        lo_b[k], hi_b[k] = parts[k].distances(lon, lat)
        exact_near.append(lo_b[k])
        exact_far.append(hi_b[k])
    if exact_near:
        point_near = np.vstack([*([] if point_near is None else [point_near]), *exact_near])
        point_far = np.vstack([*([] if point_far is None else [point_far]), *exact_far])
    small = np.setdiff1d(np.arange(len(parts)), large)
    lo_b[small], hi_b[small] = cap_bounds([parts[k] for k in small], lon, lat)
    need_near, need_far = _needed_blocked(lo_b, hi_b, point_near, point_far, band, large)
    # A second screen for the small parts a target still needs: bounds from their vertices (Lambert,
    # the triangle inequality along each edge), metres to kilometres wide instead of the cap's radius.
    for k, part in enumerate(parts):
        idx = np.flatnonzero(need_near[k] | need_far[k])
        if idx.size and k not in large:
            lo_v, hi_v = _vertex_bounds(part, lon[idx], lat[idx])
            lo_b[k, idx] = np.maximum(lo_b[k, idx], lo_v)
            hi_b[k, idx] = np.minimum(hi_b[k, idx], hi_v)
    need_near, need_far = _needed_blocked(lo_b, hi_b, point_near, point_far, band, large)
    near, far = lo_b, hi_b  # the bounds become the values: exact where needed
    for k, part in enumerate(parts):
        idx = np.flatnonzero(need_near[k])
        if idx.size:
            near[k, idx] = part.extremes(lon[idx], lat[idx], farthest=False, point=False)[0]
        idx = np.flatnonzero(need_far[k])
        if idx.size:
            far[k, idx] = part.extremes(lon[idx], lat[idx], farthest=True, point=False)[0]
    return near, far


def _needed_blocked(
    lo_b: FloatArray, hi_b: FloatArray, point_near: FloatArray | None, point_far: FloatArray | None,
    band: RangeBand, large: Sequence[int],
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """:func:`_needed` in column blocks: its (parts, targets) temporaries stay in cache."""
    n = lo_b.shape[1]
    block = column_block(lo_b.shape[0] + (0 if point_near is None else point_near.shape[0]))
    need_near, need_far = np.empty(lo_b.shape, dtype=bool), np.empty(lo_b.shape, dtype=bool)
    for s in range(0, n, block):
        sl = slice(s, s + block)
        need_near[:, sl], need_far[:, sl] = _needed(
            lo_b[:, sl], hi_b[:, sl], None if point_near is None else point_near[:, sl],
            None if point_far is None else point_far[:, sl], band, large)
    return need_near, need_far


def _needed(
    lo_b: FloatArray, hi_b: FloatArray, point_near: FloatArray | None, point_far: FloatArray | None,
    band: RangeBand, large: Sequence[int],
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Return which (part, target) nearest and farthest distances :func:`_bounded_parts` must compute exactly.

    ``lo_b`` and ``hi_b`` bound both distances of each part. A side not
    computed keeps its bound, which lies outside the exact value: every
    comparison below holds for it whatever the exact value is.
    """
    low, high = band.min_m, band.max_m
    # Launch points (exact) take part in the comparisons with their exact values.
    near_ub = hi_b if point_near is None else np.vstack([point_near, hi_b])
    far_lb = lo_b if point_far is None else np.vstack([point_far, lo_b])
    need_near = lo_b <= near_ub.min(axis=0)                          # (a) may be the nearest
    need_far = hi_b >= far_lb.max(axis=0)                            # (b) may be the farthest
    sure_reach = (hi_b <= high) & (lo_b >= low)
    sure_out = (lo_b > high) | (hi_b < low)
    both = ~(sure_reach | sure_out)                                  # (c) standing uncertain
    # (d) the best margin among reaching parts, or the smallest miss if none reaches.
    slack_lo = np.where(sure_reach, np.minimum(high - hi_b, lo_b - low), -np.inf)
    slack_hi = np.where(sure_reach, np.minimum(high - lo_b, hi_b - low), -np.inf)
    if point_near is not None:
        assert point_far is not None
        p_slack = np.where((point_near <= high) & (point_far >= low),
                           np.minimum(high - point_near, point_far - low), -np.inf)
        best_slack_lo = np.maximum(slack_lo.max(axis=0), p_slack.max(axis=0))
    else:
        best_slack_lo = slack_lo.max(axis=0)
    both |= sure_reach & (slack_hi >= best_slack_lo)
    miss_lo = np.where(lo_b > high, lo_b - high, np.where(hi_b < low, low - hi_b, np.inf))
    miss_hi = np.where(lo_b > high, hi_b - high, np.where(hi_b < low, low - lo_b, np.inf))
    miss_hi = np.where(sure_out, miss_hi, np.inf)
    best_miss_hi = miss_hi.min(axis=0)
    if point_near is not None and point_far is not None:
        p_miss = np.where(point_near > high, point_near - high, np.where(point_far < low, low - point_far, np.inf))
        best_miss_hi = np.minimum(best_miss_hi, p_miss.min(axis=0))
    # Misses matter only where no launch part surely reaches (else the target is reachable, whatever they are);
    # a miss beyond the maximum is measured from the nearest point, one short of the minimum from the farthest.
    reached = sure_reach.any(axis=0)
    if point_near is not None and point_far is not None:
        reached |= ((point_near <= high) & (point_far >= low)).any(axis=0)
    miss = sure_out & (miss_lo <= best_miss_hi) & ~reached
    need_near |= both | (miss & (lo_b > high))
    need_far |= both | (miss & (hi_b < low))
    need_near[large] = False  # already exact
    need_far[large] = False
    return need_near, need_far


def _vertex_bounds(part: LaunchArea, lon: FloatArray, lat: FloatArray, *, inside: NDArray[np.bool_] | None = None,
                   antipodal: NDArray[np.bool_] | None = None) -> tuple[FloatArray, FloatArray]:
    """Bounds on a part's nearest and farthest distance (m) to each target, from its vertices alone.

    Each vertex distance lies within Lambert's error bound of Lambert's
    estimate; a point ``t`` along an edge of length ``L`` is within
    ``[(d1 + d2 - L) / 2, (d1 + d2 + L) / 2]`` of a target (triangle
    inequality), so the nearest distance is at least the smallest such lower
    bound and at most the nearest vertex, and the farthest at most the
    largest upper bound and at least the farthest vertex. A target covered by
    the part (nearest 0), or whose antipode is (farthest the half meridian),
    gets those exact values. Near an antipode Lambert's bound is infinite and
    so are these bounds: the caller keeps its own.
    """
    e = part._edges
    nxt = e.next_edge
    lo = np.empty(lon.size)
    hi = np.empty(lon.size)
    step = max(1, 262_144 // max(1, e.length_m.size))
    for s0 in range(0, lon.size, step):
        sl = slice(s0, s0 + step)
        t = auxiliary_unit_vectors(lon[sl], lat[sl])
        low, up = lambert_interval(t @ e.u1.T, t[:, 2:3], e.u1[None, :, 2])
        lo[sl] = np.maximum(np.min((low + low[:, nxt] - e.length_m) / 2.0, axis=1), 0.0)
        hi[sl] = np.minimum(np.max((up + up[:, nxt] + e.length_m) / 2.0, axis=1), HALF_MERIDIAN_M)
    # ``inside``, ``antipodal``: the targets that may be covered, or have their antipode covered (default all).
    may = np.flatnonzero(inside) if inside is not None else np.arange(lon.size)
    if may.size:
        lo[may[part.contains(lon[may], lat[may])]] = 0.0
    may = np.flatnonzero(antipodal) if antipodal is not None else np.arange(lon.size)
    if may.size:
        alon, alat = antipode(lon[may], lat[may])
        hi[may[part.contains(alon, alat)]] = HALF_MERIDIAN_M
    return lo, hi


def name_route_legs(
    sources: Sequence[LaunchSource], labels: list[str], part: NDArray[np.integer], lon: FloatArray, lat: FloatArray
) -> tuple[list[str], NDArray[np.intp]]:
    """Name the leg of a route that decides a target: ``via`` "Barents patrol, leg 2" instead of "Barents patrol".

    ``labels`` and ``part`` are :func:`source_intervals`'s labels and
    :func:`~geo.analysis.status.classify`'s deciding part per target. For a
    target decided by a route of several legs, the leg is the one holding the
    route's nearest point to it (:meth:`~geo.geodesy.distance.LaunchLine.segment_at`;
    one more exact solution per such target). Returns the labels, extended by
    one per leg of every such route (the same for every call with the same
    sources, so chunks share them), and each target's index into them.
    """
    points = sum(isinstance(s, LaunchPoint) for s in sources)
    parts = [p for s in sources if isinstance(s, LaunchRegion) for p in s.parts]
    out = np.asarray(part, dtype=np.intp).copy()
    names = list(labels)
    for j, area in enumerate(parts, start=points):
        if not isinstance(area, LaunchLine) or len(area.segments[2]) < 2:
            continue
        first = len(names)
        names += [f"{labels[j]}, leg {k}" for k in range(1, len(area.segments[2]) + 1)]
        rows = np.flatnonzero(out == j)
        if rows.size:
            _, px, py = area.extremes(lon[rows], lat[rows], farthest=False, point=True)
            out[rows] = first + area.segment_at(px, py)
    return names, out


def reach_table(places: pd.DataFrame, sources: Sequence[LaunchSource], band: RangeBand) -> pd.DataFrame:
    """Classify places against launch sources and a range band.

    Parameters
    ----------
    places : pandas.DataFrame
        Columns ``name``, ``lat``, ``lon`` (degrees), optionally ``country``
        and any others, which pass through.
    sources : sequence of LaunchPoint or LaunchRegion
        "From any of these".
    band : RangeBand

    Returns
    -------
    pandas.DataFrame
        The input columns plus ``min_km`` and ``max_km`` (nearest and
        farthest launch point over all sources), ``status``, ``margin_km``
        and ``via`` (the deciding source; for a route, its leg nearest the
        target: :func:`name_route_legs`), in the input order.
    """
    if not sources:
        raise InvalidRangeError("no launch source given")
    lon, lat = check_lonlat(places["lon"].to_numpy(float), places["lat"].to_numpy(float), what="place")
    labels, nearest, farthest = source_intervals(sources, lon, lat, band)
    codes, margin, part = classify(nearest, farthest, band.min_m, band.max_m)
    out = places.copy()
    out["min_km"] = nearest.min(axis=0) / 1000.0
    out["max_km"] = farthest.max(axis=0) / 1000.0
    out["status"] = status_names(codes)
    out["margin_km"] = margin / 1000.0
    labels, part = name_route_legs(sources, labels, part, lon, lat)
    out["via"] = [labels[i] for i in part]
    return out


def resolve_band(min_km: float | None, max_km: float | None, system: str | None = None) -> RangeBand:
    """Return the range band of the given bounds, a system's published figures filling those not given.

    A bound given as None takes the system's figure; an explicit bound, 0 included, wins.

    Raises
    ------
    InvalidRangeError
        If ``max_km`` is missing and no system is given, the band is invalid,
        a bound is not a number (text such as ``"500"`` is refused: write the
        number) or ``system`` is not text.
    ClaimFormatError
        If the system is unknown (the message suggests close names).
    """
    for name, value in (("min_km", min_km), ("max_km", max_km)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | np.integer
                                                                             | np.floating)):
            raise InvalidRangeError(f"{name} {value!r} must be a number of kilometres (or None), "
                                    f"not {type(value).__name__}")
    if system is not None:
        if not isinstance(system, str):
            raise InvalidRangeError(f"system {system!r} must be a system's name such as 'oreshnik', "
                                    f"not {type(system).__name__}")
        from geo.reference.systems import lookup_system

        s = lookup_system(system)
        max_km = s.max_km.value_km if max_km is None else max_km
        min_km = s.min_km.value_km if min_km is None else min_km
    if max_km is None:
        raise InvalidRangeError("max_km is required (or give a system)")
    return RangeBand(float(min_km or 0.0), float(max_km), where="range")
