"""Hostile input (issue 7): a catalogue of bad inputs, each one line on stderr, exit 2, and no output.

Every case of :data:`CATALOGUE` runs ``georange`` in-process and checks the
contract of DEVELOPERS.md: exit status 2, nothing on stdout, exactly one
non-empty line on stderr (``georange CMD: error: ...``), no traceback, a
message that names the problem (the file, field or value, matched by the
case's pattern), and no file created or changed in the working directory
(old outputs stay byte-identical).

In ``argv``, ``{name.ext}`` is a file of :data:`FILES` written into the
test's temporary directory when a case names it, ``{d}`` is that directory,
``{readonly}`` a directory nobody can write in, not even root, and ``{NL}``
a line break.

Cases marked xfail are defects in modules other engineers own; the reason
names the module and the fix proposed.
"""

from __future__ import annotations

import json
import os
import random
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from geo.cli.main import main

# -- the files the cases name ------------------------------------------------------------


def claim(**fields: str | None) -> str:
    """Return a valid [[claim]] table with some fields replaced (TOML text) or removed (None)."""
    table: dict[str, str | None] = {"id": '"c1"', "from": '"Belarus"', "min_km": "700", "max_km": "5000",
                                    "place": '"Kyiv"', "expect": '"too_close"'}
    table.update(fields)
    return "[[claim]]\n" + "".join(f"{k} = {v}\n" for k, v in table.items() if v is not None)


def survey(**fields: str | None) -> str:
    """Return a valid [[survey]] table with some fields replaced or removed."""
    table: dict[str, str | None] = {"id": '"s1"', "from": '"krichev"', "max_km": "500",
                                    "places": '"european-capitals"'}
    table.update(fields)
    return "[[survey]]\n" + "".join(f"{k} = {v}\n" for k, v in table.items() if v is not None)


def features(*geometries: dict | None, name: bool = True) -> str:
    """Return a GeoJSON FeatureCollection with one feature per geometry (None: a null geometry)."""
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"f{i + 1}"} if name else {}, "geometry": g}
        for i, g in enumerate(geometries)]})


def polygon(*ring: tuple[float, float]) -> dict:
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


