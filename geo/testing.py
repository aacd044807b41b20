"""Assertions for test authors: check geographic claims in pytest (or any test runner).

Each helper raises ``AssertionError`` with the numbers that decided: the
status, the nearest and farthest launch point, the margin and the value of
the range at which the verdict would flip.

Examples
--------
>>> from geo.testing import assert_reachable, assert_not_reachable
>>> result = assert_reachable("Warsaw", launch="Belarus", min_km=700, max_km=5000)
>>> f"margin {result.verdict.margin_km:.1f} km"
'margin 99.5 km'
>>> _ = assert_not_reachable("Kyiv", launch="Belarus", min_km=700, max_km=5000)
>>> assert_reachable("Kyiv", launch="Belarus", min_km=700, max_km=5000)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
AssertionError: Kyiv from Belarus (700-5,000 km): expected reachable, got too_close: 86.8-654.6 km away, ...
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from geo.analysis.status import Status
from geo.claims.model import NOT_REACHABLE, Claim, load_claims, make_claim
from geo.claims.verdicts import ClaimResult, evaluate_claim

__all__ = [
    "assert_claim_holds",
    "assert_claims_hold",
    "assert_mixed",
    "assert_not_reachable",
    "assert_reachable",
    "assert_too_close",
    "assert_too_far",
    "failure_message",
]


def failure_message(result: ClaimResult) -> str:
    """Return a one-line account of a claim's verdict with its numbers."""
    c, v = result.claim, result.verdict
    if v.timing is not None:
        return f"expected {c.expect}, got {v.outcome}: {v.timing.why}"
    crit = v.critical.describe(v.holds) if v.critical else "no value of either range figure changes it"
    band = c.band.span_text()
    if c.system is not None:  # the system that brought the figures, and how its name was read
        band = f"{c.system.name}, {band}" + (f"; {c.system_alias}" if c.system_alias else "")
    return (
        f"{c.place.name} from {c.launch.label} ({band}): expected {c.expect}, got {v.status}: "
        f"{v.nearest_km:,.1f}-{v.farthest_km:,.1f} km away, margin {v.margin_km:,.1f} km; {crit}"
    )


def assert_claim_holds(claim: Claim | ClaimResult, *, robust: bool = False) -> ClaimResult:
    """Assert that a claim holds (and, if ``robust``, over its figures' uncertainty); return its result."""
    result = claim if isinstance(claim, ClaimResult) else evaluate_claim(claim, coverage=False)
    if not result.holds:
        raise AssertionError(f"claim {result.claim.id!r}: {failure_message(result)}")
    if robust and not result.verdict.robust:
        c = result.claim
        raise AssertionError(
            f"claim {c.id!r} holds at the nominal figures but not over their uncertainty "
            f"(min {c.min_km.describe()}, max {c.max_km.describe()}): {failure_message(result)}"
        )
    return result


def assert_claims_hold(paths: Iterable[str | Path], *, robust: bool = False) -> list[ClaimResult]:
    """Assert that every claim in claim files (or directories of them) holds; report all failures at once."""
    results = [evaluate_claim(c, coverage=False) for c in load_claims(paths).claims]
    failed = [r for r in results if not r.holds or (robust and not r.verdict.robust)]
    if failed:
        lines = [f"{len(failed)} of {len(results)} claims fail:"]
        lines += [f"  {r.claim.id}: {failure_message(r)}" for r in failed]
        raise AssertionError("\n".join(lines))
    return results


def _assert(place: str, expect: str, launch: str | Sequence[str], min_km: float, max_km: float | None,
            system: str | None) -> ClaimResult:
    claim = make_claim(place=place, expect=expect, launch=launch, min_km=min_km, max_km=max_km, system=system)
    result = evaluate_claim(claim, coverage=False)
    if not result.holds:
        raise AssertionError(failure_message(result))
    return result


def assert_reachable(
    place: str, *, launch: str | Sequence[str], min_km: float | None = None, max_km: float | None = None,
    system: str | None = None,
) -> ClaimResult:
    """Assert that some launch point lies within ``[min_km, max_km]`` of ``place`` (or the system's range)."""
    return _assert(place, Status.REACHABLE, launch, min_km, max_km, system)  # type: ignore[arg-type]


def assert_not_reachable(
    place: str, *, launch: str | Sequence[str], min_km: float | None = None, max_km: float | None = None,
    system: str | None = None,
) -> ClaimResult:
    """Assert that no launch point lies within the range band of ``place``."""
    return _assert(place, NOT_REACHABLE, launch, min_km, max_km, system)  # type: ignore[arg-type]


def assert_too_close(
    place: str, *, launch: str | Sequence[str], min_km: float | None = None, max_km: float | None = None,
    system: str | None = None,
) -> ClaimResult:
    """Assert that every launch point is within the minimum range of ``place`` (the dead zone)."""
    return _assert(place, Status.TOO_CLOSE, launch, min_km, max_km, system)  # type: ignore[arg-type]


def assert_too_far(
    place: str, *, launch: str | Sequence[str], min_km: float | None = None, max_km: float | None = None,
    system: str | None = None,
) -> ClaimResult:
    """Assert that every launch point is beyond the maximum range of ``place``."""
    return _assert(place, Status.TOO_FAR, launch, min_km, max_km, system)  # type: ignore[arg-type]


def assert_mixed(
    place: str, *, launch: str | Sequence[str], min_km: float | None = None, max_km: float | None = None,
    system: str | None = None,
) -> ClaimResult:
    """Assert that no launch point is in the band of ``place``: some too close, the others too far."""
    return _assert(place, Status.MIXED, launch, min_km, max_km, system)  # type: ignore[arg-type]
