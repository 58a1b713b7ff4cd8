"""An XLSX export reads in the interface's language, headers and words: the
Today list exported to Excel said `reason`, `kind`, `last_contact`,
`reminder`, `gestion_economique`; the allocation `axis`, `neglected`; the
card `section`, `rhythm_status`, a question's key. A CSV export keeps the
codes (scripts read it; the clients' and prospects' files go back in)."""

from __future__ import annotations

import openpyxl
import pytest

from cockpit import cli, i18n
from cockpit.io.export_words import HEADERS

CODES = {"fond_de_commerce", "developpement", "gestion_economique", "potentiel_a_renseigner", "reminder", "rhythm",
         "call_first", "dormant", "expensive", "neglected", "client", "prospect", "class", "zone", "question",
         "period", "product", "contact", "ok", "due", "overdue"}
WORDS = {"fr": ("Fond de commerce", "Relance", "Suivi insuffisant", "Rubrique", "Sans potentiel renseigné"),
         "en": ("Core accounts", i18n.catalogue("en")["today.reason.reminder"], "Under-served", "Section",
                "No potential entered")}
KINDS = (("clients",), ("matrix",), ("today",), ("allocation",), ("card", "C001"))


def _export(db_path, tmp_path, capsys, lang: str, kind: tuple[str, ...], ext: str) -> str:
    i18n.set_lang(lang)
    path = tmp_path / f"{kind[0]}_{lang}.{ext}"
    code = cli.main(["--db", str(db_path), "--rep", "claire", "--lang", lang, "export", *kind, str(path)])
    assert code == 0, capsys.readouterr().err
    return str(path)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_xlsx_export_names_its_columns_and_codes_in_words(db_path, tmp_path, capsys, lang):
    seen: set[str] = set()
    for kind in KINDS:
        rows = list(openpyxl.load_workbook(_export(db_path, tmp_path, capsys, lang, kind, "xlsx")).active
                    .iter_rows(values_only=True))
        words = {v[1 if lang == "en" else 0] for v in HEADERS.values()}
        assert set(rows[0]) <= words, (kind, set(rows[0]) - words)  # every header a word, none a key
        cells = {v for row in rows[1:] for v in row if isinstance(v, str)}
        assert not cells & CODES, (kind, cells & CODES)
        seen |= cells | set(rows[0])
    assert set(WORDS[lang]) <= seen, set(WORDS[lang]) - seen
    questions = [r for r in openpyxl.load_workbook(tmp_path / f"card_{lang}.xlsx").active.iter_rows(values_only=True)
                 if r[0] == "Question"]
    assert questions and all(q[1].endswith("?") for q in questions)  # the question itself, not its key


def test_a_csv_export_keeps_the_codes(db_path, tmp_path, capsys):
    text = open(_export(db_path, tmp_path, capsys, "fr", ("today",), "csv"), encoding="utf-8-sig").read()
    assert text.startswith("reason;kind;code;name;owner;class;zone;") and ";reminder;" not in text
    assert text.splitlines()[1].split(";")[:2] == ["reminder", "client"] and "gestion_economique" in text
