"""Modules imported on first use, and Arrow arrays to and from numpy without pandas.

pandas takes about 0.2 s to import, and commands that build no frame
(``georange zone``, ``--version``, a country lookup, ``georange reach``
from a CSV file to CSV) need none of it.
Modules that use pandas only inside functions refer to this stand-in
instead of importing it, so the import happens at the first ``pd.<name>``
actually evaluated, and type checkers see the real module::

    if TYPE_CHECKING:
        import pandas as pd
    else:
        from geo.lazy import pandas as pd

pyarrow imports pandas itself whenever it converts a Python or numpy value
(``pa.array``, ``pa.scalar``, a plain ``","`` passed to a compute function)
or hands an array to numpy (``Array.to_numpy``, ``np.asarray``).
:func:`to_arrow`, :func:`arrow_strings` and :func:`from_arrow` do the same
through the arrays' buffers, which needs no pandas.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

__all__ = ["LazyModule", "arrow_strings", "from_arrow", "pandas", "to_arrow"]


class LazyModule:
    """Stands in for a module and imports it when one of its attributes is first read."""

    def __init__(self, name: str) -> None:
        self._name = name

    def module(self) -> ModuleType:
        """Return the module, importing it now if it is not yet."""
        return importlib.import_module(self._name)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.module(), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


pandas = LazyModule("pandas")


# -- Arrow arrays and numpy, without pandas ------------------------------------------------


def to_arrow(values: np.ndarray) -> pa.Array:
    """Return a numpy array of numbers or booleans (1-D, no missing values) as an Arrow array.

    Numbers share the array's memory (the Arrow array holds a reference to
    it); booleans are packed into bits.

    Examples
    --------
    >>> import numpy as np
    >>> to_arrow(np.array([1.5, 2.0])).to_pylist(), to_arrow(np.array([True, False])).to_pylist()
    ([1.5, 2.0], [True, False])
    """
    import numpy as np
    import pyarrow as pa

    x = np.ascontiguousarray(values)
    if x.ndim != 1:
        raise ValueError(f"expected a 1-D array, got shape {x.shape}")
    if x.dtype == np.bool_:
        bits = np.packbits(x, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), x.size, [None, pa.py_buffer(bits)])
    return pa.Array.from_buffers(pa.from_numpy_dtype(x.dtype), x.size, [None, pa.py_buffer(x)])


def arrow_strings(texts: Sequence[str]) -> pa.Array:
    """Return Python strings as an Arrow string array.

    Examples
    --------
    >>> arrow_strings(["a", "", "Minsk, BY"]).to_pylist()
    ['a', '', 'Minsk, BY']
    """
    import numpy as np
    import pyarrow as pa

    data = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in data], out=offsets[1:])
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
    return pa.Array.from_buffers(pa.large_string(), len(data), buffers).cast(pa.string())


def from_arrow(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Return an Arrow array of numbers or booleans without nulls as a numpy array (numbers: no copy if one chunk).

    Examples
    --------
    >>> import numpy as np
    >>> from_arrow(to_arrow(np.array([3, 4], dtype=np.int32))).tolist()
    [3, 4]
    """
    import numpy as np
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if arr.null_count:
        raise ValueError("the array has nulls")
    n, start = len(arr), arr.offset
    if pa.types.is_boolean(arr.type):
        bits = np.frombuffer(arr.buffers()[1], dtype=np.uint8)
        return np.unpackbits(bits, bitorder="little", count=start + n)[start:].astype(bool)
    dtype = np.dtype(arr.type.to_pandas_dtype())
    return np.frombuffer(arr.buffers()[1], dtype=dtype, count=n, offset=start * dtype.itemsize)
