"""Launch routes (lines) and point files as launches, against an oracle of their own.

The oracle shares no code with the engine: each leg of a route is sampled
along its geodesic every <= 1 km with geographiclib (``Geodesic.InverseLine``),
the distances from a target to the samples are brute-forced with
geographiclib (a spherical prefilter in plain numpy only skips samples
that cannot be the extreme ones), and the best samples are refined by a
golden-section search along their leg. Tolerance: ``ROUTE_TOL_M``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import mapping

import geo
from geo.analysis.launch import LaunchPoint, LaunchRoute, parse_launch, parse_launches, parse_route
from geo.analysis.zones import zones
from geo.cli.main import main
from geo.errors import (
    GeoRangeError,
    InputFileError,
    InvalidCoordinateError,
    InvalidGeometryError,
    UnknownPlaceError,
)
from geo.geodesy.distance import LaunchLine
from geo.geodesy.lonlat import drawn_boundary, route_lines

from cases import ROUTE_TOL_M, ROUTES, ZONE_TOL_M, route

GL = Geodesic.WGS84
_R = 6_371_008.8  # mean radius: the prefilter's sphere
_SPACING_M = 1_000.0


# -- the oracle -------------------------------------------------------------------------------


class RouteOracle:
    """Nearest and farthest geodesic distance to a route, by dense sampling with geographiclib."""

    def __init__(self, lines):
        self.legs = []
        lon, lat, leg, pos = [], [], [], []
        for line in lines:
            for (x1, y1), (x2, y2) in zip(line[:-1], line[1:], strict=True):
                g = GL.InverseLine(y1, x1, y2, x2)
                k = max(1, math.ceil(g.s13 / _SPACING_M))
                for j in range(k + 1):
                    q = g.Position(g.s13 * j / k)
                    lon.append(q["lon2"])
                    lat.append(q["lat2"])
                    leg.append(len(self.legs))
                    pos.append(g.s13 * j / k)
                self.legs.append((g, g.s13 / k))
        self.lon, self.lat = np.array(lon), np.array(lat)
        self.leg, self.pos = np.array(leg), np.array(pos)
        phi, lam = np.radians(self.lat), np.radians(self.lon)
        self.vec = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])

    def _dist(self, lon, lat, g, s):
        q = g.Position(s)
        return GL.Inverse(lat, lon, q["lat2"], q["lon2"])["s12"]

    def nearest_leg(self, lon: float, lat: float) -> int:
        """The leg (counted from 1 over all lines) of the sample nearest to a target."""
        d = [GL.Inverse(lat, lon, y, x)["s12"] for x, y in zip(self.lon, self.lat, strict=True)]
        return int(self.leg[int(np.argmin(d))]) + 1

    def extreme(self, lon: float, lat: float, *, farthest: bool) -> float:
        phi, lam = math.radians(lat), math.radians(lon)
        t = np.array([math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)])
        sph = _R * np.arccos(np.clip(self.vec @ t, -1.0, 1.0))
        # WGS84 distances are within 0.35 % of the mean sphere's (a / R - 1 = 0.11 %, 1 - b / R = 0.22 %),
        # and near an antipode within 34 km of half the meridian.
        if farthest:
            cand = np.flatnonzero(sph * 1.0035 + 40_000.0 >= sph.max() * 0.9965)
        else:
            cand = np.flatnonzero(sph * 0.9965 <= sph.min() * 1.0035 + 2_000.0)
        d = np.array([GL.Inverse(lat, lon, self.lat[i], self.lon[i])["s12"] for i in cand])
        sign = -1.0 if farthest else 1.0
        order = cand[np.argsort(sign * d)]
        best = float((sign * d).min()) * sign
        done = set()
        for i in order[:12]:  # refine the best samples of up to three legs
            key = (int(self.leg[i]), round(float(self.pos[i]) / 2_000.0))
            if key in done or len(done) >= 3:
                continue
            done.add(key)
            g, step = self.legs[int(self.leg[i])]
            a, b = max(0.0, self.pos[i] - step), min(g.s13, self.pos[i] + step)
            r = (math.sqrt(5.0) - 1.0) / 2.0
            c, e = b - r * (b - a), a + r * (b - a)
            fc, fe = sign * self._dist(lon, lat, g, c), sign * self._dist(lon, lat, g, e)
            while b - a > 1e-3:
                if fc < fe:
                    b, e, fe = e, c, fc
                    c = b - r * (b - a)
                    fc = sign * self._dist(lon, lat, g, c)
                else:
                    a, c, fc = c, e, fe
                    e = a + r * (b - a)
                    fe = sign * self._dist(lon, lat, g, e)
            best = max(best, -min(fc, fe)) if farthest else min(best, min(fc, fe))
        return best


@cache
def oracle(name: str) -> RouteOracle:
    return RouteOracle(ROUTES[name])


def targets(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Hard targets for a route: vertices, leg middles, 1 km and 300 km off a leg, antipodes, poles, random."""
    lines = ROUTES[name]
    lon, lat = [], []
    for line in lines:
        for (x1, y1), (x2, y2) in zip(line[:-1], line[1:], strict=True):
            g = GL.InverseLine(y1, x1, y2, x2)
            mid = g.Position(g.s13 / 2.0)
            lon.append(mid["lon2"])
            lat.append(mid["lat2"])
            for off in (1_000.0, -300_000.0):
                side = GL.Direct(mid["lat2"], mid["lon2"], mid["azi2"] + 90.0, off)
                lon.append(side["lon2"])
                lat.append(side["lat2"])
            lon.append((mid["lon2"] % 360.0) - 180.0 + 0.7)  # near the antipode
            lat.append(-mid["lat2"] - 0.4)
        lon += [line[0][0] + 0.05, (line[-1][0] % 360.0) - 180.0]
        lat += [line[0][1] - 0.03, -line[-1][1]]
    rng = np.random.default_rng(len(name))
    lon += list(rng.uniform(-180, 180, 2)) + [0.0, 0.0]
    lat += list(np.degrees(np.arcsin(rng.uniform(-1, 1, 2)))) + [90.0, -90.0]
    return (np.array(lon) + 180.0) % 360.0 - 180.0, np.clip(lat, -90.0, 90.0)


