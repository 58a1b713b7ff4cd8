"""The Activity screen's edits — a value or a target of one rep's month, and
a what-if's commit (one unit) — through the kit's editor and committer."""

from __future__ import annotations

from typing import Any

from cockpit.activity.score import parse_score, same
from cockpit.activity.store import commit_scenario, save_field
from cockpit.activity.text import ind_name, score_text, value_text
from cockpit.i18n import t
from cockpit.io.numbers_fr import ParseError
from cockpit.store.workspace import Conflict, Edit

from screens.activity.mixin import ActivityMixin
from screens.activity.source import SCORE, DetailSource
from screens.kit import Commit, Described, EditField, InlineEditor, Job
from screens.kit.committer import failure_words
from screens.kit.keys import key_hint


SCORE_EXPECTED = ("une note de 0 à 10 (une décimale au plus, ex. 6,5)", "a score from 0 to 10 (one decimal at most, e.g. 6.5)")


def _score(text: str) -> float:
    try:
        return parse_score(text)
    except ValueError:
        raise ParseError(*SCORE_EXPECTED) from None


class ActivityEditing(ActivityMixin):
    """Mixed into ActivityScreen (state, rep, period, kind, scenario, table(), refresh_all(), refresh_rep())."""

    @property
    def editor(self) -> InlineEditor:
        return self.query_one("#act-editor", InlineEditor)

    def indicators_hidden(self) -> bool:
        """True, and said, when the visit log covers the indicators: a key
        that changes an indicator never changes one the rep does not see."""
        if not self.has_class("-visits"):
            return False
        self.cockpit.say(t("activity.visit.no_edit", delete=key_hint(self, "activity.delete_visit"),
                           add=key_hint(self, "activity.add_visit"), back=key_hint(self, "activity.visits")), "warning")
        return True

    def action_edit(self, field: str, draft: dict[str, Any] | None = None) -> None:
        if self.state is None or self.rep is None or self.period is None:
            return
        if draft is None and self.indicators_hidden():
            return
        if self.kind != "month":
            self.cockpit.say(t("activity.edit.month_only", hint=key_hint(self, "activity.period")), "warning")
            return
        detail = self.table("detail")
        self.set_focus(detail)
        source = detail.source
        assert isinstance(source, DetailSource)
        if draft is not None and draft.get("name") in source.names:
            detail.move_to_index(source.names.index(draft["name"]))
        name = source.names[detail.cursor_index]
        if not source.editable(detail.cursor_index):
            self.cockpit.say(t("activity.edit.score" if name == SCORE else "activity.edit.computed"), "warning")
            return
        if field == "target" and ("." in name or self.scenario is not None):
            self.cockpit.say(t("activity.edit.no_target"), "warning")
            return
        cell = self.state.book.cell(self.rep, self.period, name)
        if self.scenario is not None:
            current, column, version = self.scenario.value(name), 2, cell.version
        else:
            current, column, version = (cell.value, 1, cell.version) if field == "value" else (cell.target, 2, cell.version)
        text, seen = "" if current is None else value_text(current), current
        if draft is not None:
            text, version = str(draft.get("text", "")), int(draft.get("version", version))
            seen = draft.get("seen", seen)
        label = t("activity.col.value" if field == "value" else "activity.col.target")
        ef = EditField(f"{self.rep} · {self.period} · {ind_name(name)}", label, text,
                       _score, (self.rep, self.period, name, field, (version, seen)), required=field == "value")
        if field == "target":  # a target may be cleared
            ef.parse = lambda s: None if not s.strip() else _score(s)
        self.editor.open_over(detail, column, ef, keep_text=draft is not None)

    def on_inline_editor_done(self, event: InlineEditor.Done) -> None:
        rep, month, name, field, version = event.field.target
        if self.scenario is not None:
            self.scenario.set(name, event.value)
            self.refresh_rep()
        else:
            self.record(rep, month, name, field, event.value, version)

    def record(self, rep: str, month: str, name: str, field: str, value: float | None,
               seen: tuple[int, Any] | None = None) -> None:
        """Into the book at once (ranking, levers, chart follow), then to the workspace.
        ``seen``: the version and value the rep typed over (None: the cell as shown now)."""
        assert self.state is not None
        book = self.state.book
        cell = book.cell(rep, month, name)
        old = getattr(cell, field)
        if same(old, value):
            return
        before = book.score(rep, month)
        book.set(rep, month, name, field, value)
        self.refresh_all()

        def apply(v: Any, version: int | None) -> None:
            if self.state is not None:
                self.state.book.set(rep, month, name, field, v, version)
                self.refresh_all()

        def saved(edit: Edit) -> None:
            if self.state is not None:
                self.state.book.set(rep, month, name, field, edit.new, edit.version)

        label = t("activity.col.value" if field == "value" else "activity.col.target")
        said = t("activity.saved", rep=rep, name=ind_name(name), old=value_text(old), new=value_text(value),
                 before=score_text(before), after=score_text(book.score(rep, month)))
        self.cockpit.committer.submit(Commit(
            "activity", (rep, month, name), field, value, cell.version if seen is None else seen[0],
            f"{rep} · {month} · {ind_name(name)}", label, old, based_on=None if seen is None else seen[1],
            has_basis=seen is not None, show=value_text, apply=apply, saved=saved, said=said,
            write=lambda ws, expected: save_field(ws, rep, month, name, field, value, expected or 0)))

    def commit_scenario(self) -> None:
        """The what-if's changes in one unit: one undo takes them back."""
        sc = self.scenario
        if sc is None:
            return
        if not sc.changes():
            self.drop_scenario("activity.whatif.nothing")
            return
        from cockpit.activity.text import change_text

        message = t("activity.whatif.committed", rep=sc.rep, before=score_text(sc.score_recorded),
                    after=score_text(sc.score), change=change_text(sc.change))
        self.scenario = None
        self.remove_class("-whatif")
        self.editor_closed()
        assert self.state is not None
        recorded = {name: (old, version) for name, old, _, version in sc.changes()}

        def show_mine() -> None:
            if self.state is not None:
                for name, _, new, _ in sc.changes():
                    self.state.book.set(sc.rep, sc.month, name, "value", new)
                self.refresh_all()

        show_mine()  # at once; the commit follows

        def done(edits: list[Edit]) -> None:
            if self.state is not None:
                for e in edits:
                    self.state.book.set(*e.key, e.field, e.new, e.version)  # type: ignore[call-arg]  # key: (rep, month, name)
            self.refresh_all()
            self.cockpit.tell(message)

        def put_back() -> None:
            if self.state is not None:
                for name, (old, version) in recorded.items():
                    self.state.book.set(sc.rep, sc.month, name, "value", old, version)
                self.refresh_all()

        def conflict(exc: Conflict) -> None:
            name = exc.key[2]
            mine = sc.edits.get(name)
            put_back()
            if self.state is not None:
                self.state.book.set(sc.rep, sc.month, name, "value", exc.theirs, exc.version)
                self.refresh_all()

            def keep_mine() -> Job:
                sc.versions[name] = exc.version  # the rep overwrites the version they were shown
                show_mine()
                return job()

            def take_theirs() -> None:
                self.cockpit.tell(t("kit.conflict.took", row=f"{sc.rep} · {sc.month} · {ind_name(name)}",
                                field=t("activity.col.value"), theirs=value_text(exc.theirs)), "warning")

            self.cockpit.committer.resolve(f"{sc.rep} · {sc.month} · {ind_name(name)}", t("activity.col.value"),
                                       value_text(mine), value_text(exc.theirs), keep_mine, take_theirs)

        def failed(exc: BaseException) -> None:
            put_back()
            self.cockpit.tell(t("kit.save.job_failed", why=failure_words(exc)), "error")

        def job() -> Job:
            return Job(lambda ws: commit_scenario(ws, sc), done, conflict, failed)

        self.cockpit.committer.submit(job())

    def describe(self, entity: str, key: tuple[Any, ...], field: str, value: Any) -> Described | None:
        if entity == "visits" and isinstance(value, dict):  # a contact of the log, come back or gone: never its id
            return Described(self._contact_words(value), field, "")
        if entity != "activity":
            return None
        rep, month, name = key
        return Described(f"{rep} · {month} · {ind_name(name)}",
                         t("activity.col.value" if field == "value" else "activity.col.target"), value_text(value))

    def _contact_words(self, visit: dict[str, Any]) -> str:
        """"visite avec C005 DUPONT SAS", or "un contact du journal" when its party is not known here."""
        st = self.state
        party = None if st is None else (" ".join(st.clients[visit["client_id"]]) if visit.get("client_id") in st.clients
                                         else st.prospects.get(visit.get("prospect_id") or -1))
        if party is None or visit.get("kind") not in ("visite", "appel"):
            return t("activity.visit.entry")
        return t("today.contact_with", kind=t(f"action.kind.{visit['kind']}"), name=party)

    def draft(self) -> dict[str, Any] | None:
        f = self.editor.field
        if f is None:
            return None
        rep, month, name, field, (version, seen) = f.target
        return {"screen": "activity", "rep": rep, "month": month, "name": name, "field": field,
                "text": self.editor.value, "version": version, "seen": seen, "whatif": self.scenario is not None}

    def _offer_draft(self) -> None:
        draft = self.cockpit.pending_draft("activity")
        if not draft or self.state is None or draft.get("whatif"):
            return
        self.rep, self.period = str(draft.get("rep")), str(draft.get("month"))
        self.refresh_all()
        self.action_edit("target" if draft.get("field") == "target" else "value", draft=draft)
        f = self.editor.field
        if f is not None:
            self.cockpit.tell(self.editor.draft_restored(), "warning")

