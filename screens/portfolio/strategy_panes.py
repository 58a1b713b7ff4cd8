"""The Portfolio screen's other tabs: evolution over periods, crossed ABC ×
potential, product × segment. Thin widgets: they draw a Strategy and post
``ShowClients`` when the rep presses Enter on a cell."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from cockpit.portfolio.abc import CLASS_LETTERS
from cockpit.portfolio.evolution import half_life, mean_churn, new_clients_to_stay_stable, survival
from cockpit.i18n import axis_ticks, counted, money, number, pct, t, tm, tn
from cockpit.safe_text import safe_text
from cockpit.portfolio.strategy import Strategy

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

ZONE_STYLE = {"fond_de_commerce": "bold green", "developpement": "bold yellow", "gestion_economique": "dim"}


class ShowClients(Message):
    """List clients in a dialog: (name, amount in cents, index into the
    model's data or None when the client is not in this period)."""

    def __init__(self, title: str, rows: list[tuple[str, int | None, int | None]]) -> None:
        super().__init__()
        self.title, self.rows = title, rows


def _rows(strategy: Strategy, clients: list[int]) -> list[tuple[str, int | None, int | None]]:
    d = strategy.model.data
    return [(safe_text(d.name[i]), int(d.amount[i]), i) for i in clients]


class EvolutionPane(Vertical):
    def compose(self) -> ComposeResult:
        yield DataTable(id="evolution-table", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="evolution-words", markup=False)
        from textual_plotext import PlotextPlot  # plotext only when the tab is built, not at start-up

        from screens.portfolio.winback import LostList

        with Horizontal(id="evolution-bottom"):
            yield LostList(id="evolution-lost")  # the lost clients to win back (METHOD §7)
            yield PlotextPlot(id="evolution-chart")

    def show(self, strategy: Strategy) -> None:
        self.strategy = strategy
        self.changes = strategy.evolution()
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key in ("period", "clients", "new", "new_revenue", "lost", "lost_revenue", "churn", "revenue_churn"):
            table.add_column(Text(tm(f"evolution.col.{key}", strategy.model.amount_field)), key=key)
        for ch in self.changes:
            table.add_row(*(Text(v, justify="right") for v in (
                safe_text(ch.period), number(ch.clients), number(len(ch.new)), money(ch.new_revenue), number(len(ch.lost)),
                money(ch.lost_revenue), "—" if ch.churn is None else pct(ch.churn),
                "—" if ch.revenue_churn is None else pct(ch.revenue_churn))), key=ch.period)
        churn = mean_churn(self.changes)
        words = self.query_one("#evolution-words", Static)
        clients = self.changes[-1].clients if self.changes else 0
        if churn is None:
            words.update(Text(t("evolution.no_history")))
        else:
            life = half_life(churn)
            words.update(Text(t("evolution.words", churn=pct(churn), years=counted("years", math.inf if life is None else life, 1),
                                need=counted("new_clients", float(new_clients_to_stay_stable(churn, clients)), 1),
                                clients=counted("clients", clients)) + " " + t("evolution.words.list")))
        self._chart(churn, clients)
        from screens.portfolio.winback import LostList

        self.query_one(LostList).load(strategy.model.data.period, strategy.owner)

    def _chart(self, churn: float | None, clients: int) -> None:
        plot = cast("PlotextPlot", self.query_one("#evolution-chart"))
        plt = plot.plt
        plt.clear_figure()
        plt.subplots(1, 2)
        periods = [ch.period for ch in self.changes]
        left = plt.subplot(1, 1)
        left.multiple_bar(periods, [[len(ch.new) for ch in self.changes], [len(ch.lost) for ch in self.changes]],
                          labels=[t("evolution.col.new"), t("evolution.col.lost")])  # type: ignore[call-arg]  # plotext takes labels=; the stub says label
        _count_axis(left, max([len(ch.new) for ch in self.changes] + [len(ch.lost) for ch in self.changes] + [0]))
        left.title(t("evolution.chart"))
        right = plt.subplot(1, 2)
        counts = [ch.clients for ch in self.changes]
        right.plot(list(range(len(counts))), counts, label=t("evolution.col.clients"), marker="braille")
        last = len(counts) - 1
        if churn is not None and clients:
            # Drawn next to the measured counts: what is left with no prospecting.
            right.plot(list(range(last, last + 11)), [clients * s for s in survival(churn, 10)],
                       label=t("evolution.projection"), marker="braille")
            last += 10
        _count_axis(right, max(counts + [0]))
        steps = [x for x in axis_ticks(max(last, 1)) if x <= last]  # years from the first period
        right.xticks(steps, [number(x) for x in steps])
        right.title(t("evolution.projection_title"))
        plot.refresh()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        column = event.cell_key.column_key.value
        if column not in ("new", "lost"):
            return
        change = next(ch for ch in self.changes if ch.period == event.cell_key.row_key.value)
        ids = change.new if column == "new" else change.lost
        d = self.strategy.model.data
        index = {int(c): i for i, c in enumerate(d.client_id)}
        # Lost clients are not in this period's data: named from the workspace,
        # with what they bought the period before.
        before = self.strategy.history_of(change.period, previous=column == "lost")
        names = cast("dict[int, str]", self.strategy.names)  # read with the evolution tab's parts
        rows = [(names.get(c, str(c)), before.get(c), index.get(c)) for c in ids]
        self.post_message(ShowClients(tm(f"evolution.list.{column}", self.strategy.model.amount_field, period=change.period), rows))


def _count_axis(plot: Any, top: int) -> None:
    """Whole counts up the side, in the language's numbers: plotext's own
    ticks are English decimals ("7.0", "49.5") whatever the language."""
    ticks = axis_ticks(max(top, 5))  # at least 0–5: a step of one client, never half a one
    plot.ylim(0, ticks[-1])
    plot.yticks(ticks, [number(v) for v in ticks])


class CrossedPane(Horizontal):
    def compose(self) -> ComposeResult:
        yield DataTable(id="crossed-table", cursor_type="cell")
        yield Static("", id="crossed-info", markup=False)

    def show(self, strategy: Strategy) -> None:
        self.strategy = strategy
        self.matrix, self.current, self.potential = strategy.crossed()
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column(Text(t("crossed.corner")), key="row")
        for c in range(3):
            table.add_column(Text(t("crossed.current", cls=CLASS_LETTERS[c])), key=str(c), width=19)
        m = self.matrix
        for p in range(3):
            cells = [Text(t("crossed.potential", cls=CLASS_LETTERS[p]))]
            for c in range(3):
                zone = m.zones[p][c]
                cells.append(Text.assemble((t(f"zone.{zone}"), ZONE_STYLE[zone]), "\n",
                                           f"{number(int(m.counts[p, c]))} · {money(int(m.revenue[p, c]))}"))
            table.add_row(*cells, key=str(p), height=2)
        table.cursor_coordinate = cursor
        self._info()

    def _info(self) -> None:
        table = self.query_one(DataTable)
        p, c = table.cursor_coordinate.row, max(1, table.cursor_coordinate.column) - 1
        m = self.matrix
        lines = Text()
        if m.missing_count:
            lines.append(tn("crossed.missing", m.missing_count, self.strategy.model.amount_field, n=number(m.missing_count),
                            amount=money(m.missing_revenue)) + "\n\n", "bold")
        for zone, (n, amount) in m.zone_totals().items():
            lines.append(t("crossed.zone_total", zone=t(f"zone.{zone}"), n=number(n), amount=money(amount)) + "\n",
                         ZONE_STYLE[zone])
        zone = m.zones[min(p, 2)][c]
        lines.append("\n" + t("crossed.questions", zone=t(f"zone.{zone}")) + "\n", "bold")
        lines.append(t(f"zone.{zone}.questions"))
        self.query_one("#crossed-info", Static).update(lines)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._info()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        p, c = event.coordinate.row, event.coordinate.column - 1
        if c < 0:
            return
        clients = [int(i) for i in (self.potential == p).nonzero()[0] if self.current[i] == c]
        clients.sort(key=lambda i: -int(self.strategy.model.data.amount[i]))
        title = t("crossed.list", potential=CLASS_LETTERS[p], current=CLASS_LETTERS[c], zone=t(f"zone.{self.matrix.zones[p][c]}"))
        self.post_message(ShowClients(title, _rows(self.strategy, clients)))


class ProductPane(Vertical):
    def compose(self) -> ComposeResult:
        yield DataTable(id="product-table", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="product-info", markup=False)

    def show(self, strategy: Strategy, winners: int, gap_ratio: float) -> None:
        self.strategy = strategy
        m, _ = strategy.products()
        self.matrix = m
        top = set(m.winners(winners, *strategy.winner_rule))  # by ratio to the mix (METHOD §4)
        gaps = m.gaps(gap_ratio)
        gap_cells = {(s, p) for s, p, _ in gaps}
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(Text(t(f"products.segment.{strategy.segment}")), key="segment")
        for j, product in enumerate(m.products):
            table.add_column(Text(safe_text(product)), key=f"p{j}")
        table.add_column(Text(t("products.total")), key="total")
        table.add_column(Text(t("products.share")), key="share")
        grand = m.grand_total
        for i, segment in enumerate(m.segments):
            row = [Text(safe_text(segment))]
            for j in range(len(m.products)):
                mark, style = ("★ ", "bold green") if (i, j) in top else ("▼ ", "red") if (i, j) in gap_cells else ("", "")
                row.append(Text(mark + money(int(m.cells[i, j])), style=style, justify="right"))
            row += [Text(money(int(m.row_totals[i])), justify="right", style="bold"),
                    Text(pct(m.row_totals[i] / grand) if grand else "—", justify="right")]
            table.add_row(*row, key=f"s{i}")
        totals = [Text(t("products.total"), style="bold")] + [Text(money(int(v)), justify="right", style="bold") for v in m.col_totals]
        table.add_row(*totals, Text(money(grand), justify="right", style="bold"), Text(pct(1.0) if grand else "—", justify="right"), key="total")
        info = Text(t("products.legend") + "\n", "dim")
        for s, p, shortfall in gaps[:6]:
            info.append(t("products.gap", segment=m.segments[s], product=m.products[p], shortfall=money(shortfall),
                          ratio=number(float(cast("Fraction", m.ratio(s, p))), 2)) + "\n")  # a gap has a ratio
        self.query_one("#product-info", Static).update(info)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        s, p = event.coordinate.row, event.coordinate.column - 1
        m = self.matrix
        if s >= len(m.segments) or not 0 <= p < len(m.products):
            return
        clients = [i for i, _ in self.strategy.clients_behind(m.segments[s], m.products[p])]
        self.post_message(ShowClients(t("products.list", segment=m.segments[s], product=m.products[p]), _rows(self.strategy, clients)))
