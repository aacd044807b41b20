"""The one catalogue of named cases reused across tests, and the tolerances every test measures against.

- :data:`AREAS` (:func:`area`): launch areas (polygons) that make the
  distance engine work hard;
- :func:`hard_targets`: named targets that stress a given area;
- :data:`ZONE_CASES`: launches with a range band whose zones are hard to
  draw (poles, antimeridian, near-global, tiny);
- the tolerances, each with what it bounds and why.

Add a case by giving it a name that says what makes it hard; names are
unique across the catalogue (``tests/test_layers.py`` checks). Every
distance test runs over the areas against the brute-force oracle in
tests/oracle.py; every zone test over the zone cases.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import shapely

from geo.analysis.launch import LaunchPoint, LaunchRegion, parse_launch
from geo.geodesy.ellipsoid import antipode

# -- tolerances ------------------------------------------------------------------------

DIST_TOL_M = 1.0
"""Exact distances (engine, reach tables, verdicts) against the oracle: the engine is exact up to
GeographicLib's rounding; 1 m is the contract stated in geo.geodesy.distance."""

ZONE_TOL_M = 10.0
"""Drawn zone boundaries against exact distances: the default ``tolerance_m``, the contract under test."""

GEOMETRY_TOL_DEG = 1e-9
"""Coordinates written and read back as doubles (GeoPackage, shapefile; GeoJSON at 17 decimals).

Absorbs a reader's rounding."""

AREA_TOL_KM2_PER_KM = ZONE_TOL_M / 1000.0
"""A zone's area against an independent exact area: the drawn boundary is within ZONE_TOL_M of the true
one, so the areas differ by at most the perimeter (km) times this (km)."""

ON_GEODESIC_M = 1e-6
"""A densified point lies on its geodesic edge: s(a, p) + s(p, b) = s(a, b) to a micrometre."""

PUBLISHED_PLACE_TOL_KM = 10.0
"""A gazetteer place against its coordinates as published (an encyclopaedia's degrees and minutes): a town's
point is placed differently by each source, within a few km; an atoll's village within its atoll."""

BORDER_AREA_REL_TOL = 1e-3
"""A controlled territory's geodesic area against the recognised one plus the areas it gains, less those it loses,
each measured apart: the overlay drops slivers under 11 m wide where the two Natural Earth versions draw one line
apart (a few km² at most against 30,000 km² moved); 0.1 % of the territory."""

ROUTE_TOL_M = 1.0
"""Exact route distances (the engine on a route) against tests/test_routes.py's own oracle: every leg sampled
along its geodesic every <= 1 km with geographiclib, the best samples refined by a golden-section search to
a millimetre; the engine is exact, so the contract of geo.geodesy.distance (1 m) applies."""

KRICHEV = LaunchPoint("Krichev", 31.9172, 53.7347)
"""The Krichev site of data/sites.toml, spelled out for tests that must not depend on the data."""


@cache
def area(name: str):
    """Return a launch-area geometry by case name."""
    from geo.reference.places import lookup_country

    if name == "launch-area-belarus":
        return lookup_country("BLR")[2]
    if name == "crosses-antimeridian-fiji":
        return lookup_country("FJI")[2]
    if name == "encloses-north-pole":
        # Cap north of 80 N: vertices every 2 degrees along the parallel,
        # closed through the pole along the antimeridian (as Natural Earth
        # closes Antarctica at the South Pole).
        lons = np.arange(-180.0, 180.1, 2.0)
        ring = [(x, 80.0) for x in lons] + [(180.0, 90.0), (-180.0, 90.0)]
        return shapely.Polygon(ring)
    if name == "multipolygon-two-parts":
        # Two separate parts: Belarus and a square in Portugal.
        blr = lookup_country("BLR")[2]
        return shapely.MultiPolygon([blr, shapely.box(-8.5, 39.0, -7.5, 40.0)])
    raise KeyError(name)


# A one-claim file that holds, for tests of the outputs rather than of the verdicts.
TINY_CLAIM = """[[claim]]
id = "tiny"
from = "krichev"
max_km = 300
place = "Minsk"
expect = "reachable"
"""


AREAS = ("launch-area-belarus", "crosses-antimeridian-fiji", "encloses-north-pole", "multipolygon-two-parts")


