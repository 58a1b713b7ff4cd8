"""Rules of the house that a grep would miss."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted((ROOT / "cockpit").rglob("*.py"))
SCREENS = sorted((ROOT / "screens").rglob("*.py"))
# The core by area of the method, beside what every area shares (config, words, the command line).
CORE_TOP = {"__init__", "cli", "cli_abc", "cli_words", "cli_import", "cli_pg", "cli_settings", "cli_team", "config", "config_prospects", "config_schema",
            "config_words",
            "i18n", "safe_text", "errorlog", "lifeline", "report", "serve", "serve_guard"}
CORE_AREAS = {"store", "portfolio", "prospects", "activity", "io", "action"}
SCREEN_AREAS = {"kit", "portfolio", "prospects", "activity", "today"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def run_time_imports(path: Path) -> set[str]:
    """Modules a file imports when it runs, lazily inside functions too (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                   for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def test_core_never_imports_textual_even_lazily():
    offenders = []
    for path in CORE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "textual" or n.startswith("textual.") or n.startswith("textual_") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_importing_every_core_module_loads_no_ui():
    modules = [module_name(p) for p in CORE]
    code = (f"import sys\nfor m in {modules!r}: __import__(m)\n"
            "print(sorted(k for k in sys.modules if k.split('.')[0] in ('textual', 'rich', 'screens')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_the_first_screen_loads_no_other_screens_code():
    """What the Portfolio, the first frame, imports: not the Prospects' and
    Activity's screens nor their reports (25 ms of imports before the first
    frame; they load after it), nor urllib.request (20 ms, for one path quoted)."""
    code = ("import sys; import screens.app, screens.portfolio.screen; "
            "print(sorted(k for k in sys.modules if k.startswith(('screens.prospects.', 'screens.activity.', "
            "'cockpit.prospects.report', 'cockpit.activity.text', 'urllib.request'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]", out


def test_core_never_imports_rich_or_screens_even_lazily():
    offenders = [f"{module_name(p)} imports {m}" for p in CORE for m in sorted(run_time_imports(p))
                 if m.split(".")[0] in ("rich", "screens")]
    assert offenders == []


def test_layout_by_area():
    top = {p.stem for p in (ROOT / "cockpit").glob("*.py")}
    assert top <= CORE_TOP, f"core modules outside an area: {sorted(top - CORE_TOP)}"
    assert {p.name for p in (ROOT / "cockpit").iterdir() if (p / "__init__.py").exists()} == CORE_AREAS
    assert {p.name for p in (ROOT / "screens").iterdir() if (p / "__init__.py").exists()} == SCREEN_AREAS
    for area in SCREEN_AREAS - {"kit"}:
        assert list((ROOT / "screens" / area).glob("*.tcss")), f"screens/{area} has no .tcss of its own"
    # The launcher is the interface's: the core's command line gets the app handed to it.
    assert not any("launch" in p.stem for p in CORE)


def test_no_import_cycle_in_the_core():
    """Lazy imports included: a cycle hidden inside a function is still a cycle."""
    names = {module_name(p): p for p in CORE}
    graph = {m: (run_time_imports(p) & names.keys()) - {m} for m, p in names.items()}
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert cycles == []


def test_files_stay_small():
    big = [str(p.relative_to(ROOT)) for p in CORE + SCREENS if len(p.read_text().splitlines()) > 400]
    assert big == []


def test_catalogues_have_the_same_keys():
    from cockpit.i18n import catalogue

    assert set(catalogue("fr")) == set(catalogue("en"))
