"""Time allocation tab (METHOD §7, issue 15 item 4): per class and per zone,
the share of the contacts against the share of the revenue (the margin in
margin mode) and of the potential, over the view's portfolio (the rep's or
the team's, METHOD §8). The findings in words come first, from the core
(cockpit.action.allocation), so they show whole at 80×24; then the table,
and a plotext bar chart (below 110 columns it takes the table's place on `p`,
as the Clients tab's curve does)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from cockpit.action.allocation import NO_ZONE, Allocation, Share, load_allocation
from cockpit.i18n import counted, number, pct, t, tm

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

    from screens.app import CockpitApp

FINDING_STYLE = {"expensive": "bold red", "neglected": "bold yellow"}
COLOURS = ("blue", "green", "magenta")  # contacts, revenue, potential: the same names in plotext and rich


def group_label(axis: str, key: str, short: bool = False) -> str:
    if axis == "class":
        return key if short else t("action.allocation.class", cls=key)
    if key == NO_ZONE:
        return t("allocation.no_zone.short" if short else "action.report.no_zone")
    return t(f"allocation.zone.{key}") if short else t(f"zone.{key}")


def words(a: Allocation, who: str, weight: float) -> list[str]:
    """The head line, then the core's verdict: each finding, or that time follows value, or no contact yet."""
    head = t("allocation.head", who=who, contacts=counted("contacts", float(a.contacts), 2), weight=number(weight, 2))
    return [head] + [f"• {x}" if a.findings and a.contacts else x for x in a.verdict()]


class AllocationPane(Vertical):
    asked = 0  # reads asked: only the latest is shown
    def compose(self) -> ComposeResult:
        yield Static("", id="allocation-words", markup=False)
        from textual_plotext import PlotextPlot  # plotext only when the tab is built, not at start-up

        with Horizontal(id="allocation-body"):
            yield DataTable(id="allocation-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="allocation-chart"):
                yield Static("", id="allocation-legend", markup=False)  # above the bars, never over them
                yield PlotextPlot(id="allocation-chart-class")
                yield PlotextPlot(id="allocation-chart-zone")

    @property
    def cockpit(self) -> "CockpitApp":
        return self.app  # type: ignore[return-value]  # mounted in the cockpit

    def load(self) -> None:
        """Read over the view's owner (the latest period's classes against the whole visit log)."""
        cfg, owner = self.cockpit.cfg, self.cockpit.scope.owner
        self.asked = asked = self.asked + 1

        def shown(a: Allocation) -> None:
            if asked == self.asked:  # a later read (another view, an edit) wins
                self.show(a, owner)

        self.cockpit.run_read(lambda ws: load_allocation(ws, cfg, owner), shown)

    def show(self, a: Allocation, owner: str | None) -> None:
        self.allocation = a
        cfg, scope = self.cockpit.cfg, self.cockpit.scope
        who = t("action.report.team") if owner is None else scope.names.get(owner, owner)
        self.lines = words(a, who, cfg.rhythm.call_weight)
        self.query_one("#allocation-words", Static).update(Text("\n".join(self.lines)))
        found: dict[tuple[str, str], str] = {(f.axis, f.share.key): f.kind for f in a.findings}
        table = self.query_one(DataTable)
        table.clear(columns=True)
        field = cfg.abc.amount
        for key in ("group", "clients", "contacts", "contact_share", "revenue_share", "potential_share"):
            table.add_column(Text(tm(f"allocation.col.{key}", field), justify="left" if key == "group" else "right"),
                             key=key)
        for axis, shares in (("class", a.by_class), ("zone", a.by_zone)):
            for s in shares:
                style = FINDING_STYLE.get(found.get((axis, s.key), ""), "")
                table.add_row(Text(group_label(axis, s.key), style=style), *self._figures(s), key=f"{axis}:{s.key}")
        self._chart(a, field)

    @staticmethod
    def _figures(s: Share) -> list[Text]:
        share = [("—" if v is None else pct(v)) for v in (s.contact_share, s.revenue_share, s.potential_share)]
        return [Text(v, justify="right") for v in (number(s.clients), number(float(s.contacts), 2), *share)]

    def _chart(self, a: Allocation, field: str) -> None:
        series = [t("allocation.legend.contacts"), tm("allocation.legend.revenue", field), t("allocation.legend.potential")]
        legend = Text(" ")
        for name, colour in zip(series, COLOURS):
            legend.append("██", style=colour).append(f" {name}  ")
        self.query_one("#allocation-legend", Static).update(legend)
        for axis, shares in (("class", a.by_class), ("zone", a.by_zone)):
            plot = cast("PlotextPlot", self.query_one(f"#allocation-chart-{axis}"))
            plt = plot.plt
            plt.clear_figure()
            names = [group_label(axis, s.key, short=True) for s in shares]
            values = [[float(v or 0) * 100 for v in (s.contact_share for s in shares)],
                      [float(v or 0) * 100 for v in (s.revenue_share for s in shares)],
                      [float(v or 0) * 100 for v in (s.potential_share for s in shares)]]
            # Horizontal: the names on the side, each on its line (side by side, plotext dropped
            # the ones that did not fit, not always the same ones).
            plt.multiple_bar(names, values, color=list(COLOURS), orientation="horizontal")  # type: ignore[arg-type]  # plotext takes a colour per series; the stub says one
            plt.xlim(0, 100)
            ticks = list(range(0, 101, 25))  # labelled in the language's numbers, never plotext's floats
            plt.xticks(cast("list[float]", ticks), [number(v) for v in ticks])
            plt.title(t(f"allocation.chart.{axis}"))
            plot.refresh()
