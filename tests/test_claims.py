"""Claims: the catalogue, verdicts, margins, critical values, robustness, coverage, `georange check`.

Every number is compared with an independent computation: distances from
the brute-force oracle (geographiclib over a densified boundary), statuses
re-derived from those distances with the definition written out here,
robustness by sweeping the uncertainty box on a fine grid, coverage by
counting an equal-area grid of exact distances.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from pyproj import Geod, Transformer

from geo import lookup_country
from geo.analysis.launch import LaunchPoint, LaunchRegion
from geo.claims.model import load_claims, make_claim
from geo.claims.verdicts import evaluate_claim
from geo.cli.main import main
from geo.testing import assert_claim_holds, assert_claims_hold, assert_reachable, assert_too_far

from cases import DIST_TOL_M
from oracle import BruteForce

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "data" / "claims"
SEEDS = ("000_c235f7128713cee2.txt", "001_104319bf9a01cd49.txt", "002_49461b115f3f2d78.txt",
         "003_5b10d9312e425fa7.txt", "004_3d79c20b9e7d02cd.txt")
GL = Geodesic.WGS84
GEOD = Geod(ellps="WGS84")
KM = 1000.0


@functools.cache
def brute(code: str) -> BruteForce:
    return BruteForce(lookup_country(code)[2], spacing_m=200.0)


def oracle_intervals(sources, lon: float, lat: float) -> list[tuple[float, float]]:
    """Nearest and farthest distance (km) from each launch part, independently of geo.geodesy.distance."""
    out = []
    for s in sources:
        if isinstance(s, LaunchPoint):
            d = GL.Inverse(s.lat, s.lon, lat, lon)["s12"] / KM
            out.append((d, d))
        else:
            assert isinstance(s, LaunchRegion)
            geoms = getattr(s.geometry, "geoms", [s.geometry])
            for g in geoms:
                bf = brute(s.code) if len(geoms) == 1 else BruteForce(g, spacing_m=200.0)
                lo, hi = bf.distances(lon, lat)
                out.append((lo / KM, hi / KM))
    return out


def oracle_status(parts: list[tuple[float, float]], rmin: float, rmax: float) -> str:
    if any(n <= rmax and f >= rmin for n, f in parts):
        return "reachable"
    if all(f < rmin for _, f in parts):
        return "too_close"
    return "too_far" if all(n > rmax for n, _ in parts) else "mixed"


def matches(status: str, expect: str) -> bool:
    return status != "reachable" if expect == "not_reachable" else status == expect


def run_check(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------
# The catalogue


def test_catalogue_holds_and_cites_every_seed_article():
    results = assert_claims_hold([CATALOGUE])
    loaded = load_claims([CATALOGUE])
    cited = {c.source.article for c in loaded.claims} | {s.source.article for s in loaded.surveys}
    assert set(SEEDS) <= cited
    assert len(results) >= 14  # 18 until the four Su-25 claims were withdrawn (no sourced Su-25 range)
    for claim in loaded.claims:  # own words, a source and a date for every catalogue claim
        assert claim.text and claim.source.article in SEEDS and claim.source.date


def test_catalogue_numbers_match_the_oracle():
    for result in (evaluate_claim(c, coverage=False) for c in load_claims([CATALOGUE]).claims):
        c = result.claim
        for verdict in (result.verdict, *result.scenarios):
            parts = oracle_intervals(verdict.scenario.sources, c.place.lon, c.place.lat)
            near, far = min(p[0] for p in parts), max(p[1] for p in parts)
            assert verdict.nearest_km == pytest.approx(near, abs=DIST_TOL_M / KM), c.id
            assert verdict.farthest_km == pytest.approx(far, abs=DIST_TOL_M / KM), c.id
            status = oracle_status(parts, c.min_km.value_km, c.max_km.value_km)
            assert verdict.status == status, (c.id, verdict.scenario.label)
            assert verdict.holds == matches(status, c.expect)


def test_published_figures_of_the_oreshnik_kyiv_claim():
    """The issue's worked example: Kyiv is 654.6 km from the far side of Belarus."""
    result = evaluate_claim(load_claims([CATALOGUE / "000_oreshnik_belarus.toml"]).claims[0])
    v = result.verdict
    assert (v.status, v.holds) == ("too_close", True)
    assert v.critical is not None and v.critical.figure == "min_km" and v.critical.holds_if == ">"
    assert round(v.critical.value_km, 1) == 654.6
    # "about 700 km" is 630-770 km: at 630 km Kyiv would be reachable, so the verdict is not robust.
    assert not v.robust and v.robust_by_figure == {"min_km": False, "max_km": True}
    assert v.coverage.share == 0.0
    krichev = result.scenarios[0]
    assert krichev.scenario.label == "Krichev base" and krichev.holds and krichev.coverage.points == 1


