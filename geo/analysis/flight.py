"""Flight times of ballistic systems from launches to places, and claims in minutes (``geo.flight_time``).

A flight time is a band, never one number (:mod:`geo.physics.ballistic`):
the free flight of the flattest trajectory that climbs above a minimum
apogee (100 km by default), of the minimum-energy one and of the highest
(lofted) one the system's burnout speed allows, each plus the boost phase.

The boost band
--------------
The model's free flight starts at the launch point with the full burnout
speed; a real missile first burns for minutes, climbing and moving
downrange. Published total times exceed the model's free flight by about
1.5 to 4.5 minutes (the guide's notes, ``../shared/NOTES.md``; the US
Missile Defense Agency, 'BMD Basics', 2009: a boost phase of 3 to 5
minutes), so :data:`DEFAULT_BOOST_S` adds that band to every trajectory
unless the caller gives another. Four announced North Korean flights (range,
apogee and time, cited in ``tests/test_ballistic.py``) leave 0.3 to 3.8
minutes over the model's free flight at their apogee; the KCNA plan for
Guam (3,356.7 km in 1,065 s) is the minimum-energy flight plus 1.7 min.

From an area
------------
From a territory (or to one) the flight is computed between the pair of
points nearest to each other (:func:`geo.analysis.separation.distance`):
the shortest flights, the warning time a claim about "from Belarus" means.
On a turning Earth a slightly farther point in a better direction could be
a few seconds faster; the output names the points used.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from geo.analysis.separation import Separation, distances_from
from geo.errors import InvalidRangeError
from geo.physics import ballistic
from geo.reference.systems import System, lookup_system

__all__ = [
    "BOOST_SOURCE",
    "DEFAULT_BOOST_S",
    "FlightTime",
    "TimeVerdict",
    "Trajectory",
    "flight_time",
    "flight_times",
    "minutes_text",
]

FloatArray = NDArray[np.float64]

DEFAULT_BOOST_S: Final = (90.0, 270.0)
"""The boost band added to every free-flight time, seconds (1.5-4.5 min; module docstring)."""
BOOST_SOURCE: Final = (
    "default 1.5-4.5 min: published total flight times exceed free flight by about that much "
    "(US Missile Defense Agency, 'BMD Basics', 2009: a boost phase of 3 to 5 minutes)"
)
CONVENTION: Final = (
    "the published maximum range read as the minimum-energy range over a still spherical Earth of 6,371 km, "
    "which fixes the burnout speed"
)


class TimeVerdict(enum.StrEnum):
    """How a flight time stated by a claim compares with what the system can fly."""

    PLAUSIBLE = "plausible"
    """Within the minimum-energy flight plus the boost band."""
    DEPRESSED_ONLY = "depressed_only"
    """Shorter: only a flatter trajectory (still above the minimum apogee) fits."""
    LOFTED_ONLY = "lofted_only"
    """Longer: only a higher trajectory the burnout speed allows fits."""
    IMPOSSIBLE = "impossible"
    """No ballistic trajectory of the system fits (or the place is out of its reach)."""


@dataclass(frozen=True)
class Trajectory:
    """One trajectory of a flight band: its free-flight time (s) and apogee (km above the ellipsoid)."""

    name: str
    free_s: float
    apogee_km: float

    def total_s(self, boost_s: tuple[float, float]) -> tuple[float, float]:
        """Return the total time with the boost band: (shortest, longest) seconds."""
        return self.free_s + boost_s[0], self.free_s + boost_s[1]


def minutes_text(seconds: float) -> str:
    """Return a time as people say it: ``"1 min 51 s"``, ``"14.2 min"`` (tenths from 10 minutes on)."""
    if not math.isfinite(seconds):
        return "-"
    if seconds < 600:
        whole = int(round(seconds))
        return f"{whole // 60} min {whole % 60} s" if whole >= 60 else f"{whole} s"
    return f"{seconds / 60:.1f} min"


def _span(lo: float, hi: float) -> str:
    if lo >= 600 or hi >= 600:
        return f"{lo / 60:.1f}-{hi / 60:.1f} min"
    return f"{minutes_text(lo)} to {minutes_text(hi)}"


@dataclass(frozen=True)
class FlightTime:
    """The flight-time band of a ballistic system from a launch to a place (:func:`flight_time`).

    Distances in km, times in seconds, points as (lat, lon) degrees like the
    rest of the public API. ``flattest``, ``min_energy`` and ``lofted`` are
    None when the place is out of reach; ``flattest`` is None too when no
    flight the speed allows climbs above ``min_apogee_km``.
    """

    launch: str
    target: str
    system: str
    max_km: float
    distance_km: float
    launch_lat: float
    launch_lon: float
    target_lat: float
    target_lon: float
    earth_rotation: bool
    reach_toward_km: float
    reachable: bool
    burnout_speed_m_s: float
    least_speed_m_s: float
    flattest: Trajectory | None
    min_energy: Trajectory | None
    lofted: Trajectory | None
    boost_s: tuple[float, float]
    boost_source: str
    min_apogee_km: float
    min_km: float = 0.0
    """The system's published minimum range (km): a nearer target is flown to only in theory."""
    from_area: bool = False
    """Whether the launch is an area (or several points): the flight starts at its point nearest the target."""
    at_min_range: bool = False
    """The nearest points are inside the minimum range: the flight is between points at the minimum range
    (the launch area's, or else the target area's), the shortest the system flies (:func:`_start`)."""

    @property
    def inside_min_range(self) -> bool:
        """Whether the target is nearer than the system's minimum range from every launch point (no real flight)."""
        return self.distance_km < self.min_km and not self.at_min_range

    def target_point(self) -> str:
        """Return the target, with the launch point used from an area: ``"Berlin, DE (from 52.09, 23.66)"``."""
        where = ", at the minimum range" if self.at_min_range else ""
        if not self.from_area:
            return f"{self.target} (to {self.target_lat:.2f}, {self.target_lon:.2f}{where})" if where else self.target
        return f"{self.target} (from {self.launch_lat:.2f}, {self.launch_lon:.2f}{where})"

    def possible_s(self) -> tuple[float, float] | None:
        """Return the shortest and longest total time any trajectory above the minimum apogee takes, or None."""
        if self.flattest is None or self.lofted is None:
            return None
        return self.flattest.free_s + self.boost_s[0], self.lofted.free_s + self.boost_s[1]

    @property
    def typical(self) -> Trajectory | None:
        """The least-energy flight through space: the minimum-energy one, or the flattest above the minimum apogee.

        At short range the minimum-energy flight stays below the minimum
        apogee (22 km for the 87 km from Belarus to Kyiv); the least-energy
        flight that leaves the atmosphere is then the flattest one above it.
        """
        if self.min_energy is None:
            return None
        if self.min_energy.apogee_km >= self.min_apogee_km or self.flattest is None:
            return self.min_energy
        return self.flattest

    def typical_s(self) -> tuple[float, float] | None:
        """Return the least-energy flight through space plus the boost band (seconds), or None out of reach."""
        typical = self.typical
        return None if typical is None else typical.total_s(self.boost_s)

    def what(self) -> str:
        """Return what flies from where, as a title says it: ``"Oreshnik from Krichev air base (Krichev-6)"``."""
        system = self.system or f"a {self.max_km:,.0f} km ballistic missile"
        return f"{system} from {self.launch}"

    def judge(self, low_s: float, high_s: float, stated: str) -> tuple[TimeVerdict, str]:
        """Return how a stated time (between ``low_s`` and ``high_s`` seconds) fits, and why, in words."""
        if self.distance_km == 0:
            return TimeVerdict.IMPOSSIBLE, (f"{self.target} in {stated} from {self.launch} is no flight: "
                                            f"{self.launch} holds {self.target}")
        verdict, why = self._judge(low_s, high_s, stated)
        system = self.system or "missile"
        if self.inside_min_range:
            why += f"; {self.target} is also nearer than the {system}'s {self.min_km:,.0f} km minimum range"
        elif self.at_min_range:
            side = f"from {self.launch}'s points" if self.from_area else f"to {self.target}'s points"
            why += f" (timed {side} at the {system}'s {self.min_km:,.0f} km minimum range, the nearest it flies)"
        return verdict, why

    def _judge(self, low_s: float, high_s: float, stated: str) -> tuple[TimeVerdict, str]:
        where = f"{self.target} in {stated} from {self.launch}"
        if not self.reachable:
            return TimeVerdict.IMPOSSIBLE, (
                f"{where} is impossible: {self.target} is {self.distance_km:,.0f} km away, beyond the "
                f"{self.system or 'missile'}'s reach of {self.reach_toward_km:,.0f} km toward it"
            )
        typical = self.typical_s()
        possible = self.possible_s()
        assert typical is not None
        least = "minimum-energy flight" if self.typical is self.min_energy else (
            f"least-energy flight above {self.min_apogee_km:,.0f} km")
        if low_s <= typical[1] and high_s >= typical[0]:
            return TimeVerdict.PLAUSIBLE, f"{where} is plausible: the {least} takes {_span(*typical)} with the boost"
        if possible is None:
            return TimeVerdict.IMPOSSIBLE, (
                f"{where} is impossible for a ballistic flight that leaves the atmosphere: no trajectory the "
                f"burnout speed allows climbs above {self.min_apogee_km:,.0f} km on the way"
            )
        if high_s < typical[0]:
            if high_s >= possible[0]:
                return TimeVerdict.DEPRESSED_ONLY, (
                    f"{where} fits only a depressed trajectory, flatter than the {least} "
                    f"({_span(*typical)}); the flattest above {self.min_apogee_km:,.0f} km takes "
                    f"at least {minutes_text(possible[0])}"
                )
            return TimeVerdict.IMPOSSIBLE, (
                f"{where} is impossible for any ballistic flight that leaves the atmosphere: the flattest "
                f"(apogee {self.min_apogee_km:,.0f} km) takes at least {minutes_text(possible[0])}"
            )
        if low_s <= possible[1]:
            return TimeVerdict.LOFTED_ONLY, (
                f"{where} fits only a lofted trajectory, higher than the {least} "
                f"({_span(*typical)}); the highest the burnout speed allows takes at most "
                f"{minutes_text(possible[1])}"
            )
        return TimeVerdict.IMPOSSIBLE, (
            f"{where} is impossible: even the highest trajectory the burnout speed allows lands within "
            f"{minutes_text(possible[1])}"
        )

    def flat_record(self) -> dict[str, Any]:
        """Return :meth:`record` with each trajectory's fields as columns (CSV)."""
        out: dict[str, Any] = {}
        for key, value in self.record().items():
            if key in ("flattest", "min_energy", "lofted"):
                for field, x in (value or {"free_flight_min": None, "apogee_km": None, "total_min": None}).items():
                    if field == "total_min":
                        out[f"{key}_total_min_low"], out[f"{key}_total_min_high"] = x or (None, None)
                    else:
                        out[f"{key}_{field}"] = x
            elif isinstance(value, list):
                out[f"{key}_low"], out[f"{key}_high"] = value
            elif value is not None or key.endswith("_min"):
                out[key] = value
            else:
                out[key] = None
        return out

    def record(self) -> dict[str, Any]:
        """Return the flight as plain values (JSON): minutes and km, the band of each trajectory."""

        def minutes(seconds: float) -> float:
            return round(seconds / 60.0, 3)

        def trajectory(t: Trajectory | None) -> dict[str, Any] | None:
            if t is None:
                return None
            lo, hi = t.total_s(self.boost_s)
            return {"free_flight_min": minutes(t.free_s), "apogee_km": round(t.apogee_km, 1),
                    "total_min": [minutes(lo), minutes(hi)]}

        possible = self.possible_s()
        typical = self.typical_s()
        return {
            "launch": self.launch, "launch_lat": self.launch_lat, "launch_lon": self.launch_lon,
            "target": self.target, "target_lat": self.target_lat, "target_lon": self.target_lon,
            "distance_km": round(self.distance_km, 3), "system": self.system, "max_km": self.max_km,
            "min_km": self.min_km, "inside_min_range": self.inside_min_range,
            "from_min_range": self.at_min_range,
            "convention": CONVENTION, "earth_rotation": self.earth_rotation,
            "reach_toward_km": round(self.reach_toward_km, 1) if math.isfinite(self.reach_toward_km) else None,
            "reachable": self.reachable, "burnout_speed_m_s": round(self.burnout_speed_m_s, 1),
            "least_speed_m_s": round(self.least_speed_m_s, 1), "min_apogee_km": self.min_apogee_km,
            "boost_min": [minutes(self.boost_s[0]), minutes(self.boost_s[1])], "boost_source": self.boost_source,
            "flattest": trajectory(self.flattest), "min_energy": trajectory(self.min_energy),
            "lofted": trajectory(self.lofted),
            "typical": None if self.typical is None else self.typical.name,
            "typical_min": None if typical is None else [minutes(typical[0]), minutes(typical[1])],
            "possible_min": None if possible is None else [minutes(possible[0]), minutes(possible[1])],
        }


