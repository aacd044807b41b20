"""The ``georange`` command: a thin layer that parses, calls the library, prints.

Data goes to stdout, messages to stderr. Bad input (any
:class:`~geo.errors.GeoRangeError`, or a usage error) gives one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

from geo import __version__
from geo.errors import GeoRangeError, GeoRangeWarning, InputFileError, InvalidRangeError

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit 2."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # Southern and western coordinates start with '-': "--from -33.9,18.4"
        # is a value, not an option (argparse only knows plain negative numbers).
        self._negative_number_matcher = re.compile(r"^-(?:\.?\d|inf|nan)", re.IGNORECASE)

    def error(self, message: str) -> NoReturn:
        message = " ".join(message.split())  # argparse echoes values verbatim, line breaks included
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _number_of(unit: str):  # type: ignore[no-untyped-def]
    """Return an argparse type that reads a float and names ``unit`` when it cannot."""

    def parse(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit}") from None

    return parse


_km = _number_of("kilometres")
_metres = _number_of("metres")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="georange",
        description="Exact geodesic range checks for weapon-range claims (WGS84).",
    )
    parser.add_argument("--version", action="version", version=f"georange {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    reach = sub.add_parser(
        "reach",
        help="which places a range band reaches from launch sites or territories",
        description=(
            "For each place: the nearest and farthest launch point (km), and whether some launch "
            "point lies within [min-km, max-km] of it (reachable), all of them beyond max-km (too_far), "
            "or all within min-km (too_close)."
        ),
    )
    reach.add_argument(
        "--from",
        dest="launch",
        action="append",
        required=True,
        metavar="SOURCE",
        help="launch source: a country (ISO alpha-3 or name), a site name, or LAT,LON; repeat for 'from any of these'",
    )
    reach.add_argument("--min-km", type=_km, default=None, help="minimum range in km (default 0, or the system's)")
    reach.add_argument("--max-km", type=_km, default=None,
                       help="maximum range in km (at most 20,004; required unless --system is given)")
    reach.add_argument("--system", metavar="NAME",
                       help="a weapon system of data/systems.toml (e.g. oreshnik): its published range figures")
    reach.add_argument(
        "--places",
        default="capitals",
        help="a preset (capitals, european-capitals, cities) or a file of points: CSV (name, lat, lon), "
             "GeoParquet or Parquet (lon, lat), GeoPackage or GeoJSON (default: capitals)",
    )
    reach.add_argument("--format", choices=("table", "json", "csv", "geojson"), default="table",
                       help="output format; json, csv and geojson are written chunk by chunk, for inputs of any size")
    reach.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    reach.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    reach.add_argument("--status-only", action="store_true",
                       help="only the (exact) status, no distances: much faster for large inputs")
    reach.add_argument("--summary", action="store_true",
                       help="also count the gazetteer cities and their population in the reachable zone, "
                            "the dead zone and beyond (on stderr for json, csv and geojson)")
    reach.add_argument("--dask", action="store_true",
                       help="classify on a local Dask cluster of worker processes (needs georange[dask])")
    reach.add_argument("--scheduler", metavar="ADDRESS",
                       help="classify on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (implies --dask)")
    reach.add_argument("--dask-workers", type=int, default=2, metavar="N",
                       help="worker processes of the local Dask cluster (default 2)")
    reach.add_argument("--chunk-rows", type=int, default=1_000_000, metavar="N", help=argparse.SUPPRESS)
    reach.add_argument("-q", "--quiet", action="store_true", help="no title line in the table, no progress bar")
    reach.set_defaults(func=_cmd_reach)

    zone = sub.add_parser(
        "zone",
        help="write the reach, dead zone and reachable zone as GeoJSON, GeoPackage or KML",
        description=(
            "Write three zones for a range band: reach (within max-km of some launch point), dead_zone "
            "(within min-km of every launch point) and reachable (some launch point within [min-km, max-km]). "
            "Exact on the WGS84 ellipsoid; split at the antimeridian, pole caps closed (RFC 7946)."
        ),
    )
    zone.add_argument("--from", dest="launch", action="append", required=True, metavar="SOURCE",
                      help="launch source, as for reach; repeat for 'from any of these'")
    zone.add_argument("--min-km", type=_km, default=0.0, help="minimum range in km (default 0)")
    zone.add_argument("--max-km", type=_km, required=True, help="maximum range in km (at most 20,004)")
    zone.add_argument("-o", "--output", required=True, metavar="FILE",
                      help="output file: .geojson (or .json), .gpkg or .kml")
    zone.add_argument("--tolerance-m", type=_metres, default=10.0,
                      help="largest distance of drawn boundaries from the true ones, in m (default 10, at least 1)")
    zone.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    zone.set_defaults(func=_cmd_zone)

    check = sub.add_parser(
        "check",
        help="check claim files: verdicts, margins, critical values, robustness, coverage",
        description=(
            "Evaluate every [[claim]] and [[survey]] of the claim files (TOML; a directory means its *.toml "
            "files). Exit 0 if every claim holds, 1 if any fails, 2 on bad input (no report is written then)."
        ),
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="claim file or directory of claim files")
    check.add_argument("--format", choices=("table", "json", "markdown", "csv", "geojson"), default="table",
                       help="report format (csv and geojson: one row or point feature per claim and survey place)")
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    check.add_argument("--no-coverage", action="store_true",
                       help="skip the launch-area coverage shares (faster)")
    check.add_argument("--no-population", action="store_true",
                       help="skip the population in range (gazetteer cities per zone of each claim's band)")
    check.set_defaults(func=_cmd_check)

    draw = sub.add_parser(
        "map",
        help="draw claim files as an interactive HTML map and/or a static PNG or SVG figure",
        description=(
            "Draw the claims and surveys of the claim files: the reachable zone, dead zone and outer limit of "
            "every range band and launch scenario (exact WGS84 geodesic zones), the launch, and the places "
            "coloured by their exact status, with the verdicts in tooltips and popups. The HTML works offline "
            "(Leaflet embedded) and is byte-identical for the same inputs."
        ),
    )
    draw.add_argument("paths", nargs="+", metavar="PATH", help="claim file or directory of claim files")
    draw.add_argument("-o", "--output", metavar="FILE.html", help="write the interactive map (HTML)")
    draw.add_argument("--png", metavar="FILE.png", help="write a static figure (PNG, 200 dpi, A4 width)")
    draw.add_argument("--svg", metavar="FILE.svg", help="write a static figure (SVG)")
    draw.add_argument("--title", default="", help="map title (default: the claim files' titles)")
    draw.add_argument("--online-tiles", action="store_true",
                      help="also offer OpenStreetMap tiles as a base layer (needs a network to show)")
    draw.add_argument("--overwrite", action="store_true", help="replace output files that exist")
    draw.set_defaults(func=_cmd_map)
    return parser


def _progress(args: argparse.Namespace, total: int | None):  # type: ignore[no-untyped-def]
    """Return a progress bar on stderr, shown only on a terminal and without --quiet."""
    from tqdm import tqdm

    return tqdm(total=total, unit=" places", unit_scale=True, file=sys.stderr, leave=False,
                disable=args.quiet or not sys.stderr.isatty())


def _cmd_reach(args: argparse.Namespace) -> int:
    import contextlib
    import shutil
    import tempfile

    import pandas as pd

    from geo.analysis.frames import reach, resolve_band
    from geo.analysis.launch import parse_launch
    from geo.inputs.targets import count_targets, iter_targets
    from geo.outputs.atomic import atomic_path, check_writable
    from geo.outputs.stream import ChunkWriter

    if args.max_km is None and not args.system:
        raise InvalidRangeError("--max-km is required (or give --system)")
    band = resolve_band(args.min_km, args.max_km, args.system)
    sources = [parse_launch(s) for s in args.launch]
    if args.output:
        check_writable(args.output, overwrite=args.overwrite)  # fail before the work, not after
    if args.chunk_rows < 1:
        raise InputFileError(f"--chunk-rows {args.chunk_rows}: must be at least 1")
    if args.dask_workers < 1:
        raise InputFileError(f"--dask-workers {args.dask_workers}: must be at least 1")
    client = None
    if args.dask or args.scheduler:
        from geo.analysis.distributed import connect, reach_on_client

        client = connect(args.scheduler, n_workers=args.dask_workers)

    def classify(chunk: pd.DataFrame, bar) -> pd.DataFrame:  # type: ignore[no-untyped-def]
        if client is not None:
            out = reach_on_client(client, chunk, sources, band, distances=not args.status_only)
            bar.update(len(chunk))
            return out
        return reach(chunk, sources, band.min_km, band.max_km, distances=not args.status_only,
                     progress=bar.update)

    with contextlib.ExitStack() as stack:
        if client is not None:
            stack.callback(client.close)
        bar = stack.enter_context(_progress(args, count_targets(args.places)))
        chunks = (classify(c, bar) for c in iter_targets(args.places, chunk_rows=args.chunk_rows))
        if args.format == "table":
            from geo.outputs.tables import to_status_table, to_table

            result = pd.concat(list(chunks), ignore_index=True)
            bar.close()
            title = "" if args.quiet else (
                f"Reach of {band.min_km:,.0f}-{band.max_km:,.0f} km from "
                f"{' or '.join(s.label for s in sources)} (WGS84 geodesics)"
            )
            text = to_status_table(result, title) if args.status_only else to_table(result, title)
            if args.summary:
                text += "\n" + _summary_text(sources, band)
            if args.output:
                with atomic_path(args.output, overwrite=args.overwrite) as tmp:
                    tmp.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
            return EXIT_OK
        if args.output:
            tmp = stack.enter_context(atomic_path(args.output, overwrite=args.overwrite))
            fh = stack.enter_context(tmp.open("w", encoding="utf-8", newline=""))
        else:
            # Spooled to a temporary file and copied out at the end: a bad row
            # late in a large input leaves stdout empty, not half-written.
            fh = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", newline=""))
        writer = ChunkWriter(fh, args.format)
        for chunk in chunks:
            writer.write(chunk)
        writer.close()
        if not args.output:
            fh.seek(0)
            shutil.copyfileobj(fh, sys.stdout, 1 << 20)
    if args.summary:
        print(_summary_text(sources, band), end="", file=sys.stderr)
    return EXIT_OK


def _summary_text(sources, band) -> str:  # type: ignore[no-untyped-def]
    from geo.analysis.population import population_in_range

    p = population_in_range(sources, band)
    head = f"Gazetteer cities (15,000 people or more, GeoNames) by zone, {p.total_cities:,} in all:"
    return "\n".join([head, *("  " + line for line in p.lines())]) + "\n"


def _cmd_zone(args: argparse.Namespace) -> int:
    from geo.analysis.bands import RangeBand
    from geo.analysis.launch import parse_launch
    from geo.analysis.zones import zones
    from geo.outputs.zonefiles import check_output, write_zones

    out = args.output
    check_output(out, overwrite=args.overwrite)  # fail before the work, not after
    band = RangeBand(args.min_km, args.max_km, where="range")
    sources = [parse_launch(s) for s in args.launch]
    result = zones(sources, band, tolerance_m=args.tolerance_m)
    write_zones(result, out, overwrite=args.overwrite)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from geo.claims.model import load_claims
    from geo.claims.verdicts import evaluate
    from geo.outputs import report
    from geo.outputs.atomic import atomic_path, check_writable

    if args.output:
        check_writable(args.output, overwrite=args.overwrite)
    loaded = load_claims(args.paths)  # every file checked before any work or output
    claims, surveys = evaluate(loaded.claims, loaded.surveys, coverage=not args.no_coverage,
                               population=not args.no_population)
    render = {"json": report.to_json, "markdown": report.to_markdown, "table": report.to_table,
              "csv": report.to_csv, "geojson": report.to_geojson}[args.format]
    text = render(claims, surveys)
    if args.output:
        with atomic_path(args.output, overwrite=args.overwrite) as tmp:
            tmp.write_text(text, encoding="utf-8")
        print(report.summary_line(claims), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK if all(r.holds for r in claims) else EXIT_FAILED


def _cmd_map(args: argparse.Namespace) -> int:
    from geo.claims.model import load_claims
    from geo.outputs.atomic import check_writable
    from geo.outputs.mapcontent import map_content
    from geo.outputs.webmap import claim_map, save_map

    outputs = [(args.output, (".html", ".htm"), "--output"), (args.png, (".png",), "--png"),
               (args.svg, (".svg",), "--svg")]
    if not any(path for path, _, _ in outputs):
        raise InputFileError("nothing to write: give -o FILE.html, --png FILE.png and/or --svg FILE.svg")
    for path, suffixes, flag in outputs:
        if path:
            if not path.lower().endswith(suffixes):
                raise InputFileError(f"{flag} {path}: expected a file name ending in {' or '.join(suffixes)}")
            check_writable(path, overwrite=args.overwrite)  # fail before the work, not after
    content = map_content(load_claims(args.paths), title=args.title)
    if args.output:
        save_map(claim_map(content, online_tiles=args.online_tiles), args.output, overwrite=args.overwrite)
    for path in (args.png, args.svg):
        if path:
            from geo.outputs.figure import save_figure  # matplotlib takes 0.5 s to import: only when asked

            save_figure(content, path, overwrite=args.overwrite)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)

    shown: list[str] = []

    def one_line(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        shown.append(f"georange {args.command}: warning: {' '.join(str(message).split())}")

    try:
        with warnings.catch_warnings():
            # Warnings that may make the answer wrong: always shown, one line each, after the run; a run
            # that fails shows only its error (the warnings were about an answer it does not give).
            warnings.simplefilter("always", GeoRangeWarning)
            warnings.showwarning = one_line
            status = int(args.func(args))
        for text in shown:
            print(text, file=sys.stderr)
        return status
    except GeoRangeError as exc:
        message = " ".join(str(exc).split())  # one line, whatever the message holds
        print(f"georange {args.command}: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `georange reach ... | head`
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


