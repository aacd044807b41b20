"""What a claim map shows, independent of how it is drawn.

The interactive map (:mod:`geo.outputs.webmap`, folium) and the static figure
(:mod:`geo.outputs.figure`, matplotlib) draw the same :class:`MapContent`:

- one :class:`ZoneSet` per distinct range band and launch scenario of the
  claims and surveys: the reachable zone, the dead zone and the outer limit,
  built by :mod:`geo.analysis.zones` to within :data:`DISPLAY_TOLERANCE_M` of the
  exact boundaries (never a projected or planar circle);
- the launch: territories, routes (drawn by :func:`geo.geodesy.lonlat.route_lines`) and sites of every
  scenario;
- one :class:`Mark` per place: claim places with their verdicts, and the
  places of surveys with their statuses;
- the view: the launch and the claim places, which is what an analyst
  looks at first.

All text here is plain text. Whoever draws it escapes it for its medium.
Verdicts come from :mod:`geo.claims.verdicts` (exact geodesic distances), never
from the drawn geometry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

import shapely
from shapely.geometry.base import BaseGeometry

from geo.analysis.bands import RangeBand
from geo.analysis.flight import DEFAULT_BOOST_S, FlightTime, flight_times
from geo.analysis.launch import LaunchRegion, LaunchSource
from geo.analysis.status import STATUSES, Status
from geo.analysis.zones import MIN_TOLERANCE_M, piece, reach_zone, zones
from geo.claims.model import Claim, ClaimFile, Scenario, Survey
from geo.claims.verdicts import ClaimResult, SurveyResult, Verdict, evaluate
from geo.geodesy.lonlat import drawn_boundary
from geo.reference.borders import borders_note

__all__ = [
    "DISPLAY_TOLERANCE_M",
    "SCENARIO_DASHES",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "ZONE_COLORS",
    "Isochrone",
    "MapContent",
    "Mark",
    "ZoneSet",
    "map_content",
]

DISPLAY_TOLERANCE_M: Final = 100.0
"""Largest distance of a drawn zone boundary from the exact one, in metres (tested)."""

STATUS_COLORS: Final[dict[str, str]] = {
    Status.REACHABLE: "#c0392b",
    Status.TOO_CLOSE: "#6c3483",
    Status.TOO_FAR: "#7f8c8d",
    Status.MIXED: "#e69f00",
}
STATUS_LABELS: Final[dict[str, str]] = {
    Status.REACHABLE: "reachable",
    Status.TOO_CLOSE: "too close (inside the dead zone)",
    Status.TOO_FAR: "too far (beyond the outer limit)",
    Status.MIXED: "mixed (no launch point in the band: some too close, the rest too far)",
}
# One colour per zone set, in order of first appearance: Okabe-Ito and Paul Tol's muted scheme (both
# colour-blind safe), without the red and orange of the reachable and mixed statuses.
ZONE_COLORS: Final = ("#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#882255", "#117733", "#332288", "#999933",
                      "#44aa99", "#aa4499", "#d55e00", "#000000")
# Scenarios are outlines; each has its own dash pattern (SVG dasharray, in line widths).
SCENARIO_DASHES: Final = ("8 5", "2 4", "12 4 2 4", "5 3", "1 3", "14 3 3 3 3 3", "20 5", "3 6")


@dataclass(frozen=True)
class ZoneSet:
    """The zones of one range band from one launch scenario.

    Attributes
    ----------
    label : str
        E.g. ``"Oreshnik 700-5,000 km from Belarus"``.
    band : RangeBand
    scenario : Scenario
    reachable, dead_zone : shapely geometry
        Lon/lat (Multi)Polygons as :mod:`geo.analysis.zones` builds them (split at the
        antimeridian, pole caps closed along the map edge).
    outer_limit, inner_limit : shapely MultiLineString
        The boundaries of the reach and of the dead zone, without the
        map-edge closures (see :func:`geo.geodesy.lonlat.drawn_boundary`).
    main : bool
        Whether this is the main launch of some claim (a filled zone) or a
        further scenario (drawn as dashed outlines).
    color : str
        Its own colour (no two zone sets of a map share colour and dash).
    """

    label: str
    band: RangeBand
    scenario: Scenario
    reachable: BaseGeometry
    dead_zone: BaseGeometry
    outer_limit: BaseGeometry
    inner_limit: BaseGeometry
    main: bool
    color: str
    dash: str = ""
    """SVG dash pattern of the limits: solid for main launches, distinct for each scenario."""


@dataclass(frozen=True)
class BandStatus:
    """A place's status under one drawn zone set (a band from a main launch), with its distances in km."""

    label: str
    """The zone set's label, e.g. ``"Iskander-M up to 500 km from Belarus"``."""
    launch: str
    """Its launch's label, e.g. ``"Belarus"``."""
    status: str
    nearest_km: float
    farthest_km: float
    margin_km: float


