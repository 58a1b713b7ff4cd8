"""Win-back in the Evolution tab (METHOD §7, issue 15 item 6): the clients
lost in the period with the revenue lost (cockpit.action.winback), and the
key that turns the selected one into a prospect — one unit of the journal,
written by the one committer, so `u` takes it back whole."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static, TabbedContent

from cockpit.action.winback import AlreadyWonBack, Lost, lost_clients, win_back
from cockpit.i18n import money, number, t, tn
from cockpit.portfolio import periods
from cockpit.safe_text import safe_text
from cockpit.store.entities import ROW, Edit

from screens.kit.base import Described
from screens.kit.committer import Job, failure_words
from screens.kit.keys import key_hint

if TYPE_CHECKING:
    from screens.app import CockpitApp


class LostList(Vertical):
    """The lost clients of the period, the largest revenue lost first."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lost: list[Lost] = []
        self.period: str | None = None
        self.owner: str | None = None
        self.loaded = False  # read once the tab showed a period
        self.asked = 0  # reads asked: only the latest is shown

    def compose(self) -> ComposeResult:
        yield Static("", id="lost-title", markup=False)
        yield DataTable(id="lost-table", cursor_type="row", zebra_stripes=True)

    @property
    def cockpit(self) -> "CockpitApp":
        return self.app  # type: ignore[return-value]  # mounted in the cockpit

    def load(self, period: str | None, owner: str | None) -> None:
        # The win-back list is by year (METHOD §2's lost clients): a rolling view reads the latest year.
        self.period, self.owner = (None if period is None or periods.is_rolling(period) else period), owner
        self.loaded = True
        self.reload()

    def reload(self) -> None:
        period, owner = self.period, self.owner
        self.asked = asked = self.asked + 1

        def shown(lost: list[Lost]) -> None:
            if asked == self.asked:  # a later read (another period, another view) wins
                self.show(lost)

        self.cockpit.run_read(lambda ws: lost_clients(ws, period, owner), shown)

    def show(self, lost: list[Lost]) -> None:
        self.lost = lost
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for key in ("code", "name", "lost", "back"):
            table.add_column(Text(t(f"winback.col.{key}")), key=key)
        for x in lost:
            table.add_row(Text(safe_text(x.code)), Text(safe_text(x.name)), Text(money(x.lost_revenue), justify="right"),
                          Text(t("winback.back") if x.prospect_id is not None else "", style="green"), key=str(x.client_id))
        if lost:
            table.move_cursor(row=min(max(row, 0), len(lost) - 1))
        period = lost[0].period if lost else self.period or ""
        hint = key_hint(self.screen, "portfolio.win_back")
        words = tn("winback.title", len(lost), n=number(len(lost)), period=period,
                   amount=money(sum(x.lost_revenue for x in lost)), hint=hint) if lost else t("winback.none", period=period)
        self.query_one("#lost-title", Static).update(Text(words, style="bold"))

    def selected(self) -> Lost | None:
        row = self.query_one(DataTable).cursor_row
        return self.lost[row] if 0 <= row < len(self.lost) else None


class WinBack:
    """The Portfolio screen's part: `R` wins the selected lost client back."""

    def action_win_back(self) -> None:
        screen: Any = self  # a PortfolioScreen
        lists = screen.query(LostList)
        if screen.query_one(TabbedContent).active != "tab-evolution" or not lists:
            screen.cockpit.tell(t("winback.where", hint=key_hint(screen, "portfolio.tab_evolution")), "warning")
            return
        box: LostList = lists.first()
        lost = box.selected()
        if lost is None:
            screen.cockpit.tell(t("winback.nothing"), "warning")
            return
        if lost.prospect_id is not None:
            screen.cockpit.tell(t("winback.already", name=lost.name, hint=key_hint(screen, "app.prospects")), "warning")
            return
        today: dt.date = getattr(screen.app, "today", dt.date.today)()  # tests and demos pin it with app.today

        def done(_: Edit) -> None:
            screen.cockpit.tell(t("winback.done", name=lost.name, potential=money(lost.lost_revenue),
                                  hint=key_hint(screen, "app.prospects"), undo=key_hint(screen, "app.undo")))
            screen.cockpit.data_changed("prospects")  # the Prospects screen lists it; this list marks it

        def failed(exc: BaseException) -> None:
            if isinstance(exc, AlreadyWonBack):  # another rep was first: said in words, the list read again
                screen.cockpit.tell(t("winback.already", name=lost.name, hint=key_hint(screen, "app.prospects")), "warning")
                box.reload()
            else:
                screen.cockpit.tell(failure_words(exc), "error")

        screen.cockpit.committer.submit(Job(lambda ws: win_back(ws, lost, today), done, failed=failed))

    def _reload_lost(self) -> None:
        for box in self.query(LostList):  # type: ignore[attr-defined]  # a Screen's
            if box.loaded:
                box.reload()

    def apply_journal(self, edit: Edit) -> bool:
        if edit.entity == "prospects":  # a win-back undone or redone: its mark in the list
            self._reload_lost()
            return False  # the Prospects screen shows it too
        return super().apply_journal(edit)  # type: ignore[misc]  # PortfolioEditing's

    def data_changed(self, what: str) -> None:
        if what == "prospects":  # "external" reloads the whole screen, the list with it
            self._reload_lost()
        super().data_changed(what)  # type: ignore[misc]

    def describe(self, entity: str, key: tuple[Any, ...], field: str, value: Any) -> Described | None:
        if entity == "prospects" and field == ROW and isinstance(value, dict):  # a win-back's prospect, come or gone
            return Described(safe_text(str(value.get("company") or key[0])), t("prospects.journal.row"), "")
        return super().describe(entity, key, field, value)  # type: ignore[misc]
