"""A cache an analyst can keep: zones and prepared launch areas stored on disk between runs.

Building a zone or preparing a large launch territory (Russia's 213 parts)
takes seconds; the same question asked again (a second map of the same
launch and band, the same claim file checked after an edit elsewhere) need
not pay it twice. Two layers:

- **in the process**, always: a zone for one launch part set, radius and
  tolerance is built once and shared by the verdicts, the report, the map
  and the figure (:func:`remembered`);
- **on disk**, only inside :func:`enabled` (``georange`` turns it on for
  every command; ``--no-cache`` turns it off; library calls leave it off
  unless asked): zones and the prepared inside-test polygons of launch
  areas (:mod:`geo.geodesy.distance`).

Location
--------
``$GEORANGE_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/georange``, else
``~/.cache/georange``. Deleting the folder is always safe. It is kept under
:data:`MAX_BYTES`: the least recently used entries go first.

Keys and trust
--------------
An entry's key holds what its value depends on: the code version (a digest
of the library's own source, so any change to it starts afresh), the
launch's geometry itself (a digest of its WKB, so a new border view or a
new release of the boundary data is a new key), the band or radius and the
tolerance. Each entry is one file named by the digest of its key, holding
the key in full and a SHA-256 of its value; an entry whose key differs
(stale), whose digest fails or that cannot be read (corrupt, cut short by a
killed run) is deleted and rebuilt, never trusted. Files are written to a
temporary name and renamed into place, so a reader never sees half of one.
A cache that cannot be written (read-only home, full disk) is skipped with
one log record; the answers are the same either way.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final, TypeVar

__all__ = ["ENV_VAR", "MAX_BYTES", "Stats", "default_directory", "array_digest", "enabled", "forget",
           "geometry_digest", "launch_key", "load", "remembered", "stats", "store"]

log = logging.getLogger(__name__)

ENV_VAR: Final = "GEORANGE_CACHE_DIR"
"""Environment variable naming the cache folder."""
MAX_BYTES: Final = 2 * 1024**3
"""Largest total size of the folder; beyond it the least recently used entries are deleted."""
_MAGIC: Final = b"georange cache 1\n"
_MEMORY_ENTRIES: Final = 64  # results remembered per process (zones of a few MB at most each)

T = TypeVar("T")


class Stats:
    """What the cache did in this process (for tests and ``-vv``)."""

    def __init__(self) -> None:
        self.hits = 0  # entries read from disk
        self.stored = 0  # entries written
        self.rebuilt = 0  # stale or corrupt entries deleted


_stats = Stats()
_directory: Path | None = None
_memory: OrderedDict[str, object] = OrderedDict()


def stats() -> Stats:
    """Return the counters of this process."""
    return _stats


def default_directory() -> Path:
    """Return the folder used when none is given (see the module docstring)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "georange"


@contextlib.contextmanager
def enabled(folder: str | Path | None = None) -> Iterator[Path]:
    """Use the disk cache in ``folder`` (default :func:`default_directory`) inside the block."""
    from geo.geodesy import distance  # numpy and shapely: only once the cache is used

    global _directory
    previous = _directory
    _directory = Path(folder) if folder is not None else default_directory()
    previous_store = distance.set_prepared_store(_PreparedStore())
    try:
        yield _directory
    finally:
        _directory = previous
        distance.set_prepared_store(previous_store)


