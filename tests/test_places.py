"""Tests of geo.reference.places: gazetteer, country and launch-site lookups on the shipped data."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import shapely

from geo.errors import (
    AmbiguousPlaceError,
    DataFileError,
    InvalidCoordinateError,
    UnknownPlaceError,
)
from geo.reference import countries, places, shipped
from geo.reference.datafiles import DATA_DIR, DATA_ENV_VAR, data_path

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = ("gazetteer.parquet", "gazetteer_keys.parquet", "countries_info.csv", "countries.parquet", "sites.toml")

# Named place queries: case -> (query, expected name, expected country).
PLACE_CASES = {
    "kyiv-english": ("Kyiv", "Kyiv", "UA"),
    "kyiv-old-spelling": ("Kiev", "Kyiv", "UA"),
    "kyiv-ukrainian": ("Київ", "Kyiv", "UA"),
    "kyiv-shouted": ("  KYIV ", "Kyiv", "UA"),
    "warsaw-english": ("Warsaw", "Warsaw", "PL"),
    "warsaw-polish": ("Warszawa", "Warsaw", "PL"),
    # "warsw" is a GeoNames alternate name of Warsaw (a romanised Persian
    # spelling), so it is a hit, not a typo.
    "warsaw-geonames-romanisation": ("Warsw", "Warsaw", "PL"),
    "paris-alpha2": ("Paris, FR", "Paris", "FR"),
    "paris-alpha3": ("Paris, FRA", "Paris", "FR"),
    "paris-country-name": ("Paris, France", "Paris", "FR"),
    "paris-texas": ("Paris, US", "Paris", "US"),
    "minsk": ("Minsk", "Minsk", "BY"),
    "berlin": ("Berlin", "Berlin", "DE"),
    "vilnius": ("Vilnius", "Vilnius", "LT"),
    "washington-comma-in-name": ("Washington, D.C.", "Washington", "US"),
    "accent-blind": ("Bogota", "Bogotá", "CO"),
    "stroke-letter-folded": ("Lodz", "Łódź", "PL"),
    "alternate-name-only": ("Nur-Sultan", "Astana", "KZ"),
    "cjk": ("東京", "Tokyo", "JP"),
    "qualifier-picks-alternate": ("Kiev, UA", "Kyiv", "UA"),
}


@pytest.fixture
def data_copy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point GEORANGE_DATA at a fresh copy of the data files, with caches cleared."""
    for name in DATA_FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    monkeypatch.setenv(DATA_ENV_VAR, str(tmp_path))
    places.clear_caches()
    yield tmp_path
    places.clear_caches()


# --- places -----------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(PLACE_CASES))
def test_lookup_place_cases(case: str) -> None:
    query, name, country = PLACE_CASES[case]
    place = places.lookup_place(query)
    assert (place.name, place.country) == (name, country)


# What an analyst means: (query, country, lat, lon) of the place meant, the coordinates from GeoNames by hand.
MEANT = [
    ("Odessa", "UA", 46.48, 30.73), ("St Petersburg", "RU", 59.94, 30.31), ("Calcutta", "IN", 22.57, 88.36),
    ("Washington", "US", 38.90, -77.04), ("London", "GB", 51.51, -0.13), ("Paris", "FR", 48.85, 2.35),
    ("Rome", "IT", 41.89, 12.51), ("Moscow", "RU", 55.75, 37.62), ("Kiev", "UA", 50.45, 30.52),
    ("Bombay", "IN", 19.07, 72.88), ("Peking", "CN", 39.91, 116.40), ("Warschau", "PL", 52.23, 21.01),
    ("Berlijn", "DE", 52.52, 13.41), ("Москва", "RU", 55.75, 37.62), ("Варшава", "PL", 52.23, 21.01),
    ("Kingston", "JM", 18.00, -76.79), ("Odessa, US", "US", 31.85, -102.37),
]


@pytest.mark.parametrize(("query", "country", "lat", "lon"), MEANT)
def test_a_name_means_the_place_an_analyst_means(query, country, lat, lon) -> None:
    p = places.lookup_place(query)
    assert p.country == country and abs(p.lat - lat) < 0.05 and abs(p.lon - lon) < 0.05, p


