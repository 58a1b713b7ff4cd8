"""The prospecting part of ``cockpit report``: funnel, qualification matrix,
call-first list and overdue reminders, as plain text lines. The screen reuses
the line builders so both say the same thing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from cockpit.i18n import counted, current, date, money, number, pct, plural, t, tn
from cockpit.prospects.book import Book
from cockpit.prospects.team import load_book
from cockpit.prospects.funnel import WON, Funnel, StageStats
from cockpit.prospects.qualification import Criterion, Matrix
from cockpit.safe_text import safe_text

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace


def stage_name(stage: str) -> str:
    return t(f"prospects.stage.{stage}")


def level_name(axis: str, level: int) -> str:
    """"Potentiel : très": the axis and the one set of level words (the table's too)."""
    return t("prospects.level.label", axis=t(f"prospects.axis.{axis}"), level=t(f"prospects.level.short.{level}"))


def pipeline_line(f: Funnel) -> str:
    line = tn("prospects.pipeline", f.open_count, weighted=money(f.pipeline), total=money(f.open_potential),
              n=number(f.open_count))
    if f.missing_potential:
        line += " · " + t("prospects.pipeline.missing", n=number(f.missing_potential))
    return line


def stage_cells(s: StageStats) -> list[str]:
    """Stage, count, reached, conversion to the next, median days, probability
    and how many prospects it rests on."""
    return [
        stage_name(s.stage), number(s.count), number(s.reached),
        "—" if s.conversion is None else pct(s.conversion, 0),
        "—" if s.median_days is None else number(s.median_days),
        pct(s.probability, 0) + ("" if s.measured else "*"), number(s.basis),
    ]


def funnel_lines(f: Funnel, section: Mapping[str, Any] | None = None) -> list[str]:
    section = section or {}
    # A rep's view weighs with the team's probabilities (METHOD §5, §8): the column says so.
    probability = "probability_team" if f.team_probabilities else "probability"
    heads = [t(f"prospects.funnel.col.{c}") for c in ("stage", "count", "reached", "conversion", "days", probability, "basis")]
    rows = [heads] + [stage_cells(s) for s in f.stages]
    widths = [max(len(r[i]) for r in rows) for i in range(len(heads))]
    out = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]
    out.append(t("prospects.funnel.lost", n=number(f.lost)) + " · "
               + plural("prospects.funnel.fallback_note", (least := section.get("min_history", 10)), n=number(least)))
    out.append(t(f"prospects.funnel.rule.{f.rule}", days=counted("days", section.get("maturity_days", 180))))
    return out


def dormant_lines(book: Book, f: Funnel, days: int) -> list[str]:
    """The dormant prospects, for the rep to close or revive (METHOD §5)."""
    if not f.dormant:
        return []
    out = [plural("prospects.dormant.title", days, n=number(len(f.dormant)), days=number(days))]
    contacts = book.last_contacts()
    for i in f.dormant:
        p = book.prospects[i]
        last = max([s.date for s in p.history] + ([c] if (c := contacts[i]) else []))
        out.append("  " + t("prospects.dormant.line", company=p.company, stage=stage_name(p.stage), date=date(last)))
    return out


def source_lines(by_source: dict[str, Funnel]) -> list[str]:
    """The funnel again per source: how many reached each stage, the win rate
    (won / decided) and the weighted pipeline, each row its share of the total
    shown (``funnel_by_source``), so the rows shown add up to it."""
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
        out.append(tn("prospects.matrix.unplaced", m.unplaced, n=number(m.unplaced)))
    return out


def contradiction_lines(book: Book) -> list[str]:
    """Hand scores that contradict the record (METHOD §5): the rep checks them."""
    if not book.contradictions:
        return []
    out = [t("prospects.contradictions.title", n=number(len(book.contradictions)))]
    lang = current()
    for c in book.contradictions:
        crit = cast("Criterion", book.scheme.get(c.key))  # contradictions are only on the scheme's criteria
        out.append("  " + t("prospects.contradiction.line", company=book.prospects[c.index].company, criterion=crit.name(lang),
                            hand=crit.label(lang, c.hand), record=crit.label(lang, c.from_record)))
    return out


def prospects_report(ws: Workspace, cfg: Config, today: dt.date | None = None, owner: str | None = None) -> list[str]:
    today = today or dt.date.today()
    book = load_book(ws, cfg.prospects, today, owner)
    f = book.funnel(today)
    section = cfg.prospects
    lines = ["", plural("prospects.report.title", len(book), n=number(len(book)), today=date(today)), pipeline_line(f), ""]
    lines += funnel_lines(f, section) + [""]
    lines += dormant_lines(book, f, section["dormant_days"])
    lines += source_lines(book.by_source(today)) + [""]
    lines += matrix_lines(book.matrix())
    first = book.call_first()
    lines.append(t("prospects.call_first.title") + " " + (", ".join(
        f"{safe_text(book.prospects[i].company)} ({money(book.prospects[i].potential or 0)})" for i in first) or t("prospects.none")))
    lines += contradiction_lines(book)
    overdue = book.overdue(today)
    lines += ["", t("prospects.reminders.overdue_title", n=number(len(overdue)))]
    for r in overdue:
        p = book.prospects[r.index]
        lines.append("  " + t("prospects.reminder.line", date=date(r.date), late=t("prospects.reminder.late", n=r.days_late),
                                company=p.company, action=p.next_action or "—", stage=stage_name(p.stage)))
    return lines
