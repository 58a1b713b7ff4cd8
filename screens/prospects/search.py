"""The Prospects screen's search: the kit's bar, filtering the rows as the
rep types; every row shown is a match, counted "2/5" as ↓ ↑ go through them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from screens.kit import SearchBar

if TYPE_CHECKING:
    from screens.kit.virtual_table import VirtualTable


class ProspectSearch:
    """Mixed into ProspectsScreen (table, filters, refresh_all)."""

    if TYPE_CHECKING:
        @property
        def table(self) -> VirtualTable: ...
        filters: dict[str, Any]

        def refresh_all(self, focus_id: int | None = None) -> None: ...
        def focus_list(self) -> None: ...

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#p-search", SearchBar)  # type: ignore[attr-defined]  # a Screen's

    def action_search(self) -> None:
        self.search_bar.open()

    # Handlers by name: a mixin's @on is not collected (only Textual classes' own).
    def on_search_bar_sought(self, event: SearchBar.Sought) -> None:
        # The rows filter as the rep types (every row shown is a match: the bar counts
        # "2/5" as the cursor goes with ↓ ↑); Enter keeps the filter and goes back to the table.
        if event.arrow:
            n = self.table.source.row_count()
            if n:
                self.table.move_to((self.table.cursor_row + (-1 if event.backwards else 1)) % n)
        elif event.again:
            event.bar.close()
            self.focus_list()
            return
        else:
            self.filters["text"] = event.text.strip()
            self.refresh_all()
        n = self.table.source.row_count()
        if event.text.strip():
            event.bar.count(min(self.table.cursor_row + 1, n), n)

    def on_search_bar_closed(self, event: SearchBar.Closed) -> None:
        event.bar.value = ""  # Escape clears the filter (the change is posted as a search for "")
        self.focus_list()

