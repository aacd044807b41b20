"""The border view through every entry point: reach, zones, distance, claim files, the CLI and the outputs.

The data layer (which ground each view gives a state) is tested in
tests/test_borders.py. Here every answer is checked against a brute-force
oracle (tests/oracle.py, geographiclib) over the disputed area read straight
from data/disputed.parquet with pyarrow, sharing no code with the engine, and
every output is checked to name the view it used.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import shapely

import geo
from geo.cli.main import main
from geo.reference.borders import borders_data, borders_note

from oracle import GEOD, BruteForce

DATA = Path(__file__).resolve().parent.parent / "data"

# (lon, lat) as GeoNames gives them (the gazetteer's rows).
ISTANBUL = (28.94966, 41.01384)
SEVASTOPOL = (33.52134, 44.60795)
SIMFEROPOL = (34.11079, 44.95719)
WOODY = (112.3315, 16.8315)  # inside Woody Island as Natural Earth 1:10m draws it
RAAF_DARWIN = (130.8766, -12.4147)
KATZRIN = (35.69139, 32.99194)  # in the Golan Heights, 20 km from the 1949 armistice line


def disputed(name: str) -> shapely.Geometry:
    """One area of the disputed-areas layer, read without georange's code."""
    table = pq.read_table(DATA / "disputed.parquet", columns=["name", "geometry"])
    names = table.column("name").to_pylist()
    return shapely.from_wkb(table.column("geometry")[names.index(name)].as_py())


def oracle_km(geometry: shapely.Geometry, lon: float, lat: float) -> float:
    return BruteForce(geometry, spacing_m=200.0).distances(lon, lat)[0] / 1e3


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- geo.reach, geo.zones, geo.distance ------------------------------------------------------------------


def test_controlled_russia_holds_sevastopol_and_recognised_russia_does_not() -> None:
    rec = geo.reach(["Sevastopol", "Simferopol"], "Russia", max_km=100)
    ctl = geo.reach(["Sevastopol", "Simferopol"], "Russia", max_km=100, borders="controlled")
    assert ctl["min_km"].tolist() == [0.0, 0.0] and set(ctl["status"]) == {"reachable"}
    assert set(ctl["via"]) == {"Russia: Crimea"}
    # Recognised: Russia's nearest ground is across the Kerch Strait (the 249.9 km for Sevastopol).
    assert rec["min_km"].iloc[0] == pytest.approx(249.9, abs=0.05) and set(rec["status"]) == {"too_far"}
    assert set(rec["borders"]) == {"recognised"} and set(ctl["borders"]) == {"controlled"}
    assert set(ctl["border_src"]) == {borders_data("controlled")}


def test_istanbul_from_controlled_russia_is_its_distance_to_crimea_by_brute_force() -> None:
    crimea = disputed("Crimea")
    want = oracle_km(crimea, *ISTANBUL)
    got = geo.reach([f"{ISTANBUL[1]},{ISTANBUL[0]}"], "RUS", max_km=600, borders="controlled")
    assert got["min_km"].iloc[0] == pytest.approx(want, abs=0.01)
    assert want == pytest.approx(535.5, abs=0.5)  # the figure for the whole peninsula
    assert got["via"].iloc[0] == "Russia: Crimea"


def test_controlled_ukraine_no_longer_holds_crimea() -> None:
    got = geo.reach(["Sevastopol"], "Ukraine", max_km=10, borders="controlled")
    crimea = disputed("Crimea")
    # Sevastopol to the rest of Ukraine: farther than to the peninsula's own edge (it is inside it).
    assert got["min_km"].iloc[0] > 100 and got["status"].iloc[0] == "too_far"
    assert shapely.intersects_xy(crimea, *SEVASTOPOL)
    assert geo.reach(["Sevastopol"], "Ukraine", max_km=10)["min_km"].iloc[0] == 0.0


def test_woody_island_and_controlled_china_reach_darwin() -> None:
    raaf = f"RAAF Darwin={RAAF_DARWIN[1]}S,{RAAF_DARWIN[0]}E".replace("-", "")
    point = geo.distance("16.83N 112.34E", raaf)
    _, _, d = GEOD.inv(112.34, 16.83, *RAAF_DARWIN)
    assert point.min_km == pytest.approx(d / 1e3, abs=1e-6) and point.min_km == pytest.approx(3823.7, abs=0.05)
    paracel = disputed("Paracel Is.")
    want = oracle_km(paracel, *RAAF_DARWIN)
    ctl = geo.reach([raaf], "China", system="df-26", borders="controlled")
    assert ctl["min_km"].iloc[0] == pytest.approx(want, abs=0.01) and ctl["status"].iloc[0] == "reachable"
    assert ctl["via"].iloc[0].startswith("China: Paracel Is.")
    rec = geo.reach([raaf], "China", system="df-26")
    assert rec["status"].iloc[0] == "too_far" and rec["min_km"].iloc[0] > 4000


