"""Evaluate claims: status, verdict, margin, critical values, robustness, coverage.

For each scenario (launch set) of a claim the exact nearest and farthest
distances from every launch part to the place that can decide anything
(:func:`geo.analysis.bands.essential_intervals`; an island inside the
mainland's interval cannot) decide everything below; nothing is read off a drawing except the coverage
share, which carries its own error bound (:mod:`geo.analysis.coverage`).

- **status** as in :mod:`geo.analysis.bands`; the claim **holds** when the status
  matches ``expect`` (``not_reachable`` matches too_close and too_far).
  For an area target the parts are the pairs (launch part, part of the
  area) with their exact nearest and farthest distances
  (:func:`geo.analysis.areas.area_intervals`), so ``reachable`` means some
  of it, and everything below is exact as for a point; ``all_reachable``
  holds when every point is (:func:`geo.analysis.areas.area_reach`), with
  no critical values, robust when it is the same at the uncertainty box's
  two extreme corners (it is monotone in both figures).
- **margin_km**: the margin of :func:`geo.analysis.status.classify`, i.e. how far the
  deciding distance clears the deciding threshold.
- **critical values**: for each figure, with the other at its nominal value,
  the nearest value at which the verdict flips. The verdict, as a function
  of one figure, only changes at one of the parts' nearest or farthest
  distances, so those are the only candidates; each is tested just below,
  at and just above (boundaries are inclusive), and only values that keep
  ``min_km <= max_km`` count.
- **robustness**: whether the verdict is the same over the whole
  uncertainty interval of each figure and over both together (the box);
  tested at the interval ends and at every candidate inside, so it is
  exact, not sampled.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

import numpy as np
from numpy.typing import NDArray

from geo.analysis.areas import AreaReach, AreaZone, area_intervals, area_reach
from geo.analysis.bands import RangeBand, essential_intervals, name_route_legs, reach_table
from geo.analysis.coverage import Coverage, launch_coverage, share_in_zone
from geo.analysis.flight import FlightTime, TimeVerdict, flight_times
from geo.analysis.launch import LaunchRegion, LaunchSource
from geo.analysis.population import PopulationInRange, population_in_range
from geo.analysis.status import STATUSES, Status, classify, status_codes
from geo.claims.model import ALL_REACHABLE, NOT_REACHABLE, Claim, Scenario, Survey
from geo.errors import ClaimFormatError
from geo.geodesy.ellipsoid import MAX_RANGE_KM
from geo.reference.systems import Figure

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ClaimResult",
    "Flip",
    "SurveyResult",
    "TIME_COLUMNS",
    "Timing",
    "Verdict",
    "evaluate",
    "evaluate_claim",
    "evaluate_survey",
    "holds",
]

log = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

_STEP_KM: Final = 1e-6
"""Offset (1 mm) used to test just below and above a candidate flip value."""

_FIGURES: Final = ("min_km", "max_km")


def holds(status: str, expect: str) -> bool:
    """Return whether a status satisfies an expectation (``not_reachable``: any status but reachable)."""
    return status != Status.REACHABLE if expect == NOT_REACHABLE else status == expect


def _holds(codes: NDArray[np.int8], expect: str) -> NDArray[np.bool_]:
    """:func:`holds` for an array of status codes."""
    if expect == NOT_REACHABLE:
        return np.asarray(codes != Status.REACHABLE.code)
    return np.asarray(codes == Status(expect).code)


@dataclass(frozen=True)
class Flip:
    """Where a verdict flips when one figure changes (the other at its nominal value).

    Attributes
    ----------
    figure : str
        ``min_km`` or ``max_km``.
    value_km : float
        The critical value.
    holds_if : str
        The claim holds (near the nominal value) when ``figure holds_if
        value_km``: one of ``<``, ``<=``, ``>``, ``>=``.
    """

    figure: str
    value_km: float
    holds_if: str

    def describe(self, holds_now: bool) -> str:
        """Return e.g. ``"holds while min_km > 654.6 km"``."""
        lead = "holds while" if holds_now else "would hold if"
        return f"{lead} {self.figure} {self.holds_if} {self.value_km:,.1f} km"


@dataclass(frozen=True)
class Timing:
    """How a flight time stated by a claim fits what the system can fly (:mod:`geo.analysis.flight`)."""

    flight: FlightTime
    verdict: TimeVerdict
    why: str
    """The verdict in words: "Kyiv in 1 min 51 s from Belarus is impossible ...: the flattest takes at least ..."."""
    robust: bool
    """Whether the verdict is the same at both ends of the maximum range's uncertainty interval."""


