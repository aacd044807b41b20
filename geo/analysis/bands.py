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
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchSource
from geo.analysis.status import classify, status_names
from geo.errors import InvalidRangeError
from geo.geodesy.distance import distances_to_points
from geo.geodesy.ellipsoid import MAX_RANGE_KM, check_lonlat

__all__ = ["RangeBand", "reach_table", "source_intervals"]

FloatArray = NDArray[np.float64]



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

    @property
    def min_m(self) -> float:
        """Minimum range in metres."""
        return float(self.min_km) * 1000.0

    @property
    def max_m(self) -> float:
        """Maximum range in metres."""
        return float(self.max_km) * 1000.0


def source_intervals(
    sources: Sequence[LaunchSource], lon: FloatArray, lat: FloatArray
) -> tuple[list[str], FloatArray, FloatArray]:
    """Return each launch part's nearest and farthest distance (m) to each target.

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
    for s in sources:
        if isinstance(s, LaunchRegion):
            for part in s.parts:
                lo, hi = part.distances(lon, lat)
                labels.append(part.name)
                lows.append(lo)
                highs.append(hi)
    return labels, np.vstack(lows), np.vstack(highs)


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
        and ``via`` (the deciding source), in the input order.
    """
    if not sources:
        raise InvalidRangeError("no launch source given")
    lon, lat = check_lonlat(places["lon"].to_numpy(float), places["lat"].to_numpy(float), what="place")
    labels, nearest, farthest = source_intervals(sources, lon, lat)
    codes, margin, part = classify(nearest, farthest, band.min_m, band.max_m)
    out = places.copy()
    out["min_km"] = nearest.min(axis=0) / 1000.0
    out["max_km"] = farthest.max(axis=0) / 1000.0
    out["status"] = status_names(codes)
    out["margin_km"] = margin / 1000.0
    out["via"] = [labels[i] for i in part]
    return out
