"""The sample's figures against slow references written from METHOD §1, §3 and
§6 in exact fractions: computed limits (with their fallback), the crossed
matrix under both limits modes, and orientation's targets."""

from __future__ import annotations

import sqlite3
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit import config
from cockpit.portfolio.abc import Limits
from cockpit.activity.store import load_targets
from cockpit.portfolio.computed_limits import computed_limits
from cockpit.portfolio.matrices import DEFAULT_ZONES
from cockpit.portfolio.strategy import load_strategy
from cockpit.store.workspace import Workspace

FIXED = Limits(Fraction(4, 5), Fraction(19, 20))


# ---- slow references --------------------------------------------------------

def ref_fixed_counts(desc: list[int], limits: Limits) -> tuple[int, int]:
    """A count and A+B count: the share of the clients ranked before decides."""
    total = sum(v for v in desc if v > 0)
    before, na, nb = 0, 0, 0
    for v in desc:
        if v <= 0:
            break
        na += Fraction(before, total) < limits.a
        nb += Fraction(before, total) < limits.b
        before += v
    return na, nb


def first_min(values: list[Fraction]) -> int:
    return values.index(min(values))


def ref_computed_counts(desc: list[int], limits: Limits) -> tuple[int, int, bool]:
    """Ultsch & Lötsch's points at the curve's vertices, in fractions; the fixed
    limits where the curve has no shape (fewer than 3 positive, or all equal)."""
    pos = [v for v in desc if v > 0]
    n = len(pos)
    if n < 3 or len(set(pos)) == 1:
        return (*ref_fixed_counts(desc, limits), True)
    total = sum(pos)
    xs = [Fraction(i, n) for i in range(1, n + 1)]
    ys, cum = [], 0
    for v in pos:
        cum += v
        ys.append(Fraction(cum, total))
    pareto = first_min([x * x + (1 - y) ** 2 for x, y in zip(xs, ys)]) + 1
    even = sum(1 for v in pos if v * n >= total)  # at or above the mean
    ab, other = min(pareto, even), max(pareto, even)
    sub = max(first_min([(x - xs[other - 1]) ** 2 + (1 - y) ** 2 for x, y in zip(xs, ys)]) + 1, other)
    return ab, sub, False


def ref_classes(amounts: dict[str, int], names: dict[str, str], limits: Limits, mode: str) -> dict[str, int]:
    """Class (0 = A) per client code, ties by (name, code)."""
    order = sorted(amounts, key=lambda c: (-amounts[c], names[c], c))
    desc = [amounts[c] for c in order]
    a, b = ref_computed_counts(desc, limits)[:2] if mode == "computed" else ref_fixed_counts(desc, limits)
    return {c: 0 if r < a else 1 if r < b else 2 for r, c in enumerate(order)}


def sample_period(path) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
    """(revenue, potential, name) per code of the latest period, straight from SQL."""
    db = sqlite3.connect(path)
    (period,) = db.execute("SELECT max(period) FROM amounts").fetchone()
    rows = db.execute("SELECT c.code, c.name, a.revenue, c.potential FROM amounts a JOIN clients c ON c.id = a.client_id "
                      "WHERE a.period = ?", (period,)).fetchall()
    db.close()
    revenue = {code: rev for code, _, rev, _ in rows}
    potential = {code: pot for code, _, _, pot in rows if pot is not None}
    return revenue, potential, {code: name for code, name, _, _ in rows}


def ref_crossed(path, mode: str) -> np.ndarray:
    revenue, potential, names = sample_period(path)
    current = ref_classes(revenue, names, FIXED, mode)
    pclass = ref_classes(potential, names, FIXED, mode)
    counts = np.zeros((3, 3), dtype=np.int64)
    for code, p in pclass.items():
        counts[p, current[code]] += 1
    return counts


# ---- computed limits: fallback and the curve ---------------------------------

@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-50, 10**7), min_size=0, max_size=40) | st.tuples(
    st.integers(1, 10**6), st.integers(1, 20)).map(lambda t: [t[0]] * t[1]))
