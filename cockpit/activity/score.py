"""Activity steering, METHOD §6: score = activité × efficacité × orientation.

Each indicator is scored 0–10 (one decimal), so the score runs 0–1000. The
cockpit computes every figure (the deck prints 336 where 7 × 6 × 7 = 294):
levers, what-if and team figures all come from the functions below.

Records are monthly; a quarter or a year shows the mean of its recorded
months per indicator, and its score is the product of those means.
An indicator with sub-criteria in the config is their weighted mean.
Means are exact over the values as written (6.3 is 63/10), rounded once: 4.275
reads 4,28 whatever the sum's order, Python's version or the backend (pg/schema.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Iterable, Mapping

INDICATORS = ("activite", "efficacite", "orientation")
MAX_SCORE = 10.0
KINDS = ("month", "quarter", "year")
Values = Mapping[str, "float | None"]

_NUMBER = re.compile(r"[+]?(\d{1,2})(?:[.,](\d))?")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?|(?:\d{1,2}/)?(\d{1,2})/(\d{4})")


def parse_score(text: object) -> float:
    """'6,5', '6.5', 7 or 7.0 -> 6.5 / 7.0; 0–10 with at most one decimal, else ValueError."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
        if not (0 <= value <= MAX_SCORE) or abs(value * 10 - round(value * 10)) > 1e-9:
            raise ValueError(text)
        return round(value, 1)
    m = _NUMBER.fullmatch(str(text).strip())
    if m is None:
        raise ValueError(text)
    value = int(m[1]) + (int(m[2]) / 10 if m[2] else 0.0)
    if value > MAX_SCORE:
        raise ValueError(text)
    return round(value, 1)


def parse_month(text: object) -> str:
    """'2026-11', '11/2026', '01/11/2026' -> '2026-11'; else ValueError."""
    m = _MONTH.fullmatch(str(text).strip())
    if m is None:
        raise ValueError(text)
    year, month = (m[1], m[2]) if m[1] else (m[4], m[3])
    if not 1 <= int(month) <= 12:
        raise ValueError(text)
    return f"{int(year):04d}-{int(month):02d}"


# ---- periods -----------------------------------------------------------------

def period_of(month: str, kind: str) -> str:
    """The month, quarter ('2026-Q4') or year ('2026') a month belongs to."""
    if kind == "month":
        return month
    year, m = month[:4], int(month[5:7])
    return f"{year}-Q{(m - 1) // 3 + 1}" if kind == "quarter" else year


def kind_of(period: str) -> str:
    return "quarter" if "Q" in period else "year" if len(period) == 4 else "month"


def months_of(period: str) -> list[str]:
    kind = kind_of(period)
    if kind == "month":
        return [period]
    year = period[:4]
    first, count = ((int(period[-1]) - 1) * 3 + 1, 3) if kind == "quarter" else (1, 12)
    return [f"{year}-{m:02d}" for m in range(first, first + count)]


# ---- the score ---------------------------------------------------------------

def activity_score(activite: float, efficacite: float, orientation: float) -> float:
    """The product of the three indicators, 0–1000."""
    for v in (activite, efficacite, orientation):
        if not 0 <= v <= MAX_SCORE:
            raise ValueError(f"indicator {v} outside 0–10")
    return activite * efficacite * orientation


def score_of(values: Values) -> float | None:
    """The score, or None while an indicator has no value."""
    got = [values.get(i) for i in INDICATORS]
    known = [v for v in got if v is not None]
    return None if len(known) < len(got) else activity_score(*known)


def same(a: float | None, b: float | None) -> bool:
    """Equal up to float noise (7.1 × 5.2 has binary digits past its cents)."""
    return a is b if a is None or b is None else math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def change(before: float | None, after: float | None) -> float | None:
    """Relative change, None when there is no base to compare with."""
    return None if before is None or after is None or before == 0 else after / before - 1


# ---- sub-criteria ------------------------------------------------------------

def editable_fields(sub_criteria: Mapping[str, Mapping[str, float]]) -> list[str]:
    """What a rep edits: the indicator itself, or 'indicator.criterion' per sub-criterion."""
    out = []
    for ind in INDICATORS:
        subs = sub_criteria.get(ind) or {}
        out += [f"{ind}.{name}" for name in subs] if subs else [ind]
    return out


