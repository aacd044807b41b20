"""Static claim figures: files, reproducibility, safety of user text, and an honest projection.

The projection checks are independent of the drawing code: distances from
the centre come from pyproj's Geod, distances to Belarus from the exact
engine (:class:`geo.geodesy.distance.LaunchArea`), areas from GeographicLib's
polygon areas.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from PIL import Image
from pyproj import Geod

from geo.analysis.launch import LaunchPoint, parse_launch
from geo.analysis.zones import reach_zone
from geo.claims.model import load_claims
from geo.errors import OutputError, OutputExistsError
from geo.geodesy.distance import LaunchArea
from geo.outputs.figure import MAX_RADIUS_KM, PNG_DPI, MapProjection, claim_figure, projection_for, save_figure
from geo.outputs.mapcontent import map_content
from geo.reference.places import lookup_country

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_000 = ROOT / "data" / "claims" / "000_oreshnik_belarus.toml"
GEOD = Geod(ellps="WGS84")
KM = 1000.0
WIDTH_PX = round(210 / 25.4 * PNG_DPI)  # A4 width at the stated resolution: 1,654 px

# (lon, lat) of the places checked against the projection.
KYIV = (30.5234, 50.4501)
LISBON = (-9.1393, 38.7223)

ODD_CLAIM = """\
title = "Odd $x$ title <script>alert(1)</script> with a $ sign and 100% & more"

[source]
article = "odd_$x$_<b>.txt"
outlet = "Outlet <b>bold</b> $\\\\alpha$"

