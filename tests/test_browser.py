"""The maps in a real browser: headless Chromium, network off.

Every gallery map (built here from the catalogue by scripts/build_gallery.py)
is opened and checked: no console errors or failed loads, no request for
anything but the page itself and data: URIs, the Leaflet map with the
expected layers and markers, a real mouse click on each claim place opens
its popup with the verdict computed in Python, the screenshot is not blank.

Locally these tests skip when Chromium is missing; CI sets
GEORANGE_REQUIRE_BROWSER=1 (in .ci/run, which installs Chromium) and then a
missing browser is a failure.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from geo.analysis.bands import km_text
from geo.analysis.launch import LaunchPoint
from geo.claims.model import claim_files, load_claims
from geo.claims.verdicts import evaluate
from geo.outputs.mapcontent import STATUS_WORDS, map_content
from geo.outputs.mapframe import content_centre
from geo.outputs.webmap import claim_map, save_map, zone_layer_names

from browser import Chromium, find_chromium
from mapcases import HOSTILE, HOSTILE_STRINGS, write

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "data" / "claims"
GEOD = Geod(ellps="WGS84")
REQUIRED = os.environ.get("GEORANGE_REQUIRE_BROWSER") == "1"
MISSING = "Chromium not found: apt-get install chromium (or set GEORANGE_CHROMIUM); .ci/run installs it"
# Alerts are recorded instead of shown, so a script that got through would be seen, not block the page.
NO_DIALOGS = "window.__alerts = []; window.alert = window.confirm = window.prompt = " \
             "function (m) { window.__alerts.push(String(m)); };"

if find_chromium() is None and not REQUIRED:
    pytestmark = pytest.mark.skip(reason=MISSING)


@pytest.fixture(scope="module")
def browser():
    if find_chromium() is None:
        pytest.fail(f"GEORANGE_REQUIRE_BROWSER=1 but {MISSING}")
    with Chromium() as chromium:
        yield chromium


def build_gallery(claims: Path, out: Path) -> dict:
    """Draw claim files with the gallery script (as `make run` does); return {stem: (html path, loaded claims)}."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_gallery as script
    finally:
        sys.path.pop(0)
    assert script.main([str(claims), "--out", str(out)]) == 0
    assert (out / "README.md").exists()
    built = {}
    for path in claim_files([claims]):
        built[path.stem] = (out / f"{path.stem}.html", load_claims([path]))
        assert (out / f"{path.stem}.png").stat().st_size > 10_000
    return built


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    """Build the gallery from the catalogue with the gallery script; return {stem: (html path, content)}."""
    return build_gallery(CATALOGUE, tmp_path_factory.mktemp("maps"))


def overlay_names(page) -> list[str]:
    return page.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
        ".map(l => l.textContent.trim())")


def expected_overlays(content) -> list[str]:
    centre = content_centre(content)[2]
    names = [f"Graticule and distance rings from {centre}", "Country names"]
    for zs in content.zone_sets:
        if not zs.main:
            names.append(f"{zs.label}: limits (scenario, dashed)")
            continue
        names.append(f"{zs.label}: reachable zone")
        if not zs.dead_zone.is_empty:  # a 50 km minimum leaves no dead zone around all of Belarus
            names.append(f"{zs.label}: dead zone (under {km_text(zs.band.min_km)} km)")
        names.append(f"{zs.label}: outer limit ({km_text(zs.band.max_km)} km)")
    if content.isochrones:  # a ballistic system's flight-time rings
        ring = content.isochrones[0]
        names.append(f"Flight times of the {ring.system} from {ring.launch} (minutes)")
    names.append("Launch: " + ", ".join(s.label for s in content.launches))
    if content.survey_marks:
        names.append("Survey places (status from the main launch)")
    names.append("Claim places")
    return names


