"""Issue 17, point 9: every error a rep can cause is a sentence and an exit
code, never a traceback; a broken pipe ends quietly with exit 0; an explicit
--config must be there; an unknown theme is refused."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys

import pytest

from pty_run import ROOT


def _env(tmp_path) -> dict[str, str]:
    # The log and state go under tmp_path: the test sees whether a log was written.
    return {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "COCKPIT_CONFIG": str(tmp_path / "none.toml")}


def _cli(tmp_path, *args, command: list[str] | None = None) -> subprocess.CompletedProcess:
    argv = command or [sys.executable, "-m", "screens", *map(str, args)]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=60, env=_env(tmp_path))


def _no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr and "Error " not in done.stderr, done.stderr


def test_a_config_that_is_not_utf8_is_named_by_line(db_path, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_bytes(b'[ui]\nlang = "fr"\n# caf\xe9 cr\xe8me\n')
    done = _cli(tmp_path, "--db", db_path, "--config", cfg, "report")
    assert done.returncode == 2
    # In the interface's language (French by default), as every other sentence
    assert str(cfg) in done.stderr and "ligne 3" in done.stderr and "UTF-8" in done.stderr
    _no_traceback(done)


@pytest.mark.parametrize("where", ["dir", "missing"])
def test_an_explicit_config_that_is_not_a_file_is_an_error(db_path, tmp_path, where):
    cfg = tmp_path if where == "dir" else tmp_path / "nonexistent.toml"
    done = _cli(tmp_path, "--db", db_path, "--config", cfg, "report")
    assert done.returncode == 2
    # In French, as the rest of the sentence (« attendu un fichier TOML, pas un dossier »)
    assert str(cfg) in done.stderr and ("pas un dossier" in done.stderr if where == "dir" else "introuvable" in done.stderr)
    _no_traceback(done)


def test_an_unknown_theme_is_refused(db_path, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[ui]\ntheme = "licorne"\n', encoding="utf-8")
    done = _cli(tmp_path, "--db", db_path, "--config", cfg, "report")
    assert done.returncode == 2
    assert "ui.theme" in done.stderr and "textual-dark" in done.stderr
    _no_traceback(done)


def test_a_backup_into_a_missing_directory_is_a_sentence(db_path, tmp_path):
    target = tmp_path / "nowhere" / "copy.sqlite"
    done = _cli(tmp_path, "--db", db_path, "backup", target)
    assert done.returncode == 2
    assert str(target) in done.stderr and "Rien n'a été écrit" in done.stderr
    _no_traceback(done)


def test_a_report_into_a_closed_pipe_ends_quietly(db_path, tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "screens", "--db", str(db_path), "report"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(tmp_path))
    proc.stdout.close()  # `| head` that has already read its lines
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
    proc.stderr.close()
    assert not list((tmp_path / "state").rglob("errors.log"))  # nothing logged: nothing went wrong


COUNT = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM sales').fetchone()[0])"


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None, reason="needs a private tmpfs (root)")
def test_a_full_disk_during_an_import_is_a_sentence_and_changes_nothing(db_path, tmp_path):
    sales = tmp_path / "ventes.csv"
    lines = ["client_code,date,product,revenue"] + [f"C001,{1 + i % 28:02d}/01/2024,Produit {i},{i}.50" for i in range(60_000)]
    sales.write_text("\n".join(lines) + "\n", encoding="utf-8")
    small = tmp_path / "small"
    small.mkdir()
    argv = [sys.executable, "-m", "screens", "--db", str(small / "w.sqlite"), "import", "sales", str(sales), "--yes"]
    count = [sys.executable, "-c", COUNT, str(small / "w.sqlite")]
    script = (f"mount -t tmpfs -o size=400k tmpfs {shlex.quote(str(small))} && "
              f"cp {shlex.quote(str(db_path))} {shlex.quote(str(small / 'w.sqlite'))} && "
              f"{shlex.join(argv)}; code=$?; {shlex.join(count)}; exit $code")
    done = _cli(tmp_path, command=["unshare", "-m", "sh", "-c", script])
    assert done.returncode == 1, done.stderr
    assert "Disque plein" in done.stderr
    _no_traceback(done)
    before = sqlite3.connect(db_path).execute("SELECT count(*) FROM sales").fetchone()[0]
    assert done.stdout.strip().splitlines()[-1] == str(before)  # the import was undone whole


def test_the_config_knows_the_interfaces_themes():
    from textual.theme import BUILTIN_THEMES

    from cockpit.config import THEMES

    assert sorted(THEMES) == sorted(BUILTIN_THEMES)