SHOWN_FIRST: Final = (Status.REACHABLE, Status.TOO_CLOSE, Status.MIXED, Status.TOO_FAR)
"""Which status a place's one marker shows when its zone sets disagree: the first it has in this order.

So a marker never contradicts a zone it lies in: a place some drawn band
reaches is drawn reachable (it lies in that band's reachable zone); one
drawn too close lies in a dead zone and no band reaches it; one drawn too
far lies beyond every band's outer limit."""


@dataclass(frozen=True)
class Mark:
    """A place on the map, drawn once, with what every claim and survey says about it.

    ``bands`` holds its status under each zone set that a claim or survey
    about it draws from a main launch (each once, at least one); its marker
    shows one of them (:attr:`shown`), whose status and distances are the
    mark's. ``claims`` holds every claim about the place and ``holds``
    whether all of them hold. A place only surveys mention has ``survey``
    set (their names).
    """

    name: str
    lon: float
    lat: float
    bands: tuple[BandStatus, ...]
    holds: bool | None = None
    claims: tuple[ClaimResult, ...] = ()
    survey: str = ""
    country: str = ""
    flights: tuple[str, ...] = ()
    """The flight-time band from each ballistic system's launch that reaches the place, in words."""

    @property
    def shown(self) -> BandStatus:
        """The band whose status the marker shows: the first status of :data:`SHOWN_FIRST` the place has."""
        return next(b for status in SHOWN_FIRST for b in self.bands if b.status == status)

    @property
    def status(self) -> str:
        """The status the marker shows."""
        return self.shown.status

    @property
    def nearest_km(self) -> float:
        """The distance of the nearest launch point of the shown band, in km."""
        return self.shown.nearest_km

    @property
    def farthest_km(self) -> float:
        """The distance of the farthest launch point of the shown band, in km."""
        return self.shown.farthest_km

    @property
    def margin_km(self) -> float:
        """How far the place is from changing status under the shown band, in km."""
        return self.shown.margin_km

    def tooltip(self) -> list[str]:
        """Return the tooltip lines in plain words: name (with its country), then its status under each band."""
        title = f"{self.name}, {self.country}" if self.country else self.name
        if len(self.bands) > 1:
            lines = [title] + [f"{b.label}: {STATUS_WORDS[b.status]}, {_span(b.nearest_km, b.farthest_km)} away, "
                               f"{_margin_words(b.status, b.margin_km)}" for b in self.bands]
        else:
            lines = [title, f"{_span(self.nearest_km, self.farthest_km)} from {self.shown.launch}",
                     f"{STATUS_WORDS[self.status]}, {_margin_words(self.status, self.margin_km)}"]
        for r in self.claims:
            said = EXPECT_WORDS.get(r.claim.expect, r.claim.expect)
            lines.append(f"Claim {'holds' if r.holds else 'FAILS'}: said {said}")
        return lines

    def popup(self) -> list[tuple[str, list[str]]]:
        """Return the popup as (heading, lines) sections, one per claim, in plain words (the claim's id last)."""
        if not self.claims:
            return [(self.name, self.tooltip()[1:] + list(self.flights) + [f"Surveyed in: {self.survey}"])]
        sections = [(f"Claim {'holds' if r.holds else 'FAILS'}", _claim_lines(r)) for r in self.claims]
        if self.flights:
            sections.append(("Flight time", list(self.flights)))
        return sections


