"""Reach on the turning Earth (--earth-rotation): statuses and zones from launch points.

Places near the limit are checked against the integration oracle of
tests/flight_oracle.py, which shares no code with the model: it searches the
launch azimuth and elevation (Nelder-Mead on integrated flights at the
system's burnout speed) for the flight that lands nearest the place. A
place within reach is hit (a miss under 1 km); one beyond is missed by
about its distance beyond the limit.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import shapely
from flight_oracle import G, integrate_inertial, metres
from scipy.optimize import minimize

from geo.analysis.bands import RangeBand
from geo.analysis.launch import LaunchPoint, parse_launch
from geo.analysis.rotation import DRAWN_TOLERANCE_M, launch_points, rotating_reach, rotating_reach_zone
from geo.analysis.status import STATUSES, Status
from geo.errors import InvalidRangeError
from geo.physics import ballistic as bal

KRICHEV = parse_launch("krichev")

# The flips for a 5,000 km missile from Krichev (data/sites.toml): beyond 5,000 km but reached on the turning
# Earth, or within 5,000 km but not. El Hierro: the island's capital Valverde (GeoNames 2509983, 27.81 N 17.92 W).
FLIPS = {
    "Mumbai": ((72.8777, 19.0760), Status.REACHABLE),
    "Kathmandu": ((85.3240, 27.7172), Status.REACHABLE),
    "El Hierro (Valverde)": ((-17.9150, 27.8081), Status.TOO_FAR),
}


def oracle_miss(launch: LaunchPoint, target: tuple[float, float], speed: float) -> float:
    """The least distance (m) from the place of any integrated flight at ``speed`` from the launch point."""
    azimuth = G.Inverse(launch.lat, launch.lon, target[1], target[0])["azi1"]

    def miss(x: np.ndarray) -> float:
        lon, lat, _ = integrate_inertial(launch.lon, launch.lat, x[0], x[1], speed)
        return metres(lon, lat, *target)

    starts = [np.array([azimuth, e]) for e in (15.0, 25.0, 35.0)]
    best = min(starts, key=miss)
    found = minimize(miss, best, method="Nelder-Mead", options={"xatol": 1e-5, "fatol": 1.0, "maxiter": 400})
    return float(found.fun)


@pytest.mark.parametrize("name", list(FLIPS))
def test_places_near_the_limit_flip_as_the_integrated_flights_say(name):
    (lon, lat), expected = FLIPS[name]
    r = rotating_reach([KRICHEV], RangeBand(0, 5000), np.array([lon]), np.array([lat]))
    distance = float(r.nearest_m[0])
    assert STATUSES[int(r.codes[0])] is expected
    assert (distance > 5e6) == (expected is Status.REACHABLE)  # a flip: the still-Earth circle says the opposite
    miss = oracle_miss(KRICHEV, (lon, lat), float(bal.burnout_speed(5e6)))
    if expected is Status.REACHABLE:
        assert miss < 1000.0
    else:
        # missed by about the distance beyond the limit (the margin), to within the limit's slant
        assert miss == pytest.approx(float(r.margin_m[0]), rel=0.2) and miss > 100e3


def test_statuses_margins_and_minimum_range():
    band = RangeBand(700, 5000)
    lon = np.array([30.52, 13.40, 72.8777, -17.915])  # Kyiv (inside 700 km), Berlin, Mumbai, El Hierro
    lat = np.array([50.45, 52.52, 19.076, 27.8081])
    r = rotating_reach([KRICHEV], band, lon, lat)
    assert [STATUSES[c].value for c in r.codes] == ["too_close", "reachable", "reachable", "too_far"]
    exact = bal.range_toward(KRICHEV.lon, KRICHEV.lat,
                             [G.Inverse(KRICHEV.lat, KRICHEV.lon, b, a)["azi1"] for a, b in zip(lon, lat, strict=True)],
                             float(bal.burnout_speed(5e6)))
    d = np.array([metres(KRICHEV.lon, KRICHEV.lat, a, b) for a, b in zip(lon, lat, strict=True)])
    assert r.margin_m[0] == pytest.approx(700e3 - d[0], abs=1e-3)
    assert r.margin_m[1] == pytest.approx(min(d[1] - 700e3, exact[1] - d[1]), abs=DRAWN_TOLERANCE_M)
    assert r.margin_m[2] == pytest.approx(exact[2] - d[2], abs=20.0)  # near the limit: solved exactly
    assert r.margin_m[3] == pytest.approx(d[3] - exact[3], abs=20.0)


def test_any_of_several_launch_points():
    band = RangeBand(0, 5000)
    west = LaunchPoint("west", -40.0, 40.0)  # mid-Atlantic: New York 2,900 km west
    r = rotating_reach([KRICHEV, west], band, np.array([72.8777, -74.0]), np.array([19.076, 40.71]))
    assert [STATUSES[c].value for c in r.codes] == ["reachable", "reachable"]  # Mumbai from Krichev, New York from west
    assert list(r.part) == [0, 1]


def test_an_area_is_refused_with_the_reason():
    with pytest.raises(InvalidRangeError, match="Belarus is an area"):
        launch_points([parse_launch("Belarus")])


def test_a_reach_that_wraps_round_the_earth_is_refused_with_the_reason():
    """From the equator a 12,000 km missile fired east comes within 250 km of the far side of the Earth."""
    with pytest.raises(InvalidRangeError, match="wraps round the globe"):
        rotating_reach([LaunchPoint("Gabon", 10.0, 0.5)], RangeBand(0, 12000), np.array([0.0]), np.array([0.0]))


@pytest.mark.parametrize(
    ("launch", "max_km"),
    [(KRICHEV, 5000), (LaunchPoint("McMurdo", 166.67, -77.85), 5000), (LaunchPoint("Suva", 178.44, -18.14), 3000),
     (LaunchPoint("Pyongyang", 125.75, 39.02), 12000)],
    ids=["krichev-pole", "mcmurdo", "fiji-antimeridian", "pyongyang-icbm"],
)
def test_the_drawn_zone_is_within_its_tolerance_of_the_exact_limit(launch, max_km):
    zone = rotating_reach_zone([launch], RangeBand(0, max_km))
    assert zone.is_valid and not zone.is_empty
    speed = float(bal.burnout_speed(max_km * 1e3))
    probe = np.arange(0.0, 360.0, 15.0) + 3.0
    limit = bal.range_toward(launch.lon, launch.lat, probe, speed)
    for az, d in zip(probe, limit, strict=True):
        inside = G.Direct(launch.lat, launch.lon, az, d - DRAWN_TOLERANCE_M)
        outside = G.Direct(launch.lat, launch.lon, az, d + DRAWN_TOLERANCE_M)
        assert zone.covers(shapely.Point(inside["lon2"], inside["lat2"])), az
        assert not zone.covers(shapely.Point(outside["lon2"], outside["lat2"])), az
    # the pole a 5,000 km zone from Krichev holds, and the launch's antipode none holds
    if launch is KRICHEV:
        assert zone.covers(shapely.Point(0.0, 90.0))
    assert not zone.covers(shapely.Point(*(math.remainder(launch.lon + 180, 360), -launch.lat)))


def test_the_zone_and_the_statuses_agree():
    band = RangeBand(0, 5000)
    zone = rotating_reach_zone([KRICHEV], band)
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(-180, 180, 3000), np.degrees(np.arcsin(rng.uniform(-1, 1, 3000)))
    r = rotating_reach([KRICHEV], band, lon, lat)
    clear = r.margin_m > DRAWN_TOLERANCE_M
    inside = shapely.covers(zone, shapely.points(lon, lat))
    assert np.array_equal(inside[clear], (r.codes == Status.REACHABLE.code)[clear])


# ---------------------------------------------------------------------------
# The commands


def run(capsys, *argv: str) -> tuple[int, str, str]:
    from geo.cli.main import main

    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_reach_with_earth_rotation_flips_mumbai_and_says_how_it_read_the_range(capsys):
    argv = ["reach", "--from", "krichev", "--system", "oreshnik", "--place", "Mumbai", "--format", "csv"]
    _, still, _ = run(capsys, *argv)
    code, turning, err = run(capsys, *argv, "--earth-rotation")
    assert code == 0, err
    import csv
    import io

    row_still = next(csv.DictReader(io.StringIO(still)))
    row = next(csv.DictReader(io.StringIO(turning)))
    assert (row_still["status"], row["status"]) == ("too_far", "reachable")
    assert float(row["reach_km"]) == pytest.approx(5203.2, abs=0.5) and "reach_km" not in row_still
    _, table, _ = run(capsys, *argv[:-2], "--earth-rotation")
    assert "turning Earth" in table and "reach toward, km" in table


def test_zone_with_earth_rotation_writes_the_turning_earth_zones(capsys, tmp_path):
    import json

    out = tmp_path / "z.geojson"
    code, _, err = run(capsys, "zone", "--from", "krichev", "--system", "oreshnik", "--earth-rotation", "-o", str(out))
    assert code == 0, err
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["role"] for f in features] == ["reach", "dead_zone", "reachable"]
    assert all(f["properties"]["earth_rotation"] is True and f["properties"]["tolerance_m"] == 100.0
               for f in features)
    reach = shapely.geometry.shape(features[0]["geometry"])
    assert reach.covers(shapely.Point(72.8777, 19.0760)) and not reach.covers(shapely.Point(-17.915, 27.8081))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["reach", "--from", "Belarus", "--system", "oreshnik", "--place", "Mumbai"], "Belarus is an area"),
        (["reach", "--from", "krichev", "--system", "kalibr", "--place", "Mumbai"], "not a ballistic missile"),
        (["zone", "--from", "Belarus", "--system", "oreshnik", "-o", "{tmp}/z.geojson"], "Belarus is an area"),
    ],
)
def test_what_the_turning_earth_does_not_model_is_refused_in_one_line(capsys, tmp_path, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, out, err = run(capsys, *argv, "--earth-rotation")
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


ROTATING_CLAIMS = """
[[claim]]
id = "mumbai"
system = "oreshnik"
from = "krichev"
place = "Mumbai"
expect = "reachable"
earth_rotation = true

