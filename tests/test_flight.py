"""Flight times (geo.flight_time, georange flight) and stated times judged against them.

The physics is checked in tests/test_ballistic.py against a numerical
integration; here: what the analysis layer adds (the launch and target
resolved, areas, the boost band, the minimum range, verdicts in words) and
the command's output, each option shown to change something.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

import geo
from geo.analysis.flight import TimeVerdict, flight_time
from geo.cli.main import main
from geo.errors import GeoRangeError
from geo.physics.ballistic import minimum_energy_sphere


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # usage errors leave through argparse
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_public_function_is_exported():
    assert geo.flight_time is flight_time and geo.TimeVerdict is TimeVerdict


def test_a_point_to_point_flight_matches_the_closed_form_on_a_still_earth():
    f = flight_time("krichev", "Berlin", "oreshnik", earth_rotation=False)
    g = Geodesic.WGS84.Inverse(f.launch_lat, f.launch_lon, f.target_lat, f.target_lon)["s12"]
    assert f.distance_km == pytest.approx(g / 1000, abs=1e-6)
    # the ellipsoid's launch and impact radii (Krichev and Berlin lie below the 6,371 km sphere) shift it by < 0.5 %
    assert f.min_energy.free_s == pytest.approx(float(minimum_energy_sphere(g).time_s), rel=0.005)
    assert f.reach_toward_km == 5000 and f.reachable
    assert f.flattest.free_s < f.min_energy.free_s < f.lofted.free_s
    assert f.flattest.apogee_km == pytest.approx(100, abs=0.01)


def test_the_turning_earth_shortens_the_reach_westward():
    f = flight_time("krichev", "Lisbon", "oreshnik")
    still = flight_time("krichev", "Lisbon", "oreshnik", earth_rotation=False)
    assert f.reach_toward_km < 4850 < 5000 == still.reach_toward_km
    assert f.min_energy.free_s != still.min_energy.free_s


def test_a_place_beyond_reach_has_no_times_and_says_so():
    f = flight_time("krichev", "New York", "oreshnik")
    assert not f.reachable and f.min_energy is None and f.typical_s() is None
    verdict, why = f.judge(600, 600, "10 min")
    assert verdict is TimeVerdict.IMPOSSIBLE and "beyond" in why and "km away" in why


def test_from_an_area_the_nearest_points_are_used():
    f = flight_time("Belarus", "Vilnius", "iskander-m")
    assert f.from_area and f.distance_km == pytest.approx(geo.distance("Belarus", "Vilnius").min_km, abs=1e-6)
    assert "from " in f.target_point()


def test_from_an_area_inside_the_minimum_range_the_flight_starts_at_the_minimum_range():
    """Berlin is 664 km from Belarus's nearest point, inside the Oreshnik's 700 km minimum range."""
    f = flight_time("Belarus", "Berlin", "oreshnik")
    assert f.at_min_range and f.distance_km == pytest.approx(700, abs=0.01) and not f.inside_min_range
    g = Geodesic.WGS84.Inverse(f.launch_lat, f.launch_lon, f.target_lat, f.target_lon)["s12"]
    assert g == pytest.approx(f.distance_km * 1e3, abs=1e-3)
    assert geo.distance(f"{f.launch_lat},{f.launch_lon}", "Belarus").min_km < 0.01  # on Belarus's border


@pytest.mark.parametrize(("launch", "target"), [("krichev", "Poland"), ("Belarus", "Poland"), ("Belarus", "Lithuania")])
def test_an_area_target_or_touching_areas_are_timed_at_the_minimum_range(launch, target):
    """Poland is 537 km from Krichev at its nearest and touches Belarus: the Oreshnik flies to its points at 700 km."""
    f = flight_time(launch, target, "oreshnik")
    assert f.at_min_range and f.distance_km == pytest.approx(700, abs=0.01) and f.min_energy is not None
    g = Geodesic.WGS84.Inverse(f.launch_lat, f.launch_lon, f.target_lat, f.target_lon)["s12"]
    assert g == pytest.approx(f.distance_km * 1e3, abs=1e-3)
    assert geo.distance(f"{f.launch_lat},{f.launch_lon}", launch).min_km < 0.01
    assert geo.distance(f"{f.target_lat},{f.target_lon}", target).min_km < 0.01


@pytest.mark.parametrize(
    ("launch", "place", "low_min", "high_min", "expected"),
    [
        ("Belarus", "Kyiv", 1.84, 1.86, TimeVerdict.IMPOSSIBLE),  # "1 min 51 s": the flattest above 100 km is slower
        ("krichev", "Berlin", 10.5, 11.5, TimeVerdict.PLAUSIBLE),
        ("krichev", "Berlin", 7.5, 8.5, TimeVerdict.DEPRESSED_ONLY),
        ("krichev", "Berlin", 24.5, 25.5, TimeVerdict.LOFTED_ONLY),
        ("krichev", "Berlin", 44.5, 45.5, TimeVerdict.IMPOSSIBLE),
        ("krichev", "Berlin", 2.5, 3.5, TimeVerdict.IMPOSSIBLE),
    ],
)
def test_stated_times_are_judged_against_the_band(launch, place, low_min, high_min, expected):
    f = flight_time(launch, place, "oreshnik")
    verdict, why = f.judge(low_min * 60, high_min * 60, f"{low_min:g} min")
    assert verdict is expected, why
    assert f.target in why and f.launch in why
    bounds = f.possible_s()
    if verdict is TimeVerdict.PLAUSIBLE:
        lo, hi = f.typical_s()
        assert low_min * 60 <= hi and high_min * 60 >= lo
    elif verdict is TimeVerdict.IMPOSSIBLE and bounds and high_min * 60 < bounds[0]:
        assert "at least" in why


def test_the_least_energy_flight_at_short_range_is_the_one_that_leaves_the_atmosphere():
    """From Belarus to Kyiv (87 km) the minimum-energy flight peaks at 22 km: the 100 km one is what counts."""
    f = flight_time("Belarus", "Kyiv", "oreshnik")
    assert f.min_energy.apogee_km < 100 and f.typical is f.flattest
    low = flight_time("Belarus", "Kyiv", "oreshnik", min_apogee_km=20)
    assert low.typical is low.min_energy


def test_the_boost_band_and_the_minimum_apogee_change_the_answer():
    f = flight_time("krichev", "Berlin", "oreshnik")
    g = flight_time("krichev", "Berlin", "oreshnik", boost_min=(0.5, 1.0), min_apogee_km=200)
    assert f.typical_s() != g.typical_s() and g.boost_source == "given"
    assert g.typical_s()[1] - g.typical_s()[0] == pytest.approx(30.0)
    assert g.flattest.apogee_km == pytest.approx(200, abs=0.01) and g.flattest.free_s > f.flattest.free_s


def test_a_maximum_range_stands_in_for_a_system():
    f = flight_time("krichev", "Berlin", max_km=5000)
    g = flight_time("krichev", "Berlin", "oreshnik")
    assert f.system == "" and f.min_energy == g.min_energy


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"system": "kh-101"}, "is not a ballistic missile"),
        ({"system": "su-25"}, "Su-25"),
        ({}, "needs a ballistic system or a maximum range"),
        ({"max_km": -5}, "between 0 and 20,000"),
        ({"max_km": 5000, "boost_min": (3, 1)}, "low <= high"),
        ({"max_km": 5000, "min_apogee_km": 0}, "positive"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason(kwargs, message):
    with pytest.raises(GeoRangeError, match=message):
        flight_time("krichev", "Berlin", **kwargs)


# ---------------------------------------------------------------------------
# The command


def test_the_command_prints_the_band_of_each_place(capsys):
    code, out, err = run(capsys, "flight", "--from", "krichev", "--to", "Berlin; Warsaw", "--system", "oreshnik")
    assert code == 0 and err == ""
    f = flight_time("krichev", "Berlin", "oreshnik")
    lo, hi = f.min_energy.total_s(f.boost_s)
    assert "Flight time of Oreshnik from Krichev air base" in out and "boost 1.5-4.5 min (default)" in out
    berlin = next(line for line in out.splitlines() if line.startswith("Berlin, DE"))
    assert f"{lo / 60:.1f}-{hi / 60:.1f} min, {f.min_energy.apogee_km:,.0f} km up" in berlin
    assert f"{f.reach_toward_km:,.0f}" in berlin
    assert any(line.startswith("Warsaw, PL") for line in out.splitlines())


def test_json_and_csv_carry_the_same_numbers(capsys):
    argv = ["flight", "--from", "krichev", "--to", "Berlin", "--system", "oreshnik"]
    _, out, _ = run(capsys, *argv, "--format", "json")
    record = json.loads(out)[0]
    _, out, _ = run(capsys, *argv, "--format", "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert record["min_energy"]["total_min"] == [float(row["min_energy_total_min_low"]),
                                                 float(row["min_energy_total_min_high"])]
    assert record["earth_rotation"] is True and row["earth_rotation"] == "True"
    assert "still spherical Earth" in record["convention"]
    assert record["lofted"]["apogee_km"] > record["min_energy"]["apogee_km"] > record["flattest"]["apogee_km"] - 1


@pytest.mark.parametrize(
    ("option", "field"),
    [
        (["--boost-min", "2-3"], "boost_min"),
        (["--min-apogee-km", "150"], "flattest"),
        (["--no-earth-rotation"], "reach_toward_km"),
        (["--max-km", "4000"], "max_km"),
    ],
)
def test_every_option_changes_the_answer(capsys, option, field):
    base = ["flight", "--from", "krichev", "--to", "Berlin", "--format", "json"]
    system = [] if "--max-km" in option else ["--system", "oreshnik"]
    _, out, _ = run(capsys, *base, "--system", "oreshnik")
    _, changed, _ = run(capsys, *base, *system, *option)
    assert json.loads(out)[0][field] != json.loads(changed)[0][field]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--system", "kh-101"], "Kh-101 (air-launched cruise missile"),
        (["--system", "oreshnik", "--boost-min", "four"], "not a band of minutes"),
        (["--system", "oreshnik", "--boost-min", "5-1"], "LOW <= HIGH"),
        (["--system", "oreshnik", "--to", "Atlantis-on-Sea"], "Atlantis-on-Sea"),
        ([], "one of the arguments --system --max-km is required"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, argv, message):
    out_file = tmp_path / "f.json"
    code, out, err = run(capsys, "flight", "--from", "krichev", "--to", "Berlin", *argv, "-o", str(out_file))
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
    assert not out_file.exists()


def test_output_file_is_written_once(capsys, tmp_path):
    target = tmp_path / "f.json"
    argv = ["flight", "--from", "krichev", "--to", "Berlin", "--system", "oreshnik", "--format", "json",
            "-o", str(target)]
    code, out, err = run(capsys, *argv)
    assert code == 0 and out == "" and json.loads(target.read_text(encoding="utf-8"))[0]["target"] == "Berlin, DE"
    code, _, err = run(capsys, *argv)
    assert code == 2 and "exists" in err


# ---------------------------------------------------------------------------
# Claims in minutes and surveys of times


def _claims(tmp_path, body: str):
    from geo.claims.model import load_claims

    path = tmp_path / "t.toml"
    path.write_text(body, encoding="utf-8")
    return path, load_claims([path])


TIMED = """
[[claim]]
id = "kyiv-in-111-s"
text = "Kyiv in under two minutes from Belarus."
system = "oreshnik"
from = "Belarus"
place = "Kyiv"
minutes = "1 min 51 s"
expect = "impossible"

