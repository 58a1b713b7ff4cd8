"""``cockpit abc FILE``: rank a clients file and class it A, B, C (no
workspace). CSV goes through the columnar path (`cockpit.io.abc_columns`)
when the file allows; the row path below is its reference and takes the rest
(workbooks, odd files, groups, the table and JSON formats)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.io.input_error import InputError
    from cockpit.portfolio.abc import Limits


def _no_amount(args: argparse.Namespace) -> InputError:
    from cockpit.i18n import both
    from cockpit.io.input_error import InputError

    return InputError(str(args.file), None, None, None, *both(f"cli.abc.no_amount.{args.amount}"))


def _limits(args: argparse.Namespace, cfg: Config) -> Limits:
    from cockpit.i18n import both
    from cockpit.io.input_error import InputError
    from cockpit.portfolio.abc import Limits

    a = args.a_limit if args.a_limit is not None else cfg.abc.a_limit
    b = args.b_limit if args.b_limit is not None else cfg.abc.b_limit
    try:
        return Limits.of(a, b)
    except ValueError:
        raise InputError("--a-limit/--b-limit", None, None, f"{a} / {b}", *both("cli.abc.limits")) from None


COLUMNAR = True  # the tests turn it off to compare with the row path, the reference


def run_abc(args: argparse.Namespace, cfg: Config) -> int:
    from cockpit.portfolio.abc import TotalTooLarge

    try:
        return _run_abc(args, cfg)
    except TotalTooLarge:  # every path sums before it writes: nothing is out yet
        raise TotalTooLarge.at(str(args.file)) from None


def _run_abc(args: argparse.Namespace, cfg: Config) -> int:
    import numpy as np

    from cockpit.portfolio.abc import CLASS_LETTERS, abc_classes, name_keys, positive_cum
    from cockpit.io.tabular import read_records

    wanted = ["code", "name", args.amount] + (["group"] if args.by_group else [])
    if args.format == "csv" and not args.by_group and COLUMNAR:  # a plain file: polars from end to end
        from cockpit.io.abc_plain import read_plain

        clients = read_plain(str(args.file), args.amount)
        if clients is not None:
            from cockpit.io.abc_csv import write_ranked_csv

            write_ranked_csv(sys.stdout, clients, _limits(args, cfg), args.computed)
            return 0
    if args.format in ("csv", "json") and not args.by_group and COLUMNAR:  # columns from end to end (the row path's file)
        from cockpit.io.abc_columns import write_abc_csv
        from cockpit.io.abc_json import write_abc_json

        write = write_abc_csv if args.format == "csv" else write_abc_json
        if write(sys.stdout, str(args.file), args.amount, lambda: _limits(args, cfg), args.computed,
                 lambda: _no_amount(args)):
            return 0

    from cockpit.io.fast_records import read_fast

    records = read_fast(args.file, "clients", wanted) or read_records(args.file, "clients", sheet=args.sheet, fields=wanted)
    if args.amount not in records.fields:
        raise _no_amount(args)
    names = cast("list[str]", records.column("name"))  # a required text field
    n = len(names)
    ids = [code or str(i) for i, code in enumerate(cast("list[str | None]", records.column("code")), 1)]  # text cells, or None
    amount = np.array([v or 0 for v in records.column(args.amount)], dtype=np.int64)
    limits = _limits(args, cfg)
    model = None
    if args.by_group or args.format != "csv":  # the group ranking and the summary need the model
        from cockpit.portfolio.model import PortfolioModel
        from cockpit.store.portfolio_data import PortfolioData

        groups = [g or "" for g in cast("list[str | None]", records.column("group"))]  # no group: a group of its own
        data = PortfolioData(
            period="", client_id=np.arange(n, dtype=np.int64), code=ids, name=names, group=groups, sector=[""] * n,
            potential=np.full(n, -1, dtype=np.int64), amount=amount, version=np.zeros(n, dtype=np.int64))
        model = PortfolioModel(data, limits, "computed" if args.computed else "fixed",
                               "group" if args.by_group else "account", cfg.diagnosis, args.amount)
        r = model.ranked
        order, sorted_amounts, cum, total = r.order, r.sorted_amounts(), r.cum, r.total
        a_count, b_count = model.counts()
    else:
        from cockpit.portfolio.computed_limits import counts_in_force

        keys = name_keys(names, ids)  # ties by (name, id as text), never by the file's row order
        ranked = abc_classes(amount, keys, limits)
        order, sorted_amounts, cum, total = ranked.order, ranked.amounts, ranked.cum, ranked.total
        a_count, b_count, _ = counts_in_force(ranked, limits, args.computed)
    n = len(order)
    if model is not None and model.view == "group":
        id_col = [model.group_id(int(g)) for g in order]
        name_col = [str(g) for g in model.group_names[order]]
    else:
        rows = order.tolist()
        id_of: Callable[[int], str] = ids.__getitem__
        name_of: Callable[[int], str] = names.__getitem__
        id_col, name_col = list(map(id_of, rows)), list(map(name_of, rows))

    def round6(x: np.ndarray) -> list[float]:
        """round(v, 6) of each float, in bulk: rint of v * 1e6 is that rounding when
        v * 1e6 is small (error below 2**-23) and not near a half; the rest by round()."""
        y = x * 1e6
        out = np.rint(y) / 1e6
        for i in np.flatnonzero(~(np.abs(y) < 2**30) | (np.abs(y) < 1) | (np.abs(y - np.floor(y) - 0.5) < 1e-6)):
            out[i] = round(float(x[i]), 6)
        return cast("list[float]", out.tolist())

    if args.format == "csv":  # opened in a spreadsheet: no id or name it would run (the exports' guard)
        from cockpit.io.numbers_fr import guard_formula

        id_col, name_col = list(map(guard_formula, id_col)), list(map(guard_formula, name_col))
    big = n and int(np.abs(sorted_amounts).max()) >= 2**53  # beyond exact floats: Python's int / 100
    n_pos = int(np.count_nonzero(sorted_amounts > 0))
    columns = {
        "rank": range(1, n + 1), "id": id_col, "name": name_col,
        "amount": [int(v) / 100 for v in sorted_amounts] if big else (sorted_amounts / 100).tolist(),
        "cum_share": round6(positive_cum(cum, n_pos, total) / total) if total > 0 else [0.0] * n,
        "client_share": round6(np.arange(1, n + 1) / n),
        "class": [CLASS_LETTERS[0]] * a_count + [CLASS_LETTERS[1]] * max(0, b_count - a_count)
        + [CLASS_LETTERS[2]] * (n - max(a_count, b_count)),
        "flag": [""] * n_pos + ["non-positive"] * (n - n_pos),
    }
    if args.format == "csv":
        from cockpit.io.sheets import write_csv_columns

        floats = ("amount", "cum_share", "client_share")  # written as csv writes a float: repr()
        write_csv_columns(sys.stdout, list(columns), cast("list[list[str]]", [  # the other columns are text
            list(map(repr, v)) if k in floats else v if k != "rank" else list(map(str, v)) for k, v in columns.items()]))
        return 0
    out = [dict(zip(columns, row)) for row in zip(*columns.values())]
    assert model is not None  # made above for every format but csv
    if args.format == "json":
        s = model.summary()
        computed = s.computed and {"pareto_x": s.computed.pareto_x, "break_even_x": s.computed.break_even_x,
                                   "submarginal_x": s.computed.submarginal_x,
                                   "fallback": s.computed.fallback}  # no shape to read: the fixed limits applied
        json.dump({"a_limit": float(s.a_limit), "b_limit": float(s.b_limit), "computed": computed,
                   "counts": dict(zip(CLASS_LETTERS, s.counts)), "clients": out}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        from cockpit.report import abc_table

        from cockpit.safe_text import safe_text

        print("\n".join(map(safe_text, abc_table(model, out).split("\n"))))  # as cli._print_text
    return 0
