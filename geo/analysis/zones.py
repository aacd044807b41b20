"""Range zones on the WGS84 ellipsoid, drawn as valid lon/lat polygons.

Definitions (distances are WGS84 geodesics; a launch *part* is a site or one
polygon of a launch territory; bounds are inclusive, as in :mod:`geo.analysis.bands`)
-----------------------------------------------------------------------------
- **reach** (radius ``max_km``): every point within ``max_km`` of some launch
  point, i.e. ``nearest(T) <= max_km``. For an area this is its geodesic
  buffer, the area included.
- **dead zone** (radius ``min_km``): every point that every launch point is
  too close to hit, i.e. ``farthest(T) < min_km`` over all parts: for one
  site the disk of radius ``min_km``; for an area the intersection of the
  disks around all of its points (much smaller than its buffer); for several
  parts the intersection of their dead zones. Empty when ``min_km`` is 0.
- **reachable**: every point T such that some launch point p of some part has
  ``min_km <= d(p, T) <= max_km``: the union over parts of (reach of the part
  minus its dead zone). These are exactly the places :func:`geo.analysis.status.classify`
  calls ``reachable``; the dead zone holds exactly the ``too_close`` ones.

The four statuses partition the Earth by these three zones: ``reachable``
in the reachable zone, ``too_close`` in the dead zone, ``too_far`` outside
the reach, and ``mixed`` in the rest of the reach (inside **reach**, outside
both **reachable** and **dead zone**). The mixed region has no role of its
own: it is empty for one launch point or one connected area, and a thin
band between parts otherwise; ``tests/test_zones.py`` checks each status
against these memberships at oracle sample points.

How a zone is built
-------------------
Each zone is a sublevel set ``{g <= R}`` of an exact distance field ``g``
(nearest or farthest point of a part, from :class:`geo.geodesy.distance.LaunchArea`, or
:class:`~geo.geodesy.distance.LaunchLine` for a route: every point along its geodesic legs, a boundary
without interior, so its reach is the geodesic buffer of the line and nothing is inside it).

1. **Seed**: an approximate boundary with the right shape. A buffer of an
   area is seeded by a planar buffer in an azimuthal equidistant projection
   centred on the area; convex zones (disks, the dead zone of an area, the
   far side of a very large buffer) by a circle of azimuths around the point
   that maximises the margin. Radii beyond half the meridian are handled on
   the far side of the Earth: the zone is then the complement of a small
   region around the antipodes of the launch area.
2. **Snap**: every seed vertex is moved along the geodesic from its nearest
   (farthest) launch point until its exact distance is the radius, to 1 mm.
3. **Densify**: every edge is read as a straight line in lon/lat (as GeoJSON
   viewers draw it); it is checked at a quarter, half and three quarters of
   its length with the exact field and split at a snapped midpoint until
   every check point is within ``tolerance_m / 2`` of the radius.
4. **Fit for great circles**: points are added along each straight edge
   (on it, so the lon/lat drawing does not change) until the geodesic
   between consecutive points is within ``tolerance_m / 2`` of it, so the
   edges read as geodesics (a globe, KML, GeographicLib's areas) are within
   the tolerance too.
5. **Map**: each closed curve is cut at the antimeridian and closed along
   the map edge where it circles a pole (:mod:`geo.geodesy.lonlat`), choosing the
   side from a point known to be outside.

Error bound
-----------
For every vertex ``|g - R| <= 1 mm``; for every checked point of every edge
``|g - R| <= tolerance_m / 2``. The tests sample the drawn boundaries and
tens of thousands of points near them and require every point farther than
``tolerance_m`` from the true boundary (``|g - R| > tolerance_m``) to be
classified like the exact distances say. ``tolerance_m`` defaults to 10 m
and may be set down to 1 m.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import numpy as np
import shapely
import shapely.errors
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer
from pyproj.enums import TransformDirection
from shapely.geometry.base import BaseGeometry

from geo.analysis import cache
from geo.analysis.bands import RangeBand, resolve_band
from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchSource, as_sources
from geo.errors import InvalidRangeError, ZoneTooComplexError
from geo.geodesy.area import polygon_area_m2
from geo.geodesy.densify import densify
from geo.geodesy.distance import LaunchArea, LaunchLine
from geo.geodesy.ellipsoid import HALF_MERIDIAN_M, WGS84, antipode, geodesic_distance
from geo.geodesy.lonlat import WORLD, orient, polygonal, side_polygon, unwrap, wrap
from geo.reference.borders import borders_data, check_borders

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "MIN_TOLERANCE_M",
    "ROLES",
    "Zone",
    "dead_zone",
    "reach_zone",
    "piece",
    "reachable_zone",
    "reporting",
    "sublevel",
    "zones",
]

log = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

DEFAULT_TOLERANCE_M: Final = 10.0
"""Default largest distance from a drawn boundary to the true one, in metres."""
MIN_TOLERANCE_M: Final = 1.0
"""Smallest accepted ``tolerance_m``."""
ROLES: Final = ("reach", "dead_zone", "reachable")

_SNAP_M: Final = 1e-3  # vertices are snapped to the boundary to 1 mm
_NEWTON_STEPS: Final = 6  # Newton steps before a point is bracketed (most settle in one or two)
_BRACKET_STEPS: Final = 60  # doublings, then Illinois steps, of a bracketed snap
_REFINE_ROUNDS: Final = 40  # rounds of edge splitting: each halves the unverified edges (they end below tol)
_ACROSS_SHARE: Final = 0.35  # a Newton snap of an edge's midpoint moving it farther (times the edge) is redone across
_CUT_TOLERANCE_M: Final = 0.5  # a tile's cut points lie this close to the geodesic edges they cut
_SEED_TRUST: Final = 2.0  # a seed vertex moved farther (times the radius) by its snap shows a wrong seed
_FIRST_BUFFER_SHARE: Final = 0.05  # of the radius: a seed's first buffer step, which merges nearby parts
_MAX_VERTICES: Final = 2_000_000  # vertices of one zone's curves before it is refused (about 100 MB of work)
_SEED_AZIMUTHS: Final = 256
# The far side: d(T, p) >= H - d(T, p') always, and exceeds it by at most
# 33.6 km on WGS84 (measured: largest at the equator). Seeds built from
# antipodes are widened by half that, so they straddle the true boundary.
_ANTIPODAL_SLACK_M: Final = 17_000.0
_FLAT_LIMIT_M: Final = HALF_MERIDIAN_M / 2.0


class _Field(Protocol):
    @property
    def farthest(self) -> bool: ...

    def extremes(
        self, lon: FloatArray, lat: FloatArray, point: bool = True
    ) -> tuple[FloatArray, FloatArray, FloatArray]: ...


@dataclass(frozen=True)
class _PointField:
    """Distance to one launch point (nearest and farthest are the same)."""

    lon: float
    lat: float
    farthest: bool = False

    def extremes(
        self, lon: FloatArray, lat: FloatArray, point: bool = True
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        d = geodesic_distance(self.lon, self.lat, lon, lat)
        return d, np.full(d.shape, self.lon), np.full(d.shape, self.lat)


@dataclass(frozen=True)
class _AreaField:
    """Distance to the nearest (or farthest) point of a launch area."""

    area: LaunchArea
    farthest: bool = False

    def extremes(
        self, lon: FloatArray, lat: FloatArray, point: bool = True
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        return self.area.extremes(lon, lat, farthest=self.farthest, point=point)


@dataclass(frozen=True)
class _MultiField:
    """The nearest (farthest) point over several fields: several sites and territories as one."""

    fields: tuple[_Field, ...]
    farthest: bool = False

    def extremes(
        self, lon: FloatArray, lat: FloatArray, point: bool = True
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        results = [f.extremes(lon, lat, point) for f in self.fields]
        d = np.stack([r[0] for r in results])
        k = d.argmax(axis=0) if self.farthest else d.argmin(axis=0)
        cols = np.arange(d.shape[1])
        return d[k, cols], np.stack([r[1] for r in results])[k, cols], np.stack([r[2] for r in results])[k, cols]


@dataclass(frozen=True)
class Zone:
    """A range zone as a lon/lat geometry, with what it was built from.

    Attributes
    ----------
    role : str
        ``reach``, ``dead_zone`` or ``reachable`` (see the module docstring).
    geometry : shapely Polygon or MultiPolygon
        EPSG:4326 lon/lat, split at the antimeridian, exterior rings
        counter-clockwise, pole caps closed along the map edge; empty when
        the zone is empty.
    min_km, max_km : float
        The range band.
    launch : str
        Description of the launch sources.
    tolerance_m : float
        Largest distance of the drawn boundary from the true one, with its
        edges read as straight lines in lon/lat or as geodesics.
    borders : str
        The border view a country named as the launch was taken under
        (:mod:`geo.reference.borders`); the properties add the data it was
        built from (``border_src``).
    area_km2 : float
        The zone's area on the ellipsoid: GeographicLib's exact area of its
        polygons (edges read as geodesics), any size (see
        :mod:`geo.geodesy.area`); within perimeter x ``tolerance_m`` of the
        true zone's area. 0 for an empty zone.
    """

    role: str
    geometry: BaseGeometry
    min_km: float
    max_km: float
    launch: str
    tolerance_m: float
    borders: str = "recognised"
    earth_rotation: bool = False
    """Whether ``max_km`` was read as a ballistic missile's reach on the turning Earth (``geo.analysis.rotation``)."""

    @functools.cached_property
    def area_km2(self) -> float:
        """The zone's area in km² (see the class docstring)."""
        return polygon_area_m2(self.geometry) / 1e6

    def properties(self) -> dict[str, object]:
        """Return the feature properties: the fields above but the geometry."""
        return {
            "role": self.role,
            "min_km": self.min_km,
            "max_km": self.max_km,
            "launch": self.launch,
            "tolerance_m": self.tolerance_m,
            "area_km2": self.area_km2,
            "borders": self.borders,
            "border_src": borders_data(self.borders),
        } | ({"earth_rotation": True} if self.earth_rotation else {})