[[claim]]
id = "berlin-in-11"
system = "oreshnik"
from = "krichev"
scenarios = { "all of Belarus" = "Belarus" }
place = "Berlin"
minutes = 11
expect = "plausible"

[[claim]]
id = "dnipro-in-15"
system = "oreshnik"
from = "kapustin-yar"
place = "Dnipro"
minutes = { value = 15, about = true }
expect = "lofted_only"
"""


def test_a_stated_time_is_read_to_its_precision(tmp_path):
    _, cf = _claims(tmp_path, TIMED)
    kyiv, berlin, dnipro = cf.claims
    assert (kyiv.minutes.low_s, kyiv.minutes.high_s) == (110.5, 111.5)
    assert (berlin.minutes.low_s, berlin.minutes.high_s) == (630.0, 690.0)
    assert dnipro.minutes.low_s == pytest.approx(810.0) and dnipro.minutes.high_s == pytest.approx(990.0)


def test_timed_claims_are_judged_in_every_report(capsys, tmp_path):
    """Kyiv in 1 min 51 s from Belarus is impossible; Berlin in 11 min from Krichev plausible; Dnipro in about 15
    min from Kapustin Yar (Ukraine's intelligence, via Reuters, 2024-11-22) longer than the minimum-energy flight."""
    path, _ = _claims(tmp_path, TIMED)
    code, out, err = run(capsys, "check", str(path), "--no-population", "--format", "json")
    assert code == 0, err
    claims = {c["id"]: c for c in json.loads(out) if c["kind"] == "claim"}
    assert {k: c["outcome"] for k, c in claims.items()} == {
        "kyiv-in-111-s": "impossible", "berlin-in-11": "plausible", "dnipro-in-15": "lofted_only"}
    assert all(c["holds"] for c in claims.values())
    why = claims["kyiv-in-111-s"]["timing"]["why"]
    assert "impossible for any ballistic flight that leaves the atmosphere" in why and "at least" in why
    assert claims["berlin-in-11"]["scenarios"][0]["timing"]["flight"]["from_min_range"] is True
    code, out, _ = run(capsys, "check", str(path), "--no-population")
    assert "Flight times" in out and "Kyiv in 1 min 51 s from Belarus is impossible" in out
    code, out, _ = run(capsys, "check", str(path), "--no-population", "--format", "markdown")
    assert "- Flight time 11 min: plausible; expected plausible: holds" in out


def test_a_wrong_time_expectation_fails_with_the_reason(capsys, tmp_path):
    path, _ = _claims(tmp_path, TIMED.replace('expect = "impossible"', 'expect = "plausible"'))
    code, out, _ = run(capsys, "check", str(path), "--no-population")
    assert code == 1 and "FAILS" in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('minutes = 11', 'minutes = "eleven"'), "must be a number of minutes"),
        (('expect = "plausible"', 'expect = "reachable"'), "a claim that states a time (minutes) expects"),
        (('minutes = 11\n', ''), "a time verdict needs the time the claim states"),
        (('system = "oreshnik"\nfrom = "krichev"', 'system = "kalibr"\nfrom = "krichev"'), "not a ballistic missile"),
        (('minutes = 11', 'minutes = 11\nboost_min = [3, 1]'), "boost_min [3, 1] must be [low, high]"),
        (('expect = "plausible"', 'expect = "plausble"'), "plausible"),
    ],
)
def test_bad_time_claims_are_refused_with_file_field_and_value(capsys, tmp_path, change, message):
    path = tmp_path / "t.toml"
    path.write_text(TIMED.replace(*change, 1) if change[0] != 'minutes = 11\n' else
                    TIMED.replace("minutes = 11\n", ""), encoding="utf-8")
    code, out, err = run(capsys, "check", str(path), "--no-population")
    assert code == 2 and out == "" and message in err and str(path) in err and len(err.strip().splitlines()) == 1


