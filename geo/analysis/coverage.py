"""Shares by area on the ellipsoid: of a launch area, and of territories in reach.

Two questions an analyst asks after a verdict:

- **launch coverage**: from what share of a launch territory is a place
  reachable ("Warsaw: only from the western x % of Belarus")? For each part
  of the territory that the exact distances show is partly in range, the
  part is intersected with the annulus ``min_km <= d <= max_km`` around the
  place (a :mod:`geo.analysis.zones` zone of a point, drawn to ``tolerance_m``);
  parts wholly in or out of range count fully or not at all, decided by
  the exact nearest and farthest distances, not by a drawing.
- **territory shares**: what share of each country lies in a zone.

Areas are geodesic polygon areas on WGS84 (``Geod.geometry_area_perimeter``,
GeographicLib). The error bound of a share is ``2 * tolerance_m`` times the
length of the drawn boundary inside the measured area, divided by the
total: the drawn boundary is within ``tolerance_m`` of the true one, and
straight lon/lat edges differ from geodesic edges by less than another
``tolerance_m`` after the zone's densification. ``tests/test_claims.py``
(``test_coverage_matches_an_equal_area_grid``) checks shares against an
equal-area grid of exact distances.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.analysis.bands import RangeBand, cap_bounds, part_bounds
from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchSource
from geo.geodesy.distance import LaunchArea
from geo.geodesy.ellipsoid import WGS84

__all__ = ["Coverage", "geodesic_area_m2", "launch_coverage", "share_in_zone"]

COVERAGE_TOLERANCE_M = 10.0
"""Boundary tolerance of the annuli drawn for coverage, in metres."""


def geodesic_area_m2(geometry: BaseGeometry) -> tuple[float, float]:
    """Return the area (m²) and perimeter (m) of a lon/lat (Multi)Polygon on WGS84.

    Edges are taken as geodesics between vertices; orientation is ignored.
    """
    if geometry.is_empty:
        return 0.0, 0.0
    area = 0.0
    perimeter = 0.0
    for poly in shapely.get_parts(geometry):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for k, ring in enumerate(shapely.get_rings(poly)):  # the exterior first, then the holes
            xy = shapely.get_coordinates(ring)
            a, p = WGS84.polygon_area_perimeter(xy[:, 0], xy[:, 1])
            area += abs(a) if k == 0 else -abs(a)
            perimeter += p
    return area, perimeter


@dataclass(frozen=True)
class Coverage:
    """From how much of the launch a place is reachable.

    Attributes
    ----------
    share : float or None
        Share of the launch area (0 to 1) from which the place is
        reachable; None when the launch has no area (only points).
    error : float
        Bound on the error of ``share``.
    area_km2, total_km2 : float
        Reachable-from area and the whole launch area, in km².
    points_reachable, points : int
        Launch points (sites, coordinates) from which the place is
        reachable, and their number.
    """

    share: float | None
    error: float
    area_km2: float
    total_km2: float
    points_reachable: int
    points: int

    def describe(self) -> str:
        """Return e.g. ``"31.2 % of the area (+-0.01)"`` or ``"1 of 2 sites"``."""
        parts = []
        if self.share is not None:
            parts.append(f"{100 * self.share:.1f} % of the area")
        if self.points:
            parts.append(f"{self.points_reachable} of {self.points} sites")
        return "; ".join(parts)


def launch_coverage(
    sources: Sequence[LaunchSource],
    lon: float,
    lat: float,
    band: RangeBand,
    *,
    tolerance_m: float = COVERAGE_TOLERANCE_M,
) -> Coverage:
    """Return the share of the launch area from which ``(lon, lat)`` is reachable.

    Parameters
    ----------
    sources : sequence of LaunchPoint or LaunchRegion
    lon, lat : float
        The place, degrees.
    band : RangeBand
    tolerance_m : float, default 10
        Boundary tolerance of the annulus drawn around the place.

    Examples
    --------
    >>> from geo.analysis.launch import parse_launch
    >>> c = launch_coverage([parse_launch("BLR")], 21.0118, 52.2298, RangeBand(700, 5000))  # Warsaw
    >>> f"{100 * c.share:.0f} %"
    '8 %'
    """
    from geo.analysis.zones import reachable_zone

    total = 0.0
    covered = 0.0
    error_m2 = 0.0
    annulus: BaseGeometry | None = None
    points = reachable_points = 0
    for source in sources:
        if isinstance(source, LaunchPoint):
            points += 1
            d = float(WGS84.inv(source.lon, source.lat, lon, lat)[2])
            reachable_points += int(band.min_m <= d <= band.max_m)
            continue
        assert isinstance(source, LaunchRegion)
        target = np.array([lon]), np.array([lat])
        cap_lo, cap_hi = cap_bounds(source.parts, *target)
        for k, part in enumerate(source.parts):
            area = _part_area_m2(part)
            total += area
            # The cap's bounds, else the vertices', else exact distances: whichever first decides the part.
            lo, hi = float(cap_lo[k, 0]), float(cap_hi[k, 0])
            if not band.decides(lo, hi):
                lo, hi = (float(v[0]) for v in part_bounds(part, *target))
            if not band.decides(lo, hi):
                lo, hi = (float(v[0]) for v in part.distances(*target))
            if hi < band.min_m or lo > band.max_m:
                continue  # no point of the part reaches: exact
            if lo >= band.min_m and hi <= band.max_m:
                covered += area  # every point reaches: exact
                continue
            if annulus is None:
                place = LaunchPoint("place", lon, lat)
                annulus = reachable_zone([place], band, tolerance_m=tolerance_m)
            piece = shapely.intersection(annulus, part.geometry)
            a, _ = geodesic_area_m2(piece)
            # Only the annulus boundary inside the part is uncertain.
            inner = shapely.intersection(annulus.boundary, part.geometry)
            covered += a
            error_m2 += 2.0 * tolerance_m * _length_m(inner)
    if total == 0.0:
        return Coverage(None, 0.0, 0.0, 0.0, reachable_points, points)
    return Coverage(
        min(covered / total, 1.0), error_m2 / total, covered / 1e6, total / 1e6, reachable_points, points
    )


_PART_AREAS: weakref.WeakKeyDictionary[LaunchArea, float] = weakref.WeakKeyDictionary()


def _part_area_m2(part: LaunchArea) -> float:
    """Return a launch part's geodesic area, measured once per part (every claim from it asks again)."""
    area = _PART_AREAS.get(part)
    if area is None:
        area = _PART_AREAS[part] = geodesic_area_m2(part.geometry)[0]
    return area


