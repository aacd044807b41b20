"""Ballistic free flight over the WGS84 Earth: flight-time bands and reach on a turning Earth.

The model
---------
A ballistic missile is a point mass in free flight under the Earth's central
gravity (the two-body problem, ``mu`` = :data:`MU_M3_S2`, the WGS84 value),
from a burnout point to an impact point, both *on the WGS84 ellipsoid*
(height 0; launch and impact radii differ by up to 21 km between the
equator and the poles, and the model keeps that). Motion is computed in an
inertial frame that coincides with the Earth-fixed (ECEF) frame at burnout;
the Earth turns under the missile at its sidereal rate
:data:`OMEGA_RAD_S` about the z axis, so a target's inertial position at
impact time ``t`` is its ECEF position turned by ``omega t``, and the
missile leaves the launch point with the ground's own velocity
``omega x r1`` added to its speed relative to the ground. With
``rotating=False`` the Earth stands still (the convention of most
published ranges).

Left out, and what that costs: the J2 oblateness of the gravity field
(range changes of a few tenths of a per cent at intercontinental ranges,
well below the spread of published ranges), atmospheric drag and lift on
the way up and down (the boost phase is a separate time band, below; a
manoeuvring or gliding re-entry vehicle is not ballistic and is not
modelled), and the burnout point's height and downrange offset (burnout is
placed at the launch point, on the surface: the usual textbook reading,
Bate, Mueller & White, *Fundamentals of Astrodynamics*, 1971, ch. 6).

The range convention
--------------------
A published maximum range ``D`` is read as the *minimum-energy range over a
non-rotating spherical Earth* of radius :data:`CONVENTION_RADIUS_M`
(6,371 km), the convention of the arms-control literature. On such an
Earth, with ``Psi = D / R`` the range angle and ``nu = v^2 R / mu``,
the minimum-energy trajectory has (BMW eq. 6.2-20 and 6.2-21)::

    sin(Psi / 2) = nu / (2 - nu)      flight-path angle  phi = (pi - Psi) / 4

so the burnout speed is ``v = sqrt(nu mu / R)`` with
``nu = 2 s / (1 + s)``, ``s = sin(Psi / 2)`` (:func:`burnout_speed`). That
speed, relative to the ground, is what the missile has whichever way it is
fired; on a turning Earth the ground's eastward velocity adds to it, so
eastward shots reach farther and westward ones less.

Flight between two points (Lambert's problem)
---------------------------------------------
For a launch point and a target, every free-flight trajectory is fixed by
its flight time ``t``: Lambert's problem (universal variables, Curtis,
*Orbital Mechanics for Engineering Students*, algorithm 5.2; BMW §5.3)
gives the burnout velocity that lands on the target's position at ``t``,
and so the speed relative to the ground it needs, ``v_rel(t)``, and its
apogee. ``v_rel(t)`` is large for very flat (fast) and very high (slow)
trajectories and smallest in between: the *minimum-energy* trajectory (on
a turning Earth, the one that needs the least burnout speed). A target is
reachable when that least speed is at most the system's burnout speed; the
trajectories the system can fly then span flight times from the flattest
one (the faster root of ``v_rel(t) = v``, or the trajectory whose apogee
is the stated minimum apogee, whichever is slower: a flight that stays
below about 100 km is not a ballistic flight through space) to the
highest, *lofted* one (the slower root). :func:`flight_band` returns that
band.

Reach toward each azimuth
-------------------------
On a turning Earth the reach of a ballistic system depends on the
direction. :func:`range_toward` returns, for launch points and the
geodesic azimuths of targets, the geodesic distance ``D(azimuth)`` at
which the least burnout speed equals the system's: a target at distance
``d`` in that direction is reachable exactly when ``d <= D`` (the verdict
itself is decided by the least speed, :func:`least_speed`; the limit is a
root of the same function found to :data:`LIMIT_TOLERANCE_M`).
:func:`reach_boundary` draws the limit as a closed curve of impact points
(the farthest impact of each launch azimuth, by the closed-form forward
flight of :func:`impact`), which :func:`range_toward` bounds: the tests
measure the difference.

All functions take and return numpy arrays in (lon, lat) order, degrees,
metres, seconds and metres per second, broadcast together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geo.geodesy.ellipsoid import A_M, FLATTENING, WGS84, geodesic_distance

__all__ = [
    "CONVENTION_RADIUS_M",
    "DEFAULT_MIN_APOGEE_M",
    "LIMIT_TOLERANCE_M",
    "MU_M3_S2",
    "OMEGA_RAD_S",
    "FlightBand",
    "burnout_speed",
    "convention_range",
    "flight_band",
    "impact",
    "least_speed",
    "minimum_energy_sphere",
    "range_toward",
    "reach_boundary",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

MU_M3_S2: Final = 3.986004418e14
"""The Earth's gravitational constant GM of WGS84 (NGA TR8350.2), m^3/s^2."""
OMEGA_RAD_S: Final = 7.292115e-5
"""The Earth's sidereal rotation rate of WGS84, rad/s."""
CONVENTION_RADIUS_M: Final = 6_371_000.0
"""Radius of the non-rotating sphere a published maximum range is read on (the range convention)."""
DEFAULT_MIN_APOGEE_M: Final = 100_000.0
"""Least apogee of a trajectory counted as a ballistic flight through space (the Karman line)."""
LIMIT_TOLERANCE_M: Final = 10.0
"""How closely :func:`range_toward` finds the reach limit toward an azimuth."""

