"""Countries by name: which Natural Earth country a code or a name in any language means.

:func:`lookup_country` takes an ISO 3166-1 code or a name and returns the
country's Natural Earth code, common English name and territory under a
border view. Names come from three files of ``data/`` (see
``data/README.md``):

* ``countries.parquet`` (Natural Earth 1:10m admin-0): codes, short, long,
  formal and admin names, names in 26 languages, other names and
  abbreviations (read by :mod:`geo.reference.shipped`);
* ``countries_info.csv`` (GeoNames): GeoNames' codes and names
  (:func:`load_countries_info`);
* ``country_aliases.toml``: the common and former names people write that
  neither gives (:func:`country_aliases`).

Names are compared after :func:`geo.reference.names.normalise_name`. A
territory under controlled borders comes from :mod:`geo.reference.borders`;
place lookups (:mod:`geo.reference.places`) and region lookups
(:mod:`geo.reference.regions`) use this module for their country
qualifiers. :func:`clear_caches` forgets the indexes built here.
"""

from __future__ import annotations

import csv
import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from geo.errors import AmbiguousPlaceError, UnknownPlaceError
from geo.reference.datafiles import data_path
from geo.reference.names import close_matches, normalise_name
from geo.reference.shipped import _country_attribute_table, _country_attributes, _country_shape, _damaged

if TYPE_CHECKING:  # shapely is imported lazily: it costs ~0.2 s
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "CountryInfo",
    "clear_caches",
    "country_aliases",
    "load_countries_info",
    "lookup_country",
    "names_a_country",
]

MAX_SUGGESTIONS: Final = 5
"""How many close names an :class:`UnknownPlaceError` suggests."""
_INFO_COLUMNS: Final = ("iso2", "iso3", "name", "capital", "continent", "capital_geonameid")


@dataclass(frozen=True)
class CountryInfo:
    """One row of ``data/countries_info.csv`` (GeoNames ``countries.json``).

    Parameters
    ----------
    iso2, iso3 : str
        ISO 3166-1 alpha-2 and alpha-3 codes as GeoNames gives them (Kosovo
        is ``XK``/``XKX``; retired codes ``AN`` and ``CS`` are included).
    name : str
        GeoNames country name.
    capital : str
        Capital as named in ``countries.json`` (may be empty).
    continent : str
        GeoNames continent code: AF, AN, AS, EU, NA, OC or SA.
    capital_geonameid : int or None
        Gazetteer row of the capital, None where it could not be resolved.
    """

    iso2: str
    iso3: str
    name: str
    capital: str
    continent: str
    capital_geonameid: int | None



@functools.cache
def load_countries_info() -> dict[str, CountryInfo]:
    """Return the GeoNames country table keyed by ISO alpha-2 code.

    Returns
    -------
    dict of str to CountryInfo
        All 252 GeoNames countries and territories, including retired codes.

    Raises
    ------
    DataFileError
        If ``data/countries_info.csv`` is missing or malformed.
    """
    name = "countries_info.csv"
    path = data_path(name)
    info: dict[str, CountryInfo] = {}
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != _INFO_COLUMNS:
                raise _damaged(name, path, f"has columns {reader.fieldnames}, expected {list(_INFO_COLUMNS)}")
            for row in reader:
                gid = row["capital_geonameid"]
                info[row["iso2"]] = CountryInfo(
                    iso2=row["iso2"],
                    iso3=row["iso3"],
                    name=row["name"],
                    capital=row["capital"],
                    continent=row["continent"],
                    capital_geonameid=int(gid) if gid else None,
                )
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, TypeError) as err:
        raise _damaged(name, path, f"cannot be read: {err}") from err
    return info



def _add(index: dict[str, set[str]], name: str, value: str) -> None:
    key = normalise_name(name) if name else ""
    if key and value:
        index.setdefault(key, set()).add(value)



@functools.cache
def country_aliases() -> Mapping[str, tuple[str, ...]]:
    """Return the hand-written common and former country names of ``data/country_aliases.toml`` by iso_a3 code.

    Raises
    ------
    DataFileError
        If the file is missing or malformed, or names a code that is not in countries.parquet.
    """
    name = "country_aliases.toml"
    path = data_path(name)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise _damaged(name, path, f"cannot be read: {err}") from err
    aliases = table.get("aliases")
    codes = set(_country_attribute_table().column("iso_a3").to_pylist())
    if not isinstance(aliases, dict):
        raise _damaged(name, path, "has no [aliases] table")
    out: dict[str, tuple[str, ...]] = {}
    for code, names in aliases.items():
        if code not in codes or not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise _damaged(name, path, f"aliases.{code}: expected a code of countries.parquet and a list of names")
        out[code] = tuple(names)
    return out


@functools.cache
def _country_names() -> Mapping[str, frozenset[str]]:
    """Map codes and English names (Natural Earth's, GeoNames') to iso_a3: the first tier of the index."""
    table = _country_attribute_table()  # Arrow, not the frame: a lookup by code or name needs no pandas
    index: dict[str, set[str]] = {}
    by_a2: dict[str, str] = {}
    columns = ("iso_a3", "iso_a2", "name", "name_long", "formal_name", "admin")
    for iso_a3, iso_a2, *names in zip(*(table.column(c).to_pylist() for c in columns), strict=True):
        for name in (iso_a3, iso_a2, *names):
            _add(index, name, iso_a3)
        if iso_a2:
            by_a2[iso_a2] = iso_a3
    for info in load_countries_info().values():
        iso_a3 = by_a2.get(info.iso2)
        if iso_a3 is not None:  # e.g. GeoNames XKX and "Ivory Coast" reach Natural Earth's KOS and CIV
            for name in (info.iso3, info.name):
                _add(index, name, iso_a3)
    return {key: frozenset(codes) for key, codes in index.items()}


