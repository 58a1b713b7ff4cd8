"""UTF-16 and Windows-1252 files on the columnar path are decoded as they
stream (issue 16, item 5): the same rows as the same file in UTF-8, and the
reference reader's sentences for a bad byte or mixed encodings, found past
the first blocks. Blocks are made small so a small file spans many; memory
on a big file is measured in benchmarks/io_bench.py, not here."""

from __future__ import annotations

import codecs
import sqlite3

import pytest

from cockpit.io import chunks, transcode
from cockpit.io.fast_import import fast_import
from cockpit.io.input_error import InputError
from cockpit.io.tabular import read_records
from cockpit.store.workspace import Workspace


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch):
    monkeypatch.setattr(transcode, "BLOCK", 1 << 12)  # 4 KB blocks of the file
    monkeypatch.setattr(chunks, "CHUNK", 1 << 14)  # 16 KB chunks of UTF-8


def _text(n: int) -> str:
    rows = [f"N{i:05d};Société Crème {i};{i % 900} {i % 1000:03d},5{i % 10}" for i in range(n)]
    return "Code;Nom;CA\r\n" + "\r\n".join(rows) + "\r\n"


def _imported(db_path, path) -> list[tuple]:
    ws = Workspace(db_path, who="claire")
    try:
        assert fast_import(ws, "clients", path, "2026", lambda r: True, lambda *a: None) is not None  # the fast path took it
    finally:
        ws.close()
    db = sqlite3.connect(db_path)
    rows = db.execute("SELECT c.code, c.name, a.revenue FROM clients c JOIN amounts a ON a.client_id = c.id "
                      "WHERE a.period = '2026' AND c.code LIKE 'N%' ORDER BY c.code").fetchall()
    db.close()
    return rows


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_a_file_in_another_encoding_imports_as_its_utf8_twin(db_path, tmp_path, encoding):
    import shutil

    text = _text(3000)  # about 120 KB: dozens of blocks
    utf8, other = tmp_path / "u.csv", tmp_path / "o.csv"
    utf8.write_bytes(text.encode("utf-8"))
    other.write_bytes(text.encode(encoding))  # Python's utf-16 writes the BOM
    twin = tmp_path / "twin.sqlite"
    shutil.copy(db_path, twin)
    source = chunks.open_source(str(other))
    assert type(source).__name__ == "_Streamed" and source.size == len(text.encode("utf-8"))
    assert _imported(db_path, other) == _imported(twin, utf8)
    assert len(_imported(db_path, other)) == 3000


def _refusal(path) -> str:
    with pytest.raises(InputError) as fast:
        chunks.open_source(str(path))
    with pytest.raises(InputError) as reference:
        read_records(path, "clients")
    assert fast.value.message("fr") == reference.value.message("fr")
    return fast.value.message("fr")


def test_utf8_lines_late_in_a_windows_1252_file_are_refused_on_their_line(tmp_path):
    head = _text(2000).encode("cp1252")  # é as one byte: not UTF-8 from the first row
    path = tmp_path / "mixed.csv"
    path.write_bytes(head + "N99999;Société Tard;1\r\n".encode("utf-8"))
    message = _refusal(path)
    assert "encodages mélangés" in message and "ligne 2002 " in message  # where a UTF-8 character first shows

    path.write_bytes(_text(2000).replace("é", "e").encode("utf-8") + "N99999;Société Tard;1\r\n".encode("cp1252")
                     + "N99998;Ça va;2\r\n".encode("utf-8"))
    message = _refusal(path)
    assert "encodages mélangés" in message and "ligne 2002 " in message  # the first line not in UTF-8


def test_a_byte_windows_1252_lacks_is_named_on_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(_text(2000).encode("cp1252") + b"N99999;Soci\x81t\xe9;1\r\n")
    message = _refusal(path)
    assert "encodage illisible" in message and "ligne 2002 " in message


def test_a_broken_utf16_file_is_refused_as_the_reference_refuses_it(tmp_path):
    path = tmp_path / "bad16.csv"
    path.write_bytes(_text(2000).encode("utf-16") + b"\x00\xd8A\x00")  # a lone high surrogate near the end
    assert "encodage illisible" in _refusal(path)


def test_a_bad_cell_far_into_a_windows_1252_file_is_named_as_the_reference_names_it(tmp_path):
    path = tmp_path / "cell.csv"
    path.write_bytes((_text(2500) + "N99999;Société Tard;douze\r\n").encode("cp1252"))
    ws_error = None
    try:
        from cockpit.io.stream_read import StreamReader

        list(StreamReader(str(path), "clients").batches())
    except InputError as exc:
        ws_error = exc.message("fr")
    with pytest.raises(InputError) as reference:
        read_records(path, "clients")
    assert ws_error == reference.value.message("fr") and "ligne 2502," in ws_error and "douze" in ws_error
    assert codecs.BOM_UTF8 not in path.read_bytes()
