"""The pandas-free reach of a plain CSV file (``iter_reach(..., arrow=True)``, ``georange reach --format csv``).

It is a shortcut, never another reading: for every file, plain or not, the
CSV written from the Arrow chunks must be byte for byte the CSV written from
the frames, and a file the shortcut does not take must be read, or refused,
by the frame path with its usual message.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from geo.analysis.streaming import iter_reach
from geo.errors import InputFileError
from geo.inputs import points
from geo.inputs.points import read_plain_csv
from geo.lazy import arrow_strings, from_arrow, to_arrow
from geo.outputs.stream import write_chunks

from cases import sphere_points

HEAD = "name,lat,lon\n"
PLAIN = {
    "quoting": HEAD + 'Warsaw,52.2297,21.0122\n"Washington, D.C.",38.895,-77.0366\n"say ""hi""",1,2\n'
    '"two\nlines",50.45,30.5234\n"cr\rinside",48.85,2.35\nМосква,55.7558,37.6173\nKöln,50.94,6.96\n',
    "no name, extra columns": "id,lat,lon,country,note\n7,52.23,21.01, PL ,x\n8,50.45,30.52,,\n",
    "Country and country": "Country,country,lon,lat\nA, b ,21.01,52.23\n",
    "aliases, lon first": "longitude,Name,LATITUDE,x,x\n21.01,Warsaw,52.23,1,2\n-77.04,DC,38.9,3,4\n",
    "lng": "lng,lat\n21.01,52.23\n",
    "pandas index column": ",name,lat,lon,,population\n0,Warsaw,52.2297,21.0122,,1860281\n1,Kyiv,50.45,30.52,x,\n",
    "crlf": HEAD.replace("\n", "\r\n") + "Warsaw,52.2297,21.0122\r\nKyiv,50.45,30.52\r\n",
    "cr only": HEAD.replace("\n", "\r") + "Warsaw,52.2297,21.0122\rKyiv,50.45,30.52\r",
    "bom, blank lines, no last newline": "\ufeff" + HEAD + "Warsaw,52.2297,21.0122\n\nKyiv,50.45,30.52",
    "number forms": HEAD + "a,52,21\nb,5.2e1,+21.0\nc,.5,-0\nd,52.,-0.0\ne,-1E-5,179.99999999999999999\n"
    "f,90,-180\ng,-90,180\n",
    "csv under another name": HEAD + "Warsaw,52.2297,21.0122\n",
    "many digits": HEAD + "a,52.2297000000000000000000000000000000000000000001,21.01223456789012345678901\n"
    "b,0.0000000000000000000000000000001,1e-400\n",
}
NOT_PLAIN = {
    "padded name": HEAD + " Warsaw ,52.2297,21.0122\n",
    "name padded with a no-break space": HEAD + "Warsaw\u00a0,52.2297,21.0122\n",
    "quoted header": '"name",lat,lon\nWarsaw,52.2297,21.0122\n',
    "a result column": "name,lat,lon,status\nWarsaw,52.2297,21.0122,x\n",
    "padded number": HEAD + "Warsaw, 52.2297,21.0122\n",
    "hex number": HEAD + "Warsaw,0x10,21.0122\n",
    "underscore in a number": HEAD + "Warsaw,52.2297,2_1\n",
    "Arabic-Indic digits": HEAD + "Warsaw,52.2297,\u0662\u0661\n",
    "row of spaces": HEAD + "Warsaw,52.2297,21.0122\n   \n",
    "too few fields": HEAD + "Warsaw,52.2297\n",
}
BAD = {
    "empty name": HEAD + ",52.2297,21.0122\n",
    "latitude out of range": HEAD + "x,90.5,21\n",
    "not a number": HEAD + "x,north,21\n",
    "nan": HEAD + "x,nan,21\n",
    "only a header": HEAD,
    "not UTF-8": (HEAD + "K\xf6ln,50.94,6.96\n").encode("latin-1"),
    "open quote": HEAD + '"Warsaw,52.2297,21.0122\n',
}


def write(tmp_path: Path, text: str | bytes, suffix: str = ".csv") -> Path:
    path = tmp_path / f"places{suffix}"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def csv_of(path: Path, *, arrow: bool, launch=("BLR",), distances: bool = True, chunk_rows: int = 1000):
    """The CSV ``georange reach`` writes, and the kind of chunks it was written from."""
    kinds = []

    def chunks():
        for chunk in iter_reach(str(path), list(launch), 700, 5000, distances=distances, chunk_rows=chunk_rows,
                                arrow=arrow):
            kinds.append(type(chunk))
            yield chunk

    buf = io.StringIO()
    write_chunks(chunks(), "csv", buf)
    return buf.getvalue(), set(kinds)


