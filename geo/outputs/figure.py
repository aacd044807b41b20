"""Static claim figures: matplotlib, one page wide, reproducible and escaped.

:func:`claim_figure` draws a :class:`geo.outputs.mapcontent.MapContent` as a
:class:`matplotlib.figure.Figure` (no pyplot, no global state) and
:func:`save_figure` writes it atomically as PNG (200 dpi) or SVG.

Projection
----------
The map is azimuthal equidistant (``+proj=aeqd`` on WGS84) centred on the
main launch, and shows the disk of the points within ``radius_km`` of that
centre, up to the whole globe but the antipode's neighbourhood
(:data:`MAX_RADIUS_KM`) and down to a few hundred metres
(:data:`MIN_RADIUS_KM`). Range zones are sets of points within some
distance of the launch, so this is the projection that shows them honestly:
distances from the centre are true (PROJ computes them as ellipsoidal
geodesics), a zone that holds a pole is drawn around the pole instead of as
a band along the top of a map, and nothing is cut at the antimeridian. Away
from the centre, shapes and areas are stretched across the radial direction
(by 15 % at 5,800 km, without bound towards the antipode). Labelled circles
every round distance from the centre give the scale in every direction.

Lon/lat geometry is projected by :class:`geo.outputs.mapframe.Frame`, as the
web map's is: clipped to the view disk in lon/lat, densified until each
drawn chord is within :data:`DRAW_SIMPLIFY` of the disk's radius (a small
fraction of a pixel) of the projected edge, and reassembled across the
antimeridian and the poles. The zones' own error bound (``tolerance_m``)
holds for the drawing plus that fraction of a pixel.

Text
----
Titles, names and sources come from user files. They are drawn as plain
text: mathtext (``$...$``) and TeX are switched off on every text artist,
and markup such as ``<b>`` is shown as typed. SVG text stays text (it can
be searched, selected and edited), XML-escaped by matplotlib, so no user
string becomes SVG markup. The title is the file's title metadata (PNG
``Title``, SVG ``dc:title``).

Size
----
The figure is A4 wide (210 mm, :data:`A4_WIDTH_IN`) and the PNG states its
resolution (:data:`PNG_DPI`, in the ``pHYs`` chunk), so it prints at A4
width exactly.

Reproducibility
---------------
Fonts and sizes are fixed in an rc context, the creation date is left out
of the file metadata and SVG ids are salted with a constant, so the same
content gives the same bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

import matplotlib
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from matplotlib.typing import RcKeyType
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from geo.analysis.bands import km_text
from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchRoute, LaunchSource
from geo.errors import InvalidRangeError, OutputError
from geo.geodesy.lonlat import orient, polygonal, route_lines
from geo.outputs.atomic import atomic_path, output_format
from geo.outputs.mapcontent import (
    DISPLAY_TOLERANCE_M,
    STATUS_COLORS,
    STATUS_LABELS,
    Isochrone,
    MapContent,
    Mark,
    ZoneSet,
)
from geo.outputs.mapframe import Frame, content_centre, content_reach_m, nice_step
from geo.reference.basemap import basemap_polygons

__all__ = [
    "A4_WIDTH_IN",
    "FIGURE_FORMATS",
    "MAX_RADIUS_KM",
    "MIN_RADIUS_KM",
    "MapProjection",
    "claim_figure",
    "projection_for",
    "save_figure",
]

FloatArray = NDArray[np.float64]
_A = TypeVar("_A", bound=Artist)

FIGURE_FORMATS: Final = {".png": "png", ".svg": "svg"}
"""Output extensions accepted by :func:`save_figure` and their matplotlib formats."""
MAX_RADIUS_KM: Final = 19_900.0
"""Largest radius of the view disk, in km: the whole globe but 104 km round the antipode."""
MIN_RADIUS_KM: Final = 0.25
"""Smallest radius of the view disk, in km (a 1 km ring is drawn large)."""
VIEW_MARGIN: Final = 0.08
"""The view disk reaches this fraction beyond the farthest outer limit or place."""
DRAW_SIMPLIFY: Final = 1.0 / 20_000.0
"""Drawn geometry is simplified by this fraction of the map's diameter (sub-pixel)."""
PNG_DPI: Final = 200
A4_WIDTH_IN: Final = 210.0 / 25.4
"""The figure's width: A4 (210 mm)."""


_OCEAN: Final = "#d4e6f1"
_LAND: Final = "#f4f1ea"
_BORDER: Final = "#9a9a9a"
_DEAD: Final = "#4d4d4d"
_FAILS: Final = "#ffd400"
_LAUNCH_FILL: Final = "#d0d0d0"
_GRATICULE: Final = "#7f97ad"
_RING: Final = "#44525f"
_TIME: Final = "#5b2c6f"