# ---------------------------------------------------------------------------
# Minimal claim files: true, false and close calls, verdicts and exit codes

MINIMAL = [
    # id, from, min, max, place, expect
    ("warsaw-true", "Belarus", 700, 5000, "Warsaw", "reachable"),
    ("kyiv-true", "Belarus", 700, 5000, "Kyiv", "too_close"),
    ("kyiv-close-call", "Belarus", 654, 5000, "Kyiv", "too_close"),  # 0.56 km short: reachable, fails
    ("kyiv-close-call-2", "Belarus", 655, 5000, "Kyiv", "not_reachable"),  # 0.44 km: holds
    ("berlin-false", "Belarus", 0, 500, "Berlin", "reachable"),
    ("berlin-too-far", "Belarus", 0, 663, "Berlin", "too_far"),
    ("berlin-edge", "Belarus", 0, 664, "Berlin", "reachable"),
    ("tokyo-far", "krichev", 700, 5000, "Tokyo", "too_far"),
    ("coord-place", "53.9,27.56", 0, 10, "53.95,27.60", "reachable"),
    ("two-sites", "krichev", 700, 5000, "Vilnius", "too_close"),
]


def _minimal_file(path: Path, rows) -> Path:
    lines = []
    for ident, launch, lo, hi, place, expect in rows:
        lines += ["[[claim]]", f'id = "{ident}"', f'from = "{launch}"', f"min_km = {lo}", f"max_km = {hi}",
                  f'place = "{place}"', f'expect = "{expect}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_minimal_claims_get_verdicts_margins_and_exit_codes(capsys, tmp_path):
    path = _minimal_file(tmp_path / "minimal.toml", MINIMAL)
    code, out, err = run_check(capsys, str(path), "--format", "json")
    records = {r["id"]: r for r in json.loads(out)}
    assert set(records) == {row[0] for row in MINIMAL}
    claims = {c.id: c for c in load_claims([path]).claims}
    for ident, _, lo, hi, _, expect in MINIMAL:
        r = records[ident]
        parts = oracle_intervals(claims[ident].launch.sources, r["lon"], r["lat"])
        status = oracle_status(parts, lo, hi)
        assert (r["status"], r["holds"]) == (status, matches(status, expect)), ident
        near, far = parts[0]
        if status == "reachable":
            margin = min(hi - near, far - lo)
        elif status == "too_close":
            margin = lo - far
        else:
            margin = near - hi if near > hi else lo - far
        assert r["margin_km"] == pytest.approx(margin, abs=DIST_TOL_M / KM), ident
        for key in ("id", "source", "place", "expect", "status", "holds", "min_km", "max_km", "margin_km",
                    "critical_km", "robust", "coverage"):
            assert key in r
        assert (r["min_km"], r["max_km"]) == (lo, hi)
    assert not records["kyiv-close-call"]["holds"] and records["kyiv-close-call-2"]["holds"]
    assert (code, err) == (1, "")
    code, out, _ = run_check(capsys, str(path))
    assert code == 1 and out.strip().splitlines()[-1] == "10 claims: 8 hold, 2 fail"


def test_exit_zero_when_every_claim_holds(capsys, tmp_path):
    path = _minimal_file(tmp_path / "ok.toml", [r for r in MINIMAL if r[0] in {"warsaw-true", "kyiv-true"}])
    code, out, err = run_check(capsys, str(path))
    assert (code, err) == (0, "")
    assert "2 claims: 2 hold, 0 fail" in out


# ---------------------------------------------------------------------------
# Critical values and robustness


@pytest.mark.parametrize(
    ("place", "launch", "lo", "hi", "expect", "figure"),
    [
        ("Kyiv", "Belarus", 700, 5000, "too_close", "min_km"),
        ("Warsaw", "Belarus", 700, 5000, "reachable", "min_km"),
        ("Berlin", "Belarus", 50, 500, "not_reachable", "max_km"),
        ("Lisbon", "Belarus", 700, 3000, "reachable", "max_km"),
        ("Warsaw", ["krichev", "machulishchy"], 0, 600, "reachable", "max_km"),
        ("Riga", ["krichev", "Belarus"], 0, 650, "reachable", "max_km"),
        ("Riga", ["krichev", "Belarus"], 300, 500, "reachable", None),  # 209-762 km: no valid band flips it
    ],
)
def test_critical_value_is_where_the_verdict_flips(place, launch, lo, hi, expect, figure):
    claim = make_claim(place=place, expect=expect, launch=launch, min_km=lo, max_km=hi)
    v = evaluate_claim(claim, coverage=False).verdict
    crit = v.critical
    if figure is None:
        assert crit is None and v.flips == {"min_km": None, "max_km": None}
        return
    assert crit is not None and crit.figure == figure
    parts = oracle_intervals(claim.launch.sources, claim.place.lon, claim.place.lat)
    edges = [x for p in parts for x in p]
    assert min(abs(crit.value_km - e) for e in edges) < DIST_TOL_M / KM  # a nearest or farthest distance
    # Independently: the outcome on either side of the critical value (10 m away).
    def outcome(value):
        a, b = (value, hi) if figure == "min_km" else (lo, value)
        return matches(oracle_status(parts, a, b), expect)

    nominal = lo if figure == "min_km" else hi
    step = 0.01 if crit.value_km > nominal else -0.01
    assert outcome(nominal) == v.holds
    assert outcome(crit.value_km - step) == v.holds
    assert outcome(crit.value_km + step) != v.holds


def _sweep_robust(parts, expect, box_min, box_max, n=121) -> bool:
    outcomes = {
        matches(oracle_status(parts, a, b), expect)
        for a in np.linspace(*box_min, n)
        for b in np.linspace(*box_max, n)
        if a <= b
    }
    return len(outcomes) == 1


@pytest.mark.parametrize(
    ("place", "launch", "min_km", "max_km", "expect"),
    [
        ("Kyiv", "Belarus", {"value": 700, "about": True}, 5000, "too_close"),
        ("Kyiv", "Belarus", {"value": 700, "interval": [660, 760]}, 5000, "too_close"),
        ("Warsaw", "krichev", {"value": 700, "about": True}, 5000, "reachable"),
        ("Warsaw", "baranovichi", 0, {"value": 380, "about": True}, "reachable"),
        ("Vilnius", "Belarus", 50, {"value": 500, "interval": [400, 500]}, "reachable"),
        ("Berlin", "Belarus", 0, {"value": 600, "interval": [500, 700]}, "not_reachable"),
    ],
)
def test_robustness_matches_a_sweep_of_the_uncertainty_box(place, launch, min_km, max_km, expect):
    claim = make_claim(place=place, expect=expect, launch=launch, min_km=min_km, max_km=max_km)
    v = evaluate_claim(claim, coverage=False).verdict
    parts = oracle_intervals(claim.launch.sources, claim.place.lon, claim.place.lat)
    box_min, box_max = (claim.min_km.low_km, claim.min_km.high_km), (claim.max_km.low_km, claim.max_km.high_km)
    assert v.robust == _sweep_robust(parts, expect, box_min, box_max)


# ---------------------------------------------------------------------------
# Coverage


@functools.cache
def belarus_grid(spacing_m: float = 1000.0) -> tuple[np.ndarray, np.ndarray]:
    """Centres of an equal-area grid (LAEA on WGS84) inside Belarus: equal weights = equal areas."""
    geometry = lookup_country("BLR")[2]
    laea = "+proj=laea +lat_0=53.7 +lon_0=28.0 +ellps=WGS84"
    fwd = Transformer.from_crs("EPSG:4326", laea, always_xy=True)
    inv = Transformer.from_crs(laea, "EPSG:4326", always_xy=True)
    x0, y0, x1, y1 = fwd.transform_bounds(*geometry.bounds)
    xs, ys = np.meshgrid(np.arange(x0, x1, spacing_m), np.arange(y0, y1, spacing_m))
    lon, lat = inv.transform(xs.ravel(), ys.ravel())
    inside = shapely.contains_xy(geometry, lon, lat)
    return lon[inside], lat[inside]


@pytest.mark.parametrize(
    ("place", "lo", "hi"),
    [("Warsaw", 700, 5000), ("Berlin", 700, 5000), ("Riga", 50, 500), ("Kyiv", 0, 380), ("Vilnius", 50, 200)],
)
def test_coverage_matches_an_equal_area_grid(place, lo, hi):
    claim = make_claim(place=place, expect="reachable", launch="Belarus", min_km=lo, max_km=hi)
    cov = evaluate_claim(claim).verdict.coverage
    lon, lat = belarus_grid()
    _, _, d = GEOD.inv(lon, lat, np.full(lon.shape, claim.place.lon), np.full(lon.shape, claim.place.lat))
    share = float(np.mean((d >= lo * KM) & (d <= hi * KM)))
    assert cov.share is not None and 0.0 < cov.share < 1.0
    # A 1 km grid of about 207,000 cells: the count differs from the area by well under 0.2 %.
    assert cov.share == pytest.approx(share, abs=0.002 + cov.error)
    assert cov.error < 1e-3


# ---------------------------------------------------------------------------
# Reports


def test_scenarios_and_surveys_in_json(capsys):
    code, out, _ = run_check(capsys, str(CATALOGUE / "000_oreshnik_belarus.toml"), "--format", "json",
                             "--no-coverage")
    assert code == 0
    records = json.loads(out)
    warsaw = next(r for r in records if r["id"] == "oreshnik-warsaw-in-threat-zone")
    (krichev,) = warsaw["scenarios"]
    d = GL.Inverse(53.7347, 31.9172, warsaw["lat"], warsaw["lon"])["s12"] / KM
    assert krichev["nearest_km"] == pytest.approx(d, abs=1e-6) and krichev["status"] == "reachable"
    assert warsaw["source"]["article"] == "000_c235f7128713cee2.txt"
    assert warsaw["min_km_interval"] == [630.0, 770.0] and warsaw["max_km_interval"] == [4000.0, 5500.0]
    survey = next(r for r in records if r["kind"] == "survey")
    statuses = {(p["scenario"], p["name"]): p["status"] for p in survey["places"]}
    assert statuses[("Belarus", "Kyiv")] == statuses[("Belarus", "Vilnius")] == "too_close"
    shares = {(t["scenario"], t["iso_a3"]): t["share"] for t in survey["territories"]}
    assert shares[("Belarus", "DEU")] == 1.0 and 0.0 < shares[("Belarus", "POL")] < 1.0


def test_markdown_and_table_report_the_numbers(capsys, tmp_path):
    path = _minimal_file(tmp_path / "m.toml", MINIMAL[:2])
    code, out, _ = run_check(capsys, str(path), "--format", "markdown")
    assert code == 0 and out.startswith("# Claim check")
    assert "| kyiv-true | Kyiv | UA | Belarus | too_close | too_close | holds | 86.8-654.6 |" in out
    assert "holds while min_km > 654.6 km" in out
    code, out, _ = run_check(capsys, str(path))
    assert re.search(r"kyiv-true\s+Kyiv\s+UA\s+Belarus\s+too_close\s+too_close\s+holds\s+86.8-654.6\s+45.4", out)


def test_hostile_text_is_escaped_in_markdown(capsys, tmp_path):
    import html as htmllib

    from markdown_it import MarkdownIt

    text = "<script>alert(1)</script> <img src=x onerror=alert(2)> | *b* [l](javascript:x) &amp; `c` _e_"
    path = tmp_path / "hostile.toml"
    path.write_text(
        f'[[claim]]\nid = "x"\ntext = "# {text}"\n'
        'from = "Belarus"\nmax_km = 5000\nplace = "Warsaw"\nexpect = "too_far"\n',
        encoding="utf-8",
    )
    _, out, _ = run_check(capsys, str(path), "--format", "markdown")
    html = MarkdownIt("commonmark").enable("table").render(out)
    # Rendered, the text reads as written: no tag, link, emphasis, code, heading or entity of its own.
    paragraph = re.search(r"<p>(# .*alert\(1\).*)</p>", html).group(1)
    assert htmllib.unescape(paragraph) == f"# {text}"
    assert "<script" not in html and "<img" not in html and "<a " not in html and "<code>" not in html
    # Our own markup stays markup: the failed verdict is bold, in the table and the details.
    assert html.count("<strong>fails</strong>") == 2
    assert "\\*\\*fails" not in out and "&gt;" not in out
    _, out, _ = run_check(capsys, str(path), "--format", "json")
    assert json.loads(out)[0]["text"].startswith("# <script>")  # JSON keeps the text as written


def test_output_file_is_written_atomically_and_not_overwritten(capsys, tmp_path):
    path = _minimal_file(tmp_path / "m.toml", MINIMAL[:1])
    report = tmp_path / "report.json"
    code, out, err = run_check(capsys, str(path), "--format", "json", "-o", str(report))
    assert (code, out) == (0, "") and "1 claim: 1 holds, 0 fail" in err
    assert json.loads(report.read_text())[0]["id"] == "warsaw-true"
    code, _, err = run_check(capsys, str(path), "-o", str(report))
    assert code == 2 and "--overwrite" in err
    assert run_check(capsys, str(path), "-o", str(report), "--overwrite")[0] == 0
    assert report.read_text().startswith("Claims")


# ---------------------------------------------------------------------------
# Bad input: one line, file + claim id + field + value, exit 2, no report

GOOD = {"id": '"c1"', "from": '"Belarus"', "min_km": "700", "max_km": "5000", "place": '"Warsaw"',
        "expect": '"reachable"'}


def _claim_text(**changes: str | None) -> str:
    fields = {**GOOD, **changes}
    return "[[claim]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items() if v is not None)


BAD = [
    ("unknown-place", _claim_text(place='"Warsaww"'), ['claim "c1"', "place", "'Warsaww'", "Warsaw, PL"]),
    ("unknown-country", _claim_text(**{"from": '"Belarussia"'}), ['claim "c1"', "from", "'Belarussia'", "Belarus"]),
    ("unknown-system", _claim_text(system='"oreshnick"', min_km=None, max_km=None),
     ['claim "c1"', "system", "'oreshnick'", "'oreshnik'"]),
    ("min-above-max", _claim_text(min_km="6000"), ['claim "c1"', "min_km 6000", "max_km 5000"]),
    ("negative", _claim_text(min_km="-700"), ['claim "c1"', "min_km -700", ">= 0"]),
    ("absurd", _claim_text(max_km="40000"), ['claim "c1"', "max_km 40000", "20,004"]),
    ("string-number", _claim_text(max_km='"5000 leagues"'), ['claim "c1"', "max_km '5000 leagues'", "unit"]),
    ("mistyped-field", _claim_text(max_kms="5000", max_km=None), ['claim "c1"', "'max_kms'", "'max_km'"]),
    ("missing-place", _claim_text(place=None), ['claim "c1"', "missing field 'place'"]),
    ("bad-expect", _claim_text(expect='"reachble"'), ['claim "c1"', "expect 'reachble'", "'reachable'"]),
    ("bad-coordinate", _claim_text(place='"95.0,20.0"'), ['claim "c1"', "place", "latitude 95"]),
    ("duplicate-id", _claim_text() + _claim_text(), ['claim "c1"', "duplicate id 'c1'"]),
    ("malformed-toml", "[[claim]\nid = 1\n", ["not valid TOML", "line 1"]),
    ("empty", "", ["empty file"]),
    ("no-claims", 'title = "x"\n', ["no [[claim]]"]),
    ("binary", "\x00\xff\xfe garbage", ["not"]),
    ("unknown-site-in-list", _claim_text(**{"from": '["krichev", "krichevv"]'}), ['claim "c1"', "'krichevv'"]),
    ("bad-interval", _claim_text(min_km="{ value = 700, interval = [800, 900] }"),
     ['claim "c1"', "interval [800, 900]", "700"]),
]


@pytest.mark.parametrize(("name", "text", "pieces"), BAD, ids=[b[0] for b in BAD])
def test_bad_claim_files_give_one_line_and_exit_2(capsys, tmp_path, name, text, pieces):
    good = _minimal_file(tmp_path / "a_good.toml", MINIMAL[:1])
    path = tmp_path / f"{name}.toml"
    if name == "binary":
        path.write_bytes(b"\x00\xff\xfe garbage")
    else:
        path.write_text(text, encoding="utf-8")
    report = tmp_path / "report.txt"
    code, out, err = run_check(capsys, str(good), str(path), "-o", str(report))
    assert code == 2 and out == "" and not report.exists()
    assert err.count("\n") == 1 and err.startswith("georange check: error: ") and str(path) in err
    for piece in pieces:
        assert piece in err, (piece, err)


def test_duplicate_ids_across_files(capsys, tmp_path):
    a = _minimal_file(tmp_path / "a.toml", MINIMAL[:1])
    b = _minimal_file(tmp_path / "b.toml", MINIMAL[:1])
    code, _, err = run_check(capsys, str(tmp_path))
    assert code == 2 and "duplicate id 'warsaw-true'" in err and str(a) in err and str(b) in err


def test_missing_path_and_empty_directory(capsys, tmp_path):
    assert run_check(capsys, str(tmp_path / "nope.toml"))[0] == 2
    code, _, err = run_check(capsys, str(tmp_path))
    assert code == 2 and "no .toml claim file" in err


# ---------------------------------------------------------------------------
# Helpers for test authors


def test_assertion_helpers_state_the_numbers():
    assert_reachable("Warsaw", launch="Belarus", system="oreshnik")
    assert_too_far("Berlin", launch="Belarus", system="iskander-m")
    expected = r"expected reachable, got too_far: 663\.9-1,297\.5 km away, margin 163\.9"
    with pytest.raises(AssertionError, match=expected):
        assert_reachable("Berlin", launch="Belarus", system="iskander-m")
    kyiv = make_claim(place="Kyiv", expect="too_close", launch="Belarus", system="oreshnik")
    assert_claim_holds(kyiv)
    with pytest.raises(AssertionError, match=r"not over their uncertainty \(min about 700 km \(630-770\)"):
        assert_claim_holds(kyiv, robust=True)


def test_an_unknown_place_in_a_claim_file_keeps_its_class_and_cause(tmp_path) -> None:
    from geo.errors import UnknownPlaceError

    path = tmp_path / "c.toml"
    path.write_text(
        'title = "t"\n[source]\narticle = "a.txt"\ndate = "2024"\n'
        '[[claim]]\nid = "x"\nplace = "Atlantisburg"\nexpect = "reachable"\nfrom = "BLR"\nmax_km = 500\n',
        encoding="utf-8",
    )
    with pytest.raises(UnknownPlaceError, match=r'c\.toml, claim "x": place .Atlantisburg.') as info:
        load_claims([path])
    assert isinstance(info.value.__cause__, UnknownPlaceError)


def test_a_mixed_place_fails_too_far_and_holds_mixed_and_not_reachable() -> None:
    from geo.claims.verdicts import evaluate_claim

    def verdict(expect: str):
        claim = make_claim(place="Gdansk, PL", expect=expect, launch="RUS", min_km=300, max_km=500)
        return evaluate_claim(claim, coverage=False).verdict

    assert verdict("too_far").holds is False and verdict("too_far").status == "mixed"
    mixed = verdict("mixed")
    assert mixed.holds and mixed.margin_km == pytest.approx(23.6, abs=0.05)
    assert mixed.deciding_figure == "min_km" and mixed.deciding_km == pytest.approx(276.4, abs=0.05)
    assert verdict("not_reachable").holds
    from geo.testing import assert_mixed

    assert_mixed("Gdansk, PL", launch="RUS", min_km=300, max_km=500)
    with pytest.raises(AssertionError, match="expected too_far, got mixed"):
        assert_too_far("Gdansk, PL", launch="RUS", min_km=300, max_km=500)


def test_several_places_per_claim_give_one_verdict_each(capsys, tmp_path) -> None:
    """places = [...]: claims ID.1, ID.2, ... with their own verdicts, distances checked against geographiclib."""
    from geographiclib.geodesic import Geodesic

    path = tmp_path / "multi.toml"
    path.write_text(
        '[[claim]]\nid = "three"\nfrom = "krichev"\nmax_km = 700\nexpect = "reachable"\n'
        'places = ["Warschau", "Berlin", { name = "Vilnius centre", lat = 54.687, lon = 25.28 }]\n',
        encoding="utf-8",
    )
    code, out, _ = run_check(capsys, str(path), "--format", "json", "--no-coverage", "--no-population")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["three.1", "three.2", "three.3"]
    assert [(r["place_name"], r["country"]) for r in rows] == [("Warsaw", "PL"), ("Berlin", "DE"),
                                                               ("Vilnius centre", "")]
    for r in rows:
        want = Geodesic.WGS84.Inverse(53.7347, 31.9172, r["lat"], r["lon"])["s12"] / 1e3
        assert abs(r["nearest_km"] - want) < 1e-6
        assert r["status"] == ("reachable" if want <= 700 else "too_far")
    assert code == 1  # Berlin is beyond 700 km from Krichev
    path.write_text('[[claim]]\nid = "x"\nfrom = "BLR"\nmax_km = 700\nexpect = "reachable"\nplace = "Minsk"\n'
                    'places = ["Berlin"]\n', encoding="utf-8")
    code, _, err = run_check(capsys, str(path))
    assert code == 2 and "give place or places, not both" in err


def test_the_systems_catalogue_is_sourced_and_consistent() -> None:
    """At least 25 systems; every figure names its source with a date; every interval holds every published value."""
    from geo.reference.systems import load_systems, lookup_system

    systems = load_systems()
    assert len(systems) >= 25
    dated = re.compile(r"\b(19|20)\d\d\b|n\.d\.|seed \d{3}_")
    names: dict[str, str] = {}
    for key, s in systems.items():
        for figure in (s.max_km, s.min_km):
            if figure.value_km == 0 and not figure.source:
                continue  # no published minimum range
            assert dated.search(figure.source), (key, figure.source)
            assert figure.low_km <= figure.value_km <= figure.high_km
            for p in figure.published:
                assert p.source and dated.search(p.source), (key, p.source)
                if p.in_interval:  # a state-media value is shown beside the interval, not inside it
                    assert figure.low_km <= p.value_km <= figure.high_km, (key, p.value_km)
        for name in (key, s.name, *s.aliases):
            assert names.setdefault(name.casefold(), key) == key, f"{name} names {names[name.casefold()]} and {key}"
            assert lookup_system(name).key == key


# ---------------------------------------------------------------------------
# Figures as people write them (geo.reference.quantities): units, conventions, the TOML text


def _figures_file(path: Path, *lines: str, top: str = "") -> Path:
    body = "\n".join(f"{k} = {v}" for k, v in {**GOOD, "place": '"Warsaw"'}.items() if not any(
        line.startswith(f"{k} ") for line in lines))
    path.write_text(f"{top}\n[[claim]]\n{body}\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("lines", "top", "min_km", "max_km"), [
    (['max_km = "1,500.5 miles"'], "", 700.0, 1500.5 * 1.609344),
    (['max_km = "12.000 km"', "min_km = 5.000"], 'numbers = "1.234,5"', 5000.0, 12000.0),
    (['max_km = "1,500 miles"'], 'numbers = "1,234.5"', 700.0, 1500 * 1.609344),
    (['max_km = "5 000"', 'min_km = "0,5"'], 'numbers = "1 234,5"', 0.5, 5000.0),
    (["max_km = 5000.0", "min_km = 700.5"], "", 700.5, 5000.0),
    (["max_km = 5_000.0", 'min_km = "400 nmi"'], "", 400 * 1.852, 5000.0),
])
def test_claim_figures_with_units_and_conventions(tmp_path, lines, top, min_km, max_km) -> None:
    (claim,) = load_claims([_figures_file(tmp_path / "c.toml", *lines, top=top)]).claims
    assert claim.band.min_km == pytest.approx(min_km, rel=1e-15)
    assert claim.band.max_km == pytest.approx(max_km, rel=1e-15)


