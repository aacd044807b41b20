"""A real wheel: built from the sdist, installed into a fresh virtual environment outside the checkout, run elsewhere.

The sdist is built from a copy of the project, the wheel from the sdist (as
``python -m build`` does), and the wheel installed with its dependencies
into a new virtual environment in a temporary folder. The installed
``georange`` then runs from another temporary folder: if any file it needs
at run time (data/, the map's JavaScript) were missing from the wheel, or
read from the checkout, these runs would fail. Needs PyPI (or a pip cache)
for the build backend and the dependencies, as CI has.
"""

from __future__ import annotations

import configparser
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from geo.reference.datafiles import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", "build", "dist", "maps",
                              ".pytest_cache", ".hypothesis", ".ruff_cache", ".mypy_cache")


def run(argv: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, argv))} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("build")
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    run([sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(src)], cwd=work)
    return work / "dist"


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "env"
    run([sys.executable, "-m", "venv", str(venv)], cwd=venv.parent)
    (wheel,) = dist.glob("georange-*.whl")
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], cwd=venv.parent)
    return venv / "bin"


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "unrelated"
    folder.mkdir()
    return folder


def test_sdist_and_wheel_carry_the_data_and_the_map_assets(dist: Path) -> None:
    shipped = sorted(p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*") if p.is_file())
    assert "gazetteer.parquet" in shipped and "claims/000_oreshnik_belarus.toml" in shipped
    (wheel,) = dist.glob("georange-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"geo/_data/{name}" for name in shipped} <= names
    assert {"geo/outputs/webmap.js", "geo/outputs/webmap.css"} <= names
    assert not any(n.startswith(("tests/", "scripts/", "data/")) for n in names)
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    declared = configparser.ConfigParser()
    declared.read_string(zipfile.ZipFile(wheel).read(entry_points).decode())
    assert dict(declared["pytest11"]) == {"geo.pytest_plugin": "geo.pytest_plugin"}  # tests/test_plugin.py
    (sdist,) = dist.glob("georange-*.tar.gz")
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    assert {f"data/{name}" for name in shipped} <= members
    assert "LICENSE" in members


def test_metadata_has_one_version_and_an_spdx_licence(installed: Path, elsewhere: Path) -> None:
    code = "import importlib.metadata as m, geo; d = m.metadata('georange'); print(geo.__version__, d['Version'], " \
           "d['License-Expression'])"
    out = run([str(installed / "python"), "-c", code], cwd=elsewhere).stdout.split()
    assert out[0] == out[1] != "0+unknown"
    assert out[2] == "MIT"
    version = run([str(installed / "georange"), "--version"], cwd=elsewhere).stdout
    assert version == f"georange {out[0]}\n"


def test_installed_reach_runs_elsewhere_and_matches_the_checkout(installed: Path, elsewhere: Path) -> None:
    argv = ["reach", "--from", "BLR", "--system", "oreshnik", "--format", "json"]
    there = run([str(installed / "georange"), *argv], cwd=elsewhere).stdout
    here = run([sys.executable, "-m", "geo", *argv], cwd=ROOT).stdout
    assert there == here
    assert {r["status"] for r in json.loads(there)} == {"reachable", "too_close", "too_far"}


def test_installed_check_reads_the_seed_catalogue_shipped_in_the_wheel(installed: Path, elsewhere: Path) -> None:
    code = "from geo.reference.datafiles import DATA_DIR; print(DATA_DIR)"
    data = Path(run([str(installed / "python"), "-c", code], cwd=elsewhere).stdout.strip())
    assert data.name == "_data" and ROOT not in data.parents  # the installed copy, not the checkout's
    done = run([str(installed / "georange"), "check", str(data / "claims"), "--format", "json", "--no-coverage"],
               cwd=elsewhere)
    claims = [r for r in json.loads(done.stdout) if r["kind"] == "claim"]
    from geo.claims.model import load_claims

    shipped = load_claims([ROOT / "data" / "claims"]).claims  # the checkout's catalogue: the wheel ships all of it
    assert len(claims) == len(shipped) >= 14 and all(r["holds"] for r in claims)
    assert [r["id"] for r in claims] == [c.id for c in shipped]
    html = elsewhere / "map.html"
    run([str(installed / "georange"), "map", str(data / "claims" / "000_oreshnik_belarus.toml"), "-o", str(html)],
        cwd=elsewhere)
    text = html.read_text(encoding="utf-8")
    assert "Leaflet 1.9.3" in text  # from the xstatic-leaflet dependency
    assert "georange map helpers" in text  # geo/outputs/webmap.js, from the wheel
