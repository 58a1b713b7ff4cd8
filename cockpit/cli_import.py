"""``cockpit import``: read, check, confirm, import, all or nothing; the
rejected rows (``--skip-bad``) kept whole with their reason."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from cockpit import i18n
from cockpit.i18n import t

if TYPE_CHECKING:
    from cockpit.store.loading import Replaced
    from cockpit.io.tabular import Records
    from cockpit.store.workspace import Workspace


def run_import(args: argparse.Namespace, open_workspace: Callable[[], Workspace]) -> int:
    from cockpit.store.workspace_open import made_here

    with made_here() as made:  # a refused first import leaves no workspace file behind
        code = _run_import(args, open_workspace)
        if code != 0:
            made.discard()
        return code


def _run_import(args: argparse.Namespace, open_workspace: Callable[[], Workspace]) -> int:
    from cockpit.io.duplicates import check_unique
    from cockpit.store.loading import import_clients, import_sales
    from cockpit.portfolio.periods import check_period
    from cockpit.io.tabular import read_records

    if args.period is not None:  # checked before anything is read or written
        args.period = check_period(args.period, years_only=True)
    ws = open_workspace()
    if args.kind in ("clients", "sales") and not args.skip_bad:
        from cockpit.io.fast_import import Cancelled, fast_import

        try:
            count = fast_import(ws, args.kind, args.file, args.period,
                                lambda replaced: args.yes or _confirm_replaced(replaced(), args))
        except Cancelled:
            print(t("cli.replace.cancelled"), file=sys.stderr)
            return 1
        if count is not None:
            print(i18n.imported(args.kind, count, ws.path))
            return 0
    records = check_unique(read_records(args.file, args.kind, sheet=args.sheet, skip_bad=args.skip_bad),
                           args.kind, args.skip_bad)
    if not records.lines and not records.rejected:  # an import of nothing writes nothing
        from cockpit.io.input_error import no_line

        raise no_line(str(args.file))
    if args.skip_bad:  # a line naming what the rep may not write (another rep's row) is set aside like any bad line
        from cockpit.store.set_aside import set_aside_not_theirs

        set_aside_not_theirs(ws, records, args.kind)
    if records.rejected:
        rejects = _write_rejects(args.file, records, args.sheet)
        if not records.lines:
            from cockpit.io.input_error import all_rejected

            raise all_rejected(str(args.file), str(rejects))
    if args.kind == "prospects":
        import datetime as dt

        from cockpit.prospects.files import import_prospects

        print(i18n.imported("prospects", import_prospects(ws, records, dt.date.today()), ws.path))
        return 0
    if args.kind in ("activity", "visits"):
        from cockpit.activity.store import import_activity, import_visits

        count = (import_activity if args.kind == "activity" else import_visits)(ws, records)
        print(i18n.imported(args.kind, count, ws.path))
        return 0
    if args.kind == "sales" and not _confirm_replacement(ws, records, args):
        print(t("cli.replace.cancelled"), file=sys.stderr)
        return 1
    count = import_clients(ws, records, args.period) if args.kind == "clients" else import_sales(ws, records)
    print(i18n.imported(args.kind, count, ws.path))
    return 0


def _confirm_replacement(ws: Workspace, records: Records, args: argparse.Namespace) -> bool:
    """A sales import replaces the years its file covers: say how many lines and
    clients of which years, then ask at a terminal; a script says --yes."""
    from cockpit.store.loading import sales_replacement

    return _confirm_replaced(sales_replacement(ws, records), args)


def _confirm_replaced(replacing: list[Replaced], args: argparse.Namespace) -> bool:
    from cockpit.io.tabular import InputError

    replaced = [r for r in replacing if r.old_lines]
    if not replaced or args.yes:
        return True

    if not sys.stdin.isatty():
        raise InputError(str(args.file), None, None, None, *(_need_yes(replaced, lang) for lang in ("fr", "en")))
    print(t("cli.replace.head"), file=sys.stderr)
    for r in replaced:
        print(t("cli.replace.year", year=r.year, old_lines=i18n.counted("lines", r.old_lines),
                old_clients=i18n.counted("clients", r.old_clients), new_lines=i18n.counted("lines", r.new_lines),
                new_clients=i18n.counted("clients", r.new_clients)), file=sys.stderr)
    return input(t("cli.replace.ask")).strip().lower() in ("o", "oui", "y", "yes")


def _need_yes(replaced: list[Replaced], lang: str) -> str:
    """The refusal without a terminal, in ``lang`` (an InputError carries both)."""
    before = i18n.current()
    i18n.set_lang(lang)
    try:
        total = {k: sum(getattr(r, k) for r in replaced) for k in ("old_lines", "old_clients", "new_lines", "new_clients")}
        words = {k: i18n.counted("lines" if k.endswith("lines") else "clients", v) for k, v in total.items()}
        return t("cli.replace.need_yes", years=", ".join(r.year for r in replaced), **words)
    finally:
        i18n.set_lang(before)


def _write_rejects(source: Path, records: Records, sheet: str | None) -> Path:
    """The rejected rows themselves, as the file has them, after their line and
    reason (in the chosen language), next to the input (French Excel CSV, 0600)."""
    from cockpit.io.tabular import write_csv_fr

    raw = _raw_rows(source, sheet)
    reasons = {line: error.message(i18n.current()) for line, error in zip((l for l, _ in records.rejected),
                                                                          records.rejected_errors)}
    first = min([*records.lines, *reasons])
    header = next((cells for n, cells in reversed(raw) if n < first and any(c not in (None, "") for c in cells)), [])
    by_line = dict(raw)
    rows = [[line, reasons[line], *by_line.get(line, [])] for line in sorted(reasons)]
    target = source.with_name(source.stem + ".rejets.csv")
    write_csv_fr(target, [t("cli.rejects.line"), t("cli.rejects.reason"), *header], rows)
    print(i18n.plural("cli.rejected", len(rows), count=i18n.number(len(rows)), path=target), file=sys.stderr)
    return target


def _raw_rows(source: Path, sheet: str | None) -> list[tuple[int, list[object]]]:
    """(line, cells) of the file as read, before any field is parsed."""
    from cockpit.io.sheets import csv_table, xlsx_rows

    data = source.read_bytes()
    if data.startswith(b"PK"):
        return xlsx_rows(str(source), data, sheet)[0]
    return list(csv_table(str(source), data).rows())
