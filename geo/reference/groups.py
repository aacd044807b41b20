"""Named sets of places and territories (``data/groups.toml``).

Surveys ask about sets: "which NATO capitals", "which Ukrainian oblast
centres". A group is either a list of countries with the date each joined
(an alliance; membership is taken at a date, e.g. the article's) or a list
of gazetteer places.

Place sets (:func:`resolve_places`): ``capitals``, ``european-capitals``,
``cities``, ``<group>-capitals`` for a country group (``nato-capitals``), a
place group (``ukraine-oblast-centres``), or an explicit list of place
queries. Territory sets (:func:`resolve_territories`): a country group
(``nato``) or a list of countries.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.errors import DataFileError, UnknownPlaceError
from geo.reference.datafiles import data_path
from geo.reference.names import close_names
from geo.reference.tomlfile import Fields, load_toml

__all__ = [
    "Group", "Member", "SetInfo", "describe_sets", "load_groups", "place_set_names", "resolve_places",
    "resolve_territories", "set_hint",
]


@dataclass(frozen=True)
class Member:
    """A country in a group, the date it joined and, if it has left, the date it left."""

    country: str
    joined: dt.date
    left: dt.date | None = None

    def member_on(self, day: dt.date | None) -> bool:
        """Whether the country was a member on ``day`` (``None``: today, so not one that has left)."""
        if day is None:
            return self.left is None
        return self.joined <= day and (self.left is None or day < self.left)


@dataclass(frozen=True)
class Group:
    """A named group: countries (with accession dates) or places."""

    key: str
    title: str
    source: str
    members: tuple[Member, ...] = ()
    places: tuple[str, ...] = ()

    def countries(self, as_of: dt.date | None = None) -> list[str]:
        """Return the member countries (ISO alpha-3) at ``as_of`` (default: the members today).

        A member that has left (the United Kingdom in the EU, from 2020-02-01)
        counts from the day it joined to the day before it left.

        Raises
        ------
        UnknownPlaceError
            If no member had joined by ``as_of``: an empty set would make a
            survey answer nothing without saying so.
        """
        found = [m.country for m in self.members if m.member_on(as_of)]
        if not found and self.members:
            first = min(m.joined for m in self.members)
            raise UnknownPlaceError(
                f"group {self.key!r} ({self.title}) had no members on {as_of}: the first joined on {first}"
            )
        return found


def _parse_group(key: str, entry: Any, where: str) -> Group:
    f = Fields(entry, where, DataFileError)
    f.only({"title", "source", "members", "places"})
    if f.has("members") == f.has("places"):
        raise f.fail("give exactly one of 'members' (countries) or 'places'")
    members = []
    for n, m in enumerate(f.table.get("members", []), start=1):
        mf = Fields(m, f"{where}, member #{n}", DataFileError)
        mf.only({"country", "joined", "left"})
        joined, left = mf.require("joined"), mf.table.get("left")
        for name, day in (("joined", joined), ("left", left)):
            if day is not None and not (isinstance(day, dt.date) and not isinstance(day, dt.datetime)):
                raise mf.fail(f"{name} {day!r} must be a TOML date")
        if left is not None and left <= joined:
            raise mf.fail(f"left {left} must come after joined {joined}")
        members.append(Member(mf.text("country"), joined, left))
    places = tuple(f.strings("places")) if f.has("places") else ()
    return Group(key, f.text("title"), f.text("source"), tuple(members), places)


@functools.cache
def _groups() -> dict[str, Group]:
    path = data_path("groups.toml")
    top = Fields(load_toml(path, DataFileError), path.name, DataFileError)
    top.only({"groups"})
    table = top.require("groups")
    if not isinstance(table, dict):
        raise top.fail("expected [groups.<key>] tables")
    return {k: _parse_group(k, v, f"{path.name}, group {k!r}") for k, v in table.items()}


def load_groups() -> dict[str, Group]:
    """Return the groups of ``data/groups.toml`` by key."""
    return dict(_groups())


def place_set_names() -> list[str]:
    """Return the names of the place sets a survey (or --places) accepts."""
    from geo.reference.places import PRESETS

    names = list(PRESETS)
    for key, group in _groups().items():
        names.append(f"{key}-capitals" if group.members else key)
    return names


_PRESET_TITLES = {
    "capitals": "the national capitals of the gazetteer (GeoNames)",
    "european-capitals": "the national capitals of Europe (GeoNames)",
    "cities": "every gazetteer city of 15,000 people or more (GeoNames)",
}


@dataclass(frozen=True)
class SetInfo:
    """A named set, as ``georange places --sets`` lists it."""

    name: str
    kind: str
    """``places`` (for ``--places`` and surveys' ``places``) or ``countries`` (surveys' ``territories``)."""
    title: str
    size: int
    """How many places or member countries it holds today."""


def describe_sets() -> list[SetInfo]:
    """Return every place set and country group, with what it holds."""
    from geo.reference import places

    out = [SetInfo(name, "places", _PRESET_TITLES[name], len(places.preset_places(name))) for name in places.PRESETS]
    for key, group in _groups().items():
        if group.members:
            n = len(group.countries())
            out.append(SetInfo(f"{key}-capitals", "places", f"the capitals of the {group.title}", n))
            out.append(SetInfo(key, "countries", group.title, n))
        else:
            out.append(SetInfo(key, "places", group.title, len(group.places)))
    return out


def set_hint(spec: str) -> str:
    """Return what ``--places KEY`` meant when KEY is a country group's (``eu``, ``nato``), or ``""``.

    A country group is a set of territories for surveys, not of places; its
    capitals are the place set ``KEY-capitals``. (A misspelt place set is
    answered by :func:`geo.inputs.targets.load_targets`, with close names.)
    """
    text = spec.strip().casefold()
    group = _groups().get(text)
    if group is None or not group.members:
        return ""
    return (f"{spec.strip()!r} is a country group ({group.title}) for surveys' territories: "
            f"its capitals are the place set '{text}-capitals'")


def resolve_places(spec: str | tuple[str, ...], as_of: dt.date | None = None) -> pd.DataFrame:
    """Return the places of a set as a frame with ``name, country, lat, lon, population``.

    Raises
    ------
    UnknownPlaceError
        For an unknown set name (with close names) or an unknown place.
    """
    from geo.reference import places

    if isinstance(spec, str):
        if spec in places.PRESETS:
            return places.preset_places(spec)
        groups = _groups()
        if spec.endswith("-capitals") and spec.removesuffix("-capitals") in groups:
            group = groups[spec.removesuffix("-capitals")]
            wanted = set(group.countries(as_of))
            info = places.load_countries_info()
            iso2 = {i.iso2 for i in info.values() if i.iso3 in wanted}
            chosen = [p for p in places.capitals() if p.country in iso2]
        elif spec in groups and groups[spec].places:
            chosen = [places.lookup_place(q) for q in groups[spec].places]
        else:
            raise UnknownPlaceError(
                f"unknown place set {spec!r}{close_names(spec, place_set_names())} "
                f"(known: {', '.join(place_set_names())}; or give a list of places)"
            )
    else:
        chosen = [places.lookup_place(q) for q in spec]
    return places.places_frame(chosen)


def resolve_territories(
    spec: str | tuple[str, ...], as_of: dt.date | None = None, borders: str = "recognised"
) -> list[tuple[str, str, BaseGeometry]]:
    """Return ``(iso_a3, name, geometry)`` for each country of a territory set, under a border view.

    Raises
    ------
    UnknownPlaceError
        For an unknown group (with close names) or country.
    """
    from geo.reference import places

    if isinstance(spec, str):
        groups = {k: g for k, g in _groups().items() if g.members}
        if spec not in groups:
            raise UnknownPlaceError(
                f"unknown territory group {spec!r}{close_names(spec, groups)} "
                f"(known: {', '.join(groups)}; or give a list of countries)"
            )
        codes: list[str] | tuple[str, ...] = groups[spec].countries(as_of)
    else:
        codes = spec
    return [places.lookup_country(c, borders) for c in codes]
