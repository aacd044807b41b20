"""Interactive claim maps: folium, offline, reproducible and escaped.

:func:`claim_map` returns a :class:`folium.Map` (it displays in Jupyter);
:func:`map_html` renders it and :func:`save_map` writes it atomically.

What the page holds
-------------------
- Leaflet 1.9.3 JavaScript and CSS embedded from the ``xstatic-leaflet``
  package (its images as data URIs), and no ``<script src>``,
  ``<link href>`` or ``url(...)`` pointing anywhere: the page renders with
  no network. OpenStreetMap tiles are offered only on request (``online_tiles``).
- The plane (:mod:`geo.outputs.mapframe`): an azimuthal equidistant
  projection on WGS84 centred on the launch, declared in the page head and
  used as the map's Leaflet CRS (``webmap.js``). Every vertex is projected
  here, exactly, and the page receives plane metres.
- A vector backdrop: the shipped Natural Earth countries generalised for the
  web (:mod:`geo.reference.basemap`) on a sea disk, country names, a
  graticule and labelled distance rings; from zoom 6.5, full-resolution
  coastlines and borders round the launch and the claim places.
- For each main zone set of :mod:`geo.outputs.mapcontent`, three layers: the
  reachable zone, the dead zone (hatched) and the outer limit, as GeoJSON of
  plane coordinates from :mod:`geo.analysis.zones` (fills without strokes;
  outlines from the true boundary only). Each further scenario is one layer
  of dashed outlines in its own colour and dash.
- Places coloured by status, with a tooltip and a popup; the launch; a
  folding legend, a title, a layer control, a scale bar that says where it
  is true, a WGS84 geodesic measuring tool, labels placed without
  collisions, and a first view fitted to the zones, the launch and the claim
  places, clear of the controls.

Drawing
-------
Leaflet joins vertices with straight lines in the plane. Every lon/lat edge
is split until those chords are within 5 m of its projected image, and the
zones themselves are within :data:`geo.outputs.mapcontent.DISPLAY_TOLERANCE_M`
(or a thousandth of the smallest radius) of the exact boundary; the tests
measure the sum as Leaflet draws it. With ``online_tiles`` the map is Web
Mercator instead (the tiles need it) and the GeoJSON is lon/lat.

Safety and reproducibility
--------------------------
Every text from a claim file or the gazetteer is HTML-escaped before it
becomes markup, and every string is embedded in scripts as JSON with
``<``, ``>`` and ``&`` escaped; Leaflet inserts layer names, tooltips and
popups as HTML, so both steps are needed. Element ids are numbered in tree
order instead of folium's random ids, so the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final

import folium
import numpy as np
import shapely
import shapely.ops
from branca.element import Element, Figure, MacroElement
from folium.map import Layer
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from geo.analysis.bands import km_text
from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchRoute
from geo.claims.model import ClaimFile, load_claims
from geo.geodesy.ellipsoid import WGS84
from geo.geodesy.lonlat import route_lines
from geo.outputs.atomic import atomic_path
from geo.outputs.mapcontent import (
    DISPLAY_TOLERANCE_M,
    STATUS_COLORS,
    STATUS_LABELS,
    MapContent,
    Mark,
    ZoneSet,
    map_content,
)
from geo.outputs.mapframe import Frame, frame_for, launch_centre, mercator_frame, nice_step, view_bounds
from geo.reference.basemap import basemap_names, basemap_polygons, basemap_text

__all__ = ["basemap_geojson", "claim_map", "map_html", "save_map"]

_DIGITS: Final = 5  # lon/lat rounded to 1e-5 degree (at most 1.1 m); plane metres to 1 m
_LAND: Final = "#f3efe4"
_SEA: Final = "#b5d3e7"
_BASEMAP_STYLE: Final = {"color": "#8f8f8f", "weight": 0.6, "fillColor": _LAND, "fillOpacity": 1.0}
_ZONE_EPS_M: Final = 5.0  # plane chords of projected zone edges stay this close to the edges (tested)
_BASE_EPS_M: Final = 500.0  # the backdrop's chords, at least; 1e-4 of the drawn radius on larger maps
_GUIDE_EPS_M: Final = 2_000.0
_DETAIL_SIMPLIFY_M: Final = 150.0
_DETAIL_ZOOM: Final = 6.5  # the detail layer shows from here on (about 1.4 km a pixel)
_RES0: Final = 2.0**17  # metres per pixel at zoom 0 in the azimuthal plane: the globe is 306 px wide
_HATCH: Final = "url(#georange-hatch)"
_ATTRIBUTION: Final = "Countries: Natural Earth (public domain); places: GeoNames (CC-BY 4.0); zones: georange"


# ---------------------------------------------------------------------------
# Escaping


def _text(value: object) -> str:
    """Return text as HTML that shows it literally.

    Backticks and dollar signs are escaped too, so that no hostile text
    survives verbatim even where a careless template puts markup in a
    JavaScript template literal (as folium's own Tooltip and Popup do).
    """
    return html.escape(str(value), quote=True).replace("`", "&#96;").replace("$", "&#36;")


def _js(value: Any) -> str:
    """Return a value as JSON that is safe inside ``<script>`` (no ``<``, ``>``, ``&`` or line separators)."""
    return _script_safe(json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False))


def _script_safe(text: str) -> str:
    """Escape JSON text for a ``<script>`` element."""
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


# ---------------------------------------------------------------------------
# Assets


def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as leaflet

    return Path(leaflet.BASE_DIR)


@functools.cache
def _assets() -> tuple[str, str]:
    """Return (CSS, JavaScript): Leaflet's with images inlined, then georange's own."""
    base = _leaflet_dir()
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode((base / match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)
    # The default attribution prefix links to leafletjs.com; the page must link nowhere.
    js = js.replace('<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">', "<span>")
    js = js.replace('"Leaflet</a>"', '"Leaflet</span>"')
    own = resources.files("geo.outputs")
    css += "\n" + (own / "webmap.css").read_text(encoding="utf-8")
    js += "\n" + (own / "webmap.js").read_text(encoding="utf-8")
    return css, js


class _Page(Figure):
    """The HTML page: a language, a title, the hatch patterns the zones use, and the map."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "    {{this.header.render(**kwargs)}}\n"
        "</head>\n"
        "<body>\n"
        '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
        '<pattern id="georange-hatch" width="7" height="7" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="7" height="7" fill="#5b5b5b" fill-opacity="0.10"/>'
        '<line x1="0" y1="0" x2="0" y2="7" stroke="#3d3d3d" stroke-width="1.6" stroke-opacity="0.55"/>'
        "</pattern></defs></svg>\n"
        "    {{this.html.render(**kwargs)}}\n"
        "</body>\n"
        "<script>\n"
        "    {{this.script.render(**kwargs)}}\n"
        "</script>\n"
        "</html>\n",
    )

    def __init__(self) -> None:
        super().__init__()
        self.header._children.pop("meta_http", None)  # <meta charset> above says it