def test_a_figure_table_takes_units_in_value_interval_and_published(tmp_path) -> None:
    lines = ['max_km = { value = "1,500 miles", interval = ["2.000 km", 2500], '
             'published = [{ value = "1.300 nmi", source = "x" }] }',
             'min_km = { value = "400 nmi", about = true }']
    (claim,) = load_claims([_figures_file(tmp_path / "c.toml", *lines, top='numbers = "1,234.5"')]).claims
    assert claim.max_km.value_km == 1500 * 1.609344 == 2414.016
    assert (claim.max_km.low_km, claim.max_km.high_km) == (2.0, 2500.0)  # "2.000" is 2 in 1,234.5
    assert [p.value_km for p in claim.max_km.published] == [2.4076]  # 1.3 x 1.852 exactly
    assert claim.min_km.value_km == 740.8 and claim.min_km.about
    assert claim.min_km.low_km == pytest.approx(400 * 1.852 * 0.9)


@pytest.mark.parametrize(("line", "pieces"), [
    ("max_km = 5.000", ["max_km 5.000 can be read as", "5000 ('.' grouping thousands)",
                        "5 ('.' as the decimal mark)", 'numbers = "1.234,5"']),
    ("max_km = 1.500", ["max_km 1.500 can be read as", "1500", "1.5"]),
    ('max_km = "12,500 km"', ["max_km '12,500 km' can be read as", "12500", "12.5", "write 12500 km or 12.5 km"]),
    ('max_km = "5 000"', ["max_km '5 000' can be read as", "two figures, 5 and 000"]),
    ("max_km = \"5'000\"", ["max_km \"5'000\" can be read as", "5000 (an apostrophe grouping thousands)"]),
    ('max_km = { value = "5.000 km", about = true }', ["max_km: value '5.000 km' can be read as", "5000", "5"]),
    ('max_km = { value = 5000, interval = [4.500, 5500] }', ["max_km: interval 4.500 can be read as", "4500"]),
    ('max_km = { value = 5000, published = [{ value = "5,500", source = "x" }] }',
     ["max_km, published #1: value '5,500' can be read as", "5500", "5.5"]),
    ('max_km = "5000 leagues"', ["max_km '5000 leagues': unknown unit 'leagues'"]),
])
def test_a_claim_figure_of_two_readings_names_file_claim_field_and_both(capsys, tmp_path, line, pieces) -> None:
    path = _figures_file(tmp_path / "twoways.toml", line)
    code, out, err = run_check(capsys, str(path))
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert f'{path}, claim "c1"' in err
    for piece in pieces:
        assert piece in err, (piece, err)


