"""`cockpit abc --format json` written column by column is the row path's
`json.dump` text, byte for byte: names with quotes, backslashes, controls and
accents, ties, blank codes, non-positive amounts, fixed and computed limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit import cli, cli_abc
from test_abc_fast import write_clients_fr
from cockpit.io.abc_json import json_strings
from cockpit.io.float_text import strings

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAMES = st.text(st.characters(codec="utf-8", exclude_characters="\r\n\x00;\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"),
                min_size=1, max_size=8).filter(lambda s: s.strip() == s and any(c.isalnum() for c in s))


def abc_run(capsys: pytest.CaptureFixture[str], path: Path, columnar: bool, *args: str,
            form: str = "json") -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `cockpit abc --format json` (or ``form``), columnar or by the row path."""
    (path.parent / "none.toml").touch()
    cli_abc.COLUMNAR = columnar
    try:
        code = cli.main(["--config", str(path.parent / "none.toml"), "abc", str(path), "--format", form, *args])
    finally:
        cli_abc.COLUMNAR = True
    out, err = capsys.readouterr()
    return code, out, err


def abc_out(capsys: pytest.CaptureFixture[str], path: Path, columnar: bool, *args: str) -> str:
    code, out, err = abc_run(capsys, path, columnar, *args)
    assert code == 0, err
    return out


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["", "C1", "C2", "007"]), NAMES,
                          st.sampled_from([0, -250, 100, 100, 12345, 50, 7, 999_999_999])), max_size=30),
       st.booleans())
def test_columnar_json_is_the_row_paths_json(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             rows: list[tuple[str, str, int]], computed: bool) -> None:
    path = write_clients_fr(tmp_path / "c.csv", rows)
    args = ("--computed",) if computed else ()
    fast = abc_run(capsys, path, True, *args)
    assert fast == abc_run(capsys, path, False, *args)  # the same JSON, or the same sentence (a name the
    if fast[0] == 0:  # sanitiser empties, as ESC 0, is a missing name)
        assert len(json.loads(fast[1])["clients"]) == len(rows)
    else:
        assert fast[0] == 2 and "Traceback" not in fast[2]


@given(st.lists(st.text(max_size=6), max_size=12))
def test_json_strings_are_json_dumps(texts: list[str]) -> None:
    texts = [t.encode("utf-8", "replace").decode("utf-8", "replace") for t in texts]
    texts = ["".join(c for c in t if not 0xD800 <= ord(c) <= 0xDFFF) for t in texts]
    assert json_strings(strings(texts)).to_pylist() == [json.dumps(t, ensure_ascii=False) for t in texts]


def test_a_file_of_headers_only_ranks_no_client_on_every_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It crashed in the columnar reader (a column of no cell had no type)."""
    path = tmp_path / "c.csv"
    path.write_text("Code;Nom;CA\n", encoding="utf-8")
    for columnar in (True, False):
        assert json.loads(abc_out(capsys, path, columnar))["clients"] == []
    assert cli.main(["--config", str(tmp_path / "none.toml"), "abc", str(path), "--format", "csv"]) == 0
    assert capsys.readouterr().out == "rank,id,name,amount,cum_share,client_share,class,flag\n"
    # An import of it is refused (nothing to import), and its first workspace is not left behind.
    assert cli.main(["--db", str(tmp_path / "w.sqlite"), "--config", str(tmp_path / "none.toml"), "import", "clients",
                     str(path)]) == 2
    assert not (tmp_path / "w.sqlite").exists()
