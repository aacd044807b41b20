"""A numerical integration of ballistic flight that shares no code with geo.physics.ballistic (the tests' oracle).

The two-body equations of motion integrated with scipy's DOP853 (relative
tolerance 1e-12) in an inertial frame and, separately, in the Earth-fixed
rotating frame (Coriolis and centrifugal terms), stopped where the
trajectory meets the WGS84 ellipsoid (its implicit equation); positions
become longitude and latitude through pyproj's own ECEF transformer, and
the launch direction is built from pyproj by finite differences. No Kepler
conic, Lambert solver or Stumpff function.
"""

from __future__ import annotations

import math

import numpy as np
from geographiclib.geodesic import Geodesic
from pyproj import Transformer
from scipy.integrate import solve_ivp

GM = 3.986004418e14  # WGS84, NGA TR8350.2 (restated here: the oracle owns its constants)
OMEGA = 7.292115e-5
A = 6378137.0
B = A * (1 - 1 / 298.257223563)
TO_ECEF = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
FROM_ECEF = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)
G = Geodesic.WGS84

KRICHEV = (31.70, 53.72)  # lon, lat: the Oreshnik base reported near Krichev (data/sites.toml)
MUPYONG = (126.4, 40.6)  # lon, lat: North Korea's Hwasong-14 launch area of 28 July 2017, as approximated here
SUNAN = (125.67, 39.2)  # lon, lat: Pyongyang's Sunan airport, the launch point of 29 August and 15 September 2017


def metres(lon1, lat1, lon2, lat2):
    return G.Inverse(lat1, lon1, lat2, lon2)["s12"]


def launch_state(lon, lat, azimuth, elevation, speed):
    """Position and ground-relative velocity (ECEF) of a launch, from pyproj and the ENU basis written out here."""
    x, y, z = TO_ECEF.transform(lon, lat, 0.0)
    # the ENU basis by finite differences of pyproj's own transformation (no trigonometry shared with the model)
    e = np.subtract(TO_ECEF.transform(lon + 1e-6, lat, 0.0), (x, y, z))
    n = np.subtract(TO_ECEF.transform(lon, lat + 1e-6, 0.0), (x, y, z))
    u = np.subtract(TO_ECEF.transform(lon, lat, 1.0), (x, y, z))
    e, n, u = (v / np.linalg.norm(v) for v in (e, n, u))
    a, el = math.radians(azimuth), math.radians(elevation)
    return np.array([x, y, z]), speed * (math.cos(el) * (math.sin(a) * e + math.cos(a) * n) + math.sin(el) * u)


def _ground(t, state):
    x, y, z = state[:3]
    return (x * x + y * y) / A**2 + z * z / B**2 - 1.0


_ground.terminal = True
_ground.direction = -1


def _inertial(t, s):
    r = s[:3]
    return np.r_[s[3:], -GM * r / np.linalg.norm(r) ** 3]


def integrate_inertial(lon, lat, azimuth, elevation, speed, rotating=True):
    """Return (lon, lat, time) of the impact, integrating in the inertial frame; the Earth turned back at the end."""
    r, v = launch_state(lon, lat, azimuth, elevation, speed)
    if rotating:
        v = v + np.cross([0.0, 0.0, OMEGA], r)
    start = np.r_[r, v]
    start[:3] *= 1.0 + 1e-12  # just above the ground, so the event fires on the way down
    sol = solve_ivp(_inertial, (0, 2e4), start, method="DOP853", rtol=1e-12, atol=1e-6, events=_ground)
    t = sol.t_events[0][0]
    x, y, z = sol.y_events[0][0][:3]
    turn = -OMEGA * t if rotating else 0.0
    x, y = math.cos(turn) * x - math.sin(turn) * y, math.sin(turn) * x + math.cos(turn) * y
    lon1, lat1, _ = FROM_ECEF.transform(x, y, z)
    return lon1, lat1, t


def _rotating(t, s):
    r, v = s[:3], s[3:]
    w = np.array([0.0, 0.0, OMEGA])
    return np.r_[v, -GM * r / np.linalg.norm(r) ** 3 - 2 * np.cross(w, v) - np.cross(w, np.cross(w, r))]


def integrate_rotating(lon, lat, azimuth, elevation, speed):
    """Return (lon, lat, time) of the impact, integrating in the Earth-fixed frame (Coriolis and centrifugal)."""
    r, v = launch_state(lon, lat, azimuth, elevation, speed)
    start = np.r_[r * (1.0 + 1e-12), v]
    sol = solve_ivp(_rotating, (0, 2e4), start, method="DOP853", rtol=1e-12, atol=1e-6, events=_ground)
    x, y, z = sol.y_events[0][0][:3]
    lon1, lat1, _ = FROM_ECEF.transform(x, y, z)
    return lon1, lat1, sol.t_events[0][0]
