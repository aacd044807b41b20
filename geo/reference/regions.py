"""Sub-national regions (Natural Earth 1:10m admin-1 states and provinces) from ``data/regions.parquet``.

:func:`lookup_region` takes an ISO 3166-2 code (``RU-KGD``, ``UA-43``,
``BY-HO``) or a name in any of Natural Earth's 26 languages, its local or
alternative names, optionally with the kind of region (``Kaliningrad
Oblast``, ``Gomel Region``) and a country qualifier (``Kaliningrad, RU``).
A region's country is the prefix of its code, so Crimea (UA-43) and
Sevastopol (UA-40) are in Ukraine, as in ``countries.parquet``.

Besides Natural Earth's names, the ``[regions]`` table of
``data/country_aliases.toml`` gives the forms analysts write that Natural
Earth lacks (Pridnestrovie, Obwód królewiecki, Республика Крым); a kind word may
be Russian, Ukrainian, Polish, Dutch or German (область, obwód, provincie,
Gebiet; "Kaliningrader Gebiet", "Donezker Gebiet" by their German
adjective); a Cyrillic name not found is tried in Latin letters
(:func:`geo.reference.names.transliterations`: "Донецьк oblast").

What a name means
-----------------
A name means the whole of what people call by it; a code is exact.

- ``[composites]`` of ``data/country_aliases.toml``: a name for more than
  one region is their union. ``Crimea`` (``Krym``, ``Krim``, ``Крым``,
  ``Крим``, ``Crimean Peninsula``, ...) is the peninsula, UA-43 with UA-40,
  labelled "Crimea (UA-43 with Sevastopol UA-40)" and coded
  ``UA-43+UA-40``; ``UA-43``, "Autonomous Republic of Crimea" and
  "Republic of Crimea" are UA-43 alone.
- A city with region status and the region around it are two regions,
  never merged: "Kyiv city" (UA-30) and "Kyiv Oblast" (UA-32); "Moscow
  city" (RU-MOW) and "Moscow Oblast" (RU-MOS); Saint Petersburg (RU-SPE)
  and "Leningrad Oblast" (RU-LEN); "Minsk city" / "City of Minsk" (BY-HM)
  and "Minsk Region" / "Minsk Oblast" (BY-MI). Each oblast is the
  administrative unit people name, without the city. Kyiv and Minsk are
  enclaves of their oblasts, so a target outside both is as far from the
  oblast alone as from the two; Moscow (its southwest reaches Kaluga
  Oblast) and Saint Petersburg (on the Gulf of Finland) are not: give both
  codes (``--from RU-MOS --from RU-MOW``) for the union. Sevastopol
  (UA-40) is a region by its code. (For ``--from``, a city's name alone is the city as
  a point unless it names an exclave: ``geo.analysis.launch.parse_launch``.)
- ``[corrections]``: Natural Earth codes Moscow city RU-MOS and Moscow
  Oblast RU-MOW, the reverse of ISO 3166-2:RU, and swaps the kinds of
  Minsk's two. :class:`Region` and :func:`lookup_region` use the ISO codes
  (:func:`iso_code`); :func:`region_codes_named` returns the file's codes,
  which the gazetteer's region column shares (:func:`source_code`).

Parts of a country are named after the region that holds most of each
(:func:`part_names`: "Kaliningrad Oblast", "mainland").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from geo.errors import AmbiguousPlaceError, UnknownPlaceError
from geo.reference.countries import lookup_country
from geo.reference.datafiles import data_path, read_parquet
from geo.reference.names import NORMALISE_VERSION, close_matches, normalise_name, transliterations
from geo.reference.shipped import (
    _country_attribute_table,
    _damaged,
    _gazetteer_file,
    _gazetteer_table,
    load_countries,
)

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
    title: str = ""

    def label(self) -> str:
        """``Name (CODE)``, ``Name, CC`` for a region without a code, or a composite's own label."""
        if self.title:
            return self.title
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

    path = data_path("regions.parquet")
    try:
        return read_parquet(path, list(columns))
    except (OSError, pa.ArrowException) as err:
        raise _damaged(path.name, path, f"cannot be read: {err}") from err


