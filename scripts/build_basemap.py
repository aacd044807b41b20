"""Build ``data/basemap.geojson``: the web maps' backdrop, from ``data/countries.parquet``.

The Natural Earth 1:10m countries are 6.9 MB as GeoJSON, too heavy for a map
page that must stay under 1 MB with Leaflet embedded. This script
generalises them for display only (no verdict or zone uses the result):

1. polygon parts under 0.05 square degrees are dropped, unless they are all
   a country has (small islands go; every country keeps its main part);
2. the whole coverage is simplified with ``shapely.coverage_simplify``
   (Visvalingam-Whyatt, tolerance 0.25), which keeps shared borders shared,
   so no slivers or gaps open between neighbours;
3. coordinates are rounded to 0.01 degree (1.1 km).

Output: compact GeoJSON (RFC 7946) with one property, ``name``; sorted as
the source (by ``iso_a3``). Deterministic: rerunning rewrites identical bytes::

    python scripts/build_basemap.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.reference.places import load_countries  # noqa: E402  (the checkout's geo, not an installed one)

OUTPUT = ROOT / "data" / "basemap.geojson"
MIN_AREA_DEG2 = 0.05
TOLERANCE = 0.25
DIGITS = 2


def main() -> int:
    countries = load_countries()
    kept = []
    for geom in countries.geometry:
        parts = shapely.get_parts(geom)
        big = [p for p in parts if p.area >= MIN_AREA_DEG2]
        kept.append(shapely.MultiPolygon(big or [max(parts, key=lambda p: p.area)]))
    simple = shapely.coverage_simplify(np.array(kept, dtype=object), TOLERANCE)
    features = []
    for name, geom in zip(countries["name"], simple, strict=True):
        geom = shapely.transform(geom, lambda xy: np.round(xy, DIGITS))
        features.append({"type": "Feature", "properties": {"name": str(name)},
                         "geometry": shapely.geometry.mapping(geom)})
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"), ensure_ascii=False)
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    vertices = int(shapely.get_num_coordinates(simple).sum())
    print(f"{OUTPUT.relative_to(ROOT)}: {len(features)} countries, {vertices:,} vertices, {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
