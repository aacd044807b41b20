"""Reach of a ballistic system on the turning Earth (``--earth-rotation``): statuses and zones from launch points.

A published maximum range is a reach on a still Earth. On the turning Earth
the ground under a ballistic missile moves (465 m/s at the equator, 273 m/s
at Krichev's latitude), so the reach depends on the direction: farther due
east, shorter due west (about +5 % and -4 % for a 5,000 km missile from
Krichev). :mod:`geo.physics.ballistic` turns the published figure into a
burnout speed (the minimum-energy range over a still sphere of 6,371 km,
the convention of the arms-control literature) and gives the reach toward
any azimuth of a launch point, ``D(azimuth)``.

The rule
--------
The statuses of :mod:`geo.analysis.status`, with each launch point's own
reach toward the place in place of ``max_km``: a place is reachable when
some launch point lies within ``[min_km, D(azimuth to the place)]`` of it.
The minimum range is a property of the system, not of the flight's energy,
and stays a distance. Decided exactly: each place's ``D`` is read from the
launch point's table of the reach toward 1,440 azimuths and, for every
place within :data:`GUARD_M` of its limit, solved exactly
(:func:`geo.physics.ballistic.range_toward`, to 10 m). The table is the
farthest impact of each launch azimuth, corrected by the exact limit
every 10 degrees; the tests measure its error against the exact limit
(under 50 m up to 12,000 km).

The zones
---------
The reach of a launch point is the closed curve of its farthest impacts,
one per launch azimuth (:func:`geo.physics.ballistic.reach_boundary`), made
a lon/lat polygon as every zone is (:func:`geo.geodesy.lonlat.side_polygon`:
pole caps closed, cut at the antimeridian); drawn within
:data:`DRAWN_TOLERANCE_M` of the exact limit (the tests measure it). The
dead zone is the still-Earth one (a distance); the reachable zone is the
reach less the dead zone, and over several launch points the union of each
point's.

Only launch points (sites, cities, coordinates, lists of them) are
supported: over a territory the reach toward a place depends on the point
of the territory as well as on the direction, which is not solved here.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.analysis.bands import RangeBand
from geo.analysis.launch import LaunchPoint, LaunchSource
from geo.analysis.status import Status, status_names
from geo.errors import InvalidRangeError
from geo.geodesy.densify import densify
from geo.geodesy.ellipsoid import HALF_MERIDIAN_M, WGS84, antipode
from geo.geodesy.lonlat import orient, polygonal, side_polygon
from geo.physics import ballistic

__all__ = [
    "DRAWN_TOLERANCE_M",
    "READ_AS",
    "GUARD_M",
    "RotatingReach",
    "check_rotation",
    "launch_points",
    "rotating_reach",
    "rotating_reach_zone",
    "rotating_table",
]

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]

TABLE_AZIMUTHS: Final = 1440
"""Launch azimuths of a launch point's table (every 0.25 degrees)."""
CORRECTION_STEP: Final = 40
"""Every 40th table azimuth (every 10 degrees) gets its exact limit, which corrects the table between them."""
WRAP_M: Final = 18_000_000.0
"""Farthest reach modelled: beyond, toward the antipode, the reach wraps round the Earth."""
GUARD_M: Final = 2000.0
"""Places within this distance of their table limit are decided by the exact limit."""
DRAWN_TOLERANCE_M: Final = 100.0
"""Largest distance of a drawn rotation zone's boundary from the exact limit (measured by the tests)."""
READ_AS: Final = "max_km read as a still-Earth minimum-energy range"
"""How every output of the turning Earth's reach says the published figure was read."""


def launch_points(sources: Sequence[LaunchSource], what: str = "--earth-rotation") -> list[LaunchPoint]:
    """Return the launch points of the sources, refusing an area with the reason.

    Raises
    ------
    InvalidRangeError
        For a territory, region, route or polygon file among the sources.
    """
    points = []
    for s in sources:
        if not isinstance(s, LaunchPoint):
            raise InvalidRangeError(
                f"{what}: {s.label} is an area; the turning Earth's reach is computed from launch points only "
                "(a site, a city, coordinates or a list of them): over an area it depends on the point as well as "
                "the direction"
            )
        points.append(s)
    return points


