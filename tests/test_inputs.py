"""User files: launch areas (--from FILE) and target sets (--places FILE), good and bad.

Every file is generated in tmp_path from data held in memory, so that each
format can be checked against the same data without a file in between.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import mapping

from geo.analysis.launch import LaunchRegion, parse_launch
from geo.cli.main import main
from geo.errors import GeoRangeError, GeoRangeWarning, InputFileError, UnknownPlaceError
from geo.inputs.points import count_points, iter_points
from geo.inputs.targets import count_targets, iter_targets, load_targets, read_places_csv
from geo.reference.places import lookup_country

from cases import DIST_TOL_M
from oracle import BruteForce

GL = Geodesic.WGS84
SAME_M = 1e-6  # the same vertices read back: the same distances
REPROJECTED_M = 0.05  # vertices through a projection and back (~1e-9 degrees)

# Warsaw, Moscow, Kyiv, Vilnius, Minsk (inside), Lisbon, Tokyo, Wellington (near Belarus's antipode)
CITIES_LON = np.array([21.0118, 37.6173, 30.5234, 25.2797, 27.5615, -9.1393, 139.6917, 174.7762])
CITIES_LAT = np.array([52.2298, 55.7558, 50.4501, 54.6872, 53.9045, 38.7223, 35.6895, -41.2865])


def feature(geometry, **properties):
    return {"type": "Feature", "properties": properties,
            "geometry": geometry if geometry is None or isinstance(geometry, dict) else mapping(geometry)}


def write_geojson(path: Path, *features) -> Path:
    # json writes floats with repr: they read back exactly.
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}), encoding="utf-8")
    return path


def distances(region: LaunchRegion):
    lo = np.min([p.distances(CITIES_LON, CITIES_LAT)[0] for p in region.parts], axis=0)
    hi = np.max([p.distances(CITIES_LON, CITIES_LAT)[1] for p in region.parts], axis=0)
    return lo, hi


def assert_same_distances(a: LaunchRegion, b: LaunchRegion, tol_m: float) -> None:
    (lo_a, hi_a), (lo_b, hi_b) = distances(a), distances(b)
    np.testing.assert_allclose(lo_a, lo_b, rtol=0, atol=tol_m)
    np.testing.assert_allclose(hi_a, hi_b, rtol=0, atol=tol_m)


@pytest.fixture(scope="module")
def belarus():
    return lookup_country("BLR")[2]


def belarus_file(tmp_path: Path, fmt: str, geometry, crs="EPSG:4326") -> Path:
    if fmt == "geojson":
        return write_geojson(tmp_path / "blr.geojson", feature(geometry, name="Belarus"))
    frame = gpd.GeoDataFrame({"name": ["Belarus"]}, geometry=[geometry], crs="EPSG:4326").to_crs(crs)
    if fmt == "zip":
        frame.to_file(tmp_path / "blr.shp")
        with zipfile.ZipFile(tmp_path / "blr.zip", "w") as z:
            for part in tmp_path.glob("blr.*"):
                if part.suffix != ".zip":
                    z.write(part, part.name)
        return tmp_path / "blr.zip"
    path = tmp_path / f"blr.{fmt}"
    frame.to_file(path)
    return path


# -- launch areas: good files -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shp", "zip"])
def test_launch_file_gives_the_country_distances(tmp_path, belarus, fmt) -> None:
    path = belarus_file(tmp_path, fmt, belarus)
    region = parse_launch(str(path))
    assert isinstance(region, LaunchRegion)
    assert (region.label, region.source) == ("Belarus", str(path))
    assert shapely.equals(region.geometry, belarus)
    assert_same_distances(region, parse_launch("BLR"), SAME_M)


def test_geojson_keeps_the_vertices_exactly(tmp_path, belarus) -> None:
    region = parse_launch(str(belarus_file(tmp_path, "geojson", belarus)))
    assert shapely.equals_exact(region.geometry, belarus, tolerance=0.0)


@pytest.mark.parametrize(("fmt", "crs"), [("gpkg", "EPSG:3857"), ("shp", "EPSG:32635"), ("gpkg", "EPSG:3035")])
def test_launch_file_in_another_crs_is_reprojected(tmp_path, belarus, fmt, crs) -> None:
    region = parse_launch(str(belarus_file(tmp_path, fmt, belarus, crs=crs)))
    # normalize: a shapefile stores shells clockwise, the ring may come back reversed
    assert shapely.equals_exact(shapely.normalize(region.geometry), shapely.normalize(belarus), tolerance=1e-8)
    assert_same_distances(region, parse_launch("BLR"), REPROJECTED_M)


def test_launch_file_without_crs_is_taken_as_lonlat_with_a_warning(tmp_path, belarus) -> None:
    path = belarus_file(tmp_path, "shp", belarus)
    path.with_suffix(".prj").unlink()
    with pytest.warns(GeoRangeWarning, match=r"blr\.shp: the file has no CRS; .* taken as lon/lat degrees"):
        region = parse_launch(str(path))
    assert_same_distances(region, parse_launch("BLR"), SAME_M)


def test_launch_file_without_crs_and_projected_numbers_is_refused(tmp_path, belarus) -> None:
    path = belarus_file(tmp_path, "shp", belarus, crs="EPSG:32635")
    path.with_suffix(".prj").unlink()
    with pytest.raises(InputFileError, match=r"blr\.shp, feature 1: vertex 1 \(\d+\.?\d*, \d+\.?\d*\) .*no CRS"):
        parse_launch(str(path))


def test_label_is_the_file_name_without_a_single_name(tmp_path) -> None:
    one = write_geojson(tmp_path / "patrol.geojson", feature(shapely.box(30, 50, 31, 51)))
    assert parse_launch(str(one)).label == "patrol.geojson"
    two = write_geojson(tmp_path / "two.json", feature(shapely.box(30, 50, 31, 51), name="a"),
                        feature(shapely.box(40, 50, 41, 51), name="b"))
    region = parse_launch(str(two))
    assert region.label == "two.json"
    # Parts are named after the most populous gazetteer place inside them, found here by a plain box filter.
    from geo.reference.places import load_gazetteer

    g = load_gazetteer()
    def biggest(x0, y0):  # noqa: E306
        inside = g[(g.lon > x0) & (g.lon < x0 + 1) & (g.lat > y0) & (g.lat < y0 + 1)]
        return inside.sort_values("population").iloc[-1]["name"]
    assert biggest(30, 50) == "Kyiv"
    assert [p.name for p in region.parts] == [f"two.json part 1 ({biggest(30, 50)})",
                                             f"two.json part 2 ({biggest(40, 50)})"]
    empty_sea = write_geojson(tmp_path / "sea.json", feature(shapely.box(-30, 30, -29, 31)),
                              feature(shapely.box(-40, 30, -39, 31)))
    assert [p.name for p in parse_launch(str(empty_sea)).parts] == ["sea.json part 1", "sea.json part 2"]


def test_several_features_are_one_area_their_union(tmp_path) -> None:
    a, b, c = shapely.box(30, 50, 32, 52), shapely.box(31, 51, 33, 53), shapely.box(40, 50, 41, 51)
    path = write_geojson(tmp_path / "areas.geojson", feature(a), feature(b), feature(c))
    region = parse_launch(str(path))
    union = shapely.union_all([a, b, c])
    assert shapely.equals(region.geometry, union) and len(region.parts) == 2
    assert_same_distances(region, LaunchRegion("union", union), SAME_M)


def test_overlapping_parts_of_a_multipolygon_are_merged_without_a_warning(tmp_path) -> None:
    a, b = shapely.box(30, 50, 32, 52), shapely.box(31, 51, 33, 53)
    path = write_geojson(tmp_path / "overlap.geojson", feature(shapely.MultiPolygon([a, b])))
    region = parse_launch(str(path))  # filterwarnings = error: a warning would fail here
    assert shapely.equals(region.geometry, shapely.union(a, b))


def test_bowtie_is_repaired_with_a_warning_giving_the_areas(tmp_path) -> None:
    path = write_geojson(tmp_path / "bowtie.geojson",
                         feature({"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}))
    with pytest.warns(GeoRangeWarning, match=r"bowtie\.geojson, feature 1: invalid polygon \(Self-intersection") as w:
        region = parse_launch(str(path))
    # Independent: the two lobes meet where the diagonals cross, at (1, 1); their areas from geographiclib.
    lobes = [[(0, 0), (0, 2), (1, 1)], [(2, 0), (1, 1), (2, 2)]]
    expect_km2 = 0.0
    for lobe in lobes:
        poly = GL.Polygon()
        for lon, lat in lobe:
            poly.AddPoint(lat, lon)
        expect_km2 += abs(poly.Compute()[2]) / 1e6
    message = str(w[0].message)
    m = re.search(r"area ([\d,.]+) km² as drawn, ([\d,.]+) km² repaired \(\+([\d,.]+) km²\)", message)
    assert m, message
    before, after, change = (float(g.replace(",", "")) for g in m.groups())
    assert before == pytest.approx(0.0, abs=0.05)  # the lobes cancel in the ring formula
    assert after == pytest.approx(expect_km2, abs=0.05) and change == pytest.approx(expect_km2, abs=0.05)
    assert 20_000 < expect_km2 < 30_000  # two triangles of 1 x 2 degrees near the equator
    assert shapely.equals(region.geometry, shapely.MultiPolygon([shapely.Polygon(p) for p in lobes]))


def test_antimeridian_crossing_is_split_on_the_geodesic(tmp_path) -> None:
    ring = [[170.0, -20.0], [-170.0, -20.0], [-170.0, -10.0], [170.0, -10.0], [170.0, -20.0]]
    path = write_geojson(tmp_path / "pacific.geojson", feature({"type": "Polygon", "coordinates": [ring]}))
    region = parse_launch(str(path))
    assert region.geometry.geom_type == "MultiPolygon" and len(region.parts) == 2
    xmin, _, xmax, _ = region.geometry.bounds
    assert (xmin, xmax) == (-180.0, 180.0)
    # Each cut vertex lies on its geodesic edge: the two pieces add up to the whole edge.
    cut = shapely.get_coordinates(region.geometry)
    for (x1, y1), (x2, y2) in [((170.0, -20.0), (-170.0, -20.0)), ((-170.0, -10.0), (170.0, -10.0))]:
        whole = GL.Inverse(y1, x1, y2, x2)["s12"]
        on_180 = cut[(cut[:, 0] == 180.0) & (np.abs(cut[:, 1] - y1) < 1.0)]
        assert len(on_180) >= 1
        lat = on_180[0, 1]
        assert abs(lat - y1) > 0.1  # the geodesic bulges poleward of the parallel
        split = GL.Inverse(y1, x1, lat, 180.0)["s12"] + GL.Inverse(lat, 180.0, y2, x2)["s12"]
        assert split == pytest.approx(whole, abs=1e-6)
    # Distances against the brute-force oracle on the unsplit polygon (targets outside it and its antipode).
    oracle = BruteForce(shapely.Polygon(ring))
    for lon, lat in [(180.0, -25.0), (175.0, 0.0), (-175.0, -30.0), (179.9, -25.0), (0.0, 0.0)]:
        lo, hi = oracle.distances(lon, lat)
        got_lo = min(p.distances([lon], [lat])[0][0] for p in region.parts)
        got_hi = max(p.distances([lon], [lat])[1][0] for p in region.parts)
        assert got_lo == pytest.approx(lo, abs=DIST_TOL_M) and got_hi == pytest.approx(hi, abs=DIST_TOL_M)


def test_polygon_closed_along_the_pole_is_kept(tmp_path) -> None:
    ring = [[x, 80.0] for x in range(-180, 181, 10)] + [[180.0, 90.0], [-180.0, 90.0], [-180.0, 80.0]]
    path = write_geojson(tmp_path / "cap.geojson", feature({"type": "Polygon", "coordinates": [ring]}))
    region = parse_launch(str(path))
    assert shapely.equals_exact(region.geometry, shapely.Polygon(ring), tolerance=0.0)
    lo, hi = region.parts[0].distances([0.0], [90.0])
    assert lo[0] == 0.0


# -- launch areas: bad files ------------------------------------------------------------------


def test_bad_launch_files(tmp_path) -> None:
    box = mapping(shapely.box(30, 50, 31, 51))
    cases = {
        "missing.geojson": (None, r"missing\.geojson: no such file"),
        "garbage.geojson": (b"\x00\xff\x17 not json", r"garbage\.geojson: not a readable GeoJSON"),
        "truncated.json": ('{"type": "FeatureCollection", "features": [', r"truncated\.json: not a readable"),
        "empty.geojson": ([], r"empty\.geojson: no features"),
        "point.geojson": ([feature(box), feature(shapely.Point(30, 50))],
                          r"point\.geojson, feature 2: is a Point; expected a Polygon or MultiPolygon"),
        "line.geojson": ([feature(shapely.LineString([(30, 50), (30, 50)]))],  # a route of one position
                         r"line\.geojson, feature 1: a single position \(50, 30 as lat, lon\)"),
        "null.geojson": ([feature(box), feature(box), feature(None)],
                         r"null\.geojson, feature 3: no geometry \(null\)"),
        "emptygeom.geojson": ([feature({"type": "Polygon", "coordinates": []})],
                              r"emptygeom\.geojson, feature 1: the Polygon is empty"),
        "range.geojson": ([feature({"type": "Polygon", "coordinates": [[[30, 50], [200, 50], [31, 51], [30, 50]]]})],
                          r"range\.geojson, feature 1: vertex 2 \(200, 50\) is not a lon/lat position"),
        "lat.geojson": ([feature({"type": "Polygon", "coordinates": [[[30, 50], [31, 95], [31, 51], [30, 50]]]})],
                        r"lat\.geojson, feature 1: vertex 2 \(31, 95\)"),
        "sliver.geojson": ([feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]})],
                           r"sliver\.geojson, feature 1: invalid polygon \(.*\) that encloses no area"),
        "winds.geojson": ([feature({"type": "Polygon",
                                    "coordinates": [[[x, 80] for x in range(-180, 180, 10)] + [[-180, 80]]]})],
                          r"winds\.geojson, feature 1: a ring winds around a pole"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        if isinstance(content, list):
            write_geojson(path, *content)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        with pytest.raises(InputFileError, match=message):
            parse_launch(str(path))


def test_a_geopackage_with_two_layers_is_refused_naming_them(tmp_path) -> None:
    path = tmp_path / "two.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.box(30, 50, 31, 51)], crs=4326).to_file(path, layer="north")
    gpd.GeoDataFrame(geometry=[shapely.box(20, 50, 21, 51)], crs=4326).to_file(path, layer="south")
    with pytest.raises(InputFileError, match=r"two\.gpkg: 2 layers with geometries \(north \(Polygon\), south"):
        parse_launch(str(path))


def test_an_existing_file_of_another_type_is_refused(tmp_path) -> None:
    path = tmp_path / "area.kml"
    path.write_text("<kml/>", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"area\.kml'?: a file of this type cannot be read"):
        parse_launch(str(path))
    assert parse_launch("BLR").code == "BLR"  # names still resolve


def test_bad_launch_file_through_the_cli_is_one_line_and_exit_2(tmp_path, capsys) -> None:
    path = write_geojson(tmp_path / "point.geojson", feature(shapely.Point(30, 50)),
                         feature(shapely.box(30, 50, 31, 51)))  # a point and a polygon: one kind per file
    code = main(["reach", "--from", str(path), "--max-km", "100", "--places", "european-capitals"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "point.geojson, feature 2: is a Polygon; expected a Point or MultiPoint" in err


# -- target sets: good files -------------------------------------------------------------------

PLACES = pd.DataFrame({"name": ["Warsaw", "Kyiv", "Suva"], "lat": [52.2298, 50.4501, -18.1416],
                       "lon": [21.0118, 30.5234, 178.4419], "population": [1_790_658, 2_797_553, 93_970]})


def expected(population=PLACES["population"]) -> pd.DataFrame:
    # No country column: the file has none (an empty one used to be made up, first in every output).
    return pd.DataFrame({"name": PLACES["name"], "lat": PLACES["lat"], "lon": PLACES["lon"],
                         "population": population})


def places_file(tmp_path: Path, fmt: str, frame: pd.DataFrame = PLACES, crs="EPSG:4326") -> Path:
    path = tmp_path / f"places.{fmt}"
    if fmt == "geojson" and crs == "EPSG:4326":  # GDAL would round to 15 digits
        rows = frame.drop(columns=["lat", "lon"]).to_dict("records")
        points = shapely.points(np.column_stack([frame["lon"], frame["lat"]]))
        return write_geojson(path, *(feature(pt, **{k: v.item() if hasattr(v, "item") else v for k, v in r.items()})
                                     for pt, r in zip(points, rows, strict=True)))
    if fmt == "csv":
        frame.to_csv(path, index=False)
        return path
    if fmt == "plain.parquet":
        frame.to_parquet(path, index=False)
        return path
    gdf = gpd.GeoDataFrame(frame.drop(columns=["lat", "lon"]),
                           geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326").to_crs(crs)
    if fmt == "parquet":
        gdf.to_parquet(path, index=False)
    else:
        gdf.to_file(path)
    return path


def frames_equal(got: pd.DataFrame, want: pd.DataFrame, **kw) -> None:
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                  check_dtype=False, **kw)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "plain.parquet", "gpkg", "geojson"])
def test_places_file_gives_the_same_places(tmp_path, fmt) -> None:
    got = load_targets(str(places_file(tmp_path, fmt)))
    want = expected(PLACES["population"].astype(str) if fmt == "csv" else PLACES["population"])  # CSV: text
    frames_equal(got, want)
    assert list(got.index) == [0, 1, 2]


@pytest.mark.parametrize(("fmt", "crs"), [("gpkg", "EPSG:3857"), ("parquet", "EPSG:3857"), ("geojson", "EPSG:3395")])
def test_places_in_another_crs_are_reprojected(tmp_path, fmt, crs) -> None:
    got = load_targets(str(places_file(tmp_path, fmt, crs=crs)))
    frames_equal(got, expected(), atol=1e-9, rtol=0)


def test_points_without_names_are_numbered_and_name_is_case_insensitive(tmp_path) -> None:
    path = places_file(tmp_path, "gpkg", PLACES.drop(columns=["name"]))
    got = load_targets(str(path))
    assert list(got["name"]) == ["point 1", "point 2", "point 3"]
    assert "name" not in pd.concat(iter_targets(str(path))).columns  # the stream makes no names up
    upper = places_file(tmp_path, "geojson", PLACES.rename(columns={"name": "NAME"}))
    assert list(load_targets(str(upper))["name"]) == list(PLACES["name"])


def test_a_csv_without_names_is_read_and_numbered(tmp_path) -> None:
    path = tmp_path / "grid.csv"
    path.write_text("lat,lon\n1,2\n3,4\n", encoding="utf-8")
    assert list(load_targets(str(path))["name"]) == ["point 1", "point 2"]
    with pytest.raises(InputFileError, match=r"grid\.csv: missing column name; found lat, lon"):
        read_places_csv(path)  # the CSV reader of the API keeps requiring names


def test_a_one_point_multipoint_is_a_point_and_several_are_refused(tmp_path) -> None:
    one = write_geojson(tmp_path / "one.geojson", feature(shapely.MultiPoint([(21.0, 52.0)]), name="a"))
    assert load_targets(str(one))[["lon", "lat"]].to_numpy().tolist() == [[21.0, 52.0]]
    two = write_geojson(tmp_path / "two.geojson", feature(shapely.Point(1, 2), name="a"),
                        feature(shapely.MultiPoint([(21.0, 52.0), (22.0, 53.0)]), name="b"))
    with pytest.raises(InputFileError, match=r"two\.geojson, feature 2: is a MultiPoint of 2 points; expected one"):
        load_targets(str(two))


# -- target sets: bad files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ([feature(shapely.Point(1, 2), name="a"), feature(None, name="b")], r", feature 2: no geometry \(null\)"),
        ([feature({"type": "MultiPoint", "coordinates": []}, name="a")], r", feature 1: the MultiPoint is empty"),
        ([feature(shapely.Point(1, 2), name="a"), feature(shapely.Point(1, 2), name="b"),
          feature(shapely.LineString([(0, 0), (1, 1)]), name="c")], r", feature 3: is a LineString; expected a Point"),
        ([feature(shapely.Point(1, 2), name="a"), feature(shapely.Point(21, 95), name="b")],
         r", feature 2: lat 95 must be a finite number in \[-90, 90\]"),
        ([feature(shapely.Point(190, 2), name="a")], r", feature 1: lon 190 must be a finite number in \[-180, 180\]"),
        ([feature(shapely.Point(1, 2), name="")], r", feature 1: name is empty"),
        ([], r": no features; expected Point features"),
    ],
)
def test_bad_point_features(tmp_path, features, message) -> None:
    path = write_geojson(tmp_path / "bad.geojson", *features)
    for read in (lambda: load_targets(str(path)), lambda: list(iter_targets(str(path), chunk_rows=1))):
        with pytest.raises(InputFileError, match=r"bad\.geojson" + message):
            read()


def test_the_readers_own_warnings_are_passed_on_with_the_file_name(tmp_path) -> None:
    path = write_geojson(tmp_path / "nodims.geojson", feature({"type": "Point", "coordinates": []}, name="a"))
    with pytest.warns(GeoRangeWarning, match=r"nodims\.geojson: .*Invalid coord dimension"):
        with pytest.raises(InputFileError, match=r"nodims\.geojson, feature 1: no geometry \(null\)"):
            load_targets(str(path))


def test_an_empty_geoparquet_point_is_named_as_such(tmp_path) -> None:
    path = tmp_path / "empty.parquet"
    gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[shapely.Point(1, 2), shapely.Point()], crs=4326).to_parquet(path)
    with pytest.raises(InputFileError, match=r"empty\.parquet, row 2: the Point is empty"):
        load_targets(str(path))


def test_bad_parquet_files(tmp_path) -> None:
    nan = tmp_path / "nan.parquet"
    pd.DataFrame({"name": ["a", "b"], "lat": [1.0, np.nan], "lon": [2.0, 3.0]}).to_parquet(nan)
    with pytest.raises(InputFileError, match=r"nan\.parquet, row 2: lat is empty"):
        load_targets(str(nan))
    inf = tmp_path / "inf.parquet"
    pd.DataFrame({"lat": [1.0, 2.0, 3.0], "lon": [2.0, 3.0, np.inf]}).to_parquet(inf)
    with pytest.raises(InputFileError, match=r"inf\.parquet, row 3: lon inf must be a finite number"):
        load_targets(str(inf))
    nolon = tmp_path / "nolon.parquet"
    pd.DataFrame({"name": ["a"], "lat": [1.0]}).to_parquet(nolon)
    with pytest.raises(InputFileError, match=r"nolon\.parquet: missing column lon; found name, lat"):
        load_targets(str(nolon))
    text = tmp_path / "text.parquet"
    pd.DataFrame({"lat": ["1.5", "north"], "lon": ["2", "3"]}).to_parquet(text)
    with pytest.raises(InputFileError, match=r"text\.parquet, row 2: lat 'north' is not a number"):
        load_targets(str(text))
    garbage = tmp_path / "garbage.parquet"
    garbage.write_bytes(b"PAR1 not really")
    with pytest.raises(InputFileError, match=r"garbage\.parquet: not a readable Parquet file"):
        load_targets(str(garbage))
    empty = tmp_path / "empty.parquet"
    pd.DataFrame({"lat": pd.Series([], dtype=float), "lon": pd.Series([], dtype=float)}).to_parquet(empty)
    with pytest.raises(InputFileError, match=r"empty\.parquet: no rows"):
        load_targets(str(empty))


def test_missing_and_unknown_places_specs() -> None:
    with pytest.raises(InputFileError, match=r"nowhere\.parquet: no such file"):
        load_targets("nowhere.parquet")
    # A lone unknown name keeps the place lookup's class (UnknownPlaceError), with the other readings added.
    with pytest.raises(UnknownPlaceError, match=r"unknown place 'europe'.*'europe' is not a preset"):
        list(iter_targets("europe"))
    with pytest.raises(InputFileError, match=r"a{300}\.csv: cannot open: File name too long"):
        load_targets("a" * 300 + ".csv")
    with pytest.raises(InputFileError, match=r"a{300}\.gpkg: cannot open: File name too long"):
        parse_launch("a" * 300 + ".gpkg")
    with pytest.raises(GeoRangeError, match=r"not a site, a country"):
        parse_launch("a" * 300 + ".b")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,lat,lon\nA,52,21\nB,53,22,9\n", r"row 3: 4 fields, expected 3 as in the header"),
        ("name,lat,lon\nA,52,21,9\nB,53,22\n", r"row 2: 4 fields, expected 3 as in the header"),
        ("name,lat,lon\r\nA,52,21,\r\n", r"row 2: 4 fields, expected 3 as in the header"),
        ("name,lat,lon\nA,52,21\nB,53\n", r"row 3: lon is empty"),
        ("name,lat,lon\nA,52,21\n  ,53,22\n", r"row 3: name is empty"),
        ("name,lat,lon\nA,52,21\nB,x1,22\n", r"row 3: lat 'x1' is not a number"),
        ("name,lat,lon\nA,52,21\nB,nan,22\n", r"row 3: lat nan must be a finite number in \[-90, 90\]"),
        ("name,lat,lon\nA,52,21\nB,5,inf\n", r"row 3: lon inf must be a finite number in \[-180, 180\]"),
        ("name,lat,lon\nA,52,21\n\n\"B\",\"95\",1\n", r"row 4: lat 95 must be"),
        ('name,lat,lon\nA,52,21\n"B,53,22\n', r"row 3: a quoted field is not closed"),
        ("name,lat,lon\n", r"no places \(only a header\)"),
        ("", r"empty file"),
        ("nom,lat\nA,52\n", r"missing column lon; found nom, lat"),  # nom (French) names the places
        ("id,lat\nA,52\n", r"missing columns name, lon"),
    ],
)
def test_bad_csv_rows_name_the_row_in_every_reader(tmp_path, text, message) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    readers = [lambda: read_places_csv(path), lambda: load_targets(str(path))]
    readers += [lambda k=k: list(iter_targets(str(path), chunk_rows=k)) for k in (1, 2, 1000)]
    for read in readers:
        with pytest.raises(InputFileError, match=r"bad\.csv(, |: )" + message):
            read()


def test_a_csv_that_is_not_utf8_is_refused(tmp_path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(b"name,lat,lon\nA,52,21\n" + "Łódź,51.76,19.46\n".encode("cp1250"))
    for read in (lambda: load_targets(str(path)), lambda: list(iter_targets(str(path), chunk_rows=1))):
        with pytest.raises(InputFileError, match=r"latin\.csv: not UTF-8 text"):
            read()


def test_every_error_is_a_georange_error_and_a_value_error(tmp_path) -> None:
    path = write_geojson(tmp_path / "x.geojson", feature(shapely.Point(1, 2)), feature(shapely.box(1, 2, 3, 4)))
    with pytest.raises(GeoRangeError) as info:
        parse_launch(str(path))
    assert isinstance(info.value, ValueError)


# -- streaming ---------------------------------------------------------------------------------


def random_places(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"name": [f"p{i}" for i in range(n)], "lat": rng.uniform(-90, 90, n),
                         "lon": rng.uniform(-180, 180, n), "weight": rng.integers(0, 100, n)})


@pytest.mark.parametrize("fmt", ["csv", "parquet", "plain.parquet", "gpkg", "geojson"])
def test_chunks_concatenate_to_the_full_read(tmp_path, fmt) -> None:
    frame = random_places(1000)
    path = places_file(tmp_path, fmt, frame)
    if fmt in ("parquet", "plain.parquet"):  # several row groups: batches do not match them
        table = pa.Table.from_pandas(pd.read_parquet(path), preserve_index=False)
        schema = table.schema.with_metadata(pq.read_schema(path).metadata)
        pq.write_table(table.cast(schema), path, row_group_size=300)
    chunks = list(iter_targets(str(path), chunk_rows=128))
    assert len(chunks) >= 1000 // 128 + 1 and all(len(c) <= 128 for c in chunks)
    whole = pd.concat(chunks)
    assert list(whole.index) == list(range(1000))  # numbered across chunks
    pd.testing.assert_frame_equal(whole, load_targets(str(path)))
    np.testing.assert_array_equal(whole["lon"].to_numpy(), frame["lon"].to_numpy())
    np.testing.assert_array_equal(whole["lat"].to_numpy(), frame["lat"].to_numpy())


def test_row_numbers_are_right_in_the_streaming_csv_path(tmp_path) -> None:
    # Row 1 is the header; a blank line is a row (skipped), a quoted line break does not start one.
    lines = ["name,lat,lon"] + [f"p{i},{i % 80},{i % 170}" for i in range(2, 40)]  # lines[i] is row i + 1
    lines[9] = ""  # row 10
    lines[14] = '"two\nlines",1,1'  # row 15, over two lines of text
    lines[30] = "bad,91,0"  # row 31
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    good = [f"p{i}" for i in range(2, 31) if i != 10]
    good[good.index("p15")] = "two\nlines"
    for k in (1, 3, 7, 100):
        got = []
        with pytest.raises(InputFileError, match=r"long\.csv, row 31: lat 91 must be"):
            for chunk in iter_targets(str(path), chunk_rows=k):
                got.append(chunk)
        names = pd.concat(got)["name"].tolist() if got else []
        assert names == good[: len(names)]
        assert len(names) >= len(good) - k  # everything before the bad row's chunk was yielded


def test_row_numbers_are_right_in_the_streaming_parquet_path(tmp_path) -> None:
    frame = random_places(50)
    frame.loc[37, "lon"] = 200.0  # row 38, counted from 1
    path = tmp_path / "p.parquet"
    frame.to_parquet(path, row_group_size=10)
    for k in (1, 8, 64):
        with pytest.raises(InputFileError, match=r"p\.parquet, row 38: lon 200 must be a finite number"):
            list(iter_targets(str(path), chunk_rows=k))


def test_geoparquet_slow_and_fast_wkb_paths_agree(tmp_path) -> None:
    frame = random_places(200)
    fast = places_file(tmp_path, "parquet", frame)
    points = list(gpd.points_from_xy(frame["lon"], frame["lat"]))
    points[5] = shapely.MultiPoint([points[5]])  # one geometry that is not a plain point: the general decoder
    slow = tmp_path / "slow.parquet"
    gpd.GeoDataFrame(frame.drop(columns=["lat", "lon"]), geometry=points, crs=4326).to_parquet(slow)
    pd.testing.assert_frame_equal(load_targets(str(fast)), load_targets(str(slow)))
    frames_equal(load_targets(str(fast))[["lat", "lon"]], frame[["lat", "lon"]])


def test_big_endian_and_3d_wkb_points_are_read(tmp_path) -> None:
    wkb = [shapely.to_wkb(shapely.Point(21.0, 52.0), byte_order=0),
           shapely.to_wkb(shapely.Point(30.0, 50.0, 120.0), output_dimension=3)]
    table = pa.table({"name": ["a", "b"], "geometry": pa.array(wkb, pa.binary())})
    geo = {"version": "1.0.0", "primary_column": "geometry",
           "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}}}
    path = tmp_path / "odd.parquet"
    pq.write_table(table.replace_schema_metadata({"geo": json.dumps(geo)}), path)
    assert load_targets(str(path))[["lon", "lat"]].to_numpy().tolist() == [[21.0, 52.0], [30.0, 50.0]]


def test_geoparquet_with_native_point_encoding_is_read(tmp_path) -> None:
    frame = random_places(50)
    path = tmp_path / "native.parquet"
    gpd.GeoDataFrame(frame.drop(columns=["lat", "lon"]), geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                     crs=4326).to_parquet(path, geometry_encoding="geoarrow")
    got = load_targets(str(path))
    np.testing.assert_array_equal(got[["lon", "lat"]].to_numpy(), frame[["lon", "lat"]].to_numpy())
    assert list(got["name"]) == list(frame["name"])


def test_geoparquet_with_a_null_crs_warns_and_is_taken_as_lonlat(tmp_path) -> None:
    table = pa.table({"geometry": pa.array([shapely.to_wkb(shapely.Point(21.0, 52.0))], pa.binary())})
    geo = {"version": "1.0.0", "primary_column": "geometry",
           "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"], "crs": None}}}
    path = tmp_path / "nocrs.parquet"
    pq.write_table(table.replace_schema_metadata({"geo": json.dumps(geo)}), path)
    with pytest.warns(GeoRangeWarning, match=r"nocrs\.parquet: the file has no CRS"):
        got = load_targets(str(path))
    assert got[["name", "lon", "lat"]].to_numpy().tolist() == [["point 1", 21.0, 52.0]]


def test_preset_chunks_concatenate_to_the_preset() -> None:
    whole = pd.concat(iter_targets("european-capitals", chunk_rows=10))
    pd.testing.assert_frame_equal(whole, load_targets("european-capitals"))


def test_counts_for_progress_bars(tmp_path) -> None:
    frame = random_places(300)
    assert count_targets(str(places_file(tmp_path, "parquet", frame))) == 300
    assert count_targets(str(places_file(tmp_path, "gpkg", frame))) == 300
    assert count_targets(str(places_file(tmp_path, "csv", frame))) == 300
    assert count_targets("european-capitals") == len(load_targets("european-capitals"))
    assert count_points(tmp_path / "missing.csv") is None


def test_chunk_rows_must_be_positive(tmp_path) -> None:
    path = places_file(tmp_path, "csv")
    with pytest.raises(ValueError, match="chunk_rows must be a positive integer"):
        list(iter_points(path, chunk_rows=0))
