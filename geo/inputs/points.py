"""Read target points from user files, chunk by chunk, checking every row (``--places FILE``).

CSV (``.csv``, columns ``name``, ``lat``, ``lon`` or the other names of
:func:`locate_columns`; separated by commas, or by ``;`` with decimal commas
or by tabs when the header has no comma), Parquet (``.parquet``,
``.geoparquet``: GeoParquet with a WKB or native point geometry, or a plain
table with numeric ``lon`` and ``lat`` columns), GeoPackage and GeoJSON with
Point features; read chunk by chunk by :func:`iter_points`, whole by
:func:`read_points`. Messages give the row or feature (:mod:`geo.inputs._files`).
"""

from __future__ import annotations

import csv
import json
import math
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray

from geo.errors import InputFileError, InvalidRangeError
from geo.geodesy.ellipsoid import bad_lonlat
from geo.lazy import from_arrow

if TYPE_CHECKING:
    import pyarrow as pa

from geo.inputs._files import _check_file, _fmt, _gdal_message, _gis_layer, _parse_crs, _passing_on_warnings, _Projector

if TYPE_CHECKING:
    import pandas as pd
else:
    from geo.lazy import pandas as pd

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "PLAIN_CSV_MAX_BYTES",
    "POINT_SUFFIXES",
    "LAT_HEADERS",
    "LON_HEADERS",
    "NAME_HEADERS",
    "count_points",
    "iter_points",
    "locate_columns",
    "read_plain_csv",
    "read_points",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

POINT_SUFFIXES: Final = (".csv", ".parquet", ".geoparquet", ".gpkg", ".geojson", ".json")
"""File name endings (any case) read as target points."""

DEFAULT_CHUNK_ROWS: Final = 1_000_000
"""Rows per chunk of :func:`iter_points`: tens of MB of temporaries per chunk."""

LAT_HEADERS: Final = (
    "lat", "latitude", "breedte", "breedtegraad", "breite", "breitengrad", "latitud", "latitudine", "szerokość",
    "широта", "y",
)
"""Column names (any case) read as latitude, in order of preference (``y`` only when none of the others is there)."""
LON_HEADERS: Final = (
    "lon", "longitude", "lng", "long", "lengte", "lengtegraad", "länge", "laenge", "längengrad", "longitud",
    "longitudine", "długość", "довгота", "долгота", "x",
)
"""Column names (any case) read as longitude, in order of preference (``x`` only when none of the others is there)."""
NAME_HEADERS: Final = (
    "name", "place", "city", "town", "label", "placename", "place_name", "city_name",
    "naam", "plaats", "stad", "ort", "stadt", "nom", "ville", "lieu", "nombre", "ciudad", "lugar", "nome",
    "miasto", "nazwa", "місто", "назва", "город", "название",
)
"""Column names (any case) read as the place name (and written as ``name``), in order of preference.

A file with none of them has no names: its other columns pass through as they are, and the table
labels each place with its first text column (:func:`geo.outputs.tables.to_table`)."""
_WEAK: Final = {"y": "lat", "x": "lon"}  # coordinates only when no stronger column says so
_CANON: Final = {
    **{h: "lat" for h in LAT_HEADERS if h not in _WEAK}, **{h: "lon" for h in LON_HEADERS if h not in _WEAK}
}
_NOT_CSV: Final = (".parquet", ".geoparquet", ".gpkg", ".geojson", ".json")
"""Suffixes read as Parquet or through GDAL; any other file is read as CSV."""


# -- target points -----------------------------------------------------------------


@dataclass
class _Raw:
    """One chunk as read, before the checks shared by every format.

    ``attrs`` holds the columns that pass through, with the name column (if
    any) called ``name``; ``numbers`` the row or feature number of each entry.
    ``lat_ok``/``lon_ok`` are False where a text could not be read as a
    number; ``text`` returns the text of a value for messages (None: format
    the number). ``geom_bad``/``geom_problem`` flag and explain entries whose
    geometry gives no point.
    """

    attrs: pd.DataFrame
    lon: FloatArray
    lat: FloatArray
    numbers: NDArray[np.int64]
    lat_ok: BoolArray | None = None
    lon_ok: BoolArray | None = None
    text: Callable[[str, int], str] | None = None
    geom_bad: BoolArray | None = None
    geom_problem: Callable[[int], str] | None = None


