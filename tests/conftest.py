from __future__ import annotations

import numpy as np
import pytest

# The tolerances live with the named cases, in tests/cases.py.


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