def ballistic_system(system: str | System) -> System:
    """Return the system named, refusing one the ballistic model does not cover.

    Raises
    ------
    UnknownPlaceError
        For an unknown system (close names suggested).
    InvalidRangeError
        For a system that is not a ballistic missile fired from the ground or sea.
    """
    found = system if isinstance(system, System) else lookup_system(system)
    if not found.ballistic:
        raise InvalidRangeError(
            f"{found.name} ({found.kind}) is not a ballistic missile fired from the ground or sea: flight times "
            "and the turning Earth's reach are modelled for those only (data/systems.toml, trajectory)"
        )
    return found


def flight_time(
    launch: Any,
    target: Any,
    system: str | System | None = None,
    *,
    max_km: float | None = None,
    boost_min: tuple[float, float] | None = None,
    min_apogee_km: float = ballistic.DEFAULT_MIN_APOGEE_M / 1000.0,
    earth_rotation: bool = True,
    borders: str = "recognised",
) -> FlightTime:
    """Return the flight-time band of a ballistic missile from a launch to a place (``geo.flight_time``).

    Parameters
    ----------
    launch, target : str, LaunchPoint, LaunchRegion, shapely geometry or list
        Anything ``--from`` takes; for areas, the nearest pair of points.
    system : str or System, optional
        A ballistic system of ``data/systems.toml``; its published maximum
        range fixes the burnout speed. Or give ``max_km``.
    max_km : float, optional
        The maximum range (km) instead of (or overriding) the system's.
    boost_min : (float, float), optional
        The boost band in minutes (default :data:`DEFAULT_BOOST_S`).
    min_apogee_km : float, default 100
        Least apogee of the flattest trajectory counted.
    earth_rotation : bool, default True
        Whether the Earth turns under the missile (it does; False gives the
        still-Earth convention's answer).
    borders : str, default "recognised"
        The border view for countries.

    Raises
    ------
    InvalidRangeError
        For a system that is not ballistic, no range, or a bad band.

    Examples
    --------
    >>> f = flight_time("krichev", "Berlin", "oreshnik")
    >>> f"{f.distance_km:,.0f} km, minimum energy {f.min_energy.free_s / 60:.1f} min"
    '1,242 km, minimum energy 8.9 min'
    """
    return flight_times(launch, [target], system, max_km=max_km, boost_min=boost_min, min_apogee_km=min_apogee_km,
                        earth_rotation=earth_rotation, borders=borders)[0]


