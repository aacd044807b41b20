"""geo.geodesy.densify against geographiclib: points on the geodesic, gaps and deviations within the asked bounds."""

from __future__ import annotations

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from geo.geodesy.densify import densify

from cases import ON_GEODESIC_M

G = Geodesic.WGS84

RINGS = {
    # Belarus-sized, a long edge near the pole, edges along the antimeridian (a ring split there)
    "belarus-box": np.array([[23.2, 51.3], [32.8, 51.3], [32.8, 56.2], [23.2, 56.2]]),
    "near-pole": np.array([[-60.0, 80.0], [60.0, 80.0], [0.0, 70.0]]),
    "on-antimeridian": np.array([[170.0, -20.0], [180.0, -20.0], [180.0, 20.0], [170.0, 20.0]]),
}


def s12(a, b) -> float:
    return G.Inverse(a[1], a[0], b[1], b[0])["s12"]


def edges(xy: np.ndarray, closed: bool):
    n = len(xy)
    return [(xy[i], xy[(i + 1) % n]) for i in range(n if closed else n - 1)]


def split_by_edge(orig: np.ndarray, out: np.ndarray, closed: bool) -> list[np.ndarray]:
    """The output points of each original edge (start vertex included), checking the vertices are kept in order."""
    idx = [int(np.flatnonzero((out == v).all(axis=1))[0]) for v in orig]
    assert idx == sorted(idx) and idx[0] == 0
    if closed:
        return [out[a:b] for a, b in zip(idx, [*idx[1:], len(out)], strict=True)]
    assert idx[-1] == len(out) - 1
    return [out[a:b] for a, b in zip(idx[:-1], idx[1:], strict=True)]


@pytest.mark.parametrize("name", RINGS)
@pytest.mark.parametrize("closed", [True, False])
def test_spacing_bounds_every_gap_and_points_lie_on_the_geodesic(name, closed):
    xy = RINGS[name]
    spacing = 50_000.0
    out = densify(xy, spacing_m=spacing, closed=closed)
    if not closed:
        assert (out[-1] == xy[-1]).all()
    for (a, b), pts in zip(edges(xy, closed), split_by_edge(xy, out, closed), strict=True):
        chain = [*pts, b]
        gaps = [s12(p, q) for p, q in zip(chain[:-1], chain[1:], strict=True)]
        assert max(gaps) <= spacing * (1 + 1e-9)
        assert sum(gaps) == pytest.approx(s12(a, b), abs=ON_GEODESIC_M * len(gaps))
        assert len(gaps) == max(1, int(np.ceil(s12(a, b) / spacing)))


def chord_distance_m(lon, lat, a, b) -> float:
    """Distance (m) from a point to the straight lon/lat segment a-b, in a local equirectangular frame.

    The frame is centred on the point; at the distances checked here (metres
    to a few km) its error is far below 1 %, covered by the 2 % slack below.
    """
    k = np.cos(np.radians(lat))
    ax, ay = (a[0] - lon) * k * 111_320.0, (a[1] - lat) * 110_574.0
    bx, by = (b[0] - lon) * k * 111_320.0, (b[1] - lat) * 110_574.0
    dx, dy = bx - ax, by - ay
    u = np.clip(-(ax * dx + ay * dy) / (dx * dx + dy * dy), 0.0, 1.0)
    return float(np.hypot(ax + u * dx, ay + u * dy))


@pytest.mark.parametrize("name", RINGS)
@pytest.mark.parametrize("tolerance_m", [10.0, 1000.0])
def test_tolerance_bounds_the_straight_lonlat_drawing(name, tolerance_m):
    # The drawn edge is the straight lon/lat segment between consecutive points;
    # every point of the geodesic (sampled by geographiclib) lies within the tolerance of it.
    xy = RINGS[name]
    out = densify(xy, tolerance_m=tolerance_m)
    worst = 0.0
    for p, q in edges(out, closed=True):
        inv = G.Inverse(p[1], p[0], q[1], q[0])
        line = G.Line(p[1], p[0], inv["azi1"])
        for f in (0.25, 0.5, 0.75):
            on = line.Position(inv["s12"] * f)
            worst = max(worst, chord_distance_m(on["lon2"], on["lat2"], p, q))
    assert worst <= tolerance_m * 1.02


def test_a_finer_tolerance_adds_points_where_the_geodesic_bends():
    ring = RINGS["near-pole"]
    counts = [len(densify(ring, tolerance_m=t)) for t in (1000.0, 100.0, 10.0)]
    assert counts[0] > len(ring) and counts[0] < counts[1] < counts[2]
    # An edge along a meridian is its own geodesic: nothing to add.
    meridian = np.array([[180.0, -20.0], [180.0, 20.0]])
    assert len(densify(meridian, tolerance_m=1.0, closed=False)) == 2


def test_antimeridian_points_keep_their_side():
    out = densify(RINGS["on-antimeridian"], spacing_m=10_000.0)
    assert (out[:, 0] >= 170.0).all()
    assert (out[:, 0] == 180.0).sum() > 2