_TITLE_PT: Final = 11.0
_TEXT_PT: Final = 7.5
_SMALL_PT: Final = 7.0
_MARGIN_IN: Final = 0.15
_MAP_SHARE: Final = 0.8  # diameter of the map as a share of the figure width

# Label positions around a place, in order of preference: (dx, dy) in points and alignment.
_HAlign = Literal["left", "center", "right"]
_VAlign = Literal["bottom", "center", "top"]
_LABEL_SPOTS: Final[tuple[tuple[float, float, _HAlign, _VAlign], ...]] = (
    (5.0, 2.0, "left", "bottom"),
    (-5.0, 2.0, "right", "bottom"),
    (5.0, -2.0, "left", "top"),
    (-5.0, -2.0, "right", "top"),
    (0.0, 6.0, "center", "bottom"),
    (0.0, -6.0, "center", "top"),
    (7.0, 0.0, "left", "center"),
    (-7.0, 0.0, "right", "center"),
)

_RC: Final[dict[RcKeyType, Any]] = {
    "font.family": "DejaVu Sans",
    "font.size": _TEXT_PT,
    "text.usetex": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "georange",
    "path.simplify": True,
    "axes.unicode_minus": False,
}


# ---------------------------------------------------------------------------
# Projection


@dataclass(frozen=True)
class MapProjection:
    """An azimuthal equidistant map of the disk within ``radius_km`` of a centre.

    Build it with :meth:`centred` or :func:`projection_for`. The geometry
    work is :class:`geo.outputs.mapframe.Frame`'s, shared with the web map.

    Attributes
    ----------
    lon_0, lat_0 : float
        The centre in degrees.
    radius_km : float
        Radius of the view disk in km (geodesic distance from the centre).
    frame : Frame
        The plane, clipped to the view disk.
    """

    lon_0: float
    lat_0: float
    radius_km: float
    frame: Frame = field(repr=False, compare=False)

    @classmethod
    def centred(cls, lon: float, lat: float, radius_km: float, centre_label: str = "") -> MapProjection:
        """Return the projection centred on (``lon``, ``lat``) showing ``radius_km`` around it.

        Parameters
        ----------
        lon, lat : float
            Centre in degrees.
        radius_km : float
            Radius of the view disk in km, at most :data:`MAX_RADIUS_KM`.
        centre_label : str
            What the centre is, for the caption.

        Raises
        ------
        InvalidRangeError
            If ``radius_km`` is not in (0, :data:`MAX_RADIUS_KM`].
        """
        if not 0.0 < radius_km <= MAX_RADIUS_KM:
            raise InvalidRangeError(f"view radius {radius_km!r} km must be in (0, {MAX_RADIUS_KM:,.0f}]")
        return cls(lon, lat, radius_km, Frame("aeqd", float(lon), float(lat), radius_km * 1000.0, centre_label))

    @property
    def radius_m(self) -> float:
        """Radius of the view disk in metres (also its radius on the map)."""
        return self.radius_km * 1000.0

    @property
    def transformer(self) -> Transformer:
        """Lon/lat degrees (``always_xy``) to map metres; its inverse goes back."""
        return self.frame.transformer

    @property
    def eps_m(self) -> float:
        """How far drawn chords may stray from the projected edges, in metres: a small fraction of a pixel."""
        return self.radius_m * DRAW_SIMPLIFY

    def xy(self, lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Return map coordinates in metres of points given in degrees."""
        return self.frame.project(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))

    def polygons(self, geometry: BaseGeometry) -> BaseGeometry:
        """Return the part of a lon/lat (Multi)Polygon inside the view disk, in map metres.

        Parameters
        ----------
        geometry : shapely Polygon or MultiPolygon
            Valid lon/lat polygons in [-180, 180] x [-90, 90], split at the
            antimeridian, closed along latitude +-90 around a pole.

        Returns
        -------
        shapely Polygon or MultiPolygon
            Valid, exteriors counter-clockwise; pieces that met at the
            antimeridian are one polygon. Empty if nothing is in view.
        """
        return self.many_polygons([geometry])[0]

    def many_polygons(self, geometries: Sequence[BaseGeometry]) -> list[BaseGeometry]:
        """Return :meth:`polygons` of each geometry (projected in one batch)."""
        out = []
        for g in self.frame.many_polygons(list(geometries), self.eps_m):
            out.append(shapely.Polygon() if g.is_empty else orient(g))  # the frame returns polygons only
        return out

    def lines(self, geometry: BaseGeometry) -> BaseGeometry:
        """Return the part of lon/lat lines inside the view disk, in map metres (a MultiLineString)."""
        if geometry.is_empty:
            return shapely.MultiLineString()
        return self.frame.lines(geometry, self.eps_m)


def projection_for(content: MapContent) -> MapProjection:
    """Return the projection of a claim figure: centred on the main launch, holding the zones and the places.

    The centre is the centre of the first zone set's launch sources
    (:func:`geo.outputs.mapframe.content_centre`). The radius holds the outer
    limit of every main zone set, the launch and every place, plus
    :data:`VIEW_MARGIN`, at least :data:`MIN_RADIUS_KM` and at most
    :data:`MAX_RADIUS_KM` (the whole globe but the antipode's neighbourhood).
    """
    lon0, lat0, label = content_centre(content)
    farthest_m = content_reach_m(content, lon0, lat0, everything=False)  # survey places beyond: named in the caption
    radius_km = min(max(farthest_m / 1000.0 * (1.0 + VIEW_MARGIN), MIN_RADIUS_KM), MAX_RADIUS_KM)
    return MapProjection.centred(lon0, lat0, radius_km, label)


# ---------------------------------------------------------------------------
# Drawing




def _graticule() -> BaseGeometry:
    """Return parallels every 15 degrees and meridians every 30 degrees as lon/lat lines."""
    lines = [shapely.LineString([(-180.0, lat), (180.0, lat)]) for lat in range(-75, 90, 15)]
    lines += [shapely.LineString([(lon, -90.0), (lon, 90.0)]) for lon in range(-180, 180, 30)]
    return shapely.MultiLineString(lines)


def _path(geometry: BaseGeometry) -> MplPath | None:
    """Return a compound matplotlib path of the rings of (Multi)Polygons (holes wound the other way), or None."""
    vertices, codes = [], []
    for ring in shapely.get_rings(shapely.get_parts(geometry)):
        xy = shapely.get_coordinates(ring)
        if len(xy) < 4:
            continue
        code = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
        code[0], code[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
        vertices.append(xy)
        codes.append(code)
    if not vertices:
        return None
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _segments(lines: BaseGeometry) -> list[FloatArray]:
    return [shapely.get_coordinates(g) for g in shapely.get_parts(lines) if not g.is_empty]


def _plain(artist: Text) -> Text:
    """Switch off mathtext and TeX on a text artist: user text is shown as typed."""
    artist.set_parse_math(False)
    artist.set_usetex(False)
    return artist


def _halo(artist: Text, width: float) -> Text:
    """Make a text artist the white halo drawn under a label.

    The halo is a path effect, which every backend draws as paths; the
    label itself is a second, plain artist on top, so SVG keeps it as text.
    """
    artist.set_color("white")
    artist.set_path_effects([patheffects.withStroke(linewidth=width, foreground="white")])
    artist.set_gid("halo")
    return _plain(artist)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=max(width, 10), break_on_hyphens=False)) if text else ""


def _nice_length_km(radius_km: float) -> float:
    """Return a round scale-bar length (1, 2 or 5 times a power of ten) of about a fifth of the radius."""
    target = radius_km / 5.0
    choices = [c * 10.0**e for e in range(-3, 6) for c in (1.0, 2.0, 5.0)]
    return max([c for c in choices if c <= target] or [choices[0]])


def _length_text(km: float) -> str:
    return f"{km_text(km)} km" if km >= 1.0 else f"{km_text(km * 1000.0)} m"


def _distance_text(km: float) -> str:
    """Return a distance as a figure label shows it: three significant figures at least (metres under 1 km)."""
    if km >= 100.0:
        return f"{km:,.0f} km"
    if km >= 10.0:
        return f"{km:.1f} km"
    return f"{km:.2f} km" if km >= 1.0 else f"{km * 1000.0:.0f} m"


def _distance_line(mark: Mark) -> str:
    """Return the second line of a place's label: its distance from the launch and the margin of its status."""
    if abs(mark.farthest_km - mark.nearest_km) < 0.05 * max(mark.nearest_km, 1e-3):
        span = _distance_text(mark.nearest_km)
    else:
        near, far = _distance_text(mark.nearest_km), _distance_text(mark.farthest_km)
        unit = far.rsplit(" ", 1)[1]
        span = (near.rsplit(" ", 1)[0] if near.endswith(" " + unit) else near) + "\u2013" + far
    return f"{span}, margin {_distance_text(mark.margin_km)}"


class _Drawing:
    """Collects the artists of the map axes, clipped to the view disk (place labels may cross its edge)."""

    def __init__(self, ax: Axes, proj: MapProjection, simplify_m: float) -> None:
        self.ax, self.proj, self.simplify_m = ax, proj, simplify_m
        self.launch_bounds: list[tuple[float, float, float, float]] = []  # map metres, set by launches()
        self.launch_points: list[tuple[float, float]] = []  # map metres, set by launches()
        r = proj.radius_m
        self.frame = Circle((0.0, 0.0), r, facecolor=_OCEAN, edgecolor="none", zorder=0)
        ax.add_patch(self.frame)
        ax.add_patch(Circle((0.0, 0.0), r, facecolor="none", edgecolor="#555555", linewidth=0.8, zorder=20,
                            clip_on=False))
        ax.set_xlim(-r * 1.002, r * 1.002)
        ax.set_ylim(-r * 1.002, r * 1.002)
        ax.set_aspect("equal", adjustable="box")
        ax.set_axis_off()

    def _clip(self, artist: _A) -> _A:
        artist.set_clip_path(self.frame)
        return artist

    def fill(self, geometry: BaseGeometry, zorder: float, **style: Any) -> None:
        """Fill lon/lat polygons (projected, clipped and simplified)."""
        projected = self.proj.polygons(geometry)
        if projected.is_empty:
            return
        projected = polygonal(shapely.simplify(projected, self.simplify_m))
        path = _path(projected)
        if path is not None:
            self.ax.add_artist(self._clip(PathPatch(path, zorder=zorder, **style)))  # the limits are set: no update

    def fill_many(self, geometries: Sequence[BaseGeometry], zorder: float, **style: Any) -> None:
        """Fill many lon/lat polygons as one patch (each projected on its own)."""
        self._fill_projected(self.proj.many_polygons(geometries), zorder, **style)

    def _fill_projected(self, projected: Sequence[BaseGeometry], zorder: float, **style: Any) -> None:
        """Fill polygons already in map metres as one patch (simplified)."""
        kept = [polygonal(shapely.simplify(p, self.simplify_m)) for p in projected if not p.is_empty]
        if kept:
            path = _path(shapely.MultiPolygon([q for p in kept for q in shapely.get_parts(p)]))
            if path is not None:
                self.ax.add_artist(self._clip(PathPatch(path, zorder=zorder, **style)))  # the limits are set: no update

    def stroke(self, geometry: BaseGeometry, zorder: float, **style: Any) -> None:
        """Draw lon/lat lines (projected, clipped and simplified)."""
        projected = self.proj.lines(geometry)
        if projected.is_empty:
            return
        segments = _segments(shapely.simplify(projected, self.simplify_m))
        self.ax.add_collection(self._clip(LineCollection(segments, zorder=zorder, **style)), autolim=False)

    def marks(self, marks: Sequence[Mark], *, labelled: bool) -> None:
        """Draw claim places (labelled circles) or survey places (small dots)."""
        x, y = self.proj.xy([m.lon for m in marks], [m.lat for m in marks])
        inside = np.hypot(x, y) <= self.proj.radius_m
        shown = [(m, float(xi), float(yi)) for m, xi, yi, ok in zip(marks, x, y, inside, strict=True) if ok]
        for mark, xi, yi in shown:
            if not labelled:
                self._clip(self.ax.plot(xi, yi, linestyle="none", marker="o", markersize=2.6,
                                        markerfacecolor=STATUS_COLORS[mark.status], markeredgecolor="white",
                                        markeredgewidth=0.3, zorder=11)[0])
                continue
            fails = mark.holds is False
            self._clip(self.ax.plot(xi, yi, linestyle="none", marker="o", markersize=7.5 if fails else 6.0,
                                    markerfacecolor=STATUS_COLORS[mark.status],
                                    markeredgecolor=_FAILS if fails else "black",
                                    markeredgewidth=2.2 if fails else 0.7, zorder=13)[0])
        if labelled:
            self._labels(shown)

    def _labels(self, shown: Sequence[tuple[Mark, float, float]]) -> None:
        """Label places, each at the first of a few positions around it that overlaps the least.

        Obstacles are the other places' circles and the labels placed
        before, and, weighing less, the launch areas (so that the launch
        stays visible) and the outside of the view disk; ties keep the
        earlier (preferred) position. Labels are not clipped to the disk.
        """
        renderer = self.ax.figure.canvas.get_renderer()  # type: ignore[attr-defined,union-attr]
        to_display = self.ax.transData.transform
        dpi = self.ax.figure.dpi  # type: ignore[union-attr]
        pad = 4.5 * dpi / 72.0  # half the size of a circle, in pixels
        circles = [Bbox.from_extents(px - pad, py - pad, px + pad, py + pad)
                   for px, py in to_display([(xi, yi) for _, xi, yi in shown] or np.empty((0, 2)))]
        (cx, cy), (rx, _) = to_display([(0.0, 0.0), (self.proj.radius_m, 0.0)])
        disk_px = rx - cx
        launch_boxes = [Bbox(to_display(np.reshape(b, (2, 2)))) for b in self.launch_bounds]
        # Launch sites weigh like places: a label never hides one if it can help it.
        circles += [Bbox.from_extents(px - pad, py - pad, px + pad, py + pad)
                    for px, py in to_display(self.launch_points or np.empty((0, 2)))]
        placed: list[Bbox] = []
        for i, (mark, xi, yi) in enumerate(shown):
            label = self.ax.annotate(
                f"{mark.name}\n{_distance_line(mark)}", (xi, yi), xytext=(5.0, 3.0), textcoords="offset points",
                fontsize=_TEXT_PT, linespacing=1.05, zorder=14, usetex=False, parse_math=False,
            )
            _plain(label)
            best: tuple[float, int] | None = None
            for k, (dx, dy, ha, va) in enumerate(_LABEL_SPOTS):
                label.set_position((dx, dy))
                label.set_horizontalalignment(ha)
                label.set_verticalalignment(va)
                box = label.get_window_extent(renderer)
                others = [c for j, c in enumerate(circles) if j != i] + placed
                cost = (sum(box.overlaps(o) for o in others) + 0.5 * sum(box.overlaps(b) for b in launch_boxes)
                        + 0.8 * sum(np.hypot(px - cx, py - cy) > disk_px for px, py in box.corners()))
                if best is None or cost < best[0]:
                    best = (cost, k)
                if cost == 0:
                    break
            assert best is not None
            dx, dy, ha, va = _LABEL_SPOTS[best[1]]
            label.set_position((dx, dy))
            label.set_horizontalalignment(ha)
            label.set_verticalalignment(va)
            placed.append(label.get_window_extent(renderer))
            _halo(self.ax.annotate(label.get_text(), (xi, yi), xytext=(dx, dy), textcoords="offset points",
                                   fontsize=_TEXT_PT, linespacing=1.05, ha=ha, va=va, zorder=13.9), 2.4)

    def launches(self, sources: Sequence[LaunchSource]) -> None:
        """Draw launch territories (grey, black outline), routes (thick black lines) and sites (black squares)."""
        for route in (s for s in sources if isinstance(s, LaunchRoute)):
            lines = route_lines(route.geometry, DISPLAY_TOLERANCE_M)
            self.stroke(lines, zorder=8.5, colors="black", linewidths=2.2)
            projected = self.proj.lines(lines)
            if not projected.is_empty:
                self.launch_bounds.append(projected.bounds)
        regions = [s.geometry for s in sources if isinstance(s, LaunchRegion) and not isinstance(s, LaunchRoute)]
        if regions:
            projected = self.proj.many_polygons(regions)
            self._fill_projected(projected, zorder=8, facecolor=_LAUNCH_FILL, edgecolor="black", linewidth=0.8,
                                 alpha=0.85)
            self.launch_bounds += [p.bounds for p in projected if not p.is_empty]
        points = [s for s in sources if isinstance(s, LaunchPoint)]
        if points:
            x, y = self.proj.xy([p.lon for p in points], [p.lat for p in points])
            self._clip(self.ax.plot(x, y, linestyle="none", marker="s", markersize=5.0, markerfacecolor="black",
                                    markeredgecolor="white", markeredgewidth=0.5, zorder=12)[0])
            self.launch_points += [(float(a), float(b)) for a, b in zip(x, y, strict=True)]

    def rings(self) -> None:
        """Draw labelled circles every round distance from the centre (true distances in every direction)."""
        r = self.proj.radius_m
        step = nice_step(r)
        radii = [step * k for k in range(1, 40) if step * k < 0.995 * r]
        if not radii:
            return
        t = np.linspace(0.0, 2.0 * np.pi, 721)
        segments = [np.c_[q * np.sin(t), q * np.cos(t)] for q in radii]
        self.ax.add_collection(self._clip(LineCollection(segments, colors=_RING, linewidths=0.45,
                                                         linestyles=[(0, (2.0, 2.5))], zorder=4)), autolim=False)
        az = np.radians(160.0)
        for q in radii:
            x, y, text = q * np.sin(az), q * np.cos(az), _length_text(q / 1000.0)
            self._clip(_halo(self.ax.text(x, y, text, zorder=4.4, fontsize=_SMALL_PT, ha="center", va="center"), 2.0))
            self._clip(_plain(self.ax.text(x, y, text, color=_RING, zorder=4.5, fontsize=_SMALL_PT, ha="center",
                                           va="center")))

    def time_rings(self, rings: Sequence[Isochrone]) -> None:
        """Draw the flight-time rings, dotted, each labelled with its minutes at bearing 200 from the centre."""
        for ring in rings:
            projected = self.proj.lines(ring.line)
            if projected.is_empty:
                continue
            segments = _segments(shapely.simplify(projected, self.simplify_m))
            self.ax.add_collection(self._clip(LineCollection(segments, colors=_TIME, linewidths=0.8,
                                                             linestyles=[(0, (1.0, 2.0))], zorder=8)), autolim=False)
            xy = shapely.get_coordinates(projected)
            bearing = np.degrees(np.arctan2(xy[:, 0], xy[:, 1])) % 360.0
            k = int(np.argmin(np.abs(((bearing - 200.0) + 180.0) % 360.0 - 180.0)))
            x, y = float(xy[k, 0]), float(xy[k, 1])
            self._clip(_halo(self.ax.text(x, y, ring.label, zorder=8.4, fontsize=_SMALL_PT, ha="center",
                                          va="center", fontweight="bold"), 2.0))
            self._clip(_plain(self.ax.text(x, y, ring.label, color=_TIME, zorder=8.5, fontsize=_SMALL_PT,
                                           ha="center", va="center", fontweight="bold")))

    def scale_bar(self) -> None:
        """Draw a scale bar in the lower left corner, outside the disk."""
        r = self.proj.radius_m
        length_km = _nice_length_km(self.proj.radius_km)
        x0, y0 = -r, -0.985 * r
        self.ax.plot([x0, x0 + length_km * 1000.0], [y0, y0], color="black", linewidth=1.6,
                     solid_capstyle="butt", clip_on=False, zorder=20)
        label = self.ax.text(x0, y0 + 0.02 * r, _length_text(length_km), fontsize=_SMALL_PT, ha="left",
                             va="bottom", clip_on=False, zorder=20)
        _plain(label)


def _legend_entries(content: MapContent, mains: Sequence[ZoneSet]) -> tuple[list[Artist], list[str]]:
    """Return proxy artists and labels for the legend."""
    handles: list[Artist] = []
    labels: list[str] = []
    line_color = mains[0].color if len(mains) == 1 else "#333333"
    for zone_set in mains:
        handles.append(Patch(facecolor=matplotlib.colors.to_rgba(zone_set.color, 0.25), edgecolor="none"))
        labels.append(f"reachable zone: {zone_set.label}")
    if any(not z.dead_zone.is_empty for z in mains):
        handles.append(Patch(facecolor=matplotlib.colors.to_rgba(_DEAD, 0.18), edgecolor=line_color,
                             linestyle=(0, (3.0, 1.5)), linewidth=1.0, hatch="/////"))
        labels.append("dead zone: too close to hit (hatched; dashed: its limit, the minimum range)")
    handles.append(Line2D([], [], color=line_color, linewidth=1.4))
    labels.append("outer limit (maximum range)" + ("" if len(mains) == 1 else ", in the zone's colour"))
    if content.isochrones:
        first = content.isochrones[0]
        handles.append(Line2D([], [], color=_TIME, linewidth=0.8, linestyle=(0, (1.0, 2.0))))
        labels.append(f"flight time of the {first.system} from {first.launch} (minutes; see the caption)")
    launches = content.main_launches
    regions = [s.label for s in launches if isinstance(s, LaunchRegion) and not isinstance(s, LaunchRoute)]
    routes = [s.label for s in launches if isinstance(s, LaunchRoute)]
    points = [s.label for s in launches if isinstance(s, LaunchPoint)]
    if regions:
        handles.append(Patch(facecolor=_LAUNCH_FILL, edgecolor="black", linewidth=0.8))
        labels.append(f"launch area: {', '.join(regions)}")
    if routes:
        handles.append(Line2D([], [], color="black", linewidth=2.2))
        labels.append(f"launch route: {', '.join(routes)}")
    if points:
        handles.append(Line2D([], [], linestyle="none", marker="s", markersize=5.0, markerfacecolor="black",
                              markeredgecolor="white", markeredgewidth=0.5))
        labels.append(f"launch site: {', '.join(points)}")
    zone_count = len(handles)
    for status in content.legend_statuses:
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=6.0,
                              markerfacecolor=STATUS_COLORS[status], markeredgecolor="black", markeredgewidth=0.7))
        labels.append(f"place {STATUS_LABELS[status]}")
    handles.append(Line2D([], [], linestyle="none", marker="o", markersize=7.5, markerfacecolor="white",
                          markeredgecolor=_FAILS, markeredgewidth=2.2))
    labels.append("a claim fails (yellow ring)")
    if content.survey_marks:
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=2.6, markerfacecolor="#555555",
                              markeredgecolor="white", markeredgewidth=0.3))
        labels.append("surveyed place (small dot, coloured by status)")
    # Two columns, filled column by column: the zones and the launch, then the places.
    rows = max(zone_count, len(handles) - zone_count)
    blanks = rows - zone_count
    handles[zone_count:zone_count] = [Patch(visible=False) for _ in range(blanks)]
    labels[zone_count:zone_count] = [""] * blanks
    handles += [Patch(visible=False) for _ in range(2 * rows - len(handles))]
    labels += [""] * (2 * rows - len(labels))
    return handles, labels


