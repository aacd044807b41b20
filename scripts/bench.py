"""Benchmark georange against baselines measured in the same run.

    python scripts/bench.py [--sample N] [--repeat R]

Prints, for every GeoNames city (population >= 15,000) against Belarus:

- the engine's time for the nearest and farthest distance of all cities
  (cold: including the one-off preparation of the launch area; warm: the
  same area again), best of ``--repeat`` runs;
- two baselines timed on a random sample of ``--sample`` cities and scaled
  to all of them: brute force over the boundary densified to 1 km along its
  geodesics (a simple method that is still off by up to a few metres), and
  the vertex-only brute force (PostGIS style, off by kilometres);
- each baseline's ratio to the engine and its largest error against the
  engine on the sample;
- the time to build the three zones of Belarus for 700/5,000 km, their
  measured boundary error, and a naive buffer in an azimuthal equidistant
  projection (time and error) beside it;
- the Oreshnik map: ``georange map`` in a fresh process, the map built in
  process beside a naive folium.Circle map, the HTML size, and the time
  headless Chromium takes to load and paint it (beside a blank Leaflet page);
- large inputs: ``--points`` random points worldwide (default 1 million)
  classified against Belarus by ``geo.reach(..., distances=False)`` (points per
  second), beside the exact-distance path on a sample, scaled; the same through
  ``georange reach --places points.parquet`` in a fresh process with its peak
  memory measured from outside; and the Dask path on a local 2-worker cluster;
- the peak resident memory of the process.

``python scripts/bench.py --only large --points 10000000`` runs just the
large-input section (10 million points: about a minute, 1.6 GB of input).

``python scripts/bench.py --only table`` runs the whole-process table of
issue 18: each row a fresh ``georange`` process (wall time and peak memory
measured from outside, with ``wait4``) beside a baseline timed in the same
run, and their ratio.

``python scripts/bench.py --only territories`` runs the whole-process table
of issue 29: check, zone and map on Russia and China (and the mixed band,
a U-shaped polygon whose zone's fronts meet), each beside the matching
``reach`` or the same command on Belarus, with peak memory.

``python scripts/bench.py --only counts`` counts, for the work of that table,
the exact geodesic problems (pyproj ``inv`` and ``fwd`` points) solved per
target, against the floor (one inverse problem per target and launch part
for a status, two for the nearest and farthest), and measures pyproj's own
throughput on this machine beside the engine's.

``python scripts/bench.py --only flight`` times flight-time bands (one
vectorised call against one call per place) and the turning Earth's reach
(the azimuth table with exact limits near it, against the exact limit
toward every place), and the flight, reach and zone commands whole.

No timing is asserted anywhere; the ratios are what matters, because
both sides run on the same machine in the same process.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod

from geo import LaunchArea, lookup_country
from geo.reference.places import load_gazetteer

GEOD = Geod(ellps="WGS84")


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """Return the shortest wall time of `repeat` calls of `fn`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def boundary_points(geometry, spacing_m: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Return the vertices of every ring, densified along geodesics when `spacing_m` is given."""
    polygons = [geometry] if geometry.geom_type == "Polygon" else list(geometry.geoms)
    lons, lats = [], []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            for (x1, y1), (x2, y2) in zip(xy[:-1], xy[1:], strict=True):
                lons.append(x1)
                lats.append(y1)
                if spacing_m is None:
                    continue
                length = GEOD.inv(x1, y1, x2, y2)[2]
                n = int(length // spacing_m)
                if n:
                    for x, y in GEOD.npts(x1, y1, x2, y2, n):
                        lons.append(x)
                        lats.append(y)
    return np.asarray(lons), np.asarray(lats)


def brute_force(px: np.ndarray, py: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest and farthest of the points (px, py) from each target, vectorised per target."""
    lo, hi = np.empty(lon.size), np.empty(lon.size)
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        d = GEOD.inv(np.full(px.size, x), np.full(px.size, y), px, py)[2]
        lo[i], hi[i] = d.min(), d.max()
    return lo, hi


def edge_error(area: LaunchArea, geometry, radius_m: float, farthest: bool) -> float:
    """Largest |g - R| (m) over 8 points on every drawn edge (read as a straight lon/lat line)."""
    worst = 0.0
    for poly in shapely.get_parts(geometry):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            keep = ~((np.abs(xy[:-1, 0]) == 180.0) & (xy[:-1, 0] == xy[1:, 0]))  # not the cut lines
            keep &= ~((np.abs(xy[:-1, 1]) == 90.0) & (xy[:-1, 1] == xy[1:, 1]))  # not the pole edge
            a, b = xy[:-1][keep], xy[1:][keep]
            f = (np.arange(8) + 0.5) / 8
            x = (a[:, None, 0] + f * (b - a)[:, None, 0]).ravel()
            y = (a[:, None, 1] + f * (b - a)[:, None, 1]).ravel()
            g = area.extremes(x, y, farthest=farthest)[0]
            worst = max(worst, float(np.abs(g - radius_m).max()))
    return worst


def bench_zones(belarus, repeat: int) -> None:
    """Time the three Belarus zones for 700/5,000 km and compare with a naive AEQD buffer."""
    from pyproj import Transformer

    from geo.analysis.bands import RangeBand
    from geo.analysis.launch import LaunchRegion
    from geo.analysis.zones import zones

    region = [LaunchRegion("Belarus", belarus, "BLR")]
    band = RangeBand(700, 5000)
    zones(region, band)  # prepare the launch area once, as a session would
    seconds = best_of(repeat, lambda: zones(region, band))
    result = {z.role: z.geometry for z in zones(region, band)}
    area = LaunchArea(belarus)
    err_reach = edge_error(area, result["reach"], 5e6, farthest=False)
    err_dead = edge_error(area, result["dead_zone"], 7e5, farthest=True)
    n = sum(shapely.get_num_coordinates(g) for g in result.values())

    c = belarus.centroid
    crs = f"+proj=aeqd +lon_0={c.x} +lat_0={c.y} +ellps=WGS84 +units=m"
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def naive():
        planar = shapely.transform(belarus, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
        ring = shapely.get_coordinates(planar.buffer(5e6, quad_segs=64).exterior)
        return np.column_stack(inv.transform(ring[:, 0], ring[:, 1]))

    naive_s = best_of(repeat, naive)
    xy = naive()
    naive_err = float(np.abs(area.extremes(xy[:, 0], xy[:, 1], farthest=False)[0] - 5e6).max())
    print("\nzones of Belarus, 700-5,000 km (reach, dead zone, reachable), default tolerance 10 m:")
    print(f"  georange zones      {seconds:7.3f} s   {n:6,} vertices   max boundary error: reach {err_reach:.2f} m, "
          f"dead zone {err_dead:.2f} m (8 points on every edge)")
    print(f"  naive AEQD buffer   {naive_s:7.3f} s   (reach only, vertices only)   "
          f"max error {naive_err / 1000:,.1f} km, "
          "and its ring leaves out the North Pole")


def bench_claims(repeat: int) -> None:
    """Time the claim catalogue, with and without coverage, against one sweep of the uncertainty box."""
    from geo.claims.model import load_claims
    from geo.claims.verdicts import evaluate, evaluate_claim

    catalogue = Path(__file__).resolve().parent.parent / "data" / "claims"
    loaded = load_claims([catalogue])
    evaluate(loaded.claims, loaded.surveys)  # warm the data caches
    verdicts = best_of(repeat, lambda: evaluate(loaded.claims, coverage=False))
    covered = best_of(repeat, lambda: evaluate(loaded.claims))
    surveys = best_of(1, lambda: evaluate((), loaded.surveys))
    # Baseline: robustness by re-evaluating the claim on a 21 x 21 grid of the box instead of
    # testing only the candidate flip values (the method geo.claims.verdicts uses).
    kyiv = loaded.claims[0]

    def sweep():
        from dataclasses import replace

        from geo.reference.systems import Figure

        for a in np.linspace(kyiv.min_km.low_km, kyiv.min_km.high_km, 21):
            for b in np.linspace(kyiv.max_km.low_km, kyiv.max_km.high_km, 21):
                evaluate_claim(replace(kyiv, min_km=Figure.exact(a), max_km=Figure.exact(b)), coverage=False)

    one = best_of(repeat, lambda: evaluate_claim(kyiv, coverage=False))
    grid = best_of(1, sweep)
    n = len(loaded.claims)
    print(f"\nclaim catalogue ({n} claims, {sum(len(c.scenarios) for c in loaded.claims)} extra scenarios, "
          f"{len(loaded.surveys)} surveys):")
    print(f"  verdicts, critical values, robustness   {verdicts:7.3f} s")
    print(f"  ... plus launch-area coverage            {covered:7.3f} s")
    print(f"  surveys (with territory shares)          {surveys:7.3f} s")
    print(f"  one claim, exact robustness {one * 1000:7.1f} ms; 21 x 21 grid sweep {grid:6.2f} s "
          f"({grid / one:,.0f}x slower, and only sampled)")


def bench_map(repeat: int) -> None:
    """Time the Oreshnik map (build, size, render in Chromium) against a naive folium.Circle map."""
    import subprocess
    import tempfile

    import folium

    from geo.claims.model import load_claims
    from geo.outputs.webmap import claim_map, map_html

    root = Path(__file__).resolve().parent.parent
    claims = root / "data" / "claims" / "000_oreshnik_belarus.toml"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "oreshnik.html"

        def cli() -> None:
            subprocess.run([sys.executable, "-m", "geo", "map", str(claims), "-o", str(out), "--overwrite", "-q"],
                           check=True, cwd=root)

        cold = best_of(1, cli)
        html = out.read_text(encoding="utf-8")
        loaded = load_claims([claims])
        warm = best_of(repeat, lambda: map_html(claim_map(loaded)))

        def naive() -> str:  # the usual shortcut: folium.Circle (wrong by up to 1,500 km at 5,000 km), CDN assets
            m = folium.Map(location=[53.7, 27.9], zoom_start=4)
            for c in loaded.claims:
                folium.Circle([53.7, 27.9], radius=c.max_km.value_km * 1000).add_to(m)
                folium.Circle([53.7, 27.9], radius=c.min_km.value_km * 1000).add_to(m)
                folium.CircleMarker([c.place.lat, c.place.lon], tooltip=c.place.name).add_to(m)
            return m.get_root().render()

        naive_s = best_of(repeat, naive)
        print(f"\nOreshnik map (data/claims/000, {len(html.encode()) / 1e6:.2f} MB HTML, target < 1 MB, offline):")
        print(f"  georange map CLI, fresh process  {cold:7.2f} s   (target < 3 s)")
        print(f"  claim_map + map_html, in process {warm:7.2f} s   naive folium.Circle map {naive_s:6.3f} s "
              f"({warm / naive_s:,.0f}x; wrong zones, needs a CDN)")
        bench_render(out, repeat)


def bench_render(page_path, repeat: int) -> None:  # type: ignore[no-untyped-def]
    """Time Chromium loading and painting the map, against a blank Leaflet page with the same assets."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import Chromium, find_chromium

    if find_chromium() is None:
        print("  render in Chromium: skipped (Chromium not found; apt-get install chromium)")
        return
    from geo.outputs.webmap import _assets

    css, js = _assets()
    blank = page_path.with_name("blank.html")
    blank.write_text(f"<!DOCTYPE html><html><head><style>{css}</style><script>{js}</script></head><body>"
                     "<div id='m' style='width:100%;height:100vh'></div><script>L.map('m').setView([53, 28], 4);"
                     "</script></body></html>", encoding="utf-8")
    with Chromium() as browser:
        times = {}
        for name, path in (("map", page_path), ("blank", blank)):
            runs = []
            for _ in range(repeat):
                page = browser.open(path)
                runs.append(page.load_seconds)
                errors = page.errors
                page.close()
            times[name] = min(runs)
        ratio = times["map"] / times["blank"]
        print(f"  render in headless Chromium     {times['map']:7.2f} s   (target < 2 s; blank Leaflet page "
              f"{times['blank']:.2f} s, {ratio:.1f}x){'  ERRORS: ' + str(errors) if errors else ''}")


# Runs a command and reports its wall time and peak memory. It is a small process of its own: a child
# forked straight from the bench (hundreds of MB) would count the bench's pages in its peak until exec.
_LAUNCHER = (
    "import os, sys, time\n"
    "start = time.perf_counter()\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.execvp(sys.argv[2], sys.argv[2:])\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    out.write(f'{time.perf_counter() - start} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}')\n"
)


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run ``cmd``; return its wall time (s) and peak resident memory (MB), measured from outside (wait4)."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        subprocess.run([sys.executable, "-c", _LAUNCHER, report.name, *cmd], cwd=cwd, stdout=subprocess.DEVNULL,
                       check=True)
        seconds, peak_kb, code = report.read().split()
    if int(code) != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {code}")
    return float(seconds), int(peak_kb) / 1024


def bench_large(n: int, sample: int) -> None:
    """Classify n random points worldwide against Belarus (700-5,000 km): API, CLI (peak memory), Dask."""
    import tempfile

    import pandas as pd

    import geo
    from geo.analysis.bands import RangeBand
    from geo.analysis.classifier import Classifier
    from geo.analysis.launch import parse_launch

    rng = np.random.default_rng(7)
    lon = rng.uniform(-180.0, 180.0, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    band = RangeBand(700, 5000)
    classifier = Classifier([parse_launch("BLR")], band)
    screened = float(classifier.screen(lon[:200_000], lat[:200_000]).mean())
    start = time.perf_counter()
    fast = geo.reach((lon, lat), "BLR", 700, 5000, distances=False)
    api_s = time.perf_counter() - start
    k = min(sample, n)
    exact_s = best_of(1, lambda: classifier.table(lon[:k], lat[:k])) * n / k
    one_s = best_of(1, lambda: Classifier([parse_launch("BLR")], band, workers=1).status(lon[:k * 10], lat[:k * 10]))
    counts = fast["status"].value_counts()
    print(f"\n{n:,} random points worldwide vs Belarus, 700-5,000 km (the ball screen decides "
          f"{screened:.1%} of them without exact area distances):")
    print(f"  geo.reach(distances=False), 2 threads {api_s:7.2f} s   {n / api_s:12,.0f} points/s   (target: 1M < 10 s)")
    print(f"  ... one thread, on {k * 10:,} points   {one_s * n / (k * 10):7.2f} s   (scaled)")
    print(f"  exact distances for every point      {exact_s:7.2f} s   {n / exact_s:12,.0f} points/s   "
          f"(scaled from {k:,}; {exact_s / api_s:,.0f}x slower)")
    print("  statuses: " + ", ".join(f"{counts[s]:,} {s}" for s in ("reachable", "too_close", "too_far")))
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        points = Path(tmp) / "points.parquet"
        pd.DataFrame({"lon": lon, "lat": lat}).to_parquet(points, row_group_size=250_000)
        del fast
        out = Path(tmp) / "out.csv"
        cmd = [sys.executable, "-m", "geo", "reach", "--from", "BLR", "--min-km", "700", "--max-km", "5000",
               "--places", str(points), "--status-only", "--format", "csv", "-o", str(out), "-q"]
        seconds, peak = run_measured(cmd, root)
        size_mb = out.stat().st_size / 1e6
        print(f"  georange reach --places points.parquet --status-only --format csv (fresh process): "
              f"{seconds:6.2f} s, peak memory {peak:,.0f} MB (target < 2 GB), output {size_mb:,.0f} MB")
    bench_dask(lon[:1_000_000], lat[:1_000_000])


def bench_dask(lon: np.ndarray, lat: np.ndarray, repeat: int = 2) -> None:
    """Time reach_dask on a local 2-worker cluster against geo.reach in this process (statuses only)."""
    import pandas as pd

    import geo
    from geo.errors import DaskMissingError

    try:
        from distributed import wait

        from geo.analysis.distributed import connect, reach_dask
    except ImportError:
        print("  Dask: skipped (pip install 'georange[dask]')")
        return
    n = lon.size
    targets = pd.DataFrame({"lon": lon, "lat": lat})
    single = best_of(repeat, lambda: geo.reach(targets, "BLR", 700, 5000, distances=False))
    try:
        start = time.perf_counter()
        client = connect(None, n_workers=2)
    except DaskMissingError:
        print("  Dask: skipped (pip install 'georange[dask]')")
        return
    startup = time.perf_counter() - start
    with client:
        import dask.dataframe as dd

        parts = np.array_split(np.arange(n), 8)
        futures = client.scatter([targets.iloc[p] for p in parts])  # the data on the workers, not in the graph
        source = dd.from_delayed(futures, meta=targets.iloc[:0], verify_meta=False)
        expect = geo.reach(targets, "BLR", 700, 5000, distances=False)
        same = client.compute(reach_dask(source, "BLR", 700, 5000)).result()["status"].equals(expect["status"])
        on_workers = best_of(repeat, lambda: wait(client.persist(reach_dask(source, "BLR", 700, 5000))))
    print(f"  Dask LocalCluster, 2 worker processes, data on the workers: {on_workers:6.2f} s "
          f"({n / on_workers:,.0f} points/s; {on_workers / single:.2f}x the single process's {single:.2f} s; "
          f"cluster start {startup:.1f} s); statuses identical: {same}")


CHINA_CLAIMS = """
title = "Bench: a claim about China (population in range by default)"
[[claim]]
id = "china-tokyo"
from = "China"
max_km = 3000
place = "Tokyo"
expect = "reachable"
"""
NAIVE_MAP = (
    "import folium, sys\n"
    "m = folium.Map(location=[53.7, 27.9], zoom_start=4)\n"
    "for r in (700e3, 5000e3): folium.Circle([53.7, 27.9], radius=r).add_to(m)\n"
    "m.save(sys.argv[1])\n"
)


class _Counting:
    """A stand-in for the engine's Geod that counts the points of every inverse and direct problem."""

    def __init__(self, geod: Geod) -> None:
        self.geod = geod
        self.solved = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.geod, name)

    def inv(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.solved += int(np.broadcast(*args[:4]).size)
        return self.geod.inv(*args, **kwargs)

    def fwd(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.solved += int(np.broadcast(*args[:4]).size)
        return self.geod.fwd(*args, **kwargs)


def bench_counts(points: int) -> None:
    """Print exact geodesic problems solved per target for the issue-18 work, against the floor."""
    import geo.geodesy.ellipsoid as ellipsoid
    from geo import RangeBand, parse_launch
    from geo.analysis.classifier import Classifier
    from geo.analysis.zones import reach_zone

    real = ellipsoid.WGS84
    counter = _Counting(real)
    # Compared with `real`, not ellipsoid.WGS84: once ellipsoid itself is patched, that is the counter, and
    # the modules after it in sys.modules (the distance engine among them) would be left uncounted.
    patched = [m for name, m in sys.modules.items() if name.startswith("geo.") and getattr(m, "WGS84", None) is real]
    for module in patched:
        module.WGS84 = counter  # type: ignore[attr-defined]
    assert any(m.__name__ == "geo.geodesy.distance" for m in patched)
    cities = load_gazetteer()
    clon, clat = cities["lon"].to_numpy(float), cities["lat"].to_numpy(float)
    rng = np.random.default_rng(7)
    plon = rng.uniform(-180.0, 180.0, points)
    plat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, points)))
    belarus, russia = parse_launch("BLR"), parse_launch("RUS")

    def run(fn: Callable[[], object]) -> tuple[int, float]:
        counter.solved = 0
        start = time.perf_counter()
        fn()
        return counter.solved, time.perf_counter() - start

    rows = []
    for label, sources, band, lon, lat, table in (
        (f"{clon.size:,} cities vs Belarus, min+max", [belarus], RangeBand(700, 5000), clon, clat, True),
        (f"{points:,} random points vs Belarus, min+max", [belarus], RangeBand(700, 5000), plon, plat, True),
        (f"{points:,} random points vs Belarus, status", [belarus], RangeBand(700, 5000), plon, plat, False),
        (f"{clon.size:,} cities vs Russia (213 parts), min+max", [russia], RangeBand(0, 2000), clon, clat, True),
    ):
        c = Classifier(sources, band, workers=1)
        solved, seconds = run(lambda c=c, lon=lon, lat=lat, table=table: (c.table if table else c.status)(lon, lat))
        floor = 1 if not table else 2  # one distance per part for a status; nearest and farthest for a table
        rows.append((label, solved / lon.size, f"{floor} per target and part", lon.size / seconds))
    solved, seconds = run(lambda: reach_zone([belarus], 19_000))
    rows.append(("zone 19,000 km round Belarus (whole zone)", float(solved), "-", float("nan")))
    a = np.zeros(points)
    pyproj_s = best_of(2, lambda: GEOD.inv(a, a, plon, plat))
    print(f"\nexact geodesic problems per target (pyproj inv + fwd points), one thread; "
          f"pyproj alone: {points / pyproj_s:,.0f} inverse problems/s")
    print(f"{'work':52} {'solved/target':>14}   {'floor':24} {'engine targets/s':>17}")
    for label, per, floor_text, rate in rows:
        rate_text = f"{rate:17,.0f}" if math.isfinite(rate) else f"{'-':>17}"  # a whole zone has no per-target rate
        print(f"{label:52} {per:14,.2f}   {floor_text:24} {rate_text}")