@dataclass(frozen=True)
class Verdict:
    """A claim's outcome for one scenario."""

    scenario: Scenario
    status: Status
    holds: bool
    nearest_km: float
    farthest_km: float
    margin_km: float
    deciding_km: float
    deciding_figure: str
    via: str
    flips: dict[str, Flip | None]
    robust: bool
    robust_by_figure: dict[str, bool]
    coverage: Coverage
    critical: Flip | None
    """The flip nearest to the nominal figures (None if no figure can flip the verdict)."""
    population: PopulationInRange | None = None
    """Gazetteer cities and people in the reachable zone, the dead zone and beyond (None if not asked for)."""
    area: AreaReach | None = None
    """For an area target: what the band reaches of it (some, all, the share; :mod:`geo.analysis.areas`)."""
    timing: Timing | None = None
    """For a claim that states a flight time: how the time fits (then ``holds`` is about the time)."""

    @property
    def outcome(self) -> str:
        """What ``expect`` is compared with: the time verdict of a timed claim, else the status."""
        return self.timing.verdict.value if self.timing is not None else self.status.value

    def area_text(self) -> str:
        """Return ``"some of Poland is reachable: 88.7 % ..."`` for an area target, else ``""``."""
        return "" if self.area is None else self.area.describe()


@dataclass(frozen=True)
class ClaimResult:
    """A claim with its verdict for the main launch and for each further scenario."""

    claim: Claim
    verdict: Verdict
    scenarios: tuple[Verdict, ...]

    @property
    def holds(self) -> bool:
        """Whether the claim holds for its main launch."""
        return self.verdict.holds


@dataclass(frozen=True)
class SurveyResult:
    """A survey's answer: statuses per place and per scenario, shares of territories."""

    survey: Survey
    places: pd.DataFrame
    """One row per place and scenario: the reach table columns plus ``scenario``."""
    territories: pd.DataFrame
    """One row per territory and scenario: ``iso_a3, name, share, error, area_km2, scenario``."""
    times: pd.DataFrame | None = None
    """With ``times``: one row per place and scenario, the flight times (:data:`TIME_COLUMNS`)."""


TIME_COLUMNS: Final = (
    "scenario", "name", "country", "distance_km", "typical", "total_min_low", "total_min_high", "fastest_min",
    "against", "against_km", "against_min_low", "against_min_high", "saved_min",
)
"""A survey's flight-time rows: the least-energy flight through space plus the boost band (``total_min_*``),
the fastest flight above the minimum apogee with the shortest boost (``fastest_min``), and against
``times_against`` the same times and the minutes saved (the free-flight difference; the boost cancels)."""


# ---------------------------------------------------------------------------


def _outcomes(n: FloatArray, f: FloatArray, mins: FloatArray, maxs: FloatArray, expect: str) -> NDArray[np.bool_]:
    """Whether the claim holds for each band (``mins[k], maxs[k]``), from per-part distances (km)."""
    return _holds(status_codes(n[:, None], f[:, None], mins, maxs), expect)


def _probe(values: FloatArray, lo: float, hi: float) -> FloatArray:
    """Candidate values in [lo, hi]: the ends, and each breakpoint inside with its neighbours."""
    inside = values[(values >= lo) & (values <= hi)]
    pts = np.concatenate([[lo, hi], inside, inside - _STEP_KM, inside + _STEP_KM])
    return np.unique(np.clip(pts, lo, hi))


