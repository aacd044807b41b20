"""The vocabulary of results: :class:`Status`, one name per outcome, and the reachability rule.

A status is a string-valued enum, so it compares equal to its value
(``Status.REACHABLE == "reachable"``), prints as it, and goes into JSON,
CSV and pandas as plain text; in bulk it is a one-byte code
(:attr:`Status.code`, :data:`STATUS_DTYPE` for pandas). Every module that
names a status uses this enum; :func:`classify` is the one place where the
rule that decides it is written (see :mod:`geo.analysis.bands` for the
semantics).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "STATUSES",
    "STATUS_DTYPE_CATEGORIES",
    "Status",
    "classify",
    "codes_of",
    "column_block",
    "listed_statuses",
    "status_codes",
    "status_names",
]

FloatArray = NDArray[np.float64]
Bound = float | FloatArray


class Status(enum.StrEnum):
    """The exact status of a place against launch sources and a range band.

    The members are in code order: ``list(Status)[code]``.
    """

    REACHABLE = "reachable"
    """Some launch point lies within ``[min_km, max_km]`` of the place (bounds inclusive)."""
    TOO_CLOSE = "too_close"
    """Every launch point of every source is nearer than ``min_km`` (the dead zone)."""
    TOO_FAR = "too_far"
    """Every launch point of every source is farther than ``max_km`` (beyond the reach)."""
    MIXED = "mixed"
    """No launch point is within the band: some are nearer than ``min_km``, the others farther than
    ``max_km``. Only a launch in several parts or from several sources can leave a place here (the
    distances from one connected area fill an interval)."""

    @property
    def code(self) -> int:
        """The one-byte code of the status in bulk arrays (its position in the enum)."""
        return _CODES[self]


STATUSES: Final = tuple(Status)
"""The statuses in code order."""

_CODES: Final = {s: i for i, s in enumerate(STATUSES)}
_BLOCK_ELEMENTS: Final = 65_536

STATUS_DTYPE_CATEGORIES: Final = [s.value for s in STATUSES]
"""The categories of the pandas ``status`` column, in code order."""


def listed_statuses(present: Iterable[str]) -> tuple[Status, ...]:
    """Return the statuses a summary or legend lists: the three any launch can give, and mixed when present.

    ``mixed`` needs a launch in several parts or from several sources, so most
    results never have it; listing it at 0 everywhere would only be noise.
    """
    shown = set(present)
    return tuple(s for s in STATUSES if s != Status.MIXED or s in shown)


def status_names(codes: NDArray[np.integer]) -> NDArray[np.str_]:
    """Return the status values (plain strings) of an array of status codes."""
    return np.asarray(STATUS_DTYPE_CATEGORIES)[np.asarray(codes, dtype=np.intp)]


def column_block(rows: int) -> int:
    """Columns per block for elementwise work on a (rows, targets) array: about 64k elements, in cache."""
    return max(256, _BLOCK_ELEMENTS // max(1, rows))


def _rule(nearest: FloatArray, farthest: FloatArray, low: Bound, high: Bound) -> tuple[NDArray, NDArray, NDArray]:
    """Return which parts reach each target, and whether every part is too close / too far: the rule."""
    reach = (nearest <= high) & (farthest >= low)
    all_close = np.asarray((farthest < low).all(axis=0))
    all_far = np.asarray((nearest > high).all(axis=0))
    return reach, all_close, all_far


def codes_of(any_reach: NDArray, all_close: NDArray, all_far: NDArray) -> NDArray[np.int8]:
    """Return the status codes for per-target outcomes of the rule (also used by the screened classifier)."""
    unreachable = np.where(all_close, Status.TOO_CLOSE.code, np.where(all_far, Status.TOO_FAR.code, Status.MIXED.code))
    return np.where(any_reach, Status.REACHABLE.code, unreachable).astype(np.int8)


def status_codes(nearest: FloatArray, farthest: FloatArray, low: Bound, high: Bound) -> NDArray[np.int8]:
    """Return each target's :attr:`Status.code` from per-part distance intervals.

    As :func:`classify` without the margins, for many bands at once: ``low``
    and ``high`` may be arrays along the target axis (one band per column).
    """
    reach, all_close, all_far = _rule(nearest, farthest, low, high)
    return codes_of(np.asarray(reach.any(axis=0)), all_close, all_far)


def classify(
    nearest: FloatArray, farthest: FloatArray, low: Bound, high: Bound
) -> tuple[NDArray[np.int8], FloatArray, NDArray[np.intp]]:
    """Decide each target's status from per-part distance intervals.

    The one implementation of the rule of :mod:`geo.analysis.bands`: a
    target is reachable when some part has ``nearest <= high`` and
    ``farthest >= low``; otherwise too close when every part has
    ``farthest < low``, too far when every part has ``nearest > high``, and
    mixed when some parts are too close and the others too far.

    Parameters
    ----------
    nearest, farthest : ndarray, shape (n_parts, n_targets)
        Each launch part's nearest and farthest distance to each target (a
        launch point has ``nearest == farthest``).
    low, high : float or ndarray of shape (n_targets,)
        The range band, bounds inclusive, in the unit of the distances
        (metres in the library); an array gives each column its own band.

    Returns
    -------
    code : ndarray of int8
        The :attr:`Status.code` of each target (:func:`status_names` turns
        codes into names).
    margin : ndarray
        Non-negative margin, in the unit of the distances: for a reachable
        target the most either bound could move against it before the best
        part stops reaching it; otherwise the smallest miss of any part
        (for a mixed target, how far the band is from reaching it from the
        nearer side).
    part : ndarray of int
        Index of the deciding part.
    """
    n = nearest.shape[1]
    block = column_block(nearest.shape[0])
    if n > block:  # in column blocks: (parts, targets) temporaries stay in cache (Russia has 213 parts)
        code, margin, part = np.empty(n, dtype=np.int8), np.empty(n), np.empty(n, dtype=np.intp)
        for s in range(0, n, block):
            sl = slice(s, s + block)
            lo, hi = (b[sl] if isinstance(b, np.ndarray) and b.ndim else b for b in (low, high))
            code[sl], margin[sl], part[sl] = classify(nearest[:, sl], farthest[:, sl], lo, hi)
        return code, margin, part
    reach, all_close, all_far = _rule(nearest, farthest, low, high)
    slack = np.where(reach, np.minimum(high - nearest, farthest - low), -np.inf)
    miss = np.where(reach, np.inf, np.where(nearest > high, nearest - high, low - farthest))
    any_reach = np.asarray(reach.any(axis=0))
    best_reach = slack.argmax(axis=0)
    best_miss = miss.argmin(axis=0)
    part = np.where(any_reach, best_reach, best_miss)
    cols = np.arange(reach.shape[1])
    margin = np.where(any_reach, slack[best_reach, cols], miss[best_miss, cols])
    return codes_of(any_reach, all_close, all_far), margin, part
