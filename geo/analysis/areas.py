"""Areas as targets: how much of a country, territory, region or polygon a range band reaches.

For an area target A (its polygons' edges read as geodesics, split into
connected parts) and a launch L (points and connected areas), one row says:

- ``min_km``, ``max_km``: the exact nearest and farthest geodesic distance
  between a point of L and a point of A (:mod:`geo.analysis.separation`),
  ``lat``/``lon`` the point of A nearest the launch;
- ``status``: the one rule of :func:`geo.analysis.status.classify` applied to
  the area: a launch part and a part of A are at distances that fill the
  interval ``[nearest, farthest]`` of the pair (both are connected), so
  ``reachable`` means **some** point of A is reachable, ``too_close`` that
  every point of A is in the dead zone, ``too_far`` that every point is
  beyond the reach, ``mixed`` the rest; ``margin_km`` and ``via`` as for a
  point (the deciding pair's slack or miss, and its launch part);
- ``all_reachable``: whether **every** point of A is reachable;
- ``reachable_share``: the share of A's area (on the ellipsoid,
  :mod:`geo.geodesy.area`) in the reachable zone, and ``share_error`` a
  bound on its error.

How each is decided
-------------------
The status is exact: each pair (launch part, part of A) is screened with
the balls of :mod:`geo.analysis.separation` (a pair whose balls are farther
apart than ``max_km`` is too far, one whose balls lie within ``min_km`` too
close); the other pairs, and any pair that decides the margin, get their
exact nearest and farthest distance. ``all_reachable`` and the share are
exact (True and 1, False and 0) when the pairs settle them: no pair reaches
(0); every part of A has a launch part with ``farthest <= max_km`` and
``nearest >= min_km`` (1). Otherwise A is intersected with the reachable
zone drawn by :func:`geo.analysis.zones.reachable_zone` (boundary within
``tolerance_m`` of the true one). ``all_reachable`` is then False when an
exact witness is found (the point of A nearest the launch, its farthest
point, a representative point of every piece of A outside the drawn zone,
each classified exactly by :class:`geo.analysis.classifier.Classifier`: a
dead zone that cuts a hole in A, or a corner beyond the reach, gives one),
and True when none is and the area of A outside the drawn zone is within
the share's error bound: it can then be wrong only for an area whose
unreachable part is a sliver thinner than ``tolerance_m`` along the zone
boundary. The share's error bound is ``2 * tolerance_m`` times the length
of the drawn zone boundary inside A (the boundary is within ``tolerance_m``
of the true one, straight lon/lat edges within another ``tolerance_m`` of
geodesics, as :mod:`geo.analysis.coverage` argues), plus ``2 *`` the 1 m to
which A's edges are densified times A's boundary inside the zone, divided
by A's area. ``tests/test_area_targets.py`` checks all of it against a
dense equal-area sampling oracle that shares no code with the engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.analysis.bands import RangeBand
from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchSource
from geo.analysis.separation import Separation, _farthest, _nearest, _Side, _side
from geo.analysis.status import Status, classify
from geo.analysis.zones import DEFAULT_TOLERANCE_M, reach_zone, reachable_zone
from geo.geodesy.area import polygon_area_m2
from geo.geodesy.densify import densify
from geo.geodesy.ellipsoid import HALF_MERIDIAN_M, WGS84, geodesic_distance

__all__ = ["AREA_COLUMNS", "AreaReach", "AreaZone", "area_intervals", "area_reach"]

AREA_COLUMNS: Final = ("all_reachable", "reachable_share", "share_error", "area_km2")
"""The columns an area target adds to a reach table (after ``via``); a point's row leaves them empty."""

_CLIP_MARGIN_M: Final = 50_000.0  # the cutting disk is drawn this much wider than needed: surely a superset
_CLIP_LIMIT_M: Final = 9_000_000.0  # beyond this radius the disk would hold nearly everything: no cut
_EDGE_TOLERANCE_M: Final = 1.0  # the area's geodesic edges are densified to within this before intersecting


