"""Interactive claim maps: folium, offline, reproducible and escaped.

:func:`claim_map` returns a :class:`folium.Map` (it displays in Jupyter);
:func:`map_html` renders it and :func:`save_map` writes it atomically.

What the page holds
-------------------
- Leaflet 1.9.3 JavaScript and CSS embedded from the ``xstatic-leaflet``
  package (its images as data URIs), and no ``<script src>``,
  ``<link href>`` or ``url(...)`` pointing anywhere: the page renders with
  no network. OpenStreetMap tiles are offered only on request (``online_tiles``).
- A vector base map of the shipped Natural Earth countries, generalised
  for the web (see :func:`basemap_geojson`).
- For each zone set of :mod:`geo.outputs.mapcontent`, three layers: the reachable
  zone, the dead zone and the outer limit, as GeoJSON from
  :mod:`geo.analysis.zones` (fills without strokes, so the antimeridian cut and the
  pole closure draw no lines; outlines from the true boundary only).
- Places coloured by status, with a tooltip and a popup; the launch; a
  legend, a title, a layer control, a scale bar, a WGS84 geodesic
  measuring tool, and an initial view fitted to the launch and the places.

Drawing
-------
Leaflet shows the map in Web Mercator and clips it at 85.05 degrees; a zone
that holds a pole is closed along latitude 90 and so is filled up to the
map's edge. Leaflet joins vertices with straight lines in Mercator, not in
lon/lat; the vertices are dense enough that the drawn boundary stays within
:data:`geo.outputs.mapcontent.DISPLAY_TOLERANCE_M` plus a few metres of the exact one
(measured in the tests), and coordinates are rounded to 1e-5 degree (1.1 m).

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
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final

import folium
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from folium.map import Layer
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from geo.analysis.launch import LaunchPoint, LaunchRegion
from geo.claims.model import ClaimFile, load_claims
from geo.outputs.atomic import atomic_path
from geo.outputs.mapcontent import STATUS_COLORS, STATUS_LABELS, MapContent, Mark, ZoneSet, map_content
from geo.reference.basemap import basemap_text

__all__ = ["basemap_geojson", "claim_map", "map_html", "save_map"]

_DIGITS: Final = 5  # coordinates rounded to 1e-5 degree (at most 1.1 m)
_BASEMAP_STYLE: Final = {"color": "#9a9a9a", "weight": 0.6, "fillColor": "#f4f1ea", "fillOpacity": 1.0}
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


class _Head(MacroElement):
    """Page title, and Leaflet and georange CSS and JavaScript inline in ``<head>``."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <title>{{ this.title }}</title>
        <style>{{ this.css }}</style>
        <script>{{ this.js }}</script>
        {% endmacro %}
        """
    )

    def __init__(self, title: str):
        super().__init__()
        self._name = "Head"
        self.title = _text(title)
        self.css, self.js = _assets()


# ---------------------------------------------------------------------------
# Geometry as GeoJSON


def _rounded(geometry: BaseGeometry) -> dict[str, Any]:
    geometry = shapely.transform(geometry, lambda xy: np.round(xy, _DIGITS))
    return shapely.geometry.mapping(geometry)  # type: ignore[no-any-return]


def _feature(geometry: BaseGeometry, style: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"style": style}, "geometry": _rounded(geometry)}


def basemap_geojson() -> str:
    """Return the web maps' backdrop (:mod:`geo.reference.basemap`) as script-safe GeoJSON text."""
    return _script_safe(basemap_text())


class _GeoJson(Layer):
    """A GeoJSON layer whose features carry their Leaflet style (``properties.style``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data }}, {
            style: function (f) { return f.properties.style || {{ this.default_style }}; },
            interactive: {{ this.interactive|tojson }},
            attribution: {{ this.attribution|tojson }}
        });
        {%- if this.tooltip %}
        {{ this.get_name() }}.bindTooltip({{ this.tooltip }}, {sticky: true});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, data: str, name: str, *, show: bool = True, overlay: bool = True, control: bool = True,
                 tooltip: str = "", attribution: str = "", style: dict[str, Any] | None = None):
        super().__init__(name=_text(name), overlay=overlay, control=control, show=show)
        self._name = "GeoJson"
        self.data = data
        self.tooltip = _js(tooltip) if tooltip else ""
        self.interactive = bool(tooltip)
        self.attribution = attribution
        self.default_style = _js(style or {})


# ---------------------------------------------------------------------------
# Places and launch points


class _Point(MacroElement):
    """A circle marker with an escaped tooltip and popup and a ``georange`` option for tests."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.circleMarker({{ this.location }}, {{ this.options }})
            .bindTooltip({{ this.tooltip }}, {direction: "top", offset: [0, -6]})
            {%- if this.popup %}.bindPopup({{ this.popup }}, {maxWidth: 420}){%- endif %}
            .addTo({{ this._parent.get_name() }});
        {%- if this.label %}
        L.marker({{ this.location }}, {icon: L.divIcon({className: "georange-label", html: {{ this.label }},
            iconSize: null, iconAnchor: [-9, 8]}), interactive: false, keyboard: false})
            .addTo({{ this._parent.get_name() }});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, lon: float, lat: float, style: dict[str, Any], tooltip: str, popup: str = "",
                 label: str = "", meta: dict[str, Any] | None = None):
        super().__init__()
        self._name = "Place"
        self.location = _js([round(lat, 6), round(lon, 6)])
        self.options = _js({**style, "georange": meta or {}})
        self.tooltip = _js(tooltip)
        self.popup = _js(popup) if popup else ""
        self.label = _js(_text(label)) if label else ""


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