def click_place(page, lon: float, lat: float) -> str:
    """Centre the map on a place, click it with the mouse, return the open popup's text."""
    page.evaluate("georange.map.closePopup(); new Promise(done => { const wait = () =>"
                  " document.querySelector('.leaflet-popup') ? setTimeout(wait, 20) : done(0); wait(); })",
                  await_promise=True)  # a closing popup fades out and would catch the click
    x, y = page.evaluate(
        f"(() => {{ const m = georange.map; m.setView([{lat}, {lon}], Math.max(m.getZoom(), 5), {{animate: false}});"
        f" const p = m.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }})()")
    page.click(x, y)
    return page.evaluate("(() => { const p = georange.map._popup;"
                         " return p && p.isOpen() ? p.getElement().textContent : ''; })()")


def measure_between(page, points: list[tuple[int, int]]) -> list[list[float]]:
    """Click two points with the measuring tool on; check its readout is the WGS84 geodesic; return their lat/lon."""
    for x, y in points:
        page.click(x, y)
    lls = [page.evaluate(f"(() => {{ const l = georange.map.containerPointToLatLng([{x}, {y}]);"
                         f" return [l.lat, l.lng]; }})()") for x, y in points]
    _, _, d = GEOD.inv(lls[0][1], lls[0][0], lls[1][1], lls[1][0])
    readout = page.evaluate("document.querySelector('.georange-measure-readout').textContent")
    assert readout.startswith(f"{d / 1000:,.1f} km"), (readout, d)
    return lls


def not_blank(png: bytes) -> bool:
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    colours = len(np.unique(pixels, axis=0))
    return colours > 200 and pixels.std() > 20


@pytest.mark.parametrize("stem", [p.stem for p in claim_files([CATALOGUE])])
def test_gallery_map_in_chromium(browser, gallery, stem):
    html, loaded = gallery[stem]
    claims, surveys = evaluate(loaded.claims, loaded.surveys, coverage=True, shares=False)
    content = map_content(loaded, results=(claims, surveys))
    page = browser.open(html, init_script=NO_DIALOGS)
    try:
        assert page.errors == []
        assert [u for u in page.requests if not u.startswith(("file:", "data:"))] == []
        assert page.evaluate("window.georange.map instanceof L.Map")
        shown = overlay_names(page)
        assert re.sub(r" \(.*?\)", "", shown[0], count=1).split(" (every")[0] == expected_overlays(content)[0]
        assert shown[1:] == expected_overlays(content)[1:]
        places = page.evaluate(
            "(() => { const out = []; georange.map.eachLayer(l => { const g = l.options && l.options.georange;"
            " if (g && !g.launch) out.push(g); }); return out; })()")
        assert sorted(p["name"] for p in places) == sorted(m.name for m in content.marks)
        assert not_blank(page.screenshot())
        if content.isochrones:  # the flight-time rings show some of their minutes
            labels = page.evaluate(LABELS)
            assert any(css == "georange-time-label" for css, _, _ in labels)
        for mark in content.claim_marks:
            text = click_place(page, mark.lon, mark.lat)
            assert mark.name in text
            for line in mark.flights:  # the flight-time band of a ballistic system, in the popup
                assert line in text
            for r in mark.claims:
                verdict = "holds" if r.holds else "FAILS"
                assert f"Claim {verdict}" in text and f"Claim {r.claim.id}" in text
                assert f"from {r.claim.launch.label}. Found: {STATUS_WORDS[r.verdict.status]}" in text
                if r.claim.source.cite():
                    assert f"Source: {r.claim.source.cite()}" in text
        assert page.evaluate("window.__alerts.length") == 0
        assert page.errors == []
    finally:
        page.close()


