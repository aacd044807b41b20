"""One grammar everywhere: what ``--places``, ``--place`` and ``--from`` take works the same from Python.

Each API call is compared with its command-line equivalent (the CSV ``georange
reach`` writes is byte for byte the CSV of ``geo.reach``'s frame), distances
with geographiclib in its own (lat, lon) order, and every output format of a
places file whose columns are ``city,latitude,longitude`` with the others.
Wrong types at the public API raise a GeoRangeError with a one-line message.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from geographiclib.geodesic import Geodesic

import geo
from geo.analysis.api import as_sources
from geo.cli.main import main
from geo.errors import GeoRangeError, InputFileError, UnknownPlaceError
from geo.inputs.targets import iter_targets, load_targets, parse_targets, split_names
from geo.outputs import tables

from cases import DIST_TOL_M, ZONE_TOL_M

GL = Geodesic.WGS84
MINSK = (53.9, 27.5667)  # LAT, LON: a launch point, so that geographiclib gives every distance alone
FROM = f"{MINSK[0]},{MINSK[1]}"
WORLD_CSV = "city,latitude,longitude\nBerlin,52.52,13.40\nReykjavik,64.1355,-21.8954\nWellington,-41.2866,174.7756\n"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out


def oracle_km(lat: float, lon: float) -> float:
    return GL.Inverse(MINSK[0], MINSK[1], lat, lon)["s12"] / 1e3


@pytest.fixture
def world_csv(tmp_path: Path) -> Path:
    path = tmp_path / "w.csv"
    path.write_text(WORLD_CSV, encoding="utf-8")
    return path


@pytest.fixture
def points_geojson(tmp_path: Path) -> Path:
    path = tmp_path / "p.geojson"
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                 "properties": {"Place": name, "pop": pop}}
                for name, lat, lon, pop in (("Vilnius", 54.6872, 25.2797, 588412), ("Riga", 56.946, 24.1059, 614618))]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


# -- one targets grammar -----------------------------------------------------------


def test_one_function_decides_what_a_spec_means(world_csv) -> None:
    assert parse_targets("capitals").kind == "preset"
    assert parse_targets("nato-capitals").kind == "set"
    assert parse_targets(str(world_csv)).kind == "file"
    assert parse_targets("nowhere.csv").kind == "file"  # a file name, reported as missing when read
    assert parse_targets("London; nowhere.csv").kind == "names"  # a list is a file only if one is there
    assert parse_targets(str(world_csv.parent)).kind == "file"  # refused as a folder when read
    assert parse_targets("Tel Aviv; Eilat;").names == ("Tel Aviv", "Eilat")
    assert parse_targets(" Kiew ").names == ("Kiew",)
    assert parse_targets(["Kiew", "A; B"]).names == ("Kiew", "A; B")  # a list: one place per entry
    assert split_names(";; London ;; Paris ;") == ["London", "Paris"]
    for empty in ("", "  ", ";", " ; ;; "):
        with pytest.raises(InputFileError, match="empty|names no place"):
            parse_targets(empty)


@pytest.mark.parametrize(
    "spec",
    ["european-capitals", "nato-capitals", "London; Kiew; 54.63N 21.81E;", "Warschau", "{csv}", "{geojson}"],
)
def test_geo_reach_gives_what_georange_reach_writes(capsys, world_csv, points_geojson, spec) -> None:
    spec = spec.format(csv=world_csv, geojson=points_geojson)
    got = geo.reach(spec, FROM, 0, 1500)
    out = cli(capsys, "reach", "--from", FROM, "--max-km", "1500", "--places", spec, "--format", "csv")
    assert tables.to_csv(got) == out
    streamed = pd.concat(list(geo.iter_reach(spec, FROM, 0, 1500)))
    assert tables.to_csv(streamed) == out
    for lat, lon, d in zip(got["lat"], got["lon"], got["min_km"], strict=True):  # a point launch: min = max
        assert abs(d - oracle_km(lat, lon)) * 1e3 < DIST_TOL_M


def test_geo_reach_dask_takes_the_same_specs(world_csv) -> None:
    pytest.importorskip("dask_geopandas")
    for spec in ("nato-capitals", "Tel Aviv; Eilat;", str(world_csv)):
        lazy = geo.reach_dask(spec, "BLR", 0, 1500, npartitions=2)
        pd.testing.assert_frame_equal(lazy.compute(), geo.reach(spec, "BLR", 0, 1500))


def test_three_spellings_give_three_rows_each_with_its_query(capsys) -> None:
    spellings = ["Kiew", "Kijów", "Київ"]
    got = geo.reach(spellings, FROM, 0, 1000)
    assert got["query"].tolist() == spellings and set(got["name"]) == {"Kyiv"} and set(got["country"]) == {"UA"}
    pd.testing.assert_frame_equal(geo.reach(pd.Series(spellings), FROM, 0, 1000), got)  # a column of names
    assert tables.to_csv(got) == cli(capsys, "reach", "--from", FROM, "--max-km", "1000", "--place", "Kiew",
                                     "--place", "Kijów", "--place", "Київ", "--format", "csv")
    table = cli(capsys, "reach", "--from", FROM, "--max-km", "1000", "--places", "Kiew; Kijów; Київ; Kyiv")
    rows = [line.split("  ")[0].strip() for line in table.splitlines()[4:8]]
    assert rows == ["Kyiv (Kiew)", "Kyiv (Kijów)", "Kyiv (Київ)", "Kyiv"]
    for fmt, read in (("json", tables.from_json), ("geojson", tables.from_geojson)):
        back = read(cli(capsys, "reach", "--from", FROM, "--max-km", "1000", "--places", "Kiew; Kijów; Київ",
                        "--format", fmt))
        assert back["query"].tolist() == spellings and back["name"].tolist() == ["Kyiv"] * 3


def test_a_claim_survey_takes_the_places_grammar() -> None:
    survey = geo.make_survey(launch="BLR", places="London; Kiew;", max_km=500)
    assert survey.table[["name", "query", "country"]].values.tolist() == [["London", "London", "GB"],
                                                                         ["Kyiv", "Kiew", "UA"]]
    assert len(geo.make_survey(launch="BLR", places="nato-capitals", max_km=500).table) >= 30


def test_a_lone_unknown_name_keeps_the_lookup_class() -> None:
    with pytest.raises(UnknownPlaceError, match=r"unknown place 'Xqzzyville'.*not a preset"):
        geo.reach("Xqzzyville", "BLR", 0, 500)
    with pytest.raises(UnknownPlaceError, match="Xqzzyville"):
        geo.reach("London; Xqzzyville", "BLR", 0, 500)


# -- one column rule for every format ---------------------------------------------


def test_every_format_takes_a_city_latitude_longitude_csv(capsys, tmp_path, world_csv) -> None:
    argv = ["reach", "--from", FROM, "--max-km", "1500", "--places", str(world_csv)]
    want = geo.reach(str(world_csv), FROM, 0, 1500)
    assert list(want.columns) == ["name", "lat", "lon", "min_km", "max_km", "status", "margin_km", "via", "borders",
                                  "border_src"]
    assert want["name"].tolist() == ["Berlin", "Reykjavik", "Wellington"]
    for name, lat, lon, d in zip(want["name"], want["lat"], want["lon"], want["min_km"], strict=True):
        assert abs(d - oracle_km(lat, lon)) * 1e3 < DIST_TOL_M, name
    table = cli(capsys, *argv)
    for name, d in zip(want["name"], want["min_km"], strict=True):
        assert any(line.startswith(name) and f"{d:,.1f}" in line for line in table.splitlines()), name
    for fmt in ("csv", "json", "geojson", "shapefile"):
        path = tmp_path / f"out.{ {'shapefile': 'shp'}.get(fmt, fmt) }"
        assert main([*argv, "--format", fmt, "-o", str(path)]) == 0, capsys.readouterr().err
        back = tables.read_reach(path)
        assert list(back.columns) == list(want.columns), fmt
        assert back["name"].tolist() == want["name"].tolist(), fmt
        np.testing.assert_allclose(back["min_km"], want["min_km"], rtol=1e-12, err_msg=fmt)
        assert back["status"].tolist() == want["status"].astype(str).tolist(), fmt


def test_other_languages_and_no_name_at_all(capsys, tmp_path) -> None:
    dutch = tmp_path / "nl.csv"
    dutch.write_text("naam,breedtegraad,lengtegraad,inwoners\nAmsterdam,52.37,4.89,921402\n", encoding="utf-8")
    got = load_targets(str(dutch))
    assert list(got.columns) == ["name", "lat", "lon", "inwoners"] and got.loc[0, "name"] == "Amsterdam"
    semicolons = tmp_path / "nl-excel.csv"  # a Dutch or German spreadsheet: ';' between fields, decimal commas
    semicolons.write_text("Naam;Breedte;Lengte;Opmerking\nAmsterdam;52,37;4,89;hoofdstad, NL\nBerlin;52.52;13.4;\n",
                          encoding="utf-8")
    got = geo.reach(str(semicolons), FROM, 0, 1500)
    assert got[["name", "lat", "lon", "Opmerking"]].values.tolist() == [["Amsterdam", 52.37, 4.89, "hoofdstad, NL"],
                                                                        ["Berlin", 52.52, 13.4, ""]]
    assert abs(got.loc[0, "min_km"] - oracle_km(52.37, 4.89)) * 1e3 < DIST_TOL_M
    assert tables.to_csv(got) == cli(capsys, "reach", "--from", FROM, "--max-km", "1500", "--places", str(semicolons),
                                     "--format", "csv")
    bare = tmp_path / "bare.csv"  # no name column: the table labels by the first text column, else coordinates
    bare.write_text("id,y,x,note\n7,52.37,4.89,dam\n8,50.45,30.52,\n", encoding="utf-8")
    assert list(pd.concat(iter_targets(str(bare))).columns) == ["lat", "lon", "id", "note"]
    table = cli(capsys, "reach", "--from", FROM, "--max-km", "2000", "--places", str(bare))
    assert "\ndam " in table  # the note column labels the places (the ids are numbers)
    bare.write_text("id,lat,lon\n7,52.37,4.89\n", encoding="utf-8")
    assert "52.3700, 4.8900" in cli(capsys, "reach", "--from", FROM, "--max-km", "2000", "--places", str(bare))


# -- zones: the launch and band of geo.reach ---------------------------------------


def test_zones_take_a_launch_string_and_a_system_like_georange_zone(tmp_path) -> None:
    got = geo.zones("Kaliningrad", system="iskander-m")
    system = geo.lookup_system("iskander-m")
    assert (got[0].min_km, got[0].max_km) == (system.min_km.value_km, system.max_km.value_km)
    old = geo.zones(as_sources("Kaliningrad"), geo.RangeBand(system.min_km.value_km, system.max_km.value_km))
    path = tmp_path / "z.gpkg"
    assert main(["zone", "--from", "Kaliningrad", "--system", "iskander-m", "-o", str(path)]) == 0
    read = geo.read_zones(path)
    for a, b, c in zip(got, old, read, strict=True):
        assert a.role == b.role == c.role and a.launch == c.launch
        assert a.geometry.equals(b.geometry)
        assert math.isclose(a.area_km2, c.area_km2, rel_tol=1e-9)


def test_zones_from_a_coordinate_match_geographiclib() -> None:
    reach, dead, reachable = geo.zones(FROM, 100, 300)  # LAT,LON as on the command line
    tol_km = ZONE_TOL_M / 1e3
    for azimuth in range(0, 360, 15):
        for radius, inside_reach, inside_dead in ((300 - 2 * tol_km, True, False), (300 + 2 * tol_km, False, False),
                                                  (100 - 2 * tol_km, True, True), (100 + 2 * tol_km, True, False)):
            p = GL.Direct(MINSK[0], MINSK[1], azimuth, radius * 1e3)
            point = shapely.Point(p["lon2"], p["lat2"])
            assert reach.geometry.covers(point) == inside_reach and dead.geometry.covers(point) == inside_dead
            assert reachable.geometry.covers(point) == (inside_reach and not inside_dead)
    with pytest.raises(geo.InvalidRangeError, match="not both"):
        geo.zones(FROM, geo.RangeBand(0, 100), system="iskander-m")


# -- distances: latitude first, km ---------------------------------------------------


def test_geodesic_distance_km_is_latitude_first_and_in_km() -> None:
    rng = np.random.default_rng(27)
    lat1, lat2 = rng.uniform(-90, 90, (2, 200))
    lon1, lon2 = rng.uniform(-180, 180, (2, 200))
    got = geo.geodesic_distance_km(lat1, lon1, lat2, lon2)
    want = [GL.Inverse(a, b, c, d)["s12"] / 1e3 for a, b, c, d in zip(lat1, lon1, lat2, lon2, strict=True)]
    np.testing.assert_allclose(got, want, rtol=0, atol=DIST_TOL_M / 1e3)
    assert f"{float(geo.geodesic_distance_km(lat1=53.9, lon1=27.5667, lat2=52.2298, lon2=21.0118)):.1f}" == "476.9"
    matrix = geo.geodesic_distance_km(lat1[:3, None], lon1[:3, None], lat2[None, :4], lon2[None, :4])
    assert matrix.shape == (3, 4) and math.isclose(matrix[2, 3], GL.Inverse(lat1[2], lon1[2], lat2[3], lon2[3])["s12"]
                                                   / 1e3, abs_tol=1e-6)
    with pytest.raises(geo.InvalidCoordinateError, match="latitude 120"):
        geo.geodesic_distance_km(120, 10, 0, 0)  # (lon, lat) by mistake is refused, not answered
    for old in ("geodesic_distance", "distances_to_points"):
        assert old not in geo.__all__
        with pytest.raises(AttributeError, match="geodesic_distance_km"):
            getattr(geo, old)


# -- wrong types ---------------------------------------------------------------------

WRONG = [None, 42, 3.5, {}, {"a": 1}, "", [], [None], b"x", object(), float("nan"), True, ("a",), [1, 2]]
"""Values of the wrong type (or empty) for any argument below."""

ENTRY_POINTS = {
    "reach targets": lambda v, tmp: geo.reach(v, "BLR", 0, 500),
    "reach launch": lambda v, tmp: geo.reach(["Warsaw"], v, 0, 500),
    "reach min_km": lambda v, tmp: geo.reach(["Warsaw"], "BLR", v, 500),
    "reach max_km": lambda v, tmp: geo.reach(["Warsaw"], "BLR", 0, v),
    "reach system": lambda v, tmp: geo.reach(["Warsaw"], "BLR", system=v),
    "reach workers": lambda v, tmp: geo.reach(["Warsaw"], "BLR", 0, 500, workers=v),
    "iter_reach places": lambda v, tmp: list(geo.iter_reach(v, "BLR", 0, 500)),
    "iter_reach launch": lambda v, tmp: geo.iter_reach("capitals", v, 0, 500),
    "iter_reach chunk_rows": lambda v, tmp: geo.iter_reach("capitals", "BLR", 0, 500, chunk_rows=v),
    "zones launch": lambda v, tmp: geo.zones(v, 0, 100),
    "zones band": lambda v, tmp: geo.zones(FROM, v),
    "zones max_km": lambda v, tmp: geo.zones(FROM, 0, v),
    "zones system": lambda v, tmp: geo.zones(FROM, system=v),
    "zones tolerance_m": lambda v, tmp: geo.zones(FROM, 0, 100, tolerance_m=v),
    "geodesic_distance_km": lambda v, tmp: geo.geodesic_distance_km(v, 0, 0, 0),
    "parse_launch": lambda v, tmp: geo.parse_launch(v),
    "LaunchPoint": lambda v, tmp: geo.LaunchPoint("x", v, 0),
    "LaunchRegion": lambda v, tmp: geo.LaunchRegion("x", v),
    "LaunchArea": lambda v, tmp: geo.LaunchArea(v),
    "RangeBand": lambda v, tmp: geo.RangeBand(v, 500),
    "make_claim place": lambda v, tmp: geo.make_claim(place=v, expect="reachable", launch="BLR", max_km=500),
    "make_claim launch": lambda v, tmp: geo.make_claim(place="Warsaw", expect="reachable", launch=v, max_km=500),
    "evaluate_claim": lambda v, tmp: geo.evaluate_claim(v),
    "write_zones zones": lambda v, tmp: geo.write_zones(v, tmp / "z.geojson"),
    "write_zones path": lambda v, tmp: geo.write_zones(geo.zones(FROM, 0, 10), v),
    "read_zones": lambda v, tmp: geo.read_zones(v),
    "lookup_place": lambda v, tmp: geo.lookup_place(v),
    "lookup_country": lambda v, tmp: geo.lookup_country(v),
    "lookup_site": lambda v, tmp: geo.lookup_site(v),
    "lookup_system": lambda v, tmp: geo.lookup_system(v),
    "load_claims": lambda v, tmp: geo.load_claims(v),
    "make_survey places": lambda v, tmp: geo.make_survey(launch="BLR", max_km=500, places=v),
    "make_survey launch": lambda v, tmp: geo.make_survey(launch=v, max_km=500, places=["Warsaw"]),
}


OPTIONAL = {"reach min_km", "reach max_km", "reach system", "zones band", "zones max_km", "zones system"}
"""Arguments where None is the default (a system or the other bound fills in, or an error says what is missing)."""


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_wrong_types_raise_one_line_georange_errors(entry, tmp_path) -> None:
    for value in WRONG:
        try:
            ENTRY_POINTS[entry](value, tmp_path)
        except GeoRangeError as exc:
            assert "\n" not in str(exc) and str(exc), (entry, value)
        else:  # accepted: only where the value means something
            meaningful = ((value is None and entry in OPTIONAL) or (value == [] and entry == "geodesic_distance_km")
                          or (value == "" and entry == "lookup_site")  # "no site of that name": None, by design
                          or (value == [] and entry == "load_claims"))  # no files: nothing to check
            assert meaningful or not (value is None or value == "" or value == [] or value == {}), (entry, value)


def test_the_fuzz_can_fail(monkeypatch, tmp_path) -> None:
    """A call that lets a builtin error through fails the test above."""
    monkeypatch.setitem(ENTRY_POINTS, "reach targets", lambda v, tmp: v.no_such_attribute)
    with pytest.raises(AttributeError):
        test_wrong_types_raise_one_line_georange_errors("reach targets", tmp_path)


def test_wrong_type_messages_name_the_argument() -> None:
    with pytest.raises(geo.InvalidRangeError, match=r"min_km '500' must be a number of kilometres"):
        geo.reach(["Warsaw"], "BLR", "500", 1000)
    with pytest.raises(geo.InvalidCoordinateError, match=r"latitude '52': expected a number of degrees"):
        geo.geodesic_distance_km("52", 21, 50, 30)
    with pytest.raises(InputFileError, match=r"places, entry 2: 7 is not text"):
        geo.reach(["Warsaw", 7], "BLR", 0, 500)
    with pytest.raises(geo.InvalidGeometryError, match="expected a non-empty shapely Polygon"):
        geo.LaunchRegion("x", shapely.Point(0, 0))


def test_write_zones_leaves_no_file_for_bad_zones(tmp_path) -> None:
    path = tmp_path / "z.geojson"
    with pytest.raises(geo.OutputError, match="expected a list of Zone"):
        geo.write_zones(["reach"], path)
    assert not path.exists()
