"""Build ``data/disputed.parquet``: who administers each of Natural Earth's disputed and breakaway areas.

The source is Natural Earth 1:10m Cultural Vectors, *Admin 0 - Breakaway,
disputed areas*, version 4.0.0 (public domain), as the GeoJSON file
``10m/cultural/ne_10m_admin_0_disputed_areas.json`` of the public GitHub
repository martynafford/natural-earth-geojson (commit
0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e), checked by its sha256::

    python scripts/build_disputed.py ne_10m_admin_0_disputed_areas.json
    python scripts/build_disputed.py SOURCE.json -o /tmp/disputed.parquet

One row per feature (80), in the source's order (by ``BRK_A3``, B00 to
B90). Each row says who administers the area, read from Natural Earth's note
(``NOTE_BRK``) by the rules below, and which country of
``data/countries.parquet`` holds it under recognised borders;
``geo.reference.borders`` builds the ``controlled`` border view from it.
Deterministic: rerunning rewrites identical bytes.

Rules (each row's ``control`` and ``admin``; ``data/README.md`` lists the
same):

1. ``Admin. by X``, ``Admin by X``, ``Admin. By X`` (the first clause of the
   note): administered by the state X. ``Admin. by A for X`` names the
   state X that A acts for (New Caledonia for France, American Samoa for the
   U.S.A.): X. ``control = "administered"``.
2. ``Leased to X by Y``: the lessee X (Baykonur: Russia; Guantanamo Bay and
   Diego Garcia: the U.S.A.). ``control = "leased"``.
3. A state is found by ``geo.reference.places.lookup_country`` (the names
   of ``countries.parquet``: "U.K." is GBR, "U.S.A" USA); the spellings of
   the note it does not know are in :data:`SPELLINGS` ("Azer."). Every name
   must resolve, or the build stops.
4. Dependencies: where X is the feature's own sovereign in Natural Earth
   (``SOVEREIGNT``) and Natural Earth files the feature under another
   admin-0 unit (``ADM0_A3``) that ``countries.parquet`` has as a country
   of its own, the administrator is that unit: the Falkland Islands are
   FLK (not GBR), the French Scattered Islands ATF, Navassa and Wake UMI,
   Swains Island ASM, Matthew and Hunter Islands NCL, Hans Island GRL.
   ``countries.parquet`` draws those units apart from their sovereign under
   recognised borders, and the controlled view changes only who holds
   disputed ground, not that. (A lease names no sovereign: rule 2 stands.)
5. ``Self admin.; Claimed by C``: administered by no state of
   ``countries.parquet`` (Transnistria, Abkhazia, South Ossetia,
   Nagorno-Karabakh, Northern Cyprus, Somaliland, Donbass):
   ``control = "self-administered"``, ``admin = ""``; the area leaves every
   state. Except where its recognised holder is not among the claimants C:
   then the holder is the party that administers it (the part of Western
   Sahara east of the Moroccan berm, claimed by Morocco, is run by the
   Sahrawi Republic, which ``countries.parquet`` draws as W. Sahara, ESH):
   ``admin`` = the holder.
6. Any other note (``Claimed by ...`` alone, the Korean DMZ's "patrolled
   by", the UNDOF zone's "UN Patrolled Zone"), or none (Gaza, West Bank,
   Ceuta, Melilla, Belize, Scarborough Reef, Cyprus U.N. Buffer Zone):
   ``control = "none"``, ``admin = ""``; the recognised borders stand there.
   The notes that reach this rule are listed in :data:`UNADMINISTERED`; any
   other note stops the build.
7. ``holder``: the country of ``countries.parquet`` whose territory covers
   the largest share of the area's geodesic area (WGS84, GeographicLib), if
   that share is at least :data:`HOLDER_SHARE`; else ``""`` (the recognised
   data leave the area to no country, as the Golan Heights and Abyei, or
   draw its islands elsewhere, as the Paracel Islands).

Checks: the source's sha256 (other input is refused with one line), the
number of features, every geometry a valid (Multi)Polygon within
[-180, 180] x [-90, 90] with no part spanning 180 degrees of longitude or
more (none crosses the antimeridian), and no two areas with different
administrators overlapping by more than :data:`OVERLAP_M2`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Final

import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.errors import GeoRangeError  # noqa: E402  (the checkout's geo, not an installed one)
from geo.geodesy.area import polygon_area_m2  # noqa: E402
from geo.reference.places import country_geometries, load_countries, lookup_country  # noqa: E402

DEFAULT_OUTPUT = ROOT / "data" / "disputed.parquet"
SOURCE_NAME: Final = "ne_10m_admin_0_disputed_areas.json"
SOURCE_SHA256: Final = "462d995d96b4b20901224b877cdb44266521d4b93a7c9259619c557e04a0d7f9"
SOURCE_VERSION: Final = "4.0.0"
SOURCE_DESCRIPTION: Final = (
    "Natural Earth 1:10m admin-0 breakaway and disputed areas v4.0.0 (public domain), "
    "martynafford/natural-earth-geojson@0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e "
    "10m/cultural/ne_10m_admin_0_disputed_areas.json"
)
EXPECTED_FEATURES: Final = 80
COLUMNS: Final = ("brk_a3", "name", "note", "type", "control", "admin", "holder", "geometry")

SPELLINGS: Final = {"Azer.": "AZE"}
"""Natural Earth's spellings of a state in a note that ``lookup_country`` does not know, and the state's code."""

HOLDER_SHARE: Final = 0.25
"""Least share of an area's geodesic area a country must cover to be its recognised holder (rule 7)."""