[[claim]]
id = "odd-place"
text = "A claim about $x$ and <b>markup</b>."
from = "Belarus"
min_km = 700
max_km = 5000
place = { name = "Odd $x$ <script>alert(1)</script>", lat = 52.0, lon = 21.0 }
expect = "too_far"
"""


@pytest.fixture(scope="module")
def content():
    return map_content(load_claims([CLAIMS_000]))


@pytest.fixture(scope="module")
def projection(content):
    return projection_for(content)


@pytest.fixture(scope="module")
def png_000(content, tmp_path_factory):
    return save_figure(content, tmp_path_factory.mktemp("fig") / "fig000.png")


# -- files -----------------------------------------------------------------


def test_png_is_a_page_wide_image_and_not_blank(png_000):
    data = png_000.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert abs(width - WIDTH_PX) <= 1
    # The file says its resolution (pHYs, pixels per metre), so it prints A4 wide; and its title.
    at = data.index(b"pHYs")
    x_ppm, y_ppm, unit = struct.unpack(">IIB", data[at + 4:at + 13])
    assert unit == 1 and x_ppm == y_ppm == round(PNG_DPI / 0.0254)
    assert abs(width / (x_ppm * 0.0254) * 25.4 - 210.0) < 0.2  # mm
    with Image.open(png_000) as im:
        assert im.text.get("Title") == "Oreshnik on combat duty in Belarus"
    assert 0.8 * width < height < 1.6 * width
    with Image.open(png_000) as im:
        pixels = np.asarray(im.convert("RGB"), dtype=float)
    assert pixels.std() > 20.0
    # The map holds land, ocean and zone colours, not one flat fill.
    assert len(np.unique(pixels.reshape(-1, 3)[::97], axis=0)) > 50


def test_png_bytes_are_reproducible(content, png_000, tmp_path):
    again = save_figure(content, tmp_path / "again.png")
    assert again.read_bytes() == png_000.read_bytes()


def test_svg_twice_gives_identical_bytes(content, tmp_path):
    first = save_figure(content, tmp_path / "a.svg").read_bytes()
    second = save_figure(content, tmp_path / "b.svg").read_bytes()
    assert first.startswith(b"<?xml")
    assert first == second
    assert b"<dc:date>" not in first


def test_upper_case_extension_is_accepted(content, tmp_path):
    out = save_figure(content, tmp_path / "FIG.SVG")
    assert out.read_bytes().startswith(b"<?xml")


def test_existing_output_is_refused_and_kept(content, tmp_path):
    out = tmp_path / "fig.png"
    out.write_bytes(b"old")
    with pytest.raises(OutputExistsError, match="fig.png: exists"):
        save_figure(content, out)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.png"]  # no temporary file left behind


def test_overwrite_replaces_the_file(content, tmp_path):
    out = tmp_path / "fig.svg"
    out.write_bytes(b"old")
    save_figure(content, out, overwrite=True)
    assert out.read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize("name", ["fig.pdf", "fig.jpg", "fig"])
def test_bad_extension_is_refused(content, tmp_path, name):
    with pytest.raises(OutputError, match=r"unknown figure format .*expected one of \.png, \.svg") as info:
        save_figure(content, tmp_path / name)
    assert name in str(info.value)
    assert "\n" not in str(info.value)
    assert not list(tmp_path.iterdir())


def test_missing_directory_is_refused(content, tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        save_figure(content, tmp_path / "nowhere" / "fig.png")


# -- the figure ----------------------------------------------------------------


def test_figure_has_title_legend_and_caption(content):
    fig = claim_figure(content)
    assert isinstance(fig.canvas, FigureCanvasAgg)
    assert tuple(fig.get_size_inches())[0] == pytest.approx(210 / 25.4)
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert content.title in texts
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert "reachable zone: Oreshnik 700-5,000 km from Belarus" in labels
    assert "launch area: Belarus" in labels
    assert any(label.startswith("place too close") for label in labels)
    caption = next(t for t in texts if "Azimuthal equidistant projection centred on Belarus" in t).replace("\n", " ")
    assert "zones within 100 m of the exact WGS84 geodesic boundaries" in caption
    assert "countries: recognised borders, Natural Earth 5.1.1 admin-0; places: GeoNames" in caption
    assert content.sources[0] in caption
    for name in ("Kyiv", "Warsaw", "Berlin", "Lisbon"):
        assert any(t.startswith(name + "\n") for t in texts)
    # Each claim place's label gives its distance from the launch and its margin, from the exact figures.
    for mark in content.claim_marks:
        label = next(t for t in texts if t.startswith(mark.name + "\n"))
        shown = [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", label.split("\n")[1])]
        assert shown == pytest.approx([mark.nearest_km, mark.farthest_km, mark.margin_km], abs=0.51)
    # Fonts are readable at A4 width.
    assert min(t.get_fontsize() for t in fig.findobj(Text) if t.get_text()) >= 6.5


def test_user_text_is_plain_text(tmp_path):
    path = tmp_path / "odd.toml"
    path.write_text(ODD_CLAIM, encoding="utf-8")
    odd = map_content(load_claims([path]))
    assert odd.claim_marks[0].holds is False  # the place is reachable: the claim fails (yellow ring)
    fig = claim_figure(odd)
    texts = {t.get_text(): t for t in fig.findobj(Text)}
    name = "Odd $x$ <script>alert(1)</script>"
    assert any(t.startswith(name + "\n") for t in texts)
    assert odd.title in " ".join(texts).replace("\n", " ")
    for text in texts.values():
        assert not text.get_usetex()
        if "$" in text.get_text():
            assert not text.get_parse_math()
    # Rendering would raise on bad mathtext ("$\\alpha" unclosed, "$ sign"); both formats must work.
    png = save_figure(odd, tmp_path / "odd.png")
    svg = save_figure(odd, tmp_path / "odd.svg")
    assert png.stat().st_size > 10_000
    data = svg.read_bytes()
    assert b"<script" not in data  # text stays text, escaped, never markup
    assert b"Odd $x$ &lt;script&gt;alert(1)&lt;/script&gt;" in data
    assert b"<dc:title>" in data


# -- the projection ----------------------------------------------------------------


def test_projection_is_centred_on_belarus_and_holds_the_zone(content, projection):
    _, _, belarus = lookup_country("Belarus")
    assert belarus.contains(shapely.Point(projection.lon_0, projection.lat_0))
    zone = content.zone_sets[0]
    xy = shapely.get_coordinates(zone.outer_limit)
    _, _, dist = GEOD.inv(np.full(len(xy), projection.lon_0), np.full(len(xy), projection.lat_0), xy[:, 0], xy[:, 1])
    assert dist.max() / KM < projection.radius_km < 1.1 * dist.max() / KM
    assert projection.radius_km <= MAX_RADIUS_KM


@pytest.mark.parametrize("place", [KYIV, LISBON], ids=["kyiv", "lisbon"])
def test_distances_from_the_centre_are_true(projection, place):
    x, y = projection.xy(*place)
    _, _, expected = GEOD.inv(projection.lon_0, projection.lat_0, *place)
    assert float(np.hypot(x, y)) == pytest.approx(expected, abs=1.0)
    # The inverse takes the point back.
    lon, lat = projection.transformer.transform(x, y, direction="INVERSE")
    assert (float(lon), float(lat)) == pytest.approx(place, abs=1e-9)


def test_radius_is_capped(content):
    far = MapProjection.centred(28.0, 53.5, MAX_RADIUS_KM)
    assert far.radius_km == MAX_RADIUS_KM
    with pytest.raises(ValueError, match="view radius"):
        MapProjection.centred(28.0, 53.5, 19_950.0)


@pytest.fixture(scope="module")
def polar_zone():
    """A 5,000 km reach around Belarus: it holds the North Pole and crosses the antimeridian."""
    zone = reach_zone([parse_launch("Belarus")], 5000, tolerance_m=100)
    assert zone.contains(shapely.Point(0.0, 89.999))
    assert shapely.get_coordinates(zone)[:, 0].min() == -180.0  # split at the antimeridian
    return zone


def test_polar_zone_projects_to_one_polygon_around_the_pole(projection, polar_zone):
    projected = projection.polygons(polar_zone)
    assert projected.is_valid
    assert projected.geom_type == "Polygon"  # the pieces cut at the antimeridian are merged
    assert len(projected.interiors) == 0  # no seam, no slit
    pole = shapely.Point(*projection.xy(0.0, 90.0))
    assert projected.contains(pole)
    assert projected.contains(shapely.Point(0.0, 0.0))
    assert not projected.contains(shapely.Point(*projection.xy(-150.0, 20.0)))  # the Pacific is out of reach


def test_polar_zone_boundary_lies_at_the_range(projection, polar_zone):
    projected = projection.polygons(polar_zone)
    ring = projected.exterior
    points = shapely.line_interpolate_point(ring, np.linspace(0.0, 1.0, 200, endpoint=False), normalized=True)
    xy = shapely.get_coordinates(points)
    lon, lat = projection.transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
    nearest_m, _ = LaunchArea(lookup_country("Belarus")[2]).distances(lon, lat)
    assert np.abs(nearest_m - 5000 * KM).max() < 0.5 * KM


def test_polar_zone_keeps_its_area(projection, polar_zone):
    projected = projection.polygons(polar_zone)
    # Back to lon/lat along the projected ring (dense), measured as a geodesic polygon around the pole.
    ring = shapely.segmentize(projected.exterior, 20 * KM)
    xy = shapely.get_coordinates(ring)
    lon, lat = projection.transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
    area_back, _ = GEOD.polygon_area_perimeter(lon, lat)
    area_exact, _ = GEOD.geometry_area_perimeter(polar_zone)
    assert abs(area_back) == pytest.approx(abs(area_exact), rel=0.01)


def test_lines_cut_at_the_antimeridian_are_joined(projection, content):
    limit = content.zone_sets[0].outer_limit
    projected = projection.lines(limit)
    assert len(limit.geoms) >= 1
    assert projected.geom_type == "MultiLineString"
    assert len(projected.geoms) == 1  # one closed curve around Belarus and the pole
    assert projected.geoms[0].is_closed


def test_view_disk_clips_a_zone_beyond_the_cap():
    krichev = LaunchPoint("Krichev", 31.9172, 53.7347)
    zone = reach_zone([krichev], 19_990, tolerance_m=1000)
    proj = MapProjection.centred(krichev.lon, krichev.lat, MAX_RADIUS_KM)
    projected = proj.polygons(zone)
    assert projected.is_valid
    radius = np.hypot(*shapely.get_coordinates(projected).T)
    assert radius.max() <= proj.radius_m + 1.0 * KM
    assert shapely.area(projected) == pytest.approx(np.pi * proj.radius_m**2, rel=0.01)


def test_the_figure_frames_the_zones_and_claim_places_and_names_far_survey_places():
    """Issue 30: surveyed capitals 2,000 km away no longer shrink a 500 km zone to a speck; the caption names them."""
    content = map_content(load_claims([CLAIMS_000.parent / "001_nuclear_weapons_belarus.toml"]))
    proj = projection_for(content)
    geod = Geod(ellps="WGS84")
    lon0, lat0 = proj.lon_0, proj.lat_0
    outer = shapely.get_coordinates(content.zone_sets[0].outer_limit)
    zone_km = max(geod.inv(lon0, lat0, x, y)[2] for x, y in outer) / 1000.0
    claims_km = max(geod.inv(lon0, lat0, m.lon, m.lat)[2] for m in content.claim_marks) / 1000.0
    assert proj.radius_km <= 1.25 * max(zone_km, claims_km), "the view is set by the zones and the claim places"
    far = [m for m in content.survey_marks if geod.inv(lon0, lat0, m.lon, m.lat)[2] / 1000.0 > proj.radius_km]
    assert len(far) > 5  # Lisbon, Ankara, Oslo...: beyond the view
    texts = [t.get_text().replace("\n", " ") for t in claim_figure(content).findobj(Text)]
    caption = next(t for t in texts if "Azimuthal equidistant projection" in t)
    assert f"{len(far)} places beyond" in caption
    nearest = sorted(far, key=lambda m: geod.inv(lon0, lat0, m.lon, m.lat)[2])[:12]
    for m in nearest:
        assert f"{m.name} (too far)" in caption or f"{m.name} (reachable)" in caption, m.name