def _place_layer(marks: Sequence[Mark], name: str, *, radius: float, labels: bool, show: bool) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=_text(name), show=show)
    for m in marks:
        meta = {"name": m.name, "status": m.status, "verdict": "" if m.holds is None else
                ("holds" if m.holds else "fails"), "claims": [r.claim.id for r in m.claims], "survey": m.survey}
        group.add_child(_Point(m.lon, m.lat, _mark_style(m, radius), _tooltip_html(m), _popup_html(m),
                               label=m.name if labels else "", meta=meta))
    return group


def _launch_layer(launches: Sequence[LaunchPoint | LaunchRegion]) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=_text("Launch: " + ", ".join(s.label for s in launches)))
    regions = [s for s in launches if isinstance(s, LaunchRegion)]
    if regions:
        data = {"type": "FeatureCollection", "features": [
            _feature(s.geometry, {"color": "#111111", "weight": 2, "fillColor": "#111111", "fillOpacity": 0.08})
            for s in regions]}
        tip = _text("Launch territory: " + ", ".join(s.label for s in regions))
        group.add_child(_GeoJson(_js(data), "launch territory", control=False, tooltip=tip))
    for s in launches:
        if isinstance(s, LaunchPoint):
            tip = f"<b>Launch site: {_text(s.label)}</b><br>{s.lat:.4f}, {s.lon:.4f}"
            group.add_child(_Point(s.lon, s.lat, {"radius": 5, "color": "#ffffff", "weight": 1.5,
                                                  "fillColor": "#111111", "fillOpacity": 1.0}, tip,
                                   label=s.label, meta={"name": s.label, "launch": True}))
    return group


# ---------------------------------------------------------------------------
# Zones


