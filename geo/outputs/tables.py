"""Render reach results for people (table) and programs (JSON, CSV, GeoJSON), and read them back.

JSON, CSV and GeoJSON keep full float precision (Python's shortest
round-trip representation); the table rounds to 0.1 km and sorts by
distance. :func:`from_csv`, :func:`from_json` and :func:`from_geojson`
(or :func:`read_reach` for a file) give back the frame that was written.

Round trips
-----------
- JSON and GeoJSON keep every value's type; ``null`` stands for NaN.
- CSV has no types. The reach columns are typed by name (``lat``, ``lon``,
  ``min_km``, ``max_km``, ``margin_km`` are floats, an empty cell NaN;
  ``name``, ``query`` (the user's spelling of a place given by name),
  ``country``, ``status``, ``via`` are text, an empty cell ``""``; an area
  target's ``reachable_share``, ``share_error`` and ``area_km2`` are floats
  and ``all_reachable`` a nullable boolean, empty for points). Any
  other column is read as integers, floats or booleans only if every
  cell is written exactly as Python writes such a value (so ``"007"`` or
  ``"1.50"`` stay text), otherwise as text.
- GeoJSON puts ``lat`` and ``lon`` in the Point geometry ``[lon, lat]``
  (RFC 7946), not in the properties; the reader puts them back after
  ``name``, ``query`` and ``country``, where :func:`geo.analysis.bands.reach_table` has them
  for places from :func:`geo.inputs.targets.load_targets`. A row without finite
  coordinates becomes a feature with a null geometry.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.analysis.status import listed_statuses
from geo.errors import InputFileError
from geo.lazy import arrow_strings, from_arrow, to_arrow
from geo.reference.names import as_asked

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
else:
    from geo.lazy import pandas as pd

__all__ = [
    "BOOL_COLUMNS",
    "FLOAT_COLUMNS",
    "TEXT_COLUMNS",
    "from_csv",
    "from_geojson",
    "from_json",
    "from_shapefile",
    "point_features",
    "read_reach",
    "to_csv",
    "to_geojson",
    "to_json",
    "to_points",
    "to_status_table",
    "to_table",
]

FLOAT_COLUMNS = ("lat", "lon", "min_km", "max_km", "margin_km", "reachable_share", "share_error", "area_km2")
"""Reach-table columns that are always floats (degrees, km)."""
TEXT_COLUMNS = ("name", "query", "country", "status", "via", "borders", "border_src")
"""Reach-table columns that are always text."""
BOOL_COLUMNS = ("all_reachable",)
"""Reach-table columns that are True, False or empty (an area target's; a point leaves them empty)."""

_TABLE = (("name", "place"), ("country", "country"), ("min_km", "min km"), ("max_km", "max km"),
          ("reach_km", "reach toward, km"), ("status", "status"), ("margin_km", "margin km"), ("via", "from"),
          ("all_reachable", "of area"), ("reachable_share", "share"))
_READERS = {".csv": "csv", ".json": "json", ".geojson": "geojson", ".shp": "shapefile", ".zip": "shapefile"}


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(df: pd.DataFrame) -> str:
    """Return a JSON array with one object per row, floats at full precision."""
    records = [{k: _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def _csv_cells(column: pd.Series) -> list[Any]:
    """Return a column's CSV cells: floats as their shortest round-trip repr, missing values empty."""
    values = column.tolist()  # plain Python values, converted in C
    if pd.api.types.is_float_dtype(column.dtype):
        return [repr(v) if math.isfinite(v) else "" for v in values]
    return ["" if p is None else repr(p) if isinstance(p, float) else p for p in map(_plain, values)]


def _float_cells(values: np.ndarray):  # type: ignore[no-untyped-def]
    """Return float cells as an Arrow string array, each exactly Python's ``repr`` (empty if not finite).

    Arrow writes the same shortest round-trip digits as Python, about four
    times as fast, but in other notations for integral values ("5", Python
    "5.0"), for magnitudes under 1e-4 or from 1e16 on, and with exponents
    from about 1e10 on; those few cells take Python's ``repr``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    x = np.asarray(values, dtype=np.float64)
    cells = pc.cast(to_arrow(x), pa.string())
    with np.errstate(invalid="ignore"):
        mag = np.abs(x)
        other = ~np.isfinite(x) | (x == np.trunc(x)) | (mag < 1e-4) | (mag >= 1e16)
    other |= from_arrow(pc.match_substring(cells, "e"))  # Arrow's exponents start earlier
    if other.any():
        where = np.flatnonzero(other)
        fixed = [repr(v) if math.isfinite(v) else "" for v in x[where].tolist()]
        cells = pc.replace_with_mask(cells, to_arrow(other), arrow_strings(fixed))
    return cells


def _quote_text(arr):  # type: ignore[no-untyped-def]
    """Return Arrow text cells (no nulls) quoted as :mod:`csv` quotes them (QUOTE_MINIMAL)."""
    import pyarrow.compute as pc

    special = from_arrow(pc.match_substring_regex(arr, r'[,"\r\n]'))
    if special.any():
        mask = to_arrow(special)
        quoted = ['"' + t.replace('"', '""') + '"' for t in arr.filter(mask).to_pylist()]
        arr = pc.replace_with_mask(arr, mask, arrow_strings(quoted))
    return arr


def _arrow_cells(column):  # type: ignore[no-untyped-def]
    """Return the CSV cells of an Arrow column: floats, text, or dictionary-encoded text (no nulls)."""
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if pa.types.is_floating(column.type):
        return _float_cells(from_arrow(column))
    if pa.types.is_dictionary(column.type):  # e.g. status: the few values, then the codes
        return _quote_text(column.dictionary).take(column.indices)
    if pa.types.is_string(column.type):
        return _quote_text(column)
    raise TypeError(f"no CSV cells for Arrow type {column.type}")  # pragma: no cover - only the types above are made


def _quoted(column: pd.Series):  # type: ignore[no-untyped-def]
    """Return a column's cells as an Arrow string array, quoted as :mod:`csv` quotes them (QUOTE_MINIMAL)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):  # e.g. status: the few categories, then their codes
        cells = _quoted(pd.Series(dtype.categories))
        codes = column.cat.codes.to_numpy()
        return pc.fill_null(cells.take(pa.array(codes, mask=codes < 0)), "")
    if (pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype)) or (
        pd.api.types.is_object_dtype(dtype) and pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")
    ):
        arr = pc.fill_null(pa.array(column, type=pa.string(), from_pandas=True), "")  # text: straight from Arrow
        if isinstance(arr, pa.ChunkedArray):  # pandas' Arrow-backed text after a concat: several chunks
            arr = arr.combine_chunks()
    elif pd.api.types.is_bool_dtype(dtype) and isinstance(dtype, np.dtype):
        arr = pa.array(np.where(column.to_numpy(), "True", "False"), type=pa.string())
    elif pd.api.types.is_integer_dtype(dtype) and isinstance(dtype, np.dtype):
        arr = pc.cast(pa.array(column.to_numpy()), pa.string())  # the digits Python writes
    else:
        arr = pa.array([str(c) for c in _csv_cells(column)], type=pa.string())
    return _quote_text(arr)


def to_csv(df: pd.DataFrame | pa.Table) -> str:
    """Return CSV text with a header row, floats at full precision.

    The text is what :mod:`csv` writes with each float's ``repr`` (minimal
    quoting, newline line ends, and a carriage return quoted too); columns
    are formatted and rows joined in Arrow (a million reach rows take about
    a second). An Arrow table (floats, text and dictionary-encoded text, as
    :func:`geo.analysis.streaming.iter_reach` gives with ``arrow=True``) is
    written as its pandas frame would be, without importing pandas.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = isinstance(df, pa.Table)
    if len(df.columns) < 2 or len(df) == 0:  # csv's special case: a lone empty field is written '""'
        frame = df.to_pandas() if arrow else df
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(frame.columns)
        w.writerows(zip(*(_csv_cells(frame[c]) for c in frame.columns), strict=True))
        return buf.getvalue()
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(df.column_names if arrow else df.columns)
    if arrow:
        cols = [_arrow_cells(c) for c in df.columns]
    else:
        cols = [
            _float_cells(df[c].to_numpy()) if pd.api.types.is_float_dtype(df[c].dtype) else _quoted(df[c])
            for c in df.columns
        ]
    comma, newline, empty = arrow_strings([",", "\n", ""])
    rows = pc.binary_join_element_wise(pc.binary_join_element_wise(*cols, comma), empty, newline)  # row + "\n"
    rows = rows.cast(pa.large_string())
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset : rows.offset + len(rows) + 1]
    body = rows.buffers()[2].to_pybytes()[offsets[0] : offsets[-1]]  # the rows' UTF-8 bytes, back to back
    return head.getvalue() + body.decode("utf-8")


def to_geojson(df: pd.DataFrame) -> str:
    """Return an RFC 7946 FeatureCollection with one Point feature per row.

    Each feature's geometry is ``[lon, lat]`` at full precision (null if
    either is missing or not finite); its properties are every other
    column, with NaN as ``null``. One feature per line.

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ["Minsk"], "lat": [53.9], "lon": [27.56667], "status": ["reachable"]})
    >>> print(to_geojson(frame), end="")
    {"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [27.56667, 53.9]}, "properties": {"name": "Minsk", "status": "reachable"}}
    ]}
    """  # noqa: E501
    others = [c for c in df.columns if c not in ("lat", "lon")]
    features = []
    for row in df.to_dict(orient="records"):
        lon, lat = _plain(row["lon"]), _plain(row["lat"])
        located = isinstance(lon, int | float) and isinstance(lat, int | float)
        geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]} if located else None
        feature = {"type": "Feature", "geometry": geometry, "properties": {k: _plain(row[k]) for k in others}}
        features.append(json.dumps(feature, ensure_ascii=False, allow_nan=False))
    body = ",\n".join(features)
    return '{"type": "FeatureCollection", "features": [\n' + body + ("\n" if features else "") + "]}\n"


def to_points(df: pd.DataFrame):  # type: ignore[no-untyped-def]
    """Return the table as a GeoDataFrame of points in EPSG:4326 (``lat``/``lon`` become the geometry).

    A row without finite coordinates gets no geometry; the other columns
    stay as they are (for :mod:`geo.outputs.shapefile`).
    """
    import geopandas

    lon = pd.to_numeric(df["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(df["lat"], errors="coerce").to_numpy(dtype=float)
    located = np.isfinite(lon) & np.isfinite(lat)
    geometry = geopandas.points_from_xy(np.where(located, lon, 0.0), np.where(located, lat, 0.0))
    geometry[~located] = None
    return geopandas.GeoDataFrame(df.drop(columns=["lat", "lon"]).reset_index(drop=True), geometry=geometry,
                                  crs="EPSG:4326")


def from_shapefile(path: str | Path) -> pd.DataFrame:
    """Return the reach table written as a shapefile (``.shp`` or ``.zip``), ``lat``/``lon`` from the points.

    Field names come back as georange's (``margin_km`` and the rest fit 10
    characters; a cut passthrough name stays cut). Text comes back as
    text, numbers as numbers, missing values as NaN or ``""``.
    """
    from geo.outputs.shapefile import read_shapefile_frame

    frame = read_shapefile_frame(path)
    geometry = frame.geometry
    located = geometry.notna() & ~geometry.is_empty
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    lon = np.full(len(table), np.nan)
    lat = np.full(len(table), np.nan)
    lon[located.to_numpy()] = geometry[located].x.to_numpy()
    lat[located.to_numpy()] = geometry[located].y.to_numpy()
    cols = list(table.columns)
    at = max((cols.index(c) + 1 for c in ("name", "query", "country") if c in cols), default=0)
    table.insert(at, "lat", lat)
    table.insert(at + 1, "lon", lon)
    for c in TEXT_COLUMNS:
        if c in table.columns:
            table[c] = table[c].fillna("").astype(str)
    return table


_NOT_LABELS = ("query", "country", "lat", "lon", "min_km", "max_km", "status", "margin_km", "via", "borders",
               "border_src")


def _label_column(df: pd.DataFrame) -> str | None:
    """Return the column that names the places: ``name``, else the first text column of the input, else None.

    A text column is one of strings whose first value is not a number (a
    CSV column of ids such as ``7`` is not one).
    """
    if "name" in df.columns:
        return "name"
    for c in df.columns:
        if c in _NOT_LABELS or not len(df):
            continue
        first = df[c].iloc[0]
        if isinstance(first, str) and first.strip() and not _is_number(first):
            return str(c)
    return None


def _place_cells(df: pd.DataFrame, label: str | None) -> list[str]:
    """Return how the table names each place: ``name``, with the user's spelling if it differs ("Kyiv (Kiew)").

    A file without names is labelled by its first text column, or else by
    the coordinates (``LAT, LON``).
    """
    if label is None:
        return [f"{lat:.4f}, {lon:.4f}" for lat, lon in zip(df["lat"].tolist(), df["lon"].tolist(), strict=True)]
    names = ["" if n is None or n is pd.NA or n != n else str(n) for n in df[label].tolist()]
    if "query" not in df.columns:
        return names
    return [as_asked(n, q) for n, q in zip(names, df["query"].tolist(), strict=True)]


def _cell(key: str, row: dict[str, Any]) -> str:
    """Return one table cell; an area target's ``of area`` (all, some, none) and ``share`` ("88.7 %") read as words."""
    value = row[key]
    missing = value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value))
    if key == "all_reachable":
        return "" if missing else "all" if value else "some" if row["status"] == "reachable" else "none"
    if key == "reachable_share":
        if missing:
            return ""
        error = row.get("share_error")
        bound = f" +-{100 * error:.2g}" if isinstance(error, float) and error > 0 else ""
        return f"{100 * value:.1f}{bound} %"
    return f"{value:,.1f}" if isinstance(value, float) else str(value)


