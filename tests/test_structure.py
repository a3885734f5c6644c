"""The house's shape, read from the source (AST only — nothing is imported, streamlit included):

* no import cycle among the modules of ``metrics/`` and of ``ui/`` (imports inside functions count too:
  they run on the first call and tie the modules together all the same, and so does a package's table of
  lazy re-exports, ``metrics/lazy.py``);
* no engine module over ~600 lines;
* no module imports another module's private (``_x``) name, neither ``from m import _x`` nor ``m._x``.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_ENGINE_LINES = 600
# Known exceptions (none left: metrics/importers/values.py was split into cells / notes / dates / numbers).
LONG_MODULE_EXCEPTIONS: set[str] = set()
PROJECT = ("metrics", "ui", "pages", "bench", "app")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources(*folders: str) -> dict[str, Path]:
    out = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "__pycache__" not in path.parts:
                out[module_name(path)] = path
    return out


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def absolute(name: str, level: int, module: str | None, path: Path) -> str:
    """The absolute module name of ``from <level dots><module> import ...`` written in ``path``."""
    if not level:
        return module or ""
    base = module_name(path).split(".")
    if not is_package(path):
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def type_checking_nodes(tree: ast.AST) -> set[int]:
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    return skip


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Project modules that ``path`` imports anywhere in its body (``if TYPE_CHECKING`` blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = type_checking_nodes(tree)
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = absolute(module_name(path), node.level, node.module, path)
            subs = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known}
            out.update(subs)
            if base in known and len(subs) < len(node.names):   # a name defined in base itself
                out.add(base)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "lazy_exports"
              and len(node.args) > 1 and isinstance(node.args[1], ast.Dict)):
            # metrics/lazy.py: a package's {module: names} table — each module is imported on first use
            out.update(f"{module_name(path)}.{k.value}" for k in node.args[1].keys if isinstance(k, ast.Constant))
    out.discard(module_name(path))
    return out


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
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


def graph_of(folder: str) -> dict[str, set[str]]:
    known = sources(*PROJECT[:-1])
    known["app"] = ROOT / "app.py"
    mine = sources(folder)
    return {name: {m for m in imports(path, known) if m.split(".")[0] == folder} for name, path in mine.items()}


def test_the_cycle_finder_finds_a_cycle_and_none_where_there_is_none():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_import_walk_reads_relative_imports():
    known = sources("metrics")
    got = imports(ROOT / "metrics" / "planning" / "rules.py", known)
    assert {"metrics.planning.checks", "metrics.periods", "metrics.guards"} <= got
    assert "metrics.planning.rules" in imports(ROOT / "metrics" / "planning" / "__init__.py", known)


def test_no_import_cycle_in_the_engine():
    graph = graph_of("metrics")
    assert len(graph) > 30
    assert find_cycle(graph) is None


def test_no_import_cycle_in_ui():
    cycle = find_cycle(graph_of("ui"))
    assert cycle is None


def test_no_engine_module_over_600_lines():
    long = {}
    for path in sorted((ROOT / "metrics").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_ENGINE_LINES and rel not in LONG_MODULE_EXCEPTIONS:
            long[rel] = n
    assert long == {}


def private_uses(path: Path, known: dict[str, Path], text: str | None = None) -> list[str]:
    """``from m import _x`` and ``m._x`` where m is another project module (dunders are not private)."""
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    me = module_name(path)
    found, aliases = [], {}
    private = (lambda name: name.startswith("_") and not name.startswith("__"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = absolute(me, node.level, node.module, path)
            if base.split(".")[0] not in PROJECT or base == me:
                continue
            for a in node.names:
                if f"{base}.{a.name}" in known:
                    aliases[a.asname or a.name] = f"{base}.{a.name}"
                elif private(a.name):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} from {base} import {a.name}")
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name in known and a.asname:
                    aliases[a.asname] = a.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and private(node.attr) and aliases[node.value.id] != me):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {aliases[node.value.id]}.{node.attr}")
    return found


def test_the_private_name_check_sees_both_forms():
    known = sources("metrics")
    probe = ROOT / "metrics" / "probe.py"                      # never written: the text is passed in
    got = private_uses(probe, known, "from .stats import _x\nfrom . import kpi as K\nK._y\nK.__name__\n")
    assert [g.split(" ", 1)[1] for g in got] == ["from metrics.stats import _x", "metrics.kpi._y"]


def project_files() -> list[Path]:
    known = sources(*PROJECT[:-1])
    return [*known.values(), ROOT / "app.py", *sorted((ROOT / "tests").glob("*.py"))]


def test_no_module_imports_another_modules_private_name():
    known = sources(*PROJECT[:-1])
    found = [use for path in project_files() if not path.is_relative_to(ROOT / "ui")
             for use in private_uses(path, known)]
    assert found == []


def test_no_ui_module_imports_another_modules_private_name():
    known = sources(*PROJECT[:-1])
    found = [use for path in project_files() if path.is_relative_to(ROOT / "ui") for use in private_uses(path, known)]
    assert found == []