def indicator_values(fields: Values, sub_criteria: Mapping[str, Mapping[str, float]]) -> dict[str, float | None]:
    """Indicators from the edited fields: a weighted mean of the sub-criteria that
    have a value (the weights of the others left out), else the indicator's own."""
    out: dict[str, float | None] = {}
    for ind in INDICATORS:
        subs = sub_criteria.get(ind) or {}
        scored = [(w, fields.get(f"{ind}.{n}")) for n, w in subs.items()]
        known = [(w, v) for w, v in scored if v is not None]
        weight = sum(w for w, _ in known)
        out[ind] = (float(sum(written(w) * written(v) for w, v in known) / sum(written(w) for w, _ in known))
                    if known and weight > 0 else fields.get(ind))
    return out


# ---- the record ----------------------------------------------------------------

@dataclass
class Cell:
    value: float | None = None
    target: float | None = None
    version: int = 0  # 0: no row yet (the first edit creates it)


@dataclass(frozen=True)
class TeamRow:
    rep: str
    values: dict[str, float | None]
    score: float | None
    weakest: tuple[str, ...]  # lowest indicator(s): one more point there gains most
    rank: int | None = None  # place in the whole team's ranking; None where the ranking is not shown (METHOD §8)


@dataclass(frozen=True)
class Team:
    rows: list[TeamRow]  # ranked by score, best first, reps without a score last
    average: dict[str, float | None]  # mean of the reps' indicators
    average_score: float | None  # mean of the reps' scores

    def only(self, reps: frozenset[str], ranked: bool = True) -> "Team":
        """The rows of ``reps`` (a rep sees their own, METHOD §8), each with its
        place in the whole team's ranking, or none where the ranking is not the
        viewer's to see; the average stays the team's."""
        rows = [r if ranked else replace(r, rank=None) for r in self.rows if r.rep in reps]
        return Team(rows, self.average, self.average_score)


def weakest(values: Values) -> tuple[str, ...]:
    known = [(v, i) for i in INDICATORS if (v := values.get(i)) is not None]
    low = min((v for v, _ in known), default=0.0)
    return tuple(i for v, i in known if same(v, low))


def _place(score: float | None, rep: str) -> tuple[bool, float, str, str]:  # best score first, then by name: stable
    return score is None, -(score or 0.0), rep.casefold(), rep


def written(x: float) -> Fraction:
    """A float as written, its shortest decimal (as PostgreSQL prints it too)."""
    return Fraction(repr(float(x)))


def _mean(xs: list[float], more: tuple[Fraction, int] | None = None) -> float | None:
    """The exact mean, rounded once; ``more``: others' values (their sum as written, their count)."""
    total, n = more or (Fraction(0), 0)
    n += len(xs)
    return float((total + sum(map(written, xs), Fraction(0))) / n) if n else None