def point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def sparse(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as fh:
            fh.truncate(size)  # a hole: no disk space used

    return write


def directory(path: Path) -> None:
    path.mkdir()


GARBAGE = random.Random(7).randbytes(4096)  # deterministic, and not UTF-8
MINSK = polygon((27.5, 53.8), (27.6, 53.8), (27.6, 53.9), (27.5, 53.9), (27.5, 53.8))

FILES: dict[str, str | bytes | Callable[[Path], None]] = {
    # claim files
    "ok.toml": claim(),
    "far.toml": claim(max_km='"far"'),
    "negative.toml": claim(min_km="-700"),
    "beyond.toml": claim(max_km="30000"),
    "min-over-max.toml": claim(min_km="7000"),
    "nan.toml": claim(max_km="nan"),
    "inf.toml": claim(max_km="inf"),
    "interval.toml": claim(max_km="{ value = 5000, interval = [1, 2] }"),
    "published.toml": claim(max_km="{ value = 5000, published = 5 }"),
    "hyderabad.toml": claim(place='"Hyderabad"'),
    "springfield.toml": claim(place='"Springfield"'),
    "kyivv.toml": claim(place='"Kyivv"'),
    "belaruss.toml": claim(**{"from": '"Belaruss"'}),
    "place-swapped.toml": claim(place='"95,27"'),
    "place-lat95.toml": claim(place='{ name = "X", lat = 95, lon = 1 }'),
    "place-lat-text.toml": claim(place='{ name = "X", lat = "1", lon = 1 }'),
    "place-long.toml": claim(place='"' + "a" * 5000 + '"'),
    "system.toml": claim(min_km=None, max_km=None, system='"oreshnikk"'),
    "field.toml": claim(expct='"too_close"'),
    "expect.toml": claim(expect='"too close"'),
    "dup.toml": claim() + claim(),
    "a.toml": claim(),
    "b.toml": claim(),
    "bad-id.toml": claim(id='"a b"'),
    "empty.toml": "",
    "blank.toml": " \n\t\n",
    "comment.toml": "# claims to come\n",
    "malformed.toml": '[[claim]]\nid = "c1\n',
    "garbage.toml": GARBAGE,
    "utf16.toml": claim().encode("utf-16"),
    "huge.toml": sparse(200 * 1024 * 1024),
    "deep-arrays.toml": "x = " + "[" * 5000 + "]" * 5000 + "\n" + claim(),
    "deep-keys.toml": "a" + ".a" * 20_000 + " = 1\n" + claim(),
    "long-int.toml": claim(max_km="1" + "0" * 5000),
    "claim-string.toml": 'claim = "Kyiv is out of reach"\n',
    "as-of-time.toml": survey(places='"nato-capitals"', as_of="2023-05-26T10:00:00"),
    "as-of-1900.toml": survey(places='"nato-capitals"', as_of="1900-01-01"),
    "territories-empty.toml": survey(territories='""'),
    "scenario-label.toml": claim(scenarios='{ "" = "krichev" }'),
    "place-set.toml": survey(places='"nato-capitalz"'),
    "nothing.dir": directory,
    "from-file.toml": lambda p: (p.parent.joinpath("area.geojson").write_text(features(None), encoding="utf-8"),
                                 p.write_text(claim(**{"from": json.dumps(str(p.parent / "area.geojson"))}))),
    # places as CSV
    "garbage.csv": GARBAGE,
    "columns.csv": "a,b\n1,2\n",
    "badrow.csv": "name,lat,lon\nA,52,21\nB,abc,21\n",
    "short.csv": "name,lat,lon\nA,52,21\nB,52\n",
    "nanrow.csv": "name,lat,lon\nA,52,21\nB,nan,21\n",
    "lat95.csv": "name,lat,lon\nA,52,21\nB,95,21\n",
    "noname.csv": "name,lat,lon\nA,52,21\n,52,21\n",
    "header.csv": "name,lat,lon\n",
    "quote.csv": 'name,lat,lon\n"A,52,21\n',
    "latin1.csv": "name,lat,lon\nMünchen,48.1,11.6\n".encode("latin-1"),
    "empty.csv": "",
    "dupcol.csv": "name,lat,lon,latitude\nA,52,21,53\n",
    "sparse.csv": sparse(20 * 1024 * 1024),  # streamed, so no size cap: 200 MB takes 6 s and 0.6 GB, then this error
    # GeoJSON launch areas and places
    "notjson.geojson": "{not json",
    "garbage.geojson": GARBAGE,
    "nofeatures.geojson": features(),
    "null.geojson": features(None),
    "point.geojson": features(point(27.5, 53.9), polygon((27, 53), (28, 53), (28, 54), (27, 53))),
    "emptypolygon.geojson": features({"type": "Polygon", "coordinates": []}),
    "tworing.geojson": features(polygon((27, 53), (28, 53), (27, 53))),
    "collinear.geojson": features(polygon((27, 53), (28, 53), (29, 53), (27, 53))),
    "vertex95.geojson": features(polygon((27, 53), (28, 95), (28, 54), (27, 53))),
    "nanvertex.geojson": '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
                         '"geometry": {"type": "Polygon", '
                         '"coordinates": [[[27, 53], [28, NaN], [28, 54], [27, 53]]]}}]}',
    "notes.txt": "launch from here\n",
    "sparse.geojson": sparse(20 * 1024 * 1024),
    "points95.geojson": features(point(27.5, 53.9), point(27.5, 95)),
    "pointsnull.geojson": features(point(27.5, 53.9), None),
    "line.geojson": features({"type": "LineString", "coordinates": [[27, 53], [28, 54]]}),
    "pointempty.geojson": features({"type": "Point", "coordinates": []}),
    "pointnan.geojson": '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "a"}, '
                        '"geometry": {"type": "Point", "coordinates": [NaN, 1]}}]}',
    # outputs that exist, and paths that cannot be written
    "old.geojson": b"old zones\n",
    "old.md": b"old report\n",
    "old.html": b"old map\n",
    "old.png": b"old figure\n",
    "old.csv": b"old table\n",
    "file.txt": "a file, not a directory\n",
    "adir.geojson": directory,
}


def read_only_directory() -> str | None:
    """Return a directory where even root cannot create a file (/sys, /proc), or None."""
    for candidate in ("/sys", "/proc"):
        probe = Path(candidate) / "georange-write-probe"
        try:
            probe.touch()
        except OSError:
            return candidate
        probe.unlink()
    return None


class Workspace:
    """The temporary directory of one case; writes the files of :data:`FILES` the argv names."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> str:
        if name == "d":
            return str(self.root)
        if name == "NL":
            return "\n"
        if name == "readonly":
            found = read_only_directory()
            if found is None:
                pytest.skip("no directory here is read-only for this user")
            return found
        target = self.root / name
        if not target.exists() and not target.is_symlink():
            content = FILES[name]
            if callable(content):
                content(target)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return str(target)

    def argv(self, template: str) -> list[str]:
        return [re.sub(r"\{([^{}]+)\}", lambda m: self.path(m.group(1)), a) for a in shlex.split(template)]

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Every file and directory (hidden ones too) with its size and modification time."""
        return {str(p.relative_to(self.root)): (p.stat().st_size, p.stat().st_mtime_ns)
                for p in sorted(self.root.rglob("*"))}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as usage:  # argparse's own usage errors exit directly, with status 2
        code = usage.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


# -- the catalogue ------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    argv: str
    message: str
    """A regular expression the error line must match (names the file, field or value)."""
    xfail: str = ""


R = "reach --max-km 100 --places european-capitals"  # a reach run, bad input aside
BLR = "reach --from BLR --max-km 100 --places"  # a reach run with the places still to give
CATALOGUE = [
    # coordinates
    Case("latitude-out-of-range", f"{R} --from 95,20",
         r"launch coordinate '95,20': latitude 95 is outside \[-90, 90\]"),
    Case("swapped-lat-lon", f"{R} --from 95,27.5", r"'95,27\.5': latitude 95 .*did you mean 27\.5,95\?"),
    Case("longitude-out-of-range", f"{R} --from 20,200", r"'20,200'.*longitude 200(\.0)? must be .* \[-180, 180\]"),
    Case("both-out-of-range", f"{R} --from 91,181", r"'91,181'.*latitude 91(\.0)? must be .* \[-90, 90\]"),
    Case("coordinate-overflow", f"{R} --from 1e999,0", r"'1e999,0'.*latitude inf must be a finite number"),
    Case("nan-coordinate", f"{R} --from nan,1", r"'nan,1'.*latitude nan must be a finite number"),
    Case("inf-coordinate", f"{R} --from 1,inf", r"'1,inf'.*longitude inf must be a finite number"),
    Case("half-coordinate", f"{R} --from 53.9", r"'53\.9' is not a valid coordinate: expected LAT,LON"),
    Case("degree-signs", f"{R} --from 95.9°N,27.5°E", r"'95\.9°N,27\.5°E': latitude 95\.9 is outside \[-90, 90\]"),
    Case("empty-launch", f"{R} --from ''", r"launch source is empty: expected a country, a site name or LAT,LON"),
    Case("blank-launch", f"{R} --from '   '", r"launch source is empty"),
    Case("unknown-country", f"{R} --from Belaruss", r"'Belaruss'.*did you mean: Belarus \(BLR\)"),
    Case("unknown-site", f"{R} --from krichevv", r"'krichevv'.*did you mean the site 'krichev'"),
    Case("line-break-in-argv", f"{R} --from BLR extra{{NL}}line", r"unrecognized arguments: extra line"),
    # ranges
    Case("max-inf", "reach --from BLR --max-km inf", r"max_km inf must be a finite number of kilometres"),
    Case("max-nan", "reach --from BLR --max-km nan", r"max_km nan must be a finite number of kilometres"),
    Case("min-nan", "reach --from BLR --min-km nan --max-km 100", r"min_km nan must be a finite number"),
    Case("max-overflow", "reach --from BLR --max-km 1e999", r"max_km inf must be a finite number"),
    Case("min-over-max", "reach --from BLR --min-km 700 --max-km 500", r"min_km 700 must not exceed max_km 500"),
    Case("negative-max", "reach --from BLR --max-km -5", r"max_km -5 must be >= 0"),
    Case("negative-min", "reach --from BLR --min-km=-700 --max-km 500", r"min_km -700 must be >= 0"),
    Case("beyond-half-meridian", "reach --from BLR --max-km 20005",
         r"max_km 20005 exceeds 20,004 km, half the meridian"),
    Case("range-not-a-number", "reach --from BLR --max-km far", r"--max-km: 'far' is not a number of kilometres"),
    Case("range-empty", "reach --from BLR --max-km ''", r"--max-km: '' is not a number of kilometres"),
    Case("range-missing", "reach --from BLR", r"--max-km is required \(or give --system\)"),
    Case("unknown-system", "reach --from BLR --system oreshnikk",
         r"unknown system 'oreshnikk'; did you mean 'oreshnik'"),
    Case("unknown-format", "reach --from BLR --max-km 100 --format xml", r"--format: invalid choice: 'xml'"),
    Case("unknown-option", "reach --from BLR --max-km 100 --bogus", r"unrecognized arguments: --bogus"),
    Case("zone-beyond-half-meridian", "zone --from krichev --max-km 25000 -o {d}/z.geojson", r"max_km 25000 exceeds"),
    Case("zone-min-over-max", "zone --from krichev --min-km 900 --max-km 500 -o {d}/z.geojson",
         r"min_km 900 must not exceed max_km 500"),
    Case("zone-tolerance-nan", "zone --from krichev --max-km 500 --tolerance-m nan -o {d}/z.geojson",
         r"tolerance_m nan must be a finite number of metres"),
    Case("zone-tolerance-too-fine", "zone --from krichev --max-km 500 --tolerance-m 0.5 -o {d}/z.geojson",
         r"tolerance_m 0\.5 must be at least 1 m"),
    # claim files
    Case("claim-wrong-type", "check {far.toml}", r"far\.toml, claim \"c1\": max_km 'far' must be a number of km"),
    Case("claim-negative-range", "check {negative.toml}", r"negative\.toml, claim \"c1\": min_km -700 must be >= 0"),
    Case("claim-beyond-half-meridian", "check {beyond.toml}",
         r"beyond\.toml, claim \"c1\": max_km 30000 exceeds 20,004"),
    Case("claim-min-over-max", "check {min-over-max.toml}", r"claim \"c1\": min_km 7000 must not exceed max_km 5000"),
    Case("claim-nan", "check {nan.toml}", r"nan\.toml, claim \"c1\": max_km nan must be a finite number of km"),
    Case("claim-inf", "check {inf.toml}", r"inf\.toml, claim \"c1\": max_km inf must be a finite number of km"),
    Case("claim-interval", "check {interval.toml}", r"max_km: interval \[1, 2\] must contain the value 5000"),
    Case("claim-published-not-a-list", "check {published.toml}", r"max_km: published 5 must be a list of tables"),
    Case("ambiguous-place", "check {hyderabad.toml}",
         r"hyderabad\.toml, claim \"c1\": place 'Hyderabad': .*matches 2 places: Hyderabad, IN "
         r"\(Telangana, IN-TG; population [\d,]+; 17\.\d+N 78\.\d+E\); Hyderabad, PK \(Sindh, PK-SD; population "
         r"[\d,]+; 25\.\d+N 68\.\d+E\); add a country qualifier, e\.g\. 'Hyderabad, IN'"),
    Case("ambiguous-place-in-one-country", "check {springfield.toml}",
         r"'Springfield' matches \d+ places: Springfield, US \(Missouri, US-MO; .*; all are in US: add a region "
         r"qualifier, e\.g\. 'Springfield, US-MO'"),
    Case("unknown-place", "check {kyivv.toml}", r"kyivv\.toml, claim \"c1\": place 'Kyivv': .*did you mean: Kyiv, UA"),
    Case("unknown-launch", "check {belaruss.toml}", r"claim \"c1\": from: .*'Belaruss'.*did you mean: Belarus \(BLR\)"),
    Case("place-swapped", "check {place-swapped.toml}", r"place '95,27'.*did you mean 27,95\?"),
    Case("place-table-out-of-range", "check {place-lat95.toml}",
         r"claim \"c1\", place: latitude 95.0 must be a finite number in \[-90, 90\]"),
    Case("place-table-wrong-type", "check {place-lat-text.toml}", r"place: lat '1' must be a number of degrees"),
    Case("place-name-too-long", "check {place-long.toml}", r"claim \"c1\": place of 5,000 characters \('aaa"),
    Case("claim-unknown-system", "check {system.toml}", r"system: unknown system 'oreshnikk'; did you mean 'oreshnik'"),
    Case("claim-unknown-field", "check {field.toml}", r"unknown field 'expct'; did you mean 'expect'"),
    Case("claim-bad-expect", "check {expect.toml}", r"expect 'too close' is not one of .*did you mean 'too_close'\?"),
    Case("duplicate-id", "check {dup.toml}", r"dup\.toml, claim \"c1\": duplicate id 'c1', first used in .*dup\.toml"),
    Case("duplicate-id-across-files", "check {a.toml} {b.toml}",
         r"b\.toml, claim \"c1\": duplicate id 'c1', first used in .*a\.toml"),
    Case("bad-id", "check {bad-id.toml}", r"claim #1: id 'a b' must be letters, digits"),
    Case("empty-claim-file", "check {empty.toml}", r"empty\.toml: empty file"),
    Case("blank-claim-file", "check {blank.toml}", r"blank\.toml: empty file"),
    Case("no-claims", "check {comment.toml}", r"comment\.toml: no \[\[claim\]\] or \[\[survey\]\] table"),
    Case("malformed-toml", "check {malformed.toml}", r"malformed\.toml: not valid TOML: .*\(at line 2, column \d+\)"),
    Case("binary-claim-file", "check {garbage.toml}", r"garbage\.toml: not UTF-8 text \(byte \d+\); expected TOML"),
    Case("utf16-claim-file", "check {utf16.toml}", r"utf16\.toml: not UTF-8 text"),
    Case("huge-claim-file", "check {huge.toml}",
         r"huge\.toml: 209,715,200 bytes is too large for a TOML file \(limit 16,777,216 bytes"),
    Case("endless-claim-file", "check /dev/zero", r"/dev/zero: more than 16,777,216 bytes is too large"),
    Case("deeply-nested-arrays", "check {deep-arrays.toml}", r"deep-arrays\.toml: arrays or inline tables nested too"),
    Case("deeply-dotted-keys", "check {deep-keys.toml}", r"deep-keys\.toml: a key of more than 32 dotted parts"),
    Case("integer-too-long", "check {long-int.toml}", r"long-int\.toml: .*a number of more than 4,300 digits"),
    Case("claim-not-a-table", "check {claim-string.toml}", r"claim must be an array of tables, written \[\[claim\]\]"),
    Case("as-of-with-time", "check {as-of-time.toml}",
         r"survey \"s1\": as_of 2023-05-26T10:00:00 must be a TOML date such as 2023-05-26"),
    Case("as-of-before-group", "check {as-of-1900.toml}",
         r"survey \"s1\": group 'nato' .* had no members on 1900-01-01: the first joined on 1949"),
    Case("empty-territories", "check {territories-empty.toml}", r"survey \"s1\": territories '' must be a non-empty"),
    Case("empty-scenario-label", "check {scenario-label.toml}", r"scenarios\.'': a scenario label must be a non-empty"),
    Case("unknown-place-set", "check {place-set.toml}",
         r"unknown place set 'nato-capitalz'; did you mean 'nato-capitals'"),
    Case("empty-claim-path", "check ''", r"claim file path '' is empty"),
    Case("missing-claim-file", "check {d}/missing.toml", r"missing\.toml: no such file or directory"),
    Case("directory-without-claims", "check {nothing.dir}", r"nothing\.dir: directory holds no \.toml claim file"),
    Case("map-claim-from-bad-file", "map {from-file.toml} -o {d}/m.html",
         r"from-file\.toml, claim \"c1\": from: .*area\.geojson, feature 1: no geometry \(null\)"),
    # places as CSV
    Case("csv-binary", f"{BLR} {{garbage.csv}}", r"garbage\.csv: not UTF-8 text \(byte \d+\); expected a CSV file"),
    Case("csv-missing-columns", f"{BLR} {{columns.csv}}", r"columns\.csv: missing columns .*lat, lon.*; found a, b"),
    Case("csv-not-a-number", f"{BLR} {{badrow.csv}}", r"badrow\.csv, row 3: lat 'abc' is not a number"),
    Case("csv-short-row", f"{BLR} {{short.csv}}", r"short\.csv, row 3: lon"),
    Case("csv-nan", f"{BLR} {{nanrow.csv}}", r"nanrow\.csv, row 3: lat nan must be a finite number"),
    Case("csv-out-of-range", f"{BLR} {{lat95.csv}}",
         r"lat95\.csv, row 3: lat 95 must be a finite number in \[-90, 90\]"),
    Case("csv-empty-name", f"{BLR} {{noname.csv}}", r"noname\.csv, row 3: name is empty"),
    Case("csv-header-only", f"{BLR} {{header.csv}}", r"header\.csv: no places \(only a header\)"),
    Case("csv-unclosed-quote", f"{BLR} {{quote.csv}}", r"quote\.csv, row 2: a quoted field is not closed"),
    Case("csv-latin1", f"{BLR} {{latin1.csv}}", r"latin1\.csv: not UTF-8 text \(byte 14\)"),
    Case("csv-empty", f"{BLR} {{empty.csv}}", r"empty\.csv: empty file"),
    Case("csv-huge-garbage", f"{BLR} {{sparse.csv}}", r"sparse\.csv: cannot read: field larger than field limit"),
    Case("csv-duplicate-column", f"{BLR} {{dupcol.csv}}", r"dupcol\.csv: .*lat.*latitude"),
    Case("places-empty", f"{BLR} ''", r"--places .*empty"),
    # GeoJSON launch areas (--from FILE) and places (--places FILE)
    Case("geojson-not-json", f"{R} --from {{notjson.geojson}}", r"notjson\.geojson: not a readable GeoJSON"),
    Case("geojson-binary", f"{R} --from {{garbage.geojson}}", r"garbage\.geojson: not a readable GeoJSON"),
    Case("geojson-huge-garbage", f"{R} --from {{sparse.geojson}}", r"sparse\.geojson: not a readable GeoJSON"),
    Case("geojson-no-features", f"{R} --from {{nofeatures.geojson}}",
         r"nofeatures\.geojson: no features; expected Polygon or MultiPolygon features"),
    Case("geojson-null-geometry", f"{R} --from {{null.geojson}}", r"null\.geojson, feature 1: no geometry \(null\)"),
    Case("geojson-point-as-area", f"{R} --from {{point.geojson}}",
         r"point\.geojson, feature 2: is a Polygon; expected a Point or MultiPoint like feature 1"),
    Case("geojson-empty-polygon", f"{R} --from {{emptypolygon.geojson}}",
         r"emptypolygon\.geojson, feature 1: the Polygon is empty"),
    Case("geojson-two-vertex-ring", f"{R} --from {{tworing.geojson}}",
         r"tworing\.geojson, feature 1: invalid polygon .* encloses no area"),
    Case("geojson-collinear-ring", f"{R} --from {{collinear.geojson}}",
         r"collinear\.geojson, feature 1: invalid polygon .* encloses no area"),
    Case("geojson-vertex-out-of-range", f"{R} --from {{vertex95.geojson}}",
         r"vertex95\.geojson, feature 1: vertex 2 \(28, 95\) is not a lon/lat position"),
    Case("geojson-nan-vertex", f"{R} --from {{nanvertex.geojson}}",
         r"nanvertex\.geojson, feature 1: vertex 2 \(28, nan\) is not a lon/lat position"),
    Case("zone-from-bad-geojson", "zone --from {null.geojson} --max-km 100 -o {d}/z.geojson",
         r"null\.geojson, feature 1: no geometry"),
    Case("launch-file-of-other-type", f"{R} --from {{notes.txt}}", r"notes\.txt'?: a file of this type cannot be read"),
    Case("geojson-place-out-of-range", f"{BLR} {{points95.geojson}}",
         r"points95\.geojson, feature 2: lat 95 must be a finite number in \[-90, 90\]"),
    Case("geojson-place-null", f"{BLR} {{pointsnull.geojson}}", r"pointsnull\.geojson, feature 2: no geometry"),
    Case("geojson-place-line", f"{BLR} {{line.geojson}}",
         r"line\.geojson, feature 1: is a LineString; expected a Point"),
    Case("geojson-places-empty", f"{BLR} {{nofeatures.geojson}}", r"nofeatures\.geojson: no features; expected Point"),
    Case("geojson-place-no-coordinates", f"{BLR} {{pointempty.geojson}}", r"pointempty\.geojson, feature 1"),
    Case("geojson-place-nan", f"{BLR} {{pointnan.geojson}}",
         r"pointnan\.geojson, feature 1: the Point is empty or has a NaN coordinate"),
    # outputs
    Case("zone-output-exists", "zone --from krichev --max-km 100 -o {old.geojson}",
         r"old\.geojson: exists; pass --overwrite to replace it"),
    Case("check-output-exists", "check {ok.toml} -o {old.md}", r"old\.md: exists; pass --overwrite to replace it"),
    Case("map-html-exists", "map {ok.toml} -o {old.html}", r"old\.html: exists; pass --overwrite"),
    Case("map-png-exists", "map {ok.toml} --png {old.png}", r"old\.png: exists; pass --overwrite"),
    Case("map-one-output-exists", "map {ok.toml} --svg {d}/new.svg --png {old.png}", r"old\.png: exists"),
    Case("reach-output-exists", "reach --from BLR --max-km 100 --format csv -o {old.csv}", r"old\.csv: exists"),
    Case("zone-output-under-a-file", "zone --from krichev --max-km 100 -o {file.txt}/z.geojson", r"file\.txt"),
    Case("zone-output-under-a-file-says-so", "zone --from krichev --max-km 100 -o {file.txt}/z.geojson",
         r"file\.txt is not a directory"),
    Case("check-output-under-a-file", "check {ok.toml} -o {file.txt}/r.md", r"file\.txt"),
    Case("map-output-under-a-file", "map {ok.toml} -o {file.txt}/m.html", r"file\.txt"),
    Case("output-directory-missing", "zone --from krichev --max-km 100 -o {d}/nodir/z.geojson",
         r"nodir/z\.geojson: directory .*nodir does not exist"),
    Case("zone-read-only-directory", "zone --from krichev --max-km 100 -o {readonly}/z.geojson",
         r"z\.geojson: cannot write in /(sys|proc)"),
    Case("check-read-only-directory", "check {ok.toml} --no-coverage --no-population -o {readonly}/r.md",
         r"r\.md: cannot write in /(sys|proc)"),
    Case("map-read-only-directory", "map {ok.toml} -o {readonly}/m.html", r"m\.html: cannot write in /(sys|proc)"),
    Case("reach-read-only-directory", "reach --from BLR --max-km 100 -o {readonly}/r.csv", r"r\.csv: cannot write in"),
    Case("output-is-a-directory", "zone --from krichev --max-km 100 -o {adir.geojson} --overwrite",
         r"adir\.geojson: is a directory, expected a file name"),
    Case("output-format-unknown", "zone --from krichev --max-km 100 -o {d}/z.dxf", r"unknown output format '\.dxf'"),
    Case("map-wrong-suffix", "map {ok.toml} --png {d}/m.jpg", r"--png .*m\.jpg: expected a file name ending in \.png"),
    Case("map-nothing-to-write", "map {ok.toml}", r"nothing to write: give -o FILE\.html, --png FILE\.png"),
    Case("output-name-empty", "zone --from krichev --max-km 100 -o ''", r"(?i)output.*empty"),
]


def _params() -> list:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else [])
            for c in CATALOGUE]