_BEYOND_NAMED: Final = 12  # places beyond the view named in the caption, nearest first


def _caption(content: MapContent, mains: Sequence[ZoneSet], proj: MapProjection) -> str:
    launch = mains[0].scenario.label if mains else ", ".join(s.label for s in content.launches) or "the view"
    parts = [*content.sources]
    parts.append(
        f"Azimuthal equidistant projection centred on {launch} (distances from the centre true to scale; dotted "
        f"circles every {_length_text(nice_step(proj.radius_m) / 1000.0)} from it); "
        f"zones within {content.tolerance_m:g} m of the "
        f"exact WGS84 geodesic boundaries; countries: {content.borders_text}; places: GeoNames"
    )
    if content.marks:
        x, y = proj.xy([m.lon for m in content.marks], [m.lat for m in content.marks])
        r = np.hypot(x, y)
        beyond = [content.marks[i] for i in np.argsort(r, kind="stable") if r[i] > proj.radius_m]
        if beyond:
            named = ", ".join(f"{m.name} ({str(m.status).replace('_', ' ')})" for m in beyond[:_BEYOND_NAMED])
            more = f" and {len(beyond) - _BEYOND_NAMED} more" if len(beyond) > _BEYOND_NAMED else ""
            places = "1 place" if len(beyond) == 1 else f"{len(beyond)} places"
            parts.append(f"{places} beyond {proj.radius_km:,.0f} km from the centre, not drawn: {named}{more}")
    if content.isochrone_note:
        parts.append(content.isochrone_note)
    if proj.radius_km >= MAX_RADIUS_KM:
        parts.append(f"the view is cut at {MAX_RADIUS_KM:,.0f} km from the centre")
    hidden = [z.scenario.label for z in content.zone_sets if not z.main]
    if hidden:
        parts.append(f"further scenarios not drawn: {', '.join(dict.fromkeys(hidden))}")
    return "; ".join(parts)


