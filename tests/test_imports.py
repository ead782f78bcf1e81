"""No import cycle inside ``hubprops/``, and the directions DESIGN.md draws.

A small AST graph over every ``import`` in the package (module level, ``TYPE_CHECKING`` blocks and
function bodies alike: a cycle hidden in a function is still a cycle of understanding). Importing
a package counts as importing its ``__init__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import hubprops

ROOT = Path(hubprops.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # ``from pkg import sub`` imports the submodule; any other name, the package.
                subs = [f"{node.module}.{a.name}" for a in node.names]
                targets = [t for t in subs if t in modules]
                if len(targets) < len(subs):
                    targets.append(node.module)
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_sees_known_edges() -> None:
    graph = _graph()
    assert "hubprops.rules" in graph["hubprops.normalize"]
    assert "hubprops.plan.planner" in graph["hubprops.plan.remote"]


def test_no_import_cycle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_leaf_modules_import_only_each_other() -> None:
    """plan/types.py, models, rules and errors import nothing from hubprops but each other."""
    graph = _graph()
    leaves = {"hubprops.plan.types", "hubprops.models", "hubprops.rules", "hubprops.errors"}
    for leaf in leaves:
        assert graph[leaf] <= leaves | {"hubprops", "hubprops.plan"}, leaf


def test_sandbox_shares_no_code_with_the_client_side() -> None:
    graph = _graph()
    client_side = ("hubprops.rules", "hubprops.normalize", "hubprops.hubspot", "hubprops.plan")
    for name, targets in graph.items():
        if name.startswith("hubprops.sandbox"):
            shared = [t for t in targets if t.startswith(client_side)]
            assert not shared, f"{name} imports {shared}"
