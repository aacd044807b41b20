"""Modules imported on first use.

pandas takes about 0.2 s to import, and commands that build no frame
(``georange zone``, ``--version``, a country lookup) need none of it.
Modules that use pandas only inside functions refer to this stand-in
instead of importing it, so the import happens at the first ``pd.<name>``
actually evaluated, and type checkers see the real module::

    if TYPE_CHECKING:
        import pandas as pd
    else:
        from geo.lazy import pandas as pd
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["LazyModule", "pandas"]


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
