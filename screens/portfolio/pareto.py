"""The Pareto curve: x = % of clients, y = % of revenue, A and B limits drawn."""

from __future__ import annotations

from typing import cast

from textual.containers import Container

from cockpit.i18n import number, t
from cockpit.portfolio.model import PortfolioModel, Summary


class ParetoCurve(Container):
    """Holds the plot, built on the first ``show``: importing and drawing
    plotext costs ~60 ms, which the first frame of the table does not wait for."""

    DEFAULT_CSS = "ParetoCurve { height: 1fr; } ParetoCurve > PlotextPlot { height: 1fr; }"

    def show(self, model: PortfolioModel, summary: Summary) -> None:
        from textual_plotext import PlotextPlot

        plots = self.query(PlotextPlot)
        if plots:
            plot = plots.first()
        elif not self.is_attached:  # the app quit just after its first frame: nothing to draw into
            return
        else:
            plot = PlotextPlot()
            self.mount(plot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        x, y = model.curve()
        plt.plot((x * 100).tolist(), (y * 100).tolist(), marker="braille")
        n = max(summary.n, 1)
        a_count, b_count = summary.counts[0], summary.counts[0] + summary.counts[1]
        # Limits drawn where this portfolio crosses them: the A and B class ends.
        plt.vline(100 * a_count / n, "green")
        plt.vline(100 * b_count / n, "yellow")
        plt.hline(float(summary.a_limit) * 100, "green")
        plt.hline(float(summary.b_limit) * 100, "yellow")
        plt.xlim(0, 100)
        plt.ylim(0, 100)
        ticks = list(range(0, 101, 20))  # labelled in the language's numbers, not plotext's floats
        positions = cast("list[float]", ticks)  # plotext takes ints too
        plt.xticks(positions, [number(v) for v in ticks])
        plt.yticks(positions, [number(v) for v in ticks])
        plt.title(t("portfolio.curve"))
        plt.xlabel(t("portfolio.curve.x"))
        plt.ylabel(t("portfolio.curve.y" + (".margin" if summary.amount_field == "margin" else "")))
        plot.refresh()
