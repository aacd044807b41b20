"""Areas as targets: a country, territory, region, island group or polygon file named in the targets grammar.

A name in ``--places``/``--place``, ``geo.reach(targets=...)`` or a claim's
``place``/``places`` means a point or an area; :func:`area_or_none` and
:func:`resolve_area` decide, and :func:`geo.inputs.targets.named_places`
asks them. The rule, for a name without a prefix:

1. a coordinate is a point;
2. a name of a country or territory of Natural Earth admin-0 (name or ISO
   3166-1 code: ``Poland``, ``PL``, ``Guam``, ``Taiwan``, ``India``), else
   of a first-level region (an ISO 3166-2 code ``UA-43``, a name
   ``Hawaii``, ``Svalbard``, ``Kaliningrad Oblast``, or a composite of
   ``data/country_aliases.toml``: ``Crimea`` is UA-43 with Sevastopol UA-40)
   is an **area**, except when the gazetteer's city (15,000 people or
   more, or a capital) the name finds lies in it, and, for a country, has
   exactly that name: then the city is meant, as a point (``Kyiv``,
   ``Sevastopol``, ``Moscow``, ``Minsk``, ``Odessa`` in their regions;
   ``Luxembourg``, ``Singapore``, ``Monaco``, ``Djibouti``, ``Gibraltar``,
   ``Hong Kong``, ``San Marino``, ``Mozambique`` (the island town) in
   their countries). A city elsewhere, or a country's capital found by
   another of its names, loses to the area
   (``India`` is not Inđija, RS; ``Armenia`` not Armenia, CO; ``Mexico``
   not Mexico City; ``Poland`` not the village in Maine);
3. any other gazetteer place is a point (``Warsaw``, ``Hagåtña``,
   ``Kirkenes``).

``area:NAME`` forces the area (``area:Luxembourg`` is the country,
``area:UA-40`` Sevastopol's region, ``area:patrol.geojson`` or
``area:regions.gpkg#iso=RU-KGD`` a file of polygons); a name after
``area:`` that is no country, region or polygon file is refused in one
line. The one resolver is :func:`resolve_area`: it calls
:func:`geo.reference.places.lookup_country`,
:func:`geo.reference.regions.lookup_region` and
:func:`geo.inputs.polygons.read_launch_file`, and nothing else resolves an
area target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InputFileError, UnknownPlaceError
from geo.inputs.polygons import LAUNCH_SUFFIXES, read_launch_file

__all__ = ["AREA_PREFIX", "TargetArea", "area_or_none", "city_of_area", "forced_area", "resolve_area"]

AREA_PREFIX: Final = "area:"
"""The prefix that makes a target name an area whatever else it names (``area:Luxembourg``)."""


@dataclass(frozen=True)
class TargetArea:
    """An area target: every point of a lon/lat Polygon or MultiPolygon (edges read as geodesics).

    ``label`` is what the area resolved to (``"Poland"``, ``"Hawaii (US-HI)"``,
    ``"Crimea (UA-43 with Sevastopol UA-40)"``, a file's feature name),
    ``query`` the name as written, ``country`` the ISO 3166-1 alpha-2 code
    of its country (``""`` for a file), ``code`` the ISO code it was found
    by (alpha-3 for a country, 3166-2 for a region) and ``source`` the file
    it was read from.
    """

    label: str
    query: str
    country: str
    geometry: BaseGeometry = field(repr=False)
    code: str = ""
    source: str = ""
    kind: str = "region"
    """``country`` (admin-0), ``region`` (admin-1 or a composite) or ``file``."""

    def __post_init__(self) -> None:
        if not isinstance(self.geometry, shapely.Polygon | shapely.MultiPolygon) or self.geometry.is_empty:
            raise InputFileError(f"target area {self.query!r}: expected a Polygon or MultiPolygon, "
                                 f"got {getattr(self.geometry, 'geom_type', type(self.geometry).__name__)}")


def forced_area(text: str) -> str | None:
    """Return the name after ``area:`` (any case, stripped), or None when the text has no such prefix."""
    head = text[:len(AREA_PREFIX)]
    return text[len(AREA_PREFIX):].strip() if head.casefold() == AREA_PREFIX else None


def _file_of(text: str) -> tuple[Path, str | None] | None:
    """Return (path, selector) when the text names a polygon file (``f.gpkg#iso=RU-KGD``), else None."""
    name, hash_, selector = text.rpartition("#")
    if hash_ and Path(name).suffix.lower() in LAUNCH_SUFFIXES:
        return Path(name), selector
    return (Path(text), None) if Path(text).suffix.lower() in LAUNCH_SUFFIXES else None


def area_or_none(text: str, borders: str = "recognised") -> TargetArea | None:
    """Return the country, territory or region a name means, or None if it names none (rule 3 of the module).

    A country is its territory under the border view `borders` (:mod:`geo.reference.borders`).

    Raises
    ------
    AmbiguousPlaceError
        For a name two countries or several regions have (the message lists them).
    """
    from geo.reference import countries, regions

    query = text.strip()
    if regions.CODE_PATTERN.match(query):
        found = regions.region_candidates(query)
        return _region(regions.lookup_region(query), query) if found else None
    if not countries.names_a_country(query):  # most target names are cities: no country, no error to build
        if not regions.region_candidates(query):
            return None
        return _region(regions.lookup_region(query), query)  # one, or refused as ambiguous with the codes
    # The one call of lookup_country for targets, under the border view of the run.
    iso_a3, name, geometry = countries.lookup_country(query, borders)
    return TargetArea(label=name, query=query, country=regions.country_alpha2(iso_a3), geometry=geometry,
                      code=iso_a3, kind="country")


_CITY_SLACK_DEG: Final = 0.05  # a coastal capital's point may lie just off a coarse coastline (about 5 km)


def city_of_area(name: str, lon: float, lat: float, query: str, area: TargetArea) -> bool:
    """Return whether a city is what a name means rather than the area of that name (rule 2 of the module).

    True when the city lies in the area (within about 5 km of its
    boundary) and, for a country, the query is the city's own name (case,
    accents and punctuation aside: ``Luxembourg``, not ``Mexico`` for
    Mexico City); for a region any of the city's names will do (``Odessa``
    is Odesa, in the region of that name).
    """
    from geo.reference.names import normalise_name

    if area.kind == "country" and normalise_name(name) != normalise_name(query):
        return False
    return bool(area.geometry.distance(shapely.Point(lon, lat)) <= _CITY_SLACK_DEG)


def _region(region: object, query: str) -> TargetArea:
    from geo.reference.regions import Region

    assert isinstance(region, Region)
    return TargetArea(label=region.label(), query=query, country=region.country, geometry=region.geometry,
                      code=region.code)


def resolve_area(text: str, borders: str = "recognised") -> TargetArea:
    """Return the area a target names: a polygon file, a country or territory, or a first-level region.

    What ``area:NAME`` means (the prefix already removed or not). The one
    function that resolves target areas.

    Raises
    ------
    UnknownPlaceError
        If the text names no country, territory, region or polygon file (one line).
    AmbiguousPlaceError
        If it names several.
    InputFileError
        For a polygon file that cannot be read or holds no polygon.
    """
    inner = forced_area(text)
    query = (text if inner is None else inner).strip()
    if not query:
        raise UnknownPlaceError(f"target {text!r}: expected {AREA_PREFIX}NAME with a country, region or polygon file")
    file = _file_of(query)
    if file is not None:
        path, select = file
        label, geometry = read_launch_file(path, select)
        if not isinstance(geometry, shapely.Polygon | shapely.MultiPolygon):
            raise InputFileError(f"target {text!r}: {path} holds a {geometry.geom_type}; an area target needs "
                                 "polygons")
        return TargetArea(label=label, query=query, country="", geometry=geometry, source=str(path), kind="file")
    area = area_or_none(query, borders)
    if area is None:
        from geo.reference.countries import _country_hint
        from geo.reference.names import normalise_name

        raise UnknownPlaceError(f"target {text!r} is not a country, territory, region or polygon file"
                                f"{_country_hint(normalise_name(query))}")
    return area
