"""The PostgreSQL section of ``benchmarks/RESULTS.md`` (issue 13: "results are in
benchmarks/RESULTS.md"). ``benchmarks/pg_bench.py`` writes its table to
PG_RESULTS.md and the same table between two markers in RESULTS.md;
``benchmarks/run.py`` rewrites RESULTS.md whole and carries that section over."""

from __future__ import annotations

from pathlib import Path

BEGIN, END = "<!-- pg_bench: begin -->", "<!-- pg_bench: end -->"
POINTER = ("## PostgreSQL beside SQLite (issue 13)\n\n"
           "The table of [PG_RESULTS.md](PG_RESULTS.md) (which also says how the reads go), copied here by "
           "`benchmarks/pg_bench.py`; `benchmarks/run.py` keeps this section when it rewrites this file.\n\n")


def section_of(results: Path) -> str:
    """The section as it stands in ``results`` ("" if none)."""
    try:
        text = results.read_text(encoding="utf-8")
    except OSError:
        return ""
    start, end = text.find(BEGIN), text.find(END)
    return text[start:end + len(END)] if 0 <= start < end else ""


def put(results: Path, body: str) -> None:
    """Replace the section in ``results`` by ``body`` (appended when there is none yet)."""
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    new = f"{BEGIN}\n{POINTER}{body.strip()}\n{END}"
    old = section_of(results)
    text = text.replace(old, new) if old else text.rstrip("\n") + "\n\n" + new + "\n"
    results.write_text(text, encoding="utf-8")