@dataclass(frozen=True)
class AreaReach:
    """What a range band reaches of one area target (see the module docstring).

    Distances in km; ``share`` and ``share_error`` as fractions (0 to 1);
    ``lat``/``lon`` the point of the area nearest the launch.
    """

    label: str
    min_km: float
    max_km: float
    status: Status
    margin_km: float
    via: str
    all_reachable: bool
    share: float
    share_error: float
    area_km2: float
    lat: float
    lon: float
    exact_share: bool
    separation: Separation = field(repr=False)

    def describe(self) -> str:
        """Return ``"some of Poland is reachable: 37.0 % (+-0.01 %)"``, ``"all of Guam"``, ``"none of Hawaii"``."""
        if self.status != Status.REACHABLE:
            return f"none of {self.label} is reachable ({self.status})"
        if self.all_reachable:
            return f"all of {self.label} is reachable"
        return f"some of {self.label} is reachable: {_percent(self.share, self.share_error)} of its area"


def _percent(share: float, error: float) -> str:
    text = f"{100 * share:.1f} %"
    return text if error == 0.0 else f"{text} (+-{100 * max(error, 5e-5):.2g} %)"


class AreaZone:
    """One launch and band, prepared once and shared by the area targets of a table.

    The reachable zone is drawn only of the launch parts that can reach a
    target (a part that reaches no point of the area adds nothing to the
    zone inside it), once per such set of parts.
    """

    def __init__(self, sources: Sequence[LaunchSource], band: RangeBand,
                 tolerance_m: float = DEFAULT_TOLERANCE_M) -> None:
        self.sources = list(sources)
        self.band = band
        self.tolerance_m = float(tolerance_m)
        self._zones: dict[tuple[float, ...], BaseGeometry] = {}
        self._launch: _Side | None = None

    def zone(self, parts: Sequence[int], ball: tuple[float, float, float]) -> BaseGeometry:
        """Return the drawn reachable zone, inside a target's ball, of some launch parts (indices of :attr:`launch`).

        A launch area is first cut to the disk of radius ``r + max_km`` (and
        a margin) around the target's ball ``(lon, lat, r)``: only its points
        in that disk can reach the target, and the pieces of the cut area,
        taken as launch parts, reach exactly the points of the target the
        whole area reaches (a point is reachable when some launch point is
        within the band, whichever piece holds it). A country's buffer
        across a continent is then never drawn for a target beside it.
        """
        key = (*map(float, sorted(parts)), *ball)
        if key not in self._zones:
            pieces = [self.launch.pieces[i] for i in sorted(parts)]
            radius = ball[2] + self.band.max_m + _CLIP_MARGIN_M
            disk = None
            if radius < _CLIP_LIMIT_M:
                disk = reach_zone([LaunchPoint(label="target", lon=ball[0], lat=ball[1])], radius / 1000.0,
                                  tolerance_m=self.tolerance_m)
            sources: list[LaunchSource] = []
            for p in pieces:
                if p.area is None:
                    sources.append(LaunchPoint(label=p.name or "launch", lon=p.lon, lat=p.lat))
                    continue
                geometry = p.area.geometry if disk is None else shapely.intersection(p.area.geometry, disk)
                sources.extend(LaunchRegion(label=p.name or "launch", geometry=g)
                               for g in shapely.get_parts(geometry) if g.geom_type == "Polygon" and not g.is_empty)
            zone = reachable_zone(sources, self.band, tolerance_m=self.tolerance_m) if sources else shapely.Polygon()
            shapely.prepare(zone)
            self._zones[key] = zone
        return self._zones[key]

    @property
    def launch(self) -> _Side:
        """The launch in pieces (prepared once)."""
        if self._launch is None:
            self._launch = _side(self.sources)
        return self._launch

    def part_name(self, i: int) -> str:
        """Return a launch part's name as ``via`` names it for a point (the launch's label if in one piece)."""
        return self.launch.pieces[i].name or self.launch.label