def test_computed_limits_match_the_slow_reference(vals):
    desc = sorted(vals, reverse=True)
    got = computed_limits(np.array(desc, dtype=np.int64), FIXED)
    a, b, fallback = ref_computed_counts(desc, FIXED)
    assert (got.a_count, got.b_count, got.fallback) == (a, b, fallback or not any(v > 0 for v in desc))


def test_a_lone_client_is_a_and_the_summary_says_it_fell_back(tmp_path):
    from cockpit import i18n
    from cockpit.portfolio.model import PortfolioModel
    from cockpit.report import summary_lines
    from cockpit.store.portfolio_data import PortfolioData

    data = PortfolioData("2025", np.arange(2), ["K1", "K2"], ["SEUL", "AVOIR"], ["", ""], ["", ""], np.full(2, -1),
                         np.array([100_000, -500]), np.ones(2, dtype=np.int64))
    model = PortfolioModel(data, FIXED, "computed")
    assert model.class_at(0) == "A"
    for lang, words in (("fr", "seuils fixes"), ("en", "fixed limits")):
        i18n.set_lang(lang)
        assert any(words in line and "%" in line for line in summary_lines(model.summary()))
    i18n.set_lang("fr")


# ---- crossed matrix and targets on the sample ----------------------------------

def test_crossed_matrix_follows_the_limits_mode(sample_db):
    cfg = config.DEFAULTS
    ws = Workspace(sample_db)
    model, strategy, _ = load_strategy(ws, cfg)
    for mode in ("fixed", "computed"):
        model.set_mode(mode)
        matrix, _, _ = strategy.crossed()
        assert np.array_equal(matrix.counts, ref_crossed(sample_db, mode)), mode
    # The figures: A′/B′/C′ of 11/4/26 under computed limits (was 11/7/23).
    assert matrix.counts.sum(axis=1).tolist() == [11, 4, 26]
    ws.close()


def test_targets_are_the_crossed_matrix_clients_of_the_period(sample_db):
    ws = Workspace(sample_db)
    (period,) = ws.db.execute("SELECT max(period) FROM amounts").fetchone()
    by_code = dict(ws.db.execute("SELECT code, id FROM clients"))
    revenue, potential, names = sample_period(sample_db)
    for mode in ("fixed", "computed"):
        cfg = config.DEFAULTS
        cfg = cfg.updated("abc", {"mode": mode})
        targets = load_targets(ws, cfg)
        current = ref_classes(revenue, names, FIXED, mode)
        pclass = ref_classes(potential, names, FIXED, mode)
        a_ref = {by_code[c] for c, k in current.items() if k == 0 and revenue[c] > 0}
        dev_ref = {by_code[c] for c, p in pclass.items()
                   if revenue[c] > 0 and DEFAULT_ZONES[p][current[c]] == "developpement"}
        assert targets.a_clients == a_ref and targets.dev_clients == dev_ref, mode
    lost = {cid for (cid,) in ws.db.execute(
        "SELECT id FROM clients WHERE id NOT IN (SELECT client_id FROM amounts WHERE period = ? AND revenue > 0)", (period,))}
    assert lost and not (lost & targets.clients)  # C046–C053 are never targets
    cfg = config.DEFAULTS
    assert len(load_targets(ws, cfg).dev_clients) == 6  # the crossed matrix's 6, not 10
    ws.close()


# ---- margin mode (METHOD §1) ----------------------------------------------------

