"""The Portfolio screen's edits: revenue and potential in place, commits in
a worker, conflicts with another rep, undo/redo, drafts kept on SIGHUP.

The model moves first (ranks, classes, summary), then the App commits;
"enregistré" shows only once SQLite has."""

from __future__ import annotations

from textual.widgets import TabbedContent

from cockpit import periods
from cockpit.i18n import money, t
from cockpit.workspace import Conflict, Edit

from .cell_editor import CellEditor
from .virtual_table import VirtualTable


class PortfolioEditing:
    """Mixed into PortfolioScreen: needs ``model``, ``strategy``, ``table``,
    ``editor``, ``refresh_all`` and ``update_status``."""

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
            if event.cents is None:  # a cleared cell is "not entered", never 0 €: nothing is saved
                self.app.say(t("edit.amount_cleared"), "warning")
                return
            self.apply_amount(client, event.cents, record=True)
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
        self.table.move_to(move.new_rank if m.view == "account" else m.groups.rank_of_client(int(m.group_of[client])))
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
        if m is not None and m.has_client_id(edit.key[0]):
            i = m.index_of_client_id(edit.key[0])
            if edit.entity == "clients":
                m.data.client_version[i] = edit.version
            elif edit.key[1] == m.data.period:
                m.data.version[i] = edit.version
        # Said on the status line, not in a toast: a toast per edit piles up over
        # the summary and every one of them is composed into each frame (~1 ms).
        name, old, new = label
        self.update_status(t("edit.saved", name=name, old=old, new=new) + " ✓")

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
        if m is None or not m.has_client_id(edit.key[0]):
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

    def export_view(self) -> tuple[str, list[str], list[list]] | None:
        """What `x` exports: the active tab's table with real numbers."""
        from cockpit import exports

        s = self.strategy
        if s is None:
            return None
        tab = self.query_one(TabbedContent).active.removeprefix("tab-")
        if tab == "clients":
            return ("clients", *exports.clients_table(s)) if self.model.view == "account" else None
        if s.missing(tab):
            return None
        if tab == "evolution":
            return ("evolution", *exports.evolution_table(s.evolution()))
        if tab == "crossed":
            return ("matrix", *exports.matrix_table(s))
        return ("products", *exports.products_table(s, self.app.cfg["matrix"]["gap_ratio"]))

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
        self.table.move_to(m.ranked.rank_of_client(client))
        self.action_edit("potential" if draft.get("what") == "potential" else "amount")
        self.editor.value = str(draft.get("text", ""))
        self.app.say(t("draft.restored", name=m.data.name[client]), "warning")
