"""The Activity screen's what-if (`w`): a scratch scenario over one rep's
recorded month. Edits go to the scenario only, shown beside the recorded
values; Enter commits it (journaled, undoable), Escape drops it."""

from __future__ import annotations

from cockpit.activity_store import commit_scenario
from cockpit.activity_text import change_text, score_text
from cockpit.i18n import t
from cockpit.workspace import Edit


class WhatIfMixin:
    def action_whatif(self) -> None:
        if self.state is None or self.rep is None or self.period is None:
            return
        if self.scenario is not None:
            self.drop_scenario("activity.whatif.dropped")
            return
        if self.kind != "month":
            self.app.say(t("activity.edit.month_only"), "warning")
            return
        self.scenario = self.state.book.scenario(self.rep, self.period)
        self.add_class("-whatif")
        self.table("detail").focus()
        self.refresh_rep()
        self.app.say(t("activity.whatif.open"))

    def drop_scenario(self, message_key: str | None) -> None:
        if self.scenario is None:
            return
        self.scenario = None
        self.remove_class("-whatif")
        if message_key:
            self.app.say(t(message_key))
        self.refresh_rep()

    def commit_scenario(self) -> None:
        sc = self.scenario
        if sc is None:
            return
        if not sc.changes():
            self.drop_scenario("activity.whatif.nothing")
            return
        message = t("activity.whatif.committed", rep=sc.rep, before=score_text(sc.score_recorded),
                    after=score_text(sc.score), change=change_text(sc.change))
        self.scenario = None
        self.remove_class("-whatif")
        assert self.state is not None
        for name, _, new, version in sc.changes():  # shown at once; the versions the writes will leave
            self.state.book.set(sc.rep, sc.month, name, "value", new, version + 1)
        self.refresh_all()
        self.update_status(t("save.pending"))
        self.app.run_db(lambda ws: commit_scenario(ws, sc), lambda edits: self.committed(edits, message), self.conflict)

    def committed(self, edits: list[Edit], message: str) -> None:
        self.saved(edits, message)
        self.refresh_all()
        self.update_status(t("save.done"))
