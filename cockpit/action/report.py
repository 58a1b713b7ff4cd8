"""The action part of ``cockpit report`` (METHOD §7): the rep's day, the
time allocation with its findings, and the funnel against churn."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING

from cockpit.action.allocation import NO_ZONE, Share, load_allocation
from cockpit.action.churn_gap import churn_gap
from cockpit.action.today import TodayLine, today_list
from cockpit.i18n import counted, date, money, number, pct, plural, t, tm, tn
from cockpit.safe_text import safe_text

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace

SHOWN = 20  # lines of the day in a report; the export has them all


def today_line(x: TodayLine) -> str:
    """One line of the day: why, who, since when, what to do."""
    who = safe_text(f"{x.code} {x.name}" if x.code else x.name)  # data: never terminal control, never a line break
    cls = f" [{x.cls}]" if x.cls else ""
    if x.reason == "reminder":
        when = t("action.report.late", date=date(x.date), n=number(x.days or 0)) if x.overdue and x.date else \
            t("action.report.due_today")
    elif x.reason == "rhythm":
        when = t("action.report.never") if x.days is None else t(
            f"action.report.since.{'overdue' if x.overdue else 'due'}", n=number(x.days), rhythm=number(x.rhythm_days or 0))
    elif x.reason == "dormant":
        when = t("action.report.idle", n=number(x.days)) if x.days is not None else ""
    else:
        when = money(x.potential) if x.potential is not None else ""
    action = f" — {safe_text(x.action)}" if x.action and x.reason == "reminder" else ""
    return f"  {t('action.reason.' + x.reason)} · {who}{cls} · {when}{action}".rstrip(" ·")


def _share_line(label: str, s: Share, field: str) -> str:
    return "  " + tm("action.report.share", field, name=label, clients=counted("clients", s.clients),
                     contacts=_pct(s.contact_share), revenue=_pct(s.revenue_share), potential=_pct(s.potential_share))


def _pct(share: Fraction | None) -> str:
    return "—" if share is None else pct(share)  # a share of nothing (no contact, no potential) is no 0 %


def action_report(ws: Workspace, cfg: Config, today: dt.date | None = None, owner: str | None = None) -> list[str]:
    today = today or dt.date.today()
    day = today_list(ws, cfg, today, owner)
    lines = ["", plural("action.report.today", len(day), n=number(len(day)),
                   who=owner or t("action.report.team"), today=date(today))]
    lines += [today_line(x) for x in day[:SHOWN]]
    if len(day) > SHOWN:
        lines.append("  " + tn("action.report.more", len(day) - SHOWN, n=number(len(day) - SHOWN)))
    due = [x for x in day if x.rhythm_status is not None]  # a reminder's line may be a client due by rhythm too
    lines.append(t("action.report.rhythm", n=number(len(due)), late=number(sum(x.rhythm_status == "overdue" for x in due))))
    a = load_allocation(ws, cfg, owner)
    field = cfg.abc.amount
    from cockpit.store.reps import names

    whose = t("action.report.allocation.team") if owner is None else \
        t("action.report.allocation.own", who=safe_text(names(ws).get(owner, owner)))
    lines += ["", t("action.report.allocation", whose=whose, contacts=counted("contacts", float(a.contacts), 2),
                    weight=number(cfg.rhythm.call_weight, 2))]
    lines += [_share_line(t("action.allocation.class", cls=s.key), s, field) for s in a.by_class]
    lines += [_share_line(t(f"zone.{s.key}") if s.key != NO_ZONE else t("action.report.no_zone"), s, field)
              for s in a.by_zone]
    lines += ["  " + x for x in a.verdict()]
    lines += ["", t("action.report.churn")] + ["  " + x for x in churn_gap(ws, cfg, today, owner).lines()]
    return lines
