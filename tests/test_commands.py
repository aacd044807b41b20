"""What every subcommand shares: -q and -v, one-line usage errors, the library functions under the CLI."""

from __future__ import annotations

import io
import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.analysis.api import reach
from geo.analysis.streaming import iter_reach
from geo.cli.main import main
from geo.errors import InvalidRangeError, OutputExistsError
from geo.outputs.stream import write_chunks

SUMMARY = re.compile(r"\d+ claims?: \d+ holds?, \d+ fails?(; .*)?")  # check's closing line, not a log line
CLAIMS_DIR = Path(__file__).resolve().parent.parent / "data" / "claims"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def subcommands(tmp_path):
    claims = str(CLAIMS_DIR / "002_offensive_from_the_north.toml")
    return {
        "reach": ["reach", "--from", "krichev", "--max-km", "500", "--places", "european-capitals",
                  "-o", str(tmp_path / "r.csv"), "--format", "csv"],
        "zone": ["zone", "--from", "krichev", "--max-km", "300", "-o", str(tmp_path / "z.geojson")],
        "check": ["check", claims, "--no-coverage", "--no-population", "-o", str(tmp_path / "c.json"),
                  "--format", "json"],
        "map": ["map", claims, "-o", str(tmp_path / "m.html")],
    }


@pytest.mark.parametrize("command", ["reach", "zone", "check", "map"])
def test_verbose_says_what_is_done_and_quiet_says_nothing(capsys, tmp_path, command):
    argv = subcommands(tmp_path)[command]
    code, out, err = run(capsys, *argv, "-v")
    assert code == 0 and out == ""
    lines = [line for line in err.splitlines() if not SUMMARY.fullmatch(line)]
    assert lines and all(line.startswith(f"georange {command}: ") for line in lines)
    assert f"georange {command}: wrote {argv[argv.index('-o') + 1]}" in lines
    code, out, err = run(capsys, *argv, "-q", "--overwrite")
    assert (code, out, err) == (0, "", "")


def test_check_without_quiet_prints_its_summary_line(capsys, tmp_path):
    argv = subcommands(tmp_path)["check"]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (0, "")
    wrote, summary = err.splitlines()
    doc = tomllib.loads((CLAIMS_DIR / "002_offensive_from_the_north.toml").read_text(encoding="utf-8"))
    n_claims = sum(len(c.get("places", [None])) for c in doc["claim"])  # a list of places is one claim each
    n_surveys = len(doc.get("survey", []))
    assert (n_claims, n_surveys) == (2, 1)
    assert wrote == f"georange check: wrote 2 claims and 1 survey to {argv[argv.index('-o') + 1]}"
    assert SUMMARY.fullmatch(summary), err


@pytest.mark.parametrize(("command", "wrote"), [
    ("reach", r"wrote 53 rows to \S+r\.csv"),
    ("zone", r"wrote 3 zones \(reach, dead_zone \(empty\), reachable\) to \S+z\.geojson"),
    ("map", r"wrote \S+m\.html: .+"),
])
def test_output_files_are_reported_unless_quiet(capsys, tmp_path, command, wrote):
    code, out, err = run(capsys, *subcommands(tmp_path)[command])
    assert (code, out) == (0, "")
    assert re.fullmatch(f"georange {command}: {wrote}", err.rstrip("\n")), err


def test_verbose_twice_is_more_detail(capsys, tmp_path):
    argv = subcommands(tmp_path)["check"]
    _, _, once = run(capsys, *argv, "-v")
    _, _, twice = run(capsys, *argv, "-vv", "--overwrite")
    assert len(twice.splitlines()) > len(once.splitlines())
    assert "holds" in twice


