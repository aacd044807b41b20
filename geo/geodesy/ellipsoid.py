"""Geodesic numerics on the WGS84 ellipsoid.

This module is pure numerics: numpy arrays in, numpy arrays out, metres and
degrees, axis order (lon, lat). It knows nothing about shapely, files or
output. Exact distances come from :data:`WGS84`, a :class:`pyproj.Geod`
(GeographicLib's algorithms, accurate to about 15 nanometres). Everything
else here is a fast *proxy* used only to decide which exact computations to
run; no result georange reports is taken from a proxy.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

from geo.errors import InvalidCoordinateError

__all__ = [
    "HALF_MERIDIAN_M",
    "MAX_RANGE_KM",
    "WGS84",
    "antipode",
    "auxiliary_direction",
    "bad_lonlat",
    "auxiliary_unit_vectors",
    "check_lonlat",
    "extremum_on_geodesic",
    "geodesic_distance",
    "geodesic_distance_km",
    "lambert_distance",
    "lambert_error_bound",
    "lambert_interval",
]

FloatArray = NDArray[np.float64]

WGS84: Final = Geod(ellps="WGS84")
"""The one configured ellipsoid: every exact distance in georange uses it (``geo.WGS84``).

A :class:`pyproj.Geod`, with pyproj's conventions: (lon, lat) order and metres
(``WGS84.inv(lon1, lat1, lon2, lat2)``); :func:`geodesic_distance_km` is the
LAT, LON and km function."""

A_M: Final = WGS84.a
"""Equatorial radius of WGS84 in metres."""
FLATTENING: Final = WGS84.f
"""Flattening of WGS84."""
MEAN_RADIUS_M: Final = 6_371_008.8
"""Mean Earth radius in metres; only used to scale iteration steps."""

HALF_MERIDIAN_M: Final = float(WGS84.inv(0.0, 90.0, 0.0, -90.0)[2])
"""Length of half a meridian, 20,003,931.46 m: the largest geodesic distance
between two points of the ellipsoid (attained by every pair of antipodes)."""

MAX_RANGE_KM: Final = 20_004.0
"""Largest accepted range: half the meridian (20,003.93 km), rounded up.
Every place on Earth is within it of every launch point."""


def bad_lonlat(lon: FloatArray, lat: FloatArray) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Return masks of the longitudes and latitudes that are not finite numbers in range.

    The one rule for a position in georange: a longitude in [-180, 180] and
    a latitude in [-90, 90] degrees, both finite (bounds included).
    """
    with np.errstate(invalid="ignore"):
        return ~np.isfinite(lon) | (np.abs(lon) > 180.0), ~np.isfinite(lat) | (np.abs(lat) > 90.0)


def _degrees(values: ArrayLike, what: str) -> FloatArray:
    """Return numbers of degrees as a float array; text, None and other objects are refused."""
    try:
        a = np.asarray(values)
        if a.dtype.kind in "bUSV" or values is None:  # True is not 1 degree, "52.2" is not a number here
            raise TypeError
        return a.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        shown = repr(values) if len(repr(values)) <= 60 else f"{repr(values)[:57]}..."
        kind = type(values).__name__
        raise InvalidCoordinateError(f"{what} {shown}: expected a number of degrees, got {kind}") from None


def check_lonlat(lon: ArrayLike, lat: ArrayLike, *, what: str = "point") -> tuple[FloatArray, FloatArray]:
    """Return ``lon, lat`` as float arrays after checking they are valid.

    Parameters
    ----------
    lon, lat : array_like
        Longitudes and latitudes in degrees; broadcast together.
    what : str, default "point"
        Name of the thing checked, used in error messages.

    Raises
    ------
    InvalidCoordinateError
        If a value is not finite, a latitude is outside [-90, 90] or a
        longitude outside [-180, 180]. geographiclib would silently return
        NaN for a latitude of 95; georange refuses it.
    """
    lon_d, lat_d = _degrees(lon, f"{what}: longitude"), _degrees(lat, f"{what}: latitude")
    try:
        lon_a, lat_a = np.broadcast_arrays(lon_d, lat_d)
    except ValueError as exc:  # shapes that do not broadcast
        raise InvalidCoordinateError(f"{what}: longitudes and latitudes of shapes that do not match ({exc})") from None
    bad_lon, bad_lat = bad_lonlat(lon_a, lat_a)
    for name, values, limit, bad in (("latitude", lat_a, 90.0, bad_lat), ("longitude", lon_a, 180.0, bad_lon)):
        if bad.any():
            i = int(np.flatnonzero(bad.ravel())[0])
            value = float(values.ravel()[i])
            where = f" (item {i})" if values.size > 1 else ""
            raise InvalidCoordinateError(
                f"{what}{where}: {name} {value!r} must be a finite number in [-{limit:g}, {limit:g}]"
            )
    return lon_a.astype(np.float64, copy=False), lat_a.astype(np.float64, copy=False)