@pytest.mark.parametrize(("query", "listed"), [
    ("Hyderabad", ["Hyderabad, IN", "Hyderabad, PK"]),  # 7.0 M and 1.9 M: neither dominates
    ("Victoria", ["Victoria, SC", "Victoria, HK", "Victoria, CA"]),
    ("Springfield", ["Springfield, US"]),
])
def test_a_truly_ambiguous_name_is_refused_with_its_meanings(query, listed) -> None:
    with pytest.raises(AmbiguousPlaceError) as caught:
        places.lookup_place(query)
    assert all(label in str(caught.value) for label in listed)


def _dominates(found: places.Place, other: places.Place) -> bool:
    """The rule of lookup_place, restated: a capital with half the population, or 4 (20 over a capital) times it."""
    return (found.is_capital and not other.is_capital and found.population >= 0.5 * other.population) or \
        found.population >= (20 if other.is_capital else 4) * max(other.population, 1)


def test_the_largest_cities_and_every_capital_resolve_to_themselves_or_are_never_silently_wrong() -> None:
    g = places.load_gazetteer()
    top = g.sort_values("population", ascending=False).head(500)
    chosen = {int(i) for i in top["geonameid"]} | {p.geonameid for p in places.capitals()}
    itself, refused, elsewhere, wrong = 0, 0, [], []
    rows = g[g["geonameid"].isin(chosen)]
    for r in rows.itertuples(index=False):
        want = places.Place(r.name, r.country, float(r.lon), float(r.lat), int(r.population), bool(r.is_capital),
                            int(r.geonameid))
        try:
            found = places.lookup_place(r.name)
        except AmbiguousPlaceError as error:
            assert want.label() in str(error), want  # refused, listing it among the meanings
            refused += 1
            continue
        if found.geonameid == want.geonameid:
            itself += 1
        elif _dominates(found, want):
            elsewhere.append(f"{want.label()} -> {found.label()}")  # e.g. Kingston, NF (880) -> Kingston, JM
        else:
            wrong.append(f"{want.label()} -> {found.label()}")
    assert not wrong
    assert itself >= 0.95 * len(rows), (itself, refused, elsewhere)  # measured: 632 of 654
    assert len(elsewhere) <= 5, elsewhere  # measured 3: Kingston, NF (880) -> JM; Suzhou (1.6 M) -> 6.7 M; Manhattan


def test_every_capital_resolves_by_its_label() -> None:
    failures = [c.label() for c in places.capitals() if places.lookup_place(c.label()) != c]
    assert not failures


def test_capitals_one_per_country() -> None:
    gazetteer = places.load_gazetteer()
    counts = gazetteer.loc[gazetteer["is_capital"], "country"].value_counts()
    assert (counts == 1).all()
    assert len(places.capitals()) == len(counts) == 244


def test_every_resolved_capital_in_countries_info_is_in_gazetteer() -> None:
    gazetteer = places.load_gazetteer().set_index("geonameid")
    info = places.load_countries_info()
    for country in info.values():
        if country.capital_geonameid is None:
            continue
        row = gazetteer.loc[country.capital_geonameid]
        assert row["is_capital"] and row["country"] == country.iso2, country
    # Documented in data/README.md: the retired codes AN and CS have no city.
    unresolved = {c.iso2 for c in info.values() if c.capital and c.capital_geonameid is None}
    assert unresolved == {"AN", "CS"}


def test_european_capitals_follow_geonames_continent() -> None:
    labels = {p.label() for p in places.european_capitals()}
    assert {"Moscow, RU", "Minsk, BY", "Kyiv, UA", "Warsaw, PL", "London, GB"} <= labels
    assert "Ankara, TR" not in labels  # GeoNames puts Turkey in Asia
    info = places.load_countries_info()
    assert all(info[p.country].continent == "EU" for p in places.european_capitals())


def test_ambiguous_place_lists_candidates() -> None:
    with pytest.raises(AmbiguousPlaceError, match=r"Springfield, US \(Missouri, US-MO; population [\d,]+; [\d.]+N") \
            as caught:
        places.lookup_place("Springfield")
    assert str(caught.value).count("Springfield, US (") == places.MAX_AMBIGUOUS_LISTED


