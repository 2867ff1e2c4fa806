"""The package's shape (docs/architecture.md): floors that import downward only, no cycle, small modules.

Imports are read with ``ast`` from the source, those inside functions included, so a
function-level import cannot hide a cycle or an upward dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from conftest import ROOT, SEED_DIR

PACKAGE = ROOT / "src" / "indoquote"

FLOORS: list[set[str]] = [
    {"errors", "paths", "atomic"},  # shared: no indoquote import at all
    {"safe_text"},  # shared: values made inert in CSV, Markdown, HTML (its CSV files written through atomic)
    {"tables"},  # shared: the one table renderer (Markdown cells escaped through safe_text)
    {"text"},  # labels, lexicon, normalisation, marks, articles, documents
    {"config", "model"},  # config reads text.labels' schema names; model: windows, checkpoints, decoding
    {"quotes"},  # tags -> quote records: people, rules, the linker, indirect speech
    {"data", "pipeline"},  # training data and gold; QuoteTagger, inputs, HTML
    {"scoring"},  # metrics, quote-level scores, reports, evaluate
    {"training", "archive", "publish", "annotate"},  # four jobs on top of everything below, independent of each other
    {"serve"},  # the HTTP service: reads publish's card, so a floor above the jobs
    {"cli"},  # the commands, one module each
    {"__main__", "__init__"},  # ``python -m indoquote`` and the package's lazy ``QuoteTagger``
]
"""Bottom to top. A unit (a subpackage, or a module at the root) imports only from floors below its own,
and from itself; two units on one floor do not import each other."""

MAX_LINES = 450
MAX_ROOT_MODULES = 6


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every indoquote module ``name`` imports, wherever the import statement is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "indoquote"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "indoquote":
                continue
            subs = {f"{target}.{a.name}" for a in node.names} & known  # `from . import data`: the module
            found |= subs or {target}
    return {m for m in found if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _unit(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def _floor(unit: str) -> int:
    return next(i for i, floor in enumerate(FLOORS) if unit in floor)


def test_every_unit_has_a_floor():
    units = {_unit(m) for m in _modules()}
    missing = sorted(u for u in units if not any(u in f for f in FLOORS))
    assert not missing, f"give these a floor in FLOORS (and docs/architecture.md): {missing}"


def test_imports_go_downward_only():
    upward = []
    for module, targets in _graph().items():
        for target in targets:
            a, b = _unit(module), _unit(target)
            if a != b and _floor(b) >= _floor(a):
                upward.append(f"{module} -> {target} (floor {_floor(a)} -> {_floor(b)})")
    assert not upward, "imports that do not go down a floor:\n" + "\n".join(sorted(upward))


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules on it, or None (depth-first search, colours)."""
    state: dict[str, int] = defaultdict(int)  # 0 new, 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node], _ = 1, stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state[nxt] == 1:
                return stack[stack.index(nxt):] + [nxt]
            if state[nxt] == 0 and (found := visit(nxt)):
                return found
        state[node], _ = 2, stack.pop()
        return None

    for node in sorted(graph):
        if state[node] == 0 and (found := visit(node)):
            return found
    return None


def test_no_import_cycle():
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_imports_inside_functions_are_seen():
    graph = _graph()
    assert "indoquote.training.fit_linker" in graph["indoquote.cli.link"]  # imported inside job()
    assert "indoquote.archive.report" in graph["indoquote.cli.report"]


def test_modules_are_small_and_the_root_is_short():
    long = {m: n for m, p in _modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them by job): {long}"
    root = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py"})
    assert len(root) <= MAX_ROOT_MODULES, f"the package root holds {root}: put new modules in a subpackage"


def test_test_files_have_unique_names():
    """Tests mirror the packages in folders without ``__init__.py``: pytest imports them by file name."""
    names = defaultdict(list)
    for p in (ROOT / "tests").rglob("test_*.py"):
        names[p.name].append(str(p.relative_to(ROOT)))
    assert not {n: ps for n, ps in names.items() if len(ps) > 1}


PROBE = """
import sys
from indoquote.cli import main
try:
    main(sys.argv[1:])
except SystemExit as e:
    assert not e.code, e.code
print("\\n".join(sorted(m for m in sys.modules if m.startswith("indoquote"))))
"""


def test_predict_on_a_text_file_imports_no_archive_training_or_publishing(tiny_checkpoint, tmp_path):
    out = tmp_path / "quotes.jsonl"
    argv = ["predict", str(SEED_DIR / "antara-nato-russia-2021.txt"), "--model", str(tiny_checkpoint),
            "--precision", "fp32", "-o", str(out)]
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.split()
    assert out.read_text(encoding="utf-8").startswith('{"id"')
    assert "indoquote.pipeline.tagger" in loaded
    jobs = {"archive", "training", "publish", "serve"}
    unwanted = [m for m in loaded if _unit(m) in jobs or m == "indoquote.cli.serve"]
    assert not unwanted, f"indoquote predict on a text file imported {unwanted}"