# ---------------------------------------------------------------------------
# Public API


def reach_zone(
    sources: Sequence[LaunchSource], max_km: float, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> BaseGeometry:
    """Return every point within ``max_km`` of some launch point (boundary included).

    Parameters
    ----------
    sources : sequence of LaunchPoint or LaunchRegion
    max_km : float
        Radius in km, 0 to 20,004.
    tolerance_m : float, default 10
        Largest distance in metres of the drawn boundary from the true one.

    Examples
    --------
    >>> from geo.analysis.launch import LaunchPoint
    >>> disk = reach_zone([LaunchPoint("Krichev", 31.9172, 53.7347)], 5000)
    >>> bool(disk.contains(shapely.Point(0.0, 89.99))), disk.is_valid  # the North Pole is 4,033 km away
    (True, True)
    """
    band = RangeBand(0.0, max_km, where="reach")
    tol = _check_tolerance(tolerance_m)
    return sublevel(_combined(_parts(sources), farthest=False), band.max_m, tol)


def dead_zone(
    sources: Sequence[LaunchSource], min_km: float, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> BaseGeometry:
    """Return every point that every launch point is within ``min_km`` of (too close to hit).

    Parameters
    ----------
    sources : sequence of LaunchPoint or LaunchRegion
    min_km : float
        Minimum range in km.
    tolerance_m : float, default 10

    Notes
    -----
    The boundary (points whose farthest launch point is exactly ``min_km``
    away) is reachable, so it belongs to the dead zone only in the limit.
    The zone is the sublevel set of the farthest distance over all parts,
    which is the intersection of the parts' dead zones.
    """
    band = RangeBand(min_km, min_km, where="dead zone")
    tol = _check_tolerance(tolerance_m)
    if band.min_m == 0.0:
        return shapely.Polygon()
    return sublevel(_combined(_parts(sources), farthest=True), band.min_m, tol)


def reachable_zone(
    sources: Sequence[LaunchSource], band: RangeBand, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> BaseGeometry:
    """Return every point some launch point can hit: ``min_km <= d <= max_km`` for some part.

    The union over parts (sites, polygons of a territory) of the part's reach
    minus the part's dead zone; consistent with :func:`geo.analysis.status.classify`.

    Notes
    -----
    Parts are grouped so that no two points of different parts in a group
    are more than ``max_km - min_km`` apart. Within such a group no place
    can be too close to one part and too far from another, so the group's
    reachable zone is its reach minus its dead zone, two sublevel sets of
    the group's combined fields. A country whose parts all lie within
    ``max_km - min_km`` of each other is therefore one group.
    """
    tol = _check_tolerance(tolerance_m)
    if band.min_m == 0.0:  # nothing is too close: every group's zone is its reach, and their union the reach
        return reach_zone(sources, band.max_km, tolerance_m=tol)
    return _reachable(_groups(_parts(sources), band.max_m - band.min_m), band, tol)


def _reachable(groups: list[list[_Part]], band: RangeBand, tol: float) -> BaseGeometry:
    """Return the reachable zone of parts in groups (see :func:`reachable_zone`)."""
    pieces = []
    for k, group in enumerate(groups):
        with piece(k, len(groups)):
            outer = sublevel(_combined(group, farthest=False), band.max_m, tol)
            inner = sublevel(_combined(group, farthest=True), band.min_m, tol)
            pieces.append(polygonal(shapely.difference(outer, inner)))
    return _union(pieces)


def zones(
    launch: Any,
    min_km: float | RangeBand | None = None,
    max_km: float | None = None,
    *,
    system: str | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    borders: str = "recognised",
    earth_rotation: bool = False,
) -> list[Zone]:
    """Return the reach, dead zone and reachable zone of a range band from a launch, in that order.

    The launch and the band are given as to :func:`geo.reach` (what
    ``georange zone`` runs with ``--from``, ``--min-km``, ``--max-km`` and
    ``--system``).

    Parameters
    ----------
    launch : str, LaunchPoint, LaunchRegion, shapely geometry, GeoDataFrame, or a list of these
        Where the weapon is fired from: a ``--from`` string (``"Kaliningrad"``,
        ``"BLR"``, ``"53.9,27.56"`` as LAT,LON, a site, a file of polygons),
        or any other form :func:`geo.analysis.api.as_sources` takes; a list
        means "from any of these".
    min_km, max_km : float, optional
        The range band in km, bounds inclusive, as for :func:`geo.reach`:
        ``min_km`` defaults to 0 or the system's minimum, ``max_km`` may be
        omitted when ``system`` is given. ``min_km`` may instead be a
        :class:`~geo.analysis.bands.RangeBand` (then give neither ``max_km``
        nor ``system``).
    system : str, optional
        A weapon system of ``data/systems.toml`` (``"iskander-m"``); its
        published figures fill the bounds not given.
    tolerance_m : float, default 10
        Largest distance of a drawn boundary from the true one, in metres (at least 1).
    borders : str, default "recognised"
        The border view of a country named as the launch, as for :func:`geo.reach`.
    earth_rotation : bool, default False
        The reach of a ballistic system on the turning Earth (launch points
        only, :mod:`geo.analysis.rotation`): drawn within
        :data:`~geo.analysis.rotation.DRAWN_TOLERANCE_M` (100 m) of the exact
        limit, whatever ``tolerance_m``; the dead zone stays a distance.

    Returns
    -------
    list of Zone
        ``reach``, ``dead_zone``, ``reachable``; each with its exact ``area_km2``.

    Raises
    ------
    InvalidRangeError
        For a bad band (or one given twice), tolerance or no launch.
    UnknownPlaceError, InvalidCoordinateError, InputFileError, ClaimFormatError
        For a launch or system that cannot be resolved; the message names it.

    Examples
    --------
    >>> [f"{z.role} {z.area_km2:,.0f} km2" for z in zones("53.9,27.56", 0, 100)]
    ['reach 31,414 km2', 'dead_zone 0 km2', 'reachable 31,414 km2']
    """
    if isinstance(min_km, RangeBand):
        if max_km is not None or system is not None:
            raise InvalidRangeError("zones: give a RangeBand or min_km/max_km/system, not both")
        band = min_km
    else:
        band = resolve_band(min_km, max_km, system)
    borders = check_borders(borders)
    sources = as_sources(launch, borders)
    tol = _check_tolerance(tolerance_m)
    launch = " or ".join(s.label for s in sources)
    if earth_rotation:
        return _rotating_zones(sources, band, launch, tol, borders, system)
    try:
        # The work in pieces, for a progress bar: the reach (about as much as the groups' reaches together),
        # the dead zone, and each group's two zones.
        groups = _groups(_parts(sources), band.max_m - band.min_m) if band.min_m > 0.0 else []
        g = len(groups) if len(groups) > 1 else 0
        n = max(g, 1) + (band.min_m > 0.0) + 2 * g
        with piece(0, n, max(g, 1)):
            reach = reach_zone(sources, band.max_km, tolerance_m=tol)
        with piece(max(g, 1), n) if band.min_m > 0.0 else contextlib.nullcontext():
            dead = dead_zone(sources, band.min_km, tolerance_m=tol)
        if band.min_m == 0.0:
            reachable = reach
        elif len(groups) == 1:
            # One group: its reachable zone is reach minus dead zone (see reachable_zone).
            reachable = orient(polygonal(shapely.difference(reach, dead)))
        else:
            with piece(g + 1, n, 2 * g):
                reachable = _reachable(groups, band, tol)
    except (MemoryError, shapely.errors.GEOSException) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else "no detail"
        raise ZoneTooComplexError(f"zones of {band.min_km:g}-{band.max_km:g} km from {launch}: building them "
                                  f"failed ({type(exc).__name__}: {detail}); try a larger tolerance or a simpler "
                                  "launch area") from None
    geoms = {"reach": reach, "dead_zone": dead, "reachable": reachable}
    log.info("zones of %g-%g km from %s drawn within %g m", band.min_km, band.max_km, launch, tol)
    return [Zone(role, geoms[role], band.min_km, band.max_km, launch, tol, borders) for role in ROLES]


def _rotating_zones(sources: list[LaunchSource], band: RangeBand, launch: str, tol: float, borders: str,
                    system: str | None) -> list[Zone]:
    """Return the zones on the turning Earth: each launch point's reach less its dead zone, united."""
    from geo.analysis.rotation import DRAWN_TOLERANCE_M, READ_AS, check_rotation, rotating_reach_zone

    points = check_rotation(sources, system)
    reach = rotating_reach_zone(points, band)
    dead = dead_zone(points, band.min_km, tolerance_m=tol)
    if band.min_m == 0.0:
        reachable = reach
    else:
        own = [polygonal(shapely.difference(rotating_reach_zone([p], band), dead_zone([p], band.min_km,
                                                                                       tolerance_m=tol)))
               for p in points]
        reachable = orient(polygonal(_union(own)))
    drawn = max(tol, DRAWN_TOLERANCE_M)
    geoms = {"reach": reach, "dead_zone": dead, "reachable": reachable}
    log.info("zones of %g-%g km from %s on the turning Earth drawn within %g m", band.min_km, band.max_km, launch,
             drawn)
    launch = f"{launch} (turning Earth: {READ_AS})"
    return [Zone(role, geoms[role], band.min_km, band.max_km, launch, drawn, borders, earth_rotation=True)
            for role in ROLES]


def sublevel(field: _Field, radius_m: float, tolerance_m: float = DEFAULT_TOLERANCE_M) -> BaseGeometry:
    """Return ``{T : g(T) <= radius_m}`` for a distance field as a lon/lat (Multi)Polygon.

    ``g`` is the distance to the nearest (or, for ``field.farthest``, the
    farthest) point of one launch part. See the module docstring for the
    method and the error bound. Each zone is built once per process and,
    with the disk cache on, once per machine (:mod:`geo.analysis.cache`).
    """
    key = {"field": _field_key(field), "radius_m": float(radius_m), "tolerance_m": float(tolerance_m)}
    return cache.remembered("zone", key, lambda: _sublevel(field, radius_m, tolerance_m),
                            dump=shapely.to_wkb, read=_read_zone)


def _read_zone(blob: bytes) -> BaseGeometry:
    geom = shapely.from_wkb(blob)
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"a zone is a polygon, not a {geom.geom_type}")
    return geom


def _field_key(field: _Field) -> object:
    """Return what a field's zones depend on, for cache keys: points by coordinates, areas by their geometry."""
    if isinstance(field, _PointField):
        return ["point", field.lon, field.lat, field.farthest]
    if isinstance(field, _AreaField):
        kind = "line" if isinstance(field.area, LaunchLine) else "area"
        return [kind, cache.geometry_digest(shapely.to_wkb(field.area.geometry)), field.farthest]
    assert isinstance(field, _MultiField)
    return ["any", field.farthest, [_field_key(f) for f in field.fields]]


def _sublevel(field: _Field, radius_m: float, tolerance_m: float) -> BaseGeometry:
    """:func:`sublevel` without the cache."""
    if radius_m >= HALF_MERIDIAN_M:
        return WORLD  # no two points of the ellipsoid are farther apart than the half meridian
    if radius_m <= 0.0:
        # Within 0 m of the nearest point: the launch areas themselves (a point has no area).
        return shapely.Polygon() if field.farthest else _areas(field, tolerance_m)
    if isinstance(field, _MultiField) and _spread(field) + radius_m > _FLAT_LIMIT_M:
        # Too spread out for one seed: the nearest over several fields is the
        # union of their sublevel sets, the farthest their intersection.
        pieces = _each_field(field, radius_m, tolerance_m)
        return _intersection(pieces) if field.farthest else _union(pieces)
    try:
        return _Builder(field, radius_m, tolerance_m).build()
    except _SeedMismatch:
        pass
    # The seed's shape was wrong (fronts of distant parts meet where it did not say): build the zone of
    # each field (several launches), or of each tile of one large area, and join them.
    if isinstance(field, _MultiField):
        pieces = _each_field(field, radius_m, tolerance_m)
        return _intersection(pieces) if field.farthest else _union(pieces)
    if not isinstance(field, _AreaField) or field.farthest or radius_m > _FLAT_LIMIT_M:
        raise ZoneTooComplexError(f"zone of {radius_m / 1000:,.1f} km from {_field_name(field)}: its shape "
                                  "could not be traced; try a simpler launch area")
    return _tiled(field.area, radius_m, tolerance_m)


def _each_field(field: _MultiField, radius_m: float, tolerance_m: float) -> list[BaseGeometry]:
    """Return the sublevel set of each of several fields."""
    pieces = []
    for k, f in enumerate(field.fields):
        with piece(k, len(field.fields)):
            pieces.append(sublevel(f, radius_m, tolerance_m))
    return pieces


class _SeedMismatch(Exception):
    """The seed's shape is too far from the zone's (fronts of a large launch area meet where it did not say)."""


def _field_name(field: _Field) -> str:
    return field.area.name if isinstance(field, _AreaField) else "the launch"


class _Progress:
    """Share of the zones of one call built so far, reported as the work is split into pieces."""

    def __init__(self, callback: Callable[[float], None]) -> None:
        self.callback = callback
        self.start, self.width = 0.0, 1.0

    @contextlib.contextmanager
    def span(self, a: float, b: float) -> Iterator[None]:
        """Work on the part from ``a`` to ``b`` (shares, 0 to 1) of the current span; report its end."""
        start, width = self.start, self.width
        self.start, self.width = start + width * a, width * (b - a)
        try:
            yield
        finally:
            self.start, self.width = start, width
        self.callback(start + width * b)


_progress: _Progress | None = None


@contextlib.contextmanager
def reporting(callback: Callable[[float], None]) -> Iterator[None]:
    """Call ``callback(share_done)`` (0 to 1) as the zones of each :func:`zones` call in the block are built.

    The share counts the zones to build and the pieces a large launch area
    is cut into; each piece's work is estimated equal, so the share is a
    guide for a progress bar, not a measure of time.
    """
    global _progress
    previous, _progress = _progress, _Progress(callback)
    try:
        yield
    finally:
        _progress = previous


def piece(k: int, n: int, weight: int = 1) -> contextlib.AbstractContextManager[None]:
    """Work on pieces ``k`` to ``k + weight`` of ``n`` equal pieces of the work :func:`reporting` reports.

    ``with piece(k, n): zones(...)`` makes the ``k``-th of ``n`` calls report its share of the whole.
    """
    return _progress.span(k / n, (k + weight) / n) if _progress is not None else contextlib.nullcontext()


def _tiled(area: LaunchArea, radius_m: float, tolerance_m: float, size_m: float | None = None) -> BaseGeometry:
    """Return the reach of a launch area as the union of the reaches of its pieces, about ``size_m`` wide.

    The reach of an area is the area with the reach of its boundary, so only
    pieces that hold some of the boundary count. Each piece is small next to
    the Earth, so its seed (a planar buffer round its own centre) has the
    zone's shape; where fronts of different pieces meet, the union of their
    exact zones is exact too. A polygon is cut by lon/lat tiles, after its
    edges are densified along their geodesics to :data:`_CUT_TOLERANCE_M`
    (so the cut points lie on them) and the tile edges into 0.01-degree
    steps; a route is cut at points of its own geodesic legs.
    """
    size = max(4.0 * radius_m, 2_000_000.0) if size_m is None else size_m
    if size < 100_000.0:
        raise ZoneTooComplexError(f"zone of {radius_m / 1000:,.1f} km from {area.name}: its shape could not be "
                                  "traced; try a simpler launch area")
    subs = _route_pieces(area, size) if isinstance(area, LaunchLine) else _polygon_tiles(area, size)
    pieces = [_areas(_AreaField(area), tolerance_m)]
    for k, sub in enumerate(subs):
        with piece(k, len(subs)):
            try:
                pieces.append(_Builder(_AreaField(sub), radius_m, tolerance_m).build())
            except _SeedMismatch:
                pieces.append(_tiled(sub, radius_m, tolerance_m, size / 2.0))
    return _union(pieces)


def _polygon_tiles(area: LaunchArea, size: float) -> list[LaunchArea]:
    """Return the pieces of a launch area in lon/lat tiles about ``size`` metres wide that hold its boundary."""
    geometry = _geodesic_edges(area.geometry, _CUT_TOLERANCE_M)
    boundary = geometry.boundary
    west, south, east, north = geometry.bounds
    dlat = size / 111_320.0
    out = []
    for lat0 in np.arange(south, north, dlat):
        lat1 = min(lat0 + dlat, north)
        widest = max(abs(lat0), abs(lat1))
        dlon = min(360.0, dlat / max(math.cos(math.radians(min(widest, 89.0))), 1e-3))
        for lon0 in np.arange(west, east, dlon):
            box = shapely.segmentize(shapely.box(lon0, lat0, min(lon0 + dlon, east), lat1), 0.01)
            if not shapely.intersects(boundary, box):
                continue
            polys = [q for g in shapely.get_parts(polygonal(shapely.intersection(geometry, box)))
                     for q in shapely.get_parts(g) if not q.is_empty]
            if polys:
                out.append(LaunchArea(polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys),
                                      name=f"{area.name} (tile)"))
    return out


def _route_pieces(route: LaunchArea, size: float) -> list[LaunchArea]:
    """Return a route cut into runs of legs at most ``size`` metres long, at points of its geodesics."""
    out: list[LaunchArea] = []
    for line in shapely.get_parts(route.geometry):
        xy = densify(shapely.get_coordinates(line), spacing_m=size / 4.0, closed=False)
        legs = np.asarray(WGS84.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])[2])
        start, run = 0, 0.0
        for k, leg in enumerate(legs):
            run += float(leg)
            if run >= size or k == legs.size - 1:
                out.append(LaunchLine(shapely.LineString(xy[start:k + 2]), name=f"{route.name} (piece)"))
                start, run = k + 1, 0.0
    return out


