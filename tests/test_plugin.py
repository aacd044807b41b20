"""The pytest plugin (geo/pytest_plugin.py): claim files collected as test items, one per claim.

Each test runs pytest inside pytest (the ``pytester`` fixture) on small claim
files: a launch point and places given by coordinates, so the expected
distances come from geographiclib (the oracle), not from georange. The runs
are in-process (fast) and load the plugin with ``-p geo.pytest_plugin``;
one loads it through an entry point declared as in ``pyproject.toml``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic

# Imported here so that pytester's in-process runs find them loaded: it drops the modules a run imports
# when the run ends, and importing numpy, pandas or pyarrow afresh in the same process is slow and unsafe.
import geo.claims.model
import geo.claims.verdicts
import geo.testing  # noqa: F401

from cases import DIST_TOL_M

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
GL = Geodesic.WGS84

PLUGIN = ("-p", "geo.pytest_plugin")
"""Loads the plugin where georange is not installed; where it is, the entry point has the module's name, so pytest
registers the module once."""

PAD = (52.0, 21.0)
"""The launch point (lat, lon), named "Pad" in the claim files."""

PLACES = {"Alpha": (52.52, 13.405), "Bravo": (50.45, 30.523), "Charlie": (54.687, 25.28)}
"""Places given by coordinates (lat, lon), so that no gazetteer lookup is involved."""


def oracle_km(name: str) -> float:
    lat, lon = PLACES[name]
    return GL.Inverse(PAD[0], PAD[1], lat, lon)["s12"] / 1000.0


def place(name: str) -> str:
    lat, lon = PLACES[name]
    return f'{{ name = "{name}", lat = {lat}, lon = {lon} }}'


def claim(ident: str, expect: str, max_km: float, *names: str, min_km: float = 0) -> str:
    where = f"place = {place(names[0])}" if len(names) == 1 else f"places = [{', '.join(map(place, names))}]"
    return (f'[[claim]]\nid = "{ident}"\nfrom = "Pad={PAD[0]},{PAD[1]}"\nmin_km = {min_km}\nmax_km = {max_km}\n'
            f'{where}\nexpect = "{expect}"\n\n')


def passing() -> str:
    """Three claims that hold by the oracle's distances: alpha-in and pair.1, pair.2."""
    a, b, c = oracle_km("Alpha"), oracle_km("Bravo"), oracle_km("Charlie")
    return (claim("alpha-in", "reachable", round(a + 50), "Alpha")
            + claim("pair", "too_close", round(max(b, c) + 500), "Bravo", "Charlie", min_km=round(max(b, c) + 20)))


QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "--assert=plain")
"""Options of every run: hypothesis's plugin would import hypothesis afresh in each (1 s); no assertion rewriting,
which would warn that geo.pytest_plugin, loaded by this process where georange is installed, cannot be rewritten."""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*QUIET, "-ra", *PLUGIN, *args)