def test_ambiguous_across_countries_asks_for_qualifier() -> None:
    with pytest.raises(AmbiguousPlaceError, match="add a country qualifier, e.g. 'Hyderabad, IN'"):
        places.lookup_place("Hyderabad")
    assert places.lookup_place("Hyderabad, PK").country == "PK"


def test_typo_suggests_close_names() -> None:
    with pytest.raises(UnknownPlaceError, match=r"did you mean: Warsaw, PL"):
        places.lookup_place("Warsaww")


@pytest.mark.parametrize("query", ["", "   ", ", FR"])
def test_empty_place_name(query: str) -> None:
    with pytest.raises(UnknownPlaceError, match="place name is empty"):
        places.lookup_place(query)


def test_unknown_country_qualifier() -> None:
    with pytest.raises(UnknownPlaceError, match=r"unknown country 'Frnce'.*France \(FRA\)"):
        places.lookup_place("Paris, Frnce")


def test_name_not_in_qualified_country() -> None:
    with pytest.raises(UnknownPlaceError, match="no place named 'Paris' in DE; .* FR, US"):
        places.lookup_place("Paris, DE")


def test_gazetteer_columns_and_ranges() -> None:
    gazetteer = places.load_gazetteer()
    assert tuple(gazetteer.columns) == places.GAZETTEER_COLUMNS
    assert gazetteer["geonameid"].is_unique
    assert gazetteer["lat"].between(-90, 90).all() and gazetteer["lon"].between(-180, 180).all()
    small = gazetteer[gazetteer["population"] < 15_000]
    assert small["is_capital"].all()  # only capitals are kept below 15,000
    assert "NA" in set(gazetteer["country"])  # Namibia's code is not a missing value


# --- values -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lon", "lat", "message"),
    [
        (0.0, 95.0, "latitude 95.0"),
        (181.0, 0.0, "longitude 181.0"),
        (float("nan"), 0.0, "longitude nan"),
        (0.0, float("inf"), "latitude inf"),
        (True, 0.0, "longitude True"),
        ("30", 50.0, "longitude '30'"),
    ],
)
def test_invalid_coordinates_rejected(lon: object, lat: object, message: str) -> None:
    with pytest.raises(InvalidCoordinateError, match=message):
        places.Place("Nowhere", "XX", lon, lat)  # type: ignore[arg-type]
    with pytest.raises(InvalidCoordinateError, match=message):
        places.Site("nowhere", "Nowhere", lon, lat, "XXX", "test")  # type: ignore[arg-type]


def test_place_field_order_is_lon_lat() -> None:
    place = places.Place("Kyiv", "UA", 30.5, 50.5)
    assert (place.lon, place.lat) == (30.5, 50.5)
    assert place.population == 0 and not place.is_capital and place.geonameid is None


# --- countries ----------------------------------------------------------------


@pytest.mark.parametrize("query", ["BLR", "blr", "BY", "by", "Belarus", "belarus", "Republic of Belarus"])
def test_lookup_country_belarus(query: str) -> None:
    iso_a3, name, geometry = places.lookup_country(query)
    assert (iso_a3, name, geometry.geom_type) == ("BLR", "Belarus", "Polygon")


def test_belarus_geometry() -> None:
    _, _, geometry = places.lookup_country("BLR")
    assert len(geometry.interiors) == 0
    coords = shapely.get_coordinates(geometry)
    assert len(np.unique(coords, axis=0)) == 1172
    lon, lat = coords[np.argmax(coords[:, 1])]
    assert math.isclose(lat, 56.1568, abs_tol=1e-4) and math.isclose(lon, 28.1110, abs_tol=1e-4)


@pytest.mark.parametrize(
    ("query", "iso_a3"),
    [("FRA", "FRA"), ("Norway", "NOR"), ("XKX", "KOS"), ("Ivory Coast", "CIV"), ("Taiwan", "TWN")],
)
def test_lookup_country_fallback_codes(query: str, iso_a3: str) -> None:
    assert places.lookup_country(query)[0] == iso_a3


def test_unknown_country_suggests() -> None:
    with pytest.raises(UnknownPlaceError, match=r"unknown country 'Belarusia'.*Belarus \(BLR\)"):
        places.lookup_country("Belarusia")


