"""The Dask path (geo.analysis.distributed) against the single-process path, on a two-worker LocalCluster.

The check is identity: ``reach_dask(...).compute()`` must equal
``geo.analysis.api.reach(...)`` row for row (index, order, dtypes, floats), and the
statuses of a point launch must agree with distances computed directly with
pyproj's ``Geod.inv``.
"""

from __future__ import annotations

import socket
import sys
import threading
import time

import dask.dataframe as dd
import dask_geopandas
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

import geo.analysis.distributed
from geo.analysis import api
from geo.analysis.distributed import ClusterError, DaskMissingError, connect, reach_dask
from geo.analysis.status import STATUSES
from geo.errors import InvalidCoordinateError, InvalidGeometryError, InvalidRangeError, UnknownPlaceError

from cases import DIST_TOL_M, area, hard_targets

N_RANDOM = 20_000
N_NEAR = 4_000  # around Belarus, so that the 0-500 km sites and the 700 km dead zone get targets
N_DISTANCES = 3_000  # rows for the distance columns (about 50 times the work of a status)

SPECIAL = {
    "north-pole": (0.0, 90.0),
    "south-pole": (0.0, -90.0),
    "north-pole-other-lon": (137.0, 90.0),
    "antimeridian-east-equator": (180.0, 0.0),
    "antimeridian-west-equator": (-180.0, 0.0),
    "antimeridian-east-belarus-lat": (180.0, 53.9),
    "antimeridian-west-fiji": (-180.0, -16.5),
    "just-west-of-antimeridian": (179.999999, -17.0),
    "warsaw": (21.0122, 52.2297),
    "kyiv": (30.5234, 50.4501),
    "berlin": (13.4050, 52.5200),
    "krichev-itself": (31.9172, 53.7347),
    **{f"belarus-{k}": v for k, v in hard_targets("launch-area-belarus").items()},
    **{f"fiji-{k}": v for k, v in hard_targets("crosses-antimeridian-fiji").items()},
}

LAUNCHES = {
    # id: (launch, min_km, max_km)
    "country-BLR": ("BLR", 700.0, 5000.0),
    "sites-krichev-luninets": (["krichev", "luninets"], 0.0, 500.0),
    "geodataframe-polygons": (
        gpd.GeoDataFrame(
            {"name": ["north of 80 N", "Barents Sea box"]},
            geometry=[area("encloses-north-pole"), shapely.box(10.0, 72.0, 30.0, 76.0)],
            crs="EPSG:4326",
        ),
        3000.0,
        8000.0,
    ),
}


def make_targets() -> gpd.GeoDataFrame:
    """Seeded targets: uniform on the sphere, a cloud around Belarus, then the named special points.

    The index is a shuffled set of labels, so that any reordering shows.
    """
    rng = np.random.default_rng(20260806)
    lon = rng.uniform(-180.0, 180.0, N_RANDOM)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, N_RANDOM)))
    near_lon = np.clip(28.0 + rng.normal(0.0, 6.0, N_NEAR), -180.0, 180.0)
    near_lat = np.clip(53.5 + rng.normal(0.0, 4.0, N_NEAR), -90.0, 90.0)
    s_lon, s_lat = np.array(list(SPECIAL.values())).T
    lon = np.concatenate([s_lon, lon, near_lon])
    lat = np.concatenate([s_lat, lat, near_lat])
    names = [*SPECIAL, *(f"random-{i}" for i in range(N_RANDOM)), *(f"near-{i}" for i in range(N_NEAR))]
    index = pd.Index(rng.permutation(lon.size) * 7 + 3, name="target_id")
    return gpd.GeoDataFrame({"name": names}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326", index=index)


TARGETS = make_targets()


@pytest.fixture(scope="module")
def client():
    """A LocalCluster of two worker processes (one thread each), closed after the module."""
    with connect(None, n_workers=2, threads_per_worker=1) as c:
        assert len(c.scheduler_info()["workers"]) == 2
        # Its web server is on a free local port, not the default 8787 (taken when
        # another cluster runs on this machine, which would warn, an error here).
        ports = [sock.getsockname() for sock in c.cluster.scheduler.http_server._sockets.values()]
        assert ports and all(host == "127.0.0.1" and port != 8787 for host, port in ports)
        yield c
    assert c.status == "closed"
    assert c.cluster is None or c.cluster.status.name == "closed"


def compute(client, lazy):
    return client.compute(lazy).result()


@pytest.mark.parametrize("launch_id", LAUNCHES)
def test_statuses_identical_to_single_process(client, launch_id):
    launch, lo, hi = LAUNCHES[launch_id]
    lazy = reach_dask(TARGETS, launch, lo, hi, npartitions=7, distances=False)
    assert lazy.npartitions == 7
    got = compute(client, lazy)
    expected = api.reach(TARGETS, launch, lo, hi, distances=False)
    assert isinstance(got, gpd.GeoDataFrame)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got["status"].dtype == api.STATUS_DTYPE
    # Not a comparison of constant columns: every status the band allows occurs.
    expected = {"reachable", "too_far"} | ({"too_close"} if lo > 0 else set())
    assert expected <= set(got["status"]) <= set(STATUSES)


@pytest.mark.parametrize("launch_id", LAUNCHES)
def test_distances_identical_to_single_process(client, launch_id):
    launch, lo, hi = LAUNCHES[launch_id]
    # The special points first, then random and near rows spread over the frame.
    targets = pd.concat([TARGETS.iloc[: len(SPECIAL)], TARGETS.iloc[len(SPECIAL) :: 8].iloc[:N_DISTANCES]])
    lazy = reach_dask(targets, launch, lo, hi, distances=True, npartitions=5)
    got = compute(client, lazy)
    expected = api.reach(targets, launch, lo, hi, distances=True)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.columns[-7:]) == ["min_km", "max_km", "status", "margin_km", "via", "borders", "border_src"]
    # The lazy frame's metadata is what the partitions hold.
    pd.testing.assert_series_equal(lazy.dtypes, got.dtypes)