def _flip(
    n: FloatArray, f: FloatArray, breaks: FloatArray, expect: str, figure: str, nominal: float, other: float,
    now: bool,
) -> Flip | None:
    lo, hi = (0.0, other) if figure == "min_km" else (other, MAX_RANGE_KM)
    pts = _probe(breaks, lo, hi)
    fixed = np.full(pts.shape, other)
    mins, maxs = (pts, fixed) if figure == "min_km" else (fixed, pts)
    out = _outcomes(n, f, mins, maxs, expect)
    best: Flip | None = None
    up = np.flatnonzero((pts > nominal) & (out != now))
    if up.size:
        t = pts[up[0]]
        b = breaks[np.argmin(np.abs(breaks - t))]
        op = "<" if t == b else "<="  # the outcome at nominal lasts up to b (inclusive or not)
        best = Flip(figure, float(b), op if now else _negate(op))
    down = np.flatnonzero((pts < nominal) & (out != now))
    if down.size:
        t = pts[down[-1]]
        b = breaks[np.argmin(np.abs(breaks - t))]
        op = ">" if t == b else ">="
        if best is None or nominal - b < best.value_km - nominal:
            best = Flip(figure, float(b), op if now else _negate(op))
    return best


def _negate(op: str) -> str:
    return {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}[op]


def _robust(
    n: FloatArray, f: FloatArray, breaks: FloatArray, expect: str, minimum: Figure, maximum: Figure, now: bool
) -> tuple[bool, dict[str, bool]]:
    pmin = _probe(breaks, minimum.low_km, minimum.high_km)
    pmax = _probe(breaks, maximum.low_km, maximum.high_km)
    by_figure = {}
    for figure, pts in (("min_km", pmin), ("max_km", pmax)):
        fixed = np.full(pts.shape, maximum.value_km if figure == "min_km" else minimum.value_km)
        mins, maxs = (pts, fixed) if figure == "min_km" else (fixed, pts)
        valid = mins <= maxs
        by_figure[figure] = bool((_outcomes(n, f, mins[valid], maxs[valid], expect) == now).all())
    mins, maxs = (a.ravel() for a in np.meshgrid(pmin, pmax, indexing="ij"))
    valid = mins <= maxs
    joint = bool((_outcomes(n, f, mins[valid], maxs[valid], expect) == now).all())
    return joint, by_figure


@functools.lru_cache(maxsize=128)
def _population(sources: tuple[LaunchSource, ...], min_km: float, max_km: float) -> PopulationInRange:
    """Return the population in range, computed once per launch and band (many claims share both)."""
    return population_in_range(sources, RangeBand(min_km, max_km))


def _verdict(claim: Claim, scenario: Scenario, *, with_coverage: bool, with_population: bool = False) -> Verdict:
    if claim.minutes is not None:
        return _timed_verdict(claim, scenario, with_coverage=with_coverage, with_population=with_population)
    if claim.earth_rotation:
        return _rotating_verdict(claim, scenario)
    band = claim.band
    area = claim.place.area
    if area is not None:  # the pairs (launch part, part of the area) are the rule's parts: "some of it"
        return _area_verdict(claim, scenario, with_population=with_population)
    lon, lat = np.array([claim.place.lon]), np.array([claim.place.lat])
    labels, nearest, farthest, exact = essential_intervals(scenario.sources, lon, lat)
    return _decide(claim, scenario, labels, nearest, farthest, lon, lat,
                   launch_coverage(scenario.sources, claim.place.lon, claim.place.lat, band) if with_coverage
                   else Coverage(None, 0.0, 0.0, 0.0, 0, 0), with_population, exact=exact[:, 0])


