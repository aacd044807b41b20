"""The layers contract: imports flow one way, and a few modules own a job alone.

The layers of ``geo`` from the bottom (DEVELOPERS.md, README "Layout"):

    lazy -> errors -> geodesy -> physics -> reference -> inputs -> analysis -> claims -> outputs -> cli, testing, geo

A module may import from its own layer and any lower one, never a higher
one, and import circles are forbidden, within a layer too: no module
imports its way round to itself. Every import counts (also those inside
functions and under ``TYPE_CHECKING``). folium is imported only by ``geo.outputs.webmap``,
matplotlib only by ``geo.outputs.figure``; only the CLI prints or exits.
The contract is read from the source with :mod:`ast`, so nothing is
imported to check it; ``test_the_checker_sees_*`` show it can fail.
"""

from __future__ import annotations

import ast
import re
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "geo"

LAYERS = ("lazy", "errors", "geodesy", "physics", "reference", "inputs", "analysis", "claims", "outputs", "top")
"""Bottom to top; ``top`` is the CLI, :mod:`geo.testing`, the pytest plugin and the package itself."""

OWNERS = {"folium": {"geo.outputs.webmap"}, "matplotlib": {"geo.outputs.figure"}}
"""Third-party packages only these modules may import."""

PRINTERS = {"geo.cli.main", "geo.__main__"}
"""The only modules that may print or exit."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("cli", "testing", "pytest_plugin", "__main__"):
        return "top"
    return parts[1]


def is_module(name: str) -> bool:
    return (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()


def imported_modules(tree: ast.AST, module: str) -> list[tuple[str, int]]:
    """Return every module named by an import statement of the tree, resolved to absolute names, with lines."""
    found = []
    package = module if module.count(".") == 0 else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "geo":  # "from geo import errors" names a module, "from geo import reach" the package
                found += [(f"geo.{a.name}" if is_module(a.name) else "geo", node.lineno) for a in node.names]
            else:
                found.append((base, node.lineno))
    return found


def violations(source: str, module: str) -> list[str]:
    """Return the layer, ownership and printing faults of one module's source."""
    tree = ast.parse(source)
    own = LAYERS.index(layer_of(module))
    faults = []
    for name, line in imported_modules(tree, module):
        top = name.split(".")[0]
        if top == "geo" and "." in name:
            target = layer_of(name)
            if target not in LAYERS:
                faults.append(f"{module}:{line} imports {name}, which is in no layer")
            elif LAYERS.index(target) > own:
                faults.append(f"{module}:{line} imports {name} from the higher layer {target!r}")
        elif name == "geo" and own < LAYERS.index("top"):
            faults.append(f"{module}:{line} imports the package geo (the top layer)")
        if top in OWNERS and module not in OWNERS[top]:
            faults.append(f"{module}:{line} imports {top}, which only {sorted(OWNERS[top])} may import")
    if module not in PRINTERS:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
                if name in ("print", "exit", "quit") and owner in ("", "sys") or (owner, name) == ("os", "_exit"):
                    faults.append(f"{module}:{node.lineno} calls {owner + '.' if owner else ''}{name}")
    return faults


def library_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_sits_in_a_layer_one_level_deep() -> None:
    for path in library_modules():
        parts = path.relative_to(PACKAGE).parts
        assert len(parts) <= 2, f"{path}: subpackages are one level deep"
        assert layer_of(module_name(path)) in LAYERS, f"{path}: not in a known layer {LAYERS}"