def test_a_file_states_its_convention_once_and_a_bad_one_is_refused(capsys, tmp_path) -> None:
    comma = load_claims([_figures_file(tmp_path / "comma.toml", "max_km = 5.000", top='numbers = "1.234,5"')])
    point = _figures_file(tmp_path / "point.toml", "max_km = 5.000", top='numbers = "1,234.5"')
    assert comma.claims[0].band.max_km == 5000.0
    from geo.errors import ClaimFormatError

    with pytest.raises(ClaimFormatError, match="min_km 700 must not exceed max_km 5$"):  # 5.000 is 5 here
        load_claims([point])
    path = _figures_file(tmp_path / "bad.toml", "max_km = 5.000", top='numbers = "european"')
    code, out, err = run_check(capsys, str(path))
    assert code == 2 and out == "" and f"{path}: numbers: 'european' is not a way of writing numbers" in err


def test_every_shipped_toml_still_loads() -> None:
    from geo.reference.groups import load_groups
    from geo.reference.systems import load_systems

    root = Path(__file__).resolve().parent.parent / "data"
    assert len(load_claims([root / "claims", root / "hardcases"]).claims) > 40
    assert len(load_systems()) > 40 and load_groups()


def test_the_files_convention_reaches_every_place_of_a_claim_and_every_survey(tmp_path) -> None:
    path = tmp_path / "several.toml"
    path.write_text('numbers = "1.234,5"\n'
                    '[[claim]]\nid = "c"\nfrom = "Belarus"\nmax_km = 5.000\nmin_km = "0,7 km"\n'
                    'places = ["Warsaw", "Berlin"]\nexpect = "reachable"\n'
                    '[[survey]]\nid = "s"\nfrom = "Belarus"\nmax_km = "1.500 mijl"\nplaces = ["Warsaw"]\n',
                    encoding="utf-8")
    loaded = load_claims([path])
    assert [(c.id, c.band.min_km, c.band.max_km) for c in loaded.claims] == [("c.1", 0.7, 5000.0),
                                                                             ("c.2", 0.7, 5000.0)]
    assert [s.band.max_km for s in loaded.surveys] == [2414.016]
