"""Read launch areas and target points from user files, checking every feature and row.

Formats
-------
- Launch areas (``--from FILE``): GeoJSON (``.geojson``, ``.json``),
  GeoPackage (``.gpkg``), shapefile (``.shp``, or a ``.zip`` holding one),
  with Polygon or MultiPolygon features; read by :func:`read_launch_file`.
- Target points (``--places FILE``): CSV (``.csv``, columns ``name``,
  ``lat``, ``lon``), Parquet (``.parquet``, ``.geoparquet``: GeoParquet with
  a WKB or native point geometry, or a plain table with numeric ``lon`` and
  ``lat`` columns), GeoPackage and GeoJSON with Point features; read chunk by
  chunk by :func:`iter_points`, whole by :func:`read_points`.

Where a problem is
------------------
Every message names the file and where in it: ``row N`` in a CSV counts
records with the header as row 1 (blank lines count, as in a spreadsheet);
``row N`` in a Parquet file counts rows from 1; ``feature N`` in a GIS file
counts features from 1 in file order.

Coordinate reference systems
----------------------------
Coordinates are reprojected to longitude/latitude on WGS84 (EPSG:4326) from
the CRS the file declares. Only the vertices are transformed: each edge of a
launch polygon is then the geodesic between its vertices, as everywhere in
georange, not the straight line of the source projection (the two differ by
metres on edges of tens of km). A file without a CRS (a shapefile without
``.prj``, a GeoPackage layer with an undefined SRS, a GeoParquet column whose
``crs`` is null) is taken as EPSG:4326 when its coordinates are in range,
with a :class:`~geo.errors.GeoRangeWarning`, and refused otherwise. GeoJSON
is EPSG:4326 by definition (RFC 7946); a CSV or a plain Parquet table has
``lon``/``lat`` columns in degrees.
"""

from __future__ import annotations

import csv
import json
import math
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo._lonlat import fold, polygonal, unwrap, wrap
from geo.errors import GeoRangeWarning, InputFileError
from geo.geodesy import WGS84

if TYPE_CHECKING:
    import pyarrow as pa
    from pyproj import CRS

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "LAUNCH_SUFFIXES",
    "POINT_SUFFIXES",
    "count_points",
    "existing_file",
    "iter_points",
    "read_launch_file",
    "read_points",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

LAUNCH_SUFFIXES: Final = (".geojson", ".json", ".gpkg", ".shp", ".zip")
"""File name endings (any case) read as launch areas."""

POINT_SUFFIXES: Final = (".csv", ".parquet", ".geoparquet", ".gpkg", ".geojson", ".json")
"""File name endings (any case) read as target points."""

DEFAULT_CHUNK_ROWS: Final = 1_000_000
"""Rows per chunk of :func:`iter_points`: tens of MB of temporaries per chunk."""

_CANON: Final = {"latitude": "lat", "longitude": "lon", "lng": "lon"}
_GIS_SUFFIXES: Final = (".gpkg", ".geojson", ".json", ".shp", ".zip")
_POLYGONAL: Final = ("Polygon", "MultiPolygon")


# -- files, layers and messages -------------------------------------------------------


def existing_file(p: Path) -> bool:
    """Tell whether ``p`` is an existing file (False for a name the system cannot even look up)."""
    try:
        return p.is_file()
    except OSError:  # e.g. a name too long: no file of that name
        return False


def _check_file(p: Path) -> None:
    try:
        if p.is_dir():
            raise InputFileError(f"{p}: is a directory, expected a file")
        if not p.exists():
            raise InputFileError(f"{p}: no such file")
    except OSError as exc:
        raise InputFileError(f"{p}: cannot open: {exc.strerror}") from None


def _gdal_message(exc: Exception, p: Path) -> str:
    """GDAL's message, on one line, without the path it repeats and its hint about drivers."""
    text = " ".join(str(exc).split())
    text = text.split("; It might help")[0]
    for prefix in (f"'{p}' ", f"{p}: ", f"'{p}': "):
        text = text.removeprefix(prefix)
    return text.rstrip(".")