def hard_targets(name: str) -> dict[str, tuple[float, float]]:
    """Return named (lon, lat) targets that stress the given area."""
    g = area(name)
    c = g.representative_point()
    ring = np.asarray((g.geoms[0] if g.geom_type == "MultiPolygon" else g).exterior.coords)
    v = ring[len(ring) // 3]
    w = ring[len(ring) // 3 + 1]
    alon, alat = antipode(c.x, c.y)
    vlon, vlat = antipode(v[0], v[1])
    out = {
        "inside": (c.x, c.y),
        "on-vertex": (v[0], v[1]),
        "edge-midpoint": ((v[0] + w[0]) / 2, (v[1] + w[1]) / 2),
        "near-boundary-outside": (v[0] + 0.01, v[1] + 0.01),
        "north-pole": (0.0, 90.0),
        "south-pole": (0.0, -90.0),
        "antipode-of-inside": (float(alon), float(alat)),
        "antipode-of-vertex": (float(vlon), float(vlat)),
        "near-antipode": (float(alon) + 1.5, float(alat) - 1.0),
        "across-antimeridian-east": (179.9, -17.0),
        "across-antimeridian-west": (-179.9, -16.5),
        "equator-far": (-60.0, 0.0),
        "kyiv": (30.5234, 50.4501),
    }
    return out


def sphere_points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return n points uniform on the sphere (lon, lat in degrees)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(-180, 180, n), np.degrees(np.arcsin(rng.uniform(-1, 1, n)))


def random_targets(name: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random targets: a third near the area, a third near its antipode, a third anywhere."""
    rng = np.random.default_rng(seed)
    g = area(name)
    c = g.representative_point()
    k = n // 3
    lon = rng.uniform(-180, 180, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lon[:k] = c.x + rng.normal(0, 4, k)
    lat[:k] = c.y + rng.normal(0, 3, k)
    alon, alat = antipode(c.x, c.y)
    lon[k : 2 * k] = alon + rng.normal(0, 4, k)
    lat[k : 2 * k] = alat + rng.normal(0, 3, k)
    lon = (lon + 180.0) % 360.0 - 180.0
    lat = np.clip(lat, -90.0, 90.0)
    return lon, lat


# Launch routes: name -> lines as (lon, lat) vertices; each leg is the geodesic between its vertices.
ROUTES = {
    "route-crosses-antimeridian": [[(170.0, 50.0), (-170.0, 50.0)]],
    # 80N 0E to 80N 180E: the geodesic runs over the North Pole (2,233 km), not along the parallel.
    "route-over-north-pole": [[(0.0, 80.0), (180.0, 80.0)]],
    # An SSBN patrol in the Barents Sea, out of Severomorsk (the seed article's "patrol route" idea).
    "route-barents-ssbn-patrol": [[(33.42, 69.07), (40.0, 72.0), (50.0, 75.0), (56.0, 73.5), (45.0, 71.0)]],
    # A road across Belarus: Brest, Minsk, Krichev.
    "route-belarus-brest-minsk-krichev": [[(23.69, 52.10), (27.56, 53.90), (31.92, 53.73)]],
    # Two lines: a leg split at the antimeridian by the file (RFC 7946), and a separate line far away.
    "route-two-lines-split-at-antimeridian": [[(175.0, -17.0), (180.0, -16.0)], [(-180.0, -16.0), (-175.0, -15.0)],
                                              [(-60.0, -40.0), (-50.0, -45.0)]],
}


def route(name: str):
    """Return a route's geometry (lon/lat LineString or MultiLineString) by case name."""
    lines = ROUTES[name]
    return shapely.LineString(lines[0]) if len(lines) == 1 else shapely.MultiLineString(lines)


# Zone cases: name -> (launch sources, min_km, max_km).
U_SHAPE = shapely.Polygon([(0, 0), (20, 0), (20, 15), (18, 15), (18, 2), (2, 2), (2, 15), (0, 15)])
"""An 8-vertex U, 20 degrees wide with arms 16 degrees apart (issue 29)."""

ZONE_CASES = {
    "belarus-700-5000": (lambda: [parse_launch("BLR")], 700, 5000),
    "krichev-700-5000": (lambda: [KRICHEV], 700, 5000),
    "svalbard-zone-encloses-north-pole": (lambda: [LaunchPoint("Svalbard", 15.6, 78.2)], 300, 1500),
    "suva-zone-crosses-antimeridian": (lambda: [LaunchPoint("Suva", 178.44, -18.14)], 700, 2000),
    # A patrol box 177 E to 177 W, split at the antimeridian as RFC 7946 asks (two parts).
    "spans-antimeridian-launch-area": (
        lambda: [LaunchRegion("patrol box", shapely.MultiPolygon([shapely.box(177, -19, 180, -16),
                                                                   shapely.box(-180, -19, -177, -16)]))],
        150,
        2000,
    ),
    "launch-near-south-pole": (lambda: [LaunchPoint("near pole", 45.0, -88.0)], 300, 3000),
    "near-antipode-12000km": (lambda: [parse_launch("BLR")], 0, 12000),
    "wraps-to-far-side-19000km": (lambda: [KRICHEV], 18000, 19000),
    "tiny-1km": (lambda: [KRICHEV], 0, 1),
    "two-sites-far-apart": (lambda: [KRICHEV, LaunchPoint("Lisbon", -9.14, 38.72)], 700, 2000),
    # Crosses the antimeridian and holds the North Pole in one zone (the globe case); no dead zone.
    "kamchatka-5500km-crosses-antimeridian-and-pole": (
        lambda: [LaunchPoint("Petropavlovsk-Kamchatsky", 158.65, 53.02)], 0, 5500),
    # Larger than a hemisphere: the whole Earth but a region round the antipode.
    "krichev-19000km-larger-than-a-hemisphere": (lambda: [KRICHEV], 0, 19000),
    # Fronts that meet: at 880 km the reaches of the U's two arms close over its mouth at a shallow angle,
    # where snapping along the nearest point's geodesic zig-zags (it once ran for minutes and ran out of memory).
    "u-shape-880km-fronts-meet": (lambda: [LaunchRegion("U", U_SHAPE)], 0, 880),
    "u-shape-300-880km-mixed": (lambda: [LaunchRegion("U", U_SHAPE)], 300, 880),
}


@cache
def case_zones(name: str) -> tuple:
    """Return the zones (reach, dead zone, reachable) of a zone case, built once per test run."""
    from geo.analysis.bands import RangeBand
    from geo.analysis.zones import zones

    make, lo, hi = ZONE_CASES[name]
    return tuple(zones(make(), RangeBand(lo, hi)))


def case_names() -> list[str]:
    """Every name of the catalogue (areas, their hard targets, zone cases)."""
    targets = {name for a in AREAS for name in hard_targets(a)}
    return [*AREAS, *sorted(targets), *ZONE_CASES, *ROUTES]