def to_table(df: pd.DataFrame, title: str = "") -> str:
    """Return an aligned text table sorted by nearest distance, distances in km to 0.1.

    The place column is ``name``, followed by the user's spelling (``query``)
    in parentheses where it differs ("Kyiv (Kiew)"). A file without a name
    column is labelled by its first text column, or else by the coordinates
    (LAT, LON). Area targets (:mod:`geo.analysis.areas`) add ``of area``
    (``all``, ``some`` or ``none`` of it reachable) and ``share`` (of its
    area in the reachable zone, with its error bound).
    """
    d = df.sort_values(["min_km", "name"] if "name" in df.columns else ["min_km"], kind="stable")
    places = _place_cells(d, _label_column(df))  # the label column: from the first row of the input
    cols = [(k, h) for k, h in _TABLE if k in d.columns and k != "name"]
    cells = [["place", *(h for _, h in cols)]]
    for place, row in zip(places, d.itertuples(index=False), strict=True):
        r = row._asdict()
        cells.append([place, *(_cell(k, r) for k, _ in cols)])
    cols = [("name", "place"), *cols]
    width = [max(len(c[i]) for c in cells) for i in range(len(cols))]
    numeric = [k.endswith("_km") for k, _ in cols]
    lines = []
    for n, c in enumerate(cells):
        line = "  ".join(v.rjust(w) if num and n else v.ljust(w) for v, w, num in zip(c, width, numeric, strict=True))
        lines.append(line.rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in width))
    head = [title, ""] if title else []
    return "\n".join([*head, *lines, "", _count_line(d)]) + "\n"


