"""The ballistic flight model (geo.physics.ballistic) against published figures and a numerical integration.

The oracle (tests/flight_oracle.py) integrates the two-body equations of
motion in the inertial and in the rotating frame and shares no code with
the model. Distances between impact points are geographiclib's.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from flight_oracle import (
    KRICHEV,
    MUPYONG,
    OMEGA,
    SUNAN,
    TO_ECEF,
    G,
    integrate_inertial,
    integrate_rotating,
    launch_state,
    metres,
)
from flight_oracle import _inertial as _inertial
from scipy.integrate import solve_ivp

from geo.physics import ballistic as bal

# ---------------------------------------------------------------------------
# Published figures


@pytest.mark.parametrize(("range_km", "minutes"), [(1000, 7.9), (2000, 11.7), (5000, 20.6), (10000, 32.2)])
def test_minimum_energy_closed_form_matches_the_textbook(range_km, minutes):
    # Bate, Mueller & White, Fundamentals of Astrodynamics (1971), section 6.2, over a still sphere of 6,371 km
    flight = bal.minimum_energy_sphere(range_km * 1000.0)
    assert float(flight.time_s) / 60 == pytest.approx(minutes, abs=0.05)


@pytest.mark.parametrize("range_km", [300, 1000, 5000, 12000])
def test_the_closed_form_is_the_integrated_flight(range_km):
    """On a still sphere, the closed-form minimum-energy flight lands at its range at its time (integrated)."""
    flight = bal.minimum_energy_sphere(range_km * 1e3)
    r0 = bal.CONVENTION_RADIUS_M
    phi = math.radians(float(flight.flight_path_deg))
    v = float(flight.speed_m_s)
    start = [r0 * (1 + 1e-12), 0, 0, v * math.sin(phi), v * math.cos(phi), 0]

    def ground(t, s):
        return math.hypot(s[0], s[1]) - r0

    ground.terminal, ground.direction = True, -1
    sol = solve_ivp(_inertial, (0, 2e4), start, method="DOP853", rtol=1e-12, atol=1e-6, events=ground)
    x, y = sol.y_events[0][0][:2]
    assert math.atan2(y, x) * r0 == pytest.approx(range_km * 1e3, abs=1.0)
    assert sol.t_events[0][0] == pytest.approx(float(flight.time_s), abs=0.01)


def test_the_burnout_speed_of_a_range_is_the_minimum_energy_speed():
    for d in (1e5, 2e6, 5e6, 1.5e7):
        v = float(bal.burnout_speed(d))
        assert v == pytest.approx(float(bal.minimum_energy_sphere(d).speed_m_s), rel=1e-12)
        assert bal.convention_range(v) == pytest.approx(d, rel=1e-9)
    with pytest.raises(ValueError, match="maximum range"):
        bal.burnout_speed(2.1e7)


# ---------------------------------------------------------------------------
# The forward flight against the integration

LAUNCHES = [
    # lon, lat, azimuth, elevation, speed: Krichev east and west, a pole launch, the Pacific, a 1 km hop
    (31.70, 53.72, 90.0, 23.0, 5900.0),
    (31.70, 53.72, 270.0, 23.0, 5900.0),
    (166.67, -77.85, 10.0, 30.0, 6500.0),
    (178.0, -17.7, 75.0, 40.0, 3000.0),
    (-70.0, 10.0, 200.0, 45.0, 99.0),
    (10.0, 0.0, 0.0, 12.0, 7000.0),
]


@pytest.mark.parametrize("launch", LAUNCHES)
@pytest.mark.parametrize("rotating", [True, False])
def test_impact_is_where_the_integrated_flight_lands(launch, rotating):
    lon, lat, t = (float(x) for x in bal.impact(*launch, rotating=rotating)[:3])
    lon_o, lat_o, t_o = integrate_inertial(*launch, rotating=rotating)
    assert metres(lon, lat, lon_o, lat_o) < 1.0
    assert t == pytest.approx(t_o, abs=1e-3)


@pytest.mark.parametrize("launch", LAUNCHES)
def test_the_inertial_model_is_the_rotating_frame_flight(launch):
    """Coriolis and centrifugal forces in the Earth-fixed frame give the same impact as the turning Earth."""
    lon, lat, t = (float(x) for x in bal.impact(*launch, rotating=True)[:3])
    lon_o, lat_o, t_o = integrate_rotating(*launch)
    assert metres(lon, lat, lon_o, lat_o) < 1.0
    assert t == pytest.approx(t_o, abs=1e-3)


def test_an_escape_speed_never_comes_down():
    lon, lat, t, _ = bal.impact(10.0, 0.0, 90.0, 30.0, 11300.0)
    assert np.isnan(lon) and np.isnan(lat) and np.isnan(t)


# ---------------------------------------------------------------------------
# Flights between two points (Lambert) against the integration


def _lambert_launch(lon, lat, target_lon, target_lat, t, rotating):
    """The launch direction and speed of the model's flight landing on the target at t (read from its velocity)."""
    r1 = bal.surface_ecef(np.array([lon]), np.array([lat]))
    target = bal.surface_ecef(np.array([target_lon]), np.array([target_lat]))
    r2 = bal._turn(target, bal.OMEGA_RAD_S * np.array([t])) if rotating else target
    v1, _ = bal._lambert(r1, r2, np.array([t]))
    v = v1[0] - (np.cross([0.0, 0.0, OMEGA], r1[0]) if rotating else 0.0)
    r, _ = launch_state(lon, lat, 0.0, 0.0, 0.0)
    e = np.subtract(TO_ECEF.transform(lon + 1e-6, lat, 0.0), r)
    n = np.subtract(TO_ECEF.transform(lon, lat + 1e-6, 0.0), r)
    u = np.subtract(TO_ECEF.transform(lon, lat, 1.0), r)
    e, n, u = (w / np.linalg.norm(w) for w in (e, n, u))
    speed = float(np.linalg.norm(v))
    return math.degrees(math.atan2(v @ e, v @ n)), math.degrees(math.asin(v @ u / speed)), speed


