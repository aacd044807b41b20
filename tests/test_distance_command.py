"""``georange distance`` and ``geo.distance``: exact nearest and farthest distances between any two things.

Every number is checked against a computation that shares no code with the
engine: geographiclib for points; for areas, boundaries sampled densely by
tests/oracle.py (pyproj's Geod to sample, geographiclib to refine), the
samples paired by a KD-tree of ECEF chords, the best pairs refined along
the true edges. The oracle brackets the answer (a dense pair is a real
pair of points; no pair is nearer than the nearest dense pair less the
spacing) and, refined, agrees with it within DIST_TOL_M.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from scipy.spatial import cKDTree

import geo
from geo.analysis.separation import COLUMNS
from geo.cli.main import main
from geo.reference.borders import borders_note

from cases import DIST_TOL_M
from oracle import GEOD, HALF_MERIDIAN_M, BruteForce

RECOGNISED = borders_note("recognised")  # the border view every title names

GL = Geodesic.WGS84


def gl_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return GL.Inverse(lat1, lon1, lat2, lon2)["s12"] / 1000.0


def ecef(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """WGS84 Earth-centred coordinates (m): chords order pairs of nearby points as their geodesics do."""
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    lam, phi = np.radians(lon), np.radians(lat)
    n = a / np.sqrt(1 - e2 * np.sin(phi) ** 2)
    return np.column_stack([n * np.cos(phi) * np.cos(lam), n * np.cos(phi) * np.sin(lam), n * (1 - e2) * np.sin(phi)])


def sampled(geom_a, geom_b, spacing_m: float) -> dict[str, float]:
    """Dense-sampling oracle between two areas: nearest and farthest, refined, with bounds (m)."""
    bf = (BruteForce(geom_a, spacing_m), BruteForce(geom_b, spacing_m))
    out: dict[str, float] = {}
    meet = shapely.intersects(bf[0].inside_geom, bf[1].inside_geom)
    near, near_dense, far, far_dense = [], [], [], []
    for x, y in ((bf[0], bf[1]), (bf[1], bf[0])):
        tree = cKDTree(ecef(y.lon, y.lat))
        pts = ecef(x.lon, x.lat)
        for antipodal, dense, refined in ((False, near_dense, near), (True, far_dense, far)):
            _, j = tree.query(-pts if antipodal else pts, k=4)  # the antipode's neighbours are the farthest
            _, _, d = GEOD.inv(np.repeat(x.lon, 4), np.repeat(x.lat, 4), y.lon[j.ravel()], y.lat[j.ravel()])
            d = np.asarray(d).reshape(-1, 4)
            best = d.max(axis=1) if antipodal else d.min(axis=1)
            dense.append(best.max() if antipodal else best.min())
            for i in (np.argsort(-best) if antipodal else np.argsort(best))[:4]:
                lo, hi = y.distances(float(x.lon[i]), float(x.lat[i]))
                refined.append(hi if antipodal else lo)
    out["min"] = 0.0 if meet else min(near)
    out["min_low"] = 0.0 if meet else min(near_dense) * 0.995 - spacing_m
    out["max"] = max(far)
    out["max_high"] = min(max(far_dense) * 1.005 + spacing_m, HALF_MERIDIAN_M)
    return out


def check_points(s: geo.Separation) -> None:
    """The reported points are at the reported distances (geographiclib)."""
    assert gl_km(s.min_from_lat, s.min_from_lon, s.min_to_lat, s.min_to_lon) == pytest.approx(s.min_km, abs=1e-6)
    assert gl_km(s.max_from_lat, s.max_from_lon, s.max_to_lat, s.max_to_lon) == pytest.approx(s.max_km, abs=1e-6)


# -- known answers --------------------------------------------------------------------------------


def test_gdansk_is_63_4_km_from_russia_via_the_kaliningrad_exclave() -> None:
    s = geo.distance("Gdańsk", "Russia")
    assert s.question() == "Distance from Gdańsk, PL to Russia"
    assert f"{s.min_km:.1f}" == "63.4"
    assert "Kaliningrad" in s.min_via_to and s.min_via_from == ""
    check_points(s)
    # Independently: geographiclib over the exclave's boundary densified every 100 m.
    exclave = geo.parse_launch("RUS@Kaliningrad").geometry
    lo, _ = BruteForce(exclave, spacing_m=100.0).distances(s.min_from_lon, s.min_from_lat)
    assert s.min_km * 1000 == pytest.approx(lo, abs=DIST_TOL_M)
    assert exclave.buffer(1e-6).contains(shapely.Point(s.min_to_lon, s.min_to_lat))
    # The farthest is what reach gives for Gdańsk from Russia.
    row = geo.reach("Gdańsk", "Russia", 0, 20004).iloc[0]
    assert s.max_km == pytest.approx(row["max_km"], abs=1e-6)
    assert s.min_km == pytest.approx(row["min_km"], abs=1e-6)


def test_kyiv_belarus_are_the_reach_numbers_and_the_oracle_s() -> None:
    s = geo.distance("Kyiv", "Belarus")
    assert (f"{s.min_km:.1f}", f"{s.max_km:.1f}") == ("86.8", "654.6")
    assert s.min_via == s.max_via == ""
    check_points(s)
    lo, hi = BruteForce(geo.lookup_country("BLR")[2], spacing_m=500.0).distances(s.min_from_lon, s.min_from_lat)
    assert s.min_km * 1000 == pytest.approx(lo, abs=DIST_TOL_M)
    assert s.max_km * 1000 == pytest.approx(hi, abs=DIST_TOL_M)
    # Either order: the same numbers, the points swapped.
    r = geo.distance("Belarus", "Kyiv")
    assert (r.min_km, r.max_km) == pytest.approx((s.min_km, s.max_km), abs=1e-9)
    assert (r.min_to_lat, r.min_to_lon) == (s.min_from_lat, s.min_from_lon)


@pytest.mark.parametrize("seed", range(3))
def test_point_to_point_is_the_geodesic(seed: int) -> None:
    rng = np.random.default_rng(seed)
    lat1, lat2 = rng.uniform(-89, 89, 2)
    lon1, lon2 = rng.uniform(-180, 180, 2)
    s = geo.distance(f"{lat1},{lon1}", f"{lat2},{lon2}")
    assert s.min_km == s.max_km == pytest.approx(gl_km(lat1, lon1, lat2, lon2), abs=1e-6)
    assert (s.max_to_lat, s.max_to_lon) == pytest.approx((lat2, lon2))


# -- area to area, against the sampling oracle ----------------------------------------------------


AREA_PAIRS = {
    "lithuania-kaliningrad-touching": ("Lithuania", "Kaliningrad", 500.0),
    "estonia-finland-across-the-gulf": ("Estonia", "Finland", 1000.0),
    "crimea-turkey-across-the-black-sea": ("UA-43", "Turkey", 1000.0),
    "crossing-boxes-no-vertex-inside": (shapely.box(0, 0, 10, 1), shapely.box(4, -3, 5, 4), 2000.0),
    "vertex-of-the-second-to-an-edge-of-the-first": (shapely.box(0, 0, 10, 1), shapely.box(4.5, 2, 5.5, 3), 2000.0),
    # Antipodal images of the two boxes cross, with no vertex's antipode in the other box: half the meridian,
    # found only inside the edges.
    "far-antipodal-edges-cross": (shapely.box(9.5, -8, 10.5, 4), shapely.box(-175, 2, -165, 6), 2000.0),
    "far-boxes-beyond-the-convex-range": (shapely.box(0, 0, 30, 8), shapely.box(150, -30, 175, -12), 5000.0),
    # The antipode of (11, -1) is (-169, 1): the farthest point of the second box is inside its southern edge.
    "far-farthest-inside-an-edge": (shapely.box(9, -1, 11, 1), shapely.box(-175, 2, -165, 6), 2000.0),
}


@pytest.mark.parametrize("case", AREA_PAIRS)
def test_area_to_area_against_the_sampling_oracle(case: str) -> None:
    a, b, spacing = AREA_PAIRS[case]
    s = geo.distance(a, b)
    check_points(s)
    geoms = [geo.parse_launch(t).geometry if isinstance(t, str) else t for t in (a, b)]
    for lat, lon, g in ((s.min_from_lat, s.min_from_lon, geoms[0]), (s.min_to_lat, s.min_to_lon, geoms[1]),
                        (s.max_from_lat, s.max_from_lon, geoms[0]), (s.max_to_lat, s.max_to_lon, geoms[1])):
        assert g.distance(shapely.Point(lon, lat)) < 0.05  # each point on its own side (edges bulge off the lines)
    o = sampled(*geoms, spacing)
    assert o["min_low"] <= s.min_km * 1000 <= o["min"] + DIST_TOL_M
    assert s.min_km * 1000 == pytest.approx(o["min"], abs=DIST_TOL_M)
    assert o["max"] - DIST_TOL_M <= s.max_km * 1000 <= o["max_high"]
    assert s.max_km * 1000 == pytest.approx(o["max"], abs=DIST_TOL_M)
    if case.endswith("touching") or case.startswith("crossing"):
        assert s.min_km == 0.0
        assert (s.min_from_lat, s.min_from_lon) == (s.min_to_lat, s.min_to_lon)
    if case.startswith("far"):
        assert s.max_km > 9700  # the edge search ran
    if case == "far-antipodal-edges-cross":
        assert s.max_km * 1000 == pytest.approx(HALF_MERIDIAN_M, abs=DIST_TOL_M)
    if case == "far-farthest-inside-an-edge":
        assert -168.99 > s.max_to_lon > -169.01 and s.max_to_lat > 2.0  # not a vertex: on the geodesic edge


def test_known_figures_between_areas() -> None:
    crimea_turkey = geo.distance("UA-43", "Turkey")
    assert crimea_turkey.min_km == pytest.approx(265.3, abs=0.05)
    assert geo.distance("Poland", "Russia").min_km == 0.0  # the exclave's border
    assert "Kaliningrad" in geo.distance("Poland", "Russia").min_via_to


# -- the command ------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["distance", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_table_is_titled_from_the_question_and_keeps_the_spelling(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "Gdańsk", "Russia", "BLR")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Distance from Gdańsk, PL to Russia and Belarus (BLR) (WGS84 geodesics; " + RECOGNISED + ")"
    russia = next(line for line in lines if line.startswith("Russia "))
    assert " 63.4 " in russia and "Kaliningrad" in russia and "54.3523, 18.6491" in russia
    code, out, _ = run(capsys, "-q", "Gdańsk", "Russia")
    assert not out.startswith("Distance")


def test_json_and_csv_give_the_same_rows(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "Kiew", "Belarus", "Warschau", "--format", "json")
    records = json.loads(out)
    assert [r["to_query"] for r in records] == ["Belarus", "Warschau"]
    assert records[0]["from"] == "Kyiv, UA" and records[0]["from_query"] == "Kiew"
    assert records[0]["min_km"] == pytest.approx(geo.distance("Kyiv", "Belarus").min_km, abs=1e-9)
    assert records[1]["min_km"] == pytest.approx(gl_km(records[1]["min_from_lat"], records[1]["min_from_lon"],
                                                       records[1]["min_to_lat"], records[1]["min_to_lon"]))
    _, out, _ = run(capsys, "Kiew", "Belarus", "Warschau", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(records[0]) == list(COLUMNS)
    for r, j in zip(rows, records, strict=True):
        assert float(r["max_km"]) == j["max_km"] and r["to"] == j["to"]


def test_output_file_is_written_and_said(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    path = tmp_path / "d.csv"
    code, out, err = run(capsys, "Kyiv", "Belarus", "Minsk", "--format", "csv", "-o", str(path))
    assert code == 0 and out == ""
    assert err == f"georange distance: wrote 2 rows to {path}\n"
    assert len(path.read_text().splitlines()) == 3
    code, _, err = run(capsys, "Kyiv", "Belarus", "-o", str(path))
    assert code == 2 and "exists" in err and len(path.read_text().splitlines()) == 3
    code, _, err = run(capsys, "Kyiv", "Belarus", "-o", str(path), "--overwrite")
    assert code == 0 and err == f"georange distance: wrote 1 row to {path}\n"
    assert path.read_text().startswith("Distance from Kyiv, UA to Belarus (WGS84 geodesics; " + RECOGNISED + ")\n")
    code, _, err = run(capsys, "-q", "Kyiv", "Belarus", "-o", str(path), "--overwrite")
    assert code == 0 and err == "" and path.read_text().startswith("to ")


@pytest.mark.parametrize("argv", [("Kyiv", "Narnia"), ("95,10", "Kyiv"), ("nowhere.geojson", "Kyiv")])
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("georange distance: error:")


def test_one_place_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["distance", "Kyiv"])
    assert exc.value.code == 2
    assert "at least two" in capsys.readouterr().err


WRONG = [None, 42, 3.5, {}, {"a": 1}, "", [], [None], b"x", object(), float("nan"), True, ("a",), [1, 2]]


@pytest.mark.parametrize("call", ["first", "second", "others"])
def test_wrong_types_raise_one_line_georange_errors(call: str) -> None:
    from geo.analysis.separation import distances_from

    for value in WRONG:
        with pytest.raises(geo.GeoRangeError) as exc:
            if call == "first":
                geo.distance(value, "Kyiv")
            elif call == "second":
                geo.distance("Kyiv", value)
            else:
                distances_from("Kyiv", value)
        assert "\n" not in str(exc.value) and str(exc.value), value