def to_status_table(df: pd.DataFrame, title: str = "") -> str:
    """Return a plain table of name (or lon, lat) and status, in input order (for status-only results)."""
    cols = [c for c in ("name", "query", "country", "lat", "lon", "status") if c in df.columns]
    body = df[cols].astype({"status": str}).to_string(index=False)
    head = f"{title}\n\n" if title else ""
    return f"{head}{body}\n\n{_count_line(df)}\n"


def _count_line(df: pd.DataFrame) -> str:
    """Return the closing line of a table: how many places have each status."""
    counts = df["status"].value_counts()
    listed = listed_statuses(s for s, n in counts.items() if n)
    summary = ", ".join(f"{counts.get(s.value, 0)} {s}" for s in listed)
    return f"{len(df):,} place{'' if len(df) == 1 else 's'}: {summary}"


# ---------------------------------------------------------------------------
# Readers


def _frame(columns: list[str], values: dict[str, list[Any]], where: str) -> pd.DataFrame:
    """Build a frame, typing the reach columns by name and letting pandas infer the others."""
    data: dict[str, pd.Series] = {}
    for c in columns:
        col = values[c]
        if c in FLOAT_COLUMNS:
            try:
                data[c] = pd.Series([math.nan if v is None else float(v) for v in col], dtype="float64")
            except (TypeError, ValueError):
                bad = next(v for v in col if not _is_number(v))
                raise InputFileError(f"{where}: column {c} holds {bad!r}, expected a number") from None
        elif c in BOOL_COLUMNS:  # an area target's all_reachable; empty for a point
            cells = {None: pd.NA, "": pd.NA, True: True, False: False, "True": True, "False": False}
            try:
                data[c] = pd.Series(pd.array([cells[v] for v in col], dtype="boolean"))
            except (KeyError, TypeError):
                bad = next(v for v in col if not isinstance(v, bool | str | None) or v not in cells)
                raise InputFileError(f"{where}: column {c} holds {bad!r}, expected True, False or empty") from None
        elif c in TEXT_COLUMNS:
            # The dtype pandas gives a column of Python strings ("str" in pandas 3, object before), as written.
            data[c] = pd.Series([v if v is None else str(v) for v in col], dtype=pd.Series(["text"]).dtype)
        else:
            data[c] = pd.Series(col)
    return pd.DataFrame(data, columns=columns)