PAIRS = [
    (KRICHEV, (13.40, 52.52), True),  # Berlin
    (KRICHEV, (-9.14, 38.72), True),  # Lisbon
    ((166.67, -77.85), (174.76, -36.85), True),  # McMurdo to Auckland, over the Pacific
    ((178.4, -18.1), (-149.6, -17.5), False),  # Suva to Papeete, across the antimeridian
    ((30.52, 50.45), (30.53, 50.45), True),  # a 700 m hop in Kyiv
]


@pytest.mark.parametrize(("launch", "target", "rotating"), PAIRS)
def test_every_trajectory_of_a_flight_band_lands_on_the_target(launch, target, rotating):
    speed = float(bal.burnout_speed(max(metres(*launch, *target) * 1.3, 2e4)))
    band = bal.flight_band(*launch, *target, speed, rotating=rotating, min_apogee_m=1000.0)
    assert bool(band.reachable)
    times = [float(band.flattest_s), float(band.min_energy_s), float(band.lofted_s)]
    # (the flattest flight above 1 km is slower than the least-speed one for the 700 m hop)
    assert times[1] < times[2] and times[0] < times[2]
    for t, which in zip(times, ("flattest", "min_energy", "lofted"), strict=True):
        azimuth, elevation, v = _lambert_launch(*launch, *target, t, rotating)
        lon, lat, t_o = integrate_inertial(*launch, azimuth, elevation, v, rotating=rotating)
        assert metres(lon, lat, *target) < 1.0, which
        assert t_o == pytest.approx(t, abs=1e-2), which
        assert v <= speed * (1 + 1e-9), which
    # the flattest and lofted flights use the whole speed (or the flattest touches the minimum apogee)
    assert _lambert_launch(*launch, *target, times[2], rotating)[2] == pytest.approx(speed, rel=1e-6)
    assert (
        _lambert_launch(*launch, *target, times[0], rotating)[2] == pytest.approx(speed, rel=1e-6)
        or float(band.flattest_apogee_m) == pytest.approx(1000.0, abs=1.0)
    )