@pytest.mark.parametrize("distances", [True, False], ids=["distances", "status-only"])
@pytest.mark.parametrize("case", sorted(PLAIN))
def test_a_plain_file_is_read_without_pandas_into_the_same_csv(tmp_path, case, distances):
    path = write(tmp_path, PLAIN[case], ".txt" if case == "csv under another name" else ".csv")
    launch = ("BLR", "Krichev") if case == "quoting" else ("BLR",)  # two labels in via
    fast, fast_kinds = csv_of(path, arrow=True, launch=launch, distances=distances, chunk_rows=2)
    slow, slow_kinds = csv_of(path, arrow=False, launch=launch, distances=distances, chunk_rows=2)
    assert fast_kinds == {pa.Table} and slow_kinds != {pa.Table}
    assert fast == slow
    assert fast.count("\n") > 1


@pytest.mark.parametrize("case", sorted(NOT_PLAIN))
def test_a_file_that_is_not_plain_goes_the_frame_way(tmp_path, case):
    path = write(tmp_path, NOT_PLAIN[case])
    assert (read_plain_csv(path) is None) == (case != "a result column")  # that one iter_reach declines
    try:
        slow, _ = csv_of(path, arrow=False)
    except InputFileError as exc:
        with pytest.raises(InputFileError) as fast_exc:
            csv_of(path, arrow=True)
        assert str(fast_exc.value) == str(exc)
        return
    fast, kinds = csv_of(path, arrow=True)
    assert kinds != {pa.Table} and fast == slow


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_refused_with_the_frame_reader_s_message(tmp_path, case):
    path = write(tmp_path, BAD[case])
    assert read_plain_csv(path) is None
    with pytest.raises(InputFileError) as slow:
        csv_of(path, arrow=False)
    with pytest.raises(InputFileError) as fast:
        csv_of(path, arrow=True)
    assert str(fast.value) == str(slow.value) and str(path) in str(fast.value)


def test_thousands_of_random_points_in_many_chunks(tmp_path):
    lon, lat = sphere_points(3000, seed=5)
    lines = [f"p{i},{a!r},{o!r}" for i, (a, o) in enumerate(zip(lat.tolist(), lon.tolist(), strict=True))]
    path = write(tmp_path, HEAD + "\n".join(lines) + "\n")
    fast, kinds = csv_of(path, arrow=True, chunk_rows=700)
    slow, _ = csv_of(path, arrow=False, chunk_rows=700)
    assert kinds == {pa.Table} and fast == slow
    assert fast.count("\n") == 3001


def test_the_table_holds_what_read_points_gives(tmp_path):
    path = write(tmp_path, PLAIN["no name, extra columns"])
    table = read_plain_csv(path)
    frame = points.read_points(path)
    assert table.column_names == [c for c in frame.columns if c != "name"]
    for c in table.column_names:
        assert table.column(c).to_pylist() == frame[c].tolist(), c


def test_a_file_over_the_size_limit_is_left_to_the_frames(tmp_path):
    path = write(tmp_path, PLAIN["crlf"])
    size = path.stat().st_size
    assert read_plain_csv(path, max_bytes=size) is not None
    assert read_plain_csv(path, max_bytes=size - 1) is None


def test_python_strips_exactly_the_listed_spaces():
    assert set(points._PY_SPACE) == {chr(i) for i in range(0x110000) if chr(i).isspace()}


def test_progress_counts_every_place(tmp_path):
    path = write(tmp_path, PLAIN["number forms"])
    done = []
    chunks = list(iter_reach(str(path), "BLR", 700, 5000, chunk_rows=3, arrow=True, progress=done.append))
    assert {type(c) for c in chunks} == {pa.Table} and sum(done) == 7


def test_arrow_helpers_keep_values_offsets_and_types():
    x = np.linspace(-1.0, 1.0, 11)
    assert from_arrow(to_arrow(x).slice(3, 5)).tolist() == x[3:8].tolist()
    mask = np.arange(21) % 3 == 0
    assert from_arrow(to_arrow(mask).slice(5)).tolist() == mask[5:].tolist()
    assert to_arrow(mask).slice(5).to_pylist() == mask[5:].tolist()
    codes = np.array([2, 0, 1], dtype=np.int8)
    assert to_arrow(codes).type == pa.int8() and from_arrow(to_arrow(codes)).dtype == np.int8
    texts = ["", "Köln", 'a "b", c', "Москва\n"]
    assert arrow_strings(texts).to_pylist() == texts and arrow_strings([]).to_pylist() == []
    assert from_arrow(pa.chunked_array([to_arrow(x[:4]), to_arrow(x[4:])])).tolist() == x.tolist()
    with pytest.raises(ValueError, match="nulls"):
        from_arrow(pa.array([1.0, None]))


def test_georange_reach_from_a_plain_csv_imports_no_pandas(tmp_path):
    path = write(tmp_path, PLAIN["quoting"])
    code = (
        "import sys; from geo.cli.main import main; "
        "main(['reach', '--from', 'BLR', '--min-km', '700', '--max-km', '5000', '--places', sys.argv[1], "
        "'--format', 'csv', '-o', sys.argv[2], '-q']); "
        "print('pandas' in sys.modules)"
    )
    out = tmp_path / "out.csv"
    run = subprocess.run([sys.executable, "-c", code, str(path), str(out)], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
    slow, _ = csv_of(path, arrow=False)
    assert out.read_bytes().decode("utf-8") == slow
