"""Exceptions raised by georange.

Every error georange raises on purpose is a :class:`GeoRangeError`. Each
subclass also derives from the builtin that describes it best, so callers
that catch ``ValueError`` or ``LookupError`` keep working. Messages name the
offending value, what was expected and, when known, where the value came
from (file, line, field).
"""

from __future__ import annotations

__all__ = [
    "AmbiguousPlaceError",
    "ClaimFormatError",
    "DataFileError",
    "GeoRangeError",
    "InputFileError",
    "InvalidCoordinateError",
    "InvalidRangeError",
    "OutputExistsError",
    "UnknownPlaceError",
]


class GeoRangeError(Exception):
    """Base class of every error georange raises deliberately."""


class InvalidCoordinateError(GeoRangeError, ValueError):
    """A latitude or longitude is malformed, not finite or out of range."""


class InvalidRangeError(GeoRangeError, ValueError):
    """A range figure is negative, not finite, too large, or min > max."""


class UnknownPlaceError(GeoRangeError, LookupError):
    """A place, site or country name matches nothing in the shipped data."""


class AmbiguousPlaceError(GeoRangeError, LookupError):
    """A place name matches several places; a country qualifier is needed."""


class InputFileError(GeoRangeError, ValueError):
    """A user-supplied file is missing, unreadable or malformed."""


class ClaimFormatError(GeoRangeError, ValueError):
    """A claim file is malformed: bad TOML, a missing, unknown or mistyped field, a duplicate id."""


class DataFileError(GeoRangeError, RuntimeError):
    """A file shipped in data/ is missing or damaged (a packaging fault)."""


class OutputExistsError(GeoRangeError, FileExistsError):
    """An output file exists and ``--overwrite`` was not given."""