@pytest.fixture(scope="module", autouse=True)
def warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Load and evaluate claims once outside pytester, so that every module the runs import is already loaded."""
    path = tmp_path_factory.mktemp("warm") / "w.toml"
    path.write_text(passing() + '[[survey]]\nid = "s"\nfrom = "BLR"\nmax_km = 700\nplaces = ["Warsaw"]\n',
                    encoding="utf-8")
    loaded = geo.claims.model.load_claims([path])
    geo.claims.verdicts.evaluate_claim(loaded.claims[0], coverage=False)
    with pytest.raises(geo.UnknownPlaceError):
        geo.lookup_place("Atlantisx")


def test_a_claim_file_is_one_passing_item_per_claim_named_by_its_id(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", claims_demo=passing())
    result = run(pytester, "-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines_random([
        "claims_demo.toml::alpha-in PASSED*", "claims_demo.toml::pair.1 PASSED*", "claims_demo.toml::pair.2 PASSED*",
    ])
    # Each item is located at its id's line (0-based, as pytest counts), the places of "pair" at pair's.
    lines = passing().splitlines()
    at = {name: lines.index(f'id = "{name}"') for name in ("alpha-in", "pair")}
    recorded = pytester.inline_run(*QUIET, *PLUGIN).getreports("pytest_runtest_logreport")
    located = {r.nodeid.split("::")[1]: r.location for r in recorded if r.when == "call"}
    assert located == {"alpha-in": ("claims_demo.toml", at["alpha-in"], "claim alpha-in"),
                       "pair.1": ("claims_demo.toml", at["pair"], "claim pair.1"),
                       "pair.2": ("claims_demo.toml", at["pair"], "claim pair.2")}


def test_a_failing_claim_reads_like_its_verdict_without_a_traceback(pytester: pytest.Pytester) -> None:
    b = oracle_km("Bravo")
    max_km = round(b - 120)
    pytester.makefile(".toml", claims_fail=passing() + claim("bravo-in", "reachable", max_km, "Bravo", min_km=50))
    result = run(pytester)
    result.assert_outcomes(passed=3, failed=1)
    out = result.stdout.str()
    lines = [ln for ln in out.splitlines() if ln.startswith(f"Bravo from Pad (50-{max_km:,} km)")]
    assert len(lines) == 1, out
    m = re.search(r"expected reachable, got too_far: ([\d,.]+)\D+([\d,.]+) km.*margin ([\d,.]+) km", lines[0])
    assert m, lines[0]
    nearest, farthest, margin = (float(g.replace(",", "")) for g in m.groups())
    tol = 0.05 + DIST_TOL_M / 1000.0  # one decimal printed
    assert abs(nearest - b) <= tol and abs(farthest - b) <= tol  # a point launch: both are the one distance
    assert abs(margin - (b - max_km)) <= tol
    assert "claim bravo-in" in out  # the failure's header names the claim
    assert "Traceback" not in out and "pytest_plugin.py" not in out and "AssertionError" not in out
    # The short summary quotes the verdict too.
    result.stdout.fnmatch_lines(["FAILED claims_fail.toml::bravo-in - Bravo from Pad*"])


def test_k_selects_claims_by_id(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", claims_demo=passing())
    run(pytester, "-k", "pair").assert_outcomes(passed=2, deselected=1)
    result = run(pytester, "-v", "-k", "pair.2 or alpha-in")
    result.assert_outcomes(passed=2, deselected=1)
    result.stdout.fnmatch_lines_random(["*::pair.2 PASSED*", "*::alpha-in PASSED*"])


def test_claims_option_collects_files_and_directories_of_any_name(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("checks")
    (folder / "mine.toml").write_text(passing(), encoding="utf-8")
    (folder / "more.toml").write_text(claim("charlie-in", "reachable", round(oracle_km("Charlie") + 1), "Charlie"),
                                      encoding="utf-8")
    one = pytester.path / "single.toml"
    one.write_text(claim("alpha-far", "too_far", round(oracle_km("Alpha") - 1), "Alpha"), encoding="utf-8")
    run(pytester).assert_outcomes()  # without --claims these names are not claim files
    run(pytester, "--claims", "checks").assert_outcomes(passed=4)
    run(pytester, "--claims", "checks", "--claims", "single.toml").assert_outcomes(passed=5)
    run(pytester, "--claims", "checks", "checks").assert_outcomes(passed=4)  # given twice, run once
    run(pytester, "single.toml", "checks/more.toml").assert_outcomes(passed=2)  # TOML files named as arguments
    # Beside the tests pytest collects anyway, from outside the folders it searches.
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_other.py").write_text("def test_other():\n    assert True\n", encoding="utf-8")
    run(pytester, "tests", "--claims", "single.toml").assert_outcomes(passed=2)
    result = run(pytester, "--claims", "nowhere")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: --claims: *nowhere: no such file or directory"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[claim]]\nid = "x\n', "claims_bad.toml: *"),
        (claim("lost", "reachable", 500, "Alpha").replace(place("Alpha"), '"Atlantisx"'),
         "claims_bad.toml, claim \"lost\": place 'Atlantisx': unknown place*"),
        (claim("wide", "reachable", 500, "Alpha", min_km=900), "claims_bad.toml, claim \"wide\": min_km 900*"),
    ],
    ids=["bad-toml", "unknown-place", "bad-range"],
)
def test_a_claim_file_that_does_not_load_is_one_collection_error_line(
    pytester: pytest.Pytester, text: str, message: str
) -> None:
    pytester.makefile(".toml", claims_bad=text)
    result = run(pytester)
    result.assert_outcomes(errors=1)
    out = result.stdout.lines
    start = next(i for i, ln in enumerate(out) if "ERROR collecting claims_bad.toml" in ln)
    end = next(i for i, ln in enumerate(out) if "short test summary" in ln)
    assert len(out[start + 1:end]) == 1, out[start:end]
    assert re.fullmatch(message.replace("*", ".*").replace("[", r"\["), out[start + 1]), out[start + 1]
    assert "Traceback" not in result.stdout.str()


def test_surveys_are_skipped_with_a_reason(pytester: pytest.Pytester) -> None:
    survey = f'[[survey]]\nid = "look"\nfrom = "Pad={PAD[0]},{PAD[1]}"\nmax_km = 900\nplaces = ["Warsaw"]\n'
    pytester.makefile(".toml", claims_mixed=passing() + survey)
    result = run(pytester, "-v")
    result.assert_outcomes(passed=3, skipped=1)
    result.stdout.fnmatch_lines(['*claims_mixed.toml::look SKIPPED*',
                                 'SKIPPED [[]1[]] claims_mixed.toml: survey "look": no verdict to test*'])


def test_other_toml_files_and_tests_are_left_alone(pytester: pytest.Pytester) -> None:
    # A valid claim file whose name is not claims_*.toml (as data/claims/ in this project), and other TOML.
    pytester.mkdir("data")
    (pytester.path / "data" / "000_demo.toml").write_text(passing(), encoding="utf-8")
    pytester.makefile(".toml", pyproject='[project]\nname = "unrelated"\n', config='claims = "no"\n')
    pytester.makepyfile(test_plain="def test_plain():\n    assert True\n")
    result = run(pytester, "-v")
    result.assert_outcomes(passed=1)
    assert "::" not in result.stdout.str().replace("test_plain.py::test_plain", "")


def test_importing_the_plugin_loads_no_numerical_library() -> None:
    code = (
        "import sys, geo.pytest_plugin; "
        "print(sorted(m for m in ('numpy', 'pandas', 'shapely', 'pyproj', 'pyarrow', 'geo.claims', 'geo.testing') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_entry_point_in_pyproject_loads_the_plugin_once(pytester: pytest.Pytester) -> None:
    entry = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    assert entry["pytest11"] == {"geo.pytest_plugin": "geo.pytest_plugin"}
    # Installed, the entry point is a line of entry_points.txt in the distribution's metadata; a stand-in
    # distribution on the path makes pytest load the plugin through it.
    info = pytester.mkdir("georange_probe-0.dist-info")
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: georange-probe\nVersion: 0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[pytest11]\n" + "".join(f"{name} = {value}\n" for name, value in entry["pytest11"].items()),
        encoding="utf-8",
    )
    pytester.syspathinsert()
    pytester.makefile(".toml", claims_demo=passing())
    result = pytester.runpytest(*QUIET, "-v")  # without -p geo.pytest_plugin: through the entry point
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*claims_demo.toml::alpha-in PASSED*"])
    # Named with -p beside the entry point, the module is registered once (pytest refuses a module under two names).
    run(pytester).assert_outcomes(passed=3)
    assert run(pytester, "-p", "no:geo.pytest_plugin").ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_the_readme_example_runs_as_the_readme_says(pytester: pytest.Pytester) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = readme.split("### Claims as pytest tests", 1)[1].splitlines()
    start = next(i for i, ln in enumerate(lines) if ln == "    [[claim]]")
    block = []
    for ln in lines[start:]:
        if ln and not ln.startswith("    "):
            break
        block.append(ln[4:])
    pytester.mkdir("tests")
    (pytester.path / "tests" / "claims_belarus.toml").write_text("\n".join(block), encoding="utf-8")
    result = run(pytester, "tests/", "-vv")  # -vv: the summary line unabridged
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "FAILED tests/claims_belarus.toml::berlin-short-range - Berlin from Belarus (50?500 km): expected reachable, "
        "got too_far*",
    ])
    run(pytester, "tests/", "-k", "oreshnik").assert_outcomes(passed=1, deselected=1)
