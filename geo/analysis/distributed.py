"""The same classification as :func:`geo.reach` on Dask partitions (dask-geopandas).

:func:`reach_dask` takes a ``dask_geopandas.GeoDataFrame`` (or a dask
DataFrame with ``lon``/``lat`` columns, or an in-memory frame, which it
partitions) and returns a lazy collection: every partition gets exactly the
columns :func:`geo.analysis.api.reach` adds, computed by :func:`geo.analysis.api.reach`
itself, so the statuses and distances are identical to the single-process
path, bit for bit (the tests compare them on a two-worker cluster).

This module needs the optional dependencies: ``pip install 'georange[dask]'``
(dask-geopandas and distributed). Without them :func:`reach_dask` and
:func:`connect` raise :class:`DaskMissingError`; importing the module works
either way.

Using an existing cluster
-------------------------
Start a scheduler and workers wherever the data lives, with georange
installed in the same version on every machine (the workers import
:mod:`geo`)::

    dask scheduler                           # prints tcp://10.0.0.5:8786
    dask worker tcp://10.0.0.5:8786          # on each worker machine

then connect and compute::

    from geo.analysis.distributed import connect, reach_dask
    import dask_geopandas

    client = connect("tcp://10.0.0.5:8786")  # connect(None): a local cluster
    targets = dask_geopandas.read_parquet("s3://bucket/targets/")
    result = reach_dask(targets, "BLR", 700, 5000)
    result.to_parquet("s3://bucket/reach/")  # or result.compute() if it fits in memory
    client.close()

``reach_dask`` only builds the graph; whatever computes it (the client made
current by :func:`connect`, or Dask's default threads) runs it.

How the launch reaches the workers
----------------------------------
The launch is resolved once, on the client, so a bad launch or band raises
at call time rather than inside a worker. What is shipped is a small
hashable spec: each launch point as its label and coordinates, each launch
area as its label and WKB (the exact geometry the client resolved, so the
workers need no data files and cannot disagree with the client about a
border). The spec is one task of the graph that every partition depends on,
so a worker fetches it once, however many partitions it runs. Each worker
thread rebuilds the launch sources from it once and keeps them, with their
prepared boundary indexes, in a small per-thread cache (per thread because
GEOS prepared geometries must not be queried from two threads at once); a
partition then costs only its own targets.
"""

from __future__ import annotations

import importlib
import math
import threading
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import pandas as pd
import shapely

from geo.analysis.api import as_sources, reach, resolve_band, target_lonlat
from geo.analysis.bands import RangeBand
from geo.analysis.classifier import Classifier
from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchRoute, LaunchSource
from geo.errors import ClusterError, DaskMissingError
from geo.reference.borders import check_borders

if TYPE_CHECKING:
    import dask.dataframe as dd
    from distributed import Client

__all__ = ["PARTITION_ROWS", "ClusterError", "DaskMissingError", "connect", "reach_dask", "reach_on_client"]

PARTITION_ROWS: Final = 262_144
"""Rows per partition when :func:`reach_dask` partitions an in-memory frame
(four of :data:`geo.analysis.classifier.CHUNK`): large enough that the per-task overhead
(milliseconds) is negligible, small enough that many partitions keep every
worker busy."""

_INSTALL_HINT = "pip install 'georange[dask]'"


# -- optional imports -----------------------------------------------------------


