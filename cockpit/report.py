"""Plain-text reports for the terminal and cron (``cockpit abc``, ``cockpit report``)."""

from __future__ import annotations

from .abc import CLASS_LETTERS, Limits
from .i18n import money, number, pct, t
from .portfolio import PortfolioModel, Summary


def summary_lines(s: Summary) -> list[str]:
    """The summary panel's content, shared by the report and the screen."""
    lines = [t("summary.header", n=number(s.n), total=money(s.total))]
    for cls, letter in enumerate(CLASS_LETTERS):
        lines.append(t("summary.class", cls=letter, n=number(s.counts[cls]), clients=pct(s.count_share(cls)),
                       amount=money(s.amounts[cls]), share=pct(s.amount_share(cls))))
    lines.append(t("summary.limits", a=pct(s.a_limit), b=pct(s.b_limit)))
    if s.computed is not None:
        c = s.computed
        lines.append(t("summary.computed", pareto=pct(c.pareto_x), even=pct(c.break_even_x), sub=pct(c.submarginal_x)))
    lines.append(t("summary.concentration", top1=pct(s.top1), top5=pct(s.top5), hhi=number(s.hhi), gini=number(s.gini, 2)))
    lines.append(t("summary.disclosure", n=number(s.n_disclosure)))
    if s.n_non_positive:
        lines.append(t("summary.non_positive", n=number(s.n_non_positive)))
    if s.diagnosis.fragile:
        lines.append(t("diagnosis.fragile", top1=pct(s.top1), top5=pct(s.top5)))
    if s.diagnosis.dispersion:
        lines.append(t("diagnosis.dispersion", clients=pct(s.count_share(2)), revenue=pct(s.amount_share(2))))
    if not (s.diagnosis.fragile or s.diagnosis.dispersion):
        lines.append(t("diagnosis.balanced"))
    return lines


def abc_table(model: PortfolioModel, rows: list[dict]) -> str:
    width = max([len(r["name"]) for r in rows] + [10])
    head = f"{t('col.rank'):>5}  {t('col.name'):<{width}}  {t('col.amount'):>14}  {t('col.cum_share'):>8}  {t('col.client_share'):>8}  {t('col.class')}"
    out = [head]
    for r in rows:
        flag = "  " + t("flag.non_positive") if r["flag"] else ""
        out.append(f"{r['rank']:>5}  {r['name']:<{width}}  {money(round(r['amount'] * 100)):>14}  "
                   f"{pct(r['cum_share']):>8}  {pct(r['client_share']):>8}  {r['class']}{flag}")
    out.append("")
    out.extend(summary_lines(model.summary()))
    return "\n".join(out)


def workspace_report(ws, cfg: dict) -> str:
    data = ws.load_portfolio(None, cfg["abc"]["amount"])
    model = PortfolioModel(data, Limits.of(cfg["abc"]["a_limit"], cfg["abc"]["b_limit"]), cfg["abc"]["mode"],
                           cfg["abc"]["by"], cfg["diagnosis"])
    lines = [t("report.title", path=str(ws.path), period=data.period), ""]
    lines.extend(summary_lines(model.summary()))
    return "\n".join(lines)
