"""The ``georange`` command: a thin layer that parses, calls the library, prints.

Data goes to stdout, messages to stderr. Bad input (any
:class:`~geo.errors.GeoRangeError`, or a usage error) gives one line on
stderr and exit status 2, never a traceback. Only ``argparse`` and
:mod:`geo.errors` are imported up front: ``--version`` and ``--help`` load
no numerical library, and each subcommand imports what it needs.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence

from geo.cli import options
from geo.errors import GeoRangeError, GeoRangeWarning

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = options.EXIT_USAGE


_ADHOC_FROM = ("launch source, as for reach: with the range options, adds a survey of --places from it "
               "(repeat for 'from any of these')")


def _adhoc_places() -> options.Parser:
    return options.places("places of the --from survey: a set (capitals, european-capitals, nato-capitals, ...) "
                          "or places separated by ';' (default: capitals)")


def _claims(args: argparse.Namespace, parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    """Load the claim files and add the survey the launch and range options ask for (check, map)."""
    from geo.claims.model import ClaimFile, load_claims, make_survey
    from geo.reference.borders import DEFAULT_BORDERS

    if not args.paths and not args.launch:
        parser.error("give claim files (PATH), or --from with --max-km or --system")
    if not args.launch and (options.band_given(args) or options.places_given(args)):
        parser.error("--min-km, --max-km, --system and --places describe a --from survey: give --from too")
    loaded = load_claims(args.paths, args.borders) if args.paths else ClaimFile((), ())
    if args.earth_rotation and loaded.claims + loaded.surveys:  # every claim and survey of the files, checked now
        from geo.analysis.rotation import check_rotation

        entries = [*loaded.claims, *loaded.surveys]
        for e in entries:
            for scenario in (e.launch, *e.scenarios):
                check_rotation(scenario.sources, e.system, f"--earth-rotation, {e.where}")
        loaded = ClaimFile(tuple(dataclasses.replace(c, earth_rotation=True) for c in loaded.claims),
                           tuple(dataclasses.replace(s, earth_rotation=True) for s in loaded.surveys), loaded.titles)
    if not args.launch:
        return loaded
    options.check_band(args, parser)
    # --place (repeated) gives a list of places; --places a spec parsed as geo.inputs.targets.parse_targets does.
    places = list(args.place) if args.place else options.places_spec(args, "capitals")
    survey = make_survey(launch=list(args.launch), places=places, min_km=args.min_km, max_km=args.max_km,
                         system=args.system, borders=args.borders or DEFAULT_BORDERS,
                         earth_rotation=args.earth_rotation)
    # Named after its question (the file name a claim file gives is "" here).
    survey = dataclasses.replace(survey, id=re.sub(r"[^0-9a-z]+", "-", survey.question().casefold()).strip("-")
                                 or "survey")
    return ClaimFile(loaded.claims, (*loaded.surveys, survey), loaded.titles)


class _Version(argparse.Action):
    """``--version``: the version is read (importlib.metadata, 50 ms) only when asked for."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: object, values: object, option: object = None
    ) -> None:
        import geo

        print(f"georange {geo.__version__}")
        parser.exit()