@functools.cache
def _country_index() -> Mapping[str, frozenset[str]]:
    """Map a normalised country code or name to Natural Earth iso_a3 codes.

    Codes and English names (Natural Earth's and GeoNames') first, where a
    name two countries share stays ambiguous; then the hand-written aliases;
    then Natural Earth's names in 26 languages, its alternative names and
    abbreviations, where no code or English name already means something.
    :func:`lookup_country` reads the first tier alone when the name is there
    (codes and English names, the common case, need no other language).
    """
    table = _country_attribute_table()  # Arrow columns as lists: no pandas to look a country up
    index: dict[str, set[str]] = {key: set(codes) for key, codes in _country_names().items()}
    for code, names in country_aliases().items():
        for name in names:
            key = normalise_name(name)
            if key and key not in index:
                index[key] = {code}
    others: dict[str, set[str]] = {}
    for iso_a3, other_names in zip(*(table.column(c).to_pylist() for c in ("iso_a3", "other_names")), strict=True):
        for name in other_names.split("|") if other_names else ():
            _add(others, name, iso_a3)
    for key, codes in others.items():
        if key not in index:  # a name of several countries ("Congo", "Korea") stays ambiguous: refused, listed
            index[key] = codes
    return {key: frozenset(codes) for key, codes in index.items()}


def lookup_country(query: str, borders: str = "recognised") -> tuple[str, str, BaseGeometry]:
    """Return the Natural Earth country named `query`, its territory under a border view.

    Parameters
    ----------
    query : str
        ISO 3166-1 alpha-3 (``"BLR"``) or alpha-2 (``"BY"``) code, or a name:
        Natural Earth's short, long, formal or admin name, or the GeoNames
        name (``"Belarus"``, ``"Republic of Belarus"``). Case, accents and
        punctuation are ignored.
    borders : str, default "recognised"
        The border view (:mod:`geo.reference.borders`): ``recognised``, the
        shipped admin-0 as it is, or ``controlled``, with the disputed areas
        given to the state that administers them.

    Returns
    -------
    iso_a3 : str
        Natural Earth code (ISO alpha-3 where one exists, else Natural
        Earth's ADM0_A3, e.g. ``"KOS"``).
    name : str
        The common English name (:func:`geo.reference.shipped.common_name`: ``"North Korea"``).
    geometry : shapely.Polygon or shapely.MultiPolygon
        Full-resolution boundary, (lon, lat) degrees, EPSG:4326.

    Raises
    ------
    UnknownPlaceError
        If nothing matches; the message suggests close names.
    AmbiguousPlaceError
        If the name belongs to several countries.
    """
    if not isinstance(query, str):
        raise UnknownPlaceError(f"country query {query!r} is a {type(query).__name__}: expected a name (text)")
    key = normalise_name(query)
    if not key:
        raise UnknownPlaceError(f"country name is empty in {query!r}; expected e.g. 'BLR', 'BY' or 'Belarus'")
    codes = _country_names().get(key)  # the first tier decides alone where it has the name
    if codes is None:
        codes = _country_index().get(key)
    if codes is None:
        hint = _country_hint(key)
        raise UnknownPlaceError(
            f"unknown country {query!r}: expected an ISO 3166 alpha-2 or alpha-3 code or a country name{hint}"
        )
    if len(codes) > 1:
        raise AmbiguousPlaceError(f"country {query!r} matches {', '.join(sorted(codes))}; use an ISO alpha-3 code")
    (iso_a3,) = codes
    name, geometry = _country_shape(iso_a3)
    if borders != "recognised":
        # deferred: borders imports pyproj (0.15 s), which recognised borders, the usual case, do without
        from geo.reference.borders import check_borders, territory

        geometry = territory(iso_a3, check_borders(borders))
    return iso_a3, name, geometry


def names_a_country(query: str) -> bool:
    """Return whether :func:`lookup_country` knows `query` (a code or a name), without building its error."""
    key = normalise_name(query) if isinstance(query, str) else ""
    return bool(key) and (key in _country_names() or key in _country_index())


def _country_hint(key: str) -> str:
    """Return ``"; did you mean: A (AAA); B (BBB)?"`` for countries close to `key`, or ""."""
    index = _country_index()
    names = _country_attributes().set_index("iso_a3")["name"]
    close = close_matches(key, index, n=MAX_SUGGESTIONS * 3)
    labels = list(dict.fromkeys(f"{names[c]} ({c})" for k in close for c in sorted(index[k])))
    return f"; did you mean: {'; '.join(labels[:MAX_SUGGESTIONS])}?" if labels else ""


# ---------------------------------------------------------------------------


_CACHED: Final[Iterable[Any]] = (
    load_countries_info,
    _country_index,
    _country_names,
)


def clear_caches() -> None:
    """Forget the country tables and indexes, e.g. after changing ``GEORANGE_DATA``."""
    for function in _CACHED:
        function.cache_clear()