def geodesic_distance_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> FloatArray:
    """Return the WGS84 geodesic distance in kilometres between points given LATITUDE FIRST.

    The public distance function (``geo.geodesic_distance_km``): latitude before longitude, as people
    write coordinates and as ``--from 53.9,27.56`` takes them, and
    kilometres, as every range in georange. (Inside the library the order is
    lon, lat and the unit metres: :func:`geodesic_distance`.)

    Parameters
    ----------
    lat1, lon1 : float or array_like
        The first points, degrees.
    lat2, lon2 : float or array_like
        The second points, degrees. All four broadcast together (numpy), so
        ``lat1[:, None]`` against ``lat2[None, :]`` gives every pair.

    Returns
    -------
    ndarray
        Exact distances in km (GeographicLib through pyproj, to about 15
        nanometres), of the broadcast shape; a 0-d array for scalars (use
        ``float()``).

    Raises
    ------
    InvalidCoordinateError
        If a latitude is outside [-90, 90], a longitude outside [-180, 180],
        a value not finite or not a number, or the shapes do not broadcast.

    Examples
    --------
    >>> f"{geodesic_distance_km(53.9, 27.5667, 52.2298, 21.0118):.1f}"  # Minsk to Warsaw
    '476.9'
    >>> geodesic_distance_km(lat1=0, lon1=0, lat2=0, lon2=[1, 180]).round(3).tolist()
    [111.319, 20003.931]
    """
    lon_a, lat_a = check_lonlat(lon1, lat1, what="first point")
    lon_b, lat_b = check_lonlat(lon2, lat2, what="second point")
    try:
        return geodesic_distance(lon_a, lat_a, lon_b, lat_b) / 1000.0
    except ValueError as exc:  # the two sets of points do not broadcast together
        raise InvalidCoordinateError(f"points of shapes that do not match ({exc})") from None


def geodesic_distance(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> FloatArray:
    """Return the WGS84 geodesic distance in METRES between point pairs given as (LON, LAT): internal.

    The library's own order and unit (lon, lat as in GeoJSON and shapely;
    metres), not checked: the public function is
    :func:`geodesic_distance_km` (lat, lon; km; checked). Inputs broadcast
    together. This is the exact reference every other computation in
    georange is checked against.

    Examples
    --------
    >>> f"{geodesic_distance(27.5667, 53.9, 21.0118, 52.2298) / 1000:.1f}"  # lon first, metres
    '476.9'
    """
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lon1, lat1, lon2, lat2)))
    shape = lon1.shape
    _, _, dist = WGS84.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())
    return np.asarray(dist, dtype=np.float64).reshape(shape)