def _build_parser() -> argparse.ArgumentParser:
    parser = options.Parser(
        prog="georange",
        description="Exact geodesic range checks for weapon-range claims (WGS84).",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the program's version number and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=options.Parser)
    sub.required = True
    common = options.common()

    reach = sub.add_parser(
        "reach",
        parents=[
            options.launch(),
            options.band(),
            options.borders(),
            options.places("a preset (capitals, european-capitals, cities), a place set (nato-capitals), a file "
                           "of points: CSV (name, lat, lon), GeoParquet or Parquet (lon, lat), GeoPackage or GeoJSON, "
                           "or places separated by ';' (\"London; Paris; 54.63N 21.81E\") (default: capitals)"),
            options.output("FILE", "write to FILE (atomically) instead of stdout"),
            common,
        ],
        help="which places a range band reaches from launch sites or territories",
        description=(
            "For each place: the nearest and farthest launch point (km), and whether some launch "
            "point lies within [min-km, max-km] of it (reachable), all of them within min-km (too_close), "
            "all beyond max-km (too_far), or some within min-km and the others beyond max-km (mixed)."
        ),
    )
    reach.add_argument("--format", choices=("table", "json", "csv", "geojson", "shapefile"), default="table",
                       help="output format; json, csv, geojson and shapefile (-o FILE.shp or FILE.zip) are written "
                            "chunk by chunk, for inputs of any size")
    reach.add_argument("--status-only", action="store_true",
                       help="only the (exact) status, no distances: much faster for large inputs")
    reach.add_argument("--summary", action="store_true",
                       help="also count the gazetteer cities and their population in the reachable zone, "
                            "the dead zone and beyond (on stderr for json, csv and geojson)")
    reach.add_argument("--dask", nargs="?", const=True, default=False, metavar="ADDRESS",
                       help="classify on Dask: alone, on a local cluster of worker processes; with a scheduler "
                            "ADDRESS such as tcp://10.0.0.5:8786, on that cluster (needs georange[dask])")
    reach.add_argument("--scheduler", dest="dask", metavar="ADDRESS", help=argparse.SUPPRESS)  # the old spelling
    reach.add_argument("--dask-workers", type=options.positive_int, default=2, metavar="N",
                       help="worker processes of the local Dask cluster (default 2)")
    reach.add_argument("--chunk-rows", type=options.positive_int, default=131_072, metavar="N",
                       help=argparse.SUPPRESS)
    reach.set_defaults(func=_cmd_reach, parser=reach)

    zone = sub.add_parser(
        "zone",
        parents=[
            options.launch(),
            options.band(),
            options.borders(),
            options.output("FILE", "output file: .geojson (or .json), .gpkg, .kml, .shp or .zip (a zipped "
                           "shapefile)", required=True),
            common,
        ],
        help="write the reach, dead zone and reachable zone as GeoJSON, GeoPackage, KML or Shapefile",
        description=(
            "Write three zones for a range band: reach (within max-km of some launch point), dead_zone "
            "(within min-km of every launch point) and reachable (some launch point within [min-km, max-km]), "
            "each with its exact area (area_km2). Exact on the WGS84 ellipsoid. GeoJSON, GeoPackage and "
            "Shapefile: lon/lat split at the antimeridian, pole caps closed (RFC 7946); KML: for a globe, "
            "edges fit for great circles. An empty zone is a feature without geometry."
        ),
    )
    zone.add_argument("--tolerance-m", type=options.metres, default=10.0,
                      help="largest distance of drawn boundaries from the true ones, in m (default 10, at least 1)")
    zone.add_argument("--precision", type=options.positive_int, default=7, metavar="DECIMALS",
                      help="decimals of GeoJSON coordinates (default 7, about 1 cm; 17 keeps every digit)")
    zone.set_defaults(func=_cmd_zone, parser=zone)

    check = sub.add_parser(
        "check",
        parents=[options.launch(required=False, help_text=_ADHOC_FROM), options.band(), options.borders(claims=True),
                 _adhoc_places(), options.output("FILE", "write the report to FILE instead of stdout"), common],
        help="check claim files: verdicts, margins, critical values, robustness, coverage",
        description=(
            "Evaluate every [[claim]] and [[survey]] of the claim files (TOML; a directory means its *.toml "
            "files), and a survey of --places from --from with the range options if given. Exit 0 if every "
            "claim holds, 1 if any fails, 2 on bad input (no report is written then)."
        ),
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="claim file or directory of claim files")
    check.add_argument("--format", choices=("table", "json", "markdown", "csv", "geojson"), default="table",
                       help="report format (csv and geojson: one row or point feature per claim and survey place)")
    check.add_argument("--no-coverage", action="store_true",
                       help="skip the launch-area coverage shares (faster)")
    check.add_argument("--no-population", action="store_true",
                       help="skip the population in range (gazetteer cities per zone of each claim's band)")
    check.set_defaults(func=_cmd_check, parser=check)

    draw = sub.add_parser(
        "map",
        parents=[options.launch(required=False, help_text=_ADHOC_FROM), options.band(), options.borders(claims=True),
                 _adhoc_places(), options.output("FILE.html", "write the interactive map (HTML)"), common],
        help="draw claim files as an interactive HTML map and/or a static PNG or SVG figure",
        description=(
            "Draw the claims and surveys of the claim files: the reachable zone, dead zone and outer limit of "
            "every range band and launch scenario (exact WGS84 geodesic zones), the launch, and the places "
            "coloured by their exact status, with the verdicts in tooltips and popups. The HTML works offline "
            "(Leaflet embedded) and is byte-identical for the same inputs."
        ),
    )
    draw.add_argument("paths", nargs="*", metavar="PATH", help="claim file or directory of claim files")
    draw.add_argument("--png", metavar="FILE.png", help="write a static figure (PNG, 200 dpi, A4 width)")
    draw.add_argument("--svg", metavar="FILE.svg", help="write a static figure (SVG)")
    draw.add_argument("--title", default="", help="map title (default: the claim files' titles)")
    draw.add_argument("--online-tiles", action="store_true",
                      help="also offer OpenStreetMap tiles as a base layer (needs a network to show)")
    draw.set_defaults(func=_cmd_map, parser=draw)
    far = sub.add_parser(
        "distance",
        parents=[options.borders(), options.output("FILE", "write to FILE (atomically) instead of stdout"), common],
        help="the nearest and farthest geodesic distance between places, sites, countries, regions or files",
        description=(
            "The exact nearest and farthest WGS84 geodesic distance from the first PLACE to each of the others "
            "(one row each), with the points that realise them and the part of a territory in several parts "
            "that holds each (via). A PLACE is anything --from takes: a city, a site, LAT,LON, a country, a "
            "region, COUNTRY@PLACE (an exclave), or a file of polygons. Two areas that meet are 0 km apart."
        ),
    )
    far.add_argument("things", nargs="+", metavar="PLACE",
                     help="two or more: the distance is from the first to each of the others")
    far.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    far.set_defaults(func=_cmd_distance, parser=far)
    flight = sub.add_parser(
        "flight",
        parents=[options.launch(), options.borders(),
                 options.output("FILE", "write to FILE (atomically) instead of stdout"), common],
        help="flight time of a ballistic missile to places: a band from the flattest to the lofted trajectory",
        description=(
            "The flight time of a ballistic missile from a launch to each place, as a band: the free flight of "
            "the flattest trajectory that climbs above --min-apogee-km, of the minimum-energy trajectory and of "
            "the highest (lofted) one its burnout speed allows, each plus a boost band. The burnout speed comes "
            "from the published maximum range, read as the minimum-energy range over a still spherical Earth; "
            "the flight is two-body free flight between points of the WGS84 ellipsoid on the turning Earth. "
            "From or to an area: between the two points nearest each other."
        ),
    )
    to = flight.add_argument_group("places").add_mutually_exclusive_group(required=True)
    to.add_argument("--to", dest="targets", action="append", metavar="PLACE",
                    help="a place as --from takes it (city, site, LAT,LON, country, region...); repeat, or separate "
                         "with ';', for more")
    to.add_argument("--places", metavar="SPEC",
                    help="places as reach takes them: a preset (european-capitals), a place set (nato-capitals) or a "
                         "file of points")
    rng = flight.add_argument_group("range").add_mutually_exclusive_group(required=True)
    rng.add_argument("--system", metavar="NAME", help="a ballistic system of data/systems.toml (e.g. oreshnik)")
    rng.add_argument("--max-km", type=options.number_of("km"), metavar="KM",
                     help="the maximum range in km instead of a system's")
    flight.add_argument("--boost-min", type=options.minutes_band, default=None, metavar="LOW-HIGH",
                        help="the boost band in minutes added to each free flight (default 1.5-4.5)")
    flight.add_argument("--min-apogee-km", type=options.number_of("km"), default=100.0, metavar="KM",
                        help="least apogee of the flattest trajectory counted (default 100, the Karman line)")
    flight.add_argument("--no-earth-rotation", dest="earth_rotation", action="store_false",
                        help="a still Earth (the convention of published ranges) instead of the turning one")
    flight.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    flight.set_defaults(func=_cmd_flight, parser=flight)
    for name, func, what in (("systems", _cmd_systems, "weapon systems and their published range figures"),
                             ("sites", _cmd_sites, "named launch sites (for --from)")):
        cmd = sub.add_parser(name, parents=[common], help=f"list the {what}",
                             description=f"List the {what} that georange ships (data/).")
        cmd.add_argument("--format", choices=("table", "json"), default="table", help="output format")
        cmd.set_defaults(func=func, parser=cmd)
    found = sub.add_parser(
        "places", parents=[common], help="show what a place name means: candidates with region, country, population",
        description=("Show the gazetteer places a name may mean (GeoNames places of 500 people or more, every "
                     "capital), likeliest first, with region, country, population and coordinates, and which one "
                     "georange takes for it. Exit status: 0 if the name means one place; 2 if it is unknown or "
                     "ambiguous (the reason on stderr, the candidates still on stdout), as reach, check and map "
                     "refuse the same name."),
    )
    found.add_argument("query", metavar="QUERY", nargs="?",
                       help="a place name in any language, optionally 'NAME, COUNTRY' or 'NAME, REGION' "
                            "('Springfield, IL', 'Perth, AU-WA', 'Augsburg, Bayern')")
    found.add_argument("--sets", action="store_true",
                       help="list the place sets (for --places) and country groups (for surveys' territories)")
    found.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    found.set_defaults(func=_cmd_places, parser=found)
    return parser


def _table(headers: Sequence[str], rows: list[list[str]], right: Sequence[int] = ()) -> str:
    """Return a plain text table (columns padded, numbers right-aligned)."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = (c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]).rstrip() + "\n"


def _cmd_systems(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import json

    from geo.reference.systems import SOURCE_KINDS, Figure, load_systems, withdrawn_systems

    def figure_record(f: Figure) -> dict[str, object]:
        return {"value_km": f.value_km, "interval_km": [f.low_km, f.high_km], "about": f.about,
                "source": f.source, "source_kind": f.source_kind, "note": f.note,
                "published": [{"value_km": p.value_km, "source": p.source, "source_kind": p.source_kind,
                               "in_interval": p.in_interval} for p in f.published],
                "state_claims_km": [p.value_km for p in f.state_claims]}

    def publisher(source: str) -> str:  # "Publisher (Agency), 'Headline', date, ...": the part before the first comma
        return source.split(".", 1)[0][:8] if source.startswith("seed ") else source.split(", ", 1)[0]

    def sources(*figures: Figure) -> str:  # the publishers of every figure, grouped by source kind
        by_kind: dict[str, list[str]] = {kind: [] for kind in SOURCE_KINDS}
        for f in figures:
            for kind, source in ((f.source_kind, f.source), *((p.source_kind, p.source) for p in f.published)):
                if source and kind in by_kind and publisher(source) not in by_kind[kind]:
                    by_kind[kind].append(publisher(source))
        return "; ".join(f"{kind}: {', '.join(names)}" for kind, names in by_kind.items() if names)

    def km(f: Figure) -> str:
        if not f.source and f.value_km == 0:
            return "-"  # no published minimum range
        head = f"{'~' if f.about else ''}{f.value_km:,.0f}"
        return f"{head} ({f.low_km:,.0f}-{f.high_km:,.0f})" if f.uncertain else head

    systems = load_systems()
    if args.format == "json":
        records = [{"key": s.key, "name": s.name, "kind": s.kind, "trajectory": s.trajectory or None,
                    "aliases": list(s.aliases), "notes": s.notes,
                    "max_km": s.max_km.value_km, "max_interval_km": [s.max_km.low_km, s.max_km.high_km],
                    "max_source": s.max_km.source, "max_source_kind": s.max_km.source_kind,
                    "min_km": s.min_km.value_km, "min_interval_km": [s.min_km.low_km, s.min_km.high_km],
                    "min_source": s.min_km.source, "min_source_kind": s.min_km.source_kind,
                    "max_figure": figure_record(s.max_km), "min_figure": figure_record(s.min_km)}
                   for s in systems.values()]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    rows = [[s.key, s.name, km(s.min_km), km(s.max_km),
             ", ".join(dict.fromkeys(f"{p.value_km:,.0f}" for f in (s.min_km, s.max_km) for p in f.state_claims)),
             sources(s.max_km, s.min_km)] for s in systems.values()]
    sys.stdout.write(_table(["key", "name", "min km (interval)", "max km (interval)", "state media km",
                             "sources by kind (in full: --format json)"],
                            rows, right=(2, 3, 4)))
    withdrawn = withdrawn_systems()
    if withdrawn:
        sys.stdout.write(f"\nnot listed, no range from an official, research or news source: {', '.join(withdrawn)}\n")
    return EXIT_OK


def _cmd_sites(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import json

    from geo.reference.places import load_sites

    sites = load_sites()
    if args.format == "json":
        records = [{"key": s.key, "name": s.name, "lat": s.lat, "lon": s.lon, "aliases": list(s.aliases),
                    "source": s.source} for s in sites.values()]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    rows = [[s.key, s.name, f"{s.lat:.4f}", f"{s.lon:.4f}", ", ".join(s.aliases)] for s in sites.values()]
    sys.stdout.write(_table(["key", "name", "lat", "lon", "aliases"], rows, right=(2, 3)))
    return EXIT_OK


def _cmd_place_sets(args: argparse.Namespace) -> int:
    import json

    from geo.reference.groups import describe_sets

    sets = describe_sets()
    if args.format == "json":
        records = [{"name": s.name, "kind": s.kind, "title": s.title, "size": s.size} for s in sets]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    rows = [[s.name, s.kind, f"{s.size:,}", s.title] for s in sets]
    sys.stdout.write(_table(["name", "holds", "size", "what"], rows, right=(2,)))
    return EXIT_OK


def _cmd_places(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Show the candidates of a name; exit 0 if it resolves, else 2 with the refusal on stderr, as ``reach`` does."""
    import json

    if args.sets:
        if args.query is not None:
            parser.error("give a QUERY or --sets, not both")
        return _cmd_place_sets(args)
    if args.query is None:
        parser.error("give a place name (QUERY), or --sets to list the place sets")
    from geo.errors import AmbiguousPlaceError, UnknownPlaceError
    from geo.reference.places import lookup_place, place_candidates

    candidates, chosen = place_candidates(args.query)
    refusal: GeoRangeError | None = None
    if chosen is None:
        try:
            lookup_place(args.query)
        except (UnknownPlaceError, AmbiguousPlaceError) as exc:
            refusal = exc
    verdict = f"{args.query!r} means {chosen.describe()}" if chosen is not None else ""
    if args.format == "json":
        records = [{"name": p.name, "country": p.country, "region": p.region, "region_name": p.region_name,
                    "lat": p.lat, "lon": p.lon, "population": p.population, "capital": p.is_capital,
                    "city": p.city, "geonameid": p.geonameid,
                    "chosen": chosen is not None and p.geonameid == chosen.geonameid} for p in candidates]
        resolution = verdict or " ".join(str(refusal).split())
        sys.stdout.write(json.dumps({"query": args.query, "resolution": resolution, "candidates": records},
                                    ensure_ascii=False, indent=1) + "\n")
    else:
        rows = [["*" if chosen is not None and p.geonameid == chosen.geonameid else "", p.name, p.region_label(),
                 p.country, f"{p.population:,}", "capital" if p.is_capital else "", f"{p.lat:.4f}", f"{p.lon:.4f}"]
                for p in candidates]
        headers = ["", "name", "region", "country", "population", "", "lat", "lon"]
        sys.stdout.write((_table(headers, rows, right=(4, 6, 7)) if rows else "") + (verdict + "\n" if verdict else ""))
    if refusal is not None:
        raise refusal  # one line on stderr and exit 2, as `reach --from/--place` give for the same name
    return EXIT_OK


class _NoBar(contextlib.nullcontext):  # type: ignore[type-arg]
    """The progress bar when none is shown: a context that ignores updates."""

    def __enter__(self) -> _NoBar:
        return self

    def update(self, n: int = 1) -> None:
        """Ignore ``n`` places done."""


def _progress(args: argparse.Namespace, total: Callable[[], int | None]):  # type: ignore[no-untyped-def]
    """Return a progress bar on stderr, shown only on a terminal and without --quiet, of ``total()`` places."""
    if args.quiet or not sys.stderr.isatty():  # no bar: tqdm is not even imported, the places not counted
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total(), unit=" places", unit_scale=True, file=sys.stderr, leave=False)


