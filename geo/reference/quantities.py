"""Read a range figure as a person writes it: ``5000``, ``2,5``, ``1.500,5 km``, ``1,500 miles``, ``800 nmi``.

A figure is a number, optionally followed by a unit. The number is read
in every way a reader could read it, and a figure that two readings give
different values is **refused**, naming both, unless the writer has stated
how numbers are written (the *convention*, below). Nothing is guessed:
``5.000`` is five in Boston and five thousand in Amsterdam.

Numbers
-------
Digits, optionally a sign (``-``, ``+`` or ``−``), at most one **decimal
mark** (``.`` or ``,``) and **thousands groups**: the digits before the
decimal mark may be grouped in threes by one of ``.``, ``,``, a space
(also a no-break or thin space) or an apostrophe (``'``, ``’``); the first
group has 1-3 digits and does not start with 0, every further group has
exactly 3. An underscore between digits is ignored (``5_000``, as in
Python and TOML), and so is the exponent of ``5e3``. ``nan`` and ``inf``
are read as such (range checks refuse them with their own message).

So the same mark can be a decimal mark or a thousands separator, and

- ``700``, ``5000``, ``700.5``, ``2.5``, ``1,6``, ``0.500``, ``1234.567``,
  ``1.500,5``, ``1,500.5``, ``1.234.567`` have one reading each (a group
  has three digits; both marks present: the last is the decimal mark);
- ``5.000``, ``1.500``, ``12,500``, ``5,000`` have two (5 or 5000, ...);
- ``5 000`` is 5000 or two figures, 5 and 000; ``5'000`` is 5000 (Swiss
  grouping) or 5 (an apostrophe as the decimal mark, as some write by hand).

Conventions
-----------
A convention states the decimal mark; it is written as an example of one
thousand two hundred thirty-four and a half (:data:`CONVENTIONS`):
``1.234,5`` (also ``1 234,5``, or the words ``decimal-comma``) for a
decimal comma, ``1,234.5`` (also ``1 234.5``, ``1'234.5``,
``decimal-point``) for a decimal point. Under a convention every mark
other than the decimal one groups thousands, so of a figure's readings the
one that agrees with the convention is taken: under ``1.234,5``,
``2.000 km`` is 2000 km and ``5 000`` is 5000; under ``1,234.5``,
``1,500 miles`` is 1500 mi. A figure with one reading keeps it whatever the
convention (``2.5`` is 2.5 under both). The command line states one with
``--numbers`` (or ``--decimal-comma``/``--decimal-point``), a claim file
with ``numbers = "1.234,5"`` at its top. Without a stated convention a
figure of two readings is refused.

Units
-----
Case is ignored and a final ``.`` dropped; a figure without a unit is in
km. Conversions are exact (:data:`KM_PER_UNIT`, exact fractions; one
rounding, to the nearest float, at the end):

- ``km``: kilometre(s), kilometer(s) (also Dutch/German *kilometer*,
  *Kilometern*), км;
- ``m``: metre(s), meter(s), *Metern*: 0.001 km;
- ``mi``: mile(s), *mijl(en)*, *Meile(n)*: the international mile,
  exactly 1.609344 km;
- ``nmi``: ``NM``, nautical mile(s), *zeemijl(en)*, *Seemeile(n)*: the
  international nautical mile, exactly 1.852 km.

Examples
--------
>>> read_km("1500 miles"), read_km("1,500 miles", numbers=read_convention("1,234.5"))
(2414.016, 2414.016)
>>> read_km("2.000 km", numbers=read_convention("1.234,5")), read_km("800 nmi")
(2000.0, 1481.6)
>>> read_km("5.000")
Traceback (most recent call last):
...
geo.errors.InvalidRangeError: '5.000' can be read as 5000 ('.' grouping thousands) or as 5 ('.' as the decimal \
mark); write 5000 or 5
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from geo.errors import InvalidRangeError

__all__ = ["CONVENTIONS", "KM_PER_UNIT", "UNITS", "Quantity", "read_convention", "read_km", "read_quantity"]

DECIMAL_POINT: Final = "."
DECIMAL_COMMA: Final = ","

CONVENTIONS: Final = {
    "1,234.5": DECIMAL_POINT, "1 234.5": DECIMAL_POINT, "1'234.5": DECIMAL_POINT, "decimal-point": DECIMAL_POINT,
    "1.234,5": DECIMAL_COMMA, "1 234,5": DECIMAL_COMMA, "decimal-comma": DECIMAL_COMMA,
}
"""How a convention is stated, to its decimal mark."""

KM_PER_UNIT: Final = {"km": Fraction(1), "m": Fraction(1, 1000), "mi": Fraction("1.609344"), "nmi": Fraction("1.852")}
"""Kilometres per unit, exact: the international mile (1959) and nautical mile (1929)."""

UNITS: Final = {
    **dict.fromkeys(("km", "kms", "kilometer", "kilometers", "kilometre", "kilometres", "kilometern", "км"), "km"),
    **dict.fromkeys(("m", "metre", "metres", "meter", "meters", "metern"), "m"),
    **dict.fromkeys(("mi", "mile", "miles", "mijl", "mijlen", "meile", "meilen"), "mi"),
    **dict.fromkeys(("nmi", "nm", "nautical mile", "nautical miles", "zeemijl", "zeemijlen", "seemeile",
                     "seemeilen"), "nmi"),
}
"""Unit names as written (case-folded), to their symbol in :data:`KM_PER_UNIT`."""

_MARK_NAMES = {".": "'.'", ",": "','", " ": "a space", "'": "an apostrophe"}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2009\u2007"), " ")
_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u02bc\u2032"), "'")
_FIGURE = re.compile(
    r"(?P<sign>[+-]?)(?P<num>[0-9](?:[0-9.,' _]*[0-9])?)(?P<exp>[eE][+-]?[0-9]+)?"
    r"(?:[ ]*(?P<unit>[^\W\d_][^\d]*))?"
)
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_MAX_CHARS = 100
"""Longest number read (digits and marks): Fraction cannot read numbers of 4,300 digits, and none is a range."""
_GROUPED = "digits grouped in threes by '.', ',', a space or an apostrophe, then at most one decimal mark"


@dataclass(frozen=True)
class Quantity:
    """A figure as read: its number and its unit (``None`` when none was written).

    ``number`` is exact (a :class:`~fractions.Fraction`), or a float for
    ``nan`` and ``inf``.
    """

    number: Fraction | float
    unit: str | None = None

    @property
    def km(self) -> float:
        """The figure in kilometres, rounded once to the nearest float (a bare number is in km)."""
        if isinstance(self.number, float):
            return self.number
        try:
            return float(self.number * KM_PER_UNIT[self.unit or "km"])
        except OverflowError:  # as float("1e999"): range checks refuse it
            return math.inf if self.number > 0 else -math.inf


@dataclass(frozen=True)
class _Reading:
    """One way to read the digits and marks of a number."""

    whole: str
    fraction: str
    decimal: str | None  # the decimal mark, if any
    group: str | None  # the thousands separator, if any
    split: bool = False  # a space read as separating two figures

    @property
    def value(self) -> Fraction:
        return Fraction(f"{self.whole}.{self.fraction or 0}")

    @property
    def usable(self) -> bool:
        """Whether this reading may be taken: never an apostrophe as decimal mark or a split."""
        return not self.split and self.decimal != "'"

    def agrees(self, decimal: str) -> bool:
        """Whether the reading uses the marks as the convention of ``decimal`` does."""
        return self.usable and self.decimal in (None, decimal) and self.group != decimal

    def describe(self) -> str:
        if self.split:
            *first, last = self.whole.split()
            count = {2: "two", 3: "three"}.get(len(first) + 1, str(len(first) + 1))
            return f"as {count} figures, {', '.join(first)} and {last}"
        why = f"{_MARK_NAMES[self.decimal]} as the decimal mark" if self.decimal else \
            f"{_MARK_NAMES[self.group or ' ']} grouping thousands"
        return f"as {_plain(self.value)} ({why})"


def read_convention(text: str) -> str:
    """Return the decimal mark (``.`` or ``,``) of a stated convention such as ``1.234,5``.

    Raises
    ------
    InvalidRangeError
        If ``text`` is not one of :data:`CONVENTIONS`.
    """
    key = " ".join(str(text).translate(_SPACES).translate(_APOSTROPHES).split()).casefold()
    if key not in CONVENTIONS:
        raise InvalidRangeError(f"{text!r} is not a way of writing numbers: expected 1.234,5 (decimal comma) or "
                                "1,234.5 (decimal point)")
    return CONVENTIONS[key]


def read_quantity(text: str, numbers: str | None = None, *, name: str | None = None, hint: str = "") -> Quantity:
    """Read a figure with an optional unit (see the module docstring).

    Parameters
    ----------
    text : str
        The figure as written, e.g. ``"1,500 miles"``.
    numbers : {None, '.', ','}
        The stated decimal mark (:func:`read_convention`), or None if none
        was stated.
    name : str, optional
        How messages show the figure (default: ``repr(text)``).
    hint : str
        Where to state a convention, appended to the message for a figure
        of two readings (e.g. ``"give --numbers 1.234,5 or 1,234.5"``).

    Raises
    ------
    InvalidRangeError
        If the text is not a number with an optional known unit, or can be
        read two ways and no convention tells which.
    """
    shown = (repr(text) if len(str(text)) <= 60 else repr(str(text)[:57]) + "...") if name is None else name
    clean = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in str(text))
    clean = clean.translate(_SPACES).translate(_APOSTROPHES).replace("\u2212", "-").strip()
    if _NOT_FINITE.fullmatch(clean):
        return Quantity(float(clean))
    m = _FIGURE.fullmatch(clean)
    if m is None:
        if re.search(r"[0-9]", clean):
            raise InvalidRangeError(f"{shown} is not a number with a unit: expected {_GROUPED}, then a unit "
                                    "(1500 km, 2.000 km, 1,500 miles, 800 nmi)")
        raise InvalidRangeError(f"{shown} is not a number of kilometres")
    unit = None
    if m["unit"] is not None:
        written = " ".join(m["unit"].split()).casefold().removesuffix(".")
        if written not in UNITS:
            raise InvalidRangeError(f"{shown}: unknown unit {m['unit']!r}; expected km, m, mi (miles) or nmi "
                                    "(nautical miles)")
        unit = UNITS[written]
    sign = -1 if m["sign"] == "-" else 1
    num = m["num"]
    if len(num) > _MAX_CHARS:
        raise InvalidRangeError(f"{shown} is not a range figure: {len(num):,} digits and marks; expected at most "
                                f"{_MAX_CHARS}")
    if re.search(r"(?<![0-9])_|_(?![0-9])", num):
        raise InvalidRangeError(f"{shown} is not a number: an underscore may only stand between two digits")
    num = num.replace("_", "")
    if m["exp"]:
        if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", num):
            raise InvalidRangeError(f"{shown} is not a number: write an exponent after plain digits (1.5e3)")
        if len(m["exp"]) > 6:  # |exponent| >= 100,000: inf or 0 as float() reads it, not a giant Fraction
            return Quantity(sign * float(num + m["exp"]), unit)
        return Quantity(sign * Fraction(num + m["exp"]), unit)
    suffix = f" {m['unit']}" if m["unit"] else ""
    return Quantity(sign * _choose(_readings(num), numbers, shown, hint, suffix), unit)


def read_km(text: str, numbers: str | None = None, *, name: str | None = None, hint: str = "") -> float:
    """Read a figure with an optional unit and return it in kilometres (see :func:`read_quantity`)."""
    return read_quantity(text, numbers, name=name, hint=hint).km


# ---------------------------------------------------------------------------


def _readings(num: str) -> list[_Reading]:
    """Return every reading of digits and marks (without sign, unit or underscores)."""
    marks = {c for c in num if not c.isdigit()}
    out = []
    for decimal in [None, *sorted(marks & {".", ",", "'"})]:
        whole, fraction = num, ""
        if decimal is not None:
            if num.count(decimal) != 1:
                continue
            whole, fraction = num.split(decimal)
            if not (whole and fraction.isdigit()):
                continue
        grouped = _ungroup(whole)
        if grouped is not None:
            out.append(_Reading(grouped[0], fraction, decimal, grouped[1]))
    if marks == {" "}:
        out.append(_Reading(num, "", None, None, split=True))
    return out


def _ungroup(whole: str) -> tuple[str, str | None] | None:
    """Return the digits of a whole part and its thousands separator, or None if it is not grouped in threes."""
    if whole.isdigit():
        return whole, None
    marks = {c for c in whole if not c.isdigit()}
    if len(marks) != 1:
        return None
    group = marks.pop()
    head, *rest = whole.split(group)
    if not (1 <= len(head) <= 3 and head.isdigit() and head[0] != "0"):
        return None
    if not all(len(part) == 3 and part.isdigit() for part in rest):
        return None
    return "".join([head, *rest]), group


def _choose(readings: list[_Reading], numbers: str | None, shown: str, hint: str, suffix: str) -> Fraction:
    """Return the one value the readings allow, or raise naming them (``suffix``: the unit as written)."""
    usable = [r for r in readings if r.usable]
    if numbers is not None:
        agreeing = [r for r in usable if r.agrees(numbers)]
        if len(agreeing) == 1:
            return agreeing[0].value
        if len(usable) == 1:
            return usable[0].value
    elif len(readings) == 1 and usable:
        return usable[0].value
    if len(readings) < 2 or not usable:
        raise InvalidRangeError(f"{shown} is not a number: expected {_GROUPED} (5000, 1.500,5, 1,500.5, 2,5)")
    values = list(dict.fromkeys(_plain(r.value) + suffix for r in readings if not r.split))
    ways = " or ".join(r.describe() for r in readings)
    advice = f"write {' or '.join(values)}" + (f", or {hint}" if hint and numbers is None else "")
    raise InvalidRangeError(f"{shown} can be read {ways}; {advice}")


def _plain(value: Fraction) -> str:
    """Return a decimal ``value`` as digits that read one way only (``1.1250``, not ``1.125``)."""
    whole, fraction = divmod(abs(value), 1)
    digits = ""
    while fraction:  # a value read from decimal text ends
        fraction *= 10
        digits += str(math.floor(fraction))
        fraction -= math.floor(fraction)
    if len(digits) == 3 and 0 < whole < 1000:  # 1.125 could be 1125: 1.1250 cannot
        digits += "0"
    return ("-" if value < 0 else "") + str(whole) + (f".{digits}" if digits else "")
