"""Write reach results chunk by chunk: memory stays bounded by one chunk, whatever the input size.

The text is exactly what :mod:`geo.outputs.tables` writes for the whole frame at
once (the tests check this), so a streamed CSV, JSON or GeoJSON file reads
back with :func:`geo.outputs.tables.read_reach` like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

import pandas as pd

from geo.outputs import tables as output

__all__ = ["STREAM_FORMATS", "ChunkWriter"]

STREAM_FORMATS = ("csv", "json", "geojson")


def _split(text: str, head: str, tail: str) -> str:
    """Return the body of ``text`` between a known ``head`` and ``tail``."""
    if not (text.startswith(head) and text.endswith(tail)):  # pragma: no cover - guards a change in geo.outputs.tables
        raise AssertionError(f"unexpected framing: {text[:40]!r}...{text[-40:]!r}")
    return text[len(head) : len(text) - len(tail)]


class ChunkWriter:
    """Write consecutive result frames to ``fh`` as one CSV, JSON array or GeoJSON FeatureCollection.

    Parameters
    ----------
    fh : text file
        Where to write (stdout or a temporary file renamed into place later).
    fmt : str
        ``csv``, ``json`` or ``geojson``.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> w = ChunkWriter(buf, "csv")
    >>> w.write(pd.DataFrame({"name": ["a"], "min_km": [1.5]}))
    >>> w.write(pd.DataFrame({"name": ["b"], "min_km": [2.0]}))
    >>> w.close()
    >>> print(buf.getvalue(), end="")
    name,min_km
    a,1.5
    b,2.0
    """

    def __init__(self, fh: TextIO, fmt: str) -> None:
        if fmt not in STREAM_FORMATS:
            raise ValueError(f"cannot stream {fmt!r}; expected one of {', '.join(STREAM_FORMATS)}")
        self.fh = fh
        self.fmt = fmt
        self.rows = 0
        self._body: Callable[[pd.DataFrame], str] = {
            "csv": self._csv,
            "json": lambda df: _split(output.to_json(df), "[\n", "\n]\n"),
            "geojson": lambda df: _split(
                output.to_geojson(df), '{"type": "FeatureCollection", "features": [\n', "\n]}\n"
            ),
        }[fmt]

    def _csv(self, df: pd.DataFrame) -> str:
        text = output.to_csv(df)
        return text if self.rows == 0 else text.split("\n", 1)[1]

    def write(self, df: pd.DataFrame) -> None:
        """Append the rows of ``df`` (same columns as the first chunk)."""
        if len(df) == 0:
            return
        body = self._body(df)
        if self.fmt == "csv":
            self.fh.write(body)
        else:
            opening = {"json": "[\n", "geojson": '{"type": "FeatureCollection", "features": [\n'}[self.fmt]
            self.fh.write((opening if self.rows == 0 else ",\n") + body)
        self.rows += len(df)

    def close(self) -> None:
        """Finish the document (an empty input gives an empty array or collection, or just no CSV rows)."""
        if self.fmt == "json":
            self.fh.write("\n]\n" if self.rows else "[]\n")
        elif self.fmt == "geojson":
            self.fh.write("\n]}\n" if self.rows else '{"type": "FeatureCollection", "features": [\n]}\n')
