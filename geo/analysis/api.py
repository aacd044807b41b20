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
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.analysis.bands import RangeBand, resolve_band
from geo.analysis.classifier import Classifier
from geo.analysis.launch import LaunchSource, as_sources
from geo.analysis.status import STATUS_DTYPE_CATEGORIES

if TYPE_CHECKING:  # geopandas is imported only where one is built: what a caller passes is already imported
    pass
from geo.errors import InvalidCoordinateError, InvalidRangeError
from geo.geodesy.ellipsoid import check_lonlat
from geo.reference.borders import borders_data, check_borders

if TYPE_CHECKING:
    import pandas as pd
else:
    from geo.lazy import pandas as pd

__all__ = ["STATUS_DTYPE", "as_sources", "reach", "resolve_band", "target_lonlat"]  # noqa: F822 (module __getattr__)

log = logging.getLogger(__name__)


@functools.cache
def _status_dtype() -> pd.CategoricalDtype:
    """``STATUS_DTYPE``, built on first use (pandas is imported only when a frame is made)."""
    return pd.CategoricalDtype(STATUS_DTYPE_CATEGORIES)


def __getattr__(name: str) -> Any:
    if name == "STATUS_DTYPE":  # the dtype of the status column: a categorical of the statuses, a byte a row
        return _status_dtype()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")



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
    earth_rotation: bool = False,
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
    earth_rotation : bool, default False
        A ballistic system's reach on the turning Earth from launch points
        (:mod:`geo.analysis.rotation`): each launch point's reach toward each
        target instead of ``max_km``, with ``reach_km``, the deciding launch
        point's reach toward the target. An area launch or a system that is
        not ballistic raises :class:`~geo.errors.InvalidRangeError`.

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
    if earth_rotation:
        from geo.analysis.rotation import check_rotation, rotating_table

        check_rotation(sources, system)
        places = frame.copy() if frame is not None else pd.DataFrame({"lon": lon, "lat": lat})
        out = rotating_table(places, sources, band, distances=distances, lonlat=(lon, lat))
        if progress is not None:
            progress(len(out))
        return _with_borders(out, borders)
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



def _check_counts(**counts: Any) -> None:
    """Refuse a count option (workers, rows) that is not a whole number of at least 1."""
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise InvalidRangeError(f"{name} {value!r}: must be a whole number, at least 1")