class _SearchKeys:
    """The search keys of regions.parquet, each with its rows: a read-only mapping of key to rows.

    The keys stay an Arrow column (83,000 of them): a lookup is one
    vectorised comparison (about 1 ms) and its answer is remembered, where a
    Python dictionary of them all took 0.25 s to build in every process that
    resolved a name. The names of ``[regions]`` in ``data/country_aliases.toml``
    come after: a name Natural Earth gives keeps its meaning.
    """

    def __init__(self, keys: pa.Array, rows: np.ndarray, aliases: dict[str, tuple[int, ...]]):
        self._keys, self._rows, self._aliases = keys, rows, aliases
        self._found: dict[str, tuple[int, ...]] = {}

    def get(self, key: str) -> tuple[int, ...] | None:
        found = self._found.get(key)
        if found is None:
            import pyarrow.compute as pc

            mask = pc.equal(self._keys, key).to_numpy(zero_copy_only=False)
            found = tuple(int(r) for r in np.unique(self._rows[mask])) or self._aliases.get(key, ())
            if len(self._found) < 4096:
                self._found[key] = found
        return found or None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __getitem__(self, key: str) -> tuple[int, ...]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        """Every key, for suggestions (building the list takes a while: only on the error path)."""
        import pyarrow.compute as pc

        return iter(dict.fromkeys([*pc.unique(self._keys).to_pylist(), *self._aliases]))


@functools.cache
def _index() -> _SearchKeys:
    """Return the search keys (normalised codes and names, as stored by scripts/build_regions.py) and their rows.

    Reads the key column alone (milliseconds); the geometries are loaded
    only when a name is found.
    """
    import pyarrow.compute as pc

    table = _columns("search_keys", "key_version")
    versions = set(table.column("key_version").to_pylist())
    if versions != {NORMALISE_VERSION}:
        path = data_path("regions.parquet")
        raise _damaged(path.name, path,
                       f"has search keys of version {sorted(versions)}, expected {NORMALISE_VERSION!r}")
    split = pc.split_pattern(table.column("search_keys"), "|").combine_chunks()  # a null row: no keys
    keys, rows = pc.list_flatten(split), pc.list_parent_indices(split).to_numpy()
    present = pc.not_equal(keys, "")
    keys, rows = keys.filter(present), rows[present.to_numpy(zero_copy_only=False)]
    codes, _ = _attributes()
    rows_of = {iso_code(code): row for row, code in enumerate(codes) if code}
    aliases: dict[str, tuple[int, ...]] = {}
    for code, names in _aliases().items():
        if code not in rows_of:
            raise _damaged("country_aliases.toml", data_path("country_aliases.toml"),
                           f"regions.{code}: not an ISO 3166-2 code of regions.parquet")
        for alias in names:
            key = normalise_name(alias)
            if key:
                aliases.setdefault(key, (rows_of[code],))
    return _SearchKeys(keys, rows, aliases)


@functools.cache
def _tables() -> dict[str, Any]:
    """Return ``data/country_aliases.toml`` as read (its region tables are checked by their readers)."""
    import tomllib

    name = "country_aliases.toml"
    path = data_path(name)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise _damaged(name, path, f"cannot be read: {err}") from err


def _bad_table(what: str) -> Exception:
    return _damaged("country_aliases.toml", data_path("country_aliases.toml"), what)


@functools.cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """Return the ``[regions]`` table of ``data/country_aliases.toml``: names by ISO 3166-2 code."""
    name = "country_aliases.toml"
    path = data_path(name)
    table = _tables().get("regions", {})
    if not isinstance(table, dict) or not all(
            isinstance(v, list) and all(isinstance(n, str) and n for n in v) for v in table.values()):
        raise _damaged(name, path, "[regions]: expected ISO 3166-2 codes, each with a list of names")
    return {str(code): tuple(names) for code, names in table.items()}


@functools.cache
def _corrections() -> dict[str, tuple[str, str]]:
    """Return ``[corrections]``: by the code regions.parquet gives a row, its real ISO 3166-2 code and kind."""
    table = _tables().get("corrections", {})
    out: dict[str, tuple[str, str]] = {}
    for code, entry in table.items() if isinstance(table, dict) else [("", None)]:
        if not (isinstance(entry, dict) and set(entry) == {"code", "kind"}
                and all(isinstance(v, str) and v for v in entry.values()) and CODE_PATTERN.match(code)):
            raise _bad_table(f"corrections.{code}: expected {{ code = ISO 3166-2, kind = text }}, got {entry!r}")
        out[code] = (entry["code"], entry["kind"])
    return out