def test_catalogue_ids_are_unique() -> None:
    ids = [c.id for c in CATALOGUE]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", _params())
def test_bad_input_is_one_line_exit_2_and_no_output(case: Case, tmp_path: Path, capsys) -> None:
    ws = Workspace(tmp_path)
    argv = ws.argv(case.argv)
    before = ws.snapshot()
    code, out, err = run(argv, capsys)
    assert code == 2, (code, err)
    assert out == ""
    lines = err.split("\n")
    assert lines[-1] == "" and len(lines) == 2, err  # exactly one line, ended by a newline
    command = argv[0]
    assert lines[0].startswith(f"georange {command}: error: ") or lines[0].startswith("georange: error: "), err
    assert "Traceback" not in err
    assert re.search(case.message, lines[0]), lines[0]
    assert ws.snapshot() == before  # nothing created, nothing changed (hidden files included)


# -- the same inputs, answered ----------------------------------------------------------------


def test_coordinate_that_looks_swapped_but_is_valid_is_answered(tmp_path: Path, capsys) -> None:
    # 27.5 N, 95 E is in Assam: a coordinate swapped by mistake can be a real place, so it is answered.
    code, out, err = run(["reach", "--from", "27.5,95", "--max-km", "600", "--places", "capitals", "--format",
                          "json"], capsys)
    assert (code, err) == (0, "")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["Thimphu"]["status"] == "reachable" and rows["Thimphu"]["via"] == "27.5,95"
    assert rows["Thimphu"]["min_km"] == pytest.approx(529.5, abs=0.1)


