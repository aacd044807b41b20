"""Zones as KML for a globe (OGC KML 2.2, as Google Earth draws it) and for GIS clients alike, and back.

A globe draws every edge of a KML polygon or line as a great circle; a GIS
client (QGIS, through GDAL) draws them straight in lon/lat, and draws an edge
that steps across +-180 as a streak across the map. georange's zones are
lon/lat polygons cut at the antimeridian and closed along the map edge
around a pole (:mod:`geo.geodesy.lonlat`), with edges that are straight in
lon/lat. The document holds two folders, which GDAL (so QGIS) reads as two
layers of one geometry type each, in EPSG:4326, and a globe draws together:

- ``Zones``: one placemark per zone, in order, holding its **fills**, a
  MultiGeometry of polygons with no outline (no geometry for an empty
  zone). The zone's polygons as drawn on the map, cut at the antimeridian
  (a cut a globe does not show: fills have no outline). A part that holds
  a pole, spans half the longitudes or more, or covers more than a quarter
  of the Earth is cut further, into pieces along the meridians -90, 0, 90,
  180 and the equator, so that no piece is large enough for a globe to
  fill the wrong side of its ring; those cuts are geodesics, and unseen.
  Exterior rings run counter-clockwise.
- ``Zone outlines``: one placemark per non-empty zone holding its
  **outlines**, a MultiGeometry of lines along the true boundary only: no
  closure along the map edge; a line that crosses the antimeridian is
  broken there into two that meet on it.
- every edge of both is cut further along its lon/lat line until the great
  circle between its ends is within half the zone's tolerance of it, so a
  globe's drawing stays within ``tolerance_m`` of the true boundary (the
  straight lon/lat edges are within half of it).

A placemark that mixed polygons and lines, as earlier versions wrote, reads
in GDAL as a GeometryCollection layer that QGIS does not draw. Both
placemarks of a zone carry its fields, typed by a ``Schema`` (``min_km``,
``max_km``, ``tolerance_m`` and ``area_km2`` are doubles).
:func:`globe_to_map` turns the polygons read back into the lon/lat polygons
georange draws (it also reads the joined fills of earlier files).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from xml.sax.saxutils import escape

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.analysis.zones import Zone
from geo.geodesy.area import EARTH_AREA_M2, polygon_area_m2
from geo.geodesy.densify import densify
from geo.geodesy.lonlat import fold, orient, polygonal, unwrap, wrap

__all__ = ["FILL_FOLDER", "KML_FIELDS", "OUTLINE_FOLDER", "globe_to_map", "zones_kml"]

FloatArray = NDArray[np.float64]

KML_FIELDS = {"role": "string", "min_km": "double", "max_km": "double", "launch": "string",
              "tolerance_m": "double", "area_km2": "double", "borders": "string", "border_src": "string"}
"""The placemark fields and their KML Schema types."""
FILL_FOLDER = "Zones"
"""The folder (a layer in GIS clients) of the zones' fills: one placemark per zone, in order."""
OUTLINE_FOLDER = "Zone outlines"
"""The folder of the non-empty zones' outlines."""

_STYLE = {"reach": "0000ff", "dead_zone": "888888", "reachable": "00a5ff"}  # bbggrr
_FILL_ALPHA = "7f"
_ATTR = {'"': "&quot;"}  # escape() leaves quotes alone; attribute values need them escaped
_SCHEMA = "georange_zone"
# Cells small enough that a globe fills the inside of their rings: 90 degrees by 90.
_CELLS = [shapely.box(x, y, x + 90.0, y + 90.0) for x in (-180.0, -90.0, 0.0, 90.0) for y in (-90.0, 0.0)]
_CELL_EDGE_DEG = 1.0  # cell edges (meridians, the equator) get a vertex every degree
_JOIN_GRID_DEG = 1e-10


def _ring_text(lon: FloatArray, lat: FloatArray, tolerance_m: float, *, closed: bool) -> str:
    """Return KML coordinates for a ring or line given in continuous (unwrapped) longitudes."""
    xy = np.column_stack([lon, lat])
    if closed and len(xy) > 1 and np.array_equal(xy[0], xy[-1]):
        xy = xy[:-1]
    dense = densify(xy, tolerance_m=tolerance_m, closed=closed, edges="lonlat")
    if closed:
        dense = np.vstack([dense, dense[:1]])
    x = wrap(dense[:, 0])
    x = np.where((x == -180.0) & (dense[:, 0] > 0.0), 180.0, x)  # keep +180 where it was +180
    return " ".join(f"{a!r},{b!r}" for a, b in zip(x.tolist(), dense[:, 1].tolist(), strict=True))


