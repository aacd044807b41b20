"""Write output files atomically, refusing to overwrite unless asked.

:func:`atomic_path` hands out a temporary name in the target's directory;
the file is flushed to disk and renamed into place only when the block that
writes it succeeds, so an interrupted run leaves either the old file or the
new one, never a part. A run killed outright (SIGKILL, power loss) can leave
its hidden temporary file, ``.NAME.XXXX.partSUFFIX``, beside the output; it
is never the output itself, and deleting it is safe. Every file georange
writes goes through here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from geo.errors import OutputError, OutputExistsError

__all__ = ["atomic_path", "check_writable", "output_format", "write_text"]

log = logging.getLogger(__name__)


def _check_target(path: str | Path, overwrite: bool) -> Path:
    """Refuse an existing file (unless ``overwrite``), a directory or a missing directory; return the directory."""
    if not str(path).strip():
        raise OutputError("output file name is empty")
    target = Path(path)
    if target.exists() and not overwrite:
        raise OutputExistsError(f"{target}: exists; pass --overwrite to replace it")
    if target.is_dir():
        raise OutputError(f"{target}: is a directory, expected a file name")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "does not exist"
        raise OutputError(f"{target}: directory {directory} {what}")
    return directory


@contextlib.contextmanager
def atomic_path(path: str | Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` when the block succeeds.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is False.
    OutputError
        If the directory does not exist or cannot be written.
    """
    directory = _check_target(path, overwrite)
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".part{target.suffix}", dir=directory)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {directory}: {exc.strerror}") from exc
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; outputs get the usual permissions
    try:
        yield tmp_path
        try:
            fd = os.open(tmp_path, os.O_RDONLY)
            try:
                os.fsync(fd)  # the data is on disk before the name points at it
            finally:
                os.close(fd)
            os.replace(tmp_path, target)
            log.info("wrote %s", target)
        except OSError as exc:
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    except OSError as exc:  # raised while the block wrote (disk full, I/O error)
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def check_writable(path: str | Path, *, overwrite: bool = False) -> None:
    """Refuse an existing file (unless ``overwrite``), a directory, or a missing directory; any format."""
    _check_target(path, overwrite)


def output_format(path: str | Path, formats: Mapping[str, str], what: str = "output") -> str:
    """Return the format ``formats`` gives the extension of ``path`` (any case).

    Raises
    ------
    OutputError
        If the name is empty or its extension is not a key of ``formats``.
    """
    if not str(path).strip():
        raise OutputError("output file name is empty")
    target = Path(path)
    fmt = formats.get(target.suffix.lower())
    if fmt is None:
        raise OutputError(
            f"{target}: unknown {what} format {target.suffix or '(no extension)'!r}; "
            f"expected one of {', '.join(formats)}"
        )
    return fmt


def write_text(text: str, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``text`` to ``path`` as UTF-8, atomically; return the path.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is False.
    OutputError
        If the directory does not exist or the file cannot be written.
    """
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