def _timed_verdict(claim: Claim, scenario: Scenario, *, with_coverage: bool, with_population: bool) -> Verdict:
    """Return the verdict on a stated flight time: the range verdict's numbers, and ``holds`` about the time.

    The flight is computed between the launch point and the place nearest
    each other (:func:`geo.analysis.flight.flight_times`); the verdict is
    robust when it is the same with the maximum range at both ends of its
    uncertainty interval (the burnout speed it fixes is the uncertain part).
    """
    assert claim.minutes is not None
    base = _verdict(replace(claim, minutes=None, expect=Status.REACHABLE.value), scenario,
                    with_coverage=with_coverage, with_population=with_population)
    target = claim.place.area.geometry if claim.place.area is not None else f"{claim.place.lat},{claim.place.lon}"

    def flight(max_km: float, reach: bool) -> FlightTime:
        found = flight_times(list(scenario.sources), [target], claim.system, max_km=max_km, boost_min=claim.boost_min,
                             min_apogee_km=claim.min_apogee_km, borders=claim.borders, reach=reach)[0]
        return replace(found, target=claim.place.name, launch=scenario.label)

    stated = claim.minutes
    nominal = flight(claim.max_km.value_km, True)
    verdict, why = nominal.judge(stated.low_s, stated.high_s, stated.text)
    ends = {claim.max_km.low_km, claim.max_km.high_km} - {claim.max_km.value_km}
    robust = all(flight(km, False).judge(stated.low_s, stated.high_s, stated.text)[0] is verdict for km in ends)
    return replace(base, holds=verdict.value == claim.expect, flips={"min_km": None, "max_km": None}, critical=None,
                   robust=robust, robust_by_figure={"max_km": robust}, timing=Timing(nominal, verdict, why, robust))


def _rotating_verdict(claim: Claim, scenario: Scenario) -> Verdict:
    """Return the verdict on the turning Earth (:mod:`geo.analysis.rotation`), from launch points.

    The critical value of ``min_km`` is the place's distance, that of
    ``max_km`` the published figure whose reach toward the place is its
    distance (:func:`geo.analysis.rotation.published_for`); with several
    launch points only robustness is given (the verdict at the corners of
    the uncertainty box: the reach grows with ``max_km``, the dead zone
    with ``min_km``).
    """
    from geo.analysis.rotation import launch_points, published_for, rotating_reach

    if claim.place.area is not None:
        raise ClaimFormatError(f"{claim.where}: earth_rotation: place {claim.place.query!r} is an area; the turning "
                               "Earth's reach is measured to points")
    points = launch_points(scenario.sources, "earth_rotation")
    band = claim.band
    lon, lat = np.array([claim.place.lon]), np.array([claim.place.lat])
    r = rotating_reach(points, band, lon, lat)
    status = STATUSES[int(r.codes[0])]
    now = holds(status, claim.expect)
    d = float(r.nearest_m[0]) / 1000.0
    reach = float(r.reach_m[0]) / 1000.0
    part = int(r.part[0])
    flips: dict[str, Flip | None] = {"min_km": None, "max_km": None}
    if len(points) == 1:
        if status is not Status.TOO_FAR:  # the minimum decides from the place's distance
            flips["min_km"] = Flip("min_km", d, ("<=" if status is Status.REACHABLE else ">") if now
                                   else (">" if status is Status.REACHABLE else "<="))
        if status is not Status.TOO_CLOSE:
            critical = published_for(points[0], claim.place.lon, claim.place.lat)
            op = ">=" if status is Status.REACHABLE else "<"
            flips["max_km"] = Flip("max_km", critical, op if now else _negate(op))
    nominal = {"min_km": band.min_km, "max_km": band.max_km}
    candidates = [fl for fl in flips.values() if fl is not None]
    critical_flip = min(candidates, key=lambda fl: abs(fl.value_km - nominal[fl.figure]), default=None)
    corners = []
    for lo, hi in ((claim.min_km.low_km, claim.max_km.low_km), (claim.min_km.low_km, claim.max_km.high_km),
                   (claim.min_km.high_km, claim.max_km.low_km), (claim.min_km.high_km, claim.max_km.high_km)):
        if lo <= hi:
            code = rotating_reach(points, RangeBand(lo, hi), lon, lat).codes[0]
            corners.append(holds(STATUSES[int(code)], claim.expect) == now)
    figure = "max_km" if status is not Status.TOO_CLOSE and (status is Status.TOO_FAR or reach - d <= d - band.min_km) \
        else "min_km"
    return Verdict(
        scenario=scenario, status=status, holds=now, nearest_km=d, farthest_km=float(r.farthest_m[0]) / 1000.0,
        margin_km=float(r.margin_m[0]) / 1000.0, deciding_km=d, deciding_figure=figure, via=points[part].label,
        flips=flips, robust=all(corners), robust_by_figure={}, coverage=Coverage(None, 0.0, 0.0, 0.0, 0, 0),
        critical=critical_flip,
    )