class _Head(MacroElement):
    """Page title, Leaflet and georange CSS and JavaScript inline in ``<head>``, and the map's plane."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <title>{{ this.title }}</title>
        <style>{{ this.css }}</style>
        <script>{{ this.js }}</script>
        <script>georange.setFrame({{ this.frame }});</script>
        {% endmacro %}
        """
    )

    def __init__(self, title: str, frame: Frame):
        super().__init__()
        self._name = "Head"
        self.title = _text(title)
        self.css, self.js = _assets()
        self.frame = _js({"kind": frame.kind, "lat0": frame.lat0, "lon0": frame.lon0, "res0": _RES0,
                          "clip": frame.clip_m, "centre": frame.centre_label or "the map centre"})


# ---------------------------------------------------------------------------
# Geometry as GeoJSON (frame coordinates)


def _coords(xy: np.ndarray, planar: bool) -> list[Any]:
    if planar:
        return np.round(xy[:, :2]).astype(np.int64).tolist()  # type: ignore[no-any-return]
    return np.round(xy[:, :2], _DIGITS).tolist()  # type: ignore[no-any-return]


def _geometry(geometry: BaseGeometry, planar: bool) -> dict[str, Any] | None:
    """GeoJSON-shaped geometry with rounded coordinates (plane metres for the azimuthal frame)."""
    if geometry.is_empty:
        return None
    kind = geometry.geom_type
    if kind == "Point":
        return {"type": "Point", "coordinates": _coords(shapely.get_coordinates(geometry), planar)[0]}
    if kind == "LineString":
        return {"type": kind, "coordinates": _coords(shapely.get_coordinates(geometry), planar)}
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_coords(shapely.get_coordinates(r), planar)
                                              for r in (geometry.exterior, *geometry.interiors)]}
    parts = [p for p in (_geometry(g, planar) for g in shapely.get_parts(geometry) if not g.is_empty)
             if p is not None]
    if not parts:
        return None
    lines = all(p["type"] in ("LineString", "MultiLineString") for p in parts)
    polys = all(p["type"] in ("Polygon", "MultiPolygon") for p in parts)
    if lines or polys:
        kind = "MultiLineString" if lines else "MultiPolygon"
        single = "LineString" if lines else "Polygon"
        coords = [c for p in parts for c in ([p["coordinates"]] if p["type"] == single else p["coordinates"])]
        return {"type": kind, "coordinates": coords}
    return {"type": "GeometryCollection", "geometries": parts}


def _feature(geometry: dict[str, Any] | None, style: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"style": style}, "geometry": geometry}


def basemap_geojson() -> str:
    """Return the web maps' backdrop (:mod:`geo.reference.basemap`) as script-safe GeoJSON text (lon/lat)."""
    return _script_safe(basemap_text())