# -- the engine on routes ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ROUTES)
def test_route_distances_match_the_sampling_oracle(name) -> None:
    lon, lat = targets(name)
    lo, hi = LaunchLine(route(name), name=name).distances(lon, lat)
    o = oracle(name)
    near = np.array([o.extreme(x, y, farthest=False) for x, y in zip(lon, lat, strict=True)])
    far = np.array([o.extreme(x, y, farthest=True) for x, y in zip(lon, lat, strict=True)])
    # The oracle's values are distances to points of the route: the engine's nearest can only be smaller,
    # its farthest only larger, and by no more than the tolerance.
    assert np.all(lo <= near + 1e-3) and np.all(hi >= far - 1e-3)
    assert np.abs(lo - near).max() <= ROUTE_TOL_M, (name, np.abs(lo - near).max())
    assert np.abs(hi - far).max() <= ROUTE_TOL_M, (name, np.abs(hi - far).max())


def test_a_leg_across_the_antimeridian_is_the_short_geodesic() -> None:
    # On the 180th meridian the geodesic from 50N 170E to 50N 170W lies north of the parallel: 50.43 N.
    line = GL.InverseLine(50.0, 170.0, 50.0, -170.0)
    top = line.Position(line.s13 / 2.0)
    lo, hi = LaunchLine(route("route-crosses-antimeridian")).distances([180.0, 180.0], [top["lat2"], 50.0])
    assert lo[0] < 1e-3
    assert abs(lo[1] - GL.Inverse(50.0, 180.0, top["lat2"], 180.0)["s12"]) < ROUTE_TOL_M
    assert hi[0] == pytest.approx(GL.Inverse(top["lat2"], 180.0, 50.0, 170.0)["s12"], abs=ROUTE_TOL_M)


