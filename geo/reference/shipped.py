"""The shipped gazetteer and country tables, read once: the files every lookup of places and countries starts from.

Two files of ``data/`` are read here, each checked once and cached:

* ``gazetteer.parquet`` (GeoNames places), opened by row group
  (:class:`_RowGroups`): a lookup decodes only the groups that hold its
  rows;
* ``countries.parquet`` (Natural Earth 1:10m admin-0): the whole frame
  (:func:`load_countries`, through geopandas), or its Arrow columns alone
  (attributes, one country's shape, every geometry) where no frame is
  needed.

Nothing here resolves a name: :mod:`geo.reference.countries` finds a
country by name, :mod:`geo.reference.places` a place,
:mod:`geo.reference.regions` a region, and :mod:`geo.reference.borders`
builds territories; all of them read these tables, and this module imports
none of them. :func:`clear_caches` forgets what was read (e.g. after
changing ``GEORANGE_DATA``); :func:`geo.reference.places.clear_caches`
calls it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from geo.errors import DataFileError
from geo.lazy import to_arrow
from geo.reference.datafiles import REMEDIES, data_path, read_parquet
from geo.reference.names import NORMALISE_VERSION

if TYPE_CHECKING:  # geopandas, pandas and shapely are imported lazily: they cost ~0.5 s
    import geopandas
    import pandas as pd
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "COUNTRY_COLUMNS",
    "GAZETTEER_COLUMNS",
    "clear_caches",
    "common_name",
    "country_geometries",
    "load_countries",
]

GAZETTEER_COLUMNS: Final = ("geonameid", "name", "alternatenames", "country", "lat", "lon", "population", "is_capital")
"""Columns of the frame returned by :func:`geo.reference.places.load_gazetteer`."""
_ROW_COLUMNS: Final = (*GAZETTEER_COLUMNS, "city", "admin1", "region", "region_name")
"""Columns of ``gazetteer.parquet``: a row with ``city`` false is a small place, outside the ``cities`` set."""
COUNTRY_COLUMNS: Final = ("iso_a3", "iso_a2", "name", "name_long", "formal_name", "admin", "continent", "subregion",
                          "other_names")
"""Attribute columns of the frame returned by :func:`load_countries` (plus ``geometry``)."""


def _damaged(name: str, path: object, problem: str) -> DataFileError:
    """Return the error for a shipped file that exists but is unusable."""
    return DataFileError(f"data file {name!r} ({path}) {problem}; {REMEDIES.get(name, 'reinstall georange')}")


# ---------------------------------------------------------------------------
# The gazetteer


_SEARCH_COLUMNS: Final = ("country", "population", "is_capital", "city", "region", "region_name")
"""Columns of ``gazetteer.parquet`` read whole for a lookup; the others are read by row group, as places are needed."""


class _RowGroups:
    """A Parquet data file read a row group at a time: a lookup decodes the few groups that hold its rows.

    The metadata is parsed once; each (row group, columns) read is cached.
    """

    def __init__(self, name: str, lazy_columns: Sequence[str] = ()) -> None:
        import pyarrow.parquet as pq

        self.name = name
        self.lazy_columns = tuple(lazy_columns)  # read together, one decode of a group for a whole place
        self.path = data_path(name)
        try:
            with pq.ParquetFile(self.path) as handle:
                self.metadata = handle.metadata
                self.schema = handle.schema_arrow
        except (OSError, pa.ArrowException) as err:
            raise _damaged(name, self.path, f"cannot be read: {err}") from err
        sizes = [self.metadata.row_group(i).num_rows for i in range(self.metadata.num_row_groups)]
        self.starts = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
        self._cache: dict[tuple[int, tuple[str, ...]], pa.Table] = {}

    @property
    def num_rows(self) -> int:
        return int(self.starts[-1])

    def tag(self, key: bytes) -> str:
        return (self.schema.metadata or {}).get(key, b"").decode()

    def group(self, i: int, columns: Sequence[str]) -> pa.Table:
        """Return some columns of row group `i`."""
        import pyarrow.parquet as pq

        cache_key = (i, tuple(columns))
        if cache_key not in self._cache:
            try:
                with pq.ParquetFile(self.path, metadata=self.metadata) as handle:
                    self._cache[cache_key] = handle.read_row_group(i, columns=list(columns))
            except (OSError, pa.ArrowException) as err:
                raise _damaged(self.name, self.path, f"cannot be read: {err}") from err
        return self._cache[cache_key]

    def read(self, columns: Sequence[str]) -> pa.Table:
        """Return some columns of every row group."""
        import pyarrow.parquet as pq

        try:
            with pq.ParquetFile(self.path, metadata=self.metadata) as handle:
                return handle.read(columns=list(columns))
        except (OSError, pa.ArrowException) as err:
            raise _damaged(self.name, self.path, f"cannot be read: {err}") from err

    def take(self, rows: np.ndarray, column: str) -> list[Any]:
        """Return one column's values at some rows, decoding only their row groups."""
        rows = np.asarray(rows, dtype=np.int64)
        groups = np.searchsorted(self.starts, rows, side="right") - 1
        out: list[Any] = [None] * rows.size
        for g in np.unique(groups):
            where = np.flatnonzero(groups == g)
            group = self.group(int(g), self.lazy_columns if column in self.lazy_columns else (column,))
            values = group.column(column)
            picked = values.take(to_arrow(rows[where] - self.starts[g])).to_pylist()
            for j, value in zip(where, picked, strict=True):
                out[j] = value
        return out


