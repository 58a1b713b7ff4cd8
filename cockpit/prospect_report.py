"""The prospecting part of ``cockpit report``: funnel, qualification matrix,
call-first list and overdue reminders, as plain text lines. The screen reuses
the line builders so both say the same thing."""

from __future__ import annotations

import datetime as dt

from .i18n import date, money, number, pct, t
from .prospect_book import Book
from .prospect_store import load_prospects
from .prospects import WON, Funnel, StageStats
from .qualification import Matrix
from .safe_text import safe_text


def stage_name(stage: str) -> str:
    return t(f"prospects.stage.{stage}")


def level_name(axis: str, level: int) -> str:
    return t(f"prospects.level.{axis}.{level}")


def pipeline_line(f: Funnel) -> str:
    line = t("prospects.pipeline", weighted=money(f.pipeline), total=money(f.open_potential), n=number(f.open_count))
    if f.missing_potential:
        line += " · " + t("prospects.pipeline.missing", n=number(f.missing_potential))
    return line


def stage_cells(s: StageStats) -> list[str]:
    """Stage, count, reached, conversion to the next, median days, probability."""
    return [
        stage_name(s.stage), number(s.count), number(s.reached),
        "—" if s.conversion is None else pct(s.conversion, 0),
        "—" if s.median_days is None else number(s.median_days),
        pct(s.probability, 0) + ("" if s.measured else "*"),
    ]


def funnel_lines(f: Funnel) -> list[str]:
    heads = [t(f"prospects.funnel.col.{c}") for c in ("stage", "count", "reached", "conversion", "days", "probability")]
    rows = [heads] + [stage_cells(s) for s in f.stages]
    widths = [max(len(r[i]) for r in rows) for i in range(len(heads))]
    out = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]
    out.append(t("prospects.funnel.lost", n=number(f.lost)) + " · " + t("prospects.funnel.fallback_note"))
    return out


def source_lines(by_source: dict[str, Funnel]) -> list[str]:
    """The funnel again per source: how many reached each stage, the win rate
    (won / decided) and the weighted pipeline."""
    heads = [t("prospects.source.col.source")] + [t(f"prospects.stage.short.{s.stage}") for s in next(iter(by_source.values())).stages] \
        if by_source else []
    if not heads:
        return [t("prospects.source.title")]
    heads += [t("prospects.source.col.rate"), t("prospects.source.col.pipeline")]
    rows = [heads]
    for source, f in by_source.items():
        won = sum(s.count for s in f.stages[WON:])
        decided = won + f.lost
        rows.append([safe_text(source) or "—"] + [number(s.reached) for s in f.stages]
                    + ["—" if not decided else pct(won / decided, 0), money(f.pipeline)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(heads))]
    out = [t("prospects.source.title")]
    out += [" ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]
    return out


def matrix_lines(m: Matrix) -> list[str]:
    head = [""] + [level_name("accessibility", a) for a in range(3)]
    rows = [head]
    for p in (2, 1, 0):
        rows.append([level_name("potential", p)] + [f"{number(int(m.counts[p][a]))} · {money(int(m.amounts[p][a]))}" for a in range(3)])
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    out = [t("prospects.matrix.report_title")]
    out += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]
    if m.unplaced:
        out.append(t("prospects.matrix.unplaced", n=number(m.unplaced)))
    return out


def prospects_report(ws, cfg: dict, today: dt.date | None = None) -> list[str]:
    today = today or dt.date.today()
    book = Book(load_prospects(ws), cfg["prospects"])
    f = book.funnel()
    lines = ["", t("prospects.report.title", n=number(len(book)), today=date(today)), pipeline_line(f), ""]
    lines += funnel_lines(f) + [""]
    lines += source_lines(book.by_source()) + [""]
    lines += matrix_lines(book.matrix())
    first = book.call_first()
    lines.append(t("prospects.call_first.title") + " " + (", ".join(
        f"{safe_text(book.prospects[i].company)} ({money(book.prospects[i].potential or 0)})" for i in first) or t("prospects.none")))
    overdue = book.overdue(today)
    lines += ["", t("prospects.reminders.overdue_title", n=number(len(overdue)))]
    for r in overdue:
        p = book.prospects[r.index]
        lines.append("  " + t("prospects.reminder.line", date=date(r.date), late=t("prospects.reminder.late", n=r.days_late),
                                company=p.company, action=p.next_action or "—", stage=stage_name(p.stage)))
    return lines
