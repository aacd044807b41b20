"""Areas as targets (issue 28, deliverable 4) against a dense equal-area sampling oracle.

The oracle shares no code with the engine: the target is cut into square
cells of a cylindrical equal-area projection of WGS84 (pyproj's ``cea``: a
planar area there is the area on the ellipsoid), each cell weighted by its
area inside the target (shapely, in the projection) and classified at a
point inside it by brute force: geodesic distances (pyproj's ``Geod``) to
every point of the launch boundary densified every ``SPACING_M`` along its
geodesics, 0 inside the launch polygon. A cell whose point lies within the
cell's ground size (plus half the boundary spacing) of a threshold is cut
into 4 x 4 and tried again, twice; the cells still uncertain after that
count half, and their weight is the oracle's own error bound.
"""

from __future__ import annotations

import functools
import math
import subprocess
import sys

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from scipy.spatial import cKDTree

import geo
from geo.analysis.api import as_sources
from geo.analysis.bands import RangeBand
from geo.errors import UnknownPlaceError
from geo.inputs.areas import resolve_area
from geo.inputs.targets import named_places
from geo.outputs.tables import from_csv, from_json

GEOD = Geod(ellps="WGS84")
TO_ECEF = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)
SPACING_M = 4_000.0  # launch boundaries densified every 4 km: a brute-force distance is within 2 km
WOODY = "16.83N 112.34E"


def _dense_boundary(geometry, spacing_m: float) -> np.ndarray:
    """Every boundary point of a lon/lat (multi)polygon, every ``spacing_m`` along its geodesic edges."""
    out = []
    for poly in shapely.get_parts(geometry):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            for (x1, y1), (x2, y2) in zip(xy[:-1], xy[1:], strict=True):
                _, _, length = GEOD.inv(x1, y1, x2, y2)
                n = max(1, math.ceil(length / spacing_m))
                pts = GEOD.npts(x1, y1, x2, y2, n - 1) if n > 1 else []
                out.append((x1, y1))
                out.extend(pts)
    return np.asarray(out, dtype=float)