def test_a_survey_sets_its_times_against_another_launch(tmp_path):
    from geo.claims.verdicts import evaluate_survey

    _, cf = _claims(tmp_path, """
[[survey]]
id = "warning"
system = "oreshnik"
from = "krichev"
places = ["Berlin", "Minsk", "Lisbon"]
times_against = "kapustin-yar"
""")
    result = evaluate_survey(cf.surveys[0], shares=False)
    t = result.times.set_index("name")
    berlin = flight_time("krichev", "Berlin", "oreshnik")
    other = flight_time("kapustin-yar", "Berlin", "oreshnik")
    assert t.loc["Berlin", "total_min_low"] == pytest.approx(berlin.typical_s()[0] / 60)
    assert t.loc["Berlin", "against_min_low"] == pytest.approx(other.typical_s()[0] / 60)
    assert t.loc["Berlin", "saved_min"] == pytest.approx((other.min_energy.free_s - berlin.min_energy.free_s) / 60)
    assert t.loc["Berlin", "saved_min"] > 2  # Krichev is about 1,100 km nearer Berlin than Kapustin Yar
    assert np.isnan(t.loc["Minsk", "total_min_low"])  # 287 km: inside the Oreshnik's 700 km minimum range
    assert t.loc["Lisbon", "against"] == "Kapustin Yar test range"


