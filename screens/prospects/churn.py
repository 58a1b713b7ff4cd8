"""The funnel against churn, in words, on the funnel view (METHOD §7, issue
15 item 5): the new clients needed a year against the wins the funnel
promises, the gap ("il manque 3 clients par an") or covered, and the weakest
stage with its conversion and median days — the core's lines
(cockpit.action.churn_gap), over the view's owner."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from cockpit.action.churn_gap import ChurnGap, churn_gap
from cockpit.i18n import t

if TYPE_CHECKING:
    from screens.app import CockpitApp


class ChurnWords(Static):
    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.lines: list[str] = []
        self.asked = 0  # reads asked: only the latest is shown

    def load(self, today: dt.date) -> None:
        app: CockpitApp = self.app  # type: ignore[assignment]  # mounted in the cockpit
        cfg, owner = app.cfg, app.scope.owner
        self.asked = asked = self.asked + 1

        def shown(gap: ChurnGap) -> None:
            if asked == self.asked:  # a later read (another view, an edit) wins
                self.show(gap)

        app.run_read(lambda ws: churn_gap(ws, cfg, today, owner), shown)

    def show(self, gap: ChurnGap) -> None:
        self.lines = gap.lines()
        out = Text(t("prospects.funnel.churn_title") + "\n", style="bold")
        missing = gap.gap is not None and gap.gap > 0
        for i, line in enumerate(self.lines):
            # The gap line in red when clients are missing: the sentence a manager acts on.
            out.append(line + "\n", style="bold red" if missing and i == 2 else "")
        self.update(out)
