"""Exact areas of lon/lat polygons of any size (geo.geodesy.area), against closed forms and GeographicLib.

- the Earth, a hemisphere and the region south of a parallel against the
  closed form for a zone of the ellipsoid between two parallels;
- a polygon larger than a hemisphere against the Earth minus its complement,
  computed by GeographicLib (geographiclib, not pyproj) on the complement's ring;
- straight lon/lat edges (``edges="lonlat"``) against the closed form: a
  parallel is not a geodesic.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from geo.geodesy.area import EARTH_AREA_M2, polygon_area_m2, ring_area_m2
from geo.geodesy.densify import densify
from geo.geodesy.ellipsoid import WGS84, geodesic_distance

A, F = Geodesic.WGS84.a, Geodesic.WGS84.f
E2 = F * (2 - F)
E = math.sqrt(E2)
B2 = (A * (1 - F)) ** 2


def south_of(lat_deg: float) -> float:
    """Area of the ellipsoid south of a parallel (closed form), m²."""
    s = math.sin(math.radians(lat_deg))
    zone = math.pi * B2 * (s / (1 - E2 * s * s) + math.log((1 + E * s) / (1 - E * s)) / (2 * E))
    return EARTH_AREA_M2 / 2 + zone


def geographiclib_area(lon, lat) -> float:
    poly = Geodesic.WGS84.Polygon()
    for x, y in zip(lon, lat, strict=True):
        poly.AddPoint(y, x)
    _, _, area = poly.Compute(False, True)
    return area


def test_earth_area_matches_the_closed_form():
    assert EARTH_AREA_M2 == pytest.approx(south_of(90.0), rel=1e-15)
    assert EARTH_AREA_M2 / 1e6 == pytest.approx(510_065_621.724, abs=1e-3)


@pytest.mark.parametrize("edges", ["geodesic", "lonlat"])
def test_whole_earth_and_hemispheres(edges):
    # Their edges are meridians and the poles: geodesics, so both readings agree.
    assert polygon_area_m2(shapely.box(-180, -90, 180, 90), edges=edges) == pytest.approx(EARTH_AREA_M2, rel=1e-12)
    assert polygon_area_m2(shapely.box(-180, -90, 0, 90), edges=edges) == pytest.approx(EARTH_AREA_M2 / 2, rel=1e-12)
    # The equator as one edge of 360 degrees is no geodesic (its ends coincide); cut in pieces, it is.
    south = shapely.segmentize(shapely.box(-180, -90, 180, 0), 90.0)
    assert polygon_area_m2(south, edges=edges) == pytest.approx(EARTH_AREA_M2 / 2, rel=1e-12)


@pytest.mark.parametrize("lat", [-60.0, 10.0, 45.0, 89.0])
def test_straight_lonlat_edges_along_a_parallel(lat):
    box = shapely.box(-180, -90, 180, lat)  # larger than a hemisphere for lat > 0
    got = polygon_area_m2(box, edges="lonlat")
    perimeter = 2 * math.pi * A * math.cos(math.radians(lat))
    assert abs(got - south_of(lat)) <= perimeter * 0.5  # the densified chords stay within 0.5 m of the parallel


def test_larger_than_a_hemisphere_is_the_earth_minus_its_complement():
    # A 19,000 km disk round Krichev: the complement is a small cap round the antipode.
    az = np.linspace(0.0, 360.0, 4000, endpoint=False)
    lon, lat, _ = WGS84.fwd(np.full(az.size, 31.9172), np.full(az.size, 53.7347), az, np.full(az.size, 19e6))
    hole = shapely.Polygon(np.column_stack([lon, lat]))
    assert hole.is_valid  # the antipodal cap does not cross the antimeridian here
    zone = shapely.Polygon(shapely.box(-180, -90, 180, 90).exterior.coords, [hole.exterior.coords])
    complement = abs(geographiclib_area(lon, lat))
    assert polygon_area_m2(zone) == pytest.approx(EARTH_AREA_M2 - complement, rel=1e-13)
    # The ring alone, as pyproj and QGIS read it, gives the small side (or its negative).
    assert abs(WGS84.geometry_area_perimeter(zone)[0]) < 0.02 * EARTH_AREA_M2


def test_orientation_does_not_matter_and_holes_subtract():
    ring = np.array([[10.0, 10.0], [20.0, 10.0], [20.0, 20.0], [10.0, 20.0]])
    ccw = ring_area_m2(ring[:, 0], ring[:, 1])
    assert ccw == ring_area_m2(ring[::-1, 0], ring[::-1, 1]) > 0
    assert ccw == pytest.approx(abs(geographiclib_area(ring[:, 0], ring[:, 1])), rel=1e-14)
    donut = shapely.Polygon(shapely.box(0, 0, 40, 40).exterior.coords, [ring])
    assert polygon_area_m2(donut) == pytest.approx(polygon_area_m2(shapely.box(0, 0, 40, 40)) - ccw, rel=1e-13)
    assert polygon_area_m2(shapely.Polygon()) == 0.0


def test_lonlat_densify_keeps_points_on_the_segment_and_great_circles_near_it():
    xy = np.array([[-170.0, 70.0], [170.0, 75.0], [190.0, 60.0]])  # unwrapped: the last edge crosses 180
    out = densify(xy, tolerance_m=2.0, closed=False, edges="lonlat")
    assert np.array_equal(out[0], xy[0]) and np.array_equal(out[-1], xy[-1])
    assert len(out) > 10 * len(xy)
    # Every new point lies on its straight lon/lat segment.
    for a, b in zip(xy[:-1], xy[1:], strict=True):
        on = out[(out[:, 0] >= min(a[0], b[0])) & (out[:, 0] <= max(a[0], b[0]))]
        t = (on[:, 0] - a[0]) / (b[0] - a[0])
        np.testing.assert_allclose(on[:, 1], a[1] + t * (b[1] - a[1]), atol=1e-9)
    # The great circle between neighbours passes within the tolerance of the segment's middle.
    lon1, lat1, lon2, lat2 = out[:-1, 0], out[:-1, 1], out[1:, 0], out[1:, 1]
    azi, _, dist = WGS84.inv(lon1, lat1, lon2, lat2)
    mlon, mlat, _ = WGS84.fwd(lon1, lat1, azi, np.asarray(dist) / 2)
    assert geodesic_distance(mlon, mlat, (lon1 + lon2) / 2, (lat1 + lat2) / 2).max() <= 2.0
