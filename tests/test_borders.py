"""Border views (geo.reference.borders) and their data (data/disputed.parquet, scripts/build_disputed.py).

Checked against what does not share their code: known coordinates of
places (GeoNames, as the gazetteer carries them, written out here) and
point-in-polygon (shapely, for containment only); geodesic areas from
pyproj's ``Geod.geometry_area_perimeter``; nearest distances from the
brute-force oracle (tests/oracle.py, geographiclib); the countries and the
disputed areas read straight from their Parquet files with pyarrow.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry.polygon import orient

from geo.errors import BorderViewError, GeoRangeError, UnknownPlaceError
from geo.geodesy.distance import LaunchArea
from geo.reference import borders
from geo.reference.borders import (
    BORDER_VIEWS,
    DEFAULT_BORDERS,
    borders_note,
    check_borders,
    controlled_changes,
    territory,
)
from geo.reference.places import lookup_country
from geo.reference.regions import part_names

from cases import BORDER_AREA_REL_TOL, DIST_TOL_M
from oracle import GEOD, BruteForce

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SCRIPT = ROOT / "scripts" / "build_disputed.py"
# The source is not shipped (data/README.md says where it comes from): point GEORANGE_NE_DISPUTED at it.
SOURCE = Path(os.environ.get("GEORANGE_NE_DISPUTED", ROOT / "ne_10m_admin_0_disputed_areas.json"))

# (lon, lat) of places as GeoNames gives them (the gazetteer's rows), and as the issue gives them.
SEVASTOPOL = (33.52134, 44.60795)
SEVASTOPOL_ISSUE = (33.5254, 44.6167)  # in Sevastopol Bay at Natural Earth's 1:10m: 0.27 km off the drawn coast
SIMFEROPOL = (34.11079, 44.95719)
KERCH = (36.47429, 45.3607)
WOODY_ISSUE = (112.34, 16.83)  # 0.34 km east of Woody Island as Natural Earth 1:10m draws it
WOODY_DRAWN = (112.3315, 16.8315)  # inside the drawn island (112.326-112.337 E, 16.825-16.838 N)
RAAF_DARWIN = (130.8766, -12.4147)
DARWIN_CITY = (130.8456, -12.4634)
KATZRIN = (35.69139, 32.99194)
LAAYOUNE = (-13.18797, 27.1418)
TIRASPOL = (29.6284, 46.84275)
BAIKONUR = (63.31667, 45.61667)
KYRENIA = (33.31729, 35.33634)
SUKHUMI = (40.9893, 43.00697)
HARGEISA = (44.065, 9.56)
DONETSK = (37.80224, 48.023)
KYIV = (30.5238, 50.45466)
CHISINAU = (28.8575, 47.00556)
RABAT = (-6.83255, 34.01325)
MOSCOW = (37.61556, 55.75222)


def inside(code: str, view: str, point: tuple[float, float]) -> bool:
    return bool(territory(code, view).covers(shapely.Point(*point)))


def near_parts(geometry, lon: float, lat: float, margin_m: float = 100e3):
    """The parts of `geometry` whose nearest vertex is within `margin_m` of the nearest vertex of all; for a target
    within 1,000 km, clipped to a window around it whose own edges lie farther away than the answer."""
    parts = shapely.get_parts(geometry)
    nearest = []
    for p in parts:
        xy = np.asarray(p.exterior.coords)
        _, _, d = GEOD.inv(xy[:, 0], xy[:, 1], np.full(len(xy), lon), np.full(len(xy), lat))
        nearest.append(float(np.min(d)))
    best = min(nearest)
    keep = [p for p, d in zip(parts, nearest, strict=True) if d <= best + margin_m]
    if best < 1000e3:  # the window's edges lie 1.5 times farther than any point that can be nearest
        half_lat = 1.5 * (best + margin_m) / 110e3 + 0.1
        half_lon = min(half_lat / np.cos(np.radians(min(abs(lat) + half_lat, 80.0))), 170.0)
        window = shapely.box(lon - half_lon, max(lat - half_lat, -90), lon + half_lon, min(lat + half_lat, 90))
        keep = [c for p in keep for c in shapely.get_parts(shapely.intersection(p, window)) if c.area > 0]
    return shapely.MultiPolygon(keep)


def oracle_nearest_km(geometry, point: tuple[float, float]) -> float:
    """Nearest geodesic distance (km) from a point to a territory, by brute force over its nearby parts."""
    return BruteForce(near_parts(geometry, *point), spacing_m=200.0).distances(*point)[0] / 1e3


def geod_area_km2(geometry) -> float:
    """Geodesic area (km², WGS84) by pyproj, each polygon oriented counter-clockwise."""
    return sum(abs(GEOD.geometry_area_perimeter(orient(p, 1.0))[0]) for p in shapely.get_parts(geometry)) / 1e6


def shipped_area(name: str):
    """A disputed area's geometry read straight from data/disputed.parquet (not through geo.reference.borders)."""
    table = pq.read_table(DATA / "disputed.parquet", columns=["name", "geometry"])
    row = table.column("name").to_pylist().index(name)
    return shapely.from_wkb(table.column("geometry")[row].as_py())


