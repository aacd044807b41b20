"""Verdicts on many-part launches measure exactly only the parts that can decide something (issue 29).

geo.analysis.bands.essential_intervals leaves an island whose distances lie inside the mainland's with bounds
instead of exact distances. Checked against every part computed exactly: the exact entries are equal, the
bounded ones hold the true interval and lie inside an exact part's, every band gets the same status, margin
and deciding part, and every verdict (flips, critical value, robustness) is the one all-exact distances give.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from geo.analysis.bands import essential_intervals, source_intervals
from geo.analysis.launch import parse_launch
from geo.analysis.status import classify
from geo.claims import verdicts
from geo.claims.model import make_claim
from geo.reference.places import preset_places

LAUNCHES = {
    "Russia": ["RUS"],
    "Indonesia": ["IDN"],
    "USA and a site": ["USA", "krichev"],
    "Greece and a route": ["GRC", "route: 35N 25E; 38N 20E"],
}


@pytest.fixture(scope="module")
def targets():
    places = preset_places("capitals").sample(60, random_state=3)
    return places["lon"].to_numpy(float), places["lat"].to_numpy(float)


@pytest.mark.parametrize("name", list(LAUNCHES))
def test_bounded_parts_decide_nothing_for_any_band(name, targets):
    lon, lat = targets
    sources = [parse_launch(s) for s in LAUNCHES[name]]
    labels, near, far, exact = essential_intervals(sources, lon, lat)
    labels0, near0, far0 = source_intervals(sources, lon, lat)  # every part exactly
    assert labels == labels0
    assert np.array_equal(near[exact], near0[exact]) and np.array_equal(far[exact], far0[exact])
    assert (near[~exact] <= near0[~exact]).all() and (far[~exact] >= far0[~exact]).all()
    for j in range(lon.size):  # a bounded part lies strictly inside an exact part's exact interval
        held = exact[:, j]
        for k in np.flatnonzero(~held):
            assert ((near0[held, j] < near[k, j]) & (far0[held, j] > far[k, j])).any()
    assert (~exact).any(), "nothing was left out: the test shows nothing"
    rng = np.random.default_rng(len(name))
    lows = rng.uniform(0, 8e6, 300)
    highs = lows + rng.uniform(0, 8e6, 300)
    for low, high in zip(lows, highs, strict=True):
        got = classify(near, far, low, high)
        want = classify(near0, far0, low, high)
        assert all(np.array_equal(a, b) for a, b in zip(got, want, strict=True)), (low, high)


CLAIMS = [
    ("Berlin", "Russia", 0, {"value": 2000, "interval": [1400, 2600]}, "reachable"),
    ("Kyiv", "Russia", {"value": 700, "about": True}, 5000, "too_close"),
    ("Darwin", "Indonesia", 300, {"value": 500, "interval": [450, 800]}, "reachable"),
    ("Tokyo", "USA", {"value": 3000, "interval": [2500, 3500]}, 4000, "reachable"),
    ("Vladivostok", "Japan", 100, 1000, "reachable"),
    ("Istanbul", "Greece", 200, 400, "reachable"),
    ("Gdańsk", "RUS", 300, 500, "reachable"),
]


@pytest.mark.parametrize(("place", "launch", "min_km", "max_km", "expect"), CLAIMS)
def test_verdicts_are_those_of_every_part_exact(place, launch, min_km, max_km, expect, monkeypatch):
    claim = make_claim(place=place, expect=expect, launch=launch, min_km=min_km, max_km=max_km)
    fast = verdicts.evaluate_claim(claim, coverage=False).verdict

    def all_exact(sources, lon, lat):  # type: ignore[no-untyped-def]
        labels, near, far = source_intervals(sources, lon, lat)
        return labels, near, far, np.ones(near.shape, dtype=bool)

    monkeypatch.setattr(verdicts, "essential_intervals", all_exact)
    slow = verdicts.evaluate_claim(claim, coverage=False).verdict
    assert replace(fast, population=None) == replace(slow, population=None)
