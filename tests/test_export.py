"""Exports round-trip: reach tables (CSV, JSON, GeoJSON), claim verdicts (CSV, GeoJSON), zones (GeoJSON, GPKG, KML).

Every test writes a file or text, reads it back (with georange's reader
and, where one exists, an independent one: the csv module, GDAL through
pyogrio) and compares with the objects in memory, never with another
export. Floats must come back bit for bit.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.analysis.bands import RangeBand, reach_table
from geo.analysis.launch import parse_launch
from geo.analysis.zones import Zone, zones
from geo.claims.model import load_claims
from geo.claims.verdicts import evaluate
from geo.errors import InputFileError
from geo.inputs.targets import load_targets
from geo.outputs import report
from geo.outputs import tables as output
from geo.outputs.zonefiles import read_zones, write_zones

from cases import GEOMETRY_TOL_DEG

# ---------------------------------------------------------------------------
# Reach tables

# Names and passthrough text that break naive CSV/JSON handling: separators,
# quotes, line breaks, non-ASCII, strings pandas reads as missing ("NA" is
# Namibia's code), numbers written in a non-canonical way.
HOSTILE = pd.DataFrame({
    "name": ['Quote "Town", Ville', "Line\nbreak", "Zürich; São Tomé’s", "  padded  ", "NA", "nan"],
    "country": ["NA", "", "None", "null", "N/A", "CH"],
    "lat": [90.0, -90.0, 0.0, 1 / 3, -33.868820000000014, 53.7347],
    "lon": [-180.0, 180.0, -0.0, 1e-300, 151.20929, 31.9172],
    "population": [0, 1, -2, 10**15, 7, 42],
    "note": ["007", "1.50", "", "1e5", "True", "x,y"],
})


@cache
def capitals_table() -> pd.DataFrame:
    return reach_table(load_targets("capitals"), [parse_launch("BLR")], RangeBand(700, 5000))


@cache
def hostile_table() -> pd.DataFrame:
    return reach_table(HOSTILE, [parse_launch("BLR"), parse_launch("krichev")], RangeBand(700, 5000))


TABLES = {"capitals": capitals_table, "hostile": hostile_table}
FORMATS = {
    "csv": (output.to_csv, output.from_csv),
    "json": (output.to_json, output.from_json),
    "geojson": (output.to_geojson, output.from_geojson),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("table", TABLES)
def test_reach_table_round_trips_exactly(fmt, table, tmp_path):
    df = TABLES[table]()
    write, _ = FORMATS[fmt]
    path = tmp_path / f"reach.{fmt}"
    path.write_text(write(df), encoding="utf-8")
    back = output.read_reach(path)
    pd.testing.assert_frame_equal(back, df, check_exact=True)
    for col in ("lat", "lon", "min_km", "max_km", "margin_km"):  # bit for bit, sign of zero included
        assert back[col].dtype == np.float64
        assert back[col].to_numpy().tobytes() == df[col].to_numpy(dtype=float).tobytes(), col
    assert back["name"].tolist() == df["name"].tolist()
    assert back["status"].tolist() == df["status"].tolist()
    assert back["country"].tolist() == df["country"].tolist()


def test_reach_tables_cover_every_status():
    df = capitals_table()
    assert set(df["status"]) == {"reachable", "too_close", "too_far"}
    assert {"Windhoek", "Saint John’s", "Reykjavík"} <= set(df["name"])


def test_hostile_passthrough_keeps_its_types_in_csv():
    back = output.from_csv(output.to_csv(hostile_table()))
    assert back["note"].tolist() == HOSTILE["note"].tolist()  # "007", "1.50", "1e5" stay text
    assert back["population"].dtype == np.int64
    assert back.loc[0, "country"] == "NA" and back.loc[5, "name"] == "nan"


def test_csv_is_read_back_by_the_csv_module():
    df = hostile_table()
    rows = list(csv.DictReader(io.StringIO(output.to_csv(df), newline="")))
    assert [r["name"] for r in rows] == df["name"].tolist()
    assert [float(r["lat"]) for r in rows] == df["lat"].tolist()
    assert [r["margin_km"] for r in rows] == [repr(float(x)) for x in df["margin_km"]]


def test_geojson_is_rfc7946_points_at_lon_lat(tmp_path):
    df = capitals_table()
    text = output.to_geojson(df)
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == len(df)
    for f, (_, row) in zip(doc["features"], df.iterrows(), strict=True):
        assert f["geometry"] == {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
        assert list(f["properties"]) == [c for c in df.columns if c not in ("lat", "lon")]
        assert f["properties"]["population"] == row["population"] and f["properties"]["status"] == row["status"]
    # GDAL reads it as points at the same coordinates, with the same properties.
    path = tmp_path / "reach.geojson"
    path.write_text(text, encoding="utf-8")
    gdf = pyogrio.read_dataframe(path)
    assert gdf.geometry.x.tolist() == df["lon"].tolist()
    assert gdf.geometry.y.tolist() == df["lat"].tolist()
    assert gdf["name"].tolist() == df["name"].tolist()
    assert gdf["min_km"].tolist() == df["min_km"].tolist()


def test_geojson_writes_nan_as_null_and_numpy_scalars_as_plain_values():
    df = pd.DataFrame({
        "name": ["a", "b"], "lat": [10.0, math.nan], "lon": [20.0, 30.0],
        "margin_km": [math.inf, math.nan], "count": np.array([1, 2], dtype=np.int32), "flag": [True, False],
    })
    text = output.to_geojson(df)
    assert "NaN" not in text and "Infinity" not in text
    a, b = json.loads(text)["features"]
    assert a["properties"] == {"name": "a", "margin_km": None, "count": 1, "flag": True}
    assert b["geometry"] is None  # no finite coordinates: an unlocated feature (RFC 7946 3.2)
    back = output.from_geojson(text)
    assert back.loc[0, ["lat", "lon"]].tolist() == [10.0, 20.0]
    assert back.loc[1, ["lat", "lon"]].isna().all()  # a null geometry has neither coordinate
    assert back["count"].tolist() == [1, 2] and back["flag"].tolist() == [True, False]


@pytest.mark.parametrize(
    ("reader", "text", "match"),
    [
        (output.from_csv, "", "empty"),
        (output.from_csv, "name,lat,lon\nA,1.0\n", "row 2: 2 fields, expected 3"),
        (output.from_csv, "name,lat,lon\nA,north,1.0\n", "column lat holds 'north'"),
        (output.from_json, '{"name": "A"}', "JSON array of objects"),
        (output.from_json, "[1, 2", "not valid JSON"),
        (output.from_geojson, '{"type": "Feature"}', "FeatureCollection"),
        (output.from_geojson, '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
         '{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "properties": {}}]}', "feature 0: geometry"),
    ],
)
def test_reach_readers_refuse_malformed_input(reader, text, match):
    with pytest.raises(InputFileError, match=match):
        reader(text)


def test_read_reach_refuses_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="unknown format '.txt'"):
        output.read_reach(tmp_path / "reach.txt")
    with pytest.raises(InputFileError, match="no such file"):
        output.read_reach(tmp_path / "reach.csv")


# ---------------------------------------------------------------------------
# Claim verdicts

CLAIMS_TOML = '''
[source]
article = "test, \\"quoted\\"; article.txt"
outlet = "Ünïcode outlet, with commas"

[[claim]]
id = "kyiv-too-close"
text = "Kyiv, \\"the capital\\", is too close;\\nsecond line."
from = "Belarus"
scenarios = { "Krichev base" = "krichev", "Minsk, coordinate" = "53.9,27.56" }
min_km = 700
max_km = 5000
place = "Kyiv"
expect = "too_close"

[[claim]]
id = "reykjavik-false"
text = "Reykjavík is in reach (it is not)."
from = "53.9,27.56"
min_km = 0
max_km = 1000
place = "Reykjavík"
expect = "reachable"

[[claim]]
id = "coordinate-place"
from = "krichev"
min_km = 0
max_km = 10
place = "53.7347,31.9172"
expect = "reachable"

[[survey]]
id = "capitals-near-belarus"
from = "Belarus"
scenarios = { "Krichev base" = "krichev" }
min_km = 700
max_km = 5000
places = ["Warsaw", "Vilnius", "Bogotá", "Kyiv"]
'''


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    path = tmp_path_factory.mktemp("claims") / "claims.toml"
    path.write_text(CLAIMS_TOML, encoding="utf-8")
    loaded = load_claims([path])
    claims, surveys = evaluate(loaded.claims, loaded.surveys, coverage=True)
    assert {r.holds for r in claims} == {True, False}  # both outcomes are exported
    return claims, surveys


def _check_rows_against_results(rows, claims, surveys):
    assert len(rows) == len(claims) + sum(len(s.places) for s in surveys)
    for row, r in zip(rows, claims, strict=False):
        c, v = r.claim, r.verdict
        assert (row["kind"], row["id"], row["file"]) == ("claim", c.id, c.file)
        assert (row["lat"], row["lon"]) == (c.place.lat, c.place.lon)
        assert (row["status"], row["holds"], row["expect"]) == (v.status, r.holds, c.expect)
        assert (row["nearest_km"], row["farthest_km"], row["margin_km"]) == (v.nearest_km, v.farthest_km, v.margin_km)
        assert row["robust"] is v.robust and row["critical_km"] == (v.critical.value_km if v.critical else None)
        assert row["coverage"] == v.coverage.share and row["text"] == c.text
        assert row["from"] == "; ".join(c.launch.specs) and row["scenario"] == c.launch.label
        assert row["other_scenarios"].count(": ") == len(r.scenarios)
    survey_rows = rows[len(claims):]
    expected = pd.concat([s.places.assign(id=s.survey.id) for s in surveys], ignore_index=True)
    assert [r["kind"] for r in survey_rows] == ["survey"] * len(expected)
    assert [r["id"] for r in survey_rows] == expected["id"].tolist()
    assert [r["scenario"] for r in survey_rows] == expected["scenario"].tolist()
    assert [r["place_name"] for r in survey_rows] == expected["name"].tolist()
    assert [r["status"] for r in survey_rows] == expected["status"].tolist()
    assert [r["holds"] for r in survey_rows] == [None] * len(expected)
    assert [(r["lat"], r["lon"]) for r in survey_rows] == list(zip(expected["lat"], expected["lon"], strict=True))
    assert [r["nearest_km"] for r in survey_rows] == expected["min_km"].tolist()
    assert [r["margin_km"] for r in survey_rows] == expected["margin_km"].tolist()


def test_claim_csv_round_trips(verdicts, tmp_path):
    claims, surveys = verdicts
    path = tmp_path / "report.csv"
    path.write_text(report.to_csv(claims, surveys), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    rows = report.from_csv(text, where=str(path))
    _check_rows_against_results(rows, claims, surveys)
    assert rows == report.flat_records(claims, surveys)
    # The csv module sees the same ids, verdicts and text (quotes, commas and line breaks intact).
    plain = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["id"] for r in plain[: len(claims)]] == [r.claim.id for r in claims]
    assert [r["holds"] for r in plain[: len(claims)]] == ["true" if r.holds else "false" for r in claims]
    assert plain[0]["text"] == claims[0].claim.text and "\n" in plain[0]["text"]
    assert plain[0]["source_article"] == 'test, "quoted"; article.txt'


def test_claim_geojson_round_trips(verdicts, tmp_path):
    claims, surveys = verdicts
    path = tmp_path / "report.geojson"
    path.write_text(report.to_geojson(claims, surveys), encoding="utf-8")
    rows = report.from_geojson(path.read_text(encoding="utf-8"))
    _check_rows_against_results(rows, claims, surveys)
    assert rows == report.flat_records(claims, surveys)
    doc = json.loads(path.read_text(encoding="utf-8"))
    first = doc["features"][0]
    assert first["geometry"]["coordinates"] == [claims[0].claim.place.lon, claims[0].claim.place.lat]
    assert "lat" not in first["properties"] and first["properties"]["holds"] is True
    # GDAL reads the points at the places.
    gdf = pyogrio.read_dataframe(path)
    assert gdf["id"].tolist()[: len(claims)] == [r.claim.id for r in claims]
    assert gdf.geometry.x.tolist()[: len(claims)] == [r.claim.place.lon for r in claims]
    assert gdf.geometry.y.tolist()[: len(claims)] == [r.claim.place.lat for r in claims]


def test_claim_readers_refuse_malformed_input(verdicts):
    claims, _ = verdicts
    text = report.to_csv(claims)
    with pytest.raises(InputFileError, match="missing columns holds"):
        report.from_csv(text.replace(",holds,", ",held,", 1))
    with pytest.raises(InputFileError, match="row 2, column holds: 'yes' is not true or false"):
        report.from_csv(text.replace(",true,", ",yes,", 1))
    with pytest.raises(InputFileError, match="feature 0: expected a Point"):
        report.from_geojson('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null}]}')


# ---------------------------------------------------------------------------
# Zones

ZONE_CASES = {
    "launch-area-belarus": ("BLR", 700, 5000),
    # Crosses the antimeridian and encloses the North Pole; the dead zone is empty.
    "crosses-antimeridian-encloses-pole": ("64.7,177.5", 0, 3000),
    # Cut at the antimeridian into two parts on each side, around a dead zone cut likewise.
    "crosses-antimeridian-fiji": ("-17.7,178.0", 300, 1000),
}


@cache
def case_zones(name: str) -> tuple[Zone, ...]:
    launch, lo, hi = ZONE_CASES[name]
    return tuple(zones([parse_launch(launch)], RangeBand(lo, hi)))


def assert_same_geometry(got, want, where: str) -> None:
    assert got.geom_type == want.geom_type, where
    assert got.is_empty == want.is_empty, where
    if want.is_empty:
        return
    got_parts, want_parts = shapely.get_parts(got), shapely.get_parts(want)
    assert len(got_parts) == len(want_parts), where
    for g, w in zip(got_parts, want_parts, strict=True):
        assert len(g.interiors) == len(w.interiors), where
        # Same rings, same vertex order (so the same orientation), every vertex within the tolerance.
        assert shapely.equals_exact(g, w, tolerance=GEOMETRY_TOL_DEG), where
    assert shapely.symmetric_difference(got, want).area < 1e-12, where


def test_zone_cases_are_hard():
    kinds = {name: [z.geometry for z in case_zones(name)] for name in ZONE_CASES}
    assert all(g.bounds[0] == -180.0 and g.bounds[2] == 180.0 for g in kinds["crosses-antimeridian-encloses-pole"][::2])
    assert kinds["crosses-antimeridian-encloses-pole"][1].is_empty
    assert [g.geom_type for g in kinds["crosses-antimeridian-fiji"]] == ["MultiPolygon"] * 3
    assert len(kinds["launch-area-belarus"][2].interiors) == 1  # the reachable zone has the dead zone as a hole


@pytest.mark.parametrize("ext", [".geojson", ".json", ".gpkg", ".kml"])
@pytest.mark.parametrize("case", ZONE_CASES)
def test_zones_round_trip(case, ext, tmp_path):
    want = case_zones(case)
    path = write_zones(want, tmp_path / f"zones{ext}")
    got = read_zones(path)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        where = f"{case}{ext} {w.role}"
        assert g.properties() == w.properties(), where
        assert all(type(v) is float for v in (g.min_km, g.max_km, g.tolerance_m)), where
        assert_same_geometry(g.geometry, w.geometry, where)


@pytest.mark.parametrize("ext", [".geojson", ".gpkg"])
def test_zone_numbers_are_real_fields_even_for_integer_bands(ext, tmp_path):
    zs = case_zones("launch-area-belarus")
    assert isinstance(zs[0].min_km, int)  # RangeBand(700, 5000) keeps the ints it was given
    path = write_zones(zs, tmp_path / f"zones{ext}")
    info = pyogrio.read_info(path)
    dtypes = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert dtypes["min_km"] == dtypes["max_km"] == dtypes["tolerance_m"] == "float64"


@pytest.mark.parametrize("ext", [".geojson", ".gpkg", ".kml"])
def test_zone_text_round_trips(ext, tmp_path):
    label = 'Fiji & "Tonga" <b>, Zürich;\nsecond line'
    want = [dataclasses.replace(z, launch=label) for z in case_zones("crosses-antimeridian-fiji")]
    got = read_zones(write_zones(want, tmp_path / f"zones{ext}"))
    assert [z.launch for z in got] == [label] * 3
    assert [z.role for z in got] == ["reach", "dead_zone", "reachable"]


def test_kml_coordinates_are_lon_lat(tmp_path):
    import xml.etree.ElementTree as ET

    want = case_zones("crosses-antimeridian-fiji")
    path = write_zones(want, tmp_path / "zones.kml")
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = ET.parse(path).getroot().findall(".//k:Placemark", ns)
    assert len(marks) == len(want)
    for mark, zone in zip(marks, want, strict=True):
        outers = mark.findall(".//k:outerBoundaryIs/k:LinearRing/k:coordinates", ns)
        parts = shapely.get_parts(zone.geometry)
        assert len(outers) == len(parts)
        for text, part in zip(outers, parts, strict=True):
            pairs = [tuple(map(float, p.split(","))) for p in (text.text or "").split()]
            assert pairs == [tuple(xy) for xy in np.asarray(part.exterior.coords)[:, :2].tolist()]


def test_read_zones_refuses_bad_files(tmp_path):
    with pytest.raises(InputFileError, match="unknown zone format '.shp'"):
        read_zones(tmp_path / "zones.shp")
    with pytest.raises(InputFileError, match="no such file"):
        read_zones(tmp_path / "zones.gpkg")
    foreign = tmp_path / "foreign.geojson"
    foreign.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"role": "reach"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}), encoding="utf-8")
    with pytest.raises(InputFileError, match="missing zone fields min_km, max_km, launch, tolerance_m"):
        read_zones(foreign)
    bad_role = tmp_path / "bad_role.geojson"
    doc = json.loads(Path(write_zones(case_zones("launch-area-belarus"), tmp_path / "ok.geojson")).read_text())
    doc["features"][1]["properties"]["role"] = "kill_zone"
    bad_role.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputFileError, match="zone 2: role 'kill_zone'"):
        read_zones(bad_role)
