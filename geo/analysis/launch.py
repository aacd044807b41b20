"""Launch sources: where a weapon is fired from.

A launch source is either a point (a named site or a coordinate) or an area
(a country's territory). ``--from`` on the command line and ``from`` in claim
files use one grammar, parsed by :func:`parse_launch`:

- ``LAT,LON`` in decimal degrees, e.g. ``53.7347,31.9172`` (latitude first,
  as people write coordinates; inside the library the order is lon, lat);
- a named site from ``data/sites.toml``, e.g. ``krichev``;
- a country by ISO 3166 alpha-3 code or name, e.g. ``BLR`` or ``Belarus``;
- a file of polygons (a patrol area), recognised by its name ending:
  ``.geojson``, ``.json``, ``.gpkg``, ``.shp`` or ``.zip`` (a zipped
  shapefile), e.g. ``patrol.geojson``; see :func:`geo.inputs.polygons.read_launch_file`.
  (Claim files use the same grammar; a relative path is taken from the
  current directory.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InputFileError, InvalidCoordinateError, UnknownPlaceError
from geo.geodesy.distance import LaunchArea
from geo.geodesy.ellipsoid import check_lonlat
from geo.inputs._files import existing_file
from geo.inputs.polygons import LAUNCH_SUFFIXES, read_launch_file
from geo.reference.names import close_names

__all__ = ["LaunchPoint", "LaunchRegion", "LaunchSource", "parse_coordinate", "parse_launch"]

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?i:nan|inf(?:inity)?)"  # NaN, inf: refused as such
_COORD = re.compile(rf"^\s*({_NUMBER})\s*[, ]\s*({_NUMBER})\s*$")
_LOOKS_NUMERIC = re.compile(r"^\s*(?:[-+.\d]|(?i:nan|inf)\s*,\s*(?:[-+.\d]|(?i:nan|inf)))")


@dataclass(frozen=True)
class LaunchPoint:
    """A single launch point: a named site or a bare coordinate (degrees)."""

    label: str
    lon: float
    lat: float
    source: str = ""

    def __post_init__(self) -> None:
        check_lonlat(self.lon, self.lat, what=f"launch point {self.label!r}")


@dataclass(frozen=True)
class LaunchRegion:
    """A launch territory: every point of a Polygon or MultiPolygon (lon/lat, degrees).

    ``code`` is the country code of a country, ``source`` the file an area
    was read from.
    """

    label: str
    geometry: BaseGeometry = field(repr=False)
    code: str = ""
    source: str = ""

    @cached_property
    def parts(self) -> tuple[LaunchArea, ...]:
        """One prepared :class:`~geo.geodesy.distance.LaunchArea` per connected part.

        A part is named after the territory and, for people, the most
        populous gazetteer place in it ("Russia part 2 (Kaliningrad)"); a
        part without one keeps its number only.
        """
        polys = list(self.geometry.geoms) if isinstance(self.geometry, shapely.MultiPolygon) else [self.geometry]
        if len(polys) == 1:
            return (LaunchArea(polys[0], name=self.label),)
        from geo.reference.places import largest_place_in

        cities = largest_place_in(polys)
        return tuple(
            LaunchArea(p, name=f"{self.label} part {i + 1}" + (f" ({city})" if city else ""))
            for i, (p, city) in enumerate(zip(polys, cities, strict=True))
        )


LaunchSource = LaunchPoint | LaunchRegion


def parse_coordinate(text: str, *, what: str = "coordinate") -> tuple[float, float] | None:
    """Parse ``"LAT,LON"`` (decimal degrees) and return ``(lon, lat)``.

    Returns None when ``text`` does not look like a coordinate at all (so the
    caller may try it as a name).

    Raises
    ------
    InvalidCoordinateError
        If ``text`` starts like a number but is not a valid ``LAT,LON`` pair,
        or a value is out of range. A pair whose latitude is out of range
        but would be valid swapped gets a hint.

    Examples
    --------
    >>> parse_coordinate("53.7347, 31.9172")
    (31.9172, 53.7347)
    """
    m = _COORD.match(text)
    if m is None:
        if _LOOKS_NUMERIC.match(text):
            raise InvalidCoordinateError(
                f"{what} {text!r} is not a valid coordinate: expected LAT,LON in decimal degrees, e.g. 53.73,31.92"
            )
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if abs(lat) > 90.0 and abs(lon) <= 90.0 and abs(lat) <= 180.0:
        raise InvalidCoordinateError(
            f"{what} {text!r}: latitude {lat:g} is outside [-90, 90]; coordinates are written LAT,LON "
            f"(did you mean {lon:g},{lat:g}?)"
        )
    check_lonlat(lon, lat, what=f"{what} {text!r}")
    return lon, lat


def parse_launch(spec: str) -> LaunchSource:
    """Resolve one ``--from`` value to a launch source.

    Tried in order: a file (a value ending in one of
    :data:`geo.inputs.polygons.LAUNCH_SUFFIXES`, any case), a ``LAT,LON``
    coordinate, a named site, a country.

    Returns
    -------
    LaunchPoint or LaunchRegion
        A file gives a :class:`LaunchRegion` labelled with the ``name``
        property of its single feature, or else the file name, with
        ``source`` the path; several features are merged into one area.

    Raises
    ------
    InputFileError
        For a file that is missing, unreadable or holds no usable polygon
        (see :func:`geo.inputs.polygons.read_launch_file`), or an existing file of
        another type.
    InvalidCoordinateError
        For a malformed or out-of-range coordinate.
    UnknownPlaceError
        If the value names no site and no country; the message suggests
        close names.

    Warns
    -----
    GeoRangeWarning
        If a polygon of a file was invalid and repaired, or a file without
        a CRS was taken as EPSG:4326.
    """
    from geo.reference import places  # deferred: loading the data is only needed here

    text = spec.strip()
    if not text:
        raise UnknownPlaceError("launch source is empty: expected a country, a site name or LAT,LON")
    path = Path(text)
    if path.suffix.lower() in LAUNCH_SUFFIXES:
        label, geometry = read_launch_file(path)
        region = LaunchRegion(label=label, geometry=geometry, source=str(path))
        region.parts  # noqa: B018 -- build the areas now, so that a bad file fails here
        return region
    if path.suffix and existing_file(path):
        raise InputFileError(
            f"launch source {text!r}: a file of this type cannot be read; expected a GeoJSON, GeoPackage "
            f"or shapefile of polygons ({', '.join(LAUNCH_SUFFIXES)})"
        )
    coord = parse_coordinate(text, what="launch coordinate")
    if coord is not None:
        return LaunchPoint(label=f"{coord[1]:g},{coord[0]:g}", lon=coord[0], lat=coord[1])
    site = places.lookup_site(text)
    if site is not None:
        return LaunchPoint(label=site.name, lon=site.lon, lat=site.lat, source=site.source)
    try:
        code, name, geometry = places.lookup_country(text)
    except UnknownPlaceError as exc:
        sites = places.load_sites()
        names = [n for s in sites.values() for n in (s.key, s.name, *s.aliases)]
        hint = close_names(text, names).replace("; did you mean", "; or did you mean the site")
        raise UnknownPlaceError(f"launch source {text!r} is not a site, a country or LAT,LON: {exc}{hint}") from exc
    return LaunchRegion(label=name, geometry=geometry, code=code)
