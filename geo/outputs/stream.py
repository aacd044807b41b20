"""Write reach results chunk by chunk: memory stays bounded by one chunk, whatever the input size.

The text is exactly what :mod:`geo.outputs.tables` writes for the whole frame at
once (the tests check this), so a streamed CSV, JSON or GeoJSON file reads
back with :func:`geo.outputs.tables.read_reach` like any other.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from geo.errors import OutputError
from geo.outputs import tables as output
from geo.outputs.atomic import atomic_path

if TYPE_CHECKING:
    import pandas as pd
else:
    from geo.lazy import pandas as pd

__all__ = ["STREAM_FORMATS", "ChunkWriter", "write_chunks"]

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
        ``csv``, ``json``, ``geojson``, or ``shapefile`` (to a ``.shp`` or
        ``.zip`` path only; see :mod:`geo.outputs.shapefile`).

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

    def __init__(self, fh: TextIO, fmt: str, *, raw: BinaryIO | None = None) -> None:
        if fmt not in STREAM_FORMATS:
            raise OutputError(f"cannot stream {fmt!r}; expected one of {', '.join(STREAM_FORMATS)}")
        self.fh = fh
        self.fmt = fmt
        self.rows = 0
        self._raw = raw  # fh's binary buffer, when fh is UTF-8 without newline translation (see _put)
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
            self._put(body)
        else:
            opening = {"json": "[\n", "geojson": '{"type": "FeatureCollection", "features": [\n'}[self.fmt]
            self.fh.write((opening if self.rows == 0 else ",\n") + body)
        self.rows += len(df)

    def _put(self, text: str) -> None:
        """Write ``text``; a large one as UTF-8 bytes straight to the binary buffer when that is the same thing.

        Only for the files :func:`write_chunks` opens itself (UTF-8, no newline
        translation): the text layer costs about 3 ms a megabyte.
        """
        raw = self._raw
        if raw is None or len(text) < 1 << 16:
            self.fh.write(text)
            return
        self.fh.flush()
        raw.write(text.encode("utf-8"))

    def close(self) -> None:
        """Finish the document (an empty input gives an empty array or collection, or just no CSV rows)."""
        if self.fmt == "json":
            self.fh.write("\n]\n" if self.rows else "[]\n")
        elif self.fmt == "geojson":
            self.fh.write("\n]}\n" if self.rows else '{"type": "FeatureCollection", "features": [\n]}\n')


def write_chunks(
    chunks: Iterable[pd.DataFrame], fmt: str, out: str | Path | TextIO, *, overwrite: bool = False
) -> int:
    """Write result chunks as one CSV, JSON or GeoJSON document, or a shapefile; return the number of rows.

    Parameters
    ----------
    chunks : iterable of pandas.DataFrame
        E.g. :func:`geo.analysis.streaming.iter_reach`; consumed once.
    fmt : str
        ``csv``, ``json``, ``geojson``, or ``shapefile`` (to a ``.shp`` or
        ``.zip`` path only; see :mod:`geo.outputs.shapefile`).
    out : path or text stream
        A path is written atomically (:func:`~geo.outputs.atomic.atomic_path`);
        a stream (e.g. ``sys.stdout``) gets the document only once every chunk
        is done: it is spooled to a temporary file first, so an error in a
        late chunk leaves the stream untouched, not half-written.
    overwrite : bool, default False
        Replace an existing file.
    """
    if fmt == "shapefile":
        from geo.outputs.shapefile import write_shapefile

        if not isinstance(out, str | Path):
            raise OutputError("a shapefile is written to a file (.shp or .zip), not a stream")
        return write_shapefile((output.to_points(c) for c in chunks), out, overwrite=overwrite)
    if isinstance(out, str | Path):
        with atomic_path(out, overwrite=overwrite) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
            return _write_all(chunks, fmt, fh)
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        rows = _write_all(chunks, fmt, spool)
        spool.seek(0)
        shutil.copyfileobj(spool, out, 1 << 20)
    return rows


def _write_all(chunks: Iterable[pd.DataFrame], fmt: str, fh: TextIO) -> int:
    """Write every chunk; each is formatted and written on a second thread while the next one is computed.

    The chunks are written in order, one at a time; an error on either side
    stops the run once the write under way has finished (the caller then
    discards the partial file).
    """
    writer = ChunkWriter(fh, fmt, raw=fh.buffer)  # write_chunks opened fh: UTF-8, newline="" (no translation)
    with ThreadPoolExecutor(1, thread_name_prefix="georange-write") as pool:
        pending: Future[None] | None = None
        for chunk in chunks:
            if pending is not None:
                pending.result()
            pending = pool.submit(writer.write, chunk)
        if pending is not None:
            pending.result()
    writer.close()
    return writer.rows
