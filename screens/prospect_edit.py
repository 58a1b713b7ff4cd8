"""Editing on the Prospects screen: the in-place editor, adding, the next
action (``r`` then a date), stage changes (and a win), deletion, and the
queue that commits them one at a time.

The model moves first, the commit follows: saves go through one queue so
two quick edits of one prospect never race each other's version check.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Callable

from rich.text import Text
from textual.widgets import Input

from cockpit.dates_fr import parse_next_date
from cockpit.i18n import money, t
from cockpit.numbers_fr import ParseError, clean_text, parse_bool, parse_date
from cockpit.prospect_store import (FIELD_KINDS, InUse, Prospect, change_stage, create_prospect, delete_prospect, win)
from cockpit.prospects import FUNNEL, STAGES, Step, outcome, parse_stage
from cockpit.tabular import parse_amount_cents, sniff_decimal
from cockpit.workspace import Conflict

from .prospect_source import FIELDS, EDITABLE, display, field_label


class ProspectEditing:
    """Mixin for ProspectsScreen (which provides book, table, source, today(), refresh_all(), reload())."""

    def _init_editing(self) -> None:
        self._queue: deque = deque()
        self._busy = False
        self._editing: tuple[str, int | None, str] | None = None  # (mode, prospect id, field)

    # ---- the save queue --------------------------------------------------
    def save(self, work: Callable[[], Callable[[Any], Any]], done: Callable[[Any], None]) -> None:
        """``work()`` is called when the save's turn comes (so it reads the
        versions the previous save left) and returns the worker function."""
        self._queue.append((work, done))
        self._pump()

    def _pump(self) -> None:
        if self._busy or not self._queue:
            return
        make, done = self._queue.popleft()
        self._busy = True
        job = make()
        self.update_status(t("save.pending"))

        def run(ws):
            try:
                return job(ws)
            except Conflict:
                raise
            except InUse as exc:
                return exc
            except Exception:
                self.app.call_from_thread(self._release)
                raise

        def ok(result: Any) -> None:
            # done() first: it records the new version the next save expects.
            if isinstance(result, InUse):
                self.app.say(t("prospects.delete.in_use", n=result.visits), "error")
            else:
                done(result)
                self.update_status(t("save.done"))
            self._release()

        def conflict(exc: Conflict) -> None:
            self._release()
            self._queue.clear()
            name = self._name_of(exc.key[0]) if exc.entity in ("prospects", "qualification") else " ".join(map(str, exc.key))
            self.app.say(t("edit.conflict", name=name, theirs=str(exc.theirs)), "error")
            self.reload()

        self.app.run_db(run, ok, conflict)

    def _release(self) -> None:
        self._busy = False
        self._pump()

    def _name_of(self, pid: int) -> str:
        i = self.book.index_of(pid) if self.book else None
        return self.book.prospects[i].company if i is not None else str(pid)

    # ---- the editor --------------------------------------------------------
    @property
    def editor(self) -> Input:
        return self.query_one("#p-editor", Input)

    def open_editor(self, mode: str, pid: int | None, field: str, value: str, prompt: str) -> None:
        editor, table = self.editor, self.table
        column = FIELDS.index(next(f for f in FIELDS if f.name == field)) if mode == "field" else 0
        _, y = table.cursor_screen_offset()
        if mode == "field" and table.is_shown(column):
            x = table.column_x(column)
            editor.styles.offset = (table.region.x + x - 1, table.region.y + y - 1)
            editor.styles.width = max(FIELDS[column].width, 24) + 4
        else:  # a column the terminal is too narrow for, or a new row: over the table's last lines
            editor.styles.offset = (table.region.x, table.region.bottom - 3)
            editor.styles.width = max(20, table.region.width)
        editor.value = value
        editor.border_title = prompt  # catalogue text only: names go in the tooltip
        editor.placeholder = t(f"prospects.hint.{FIELD_KINDS.get(field, 'text')}") if mode == "field" else t(f"prospects.hint.{mode}")
        self._editing = (mode, pid, field)
        editor.add_class("-open")
        editor.focus()

    def close_editor(self) -> None:
        self.editor.select_on_focus = True
        self.editor.remove_class("-open")
        self._editing = None
        self.table.focus()

    def has_open_edit(self) -> bool:
        return self._editing is not None

    def action_edit(self) -> None:
        p = self.current()
        if p is None:
            return
        field = FIELDS[self.source.column].name
        value = display(p, field)
        if field == "potential" and p.potential is not None:
            value = f"{p.potential / 100:.2f}".replace(".", ",").removesuffix(",00")
        self.open_editor("field", p.id, field, value, field_label(field))
        self.editor.tooltip = Text(t("prospects.edit.tooltip", company=p.company, field=field_label(field)))

    def action_column(self, delta: int) -> None:
        here = EDITABLE.index(self.source.column) if self.source.column in EDITABLE else 0
        self.source.column = EDITABLE[(here + delta) % len(EDITABLE)]
        self.table.refresh()
        self.update_status()

    def action_add(self) -> None:
        if self.book is not None:
            self.open_editor("add", None, "company", "", t("prospects.add.prompt"))

    def action_remind(self) -> None:
        p = self.current()
        if p is not None:
            self.open_editor("remind", p.id, "next_action_date", "", t("prospects.remind.prompt"))
            self.editor.tooltip = Text(t("prospects.remind.tooltip", company=p.company, action=p.next_action or "—"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "p-editor" or self._editing is None:
            return
        event.stop()
        mode, pid, field = self._editing
        text = clean_text(event.value)
        try:
            if mode == "add":
                if text:
                    self._add(text)
            elif mode == "remind":
                self._remind(pid, text)
            else:
                self._edit_field(pid, field, text)
        except ParseError as exc:
            self.app.say(t("prospects.edit.bad", value=text, expected=exc.expected if self._fr() else exc.expected_en), "error")
            return  # the editor stays open: nothing typed is lost
        if self._editing == (mode, pid, field):
            self.close_editor()

    def _fr(self) -> bool:
        from cockpit.i18n import current

        return current() == "fr"

    def draft(self) -> dict | None:
        if self._editing is None:
            return None
        mode, pid, field = self._editing
        return {"screen": "prospects", "mode": mode, "prospect_id": pid, "field": field, "text": self.editor.value}

    def _offer_draft(self) -> None:
        """Reopen the entry a dropped session was typing here, with its text."""
        draft = self.app.pending_draft("prospects")
        if not draft:
            return
        p = self.prospect_by_id(draft.get("prospect_id"))
        mode, field = draft.get("mode"), draft.get("field")
        if mode != "add" and (p is None or field not in FIELD_KINDS):
            return
        if p is not None:
            self.move_to_id(p.id)
        if mode == "field":
            self.source.column = next((i for i in EDITABLE if FIELDS[i].name == field), self.source.column)
        # The rep goes on typing the restored text: focusing must not select it
        # all (the next key would replace it); close_editor puts that back.
        self.editor.select_on_focus = False
        {"add": self.action_add, "remind": self.action_remind}.get(mode, self.action_edit)()
        self.editor.value = str(draft.get("text", ""))
        self.editor.cursor_position = len(self.editor.value)
        self.app.say(t("draft.restored", name=p.company if p is not None else "—"), "warning")

    # ---- what the editor commits ------------------------------------------
    def _parse(self, field: str, text: str) -> Any:
        kind = FIELD_KINDS[field]
        if kind == "text":
            return text
        if not text:
            if field == "has_project":
                return 0
            return None
        if kind == "bool":
            return int(parse_bool(text))
        if kind == "date":
            return parse_date(text).isoformat()
        if kind == "next_date":
            return parse_next_date(text, self.today()).isoformat()
        if kind == "amount":
            try:
                return parse_amount_cents(text, decimal=sniff_decimal([text]))
            except ValueError:
                raise ParseError(t("prospects.amount.expected"), t("prospects.amount.expected")) from None
        raise ValueError(kind)

    def _edit_field(self, pid: int, field: str, text: str) -> None:
        p = self.prospect_by_id(pid)
        if p is None:
            return
        if field == "stage":
            stage = parse_stage(text, prefix=True)
            if stage is None:
                raise ParseError(t("prospects.stage.expected"), t("prospects.stage.expected"))
            self.set_stage(p, stage)
            return
        if field == "company" and not text:
            raise ParseError(t("prospects.company.expected"), t("prospects.company.expected"))
        self.set_field(p, field, self._parse(field, text))

    def set_field(self, p: Prospect, field: str, value: Any) -> None:
        stored = bool(value) if field == "has_project" else value
        if stored == p.get(field):
            return
        setattr(p, field, stored)
        self.refresh_all()
        pid = p.id
        self.save(lambda: (lambda ws, v=p.version: ws.edit("prospects", (pid,), field, value, expected_version=v)),
                  lambda edit: self._saved(p, edit.version, t("prospects.saved", company=p.company, field=field_label(field),
                                                                     value=display(p, field) or "—")))

    def _saved(self, p: Prospect, version: int, message: str) -> None:
        p.version = version
        self.app.say(message)

    def _remind(self, pid: int, text: str) -> None:
        p = self.prospect_by_id(pid)
        if p is None:
            return
        words = text.split()
        for k in range(len(words), 0, -1):  # the longest beginning that reads as a date
            try:
                when = parse_next_date(" ".join(words[:k]), self.today())
            except ParseError:
                continue
            action = " ".join(words[k:])
            if action:
                self.set_field(p, "next_action", action)
            self.set_field(p, "next_action_date", when.isoformat())
            return
        from cockpit.dates_fr import EXPECTED

        raise ParseError(*EXPECTED)

    def _add(self, company: str) -> None:
        today = self.today()
        self.save(lambda: (lambda ws: create_prospect(ws, {"company": company}, today)),
                  lambda edit: (self.reload(focus_id=edit.key[0]), self.app.say(t("prospects.added", company=company))))

    def set_score(self, p: Prospect, key: str, value: float | None) -> None:
        """A criterion's score (None clears it): the matrix moves now, the commit follows."""
        if p.scores.get(key) == value:
            return
        if value is None:
            p.scores.pop(key, None)
        else:
            p.scores[key] = value
        self.refresh_all()
        pid = p.id
        self.save(lambda: (lambda ws, v=p.score_versions.get(key, 0):
                           ws.edit("qualification", (pid, key), "score", value, expected_version=v)),
                  lambda edit: p.score_versions.__setitem__(key, edit.version))

    # ---- stages ------------------------------------------------------------
    def action_stage(self, delta: int) -> None:
        p = self.current()
        if p is None:
            return
        if p.stage == "perdu":
            target = FUNNEL[0] if delta > 0 else None
        else:
            rank = FUNNEL.index(p.stage) + delta
            target = FUNNEL[rank] if 0 <= rank < len(FUNNEL) else None
        if target is not None:
            self.set_stage(p, target)

    def set_stage(self, p: Prospect, stage: str) -> None:
        if stage == p.stage or stage not in STAGES:
            return
        if outcome(stage) == "won" and p.client_id is None:
            from .prospect_dialogs import WinDialog

            self.app.push_screen(WinDialog(p), lambda values: values and self._win(p, stage, values))
            return
        today = self.today()
        p.stage = stage
        p.history = p.history + [Step(stage, today)]
        self.refresh_all()
        pid, name = p.id, p.company
        self.save(lambda: (lambda ws, v=p.version: change_stage(ws, pid, stage, today, v)),
                  lambda edit: self._saved(p, edit.version, t("prospects.stage_saved", company=name, stage=t(f"prospects.stage.{stage}"))))

    def _win(self, p: Prospect, stage: str, values: dict[str, Any]) -> None:
        today, pid = self.today(), p.id

        def done(won) -> None:
            self.reload(focus_id=pid)
            self.app.data_changed("clients")
            self.app.say(t("prospects.won", company=p.company, code=won.code, period=won.period,
                           potential=money(values["potential"]) if values.get("potential") is not None else "—"))

        self.save(lambda: (lambda ws, v=p.version: win(ws, pid, stage, values, today, v)), done)

    # ---- deletion ------------------------------------------------------------
    def action_delete(self) -> None:
        p = self.current()
        if p is None:
            return
        from .prospect_dialogs import ConfirmDialog

        def answer(yes: bool | None) -> None:
            if yes:
                pid, name = p.id, p.company
                self.save(lambda: (lambda ws: delete_prospect(ws, pid)),
                          lambda edit: (self.reload(), self.app.say(t("prospects.deleted", company=name))))

        self.app.push_screen(ConfirmDialog(t("prospects.delete.confirm", company=p.company)), answer)