OVERLAP_M2: Final = 1e6
"""Largest overlap (m²) allowed between two areas that change hands to different administrators."""

ADMIN: Final = re.compile(r"Admin\.? [Bb]y (?P<by>.+?)(?: for (?P<state>.+))?")
LEASE: Final = re.compile(r"Leased to (?P<state>.+?) by (?P<lessor>.+)")
SELF: Final = "Self admin."
CLAIMED: Final = re.compile(r"Claimed by (?P<claimants>.+)")
UNADMINISTERED: Final = (
    re.compile(r"Claimed by .+"),  # claimed, administered by none (Spratly Is., Siachen Glacier, Bajo Nuevo Bank)
    re.compile(r"Since 1953 a 2 km buffer (north|south) of the military demarcation line, patrolled by .+"),
    re.compile(r"UN Patrolled Zone in Syria"),
    re.compile(r""),  # no note
)
"""The first clauses of the notes that name no administrator (rule 6)."""


def sha256(path: Path) -> str:
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def state_code(name: str, where: str) -> str:
    """Return the ``countries.parquet`` code of a state as a note names it (rule 3); stop the build if none."""
    name = name.strip()
    if name.startswith("the "):
        name = name[4:]
    if name in SPELLINGS:
        return SPELLINGS[name]
    try:
        return lookup_country(name)[0]
    except GeoRangeError as err:
        sys.exit(f"{where}: state {name!r} does not resolve to a country of countries.parquet: {err}")


def claimant_codes(claimants: str, where: str) -> set[str]:
    """Return the codes of the states in "A, B, and C" (rule 5)."""
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+", claimants)
    return {state_code(name, where) for name in names if name.strip()}


def check_geometry(geometry: shapely.Geometry, where: str) -> None:
    """Stop the build unless `geometry` is a valid (Multi)Polygon in the map rectangle, no part spanning 180°."""
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
        sys.exit(f"{where}: geometry is a {geometry.geom_type}, expected a non-empty Polygon or MultiPolygon")
    if not geometry.is_valid:
        sys.exit(f"{where}: invalid geometry: {shapely.is_valid_reason(geometry)}")
    west, south, east, north = geometry.bounds
    if west < -180 or east > 180 or south < -90 or north > 90:
        sys.exit(f"{where}: coordinates outside [-180, 180] x [-90, 90]: bounds {geometry.bounds}")
    for part in shapely.get_parts(geometry):
        x0, _, x1, _ = part.bounds
        if x1 - x0 >= 180:
            sys.exit(f"{where}: a part spans {x1 - x0:.1f} degrees of longitude (crosses the antimeridian)")


def holders(geometries: list[shapely.Geometry]) -> list[str]:
    """Return each area's recognised holder (rule 7)."""
    codes = load_countries()["iso_a3"].to_numpy()
    countries = country_geometries()
    tree = shapely.STRtree(countries)
    out = []
    for geometry in geometries:
        total = polygon_area_m2(geometry)
        best, share = "", 0.0
        for i in sorted(tree.query(geometry, predicate="intersects")):
            part = shapely.intersection(geometry, countries[i])
            value = polygon_area_m2(part) / total if not part.is_empty else 0.0
            if value > share:
                best, share = str(codes[i]), value
        out.append(best if share >= HOLDER_SHARE else "")
    return out


