"""The Activity screen's what-if (`w`): a scratch scenario over one rep's
recorded month. Edits go to the scenario only, shown beside the recorded
values; Enter commits it (journaled, undoable), Escape drops it."""

from __future__ import annotations

from cockpit.i18n import t

from screens.activity.mixin import ActivityMixin
from screens.kit.keys import key_hint


class WhatIfMixin(ActivityMixin):
    def action_whatif(self) -> None:
        if self.state is None or self.rep is None or self.period is None:
            return
        if self.scenario is not None:
            self.drop_scenario("activity.whatif.dropped")
            return
        if self.kind != "month":
            self.cockpit.say(t("activity.edit.month_only", hint=key_hint(self, "activity.period")), "warning")
            return
        self.scenario = self.state.book.scenario(self.rep, self.period)
        self.add_class("-whatif")
        self.table("detail").focus()
        self.refresh_rep()
        self.cockpit.say(t("activity.whatif.open"))

    def drop_scenario(self, message_key: str | None) -> None:
        if self.scenario is None:
            return
        self.scenario = None
        self.remove_class("-whatif")
        if message_key:
            self.cockpit.say(t(message_key))
        self.refresh_rep()
        self.editor_closed()  # others' changes held while the what-if was open
