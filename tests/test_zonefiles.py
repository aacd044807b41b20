"""Zone files as real clients read them: GeoJSON, GeoPackage, KML and Shapefile.

Every zone case of tests/cases.py (poles, the antimeridian, a zone larger
than a hemisphere, empty dead zones) is written in every format and read
back, by georange and by an independent reader:

- areas against an independent exact area: GeographicLib's polygon area of
  a ring of 200,000 points computed directly at the radius (pyproj ``fwd``),
  the side chosen by hand;
- KML edges measured as great circles (what a globe draws) against the exact
  distance, the document validated against the OGC KML 2.2 schema
  (xmlschema; and xmllint when installed);
- GeoPackage opened by Debian's GDAL 3.6 (``ogrinfo``) and checked by GDAL's
  ``validate_gpkg.py``, and by sqlite directly (version, R-tree, triggers).

The client tools are skipped when missing, except in CI
(``GEORANGE_REQUIRE_CLIENTS=1`` in .ci/run, which installs them).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely

from geo.analysis.launch import LaunchPoint
from geo.errors import InputFileError, OutputError
from geo.geodesy.area import EARTH_AREA_M2
from geo.geodesy.ellipsoid import WGS84, geodesic_distance
from geo.outputs.zonefiles import read_zones, write_zones, zones_geojson

from cases import AREA_TOL_KM2_PER_KM, GEOMETRY_TOL_DEG, ZONE_CASES, ZONE_TOL_M, case_zones

FORMATS = (".geojson", ".json", ".gpkg", ".kml", ".shp", ".zip")
KML = {"k": "http://www.opengis.net/kml/2.2"}
REQUIRED = os.environ.get("GEORANGE_REQUIRE_CLIENTS") == "1"


def need(tool: str | None, what: str) -> str:
    """Return the tool's path, or skip (fail in CI) when it is missing."""
    if tool:
        return tool
    if REQUIRED:
        pytest.fail(f"GEORANGE_REQUIRE_CLIENTS=1 but {what} is missing")
    pytest.skip(f"{what} is not installed")


def point_launch(name: str) -> LaunchPoint | None:
    make, _, _ = ZONE_CASES[name]
    sources = make()
    return sources[0] if len(sources) == 1 and isinstance(sources[0], LaunchPoint) else None


POINT_CASES = sorted(n for n in ZONE_CASES if point_launch(n) is not None)


def radii(zone) -> list[float]:
    """The radii (m) whose level sets bound a zone of a point launch."""
    return {"reach": [zone.max_km * 1e3], "dead_zone": [zone.min_km * 1e3],
            "reachable": [zone.min_km * 1e3, zone.max_km * 1e3]}[zone.role]


def boundary_error(site: LaunchPoint, zone, lon, lat) -> np.ndarray:
    d = geodesic_distance(site.lon, site.lat, np.asarray(lon), np.asarray(lat))
    return np.min([np.abs(d - r) for r in radii(zone) if r > 0], axis=0)


# ---------------------------------------------------------------------------
# Round trips


def assert_same_region(got, want, where: str, vertex_tol_deg: float) -> None:
    assert got.is_empty == want.is_empty, where
    if want.is_empty:
        return
    assert got.is_valid, where
    # Every drawn vertex is kept (within the precision) and nothing else is covered.
    assert shapely.hausdorff_distance(got, want) <= vertex_tol_deg + 1e-12, where
    assert shapely.symmetric_difference(got, want).area <= want.length * vertex_tol_deg + 1e-14, where


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("case", sorted(ZONE_CASES))
def test_zones_round_trip(case, ext, tmp_path):
    want = case_zones(case)
    path = write_zones(want, tmp_path / f"zones{ext}")
    got = read_zones(path)
    assert [z.role for z in got] == ["reach", "dead_zone", "reachable"]
    for g, w in zip(got, want, strict=True):
        where = f"{case}{ext} {w.role}"
        assert {k: v for k, v in g.properties().items() if k != "area_km2"} == \
               {k: v for k, v in w.properties().items() if k != "area_km2"}, where
        assert all(type(v) is float for v in (g.min_km, g.max_km, g.tolerance_m)), where
        if ext in (".gpkg", ".shp", ".zip"):  # doubles: exactly the drawn geometry
            assert g.geometry.geom_type == w.geometry.geom_type, where
            assert (g.geometry.is_empty and w.geometry.is_empty) or \
                shapely.equals_exact(g.geometry, w.geometry, tolerance=GEOMETRY_TOL_DEG), where
        elif ext == ".kml":  # the same region, with the vertices added for great circles
            assert_same_region(g.geometry, w.geometry, where, 1e-9)
        else:  # 7 decimals
            assert_same_region(g.geometry, w.geometry, where, 0.5e-7 * 2**0.5)
        # The area field as a client reads it, and again from the geometry read back.
        assert abs(g.area_km2 - w.area_km2) <= 1e-6 * w.area_km2 + 1e-9, where


