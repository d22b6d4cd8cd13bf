"""The package is layered by pipeline stage: a module imports only from its own stage or
from stages below it, so that no two stages depend on each other."""

from __future__ import annotations

import ast
from pathlib import Path

import saoreport

PACKAGE = Path(saoreport.__file__).resolve().parent
# Lowest first. A name is a subpackage or a top-level module.
LAYERS = [
    {"__init__"},
    {"messages"},
    {"errors"},
    {"thai", "resources", "output", "workers", "wordbreak"},
    {"fonts"},
    {"plan"},
    {"document", "pdf"},
    {"pipeline"},
    {"archive", "importers", "excel"},
    {"progress"},
    {"web"},  # the workspace in the browser: a front end like cli, which starts it (serve)
    {"cli"},
    {"__main__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def stage(module: str) -> str:
    """'saoreport.plan.models' -> 'plan'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> set[str]:
    """Every saoreport module *path* imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "saoreport":
                found |= {f"saoreport.{alias.name}" for alias in node.names}
            elif node.module.startswith("saoreport."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("saoreport.")}
        assert not (isinstance(node, ast.ImportFrom) and node.level), f"{path}: relative import"
    return found


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(relative.parts).removesuffix(".__init__")


def test_every_module_has_a_stage() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert stage(module_name(path)) in RANK, f"{path} belongs to no stage"


def test_imports_point_down_only() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = stage(module_name(path))
        for target in imports(path):
            if target == "saoreport.__version__":
                continue
            if RANK[stage(target)] > RANK[here] or (
                RANK[stage(target)] == RANK[here] and stage(target) != here
            ):
                wrong.append(f"{module_name(path)} imports {target}")
    assert wrong == []


def test_no_cycles_between_modules() -> None:
    graph = {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, set()):
            if state.get(nxt) == 1:
                raise AssertionError(" -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