def _polygon_text(polygon: BaseGeometry, tolerance_m: float) -> str:
    def boundary(tag: str, ring: BaseGeometry) -> str:
        xy = np.asarray(ring.coords)[:, :2]
        coords = _ring_text(xy[:, 0], xy[:, 1], tolerance_m, closed=True)
        return f"<{tag}><LinearRing><coordinates>{coords}</coordinates></LinearRing></{tag}>"

    inner = "".join(boundary("innerBoundaryIs", r) for r in polygon.interiors)
    return f"<Polygon><tessellate>1</tessellate>{boundary('outerBoundaryIs', polygon.exterior)}{inner}</Polygon>"


def _fills(geometry: BaseGeometry) -> Iterator[BaseGeometry]:
    """Yield the fill polygons of a lon/lat zone, as drawn on the map (see the module docstring)."""
    for part in shapely.get_parts(geometry):
        if part.is_empty:
            continue
        xmin, ymin, xmax, ymax = part.bounds
        # A ring that holds no pole, spans less than half the globe's longitudes and encloses less than a
        # quarter of the Earth has an unmistakable inside: written whole.
        if ymin > -90.0 and ymax < 90.0 and xmax - xmin < 180.0 and polygon_area_m2(part) < EARTH_AREA_M2 / 4.0:
            yield orient(part)
            continue
        for cell in _CELLS:
            piece = polygonal(shapely.intersection(part, cell))
            for p in shapely.get_parts(piece):
                if not p.is_empty:
                    yield orient(shapely.segmentize(p, _CELL_EDGE_DEG))


def _on_frame(x: FloatArray, y: FloatArray) -> NDArray[np.bool_]:
    """Return which edges of a map ring lie on the map edge: along +-180 or along a pole."""
    x0, x1, y0, y1 = x[:-1], x[1:], y[:-1], y[1:]
    meridian = (np.abs(x0) == 180.0) & (x0 == x1)
    pole = (np.abs(y0) == 90.0) & (y0 == y1)
    return meridian | pole


def _outlines(geometry: BaseGeometry) -> list[FloatArray]:
    """Return the true boundary of a lon/lat zone as lines without cuts (continuous longitudes)."""
    runs: list[FloatArray] = []
    rings = [r for p in shapely.get_parts(geometry) if not p.is_empty for r in (p.exterior, *p.interiors)]
    for ring in rings:
        xy = np.asarray(ring.coords)[:, :2]
        frame = _on_frame(xy[:, 0], xy[:, 1])
        if not frame.any():
            runs.append(xy)
            continue
        # Start just after a map-edge edge, so that no run of boundary edges wraps round the end.
        shift = int(np.flatnonzero(frame)[0]) + 1
        open_xy = np.roll(xy[:-1], -shift, axis=0)
        xy, frame = np.vstack([open_xy, open_xy[:1]]), np.roll(frame, -shift)
        edges = np.flatnonzero(~frame)
        for run in np.split(edges, np.flatnonzero(np.diff(edges) != 1) + 1):
            if run.size:
                runs.append(xy[run[0]: run[-1] + 2])
    if not runs:
        return []
    # Join runs that meet at the antimeridian: name -180 as +180 at their ends, then merge them.
    lines = []
    for xy in runs:
        xy = xy.copy()
        for end in (0, -1):
            if xy[end, 0] == -180.0:
                xy[end, 0] = 180.0
        lines.append(shapely.LineString(xy))
    merged = shapely.line_merge(shapely.MultiLineString(lines))
    out = []
    for line in shapely.get_parts(merged):
        xy = np.asarray(line.coords)[:, :2].copy()
        xy[:, 0] = unwrap(xy[:, 0])
        out += _cut_at_antimeridian(xy)
    return out