def stored_fields(path: Path) -> list[dict]:
    source = f"/vsizip/{path}" if path.suffix == ".zip" else path
    layer = {"layer": 0} if path.suffix == ".kml" else {}  # KML: the fills, its first folder
    frame = pyogrio.read_dataframe(source, read_geometry=True, **layer)
    return [dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(index=False)]


@pytest.mark.parametrize("ext", FORMATS)
def test_every_format_stores_an_empty_zone_as_no_geometry(ext, tmp_path):
    zs = case_zones("kamchatka-5500km-crosses-antimeridian-and-pole")
    assert zs[1].geometry.is_empty and zs[1].area_km2 == 0.0
    path = write_zones(zs, tmp_path / f"zones{ext}")
    rows = stored_fields(path)
    assert [r["geometry"] is None for r in rows] == [False, True, False]
    area = "area_km2"
    assert float(rows[1][area]) == 0.0
    if ext == ".gpkg":
        with sqlite3.connect(path) as db:
            assert db.execute("select geom is null from zones order by fid").fetchall() == [(0,), (1,), (0,)]
    if ext in (".geojson", ".json"):
        assert json.loads(path.read_text())["features"][1]["geometry"] is None
    if ext == ".kml":
        mark = ET.parse(path).getroot().findall(".//k:Placemark", KML)[1]
        assert mark.find("k:MultiGeometry", KML) is None


@pytest.mark.parametrize("ext", [".geojson", ".gpkg", ".shp", ".kml"])
def test_numbers_are_real_fields_even_for_integer_bands(ext, tmp_path):
    zs = case_zones("belarus-700-5000")
    assert isinstance(zs[0].min_km, int)  # RangeBand(700, 5000) keeps the ints it was given
    info = pyogrio.read_info(write_zones(zs, tmp_path / f"zones{ext}"), **({"layer": 0} if ext == ".kml" else {}))
    dtypes = dict(zip(info["fields"], info["dtypes"], strict=True))
    tol = "tol_m" if ext == ".shp" else "tolerance_m"
    assert dtypes["min_km"] == dtypes["max_km"] == dtypes[tol] == dtypes["area_km2"] == "float64"
    assert dtypes["role"] == dtypes["launch"] == "object"


@pytest.mark.parametrize("ext", FORMATS)
def test_zone_text_round_trips(ext, tmp_path):
    label = 'Fiji & "Tonga" <b>, Zürich;\nsecond line'
    want = [dataclasses.replace(z, launch=label) for z in case_zones("suva-zone-crosses-antimeridian")]
    got = read_zones(write_zones(want, tmp_path / f"zones{ext}"))
    assert [z.launch for z in got] == [label] * 3


# ---------------------------------------------------------------------------
# Area


def oracle_disk_area_km2(site: LaunchPoint, radius_m: float) -> float:
    """Area of {d <= radius} round a point: GeographicLib's area of the exact circle, 200,000 vertices."""
    az = np.linspace(0.0, 360.0, 200_000, endpoint=False)
    lon, lat, _ = WGS84.fwd(np.full(az.size, site.lon), np.full(az.size, site.lat), az, np.full(az.size, radius_m))
    signed, _ = WGS84.polygon_area_perimeter(lon, lat)
    # Azimuths increase clockwise seen from above, so the disk lies on the ring's right: -signed, mod the Earth.
    return ((-signed) % EARTH_AREA_M2) / 1e6


