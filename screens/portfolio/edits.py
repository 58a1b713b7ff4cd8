"""The Portfolio screen's edits: revenue and potential in place, through the
kit's one editor and the App's one committer; undo/redo shown; drafts kept
on SIGHUP and offered back with the version they were typed against.

The model moves first (ranks, classes, summary), then the App commits;
"enregistré" shows only once SQLite has."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.widgets import TabbedContent

from cockpit.portfolio import periods
from cockpit.i18n import current, money, t
from cockpit.store.workspace import Edit

from screens.kit import Commit, Described, EditField, InlineEditor, amount_text, parse_amount
from screens.kit.virtual_table import VirtualTable
from screens.kit.keys import key_hint

if TYPE_CHECKING:  # a mixin of a CockpitScreen: typed as one
    from cockpit.portfolio.model import PortfolioModel
    from cockpit.portfolio.strategy import Strategy
    from screens.portfolio.source import PortfolioSource
    from screens.kit.base import CockpitScreen as _ScreenBase
else:
    _ScreenBase = object


def _money_or_dash(value: Any) -> str:
    return "—" if value is None or int(value) < 0 else money(int(value))


class PortfolioEditing(_ScreenBase):
    """Mixed into PortfolioScreen: needs ``model``, ``strategy``, ``table``,
    ``editor``, ``refresh_all`` and ``update_status``."""
    if TYPE_CHECKING:  # the screen's own, which this mixin is part of
        model: PortfolioModel | None
        strategy: Strategy | None
        period: str | None
        @property
        def table(self) -> VirtualTable: ...
        @property
        def editor(self) -> InlineEditor: ...
        def load(self, period: str | None = None) -> None: ...
        def refresh_all(self) -> None: ...
        def update_status(self, note: str = "") -> None: ...
        def action_tab(self, name: str) -> None: ...
        def action_toggle_group(self) -> None: ...


    # ---- editing -------------------------------------------------------
    def action_edit(self, what: str, draft: dict[str, Any] | None = None) -> None:
        m = self.model
        if m is None or not len(m.ranked):
            return
        if m.view != "account":
            self.cockpit.say(t("edit.group_view", hint=key_hint(self, "portfolio.group")), "warning")
            return
        if periods.is_rolling(m.data.period) and what == "amount":
            self.cockpit.say(t("edit.rolling", hint=key_hint(self, "portfolio.rolling")), "warning")
            return
        switched = self.query_one(TabbedContent).active != "tab-clients"
        self.action_tab("clients")
        rank = self.table.cursor_index  # the rank under the cursor, whatever the sort
        client = int(m.ranked.order[rank])
        # The entry holds the client's id, not its row: the rows are the data's, and data read again has its own.
        cid = int(m.data.client_id[client])
        source = cast("PortfolioSource", self.table.source)  # the clients table
        name = m.name_at(rank)
        if what == "amount":
            old = m.ranked.amount_at(rank)
            version = int(m.data.version[client])
            field = EditField(name, t("col.amount" if m.amount_field == "revenue" else "col.margin"), amount_text(old),
                              parse_amount, ("amount", cid, version, old), amount=old)
            column = source.amount_column
        else:
            potential = int(m.data.potential[client])
            version = int(m.data.client_version[client])
            old_potential = None if potential < 0 else potential
            field = EditField(name, t("col.potential"), amount_text(old_potential), parse_amount,
                              ("potential", cid, version, old_potential), amount=old_potential, optional_amount=True)
            column = source.potential_column
        if draft is not None:  # typed before the link dropped, checked against the version seen then
            field.text = str(draft.get("text", ""))
            field.target = (what, cid, int(draft.get("version", version)), draft.get("seen", field.target[3]))
        if switched:  # the clients' table is laid out on the next refresh: over it then, not over the old tab
            self.call_after_refresh(lambda: self.editor.open_over(self.table, column, field, keep_text=draft is not None))
        else:
            self.editor.open_over(self.table, column, field, keep_text=draft is not None)

    def on_virtual_table_activated(self, event: VirtualTable.Activated) -> None:
        """Enter opens the client's card (METHOD §7); the amount stays on `e`."""
        m = self.model
        if event.table.id == "clients" and m is not None and m.view == "account" and len(m.ranked):
            from screens.today.card import open_card

            open_card(self.cockpit, str(m.data.code[int(m.ranked.order[event.table.cursor_index])]))

    def on_inline_editor_done(self, event: InlineEditor.Done) -> None:
        what, cid, version, seen = event.field.target
        assert self.model is not None  # not replaced while an entry is open (CockpitScreen.read_shown)
        client = self.model.index_of_client_id(cid)
        if what == "amount":
            self.apply_amount(client, event.value, record=True, seen=(version, seen))
        else:
            self.apply_potential(client, event.value, record=True, seen=(version, seen))

    def _commit(self, entity: str, key: tuple[Any, ...], field: str, client: int, old: Any, new: Any,
                seen: tuple[int, Any] | None) -> None:
        """``seen``: the version and value the rep typed over (None: the row as shown now)."""
        m = self.model
        assert m is not None
        label = t("col.potential") if entity == "clients" else t("col.amount" if field == "revenue" else "col.margin")
        cid = int(m.data.client_id[client])
        self.update_status(t("kit.save.pending"))

        def apply(value: Any, version: int | None) -> None:
            if self.model is not m or not m.has_client_id(cid):
                return
            i = m.index_of_client_id(cid)
            self._set_version(entity, i, version)
            if entity == "clients":
                self.apply_potential(i, None if value is None else int(value), record=False)
            else:
                self.apply_amount(i, int(value or 0), record=False)
            self.update_status()

        def saved(edit: Edit) -> None:
            if self.model is m and m.has_client_id(cid):
                self._set_version(entity, m.index_of_client_id(cid), edit.version)

        name = m.data.name[client]
        self.cockpit.committer.submit(Commit(
            entity, key, field, new, self._version_of(entity, client) if seen is None else seen[0], name, label, old,
            based_on=None if seen is None else seen[1], has_basis=seen is not None, show=_money_or_dash,
            apply=apply, saved=saved,
            said=t("edit.saved", name=name, field=label, old=_money_or_dash(old), new=_money_or_dash(new))))

    def _set_version(self, entity: str, client: int, version: int | None) -> None:
        if version is None or self.model is None:
            return
        versions = self.model.data.client_version if entity == "clients" else self.model.data.version
        versions[client] = version

    def _version_of(self, entity: str, client: int) -> int:
        assert self.model is not None
        return int((self.model.data.client_version if entity == "clients" else self.model.data.version)[client])

    def apply_amount(self, client: int, cents: int, *, record: bool, seen: tuple[int, Any] | None = None) -> None:
        """Move the client in the model, keep the cursor on it, and (for a rep's
        edit) commit it."""
        m = self.model
        assert m is not None
        old = m.accounts.amount_of(client)
        if cents == old:
            return
        from cockpit.portfolio.abc import TotalTooLarge

        try:
            move = m.set_amount(client, cents)
        except TotalTooLarge as exc:  # the model is left as it was: said, nothing committed
            self.cockpit.tell(exc.message(current()), "error")
            return
        self.refresh_all()  # first: a sorted table sorts the new ranks again
        self.table.move_to_index(move.new_rank if m.view == "account" else m.groups.rank_of_client(int(m.group_of[client])))
        if record:
            key = (int(m.data.client_id[client]), m.data.period)
            self._commit("amounts", key, m.amount_field, client, old, cents, seen)

    def apply_potential(self, client: int, cents: int | None, *, record: bool, seen: tuple[int, Any] | None = None) -> None:
        m = self.model
        assert m is not None
        old = int(m.data.potential[client])
        m.data.potential[client] = -1 if cents is None else cents
        self.refresh_all()
        if record and (cents if cents is not None else -1) != old:
            self._commit("clients", (int(m.data.client_id[client]),), "potential", client, None if old < 0 else old,
                         cents, seen)

    def describe(self, entity: str, key: tuple[Any, ...], field: str, value: Any) -> Described | None:
        m = self.model
        if m is None or entity not in ("clients", "amounts") or not m.has_client_id(key[0]):
            return None
        name = m.data.name[m.index_of_client_id(key[0])]
        if entity == "clients" and field == "potential":
            return Described(name, t("col.potential"), _money_or_dash(value))
        if entity == "amounts" and field in ("revenue", "margin"):
            return Described(f"{name} · {key[1]}", t("col.amount" if field == "revenue" else "col.margin"),
                             _money_or_dash(value))
        return None

    def apply_journal(self, edit: Edit) -> bool:
        """An undo/redo came back from the workspace: show it if it is ours."""
        m = self.model
        if edit.field == "*" and edit.entity in ("clients", "amounts"):
            self.load(self.period)  # a client created or removed (a win undone): read again
            return True
        if m is None or not m.has_client_id(edit.key[0]):
            return False
        client = m.index_of_client_id(edit.key[0])
        if edit.entity == "clients" and edit.field == "potential":
            m.data.client_version[client] = edit.version
            self.apply_potential(client, edit.new, record=False)
        elif edit.entity == "amounts" and edit.field == m.amount_field and edit.key[1] == m.data.period:
            m.data.version[client] = edit.version
            self.apply_amount(client, int(edit.new or 0), record=False)
        else:
            return False
        return True

    def data_changed(self, what: str) -> None:
        if what in ("clients", "amounts", "visits", "external") and self.model is not None:  # visits: the Contact column
            self.load(self.period)

    def export_view(self) -> tuple[str, list[str], list[list[Any]]] | None:
        """What `x` exports: the active tab's table with real numbers."""
        from cockpit.io import exports

        s = self.strategy
        if s is None:
            return None
        tab = self.query_one(TabbedContent).active.removeprefix("tab-")
        if tab == "clients":
            return ("clients", *exports.clients_table(s)) if self.model.view == "account" else None  # type: ignore[union-attr]  # loaded with s
        if tab == "allocation":
            from cockpit.action.tables import allocation_rows

            shown = getattr(self.query_one("#allocation"), "allocation", None)
            return None if shown is None else ("allocation", *allocation_rows(shown))
        if s.missing(tab):
            return None
        if tab == "evolution":
            return ("evolution", *exports.evolution_table(s.evolution(), s.model.amount_field))
        if tab == "crossed":
            return ("matrix", *exports.matrix_table(s))
        return ("products", *exports.products_table(s, self.cockpit.cfg.matrix.gap_ratio))

    def draft(self) -> dict[str, Any] | None:
        field = self.editor.field
        if field is None or self.model is None:
            return None
        what, cid, version, seen = field.target
        return {"screen": "portfolio", "what": what, "client_id": cid,
                "period": self.model.data.period, "text": self.editor.value, "version": version, "seen": seen}

    def _offer_draft(self) -> None:
        """Reopen the entry the dropped session was typing, over its client's
        row, named, with its text and the version it was typed against."""
        draft = self.cockpit.pending_draft("portfolio")
        m = self.model
        if not draft or m is None or draft.get("period") != m.data.period:
            return
        try:
            client = m.index_of_client_id(int(draft["client_id"]))
        except (KeyError, ValueError, TypeError):
            return
        if m.view != "account":
            self.action_toggle_group()
        self.table.move_to_index(m.ranked.rank_of_client(client))
        what = "potential" if draft.get("what") == "potential" else "amount"
        self.action_edit(what, draft=draft)
        field = self.editor.field
        if field is not None:
            self.cockpit.tell(self.editor.draft_restored(), "warning")
