"""Places and launch sites: look their names up, and the one door to the reference data's lookups.

Two kinds of names are resolved here, each from a file in ``data/`` (see
``data/README.md`` for provenance):

* places from ``gazetteer.parquet`` (GeoNames: the cities, population >=
  15,000, every national capital, and the small places of 500 people or
  more, each with its first-level region) with :func:`lookup_place`, names
  searched in ``gazetteer_keys.parquet``; a qualifier after a comma is a
  country (:mod:`geo.reference.countries`) or a first-level region
  (:mod:`geo.reference.regions`);
* named launch sites from ``sites.toml`` with :func:`lookup_site`.

Countries are resolved by :mod:`geo.reference.countries`
(:func:`lookup_country`) and the shipped tables read by
:mod:`geo.reference.shipped` (:func:`load_countries`,
:func:`country_geometries`); this module re-exports them, so that callers
have one place to import lookups from. The modules below it import nothing
from it: imports flow shipped -> borders -> countries -> regions -> places.

Every loader is cached; :func:`clear_caches` forgets them all, those of the
modules below included (e.g. after changing ``GEORANGE_DATA``). Cached
frames are shared: copy before changing.

Names are compared after :func:`geo.reference.names.normalise_name` (case, accents,
punctuation and script-independent decomposition are ignored). Coordinates
are (lon, lat) in degrees, WGS84.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import numbers
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import AmbiguousPlaceError, DataFileError, InvalidCoordinateError, UnknownPlaceError
from geo.geodesy.ellipsoid import check_lonlat
from geo.lazy import from_arrow
from geo.reference import countries, shipped
from geo.reference.countries import (
    MAX_SUGGESTIONS,
    CountryInfo,
    _add,
    _country_hint,
    _country_index,
    country_aliases,
    load_countries_info,
    lookup_country,
)
from geo.reference.datafiles import data_path
from geo.reference.names import close_matches, close_names, normalise_name, transliterations
from geo.reference.regions import region_codes_named
from geo.reference.shipped import (
    GAZETTEER_COLUMNS,
    _checked,
    _country_attribute_table,
    _damaged,
    _gazetteer_file,
    _gazetteer_table,
    _RowGroups,
    common_name,
    country_geometries,
    load_countries,
)

if TYPE_CHECKING:
    import pandas as pd
else:
    from geo.lazy import pandas as pd

if TYPE_CHECKING:  # shapely is imported lazily: it costs ~0.2 s
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "PRESETS",
    "CountryInfo",
    "Place",
    "Site",
    "capitals",
    "clear_caches",
    "country_geometries",
    "european_capitals",
    "load_countries",
    "load_countries_info",
    "common_name",
    "country_aliases",
    "largest_place_in",
    "load_gazetteer",
    "load_sites",
    "lookup_country",
    "lookup_place",
    "place_candidates",
    "lookup_site",
    "places_frame",
    "preset_places",
]

_KEY_FILE_COLUMNS: Final = ("key", "row", "primary")
REGION_CODE_COUNTRIES: Final = ("US", "CA", "AU")
"""Countries whose first-level regions are also known by the code after the dash of their ISO 3166-2 code, as
their postal abbreviations are (IL, OR, WA; ON, BC; NSW, WA): ``"Springfield, IL"``."""
_SITE_FIELDS: Final = frozenset({"name", "aliases", "lat", "lon", "country", "source"})

MAX_AMBIGUOUS_LISTED: Final = 8
"""How many candidates an :class:`AmbiguousPlaceError` lists."""


# ---------------------------------------------------------------------------
# Values


def _check_lonlat(lon: object, lat: object, what: str) -> tuple[float, float]:
    """Return `lon`, `lat` as floats, or raise InvalidCoordinateError."""
    for label, value in (("longitude", lon), ("latitude", lat)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise InvalidCoordinateError(f"{what}: {label} {value!r} must be a number of degrees")
    x, y = check_lonlat(float(lon), float(lat), what=what)  # type: ignore[arg-type]
    return float(x), float(y)


@dataclass(frozen=True)
class Place:
    """A named place from the gazetteer.

    Parameters
    ----------
    name : str
        GeoNames primary name, e.g. ``"Kyiv"``.
    country : str
        ISO 3166-1 alpha-2 code of the country, e.g. ``"UA"``.
    lon, lat : float
        Longitude and latitude in degrees (WGS84); note the (lon, lat) order.
    population : int, default 0
        GeoNames population (0 when unknown).
    is_capital : bool, default False
        Whether the place is the national capital of `country`.
    geonameid : int or None, default None
        GeoNames id, None for a place not taken from the gazetteer.
    region : str, default ""
        ISO 3166-2 code of its first-level region (``"US-IL"``), "" where
        unknown.
    region_name : str, default ""
        English name of that region (``"Illinois"``).
    city : bool, default True
        Whether the place is one of the ``cities`` (population >= 15,000,
        or a national capital); False for a small place.

    Raises
    ------
    InvalidCoordinateError
        If `lon` or `lat` is not a finite number within [-180, 180] or
        [-90, 90].
    """

    name: str
    country: str
    lon: float
    lat: float
    population: int = 0
    is_capital: bool = False
    geonameid: int | None = None
    region: str = ""
    region_name: str = ""
    city: bool = True

    def __post_init__(self) -> None:
        """Validate and normalise the coordinates."""
        lon, lat = _check_lonlat(self.lon, self.lat, f"place {self.name!r}")
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "lat", lat)

    def label(self) -> str:
        """Return ``"Name, CC"``, a query that finds this place again if unique."""
        return f"{self.name}, {self.country}"

    def region_label(self) -> str:
        """Return ``"Illinois (US-IL)"``, or "" for a place without a known region."""
        return f"{self.region_name} ({self.region})" if self.region else ""

    def describe(self) -> str:
        """Return the place for a list of candidates: region, country, population and coordinates.

        ``"Springfield, US (Illinois, US-IL; population 114,394; 39.8017N 89.6437W)"``.
        """
        region = f"{self.region_name}, {self.region}; " if self.region else ""
        lat = f"{abs(self.lat):.4f}{'N' if self.lat >= 0 else 'S'}"
        lon = f"{abs(self.lon):.4f}{'E' if self.lon >= 0 else 'W'}"
        return f"{self.label()} ({region}population {self.population:,}; {lat} {lon})"

    def query(self) -> str:
        """Return a query that finds this place again when a country alone does not: ``"Springfield, US-IL"``."""
        return f"{self.name}, {self.region}" if self.region else self.label()


@dataclass(frozen=True)
class Site:
    """A named launch site from ``data/sites.toml``.

    Parameters
    ----------
    key : str
        Short identifier, e.g. ``"krichev"``.
    name : str
        Display name.
    lon, lat : float
        Longitude and latitude in degrees (WGS84); note the (lon, lat) order.
    country : str
        ISO 3166-1 alpha-3 code, e.g. ``"BLR"``.
    source : str
        Where the coordinates come from.
    aliases : tuple of str, default ()
        Other names :func:`lookup_site` accepts.

    Raises
    ------
    InvalidCoordinateError
        If `lon` or `lat` is not a finite number within range.
    """

    key: str
    name: str
    lon: float
    lat: float
    country: str
    source: str
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Validate and normalise the coordinates and aliases."""
        lon, lat = _check_lonlat(self.lon, self.lat, f"site {self.key!r}")
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "aliases", tuple(self.aliases))


