"""Fuzz the CSV and XLSX importers and the config loader (issue 17).

Random bytes and mutated real files (the sample's CSVs, a workbook made from
them, the repository's config.toml), written to real files and read the way
``cockpit import`` / ``--config`` read them. The only outcomes allowed are
success or the clear input error (InputError, ConfigError): anything else is a
bug, which hypothesis shrinks to a small file and prints.

Outside the regular suite (10 000 cases take minutes):

    nice -n 19 .venv/bin/python -m tests.fuzz.fuzz_inputs --cases 10000

The suite runs a few cases of each target (tests/test_fuzz_smoke.py) so the
target keeps working.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import zipfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from cockpit.io import xlsx_limits
from cockpit.config import ConfigError, load as load_config
from cockpit.io.duplicates import check_unique
from cockpit.io.input_error import InputError
from cockpit.io.tabular import FIELDS, read_records

ROOT = Path(__file__).resolve().parents[2]
KINDS = sorted(FIELDS)
_work = Path(tempfile.mkdtemp(prefix="cockpit-fuzz-"))
counts = {"cases": 0, "ok": 0, "input_error": 0}


@cache
def seeds() -> dict[str, bytes]:
    """Real files to mutate: the sample's CSVs (the first 60 lines: mutations
    matter more than length) and a workbook of the clients."""
    from openpyxl import Workbook

    out = {}
    for name in ("clients.csv", "sales.csv", "prospects.csv", "activity.csv", "visits.csv", "seed-portfolio.csv"):
        text = (ROOT / "sample_data" / name).read_bytes()
        out[name] = b"\n".join(text.split(b"\n")[:60])
    wb = Workbook()
    for line in out["clients.csv"].decode().splitlines():
        wb.active.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    out["clients.xlsx"] = buf.getvalue()
    out["config.toml"] = (ROOT / "config.toml").read_bytes()
    return out


# ---- mutations -------------------------------------------------------------
_BYTES = st.sampled_from([b"\x00", b"\xff", b"\xe9", b"\xc3\xa9", b"\x1b[2J", b'"', b";", b",", b"\n", b"\r", b"\t",
                          b"=1+1", b"31/02/2025", b"01/01/1800", b"1.234", b"-", b"1e308", b"\xef\xbb\xbf", b"PK"])


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """``data`` after a few byte flips, insertions, deletions, splices or a truncation."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        how = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]))
        if how == "flip" and out:
            out[at] = draw(st.integers(0, 255))
        elif how == "insert":
            out[at:at] = draw(st.one_of(_BYTES, st.binary(max_size=8)))
        elif how == "delete":
            del out[at:at + draw(st.integers(1, 16))]
        elif how == "truncate":
            del out[at:]
        elif how == "repeat" and out:
            out[at:at] = out[at:at + draw(st.integers(1, 64))] * draw(st.integers(1, 4))
    return bytes(out)


@st.composite
def mutated_workbook(draw) -> bytes:
    """The workbook with one XML part mutated inside a valid zip (so the XML
    reader, not only the zip reader, meets the damage), or the zip itself."""
    data = seeds()["clients.xlsx"]
    if draw(st.booleans()):
        return draw(mutated(data))
    src = zipfile.ZipFile(io.BytesIO(data))
    names = [i.filename for i in src.infolist()]
    victim = draw(st.sampled_from(names))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            part = src.read(name)
            dst.writestr(name, draw(mutated(part)) if name == victim else part)
    return buf.getvalue()


def table_input() -> st.SearchStrategy[bytes]:
    csvs = [n for n in seeds() if n.endswith(".csv")]
    return st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(csvs).flatmap(lambda n: mutated(seeds()[n])),
        mutated_workbook(),
        st.lists(st.lists(st.text(max_size=12), max_size=6), max_size=12).map(
            lambda rows: "\n".join(";".join(r) for r in rows).encode("utf-8", "surrogatepass")),
    )


# ---- targets ---------------------------------------------------------------
def import_file(data: bytes, kind: str, skip_bad: bool) -> None:
    path = _work / ("in.xlsx" if data.startswith(b"PK") else "in.csv")
    path.write_bytes(data)
    counts["cases"] += 1
    try:
        check_unique(read_records(path, kind, skip_bad=skip_bad), kind, skip_bad)
    except InputError as exc:
        assert exc.message("fr") and exc.message("en")  # a sentence in both languages
        counts["input_error"] += 1
    else:
        counts["ok"] += 1


def load_config_file(data: bytes) -> None:
    path = _work / "config.toml"
    path.write_bytes(data)
    counts["cases"] += 1
    try:
        load_config(path, explicit=True)
    except ConfigError as exc:
        assert str(exc)
        counts["input_error"] += 1
    else:
        counts["ok"] += 1


def _settings(cases: int):
    return settings(max_examples=cases, deadline=None, database=None, derandomize=False,
                    suppress_health_check=list(HealthCheck))


def run(cases: int) -> dict[str, int]:
    """``cases`` examples split over the targets: CSV/XLSX imports of every
    kind (with and without --skip-bad) 80 %, the config loader 20 %."""
    xlsx_limits.configure(xlsx_limits.DEFAULTS)

    @_settings(cases * 4 // 5)
    @given(table_input(), st.sampled_from(KINDS), st.booleans())
    def imports(data, kind, skip_bad):
        import_file(data, kind, skip_bad)

    @_settings(cases - cases * 4 // 5)
    @given(st.one_of(st.binary(max_size=500), mutated(seeds()["config.toml"])))
    def configs(data):
        load_config_file(data)

    imports()
    configs()
    return dict(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    started = time.monotonic()
    result = run(args.cases)
    print(f"{result['cases']} cases in {time.monotonic() - started:.0f} s: {result['ok']} read, "
          f"{result['input_error']} clear input errors, 0 other outcomes")


if __name__ == "__main__":
    main()
