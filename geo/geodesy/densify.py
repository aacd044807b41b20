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
    xy: FloatArray, *, tolerance_m: float | None = None, spacing_m: float | None = None, closed: bool = True
) -> FloatArray:
    """Insert points along the geodesic edges of a ring or path.

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
    if len(xy) < 2:
        return xy
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
        for _ in range(_ROUNDS):
            # The geodesic's distance from the straight lon/lat segment at each
            # piece's middle; it shrinks with the square of the piece length.
            frac = 0.5 / pieces
            mid_lon, mid_lat, _ = WGS84.fwd(lon1, lat1, azi, length * frac)
            lin_lon = lon1 + (lon2 - lon1) * frac
            lin_lat = lat1 + (lat2 - lat1) * frac
            dev = geodesic_distance(mid_lon, mid_lat, lin_lon, lin_lat)
            need = dev > tolerance_m
            if not need.any():
                break
            pieces[need] = np.ceil(pieces[need] * np.sqrt(dev[need] / tolerance_m) * 1.05).astype(np.intp)
    lon, lat, edge, _ = split_edges(lon1, lat1, azi, length, pieces)
    lon = np.where(np.abs(np.abs(lon) - 180.0) < 1e-9, np.sign(lon1[edge] + lon2[edge] + 1e-300) * 180.0, lon)
    out = np.column_stack([lon, lat])
    return out if closed else np.vstack([out, xy[-1:]])