@dataclass(frozen=True)
class Isochrone:
    """A flight-time ring: the places a ballistic system reaches in ``minutes`` (:func:`_isochrones`)."""

    minutes: float
    line: BaseGeometry
    """Lon/lat lines (the ring, cut at the antimeridian)."""
    label: str
    """``"10 min"``."""
    system: str
    launch: str


ISOCHRONE_NOTE: Final = (
    "flight-time rings: the minimum-energy flight from the nearest launch point plus a {boost:g}-minute boost "
    "(+-{spread:g} min; still Earth, the turning one moves them by seconds)"
)


@dataclass(frozen=True)
class MapContent:
    """Everything a claim map shows (see the module docstring)."""

    title: str
    zone_sets: tuple[ZoneSet, ...]
    launches: tuple[LaunchSource, ...]
    marks: tuple[Mark, ...]
    sources: tuple[str, ...]
    view: tuple[float, float, float, float]
    """(west, south, east, north) in degrees: the launch and the claim places."""
    tolerance_m: float
    borders: tuple[str, ...] = ("recognised",)
    """The border views the launch countries were taken under, each once (:mod:`geo.reference.borders`)."""
    isochrones: tuple[Isochrone, ...] = ()
    """Flight-time rings of the first ballistic system drawn from a main launch (none without one)."""

    @property
    def isochrone_note(self) -> str:
        """How the flight-time rings are made, for a legend ("" without rings)."""
        if not self.isochrones:
            return ""
        lo, hi = DEFAULT_BOOST_S
        return ISOCHRONE_NOTE.format(boost=(lo + hi) / 120.0, spread=(hi - lo) / 120.0)

    @property
    def borders_text(self) -> str:
        """The border views as the source line says them (``"recognised borders, Natural Earth 5.1.1 admin-0"``)."""
        return "; ".join(borders_note(b) for b in self.borders)

    @property
    def main_launches(self) -> tuple[LaunchSource, ...]:
        """The launch sources of the main zone sets, each once (the first claim's launch first)."""
        return _unique_sources(zs.scenario for zs in self.zone_sets if zs.main)

    @property
    def legend_statuses(self) -> tuple[str, ...]:
        """The statuses a legend lists: those some place on the map has, in the usual order.

        A legend entry no marker shows only makes the reader look for it.
        """
        present = {m.status for m in self.marks}
        return tuple(s for s in STATUSES if s in present)

    @property
    def claim_marks(self) -> tuple[Mark, ...]:
        """The places of claims (with verdicts)."""
        return tuple(m for m in self.marks if m.claims)

    @property
    def survey_marks(self) -> tuple[Mark, ...]:
        """The places of surveys (statuses only)."""
        return tuple(m for m in self.marks if not m.claims)


STATUS_WORDS: Final[dict[str, str]] = {
    Status.REACHABLE: "within reach",
    Status.TOO_CLOSE: "too close to hit (inside the dead zone)",
    Status.TOO_FAR: "out of reach (beyond the maximum range)",
    Status.MIXED: "out of the band from every launch point (some too close, the rest too far)",
}
"""A status as a map's popups and tooltips say it."""
EXPECT_WORDS: Final[dict[str, str]] = {
    "reachable": "within reach", "too_close": "too close to hit", "too_far": "out of reach",
    "not_reachable": "not within reach", "mixed": "out of the band",
    "plausible": "a plausible flight time", "depressed_only": "a time only a flattened flight fits",
    "lofted_only": "a time only a lofted flight fits", "impossible": "a time no ballistic flight fits",
}
_FIGURE_WORDS: Final = {"min_km": "the minimum range", "max_km": "the maximum range"}
_BOUND_WORDS: Final = {">": "above", ">=": "at least", "<": "below", "<=": "at most"}