def test_margin_mode_share_of_wallet_is_revenue_over_potential(sample_db):
    from cockpit.io.exports import clients_table

    cfg = config.DEFAULTS
    cfg = cfg.updated("abc", {"amount": "margin"})
    ws = Workspace(sample_db)
    model, strategy, _ = load_strategy(ws, cfg)
    assert model.amount_field == "margin"
    revenue, potential, names = sample_period(sample_db)
    headers, rows = clients_table(strategy)
    col = headers.index("share_of_wallet")
    checked = 0
    for row in rows:
        code = row[headers.index("code")]
        if code in potential and potential[code] > 0 and revenue[code] > 0:
            exact = Fraction(revenue[code], potential[code])
            assert abs(Fraction(row[col]) - exact) <= Fraction(1, 10**6), code
            i = list(model.data.code).index(code)
            assert abs(Fraction(model.share_of_wallet(i)) - exact) < Fraction(1, 10**9)
            checked += 1
        else:
            assert row[col] is None, code
    assert checked > 30
    lorflex = next(r for r in rows if r[headers.index("code")] == "C001")
    assert round(float(lorflex[col]), 3) == 0.629  # was 16.0 %: margin ÷ a revenue potential
    ws.close()


def test_margin_mode_labels_say_margin_in_both_languages(sample_db):
    from cockpit import i18n
    from cockpit.report import summary_lines

    cfg = config.DEFAULTS
    cfg = cfg.updated("abc", {"amount": "margin"})
    ws = Workspace(sample_db)
    model, _, _ = load_strategy(ws, cfg)
    for lang, margin, revenue in (("fr", "marge", ("CA",)), ("en", "margin", ("revenue",))):
        i18n.set_lang(lang)
        lines = summary_lines(model.summary())
        text = "\n".join(lines)
        assert margin in lines[0] and margin in lines[4]  # the total and the limits
        assert not any(word in text.split() or f"{word} " in text for word in revenue), text
    i18n.set_lang("fr")
    ws.close()


def test_summary_counts_take_the_singular_and_the_configured_disclosure(sample_db):
    from cockpit import i18n
    from cockpit.portfolio.model import PortfolioModel
    from cockpit.report import summary_lines
    from cockpit.store.portfolio_data import PortfolioData

    data = PortfolioData("2025", np.arange(3), ["K1", "K2", "K3"], ["A", "B", "C"], ["", "", ""], ["", "", ""],
                         np.full(3, -1), np.array([900, 50, -5]), np.ones(3, dtype=np.int64))
    model = PortfolioModel(data, FIXED, thresholds={**config.DEFAULTS.diagnosis, "disclosure_share": 0.25})
    i18n.set_lang("fr")
    text = "\n".join(summary_lines(model.summary()))
    assert "A : 1 client (" in text and "1 client au-dessus de 25\u00a0% du CA" in text and "1 clients" not in text
    assert "classé C" in text
    i18n.set_lang("en")
    text = "\n".join(summary_lines(model.summary()))
    assert "A: 1 client (" in text and "1 client above 25% of revenue" in text and "1 clients" not in text
    i18n.set_lang("fr")


# ---- every figure follows an edit (issue point 12) ------------------------------