def circle_perimeter_km(site: LaunchPoint, radius_m: float) -> float:
    az = np.linspace(0.0, 360.0, 20_000, endpoint=False)
    lon, lat, _ = WGS84.fwd(np.full(az.size, site.lon), np.full(az.size, site.lat), az, np.full(az.size, radius_m))
    return float(np.sum(geodesic_distance(lon, lat, np.roll(lon, -1), np.roll(lat, -1)))) / 1e3


@pytest.mark.parametrize("case", POINT_CASES)
def test_zone_area_is_the_exact_area(case):
    site = point_launch(case)
    reach, dead, reachable = case_zones(case)
    outer = oracle_disk_area_km2(site, reach.max_km * 1e3)
    tol = circle_perimeter_km(site, reach.max_km * 1e3) * AREA_TOL_KM2_PER_KM
    assert abs(reach.area_km2 - outer) <= tol, (case, reach.area_km2, outer, tol)
    inner = 0.0
    if dead.min_km > 0:
        inner = oracle_disk_area_km2(site, dead.min_km * 1e3)
        tol_in = circle_perimeter_km(site, dead.min_km * 1e3) * AREA_TOL_KM2_PER_KM
        assert abs(dead.area_km2 - inner) <= tol_in, (case, dead.area_km2, inner)
        tol += tol_in
    assert abs(reachable.area_km2 - (outer - inner)) <= tol, case


def test_hemisphere_sized_zone_is_measured_right_where_ring_tools_fail():
    zone = case_zones("krichev-19000km-larger-than-a-hemisphere")[0]
    assert zone.area_km2 > 0.99 * EARTH_AREA_M2 / 1e6
    # What a ring-based tool reports for the same polygon: not the zone (the documented pitfall).
    naive, _ = WGS84.geometry_area_perimeter(zone.geometry)
    assert abs(naive / 1e6 - zone.area_km2) > 1e8


# ---------------------------------------------------------------------------
# GeoJSON precision


def decimals(text: str) -> int:
    return max(len(t.split(".")[1]) if "." in t else 0 for t in text.replace("[", " ").replace("]", " ")
               .replace(",", " ").split() if t[:1].isdigit() or t[:1] == "-")


def test_geojson_coordinates_have_seven_decimals_by_default_and_every_digit_on_request():
    zs = case_zones("belarus-700-5000")
    short = json.dumps(zones_geojson(zs)["features"][0]["geometry"]["coordinates"])
    assert decimals(short) == 7
    full = zones_geojson(zs, precision=17)
    back = shapely.geometry.shape(full["features"][0]["geometry"])
    assert shapely.equals_exact(back, zs[0].geometry, tolerance=0.0)
    for bad in (0, 18, 7.5, True):
        with pytest.raises(OutputError, match="precision"):
            zones_geojson(zs, precision=bad)


def test_cli_zone_precision_option(tmp_path):
    from geo.cli.main import main

    out = tmp_path / "z.geojson"
    assert main(["zone", "--from", "53.7347,31.9172", "--max-km", "300", "--precision", "9", "-o", str(out)]) == 0
    coords = json.dumps(json.loads(out.read_text())["features"][0]["geometry"]["coordinates"])
    assert decimals(coords) == 9


# ---------------------------------------------------------------------------
# KML on a globe


def kml_edges(path: Path, tag: str):
    """Yield (zone index, lon, lat arrays) of every LineString or LinearRing.

    The zones' fill placemarks come first, one per zone in order; an outline
    placemark is named after its zone's fill placemark.
    """
    marks = ET.parse(path).getroot().findall(".//k:Placemark", KML)
    names = [m.findtext("k:name", "", KML) for m in marks]
    for mark, name in zip(marks, names, strict=True):
        i = names.index(name.removesuffix(" (outline)"))
        for el in mark.iterfind(f".//k:{tag}/k:coordinates", KML):
            xy = np.array([[float(v) for v in p.split(",")[:2]] for p in (el.text or "").split()])
            yield i, xy[:, 0], xy[:, 1]


def great_circle_points(lon, lat, fractions=(0.25, 0.5, 0.75)):
    """Points along each edge read as a geodesic (what a globe draws)."""
    a, b = slice(None, -1), slice(1, None)
    azi, _, dist = WGS84.inv(lon[a], lat[a], lon[b], lat[b])
    out = [WGS84.fwd(lon[a], lat[a], azi, np.asarray(dist) * f)[:2] for f in fractions]
    return np.concatenate([o[0] for o in out]), np.concatenate([o[1] for o in out])


