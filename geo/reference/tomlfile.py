"""Read TOML documents and check their fields with messages that say where.

Shared by the loaders of ``data/systems.toml``, ``data/groups.toml`` and
claim files. Every check raises the error class the caller chose (a shipped
data file is a :class:`~geo.errors.DataFileError`, a user's claim file a
:class:`~geo.errors.ClaimFormatError`), with a message that starts with the
location (``file, claim "id"``) and names the field, its value and what was
expected.

A distance (:meth:`Fields.number` with ``unit="km"``) may be a TOML number
or a string with a unit (``"1,500 miles"``, see
:mod:`geo.reference.quantities`). TOML reads ``5.000`` as the float 5.0,
which cannot tell that a German writer meant five thousand, so
:func:`load_toml` keeps the text of every float literal (:class:`Literal`)
and a distance written ``5.000`` is refused like the string ``"5.000"``,
unless the file states its convention (:attr:`Fields.numbers`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from geo.errors import GeoRangeError
from geo.reference.names import close_names
from geo.reference.quantities import read_km

__all__ = ["MAX_KEY_DEPTH", "MAX_TOML_BYTES", "Fields", "Literal", "load_toml"]

MAX_TOML_BYTES = 16 * 1024 * 1024
"""Refuse larger files: a hand-written claim or data file is a few kB."""

MAX_KEY_DEPTH = 32
"""Refuse dotted keys and table headers of more parts (``a.b.c...``).