# -- the view names ---------------------------------------------------------------------


def test_views_and_default() -> None:
    assert BORDER_VIEWS == ("recognised", "controlled")
    assert DEFAULT_BORDERS == "recognised" == BORDER_VIEWS[0]


@pytest.mark.parametrize(("value", "view"), [
    ("recognised", "recognised"), ("Recognised", "recognised"), ("recognized", "recognised"),
    ("RECOGNIZED", "recognised"), (" controlled ", "controlled"), ("Controlled", "controlled"),
])
def test_check_borders_accepts(value: str, view: str) -> None:
    assert check_borders(value) == view


@pytest.mark.parametrize(("value", "pattern"), [
    ("de facto", r"^--borders 'de facto' is not a border view: expected recognised or controlled "
                 r"\(for 'de facto' say 'controlled'\)$"),
    ("de-jure", r"^--borders 'de-jure' is not a border view: expected recognised or controlled "
                r"\(for 'de-jure' say 'recognised'\)$"),
    ("", r"^--borders '' is not a border view: expected recognised or controlled$"),
    ("recognise", r"^--borders 'recognise' is not a border view"),
    ("both", r"^--borders 'both' is not a border view"),
    (None, r"^--borders None is a NoneType: expected a border view, recognised or controlled$"),
    (3, r"^--borders 3 is a int: expected a border view"),
    (["controlled"], r"^--borders \['controlled'\] is a list"),
])
def test_check_borders_refuses_in_one_line(value: object, pattern: str) -> None:
    with pytest.raises(BorderViewError, match=pattern) as info:
        check_borders(value, "--borders")
    assert isinstance(info.value, GeoRangeError) and isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


def test_check_borders_names_where_the_value_came_from() -> None:
    with pytest.raises(BorderViewError, match=r'^claims/x.toml, claim "a": borders \'sideways\' is not'):
        check_borders("sideways", 'claims/x.toml, claim "a": borders')
    with pytest.raises(BorderViewError, match=r"^borders 'sideways'"):
        check_borders("sideways")


def test_borders_note_states_the_view_and_the_data_versions() -> None:
    recognised, controlled = borders_note("recognised"), borders_note("Controlled")
    assert recognised == "recognised borders, Natural Earth 5.1.1 admin-0"
    assert controlled == ("controlled borders, Natural Earth 5.1.1 admin-0 + 4.0.0 disputed areas (2017) as "
                          "administered")
    assert borders_note("recognized") == recognised
    # The versions are those of the shipped files.
    metadata = pq.read_schema(DATA / "disputed.parquet").metadata
    assert metadata[b"georange:version"].decode() in controlled
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "version **5.1.1**" in readme and "5.1.1" in recognised
    with pytest.raises(BorderViewError):
        borders_note("both")


# -- recognised: the shipped countries as they are --------------------------------------