@pytest.mark.parametrize("case", POINT_CASES)
def test_kml_outlines_drawn_as_great_circles_stay_within_the_tolerance(case, tmp_path):
    site = point_launch(case)
    zs = case_zones(case)
    path = write_zones(zs, tmp_path / "zones.kml")
    worst = 0.0
    for i, lon, lat in kml_edges(path, "LineString"):
        glon, glat = great_circle_points(lon, lat)
        err = boundary_error(site, zs[i], np.r_[lon, glon], np.r_[lat, glat])
        worst = max(worst, float(err.max()))
        # No seam: no edge runs along the antimeridian or the map's top or bottom edge.
        assert not np.any((np.abs(lon[:-1]) == 180.0) & (lon[:-1] == lon[1:])), case
        assert not np.any((np.abs(lat[:-1]) == 90.0) & (lat[:-1] == lat[1:])), case
    assert worst <= ZONE_TOL_M, (case, worst)


@pytest.mark.parametrize("case", POINT_CASES)
def test_kml_fill_edges_are_the_boundary_or_meridian_and_equator_cuts(case, tmp_path):
    site = point_launch(case)
    zs = case_zones(case)
    path = write_zones(zs, tmp_path / "zones.kml")
    for i, lon, lat in kml_edges(path, "LinearRing"):
        x0, x1, y0, y1 = lon[:-1], lon[1:], lat[:-1], lat[1:]
        meridian = (x0 == x1) & np.isin(x0, [-180.0, -90.0, 0.0, 90.0, 180.0])
        cut = meridian | ((y0 == y1) & np.isin(y0, [-90.0, 0.0, 90.0]))
        glon, glat = great_circle_points(lon, lat)  # three points per edge, fraction by fraction
        along = np.tile(~cut, 3)
        err = boundary_error(site, zs[i], glon[along], glat[along])
        assert err.size == 0 or err.max() <= ZONE_TOL_M, (case, float(err.max()))


def map_edges_off_boundary(site, zone, lon, lat, fractions=(0.25, 0.5, 0.75)) -> float:
    """Largest distance from the true boundary of a map ring's edges read as great circles (cut edges left out)."""
    seam = ((np.abs(lon[:-1]) == 180.0) & (lon[:-1] == lon[1:])) | ((np.abs(lat[:-1]) == 90.0) & (lat[:-1] == lat[1:]))
    glon, glat = great_circle_points(lon, lat, fractions)
    along = np.tile(~seam, len(fractions))
    if not along.any():  # the map frame of a zone that holds everything but a hole
        return 0.0
    return float(boundary_error(site, zone, glon[along], glat[along]).max())


@pytest.mark.parametrize("case", POINT_CASES)
def test_map_polygons_read_as_great_circles_stay_within_the_tolerance(case):
    """GeoJSON, GeoPackage and shapefile polygons on a globe (or in GeographicLib's area) are within tolerance too."""
    site = point_launch(case)
    for zone in case_zones(case):
        for part in shapely.get_parts(zone.geometry):
            for ring in (part.exterior, *part.interiors):
                xy = np.asarray(ring.coords)
                assert map_edges_off_boundary(site, zone, xy[:, 0], xy[:, 1]) <= ZONE_TOL_M, (case, zone.role)


def test_great_circle_measure_catches_edges_spaced_for_lonlat_only():
    """The measure above can fail: the 5,500 km ring round Petropavlovsk-Kamchatsky with every 8th vertex only."""
    case = "kamchatka-5500km-crosses-antimeridian-and-pole"
    site, reach = point_launch(case), case_zones(case)[0]
    xy = np.asarray(reach.geometry.exterior.coords)[::8]
    assert map_edges_off_boundary(site, reach, xy[:, 0], xy[:, 1]) > 10 * ZONE_TOL_M


def kml_schema() -> Path:
    spec = importlib.util.find_spec("pykml")
    if spec is None or not spec.submodule_search_locations:
        return Path(need(None, "pykml (its package data holds the OGC KML 2.2 schema)"))
    return Path(spec.submodule_search_locations[0]) / "schemas" / "ogckml22.xsd"


