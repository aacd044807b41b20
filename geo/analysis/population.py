"""Population in range: gazetteer cities and their people in each zone of a range band.

For a launch and a range band every place on Earth is in exactly one of
four zones (:mod:`geo.analysis.zones`): the **reachable zone** (status
``reachable``), the **dead zone** (``too_close``: every launch point is
within the minimum range), **beyond** (``too_far``: every launch point is
beyond the maximum range) and **out of band** (``mixed``: some launch
points too close, the others too far; only for a launch in several parts). The counts come from
the shipped gazetteer (GeoNames cities of 15,000 people or more, see
``data/README.md``), each city classified exactly as :func:`geo.analysis.bands.reach_table`
would. They count people in cities above that size only, by the
GeoNames figures, not the whole population.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from geo.analysis import cache
from geo.analysis.bands import RangeBand
from geo.analysis.classifier import Classifier
from geo.analysis.launch import LaunchSource
from geo.analysis.status import STATUSES, Status, listed_statuses

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ZONE_NAMES", "PopulationInRange", "population_in_range"]

ZONE_NAMES = {
    Status.REACHABLE: "reachable zone",
    Status.TOO_CLOSE: "dead zone",
    Status.TOO_FAR: "beyond",
    Status.MIXED: "out of band",
}
"""How each status's zone is called in reports."""


@dataclass(frozen=True)
class PopulationInRange:
    """Gazetteer cities and their summed population per status (zone).

    Attributes
    ----------
    cities, population : dict of str to int
        Keyed by status: ``reachable``, ``too_close``, ``too_far``.
    largest : dict of str to tuple of str
        Up to five of the most populous cities of each zone, as ``Name, CC``.
    """

    cities: dict[str, int]
    population: dict[str, int]
    largest: dict[str, tuple[str, ...]]

    @property
    def total_cities(self) -> int:
        """Number of cities classified."""
        return sum(self.cities.values())

    def lines(self) -> list[str]:
        """Return one human-readable line per zone (out of band only when a city is there: it needs several parts)."""
        out = []
        for status in listed_statuses(s for s, n in self.cities.items() if n):
            top = ", ".join(self.largest[status][:3])
            out.append(
                f"{ZONE_NAMES[status]:<15} {self.cities[status]:>6,} cities, "
                f"{self.population[status]:>13,} people" + (f" (largest: {top})" if top else "")
            )
        return out

    def record(self) -> dict[str, dict[str, object]]:
        """Return a JSON-ready mapping ``status -> {zone, cities, population, largest}``."""
        return {
            s: {"zone": ZONE_NAMES[s], "cities": self.cities[s], "population": self.population[s],
                "largest": list(self.largest[s])}
            for s in STATUSES
        }


def population_in_range(
    sources: Sequence[LaunchSource], band: RangeBand, *, places: pd.DataFrame | None = None
) -> PopulationInRange:
    """Count gazetteer cities and sum their population in each zone of a range band.

    Parameters
    ----------
    sources : sequence of LaunchPoint or LaunchRegion
        "From any of these".
    band : RangeBand
    places : pandas.DataFrame, optional
        Columns ``name``, ``country``, ``lat``, ``lon``, ``population``;
        default: every city of the shipped gazetteer.

    Examples
    --------
    >>> from geo import parse_launch, RangeBand
    >>> p = population_in_range([parse_launch("BLR")], RangeBand(700, 5000))
    >>> p.cities["too_close"] < p.cities["reachable"], "Kyiv, UA" in p.largest["too_close"]
    (True, True)
    """
    if places is None:
        from geo.reference.places import load_gazetteer

        places = load_gazetteer()
    lon, lat = places["lon"].to_numpy(float), places["lat"].to_numpy(float)
    pop = places["population"].to_numpy(dtype=np.int64)
    key = {"launch": cache.launch_key(sources), "min_m": band.min_m, "max_m": band.max_m,
           "places": cache.array_digest(lon, lat, pop, places["name"], places["country"])}
    return cache.remembered("population", key, lambda: _count(sources, band, places, lon, lat, pop),
                            dump=lambda p: json.dumps(dataclasses.asdict(p)).encode(), read=_read)


def _read(blob: bytes) -> PopulationInRange:
    data = json.loads(blob)
    return PopulationInRange({k: int(v) for k, v in data["cities"].items()},
                             {k: int(v) for k, v in data["population"].items()},
                             {k: tuple(v) for k, v in data["largest"].items()})


def _count(sources: Sequence[LaunchSource], band: RangeBand, places: pd.DataFrame, lon: NDArray[np.float64],
           lat: NDArray[np.float64], pop: NDArray[np.int64]) -> PopulationInRange:
    """:func:`population_in_range` without the cache."""
    codes = Classifier(sources, band).status(lon, lat)
    order = np.argsort(-pop, kind="stable")
    cities: dict[str, int] = {}
    people: dict[str, int] = {}
    largest: dict[str, tuple[str, ...]] = {}
    for status in STATUSES:
        mask = codes == status.code
        cities[status] = int(mask.sum())
        people[status] = int(pop[mask].sum())
        top = order[mask[order]][:5]
        largest[status] = tuple(f"{places['name'].iat[i]}, {places['country'].iat[i]}" for i in top)
    return PopulationInRange(cities, people, largest)