@functools.cache
def _gazetteer_file() -> _RowGroups:
    """Open ``gazetteer.parquet`` and check its columns and key version."""
    return _checked(_RowGroups("gazetteer.parquet", ("name", "lon", "lat", "geonameid")), _ROW_COLUMNS)


def _checked(file: _RowGroups, columns: Sequence[str]) -> _RowGroups:
    """Return ``file`` once it has ``columns`` and search keys of this version of the name rules."""
    missing = [c for c in columns if c not in file.schema.names]
    if missing:
        raise _damaged(file.name, file.path, f"lacks columns {missing}")
    version = file.tag(b"georange:normalise_version")
    if version != NORMALISE_VERSION:
        raise _damaged(file.name, file.path, f"has search keys of version {version!r}, expected {NORMALISE_VERSION!r}")
    return file


@functools.cache
def _gazetteer_table() -> pa.Table:
    """Read the columns of ``gazetteer.parquet`` that a lookup searches, whole."""
    return _gazetteer_file().read(_SEARCH_COLUMNS)


# ---------------------------------------------------------------------------
# The countries


@functools.cache
def load_countries() -> geopandas.GeoDataFrame:
    """Return the Natural Earth 1:10m countries, full resolution.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per Natural Earth admin-0 feature (250, including
        dependencies and disputed areas), columns :data:`COUNTRY_COLUMNS`
        and ``geometry`` (Polygon or MultiPolygon, EPSG:4326). ``iso_a3`` is
        unique; ``iso_a2`` is unique where not empty. Cached and shared:
        copy before modifying.

    Raises
    ------
    DataFileError
        If ``data/countries.parquet`` is missing, unreadable or not in
        EPSG:4326.
    """
    import geopandas

    name = "countries.parquet"
    path = data_path(name)
    try:
        frame = geopandas.read_parquet(path)
    except (OSError, ValueError, pa.ArrowException) as err:
        raise _damaged(name, path, f"cannot be read: {err}") from err
    missing = [c for c in (*COUNTRY_COLUMNS, "geometry") if c not in frame.columns]
    if missing:
        raise _damaged(name, path, f"lacks columns {missing}")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise _damaged(name, path, f"has CRS {frame.crs}, expected EPSG:4326")
    return frame


@functools.cache
def _country_attribute_table() -> pa.Table:
    """Return the attribute columns of countries.parquet, without geometry, as an Arrow table."""
    name = "countries.parquet"
    path = data_path(name)
    try:
        return read_parquet(path, list(COUNTRY_COLUMNS))
    except (OSError, pa.ArrowException) as err:
        raise _damaged(name, path, f"cannot be read: {err}") from err


@functools.cache
def _country_attributes() -> pd.DataFrame:
    """Return the attribute columns of countries.parquet, without geometry."""
    return _country_attribute_table().to_pandas()



