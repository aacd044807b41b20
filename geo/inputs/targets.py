"""Target sets: the places a range is checked against, and the one grammar that names them.

A targets spec (``--places``, ``--place``, ``geo.reach("...")``,
``geo.iter_reach``, a claim file's ``places``) means, tried in this order
(:func:`parse_targets`, the only code that decides it):

1. a preset: ``capitals``, ``european-capitals``, ``cities``;
2. a file of points, if a file of that name exists or the name ends in
   ``.csv``, ``.parquet``, ``.geoparquet``, ``.gpkg``, ``.geojson`` or
   ``.json`` (:mod:`geo.inputs.points`: CSV, GeoParquet/Parquet, GeoPackage,
   GeoJSON; the name column is ``name`` or else the first text column such
   as ``city``, other columns pass through to the output); a GeoJSON,
   GeoPackage or shapefile whose layer is polygons is a file of areas, one
   area target per feature, named by its ``name`` property
   (:func:`area_file_places`);
3. a place set of ``data/groups.toml`` (``nato-capitals``, ``eu-capitals``);
4. places separated by ``;`` (``"London; Paris; 54.63N 21.81E"``), or a
   single one: gazetteer places in any language, coordinates in any
   notation of :mod:`geo.inputs.coordinates`, named points
   ``NAME=LAT,LON``. Empty items (a trailing ``;``, ``;;``) are ignored.
   A name that is not a city but a country, territory or region
   (``Poland``, ``Guam``, ``Hawaii``, ``Crimea``, ``UA-43``) is an **area
   target**, and ``area:NAME`` (``area:Luxembourg``, ``area:patrol.geojson``)
   always is one: see :mod:`geo.inputs.areas` for the rule and
   :mod:`geo.analysis.areas` for what a range reaches of it.

A list of strings (``--place`` repeated, ``geo.reach(["Kiew", "Warsaw"])``, a
claim file's ``places = [...]``) is a list of such places, one per entry.
Places given by name keep the user's spelling in a ``query`` column beside
the resolved ``name`` and ``country`` (``Kiew`` -> Kyiv, UA).
:func:`load_targets` reads a set whole, :func:`iter_targets` in chunks for
inputs too large to hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from geo.errors import AmbiguousPlaceError, GeoRangeError, InputFileError, InvalidRangeError, UnknownPlaceError
from geo.inputs.areas import TargetArea, area_or_none, city_of_area, forced_area, resolve_area
from geo.inputs.coordinates import parse_point
from geo.inputs.points import (
    DEFAULT_CHUNK_ROWS,
    POINT_SUFFIXES,
    count_points,
    iter_points,
    read_plain_csv,
    read_points,
)
from geo.reference.places import PRESETS, lookup_place, preset_places

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
else:
    from geo.lazy import pandas as pd

NAME_SEPARATOR = ";"
AREA_COLUMN = "area"
"""The column of :func:`named_places` holding each area target (a :class:`~geo.inputs.areas.TargetArea`, or
None for a point); present only when some target is an area. :func:`geo.reach` turns it into the area columns."""

__all__ = [
    "AREA_COLUMN",
    "NAME_SEPARATOR",
    "TargetSpec",
    "count_targets",
    "iter_targets",
    "load_targets",
    "named_places",
    "parse_targets",
    "plain_targets",
    "point_or_area",
    "read_places_csv",
    "split_names",
]

_WHAT = "a preset ({presets}), a place set (nato-capitals, ...), a file of points or places separated by ';'"


def _expected() -> str:
    return _WHAT.format(presets=", ".join(PRESETS))


@dataclass(frozen=True)
class TargetSpec:
    """What a targets spec means: a preset, a place set, a file or places by name (see the module docstring).

    ``text`` is the spec as given (for messages); ``path`` is set for a file,
    ``names`` for places by name (stripped, none empty).
    """

    kind: Literal["preset", "set", "file", "areas", "names"]
    text: str
    path: Path | None = None
    names: tuple[str, ...] = ()


def split_names(spec: str) -> list[str]:
    """Return the places of a ``;``-separated list, stripped; empty items (a trailing ``;``, ``;;``) are dropped.

    Examples
    --------
    >>> split_names("London; Paris;")
    ['London', 'Paris']
    """
    return [t.strip() for t in spec.split(NAME_SEPARATOR) if t.strip()]


def parse_targets(spec: str | Sequence[str]) -> TargetSpec:
    """Decide what a targets spec means; the one rule every entry point uses (see the module docstring).

    Parameters
    ----------
    spec : str or sequence of str
        A ``--places`` value, or a list of places (one per entry).

    Raises
    ------
    InputFileError
        If ``spec`` is empty, holds no place (``";"``), is a list with an
        empty or non-text entry, or is neither text nor a list of text.
    """
    if isinstance(spec, str):
        text = spec.strip()
        if not text:
            raise InputFileError(f"--places {spec!r} is empty: expected {_expected()}")
        if text in PRESETS:
            return TargetSpec("preset", text)
        p = _file(spec)
        if p is not None:
            from geo.inputs.polygons import is_polygon_file

            return TargetSpec("areas" if is_polygon_file(p) else "file", spec, path=p)
        from geo.reference.groups import place_set_names, set_hint

        if text in place_set_names():
            return TargetSpec("set", text)
        hint = set_hint(text)
        if hint:  # --places eu: the European Union's capitals, not the village of Eu in Normandy; say which to write
            raise UnknownPlaceError(f"--places {text!r}: {hint}; for a place of that name give --place {text!r}")
        names = split_names(text)
        if not names:
            raise InputFileError(f"--places {spec!r} names no place: expected {_expected()}")
        return TargetSpec("names", spec, names=tuple(names))
    if isinstance(spec, Sequence) and not isinstance(spec, bytes):
        entries = list(spec)
        if not entries:
            raise InputFileError("places: an empty list; expected at least one place")
        for n, entry in enumerate(entries, start=1):
            if not isinstance(entry, str):
                raise InputFileError(f"places, entry {n}: {entry!r} is not text; expected a place name or LAT,LON")
            if not entry.strip():
                raise InputFileError(f"places, entry {n}: an empty place name")
        return TargetSpec("names", "; ".join(entries), names=tuple(e.strip() for e in entries))
    raise InputFileError(f"--places {spec!r}: expected {_expected()}, or a list of place names")


def read_places_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV of places, checking every row.

    Column names are matched case-insensitively, with the other names of
    :func:`geo.inputs.points.locate_columns` (``city``, ``latitude``,
    ``lng``, ...). Extra columns are kept as
    text. The rows are read and checked by the same code as
    :func:`iter_targets` reads a large CSV with.

    Returns
    -------
    pandas.DataFrame
        ``name`` (the column :func:`geo.inputs.points.locate_columns` finds),
        ``country`` (if the file has one), ``lat``, ``lon`` (degrees), then
        the other columns in file order.

    Raises
    ------
    InputFileError
        If the file cannot be read, is not UTF-8 text, lacks a required
        column, or a row has an empty name, more fields than the header or
        a coordinate that is not a finite number in range; the message gives
        the file and row number (the header is row 1).
    """
    return read_points(Path(path), require_name=True)