def test_point_launch_statuses_match_pyproj_directly(client):
    # Independent of geo: a launch point's status is its one geodesic distance against the band.
    launch_lon, launch_lat, lo_m, hi_m = 27.56, 53.9, 700_000.0, 5_000_000.0
    got = compute(client, reach_dask(TARGETS, "53.9,27.56", lo_m / 1000, hi_m / 1000, npartitions=4, distances=False))
    _, _, d = Geod(ellps="WGS84").inv(
        np.full(len(TARGETS), launch_lon), np.full(len(TARGETS), launch_lat), TARGETS.geometry.x, TARGETS.geometry.y
    )
    expected = np.where(d < lo_m, "too_close", np.where(d > hi_m, "too_far", "reachable"))
    clear = (np.abs(d - lo_m) > DIST_TOL_M) & (np.abs(d - hi_m) > DIST_TOL_M)
    assert clear.sum() > len(TARGETS) - 5
    np.testing.assert_array_equal(got["status"].to_numpy(str)[clear], expected[clear])
    counts = pd.Series(expected[clear]).value_counts()
    assert counts.min() > 500, counts  # all three statuses are well represented


def test_dask_input_keeps_partitions_divisions_and_index(client):
    df = pd.DataFrame(
        {"lon": TARGETS.geometry.x.to_numpy(), "lat": TARGETS.geometry.y.to_numpy(), "name": TARGETS["name"]}
    ).reset_index()
    ddf = dd.from_pandas(df, npartitions=6)  # sorted RangeIndex: known divisions
    lazy = reach_dask(ddf, "BLR", 700, 5000, distances=False)
    assert lazy.npartitions == ddf.npartitions
    assert lazy.divisions == ddf.divisions
    parts_in = client.compute(list(ddf.to_delayed()), sync=True)
    parts_out = client.compute(list(lazy.to_delayed()), sync=True)
    for before, after in zip(parts_in, parts_out, strict=True):
        pd.testing.assert_index_equal(after.index, before.index)
        pd.testing.assert_frame_equal(after, api.reach(before, "BLR", 700, 5000, distances=False))


def test_dask_geopandas_input_in_another_crs(client):
    projected = TARGETS.iloc[::10].to_crs("EPSG:3857").iloc[3:]  # drops the poles: no Web Mercator there
    ddf = dask_geopandas.from_geopandas(projected, npartitions=3, sort=False)
    got = compute(client, reach_dask(ddf, ["krichev", "luninets"], 0, 500, distances=False))
    assert got.crs == projected.crs
    # The input's own columns are as Dask holds them (its string conversion), the result columns as geo.reach's.
    expected = api.reach(compute(client, ddf), ["krichev", "luninets"], 0, 500, distances=False)
    pd.testing.assert_frame_equal(got, expected)
    assert set(got["status"]) == {"reachable", "too_far"}


def test_in_memory_input_keeps_row_order(client):
    shuffled = TARGETS.iloc[np.random.default_rng(7).permutation(len(TARGETS))[:5000]]
    got = compute(client, reach_dask(shuffled, "BLR", 700, 5000, npartitions=3, distances=False))
    assert got.index.tolist() == shuffled.index.tolist()
    assert got["name"].tolist() == shuffled["name"].tolist()


def test_existing_scheduler_by_address(client):
    with connect(client.scheduler.address, timeout_s=5) as other:
        assert len(other.scheduler_info()["workers"]) == 2
        got = compute(other, reach_dask(TARGETS.iloc[:100], "BLR", 700, 5000, distances=False))
    pd.testing.assert_frame_equal(got, api.reach(TARGETS.iloc[:100], "BLR", 700, 5000, distances=False))


