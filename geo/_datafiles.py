"""Locate the data files shipped in ``data/``.

The directory is ``data/`` next to the ``geo`` package, unless the
environment variable ``GEORANGE_DATA`` names another one. The variable is
read on every call, so a test can point it at a temporary directory (clear
the caches of :mod:`geo.places` afterwards with
:func:`geo.places.clear_caches`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from geo.errors import DataFileError

__all__ = ["DATA_DIR", "DATA_ENV_VAR", "REMEDIES", "data_dir", "data_path"]

DATA_ENV_VAR: Final = "GEORANGE_DATA"
"""Environment variable that, when set and non-empty, replaces :data:`DATA_DIR`."""

DATA_DIR: Final = Path(__file__).resolve().parent.parent / "data"
"""Default data directory: ``data/`` beside the ``geo`` package."""

REMEDIES: Final = {
    "countries.parquet": "rebuild it with `python scripts/build_countries.py`",
    "gazetteer.parquet": "rebuild it with `python scripts/build_gazetteer.py`",
    "countries_info.csv": "rebuild it with `python scripts/build_gazetteer.py`",
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