class _Checker:
    """The checks every chunk of every format goes through, and the frame it becomes."""

    def __init__(self, p: Path, unit: str, projector: _Projector | None = None) -> None:
        self.p, self.unit, self.projector = p, unit, projector
        self.emitted = 0

    def __call__(self, raw: _Raw) -> pd.DataFrame:
        n = len(raw.lon)
        names = None
        bad_name = np.zeros(n, bool)
        if "name" in raw.attrs:
            names = raw.attrs["name"].reset_index(drop=True).astype("str").str.strip()
            bad_name = (names.isna() | names.eq("")).to_numpy(dtype=bool)
        geom_bad = raw.geom_bad if raw.geom_bad is not None else np.zeros(n, bool)
        lat_ok = raw.lat_ok if raw.lat_ok is not None else np.ones(n, bool)
        lon_ok = raw.lon_ok if raw.lon_ok is not None else np.ones(n, bool)
        out_lon, out_lat = bad_lonlat(raw.lon, raw.lat)
        bad_lat = ~lat_ok | out_lat
        bad_lon = ~lon_ok | out_lon
        bad = bad_name | geom_bad | bad_lat | bad_lon
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputFileError(f"{self.p}, {self.unit} {raw.numbers[i]}: {self._problem(raw, i, bad_name, geom_bad)}")
        if self.projector is not None:
            self.projector.warn_assumed()
        columns: dict[str, Any] = {}
        if names is not None:
            columns["name"] = names.array
        if "country" in raw.attrs:
            columns["country"] = raw.attrs["country"].array
        columns["lat"] = raw.lat
        columns["lon"] = raw.lon
        for col in raw.attrs.columns:
            if col not in ("name", "country"):
                columns[col] = raw.attrs[col].array
        out = pd.DataFrame(columns, index=pd.RangeIndex(self.emitted, self.emitted + n))
        self.emitted += n
        return out

    def _problem(self, raw: _Raw, i: int, bad_name: BoolArray, geom_bad: BoolArray) -> str:
        if bad_name[i]:
            return "name is empty"
        if geom_bad[i] and raw.geom_problem is not None:
            return raw.geom_problem(i)
        note = self.projector.note if self.projector is not None else ""
        for key, values, ok, limit in (("lat", raw.lat, raw.lat_ok, 90.0), ("lon", raw.lon, raw.lon_ok, 180.0)):
            text = raw.text(key, i) if raw.text is not None else _fmt(float(values[i]))
            if ok is not None and not ok[i]:
                return f"{key} is empty" if text == "" else f"{key} {text!r} is not a number"
            if not (math.isfinite(values[i]) and abs(values[i]) <= limit):
                return f"{key} {text} must be a finite number in [-{limit:g}, {limit:g}]{note}"
        raise AssertionError("unreachable: a flagged entry has a problem")  # pragma: no cover


def iter_points(
    path: str | Path, chunk_rows: int = DEFAULT_CHUNK_ROWS, *, require_name: bool = False
) -> Iterator[pd.DataFrame]:
    """Yield the places of a file chunk by chunk, checking every row.

    Parameters
    ----------
    path : str or Path
        A file ending in one of :data:`POINT_SUFFIXES`.
    chunk_rows : int, default 1,000,000
        Rows (or features) read per chunk; a chunk may hold fewer (blank CSV
        lines are dropped, Parquet batches end at row-group boundaries).
    require_name : bool, default False
        Refuse a file without a name column.

    Yields
    ------
    pandas.DataFrame
        Columns ``name`` (only if the file has one, by the rule of
        :func:`locate_columns`: ``name``, else ``place``, ``city``, ``naam``
        and the like, written as ``name``; stripped), ``country``
        (only if the file has one), ``lat``, ``lon`` (float degrees,
        EPSG:4326), then every other column in file order (CSV columns as
        text; ``latitude``/``longitude``/``lng`` and the other names of
        :data:`LAT_HEADERS` and :data:`LON_HEADERS` are read as
        ``lat``/``lon``). The index numbers the places from 0 across chunks.
        Every output format writes these columns in this order.

    Raises
    ------
    InputFileError
        When the file is missing or unreadable, lacks coordinates, or at the
        first bad row or feature (an empty name, a coordinate that is not a
        finite number in range, a geometry that is null, empty, not a Point,
        or a MultiPoint of several points), naming the file and the row or
        feature; or when it holds no places. Raised when the chunk holding
        the problem is read: earlier chunks have been yielded by then.

    Notes
    -----
    CSV is read with pandas' C parser, Parquet by row group with pyarrow,
    GeoPackage and GeoJSON through GDAL's Arrow stream; memory stays
    proportional to ``chunk_rows``. A CSV row with more fields than the
    header is refused; one with fewer reads the missing fields as empty (as
    spreadsheets drop trailing empty cells), so an absent ``lon`` is
    reported as empty. A MultiPoint holding exactly one point (what some
    GIS tools write for every point) is read as that point; one holding
    several is refused: a target is one point.
    """
    if not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise InvalidRangeError(f"chunk_rows must be a positive integer, got {chunk_rows!r}")
    p = Path(path)
    _check_file(p)
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".geoparquet"):
        yield from _parquet_chunks(p, chunk_rows, require_name)
    elif suffix in _NOT_CSV:
        yield from _gis_chunks(p, chunk_rows, require_name)
    else:
        yield from _csv_chunks(p, chunk_rows, require_name)