class Launch:
    """A launch for the oracle: points, or polygons (each connected part decided alone, as the rule says)."""

    def __init__(self, spec: str) -> None:
        sources = as_sources(spec)
        self.parts = []
        for s in sources:
            if hasattr(s, "geometry"):
                for poly in shapely.get_parts(s.geometry):
                    dense = _dense_boundary(poly, SPACING_M)
                    shapely.prepare(poly)
                    self.parts.append((poly, dense))
            else:
                self.parts.append((None, np.array([[s.lon, s.lat]])))

    def distances(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest and farthest brute-force distance (m), shape (parts, points).

        Each sample is measured against the ``SCREEN`` boundary points nearest
        to it and to its reflection through the Earth's centre by straight-line
        (chord) distance in ECEF: geodesic and chord distances rank points
        alike to well under 1 %, far less than the spread of that many points,
        so the nearest and farthest boundary points are among them
        (``test_the_screen_changes_nothing`` checks it against every point).
        """
        near = np.empty((len(self.parts), lon.size))
        far = np.empty_like(near)
        for k, (poly, dense) in enumerate(self.parts):
            if len(dense) <= SCREEN:
                near[k], far[k] = _all_pairs(lon, lat, dense)
            else:
                tree = cKDTree(_ecef(dense[:, 0], dense[:, 1]))
                xyz = _ecef(lon, lat)
                for out, query, pick in ((near[k], xyz, np.min), (far[k], -xyz, np.max)):
                    _, idx = tree.query(query, k=SCREEN)
                    _, _, d = GEOD.inv(np.repeat(lon, SCREEN), np.repeat(lat, SCREEN),
                                       dense[idx.ravel(), 0], dense[idx.ravel(), 1])
                    out[:] = pick(np.asarray(d).reshape(lon.size, SCREEN), axis=1)
            if poly is not None:
                near[k, shapely.contains_xy(poly, lon, lat)] = 0.0
        return near, far


SCREEN = 64


def _ecef(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    x, y, z = TO_ECEF.transform(lon, lat, np.zeros_like(np.asarray(lon, dtype=float)))
    return np.column_stack([x, y, z])


def _all_pairs(lon: np.ndarray, lat: np.ndarray, dense: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    near, far = np.empty(lon.size), np.empty(lon.size)
    for s in range(0, lon.size, 256):
        x, y = lon[s:s + 256], lat[s:s + 256]
        _, _, d = GEOD.inv(np.repeat(x, len(dense)), np.repeat(y, len(dense)),
                           np.tile(dense[:, 0], x.size), np.tile(dense[:, 1], x.size))
        d = np.asarray(d).reshape(x.size, len(dense))
        near[s:s + 256], far[s:s + 256] = d.min(axis=1), d.max(axis=1)
    return near, far


def oracle_share(launch: Launch, target, band: RangeBand, cell_m: float = 24_000.0) -> tuple[float, float, int]:
    """Return (share of the target's area reachable, the oracle's error bound, samples classified)."""
    lat0 = float(np.clip(target.centroid.y, -80, 80))
    to_cea = Transformer.from_crs("EPSG:4326", f"+proj=cea +lat_ts={lat0} +ellps=WGS84 +units=m", always_xy=True)
    dense = shapely.segmentize(target, 0.01)
    projected = shapely.transform(dense, lambda xy: np.column_stack(to_cea.transform(xy[:, 0], xy[:, 1])))
    projected = shapely.make_valid(projected)
    shapely.prepare(projected)
    total = projected.area
    cell_m = min(cell_m, math.sqrt(total) / 8)  # a small island gets cells of its size / 8
    x0, y0, x1, y1 = projected.bounds
    xs, ys = np.meshgrid(np.arange(x0, x1, cell_m), np.arange(y0, y1, cell_m))
    cells = [(x, y, cell_m) for x, y in zip(xs.ravel(), ys.ravel(), strict=True)]
    reach_w = uncertain_w = 0.0
    samples = 0
    for level in range(3):
        if not cells:
            break
        boxes = shapely.box(*np.array([(x, y, x + h, y + h) for x, y, h in cells]).T)
        inter = shapely.intersection(boxes, projected)
        w = shapely.area(inter)
        keep = w > 0
        cells = [c for c, k in zip(cells, keep, strict=True) if k]
        inter, w = inter[keep], w[keep]
        if not len(cells):
            break
        pts = shapely.point_on_surface(inter)
        lon, lat = to_cea.transform(shapely.get_x(pts), shapely.get_y(pts), direction="INVERSE")
        lon, lat = np.asarray(lon), np.asarray(lat)
        samples += lon.size
        near, far = launch.distances(lon, lat)
        h = cells[0][2]
        cos0, cos = math.cos(math.radians(lat0)), np.cos(np.radians(np.clip(np.abs(lat) + 1.0, 0, 89.9)))
        rho = 1.01 * h * math.sqrt(2) * np.maximum(cos / cos0, cos0 / np.cos(np.radians(np.abs(lat)))) * 1.05
        slack = rho + SPACING_M / 2
        reach = ((near <= band.max_m) & (far >= band.min_m)).any(axis=0)
        # Uncertain: some part's distances are within the slack of a threshold (both are 1-Lipschitz).
        unsure = ((np.abs(near - band.max_m) <= slack) | ((band.min_m > 0) & (np.abs(far - band.min_m) <= slack))).any(
            axis=0)
        reach_w += float(w[reach & ~unsure].sum())
        if level == 2:
            uncertain_w += float(w[unsure].sum())
            break
        nxt = []
        for (x, y, hh), u in zip(cells, unsure, strict=True):
            if u:
                q = hh / 4
                nxt.extend((x + i * q, y + j * q, q) for i in range(4) for j in range(4))
        cells = nxt
    return (reach_w + uncertain_w / 2) / total, uncertain_w / 2 / total, samples


@functools.cache
def _oracle(launch: str, target: str, min_km: float, max_km: float) -> tuple[float, float, int]:
    return oracle_share(Launch(launch), resolve_area(target).geometry, RangeBand(min_km, max_km))


def brute_extremes(launch_spec: str, target, spacing_m: float = 2_000.0) -> tuple[float, float]:
    """Nearest and farthest distance (m) over the densified target boundary and launch (each within spacing/2)."""
    launch = Launch(launch_spec)
    pts = _dense_boundary(target, spacing_m)
    near, far = launch.distances(pts[:, 0], pts[:, 1])
    return float(near.min()), float(far.max())


def _row(places, launch, min_km, max_km):
    t = geo.reach(places, launch, min_km, max_km)
    return t, t.iloc[0]


@pytest.mark.parametrize(("launch", "min_km", "max_km", "target", "some", "every"), [
    (WOODY, 0, 4000, "Guam", True, True),  # DF-26 from Woody Island
    (WOODY, 0, 4000, "Taiwan", True, True),
    ("BLR", 0, 500, "Poland", True, False),  # Iskander-M
    ("BLR", 700, 5000, "Poland", True, False),  # Oreshnik: the dead zone cuts into eastern Poland
    ("BLR", 700, 5000, "Svalbard", True, True),
    ("BLR", 700, 5000, "Hawaii", False, False),
    ("RUS@Kaliningrad", 0, 1400, "Crimea", True, False),
    ("RUS@Kaliningrad", 0, 1000, "Crimea", False, False),
])
def test_area_rows_match_the_sampling_oracle(launch, min_km, max_km, target, some, every):
    area = resolve_area(target)
    t, row = _row([target], launch, min_km, max_km)
    oracle = Launch(launch)
    share, err, samples = _oracle(launch, target, min_km, max_km)
    assert samples > 50
    # nearest and farthest: the engine's exact values against brute force over both boundaries
    near, far = brute_extremes(launch, area.geometry)
    assert near - SPACING_M / 2 - 1_000 - 1 <= row.min_km * 1000 <= near + 1
    assert far - 1 <= row.max_km * 1000 <= far + SPACING_M / 2 + 1_000 + 1
    assert (row.status == "reachable") is some
    assert bool(row.all_reachable) is every
    assert abs(row.reachable_share - share) <= row.share_error + err + 1e-9, (row.reachable_share, share, err)
    if every:
        assert row.reachable_share == 1.0 and share > 1 - err - 1e-9
    if not some:
        assert row.reachable_share == 0.0 and share < err + 1e-9 and row.status in ("too_far", "too_close")
    if some and not every:
        assert 0.0 < row.reachable_share < 1.0
    # the row's point is the area's point nearest the launch
    n, _ = oracle.distances(np.array([row.lon]), np.array([row.lat]))
    assert n.min() <= row.min_km * 1000 + SPACING_M / 2 + 1


def test_poland_shares_within_the_oracle_bound_and_state_tolerance():
    """Iskander-M from Belarus: some of Poland; the stated bound is small and honest (not zero, not loose)."""
    _, row = _row("Poland", "BLR", 0, 500)
    assert 0 < row.share_error < 1e-3
    share, err, _ = _oracle("BLR", "Poland", 0, 500)
    assert abs(row.reachable_share - share) <= row.share_error + err
    assert err < 0.02  # the oracle is fine enough to fail a share off by a few percent


def test_points_keep_their_columns_and_mixed_lists_keep_order():
    t = geo.reach(["Guam", "Hagåtña"], WOODY, 0, 4000)
    assert t["name"].tolist() == ["Guam", "Hagåtña"]
    assert t.loc[1, "min_km"] == t.loc[1, "max_km"]  # the town is a point
    assert t.loc[0, "min_km"] < t.loc[1, "min_km"] < t.loc[0, "max_km"]
    assert t["all_reachable"].isna().tolist() == [False, True]
    points = geo.reach(["Warsaw"], "BLR", 0, 500)
    assert "all_reachable" not in points.columns and "area" not in points.columns


@pytest.mark.parametrize(("name", "kind"), [
    ("Warsaw", "point"), ("Sevastopol", "point"), ("Kyiv", "point"), ("Luxembourg", "point"), ("Hagåtña", "point"),
    ("Poland", "area"), ("Guam", "area"), ("Taiwan", "area"), ("Crimea", "area"), ("Hawaii", "area"),
    ("Svalbard", "area"), ("Kaliningrad Oblast", "area"), ("UA-43", "area"), ("area:Luxembourg", "area"),
    # a city of that name elsewhere, or a capital by another name, loses to the country
    ("India", "area"), ("Armenia", "area"), ("Egypt", "area"), ("Mexico", "area"), ("Kuwait", "area"),
    # a city inside the region of its name stays the city
    ("Odessa", "point"), ("Moscow", "point"), ("Minsk", "point"),
])
def test_a_city_stays_a_point_and_other_names_become_areas(name, kind):
    frame = named_places([name])
    is_area = "area" in frame.columns and frame.loc[0, "area"] is not None
    assert is_area is (kind == "area")


def test_crimea_is_the_peninsula_and_the_code_is_the_republic_alone():
    crimea, republic = resolve_area("Crimea"), resolve_area("UA-43")
    assert crimea.geometry.area > republic.geometry.area
    sevastopol = resolve_area("UA-40").geometry.representative_point()
    assert crimea.geometry.contains(sevastopol) and not republic.geometry.contains(sevastopol)


@pytest.mark.parametrize("bad", ["area:Atlantis", "area:", "area:Hyderabad Oblast"])
def test_unknown_areas_are_refused_in_one_line(bad):
    with pytest.raises(UnknownPlaceError) as info:
        named_places([bad])
    assert "\n" not in str(info.value)


def test_breaking_the_share_is_caught():
    """The oracle would catch a share computed on the wrong zone (the reach instead of the reachable band)."""
    right, err, _ = _oracle("BLR", "Poland", 700, 5000)
    wrong, _, _ = _oracle("BLR", "Poland", 0, 5000)
    assert abs(right - wrong) > 10 * err


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, timeout=120)


def test_cli_reach_poland_from_belarus():
    r = _cli("reach", "--from", "BLR", "--max-km", "500", "--place", "Poland", "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = from_csv(r.stdout)
    (row,) = rows.itertuples()
    assert row.name == "Poland" and row.status == "reachable" and row.min_km == 0.0
    share, err, _ = _oracle("BLR", "Poland", 0, 500)
    assert abs(row.reachable_share - share) <= row.share_error + err
    table = _cli("reach", "--from", "BLR", "--max-km", "500", "--place", "Poland")
    assert "some" in table.stdout and f"{100 * row.reachable_share:.1f}" in table.stdout


def test_cli_guam_and_its_town():
    r = _cli("reach", "--from", WOODY, "--max-km", "4000", "--places", "Guam; Hagåtña", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = from_json(r.stdout)
    assert rows["name"].tolist() == ["Guam", "Hagåtña"]
    assert rows["all_reachable"].tolist()[0] is True
    assert rows["area_km2"].tolist()[0] > 500 and math.isnan(rows["area_km2"].tolist()[1])


@pytest.mark.parametrize("spec", ["area:Atlantis", "area:", "area:nowhere.geojson"])
def test_cli_unknown_areas_exit_2_with_one_line(spec):
    r = _cli("reach", "--from", "BLR", "--max-km", "500", "--places", spec)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "area:" in r.stderr or "nowhere.geojson" in r.stderr


@pytest.mark.parametrize(("launch", "min_km", "max_km", "target", "expect", "holds"), [
    ("BLR", 0, 500, "Poland", "reachable", True),  # some of Poland
    ("BLR", 0, 500, "Poland", "all_reachable", False),
    ("BLR", 0, 500, "Lithuania", "all_reachable", True),
    (WOODY, 0, 4000, "Guam", "all_reachable", True),
    ("BLR", 700, 5000, "Hawaii", "too_far", True),
    ("BLR", 700, 5000, "Hawaii", "reachable", False),
])
def test_claims_on_areas_expect_some_or_all(launch, min_km, max_km, target, expect, holds):
    from geo.claims.model import make_claim
    from geo.claims.verdicts import evaluate_claim
    from geo.outputs.report import claim_record

    result = evaluate_claim(make_claim(place=target, expect=expect, launch=launch, min_km=min_km, max_km=max_km))
    v = result.verdict
    assert v.holds is holds
    row = geo.reach([target], launch, min_km, max_km).iloc[0]
    assert v.status == row.status and v.nearest_km == pytest.approx(row.min_km, abs=1e-6)
    assert v.farthest_km == pytest.approx(row.max_km, abs=1e-6)
    area = claim_record(result)["area"]
    assert area["all_reachable"] is bool(row.all_reachable)
    assert area["share"] == pytest.approx(row.reachable_share)
    text = area["text"]
    assert text.startswith("all of" if area["all_reachable"] else "some of" if v.status == "reachable" else "none of")


def test_poland_claim_share_against_the_oracle():
    from geo.claims.model import make_claim
    from geo.claims.verdicts import evaluate_claim

    v = evaluate_claim(make_claim(place="Poland", expect="reachable", launch="BLR", min_km=0, max_km=500)).verdict
    share, err, _ = _oracle("BLR", "Poland", 0, 500)
    assert v.area is not None and abs(v.area.share - share) <= v.area.share_error + err
    assert f"{100 * v.area.share:.1f} %" in v.area.describe()


@pytest.mark.parametrize(("place", "expect", "message"), [
    ("Warsaw", "all_reachable", "needs an area target"),
    ("area:Atlantis", "reachable", "not a country, territory, region"),
    ("Poland", "all_reachble", "did you mean 'all_reachable'"),
])
def test_claim_schema_errors_are_one_line(place, expect, message):
    from geo.claims.model import make_claim
    from geo.errors import GeoRangeError

    with pytest.raises(GeoRangeError, match=message) as info:
        make_claim(place=place, expect=expect, launch="BLR", max_km=500)
    assert "\n" not in str(info.value)


def test_the_screen_changes_nothing():
    """The oracle's chord screen finds the same nearest and farthest boundary points as measuring all of them."""
    launch = Launch("BLR")
    rng = np.random.default_rng(28)
    lon, lat = rng.uniform(10, 40, 300), rng.uniform(40, 65, 300)
    near, far = launch.distances(lon, lat)
    poly, dense = launch.parts[0]
    all_near, all_far = _all_pairs(lon, lat, dense)
    all_near[shapely.contains_xy(poly, lon, lat)] = 0.0
    assert np.array_equal(near[0], all_near) and np.array_equal(far[0], all_far)


def test_area_columns_round_trip_through_csv_json_and_geojson():
    from geo.outputs.tables import from_geojson, to_csv, to_geojson, to_json

    t = geo.reach(["Poland", "Warsaw"], "BLR", 0, 500)
    for write, read in ((to_csv, from_csv), (to_json, from_json), (to_geojson, from_geojson)):
        back = read(write(t))
        assert back["all_reachable"].tolist()[0] is False and back["all_reachable"].isna().tolist() == [False, True]
        assert back["reachable_share"].tolist()[0] == t["reachable_share"].tolist()[0]
        assert back["area_km2"].tolist()[0] == t["area_km2"].tolist()[0]


def test_a_polygon_file_is_an_area_target(tmp_path):
    """area:FILE reads polygons (geo.inputs.polygons) and gives the same row as the country they hold."""
    import json

    poland = resolve_area("Poland").geometry
    path = tmp_path / "poland.geojson"
    feature = {"type": "Feature", "properties": {"name": "PL shape"}, "geometry": shapely.geometry.mapping(poland)}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    t = geo.reach([f"area:{path}", "Poland"], "BLR", 0, 500)
    assert t.loc[0, "name"] == "PL shape"
    for key in ("min_km", "max_km", "reachable_share", "area_km2"):
        assert t.loc[0, key] == pytest.approx(t.loc[1, key], rel=1e-9, abs=1e-9)
    with pytest.raises(geo.GeoRangeError, match="no such file"):
        geo.reach([f"area:{tmp_path / 'missing.geojson'}"], "BLR", 0, 500)
