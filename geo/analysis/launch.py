"""Launch sources: where a weapon is fired from.

A launch source is a point (a named site or a coordinate), an area (a
country's territory, a region, a file of polygons) or a route (a line:
:class:`LaunchRoute`, every point along its geodesic legs). ``--from`` on
the command line and ``from`` in claim files use one grammar, parsed by
:func:`parse_launch`:

- a coordinate: ``LAT,LON`` in decimal degrees, e.g. ``53.7347,31.9172``
  (latitude first, as people write coordinates; inside the library the
  order is lon, lat), with hemisphere letters (``54.63N 21.81E``) or in
  degrees, minutes and seconds (``54°37'48"N 21°48'36"E``), optionally
  named (``Baltiysk=54.65N 19.92E``); see :mod:`geo.inputs.coordinates`;
- a named site from ``data/sites.toml``, e.g. ``krichev``;
- a country by ISO 3166 alpha-3 code or name, e.g. ``BLR`` or ``Belarus``;
- a file, recognised by its name ending: ``.geojson``, ``.json``,
  ``.gpkg``, ``.shp`` or ``.zip`` (a zipped shapefile), e.g.
  ``patrol.geojson``, optionally with a feature selector ``#FIELD=VALUE``
  or ``#NAME`` (``regions.gpkg#iso=RU-KGD``), holding polygons (a patrol
  area), lines (a patrol route) or points (launch sites, one source each:
  :func:`parse_launches`); see :func:`geo.inputs.polygons.read_launch`;
- a route: ``route: LAT,LON; LAT,LON; ...`` or ``route NAME: ...`` (what
  ``--route`` writes), every point along geodesics between its vertices;
  a vertex is a coordinate in any notation above (``Severomorsk=69.07N
  33.42E``), a named site or a city of the gazetteer.
  (Claim files use the same grammar; a relative path is taken from the
  current directory.)
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    import geopandas as gpd

from geo.errors import (
    AmbiguousPlaceError,
    InputFileError,
    InvalidCoordinateError,
    InvalidGeometryError,
    InvalidRangeError,
    UnknownPlaceError,
)
from geo.geodesy.distance import LaunchArea, LaunchLine
from geo.geodesy.ellipsoid import check_lonlat
from geo.inputs._files import existing_file
from geo.inputs.coordinates import parse_point
from geo.inputs.polygons import LAUNCH_SUFFIXES, read_launch
from geo.reference.borders import check_borders
from geo.reference.names import close_names

__all__ = ["LaunchPoint", "LaunchRegion", "LaunchRoute", "LaunchSource", "as_sources", "parse_launch",
           "parse_launches", "parse_route"]


@dataclass(frozen=True)
class LaunchPoint:
    """A single launch point: a named site or a bare coordinate (degrees).

    The fields are in the library's order, **lon before lat**: write them by
    keyword, ``LaunchPoint(label="Krichev", lat=53.71, lon=31.72)``, or give
    :func:`geo.reach` the string ``"53.71,31.72"`` (LAT,LON, as on the
    command line).
    """

    label: str
    lon: float
    lat: float
    source: str = ""

    def __post_init__(self) -> None:
        for key in ("lon", "lat"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
                raise InvalidCoordinateError(f"launch point {self.label!r}: {key} {value!r} must be a number of "
                                             f"degrees, not {type(value).__name__}")
        check_lonlat(self.lon, self.lat, what=f"launch point {self.label!r}")


@dataclass(frozen=True)
class LaunchRegion:
    """A launch territory: every point of a Polygon or MultiPolygon (lon/lat, degrees).

    ``code`` is the country code of a country, ``source`` the file an area
    was read from, ``borders`` the border view a country's territory was
    taken under (:mod:`geo.reference.borders`).
    """

    label: str
    geometry: BaseGeometry = field(repr=False)
    code: str = ""
    source: str = ""
    borders: str = "recognised"

    def __post_init__(self) -> None:
        if not isinstance(self.geometry, shapely.Polygon | shapely.MultiPolygon) or self.geometry.is_empty:
            raise InvalidGeometryError(f"launch area {self.label!r}: expected a non-empty shapely Polygon or "
                                       f"MultiPolygon (lon/lat), got {type(self.geometry).__name__}")

    @cached_property
    def parts(self) -> tuple[LaunchArea, ...]:
        """One prepared :class:`~geo.geodesy.distance.LaunchArea` per connected part.

        A part of a country is named as people name it, after the
        first-level region it belongs to (:func:`geo.reference.regions.part_names`):
        "Russia: Kaliningrad Oblast", "Russia: mainland", "United States of
        America: Hawaii, part 2". Any other area's parts are named after the
        area and the most populous gazetteer place in each ("two.json part 2
        (Minsk)"); a part without one keeps its number only.
        """
        polys = list(self.geometry.geoms) if isinstance(self.geometry, shapely.MultiPolygon) else [self.geometry]
        if len(polys) == 1:
            return (LaunchArea(polys[0], name=self.label),)
        from geo.reference.places import largest_place_in
        from geo.reference.regions import part_names

        names = part_names(polys, self.code, self.borders) if self.code and not self.source else None
        if names is not None:
            return tuple(LaunchArea(p, name=f"{self.label}: {n}") for p, n in zip(polys, names, strict=True))

        cities = largest_place_in(polys)
        return tuple(
            LaunchArea(p, name=f"{self.label} part {i + 1}" + (f" ({city})" if city else ""))
            for i, (p, city) in enumerate(zip(polys, cities, strict=True))
        )


@dataclass(frozen=True)
class LaunchRoute(LaunchRegion):
    """A launch route: every point along a LineString or MultiLineString (lon/lat, degrees).

    Each edge is the geodesic between its vertices, whatever its longitudes
    (170E to 170W crosses the antimeridian; 80N 0E to 80N 180E passes over
    the pole). A route is a :class:`LaunchRegion` without interior, so
    everything that takes a launch area takes a route; ``source`` is the file
    it was read from, ``names`` names its lines (file features) or is empty.
    """

    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.geometry, shapely.LineString | shapely.MultiLineString) or self.geometry.is_empty:
            raise InvalidGeometryError(f"launch route {self.label!r}: expected a non-empty shapely LineString or "
                                       f"MultiLineString (lon/lat), got {type(self.geometry).__name__}")

    @cached_property
    def parts(self) -> tuple[LaunchArea, ...]:
        """One prepared :class:`~geo.geodesy.distance.LaunchLine` per line, lines that join end to start as one.

        Named after the route, and after each line's own name (a file's
        feature) or number when there are several: "patrol.geojson: north leg".
        """
        lines = [np.asarray(shapely.get_coordinates(g)) for g in shapely.get_parts(self.geometry)]
        names = list(self.names) if len(self.names) == len(lines) else [""] * len(lines)
        joined: list[tuple[np.ndarray, str]] = []
        for xy, name in zip(lines, names, strict=True):
            if joined and _same_position(joined[-1][0][-1], xy[0]):
                prev, prev_name = joined[-1]
                joined[-1] = (np.vstack([prev, xy[1:]]), prev_name if prev_name == name else "")
            else:
                joined.append((xy, name))
        if len(joined) == 1:
            return (LaunchLine(shapely.LineString(joined[0][0]), name=self.label),)
        return tuple(LaunchLine(shapely.LineString(xy), name=f"{self.label}: {name or f'line {k}'}")
                     for k, (xy, name) in enumerate(joined, start=1))


def _same_position(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two lon/lat vertices are one place (+-180 is one meridian)."""
    return bool(a[1] == b[1] and ((a[0] - b[0]) % 360.0 == 0.0 or abs(a[1]) == 90.0))