_B_M: Final = A_M * (1.0 - FLATTENING)
_E2: Final = FLATTENING * (2.0 - FLATTENING)
_TWO_PI_SQ: Final = 4.0 * math.pi**2
_GOLDEN: Final = (math.sqrt(5.0) - 1.0) / 2.0


# ---------------------------------------------------------------------------
# The range convention and its closed form


def burnout_speed(max_range_m: ArrayLike) -> FloatArray:
    """Return the burnout speed (m/s) whose minimum-energy range over the convention sphere is ``max_range_m``.

    Parameters
    ----------
    max_range_m : array_like
        Published maximum range in metres, below half the convention
        sphere's circumference (20,015 km: at that range the burnout speed
        is the circular orbital speed).

    Examples
    --------
    >>> f"{float(burnout_speed(5_000_000.0)):.0f}"
    '5883'
    """
    d = np.asarray(max_range_m, dtype=float)
    if np.any(~np.isfinite(d)) or np.any(d <= 0.0) or np.any(d >= math.pi * CONVENTION_RADIUS_M):
        raise ValueError(f"a maximum range must lie between 0 and {math.pi * CONVENTION_RADIUS_M / 1000:,.0f} km")
    s = np.sin(d / CONVENTION_RADIUS_M / 2.0)
    nu = 2.0 * s / (1.0 + s)
    return np.sqrt(nu * MU_M3_S2 / CONVENTION_RADIUS_M)


@dataclass(frozen=True)
class SphereFlight:
    """The minimum-energy flight over a non-rotating sphere, in closed form (:func:`minimum_energy_sphere`)."""

    time_s: FloatArray
    speed_m_s: FloatArray
    flight_path_deg: FloatArray
    apogee_m: FloatArray


def minimum_energy_sphere(range_m: ArrayLike, radius_m: float = CONVENTION_RADIUS_M) -> SphereFlight:
    """Return the minimum-energy free flight over a non-rotating sphere, in closed form.

    BMW §6.2: with range angle ``Psi = range / R``, ``nu = 2 s / (1 + s)``
    (``s = sin(Psi / 2)``) and flight-path angle ``phi = (pi - Psi) / 4``,
    the conic has ``a = R / (2 - nu)`` and
    ``e^2 = 1 + nu (nu - 2) cos^2 phi``; burnout is at true anomaly
    ``pi - Psi / 2`` and the flight is symmetric about apogee, so its time
    is ``2 sqrt(a^3 / mu) (pi - E0 + e sin E0)``, ``E0`` the eccentric
    anomaly at burnout. This is the reference the tests hold the Lambert
    solution and a numerical integration to (NOTES: 7.9 min at 1,000 km,
    20.6 min at 5,000 km).

    Examples
    --------
    >>> f"{float(minimum_energy_sphere(5_000_000.0).time_s) / 60:.1f}"
    '20.6'
    """
    d = np.asarray(range_m, dtype=float)
    psi = d / radius_m
    s = np.sin(psi / 2.0)
    nu = 2.0 * s / (1.0 + s)
    phi = (math.pi - psi) / 4.0
    a = radius_m / (2.0 - nu)
    e = np.sqrt(1.0 + nu * (nu - 2.0) * np.cos(phi) ** 2)
    e0 = _eccentric_anomaly(e, math.pi - psi / 2.0)
    t = 2.0 * np.sqrt(a**3 / MU_M3_S2) * (math.pi - e0 + e * np.sin(e0))
    return SphereFlight(
        time_s=t,
        speed_m_s=np.sqrt(nu * MU_M3_S2 / radius_m),
        flight_path_deg=np.degrees(phi),
        apogee_m=a * (1.0 + e) - radius_m,
    )


# ---------------------------------------------------------------------------
# Points of the ellipsoid