def _zone_layers(zs: ZoneSet, tolerance_m: float) -> list[_GeoJson]:
    note = f" (boundary within {tolerance_m:,.0f} m of the exact WGS84 one)"
    reachable = {"type": "FeatureCollection", "features": [
        _feature(zs.reachable, {"stroke": False, "fillColor": zs.color, "fillOpacity": 0.22})]}
    dead = {"type": "FeatureCollection", "features": [
        _feature(zs.dead_zone, {"stroke": False, "fillColor": "#4d4d4d", "fillOpacity": 0.28}),
        _feature(zs.inner_limit, {"color": zs.color, "weight": 2, "dashArray": "6 5", "fill": False}),
    ]} if not zs.dead_zone.is_empty else None
    outer = {"type": "FeatureCollection", "features": [
        _feature(zs.outer_limit, {"color": zs.color, "weight": 2.5, "fill": False})]}
    layers = [_GeoJson(_js(reachable), f"{zs.label}: reachable zone", show=zs.main)]
    if dead is not None:
        layers.append(_GeoJson(_js(dead), f"{zs.label}: dead zone (under {zs.band.min_km:,.0f} km)", show=zs.main,
                               tooltip=_text(f"{zs.label}: dead zone, every launch point closer than "
                                             f"{zs.band.min_km:,.0f} km{note}")))
    layers.append(_GeoJson(_js(outer), f"{zs.label}: outer limit ({zs.band.max_km:,.0f} km)", show=zs.main,
                           tooltip=_text(f"{zs.label}: outer limit, {zs.band.max_km:,.0f} km from the nearest "
                                         f"launch point{note}")))
    return layers


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
    """Measuring tool, attribution prefix without a link, and the ``window.georange`` hook for tests."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            // Room for the title and layer control (top right) and the legend (bottom right).
            map.fitBounds({{ this.bounds }}, {animate: false, paddingTopLeft: [50, 20],
                                              paddingBottomRight: [Math.min(380, map.getSize().x / 3), 60]});
            map.attributionControl.setPrefix("Leaflet");
            var measure = new window.georange.Measure().addTo(map);
            window.georange.map = map;
            window.georange.measure = measure;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, view: tuple[float, float, float, float]):
        super().__init__()
        self._name = "MapSetup"
        west, south, east, north = view
        self.bounds = _js([[south, west], [north, east]])


def _title_html(content: MapContent) -> str:
    n = len(content.claim_marks)
    held = sum(1 for m in content.claim_marks if m.holds)
    sub = f"{n} claim place{'s' if n != 1 else ''}: {held} with every claim holding" if n else "no claims"
    return f'<h1>{_text(content.title)}</h1><p>{_text(sub)}; WGS84 geodesic zones, georange</p>'


def _legend_html(content: MapContent) -> str:
    rows = ["<h2>Zones</h2>"]
    for zs in content.zone_sets:
        hidden = "" if zs.main else " (scenario; off at first)"
        if zs.band.min_km > 0 and zs.dead_zone.is_empty:
            hidden += f"; no dead zone: no point lies within {zs.band.min_km:,.0f} km of every launch point"
        rows.append(f'<div><span class="georange-swatch" style="background:{zs.color};opacity:0.5"></span>'
                    f"{_text(zs.label)}{_text(hidden)}</div>")
    rows.append('<div><span class="georange-swatch" style="background:#4d4d4d;opacity:0.45"></span>'
                "dead zone: every launch point too close (dashed edge)</div>")
    rows.append('<div><span class="georange-swatch" style="border-top:3px solid #555;height:0"></span>'
                "outer limit (solid line)</div>")
    rows.append("<h2>Places (exact status)</h2>")
    for status in content.legend_statuses:
        colour = STATUS_COLORS[status]
        rows.append(f'<div><span class="georange-dot" style="background:{colour}"></span>'
                    f"{_text(STATUS_LABELS[status])}</div>")
    rows.append('<div><span class="georange-dot" style="background:#fff;border:3px solid #ffd400"></span>'
                "a claim about this place fails</div>")
    notes = [f"Zone boundaries are drawn within {content.tolerance_m:,.0f} m of the exact WGS84 geodesic ones; "
             "statuses and verdicts come from exact distances, not from the drawing.",
             "Click a place for the claim, its source, critical value and robustness; the \u2194 tool measures "
             "geodesic distances."]
    if content.sources:
        notes.append("Sources: " + "; ".join(content.sources))
    rows += [f"<p>{_text(n)}</p>" for n in notes]
    return "".join(rows)


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

    Parameters
    ----------
    claims : path, paths, ClaimFile or MapContent
        Claim files (or directories), loaded claims, or content already
        gathered by :func:`geo.outputs.mapcontent.map_content`.
    title : str
        Map title; defaults to the claim files' titles.
    online_tiles : bool, default False
        Also offer OpenStreetMap tiles as a base layer (it needs a network;
        the vector base map stays the default).
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
    m = folium.Map(location=None, tiles=None, width=width, height=height, control_scale=True, min_zoom=1,
                   max_bounds=True, world_copy_jump=False, prefer_canvas=False)
    m.default_js = []  # Leaflet is embedded by _Head; folium's CDN links are not wanted
    m.default_css = []
    Figure().add_child(m)
    m.add_child(_Head(content.title))
    m.add_child(_GeoJson(basemap_geojson(), "Countries (Natural Earth, offline)", overlay=False,
                         attribution=_ATTRIBUTION, style=_BASEMAP_STYLE))
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=False, show=False).add_to(m)
    for zs in content.zone_sets:
        for layer in _zone_layers(zs, content.tolerance_m):
            m.add_child(layer)
    m.add_child(_launch_layer(content.launches))
    if content.survey_marks:
        m.add_child(_place_layer(content.survey_marks, "Survey places (status from the main launch)", radius=4.5,
                                 labels=False, show=True))
    m.add_child(_place_layer(content.claim_marks, "Claim places", radius=8, labels=True, show=True))
    m.add_child(_Control(_title_html(content), "topright", "georange-title"))
    m.add_child(_Control(_legend_html(content), "bottomright", "georange-legend"))
    m.add_child(_MapSetup(content.view))
    overlays = sum(1 for c in m._children.values() if isinstance(c, Layer) and c.overlay)
    folium.LayerControl(collapsed=overlays > 6, position="topright").add_to(m)
    _deterministic_ids(m.get_root())
    return m


def map_html(m: folium.Map) -> str:
    """Render the map as one self-contained HTML page (deterministic for the same map)."""
    _deterministic_ids(m.get_root())
    return m.get_root().render()


def save_map(m: folium.Map, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the map's HTML atomically; refuse an existing file unless ``overwrite``."""
    text = map_html(m)
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
