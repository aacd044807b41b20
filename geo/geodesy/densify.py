"""Densify geodesic edges: the one place where edges are cut into pieces along the geodesic.

georange's edges are geodesics between their vertices. Clients that draw
straight lines in longitude/latitude (GeoJSON viewers, shapely) need extra
vertices for the drawing to stay near the geodesic; sampling a boundary
needs points no farther apart than a spacing. Both are :func:`densify`;
:func:`split_edges` is the vectorised step under it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from geo.geodesy.ellipsoid import WGS84, geodesic_distance

__all__ = ["densify", "split_edges"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

_ROUNDS = 6
"""Refinements of the piece counts for a tolerance (each shrinks the deviation about fourfold per doubling)."""


def split_edges(
    lon1: FloatArray, lat1: FloatArray, azi1: FloatArray, length_m: FloatArray, pieces: IntArray
) -> tuple[FloatArray, FloatArray, IntArray, IntArray]:
    """Return the start point of every piece when each geodesic edge is cut into ``pieces`` equal parts.

    Parameters
    ----------
    lon1, lat1 : ndarray
        Start of each edge, in degrees.
    azi1 : ndarray
        Forward azimuth at the start, in degrees.
    length_m : ndarray
        Length of each edge, in metres.
    pieces : ndarray of int
        Number of pieces per edge, at least 1.

    Returns
    -------
    lon, lat : ndarray
        Piece starts, edge by edge; the first of each edge is its start
        vertex exactly (not recomputed).
    edge, offset : ndarray of int
        The edge of each point and its index within the edge.
    """
    edge = np.repeat(np.arange(len(pieces)), pieces)
    offset = np.arange(len(edge)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    t = length_m[edge] * offset / pieces[edge]
    lon, lat, _ = WGS84.fwd(lon1[edge], lat1[edge], azi1[edge], t)
    lon = np.where(offset == 0, lon1[edge], lon)
    lat = np.where(offset == 0, lat1[edge], lat)
    return lon, lat, edge, offset


def densify(
    xy: FloatArray,
    *,
    tolerance_m: float | None = None,
    spacing_m: float | None = None,
    closed: bool = True,
    edges: str = "geodesic",
) -> FloatArray:
    """Insert points along the edges of a ring or path: geodesic edges by default, or straight lon/lat ones.

    Parameters
    ----------
    xy : ndarray, shape (n, 2)
        Longitude, latitude vertices in degrees. A ring (``closed=True``)
        lists each vertex once (no repeated closing vertex); its last edge
        runs back to the first vertex.
    tolerance_m : float, optional
        Cut each edge until the straight lon/lat segment between
        consecutive points strays from the geodesic by at most this, in
        metres (measured at each piece's middle, where it is largest).
    spacing_m : float, optional
        Cut each edge into pieces of at most this length, in metres.
    closed : bool, default True
        Whether ``xy`` is a ring.
    edges : {"geodesic", "lonlat"}, default "geodesic"
        What the given edges are. ``"lonlat"``: each edge is the straight
        segment in (unwrapped) longitude/latitude, as GeoJSON draws it; new
        points go along it, and ``tolerance_m`` bounds how far the geodesic
        between consecutive points strays from it (for clients that draw
        great circles, such as a globe showing KML). ``spacing_m`` then
        counts the geodesic length between the edge's ends.

    Returns
    -------
    ndarray, shape (m, 2)
        The original vertices, in order, with the new points between them:
        a ring again without a closing vertex; a path with its last vertex.

    Notes
    -----
    New points on the 180th meridian keep the side of their edge (pyproj
    may return -180 for +180), so a ring split at the antimeridian stays on
    its side.
    """
    if edges not in ("geodesic", "lonlat"):
        raise ValueError(f"edges={edges!r}; expected 'geodesic' or 'lonlat'")
    if len(xy) < 2:
        return xy
    if edges == "lonlat":
        return _densify_lonlat(xy, tolerance_m, spacing_m, closed)
    lon1, lat1 = xy[:, 0], xy[:, 1]
    lon2, lat2 = (np.roll(lon1, -1), np.roll(lat1, -1)) if closed else (lon1[1:], lat1[1:])
    if not closed:
        lon1, lat1 = lon1[:-1], lat1[:-1]
    azi, _, length = WGS84.inv(lon1, lat1, lon2, lat2)
    azi, length = np.asarray(azi), np.asarray(length)
    pieces = np.ones(len(lon1), dtype=np.intp)
    if spacing_m is not None:
        pieces = np.maximum(1, np.ceil(length / spacing_m)).astype(np.intp)
    if tolerance_m is not None:
        check = np.arange(len(lon1))  # edges whose piece count changed: the others are settled
        for _ in range(_ROUNDS):
            # The geodesic's distance from the straight lon/lat segment at each
            # piece's middle; it shrinks with the square of the piece length.
            frac = 0.5 / pieces[check]
            a1, b1 = lon1[check], lat1[check]
            mid_lon, mid_lat, _ = WGS84.fwd(a1, b1, azi[check], length[check] * frac)
            lin_lon = a1 + (lon2[check] - a1) * frac
            lin_lat = b1 + (lat2[check] - b1) * frac
            dev = geodesic_distance(mid_lon, mid_lat, lin_lon, lin_lat)
            need = dev > tolerance_m
            if not need.any():
                break
            check = check[need]
            pieces[check] = np.ceil(pieces[check] * np.sqrt(dev[need] / tolerance_m) * 1.05).astype(np.intp)
    lon, lat, edge, _ = split_edges(lon1, lat1, azi, length, pieces)
    lon = np.where(np.abs(np.abs(lon) - 180.0) < 1e-9, np.sign(lon1[edge] + lon2[edge] + 1e-300) * 180.0, lon)
    out = np.column_stack([lon, lat])
    return out if closed else np.vstack([out, xy[-1:]])


def _densify_lonlat(xy: FloatArray, tolerance_m: float | None, spacing_m: float | None, closed: bool) -> FloatArray:
    """:func:`densify` for straight lon/lat edges: points along the segment, checked against the geodesic."""
    lon1, lat1 = xy[:, 0], xy[:, 1]
    lon2, lat2 = (np.roll(lon1, -1), np.roll(lat1, -1)) if closed else (lon1[1:], lat1[1:])
    if not closed:
        lon1, lat1 = lon1[:-1], lat1[:-1]
    pieces = np.ones(len(lon1), dtype=np.intp)
    if spacing_m is not None:
        pieces = np.maximum(1, np.ceil(geodesic_distance(lon1, lat1, lon2, lat2) / spacing_m)).astype(np.intp)
    if tolerance_m is not None:
        for _ in range(_ROUNDS):
            # How far the geodesic between a piece's ends passes from the
            # segment's own middle, for the first, middle and last piece (the
            # stray changes with latitude along the edge).
            dev = np.zeros(len(lon1))
            for k in (np.zeros_like(pieces), pieces // 2, pieces - 1):
                a, b = k / pieces, (k + 1) / pieces
                xa, ya = lon1 + (lon2 - lon1) * a, lat1 + (lat2 - lat1) * a
                xb, yb = lon1 + (lon2 - lon1) * b, lat1 + (lat2 - lat1) * b
                mx, my = _geodesic_middle(xa, ya, xb, yb)
                dev = np.maximum(dev, geodesic_distance(mx, my, (xa + xb) / 2.0, (ya + yb) / 2.0))
            need = dev > tolerance_m
            if not need.any():
                break
            pieces[need] = np.ceil(pieces[need] * np.sqrt(dev[need] / tolerance_m) * 1.05).astype(np.intp)
    edge = np.repeat(np.arange(len(pieces)), pieces)
    t = (np.arange(len(edge)) - np.repeat(np.cumsum(pieces) - pieces, pieces)) / pieces[edge]
    out = np.column_stack([lon1[edge] + (lon2 - lon1)[edge] * t, lat1[edge] + (lat2 - lat1)[edge] * t])
    return out if closed else np.vstack([out, xy[-1:]])


def _geodesic_middle(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Return the middle of the geodesic between two points (either end if they coincide)."""
    azi, _, length = WGS84.inv(lon1, lat1, lon2, lat2)
    lon, lat, _ = WGS84.fwd(lon1, lat1, azi, np.asarray(length) / 2.0)
    return np.asarray(lon), np.asarray(lat)
