"""Streaming :func:`geo.reach` over a place set of any size: :func:`iter_reach`, chunk by chunk, here or on Dask.

Above :mod:`geo.analysis.api` (whose :func:`~geo.analysis.api.reach` each
chunk runs) and :mod:`geo.analysis.distributed` (which runs it on Dask
workers), so that neither of those imports the other's caller.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.analysis.api import _borders_columns, _check_counts, _with_borders, as_sources, reach, resolve_band
from geo.analysis.bands import RangeBand
from geo.analysis.classifier import Classifier
from geo.analysis.launch import LaunchSource
from geo.analysis.status import STATUS_DTYPE_CATEGORIES
from geo.errors import InvalidRangeError
from geo.inputs.points import DEFAULT_CHUNK_ROWS
from geo.reference.borders import check_borders

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["ReachChunks", "iter_reach"]

log = logging.getLogger(__name__)


def iter_reach(
    places: str | Sequence[str],
    launch: Any,
    min_km: float | None = None,
    max_km: float | None = None,
    *,
    system: str | None = None,
    distances: bool = True,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    workers: int = 2,
    dask: bool | str = False,
    dask_workers: int = 2,
    progress: Callable[[int], None] | None = None,
    arrow: bool = False,
    borders: str = "recognised",
    earth_rotation: bool = False,
) -> ReachChunks:
    """Classify a place set of any size chunk by chunk: :func:`reach` over a preset or a file, streamed.

    What ``georange reach`` runs. The band, the launch and the options are
    checked now, so a bad one raises before any work; the places are then
    read (:func:`geo.inputs.targets.iter_targets`), classified and yielded
    one chunk at a time, so memory follows ``chunk_rows``, not the input.

    Parameters
    ----------
    places : str or list of str
        What ``--places`` takes (:func:`geo.inputs.targets.parse_targets`): a
        preset (``capitals``, ``european-capitals``, ``cities``), a place
        set (``nato-capitals``), a file of points (CSV, Parquet, GeoPackage,
        GeoJSON) or places separated by ``;``; or a list of places, one per
        entry (what ``--place`` repeated gives).
    launch, min_km, max_km, system, distances, workers, borders
        As for :func:`reach`.
    chunk_rows : int, default 1,000,000
        Places per chunk.
    dask : bool or str, default False
        Classify on Dask: True starts a local cluster of ``dask_workers``
        processes, a string is the address of an existing scheduler
        (``tcp://HOST:8786``). The client lives as long as the iterator:
        it is closed when the iterator is exhausted or closed (use
        ``contextlib.closing`` to close it early).
    dask_workers : int, default 2
        Worker processes of a local cluster.
    progress : callable, optional
        Called with the number of places done, as for :func:`reach`.
    arrow : bool, default False
        When ``places`` is a plain CSV file
        (:func:`geo.inputs.points.read_plain_csv`) and ``dask`` is off, yield
        ``pyarrow.Table`` chunks instead of frames: the same columns and
        values (``status`` and ``via`` dictionary-encoded), which
        :func:`geo.outputs.tables.to_csv` writes as it writes the frames.
        Neither reading nor classifying nor writing them imports pandas,
        about 0.15 s of a command's start-up. Other places give frames.
    earth_rotation : bool, default False
        Reach on the turning Earth (:mod:`geo.analysis.rotation`): each
        launch point's reach toward each place instead of ``max_km``, for a
        ballistic system from launch points; adds ``reach_km`` (the deciding
        launch point's reach toward the place). Not with ``dask``.

    Returns
    -------
    ReachChunks
        An iterator of frames, each chunk with the columns :func:`reach`
        adds (the index numbers the places from 0 across chunks), which also
        holds the resolved ``band`` and launch ``sources``.

    Raises
    ------
    InvalidRangeError, UnknownPlaceError, InputFileError, ClusterError
        For a bad band, launch, option or place set (at the call), or a bad
        row (when its chunk is read: earlier chunks have been yielded).

    Examples
    --------
    >>> [len(c) for c in iter_reach("european-capitals", "BLR", 700, 5000, chunk_rows=20)]
    [20, 20, 13]
    """
    _check_counts(chunk_rows=chunk_rows, dask_workers=dask_workers, workers=workers)
    band = resolve_band(min_km, max_km, system)
    borders = check_borders(borders)
    sources = as_sources(launch, borders)
    from geo.inputs.targets import parse_targets

    parse_targets(places)  # a spec of the wrong type or naming nothing raises now, not at the first chunk
    if earth_rotation:
        from geo.analysis.rotation import check_rotation

        check_rotation(sources, system)
        if dask:
            raise InvalidRangeError("--earth-rotation runs on this machine: leave out --dask")

    def run() -> Iterator[pd.DataFrame]:
        from geo.inputs.targets import iter_targets

        if earth_rotation:
            from geo.analysis.rotation import rotating_table

            for chunk in iter_targets(places, chunk_rows=chunk_rows, borders=borders):
                out = _with_borders(rotating_table(chunk, sources, band, distances=distances), borders)
                if progress is not None:
                    progress(len(chunk))
                yield out
            return

        log.info("classifying %s against %g-%g km from %s%s", places, band.min_km, band.max_km,
                 " or ".join(s.label for s in sources), " on Dask" if dask else "")

        if arrow and not dask:
            from geo.inputs.targets import plain_targets

            table = plain_targets(places)
            if table is not None and not set(table.column_names) & set(_RESULT_COLUMNS):
                classifier = Classifier(sources, band, workers=workers)
                for start in range(0, table.num_rows, chunk_rows):
                    yield _reach_table(table.slice(start, chunk_rows), classifier, distances, progress, borders)
                return
        chunks = iter_targets(places, chunk_rows=chunk_rows, borders=borders)
        if not dask:
            for chunk in chunks:
                log.debug("chunk of %d places", len(chunk))
                yield reach(chunk, sources, band.min_km, band.max_km, distances=distances, workers=workers,
                            progress=progress, borders=borders)
            return
        from geo.analysis.distributed import connect, reach_on_client
        from geo.inputs.targets import AREA_COLUMN

        with connect(dask if isinstance(dask, str) else None, n_workers=dask_workers) as client:
            for chunk in chunks:
                if AREA_COLUMN in chunk.columns:  # names with areas: a handful of rows, measured here
                    out = reach(chunk, sources, band.min_km, band.max_km, distances=distances, workers=workers,
                                borders=borders)
                else:
                    out = _with_borders(reach_on_client(client, chunk, sources, band, distances=distances), borders)
                if progress is not None:
                    progress(len(chunk))
                yield out

    return ReachChunks(run(), band, sources, borders)


_RESULT_COLUMNS = ("min_km", "max_km", "status", "margin_km", "via", "borders", "border_src")



def _reach_table(
    table: pa.Table, classifier: Classifier, distances: bool, progress: Callable[[int], None] | None, borders: str
) -> pa.Table:
    """:func:`reach` for places in an Arrow table (float64 ``lon`` and ``lat``), without pandas."""
    import pyarrow as pa

    from geo.lazy import arrow_strings, from_arrow, to_arrow

    lon, lat = from_arrow(table.column("lon")), from_arrow(table.column("lat"))
    statuses = arrow_strings(STATUS_DTYPE_CATEGORIES)
    if not distances:
        codes = classifier.status(lon, lat, progress=progress)
        table = table.append_column("status", pa.DictionaryArray.from_arrays(to_arrow(codes), statuses))
    else:
        cols, labels = classifier.table_codes(lon, lat, progress=progress)
        for key in ("min_km", "max_km"):
            table = table.append_column(key, to_arrow(cols[key]))
        table = table.append_column("status", pa.DictionaryArray.from_arrays(to_arrow(cols["status"]), statuses))
        table = table.append_column("margin_km", to_arrow(cols["margin_km"]))
        table = table.append_column("via", pa.DictionaryArray.from_arrays(to_arrow(cols["via"]),
                                                                          arrow_strings(labels)))
    zeros = to_arrow(np.zeros(table.num_rows, dtype=np.int8))
    for key, value in _borders_columns(borders).items():
        table = table.append_column(key, pa.DictionaryArray.from_arrays(zeros, arrow_strings([value])))
    return table


class ReachChunks(Iterator["pd.DataFrame"]):
    """The chunks of :func:`iter_reach`, with the band and launch sources they were classified against."""

    def __init__(self, chunks: Iterator[pd.DataFrame], band: RangeBand, sources: list[LaunchSource],
                 borders: str = "recognised") -> None:
        self._chunks = chunks
        self.band = band
        self.sources = sources
        self.borders = borders

    def __next__(self) -> pd.DataFrame:
        return next(self._chunks)

    def close(self) -> None:
        """Stop early: release what the run holds (a Dask client)."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()
