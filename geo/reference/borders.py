"""Border views: which ground counts as a state's territory (stub until the disputed-areas layer lands)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from geo.errors import InvalidRangeError

if TYPE_CHECKING:  # imported by the CLI at start-up: no numerical library here
    from shapely.geometry.base import BaseGeometry

__all__ = ["BORDER_VIEWS", "DEFAULT_BORDERS", "border_src", "borders_note", "check_borders", "territory"]

BORDER_VIEWS: Final = ("recognised", "controlled")
DEFAULT_BORDERS: Final = "recognised"


def check_borders(value: object, what: str = "borders") -> str:
    """Return the border view `value` names, or raise a one-line error."""
    if isinstance(value, str) and value.strip().lower() in BORDER_VIEWS:
        return value.strip().lower()
    raise InvalidRangeError(f"{what} {value!r}: expected one of {', '.join(BORDER_VIEWS)}")


def territory(iso_a3: str, borders: str) -> BaseGeometry:
    """Return a country's territory under a border view."""
    from geo.reference.places import _country_shape

    return _country_shape(iso_a3)[1]


def border_src(borders: str) -> str:
    """Return the data a border view is built from, with versions."""
    return "Natural Earth 5.1.1 admin-0"


def borders_note(borders: str) -> str:
    """Return one line naming the border view and its data."""
    return f"{borders} borders, {border_src(borders)}"