def flight_times(
    launch: Any,
    targets: list[Any],
    system: str | System | None = None,
    *,
    max_km: float | None = None,
    boost_min: tuple[float, float] | None = None,
    min_apogee_km: float = ballistic.DEFAULT_MIN_APOGEE_M / 1000.0,
    earth_rotation: bool = True,
    borders: str = "recognised",
    reach: bool = True,
) -> list[FlightTime]:
    """Return :func:`flight_time` from one launch to each of ``targets``, in order (the launch resolved once).

    ``reach=False`` skips the reach toward each place on the turning Earth
    (``reach_toward_km`` is then NaN): the flight band does not need it.
    """
    found = None if system is None else ballistic_system(system)
    if max_km is None:
        if found is None:
            raise InvalidRangeError("a flight time needs a ballistic system or a maximum range (max_km)")
        max_km = found.max_km.value_km
    if isinstance(max_km, bool) or not (isinstance(max_km, int | float) and math.isfinite(max_km)
                                        and 0 < max_km < 20_000):
        raise InvalidRangeError(f"max_km {max_km!r} must be a number of kilometres between 0 and 20,000")
    boost = DEFAULT_BOOST_S if boost_min is None else (60.0 * boost_min[0], 60.0 * boost_min[1])
    if not (0 <= boost[0] <= boost[1] and math.isfinite(boost[1])):
        raise InvalidRangeError(f"boost band {boost_min!r} must be two minutes, low <= high, both >= 0")
    if not (math.isfinite(min_apogee_km) and min_apogee_km > 0):
        raise InvalidRangeError(f"min_apogee_km {min_apogee_km!r} must be a positive number of kilometres")
    seps = distances_from(launch, targets, borders=borders)
    min_km = 0.0 if found is None else found.min_km.value_km
    launch_area = _boundary(launch, borders) if min_km > 0 else None
    areas = [_boundary(t, borders) if min_km > 0 else None for t in targets]
    starts = [_start(sep, min_km, launch_area, area) for sep, area in zip(seps, areas, strict=True)]
    return _flights(seps, starts, found, float(max_km), boost, boost_min is None, min_apogee_km, earth_rotation,
                    reach)