def test_hostile_text_shows_literally_and_runs_nothing(browser, tmp_path):
    loaded = load_claims([write(tmp_path, "hostile.toml", HOSTILE)])
    content = map_content(loaded)
    out = save_map(claim_map(content), tmp_path / "hostile.html")
    page = browser.open(out, init_script=NO_DIALOGS)
    try:
        mark = content.claim_marks[0]
        text = click_place(page, mark.lon, mark.lat)
        assert HOSTILE_STRINGS[0] in text and HOSTILE_STRINGS[1] in text and HOSTILE_STRINGS[4] in text
        assert HOSTILE_STRINGS[3] in text  # the source article
        assert page.evaluate("document.title") == "Hostile " + HOSTILE_STRINGS[2]
        assert any(HOSTILE_STRINGS[1] in name for name in overlay_names(page))
        assert page.evaluate("document.querySelectorAll('img[src=x], [onerror], [onload]').length") == 0
        assert page.evaluate("document.scripts.length") == 4  # Leaflet and georange, the frame, the map, its setup
        assert page.evaluate("window.__alerts") == []
        assert page.errors == []
    finally:
        page.close()


def test_measuring_tool_gives_wgs84_geodesics(browser, gallery):
    html, _ = gallery["000_oreshnik_belarus"]
    page = browser.open(html)
    try:
        rng = np.random.default_rng(11)
        lat1, lat2 = rng.uniform(-89, 89, (2, 400))
        lon1, lon2 = rng.uniform(-180, 180, (2, 400))
        pairs = json.dumps(np.column_stack([lat1, lon1, lat2, lon2]).tolist())
        got = np.array(page.evaluate(f"{pairs}.map(p => georange.distance(p[0], p[1], p[2], p[3]))"), dtype=float)
        _, _, want = GEOD.inv(lon1, lat1, lon2, lat2)
        ok = np.isfinite(got)
        assert ok.sum() >= 395  # Vincenty fails only near the antipode
        assert np.abs(got[ok] - np.asarray(want)[ok]).max() < 1e-3
        # The tool itself: two real clicks, the readout against pyproj.
        page.evaluate("georange.map.setView([52, 20], 4, {animate: false}); georange.measure.toggle(); 0")
        measure_between(page, [(200, 450), (700, 300)])
        assert page.errors == []
    finally:
        page.close()


HARD = ROOT / "data" / "hardcases"
# What the first view shows: every launch site and claim place (where it is on screen, whether a
# control covers it), the main zones' outer limits (their screen boxes), the controls, the scale.
FIRST_VIEW = """(() => {
  const m = georange.map, size = m.getSize(), out = {points: [], zones: {}, controls: [],
    size: [size.x, size.y], metresPerPixel: 1 / m.options.crs.scale(m.getZoom()),
    legendOpen: Array.from(document.querySelectorAll('details.georange-legend')).map(d => d.open)};
  document.querySelectorAll('.leaflet-control').forEach(el => {
    const r = el.getBoundingClientRect(); if (r.width) out.controls.push([r.left, r.top, r.right, r.bottom]); });
  m.eachLayer(l => {
    const g = l.options && l.options.georange;
    if (g && (g.launch || (g.claims && g.claims.length))) {
      const p = m.latLngToContainerPoint(l.getLatLng()), el = document.elementFromPoint(p.x, p.y);
      out.points.push({name: g.name, launch: !!g.launch, x: p.x, y: p.y,
                       covered: !el || !!el.closest('.leaflet-control')});
    }
  });
  for (const [name, layer] of Object.entries(georange.layers)) {
    if (!m.hasLayer(layer)) continue;
    let box = null;
    layer.eachLayer(s => { if (!s._pxBounds) return;
      const a = m.layerPointToContainerPoint(s._pxBounds.min), b = m.layerPointToContainerPoint(s._pxBounds.max);
      box = box ? [Math.min(box[0], a.x), Math.min(box[1], a.y), Math.max(box[2], b.x), Math.max(box[3], b.y)]
                : [a.x, a.y, b.x, b.y]; });
    out.zones[name] = box;
  }
  return out;
})()"""


