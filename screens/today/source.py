"""What the Today table shows: one line per client or prospect to act on,
most urgent first (cockpit.action.today), in the rep's words."""

from __future__ import annotations

from rich.text import Text

from cockpit.action.today import TodayLine
from cockpit.i18n import money, t, tn
from cockpit.safe_text import safe_text

from screens.kit.virtual_table import Column


def days_text(line: TodayLine) -> str:
    """How late, or how long without a contact, in words a rep reads at a glance."""
    if line.reason == "reminder":
        return t("today.days.today") if not line.days else tn("today.days.late", line.days, n=line.days)
    if line.days is None:
        return t("today.days.never")
    return tn("today.days.since", line.days, n=line.days)


class TodaySource:
    def __init__(self, lines: list[TodayLine], names: dict[str, str]) -> None:
        self.lines, self.names = lines, names

    @property
    def columns(self) -> list[Column]:
        return [
            Column(t("today.col.reason"), 10),
            Column(t("today.col.name"), 0, min_width=14, want=24),
            Column(t("today.col.class"), 6),
            Column(t("today.col.days"), 18),
            Column(t("today.col.action"), 0, min_width=10, want=18),  # what to do: shown at 80 columns too
            Column(t("today.col.potential"), 12, "right", optional=True),
            Column(t("today.col.owner"), 14, optional=True),
        ]

    def row_count(self) -> int:
        return len(self.lines)

    def row(self, index: int) -> list[Text]:
        line = self.lines[index]
        reason = t(f"today.reason.{line.reason}")
        urgent = "bold red" if line.overdue else ""
        name = line.name if not line.code else f"{line.name} ({line.code})"
        cls = line.cls or ("—" if line.target[0] == "client" else t("today.prospect"))
        action = line.action  # its date is in the lateness beside it
        return [
            Text(reason, style=urgent),
            Text(safe_text(name)),
            Text(cls),
            Text(days_text(line), style=urgent),
            Text(safe_text(action)),
            Text(money(line.potential) if line.potential is not None and line.potential >= 0 else "—"),
            Text(safe_text(self.names.get(line.owner or "", line.owner or "—"))),
        ]