def read_points(path: str | Path, *, require_name: bool = False) -> pd.DataFrame:
    """Return all the places of a file, as one frame of the shape :func:`iter_points` yields.

    A file without a name column gets names ``point 1``, ``point 2``, ... in
    file order (the row or feature number, counted from 1, for formats that
    have no header).

    Raises
    ------
    InputFileError
        As :func:`iter_points`.
    """
    chunks = list(iter_points(path, require_name=require_name))
    df = chunks[0] if len(chunks) == 1 else pd.concat(chunks)
    if "name" not in df.columns:
        df.insert(0, "name", pd.array([f"point {i}" for i in range(1, len(df) + 1)], dtype="str"))
    return df


def count_points(path: str | Path) -> int | None:
    """Return about how many places a file holds, cheaply, or None if that is not known.

    Parquet and GeoPackage files say it in their metadata; a CSV's lines
    after the header are counted (blank lines and line breaks inside quoted
    fields count too, so this is an upper bound); GeoJSON is not counted.
    Meant for progress bars: it never raises, a bad file is reported by
    :func:`iter_points`.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix in (".parquet", ".geoparquet"):
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(p).metadata.num_rows)
        if suffix == ".gpkg":
            import pyogrio

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                count = pyogrio.read_info(str(p), layer=_gis_layer(p))["features"]
            return int(count) if count is not None and count >= 0 else None
        if suffix in (".geojson", ".json"):
            return None
        lines, last = 0, b"\n"
        with p.open("rb") as fh:
            while block := fh.read(1 << 24):
                lines += block.count(b"\n")
                last = block[-1:]
        return max(0, lines + (last != b"\n") - 1)
    except Exception:  # only a hint for a progress bar: iter_points reports any problem
        return None


def _unique(names: list[str]) -> list[str]:
    """Make column names unique the way pandas does (``x``, ``x.1``, ...)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        k = seen.get(name, 0)
        seen[name] = k + 1
        out.append(name if k == 0 else f"{name}.{k}")
    return out