@pytest.mark.parametrize("code", ["RUS", "UKR", "CHN", "ISR", "FJI", "USG"])
def test_recognised_is_the_shipped_geometry(code: str) -> None:
    table = pq.read_table(DATA / "countries.parquet", columns=["iso_a3", "geometry"])
    row = table.column("iso_a3").to_pylist().index(code)
    stored = table.column("geometry")[row].as_py()
    geometry = territory(code, "recognised")
    assert shapely.to_wkb(geometry) == stored
    assert geometry is lookup_country(code)[2]


def test_a_country_no_area_touches_is_the_same_object_under_both_views() -> None:
    for code in ("FRA", "BLR", "JPN", "FJI"):
        assert territory(code, "controlled") is territory(code, "recognised")


# -- controlled: containment of known places ------------------------------------------------------


@pytest.mark.parametrize("place", [SEVASTOPOL, SIMFEROPOL, KERCH])
def test_crimea_is_russian_only_under_controlled_borders(place: tuple[float, float]) -> None:
    assert inside("RUS", "controlled", place) and not inside("RUS", "recognised", place)
    assert inside("UKR", "recognised", place) and not inside("UKR", "controlled", place)


def test_the_issues_sevastopol_point_is_metres_from_controlled_russia_and_far_from_recognised() -> None:
    # The issue's point lies in Sevastopol Bay at this scale; its distances say where the peninsula went.
    assert oracle_nearest_km(territory("RUS", "controlled"), SEVASTOPOL_ISSUE) < 0.5
    assert oracle_nearest_km(territory("UKR", "controlled"), SEVASTOPOL_ISSUE) > 150.0
    assert oracle_nearest_km(territory("UKR", "recognised"), SEVASTOPOL_ISSUE) < 0.5


@pytest.mark.parametrize(("code", "place", "why"), [
    ("CHN", WOODY_DRAWN, "Paracel Islands"),
    ("ISR", KATZRIN, "Golan Heights"),
    ("MAR", LAAYOUNE, "Western Sahara west of the berm"),
    ("RUS", BAIKONUR, "Baykonur (lease)"),
])
def test_administered_areas_join_their_administrator(code: str, place: tuple[float, float], why: str) -> None:
    assert inside(code, "controlled", place), why
    assert not inside(code, "recognised", place), why


@pytest.mark.parametrize(("code", "place", "why"), [
    ("MDA", TIRASPOL, "Transnistria"),
    ("GEO", SUKHUMI, "Abkhazia"),
    ("CYP", KYRENIA, "Northern Cyprus"),
    ("SOM", HARGEISA, "Somaliland"),
    ("UKR", DONETSK, "Donbass (2017 lines)"),
    ("ESH", LAAYOUNE, "Western Sahara west of the berm, administered by Morocco"),
    ("KAZ", BAIKONUR, "Baykonur, leased to Russia"),
])
def test_areas_leave_the_recognised_holder(code: str, place: tuple[float, float], why: str) -> None:
    assert inside(code, "recognised", place), why
    assert not inside(code, "controlled", place), why


@pytest.mark.parametrize("place", [TIRASPOL, SUKHUMI, KYRENIA, HARGEISA, DONETSK])
def test_self_administered_areas_join_no_state(place: tuple[float, float]) -> None:
    for code in ("RUS", "UKR", "MDA", "GEO", "CYP", "TUR", "SOM", "ETH", "ARM", "AZE"):
        assert not inside(code, "controlled", place), code


@pytest.mark.parametrize(("code", "place"), [("RUS", MOSCOW), ("UKR", KYIV), ("MDA", CHISINAU), ("MAR", RABAT)])
def test_the_rest_of_a_country_stays(code: str, place: tuple[float, float]) -> None:
    assert inside(code, "controlled", place) and inside(code, "recognised", place)


