"""Portfolio screen: the ranked clients with summary and Pareto curve, and
tabs for the evolution, the crossed ABC × potential matrix and the product ×
segment matrix, all for the period chosen with [ and ].

Edits change the in-memory model first (ranks, classes, summary and matrices
move at once), then the App commits; "enregistré" shows only once SQLite has.
"""

from __future__ import annotations

from typing import cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ProgressBar, Static, TabbedContent, TabPane

from cockpit.portfolio import periods
from cockpit.portfolio.abc import Limits
from cockpit.i18n import imported as imported_words, t
from cockpit.portfolio.model import PortfolioModel
from cockpit.report import summary_lines
from cockpit.portfolio.strategy import Strategy, load_strategy

from screens.kit.footer import CockpitFooter
from screens.kit.importing import ImportBar
from screens.kit import CockpitScreen, InlineEditor, Job, SearchBar, StatusLine
from screens.kit.search import find
from screens.kit.base import today_of
from screens.kit.keys import key_hint, translate_bindings
from screens.kit.text import Prose
from screens.portfolio.pareto import ParetoCurve
from screens.portfolio.edits import PortfolioEditing
from screens.portfolio.source import Contacts, PortfolioSource, read_contacts
from screens.portfolio.strategy_panes import CrossedPane, EvolutionPane, ProductPane, ShowClients
from screens.portfolio.allocation import AllocationPane
from screens.portfolio.winback import WinBack
from screens.kit.virtual_table import VirtualTable

TABS = ("clients", "evolution", "crossed", "products", "allocation")


