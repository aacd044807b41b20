"""What the readers of user files share: file checks, GIS layers, CRS handling, messages.

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

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoRangeWarning, InputFileError
from geo.geodesy.ellipsoid import bad_lonlat

if TYPE_CHECKING:
    from pyproj import CRS

__all__ = ["existing_file"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


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
        raise InputFileError(f"{p}: cannot open: {exc.strerror}") from exc


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
        ) from exc
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
        raise InputFileError(f"{p}: cannot understand its CRS ({' '.join(str(exc).split())})") from exc


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
    bad_lon, bad_lat = bad_lonlat(lon, lat)
    return bad_lon | bad_lat


def _fmt(v: float) -> str:
    return f"{v:.15g}"