def _basemap(frame: Frame) -> tuple[str, list[tuple[str, float, float, float]]]:
    """Return the backdrop in frame coordinates (script-safe GeoJSON) and its country labels (name, x, y, width)."""
    if not frame.planar:
        return basemap_geojson(), []
    names = basemap_names()
    # The backdrop is generalised to about 2 km; chords within a ten-thousandth of the drawn radius suffice.
    projected = frame.many_polygons(basemap_polygons(), max(_BASE_EPS_M, 1e-4 * frame.clip_m))
    sea = frame.disk(frame.clip_m)
    features = [_feature(_geometry(sea, True), {"stroke": False, "fillColor": _SEA, "fillOpacity": 1.0})]
    labels = []
    for name, geometry in zip(names, projected, strict=True):
        if geometry.is_empty:
            continue
        features.append(_feature(_geometry(geometry, True), _BASEMAP_STYLE))
        biggest = max(shapely.get_parts(geometry), key=lambda g: g.area)
        west, south, east, north = biggest.bounds
        spot = shapely.ops.polylabel(biggest, tolerance=max(east - west, north - south) / 40)
        labels.append((name, spot.x, spot.y, min(east - west, 2 * (north - south))))
    return _js({"type": "FeatureCollection", "features": features}), labels


def _detail(frame: Frame, content: MapContent, view: tuple[float, float, float, float]) -> str | None:
    """Full-resolution Natural Earth coastlines and borders round the launch and the claim places.

    The shipped backdrop is generalised to about 2 km; zoomed in, an analyst
    needs the true coastline. Around each launch site and claim place (a cap
    of a fifth of the first view's size, 30 to 200 km; a launch territory
    gets one cap over it) the countries of ``data/countries.parquet`` are
    clipped in lon/lat, projected and drawn to 150 m, over a sea fill that
    hides the generalised backdrop there. The layer shows from
    :data:`_DETAIL_ZOOM` on. Returns script-safe GeoJSON, or None in Mercator.
    """
    if not frame.planar:
        return None
    from geo.analysis.zones import reach_zone
    from geo.reference.places import country_geometries

    xmin, ymin, xmax, ymax = view
    radius_km = min(200.0, max(30.0, 0.2 * max(xmax - xmin, ymax - ymin) / 1000.0))
    caps = [(s.lon, s.lat, radius_km) for s in content.main_launches if isinstance(s, LaunchPoint)]
    caps += [(m.lon, m.lat, radius_km) for m in content.claim_marks]
    for region in (s for s in content.main_launches if isinstance(s, LaunchRegion)):
        lon0, lat0 = launch_centre([region])
        xy = shapely.get_coordinates(region.geometry)
        _, _, far = WGS84.inv(np.full(len(xy), lon0), np.full(len(xy), lat0), xy[:, 0], xy[:, 1])
        if float(np.max(far)) < 1_000_000.0:
            caps.append((lon0, lat0, float(np.max(far)) / 1000.0 + 0.5 * radius_km))
    if not caps:
        return None
    focus = shapely.union_all([reach_zone([LaunchPoint("focus", lon, lat)], r, tolerance_m=200.0)
                               for lon, lat, r in caps])
    shapely.prepare(focus)
    countries = country_geometries()
    countries = countries[shapely.intersects(focus, countries)]
    clipped = [shapely.intersection(g if g.is_valid else shapely.make_valid(g), focus) for g in countries]
    land = [shapely.simplify(g, _DETAIL_SIMPLIFY_M)
            for g in frame.many_polygons([g for g in clipped if not g.is_empty], 20.0)]
    sea = frame.polygons(focus, 200.0)
    features = [_feature(_geometry(sea, True), {"stroke": False, "fillColor": _SEA, "fillOpacity": 1.0})]
    features += [_feature(_geometry(g, True), _BASEMAP_STYLE) for g in land if not g.is_empty]
    return _js({"type": "FeatureCollection", "features": features})