class PortfolioScreen(WinBack, PortfolioEditing, CockpitScreen):
    CSS_PATH = "portfolio.tcss"
    HELP_TITLE = "portfolio.title"
    HELP_FIGURES = ["help.classes", "help.computed", "help.hhi", "help.gini", "help.disclosure", "help.churn",
                    "help.share_of_wallet", "help.zones", "help.gaps"]
    # The footer shows the keys of a rep's every day (a key widget each: fewer
    # keys, a faster first frame); F1 and ctrl+p list them all.
    BINDINGS = [
        Binding("e", "edit('amount')", "key.edit", id="portfolio.edit"),
        Binding("P", "edit('potential')", "key.potential", show=False, id="portfolio.potential"),
        Binding("slash", "search", "key.search", key_display="/", id="portfolio.search"),
        Binding("left_square_bracket", "period(-1)", "key.period_prev", key_display="[", id="portfolio.period_prev"),
        Binding("right_square_bracket", "period(1)", "key.period_next", key_display="]", id="portfolio.period_next"),
        Binding("t", "tab('clients')", "key.tab_clients", show=False, id="portfolio.tab_clients"),
        Binding("h", "tab('evolution')", "key.tab_evolution", id="portfolio.tab_evolution"),
        Binding("o", "tab('crossed')", "key.tab_crossed", id="portfolio.tab_crossed"),
        Binding("s", "tab('products')", "key.tab_products", id="portfolio.tab_products"),
        Binding("b", "tab('allocation')", "key.tab_allocation", show=False, id="portfolio.tab_allocation"),
        Binding("R", "win_back", "key.win_back", show=False, id="portfolio.win_back"),
        Binding("l", "limits", "key.limits", show=False, id="portfolio.limits"),
        Binding("c", "toggle_computed", "key.computed", id="portfolio.computed"),
        Binding("g", "toggle_group", "key.group", id="portfolio.group"),
        Binding("m", "toggle_margin", "key.margin", show=False, id="portfolio.margin"),
        Binding("y", "toggle_rolling", "key.rolling", show=False, id="portfolio.rolling"),
        Binding("p", "toggle_curve", "key.curve", show=False, id="portfolio.curve"),
        Binding("i", "import('clients')", "key.import_clients", show=False, id="portfolio.import_clients"),
        Binding("I", "import('sales')", "key.import_sales", show=False, id="portfolio.import_sales"),
    ]


    def __init__(self) -> None:
        super().__init__(id="portfolio")
        translate_bindings(self)
        self.model: PortfolioModel | None = None
        self.strategy: Strategy | None = None
        self.period: str | None = None  # None: the latest
        self.periods: list[str] = []

    def compose(self) -> ComposeResult:
        yield StatusLine("portfolio.title", id="status")
        yield ProgressBar(id="progress", show_eta=False)
        yield ImportBar(id="import")
        with TabbedContent(id="tabs", initial="tab-clients"):
            with TabPane(self._tab_label("clients"), id="tab-clients"):
                with Horizontal(id="main"):
                    yield VirtualTable(PortfolioSource(None), id="clients")  # type: ignore[arg-type]  # empty until a model loads
                    with Vertical(id="side"):
                        yield Prose("", id="summary")  # figures never cut across lines
                        yield ParetoCurve(id="curve")
            yield TabPane(self._tab_label("evolution"), id="tab-evolution")
            yield TabPane(self._tab_label("crossed"), id="tab-crossed")
            yield TabPane(self._tab_label("products"), id="tab-products")
            yield TabPane(self._tab_label("allocation"), id="tab-allocation")
        yield InlineEditor(id="cell-editor")
        yield SearchBar("search.prompt", id="search")
        yield CockpitFooter()

    def _tab_label(self, name: str) -> str:
        return f"{t('tab.' + name)} ({key_hint(self, 'portfolio.tab_' + name)})"  # the live key, after a remap

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#clients", VirtualTable)

    @property
    def editor(self) -> InlineEditor:
        return self.query_one(InlineEditor)

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 110, "-narrow")

    def on_mount(self) -> None:
        self.load()
        self.cockpit.after_first_frame(self._build_panes)

    # ---- loading (worker) ----------------------------------------------
    def load(self, period: str | None = None) -> None:
        prefetch, self.cockpit.prefetch = self.cockpit.prefetch if period is None else None, None
        if prefetch is not None and prefetch.owner != self.cockpit.scope.owner:
            prefetch = None  # read before the rep changed the view
        if prefetch is not None and prefetch.done():
            # Read while the interface started: shown in the first frame, no worker round trip.
            loaded = prefetch.result()
            if loaded is not None:
                self.show_model(loaded)
                return
        if not self.cockpit.committer.idle:  # a write pending (a conflict dialog open): read after it, the table stays
            self.cockpit.committer.when_idle(lambda: self.load(period))
            return
        # Only the first read blanks the table: a reload (another rep's commit, a
        # write of the rep's own that must land first) keeps the rows shown, the bar says it reads.
        self.table.loading = self.model is None
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=100, progress=0)
        bar.add_class("-loading")
        cfg, owner = self.cockpit.cfg, self.cockpit.scope.owner

        def tell(fraction: float) -> None:
            self.app.call_from_thread(bar.update, progress=round(100 * fraction))

        def read(ws):
            # The Clients tab needs no tab data: Evolution and Products read theirs when opened.
            loaded = prefetch.result(tell) if prefetch is not None else None
            return loaded or load_strategy(ws, cfg, period, parts=(), progress=tell, owner=owner)

        self.read_shown(read, self.show_model)

    def show_model(self, loaded: tuple) -> None:
        model, strategy, available = loaded
        self.query_one("#progress", ProgressBar).remove_class("-loading")
        cursor_client = self._client_at_cursor()
        self.model, self.strategy, self.periods = model, strategy, available
        self.period = model.data.period
        self.table.source = PortfolioSource(model, getattr(self.table.inner_source, "contacts", None))
        self.table.loading = False
        self.refresh_all()
        cfg, owner, today = self.cockpit.cfg, self.cockpit.scope.owner, today_of(self.app)
        self.cockpit.run_read(lambda ws: read_contacts(ws, cfg, owner, today), self._show_contacts)
        if not self.editor.is_open:
            self._focus_active_tab()
        if cursor_client is not None and model.has_client_id(cursor_client):
            self.table.move_to_index(model.ranked.rank_of_client(model.index_of_client_id(cursor_client)))
        self._offer_draft()

    def _show_contacts(self, contacts: Contacts) -> None:
        source = self.table.inner_source
        if isinstance(source, PortfolioSource):
            source.contacts = contacts
            self.table.reload()

    def _client_at_cursor(self) -> int | None:
        m = self.model
        if m is None or not len(m.ranked) or m.view != "account":
            return None
        return int(m.data.client_id[int(m.ranked.order[self.table.cursor_index])])

    # ---- screen out -----------------------------------------------------
    def refresh_all(self) -> None:
        if self.model is None:
            return
        self.table.reload()
        self.update_status()
        # The table paints first; summary, curve and tab follow after that frame
        # (at a million clients they cost more than the table), once per burst.
        if not self._side_pending:
            self._side_pending = True
            self.cockpit.after_first_frame(self._refresh_side)

    _side_pending = False

    def _refresh_side(self) -> None:
        self._side_pending = False
        m = self.model
        if m is None:
            return
        s = m.summary()
        empty = t("portfolio.empty") if self.periods else t(  # a workspace with no amount at all: how to fill it
            "portfolio.empty_workspace", clients=key_hint(self, "portfolio.import_clients"),
            sales=key_hint(self, "portfolio.import_sales"))
        self.query_one("#summary", Static).update(Text("\n".join(summary_lines(s)) if len(m.ranked) else empty))
        self.query_one("#curve", ParetoCurve).show(m, s)
        self._refresh_tab()

    def _refresh_tab(self) -> None:
        active = self.query_one(TabbedContent).active.removeprefix("tab-")
        if self.strategy is None or active == "clients" or not self._pane_built(active):
            return
        if active == "allocation":  # the core reads its own figures, over the view's owner
            self.query_one(AllocationPane).load()
            return
        missing = self.strategy.missing(active)
        if missing:
            pane = self.query_one(f"#{active}")
            pane.loading = True
            strategy = self.strategy

            def shown(_: object) -> None:
                pane.loading = False
                if strategy is self.strategy:
                    self._refresh_tab()

            self.cockpit.run_db(lambda ws: strategy.load_parts(ws, missing), shown)
            return
        if active == "evolution":
            self.query_one(EvolutionPane).show(self.strategy)
        elif active == "crossed":
            self.query_one(CrossedPane).show(self.strategy)
        else:
            matrix = self.cockpit.cfg.matrix
            self.query_one(ProductPane).show(self.strategy, matrix["winners"], matrix["gap_ratio"])

    def _build_panes(self) -> None:
        for name in TABS[1:]:
            self._pane_built(name)

    def _pane_built(self, name: str) -> bool:
        """The strategy tabs are built after the first frame (their tables
        and chart, plotext included, are not in it), or when opened before."""
        if self.query(f"#{name}"):
            return True
        tab = self.query_one(f"#tab-{name}", TabPane)
        if not tab.is_attached:  # the app is quitting
            return False
        tab.mount({"evolution": EvolutionPane, "crossed": CrossedPane, "products": ProductPane,
                   "allocation": AllocationPane}[name](id=name))
        self.call_after_refresh(self._refresh_tab)
        return False

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._refresh_tab()

    def update_status(self, note: str = "") -> None:
        if self.model is None:
            return
        m = self.model
        period = m.data.period
        if periods.is_rolling(period):
            period = t("period.rolling", end=period[1:])
        status = t("portfolio.status", view=t(f"portfolio.view.{m.view}"),
                   mode=t(f"portfolio.mode.{m.mode}"), amount=t("col.amount" if m.amount_field == "revenue" else "col.margin"))
        self.query_one(StatusLine).show([status], note=note or None, where=[t("portfolio.status.period", period=period)])

    # ---- search --------------------------------------------------------
    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search", SearchBar)

    def action_search(self) -> None:
        self.action_tab("clients")
        self.search_bar.open()

    @on(SearchBar.Sought, "#search")
    def _sought(self, event: SearchBar.Sought) -> None:
        # As the rep types, the match at or after the cursor; Enter or ↓ the next one, ↑ the previous.
        if self.model is not None:
            source = cast("PortfolioSource", self.table.inner_source)
            find(self.search_bar, self.table, source.match_ranks, event,
                 lambda text: self.cockpit.tell(t("search.none", text=text), "warning"))

    @on(SearchBar.Closed, "#search")
    def _search_closed(self) -> None:
        self.search_bar.border_subtitle = ""
        self.table.focus()

    def key_escape(self) -> None:
        if self.editor.is_open or self.search_bar.is_open:
            self.editor.close()
            self.search_bar.close()
            self.table.focus()
        else:
            self.query_one(ImportBar).stop()  # an import running: stopped, nothing written

    # ---- views, periods, limits ----------------------------------------
    def action_tab(self, name: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{name}"
        self._focus_active_tab()

    def _focus_active_tab(self) -> None:
        name = self.query_one(TabbedContent).active.removeprefix("tab-")
        # Now, not on the next tick: an entry opened right after (e, /) keeps the focus.
        self.set_focus(self.table if name == "clients" else self.query_one(f"#{name} DataTable"))

    def on_show_clients(self, event: ShowClients) -> None:
        from screens.dialogs import ClientListDialog

        def jump(index: int | None) -> None:
            if index is not None and self.model is not None:
                self.model.set_view("account")
                self.action_tab("clients")
                self.refresh_all()
                self.table.move_to_index(self.model.ranked.rank_of_client(index))

        self.app.push_screen(ClientListDialog(event.title, event.rows), jump)

    def action_period(self, step: int) -> None:
        if not self.periods or self.period not in self.periods:
            return
        i = self.periods.index(self.period) + step
        if 0 <= i < len(self.periods):
            # The period asked, at once: a second `]` typed before the read
            # lands steps from it, and reloads meanwhile read it.
            self.period = self.periods[i]
            self.load(self.period)

    def action_toggle_rolling(self) -> None:
        period = "year" if self.cockpit.cfg.ui.period == "rolling12" else "rolling12"
        self.cockpit.save_config("ui", {"period": period})
        self.load(None)

    def action_toggle_margin(self) -> None:
        # For this session only: the rep's view, not a setting to keep.
        amount = "margin" if self.cockpit.cfg.abc.amount == "revenue" else "revenue"
        self.cockpit.cfg = self.cockpit.cfg.updated("abc", {"amount": amount})
        self.load(self.period)

    def action_limits(self) -> None:
        from screens.dialogs import LimitsDialog

        if self.model is None:
            return

        def done(limits: Limits | None) -> None:
            if limits is not None and self.model is not None:
                self.model.set_limits(limits)
                self.model.set_mode("fixed")
                self.refresh_all()
                self.cockpit.save_config("abc", {"a_limit": float(limits.a), "b_limit": float(limits.b), "mode": "fixed"})

        self.app.push_screen(LimitsDialog(self.model.limits, self.model.amount_field), done)

    def action_toggle_computed(self) -> None:
        if self.model is not None:
            self.model.set_mode("computed" if self.model.mode == "fixed" else "fixed")
            self.refresh_all()
            self.cockpit.save_config("abc", {"mode": self.model.mode})

    def action_toggle_group(self) -> None:
        if self.model is not None:
            self.model.set_view("group" if self.model.view == "account" else "account")
            self.table.move_to(0)
            self.refresh_all()

    def action_import(self, kind: str) -> None:
        """Import a CSV/XLSX, all or nothing, in the queue of writes: a progress
        bar shows it, Escape stops it (nothing written), a bad row opens a dialog."""
        from screens.kit.importing import ask_and_import

        def imported(count: int) -> None:
            self.cockpit.say(imported_words(kind, count, self.cockpit.workspace.path))
            self.cockpit.data_changed("clients")

        ask_and_import(self, kind, self.period, imported)

    def action_toggle_curve(self) -> None:
        self.toggle_class("-show-curve")