# ---------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class _KeyIndex:
    """Sorted search keys: ``key(i)`` is the i-th key (UTF-8 bytes), ``rows[i]`` its gazetteer row."""

    offsets: np.ndarray
    data: bytes
    rows: np.ndarray
    primary: np.ndarray

    def key(self, i: int) -> bytes:
        return self.data[self.offsets[i]:self.offsets[i + 1]]

    def __len__(self) -> int:
        return len(self.rows)


def _key_part(table: pa.Table) -> _KeyIndex:
    """Return sorted keys read from ``gazetteer_keys.parquet`` as a :class:`_KeyIndex`."""
    keys = table["key"].combine_chunks()
    if pa.types.is_large_string(keys.type):
        keys = keys.cast(pa.string())
    _, offsets, data = keys.buffers()
    # The key bytes and offsets straight from the Arrow buffers: no Python object per key.
    start = np.frombuffer(offsets, dtype=np.int32, count=len(keys) + 1, offset=keys.offset * 4)
    return _KeyIndex(offsets=start.astype(np.int64) - int(start[0]),
                     data=data.to_pybytes()[int(start[0]):int(start[-1])] if data is not None else b"",
                     rows=from_arrow(table["row"]).astype(np.int64), primary=from_arrow(table["primary"]))


@functools.cache
def _key_file() -> tuple[_RowGroups, list[tuple[bytes, bytes] | None]]:
    """Open ``gazetteer_keys.parquet``, check it, and return each row group's smallest and largest key."""
    file = _checked(_RowGroups("gazetteer_keys.parquet"), _KEY_FILE_COLUMNS)
    if file.tag(b"georange:rows") != str(_gazetteer_file().num_rows):
        raise _damaged(file.name, file.path, "does not index this gazetteer.parquet (rebuild both)")
    column = file.schema.names.index("key")
    bounds: list[tuple[bytes, bytes] | None] = []
    for i in range(file.metadata.num_row_groups):
        stats = file.metadata.row_group(i).column(column).statistics
        if stats is None or not stats.has_min_max:
            bounds.append(None)  # unknown: the group is always read
        else:
            low, high = stats.min, stats.max
            bounds.append((low.encode() if isinstance(low, str) else bytes(low),
                           high.encode() if isinstance(high, str) else bytes(high)))
    return file, bounds


@functools.cache
def _key_index() -> _KeyIndex:
    """Return every search key of the gazetteer (for suggestions: a lookup reads one row group)."""
    file, _ = _key_file()
    return _key_part(file.read(_KEY_FILE_COLUMNS))


@functools.lru_cache(maxsize=64)
def _key_group(i: int) -> _KeyIndex:
    file, _ = _key_file()
    return _key_part(file.group(i, _KEY_FILE_COLUMNS))