LaunchSource = LaunchPoint | LaunchRegion


def _country_part(text: str, borders: str) -> LaunchRegion:
    """``COUNTRY@PLACE``: the part of a country's territory that holds a place (``RUS@Kaliningrad``)."""
    from geo.reference import places

    country_text, _, place_text = (t.strip() for t in text.partition("@"))
    if not country_text or not place_text:
        raise UnknownPlaceError(f"launch source {text!r}: expected COUNTRY@PLACE, e.g. RUS@Kaliningrad")
    code, name, geometry = places.lookup_country(country_text, borders)
    point = parse_point(place_text, what="place")
    if point is None:
        place = places.lookup_place(place_text)
        lon, lat, label = place.lon, place.lat, place.name
    else:
        lon, lat, label = point.lon, point.lat, point.label
    part = _part_holding(geometry, lon, lat)
    if part is None:
        raise UnknownPlaceError(f"launch source {text!r}: {label} ({lat:g}, {lon:g}) is not in {name}'s territory")
    return LaunchRegion(label=f"{name} part holding {label}", geometry=part, code=code, borders=borders)


def _part_holding(territory: BaseGeometry, lon: float, lat: float) -> BaseGeometry | None:
    """Return the polygon of a territory that holds a point, or None."""
    parts = list(territory.geoms) if isinstance(territory, shapely.MultiPolygon) else [territory]
    point = shapely.Point(lon, lat)
    return next((p for p in parts if p.intersects(point)), None)