def _fit(artist: Text, text: str, width_in: float, renderer: Any, points: float) -> float:
    """Wrap ``text`` in ``artist`` to fit ``width_in``; return the artist's height in inches."""
    chars = int(width_in * 72.0 / (0.5 * points))
    while True:
        artist.set_text(_wrap(text, chars))
        box = artist.get_window_extent(renderer)
        if box.width / artist.figure.dpi <= 0.98 * width_in or chars <= 20:  # type: ignore[union-attr]
            return float(box.height / artist.figure.dpi)  # type: ignore[union-attr]
        chars -= 4


def claim_figure(content: MapContent, *, width_in: float = A4_WIDTH_IN) -> Figure:
    """Draw a claim map as a static figure.

    Parameters
    ----------
    content : MapContent
        From :func:`geo.outputs.mapcontent.map_content`.
    width_in : float, default :data:`A4_WIDTH_IN`
        Figure width in inches (A4, 210 mm); the height follows from the
        title, the map and the legend.

    Returns
    -------
    matplotlib.figure.Figure
        With an Agg canvas; save it with :func:`save_figure` (or
        ``fig.savefig``) and drop it when done (no pyplot registry holds it).

    Notes
    -----
    Only the main zone sets (the main launch of some claim) are drawn; the
    caption names the further scenarios. Verdicts and statuses come from
    the exact distances in ``content``, never from the drawing.
    """
    with matplotlib.rc_context(_RC):
        return _claim_figure(content, width_in)