@pytest.mark.parametrize("case", ["kamchatka-5500km-crosses-antimeridian-and-pole", "belarus-700-5000",
                                  "krichev-19000km-larger-than-a-hemisphere"])
def test_kml_is_valid_against_the_ogc_schema(case, tmp_path):
    import xmlschema

    label = [dataclasses.replace(z, launch='Fiji & "Tonga" <b>') for z in case_zones(case)]
    path = write_zones(label, tmp_path / "zones.kml")
    schema = xmlschema.XMLSchema(kml_schema())
    schema.validate(path)  # raises with the first violation
    xmllint = need(shutil.which("xmllint"), "xmllint (libxml2-utils)")
    run = subprocess.run([xmllint, "--noout", "--nonet", "--schema", str(kml_schema()), str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def test_kml_fields_are_typed(tmp_path):
    path = write_zones(case_zones("belarus-700-5000"), tmp_path / "zones.kml")
    fields = {f.get("name"): f.get("type") for f in ET.parse(path).getroot().iterfind(".//k:Schema/k:SimpleField", KML)}
    assert fields == {"role": "string", "min_km": "double", "max_km": "double", "launch": "string",
                      "tolerance_m": "double", "area_km2": "double", "borders": "string", "border_src": "string"}


# ---------------------------------------------------------------------------
# GeoPackage in older clients


def test_geopackage_is_version_1_3_with_an_rtree_and_its_triggers(tmp_path):
    path = write_zones(case_zones("kamchatka-5500km-crosses-antimeridian-and-pole"), tmp_path / "zones.gpkg")
    with sqlite3.connect(path) as db:
        assert db.execute("pragma application_id").fetchone() == (0x47504B47,)  # "GPKG"
        assert db.execute("pragma user_version").fetchone() == (10300,)
        triggers = {r[0] for r in db.execute("select name from sqlite_master where type = 'trigger'")}
        assert {f"rtree_zones_geom_{t}" for t in ("insert", "update1", "update2", "update3", "update4",
                                                 "delete")} <= triggers
        assert db.execute("select count(*) from rtree_zones_geom").fetchone() == (2,)  # the empty zone has none
        assert db.execute("select extension_name from gpkg_extensions").fetchall() == [("gpkg_rtree_index",)]


def test_geopackage_opens_without_warnings_in_gdal_3_6_and_passes_its_validator(tmp_path):
    ogrinfo = need(shutil.which("ogrinfo"), "ogrinfo (gdal-bin)")
    path = write_zones(case_zones("kamchatka-5500km-crosses-antimeridian-and-pole"), tmp_path / "zones.gpkg")
    run = subprocess.run([ogrinfo, "-ro", "-al", "-so", str(path)], capture_output=True, text=True)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert "Feature Count: 3" in run.stdout
    python = "/usr/bin/python3"
    found = subprocess.run([python, "-c", "import osgeo_utils.samples.validate_gpkg"], capture_output=True)
    if found.returncode != 0:
        need(None, "GDAL's validate_gpkg.py (python3-gdal)")
    run = subprocess.run([python, "-m", "osgeo_utils.samples.validate_gpkg", "--warning-as-error", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


# ---------------------------------------------------------------------------
# Shapefile


def test_shapefile_field_names_fit_ten_characters_and_map_back(tmp_path):
    path = write_zones(case_zones("belarus-700-5000"), tmp_path / "zones.shp")
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".cpg", ".dbf", ".prj", ".shp", ".shx"]
    info = pyogrio.read_info(path)
    assert list(info["fields"]) == ["role", "min_km", "max_km", "launch", "tol_m", "area_km2", "borders", "border_src"]
    assert all(len(f) <= 10 for f in info["fields"])
    assert read_zones(path)[0].tolerance_m == 10.0


def test_zipped_shapefile_is_one_file(tmp_path):
    path = write_zones(case_zones("belarus-700-5000"), tmp_path / "zones.zip")
    assert [p.name for p in tmp_path.iterdir()] == ["zones.zip"]
    import zipfile

    assert sorted(zipfile.ZipFile(path).namelist()) == ["zones.cpg", "zones.dbf", "zones.prj", "zones.shp",
                                                         "zones.shx"]


def test_shapefile_refuses_to_overwrite_any_of_its_files(tmp_path):
    from geo.errors import OutputExistsError

    (tmp_path / "zones.dbf").write_text("x")
    with pytest.raises(OutputExistsError):
        write_zones(case_zones("belarus-700-5000"), tmp_path / "zones.shp")
    assert (tmp_path / "zones.dbf").read_text() == "x"


def test_read_zones_refuses_bad_files(tmp_path):
    with pytest.raises(InputFileError, match="unknown zone format '.txt'"):
        read_zones(tmp_path / "zones.txt")
    with pytest.raises(InputFileError, match="no such file"):
        read_zones(tmp_path / "zones.gpkg")
    foreign = tmp_path / "foreign.geojson"
    foreign.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"role": "reach"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}), encoding="utf-8")
    with pytest.raises(InputFileError, match="missing zone fields min_km, max_km, launch, tolerance_m"):
        read_zones(foreign)
    bad_role = tmp_path / "bad_role.geojson"
    doc = json.loads(Path(write_zones(case_zones("belarus-700-5000"), tmp_path / "ok.geojson")).read_text())
    doc["features"][1]["properties"]["role"] = "kill_zone"
    bad_role.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputFileError, match="zone 2: role 'kill_zone'"):
        read_zones(bad_role)


