"""Editing on the Prospects screen: a field in place, adding, the next
action (``r`` then a date), stage changes (and a win), scores, deletion —
through the kit's one editor and the App's one committer.

The model moves first, the commit follows; a conflict on any of them opens
the one conflict dialog, a failed commit puts the old value back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, cast

from cockpit.io.dates_fr import parse_next_date
from cockpit.i18n import date, money, number, plural, t
from cockpit.io.numbers_fr import ParseError, clean_text, parse_bool, parse_date
from cockpit.prospects.contact import parse_email, parse_phone
from cockpit.prospects.store import FIELD_KINDS, InUse, Prospect, change_stage, create_prospect, delete_prospect, win
from cockpit.config_prospects import FUNNEL
from cockpit.prospects.funnel import STAGES, Step, outcome, parse_stage
from cockpit.store.workspace import Edit, Workspace

from screens.kit import Commit, EditField, InlineEditor, Job, amount_text, parse_amount
from screens.kit.contact_entry import is_entry, submit_entry
from screens.prospects.source import EDITABLE, FIELDS, display, field_label
from screens.kit.keys import key_hint

import datetime as dt

if TYPE_CHECKING:  # a mixin of a CockpitScreen: typed as one
    from cockpit.prospects.book import Book
    from screens.kit.base import CockpitScreen as _ScreenBase
    from screens.prospects.source import ProspectSource
    from screens.kit.virtual_table import VirtualTable
else:
    _ScreenBase = object


class ProspectEditing(_ScreenBase):
    """Mixin for ProspectsScreen (which provides book, table, source, today(), refresh_all(), reload())."""
    if TYPE_CHECKING:  # the screen's own, which this mixin is part of
        book: Book | None
        @property
        def table(self) -> VirtualTable: ...
        @property
        def source(self) -> ProspectSource: ...
        def today(self) -> dt.date: ...
        def current(self) -> Prospect | None: ...
        def prospect_by_id(self, pid: int | None) -> Prospect | None: ...
        def move_to_id(self, pid: int | None) -> None: ...
        def refresh_all(self, focus_id: int | None = None) -> None: ...
        def reload(self, focus_id: int | None = None) -> None: ...
        def update_status(self, note: str = "") -> None: ...
        def action_clear_filters(self) -> None: ...
        @property
        def anchor(self) -> Any: ...


    # ---- the editor --------------------------------------------------------
    @property
    def editor(self) -> InlineEditor:
        return self.query_one("#p-editor", InlineEditor)

    def _open(self, mode: str, p: Prospect | None, field: str, text: str, label: str,
              parse: Callable[[str], Any], draft: dict[str, Any] | None = None, **kw: Any) -> None:
        column = next(i for i, f in enumerate(FIELDS) if f.name == field) if mode == "field" else None
        version = p.version if p is not None else 0
        seen = p.get(field) if p is not None else None
        if draft is not None:
            text, version = str(draft.get("text", "")), int(draft.get("version", version))
            seen = draft.get("seen", seen)
        row = p.company if p is not None else t("prospects.add.row")
        target = (mode, p.id if p is not None else None, field, (version, seen))
        self.editor.open_over(self.anchor, column, EditField(row, label, text, parse, target, **kw), keep_text=draft is not None)

    def has_open_edit(self) -> bool:
        return self.editor.is_open

    def action_edit(self, draft: dict[str, Any] | None = None) -> None:
        p = self.current()
        if p is None:
            return
        field = FIELDS[self.source.column].name
        if field in ("potential", "quote_amount"):
            self._open("field", p, field, amount_text(p.get(field)), field_label(field), parse_amount, draft,
                       amount=p.get(field), optional_amount=True)
        else:
            self._open("field", p, field, display(p, field), field_label(field), lambda text: self._parse(field, text),
                       draft, required=field in ("company", "stage"))

    def action_column(self, delta: int) -> None:
        here = EDITABLE.index(self.source.column) if self.source.column in EDITABLE else 0
        self.source.column = EDITABLE[(here + delta) % len(EDITABLE)]
        self.table.column_cursor = self.source.column  # the header shows it; `S` sorts by it
        self.table.refresh()
        self.update_status()

    def action_add(self, draft: dict[str, Any] | None = None) -> None:
        if self.book is not None:
            self._open("add", None, "company", "", t("prospects.col.company"), clean_text, draft, required=True)

    def action_remind(self, draft: dict[str, Any] | None = None) -> None:
        p = self.current()
        if p is not None:
            self._open("remind", p, "next_action_date", "", t("prospects.remind.label"), self._parse_remind, draft,
                       required=True)

    def on_inline_editor_done(self, event: InlineEditor.Done) -> None:
        if is_entry(event.field.target):  # a call or a visit (screens/prospects/work.py)
            submit_entry(self, event.field.target, event.value, self.today(), self.reload)
            return
        mode, pid, field, version = event.field.target
        if mode == "add":
            self._add(event.value)
            return
        p = self.prospect_by_id(pid)
        if p is None:
            return
        if mode == "remind":
            when, action = event.value
            if action:
                self.set_field(p, "next_action", action, (version[0], p.next_action))
            self.set_field(p, "next_action_date", when, version)
        elif field == "stage":
            self.set_stage(p, event.value, version)
        else:
            self.set_field(p, field, event.value, version)

    def draft(self) -> dict[str, Any] | None:
        f = self.editor.field
        if f is None or is_entry(f.target):  # a contact line is short: retyped, not restored
            return None
        mode, pid, field, (version, seen) = f.target
        return {"screen": "prospects", "mode": mode, "prospect_id": pid, "field": field, "text": self.editor.value,
                "version": version, "seen": seen}

    def _offer_draft(self) -> None:
        """Reopen the entry a dropped session was typing here, over its row,
        named, with its text and the version it was typed against."""
        draft = self.cockpit.pending_draft("prospects")
        if not draft:
            return
        p = self.prospect_by_id(draft.get("prospect_id"))
        mode, field = draft.get("mode"), draft.get("field")
        if mode != "add" and (p is None or field not in FIELD_KINDS):
            return
        if p is not None:
            if self.source.rows and cast("Book", self.book).index_of(p.id) not in self.source.rows:  # p is in the book
                self.action_clear_filters()
            self.move_to_id(p.id)
        if mode == "field":
            self.source.column = next((i for i in EDITABLE if FIELDS[i].name == field), self.source.column)
        {"add": self.action_add, "remind": self.action_remind}.get(mode, self.action_edit)(draft=draft)  # type: ignore[arg-type]  # no mode: an edit
        f = self.editor.field
        if f is not None:
            self.cockpit.tell(self.editor.draft_restored(), "warning")

    # ---- what the editor parses -------------------------------------------
    def _parse(self, field: str, text: str) -> Any:
        kind = FIELD_KINDS[field]
        text = clean_text(text)
        if kind == "stage":
            stage = parse_stage(text, prefix=True)
            if stage is None:
                raise ParseError(t("prospects.stage.expected"), t("prospects.stage.expected"))
            return stage
        if kind == "text" or (kind in ("email", "phone") and not text):  # an empty contact field is allowed
            return text
        if not text:
            return 0 if field == "has_project" else None
        if kind == "bool":
            return int(parse_bool(text))
        if kind == "email":
            return parse_email(text)
        if kind == "phone":
            return parse_phone(text)
        if kind == "date":
            return parse_date(text).isoformat()
        if kind == "next_date":
            return parse_next_date(text, self.today()).isoformat()
        raise ValueError(kind)

    def _parse_remind(self, text: str) -> tuple[str, str]:
        """``+3j Rappeler`` → (the date, the action): the longest beginning that reads as a date."""
        from cockpit.io.dates_fr import EXPECTED, PastDate

        words = clean_text(text).split()
        past: PastDate | None = None
        for k in range(len(words), 0, -1):
            try:
                when = parse_next_date(" ".join(words[:k]), self.today())
            except PastDate as exc:  # a date, but gone: said as such, not as "not a date"
                past = past or exc
                continue
            except ParseError:
                continue
            return when.isoformat(), " ".join(words[k:])
        raise past or ParseError(*EXPECTED)

    # ---- commits -------------------------------------------------------------
    def _show(self, field: str) -> Callable[[Any], str]:
        def show(value: Any) -> str:
            if value is None or value == "":
                return "—"
            if field in ("potential", "quote_amount"):
                return money(int(value))
            if field == "expected_signing":
                return date(dt.date.fromisoformat(str(value)[:10]))
            if field == "stage":
                return t(f"prospects.stage.{value}") if value in STAGES else str(value)
            if field == "has_project":
                return t("prospects.yes") if value else t("prospects.no")
            return str(value)
        return show

    def _apply(self, pid: int, field: str) -> Callable[[Any, int | None], None]:
        def apply(value: Any, version: int | None) -> None:
            p = self.prospect_by_id(pid)
            if p is None:
                return
            setattr(p, field, bool(value) if field == "has_project" else value)
            if version is not None:
                p.version = version
            self.refresh_all()
        return apply

    def _saved(self, pid: int) -> Callable[[Any], None]:
        def saved(result: Any) -> None:
            p = self.prospect_by_id(pid)
            if p is not None and getattr(result, "version", None) is not None:
                p.version = result.version
        return saved

    def set_field(self, p: Prospect, field: str, value: Any, seen: tuple[int, Any] | None = None) -> None:
        """``seen``: the version and value the rep typed over (None: the prospect as shown now)."""
        stored = bool(value) if field == "has_project" else value
        old, row = p.get(field), p.company  # named as the rep saw it, even when the name is the edit
        if stored == old:
            return
        setattr(p, field, stored)
        self.refresh_all()
        show = self._show(field)
        self.cockpit.committer.submit(Commit(
            "prospects", (p.id,), field, value, p.version if seen is None else seen[0], row, field_label(field), old,
            based_on=None if seen is None else seen[1], has_basis=seen is not None,
            show=show, apply=self._apply(p.id, field), saved=self._saved(p.id),
            said=t("prospects.saved", company=row, field=field_label(field), value=show(value))))

    def set_score(self, p: Prospect, key: str, value: float | None) -> None:
        """A criterion's score (None clears it): the matrix moves now, the commit follows."""
        old = p.scores.get(key)
        if old == value:
            return
        pid = p.id

        def apply(v: Any, version: int | None) -> None:
            q = self.prospect_by_id(pid)
            if q is None:
                return
            if v is None:
                q.scores.pop(key, None)
            else:
                q.scores[key] = v
            if version is not None:
                q.score_versions[key] = version
            self.refresh_all()

        def saved(edit: Any) -> None:
            q = self.prospect_by_id(pid)
            if q is not None:
                q.score_versions[key] = edit.version

        apply(value, None)
        from cockpit.i18n import current

        label = next((c.name(current()) for c in self.book.scheme.criteria if c.key == key), key) if self.book else key
        self.cockpit.committer.submit(Commit(
            "qualification", (pid, key), "score", value, p.score_versions.get(key, 0), p.company, label, old,
            show=lambda v: "—" if v is None else f"{v:g}", apply=apply, saved=saved))

    def _add(self, company: str) -> None:
        today = self.today()

        def added(edit: Edit) -> None:
            self.reload(focus_id=edit.key[0])
            self.cockpit.tell(t("prospects.added", company=company))

        self.cockpit.committer.submit(Job(lambda ws: create_prospect(ws, {"company": company}, today), added))

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

    def set_stage(self, p: Prospect, stage: str, seen: tuple[int, Any] | None = None) -> None:
        if stage == p.stage or stage not in STAGES:
            return
        if outcome(stage) == "won" and p.client_id is None:
            from screens.prospects.dialogs import WinDialog

            self.app.push_screen(WinDialog(p), lambda values: self._win(p, stage, values) if values else None)
            return
        today, old, history = self.today(), p.stage, p.history
        p.stage = stage
        p.history = history + [Step(stage, today)]
        self.refresh_all()
        pid, show = p.id, self._show("stage")
        apply_stage = self._apply(pid, "stage")

        def apply(value: Any, version: int | None) -> None:
            q = self.prospect_by_id(pid)
            if q is not None and value == old:
                q.history = history
            apply_stage(value, version)

        self.cockpit.committer.submit(Commit(
            "prospects", (pid,), "stage", stage, p.version if seen is None else seen[0], p.company, field_label("stage"),
            old, based_on=None if seen is None else seen[1], has_basis=seen is not None,
            show=show, apply=apply, saved=self._saved(pid),
            write=lambda ws, expected: change_stage(ws, pid, stage, today, expected),
            said=t("prospects.stage_saved", company=p.company, stage=show(stage))))

    def _win(self, p: Prospect, stage: str, values: dict[str, Any]) -> None:
        today, pid, show = self.today(), p.id, self._show("stage")

        def saved(won: Any) -> None:
            self.reload(focus_id=pid)
            self.cockpit.data_changed("clients")
            self.cockpit.tell(t("prospects.won", company=p.company, code=won.code, period=won.period,
                            potential=money(values["potential"]) if values.get("potential") is not None else "—"))

        self.cockpit.committer.submit(Commit(
            "prospects", (pid,), "stage", stage, p.version, p.company, field_label("stage"), p.stage, show=show,
            apply=self._apply(pid, "stage"), saved=saved,
            write=lambda ws, expected: win(ws, pid, stage, values, today, expected)))

    # ---- deletion ------------------------------------------------------------
    def action_delete(self) -> None:
        p = self.current()
        if p is None:
            return
        from screens.kit.dialogs import ConfirmDialog

        def answer(yes: bool | None) -> None:
            if yes:
                pid, name = p.id, p.company

                def work(ws: Workspace) -> Any:
                    try:
                        return delete_prospect(ws, pid)
                    except InUse as exc:
                        return exc

                def done(result: Any) -> None:
                    if isinstance(result, InUse):
                        self.cockpit.tell(plural("prospects.delete.in_use", result.visits, n=number(result.visits)), "error")
                    else:
                        self.reload()
                        self.cockpit.tell(t("prospects.deleted", company=name, hint=key_hint(self, "app.undo")))

                self.cockpit.committer.submit(Job(work, done))

        question = t("prospects.delete.confirm", company=p.company, hint=key_hint(self, "app.undo"))
        self.app.push_screen(ConfirmDialog(question), answer)