class ActivityBook:
    """Every recorded (rep, month, field) cell, kept in step with the screen's edits."""

    def __init__(self, rows: Iterable[tuple[Any, ...]], sub_criteria: Mapping[str, Mapping[str, float]] | None = None,
                 default_targets: Mapping[str, float] | None = None) -> None:
        self.sub_criteria = {k: dict(v) for k, v in (sub_criteria or {}).items() if v}
        self.default_targets = dict(default_targets or {})
        self.cells: dict[tuple[str, str], dict[str, Cell]] = {}
        self.extra_reps: set[str] = set()  # reps with no record yet (from the visit log, or just added)
        # Reps whose rows are not here (a rep's role on PostgreSQL), per (period, indicator or "score"): their
        # values' sum as written and count, so the team's average follows this book's edits (activity/others.py).
        self.others: dict[tuple[str, str], tuple[Fraction, int]] = {}
        self.rivals: dict[str, dict[str, float | None]] = {}  # and their scores per period, where everyone is ranked
        for rep, month, name, value, target, version in rows:
            self.cells.setdefault((rep, month), {})[name] = Cell(value, target, version)

    @property
    def fields(self) -> list[str]:
        return editable_fields(self.sub_criteria)

    @property
    def reps(self) -> list[str]:
        return sorted({rep for rep, _ in self.cells} | self.extra_reps, key=lambda r: (r.casefold(), r))

    @property
    def months(self) -> list[str]:
        return sorted({month for _, month in self.cells} | {p for p, _ in self.others if kind_of(p) == "month"})

    def periods(self, kind: str) -> list[str]:
        return sorted({period_of(m, kind) for m in self.months})

    def cell(self, rep: str, month: str, name: str) -> Cell:
        return self.cells.get((rep, month), {}).get(name) or Cell()

    def set(self, rep: str, month: str, name: str, field_: str, value: float | None, version: int | None = None) -> None:
        cell = self.cells.setdefault((rep, month), {}).setdefault(name, Cell())
        setattr(cell, field_, value)
        if version is not None:
            cell.version = version

    def field_values(self, rep: str, month: str) -> dict[str, float | None]:
        return {name: self.cell(rep, month, name).value for name in self.fields}

    def _own(self, rep: str, month: str) -> dict[str, float | None]:
        """The indicators' own recorded values: what stands in while no sub-criterion has one."""
        return {i: self.cell(rep, month, i).value for i in INDICATORS}

    def _monthly(self, rep: str, month: str) -> tuple[dict[str, float | None], dict[str, float | None]]:
        values = indicator_values({**self._own(rep, month), **self.field_values(rep, month)}, self.sub_criteria)
        cells = self.cells.get((rep, month), {})
        targets = {i: cells[i].target if i in cells and cells[i].target is not None else self.default_targets.get(i)
                   for i in INDICATORS}
        return values, targets

    def indicators(self, rep: str, period: str) -> dict[str, float | None]:
        """The period's indicators: a month's own, else the mean of its recorded months."""
        return self._aggregate(rep, period)[0]

    def targets(self, rep: str, period: str) -> dict[str, float | None]:
        return self._aggregate(rep, period)[1]

    def recorded_months(self, rep: str, period: str) -> list[str]:
        return [m for m in months_of(period) if (rep, m) in self.cells]

    def _aggregate(self, rep: str, period: str) -> tuple[dict[str, float | None], dict[str, float | None]]:
        months = months_of(period)
        if len(months) == 1:
            return self._monthly(rep, months[0])
        per = [self._monthly(rep, m) for m in self.recorded_months(rep, period)]
        values = {i: _mean([x for v, _ in per if (x := v[i]) is not None]) for i in INDICATORS}
        targets = {i: _mean([x for _, t in per if (x := t[i]) is not None]) for i in INDICATORS}
        if not per:
            targets = {i: self.default_targets.get(i) for i in INDICATORS}
        return values, targets

    def score(self, rep: str, period: str) -> float | None:
        return score_of(self.indicators(rep, period))

    def team(self, period: str) -> Team:
        rows, reps = [], self.reps
        for rep in reps:
            values = self.indicators(rep, period)
            rows.append(TeamRow(rep, values, score_of(values), weakest(values)))
        rows.sort(key=lambda r: _place(r.score, r.rep))  # ranked among the others too where everyone is ranked
        rivals = [_place(s.get(period), rep) for rep, s in self.rivals.items() if rep not in reps]
        at = {key: i for i, key in enumerate(sorted([_place(r.score, r.rep) for r in rows] + rivals), 1)}
        rows = [replace(r, rank=at[_place(r.score, r.rep)]) for r in rows]
        more = self.others.get
        average = {i: _mean([x for r in rows if (x := r.values[i]) is not None], more((period, i))) for i in INDICATORS}
        return Team(rows, average, _mean([r.score for r in rows if r.score is not None], more((period, "score"))))

    def history(self, rep: str) -> list[tuple[str, float | None]]:
        """(month, score) over every recorded month of the book."""
        return [(m, self.score(rep, m)) for m in self.months]

    def average_history(self) -> list[tuple[str, float | None]]:
        """(month, the team's mean score) over every recorded month: what a rep
        sees beside their own line, the named ones being for managers (METHOD §8)."""
        return [(m, self.team(m).average_score) for m in self.months]

    def scenario(self, rep: str, month: str) -> "Scenario":
        return Scenario(rep, month, self.field_values(rep, month),
                        {n: self.cell(rep, month, n).version for n in self.fields}, self.sub_criteria,
                        base=self._own(rep, month))


# ---- what-if -------------------------------------------------------------------

