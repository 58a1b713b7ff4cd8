"""The funnel drawn with plotext: one horizontal bar per stage, the prospects
that reached it (suspect on top); the table beside it has the rest."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from cockpit.i18n import t
from cockpit.prospects.funnel import Funnel


class FunnelChart(PlotextPlot):
    def show(self, funnel: Funnel) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        stages = list(reversed(funnel.stages))  # plotext draws the first label at the bottom
        labels = [t(f"prospects.stage.{s.stage}") for s in stages]
        plt.bar(labels, [s.reached for s in stages], orientation="horizontal", color="blue", width=0.6)
        top = max([s.reached for s in stages] + [1])
        step = max(1, -(-top // 5))
        plt.xticks(list(range(0, top + step, step)))  # whole prospects, not 15.5
        plt.title(t("prospects.funnel.title"))
        self.refresh()