def _area_verdict(claim: Claim, scenario: Scenario, *, with_population: bool) -> Verdict:
    """Return the verdict on an area target: the rule over pairs of parts; for ``all_reachable`` the whole area.

    ``all_reachable`` grows with ``max_km`` and shrinks with ``min_km`` (the
    reachable zone does), so it is robust over the uncertainty box exactly
    when it is the same at the box's two extreme corners.
    """
    area = claim.place.area
    assert area is not None
    band = claim.band
    shared = AreaZone(scenario.sources, band)
    labels, nearest, farthest = area_intervals(shared, area.geometry, area.label, code=area.code)
    reach = area_reach(shared, band, area.geometry, area.label, code=area.code)
    none = Coverage(None, 0.0, 0.0, 0.0, 0, 0)
    near_lon, near_lat = np.array([reach.lon]), np.array([reach.lat])  # a route's leg is named at the nearest point
    if claim.expect != ALL_REACHABLE:
        return replace(_decide(claim, scenario, labels, nearest, farthest, near_lon, near_lat, none,
                               with_population), area=reach)
    base = _decide(replace(claim, expect=Status.REACHABLE.value), scenario, labels, nearest, farthest, near_lon,
                   near_lat, none, with_population)
    corners = []
    for lo, hi in ((claim.min_km.high_km, claim.max_km.low_km), (claim.min_km.low_km, claim.max_km.high_km)):
        if lo > hi:
            corners.append(False)
            continue
        corners.append(area_reach(scenario.sources, RangeBand(lo, hi), area.geometry, area.label,
                                  code=area.code).all_reachable)
    now = reach.all_reachable
    return replace(base, holds=now, flips={"min_km": None, "max_km": None}, critical=None,
                   robust=corners[0] == corners[1] == now, robust_by_figure={}, area=reach)


def _decide(claim: Claim, scenario: Scenario, labels: list[str], nearest: FloatArray, farthest: FloatArray,
            lon: FloatArray, lat: FloatArray, coverage: Coverage, with_population: bool,
            exact: NDArray[np.bool_] | None = None) -> Verdict:
    """Decide a claim from per-part distances (m) to its place; ``exact`` marks the parts whose values are exact.

    The others (see :func:`geo.analysis.bands.essential_intervals`) decide
    nothing for any band, so their bounds are no break points.
    """
    band = claim.band
    code_a, margin_a, part_a = classify(nearest, farthest, band.min_m, band.max_m)
    status, margin, part = STATUSES[int(code_a[0])], float(margin_a[0]) / 1000.0, int(part_a[0])
    names, leg = name_route_legs(scenario.sources, labels, part_a, lon, lat)  # a route's leg, not only its name
    via = [names[int(leg[0])]]
    n, f = nearest[:, 0] / 1000.0, farthest[:, 0] / 1000.0
    now = holds(status, claim.expect)
    if status == Status.REACHABLE:
        by_max = band.max_km - n[part] <= f[part] - band.min_km
        figure, deciding = ("max_km", n[part]) if by_max else ("min_km", f[part])
    elif n[part] > band.max_km:  # too far, or mixed and decided by a part beyond the maximum
        figure, deciding = "max_km", n[part]
    else:
        figure, deciding = "min_km", f[part]
    known = slice(None) if exact is None else exact
    breaks = np.unique(np.concatenate([n[known], f[known]]))  # the only values at which a verdict can flip
    flips = {
        "min_km": _flip(n, f, breaks, claim.expect, "min_km", band.min_km, band.max_km, now),
        "max_km": _flip(n, f, breaks, claim.expect, "max_km", band.max_km, band.min_km, now),
    }
    nominal = {"min_km": band.min_km, "max_km": band.max_km}
    candidates = [fl for fl in flips.values() if fl is not None]
    nearest_flip = min(candidates, key=lambda fl: abs(fl.value_km - nominal[fl.figure]), default=None)
    robust, by_figure = _robust(n, f, breaks, claim.expect, claim.min_km, claim.max_km, now)
    return Verdict(
        scenario=scenario,
        status=status,
        holds=now,
        nearest_km=float(n.min()),
        farthest_km=float(f.max()),
        margin_km=margin,
        deciding_km=float(deciding),
        deciding_figure=figure,
        via=via[0],
        flips=flips,
        robust=robust,
        robust_by_figure=by_figure,
        coverage=coverage,
        critical=nearest_flip,
        population=_population(tuple(scenario.sources), band.min_km, band.max_km) if with_population else None,
    )


