"""Claims as data: the claim file format (TOML), its loader and the claim model.

A claim file holds ``[[claim]]`` tables (checked statements with a verdict)
and optionally ``[[survey]]`` tables (questions without one, such as "which
NATO capitals does it reach"). The smallest valid file::

    [[claim]]
    id = "kyiv-out-of-reach"
    from = "Belarus"
    min_km = 700
    max_km = 5000
    place = "Kyiv"
    expect = "too_close"

Claim fields
------------
id : str, required
    Unique across every file checked together; letters, digits, ``.``,
    ``_`` and ``-``.
from : str, table or list of these, required
    Launch sources in the ``--from`` grammar (a country, a site of
    ``data/sites.toml``, ``LAT,LON``, a file of polygons, lines or points);
    a list means "from any of these". A route is a table:
    ``{ route = ["69.07N 33.42E", "72N 40E"], name = "Barents patrol" }``
    (vertices in any coordinate notation, sites or cities; ``name`` optional).
place : str or table, required (or places)
    A gazetteer name (``"Warsaw"``, ``"Paris, FR"``, ``"Warschau"``), a
    coordinate in any notation of :mod:`geo.inputs.coordinates`
    (``"54.63N 21.81E"``, ``"Baltiysk=54.65,19.92"``), or
    ``{ name = "...", lat = ..., lon = ... }``.
places : list
    Instead of ``place``: several places with the same expectation, e.g.
    ``places = ["Warsaw", "Berlin", "Vilnius"]``; one verdict per place, as
    claims ``ID.1``, ``ID.2``, ... in every output.
expect : str, required
    ``reachable``, ``too_close``, ``too_far``, ``mixed`` (see
    :mod:`geo.analysis.bands` for the statuses), or ``not_reachable`` (any
    of the last three). For an area target (``place = "Poland"``, a
    country, territory, region or ``area:NAME``, see :mod:`geo.inputs.areas`)
    ``reachable`` means some of it, and ``all_reachable`` all of it.
minutes : number, string or table
    A flight time the claim states (a ballistic system only): ``minutes = 11``,
    ``minutes = "1 min 51 s"`` (or ``"1:51"``), or ``{ value = 1.85, about =
    true }``. A plain number is read to half its last digit (11 is 10.5 to
    11.5 minutes, 1.85 is 1.845 to 1.855), a time with seconds to half a
    second, ``about`` as +-10 %. ``expect`` is then how the time compares
    with what the system can fly (:mod:`geo.analysis.flight`):
    ``plausible``, ``depressed_only``, ``lofted_only`` or ``impossible``.
boost_min, min_apogee_km : optional, with ``minutes``
    The boost band in minutes (``[1.5, 4.5]`` by default) and the least
    apogee counted (100 km by default).
system : str
    A system of ``data/systems.toml`` (key, name or alias); gives the range
    figures, their sources and uncertainty intervals.
min_km, max_km : number, string or table
    The range figures (see :mod:`geo.reference.systems` for the table form with
    ``about`` and ``interval``); required unless ``system`` gives them, and
    they override the system's. ``min_km`` defaults to 0 without a system.
    A figure (also ``value``, ``interval`` and published values in the table
    form) may be a string with a unit: ``max_km = "1,500 miles"``,
    ``min_km = { value = "800 nmi", about = true }`` (km, m, mi, nmi; see
    :mod:`geo.reference.quantities`). A figure that reads two ways
    (``5.000``, ``"12,500 km"``, ``"5 000"``) is refused, also as a bare TOML
    number: TOML reads ``5.000`` as 5.0, and the file's text is checked.
text : str
    The claim in your own words (never the article's sentences).
source : table
    ``article`` (file name), ``date`` and ``outlet``; a top-level
    ``[source]`` table gives the default for every claim of the file.
scenarios : table
    Further launch scenarios to evaluate side by side, label to sources:
    ``scenarios = { "Krichev site" = "krichev" }``.
earth_rotation : bool
    The reach of a ballistic system on the turning Earth (launch points
    only; :mod:`geo.analysis.rotation`): each launch point's reach toward
    the place replaces ``max_km``, read as the minimum-energy range over a
    still Earth.
borders : str
    The border view a country named in ``from`` (and a survey's
    ``territories``) is taken under: ``"recognised"`` (the shipped Natural
    Earth admin-0) or ``"controlled"`` (disputed and breakaway areas count
    for the state that administers them); see :mod:`geo.reference.borders`.
    Overrides the file's ``borders``.

File fields
-----------
numbers : str
    How the file writes numbers: ``"1.234,5"`` (decimal comma: ``2.000`` is
    2000, ``"2,5 km"`` is 2.5 km) or ``"1,234.5"`` (decimal point:
    ``"1,500 miles"`` is 1500 miles); see
    :func:`geo.reference.quantities.read_convention`. Without it a figure of
    two readings is refused.
title : str
    A title for reports and maps.
source : table
    The default ``source`` of every claim of the file.
borders : str
    The default border view of every claim and survey of the file
    (``"recognised"`` or ``"controlled"``); without it, the caller's
    (``georange check --borders``), else ``"recognised"``.

A ``[[survey]]`` has ``id``, ``from``, the range (``system`` and/or
``min_km``/``max_km``), ``places`` (a list or a group name such as
``nato-capitals``, see :func:`geo.reference.groups.resolve_places`), optionally
``territories`` (a list of countries or a group such as ``nato``) and
``as_of`` (a date; group membership at that date), ``text``, ``source`` and ``borders``.
A survey of a ballistic system may list flight times to its places: ``times = true``
(the minimum-energy flight plus the boost band from each scenario, see
:mod:`geo.analysis.flight`), and ``times_against = "kapustin-yar"`` (a launch
in the ``--from`` grammar; implies ``times``) sets them beside the times from
that launch, with the difference in minutes: how much warning a move of the
launch takes away.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final

from shapely.geometry.base import BaseGeometry

from geo.analysis.bands import RangeBand
from geo.analysis.launch import LaunchSource, parse_launches
from geo.analysis.status import Status
from geo.errors import ClaimFormatError, GeoRangeError
from geo.geodesy.ellipsoid import check_lonlat
from geo.inputs.areas import TargetArea
from geo.reference.borders import DEFAULT_BORDERS, check_borders
from geo.reference.names import close_names
from geo.reference.quantities import read_convention
from geo.reference.systems import Figure, System, lookup_system, parse_figure
from geo.reference.tomlfile import Fields, _show, load_toml

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ALL_REACHABLE",
    "EXPECTATIONS",
    "TIME_EXPECTATIONS",
    "Claim",
    "StatedTime",
    "ClaimFile",
    "Scenario",
    "Source",
    "Survey",
    "Target",
    "claim_files",
    "load_claims",
    "make_claim",
    "make_survey",
]

log = logging.getLogger(__name__)

NOT_REACHABLE: Final = "not_reachable"
"""The expectation met by every status but :attr:`Status.REACHABLE`."""

ALL_REACHABLE: Final = "all_reachable"
"""The expectation that every point of an area target is reachable (``reachable`` means some of it)."""

EXPECTATIONS: Final = (
    Status.REACHABLE.value, NOT_REACHABLE, Status.TOO_CLOSE.value, Status.TOO_FAR.value, Status.MIXED.value,
    ALL_REACHABLE,
)
"""What ``expect`` accepts: a :class:`~geo.analysis.status.Status`, ``not_reachable``, or ``all_reachable``
(an area target only)."""

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_CLAIM_FIELDS = frozenset(
    {"id", "text", "source", "system", "min_km", "max_km", "from", "scenarios", "place", "places", "expect",
     "borders", "minutes", "boost_min", "min_apogee_km", "earth_rotation"}
)
TIME_EXPECTATIONS: Final = ("plausible", "depressed_only", "lofted_only", "impossible")
"""What ``expect`` accepts for a claim that states a flight time (``minutes``): a
:class:`~geo.analysis.flight.TimeVerdict`."""
_SURVEY_FIELDS = frozenset(
    {"id", "text", "source", "system", "min_km", "max_km", "from", "scenarios", "places", "territories", "as_of",
     "borders", "times", "times_against", "earth_rotation"}
)
_SOURCE_FIELDS = frozenset({"article", "date", "outlet", "url", "note"})
_MAX_NAME = 300
"""Longest place name accepted (the longest city names have about 170 characters)."""
_MAX_SOURCE = 4096
"""Longest launch source accepted (a path to a GeoJSON file may be long)."""


@dataclass(frozen=True)
class Source:
    """Where a claim comes from: the article file, its date and outlet (all optional)."""

    article: str = ""
    date: str = ""
    outlet: str = ""
    note: str = ""

    def cite(self) -> str:
        """Return e.g. ``"000_c235f7128713cee2.txt (2025-12)"``, or ``""``."""
        parts = [p for p in (self.outlet, self.article) if p]
        text = ", ".join(parts)
        return f"{text} ({self.date})" if self.date and text else text or self.date


@dataclass(frozen=True)
class Target:
    """The place a claim is about, resolved to coordinates (degrees), or an area (``area``).

    An area target (a country, territory, region or polygon file, see
    :mod:`geo.inputs.areas`) keeps a point inside it in ``lon``/``lat`` (for
    maps); its verdict is decided on the whole area.
    """

    query: str
    name: str
    lon: float
    lat: float
    country: str = ""
    area: TargetArea | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class StatedTime:
    """A flight time as a claim states it: the figure, how it was written, and the interval it means (seconds)."""

    text: str
    low_s: float
    high_s: float

    @property
    def seconds(self) -> float:
        """The stated value (the middle of the interval)."""
        return (self.low_s + self.high_s) / 2.0


_CLOCK = re.compile(r"^\s*(?:(\d+)\s*(?:min(?:utes?)?|m|:)\s*)?(?:(\d+)\s*(?:s|sec(?:onds?)?)?)?\s*$")


def _stated_time(f: Fields) -> StatedTime:
    """Read ``minutes``: a number (to half its last digit), "1 min 51 s" or "1:51" (to half a second), a table."""
    raw = f.table["minutes"]
    about = False
    if isinstance(raw, dict):
        t = Fields(raw, f"{f.where}, minutes", ClaimFormatError)
        t.only({"value", "about"})
        raw = t.require("value")
        about = bool(t.table.get("about", False))
        if not isinstance(t.table.get("about", False), bool):
            raise t.fail(f"about {_show(t.table['about'])} must be true or false")
    if isinstance(raw, str):
        m = _CLOCK.match(raw)
        if not raw.strip() or m is None or (m[1] is None and m[2] is None) or (":" in raw and m[2] is None):
            raise f.fail(f"minutes {_show(raw)} must be a number of minutes, '1 min 51 s' or '1:51'")
        seconds = 60.0 * int(m[1] or 0) + int(m[2] or 0)
        half = 0.5
        text = f"{int(m[1])} min {int(m[2] or 0)} s" if m[1] else f"{int(m[2])} s"
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        seconds = 60.0 * float(raw)
        digits = repr(float(raw)).split(".")[1] if isinstance(raw, float) else ""
        decimals = 0 if isinstance(raw, int) or digits == "0" else len(digits)
        half = 60.0 * 0.5 * 10.0**-decimals
        text = f"{raw:g} min"
    else:
        raise f.fail(f"minutes {_show(raw)} must be a number of minutes, '1 min 51 s' or a table {{ value, about }}")
    if not (0 < seconds < 24 * 3600):
        raise f.fail(f"minutes {_show(f.table['minutes'])} must be more than 0 and less than a day")
    if about:
        return StatedTime(f"about {text}", seconds * 0.9, seconds * 1.1)
    return StatedTime(text, max(seconds - half, 0.0), seconds + half)


@dataclass(frozen=True)
class Scenario:
    """One launch scenario: a label and its sources ("from any of these")."""

    label: str
    specs: tuple[str, ...]
    sources: tuple[LaunchSource, ...] = field(repr=False)


@dataclass(frozen=True)
class _Entry:
    """What claims and surveys share: id, provenance, range figures and launch scenarios."""

    kind: ClassVar[str]

    id: str
    file: str
    text: str
    source: Source
    system: System | None
    min_km: Figure
    max_km: Figure
    launch: Scenario
    scenarios: tuple[Scenario, ...]

    @property
    def band(self) -> RangeBand:
        """The nominal range band."""
        return RangeBand(self.min_km.value_km, self.max_km.value_km, where=self.where)

    system_query: str = field(default="", kw_only=True)
    """The system as it was asked for (``"iskander"``), or ``""``."""

    borders: str = field(default="recognised", kw_only=True)
    """The border view the launch countries (and a survey's territories) were taken under
    (:mod:`geo.reference.borders`): the entry's ``borders`` field, else its file's, else the caller's default."""

    earth_rotation: bool = field(default=False, kw_only=True)
    """Whether the reach is a ballistic missile's on the turning Earth (:mod:`geo.analysis.rotation`):
    the ``earth_rotation`` field, or ``--earth-rotation``."""

    @property
    def where(self) -> str:
        """Location prefix for messages: ``file, claim "id"`` (``claim "id"`` when built in Python)."""
        return f'{self.file}, {self.kind} "{self.id}"' if self.file else f'{self.kind} "{self.id}"'

    @property
    def system_name(self) -> str:
        """The system's name, or ``""`` for explicit figures."""
        return self.system.name if self.system else ""

    @property
    def system_alias(self) -> str:
        """How the system's name was read, when it was asked for by another name (``"iskander → Iskander-M"``)."""
        return "" if self.system is None else self.system.read_as(self.system_query)

    def question(self) -> str:
        """Return the question as a title: the system with its figures, and the launch.

        ``"Iskander-M, up to 500 km, from Kaliningrad (RU-KGD), Russia"``;
        without a system, ``"700-5,000 km from Belarus"``. Figures that differ from the
        system's published ones are the ones used (the band), so a title never
        shows figures the verdicts did not use.
        """
        band = self.band
        launch = " or ".join(_launch_text(s) for s in self.launch.sources) or self.launch.label
        if self.borders != "recognised":  # the default is named once per report and map, not in every title
            launch += f" ({self.borders} borders)"
        turning = ", on the turning Earth" if self.earth_rotation else ""
        if self.system is not None:
            return f"{self.system.name}, {band.phrase()}, from {launch}{turning}"
        return f"{band.phrase()} from {launch}{turning}"


@dataclass(frozen=True)
class Claim(_Entry):
    """A checked geographic claim: from where, with what range, about which place, expecting what."""

    kind: ClassVar[str] = "claim"

    place: Target
    expect: str
    minutes: StatedTime | None = field(default=None, kw_only=True)
    """The flight time the claim states, or None: then ``expect`` is a time verdict (:data:`TIME_EXPECTATIONS`)."""
    boost_min: tuple[float, float] | None = field(default=None, kw_only=True)
    """The boost band (minutes) for a stated time; None: the default of :mod:`geo.analysis.flight`."""
    min_apogee_km: float = field(default=100.0, kw_only=True)
    """The least apogee counted for a stated time."""


@dataclass(frozen=True)
class Survey(_Entry):
    """A question without a verdict: statuses of a set of places and shares of territories in reach.

    ``places`` and ``territories`` are the sets as written; ``table`` and
    ``regions`` the same sets resolved when the file was loaded.
    """

    kind: ClassVar[str] = "survey"

    places: str | tuple[str, ...]
    territories: str | tuple[str, ...]
    as_of: dt.date | None
    table: pd.DataFrame = field(repr=False, compare=False)
    regions: tuple[tuple[str, str, BaseGeometry], ...] = field(repr=False, compare=False)
    times: bool = field(default=False, kw_only=True)
    """Whether to list the flight times to the places (a ballistic system only)."""
    times_against: Scenario | None = field(default=None, kw_only=True)
    """A launch whose flight times the survey's are set against (the difference is the warning time lost)."""


@dataclass(frozen=True)
class ClaimFile:
    """The claims and surveys read from one or more files."""

    claims: tuple[Claim, ...]
    surveys: tuple[Survey, ...]
    titles: tuple[str, ...] = ()
    """The files' ``title`` fields, in file order (files without one are skipped)."""

    @property
    def title(self) -> str:
        """The titles joined with "; ", or ``""``."""
        return "; ".join(self.titles)


def claim_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories to their ``*.toml`` files (sorted); keep files as given.

    Raises
    ------
    ClaimFormatError
        If a path is empty or does not exist, or a directory holds no
        ``.toml`` file.
    """
    if isinstance(paths, str | Path):  # one file or directory, not its characters
        paths = [paths]
    if not isinstance(paths, Iterable) or isinstance(paths, Mapping | bytes):
        raise ClaimFormatError(f"claim files {paths!r}: expected a path or a list of paths")
    out: list[Path] = []
    for raw in paths:
        if not isinstance(raw, str | Path):
            raise ClaimFormatError(f"claim file {raw!r} is a {type(raw).__name__}: expected a path")
        if not str(raw).strip():  # Path("") is ".": it would silently check the current directory
            raise ClaimFormatError(f"claim file path {str(raw)!r} is empty; expected a .toml file or a directory")
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.glob("*.toml") if q.is_file())
            if not found:
                raise ClaimFormatError(f"{p}: directory holds no .toml claim file")
            out += found
        elif p.exists():
            out.append(p)
        else:
            raise ClaimFormatError(f"{p}: no such file or directory")
    return out


def load_claims(paths: Iterable[str | Path], borders: str | None = None) -> ClaimFile:
    """Read and check every claim file; ids must be unique across all of them.

    Parameters
    ----------
    paths : iterable of path
        Claim files, or directories of ``*.toml`` claim files.
    borders : str, optional
        The border view (:mod:`geo.reference.borders`) for claims and surveys
        whose file does not state one (a file's top-level ``borders``, or an
        entry's own ``borders``, wins); default ``recognised``.

    Returns
    -------
    ClaimFile
        Every claim and survey, in file order then document order.

    Raises
    ------
    GeoRangeError
        On the first problem; the message starts with the file and the claim
        id and names the field and value. The class says what is wrong:
        :class:`~geo.errors.ClaimFormatError` for malformed TOML, a missing,
        unknown or mistyped field, an unknown system or a duplicate id;
        :class:`~geo.errors.UnknownPlaceError` or
        :class:`~geo.errors.AmbiguousPlaceError` for a place, site or
        country (close names suggested); :class:`~geo.errors.InvalidRangeError`
        for a bad range; :class:`~geo.errors.InvalidCoordinateError` for a
        bad coordinate. The error from the lookup is chained as ``__cause__``.
    """
    claims: list[Claim] = []
    surveys: list[Survey] = []
    seen: dict[str, str] = {}
    titles: list[str] = []
    files = claim_files(paths)
    for path in files:
        document = load_toml(path, ClaimFormatError)
        top = Fields(document, str(path), ClaimFormatError)
        top.only({"claim", "survey", "source", "title", "numbers", "borders"})
        if not top.has("claim") and not top.has("survey"):
            raise top.fail("no [[claim]] or [[survey]] table")
        if top.has("title"):
            titles.append(top.text("title"))
        numbers = _numbers(top)
        file_borders = _borders(top, borders or DEFAULT_BORDERS)
        default = _source(top.sub("source", "[source]")) if top.has("source") else Source()
        for kind in ("claim", "survey"):
            entries = document.get(kind, [])
            if not isinstance(entries, list):
                raise top.fail(f"{kind} must be an array of tables, written [[{kind}]]")
            for n, entry in enumerate(entries, start=1):
                where = f"{path}, {kind} #{n}"
                f = Fields(entry, where, ClaimFormatError, numbers)
                ident = f.text("id")
                if not _ID.match(ident):
                    raise f.fail(f"id {_show(ident)} must be letters, digits, '.', '_' or '-' (at most 100)")
                f.where = f'{path}, {kind} "{ident}"'
                if ident in seen:
                    raise f.fail(f"duplicate id {ident!r}, first used in {seen[ident]}")
                seen[ident] = str(path)
                if kind == "claim":
                    for claim in _claims(f, str(path), ident, default, file_borders):
                        if claim.id != ident and claim.id in seen:
                            raise f.fail(f"duplicate id {claim.id!r}, first used in {seen[claim.id]}")
                        seen[claim.id] = str(path)
                        claims.append(claim)
                else:
                    surveys.append(_survey(f, str(path), ident, default, file_borders))
    log.info("read %d claims and %d surveys from %d files", len(claims), len(surveys), len(files))
    return ClaimFile(tuple(claims), tuple(surveys), tuple(titles))


def make_claim(
    *,
    place: str,
    expect: str,
    launch: str | Sequence[str],
    min_km: float | None = None,
    max_km: float | None = None,
    system: str | None = None,
    id: str = "claim",  # noqa: A002 - the claim field is called id
    text: str = "",
    borders: str = "recognised",
    earth_rotation: bool = False,
) -> Claim:
    """Build one claim from Python values, with the checks of the file loader.

    Examples
    --------
    >>> c = make_claim(place="Warsaw", expect="reachable", launch="Belarus", min_km=700, max_km=5000)
    >>> c.place.name, c.band.max_km
    ('Warsaw', 5000.0)
    """
    table: dict[str, Any] = {"id": id, "place": place, "expect": expect, "from": launch,
                             "earth_rotation": earth_rotation}
    for key, value in (("min_km", min_km), ("max_km", max_km), ("system", system), ("text", text or None)):
        if value is not None:
            table[key] = value
    claim = _claim(Fields(table, f'claim "{id}"', ClaimFormatError), "", id, Source(),
                   check_borders(borders, f'claim "{id}": borders'))
    if not text:  # say what was asked, in words: outputs never show a claim without them
        claim = replace(claim, text=f"{claim.question()}: {claim.place.name} {claim.expect}")
    return claim


def make_survey(
    *,
    launch: str | Sequence[str],
    places: str | Sequence[str] = "capitals",
    min_km: float | None = None,
    max_km: float | None = None,
    system: str | None = None,
    territories: str | Sequence[str] | None = None,
    id: str = "survey",  # noqa: A002 - the survey field is called id
    text: str = "",
    borders: str = "recognised",
    earth_rotation: bool = False,
) -> Survey:
    """Build one survey (statuses of a set of places, no verdict) from Python values, checked like a file's.

    ``places`` is a place set (a preset such as ``capitals``, a group's
    capitals such as ``nato-capitals``) or a list of place names.

    Examples
    --------
    >>> s = make_survey(launch="Belarus", system="oreshnik", places=["Warsaw", "Berlin"])
    >>> s.band.min_km, s.band.max_km, list(s.table["name"])
    (700.0, 5000.0, ['Warsaw', 'Berlin'])
    """
    def listed(value: Any) -> Any:  # a str as it is, any other iterable as a list; the loader checks the rest
        return value if isinstance(value, str) or not isinstance(value, Iterable) else list(value)

    table: dict[str, Any] = {"id": id, "from": listed(launch), "places": listed(places),
                             "earth_rotation": earth_rotation}
    for key, value in (("min_km", min_km), ("max_km", max_km), ("system", system), ("text", text or None),
                       ("territories", territories if territories is None or isinstance(territories, str)
                        else list(territories))):
        if value is not None:
            table[key] = value
    survey = _survey(Fields(table, f'survey "{id}"', ClaimFormatError), "", id, Source(),
                     check_borders(borders, f'survey "{id}": borders'))
    return survey if text else replace(survey, text=survey.question())


# ---------------------------------------------------------------------------


def _source(f: Fields) -> Source:
    f.only(_SOURCE_FIELDS)
    values = {}
    for key in ("article", "outlet", "note"):
        values[key] = f.text(key) if f.has(key) else ""
    date = f.table.get("date", "")
    if isinstance(date, dt.date | dt.datetime):
        date = date.isoformat()
    if not isinstance(date, str):
        raise f.fail(f"date {_show(date)} must be a date (2025-12-30) or a string ('2025-12')")
    return Source(values["article"], date.strip(), values["outlet"], values["note"])


def _launch_text(source: LaunchSource) -> str:
    """Name a launch source as a title does: a region's label with its country (``Kaliningrad (RU-KGD), Russia``)."""
    code = getattr(source, "code", "") or ""
    if len(code) > 3 and code[2] == "-":  # an ISO 3166-2 region: say whose
        from geo.reference.places import load_countries_info

        info = load_countries_info().get(code[:2])
        if info is not None and info.name not in source.label:
            return f"{source.label}, {info.name}"
    return source.label


def _figures(f: Fields) -> tuple[System | None, Figure, Figure]:
    system = None
    if f.has("system"):
        name = f.text("system")
        try:
            system = lookup_system(name)
        except GeoRangeError as exc:
            raise f.fail_from(exc, f"system: {exc}") from exc
    if f.has("max_km"):
        maximum = parse_figure(_read_figure(f, "max_km"), "max_km", f)
    elif system is not None:
        maximum = system.max_km
    else:
        raise f.fail("missing field 'max_km' (or a 'system' that gives it)")
    if f.has("min_km"):
        minimum = parse_figure(_read_figure(f, "min_km"), "min_km", f)
    elif system is not None:
        minimum = system.min_km
    else:
        minimum = Figure.exact(0.0)
    if minimum.value_km > maximum.value_km:
        raise f.fail(f"min_km {minimum.value_km:g} must not exceed max_km {maximum.value_km:g}")
    return system, minimum, maximum


def _numbers(top: Fields) -> str | None:
    """Return the decimal mark the file states with ``numbers = "1.234,5"``, or None."""
    if not top.has("numbers"):
        return None
    try:
        return read_convention(top.text("numbers"))
    except GeoRangeError as exc:
        raise top.fail(f"numbers: {exc}") from exc


def _read_figure(f: Fields, key: str) -> Any:
    """Return the figure ``key`` with its written numbers read under the file's convention.

    :func:`~geo.reference.systems.parse_figure` checks everything else; it
    reads numbers with no convention, so those of a file that states one
    are read here (strings and TOML floats; what is not a number is left
    for its message).
    """
    spec = f.table[key]
    if not isinstance(spec, dict):
        return f.number(key, spec) if isinstance(spec, str | float) else spec
    table = Fields(spec, f"{f.where}, {key}", f.error, f.numbers)
    out = dict(spec)
    if isinstance(out.get("value"), str | float):
        out["value"] = table.number("value")
    if isinstance(out.get("interval"), list):
        out["interval"] = [table.number("interval", v) if isinstance(v, str | float) else v for v in out["interval"]]
    if isinstance(out.get("published"), list):
        out["published"] = [
            {**p, "value": Fields(p, f"{table.where}, published #{n}", f.error, f.numbers).number("value")}
            if isinstance(p, dict) and isinstance(p.get("value"), str | float) else p
            for n, p in enumerate(out["published"], start=1)
        ]
    return out


def _borders(f: Fields, default: str) -> str:
    """Return the table's ``borders`` (a border view, checked), or `default`."""
    if not f.has("borders"):
        return default
    value = f.table["borders"]
    try:
        return check_borders(value, "borders")
    except GeoRangeError as exc:
        raise f.fail_from(exc, str(exc)) from exc


def _scenario(label: str, specs: list[str], f: Fields, key: str, borders: str) -> Scenario:
    sources = []
    for spec in specs:
        if len(spec) > _MAX_SOURCE:
            raise f.fail(f"{key}: launch source of {len(spec):,} characters ({_show(spec)}); expected a country, "
                         f"a site, LAT,LON or a file name of at most {_MAX_SOURCE:,} characters")
        try:
            sources.extend(parse_launches(spec, borders=borders))
        except GeoRangeError as exc:
            raise f.fail_from(exc, f"{key}: {exc}") from exc
    return Scenario(label, tuple(specs), tuple(sources))


def _sources_label(sources: Sequence[LaunchSource]) -> str:
    """Return what a reader calls the launch: its display names ('Krichev air base (Krichev-6)'; 'A, B or C')."""
    if len(sources) == 1:
        return sources[0].label
    names = [re.sub(r"\s*\([^)]*\)$", "", s.label) or s.label for s in sources]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _launches(f: Fields, borders: str) -> tuple[Scenario, tuple[Scenario, ...]]:
    specs = _launch_specs(f, "from")
    main = _scenario("", specs, f, "from", borders)
    main = Scenario(_sources_label(main.sources), main.specs, main.sources)
    extra = []
    if f.has("scenarios"):
        table = f.table["scenarios"]
        if not isinstance(table, dict) or not table:
            raise f.fail(f"scenarios {_show(table)} must be a table of label = sources, "
                         'e.g. { "Krichev base" = "krichev" }')
        for label, value in table.items():
            key = f"scenarios.{_show(label)}"
            if not label.strip():
                raise f.fail(f"{key}: a scenario label must be a non-empty name, e.g. \"Krichev base\"")
            sub = Fields({key: value}, f.where, ClaimFormatError)
            extra.append(_scenario(label.strip(), _launch_specs(sub, key), f, key, borders))
    return main, tuple(extra)


def _launch_specs(f: Fields, key: str) -> list[str]:
    """Return the launch sources of ``key`` as ``--from`` strings; a route table becomes ``route NAME: A; B``."""
    value = f.require(key)
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str | dict) for v in items):
        return f.strings(key)  # the usual message for what is neither text nor a route table
    specs = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, str):
            specs.extend(Fields({key: item}, f.where, ClaimFormatError).strings(key))
            continue
        where = f"{key}[{n}]" if isinstance(value, list) else key
        r = Fields(item, f"{f.where}, {where}", ClaimFormatError)
        r.only({"route", "name"})
        vertices = r.strings("route", allow_single=False)
        if len(vertices) < 2:
            raise r.fail(f"route {_show(vertices)} must list at least two vertices, e.g. "
                         '["69.07N 33.42E", "72N 40E"]')
        bad = next((v for v in vertices if ";" in v), None)
        if bad is not None:
            raise r.fail(f"route vertex {_show(bad)} must be one position; give each vertex as its own string")
        name = r.text("name", "") if r.has("name") else ""
        if ":" in name:
            raise r.fail(f"name {_show(name)} must not contain ':'")
        specs.append(f"route {name}: " + "; ".join(vertices) if name else "route: " + "; ".join(vertices))
    return specs


