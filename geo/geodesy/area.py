"""Exact areas on the WGS84 ellipsoid of lon/lat polygons of any size.

A polygon's area is the sum over its rings of GeographicLib's exact
geodesic polygon area (:meth:`pyproj.Geod.polygon_area_perimeter`, edges
read as geodesics), holes subtracted. GeographicLib returns a ring's
area only up to a multiple of the Earth's area: a ring splits the globe in
two and it reports the side on the ring's left, reduced into
(-A/2, A/2]. That is why QGIS, pyproj's ``geometry_area_perimeter`` and S2
get zones larger than a hemisphere wrong (a 19,000 km zone around Belarus,
507 million km², comes out negative or as its small complement): the
ring alone does not say which side is meant.

georange's polygons say it: they are planar polygons in the map rectangle
[-180, 180] x [-90, 90] (cut at the antimeridian, pole caps closed along the
map edge, as :mod:`geo.geodesy.lonlat` draws them), and their planar
interior is the region. So each ring's exact area is taken as the one of
``S + k A`` (``S`` GeographicLib's value, ``A`` the Earth's area) nearest a
rough equal-area estimate of the planar region, which is good to far better
than ``A / 2``. Cut edges cost nothing: an edge along the antimeridian is a
meridian (a geodesic), and an edge along the map's top or bottom edge joins
two names of the same pole.

Edges. GeographicLib reads each edge as a geodesic (so an edge must span
less than 180 degrees of longitude to mean one: an edge along the equator
from -180 to 180 is a single point to it). georange draws its
edges straight in lon/lat (as GeoJSON, GeoPackage and shapefiles mean
them); with ``edges="lonlat"`` each ring is first cut along its lon/lat
segments until the geodesic between consecutive points strays less than
0.5 m from them (:func:`geo.geodesy.densify.densify`), so the area is that of
the region as drawn, to about 0.3 m times the perimeter. A zone drawn
within ``tolerance_m`` of the true boundary then has an area within about
perimeter x ``tolerance_m`` / 2 of the true zone's.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.geodesy.densify import densify
from geo.geodesy.ellipsoid import WGS84

__all__ = ["EARTH_AREA_M2", "polygon_area_m2", "ring_area_m2"]

FloatArray = NDArray[np.float64]


def _earth_area(a: float, f: float) -> float:
    e = math.sqrt(f * (2.0 - f))
    return 2.0 * math.pi * a * a * (1.0 + (1.0 - e * e) / e * math.atanh(e))


EARTH_AREA_M2: Final = _earth_area(WGS84.a, WGS84.f)
"""Area of the WGS84 ellipsoid, 510,065,621.7 km²."""
_AUTHALIC_R2: Final = EARTH_AREA_M2 / (4.0 * math.pi)
_LONLAT_TOL_M: Final = 0.5


def _planar_estimate(lon: FloatArray, lat: FloatArray) -> float:
    """Area of the planar lon/lat ring on a sphere of the Earth's area (Lambert cylindrical equal-area), signed."""
    x, y = np.radians(lon), np.sin(np.radians(lat))
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)) * _AUTHALIC_R2


def ring_area_m2(lon: FloatArray, lat: FloatArray, *, edges: str = "geodesic") -> float:
    """Return the exact area enclosed by a planar lon/lat ring, in m².

    Positive whatever the ring's orientation: the region is the ring's planar
    interior in the map rectangle, whatever its size. ``edges`` says what
    the edges are: ``"geodesic"`` or ``"lonlat"`` (straight in lon/lat).
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    if lon.size > 1 and lon[0] == lon[-1] and lat[0] == lat[-1]:
        lon, lat = lon[:-1], lat[:-1]
    if lon.size < 3:
        return 0.0
    if edges == "lonlat":
        lon, lat = densify(np.column_stack([lon, lat]), tolerance_m=_LONLAT_TOL_M, edges="lonlat").T
    elif edges != "geodesic":
        raise ValueError(f"edges={edges!r}; expected 'geodesic' or 'lonlat'")
    estimate = _planar_estimate(lon, lat)
    exact, _ = WGS84.polygon_area_perimeter(lon, lat)
    # The planar estimate has the ring's orientation; make both counter-clockwise.
    sign = 1.0 if estimate >= 0.0 else -1.0
    exact, estimate = sign * exact, sign * estimate
    k = round((estimate - exact) / EARTH_AREA_M2)
    return float(exact + k * EARTH_AREA_M2)


def polygon_area_m2(geometry: BaseGeometry, *, edges: str = "geodesic") -> float:
    """Return the exact area of a lon/lat Polygon or MultiPolygon in the map rectangle, in m² (0 if empty).

    ``edges``: ``"geodesic"`` (GeographicLib's reading) or ``"lonlat"`` (as drawn).
    """
    total = 0.0
    for part in shapely.get_parts(geometry):
        if part.is_empty or part.geom_type != "Polygon":
            continue
        rings = [part.exterior, *part.interiors]
        areas = [ring_area_m2(*np.asarray(r.coords)[:, :2].T, edges=edges) for r in rings]
        total += areas[0] - sum(areas[1:])
    return total