def _require(module: str) -> Any:
    """Import and return an optional Dask module, or raise :class:`DaskMissingError`."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise DaskMissingError(f"the distributed path needs {exc.name or module}: {_INSTALL_HINT}") from exc


# -- cluster ------------------------------------------------------------------------


def connect(
    scheduler: str | None = None,
    *,
    n_workers: int = 2,
    threads_per_worker: int = 1,
    timeout_s: float = 10.0,
) -> Client:
    """Return a Dask client of an existing scheduler, or of a new local cluster.

    The client becomes Dask's default, so ``reach_dask(...).compute()`` runs on it.

    Parameters
    ----------
    scheduler : str, optional
        The scheduler's address, e.g. ``"tcp://10.0.0.5:8786"``. None starts a
        ``LocalCluster`` of worker processes on this machine, closed with the
        client; its dashboard listens on a free port of 127.0.0.1
        (``client.dashboard_link``).
    n_workers, threads_per_worker : int, default 2 and 1
        The local cluster's size (ignored with ``scheduler``). One thread per
        process suits the classification: it is numerical work, Dask runs one
        partition per thread, and each thread prepares its own copy of a
        launch area (see the module notes).
    timeout_s : float, default 10
        How long to try to reach ``scheduler``, in seconds.

    Returns
    -------
    distributed.Client
        Close it (``client.close()``, or use it as a context manager) when done.

    Raises
    ------
    ClusterError
        If the scheduler cannot be reached within ``timeout_s``, the address
        is malformed, or the service there is not a Dask scheduler.
    DaskMissingError
        If distributed is not installed.

    Notes
    -----
    ``timeout_s`` bounds the connection attempts (a refused connection is
    retried until then); a service that accepts the connection and then
    stays silent can hold the handshake longer, since distributed waits for
    its first message.
    """
    distributed = _require("distributed")
    _require("dask_geopandas")  # workers need it too; fail here, not at the first task
    if scheduler is None:
        return distributed.Client(
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            processes=True,
            # A free local port: the scheduler's web server (dashboard, health
            # routes) starts even with None, on 8787, warning if that is taken.
            dashboard_address="127.0.0.1:0",
        )
    address = scheduler.strip()
    try:
        return distributed.Client(address, timeout=timeout_s)
    except (ValueError, TypeError) as exc:
        raise ClusterError(
            f"dask scheduler {scheduler!r} is not a scheduler address ({_first_line(exc)}): expected e.g. tcp://HOST:8786"
        ) from exc
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"dask scheduler {scheduler!r}: cannot connect within {timeout_s:g} s ({_first_line(exc)}); "
            "is a scheduler running there (dask scheduler) and reachable from here?"
        ) from exc
    except MemoryError:
        # A service that is not a Dask scheduler (one that speaks first, e.g. SSH)
        # sends bytes that distributed reads as an absurd frame length.
        raise ClusterError(
            f"dask scheduler {scheduler!r}: the service there did not answer as a Dask scheduler"
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- classification ---------------------------------------------------------------------

# A launch as shipped to workers: per source, ("point", label, lon, lat, source)
# or ("region", label, wkb, code). Plain values: cheap to pickle, hashable.
_Spec = tuple[tuple[Any, ...], ...]


def _spec(sources: list[LaunchSource]) -> _Spec:
    """Return the shippable spec of resolved launch sources."""
    out: list[tuple[Any, ...]] = []
    for s in sources:
        if isinstance(s, LaunchPoint):
            out.append(("point", s.label, s.lon, s.lat, s.source))
        elif isinstance(s, LaunchRoute):
            out.append(("route", s.label, shapely.to_wkb(s.geometry), s.names))
        else:
            out.append(("region", s.label, shapely.to_wkb(s.geometry), s.code))
    return tuple(out)


_CACHE_SIZE: Final = 4
"""Launches kept per thread (a worker usually sees one launch at a time)."""

_per_thread = threading.local()


def _build_sources(spec: _Spec) -> list[LaunchSource]:
    """Rebuild launch sources from their spec, with every lazy structure prepared."""
    sources: list[LaunchSource] = []
    for kind, label, *rest in spec:
        if kind == "point":
            lon, lat, source = rest
            sources.append(LaunchPoint(label=label, lon=lon, lat=lat, source=source))
        elif kind == "route":
            wkb, names = rest
            sources.append(LaunchRoute(label=label, geometry=shapely.from_wkb(wkb), names=names))
        else:
            wkb, code = rest
            sources.append(LaunchRegion(label=label, geometry=shapely.from_wkb(wkb), code=code))
    Classifier(sources, RangeBand(0.0, 0.0))  # prepares each area's boundary index, hull and ball
    return sources


def _worker_sources(spec: _Spec) -> list[LaunchSource]:
    """Return the launch sources of ``spec``, built once per thread and reused.

    Per thread, not per process: GEOS prepared geometries (the areas'
    point-in-polygon test) are not thread-safe, and two threads querying one
    at the same time can corrupt the heap (libgeos/geos#825). A Dask worker's
    threads live as long as the worker, so each prepares a launch once.
    """
    cache: dict[_Spec, list[LaunchSource]] | None = getattr(_per_thread, "sources", None)
    if cache is None:
        cache = _per_thread.sources = {}
    if spec not in cache:
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[spec] = _build_sources(spec)
    return cache[spec]


def _reach_partition(part: pd.DataFrame, spec: _Spec, min_km: float, max_km: float, distances: bool,
                     borders: str = "recognised") -> pd.DataFrame:
    """Classify one partition: :func:`geo.analysis.api.reach` on one thread (Dask runs partitions in parallel)."""
    return reach(part, _worker_sources(spec), min_km, max_km, distances=distances, workers=1, borders=borders)


def _meta(meta: pd.DataFrame, distances: bool, borders: str = "recognised") -> pd.DataFrame:
    """Return the empty frame with the columns and dtypes of :func:`geo.analysis.api.reach` on a partition.

    :func:`geo.analysis.api.reach` on the empty ``meta`` gives the columns and
    validates the targets' schema (point geometries, or ``lon``/``lat``
    columns) before anything is computed. The added columns take their dtypes
    from a one-row probe, because on an empty frame pandas infers ``object``
    where a partition gets ``str`` (``via``). Both use a launch point, so
    nothing is prepared.
    """
    launch = [LaunchPoint("probe", 0.0, 0.0)]
    empty = reach(meta, launch, 0.0, 1.0, distances=distances, workers=1, borders=borders)
    probe = reach(pd.DataFrame({"lon": [0.0], "lat": [0.0]}), launch, 0.0, 1.0, distances=distances, workers=1,
                  borders=borders)
    return empty.astype({c: probe[c].dtype for c in probe.columns if c not in ("lon", "lat")})


def reach_dask(
    targets: Any,
    launch: Any,
    min_km: float | None = None,
    max_km: float | None = None,
    *,
    system: str | None = None,
    distances: bool = True,
    npartitions: int | None = None,
    borders: str = "recognised",
) -> dd.DataFrame:
    """Classify targets against a launch and a range band, lazily, on Dask partitions.

    Every partition gets exactly what :func:`geo.analysis.api.reach` gives it, so the
    computed result equals ``geo.reach(targets, launch, ...)`` (same rows,
    order, index, columns, dtypes and values).

    Parameters
    ----------
    targets : dask_geopandas.GeoDataFrame, dask DataFrame, or anything :func:`geo.reach` accepts
        A dask-geopandas frame of points (any CRS), a dask DataFrame with
        ``lon``/``lat`` columns, or anything :func:`geo.reach` takes in
        memory: a GeoDataFrame, DataFrame, shapely points, ``(lon, lat)``
        arrays (longitude first), what ``--places`` takes as a string
        (``"nato-capitals"``, ``"places.csv"``, ``"Tel Aviv; Eilat"``: read by
        :func:`geo.inputs.targets.parse_targets`'s rule on the client) or a
        list of place names; these are split into ``npartitions`` partitions
        in their row order.
    launch : str, LaunchPoint, LaunchRegion, shapely geometry, GeoDataFrame, or a list of these
        Where the weapon is fired from, as for :func:`geo.reach`; resolved on
        the client.
    min_km, max_km : float
        The range band in km, bounds inclusive. ``max_km`` may be omitted
        when ``system`` is given.
    system : str, optional
        A weapon system of ``data/systems.toml``; fills the bounds not given.
    distances : bool, default True
        Add ``min_km``, ``max_km``, ``margin_km`` and ``via`` beside
        ``status``, as :func:`geo.reach` does; False gives the status alone,
        which is exact too and much less work (see :mod:`geo.analysis.classifier`).
    npartitions : int, optional
        For an in-memory input, the number of partitions (default: one per
        :data:`PARTITION_ROWS` rows); for a Dask input, repartition to this
        many first (default: keep its partitions and divisions).
    borders : str, default "recognised"
        The border view of a country named as the launch or a target, as for
        :func:`geo.reach` (the ``borders`` and ``border_src`` columns name it).

    Returns
    -------
    dask.dataframe.DataFrame or dask_geopandas.GeoDataFrame
        Lazy; the targets with the result columns (``status`` a categorical
        of :data:`geo.analysis.api.STATUS_DTYPE`). Partitions and divisions are
        those of the input.

    Raises
    ------
    InvalidRangeError
        At call time, for a bad range band or no launch.
    InvalidCoordinateError, UnknownPlaceError, InputFileError, InvalidGeometryError
        At call time, for a launch that cannot be resolved or used (e.g. a
        polygon edge across the antimeridian) or targets without point
        geometries or lon/lat columns; at compute time (raised by the
        computing call, with the row named), for a target coordinate that is
        not a valid point.
    DaskMissingError
        If dask-geopandas is not installed.

    Notes
    -----
    Workers need georange installed (same version); they do not need its
    data files, since the launch geometry travels with the graph. Each
    partition runs on one thread: Dask supplies the parallelism.

    An in-memory input travels inside the graph (distributed warns
    "Sending large graph" above 10 MB, about 600,000 lon/lat rows); for
    large inputs let the workers read the data themselves, e.g. with
    ``dask_geopandas.read_parquet`` or ``dask.dataframe.read_csv``. Its
    string columns are kept as they are (Dask's conversion to pyarrow
    strings is turned off for it), so that the result equals
    :func:`geo.reach`'s.

    Examples
    --------
    >>> import pandas as pd
    >>> targets = pd.DataFrame({"lon": [21.01, 30.52, -74.0], "lat": [52.23, 50.45, 40.71]})
    >>> lazy = reach_dask(targets, "BLR", 700, 5000, npartitions=2)
    >>> lazy.npartitions
    2
    >>> lazy.compute()["status"].tolist()
    ['reachable', 'too_close', 'too_far']
    """
    dask = _require("dask")
    dask_dd = _require("dask.dataframe")
    dask_gpd = _require("dask_geopandas")
    band = resolve_band(min_km, max_km, system)
    borders = check_borders(borders)
    sources = as_sources(launch, borders)
    for source in sources:
        if isinstance(source, LaunchRegion):
            source.parts  # noqa: B018  (validates every part's rings here; the costly indexes stay lazy)
    spec = _spec(sources)

    if isinstance(targets, dask_dd.DataFrame):
        frame = targets if npartitions is None else targets.repartition(npartitions=npartitions)
    else:
        if isinstance(targets, gpd.GeoSeries):
            targets = gpd.GeoDataFrame(geometry=targets)
        if not isinstance(targets, pd.DataFrame):
            lon, lat, found = target_lonlat(targets, borders)
            targets = found if found is not None else pd.DataFrame({"lon": lon.ravel(), "lat": lat.ravel()})
        n = npartitions if npartitions is not None else max(1, math.ceil(len(targets) / PARTITION_ROWS))
        # sort=False keeps the rows in their order (from_pandas sorts by the index
        # otherwise); without convert-string, Dask would turn str and object
        # columns into pyarrow strings, and the result would differ from geo.reach's.
        with dask.config.set({"dataframe.convert-string": False}):
            if isinstance(targets, gpd.GeoDataFrame):
                frame = dask_gpd.from_geopandas(targets, npartitions=n, sort=False)
            else:
                frame = dask_dd.from_pandas(targets, npartitions=n, sort=False)

    meta = _meta(frame._meta, distances, borders)
    # One task holds the spec; every partition depends on it, so each worker fetches it once.
    shipped = dask.delayed(spec, pure=True, traverse=False)
    return frame.map_partitions(
        _reach_partition, shipped, band.min_km, band.max_km, distances, borders, meta=meta,
        align_dataframes=False
    )


def reach_on_client(
    client: Client, frame: pd.DataFrame, sources: list[LaunchSource], band: RangeBand, *, distances: bool = False
) -> pd.DataFrame:
    """Classify an in-memory frame on a cluster and return the result, as :func:`geo.reach` would.

    The frame's partitions are scattered to the workers first, so the data
    does not travel inside the task graph (which distributed warns about
    above 10 MB); this is how ``georange reach --dask`` sends each chunk it
    reads.
    """
    dask = _require("dask")
    dask_dd = _require("dask.dataframe")
    n = max(1, math.ceil(len(frame) / PARTITION_ROWS))
    bounds = [round(i * len(frame) / n) for i in range(n + 1)]
    parts = [frame.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    futures = client.scatter(parts)
    with dask.config.set({"dataframe.convert-string": False}):
        lazy = dask_dd.from_delayed(futures, meta=frame.iloc[:0], verify_meta=False)
        out = client.compute(reach_dask(lazy, sources, band.min_km, band.max_km, distances=distances)).result()
    return out
