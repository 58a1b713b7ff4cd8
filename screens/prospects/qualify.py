"""Qualification mode (``q``): one prospect at a time, full screen, every
criterion of both axes on its own line with its scale. A digit scores the
current criterion and moves to the next; after the last one, the next
prospect comes. Seven digits qualify a prospect with the default criteria.

The prospect's cell in the matrix below moves as the rep types: the Prospects
screen's book is updated first, the commit follows through its save queue.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.widgets import Static

from cockpit.i18n import current, money, number, pct, t
from cockpit.prospects.store import Prospect
from cockpit.prospects.qualification import Criterion
from cockpit.safe_text import safe_text
from cockpit.store.workspace import Edit

from screens.kit import CockpitScreen
from screens.kit.footer import CockpitFooter
from screens.kit.keys import key_hint, translate_bindings
from screens.prospects.matrix import MatrixGrid
from screens.prospects.source import cell_text, display

# Ten digit keys; the footer shows one, "0–5", with the top of the criteria's scales (scale_hint).
_DIGITS: list[BindingType] = [Binding(str(d), f"score({d})", "prospects.key.score" if d == 0 else "",
                                      show=d == 0, id=f"qualify.score{d}") for d in range(10)]


def scale_hint(node: DOMNode, top: int) -> None:
    """The score key's hint says the scale the criteria have (0–5 by default), not 0–9."""
    bindings = node._bindings.key_to_bindings
    bindings["0"] = [dataclasses.replace(b, key_display=f"0–{top}") for b in bindings.get("0", [])]


