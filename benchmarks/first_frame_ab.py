"""The first frame of this tree against another's, alternated in one run so the
machine's drift falls on both (a regression, or none, told apart from noise).

    python -m benchmarks.first_frame_ab OTHER_TREE WORKSPACE [--pairs 8]

OTHER_TREE: a checkout of another commit (``git archive C | tar -x -C DIR``);
WORKSPACE: a workspace file both can open (copied for each run). Both trees
are byte-compiled first (runs write no bytecode). Each run
starts ``python -m screens`` over a pty with that tree first on PYTHONPATH,
and times it to the first frame showing LORFLEX (the sample's first client).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from .pty_run import first_frame

HERE = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("other", type=Path)
    p.add_argument("workspace", type=Path)
    p.add_argument("--pairs", type=int, default=8)
    args = p.parse_args(argv)
    times: dict[str, list[float]] = {"this": [], "other": []}
    for root in (HERE, args.other.resolve()):  # both byte-compiled, as an install is: else one tree compiles every run
        for package in ("cockpit", "screens"):
            compileall.compile_dir(str(root / package), quiet=1)
    for _ in range(args.pairs):
        for name, root in (("this", HERE), ("other", args.other.resolve())):
            work = Path(tempfile.mkdtemp())
            db = work / "ws.sqlite"
            shutil.copy(args.workspace, db)
            (work / "c.toml").touch()
            env = {"PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1", "XDG_DATA_HOME": str(work),
                   "XDG_STATE_HOME": str(work)}
            run = first_frame([sys.executable, "-m", "screens", "--db", str(db), "--config", str(work / "c.toml")],
                              "LORFLEX", env=env, cwd=str(work), moves=1)
            times[name].append(run.first_frame_s)
            shutil.rmtree(work, ignore_errors=True)
    for name, runs in times.items():
        print(f"{name}: median {statistics.median(runs) * 1000:.0f} ms, runs {[round(r * 1000) for r in runs]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