def iso_code(source_code: str) -> str:
    """Return the ISO 3166-2 code of the region regions.parquet (and the gazetteer) codes `source_code`.

    Natural Earth swaps Moscow city and Moscow Oblast (``[corrections]`` of
    ``data/country_aliases.toml``): ``iso_code("RU-MOW")`` is ``"RU-MOS"``.
    """
    fixed = _corrections().get(source_code)
    return fixed[0] if fixed else source_code


def source_code(code: str) -> str:
    """Return the code regions.parquet and the gazetteer give the region of ISO 3166-2 `code` (see :func:`iso_code`)."""
    return next((c for c, (iso, _) in _corrections().items() if iso == code), code)


@functools.cache
def _attributes() -> tuple[list[str], list[str]]:
    """Return the code (as regions.parquet gives it) and the kind (corrected) of every region, without geometries."""
    table = _columns("iso_3166_2", "type_en")
    codes = [str(c or "") for c in table.column("iso_3166_2").to_pylist()]
    fixes = _corrections()
    kinds = [fixes[c][1] if c in fixes else str(t or "") for c, t in zip(codes, table.column("type_en").to_pylist(),
                                                                          strict=True)]
    return codes, kinds


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
        rows = index[key]
        kind = next((k for k in _kinds() if key.endswith(f" {k}") or key.startswith(f"{k} ")), None)
        return _of_kind(rows, kind) if len(rows) > 1 and kind else rows  # "Minsk Oblast" names both in the source
    for kind in _kinds():
        for stripped in (key.removesuffix(f" {kind}"), key.removeprefix(f"{kind} of "), key.removeprefix(f"{kind} ")):
            if stripped == key:
                continue
            stems = [stripped, stripped.removesuffix("er")] if kind == "gebiet" else [stripped]
            stem = next((t for t in stems if t in index), None)
            if stem is not None:
                return _of_kind(index[stem], kind)
    return ()


def _is_city(kind: str) -> bool:
    """Whether a kind of region (normalised) is a city's ("Federal City", "Municipality", "city")."""
    return kind in _CITY_KINDS or "city" in kind.split() or "municipality" in kind.split()


def _of_kind(rows: tuple[int, ...], kind: str) -> tuple[int, ...]:
    """Of the regions of one name, those of the kind a word names ("oblast": not the city), or all."""
    types = [normalise_name(_attributes()[1][r]) for r in rows]
    same = tuple(r for r, t in zip(rows, types, strict=True) if t == kind)
    if not same:
        city = _is_city(kind)
        same = tuple(r for r, t in zip(rows, types, strict=True) if _is_city(t) == city)
    return same or rows


def region_codes_named(name: str) -> list[str]:
    """Return the codes of the regions called `name` (any language, kind words allowed), no geometry.

    For place qualifiers (``"Augsburg, Bayern"``, ``"Yalta, Crimea"``):
    reads the names and codes only, never the boundaries. The codes are
    those regions.parquet and the gazetteer give (:func:`source_code`), so
    that they match the gazetteer's region column.
    """
    key = normalise_name(name)
    if key in _composites():  # "Yalta, Crimea": either of the peninsula's regions
        return [source_code(c) for c in _composites()[key].codes]
    codes = _attributes()[0]
    return [codes[r] for r in _rows(key) if codes[r]]


@functools.cache
def _row_columns() -> pa.Table:
    """Return the columns a :class:`Region` is made of, its geometry as WKB (decoded only for the rows asked)."""
    return _columns("iso_3166_2", "name_en", "name", "country", "geometry")


def _region_at(row: int) -> Region:
    import shapely

    table = _row_columns()
    r = {name: table.column(name)[row].as_py() for name in table.column_names}
    return Region(code=iso_code(str(r["iso_3166_2"])), name=str(r["name_en"] or r["name"]), country=str(r["country"]),
                  kind=_attributes()[1][row], geometry=shapely.from_wkb(r["geometry"]))


@dataclass(frozen=True)
class _Composite:
    name: str
    label: str
    codes: tuple[str, ...]


