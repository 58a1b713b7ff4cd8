"""Activity screen (METHOD §6): the team ranked by activité × efficacité ×
orientation, the selected rep's indicators with the lever to pull first, a
what-if scenario, proposals from the visit/call log and the score's history.

Edits change the in-memory book first (score, ranking and chart move at
once), then the App commits them; a what-if writes nothing until Enter.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from cockpit.activity.score import INDICATORS, Advice, kind_of, levers, months_of, period_of
from cockpit.activity.store import ActivityState, load_state
from cockpit.activity.suggest import suggest
from cockpit.activity.text import (
    advice_lines, basis_text, change_text, formula_text, period_text, score_text, value_text,
)
from cockpit.i18n import number, plural, t
from cockpit.safe_text import safe_text
from cockpit.store.workspace import Edit

from screens.activity.chart import ScoreHistory
from screens.activity.source import DetailSource, TeamSource, VisitsSource
from screens.activity.visits import VisitLogMixin
from screens.activity.whatif import WhatIfMixin
from screens.activity.edit import ActivityEditing
from screens.kit import CockpitScreen, InlineEditor, SearchBar, StatusLine
from screens.kit.search import cells_match, find
from screens.kit.footer import CockpitFooter
from screens.kit.keys import key_hint, translate_bindings
from screens.kit.text import Prose
from screens.kit.virtual_table import VirtualTable

KINDS = ("month", "quarter", "year")


class ActivityScreen(ActivityEditing, WhatIfMixin, VisitLogMixin, CockpitScreen):
    CSS_PATH = "activity.tcss"
    HELP_TITLE = "activity.title"
    HELP_FIGURES = ["activity.help.score", "activity.help.levers", "activity.help.whatif", "activity.help.periods",
                    "activity.help.suggest", "activity.help.team"]
    HELP_KEYS = {"whatif": "activity.whatif", "period": "activity.period", "prev": "activity.prev", "next": "activity.next"}
    BINDINGS = [
        Binding("e", "edit('value')", "activity.key.edit", id="activity.edit"),
        Binding("w", "whatif", "activity.key.whatif", id="activity.whatif"),
        Binding("s", "accept", "activity.key.accept", id="activity.accept"),
        Binding("y", "period_kind", "activity.key.period", id="activity.period"),
        Binding("v", "visits", "activity.key.visits", id="activity.visits"),
        Binding("t", "edit('target')", "activity.key.target", show=False, id="activity.target"),
        Binding("left_square_bracket", "step_period(-1)", "activity.key.prev", key_display="[", show=False, id="activity.prev"),
        Binding("right_square_bracket", "step_period(1)", "activity.key.next", key_display="]", show=False, id="activity.next"),
        Binding("a", "add_visit", "activity.key.add_visit", id="activity.add_visit"),
        Binding("delete", "delete_visit", "activity.key.delete_visit", id="activity.delete_visit"),
        Binding("p", "toggle_chart", "activity.key.chart", show=False, id="activity.chart"),
        Binding("n", "new_rep", "activity.key.new_rep", show=False, id="activity.new_rep"),
        Binding("slash", "search", "activity.key.search", key_display="/", show=False, id="activity.search"),
    ]


    def __init__(self) -> None:
        super().__init__(id="activity")
        translate_bindings(self)
        self.state: ActivityState | None = None
        self.period: str | None = None  # a month, '2026-Q4' or '2026'
        self.rep: str | None = None
        self.scenario = None
        self.today: Callable[[], dt.date] = dt.date.today  # tests pin it
        self._indicators: dict = {}
        self._proposals: dict = {}
        self._advice: Advice | None = None
        self._announcing = False

    def compose(self) -> ComposeResult:
        yield StatusLine("activity.title", id="act-status")
        with Horizontal(id="act-main"):
            with Vertical(id="act-left"):
                yield VirtualTable(TeamSource(None), id="act-team")
                yield Static("", id="act-average", markup=False)
                yield Static(t("activity.whatif.hint", edit=key_hint(self, "activity.edit")), id="act-hint", markup=False)
                yield VirtualTable(DetailSource([], {}, {}, {}, {}, None, None), id="act-detail")
                yield VirtualTable(VisitsSource([], {}, {}), id="act-visits")
                yield Prose("", id="act-levers")
            with Vertical(id="act-side"):
                yield ScoreHistory(id="act-chart")
        yield SearchBar("activity.search.prompt", id="act-search")
        yield InlineEditor(id="act-editor")
        yield CockpitFooter()

    def table(self, name: str) -> VirtualTable:
        return self.query_one(f"#act-{name}", VirtualTable)

    # ---- search: in the table the rep was on (team, indicators or visits) ----
    _searched: VirtualTable | None = None

    def action_search(self) -> None:
        focused = self.focused
        self._searched = focused if isinstance(focused, VirtualTable) else self.table("team")
        self.query_one(SearchBar).open()

    def on_search_bar_sought(self, event: SearchBar.Sought) -> None:
        table = self._searched or self.table("team")
        find(event.bar, table, lambda text: cells_match(table.inner_source, text), event,
             lambda text: self.cockpit.tell(t("search.none", text=text), "warning"))

    def on_search_bar_closed(self, event: SearchBar.Closed) -> None:
        event.bar.border_subtitle = ""
        (self._searched or self.table("team")).focus()

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 110, "-narrow")

    def on_mount(self) -> None:
        self.table("team").loading = True
        self.reload()

    def reload(self) -> None:
        self.read_shown(lambda ws: load_state(ws, self.cockpit.cfg), self.show_state)

    # ---- state in, screen out ------------------------------------------
    def show_state(self, state: ActivityState) -> None:
        first = self.state is None
        self.state = state
        months = state.book.months
        if self.period is None or (kind_of(self.period) == "month" and self.period not in months and months):
            self.period = months[-1] if months else period_of(self.today().isoformat()[:7], "month")
        self.table("team").loading = False
        self.refresh_all()
        if first:
            self.table("team").focus()
            self._offer_draft()

    def shown(self) -> tuple[frozenset[str] | None, bool]:
        """Whose rows this view shows, and whether with their ranks (METHOD §8)."""
        return self.cockpit.scope.activity_view(self.cockpit.cfg.activity.ranking)

    @property
    def kind(self) -> str:
        return kind_of(self.period or "")

    def refresh_all(self) -> None:
        if self.state is None or self.period is None:
            return
        team = self.state.book.team(self.period)
        mine, ranked = self.shown()
        if mine is not None:  # the average below stays the team's
            team = team.only(mine, ranked)
        if self.rep is None or all(r.rep != self.rep for r in team.rows):
            self.rep = team.rows[0].rep if team.rows else None
        source = TeamSource(team)
        table = self.table("team")
        table.source = source
        table.styles.height = max(2, len(team.rows) + 1)
        table.reload()
        index = source.index_of(self.rep)
        if index is not None:
            table.move_to_index(index)
        average = t("activity.average", formula=" × ".join(value_text(team.average[i]) for i in INDICATORS),
                    score=score_text(team.average_score)) if team.rows else t("activity.empty")
        self.query_one("#act-average", Static).update(Text(average))
        self.refresh_rep()

    def refresh_rep(self) -> None:
        """The selected rep's table, levers, proposals, visits, chart and status."""
        st, rep, period = self.state, self.rep, self.period
        if st is None or period is None:
            return
        book, sc = st.book, self.scenario
        self._indicators = sc.indicators() if sc else book.indicators(rep, period) if rep else {}
        targets = book.targets(rep, period) if rep else {}
        values = sc.fields() if sc else book.field_values(rep, period) if rep and self.kind == "month" else {}
        self._proposals = suggest(st.log, rep, months_of(period), st.norms, st.targets) if rep else {}
        self._advice = levers(self._indicators, targets) if rep else None
        detail = self.table("detail")
        detail.source = DetailSource(book.fields, values, self._indicators, targets, self._proposals, self._advice, sc)
        detail.styles.height = detail.source.row_count() + 1
        detail.reload()
        self.refresh_side()
        self.query_one("#act-chart", ScoreHistory).show(book, rep, self.shown()[0])
        if self.has_class("-visits"):
            self.refresh_visits()
        self.update_status()

    def refresh_side(self) -> None:
        """The headline, the levers in words and the selected indicator's proposal."""
        if self.period is None:
            return
        lines = [t("activity.headline", rep=self.rep or "—", period=period_text(self.period),
                   formula=formula_text(self._indicators) if self.rep else "—")]
        lines += advice_lines(self._advice) if self.rep else []
        name = self.selected_field()
        base = name.split(".")[0] if name else None
        if base in self._proposals:
            p = self._proposals[base]
            lines.append(t("activity.proposal", the=t(f"activity.ind.{base}.the"), value=value_text(p.value), hint=key_hint(self, "activity.accept"),
                           basis=basis_text(p)))
        self.query_one("#act-levers", Static).update(Text("\n".join(lines)))

    def update_status(self, note: str = "") -> None:
        if self.period is None:
            return
        parts = [period_text(self.period)]
        if self.kind != "month" and self.state and self.rep:
            months = len(self.state.book.recorded_months(self.rep, self.period))
            parts[-1] += " " + plural("activity.mean_of", months, n=number(months))
        if self.rep != self.cockpit.scope.label():  # whose row, unless the title names them already
            parts.append(safe_text(self.rep or "—"))
        if self.scenario is not None:
            parts.append(t("activity.whatif.status", change=change_text(self.scenario.change)))
        # The period, whose figures, and a scenario's: what the rep looks at, whole at 80 columns.
        self.query_one(StatusLine).show([], note=note or None, where=parts)

    def selected_field(self) -> str | None:
        source = self.table("detail").source
        row = self.table("detail").cursor_index
        return source.names[row] if isinstance(source, DetailSource) and row < len(source.names) else None

    # ---- navigation ----------------------------------------------------
    def on_virtual_table_cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        # The table's cursor now, not the event's row: a reload and a move may both be queued.
        row = event.table.cursor_index
        if event.table.id == "act-team" and isinstance(event.table.source, TeamSource) and event.table.source.team:
            rows = event.table.source.team.rows
            if row < len(rows) and rows[row].rep != self.rep:
                self.drop_scenario("activity.whatif.dropped")
                self.rep = rows[row].rep
                self.refresh_rep()
        elif event.table.id == "act-detail" and self.state is not None:
            self.refresh_side()

    def on_virtual_table_activated(self, event: VirtualTable.Activated) -> None:
        if event.table.id == "act-team":
            self.table("detail").focus()
        elif event.table.id == "act-detail":
            if self.scenario is not None:
                self.commit_scenario()
            else:
                self.action_edit("value")

    def action_period_kind(self) -> None:
        if self.state is None or self.period is None:
            return
        self.drop_scenario("activity.whatif.dropped")
        kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        month = months_of(self.period)[-1]
        if kind == "month":  # back to the latest recorded month of the quarter or year
            recorded = [m for m in months_of(self.period) if m in self.state.book.months]
            month = recorded[-1] if recorded else month
        self.period = period_of(month, kind)
        self.refresh_all()

    def action_step_period(self, step: int) -> None:
        if self.state is None or self.period is None:
            return
        periods = self.state.book.periods(self.kind)
        if self.period not in periods:
            periods = sorted({*periods, self.period})
        i = periods.index(self.period) + step
        if 0 <= i < len(periods):
            self.drop_scenario("activity.whatif.dropped")
            self.period = periods[i]
            self.refresh_all()

    def action_new_rep(self) -> None:
        """A rep without a record yet: shown at once, recorded by their first value."""
        from screens.activity.visits import NameDialog

        scope = self.cockpit.scope
        if self.shown()[0] is not None:  # a rep added here would not be shown
            viewer = scope.viewer
            own = scope.owner is None or (viewer is not None and viewer.role == "rep")
            self.cockpit.say(t("activity.rep.add_managers" if own else "activity.rep.add_team_view",
                               hint=key_hint(self, "app.scope")), "warning")
            return

        def done(name: str | None) -> None:
            if name and self.state is not None:
                self.drop_scenario("activity.whatif.dropped")
                self.state.book.extra_reps.add(name)
                self.rep = name
                self.refresh_all()
                self.cockpit.say(t("activity.rep.added", rep=name, edit=key_hint(self, "activity.edit"),
                               accept=key_hint(self, "activity.accept")))

        if self.state is not None:
            self.app.push_screen(NameDialog(t("activity.rep.prompt")), done)

    def action_toggle_chart(self) -> None:
        self.toggle_class("-show-chart")

    def action_accept(self) -> None:
        """Take the log's proposal for the selected indicator (in a what-if: try it)."""
        if self.state is None or self.rep is None or self.period is None or self.indicators_hidden():
            return
        if self.kind != "month":
            self.cockpit.say(t("activity.edit.month_only", hint=key_hint(self, "activity.period")), "warning")
            return
        name = self.selected_field()
        if name not in INDICATORS:
            self.cockpit.say(t("activity.accept.pick"), "warning")
            return
        if name not in self.state.book.fields:
            self.cockpit.say(t("activity.accept.sub"), "warning")
            return
        proposal = suggest(self.state.log, self.rep, [self.period], self.state.norms, self.state.targets)[name]
        if proposal.value is None:
            self.cockpit.say(t("activity.accept.none"), "warning")
        elif self.scenario is not None:
            self.scenario.set(name, proposal.value)
            self.refresh_rep()
        else:
            self.record(self.rep, self.period, name, "value", proposal.value)

    def key_escape(self) -> None:
        if self.editor.is_open:
            self.editor.close()
        elif self.scenario is not None:
            self.drop_scenario("activity.whatif.dropped")
        elif self.has_class("-visits"):
            self.action_visits()
        elif self.table("detail").has_focus:
            self.table("team").focus()

    def has_open_edit(self) -> bool:
        return self.editor.is_open or bool(self.scenario and self.scenario.changes())

    # ---- the App's journal and other screens -----------------------------
    def apply_journal(self, edit: Edit) -> bool:
        if self.state is None or edit.entity not in ("activity", "visits"):
            return False
        if edit.entity == "visits":
            self.reload()
            return True
        rep, month, name = edit.key
        self.state.book.set(rep, month, name, edit.field, edit.new, edit.version)
        sc = self.scenario
        if sc is not None and (sc.rep, sc.month) == (rep, month) and name in sc.recorded and edit.field == "value":
            sc.recorded[name], sc.versions[name] = edit.new, edit.version
        self.refresh_all()
        return True

    def data_changed(self, what: str) -> None:
        if self._announcing:  # our own change, already on screen
            return
        if self.state is not None and what in ("clients", "prospects", "amounts", "activity", "visits", "external"):
            self.reload()