class _GeoJson(Layer):
    """A GeoJSON layer in frame coordinates whose features carry their Leaflet style (``properties.style``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {%- if this.pane %}
        if (!{{ this._parent.get_name() }}.getPane({{ this.pane[0]|tojson }})) {
            {{ this._parent.get_name() }}.createPane({{ this.pane[0]|tojson }}).style.zIndex = {{ this.pane[1] }};
        }
        {%- endif %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data }}, {
            style: function (f) { return f.properties.style || {{ this.default_style }}; },
            {%- if this.pane %}
            pane: {{ this.pane[0]|tojson }},
            {%- endif %}
            coordsToLatLng: georange.coords,
            smoothFactor: {{ this.smooth }},
            interactive: {{ this.interactive|tojson }},
            attribution: {{ this.attribution|tojson }}
        });
        {%- if this.tooltip %}
        {{ this.get_name() }}.bindTooltip({{ this.tooltip }}, {sticky: true});
        {%- endif %}
        georange.layers[{{ this.layer_name|tojson }}] = {{ this.get_name() }};
        {%- if this.min_zoom is not none %}
        georange.fromZoom({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.min_zoom }});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, data: str, name: str, *, show: bool = True, overlay: bool = True, control: bool = True,
                 tooltip: str = "", attribution: str = "", style: dict[str, Any] | None = None,
                 smooth: float = 0.1, min_zoom: float | None = None, pane: tuple[str, int] | None = None):
        super().__init__(name=_text(name), overlay=overlay, control=control, show=show and min_zoom is None)
        self._name = "GeoJson"
        self.pane = pane  # (name, z-index): the backdrop and its detail sit under every overlay (z-index 400)
        self.min_zoom = min_zoom  # shown only from this zoom on (and then not in the layer list)
        self.smooth = smooth  # Leaflet's simplification in pixels (its default 1 shows facets on small circles)
        self.data = data
        self.tooltip = _js(tooltip) if tooltip else ""
        self.interactive = bool(tooltip)
        self.attribution = attribution
        self.default_style = _js(style or {})


class _Labels(MacroElement):
    """Text labels placed without collisions by ``georange.declutter``: [x, y, text, minZoom] in frame coordinates."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.labels }}.forEach(function (l) {
            georange.label(georange.ll(l[0], l[1]), l[2], {priority: {{ this.priority }}, minZoom: l[3],
                css: {{ this.css|tojson }}}).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, labels: Sequence[tuple[float, float, str, float | None]], priority: float, css: str):
        super().__init__()
        self._name = "Labels"
        self.labels = _js([[round(x), round(y), _text(t), z] for x, y, t, z in labels])
        self.priority = priority
        self.css = css


# ---------------------------------------------------------------------------
# Places and launch points


class _Point(MacroElement):
    """A circle marker with an escaped tooltip and popup, a decluttered label, and a ``georange`` option for tests."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.circleMarker(georange.ll({{ this.x }}, {{ this.y }}), {{ this.options }})
            .bindTooltip({{ this.tooltip }}, {direction: "top", offset: [0, -6]})
            {%- if this.popup %}.bindPopup({{ this.popup }}, {maxWidth: 420}){%- endif %}
            .addTo({{ this._parent.get_name() }});
        {%- if this.label %}
        georange.label({{ this.get_name() }}.getLatLng(), {{ this.label }},
            {priority: {{ this.priority }}, gap: {{ this.gap }}}).addTo({{ this._parent.get_name() }});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, frame: Frame, lon: float, lat: float, style: dict[str, Any], tooltip: str, popup: str = "",
                 label: str = "", meta: dict[str, Any] | None = None, priority: float = 3.0):
        super().__init__()
        self._name = "Place"
        x, y = frame.project(np.array([lon]), np.array([lat]))
        digits = 2 if frame.planar else 6
        self.x, self.y = _js(round(float(x[0]), digits)), _js(round(float(y[0]), digits))
        self.options = _js({**style, "georange": meta or {}})
        self.tooltip = _js(tooltip)
        self.popup = _js(popup) if popup else ""
        self.label = _js(_text(label)) if label else ""
        self.priority = priority
        self.gap = round(style.get("radius", 4) + 4)


def _lines_html(lines: Iterable[str]) -> str:
    return "".join(f"<p>{_text(line)}</p>" for line in lines)


def _tooltip_html(mark: Mark) -> str:
    head, *rest = mark.tooltip()
    return f"<b>{_text(head)}</b><br>" + "<br>".join(_text(x) for x in rest)


def _popup_html(mark: Mark) -> str:
    sections = "".join(f"<h3>{_text(h)}</h3>{_lines_html(lines)}" for h, lines in mark.popup())
    return f'<div class="georange-popup"><h3>{_text(mark.name)}</h3>{sections}</div>'


def _mark_style(mark: Mark, radius: float) -> dict[str, Any]:
    fails = mark.holds is False
    return {"radius": radius, "color": "#ffd400" if fails else "#111111", "weight": 3 if fails else 1.5,
            "fillColor": STATUS_COLORS[mark.status], "fillOpacity": 1.0}


def _place_layer(frame: Frame, marks: Sequence[Mark], name: str, *, radius: float, priority: float,
                 show: bool) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=_text(name), show=show)
    for m in marks:
        meta = {"name": m.name, "status": m.status, "verdict": "" if m.holds is None else
                ("holds" if m.holds else "fails"), "claims": [r.claim.id for r in m.claims], "survey": m.survey}
        group.add_child(_Point(frame, m.lon, m.lat, _mark_style(m, radius), _tooltip_html(m), _popup_html(m),
                               label=m.name, meta=meta, priority=priority))
    return group


def _launch_layer(frame: Frame, launches: Sequence[LaunchPoint | LaunchRegion]) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=_text("Launch: " + ", ".join(s.label for s in launches)))
    regions = [s for s in launches if isinstance(s, LaunchRegion) and not isinstance(s, LaunchRoute)]
    routes = [s for s in launches if isinstance(s, LaunchRoute)]
    for route in routes:  # a line along its geodesic legs, named in its tooltip
        style = {"color": "#111111", "weight": 3, "opacity": 0.9}
        drawn = route_lines(route.geometry, DISPLAY_TOLERANCE_M)
        lines = _geometry(frame.lines(drawn, _ZONE_EPS_M), frame.planar)
        data = {"type": "FeatureCollection", "features": [_feature(lines, style)] if lines else []}
        group.add_child(_GeoJson(_js(data), "launch route", control=False,
                                 tooltip=_text("Launch route: " + route.label)))
    if regions:
        style = {"color": "#111111", "weight": 2, "fillColor": "#111111", "fillOpacity": 0.08}
        data = {"type": "FeatureCollection", "features": [
            _feature(_geometry(g, frame.planar), style)
            for g in frame.many_polygons([s.geometry for s in regions], _ZONE_EPS_M)]}
        tip = _text("Launch territory: " + ", ".join(s.label for s in regions))
        group.add_child(_GeoJson(_js(data), "launch territory", control=False, tooltip=tip))
    points = [s for s in launches if isinstance(s, LaunchPoint)]
    # One launch site is always named; several are named where their labels fit.
    priority = 4.0 if len(points) == 1 else 2.5
    for s in launches:
        if isinstance(s, LaunchPoint):
            tip = f"<b>Launch site: {_text(s.label)}</b><br>{s.lat:.4f}, {s.lon:.4f}"
            group.add_child(_Point(frame, s.lon, s.lat, {"radius": 5, "color": "#ffffff", "weight": 1.5,
                                                         "fillColor": "#111111", "fillOpacity": 1.0}, tip,
                                   label=s.label, meta={"name": s.label, "launch": True}, priority=priority))
    return group


# ---------------------------------------------------------------------------
# Zones


def zone_layer_names(zs: ZoneSet) -> list[str]:
    """Return the layer-control names of a zone set's layers, in order."""
    if not zs.main:
        return [f"{zs.label}: limits (scenario, dashed)"]
    names = [f"{zs.label}: reachable zone"]
    if not zs.dead_zone.is_empty:
        names.append(f"{zs.label}: dead zone (under {km_text(zs.band.min_km)} km)")
    names.append(f"{zs.label}: outer limit ({km_text(zs.band.max_km)} km)")
    return names