def area_reach(
    sources: Sequence[LaunchSource] | AreaZone,
    band: RangeBand,
    geometry: BaseGeometry,
    label: str,
    *,
    code: str = "",
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> AreaReach:
    """Return what a range band reaches of an area target.

    Parameters
    ----------
    sources : sequence of LaunchPoint or LaunchRegion, or AreaZone
        The launch; an :class:`AreaZone` shares its drawn zone between targets.
    band : RangeBand
    geometry : shapely Polygon or MultiPolygon
        The area, lon/lat degrees, edges read as geodesics.
    label : str
        Its name (``"Poland"``).
    code : str, optional
        Its ISO alpha-3 code, if a country: its parts are then named by region.
    tolerance_m : float, default 10
        The drawn zone's boundary tolerance, when the share needs it.

    Examples
    --------
    >>> from geo.analysis.launch import parse_launch
    >>> from geo.reference.places import lookup_country
    >>> _, name, shape = lookup_country("Poland")
    >>> r = area_reach([parse_launch("BLR")], RangeBand(0, 500), shape, name)
    >>> r.status.value, r.all_reachable, f"{100 * r.share:.0f} %"
    ('reachable', False, '89 %')
    """
    shared = sources if isinstance(sources, AreaZone) else AreaZone(sources, band, tolerance_m)
    launch = shared.launch
    target = _side(LaunchRegion(label=label, geometry=geometry, code=code if len(code) == 3 else ""))
    from geo.analysis.separation import _separation

    sep = _separation(launch, target)
    low, high = band.min_m, band.max_m
    near, far, exact = _pair_intervals(launch, target, low, high)
    while True:  # the rule, with every pair that could decide solved exactly
        code_, margin, part = classify(near.reshape(-1, 1), far.reshape(-1, 1), low, high)
        k = int(part[0])
        if exact.flat[k]:
            break
        i, j = np.unravel_index(k, exact.shape)
        near.flat[k], far.flat[k] = _exact_pair(launch, target, int(i), int(j))
        exact.flat[k] = True
    status = list(Status)[int(code_[0])]
    i_dec, _ = np.unravel_index(int(part[0]), exact.shape)
    via = shared.part_name(int(i_dec))
    total_m2 = polygon_area_m2(geometry)
    common = dict(label=label, min_km=sep.min_km, max_km=sep.max_km, status=status,
                  margin_km=float(margin[0]) / 1000.0, via=via, area_km2=total_m2 / 1e6,
                  lat=sep.min_to_lat, lon=sep.min_to_lon, separation=sep)
    if status != Status.REACHABLE:
        return AreaReach(all_reachable=False, share=0.0, share_error=0.0, exact_share=True, **common)  # type: ignore[arg-type]
    near2, far2 = near.reshape(exact.shape), far.reshape(exact.shape)
    whole = exact & (far2 <= high) & (near2 >= low)  # every point of part j within the band of launch part i
    if whole.any(axis=0).all():
        return AreaReach(all_reachable=True, share=1.0, share_error=0.0, exact_share=True, **common)  # type: ignore[arg-type]
    target_ball = _ball_of(target)
    reaching = np.flatnonzero((exact & (near2 <= high) & (far2 >= low)).any(axis=1))  # the only parts that matter
    zone = shared.zone(reaching.tolist(), target_ball)
    share, error, outside_m2, pieces = _share(zone, shared.tolerance_m, geometry, total_m2)
    witnesses = [(sep.min_to_lon, sep.min_to_lat), (sep.max_to_lon, sep.max_to_lat)]
    witnesses += [(p.x, p.y) for p in pieces]
    from geo.analysis.classifier import Classifier

    w = np.asarray(witnesses, dtype=float)
    codes = Classifier(shared.sources, band, workers=1).status(w[:, 0], w[:, 1])
    every = bool(np.all(codes == Status.REACHABLE.code)) and outside_m2 <= error * total_m2
    if every:
        share, error = 1.0, max(error, outside_m2 / total_m2)
    return AreaReach(all_reachable=every, share=share, share_error=error, exact_share=False, **common)  # type: ignore[arg-type]


def area_intervals(
    sources: Sequence[LaunchSource] | AreaZone, geometry: BaseGeometry, label: str, *, code: str = ""
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return every (launch part, part of the area) pair's exact nearest and farthest distance.

    The pairs are the "parts" of the rule for an area target: the status of
    :func:`geo.analysis.status.classify` over them says whether some of the
    area is reachable, and a verdict can flip only at one of these values
    (as :func:`geo.analysis.bands.source_intervals` gives them for a point).

    Returns
    -------
    labels : list of str
        The launch part of each pair (as ``via`` names it).
    nearest, farthest : ndarray, shape (pairs, 1)
        In metres.
    """
    shared = sources if isinstance(sources, AreaZone) else AreaZone(sources, RangeBand(0.0, 0.0))
    launch = shared.launch
    target = _side(LaunchRegion(label=label, geometry=geometry, code=code if len(code) == 3 else ""))
    labels, near, far = [], [], []
    for i in range(len(launch.pieces)):
        for j in range(len(target.pieces)):
            n, f = _exact_pair(launch, target, i, j)
            labels.append(shared.part_name(i))
            near.append(n)
            far.append(f)
    return labels, np.asarray(near).reshape(-1, 1), np.asarray(far).reshape(-1, 1)


def _pair_intervals(launch: _Side, target: _Side, low: float, high: float) -> tuple[np.ndarray, ...]:
    """Return (nearest, farthest, exact) per pair of pieces: exact where a pair may reach, ball bounds elsewhere.

    A pair's bounds keep its side: a pair whose balls are farther apart than
    ``high`` is too far (its nearest bound is above ``high``), one within
    ``low`` too close (its farthest bound below ``low``); the rule reads
    them as it reads exact values.
    """
    ball_a = np.array([p.ball for p in launch.pieces])
    ball_b = np.array([p.ball for p in target.pieces])
    centres = geodesic_distance(ball_a[:, None, 0], ball_a[:, None, 1], ball_b[None, :, 0], ball_b[None, :, 1])
    radii = ball_a[:, None, 2] + ball_b[None, :, 2]
    near = np.maximum(0.0, centres - radii)
    far = np.minimum(centres + radii, HALF_MERIDIAN_M)
    exact = (near <= high) & (far >= low)
    for i, j in zip(*np.nonzero(exact), strict=True):
        near[i, j], far[i, j] = _exact_pair(launch, target, int(i), int(j))
    return near.ravel(), far.ravel(), exact


def _ball_of(side: _Side) -> tuple[float, float, float]:
    """Return a centre (lon, lat) and radius (m) holding every piece of a side: the balls of its pieces, joined."""
    balls = np.array([p.ball for p in side.pieces])
    lon, lat = float(balls[0, 0]), float(balls[0, 1])
    d = geodesic_distance(lon, lat, balls[:, 0], balls[:, 1])
    return lon, lat, float(min(np.max(d + balls[:, 2]), HALF_MERIDIAN_M))


def _exact_pair(launch: _Side, target: _Side, i: int, j: int) -> tuple[float, float]:
    p, q = launch.pieces[i], target.pieces[j]
    n = _nearest(p, q, math.inf)
    f = _farthest(p, q, -math.inf)
    assert n is not None and f is not None  # unbounded: always found
    return n[0], f[0]


def _densified(geometry: BaseGeometry) -> BaseGeometry:
    """Return the area with its geodesic edges densified, so that straight lon/lat edges are within 1 m of them."""
    polygons = []
    for poly in shapely.get_parts(geometry):
        rings = [densify(np.asarray(r.coords)[:-1, :2], tolerance_m=_EDGE_TOLERANCE_M)
                 for r in (poly.exterior, *poly.interiors)]
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]


def _share(zone: BaseGeometry, tolerance_m: float, geometry: BaseGeometry,
           total_m2: float) -> tuple[float, float, float, list]:
    """Return the share of the area in the drawn zone, its error bound, the area outside (m²), and its pieces."""
    area = _densified(geometry)
    inside = shapely.intersection(zone, area)
    outside = shapely.difference(area, zone)
    inside_m2 = polygon_area_m2(inside)
    outside_m2 = polygon_area_m2(outside)
    zone_edge = _length_m(shapely.intersection(zone.boundary, area))
    area_edge = _length_m(shapely.intersection(area.boundary, zone))
    error_m2 = 2.0 * tolerance_m * zone_edge + 2.0 * _EDGE_TOLERANCE_M * area_edge
    pieces = [p.representative_point() for p in shapely.get_parts(outside)
              if p.geom_type == "Polygon" and not p.is_empty]
    return min(inside_m2 / total_m2, 1.0), error_m2 / total_m2, outside_m2, pieces


def _length_m(lines: BaseGeometry) -> float:
    return 0.0 if lines.is_empty else float(WGS84.geometry_length(lines))
