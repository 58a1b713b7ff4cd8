"""The funnel drawn as text: one horizontal bar per stage, the prospects that
reached it (suspect on top); the table beside it has the rest.

Each bar is ``reached × room / most`` cells, rounded: proportional at every
size. (plotext, used before, drew two bars on one row at 80×24, so Prospect
48 was as long as Suspect 62.)"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from cockpit.i18n import number, t
from cockpit.prospects.funnel import Funnel

BAR = "█"


def bar_cells(reached: int, most: int, room: int) -> int:
    return round(reached * room / most) if most > 0 else 0


class FunnelChart(Widget):
    DEFAULT_CSS = "FunnelChart { color: $text; } FunnelChart > .funnel-chart--bar { color: $accent; }"
    COMPONENT_CLASSES = {"funnel-chart--bar"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stages: list[tuple[str, int]] = []

    def show(self, funnel: Funnel) -> None:
        self.stages = [(t(f"prospects.stage.{s.stage}"), s.reached) for s in funnel.stages]
        self.refresh()

    def as_text(self) -> str:
        """The bars as plain text (ctrl+s with a .txt name)."""
        return self.render().plain

    def render(self) -> Text:
        width, height = self.size
        out = Text(no_wrap=True, overflow="crop")
        out.append(t("prospects.funnel.title").center(width).rstrip(), style="bold")
        if not self.stages:
            return out
        label = max(len(name) for name, _ in self.stages)
        counts = [number(reached) for _, reached in self.stages]
        count = max(len(c) for c in counts)
        room = max(1, width - label - count - 3)  # "label │bar count"
        most = max(reached for _, reached in self.stages)
        gap = 1 if height - 1 >= 2 * len(self.stages) else 0  # a blank line between bars when there is room
        bar_style = self.get_component_rich_style("funnel-chart--bar")
        for (name, reached), shown in zip(self.stages, counts):
            out.append("\n" * (1 + gap) + name.rjust(label) + " │")
            out.append(BAR * bar_cells(reached, most, room), style=bar_style)
            out.append(" " + shown)
        return out