def _file(spec: str) -> Path | None:
    """Return the path ``spec`` names if it is to be read as a file of places, else None.

    A path that exists (a folder is then refused as one when read), or a
    name ending in one of :data:`POINT_SUFFIXES` (then reported as missing);
    a list separated by ``;`` is a file only if one of that name exists.
    """
    p = Path(spec)
    try:
        exists = p.exists()
    except OSError:  # e.g. a name too long to look up: no such file
        exists = False
    return p if exists or (NAME_SEPARATOR not in spec and p.suffix.lower() in POINT_SUFFIXES) else None


def named_places(names: Sequence[str], borders: str = "recognised") -> pd.DataFrame:
    """Return places given by name or coordinate, with the user's spelling of each.

    Each entry is a coordinate in any notation of :mod:`geo.inputs.coordinates`
    (``NAME=`` names it) or a gazetteer place (:func:`geo.reference.places.lookup_place`).
    One row per entry, in order: three spellings of one place give three rows.

    Returns
    -------
    pandas.DataFrame
        ``name`` (the resolved name, or the coordinate's label), ``query``
        (the entry as written, stripped), ``country`` (``""`` for a
        coordinate), ``lat``, ``lon`` (degrees) and ``population``
        (``<NA>`` for a coordinate).

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError, InvalidCoordinateError
        For the first entry that names no place; the message says which.
    InputFileError
        For an empty entry or one that is not text.

    Examples
    --------
    >>> named_places(["Kiew", "Warschau"])[["name", "query", "country"]].values.tolist()
    [['Kyiv', 'Kiew', 'UA'], ['Warsaw', 'Warschau', 'PL']]
    """
    rows: list[tuple[str, str, str, float, float, int | None]] = []
    areas: dict[int, TargetArea] = {}
    for n, raw in enumerate(names, start=1):
        if not isinstance(raw, str):
            raise InputFileError(f"places, entry {n}: {raw!r} is not text; expected a place name or LAT,LON")
        text = raw.strip()
        if not text:
            raise InputFileError("an empty place name in the list")
        found = point_or_area(text, borders)
        if isinstance(found, TargetArea):
            spot = found.geometry.representative_point()
            rows.append((found.label, text, found.country, spot.y, spot.x, None))
            areas[len(rows) - 1] = found
        else:
            rows.append(found)
    frame = pd.DataFrame({
        "name": [r[0] for r in rows],
        "query": [r[1] for r in rows],
        "country": [r[2] for r in rows],
        "lat": [float(r[3]) for r in rows],
        "lon": [float(r[4]) for r in rows],
        "population": pd.array([r[5] for r in rows], dtype="Int64"),
    })
    if areas:
        frame[AREA_COLUMN] = pd.Series([areas.get(i) for i in range(len(rows))], dtype=object)
    return frame