def _geodesic_edges(geometry: BaseGeometry, tolerance_m: float) -> BaseGeometry:
    """Return polygons with points added along their geodesic edges, to ``tolerance_m`` (read as lon/lat lines)."""
    out = []
    for part in shapely.get_parts(geometry):
        rings = [densify(np.asarray(r.coords)[:-1, :2], tolerance_m=tolerance_m)
                 for r in (part.exterior, *part.interiors)]
        out.append(shapely.Polygon(rings[0], rings[1:]))
    return out[0] if len(out) == 1 else shapely.MultiPolygon(out)


def _areas(field: _Field, tolerance_m: float) -> BaseGeometry:
    """Return the launch areas of a field, their geodesic edges densified to ``tolerance_m``."""
    if isinstance(field, _MultiField):
        return _union([_areas(f, tolerance_m) for f in field.fields])
    if not isinstance(field, _AreaField) or isinstance(field.area, LaunchLine):
        return shapely.Polygon()  # sites and routes have no area
    polygons = []
    for part in shapely.get_parts(field.area.geometry):
        rings = [densify(np.asarray(r.coords)[:-1, :2], tolerance_m=tolerance_m)
                 for r in (part.exterior, *part.interiors)]
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.make_valid(shapely.MultiPolygon(polygons)) if len(polygons) > 1 else polygons[0]


