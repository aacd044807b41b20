"""Options shared by the subcommands of ``georange``, each defined once (argparse parent parsers).

Every subcommand takes :func:`common` (``-q``, ``-v``); those that compute
a band take :func:`launch` and :func:`band`; those that write a file take
:func:`output`.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import NoReturn

__all__ = ["EXIT_USAGE", "Parser", "band", "band_given", "check_band", "common", "launch", "output", "places",
           "places_given", "places_spec", "positive_int"]

EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit 2."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # Southern and western coordinates start with '-': "--from -33.9,18.4"
        # is a value, not an option (argparse only knows plain negative numbers).
        self._negative_number_matcher = re.compile(r"^-(?:\.?\d|inf|nan)", re.IGNORECASE)

    def error(self, message: str) -> NoReturn:
        """Print ``message`` as one line with the program name and exit with status 2."""
        message = " ".join(message.split())  # argparse echoes values verbatim, line breaks included
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def number_of(unit: str) -> Callable[[str], float]:
    """Return an argparse type that reads a float and names ``unit`` when it cannot."""

    def parse(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit}") from None

    return parse


def positive_int(text: str) -> int:
    """Read a whole number of at least 1 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: must be at least 1")
    return value


km = number_of("kilometres")
metres = number_of("metres")


def common() -> Parser:
    """``-q`` and ``-v``, for every subcommand."""
    p = Parser(add_help=False)
    g = p.add_argument_group("messages")
    x = g.add_mutually_exclusive_group()
    x.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar, title or summary line; only warnings and errors on stderr")
    x.add_argument("-v", "--verbose", action="count", default=0,
                   help="say what is being done on stderr (-vv: in more detail)")
    return p


LAUNCH_HELP = ("launch source: a country (ISO alpha-3 or name), a site name, LAT,LON, or a file of polygons; "
               "repeat for 'from any of these'")


def launch(*, required: bool = True, help_text: str = LAUNCH_HELP) -> Parser:
    """``--from``, repeatable: the same on every subcommand."""
    p = Parser(add_help=False)
    p.add_argument("--from", dest="launch", action="append", required=required, metavar="SOURCE", help=help_text)
    return p


def band() -> Parser:
    """``--min-km``, ``--max-km`` and ``--system`` (whose figures fill the bounds not given): the same everywhere."""
    p = Parser(add_help=False)
    g = p.add_argument_group("range")
    g.add_argument("--min-km", type=km, default=None, help="minimum range in km (default 0, or the system's)")
    g.add_argument("--max-km", type=km, default=None,
                   help="maximum range in km (at most 20,004; required unless --system is given)")
    g.add_argument("--system", metavar="NAME",
                   help="a weapon system of data/systems.toml (e.g. oreshnik): its published range figures")
    return p


def places(help_text: str) -> Parser:
    """``--places SPEC`` or ``--place NAME`` (repeatable), not both; defaults: :func:`places_spec`."""
    p = Parser(add_help=False)
    g = p.add_argument_group("places").add_mutually_exclusive_group()
    # No default here: argparse only sees a clash when a value differs from the default.
    g.add_argument("--places", metavar="SPEC", help=help_text)
    g.add_argument("--place", action="append", metavar="NAME",
                   help="one place: a name (London; Kiev; Москва), a coordinate (54.63N 21.81E, "
                        "54°37'48\"N 21°48'36\"E) or NAME=LAT,LON; repeat for more")
    return p


def places_spec(args: argparse.Namespace, default: str) -> str:
    """Return the ``--places`` spec, with ``--place`` values joined into a list of names, or ``default``."""
    return "; ".join(args.place) if args.place else (default if args.places is None else args.places)


def places_given(args: argparse.Namespace) -> bool:
    """Whether ``--places`` or ``--place`` was given."""
    return bool(args.place) or args.places is not None


def band_given(args: argparse.Namespace) -> bool:
    """Whether any of the range options was given."""
    return any(v is not None for v in (args.min_km, args.max_km, args.system))


def check_band(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Refuse a band without a maximum (usage error, before any work)."""
    if args.max_km is None and not args.system:
        parser.error("--max-km is required (or give --system)")


def output(metavar: str, help_text: str, *, required: bool = False) -> Parser:
    """``-o/--output`` and ``--overwrite``."""
    p = Parser(add_help=False)
    p.add_argument("-o", "--output", metavar=metavar, required=required, help=help_text)
    p.add_argument("--overwrite", action="store_true", help="replace output files that exist")
    return p