def bench_table(points: int, sample: int, repeat: int = 3) -> None:
    """Print the whole-process rows of issue 18, each beside a baseline measured in this run.

    Each command runs ``repeat`` times (the best wall time and the largest peak are kept: one run
    on this machine varies by 10 to 20 %); the brute-force baselines are timed once on a sample.
    """
    import compileall
    import tempfile

    import pandas as pd

    from geo.reference.places import lookup_country

    root = Path(__file__).resolve().parent.parent
    # Time geo as installed: a wheel install has its bytecode, an editable one (make's) gets it here
    # (PYTHONDONTWRITEBYTECODE, set on the reference machine, would otherwise recompile it in every run).
    compileall.compile_dir(root / "geo", quiet=1)
    cities = load_gazetteer()
    clon, clat = cities["lon"].to_numpy(float), cities["lat"].to_numpy(float)
    rng = np.random.default_rng(7)
    plon = rng.uniform(-180.0, 180.0, points)
    plat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, points)))
    geo_cmd = [sys.executable, "-m", "geo"]
    rows: list[tuple[str, float, float, str, float, str]] = []

    def sampled(fn: Callable[[np.ndarray, np.ndarray], object], lon: np.ndarray, lat: np.ndarray) -> float:
        pick = rng.choice(lon.size, size=min(sample, lon.size), replace=False)
        return best_of(1, lambda: fn(lon[pick], lat[pick])) * lon.size / pick.size

    def floor(n: int) -> float:  # one exact inverse problem per target: what a status cannot do without
        a = np.zeros(n)
        return best_of(2, lambda: GEOD.inv(a, a, plon[:n], plat[:n]))

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        cities_csv, points_csv = t / "cities.csv", t / "points.csv"
        pd.DataFrame({"name": cities["name"], "lon": clon, "lat": clat}).to_csv(cities_csv, index=False)
        pd.DataFrame({"lon": plon, "lat": plat}).to_csv(points_csv, index=False)
        out = t / "out.csv"
        reach = [*geo_cmd, "reach", "--format", "csv", "-o", str(out), "--overwrite", "-q"]

        def run(cmd: list[str]) -> tuple[float, float]:  # best wall time of `repeat` runs, largest peak
            runs = [run_measured(cmd, root) for _ in range(repeat)]
            return min(r[0] for r in runs), max(r[1] for r in runs)

        _, _, belarus = lookup_country("BLR")
        bx, by = boundary_points(belarus, 1000.0)
        s, mb = run([*reach, "--from", "BLR", "--min-km", "700", "--max-km", "5000", "--places", str(cities_csv)])
        base = sampled(lambda x, y: brute_force(bx, by, x, y), clon, clat)
        rows.append((f"reach, {clon.size:,} cities vs Belarus, CSV in/out, min+max", s, mb,
                     "pyproj brute force, boundary at 1 km", base, f"{base / s:,.0f}x faster"))

        s, mb = run([*reach, "--from", "BLR", "--min-km", "700", "--max-km", "5000", "--places", str(points_csv)])
        base = floor(points)
        rows.append((f"reach, {points:,} random points, CSV in/out, min+max", s, mb,
                     "one Geod.inv per point (the floor)", base, f"{s / base:,.1f}x the floor"))
        s, mb = run([*reach, "--from", "BLR", "--min-km", "700", "--max-km", "5000", "--places", str(points_csv),
                     "--status-only"])
        rows.append((f"reach --status-only, {points:,} points from CSV", s, mb,
                     "one Geod.inv per point (the floor)", base, f"{s / base:,.1f}x the floor"))

        _, _, russia = lookup_country("RUS")
        rx, ry = boundary_points(russia, None)
        s, mb = run([*reach, "--from", "RUS", "--max-km", "2000", "--places", str(cities_csv)])
        base = sampled(lambda x, y: brute_force(rx, ry, x, y), clon, clat)
        rows.append((f"reach, Russia x {clon.size:,} cities at 2,000 km", s, mb,
                     f"pyproj brute force, {rx.size:,} vertices", base, f"{base / s:,.0f}x faster"))

        s, mb = run([*geo_cmd, "zone", "--from", "BLR", "--max-km", "19000", "-o", str(t / "z.geojson"),
                     "--overwrite", "-q"])
        base, _ = run([*geo_cmd, "zone", "--from", "53.7347,31.9172", "--max-km", "19000",
                       "-o", str(t / "p.geojson"), "--overwrite", "-q"])
        rows.append(("zone, 19,000 km round Belarus", s, mb, "the same zone round one point (Krichev)", base,
                     f"{s / base:,.1f}x the point"))

        china = t / "china.toml"
        china.write_text(CHINA_CLAIMS, encoding="utf-8")
        point = t / "beijing.toml"
        point.write_text(CHINA_CLAIMS.replace('from = "China"', 'from = "39.9042,116.4074"'), encoding="utf-8")
        s, mb = run([*geo_cmd, "check", str(china)])
        base, _ = run([*geo_cmd, "check", str(point)])
        rows.append(("check, a claim from China (population in range)", s, mb, "the same claim from Beijing", base,
                     f"{s / base:,.1f}x the point"))

        s, mb = run([*geo_cmd, "--version"])
        base, _ = run([sys.executable, "-c", "pass"])
        rows.append(("georange --version", s, mb, "python -c pass", base, f"{s / base:,.1f}x Python's start"))
        s2, _ = run([*geo_cmd, "--help"])
        rows.append(("georange --help", s2, mb, "python -c pass", base, f"{s2 / base:,.1f}x Python's start"))

        claims = root / "data" / "claims" / "000_oreshnik_belarus.toml"
        s, mb = run([*geo_cmd, "map", str(claims), "-o", str(t / "m.html"), "--overwrite", "-q"])
        naive = t / "naive.py"
        naive.write_text(NAIVE_MAP, encoding="utf-8")
        base, _ = run([sys.executable, str(naive), str(t / "n.html")])
        rows.append(("georange map, the Oreshnik seed file", s, mb, "a folium.Circle map (wrong zones)", base,
                     f"{s / base:,.1f}x"))

    print(f"\nwhole-process table (issue 18): fresh processes, best of {repeat}, peak memory measured from outside")
    print(f"{'work':52} {'time':>8} {'peak MB':>8}   {'baseline':40} {'time':>8}   ratio")
    for work, s, mb, name, base, ratio in rows:
        print(f"{work:52} {s:7.2f}s {mb:8,.0f}   {name:40} {base:7.2f}s   {ratio}")