def _span(nearest_km: float, farthest_km: float) -> str:
    """Return ``"147.2-799.5 km"``, or one distance when the launch is a point."""
    if abs(farthest_km - nearest_km) < 0.05:
        return f"{nearest_km:,.1f} km"
    return f"{nearest_km:,.1f}–{farthest_km:,.1f} km"


def _margin_words(status: str, margin_km: float) -> str:
    """Return how far a place is from changing status, in words."""
    words: dict[str, str] = {Status.REACHABLE: "inside the limits", Status.TOO_CLOSE: "short of the minimum range",
                             Status.TOO_FAR: "beyond the maximum range"}
    return f"{margin_km:,.1f} km {words.get(status, 'from the band')}"


def _critical_words(v: Verdict) -> str:
    if v.critical is None:
        return "No value of the minimum or maximum range changes the verdict."
    c = v.critical
    figure, bound = _FIGURE_WORDS.get(c.figure, c.figure), _BOUND_WORDS.get(c.holds_if, c.holds_if)
    if v.holds:
        return f"The claim stays true while {figure} is {bound} {c.value_km:,.1f} km."
    return f"The claim would be true if {figure} were {bound} {c.value_km:,.1f} km."


def _claim_lines(r: ClaimResult) -> list[str]:
    """Return a claim's popup lines: what it says, the verdict and why, in plain words; its source and id last."""
    c, v = r.claim, r.verdict
    lines = [c.text] if c.text else []
    said = EXPECT_WORDS.get(c.expect, c.expect)
    if v.timing is not None and c.minutes is not None:
        lines.append(f"Said: {c.minutes.text} from {c.launch.label}, {said}. Found: {v.timing.why}.")
        lines.append(f"Range: {STATUS_WORDS[v.status]}, {_margin_words(v.status, v.margin_km)}.")
    else:
        lines.append(f"Said: {said} from {c.launch.label}. Found: {STATUS_WORDS[v.status]}, "
                     f"{_margin_words(v.status, v.margin_km)}.")
    lines.append(f"Distance from {c.launch.label}: {_span(v.nearest_km, v.farthest_km)} "
                 "(nearest to farthest launch point).")
    system = f"{c.system.name}: " if c.system else ""
    lines.append(f"Range used: {system}minimum {c.min_km.describe()}, maximum {c.max_km.describe()}.")
    lines.append(_critical_words(v))
    lines.append("Holds for every published figure." if v.robust else "Some published figures change the verdict.")
    if v.coverage.describe() and v.status == Status.REACHABLE:
        lines.append(f"Within reach from {v.coverage.describe()} of the launch.")
    lines += [_scenario_line(sv) for sv in r.scenarios]
    if c.source.cite():
        lines.append(f"Source: {c.source.cite()}")
    lines.append(f"Claim {c.id}")
    return lines


def _scenario_line(v: Verdict) -> str:
    timing = f"; {v.timing.why}" if v.timing is not None else ""
    return (f"From {v.scenario.label}: {STATUS_WORDS[v.status]}, {_span(v.nearest_km, v.farthest_km)}, "
            f"{_margin_words(v.status, v.margin_km)}{timing}; the claim {'holds' if v.holds else 'FAILS'}"
            + ("" if v.robust else " (not for every published figure)"))


def _entry_label(e: Claim | Survey, scenario: Scenario) -> str:
    """Return the label of the zone set an entry draws from a scenario (the turning Earth's is its own)."""
    return _band_label(e.system_name, e.band, scenario) + (" on the turning Earth" if e.earth_rotation else "")


