"""Options shared by the subcommands of ``georange``, each defined once (argparse parent parsers).

Every subcommand takes :func:`common` (``-q``, ``-v``); those that compute
a band take :func:`launch` and :func:`band`; those that write a file take
:func:`output`.

Range figures are read after every option is parsed (:meth:`Parser.parse_known_args`),
because ``--numbers`` may follow ``--max-km``: the figure is kept as typed
(:class:`Written`) and read once the convention is known
(:mod:`geo.reference.quantities`).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from typing import NoReturn

from geo.errors import GeoRangeError, InvalidRangeError
from geo.reference.quantities import read_convention, read_quantity

__all__ = ["EXIT_USAGE", "Parser", "band", "band_given", "borders", "check_band", "common", "launch", "output",
           "places", "places_given", "places_spec", "positive_int"]

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

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Parse, then read the range figures (:class:`Written`) under ``--numbers``."""
        parsed, extras = super().parse_known_args(args, namespace)
        if vars(parsed).pop("launch_required", False) and not getattr(parsed, "launch", None):
            self.error("one of the arguments --from --route is required")
        numbers = getattr(parsed, "numbers", None)
        for key, value in vars(parsed).items():
            if isinstance(value, Written):
                try:
                    setattr(parsed, key, value.km(numbers))
                except GeoRangeError as exc:
                    self.error(f"argument {value.option}: {exc}")
        return parsed, extras


NUMBERS_HINT = "give --numbers 1.234,5 (decimal comma) or --numbers 1,234.5 (decimal point)"


class Written(str):
    """A range figure as typed on the command line, read once ``--numbers`` is known.

    ``option`` names the option (for messages); ``units`` says whether it
    takes a unit (``--max "1,500 miles"``) or plain kilometres (``--max-km``).
    """

    option: str
    units: bool

    def km(self, numbers: str | None) -> float:
        """Return the figure in km, read under the decimal mark ``numbers`` (None: not stated)."""
        quantity = read_quantity(str(self), numbers, hint=NUMBERS_HINT)
        if not self.units and quantity.unit not in (None, "km"):
            plain = self.option.removesuffix("-km")
            raise InvalidRangeError(f"{str(self)!r} is not in kilometres: {self.option} takes a number of km; "
                             f"give {plain} {str(self)!r} for a figure with its unit")
        return quantity.km


def written(option: str, *, units: bool) -> Callable[[str], Written]:
    """Return an argparse type that keeps a range figure as typed, for ``option``."""

    def keep(text: str) -> Written:
        value = Written(text)
        value.option, value.units = option, units
        return value

    return keep


MIN_KM, MIN, MAX_KM, MAX = (written(o, units=u) for o, u in
                             (("--min-km", False), ("--min", True), ("--max-km", False), ("--max", True)))


def numbers_convention(text: str) -> str:
    """Read ``--numbers`` (argparse type): the decimal mark of a stated convention."""
    try:
        return read_convention(text)
    except GeoRangeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def number_of(unit: str) -> Callable[[str], float]:
    """Return an argparse type that reads a float and names ``unit`` when it cannot."""

    def parse(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit}") from None

    return parse


def minutes_band(text: str) -> tuple[float, float]:
    """Read a band of minutes, ``LOW-HIGH`` (``1.5-4.5``) or one number (argparse type)."""
    parts = text.replace("–", "-").split("-")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a band of minutes such as 1.5-4.5") from None
    if len(values) == 1:
        values *= 2
    if len(values) != 2 or not 0 <= values[0] <= values[1] < 60:
        raise argparse.ArgumentTypeError(f"{text!r}: expected LOW-HIGH minutes, 0 <= LOW <= HIGH < 60")
    return values[0], values[1]


def positive_int(text: str) -> int:
    """Read a whole number of at least 1 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: must be at least 1")
    return value


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
    c = p.add_argument_group("cache")
    c.add_argument("--no-cache", dest="cache", action="store_false",
                   help="neither read nor write the cache of zones and prepared launch areas kept between runs "
                        "($GEORANGE_CACHE_DIR, else $XDG_CACHE_HOME/georange or ~/.cache/georange)")
    return p


LAUNCH_HELP = ("launch source: a country (ISO alpha-3 or name), a site name, LAT,LON, or a file of polygons "
               "(an area), lines (a route) or points (launch sites); repeat for 'from any of these'")
ROUTE_HELP = ("launch route: every point along geodesics through 'LAT,LON; LAT,LON; ...' (any coordinate "
              "notation, NAME=LAT,LON, sites or cities), optionally named 'NAME: LAT,LON; ...'; repeatable, "
              "and combines with --from")


def route_spec(text: str) -> str:
    """Read ``--route`` (argparse type) into the launch grammar's route: ``route [NAME]: A; B; ...``."""
    name, colon, rest = text.partition(":")  # no coordinate notation uses ':'
    if colon and ";" not in name:  # "Barents patrol: 69N 33E; 72N 40E"
        name = name.strip()
        return f"route {name}: {rest}" if name and name.casefold() != "route" else f"route: {rest}"
    return f"route: {text}"