def _dash_array(zs: ZoneSet) -> str:
    """Return a scenario's dash pattern (in line widths) as an SVG dasharray in pixels for its 2.2 px outline."""
    return " ".join(str(float(d) * 2.0).removesuffix(".0") for d in zs.dash.split())


def _zone_layers(frame: Frame, zs: ZoneSet, tolerance_m: float, show: bool) -> list[_GeoJson]:
    note = f" (boundary within {tolerance_m:,.0f} m of the exact WGS84 one)"
    planar = frame.planar
    outer = _geometry(frame.lines(zs.outer_limit, _ZONE_EPS_M), planar)
    inner = _geometry(frame.lines(zs.inner_limit, _ZONE_EPS_M), planar)
    names = zone_layer_names(zs)
    min_text, max_text = km_text(zs.band.min_km), km_text(zs.band.max_km)
    if not zs.main:
        dash = _dash_array(zs)
        limits = {"type": "FeatureCollection", "features": [
            _feature(outer, {"color": zs.color, "weight": 2.2, "dashArray": dash, "fill": False}),
            _feature(inner, {"color": zs.color, "weight": 1.4, "dashArray": dash, "fill": False})]}
        tip = f"{zs.label} (scenario): outer limit {max_text} km" + (f", dead zone under {min_text} km"
                                                                    if inner else "") + note
        return [_GeoJson(_js(limits), names[0], show=show, tooltip=_text(tip))]
    reachable = {"type": "FeatureCollection", "features": [
        _feature(_geometry(frame.polygons(zs.reachable, _ZONE_EPS_M), planar),
                 {"stroke": False, "fillColor": zs.color, "fillOpacity": 0.16})]}
    layers = [_GeoJson(_js(reachable), names[0], show=True)]
    if not zs.dead_zone.is_empty:
        dead = {"type": "FeatureCollection", "features": [
            _feature(_geometry(frame.polygons(zs.dead_zone, _ZONE_EPS_M), planar),
                     {"stroke": False, "fillColor": _HATCH, "fillOpacity": 1.0}),
            _feature(inner, {"color": zs.color, "weight": 2, "dashArray": "6 5", "fill": False}),
        ]}
        layers.append(_GeoJson(_js(dead), names[1], show=True,
                               tooltip=_text(f"{zs.label}: dead zone, every launch point closer than "
                                             f"{min_text} km{note}")))
    limit = {"type": "FeatureCollection", "features": [
        _feature(outer, {"color": zs.color, "weight": 2.5, "fill": False})]}
    layers.append(_GeoJson(_js(limit), names[-1], show=True,
                           tooltip=_text(f"{zs.label}: outer limit, {max_text} km from the nearest "
                                         f"launch point{note}")))
    return layers


# ---------------------------------------------------------------------------
# Flight-time rings

_ISOCHRONE_COLOR: Final = "#5b2c6f"


