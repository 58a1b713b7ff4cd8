"""Portfolio screen: the ranked clients with summary and Pareto curve, and
tabs for the evolution, the crossed ABC × potential matrix and the product ×
segment matrix, all for the period chosen with [ and ].

Edits change the in-memory model first (ranks, classes, summary and matrices
move at once), then the App commits; "enregistré" shows only once SQLite has.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

from cockpit import periods
from cockpit.abc import Limits
from cockpit.i18n import money, t
from cockpit.portfolio import PortfolioModel
from cockpit.report import summary_lines
from cockpit.strategy import Strategy, load_strategy
from cockpit.workspace import Conflict, Edit

from .base import CockpitScreen
from .cell_editor import CellEditor
from .keys import translate_bindings
from .pareto import ParetoCurve
from .portfolio_source import PortfolioSource
from .strategy_panes import CrossedPane, EvolutionPane, ProductPane, ShowClients
from .virtual_table import VirtualTable

TABS = ("clients", "evolution", "crossed", "products")


class PortfolioScreen(CockpitScreen):
    HELP_TITLE = "portfolio.title"
    HELP_FIGURES = ["help.classes", "help.computed", "help.hhi", "help.gini", "help.disclosure", "help.churn",
                    "help.share_of_wallet", "help.zones", "help.gaps"]
    BINDINGS = [
        Binding("e", "edit('amount')", "key.edit", id="portfolio.edit"),
        Binding("P", "edit('potential')", "key.potential", id="portfolio.potential"),
        Binding("slash", "search", "key.search", key_display="/", id="portfolio.search"),
        Binding("left_square_bracket", "period(-1)", "key.period_prev", key_display="[", id="portfolio.period_prev"),
        Binding("right_square_bracket", "period(1)", "key.period_next", key_display="]", id="portfolio.period_next"),
        Binding("t", "tab('clients')", "key.tab_clients", id="portfolio.tab_clients"),
        Binding("h", "tab('evolution')", "key.tab_evolution", id="portfolio.tab_evolution"),
        Binding("o", "tab('crossed')", "key.tab_crossed", id="portfolio.tab_crossed"),
        Binding("s", "tab('products')", "key.tab_products", id="portfolio.tab_products"),
        Binding("l", "limits", "key.limits", id="portfolio.limits"),
        Binding("c", "toggle_computed", "key.computed", id="portfolio.computed"),
        Binding("g", "toggle_group", "key.group", id="portfolio.group"),
        Binding("m", "toggle_margin", "key.margin", id="portfolio.margin"),
        Binding("y", "toggle_rolling", "key.rolling", id="portfolio.rolling"),
        Binding("p", "toggle_curve", "key.curve", id="portfolio.curve"),
    ]

    def __init__(self) -> None:
        super().__init__(id="portfolio")
        translate_bindings(self)
        self.model: PortfolioModel | None = None
        self.strategy: Strategy | None = None
        self.period: str | None = None  # None: the latest
        self.periods: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="status", markup=False)
        with TabbedContent(id="tabs", initial="tab-clients"):
            with TabPane(t("tab.clients"), id="tab-clients"):
                with Horizontal(id="main"):
                    yield VirtualTable(PortfolioSource(None), id="clients")  # type: ignore[arg-type]
                    with Vertical(id="side"):
                        yield Static("", id="summary", markup=False)
                        yield ParetoCurve(id="curve")
            with TabPane(t("tab.evolution"), id="tab-evolution"):
                yield EvolutionPane(id="evolution")
            with TabPane(t("tab.crossed"), id="tab-crossed"):
                yield CrossedPane(id="crossed")
            with TabPane(t("tab.products"), id="tab-products"):
                yield ProductPane(id="products")
        yield CellEditor(id="cell-editor")
        yield Input(id="search", placeholder=t("search.prompt"))
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#clients", VirtualTable)

    @property
    def editor(self) -> CellEditor:
        return self.query_one(CellEditor)

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 110, "-narrow")

    def on_mount(self) -> None:
        self.load()

    # ---- loading (worker) ----------------------------------------------
    def load(self, period: str | None = None) -> None:
        self.table.loading = True
        cfg = self.app.cfg
        self.app.run_db(lambda ws: load_strategy(ws, cfg, period), self.show_model)

    def show_model(self, loaded: tuple) -> None:
        model, strategy, available = loaded
        cursor_client = self._client_at_cursor()
        self.model, self.strategy, self.periods = model, strategy, available
        self.period = model.data.period
        self.table.source = PortfolioSource(model)
        self.table.loading = False
        self.refresh_all()
        if not self.editor.is_open:
            self._focus_active_tab()
        if cursor_client is not None and cursor_client in set(model.data.client_id.tolist()):
            self.table.move_to(int(model.ranked.rank_of[model.index_of_client_id(cursor_client)]))
        self._offer_draft()

    def _client_at_cursor(self) -> int | None:
        m = self.model
        if m is None or not len(m.ranked) or m.view != "account":
            return None
        return int(m.data.client_id[int(m.ranked.order[self.table.cursor_row])])

    # ---- screen out -----------------------------------------------------
    def refresh_all(self) -> None:
        if self.model is None:
            return
        m = self.model
        self.table.reload()
        s = m.summary()
        self.query_one("#summary", Static).update(Text("\n".join(summary_lines(s)) if len(m.ranked) else t("portfolio.empty")))
        self.query_one("#curve", ParetoCurve).show(m, s)
        self._refresh_tab()
        self.update_status()

    def _refresh_tab(self) -> None:
        active = self.query_one(TabbedContent).active.removeprefix("tab-")
        if self.strategy is None or active == "clients":
            return
        if active == "evolution":
            self.query_one(EvolutionPane).show(self.strategy)
        elif active == "crossed":
            self.query_one(CrossedPane).show(self.strategy)
        else:
            matrix = self.app.cfg["matrix"]
            self.query_one(ProductPane).show(self.strategy, matrix["winners"], matrix["gap_ratio"])

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._refresh_tab()

    def update_status(self, note: str = "") -> None:
        if self.model is None:
            return
        m = self.model
        period = m.data.period
        if periods.is_rolling(period):
            period = t("period.rolling", end=period[1:])
        status = t("portfolio.status", period=period, view=t(f"portfolio.view.{m.view}"),
                   mode=t(f"portfolio.mode.{m.mode}"), amount=t("col.amount" if m.amount_field == "revenue" else "col.margin"))
        self.query_one("#status", Static).update(Text(status + (f" · {note}" if note else "")))

    # ---- editing -------------------------------------------------------
    def action_edit(self, what: str) -> None:
        m = self.model
        if m is None or not len(m.ranked):
            return
        if m.view != "account":
            self.app.say(t("edit.group_view"), "warning")
            return
        if periods.is_rolling(m.data.period) and what == "amount":
            self.app.say(t("edit.rolling"), "warning")
            return
        self.action_tab("clients")
        rank = self.table.cursor_row
        client = int(m.ranked.order[rank])
        source = self.table.source
        if what == "amount":
            self.editor.open_over(self.table, source.amount_column, m.ranked.amount_at(rank), ("amount", client),
                                  t("edit.prompt", name=m.name_at(rank)))
        else:
            potential = int(m.data.potential[client])
            column = source.potential_column if self.table.is_shown(source.potential_column) else source.amount_column
            self.editor.open_over(self.table, column, None if potential < 0 else potential,
                                  ("potential", client), t("edit.potential_prompt", name=m.name_at(rank)))

    def on_virtual_table_activated(self, event: VirtualTable.Activated) -> None:
        if event.table.id == "clients":
            self.action_edit("amount")

    def on_cell_editor_committed(self, event: CellEditor.Committed) -> None:
        self.table.focus()
        what, client = event.target
        if what == "amount":
            self.apply_amount(client, event.cents or 0, record=True)
        else:
            self.apply_potential(client, event.cents, record=True)

    def apply_amount(self, client: int, cents: int, *, record: bool) -> None:
        """Move the client in the model, keep the cursor on it, and (for a rep's
        edit) ask the App to commit it."""
        m = self.model
        assert m is not None
        old = m.accounts.amount_of(client)
        if cents == old:
            return
        version = int(m.data.version[client])
        move = m.set_amount(client, cents)
        self.table.move_to(move.new_rank if m.view == "account" else int(m.groups.rank_of[m.group_of[client]]))
        self.refresh_all()
        if record:
            self.update_status(t("save.pending"))
            key = (int(m.data.client_id[client]), m.data.period)
            label = (m.data.name[client], money(old), money(cents))
            self.app.run_db(lambda ws: ws.edit("amounts", key, m.amount_field, cents, expected_version=version),
                            lambda edit: self.edit_saved(edit, label), lambda c: self.edit_failed(c, cents))

    def apply_potential(self, client: int, cents: int | None, *, record: bool) -> None:
        m = self.model
        assert m is not None
        old = int(m.data.potential[client])
        m.data.potential[client] = -1 if cents is None else cents
        self.refresh_all()
        if record and (cents if cents is not None else -1) != old:
            self.update_status(t("save.pending"))
            version = int(m.data.client_version[client])
            key = (int(m.data.client_id[client]),)
            label = (m.data.name[client], "—" if old < 0 else money(old), "—" if cents is None else money(cents))
            self.app.run_db(lambda ws: ws.edit("clients", key, "potential", cents, expected_version=version),
                            lambda edit: self.edit_saved(edit, label), lambda c: self.edit_failed(c, cents))

    def edit_saved(self, edit: Edit, label: tuple[str, str, str]) -> None:
        """The commit is done: the row's version moves on, the rep is told."""
        m = self.model
        if m is not None and edit.key[0] in set(m.data.client_id.tolist()):
            i = m.index_of_client_id(edit.key[0])
            if edit.entity == "clients":
                m.data.client_version[i] = edit.version
            elif edit.key[1] == m.data.period:
                m.data.version[i] = edit.version
        self.update_status(t("save.done"))
        name, old, new = label
        self.app.say(t("edit.saved", name=name, old=old, new=new))

    def edit_failed(self, conflict: Conflict, mine: int | None) -> None:
        """Someone else committed first: show theirs, and ask which to keep."""
        from .dialogs import ConflictDialog

        m = self.model
        if m is None:
            return
        client = m.index_of_client_id(conflict.key[0])
        show = (lambda v: "—" if v is None else money(int(v))) if conflict.entity == "clients" else (lambda v: money(int(v or 0)))
        if conflict.entity == "clients":
            m.data.client_version[client] = conflict.version
            self.apply_potential(client, conflict.theirs, record=False)
        else:
            m.data.version[client] = conflict.version
            self.apply_amount(client, int(conflict.theirs or 0), record=False)
        self.update_status()

        def choose(keep_mine: bool) -> None:
            if keep_mine and conflict.entity == "clients":
                self.apply_potential(client, mine, record=True)
            elif keep_mine:
                self.apply_amount(client, int(mine or 0), record=True)

        self.app.push_screen(ConflictDialog(m.data.name[client], show(mine), show(conflict.theirs)), choose)

    def apply_journal(self, edit: Edit, message_key: str) -> bool:
        """An undo/redo came back from the workspace: show it if it is ours."""
        m = self.model
        if m is None or edit.key[0] not in set(m.data.client_id.tolist()):
            return False
        client = m.index_of_client_id(edit.key[0])
        if edit.entity == "clients" and edit.field == "potential":
            m.data.client_version[client] = edit.version
            self.apply_potential(client, edit.new, record=False)
            value = "—" if edit.new is None else money(int(edit.new))
        elif edit.entity == "amounts" and edit.field == m.amount_field and edit.key[1] == m.data.period:
            m.data.version[client] = edit.version
            self.apply_amount(client, int(edit.new or 0), record=False)
            value = money(int(edit.new or 0))
        else:
            return False
        self.app.say(t(message_key, name=m.data.name[client], value=value))
        return True

    def data_changed(self, what: str) -> None:
        # An open entry is never pulled from under the rep: the next poll reloads.
        if what in ("clients", "external") and self.model is not None and not self.editor.is_open:
            self.load(self.period)

    def has_open_edit(self) -> bool:
        return self.editor.is_open

    def draft(self) -> dict | None:
        if not self.editor.is_open or self.model is None:
            return None
        what, client = self.editor.target
        return {"screen": "portfolio", "what": what, "client_id": int(self.model.data.client_id[client]),
                "period": self.model.data.period, "text": self.editor.value}

    def _offer_draft(self) -> None:
        """Reopen the entry the dropped session was typing, with its text."""
        draft = self.app.pending_draft("portfolio")
        m = self.model
        if not draft or m is None or draft.get("period") != m.data.period:
            return
        try:
            client = m.index_of_client_id(int(draft["client_id"]))
        except (KeyError, ValueError, TypeError):
            return
        self.table.move_to(int(m.ranked.rank_of[client]))
        self.action_edit("potential" if draft.get("what") == "potential" else "amount")
        self.editor.value = str(draft.get("text", ""))
        self.app.say(t("draft.restored", name=m.data.name[client]), "warning")

    # ---- search --------------------------------------------------------
    def action_search(self) -> None:
        self.action_tab("clients")
        search = self.query_one("#search", Input)
        search.add_class("-open")
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self._find(event.value, self.table.cursor_row - 1)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self._find(event.value, self.table.cursor_row)

    def _find(self, text: str, after: int) -> None:
        if self.model is None or not text:
            return
        rank = self.table.source.rank_of_name(text, after)
        if rank is None:
            self.app.say(t("search.none", text=text), "warning")
        else:
            self.table.move_to(rank)

    def key_escape(self) -> None:
        search = self.query_one("#search", Input)
        if self.editor.is_open or search.has_class("-open"):
            self.editor.close()
            search.remove_class("-open")
            self.table.focus()

    # ---- views, periods, limits ----------------------------------------
    def action_tab(self, name: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{name}"
        self._focus_active_tab()

    def _focus_active_tab(self) -> None:
        name = self.query_one(TabbedContent).active.removeprefix("tab-")
        (self.table if name == "clients" else self.query_one(f"#{name} DataTable")).focus()

    def on_show_clients(self, event: ShowClients) -> None:
        from .dialogs import ClientListDialog

        def jump(index: int | None) -> None:
            if index is not None and self.model is not None:
                self.model.set_view("account")
                self.action_tab("clients")
                self.refresh_all()
                self.table.move_to(int(self.model.ranked.rank_of[index]))

        self.app.push_screen(ClientListDialog(event.title, event.rows), jump)

    def action_period(self, step: int) -> None:
        if not self.periods or self.period not in self.periods:
            return
        i = self.periods.index(self.period) + step
        if 0 <= i < len(self.periods):
            self.load(self.periods[i])

    def action_toggle_rolling(self) -> None:
        ui = self.app.cfg["ui"]
        ui["period"] = "year" if ui["period"] == "rolling12" else "rolling12"
        self.app.save_config("ui", {"period": ui["period"]})
        self.load(None)

    def action_toggle_margin(self) -> None:
        abc = self.app.cfg["abc"]
        abc["amount"] = "margin" if abc["amount"] == "revenue" else "revenue"
        self.load(self.period)

    def action_limits(self) -> None:
        from .dialogs import LimitsDialog

        if self.model is None:
            return

        def done(limits: Limits | None) -> None:
            if limits is not None and self.model is not None:
                self.model.set_limits(limits)
                self.model.mode = "fixed"
                self.refresh_all()
                self.app.save_config("abc", {"a_limit": float(limits.a), "b_limit": float(limits.b), "mode": "fixed"})

        self.app.push_screen(LimitsDialog(self.model.limits), done)

    def action_toggle_computed(self) -> None:
        if self.model is not None:
            self.model.mode = "computed" if self.model.mode == "fixed" else "fixed"
            self.model.set_view(self.model.view)
            self.refresh_all()
            self.app.save_config("abc", {"mode": self.model.mode})

    def action_toggle_group(self) -> None:
        if self.model is not None:
            self.model.set_view("group" if self.model.view == "account" else "account")
            self.table.move_to(0)
            self.refresh_all()

    def action_toggle_curve(self) -> None:
        self.toggle_class("-show-curve")