def _spread(field: _MultiField) -> float:
    """Largest distance (m) from the seed centre of a combined field to its launch points, bounded above."""
    shape = _field_shape(field)
    c = shapely.centroid(shape)
    xy = shapely.get_coordinates(shape)
    return float(geodesic_distance(c.x, c.y, xy[:, 0], xy[:, 1]).max())


# ---------------------------------------------------------------------------
# Construction


def _check_tolerance(tolerance_m: float) -> float:
    if isinstance(tolerance_m, bool) or not isinstance(tolerance_m, int | float) or not math.isfinite(tolerance_m):
        raise InvalidRangeError(f"tolerance_m {tolerance_m!r} must be a finite number of metres")
    if tolerance_m < MIN_TOLERANCE_M:
        raise InvalidRangeError(f"tolerance_m {tolerance_m!r} must be at least {MIN_TOLERANCE_M:g} m")
    return float(tolerance_m)


@dataclass(frozen=True)
class _Part:
    """One connected launch part: a site (``area`` None) or one polygon of a territory."""

    lon: float
    lat: float
    area: LaunchArea | None = None


def _parts(sources: Sequence[LaunchSource]) -> list[_Part]:
    if not sources:
        raise InvalidRangeError("no launch source given")
    out: list[_Part] = []
    for s in sources:
        if isinstance(s, LaunchPoint):
            out.append(_Part(s.lon, s.lat))
        elif isinstance(s, LaunchRegion):
            for area in s.parts:  # prepared once by the region, shared with geo.analysis.bands
                p = _point_on(area.geometry)
                out.append(_Part(p.x, p.y, area))
        else:
            raise TypeError(f"launch source must be a LaunchPoint or LaunchRegion, not {type(s).__name__}")
    return out


