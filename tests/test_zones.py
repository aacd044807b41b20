"""Zones against exact distances: every sampled point farther than the tolerance from the
true boundary is classified like the distance engine says, for a catalogue of hard cases."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geo.analysis.bands import RangeBand, source_intervals
from geo.analysis.launch import LaunchPoint, parse_launch
from geo.analysis.status import classify, status_names
from geo.analysis.zones import dead_zone, reach_zone, reachable_zone, zones

from cases import KRICHEV, ZONE_CASES, ZONE_TOL_M

GEOD = Geod(ellps="WGS84")
def sample_points(geometry, rng, n_near=12_000, n_uniform=6_000, spread_m=3_000.0):
    """Points scattered around the drawn boundary (most within a few km) and over the whole globe."""
    pts = [np.array([[0.0, 90.0], [0.0, -90.0], [180.0, 0.0], [-180.0, 0.0]])]
    if geometry.is_empty:
        n_uniform += n_near
    else:
        b = shapely.get_coordinates(geometry.boundary)
        b = b[(np.abs(b[:, 0]) < 180.0) & (np.abs(b[:, 1]) < 90.0)]  # not the cut lines
        i = rng.integers(0, len(b), n_near)
        x, y, _ = GEOD.fwd(b[i, 0], b[i, 1], rng.uniform(0, 360, n_near), rng.exponential(spread_m, n_near))
        pts.append(np.column_stack([x, y]))
    lon = rng.uniform(-180, 180, n_uniform)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n_uniform)))
    pts.append(np.column_stack([lon, lat]))
    return np.vstack(pts)


def exact_membership(sources, band, role, lon, lat):
    """Exact truth and the distance (m) of each point's deciding value from its threshold."""
    _, lo, hi = source_intervals(sources, lon, lat)
    if role == "reach":
        g = lo.min(axis=0)
        return g <= band.max_m, np.abs(g - band.max_m)
    if role == "dead_zone":
        g = hi.max(axis=0)
        return g < band.min_m, np.abs(g - band.min_m)
    status = status_names(classify(lo, hi, band.min_m, band.max_m)[0])
    margin = np.minimum(np.abs(lo - band.max_m), np.abs(hi - band.min_m)).min(axis=0)
    return status == "reachable", margin


def drawn_membership(geometry, lon, lat):
    if geometry.is_empty:
        return np.zeros(lon.size, dtype=bool)
    return shapely.intersects_xy(geometry, lon, lat)


def assert_rfc7946(geometry):
    if geometry.is_empty:
        return
    assert geometry.geom_type in ("Polygon", "MultiPolygon")
    assert geometry.is_valid, shapely.is_valid_reason(geometry)
    xy = shapely.get_coordinates(geometry)
    assert np.all(np.abs(xy[:, 0]) <= 180.0) and np.all(np.abs(xy[:, 1]) <= 90.0)
    for poly in shapely.get_parts(geometry):
        assert poly.exterior.is_ccw
        assert all(not ring.is_ccw for ring in poly.interiors)
        # split at the antimeridian: no edge jumps across the map, except along a pole cap's edge
        ring = np.asarray(poly.exterior.coords)
        jump = np.abs(np.diff(ring[:, 0])) > 180.0
        at_pole = (np.abs(ring[:-1, 1]) == 90.0) & (ring[1:, 1] == ring[:-1, 1])
        assert not (jump & ~at_pole).any()


@pytest.fixture(scope="module")
def built():
    cache = {}

    def get(name):
        if name not in cache:
            make, lo, hi = ZONE_CASES[name]
            sources = make()
            band = RangeBand(lo, hi)
            cache[name] = (sources, band, {z.role: z for z in zones(sources, band)})
        return cache[name]

    return get


@pytest.mark.parametrize("name", sorted(ZONE_CASES))
def test_zone_agrees_with_exact_distances_outside_the_tolerance_band(name, built):
    sources, band, by_role = built(name)
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    for role, zone in by_role.items():
        assert_rfc7946(zone.geometry)
        pts = sample_points(zone.geometry, rng)
        truth, margin = exact_membership(sources, band, role, pts[:, 0], pts[:, 1])
        drawn = drawn_membership(zone.geometry, pts[:, 0], pts[:, 1])
        wrong = (drawn != truth) & (margin > ZONE_TOL_M)
        assert not wrong.any(), f"{name} {role}: {wrong.sum()} points misclassified, e.g. {pts[wrong][:3]}"
        near = (margin < 1_000.0).sum()
        assert len(pts) >= 10_000 and (near >= 2_000 or zone.geometry.is_empty)


