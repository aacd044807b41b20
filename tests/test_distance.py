"""The distance engine against the independent brute-force oracle."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import example, given, settings
from hypothesis import strategies as st

from geo.errors import InvalidCoordinateError, InvalidGeometryError
from geo.geodesy.distance import LaunchArea, distances_to_points
from geo.geodesy.ellipsoid import HALF_MERIDIAN_M

from cases import AREAS, DIST_TOL_M, area, hard_targets, random_targets, sphere_points
from conftest import shaped
from oracle import BruteForce

GL = Geodesic.WGS84


@cache
def engine(name):
    return LaunchArea(area(name), name=name)


@cache
def oracle(name):
    return BruteForce(area(name))


@pytest.mark.parametrize("name", AREAS)
def test_hard_targets_match_oracle(name):
    targets = hard_targets(name)
    lon = np.array([t[0] for t in targets.values()])
    lat = np.array([t[1] for t in targets.values()])
    lo, hi = engine(name).distances(lon, lat)
    for i, case in enumerate(targets):
        ref_lo, ref_hi = oracle(name).distances(lon[i], lat[i])
        assert lo[i] == pytest.approx(ref_lo, abs=DIST_TOL_M), f"{name}/{case}: min"
        assert hi[i] == pytest.approx(ref_hi, abs=DIST_TOL_M), f"{name}/{case}: max"


@pytest.mark.parametrize("name", AREAS)
def test_random_targets_match_oracle(name):
    lon, lat = random_targets(name, 45, seed=sum(map(ord, name)))
    lo, hi = engine(name).distances(lon, lat)
    ref = np.array([oracle(name).distances(a, b) for a, b in zip(lon, lat, strict=True)])
    np.testing.assert_allclose(lo, ref[:, 0], atol=DIST_TOL_M, rtol=0)
    np.testing.assert_allclose(hi, ref[:, 1], atol=DIST_TOL_M, rtol=0)


def test_inside_and_antipode_inside_are_exact():
    a = engine("launch-area-belarus")
    lo, hi = a.distances([27.56, 27.56 - 180.0], [53.9, -53.9])  # Minsk and its antipode
    assert lo[0] == 0.0
    assert hi[1] == HALF_MERIDIAN_M
    assert lo[1] > 19_000_000.0


def test_north_pole_cap_contains_pole():
    a = engine("encloses-north-pole")
    lo, hi = a.distances([0.0, 123.0, 0.0], [90.0, 85.0, -85.0])
    assert lo[0] == 0.0 and lo[1] == 0.0
    assert hi[2] == HALF_MERIDIAN_M  # its antipode (85 N) lies in the cap


def test_multipolygon_parts_are_both_used():
    a = engine("multipolygon-two-parts")
    lo, hi = a.distances([-8.0, 27.56], [39.5, 53.9])  # inside the Portuguese square; Minsk
    assert lo.tolist() == [0.0, 0.0]
    assert hi[0] > 3_000_000  # Belarus is far from Portugal: the max comes from the other part


def test_minimum_never_exceeds_any_vertex_and_max_is_at_least_every_vertex():
    a = engine("launch-area-belarus")
    g = area("launch-area-belarus")
    v = np.asarray(g.exterior.coords)[::7]
    lon, lat = random_targets("launch-area-belarus", 60, seed=9)
    lo, hi = a.distances(lon, lat)
    d = distances_to_points(lon, lat, v[:, 0], v[:, 1])
    assert np.all(lo <= d.min(axis=1) + 1e-6)
    assert np.all(hi >= d.max(axis=1) - 1e-6)


def test_scalars_arrays_and_one_element_arrays(shape_kind):
    a = engine("launch-area-belarus")
    lo, hi = a.distances(shaped([21.0118], shape_kind), shaped([52.2298], shape_kind))
    ref = oracle("launch-area-belarus").distances(21.0118, 52.2298)
    assert np.shape(lo) == np.shape(shaped([0.0], shape_kind))
    assert float(np.ravel(lo)[0]) == pytest.approx(ref[0], abs=DIST_TOL_M)
    assert float(np.ravel(hi)[0]) == pytest.approx(ref[1], abs=DIST_TOL_M)


def test_bad_targets_are_refused():
    a = engine("launch-area-belarus")
    with pytest.raises(InvalidCoordinateError, match=r"latitude 95\.0 must be"):
        a.distances([0.0], [95.0])
    with pytest.raises(InvalidCoordinateError, match="longitude nan"):
        a.distances([np.nan], [0.0])


def test_bad_areas_are_refused():
    with pytest.raises(InvalidGeometryError, match="Polygon or MultiPolygon, got Point"):
        LaunchArea(shapely.Point(0, 0))
    with pytest.raises(InvalidGeometryError, match="antimeridian"):
        LaunchArea(shapely.Polygon([(170, 0), (-170, 0), (-170, 5), (170, 5)]))
    with pytest.raises(InvalidGeometryError, match="empty"):
        LaunchArea(shapely.Polygon())


lat_st = st.floats(-90, 90, allow_nan=False)
lon_st = st.floats(-180, 180, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(lon=lon_st, lat=lat_st, slon=lon_st, slat=lat_st)
@example(lon=0.0, lat=0.0, slon=180.0, slat=0.0)  # exact antipodes on the equator
@example(lon=10.0, lat=90.0, slon=-170.0, slat=-90.0)  # pole to pole
def test_point_distances_agree_with_geographiclib(lon, lat, slon, slat):
    d = distances_to_points([lon], [lat], [slon], [slat])[0, 0]
    assert d == pytest.approx(GL.Inverse(lat, lon, slat, slon)["s12"], abs=1e-6)


@settings(max_examples=120, deadline=None)
@given(lon=st.floats(22.0, 34.0), lat=st.floats(50.5, 57.0))
@example(lon=28.1110, lat=56.1568)  # Belarus's northern tip
def test_min_is_zero_exactly_when_covered_and_below_max(lon, lat):
    a = engine("launch-area-belarus")
    lo, hi = a.distances([lon], [lat])
    covered = bool(a.contains([lon], [lat])[0])
    assert (lo[0] == 0.0) == covered
    assert lo[0] <= hi[0]


@settings(max_examples=60, deadline=None)
@given(lon=lon_st, lat=lat_st)
def test_min_max_bracket_every_boundary_sample(lon, lat):
    a = engine("crosses-antimeridian-fiji")
    g = area("crosses-antimeridian-fiji")
    pts = np.concatenate([np.asarray(p.exterior.coords) for p in g.geoms])[::5]
    lo, hi = a.distances([lon], [lat])
    d = distances_to_points([lon], [lat], pts[:, 0], pts[:, 1])
    assert lo[0] <= d.min() + 1e-6
    assert hi[0] >= d.max() - 1e-6


@pytest.mark.parametrize("farthest", [False, True])
def test_extreme_points_are_at_the_reported_distance_on_the_boundary(farthest):
    geometry = area("launch-area-belarus")
    launch = LaunchArea(geometry)
    lon, lat = random_targets("launch-area-belarus", 300, seed=11)
    dist, px, py = launch.extremes(lon, lat, farthest=farthest)
    gl = np.array([Geodesic.WGS84.Inverse(b, a, y, x)["s12"] for a, b, x, y in zip(lon, lat, px, py, strict=True)])
    assert np.abs(gl - dist).max() < 1e-3
    # edges are geodesics, drawn here as straight lon/lat lines: a few metres apart at most
    on_boundary = shapely.distance(geometry.boundary, shapely.points(px, py)) < 1e-4  # degrees, ~10 m
    covered = (dist == 0.0) | (dist == HALF_MERIDIAN_M)  # the target itself, or its antipode
    assert np.all(on_boundary | covered)
    assert on_boundary.sum() > 150


@pytest.mark.parametrize("name", AREAS)
def test_the_vertex_shortcut_agrees_with_refining_every_edge(name, monkeypatch):
    # _refine settles a pair at an end vertex from one exact solution and the sign of the derivative
    # into the edge; with the shortcut switched off every pair is refined by extremum_on_geodesic.
    # Both must give the same distances (to a tenth of a millimetre) on targets near the area, near
    # its antipode and anywhere, and the shortcut must actually settle most vertex pairs.
    import geo.geodesy.distance as distance

    lon, lat = random_targets(name, 6000, seed=3)
    settled = []
    refine = distance.LaunchArea._refine

    def counting(self, *args, **kwargs):
        t, d = refine(self, *args, **kwargs)
        length = self._edges.length_m[args[4]]
        settled.append(float(np.mean((t == 0.0) | (t == length))))
        return t, d

    monkeypatch.setattr(distance.LaunchArea, "_refine", counting)
    fast = LaunchArea(area(name)).distances(lon, lat)
    assert np.mean(settled) > 0.3
    monkeypatch.setattr(distance, "CONVEX_M", -1.0)
    monkeypatch.setattr(distance, "CONCAVE_M", np.inf)
    slow = LaunchArea(area(name)).distances(lon, lat)
    np.testing.assert_allclose(fast[0], slow[0], atol=1e-4, rtol=0)
    np.testing.assert_allclose(fast[1], slow[1], atol=1e-4, rtol=0)


@pytest.mark.parametrize("name", AREAS)
def test_hull_vertices_give_the_nearest_distance_beyond_the_concave_limit(name, monkeypatch):
    # Where the whole area lies beyond CONCAVE_M of a target, _nearest takes the best hull vertex
    # (the distance is concave there). Without the hull every target goes through the candidate
    # search and the exhaustive path: both must give the same distances, and the hull must have
    # settled the far targets (those not handed on to _extreme).
    import geo.geodesy.distance as distance

    lon, lat = random_targets(name, 6000, seed=5)
    handed_on = []
    extreme = distance.LaunchArea._extreme

    def counting(self, lon, lat, *, farthest, point=True):
        if not farthest:
            handed_on.append(lon.size)
        return extreme(self, lon, lat, farthest=farthest, point=point)

    monkeypatch.setattr(distance.LaunchArea, "_extreme", counting)
    fast = LaunchArea(area(name)).extremes(lon, lat, farthest=False)
    outside = fast[0] > 0.0
    hull = LaunchArea(area(name))._hull
    if hull is not None:  # beyond CONCAVE_M by the cap's diameter (and 100 km for the bounds): the hull's
        far = fast[0] > distance.CONCAVE_M + 2.0 * np.arccos(hull[3]) * 6.4e6 + 1e5
        assert sum(handed_on) <= outside.sum() - far.sum()
        assert far.sum() > (500 if name == "launch-area-belarus" else 20)
    monkeypatch.setattr(distance.LaunchArea, "_hull", property(lambda self: None))
    slow = LaunchArea(area(name)).extremes(lon, lat, farthest=False)
    np.testing.assert_allclose(fast[0], slow[0], atol=1e-4, rtol=0)
    # The point is a vertex at that distance.
    np.testing.assert_allclose(distances_to_points(lon[outside][:200], lat[outside][:200],
                                                   fast[1][outside][:200], fast[2][outside][:200]).diagonal(),
                               fast[0][outside][:200], atol=1e-6, rtol=0)


def test_near_antipodal_nearest_by_vertices_equals_the_edge_search(monkeypatch):
    # Near the antipode of a small area the nearest distance is concave along every edge, so
    # _concave_nearest takes the best vertex. With CONCAVE_M made infinite every target is handed to
    # the edge search (golden sections included): both must give the same distances.
    import geo.geodesy.distance as distance

    calls = []
    edges = distance.LaunchArea._exhaustive_edges

    def counting(self, *args, farthest):
        calls.append(farthest)
        return edges(self, *args, farthest=farthest)

    monkeypatch.setattr(distance.LaunchArea, "_exhaustive_edges", counting)
    monkeypatch.setattr(distance.LaunchArea, "_hull", property(lambda self: None))  # not the hull vertices
    lon, lat = random_targets("launch-area-belarus", 900, seed=12)
    fast = LaunchArea(area("launch-area-belarus")).distances(lon, lat)
    assert False not in calls
    monkeypatch.setattr(distance, "CONCAVE_M", np.inf)
    slow = LaunchArea(area("launch-area-belarus")).distances(lon, lat)
    assert False in calls
    np.testing.assert_allclose(fast[0], slow[0], atol=1e-4, rtol=0)
    np.testing.assert_allclose(fast[1], slow[1], atol=1e-4, rtol=0)


def test_every_pair_of_antipodes_is_the_half_meridian_apart():
    # The near-antipodal bounds (d(T, v) >= H - d(T', v)) and the status screen rest on this: on an
    # oblate ellipsoid the shortest path between antipodes is a meridian. Checked with GeographicLib.
    from geo.geodesy.ellipsoid import antipode

    rng = np.random.default_rng(4)
    lon = rng.uniform(-180.0, 180.0, 400)
    lat = np.r_[np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, 396))), 0.0, 90.0, -89.999, 1e-9]
    alon, alat = antipode(lon, lat)
    s12 = np.array([GL.Inverse(b, a, d, c)["s12"] for a, b, c, d in zip(lon, lat, alon, alat, strict=True)])
    np.testing.assert_allclose(s12, HALF_MERIDIAN_M, atol=1e-6, rtol=0)


def test_lambert_error_bound_holds_against_geographiclib():
    # Every candidate choice rests on this envelope: Lambert's estimate within the bound of the exact
    # distance, on pairs anywhere, short ones, and ones out to 3.0 rad (where the bound ends).
    from pyproj import Geod

    from geo.geodesy.ellipsoid import auxiliary_unit_vectors, lambert_distance, lambert_error_bound

    rng = np.random.default_rng(8)
    n = 60_000
    lon1, lat1 = rng.uniform(-180, 180, n), np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    az, dist = rng.uniform(0, 360, n), np.r_[rng.uniform(0, 20_003e3, n // 2), rng.uniform(0, 3e6, n - n // 2)]
    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon1, lat1, az, dist)
    # A third of the pairs 0.1 to 0.3 rad from each other's antipode, up to the last knot (3.0 rad).
    k = n // 3
    alon, alat = np.where(lon1[:k] > 0, lon1[:k] - 180.0, lon1[:k] + 180.0), -lat1[:k]
    lon2[:k], lat2[:k], _ = Geod(ellps="WGS84").fwd(alon, alat, az[:k], rng.uniform(0.1, 0.3, k) * 6.37e6)
    exact = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[2]
    u1, u2 = auxiliary_unit_vectors(lon1, lat1), auxiliary_unit_vectors(lon2, lat2)
    cos_sigma = np.clip(np.einsum("ij,ij->i", u1, u2), -1.0, 1.0)
    est = lambert_distance(cos_sigma, u1[:, 2], u2[:, 2])
    bound = lambert_error_bound(np.arccos(cos_sigma))
    finite = np.isfinite(bound)
    assert finite.mean() > 0.8 and np.sum(finite & (np.arccos(cos_sigma) > 2.9)) > 3000
    assert np.all(np.abs(est - exact)[finite] <= bound[finite])


def test_lambert_error_bound_is_the_step_function_of_its_knots():
    # The bound is looked up through a uniform grid; it must equal the step function read with a search.
    from geo.geodesy import ellipsoid

    knots, err = ellipsoid._LAMBERT_SIGMA, ellipsoid._LAMBERT_ERR_M
    s = np.r_[np.random.default_rng(2).uniform(0, 3.5, 100_000), knots, np.nextafter(knots, -1.0),
              np.nextafter(knots, 9.0), 0.0, np.pi, 5.0, np.inf, np.nan]
    idx = np.searchsorted(knots, s, side="right")
    expect = np.where(idx < knots.size, err[np.minimum(idx, knots.size - 1)], np.inf)
    np.testing.assert_array_equal(ellipsoid.lambert_error_bound(s), expect)
    assert ellipsoid.lambert_error_bound(np.array([[0.0, 3.0]])).shape == (1, 2)


@pytest.mark.parametrize("name", AREAS)
def test_vertex_certificates_agree_with_the_candidate_search(name, monkeypatch):
    # Where the distance is convex over the hull (nearest) or concave (farthest), _certified settles a
    # target with one hull vertex when every direction into the area turns away from (towards) the
    # target. Without the wedges every such target goes through the candidate search: both must give
    # the same distances, the certificates must have settled most of those targets, and a sample of
    # the certified answers must match the independent oracle.
    import geo.geodesy.distance as distance

    lon, lat = random_targets(name, 6000, seed=21)
    settled = {False: [], True: []}
    certified = distance.LaunchArea._certified

    def counting(self, lon, lat, u, cand, *, farthest):
        done, rows = certified(self, lon, lat, u, cand, farthest=farthest)
        settled[farthest].append((lon[done], lat[done], rows[0]))
        return done, rows

    monkeypatch.setattr(distance.LaunchArea, "_certified", counting)
    monkeypatch.setattr(distance, "_WEDGE_PAIRS_PER_TARGET", 1e12)  # the wedges are built at once
    fast = [LaunchArea(area(name)).extremes(lon, lat, farthest=f) for f in (False, True)]
    before = {f: len(settled[f]) for f in settled}
    monkeypatch.setattr(distance, "_WEDGE_PAIRS_PER_TARGET", 0)  # the wedges never pay: no certificate
    slow = [LaunchArea(area(name)).extremes(lon, lat, farthest=f) for f in (False, True)]
    assert all(x[2].size == 0 for f in settled for x in settled[f][before[f]:])
    for f in (0, 1):
        np.testing.assert_allclose(fast[f][0], slow[f][0], atol=1e-4, rtol=0)
    for farthest in (False, True):
        s_lon, s_lat, s_dist = (np.concatenate(x) for x in zip(*settled[farthest][: before[farthest]], strict=True))
        assert s_lon.size > 200, (farthest, s_lon.size)  # measured 242 to 1,160 of these 6,000 targets
        for i in np.linspace(0, s_lon.size - 1, 12).astype(int):
            ref = oracle(name).distances(s_lon[i], s_lat[i])[1 if farthest else 0]
            assert s_dist[i] == pytest.approx(ref, abs=DIST_TOL_M)


@pytest.mark.parametrize("name", ["launch-area-belarus", "crosses-antimeridian-fiji", "multipolygon-two-parts"])
def test_wedges_hold_every_direction_into_the_area(name):
    # A hull vertex's wedge must contain the exact azimuth from it to every point of the area: the
    # oracle's boundary points every 100 m along the geodesic edges, and random points inside.
    a = LaunchArea(area(name))
    h_lon, h_lat = a._hull[0], a._hull[1]
    centre, half = a._wedges
    assert np.isfinite(half).sum() >= 0.7 * half.size
    o = oracle(name)
    rng = np.random.default_rng(8)
    minx, miny, maxx, maxy = o.inside_geom.bounds
    x, y = rng.uniform(minx, maxx, 20_000), rng.uniform(miny, maxy, 20_000)
    inside = shapely.contains_xy(o.inside_geom, x, y)
    lon, lat = np.r_[o.lon, x[inside]], np.r_[o.lat, y[inside]]
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    widest = 0.0
    for i in np.flatnonzero(np.isfinite(half)):
        az, _, d = geod.inv(np.full(lon.size, h_lon[i]), np.full(lon.size, h_lat[i]), lon, lat)
        off = np.abs((np.radians(az[d > 1e-3]) - centre[i] + np.pi) % (2 * np.pi) - np.pi)
        assert off.max() <= half[i] + 1e-9, (i, np.degrees(off.max() - half[i]))
        widest = max(widest, float(off.max() / half[i]))
    assert widest > 0.99  # the wedges are tight, not merely safe


def test_auxiliary_azimuths_are_within_half_the_wedge_pad():
    # _wedges solves exactly only the vertices within _WEDGE_PAD of the ends of the auxiliary-sphere
    # range and widens it by half the pad: that needs the auxiliary azimuth within half the pad of
    # GeographicLib's, for arcs up to 120 degrees (two points of a 60-degree cap), short ones included.
    from pyproj import Geod

    from geo.geodesy.distance import _WEDGE_PAD
    from geo.geodesy.ellipsoid import auxiliary_unit_vectors

    geod = Geod(ellps="WGS84")
    rng = np.random.default_rng(3)
    n = 300_000
    lon1 = rng.uniform(-180.0, 180.0, n)
    lat1 = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    lat1[:2000] = rng.uniform(89.0, 89.9999, 2000) * rng.choice([-1.0, 1.0], 2000)  # near the poles
    arc_m = np.exp(rng.uniform(np.log(1e-2), np.log(2.1 * 6.36e6), n))
    lon2, lat2, _ = geod.fwd(lon1, lat1, rng.uniform(0.0, 360.0, n), arc_m)
    v, x = auxiliary_unit_vectors(lon1, lat1), auxiliary_unit_vectors(lon2, lat2)
    lam = np.radians(lon1)
    east = np.column_stack([-np.sin(lam), np.cos(lam), np.zeros(n)])
    north = np.column_stack([-v[:, 2] * np.cos(lam), -v[:, 2] * np.sin(lam), np.hypot(v[:, 0], v[:, 1])])
    aux = np.arctan2((x * east).sum(axis=1), (x * north).sum(axis=1))
    exact = np.radians(np.asarray(geod.inv(lon1, lat1, lon2, lat2)[0]))
    err = np.abs((exact - aux + np.pi) % (2 * np.pi) - np.pi)
    arc = np.arctan2(np.linalg.norm(np.cross(v, x), axis=1), (v * x).sum(axis=1))
    keep = arc <= np.radians(120.0)
    assert keep.sum() > 0.9 * n
    assert err[keep].max() <= _WEDGE_PAD / 4.0  # measured 0.23 degrees; half the pad is 1 degree


def test_the_antipodal_defect_is_pi_a_less_the_half_meridian():
    # The exhaustive farthest search bounds d(T, x) <= H - d(T', x) + ANTIPODE_DEFECT_M. Measured with
    # GeographicLib (not pyproj): the excess d(T, x) + d(x, T') - H never passes pi a - H, which it
    # reaches for T and x on the equator a quarter apart; the constant is that, doubled.
    from geo.geodesy.distance import ANTIPODE_DEFECT_M

    rng = np.random.default_rng(9)
    worst = 0.0
    for _ in range(4000):
        lon, lat = rng.uniform(-180, 180), np.degrees(np.arcsin(rng.uniform(-1, 1)))
        alon, alat = lon - 180.0 if lon > 0 else lon + 180.0, -lat
        if rng.uniform() < 0.5:  # near the antipode, where the search runs
            p = GL.Direct(alat, alon, rng.uniform(0, 360), rng.uniform(0, 1.5e6))
            xlon, xlat = p["lon2"], p["lat2"]
        else:
            xlon, xlat = rng.uniform(-180, 180), np.degrees(np.arcsin(rng.uniform(-1, 1)))
        excess = GL.Inverse(lat, lon, xlat, xlon)["s12"] + GL.Inverse(alat, alon, xlat, xlon)["s12"] - HALF_MERIDIAN_M
        worst = max(worst, excess)
    equator = 2.0 * GL.Inverse(0.0, 0.0, 0.0, 90.0)["s12"] - HALF_MERIDIAN_M
    assert equator == pytest.approx(np.pi * GL.a - HALF_MERIDIAN_M, abs=1e-6)
    assert 0.5 * equator < worst <= equator + 1e-6
    assert ANTIPODE_DEFECT_M >= 2.0 * equator


def test_near_antipodal_farthest_is_the_same_with_and_without_the_antipodal_bound(monkeypatch):
    # Targets whose antipode is near Belarus (but outside it) take the exhaustive farthest search. Its
    # groups are first bounded through the antipode; with the bound switched off (an infinite defect)
    # every pivot is solved: the distances must agree, with fewer pivots solved.
    import geo.geodesy.distance as distance
    from geo.geodesy.ellipsoid import antipode

    rng = np.random.default_rng(13)
    blr = area("launch-area-belarus")
    minx, miny, maxx, maxy = blr.bounds
    alon, alat = rng.uniform(minx - 4, maxx + 4, 1500), rng.uniform(miny - 3, maxy + 3, 1500)
    alon, alat = alon[~shapely.contains_xy(blr, alon, alat)], alat[~shapely.contains_xy(blr, alon, alat)]
    lon, lat = antipode(alon, alat)
    solved, exhaustive = [], []
    geodesic, chunk = distance.geodesic_distance, distance.LaunchArea._exhaustive_chunk

    def counting_distance(*args):
        solved[-1] += np.broadcast(*args).size
        return geodesic(*args)

    def counting(self, lon, lat, *, farthest):
        exhaustive.append(lon.size)
        return chunk(self, lon, lat, farthest=farthest)

    monkeypatch.setattr(distance, "geodesic_distance", counting_distance)
    monkeypatch.setattr(distance.LaunchArea, "_exhaustive_chunk", counting)
    solved.append(0)
    fast = LaunchArea(blr).extremes(lon, lat, farthest=True)
    assert sum(exhaustive) > 0.5 * lon.size
    monkeypatch.setattr(distance, "ANTIPODE_DEFECT_M", np.inf)
    solved.append(0)
    slow = LaunchArea(blr).extremes(lon, lat, farthest=True)
    np.testing.assert_allclose(fast[0], slow[0], atol=1e-4, rtol=0)
    assert solved[0] < 0.8 * solved[1], solved
    for i in np.linspace(0, lon.size - 1, 8).astype(int):
        assert fast[0][i] == pytest.approx(oracle("launch-area-belarus").distances(lon[i], lat[i])[1], abs=DIST_TOL_M)


def test_the_geodesic_scale_keeps_its_sign_on_either_side_of_the_convex_and_concave_limits():
    # The hull shortcuts, the vertex certificates and the corner rule rest on this: the distance from a
    # target is convex along any geodesic within CONVEX_M (M21 > 0, the geodesic circle curves towards
    # its centre) and concave beyond CONCAVE_M (M21 < 0). GeographicLib's M21 along geodesics from every
    # 10 degrees of latitude in every 10 degrees of azimuth, every 100 km.
    from geo.geodesy.distance import CONCAVE_M, CONVEX_M

    caps = Geodesic.STANDARD | Geodesic.GEODESICSCALE | Geodesic.DISTANCE_IN
    inside = np.r_[np.arange(1e5, CONVEX_M, 1e5), CONVEX_M]
    beyond = np.arange(CONCAVE_M, 1.995e7, 1e5)
    closest = [np.inf, -np.inf]
    for lat in range(-90, 91, 10):
        for az in range(0, 181, 10):
            line = GL.Line(lat, 0.0, az, caps)
            m_in = [line.Position(s, Geodesic.GEODESICSCALE)["M21"] for s in inside]
            m_out = [line.Position(s, Geodesic.GEODESICSCALE)["M21"] for s in beyond]
            assert min(m_in) > 0.0 and max(m_out) < 0.0, (lat, az)
            closest = [min(closest[0], m_in[-1]), max(closest[1], m_out[0])]
    assert 0.0 < closest[0] < 0.1 and -0.1 < closest[1] < 0.0  # the limits are near the zero: not vacuous


def test_the_wedges_are_built_once_enough_targets_ask():
    # Building the wedges solves for every (hull vertex, vertex) pair near the ends of each range: a
    # handful of targets does not pay for it, and goes through the candidate search; many do.
    from geo.geodesy.distance import _WEDGE_PAIRS_PER_TARGET

    a = LaunchArea(area("launch-area-belarus"))
    lon, lat = sphere_points(40_000, seed=3)
    a.distances(lon[:20], lat[:20])
    assert "_wedges" not in a.__dict__
    a.distances(lon, lat)
    assert "_wedges" in a.__dict__
    assert a._certify_asked * _WEDGE_PAIRS_PER_TARGET >= a._hull[0].size * a._edges.lon1.size


@pytest.mark.parametrize("name", AREAS)
def test_the_radius_bound_holds_the_whole_area_and_stays_close(name):
    """LaunchArea.radius_bound (the classifier's balls, the zones' groups) is never below the exact farthest distance.

    Points: the area's vertex mean, a vertex, and points near and far from it; the bound is at most the exact
    farthest distance plus half the longest edge, or the exact value itself where it falls back on the engine.
    """
    launch = LaunchArea(area(name))
    xy = shapely.get_coordinates(launch.geometry)
    lon, lat = random_targets(name, 40, seed=len(name))  # near the area, near its antipode, anywhere
    points = [(float(xy[:, 0].mean()), float(xy[:, 1].mean())), (float(xy[0, 0]), float(xy[0, 1])),
              *zip(lon.tolist(), lat.tolist(), strict=True)]
    half_edge = float(launch._edges.length_m.max()) / 2.0
    for plon, plat in points:
        exact = float(launch.extremes(plon, plat, farthest=True, point=False)[0])
        bound = launch.radius_bound(plon, plat)
        assert exact - 1e-3 <= bound <= exact + half_edge + 1e-3, (plon, plat, exact, bound)