@functools.cache
def code_version() -> str:
    """Return a digest of the library's source: any change to the code is a new cache."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key_text(kind: str, key: Mapping[str, object]) -> str:
    return json.dumps({"kind": kind, "code": code_version(), **key}, sort_keys=True, separators=(",", ":"))


def _path(folder: Path, kind: str, text: str) -> Path:
    return folder / kind / f"{hashlib.sha256(text.encode()).hexdigest()[:40]}.bin"


def load(kind: str, key: Mapping[str, object]) -> bytes | None:
    """Return the stored value of ``key``, or None (disk cache off, missing, stale or corrupt)."""
    if _directory is None:
        return None
    text = _key_text(kind, key)
    path = _path(_directory, kind, text)
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    value = _unpack(blob, text)
    if value is None:
        _stats.rebuilt += 1
        log.info("cache: %s is stale or corrupt; rebuilding it", path)
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    _stats.hits += 1
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: evicted last
    return value


def _unpack(blob: bytes, text: str) -> bytes | None:
    """Return the value in ``blob`` if it is whole and was stored under ``text``."""
    if not blob.startswith(_MAGIC):
        return None
    head_end = blob.find(b"\n", len(_MAGIC))
    if head_end < 0:
        return None
    try:
        head = json.loads(blob[len(_MAGIC):head_end])
        key, size, digest = head["key"], int(head["size"]), head["sha256"]
    except (ValueError, KeyError, TypeError):
        return None
    value = blob[head_end + 1:]
    if key != text or len(value) != size or hashlib.sha256(value).hexdigest() != digest:
        return None
    return value


def store(kind: str, key: Mapping[str, object], value: bytes) -> None:
    """Store ``value`` under ``key`` (nothing when the disk cache is off or cannot be written)."""
    if _directory is None:
        return
    text = _key_text(kind, key)
    path = _path(_directory, kind, text)
    head = json.dumps({"key": text, "size": len(value), "sha256": hashlib.sha256(value).hexdigest()})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + head.encode() + b"\n" + value)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        log.info("cache: cannot write %s (%s); going on without it", path, exc.strerror or exc)
        return
    _stats.stored += 1
    if _directory not in _sizes:
        _sizes[_directory] = _trim(_directory)  # once per process and folder: a listing costs ~15 ms per 100 entries
    else:
        _sizes[_directory] += len(_MAGIC) + len(head) + 1 + len(value)
        if _sizes[_directory] > MAX_BYTES:
            _sizes[_directory] = _trim(_directory)


_sizes: dict[Path, int] = {}
"""Bytes in each cache folder: listed at this process's first store there, then counted up as it stores."""


def _trim(folder: Path) -> int:
    """Delete the least recently used entries while the folder holds more than MAX_BYTES; return what is left."""
    entries = []
    for path in folder.glob("*/*.bin"):
        with contextlib.suppress(OSError):
            st = path.stat()
            entries.append((st.st_mtime, st.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda e: e[0]):
        if total <= MAX_BYTES:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
    return total


def remembered(kind: str, key: Mapping[str, object], build: Callable[[], T], *, dump: Callable[[T], bytes],
               read: Callable[[bytes], T]) -> T:
    """Return ``build()``, remembered in this process and, when enabled, on disk under ``kind`` and ``key``."""
    text = _key_text(kind, key)
    if text in _memory:
        _memory.move_to_end(text)
        return _memory[text]  # type: ignore[return-value]
    value: T | None = None
    blob = load(kind, key)
    if blob is not None:
        try:
            value = read(blob)
        except Exception:  # noqa: BLE001 - a value that passed its checksum but does not parse is rebuilt too
            _stats.rebuilt += 1
            value = None
    if value is None:
        value = build()
        store(kind, key, dump(value))
    _memory[text] = value
    if len(_memory) > _MEMORY_ENTRIES:
        _memory.popitem(last=False)
    return value


def forget() -> None:
    """Drop what this process remembers (the disk cache stays)."""
    _memory.clear()
    _sizes.clear()


def geometry_digest(wkb: bytes) -> str:
    """Return the digest naming a geometry in keys (of its WKB)."""
    return hashlib.sha256(wkb).hexdigest()[:32]


def launch_key(sources: Sequence[object]) -> list[object]:
    """Return what a launch's answers depend on, for keys: sites by coordinates, areas and routes by geometry."""
    import shapely

    from geo.analysis.launch import LaunchPoint, LaunchRegion

    key: list[object] = []
    for source in sources:
        if isinstance(source, LaunchPoint):
            key.append(["point", source.lon, source.lat])
        elif isinstance(source, LaunchRegion):
            key.append([type(source).__name__, geometry_digest(shapely.to_wkb(source.geometry))])
        else:
            raise TypeError(f"not a launch source: {type(source).__name__}")
    return key


def array_digest(*arrays: object) -> str:
    """Return a digest of arrays' contents (numeric arrays by their bytes, others by their text)."""
    import numpy as np

    digest = hashlib.sha256()
    for a in arrays:
        arr = np.asarray(a)
        digest.update(arr.tobytes() if arr.dtype.kind in "biuf" else "\x1f".join(map(str, arr.tolist())).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()[:32]


class _PreparedStore:
    """What :mod:`geo.geodesy.distance` asks for prepared structures (a layer below: it only sees this)."""

    def load(self, kind: str, key: Mapping[str, object]) -> bytes | None:
        return load(kind, key)

    def store(self, kind: str, key: Mapping[str, object], value: bytes) -> None:
        store(kind, key, value)