class QualifyScreen(CockpitScreen):
    CSS_PATH = "prospects.tcss"
    AUTO_FOCUS = None  # the keys belong to the screen: digits, Tab, arrows
    HELP_TITLE = "prospects.qualify.title"
    HELP_FIGURES = ["prospects.help.qualify", "prospects.help.matrix", "prospects.help.inactive"]
    HELP_KEYS = {"next": "qualify.next_criterion", "prev": "qualify.prev_criterion", "next_prospect": "qualify.next_prospect",
                 "prev_prospect": "qualify.prev_prospect", "clear": "qualify.clear"}
    BINDINGS: ClassVar[list[BindingType]] = _DIGITS + [
        Binding("tab,down", "criterion(1)", "prospects.key.next_criterion", key_display="Tab ↓", id="qualify.next_criterion"),
        Binding("shift+tab,up", "criterion(-1)", "prospects.key.prev_criterion", key_display="⇧Tab ↑", show=False, id="qualify.prev_criterion"),
        Binding("n", "prospect(1)", "prospects.key.next_prospect", id="qualify.next_prospect"),
        Binding("p", "prospect(-1)", "prospects.key.prev_prospect", show=False, id="qualify.prev_prospect"),
        Binding("backspace,delete", "clear", "prospects.key.clear_score", key_display="⌫", show=False, id="qualify.clear"),
        Binding("escape,Q", "close", "prospects.key.close", id="qualify.close"),
    ]

    def __init__(self, owner, rows: list[int], start: int) -> None:
        super().__init__(id="qualify")
        translate_bindings(self)
        self.owner = owner  # the ProspectsScreen: its book, its save queue
        scale_hint(self, max((c.top for c in self.criteria), default=9))
        self.ids = [owner.book.prospects[i].id for i in rows]
        self.pos = max(0, min(start, len(self.ids) - 1))
        self.crit = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="q-box"):
            yield Static("", id="q-head", markup=False)
            yield Static("", id="q-body", markup=False)
            yield Static("", id="q-scale", markup=False)
            yield MatrixGrid(id="q-matrix", focusable=False)
        yield CockpitFooter()

    def on_mount(self) -> None:
        self.query_one("#q-matrix", MatrixGrid).title_key = "prospects.matrix.title_live"
        self.paint()

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 110 or event.size.height < 30, "-narrow")
        self.query_one("#q-matrix", MatrixGrid).compact = self.has_class("-narrow")
        self.paint()

    # ---- what is shown ---------------------------------------------------
    @property
    def criteria(self) -> list[Criterion]:
        scheme = self.owner.book.scheme
        return scheme.on_axis("potential") + scheme.on_axis("accessibility")

    def prospect(self) -> Prospect | None:
        return self.owner.prospect_by_id(self.ids[self.pos]) if self.ids else None

    def paint(self) -> None:
        book, p = self.owner.book, self.prospect()
        if book is None or p is None:
            return
        i = book.index_of(p.id)
        lang = current()
        head = Text()
        head.append(t("prospects.qualify.head", pos=self.pos + 1, n=len(self.ids)) + " ", style="bold")
        head.append(safe_text(p.company), style="bold")
        head.append("\n" + " · ".join(x for x in (", ".join(safe_text(y) for y in (p.contact, p.function) if y), display(p, "stage"),
                                                  t("prospects.qualify.potential", amount=money(p.potential)) if p.potential is not None else "",
                                                  t("prospects.qualify.cell", cell=cell_text(book, i))) if x))
        self.query_one("#q-head", Static).update(head)
        body = Text(no_wrap=True, overflow="ellipsis")
        name_w = max(len(c.name(lang)) for c in self.criteria)
        for axis in ("potential", "accessibility"):
            score = (book.rated.potential if axis == "potential" else book.rated.accessibility)[i]
            level = (book.rated.pot_level if axis == "potential" else book.rated.acc_level)[i]
            if body:
                body.append("\n")
            body.append(t(f"prospects.axis.{axis}"), style="bold underline")
            body.append("  " + ("—" if score != score else f"{pct(float(score), 0)} → {t(f'prospects.level.short.{int(level)}')}"),
                        style="bold")
            for c in book.scheme.on_axis(axis):
                body.append("\n")
                self._criterion_line(body, p, c, name_w, lang, book.record_score(i, c.key), book.contradicted(i, c.key))
        inactive = [k for k in book.inactive if k in p.scores]
        if inactive:
            body.append("\n" + t("prospects.qualify.inactive", keys=", ".join(f"{k} {number(p.scores[k], 0)}" for k in inactive)),
                        style="dim italic")
        self.query_one("#q-body", Static).update(body)
        c = self.criteria[self.crit]
        levels = c.levels_en if lang == "en" else c.levels_fr
        scale = Text()
        scale.append(f"{safe_text(c.name(lang))} : " if lang == "fr" else f"{safe_text(c.name(lang))}: ", style="bold")
        scale.append(" · ".join(f"{d} {safe_text(label)}" for d, label in enumerate(levels)))
        self.query_one("#q-scale", Static).update(scale)
        self.query_one("#q-matrix", MatrixGrid).show(book.matrix(), book.cell(i))

    def _criterion_line(self, out: Text, p: Prospect, c: Criterion, name_w: int, lang: str,
                        from_record: float | None = None, contradicted: bool = False) -> None:
        here = self.criteria[self.crit].key == c.key
        out.append("▶ " if here else "  ", style="bold yellow")
        out.append(safe_text(c.name(lang)).ljust(name_w), style="bold" if here else "")
        out.append(f" ×{number(c.weight, 0 if c.weight == int(c.weight) else 1)} ".ljust(6), style="dim")
        typed = p.scores.get(c.key)
        score = typed if typed is not None else from_record  # the record scores what it answers (METHOD §5)
        for d in range(c.top + 1):
            chosen = score is not None and int(round(score)) == d
            out.append(f" {d} ", style="bold reverse" if chosen else "dim")
        out.append("  " + (c.label(lang, score) if score is not None else "—"), style="" if score is not None else "dim")
        if typed is None and from_record is not None:
            out.append(" " + t("prospects.qualify.from_record"), style="dim")
        elif contradicted and from_record is not None:
            out.append(" " + t("prospects.qualify.record_says", label=c.label(lang, from_record)), style="bold red")

    def repaint_from_book(self) -> None:
        self.paint()

    # ---- keys ------------------------------------------------------------
    def action_score(self, digit: int) -> None:
        p, c = self.prospect(), self.criteria[self.crit]
        if p is None:
            return
        if digit > c.top:
            self.app.bell()
            self.cockpit.say(t("prospects.qualify.out_of_scale", top=c.top), "warning")
            return
        self.owner.set_score(p, c.key, float(digit))
        if self.crit + 1 < len(self.criteria):
            self.crit += 1
        elif self.pos + 1 < len(self.ids):
            self.pos, self.crit = self.pos + 1, 0
        else:
            self.cockpit.say(t("prospects.qualify.last", close=key_hint(self, "qualify.close")))
        self.paint()

    def action_clear(self) -> None:
        p = self.prospect()
        if p is not None:
            self.owner.set_score(p, self.criteria[self.crit].key, None)
            self.paint()

    def action_criterion(self, delta: int) -> None:
        self.crit = (self.crit + delta) % len(self.criteria)
        self.paint()

    def action_prospect(self, delta: int) -> None:
        pos = self.pos + delta
        if 0 <= pos < len(self.ids):
            self.pos, self.crit = pos, 0
            self.paint()
        else:
            self.app.bell()

    def action_close(self) -> None:
        self.dismiss(self.ids[self.pos] if self.ids else None)

    def apply_journal(self, edit: Edit) -> bool:
        # The Prospects screen below applies it and reloads; this one repaints then.
        return False