def test_zones_and_distance_carry_the_view() -> None:
    ctl = geo.zones("Israel", 0, 5, borders="controlled")  # Israel: small, and the view adds the Golan Heights
    assert {z.borders for z in ctl} == {"controlled"}
    assert ctl[0].properties()["border_src"] == borders_data("controlled")
    assert ctl[0].geometry.intersects(shapely.Point(*KATZRIN))
    rec = geo.zones("Israel", 0, 5)
    assert not rec[0].geometry.intersects(shapely.Point(*KATZRIN))
    s = geo.distance("Sevastopol", "Russia", borders="controlled")
    assert s.min_km == 0.0 and s.record()["borders"] == "controlled"


@pytest.mark.parametrize("bad", ["both", "de facto", 1, None])
def test_a_bad_view_is_one_line(bad) -> None:
    with pytest.raises(geo.GeoRangeError) as info:
        geo.reach(["Warsaw"], "Belarus", max_km=100, borders=bad)
    assert "\n" not in str(info.value) and "recognised" in str(info.value)


# -- the command line --------------------------------------------------------------------------------


def test_reach_says_the_view_in_the_title_and_in_every_file_format(capsys, tmp_path) -> None:
    code, out, _ = cli(capsys, "reach", "--from", "Russia", "--max-km", "100", "--place", "Sevastopol",
                       "--borders", "controlled")
    assert code == 0 and borders_note("controlled") in out.splitlines()[0]
    assert "Russia: Crimea" in out
    code, out, _ = cli(capsys, "reach", "--from", "Russia", "--max-km", "100", "--place", "Sevastopol")
    assert code == 0 and borders_note("recognised") in out.splitlines()[0]
    for fmt in ("csv", "json", "geojson"):
        code, out, _ = cli(capsys, "reach", "--from", "RUS", "--max-km", "100", "--place", "Sevastopol",
                           "--borders", "controlled", "--format", fmt)
        assert code == 0
        if fmt == "csv":
            row = next(csv.DictReader(io.StringIO(out)))
        elif fmt == "json":
            row = json.loads(out)[0]
        else:
            row = json.loads(out)["features"][0]["properties"]
        assert (row["borders"], row["border_src"]) == ("controlled", borders_data("controlled")), fmt


def test_zone_files_and_distance_name_the_view(capsys, tmp_path) -> None:
    path = tmp_path / "z.geojson"
    code, _, _ = cli(capsys, "zone", "--from", "Israel", "--max-km", "10", "--borders", "controlled", "-o",
                     str(path))
    assert code == 0
    features = json.loads(path.read_text())["features"]
    assert {f["properties"]["borders"] for f in features} == {"controlled"}
    code, out, _ = cli(capsys, "distance", "Katzrin=32.99N 35.69E", "Israel", "--borders", "controlled",
                       "--format", "json")
    assert code == 0 and json.loads(out)[0]["min_km"] == 0.0 and json.loads(out)[0]["borders"] == "controlled"
    code, out, _ = cli(capsys, "distance", "Katzrin=32.99N 35.69E", "Israel", "--format", "json")
    assert json.loads(out)[0]["min_km"] > 0 and json.loads(out)[0]["borders"] == "recognised"


