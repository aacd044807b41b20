"""Sub-national regions (Natural Earth 1:10m admin-1 states and provinces) from ``data/regions.parquet``.

:func:`lookup_region` takes an ISO 3166-2 code (``RU-KGD``, ``UA-43``,
``BY-HO``) or a name in any of Natural Earth's 26 languages, its local or
alternative names, optionally with the kind of region (``Kaliningrad
Oblast``, ``Gomel Region``, ``Crimea``) and a country qualifier
(``Kaliningrad, RU``). A region's country is the prefix of its code, so
Crimea (UA-43) and Sevastopol (UA-40) are in Ukraine, as in
``countries.parquet``.

Besides Natural Earth's names, the ``[regions]`` table of
``data/country_aliases.toml`` gives the forms analysts write that Natural
Earth lacks (Крым, Krym, Pridnestrovie, Obwód królewiecki); a kind word may
be Russian, Ukrainian, Polish, Dutch or German (область, obwód, provincie,
Gebiet; "Kaliningrader Gebiet", "Donezker Gebiet" by their German
adjective); a Cyrillic name not found is tried in Latin letters
(:func:`geo.reference.names.transliterations`: "Донецьк oblast").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import numpy as np

from geo.errors import AmbiguousPlaceError, UnknownPlaceError
from geo.reference.datafiles import data_path, read_parquet
from geo.reference.names import NORMALISE_VERSION, close_matches, normalise_name, transliterations

if TYPE_CHECKING:
    import geopandas
    import pyarrow as pa
    from shapely.geometry.base import BaseGeometry

__all__ = ["CODE_PATTERN", "Region", "load_regions", "lookup_region", "region_candidates", "region_codes_named"]

CODE_PATTERN: Final = re.compile(r"^\s*([A-Za-z]{2})-([A-Za-z0-9]{1,3})\s*$")
"""An ISO 3166-2 subdivision code, e.g. RU-KGD, UA-43."""
REGION_COLUMNS: Final = ("iso_3166_2", "country", "name", "name_en", "type_en", "other_names", "search_keys",
                         "key_version")
# Words for a kind of region that may follow (or precede) its name; "Kaliningrad Oblast", "Oblast Kaliningrad".
_KINDS: Final = ("region", "oblast", "province", "state", "governorate", "voivodeship", "krai", "kray", "county",
                 "district", "prefecture", "republic", "autonomous republic", "territory", "canton", "land",
                 "область", "край", "район", "обл", "oblast'", "oblasti", "obwód", "województwo", "provincie",
                 "gebiet", "oblys", "voblast", "voblasts", "вобласць", "республика", "республіка")


_CITY_KINDS: Final = frozenset({"city", "municipality", "capital district", "capital city", "city of"})


@dataclass(frozen=True)
class Region:
    """A sub-national region: ISO 3166-2 code ("" if Natural Earth has none), names, country, geometry."""

    code: str
    name: str
    country: str
    kind: str
    geometry: BaseGeometry = field(repr=False)

    def label(self) -> str:
        """``Name (CODE)``, or ``Name, CC`` for a region without a code."""
        return f"{self.name} ({self.code})" if self.code else f"{self.name}, {self.country}"


@functools.cache
def load_regions() -> geopandas.GeoDataFrame:
    """Return ``data/regions.parquet`` (cached and shared: copy before changing).

    Raises
    ------
    DataFileError
        If the file is missing, unreadable or lacks a column.
    """
    import geopandas

    from geo.reference.places import _damaged

    name = "regions.parquet"
    path = data_path(name)
    try:
        frame = geopandas.read_parquet(path)
    except (OSError, ValueError) as err:
        raise _damaged(name, path, f"cannot be read: {err}") from err
    missing = [c for c in (*REGION_COLUMNS, "geometry") if c not in frame.columns]
    if missing:
        raise _damaged(name, path, f"lacks columns {missing}")
    versions = set(frame["key_version"])
    if versions != {NORMALISE_VERSION}:
        raise _damaged(name, path, f"has search keys of version {sorted(versions)}, expected {NORMALISE_VERSION!r}")
    return frame


def _columns(*columns: str) -> pa.Table:
    """Read some columns of ``regions.parquet`` (not the geometries), or say it is damaged."""
    import pyarrow as pa

    from geo.reference.places import _damaged

    path = data_path("regions.parquet")
    try:
        return read_parquet(path, list(columns))
    except (OSError, pa.ArrowException) as err:
        raise _damaged(path.name, path, f"cannot be read: {err}") from err


@functools.cache
def _index() -> dict[str, tuple[int, ...]]:
    """Map a search key (a normalised code or name, as stored by scripts/build_regions.py) to region rows.

    Reads the key column alone (milliseconds); the geometries are loaded
    only when a name is found.
    """
    from geo.reference.places import _damaged

    table = _columns("search_keys", "key_version")
    versions = set(table.column("key_version").to_pylist())
    if versions != {NORMALISE_VERSION}:
        path = data_path("regions.parquet")
        raise _damaged(path.name, path,
                       f"has search keys of version {sorted(versions)}, expected {NORMALISE_VERSION!r}")
    index: dict[str, set[int]] = {}
    for row, keys in enumerate(table.column("search_keys").to_pylist()):
        for key in keys.split("|") if keys else ():
            index.setdefault(key, set()).add(row)
    codes, _ = _attributes()
    rows_of = {code: row for row, code in enumerate(codes) if code}
    for code, names in _aliases().items():
        if code not in rows_of:
            raise _damaged("country_aliases.toml", data_path("country_aliases.toml"),
                           f"regions.{code}: not an ISO 3166-2 code of regions.parquet")
        for alias in names:
            key = normalise_name(alias)
            if key and key not in index:  # a name Natural Earth gives keeps its meaning
                index[key] = {rows_of[code]}
    return {k: tuple(sorted(v)) for k, v in index.items()}


@functools.cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """Return the ``[regions]`` table of ``data/country_aliases.toml``: names by ISO 3166-2 code."""
    import tomllib

    from geo.reference.places import _damaged

    name = "country_aliases.toml"
    path = data_path(name)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("regions", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise _damaged(name, path, f"cannot be read: {err}") from err
    if not isinstance(table, dict) or not all(
            isinstance(v, list) and all(isinstance(n, str) and n for n in v) for v in table.values()):
        raise _damaged(name, path, "[regions]: expected ISO 3166-2 codes, each with a list of names")
    return {str(code): tuple(names) for code, names in table.items()}


@functools.cache
def _attributes() -> tuple[list[str], list[str]]:
    """Return the ISO 3166-2 code and the kind (``type_en``) of every region, without the geometries."""
    table = _columns("iso_3166_2", "type_en")
    return [str(c or "") for c in table.column("iso_3166_2").to_pylist()], \
        [str(t or "") for t in table.column("type_en").to_pylist()]


@functools.cache
def _kinds() -> tuple[str, ...]:
    kinds = {normalise_name(k) for k in _KINDS} | {normalise_name(t) for t in set(_attributes()[1]) if t}
    return tuple(sorted(kinds - {""}, key=len, reverse=True))


def _rows(key: str) -> tuple[int, ...]:
    """Rows for a search key, or for it without a kind word ("kaliningrad oblast", "oblast of kaliningrad").

    With a kind word, regions of that kind are preferred: "Minsk Oblast" is
    the region (BY-MI), not the city of Minsk (BY-HM). A German adjective
    before "Gebiet" is read without its "-er" ("Kaliningrader Gebiet"); a
    Cyrillic name not found is tried in Latin letters.
    """
    found = _rows_of(key)
    for spelling in transliterations(key) if not found else ():
        found = _rows_of(spelling)
        if found:
            break
    return found


def _rows_of(key: str) -> tuple[int, ...]:
    index = _index()
    if key in index:
        return index[key]
    for kind in _kinds():
        for stripped in (key.removesuffix(f" {kind}"), key.removeprefix(f"{kind} of "), key.removeprefix(f"{kind} ")):
            if stripped == key:
                continue
            stems = [stripped, stripped.removesuffix("er")] if kind == "gebiet" else [stripped]
            stem = next((t for t in stems if t in index), None)
            if stem is not None:
                rows = index[stem]
                types = _attributes()[1]
                same = tuple(r for r in rows if normalise_name(types[r]) == kind)
                if not same and kind not in _CITY_KINDS:
                    same = tuple(r for r in rows if normalise_name(types[r]) not in _CITY_KINDS)
                return same or rows
    return ()


def region_codes_named(name: str) -> list[str]:
    """Return the ISO 3166-2 codes of the regions called `name` (any language, kind words allowed), no geometry.

    For place qualifiers (``"Augsburg, Bayern"``): reads the names and codes
    only, never the boundaries.
    """
    codes = _attributes()[0]
    return [codes[r] for r in _rows(normalise_name(name)) if codes[r]]


def _region_at(row: int) -> Region:
    frame = load_regions()
    r = frame.iloc[row]
    return Region(code=str(r["iso_3166_2"]), name=str(r["name_en"] or r["name"]), country=str(r["country"]),
                  kind=str(r["type_en"]), geometry=r["geometry"])


def region_candidates(query: str) -> list[Region]:
    """Return every region the query may mean (an exact code first), without deciding between them."""
    text = query.strip()
    m = CODE_PATTERN.match(text)
    if m:
        code = f"{m.group(1).upper()}-{m.group(2).upper()}"
        rows = np.flatnonzero(load_regions()["iso_3166_2"].to_numpy() == code)
        return [_region_at(int(i)) for i in rows]
    name, comma, qualifier = text.rpartition(",")
    if not comma:
        name, qualifier = text, ""
    found = [_region_at(i) for i in _rows(normalise_name(name.strip()))]
    if qualifier.strip():
        from geo.reference.places import lookup_country

        try:
            iso_a3, _, _ = lookup_country(qualifier.strip())
        except UnknownPlaceError:
            return []
        a2 = _a2_of(iso_a3)
        found = [r for r in found if r.country == a2]
    return found


def _a2_of(iso_a3: str) -> str:
    from geo.reference.places import load_countries

    countries = load_countries()
    match = countries.loc[countries["iso_a3"] == iso_a3, "iso_a2"]
    return str(match.iloc[0]) if len(match) else ""


def lookup_region(query: str) -> Region:
    """Return the region named by an ISO 3166-2 code or a name (see the module docstring).

    Raises
    ------
    UnknownPlaceError
        If nothing matches (with close names).
    AmbiguousPlaceError
        If the name belongs to regions of several countries or several
        regions of one (the message lists their codes).

    Examples
    --------
    >>> lookup_region("RU-KGD").label()
    'Kaliningrad (RU-KGD)'
    >>> lookup_region("Kaliningrad Oblast").code, lookup_region("Гомельская область").code
    ('RU-KGD', 'BY-HO')
    """
    found = region_candidates(query)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        listed = "; ".join(r.label() for r in found[:8])
        example = found[0].code or f"{found[0].name}, {found[0].country}"
        raise AmbiguousPlaceError(f"region {query!r} matches {len(found)} regions: {listed}; give its ISO 3166-2 "
                                  f"code or a country, e.g. {example!r}")
    close = close_matches(normalise_name(query), _index(), n=5)
    labels = list(dict.fromkeys(_region_at(i).label() for k in close for i in _index()[k]))[:5]
    hint = f"; did you mean: {'; '.join(labels)}?" if labels else ""
    raise UnknownPlaceError(f"unknown region {query!r}: expected an ISO 3166-2 code (RU-KGD) or a region name{hint}")