def test_the_seed_catalogue_states_the_warning_times_against_kapustin_yar(capsys):
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "data" / "claims" / "000_oreshnik_belarus.toml"
    code, out, _ = run(capsys, "check", str(path), "--no-population", "--no-coverage")
    line = next(x for x in out.splitlines() if x.startswith("  from Belarus against Kapustin Yar"))
    assert "sooner for" in line and "median" in line


# ---------------------------------------------------------------------------
# Time on the map


def test_the_map_has_labelled_flight_time_rings_and_flight_bands_in_popups(tmp_path):
    from geo.claims.model import load_claims
    from geo.outputs.mapcontent import map_content
    from geo.physics.ballistic import minimum_energy_sphere

    path = tmp_path / "m.toml"
    path.write_text('[[claim]]\nid = "berlin"\nsystem = "oreshnik"\nfrom = "krichev"\nplace = "Berlin"\n'
                    'expect = "reachable"\n', encoding="utf-8")
    content = map_content(load_claims([path]))
    rings = content.isochrones
    assert [r.label for r in rings][:2] == ["10 min", "12 min"] and len(rings) <= 8
    for ring in rings:  # every vertex of a ring lies where the minimum-energy flight plus 3 min takes its time
        lon, lat = shapely.get_coordinates(ring.line).T
        d = np.array([Geodesic.WGS84.Inverse(53.7347, 31.9172, b, a)["s12"] for a, b in zip(lon, lat, strict=True)])
        minutes = (minimum_energy_sphere(d).time_s + 180.0) / 60.0
        assert np.allclose(minutes, ring.minutes, atol=0.02)  # 2 km of drawing is about a second of flight
    berlin = next(m for m in content.marks if m.name == "Berlin")
    f = flight_time("krichev", "Berlin", "oreshnik")
    lo, hi = f.typical_s()
    assert berlin.flights == (next(iter(berlin.flights)),) and f"{lo / 60:.1f}-{hi / 60:.1f} min" in berlin.flights[0]
    assert ("Flight time", list(berlin.flights)) in berlin.popup()
    assert "3-minute boost" in content.isochrone_note


def test_a_map_without_a_ballistic_system_has_no_rings(tmp_path):
    from geo.claims.model import load_claims
    from geo.outputs.mapcontent import map_content

    path = tmp_path / "m.toml"
    path.write_text('[[claim]]\nid = "berlin"\nsystem = "kalibr"\nfrom = "krichev"\nplace = "Berlin"\n'
                    'expect = "reachable"\n', encoding="utf-8")
    content = map_content(load_claims([path]))
    assert content.isochrones == () and all(not m.flights for m in content.marks)