# The labels shown: [css class, priority, screen box].
LABELS = """(() => { const out = []; georange.map.eachLayer(l => {
  const spec = l.options && l.options.georangeLabel; if (!spec || !l._icon) return;
  const el = l._icon.firstChild; if (el.style.visibility !== 'visible') return;
  const r = el.getBoundingClientRect(); out.push([el.className, spec.priority, [r.left, r.top, r.right, r.bottom]]);
}); return out; })()"""


@pytest.fixture(scope="module")
def hard_gallery(tmp_path_factory):
    """The hard cases drawn by the gallery script, as `make run` draws them into maps/hard/."""
    return build_gallery(HARD, tmp_path_factory.mktemp("hard"))


def _inside(box, width: float, height: float, slack: float = 1.0) -> bool:
    return box[0] >= -slack and box[1] >= -slack and box[2] <= width + slack and box[3] <= height + slack


def _overlaps(a, b, slack: float = 1.0) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def check_first_view(page, content) -> dict:
    """Every launch site and claim place on screen and uncovered; each main zone whole and clear of the controls;
    screen distances from a launch point equal to the geodesic ones (the plane is centred on it)."""
    view = page.evaluate(FIRST_VIEW)
    width, height = view["size"]
    names = {m.name for m in content.claim_marks}
    shown = {p["name"] for p in view["points"] if not p["launch"]}
    assert shown == names
    for p in view["points"]:
        assert 0 <= p["x"] <= width and 0 <= p["y"] <= height, p
        assert not p["covered"], p
    for zs in content.zone_sets:
        if not zs.main:
            continue
        box = view["zones"][zone_layer_names(zs)[-1]]
        assert box is not None and _inside(box, width, height), (zs.label, box, view["size"])
        for control in view["controls"]:
            assert not _overlaps(box, control), (zs.label, box, control)
    launches = [p for p in view["points"] if p["launch"]]
    sources = content.zone_sets[0].scenario.sources
    if len(sources) == 1 and isinstance(sources[0], LaunchPoint):
        launch = next(p for p in launches if p["name"] == sources[0].label)
        for mark in content.claim_marks:
            p = next(q for q in view["points"] if q["name"] == mark.name)
            on_screen = np.hypot(p["x"] - launch["x"], p["y"] - launch["y"]) * view["metresPerPixel"]
            _, _, true = GEOD.inv(sources[0].lon, sources[0].lat, mark.lon, mark.lat)
            assert abs(on_screen - true) <= 1.5 * view["metresPerPixel"], (mark.name, on_screen, true)
    return view


@pytest.mark.parametrize("stem", [p.stem for p in claim_files([HARD])])
def test_hard_case_first_view(browser, hard_gallery, stem):
    html, loaded = hard_gallery[stem]
    content = map_content(loaded)
    page = browser.open(html, init_script=NO_DIALOGS)
    try:
        assert page.errors == []
        assert [u for u in page.requests if not u.startswith(("file:", "data:"))] == []
        view = check_first_view(page, content)
        assert view["legendOpen"] == [True]
        labels = page.evaluate(LABELS)
        assert any(css == "georange-ring-label" for css, _, _ in labels)  # distance rings are labelled
        for i, (_, pa, a) in enumerate(labels):  # no label is drawn over another, unless both must show
            for _, pb, b in labels[i + 1:]:
                assert min(pa, pb) >= 3 or not _overlaps(a, b), (labels[i], a, b)
        assert not_blank(page.screenshot())
        assert page.errors == []
    finally:
        page.close()


@pytest.mark.parametrize("stem", ["010_polar_mcmurdo", "013_tiny_minsk", "014_many_scenarios"])
def test_hard_case_on_a_phone(hard_gallery, stem):
    """390 x 760 CSS pixels: the legend starts folded and nothing covers a launch, a place or the zone."""
    html, loaded = hard_gallery[stem]
    with Chromium(width=390, height=760) as phone:
        page = phone.open(html, init_script=NO_DIALOGS)
        try:
            view = check_first_view(page, map_content(loaded))
            assert view["legendOpen"] == [False]
            assert page.errors == []
        finally:
            page.close()