def test_a_misspelt_view_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["reach", "--from", "RUS", "--max-km", "100", "--borders", "controled"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and len(err.splitlines()) == 1 and "did you mean 'controlled'" in err


# -- claim files -------------------------------------------------------------------------------------

CLAIMS = """\
title = "Crimea under two views"
{file_borders}

[[claim]]
id = "sevastopol-from-russia"
from = "Russia"
max_km = 100
place = "Sevastopol"
expect = "reachable"
{claim_borders}

[[claim]]
id = "sevastopol-from-russia-recognised"
from = "Russia"
max_km = 100
place = "Sevastopol"
expect = "too_far"
borders = "recognised"
"""


def write_claims(tmp_path: Path, file_borders: str = "", claim_borders: str = "") -> Path:
    path = tmp_path / "c.toml"
    path.write_text(CLAIMS.format(file_borders=file_borders, claim_borders=claim_borders), encoding="utf-8")
    return path


@pytest.mark.parametrize(("file_borders", "claim_borders", "option"), [
    ('borders = "controlled"', "", ()),
    ("", 'borders = "controlled"', ()),
    ("", "", ("--borders", "controlled")),
])
def test_claim_files_state_the_view_per_file_per_claim_or_on_the_command_line(
    capsys, tmp_path, file_borders, claim_borders, option
) -> None:
    path = write_claims(tmp_path, file_borders, claim_borders)
    code, out, err = cli(capsys, "check", str(path), "--format", "json", "--no-population", *option)
    assert code == 0, err
    records = {r["id"]: r for r in json.loads(out)}
    assert records["sevastopol-from-russia"]["borders"] == "controlled"
    assert records["sevastopol-from-russia"]["nearest_km"] == 0.0
    # A claim's own view wins over the file's and the command line's.
    assert records["sevastopol-from-russia-recognised"]["borders"] == "recognised"
    assert records["sevastopol-from-russia-recognised"]["nearest_km"] == pytest.approx(249.9, abs=0.05)
    code, out, _ = cli(capsys, "check", str(path), "--no-population", *option)
    assert borders_note("controlled") in out and borders_note("recognised") in out


def test_without_a_view_a_claim_is_checked_on_recognised_borders_and_fails_loudly(capsys, tmp_path) -> None:
    code, out, _ = cli(capsys, "check", str(write_claims(tmp_path)), "--format", "csv", "--no-population")
    assert code == 1  # Sevastopol is 249.9 km from recognised Russia: "reachable within 100 km" fails
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["borders"] for r in rows} == {"recognised"}


def test_a_bad_view_in_a_claim_file_names_the_file_claim_and_value(capsys, tmp_path) -> None:
    path = write_claims(tmp_path, "", 'borders = "de facto"')
    code, out, err = cli(capsys, "check", str(path))
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert str(path) in err and "sevastopol-from-russia" in err and "de facto" in err and "controlled" in err


def test_the_map_names_the_view(capsys, tmp_path) -> None:
    html = tmp_path / "m.html"
    code, _, _ = cli(capsys, "map", str(write_claims(tmp_path, 'borders = "controlled"')), "-o", str(html), "-q")
    assert code == 0
    text = html.read_text(encoding="utf-8")
    assert borders_note("controlled") in text and borders_note("recognised") in text


# -- areas as targets under a view, and files of areas ------------------------------------------------


def test_a_country_target_is_its_territory_under_the_view() -> None:
    istanbul = f"Istanbul={ISTANBUL[1]},{ISTANBUL[0]}"
    ctl = geo.reach(["Russia"], istanbul, max_km=600, borders="controlled")
    rec = geo.reach(["Russia"], istanbul, max_km=600)
    assert ctl["min_km"].iloc[0] == pytest.approx(oracle_km(disputed("Crimea"), *ISTANBUL), abs=0.01)
    assert ctl["status"].iloc[0] == "reachable" and rec["status"].iloc[0] == "too_far"
    assert rec["min_km"].iloc[0] > ctl["min_km"].iloc[0] + 200  # recognised Russia: its coast east of the Kerch Strait


def test_a_file_of_polygons_is_one_area_target_per_feature(tmp_path) -> None:
    from geo.reference.places import lookup_country

    features = []
    for code in ("POL", "LTU"):
        _, name, geometry = lookup_country(code)
        features.append({"type": "Feature", "properties": {"name": f"{name} (file)"},
                         "geometry": shapely.geometry.mapping(geometry)})
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    got = geo.reach(str(path), "Belarus", max_km=500)
    want = geo.reach(["Poland", "Lithuania"], "Belarus", max_km=500)
    assert got["name"].tolist() == ["Poland (file)", "Lithuania (file)"]
    for key in ("min_km", "max_km", "reachable_share"):
        assert got[key].tolist() == pytest.approx(want[key].tolist(), abs=1e-6), key
    assert got["all_reachable"].tolist() == want["all_reachable"].tolist() == [False, True]


def test_reach_dask_takes_the_view_and_equals_geo_reach() -> None:
    pytest.importorskip("dask_geopandas")
    from geo.analysis.distributed import reach_dask

    want = geo.reach(["Sevastopol", "Warsaw"], "Russia", max_km=300, borders="controlled")
    got = reach_dask(["Sevastopol", "Warsaw"], "Russia", max_km=300, borders="controlled").compute()
    assert got["min_km"].tolist() == want["min_km"].tolist() and got["min_km"].iloc[0] == 0.0
    assert got["borders"].tolist() == ["controlled", "controlled"]
    assert got.dtypes.to_dict() == want.dtypes.to_dict()