def test_a_leg_between_opposite_meridians_passes_over_the_pole() -> None:
    lo, _ = LaunchLine(route("route-over-north-pole")).distances([0.0, 90.0], [90.0, 80.0])
    assert lo[0] < 1e-3  # the pole is on the route
    # 80N 90E: nearest the pole side (10 degrees of latitude away on a meridian), not the parallel.
    assert lo[1] == pytest.approx(GL.Inverse(80.0, 90.0, 90.0, 0.0)["s12"], abs=ROUTE_TOL_M)


def test_bad_routes_are_refused_in_one_line_naming_the_vertex() -> None:
    cases = {
        "route: 50N 170E": (InvalidGeometryError, r"'route: 50N 170E': no two distinct vertices"),
        "route: 50N 170E; 50N 170E": (InvalidGeometryError, r"no two distinct vertices"),
        "route: 50N 170E; 50N -190E": (InvalidCoordinateError, r"vertex 2: .*-190"),
        "route: 95N 10E; 1,2": (InvalidCoordinateError, r"vertex 1: coordinate '95N 10E': latitude 95"),
        "route: 1,2;; 3,4": (InvalidCoordinateError, r"vertex 2 is empty"),
        "route:": (InvalidCoordinateError, r"vertex 1 is empty"),
        "route: Nowhereville; 1,2": (UnknownPlaceError, r"vertex 1: unknown place 'Nowhereville'"),
        "route: 0,0; 0,180": (InvalidGeometryError, r"edge 1 from \(0, 0\) to \(0, 180\) .* 20,004 km"),
    }
    for spec, (error, message) in cases.items():
        with pytest.raises(error, match=message) as info:
            parse_launch(spec)
        assert "\n" not in str(info.value)
    with pytest.raises(InvalidGeometryError, match="single position"):
        LaunchLine(shapely.LineString([(1, 2), (1, 2)]))
    with pytest.raises(InvalidGeometryError, match="LineString or MultiLineString"):
        LaunchLine(shapely.box(0, 0, 1, 1))


def test_route_text_reads_every_coordinate_notation_sites_and_cities() -> None:
    r = parse_route("route Patrol: Severomorsk=69°04'N 33°25'E; 72N 40E; Murmansk; krichev")
    assert r.label == "Patrol" and isinstance(r, LaunchRoute)
    xy = shapely.get_coordinates(r.geometry)
    assert xy[0] == pytest.approx([33 + 25 / 60, 69 + 4 / 60])
    assert xy[1].tolist() == [40.0, 72.0]
    assert xy[2] == pytest.approx([33.08, 68.97], abs=0.05)  # the city of Murmansk
    assert xy[3] == pytest.approx([31.92, 53.73], abs=0.05)  # the Krichev site
    assert parse_route(["50N 170E", "50N 170W"], name="leg").label == "leg"
    assert parse_route("route: 50N 170E; 50N 170W").label == "route 50,170 to 50,-170"
    from geo.cli.options import route_spec  # --route: an optional "NAME:" in front

    texts = ("Patrol 1: 50N 170E; 50N 170W", "route: 1,2; 3,4", "1,2; 3,4")
    labels = [parse_launch(route_spec(t)).label for t in texts]
    assert labels == ["Patrol 1", "route 1,2 to 3,4", "route 1,2 to 3,4"]


# -- routes everywhere a launch is accepted ---------------------------------------------------

PLACES = ["Murmansk", "Oslo", "Helsinki", "Arkhangelsk", "Tromsø"]
BARENTS = "route Barents patrol: " + "; ".join(f"{y}N {x}E" for x, y in ROUTES["route-barents-ssbn-patrol"][0])


def test_reach_from_a_route_matches_the_oracle_and_names_it() -> None:
    table = geo.reach([*PLACES, "76N 60E", "73N 45E", "70.5N 48E"], BARENTS, 0, 800)
    o = oracle("route-barents-ssbn-patrol")
    for row in table.itertuples():
        assert row.min_km * 1000 == pytest.approx(o.extreme(row.lon, row.lat, farthest=False), abs=ROUTE_TOL_M)
        assert row.max_km * 1000 == pytest.approx(o.extreme(row.lon, row.lat, farthest=True), abs=ROUTE_TOL_M)
        assert row.via == f"Barents patrol, leg {o.nearest_leg(row.lon, row.lat)}"  # the leg nearest the place
    assert set(table["via"]) >= {"Barents patrol, leg 1", "Barents patrol, leg 3", "Barents patrol, leg 4"}
    assert dict(zip(table["name"], table["status"], strict=True))["Oslo"] == "too_far"


