"""Weapon systems and their published range figures (``data/systems.toml``).

A range figure is never just a number: articles say "up to 5,000 km" or
"about 700 km", other reports give other values. A :class:`Figure` keeps
the value a claim uses, the sources, and an **uncertainty interval**: the
smallest interval holding the value, every other published value from an
``official``, ``research`` or ``news`` source, ±10 % of the value when it
is approximate (``about = true``), and any explicit ``interval``. Claim
evaluation checks whether a verdict survives the whole interval (see
:mod:`geo.claims.verdicts`).

Every figure in ``data/systems.toml`` names its source and the source's kind
(:data:`SOURCE_KINDS`): ``official`` (a government, ministry or armed
forces), ``research`` (think tanks, arms-control bodies, peer-reviewed
work), ``news`` (news agencies and newspapers) or ``state-media`` (TASS,
Sputnik, KCNA, IRNA, ...). A state-media figure is what that state claims:
it is kept and shown beside the interval but does not widen it, and the
value a claim uses may not rest on one. Systems that were asked for but
have no range from such a source are listed under ``[withdrawn]`` with the
reason, which :func:`lookup_system` gives instead of a bare "unknown".

The same figure grammar is used in claim files, where sources are
optional::

    max_km = 5000                                   # exact, no interval
    min_km = { value = 700, about = true }          # interval [630, 770]
    min_km = { value = 700, interval = [600, 800] }
    max_km = { value = 5000, source = "...", source_kind = "news",
               published = [{ value = 5500, source = "...", source_kind = "official" }] }
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Final

from geo.errors import ClaimFormatError, DataFileError, GeoRangeError
from geo.geodesy.ellipsoid import MAX_RANGE_KM
from geo.reference.datafiles import data_path
from geo.reference.names import close_names
from geo.reference.tomlfile import Fields, _show, load_toml

__all__ = [
    "ABOUT_FRACTION", "INTERVAL_KINDS", "SOURCE_KINDS", "Figure", "Published", "System", "load_systems",
    "lookup_system", "parse_figure", "withdrawn_systems",
]

ABOUT_FRACTION: Final = 0.10
"""Relative uncertainty of a figure stated as approximate ("about 700 km")."""

SOURCE_KINDS: Final = ("official", "research", "news", "state-media")
"""The kinds of source a figure may cite, in the order listings show them."""

INTERVAL_KINDS: Final = frozenset({"official", "research", "news"})
"""Source kinds whose published values widen the uncertainty interval (not ``state-media``)."""

_FIGURE_FIELDS = frozenset({"value", "about", "interval", "source", "source_kind", "published", "note"})
_SYSTEM_FIELDS = frozenset({"name", "kind", "aliases", "min_km", "max_km", "notes", "trajectory"})
_TRAJECTORIES = ("ballistic",)


@dataclass(frozen=True)
class Published:
    """One published value of a range figure, where it was published and the kind of that source.

    ``source_kind`` is one of :data:`SOURCE_KINDS`, or ``""`` in a claim file
    that does not say. Only values whose kind is in :data:`INTERVAL_KINDS`
    (or not given) widen the figure's interval.
    """

    value_km: float
    source: str
    source_kind: str = ""

    @property
    def in_interval(self) -> bool:
        """Whether this value widens the uncertainty interval (:data:`INTERVAL_KINDS`, or no kind stated)."""
        return self.source_kind in INTERVAL_KINDS or not self.source_kind


@dataclass(frozen=True)
class Figure:
    """A range figure in km: the value used, its uncertainty interval and sources.

    Parameters
    ----------
    value_km : float
        The nominal figure.
    low_km, high_km : float
        Uncertainty interval, ``low_km <= value_km <= high_km``.
    about : bool
        Whether the source states the value as approximate.
    source : str
        Where the nominal value comes from ("" when not stated).
    published : tuple of Published
        Other published values; those not from state media widen the interval.
    note : str
        Free text, e.g. that no official figure exists.
    source_kind : str
        The kind of ``source`` (one of :data:`SOURCE_KINDS`, never
        ``state-media``), or ``""`` when not stated.
    """

    value_km: float
    low_km: float
    high_km: float
    about: bool = False
    source: str = ""
    published: tuple[Published, ...] = field(default=())
    note: str = ""
    source_kind: str = ""

    @property
    def state_claims(self) -> tuple[Published, ...]:
        """Return the published values from state media, shown beside the interval, not in it."""
        return tuple(p for p in self.published if not p.in_interval)

    @property
    def uncertain(self) -> bool:
        """Whether the interval is wider than the value itself."""
        return self.low_km < self.value_km or self.high_km > self.value_km

    def describe(self) -> str:
        """Return e.g. ``"about 700 km (630-770)"`` or ``"5,000 km (4,000-5,500)"``."""
        head = f"{'about ' if self.about else ''}{self.value_km:,.0f} km"
        return f"{head} ({self.low_km:,.0f}-{self.high_km:,.0f})" if self.uncertain else head

    @classmethod
    def exact(cls, value_km: float, source: str = "") -> Figure:
        """Return a figure with no uncertainty."""
        return cls(value_km, value_km, value_km, source=source)


def parse_figure(spec: Any, key: str, fields: Fields, *, sourced: bool = False) -> Figure:
    """Parse a figure given as a number or a table (see the module docstring).

    Parameters
    ----------
    spec : number or table
    key : str
        Field name for messages (``min_km`` or ``max_km``).
    fields : Fields
        The enclosing table; gives the location and the error class.
    sourced : bool, default False
        Require a ``source`` and a ``source_kind`` for the value and every
        published value (``data/systems.toml``); claim files may omit them.

    Raises
    ------
    GeoRangeError
        Of the enclosing table's class, for a wrong type, a value that is
        negative or beyond 20,004 km, an interval that is not two ordered
        numbers or does not contain the value, an unknown field, a source
        kind not in :data:`SOURCE_KINDS`, a value resting on state media, or
        (``sourced``) a missing source or kind. (A figure given as a bare
        number has no source; ``data/systems.toml`` may not use one.)
    """
    if not isinstance(spec, dict):
        value = _checked(fields.number(key, spec), key, fields)
        return Figure.exact(value)
    f = Fields(spec, f"{fields.where}, {key}", fields.error)
    f.only(_FIGURE_FIELDS)
    value = _checked(f.number("value"), key, fields)
    about = f.table.get("about", False)
    if not isinstance(about, bool):
        raise f.fail(f"about {_show(about)} must be true or false")
    values = [value]
    if about:
        values += [round(value * (1 - ABOUT_FRACTION), 6), min(round(value * (1 + ABOUT_FRACTION), 6), MAX_RANGE_KM)]
    if f.has("interval"):
        interval = f.table["interval"]
        if not (isinstance(interval, list) and len(interval) == 2):
            raise f.fail(f"interval {_show(interval)} must be a list of two numbers [low, high]")
        low, high = (_checked(f.number("interval", v), f"{key} interval", fields) for v in interval)
        if not low <= value <= high:
            raise f.fail(f"interval [{low:g}, {high:g}] must contain the value {value:g}")
        values += [low, high]
    published = []
    entries = f.table.get("published", [])
    if not isinstance(entries, list):
        raise f.fail(f"published {_show(entries)} must be a list of tables [{{ value = 4000, source = \"...\" }}]")
    for n, entry in enumerate(entries, start=1):
        p = Fields(entry, f"{f.where}, published #{n}", fields.error)
        p.only({"value", "source", "source_kind"})
        pv = _checked(p.number("value"), f"{key} published value", fields)
        entry_kind = _source_kind(p, sourced)
        published.append(Published(pv, p.text("source"), entry_kind))
        if entry_kind in INTERVAL_KINDS or not entry_kind:  # a state's claim is shown beside the interval
            values.append(pv)
    source = f.text("source") if f.has("source") or sourced else ""
    kind = _source_kind(f, sourced)
    if kind == "state-media":
        raise f.fail("source_kind 'state-media' cannot back the value a claim uses; take the value from an "
                     "official, research or news source and list the state's claim under published")
    note = f.text("note") if f.has("note") else ""
    return Figure(value, min(values), max(values), about, source, tuple(published), note, kind)


def _source_kind(fields: Fields, required: bool) -> str:
    """Return the table's ``source_kind`` (``""`` if absent and not ``required``), checked."""
    if not fields.has("source_kind") and not required:
        return ""
    kind = fields.require("source_kind")
    if kind not in SOURCE_KINDS:
        raise fields.fail(f"source_kind {_show(kind)} must be one of {', '.join(SOURCE_KINDS)}")
    return str(kind)