def _isochrone_layer(frame: Frame, content: MapContent) -> _GeoJson | None:
    """Return the flight-time rings as dotted lines, each labelled with its minutes at bearing 160 degrees."""
    if not content.isochrones:
        return None
    first = content.isochrones[0]
    features, labels = [], []
    for ring in content.isochrones:
        line = frame.lines(ring.line, _GUIDE_EPS_M)
        if line.is_empty:
            continue
        features.append(_feature(_geometry(line, frame.planar),
                                 {"color": _ISOCHRONE_COLOR, "weight": 1.4, "dashArray": "1 4", "opacity": 0.9}))
        xy = shapely.get_coordinates(line)
        if frame.planar:  # the label where the ring crosses bearing 160 from the centre (the km labels are at 200)
            bearing = np.degrees(np.arctan2(xy[:, 0], xy[:, 1])) % 360.0
            k = int(np.argmin(np.abs(((bearing - 160.0) + 180.0) % 360.0 - 180.0)))
        else:
            k = int(np.argmin(xy[:, 1]))
        labels.append((float(xy[k, 0]), float(xy[k, 1]), ring.label, None))
    if not features:
        return None
    name = f"Flight times of the {first.system} from {first.launch} (minutes)"
    layer = _GeoJson(_js({"type": "FeatureCollection", "features": features}), name, show=True,
                     tooltip=_text(f"{name}: {content.isochrone_note}"))
    layer.add_child(_Labels(labels, 0.6, "georange-time-label"))
    return layer


# ---------------------------------------------------------------------------
# Graticule and distance rings


def _guides(frame: Frame, view: tuple[float, float, float, float]) -> tuple[_GeoJson, list[Any], float] | None:
    """Graticule and labelled distance rings around the centre (azimuthal frame only)."""
    if not frame.planar:
        return None
    xmin, ymin, xmax, ymax = view
    reach = max(abs(xmin), abs(xmax), abs(ymin), abs(ymax), 1.0)
    step = nice_step(reach)
    limit = min(frame.clip_m, 2.5 * reach + 500_000.0)
    radii = [step * k for k in range(1, 41) if step * k < limit]
    degrees = next((d for d in (0.5, 1, 2, 5, 10, 15, 30) if d * 111_000 * 4 >= reach), 30)
    graticule = frame.graticule(degrees, limit, _GUIDE_EPS_M)
    data = {"type": "FeatureCollection", "features": [
        _feature(_geometry(graticule, True), {"color": "#6f7f8f", "weight": 0.5, "opacity": 0.45})]}
    name = (f"Graticule ({degrees:g}\u00b0) and distance rings from {frame.centre_label} "
            f"(every {km_text(step / 1000)} km)")
    layer = _GeoJson(_js(data), name, show=True)
    # The rings are circles round the centre of the plane: exact as Leaflet circles of plane radius.
    layer.add_child(_Rings(radii))
    az = np.radians(200.0)
    labels = [(r * np.sin(az), r * np.cos(az), f"{km_text(r / 1000)} km", None) for r in radii]
    return layer, labels, step


class _Rings(MacroElement):
    """Circles of the given radii (plane metres) round the frame's centre, added to the parent layer."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.radii }}.forEach(function (r) {
            {{ this._parent.get_name() }}.addLayer(L.circle(georange.ll(0, 0), {radius: r, color: "#44525f",
                weight: 0.9, opacity: 0.65, dashArray: "3 5", fill: false, interactive: false}));
        });
        {% endmacro %}
        """
    )

    def __init__(self, radii: Sequence[float]):
        super().__init__()
        self._name = "Rings"
        self.radii = _js([round(r, 3) for r in radii])


# ---------------------------------------------------------------------------
# Title, legend, measuring tool


class _Control(MacroElement):
    """A Leaflet control holding fixed HTML (already escaped)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, markup: str, position: str, css_class: str):
        super().__init__()
        self._name = "Control"
        self.html = _js(markup)
        self.position = position
        self.css_class = css_class


class _MapSetup(MacroElement):
    """Measuring tool, scale bar, attribution prefix, the first view, and the ``window.georange`` hook for tests."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            map.attributionControl.setPrefix("Leaflet");
            var measure = new window.georange.Measure().addTo(map);
            new window.georange.Scale().addTo(map);
            window.georange.map = map;
            window.georange.measure = measure;
            window.georange.view = {{ this.bounds }};
            window.georange.setup(map, {{ this.bounds }});
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, view: tuple[float, float, float, float]):
        super().__init__()
        self._name = "MapSetup"
        xmin, ymin, xmax, ymax = view
        self.bounds = _js([[xmin, ymin], [xmax, ymax]])


def _title_html(content: MapContent) -> str:
    n = len(content.claim_marks)
    held = sum(1 for m in content.claim_marks if m.holds)
    if n:
        sub = f"{n} claim place{'s' if n != 1 else ''}: {held} with every claim holding"
    else:  # a survey: what its places came to
        counts = Counter(m.status for m in content.marks)
        sub = f"{len(content.marks)} place{'s' if len(content.marks) != 1 else ''} surveyed" + "".join(
            f", {counts[s]} {str(s).replace('_', ' ')}" for s in content.legend_statuses if counts[s])
    return f'<h1>{_text(content.title)}</h1><p>{_text(sub)}; WGS84 geodesic zones, georange</p>'