def _band_label(system: str, band: RangeBand, scenario: Scenario) -> str:
    head = f"{system} " if system else ""
    span = band.phrase()
    return f"{head}{span} from {scenario.label}"


def _zone_sets(entries: Sequence[Claim | Survey], tolerance_m: float) -> tuple[ZoneSet, ...]:
    """Build one zone set per distinct (band, launch); main launches first."""
    wanted: dict[tuple[float, float, tuple[str, ...], bool], tuple[str, RangeBand, Scenario, bool, bool]] = {}
    for main in (True, False):
        for e in entries:
            for scenario in (e.launch,) if main else e.scenarios:
                band = e.band
                key = (band.min_km, band.max_km, scenario.specs, e.earth_rotation)
                if key not in wanted:
                    label = _entry_label(e, scenario)
                    wanted[key] = (label, band, scenario, main, e.earth_rotation)
    sets: list[ZoneSet] = []
    used: set[tuple[str, str]] = set()
    dashes = ("", *SCENARIO_DASHES)
    for i, (label, band, scenario, main, turning) in enumerate(wanted.values()):
        color = ZONE_COLORS[i % len(ZONE_COLORS)]
        k = 0 if main else 1 + sum(not zs.main for zs in sets) % len(SCENARIO_DASHES)
        while (color, dashes[k]) in used:  # past twelve zone sets a colour returns, with a new dash
            k = (k + 1) % len(dashes)
        dash = dashes[k]
        used.add((color, dash))
        with piece(i, len(wanted)):  # the share of the work done, for a progress bar
            reach, dead, reachable = zones(list(scenario.sources), band, tolerance_m=tolerance_m,
                                           earth_rotation=turning)
        sets.append(ZoneSet(
            label=label, band=band, scenario=scenario, reachable=reachable.geometry, dead_zone=dead.geometry,
            outer_limit=drawn_boundary(reach.geometry), inner_limit=drawn_boundary(dead.geometry), main=main,
            color=color, dash=dash,
        ))
    return tuple(sets)


def _survey_name(survey: Survey) -> str:
    """Name a survey as a popup does: its id in a claim file, its question when asked by options."""
    return survey.id if survey.file else survey.question()


@dataclass
class _Place:
    """What the claims and surveys of a map say about one place, gathered before its mark is made."""

    name: str
    country: str
    claims: list[ClaimResult] = field(default_factory=list)
    surveys: list[str] = field(default_factory=list)
    bands: dict[str, BandStatus] = field(default_factory=dict)

    def mark(self, lon: float, lat: float) -> Mark:
        return Mark(self.name, lon, lat, tuple(self.bands.values()),
                    holds=all(r.holds for r in self.claims) if self.claims else None, claims=tuple(self.claims),
                    survey=", ".join(dict.fromkeys(self.surveys)), country=self.country)


def _marks(claims: Sequence[ClaimResult], surveys: Sequence[SurveyResult]) -> tuple[Mark, ...]:
    """Return one mark per place (claim places first), with its status under each band drawn from a main launch."""
    places: dict[tuple[float, float], _Place] = {}
    for r in claims:
        c, v = r.claim, r.verdict
        place = places.setdefault((c.place.lon, c.place.lat), _Place(c.place.name, c.place.country))
        place.claims.append(r)
        label = _entry_label(c, c.launch)
        place.bands.setdefault(label, BandStatus(label, c.launch.label, v.status, v.nearest_km, v.farthest_km,
                                                 v.margin_km))
    for s in surveys:
        label = _entry_label(s.survey, s.survey.launch)
        main = s.places[s.places["scenario"] == s.survey.launch.label]
        for row in main.itertuples(index=False):
            place = places.setdefault((float(row.lon), float(row.lat)), _Place(str(row.name), str(row.country)))
            place.surveys.append(_survey_name(s.survey))
            place.bands.setdefault(label, BandStatus(label, s.survey.launch.label, str(row.status),
                                                     float(row.min_km), float(row.max_km), float(row.margin_km)))
    return tuple(place.mark(lon, lat) for (lon, lat), place in places.items())