def _key_rows(key: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the gazetteer rows whose primary name, and those whose other names, have the search key `key`.

    The keys are sorted; the row groups whose smallest and largest keys
    (Parquet statistics) bracket `key` are read and searched by bisection.
    """
    file, bounds = _key_file()
    target = key.encode()
    rows_found, primary_found = [], []
    for i, bound in enumerate(bounds):
        if bound is not None and not bound[0] <= target <= bound[1]:
            continue
        index = _key_group(i)
        lo = bisect.bisect_left(range(len(index)), target, key=index.key)
        hi = bisect.bisect_right(range(len(index)), target, lo=lo, key=index.key)
        rows_found.append(index.rows[lo:hi])
        primary_found.append(index.primary[lo:hi])
    rows = np.concatenate(rows_found) if rows_found else np.zeros(0, dtype=np.int64)
    primary = np.concatenate(primary_found) if primary_found else np.zeros(0, dtype=bool)
    return np.unique(rows[primary]), np.setdiff1d(rows[~primary], rows[primary])


@functools.cache
def load_gazetteer() -> pd.DataFrame:
    """Return the gazetteer: one row per city or capital.

    The ``cities`` place set: every GeoNames city of 15,000 people or more
    and every national capital (34,001 rows); the small places the
    gazetteer also holds for :func:`lookup_place` are not in it.

    Returns
    -------
    pandas.DataFrame
        Columns ``geonameid`` (int64), ``name``, ``alternatenames`` (one
        string, names joined by ``"|"``), ``country`` (ISO alpha-2), ``lat``,
        ``lon`` (float64 degrees), ``population`` (int64) and ``is_capital``
        (bool, exactly one row per country that has a resolved capital).
        The frame is cached and shared: copy it before modifying.

    Raises
    ------
    DataFileError
        If ``data/gazetteer.parquet`` is missing, unreadable or stale.
    """
    table = _gazetteer_file().read((*GAZETTEER_COLUMNS, "city"))
    return table.filter(table["city"]).select(list(GAZETTEER_COLUMNS)).to_pandas()


# ---------------------------------------------------------------------------
# Places


@dataclass(frozen=True)
class _PlaceIndex:
    """Column arrays of the gazetteer used for searching (row-aligned); names and positions read as needed."""

    country: np.ndarray
    population: np.ndarray
    is_capital: np.ndarray
    city: np.ndarray
    region: np.ndarray
    region_name: np.ndarray

    def name(self, rows: np.ndarray) -> list[str]:
        """Return the primary names of some rows (235,000 names are not decoded up front)."""
        return [str(n) for n in _gazetteer_file().take(rows, "name")]


@functools.cache
def _place_index() -> _PlaceIndex:
    table = _gazetteer_table()

    def column(name: str) -> np.ndarray:
        # Not ChunkedArray.to_numpy, which imports pandas (0.3 s) to convert: numbers from the buffers,
        # text (a few thousand distinct codes and region names) through a dictionary, as an object array of str.
        arr = table[name]
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            encoded = pc.dictionary_encode(arr).combine_chunks()
            values = np.array(encoded.dictionary.to_pylist(), dtype=object)
            return values[from_arrow(encoded.indices)]
        return from_arrow(arr)

    return _PlaceIndex(
        country=column("country"),
        population=column("population"),
        is_capital=column("is_capital"),
        city=column("city"),
        region=column("region"),
        region_name=column("region_name"),
    )


@functools.cache
def _city_positions() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the rows, longitudes and latitudes of the cities (for :func:`largest_place_in`)."""
    table = _gazetteer_file().read(("lon", "lat", "city"))
    city = from_arrow(table["city"])
    return np.flatnonzero(city), from_arrow(table["lon"])[city], from_arrow(table["lat"])[city]


def _place_at(i: int) -> Place:
    index = _place_index()
    file = _gazetteer_file()
    row = np.array([i])
    return Place(
        name=str(file.take(row, "name")[0]),
        country=str(index.country[i]),
        lon=float(file.take(row, "lon")[0]),
        lat=float(file.take(row, "lat")[0]),
        population=int(index.population[i]),
        is_capital=bool(index.is_capital[i]),
        geonameid=int(file.take(row, "geonameid")[0]),
        region=str(index.region[i]),
        region_name=str(index.region_name[i]),
        city=bool(index.city[i]),
    )


@functools.cache
def _primary_names() -> tuple[list[str], dict[str, int]]:
    """Return the distinct primary-name keys of the cities and, per key, its most populous row."""
    index, keys = _place_index(), _key_index()
    rows = keys.rows[keys.primary]
    where = np.flatnonzero(keys.primary)[index.city[rows]]
    best: dict[str, int] = {}
    for i in where[np.argsort(index.population[keys.rows[where]], kind="stable")]:  # ascending: the largest wins
        best[keys.key(int(i)).decode()] = int(keys.rows[i])
    return list(best), best


@functools.cache
def _script_names() -> tuple[list[str], dict[str, int]]:
    """Return the alternate-name keys outside ASCII (Москва, Київ, 北京) of places of 50,000 people or more.

    Suggestions for a name typed in another script come from these.
    """
    index, keys = _place_index(), _key_index()
    where = np.flatnonzero(~keys.primary & (index.population[keys.rows] >= 50_000))
    best: dict[str, int] = {}
    for i in where[np.argsort(index.population[keys.rows[where]], kind="stable")]:  # ascending: the largest wins
        key = keys.key(int(i))
        if not key.isascii():
            best[key.decode()] = int(keys.rows[i])
    return list(best), best


def _close_places(key: str, scopes: Sequence[_Scope] = ()) -> list[str]:
    """Return up to MAX_SUGGESTIONS ``"Name, CC"`` labels of names close to `key` (in its script)."""
    keys, best = _script_names() if not key.isascii() else _primary_names()
    labels = []
    for match in close_matches(key, keys, n=MAX_SUGGESTIONS * 4):
        row = best[match]
        if not scopes or any(scope.holds(np.array([row])).any() for scope in scopes):
            labels.append(_place_at(row).label())
    return list(dict.fromkeys(labels))[:MAX_SUGGESTIONS]


@functools.cache
def _qualifier_index() -> Mapping[str, frozenset[str]]:
    """Map a normalised country code or name to the ISO alpha-2 codes it names."""
    index: dict[str, set[str]] = {}
    for info in load_countries_info().values():
        for name in (info.iso2, info.iso3, info.name):
            _add(index, name, info.iso2)
    table = _country_attribute_table()  # Arrow columns as lists: no pandas for a qualifier
    columns = [table.column(c).to_pylist() for c in ("iso_a3", "iso_a2", "name", "name_long", "formal_name", "admin")]
    for names in zip(*columns, strict=True):
        for name in names:
            _add(index, name, names[1])
    # Names in other languages and the aliases: "Odessa, Oekraïne", "Minsk, Wit-Rusland".
    a2 = dict(zip(columns[0], columns[1], strict=True))
    for key, codes in _country_index().items():
        if key not in index:
            found = {a2[c] for c in codes if a2.get(c)}
            if found:
                index[key] = found
    return {key: frozenset(codes) for key, codes in index.items()}


@dataclass(frozen=True)
class _Scope:
    """One reading of a qualifier: some countries (ISO alpha-2) or some regions (ISO 3166-2)."""

    label: str
    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()

    def holds(self, rows: np.ndarray) -> np.ndarray:
        """Which of the gazetteer `rows` lie in this scope (a boolean array)."""
        index = _place_index()
        if self.regions:
            return np.isin(index.region[rows], list(self.regions))
        return np.isin(index.country[rows], list(self.countries))


@functools.cache
def _region_codes() -> Mapping[str, str]:
    """Map the ISO 3166-2 codes of the gazetteer's regions to their names."""
    index = _place_index()
    encoded = pc.dictionary_encode(_gazetteer_table()["region"]).combine_chunks()
    _, first = np.unique(from_arrow(encoded.indices), return_index=True)  # integers: no sorting of strings
    return {str(index.region[i]): str(index.region_name[i]) for i in first if index.region[i]}


def _readings(qualifier: str) -> list[_Scope]:
    """Return what the text after a comma may mean: a country, and first-level regions.

    A country by code or name (see :func:`lookup_country`); a region by its
    ISO 3166-2 code (``US-IL``, ``DE-BY``), by the code after the dash for
    the :data:`REGION_CODE_COUNTRIES` (``IL``, ``ON``, ``NSW``), or by name
    in any language Natural Earth gives (``Bavaria``, ``Bayern``,
    ``Illinois``). ``IL`` has two readings: Israel and Illinois.
    """
    key = normalise_name(qualifier)
    scopes: list[_Scope] = []
    countries = _qualifier_index().get(key)
    if countries:
        names = load_countries_info()
        label = ", ".join(f"{names[c].name} ({c})" if c in names else c for c in sorted(countries))
        scopes.append(_Scope(label=label, countries=countries))
    codes = _region_codes()
    text = qualifier.strip().upper()
    found: list[str] = []
    if text in codes:  # US-IL
        found.append(text)
    found += [f"{cc}-{text}" for cc in REGION_CODE_COUNTRIES if f"{cc}-{text}" in codes]
    for code in dict.fromkeys(found):  # each code is a reading of its own: WA is US-WA or AU-WA
        scopes.append(_Scope(label=f"{codes[code]} ({code})", regions=frozenset({code})))
    if not found and len(key.replace(" ", "")) > 3:  # a region's name; short texts are codes, read above
        named = sorted({c for c in region_codes_named(qualifier) if c in codes})
        if named:  # the regions of one name are one reading: "Washington" is US-WA or US-DC, the larger place wins
            label = " or ".join(f"{codes[c]} ({c})" for c in named)
            scopes.append(_Scope(label=label, regions=frozenset(named)))
    return scopes


ALTERNATE_DOMINANCE: Final = 5.0
"""An alternate-name match competes with primary-name matches only if it is this many times as populous
(Odessa: Odesa, UA, 1.0 M, against Odessa, US, 0.11 M; never against a national capital of that name)."""
POPULATION_DOMINANCE: Final = 4.0
"""The most populous candidate is taken if it has this many times the population of every other one."""
CAPITAL_SHARE: Final = 0.5
"""A national capital is taken if it has at least this share of the population of every other candidate."""
CAPITAL_DOMINANCE: Final = 20.0
"""A place outweighs a national capital of the same name only with this many times its population
(Stanley, GB, 31,300, does not outweigh Stanley, FK, the Falklands' capital, 2,213)."""
CURRENT_NAME_SIMILARITY: Final = 0.8
"""A name in Cyrillic is a place's current name when its Latin transliteration is this similar (difflib ratio)
to the place's primary name: Калининград is Kaliningrad, not Korolev (Kaliningrad until 1996)."""


def _current_names(key: str, rows: np.ndarray) -> np.ndarray:
    """Of places that share a name in another script, those whose primary name it spells (all if none does)."""
    spellings = transliterations(key)
    if rows.size < 2 or not spellings:
        return rows
    index = _place_index()

    def similarity(name: str) -> float:
        primary = normalise_name(name)
        return max(difflib.SequenceMatcher(None, s, primary).ratio() for s in spellings)

    current = np.array([similarity(name) >= CURRENT_NAME_SIMILARITY for name in index.name(rows)])
    return rows[current] if current.any() else rows


def _candidates(key: str, scope: _Scope | None) -> np.ndarray:
    """Return the gazetteer rows a name may mean: its primary-name matches, and alternates that dominate them.

    The cities (population >= 15,000 and the capitals) are searched first;
    the small places only when no city has the name. Within them, alternate
    names (other languages, old spellings) join the primary-name matches
    only when there are none, or when the primary matches hold no national
    capital and an alternate match is :data:`ALTERNATE_DOMINANCE` times as
    populous as all of them; a name in another script that several places
    share means the ones whose current name it spells (:func:`_current_names`).
    """
    index = _place_index()
    primary_all, others_all = _key_rows(key)
    if scope is not None:
        primary_all, others_all = primary_all[scope.holds(primary_all)], others_all[scope.holds(others_all)]
    for tier in (True, False):
        primary = primary_all[index.city[primary_all] == tier]
        others = others_all[index.city[others_all] == tier]
        if primary.size == 0 and others.size == 0:
            continue
        if primary.size == 0:
            return _current_names(key, others)
        if others.size == 0 or index.is_capital[primary].any():
            return primary
        if index.population[others].max() >= ALTERNATE_DOMINANCE * max(int(index.population[primary].max()), 1):
            return np.union1d(primary, others)
        return primary
    return primary_all[:0]


def _dominant(rows: np.ndarray) -> int | None:
    """Return the candidate that clearly dominates the others (see :func:`lookup_place`), or None."""
    index = _place_index()
    population = index.population[rows].astype(float)
    capitals = np.flatnonzero(index.is_capital[rows])
    if capitals.size == 1:
        c = capitals[0]
        rest = np.delete(population, c)
        if population[c] >= CAPITAL_SHARE * rest.max():
            return int(rows[c])
    order = np.argsort(-population, kind="stable")
    top, rest = order[0], order[1:]
    need = np.where(index.is_capital[rows[rest]], CAPITAL_DOMINANCE, POPULATION_DOMINANCE)
    if np.all(population[top] >= need * np.maximum(population[rest], 1.0)):
        return int(rows[top])
    return None


def _likeliest_first(rows: np.ndarray) -> np.ndarray:
    """National capitals first, then the cities, then by population: the likeliest meanings lead."""
    index = _place_index()
    return rows[np.lexsort((-index.population[rows], ~index.city[rows], ~index.is_capital[rows]))]


def _choose(rows: np.ndarray, query: str) -> int:
    """Return the candidate `query` means, or refuse it as ambiguous, listing the likeliest meanings."""
    if rows.size == 1:
        return int(rows[0])
    chosen = _dominant(rows)
    if chosen is not None:
        return chosen
    index = _place_index()
    order = _likeliest_first(rows)
    listed = [_place_at(int(i)) for i in order[:MAX_AMBIGUOUS_LISTED]]
    more = f"; and {rows.size - len(listed)} more" if rows.size > len(listed) else ""
    names = "; ".join(p.describe() for p in listed)
    regions = {str(r) for r in index.region[rows]}
    if len({str(c) for c in index.country[rows]}) > 1:
        advice = f"add a country qualifier, e.g. {listed[0].label()!r}"
    elif "" not in regions and len(regions) == rows.size:
        advice = f"all are in {listed[0].country}: add a region qualifier, e.g. {listed[0].query()!r}"
    else:  # neither a country nor a region can separate them
        advice = f"all are in {listed[0].country}, so give the coordinates instead"
    raise AmbiguousPlaceError(f"place {query!r} matches {rows.size} places: {names}{more}; {advice}")


def _split(query: str) -> tuple[str, str]:
    """Return the name and the text after its last comma ("" without a comma), both stripped."""
    text = query.strip()
    name, comma, qualifier = text.rpartition(",")
    if not comma:
        return text, ""
    return name.strip(), qualifier.strip()


def lookup_place(query: str) -> Place:
    """Return the gazetteer place named `query`.

    Parameters
    ----------
    query : str
        A place name in any script, optionally followed by a comma and a
        qualifier: a country by ISO alpha-2 (``"Paris, FR"``), alpha-3
        (``"Paris, FRA"``) or name (``"Paris, France"``), or a first-level
        region by ISO 3166-2 code (``"Springfield, US-IL"``), by the postal
        code of a US state, Canadian province or Australian state
        (``"Springfield, IL"``, ``"Hamilton, ON"``, ``"Newcastle, NSW"``) or
        by name (``"Augsburg, Bayern"``). Case, accents and punctuation are
        ignored.

    Returns
    -------
    Place

    Raises
    ------
    UnknownPlaceError
        If the query is empty, the qualifier is unknown, or nothing
        matches; the message suggests up to five close names.
    AmbiguousPlaceError
        If several places match and the rules below do not pick one, or the
        place exists in two readings of its qualifier; the message lists up
        to eight candidates, each with its region, country, population and
        coordinates.

    Notes
    -----
    What an analyst means, in order:

    1. Candidates are the places (in the qualifier's country or region, if
       any) whose GeoNames primary name matches, and those with a matching
       alternate name (another language, an old spelling) when there is no
       primary match, or when no primary match is a national capital and an
       alternate match has :data:`ALTERNATE_DOMINANCE` (5) times their
       population: "Odessa" means Odesa, UA (1.0 M), not Odessa, US (0.11 M);
       "St Petersburg" Saint Petersburg, RU; "Calcutta" Kolkata, IN. The
       cities (15,000 people or more, and the capitals) are searched first;
       the small places (GeoNames' places of 500 or more) only when no city
       has the name: "Kirkenes", "Funafuti".
    2. A name in Cyrillic that several places share (a former name of one
       of them) means the place whose current name it spells
       (:data:`CURRENT_NAME_SIMILARITY`): "Калининград" is Kaliningrad, not
       Korolev, called Kaliningrad until 1996.
    3. One candidate: it.
    4. A single national capital among them, with at least
       :data:`CAPITAL_SHARE` (half) the population of each other one:
       "London" is London, GB; "Washington" the US capital; "Rome",
       "Paris", "Moscow" the capitals.
    5. A candidate with :data:`POPULATION_DOMINANCE` (4) times the
       population of every other one, and :data:`CAPITAL_DOMINANCE` (20)
       times that of a national capital among them.
    6. Otherwise the name is ambiguous and refused, never guessed, with the
       likeliest meanings listed: "Hyderabad" (IN 7.0 M, PK 1.9 M) needs a
       country ("Hyderabad, PK"); places that share a name inside one
       country ("Springfield, US") a region ("Springfield, IL").

    A qualifier with two readings (``IL``: Israel and Illinois; ``WA``:
    Washington and Western Australia; ``CA``: Canada and California) takes
    the reading in which the place exists (by its primary name, if it has
    that name in one reading only: "George Town, KY" is the capital of the
    Cayman Islands, not Georgetown, Kentucky); a place that exists in both
    is refused, naming both readings.

    The place returned always carries its country (``Place.country``) and
    region (``Place.region``), and every georange output shows the country.

    A text after the last comma that is neither a country nor a region is
    taken as part of the name ("Washington, D.C." matches an alternate
    name).

    Examples
    --------
    >>> p = lookup_place("Київ")
    >>> print(p.label(), f"{p.lon:.2f} {p.lat:.2f}")
    Kyiv, UA 30.52 50.45
    >>> lookup_place("Springfield, IL").region_label()
    'Illinois (US-IL)'
    """
    if not isinstance(query, str):
        raise UnknownPlaceError(f"place query {query!r} is a {type(query).__name__}: expected a name (text)")
    name, qualifier = _split(query)
    key = normalise_name(name)
    if not key:
        raise UnknownPlaceError(f"place name is empty in {query!r}; expected a name such as 'Warsaw' or 'Paris, FR'")
    if not qualifier:
        rows = _candidates(key, None)
        if rows.size:
            return _place_at(_choose(rows, query))
        suggestions = _close_places(key)
        hint = f"; did you mean: {'; '.join(suggestions)}?" if suggestions else ""
        raise UnknownPlaceError(f"unknown place {name!r}: no place in the gazetteer has that name{hint}")

    scopes = _readings(qualifier)
    if not scopes:
        rows = _candidates(normalise_name(query), None)
        if rows.size:
            return _place_at(_choose(rows, query))
        hint = _country_hint(normalise_name(qualifier))
        raise UnknownPlaceError(
            f"unknown country {qualifier!r} in place {query!r}: expected an ISO 3166 alpha-2 or alpha-3 code or "
            f"a country name, or a first-level region (ISO 3166-2 code, US/CA/AU postal code, or name){hint}"
        )
    found = [(scope, rows) for scope in scopes if (rows := _candidates(key, scope)).size]
    primary = _key_rows(key)[0]
    by_primary = [(scope, rows) for scope, rows in found if np.isin(rows, primary).any()]
    if by_primary:  # a reading where the name is only another spelling yields: "George Town, KY" is Cayman's capital
        found = by_primary
    if len(found) == 1:
        return _place_at(_choose(found[0][1], query))
    if len(found) > 1:
        readings = "; ".join(
            f"{scope.label}: {'; '.join(_place_at(int(r)).describe() for r in _likeliest_first(rows)[:3])}"
            for scope, rows in found
        )
        examples = " or ".join(repr(f"{name}, {_example_qualifier(scope)}") for scope, _ in found)
        raise AmbiguousPlaceError(
            f"place {query!r}: {qualifier!r} has {len(found)} readings and {name!r} exists in each: {readings}; "
            f"write {examples}"
        )
    elsewhere = sorted({str(c) for c in _place_index().country[_candidates(key, None)]})
    where = " or ".join(scope.label for scope in scopes)
    if elsewhere:
        read = "" if where == f"{qualifier} ({qualifier.upper()})" else f" ({qualifier!r} read as {where})"
        raise UnknownPlaceError(
            f"no place named {name!r} in {qualifier}; places of that name exist in: "
            f"{', '.join(elsewhere[:MAX_AMBIGUOUS_LISTED])}{read}"
        )
    suggestions = _close_places(key, scopes)
    hint = f"; did you mean: {'; '.join(suggestions)}?" if suggestions else ""
    raise UnknownPlaceError(f"unknown place {name!r} in {where}: no place in the gazetteer has that name{hint}")


def _example_qualifier(scope: _Scope) -> str:
    """Return a qualifier with one reading only: the region's ISO 3166-2 code, or the country's name."""
    if scope.regions:
        return sorted(scope.regions)[0]
    info = load_countries_info()
    return ", ".join(info[c].name if c in info else c for c in sorted(scope.countries))


def place_candidates(query: str, limit: int = 20) -> tuple[list[Place], Place | None]:
    """Return the gazetteer places a name may mean (likeliest first) and the one :func:`lookup_place` takes.

    The candidates are every place whose primary or alternate name matches
    (in the qualifier's countries or regions, in any of its readings),
    national capitals, then the cities, then the most populous first; the
    second value is None when the name is ambiguous or unknown. For
    ``georange places QUERY``.
    """
    name, qualifier = _split(query)
    scopes = _readings(qualifier) if qualifier else []
    if qualifier and not scopes:
        name = query.strip()
    key = normalise_name(name)
    rows = np.union1d(*_key_rows(key)) if key else np.zeros(0, dtype=np.int64)
    if scopes:
        rows = rows[np.any([scope.holds(rows) for scope in scopes], axis=0)]
    try:
        chosen: Place | None = lookup_place(query)
    except (UnknownPlaceError, AmbiguousPlaceError):
        chosen = None
    return [_place_at(int(i)) for i in _likeliest_first(rows)[:limit]], chosen


def largest_place_in(polygons: Sequence[BaseGeometry]) -> list[str | None]:
    """Return the name of the most populous gazetteer place inside each lon/lat polygon (None where there is none).

    Names the parts of a launch territory for people: the part of Russia
    holding Kaliningrad rather than "part 2".
    """
    import shapely

    index = _place_index()  # the gazetteer's columns without pandas
    cities, lon, lat = _city_positions()  # the cities alone, as before the small places were added
    population = index.population[cities]
    out: list[str | None] = []
    for polygon in polygons:
        x0, y0, x1, y1 = polygon.bounds
        near = np.flatnonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
        inside = near[shapely.contains_xy(polygon, lon[near], lat[near])] if near.size else near
        out.append(index.name(cities[inside[[np.argmax(population[inside])]]])[0] if inside.size else None)
    return out


@functools.cache
def _capitals() -> tuple[Place, ...]:
    index = _place_index()
    rows = np.flatnonzero(index.is_capital)
    places = [_place_at(int(i)) for i in rows]
    return tuple(sorted(places, key=lambda p: p.country))


def capitals() -> list[Place]:
    """Return the national capitals, one per country that has one, by country code.

    Returns
    -------
    list of Place
        244 capitals from GeoNames ``countries.json``, including those of
        dependencies (e.g. Tórshavn, FO). Countries without a resolvable
        capital are listed in ``data/README.md``.
    """
    return list(_capitals())


def european_capitals() -> list[Place]:
    """Return the capitals of the countries GeoNames places in Europe.

    Returns
    -------
    list of Place
        Capitals of countries whose GeoNames continent code is ``EU``, by
        country code. This follows GeoNames, not politics: it includes
        Russia (Moscow), Cyprus, the Crown dependencies, Faroe Islands,
        Gibraltar, Svalbard and Jan Mayen, Åland, Kosovo and the Vatican, and
        excludes Turkey, Georgia, Armenia, Azerbaijan and Kazakhstan (AS).
    """
    european = {info.capital_geonameid for info in load_countries_info().values() if info.continent == "EU"} - {None}
    return [p for p in _capitals() if p.geonameid in european]


# ---------------------------------------------------------------------------
# Place sets


PRESETS: Final = ("capitals", "european-capitals", "cities")
"""Names of the shipped place sets (``--places capitals`` etc.)."""


def places_frame(chosen: Sequence[Place]) -> pd.DataFrame:
    """Return gazetteer places as a frame with ``name, country, lat, lon, population``."""
    return pd.DataFrame(
        {
            "name": [p.name for p in chosen],
            "country": [p.country for p in chosen],
            "lat": [p.lat for p in chosen],
            "lon": [p.lon for p in chosen],
            "population": [p.population for p in chosen],
        }
    )


def preset_places(name: str) -> pd.DataFrame:
    """Return a shipped place set (one of :data:`PRESETS`) as a frame like :func:`places_frame`'s."""
    if name == "cities":
        g = load_gazetteer()
        return pd.DataFrame(
            {
                "name": g["name"].to_numpy(),
                "country": g["country"].to_numpy(),
                "lat": g["lat"].to_numpy(float),
                "lon": g["lon"].to_numpy(float),
                "population": g["population"].to_numpy(),
            }
        )
    if name not in PRESETS:
        raise UnknownPlaceError(f"unknown place set {name!r}{close_names(name, PRESETS)}")
    return places_frame(capitals() if name == "capitals" else european_capitals())



# ---------------------------------------------------------------------------
# Sites


def _parse_site(key: str, entry: Any, where: str) -> Site:
    """Build one Site from its TOML table, raising DataFileError."""
    if not isinstance(entry, dict):
        raise DataFileError(f"{where}: expected a table [sites.{key}], got {type(entry).__name__}")
    unknown = sorted(set(entry) - _SITE_FIELDS)
    if unknown:
        raise DataFileError(f"{where}: unknown fields {unknown}; expected {sorted(_SITE_FIELDS)}")
    missing = sorted(_SITE_FIELDS - {"aliases"} - set(entry))
    if missing:
        raise DataFileError(f"{where}: missing fields {missing}")
    for field in ("name", "source", "country"):
        if not isinstance(entry[field], str) or not entry[field].strip():
            raise DataFileError(f"{where}: {field} {entry[field]!r} must be a non-empty string")
    country = entry["country"]
    if not (len(country) == 3 and country.isascii() and country.isalpha() and country.isupper()):
        raise DataFileError(f"{where}: country {country!r} must be an ISO 3166-1 alpha-3 code such as 'BLR'")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise DataFileError(f"{where}: aliases {aliases!r} must be a list of non-empty strings")
    try:
        return Site(
            key=key,
            name=entry["name"],
            lon=entry["lon"],
            lat=entry["lat"],
            country=country,
            source=entry["source"],
            aliases=tuple(aliases),
        )
    except InvalidCoordinateError as err:
        raise DataFileError(f"{where}: {err}") from err


@functools.cache
def _sites() -> tuple[dict[str, Site], dict[str, Site]]:
    """Return the sites by key and by every normalised name."""
    name = "sites.toml"
    path = data_path(name)
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise DataFileError(f"{path}: not valid TOML: {err}") from err
    extra = sorted(set(document) - {"sites"})
    if extra or not isinstance(document.get("sites"), dict):
        raise DataFileError(f"{path}: expected only [sites.<key>] tables, found top-level keys {sorted(document)}")
    sites: dict[str, Site] = {}
    by_name: dict[str, Site] = {}
    for key, entry in document["sites"].items():
        site = _parse_site(key, entry, f"{path.name}, site {key!r}")
        sites[key] = site
        for alias in (key, site.name, *site.aliases):
            alias_key = normalise_name(alias)
            other = by_name.setdefault(alias_key, site)
            if other.key != key:
                raise DataFileError(f"{path.name}, site {key!r}: name {alias!r} is also used by site {other.key!r}")
    return sites, by_name


def load_sites() -> dict[str, Site]:
    """Return the named launch sites of ``data/sites.toml`` by key.

    Returns
    -------
    dict of str to Site
        A fresh dict (the sites themselves are immutable).

    Raises
    ------
    DataFileError
        If the file is missing, not valid TOML, or a site lacks a field, has
        an unknown field, a bad value or a name used by another site.
    """
    return dict(_sites()[0])


def lookup_site(query: str) -> Site | None:
    """Return the site whose key, name or alias is `query`, or None.

    Parameters
    ----------
    query : str
        Case, accents and punctuation are ignored (``"KRICHEV-6"``).

    Returns
    -------
    Site or None
        None if `query` names no site (callers then try :func:`lookup_place`).

    Raises
    ------
    DataFileError
        If ``data/sites.toml`` is missing or malformed.
    """
    if not isinstance(query, str):
        raise UnknownPlaceError(f"launch site {query!r} is a {type(query).__name__}: expected a name (text)")
    return _sites()[1].get(normalise_name(query))


# ---------------------------------------------------------------------------


_CACHED: Final[Iterable[Any]] = (
    _key_file,
    _key_group,
    _city_positions,
    load_gazetteer,
    _place_index,
    _key_index,
    _primary_names,
    _script_names,
    _region_codes,
    _qualifier_index,
    _capitals,
    _sites,
)


_GENERATION = [0]


def data_generation() -> int:
    """Return how many times :func:`clear_caches` has run: caches above this layer key on it."""
    return _GENERATION[0]


def clear_caches() -> None:
    """Forget every loaded data file, e.g. after changing ``GEORANGE_DATA``.

    Those of :mod:`geo.reference.shipped`, :mod:`geo.reference.countries`
    and :mod:`geo.reference.borders` too.
    """
    # deferred: borders imports pyproj (0.15 s); its territories are built from the countries
    from geo.reference import borders

    for function in _CACHED:
        function.cache_clear()
    shipped.clear_caches()
    countries.clear_caches()
    borders.clear_caches()
    _GENERATION[0] += 1