@pytest.mark.parametrize("case", ["suva-zone-crosses-antimeridian", "spans-antimeridian-launch-area", "tiny-1km",
                                  "krichev-700-5000"])
def test_kml_fills_are_cut_only_where_the_map_is(case, tmp_path):
    """A zone that holds no pole is written as drawn on the map: cut at the antimeridian, not along a cell's edge."""
    zs = case_zones(case)
    path = write_zones(zs, tmp_path / "zones.kml")
    rings = list(kml_edges(path, "LinearRing"))
    assert rings
    for i, lon, lat in rings:
        if zs[i].geometry.bounds[3] == 90.0:
            continue  # Krichev's 5,000 km reach and reachable zone hold the North Pole: cut into cells
        x0, x1, y0, y1 = lon[:-1], lon[1:], lat[:-1], lat[1:]
        assert not np.any((x0 == x1) & np.isin(x0, [-90.0, 0.0, 90.0])), (case, zs[i].role)
        assert not np.any((y0 == y1) & (y0 == 0.0)), (case, zs[i].role)




@pytest.mark.parametrize("case", ["suva-zone-crosses-antimeridian", "kamchatka-5500km-crosses-antimeridian-and-pole",
                                  "krichev-700-5000", "tiny-1km"])
def test_kml_reads_in_a_gis_as_one_polygon_layer_and_one_line_layer_drawn_true(case, tmp_path):
    """What QGIS gets through GDAL: polygons in EPSG:4326 that, drawn straight in lon/lat, are the zones.

    QGIS 3.22 drew nothing of a KML whose placemarks mixed polygons and
    lines (a GeometryCollection layer), and draws an edge that steps across
    +-180 as a streak. Here GDAL reads the file; every edge stays within the
    map, and points of a lattice farther than 20 km from a zone's boundary
    (exact distances, pyproj's Geod) lie inside the drawn fills exactly when
    inside the zone.
    """
    from pyproj import Geod

    site = point_launch(case)
    zs = case_zones(case)
    path = write_zones(zs, tmp_path / "zones.kml")
    assert list(pyogrio.list_layers(path)[:, 0]) == ["Zones", "Zone outlines"]
    fills = pyogrio.read_dataframe(path, layer="Zones")
    lines = pyogrio.read_dataframe(path, layer="Zone outlines")
    assert fills.crs.to_epsg() == 4326 and lines.crs.to_epsg() == 4326
    assert len(fills) == len(zs) and len(lines) == sum(not z.geometry.is_empty for z in zs)
    assert set(fills.geometry.dropna().geom_type) <= {"MultiPolygon", "Polygon"}
    assert set(lines.geometry.geom_type) <= {"MultiLineString", "LineString"}
    for geom in [*fills.geometry.dropna(), *lines.geometry]:
        for part in shapely.get_parts(geom):
            rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
            for ring in rings:
                x = shapely.get_coordinates(ring)[:, 0]
                assert np.abs(np.diff(x)).max(initial=0.0) < 180.0, f"{case}: an edge streaks across the map"
            if part.geom_type == "Polygon":
                assert shapely.LinearRing(part.exterior).is_ccw, f"{case}: a fill turns clockwise"
    lon, lat = np.meshgrid(np.arange(-179.5, 180.0, 1.0), np.arange(-89.5, 90.0, 1.0))
    lon, lat = lon.ravel(), lat.ravel()
    d = np.asarray(Geod(ellps="WGS84").inv(np.full(lon.size, site.lon), np.full(lon.size, site.lat), lon, lat)[2])
    if case == "tiny-1km":  # a 1 km disc: points from its centre out, every 100 m
        az = np.repeat(np.arange(0.0, 360.0, 30.0), 20)
        dist = np.tile(np.arange(0.0, 2000.0, 100.0), 12)
        lon, lat, _ = Geod(ellps="WGS84").fwd(np.full(az.size, site.lon), np.full(az.size, site.lat), az, dist)
        d = dist
    for zone, geom in zip(zs, fills.geometry, strict=True):
        lo, hi = {"reach": (0.0, zone.max_km), "dead_zone": (0.0, zone.min_km),
                  "reachable": (zone.min_km, zone.max_km)}[zone.role]
        inside = (d >= lo * 1e3) & (d <= hi * 1e3) if zone.role != "dead_zone" else d < hi * 1e3
        clear = np.min([np.abs(d - r) for r in radii(zone) if r > 0] or [np.full(d.size, np.inf)], axis=0)
        far = clear > (20_000.0 if case != "tiny-1km" else 30.0)
        drawn = shapely.contains_xy(geom, lon[far], lat[far]) if geom is not None else np.zeros(far.sum(), bool)
        assert np.array_equal(drawn, inside[far]), (case, zone.role, int(np.sum(drawn != inside[far])))