def _target(f: Fields, borders: str) -> Target:
    raw = f.require("place")
    if isinstance(raw, dict):
        p = Fields(raw, f"{f.where}, place", ClaimFormatError)
        p.only({"name", "lat", "lon", "country"})
        lat, lon = p.number("lat", unit="degrees"), p.number("lon", unit="degrees")
        check_lonlat(lon, lat, what=p.where)
        name = p.text("name")
        return Target(name, name, lon, lat, p.text("country", ""))
    if not isinstance(raw, str) or not raw.strip():
        raise f.fail(f"place {_show(raw)} must be a place name, 'LAT,LON' or a table {{ name, lat, lon }}")
    query = raw.strip()
    if len(query) > _MAX_NAME:
        raise f.fail(f"place of {len(query):,} characters ({_show(query)}); expected a place name or LAT,LON "
                     f"of at most {_MAX_NAME} characters")
    from geo.inputs.targets import point_or_area  # the one rule of the targets grammar: a point or an area

    try:
        found = point_or_area(query, borders)
    except GeoRangeError as exc:
        raise f.fail_from(exc, f"place {query!r}: {exc}") from exc
    if isinstance(found, TargetArea):
        spot = found.geometry.representative_point()
        return Target(query, found.label, spot.x, spot.y, found.country, area=found)
    name, _, country, lat, lon, _ = found
    return Target(query, name, lon, lat, country)