def test_countries_table() -> None:
    countries = places.load_countries()
    assert len(countries) == 250 and countries.crs.to_epsg() == 4326
    assert countries["iso_a3"].is_unique
    a2 = countries.loc[countries["iso_a2"] != "", "iso_a2"]
    assert a2.is_unique
    assert shapely.is_valid(countries.geometry.values).all()
    assert "Curaçao" in set(countries["name"])  # the .dbf is read as UTF-8


# --- sites --------------------------------------------------------------------


def test_sites_coordinates() -> None:
    sites = places.load_sites()
    assert set(sites) == {"krichev", "machulishchy", "zyabrovka", "luninets", "baranovichi", "mazyr-area",
                          "kapustin-yar"}
    for site in sites.values():  # every site lies in the country its country field names
        country = places.lookup_country(site.country)[2]
        assert country.contains(shapely.Point(site.lon, site.lat)), site.key
    assert sum(site.country == "BLR" for site in sites.values()) == 6
    krichev, machulishchy = sites["krichev"], sites["machulishchy"]
    assert (krichev.lon, krichev.lat, krichev.country) == (31.9172, 53.7347, "BLR")
    assert (machulishchy.lon, machulishchy.lat, machulishchy.country) == (27.5772, 53.7736, "BLR")
    assert "Middlebury" in krichev.source and "Reuters" in krichev.source


@pytest.mark.parametrize(
    ("query", "key"), [("krichev", "krichev"), ("KRICHEV-6", "krichev"), ("Мачулищи", "machulishchy")]
)
def test_lookup_site(query: str, key: str) -> None:
    site = places.lookup_site(query)
    assert site is not None and site.key == key


@pytest.mark.parametrize("query", ["Minsk", "", "  "])
def test_lookup_site_misses_return_none(query: str) -> None:
    assert places.lookup_site(query) is None


# --- data files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "loader", "remedy"),
    [
        ("gazetteer.parquet", lambda: places.lookup_place("Kyiv"), "build_gazetteer.py"),
        ("gazetteer.parquet", places.load_gazetteer, "build_gazetteer.py"),
        ("countries_info.csv", places.european_capitals, "build_gazetteer.py"),
        ("countries.parquet", places.load_countries, "build_countries.py"),
        ("countries.parquet", lambda: places.lookup_country("BLR"), "build_countries.py"),
        ("sites.toml", places.load_sites, "version control"),
    ],
)
def test_missing_data_file(data_copy: Path, missing: str, loader, remedy: str) -> None:  # type: ignore[no-untyped-def]
    (data_copy / missing).unlink()
    with pytest.raises(DataFileError, match=rf"{missing}.*not found.*{remedy}"):
        loader()


def test_data_path_follows_environment(data_copy: Path) -> None:
    assert data_path("sites.toml") == data_copy / "sites.toml"


def test_stale_search_keys_are_refused(data_copy: Path) -> None:
    table = pq.read_table(data_copy / "gazetteer.parquet")
    metadata = dict(table.schema.metadata)
    metadata[b"georange:normalise_version"] = b"0"
    pq.write_table(table.replace_schema_metadata(metadata), data_copy / "gazetteer.parquet")
    with pytest.raises(DataFileError, match="search keys of version '0'.*build_gazetteer.py"):
        places.load_gazetteer()


def test_damaged_parquet_is_refused(data_copy: Path) -> None:
    (data_copy / "countries.parquet").write_bytes(b"not parquet")
    with pytest.raises(DataFileError, match="countries.parquet.*cannot be read"):
        places.load_countries()


def test_a_country_read_alone_gets_the_checks_of_the_whole_file(data_copy: Path) -> None:
    # lookup_country reads one row with Arrow; a file in another CRS is refused as load_countries refuses it.
    import json

    table = pq.read_table(data_copy / "countries.parquet")
    metadata = dict(table.schema.metadata)
    geo_meta = json.loads(metadata[b"geo"])
    geo_meta["columns"]["geometry"]["crs"] = {"id": {"authority": "EPSG", "code": 3857}}
    metadata[b"geo"] = json.dumps(geo_meta).encode()
    pq.write_table(table.replace_schema_metadata(metadata), data_copy / "countries.parquet")
    with pytest.raises(DataFileError, match="countries.parquet.*EPSG:4326"):
        places.lookup_country("BLR")
    (data_copy / "countries.parquet").write_bytes(b"not parquet")
    places.clear_caches()
    with pytest.raises(DataFileError, match="countries.parquet.*cannot be read"):
        places.lookup_country("BLR")