def _claim_figure(content: MapContent, width_in: float) -> Figure:
    if not width_in >= 4.0:
        raise OutputError(f"figure width {width_in!r} in is too small; expected at least 4")
    proj = projection_for(content)
    mains = [z for z in content.zone_sets if z.main]
    # Laid out at the PNG resolution: hinting makes text widths depend on the dpi.
    fig = Figure(figsize=(width_in, width_in * 1.3), dpi=PNG_DPI)
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    inner_w = width_in - 2 * _MARGIN_IN

    title = _plain(fig.text(_MARGIN_IN / width_in, 1.0, "", fontsize=_TITLE_PT, fontweight="bold", ha="left",
                            va="top", usetex=False, parse_math=False))
    title_h = _fit(title, content.title, inner_w, renderer, _TITLE_PT)
    caption = _plain(fig.text(_MARGIN_IN / width_in, 0.0, "", fontsize=_SMALL_PT, ha="left", va="bottom",
                              color="#333333", usetex=False, parse_math=False, linespacing=1.3))
    caption_h = _fit(caption, _caption(content, mains, proj), inner_w, renderer, _SMALL_PT)
    handles, labels = _legend_entries(content, mains)
    legend: Legend = fig.legend(handles, [_wrap(t, 58) for t in labels], loc="upper center", ncols=2,
                                fontsize=_TEXT_PT, frameon=False, handlelength=2.0, handleheight=1.1,
                                columnspacing=1.6, labelspacing=0.55, borderaxespad=0.0, borderpad=0.0)
    for text in legend.get_texts():
        _plain(text)
    legend_box = legend.get_window_extent(renderer)
    legend_h = legend_box.height / fig.dpi

    diameter = _MAP_SHARE * width_in
    gap = 0.12
    heights = [_MARGIN_IN, title_h, gap, diameter, gap + 0.05, legend_h, gap + 0.05, caption_h, _MARGIN_IN]
    height = float(sum(heights))
    fig.set_size_inches(width_in, height)
    top = height - _MARGIN_IN
    title.set_position((_MARGIN_IN / width_in, top / height))
    map_top = top - title_h - gap
    ax = fig.add_axes(((width_in - diameter) / 2 / width_in, (map_top - diameter) / height,
                       diameter / width_in, diameter / height))
    legend_top = map_top - diameter - gap - 0.05
    legend.set_bbox_to_anchor((0.5, legend_top / height), transform=fig.transFigure)
    caption.set_position((_MARGIN_IN / width_in, _MARGIN_IN / height))

    drawing = _Drawing(ax, proj, simplify_m=2.0 * proj.radius_m * DRAW_SIMPLIFY)
    drawing.stroke(_graticule(), zorder=1, colors=_GRATICULE, linewidths=0.3, alpha=0.6)
    drawing.fill_many(basemap_polygons(), zorder=2, facecolor=_LAND, edgecolor=_BORDER, linewidth=0.3)
    drawing.stroke(_graticule(), zorder=3, colors=_GRATICULE, linewidths=0.25, alpha=0.25)
    for zone_set in mains:
        drawing.fill(zone_set.reachable, zorder=5, facecolor=zone_set.color, alpha=0.25, edgecolor="none")
        drawing.fill(zone_set.dead_zone, zorder=6, facecolor=matplotlib.colors.to_rgba(_DEAD, 0.18),
                     edgecolor=matplotlib.colors.to_rgba(_DEAD, 0.6), linewidth=0.0, hatch="/////")
    drawing.rings()
    drawing.time_rings(content.isochrones)
    drawing.launches(content.main_launches)
    for zone_set in mains:
        drawing.stroke(zone_set.inner_limit, zorder=9, colors=zone_set.color, linewidths=1.2,
                       linestyles=[(0, (4.0, 2.0))])
        drawing.stroke(zone_set.outer_limit, zorder=9, colors=zone_set.color, linewidths=1.4)
    drawing.marks(content.survey_marks, labelled=False)
    drawing.marks(content.claim_marks, labelled=True)
    drawing.scale_bar()
    return fig


# ---------------------------------------------------------------------------
# Output


def save_figure(content: MapContent, path: str | Path, *, overwrite: bool = False) -> Path:
    """Draw a claim figure and write it to ``path``: PNG (200 dpi) or SVG by extension.

    The file is written under a temporary name and renamed into place, so an
    interrupted run leaves the old file or the new one; the same content
    gives the same bytes.

    Parameters
    ----------
    content : MapContent
    path : str or Path
        Ends in ``.png`` or ``.svg`` (any case).
    overwrite : bool, default False
        Replace an existing file.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputError
        If the extension is not ``.png`` or ``.svg``, or the directory does
        not exist or cannot be written.
    OutputExistsError
        If the file exists and ``overwrite`` is False.
    """
    target = Path(path)
    fmt = output_format(path, FIGURE_FORMATS, "figure")
    with atomic_path(target, overwrite=overwrite) as tmp, matplotlib.rc_context(_RC):
        fig = _claim_figure(content, A4_WIDTH_IN)
        fig.savefig(tmp, format=fmt, dpi=PNG_DPI, metadata={"Title": content.title, "Date": None})
    return target
