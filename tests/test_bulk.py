"""Large target sets: the screened classifier, the GeoDataFrame API and population in range.

The screen may only ever decide what the exact engine decides: statuses are
compared with geo.analysis.bands.reach_table on random points, on points placed
metres from a threshold, and with an independent brute force (pyproj for
point launches, the tests/oracle.py brute force for areas).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

import geo
from geo.analysis.api import STATUS_DTYPE
from geo.analysis.bands import RangeBand, reach_table
from geo.analysis.classifier import Classifier
from geo.analysis.launch import LaunchPoint, LaunchRegion, parse_launch
from geo.analysis.population import population_in_range
from geo.analysis.status import Status, status_names
from geo.errors import InvalidCoordinateError, InvalidRangeError

from cases import area, sphere_points
from oracle import BruteForce

GEOD = Geod(ellps="WGS84")
CODES = {s.value: s.code for s in Status}


def exact_codes(sources, band, lon, lat):
    t = reach_table(pd.DataFrame({"name": "", "lat": lat, "lon": lon}), sources, band)
    return t["status"].map(CODES).to_numpy()


LAUNCHES = {
    "belarus": ([parse_launch("BLR")], RangeBand(700, 5000)),
    "two-parts": ([LaunchRegion("two parts", area("multipolygon-two-parts"))], RangeBand(300, 2500)),
    "sites-and-area": (
        [parse_launch("krichev"), parse_launch("64.7,177.5"), parse_launch("FJI")],
        RangeBand(500, 9000),
    ),
    "north-pole-cap": ([LaunchRegion("cap", area("encloses-north-pole"))], RangeBand(1000, 3000)),
}


@pytest.mark.parametrize("case", list(LAUNCHES))
def test_screened_status_equals_the_exact_engine(case):
    sources, band = LAUNCHES[case]
    lon, lat = sphere_points(6000, seed=len(case))
    c = Classifier(sources, band)
    assert np.array_equal(c.status(lon, lat), exact_codes(sources, band, lon, lat))
    # The screen does decide most points (or it would be no faster).
    assert c.screen(lon, lat).mean() > 0.5


@pytest.mark.parametrize("limits_km", [(700, 5000), (1000, 19_500), (18_000, 19_990)])
def test_points_metres_from_the_thresholds_get_the_exact_status(limits_km):
    # Targets 0.5 m, 2 m and 50 m either side of the limits of a point launch: the screen
    # (Lambert's bounds, and the antipode's near the far side) must leave the close ones to exact distances.
    site = parse_launch("krichev")
    band = RangeBand(*limits_km)
    az = np.linspace(-180, 180, 24, endpoint=False)
    dists = 1e3 * np.array(limits_km, dtype=float)[:, None] + np.array([-50, -2, -0.5, 0.5, 2, 50])[None, :]
    a, d = np.meshgrid(az, dists.ravel())
    lon, lat, _ = GEOD.fwd(np.full(a.size, site.lon), np.full(a.size, site.lat), a.ravel(), d.ravel())
    got = Classifier([site], band).status(lon, lat)
    true_d = np.asarray(GEOD.inv(np.full(a.size, site.lon), np.full(a.size, site.lat), lon, lat)[2])
    expect = np.where((true_d >= band.min_m) & (true_d <= band.max_m), 0, np.where(true_d < band.min_m, 1, 2))
    assert np.array_equal(got, expect)


def test_area_statuses_near_the_limits_match_a_brute_force():
    # Points the Belarus screen cannot decide (within its ball of a limit),
    # checked one by one against the independent brute force.
    sources, band = LAUNCHES["belarus"]
    c = Classifier(sources, band)
    lon, lat = sphere_points(20000, seed=5)
    undecided = np.flatnonzero(~c.screen(lon, lat))[:40]
    bf = BruteForce(area("launch-area-belarus"), spacing_m=2000.0)
    got = c.status(lon[undecided], lat[undecided])
    for i, code in zip(undecided, got, strict=True):
        lo, hi = bf.distances(lon[i], lat[i])
        expect = 0 if (lo <= band.max_m and hi >= band.min_m) else (1 if hi < band.min_m else 2)
        assert code == expect, (lon[i], lat[i], lo, hi)


def test_chunks_and_threads_do_not_change_anything(monkeypatch):
    sources, band = LAUNCHES["belarus"]
    lon, lat = sphere_points(9000, seed=11)
    one = Classifier(sources, band, workers=1).status(lon, lat)
    monkeypatch.setattr("geo.analysis.classifier.CHUNK", 1000)
    done = []
    two = Classifier(sources, band, workers=2).status(lon, lat, progress=done.append)
    assert np.array_equal(one, two)
    assert sum(done) == 9000 and len(done) == 9


def test_table_equals_reach_table_exactly():
    sources, band = LAUNCHES["sites-and-area"]
    lon, lat = sphere_points(1500, seed=3)
    ref = reach_table(pd.DataFrame({"name": "", "lat": lat, "lon": lon}), sources, band)
    got = Classifier(sources, band).table(lon, lat)
    for key in ("min_km", "max_km", "margin_km"):
        assert np.array_equal(got[key], ref[key].to_numpy())
    assert status_names(got["status"]).tolist() == ref["status"].tolist()
    assert got["via"].tolist() == ref["via"].tolist()


# -- geo.reach: the GeoDataFrame API ------------------------------------------


def test_reach_on_a_geodataframe_keeps_its_rows_crs_and_columns():
    lon, lat = sphere_points(300, seed=8)
    gdf = gpd.GeoDataFrame({"id": np.arange(300)}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    merc = gdf.to_crs("EPSG:3857").set_index(pd.Index(np.arange(300) * 7))
    out = geo.reach(merc, "Belarus", 700, 5000)
    assert isinstance(out, gpd.GeoDataFrame) and out.crs == merc.crs
    assert out.index.equals(merc.index) and out["id"].tolist() == list(range(300))
    assert out["status"].dtype == STATUS_DTYPE
    frame = pd.DataFrame({"name": "", "lat": lat, "lon": lon})
    expect = reach_table(frame, [parse_launch("BLR")], RangeBand(700, 5000))
    assert out["status"].astype(str).tolist() == expect["status"].tolist()
    assert np.allclose(out["min_km"], expect["min_km"], atol=1e-6)  # Web Mercator round trip moves points by nm


def test_reach_accepts_every_target_form_with_one_answer():
    sites = ["Warsaw", "Kyiv", "Berlin"]
    by_name = geo.reach(sites, "BLR", 700, 5000)
    places = [geo.lookup_place(s) for s in sites]
    lon, lat = [p.lon for p in places], [p.lat for p in places]
    forms = [
        geo.reach((np.array(lon), np.array(lat)), "BLR", 700, 5000),
        geo.reach(pd.DataFrame({"Longitude": lon, "Latitude": lat}), "BLR", 700, 5000),
        geo.reach([shapely.Point(x, y) for x, y in zip(lon, lat, strict=True)], "BLR", 700, 5000),
        geo.reach(gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326"), "BLR", 700, 5000),
    ]
    for f in forms:
        assert f["status"].tolist() == by_name["status"].tolist() == ["reachable", "too_close", "reachable"]
        assert np.array_equal(f["min_km"].to_numpy(), by_name["min_km"].to_numpy())
    scalar = geo.reach((lon[0], lat[0]), "BLR", 700, 5000)
    assert len(scalar) == 1 and scalar["max_km"].iat[0] == by_name["max_km"].iat[0]


def test_reach_accepts_every_launch_form():
    blr = geo.lookup_country("BLR")[2]
    lon, lat = sphere_points(400, seed=2)
    ref = geo.reach((lon, lat), "BLR", 700, 5000)
    for launch in (blr, LaunchRegion("Belarus", blr), gpd.GeoDataFrame(geometry=[blr], crs="EPSG:4326"),
                   gpd.GeoDataFrame(geometry=[blr], crs="EPSG:4326").to_crs("EPSG:3035")):
        got = geo.reach((lon, lat), launch, 700, 5000)
        assert got["status"].tolist() == ref["status"].tolist()
    pts = gpd.GeoDataFrame(geometry=[shapely.Point(31.0, 53.5), shapely.Point(25.0, 52.2)], crs="EPSG:4326")
    got = geo.reach((lon, lat), pts, 0, 1000)
    d = np.asarray(GEOD.inv(np.repeat([31.0, 25.0], 400), np.repeat([53.5, 52.2], 400), np.tile(lon, 2),
                            np.tile(lat, 2))[2]).reshape(2, 400)
    assert np.array_equal(got["status"] == "reachable", (d <= 1e6).any(axis=0))
    assert np.allclose(got["min_km"], d.min(axis=0) / 1000, rtol=0, atol=1e-9)


def test_status_only_equals_the_full_table():
    lon, lat = sphere_points(3000, seed=4)
    full = geo.reach((lon, lat), ["krichev", "BLR"], 100, 2000)
    fast = geo.reach((lon, lat), ["krichev", "BLR"], 100, 2000, distances=False)
    assert list(fast.columns) == ["lon", "lat", "status", "borders", "border_src"]
    assert fast["status"].equals(full["status"])


def test_reach_with_a_system_uses_its_published_figures():
    t = geo.reach(["Warsaw", "Berlin"], "BLR", system="oreshnik")
    s = geo.lookup_system("oreshnik")
    u = geo.reach(["Warsaw", "Berlin"], "BLR", s.min_km.value_km, s.max_km.value_km)
    assert t["status"].tolist() == u["status"].tolist()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"targets": (10.0, 95.0)}, InvalidCoordinateError, "latitude 95"),
        ({"targets": (np.array([1.0, np.nan]), np.array([0.0, 0.0]))}, InvalidCoordinateError, "item 1"),
        ({"targets": gpd.GeoSeries([shapely.LineString([(0, 0), (1, 1)])])}, InvalidCoordinateError, "LineString"),
        ({"targets": pd.DataFrame({"x1": [1.0]})}, InvalidCoordinateError, "lon and lat"),
        ({"min_km": 6000}, InvalidRangeError, "must not exceed"),
        ({"max_km": None}, InvalidRangeError, "max_km is required"),
        ({"launch": []}, InvalidRangeError, "no launch"),
        # A LineString is a launch route now (tests/test_routes.py); a collection is still refused.
        ({"launch": shapely.GeometryCollection([shapely.Point(0, 0)])}, geo.InputFileError, "GeometryCollection"),
    ],
)
def test_reach_refuses_bad_input_with_a_clear_error(kwargs, error, match):
    args = {"targets": (21.0, 52.2), "launch": "BLR", "min_km": 0, "max_km": 5000, **kwargs}
    with pytest.raises(error, match=match):
        geo.reach(args.pop("targets"), args.pop("launch"), **args)


# -- population in range --------------------------------------------------------


def test_population_in_range_from_a_point_matches_a_direct_count():
    from geo.reference.places import load_gazetteer

    g = load_gazetteer()
    site = parse_launch("53.9,27.56")
    p = population_in_range([site], RangeBand(300, 1500))
    d = np.asarray(GEOD.inv(np.full(len(g), site.lon), np.full(len(g), site.lat), g["lon"], g["lat"])[2])
    pop = g["population"].to_numpy(np.int64)
    inside = (d >= 300e3) & (d <= 1500e3)
    assert p.cities == {"reachable": inside.sum(), "too_close": (d < 300e3).sum(), "too_far": (d > 1500e3).sum(),
                        "mixed": 0}  # one launch point: never mixed
    assert p.population["reachable"] == pop[inside].sum() and p.population["too_close"] == pop[d < 300e3].sum()
    assert p.total_cities == len(g)
    assert p.largest["too_close"][0] == "Minsk, BY"


def test_population_zones_partition_the_gazetteer_for_an_area():
    p = population_in_range([parse_launch("BLR")], RangeBand(700, 5000))
    from geo.reference.places import load_gazetteer

    g = load_gazetteer()
    assert p.total_cities == len(g) and sum(p.population.values()) == int(g["population"].sum())
    assert "Kyiv, UA" in p.largest["too_close"] and "Minsk, BY" in p.largest["too_close"]
    assert len(p.lines()) == 3 and p.record()["too_close"]["zone"] == "dead zone"


def test_launch_point_and_region_are_public():
    assert isinstance(parse_launch("krichev"), LaunchPoint)


def test_claim_reports_carry_the_population_in_range(capsys):
    import json

    from geo.cli.main import main

    path = "data/claims/000_oreshnik_belarus.toml"
    assert main(["check", path, "--format", "json", "--no-coverage"]) in (0, 1)
    records = json.loads(capsys.readouterr().out)
    claim = next(r for r in records if r["kind"] == "claim")
    band = RangeBand(claim["min_km"], claim["max_km"])
    expect = population_in_range([parse_launch(s) for s in claim["from"]], band)
    assert claim["population"] == expect.record()
    assert main(["check", path, "--no-coverage"]) in (0, 1)
    table = capsys.readouterr().out
    assert all(line in table for line in expect.lines())
    assert main(["check", path, "--format", "csv", "--no-coverage", "--no-population"]) in (0, 1)
    from geo.outputs.report import from_csv

    rows = from_csv(capsys.readouterr().out)
    assert all(r["population_reachable"] is None for r in rows)


@pytest.mark.parametrize(("lo_km", "hi_km"), [(0, 2000), (300, 500), (1500, 9000)])
def test_large_parts_covered_by_small_balls_keep_every_status(lo_km, hi_km):
    # Russia's mainland: one ball 4,400 km wide leaves most of Eurasia to the exact engine; its small balls
    # must decide much of that, and only what the exact engine decides. Targets: random points, and points
    # near the limits (from boundary vertices, out along random azimuths by the limits +- 50 m and 5 km).
    from geo.analysis.bands import source_intervals
    from geo.analysis.status import classify

    sources = [parse_launch("RUS")]
    band = RangeBand(lo_km, hi_km)
    c = Classifier(sources, band, workers=1)
    assert any(cover is not None for cover in c._covers)
    rng = np.random.default_rng(lo_km + hi_km)
    # Each of 1,500 random points moved along the geodesic from its nearest (farthest) point of the mainland
    # to the limit's distance from it, +- 50 m or 20 km: the mainland is nearest (farthest) there at about that.
    mainland = max(sources[0].parts, key=lambda p: p.geometry.area)
    lon0, lat0 = sphere_points(1500, seed=lo_km + 1)
    farthest = rng.random(1500) < 0.5
    limit = np.where(farthest, band.min_m, band.max_m) if band.min_m else np.full(1500, band.max_m)
    farthest &= band.min_m > 0
    d = np.empty(1500)
    plon, plat = np.empty(1500), np.empty(1500)
    for side in (False, True):
        k = farthest == side
        d[k], plon[k], plat[k] = mainland.extremes(lon0[k], lat0[k], farthest=side)
    az = np.asarray(GEOD.inv(plon, plat, lon0, lat0)[0])
    offsets = rng.choice(np.array([-20_000.0, -50.0, 50.0, 20_000.0]), 1500)
    near_lon, near_lat, _ = GEOD.fwd(plon, plat, az, limit + offsets)
    far_lon, far_lat = sphere_points(1500, seed=lo_km)
    lon, lat = np.r_[near_lon, far_lon], np.r_[near_lat, far_lat]
    _, nearest, farthest = source_intervals(sources, lon, lat)  # every part, exactly
    expect, _, _ = classify(nearest, farthest, band.min_m, band.max_m)
    assert np.array_equal(c.status(lon, lat), expect)
    balls_left = np.flatnonzero(~c.screen(far_lon, far_lat))  # of the random points
    covered, _ = c._screen(far_lon[balls_left], far_lat[balls_left], covers=True)
    assert covered.mean() > 0.5, f"the small balls decided {covered.mean():.0%} of what the large ones left"