@functools.cache
def _composites() -> dict[str, _Composite]:
    """Return ``[composites]`` of ``data/country_aliases.toml`` by the search key of each of its names."""
    table = _tables().get("composites", {})
    codes = {iso_code(c) for c in _attributes()[0] if c}
    out: dict[str, _Composite] = {}
    for key, entry in table.items() if isinstance(table, dict) else [("", None)]:
        ok = (isinstance(entry, dict) and set(entry) == {"name", "label", "codes", "names"}
              and isinstance(entry["name"], str) and isinstance(entry["label"], str)
              and all(isinstance(v, list) and v and all(isinstance(n, str) and n for n in v)
                      for v in (entry["codes"], entry["names"])))
        if not ok or not isinstance(entry, dict):
            raise _bad_table(f"composites.{key}: expected name, label, codes = [ISO 3166-2, ...] and names = [...]")
        unknown = [c for c in entry["codes"] if c not in codes]
        if unknown or len(entry["codes"]) < 2:
            raise _bad_table(f"composites.{key}: codes {entry['codes']} must be two or more ISO 3166-2 codes of "
                             f"regions.parquet (unknown: {unknown})")
        composite = _Composite(name=entry["name"], label=entry["label"], codes=tuple(entry["codes"]))
        for name in (entry["name"], *entry["names"]):
            k = normalise_name(name)
            if k in out and out[k] != composite:
                raise _bad_table(f"composites.{key}: name {name!r} belongs to another composite too")
            out[k] = composite
    return out


def _composite_region(composite: _Composite) -> Region:
    """Return the union of a composite's regions: one Region labelled by the composite (``UA-43+UA-40``)."""
    import shapely

    frame = load_regions()
    wanted = {source_code(c) for c in composite.codes}
    rows = np.flatnonzero(np.isin(frame["iso_3166_2"].to_numpy(), list(wanted)))
    parts = [_region_at(int(i)) for i in rows]
    geometry = shapely.union_all([p.geometry for p in parts])
    return Region(code="+".join(composite.codes), name=composite.name, country=parts[0].country, kind="composite",
                  geometry=geometry, title=composite.label)


def region_candidates(query: str) -> list[Region]:
    """Return every region the query may mean (an exact code first), without deciding between them."""
    text = query.strip()
    m = CODE_PATTERN.match(text)
    if m:  # a code is exact: UA-43 is the Autonomous Republic alone
        code = source_code(f"{m.group(1).upper()}-{m.group(2).upper()}")
        rows = np.flatnonzero(load_regions()["iso_3166_2"].to_numpy() == code)
        return [_region_at(int(i)) for i in rows]
    name, comma, qualifier = text.rpartition(",")
    if not comma:
        name, qualifier = text, ""
    composite = _composites().get(normalise_name(name.strip()))
    if composite is not None:
        found = [_composite_region(composite)]
    else:
        found = [_region_at(i) for i in _rows(normalise_name(name.strip()))]
    if qualifier.strip():
        try:
            iso_a3, _, _ = lookup_country(qualifier.strip())
        except UnknownPlaceError:
            return []
        a2 = _a2_of(iso_a3)
        found = [r for r in found if r.country == a2]
    return found


def _a2_of(iso_a3: str) -> str:
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


# Kinds of Natural Earth's "Region" that English writes after the name, by country (Kaliningrad Oblast).
_REGION_WORD: Final = {"RU": "Oblast", "UA": "Oblast", "KZ": "Region", "BY": "Region"}
_MAINLAND_SHARE: Final = 0.5


@functools.cache
def _display_names() -> dict[str, str]:
    """Map each region's code (as the gazetteer gives it) to its English name for people (``Kaliningrad Oblast``)."""
    table = _columns("iso_3166_2", "country", "name", "name_en")
    codes, kinds = _attributes()
    out: dict[str, str] = {}
    for code, country, name, name_en, kind in zip(codes, *(table.column(c).to_pylist() for c in
                                                          ("country", "name", "name_en")), kinds, strict=True):
        if not code:
            continue
        text = str(name_en or name)
        word = _REGION_WORD.get(str(country))
        if word and kind == "Region" and not any(w in text.lower() for w in ("oblast", "krai", "region", "okrug")):
            text = f"{text} {word}"
        out[code] = text
    return out