_TERRITORY_AREAS: dict[int, tuple[BaseGeometry, float]] = {}


def _territory_area_m2(territory: BaseGeometry) -> float:
    """Return a territory's geodesic area, measured once per geometry (each scenario and survey asks again)."""
    found = _TERRITORY_AREAS.get(id(territory))
    if found is None or found[0] is not territory:  # the geometry is kept with its area: its id stays its own
        if len(_TERRITORY_AREAS) >= 1024:
            _TERRITORY_AREAS.clear()
        found = _TERRITORY_AREAS[id(territory)] = (territory, geodesic_area_m2(territory)[0])
    return found[1]


def share_in_zone(zone: BaseGeometry, territory: BaseGeometry, tolerance_m: float) -> tuple[float, float, float]:
    """Return ``(share, error, area_km2)`` of a territory inside a drawn zone.

    The error bound counts the zone boundary inside the territory (see the
    module docstring).
    """
    total = _territory_area_m2(territory)
    if total == 0.0 or zone.is_empty or not zone.intersects(territory):
        return 0.0, 0.0, 0.0
    piece = shapely.intersection(zone, territory)
    area, _ = geodesic_area_m2(piece)
    inner = shapely.intersection(zone.boundary, territory)
    return min(area / total, 1.0), 2.0 * tolerance_m * _length_m(inner) / total, area / 1e6


def _length_m(lines: BaseGeometry) -> float:
    if lines.is_empty:
        return 0.0
    return float(WGS84.geometry_length(lines))
