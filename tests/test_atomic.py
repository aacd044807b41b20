"""Outputs are written atomically (issue 7): an interrupted run leaves the old file or the new one, never a part.

Two checks:

- **kill**: ``georange zone`` runs in a child process over an existing
  output and is killed with SIGKILL at several moments, and once while its
  temporary file is half written (the child's writer is slowed down so that
  the moment can be caught). The output is then byte-identical to the old
  file or to the output of a complete run, and the only other files are the
  hidden temporary files of :func:`geo.outputs.atomic.atomic_path`
  (``.NAME.XXXX.part.EXT``): SIGKILL gives no chance to remove them, so a
  killed run may leave one behind (reported in issue 7; not yet documented).
- **every writer**: for each command and format that writes a file,
  ``os.replace`` is made to fail when it would put the output in place:
  the old output stays byte-identical and no temporary file remains. A
  writer that wrote to the target directly would change it.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.cli.main import main

from cases import TINY_CLAIM

ZONE = ["zone", "--from", "BLR", "--max-km", "5000", "--overwrite"]
OLD = b'{"old": "output"}\n'

# Run the CLI with Path.write_text slowed to 4 kB per 10 ms, so that a kill can land while the
# temporary file holds part of the output.
SLOW_WRITER = """
import pathlib, sys, time
def write_text(self, data, encoding=None, errors=None, newline=None):
    with open(self, "w", encoding=encoding, errors=errors, newline=newline) as fh:
        for i in range(0, len(data), 4096):
            fh.write(data[i:i + 4096])
            fh.flush()
            time.sleep(0.01)
    return len(data)
pathlib.Path.write_text = write_text
from geo.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _cli(*argv: str, slow: bool = False) -> list[str]:
    return [sys.executable, "-c", SLOW_WRITER, *argv] if slow else [sys.executable, "-m", "geo", *argv]


def _temporaries(d: Path, name: str) -> list[Path]:
    return sorted(d.glob(f".{name}.*.part*"))


