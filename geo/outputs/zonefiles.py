"""Write zones to files that GIS clients read right: GeoJSON, GeoPackage, KML and Shapefile; read them back.

Every zone is one feature with the fields ``role``, ``min_km``, ``max_km``,
``launch``, ``tolerance_m`` and ``area_km2`` (numbers always as reals), in
the order reach, dead zone, reachable.

- **GeoJSON** (RFC 7946): lon/lat cut at the antimeridian, pole caps closed
  along the map edge, exterior rings counter-clockwise; coordinates rounded
  to ``precision`` decimals (default 7, about 1 cm; up to 17 keeps every
  double).
- **GeoPackage** 1.3 (``PRAGMA user_version`` 10300), layer ``zones``,
  MultiPolygon in EPSG:4326 with an R-tree spatial index and its triggers
  (the 1.2/1.3 kind, which GDAL 3.6 and QGIS 3.22 read without a warning);
  coordinates as doubles.
- **KML** 2.2 for a globe: see :mod:`geo.outputs.kml` (no antimeridian
  cut, edges densified for great circles, typed fields).
- **Shapefile** (``.shp`` with its sidecars, or a zipped one ``.zip``):
  see :mod:`geo.outputs.shapefile` (``tolerance_m`` is the field ``tol_m``).

An **empty zone** (no dead zone when ``min_km`` is 0) is, in every format,
a feature with no geometry (GeoJSON ``null``, a NULL GeoPackage geometry,
a placemark without geometry, a null shape) and ``area_km2`` 0.

**Area.** ``area_km2`` is the zone's area on the WGS84 ellipsoid, exact for
its polygons (:mod:`geo.geodesy.area`). Read it rather than measuring the
polygons again: for a zone larger than a hemisphere (a 19,000 km zone is
the whole Earth but a small region round the antipodes), ring-based area
tools (QGIS's ellipsoidal measure, pyproj's ``geometry_area_perimeter``,
S2) cannot tell the ring's two sides apart and report the small side or a
negative number. To measure such a zone yourself, take the Earth's area
(510,065,621.7 km²) minus the area of its complement.

Every writer builds the whole file through :func:`geo.outputs.atomic.atomic_path`
(a plain shapefile: each of its files), so an interrupted run leaves the
old file or the new one, never a part. :func:`read_zones` reads any of
them back through GDAL (pyogrio).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.analysis.zones import ROLES, Zone
from geo.errors import InputFileError, OutputError
from geo.geodesy.lonlat import orient
from geo.outputs.atomic import atomic_path, check_writable, output_format
from geo.reference.borders import check_borders

__all__ = [
    "DEFAULT_PRECISION",
    "FORMATS",
    "check_output",
    "read_zones",
    "write_zones",
    "zones_geojson",
]

FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage", ".kml": "KML",
           ".shp": "Shapefile", ".zip": "Shapefile"}
DEFAULT_PRECISION = 7
"""Decimals of GeoJSON coordinates: 1e-7 degrees is at most 1.1 cm."""

_FIELDS: dict[str, type] = {"role": str, "min_km": float, "max_km": float, "launch": str, "tolerance_m": float,
                            "area_km2": float, "borders": str, "border_src": str}
_OPTIONAL = ("area_km2", "borders", "border_src")  # derived, or absent from files written before border views
_LAYER = "zones"  # the GeoPackage layer
_GPKG_VERSION = "1.3"


def _properties(zone: Zone) -> dict[str, object]:
    """Return the zone's properties with the numbers as floats.

    A band built from integers (``RangeBand(700, 5000)``) would otherwise make
    integer fields in one file and real ones in the next.
    """
    return {k: _FIELDS[k](v) if _FIELDS.get(k) is float else v for k, v in zone.properties().items()}


def _rounded(geometry: BaseGeometry, precision: int) -> BaseGeometry:
    """Round coordinates to ``precision`` decimals, keeping the polygons valid."""
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, precision))
    if rounded.is_valid:
        return rounded
    return shapely.set_precision(geometry, 10.0 ** -precision)


def _check_precision(precision: int) -> int:
    if isinstance(precision, bool) or not isinstance(precision, int) or not 1 <= precision <= 17:
        raise OutputError(f"precision {precision!r}: expected a whole number of decimals from 1 to 17")
    return precision


def zones_geojson(zones: Sequence[Zone], *, precision: int = DEFAULT_PRECISION) -> dict:
    """Return an RFC 7946 FeatureCollection of the zones (an empty zone has a null geometry).

    Coordinates are rounded to ``precision`` decimals (17 keeps every double).
    """
    _check_precision(precision)
    features = []
    for z in zones:
        geometry = None
        if not z.geometry.is_empty:
            geometry = shapely.geometry.mapping(z.geometry if precision >= 17 else _rounded(z.geometry, precision))
        features.append({"type": "Feature", "properties": _properties(z), "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _write_text(text: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return write


def _frame(zones: Sequence[Zone]):  # type: ignore[no-untyped-def]
    """Return the zones as a GeoDataFrame of MultiPolygons (None for an empty zone)."""
    import geopandas

    return geopandas.GeoDataFrame(
        [_properties(z) for z in zones],
        geometry=[None if z.geometry.is_empty else shapely.MultiPolygon(list(shapely.get_parts(z.geometry)))
                  for z in zones],
        crs="EPSG:4326",
    )


def _write_gpkg(zones: Sequence[Zone]) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        import pyogrio

        tmp.unlink()  # GDAL creates the GeoPackage itself
        pyogrio.write_dataframe(_frame(zones), tmp, driver="GPKG", layer=_LAYER, geometry_type="MultiPolygon",
                                dataset_options={"VERSION": _GPKG_VERSION}, layer_options={"SPATIAL_INDEX": "YES"})

    return write


def check_output(path: str | Path, *, overwrite: bool = False) -> str:
    """Return the output format for ``path``, refusing an unknown extension or an existing file.

    Call it before a long computation so that bad output paths fail fast.
    """
    target = Path(path)
    fmt = output_format(path, FORMATS)
    check_writable(target, overwrite=overwrite)
    return fmt


def write_zones(
    zones: Sequence[Zone], path: str | Path, *, overwrite: bool = False, precision: int = DEFAULT_PRECISION
) -> Path:
    """Write zones to ``path``; the format follows the extension (see :data:`FORMATS`).

    Parameters
    ----------
    zones : sequence of Zone
    path : str or Path
        ``.geojson``/``.json``, ``.gpkg``, ``.kml``, ``.shp`` or ``.zip`` (a zipped shapefile).
    overwrite : bool, default False
    precision : int, default 7
        Decimals of GeoJSON coordinates (1 to 17; 17 keeps every double).
        The other formats store doubles (KML: shortest round-trip text).

    Raises
    ------
    OutputError
        If the extension is not one of :data:`FORMATS`, the precision is
        out of range, the file cannot be written, ``path`` is not a path or
        ``zones`` not a list of :class:`~geo.analysis.zones.Zone`.
    OutputExistsError
        If the file exists and ``overwrite`` is False.
    """
    if not isinstance(path, str | Path):
        raise OutputError(f"zone file {path!r}: expected a path (str or Path), not {type(path).__name__}")
    if (isinstance(zones, Zone | str) or not isinstance(zones, Sequence) or not zones
            or not all(isinstance(z, Zone) for z in zones)):
        raise OutputError(f"zones {zones!r:.60}: expected a list of Zone (what geo.zones returns)")
    target = Path(path)
    fmt = check_output(target, overwrite=overwrite)
    if fmt == "Shapefile":
        from geo.outputs.shapefile import write_shapefile

        write_shapefile(_frame(zones), target, overwrite=overwrite)
        return target
    if fmt == "GeoJSON":
        writer = _write_text(json.dumps(zones_geojson(zones, precision=precision), ensure_ascii=False) + "\n")
    elif fmt == "KML":
        from geo.outputs.kml import zones_kml

        writer = _write_text(zones_kml(zones))
    else:
        writer = _write_gpkg(zones)
    with atomic_path(target, overwrite=overwrite) as tmp:
        writer(tmp)
    return target


def _as_drawn(geometry: BaseGeometry | None, where: str, *, globe: bool = False) -> BaseGeometry:
    """Return a read geometry as :mod:`geo.analysis.zones` draws it: Polygon, MultiPolygon of several, or empty Polygon.

    GeoPackage and shapefiles store every zone as a MultiPolygon. KML
    (``globe``) holds fill polygons in globe form and outline lines: the
    lines are left out and the polygons put back on the map.
    """
    if geometry is None or geometry.is_empty:
        return shapely.Polygon()
    parts = [p for p in shapely.get_parts(geometry) if not p.is_empty]
    if globe:
        from geo.outputs.kml import globe_to_map

        parts = [p for p in parts if p.geom_type != "LineString"]
    if any(p.geom_type != "Polygon" for p in parts):
        kinds = sorted({p.geom_type for p in parts} - {"Polygon"})
        raise InputFileError(f"{where}: geometry holds {', '.join(kinds)}; expected polygons")
    if globe:
        return globe_to_map(parts)
    # Shapefiles store exterior rings clockwise; georange draws them counter-clockwise (RFC 7946).
    return orient(parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts))


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise InputFileError(f"{where}: {value!r} is not text")
    return value


def _number(value: object, where: str) -> float:
    """Return a finite float from a number or (KML fields are text) its text."""
    number = float(value) if isinstance(value, int | float | str | np.number) else math.nan
    if not math.isfinite(number):
        raise InputFileError(f"{where}: {value!r} is not a finite number")
    return number


def read_zones(path: str | Path) -> list[Zone]:
    """Read zones written by :func:`write_zones`, in file order.

    Geometries come back as :mod:`geo.analysis.zones` draws them (lon/lat,
    cut at the antimeridian, a single polygon as a Polygon and an empty zone
    as an empty Polygon): GeoPackage and shapefiles exactly, GeoJSON to its
    precision, KML as the same region with the extra vertices it was
    densified with. ``min_km``, ``max_km`` and ``tolerance_m`` are floats;
    ``area_km2`` is computed again from the geometry.

    Raises
    ------
    InputFileError
        If the extension is not one of :data:`FORMATS`, the file cannot be
        read, or it lacks a zone field or holds a bad value.
    """
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    if not isinstance(path, str | Path):
        raise InputFileError(f"zone file {path!r}: expected a path (str or Path), not {type(path).__name__}")
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise InputFileError(
            f"{target}: unknown zone format {target.suffix or '(no extension)'!r}; expected one of {', '.join(FORMATS)}"
        )
    if not target.is_file():
        raise InputFileError(f"{target}: no such file")
    try:
        if fmt == "Shapefile":
            from geo.outputs.shapefile import read_shapefile_frame

            frame = read_shapefile_frame(target)
        else:
            layer = {"layer": _LAYER} if fmt == "GeoPackage" else {"layer": 0} if fmt == "KML" else {}
            frame = pyogrio.read_dataframe(target, **layer)  # KML: the first folder, the fills
    except (DataSourceError, DataLayerError) as exc:
        raise InputFileError(f"{target}: cannot read as {fmt}: {exc}") from exc
    needed = [k for k in _FIELDS if k not in _OPTIONAL]
    missing = [k for k in needed if k not in frame.columns]
    if missing:
        raise InputFileError(f"{target}: missing zone field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    out = []
    borders = frame["borders"].tolist() if "borders" in frame.columns else ["recognised"] * len(frame)
    # Written only for zones on the turning Earth (GeoJSON and GeoPackage keep a boolean, a shapefile text).
    turning = ([str(v).strip().lower() in ("true", "1") for v in frame["earth_rotation"]]
               if "earth_rotation" in frame.columns else [False] * len(frame))
    records = frame[needed].to_dict(orient="records")
    for n, (row, geometry) in enumerate(zip(records, frame.geometry, strict=True), start=1):
        where = f"{target}, zone {n}"
        role = _text(row["role"], f"{where}, role")
        if role not in ROLES:
            raise InputFileError(f"{where}: role {role!r}; expected one of {', '.join(ROLES)}")
        out.append(Zone(
            role=role,
            geometry=_as_drawn(geometry, where, globe=fmt == "KML"),
            min_km=_number(row["min_km"], f"{where}, min_km"),
            max_km=_number(row["max_km"], f"{where}, max_km"),
            launch=_text(row["launch"], f"{where}, launch"),
            tolerance_m=_number(row["tolerance_m"], f"{where}, tolerance_m"),
            borders=check_borders(borders[n - 1], f"{where}, borders"),
            earth_rotation=bool(turning[n - 1]),
        ))
    return out
