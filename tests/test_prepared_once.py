"""A launch named by several claims is resolved and prepared once per process (issue 29, first step)."""

from __future__ import annotations

import geo
from geo.analysis.launch import parse_launch
from geo.claims.model import make_claim
from geo.reference import places


def test_a_named_launch_is_one_object_until_the_data_is_reloaded() -> None:
    first = parse_launch("Russia")
    assert parse_launch("RUS") is first  # another spelling: the same country, the same prepared parts
    assert parse_launch("Russia") is first and parse_launch(" Russia ") is first
    assert parse_launch("Russia", "controlled") is not first
    places.clear_caches()
    assert parse_launch("Russia") is not first


def test_claims_from_one_launch_share_its_prepared_parts() -> None:
    a = make_claim(place="Berlin", expect="reachable", launch="Belarus", max_km=1500, id="a")
    b = make_claim(place="Paris", expect="too_far", launch="Belarus", max_km=1500, id="b")
    (ra,), (rb,) = a.launch.sources, b.launch.sources
    assert ra is rb and ra.parts is rb.parts
    # The shared source gives the same verdicts as a source resolved alone.
    alone = geo.reach(["Berlin", "Paris"], geo.LaunchRegion(label="Belarus", geometry=ra.geometry), max_km=1500)
    assert [geo.evaluate_claim(c).verdict.nearest_km for c in (a, b)] == alone["min_km"].tolist()