RUSSIA_CLAIMS = """title = "Four claims from Russia (bench)"
[[claim]]
id = "a"
text = "A Kalibr fired from Russia reaches Berlin."
system = "kalibr"
from = "Russia"
place = "Berlin"
expect = "reachable"
[[claim]]
id = "b"
text = "A Kalibr fired from Russia reaches London."
system = "kalibr"
from = "Russia"
place = "London"
expect = "reachable"
[[claim]]
id = "c"
text = "An Iskander-M fired from Russia reaches Warsaw."
system = "iskander-m"
from = "Russia"
place = "Warsaw"
expect = "reachable"
[[claim]]
id = "d"
text = "An Iskander-M fired from Russia does not reach Paris."
system = "iskander-m"
from = "Russia"
place = "Paris"
expect = "too_far"
"""

MIXED_CLAIM = """title = "A band of 300-500 km from Russia (bench)"
[[claim]]
id = "gdansk"
text = "Gdansk lies 300 to 500 km from some point of Russia."
from = "RUS"
min_km = 300
max_km = 500
place = "Gdańsk"
expect = "reachable"
"""

U_SHAPE = '{"type":"Polygon","coordinates":[[[0,0],[20,0],[20,15],[18,15],[18,2],[2,2],[2,15],[0,15],[0,0]]]}'


