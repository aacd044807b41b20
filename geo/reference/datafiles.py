"""Locate the data files shipped in ``data/``.

``data/`` at the top of the project is the source of truth. A wheel carries
it as the resource package ``geo._data`` (``pyproject.toml`` maps the one to
the other, and an editable install maps ``geo._data`` back to ``data/``), so
:data:`DATA_DIR` is where the import system finds ``geo._data``; in a bare
checkout on ``sys.path`` without any install, it is ``data/`` beside ``geo/``.
The environment variable ``GEORANGE_DATA`` names another directory. The variable is
read on every call, so a test can point it at a temporary directory (clear
the caches of :mod:`geo.reference.places` afterwards with
:func:`geo.reference.places.clear_caches`).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING, Final

from geo.errors import DataFileError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["DATA_DIR", "DATA_ENV_VAR", "REMEDIES", "data_dir", "data_path", "read_parquet"]

DATA_ENV_VAR: Final = "GEORANGE_DATA"
"""Environment variable that, when set and non-empty, replaces :data:`DATA_DIR`."""



def _packaged_data_dir() -> Path:
    """Return the directory of the resource package ``geo._data``, or the checkout's ``data/``."""
    try:
        spec = importlib.util.find_spec("geo._data")
    except ImportError:  # pragma: no cover - a broken install
        spec = None
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        if Path(location).is_dir():
            return Path(location).resolve()
    return Path(__file__).resolve().parents[2] / "data"


DATA_DIR: Final = _packaged_data_dir()
"""Default data directory: the installed ``geo._data`` (``data/`` of the project)."""

REMEDIES: Final = {
    "countries.parquet": "rebuild it with `python scripts/build_countries.py`",
    "gazetteer.parquet": "rebuild it with `python scripts/build_gazetteer.py`",
    "gazetteer_keys.parquet": "rebuild it with `python scripts/build_gazetteer.py`",
    "countries_info.csv": "rebuild it with `python scripts/build_gazetteer.py`",
    "disputed.parquet": "rebuild it with `python scripts/build_disputed.py ne_10m_admin_0_disputed_areas.json`",
    "sites.toml": "restore it from version control (it is written by hand)",
}
"""How to recreate each shipped file, quoted in error messages."""


def data_dir() -> Path:
    """Return the data directory in force now.

    Returns
    -------
    pathlib.Path
        ``$GEORANGE_DATA`` if that variable is set and non-empty, otherwise
        :data:`DATA_DIR`.
    """
    override = os.environ.get(DATA_ENV_VAR, "").strip()
    return Path(override) if override else DATA_DIR


def data_path(name: str) -> Path:
    """Return the path of the shipped data file `name`, checking it exists.

    Parameters
    ----------
    name : str
        File name inside the data directory, e.g. ``"gazetteer.parquet"``.

    Returns
    -------
    pathlib.Path
        Path of an existing regular file.

    Raises
    ------
    DataFileError
        If the file does not exist (or is not a regular file). The message
        names the file, the directory searched and how to recreate the
        file.
    """
    directory = data_dir()
    path = directory / name
    if not path.is_file():
        where = f"{DATA_ENV_VAR}={directory}" if os.environ.get(DATA_ENV_VAR, "").strip() else str(directory)
        how = REMEDIES.get(name, "reinstall georange")
        raise DataFileError(f"data file {name!r} not found in {where}; {how}")
    return path


def read_parquet(path: Path, columns: list[str] | None = None) -> pa.Table:
    """Read a whole Parquet data file, or some of its columns, into one Arrow table.

    Through :class:`pyarrow.parquet.ParquetFile`, not ``read_table``: the
    latter imports ``pyarrow.dataset``, which costs a command 0.2 s at start.
    A column asked for and missing raises :class:`pyarrow.ArrowInvalid`, as
    ``read_table`` does (``ParquetFile.read`` would leave it out).

    Raises
    ------
    OSError, pyarrow.ArrowException
        When the file cannot be opened or decoded, or lacks a column.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as f:
        table = f.read(columns=columns)
    missing = [c for c in columns or () if c not in table.column_names]
    if missing:
        raise pa.ArrowInvalid(f"no column {', '.join(missing)}")
    return table
