"""Exceptions raised by georange.

Every error georange raises on purpose is a :class:`GeoRangeError`. Each
subclass also derives from the builtin that describes it best, so callers
that catch ``ValueError`` or ``LookupError`` keep working. Messages name the
offending value, what was expected and, when known, where the value came
from (file, line, field).

Warnings policy
---------------
georange warns only about things that may make the answer wrong, and it
does so with :class:`GeoRangeWarning`: a launch polygon repaired because it
was invalid (the warning gives the area before and after, in km² on the
WGS84 ellipsoid), a file without a CRS whose coordinates were taken as
longitude/latitude on WGS84 (EPSG:4326), a warning from the GIS file reader
(GDAL) passed on with the file name. Each message names the file (and the
feature) and what was done. The command line shows them on stderr, one line
each, once the run has succeeded: the result is still written, and the
warning tells the reader to check it (a run that fails prints only its
error, one line). Things that are converted faithfully do not warn:
a polygon split at the antimeridian, coordinates reprojected from a CRS the
file declares.

The test suite runs with ``filterwarnings = error``: a test that expects a
warning says so with ``pytest.warns(GeoRangeWarning, match=...)``, and any
other warning fails the test.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousPlaceError",
    "BorderViewError",
    "ClaimFormatError",
    "ClusterError",
    "DaskMissingError",
    "DataFileError",
    "GeoRangeError",
    "GeoRangeWarning",
    "InputFileError",
    "InvalidCoordinateError",
    "InvalidGeometryError",
    "InvalidRangeError",
    "OutputError",
    "OutputExistsError",
    "UnknownPlaceError",
    "ZoneTooComplexError",
]


class GeoRangeError(Exception):
    """Base class of every error georange raises deliberately."""


class InvalidCoordinateError(GeoRangeError, ValueError):
    """A latitude or longitude is malformed, not finite or out of range."""


class InvalidRangeError(GeoRangeError, ValueError):
    """A range figure is negative, not finite, too large, min > max, readable two ways (5.000), or of unknown unit."""


class UnknownPlaceError(GeoRangeError, LookupError):
    """A place, site or country name matches nothing in the shipped data."""


class AmbiguousPlaceError(GeoRangeError, LookupError):
    """A place name matches several places; a country qualifier is needed."""


class BorderViewError(GeoRangeError, ValueError):
    """A border view is not one of recognised and controlled, or a country holds no ground under the view asked for."""


class InvalidGeometryError(GeoRangeError, ValueError):
    """A launch area geometry cannot be used (wrong type, empty, crosses the antimeridian)."""


class InputFileError(GeoRangeError, ValueError):
    """A user-supplied file is missing, unreadable or malformed, or a command-line value is unusable."""


class ClaimFormatError(GeoRangeError, ValueError):
    """A claim file is malformed: bad TOML, a missing, unknown or mistyped field, a duplicate id."""


class DataFileError(GeoRangeError, RuntimeError):
    """A file shipped in data/ is missing or damaged (a packaging fault)."""


class OutputError(GeoRangeError, OSError):
    """An output path cannot be written: empty, a directory, in a missing directory, an unknown format, disk full."""


class OutputExistsError(OutputError, FileExistsError):
    """An output file exists and ``--overwrite`` was not given."""


class ClusterError(GeoRangeError, ConnectionError):
    """A Dask scheduler cannot be reached, or its address is malformed."""


class DaskMissingError(GeoRangeError, ImportError):
    """The optional Dask dependencies (dask-geopandas, distributed) are not installed."""


class ZoneTooComplexError(GeoRangeError, RuntimeError):
    """A zone's boundary would need more work than georange allows (or GEOS ran out of memory building it)."""


class GeoRangeWarning(UserWarning):
    """Something georange did may make the answer wrong (e.g. it repaired an invalid launch polygon)."""