def _checked(value: float, key: str, fields: Fields) -> float:
    if value < 0:
        raise fields.fail(f"{key} {value:g} must be >= 0")
    if value > MAX_RANGE_KM:
        raise fields.fail(
            f"{key} {value:g} exceeds {MAX_RANGE_KM:,.0f} km, half the meridian: "
            "no two places on Earth are farther apart"
        )
    return value


@dataclass(frozen=True)
class System:
    """A weapon system: name, kind and its minimum and maximum range figures."""

    key: str
    name: str
    kind: str
    min_km: Figure
    max_km: Figure
    aliases: tuple[str, ...] = ()
    notes: str = ""
    trajectory: str = ""
    """``"ballistic"`` for a missile fired from the ground or sea on a ballistic trajectory, else ``""``."""

    @property
    def ballistic(self) -> bool:
        """Whether the flight-time model and the turning Earth's reach apply (:mod:`geo.physics.ballistic`)."""
        return self.trajectory == "ballistic"

    def read_as(self, query: str) -> str:
        """Say how ``query`` was read if it names this system otherwise (``"iskander → Iskander-M"``), or ``""``."""
        return "" if not query or query.casefold() == self.name.casefold() else f"{query} → {self.name}"


def _parse_system(key: str, entry: Any, where: str, error: type[GeoRangeError]) -> System:
    f = Fields(entry, where, error)
    f.only(_SYSTEM_FIELDS)
    for figure in ("max_km", "min_km"):
        if f.has(figure) and not isinstance(f.table[figure], dict):  # a bare number cites no source
            raise f.fail(f"{figure} {_show(f.table[figure])} needs a source: write {{ value = ..., source = \"...\", "
                         f"source_kind = \"...\" }} (kinds: {', '.join(SOURCE_KINDS)})")
    maximum = parse_figure(f.require("max_km"), "max_km", f, sourced=True)
    minimum = parse_figure(f.table["min_km"], "min_km", f, sourced=True) if f.has("min_km") else Figure.exact(0.0)
    if minimum.value_km > maximum.value_km:
        raise f.fail(f"min_km {minimum.value_km:g} must not exceed max_km {maximum.value_km:g}")
    aliases = tuple(f.strings("aliases")) if f.has("aliases") else ()
    trajectory = f.text("trajectory", "")
    if trajectory not in ("", *_TRAJECTORIES):
        raise f.fail(f"trajectory {trajectory!r} must be one of: {', '.join(_TRAJECTORIES)} (or left out)")
    return System(key, f.text("name"), f.text("kind"), minimum, maximum, aliases, f.text("notes", ""), trajectory)