@pytest.mark.parametrize("name", sorted(ZONE_CASES))
def test_drawn_vertices_lie_on_the_true_boundary(name, built):
    sources, band, by_role = built(name)
    for role in ("reach", "dead_zone"):
        geometry = by_role[role].geometry
        if geometry.is_empty:
            continue
        xy = shapely.get_coordinates(geometry.boundary)
        xy = xy[(np.abs(xy[:, 0]) < 180.0) & (np.abs(xy[:, 1]) < 90.0)]
        _, margin = exact_membership(sources, band, role, xy[:, 0], xy[:, 1])
        assert margin.max() <= ZONE_TOL_M


def test_belarus_reach_holds_the_north_pole_and_the_dead_zone_is_an_intersection(built):
    _, _, by_role = built("belarus-700-5000")
    reach = by_role["reach"].geometry
    assert reach.intersects(shapely.Point(0.0, 90.0)) and reach.intersects(shapely.Point(-180.0, 90.0))
    dead = by_role["dead_zone"].geometry
    # much smaller than the 700 km buffer of Belarus (it is an intersection of disks)
    assert dead.area < 0.25 * reach_zone([parse_launch("BLR")], 700).area
    kyiv = shapely.Point(30.5234, 50.4501)
    assert dead.contains(kyiv) and not by_role["reachable"].geometry.contains(kyiv)


def test_statuses_of_places_match_the_zones():
    # The zones and `georange reach` decide the same way for every capital.
    from geo.reference.places import capitals

    caps = capitals()
    lon = np.array([c.lon for c in caps])
    lat = np.array([c.lat for c in caps])
    sources, band = [parse_launch("BLR")], RangeBand(700, 5000)
    z = {zz.role: zz.geometry for zz in zones(sources, band)}
    _, lo, hi = source_intervals(sources, lon, lat)
    codes, margin, _ = classify(lo, hi, band.min_m, band.max_m)
    status = status_names(codes)
    clear = margin > ZONE_TOL_M
    assert np.array_equal(drawn_membership(z["reachable"], lon, lat)[clear], (status == "reachable")[clear])
    assert np.array_equal(drawn_membership(z["dead_zone"], lon, lat)[clear], (status == "too_close")[clear])


def test_tolerance_trades_size_for_accuracy():
    coarse = reach_zone([KRICHEV], 5000, tolerance_m=100)
    fine = reach_zone([KRICHEV], 5000, tolerance_m=1)
    assert shapely.get_num_coordinates(fine) > 3 * shapely.get_num_coordinates(coarse)
    rng = np.random.default_rng(7)
    pts = sample_points(fine, rng, spread_m=200.0)
    truth, margin = exact_membership([KRICHEV], RangeBand(0, 5000), "reach", pts[:, 0], pts[:, 1])
    assert not ((drawn_membership(fine, pts[:, 0], pts[:, 1]) != truth) & (margin > 1.0)).any()


def test_empty_and_whole_earth_zones():
    assert dead_zone([KRICHEV], 0).is_empty
    assert dead_zone([parse_launch("BLR")], 200).is_empty  # no point is within 200 km of all of Belarus
    whole = reach_zone([KRICHEV], 20004)
    assert whole.area == pytest.approx(360.0 * 180.0)


@settings(max_examples=25, deadline=None)
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-89.9, 89.9),
    r_km=st.floats(1.0, 19_000.0),
)
@example(lon=179.9, lat=0.0, r_km=3000.0)
@example(lon=0.0, lat=89.9, r_km=500.0)
@example(lon=-170.0, lat=-60.0, r_km=10_010.0)
def test_ring_vertices_lie_at_the_radius(lon, lat, r_km):
    zone = reach_zone([LaunchPoint("p", lon, lat)], r_km)
    assert_rfc7946(zone)
    xy = shapely.get_coordinates(zone.boundary)
    xy = xy[(np.abs(xy[:, 0]) < 180.0) & (np.abs(xy[:, 1]) < 90.0)]
    d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])[2]
    assert np.abs(d - r_km * 1000).max() <= ZONE_TOL_M
    # the site is inside, its antipode outside
    assert zone.intersects(shapely.Point(lon, lat))