def check_rotation(sources: Sequence[LaunchSource], system: Any = None, what: str = "--earth-rotation"
                   ) -> list[LaunchPoint]:
    """Refuse what the turning Earth's reach does not model: an area launch, or a system that is not ballistic.

    ``system`` is a :class:`~geo.reference.systems.System`, a name, or None
    (a maximum range given alone is read as a ballistic missile's).
    """
    if system is not None:
        from geo.reference.systems import System, lookup_system

        found = system if isinstance(system, System) else lookup_system(system)
        if not found.ballistic:
            raise InvalidRangeError(
                f"{what}: {found.name} ({found.kind}) is not a ballistic missile fired from the ground or "
                "sea; the turning Earth changes the reach of those only (data/systems.toml, trajectory)"
            )
    return launch_points(sources, what)


@dataclass(frozen=True)
class _Table:
    """A launch point's reach toward every azimuth: geodesic azimuths (sorted, degrees) and distances (m)."""

    lon: float
    lat: float
    azimuth: FloatArray
    reach_m: FloatArray
    boundary_lon: FloatArray
    boundary_lat: FloatArray

    def at(self, azimuth: FloatArray) -> FloatArray:
        """Return the table's reach toward azimuths (linear between neighbours, periodic)."""
        return np.interp(np.asarray(azimuth) % 360.0, self.azimuth, self.reach_m, period=360.0)


def _table(lon: float, lat: float, speed: float) -> _Table:
    """Return the reach table of a launch point for a burnout speed, kept in the process and the disk cache.

    Claims, maps and later runs of the same launch and system share it (:mod:`geo.analysis.cache`).
    """
    from geo.analysis import cache

    key = {"lon": lon, "lat": lat, "speed": speed, "azimuths": TABLE_AZIMUTHS, "step": CORRECTION_STEP}
    return cache.remembered("reach-table", key, lambda: _build_table(lon, lat, speed), dump=_dump, read=_read)


def _dump(table: _Table) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, az=table.azimuth, reach=table.reach_m, blon=table.boundary_lon, blat=table.boundary_lat,
             at=np.array([table.lon, table.lat]))
    return buffer.getvalue()


def _read(blob: bytes) -> _Table:
    with np.load(io.BytesIO(blob)) as f:
        lon, lat = (float(x) for x in f["at"])
        return _Table(lon, lat, f["az"], f["reach"], f["blon"], f["blat"])


def _build_table(lon: float, lat: float, speed: float) -> _Table:
    """Build the reach table of a launch point (see :func:`_table`).

    Raises
    ------
    InvalidRangeError
        Where the reach comes within 2,000 km of the launch's antipode in some direction (long-range ICBMs fired
        east from low latitudes): there it wraps round the Earth, which is not modelled.
    """
    blon, blat, _ = ballistic.reach_boundary(lon, lat, speed, count=TABLE_AZIMUTHS)
    az, _, dist = WGS84.inv(np.full(blon.size, lon), np.full(blon.size, lat), np.nan_to_num(blon), np.nan_to_num(blat))
    az = np.asarray(az) % 360.0
    order = np.argsort(az)
    az, dist = az[order], np.asarray(dist)[order]
    # The farthest impact of each launch azimuth is not quite the limit toward its own direction (the turning
    # Earth deflects flights of different heights differently): 14 m short at 5,000 km, 1.3 km at 12,000 km.
    # The exact limit every CORRECTION_STEP table azimuths gives the correction, smooth in the azimuth.
    coarse = az[::CORRECTION_STEP]
    exact = ballistic.range_toward(lon, lat, coarse, speed)
    if np.isnan(blon).any() or not np.isfinite(exact).all() or max(dist.max(), exact.max()) > WRAP_M:
        reach = ballistic.convention_range(speed) / 1000.0
        raise InvalidRangeError(
            f"--earth-rotation: a {reach:,.0f} km ballistic missile from {lat:.2f}, {lon:.2f} reaches within "
            f"{(HALF_MERIDIAN_M - WRAP_M) / 1000:,.0f} km of the far side of the Earth in some direction; "
            "there its reach wraps round the globe, which is not modelled: leave the rotation out"
        )
    dist = dist + np.interp(az, coarse, exact - dist[::CORRECTION_STEP], period=360.0)
    blon, blat, _ = WGS84.fwd(np.full(az.size, lon), np.full(az.size, lat), az, dist)
    return _Table(lon, lat, az, dist, np.asarray(blon), np.asarray(blat))


