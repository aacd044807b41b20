"""Claim files and helpers shared by the map tests (test_webmap.py, test_browser.py).

- ``ANTIMERIDIAN``: a launch in Chukotka whose 700-5,000 km zones cross the
  antimeridian and hold the North Pole, with one place on each side.
- ``HOSTILE``: every free-text field a claim file has (title, text, source,
  scenario label) set to markup that would run script if it were not
  escaped; ``HOSTILE_STRINGS`` lists what must never appear unescaped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ANTIMERIDIAN = """
title = "Test: a launch in Chukotka (antimeridian and North Pole)"

[source]
article = "synthetic.txt"
date = "2026-01"

[[claim]]
id = "anadyr-anchorage"
text = "Anchorage is in reach from Anadyr."
from = "64.7342,177.5103"
min_km = 700
max_km = 5000
place = "Anchorage"
expect = "reachable"

[[claim]]
id = "anadyr-itself"
text = "Anadyr is too close to its own launch point."
from = "64.7342,177.5103"
min_km = 700
max_km = 5000
place = "Anadyr"
expect = "too_close"

[[claim]]
id = "anadyr-honolulu-fails"
text = "Honolulu is in reach (it is not: this claim fails on purpose)."
from = "64.7342,177.5103"
min_km = 700
max_km = 5000
place = "Honolulu"
expect = "reachable"
"""

HOSTILE_STRINGS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "</script><script>alert(3)</script>",
    '"><svg onload=alert(4)>',
    "`${alert(5)}`",
)

HOSTILE = f"""
title = {json.dumps("Hostile " + HOSTILE_STRINGS[2])}

[source]
article = {json.dumps(HOSTILE_STRINGS[3])}
date = "2026-01"

[[claim]]
id = "hostile-text"
text = {json.dumps("Warsaw " + HOSTILE_STRINGS[0] + " " + HOSTILE_STRINGS[1] + " " + HOSTILE_STRINGS[4])}
from = "krichev"
scenarios = {{ {json.dumps(HOSTILE_STRINGS[1])} = "Belarus" }}
min_km = 100
max_km = 1000
place = "Warsaw"
expect = "reachable"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def named_geojson_layers(html: str) -> dict[str, dict]:
    """Return the data of every ``L.geoJSON(...)`` layer by the name the page registers it under."""
    decoder = json.JSONDecoder()
    layers = {}
    for m in re.finditer(r"L\.geoJSON\(", html):
        data, end = decoder.raw_decode(html, m.end())
        name = re.compile(r"georange\.layers\[").search(html, end)
        key, _ = decoder.raw_decode(html, name.end())
        layers[key] = data
    return layers
