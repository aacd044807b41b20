"""georange: exact geodesic range checks for weapon-range claims.

Distances are WGS84 geodesics (GeographicLib through pyproj). The public API:

- :class:`LaunchArea`: nearest and farthest distance from targets to a
  polygon or multipolygon launch territory;
- :func:`distances_to_points`: distances to launch points;
- :func:`parse_launch`, :class:`LaunchPoint`, :class:`LaunchRegion`: launch
  sources (``--from`` grammar);
- :func:`reach`: the GeoDataFrame API: targets in any form against a launch in
  any form, exact statuses, distances and margins, in chunks (:mod:`geo.analysis.frames`);
- :class:`RangeBand`, :func:`reach_table`, :func:`classify`: statuses and margins;
- :func:`lookup_place`, :func:`lookup_country`, :func:`lookup_site`,
  :func:`capitals`, :func:`european_capitals`: the shipped data;
- :func:`load_claims`, :func:`make_claim`, :func:`evaluate_claim`: claims
  and their verdicts (:mod:`geo.testing` has assertions for test authors);
- :func:`lookup_system`: weapon systems and their published figures;
- the exceptions in :mod:`geo.errors`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from geo.analysis.bands import MAX_RANGE_KM, RangeBand, classify, reach_table
from geo.analysis.frames import reach
from geo.analysis.launch import LaunchPoint, LaunchRegion, parse_launch
from geo.claims.model import load_claims, make_claim
from geo.claims.verdicts import evaluate_claim
from geo.errors import (
    AmbiguousPlaceError,
    ClaimFormatError,
    DataFileError,
    GeoRangeError,
    GeoRangeWarning,
    InputFileError,
    InvalidCoordinateError,
    InvalidRangeError,
    OutputExistsError,
    UnknownPlaceError,
)
from geo.geodesy.distance import LaunchArea, distances_to_points
from geo.geodesy.ellipsoid import HALF_MERIDIAN_M, WGS84, geodesic_distance
from geo.reference.places import Place, Site, capitals, european_capitals, lookup_country, lookup_place, lookup_site
from geo.reference.systems import lookup_system

__all__ = [
    "HALF_MERIDIAN_M",
    "MAX_RANGE_KM",
    "WGS84",
    "AmbiguousPlaceError",
    "ClaimFormatError",
    "DataFileError",
    "GeoRangeError",
    "GeoRangeWarning",
    "InputFileError",
    "InvalidCoordinateError",
    "InvalidRangeError",
    "LaunchArea",
    "LaunchPoint",
    "LaunchRegion",
    "OutputExistsError",
    "Place",
    "RangeBand",
    "Site",
    "UnknownPlaceError",
    "__version__",
    "capitals",
    "classify",
    "distances_to_points",
    "european_capitals",
    "evaluate_claim",
    "geodesic_distance",
    "lookup_country",
    "lookup_place",
    "lookup_site",
    "lookup_system",
    "load_claims",
    "make_claim",
    "parse_launch",
    "reach",
    "reach_table",
]
