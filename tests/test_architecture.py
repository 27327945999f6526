"""The pure core never imports Qt, so it runs headless in the CLI, in workers and in CI."""

import ast
import subprocess
import sys
from pathlib import Path

PURE = [
    "planner.io",
    "planner.model",
    "planner.scenario",
    "planner.commands",
    "planner.i18n",
    "planner.resources",
    "planner.errors",
    "planner.cli",
]


def test_pure_core_does_not_import_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {PURE!r}:\n"
        "    mod = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(getattr(mod, '__path__', []), name + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_help_works_for_every_verb() -> None:
    from planner.cli import VERBS

    for args in [["--help"], *[[verb, "--help"] for verb in VERBS]]:
        out = subprocess.run(
            [sys.executable, "-m", "planner", *args], capture_output=True, text=True
        )
        assert out.returncode == 0, (args, out.stderr)
        assert "usage:" in out.stdout


def test_closed_pipe_is_not_an_error(tmp_path) -> None:
    """`planner inspect x.csv --json | head -0`: the reader left before we wrote; exit quietly."""
    import os

    crm = tmp_path / "deals.csv"
    crm.write_text(
        "Opportunity Name,Stage,Amount,Created Date,Close Date,Lead Source\n"
        "A,Closed Won,1000,2025-01-05,2025-03-01,Referral\n"
        "B,Closed Lost,2000,2025-02-05,2025-04-01,Webinar\n",
        encoding="utf-8",
    )
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now fails with EPIPE
    try:
        out = subprocess.run(
            [sys.executable, "-u", "-m", "planner", "inspect", str(crm), "--json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert out.stderr == ""
    assert out.returncode == 0


# ------------------------------------------------------------------ import cycles
SRC = Path(__file__).resolve().parents[1] / "src"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _import_graph() -> dict[str, set[str]]:
    """planner module -> the planner modules it imports, at the top or inside functions."""
    files = {_module_name(p): p for p in (SRC / "planner").rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from . import x / from .y import z
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                # `from planner.io import crm` imports the submodule planner.io.crm
                subs = [f"{base}.{alias.name}" for alias in node.names]
                targets = [s for s in subs if s in files] or [base]
            for target in targets:
                while target and target not in files:  # `import planner.io.crm.x` -> nearest module
                    target = target.rpartition(".")[0]
                if target.startswith("planner") and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [frozenset({"a", "b", "c"})]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    graph = _import_graph()
    assert "planner.io.crm_layout" in graph["planner.io.detect"]  # the graph sees real imports
    assert "planner.io.open" in graph["planner.commands.inspect"]  # ... inside functions too
    assert [sorted(c) for c in _cycles(graph)] == []
