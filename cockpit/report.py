"""Plain-text reports for the terminal and cron (``cockpit abc``, ``cockpit report``)."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

from cockpit.portfolio.abc import CLASS_LETTERS
from cockpit.i18n import counted, money, noun, number, pct, t, tn
from cockpit.portfolio.model import PortfolioModel, Summary
from cockpit.safe_text import safe_text

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.portfolio.strategy import Strategy
    from cockpit.store.workspace import Workspace


def _m(key: str, s: Summary) -> str:
    """The margin wording of ``key`` in margin mode: no label says CA then (METHOD §1)."""
    return key + ".margin" if s.amount_field == "margin" else key


def summary_lines(s: Summary) -> list[str]:
    """The summary panel's content, shared by the report and the screen."""
    word = "group" if s.view == "group" else "client"
    who: Callable[[float], str] = lambda n: noun(n, word)  # noqa: E731
    lines = [t(_m("summary.header", s), n=number(s.n), who=who(s.n), total=money(s.total))]
    for cls, letter in enumerate(CLASS_LETTERS):
        lines.append(t("summary.class", cls=letter, n=number(s.counts[cls]), who=who(s.counts[cls]),
                       clients=pct(s.count_share(cls)), amount=money(s.amounts[cls]), share=pct(s.amount_share(cls))))
    lines.append(t(_m("summary.limits", s), a=pct(s.a_limit), b=pct(s.b_limit)))
    if s.computed is not None and s.computed.fallback:
        lines.append(t("summary.computed_fallback", a=pct(s.a_limit), b=pct(s.b_limit)))
    elif s.computed is not None:
        c = s.computed
        lines.append(t("summary.computed", pareto=pct(c.pareto_x), even=pct(c.break_even_x), sub=pct(c.submarginal_x),
                       who=noun(2, word)))
    lines.append(t("summary.concentration", top1=pct(s.top1), top5=pct(s.top5), hhi=number(s.hhi), gini=number(s.gini, 2)))
    lines.append(t(_m("summary.disclosure", s), n=number(s.n_disclosure), who=who(s.n_disclosure),
                   share=pct(s.disclosure_share, 0 if s.disclosure_share * 100 == int(s.disclosure_share * 100) else 1)))
    if s.n_non_positive:
        lines.append(tn(_m("summary.non_positive_net", s), s.n_non_positive, n=number(s.n_non_positive),
                        who=who(s.n_non_positive), amount=money(s.non_positive_amount)))
    if s.diagnosis.fragile:
        lines.append(t(_m("diagnosis.fragile", s), top1=pct(s.top1), top5=pct(s.top5)))
    if s.diagnosis.dispersion:
        lines.append(t(_m("diagnosis.dispersion", s), clients=pct(s.count_share(2)), revenue=pct(s.amount_share(2))))
    if not (s.diagnosis.fragile or s.diagnosis.dispersion):
        lines.append(t("diagnosis.balanced"))
    return lines


def abc_table(model: PortfolioModel, rows: list[dict[str, Any]]) -> str:
    names = [safe_text(str(r["name"])) for r in rows]  # data from a file: never terminal control
    width = max([len(n) for n in names] + [10])
    amount = t("col.margin" if model.amount_field == "margin" else "col.amount")
    name_head = t("col.group" if model.view == "group" else "col.name")
    head = f"{t('col.rank'):>5}  {name_head:<{width}}  {amount:>14}  {t('col.cum_share'):>8}  {t('col.client_share'):>8}  {t('col.class')}"
    out = [head]
    for r, name in zip(rows, names):
        flag = "  " + t("flag.non_positive" + (".margin" if model.amount_field == "margin" else "")) if r["flag"] else ""
        out.append(f"{r['rank']:>5}  {name:<{width}}  {money(round(r['amount'] * 100)):>14}  "
                   f"{pct(r['cum_share']):>8}  {pct(r['client_share']):>8}  {r['class']}{flag}")
    out.append("")
    out.extend(summary_lines(model.summary()))
    return "\n".join(out)