def _line_swatch(color: str, dash: str = "", width: float = 2.5) -> str:
    dash_attr = f' stroke-dasharray="{_text(dash)}"' if dash else ""
    return (f'<svg class="georange-swatch" width="26" height="12" aria-hidden="true"><line x1="1" y1="6" x2="25" '
            f'y2="6" stroke="{color}" stroke-width="{width}"{dash_attr}/></svg>')


def _legend_html(content: MapContent, frame: Frame, ring_step: float | None) -> str:
    rows = ["<h2>Zones</h2>"]
    for zs in content.zone_sets:
        if zs.main:
            note = ""
            if zs.band.min_km > 0 and zs.dead_zone.is_empty:
                note = f"; no dead zone: no point lies within {km_text(zs.band.min_km)} km of every launch point"
            rows.append(f'<div><span class="georange-swatch" style="background:{zs.color};opacity:0.45;'
                        f'outline:2px solid {zs.color}"></span>{_text(zs.label)}{_text(note)}</div>')
        else:
            dash = _dash_array(zs)
            rows.append(f"<div>{_line_swatch(zs.color, dash, 2.2)}{_text(zs.label)} (scenario: outlines)</div>")
    if any(zs.main and not zs.dead_zone.is_empty for zs in content.zone_sets):
        rows.append('<div><svg class="georange-swatch" width="26" height="12" aria-hidden="true">'
                    f'<rect width="26" height="12" fill="{_HATCH}"/></svg>'
                    "dead zone: every launch point too close (hatched, dashed edge)</div>")
    rows.append(f"<div>{_line_swatch('#555')}outer limit (solid line)</div>")
    if content.isochrones:
        first = content.isochrones[0]
        rows.append(f"<div>{_line_swatch(_ISOCHRONE_COLOR, '1 4', 1.4)}flight time of the {_text(first.system)} "
                    f"from {_text(first.launch)}, minutes (dotted)</div>")
    rows.append("<h2>Places (exact status)</h2>")
    for status in content.legend_statuses:
        colour = STATUS_COLORS[status]
        rows.append(f'<div><span class="georange-dot" style="background:{colour}"></span>'
                    f"{_text(STATUS_LABELS[status])}</div>")
    rows.append('<div><span class="georange-dot" style="background:#fff;border:3px solid #ffd400"></span>'
                "a claim about this place fails</div>")
    if frame.planar:
        notes = [f"Azimuthal equidistant projection on WGS84 centred on {frame.centre_label}: every distance and "
                 "direction from there is true; far from it, shapes stretch across the radial direction."]
        if ring_step:
            notes.append(f"Dashed grey circles: every {km_text(ring_step / 1000)} km from {frame.centre_label}.")
    else:
        notes = ["Web Mercator (for the online tiles): distances are true only near the map centre."]
    notes += [f"Zone boundaries are drawn within {content.tolerance_m:,.0f} m of the exact WGS84 geodesic ones; "
              "statuses and verdicts come from exact distances, not from the drawing.",
              "Click a place for the claim, its source, critical value and robustness; the \u2194 tool measures "
              "geodesic distances."]
    if content.isochrone_note:
        notes.append(content.isochrone_note[0].upper() + content.isochrone_note[1:] + ".")
    notes.append(f"Launch territories: {content.borders_text}.")
    if content.sources:
        notes.append("Sources: " + "; ".join(content.sources))
    rows += [f"<p>{_text(n)}</p>" for n in notes]
    return ('<details class="georange-legend" open><summary>Legend</summary><div class="georange-legend-body">'
            + "".join(rows) + "</div></details>")


# ---------------------------------------------------------------------------
# The map


def _deterministic_ids(root: Element) -> None:
    """Give every element an id from its position in the tree, replacing folium's random ids."""
    counter = 0

    def visit(element: Element) -> None:
        nonlocal counter
        counter += 1
        element._id = f"{counter:05d}"
        for child in element._children.values():
            visit(child)
        if isinstance(element, Figure):
            for part in (element.header, element.html, element.script):
                visit(part)

    visit(root)