def test_woody_island_to_darwin_the_issues_known_answer() -> None:
    geodesic = Geodesic.WGS84
    # 3,823.7 km is from the issue's Woody Island point to RAAF Darwin, not to the city's point.
    to_raaf = geodesic.Inverse(WOODY_ISSUE[1], WOODY_ISSUE[0], RAAF_DARWIN[1], RAAF_DARWIN[0])["s12"] / 1e3
    to_city = geodesic.Inverse(WOODY_ISSUE[1], WOODY_ISSUE[0], DARWIN_CITY[1], DARWIN_CITY[0])["s12"] / 1e3
    assert round(to_raaf, 1) == 3823.7
    assert round(to_city, 1) == 3826.4
    # The point is 0.34 km from the island controlled China holds; recognised China holds no Paracel island.
    assert oracle_nearest_km(territory("CHN", "controlled"), WOODY_ISSUE) < 0.5
    assert oracle_nearest_km(territory("CHN", "recognised"), WOODY_ISSUE) > 250.0
    # A DF-26 (4,000 km) from China: 103.3 km short of RAAF Darwin by recognised borders; by controlled
    # borders the Paracels' southernmost reef is nearer still than Woody Island.
    recognised = oracle_nearest_km(territory("CHN", "recognised"), RAAF_DARWIN)
    controlled = oracle_nearest_km(territory("CHN", "controlled"), RAAF_DARWIN)
    assert round(recognised - 4000.0, 1) == 103.3
    assert controlled < to_raaf < 4000.0
    # The distance engine measures the controlled territory as the oracle does.
    engine = LaunchArea(territory("CHN", "controlled")).distances([RAAF_DARWIN[0]], [RAAF_DARWIN[1]])[0][0]
    assert abs(engine - controlled * 1e3) <= DIST_TOL_M


# -- controlled: areas, validity, antimeridian ---------------------------------------------------


@pytest.mark.parametrize(("code", "gains", "loses"), [
    ("RUS", ("Crimea", "Baykonur"), ()),
    ("UKR", (), ("Crimea", "Donbass")),
    ("MAR", ("W. Sahara",), ()),
    ("SDN", ("Abyei",), ()),
    ("KAZ", (), ("Baykonur",)),
    ("MDA", (), ("Transnistria",)),
    ("GEO", (), ("Abkhazia", "South Ossetia")),
])
def test_controlled_area_is_recognised_plus_gains_less_losses(code: str, gains: tuple, loses: tuple) -> None:
    recognised = geod_area_km2(territory(code, "recognised"))
    controlled = geod_area_km2(territory(code, "controlled"))
    expected = recognised + sum(geod_area_km2(shipped_area(n)) for n in gains)
    expected -= sum(geod_area_km2(shipped_area(n)) for n in loses)
    moved = abs(expected - recognised)
    assert moved > 1000.0  # the view changes something
    assert abs(controlled - expected) <= BORDER_AREA_REL_TOL * max(recognised, controlled)
    gained, lost = borders.changed_area_km2(code)
    assert abs((gained - lost) - (controlled - recognised)) <= BORDER_AREA_REL_TOL * recognised


def test_crimea_and_baykonur_make_controlled_russia_larger_by_their_area() -> None:
    added = geod_area_km2(shipped_area("Crimea")) + geod_area_km2(shipped_area("Baykonur"))
    assert 33_000 < added < 34_500  # Crimea about 27,000 km² with Sevastopol, Baykonur about 6,500 km²
    gained, lost = borders.changed_area_km2("RUS")
    assert abs(gained - added) <= 1e-3 * added and lost < 1.0


def codes_named() -> list[str]:
    """Every administrator and holder of an area but USG (whose controlled territory is refused)."""
    table = pq.read_table(DATA / "disputed.parquet", columns=["admin", "holder"])
    return sorted({c for column in ("admin", "holder") for c in table.column(column).to_pylist() if c} - {"USG"})


def test_every_controlled_territory_is_valid_and_antimeridian_safe() -> None:
    for code in [*codes_named(), "RUS", "USA", "FJI", "NZL", "KIR"]:
        geometry = territory(code, "controlled")
        assert geometry.geom_type in ("Polygon", "MultiPolygon") and not geometry.is_empty, code
        assert geometry.is_valid, (code, shapely.is_valid_reason(geometry))
        west, south, east, north = geometry.bounds
        assert -180 <= west and east <= 180 and -90 <= south and north <= 90, code
        for part in shapely.get_parts(geometry):
            assert part.bounds[2] - part.bounds[0] < 180.0, code
        assert territory(code, "controlled") is geometry  # cached


