"""Portfolio screen: the ranked clients, the summary and the Pareto curve.

The screen edits the in-memory model first (ranks, classes and summary move
at once), then asks the App to commit; "enregistré" shows only once SQLite
has committed.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Static

from cockpit.abc import Limits
from cockpit.i18n import money, t
from cockpit.portfolio import PortfolioModel
from cockpit.report import summary_lines
from cockpit.tabular import parse_amount_cents, sniff_decimal
from cockpit.workspace import Conflict, Edit

from .base import CockpitScreen
from .keys import translate_bindings
from .pareto import ParetoCurve
from .portfolio_source import PortfolioSource
from .virtual_table import VirtualTable


class PortfolioScreen(CockpitScreen):
    HELP_TITLE = "portfolio.title"
    HELP_FIGURES = ["help.classes", "help.computed", "help.hhi", "help.gini", "help.disclosure"]
    BINDINGS = [
        Binding("e", "edit", "key.edit", id="portfolio.edit"),
        Binding("slash", "search", "key.search", key_display="/", id="portfolio.search"),
        Binding("l", "limits", "key.limits", id="portfolio.limits"),
        Binding("c", "toggle_computed", "key.computed", id="portfolio.computed"),
        Binding("g", "toggle_group", "key.group", id="portfolio.group"),
        Binding("p", "toggle_curve", "key.curve", id="portfolio.curve"),
    ]

    def __init__(self) -> None:
        super().__init__(id="portfolio")
        translate_bindings(self)
        self.model: PortfolioModel | None = None
        self._editing: int | None = None  # client index under edit

    def compose(self) -> ComposeResult:
        yield Static("", id="status", markup=False)
        with Horizontal(id="main"):
            yield VirtualTable(PortfolioSource(None), id="clients")  # type: ignore[arg-type]
            with Vertical(id="side"):
                yield Static("", id="summary", markup=False)
                yield ParetoCurve(id="curve")
        yield Input(id="cell-editor", select_on_focus=True)
        yield Input(id="search", placeholder=t("search.prompt"))
        yield Footer()

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 110, "-narrow")

    def action_toggle_curve(self) -> None:
        self.toggle_class("-show-curve")

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#clients", VirtualTable)

    def on_mount(self) -> None:
        self.table.loading = True
        self.app.run_db(self._load, self.show_model)

    def _load(self, ws) -> PortfolioModel:
        """Runs in a worker: read the period and rank it off the UI thread."""
        abc = self.app.cfg["abc"]
        data = ws.load_portfolio(None, abc["amount"])
        model = PortfolioModel(data, Limits.of(abc["a_limit"], abc["b_limit"]), abc["mode"], abc["by"],
                               self.app.cfg["diagnosis"], abc["amount"])
        model.summary()  # warms the computed limits too
        return model

    # ---- model in, screen out ------------------------------------------
    def show_model(self, model: PortfolioModel) -> None:
        self.model = model
        self.table.source = PortfolioSource(model)
        self.table.loading = False
        self.table.focus()
        self.refresh_all()

    def refresh_all(self) -> None:
        if self.model is None:
            return
        m = self.model
        self.table.reload()
        s = m.summary()
        self.query_one("#summary", Static).update(Text("\n".join(summary_lines(s)) if m.ranked.total or len(m.ranked) else t("portfolio.empty")))
        self.query_one("#curve", ParetoCurve).show(m, s)
        self.update_status()

    def update_status(self, note: str = "") -> None:
        if self.model is None:
            return
        m = self.model
        status = t("portfolio.status", period=m.data.period, view=t(f"portfolio.view.{m.view}"),
                   mode=t(f"portfolio.mode.{m.mode}"), amount=t("col.amount" if m.amount_field == "revenue" else "col.margin"))
        self.query_one("#status", Static).update(Text(status + (f" · {note}" if note else "")))

    # ---- editing -------------------------------------------------------
    def action_edit(self) -> None:
        m = self.model
        if m is None or not len(m.ranked):
            return
        if m.view != "account":
            self.app.say(t("edit.group_view"), "warning")
            return
        rank = self.table.cursor_row
        self._editing = int(m.ranked.order[rank])
        editor = self.query_one("#cell-editor", Input)
        _, y = self.table.cursor_screen_offset()
        amount_col = 3
        x = self.table.column_x(amount_col)
        editor.styles.offset = (self.table.region.x + x - 1, self.table.region.y + y - 1)
        editor.styles.width = self.table.source.columns[amount_col].width + 4
        editor.value = f"{m.ranked.amount_at(rank) / 100:.2f}".replace(".", ",").removesuffix(",00")
        editor.tooltip = Text(t("edit.prompt", name=m.name_at(rank)))  # a name is data, not markup
        editor.add_class("-open")
        editor.focus()

    def on_virtual_table_activated(self, event: VirtualTable.Activated) -> None:
        self.action_edit()

    def _close_editor(self) -> None:
        editor = self.query_one("#cell-editor", Input)
        editor.remove_class("-open")
        self._editing = None
        self.table.focus()

    @on(Input.Submitted, "#cell-editor")
    def commit_edit(self, event: Input.Submitted) -> None:
        m, client = self.model, self._editing
        if m is None or client is None:
            return
        text = event.value.strip()
        try:
            cents = parse_amount_cents(text, decimal=sniff_decimal([text]))
        except ValueError:
            self.app.say(t("edit.bad_amount", value=text), "error")
            return
        self._close_editor()
        self.apply_amount(client, cents, record=True)

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
                            lambda edit: self.edit_saved(edit, label), self.edit_failed)

    def edit_saved(self, edit: Edit, label: tuple[str, str, str]) -> None:
        """The commit is done: the client's version moves on, the rep is told."""
        m = self.model
        if m is not None and edit.key[1] == m.data.period:
            m.data.version[m.index_of_client_id(edit.key[0])] = edit.version
        self.update_status(t("save.done"))
        name, old, new = label
        self.app.say(t("edit.saved", name=name, old=old, new=new))

    def edit_failed(self, conflict: Conflict) -> None:
        """Someone else committed first: put back what the database holds."""
        m = self.model
        if m is None:
            return
        client = m.index_of_client_id(conflict.key[0])
        theirs = int(conflict.theirs or 0)
        m.data.version[client] = conflict.version
        self.apply_amount(client, theirs, record=False)
        self.update_status()
        self.app.say(t("edit.conflict", name=m.data.name[client], theirs=money(theirs)), "error")

    def apply_journal(self, edit: Edit, message_key: str) -> bool:
        """An undo/redo came back from the workspace: show it if it is ours."""
        m = self.model
        if m is None or not (edit.entity == "amounts" and edit.field == m.amount_field and edit.key[1] == m.data.period):
            return False
        client = m.index_of_client_id(edit.key[0])
        m.data.version[client] = edit.version
        self.apply_amount(client, int(edit.new or 0), record=False)
        self.app.say(t(message_key, name=m.data.name[client], value=money(int(edit.new or 0))))
        return True

    def data_changed(self, what: str) -> None:
        if what == "clients" and self.model is not None:
            cursor = self.table.cursor_row
            self.app.run_db(self._load, lambda model: (self.show_model(model), self.table.move_to(cursor)))

    # ---- search --------------------------------------------------------
    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("-open")
        search.focus()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self._find(event.value, self.table.cursor_row - 1)

    @on(Input.Submitted, "#search")
    def search_next(self, event: Input.Submitted) -> None:
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
        for widget_id in ("#cell-editor", "#search"):
            widget = self.query_one(widget_id, Input)
            if widget.has_class("-open"):
                widget.remove_class("-open")
                self._editing = None
                self.table.focus()

    def has_open_edit(self) -> bool:
        return self._editing is not None

    # ---- limits and views ----------------------------------------------
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
            self.refresh_all()
            self.app.save_config("abc", {"mode": self.model.mode})

    def action_toggle_group(self) -> None:
        if self.model is not None:
            self.model.set_view("group" if self.model.view == "account" else "account")
            self.table.move_to(0)
            self.refresh_all()
