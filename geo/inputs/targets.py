"""Target sets: the places a range is checked against.

``--places`` takes a preset (``capitals``, ``european-capitals``,
``cities``), a place set of ``data/groups.toml`` (``nato-capitals``), a
file: a CSV with at least the columns ``name``, ``lat`` and ``lon`` (decimal
degrees), or GeoParquet/Parquet, GeoPackage or GeoJSON points
(:mod:`geo.inputs.points`; other columns pass through to the output), or
places by name separated by ``;`` (``"London; Paris; 54.63N 21.81E"``):
gazetteer places, coordinates in any notation of
:mod:`geo.inputs.coordinates`, named points ``NAME=LAT,LON``.
:func:`load_targets` reads a set whole, :func:`iter_targets` in chunks for
inputs too large to hold.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import GeoRangeError, InputFileError, InvalidRangeError
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

__all__ = ["count_targets", "iter_targets", "load_targets", "named_places", "plain_targets", "read_places_csv"]



def read_places_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV of places, checking every row.

    Column names are matched case-insensitively and ``latitude``/``longitude``
    (or ``lng``) are accepted for ``lat``/``lon``. Extra columns are kept as
    text. The rows are read and checked by the same code as
    :func:`iter_targets` reads a large CSV with.

    Returns
    -------
    pandas.DataFrame
        ``name``, ``country`` (the file's, else empty), ``lat``, ``lon``
        (degrees), then the other columns in file order.

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
    """Return the path ``spec`` names if it is to be read as a file of places, else None."""
    if not spec.strip():
        raise InputFileError("--places is empty: expected a preset (" + ", ".join(PRESETS) + ") or a file")
    p = Path(spec)
    try:
        exists = p.exists()
    except OSError:  # e.g. a name too long to look up: no such file
        exists = False
    return p if exists or p.suffix.lower() in POINT_SUFFIXES else None


def _not_found(spec: str) -> InputFileError:
    return InputFileError(
        f"--places {spec!r}: not a preset ({', '.join(PRESETS)}) and not an existing file "
        f"(CSV, Parquet, GeoPackage or GeoJSON: {', '.join(POINT_SUFFIXES)})"
    )


def named_places(names: Sequence[str]) -> pd.DataFrame:
    """Return places given by name or coordinate as a frame like :func:`geo.reference.places.places_frame`'s.

    Each entry is a coordinate in any notation of :mod:`geo.inputs.coordinates`
    (``NAME=`` names it) or a gazetteer place (:func:`geo.reference.places.lookup_place`).
    ``population`` is missing (``<NA>``) for a coordinate.

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError, InvalidCoordinateError
        For the first entry that names no place; the message says which.
    """
    rows: list[tuple[str, str, float, float, int | None]] = []
    for raw in names:
        text = raw.strip()
        if not text:
            raise InputFileError("an empty place name in the list")
        point = parse_point(text, what="place")
        if point is not None:
            rows.append((point.label, "", point.lat, point.lon, None))
            continue
        place = lookup_place(text)
        rows.append((place.name, place.country, place.lat, place.lon, place.population))
    return pd.DataFrame({
        "name": [r[0] for r in rows],
        "country": [r[1] for r in rows],
        "lat": [float(r[2]) for r in rows],
        "lon": [float(r[3]) for r in rows],
        "population": pd.array([r[4] for r in rows], dtype="Int64"),
    })


def _listed(spec: str) -> pd.DataFrame:
    """Return the places of a spec that names a place set or places (not a preset, not a file)."""
    from geo.reference.groups import place_set_names, resolve_places

    if spec in place_set_names():
        return resolve_places(spec)
    try:
        return named_places(spec.split(NAME_SEPARATOR))
    except GeoRangeError as exc:
        if NAME_SEPARATOR in spec:
            raise
        # One name that is neither a place, a file nor a preset: the place's message first.
        presets = ", ".join(PRESETS)
        raise InputFileError(f"{exc} (and {spec!r} is not a preset ({presets}) or a file of places)") from exc


def load_targets(spec: str) -> pd.DataFrame:
    """Return the places named by a preset or read from a file.

    Parameters
    ----------
    spec : str
        A preset (:data:`PRESETS`) or a path. A path ending in ``.parquet``,
        ``.geoparquet``, ``.gpkg``, ``.geojson`` or ``.json`` is read as
        such (points; see :func:`geo.inputs.points.iter_points`), any other as CSV.

    Returns
    -------
    pandas.DataFrame
        ``name``, ``country``, ``lat``, ``lon`` (degrees, EPSG:4326), then
        the file's other columns. A ``name`` column (any case) is optional:
        places without one are called ``point 1``, ``point 2``, ... in file
        order.

    Raises
    ------
    InputFileError
        If ``spec`` is neither a preset nor a readable, valid file; the
        message names the file and the row or feature.
    """
    if spec in PRESETS:
        return preset_places(spec)
    p = _file(spec)
    if p is None:
        return _listed(spec)
    return read_points(p)


def count_targets(spec: str) -> int | None:
    """Return about how many places :func:`iter_targets` will yield, or None if unknown (for progress bars).

    Exact for presets and Parquet and GeoPackage files, an upper bound for
    CSV files (see :func:`geo.inputs.points.count_points`); never raises.
    """
    if spec in PRESETS:
        return len(preset_places(spec))
    try:
        p = _file(spec)
    except GeoRangeError:
        return None
    return None if p is None else count_points(p)


def iter_targets(spec: str, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """Yield the places of a preset or a file in chunks, without reading a file whole.

    Parameters
    ----------
    spec : str
        As for :func:`load_targets`.
    chunk_rows : int, default 1,000,000
        Places per chunk (at most).

    Yields
    ------
    pandas.DataFrame
        ``lat``, ``lon`` (float degrees, EPSG:4326) and the other columns:
        ``name`` if the file has one (first; unlike :func:`load_targets`,
        no names are made up), ``country`` (the
        file's, else ``""``), then the file's other columns in order (CSV
        columns as text). The index numbers the places from 0 across
        chunks, so ``pd.concat`` of the chunks is the whole set; for a file
        with names it equals :func:`load_targets`.

    Raises
    ------
    InputFileError
        As :func:`load_targets`, when the chunk with the problem is read
        (earlier chunks have been yielded): CSV rows are numbered with the
        header as row 1, Parquet rows and GIS features from 1.

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
    if not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise InvalidRangeError(f"chunk_rows must be a positive integer, got {chunk_rows!r}")
    if spec in PRESETS:
        df = preset_places(spec)
        for start in range(0, len(df), chunk_rows):
            yield df.iloc[start:start + chunk_rows]
        return
    p = _file(spec)
    if p is None:
        listed = _listed(spec)
        for start in range(0, len(listed), chunk_rows):
            yield listed.iloc[start:start + chunk_rows]
        return
    yield from iter_points(p, chunk_rows)


def plain_targets(spec: str) -> pa.Table | None:
    """Return the places of a plain CSV file as an Arrow table, read without pandas, or None.

    None for a preset, a list of names, a file of another format, or a CSV
    file :func:`geo.inputs.points.read_plain_csv` does not take: read those
    with :func:`iter_targets`, which also reports any problem.
    """
    if spec in PRESETS or not spec.strip():
        return None
    p = _file(spec)
    return None if p is None else read_plain_csv(p)
