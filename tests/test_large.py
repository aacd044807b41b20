"""georange reach on large and file-based target sets: streaming, formats, options, memory.

The streamed outputs must equal the in-memory API's answer (and read back
through geo.outputs.tables's readers); peak memory is measured from outside the
child process (wait4), never timed.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

import geo
from geo.cli.main import main
from geo.outputs.tables import from_csv, from_geojson, from_json

from cases import sphere_points

GEOD = Geod(ellps="WGS84")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def points_file(tmp_path_factory):
    lon, lat = sphere_points(5000, seed=21)
    path = tmp_path_factory.mktemp("pts") / "points.parquet"
    pd.DataFrame({"id": np.arange(lon.size), "lon": lon, "lat": lat}).to_parquet(path, row_group_size=700)
    return path, lon, lat


def run(capsys, *argv):
    code = main(["reach", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("fmt", "reader"), [("csv", from_csv), ("json", from_json), ("geojson", from_geojson)])
def test_streamed_output_in_small_chunks_equals_the_api(capsys, points_file, fmt, reader):
    path, lon, lat = points_file
    code, out, err = run(capsys, "--from", "BLR", "--min-km", 700, "--max-km", 5000, "--places", path,
                         "--format", fmt, "--chunk-rows", 1234)
    assert code == 0 and err == ""
    got = reader(out)
    expect = geo.reach((lon, lat), "BLR", 700, 5000)
    assert len(got) == lon.size
    assert np.array_equal(got["lon"].to_numpy(), lon) and np.array_equal(got["lat"].to_numpy(), lat)
    assert got["status"].tolist() == expect["status"].tolist()
    for col in ("min_km", "max_km", "margin_km"):
        assert np.array_equal(got[col].to_numpy(float), expect[col].to_numpy()), col
    assert [int(v) for v in got["id"]] == list(range(lon.size))


def test_status_only_output_file_is_atomic_and_matches_a_direct_count(capsys, tmp_path, points_file):
    path, lon, lat = points_file
    out = tmp_path / "status.csv"
    code, stdout, _ = run(capsys, "--from", "53.9,27.56", "--min-km", 300, "--max-km", 4000, "--places", path,
                          "--status-only", "--format", "csv", "-o", out)
    assert code == 0 and stdout == ""
    got = from_csv(out.read_text(encoding="utf-8"))
    assert list(got.columns) == ["lat", "lon", "id", "status", "borders", "border_src"]  # no country: the file has none
    d = np.asarray(GEOD.inv(np.full(lon.size, 27.56), np.full(lon.size, 53.9), lon, lat)[2])
    expect = np.where(d < 300e3, "too_close", np.where(d > 4000e3, "too_far", "reachable"))
    assert got["status"].tolist() == expect.tolist()
    assert [p.name for p in tmp_path.iterdir()] == ["status.csv"]  # no temporary file left behind
    code, _, err = run(capsys, "--from", "BLR", "--max-km", 10, "--places", path, "--format", "csv", "-o", out)
    assert code == 2 and "exists" in err


def test_a_bad_row_late_in_the_input_leaves_stdout_empty(capsys, tmp_path):
    rows = "".join(f"p{i},{50 + i / 1000},{20 + i / 1000}\n" for i in range(2500))
    bad = tmp_path / "late.csv"
    bad.write_text("name,lat,lon\n" + rows + "bad,91,20\n", encoding="utf-8")
    code, out, err = run(capsys, "--from", "BLR", "--max-km", 500, "--places", bad, "--format", "csv",
                         "--chunk-rows", 1000)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "row 2502" in err and "lat 91" in err


def test_system_and_summary(capsys):
    code, out, _ = run(capsys, "--from", "BLR", "--system", "oreshnik", "--places", "european-capitals", "--summary")
    assert code == 0
    s = geo.lookup_system("oreshnik")
    assert f"Reach of {s.name}, {s.min_km.value_km:,.0f}-{s.max_km.value_km:,.0f} km from Belarus" in out
    from geo.analysis.population import population_in_range

    p = population_in_range([geo.parse_launch("BLR")], geo.RangeBand(s.min_km.value_km, s.max_km.value_km))
    for line in p.lines():
        assert line in out
    # For machine-readable formats the summary goes to stderr, keeping stdout parseable.
    code, out, err = run(capsys, "--from", "BLR", "--max-km", 700, "--places", "capitals", "--format", "json",
                         "--summary")
    assert code == 0 and json.loads(out) and "dead zone" in err


def test_status_only_table_lists_places_in_input_order(capsys):
    code, out, _ = run(capsys, "--from", "BLR", "--min-km", 700, "--max-km", 5000, "--places", "european-capitals",
                       "--status-only")
    assert code == 0
    body = pd.read_fwf(io.StringIO(out.split("\n\n")[1]))
    from geo.inputs.targets import load_targets

    expect = geo.reach(load_targets("european-capitals"), "BLR", 700, 5000, distances=False)
    assert body["status"].tolist() == expect["status"].tolist()


def test_progress_bar_is_not_shown_when_stderr_is_not_a_terminal(capsys, points_file):
    path, _, _ = points_file
    code, _, err = run(capsys, "--from", "BLR", "--max-km", 1000, "--places", path, "--format", "csv")
    assert code == 0 and err == ""


def test_progress_bar_on_a_terminal(tmp_path, points_file):
    # A pseudo-terminal as stderr: the bar is drawn there; --quiet silences it.
    import fcntl
    import pty
    import struct
    import termios

    path, _, _ = points_file
    for quiet, expect_bar in ((False, True), (True, False)):
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns wide
        argv = [sys.executable, "-m", "geo", "reach", "--from", "BLR", "--max-km", "1000", "--places", str(path),
                "--format", "csv", "--status-only", *(["-q"] if quiet else [])]
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=follower, cwd=ROOT, check=True, timeout=120)
        os.set_blocking(leader, False)
        seen = b""
        while True:  # what the child drew, still buffered in the terminal
            try:
                data = os.read(leader, 65536)
            except (BlockingIOError, OSError):
                break
            if not data:
                break
            seen += data
        os.close(follower)
        os.close(leader)
        assert (b"places" in seen) == expect_bar, seen[-300:]
        assert proc.stdout.startswith(b"lat,lon,id,status")


def test_a_million_points_stream_in_bounded_memory(tmp_path):
    """1M points through the CLI in 200k-row chunks: peak memory of the process, measured from outside."""
    n = 1_000_000
    lon, lat = sphere_points(n, seed=99)
    points = tmp_path / "million.parquet"
    pd.DataFrame({"lon": lon, "lat": lat}).to_parquet(points, row_group_size=100_000)
    out = tmp_path / "million.csv"
    argv = [sys.executable, "-m", "geo", "reach", "--from", "BLR", "--min-km", "700", "--max-km", "5000",
            "--places", str(points), "--status-only", "--format", "csv", "-o", str(out), "--chunk-rows", "200000"]
    # Measured by a small Python started for it: a child forked from the test process itself would count the
    # pages it shares with pytest (all the data earlier tests loaded) in its peak.
    watch = ("import os, subprocess, sys; p = subprocess.Popen(sys.argv[1:]); _, s, u = os.wait4(p.pid, 0); "
             "print(u.ru_maxrss); sys.exit(os.waitstatus_to_exitcode(s))")
    proc = subprocess.run([sys.executable, "-c", watch, *argv], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    peak_mb = int(proc.stdout.split()[-1]) / 1024
    assert peak_mb < 2048, f"peak memory {peak_mb:,.0f} MB"
    got = pd.read_csv(out, usecols=["status"])["status"].to_numpy()
    sample = np.random.default_rng(1).choice(n, 20_000, replace=False)
    expect = geo.reach((lon[sample], lat[sample]), "BLR", 700, 5000)
    assert got[sample].tolist() == expect["status"].tolist()
    counts = pd.Series(got).value_counts()
    assert counts.sum() == n and set(counts.index) == {"reachable", "too_close", "too_far"}


def test_a_repaired_launch_polygon_warns_on_one_stderr_line_and_the_run_goes_on(capsys, tmp_path):
    bowtie = tmp_path / "bowtie.geojson"
    bowtie.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "patrol"},
        "geometry": {"type": "Polygon", "coordinates": [[[20, 50], [30, 55], [30, 50], [20, 55], [20, 50]]]}}]}),
        encoding="utf-8")
    code, out, err = run(capsys, "--from", bowtie, "--max-km", 300, "--places", "european-capitals", "--format", "csv")
    assert code == 0 and out.startswith("name,country")
    assert err.count("\n") == 1 and err.startswith("georange reach: warning:") and "repaired" in err
    # A run that fails shows its error alone: the warning was about an answer it does not give.
    code, out, err = run(capsys, "--from", bowtie, "--max-km", 300, "--places", tmp_path / "missing.csv")
    assert code == 2 and out == "" and err.count("\n") == 1 and "error:" in err