def test_shapely_lines_and_geodataframes_are_routes() -> None:
    import geopandas as gpd

    line = route("route-barents-ssbn-patrol")
    text = geo.reach(PLACES, BARENTS, 0, 800)
    for launch in (line, gpd.GeoDataFrame(geometry=[line], crs=4326), gpd.GeoSeries([line], crs=4326)):
        table = geo.reach(PLACES, launch, 0, 800)
        assert table["min_km"].tolist() == text["min_km"].tolist()
        assert table["max_km"].tolist() == text["max_km"].tolist()
    with pytest.raises(InvalidGeometryError, match="single position"):
        geo.reach(PLACES, shapely.LineString([(30, 60), (30, 60)]), 0, 800)
    with pytest.raises(InputFileError, match="empty line"):
        geo.reach(PLACES, shapely.LineString(), 0, 800)


def test_a_multipoint_geometry_is_a_set_of_launch_points() -> None:
    table = geo.reach(["Oslo", "Minsk"], shapely.MultiPoint([(27.56, 53.9), (10.75, 59.91)]), 0, 100)
    assert table["status"].tolist() == ["reachable", "reachable"]
    assert table["via"].tolist() == ["launch geometry point 2", "launch geometry point 1"]


def write_geojson(path: Path, *features) -> str:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props,
         "geometry": geom if geom is None or isinstance(geom, dict) else mapping(geom)} for geom, props in features]}),
        encoding="utf-8")
    return str(path)


def test_a_route_file_is_a_route(tmp_path) -> None:
    lines = ROUTES["route-two-lines-split-at-antimeridian"]
    path = write_geojson(tmp_path / "patrol.geojson", (shapely.MultiLineString(lines[:2]), {"name": "Fiji leg"}),
                         (shapely.LineString(lines[2]), {"name": "South Atlantic"}))
    (source,) = parse_launches(path)
    assert isinstance(source, LaunchRoute) and source.label == "patrol.geojson"
    # The two pieces that meet at the antimeridian are one line; the third is a part of its own.
    assert [p.name for p in source.parts] == ["patrol.geojson: Fiji leg", "patrol.geojson: South Atlantic"]
    lon, lat = targets("route-two-lines-split-at-antimeridian")
    lo = np.min([p.distances(lon, lat)[0] for p in source.parts], axis=0)
    o = oracle("route-two-lines-split-at-antimeridian")
    assert np.abs(lo - [o.extreme(x, y, farthest=False) for x, y in zip(lon, lat, strict=True)]).max() <= ROUTE_TOL_M
    gpkg = tmp_path / "patrol.gpkg"
    import geopandas as gpd

    gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.LineString(lines[2])], crs=4326).to_file(gpkg)
    (one,) = parse_launches(str(gpkg))
    assert one.label == "a" and one.parts[0].distances([-55.0], [-42.0])[0] == pytest.approx(
        LaunchLine(shapely.LineString(lines[2])).distances([-55.0], [-42.0])[0])


