"""The ``georange reach`` command: what each option prints, and one-line errors with exit 2."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic

from geo import LaunchArea, lookup_country
from geo.cli.main import main
from geo.reference.borders import borders_note

RECOGNISED = borders_note("recognised")  # the border view every title names

# Kyiv and Warsaw from GeoNames (as in the shipped gazetteer), the Krichev
# site from data/sites.toml: the independent check below needs the numbers.
KRICHEV = (53.7347, 31.9172)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["reach", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def records(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    code, out, err = run(capsys, *argv, "--format", "json")
    assert (code, err) == (0, "")
    return json.loads(out)


@pytest.fixture
def places_csv(tmp_path: Path) -> Path:
    path = tmp_path / "places.csv"
    path.write_text(
        "name,lat,lon,unit,priority\n"
        "Kyiv centre,50.4501,30.5234,UA-1,high\n"
        "Warsaw centre,52.2297,21.0122,PL-1,low\n"
        "Krichev,53.7347,31.9172,BY-1,\n"
        "Antipode of Krichev,-53.7347,-148.0828,XX,\n",
        encoding="utf-8",
    )
    return path


def test_json_has_full_precision_and_matches_geographiclib_for_a_site(capsys, places_csv) -> None:
    rows = records(capsys, "--from", "krichev", "--max-km", "1000", "--places", str(places_csv))
    assert [r["name"] for r in rows] == ["Kyiv centre", "Warsaw centre", "Krichev", "Antipode of Krichev"]
    for r in rows:
        s12 = Geodesic.WGS84.Inverse(*KRICHEV, r["lat"], r["lon"])["s12"] / 1000
        # one launch point: nearest and farthest are the same geodesic distance
        assert r["min_km"] == r["max_km"]
        assert r["min_km"] == pytest.approx(s12, abs=1e-6)
    # full precision, not rounded for people
    assert any(len(repr(r["min_km"]).split(".")[1]) > 6 for r in rows)
    assert [r["status"] for r in rows] == ["reachable", "reachable", "reachable", "too_far"]


def test_json_matches_the_engine_for_a_country(capsys, places_csv) -> None:
    rows = records(capsys, "--from", "BLR", "--min-km", "700", "--max-km", "5000", "--places", str(places_csv))
    _, _, belarus = lookup_country("BLR")
    lo, hi = LaunchArea(belarus).distances([r["lon"] for r in rows], [r["lat"] for r in rows])
    assert [r["min_km"] for r in rows] == list(lo / 1000)
    assert [r["max_km"] for r in rows] == list(hi / 1000)
    by_name = {r["name"]: r for r in rows}
    assert by_name["Krichev"]["min_km"] == 0.0  # inside Belarus
    assert by_name["Kyiv centre"]["status"] == "too_close"  # farthest point of Belarus < 700 km
    assert by_name["Kyiv centre"]["margin_km"] == pytest.approx(700 - by_name["Kyiv centre"]["max_km"], abs=1e-9)
    assert by_name["Warsaw centre"]["status"] == "reachable"
    assert by_name["Antipode of Krichev"]["status"] == "too_far"


def test_csv_round_trips_the_json_values_and_passes_columns_through(capsys, places_csv) -> None:
    argv = ("--from", "BLR", "--min-km", "700", "--max-km", "5000", "--places", str(places_csv))
    as_json = records(capsys, *argv)
    code, out, _ = run(capsys, *argv, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # No country column: the file has none (an empty one used to be written).
    assert list(rows[0]) == ["name", "lat", "lon", "unit", "priority", "min_km", "max_km", "status", "margin_km", "via",
                             "borders", "border_src"]
    for c, j in zip(rows, as_json, strict=True):
        assert float(c["min_km"]) == j["min_km"] and float(c["max_km"]) == j["max_km"]
        assert float(c["margin_km"]) == j["margin_km"]
        assert (c["unit"], c["status"]) == (j["unit"], j["status"])
    assert rows[0]["priority"] == "high" and rows[2]["priority"] == ""


def test_table_is_sorted_rounded_and_summarised(capsys) -> None:
    argv = ("--from", "BLR", "--min-km", "700", "--max-km", "5000", "--places", "european-capitals")
    as_json = records(capsys, *argv)
    code, out, _ = run(capsys, *argv)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Reach of 700-5,000 km from Belarus (WGS84 geodesics; " + RECOGNISED + ")"
    body = [line for line in lines[4:] if line and not line.startswith(f"{len(as_json)} places")]
    assert len(body) == len(as_json) == 53
    ordered = sorted(as_json, key=lambda r: (r["min_km"], r["name"]))
    for line, r in zip(body, ordered, strict=True):
        assert line.startswith(r["name"])
        assert f"{r['min_km']:,.1f}" in line and f"{r['max_km']:,.1f}" in line and r["status"] in line
    counts = {s: sum(r["status"] == s for r in as_json) for s in ("reachable", "too_close", "too_far")}
    assert lines[-1] == f"53 places: {counts['reachable']} reachable, {counts['too_close']} too_close, 0 too_far"
    assert counts["too_close"] >= 1  # Kyiv at least


def test_quiet_drops_the_title(capsys) -> None:
    _, loud, _ = run(capsys, "--from", "krichev", "--max-km", "500", "--places", "european-capitals")
    _, quiet, _ = run(capsys, "--from", "krichev", "--max-km", "500", "--places", "european-capitals", "-q")
    assert loud.splitlines()[0].startswith("Reach of 0-500 km from Krichev")
    assert loud.splitlines()[2:] == quiet.splitlines()


def test_min_km_defaults_to_zero(capsys, places_csv) -> None:
    explicit = records(capsys, "--from", "BLR", "--min-km", "0", "--max-km", "600", "--places", str(places_csv))
    default = records(capsys, "--from", "BLR", "--max-km", "600", "--places", str(places_csv))
    assert explicit == default
    assert {r["status"] for r in default} == {"reachable", "too_far"}


def test_min_km_changes_statuses(capsys, places_csv) -> None:
    near = records(capsys, "--from", "krichev", "--min-km", "0", "--max-km", "1000", "--places", str(places_csv))
    far = records(capsys, "--from", "krichev", "--min-km", "500", "--max-km", "1000", "--places", str(places_csv))
    assert [r["status"] for r in near][:3] == ["reachable"] * 3
    assert [r["status"] for r in far][:3] == ["too_close", "reachable", "too_close"]


def test_places_default_is_every_capital(capsys) -> None:
    rows = records(capsys, "--from", "krichev", "--max-km", "20004")
    assert len(rows) > 240 and {r["status"] for r in rows} == {"reachable"}


def test_several_sources_decide_per_source(capsys, tmp_path) -> None:
    path = tmp_path / "p.csv"
    # 100 km west of Machulishchy and 100 km east of Krichev (along parallels, roughly)
    path.write_text("name,lat,lon\nwest,53.77,26.06\neast,53.73,33.44\n", encoding="utf-8")
    rows = records(capsys, "--from", "machulishchy", "--from", "krichev", "--min-km", "50", "--max-km", "150",
                   "--places", str(path))
    assert [r["status"] for r in rows] == ["reachable", "reachable"]
    assert rows[0]["via"].startswith("Machulishchy") and rows[1]["via"].startswith("Krichev")
    # each site alone reaches only its own neighbour
    alone = records(capsys, "--from", "krichev", "--min-km", "50", "--max-km", "150", "--places", str(path))
    assert [r["status"] for r in alone] == ["too_far", "reachable"]
    # the combined interval of distances would wrongly call a gap reachable: check per source
    gap = records(capsys, "--from", "machulishchy", "--from", "krichev", "--min-km", "200", "--max-km", "210",
                  "--places", str(path))
    for r in gap:
        d = [Geodesic.WGS84.Inverse(*site, r["lat"], r["lon"])["s12"] / 1000
             for site in (KRICHEV, (53.7736, 27.5772))]
        # too_close only when every site is too close (the place is in both dead zones), too_far when every
        # site is beyond the maximum, mixed otherwise
        expected = ("reachable" if any(200 <= x <= 210 for x in d) else "too_close" if max(d) < 200
                    else "too_far" if min(d) > 210 else "mixed")
        assert r["status"] == expected


def test_coordinate_source(capsys, places_csv) -> None:
    rows = records(capsys, "--from", "53.7347,31.9172", "--max-km", "1000", "--places", str(places_csv))
    site = records(capsys, "--from", "krichev", "--max-km", "1000", "--places", str(places_csv))
    assert [r["min_km"] for r in rows] == [r["min_km"] for r in site]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "Belarsu", "--max-km", "10"], "unknown country 'Belarsu'.*did you mean: Belarus \\(BLR\\)"),
        (["--from", "91,20", "--max-km", "10"], "latitude 91 is outside \\[-90, 90\\].*did you mean 20,91"),
        (["--from", "53.9,27.5x", "--max-km", "10"], "'53.9,27.5x' is not a valid coordinate: expected LAT,LON"),
        (["--from", "", "--max-km", "10"], "launch source is empty"),
        (["--from", "BLR", "--min-km", "500", "--max-km", "100"], "min_km 500 must not exceed max_km 100"),
        (["--from", "BLR", "--max-km", "-5"], "max_km -5 must be >= 0"),
        (["--from", "BLR", "--max-km", "25000"], "max_km 25000 exceeds 20,004 km"),
        (["--from", "BLR", "--max-km", "nan"], "max_km nan must be a finite number"),
        (["--from", "BLR", "--max-km", "abc"], "--max-km: 'abc' is not a number of kilometres"),
        (["--from", "BLR"], r"--max-km is required \(or give --system\)"),
        (["--from", "BLR", "--max-km", "10", "--format", "xml"], "invalid choice: 'xml'"),
        (["--from", "BLR", "--max-km", "10", "--places", "europe"], "'europe' is not a preset"),
        (["--from", "BLR", "--max-km", "10", "--places", "{missing}"], "missing.csv: no such file"),
        (["--from", "BLR", "--max-km", "10", "--places", "{nocol}"], "nocol.csv: missing columns name, lon"),
        (["--from", "BLR", "--max-km", "10", "--places", "{badrow}"], "badrow.csv, row 3: lat 95"),
        (["--from", "BLR", "--max-km", "10", "--places", "{dir}"], "is a directory"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, argv, message) -> None:
    (tmp_path / "nocol.csv").write_text("id,lat\nA,52\n", encoding="utf-8")  # nom would name the places
    (tmp_path / "badrow.csv").write_text("name,lat,lon\nA,52,21\nB,95,21\n", encoding="utf-8")
    names = {"missing": tmp_path / "missing.csv", "nocol": tmp_path / "nocol.csv",
             "badrow": tmp_path / "badrow.csv", "dir": tmp_path}
    argv = [a.format(**names) for a in argv]
    try:
        code = main(["reach", *argv])
    except SystemExit as usage:  # argparse's usage errors exit directly
        code = usage.code
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith("georange") and err.endswith("\n") and err.count("\n") == 1, err
    assert re.search(message, err), err


def test_console_script_runs_in_a_fresh_process(tmp_path) -> None:
    exe = shutil.which("georange", path=str(Path(sys.executable).parent))
    assert exe, "the georange console script is not installed next to this Python"
    done = subprocess.run([exe, "reach", "--from", "BLR", "--max-km", "5000", "--min-km", "700",
                           "--places", "european-capitals", "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    rows = {r["name"]: r for r in json.loads(done.stdout)}
    assert rows["Kyiv"]["status"] == "too_close" and rows["Warsaw"]["status"] == "reachable"
    assert rows["Kyiv"]["min_km"] > 0
    bad = subprocess.run([exe, "reach", "--from", "Atlantisburg", "--max-km", "10"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == "" and bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.stderr and "'Atlantisburg'" in bad.stderr


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.strip() == "georange 0.1.0"


# --- georange zone ------------------------------------------------------------


def zone(*argv: str) -> int:
    try:
        return main(["zone", *argv])
    except SystemExit as usage:
        return int(usage.code)


def test_zone_writes_three_features_that_read_back_in_every_format(capsys, tmp_path) -> None:
    import xml.etree.ElementTree as ET

    import geopandas
    import shapely

    base = ("--from", "krichev", "--min-km", "700", "--max-km", "5000")
    assert zone(*base, "-o", str(tmp_path / "z.geojson")) == 0
    doc = json.loads((tmp_path / "z.geojson").read_text())
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    props = [f["properties"] for f in doc["features"]]
    assert [p["role"] for p in props] == ["reach", "dead_zone", "reachable"]
    assert all(p["min_km"] == 700 and p["max_km"] == 5000 and p["tolerance_m"] == 10 for p in props)
    assert props[0]["launch"].startswith("Krichev")
    geoms = [shapely.geometry.shape(f["geometry"]) for f in doc["features"]]
    assert geoms[0].contains(shapely.Point(0, 89.999))  # the North Pole is in reach
    assert not geoms[2].contains(shapely.Point(30.5234, 50.4501))  # Kyiv is too close

    assert zone(*base, "-o", str(tmp_path / "z.gpkg")) == 0
    frame = geopandas.read_file(tmp_path / "z.gpkg")
    assert list(frame["role"]) == ["reach", "dead_zone", "reachable"]
    for g, back in zip(geoms, frame.geometry, strict=True):
        assert g.symmetric_difference(back).area < back.length * 1e-7  # GeoJSON has 7 decimals, GPKG every digit

    assert zone(*base, "-o", str(tmp_path / "z.kml")) == 0
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    folders = ET.parse(tmp_path / "z.kml").getroot().findall(".//k:Folder", ns)
    assert [f.findtext("k:name", "", ns) for f in folders] == ["Zones", "Zone outlines"]
    marks = folders[0].findall("k:Placemark", ns)  # the fills, one placemark per zone
    assert len(marks) == 3
    outer = marks[1].find(".//k:outerBoundaryIs//k:coordinates", ns).text.split()
    kml_ring = shapely.Polygon([tuple(map(float, c.split(","))) for c in outer])
    assert kml_ring.symmetric_difference(geoms[1]).area < kml_ring.length * 1e-7
    out, err = capsys.readouterr()
    assert out == ""  # -o says on stderr what it wrote, one line per file
    assert err.splitlines() == [f"georange zone: wrote 3 zones (reach, dead_zone, reachable) to {tmp_path / name}"
                                for name in ("z.geojson", "z.gpkg", "z.kml")]


def test_zone_refuses_to_overwrite_and_tolerance_changes_output(capsys, tmp_path) -> None:
    out = tmp_path / "z.geojson"
    out.write_text("keep me")
    assert zone("--from", "krichev", "--max-km", "500", "-o", str(out)) == 2
    assert out.read_text() == "keep me"
    assert "exists; pass --overwrite" in capsys.readouterr().err
    assert zone("--from", "krichev", "--max-km", "500", "-o", str(out), "--overwrite") == 0
    coarse = json.loads(out.read_text())
    assert zone("--from", "krichev", "--max-km", "500", "-o", str(out), "--overwrite", "--tolerance-m", "1") == 0
    fine = json.loads(out.read_text())
    n = [len(d["features"][0]["geometry"]["coordinates"][0]) for d in (coarse, fine)]
    assert n[1] > 2 * n[0]
    assert fine["features"][0]["properties"]["tolerance_m"] == 1
    assert not list(tmp_path.glob(".*part*"))  # no temporary files left behind


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "BLR", "--max-km", "10", "-o", "{d}/z.dxf"], "unknown output format '.dxf'"),
        (["--from", "BLR", "--max-km", "10", "-o", "{d}/none/z.geojson"], "does not exist"),
        (["--from", "BLR", "--max-km", "10", "-o", "{d}/z.geojson", "--tolerance-m", "0.5"], "at least 1 m"),
        (["--from", "BLR", "--max-km", "30000", "-o", "{d}/z.geojson"], "exceeds 20,004 km"),
        (["--from", "Atlantisburg", "--max-km", "10", "-o", "{d}/z.geojson"], "unknown country 'Atlantisburg'"),
        (["--from", "BLR", "--max-km", "10"], "required: -o/--output"),
    ],
)
def test_zone_bad_input_is_one_line_and_exit_2(capsys, tmp_path, argv, message) -> None:
    code = zone(*[a.format(d=tmp_path) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and re.search(message, err), err
    assert not list(tmp_path.glob("*.geojson"))


# ---------------------------------------------------------------------------
# One grammar: the launch and range options are the same on every subcommand


def _subcommands() -> dict:
    from geo.cli.main import _build_parser

    parser = _build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sub.choices


@pytest.mark.parametrize("option", ["--from", "--min-km", "--max-km", "--system"])
def test_launch_and_range_options_are_one_definition_on_every_subcommand(option) -> None:
    found = {}
    for name in ("reach", "zone", "check", "map"):
        action = next(a for a in _subcommands()[name]._actions if option in a.option_strings)
        found[name] = (action.dest, action.type, action.default, action.nargs, action.metavar, action.choices)
    assert len(set(found.values())) == 1, found


def test_zone_takes_a_system_and_its_figures(tmp_path) -> None:
    out = tmp_path / "z.geojson"
    assert zone("--from", "krichev", "--system", "oreshnik", "-o", str(out)) == 0
    props = [f["properties"] for f in json.loads(out.read_text())["features"]]
    assert {(p["min_km"], p["max_km"]) for p in props} == {(700.0, 5000.0)}
    out2 = tmp_path / "z2.geojson"
    assert zone("--from", "krichev", "--system", "oreshnik", "--min-km", "0", "-o", str(out2)) == 0
    assert json.loads(out2.read_text())["features"][1]["geometry"] is None  # an explicit 0 wins: no dead zone


def test_check_and_map_survey_places_from_the_command_line(capsys, tmp_path) -> None:
    code = main(["check", "--from", "BLR", "--system", "oreshnik", "--places", "Warsaw; Berlin; Kyiv",
                 "--no-coverage", "--no-population", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    (survey,) = [x for x in json.loads(out) if x["kind"] == "survey"]
    assert (survey["min_km"], survey["max_km"]) == (700.0, 5000.0)
    rows = {p["name"]: p for p in survey["places"]}
    area = LaunchArea(lookup_country("BLR")[2])
    for name, (lat, lon) in {"Warsaw": (52.22977, 21.01178), "Berlin": (52.52437, 13.41053),
                             "Kyiv": (50.45466, 30.5238)}.items():
        near, far = (float(d[0]) / 1e3 for d in area.distances([lon], [lat]))
        assert abs(rows[name]["nearest_km"] - near) < 1e-3 and abs(rows[name]["farthest_km"] - far) < 1e-3, name
        want = "too_close" if far < 700 else "too_far" if near > 5000 else "reachable"
        assert rows[name]["status"] == want, name
    assert rows["Kyiv"]["status"] == "too_close" and rows["Berlin"]["status"] == "reachable"
    html = tmp_path / "m.html"
    assert main(["map", "--from", "BLR", "--system", "iskander-m", "-o", str(html)]) == 0
    assert "Iskander" in html.read_text(encoding="utf-8")


def _main_status(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # usage errors exit through argparse
        return int(exc.code)


@pytest.mark.parametrize(("argv", "message"), [
    (["check"], "give claim files (PATH), or --from"),
    (["map", "-o", "{d}/m.html"], "give claim files (PATH), or --from"),
    (["check", "--system", "oreshnik", "data/claims"], "give --from too"),
    (["map", "--from", "BLR", "-o", "{d}/m.html"], "--max-km is required (or give --system)"),
    (["check", "--from", "BLR", "--max-km", "100", "--places", "Xqzzyville; Warsaw"], "Xqzzyville"),
])
def test_survey_options_bad_input_is_one_line_and_exit_2(argv, message, capsys, tmp_path) -> None:
    code = _main_status([a.replace("{d}", str(tmp_path)) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err
    assert list(tmp_path.iterdir()) == []


def test_reach_writes_a_shapefile_and_needs_a_file_for_it(capsys, tmp_path) -> None:
    from geo.outputs.tables import read_reach

    out = tmp_path / "reach.zip"
    assert main(["reach", "--from", "BLR", "--system", "oreshnik", "--format", "shapefile", "-o", str(out)]) == 0
    table = read_reach(out)
    assert len(table) > 190 and set(table["status"]) == {"reachable", "too_close", "too_far"}
    warsaw = table[table["name"] == "Warsaw"].iloc[0]
    assert warsaw["status"] == "reachable" and abs(warsaw["min_km"] - 147.210) < 1e-3
    assert _main_status(["reach", "--from", "BLR", "--max-km", "10", "--format", "shapefile"]) == 2
    assert "needs -o FILE.shp" in capsys.readouterr().err


def test_places_by_name_and_cities_as_launch_points(capsys) -> None:
    """--place/--places names and coordinates, --from a city: distances against geographiclib from the coordinates."""
    from geo.reference.places import lookup_place

    code = main(["reach", "--from", "Minsk", "--max-km", "1000", "--place", "Warschau", "--place", "Odessa",
                 "--place", "Baltiysk=54°39'N 19°55'E", "--format", "json"])
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert code == 0 and set(rows) == {"Warsaw", "Odesa", "Baltiysk"}
    assert (rows["Warsaw"]["country"], rows["Odesa"]["country"], rows["Baltiysk"]["country"]) == ("PL", "UA", "")
    minsk = lookup_place("Minsk")
    geod = Geodesic.WGS84
    for name, (lat, lon) in {"Warsaw": (rows["Warsaw"]["lat"], rows["Warsaw"]["lon"]),
                             "Baltiysk": (54 + 39 / 60, 19 + 55 / 60)}.items():
        want = geod.Inverse(minsk.lat, minsk.lon, lat, lon)["s12"] / 1e3
        assert abs(rows[name]["min_km"] - want) < 1e-6, name
        assert rows[name]["via"] == "Minsk, BY"
    code = main(["reach", "--from", "BLR", "--max-km", "1000", "--places", "London; 54.63N 21.81E", "--format",
                 "csv", "-q"])
    out = capsys.readouterr().out
    # Each place with the user's spelling (query) beside the name it resolved to.
    assert code == 0 and "London,London,GB," in out and '\n"54.63,21.81",54.63N 21.81E,,54.63,21.81,,' in out
    assert _main_status(["reach", "--from", "BLR", "--max-km", "10", "--place", "x", "--places", "capitals"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err
    assert main(["reach", "--from", "BLR", "--max-km", "10", "--places", "Hyderabad; London"]) == 2
    assert "Hyderabad, IN" in capsys.readouterr().err


def test_discovery_commands_list_systems_sites_and_what_a_name_means(capsys) -> None:
    from geo.reference.places import load_sites
    from geo.reference.systems import load_systems

    assert main(["systems", "--format", "json"]) == 0
    systems = json.loads(capsys.readouterr().out)
    assert [s["key"] for s in systems] == list(load_systems())
    oreshnik = next(s for s in systems if s["key"] == "oreshnik")
    assert (oreshnik["min_km"], oreshnik["max_km"]) == (700.0, 5000.0) and oreshnik["max_source"]
    assert main(["systems"]) == 0 and "oreshnik" in capsys.readouterr().out
    assert main(["sites", "--format", "json"]) == 0
    assert {s["key"] for s in json.loads(capsys.readouterr().out)} == set(load_sites())
    assert main(["places", "Odessa", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(c["name"], c["country"], c["chosen"]) for c in doc["candidates"][:2]] == [("Odesa", "UA", True),
                                                                                     ("Odessa", "US", False)]
    assert doc["resolution"].startswith("'Odessa' means Odesa, UA (Odessa, UA-51; population 1,010,537;")
    # Refused names exit 2, as reach refuses them: the candidates on stdout, the reason on stderr.
    assert main(["places", "Hyderabad"]) == 2
    captured = capsys.readouterr()
    assert "Hyderabad  Sindh (PK-SD)" in captured.out and "add a country qualifier" in captured.err
    assert main(["places", "Xqzzyville"]) == 2


# ---------------------------------------------------------------------------
# Range figures as people write them: --min-km/--max-km refuse two readings, --min/--max take units,
# --numbers states the convention (geo/reference/quantities.py)


@pytest.mark.parametrize("option", ["--max-km", "--max", "--min-km", "--min"])
@pytest.mark.parametrize(("text", "readings"), [
    ("5.000", ["5000 ('.' grouping thousands)", "5 ('.' as the decimal mark)"]),
    ("1.500", ["1500 ('.' grouping thousands)", "1.5 ('.' as the decimal mark)"]),
    ("12,500", ["12500 (',' grouping thousands)", "12.5 (',' as the decimal mark)"]),
    ("5,000", ["5000 (',' grouping thousands)", "5 (',' as the decimal mark)"]),
    ("5 000", ["5000 (a space grouping thousands)", "two figures, 5 and 000"]),
    ("5'000", ["5000 (an apostrophe grouping thousands)", "5 (an apostrophe as the decimal mark)"]),
])
def test_a_range_of_two_readings_is_refused_on_the_command_line(capsys, option, text, readings) -> None:
    bound = ["--max-km", "6000"] if option.startswith("--min") else []
    code = _main_status(["reach", "--from", "BLR", *bound, option, text, "--place", "Warschau"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith(f"georange reach: error: argument {option}: {text!r} can be read as ")
    for reading in readings:
        assert reading in err
    assert "--numbers 1.234,5 (decimal comma) or --numbers 1,234.5 (decimal point)" in err


def _zone_band(tmp_path: Path, *argv: str) -> tuple[float, float]:
    out = tmp_path / "band.geojson"
    assert zone("--from", "krichev", *argv, "-o", str(out), "--overwrite", "--tolerance-m", "1000") == 0
    (band,) = {(f["properties"]["min_km"], f["properties"]["max_km"]) for f in json.loads(out.read_text())["features"]}
    return band


def test_min_max_take_units_and_numbers_states_the_convention(capsys, tmp_path) -> None:
    """The band each form gives, read back from the zone file's properties.

    The expected kilometres are the products written out by hand from the
    definitions (mile = 1760 x 0.9144 m = 1.609344 km, nautical mile =
    1.852 km): 300 x 1.852 = 555.6; 1500.5 x 1.609344 = 2414.820672.
    """
    assert _zone_band(tmp_path, "--max", "300 nmi") == (0.0, 555.6)
    assert _zone_band(tmp_path, "--min", "100 mi", "--max", "1,500.5 miles") == (160.9344, 2414.820672)
    assert _zone_band(tmp_path, "--max-km", "1.500", "--numbers", "1.234,5") == (0.0, 1500.0)
    assert _zone_band(tmp_path, "--decimal-comma", "--max-km", "1.500") == (0.0, 1500.0)
    assert _zone_band(tmp_path, "--max-km", "1.500", "--numbers", "1,234.5") == (0.0, 1.5)
    assert _zone_band(tmp_path, "--max-km", "1.500", "--decimal-point") == (0.0, 1.5)
    assert _zone_band(tmp_path, "--max", "1,500 miles", "--numbers", "1,234.5") == (0.0, 2414.016)
    assert _zone_band(tmp_path, "--max", "2.000 km", "--numbers", "1 234,5", "--min", "5 000 m") == (5.0, 2000.0)
    assert _zone_band(tmp_path, "--max-km", "1,6") == (0.0, 1.6)
    assert _zone_band(tmp_path, "--max-km", "1.500,5") == (0.0, 1500.5)
    assert "error" not in capsys.readouterr().err  # only the lines saying what -o wrote


def test_the_convention_changes_the_answer_of_reach(capsys) -> None:
    """Warsaw is 147-800 km from Belarus: too far at 5 km, reachable at 5000 km."""
    five = records(capsys, "--from", "BLR", "--max-km", "5", "--place", "Warschau")
    five_thousand = records(capsys, "--from", "BLR", "--max-km", "5000", "--place", "Warschau")
    assert (five[0]["status"], five_thousand[0]["status"]) == ("too_far", "reachable")
    assert records(capsys, "--from", "BLR", "--max-km", "5.000", "--numbers", "1.234,5",
                   "--place", "Warschau") == five_thousand
    assert records(capsys, "--from", "BLR", "--numbers", "1,234.5", "--max-km", "5.000",
                   "--place", "Warschau") == five
    # A reachable place's margin is the smaller slack: band maximum - nearest, farthest - band minimum.
    (row,) = records(capsys, "--from", "BLR", "--max", "500 NM", "--place", "Warschau")  # 926 km
    assert row["status"] == "reachable"
    assert row["margin_km"] == pytest.approx(min(926.0 - row["min_km"], row["max_km"] - 0), abs=1e-9)
    assert row["margin_km"] < five_thousand[0]["margin_km"]


@pytest.mark.parametrize(("argv", "message"), [
    (["--max-km", "1500 mi"], "argument --max-km: '1500 mi' is not in kilometres: --max-km takes a number of km; "
                              "give --max '1500 mi'"),
    (["--min-km", "5 nmi", "--max-km", "10"], "argument --min-km: '5 nmi' is not in kilometres"),
    (["--max", "100 nmi", "--max-km", "10"], "argument --max-km: not allowed with argument --max"),
    (["--min", "1 km", "--min-km", "0", "--max-km", "10"], "argument --min-km: not allowed with argument --min"),
    (["--max", "5 leagues"], "argument --max: '5 leagues': unknown unit 'leagues'"),
    (["--max", "far"], "argument --max: 'far' is not a number of kilometres"),
    (["--max-km", "10", "--numbers", "european"], "argument --numbers: 'european' is not a way of writing numbers"),
    (["--max-km", "10", "--numbers", "1.234,5", "--decimal-point"], "not allowed with argument --numbers"),
    (["--max", "30.000 km", "--decimal-comma"], "max_km 30000 exceeds 20,004 km"),
])
def test_range_figure_options_bad_input_is_one_line_and_exit_2(capsys, argv, message) -> None:
    code = _main_status(["reach", "--from", "BLR", *argv, "--place", "Warsaw"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err


@pytest.mark.parametrize("option", ["--min", "--max", "--numbers", "--decimal-comma", "--decimal-point"])
def test_range_figure_options_are_one_definition_on_every_subcommand(option) -> None:
    found = {}
    for name in ("reach", "zone", "check", "map"):
        action = next(a for a in _subcommands()[name]._actions if option in a.option_strings)
        found[name] = (action.dest, action.type, action.default, action.const, action.metavar)
    assert len(set(found.values())) == 1, found