[[claim]]
id = "el-hierro"
system = "oreshnik"
from = "krichev"
place = "El Hierro=27.8081N 17.915W"
expect = "too_far"
earth_rotation = true

[[survey]]
id = "edge"
system = "oreshnik"
from = "krichev"
places = ["Mumbai", "Kathmandu", "Lisbon", "Kyiv"]
earth_rotation = true
"""


def test_claims_on_the_turning_earth_with_their_critical_values(capsys, tmp_path):
    import json

    path = tmp_path / "r.toml"
    path.write_text(ROTATING_CLAIMS, encoding="utf-8")
    code, out, err = run(capsys, "check", str(path), "--no-population", "--format", "json")
    assert code == 0, err
    records = {r["id"]: r for r in json.loads(out)}
    mumbai, hierro = records["mumbai"], records["el-hierro"]
    assert mumbai["status"] == "reachable" and hierro["status"] == "too_far" and mumbai["earth_rotation"]
    # the critical maximum: the published figure whose reach toward the place is its distance
    speed = float(bal.burnout_speed(mumbai["critical_km"] * 1e3))
    az = G.Inverse(KRICHEV.lat, KRICHEV.lon, mumbai["lat"], mumbai["lon"])["azi1"]
    assert float(bal.range_toward(KRICHEV.lon, KRICHEV.lat, az, speed)) / 1e3 == pytest.approx(
        mumbai["nearest_km"], abs=0.05)
    assert mumbai["critical_km"] < 5000 < hierro["critical_km"]
    assert mumbai["critical_text"].startswith("holds while max_km >=")
    survey = records["edge"]
    statuses = {p["name"]: p["status"] for p in survey["places"]}
    assert statuses == {"Mumbai": "reachable", "Kathmandu": "reachable", "Lisbon": "reachable", "Kyiv": "too_close"}
    # the same claims on a still Earth: Mumbai is out
    (tmp_path / "s.toml").write_text(ROTATING_CLAIMS.replace("earth_rotation = true", ""), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(tmp_path / "s.toml"), "--no-population")
    assert code == 1 and "FAILS" in out


def test_the_command_line_flag_turns_every_claim_and_refuses_an_area(capsys, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(ROTATING_CLAIMS.replace("earth_rotation = true", ""), encoding="utf-8")
    code, out, err = run(capsys, "check", str(path), "--no-population", "--earth-rotation")
    assert code == 0, err + out
    code, out, err = run(capsys, "check", str(path), "--from", "Belarus", "--system", "oreshnik", "--earth-rotation")
    assert code == 2 and "Belarus is an area" in err
    catalogue = Path(__file__).resolve().parent.parent / "data" / "claims"
    code, out, err = run(capsys, "check", str(catalogue), "--earth-rotation")
    assert code == 2 and "is an area" in err and ".toml" in err and len(err.strip().splitlines()) == 1


def test_the_map_draws_the_turning_earth_zone(capsys, tmp_path):
    path = tmp_path / "r.toml"
    path.write_text(ROTATING_CLAIMS, encoding="utf-8")
    code, _, err = run(capsys, "map", str(path), "-o", str(tmp_path / "r.html"))
    assert code == 0, err
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "on the turning Earth" in html


def test_the_python_api_takes_earth_rotation_too():
    import geo

    t = geo.reach(["Mumbai", "Lisbon"], "krichev", system="oreshnik", earth_rotation=True)
    assert t["status"].tolist() == ["reachable", "reachable"] and t.loc[0, "reach_km"] == pytest.approx(5203.2, abs=0.5)
    still = geo.reach(["Mumbai"], "krichev", system="oreshnik")
    assert still["status"].tolist() == ["too_far"] and "reach_km" not in still.columns
    zones = geo.zones("krichev", system="oreshnik", earth_rotation=True)
    assert zones[0].earth_rotation and zones[0].geometry.covers(shapely.Point(72.8777, 19.0760))
    with pytest.raises(InvalidRangeError, match="is an area"):
        geo.reach(["Mumbai"], "Belarus", system="oreshnik", earth_rotation=True)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp", ".kml"])
def test_turning_earth_zones_say_so_in_every_file_format(capsys, tmp_path, suffix):
    import geo

    out = tmp_path / f"z{suffix}"
    code, _, err = run(capsys, "zone", "--from", "krichev", "--system", "oreshnik", "--earth-rotation", "-o", str(out))
    assert code == 0 and "warning" not in err, err
    zones = geo.read_zones(out)
    assert all("turning Earth" in z.launch for z in zones)  # KML's fixed schema carries it in the launch text
    if suffix != ".kml":
        assert all(z.earth_rotation for z in zones)
    assert zones[0].geometry.covers(shapely.Point(72.8777, 19.0760))



def test_a_launch_points_reach_table_is_kept_on_disk_and_read_back_the_same(tmp_path):
    from geo.analysis import cache
    from geo.analysis.rotation import _table

    speed = float(bal.burnout_speed(3e6))
    with cache.enabled(tmp_path):
        first = _table(KRICHEV.lon, KRICHEV.lat, speed)
        stored, hits = cache.stats().stored, cache.stats().hits
        cache.forget()  # what a second run starts from: nothing in memory
        again = _table(KRICHEV.lon, KRICHEV.lat, speed)
    assert cache.stats().stored == stored and cache.stats().hits == hits + 1
    for field in ("azimuth", "reach_m", "boundary_lon", "boundary_lat"):
        assert np.array_equal(getattr(first, field), getattr(again, field))