def _unique_sources(scenarios: Iterable[Scenario]) -> tuple[LaunchSource, ...]:
    """Return the scenarios' launch sources in order, each label once."""
    seen: dict[str, LaunchSource] = {}
    for scenario in scenarios:
        for s in scenario.sources:
            seen.setdefault(s.label, s)
    return tuple(seen.values())


def _view(launches: Sequence[LaunchSource], marks: Sequence[Mark]) -> tuple[float, float, float, float]:
    geoms = [s.geometry if isinstance(s, LaunchRegion) else shapely.Point(s.lon, s.lat) for s in launches]
    geoms += [shapely.Point(m.lon, m.lat) for m in marks if m.claims]
    west, south, east, north = shapely.GeometryCollection(geoms).bounds
    pad_x, pad_y = max(2.0, 0.1 * (east - west)), max(2.0, 0.1 * (north - south))
    return (max(west - pad_x, -180.0), max(south - pad_y, -85.0), min(east + pad_x, 180.0), min(north + pad_y, 85.0))


def _sources(entries: Sequence[Claim | Survey]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.source.cite() for e in entries if e.source.cite()))


def _default_title(loaded: ClaimFile, entries: Sequence[Claim | Survey]) -> str:
    """Join the files' titles (or names), then the question of every claim or survey asked by options, not in a file."""
    named = list(loaded.titles) or list(dict.fromkeys(e.file for e in entries if e.file))
    asked = [e.question() for e in entries if not e.file]
    return "; ".join(dict.fromkeys(named + asked))


def map_content(
    loaded: ClaimFile,
    *,
    title: str = "",
    results: tuple[Sequence[ClaimResult], Sequence[SurveyResult]] | None = None,
    tolerance_m: float = DISPLAY_TOLERANCE_M,
) -> MapContent:
    """Evaluate the claims and surveys (unless ``results`` are given) and gather what the map shows.

    Parameters
    ----------
    loaded : ClaimFile
        From :func:`geo.claims.model.load_claims`.
    title : str
        The map's title; defaults to the claim file's ``title`` or its name.
    results : (claim results, survey results), optional
        Already evaluated; evaluated here when not given.
    tolerance_m : float, default :data:`DISPLAY_TOLERANCE_M`
        Largest distance in metres of the drawn zone boundaries from the exact ones. Small
        zones are drawn finer: at most a thousandth of the smallest radius of the map (and
        at least :data:`geo.analysis.zones.MIN_TOLERANCE_M`), so a 1 km ring is within 1 m.
    """
    claims, surveys = results if results is not None else evaluate(loaded.claims, loaded.surveys, shares=False)
    entries: list[Claim | Survey] = [*loaded.claims, *loaded.surveys]
    radii = [r for e in entries for r in (e.band.min_km, e.band.max_km) if r > 0]
    if radii:
        tolerance_m = min(tolerance_m, max(MIN_TOLERANCE_M, min(radii)))  # km / 1000 in metres
    launches = _unique_sources(sc for e in entries for sc in (e.launch, *e.scenarios))
    marks = _with_flights(_marks(claims, surveys), entries)
    return MapContent(
        title=title or _default_title(loaded, entries),
        zone_sets=_zone_sets(entries, tolerance_m),
        launches=launches,
        marks=marks,
        sources=_sources(entries),
        view=_view(launches, marks),
        tolerance_m=tolerance_m,
        borders=tuple(dict.fromkeys(e.borders for e in entries)) or ("recognised",),
        isochrones=_isochrones(entries),
    )


def _ballistic(entries: Sequence[Claim | Survey]) -> list[Claim | Survey]:
    """Return the entries of a ballistic system (flight times apply), in order."""
    return [e for e in entries if e.system is not None and e.system.ballistic]