def locate_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Find the name, lat and lon columns of a table: the one rule for every input format (and DataFrames).

    Returns
    -------
    where : dict
        Positions of ``name``, ``lat`` and ``lon``, for those found (any
        case): ``lat`` from :data:`LAT_HEADERS`, ``lon`` from
        :data:`LON_HEADERS` (``y``/``x`` only without the others), ``name``
        a ``name`` column, else the first of the other :data:`NAME_HEADERS`
        (``place``, ``city``, ``naam``, ...) in that order.
    clashes : list of str
        The columns of the first key (name, lat or lon) named twice
        (``lat`` and ``Latitude``, ``Name`` and ``NAME``): a file to refuse.

    Examples
    --------
    >>> locate_columns(["City", "latitude", "longitude"])[0]
    {'lat': 1, 'lon': 2, 'name': 0}
    >>> locate_columns(["id", "Y", "X", "naam"])[0]
    {'lat': 1, 'lon': 2, 'name': 3}
    """
    lower = [h.strip().lower() for h in header]
    keys = [_CANON.get(h, h) for h in lower]
    where: dict[str, int] = {}
    for key in ("name", "lat", "lon"):
        same = [i for i, k in enumerate(keys) if k == key]
        if len(same) > 1:
            return where, [header[i] for i in same]
        if same and key != "name":
            where[key] = same[0]
    for weak, key in _WEAK.items():
        if key not in where and weak in lower:
            where[key] = lower.index(weak)
    found = next((lower.index(alias) for alias in NAME_HEADERS if alias in lower), None)
    if found is not None:
        where["name"] = found
    return where, []


def _columns(header: list[str], require_name: bool, p: Path, found: str) -> tuple[dict[str, int], list[int]]:
    """Locate name/lat/lon in a header (:func:`locate_columns`); return them and the pass-through positions."""
    where, clashes = locate_columns(header)
    if clashes:
        key = _CANON.get(clashes[0].strip().lower(), clashes[0].strip().lower())
        raise InputFileError(f"{p}: columns {', '.join(clashes)} all mean {key}; keep one")
    missing = [c for c in ("name", "lat", "lon") if c not in where]
    if missing and (require_name or missing != ["name"]):
        # Without coordinates this is no file of places: say what one has, name included.
        optional = "" if require_name or "name" not in missing else " (name is optional)"
        raise InputFileError(
            f"{p}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}{optional}; found {found}"
        )
    rest = [i for i in range(len(header)) if i not in where.values()]
    return where, rest


# CSV


def _csv_delimiter(p: Path) -> str:
    """Return the field separator of a CSV file: ``,``, or ``;`` or a tab when the header has no comma.

    Spreadsheets set to Dutch, German, French and other European locales
    write ``;`` between fields (the comma is their decimal sign).
    """
    try:
        with p.open("rb") as fh:
            first = fh.readline(1 << 16)
    except OSError:
        return ","  # reported by the reader
    if b"," in first:
        return ","
    return ";" if b";" in first else "\t" if b"\t" in first else ","


def _csv_header(p: Path, delimiter: str = ",") -> list[str]:
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh, delimiter=delimiter), [])
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{p}: not UTF-8 text (byte {exc.start}); expected a CSV file") from exc
    except (OSError, csv.Error) as exc:
        raise InputFileError(f"{p}: cannot read: {exc}") from exc
    if not any(cell.strip() for cell in header):
        raise InputFileError(f"{p}: empty file; expected a CSV header with the columns name, lat, lon")
    return [h.strip() for h in header]


def _csv_error(p: Path, exc: Exception, width: int) -> InputFileError:
    text = " ".join(str(exc).split())
    if m := re.search(r"Expected \d+ fields in line (\d+), saw (\d+)", text):
        return InputFileError(f"{p}, row {m.group(1)}: {m.group(2)} fields, expected {width} as in the header")
    if m := re.search(r"EOF inside string starting at row (\d+)", text):
        row = int(m.group(1)) + 1  # pandas counts from 0 here
        return InputFileError(f"{p}, row {row}: a quoted field is not closed before the end of the file")
    if isinstance(exc, UnicodeDecodeError):
        return InputFileError(f"{p}: not UTF-8 text; expected a CSV file")
    return InputFileError(f"{p}: not a readable CSV file ({text.removeprefix('Error tokenizing data. C error: ')})")


def _strict(read: Callable[[], Any]) -> Any:
    """Return ``read()``, with pandas' ParserWarning raised as an error (it drops a first row's extra field)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        return read()


def _overlong_row(p: Path, width: int, delimiter: str = ",") -> InputFileError:
    """Return the error for the first row with more fields than the header (found again with :mod:`csv`)."""
    with p.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        for number, row in enumerate(csv.reader(fh, delimiter=delimiter), start=1):
            if len(row) > width:
                return InputFileError(f"{p}, row {number}: {len(row)} fields, expected {width} as in the header")
    return InputFileError(f"{p}: a row has more fields than the header's {width}")  # pragma: no cover - pandas saw one


_DECIMAL_COMMA: Final = r"^[+-]?\d+,\d+$"


def _parse_numbers(s: pd.Series, decimal_comma: bool = False) -> tuple[FloatArray, BoolArray, pd.Series | None]:
    """Numbers of a CSV column, where each parsed, and the stripped text (None if pandas parsed them all).

    With ``decimal_comma`` (a file separated by ``;``), ``52,37`` is 52.37:
    in degrees the other reading (52,370) is no coordinate.
    """
    if s.dtype.kind in "iuf":
        return s.to_numpy(dtype=float), np.ones(len(s), bool), None
    text = s.astype(str).str.strip()
    numeric = text
    if decimal_comma:
        numeric = text.where(~text.str.match(_DECIMAL_COMMA), text.str.replace(",", ".", regex=False))
    values = np.array(pd.to_numeric(numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan))  # writable
    ok = np.ones(len(s), bool)
    for i in np.flatnonzero(np.isnan(values)):
        try:  # what pandas leaves out, Python's float may still read ("nan", "1_000")
            values[i] = float(numeric.iat[i])
        except ValueError:
            ok[i] = False
    return values, ok, text