def claim_map(
    claims: str | Path | Sequence[str | Path] | ClaimFile | MapContent,
    *,
    title: str = "",
    online_tiles: bool = False,
    width: int | str = "100%",
    height: int | str = "100%",
) -> folium.Map:
    """Return an interactive map of claims as a :class:`folium.Map`.

    The map is drawn in the azimuthal equidistant plane centred on the main
    launch (:mod:`geo.outputs.mapframe`): zones around a pole, across the
    antimeridian or over most of the globe are drawn whole, and distances
    from the launch are true on screen. With ``online_tiles`` it is Web
    Mercator instead, as the tiles require.

    Parameters
    ----------
    claims : path, paths, ClaimFile or MapContent
        Claim files (or directories), loaded claims, or content already
        gathered by :func:`geo.outputs.mapcontent.map_content`.
    title : str
        Map title; defaults to the claim files' titles.
    online_tiles : bool, default False
        Draw in Web Mercator and offer OpenStreetMap tiles as a base layer
        (they need a network; the vector base map stays the default).
    width, height : int or str
        Size of the map (pixels or CSS lengths); the default fills the page.

    Raises
    ------
    ClaimFormatError
        If a claim file is bad (see :func:`geo.claims.model.load_claims`).

    Notes
    -----
    In Jupyter, ``claim_map("data/claims/000_oreshnik_belarus.toml")`` as
    the last expression of a cell displays the map (README has a doctest).
    """
    if isinstance(claims, MapContent):
        content = claims
    else:
        loaded = claims if isinstance(claims, ClaimFile) else load_claims(
            [claims] if isinstance(claims, str | Path) else claims)
        content = map_content(loaded, title=title)
    frame = mercator_frame() if online_tiles else frame_for(content)
    if frame.planar:
        m = folium.Map(location=None, tiles=None, width=width, height=height, crs="Georange", min_zoom=0,
                       max_zoom=21, zoom_snap=0, zoom_delta=1, prefer_canvas=False)
    else:
        m = folium.Map(location=None, tiles=None, width=width, height=height, min_zoom=1, max_bounds=True,
                       world_copy_jump=False, prefer_canvas=False)
    m.default_js = []  # Leaflet is embedded by _Head; folium's CDN links are not wanted
    m.default_css = []
    _Page().add_child(m)
    m.add_child(_Head(content.title, frame))
    base, country_labels = _basemap(frame)
    m.add_child(_GeoJson(base, "Countries (Natural Earth, offline)", overlay=False, attribution=_ATTRIBUTION,
                         style=_BASEMAP_STYLE, smooth=1.0, pane=("georangeBase", 380)))
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=False, show=False).add_to(m)
    view = view_bounds(frame, content)
    detail = _detail(frame, content, view)
    if detail is not None:
        m.add_child(_GeoJson(detail, "Coastlines and borders in detail", control=False, style=_BASEMAP_STYLE,
                             smooth=1.0, min_zoom=_DETAIL_ZOOM, pane=("georangeDetail", 390)))
    guides = _guides(frame, view)
    ring_step = None
    if guides is not None:
        layer, ring_labels, ring_step = guides
        layer.add_child(_Labels(ring_labels, 0.5, "georange-ring-label"))
        m.add_child(layer)
    if country_labels:
        names = folium.FeatureGroup(name="Country names", show=True)
        # A name shows once its country is wider on screen than the name (about 7 px a letter).
        names.add_child(_Labels([(x, y, n, round(math.log2(max(7.0 * len(n), 1.0) * _RES0 / max(w, 1.0)), 2))
                                 for n, x, y, w in country_labels], 0.0, "georange-country"))
        m.add_child(names)
    scenarios = sum(1 for zs in content.zone_sets if not zs.main)
    for zs in content.zone_sets:
        for layer in _zone_layers(frame, zs, content.tolerance_m, show=zs.main or scenarios <= 3):
            m.add_child(layer)
    isochrones = _isochrone_layer(frame, content)
    if isochrones is not None:
        m.add_child(isochrones)
    m.add_child(_launch_layer(frame, content.launches))
    if content.survey_marks:
        m.add_child(_place_layer(frame, content.survey_marks, "Survey places (status from the main launch)",
                                 radius=4.5, priority=1.0, show=True))
    m.add_child(_place_layer(frame, content.claim_marks, "Claim places", radius=8, priority=3.0, show=True))
    m.add_child(_Control(_title_html(content), "topright", "georange-title"))
    m.add_child(_Control(_legend_html(content, frame, ring_step), "bottomright", "georange-legend-box"))
    overlays = sum(1 for c in m._children.values() if isinstance(c, Layer) and c.overlay)
    folium.LayerControl(collapsed=overlays > 6, position="topright").add_to(m)
    m.add_child(_MapSetup(view))
    _deterministic_ids(m.get_root())
    return m


_LOCKED_VIEWPORT: Final = re.compile(r'<meta name="viewport" content="width=device-width,\s*initial-scale=1\.0, '
                                     r'maximum-scale=1\.0, user-scalable=no" />')
_VIEWPORT: Final = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'


def map_html(m: folium.Map) -> str:
    """Render the map as one self-contained HTML page (deterministic for the same map).

    folium's page forbids zooming it on a phone (``user-scalable=no``); a
    reader who needs larger text may (WCAG 1.4.4), while the map still
    takes its own pinch zoom.
    """
    _deterministic_ids(m.get_root())
    return _LOCKED_VIEWPORT.sub(_VIEWPORT, m.get_root().render(), count=1)


def save_map(m: folium.Map, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the map's HTML atomically; refuse an existing file unless ``overwrite``."""
    text = map_html(m)
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