def test_no_sliver_is_left_where_an_area_was_cut_out() -> None:
    for code in ("UKR", "MDA", "GEO", "SOM", "CYP", "ESH", "AZE", "IOT"):
        for part in shapely.get_parts(territory(code, "controlled")):
            assert geod_area_km2(part) > 0.01, code  # the smallest real part here is Diego Garcia's islet, 0.2 km²


def test_a_unit_whose_whole_ground_changes_hands_is_refused() -> None:
    with pytest.raises(BorderViewError, match=r"^USG holds no ground under controlled borders: Guantanamo Bay USNB "
                                              r"is administered by USA \(Leased to U.S.A. by Cuba"):
        territory("USG", "controlled")
    base = shipped_area("Guantanamo Bay USNB").representative_point()
    assert inside("USA", "controlled", (base.x, base.y)) and not inside("USA", "recognised", (base.x, base.y))
    assert inside("USG", "recognised", (base.x, base.y))


def test_territory_refuses_unknown_codes_and_views() -> None:
    with pytest.raises(UnknownPlaceError, match="'XYZ' is not a code of countries.parquet"):
        territory("XYZ", "controlled")
    with pytest.raises(BorderViewError, match="'sideways' is not a border view"):
        territory("RUS", "sideways")


# -- what changes, and the names of parts -------------------------------------------------------


def test_controlled_changes() -> None:
    assert controlled_changes("MDA") == [("Transnistria", "Self admin.; Claimed by Moldova", "loses")]
    assert controlled_changes("RUS") == [("Baykonur", "Leased to Russia by Kazakhstan", "gains"),
                                         ("Crimea", "Admin. by Russia; Claimed by Ukraine", "gains")]
    assert [(n, k) for n, _, k in controlled_changes("UKR")] == [("Crimea", "loses"), ("Donbass", "loses")]
    assert [(n, k) for n, _, k in controlled_changes("CHN")] == [("Paracel Is.", "gains")]
    # Areas both views give to one state change nothing: Kashmir's parts, Aksai Chin, the Kuril Islands.
    assert controlled_changes("IND") == [] and controlled_changes("PAK") == [] and controlled_changes("JPN") == []
    assert controlled_changes("FRA") == []


def test_parts_added_by_the_view_are_named_after_their_area() -> None:
    polygons = list(territory("RUS", "controlled").geoms)
    names = part_names(polygons, "RUS", "controlled")
    assert names is not None
    by_place = {n: names[i] for n, point in (("Simferopol", SIMFEROPOL), ("Baikonur", BAIKONUR), ("Moscow", MOSCOW))
                for i, p in enumerate(polygons) if p.covers(shapely.Point(*point))}
    assert by_place == {"Simferopol": "Crimea", "Baikonur": "Baykonur", "Moscow": "mainland"}
    assert "Kaliningrad Oblast" in names
    recognised = list(territory("RUS", "recognised").geoms)
    assert all(a.equals(b) for a, b in zip(polygons, recognised, strict=False))  # its own parts first, in order
    assert names[:len(recognised)] == part_names(recognised, "RUS")
    china = list(territory("CHN", "controlled").geoms)
    china_names = part_names(china, "CHN", "controlled")
    woody = next(i for i, p in enumerate(china) if p.covers(shapely.Point(*WOODY_DRAWN)))
    assert china_names[woody].startswith("Paracel Is., part ")


def test_recognised_part_names_are_unchanged() -> None:
    polygons = list(territory("RUS", "recognised").geoms)
    names = part_names(polygons, "RUS")
    assert names == part_names(polygons, "RUS", "recognised")
    assert not any("Crimea" in n for n in names)
    assert borders.area_names(polygons, "RUS", "recognised") == [None] * len(polygons)


# -- the data file and its build ------------------------------------------------------------------