def antipode(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return the antipodes of points, longitudes wrapped to [-180, 180)."""
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    return (lon_a + 360.0) % 360.0 - 180.0, -lat_a


def auxiliary_unit_vectors(lon: ArrayLike, lat: ArrayLike) -> FloatArray:
    """Map points to unit vectors on the auxiliary sphere (reduced latitude).

    Parameters
    ----------
    lon, lat : array_like
        Degrees.

    Returns
    -------
    ndarray, shape (..., 3)

    Notes
    -----
    A geodesic on the ellipsoid is a great circle on the auxiliary sphere in
    reduced latitude and a longitude that differs from the geographic one by
    less than ``f`` times the arc. The angle between two of these vectors is
    therefore a close proxy (relative error below ``f`` = 0.34 %) for the
    geodesic distance divided by the equatorial radius. The z component is
    the sine of the reduced latitude.
    """
    lam = np.radians(np.asarray(lon, dtype=float))
    beta = np.arctan((1.0 - FLATTENING) * np.tan(np.radians(np.asarray(lat, dtype=float))))
    cb = np.cos(beta)
    return np.stack([cb * np.cos(lam), cb * np.sin(lam), np.sin(beta)], axis=-1)


def auxiliary_direction(vectors: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return the longitude and geodetic latitude (degrees) of auxiliary-sphere vectors of any length.

    The inverse of :func:`auxiliary_unit_vectors` for the direction of each
    row of ``vectors`` (shape ``(..., 3)``): a sum or mean of unit vectors
    names the mean direction of its points.
    """
    v = np.asarray(vectors, dtype=float)
    beta = np.arctan2(v[..., 2], np.hypot(v[..., 0], v[..., 1]))  # reduced latitude
    return np.degrees(np.arctan2(v[..., 1], v[..., 0])), np.degrees(np.arctan(np.tan(beta) / (1.0 - FLATTENING)))


def lambert_distance(
    cos_sigma: ArrayLike, sin_beta1: ArrayLike, sin_beta2: ArrayLike, *, sigma: FloatArray | None = None
) -> FloatArray:
    """Return Lambert's long-line approximation of the geodesic distance (m).

    Parameters
    ----------
    cos_sigma : array_like
        Cosine of the angle between the two points' auxiliary unit vectors.
    sin_beta1, sin_beta2 : array_like
        Sines of the two reduced latitudes (the vectors' z components).
    sigma : ndarray, optional
        ``arccos`` of the clipped ``cos_sigma``, when the caller has it already.

    Notes
    -----
    Lambert (1942) corrects the auxiliary-sphere arc to first order in the
    flattening. Written in terms of the dot product and the sines of the
    reduced latitudes, it costs a dozen vector operations per pair and no
    trigonometry besides one ``arccos``. Its error against GeographicLib is
    bounded by :func:`lambert_error_bound`; georange uses it only to choose
    candidates, never as a result.
    """
    c = np.clip(np.asarray(cos_sigma, dtype=float), -1.0, 1.0)
    if sigma is None:
        sigma = np.arccos(c)
    sin_sigma = np.sqrt(np.maximum(1.0 - c * c, 0.0))
    s1 = np.asarray(sin_beta1, dtype=np.float64)
    s2 = np.asarray(sin_beta2, dtype=np.float64)
    p = 0.5 * (s1 + s2)
    q = 0.5 * (s2 - s1)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = (sigma - sin_sigma) * p * p / (0.5 * (1.0 + c))
        y = (sigma + sin_sigma) * q * q / (0.5 * (1.0 - c))
    corr = np.where(np.isfinite(x), x, 0.0) + np.where(np.isfinite(y), y, 0.0)
    return A_M * (sigma - 0.5 * FLATTENING * corr)


# Envelope of |Lambert - GeographicLib| measured on 4 million pairs (half of
# them random on the sphere, half shorter than 3,000 km), per arc on the
# auxiliary sphere, then doubled and padded by 1 m. Beyond the last knot the
# approximation degrades quickly near the antipode, so callers switch to an
# exhaustive exact computation (see LAMBERT_MAX_SIGMA).
_LAMBERT_SIGMA = np.array([0.0, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1.2, 1.6, 2.0, 2.4, 2.6, 2.8, 2.9, 3.0])
_LAMBERT_ERR_M = 1.0 + 2.0 * np.array(
    [0.09, 0.09, 0.45, 0.9, 1.8, 3.6, 7.2, 10.6, 13.4, 25.5, 63.3, 105.4, 200.0, 303.8, 554.3]
)
_ERR_BY_KNOTS = np.r_[_LAMBERT_ERR_M, np.inf]  # by the number of knots at or below the arc
_BINS_PER_RAD: Final = 1024.0
_BIN_KNOTS = np.searchsorted(_LAMBERT_SIGMA, np.arange(int(3.2 * _BINS_PER_RAD)) / _BINS_PER_RAD, side="right")
_BIN_NEXT = np.r_[_LAMBERT_SIGMA, np.nan][_BIN_KNOTS]  # NaN: no next knot (no comparison is true)
_BIN_KNOTS[-1], _BIN_NEXT[-1] = _LAMBERT_SIGMA.size, np.nan  # the last bin: every arc beyond the grid, and NaN
LAMBERT_MAX_SIGMA: Final = 3.0
"""Largest auxiliary-sphere arc (radians) for which the proxy is trusted: the last knot. Re-measured
on 2 million pairs between 2.8 and 3.05 rad (2026-12): the error stays within half the bound up to
3.0 rad (565 m against 1,110 m) and is unbounded beyond."""


def lambert_error_bound(sigma: ArrayLike) -> FloatArray:
    """Return a bound in metres on Lambert's error for arcs ``sigma`` (rad).

    The bound is a measured envelope, doubled, plus 1 m (see the module
    source for how it was measured); it is a step function, so it is
    conservative between knots. It is infinite beyond 3.0 rad.
    """
    s = np.asarray(sigma, dtype=float)
    # The knot interval of each arc (np.searchsorted(_LAMBERT_SIGMA, s, side="right")), found through a
    # uniform grid of bins narrower than any knot interval: the knots at or below the bin's start, plus
    # one if the next knot (inside the bin, or beyond it) is at or below the arc. NaN reads as beyond.
    b = np.fmax(np.fmin(s * _BINS_PER_RAD, _BIN_KNOTS.size - 1), 0.0).astype(np.intp)
    return _ERR_BY_KNOTS[_BIN_KNOTS[b] + (s >= _BIN_NEXT[b])]


def lambert_interval(
    cos_sigma: ArrayLike, sin_beta1: ArrayLike, sin_beta2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Return bounds (m) on the exact distance: Lambert's estimate minus and plus its error bound.

    Arguments as for :func:`lambert_distance`. Beyond 3.0 rad on the
    auxiliary sphere (near the antipode) the bounds are infinite.
    """
    c = np.clip(np.asarray(cos_sigma, dtype=float), -1.0, 1.0)
    sigma = np.arccos(c)
    est = lambert_distance(c, sin_beta1, sin_beta2, sigma=sigma)
    err = lambert_error_bound(sigma)
    return est - err, est + err


def extremum_on_geodesic(
    lon1: FloatArray,
    lat1: FloatArray,
    azi1: FloatArray,
    length_m: FloatArray,
    lon: FloatArray,
    lat: FloatArray,
    t0_m: FloatArray,
    *,
    farthest: bool = False,
    tol_m: float = 1e-4,
    max_iter: int = 12,
) -> tuple[FloatArray, FloatArray]:
    """Find the point of a geodesic segment nearest to (or farthest from) a target.

    The segment starts at ``(lon1, lat1)`` with azimuth ``azi1`` (degrees)
    and has length ``length_m``; the targets are ``(lon, lat)``. All arrays
    have the same shape (one segment per target).

    Parameters
    ----------
    t0_m : ndarray
        Starting guess: distance in metres along the segment.
    farthest : bool, default False
        Seek the local maximum of the distance instead of the minimum.
    tol_m : float, default 1e-4
        Stop when the distance cannot improve by this many metres any more
        (see Notes).
    max_iter : int, default 12
        Iteration cap.

    Returns
    -------
    t_m, dist_m : ndarray
        Position along the segment of the extremum and the exact geodesic
        distance from the target to it.

    Notes
    -----
    At an interior extremum the geodesic from the target meets the segment
    at a right angle. Each step measures the exact azimuths and distance at
    the current point and moves along the segment by the spherical solution
    for the foot of the perpendicular,
    ``atan2(sin(d/R) cos(g), cos(d/R)) * R``, where ``g`` is the angle
    between the segment and the direction to the target. The fixed point is
    exactly the ellipsoidal stationarity condition; the spherical step only
    sets the speed (the error shrinks by a factor of order ``f`` per step,
    so 3 to 4 steps reach 0.1 mm). Steps are clipped to the segment, so an
    extremum at an end point is found too. The returned distance is always
    an exact GeographicLib distance to a point on the segment.

    The iteration stops as soon as the distance itself is settled: the
    derivative of the distance along the segment is exactly ``-cos(g)``
    (first variation), and where the distance is convex along the segment
    (nearest, closer than a quarter meridian; farthest, beyond it) the
    extremum can improve on the current value by at most ``|cos g| |t* - t|``.
    With ``|t* - t|`` taken as twice the spherical step (which is accurate to
    order ``f``), one evaluation usually settles it: from the auxiliary-sphere
    foot the step is metres, the bound well under ``tol_m``.
    """
    t = np.clip(np.asarray(t0_m, dtype=float).copy(), 0.0, length_m)
    dist = np.empty_like(t)
    active = np.ones(t.shape, dtype=bool)
    sign = -1.0 if farthest else 1.0
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        lon_x, lat_x, back = WGS84.fwd(lon1[idx], lat1[idx], azi1[idx], t[idx])
        az_seg = np.asarray(back) + 180.0
        az_t, _, d = WGS84.inv(lon_x, lat_x, lon[idx], lat[idx])
        d = np.asarray(d)
        dist[idx] = d
        gamma = np.radians(np.asarray(az_t) - az_seg)
        delta = d / MEAN_RADIUS_M
        step = MEAN_RADIUS_M * np.arctan2(sign * np.sin(delta) * np.cos(gamma), sign * np.cos(delta))
        # A coincident target has no direction: the current point is optimal.
        step = np.where(d > 0.0, step, 0.0)
        new_t = np.clip(t[idx] + step, 0.0, length_m[idx])
        # Most the distance can still gain (see Notes): slope times twice the step.
        settled = np.abs(np.cos(gamma)) * 2.0 * np.abs(new_t - t[idx]) <= tol_m
        go = ~settled
        t[idx[go]] = new_t[go]
        active[idx] = go
    idx = np.flatnonzero(active)
    if idx.size:  # not converged within max_iter: measure where we stopped
        lon_x, lat_x, _ = WGS84.fwd(lon1[idx], lat1[idx], azi1[idx], t[idx])
        dist[idx] = np.asarray(WGS84.inv(lon_x, lat_x, lon[idx], lat[idx])[2])
    return t, dist