def surface_ecef(lon: ArrayLike, lat: ArrayLike) -> FloatArray:
    """Return the Earth-fixed (ECEF) position in metres of points on the ellipsoid, shape ``(..., 3)``."""
    lam = np.radians(np.asarray(lon, dtype=float))
    phi = np.radians(np.asarray(lat, dtype=float))
    n = A_M / np.sqrt(1.0 - _E2 * np.sin(phi) ** 2)
    return np.stack([n * np.cos(phi) * np.cos(lam), n * np.cos(phi) * np.sin(lam), n * (1.0 - _E2) * np.sin(phi)], -1)


def _surface_radius(sin_geocentric: FloatArray) -> FloatArray:
    """Return the ellipsoid's radius (m) at a geocentric latitude given by its sine."""
    s2 = np.clip(sin_geocentric, -1.0, 1.0) ** 2
    return A_M * _B_M / np.sqrt(_B_M**2 * (1.0 - s2) + A_M**2 * s2)


def _surface_lonlat(position: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return (lon, lat) in degrees of ECEF points on the ellipsoid (``tan lat = z / ((1 - e^2) rho)``)."""
    x, y, z = position[..., 0], position[..., 1], position[..., 2]
    return np.degrees(np.arctan2(y, x)), np.degrees(np.arctan2(z, (1.0 - _E2) * np.hypot(x, y)))


def _turn(position: FloatArray, angle: FloatArray) -> FloatArray:
    """Turn ECEF vectors about the z axis by ``angle`` radians (eastward for positive angles)."""
    c, s = np.cos(angle), np.sin(angle)
    x, y = position[..., 0], position[..., 1]
    return np.stack([c * x - s * y, s * x + c * y, position[..., 2]], -1)


def _ground_velocity(position: FloatArray, rotating: bool) -> FloatArray:
    """Return the inertial velocity of the ground at ``position`` (``omega x r``), zero on a still Earth."""
    omega = OMEGA_RAD_S if rotating else 0.0
    return np.stack([-omega * position[..., 1], omega * position[..., 0], np.zeros(position.shape[:-1])], -1)


def _eccentric_anomaly(e: FloatArray, theta: FloatArray) -> FloatArray:
    """Return the eccentric anomaly of an ellipse of eccentricity ``e`` at true anomaly ``theta`` (radians)."""
    return 2.0 * np.arctan2(np.sqrt(1.0 - e) * np.sin(theta / 2.0), np.sqrt(1.0 + e) * np.cos(theta / 2.0))


def _dot(u: FloatArray, v: FloatArray) -> FloatArray:
    return np.einsum("...i,...i->...", u, v)


def _norm(u: FloatArray) -> FloatArray:
    return np.sqrt(_dot(u, u))


# ---------------------------------------------------------------------------
# Forward flight: from a launch direction to the impact point


def _apogee_height(position: FloatArray, velocity: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return (semi-major axis, eccentricity vector, apogee height above the ellipsoid) of conics.

    The height is the apogee radius less the ellipsoid's radius beneath it
    (measured along the radius); NaN for conics without an apogee.
    """
    r = _norm(position)
    v2 = _dot(velocity, velocity)
    energy = v2 / 2.0 - MU_M3_S2 / r
    a = -MU_M3_S2 / (2.0 * energy)
    ecc = ((v2 - MU_M3_S2 / r)[..., None] * position - _dot(position, velocity)[..., None] * velocity) / MU_M3_S2
    e = _norm(ecc)
    with np.errstate(invalid="ignore", divide="ignore"):
        towards_apogee = -ecc / e[..., None]
        height = np.where(energy < 0.0, a * (1.0 + e) - _surface_radius(towards_apogee[..., 2]), np.nan)
    return a, ecc, height


def impact(
    lon: ArrayLike,
    lat: ArrayLike,
    azimuth_deg: ArrayLike,
    elevation_deg: ArrayLike,
    speed_m_s: ArrayLike,
    *,
    rotating: bool = True,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Return where and when a free flight from the ground comes down: (lon, lat, time s, apogee height m).

    The missile leaves the launch point (on the ellipsoid) with ``speed_m_s``
    relative to the ground, toward ``azimuth_deg`` (clockwise from north)
    at ``elevation_deg`` above the local horizontal plane (normal to the
    ellipsoid). The conic is followed in closed form to the first point
    after apogee where it meets the ellipsoid (the impact radius is found by
    fixed-point iteration on the impact latitude, which the Earth's turning
    about z leaves unchanged), and the impact point is turned back by the
    Earth's rotation during the flight. NaN where the conic never comes down
    (an orbit or an escape).
    """
    lon_a, lat_a, az, el, v = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (lon, lat, azimuth_deg, elevation_deg, speed_m_s))
    )
    r0 = surface_ecef(lon_a, lat_a)
    lam, phi = np.radians(lon_a), np.radians(lat_a)
    east = np.stack([-np.sin(lam), np.cos(lam), np.zeros_like(lam)], -1)
    north = np.stack([-np.sin(phi) * np.cos(lam), -np.sin(phi) * np.sin(lam), np.cos(phi)], -1)
    up = np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], -1)
    a_r, e_r = np.radians(az), np.radians(el)
    direction = (np.cos(e_r) * np.sin(a_r))[..., None] * east + (np.cos(e_r) * np.cos(a_r))[..., None] * north
    direction = direction + np.sin(e_r)[..., None] * up
    v0 = v[..., None] * direction + _ground_velocity(r0, rotating)
    a, ecc, height = _apogee_height(r0, v0)
    e = _norm(ecc)
    r0n = _norm(r0)
    h = np.cross(r0, v0)
    p = _dot(h, h) / MU_M3_S2
    with np.errstate(invalid="ignore", divide="ignore"):
        cos0 = np.clip((p / r0n - 1.0) / e, -1.0, 1.0)
        theta0 = np.where(_dot(r0, v0) >= 0.0, np.arccos(cos0), -np.arccos(cos0))
        side = np.cross(h, r0) / (_norm(h) * r0n)[..., None]  # in the orbit plane, 90 degrees ahead of r0
        unit0 = r0 / r0n[..., None]
        r_hit = r0n.copy()
        for _ in range(4):  # the impact radius depends on the impact latitude: converges to < 1 mm
            cos1 = (p / r_hit - 1.0) / e
            theta1 = 2.0 * math.pi - np.arccos(np.clip(cos1, -1.0, 1.0))
            sweep = theta1 - theta0
            unit1 = np.cos(sweep)[..., None] * unit0 + np.sin(sweep)[..., None] * side
            r_hit = _surface_radius(unit1[..., 2])
        cos1 = (p / r_hit - 1.0) / e
        down = (a > 0.0) & (np.abs(cos1) <= 1.0) & (e < 1.0)
        e_anom0 = _eccentric_anomaly(e, theta0)
        e_anom1 = _eccentric_anomaly(e, theta1)
        e_anom1 = np.where(e_anom1 < e_anom0, e_anom1 + 2.0 * math.pi, e_anom1)
        t = np.sqrt(a**3 / MU_M3_S2) * ((e_anom1 - e * np.sin(e_anom1)) - (e_anom0 - e * np.sin(e_anom0)))
        hit = _turn(r_hit[..., None] * unit1, -OMEGA_RAD_S * t if rotating else np.zeros_like(t))
        lon1, lat1 = _surface_lonlat(hit)
    nan = np.nan
    return np.where(down, lon1, nan), np.where(down, lat1, nan), np.where(down, t, nan), np.where(down, height, nan)


# ---------------------------------------------------------------------------
# Lambert's problem: the flight that lands on a target at a given time


def _stumpff(z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return the Stumpff functions C(z), S(z), by series near 0."""
    c = np.empty_like(z)
    s = np.empty_like(z)
    pos, neg = z > 1e-3, z < -1e-3
    small = ~(pos | neg)
    q = np.sqrt(z[pos])
    c[pos] = (1.0 - np.cos(q)) / z[pos]
    s[pos] = (q - np.sin(q)) / q**3
    q = np.sqrt(-z[neg])
    c[neg] = (np.cosh(q) - 1.0) / -z[neg]
    s[neg] = (np.sinh(q) - q) / q**3
    zs = z[small]
    c[small] = 0.5 - zs / 24.0 + zs**2 / 720.0 - zs**3 / 40320.0
    s[small] = 1.0 / 6.0 - zs / 120.0 + zs**2 / 5040.0 - zs**3 / 362880.0
    return c, s


def _lambert(r1: FloatArray, r2: FloatArray, t: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return the velocities at ``r1`` and ``r2`` of the short-way conic from ``r1`` to ``r2`` in time ``t``.

    Universal variables (Curtis, algorithm 5.2): the flight time is an
    increasing function of ``z`` on ``(-inf, 4 pi^2)`` once ``y(z) > 0``,
    so ``z`` is found by Newton steps (Curtis eq. 5.43) kept inside a
    bracket that every evaluation narrows, falling back to bisection when a
    step leaves it; iterations stop when every step is below 1e-13.
    """
    r1n, r2n = _norm(r1), _norm(r2)
    cos_d = np.clip(_dot(r1, r2) / (r1n * r2n), -1.0, 1.0)
    a_ = np.sqrt(r1n * r2n * (1.0 + cos_d))
    sqrt_mu_t = math.sqrt(MU_M3_S2) * t
    lo = np.full(t.shape, -4.0 * _TWO_PI_SQ)  # a hyperbola of 2 pi^2 rad: far faster than any missile
    hi = np.full(t.shape, _TWO_PI_SQ * (1.0 - 1e-12))
    z = np.zeros(t.shape)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        for _ in range(200):
            c, s = _stumpff(z)
            y = r1n + r2n + a_ * (z * s - 1.0) / np.sqrt(c)
            ok = y > 0.0
            yp = np.where(ok, y, 1.0)
            f = np.where(ok, (yp / c) ** 1.5 * s + a_ * np.sqrt(yp) - sqrt_mu_t, -1.0)
            lo = np.where(f < 0.0, z, lo)
            hi = np.where(f < 0.0, hi, z)
            near0 = np.abs(z) < 1e-3
            zs = np.where(near0, 1.0, z)
            slope = np.where(
                near0,
                math.sqrt(2.0) / 40.0 * yp**1.5 + a_ / 8.0 * (np.sqrt(yp) + a_ * np.sqrt(0.5 / yp)),
                (yp / c) ** 1.5 * ((c - 1.5 * s / c) / (2.0 * zs) + 0.75 * s**2 / c)
                + a_ / 8.0 * (3.0 * s * np.sqrt(yp) / c + a_ * np.sqrt(c / yp)),
            )
            step = z - f / slope
            inside = ok & np.isfinite(step) & (step >= lo) & (step <= hi)
            solved = ok & (np.abs(f) <= 1e-13 * sqrt_mu_t)  # the time to 1e-13: stay (the bracket may have closed)
            new = np.where(solved, z, np.where(inside, step, 0.5 * (lo + hi)))
            done = solved | (np.abs(new - z) <= 1e-13 * np.maximum(1.0, np.abs(z)))
            z = new
            if done.all():
                break
        c, s = _stumpff(z)
        y = r1n + r2n + a_ * (z * s - 1.0) / np.sqrt(c)
    f = 1.0 - y / r1n
    g = a_ * np.sqrt(y / MU_M3_S2)
    gdot = 1.0 - y / r2n
    v1 = (r2 - f[..., None] * r1) / g[..., None]
    v2 = (gdot[..., None] * r2 - r1) / g[..., None]
    return v1, v2


def _flight(r1: FloatArray, target: FloatArray, t: FloatArray, rotating: bool) -> tuple[FloatArray, FloatArray]:
    """Return (speed relative to the ground, highest height along the way) of the flight landing on target at t.

    ``target`` is the target's ECEF position; on a turning Earth it is where
    the Earth has carried it after ``t``. The highest height is the apogee
    height when the flight passes its apogee (climbing at burnout, falling
    at impact), else 0 (the flight never rises above its end points, or
    dives through the Earth: not a ballistic flight).
    """
    r2 = _turn(target, OMEGA_RAD_S * t) if rotating else target
    v1, v2 = _lambert(r1, r2, t)
    v_rel = _norm(v1 - _ground_velocity(r1, rotating))
    _, _, height = _apogee_height(r1, v1)
    over_the_top = (_dot(r1, v1) > 0.0) & (_dot(r2, v2) < 0.0) & np.isfinite(height)
    return v_rel, np.where(over_the_top, height, 0.0)


def _golden_min(fun, a: FloatArray, b: FloatArray, steps: int) -> FloatArray:  # type: ignore[no-untyped-def]
    """Return the middle of the bracket golden section leaves around each element's minimum of ``fun`` on [a, b].

    The bracket shrinks to 0.618^steps of its width; ``fun`` is evaluated
    once a step, on every element (vectorised).
    """
    c = b - _GOLDEN * (b - a)
    d = a + _GOLDEN * (b - a)
    fc, fd = fun(c), fun(d)
    for _ in range(steps):
        left = fc < fd
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        c_new = np.where(left, b - _GOLDEN * (b - a), d)
        d_new = np.where(left, c, a + _GOLDEN * (b - a))
        f_new = fun(np.where(left, c_new, d_new))
        fc, fd = np.where(left, f_new, fd), np.where(left, fc, f_new)
        c, d = c_new, d_new
    return 0.5 * (a + b)


def _least_speed_time(r1: FloatArray, target: FloatArray, guess_t: FloatArray, rotating: bool) -> FloatArray:
    """Return the flight time of the least-speed flight from ``r1`` to ``target`` (golden section on log t).

    The speed needed falls and then rises with the flight time; the bracket
    is a factor 4 either side of the closed-form time on a still sphere,
    which holds the minimum at every range and latitude (the turning Earth
    moves it by a few per cent). 30 steps leave 5e-7 of the bracket: the
    speed to 1e-12 (it is flat there).
    """

    def speed(log_t: FloatArray) -> FloatArray:
        return _flight(r1, target, np.exp(log_t), rotating)[0]

    return np.exp(_golden_min(speed, np.log(guess_t / 4.0), np.log(guess_t * 4.0), 30))


def _pair_geometry(
    lon: ArrayLike, lat: ArrayLike, target_lon: ArrayLike, target_lat: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray, tuple[int, ...]]:
    arrays = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (lon, lat, target_lon, target_lat)))
    shape = arrays[0].shape
    lon1, lat1, lon2, lat2 = (x.ravel() for x in arrays)
    return surface_ecef(lon1, lat1), surface_ecef(lon2, lat2), geodesic_distance(lon1, lat1, lon2, lat2), shape


def least_speed(
    lon: ArrayLike, lat: ArrayLike, target_lon: ArrayLike, target_lat: ArrayLike, *, rotating: bool = True
) -> tuple[FloatArray, FloatArray]:
    """Return (least burnout speed m/s relative to the ground, its flight time s) from launch points to targets.

    A system reaches a target exactly when this speed is at most its
    burnout speed (:func:`burnout_speed`). On a still Earth it is the
    minimum-energy speed; on a turning one it depends on the direction.
    """
    r1, target, dist, shape = _pair_geometry(lon, lat, target_lon, target_lat)
    t = _least_speed_time(r1, target, _guess_time(dist), rotating)
    v, _ = _flight(r1, target, t, rotating)
    return v.reshape(shape), t.reshape(shape)


def _guess_time(dist_m: FloatArray) -> FloatArray:
    """Return the closed-form minimum-energy time on the convention sphere (a bracket centre), at least 1 s."""
    d = np.clip(dist_m, 1.0, 0.999 * math.pi * CONVENTION_RADIUS_M)
    return np.maximum(minimum_energy_sphere(d).time_s, 1.0)


# ---------------------------------------------------------------------------
# Flight-time bands


@dataclass(frozen=True)
class FlightBand:
    """The free-flight times a ballistic system can fly from launch points to targets (:func:`flight_band`).

    Arrays of one shape; times in seconds, heights in metres above the
    ellipsoid. Where a target is out of reach (``reachable`` False) the
    times and heights are NaN; where it is in reach but no flight the speed
    allows climbs to ``min_apogee_m`` (a short-range system against a near
    target), the flattest time and height are NaN.
    """

    distance_m: FloatArray
    burnout_speed_m_s: float
    least_speed_m_s: FloatArray
    reachable: BoolArray
    flattest_s: FloatArray
    flattest_apogee_m: FloatArray
    min_energy_s: FloatArray
    min_energy_apogee_m: FloatArray
    lofted_s: FloatArray
    lofted_apogee_m: FloatArray
    min_apogee_m: float
    rotating: bool


def _expand(fun, t: FloatArray, factor: float, active: BoolArray) -> FloatArray:  # type: ignore[no-untyped-def]
    """Multiply ``t`` by ``factor`` where ``active`` until ``fun(t) > 0`` there (at most 60 times)."""
    t = t.copy()
    for _ in range(60):
        need = active & ~(fun(t) > 0.0)
        if not need.any():
            break
        t = np.where(need, t * factor, t)
    return t


def _false_position(  # type: ignore[no-untyped-def]
    fun, a: FloatArray, b: FloatArray, fa: FloatArray, fb: FloatArray, tol: float, live: BoolArray
) -> tuple[FloatArray, FloatArray]:
    """Narrow brackets ``[a, b]`` of a root of ``fun`` (signs of ``fa`` and ``fb`` differ) to ``tol``, where ``live``.

    False position, Illinois variant (an end kept twice has its value
    halved): the functions here are smooth and monotone on the bracket, so
    it converges superlinearly (6-10 evaluations), never leaving the
    bracket. Returns the final brackets; ``a`` keeps the sign of ``fa``.
    """
    side = np.zeros(a.shape, dtype=np.int8)  # which end moved last: 1 a, -1 b
    for _ in range(100):
        going = live & (b - a > tol) & (fa != fb)
        if not going.any():
            break
        x = np.where(going, b - fb * (b - a) / np.where(fb != fa, fb - fa, 1.0), a)
        x = np.clip(x, a + 0.1 * tol, b - 0.1 * tol)
        fx = np.where(going, fun(x), 0.0)
        with_a = going & ((fx == 0.0) | (np.sign(fx) == np.sign(fa)))  # the root lies in [x, b]: x replaces a
        with_b = going & ~with_a
        fb = np.where(with_a & (side == 1), fb / 2.0, fb)
        fa = np.where(with_b & (side == -1), fa / 2.0, fa)
        a, fa = np.where(with_a, x, a), np.where(with_a, fx, fa)
        b, fb = np.where(with_b, x, b), np.where(with_b, fx, fb)
        side = np.where(with_a, 1, np.where(with_b, -1, side)).astype(np.int8)
    return a, b


def _log_root(fun, lo: FloatArray, hi: FloatArray) -> FloatArray:  # type: ignore[no-untyped-def]
    """Solve ``fun(t) = 0`` in log t between ``lo`` and ``hi`` (fun changes sign there), to 1e-9 relative."""

    def in_log(x: FloatArray) -> FloatArray:
        return fun(np.exp(x))

    a, b = _false_position(in_log, np.log(lo), np.log(hi), fun(lo), fun(hi), 1e-9, np.ones(np.shape(lo), bool))
    return np.exp(0.5 * (a + b))


def flight_band(
    lon: ArrayLike,
    lat: ArrayLike,
    target_lon: ArrayLike,
    target_lat: ArrayLike,
    speed_m_s: float,
    *,
    min_apogee_m: float = DEFAULT_MIN_APOGEE_M,
    rotating: bool = True,
) -> FlightBand:
    """Return the free-flight times from launch points to targets for a burnout speed.

    Three trajectories bound what the system can fly (module docstring): the
    flattest one whose apogee is at least ``min_apogee_m`` and whose speed
    is at most ``speed_m_s``; the least-speed (minimum-energy) one; the
    highest (lofted) one the speed allows. Every flight time between the
    flattest and the lofted is flown by some trajectory. The boost phase is
    not included (see :mod:`geo.analysis.flight`).

    Parameters
    ----------
    lon, lat, target_lon, target_lat : array_like
        Launch points and targets on the ellipsoid, degrees; broadcast together.
    speed_m_s : float
        Burnout speed relative to the ground (:func:`burnout_speed`).
    min_apogee_m : float, default 100,000
        Least apogee of a flight counted as ballistic (> 0).
    rotating : bool, default True
        Whether the Earth turns under the missile.
    """
    if not (math.isfinite(min_apogee_m) and min_apogee_m > 0.0):
        raise ValueError(f"a minimum apogee must be a positive number of metres, not {min_apogee_m!r}")
    r1, target, dist, shape = _pair_geometry(lon, lat, target_lon, target_lat)
    t_m = _least_speed_time(r1, target, _guess_time(dist), rotating)
    v_m, h_m = _flight(r1, target, t_m, rotating)
    ok = v_m <= speed_m_s

    def excess(t: FloatArray) -> FloatArray:
        return _flight(r1, target, t, rotating)[0] - speed_m_s

    t_hi = _expand(excess, t_m * 1.5, 1.5, ok)
    t_lo = _expand(excess, t_m / 1.5, 1.0 / 1.5, ok)
    lofted = _log_root(excess, t_m, t_hi)
    fast = _log_root(excess, t_lo, t_m)
    h_fast = _flight(r1, target, fast, rotating)[1]
    h_loft = _flight(r1, target, lofted, rotating)[1]
    climbs = h_loft >= min_apogee_m
    flat = fast.copy()
    low = ok & climbs & (h_fast < min_apogee_m)  # too flat at full speed: the flight whose apogee is the minimum
    if low.any():
        sub_r1, sub_target = r1[low], target[low]

        def climb_sub(t: FloatArray) -> FloatArray:
            return _flight(sub_r1, sub_target, t, rotating)[1] - min_apogee_m

        flat[low] = _log_root(climb_sub, fast[low], lofted[low])
    flat = np.where(ok & climbs, flat, np.nan)
    has_flat = np.isfinite(flat)
    h_flat = np.where(has_flat, _flight(r1, target, np.where(has_flat, flat, t_m), rotating)[1], np.nan)
    nan = np.nan

    def out(values: FloatArray) -> FloatArray:
        return np.where(ok, values, nan).reshape(shape)

    return FlightBand(
        distance_m=dist.reshape(shape),
        burnout_speed_m_s=float(speed_m_s),
        least_speed_m_s=v_m.reshape(shape),
        reachable=ok.reshape(shape),
        flattest_s=out(flat),
        flattest_apogee_m=out(h_flat),
        min_energy_s=out(t_m),
        min_energy_apogee_m=out(h_m),
        lofted_s=out(lofted),
        lofted_apogee_m=out(h_loft),
        min_apogee_m=float(min_apogee_m),
        rotating=rotating,
    )


# ---------------------------------------------------------------------------
# Reach toward each azimuth


def convention_range(speed_m_s: float) -> float:
    """Return the minimum-energy range (m) over the convention sphere of a burnout speed.

    The inverse of :func:`burnout_speed`; ``inf`` from the circular orbital speed on.
    """
    nu = speed_m_s**2 * CONVENTION_RADIUS_M / MU_M3_S2
    if nu >= 1.0:
        return math.inf
    return 2.0 * math.asin(nu / (2.0 - nu)) * CONVENTION_RADIUS_M


_FARTHEST_M: Final = 19_990_000.0
"""Farthest limit :func:`range_toward` looks for; beyond it a direction counts as reached all the way."""


def range_toward(
    lon: ArrayLike, lat: ArrayLike, azimuth_deg: ArrayLike, speed_m_s: float, *, rotating: bool = True
) -> FloatArray:
    """Return the reach (geodesic distance, m) of a burnout speed from launch points toward azimuths.

    The distance ``D`` along the geodesic leaving the launch point at
    ``azimuth_deg`` at which the least speed (:func:`least_speed`) equals
    ``speed_m_s``, found by false position to :data:`LIMIT_TOLERANCE_M` (or
    a ten-thousandth of a shorter range): every
    point of that geodesic nearer than ``D`` is reachable, none farther
    (the least speed grows with the distance along a geodesic). ``inf`` where
    the speed reaches 19,990 km or more in that direction (an orbital speed
    on a turning Earth, for the longest-range ICBMs fired east).
    """
    arrays = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (lon, lat, azimuth_deg)))
    shape = arrays[0].shape
    lon1, lat1, az = (x.ravel() for x in arrays)
    r1 = surface_ecef(lon1, lat1)

    def excess(d: FloatArray) -> FloatArray:
        lon2, lat2, _ = WGS84.fwd(lon1, lat1, az, d)
        target = surface_ecef(np.asarray(lon2), np.asarray(lat2))
        t = _least_speed_time(r1, target, _guess_time(d), rotating)
        return _flight(r1, target, t, rotating)[0] - speed_m_s

    d0 = min(convention_range(speed_m_s), _FARTHEST_M)
    lo = np.full(lon1.shape, 0.6 * d0)
    hi = np.full(lon1.shape, min(1.5 * d0, _FARTHEST_M))
    f_lo = excess(lo)
    while not (f_lo < 0.0).all():  # a slow westward shot near the equator: look nearer
        lo = np.where(f_lo < 0.0, lo, lo * 0.6)
        f_lo = excess(lo)
    f_hi = excess(hi)
    unlimited = f_hi <= 0.0
    tol = min(LIMIT_TOLERANCE_M, 1e-4 * d0)  # 10 m, or a ten-thousandth of a short range (5 cm at 500 m)
    lo, hi = _false_position(excess, lo, hi, f_lo, f_hi, tol, ~unlimited)  # the excess rises along the geodesic
    return np.where(unlimited, np.inf, 0.5 * (lo + hi)).reshape(shape)


def reach_boundary(
    lon: float, lat: float, speed_m_s: float, *, rotating: bool = True, count: int = 720
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return the farthest impact points of ``count`` launch azimuths: (lon, lat, launch azimuth), degrees.

    For each launch azimuth the elevation that lands farthest (geodesic
    distance) is found by golden section; the impact points, in launch
    azimuth order, trace the reach limit of a turning Earth, which the
    drawing follows (its distance from :func:`range_toward` is measured by
    the tests). NaN where a direction does not come down (orbital speed).
    """
    az = np.arange(count) * (360.0 / count)
    lon0 = np.full(count, float(lon))
    lat0 = np.full(count, float(lat))

    def distance(elevation: FloatArray) -> FloatArray:
        lon1, lat1, _, _ = impact(lon0, lat0, az, elevation, speed_m_s, rotating=rotating)
        d = geodesic_distance(lon0, lat0, np.nan_to_num(lon1), np.nan_to_num(lat1))
        return np.where(np.isfinite(lon1), d, np.inf)

    def shortfall(elevation: FloatArray) -> FloatArray:
        return -distance(elevation)

    best = _golden_min(shortfall, np.full(count, 1.0), np.full(count, 89.0), 60)
    lon1, lat1, _, _ = impact(lon0, lat0, az, best, speed_m_s, rotating=rotating)
    return lon1, lat1, az.astype(np.float64)