@settings(max_examples=15, deadline=None)
@given(lon=st.floats(-180, 180), lat=st.floats(-85, 85), r1=st.floats(10, 9_000), extra=st.floats(1, 5_000))
def test_smaller_radius_zone_is_covered_by_larger(lon, lat, r1, extra):
    site = [LaunchPoint("p", lon, lat)]
    small, large = reach_zone(site, r1), reach_zone(site, r1 + extra)
    xy = shapely.get_coordinates(small.boundary)
    xy = xy[(np.abs(xy[:, 0]) < 180.0) & (np.abs(xy[:, 1]) < 90.0)]
    assert shapely.intersects_xy(large, xy[:, 0], xy[:, 1]).all()


@settings(max_examples=10, deadline=None)
@given(fx=st.floats(0, 1), fy=st.floats(0, 1), r_km=st.floats(400, 3_000))
def test_dead_zone_of_an_area_is_covered_by_each_points_dead_zone(fx, fy, r_km):
    belarus = parse_launch("BLR")
    x0, y0, x1, y1 = belarus.geometry.bounds
    p = shapely.Point(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0))
    if not belarus.geometry.contains(p):
        p = belarus.geometry.representative_point()
    dead = dead_zone([belarus], r_km)
    if dead.is_empty:
        return
    xy = shapely.get_coordinates(dead.boundary)
    d = GEOD.inv(np.full(len(xy), p.x), np.full(len(xy), p.y), xy[:, 0], xy[:, 1])[2]
    assert d.max() <= r_km * 1000 + ZONE_TOL_M


def test_reachable_zone_of_far_apart_parts_is_decided_per_part():
    # Two sites 2,800 km apart, 700-2,000 km: Minsk is within 700 km of Krichev
    # and beyond 2,000 km of Lisbon: not reachable, yet it lies in the reach and outside the dead zone.
    sources = [KRICHEV, LaunchPoint("Lisbon", -9.14, 38.72)]
    band = RangeBand(700, 2000)
    reachable = reachable_zone(sources, band)
    minsk = shapely.Point(27.5667, 53.9)
    assert reach_zone(sources, 2000).contains(minsk) and not dead_zone(sources, 700).contains(minsk)
    assert not reachable.contains(minsk)


def test_mixed_places_lie_in_the_reach_outside_the_reachable_zone_and_the_dead_zone(built):
    # Two sites 3,300 km apart at 700-2,000 km: near either site a place is too close to it and beyond
    # reach of the other (mixed); the dead zone is empty. Statuses from geographiclib, not from geo.
    from geographiclib.geodesic import Geodesic

    sources, band, by_role = built("two-sites-far-apart")
    rng = np.random.default_rng(11)
    pts = sample_points(by_role["reachable"].geometry, rng, n_near=3_000, n_uniform=3_000, spread_m=20_000.0)
    d = np.array([[Geodesic.WGS84.Inverse(s.lat, s.lon, y, x)["s12"] for s in sources] for x, y in pts])
    reach_any = ((d >= band.min_m) & (d <= band.max_m)).any(axis=1)
    status = np.where(reach_any, "reachable", np.where((d < band.min_m).all(axis=1), "too_close",
                      np.where((d > band.max_m).all(axis=1), "too_far", "mixed")))
    clear = np.minimum(np.abs(d - band.min_m), np.abs(d - band.max_m)).min(axis=1) > ZONE_TOL_M
    inside = {role: drawn_membership(by_role[role].geometry, pts[:, 0], pts[:, 1]) for role in by_role}
    mixed_zone = inside["reach"] & ~inside["reachable"] & ~inside["dead_zone"]
    assert (status == "mixed").sum() > 200
    assert np.array_equal(mixed_zone[clear], (status == "mixed")[clear])
    assert np.array_equal(~inside["reach"][clear], (status == "too_far")[clear])
    # geo's own classification agrees with the oracle everywhere
    _, lo, hi = source_intervals(sources, pts[:, 0], pts[:, 1])
    assert np.array_equal(status_names(classify(lo, hi, band.min_m, band.max_m)[0]), status)