def test_a_point_file_equals_its_points_given_one_by_one(tmp_path) -> None:
    path = write_geojson(tmp_path / "sites.geojson", (shapely.Point(31.92, 53.73), {"name": "Krichev"}),
                         (shapely.Point(27.56, 53.9), {}), (shapely.Point(23.69, 52.10), {"name": "Brest"}))
    sources = parse_launches(path)
    assert [s.label for s in sources] == ["Krichev", "sites.geojson point 2", "Brest"]
    assert all(isinstance(s, LaunchPoint) for s in sources)
    places = ["Warsaw", "Vilnius", "Kyiv", "Moscow", "Berlin", "Riga"]
    from_file = geo.reach(places, path, 500, 1000)
    one_by_one = geo.reach(places, ["Krichev=53.73,31.92", "sites.geojson point 2=53.9,27.56", "Brest=52.10,23.69"],
                           500, 1000)
    cols = ["min_km", "max_km", "status", "margin_km", "via"]
    assert from_file[cols].astype(str).values.tolist() == one_by_one[cols].astype(str).values.tolist()
    with pytest.raises(InputFileError, match="holds 3 launch points; parse_launches"):
        parse_launch(path)
    assert parse_launch(write_geojson(tmp_path / "one.geojson", (shapely.Point(1, 2), {}))).label == \
        "one.geojson point 1"