def test_a_country_read_alone_is_the_country_of_the_whole_file() -> None:
    places.clear_caches()  # so that each is read alone
    alone = {code: shipped._country_shape(code) for code in ("BLR", "RUS", "FJI", "ATA")}
    assert not places.load_countries.cache_info().currsize
    places.load_countries()
    for code, (name, geometry) in alone.items():
        assert shipped._country_by_code()[code][0] == name
        assert shipped._country_by_code()[code][1].wkb == geometry.wkb


def test_country_geometries_without_the_frame_are_those_of_the_frame() -> None:
    places.clear_caches()
    alone = places.country_geometries()
    assert not places.load_countries.cache_info().currsize  # geopandas not needed
    frame = places.load_countries().geometry.to_numpy()
    assert len(alone) == len(frame) == 250
    assert all(a.wkb == b.wkb for a, b in zip(alone, frame, strict=True))


GOOD_SITE = 'name = "Test"\nlat = 50.0\nlon = 30.0\ncountry = "UKR"\nsource = "test"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[sites.a\n", "not valid TOML"),
        ('title = "x"\n', "expected only \\[sites.<key>\\] tables"),
        ("[sites.a]\n" + GOOD_SITE.replace("lat = 50.0\n", ""), r"site 'a': missing fields \['lat'\]"),
        ("[sites.a]\n" + GOOD_SITE + "height = 3\n", r"site 'a': unknown fields \['height'\]"),
        ("[sites.a]\n" + GOOD_SITE.replace("50.0", "95.0"), "site 'a': .*latitude 95.0"),
        ("[sites.a]\n" + GOOD_SITE.replace("50.0", '"50"'), "site 'a': .*latitude '50'"),
        ("[sites.a]\n" + GOOD_SITE.replace('"UKR"', '"UA"'), "site 'a': country 'UA' must be an ISO 3166-1 alpha-3"),
        ("[sites.a]\n" + GOOD_SITE + "[sites.b]\n" + GOOD_SITE, "site 'b': name 'Test' is also used by site 'a'"),
    ],
)
def test_malformed_sites_file(data_copy: Path, text: str, message: str) -> None:
    (data_copy / "sites.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        places.load_sites()


@pytest.mark.parametrize(("query", "code"), [
    ("Wit-Rusland", "BLR"), ("Weißrussland", "BLR"), ("Беларусь", "BLR"), ("Белоруссия", "BLR"),
    ("Biélorussie", "BLR"), ("Białoruś", "BLR"), ("UK", "GBR"), ("U.K.", "GBR"), ("Great Britain", "GBR"),
    ("USA", "USA"), ("US", "USA"), ("Verenigde Staten van Amerika", "USA"), ("Oekraïne", "UKR"),
    ("Україна", "UKR"), ("Rusland", "RUS"), ("Россия", "RUS"), ("Holland", "NLD"), ("Duitsland", "DEU"),
    ("Ukraine", "UKR"), ("Niger", "NER"), ("Nigeria", "NGA"), ("Dominica", "DMA"),
])
def test_countries_by_their_names_in_other_languages_and_usual_short_forms(query, code) -> None:
    assert places.lookup_country(query)[0] == code


def test_every_alias_finds_its_country_and_english_names_keep_theirs() -> None:
    for code, names in places.country_aliases().items():
        for name in names:
            assert places.lookup_country(name)[0] == code, name
    # No name in another language takes over a country's own English name or code.
    attributes = places.load_countries()
    for row in attributes.itertuples(index=False):
        if row.iso_a2:
            assert places.lookup_country(row.iso_a2)[0] == row.iso_a3
        try:
            assert places.lookup_country(row.name)[0] == row.iso_a3, row.name
        except AmbiguousPlaceError:
            pass  # a name two features share in Natural Earth itself


def test_a_country_qualifier_in_another_language() -> None:
    assert places.lookup_place("Minsk, Wit-Rusland").label() == "Minsk, BY"
    assert places.lookup_place("Odessa, Oekraïne").label() == "Odesa, UA"


def test_the_ascii_shortcut_of_normalise_name_gives_the_unicode_key() -> None:
    # Every ASCII character alone and between letters, and every gazetteer and country name written in ASCII.
    from geo.reference.names import _unicode_key, normalise_name

    chars = [chr(i) for i in range(128)]
    samples = chars + [f"Ab{c}Cd {c}9" for c in chars] + ["  St. John's ", "N'Djamena", "Côte"[:3], "`x´"[:2]]
    samples += [n for n in places.load_gazetteer()["name"] if n.isascii()]
    samples += [n for names in shipped._country_attributes()["other_names"] for n in names.split("|") if n.isascii()]
    assert len(samples) > 25_000
    assert [normalise_name(s) for s in samples] == [_unicode_key(s) for s in samples]


def test_lookup_country_by_its_first_tier_agrees_with_the_whole_index() -> None:
    # lookup_country answers from codes and English names before building the other languages; the merged
    # index must say the same for every one of those keys.
    first, whole = countries._country_names(), countries._country_index()
    assert len(first) > 700
    assert all(whole[key] == codes for key, codes in first.items())
    assert places.lookup_country("BLR")[0] == places.lookup_country("Wit-Rusland")[0] == "BLR"


def test_place_and_country_lookups_do_without_pandas():
    # pyarrow imports pandas (0.3 s) whenever it converts to numpy or from a Python value: looking up
    # places (primary and alternate names, a qualifier), countries and a territory's part names reads
    # the Arrow columns straight, so a command that needs no frame never pays for it.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from geo.reference.places import lookup_place, lookup_country, largest_place_in\n"
        "assert lookup_place('Київ').name == 'Kyiv' and lookup_place('Paris, FR').country == 'FR'\n"
        "assert lookup_place('Moskou').name == 'Moscow'\n"
        "_, _, rus = lookup_country('RUS')\n"
        "assert 'Kaliningrad' in largest_place_in(list(rus.geoms))\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


# --- names: current and former names, small places, qualifiers with regions (issue 27) ------------------------

from geographiclib.geodesic import Geodesic  # noqa: E402  (the oracle: no code shared with the library)

from cases import PUBLISHED_PLACE_TOL_KM  # noqa: E402

KALININGRAD_ID = 554234  # GeoNames: Kaliningrad, RU


@pytest.mark.parametrize("query", ["Калининград", "Kaliningrad", "Königsberg", "Koenigsberg", "Królewiec",
                                   "Kaliningrad, RU", "Калининград, Россия"])
def test_a_current_name_beats_a_former_one_and_every_spelling_is_one_place(query) -> None:
    # Korolev (Moscow Oblast) was called Kaliningrad until 1996: GeoNames keeps "Калининград" among its names.
    place = places.lookup_place(query)
    assert (place.geonameid, place.name, place.country) == (KALININGRAD_ID, "Kaliningrad", "RU")


def test_the_former_name_is_still_known_to_the_place_that_bore_it() -> None:
    korolev = places.lookup_place("Королёв")
    assert korolev.name == "Korolev" and korolev.country == "RU"
    candidates, chosen = places.place_candidates("Калининград")
    assert korolev.geonameid in {p.geonameid for p in candidates}  # listed, not chosen
    assert chosen is not None and chosen.geonameid == KALININGRAD_ID


@pytest.mark.parametrize(("query", "name", "country", "published_lat", "published_lon"), [
    # Published coordinates (degrees and minutes as the English Wikipedia gives them), not GeoNames'.
    ("Kirkenes", "Kirkenes", "NO", 69 + 43 / 60 + 40 / 3600, 30 + 2 / 60 + 44 / 3600),  # 3,529 people
    ("Likiep", "Likiep", "MH", 9 + 49 / 60, 169 + 18 / 60),  # Likiep Atoll, Marshall Islands, 482 people
    ("Funafuti", "Funafuti", "TV", -(8 + 31 / 60), 179 + 12 / 60),  # Tuvalu's capital atoll
    ("Springfield, IL", "Springfield", "US", 39 + 47 / 60 + 56 / 3600, -(89 + 39 / 60 + 1 / 3600)),
    ("Portland, OR", "Portland", "US", 45 + 31 / 60 + 12 / 3600, -(122 + 40 / 60 + 55 / 3600)),
    ("Hamilton, ON", "Hamilton", "CA", 43 + 15 / 60 + 24 / 3600, -(79 + 52 / 60 + 11 / 3600)),
    ("Newcastle, NSW", "Newcastle", "AU", -(32 + 55 / 60 + 39 / 3600), 151 + 46 / 60 + 51 / 3600),
    ("Perth, WA", "Perth", "AU", -(31 + 57 / 60 + 8 / 3600), 115 + 51 / 60 + 32 / 3600),
])
def test_places_lie_where_published(query, name, country, published_lat, published_lon) -> None:
    place = places.lookup_place(query)
    assert (place.name, place.country) == (name, country)
    off_km = Geodesic.WGS84.Inverse(place.lat, place.lon, published_lat, published_lon)["s12"] / 1000
    assert off_km < PUBLISHED_PLACE_TOL_KM, (query, off_km)


def test_small_places_are_found_and_villages_near_siauliai_too() -> None:
    kirkenes = places.lookup_place("Kirkenes")
    assert kirkenes.population < 15_000 and not kirkenes.city and kirkenes.region == "NO-20"
    assert places.lookup_place("Киркенес").geonameid == kirkenes.geonameid  # its Russian name
    village = places.lookup_place("Aukštelkai")
    siauliai = places.lookup_place("Šiauliai")
    assert village.population <= 1_000 and village.country == "LT" and village.region == siauliai.region == "LT-SA"
    assert Geodesic.WGS84.Inverse(village.lat, village.lon, siauliai.lat, siauliai.lon)["s12"] < 30_000


def test_small_places_stay_out_of_the_cities_set() -> None:
    gazetteer = places.load_gazetteer()  # "every city of 15,000 or more" and the capitals, as before
    assert len(gazetteer) == 34_001
    assert "Kirkenes" not in set(gazetteer["name"]) and "Likiep" not in set(gazetteer["name"])
    assert len(places.preset_places("cities")) == 34_001


@pytest.mark.parametrize(("query", "country", "population_above"), [
    ("London", "GB", 8_000_000), ("Odessa", "UA", 1_000_000), ("Washington", "US", 600_000),
    ("Paris", "FR", 2_000_000), ("Bath", "GB", 100_000), ("Moscow", "RU", 10_000_000),
])
def test_a_capital_or_a_far_larger_city_still_wins_over_small_namesakes(query, country, population_above) -> None:
    place = places.lookup_place(query)
    assert place.country == country and place.population > population_above
    candidates, _ = places.place_candidates(query, limit=200)
    assert any(not p.city for p in candidates)  # the small namesakes exist, and do not make the name ambiguous


@pytest.mark.parametrize(("query", "region", "country"), [
    ("Springfield, IL", "US-IL", "US"), ("Springfield, Illinois", "US-IL", "US"), ("Springfield, US-IL", "US-IL", "US"),
    ("Springfield, MA", "US-MA", "US"), ("Springfield, NH", "US-NH", "US"),  # a small place, found by its region
    ("Portland, OR", "US-OR", "US"), ("Portland, ME", "US-ME", "US"),
    ("Perth, WA", "AU-WA", "AU"), ("Seattle, WA", "US-WA", "US"),
    ("Hamilton, ON", "CA-ON", "CA"), ("London, ON", "CA-ON", "CA"), ("Newcastle, NSW", "AU-NSW", "AU"),
    ("Augsburg, Bayern", "DE-BY", "DE"), ("Augsburg, Bavaria", "DE-BY", "DE"), ("Augsburg, DE-BY", "DE-BY", "DE"),
    ("Atlanta, Georgia", "US-GA", "US"), ("Tbilisi, Georgia", "GE-TB", "GE"),
    ("Bellevue, Washington", "US-WA", "US"),  # two regions of that name (US-WA, US-DC): one reading, the larger wins
])
def test_a_region_qualifies_a_place(query, region, country) -> None:
    place = places.lookup_place(query)
    assert (place.region, place.country) == (region, country)
    assert places.lookup_place(place.query()).geonameid == place.geonameid  # the region query finds it again


@pytest.mark.parametrize(("query", "country", "region"), [
    ("Tel Aviv, IL", "IL", "IL-TA"),  # IL read as Israel: no Tel Aviv in Illinois
    ("Haifa, IL", "IL", "IL-HA"),
    ("Springfield, IL", "US", "US-IL"),  # IL read as Illinois: no Springfield in Israel
    ("Chicago, IL", "US", "US-IL"),
    ("Toronto, CA", "CA", "CA-ON"),  # CA read as Canada
    ("Sacramento, CA", "US", "US-CA"),  # CA read as California
    ("George Town, KY", "KY", ""),  # the Cayman Islands' capital; Georgetown, Kentucky has it as another spelling
])
def test_a_code_of_two_readings_takes_the_one_the_place_exists_in(query, country, region) -> None:
    place = places.lookup_place(query)
    assert place.country == country and place.region.startswith(region)


@pytest.mark.parametrize(("query", "readings"), [
    ("Bellevue, WA", ["Washington (US-WA)", "Western Australia (AU-WA)", "'Bellevue, US-WA'", "'Bellevue, AU-WA'"]),
    ("Albany, CA", ["Canada (CA)", "California (US-CA)", "'Albany, Canada'", "'Albany, US-CA'"]),
])
def test_a_place_in_both_readings_of_a_code_is_refused_naming_both(query, readings) -> None:
    with pytest.raises(AmbiguousPlaceError, match="has 2 readings") as caught:
        places.lookup_place(query)
    assert all(r in str(caught.value) for r in readings), str(caught.value)
    for answer in readings[2:]:  # each suggested query resolves, to its own reading
        assert places.lookup_place(answer.strip("'")).country in {"US", "AU", "CA"}


def test_a_refused_name_lists_region_country_population_and_coordinates() -> None:
    with pytest.raises(AmbiguousPlaceError) as caught:
        places.lookup_place("Springfield")
    message = str(caught.value)
    for code in ("US-MO", "US-MA", "US-IL"):
        place = places.lookup_place(f"Springfield, {code}")
        lat = f"{abs(place.lat):.4f}{'N' if place.lat >= 0 else 'S'}"
        lon = f"{abs(place.lon):.4f}{'E' if place.lon >= 0 else 'W'}"
        entry = f"Springfield, US ({place.region_name}, {code}; population {place.population:,}; {lat} {lon})"
        assert entry in message, (entry, message)
    assert "add a region qualifier, e.g. 'Springfield, US-MO'" in message
    candidates, chosen = places.place_candidates("Springfield, US")
    assert chosen is None and len(candidates) > 8 and all(p.region.startswith("US-") for p in candidates)


def test_a_qualifier_names_where_it_was_looked_for() -> None:
    with pytest.raises(UnknownPlaceError, match=r"no place named 'Kirkenes' in IL; places of that name exist in: "
                                                r"NO \('IL' read as Israel \(IL\) or Illinois \(US-IL\)\)"):
        places.lookup_place("Kirkenes, IL")


def test_every_name_key_of_the_index_is_sorted_and_points_at_a_row() -> None:
    index = places._key_index()
    keys = [index.key(i) for i in range(0, len(index), 997)]
    assert keys == sorted(keys)
    assert index.rows.min() >= 0 and index.rows.max() < shipped._gazetteer_table().num_rows


def test_a_missing_name_index_is_named(data_copy: Path) -> None:
    (data_copy / "gazetteer_keys.parquet").unlink()
    with pytest.raises(DataFileError, match=r"gazetteer_keys.parquet.*not found.*build_gazetteer.py"):
        places.lookup_place("Kyiv")


@pytest.mark.parametrize(("query", "code", "stderr"), [
    ("Odessa", 0, ""),
    ("Hyderabad", 2, "add a country qualifier"),
    ("Bellevue, WA", 2, "has 2 readings"),
    ("Xqzzyville", 2, "unknown place 'Xqzzyville'"),
])
def test_places_command_exits_as_reach_does_for_the_same_name(query, code, stderr, capsys) -> None:
    from geo.cli.main import main

    assert main(["places", query]) == code
    out, err = capsys.readouterr()
    assert stderr in err and len(err.splitlines()) == (1 if code else 0)
    assert main(["reach", "--from", "BLR", "--max-km", "1000", "--place", query, "--format", "csv"]) == code
    reach_err = capsys.readouterr().err
    if code:  # the same refusal, one line, from both commands
        assert err.split(": error: ", 1)[1].strip() in reach_err
