"""The package has no import cycles (issue 9's "Done when").

Reads every module's module-level imports statically (imports under
``if TYPE_CHECKING:`` and inside functions are deferred, so they do not count)
and looks for a cycle among the modules they name. The kinds table and the
lint catalogue name their functions by dotted path, imported on first use, so
they appear here as no edge at all: that is the point of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import dnsspec

ROOT = Path(dnsspec.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    found = {}
    for file in ROOT.rglob("*.py"):
        parts = list(file.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = file
    return found


def _imports(module: str, file: Path, known: set[str]) -> set[str]:
    package = module.split(".") if file.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                if "TYPE_CHECKING" not in ast.unparse(node.test):
                    visit(node.body)
                    visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - (node.level - 1)]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)

    visit(ast.parse(file.read_text(encoding="utf-8")).body)
    return {name for name in found if name in known and name != module}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in sorted(graph[node]):
            if dep not in index:
                connect(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return cycles


def test_no_module_level_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(name, file, set(modules)) for name, file in modules.items()}
    assert _cycles(graph) == []


def test_the_checker_finds_a_cycle() -> None:
    # the check itself can fail: the registry -> rules -> context -> registry cycle
    # that issue 9 removed would be reported
    graph = {
        "lint.registry": {"lint.rules"},
        "lint.rules": {"lint.context"},
        "lint.context": {"lint.registry"},
        "lint.report": {"lint.registry"},
    }
    assert _cycles(graph) == [["lint.context", "lint.registry", "lint.rules"]]