def _combined(parts: Sequence[_Part], *, farthest: bool) -> _Field:
    """One field for several parts: all polygons as one launch area, sites alongside."""
    fields: list[_Field] = [_PointField(p.lon, p.lat, farthest) for p in parts if p.area is None]
    areas = [p.area for p in parts if p.area is not None and not isinstance(p.area, LaunchLine)]
    if areas:
        area = areas[0] if len(areas) == 1 else _area(shapely.MultiPolygon([a.geometry for a in areas]))
        fields.append(_AreaField(area, farthest))
    routes = [p.area for p in parts if isinstance(p.area, LaunchLine)]
    if routes:  # every route's lines as one route: a boundary without interior
        lines = [line for r in routes for line in shapely.get_parts(r.geometry)]
        route = routes[0] if len(routes) == 1 else _area(shapely.MultiLineString(lines))
        fields.append(_AreaField(route, farthest))
    return fields[0] if len(fields) == 1 else _MultiField(tuple(fields), farthest)


_AREAS: dict[bytes, LaunchArea] = {}


def _area(geometry: BaseGeometry) -> LaunchArea:
    """Return a prepared LaunchArea for several parts, cached by geometry (preparing is the costly step)."""
    key = shapely.to_wkb(geometry)
    area = _AREAS.get(key)
    if area is None:
        if len(_AREAS) > 64:
            _AREAS.clear()
        kind = LaunchLine if isinstance(geometry, shapely.MultiLineString) else LaunchArea
        area = _AREAS[key] = kind(geometry)
    return area