def point_or_area(
    text: str, borders: str = "recognised"
) -> tuple[str, str, str, float, float, int | None] | TargetArea:
    """Return what one target name means: a point's row (name, query, country, lat, lon, population) or an area.

    The rule of :mod:`geo.inputs.areas`: a coordinate is a point; a
    country, territory or region is an area, unless the gazetteer's city of
    exactly that name lies in it (``Luxembourg``, ``Kyiv``, ``Sevastopol``);
    any other place is a point; ``area:NAME`` is always an area.

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError, InvalidCoordinateError
        If the name is none of these (the place's message, saying areas were tried too).
    """
    if forced_area(text) is not None:
        return resolve_area(text, borders)
    point = parse_point(text, what="place")
    if point is not None:
        return (point.label, text, "", point.lat, point.lon, None)
    try:
        place = lookup_place(text)
    except (UnknownPlaceError, AmbiguousPlaceError):
        area = area_or_none(text, borders)
        if area is not None:
            return area
        raise
    try:
        area = area_or_none(text, borders)
    except AmbiguousPlaceError:
        area = None  # a city whose name several regions share stays the city
    if area is not None and not (place.city and city_of_area(place.name, place.lon, place.lat, text, area)):
        return area  # "Crimea", "Guam": the area, not a village; "India", "Armenia": not a city elsewhere
    return (place.name, text, place.country, place.lat, place.lon, place.population)


def area_file_places(path: Path) -> pd.DataFrame:
    """Return a file of polygons as area targets, one row per feature (the frame :func:`named_places` gives)."""
    from geo.inputs.polygons import read_area_features

    areas = [TargetArea(label=name, query=name, country="", geometry=g, source=str(path), kind="file")
             for name, g in read_area_features(path)]
    spots = [a.geometry.representative_point() for a in areas]
    frame = pd.DataFrame({
        "name": [a.label for a in areas],
        "query": [a.query for a in areas],
        "country": [""] * len(areas),
        "lat": [float(s.y) for s in spots],
        "lon": [float(s.x) for s in spots],
        "population": pd.array([None] * len(areas), dtype="Int64"),
    })
    frame[AREA_COLUMN] = pd.Series(areas, dtype=object)
    return frame


def _listed(t: TargetSpec, as_of: dt.date | None = None, borders: str = "recognised") -> pd.DataFrame:
    """Return the places of a spec that is a preset, a place set, a file of areas or places by name."""
    if t.kind == "areas":
        assert t.path is not None
        return area_file_places(t.path)
    if t.kind == "preset":
        return preset_places(t.text)
    if t.kind == "set":
        from geo.reference.groups import resolve_places

        return resolve_places(t.text, as_of)
    try:
        return named_places(t.names, borders)
    except GeoRangeError as exc:
        if len(t.names) > 1 or NAME_SEPARATOR in t.text or forced_area(t.text) is not None:
            raise
        from geo.reference.groups import place_set_names
        from geo.reference.names import close_names

        sets = place_set_names()
        hint = close_names(t.text, sets)
        if hint and isinstance(exc, UnknownPlaceError):  # nato-capitalz: a place set misspelt, not a place
            raise UnknownPlaceError(f"unknown place set {t.text!r}{hint} (known: {', '.join(sets)}; or give places "
                                    "separated by ';')") from exc
        # One name that is neither a place, a file nor a preset: the place's message first.
        raise type(exc)(f"{exc} (and {t.text!r} is not a preset ({', '.join(PRESETS)}), a place set "
                        "or a file of places)") from exc