def _csv_chunks(p: Path, chunk_rows: int, require_name: bool) -> Iterator[pd.DataFrame]:
    sep = _csv_delimiter(p)
    header = _csv_header(p, sep)
    where, rest = _columns(header, require_name, p, ", ".join(header) or "none")
    positional = [f"c{i}" for i in range(len(header))]
    names = _unique([header[i] for i in rest])
    text_cols = {positional[i]: "str" for i in range(len(header)) if i not in (where["lat"], where["lon"])}
    check = _Checker(p, "row")
    try:
        reader = _strict(lambda: pd.read_csv(
            p, sep=sep, header=0, names=positional, index_col=False, dtype=text_cols, na_filter=False,
            skip_blank_lines=False, chunksize=chunk_rows, encoding="utf-8-sig", engine="c",
        ))
    except pd.errors.ParserWarning as exc:
        raise _overlong_row(p, len(header), sep) from exc
    except (OSError, ValueError) as exc:
        raise _csv_error(p, exc, len(header)) from exc
    with reader:
        while True:
            try:
                chunk = _strict(lambda: next(reader))
            except StopIteration:
                break
            except pd.errors.ParserWarning as exc:
                # pandas drops one extra field of a first row with only a warning: refuse it like any other.
                raise _overlong_row(p, len(header), sep) from exc
            except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as exc:
                raise _csv_error(p, exc, len(header)) from exc
            if chunk[positional[where["lat"]]].dtype.kind not in "iuf":
                # Blank lines read as rows of empty text; they are harmless, as in the small reader.
                blank = np.ones(len(chunk), bool)
                for c in positional:
                    col = chunk[c]
                    blank &= col.astype(str).str.strip().eq("").to_numpy() if col.dtype.kind not in "iufb" else False
                chunk = chunk[~blank]
            if chunk.empty:
                continue
            lat, lat_ok, lat_text = _parse_numbers(chunk[positional[where["lat"]]], sep == ";")
            lon, lon_ok, lon_text = _parse_numbers(chunk[positional[where["lon"]]], sep == ";")
            attrs = pd.DataFrame({n: chunk[positional[i]].array for n, i in zip(names, rest, strict=True)})
            if "name" in where:
                attrs.insert(0, "name", chunk[positional[where["name"]]].array)
            text = _texts({"lat": lat_text, "lon": lon_text}, {"lat": lat, "lon": lon})
            numbers = chunk.index.to_numpy(dtype=np.int64) + 2  # the header is row 1
            yield check(_Raw(attrs, lon, lat, numbers, lat_ok, lon_ok, text=text))
    if check.emitted == 0:
        raise InputFileError(f"{p}: no places (only a header)")


PLAIN_CSV_MAX_BYTES: Final = 64 << 20
"""Largest CSV file :func:`read_plain_csv` reads whole (about 1.7 million places of ``name,lat,lon``)."""

_PY_SPACE: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Every character Python's ``str.strip`` removes (``str.isspace``); a test checks the list."""

_EDGE_SPACE: Final = "^[{0}]|[{0}]$".format("".join(f"\\x{{{ord(c):x}}}" for c in _PY_SPACE))