def _at_distance(rings: list[FloatArray], lon0: float, lat0: float, distance_m: float, near: tuple[float, float]
                 ) -> tuple[float, float] | None:
    """Return a point of an area's boundary at ``distance_m`` from a point, the crossing nearest ``near``, or None.

    ``rings`` are the boundary cut every 500 m along its geodesic edges
    (:func:`_boundary`); between the two cut points whose distances straddle
    ``distance_m`` the point is placed in proportion along the geodesic
    (within metres of the distance).
    """
    best: tuple[float, float, float] | None = None
    for xy in rings:
        d = ballistic.geodesic_distance(lon0, lat0, xy[:, 0], xy[:, 1]) - distance_m
        for k in np.flatnonzero((d[:-1] <= 0) != (d[1:] <= 0)):
            frac = float(d[k] / (d[k] - d[k + 1]))
            az, _, length = ballistic.WGS84.inv(xy[k, 0], xy[k, 1], xy[k + 1, 0], xy[k + 1, 1])
            lon, lat, _ = ballistic.WGS84.fwd(xy[k, 0], xy[k, 1], az, frac * length)
            gap = float(ballistic.geodesic_distance(near[0], near[1], lon, lat))
            if best is None or gap < best[2]:
                best = (float(lon), float(lat), gap)
    return None if best is None else (best[0], best[1])


