from __future__ import annotations

import os
import shutil
import tempfile

import numpy as np
import pytest

# The tolerances live with the named cases, in tests/cases.py.

_CACHE_DIR = tempfile.mkdtemp(prefix="georange-test-cache-")


def pytest_configure(config):
    # The commands the tests run (in this process or as subprocesses) keep their disk cache in a folder of
    # this run's own, never in the user's: shared by the tests, as an analyst's runs share theirs.
    os.environ["GEORANGE_CACHE_DIR"] = _CACHE_DIR


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _zones_built_afresh():
    """Each test builds its zones itself: one that patches the builder must not get another test's zone."""
    from geo.analysis import cache

    cache.forget()


def pytest_report_header(config):
    import geopandas
    import pyproj
    import scipy
    import shapely

    return (
        f"numpy {np.__version__}, scipy {scipy.__version__}, shapely {shapely.__version__}, "
        f"pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str}), geopandas {geopandas.__version__}"
    )


@pytest.fixture(params=["scalar", "array", "one-element"])
def shape_kind(request):
    """Run a test with a float, an array and a one-element array (as pyproj's tests do)."""
    return request.param


def shaped(values, kind):
    a = np.asarray(values, dtype=float)
    if kind == "scalar":
        return float(a.ravel()[0])
    if kind == "one-element":
        return a.ravel()[:1]
    return a