def _common(f: Fields, default: Source, borders: str) -> dict[str, Any]:
    system, minimum, maximum = _figures(f)
    launch, scenarios = _launches(f, borders)
    rotation = f.table.get("earth_rotation", False)
    if not isinstance(rotation, bool):
        raise f.fail(f"earth_rotation {_show(rotation)} must be true or false")
    if rotation:
        from geo.analysis.rotation import check_rotation

        try:
            for scenario in (launch, *scenarios):
                check_rotation(scenario.sources, system, "earth_rotation")
        except GeoRangeError as exc:
            raise f.fail_from(exc, str(exc)) from exc
    return {
        "earth_rotation": rotation,
        "borders": borders,
        "text": f.text("text", ""),
        "source": _source(f.sub("source")) if f.has("source") else default,
        "system": system,
        "system_query": f.text("system") if system is not None else "",
        "min_km": minimum,
        "max_km": maximum,
        "launch": launch,
        "scenarios": scenarios,
    }


def _claim(f: Fields, path: str, ident: str, default: Source, borders: str) -> Claim:
    f.only(_CLAIM_FIELDS)
    borders = _borders(f, borders)
    expect = f.text("expect")
    timed = f.has("minutes")
    allowed = TIME_EXPECTATIONS if timed else EXPECTATIONS
    if expect not in allowed:
        hint = close_names(expect, allowed)
        if expect in (TIME_EXPECTATIONS if not timed else EXPECTATIONS):
            other = ("a claim that states a time (minutes) expects" if timed
                     else "a time verdict needs the time the claim states (minutes =); without it expect is")
            raise f.fail(f"expect {_show(expect)}: {other} one of {', '.join(allowed)}")
        raise f.fail(f"expect {_show(expect)} is not one of {', '.join(allowed)}{hint}")
    for key in ("boost_min", "min_apogee_km"):
        if f.has(key) and not timed:
            raise f.fail(f"{key} is only read with a stated time (minutes =)")
    timing: dict[str, Any] = {}
    if timed:
        timing["minutes"] = _stated_time(f)
        if f.has("boost_min"):
            band = f.table["boost_min"]
            if (not isinstance(band, list) or len(band) != 2
                    or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in band)
                    or not 0 <= band[0] <= band[1] < 60):
                raise f.fail(f"boost_min {_show(band)} must be [low, high] minutes, 0 <= low <= high < 60")
            timing["boost_min"] = (float(band[0]), float(band[1]))
        if f.has("min_apogee_km"):
            timing["min_apogee_km"] = f.number("min_apogee_km")
            if timing["min_apogee_km"] <= 0:
                raise f.fail(f"min_apogee_km {timing['min_apogee_km']:g} must be > 0")
    common = _common(f, default, borders)
    if timed:
        system = common["system"]
        if system is not None and not system.ballistic:
            raise f.fail(f"minutes: {system.name} ({system.kind}) is not a ballistic missile fired from the "
                         "ground or sea; flight times are modelled for those only")
    place = _target(f, borders)
    if expect == ALL_REACHABLE and place.area is None:
        raise f.fail(f"expect {_show(expect)} needs an area target (a country, region or area:NAME); "
                     f"place {place.query!r} is a point: expect \"reachable\"")
    return Claim(id=ident, file=path, place=place, expect=expect, **common, **timing)