def _start(sep: Separation, min_km: float, launch_area: list[FloatArray] | None,
           target_area: list[FloatArray] | None) -> tuple[float, float, float, float, float, bool, bool]:
    """Return a flight's ends and distance: (lon1, lat1, lon2, lat2, km, from an area, at the minimum range).

    Between the nearest points; when those are nearer than the minimum range
    and the launch (or else the target) is an area that also has points
    beyond it, the area's end moves to a point of its boundary at the
    minimum range (the crossing nearest its nearest point): the nearest the
    system flies between.
    """
    lon1, lat1, lon2, lat2 = sep.min_from_lon, sep.min_from_lat, sep.min_to_lon, sep.min_to_lat
    from_area = (sep.min_from_lat, sep.min_from_lon) != (sep.max_from_lat, sep.max_from_lon)
    if sep.min_km < min_km <= sep.max_km:
        # The other end: the nearest point first, else the farthest pair's (two areas that touch may have no
        # point at the minimum range from their shared point, but have one from the far side of the other).
        far_to, far_from = (sep.max_to_lon, sep.max_to_lat), (sep.max_from_lon, sep.max_from_lat)
        for area, fixed, moving, launch_side in ((launch_area, (lon2, lat2), (lon1, lat1), True),
                                                 (target_area, (lon1, lat1), (lon2, lat2), False),
                                                 (launch_area, far_to, (lon1, lat1), True),
                                                 (target_area, far_from, (lon2, lat2), False)):
            if area is None:
                continue
            found = _at_distance(area, fixed[0], fixed[1], min_km * 1000.0, moving)
            if found is None:
                continue
            km = float(ballistic.geodesic_distance(fixed[0], fixed[1], *found)) / 1000.0
            if launch_side:
                return found[0], found[1], fixed[0], fixed[1], km, True, True
            return fixed[0], fixed[1], found[0], found[1], km, from_area, True
    return lon1, lat1, lon2, lat2, sep.min_km, from_area, False