def test_detailed_coastline_shows_when_zoomed_in(browser, hard_gallery):
    html, _ = hard_gallery["011_pacific_kamchatka"]
    page = browser.open(html)
    try:
        shown = "georange.map.hasLayer(georange.layers['Coastlines and borders in detail'])"
        assert page.evaluate(shown) is False  # the first view is a continent: the backdrop is enough
        page.evaluate("georange.map.setView([53.02, 158.65], 8, {animate: false}); 0")
        assert page.evaluate(shown) is True
        page.evaluate("georange.map.setZoom(4, {animate: false}); 0")
        assert page.evaluate(shown) is False
        assert page.errors == []
    finally:
        page.close()


@pytest.mark.parametrize("stem", ["010_polar_mcmurdo", "011_pacific_kamchatka", "012_global_krichev"])
def test_popups_and_measuring_tool_in_the_azimuthal_plane(browser, hard_gallery, stem):
    """Round the South Pole, across the Pacific and over the whole globe: real clicks open the right popups,
    and the measuring tool's readout is the WGS84 geodesic between the clicked points."""
    html, loaded = hard_gallery[stem]
    claims, surveys = evaluate(loaded.claims, loaded.surveys, shares=False)
    content = map_content(loaded, results=(claims, surveys))
    page = browser.open(html, init_script=NO_DIALOGS)
    try:
        frame = page.evaluate("georange.frame")
        for mark in content.claim_marks:
            _, _, far = GEOD.inv(frame["lon0"], frame["lat0"], mark.lon, mark.lat)
            if far > frame["clip"]:
                continue  # the antipode itself: drawn on the rim, where no direction is defined
            text = click_place(page, mark.lon, mark.lat)
            for r in mark.claims:
                assert f"Claim {'holds' if r.holds else 'FAILS'}" in text and f"Claim {r.claim.id}" in text, \
                    (mark.name, text)
        page.evaluate("georange.map.closePopup(); georange.setup(georange.map, georange.view);"
                      " georange.measure.toggle(); 0")
        points = [(300, 300), (640, 520)]
        lls = measure_between(page, points)
        # The clicked points are where the plane says: their distance on screen from the launch is true.
        scale = page.evaluate("georange.map.options.crs.scale(georange.map.getZoom())")
        launch = page.evaluate("(() => { const p = georange.map.latLngToContainerPoint(georange.ll(0, 0));"
                               " return [p.x, p.y]; })()")
        for (x, y), (lat, lon) in zip(points, lls, strict=True):
            _, _, true = GEOD.inv(frame["lon0"], frame["lat0"], lon, lat)
            assert abs(np.hypot(x - launch[0], y - launch[1]) / scale - true) <= 1.0 / scale + 1.0
        assert page.errors == []
    finally:
        page.close()


def test_online_tiles_map_is_web_mercator_and_works(browser, tmp_path):
    """With online tiles the map is Web Mercator (tiles need it); offline it still loads without errors."""
    content = map_content(load_claims([HARD / "011_pacific_kamchatka.toml"]))
    out = save_map(claim_map(content, online_tiles=True), tmp_path / "tiles.html")
    page = browser.open(out, init_script=NO_DIALOGS)
    try:
        assert page.evaluate("georange.frame.kind") == "mercator"
        assert page.evaluate("georange.map.options.crs === L.CRS.EPSG3857")
        view = page.evaluate(FIRST_VIEW.replace("1 / m.options.crs.scale(m.getZoom())", "0"))
        width, height = view["size"]
        assert {p["name"] for p in view["points"] if not p["launch"]} == {m.name for m in content.claim_marks}
        for p in view["points"]:
            assert 0 <= p["x"] <= width and 0 <= p["y"] <= height and not p["covered"], p
        text = click_place(page, content.claim_marks[0].lon, content.claim_marks[0].lat)
        assert content.claim_marks[0].claims[0].claim.id in text
        assert page.errors == []
    finally:
        page.close()