def bench_territories(repeat: int = 1) -> None:
    """Print the whole-process rows of issue 29 (big many-part territories), each beside a baseline.

    The baseline of a command on Russia or China is the matching ``reach``, or the same command on
    Belarus (a one-part country), timed in the same run; peak memory is measured from outside. Each
    command runs first with an empty cache of its own (``cold``, as on a fresh machine, the time the
    ratio uses) and then again with what that run kept (``warm``: the second map of the same question).
    """
    import os
    import tempfile

    root = Path(__file__).resolve().parent.parent
    geo_cmd = [sys.executable, "-m", "geo"]
    rows: list[tuple[str, float, float, float, str, float, str]] = []

    def run(cmd: list[str]) -> tuple[float, float, float]:
        cold, warm, peak = [], [], []
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as cache_dir:
                os.environ["GEORANGE_CACHE_DIR"] = cache_dir
                s, mb = run_measured(cmd, root)
                cold.append(s)
                peak.append(mb)
                warm.append(run_measured(cmd, root)[0])
        os.environ.pop("GEORANGE_CACHE_DIR", None)
        return min(cold), max(peak), min(warm)

    def row(work: str, cmd: list[str], base_name: str, base_cmd: list[str]) -> None:
        s, mb, warm = run(cmd)
        base, _, _ = run(base_cmd)
        rows.append((work, s, mb, warm, base_name, base, f"{s / base:,.1f}x"))
        print(f"  {work}: {s:.2f} s, {warm:.2f} s warm ({base_name}: {base:.2f} s)", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        russia = t / "russia.toml"
        russia.write_text(RUSSIA_CLAIMS, encoding="utf-8")
        mixed = t / "mixed.toml"
        mixed.write_text(MIXED_CLAIM, encoding="utf-8")
        mixed_blr = t / "mixed_blr.toml"
        mixed_blr.write_text(MIXED_CLAIM.replace('from = "RUS"', 'from = "BLR"'), encoding="utf-8")
        u_shape = t / "u.geojson"
        u_shape.write_text(U_SHAPE, encoding="utf-8")

        def o(suffix: str) -> list[str]:
            return ["-o", str(t / f"out{suffix}"), "--overwrite", "-q"]

        places = ["--place", "Berlin", "--place", "London", "--place", "Warsaw", "--place", "Paris"]
        row("check, 4 claims from Russia", [*geo_cmd, "check", str(russia)],
            "reach of the 4 places from Russia", [*geo_cmd, "reach", "--from", "Russia", "--max-km", "2500",
                                                  *places, *o(".csv")])
        row("check, 4 claims from Russia, --no-coverage --no-population",
            [*geo_cmd, "check", str(russia), "--no-coverage", "--no-population"],
            "reach of the 4 places from Russia", [*geo_cmd, "reach", "--from", "Russia", "--max-km", "2500",
                                                  *places, *o(".csv")])
        row("check, data/hardcases (6 files, worldwide)", [*geo_cmd, "check", str(root / "data" / "hardcases")],
            "check, the Oreshnik seed file", [*geo_cmd, "check", str(root / "data" / "claims" /
                                                                     "000_oreshnik_belarus.toml")])
        row("zone --from Russia --system kalibr", [*geo_cmd, "zone", "--from", "Russia", "--system", "kalibr",
                                                   *o(".geojson")],
            "the same from Belarus", [*geo_cmd, "zone", "--from", "Belarus", "--system", "kalibr", *o(".geojson")])
        row("zone --from China --system df-26", [*geo_cmd, "zone", "--from", "China", "--system", "df-26",
                                                 *o(".geojson")],
            "the same from Belarus", [*geo_cmd, "zone", "--from", "Belarus", "--system", "df-26", *o(".geojson")])
        row("zone --from RUS --max-km 500", [*geo_cmd, "zone", "--from", "RUS", "--max-km", "500", *o(".geojson")],
            "the same from Belarus", [*geo_cmd, "zone", "--from", "BLR", "--max-km", "500", *o(".geojson")])
        row("zone of an 8-vertex U at 880 km (fronts meet)", [*geo_cmd, "zone", "--from", str(u_shape), "--max-km",
                                                              "880", *o(".gpkg")],
            "the same at 850 km", [*geo_cmd, "zone", "--from", str(u_shape), "--max-km", "850", *o(".gpkg")])
        row("map --from Russia --system kh-101 --places nato-capitals",
            [*geo_cmd, "map", "--from", "Russia", "--system", "kh-101", "--places", "nato-capitals", *o(".html")],
            "the same from Belarus",
            [*geo_cmd, "map", "--from", "Belarus", "--system", "kh-101", "--places", "nato-capitals", *o(".html")])
        row("map, RUS 300-500 km, Gdansk (mixed band)", [*geo_cmd, "map", str(mixed), *o(".html")],
            "the same from Belarus", [*geo_cmd, "map", str(mixed_blr), *o(".html")])
        claims = sorted(str(f) for f in (root / "data" / "claims").glob("*.toml"))
        row("map of the 5 seed claim files with --png", [*geo_cmd, "map", *claims, "--png", str(t / "m.png"),
                                                         *o(".html")],
            "the Oreshnik file alone with --png", [*geo_cmd, "map", claims[0], "--png", str(t / "m1.png"),
                                                   *o("1.html")])

        gallery = root / "scripts" / "build_gallery.py"
        make_run = (f"{sys.executable} {gallery} --out {t / 'maps'} && "
                    f"{' '.join(geo_cmd)} check {root / 'data' / 'claims'} > /dev/null")
        row("make run: the gallery, the hard cases and the catalogue (into a scratch folder)",
            ["sh", "-c", make_run], "check, the Oreshnik seed file",
            [*geo_cmd, "check", str(root / "data" / "claims" / "000_oreshnik_belarus.toml")])

    print(f"\nwhole-process table (issue 29): fresh processes, best of {repeat}, peak memory measured from outside;")
    print("cold: an empty cache (a fresh machine), warm: the same command again; the ratio is cold over the baseline")
    print(f"{'work':58} {'cold':>8} {'warm':>8} {'peak MB':>8}   {'baseline':36} {'time':>8}   ratio")
    for work, s, mb, warm, name, base, ratio in rows:
        print(f"{work:58} {s:7.2f}s {warm:7.2f}s {mb:8,.0f}   {name:36} {base:7.2f}s   {ratio}")


def bench_flight(repeat: int = 1) -> None:
    """Print the flight-time and turning-Earth rows (issue 31), each beside a baseline measured in the same run."""
    from geo.analysis.bands import RangeBand
    from geo.analysis.launch import parse_launch
    from geo.analysis.rotation import rotating_reach
    from geo.geodesy.ellipsoid import WGS84
    from geo.physics import ballistic

    krichev = parse_launch("krichev")
    cities = load_gazetteer()
    lon, lat = cities["lon"].to_numpy(float), cities["lat"].to_numpy(float)
    speed = float(ballistic.burnout_speed(5e6))
    _, _, dist = WGS84.inv(np.full(lon.size, krichev.lon), np.full(lon.size, krichev.lat), lon, lat)
    near = np.flatnonzero((np.asarray(dist) > 100e3) & (np.asarray(dist) < 4.5e6))[:1000]
    print(f"\nflight times and the turning Earth (Oreshnik, 5,000 km, from Krichev; {repeat} run(s), best kept)")
    batch = best_of(repeat, lambda: ballistic.flight_band(krichev.lon, krichev.lat, lon[near], lat[near], speed))
    one = best_of(repeat, lambda: [ballistic.flight_band(krichev.lon, krichev.lat, lon[k], lat[k], speed)
                                   for k in near[:50]]) / 50 * near.size
    print(f"  flight bands to {near.size:,} cities, one vectorised call   {batch:7.3f} s; one call per city "
          f"{one:7.2f} s ({one / batch:,.0f}x)")
    band = RangeBand(0, 5000)
    table = best_of(repeat, lambda: rotating_reach([krichev], band, lon, lat))
    az = np.asarray(WGS84.inv(np.full(200, krichev.lon), np.full(200, krichev.lat), lon[:200], lat[:200])[0])
    exact = best_of(1, lambda: ballistic.range_toward(krichev.lon, krichev.lat, az, speed)) / 200 * lon.size
    print(f"  turning-Earth reach of {lon.size:,} cities (table + exact near the limit) {table:7.3f} s; the exact "
          f"limit toward every city {exact:7.1f} s ({exact / table:,.0f}x)")
    root = Path(__file__).resolve().parent.parent
    for argv in (["flight", "--from", "Belarus", "--places", "european-capitals", "--system", "oreshnik"],
                 ["reach", "--from", "krichev", "--system", "oreshnik", "--earth-rotation", "--places", "cities",
                  "--format", "csv"],
                 ["zone", "--from", "krichev", "--system", "oreshnik", "--earth-rotation", "-o", "{tmp}/z.geojson"]):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "GEORANGE_CACHE_DIR": tmp}
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "geo", *(a.replace("{tmp}", tmp) for a in argv)], cwd=root,
                                  env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            took = time.perf_counter() - start
            status = "" if done.returncode == 0 else f"  FAILED: {done.stderr.strip()}"
            print(f"  georange {' '.join(argv[:5])} ... (whole process)   {took:7.2f} s{status}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=500, help="cities the baselines are timed on (default 500)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing, best kept (default 3)")
    parser.add_argument("--points", type=int, default=1_000_000,
                        help="random points for the large-input section (default 1,000,000)")
    parser.add_argument("--only", choices=("large", "table", "counts", "territories", "flight"),
                        help="run only this section")
    args = parser.parse_args()
    if args.only == "large":
        bench_large(args.points, args.sample * 20)
        return 0
    if args.only == "table":
        bench_table(args.points, args.sample, args.repeat)
        return 0
    if args.only == "territories":
        bench_territories(args.repeat if args.repeat != 3 else 1)
        return 0
    if args.only == "flight":
        bench_flight(args.repeat if args.repeat != 3 else 1)
        return 0
    if args.only == "counts":
        bench_counts(min(args.points, 200_000))
        return 0

    _, _, belarus = lookup_country("BLR")
    cities = load_gazetteer()
    lon, lat = cities["lon"].to_numpy(float), cities["lat"].to_numpy(float)
    inside = LaunchArea(belarus).contains(lon, lat)
    n = lon.size
    print(f"georange bench: Python {platform.python_version()}, {platform.machine()}, {n:,} cities vs Belarus")

    start = time.perf_counter()
    area = LaunchArea(belarus)
    lo, hi = area.distances(lon, lat)
    cold = time.perf_counter() - start
    warm = best_of(args.repeat, lambda: area.distances(lon, lat))
    print(f"\nengine (exact, min+max)      cold {cold:7.3f} s   warm {warm:7.3f} s   {n / warm:12,.0f} targets/s")

    rng = np.random.default_rng(20251223)
    # Half the sample near Belarus (where edges, not vertices, are nearest), half anywhere.
    near, anywhere = np.flatnonzero(~inside & (lo < 300e3)), np.flatnonzero(~inside)
    half = min(args.sample // 2, near.size)
    pick = np.concatenate([rng.choice(near, size=half, replace=False),
                           rng.choice(anywhere, size=min(args.sample - half, anywhere.size), replace=False)])
    baselines = {
        "brute force, 1 km spacing": boundary_points(belarus, 1000.0),
        "brute force, vertices only": boundary_points(belarus, None),
    }
    print(f"\nbaselines on {pick.size} cities outside Belarus ({half} within 300 km, the rest anywhere), "
          f"scaled to {n:,}:")
    print(f"{'method':30} {'points':>8} {'time (all)':>12} {'ratio':>8} {'max error vs engine':>22}")
    for name, (px, py) in baselines.items():
        seconds = best_of(1, lambda px=px, py=py: brute_force(px, py, lon[pick], lat[pick]))
        b_lo, b_hi = brute_force(px, py, lon[pick], lat[pick])
        scaled = seconds * n / pick.size
        err = max(np.max(np.abs(b_lo - lo[pick])), np.max(np.abs(b_hi - hi[pick])))
        print(f"{name:30} {px.size:8,} {scaled:10.1f} s {scaled / warm:7.0f}x {err:20.2f} m")

    bench_zones(belarus, args.repeat)
    bench_claims(args.repeat)
    bench_map(args.repeat)
    bench_large(args.points, args.sample * 20)
    bench_table(args.points, args.sample, args.repeat)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"\npeak resident memory: {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
