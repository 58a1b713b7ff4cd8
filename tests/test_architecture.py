"""Rules of the house that a grep would miss."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted((ROOT / "cockpit").rglob("*.py"))


def test_core_never_imports_textual_even_lazily():
    offenders = []
    for path in CORE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "textual" or n.startswith("textual.") or n.startswith("textual_") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_importing_every_core_module_loads_no_textual():
    modules = [f"cockpit.{p.stem}" for p in CORE if p.stem != "__init__" and p.parent.name == "cockpit"]
    code = f"import sys\nfor m in {modules!r}: __import__(m)\nprint(sorted(k for k in sys.modules if k.startswith('textual')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_files_stay_small():
    big = [str(p.relative_to(ROOT)) for p in CORE + sorted((ROOT / "screens").glob("*.py")) if len(p.read_text().splitlines()) > 450]
    assert big == []


def test_catalogues_have_the_same_keys():
    from cockpit.i18n import catalogue

    assert set(catalogue("fr")) == set(catalogue("en"))
