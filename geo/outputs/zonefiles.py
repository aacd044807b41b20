"""Write zones to files: GeoJSON (RFC 7946), GeoPackage and KML, atomically; read them back.

Every writer builds the whole file through :func:`geo.outputs.atomic.atomic_path`,
so an interrupted run leaves either the old file or the new one, never a part.

Every format keeps the coordinates exactly (GeoJSON and KML write each
double in its shortest round-trip form; GeoPackage stores doubles) and the
properties of :meth:`geo.analysis.zones.Zone.properties` with ``min_km``, ``max_km``
and ``tolerance_m`` always written as floats. :func:`read_zones` reads any
of them back through GDAL (pyogrio). An empty zone is a null geometry in
GeoJSON, an empty MultiPolygon in GeoPackage and an empty MultiGeometry in
KML.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.analysis.zones import ROLES, Zone
from geo.errors import InputFileError
from geo.outputs.atomic import atomic_path, check_writable, output_format

__all__ = [
    "FORMATS",
    "check_output",
    "read_zones",
    "write_zones",
    "zones_geojson",
    "zones_kml",
]

FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage", ".kml": "KML"}

_KML_STYLE = {"reach": "7f0000ff", "dead_zone": "7f888888", "reachable": "7f00a5ff"}  # aabbggrr
_ATTR = {'"': "&quot;"}  # escape() leaves quotes alone; attribute values need them escaped
_FIELDS: dict[str, type] = {"role": str, "min_km": float, "max_km": float, "launch": str, "tolerance_m": float}
_LAYER = "zones"  # the GeoPackage layer


def _properties(zone: Zone) -> dict[str, object]:
    """Return the zone's properties with the numbers as floats.

    A band built from integers (``RangeBand(700, 5000)``) would otherwise make
    integer fields in one file and real ones in the next.
    """
    return {k: _FIELDS[k](v) if _FIELDS.get(k) is float else v for k, v in zone.properties().items()}


def zones_geojson(zones: Sequence[Zone]) -> dict:
    """Return an RFC 7946 FeatureCollection of the zones (an empty zone has a null geometry)."""
    features = []
    for z in zones:
        geometry = None if z.geometry.is_empty else shapely.geometry.mapping(z.geometry)
        features.append({"type": "Feature", "properties": _properties(z), "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _kml_rings(polygon: BaseGeometry) -> str:
    def coords(ring: BaseGeometry) -> str:
        return " ".join(f"{x!r},{y!r}" for x, y in np.asarray(ring.coords)[:, :2].tolist())

    inner = "".join(
        f"<innerBoundaryIs><LinearRing><coordinates>{coords(r)}</coordinates></LinearRing></innerBoundaryIs>"
        for r in polygon.interiors
    )
    return (
        "<Polygon><tessellate>0</tessellate><outerBoundaryIs><LinearRing><coordinates>"
        f"{coords(polygon.exterior)}</coordinates></LinearRing></outerBoundaryIs>{inner}</Polygon>"
    )


def zones_kml(zones: Sequence[Zone], name: str = "georange zones") -> str:
    """Return a KML document with one placemark (a MultiGeometry of polygons) per zone."""
    styles = "".join(
        f'<Style id="{role}"><LineStyle><color>ff{color[2:]}</color><width>2</width></LineStyle>'
        f"<PolyStyle><color>{color}</color></PolyStyle></Style>"
        for role, color in _KML_STYLE.items()
    )
    marks = []
    for z in zones:
        polys = "".join(_kml_rings(p) for p in shapely.get_parts(z.geometry) if not p.is_empty)
        data = "".join(
            f'<Data name="{escape(k, _ATTR)}"><value>{escape(str(v))}</value></Data>' for k, v in _properties(z).items()
        )
        title = escape(f"{z.role}: {z.min_km:g}-{z.max_km:g} km from {z.launch}")
        marks.append(
            f"<Placemark><name>{title}</name><styleUrl>#{z.role}</styleUrl><ExtendedData>{data}</ExtendedData>"
            f"<MultiGeometry>{polys}</MultiGeometry></Placemark>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>{escape(name)}</name>{styles}{''.join(marks)}</Document></kml>\n"
    )


def _write_text(text: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return write


def _write_gpkg(zones: Sequence[Zone]) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        import geopandas

        tmp.unlink()  # GDAL creates the GeoPackage itself
        frame = geopandas.GeoDataFrame(
            [_properties(z) for z in zones],
            geometry=[shapely.MultiPolygon(list(shapely.get_parts(z.geometry))) if not z.geometry.is_empty
                      else shapely.MultiPolygon() for z in zones],
            crs="EPSG:4326",
        )
        frame.to_file(tmp, driver="GPKG", layer=_LAYER)

    return write


def check_output(path: str | Path, *, overwrite: bool = False) -> str:
    """Return the output format for ``path``, refusing an unknown extension or an existing file.

    Call it before a long computation so that bad output paths fail fast.
    """
    target = Path(path)
    fmt = output_format(path, FORMATS)
    check_writable(target, overwrite=overwrite)
    return fmt


def write_zones(zones: Sequence[Zone], path: str | Path, *, overwrite: bool = False) -> Path:
    """Write zones to ``path``; the format follows the extension (.geojson/.json, .gpkg, .kml).

    Raises
    ------
    OutputError
        If the extension is not one of :data:`FORMATS` or the file cannot be written.
    OutputExistsError
        If the file exists and ``overwrite`` is False.
    """
    target = Path(path)
    fmt = check_output(target, overwrite=overwrite)
    if fmt == "GeoJSON":
        writer = _write_text(json.dumps(zones_geojson(zones), ensure_ascii=False) + "\n")
    elif fmt == "KML":
        writer = _write_text(zones_kml(zones))
    else:
        writer = _write_gpkg(zones)
    with atomic_path(target, overwrite=overwrite) as tmp:
        writer(tmp)
    return target


def _as_drawn(geometry: BaseGeometry | None, where: str) -> BaseGeometry:
    """Return a read geometry as :mod:`geo.analysis.zones` draws it: Polygon, MultiPolygon of several, or empty Polygon.

    GeoPackage and KML store every zone as a multi-geometry (KML an empty one
    as a GeometryCollection).
    """
    if geometry is None or geometry.is_empty:
        return shapely.Polygon()
    parts = [p for p in shapely.get_parts(geometry) if not p.is_empty]
    if any(p.geom_type != "Polygon" for p in parts):
        kinds = sorted({p.geom_type for p in parts} - {"Polygon"})
        raise InputFileError(f"{where}: geometry holds {', '.join(kinds)}; expected polygons")
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


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
    """Read zones written by :func:`write_zones` (.geojson/.json, .gpkg or .kml), in file order.

    Geometries come back exactly as written, a single polygon as a Polygon
    and an empty zone as an empty Polygon, as :mod:`geo.analysis.zones` draws them.
    ``min_km``, ``max_km`` and ``tolerance_m`` are floats.

    Raises
    ------
    InputFileError
        If the extension is not one of :data:`FORMATS`, the file cannot be
        read, or it lacks a zone field or holds a bad value.
    """
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise InputFileError(
            f"{target}: unknown zone format {target.suffix or '(no extension)'!r}; expected one of {', '.join(FORMATS)}"
        )
    if not target.is_file():
        raise InputFileError(f"{target}: no such file")
    layer = {"layer": _LAYER} if fmt == "GeoPackage" else {}
    try:
        frame = pyogrio.read_dataframe(target, columns=list(_FIELDS), **layer)
    except (DataSourceError, DataLayerError) as exc:
        raise InputFileError(f"{target}: cannot read as {fmt}: {exc}") from exc
    missing = [k for k in _FIELDS if k not in frame.columns]
    if missing:
        raise InputFileError(f"{target}: missing zone field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    out = []
    records = frame[list(_FIELDS)].to_dict(orient="records")
    for n, (row, geometry) in enumerate(zip(records, frame.geometry, strict=True), start=1):
        where = f"{target}, zone {n}"
        role = _text(row["role"], f"{where}, role")
        if role not in ROLES:
            raise InputFileError(f"{where}: role {role!r}; expected one of {', '.join(ROLES)}")
        out.append(Zone(
            role=role,
            geometry=_as_drawn(geometry, where),
            min_km=_number(row["min_km"], f"{where}, min_km"),
            max_km=_number(row["max_km"], f"{where}, max_km"),
            launch=_text(row["launch"], f"{where}, launch"),
            tolerance_m=_number(row["tolerance_m"], f"{where}, tolerance_m"),
        ))
    return out