def test_quiet_and_verbose_together_is_a_usage_error(capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        main([*subcommands(tmp_path)["zone"], "-q", "-v"])
    out, err = capsys.readouterr()
    assert info.value.code == 2
    assert out == "" and err.count("\n") == 1 and "not allowed with" in err
    assert list(tmp_path.iterdir()) == []


def test_a_bad_chunk_size_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["reach", "--from", "BLR", "--max-km", "5", "--chunk-rows", "0"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--chunk-rows: 0: must be at least 1" in err


def test_iter_reach_streams_what_reach_gives_whole():
    chunks = iter_reach("european-capitals", "BLR", 700, 5000, chunk_rows=20)
    assert (chunks.band.min_km, chunks.band.max_km) == (700, 5000)
    assert [s.label for s in chunks.sources] == ["Belarus"]
    parts = list(chunks)
    assert [len(p) for p in parts] == [20, 20, 13]
    whole = pd.concat(parts)
    from geo.reference.places import preset_places

    expected = reach(preset_places("european-capitals"), "BLR", 700, 5000)
    pd.testing.assert_frame_equal(whole, expected)


def test_iter_reach_checks_everything_before_any_work():
    with pytest.raises(InvalidRangeError, match="chunk_rows 0"):
        iter_reach("capitals", "BLR", 0, 10, chunk_rows=0)
    with pytest.raises(InvalidRangeError, match="max_km 30000"):
        iter_reach("no-such-file.csv", "BLR", 0, 30000)


def test_write_chunks_spools_a_stream_and_writes_a_file_atomically(tmp_path):
    def chunks(fail: bool):
        yield pd.DataFrame({"name": ["a"], "min_km": [1.5]})
        if fail:
            raise InvalidRangeError("late failure")
        yield pd.DataFrame({"name": ["b"], "min_km": [2.0]})

    buf = io.StringIO()
    assert write_chunks(chunks(False), "json", buf) == 2
    assert json.loads(buf.getvalue()) == [{"name": "a", "min_km": 1.5}, {"name": "b", "min_km": 2.0}]
    buf = io.StringIO()
    with pytest.raises(InvalidRangeError):
        write_chunks(chunks(True), "csv", buf)
    assert buf.getvalue() == ""  # nothing half-written
    target = tmp_path / "out.csv"
    with pytest.raises(InvalidRangeError):
        write_chunks(chunks(True), "csv", target)
    assert list(tmp_path.iterdir()) == []
    # Chunks are written on a second thread while the next is computed: its errors reach the caller too.
    from geo.outputs.stream import ChunkWriter

    def failing(self, df):
        raise OSError("disk full")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ChunkWriter, "write", failing)
        with pytest.raises(OSError, match="disk full"):
            write_chunks(chunks(False), "csv", target)
    assert list(tmp_path.iterdir()) == []
    assert write_chunks(chunks(False), "csv", target) == 2
    assert target.read_text(encoding="utf-8") == "name,min_km\na,1.5\nb,2.0\n"
    with pytest.raises(OutputExistsError):
        write_chunks(chunks(False), "csv", target)


def test_the_progress_bar_shows_on_a_terminal_only(monkeypatch):
    import argparse
    import sys

    from geo.cli import main as cli

    quiet, loud = argparse.Namespace(quiet=True), argparse.Namespace(quiet=False)
    with cli._progress(loud, lambda: 10) as bar:  # pytest's stderr is no terminal
        bar.update(10)
    assert isinstance(bar, cli._NoBar)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert isinstance(cli._progress(quiet, lambda: 10), cli._NoBar)
    with cli._progress(loud, lambda: 10) as bar:
        bar.update(4)
        assert bar.n == 4 and not bar.disable


def test_large_streamed_csv_is_the_csv_of_the_whole_frame(tmp_path):
    # Large chunks go to the file's binary buffer as UTF-8, small ones through the text layer: in order, the same text.
    from geo.outputs.tables import to_csv

    rng = np.random.default_rng(5)
    frames = [pd.DataFrame({"name": [f"Mińsk, ‘{i}’ \"q\"" for i in range(n)], "min_km": rng.uniform(0, 1e4, n)})
              for n in (3, 40_000, 5, 60_000)]
    target = tmp_path / "big.csv"
    assert write_chunks(iter(frames), "csv", target) == 100_008
    assert target.read_text(encoding="utf-8") == to_csv(pd.concat(frames, ignore_index=True))
