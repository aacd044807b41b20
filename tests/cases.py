"""Named cases reused across tests: launch areas and hard targets.

Add a case by giving it a name that says what makes it hard; every
distance test runs over the whole catalogue against the brute-force
oracle in tests/oracle.py.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import shapely

from geo.geodesy.ellipsoid import antipode


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
