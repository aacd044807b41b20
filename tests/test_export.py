"""Exports round-trip: reach tables (CSV, JSON, GeoJSON), claim verdicts (CSV, GeoJSON); zones are in test_zonefiles.py.

Every test writes a file or text, reads it back (with georange's reader
and, where one exists, an independent one: the csv module, GDAL through
pyogrio) and compares with the objects in memory, never with another
export. Floats must come back bit for bit.
"""

from __future__ import annotations

import csv
import io
import json
import math
from functools import cache

import numpy as np
import pandas as pd
import pyogrio
import pytest

from geo.analysis.bands import RangeBand, reach_table
from geo.analysis.launch import parse_launch
from geo.claims.model import load_claims
from geo.claims.verdicts import evaluate
from geo.errors import InputFileError
from geo.inputs.targets import load_targets
from geo.outputs import report
from geo.outputs import tables as output

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


@pytest.mark.parametrize("ext", [".shp", ".zip"])
@pytest.mark.parametrize("table", TABLES)
def test_reach_table_round_trips_through_a_shapefile(ext, table, tmp_path):
    """Coordinates as doubles; numbers as dBASE decimals (15 places); text as UTF-8; names of at most 10 letters."""
    from geo.outputs.stream import write_chunks

    df = TABLES[table]()
    path = tmp_path / f"reach{ext}"
    assert write_chunks([df.iloc[:3], df.iloc[3:]], "shapefile", path) == len(df)  # two chunks, appended
    back = output.read_reach(path)
    assert list(back.columns) == list(df.columns)
    for col in ("lat", "lon"):  # the points are doubles: every digit
        assert np.array_equal(back[col].to_numpy(), df[col].to_numpy(dtype=float)), col
    for col in ("min_km", "max_km", "margin_km"):
        np.testing.assert_allclose(back[col].to_numpy(), df[col].to_numpy(dtype=float), rtol=1e-14, atol=1e-12)
    assert back["population"].tolist() == df["population"].tolist()
    for col in ("name", "country", "status", "via"):  # dBASE pads text with spaces: the ends are not kept
        assert back[col].tolist() == [v.strip() for v in df[col]], col
    source = f"/vsizip/{path}" if ext == ".zip" else path
    assert all(len(f) <= 10 for f in pyogrio.read_info(source)["fields"])


def test_shapefile_cuts_long_field_names_and_long_text_with_a_warning(tmp_path):
    from geo.errors import GeoRangeWarning
    from geo.outputs.shapefile import shapefile_names
    from geo.outputs.stream import write_chunks

    assert shapefile_names(["tolerance_m", "population_2015", "population_2020", "margin_km"]) == {
        "tolerance_m": "tol_m", "population_2015": "populati_1", "population_2020": "populati_2",
        "margin_km": "margin_km"}
    df = capitals_table().head(3).assign(population_2015=1, population_2020=2, via="x" * 300)
    with pytest.warns(GeoRangeWarning) as caught:
        write_chunks([df], "shapefile", tmp_path / "r.shp")
    messages = " ".join(str(w.message) for w in caught)
    assert "population_2015 as populati_1" in messages and "cut to the shapefile's 254 bytes" in messages
    back = output.read_reach(tmp_path / "r.shp")
    assert back["via"].tolist() == ["x" * 254] * 3 and back["populati_2"].tolist() == [2] * 3


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


def test_fast_csv_is_what_the_csv_module_writes_with_repr():
    # The Arrow writer must give the very text of csv.writer fed Python's repr of each float:
    # values where Arrow's notation differs (integral, under 1e-4, from 1e16 on, -0.0,
    # non-finite), every quoting case, and integer, boolean and mixed columns.
    rng = np.random.default_rng(5)
    edge = [5.0, -0.0, 0.0, 1e-4, 9.99e-5, -3.0249060216647194e-05, 1e16, 9.999999999999998e15, 1e22,
            5e-324, 1.7976931348623157e308, math.nan, math.inf, -math.inf, 123456789.0, 0.1, 1 / 3]
    n = 4000
    floats = np.r_[edge, rng.uniform(-2e4, 2e4, n - len(edge)) * 10.0 ** rng.integers(-8, 18, n - len(edge))]
    texts = ['a,b', 'q"x', "é\nz", "", " padded ", "plain", "tab\tx", "semi;colon"]
    df = pd.DataFrame({
        "name": pd.Series([texts[i % len(texts)] for i in range(n)], dtype="str"),
        "x": floats,
        "k": np.arange(n) - 7,
        "ok": np.arange(n) % 3 == 0,
        "mixed": pd.Series([1, "x,y", None, 2.5, True][i % 5] for i in range(n)),
        "status": pd.Series(["reachable", None][i % 2] for i in range(n)),
        "category": pd.Categorical([["too_far", "a,b", None][i % 3] for i in range(n)]),
    })
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(df.columns)
    for row in zip(*(df[c].tolist() for c in df.columns), strict=True):
        w.writerow(["" if v is None or (isinstance(v, float) and not math.isfinite(v))
                    else repr(v) if isinstance(v, float) else v for v in row])
    assert output.to_csv(df) == buf.getvalue()
    # A carriage return is quoted too (csv.writer in Python 3.11 leaves it bare, and readers then split the row).
    cr = pd.DataFrame({"name": pd.Series(["cr\rx"], dtype="str"), "x": [1.5]})
    assert output.to_csv(cr) == 'name,x\n"cr\rx",1.5\n'
    assert list(csv.reader(io.StringIO(output.to_csv(cr), newline=""))) == [["name", "x"], ["cr\rx", "1.5"]]


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
