"""Interactive maps: offline, deterministic, escaped, and drawn zones that agree with exact distances.

The zones are read back from the HTML page itself (the plane coordinates
Leaflet draws, in the azimuthal equidistant frame the page declares) and
compared with exact geodesic distances from pyproj's Geod (GeographicLib),
point launches only, so the oracle is one inverse problem per point and
shares no code with geo.analysis.zones. Plane points go back to lon/lat
through PROJ's aeqd, set up here from the page's own frame declaration.
"""

from __future__ import annotations

import functools
import json
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

from mapcases import ANTIMERIDIAN, HOSTILE, HOSTILE_STRINGS, named_geojson_layers, write

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "data" / "claims"
GEOD = Geod(ellps="WGS84")
ANADYR = (177.5103, 64.7342)
KM = 1000.0
# Leaflet draws straight lines in the plane between vertices rounded to 1 m, split until each chord
# is within 5 m of its edge; the bound the tests hold the drawing to, beyond the zones' own tolerance.
DRAWING_SLACK_M = 6.0
HARD = ROOT / "data" / "hardcases"


def page_frame(html: str) -> dict:
    """The frame a page declares (georange.setFrame({...}))."""
    match = re.search(r"georange\.setFrame\((\{.*?\})\);", html)
    assert match, "no frame in the page"
    return json.loads(match.group(1))


def plane(html: str) -> Transformer:
    """lon/lat -> the page's plane metres (always_xy); its inverse goes back."""
    f = page_frame(html)
    assert f["kind"] == "aeqd"
    return Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={f['lat0']} +lon_0={f['lon0']} +ellps=WGS84",
                                always_xy=True)


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
    assert {t for t, _ in parser.tags} <= {"html", "head", "meta", "title", "style", "script", "body", "div",
                                           "svg", "defs", "pattern", "rect", "line"}
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
                  "Oreshnik 700-5,000 km from Krichev base: limits (scenario, dashed)"):
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
    layers = named_geojson_layers(html)
    suffix = {"reachable": ": reachable zone", "dead": ": dead zone (under ", "outer": ": outer limit ("}[role]
    features = next(data for name, data in layers.items() if suffix in name)["features"]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    return geoms[0] if role != "dead" else geoms