@dataclass(frozen=True)
class RotatingReach:
    """Each place's status against launch points on the turning Earth (:func:`rotating_reach`).

    Arrays over places; distances in metres. ``reach_m`` is the deciding
    launch point's reach toward the place (``inf`` where a direction is
    reached all the way round), ``nearest_m`` and ``farthest_m`` the
    nearest and farthest launch point, ``part`` the deciding launch point.
    """

    codes: NDArray[np.int8]
    margin_m: FloatArray
    nearest_m: FloatArray
    farthest_m: FloatArray
    reach_m: FloatArray
    part: NDArray[np.intp]


def _speed(band: RangeBand) -> float:
    if band.max_km >= ballistic.CONVENTION_RADIUS_M * math.pi / 1000.0 * 0.999:
        raise InvalidRangeError(f"--earth-rotation: a maximum range of {band.max_km:,.0f} km is an orbital speed; "
                                "the turning Earth's reach is defined below 20,000 km")
    return float(ballistic.burnout_speed(band.max_m))


def reach_toward(
    point: LaunchPoint, band: RangeBand, lon: FloatArray, lat: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Return (distance m, reach m toward it) from a launch point to places, the reach exact near the limit."""
    speed = _speed(band)
    table = _table(point.lon, point.lat, speed)
    az, _, dist = WGS84.inv(np.full(lon.size, point.lon), np.full(lon.size, point.lat), lon, lat)
    az, dist = np.asarray(az, dtype=float), np.asarray(dist, dtype=float)
    reach = table.at(az)
    near = np.isfinite(reach) & (np.abs(dist - reach) < max(GUARD_M, 5e-4 * band.max_m)) & (dist > 0)
    if near.any():
        reach[near] = ballistic.range_toward(point.lon, point.lat, az[near], speed)
    return dist, reach


def rotating_reach(sources: Sequence[LaunchSource], band: RangeBand, lon: FloatArray, lat: FloatArray) -> RotatingReach:
    """Return the statuses of places against launch points on the turning Earth (the module's rule).

    Parameters
    ----------
    sources : sequence of LaunchPoint
        Launch points ("from any of these"); an area is refused.
    band : RangeBand
        ``max_km`` the published maximum range (read by the convention of
        :mod:`geo.physics.ballistic`), ``min_km`` a distance.

    Raises
    ------
    InvalidRangeError
        For an area among the sources, or a reach that wraps round the Earth (:func:`_table`).
    lon, lat : ndarray
        The places, degrees.
    """
    points = launch_points(sources)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    pairs = [reach_toward(p, band, lon, lat) for p in points]
    d = np.array([p[0] for p in pairs])
    reach = np.array([p[1] for p in pairs])
    low = band.min_m
    with np.errstate(invalid="ignore"):
        ok = (d >= low) & (d <= reach)
        close = d < low
        far = d > reach
        # margins per launch point: inside, how far either bound could move against it; outside, the miss
        inside = np.minimum(reach - d, d - low)
        miss = np.where(close, low - d, d - reach)
    any_ok = ok.any(axis=0)
    codes = np.where(any_ok, Status.REACHABLE.code,
                     np.where(close.all(axis=0), Status.TOO_CLOSE.code,
                              np.where(far.all(axis=0), Status.TOO_FAR.code, Status.MIXED.code))).astype(np.int8)
    best_in = np.where(ok, inside, -np.inf)
    best_out = np.where(ok, np.inf, miss)
    part = np.where(any_ok, np.argmax(best_in, axis=0), np.argmin(best_out, axis=0))
    cols = np.arange(lon.size)
    margin = np.where(any_ok, best_in[part, cols], best_out[part, cols])
    return RotatingReach(codes, margin, d.min(axis=0), d.max(axis=0), reach[part, cols], part)


def rotating_reach_zone(sources: Sequence[LaunchSource], band: RangeBand) -> BaseGeometry:
    """Return the reach on the turning Earth of launch points as a lon/lat polygon (module docstring)."""
    points = launch_points(sources)
    speed = _speed(band)
    pieces = []
    for p in points:
        table = _table(p.lon, p.lat, speed)
        # the limit in azimuth order, geodesic points between neighbours every 10 km or less (the one densifier)
        lon, lat = densify(np.column_stack([table.boundary_lon, table.boundary_lat]), spacing_m=10_000.0).T
        far_lon, far_lat = antipode(p.lon, p.lat)  # never reached: the limit stays short of 19,990 km
        pieces.append(side_polygon(lon, lat, (float(far_lon), float(far_lat))))
    return orient(polygonal(shapely.union_all(pieces)))


def rotating_table(
    places: pd.DataFrame, sources: Sequence[LaunchSource], band: RangeBand, *, distances: bool = True,
    lonlat: tuple[FloatArray, FloatArray] | None = None,
) -> pd.DataFrame:
    """Return ``places`` with the columns of :func:`geo.reach` on the turning Earth, and ``reach_km``.

    ``min_km`` and ``max_km`` are the nearest and farthest launch point,
    ``status`` and ``margin_km`` follow the module's rule, ``via`` names the
    deciding launch point and ``reach_km`` its reach toward the place (what
    replaces the published ``max_km``). ``distances=False`` keeps ``status`` only.
    ``lonlat`` gives the places' coordinates when ``places`` has no ``lon``
    and ``lat`` columns (a GeoDataFrame).
    """
    from geo.inputs.targets import AREA_COLUMN

    if AREA_COLUMN in places.columns and places[AREA_COLUMN].notna().any():
        raise InvalidRangeError("--earth-rotation: places are points here; an area target (a country, region or "
                                "area:NAME) is not measured on the turning Earth")
    points = launch_points(sources)
    lon, lat = lonlat if lonlat is not None else (places["lon"].to_numpy(float), places["lat"].to_numpy(float))
    r = rotating_reach(points, band, lon, lat)
    out = places.copy()
    if distances:
        out["min_km"] = r.nearest_m / 1000.0
        out["max_km"] = r.farthest_m / 1000.0
    out["status"] = status_names(r.codes)
    if distances:
        out["margin_km"] = r.margin_m / 1000.0
        out["via"] = [points[k].label for k in r.part]
        out["reach_km"] = r.reach_m / 1000.0
    return out


def published_for(point: LaunchPoint, lon: float, lat: float) -> float:
    """Return the published maximum range (km) whose reach on the turning Earth toward a place is exactly its distance.

    The critical value of ``max_km`` for a place: the reach toward a
    direction grows with the published figure, so the place is reached
    exactly when ``max_km`` is at least this. Secant steps on the figure,
    each an exact limit (:func:`geo.physics.ballistic.range_toward`), to 10 m.
    """
    az, _, d = WGS84.inv(point.lon, point.lat, lon, lat)
    if d == 0:
        return 0.0

    def reach(m_km: float) -> float:
        return float(ballistic.range_toward(point.lon, point.lat, az, float(ballistic.burnout_speed(m_km * 1000.0))))

    m0 = d / 1000.0
    r0 = reach(m0)
    m1 = m0 * d / r0  # the reach is nearly proportional to the figure
    for _ in range(8):
        r1 = reach(m1)
        if abs(r1 - d) <= ballistic.LIMIT_TOLERANCE_M or r1 == r0:
            break
        m0, r0, m1 = m1, r1, m1 + (d - r1) * (m1 - m0) / (r1 - r0)
    return m1