@functools.cache
def _document() -> tuple[dict[str, System], dict[str, str], dict[str, str]]:
    """Return the systems, why each withdrawn system is not catalogued by case-folded name, and by its name."""
    path = data_path("systems.toml")
    document = load_toml(path, DataFileError)
    top = Fields(document, path.name, DataFileError)
    top.only({"systems", "withdrawn"})
    table = top.require("systems")
    if not isinstance(table, dict):
        raise top.fail("expected [systems.<key>] tables")
    systems = {k: _parse_system(k, entry, f"{path.name}, system {k!r}", DataFileError) for k, entry in table.items()}
    withdrawn: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for key, entry in (top.table.get("withdrawn") or {}).items():
        w = Fields(entry, f"{path.name}, withdrawn {key!r}", DataFileError)
        w.only({"name", "aliases", "reason"})
        reasons[w.text("name")] = w.text("reason")
        for name in (key, w.text("name"), *(w.strings("aliases") if w.has("aliases") else ())):
            withdrawn[name.casefold()] = f"{w.text('name')} is not catalogued: {w.text('reason')}"
    return systems, withdrawn, reasons


def _systems() -> dict[str, System]:
    return _document()[0]


def load_systems() -> dict[str, System]:
    """Return the weapon systems of ``data/systems.toml`` by key.

    Raises
    ------
    DataFileError
        If the file is missing or malformed.
    """
    return dict(_systems())


def withdrawn_systems() -> dict[str, str]:
    """Return, by name, why each system asked for but withdrawn (no range from a source of record) is not listed.

    Raises
    ------
    DataFileError
        If the file is missing or malformed.
    """
    return dict(_document()[2])


def lookup_system(name: str) -> System:
    """Return the system whose key, name or alias is ``name`` (case-blind).

    Raises
    ------
    ClaimFormatError
        If no system matches; the message says why a withdrawn system (one
        without a range from a source of record, ``[withdrawn]`` in the
        file) is not catalogued, or suggests close names; or if ``name`` is not text.
    """
    if not isinstance(name, str):
        raise ClaimFormatError(f"system {name!r} is a {type(name).__name__}: expected a system's name (text)")
    wanted = name.strip().casefold()
    names: list[str] = []
    for system in _systems().values():
        candidates = (system.key, system.name, *system.aliases)
        if any(c.casefold() == wanted for c in candidates):
            return system
        names += candidates
    withdrawn = _document()[1].get(wanted)
    if withdrawn is not None:
        raise ClaimFormatError(f"unknown system {_show(name)}: {withdrawn} (see data/README.md)")
    raise ClaimFormatError(f"unknown system {_show(name)}{close_names(name, names)} (known: {', '.join(_systems())})")