@functools.cache
def _country_shape(iso_a3: str) -> tuple[str, BaseGeometry]:
    """Return one country's short name and geometry, read alone unless every country is loaded already.

    Decoding one row's WKB from the Arrow table takes milliseconds; loading
    all 250 countries through geopandas (import included) about 0.25 s. The
    geometry is the same object :func:`load_countries` builds (``shapely.from_wkb``
    of the same bytes), and the file gets the same checks.
    """
    if load_countries.cache_info().currsize:
        return _country_by_code()[iso_a3]
    import shapely

    table = _country_table()
    row = table.column("iso_a3").to_pylist().index(iso_a3)
    return common_name(iso_a3), shapely.from_wkb(table.column("geometry")[row].as_py())


@functools.cache
def _common_names() -> Mapping[str, str]:
    table = _country_attribute_table()
    out = {}
    for iso_a3, name, admin in zip(*(table.column(c).to_pylist() for c in ("iso_a3", "name", "admin")), strict=True):
        abbreviated = "." in name or name.startswith("Republic of ")
        out[str(iso_a3)] = str(admin) if abbreviated and admin else str(name)
    return out


def common_name(iso_a3: str) -> str:
    """Return a country's common English name, the one labels use: ``"North Korea"``, not ``"Dem. Rep. Korea"``.

    Natural Earth's short name (``NAME``), unless it is abbreviated
    (``"Dem. Rep. Korea"``, ``"Bosnia and Herz."``, ``"Solomon Is."``) or
    formal (``"Republic of Korea"``): then its ``ADMIN`` name (``"North
    Korea"``, ``"Bosnia and Herzegovina"``, ``"Solomon Islands"``,
    ``"South Korea"``).

    Examples
    --------
    >>> common_name("PRK"), common_name("KOR"), common_name("RUS")
    ('North Korea', 'South Korea', 'Russia')
    """
    return _common_names()[iso_a3]


@functools.cache
def country_geometries() -> NDArray[np.object_]:
    """Return every country's geometry, in the order of :func:`load_countries`, without building the frame.

    The same geometries (``shapely.from_wkb`` of the same bytes, the same
    file checks), for callers that need no attributes: decoding them from
    the Arrow table takes tens of milliseconds, geopandas' import alone
    about 0.3 s.
    """
    if load_countries.cache_info().currsize:
        return load_countries().geometry.to_numpy()
    import shapely

    return shapely.from_wkb(_country_table().column("geometry").to_numpy(zero_copy_only=False))


@functools.cache
def _country_table() -> pa.Table:
    """Return the code, name and WKB geometry columns of countries.parquet, checked as :func:`load_countries` checks."""
    import json

    name = "countries.parquet"
    path = data_path(name)
    try:
        table = read_parquet(path, ["iso_a3", "name", "geometry"])
        geo_meta = json.loads((table.schema.metadata or {}).get(b"geo", b"{}"))
    except (OSError, ValueError, pa.ArrowException) as err:
        raise _damaged(name, path, f"cannot be read: {err}") from err
    column = geo_meta.get("columns", {}).get("geometry", {})
    crs = column.get("crs", {"id": {"authority": "EPSG", "code": 4326}})  # GeoParquet: no crs means lon/lat WGS84
    crs_id = crs.get("id", {}) if isinstance(crs, dict) else {}
    if column.get("encoding") != "WKB" or (crs_id.get("authority"), crs_id.get("code")) != ("EPSG", 4326):
        raise _damaged(name, path, f"has CRS {crs_id or crs}, expected EPSG:4326 (WKB geometries)")
    return table


@functools.cache
def _country_by_code() -> Mapping[str, tuple[str, BaseGeometry]]:
    """Map Natural Earth ``iso_a3`` to the short name and geometry (a frame lookup per call costs 6 ms)."""
    frame = load_countries()
    return {str(c): (common_name(str(c)), g) for c, g in zip(frame["iso_a3"], frame["geometry"], strict=True)}

# ---------------------------------------------------------------------------


_CACHED: Final[Iterable[Any]] = (
    _gazetteer_file,
    _gazetteer_table,
    load_countries,
    _country_attributes,
    _country_attribute_table,
    _country_by_code,
    _country_shape,
    _country_table,
    country_geometries,
)


def clear_caches() -> None:
    """Forget the tables read, e.g. after changing ``GEORANGE_DATA`` (:func:`geo.reference.places.clear_caches`)."""
    for function in _CACHED:
        function.cache_clear()