def evaluate_claim(claim: Claim, *, coverage: bool = True, population: bool = False) -> ClaimResult:
    """Evaluate a claim for its main launch and each further scenario.

    Parameters
    ----------
    claim : Claim
    coverage : bool, default True
        Compute the launch-area coverage (about 0.05-0.3 s per claim whose
        place is reachable from only part of a territory).
    population : bool, default False
        Count the gazetteer cities and their people in each zone of the
        claim's band (:mod:`geo.analysis.population`), once per launch and band.

    Examples
    --------
    >>> from geo.claims.model import make_claim
    >>> r = evaluate_claim(make_claim(place="Kyiv", expect="too_close", launch="BLR", min_km=700, max_km=5000))
    >>> v = r.verdict
    >>> v.status.value, v.holds, f"{v.margin_km:.1f}", v.critical.describe(v.holds)
    ('too_close', True, '45.4', 'holds while min_km > 654.6 km')
    """
    if not isinstance(claim, Claim):
        raise ClaimFormatError(f"{claim!r:.60}: expected a Claim (from geo.make_claim or geo.load_claims), "
                               f"not {type(claim).__name__}")
    main = _verdict(claim, claim.launch, with_coverage=coverage, with_population=population)
    extra = tuple(_verdict(claim, s, with_coverage=coverage, with_population=population) for s in claim.scenarios)
    return ClaimResult(claim, main, extra)


def evaluate_survey(survey: Survey, *, tolerance_m: float = 10.0, shares: bool = True) -> SurveyResult:
    """Answer a survey: every place's status per scenario, and territory shares in the reachable zone.

    ``shares=False`` skips the territory shares (the slow part: a reachable
    zone per scenario); ``territories`` is then empty.
    """
    import pandas as pd  # a survey's tables are frames; claims alone do without pandas

    from geo.analysis.zones import reachable_zone

    band = survey.band
    frames = []
    rows = []
    territories = survey.regions
    from geo.inputs.targets import AREA_COLUMN

    for scenario in (survey.launch, *survey.scenarios):
        if survey.earth_rotation:
            from geo.analysis.rotation import rotating_table

            frame = rotating_table(survey.table, list(scenario.sources), band)
        elif AREA_COLUMN in survey.table.columns:  # area targets among the places: geo.reach measures them
            from geo.analysis.api import reach

            frame = reach(survey.table, list(scenario.sources), band.min_km, band.max_km)
        else:
            frame = reach_table(survey.table, list(scenario.sources), band)
        frame.insert(0, "scenario", scenario.label)
        frames.append(frame)
        if territories and shares:
            if survey.earth_rotation:
                from geo.analysis.zones import zones

                zone = zones(list(scenario.sources), band, tolerance_m=tolerance_m, earth_rotation=True)[2].geometry
            else:
                zone = reachable_zone(list(scenario.sources), band, tolerance_m=tolerance_m)
            for code, name, geometry in territories:
                share, error, area = share_in_zone(zone, geometry, tolerance_m)
                rows.append(
                    {"scenario": scenario.label, "iso_a3": code, "name": name, "share": share, "error": error,
                     "area_km2": area}
                )
    columns = ["scenario", "iso_a3", "name", "share", "error", "area_km2"]
    times = _survey_times(survey) if survey.times else None
    return SurveyResult(survey, pd.concat(frames, ignore_index=True), pd.DataFrame(rows, columns=columns), times)