def launch(*, required: bool = True, help_text: str = LAUNCH_HELP) -> Parser:
    """``--from`` and ``--route``, repeatable, into one list of launch sources: the same on every subcommand.

    With ``required``, one of them must be given.
    """
    p = Parser(add_help=False)
    p.add_argument("--from", dest="launch", action="append", metavar="SOURCE", help=help_text)
    p.add_argument("--route", dest="launch", action="append", type=route_spec, metavar="'LAT,LON; LAT,LON'",
                   help=ROUTE_HELP)
    if required:
        p.set_defaults(launch_required=True)
    return p


def border_view(text: str) -> str:
    """Read ``--borders`` (argparse type): a border view of :mod:`geo.reference.borders`."""
    from geo.reference.borders import check_borders

    try:
        return check_borders(text, "--borders")
    except GeoRangeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def borders(*, claims: bool = False) -> Parser:
    """``--borders VIEW``: whose territory a country is (recognised or controlled borders)."""
    p = Parser(add_help=False)
    extra = (" (for claims and claim files that do not say; their own 'borders' wins)" if claims else "")
    p.add_argument("--borders", type=border_view, default=None if claims else "recognised", metavar="VIEW",
                   help="which ground counts as a country's territory: 'recognised' (default; Natural Earth "
                        "admin-0 as shipped) or 'controlled' (disputed and breakaway areas count for the state "
                        "that administers them: Crimea for Russia, the Paracel Islands for China)" + extra)
    return p


def band() -> Parser:
    """``--min-km``, ``--max-km`` and ``--system`` (whose figures fill the bounds not given): the same everywhere.

    ``--min``/``--max`` give a bound with its unit instead (either form of a
    bound, not both; both land in ``min_km``/``max_km``, in km), and
    ``--numbers`` (or ``--decimal-comma``/``--decimal-point``) states how
    their numbers are written.
    """
    p = Parser(add_help=False)
    g = p.add_argument_group("range")
    lo = g.add_mutually_exclusive_group()
    lo.add_argument("--min-km", type=MIN_KM, default=None, metavar="KM",
                    help="minimum range in km (default 0, or the system's)")
    lo.add_argument("--min", dest="min_km", type=MIN, default=None, metavar="FIGURE",
                    help="minimum range with its unit: '800 nmi', '1,500 miles', '2.000 km' (km, m, mi, nmi)")
    hi = g.add_mutually_exclusive_group()
    hi.add_argument("--max-km", type=MAX_KM, default=None, metavar="KM",
                    help="maximum range in km (at most 20,004; required unless --system is given)")
    hi.add_argument("--max", dest="max_km", type=MAX, default=None, metavar="FIGURE",
                    help="maximum range with its unit, like --min")
    conv = g.add_mutually_exclusive_group()
    conv.add_argument("--numbers", type=numbers_convention, default=None, metavar="STYLE",
                      help="how the range figures are written: 1.234,5 (decimal comma: 5.000 is five thousand) "
                           "or 1,234.5 (decimal point); without it, a figure that reads two ways (5.000, 12,500, "
                           "5 000) is refused")
    conv.add_argument("--decimal-comma", dest="numbers", action="store_const", const=",",
                      help="the same as --numbers 1.234,5")
    conv.add_argument("--decimal-point", dest="numbers", action="store_const", const=".",
                      help="the same as --numbers 1,234.5")
    g.add_argument("--system", metavar="NAME",
                   help="a weapon system of data/systems.toml (e.g. oreshnik): its published range figures")
    g.add_argument("--earth-rotation", action="store_true",
                   help="a ballistic missile's reach on the turning Earth: farther east, shorter west (launch "
                        "points only; the published maximum read as the minimum-energy range over a still Earth)")
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
