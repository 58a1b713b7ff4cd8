"""The Activity figures in words, shared by the screen and ``cockpit report``:
scores, changes, the lever to pull first, a proposal's basis."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cockpit.activity.score import INDICATORS, Advice, Lever, kind_of, levers, score_of
from cockpit.activity.suggest import Proposal
from cockpit.i18n import counted, number, pct, t

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace


def score_text(x: float | None) -> str:
    """210 / 158,8: a whole score without decimals, else one."""
    if x is None:
        return "—"
    x = round(x, 1)
    return number(x, 0 if x == int(x) else 1)


def value_text(x: float | None) -> str:
    """An indicator: one decimal when it has one (7 / 6,5), two for a mean (6,53)."""
    if x is None:
        return "—"
    for digits in (0, 1):
        if abs(x - round(x, digits)) < 1e-9:
            return number(round(x, digits), digits)
    return number(x, 2)


def change_text(ratio: float | None) -> str:
    """+40 % / −12,5 %: a whole percentage without decimals."""
    if ratio is None:
        return "—"
    points = round(ratio * 100, 1)
    if points == 0:
        return pct(0, 0)
    sign = "+" if points > 0 else "−"
    return sign + pct(abs(points) / 100, 0 if points == int(points) else 1)


def delta_text(x: float | None, shown: Callable[[float | None], str] = value_text) -> str:
    """A gap with its sign, written as the figures it separates are (``shown``:
    ``score_text`` for scores, one decimal; ``value_text`` for indicators)."""
    if x is None:
        return "—"
    text = shown(abs(x))
    if not text.strip("0,."):  # rounds to nothing as written
        return shown(0)
    return ("+" if x > 0 else "−") + text


def ind_name(ind: str) -> str:
    """'Orientation', or 'orientation · cibles' for a sub-criterion (its name is the config's)."""
    if "." in ind:
        base, sub = ind.split(".", 1)
        return f"{t('activity.ind.' + base)} · {sub}"
    return t(f"activity.ind.{ind}")


def names(inds: tuple[str, ...] | list[str]) -> str:
    parts = [t(f"activity.ind.{i}.the") for i in inds]
    return parts[0] if len(parts) == 1 else t("activity.and", first=", ".join(parts[:-1]), last=parts[-1])


def period_text(period: str) -> str:
    kind = kind_of(period)
    if kind == "quarter":
        return t("activity.period.quarter", q=period[-1], year=period[:4])
    return t("activity.period.year", year=period) if kind == "year" else period


def formula_text(values: dict[str, float | None]) -> str:
    """'7 × 6 × 5 = 210'."""
    return " × ".join(value_text(values[i]) for i in INDICATORS) + " = " + score_text(score_of(values))


def _gain(lever: Lever, score: float, target: bool = False) -> str:
    new = lever.score_target if target else lever.score_point
    return change_text(new / score - 1) if score > 0 and new is not None else "+" + score_text(new)


def advice_lines(advice: Advice | None) -> list[str]:
    """The lever to pull first, in words, with ties and zero factors said."""
    if advice is None:
        return [t("activity.lever.incomplete")]
    s = advice.score
    lines = []
    best = advice.best
    if len(advice.zeros) > 1:
        lines.append(t("activity.lever.zeros", names=names(advice.zeros)))
    elif best is None:
        lines.append(t("activity.lever.all_max"))
    elif advice.zeros:
        zero = advice.zeros[0]
        lines.append(t("activity.lever.zero", name=t(f"activity.ind.{zero}"), the=names(advice.zeros),
                       score=score_text(best.score_point)))
    elif advice.tied_point:
        lines.append(t("activity.lever.tie", names=names(advice.tied_point), gain=_gain(best, s),
                       score=score_text(best.score_point)))
    else:
        lines.append(t("activity.lever.first", the=names((best.indicator,)), gain=_gain(best, s),
                       score=score_text(best.score_point)))
    if best is not None and not advice.zeros:
        ranking = " · ".join(f"{t('activity.ind.' + lv.indicator)} {_gain(lv, s)}" for lv in advice.by_point)
        lines.append(t("activity.lever.order", ranking=ranking))
    top = advice.by_target[0] if advice.by_target else None
    if top is None:
        pass
    elif (top.gain_target or 0) <= 0:
        lines.append(t("activity.lever.targets_met"))
    elif advice.tied_target:
        lines.append(t("activity.lever.target_tie", names=names(advice.tied_target),
                       score=score_text(top.score_target), gain=_gain(top, s, True)))
    else:
        lines.append(t("activity.lever.target", the=names((top.indicator,)), target=value_text(top.target),
                       score=score_text(top.score_target), gain=_gain(top, s, True)))
    return lines


def basis_text(p: Proposal) -> str:
    """Why the cockpit proposes this value: the counts and the norm."""
    b = p.basis
    if p.indicator == "activite":
        if not b["months"]:
            return t("activity.basis.none")
        return t("activity.basis.activite", contacts=counted("contacts", b["contacts"]), visits=counted("visits", b["visits"]),
                 calls=counted("calls", b["calls"]), norm=number(b["norm"]), months=counted("months", b["months"]))
    if p.indicator == "efficacite":
        if not b["contacts"]:
            return t("activity.basis.none")
        return t("activity.basis.efficacite", hits=counted("hits", b["hits"]), orders=number(b["orders"]),
                 appointments=number(b["appointments"]), contacts=counted("contacts", b["contacts"]), rate=pct(b["rate"], 0),
                 norm=pct(b["norm"], 0))
    if not b["contacts"]:
        return t("activity.basis.none")
    if not b["share"]:
        return t("activity.basis.no_potential")
    # French agrees with the targets' count ("1 contact sur 3"), English with all ("1 of 3 contacts").
    return t("activity.basis.orientation", targets=number(b["targets"]), contacts=number(b["contacts"]),
             of_targets=counted("contacts", b["targets"]), of_all=counted("contacts", b["contacts"]),
             effort=pct(b["effort"], 0), a=number(b["a"]), dev=number(b["dev"]), hot=number(b["hot"]),
             share=pct(b["share"], 0))


def report_lines(ws: Workspace, cfg: Config, team_view: bool = False) -> list[str]:
    """``cockpit report``'s activity section: the latest month's team (a rep:
    their own row, METHOD §8), each rep's first lever, the team's average."""
    from cockpit.activity.store import load_state, shown_reps

    book = load_state(ws, cfg).book
    if not book.months:
        return ["", t("activity.report.empty")]
    period = book.months[-1]
    team = book.team(period)
    mine, ranked = shown_reps(ws, cfg, team_view)
    rows = team.rows if mine is None else team.only(mine, ranked).rows
    lines = ["", t("activity.report.title", period=period_text(period))]
    for row in rows:
        weak = ", ".join(t(f"activity.ind.{i}") for i in row.weakest) or "—"
        lines.append(t("activity.report.row" if row.rank is not None else "activity.report.own", rank=row.rank,
                       rep=row.rep, formula=formula_text(row.values), weakest=weak))
        first = advice_lines(levers(row.values, book.targets(row.rep, period)))[0]
        lines.append("     " + first)
    lines.append(t("activity.report.average", formula=" × ".join(value_text(team.average[i]) for i in INDICATORS),
                   score=score_text(team.average_score)))
    return lines