def _groups(parts: list[_Part], spread_m: float) -> list[list[_Part]]:
    """Split parts into groups in which points of different parts are at most ``spread_m`` apart."""
    if len(parts) == 1:
        return [parts]
    lon = np.array([p.lon for p in parts])
    lat = np.array([p.lat for p in parts])
    # An upper bound on each part's extent from its point keeps the groups valid (perhaps more of them),
    # with no prepared engine for each of a territory's parts.
    radius = np.array([0.0 if p.area is None else p.area.radius_bound(p.lon, p.lat) for p in parts])
    centre = geodesic_distance(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    bound = centre + radius[:, None] + radius[None, :]
    np.fill_diagonal(bound, 0.0)  # a part with itself is never mixed
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    labels = fcluster(linkage(squareform(bound, checks=False), method="complete"), t=max(spread_m, 0.0),
                      criterion="distance")
    return [[p for p, lab in zip(parts, labels, strict=True) if lab == k] for k in np.unique(labels)]


def _union(geoms) -> BaseGeometry:  # type: ignore[no-untyped-def]
    parts = [g for g in geoms if not g.is_empty]
    if not parts:
        return shapely.Polygon()
    return orient(polygonal(shapely.union_all(parts)))


def _intersection(geoms) -> BaseGeometry:  # type: ignore[no-untyped-def]
    result: BaseGeometry | None = None
    for g in geoms:
        result = g if result is None else polygonal(shapely.intersection(result, g))
        if result.is_empty:
            return shapely.Polygon()
    return orient(result) if result is not None else shapely.Polygon()


@dataclass(frozen=True)
class _Plane:
    """One direction of a PROJ pipeline, with a Transformer's ``transform(x, y)``."""

    pipeline: Transformer
    direction: TransformDirection

    def transform(self, x: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
        return self.pipeline.transform(x, y, direction=self.direction)  # type: ignore[no-any-return]


def _aeqd(lon: float, lat: float) -> tuple[_Plane, _Plane]:
    """Return forward and inverse ellipsoidal azimuthal equidistant projections centred on (lon, lat).

    One pipeline (degrees to radians, then ``aeqd``) run both ways: PROJ builds it in 0.1 ms, where
    ``Transformer.from_crs`` searches its database for 25 ms a direction (a mixed-band zone of Russia
    seeds 150 builds).
    """
    pipeline = Transformer.from_pipeline(f"+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
                                         f"+step +proj=aeqd +lon_0={lon!r} +lat_0={lat!r} +ellps=WGS84")
    return _Plane(pipeline, TransformDirection.FORWARD), _Plane(pipeline, TransformDirection.INVERSE)


class _Builder:
    """Builds one sublevel set; see :func:`sublevel`."""

    def __init__(self, field: _Field, radius_m: float, tolerance_m: float) -> None:
        self.field = field
        self.radius = float(radius_m)
        self.tol = float(tolerance_m)
        self.geometry: BaseGeometry | None = _field_shape(field)
        if isinstance(field, _PointField):
            self.centre = (field.lon, field.lat)
        else:
            p = shapely.centroid(self.geometry)  # a seed centre: only needs to be near the launch points
            if not self.geometry.intersects(p) or self.geometry.geom_type in ("LineString", "MultiLineString"):
                p = _point_on(self.geometry)
            self.centre = (p.x, p.y)
        a = antipode(*self.centre)
        self.anti = (float(a[0]), float(a[1]))
        self.unsnapped = 0  # points left off the level set (see _snap)
        self.vertices = 0  # points added by the refinement (see _charge)

    # -- field helpers ---------------------------------------------------------

    def g(self, lon: FloatArray, lat: FloatArray) -> FloatArray:
        return self.field.extremes(lon, lat, point=False)[0]

    def build(self) -> BaseGeometry:
        far_side = self.radius > _FLAT_LIMIT_M
        if not far_side:
            if self.field.farthest or isinstance(self.field, _PointField):
                seeds = self._convex_seed(maximise=False, start=self.centre)
            else:
                seeds = self._buffer_seed(self.centre, self.geometry, self.radius)
            exclude = self._exclude(outside=True)
        else:
            if self.field.farthest:
                shape = self._antipodal_shape()
                seeds = self._buffer_seed(self.anti, shape, HALF_MERIDIAN_M - self.radius + _ANTIPODAL_SLACK_M)
            else:
                seeds = self._convex_seed(maximise=True, start=self.anti)
            exclude = self._exclude(outside=False)
        if seeds is None:  # the region (or, on the far side, its complement) is empty
            return WORLD if far_side else shapely.Polygon()
        planar = not far_side and not self.field.farthest and not isinstance(self.field, _PointField)
        polys = []
        for rings in seeds:
            region: BaseGeometry | None = None
            for k, (lon, lat) in enumerate(rings):
                seed_lon, seed_lat = lon, lat
                lon, lat = self._snap(lon, lat)
                if planar:  # a planar buffer's vertices lie within a tenth of the radius or so of the zone's edge
                    moved = np.asarray(WGS84.inv(seed_lon, seed_lat, lon, lat)[2])
                    if self.unsnapped or moved.max() > _SEED_TRUST * self.radius:
                        raise _SeedMismatch
                x, y = self._for_great_circles(*self._refine(lon, lat))
                side = side_polygon(x, y, exclude)
                region = side if k == 0 else polygonal(shapely.difference(region, side))
            if region is not None and not region.is_empty:
                polys.append(region)
        found = polygonal(shapely.union_all(polys)) if polys else shapely.Polygon()
        if far_side:
            found = polygonal(shapely.difference(WORLD, found))
        return orient(found)

    def _exclude(self, *, outside: bool) -> tuple[float, float]:
        """Return a point far from the boundary: outside the zone (``g > R``), or inside it."""
        # The antipode of the launch (outside) or the launch itself (inside) mostly is: two evaluations,
        # not the 600 of the lattice below.
        lon0, lat0 = (self.anti if outside else self.centre)
        margin0 = float(self.g(np.array([lon0]), np.array([lat0]))[0]) - self.radius
        if (margin0 if outside else -margin0) > max(0.1 * self.radius, 100_000.0):
            return lon0, lat0
        n = 600
        k = np.arange(n) + 0.5
        lat = np.degrees(np.arcsin(1.0 - 2.0 * k / n))
        lon = (k * 137.50776405003785 + 180.0) % 360.0 - 180.0  # a Fibonacci lattice: even cover
        lon = np.r_[lon, self.anti[0], self.centre[0]]
        lat = np.r_[lat, self.anti[1], self.centre[1]]
        margin = self.g(lon, lat) - self.radius
        i = int(np.argmax(margin if outside else -margin))
        return float(lon[i]), float(lat[i])

    # -- seeds -------------------------------------------------------------------

    def _antipodal_shape(self) -> BaseGeometry:
        """Return the launch part mirrored through the centre of the Earth (seed only)."""
        assert self.geometry is not None
        return shapely.transform(self.geometry, lambda xy: np.column_stack(antipode(xy[:, 0], xy[:, 1])))

    def _buffer_seed(
        self, centre: tuple[float, float], shape: BaseGeometry, radius: float
    ) -> list[list[tuple[FloatArray, FloatArray]]] | None:
        """Planar buffer of ``shape`` in an AEQD projection centred on ``centre``, as lon/lat rings."""
        fwd, inv = _aeqd(*centre)
        spacing = float(np.clip(radius / 4.0, 200.0, 50_000.0))
        dense = _densify_geodesic(shape, spacing)
        planar = shapely.transform(dense, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
        # The seed needs the shape only to a small fraction of the radius: coastline detail far below it
        # costs the buffer time and changes nothing the snap does not fix.
        planar = shapely.make_valid(shapely.simplify(planar, radius / 100.0, preserve_topology=True))
        # Buffering in two steps gives the same shape (a disc of r1 swept by one of r2 is a disc of r1 + r2)
        # and merges an archipelago's parts in the short first step: one step noded the long offset
        # curves of all of Russia's 213 parts against each other (2.5 s at 2,000 km, 0.09 s in two).
        first = radius * _FIRST_BUFFER_SHARE
        merged = shapely.simplify(shapely.buffer(planar, first, quad_segs=8), radius / 100.0, preserve_topology=True)
        buffered = shapely.buffer(merged, radius - first, quad_segs=16)
        buffered = shapely.simplify(buffered, radius / 200.0, preserve_topology=True)
        if buffered.is_empty:
            return None
        out = []
        for poly in shapely.get_parts(buffered):
            rings = []
            for ring in (poly.exterior, *poly.interiors):
                xy = np.asarray(ring.coords)[:-1]
                if len(xy) < 3:
                    continue
                lon, lat = inv.transform(xy[:, 0], xy[:, 1])
                rings.append((np.asarray(lon), np.asarray(lat)))
            if rings:
                out.append(rings)
        return out

    def _convex_seed(
        self, *, maximise: bool, start: tuple[float, float]
    ) -> list[list[tuple[FloatArray, FloatArray]]] | None:
        """Return a circle of azimuths inside a convex region around its deepest point, or None if empty.

        ``maximise`` False: the region ``{g <= R}`` around the minimiser of
        ``g``; True: the region ``{g > R}`` (the complement, on the far
        side) around the maximiser.
        """
        m, gm = self._optimise(start, maximise)
        depth = (gm - self.radius) if maximise else (self.radius - gm)
        if depth <= self.tol / 2.0:
            return None
        az = np.linspace(0.0, 360.0, _SEED_AZIMUTHS, endpoint=False)
        lon, lat, _ = WGS84.fwd(np.full(az.size, m[0]), np.full(az.size, m[1]), az, np.full(az.size, depth))
        return [[(np.asarray(lon), np.asarray(lat))]]

    def _optimise(self, start: tuple[float, float], maximise: bool) -> tuple[tuple[float, float], float]:
        """Find the point where ``g`` is smallest (largest) near ``start``.

        A pattern search in the azimuthal equidistant plane round ``start``:
        ``g`` on a 5 x 5 grid, recentred on the best point and halved, until
        the grid is finer than 5 cm or a thousandth of the region's depth found
        so far, then once more from 1 km (a restart
        unsticks the search on the ridges of a max or min). Each round is one
        vectorised call of the exact field, so the 40-odd rounds cost about as
        much as a few dozen single evaluations. ``g`` is 1-Lipschitz and here
        convex (farthest) or concave (nearest, far side), with one extremum;
        the seed only needs a point well inside the region, which snapping
        then makes exact.
        """
        if isinstance(self.field, _PointField):
            site = (self.field.lon, self.field.lat)
            if maximise:
                a = antipode(*site)
                return (float(a[0]), float(a[1])), HALF_MERIDIAN_M
            return site, 0.0
        _, inv = _aeqd(*start)
        sign = -1.0 if maximise else 1.0
        grid = np.linspace(-1.0, 1.0, 5)
        gx, gy = (a.ravel() for a in np.meshgrid(grid, grid))
        # The first grid spans the launch area (the extremum lies within it, or near its antipodes).
        g0 = float(self.g(np.array([start[0]]), np.array([start[1]]))[0])
        extent = abs(HALF_MERIDIAN_M - g0) if maximise else g0
        best, value = np.zeros(2), sign * g0
        for half0 in (float(np.clip(extent, 50_000.0, 5_000_000.0)), 1_000.0):
            half = half0
            # Down to 5 cm where the region is thin (whether it is empty hangs on it); a region far deeper than
            # the grid needs no finer centre: its seed circle is smaller by at most the grid's step, and inside.
            while half > max(0.05, 1e-3 * ((-value - self.radius) if maximise else (self.radius - value))):
                x, y = best[0] + half * gx, best[1] + half * gy
                lon, lat = inv.transform(x, y)
                vals = sign * self.g(np.asarray(lon), np.asarray(lat))
                k = int(np.argmin(vals))
                if vals[k] < value:
                    best, value = np.array([x[k], y[k]]), float(vals[k])
                half /= 2.0
        lon, lat = inv.transform(best[0], best[1])
        return (float(lon), float(lat)), sign * value

    # -- snapping and densification --------------------------------------------

    def _snap(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Move points along the geodesic from their extreme launch point until ``g`` equals the radius.

        A Newton step (``g`` changes by one metre per metre along that
        geodesic) settles most points at once. Where fronts from two parts of
        the launch meet at a shallow angle, the step zig-zags across the line
        where they meet and closes the gap by only a few per cent a step; the
        points still off after :data:`_NEWTON_STEPS` steps are bracketed along
        their last geodesic (``g`` is 1-Lipschitz, so a point twice the gap
        on lies across the level set) and solved by the Illinois method. Every
        returned point is within :data:`_SNAP_M` of the radius, unless the
        bracketed search found none in :data:`_BRACKET_STEPS` steps (counted
        in ``self.unsnapped``).
        """
        lon, lat = np.array(lon, dtype=float), np.array(lat, dtype=float)
        todo = np.arange(lon.size)
        last = np.full(lon.size, np.nan)  # each point's previous step azimuth (it points uphill when inside)
        for _ in range(_NEWTON_STEPS + 1):
            if todo.size == 0:
                break
            g, px, py = self.field.extremes(lon[todo], lat[todo])
            step = self.radius - g
            moving = np.abs(step) > _SNAP_M
            todo, step, px, py = todo[moving], step[moving], px[moving], py[moving]
            if todo.size == 0:
                break
            az = self._away(px, py, lon[todo], lat[todo])
            if _ == _NEWTON_STEPS:
                # Still off: the steps zig-zag between two fronts. Both distances change along the bisector
                # of the last two steps (the corner's axis): bracket along it, within 64 times the gap.
                prev = np.radians(np.where(np.isnan(last[todo]), az, last[todo]))
                cur = np.radians(np.where(step > 0.0, az, az + 180.0))
                axis = np.degrees(np.arctan2(np.sin(prev) + np.sin(cur), np.cos(prev) + np.cos(cur)))
                found = self._bracket(lon, lat, todo, axis, -step, np.maximum(64.0 * np.abs(step), 100.0))
                self.unsnapped += int(np.count_nonzero(~found))
                break
            last[todo] = np.where(step > 0.0, az, az + 180.0)
            x, y, _az = WGS84.fwd(lon[todo], lat[todo], az, step)
            lon[todo], lat[todo] = x, y
        return lon, lat

    def _away(self, px: FloatArray, py: FloatArray, lon: FloatArray, lat: FloatArray) -> FloatArray:
        """Azimuth at each point away from its extreme launch point (from the centre where they coincide)."""
        _, back, dist = WGS84.inv(px, py, lon, lat)
        az = np.asarray(back) + 180.0
        # Where the extreme point is the target itself (inside the area)
        # there is no direction: move away from the centre instead.
        lost = np.asarray(dist) < 1e-6
        if lost.any():
            _, back_c, _ = WGS84.inv(np.full(lost.sum(), self.centre[0]), np.full(lost.sum(), self.centre[1]),
                                     lon[lost], lat[lost])
            az[lost] = np.asarray(back_c) + 180.0
        return az

    def _bracket(self, lon: FloatArray, lat: FloatArray, idx: NDArray[np.intp], az: FloatArray,
                 f0: FloatArray, limit: FloatArray | float = HALF_MERIDIAN_M) -> NDArray[np.bool_]:
        """Snap points ``idx`` (``g - R = f0``) along the geodesic of azimuth ``az`` ahead of them, in place.

        ``f(s) = g(point moved s metres along az) - R``: ``f(0) = f0`` and
        ``|f(s) - f0| <= s`` (``g`` is 1-Lipschitz), so the level set lies
        at least ``|f0|`` ahead. The step is doubled from ``2 |f0|`` until
        ``f`` changes sign, then the Illinois method closes the bracket. A
        point whose geodesic meets no level set within ``limit`` metres stays
        where it is. Returns which points were snapped.
        """
        x0, y0 = lon[idx].copy(), lat[idx].copy()

        def f(rows: NDArray[np.intp], s: FloatArray) -> FloatArray:
            x, y, _ = WGS84.fwd(x0[rows], y0[rows], az[rows], s)
            return self.g(np.asarray(x), np.asarray(y)) - self.radius

        n = idx.size
        a, fa = np.zeros(n), f0.astype(float)
        b, fb = np.maximum(2.0 * np.abs(f0), _SNAP_M), np.full(n, np.nan)
        limit = np.broadcast_to(np.asarray(limit, dtype=float), (n,))
        open_ = np.arange(n)
        for _ in range(_BRACKET_STEPS):
            if open_.size == 0:
                break
            b[open_] = np.minimum(b[open_], limit[open_])
            fb[open_] = f(open_, b[open_])
            same = (np.sign(fb[open_]) == np.sign(fa[open_])) & (b[open_] < limit[open_])
            moved = open_[same]
            a[moved], fa[moved] = b[moved], fb[moved]
            b[moved] *= 2.0
            open_ = moved
        live = np.flatnonzero((np.abs(fb) > _SNAP_M) & (np.sign(fb) != np.sign(fa)))
        for _ in range(_BRACKET_STEPS):
            if live.size == 0:
                break
            c = (a[live] * fb[live] - b[live] * fa[live]) / (fb[live] - fa[live])
            fc = f(live, c)
            cross = np.sign(fc) != np.sign(fb[live])
            a[live[cross]], fa[live[cross]] = b[live[cross]], fb[live[cross]]
            fa[live[~cross]] /= 2.0  # Illinois: halve the stale end's value so that it moves next time
            b[live], fb[live] = c, fc
            live = live[(np.abs(fc) > _SNAP_M) & (np.abs(b[live] - a[live]) > _SNAP_M / 4.0)]
        found = np.abs(fb) <= _SNAP_M
        found |= np.isfinite(fb) & (np.sign(fb) != np.sign(f0)) & (np.abs(fb) < np.abs(f0))
        x, y, _ = WGS84.fwd(x0, y0, az, np.where(found, b, 0.0))
        lon[idx], lat[idx] = x, y
        return found & (np.abs(fb) <= _SNAP_M)

    def _zone_side(self, x: FloatArray, y: FloatArray) -> float:
        """Return +1 if the zone ``g <= R`` lies to the left of the snapped closed curve (x, y), else -1.

        At each vertex ``g`` grows away from the vertex's extreme launch
        point; the vertex votes "left" when that direction lies to the right
        of the way to the next vertex. The majority decides (a vertex's
        chord may stray from the curve's tangent; most do not).
        """
        xa, ya, xb, yb = wrap(x[:-1]), y[:-1], wrap(x[1:]), y[1:]
        travel, _, _ = WGS84.inv(xa, ya, xb, yb)
        _, px, py = self.field.extremes(xa, ya)
        uphill = self._away(px, py, xa, ya)
        rel = (uphill - np.asarray(travel)) % 360.0
        right = (rel > 0.0) & (rel < 180.0)
        return 1.0 if 2 * int(np.count_nonzero(right)) >= right.size else -1.0

    def _refine(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Split traced edges (straight in lon/lat) until every checked point is within tol/2 of the boundary.

        An edge whose checks fail is split at a new point of the level set:
        its midpoint snapped along the geodesic from its extreme launch point
        (:meth:`_snap`), or, where that jumps a third of the edge or more
        (onto a bank of a channel the edge spans), found across the edge:
        from its midpoint along the geodesic at right angles to it, toward the
        zone (``g <= R``) if the midpoint is outside, away from it if inside
        (:meth:`_bracket`). That geodesic runs up the channel and finds its
        end, so the curve follows the channel instead of zig-zagging between
        its banks. The refinement
        ends: once its ends are on the level set, an edge shorter than the
        tolerance passes its checks (``g`` is 1-Lipschitz).
        """
        x, y = self._presplit(unwrap(np.append(lon, lon[0])), np.append(lat, lat[0]))
        side = 0.0  # which side of the curve the zone is on: found when first needed
        verified = np.zeros(x.size - 1, dtype=bool)
        fractions = np.array([0.25, 0.5, 0.75])
        for _ in range(_REFINE_ROUNDS):
            seg = np.flatnonzero(~verified)
            if seg.size == 0:
                break
            xa, ya, xb, yb = x[seg], y[seg], x[seg + 1], y[seg + 1]
            cx = xa[:, None] + fractions * (xb - xa)[:, None]
            cy = ya[:, None] + fractions * (yb - ya)[:, None]
            f = (self.g(wrap(cx.ravel()), cy.ravel()) - self.radius).reshape(cx.shape)
            err = np.abs(f).max(axis=1)
            # A step near 180 degrees of longitude (a curve passing close to a
            # pole) makes the unwrapping ambiguous: split it too.
            wide = np.abs(xb - xa) > 90.0
            bad = (err > self.tol / 2.0) | wide
            verified[seg[~bad]] = True
            if not bad.any():
                break
            split = seg[bad]
            mx, my, f_mid = wrap(cx[bad, 1]), cy[bad, 1], f[bad, 1]
            ax, ay, bx, by = wrap(xa[bad]), ya[bad], wrap(xb[bad]), yb[bad]
            w = wide[bad]
            if w.any():  # the geodesic midpoint: it goes round the pole if the curve does
                az, _, dist = WGS84.inv(ax[w], ay[w], bx[w], by[w])
                gx, gy, _ = WGS84.fwd(ax[w], ay[w], az, np.asarray(dist) / 2.0)
                mx[w], my[w] = gx, gy
                f_mid[w] = self.g(np.asarray(gx), np.asarray(gy)) - self.radius
            # Snap the midpoint along the geodesic from its extreme launch point (Newton). Where that moves it
            # by more than a third of the edge's length (onto a bank of a channel of the zone, or of its
            # complement, that the edge spans: Newton would zig-zag between the banks), search instead across
            # the edge from its midpoint: up to 16 edge lengths toward the zone's side (the end of a narrow
            # channel may lie that far), then one edge length the other way.
            reach = np.maximum(np.hypot((bx - ax) * np.cos(np.radians(my)), by - ay), 1e-6) * 111_320.0
            nx, ny = self._snap(mx, my)
            far = np.flatnonzero(np.asarray(WGS84.inv(mx, my, nx, ny)[2]) > _ACROSS_SHARE * reach)
            if far.size:
                side = side or self._zone_side(x, y)
                along, _, _ = WGS84.inv(mx[far], my[far], bx[far], by[far])
                # Left of the edge is along - 90; go toward the zone when outside (f > 0), away when inside.
                toward_left = (f_mid[far] > 0.0) == (side > 0.0)
                across = np.asarray(along) + np.where(toward_left, -90.0, 90.0)
                sx, sy = mx[far], my[far]
                todo = np.arange(far.size)
                for turn, times in ((0.0, 16.0), (180.0, 1.0)):
                    if todo.size == 0:
                        break
                    # A point the first search did not find was left at the midpoint: its value is known.
                    found = self._bracket(sx, sy, todo, across[todo] + turn, f_mid[far][todo], times * reach[far][todo])
                    todo = todo[~found]
                done = np.setdiff1d(np.arange(far.size), todo)
                nx[far[done]], ny[far[done]] = sx[done], sy[done]
            mx, my = nx, ny
            x = np.insert(x, split + 1, mx)
            y = np.insert(y, split + 1, my)
            x = unwrap(wrap(x))
            verified = np.insert(verified, split + 1, False)
            verified[split + np.arange(split.size)] = False
            self._charge(split.size)
        else:  # edges still off after every round (known on Russia at 100 km; see issue 29's note)
            log.debug("zone of %g km: %d edges still off after %d rounds", self.radius / 1000.0,
                      int(np.count_nonzero(~verified)), _REFINE_ROUNDS)
        return x, y

    def _presplit(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Split a snapped closed curve's edges at once into pieces about as long as the refinement would leave.

        A boundary at distance R from the launch curves like a circle of
        radius R or less, and a chord of length L strays ``L^2 / (8 R)``
        from such an arc: pieces of ``sqrt(4 R tol)`` stray ``tol / 2``. Cutting
        every longer edge into such pieces, placed along the edge and snapped
        in one batch, does in two or three evaluations of the field what
        halving the edges round after round did in twenty or more (a small
        island's 500 km zone: 28 evaluations, now about 8). An edge whose ends
        lie on different fronts, and a piece whose snap jumps across the edge
        (a channel), are left to the refinement, which splits them its own way. The refinement still checks every
        edge, so the result is as exact as before.
        """
        length = np.asarray(WGS84.inv(wrap(x[:-1]), y[:-1], wrap(x[1:]), y[1:])[2])
        piece_m = math.sqrt(4.0 * min(self.radius, _FLAT_LIMIT_M) * self.tol)
        pieces = np.maximum(1, np.ceil(length / piece_m)).astype(np.intp)
        # Only edges along one front: the launch points their ends are measured from lie no farther apart than
        # the ends (an arc round one vertex, or an offset edge). Where two fronts meet (a cusp, as in a U's mouth)
        # points placed along the edge would snap onto both and cross.
        _, px, py = self.field.extremes(wrap(x[:-1]), y[:-1])
        source = np.asarray(WGS84.inv(px, py, np.roll(px, -1), np.roll(py, -1))[2])
        pieces[source > length] = 1
        if pieces.max() == 1:
            return x, y
        edge = np.repeat(np.arange(length.size), pieces - 1)
        t = (np.arange(edge.size) - np.repeat(np.cumsum(pieces - 1) - (pieces - 1), pieces - 1) + 1) / pieces[edge]
        mx = x[edge] + t * (x[edge + 1] - x[edge])
        my = y[edge] + t * (y[edge + 1] - y[edge])
        nx, ny = self._snap(wrap(mx), my)
        moved = np.asarray(WGS84.inv(wrap(mx), my, nx, ny)[2])
        keep = moved <= _ACROSS_SHARE * length[edge]  # as in the refinement: a jump of a third of the edge
        order = np.argsort(np.r_[np.arange(x.size), edge[keep] + t[keep]], kind="stable")
        self._charge(int(keep.sum()))
        return unwrap(wrap(np.r_[x, nx[keep]][order])), np.r_[y, ny[keep]][order]

    def _charge(self, added: int) -> None:
        """Count points added to the curves; refuse a zone whose curves outgrow :data:`_MAX_VERTICES`."""
        self.vertices += added
        if self.vertices > _MAX_VERTICES:
            raise ZoneTooComplexError(
                f"zone of {self.radius / 1000:,.1f} km: its boundary needs more than {_MAX_VERTICES:,} vertices "
                f"at a tolerance of {self.tol:g} m; use a larger --tolerance or a simpler launch area")

    def _for_great_circles(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Add points along the refined edges (straight in lon/lat) until each great circle is within tol/2 of them.

        The straight edges are within tol/2 of the boundary, so both readings
        of every edge, straight in lon/lat (GeoJSON, shapely, QGIS) and
        geodesic (a globe, GeographicLib's areas), are within the tolerance.
        """
        # An open path from the first vertex to its closing copy (360 degrees on for a curve round a pole).
        dense = densify(np.column_stack([x, y]), tolerance_m=self.tol / 2.0, edges="lonlat", closed=False)
        return dense[:, 0], dense[:, 1]


def _point_on(geometry: BaseGeometry) -> shapely.Point:
    """Return a point of a launch part: a vertex of a route, else a representative point.

    A planar point of a line crossing the antimeridian may lie half a world away from the route.
    """
    if geometry.geom_type in ("LineString", "MultiLineString"):
        xy = shapely.get_coordinates(geometry)
        return shapely.Point(xy[len(xy) // 2])
    return geometry.representative_point()


def _field_shape(field: _Field) -> BaseGeometry:
    """Return the launch points of a field as one lon/lat geometry (seeds only)."""
    if isinstance(field, _PointField):
        return shapely.Point(field.lon, field.lat)
    if isinstance(field, _AreaField):
        return field.area.geometry
    assert isinstance(field, _MultiField)
    return shapely.union_all([_field_shape(f) for f in field.fields])


def _densify_geodesic(shape: BaseGeometry, spacing_m: float) -> BaseGeometry:
    """Insert points along every edge so that no gap exceeds ``spacing_m`` (geodesic interpolation)."""
    out = []
    for p in shapely.get_parts(shape):
        if p.geom_type == "LineString":  # a route: its geodesic legs, so that the planar seed follows them
            out.append(shapely.LineString(densify(shapely.get_coordinates(p), spacing_m=spacing_m, closed=False)))
            continue
        if p.geom_type != "Polygon":
            out.append(p)
            continue
        ext, *holes = (densify(np.asarray(r.coords)[:, :2], spacing_m=spacing_m, closed=False)
                       for r in (p.exterior, *p.interiors))
        out.append(shapely.Polygon(ext, holes))
    return out[0] if len(out) == 1 else shapely.GeometryCollection(out)