def test_drawn_zones_agree_with_exact_distances(antimeridian_page):
    reachable = _zone(antimeridian_page, "reachable")
    dead_fill, _ = _zone(antimeridian_page, "dead")
    to_plane = plane(antimeridian_page)
    rng = np.random.default_rng(5)
    # Uniform on the sphere, plus a dense band around both limits, plus the hard places.
    n = 40_000
    lon = rng.uniform(-180, 180, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    az = rng.uniform(-180, 180, 20_000)
    dist = np.r_[rng.uniform(650, 750, 10_000), rng.uniform(4_950, 5_050, 10_000)] * KM
    blon, blat, _ = GEOD.fwd(np.full(az.size, ANADYR[0]), np.full(az.size, ANADYR[1]), az, dist)
    lon = np.r_[lon, blon, 0.0, 179.999, -179.999, 100.0, -180.0, 180.0]
    lat = np.r_[lat, blat, 89.999, 76.0, 76.0, 89.9, 55.0, 55.0]
    _, _, d = GEOD.inv(np.full(lon.size, ANADYR[0]), np.full(lon.size, ANADYR[1]), lon, lat)
    d = np.asarray(d)
    exact_reachable = (d >= 700 * KM) & (d <= 5000 * KM)
    exact_dead = d < 700 * KM
    slack = DISPLAY_TOLERANCE_M + DRAWING_SLACK_M
    clear = (np.abs(d - 700 * KM) > slack) & (np.abs(d - 5000 * KM) > slack)
    x, y = to_plane.transform(lon, lat)
    in_reachable = shapely.intersects_xy(reachable, x, y)
    in_dead = shapely.intersects_xy(dead_fill, x, y)
    assert clear.sum() > 50_000
    assert np.array_equal(in_reachable[clear], exact_reachable[clear])
    assert np.array_equal(in_dead[clear], exact_dead[clear])
    # The North Pole (3,000 km from Anadyr) is filled, and so is the antimeridian from both sides.
    assert in_reachable[-6:].all()
    # One piece: no cut at the antimeridian, no closure along the pole.
    assert reachable.geom_type == "Polygon" and len(reachable.interiors) == 1  # the dead zone's hole


def _segment_points(html: str, lines, t: float) -> tuple[np.ndarray, np.ndarray]:
    """Points a fraction t along each segment as Leaflet draws it (straight in the plane), as lon/lat."""
    xs, ys = [], []
    for line in shapely.get_parts(lines):
        xy = shapely.get_coordinates(line)
        xs.append(xy[:-1, 0] + t * np.diff(xy[:, 0]))
        ys.append(xy[:-1, 1] + t * np.diff(xy[:, 1]))
    lon, lat = plane(html).transform(np.concatenate(xs), np.concatenate(ys), direction="INVERSE")
    return np.asarray(lon), np.asarray(lat)


@pytest.mark.parametrize("t", [0.0, 0.25, 0.5, 0.75])
def test_drawn_limits_stay_within_the_stated_bound(antimeridian_page, t):
    outer = _zone(antimeridian_page, "outer")
    _, inner = _zone(antimeridian_page, "dead")
    for lines, radius_km in ((outer, 5000.0), (inner, 700.0)):
        lon, lat = _segment_points(antimeridian_page, lines, t)
        _, _, d = GEOD.inv(np.full(lon.size, ANADYR[0]), np.full(lon.size, ANADYR[1]), lon, lat)
        error = np.abs(np.asarray(d) - radius_km * KM)
        assert lon.size > 100
        assert error.max() <= DISPLAY_TOLERANCE_M + DRAWING_SLACK_M, f"{radius_km} km: {error.max():.1f} m"


def test_drawn_outline_has_no_streaks(antimeridian_page):
    outer = _zone(antimeridian_page, "outer")
    parts = list(shapely.get_parts(outer))
    assert len(parts) == 1 and parts[0].is_ring  # one closed curve: nothing cut at the antimeridian
    xy = shapely.get_coordinates(outer)
    assert np.hypot(*np.diff(xy, axis=0).T).max() < 100 * KM  # no segment jumps across the map


@pytest.mark.parametrize(("stem", "lonlat", "radius_km"), [
    ("010_polar_mcmurdo", (166.676, -77.846), 2000.0),
    ("011_pacific_kamchatka", (158.65, 53.02), 5500.0),
    ("012_global_krichev", (31.9172, 53.7347), 19000.0),
    ("013_tiny_minsk", (27.5614, 53.9025), 1.0),
])
def test_hard_cases_are_drawn_whole_and_true(stem, lonlat, radius_km):
    """A cap round the South Pole, a zone across the Pacific, 19,000 km, 1 km: one piece, true radius."""
    html = page(str(HARD / f"{stem}.toml"))
    outer = _zone(html, "outer")
    parts = list(shapely.get_parts(outer))
    assert len(parts) == 1 and parts[0].is_ring
    xy = shapely.get_coordinates(outer)
    r = np.hypot(xy[:, 0], xy[:, 1])  # the frame is centred on the launch: the radius is the distance
    tolerance = min(DISPLAY_TOLERANCE_M, max(1.0, radius_km)) + 1.0
    assert np.abs(r - radius_km * KM).max() <= tolerance
    lon, lat = plane(html).transform(xy[:, 0], xy[:, 1], direction="INVERSE")
    _, _, d = GEOD.inv(np.full(lon.size, lonlat[0]), np.full(lon.size, lonlat[1]), lon, lat)
    assert np.abs(np.asarray(d) - radius_km * KM).max() <= tolerance
    frame = page_frame(html)
    assert (frame["lon0"], frame["lat0"]) == pytest.approx(lonlat)
    reachable = _zone(html, "reachable")
    assert reachable.geom_type == "Polygon" and reachable.is_valid
    if stem == "010_polar_mcmurdo":
        pole = shapely.Point(plane(html).transform(0.0, -90.0))
        assert reachable.contains(pole)


def test_zone_sets_never_share_colour_and_dash():
    loaded = load_claims([HARD / "014_many_scenarios.toml"])
    content = map_content(loaded)
    styles = [(zs.color, zs.dash) for zs in content.zone_sets]
    assert len(content.zone_sets) == 9 and len(set(styles)) == len(styles)
    assert len({c for c, _ in styles}) == len(styles)  # fewer than twelve: every colour differs
    assert [zs.dash == "" for zs in content.zone_sets] == [zs.main for zs in content.zone_sets]


def test_detail_layer_is_the_full_resolution_coastline():
    """Round Petropavlovsk-Kamchatsky the page carries Natural Earth's full coastline, within 150 m (+ 21 m)."""
    from geo.reference.places import load_countries

    html = page(str(HARD / "011_pacific_kamchatka.toml"))
    detail = named_geojson_layers(html)["Coastlines and borders in detail"]["features"]
    land = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in detail[1:]])
    russia = load_countries().set_index("iso_a3").geometry["RUS"]
    near = shapely.intersection(russia, shapely.box(150, 48, 168, 60))
    to_plane = plane(html)
    coast = [np.c_[to_plane.transform(*shapely.get_coordinates(r).T)] for p in shapely.get_parts(near)
             for r in (p.exterior, *p.interiors)]
    exact = shapely.MultiLineString(coast)
    xy = shapely.get_coordinates(land.boundary)
    focus = shapely.geometry.shape(detail[0]["geometry"])
    inner = ~shapely.intersects_xy(focus.boundary.buffer(10.0), xy[:, 0], xy[:, 1])  # not on the focus edge
    inner &= np.hypot(xy[:, 0], xy[:, 1]) < 250_000.0  # round the launch (the other places are elsewhere)
    gap = shapely.distance(shapely.points(xy[inner]), exact)
    assert gap.max() <= 150.0 + 21.0
    # Finer than the generalised backdrop there.
    backdrop = named_geojson_layers(html)["Countries (Natural Earth, offline)"]["features"][1:]
    coarse = np.concatenate([shapely.get_coordinates(shapely.geometry.shape(f["geometry"])) for f in backdrop])
    assert inner.sum() > 3 * (np.hypot(coarse[:, 0], coarse[:, 1]) < 250_000.0).sum() > 0