@contextmanager
def _passing_on_warnings(p: Path) -> Iterator[None]:
    """Re-issue the file reader's own warnings as GeoRangeWarning, with the file name."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        warnings.warn(f"{p}: {' '.join(str(w.message).split())}", GeoRangeWarning, stacklevel=4)


def _gis_layer(p: Path) -> str:
    """Return the one layer with geometry in a GIS file (non-spatial tables such as QGIS styles are ignored)."""
    import pyogrio
    from pyogrio.errors import DataSourceError

    try:
        with _passing_on_warnings(p):
            layers = pyogrio.list_layers(str(p))
    except DataSourceError as exc:
        raise InputFileError(
            f"{p}: not a readable GeoJSON, GeoPackage or shapefile ({_gdal_message(exc, p)})"
        ) from None
    spatial = [(str(name), str(kind)) for name, kind in layers if kind is not None]
    if not spatial:
        raise InputFileError(f"{p}: no layer with geometries")
    if len(spatial) > 1:
        listed = ", ".join(f"{name} ({kind})" for name, kind in spatial)
        raise InputFileError(f"{p}: {len(spatial)} layers with geometries ({listed}); expected one")
    return spatial[0][0]


def _parse_crs(value: Any, p: Path) -> CRS | None:
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    if value is None or value == "":
        return None
    try:
        return CRS.from_json_dict(value) if isinstance(value, dict) else CRS.from_user_input(value)
    except CRSError as exc:
        raise InputFileError(f"{p}: cannot understand its CRS ({' '.join(str(exc).split())})") from None


def _is_lonlat(crs: CRS) -> bool:
    return bool(crs.equals("EPSG:4326", ignore_axis_order=True))


def _crs_name(crs: CRS) -> str:
    authority = crs.to_authority()
    return ":".join(authority) if authority else crs.name


class _Projector:
    """Turn a file's coordinates into lon/lat degrees (WGS84), per the CRS it declares.

    ``note`` is appended to messages about out-of-range coordinates, so that
    they say where the numbers came from.
    """

    def __init__(self, crs: CRS | None, p: Path) -> None:
        self.p = p
        self.crs = crs
        self.assumed = crs is None
        self._transformer = None
        self._warned = False
        if crs is not None and not _is_lonlat(crs):
            from pyproj import Transformer

            self._transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    @property
    def note(self) -> str:
        if self.assumed:
            return "; the file has no CRS, so coordinates are taken as lon/lat degrees (EPSG:4326)"
        if self._transformer is not None:
            return f" after reprojecting from {_crs_name(self.crs)}"  # type: ignore[arg-type]
        return ""

    def warn_assumed(self) -> None:
        """Say, once, that coordinates without a CRS were taken as EPSG:4326."""
        if self.assumed and not self._warned:
            self._warned = True
            warnings.warn(
                f"{self.p}: the file has no CRS; its coordinates, all within lon [-180, 180] and "
                "lat [-90, 90], are taken as lon/lat degrees on WGS84 (EPSG:4326)",
                GeoRangeWarning,
                stacklevel=4,
            )

    def points(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        if self._transformer is None:
            return x, y
        lon, lat = self._transformer.transform(x, y, errcheck=False)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def geometry(self, g: BaseGeometry) -> BaseGeometry:
        if self._transformer is None:
            return g
        return shapely.transform(g, lambda xy: np.column_stack(self.points(xy[:, 0], xy[:, 1])))


def _out_of_range(lon: FloatArray, lat: FloatArray) -> BoolArray:
    with np.errstate(invalid="ignore"):
        return ~(np.isfinite(lon) & np.isfinite(lat)) | (np.abs(lon) > 180.0) | (np.abs(lat) > 90.0)


def _fmt(v: float) -> str:
    return f"{v:.15g}"


# -- launch areas ------------------------------------------------------------------


def read_launch_file(path: str | Path) -> tuple[str, BaseGeometry]:
    """Read a launch area from a GeoJSON, GeoPackage or shapefile of polygons.

    Parameters
    ----------
    path : str or Path
        A file ending in one of :data:`LAUNCH_SUFFIXES`; a ``.zip`` holds a
        shapefile. A GeoPackage may hold other tables, but only one layer
        with geometries.

    Returns
    -------
    label : str
        The ``name`` property (any case) of a single feature, if it has a
        non-empty one, else the file name.
    geometry : shapely.Polygon or shapely.MultiPolygon
        Longitude/latitude degrees on WGS84, every part within
        [-180, 180] x [-90, 90] (RFC 7946). Several features are merged
        into one area (their union: "launched from anywhere in any of
        them"); so are the overlapping parts of a MultiPolygon. A valid
        single feature that needs no split keeps its vertices exactly.

    Raises
    ------
    InputFileError
        If the file is missing, not a readable GIS file, has several layers
        with geometries or no features; or if a feature (counted from 1) has
        no geometry, an empty one, one that is not a Polygon or MultiPolygon
        (the message names its type), a vertex that is not finite or out of
        range (after reprojection), a ring that winds around a pole, or an
        invalid polygon whose repair leaves no area.

    Warns
    -----
    GeoRangeWarning
        When an invalid polygon (self-intersecting, e.g. a bowtie; a hole
        outside its shell; overlapping rings) is repaired with
        :func:`shapely.make_valid`, keeping its polygonal parts: the warning
        gives the reason and the area before and after, in km² on the WGS84
        ellipsoid. Also when the file has no CRS and its coordinates are
        taken as EPSG:4326.

    Notes
    -----
    A polygon with an edge spanning more than 180 degrees of longitude is
    read as crossing the antimeridian (RFC 7946 edges take the short way)
    and split there: the point where the edge's geodesic meets +-180 is
    found on the ellipsoid and becomes a vertex of both pieces, so the split
    area is exactly the area drawn. A ring that winds once around a pole
    instead of being closed along it cannot be read this way and is
    refused. The repair works in planar lon/lat: the vertices it adds (where
    edges cross) lie on the straight lon/lat segments, not exactly on the
    geodesic edges, which is one more reason why a repair warns.
    """
    p = Path(path)
    _check_file(p)
    meta, table = _read_gis(p)
    if table.num_rows == 0:
        raise InputFileError(f"{p}: no features; expected Polygon or MultiPolygon features (a launch area)")
    column = meta["geometry_name"] or "wkb_geometry"
    if column not in table.column_names:
        raise InputFileError(f"{p}: the layer has no geometry column")
    projector = _Projector(_parse_crs(meta.get("crs"), p), p)
    wkb = table.column(column).to_numpy(zero_copy_only=False)
    geoms = []
    for k, raw in enumerate(wkb, start=1):
        geoms.append(_launch_feature(raw, f"{p}, feature {k}", projector))
    if projector.assumed:
        projector.warn_assumed()
    parts = [_normalise(g, f"{p}, feature {k}") for k, g in enumerate(geoms, start=1)]
    geometry = parts[0] if len(parts) == 1 else polygonal(shapely.union_all(parts))
    label = p.name
    if table.num_rows == 1:
        for name in table.column_names:
            if name.lower() == "name" and name != column:
                value = table.column(name)[0].as_py()
                if isinstance(value, str) and value.strip():
                    label = value.strip()
                break
    return label, geometry


def _read_gis(p: Path) -> tuple[dict[str, Any], pa.Table]:
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError

    if p.suffix.lower() not in _GIS_SUFFIXES:
        raise InputFileError(f"{p}: expected a GeoJSON, GeoPackage or shapefile ({', '.join(LAUNCH_SUFFIXES)})")
    layer = _gis_layer(p)
    try:
        with _passing_on_warnings(p):
            meta, table = pyogrio.read_arrow(str(p), layer=layer)
    except (DataSourceError, DataLayerError, FieldError, GeometryError) as exc:
        raise InputFileError(f"{p}: cannot read ({_gdal_message(exc, p)})") from None
    return meta, table


def _launch_feature(raw: bytes | None, where: str, projector: _Projector) -> BaseGeometry:
    """Decode, check and reproject one launch feature (not yet repaired or split)."""
    if raw is None:
        raise InputFileError(f"{where}: no geometry (null); expected a Polygon or MultiPolygon")
    with np.errstate(invalid="ignore"):  # a NaN coordinate is reported below, by position
        g = shapely.from_wkb(raw, on_invalid="ignore")
    if g is None:
        raise InputFileError(f"{where}: the geometry cannot be decoded (malformed WKB)")
    if g.geom_type not in _POLYGONAL:
        raise InputFileError(f"{where}: is a {g.geom_type}; expected a Polygon or MultiPolygon (a launch area)")
    if g.is_empty:
        raise InputFileError(f"{where}: the {g.geom_type} is empty")
    g = projector.geometry(shapely.force_2d(g))
    xy = shapely.get_coordinates(g)
    bad = _out_of_range(xy[:, 0], xy[:, 1])
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputFileError(
            f"{where}: vertex {i + 1} ({_fmt(xy[i, 0])}, {_fmt(xy[i, 1])}) is not a lon/lat position "
            f"in [-180, 180] x [-90, 90]{projector.note}"
        )
    return g


def _normalise(g: BaseGeometry, where: str) -> BaseGeometry:
    """Split parts that cross the antimeridian and repair invalid ones (with a warning)."""
    polys = list(shapely.get_parts(g))
    if g.is_valid and not any(_crosses(r) for poly in polys for r in _rings(poly)):
        return g
    pieces = []
    for j, poly in enumerate(polys, start=1):
        here = f"{where}, part {j}" if len(polys) > 1 else where
        poly, crossed = _continuous(poly, here)
        if not poly.is_valid:
            poly = _repair(poly, here)
        pieces.append(fold(poly) if crossed else poly)
    # Overlapping parts of a MultiPolygon make it invalid but mean just their union.
    return polygonal(shapely.union_all(pieces))


def _rings(poly: BaseGeometry) -> list[FloatArray]:
    return [np.asarray(r.coords, dtype=float)[:, :2] for r in (poly.exterior, *poly.interiors)]


def _crosses(xy: FloatArray) -> bool:
    """Tell whether an edge spans more than 180 degrees of longitude (edges along a pole excepted)."""
    x, y = xy[:, 0], xy[:, 1]
    along_pole = (np.abs(y[:-1]) == 90.0) & (y[1:] == y[:-1])
    return bool(np.any((np.abs(np.diff(x)) > 180.0) & ~along_pole))


def _continuous(poly: BaseGeometry, where: str) -> tuple[BaseGeometry, bool]:
    """Return the polygon with continuous longitudes if it crosses the antimeridian, and whether it does.

    Each edge that crosses a meridian 180 + 360 k gets a vertex where its
    geodesic crosses it, so that cutting there (:func:`geo._lonlat.fold`)
    keeps the area drawn.
    """
    rings = _rings(poly)
    if not any(_crosses(xy) for xy in rings):
        return poly, False
    out: list[FloatArray] = []
    for j, xy in enumerate(rings):
        x, y = unwrap(xy[:, 0]), xy[:, 1]
        if abs(x[-1] - x[0]) > 1e-9:
            raise InputFileError(
                f"{where}: a ring winds around a pole (its longitudes run through 360 degrees); "
                "close a polygon that holds a pole along the pole, e.g. through (180, 90) and (-180, 90)"
            )
        if j:  # a hole: into the shell's frame
            x = x - 360.0 * float(np.round((x.mean() - out[0][:, 0].mean()) / 360.0))
        out.append(_with_meridian_vertices(x, y))
    return shapely.Polygon(out[0], out[1:]), True


def _with_meridian_vertices(x: FloatArray, y: FloatArray) -> FloatArray:
    """Insert, in each edge crossing a meridian 180 + 360 k, the point where its geodesic crosses it."""
    k1 = np.floor((x[:-1] - 180.0) / 360.0)
    k2 = np.floor((x[1:] - 180.0) / 360.0)
    c = 180.0 + 360.0 * np.maximum(k1, k2)
    cross = np.flatnonzero((k1 != k2) & (x[:-1] != c) & (x[1:] != c))
    if cross.size == 0:
        return np.column_stack([x, y])
    lat = _geodesic_lat_at(x[cross], y[cross], x[cross + 1], y[cross + 1], c[cross])
    xs = np.insert(x, cross + 1, c[cross])
    ys = np.insert(y, cross + 1, lat)
    return np.column_stack([xs, ys])


def _geodesic_lat_at(x1: FloatArray, y1: FloatArray, x2: FloatArray, y2: FloatArray, c: FloatArray) -> FloatArray:
    """Latitude where the geodesic from (x1, y1) to (x2, y2) meets longitude c (unwrapped degrees).

    Bisection on the distance along the geodesic: its longitude moves
    monotonically from x1 to x2 on an edge shorter than 180 degrees of
    longitude that does not pass over a pole.
    """
    azi, _, length = WGS84.inv(wrap(x1), y1, wrap(x2), y2)
    lo, hi = np.zeros_like(x1), np.asarray(length, dtype=float).copy()
    east = x2 > x1
    for _ in range(64):  # 20,000 km / 2**64: far below a nanometre
        mid = 0.5 * (lo + hi)
        lon, _, _ = WGS84.fwd(wrap(x1), y1, azi, mid)
        rel = x1 + wrap(np.asarray(lon) - wrap(x1))
        before = np.where(east, rel < c, rel > c)
        lo, hi = np.where(before, mid, lo), np.where(before, hi, mid)
    _, lat, _ = WGS84.fwd(wrap(x1), y1, azi, 0.5 * (lo + hi))
    return np.asarray(lat, dtype=float)


def _area_km2(g: BaseGeometry) -> float:
    """Area (km², WGS84 geodesic edges) as the ring formula gives it: shells minus holes, each taken positive.

    For an invalid polygon this is the area "as drawn": the lobes of a bowtie
    count with opposite signs.
    """
    total = 0.0
    for poly in shapely.get_parts(g):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        rings = _rings(poly)
        areas = [abs(WGS84.polygon_area_perimeter(xy[:, 0], xy[:, 1])[0]) for xy in rings]
        total += areas[0] - sum(areas[1:])
    return total / 1e6


def _repair(poly: BaseGeometry, where: str) -> BaseGeometry:
    reason = shapely.is_valid_reason(poly)
    repaired = polygonal(shapely.make_valid(poly))
    if repaired.is_empty:
        raise InputFileError(f"{where}: invalid polygon ({reason}) that encloses no area; expected a polygon")
    before, after = _area_km2(poly), _area_km2(repaired)
    warnings.warn(
        f"{where}: invalid polygon ({reason}) repaired with shapely.make_valid, keeping its polygonal parts: "
        f"area {before:,.1f} km² as drawn, {after:,.1f} km² repaired ({after - before:+,.1f} km²); "
        "check that this is the launch area meant",
        GeoRangeWarning,
        stacklevel=5,
    )
    return repaired


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
        with np.errstate(invalid="ignore"):
            bad_lat = ~lat_ok | ~np.isfinite(raw.lat) | (np.abs(raw.lat) > 90.0)
            bad_lon = ~lon_ok | ~np.isfinite(raw.lon) | (np.abs(raw.lon) > 180.0)
        bad = bad_name | geom_bad | bad_lat | bad_lon
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputFileError(f"{self.p}, {self.unit} {raw.numbers[i]}: {self._problem(raw, i, bad_name, geom_bad)}")
        if self.projector is not None:
            self.projector.warn_assumed()
        columns: dict[str, Any] = {}
        if names is not None:
            columns["name"] = names.array
        columns["country"] = raw.attrs["country"].array if "country" in raw.attrs else pd.array([""] * n, dtype="str")
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
        Columns ``name`` (only if the file has one: any case; stripped),
        ``country`` (the file's, else ``""``), ``lat``, ``lon`` (float
        degrees, EPSG:4326), then every other column in file order (CSV
        columns as text; ``latitude``/``longitude``/``lng`` are read as
        ``lat``/``lon``). The index numbers the places from 0 across chunks.

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
        raise ValueError(f"chunk_rows must be a positive integer, got {chunk_rows!r}")
    p = Path(path)
    _check_file(p)
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".geoparquet"):
        yield from _parquet_chunks(p, chunk_rows, require_name)
    elif suffix in (".gpkg", ".geojson", ".json"):
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


def _columns(header: list[str], require_name: bool, p: Path, found: str) -> tuple[dict[str, int], list[int]]:
    """Locate name/lat/lon in a header (any case, with aliases); return them and the pass-through positions."""
    keys = [_CANON.get(h.lower(), h.lower()) for h in header]
    for key in ("name", "lat", "lon"):
        if keys.count(key) > 1:
            same = [h for h, k in zip(header, keys, strict=True) if k == key]
            raise InputFileError(f"{p}: columns {', '.join(same)} all mean {key}; keep one")
    missing = [c for c in ("name", "lat", "lon") if c not in keys]
    if missing and (require_name or missing != ["name"]):
        # Without coordinates this is no file of places: say what one has, name included.
        optional = "" if require_name or "name" not in missing else " (name is optional)"
        raise InputFileError(
            f"{p}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}{optional}; found {found}"
        )
    where: dict[str, int] = {k: keys.index(k) for k in ("name", "lat", "lon") if k in keys}
    rest = [i for i, k in enumerate(keys) if k not in ("name", "lat", "lon")]
    return where, rest


# CSV


def _csv_header(p: Path) -> list[str]:
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh), [])
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{p}: not UTF-8 text (byte {exc.start}); expected a CSV file") from None
    except (OSError, csv.Error) as exc:
        raise InputFileError(f"{p}: cannot read: {exc}") from None
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


def _parse_numbers(s: pd.Series) -> tuple[FloatArray, BoolArray, pd.Series | None]:
    """Numbers of a CSV column, where each parsed, and the stripped text (None if pandas parsed them all)."""
    if s.dtype.kind in "iuf":
        return s.to_numpy(dtype=float), np.ones(len(s), bool), None
    text = s.astype(str).str.strip()
    values = np.array(pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan))  # writable
    ok = np.ones(len(s), bool)
    for i in np.flatnonzero(np.isnan(values)):
        try:  # what pandas leaves out, Python's float may still read ("nan", "1_000")
            values[i] = float(text.iat[i])
        except ValueError:
            ok[i] = False
    return values, ok, text


def _csv_chunks(p: Path, chunk_rows: int, require_name: bool) -> Iterator[pd.DataFrame]:
    header = _csv_header(p)
    where, rest = _columns(header, require_name, p, ", ".join(header) or "none")
    positional = [f"c{i}" for i in range(len(header))]
    names = _unique([header[i] for i in rest])
    text_cols = {positional[i]: "str" for i in range(len(header)) if i not in (where["lat"], where["lon"])}
    check = _Checker(p, "row")
    try:
        reader = pd.read_csv(
            p, header=0, names=positional, index_col=False, dtype=text_cols, na_filter=False,
            skip_blank_lines=False, chunksize=chunk_rows, encoding="utf-8-sig", engine="c",
        )
    except (OSError, ValueError) as exc:
        raise _csv_error(p, exc, len(header)) from None
    with reader:
        while True:
            try:
                chunk = next(reader)
            except StopIteration:
                break
            except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as exc:
                raise _csv_error(p, exc, len(header)) from None
            if chunk[positional[where["lat"]]].dtype.kind not in "iuf":
                # Blank lines read as rows of empty text; they are harmless, as in the small reader.
                blank = np.ones(len(chunk), bool)
                for c in positional:
                    col = chunk[c]
                    blank &= col.astype(str).str.strip().eq("").to_numpy() if col.dtype.kind not in "iufb" else False
                chunk = chunk[~blank]
            if chunk.empty:
                continue
            lat, lat_ok, lat_text = _parse_numbers(chunk[positional[where["lat"]]])
            lon, lon_ok, lon_text = _parse_numbers(chunk[positional[where["lon"]]])
            attrs = pd.DataFrame({n: chunk[positional[i]].array for n, i in zip(names, rest, strict=True)})
            if "name" in where:
                attrs.insert(0, "name", chunk[positional[where["name"]]].array)
            text = _texts({"lat": lat_text, "lon": lon_text}, {"lat": lat, "lon": lon})
            numbers = chunk.index.to_numpy(dtype=np.int64) + 2  # the header is row 1
            yield check(_Raw(attrs, lon, lat, numbers, lat_ok, lon_ok, text=text))
    if check.emitted == 0:
        raise InputFileError(f"{p}: no places (only a header)")


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
    name = next((c for c in columns if c.lower() == "name"), None)
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
        raise InputFileError(f"{p}: cannot read ({_gdal_message(exc, p)})") from None
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
                raise InputFileError(f"{p}: cannot read ({_gdal_message(exc, p)})") from None
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
        raise InputFileError(f"{p}: not a readable Parquet file ({' '.join(str(exc).split())})") from None
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
            raise InputFileError(f"{p}: cannot read ({' '.join(str(exc).split())})") from None
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
        raise InputFileError(f"{p}: damaged GeoParquet metadata ({exc!r})") from None
    return dict(geo)
