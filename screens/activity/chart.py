"""History of the score per rep: one line per rep over the recorded months."""

from __future__ import annotations

from typing import cast

from textual_plotext import PlotextPlot

from cockpit.activity.score import ActivityBook
from cockpit.i18n import axis_ticks, month, number, t
from cockpit.safe_text import safe_text

# Plotext colour names; the selected rep is drawn bold on top.
COLOURS = ("cyan", "green", "orange", "magenta", "blue", "red", "yellow", "gray")


class ScoreHistory(PlotextPlot):
    _months: list[str] = []

    def render(self):
        # As many month labels as fit without touching: plotext drops colliding
        # labels in an order that changes from run to run.
        if self._months:
            n = len(self._months)
            labels = [month(m) for m in self._months]  # "nov. 2026", not "2026-11"
            # Each label with room to spare on both sides: plotext shifts touching ones.
            fit = max(1, (self.size.width - 10) // (max(map(len, labels)) + 4))
            step = -(-n // fit)
            ticks = list(range(n - 1, -1, -step))[::-1]  # the latest month always labelled
            self.plt.xticks(cast("list[float]", ticks), [labels[i] for i in ticks])  # plotext takes ints too
        return super().render()

    def show(self, book: ActivityBook, selected: str | None, only: frozenset[str] | None = None) -> None:
        """Every rep's line; with ``only`` (a rep's view, METHOD §8) those reps'
        lines and the team's mean score, no other name."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        months = book.months
        if months:
            reps = book.reps if only is None else [r for r in book.reps if r in only]
            # (rep or None for the team's mean, label, (month, score) history, colour index)
            lines: list[tuple[str | None, str, list[tuple[str, float | None]], int]] = [
                (rep, ("▶ " if rep == selected else "") + safe_text(rep), book.history(rep), i) for i, rep in enumerate(reps)]
            if only is not None:
                lines.insert(0, (None, t("activity.chart.average"), book.average_history(), len(COLOURS) - 1))
            # The selected rep last, so its line is drawn over the others.
            for _, label, history, i in sorted(lines, key=lambda line: line[0] == selected):
                points = [(x, s) for x, (_, s) in enumerate(history) if s is not None]
                if points:
                    plt.plot([p[0] for p in points], [p[1] for p in points], label=label, marker="braille",
                             color=COLOURS[i % len(COLOURS)])
            top = max((s for _, _, history, _ in lines for _, s in history if s is not None), default=0.0)
            ticks = axis_ticks(top)
            plt.ylim(0, ticks[-1])
            plt.yticks(ticks, [number(v) for v in ticks])  # the language's numbers, never plotext's "83.3"
        self._months = months
        plt.title(t("activity.chart.title"))
        plt.ylabel(t("activity.chart.y"))
        self.refresh()