@functools.cache
def _places_with_regions() -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, list[str]]]:
    """Return the longitudes and latitudes of every gazetteer place, and their region codes dictionary-encoded.

    The codes as integer indices into a list of the distinct codes ("" for
    none): a country's places are then found without a string kernel.
    """
    import pyarrow.compute as pc

    from geo.lazy import from_arrow

    table = _gazetteer_file().read(("lon", "lat"))  # the positions of every place, for a country's parts
    encoded = pc.dictionary_encode(_gazetteer_table()["region"]).combine_chunks()
    codes = (from_arrow(encoded.indices), [str(c or "") for c in encoded.dictionary.to_pylist()])
    return from_arrow(table["lon"]), from_arrow(table["lat"]), codes


def _country_regions(country: str) -> tuple[list[str], np.ndarray]:
    """Return the codes (as the gazetteer gives them) and boundaries of one country's regions.

    Reads every boundary of regions.parquet (about 0.5 s): only for parts
    whose places carry no region (see :func:`part_names`).
    """
    import pyarrow.compute as pc
    import shapely

    table = _columns("iso_3166_2", "country", "geometry")
    table = table.filter(pc.and_(pc.equal(table["country"], country), pc.not_equal(table["iso_3166_2"], "")))
    return [str(c) for c in table.column("iso_3166_2").to_pylist()], \
        shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))


def _region_by_area(parts: np.ndarray, country: str) -> list[str]:
    """Return, for each part, the region of `country` that holds most of its area (else the nearest one)."""
    import shapely

    codes, boundaries = _country_regions(country)
    if not codes:
        return [""] * len(parts)
    tree = shapely.STRtree(boundaries)
    out = []
    for part in parts:
        candidates = tree.query(part)
        shares = shapely.area(shapely.intersection(part, boundaries[candidates])) if candidates.size else []
        best = candidates[int(np.argmax(shares))] if len(shares) and max(shares) > 0 else \
            int(tree.query_nearest(part, all_matches=False)[0])
        out.append(codes[best])
    return out


@functools.cache
def _country_places(country: str) -> tuple[Any, np.ndarray]:
    """Return a shapely STRtree of the places with a region of `country` (ISO alpha-2) or none, and their regions.

    The places without a region (1,736, e.g. Longyearbyen, filed by GeoNames
    under SJ, or atolls) are kept so that a part they hold is not named after
    a region of the country it does not belong to.
    """
    import shapely

    lon, lat, (indices, dictionary) = _places_with_regions()
    wanted = [i for i, code in enumerate(dictionary) if not code or code.startswith(f"{country}-")]
    rows = np.flatnonzero(np.isin(indices, wanted))
    return shapely.STRtree(shapely.points(lon[rows], lat[rows])), np.asarray(dictionary, dtype=object)[indices[rows]]


def country_alpha2(iso_a3: str) -> str:
    """Return the ISO alpha-2 code of a Natural Earth country code (``"RUS"``: ``"RU"``), or "" (a region's code)."""
    return _alpha2().get(iso_a3, "")


@functools.cache
def _alpha2() -> dict[str, str]:
    table = _country_attribute_table()
    return {str(a3): str(a2 or "") for a3, a2 in zip(table.column("iso_a3").to_pylist(),
                                                      table.column("iso_a2").to_pylist(), strict=True)}


@functools.cache
def _part_table() -> dict[str, tuple[np.ndarray, np.ndarray, list[str]]]:
    """Return ``data/part_regions.csv`` by country: points inside the parts and the region holding most of each."""
    import csv

    name = "part_regions.csv"
    path = data_path(name)
    rows: dict[str, list[tuple[float, float, str]]] = {}
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != ("iso_a3", "part", "lon", "lat", "region", "share"):
                raise _damaged(name, path, f"has columns {reader.fieldnames}, expected iso_a3, part, lon, lat, "
                                           "region, share")
            for row in reader:
                rows.setdefault(row["iso_a3"], []).append((float(row["lon"]), float(row["lat"]), row["region"]))
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, TypeError, KeyError) as err:
        raise _damaged(name, path, f"cannot be read: {err}") from err
    return {code: (np.array([r[0] for r in v]), np.array([r[1] for r in v]), [r[2] for r in v])
            for code, v in rows.items()}