def _others(d: Path, name: str) -> list[str]:
    """Files in ``d`` other than the output and its hidden temporaries."""
    temps = set(_temporaries(d, name))
    return sorted(p.name for p in d.iterdir() if p.name != name and p not in temps)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, float]:
    """The output of a complete run, and how long the run took (s)."""
    d = tmp_path_factory.mktemp("reference")
    start = time.monotonic()
    done = subprocess.run(_cli(*ZONE, "-o", "out.geojson"), cwd=d, capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - start
    wrote = "georange zone: wrote 3 zones (reach, dead_zone (empty), reachable) to out.geojson\n"
    assert (done.returncode, done.stderr) == (0, wrote)
    data = (d / "out.geojson").read_bytes()
    assert [f["properties"]["role"] for f in json.loads(data)["features"]] == ["reach", "dead_zone", "reachable"]
    return data, elapsed


def _kill_after(d: Path, delay_s: float, *, slow: bool = False) -> int | None:
    """Start the zone run over an old output, SIGKILL it after ``delay_s``; return its exit status (None if killed)."""
    (d / "out.geojson").write_bytes(OLD)
    child = subprocess.Popen(_cli(*ZONE, "-o", "out.geojson", slow=slow), cwd=d, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        child.wait(timeout=delay_s)
        return child.returncode
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        return None


@pytest.mark.parametrize("fraction", [0.2, 0.6, 0.9, 1.0])
def test_killed_zone_run_leaves_old_or_complete_output(tmp_path: Path, reference: tuple[bytes, float],
                                                       fraction: float) -> None:
    new, elapsed = reference
    status = _kill_after(tmp_path, fraction * elapsed)
    data = (tmp_path / "out.geojson").read_bytes()
    assert data in (OLD, new), f"partial output after a kill at {fraction:.0%} of the run: {len(data)} bytes"
    if status == 0:
        assert data == new
    assert _others(tmp_path, "out.geojson") == []  # nothing but the output and hidden temporaries
    for temp in _temporaries(tmp_path, "out.geojson"):
        assert status is None  # only a killed run leaves one
        assert temp.name.startswith(".out.geojson.") and temp.name.endswith(".part.geojson")


def test_kill_while_the_temporary_file_is_half_written_keeps_the_old_output(tmp_path: Path,
                                                                              reference: tuple[bytes, float]) -> None:
    new, _ = reference
    (tmp_path / "out.geojson").write_bytes(OLD)
    child = subprocess.Popen(_cli(*ZONE, "-o", "out.geojson", slow=True), cwd=tmp_path, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    caught = None
    deadline = time.monotonic() + 300
    try:
        while caught is None and child.poll() is None and time.monotonic() < deadline:
            for temp in _temporaries(tmp_path, "out.geojson"):
                if 0 < temp.stat().st_size < len(new):
                    caught = temp
            time.sleep(0.002)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert caught is not None, "the run ended before its temporary file was caught half written"
    assert (tmp_path / "out.geojson").read_bytes() == OLD
    # The half-written temporary stays behind (SIGKILL runs no clean-up); hidden, and never the output.
    leftover = _temporaries(tmp_path, "out.geojson")
    assert leftover == [caught] and 0 < caught.stat().st_size < len(new)
    assert _others(tmp_path, "out.geojson") == []
    done = subprocess.run(_cli(*ZONE, "-o", "out.geojson"), cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and (tmp_path / "out.geojson").read_bytes() == new  # a rerun completes the job


# -- every output-writing path goes through the atomic rename ------------------------------------------


WRITERS = {
    "zone-geojson": ("zone --from krichev --max-km 300 -o {out}", "out.geojson"),
    "zone-json": ("zone --from krichev --max-km 300 -o {out}", "out.json"),
    "zone-kml": ("zone --from krichev --max-km 300 -o {out}", "out.kml"),
    "zone-gpkg": ("zone --from krichev --max-km 300 -o {out}", "out.gpkg"),
    "check-table": ("check {claims} --no-coverage --no-population -o {out}", "report.txt"),
    "check-markdown": ("check {claims} --format markdown -o {out}", "report.md"),
    "check-geojson": ("check {claims} --format geojson -o {out}", "report.geojson"),
    "map-html": ("map {claims} -o {out}", "map.html"),
    "map-png": ("map {claims} --png {out}", "map.png"),
    "map-svg": ("map {claims} --svg {out}", "map.svg"),
    "reach-table": ("reach --from krichev --max-km 300 -o {out}", "reach.txt"),
    "reach-csv": ("reach --from krichev --max-km 300 --format csv -o {out}", "reach.csv"),
    "reach-json": ("reach --from krichev --max-km 300 --format json -o {out}", "reach.json"),
    "reach-geojson": ("reach --from krichev --max-km 300 --format geojson -o {out}", "reach.geojson"),
}


def _argv(template: str, d: Path, name: str) -> list[str]:
    (d / "claims.toml").write_text(TINY_CLAIM, encoding="utf-8")
    return [a.format(out=d / name, claims=d / "claims.toml") for a in template.split()] + ["--overwrite"]


def _run(argv: list[str]) -> int | BaseException:
    try:
        return main(argv)
    except SystemExit as usage:
        return int(usage.code or 0)
    except Exception as exc:  # noqa: BLE001 - the failure injected below may surface as any error
        return exc


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_writer_renames_a_complete_temporary_into_place(writer: str, tmp_path: Path, capsys,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    template, name = WRITERS[writer]
    argv = _argv(template, tmp_path, name)
    target = tmp_path / name
    target.write_bytes(OLD)
    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def failing_replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(dst) == target:
            calls.append((os.fspath(src), os.fspath(dst)))
            assert Path(src).parent == target.parent and Path(src).name.startswith(f".{name}.")
            assert Path(src).stat().st_size > 0  # the whole output was written to the temporary first
            raise OSError(errno.EIO, "injected failure", os.fspath(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    outcome = _run(argv)
    capsys.readouterr()
    assert calls, f"{writer}: the output was not put in place with os.replace ({outcome!r})"
    assert target.read_bytes() == OLD, f"{writer}: the output changed although the rename failed"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["claims.toml", name])  # temporaries removed

    monkeypatch.setattr(os, "replace", real_replace)
    assert _run(argv) in (0, 1)  # 1: a claim that fails is still a report
    assert target.read_bytes() != OLD and target.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["claims.toml", name])


def test_a_failing_write_is_one_line_and_exit_2(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace

    def full_disk(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(dst).name == "out.geojson":
            raise OSError(errno.ENOSPC, "No space left on device", os.fspath(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full_disk)
    outcome = _run(["zone", "--from", "krichev", "--max-km", "300", "-o", str(tmp_path / "out.geojson")])
    err = capsys.readouterr().err
    assert outcome == 2 and err.count("\n") == 1 and "No space left on device" in err, (outcome, err)