def strategy_lines(strategy: Strategy, cfg: Config) -> list[str]:
    """Evolution, crossed matrix and product matrix, as text."""
    from cockpit.portfolio.evolution import half_life, mean_churn, new_clients_to_stay_stable

    lines = ["", t("tab.evolution")]
    changes = strategy.evolution()
    for ch in changes:
        lines.append(t("report.evolution", period=ch.period, clients=counted("clients", ch.clients), new=counted("new", len(ch.new)),
                       new_revenue=money(ch.new_revenue), lost=counted("lost", len(ch.lost)), lost_revenue=money(ch.lost_revenue),
                       churn="—" if ch.churn is None else pct(ch.churn)))
    churn = mean_churn(changes)
    if churn is not None and changes:
        life = half_life(churn)
        lines.append(t("evolution.words", churn=pct(churn), years=counted("years", math.inf if life is None else life, 1),
                       need=counted("new_clients", float(new_clients_to_stay_stable(churn, changes[-1].clients)), 1),
                       clients=counted("clients", changes[-1].clients)))  # no key to press in a report
    m, _, _ = strategy.crossed()
    lines += ["", t("tab.crossed").split(" (")[0]]
    for p in range(3):
        cells = [f"{t(f'zone.{m.zones[p][c]}')} {number(int(m.counts[p, c]))} · {money(int(m.revenue[p, c]))}" for c in range(3)]
        lines.append(t("crossed.row", potential=t("crossed.potential", cls=CLASS_LETTERS[p]), cells=" | ".join(cells)))
    if m.missing_count:
        lines.append(tn("crossed.missing", m.missing_count, strategy.model.amount_field, n=number(m.missing_count),
                        amount=money(m.missing_revenue)))
    pm, _ = strategy.products()
    lines += ["", t("tab.products").split(" (")[0]]
    # winners and gaps only hold cells that have a ratio to the mix
    for s, p in pm.winners(cfg.matrix.winners, *strategy.winner_rule):
        lines.append(t("products.winner", segment=safe_text(pm.segments[s]), product=safe_text(pm.products[p]),
                       amount=money(int(pm.cells[s, p])), ratio=number(float(cast("Fraction", pm.ratio(s, p))), 2)))
    for s, p, shortfall in pm.gaps(cfg.matrix.gap_ratio):
        lines.append(t("products.gap", segment=pm.segments[s], product=pm.products[p], shortfall=money(shortfall),
                       ratio=number(float(cast("Fraction", pm.ratio(s, p))), 2)))
    return lines


def workspace_report(ws: Workspace, cfg: Config, team: bool = False) -> str:
    """Over whose portfolio the screens open on (METHOD §8): a rep's own, the
    team's with ``team``; a manager's and a solo workspace's: the team's."""
    # Here, not at the top: the Portfolio screen imports summary_lines before its first frame,
    # and the prospects' and activity's reports cost it 25 ms of imports.
    from cockpit.action.report import action_report
    from cockpit.activity.text import report_lines as activity_report
    from cockpit.portfolio.strategy import load_strategy
    from cockpit.prospects.report import prospects_report
    from cockpit.store import reps

    owner = reps.view_owner(ws, team)
    model, strategy, _ = load_strategy(ws, cfg, owner=owner)
    title = t("report.title", path=str(ws.path), period=model.data.period)
    if reps.viewer(ws) is not None:  # a team's workspace: say whose figures these are
        title += " · " + (reps.names(ws).get(owner, owner) if owner is not None else t("scope.team"))
    lines = [title, ""]
    if ws.is_empty():  # no client at all: how to fill the workspace, not a page of zeros and a "balanced" verdict
        return "\n".join([*lines, t("report.empty_workspace")])
    lines.extend(summary_lines(model.summary()))
    lines.extend(strategy_lines(strategy, cfg))
    lines.extend(prospects_report(ws, cfg, owner=owner))
    lines.extend(activity_report(ws, cfg, team))
    lines.extend(action_report(ws, cfg, owner=owner))
    return "\n".join(lines)