@contextlib.contextmanager
def _zone_progress(args: argparse.Namespace) -> Iterator[None]:
    """Show the share of the zones built, with the time left, when building them takes over a second.

    Only on a terminal and without --quiet, as the places bar.
    """
    if args.quiet or not sys.stderr.isatty():
        yield
        return
    from tqdm import tqdm

    from geo.analysis.zones import reporting

    with tqdm(total=100, desc="zones", delay=1.0, file=sys.stderr, leave=False,
              bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed} so far") as bar:
        def done(share: float) -> None:
            step = 100.0 * share - bar.n
            if step > 0:
                if bar.n + step >= 5.0:  # an estimate from the first few per cent is a guess: none until then
                    bar.bar_format = "{desc}: {percentage:3.0f}%|{bar}| {elapsed} so far, about {remaining} left"
                bar.update(step)

        with reporting(done):
            yield


def _cmd_reach(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from geo.analysis.streaming import iter_reach
    from geo.inputs.targets import count_targets
    from geo.outputs.atomic import check_writable, write_text
    from geo.outputs.stream import write_chunks

    options.check_band(args, parser)
    if args.format == "shapefile" and not (args.output or "").lower().endswith((".shp", ".zip")):
        parser.error("--format shapefile needs -o FILE.shp or -o FILE.zip (a zipped shapefile)")
    if args.output:
        check_writable(args.output, overwrite=args.overwrite)  # fail before the work, not after
    # iter_reach checks the band and the launch now, before the places are counted or read; the
    # progress bar it reports to exists by the time the first chunk is classified.
    # --place NAME (repeated) is a list of places, one each; --places SPEC is parsed by geo.inputs.targets.
    places = list(args.place) if args.place else options.places_spec(args, "capitals")
    chunks = iter_reach(places, list(args.launch), args.min_km, args.max_km, system=args.system,
                        distances=not args.status_only, chunk_rows=args.chunk_rows, dask=args.dask,
                        dask_workers=args.dask_workers, progress=lambda n: bar.update(n),
                        arrow=args.format == "csv" and not args.earth_rotation,  # a plain CSV file to CSV: no pandas
                        borders=args.borders, earth_rotation=args.earth_rotation)
    with _progress(args, lambda: count_targets(places)) as bar:
        with contextlib.closing(chunks):  # a Dask client lives as long as the iterator
            if args.format != "table":
                rows = write_chunks(chunks, args.format, args.output or sys.stdout, overwrite=args.overwrite)
            else:
                import pandas as pd

                result = pd.concat(list(chunks), ignore_index=True)
                rows = len(result)
    sources, band = chunks.sources, chunks.band
    if args.format == "table":
        from geo.outputs.tables import to_status_table, to_table
        from geo.reference.borders import borders_note

        earth = ""
        if args.earth_rotation:  # rotation (and the flight physics) imported only when asked for
            from geo.analysis.rotation import READ_AS

            earth = f"; on the turning Earth, {READ_AS}"
        title = "" if args.quiet else (
            f"Reach of {_band_text(args.system, band)} from "
            f"{' or '.join(s.label for s in sources)} (WGS84 geodesics; {borders_note(chunks.borders)}{earth})"
        )
        text = to_status_table(result, title) if args.status_only else to_table(result, title)
        if args.summary:
            text += "\n" + _summary_text(sources, band)
        if args.output:
            write_text(text, args.output, overwrite=args.overwrite)
        else:
            sys.stdout.write(text)
    elif args.summary:
        print(_summary_text(sources, band), end="", file=sys.stderr)
    _wrote(args, f"{_count(rows, 'row')} to {args.output}")
    return EXIT_OK


def _band_text(system: str | None, band) -> str:  # type: ignore[no-untyped-def]
    """Say the band as a title does, with the system that brought its figures and how its name was read.

    ``"Iskander-M, up to 500 km (iskander → Iskander-M)"``; a figure given
    beside the system is marked as the user's, with the published one.
    """
    if system is None:
        return band.span_text()
    from geo.analysis.bands import km_text
    from geo.reference.systems import lookup_system

    s = lookup_system(system)
    notes = [note for note in (s.read_as(system),) if note]
    for which, used, published in (("min", band.min_km, s.min_km.value_km), ("max", band.max_km, s.max_km.value_km)):
        if used != published:
            notes.append(f"{which} {km_text(used)} km as given, published {km_text(published)} km")
    return f"{s.name}, {band.phrase()}" + (f" ({'; '.join(notes)})" if notes else "")


def _count(n: int, noun: str) -> str:
    """Return ``"1 row"``, ``"2 rows"``, ``"1,000 rows"``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _wrote(args: argparse.Namespace, what: str) -> None:
    """Say on stderr what ``-o`` (or ``--png``, ``--svg``) wrote, unless ``-q``."""
    if args.output and not args.quiet:
        print(f"georange {args.command}: wrote {what}", file=sys.stderr)


def _emit(args: argparse.Namespace, text: str, rows: int) -> int:
    """Write a command's text to ``-o`` (atomically) or stdout, say what was written, and return success."""
    from geo.outputs.atomic import write_text

    if args.output:
        write_text(text, args.output, overwrite=args.overwrite)
    else:
        sys.stdout.write(text)
    _wrote(args, f"{_count(rows, 'row')} to {args.output}")
    return EXIT_OK


def _summary_text(sources, band) -> str:  # type: ignore[no-untyped-def]
    from geo.analysis.population import population_in_range

    p = population_in_range(sources, band)
    head = f"Gazetteer cities (15,000 people or more, GeoNames) by zone, {p.total_cities:,} in all:"
    return "\n".join([head, *("  " + line for line in p.lines())]) + "\n"


def _cmd_zone(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from geo.analysis.zones import zones
    from geo.outputs.zonefiles import check_output, write_zones

    options.check_band(args, parser)
    if not 1 <= args.precision <= 17:
        parser.error(f"--precision {args.precision}: expected 1 to 17 decimals")
    check_output(args.output, overwrite=args.overwrite)  # fail before the work, not after
    # What geo.zones(launch, min_km, max_km, system=...) gives from Python, the same call.
    with _zone_progress(args):
        result = zones(list(args.launch), args.min_km, args.max_km, system=args.system,
                       tolerance_m=args.tolerance_m, borders=args.borders, earth_rotation=args.earth_rotation)
    write_zones(result, args.output, overwrite=args.overwrite, precision=args.precision)
    roles = ", ".join(z.role + ("" if not z.geometry.is_empty else " (empty)")
                      for z in result)
    _wrote(args, f"{_count(len(result), 'zone')} ({roles}) to {args.output}")
    return EXIT_OK


def _cmd_distance(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import csv
    import io
    import json

    from geo.analysis.separation import COLUMNS, distances_from
    from geo.outputs.atomic import check_writable
    from geo.reference.borders import borders_note
    from geo.reference.names import as_asked

    if len(args.things) < 2:
        parser.error("give at least two places: the distance is from the first to each of the others")
    if args.output:
        check_writable(args.output, overwrite=args.overwrite)  # fail before the work, not after
    rows = distances_from(args.things[0], args.things[1:], borders=args.borders)
    if args.format == "json":
        text = json.dumps([r.record() for r in rows], ensure_ascii=False, indent=1) + "\n"
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r.record() for r in rows)
        text = buffer.getvalue()
    else:
        def at(lat: float, lon: float) -> str:
            return f"{lat:.4f}, {lon:.4f}"

        first = rows[0]
        targets = [as_asked(r.to_label, r.to_query) for r in rows]
        title = (f"Distance from {as_asked(first.from_label, first.from_query)} to "
                 f"{', '.join(targets[:-1]) + ' and ' if len(targets) > 1 else ''}{targets[-1]} "
                 f"(WGS84 geodesics; {borders_note(first.borders)})")
        cells = [[t, f"{r.min_km:,.1f}", at(r.min_from_lat, r.min_from_lon), at(r.min_to_lat, r.min_to_lon),
                  r.min_via, f"{r.max_km:,.1f}", at(r.max_from_lat, r.max_from_lon), at(r.max_to_lat, r.max_to_lon),
                  r.max_via] for t, r in zip(targets, rows, strict=True)]
        headers = ["to", "min km", "nearest from (lat, lon)", "nearest to (lat, lon)", "nearest via", "max km",
                   "farthest from (lat, lon)", "farthest to (lat, lon)", "farthest via"]
        text = ("" if args.quiet else title + "\n\n") + _table(headers, cells, right=(1, 5))
    return _emit(args, text, len(rows))


def _cmd_flight(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import csv
    import io
    import json
    import math

    from geo.analysis.flight import flight_times, minutes_text
    from geo.outputs.atomic import check_writable

    if args.output:
        check_writable(args.output, overwrite=args.overwrite)
    names: list[str] = []
    if args.places is not None:
        from geo.inputs.targets import load_targets

        table = load_targets(args.places, borders=args.borders)
        targets = [f"{lat!r},{lon!r}" for lat, lon in zip(table["lat"], table["lon"], strict=True)]
        names = [f"{n}, {c}" if c else str(n) for n, c in zip(table["name"], table.get("country", [""] * len(table)),
                                                              strict=True)]
    else:
        targets = [t.strip() for spec in args.targets for t in spec.split(";") if t.strip()]
    if not targets:
        parser.error("give a place (--to or --places)")
    rows = flight_times(list(args.launch), targets, args.system, max_km=args.max_km, boost_min=args.boost_min,
                        min_apogee_km=args.min_apogee_km, earth_rotation=args.earth_rotation,
                        borders=args.borders)
    if names:
        rows = [dataclasses.replace(r, target=n) for r, n in zip(rows, names, strict=True)]
    if args.format == "json":
        text = json.dumps([r.record() for r in rows], ensure_ascii=False, indent=1) + "\n"
    elif args.format == "csv":
        buffer = io.StringIO()
        flat = [r.flat_record() for r in rows]
        writer = csv.DictWriter(buffer, fieldnames=list(flat[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat)
        text = buffer.getvalue()
    else:
        first = rows[0]
        lo, hi = first.boost_s
        boost = f"{lo / 60:g}-{hi / 60:g} min" + (" (default)" if first.boost_source != "given" else "")

        def cell(t, r) -> str:  # type: ignore[no-untyped-def]
            if t is None:
                if r.distance_km == 0:
                    return "in the launch area"
                return "out of reach" if not r.reachable else f"none above {r.min_apogee_km:g} km"
            a, b = t.total_s(r.boost_s)
            low = " (below the minimum apogee)" if t.apogee_km < r.min_apogee_km - 0.05 else ""
            return f"{a / 60:.1f}-{b / 60:.1f} min, {t.apogee_km:,.0f} km up{low}"

        head = [f"Flight time of {first.what()}, total = free flight + boost {boost}",
                f"{'turning' if first.earth_rotation else 'still'} Earth; published range {first.max_km:,.0f} km "
                "read as the minimum-energy range over a still Earth; WGS84 geodesics"]
        def km(x: float, digits: int) -> str:  # tens of km and more to the stated digits, a short range to the metre
            return f"{x:,.{digits}f}" if x >= 10 or not math.isfinite(x) else f"{x:.3f}"

        cells = [[r.target_point(), km(r.distance_km, 1), km(r.reach_toward_km, 0),
                  cell(r.flattest, r), cell(r.min_energy, r), cell(r.lofted, r),
                  minutes_text(r.min_energy.free_s) if r.min_energy else "-"] for r in rows]
        headers = ["to (from)", "km", "reach toward, km", f"flattest (apogee >= {first.min_apogee_km:g} km)",
                   "minimum energy", "lofted", "min-energy free flight"]
        notes = [f"{r.target} is nearer than the {r.system}'s {r.min_km:,.0f} km minimum range: it flies there "
                 "only in theory" for r in rows if r.inside_min_range]
        text = (("" if args.quiet else "\n".join(head) + "\n\n") + _table(headers, cells, right=(1, 2))
                + "".join(f"{n}\n" for n in notes))
    return _emit(args, text, len(rows))


def _cmd_check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from geo.claims.verdicts import evaluate
    from geo.outputs import report
    from geo.outputs.atomic import check_writable, write_text

    if args.output:
        check_writable(args.output, overwrite=args.overwrite)
    loaded = _claims(args, parser)  # every file checked before any work or output
    claims, surveys = evaluate(loaded.claims, loaded.surveys, coverage=not args.no_coverage,
                               population=not args.no_population)
    render = {"json": report.to_json, "markdown": report.to_markdown, "table": report.to_table,
              "csv": report.to_csv, "geojson": report.to_geojson}[args.format]
    text = render(claims, surveys)
    if args.output:
        write_text(text, args.output, overwrite=args.overwrite)
        _wrote(args, f"{_count(len(claims), 'claim')} and {_count(len(surveys), 'survey')} to {args.output}")
        if not args.quiet:
            print(report.summary_line(claims), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK if all(r.holds for r in claims) else EXIT_FAILED


def _cmd_map(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from geo.outputs.atomic import check_writable
    from geo.outputs.mapcontent import map_content
    from geo.outputs.webmap import claim_map, save_map

    outputs = [(args.output, (".html", ".htm"), "--output"), (args.png, (".png",), "--png"),
               (args.svg, (".svg",), "--svg")]
    if not any(path for path, _, _ in outputs):
        parser.error("nothing to write: give -o FILE.html, --png FILE.png and/or --svg FILE.svg")
    for path, suffixes, flag in outputs:
        if path and not path.lower().endswith(suffixes):
            parser.error(f"{flag} {path}: expected a file name ending in {' or '.join(suffixes)}")
    for path, _, _ in outputs:
        if path:
            check_writable(path, overwrite=args.overwrite)  # fail before the work, not after
    with _zone_progress(args):
        content = map_content(_claims(args, parser), title=args.title)
    if args.output:
        save_map(claim_map(content, online_tiles=args.online_tiles), args.output, overwrite=args.overwrite)
    for path in (args.png, args.svg):
        if path:
            from geo.outputs.figure import save_figure  # matplotlib takes 0.5 s to import: only when asked

            save_figure(content, path, overwrite=args.overwrite)
    if not args.quiet:
        written = [path for path, _, _ in outputs if path]
        print(f"georange map: wrote {' and '.join(written)}: {content.title}", file=sys.stderr)
    return EXIT_OK


def _log_to_stderr(command: str, verbose: int) -> logging.Handler | None:
    """Show the library's log records (logger ``geo``) on stderr with ``-v`` (INFO) or ``-vv`` (DEBUG)."""
    if not verbose:
        return None
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"georange {command}: %(message)s"))
    log = logging.getLogger("geo")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    return handler


def _cache_scope(args: argparse.Namespace) -> contextlib.AbstractContextManager[object]:
    """Return the disk cache's scope for the command (a no-op with ``--no-cache``, and the module not imported)."""
    if not getattr(args, "cache", False):
        return contextlib.nullcontext()
    from geo.analysis import cache

    return cache.enabled()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)

    shown: list[str] = []

    def one_line(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        shown.append(f"georange {args.command}: warning: {' '.join(str(message).split())}")

    handler = _log_to_stderr(args.command, args.verbose)
    try:
        with warnings.catch_warnings():
            # Warnings that may make the answer wrong: always shown, one line each, after the run; a run
            # that fails shows only its error (the warnings were about an answer it does not give).
            warnings.simplefilter("always", GeoRangeWarning)
            warnings.showwarning = one_line
            with _cache_scope(args):
                status = int(args.func(args, args.parser))
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
    finally:
        if handler is not None:
            logging.getLogger("geo").removeHandler(handler)