def test_products_and_rolling_months_follow_an_edit(db_path):
    from collections import defaultdict

    from cockpit.portfolio import periods

    ws = Workspace(db_path)
    cfg = config.DEFAULTS
    model, strategy, _ = load_strategy(ws, cfg, period="2025")
    i = int(np.flatnonzero(model.data.amount > 0)[0])
    cid, new = int(model.data.client_id[i]), int(model.data.amount[i]) * 3 + 12_345
    model.set_amount(i, new)  # what the screen does before its save
    ws.edit("amounts", (cid, "2025"), "revenue", new)
    matrix, lines = strategy.products()
    per_client = defaultdict(int)
    for k, _, amount in lines:
        per_client[k] += amount
    raw = defaultdict(list)
    for c, product, amount in strategy.product_lines:
        raw[c].append(amount)
    for k, amount in enumerate(model.data.amount.tolist()):
        assert per_client.get(k, 0) == amount  # every client's lines add up to its amount on screen
    lines_of_i = [a for k, _, a in lines if k == i]
    exact = [Fraction(a * new, sum(raw[cid])) for a in raw[cid]]
    assert all(abs(a - e) < 1 for a, e in zip(lines_of_i, exact))
    assert matrix.grand_total == int(model.data.amount.sum())

    # Rolling 12 months: lines count at their year's amount ÷ its lines.
    db = ws.db
    for label in ("R2025-12", "R2025-06"):
        start, end = periods.window(label)
        got = {r[0]: r[6] for r in periods.rolling_rows(db, label, "revenue")}
        ref: dict[int, Fraction] = defaultdict(Fraction)
        for c, date, revenue in db.execute("SELECT client_id, date, revenue FROM sales"):
            if start <= date < end:
                year = date[:4]
                (lines_total,) = db.execute("SELECT sum(revenue) FROM sales WHERE client_id = ? AND substr(date, 1, 4) = ?",
                                            (c, year)).fetchone()
                (amount,) = db.execute("SELECT revenue FROM amounts WHERE client_id = ? AND period = ?", (c, year)).fetchone()
                ref[c] += Fraction(revenue * amount, lines_total)
        assert got == {c: round(v) for c, v in ref.items()}, label
        if label == "R2025-12":  # a calendar-year window is the year's amounts, the edit included
            assert got[cid] == new
            assert got == dict(db.execute("SELECT client_id, revenue FROM amounts WHERE period = '2025'"))
    ws.close()


def test_group_view_words_and_chart_numbers_in_both_languages():
    from cockpit import i18n
    from cockpit.portfolio.model import PortfolioModel
    from cockpit.report import summary_lines
    from cockpit.store.portfolio_data import PortfolioData

    data = PortfolioData("2025", np.arange(4), ["K1", "K2", "K3", "K4"], ["A", "B", "C", "D"], ["G", "G", "", ""],
                         ["", "", "", ""], np.full(4, -1), np.array([500, 300, 150, 50]), np.ones(4, dtype=np.int64))
    model = PortfolioModel(data, FIXED, "computed", "group")
    for lang, group, client in (("fr", "groupes", "clients"), ("en", "groups", "clients")):
        i18n.set_lang(lang)
        text = "\n".join(summary_lines(model.summary()))
        assert f"3 {group}" in text and f" {client} " not in text and not text.startswith("3 clients")
        # Axis labels in the language's numbers and month names.
        assert i18n.month("2026-11") == ("nov. 2026" if lang == "fr" else "Nov 2026")
        assert i18n.number(i18n.axis_ticks(83.3)[-1]) == "100"
    assert i18n.axis_ticks(336.3) == [0, 100, 200, 300, 400]
    i18n.set_lang("fr")


def test_margin_mode_strategy_words_say_margin(db_path):
    from cockpit import i18n
    from cockpit.report import strategy_lines

    cfg = config.DEFAULTS
    cfg = cfg.updated("abc", {"amount": "margin"})
    ws = Workspace(db_path)
    model, strategy, _ = load_strategy(ws, cfg)
    for lang, word, other in (("fr", "de marge", "de CA"), ("en", "of margin", "of revenue")):
        i18n.set_lang(lang)
        text = "\n".join(strategy_lines(strategy, cfg))
        assert word in text and other not in text
        assert i18n.tm("evolution.col.lost_revenue", "margin") != i18n.tm("evolution.col.lost_revenue", "revenue")
    i18n.set_lang("fr")
    ws.close()


def test_counts_of_one_take_the_singular_in_both_languages():
    from cockpit import i18n

    for lang in ("fr", "en"):
        i18n.set_lang(lang)
        one = i18n.tn("crossed.missing", 1, n="1", amount="5 €")
        many = i18n.tn("crossed.missing", 2, n="2", amount="5 €")
        assert "1 client " in one and "2 clients " in many
        assert "1 client " in i18n.tn("crossed.missing", 1, "margin", n="1", amount="5 €")
        assert "prospects" not in i18n.tn("prospects.matrix.unplaced", 1, n="1")
    i18n.set_lang("fr")
    assert "0 client " in i18n.tn("crossed.missing", 0, n="0", amount="0 €")  # French singular for 0