def test_the_least_speed_is_least():
    """Flights a little faster or slower than the least-speed one need more speed (integration and model agree)."""
    target = (13.40, 52.52)
    v, t = (float(x) for x in bal.least_speed(*KRICHEV, *target))
    for factor in (0.97, 1.03):
        assert _lambert_launch(*KRICHEV, *target, t * factor, True)[2] > v


def test_a_target_beyond_reach_has_no_flight():
    band = bal.flight_band(*KRICHEV, -74.0, 40.7, float(bal.burnout_speed(5e6)))  # New York, 7,300 km
    assert not bool(band.reachable)
    assert np.isnan(band.min_energy_s) and np.isnan(band.flattest_s) and np.isnan(band.lofted_s)


def test_a_short_range_system_that_never_leaves_the_atmosphere_has_no_flattest_flight():
    band = bal.flight_band(30.0, 50.0, 30.5, 50.0, float(bal.burnout_speed(70e3)))  # a 70 km rocket at 36 km
    assert bool(band.reachable) and np.isnan(band.flattest_s)
    assert float(band.lofted_apogee_m) < bal.DEFAULT_MIN_APOGEE_M


# ---------------------------------------------------------------------------
# Reach on a turning Earth


def test_east_reaches_farther_than_west_from_krichev():
    """NOTES: about +5 % due east and -4 % due west for a 5,000 km missile at Krichev's latitude."""
    speed = float(bal.burnout_speed(5e6))
    east, west, north = bal.range_toward(*KRICHEV, [90.0, 270.0, 0.0], speed)
    still = bal.range_toward(*KRICHEV, [90.0, 270.0, 0.0], speed, rotating=False)
    assert east / 5e6 - 1 == pytest.approx(0.05, abs=0.01)
    assert west / 5e6 - 1 == pytest.approx(-0.045, abs=0.01)
    assert abs(north / 5e6 - 1) < 0.01
    # a still Earth: the published range within the ellipsoid's 0.6 %
    assert np.all(np.abs(still / 5e6 - 1) < 0.006)


def test_the_limit_is_where_the_least_speed_is_the_burnout_speed():
    speed = float(bal.burnout_speed(5e6))
    az = np.array([0.0, 45.0, 135.0, 225.0, 300.0])
    d = bal.range_toward(*KRICHEV, az, speed)
    geo_ = [G.Direct(KRICHEV[1], KRICHEV[0], a, x) for a, x in zip(az, d, strict=True)]
    lon = np.array([g["lon2"] for g in geo_])
    lat = np.array([g["lat2"] for g in geo_])
    v, _ = bal.least_speed(*KRICHEV, lon, lat)
    assert np.allclose(v, speed, rtol=1e-5)
    inside = [G.Direct(KRICHEV[1], KRICHEV[0], a, x - 100.0) for a, x in zip(az, d, strict=True)]
    v_in, _ = bal.least_speed(*KRICHEV, [g["lon2"] for g in inside], [g["lat2"] for g in inside])
    assert np.all(v_in < speed)


# UCS (David Wright), as reported by Homeland Security Review, 'North Korean Missiles Can Reach Major U.S.
# Cities Beyond West Coast', 2017-07-31: the Hwasong-14 of 28 July 2017, 10,400 km on a standard trajectory
# ignoring the Earth's rotation, has these ranges toward US cities once the rotation is counted (km).
UCS_2017 = {
    "Los Angeles": ((-118.24, 34.05), 11700),
    "Denver": ((-104.99, 39.74), 11400),
    "Chicago": ((-87.63, 41.88), 11100),
    "Boston": ((-71.06, 42.36), 10750),
    "New York": ((-74.01, 40.71), 10850),
    "Washington": ((-77.04, 38.90), 10900),
}


def test_ranges_by_direction_match_the_published_ucs_figures():
    speed = float(bal.burnout_speed(10.4e6))
    names = list(UCS_2017)
    az = [G.Inverse(MUPYONG[1], MUPYONG[0], UCS_2017[n][0][1], UCS_2017[n][0][0])["azi1"] for n in names]
    reach = bal.range_toward(*MUPYONG, az, speed)
    for name, got in zip(names, reach, strict=True):
        assert got / 1000 == pytest.approx(UCS_2017[name][1], rel=0.03), name
    # the ordering of the table: Los Angeles farthest in reach, Boston least
    assert np.argmax(reach) == 0 and np.argmin(reach) == names.index("Boston")


