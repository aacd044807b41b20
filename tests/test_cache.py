"""The cache kept between runs (issue 29): the second run reads it, a bad entry is rebuilt, --no-cache is obeyed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely

import geo.analysis.zones as zones_module
from geo.analysis import cache
from geo.analysis.launch import LaunchRegion
from geo.cli.main import main
from geo.geodesy.distance import LaunchArea

ZONE_ARGS = ["zone", "--from", "Kaliningrad", "--min-km", "100", "--max-km", "400", "--quiet"]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A cache folder of the test's own, named as an analyst names it (the environment variable)."""
    where = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_VAR, str(where))
    return where


@pytest.fixture
def builds(monkeypatch):
    """Count the zone builds (a zone read from a cache is not built)."""
    seen = []
    build = zones_module._Builder.build

    def counted(self):  # type: ignore[no-untyped-def]
        seen.append(self.radius)
        return build(self)

    monkeypatch.setattr(zones_module._Builder, "build", counted)
    return seen


def zone_run(out: Path, *extra: str) -> bytes:
    """Run ``georange zone`` as a new process would (nothing remembered in memory) and return the file."""
    cache.forget()
    out.unlink(missing_ok=True)
    assert main([*ZONE_ARGS, "-o", str(out), *extra]) == 0
    return out.read_bytes()


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.bin"))


def test_the_second_run_reads_every_zone_from_the_cache_and_writes_the_same_bytes(folder, builds, tmp_path):
    first = zone_run(tmp_path / "z.geojson")
    assert builds, "the first run builds its zones"
    # The zones at least (the launch's prepared polygons too, unless an earlier test prepared them in this process).
    assert "zone" in {p.parent.name for p in entries(folder)}
    built = len(builds)
    hits = cache.stats().hits
    second = zone_run(tmp_path / "z.geojson")
    assert second == first
    assert len(builds) == built, "the second run built a zone again"
    assert cache.stats().hits > hits


def test_no_cache_neither_reads_nor_writes(folder, builds, tmp_path):
    zone_run(tmp_path / "z.geojson")
    built = len(builds)
    zone_run(tmp_path / "z.geojson", "--no-cache")
    assert len(builds) == 2 * built, "--no-cache read the cache"
    other = folder.parent / "other"
    with cache.enabled(other):
        pass
    zone_run(tmp_path / "y.geojson", "--no-cache")
    assert not other.exists()


@pytest.mark.parametrize("damage", ["flip a byte", "cut short", "empty", "not ours"])
def test_a_corrupt_entry_is_rebuilt_never_trusted(folder, builds, tmp_path, damage):
    good = zone_run(tmp_path / "z.geojson")
    built = len(builds)
    for path in entries(folder):
        blob = path.read_bytes()
        if damage == "flip a byte":
            blob = blob[:-10] + bytes([blob[-10] ^ 0x40]) + blob[-9:]
        elif damage == "cut short":
            blob = blob[: len(blob) // 2]
        elif damage == "empty":
            blob = b""
        else:
            blob = b"PK\x03\x04 something else entirely"
        path.write_bytes(blob)
    rebuilt = cache.stats().rebuilt
    assert zone_run(tmp_path / "z.geojson") == good
    assert len(builds) == 2 * built, "a damaged zone was read instead of built"
    assert cache.stats().rebuilt - rebuilt == len(entries(folder))
    # ... and the rebuilt entries are whole again: a third run builds nothing.
    assert zone_run(tmp_path / "z.geojson") == good
    assert len(builds) == 2 * built


def test_a_stale_entry_is_rebuilt_even_with_a_valid_checksum(folder, builds, tmp_path):
    good = zone_run(tmp_path / "z.geojson")
    built = len(builds)
    for path in entries(folder):
        # Another key under this file's name (as a changed key layout would leave), the checksum made right.
        blob = path.read_bytes()
        magic_end = blob.index(b"\n") + 1
        head_end = blob.index(b"\n", magic_end)
        head = json.loads(blob[magic_end:head_end])
        head["key"] = head["key"].replace('"radius_m":', '"radius_m_old":').replace('"area":', '"area_old":')
        path.write_bytes(blob[:magic_end] + json.dumps(head).encode() + blob[head_end:])
    assert zone_run(tmp_path / "z.geojson") == good
    assert len(builds) == 2 * built


def test_a_new_code_version_is_a_new_cache(folder, builds, tmp_path, monkeypatch):
    zone_run(tmp_path / "z.geojson")
    built = len(builds)
    monkeypatch.setattr(cache, "code_version", lambda: "another-version")
    zone_run(tmp_path / "z.geojson")
    assert len(builds) == 2 * built


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path, monkeypatch, builds):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV_VAR, str(blocker / "cache"))
    good = zone_run(tmp_path / "z.geojson", "--no-cache")
    assert zone_run(tmp_path / "z.geojson") == good


