"""Zones as KML for a globe (OGC KML 2.2, as Google Earth draws it), and back.

A globe draws every edge of a KML polygon or line as a great circle, and
needs no cut at the antimeridian. georange's zones are lon/lat polygons cut
at the antimeridian and closed along the map edge around a pole
(:mod:`geo.geodesy.lonlat`), with edges that are straight in lon/lat. Each
zone is written as one placemark whose MultiGeometry holds:

- **fills**, polygons with no outline: a part that crosses the antimeridian
  is joined again into one polygon (its coordinates simply step across
  +-180, which a globe draws as the short way round). Only a part that
  holds a pole, spans half the longitudes or more, or covers more than a
  quarter of the Earth is cut, into pieces along the meridians -90, 0, 90,
  180 and the equator, so that no piece is large enough for a globe to
  fill the wrong side of its ring; those cuts are geodesics, and unseen
  because fills have no outline;
- **outlines**, lines along the true boundary only: no cut, no seam, no
  closure along the map edge;
- every edge of both cut further along its lon/lat line until the great
  circle between its ends is within half the zone's tolerance of it, so a
  globe's drawing stays within ``tolerance_m`` of the true boundary (the
  straight lon/lat edges are within half of it).

The placemark's fields are typed by a ``Schema`` (``min_km``, ``max_km``,
``tolerance_m`` and ``area_km2`` are doubles). An empty zone is a placemark
with no geometry. :func:`globe_to_map` turns the polygons read back into
the lon/lat polygons georange draws.
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

__all__ = ["KML_FIELDS", "globe_to_map", "zones_kml"]

FloatArray = NDArray[np.float64]

KML_FIELDS = {"role": "string", "min_km": "double", "max_km": "double", "launch": "string",
              "tolerance_m": "double", "area_km2": "double", "borders": "string", "border_src": "string"}
"""The placemark fields and their KML Schema types."""

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
    """Yield the fill polygons of a lon/lat zone, in continuous longitudes (see the module docstring)."""
    parts = [p for p in shapely.get_parts(geometry) if not p.is_empty]
    # Parts on the west side of the antimeridian move east by 360 degrees to meet their other half.
    moved = [shapely.affinity.translate(p, xoff=360.0) if p.bounds[0] <= -180.0 < p.bounds[2] < 180.0 else p
             for p in parts]
    for part in shapely.get_parts(polygonal(shapely.union_all(moved))) if moved else []:
        xmin, ymin, xmax, ymax = part.bounds
        # A ring that holds no pole, spans less than half the globe's longitudes and encloses less than a
        # quarter of the Earth has an unmistakable inside: written whole, with no seam.
        if ymin > -90.0 and ymax < 90.0 and xmax - xmin < 180.0 and polygon_area_m2(part) < EARTH_AREA_M2 / 4.0:
            yield part
            continue
        folded = fold(part)
        for cell in _CELLS:
            piece = polygonal(shapely.intersection(folded, cell))
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
        out.append(xy)
    return out


def zones_kml(zones: Sequence[Zone], name: str = "georange zones") -> str:
    """Return a KML 2.2 document with one placemark per zone (see the module docstring)."""
    styles = "".join(
        f'<Style id="{role}"><LineStyle><color>ff{color}</color><width>2</width></LineStyle>'
        f"<PolyStyle><color>{_FILL_ALPHA}{color}</color><fill>1</fill><outline>0</outline></PolyStyle></Style>"
        for role, color in _STYLE.items()
    )
    fields = "".join(f'<SimpleField type="{t}" name="{k}"/>' for k, t in KML_FIELDS.items())
    schema = f'<Schema name="{_SCHEMA}" id="{_SCHEMA}">{fields}</Schema>'
    marks = []
    for z in zones:
        values = z.properties()
        data = "".join(
            f'<SimpleData name="{escape(k, _ATTR)}">{escape(_value(values[k]))}</SimpleData>' for k in KML_FIELDS
        )
        title = escape(f"{z.role}: {z.min_km:g}-{z.max_km:g} km from {z.launch}")
        geometry = ""
        if not z.geometry.is_empty:
            half = z.tolerance_m / 2.0
            polys = "".join(_polygon_text(p, half) for p in _fills(z.geometry))
            lines = "".join(
                f"<LineString><tessellate>1</tessellate><coordinates>"
                f"{_ring_text(xy[:, 0], xy[:, 1], half, closed=False)}</coordinates></LineString>"
                for xy in _outlines(z.geometry)
            )
            geometry = f"<MultiGeometry>{polys}{lines}</MultiGeometry>"
        marks.append(
            f"<Placemark><name>{title}</name><styleUrl>#{z.role}</styleUrl>"
            f'<ExtendedData><SchemaData schemaUrl="#{_SCHEMA}">{data}</SchemaData></ExtendedData>'
            f"{geometry}</Placemark>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>{escape(name)}</name>{styles}{schema}{''.join(marks)}</Document></kml>\n"
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