def load_targets(spec: str | Sequence[str], as_of: dt.date | None = None, borders: str = "recognised") -> pd.DataFrame:
    """Return the places a targets spec names, whole.

    Parameters
    ----------
    spec : str or sequence of str
        Anything :func:`parse_targets` accepts: a preset, a place set, a file
        of points (``.parquet``, ``.geoparquet``, ``.gpkg``, ``.geojson`` or
        ``.json`` are read as such, see :func:`geo.inputs.points.iter_points`;
        any other file as CSV), places separated by ``;``, or a list of places.
    as_of : datetime.date, optional
        For a place set: the members on that date (see :mod:`geo.reference.groups`).

    Returns
    -------
    pandas.DataFrame
        ``name``, ``country``, ``lat``, ``lon`` (degrees, EPSG:4326), then
        the file's other columns; places by name have ``query`` after
        ``name``. A file without a name column (no ``name`` and no text
        column) gets names ``point 1``, ``point 2``, ... in file order.

    Raises
    ------
    InputFileError
        If ``spec`` is neither a preset nor a readable, valid file; the
        message names the file and the row or feature.
    UnknownPlaceError, AmbiguousPlaceError, InvalidCoordinateError
        For a place by name that names no single place.
    """
    t = parse_targets(spec)
    if t.kind == "file":
        assert t.path is not None
        return read_points(t.path)
    return _listed(t, as_of, borders)


def count_targets(spec: str | Sequence[str]) -> int | None:
    """Return about how many places :func:`iter_targets` will yield, or None if unknown (for progress bars).

    Exact for presets, lists of names and Parquet and GeoPackage files, an
    upper bound for CSV files (see :func:`geo.inputs.points.count_points`);
    never raises.
    """
    try:
        t = parse_targets(spec)
    except GeoRangeError:
        return None
    if t.kind == "preset":
        return len(preset_places(t.text))
    if t.kind == "names":
        return len(t.names)
    if t.kind == "areas":
        return None
    return None if t.path is None else count_points(t.path)


def iter_targets(
    spec: str | Sequence[str], chunk_rows: int = DEFAULT_CHUNK_ROWS, borders: str = "recognised"
) -> Iterator[pd.DataFrame]:
    """Yield the places of a targets spec in chunks, without reading a file whole.

    Parameters
    ----------
    spec : str or sequence of str
        As for :func:`load_targets`.
    chunk_rows : int, default 1,000,000
        Places per chunk (at most).

    Yields
    ------
    pandas.DataFrame
        ``lat``, ``lon`` (float degrees, EPSG:4326) and the other columns:
        ``name`` if the file has one (first; unlike :func:`load_targets`,
        no names are made up), ``query`` for places by name, ``country``
        (if the file has one; always for presets, sets and names), then the
        file's other columns in order (CSV columns as text). The index
        numbers the places from 0 across chunks, so ``pd.concat`` of the
        chunks is the whole set; for a file with names it equals
        :func:`load_targets`.

    Raises
    ------
    InputFileError
        As :func:`load_targets`, when the chunk with the problem is read
        (earlier chunks have been yielded): CSV rows are numbered with the
        header as row 1, Parquet rows and GIS features from 1. A spec that
        names no place set, file or place raises at the first ``next``.

    Notes
    -----
    CSV is read with pandas' C parser (``chunksize``), Parquet a batch at a
    time (:meth:`pyarrow.parquet.ParquetFile.iter_batches`; GeoParquet
    points as WKB or native point coordinates, or a plain table with
    ``lon``/``lat`` columns), GeoPackage and GeoJSON through GDAL's Arrow
    stream: memory follows ``chunk_rows``, not the file.

    Examples
    --------
    >>> [len(chunk) for chunk in iter_targets("european-capitals", chunk_rows=20)]
    [20, 20, 13]
    """
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise InvalidRangeError(f"chunk_rows must be a positive integer, got {chunk_rows!r}")
    t = parse_targets(spec)
    if t.kind == "file":
        assert t.path is not None
        yield from iter_points(t.path, chunk_rows)
        return
    df = _listed(t, borders=borders)
    for start in range(0, len(df), chunk_rows):
        yield df.iloc[start:start + chunk_rows]


def plain_targets(spec: str | Sequence[str]) -> pa.Table | None:
    """Return the places of a plain CSV file as an Arrow table, read without pandas, or None.

    None for a preset, a list of names, a file of another format, or a CSV
    file :func:`geo.inputs.points.read_plain_csv` does not take: read those
    with :func:`iter_targets`, which also reports any problem.
    """
    try:
        t = parse_targets(spec)
    except GeoRangeError:
        return None
    return None if t.path is None or t.kind == "areas" else read_plain_csv(t.path)
