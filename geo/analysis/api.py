"""The entry points of range analysis: :func:`reach` and :func:`iter_reach` (``geo.reach``, ``geo.iter_reach``).

One call answers "which of these targets does this weapon reach from there?"
for whatever the analyst holds: a GeoDataFrame of points, a DataFrame with
``lon``/``lat`` columns, shapely points, coordinate scalars or arrays, or
gazetteer names; from a country, a site, a coordinate, a shapely geometry, a
GeoDataFrame of launch polygons or points, or a list of any of these.
Statuses are exact (see :mod:`geo.analysis.bands` for their meaning); the work runs in
chunks on threads (:mod:`geo.analysis.classifier`). :func:`iter_reach` does
the same for a place file of any size, a chunk at a time, on this machine
or on Dask (:mod:`geo.analysis.distributed`).
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.analysis.bands import RangeBand
from geo.analysis.classifier import Classifier
from geo.analysis.launch import LaunchPoint, LaunchRegion, LaunchRoute, LaunchSource, parse_launches
from geo.analysis.status import STATUS_DTYPE_CATEGORIES

if TYPE_CHECKING:  # geopandas is imported only where one is built: what a caller passes is already imported
    import geopandas as gpd
from geo.errors import InputFileError, InvalidCoordinateError, InvalidRangeError
from geo.geodesy.ellipsoid import check_lonlat
from geo.inputs.points import DEFAULT_CHUNK_ROWS
from geo.reference.borders import borders_data, check_borders

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
else:
    from geo.lazy import pandas as pd

__all__ = ["STATUS_DTYPE", "ReachChunks", "as_sources", "iter_reach", "reach", "resolve_band", "target_lonlat"]  # noqa: F822 (module __getattr__)

log = logging.getLogger(__name__)


@functools.cache
def _status_dtype() -> pd.CategoricalDtype:
    """``STATUS_DTYPE``, built on first use (pandas is imported only when a frame is made)."""
    return pd.CategoricalDtype(STATUS_DTYPE_CATEGORIES)


def __getattr__(name: str) -> Any:
    if name == "STATUS_DTYPE":  # the dtype of the status column: a categorical of the statuses, a byte a row
        return _status_dtype()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")



def as_sources(launch: Any, borders: str = "recognised") -> list[LaunchSource]:
    """Resolve a launch given in any accepted form to launch sources ("from any of these").

    A country named in a string is taken under the border view `borders`
    (:mod:`geo.reference.borders`).

    Accepted: a ``--from`` string (country, site, ``LAT,LON``, a route
    ``route: LAT,LON; LAT,LON``, or a file of polygons, lines or points), a
    :class:`~geo.analysis.launch.LaunchPoint`,
    :class:`~geo.analysis.launch.LaunchRegion` or
    :class:`~geo.analysis.launch.LaunchRoute`, a shapely Point, MultiPoint,
    Polygon, MultiPolygon, LineString or MultiLineString (lon/lat degrees; a
    line is a route whose edges are geodesics), a GeoDataFrame or GeoSeries
    (points become launch points, polygons launch areas, lines routes;
    reprojected to EPSG:4326), or a list of any of these.

    Raises
    ------
    InvalidCoordinateError, UnknownPlaceError, InputFileError
        For a launch that cannot be resolved; the message names it.
    """
    if isinstance(launch, str):
        return parse_launches(launch, borders=borders)
    if isinstance(launch, LaunchPoint | LaunchRegion):
        return [launch]
    gpd_ = sys.modules.get("geopandas")  # not imported: not a GeoDataFrame either
    if gpd_ is not None and isinstance(launch, gpd_.GeoDataFrame | gpd_.GeoSeries):
        return _geoseries_sources(launch.geometry if isinstance(launch, gpd_.GeoDataFrame) else launch)
    if isinstance(launch, BaseGeometry):
        return _geometry_sources(launch, "launch geometry")
    if isinstance(launch, Sequence) and not isinstance(launch, bytes):
        if not launch:
            raise InvalidRangeError("no launch source given")
        return [s for item in launch for s in as_sources(item, borders)]
    raise InputFileError(
        f"launch {launch!r}: expected a place or country name, LAT,LON, a file, a shapely geometry, "
        "a GeoDataFrame or a list of these"
    )


def _geometry_sources(geom: BaseGeometry, label: str) -> list[LaunchSource]:
    if isinstance(geom, shapely.Point):
        if geom.is_empty:
            raise InputFileError(f"{label}: empty point")
        return [LaunchPoint(label=label, lon=float(geom.x), lat=float(geom.y))]
    if isinstance(geom, shapely.MultiPoint):
        if geom.is_empty:
            raise InputFileError(f"{label}: empty MultiPoint")
        return [LaunchPoint(label=f"{label} point {k}", lon=float(x), lat=float(y))
                for k, (x, y) in enumerate(shapely.get_coordinates(geom), start=1)]
    if isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        if geom.is_empty:
            raise InputFileError(f"{label}: empty polygon")
        return [LaunchRegion(label=label, geometry=geom)]
    if isinstance(geom, shapely.LineString | shapely.MultiLineString):
        if geom.is_empty:
            raise InputFileError(f"{label}: empty line")
        route = LaunchRoute(label=label, geometry=geom)
        route.parts  # noqa: B018 -- check the lines now (two distinct vertices, no antipodal leg)
        return [route]
    raise InputFileError(f"{label}: a launch geometry must be a Point, MultiPoint, Polygon, MultiPolygon, "
                         f"LineString or MultiLineString, got {geom.geom_type}")


def _geoseries_sources(series: gpd.GeoSeries) -> list[LaunchSource]:
    if series.crs is not None and not series.crs.equals("EPSG:4326"):
        series = series.to_crs("EPSG:4326")
    if len(series) == 0:
        raise InvalidRangeError("launch GeoDataFrame has no rows")
    out = []
    for i, geom in enumerate(series):
        if geom is None:
            raise InputFileError(f"launch GeoDataFrame row {i}: no geometry")
        out.extend(_geometry_sources(geom, f"launch row {series.index[i]}"))
    return out


def target_lonlat(
    targets: Any, borders: str = "recognised"
) -> tuple[NDArray[np.float64], NDArray[np.float64], pd.DataFrame | None]:
    """Return the targets' longitudes and latitudes, and the frame the result extends (None for bare coordinates).

    Raises
    ------
    InvalidCoordinateError
        If a coordinate is not finite or out of range, or a geometry is not a point.
    """
    gpd_ = sys.modules.get("geopandas")  # not imported: not a GeoDataFrame either
    if gpd_ is not None and isinstance(targets, gpd_.GeoSeries):
        targets = gpd_.GeoDataFrame(geometry=targets)
    if gpd_ is not None and isinstance(targets, gpd_.GeoDataFrame):
        frame = targets
        geom = frame.geometry
        if geom.crs is not None and not geom.crs.equals("EPSG:4326"):
            geom = geom.to_crs("EPSG:4326")
        kinds = shapely.get_type_id(geom.values)
        bad = np.flatnonzero((kinds != shapely.GeometryType.POINT) | shapely.is_empty(geom.values))
        if bad.size:
            row = frame.index[bad[0]]
            g = geom.iloc[bad[0]]
            kind = "no geometry" if g is None else "an empty point" if g.is_empty else f"a {g.geom_type}"
            raise InvalidCoordinateError(f"target row {row!r}: {kind}; targets must be points")
        return (*check_lonlat(shapely.get_x(geom.values), shapely.get_y(geom.values), what="target"), frame)
    if isinstance(targets, pd.DataFrame):
        from geo.inputs.points import LAT_HEADERS, LON_HEADERS

        cols = {str(c).strip().lower(): c for c in reversed(targets.columns)}  # the first of a name, any case
        lon_col = next((cols[c] for c in LON_HEADERS if c in cols), None)  # the names a file of places may use
        lat_col = next((cols[c] for c in LAT_HEADERS if c in cols), None)
        if lon_col is None or lat_col is None:
            raise InvalidCoordinateError(
                f"target DataFrame needs lon and lat columns; found {', '.join(map(str, targets.columns)) or 'none'}"
            )
        lon, lat = check_lonlat(targets[lon_col].to_numpy(float), targets[lat_col].to_numpy(float), what="target")
        return lon, lat, targets
    if isinstance(targets, BaseGeometry) or (
        isinstance(targets, Sequence | np.ndarray) and len(targets) and isinstance(targets[0], BaseGeometry)
    ):
        import geopandas

        return target_lonlat(geopandas.GeoSeries(np.atleast_1d(np.asarray(targets, dtype=object)), crs="EPSG:4326"))
    if isinstance(targets, pd.Series | np.ndarray) and targets.ndim == 1 and len(targets) and all(
        isinstance(t, str) for t in targets
    ):
        targets = list(targets)  # a column of place names
    if isinstance(targets, str) or (isinstance(targets, Sequence) and targets and isinstance(targets[0], str)):
        from geo.inputs.targets import iter_targets

        # The targets grammar of --places (geo.inputs.targets.parse_targets), read as georange reach reads it.
        chunks = list(iter_targets(targets if isinstance(targets, str) else list(targets), borders=borders))
        frame = chunks[0] if len(chunks) == 1 else pd.concat(chunks)
        return frame["lon"].to_numpy(float), frame["lat"].to_numpy(float), frame
    if isinstance(targets, tuple) and len(targets) == 2:
        lon, lat = check_lonlat(targets[0], targets[1], what="target")
        return lon, lat, None
    raise InvalidCoordinateError(
        "targets: expected a GeoDataFrame of points, a DataFrame with lon/lat, shapely points, "
        f"place names or a (lon, lat) pair of scalars or arrays; got {type(targets).__name__}"
    )


def resolve_band(min_km: float | None, max_km: float | None, system: str | None = None) -> RangeBand:
    """Return the range band of the given bounds, a system's published figures filling those not given.

    A bound given as None takes the system's figure; an explicit bound, 0 included, wins.

    Raises
    ------
    InvalidRangeError
        If ``max_km`` is missing and no system is given, the band is invalid,
        a bound is not a number (text such as ``"500"`` is refused: write the
        number) or ``system`` is not text.
    ClaimFormatError
        If the system is unknown (the message suggests close names).
    """
    for name, value in (("min_km", min_km), ("max_km", max_km)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | np.integer
                                                                             | np.floating)):
            raise InvalidRangeError(f"{name} {value!r} must be a number of kilometres (or None), "
                                    f"not {type(value).__name__}")
    if system is not None:
        if not isinstance(system, str):
            raise InvalidRangeError(f"system {system!r} must be a system's name such as 'oreshnik', "
                                    f"not {type(system).__name__}")
        from geo.reference.systems import lookup_system

        s = lookup_system(system)
        max_km = s.max_km.value_km if max_km is None else max_km
        min_km = s.min_km.value_km if min_km is None else min_km
    if max_km is None:
        raise InvalidRangeError("max_km is required (or give a system)")
    return RangeBand(float(min_km or 0.0), float(max_km), where="range")


def reach(
    targets: Any,
    launch: Any,
    min_km: float | None = None,
    max_km: float | None = None,
    *,
    system: str | None = None,
    distances: bool = True,
    workers: int = 2,
    progress: Callable[[int], None] | None = None,
    borders: str = "recognised",
) -> pd.DataFrame:
    """Classify targets against a launch and a range band on the WGS84 ellipsoid.

    Parameters
    ----------
    targets : GeoDataFrame, GeoSeries, DataFrame, shapely Point(s), str, list of str, or (lon, lat)
        Points to classify. A GeoDataFrame (any CRS; reprojected to
        EPSG:4326 for the computation, returned unchanged) or a DataFrame with
        ``lon``/``lat`` (or ``longitude``/``latitude``, ...: the column names
        of :func:`geo.inputs.points.locate_columns`) columns gets the result
        columns added to a copy. A string is what ``--places`` takes (the
        same rule, :func:`geo.inputs.targets.parse_targets`): a preset
        (``"capitals"``), a place set (``"nato-capitals"``), a file of points
        (``"places.csv"``), places separated by ``;`` (``"Tel Aviv; Eilat"``,
        coordinates LAT,LON as on the command line); a list of strings is one
        place per entry (what ``--place`` repeated takes). Places given by
        name keep the spelling given in a ``query`` column beside ``name``
        and ``country``. A name of a country, territory or region
        (``"Poland"``, ``"Guam"``, ``"Crimea"``; ``"area:NAME"`` or
        ``"area:FILE"`` always) is an area target: its row is the whole
        area's (:mod:`geo.analysis.areas`: ``status`` says whether some of it
        is reachable) and adds ``all_reachable``, ``reachable_share``,
        ``share_error`` and ``area_km2`` (empty for points). A tuple of two numbers or arrays is **(lon, lat), in
        that order** (as GeoJSON and shapely; unlike the strings), and gives
        a DataFrame with ``lon`` and ``lat`` columns.
    launch : str, LaunchPoint, LaunchRegion, shapely geometry, GeoDataFrame, or a list of these
        Where the weapon is fired from; a list means "from any of these"
        (see :func:`as_sources`).
    min_km, max_km : float, optional
        The range band in km, bounds inclusive. ``min_km`` defaults to 0, or
        to the system's minimum; ``max_km`` may be omitted when ``system`` is
        given. A bound given explicitly (0 included) overrides the system's.
    system : str, optional
        A weapon system of ``data/systems.toml`` (e.g. ``"oreshnik"``); its
        published minimum and maximum range are used for the bounds not given.
    distances : bool, default True
        Add the exact nearest and farthest distance (``min_km``,
        ``max_km``), ``margin_km`` and ``via`` beside ``status``. Without them
        only ``status`` is added, which is exact too and far faster for
        large target sets (random points worldwide against Belarus: about
        0.1 exact geodesic problems per point instead of 5;
        ``scripts/bench.py --only counts``; see :mod:`geo.analysis.classifier`).
    workers : int, default 2
        Threads working on chunks side by side.
    progress : callable, optional
        Called with the number of targets done after every chunk (a
        progress bar's ``update``).
    borders : str, default "recognised"
        The border view a country named as the launch is taken under
        (:mod:`geo.reference.borders`): ``recognised`` (the shipped Natural
        Earth admin-0) or ``controlled`` (disputed areas count for the state
        that administers them: Crimea with Sevastopol for Russia, the
        Paracel Islands for China).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        The targets with the result columns; ``status`` is a categorical of
        ``reachable``, ``too_close`` and ``too_far`` (:data:`STATUS_DTYPE`).
        The last two columns name the border view: ``borders`` (the view)
        and ``border_src`` (the data it was built from, with versions).

    Raises
    ------
    InvalidRangeError
        For a bad range band (negative, beyond 20,004 km, min > max) or no launch.
    InvalidCoordinateError
        For a target that is not a valid point, or targets of a type not listed.
    UnknownPlaceError, AmbiguousPlaceError, InputFileError
        For a place name, place set or file that names no place.

    Examples
    --------
    >>> import geo
    >>> t = geo.reach(["Warsaw", "Kyiv", "Berlin"], "Belarus", 700, 5000)
    >>> t["status"].tolist()
    ['reachable', 'too_close', 'reachable']
    >>> f"{t.loc[0, 'min_km']:.1f}-{t.loc[0, 'max_km']:.1f} km, margin {t.loc[0, 'margin_km']:.1f} km"
    '147.2-799.5 km, margin 99.5 km'

    Coordinates, scalars or arrays, and a system's published figures:

    >>> geo.reach((21.01, 52.23), "krichev", system="iskander-m")["status"].tolist()
    ['too_far']
    >>> geo.reach(([21.01, 30.52], [52.23, 50.45]), "BLR", max_km=500, distances=False)["status"].tolist()
    ['reachable', 'reachable']
    """
    _check_counts(workers=workers)
    band = resolve_band(min_km, max_km, system)
    borders = check_borders(borders)
    sources = as_sources(launch, borders)
    lon, lat, frame = target_lonlat(targets, borders)
    lon, lat = lon.ravel(), lat.ravel()
    classifier = Classifier(sources, band, workers=workers)
    out = frame.copy() if frame is not None else pd.DataFrame({"lon": lon, "lat": lat})
    if distances:
        cols = classifier.table(lon, lat, progress=progress)
        for key in ("min_km", "max_km"):
            out[key] = cols[key]
        out["status"] = pd.Categorical.from_codes(cols["status"], dtype=_status_dtype())
        out["margin_km"] = cols["margin_km"]
        out["via"] = cols["via"]
    else:
        out["status"] = pd.Categorical.from_codes(classifier.status(lon, lat, progress=progress), dtype=_status_dtype())
    from geo.inputs.targets import AREA_COLUMN

    if AREA_COLUMN in out.columns:
        _area_rows(out, sources, band, distances)
    return _with_borders(out, borders)


def _borders_columns(borders: str) -> dict[str, str]:
    """Return the constant columns that name the border view of a reach table."""
    return {"borders": borders, "border_src": borders_data(borders)}


def _with_borders(out: pd.DataFrame, borders: str) -> pd.DataFrame:
    """Add the border view's constant columns to a result frame (categoricals of one value), in place."""
    for key, value in _borders_columns(borders).items():
        out[key] = pd.Categorical.from_codes(np.zeros(len(out), dtype=np.int8), categories=[value])
    return out


def _area_rows(out: pd.DataFrame, sources: list[LaunchSource], band: RangeBand, distances: bool) -> None:
    """Replace the rows of area targets (``area`` column) with what the band reaches of each area, in place.

    Their ``lat``/``lon`` become the area's point nearest the launch; ``status``, ``min_km``, ``max_km``,
    ``margin_km`` and ``via`` are the area's (:mod:`geo.analysis.areas`); the columns of
    :data:`geo.analysis.areas.AREA_COLUMNS` are added (empty for points).
    """
    from geo.analysis.areas import AREA_COLUMNS, AreaZone, area_reach
    from geo.inputs.targets import AREA_COLUMN

    areas = out.pop(AREA_COLUMN)
    shared = AreaZone(sources, band)
    found = {}
    for label, area in areas.items():
        if area is not None:
            found[label] = area_reach(shared, band, area.geometry, area.label, code=area.code)
    if not found:
        return
    rows = list(found)
    values = list(found.values())
    for key in ("lat", "lon"):
        if key in out.columns:
            out.loc[rows, key] = [getattr(r, key) for r in values]
    status = out["status"].astype(object)
    status.loc[rows] = [r.status.value for r in values]
    out["status"] = pd.Categorical(status, dtype=_status_dtype())
    if distances:
        for key in ("min_km", "max_km", "margin_km"):
            out.loc[rows, key] = [getattr(r, key) for r in values]
        via = out["via"].astype(object)
        via.loc[rows] = [r.via for r in values]
        out["via"] = via.astype(out["via"].dtype) if not isinstance(out["via"].dtype, pd.CategoricalDtype) else via
    new = {
        "all_reachable": pd.array([pd.NA] * len(out), dtype="boolean"),
        "reachable_share": np.full(len(out), np.nan),
        "share_error": np.full(len(out), np.nan),
        "area_km2": np.full(len(out), np.nan),
    }
    assert tuple(new) == AREA_COLUMNS
    for key, column in new.items():
        out[key] = column
    out.loc[rows, "all_reachable"] = [r.all_reachable for r in values]
    out.loc[rows, "reachable_share"] = [r.share for r in values]
    out.loc[rows, "share_error"] = [r.share_error for r in values]
    out.loc[rows, "area_km2"] = [r.area_km2 for r in values]



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

    def run() -> Iterator[pd.DataFrame]:
        from geo.inputs.targets import iter_targets

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


def _check_counts(**counts: Any) -> None:
    """Refuse a count option (workers, rows) that is not a whole number of at least 1."""
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise InvalidRangeError(f"{name} {value!r}: must be a whole number, at least 1")


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