def administrator(props: dict[str, object], holder: str, units: set[str], where: str) -> tuple[str, str]:
    """Return ``(control, admin)`` for one feature by rules 1-6."""
    note = str(props.get("NOTE_BRK") or "").strip()
    first = note.split(";")[0].strip()
    if match := ADMIN.fullmatch(first):
        control, state = "administered", state_code(match["state"] or match["by"], where)
    elif match := LEASE.fullmatch(first):
        control, state = "leased", state_code(match["state"], where)
        state_code(match["lessor"], where)  # the lessor must resolve too
    elif first == SELF:
        claimed = [CLAIMED.fullmatch(c.strip()) for c in note.split(";")[1:]]
        claimants = set().union(*(claimant_codes(m["claimants"], where) for m in claimed if m))
        if not claimants:
            sys.exit(f"{where}: self-administered area without a 'Claimed by' clause: {note!r}")
        return "self-administered", (holder if holder and holder not in claimants else "")
    elif any(pattern.fullmatch(first) for pattern in UNADMINISTERED):
        return "none", ""
    else:
        sys.exit(f"{where}: note {note!r} matches no rule (see the docstring of {Path(__file__).name})")
    unit = str(props.get("ADM0_A3") or "")
    sovereign = state_code(str(props.get("SOVEREIGNT") or ""), where)
    if control == "administered" and state == sovereign and unit != state and unit in units:
        return control, unit  # rule 4: the dependency that countries.parquet draws apart from its sovereign
    return control, state


def build(source: Path, output: Path) -> None:
    """Read and check `source`, derive the columns and write `output`."""
    import geopandas

    if not source.is_file():
        sys.exit(f"{source}: no such file (expected {SOURCE_NAME}, Natural Earth {SOURCE_VERSION})")
    digest = sha256(source)
    if digest != SOURCE_SHA256:
        sys.exit(f"{source}: sha256 {digest} is not that of {SOURCE_NAME} v{SOURCE_VERSION} ({SOURCE_SHA256})")
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    if len(features) != EXPECTED_FEATURES:
        sys.exit(f"{source}: {len(features)} features, expected {EXPECTED_FEATURES}")

    geometries = [shapely.geometry.shape(f["geometry"]) for f in features]
    for feature, geometry in zip(features, geometries, strict=True):
        check_geometry(geometry, f"{source.name}, {feature['properties']['BRK_A3']}")
    units = set(load_countries()["iso_a3"])
    holder = holders(geometries)
    rows = []
    for feature, geometry, held in zip(features, geometries, holder, strict=True):
        props = feature["properties"]
        where = f"{source.name}, {props['BRK_A3']} ({props['BRK_NAME']})"
        control, admin = administrator(props, held, units, where)
        if admin and admin not in units:
            sys.exit(f"{where}: administrator {admin} is not a country of countries.parquet")
        rows.append({"brk_a3": props["BRK_A3"], "name": props["BRK_NAME"], "note": str(props.get("NOTE_BRK") or ""),
                     "type": props["TYPE"], "control": control, "admin": admin, "holder": held,
                     "geometry": geometry})
    if len({r["brk_a3"] for r in rows}) != len(rows):
        sys.exit(f"{source}: BRK_A3 codes are not unique")

    moving = [r for r in rows if r["control"] != "none"]
    for i, a in enumerate(moving):
        for b in moving[i + 1:]:
            if a["admin"] != b["admin"] and a["geometry"].intersects(b["geometry"]):
                overlap = polygon_area_m2(shapely.intersection(a["geometry"], b["geometry"]))
                if overlap > OVERLAP_M2:
                    sys.exit(f"{a['name']} ({a['admin'] or 'self'}) and {b['name']} ({b['admin'] or 'self'}) "
                             f"overlap by {overlap / 1e6:.1f} km²")

    frame = geopandas.GeoDataFrame(rows, columns=list(COLUMNS), geometry="geometry", crs="EPSG:4326")
    frame = frame.sort_values("brk_a3", kind="stable").reset_index(drop=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    import io

    import pyarrow.parquet as pq

    # geopandas writes the GeoParquet 1.1.0 "geo" metadata (WKB, EPSG:4326); read back to add the provenance.
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, schema_version="1.1.0")
    table = pq.read_table(io.BytesIO(buffer.getvalue()))
    metadata = {k: v for k, v in (table.schema.metadata or {}).items() if k != b"pandas"}
    metadata[b"georange:source"] = SOURCE_DESCRIPTION.encode()
    metadata[b"georange:source_sha256"] = SOURCE_SHA256.encode()
    metadata[b"georange:version"] = SOURCE_VERSION.encode()
    pq.write_table(table.replace_schema_metadata(metadata), output, compression="zstd", compression_level=19)
    for r in rows:
        if r["control"] != "none":
            print(f"{r['brk_a3']} {r['name']}: {r['control']}, admin {r['admin'] or '-'}, holder {r['holder'] or '-'}"
                  f" ({r['note']})", file=sys.stderr)
    counts = {c: sum(r["control"] == c for r in rows) for c in ("administered", "leased", "self-administered", "none")}
    print(f"wrote {output} ({output.stat().st_size:,} B): {len(rows)} areas, "
          + ", ".join(f"{n} {c}" for c, n in counts.items()), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and build the file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", type=Path, help=f"{SOURCE_NAME} (Natural Earth {SOURCE_VERSION}, sha256 checked)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="output GeoParquet file")
    args = parser.parse_args(argv)
    build(args.source, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
