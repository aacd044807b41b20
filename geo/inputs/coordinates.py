"""Coordinates as analysts write them: decimal, hemisphere letters, degrees-minutes-seconds, named points.

One parser, :func:`parse_point`, for ``--from``, ``--place`` and claim files.
Accepted (latitude first unless hemisphere letters say otherwise):

- decimal degrees: ``53.7347,31.9172``, ``53.7347 31.9172``, ``-33.9,18.4``;
- hemisphere letters, before or after the number, with or without a degree
  sign: ``54.63N 21.81E``, ``N54.63 E21.81``, ``54.63° N, 21.81° E``,
  ``33.9S 18.4E``; longitude first is fine when the letters say so
  (``21.81E 54.63N``); Russian abbreviations too: ``54.63 с.ш. 21.81 в.д.``
  (с.ш./ю.ш. north/south latitude, в.д./з.д. east/west longitude);
- degrees, minutes and seconds: ``54°37'48"N 21°48'36"E``,
  ``54°37′48″N``, ``54 37 48 N 21 48 36 E``, or degrees and decimal
  minutes ``54°37.8'N 21°48.6'E``;
- a named point: ``NAME=`` before any of the above, e.g.
  ``Baltiysk=54.65N 19.92E``; the name labels the point in every output.

A value that does not look like a coordinate at all gives None (so the
caller may try it as a name); one that looks like a coordinate but is
malformed or out of range raises :class:`~geo.errors.InvalidCoordinateError`
with a hint.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from geo.errors import InvalidCoordinateError
from geo.geodesy.ellipsoid import check_lonlat

__all__ = ["Point", "format_point", "parse_point"]

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?i:nan|inf(?:inity)?)"  # NaN, inf: refused as such
_DECIMAL = re.compile(rf"^\s*({_NUMBER})\s*(?:,\s*|\s+)({_NUMBER})\s*$")
_LOOKS_NUMERIC = re.compile(r"^\s*(?:[-+.\d]|(?i:nan|inf)\s*,\s*(?:[-+.\d]|(?i:nan|inf)))")

# Hemisphere words: Latin letters and the Russian abbreviations (longest first).
_HEMISPHERES = {"с.ш.": "N", "ю.ш.": "S", "в.д.": "E", "з.д.": "W", "сш": "N", "юш": "S", "вд": "E", "зд": "W",
                "n": "N", "s": "S", "e": "E", "w": "W"}
_HEMI = "|".join(re.escape(k) for k in sorted(_HEMISPHERES, key=len, reverse=True))
_DEG = r"(?:°|º|˚|deg\b|d\b)?"
_MIN = r"(?:'|′|’|m\b|min\b)?"
_SEC = r"(?:\"|″|”|''|′′|s\b|sec\b)?"
# One angle: degrees, optional minutes and seconds, each with an optional mark.
_ANGLE = rf"(\d+(?:\.\d+)?)\s*{_DEG}\s*(?:(\d+(?:\.\d+)?)\s*{_MIN}\s*(?:(\d+(?:\.\d+)?)\s*{_SEC})?)?"
_PART = re.compile(rf"^\s*(?:({_HEMI})\.?\s*{_ANGLE}|{_ANGLE}\s*({_HEMI})\.?)\s*[,;]?\s*", re.IGNORECASE)
_NAMED = re.compile(r"^\s*([^=]*?)\s*=\s*(.+?)\s*$", re.DOTALL)
_HAS_MARK = re.compile(rf"[°º˚′″'\"]|(?:^|[\d\s.])(?:{_HEMI})(?:\.|\s|,|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Point:
    """A parsed point: ``name`` is None unless it was written ``NAME=...``."""

    lon: float
    lat: float
    name: str | None = None

    @property
    def label(self) -> str:
        """The name, or the coordinate as :func:`format_point` writes it."""
        return self.name if self.name else format_point(self.lon, self.lat)


def format_point(lon: float, lat: float) -> str:
    """Return ``LAT,LON`` as georange labels an unnamed point (shortest decimals)."""
    return f"{lat:g},{lon:g}"


def _angle(deg: str, minutes: str | None, seconds: str | None, text: str, what: str) -> float:
    d, m, s = float(deg), float(minutes or 0.0), float(seconds or 0.0)
    if (minutes is not None and m >= 60.0) or (seconds is not None and s >= 60.0):
        raise InvalidCoordinateError(f"{what} {text!r}: minutes and seconds must be below 60")
    if seconds is not None and not float(minutes or 0.0).is_integer():
        raise InvalidCoordinateError(f"{what} {text!r}: minutes with a fraction cannot take seconds too")
    return d + m / 60.0 + s / 3600.0


def _hemisphere_pair(text: str, what: str) -> tuple[float, float] | None:
    """Parse two angles with hemisphere words; return (lon, lat), or None if the text is not of that form."""
    rest, found = text, []
    for _ in range(2):
        m = _PART.match(rest)
        if m is None:
            return None
        g = m.groups()
        if g[0] is not None:  # letter first
            hemi, deg, mins, secs = g[0], g[1], g[2], g[3]
        else:
            deg, mins, secs, hemi = g[4], g[5], g[6], g[7]
        found.append((_HEMISPHERES[hemi.lower()], _angle(deg, mins, secs, text, what)))
        rest = rest[m.end():]
    if rest.strip():
        return None
    (h1, a1), (h2, a2) = found
    kinds = {h1 in "NS", h2 in "NS"}
    if kinds != {True, False}:
        raise InvalidCoordinateError(
            f"{what} {text!r}: expected one latitude (N or S) and one longitude (E or W), e.g. 54.63N 21.81E"
        )
    lat = a1 if h1 in "NS" else a2
    lon = a2 if h1 in "NS" else a1
    lat = -lat if "S" in (h1, h2) else lat
    lon = -lon if "W" in (h1, h2) else lon
    if abs(lat) > 90.0:
        raise InvalidCoordinateError(f"{what} {text!r}: latitude {lat:g} is outside [-90, 90]")
    if abs(lon) > 180.0:
        raise InvalidCoordinateError(f"{what} {text!r}: longitude {lon:g} is outside [-180, 180]")
    return lon, lat


def _decimal_pair(text: str, what: str) -> tuple[float, float] | None:
    m = _DECIMAL.match(text)
    if m is None:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if math.isfinite(lat) and math.isfinite(lon) and abs(lat) > 90.0 and abs(lon) <= 90.0 and abs(lat) <= 180.0:
        raise InvalidCoordinateError(
            f"{what} {text!r}: latitude {lat:g} is outside [-90, 90]; coordinates are written LAT,LON "
            f"(did you mean {lon:g},{lat:g}?)"
        )
    return lon, lat


def parse_point(text: str, *, what: str = "coordinate") -> Point | None:
    r"""Parse a coordinate in any notation of the module docstring, optionally named ``NAME=``.

    Returns None when ``text`` does not look like a coordinate at all.

    Raises
    ------
    InvalidCoordinateError
        If ``text`` looks like a coordinate but is malformed or out of range.

    Examples
    --------
    >>> parse_point("54.63N 21.81E")
    Point(lon=21.81, lat=54.63, name=None)
    >>> p = parse_point('Baltiysk=54°39\'N 19°55\'E')
    >>> p.name, round(p.lat, 4), round(p.lon, 4)
    ('Baltiysk', 54.65, 19.9167)
    >>> parse_point("Minsk") is None
    True
    """
    named = _NAMED.match(text)
    if named is not None:
        hint = f"{what} {text!r}: expected NAME=LAT,LON, e.g. Baltiysk=54.65,19.92 or Baltiysk=54.65N 19.92E"
        try:
            candidate = parse_point(named.group(2), what=what)
        except InvalidCoordinateError as exc:
            raise InvalidCoordinateError(f"{hint} ({exc})") from exc
        if candidate is not None:
            if not named.group(1):
                raise InvalidCoordinateError(f"{what} {text!r}: the name before '=' is empty")
            return Point(candidate.lon, candidate.lat, named.group(1))
        if _LOOKS_NUMERIC.match(named.group(2)) or _HAS_MARK.search(named.group(2)):
            raise InvalidCoordinateError(hint)
        return None
    pair = _decimal_pair(text, what)
    if pair is None:
        pair = _hemisphere_pair(text, what)
    if pair is None:
        if _LOOKS_NUMERIC.match(text):
            raise InvalidCoordinateError(
                f"{what} {text!r} is not a valid coordinate: expected LAT,LON in decimal degrees (53.73,31.92), "
                "with hemisphere letters (53.73N 31.92E) or in degrees, minutes and seconds (53°44'N 31°55'E)"
            )
        return None
    lon, lat = pair
    check_lonlat(lon, lat, what=f"{what} {text!r}")
    return Point(lon, lat)
