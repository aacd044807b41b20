"""georange: exact geodesic range checks for weapon-range claims.

Distances are WGS84 geodesics (GeographicLib through pyproj). The supported
API is what this package exports (``__all__``) and :mod:`geo.testing`; the
subpackages (``geo.geodesy``, ``geo.reference``, ``geo.inputs``,
``geo.analysis``, ``geo.claims``, ``geo.outputs``, ``geo.cli``) are the
layers of the implementation and internal.

One entry point per job:

- **which places does a band reach from a launch**: :func:`reach` (targets
  and launches in any form, exact statuses, distances and margins);
  :func:`reach_dask` is the same on Dask partitions, with the same
  arguments and defaults; :func:`iter_reach` streams a place file of any
  size chunk by chunk (what ``georange reach`` runs);
- **the zones of a band**: :func:`zones` (reach, dead zone, reachable,
  drawn within a stated tolerance, with exact areas), written by
  :func:`write_zones` (GeoJSON, GeoPackage, KML, Shapefile) and read back
  by :func:`read_zones`;
- **claims**: :func:`load_claims`, :func:`make_claim` and :func:`make_survey`, checked by
  :func:`evaluate_claim` (:mod:`geo.testing` has assertions for test authors);
- **the shipped data**: :func:`lookup_place`, :func:`lookup_country`,
  :func:`lookup_site`, :func:`lookup_system`, :func:`capitals`,
  :func:`european_capitals`;
- **launch sources**: :func:`parse_launch` (the ``--from`` grammar),
  :class:`LaunchPoint`, :class:`LaunchRegion`;
- **how long a ballistic missile flies**: :func:`flight_time` (a band from
  the flattest to the lofted trajectory, with the boost, on the turning
  Earth; :class:`FlightTime`, judged against a stated time as a
  :class:`TimeVerdict`);
- **how far apart two things are**: :func:`distance` (the exact nearest and
  farthest geodesic distance between any two things ``--from`` names, with
  the points and parts that realise them, a :class:`Separation`);
- **geodesy**: :func:`geodesic_distance_km` (LAT, LON order, km, like the
  rest of the API) and :class:`LaunchArea` (nearest and farthest distance to
  a territory; the geodesy layer's own order and unit: (lon, lat), metres);
- the values :class:`RangeBand` and :class:`Status`, and the exceptions of
  :mod:`geo.errors`.

Names are imported on first use, so ``import geo`` is cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from geo.errors import (  # cheap: the exceptions are imported with the package
    AmbiguousPlaceError,
    BorderViewError,
    ClaimFormatError,
    ClusterError,
    DaskMissingError,
    DataFileError,
    GeoRangeError,
    GeoRangeWarning,
    InputFileError,
    InvalidCoordinateError,
    InvalidGeometryError,
    InvalidRangeError,
    OutputError,
    OutputExistsError,
    UnknownPlaceError,
    ZoneTooComplexError,
)


def _version() -> str:
    """Return the installed distribution's version (importlib.metadata costs 50 ms: read on first use)."""
    from importlib import metadata

    try:
        return metadata.version("georange")
    except metadata.PackageNotFoundError:  # a checkout on sys.path without an install
        return "0+unknown"


_EXPORTS = {
    "geo.analysis.bands": ("RangeBand",),
    "geo.analysis.distributed": ("reach_dask",),
    "geo.analysis.api": ("reach",),
    "geo.analysis.streaming": ("iter_reach",),
    "geo.analysis.launch": ("LaunchPoint", "LaunchRegion", "parse_launch"),
    "geo.analysis.separation": ("Separation", "distance"),
    "geo.analysis.flight": ("FlightTime", "TimeVerdict", "flight_time"),
    "geo.analysis.status": ("Status",),
    "geo.analysis.zones": ("Zone", "zones"),
    "geo.claims.model": ("load_claims", "make_claim", "make_survey"),
    "geo.claims.verdicts": ("evaluate_claim",),
    "geo.geodesy.distance": ("LaunchArea",),
    "geo.geodesy.ellipsoid": ("HALF_MERIDIAN_M", "MAX_RANGE_KM", "WGS84", "geodesic_distance_km"),
    "geo.outputs.zonefiles": ("read_zones", "write_zones"),
    "geo.reference.places": (
        "Place",
        "Site",
        "capitals",
        "european_capitals",
        "lookup_country",
        "lookup_place",
        "lookup_site",
    ),
    "geo.reference.systems": ("System", "lookup_system"),
}
# __all__ is spelled out for linters; tests/test_layers.py checks it matches _EXPORTS.
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
_GONE = {  # former public names that took (lon, lat) and gave metres: say what replaced them, never guess
    "geodesic_distance": "geo.geodesic_distance_km(lat1, lon1, lat2, lon2), latitude first, in km; the "
                         "(lon, lat) metres function is internal (geo.geodesy.ellipsoid.geodesic_distance)",
    "distances_to_points": "geo.geodesic_distance_km(lat[:, None], lon[:, None], site_lat, site_lon), "
                           "latitude first, in km (every target to every point)",
}

__all__ = [
    "AmbiguousPlaceError",
    "BorderViewError",
    "ClaimFormatError",
    "ClusterError",
    "DaskMissingError",
    "DataFileError",
    "FlightTime",
    "GeoRangeError",
    "GeoRangeWarning",
    "HALF_MERIDIAN_M",
    "InputFileError",
    "InvalidCoordinateError",
    "InvalidGeometryError",
    "InvalidRangeError",
    "LaunchArea",
    "LaunchPoint",
    "LaunchRegion",
    "MAX_RANGE_KM",
    "OutputError",
    "OutputExistsError",
    "Place",
    "RangeBand",
    "Separation",
    "Site",
    "Status",
    "System",
    "TimeVerdict",
    "UnknownPlaceError",
    "WGS84",
    "Zone",
    "ZoneTooComplexError",
    "__version__",
    "capitals",
    "distance",
    "european_capitals",
    "evaluate_claim",
    "flight_time",
    "geodesic_distance_km",
    "iter_reach",
    "load_claims",
    "lookup_country",
    "lookup_place",
    "lookup_site",
    "lookup_system",
    "make_claim",
    "make_survey",
    "parse_launch",
    "reach",
    "reach_dask",
    "read_zones",
    "write_zones",
    "zones",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        version = globals()["__version__"] = _version()
        return version
    module = _WHERE.get(name)
    if module is None:
        gone = f"; use {_GONE[name]}" if name in _GONE else ""
        raise AttributeError(f"module 'geo' has no attribute {name!r}{gone}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ imports on first use
    __version__: str
    from geo.analysis.api import reach
    from geo.analysis.bands import RangeBand
    from geo.analysis.distributed import reach_dask
    from geo.analysis.flight import FlightTime, TimeVerdict, flight_time
    from geo.analysis.launch import LaunchPoint, LaunchRegion, parse_launch
    from geo.analysis.separation import Separation, distance
    from geo.analysis.status import Status
    from geo.analysis.streaming import iter_reach
    from geo.analysis.zones import Zone, zones
    from geo.claims.model import load_claims, make_claim, make_survey
    from geo.claims.verdicts import evaluate_claim
    from geo.geodesy.distance import LaunchArea
    from geo.geodesy.ellipsoid import HALF_MERIDIAN_M, MAX_RANGE_KM, WGS84, geodesic_distance_km
    from geo.outputs.zonefiles import read_zones, write_zones
    from geo.reference.places import (
        Place,
        Site,
        capitals,
        european_capitals,
        lookup_country,
        lookup_place,
        lookup_site,
    )
    from geo.reference.systems import System, lookup_system