def test_the_folder_is_trimmed_to_its_size_least_recently_used_first(folder, tmp_path, monkeypatch):
    zone_run(tmp_path / "z.geojson")
    sizes = {p: p.stat().st_size for p in entries(folder)}
    monkeypatch.setattr(cache, "MAX_BYTES", max(sizes.values()))
    with cache.enabled(folder):
        cache.store("zone", {"test": 1}, b"x" * 10)
    left = entries(folder)
    assert sum(p.stat().st_size for p in left) <= max(sizes.values())
    assert any(p.stat().st_size < 1000 for p in left), "the newest entry was evicted instead of the oldest"


def test_the_default_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "here"))
    assert cache.default_directory() == tmp_path / "here"
    monkeypatch.delenv(cache.ENV_VAR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.default_directory() == tmp_path / "xdg" / "georange"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.default_directory() == tmp_path / "home" / ".cache" / "georange"


def test_library_calls_leave_the_disk_alone_and_share_zones_in_memory(folder, builds):
    import geo

    first = geo.zones("Kaliningrad", 100, 400)
    built = len(builds)
    again = geo.zones("Kaliningrad", 100, 400)
    assert len(builds) == built, "the same zones were built twice in one process"
    assert [z.geometry.wkb for z in again] == [z.geometry.wkb for z in first]
    assert not folder.exists()


def test_a_prepared_area_read_from_the_cache_answers_as_one_built_afresh(folder):
    region = LaunchRegion("U", shapely.Polygon([(0, 0), (20, 0), (20, 15), (18, 15), (18, 2), (2, 2), (2, 15),
                                                (0, 15)]))
    geometry = region.parts[0].geometry
    lon = [1.0, 10.0, 19.0, 10.0, 25.0, 1.0]
    lat = [1.0, 8.6, 14.0, 1.0, 5.0, 14.99]
    afresh = LaunchArea(geometry).distances(lon, lat)
    with cache.enabled(folder):
        LaunchArea(geometry)._inside_geometry  # noqa: B018 - stores it
        hits = cache.stats().hits
        read = LaunchArea(geometry)
        answers = read.distances(lon, lat)
        assert cache.stats().hits == hits + 1
    assert [a.tolist() for a in answers] == [a.tolist() for a in afresh]


def test_a_map_and_a_check_are_the_same_bytes_cold_warm_and_without_the_cache(folder, tmp_path):
    import subprocess
    import sys

    def both(*extra: str) -> tuple[bytes, bytes]:  # new processes, as an analyst runs them
        html, report = tmp_path / "m.html", tmp_path / "r.json"
        for args in (["map", "--from", "Kaliningrad", "--system", "iskander-m", "--places", "nato-capitals",
                      "-o", str(html)],
                     ["check", "--from", "Kaliningrad", "--system", "iskander-m", "--places", "Berlin; Vilnius",
                      "--format", "json", "-o", str(report)]):
            done = subprocess.run([sys.executable, "-m", "geo", *args, "--overwrite", "-q", *extra],
                                  capture_output=True, text=True)
            assert done.returncode in (0, 1), done.stderr
        return html.read_bytes(), report.read_bytes()

    cold = both()
    assert entries(folder)
    assert both() == cold  # warm
    assert both("--no-cache") == cold
