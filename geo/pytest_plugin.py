"""Claims as pytest tests: collect claim files, one test item per claim, named by its id.

Installed with georange, pytest loads this plugin in every run (the
``pytest11`` entry point ``geo.pytest_plugin``, named as the module so that
``-p geo.pytest_plugin`` or ``pytest_plugins = ["geo.pytest_plugin"]`` beside
it loads it once; ``-p no:geo.pytest_plugin`` turns it off):

- every file named ``claims_*.toml`` that pytest meets in the test tree is
  a claim file (:mod:`geo.claims.model` gives the format);
- ``--claims PATH`` (repeatable) adds a claim file, or every ``*.toml`` file
  of a directory whatever its name (as ``georange check DIR`` reads it), to
  what pytest collects (so ``addopts = ["--claims", "claims/"]`` checks them
  with every run of the tests); a TOML file named as an argument
  (``pytest my_claims.toml``) is collected too;
- each claim is one test item named by its id (``ID.1``, ``ID.2``, ... for
  the places of ``places = [...]``), so ``-k`` selects claims. It passes
  when the claim holds at its nominal figures and fails with the verdict
  line of :func:`geo.testing.failure_message` (no traceback);
- each ``[[survey]]`` is an item skipped with a reason: a survey asks a
  question without a verdict, so there is nothing to pass or fail
  (``georange check`` answers it);
- a claim file that does not load (bad TOML, an unknown place, a bad range)
  is a collection error of one line: the :class:`~geo.errors.GeoRangeError`
  message, which names the file, the claim, the field and the value.

An item computes only what its verdict needs: the exact nearest and
farthest distances from the main launch, with no coverage share, no
population and no further ``scenarios`` (none of them decides whether a
claim holds).

Notes
-----
pytest imports this module in every run of an environment where georange
is installed, also in unrelated projects, so the module imports nothing of
georange's numerical stack: :mod:`geo.claims` and :mod:`geo.testing` are
imported inside the hooks, when a claim file is collected.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from geo.claims.model import Claim

__all__ = ["PATTERN", "ClaimCollector", "ClaimItem", "SurveyItem"]

PATTERN = "claims_*.toml"
"""File names collected as claim files wherever pytest looks for tests."""

_GIVEN = pytest.StashKey[frozenset[Path]]()
"""The claim files named by ``--claims`` (absolute paths)."""

_ID_LINE = re.compile(r"""^\s*id\s*=\s*(["'])(?P<id>[^"']*)\1""")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--claims PATH``."""
    group = parser.getgroup("georange", "georange claim files")
    group.addoption(
        "--claims", action="append", default=[], metavar="PATH",
        help="check the claims of a georange claim file, or of every *.toml file in a directory, as test items "
             "named by claim id (repeatable; files named claims_*.toml are collected without it)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Expand ``--claims`` paths to claim files and add them to what pytest collects.

    Raises
    ------
    pytest.UsageError
        If a path is empty or missing, or a directory holds no ``.toml`` file.
    """
    given: list[str] = config.getoption("claims", None) or []
    if not given:
        return
    from geo.claims.model import claim_files
    from geo.errors import GeoRangeError

    here = config.invocation_params.dir
    try:
        files = claim_files([here / raw if raw.strip() else raw for raw in given])
    except GeoRangeError as exc:
        raise pytest.UsageError(f"--claims: {exc}") from None
    paths = [Path(os.path.abspath(f)) for f in files]
    config.stash[_GIVEN] = frozenset(paths)
    # pytest drops arguments that overlap (a file inside a directory it collects anyway), so no file runs twice.
    config.args.extend(str(p) for p in paths)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ClaimCollector | None:
    """Collect ``claims_*.toml`` files, the files named by ``--claims`` and TOML files named as arguments."""
    if file_path.suffix != ".toml":
        return None
    if (fnmatch.fnmatch(file_path.name, PATTERN) or file_path in parent.config.stash.get(_GIVEN, frozenset())
            or parent.session.isinitpath(file_path)):  # pytest has no other use for a TOML file named to it
        collector: ClaimCollector = ClaimCollector.from_parent(parent, path=file_path)
        return collector
    return None


class ClaimCollector(pytest.File):
    """A claim file: one :class:`ClaimItem` per claim, one skipped :class:`SurveyItem` per survey."""

    def collect(self) -> Iterator[pytest.Item]:
        """Load the file (every place, launch and range is checked here) and yield its items."""
        from geo.claims.model import load_claims

        loaded = load_claims([self._shown_path])
        for claim in loaded.claims:
            yield ClaimItem.from_parent(self, name=claim.id, claim=claim)
        for survey in loaded.surveys:
            item = SurveyItem.from_parent(self, name=survey.id)
            item.add_marker(pytest.mark.skip(
                reason=f'survey "{survey.id}": no verdict to test (georange check {self._shown_path} answers it)'
            ))
            yield item

    # pytest's Collector.repr_failure drops Node's ``style`` parameter, with the same ignore.
    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:  # type: ignore[override]
        """Show a file that does not load as its one-line message, not a traceback."""
        from geo.errors import GeoRangeError

        if isinstance(excinfo.value, GeoRangeError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    @cached_property
    def _shown_path(self) -> str:
        """The path as messages show it: relative to the current folder when inside it."""
        path = os.fspath(self.path)
        here = os.getcwd()
        return os.path.relpath(path, here) if path.startswith(here + os.sep) else path

    @cached_property
    def id_lines(self) -> dict[str, int]:
        """The 0-based line of each ``id = "..."`` in the file (for report locations)."""
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeError):  # the file has loaded: only a change since then gets here
            return {}
        found: dict[str, int] = {}
        for n, line in enumerate(text.splitlines()):
            m = _ID_LINE.match(line)
            if m:
                found.setdefault(m["id"], n)
        return found

    def line_of(self, ident: str) -> int:
        """Return the 0-based line of a claim's id (``ID.2`` is on the line of ``ID``), or 0."""
        lines = self.id_lines
        if ident not in lines and re.fullmatch(r".+\.\d+", ident):
            ident = ident.rsplit(".", 1)[0]
        return lines.get(ident, 0)


class _FileItem(pytest.Item):
    """An item located at its id's line in a claim file."""

    what = "claim"

    def reportinfo(self) -> tuple[Path, int, str]:
        """Return the file, the 0-based line of the id and the item's kind and id."""
        parent = self.parent
        line = parent.line_of(self.name) if isinstance(parent, ClaimCollector) else 0
        return self.path, line, f"{self.what} {self.name}"


class ClaimItem(_FileItem):
    """One claim as a test: passes if it holds, fails with its verdict line."""

    def __init__(self, *, claim: Claim, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claim = claim
        self._failure: AssertionError | None = None

    def runtest(self) -> None:
        """Evaluate the claim for its main launch only (no coverage, population or scenarios)."""
        from geo.claims.verdicts import evaluate_claim
        from geo.testing import failure_message

        result = evaluate_claim(dataclasses.replace(self.claim, scenarios=()), coverage=False)
        if not result.holds:
            self._failure = AssertionError(failure_message(result))
            raise self._failure

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        """Show the verdict line (or a GeoRangeError's message) instead of a traceback."""
        from geo.errors import GeoRangeError

        if excinfo.value is self._failure or isinstance(excinfo.value, GeoRangeError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


class SurveyItem(_FileItem):
    """A survey: collected so that ``-k`` and the report show it, always skipped (it has no verdict)."""

    what = "survey"

    def runtest(self) -> None:
        """Do nothing: the skip marker set at collection skips the item first."""
