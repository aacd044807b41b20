"""Read launches from user files: GeoJSON, GeoPackage, shapefile (``--from FILE``).

A launch file holds one kind of feature, read by :func:`read_launch`:

- Polygon or MultiPolygon features: a launch **area**, checked feature by
  feature, reprojected to EPSG:4326 (:mod:`geo.inputs._files`), split at the
  antimeridian on the geodesic and repaired with a
  :class:`~geo.errors.GeoRangeWarning` when invalid (:func:`read_launch_file`);
- LineString or MultiLineString features: a launch **route**, every point
  along its lines, each edge the geodesic between its vertices (no split is
  needed: an edge from 170E to 170W is the short geodesic across the
  antimeridian);
- Point or MultiPoint features: a set of launch **sites**, each named by its
  feature's ``name`` property or ``FILE point N``.

A file that mixes kinds (a Point beside a LineString) is refused with the
first feature of another kind named: which features were meant as what is
not guessed; split the file, or give ``--from`` twice.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoRangeError, GeoRangeWarning, InputFileError
from geo.geodesy.ellipsoid import WGS84
from geo.geodesy.lonlat import fold, polygonal, unwrap, wrap
from geo.reference.names import close_names

if TYPE_CHECKING:
    import pyarrow as pa

from geo.inputs._files import (
    _check_file,
    _fmt,
    _gdal_message,
    _gis_layer,
    _out_of_range,
    _parse_crs,
    _passing_on_warnings,
    _Projector,
)

__all__ = ["LAUNCH_SUFFIXES", "LaunchFile", "read_launch", "read_launch_file"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

LAUNCH_SUFFIXES: Final = (".geojson", ".json", ".gpkg", ".shp", ".zip")
"""File name endings (any case) read as launch areas."""

_GIS_SUFFIXES: Final = (".gpkg", ".geojson", ".json", ".shp", ".zip")
_POLYGONAL: Final = ("Polygon", "MultiPolygon")
_KINDS: Final = {"Polygon": "area", "MultiPolygon": "area", "LineString": "route", "MultiLineString": "route",
                 "Point": "points", "MultiPoint": "points"}
_KIND_TYPES: Final = {"area": "Polygon or MultiPolygon", "route": "LineString or MultiLineString",
                      "points": "Point or MultiPoint"}
_KIND_TEXT: Final = {"area": "polygons (a launch area)", "route": "lines (a launch route)",
                     "points": "points (launch sites)"}


@dataclass(frozen=True)
class LaunchFile:
    """What a launch file holds: one kind of feature.

    Attributes
    ----------
    kind : str
        ``"area"``, ``"route"`` or ``"points"``.
    label : str
        The ``name`` of a single feature, else the file name (with the selector, if any).
    geometry : shapely geometry
        lon/lat degrees on WGS84: a Polygon or MultiPolygon (area, as :func:`read_launch_file`
        gives it), a LineString or MultiLineString (route: the features' lines in file order),
        or a MultiPoint (points, in file order).
    names : tuple of str
        Points: the name of each point (the feature's ``name``, numbered for a
        MultiPoint, else ``FILE point N``). Routes: the name of each line (the
        feature's ``name``, else empty).
    """

    kind: str
    label: str
    geometry: BaseGeometry
    names: tuple[str, ...] = ()


# -- launch areas ------------------------------------------------------------------


def read_launch_file(path: str | Path, select: str | None = None) -> tuple[str, BaseGeometry]:
    """Read a launch area from a GeoJSON, GeoPackage or shapefile of polygons.

    Parameters
    ----------
    path : str or Path
        A file ending in one of :data:`LAUNCH_SUFFIXES`; a ``.zip`` holds a
        shapefile. A GeoPackage may hold other tables, but only one layer
        with geometries.
    select : str, optional
        Only the features whose field has a value: ``FIELD=VALUE``
        (``iso=RU-KGD``), or ``VALUE`` for the ``name`` field; the field
        name and the value are compared without regard to case. On the
        command line: ``--from regions.gpkg#iso=RU-KGD``.

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
    found = read_launch(path, select)
    if found.kind != "area":
        p = Path(path)
        raise InputFileError(f"{p}: holds {_KIND_TEXT[found.kind]}; expected Polygon or MultiPolygon features "
                             "(a launch area)")
    return found.label, found.geometry


def read_launch(path: str | Path, select: str | None = None) -> LaunchFile:
    """Read a launch file: an area (polygons), a route (lines) or launch sites (points).

    Parameters are as for :func:`read_launch_file`; a selector keeps the
    features it names, of any kind.

    Returns
    -------
    LaunchFile

    Raises
    ------
    InputFileError
        As :func:`read_launch_file`, and for a feature whose kind differs from
        the first feature's (the message names both), a line with fewer than
        two distinct vertices or with an edge between nearly antipodal ends,
        and a point out of range; each names the file and the feature.
    """
    p = Path(path)
    _check_file(p)
    meta, table = _read_gis(p)
    if table.num_rows == 0:
        raise InputFileError(f"{p}: no features; expected Polygon or MultiPolygon features (a launch area), "
                             "LineStrings (a route) or Points (launch sites)")
    column = meta["geometry_name"] or "wkb_geometry"
    selected = None
    if select is not None:
        table, selected = _select(table, select, column, p)
    if column not in table.column_names:
        raise InputFileError(f"{p}: the layer has no geometry column")
    projector = _Projector(_parse_crs(meta.get("crs"), p), p)
    wkb = table.column(column).to_numpy(zero_copy_only=False)
    kind = ""
    geoms = []
    for k, raw in enumerate(wkb, start=1):
        g = _decoded(raw, f"{p}, feature {k}")
        this = _KINDS[g.geom_type]
        if not kind:
            kind = this
        elif this != kind:
            raise InputFileError(
                f"{p}, feature {k}: is a {g.geom_type}; expected a {_KIND_TYPES[kind]} like feature 1 (a launch "
                "file holds one kind of feature: polygons for an area, lines for a route or points for launch "
                "sites; split the file, or give each kind its own --from)"
            )
        geoms.append(_checked(g, f"{p}, feature {k}", projector))
    if projector.assumed:
        projector.warn_assumed()
    names = _feature_names(table, column)
    label = f"{p.name} {selected}" if selected else p.name
    if table.num_rows == 1 and names[0]:
        label = names[0]
    if kind == "area":
        parts = [_normalise(g, f"{p}, feature {k}") for k, g in enumerate(geoms, start=1)]
        geometry = parts[0] if len(parts) == 1 else polygonal(shapely.union_all(parts))
        return LaunchFile("area", label, geometry)
    if kind == "route":
        return _route(p, label, geoms, names)
    return _points(p, geoms, names)


_POLYGON_TYPES: Final = frozenset({"Polygon", "MultiPolygon", "Polygon Z", "MultiPolygon Z", "3D Polygon",
                                   "3D MultiPolygon"})


def is_polygon_file(path: str | Path) -> bool:
    """Return whether a GIS file's layer is declared as polygons (GDAL's layer geometry type; no feature read).

    A file of places that holds polygons is a file of area targets, one per
    feature (:func:`read_area_features`); anything else (points, a mixed or
    undeclared layer, another format, a missing file) is not.
    """
    p = Path(path)
    if p.suffix.lower() not in _GIS_SUFFIXES or not p.is_file():
        return False
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        with _passing_on_warnings(p):
            layer = _gis_layer(p)
            declared = str(pyogrio.read_info(str(p), layer=layer).get("geometry_type"))
            if declared == "Unknown":  # GeoJSON of Polygons and MultiPolygons: the first feature says
                meta, first = pyogrio.read_arrow(str(p), layer=layer, max_features=1)
                column = meta["geometry_name"] or "wkb_geometry"
                raw = first.column(column)[0].as_py() if first.num_rows and column in first.column_names else None
                declared = shapely.from_wkb(raw).geom_type if raw else declared
    except (DataSourceError, DataLayerError, InputFileError, shapely.errors.GEOSException):
        return False
    return declared in _POLYGON_TYPES


def read_area_features(path: str | Path) -> list[tuple[str, BaseGeometry]]:
    """Read every feature of a file of polygons as its own area: ``(name, geometry)`` in file order.

    Each feature is checked, reprojected, split at the antimeridian and
    repaired as a launch area is (:func:`read_launch_file`); it is named by
    its ``name`` property, else ``FILE feature N``.

    Raises
    ------
    InputFileError
        For a file that cannot be read, holds no feature, or a feature that
        is not a polygon (naming the file and the feature).
    """
    p = Path(path)
    _check_file(p)
    meta, table = _read_gis(p)
    if table.num_rows == 0:
        raise InputFileError(f"{p}: no features; expected Polygon or MultiPolygon features (areas)")
    column = meta["geometry_name"] or "wkb_geometry"
    projector = _Projector(_parse_crs(meta.get("crs"), p), p)
    names = _feature_names(table, column)
    out = []
    for k, raw in enumerate(table.column(column).to_numpy(zero_copy_only=False), start=1):
        where = f"{p}, feature {k}"
        g = _decoded(raw, where)
        if g.geom_type not in _POLYGONAL:
            raise InputFileError(f"{where}: is a {g.geom_type}; a file of areas holds Polygon or MultiPolygon "
                                 "features only")
        out.append((names[k - 1] or f"{p.name} feature {k}", _normalise(_checked(g, where, projector), where)))
    if projector.assumed:
        projector.warn_assumed()
    return out


def _feature_names(table: pa.Table, column: str) -> list[str]:
    """Return each feature's ``name`` property (any case of the field's name), stripped; "" where none."""
    for name in table.column_names:
        if name.lower() == "name" and name != column:
            return [v.strip() if isinstance(v, str) else "" for v in table.column(name).to_pylist()]
    return [""] * table.num_rows


def _route(p: Path, label: str, geoms: list[BaseGeometry], names: list[str]) -> LaunchFile:
    """Check every line of a route's features (two distinct vertices, no nearly antipodal edge) and join them."""
    from geo.geodesy.distance import LaunchLine

    lines, line_names = [], []
    for k, (g, name) in enumerate(zip(geoms, names, strict=True), start=1):
        parts = list(shapely.get_parts(g))
        for j, line in enumerate(parts, start=1):
            where = f"{p}, feature {k}" + (f", line {j}" if len(parts) > 1 else "")
            try:
                LaunchLine(line, name=where)
            except GeoRangeError as exc:
                raise InputFileError(str(exc)) from exc
            lines.append(line)
            line_names.append(name)
    geometry = lines[0] if len(lines) == 1 else shapely.MultiLineString(lines)
    return LaunchFile("route", label, geometry, tuple(line_names))


def _points(p: Path, geoms: list[BaseGeometry], names: list[str]) -> LaunchFile:
    """Name every point: its feature's name (numbered within a MultiPoint), else ``FILE point N``."""
    xy, labels = [], []
    for g, name in zip(geoms, names, strict=True):
        pts = shapely.get_coordinates(g)
        for j, (x, y) in enumerate(pts, start=1):
            xy.append((x, y))
            if name:
                labels.append(name if len(pts) == 1 else f"{name} {j}")
            else:
                labels.append(f"{p.name} point {len(xy)}")
    return LaunchFile("points", p.name, shapely.MultiPoint(xy), tuple(labels))


def _select(table: pa.Table, select: str, geometry: str, p: Path) -> tuple[pa.Table, str]:
    """Keep the features whose field equals a value (case-insensitive); return them and ``FIELD=VALUE``."""
    field, eq, value = select.partition("=")
    if not eq:
        field, value = "name", select
    field, value = field.strip(), value.strip()
    fields = {name.lower(): name for name in table.column_names if name != geometry}
    if field.lower() not in fields:
        have = ", ".join(sorted(fields.values()))
        raise InputFileError(f"{p}#{select}: no field {field!r}; the features have {have}")
    name = fields[field.lower()]
    cells = [str(v).strip() if v is not None else "" for v in table.column(name).to_pylist()]
    keep = [i for i, v in enumerate(cells) if v.casefold() == value.casefold()]
    if not keep:
        known = sorted(set(cells))
        hint = close_names(value, known)
        shown = ", ".join(known[:10]) + (f" and {len(known) - 10} more" if len(known) > 10 else "")
        raise InputFileError(f"{p}#{select}: no feature with {name} = {value!r}{hint} ({name}: {shown})")
    return table.take(keep), f"{name}={value}"


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
        raise InputFileError(f"{p}: cannot read ({_gdal_message(exc, p)})") from exc
    return meta, table


def _decoded(raw: bytes | None, where: str) -> BaseGeometry:
    """Decode one launch feature and check its type: a polygon, a line or a point, not empty."""
    if raw is None:
        raise InputFileError(f"{where}: no geometry (null); expected a polygon, a line or a point")
    with np.errstate(invalid="ignore"):  # a NaN coordinate is reported below, by position
        g = shapely.from_wkb(raw, on_invalid="ignore")
    if g is None:
        raise InputFileError(f"{where}: the geometry cannot be decoded (malformed WKB)")
    if g.geom_type not in _KINDS:
        raise InputFileError(f"{where}: is a {g.geom_type}; expected a Polygon or MultiPolygon (a launch area), "
                             "a LineString or MultiLineString (a route) or Points (launch sites)")
    if g.is_empty:
        raise InputFileError(f"{where}: the {g.geom_type} is empty")
    return g


def _checked(g: BaseGeometry, where: str, projector: _Projector) -> BaseGeometry:
    """Reproject one launch feature and check its positions (not yet repaired or split)."""
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
    geodesic crosses it, so that cutting there (:func:`geo.geodesy.lonlat.fold`)
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
