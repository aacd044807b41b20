"""Interactive maps: offline, deterministic, escaped, and drawn zones that agree with exact distances.

The zones are read back from the HTML page itself (the GeoJSON Leaflet
draws) and compared with exact geodesic distances from pyproj's Geod
(GeographicLib), point launches only, so the oracle is one inverse problem
per point and shares no code with geo.analysis.zones.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer

from geo.claims.model import load_claims
from geo.cli.main import main
from geo.outputs.mapcontent import DISPLAY_TOLERANCE_M, map_content
from geo.outputs.webmap import claim_map, map_html

from mapcases import ANTIMERIDIAN, HOSTILE, HOSTILE_STRINGS, geojson_layers, write

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "data" / "claims"
GEOD = Geod(ellps="WGS84")
ANADYR = (177.5103, 64.7342)
KM = 1000.0
# Leaflet draws straight lines in Web Mercator between vertices rounded to 1e-5 degree;
# the bound the tests hold the drawing to, beyond the zones' own tolerance.
DRAWING_SLACK_M = 5.0
MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


@functools.cache
def page(path: str) -> str:
    return map_html(claim_map(path))


@pytest.fixture(scope="module")
def antimeridian_page(tmp_path_factory) -> str:
    return page(str(write(tmp_path_factory.mktemp("am"), "antimeridian.toml", ANTIMERIDIAN)))


@pytest.fixture(scope="module")
def catalogue_page() -> str:
    return page(str(CATALOGUE / "000_oreshnik_belarus.toml"))


class _Tags(HTMLParser):
    """Collect every tag's attributes and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._in_style = False


def test_page_needs_no_network(catalogue_page):
    html = catalogue_page
    parser = _Tags()
    parser.feed(html)
    # No element loads anything: no src or href except data: URIs and fragments, no <link>, no url() or @import.
    assert {t for t, _ in parser.tags} <= {"html", "head", "meta", "title", "style", "script", "body", "div"}
    refs = [v for _, attrs in parser.tags for k, v in attrs.items() if k in ("src", "href", "srcset", "data")]
    assert refs == []
    css = "".join(parser.styles)
    assert [u for u in re.findall(r"url\(\s*['\"]?([^)'\"]+)", css) if not u.startswith(("data:", "#"))] == []
    assert "@import" not in css
    # Leaflet itself is embedded, not fetched.
    assert "Leaflet 1.9.3" in html and "L.map(" in html
    assert not any(host in html for host in ("jsdelivr", "cdnjs", "unpkg", "code.jquery", "bootstrapcdn"))


def test_page_size_and_content(catalogue_page):
    assert len(catalogue_page.encode()) < 1_000_000
    for name in ("Kyiv", "Warsaw", "Berlin", "Lisbon"):
        assert f'"name":"{name}"' in catalogue_page
    for label in ("Oreshnik 700-5,000 km from Belarus: reachable zone",
                  "Oreshnik 700-5,000 km from Krichev base: outer limit (5,000 km)"):
        assert label in catalogue_page


def test_same_inputs_give_identical_bytes(tmp_path):
    path = str(write(tmp_path, "a.toml", ANTIMERIDIAN))
    first = map_html(claim_map(path))
    second = map_html(claim_map(path))
    assert first == second
    assert map_html(claim_map(path, title="Another title")) != first


def test_hostile_text_is_escaped(tmp_path):
    html = map_html(claim_map(str(write(tmp_path, "hostile.toml", HOSTILE))))
    for bad in HOSTILE_STRINGS:
        assert bad not in html
    assert "<script>alert" not in html and "<img" not in html and "<svg onload" not in html
    # Shown as text: HTML-escaped, then JSON-escaped for the script context.
    assert "\\u0026lt;img src=x onerror=alert(2)\\u0026gt;" in html
    assert "<title>Hostile &lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;</title>" in html
    assert html.count("<script>") == html.count("</script>")