def test_the_shipped_file() -> None:
    table = pq.read_table(DATA / "disputed.parquet")
    assert table.num_rows == 80
    rows = {r["name"] + "/" + r["brk_a3"]: r for r in table.drop_columns(["geometry"]).to_pylist()}
    codes = set(pq.read_table(DATA / "countries.parquet", columns=["iso_a3"]).column("iso_a3").to_pylist())
    assert all(r["admin"] in codes for r in rows.values() if r["admin"])
    assert all(r["holder"] in codes for r in rows.values() if r["holder"])
    expected = {
        "Crimea/B89": ("administered", "RUS", "UKR"),
        "Paracel Is./B47": ("administered", "CHN", ""),
        "Golan Heights/B16": ("administered", "ISR", ""),
        "W. Sahara/B19": ("administered", "MAR", "ESH"),
        "W. Sahara/B28": ("self-administered", "ESH", "ESH"),
        "Transnistria/B36": ("self-administered", "", "MDA"),
        "Baykonur/B40": ("leased", "RUS", "KAZ"),
        "Spratly Is./B46": ("none", "", "PGA"),
        "Falkland Is./B12": ("administered", "FLK", "FLK"),
        "Matthew and Hunter Is./B66": ("administered", "NCL", "NCL"),
        "Aksai Chin/B07": ("administered", "CHN", "CHN"),
    }
    assert {k: (rows[k]["control"], rows[k]["admin"], rows[k]["holder"]) for k in expected} == expected
    metadata = pq.read_schema(DATA / "disputed.parquet").metadata
    assert metadata[b"georange:source_sha256"].decode() == (
        "462d995d96b4b20901224b877cdb44266521d4b93a7c9259619c557e04a0d7f9")


def test_a_missing_or_damaged_file_is_a_one_line_data_error(tmp_path: Path, monkeypatch) -> None:
    from geo.errors import DataFileError
    from geo.reference import places

    (tmp_path / "countries.parquet").symlink_to(DATA / "countries.parquet")
    monkeypatch.setenv("GEORANGE_DATA", str(tmp_path))
    places.clear_caches()
    try:
        assert territory("MDA", "recognised").covers(shapely.Point(*TIRASPOL))  # recognised needs no disputed areas
        with pytest.raises(DataFileError, match=r"^data file 'disputed.parquet' not found in .*; rebuild it with "
                                                r"`python scripts/build_disputed.py"):
            territory("MDA", "controlled")
        table = pq.read_table(DATA / "disputed.parquet")
        metadata = {**table.schema.metadata, b"georange:version": b"5.1.1"}
        pq.write_table(table.replace_schema_metadata(metadata), tmp_path / "disputed.parquet")
        places.clear_caches()
        with pytest.raises(DataFileError, match=r"is Natural Earth version 5.1.1, expected 4.0.0; rebuild"):
            territory("MDA", "controlled")
    finally:
        monkeypatch.delenv("GEORANGE_DATA")
        places.clear_caches()
    assert not territory("MDA", "controlled").covers(shapely.Point(*TIRASPOL))


def load_script():
    spec = importlib.util.spec_from_file_location("build_disputed", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("note", "sovereign", "unit", "holder", "expected"), [
    ("Admin. by Russia; Claimed by Ukraine", "Russia", "RUS", "UKR", ("administered", "RUS")),
    ("Admin by U.K.; Claimed by Ireland, Denmark, and Iceland", "United Kingdom", "GBR", "GBR",
     ("administered", "GBR")),
    ("Admin. By Israel; Claimed by Syria", "Israel", "ISR", "", ("administered", "ISR")),
    ("Admin. by U.K.; Claimed by Argentina", "United Kingdom", "FLK", "FLK", ("administered", "FLK")),
    ("Admin. by New Caledonia for France; Claimed by Vanuatu", "France", "NCL", "NCL", ("administered", "NCL")),
    ("Admin. by New Caledonia for France; Claimed by Vanuatu", "France", "XXX", "", ("administered", "FRA")),
    ("Admin. by China; Ceded to China by Pakistan; Claimed by India", "China", "CHN", "CHN", ("administered", "CHN")),
    ("Leased to Russia by Kazakhstan", "Kazakhstan", "KAB", "KAZ", ("leased", "RUS")),
    ("Leased to U.S.A. by Cuba; Claimed by Cuba", "Cuba", "USG", "USG", ("leased", "USA")),
    ("Leased to U.S.A by U.K.; Claimed by Mauritius and Seychelles", "United Kingdom", "IOT", "IOT",
     ("leased", "USA")),
    ("Self admin.; Claimed by Moldova", "Moldova", "MDA", "MDA", ("self-administered", "")),
    ("Self admin.; Claimed by Azer.", "Azerbaijan", "AZE", "AZE", ("self-administered", "")),
    ("Self admin.; Claimed by Morocco", "Western Sahara", "SAH", "ESH", ("self-administered", "ESH")),
    ("Claimed by China, Taiwan, Malaysia, the Philippines, and Brunei", "Spratly Islands", "PGA", "PGA",
     ("none", "")),
    ("UN Patrolled Zone in Syria", "Syria", "SYR", "SYR", ("none", "")),
    (None, "Israel", "PSX", "PSE", ("none", "")),
])
def test_build_rules(note, sovereign, unit, holder, expected) -> None:
    script = load_script()
    props = {"NOTE_BRK": note, "SOVEREIGNT": sovereign, "ADM0_A3": unit}
    units = set(pq.read_table(DATA / "countries.parquet", columns=["iso_a3"]).column("iso_a3").to_pylist())
    assert script.administrator(props, holder, units, "test") == expected