def test_bad_target_coordinate_raises_from_the_worker(client):
    df = pd.DataFrame({"lon": [21.0, 30.5, 13.4], "lat": [52.2, 95.0, 52.5]})
    lazy = reach_dask(df, "BLR", 700, 5000, distances=False)
    with pytest.raises(InvalidCoordinateError, match="95"):
        compute(client, lazy)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_a_quick_one_line_error():
    address = f"tcp://127.0.0.1:{_free_port()}"
    start = time.perf_counter()
    with pytest.raises(ClusterError, match=r"cannot connect within 1 s") as info:
        connect(address, timeout_s=1.0)
    assert time.perf_counter() - start < 15  # retries end soon after the timeout
    assert address in str(info.value) and "\n" not in str(info.value)


def test_malformed_scheduler_address():
    with pytest.raises(ClusterError, match=r"'not-an-address' is not a scheduler address"):
        connect("not-an-address")


# -- eager validation: no cluster needed ------------------------------------------------------


def test_bad_band_raises_at_call_time():
    with pytest.raises(InvalidRangeError, match="min_km 5000 must not exceed max_km 700"):
        reach_dask(TARGETS, "BLR", 5000, 700)
    with pytest.raises(InvalidRangeError, match="max_km is required"):
        reach_dask(TARGETS, "BLR", 700, distances=False)


def test_bad_launch_raises_at_call_time():
    with pytest.raises(UnknownPlaceError, match="Atlantisburg"):
        reach_dask(TARGETS, "Atlantisburg", 0, 500, distances=False)


def test_bad_launch_polygon_raises_at_call_time():
    across = gpd.GeoDataFrame(geometry=[shapely.Polygon([(170, 0), (-170, 0), (-170, 10), (170, 10)])], crs=4326)
    with pytest.raises(InvalidGeometryError, match="split the polygon at the antimeridian"):
        reach_dask(TARGETS, across, 0, 500, distances=False)


def test_targets_without_coordinates_raise_at_call_time():
    ddf = dd.from_pandas(pd.DataFrame({"a": [1.0], "b": [2.0]}), npartitions=1)
    with pytest.raises(InvalidCoordinateError, match="needs lon and lat columns; found a, b"):
        reach_dask(ddf, "BLR", 700, 5000, distances=False)


def test_system_fills_the_band():
    lazy = reach_dask(TARGETS.iloc[:50], "krichev", system="oreshnik", distances=False)
    got = lazy.compute(scheduler="sync")
    pd.testing.assert_frame_equal(got, api.reach(TARGETS.iloc[:50], "krichev", system="oreshnik", distances=False))


def test_each_thread_prepares_its_own_launch():
    # GEOS prepared geometries must not be queried from two threads at once
    # (libgeos/geos#825: heap corruption), so a worker's threads never share one.
    spec = geo.analysis.distributed._spec(api.as_sources(["BLR", "krichev"]))
    seen = {}

    def run(name):
        first, again = geo.analysis.distributed._worker_sources(spec), geo.analysis.distributed._worker_sources(spec)
        assert first is again  # cached within the thread
        seen[name] = first[0].parts[0]._inside_geometry

    threads = [threading.Thread(target=run, args=(k,)) for k in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen["a"] is not seen["b"]
    assert seen["a"].equals_exact(seen["b"], 0.0)


def test_missing_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)
    with pytest.raises(DaskMissingError, match=r"pip install 'georange\[dask\]'"):
        reach_dask(TARGETS, "BLR", 700, 5000, distances=False)
    with pytest.raises(DaskMissingError, match=r"pip install 'georange\[dask\]'"):
        connect(None)


def test_cli_on_a_scheduler_writes_what_the_single_process_writes(client, capsys, tmp_path):
    from geo.cli.main import main

    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(-180, 180, 3000), np.degrees(np.arcsin(rng.uniform(-1, 1, 3000)))
    places = tmp_path / "pts.parquet"
    pd.DataFrame({"id": np.arange(3000), "lon": lon, "lat": lat}).to_parquet(places)
    common = ["reach", "--from", "BLR", "--min-km", "700", "--max-km", "5000", "--places", str(places),
              "--format", "csv", "--chunk-rows", "1000"]
    assert main(common) == 0
    local = capsys.readouterr().out
    assert main([*common, "--dask", client.scheduler.address]) == 0
    out, err = capsys.readouterr()
    assert out == local and err == ""
    # Still connected: the CLI closed its own client, not the cluster.
    assert client.status == "running"


def test_cli_with_an_unreachable_scheduler_is_one_line_and_exit_2(capsys):
    from geo.cli.main import main

    code = main(["reach", "--from", "BLR", "--max-km", "500", "--dask", "tcp://127.0.0.1:9"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "cannot connect" in err


def test_cli_old_scheduler_spelling_still_reaches_the_cluster(client, capsys):
    from geo.cli.main import main

    argv = ["reach", "--from", "BLR", "--max-km", "500", "--places", "european-capitals", "--format", "csv"]
    assert main(argv) == 0
    local = capsys.readouterr().out
    assert main([*argv, "--scheduler", client.scheduler.address]) == 0
    assert capsys.readouterr().out == local
