"""The map backdrop shipped in ``data/basemap.geojson``: countries generalised for display.

Natural Earth countries simplified by ``scripts/build_basemap.py`` (about
2 km); maps draw it, no verdict or zone uses it. Read once per process.
"""

from __future__ import annotations

import functools
import json

import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import DataFileError
from geo.reference.datafiles import data_dir, data_path

__all__ = ["basemap_names", "basemap_polygons", "basemap_text"]

_NAME = "basemap.geojson"
_REMEDY = "rebuild it with python scripts/build_basemap.py"


def basemap_text() -> str:
    """Return the backdrop as GeoJSON text (a FeatureCollection of country polygons, lon/lat)."""
    return _text(str(data_dir()))


def basemap_polygons() -> tuple[BaseGeometry, ...]:
    """Return the backdrop's country polygons (lon/lat)."""
    return _polygons(str(data_dir()))


def basemap_names() -> tuple[str, ...]:
    """Return the country name of each of :func:`basemap_polygons`, in the same order."""
    return _names(str(data_dir()))


@functools.cache
def _names(directory: str) -> tuple[str, ...]:
    features = json.loads(_text(directory))["features"]
    return tuple(str(f.get("properties", {}).get("name", "")) for f in features if f.get("geometry"))


@functools.cache
def _text(directory: str) -> str:  # keyed by the data directory in force
    path = data_path(_NAME)
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read the base map ({exc.strerror}); {_REMEDY}") from exc


@functools.cache
def _polygons(directory: str) -> tuple[BaseGeometry, ...]:
    try:
        features = json.loads(_text(directory))["features"]
        return tuple(shapely.geometry.shape(f["geometry"]) for f in features if f.get("geometry"))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataFileError(f"{data_path(_NAME)}: not a GeoJSON FeatureCollection ({exc}); {_REMEDY}") from exc
