"""Target sets: the places a range is checked against.

``--places`` takes a preset (``capitals``, ``european-capitals``,
``cities``) or a CSV file with at least the columns ``name``, ``lat`` and
``lon`` (decimal degrees); other columns pass through to the output.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo.errors import InputFileError

if TYPE_CHECKING:
    from geo.places import Place

__all__ = ["PRESETS", "load_targets", "places_frame", "read_places_csv"]

PRESETS = ("capitals", "european-capitals", "cities")
_REQUIRED = ("name", "lat", "lon")


def places_frame(chosen: Sequence[Place]) -> pd.DataFrame:
    """Return gazetteer places as a frame with ``name, country, lat, lon, population``."""
    return pd.DataFrame(
        {
            "name": [p.name for p in chosen],
            "country": [p.country for p in chosen],
            "lat": [p.lat for p in chosen],
            "lon": [p.lon for p in chosen],
            "population": [p.population for p in chosen],
        }
    )


def _preset(name: str) -> pd.DataFrame:
    from geo import places

    if name == "cities":
        g = places.load_gazetteer()
        return pd.DataFrame(
            {
                "name": g["name"].to_numpy(),
                "country": g["country"].to_numpy(),
                "lat": g["lat"].to_numpy(float),
                "lon": g["lon"].to_numpy(float),
                "population": g["population"].to_numpy(),
            }
        )
    return places_frame(places.capitals() if name == "capitals" else places.european_capitals())


def read_places_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV of places, checking every row.

    Column names are matched case-insensitively and ``latitude``/``longitude``
    are accepted for ``lat``/``lon``. Extra columns are kept as text.

    Raises
    ------
    InputFileError
        If the file cannot be read, is not UTF-8 text, lacks a required
        column, or a row has an empty name or a coordinate that is not a
        finite number in range; the message gives the file and row number
        (the header is row 1).
    """
    p = Path(path)
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise InputFileError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{p}: is a directory, expected a CSV file") from None
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{p}: not UTF-8 text (byte {exc.start}); expected a CSV file") from None
    except (OSError, csv.Error) as exc:
        raise InputFileError(f"{p}: cannot read: {exc}") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputFileError(f"{p}: empty file; expected a CSV header with the columns name, lat, lon")
    header = [h.strip() for h in rows[0]]
    canon = {"latitude": "lat", "longitude": "lon", "lng": "lon"}
    keys = [canon.get(h.lower(), h.lower()) for h in header]
    missing = [c for c in _REQUIRED if c not in keys]
    if missing:
        raise InputFileError(
            f"{p}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"found {', '.join(header) or 'none'}"
        )
    col = {k: keys.index(k) for k in _REQUIRED}
    data: dict[str, list] = {h: [] for h in header}
    lat_out, lon_out, names = [], [], []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines are harmless
        if len(row) != len(header):
            raise InputFileError(f"{p}, row {n}: {len(row)} fields, expected {len(header)} as in the header")
        name = row[col["name"]].strip()
        if not name:
            raise InputFileError(f"{p}, row {n}: name is empty")
        values = {}
        for key, limit in (("lat", 90.0), ("lon", 180.0)):
            raw = row[col[key]].strip()
            try:
                v = float(raw)
            except ValueError:
                raise InputFileError(f"{p}, row {n}: {key} {raw!r} is not a number") from None
            if not math.isfinite(v) or abs(v) > limit:
                raise InputFileError(f"{p}, row {n}: {key} {raw} must be a finite number in [-{limit:g}, {limit:g}]")
            values[key] = v
        names.append(name)
        lat_out.append(values["lat"])
        lon_out.append(values["lon"])
        for h, cell in zip(header, row, strict=True):
            data[h].append(cell)
    if not names:
        raise InputFileError(f"{p}: no places (only a header)")
    df = pd.DataFrame({h: v for h, v, k in zip(header, data.values(), keys, strict=True) if k not in _REQUIRED})
    df.insert(0, "name", names)
    if "country" not in df.columns:
        df.insert(1, "country", "")
    df.insert(2, "lat", lat_out)
    df.insert(3, "lon", lon_out)
    return df


def load_targets(spec: str) -> pd.DataFrame:
    """Return the places named by a preset or read from a CSV file.

    Raises
    ------
    InputFileError
        If ``spec`` is neither a preset nor a readable, valid CSV file.
    """
    if spec in PRESETS:
        return _preset(spec)
    p = Path(spec)
    if p.suffix.lower() != ".csv" and not p.exists():
        raise InputFileError(f"--places {spec!r}: not a preset ({', '.join(PRESETS)}) and not an existing CSV file")
    return read_places_csv(p)
