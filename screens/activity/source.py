"""What the Activity tables show: the team ranking, the selected rep's
indicators (recorded, or recorded beside a what-if scenario), the visit log."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from cockpit.activity.score import INDICATORS, Advice, Scenario, Team, change, score_of
from cockpit.activity.suggest import Proposal, Visit
from cockpit.activity.text import change_text, delta_text, ind_name, score_text, value_text
from cockpit.i18n import date, t
from cockpit.safe_text import safe_text

from screens.kit.virtual_table import Column

SCORE = "score"  # the detail table's last row


class TeamSource:
    """Reps ranked by score, best first; the weakest indicator of each."""

    def __init__(self, team: Team | None) -> None:
        self.team = team

    @property
    def columns(self) -> list[Column]:
        return [
            Column(t("activity.col.rank"), 4, "right"),
            Column(t("activity.col.rep"), 0, min_width=14),
            *(Column(t(f"activity.col.{i}"), 6, "right") for i in INDICATORS),
            Column(t("activity.col.score"), 7, "right"),
            Column(t("activity.col.weakest"), 14, optional=True),
        ]

    def row_count(self) -> int:
        return len(self.team.rows) if self.team else 0

    def row(self, index: int) -> list[Text]:
        assert self.team is not None
        r = self.team.rows[index]
        weak = ", ".join(t(f"activity.ind.{i}") for i in r.weakest)
        return [Text("—" if r.rank is None else str(r.rank)), Text(safe_text(r.rep)), *(Text(value_text(r.values[i])) for i in INDICATORS),
                Text(score_text(r.score), style="bold"), Text(weak, style="yellow")]

    def index_of(self, rep: str | None) -> int | None:
        if self.team is None:
            return None
        return next((i for i, r in enumerate(self.team.rows) if r.rep == rep), None)


class DetailSource:
    """One row per edited field (indicators or sub-criteria), then the score.

    Recorded mode: value, target, proposal, one more point, at target.
    What-if mode: recorded, scenario, delta, % change."""

    def __init__(self, fields: list[str], values: dict[str, float | None], indicators: dict[str, float | None],
                 targets: dict[str, float | None], proposals: dict[str, Proposal], advice: Advice | None,
                 scenario: Scenario | None) -> None:
        self.fields = fields
        self.values, self.indicators, self.targets = values, indicators, targets
        self.proposals, self.advice, self.scenario = proposals, advice, scenario
        # An indicator built from sub-criteria gets its own (read-only) row above them.
        self.names: list[str] = []
        for ind in INDICATORS:
            subs = [f for f in fields if f.startswith(ind + ".")]
            self.names += [ind, *subs] if subs else [ind]
        self.names.append(SCORE)

    @property
    def columns(self) -> list[Column]:
        first = Column(t("activity.col.indicator"), 0, min_width=12)
        if self.scenario is not None:
            return [first, Column(t("activity.col.recorded"), 10, "right"), Column(t("activity.col.scenario"), 9, "right"),
                    Column(t("activity.col.delta"), 7, "right"), Column(t("activity.col.change"), 9, "right")]
        return [first, Column(t("activity.col.value"), 7, "right"), Column(t("activity.col.target"), 8, "right"),
                Column(t("activity.col.proposed"), 8, "right"), Column(t("activity.col.point"), 8, "right", optional=True),
                Column(t("activity.col.at_target"), 9, "right", optional=True)]

    def row_count(self) -> int:
        return len(self.names)

    def editable(self, index: int) -> bool:
        return self.names[index] in self.fields

    def row(self, index: int) -> list[Text]:
        name = self.names[index]
        label = Text(t("activity.col.score") if name == SCORE else ind_name(name),
                     style="bold" if name == SCORE else "" if self.editable(index) or name == SCORE else "italic")
        if self.scenario is not None:
            return [label, *self._whatif(name)]
        if name == SCORE:
            proposed = {i: self.proposals[i].value for i in INDICATORS if i in self.proposals}
            return [label, Text(score_text(score_of(self.indicators)), style="bold"),
                    Text(score_text(score_of(self.targets))), Text(score_text(score_of(proposed))), Text(""), Text("")]
        if "." in name:
            return [label, Text(value_text(self.values.get(name))), Text(""), Text(""), Text(""), Text("")]
        lever = next((lv for lv in self.advice.by_point if lv.indicator == name), None) if self.advice else None
        score = self.advice.score if self.advice else None
        point = at_target = "—"
        if lever is not None and score is not None:
            point = change_text(change(score, lever.score_point)) if score > 0 else "+" + score_text(lever.score_point)
            at_target = score_text(lever.score_target)
        proposal = self.proposals.get(name)
        return [label, Text(value_text(self.indicators.get(name)), style="bold"), Text(value_text(self.targets.get(name))),
                Text(value_text(proposal.value if proposal else None), style="cyan"), Text(point), Text(at_target)]

    def _whatif(self, name: str) -> list[Text]:
        sc = self.scenario
        assert sc is not None
        if name == SCORE:
            before, after = sc.score_recorded, sc.score
            style = "bold green" if (after or 0) > (before or 0) else "bold red" if (after or 0) < (before or 0) else "bold"
            return [Text(score_text(before)), Text(score_text(after), style=style),
                    Text(delta_text(None if before is None or after is None else after - before, score_text)),
                    Text(change_text(sc.change), style=style)]
        if name in sc.recorded:
            before, after = sc.recorded[name], sc.value(name)
        else:  # an indicator computed from its sub-criteria
            before, after = sc.indicators(recorded=True)[name], sc.indicators()[name]
        moved = name in sc.edits
        return [Text(value_text(before)), Text(value_text(after), style="bold yellow" if moved else ""),
                Text(delta_text(None if before is None or after is None else after - before)),
                Text(change_text(change(before, after)))]


class VisitsSource:
    """The selected rep's visits and calls of the period, newest last."""

    def __init__(self, visits: list[Visit], party: dict[int, str], targets: dict[int, str]) -> None:
        self.visits = visits
        self.party = party  # visit id -> client or prospect shown
        self.targets = targets  # visit id -> why it counts for orientation ("A", "dév.", "chaud")

    @property
    def columns(self) -> list[Column]:
        return [Column(t("activity.col.date"), 10), Column(t("activity.col.party"), 0, min_width=14),
                Column(t("activity.col.kind"), 7), Column(t("activity.col.outcome"), 9),
                Column(t("activity.col.target_kind"), 7, optional=True)]

    def row_count(self) -> int:
        return len(self.visits)

    def row(self, index: int) -> list[Text]:
        v = self.visits[index]
        return [Text(date(dt.date.fromisoformat(v.date))), Text(safe_text(self.party.get(v.id, ""))), Text(t(f"activity.kind.{v.kind}")),
                Text(t(f"activity.outcome.{v.outcome}"), style="green" if v.outcome != "rien" else "dim"),
                Text(safe_text(self.targets.get(v.id, "")), style="cyan")]