def test_claim_file_with_a_byte_order_mark_is_read(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + claim().encode())  # as Windows Notepad saves UTF-8
    code, out, err = run(["check", str(path), "--no-coverage", "--no-population", "--format", "json"], capsys)
    assert (code, err) == (0, "")
    assert [r["id"] for r in json.loads(out)] == ["c1"]


def test_southern_hemisphere_coordinate_needs_no_equals_sign(capsys) -> None:
    code, out, err = run(["reach", "--from", "-33.9,18.4", "--max-km", "100", "--places", "capitals", "-q"], capsys)
    assert (code, err) == (0, "")


def test_zone_within_0_km_of_a_territory_is_the_territory(tmp_path: Path, capsys) -> None:
    import shapely

    out = tmp_path / "z.geojson"
    code, _, err = run(["zone", "--from", "BLR", "--max-km", "0", "-o", str(out)], capsys)
    assert code == 0 and err == f"georange zone: wrote 3 zones (reach, dead_zone (empty), reachable) to {out}\n"
    reach = json.loads(out.read_text())["features"][0]
    assert reach["geometry"] is not None
    assert shapely.geometry.shape(reach["geometry"]).contains(shapely.Point(27.5615, 53.9045))  # Minsk


def test_zone_at_half_meridian_finishes(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "geo", "zone", "--from", "krichev", "--min-km", "20004",
                           "--max-km", "20004", "-o", str(tmp_path / "z.geojson")],
                          capture_output=True, text=True, timeout=15, env={**os.environ, "PYTHONWARNINGS": "error"})
    assert done.returncode == 0, done.stderr