BAD_FILES = {
    "onevertex.geojson": ([({"type": "LineString", "coordinates": [[30, 50], [30, 50]]}, {})],
                          r"onevertex\.geojson, feature 1: a single position \(50, 30 as lat, lon\)"),
    "range.geojson": ([({"type": "LineString", "coordinates": [[30, 50], [30, 95]]}, {})],
                      r"range\.geojson, feature 1: vertex 2 \(30, 95\) is not a lon/lat position"),
    "antipodal.geojson": ([({"type": "LineString", "coordinates": [[0, 0], [180, 0]]}, {})],
                          r"antipodal\.geojson, feature 1: edge 1 .* 20,004 km"),
    "emptyline.geojson": ([({"type": "LineString", "coordinates": []}, {})],
                          r"emptyline\.geojson, feature 1: the LineString is empty"),
    "mixed.geojson": ([(shapely.Point(30, 50), {}), (shapely.LineString([(30, 50), (31, 51)]), {})],
                      r"mixed\.geojson, feature 2: is a LineString; expected a Point or MultiPoint like feature 1"),
    "pointrange.geojson": ([(shapely.Point(30, 50), {}), ({"type": "Point", "coordinates": [200, 50]}, {})],
                           r"pointrange\.geojson, feature 2: vertex 1 \(200, 50\) is not a lon/lat position"),
    "collection.geojson": ([({"type": "GeometryCollection", "geometries": []}, {})],
                           r"collection\.geojson, feature 1: is a GeometryCollection; expected"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_route_and_point_files_are_one_line_errors_with_exit_code_2(tmp_path, capsys, name) -> None:
    features, message = BAD_FILES[name]
    path = write_geojson(tmp_path / name, *features)
    with pytest.raises(InputFileError, match=message):
        parse_launches(path)
    code = main(["reach", "--from", path, "--max-km", "100", "--places", "Minsk", "-q"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and name in err


def test_cli_route_option(capsys) -> None:
    code = main(["reach", "--route", BARENTS.removeprefix("route "), "--max-km", "800", "--places",
                 "; ".join(PLACES), "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0, err
    murmansk = next(r for r in csv.DictReader(io.StringIO(out)) if r["name"] == "Murmansk")
    expected = geo.reach(["Murmansk"], BARENTS, 0, 800).iloc[0]
    assert float(murmansk["min_km"]) == pytest.approx(expected.min_km, abs=1e-6)
    assert murmansk["via"] == "Barents patrol, leg 1" == expected.via
    # --route and --from together: from any of them.
    code = main(["reach", "--route", "50N 170E; 50N 170W", "--from", "Minsk", "--max-km", "100", "--place",
                 "50.4N 180E", "--place", "Minsk", "--format", "csv"])
    out, _ = capsys.readouterr()
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["via"] for r in rows] == ["route 50,170 to 50,-170", "Minsk, BY"]
    assert [r["status"] for r in rows] == ["reachable", "reachable"]


@pytest.mark.parametrize("args, message", [
    (["--route", "50N 170E"], "no two distinct vertices"),
    (["--route", "95N 170E; 1,1"], "vertex 1: coordinate '95N 170E': latitude 95"),
    (["--route", ""], "vertex 1 is empty"),
    ([], "one of the arguments --from --route is required"),
])
def test_cli_route_errors_are_one_line_and_exit_2(capsys, args, message) -> None:
    try:
        code = main(["reach", *args, "--max-km", "100", "--places", "Minsk"])
    except SystemExit as usage:  # argparse's usage errors exit directly
        code = usage.code
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and message in err


def test_claim_files_take_route_tables(tmp_path) -> None:
    from geo.claims.model import load_claims
    from geo.claims.verdicts import evaluate

    path = tmp_path / "routes.toml"
    path.write_text(
        '[[claim]]\nid = "murmansk"\nfrom = { route = ["69.07N 33.42E", "72N 40E", "75N 50E"], '
        'name = "Barents patrol" }\nmax_km = 100\nplace = "Murmansk"\nexpect = "reachable"\n\n'
        '[[claim]]\nid = "oslo"\nfrom = ["Minsk", { route = ["50N 170E", "50N 170W"] }]\nmax_km = 1000\n'
        'place = "Oslo"\nexpect = "too_far"\n', encoding="utf-8")
    loaded = load_claims([str(path)])
    claims, _ = evaluate(loaded.claims, loaded.surveys, shares=False)
    assert [c.holds for c in claims] == [True, True]
    assert claims[0].verdict.via == "Barents patrol, leg 1"
    assert claims[0].verdict.nearest_km * 1000 == pytest.approx(
        LaunchLine(shapely.LineString([(33.42, 69.07), (40, 72), (50, 75)])).distances(
            [loaded.claims[0].place.lon], [loaded.claims[0].place.lat])[0][0], abs=1e-3)
    for table, message in [
        ('{ route = ["69N 33E"] }', r"from: route \[.*\] must list at least two vertices"),
        ('{ route = ["69N 33E; 70N 34E", "71N 35E"] }', r"must be one position"),
        ('{ route = ["69N 33E", "70N 34E"], nme = "x" }', r"unknown field 'nme'; did you mean 'name'"),
        ('{ route = ["69N 33E", "95N 34E"] }', r"from: launch route .*vertex 2: .*latitude 95"),
        ('{ route = "69N 33E" }', r"route '69N 33E' must be a non-empty list"),
    ]:
        path.write_text(f'[[claim]]\nid = "x"\nfrom = {table}\nmax_km = 100\nplace = "Oslo"\n'
                        'expect = "reachable"\n', encoding="utf-8")
        # A bad vertex keeps its class (InvalidCoordinateError), with the file and field in front.
        with pytest.raises(GeoRangeError, match=message) as info:
            load_claims([str(path)])
        assert "\n" not in str(info.value) and "routes.toml" in str(info.value)


def test_distance_between_routes_and_areas() -> None:
    over_pole = geo.distance("route: 80N 0E; 80N 180E", "route: 85N 90E; 85N 90W")
    assert over_pole.min_km == 0.0  # both cross the North Pole
    crossing = geo.distance("route: 50N 170E; 50N 170W", "route: 51N 180E; 49N 180E")
    assert crossing.min_km == 0.0
    belarus = geo.distance("route: 53N 20E; 53N 35E", "Belarus")  # crosses Belarus, no vertex inside
    assert belarus.min_km == 0.0
    o = oracle("route-barents-ssbn-patrol")
    to_point = geo.distance(BARENTS, "70N 20E")
    assert to_point.min_km * 1000 == pytest.approx(o.extreme(20.0, 70.0, farthest=False), abs=ROUTE_TOL_M)


# -- zones around a route -----------------------------------------------------------------------

ZONE_ROUTES = {
    "route-crosses-antimeridian": (0, 500),
    "route-over-north-pole": (300, 1500),
    "route-barents-ssbn-patrol": (1200, 3000),
    "route-two-lines-split-at-antimeridian": (0, 800),  # two parts, half a world apart
}


def xy_mid(name: str) -> tuple[list[float], list[float]]:
    """The middle of a route's first leg: no point is within the minimum range of all of a longer route."""
    (x1, y1), (x2, y2) = ROUTES[name][0][:2]
    line = GL.InverseLine(y1, x1, y2, x2)
    mid = line.Position(line.s13 / 2.0)
    return [mid["lon2"]], [mid["lat2"]]


@pytest.mark.parametrize("name", ZONE_ROUTES)
def test_route_zones_classify_points_beside_their_boundaries(name) -> None:
    """Points 2 x tolerance inside and outside each drawn boundary fall on the side the oracle says."""
    lo_km, hi_km = ZONE_ROUTES[name]
    found = {z.role: z for z in zones(route(name), lo_km, hi_km)}
    line = LaunchLine(route(name))
    o = oracle(name)
    checked = 0
    for role, radius_km, farthest in (("reach", hi_km, False), ("dead_zone", lo_km, True)):
        zone = found[role].geometry
        if zone.is_empty:  # no dead zone round a route longer than twice the minimum range
            assert role == "dead_zone" and line.distances(*xy_mid(name))[1][0] >= lo_km * 1000
            continue
        xy = shapely.get_coordinates(drawn_boundary(zone))
        xy = xy[:: max(1, len(xy) // 24)]
        _, px, py = line.extremes(xy[:, 0], xy[:, 1], farthest=farthest)
        for (x, y), qx, qy in zip(xy, px, py, strict=True):
            inv = GL.Inverse(qy, qx, y, x)
            for step, inside in ((-2 * ZONE_TOL_M, True), (2 * ZONE_TOL_M, False)):
                p = GL.Direct(qy, qx, inv["azi1"], inv["s12"] + step)  # nearer to, or farther from, the extreme point
                truth = o.extreme(p["lon2"], p["lat2"], farthest=farthest)
                assert (truth <= radius_km * 1000 - ZONE_TOL_M) == inside  # the oracle agrees which side it is
                assert zone.covers(shapely.Point(p["lon2"], p["lat2"])) == inside, (role, p["lat2"], p["lon2"])
                checked += 1
    assert checked >= 40
    # Anywhere round the route, not only beside the boundary: points away from it by more than the tolerance
    # are in each zone exactly when the oracle says so (a missing or extra piece of a zone would show here).
    rng = np.random.default_rng(len(name))
    picks = rng.integers(0, len(o.lon), 60)
    for i, az, dist in zip(picks, rng.uniform(0, 360, 60), rng.uniform(0, 1.3 * hi_km * 1000, 60), strict=True):
        p = GL.Direct(o.lat[i], o.lon[i], az, dist)
        x, y = p["lon2"], p["lat2"]
        for role, radius_km, farthest in (("reach", hi_km, False), ("dead_zone", lo_km, True)):
            truth = o.extreme(x, y, farthest=farthest) - radius_km * 1000
            if abs(truth) > ZONE_TOL_M and (role == "reach" or lo_km > 0):
                assert found[role].geometry.covers(shapely.Point(x, y)) == (truth < 0), (role, y, x)
    # The reach of a route: its length times twice the radius, plus a disk per connected line (within 1 %).
    if lo_km == 0:
        length = sum(GL.Inverse(y1, x1, y2, x2)["s12"] for line_ in ROUTES[name]
                     for (x1, y1), (x2, y2) in zip(line_[:-1], line_[1:], strict=True))
        r = hi_km * 1000
        ends = len(LaunchRoute("r", route(name)).parts)
        assert found["reach"].area_km2 == pytest.approx((2 * r * length + ends * math.pi * r * r) / 1e6, rel=0.01)


def test_route_lines_follow_the_geodesics_and_stay_on_the_map() -> None:
    for name in ROUTES:
        drawn = route_lines(route(name), 100.0)
        xy = shapely.get_coordinates(drawn)
        assert np.all(np.abs(xy[:, 0]) <= 180.0) and np.all(np.abs(xy[:, 1]) <= 90.0)
        for part in drawn.geoms:  # no segment streaks across the map (but along its edge at a pole)
            c = np.asarray(part.coords)
            at_pole = (np.abs(c[:-1, 1]) == 90.0) & (c[:-1, 1] == c[1:, 1])
            assert np.all((np.abs(np.diff(c[:, 0])) < 180.0) | at_pole)
        o = oracle(name)
        sample = xy[:: max(1, len(xy) // 40)]
        sample = sample[np.abs(sample[:, 1]) < 90.0]
        assert max(o.extreme(x, y, farthest=False) for x, y in sample) < 1.0  # every vertex on a geodesic leg
    assert len(route_lines(route("route-crosses-antimeridian"), 100.0).geoms) == 2


def test_maps_draw_routes_as_lines_and_point_files_as_markers(tmp_path, capsys) -> None:
    sites = write_geojson(tmp_path / "sites.geojson", (shapely.Point(31.92, 53.73), {"name": "Krichev site"}),
                          (shapely.Point(27.56, 53.9), {"name": "Minsk site"}))
    html, png = tmp_path / "m.html", tmp_path / "m.png"
    code = main(["map", "--route", "Patrol: 50N 170E; 50N 170W", "--from", sites, "--max-km", "500",
                 "--place", "Minsk", "-o", str(html), "--png", str(png), "-q"])
    assert code == 0, capsys.readouterr().err
    text = html.read_text(encoding="utf-8")
    assert "Launch route: Patrol" in text and "LineString" in text
    assert "Launch site: Krichev site" in text and "Launch site: Minsk site" in text
    assert png.stat().st_size > 10_000


def test_every_route_error_is_a_georange_error() -> None:
    for spec in ("route: 1,2", "route: 91,0; 0,0"):
        with pytest.raises(GeoRangeError):
            parse_launches(spec)


def test_the_bulk_classifier_on_routes_equals_the_oracle_near_the_limits() -> None:
    """Targets moved close to both limits get the status the oracle's distances give (screen and exact path)."""
    from geo.analysis.bands import RangeBand
    from geo.analysis.classifier import Classifier
    from geo.analysis.status import status_names

    name = "route-barents-ssbn-patrol"
    band = RangeBand(1200, 3000)
    source = parse_launch(BARENTS)
    o = oracle(name)
    rng = np.random.default_rng(7)
    lon = rng.uniform(-40, 120, 40)
    lat = rng.uniform(40, 89, 40)
    lo, hi = LaunchLine(route(name)).distances(lon, lat)
    # Move each target along the meridian toward the limit its nearest (even rows) or farthest (odd rows)
    # distance is compared with: a step of x metres changes either by at most x, so it ends near the limit.
    keep_lon, keep_lat = [], []
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        d, limit = (lo[i], band.max_m) if i % 2 == 0 else (hi[i], band.min_m)
        p = GL.Direct(y, x, 0.0, d - limit)
        keep_lon.append(p["lon2"])
        keep_lat.append(p["lat2"])
    got = status_names(Classifier([source], band).status(keep_lon, keep_lat)).tolist()
    near = np.array([o.extreme(x, y, farthest=False) for x, y in zip(keep_lon, keep_lat, strict=True)])
    far = np.array([o.extreme(x, y, farthest=True) for x, y in zip(keep_lon, keep_lat, strict=True)])
    # Leave out the few whose oracle values lie within its tolerance of a limit: there either status is right.
    clear = (np.abs(near - band.max_m) > ROUTE_TOL_M) & (np.abs(far - band.min_m) > ROUTE_TOL_M)
    expect = np.where((near <= band.max_m) & (far >= band.min_m), "reachable",
                      np.where(far < band.min_m, "too_close", "too_far"))
    assert clear.sum() >= 30
    assert np.array(got)[clear].tolist() == expect[clear].tolist()
    table = geo.reach((np.array(keep_lon), np.array(keep_lat)), source, 1200, 3000)
    assert table["status"].tolist() == got


def test_routes_travel_to_dask_workers_as_routes() -> None:
    from geo.analysis.distributed import _build_sources, _spec

    sources = parse_launches(BARENTS) + parse_launches("krichev")
    rebuilt = _build_sources(_spec(sources))
    assert [type(s) for s in rebuilt] == [type(s) for s in sources]
    assert rebuilt[0].label == "Barents patrol" and rebuilt[0].geometry.equals(sources[0].geometry)