def test_page_has_language_viewport_and_title(catalogue_page):
    head = catalogue_page[:catalogue_page.index("</head>")]
    assert '<html lang="en">' in head and '<meta charset="utf-8">' in head
    assert '<meta name="viewport" content="width=device-width' in head
    assert head.index('<meta charset="utf-8">') < 200  # within the first 1024 bytes, as HTML asks
    assert "<title>Oreshnik on combat duty in Belarus</title>" in head


def test_the_page_may_be_zoomed_on_a_phone(catalogue_page):
    viewports = re.findall(r'<meta name="viewport" content="([^"]*)"', catalogue_page)
    assert viewports == ["width=device-width, initial-scale=1.0"]


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
    assert "synthetic.txt (2026-01)" in popup and "The claim would be true if the maximum range were at least" in popup



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


@pytest.mark.parametrize(("lon0", "lat0", "degrees", "radius_km"), [
    (27.56, 53.9, 10, 9_000),  # Belarus: holds the North Pole
    (166.67, -77.85, 5, 4_000),  # McMurdo: round the South Pole
    (179.9, -17.0, 2, 2_000),  # Fiji: across the antimeridian
    (31.9, 53.7, 30, 19_500),  # nearly the whole globe
    (27.56, 53.9, 0.5, 500),  # a small zone's fine graticule
])
def test_the_graticule_follows_the_meridians_and_parallels_within_its_tolerance(lon0, lat0, degrees, radius_km):
    from geo.outputs.mapframe import Frame
    from geo.outputs.webmap import _GUIDE_EPS_M

    frame = Frame("aeqd", lon0, lat0)
    lines = frame.graticule(degrees, radius_km * KM, _GUIDE_EPS_M)
    to_plane = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +ellps=WGS84",
                                    always_xy=True)
    xy = shapely.get_coordinates(lines)
    assert np.hypot(xy[:, 0], xy[:, 1]).max() <= radius_km * KM + 1.0
    # Every vertex and chord middle lies on a meridian or a parallel of the step, within the tolerance (the
    # geodesic to the line: along the parallel to the meridian, along the meridian to the parallel); a vertex
    # where a line leaves the disk is on a chord, the others are on the line itself.
    parts = shapely.get_parts(lines)
    for part in parts[:: max(1, len(parts) // 40)]:
        c = shapely.get_coordinates(part)
        lon, lat = to_plane.transform(*np.r_[c, (c[1:] + c[:-1]) / 2].T, direction="INVERSE")
        meridian = np.round((lon + 180.0) / degrees) * degrees - 180.0
        parallel = np.round((lat + 90.0) / degrees) * degrees - 90.0
        off = np.minimum(GEOD.inv(lon, lat, meridian, lat)[2], GEOD.inv(lon, lat, lon, parallel)[2])
        assert off.max() <= _GUIDE_EPS_M * 1.01, f"the graticule strays {off.max():,.0f} m from its lines"
        assert np.sort(off[1:len(c) - 1])[-1:].max(initial=0.0) < 1.0, "an inner vertex off its line"
    # Nothing is missing: points of the lines (spaced by the step, within the radius by exact distance) lie on
    # the drawing.
    grid = np.arange(-180.0, 180.0, degrees)
    samples = [(m, p) for m in grid for p in np.arange(-89.0, 89.5, 1.0)]
    samples += [(m, p) for p in np.arange(-90.0 + degrees, 90.0, degrees) for m in np.arange(-180.0, 180.0, 1.0)]
    lon, lat = np.array(samples).T
    inside = GEOD.inv(np.full(lon.size, lon0), np.full(lon.size, lat0), lon, lat)[2] < radius_km * KM - 10 * KM
    px, py = to_plane.transform(lon[inside], lat[inside])
    gap = shapely.distance(lines, shapely.points(px, py))
    assert gap.max() <= _GUIDE_EPS_M * 1.01, f"graticule missing near {lon[inside][np.argmax(gap)]}, " \
                                              f"{lat[inside][np.argmax(gap)]}"


GALLERY_FILES = sorted([*CATALOGUE.glob("*.toml"), *HARD.glob("*.toml")])


@pytest.mark.parametrize("path", GALLERY_FILES, ids=[p.stem for p in GALLERY_FILES])
def test_every_place_is_drawn_once_and_as_the_zone_it_lies_in(path):
    """A marker's status agrees with the drawn zones of the main launches it refers to (issue 30, truth first).

    Reachable: inside some zone set's reachable zone; too close: inside a dead
    zone and no reachable zone; too far: beyond every zone set's outer limit.
    Places within ten times the drawing's tolerance of a limit (their margin)
    are left out: the drawing is only held to that tolerance there.
    """
    assert_marks_agree_with_zones(map_content(load_claims([path])), path.stem)


def assert_marks_agree_with_zones(content, name: str) -> None:  # type: ignore[no-untyped-def]
    """Each place once, and its marker's status that of the drawn zones it lies in (see the test above)."""
    assert len({(m.lon, m.lat) for m in content.marks}) == len(content.marks), "a place drawn twice"
    main = [zs for zs in content.zone_sets if zs.main]
    checked = 0
    for m in content.marks:
        assert {b.status for b in m.bands} >= {m.status} and m.bands, m.name
        if min(abs(b.margin_km) for b in m.bands) < 10.0 * content.tolerance_m / 1000.0:
            continue
        point = shapely.Point(m.lon, m.lat)
        in_reachable = any(zs.reachable.covers(point) for zs in main)
        in_dead = any(zs.dead_zone.covers(point) for zs in main)
        drawn = "reachable" if in_reachable else "too_close" if in_dead else "too_far"
        if m.status == "mixed":
            assert not in_reachable, m.name
            continue
        assert m.status == drawn, f"{m.name} is drawn {m.status} but lies in the {drawn} zone of {name}"
        checked += 1
    assert checked >= len(content.marks) // 2


def test_a_place_under_two_systems_is_one_marker_showing_the_zone_it_lies_in(tmp_path):
    text = """title = "Two systems, two surveys"
[[claim]]
id = "berlin-iskander"
text = "An Iskander-M fired from Belarus does not reach Berlin."
system = "iskander-m"
from = "Belarus"
place = "Berlin"
expect = "too_far"
[[claim]]
id = "berlin-oreshnik"
text = "An Oreshnik fired from Belarus reaches Berlin."
system = "oreshnik"
from = "Belarus"
place = "Berlin"
expect = "reachable"
[[survey]]
id = "iskander-capitals"
text = "Which of these capitals an Iskander-M from Belarus reaches."
system = "iskander-m"
from = "Belarus"
places = ["Vilnius", "Berlin", "Oslo", "Kyiv"]
[[survey]]
id = "oreshnik-capitals"
text = "Which of these capitals an Oreshnik from Belarus reaches."
system = "oreshnik"
from = "Belarus"
places = ["Vilnius", "Berlin", "Oslo", "Kyiv"]
"""
    content = map_content(load_claims([write(tmp_path, "two.toml", text)]))
    marks = {m.name: m for m in content.marks}
    assert sorted(marks) == ["Berlin", "Kyiv", "Oslo", "Vilnius"], "each place once"
    # Berlin: too far for the Iskander-M, reachable by the Oreshnik: drawn reachable, and the tooltip says both.
    assert marks["Berlin"].status == "reachable" and len(marks["Berlin"].claims) == 2
    assert [b.status for b in marks["Berlin"].bands] == ["too_far", "reachable"]
    tooltip = "\n".join(marks["Berlin"].tooltip())
    assert "Iskander-M" in tooltip and "Oreshnik" in tooltip and "out of reach" in tooltip
    # Kyiv: in the Oreshnik's dead zone, within the Iskander-M's reach: reachable (by the Iskander-M).
    assert {b.status for b in marks["Kyiv"].bands} == {"reachable", "too_close"}
    assert marks["Kyiv"].status == "reachable"
    assert marks["Vilnius"].survey == "iskander-capitals, oreshnik-capitals"
    assert_marks_agree_with_zones(content, "two.toml")


CODE_WORDS = re.compile(r"\b(min_km|max_km|too_close|too_far|not_reachable)\b|<=|>=|(?<![<\w])[<>](?![\w/])")


@pytest.mark.parametrize("path", GALLERY_FILES, ids=[p.stem for p in GALLERY_FILES])
def test_popups_and_tooltips_speak_plain_words(path):
    """Issue 30: no field names or operators ("holds while min_km <= 799.5 km") in what a reader clicks."""
    content = map_content(load_claims([path]))
    for m in content.marks:
        text = "\n".join([*m.tooltip(), *(h for h, _ in m.popup()), *(x for _, lines in m.popup() for x in lines)])
        text = "\n".join(line for line in text.splitlines() if not line.startswith("Claim ") or " " in line[6:])
        found = CODE_WORDS.search(text.replace(" ".join(r.claim.id for r in m.claims), ""))
        assert found is None, f"{m.name}: {found.group(0)!r} in {text!r}"