def parse_launch(spec: str, borders: str = "recognised") -> LaunchSource:
    """Resolve one ``--from`` value to a launch source.

    A country's territory is taken under the border view `borders`
    (:mod:`geo.reference.borders`: ``recognised``, the default, or
    ``controlled``); regions, sites, coordinates and files are the same in
    both.

    Tried in order: a file (a value ending in one of
    :data:`geo.inputs.polygons.LAUNCH_SUFFIXES`, any case), a route
    (``route: LAT,LON; LAT,LON``, :func:`parse_route`), a coordinate
    (:mod:`geo.inputs.coordinates`), ``COUNTRY@PLACE`` (the part of the
    country holding the place), an ISO 3166-2 region code, a named site, a
    country, a city or capital of the gazetteer (as a point, labelled with
    its country: ``Minsk, BY``; a name a country also has means the
    country; a city's name in any spelling that also names an exclave
    holding it means the exclave: ``Kaliningrad``, ``Königsberg`` and
    ``Калининград`` are RU-KGD, ``"Kaliningrad, RU"`` the city), a region by
    name (also when a small place, below 15,000 people, bears that name;
    a name means the whole of what people call by it: ``Crimea`` is the
    peninsula, UA-43 with Sevastopol UA-40, while the code ``UA-43`` is the
    Autonomous Republic alone; see :mod:`geo.reference.regions`). A city's
    name alone stays the city as a point (``Sevastopol``, ``Kyiv``,
    ``Moscow``, ``Minsk``) unless it names an exclave.

    Returns
    -------
    LaunchPoint, LaunchRegion or LaunchRoute
        A file of polygons gives a :class:`LaunchRegion` labelled with the
        ``name`` property of its single feature, or else the file name, with
        ``source`` the path; several features are merged into one area. A
        file of lines gives a :class:`LaunchRoute` labelled the same way, a
        file of one point a :class:`LaunchPoint` (several points:
        :func:`parse_launches`).

    Raises
    ------
    InputFileError
        For a file that is missing, unreadable, holds nothing usable or
        features of two kinds (see :func:`geo.inputs.polygons.read_launch`),
        holds several points, or an existing file of another type.
    InvalidCoordinateError
        For a malformed or out-of-range coordinate (also a route's vertex).
    InvalidGeometryError
        For a route without two distinct vertices or with a leg between
        nearly antipodal ones.
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

    borders = check_borders(borders)
    if not isinstance(spec, str):
        raise UnknownPlaceError(f"launch source {spec!r}: expected text (a country, a site, a place or LAT,LON), "
                                f"not {type(spec).__name__}")
    text = spec.strip()
    if not text:
        raise UnknownPlaceError("launch source is empty: expected a country, a site name or LAT,LON")
    path, select = Path(text), None
    name, hash_, selector = text.rpartition("#")
    if hash_ and Path(name).suffix.lower() in LAUNCH_SUFFIXES:  # regions.gpkg#iso=RU-KGD: one feature's area
        path, select = Path(name), selector
    if path.suffix.lower() in LAUNCH_SUFFIXES:
        in_file = _launch_file(path, select)
        if len(in_file) > 1:
            raise InputFileError(f"{text}: holds {len(in_file)} launch points; parse_launches reads each as a "
                                 "launch site (as --from, claim files and geo.reach do)")
        return in_file[0]
    if path.suffix and existing_file(path):
        raise InputFileError(
            f"launch source {text!r}: a file of this type cannot be read; expected a GeoJSON, GeoPackage "
            f"or shapefile of polygons ({', '.join(LAUNCH_SUFFIXES)})"
        )
    return _named_launch(text, borders, places.data_generation())



@functools.lru_cache(maxsize=16)
def _named_launch(text: str, borders: str, generation: int) -> LaunchSource:
    """Resolve a ``--from`` value that is not a file (:func:`parse_launch`), once per process.

    Claims, surveys, scenarios and map layers that name the same launch
    share one source, so a territory's parts (:class:`LaunchArea`, with its
    densified rings, hull and caps) are prepared once, not once per claim.
    ``generation`` (:func:`geo.reference.places.data_generation`) keys the
    cache to the data files loaded. Sources are immutable; a value that
    fails raises every time (exceptions are not cached).
    """
    from geo.reference import places, regions

    if _ROUTE.match(text):
        return parse_route(text)
    point = parse_point(text, what="launch coordinate")
    if point is not None:
        return LaunchPoint(label=point.label, lon=point.lon, lat=point.lat)
    if "@" in text:
        return _country_part(text, borders)
    if regions.CODE_PATTERN.match(text):
        admin1 = regions.lookup_region(text)
        return LaunchRegion(label=admin1.label(), geometry=admin1.geometry, code=admin1.code)
    site = places.lookup_site(text)
    if site is not None:
        return LaunchPoint(label=site.name, lon=site.lon, lat=site.lat, source=site.source)
    try:
        code, name, geometry = places.lookup_country(text, borders)
    except UnknownPlaceError as exc:
        try:  # a city or capital of the gazetteer, as a launch point
            place = places.lookup_place(text)
        except AmbiguousPlaceError:
            raise
        except UnknownPlaceError:
            found = regions.region_candidates(text)  # "Kaliningrad Oblast", "Crimea", "Гомельская область"
            if len(found) >= 1:
                admin1 = regions.lookup_region(text)  # one, or refused as ambiguous with the codes listed
                return LaunchRegion(label=admin1.label(), geometry=admin1.geometry, code=admin1.code)
            sites = places.load_sites()
            names = [n for s in sites.values() for n in (s.key, s.name, *s.aliases)]
            hint = close_names(text, names).replace("; did you mean", "; or did you mean the site")
            raise UnknownPlaceError(
                f"launch source {text!r} is not a site, a country, a region, a city or LAT,LON: {exc}{hint}"
            ) from exc
        if not place.city and regions.region_codes_named(text):  # "Crimea" is the region, not a village of that name
            admin1 = regions.lookup_region(text)
            return LaunchRegion(label=admin1.label(), geometry=admin1.geometry, code=admin1.code)
        exclave = _exclave_named((text, place.name), place.lon, place.lat) if "," not in text else None
        if exclave is not None:
            return exclave
        return LaunchPoint(label=place.label(), lon=place.lon, lat=place.lat, source="GeoNames")
    return _country_region(code, borders, generation, name, geometry)


_COUNTRIES: dict[tuple[str, str, int], LaunchRegion] = {}


def _country_region(code: str, borders: str, generation: int, name: str, geometry: BaseGeometry) -> LaunchRegion:
    """Return one source per country, border view and data generation, however the country was spelt.

    ``RUS``, ``Russia`` and ``Россия`` are one source with one set of prepared parts.
    """
    key = (code, borders, generation)
    if key not in _COUNTRIES:
        if len(_COUNTRIES) >= 16:
            _COUNTRIES.clear()
        _COUNTRIES[key] = LaunchRegion(label=name, geometry=geometry, code=code, borders=borders)
    return _COUNTRIES[key]


_EXCLAVE_SHARE = 0.9


def _exclave_named(names: tuple[str, ...], lon: float, lat: float) -> LaunchRegion | None:
    """Return the region a city's name also names when that region is an exclave of its country, else None.

    ``--from Kaliningrad`` means the Kaliningrad exclave (RU-KGD), where
    missiles are stationed, not a point in its capital: the one region of
    that name holds the city and is (at least 90 % of) a separate part of
    its country's territory. `names` are the name as written and the city's
    primary name, so every spelling of the city agrees: ``Königsberg``,
    ``Калининград`` and ``Kaliningrad`` are all RU-KGD. A city whose region
    is not an exclave (Minsk, Odesa) stays a point; ``Kaliningrad, RU`` (any
    spelling with a qualifier) is always the city.
    """
    from geo.reference import places, regions

    point = shapely.Point(lon, lat)
    found = {r.code or r.name: r for text in dict.fromkeys(names) for r in regions.region_candidates(text)
             if r.geometry.intersects(point)}
    if len(found) != 1:
        return None
    (region,) = found.values()
    try:
        _, _, territory = places.lookup_country(region.country)
    except UnknownPlaceError:
        return None
    part = _part_holding(territory, lon, lat)
    if not isinstance(territory, shapely.MultiPolygon) or part is None:
        return None
    covered = shapely.intersection(part, region.geometry).area
    if covered < _EXCLAVE_SHARE * part.area or part.area > 0.5 * territory.area:
        return None  # the region is not a separate part of the country (or the part is the mainland)
    return LaunchRegion(label=region.label(), geometry=region.geometry, code=region.code)


def _file_spec(spec: object) -> tuple[Path, str | None] | None:
    """Return (path, selector) when ``spec`` names a launch file by its ending, else None."""
    if not isinstance(spec, str):
        return None
    text = spec.strip()
    path, select = Path(text), None
    name, hash_, selector = text.rpartition("#")
    if hash_ and Path(name).suffix.lower() in LAUNCH_SUFFIXES:
        path, select = Path(name), selector
    return (path, select) if path.suffix.lower() in LAUNCH_SUFFIXES else None


def _launch_file(path: Path, select: str | None) -> list[LaunchSource]:
    """Read a launch file: one area, one route, or one launch point per point (a set of sites)."""
    found = read_launch(path, select)
    if found.kind == "points":
        xy = shapely.get_coordinates(found.geometry)
        return [LaunchPoint(label=name, lon=float(x), lat=float(y), source=str(path))
                for (x, y), name in zip(xy, found.names, strict=True)]
    if found.kind == "route":
        region: LaunchRegion = LaunchRoute(label=found.label, geometry=found.geometry, source=str(path),
                                           names=found.names)
    else:
        region = LaunchRegion(label=found.label, geometry=found.geometry, source=str(path))
    region.parts  # noqa: B018 -- build the areas now, so that a bad file fails here
    return [region]


def parse_launches(spec: str, **kwargs: Any) -> list[LaunchSource]:
    """Resolve one ``--from`` value to its launch sources: several for a file of points, else one.

    A file of Point or MultiPoint features is a set of launch sites ("from
    any of these"), each a :class:`LaunchPoint` named by its feature's
    ``name`` property, or ``FILE point N``; every other value is
    :func:`parse_launch` (keywords are passed on to it).

    Examples
    --------
    >>> [s.label for s in parse_launches("route Patrol: 69.1N 33.4E; 72N 40E")]
    ['Patrol']
    """
    found = _file_spec(spec)
    if found is not None:
        return _launch_file(*found)
    return [parse_launch(spec, **kwargs)]


_ROUTE = re.compile(r"^\s*route(?:\s+([^:]*?))?\s*:(.*)$", re.IGNORECASE | re.DOTALL)


def parse_route(spec: str | Sequence[str], *, name: str = "") -> LaunchRoute:
    """Read a launch route: ``route: LAT,LON; LAT,LON; ...`` (or ``route NAME: ...``), or a list of vertices.

    Parameters
    ----------
    spec : str or sequence of str
        The route as text, or its vertices one by one (a claim file's
        ``route = ["69.1N 33.4E", "72N 40E"]``). A vertex is a coordinate in
        any notation :mod:`geo.inputs.coordinates` reads (hemisphere letters,
        degrees-minutes-seconds, ``NAME=LAT,LON``), a named site or a city.
    name : str, optional
        The route's label; else the name in the text, else ``route A to B``.

    Raises
    ------
    InvalidCoordinateError
        For a vertex that is a malformed or out-of-range coordinate (the message names the vertex).
    UnknownPlaceError
        For a vertex that names no site and no city.
    InvalidGeometryError
        For fewer than two distinct vertices, or a leg between nearly
        antipodal vertices (:data:`geo.geodesy.distance.ROUTE_EDGE_MAX_M`).

    Examples
    --------
    >>> r = parse_route("route: 50N 170E; 50N 170W")
    >>> r.label, f"{r.parts[0].distances([180.0], [50.0])[0][0] / 1000:.1f}"
    ('route 50,170 to 50,-170', '48.1')
    """
    if isinstance(spec, str):
        m = _ROUTE.match(spec)
        text = m.group(2) if m else spec
        name = name or (m.group(1) or "" if m else "")
        vertices = [v.strip() for v in text.split(";")]
        where = f"launch route {spec.strip()!r}"
    else:
        vertices = [v.strip() if isinstance(v, str) else v for v in spec]
        where = f"launch route {name!r}" if name else "launch route"
    points = []
    for k, vertex in enumerate(vertices, start=1):
        if not isinstance(vertex, str):
            raise InvalidCoordinateError(f"{where}: vertex {k} {vertex!r} must be text (LAT,LON or a place name), "
                                         f"not {type(vertex).__name__}")
        if not vertex:
            if k == len(vertices) and k > 1:  # a trailing ';'
                continue
            raise InvalidCoordinateError(f"{where}: vertex {k} is empty; expected LAT,LON; LAT,LON; ...")
        points.append(_vertex(vertex, f"{where}, vertex {k}"))
    if len({(p.lon % 360.0, p.lat) for p in points}) < 2:
        raise InvalidGeometryError(f"{where}: no two distinct vertices; a route needs at least two "
                                   "(LAT,LON; LAT,LON; ...)")
    label = name.strip() or f"route {points[0].label} to {points[-1].label}"
    try:
        route = LaunchRoute(label=label, geometry=shapely.LineString([(p.lon, p.lat) for p in points]))
        route.parts  # noqa: B018 -- check the legs now
    except InvalidGeometryError as exc:
        raise InvalidGeometryError(f"{where}: {exc}") from exc
    return route


def _vertex(text: str, where: str) -> LaunchPoint:
    """One route vertex: a coordinate, a named site or a city of the gazetteer."""
    from geo.reference import places

    try:
        point = parse_point(text, what="coordinate")
    except InvalidCoordinateError as exc:
        raise InvalidCoordinateError(f"{where}: {exc}") from exc
    if point is not None:
        return LaunchPoint(label=point.label, lon=point.lon, lat=point.lat)
    site = places.lookup_site(text)
    if site is not None:
        return LaunchPoint(label=site.name, lon=site.lon, lat=site.lat)
    try:
        place = places.lookup_place(text)
    except UnknownPlaceError as exc:
        raise type(exc)(f"{where}: {exc}") from exc
    return LaunchPoint(label=place.label(), lon=place.lon, lat=place.lat)


def as_sources(launch: Any, borders: str = "recognised") -> list[LaunchSource]:
    """Resolve a launch given in any accepted form to launch sources ("from any of these").

    A country named in a string is taken under the border view `borders`
    (:mod:`geo.reference.borders`).

    Accepted: a ``--from`` string (country, site, ``LAT,LON``, a route
    ``route: LAT,LON; LAT,LON``, or a file of polygons, lines or points), a
    :class:`~geo.analysis.launch.LaunchPoint`,
    :class:`~geo.analysis.launch.LaunchRegion` or
    :class:`~geo.analysis.launch.LaunchRoute`, a shapely Point, MultiPoint,
    Polygon, MultiPolygon, LineString or MultiLineString (lon/lat degrees; a
    line is a route whose edges are geodesics), a GeoDataFrame or GeoSeries
    (points become launch points, polygons launch areas, lines routes;
    reprojected to EPSG:4326), or a list of any of these.

    Raises
    ------
    InvalidCoordinateError, UnknownPlaceError, InputFileError
        For a launch that cannot be resolved; the message names it.
    """
    if isinstance(launch, str):
        return parse_launches(launch, borders=borders)
    if isinstance(launch, LaunchPoint | LaunchRegion):
        return [launch]
    gpd_ = sys.modules.get("geopandas")  # not imported: not a GeoDataFrame either
    if gpd_ is not None and isinstance(launch, gpd_.GeoDataFrame | gpd_.GeoSeries):
        return _geoseries_sources(launch.geometry if isinstance(launch, gpd_.GeoDataFrame) else launch)
    if isinstance(launch, BaseGeometry):
        return _geometry_sources(launch, "launch geometry")
    if isinstance(launch, Sequence) and not isinstance(launch, bytes):
        if not launch:
            raise InvalidRangeError("no launch source given")
        return [s for item in launch for s in as_sources(item, borders)]
    raise InputFileError(
        f"launch {launch!r}: expected a place or country name, LAT,LON, a file, a shapely geometry, "
        "a GeoDataFrame or a list of these"
    )


def _geometry_sources(geom: BaseGeometry, label: str) -> list[LaunchSource]:
    if isinstance(geom, shapely.Point):
        if geom.is_empty:
            raise InputFileError(f"{label}: empty point")
        return [LaunchPoint(label=label, lon=float(geom.x), lat=float(geom.y))]
    if isinstance(geom, shapely.MultiPoint):
        if geom.is_empty:
            raise InputFileError(f"{label}: empty MultiPoint")
        return [LaunchPoint(label=f"{label} point {k}", lon=float(x), lat=float(y))
                for k, (x, y) in enumerate(shapely.get_coordinates(geom), start=1)]
    if isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        if geom.is_empty:
            raise InputFileError(f"{label}: empty polygon")
        return [LaunchRegion(label=label, geometry=geom)]
    if isinstance(geom, shapely.LineString | shapely.MultiLineString):
        if geom.is_empty:
            raise InputFileError(f"{label}: empty line")
        route = LaunchRoute(label=label, geometry=geom)
        route.parts  # noqa: B018 -- check the lines now (two distinct vertices, no antipodal leg)
        return [route]
    raise InputFileError(f"{label}: a launch geometry must be a Point, MultiPoint, Polygon, MultiPolygon, "
                         f"LineString or MultiLineString, got {geom.geom_type}")


def _geoseries_sources(series: gpd.GeoSeries) -> list[LaunchSource]:
    if series.crs is not None and not series.crs.equals("EPSG:4326"):
        series = series.to_crs("EPSG:4326")
    if len(series) == 0:
        raise InvalidRangeError("launch GeoDataFrame has no rows")
    out = []
    for i, geom in enumerate(series):
        if geom is None:
            raise InputFileError(f"launch GeoDataFrame row {i}: no geometry")
        out.extend(_geometry_sources(geom, f"launch row {series.index[i]}"))
    return out