@pytest.mark.parametrize("path", library_modules(), ids=lambda p: module_name(p))
def test_module_keeps_the_layers_contract(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8"), module_name(path)) == []


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    """Return, for each module of ``sources`` (name to text), the other modules of ``sources`` it imports."""
    graph = {}
    for module, text in sources.items():
        deps = set()
        for name, _ in imported_modules(ast.parse(text), module):
            while name not in sources and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in sources and name != module:
                deps.add(name)
        graph[module] = deps
    return graph


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Return the import circles: the strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_its_way_round_to_itself() -> None:
    """Import circles are forbidden, deferred imports inside functions included: imports flow one way.

    A module that needs something of a module that imports it wants that
    thing moved lower (``geo.reference.shipped`` holds the tables that
    places, countries, regions and the border views all read).
    """
    sources = {module_name(p): p.read_text(encoding="utf-8") for p in library_modules()}
    found = circles(import_graph(sources))
    assert found == [], (
        "import circles (a module that imports, maybe inside a function, one that imports it back): "
        f"{[sorted(c) for c in found]}")


def test_the_checker_sees_an_import_circle() -> None:
    sources = {
        "geo.analysis.api": "def f():\n    from geo.analysis.distributed import connect\n",
        "geo.analysis.distributed": "from geo.analysis.api import reach\n",
        "geo.analysis.streaming": "from geo.analysis import api, distributed\n",
    }
    assert circles(import_graph(sources)) == [{"geo.analysis.api", "geo.analysis.distributed"}]
    del sources["geo.analysis.api"]
    assert circles(import_graph(sources)) == []


def test_the_checker_sees_an_upward_import() -> None:
    src = "def f():\n    from geo.outputs.webmap import claim_map\n"
    assert violations(src, "geo.analysis.zones") == [
        "geo.analysis.zones:2 imports geo.outputs.webmap from the higher layer 'outputs'"
    ]
    assert violations("from geo.reference import places\n", "geo.geodesy.distance") == [
        "geo.geodesy.distance:1 imports geo.reference from the higher layer 'reference'"
    ]
    assert violations("from ..claims import model\n", "geo.reference.places") == [
        "geo.reference.places:1 imports geo.claims from the higher layer 'claims'"
    ]
    assert violations("from geo.geodesy import distance\n", "geo.claims.model") == []


def test_the_checker_sees_folium_matplotlib_and_printing_out_of_place() -> None:
    assert violations("import folium\n", "geo.outputs.figure") == [
        "geo.outputs.figure:1 imports folium, which only ['geo.outputs.webmap'] may import"
    ]
    assert violations("import matplotlib.pyplot as plt\n", "geo.outputs.webmap") != []
    assert violations("import sys\nprint('x')\nsys.exit(2)\n", "geo.analysis.bands") == [
        "geo.analysis.bands:2 calls print",
        "geo.analysis.bands:3 calls sys.exit",
    ]
    assert violations("import sys\nprint('x')\nsys.exit(2)\n", "geo.cli.main") == []


def test_the_readme_layout_lists_every_module() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Layout"):]
    section = section.split("\n## ")[0]
    listed = set(re.findall(r"\b((?:geo/)?[\w/]+\.py)\b", section))
    missing = [str(p.relative_to(ROOT)) for p in library_modules()
               if p.name != "__init__.py" and str(p.relative_to(ROOT)) not in listed
               and str(p.relative_to(PACKAGE)) not in listed and p.name not in listed]
    assert missing == [], f"README's layout section does not list {missing}"


def test_the_public_api_is_small_lazy_and_importable() -> None:
    import subprocess
    import sys

    import geo
    import geo.errors

    assert sorted(geo.__all__) == sorted(["__version__", *geo._WHERE, *geo.errors.__all__])
    for name in geo.__all__:
        assert getattr(geo, name) is not None, name
    # ``import geo`` and the CLI's --version load no numerical or GIS library.
    code = (
        "import sys, geo, geo.cli.main; "
        "print(sorted(m for m in ('numpy', 'pandas', 'shapely', 'pyproj', 'geopandas', 'folium', 'matplotlib') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    # Commands that build no frame import no pandas (geo.lazy): 0.2 s of start-up each.
    code = (
        "import sys; from geo.cli.main import main; "
        "main(['zone', '--from', 'Belarus', '--max-km', '700', '-o', sys.argv[1]]); "
        "import geo.analysis.api, geo.outputs.stream, geo.outputs.tables, geo.inputs.targets; "
        "print('pandas' in sys.modules)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", code, f"{tmp}/z.geojson"], capture_output=True, text=True,
                             check=True).stdout
    assert out.strip() == "False"


def test_the_case_catalogue_names_each_case_once() -> None:
    from cases import case_names

    names = case_names()
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