def _boundary(thing: Any, borders: str) -> list[FloatArray] | None:
    """Return the closed boundary rings, cut every 500 m, of a thing that is an area (else None): done once a thing."""
    import shapely

    from geo.analysis.launch import LaunchRegion, as_sources
    from geo.geodesy.densify import densify

    sources = as_sources(thing, borders)  # resolved already by the distances: the same answer, no error here
    regions = [s for s in sources if isinstance(s, LaunchRegion)]
    if not regions or len(regions) != len(sources):
        return None
    rings = []
    for source in regions:
        for polygon in shapely.get_parts(source.geometry):
            for ring in (polygon.exterior, *polygon.interiors):
                xy = densify(np.asarray(ring.coords)[:-1, :2], spacing_m=500.0)
                rings.append(np.vstack([xy, xy[:1]]))
    return rings


def _flights(
    seps: list[Separation], starts: list[tuple[float, float, float, float, float, bool, bool]], system: System | None,
    max_km: float, boost: tuple[float, float], default_boost: bool, min_apogee_km: float, rotating: bool,
    reach: bool = True,
) -> list[FlightTime]:
    """Return the flights between the given ends (:func:`_start`), all targets in one vectorised computation."""
    speed = float(ballistic.burnout_speed(max_km * 1000.0))
    min_km = 0.0 if system is None else system.min_km.value_km
    lon1, lat1, lon2, lat2 = (np.array([s[k] for s in starts]) for k in range(4))
    # A place in the launch area (0 km) has no flight: solve a 1 km hop instead and report none.
    inside = np.array([s[4] == 0 for s in starts])
    hop_lon, hop_lat, _ = ballistic.WGS84.fwd(lon1, lat1, np.zeros(len(seps)), np.full(len(seps), 1000.0))
    band = ballistic.flight_band(lon1, lat1, np.where(inside, hop_lon, lon2), np.where(inside, hop_lat, lat2), speed,
                                 min_apogee_m=min_apogee_km * 1000.0, rotating=rotating)
    toward = np.full(len(seps), math.nan if reach is False else max_km)
    moving = np.array([s[4] > 0 for s in starts]) & (reach and rotating)
    if moving.any():
        azimuth = np.asarray(ballistic.WGS84.inv(lon1[moving], lat1[moving], lon2[moving], lat2[moving])[0])
        toward[moving] = ballistic.range_toward(lon1[moving], lat1[moving], azimuth, speed) / 1000.0
    out = []
    for k, (sep, (lon, lat, to_lon, to_lat, distance_km, from_area, at_min_range)) in enumerate(
            zip(seps, starts, strict=True)):
        reachable = bool(band.reachable[k]) and not inside[k]

        def trajectory(name: str, t: np.ndarray, h: np.ndarray, k: int = k, ok: bool = reachable) -> Trajectory | None:
            return Trajectory(name, float(t[k]), float(h[k]) / 1000.0) if ok and np.isfinite(t[k]) else None

        out.append(FlightTime(
            launch=sep.from_label if not sep.min_via_from else f"{sep.from_label} ({sep.min_via_from})",
            target=sep.to_label,
            system="" if system is None else system.name,
            max_km=max_km,
            distance_km=distance_km,
            launch_lat=lat, launch_lon=lon, target_lat=to_lat, target_lon=to_lon,
            earth_rotation=rotating,
            reach_toward_km=float(toward[k]),
            reachable=reachable,
            burnout_speed_m_s=speed,
            least_speed_m_s=float(band.least_speed_m_s[k]),
            flattest=trajectory("flattest", band.flattest_s, band.flattest_apogee_m),
            min_energy=trajectory("minimum energy", band.min_energy_s, band.min_energy_apogee_m),
            lofted=trajectory("lofted", band.lofted_s, band.lofted_apogee_m),
            boost_s=boost,
            boost_source=BOOST_SOURCE if default_boost else "given",
            min_apogee_km=min_apogee_km,
            min_km=min_km,
            from_area=from_area,
            at_min_range=at_min_range,
        ))
    return out
