"""Render reach results for people (table) and programs (JSON, CSV).

JSON and CSV keep full float precision (Python's shortest round-trip
representation); the table rounds to 0.1 km and sorts by distance.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["to_csv", "to_json", "to_table"]

_TABLE = (("name", "place"), ("country", "country"), ("min_km", "min km"), ("max_km", "max km"),
          ("status", "status"), ("margin_km", "margin km"), ("via", "from"))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(df: pd.DataFrame) -> str:
    """Return a JSON array with one object per row, floats at full precision."""
    records = [{k: _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def to_csv(df: pd.DataFrame) -> str:
    """Return CSV text with a header row, floats at full precision."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(df.columns)
    for row in df.itertuples(index=False):
        w.writerow(["" if _plain(v) is None else repr(_plain(v)) if isinstance(_plain(v), float) else v for v in row])
    return buf.getvalue()


def to_table(df: pd.DataFrame, title: str = "") -> str:
    """Return an aligned text table sorted by nearest distance, distances in km to 0.1."""
    d = df.sort_values(["min_km", "name"], kind="stable")
    cols = [(k, h) for k, h in _TABLE if k in d.columns]
    cells = [[h for _, h in cols]]
    for row in d.itertuples(index=False):
        r = row._asdict()
        cells.append([f"{r[k]:,.1f}" if isinstance(r[k], float) else str(r[k]) for k, _ in cols])
    width = [max(len(c[i]) for c in cells) for i in range(len(cols))]
    numeric = [k.endswith("_km") for k, _ in cols]
    lines = []
    for n, c in enumerate(cells):
        line = "  ".join(v.rjust(w) if num and n else v.ljust(w) for v, w, num in zip(c, width, numeric, strict=True))
        lines.append(line.rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in width))
    counts = d["status"].value_counts()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("reachable", "too_close", "too_far"))
    head = [title, ""] if title else []
    return "\n".join([*head, *lines, "", f"{len(d)} places: {summary}"]) + "\n"