def read_plain_csv(path: str | Path, max_bytes: int = PLAIN_CSV_MAX_BYTES) -> pa.Table | None:
    """Return a plain CSV file's places as an Arrow table, without pandas; None if the file is not plain.

    The table has the columns, order and values of :func:`read_points`'
    frame for the file (``name`` and ``country`` only if the file has them,
    ``lat`` and ``lon`` as float64, then the other columns as text), read
    by Arrow's CSV reader without importing pandas (0.12 to 0.17 s of a
    command's start-up). It does so for a
    file of at most ``max_bytes`` whose header is unquoted, whose rows all
    have the header's fields, whose coordinates are decimal numbers in range
    (no spaces), and whose names are neither empty nor padded with spaces. Any
    other file gives None, and :func:`iter_points` then reads it (and reports
    its problems) as usual: this is a shortcut, never another reading.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    p = Path(path)
    if p.suffix.lower() in _NOT_CSV:
        return None
    try:
        if not p.is_file() or p.stat().st_size > max_bytes:
            return None
        with p.open("rb") as fh:
            first = fh.readline()
        if b'"' in first.split(b"\r", 1)[0]:  # Arrow skips the header as one line, csv as one record
            return None
        if _csv_delimiter(p) != ",":  # a European spreadsheet's ';' (and decimal commas): the frames read it
            return None
        header = _csv_header(p)
        where, rest = _columns(header, False, p, "")
        positional = [f"c{i}" for i in range(len(header))]
        table = pacsv.read_csv(
            p,
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=positional),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in positional}, strings_can_be_null=False
            ),
        )
        if table.num_rows == 0:
            return None
        # Arrow reads a decimal number as Python's float does (correctly rounded, any length), and
        # refuses what it does not take: spaces, "1_000", other digits, which iter_points reads.
        coords = {key: pc.cast(table.column(where[key]), pa.float64()).combine_chunks() for key in ("lat", "lon")}
    except (OSError, InputFileError, pa.ArrowException):
        return None
    lon, lat = from_arrow(coords["lon"]), from_arrow(coords["lat"])
    out_lon, out_lat = bad_lonlat(lon, lat)
    if out_lon.any() or out_lat.any():
        return None
    columns: dict[str, Any] = {}
    if "name" in where:
        name = table.column(where["name"]).combine_chunks()
        empty = pc.min(pc.utf8_length(name)).as_py() == 0  # (a Python 0 passed to Arrow would import pandas)
        if empty or pc.any(pc.match_substring_regex(name, _EDGE_SPACE)).as_py():
            return None  # an empty name is an error, a padded one is stripped: iter_points does both
        columns["name"] = name
    names = _unique([header[i] for i in rest])
    attrs = {n: table.column(i).combine_chunks() for n, i in zip(names, rest, strict=True)}
    if "country" in attrs:
        columns["country"] = attrs["country"]
    columns["lat"], columns["lon"] = coords["lat"], coords["lon"]
    columns.update((n, a) for n, a in attrs.items() if n not in ("name", "country"))
    return pa.table(columns)


# Geometries (GeoParquet, GeoPackage, GeoJSON)

_TYPE_NAMES: Final = {
    0: "Point", 1: "LineString", 2: "LinearRing", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
    6: "MultiPolygon", 7: "GeometryCollection",
}


def _wkb_points(arr: pa.Array) -> tuple[FloatArray, FloatArray, BoolArray, Callable[[int], str]]:
    """Decode a WKB column of points: x, y, a flag for entries that give no point, and why."""
    import pyarrow as pa

    n = len(arr)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_binary(arr.type) and arr.null_count == 0 and n:
        # Fast path: every value a 2D little-endian WKB point (21 bytes), as GDAL and geopandas write them.
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32, count=n + 1, offset=arr.offset * 4)
        if np.all(np.diff(offsets) == 21):
            data = np.frombuffer(arr.buffers()[2], dtype=np.uint8, count=21 * n, offset=int(offsets[0]))
            rec = data.reshape(n, 21)
            if np.all(rec[:, 0] == 1) and np.all(rec[:, 1:5].copy().view("<u4").ravel() == 1):
                xy = rec[:, 5:21].copy().view("<f8")
                empty = np.isnan(xy[:, 0]) & np.isnan(xy[:, 1])  # how WKB writes POINT EMPTY
                return xy[:, 0].copy(), xy[:, 1].copy(), empty, lambda i: "the Point is empty or has a NaN coordinate"
    values = arr.to_numpy(zero_copy_only=False)
    null = np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    with np.errstate(invalid="ignore"):  # a NaN coordinate is reported by the row checks
        geoms = shapely.from_wkb(values, on_invalid="ignore")
    return _points_of(geoms, null)


def _points_of(
    geoms: NDArray[np.object_], null: BoolArray
) -> tuple[FloatArray, FloatArray, BoolArray, Callable[[int], str]]:
    """Coordinates of point geometries (a one-point MultiPoint counts), a flag for the others, and why."""
    kind = shapely.get_type_id(geoms)
    parts = shapely.get_num_geometries(geoms)
    single = (kind == 4) & (parts == 1)
    points = np.where(single, shapely.get_geometry(geoms, 0), geoms)
    empty = shapely.is_empty(points)
    bad = null | (kind == -1) | ~((kind == 0) | single) | empty
    x, y = shapely.get_x(points), shapely.get_y(points)
    x = np.where(bad, np.nan, x)
    y = np.where(bad, np.nan, y)

    def problem(i: int) -> str:
        if null[i]:
            return "no geometry (null); expected a Point"
        if kind[i] == -1:
            return "the geometry cannot be decoded (malformed WKB)"
        if kind[i] == 4 and parts[i] > 1:
            return (
                f"is a MultiPoint of {parts[i]} points; expected one point per feature "
                "(split it into points first, e.g. with ogr2ogr -explodecollections)"
            )
        if kind[i] not in (0, 4):
            return f"is a {_TYPE_NAMES.get(int(kind[i]), 'geometry')}; expected a Point"
        return f"the {'Point' if kind[i] == 0 else 'MultiPoint'} is empty or has a NaN coordinate"

    return np.asarray(x, dtype=float), np.asarray(y, dtype=float), bad, problem


def _geometry_raw(
    attrs: pd.DataFrame, x: FloatArray, y: FloatArray, bad: BoolArray, problem: Callable[[int], str],
    start: int, projector: _Projector,
) -> _Raw:
    lon, lat = projector.points(x, y)
    numbers = np.arange(start + 1, start + 1 + len(x), dtype=np.int64)
    return _Raw(attrs, lon, lat, numbers, geom_bad=bad, geom_problem=problem)


def _texts(texts: dict[str, pd.Series | None], values: dict[str, FloatArray]) -> Callable[[str, int], str]:
    """Text of a coordinate for messages: as written in the file, or the number formatted."""

    def text(key: str, i: int) -> str:
        t = texts[key]
        return str(t.iat[i]) if t is not None else _fmt(float(values[key][i]))

    return text


def _attr_frame(batch: Any, columns: list[str], name_col: str | None) -> pd.DataFrame:
    """Pass-through columns of an Arrow batch; the name column, if any, is called ``name``."""
    data = {}
    if name_col is not None:
        data["name"] = batch.column(name_col).to_pandas()
    for c in columns:
        out = f"{c}_attribute" if c in ("lat", "lon") else c
        data[out] = batch.column(c).to_pandas()
    return pd.DataFrame(data)


def _name_column(columns: list[str]) -> tuple[str | None, list[str]]:
    """Return the name column of a GIS layer or GeoParquet file (:func:`locate_columns`; the first of several)."""
    exact = [c for c in columns if c.strip().lower() == "name"]
    where, _ = locate_columns([c for c in columns if c not in exact[1:]])
    kept = [c for c in columns if c not in exact[1:]]
    name = exact[0] if exact else kept[where["name"]] if "name" in where else None
    return name, [c for c in columns if c != name]


def _gis_chunks(p: Path, chunk_rows: int, require_name: bool) -> Iterator[pd.DataFrame]:
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError

    layer = _gis_layer(p)
    errors = (DataSourceError, DataLayerError, FieldError, GeometryError, OSError)
    try:
        with _passing_on_warnings(p):
            stream = pyogrio.open_arrow(str(p), layer=layer, batch_size=chunk_rows, use_pyarrow=True)
            meta, reader = stream.__enter__()
    except errors as exc:
        raise InputFileError(f"{p}: cannot read ({_gdal_message(exc, p)})") from exc
    try:
        geometry = meta["geometry_name"] or "wkb_geometry"
        fields = [str(f) for f in meta["fields"]]
        if geometry not in reader.schema.names:
            raise InputFileError(f"{p}: the layer has no geometry column")
        name_col, columns = _name_column(fields)
        if require_name and name_col is None:
            raise InputFileError(f"{p}: missing property name; found {', '.join(fields) or 'none'}")
        projector = _Projector(_parse_crs(meta.get("crs"), p), p)
        check = _Checker(p, "feature", projector)
        start = 0
        while True:
            try:
                with _passing_on_warnings(p):
                    batch = reader.read_next_batch()
            except StopIteration:
                break
            except errors as exc:
                raise InputFileError(f"{p}: cannot read ({_gdal_message(exc, p)})") from exc
            if batch.num_rows == 0:
                continue
            x, y, bad, problem = _wkb_points(batch.column(geometry))
            attrs = _attr_frame(batch, columns, name_col)
            yield check(_geometry_raw(attrs, x, y, bad, problem, start, projector))
            start += batch.num_rows
        if check.emitted == 0:
            raise InputFileError(f"{p}: no features; expected Point features")
    finally:
        stream.__exit__(None, None, None)


def _parquet_chunks(p: Path, chunk_rows: int, require_name: bool) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(p)
        schema = pf.schema_arrow
    except (pa.ArrowException, OSError) as exc:
        raise InputFileError(f"{p}: not a readable Parquet file ({' '.join(str(exc).split())})") from exc
    names = [n for n in schema.names if not n.startswith("__index_level_")]
    geo = _geo_metadata(schema, p)
    if geo is not None:
        primary = geo["primary_column"]
        spec = geo["columns"][primary]
        encoding = str(spec.get("encoding", "WKB")).lower()
        if encoding not in ("wkb", "point"):
            raise InputFileError(
                f"{p}: GeoParquet column {primary!r} has encoding {spec.get('encoding')!r}; expected WKB or point"
            )
        drop = set(geo["columns"])
        for col in geo["columns"].values():
            bbox = (col.get("covering") or {}).get("bbox") or {}
            drop |= {v[0] for v in bbox.values() if isinstance(v, list) and v}
        crs = _parse_crs(spec["crs"], p) if "crs" in spec else _parse_crs("OGC:CRS84", p)
        projector: _Projector | None = _Projector(crs, p)
        fields = [n for n in names if n not in drop]
        name_col, columns = _name_column(fields)
        if require_name and name_col is None:
            raise InputFileError(f"{p}: missing column name; found {', '.join(fields) or 'none'}")
        where: dict[str, int] = {}
    else:
        where, rest = _columns(names, require_name, p, f"{', '.join(names) or 'none'} (and no GeoParquet geometry)")
        name_col = names[where["name"]] if "name" in where else None
        columns = [names[i] for i in rest]
        projector = None
    check = _Checker(p, "row", projector)
    start = 0
    batches = pf.iter_batches(batch_size=chunk_rows, columns=names)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            break
        except (pa.ArrowException, OSError) as exc:
            raise InputFileError(f"{p}: cannot read ({' '.join(str(exc).split())})") from exc
        if batch.num_rows == 0:
            continue
        attrs = _attr_frame(batch, columns, name_col)
        if geo is not None:
            assert projector is not None
            column = batch.column(geo["primary_column"])
            if encoding == "point":
                null = np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)
                x = np.where(null, np.nan, column.field("x").to_numpy(zero_copy_only=False).astype(float))
                y = np.where(null, np.nan, column.field("y").to_numpy(zero_copy_only=False).astype(float))
                x, y, bad, problem = x, y, null, (lambda i: "no geometry (null); expected a Point")
            else:
                x, y, bad, problem = _wkb_points(column)
            yield check(_geometry_raw(attrs, x, y, bad, problem, start, projector))
        else:
            lat, lat_ok, lat_text = _arrow_numbers(batch.column(names[where["lat"]]), p, names[where["lat"]])
            lon, lon_ok, lon_text = _arrow_numbers(batch.column(names[where["lon"]]), p, names[where["lon"]])
            text = _texts({"lat": lat_text, "lon": lon_text}, {"lat": lat, "lon": lon})
            numbers = np.arange(start + 1, start + 1 + batch.num_rows, dtype=np.int64)
            yield check(_Raw(attrs, lon, lat, numbers, lat_ok, lon_ok, text=text))
        start += batch.num_rows
    if check.emitted == 0:
        raise InputFileError(f"{p}: no rows")


def _arrow_numbers(col: Any, p: Path, name: str) -> tuple[FloatArray, BoolArray, pd.Series | None]:
    """Numbers of a plain Parquet coordinate column; nulls read as empty, text is parsed as in a CSV."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_integer(col.type) or pa.types.is_floating(col.type) or pa.types.is_decimal(col.type):
        null = np.asarray(col.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        values = pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
        if not null.any():
            return values, np.ones(len(values), bool), None
        return values, ~null, pd.Series(np.where(null, "", [_fmt(v) for v in values]), dtype=object)
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return _parse_numbers(pd.Series(col.to_pandas().fillna(""), dtype=object))
    raise InputFileError(f"{p}: column {name} has type {col.type}; expected numbers (degrees)")


def _geo_metadata(schema: Any, p: Path) -> dict[str, Any] | None:
    raw = (schema.metadata or {}).get(b"geo")
    if raw is None:
        return None
    try:
        geo = json.loads(raw)
        primary = geo["primary_column"]
        if primary not in geo["columns"] or primary not in schema.names:
            raise KeyError(primary)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputFileError(f"{p}: damaged GeoParquet metadata ({exc!r})") from exc
    return dict(geo)