def _survey_times(survey: Survey) -> pd.DataFrame:
    """Return the flight times of a survey's places from each scenario, and from ``times_against``."""
    import pandas as pd

    table = survey.table
    targets = [f"{lat!r},{lon!r}" for lat, lon in zip(table["lat"], table["lon"], strict=True)]

    def flights(scenario: Scenario) -> list[FlightTime]:
        return flight_times(list(scenario.sources), targets, survey.system, max_km=survey.max_km.value_km,
                            borders=survey.borders, reach=False)

    def typical(f: FlightTime) -> tuple[float, float, float]:
        band = None if f.inside_min_range else f.typical_s()  # nearer than the minimum range: no flight
        free = f.typical.free_s if f.typical is not None else math.nan
        return (band[0] / 60, band[1] / 60, free) if band else (math.nan, math.nan, math.nan)

    against = flights(survey.times_against) if survey.times_against is not None else None
    rows = []
    for scenario in (survey.launch, *survey.scenarios):
        for k, f in enumerate(flights(scenario)):
            low, high, free = typical(f)
            possible = f.possible_s()
            row = {"scenario": scenario.label, "name": table["name"].iat[k], "country": table["country"].iat[k],
                   "distance_km": f.distance_km, "typical": f.typical.name if f.typical else "",
                   "total_min_low": low, "total_min_high": high,
                   "fastest_min": possible[0] / 60 if possible and math.isfinite(low) else math.nan}
            if against is not None and survey.times_against is not None:
                other = against[k]
                a_low, a_high, a_free = typical(other)
                row |= {"against": survey.times_against.label, "against_km": other.distance_km,
                        "against_min_low": a_low, "against_min_high": a_high, "saved_min": (a_free - free) / 60}
            rows.append(row)
    return pd.DataFrame(rows, columns=list(TIME_COLUMNS))


def _measure_together(claims: Sequence[Claim]) -> None:
    """Ask every launch the claims share about all of their point places at once.

    A territory's parts remember small queries (:meth:`geo.geodesy.distance.LaunchArea.distances`),
    and one query of many places costs about as much as one of a single place.
    """
    by_launch: dict[tuple[int, ...], tuple[Sequence[LaunchSource], list[tuple[float, float]]]] = {}
    for c in claims:
        if not isinstance(c, Claim) or c.place.area is not None:
            continue
        for scenario in (c.launch, *c.scenarios):
            if any(isinstance(src, LaunchRegion) for src in scenario.sources):
                key = tuple(id(src) for src in scenario.sources)  # one launch named by several claims is one object
                entry = by_launch.setdefault(key, (scenario.sources, []))
                entry[1].append((c.place.lon, c.place.lat))
    for sources, places in by_launch.values():
        if len(places) > 1:
            lon, lat = (np.array(v, dtype=float) for v in zip(*places, strict=True))
            essential_intervals(sources, lon, lat)


def evaluate(
    claims: Sequence[Claim],
    surveys: Sequence[Survey] = (),
    *,
    coverage: bool = True,
    shares: bool = True,
    population: bool = False,
) -> tuple[list[ClaimResult], list[SurveyResult]]:
    """Evaluate claims and surveys in order (the options as for the single functions).

    The places of all claims from one launch are measured from its parts in
    one call first (:func:`_measure_together`): each claim then finds its
    distances already known.
    """
    _measure_together(claims)
    results = []
    for c in claims:
        results.append(evaluate_claim(c, coverage=coverage, population=population))
        log.debug("claim %s: %s", c.id, "holds" if results[-1].holds else "FAILS")
    log.info("evaluated %d claims, %d hold", len(results), sum(r.holds for r in results))
    return results, [evaluate_survey(s, shares=shares) for s in surveys]