tomllib's time and memory grow with the square of a key's depth: a 200 kB
line ``a.a.a... = 1`` needs tens of GB. georange's files nest at most 3 deep.
"""

# Strings and comments, blanked before looking for long dotted keys (dots in
# prose are not key separators). Every branch matches from its opening
# delimiter (an unterminated string runs to the end of its line or of the
# text), and quantifiers are possessive, so the scan is linear in the size of
# the file whatever it holds. A closing delimiter may carry up to two quotes.
_STRINGS_AND_COMMENTS = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]?|"(?!""))*+(?:"""(?:""?(?!"))?|\Z)'
    r"|'''[\s\S]*?(?:'''(?:''?(?!'))?|\Z)"
    r'|"(?:[^"\\\n]|\\.?)*+(?:"|$)'
    r"|'[^'\n]*+(?:'|$)"
    r"|#[^\n]*+",
    re.MULTILINE,
)
_DEEP_KEY = re.compile(rf"(?<![\w-])[\w-]++(?:[ \t]*+\.[ \t]*+[\w-]++){{{MAX_KEY_DEPTH},}}")


class Literal(float):
    """A TOML float that keeps its text as written (``5.000``, ``5_000.0``, ``5e3``) in :attr:`text`."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, text: str) -> Literal:  # noqa: D102 - tomllib's parse_float
        value = super().__new__(cls, text)
        value.text = text
        return value


def load_toml(path: str | Path, error: type[GeoRangeError]) -> dict[str, Any]:
    """Parse a TOML file, raising `error` with the file name on any fault.

    A UTF-8 byte-order mark (some Windows editors write one) is ignored.
    Floats are :class:`Literal`: a float that keeps its text.

    Raises
    ------
    error
        If the file is missing, a directory, larger than 16 MB, not UTF-8,
        not valid TOML (the parser's line and column are kept), or nests
        keys deeper than :data:`MAX_KEY_DEPTH` or arrays and inline tables
        deeper than Python's recursion limit.
    """
    p = Path(path)
    limit = f"limit {MAX_TOML_BYTES:,} bytes; a claim file is a few kB"
    try:
        if p.is_dir():
            raise error(f"{p}: is a directory, expected a TOML file")
        size = p.stat().st_size
        if size > MAX_TOML_BYTES:
            raise error(f"{p}: {size:,} bytes is too large for a TOML file ({limit})")
        with p.open("rb") as handle:  # bounded: /dev/zero, a pipe or a growing file has no trustworthy size
            raw = handle.read(MAX_TOML_BYTES + 1)
    except FileNotFoundError:
        raise error(f"{p}: no such file") from None
    except OSError as exc:
        raise error(f"{p}: cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_TOML_BYTES:
        raise error(f"{p}: more than {MAX_TOML_BYTES:,} bytes is too large for a TOML file ({limit})")
    if not raw.strip():
        raise error(f"{p}: empty file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{p}: not UTF-8 text (byte {exc.start}); expected TOML") from exc
    deep = _DEEP_KEY.search(_STRINGS_AND_COMMENTS.sub("_", text))
    if deep is not None:
        raise error(f"{p}: a key of more than {MAX_KEY_DEPTH} dotted parts ({_show(deep.group())}); expected TOML "
                    "nested a few levels deep")
    try:
        return tomllib.loads(text, parse_float=Literal)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{p}: not valid TOML: {exc}") from exc
    except RecursionError:
        raise error(f"{p}: arrays or inline tables nested too deeply; expected TOML nested a few levels deep") from None
    except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
        raise error(f"{p}: not valid TOML for georange: a number of more than "
                    f"{sys.get_int_max_str_digits():,} digits") from None


class Fields:
    """Typed access to one TOML table, with errors prefixed by ``where``.

    Parameters
    ----------
    table : mapping
        The parsed table.
    where : str
        Location prefix for messages, e.g. ``'claims/x.toml, claim "kyiv"'``.
    error : type
        The :class:`~geo.errors.GeoRangeError` subclass to raise.
    numbers : {None, '.', ','}
        The decimal mark the file states (``numbers = "1.234,5"``, see
        :func:`geo.reference.quantities.read_convention`), or None; read by
        :meth:`number` and passed on by :meth:`sub`.
    """

    def __init__(self, table: Any, where: str, error: type[GeoRangeError], numbers: str | None = None) -> None:
        if not isinstance(table, Mapping):
            raise error(f"{where}: expected a table, got {_kind(table)} {_show(table)}")
        self.table = table
        self.where = where
        self.error = error
        self.numbers = numbers

    def fail(self, message: str) -> GeoRangeError:
        """Return the error to raise for ``message`` at this location."""
        return self.error(f"{self.where}: {message}")

    def fail_from(self, exc: GeoRangeError, message: str) -> GeoRangeError:
        """Return an error of ``exc``'s own class for ``message`` at this location.

        Raise it ``from exc``: the location is added, the class is kept, so a
        caller can still ``except UnknownPlaceError`` around a file loader.
        """
        return type(exc)(f"{self.where}: {message}")

    def only(self, allowed: Iterable[str]) -> None:
        """Refuse keys outside ``allowed``, suggesting a close allowed name."""
        allowed = set(allowed)
        for key in self.table:
            if key not in allowed:
                hint = close_names(key, allowed)
                raise self.fail(f"unknown field {_show(key)}{hint} (expected: {', '.join(sorted(allowed))})")

    def has(self, key: str) -> bool:
        """Return whether ``key`` is present."""
        return key in self.table

    def require(self, key: str) -> Any:
        """Return the value of ``key``, which must be present."""
        if key not in self.table:
            raise self.fail(f"missing field {key!r}")
        return self.table[key]

    def text(self, key: str, default: str | None = None) -> str:
        """Return a non-empty string field (required unless ``default`` is given)."""
        if key not in self.table and default is not None:
            return default
        value = self.require(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key} {_show(value)} must be a non-empty string")
        return value.strip()

    def number(self, key: str, value: Any = None, *, unit: str = "km") -> float:
        """Return a finite number field (``value`` if given instead of the table's).

        A distance (``unit="km"``) may also be a string with a unit, read by
        :func:`~geo.reference.quantities.read_km` under :attr:`numbers`; a
        float is read from its text as written, so ``5.000`` is refused as
        5 or 5000 unless the file states its convention.
        """
        raw = self.require(key) if value is None else value
        written = raw.text if isinstance(raw, Literal) else raw
        if unit == "km" and isinstance(written, str) and any(c.isdigit() for c in written):
            name = f"{key} {written}" if isinstance(raw, Literal) else f"{key} {_show(raw)}"
            hint = 'state numbers = "1.234,5" (decimal comma) or "1,234.5" (decimal point) at the top of the file'
            try:
                raw = read_km(written, self.numbers, name=name, hint=hint)
            except GeoRangeError as exc:
                raise self.fail(str(exc)) from exc
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise self.fail(f"{key} {_show(raw)} must be a number of {unit}")
        if not math.isfinite(raw):
            raise self.fail(f"{key} {_show(raw)} must be a finite number of {unit}")
        return float(raw)

    def strings(self, key: str, *, allow_single: bool = True) -> list[str]:
        """Return a list of non-empty strings; a lone string is a list of one if ``allow_single``."""
        value = self.require(key)
        if isinstance(value, str) and allow_single:
            value = [value]
        if not isinstance(value, list) or not value:
            raise self.fail(f"{key} {_show(value)} must be a non-empty list of strings")
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{key} entry {_show(item)} must be a non-empty string")
        return [v.strip() for v in value]

    def sub(self, key: str, where: str | None = None) -> Fields:
        """Return the :class:`Fields` of the sub-table ``key``."""
        return Fields(self.require(key), f"{self.where}, {where or key}", self.error, self.numbers)


def _kind(value: Any) -> str:
    if isinstance(value, Literal):
        return "float"
    return {list: "a list", dict: "a table", str: "a string", bool: "a boolean"}.get(type(value), type(value).__name__)


def _show(value: Any, limit: int = 60) -> str:
    """Return a short printable form of a TOML value for messages (dates and floats as the file writes them)."""
    text = value.isoformat() if isinstance(value, dt.date | dt.time) else value.text if isinstance(
        value, Literal) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