def _flight_words(f: FlightTime, system: str) -> str:
    """Say a place's flight-time band: ``"Flight time of the Oreshnik from Krichev: 10.4-13.4 min ..."``."""
    typical = f.typical_s()
    assert typical is not None and f.typical is not None
    possible = f.possible_s()
    lo, hi = f.boost_s
    how = ("minimum-energy flight" if f.typical is f.min_energy
           else f"least-energy flight above {f.min_apogee_km:,.0f} km")
    span = (f", from {possible[0] / 60:.1f} min (flattest) to {possible[1] / 60:.1f} min (lofted)"
            if possible else "")
    start = " (from its points at the minimum range)" if f.at_min_range else ""
    return (f"Flight time of the {system} from {f.launch}{start}: {typical[0] / 60:.1f}-{typical[1] / 60:.1f} min by "
            f"the {how} over {f.distance_km:,.0f} km with a {lo / 60:g}-{hi / 60:g} min boost{span}.")


def _with_flights(marks: tuple[Mark, ...], entries: Sequence[Claim | Survey]) -> tuple[Mark, ...]:
    """Add to each mark the flight-time band of every ballistic system whose claim or survey is about it."""
    from dataclasses import replace

    if not marks:
        return marks
    lines: dict[int, list[str]] = {}
    done: set[tuple[tuple[str, ...], str, float]] = set()
    for e in _ballistic(entries):
        assert e.system is not None
        key = (e.launch.specs, e.system.key, e.band.max_km)
        if key in done:
            continue
        done.add(key)
        label = _entry_label(e, e.launch)
        ours = [k for k, m in enumerate(marks) if any(b.label == label for b in m.bands)]
        if not ours:
            continue
        targets = [f"{marks[k].lat!r},{marks[k].lon!r}" for k in ours]
        found = flight_times(list(e.launch.sources), targets, e.system, max_km=e.band.max_km, reach=False,
                             borders=e.borders)
        for k, f in zip(ours, found, strict=True):
            if f.typical is not None and not f.inside_min_range:
                lines.setdefault(k, []).append(_flight_words(replace(f, launch=e.launch.label), e.system.name))
    return tuple(replace(m, flights=tuple(lines.get(k, ()))) for k, m in enumerate(marks))


def _isochrones(entries: Sequence[Claim | Survey]) -> tuple[Isochrone, ...]:
    """Return flight-time rings of the first ballistic system's main launch: every 1, 2, 5 or 10 minutes.

    The ring of T minutes lies at the distance whose minimum-energy free
    flight over a still sphere of 6,371 km (the closed form) plus the middle
    of the boost band is T, from the nearest launch point: a geodesic buffer
    (:func:`geo.analysis.zones.reach_zone`, within 2 km: about a second of flight). Between the
    system's minimum range (or 50 km) and its maximum; at most eight rings.
    """
    import numpy as np

    from geo.physics.ballistic import minimum_energy_sphere

    chosen = _ballistic(entries)
    if not chosen:
        return ()
    e = chosen[0]
    assert e.system is not None
    boost = sum(DEFAULT_BOOST_S) / 2.0
    grid = np.linspace(max(e.band.min_km, 50.0), e.band.max_km, 400)
    total = (minimum_energy_sphere(grid * 1000.0).time_s + boost) / 60.0
    first, last = float(total[0]), float(total[-1])
    step = next((s for s in (1.0, 2.0, 5.0, 10.0, 15.0, 30.0) if (last - first) / s <= 8), 30.0)
    minutes = [m for m in np.arange(np.ceil(first / step) * step, last, step)]
    rings = []
    for m in minutes:
        d = float(np.interp(m, total, grid))
        zone = reach_zone(list(e.launch.sources), d, tolerance_m=2000.0)
        rings.append(Isochrone(float(m), drawn_boundary(zone), f"{m:g} min", e.system.name, e.launch.label))
    return tuple(rings)

