"""Issue 17, point 4: limits on XLSX. A workbook is a zip of XML: a small file
can hold one huge cell or millions of rows. Each bomb is refused with a clear
error within 2 s and 200 MB, and the limits are configurable."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile

import pytest
from openpyxl import Workbook

from pty_run import ROOT

# The child reports its own peak memory (VmHWM is per process image: nothing
# of the test process that forked it).
PROBE = ("import sys\nfrom cockpit.cli import main\ncode = main(sys.argv[1:])\n"
         "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
         "print('HWM', hwm, file=sys.stderr)\nsys.exit(code)\n")


def _workbook(tmp_path, sheet_xml) -> "Path":
    """A real workbook (openpyxl) whose sheet part is replaced by ``sheet_xml``
    chunks, streamed into the zip (deflated) without holding them in memory."""
    plain = tmp_path / "plain.xlsx"
    wb = Workbook()
    wb.active.append(["code", "name", "revenue"])
    wb.save(plain)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                info = zipfile.ZipInfo(item.filename)
                info.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(info, "w", force_zip64=True) as out:
                    for chunk in sheet_xml():
                        out.write(chunk)
            else:
                dst.writestr(item, src.read(item.filename))
    return path


HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="C1" t="inlineStr"><is><t>revenue</t></is></c></row>')
TAIL = b"</sheetData></worksheet>"


def _huge_cell(mb: int):
    def xml():
        yield HEAD + b'<row r="2"><c r="A2" t="inlineStr"><is><t>C1</t></is></c><c r="B2" t="inlineStr"><is><t>'
        for _ in range(mb):
            yield b"A" * (1 << 20)
        yield b"</t></is></c><c r=\"C2\"><v>1</v></c></row>" + TAIL
    return xml


def _many_rows(n: int, empty: bool = False):
    row = b'<row r="%d"/>' if empty else b'<row r="%d"><c r="B%d" t="inlineStr"><is><t>N</t></is></c><c r="C%d"><v>1</v></c></row>'
    def xml():
        yield HEAD
        for start in range(2, n + 2, 100_000):
            yield b"".join(row % ((i,) * row.count(b"%d")) for i in range(start, min(start + 100_000, n + 2)))
        yield TAIL
    return xml


def _abc(path, *config_lines: str, tmp_path) -> tuple[subprocess.CompletedProcess, float, int]:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[xlsx]\n" + "\n".join(config_lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", PROBE, "--config", str(cfg), "abc", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    hwm_kb = int(done.stderr.split("HWM")[-1].split()[0])
    return done, elapsed, hwm_kb


@pytest.mark.slow
def test_a_500_mb_cell_in_a_small_file_is_refused_fast(tmp_path):
    path = _workbook(tmp_path, _huge_cell(500))
    assert path.stat().st_size < 2_000_000
    done, elapsed, hwm_kb = _abc(path, tmp_path=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "classeur refusé" in done.stderr and "max_uncompressed_mb" in done.stderr
    assert elapsed < 2 + 1.0  # the interpreter's own start included
    assert hwm_kb < 200 * 1024


def test_a_cell_longer_than_allowed_is_refused_without_reading_it(tmp_path):
    path = _workbook(tmp_path, _huge_cell(2))
    done, elapsed, hwm_kb = _abc(path, tmp_path=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "max_cell_chars" in done.stderr
    assert hwm_kb < 200 * 1024


@pytest.mark.slow
def test_ten_million_rows_in_a_few_megabytes_are_refused_fast(tmp_path):
    path = _workbook(tmp_path, _many_rows(10_000_000, empty=True))
    assert path.stat().st_size < 40_000_000
    done, elapsed, hwm_kb = _abc(path, tmp_path=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "classeur refusé" in done.stderr
    assert elapsed < 3 and hwm_kb < 200 * 1024


def test_the_limits_are_configurable(tmp_path):
    path = _workbook(tmp_path, _many_rows(5_000))
    done, _, _ = _abc(path, "max_rows = 1000", tmp_path=tmp_path)
    assert done.returncode == 2 and "max_rows" in done.stderr and "5 001" in done.stderr
    done, _, _ = _abc(path, "max_rows = 10000", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
