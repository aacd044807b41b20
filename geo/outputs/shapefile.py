"""ESRI Shapefiles, plain (.shp with its .shx, .dbf, .prj and .cpg) or zipped (.zip), written atomically.

A shapefile's attribute table (dBASE) limits a field name to 10 characters
and a text value to 254 bytes. georange maps its field names explicitly
(:data:`FIELD_NAMES`, e.g. ``tolerance_m`` is ``tol_m``) and maps them back
when it reads its own files. Other columns (passed through from an input
file of places) keep their name when it fits, or are cut to 10 characters
and numbered (``population_2015`` becomes ``populati_1``) with a warning
that says so. A longer text value is cut to 254 bytes with a warning.
Text is UTF-8 (stated in the .cpg file), without leading or trailing
spaces (dBASE pads text with spaces, and readers strip them); numbers are
dBASE decimals with 15 places (about 16 significant digits for the
distances); a missing geometry is a null shape. Coordinates are stored as
doubles, exactly.

A plain shapefile is several files: they are written in a temporary
folder beside the target and moved into place one by one, the ``.shp``
last; a zipped one is a single file, written atomically like every other
output.
"""

from __future__ import annotations

import os
import tempfile
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from geo.errors import GeoRangeWarning, OutputError
from geo.outputs.atomic import atomic_path, check_writable

if TYPE_CHECKING:
    import geopandas

__all__ = ["FIELD_NAMES", "SIDECARS", "read_shapefile_frame", "shapefile_names", "write_shapefile"]

FIELD_NAMES: Final = {
    "tolerance_m": "tol_m",
    "population": "population",
    "margin_km": "margin_km",
    "earth_rotation": "earth_rot",
}
"""georange's field names that a shapefile cannot hold as they are, and their 10-character names.

Every other georange field (``role``, ``min_km``, ``max_km``, ``launch``,
``area_km2``, ``name``, ``country``, ``lat``, ``lon``, ``status``, ``via``)
fits and keeps its name.
"""
SIDECARS: Final = (".shx", ".dbf", ".prj", ".cpg", ".shp")
"""The files of a plain shapefile, in the order they are moved into place."""
_MAX_NAME: Final = 10
_MAX_TEXT: Final = 254


def shapefile_names(columns: list[str]) -> dict[str, str]:
    """Return the 10-character shapefile field name of every column (unique, case-insensitively)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        name = FIELD_NAMES.get(column, column)
        if len(name) > _MAX_NAME or name.lower() in taken:
            stem, n = name[: _MAX_NAME - 2], 1
            while f"{stem}_{n}".lower() in taken:
                n += 1
                stem = name[: _MAX_NAME - 1 - len(str(n))]
            name = f"{stem}_{n}"
        taken.add(name.lower())
        out[column] = name
    return out


def _fit_text(frame: geopandas.GeoDataFrame, where: str) -> geopandas.GeoDataFrame:
    """Cut text values longer than 254 bytes (UTF-8), warning once per column."""
    frame = frame.copy()
    for column in frame.columns:
        if column == frame.geometry.name or frame[column].dtype.kind not in "OUT":
            continue
        values = frame[column].astype(object)  # a categorical maps to a categorical, which has no any()
        long = values.map(lambda v: isinstance(v, str) and len(v.encode("utf-8")) > _MAX_TEXT)
        if long.any():
            frame[column] = values.map(
                lambda v: v.encode("utf-8")[:_MAX_TEXT].decode("utf-8", "ignore") if isinstance(v, str) else v
            )
            warnings.warn(f"{where}: {int(long.sum())} value(s) of {column} cut to the shapefile's 254 bytes",
                          GeoRangeWarning, stacklevel=4)
    return frame


def write_shapefile(
    frames: geopandas.GeoDataFrame | Iterable[geopandas.GeoDataFrame], path: str | Path, *, overwrite: bool = False
) -> int:
    """Write a GeoDataFrame, or chunks of one, as a shapefile (``.shp``) or a zipped one (``.zip``).

    Returns the number of rows. Chunks are appended one by one (the first
    sets the fields). The columns are renamed by :func:`shapefile_names` (a
    warning names every column whose name had to be cut).

    Raises
    ------
    OutputError
        If the extension is neither ``.shp`` nor ``.zip``, or a file cannot be written.
    OutputExistsError
        If the file (any of a plain shapefile's files) exists and ``overwrite`` is False.
    """
    import geopandas

    target = Path(path)
    zipped = target.suffix.lower() == ".zip"
    if target.suffix.lower() not in (".shp", ".zip"):
        raise OutputError(f"{target}: a shapefile is written as .shp or .zip")
    for suffix in ((target.suffix,) if zipped else SIDECARS):  # every file a plain shapefile writes
        check_writable(target.with_suffix(suffix), overwrite=overwrite)
    chunks = [frames] if isinstance(frames, geopandas.GeoDataFrame) else frames
    try:
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.stem}.") as d:
            shp = Path(d) / f"{target.stem.removesuffix('.shp')}.shp"
            rows = _write_chunks(chunks, shp, str(target))
            written = [shp.with_suffix(s) for s in SIDECARS if shp.with_suffix(s).exists()]
            if zipped:
                with atomic_path(target, overwrite=overwrite) as tmp:
                    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
                        for f in written:
                            z.write(f, f.name)
            else:
                for f in written:  # the .shp last: a reader finds a whole set or none
                    os.replace(f, target.with_suffix(f.suffix))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    return rows


def _write_chunks(chunks: Iterable[geopandas.GeoDataFrame], shp: Path, where: str) -> int:
    import pyogrio

    rows, names = 0, None
    for frame in chunks:
        if names is None:
            names = shapefile_names([c for c in frame.columns if c != frame.geometry.name])
            cut = [f"{k} as {v}" for k, v in names.items() if k != v and k not in FIELD_NAMES]
            if cut:
                warnings.warn(f"{where}: shapefile field names are at most 10 characters: wrote {', '.join(cut)}",
                              GeoRangeWarning, stacklevel=3)
        out = _fit_text(frame.rename(columns=names), where)
        pyogrio.write_dataframe(out, shp, driver="ESRI Shapefile", encoding="UTF-8", append=rows > 0)
        rows += len(out)
    if names is None:
        raise OutputError(f"{where}: nothing to write")
    return rows


def read_shapefile_frame(path: str | Path, columns: list[str] | None = None):  # type: ignore[no-untyped-def]
    """Read a shapefile (plain or zipped) with georange's field names restored."""
    import pyogrio

    target = Path(path)
    source = f"/vsizip/{target}" if target.suffix.lower() == ".zip" else target
    frame = pyogrio.read_dataframe(source)
    back = {v: k for k, v in FIELD_NAMES.items()}
    frame = frame.rename(columns={c: back.get(c, c) for c in frame.columns})
    return frame[[*columns, "geometry"]] if columns else frame