def _claims(f: Fields, path: str, ident: str, default: Source, borders: str) -> list[Claim]:
    """One claim, or one per place of ``places = [...]``, with ids ``ID.1``, ``ID.2``, ... in list order."""
    if not f.has("places"):
        return [_claim(f, path, ident, default, borders)]
    if f.has("place"):
        raise f.fail("give place or places, not both")
    entries = f.require("places")
    if not isinstance(entries, list) or not entries:
        raise f.fail(f"places {_show(entries)} must be a non-empty list of places, e.g. [\"Warsaw\", \"Berlin\"]")
    out = []
    for n, entry in enumerate(entries, start=1):
        table = {k: v for k, v in f.table.items() if k not in ("places", "id")} | {"place": entry}
        one = Fields({"id": f"{ident}.{n}", **table}, f"{f.where}, places[{n}]", ClaimFormatError, f.numbers)
        out.append(_claim(one, path, f"{ident}.{n}", default, borders))
    return out


def _group_or_list(f: Fields, key: str) -> str | tuple[str, ...]:
    value = f.require(key)
    if isinstance(value, str):
        return f.text(key)  # a set's name; an empty one is refused, not taken as "no set"
    return tuple(f.strings(key))


def _survey(f: Fields, path: str, ident: str, default: Source, borders: str) -> Survey:
    from geo.reference import groups

    f.only(_SURVEY_FIELDS)
    borders = _borders(f, borders)
    as_of = f.table.get("as_of")
    # A TOML date-time is a datetime, which is a date too, but cannot be compared with one.
    if as_of is not None and (not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime)):
        raise f.fail(f"as_of {_show(as_of)} must be a TOML date such as 2023-05-26 (no time of day)")
    places = _group_or_list(f, "places")
    territories = _group_or_list(f, "territories") if f.has("territories") else ()
    for key, names in (("places", places), ("territories", territories)):
        for name in [names] if isinstance(names, str) else names:
            if len(name) > _MAX_NAME:
                raise f.fail(f"{key}: a name of {len(name):,} characters ({_show(name)}); expected at most "
                             f"{_MAX_NAME}")
    try:  # resolve now so that a bad name fails before any report is written
        from geo.inputs.targets import load_targets

        # What --places and --place take, read by the one rule (geo.inputs.targets.parse_targets): a set, a
        # file, places separated by ';' or a list of names, coordinates and named points.
        table = load_targets(places, as_of, borders)
        if "country" not in table.columns:  # a file without one: the survey's tables show a country
            table.insert(1, "country", "")
        regions = tuple(groups.resolve_territories(territories, as_of, borders)) if territories else ()
    except GeoRangeError as exc:
        raise f.fail_from(exc, str(exc)) from exc
    common = _common(f, default, borders)
    times = f.table.get("times", False)
    if not isinstance(times, bool):
        raise f.fail(f"times {_show(times)} must be true or false")
    against = None
    if f.has("times_against"):
        spec = f.text("times_against")
        against = _scenario(spec, [spec], f, "times_against", borders)
        against = replace(against, label=_sources_label(against.sources))
        times = True
    if times:
        system = common["system"]
        if system is None or not system.ballistic:
            what = "no system" if system is None else f"{system.name} ({system.kind})"
            raise f.fail(f"times: flight times need a ballistic system fired from the ground or sea, not {what}")
    return Survey(id=ident, file=path, places=places, territories=territories, as_of=as_of, table=table,
                  regions=regions, times=times, times_against=against, **common)