@dataclass
class Scenario:
    """A scratch copy of one rep's month: edits live here until committed.

    It holds no workspace and no reference into the book, so nothing it does
    can reach the record; ``changes()`` is what a commit would write."""

    rep: str
    month: str
    recorded: dict[str, float | None]
    versions: dict[str, int]
    sub_criteria: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    edits: dict[str, float] = field(default_factory=dict)
    base: dict[str, float | None] = field(default_factory=dict)  # indicators' own values, under sub-criteria

    def set(self, name: str, value: float) -> None:
        if name not in self.recorded:
            raise KeyError(name)
        self.edits[name] = value

    def value(self, name: str) -> float | None:
        return self.edits.get(name, self.recorded[name])

    def fields(self) -> dict[str, float | None]:
        return {n: self.value(n) for n in self.recorded}

    def indicators(self, recorded: bool = False) -> dict[str, float | None]:
        return indicator_values({**self.base, **(self.recorded if recorded else self.fields())}, self.sub_criteria)

    @property
    def score_recorded(self) -> float | None:
        return score_of(self.indicators(recorded=True))

    @property
    def score(self) -> float | None:
        return score_of(self.indicators())

    @property
    def change(self) -> float | None:
        return change(self.score_recorded, self.score)

    def changes(self) -> list[tuple[str, float | None, float, int]]:
        """(field, recorded, scenario, version seen) for every field that differs."""
        return [(n, self.recorded[n], v, self.versions.get(n, 0)) for n, v in self.edits.items()
                if not same(self.recorded[n], v)]


# ---- levers ----------------------------------------------------------------------

@dataclass(frozen=True)
class Lever:
    indicator: str
    value: float
    score_point: float  # the score with one more point here (capped at 10)
    gain_point: float
    target: float | None
    score_target: float | None  # the score with this indicator at its target
    gain_target: float | None


@dataclass(frozen=True)
class Advice:
    score: float
    by_point: tuple[Lever, ...]  # best one-point gain first
    by_target: tuple[Lever, ...]  # best gain at target first (indicators with a target)
    tied_point: tuple[str, ...]  # indicators sharing the best one-point gain, when 2 or more
    tied_target: tuple[str, ...]
    zeros: tuple[str, ...]  # a zero factor makes the score 0 whatever the others

    @property
    def best(self) -> Lever | None:
        return self.by_point[0] if self.by_point and self.by_point[0].gain_point > 0 else None


def _ties(levers: tuple[Lever, ...], gain: str) -> tuple[str, ...]:
    if not levers or (getattr(levers[0], gain) or 0) <= 0:
        return ()
    top = getattr(levers[0], gain)
    tied = tuple(lv.indicator for lv in levers if same(getattr(lv, gain), top))
    return tied if len(tied) > 1 else ()


def levers(values: Values, targets: Values) -> Advice | None:
    """Each indicator ranked by the score one more point on it gives ((x+1)/x
    times the score, so the lowest factor gains most), and by the score at its
    target. None while an indicator has no value."""
    score = score_of(values)
    if score is None:
        return None
    order = {ind: i for i, ind in enumerate(INDICATORS)}
    out = []
    for ind in INDICATORS:
        x = float(values[ind])  # type: ignore[arg-type]  # score_of gave a score: every indicator has a value
        raised = dict(values, **{ind: min(MAX_SCORE, x + 1)})
        s_point = score_of(raised) or 0.0
        target = targets.get(ind)
        s_target = score_of(dict(values, **{ind: target})) if target is not None else None
        out.append(Lever(ind, x, s_point, s_point - score, target, s_target,
                         None if s_target is None else s_target - score))
    # Equal gains keep the method's order (activité, efficacité, orientation) and are reported as ties.
    by_point = tuple(sorted(out, key=lambda lv: (-round(lv.gain_point, 9), order[lv.indicator])))
    with_target = [lv for lv in out if lv.gain_target is not None]
    by_target = tuple(sorted(with_target, key=lambda lv: (-round(lv.gain_target or 0.0, 9), order[lv.indicator])))
    zeros = tuple(ind for ind in INDICATORS if values[ind] == 0)
    return Advice(score, by_point, by_target, _ties(by_point, "gain_point"), _ties(by_target, "gain_target"), zeros)