@pytest.mark.parametrize(
    ("launch", "range_km"),
    [(KRICHEV, 5000), (KRICHEV, 500), ((10.0, 0.5), 10000), ((166.67, -77.85), 5000), (MUPYONG, 10400)],
)
def test_the_drawn_boundary_is_within_a_kilometre_of_the_exact_limit(launch, range_km):
    speed = float(bal.burnout_speed(range_km * 1e3))
    lon, lat, _ = bal.reach_boundary(*launch, speed, count=1440)
    az = np.array([G.Inverse(launch[1], launch[0], b, a)["azi1"] % 360 for a, b in zip(lon, lat, strict=True)])
    dist = np.array([metres(*launch, a, b) for a, b in zip(lon, lat, strict=True)])
    order = np.argsort(az)
    probe = np.arange(0.0, 360.0, 30.0) + 7.0
    drawn = np.interp(probe, az[order], dist[order], period=360)
    exact = bal.range_toward(*launch, probe, speed)
    assert np.max(np.abs(drawn - exact)) < 1000.0


# ---------------------------------------------------------------------------
# Announced flights: range, apogee and time (the model's free flight; the boost band is added above)

# Each: (what, where from, source, range km, apogee km, total minutes, launch point, azimuth of flight)
ANNOUNCED = [
    ("Hwasong-12, 29 Aug 2017", "Japanese government (Suga) via Jiji Press/Nippon.com, 2017-08-29: over 2,700 km, "
     "550 km high, 5:58 to 6:12", 2700, 550, 14.0, SUNAN, 70.0),
    ("Hwasong-12, 15 Sep 2017", "CSIS Missile Threat, 'North Korea Fires Another Missile Over Japan', 2017-09-15: "
     "3,700 km, 770 km, 19 minutes", 3700, 770, 19.0, SUNAN, 80.0),
    ("Hwasong-14, 28 Jul 2017", "Janes, 'North Korea conducts successful missile launch', 2017-08-01: 998 km in "
     "47 min 12 s; AP: 3,725 km high", 998, 3725, 47.2, MUPYONG, 100.0),
    ("Hwasong-15, 29 Nov 2017", "Reuters, 'North Korea says successfully launches new ICBM that can reach all of "
     "U.S.', 2017-11-29: 950 km, 53 minutes, 4,475 km high", 950, 4475, 53.0, SUNAN, 100.0),
]


@pytest.mark.parametrize("flight", ANNOUNCED, ids=[f[0] for f in ANNOUNCED])
def test_announced_flights_take_their_free_flight_time_plus_a_boost_of_minutes(flight):
    """The model's flight of the announced range and apogee leaves 0-4.5 min for the boost (times to the minute)."""
    _, _, range_km, apogee_km, minutes, launch, azimuth = flight
    g = G.Direct(launch[1], launch[0], azimuth, range_km * 1e3)
    r1 = bal.surface_ecef(np.array([launch[0]]), np.array([launch[1]]))
    target = bal.surface_ecef(np.array([g["lon2"]]), np.array([g["lat2"]]))

    def climb(t):
        return bal._flight(r1, target, t, True)[1] - apogee_km * 1e3

    t = float(bal._log_root(climb, np.array([60.0]), np.array([2e4]))[0])
    assert 0.0 <= minutes - t / 60 <= 4.5


def test_the_guam_plan_fits_the_minimum_energy_flight_plus_the_default_boost():
    """KCNA, 2017-08-10 (Reuters via Mid-day, 'Guam in 1,065 seconds'): 3,356.7 km in 1,065 s."""
    g = G.Direct(SUNAN[1], SUNAN[0], 135.0, 3356.7e3)
    band = bal.flight_band(*SUNAN, g["lon2"], g["lat2"], float(bal.burnout_speed(4500e3)))
    assert float(band.min_energy_s) + 90 <= 1065 <= float(band.min_energy_s) + 270
    assert float(band.flattest_s) + 90 <= 1065 <= float(band.lofted_s) + 270
