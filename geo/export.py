"""Write zones to files: GeoJSON (RFC 7946), GeoPackage and KML, atomically.

Every writer builds the whole file under a temporary name in the target's
directory and renames it into place only when it is complete, so an
interrupted run leaves either the old file or the new one, never a part.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InputFileError, OutputExistsError
from geo.zones import Zone

__all__ = ["FORMATS", "atomic_path", "check_output", "check_writable", "write_zones", "zones_geojson", "zones_kml"]

FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage", ".kml": "KML"}

_KML_STYLE = {"reach": "7f0000ff", "dead_zone": "7f888888", "reachable": "7f00a5ff"}  # aabbggrr


def _check_target(target: Path, overwrite: bool) -> Path:
    """Refuse an existing file (unless ``overwrite``), a directory or a missing directory; return the directory."""
    if target.exists() and not overwrite:
        raise OutputExistsError(f"{target}: exists; pass --overwrite to replace it")
    if target.is_dir():
        raise InputFileError(f"{target}: is a directory, expected a file name")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputFileError(f"{target}: directory {directory} does not exist")
    return directory


@contextlib.contextmanager
def atomic_path(path: str | Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` when the block succeeds.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is False.
    InputFileError
        If the directory does not exist or cannot be written.
    """
    target = Path(path)
    directory = _check_target(target, overwrite)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".part{target.suffix}", dir=directory)
    except OSError as exc:
        raise InputFileError(f"{target}: cannot write in {directory}: {exc.strerror}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; outputs get the usual permissions
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def zones_geojson(zones: Sequence[Zone]) -> dict:
    """Return an RFC 7946 FeatureCollection of the zones (an empty zone has a null geometry)."""
    features = []
    for z in zones:
        geometry = None if z.geometry.is_empty else shapely.geometry.mapping(z.geometry)
        features.append({"type": "Feature", "properties": z.properties(), "geometry": geometry})
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
            f'<Data name="{escape(k)}"><value>{escape(str(v))}</value></Data>' for k, v in z.properties().items()
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
            [z.properties() for z in zones],
            geometry=[shapely.MultiPolygon(list(shapely.get_parts(z.geometry))) if not z.geometry.is_empty
                      else shapely.MultiPolygon() for z in zones],
            crs="EPSG:4326",
        )
        frame.to_file(tmp, driver="GPKG", layer="zones")

    return write


def check_writable(path: str | Path, *, overwrite: bool = False) -> None:
    """Refuse an existing file (unless ``overwrite``), a directory, or a missing directory; any format."""
    _check_target(Path(path), overwrite)


def check_output(path: str | Path, *, overwrite: bool = False) -> str:
    """Return the output format for ``path``, refusing an unknown extension or an existing file.

    Call it before a long computation so that bad output paths fail fast.
    """
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise InputFileError(
            f"{target}: unknown output format {target.suffix or '(no extension)'!r}; "
            f"expected one of {', '.join(FORMATS)}"
        )
    _check_target(target, overwrite)
    return fmt


def write_zones(zones: Sequence[Zone], path: str | Path, *, overwrite: bool = False) -> Path:
    """Write zones to ``path``; the format follows the extension (.geojson/.json, .gpkg, .kml).

    Raises
    ------
    InputFileError
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