def _is_number(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return value is None
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _cells_as_values(cells: list[str]) -> list[Any]:
    """Type a CSV column by content: ints, floats or bools only if every cell is written as Python writes one."""
    def canonical(convert: Any, text: str) -> bool:
        try:
            return str(convert(text)) == text
        except ValueError:
            return False

    filled = [c for c in cells if c != ""]
    if filled and len(filled) == len(cells) and all(canonical(int, c) for c in filled):
        return [int(c) for c in cells]
    if filled and all(canonical(float, c) and math.isfinite(float(c)) for c in filled):
        return [float(c) if c else math.nan for c in cells]
    if filled and len(filled) == len(cells) and all(c in ("True", "False") for c in filled):
        return [c == "True" for c in cells]
    return cells


def from_csv(text: str, *, where: str = "CSV") -> pd.DataFrame:
    """Return the reach table written by :func:`to_csv` (see the module docstring for the types).

    Parameters
    ----------
    text : str
        The CSV text.
    where : str, default "CSV"
        Where the text came from, for error messages.

    Raises
    ------
    InputFileError
        If the text has no header, a row has the wrong number of fields, or
        a float column holds something else.

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ['A, "B"'], "country": ["NA"], "lat": [1 / 3], "lon": [-0.0]})
    >>> back = from_csv(to_csv(frame))
    >>> back.equals(frame), back.loc[0, "country"], float(back.loc[0, "lat"]) == 1 / 3
    (True, 'NA', True)
    """
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputFileError(f"{where}: not valid CSV: {exc}") from exc
    if not rows or not rows[0]:
        raise InputFileError(f"{where}: empty; expected a header row")
    header = rows[0]
    cells: dict[str, list[str]] = {h: [] for h in header}
    if len(cells) != len(header):
        raise InputFileError(f"{where}: repeated column names in the header {', '.join(header)}")
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise InputFileError(f"{where}, row {n}: {len(row)} fields, expected {len(header)} as in the header")
        for h, cell in zip(header, row, strict=True):
            cells[h].append(cell)
    values: dict[str, list[Any]] = {}
    for h, col in cells.items():
        if h in FLOAT_COLUMNS:
            values[h] = [None if c == "" else c for c in col]
        elif h in TEXT_COLUMNS:
            values[h] = col
        else:
            values[h] = _cells_as_values(col)
    return _frame(header, values, where)


def _columns(records: Iterable[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for r in records:
        seen.update(dict.fromkeys(r))
    return list(seen)


def _load(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{where}: not valid JSON: {exc}") from exc


def from_json(text: str, *, where: str = "JSON") -> pd.DataFrame:
    """Return the reach table written by :func:`to_json` (``null`` becomes NaN in numeric columns).

    Raises
    ------
    InputFileError
        If the text is not a JSON array of objects.
    """
    records = _load(text, where)
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputFileError(f"{where}: expected a JSON array of objects, one per place")
    columns = _columns(records)
    return _frame(columns, {c: [r.get(c) for r in records] for c in columns}, where)


def point_features(text: str, *, where: str = "GeoJSON", nulls: bool = True) -> list[tuple[dict[str, Any], Any, Any]]:
    """Return ``(properties, lon, lat)`` of each feature of a GeoJSON FeatureCollection of points.

    The one reader of the GeoJSON georange writes (reach tables, claim
    reports); files from elsewhere go through GDAL (:mod:`geo.inputs.points`).

    Parameters
    ----------
    text : str
        The document.
    where : str
        Where it came from, for messages.
    nulls : bool, default True
        Accept a null geometry (lon and lat None) and null properties
        (``{}``); otherwise every feature needs a Point and an object.

    Raises
    ------
    InputFileError
        If the text is not JSON, not a FeatureCollection, or a feature has
        another geometry or properties that are not an object; the message
        gives the feature number (from 0).
    """
    doc = _load(text, where)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise InputFileError(f"{where}: expected a GeoJSON FeatureCollection")
    out = []
    for n, f in enumerate(doc["features"]):
        geom = f.get("geometry") if isinstance(f, dict) else None
        props = f.get("properties") if isinstance(f, dict) else None
        coords = geom.get("coordinates") if isinstance(geom, dict) and geom.get("type") == "Point" else None
        point = isinstance(coords, list) and len(coords) >= 2
        if not nulls and (not point or not isinstance(props, dict)):
            raise InputFileError(f"{where}, feature {n}: expected a Point [lon, lat] with properties")
        if not isinstance(props, dict) and props is not None:
            raise InputFileError(f"{where}, feature {n}: properties must be an object or null")
        if geom is not None and not point:
            raise InputFileError(f"{where}, feature {n}: geometry must be a Point [lon, lat] or null")
        lon, lat = (coords[0], coords[1]) if point else (None, None)  # type: ignore[index]
        out.append((props or {}, lon, lat))
    return out


def from_geojson(text: str, *, where: str = "GeoJSON") -> pd.DataFrame:
    """Return the reach table written by :func:`to_geojson`.

    ``lat`` and ``lon`` come from each Point geometry (NaN for a null
    geometry) and are placed after ``name`` and ``country``.

    Raises
    ------
    InputFileError
        If the text is not a FeatureCollection of Point (or null) features.
    """
    records = [{**props, "lat": lat, "lon": lon} for props, lon, lat in point_features(text, where=where)]
    props_columns = [c for c in _columns(records) if c not in ("lat", "lon")]
    at = max((props_columns.index(c) + 1 for c in ("name", "query", "country") if c in props_columns), default=0)
    columns = [*props_columns[:at], "lat", "lon", *props_columns[at:]]
    return _frame(columns, {c: [r.get(c) for r in records] for c in columns}, where)


def read_reach(path: str | Path, fmt: str | None = None) -> pd.DataFrame:
    """Read a reach table written as CSV, JSON, GeoJSON or a shapefile.

    Parameters
    ----------
    path : str or Path
    fmt : {"csv", "json", "geojson", "shapefile"}, optional
        Default: from the extension (``.csv``, ``.json``, ``.geojson``, ``.shp``, ``.zip``).

    Raises
    ------
    InputFileError
        If the file cannot be read, the format is unknown, or the content
        is malformed.
    """
    p = Path(path)
    kind = fmt or _READERS.get(p.suffix.lower())
    readers = {"csv": from_csv, "json": from_json, "geojson": from_geojson}
    if kind not in (*readers, "shapefile"):
        raise InputFileError(f"{p}: unknown format {fmt or p.suffix or '(no extension)'!r}; "
                             f"expected one of {', '.join(readers)}, shapefile")
    if kind == "shapefile":
        if not p.is_file():
            raise InputFileError(f"{p}: no such file")
        return from_shapefile(p)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(f"{p}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{p}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise InputFileError(f"{p}: cannot read: {exc.strerror}") from exc
    return readers[kind](text, where=str(p))