def _zone(html: str, role: str) -> shapely.Geometry:
    """Return the first zone set's polygon or limit lines of a role, as drawn in the page."""
    layers = geojson_layers(html)[1:]  # 0 is the base map
    index = {"reachable": 0, "dead": 1, "outer": 2}[role]
    features = layers[index]["features"]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    return geoms[0] if role != "dead" else geoms


def test_drawn_zones_agree_with_exact_distances(antimeridian_page):
    reachable = _zone(antimeridian_page, "reachable")
    dead_fill, _ = _zone(antimeridian_page, "dead")
    rng = np.random.default_rng(5)
    # Uniform on the sphere, plus a dense band around both limits, plus the hard places.
    n = 40_000
    lon = rng.uniform(-180, 180, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    az = rng.uniform(-180, 180, 20_000)
    dist = np.r_[rng.uniform(650, 750, 10_000), rng.uniform(4_950, 5_050, 10_000)] * KM
    blon, blat, _ = GEOD.fwd(np.full(az.size, ANADYR[0]), np.full(az.size, ANADYR[1]), az, dist)
    lon = np.r_[lon, blon, 0.0, 179.999, -179.999, 100.0]
    lat = np.r_[lat, blat, 89.999, 76.0, 76.0, 89.9]
    _, _, d = GEOD.inv(np.full(lon.size, ANADYR[0]), np.full(lon.size, ANADYR[1]), lon, lat)
    d = np.asarray(d)
    exact_reachable = (d >= 700 * KM) & (d <= 5000 * KM)
    exact_dead = d < 700 * KM
    slack = DISPLAY_TOLERANCE_M + DRAWING_SLACK_M
    clear = (np.abs(d - 700 * KM) > slack) & (np.abs(d - 5000 * KM) > slack)
    in_reachable = shapely.intersects_xy(reachable, lon, lat)
    in_dead = shapely.intersects_xy(dead_fill, lon, lat)
    assert clear.sum() > 50_000
    assert np.array_equal(in_reachable[clear], exact_reachable[clear])
    assert np.array_equal(in_dead[clear], exact_dead[clear])
    # The North Pole (3,000 km from Anadyr) is filled; so is each side of the antimeridian.
    assert in_reachable[-4] and in_reachable[-3] and in_reachable[-2] and in_reachable[-1]


def _segment_points(lines, t: float) -> tuple[np.ndarray, np.ndarray]:
    """Points a fraction t along each segment as Leaflet draws it: straight in Web Mercator."""
    lon, lat = [], []
    for line in shapely.get_parts(lines):
        xy = shapely.get_coordinates(line)
        x, y = MERCATOR.transform(xy[:, 0], np.clip(xy[:, 1], -85.05, 85.05))
        mx, my = x[:-1] + t * np.diff(x), y[:-1] + t * np.diff(y)
        a, b = MERCATOR.transform(mx, my, direction="INVERSE")
        lon.append(a)
        lat.append(b)
    return np.concatenate(lon), np.concatenate(lat)


@pytest.mark.parametrize("t", [0.0, 0.25, 0.5, 0.75])
def test_drawn_limits_stay_within_the_stated_bound(antimeridian_page, t):
    outer = _zone(antimeridian_page, "outer")
    _, inner = _zone(antimeridian_page, "dead")
    for lines, radius_km in ((outer, 5000.0), (inner, 700.0)):
        lon, lat = _segment_points(lines, t)
        keep = np.abs(lat) < 85.0  # Leaflet clips the map at 85.05 degrees
        _, _, d = GEOD.inv(np.full(keep.sum(), ANADYR[0]), np.full(keep.sum(), ANADYR[1]), lon[keep], lat[keep])
        error = np.abs(np.asarray(d) - radius_km * KM)
        assert keep.sum() > 100
        assert error.max() <= DISPLAY_TOLERANCE_M + DRAWING_SLACK_M, f"{radius_km} km: {error.max():.1f} m"


def test_drawn_outline_has_no_map_edge_streaks(antimeridian_page):
    outer = _zone(antimeridian_page, "outer")
    xy = np.concatenate([shapely.get_coordinates(g) for g in shapely.get_parts(outer)])
    steps = np.concatenate([np.abs(np.diff(shapely.get_coordinates(g)[:, 0])) for g in shapely.get_parts(outer)])
    assert steps.max() < 5.0  # no segment jumps across the map
    assert (np.abs(xy[:, 1]) < 90.0).all()  # no line along the pole edge


def test_places_carry_their_verdicts(tmp_path):
    loaded = load_claims([write(tmp_path, "a.toml", ANTIMERIDIAN)])
    content = map_content(loaded)
    marks = {m.name: m for m in content.claim_marks}
    assert marks["Anchorage"].status == "reachable" and marks["Anchorage"].holds
    assert marks["Anadyr"].status == "too_close" and marks["Anadyr"].holds
    assert marks["Honolulu"].status == "too_far" and marks["Honolulu"].holds is False
    _, _, d = GEOD.inv(*ANADYR, -157.85833, 21.30694)
    assert abs(marks["Honolulu"].nearest_km - d / KM) < 0.001
    tooltip = "\n".join(marks["Honolulu"].tooltip())
    assert "FAILS" in tooltip and f"{d / KM:,.1f}" in tooltip
    popup = "\n".join(line for _, lines in marks["Honolulu"].popup() for line in lines)
    assert "synthetic.txt (2026-01)" in popup and "Critical value: would hold if max_km >=" in popup


def run_map(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["map", *argv])
    except SystemExit as exc:  # usage errors exit from argparse
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_html_and_refuses_to_overwrite(capsys, tmp_path):
    claims = write(tmp_path, "a.toml", ANTIMERIDIAN)
    out = tmp_path / "a.html"
    code, _, err = run_map(capsys, str(claims), "-o", str(out))
    assert code == 0, err
    first = out.read_bytes()
    assert first.startswith(b"<!DOCTYPE html>")
    code, _, err = run_map(capsys, str(claims), "-o", str(out), "--title", "changed")
    assert code == 2 and "exists; pass --overwrite" in err and len(err.strip().splitlines()) == 1
    assert out.read_bytes() == first
    code, _, err = run_map(capsys, str(claims), "-o", str(out), "--title", "changed", "--overwrite")
    assert code == 0 and b"<title>changed</title>" in out.read_bytes()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "{tmp}/x.png"], "--output {tmp}/x.png: expected a file name ending in .html or .htm"),
        (["--png", "{tmp}/x.html"], "--png {tmp}/x.html: expected a file name ending in .png"),
        ([], "nothing to write"),
        (["-o", "{tmp}/no/such/dir/x.html"], "directory {tmp}/no/such/dir does not exist"),
    ],
)
def test_cli_bad_outputs(capsys, tmp_path, argv, message):
    claims = write(tmp_path, "a.toml", ANTIMERIDIAN)
    code, _, err = run_map(capsys, str(claims), *[a.format(tmp=tmp_path) for a in argv])
    assert code == 2
    assert message.format(tmp=tmp_path) in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_cli_bad_claim_file_writes_nothing(capsys, tmp_path):
    claims = write(tmp_path, "bad.toml", ANTIMERIDIAN.replace('place = "Anchorage"', 'place = "Anchoragee"'))
    code, _, err = run_map(capsys, str(claims), "-o", str(tmp_path / "x.html"), "--png", str(tmp_path / "x.png"))
    assert code == 2 and "Anchoragee" in err and "did you mean" in err
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "x.png").exists()


def test_online_tiles_are_opt_in(tmp_path):
    path = str(write(tmp_path, "a.toml", ANTIMERIDIAN))
    offline = map_html(claim_map(path))
    online = map_html(claim_map(path, online_tiles=True))
    assert "tile.openstreetmap.org" not in offline
    assert "tile.openstreetmap.org" in online and "OpenStreetMap (online)" in online