def _cut_at_antimeridian(xy: FloatArray) -> list[FloatArray]:
    """Break a line in continuous longitudes where it crosses +-180, each piece shifted into the map.

    The crossing point lies on the edge's straight lon/lat line; the pieces end
    on the meridian at 180 (east of it) and -180 (west of it).
    """
    sheet = np.floor((xy[:, 0] + 180.0) / 360.0)  # which copy of the map each vertex is on
    at = np.flatnonzero(sheet[1:] != sheet[:-1])  # edges that cross: from vertex at to at + 1
    meridian = 180.0 + 360.0 * np.minimum(sheet[at], sheet[at + 1])
    t = (meridian - xy[at, 0]) / (xy[at + 1, 0] - xy[at, 0])
    cross = np.column_stack([meridian, xy[at, 1] + t * (xy[at + 1, 1] - xy[at, 1])])
    pieces = []
    for k, run in enumerate(np.split(xy, at + 1)):  # each run ends where the next edge crosses
        piece = np.vstack([cross[k - 1:k] if k else run[:0], run, cross[k:k + 1]])
        piece = piece[np.r_[True, np.any(np.diff(piece, axis=0) != 0.0, axis=1)]]  # no repeated vertex
        if len(piece) >= 2:
            pieces.append(piece - [360.0 * np.floor((piece[:, 0].mean() + 180.0) / 360.0), 0.0])
    return pieces


def zones_kml(zones: Sequence[Zone], name: str = "georange zones") -> str:
    """Return a KML 2.2 document: a folder of zone fills and one of their outlines (see the module docstring)."""
    styles = "".join(
        f'<Style id="{role}"><LineStyle><color>ff{color}</color><width>2</width></LineStyle>'
        f"<PolyStyle><color>{_FILL_ALPHA}{color}</color><fill>1</fill><outline>0</outline></PolyStyle></Style>"
        for role, color in _STYLE.items()
    )
    fields = "".join(f'<SimpleField type="{t}" name="{k}"/>' for k, t in KML_FIELDS.items())
    schema = f'<Schema name="{_SCHEMA}" id="{_SCHEMA}">{fields}</Schema>'
    fills, outlines = [], []
    for z in zones:
        values = z.properties()
        data = "".join(
            f'<SimpleData name="{escape(k, _ATTR)}">{escape(_value(values[k]))}</SimpleData>' for k in KML_FIELDS
        )
        head = (f"<styleUrl>#{z.role}</styleUrl>"
                f'<ExtendedData><SchemaData schemaUrl="#{_SCHEMA}">{data}</SchemaData></ExtendedData>')
        title = escape(f"{z.role}: {z.min_km:g}-{z.max_km:g} km from {z.launch}")
        polys = lines = ""
        if not z.geometry.is_empty:
            half = z.tolerance_m / 2.0
            polys = "".join(_polygon_text(p, half) for p in _fills(z.geometry))
            lines = "".join(
                f"<LineString><tessellate>1</tessellate><coordinates>"
                f"{_ring_text(xy[:, 0], xy[:, 1], half, closed=False)}</coordinates></LineString>"
                for xy in _outlines(z.geometry)
            )
        fills.append(f"<Placemark><name>{title}</name>{head}"
                     + (f"<MultiGeometry>{polys}</MultiGeometry>" if polys else "") + "</Placemark>")
        if lines:
            outlines.append(f"<Placemark><name>{title} (outline)</name>{head}"
                            f"<MultiGeometry>{lines}</MultiGeometry></Placemark>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>{escape(name)}</name>{styles}{schema}"
        f"<Folder><name>{FILL_FOLDER}</name>{''.join(fills)}</Folder>"
        f"<Folder><name>{OUTLINE_FOLDER}</name>{''.join(outlines)}</Folder></Document></kml>\n"
    )


def _value(value: object) -> str:
    return repr(float(value)) if isinstance(value, int | float) else str(value)


def globe_to_map(polygons: Sequence[BaseGeometry]) -> BaseGeometry:
    """Return the lon/lat zone (cut at the antimeridian, counter-clockwise) of fill polygons read from KML.

    Each polygon's longitudes are made continuous (a step across +-180 is
    the short way round), the polygon folded into the map, and the pieces
    joined.
    """
    pieces = []
    for polygon in polygons:
        ext = np.asarray(polygon.exterior.coords)[:, :2].copy()
        ext[:, 0] = unwrap(ext[:, 0])
        holes = []
        for ring in polygon.interiors:
            xy = np.asarray(ring.coords)[:, :2].copy()
            xy[:, 0] = unwrap(xy[:, 0])
            xy[:, 0] += 360.0 * np.round((ext[:, 0].mean() - xy[:, 0].mean()) / 360.0)
            holes.append(xy)
        pieces.append(fold(shapely.Polygon(ext, holes)))
    if not pieces:
        return shapely.Polygon()
    # Pieces cut along a meridian may meet with rounding gaps (1e-13 degrees): join them on a 1e-10 degree
    # grid (11 micrometres).
    return orient(polygonal(shapely.union_all(pieces, grid_size=_JOIN_GRID_DEG)))
