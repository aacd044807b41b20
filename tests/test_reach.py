"""Statuses and margins: semantics on synthetic intervals and on real places."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.analysis.bands import RangeBand, reach_table
from geo.analysis.launch import LaunchPoint, LaunchRegion
from geo.analysis.status import classify, status_names
from geo.errors import InvalidRangeError

from cases import DIST_TOL_M, area
from oracle import BruteForce

KM = 1000.0


def run(nearest_km, farthest_km, lo_km, hi_km):
    n = np.atleast_2d(np.asarray(nearest_km, float)) * KM
    f = np.atleast_2d(np.asarray(farthest_km, float)) * KM
    band = RangeBand(lo_km, hi_km)
    codes, margin, part = classify(n, f, band.min_m, band.max_m)
    return list(status_names(codes)), list(margin / KM), list(part)


@pytest.mark.parametrize(
    ("nearest", "farthest", "expect", "margin"),
    [
        ([100], [600], "too_close", 100),  # all of the area inside the 700 km dead zone
        ([100], [700], "reachable", 0),  # bounds inclusive: exactly at the minimum
        ([5000], [5600], "reachable", 0),  # exactly at the maximum
        ([5000.001], [5600], "too_far", 0.001),
        ([650], [1300], "reachable", 600),  # min(5000-650, 1300-700)
    ],
)
def test_single_part(nearest, farthest, expect, margin):
    status, m, _ = run(nearest, farthest, 700, 5000)
    assert status == [expect]
    assert m[0] == pytest.approx(margin, abs=1e-9)


def test_parts_are_decided_separately_not_on_the_combined_interval():
    # Part A: 0-100 km (too close); part B: 6000-6100 km (too far). The
    # combined interval 0-6100 would wrongly say "reachable".
    status, margin, part = run([[0], [6000]], [[100], [6100]], 700, 5000)
    assert status != ["reachable"]
    # Too close to one part, too far from the other: mixed; it misses the far
    # part by 1000 km and the near part by 600 km: the near part gives the margin.
    assert status == ["mixed"] and margin == [600] and part == [0]
    # Beyond the maximum of every part: too_far, the nearer part decides.
    status, margin, part = run([[5200], [6000]], [[5600], [6100]], 700, 5000)
    assert status == ["too_far"] and margin == [200] and part == [0]
    # In the dead zone of both parts: too_close, the smaller miss decides.
    status, margin, part = run([[0], [200]], [[100], [650]], 700, 5000)
    assert status == ["too_close"] and margin == [50] and part == [1]


def test_best_reaching_part_sets_the_margin():
    status, margin, part = run([[650], [800]], [[1300], [4000]], 700, 5000)
    assert status == ["reachable"]
    assert margin == [3300] and part == [1]  # min(5000-800, 4000-700)


@pytest.mark.parametrize(
    ("lo", "hi", "match"),
    [
        (-1, 10, "min_km -1 must be >= 0"),
        (10, 5, "min_km 10 must not exceed max_km 5"),
        (0, 20_005, "max_km 20005 exceeds 20,004 km"),
        (0, float("nan"), "max_km nan must be a finite"),
        (0, float("inf"), "max_km inf must be a finite"),
        ("0", 10, "min_km '0' must be a number"),
    ],
)
def test_range_band_validation(lo, hi, match):
    with pytest.raises(InvalidRangeError, match=match):
        RangeBand(lo, hi)


def test_reach_table_matches_oracle_statuses_from_belarus():
    blr = area("launch-area-belarus")
    places = pd.DataFrame(
        {
            "name": ["Kyiv", "Warsaw", "Berlin", "Minsk", "Lisbon", "Tokyo"],
            "lat": [50.4501, 52.2298, 52.5244, 53.9, 38.7167, 35.6895],
            "lon": [30.5234, 21.0118, 13.4105, 27.5667, -9.1333, 139.6917],
            "extra": list("abcdef"),
        }
    )
    out = reach_table(places, [LaunchRegion("Belarus", blr, "BLR")], RangeBand(700, 5000))
    bf = BruteForce(blr)
    for row in out.itertuples():
        lo, hi = bf.distances(row.lon, row.lat)
        assert row.min_km * KM == pytest.approx(lo, abs=DIST_TOL_M)
        assert row.max_km * KM == pytest.approx(hi, abs=DIST_TOL_M)
        want = "too_far" if lo > 5e6 else "too_close" if hi < 7e5 else "reachable"
        assert row.status == want, row.name
    assert list(out["status"]) == ["too_close", "reachable", "reachable", "too_close", "reachable", "too_far"]
    assert list(out["extra"]) == list("abcdef")  # extra columns pass through, order kept


def test_several_launch_points():
    places = pd.DataFrame({"name": ["Kyiv"], "lat": [50.4501], "lon": [30.5234]})
    krichev = LaunchPoint("Krichev", 31.9172, 53.7347)
    far = LaunchPoint("far", -9.0, 38.7)
    out = reach_table(places, [krichev, far], RangeBand(700, 2000))
    # Krichev is ~380 km from Kyiv (too close); Lisbon-ish is ~3,400 km (too
    # far). Too close to one, too far from the other: mixed; Krichev misses by least (320 km).
    assert out.loc[0, "status"] == "mixed"
    assert out.loc[0, "via"] == "Krichev"
    assert out.loc[0, "margin_km"] == pytest.approx(700 - out.loc[0, "min_km"], abs=1e-9)
    assert out.loc[0, "min_km"] < 400 < 3000 < out.loc[0, "max_km"]


def test_status_is_one_string_valued_enum() -> None:
    import json

    from geo.analysis.status import STATUSES, Status

    assert [s.value for s in STATUSES] == ["reachable", "too_close", "too_far", "mixed"]
    assert [s.code for s in Status] == [0, 1, 2, 3]
    assert Status.TOO_CLOSE == "too_close" and f"{Status.TOO_FAR}" == "too_far"
    assert json.dumps({Status.REACHABLE: Status.TOO_FAR}) == '{"reachable": "too_far"}'
    assert status_names(np.array([2, 0, 1])).tolist() == ["too_far", "reachable", "too_close"]


def test_the_rule_takes_one_band_per_column() -> None:
    # Verdict robustness asks the rule about many bands for one place at once.
    n = np.array([[100.0], [600.0]])
    f = np.array([[300.0], [900.0]])
    lows = np.array([0.0, 400.0, 950.0, 350.0])
    highs = np.array([50.0, 500.0, 1000.0, 550.0])
    codes, margin, part = classify(n, f, lows, highs)
    assert status_names(codes).tolist() == ["too_far", "mixed", "too_close", "mixed"]
    assert margin.tolist() == [50.0, 100.0, 50.0, 50.0]
    assert part.tolist() == [0, 0, 1, 0]  # ties go to the first part


def test_an_explicit_zero_minimum_overrides_the_system() -> None:
    import geo

    kyiv = ["Kyiv, UA"]
    assert geo.reach(kyiv, "Belarus", system="oreshnik")["status"].tolist() == ["too_close"]
    explicit = geo.reach(kyiv, "Belarus", min_km=0, system="oreshnik")
    assert explicit["status"].tolist() == ["reachable"]
    assert explicit["margin_km"].iloc[0] == pytest.approx(explicit["max_km"].iloc[0])  # farthest - 0 km


def test_gdansk_from_russia_is_mixed_not_too_far() -> None:
    # Issue 15: the Kaliningrad exclave is 63.4-276.4 km from Gdansk, the mainland 629.7 km or more, so no
    # launch point of Russia is 300-500 km away, yet Gdansk is neither too close to all nor too far from all.
    from geographiclib.geodesic import Geodesic

    import geo

    row = geo.reach(["Gdansk, PL"], "RUS", 300, 500).iloc[0]
    assert row["status"] == "mixed"
    assert row["min_km"] == pytest.approx(63.4, abs=0.05)
    assert row["margin_km"] == pytest.approx(300 - 276.4, abs=0.05)  # the exclave misses by least (too close)
    exclave = geo.lookup_country("RUS")[2]
    part = next(p for p in exclave.geoms if p.contains(shapely.Point(20.5, 54.7)))  # Kaliningrad
    far = max(Geodesic.WGS84.Inverse(row["lat"], row["lon"], y, x)["s12"] for x, y in part.exterior.coords)
    assert far / 1000 == pytest.approx(276.4, abs=0.05)
    assert row["via"] == "Russia: Kaliningrad Oblast"  # issue 28: parts named by region, not "Russia part 2"


@pytest.mark.parametrize(("specs", "lo", "hi"), [
    (["RUS"], 0, 2000), (["RUS"], 300, 500), (["IDN"], 100, 1500), (["NOR", "53.9,27.56"], 200, 900),
    (["GBR"], 50, 700), (["JPN"], 0, 300),
])
def test_bounded_parts_give_what_every_part_computed_exactly_gives(specs, lo, hi):
    """Territories of many parts skip parts that cannot decide: every reported value must be unchanged."""
    from geo.analysis.bands import RangeBand, source_intervals
    from geo.analysis.launch import parse_launch
    from geo.analysis.status import classify
    from geo.reference.places import preset_places

    places = preset_places("cities").sample(1500, random_state=7)
    lon, lat = places["lon"].to_numpy(), places["lat"].to_numpy()
    sources = [parse_launch(s) for s in specs]
    band = RangeBand(lo, hi)
    _, n0, f0 = source_intervals(sources, lon, lat)
    _, n1, f1 = source_intervals(sources, lon, lat, band)
    assert np.array_equal(n0.min(axis=0), n1.min(axis=0)) and np.array_equal(f0.max(axis=0), f1.max(axis=0))
    for a, b in zip(classify(n0, f0, band.min_m, band.max_m), classify(n1, f1, band.min_m, band.max_m), strict=True):
        assert np.array_equal(a, b)
    # Every bound holds: a skipped part's filled values bracket its exact ones.
    assert np.all(n1 <= n0 + 1e-6) and np.all(f1 >= f0 - 1e-6)


def test_classify_in_column_blocks_equals_one_column_at_a_time():
    """Many parts make classify work in column blocks; each column must come out as if alone (bands per column)."""
    from geo.analysis.status import classify, column_block

    rng = np.random.default_rng(3)
    parts, n = 213, 3 * column_block(213) + 17
    nearest = rng.uniform(0, 4e6, (parts, n))
    farthest = nearest + rng.uniform(0, 2e6, (parts, n))
    low, high = rng.uniform(0, 2e6, n), rng.uniform(2e6, 5e6, n)
    code, margin, part = classify(nearest, farthest, low, high)
    for j in range(0, n, 97):
        c1, m1, p1 = classify(nearest[:, j:j + 1], farthest[:, j:j + 1], low[j:j + 1], high[j:j + 1])
        assert (code[j], margin[j], part[j]) == (c1[0], m1[0], p1[0])
    scalar = classify(nearest, farthest, 1e6, 3e6)
    single = classify(nearest[:, -1:], farthest[:, -1:], 1e6, 3e6)
    assert all(a[-1] == b[0] for a, b in zip(scalar, single, strict=True))


@pytest.mark.parametrize(("specs", "lo", "hi"), [(["CHN"], 0, 3000), (["IDN"], 100, 1500), (["RUS"], 300, 500)])
def test_status_path_bounds_parts_and_keeps_every_status(specs, lo, hi):
    """The classifier's status path (population in range, --status-only) bounds parts too: same statuses."""
    from geo.analysis.bands import RangeBand, source_intervals
    from geo.analysis.classifier import Classifier
    from geo.analysis.launch import parse_launch
    from geo.analysis.status import classify
    from geo.reference.places import preset_places

    places = preset_places("cities").sample(3000, random_state=11)
    lon, lat = places["lon"].to_numpy(), places["lat"].to_numpy()
    sources = [parse_launch(s) for s in specs]
    band = RangeBand(lo, hi)
    _, n0, f0 = source_intervals(sources, lon, lat)  # every part, exactly
    expect, _, _ = classify(n0, f0, band.min_m, band.max_m)
    assert np.array_equal(Classifier(sources, band, workers=1).status(lon, lat), expect)