QGIS_SCRIPT = r"""
import json, os, sys
from qgis.core import (QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings, QgsVectorLayer, QgsWkbTypes)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
app = QgsApplication([], False)
app.initQgis()
out = {}
for name in ("Zones", "Zone outlines"):
    layer = QgsVectorLayer(f"{sys.argv[1]}|layername={name}", name, "ogr")
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent())
    settings.setOutputSize(QSize(360, 180))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    drawn = sum(image.pixel(x, y) & 0xFFFFFF != 0xFFFFFF for x in range(0, 360, 2) for y in range(0, 180, 2))
    out[name] = {"valid": layer.isValid(), "type": QgsWkbTypes.geometryDisplayString(layer.geometryType()),
                 "crs": layer.crs().authid(), "features": layer.featureCount(), "pixels": drawn}
print(json.dumps(out), flush=True)
os._exit(0)  # exitQgis() crashes the headless 3.22 on the way out
"""


def test_kml_opens_and_draws_in_qgis(tmp_path):
    """QGIS (Debian's 3.22, headless) reads the KML as a polygon and a line layer in EPSG:4326 and draws both."""
    python = "/usr/bin/python3"
    probe = subprocess.run([python, "-c", "import qgis.core"], capture_output=True) if Path(python).exists() else None
    need(python if probe is not None and probe.returncode == 0 else None, "QGIS's Python bindings (python3-qgis)")
    path = write_zones(case_zones("kamchatka-5500km-crosses-antimeridian-and-pole"), tmp_path / "zones.kml")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    run = subprocess.run([python, "-c", QGIS_SCRIPT, str(path)], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    layers = json.loads(run.stdout.strip().splitlines()[-1])
    assert layers["Zones"]["valid"] and layers["Zones"]["type"] == "Polygon", layers
    assert layers["Zone outlines"]["valid"] and layers["Zone outlines"]["type"] == "Line", layers
    assert {v["crs"] for v in layers.values()} == {"EPSG:4326"}, layers
    assert layers["Zones"]["features"] == 3 and layers["Zone outlines"]["features"] == 2, layers
    assert layers["Zones"]["pixels"] > 1000 and layers["Zone outlines"]["pixels"] > 50, layers
