"""Build ``data/part_regions.csv``: the first-level region that holds most of each part of each country.

``via`` names a part of a multi-part territory after its region ("Russia:
Kaliningrad Oblast"). Deciding that at run time needs every region's
boundary (regions.parquet, about 0.5 s to read); this table holds the
answer for the shipped countries, computed once from ``data/countries.parquet``
and ``data/regions.parquet``:

- for every polygon of every country with more than one (the parts
  ``geo.analysis.launch.LaunchRegion.parts`` measures), the region of the
  same country (ISO alpha-2 = the region code's prefix) whose intersection
  with the part has the largest area (square degrees: the part lies in one
  small area, so the ranking is that of true areas to well within the
  margins seen); a part that meets no region of its country (Natural
  Earth's two layers differ along coasts) takes the nearest one;
- with a point inside the part (``shapely.point_on_surface``), by which
  ``geo.reference.regions.part_names`` finds the row again, and the share
  of the part's area that region holds.

Columns: ``iso_a3, part, lon, lat, region, share`` (region as
regions.parquet codes it). Deterministic: rerunning rewrites identical
bytes::

    python scripts/build_part_regions.py
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.reference.places import load_countries  # noqa: E402  (the checkout's geo, not an installed one)
from geo.reference.regions import load_regions  # noqa: E402

OUTPUT = ROOT / "data" / "part_regions.csv"
COLUMNS = ("iso_a3", "part", "lon", "lat", "region", "share")


def main() -> int:
    countries = load_countries()
    regions = load_regions()
    regions = regions[regions["iso_3166_2"] != ""]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = 0
    for iso_a3, iso_a2, geometry in zip(countries["iso_a3"], countries["iso_a2"], countries["geometry"], strict=True):
        if not isinstance(geometry, shapely.MultiPolygon) or not iso_a2:
            continue
        mine = regions[regions["country"] == iso_a2]
        if mine.empty:
            continue
        boundaries = mine.geometry.to_numpy()
        codes = mine["iso_3166_2"].to_numpy()
        tree = shapely.STRtree(boundaries)
        for i, part in enumerate(geometry.geoms):
            candidates = tree.query(part)
            shares = shapely.area(shapely.intersection(part, boundaries[candidates])) if candidates.size else []
            if len(shares) and max(shares) > 0:
                best = int(np.argmax(shares))
                code, share = codes[candidates[best]], float(shares[best]) / part.area
            else:
                code, share = codes[int(tree.query_nearest(part, all_matches=False)[0])], 0.0
            point = shapely.point_on_surface(part)
            writer.writerow([iso_a3, i, f"{point.x:.6f}", f"{point.y:.6f}", code, f"{min(share, 1.0):.3f}"])
            rows += 1
    OUTPUT.write_text(out.getvalue(), encoding="utf-8")
    print(f"{OUTPUT}: {rows} parts", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