def part_names(polygons: list[BaseGeometry], iso_a3: str, borders: str = "recognised") -> list[str] | None:
    """Name the parts of a country's territory by the first-level region each belongs to, as people name them.

    The largest part, if it holds half the territory or more (in square
    degrees), is ``"mainland"``; every other part is named after the
    Natural Earth admin-1 region (regions.parquet) of its country that
    holds most of its area, in English (``"Kaliningrad Oblast"``,
    ``"Svalbard"``, ``"Hawaii"``). Parts that share a region are numbered,
    largest first (``"Sakhalin Oblast, part 3"``).

    The region of each part of the shipped countries is precomputed by
    ``scripts/build_part_regions.py`` (``data/part_regions.csv``: exact
    intersection areas; reading every region's boundary would take 0.5 s)
    and found again by a point inside the part. A part not in that table (a
    territory built otherwise) takes the region of most of the gazetteer
    places it holds, or, uninhabited, of the place of its country nearest
    to it; where those places carry no region (GeoNames files Longyearbyen
    under SJ), the boundaries are read.

    Under controlled borders a part that is (mostly) a disputed area the
    view adds to the country is named after that area, as Natural Earth
    names it (:func:`geo.reference.borders.area_names`: "Crimea",
    "Paracel Is., part 3"), not after a region of the country.

    Parameters
    ----------
    polygons : list of shapely.Polygon
        The parts of one territory (lon/lat degrees).
    iso_a3 : str
        The country's Natural Earth code (``"RUS"``).
    borders : str, default "recognised"
        The border view the territory was drawn under
        (:data:`geo.reference.borders.BORDER_VIEWS`).

    Returns
    -------
    list of str, or None
        One name per polygon, or None for a single part or a country
        without regions (the caller keeps its numbers).
    """
    import shapely

    from geo.reference.borders import area_names

    country = country_alpha2(iso_a3)
    if len(polygons) < 2 or not country:
        return None
    parts = np.asarray(polygons, dtype=object)
    areas = shapely.area(parts)
    biggest = int(np.argmax(areas))
    mainland = areas[biggest] >= _MAINLAND_SHARE * areas.sum()
    disputed = area_names(polygons, iso_a3, borders)
    # the mainland needs no region, an area the border view adds has its own name
    named = [j for j in range(len(polygons)) if not (mainland and j == biggest) and disputed[j] is None]
    region: list[str] = [""] * len(polygons)
    known = _part_table().get(iso_a3)
    if known is not None:  # the parts are the query side: each is prepared once, the mainland never tested
        lon, lat, codes = known
        which, row = shapely.STRtree(shapely.points(lon, lat)).query(parts[named], predicate="intersects")
        for k, i in zip(which, row, strict=True):
            region[named[int(k)]] = region[named[int(k)]] or codes[int(i)]
    rest = [j for j in named if not region[j]]
    if rest:
        for j, code in zip(rest, _regions_by_places(parts[rest], country), strict=True):
            region[j] = code
    if not any(region[j] for j in named) and not any(disputed):
        return None
    names = _display_names()
    label = [disputed[j] or names.get(r, r) or "?" for j, r in enumerate(region)]
    if mainland:
        label[biggest] = "mainland"
    out = list(label)
    for text in set(label):
        same = [j for j, t in enumerate(label) if t == text]
        if len(same) > 1:
            for n, j in enumerate(sorted(same, key=lambda j: -areas[j]), start=1):
                out[j] = f"{text}, part {n}"
    return out


def _regions_by_places(parts: np.ndarray, country: str) -> list[str]:
    """Return each part's region from the gazetteer places it holds or is nearest to (see :func:`part_names`)."""
    tree, codes = _country_places(country)
    region = [""] * len(parts)
    which, place = tree.query(parts, predicate="intersects")
    inhabited = set()
    for k in np.unique(which):
        inhabited.add(int(k))
        held = [c for c in codes[place[which == k]] if c]
        if held:
            values, counts = np.unique(held, return_counts=True)
            region[int(k)] = str(values[np.argmax(counts)])
    empty = [j for j in range(len(parts)) if j not in inhabited]
    if empty and len(codes):  # uninhabited: the region of the nearest place (of this country, or of none)
        nearest = tree.query_nearest(parts[empty], all_matches=False)
        for k, i in zip(nearest[0], nearest[1], strict=True):
            region[empty[int(k)]] = str(codes[int(i)])
    unknown = [j for j in range(len(parts)) if not region[j]]  # only places without a region: the boundaries
    if unknown:
        for j, code in zip(unknown, _region_by_area(parts[unknown], country), strict=True):
            region[j] = code
    return region