@pytest.mark.parametrize("note", ["Admin. by Atlantis; Claimed by Ukraine", "Occupied by Russia", "Self admin."])
def test_build_stops_on_a_note_it_cannot_read(note: str) -> None:
    script = load_script()
    with pytest.raises(SystemExit, match="test"):
        script.administrator({"NOTE_BRK": note, "SOVEREIGNT": "Russia", "ADM0_A3": "RUS"}, "", {"RUS"}, "test")


def test_build_refuses_other_input(tmp_path: Path) -> None:
    script = load_script()
    other = tmp_path / "other.json"
    other.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    output = tmp_path / "x.parquet"
    for source, problem in ((other, "sha256 [0-9a-f]{64} is not that of"), (tmp_path / "missing.json", "no such file")):
        with pytest.raises(SystemExit, match=f"^{source}: {problem}") as info:
            script.main([str(source), "-o", str(output)])
        assert "\n" not in str(info.value.code)
        assert not output.exists()


@pytest.mark.skipif(not SOURCE.is_file(), reason=f"Natural Earth source {SOURCE} absent (set GEORANGE_NE_DISPUTED)")
def test_build_is_deterministic_and_makes_the_shipped_file(tmp_path: Path) -> None:
    outputs = [tmp_path / "one.parquet", tmp_path / "two.parquet"]
    runs = [subprocess.run([sys.executable, str(SCRIPT), str(SOURCE), "-o", str(output)], capture_output=True,
                           text=True, timeout=300) for output in outputs]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert "80 areas, 54 administered, 3 leased, 8 self-administered, 15 none" in runs[0].stderr
    assert outputs[0].read_bytes() == outputs[1].read_bytes() == (DATA / "disputed.parquet").read_bytes()


def test_data_readme_states_what_changes_hands() -> None:
    """data/README.md's table of gains and losses is what the code computes, for every state that changes."""
    import re

    readme = (DATA / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## disputed.parquet"):].split("\n## ")[0]
    rows = re.findall(r"^  \| [^|]+ \((\w{3})\) \| ([\d,.]+) \| ([\d,.]+) \|", section, flags=re.MULTILINE)
    stated = {code: (float(g.replace(",", "")), float(lo.replace(",", ""))) for code, g, lo in rows}
    table = pq.read_table(DATA / "disputed.parquet", columns=["control", "admin", "holder"]).to_pylist()
    changing = {c for r in table if r["control"] != "none" and r["admin"] != r["holder"]
                for c in (r["admin"], r["holder"]) if c}
    assert set(stated) == changing
    for code, (gains, loses) in stated.items():
        gained, lost = borders.changed_area_km2(code)
        for value, text in ((gained, gains), (lost, loses)):
            digits = 0 if value >= 10 else 1 if value >= 1 else 2
            assert round(max(value, 0.0), digits) == text, code
    size = (DATA / "disputed.parquet").stat().st_size
    assert f"| `disputed.parquet` | 80 areas | {round(size / 1000)} kB ({size:,} B) |" in readme
