"""Contact rhythm (METHOD §7) against a slow reference: its own calendar
(month lengths and the Gregorian leap rule, no datetime arithmetic) counts the
days since the last contact; exact fractions decide 1.5 × the rhythm."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit import config
from cockpit.action.rhythm import Rhythm, due_clients, status
from cockpit.action.standing import Standing
from cockpit.store import shared_settings
from cockpit.store.workspace import Workspace

# ---- the slow reference -------------------------------------------------------


def ref_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def ref_month_days(year: int, month: int) -> int:
    return 29 if month == 2 and ref_leap(year) else [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]


def ref_days_between(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
    """Days from a to b (a <= b), one day at a time across month ends and years."""
    y, m, d = a
    n = 0
    while (y, m, d) != b:
        d += 1
        if d > ref_month_days(y, m):
            d, m = 1, m + 1
            if m > 12:
                m, y = 1, y + 1
        n += 1
    return n


def ref_status(last: tuple[int, int, int] | None, today: tuple[int, int, int], days: int, factor: Fraction) -> str:
    if last is None:
        return "due"  # METHOD §7: never contacted = due
    if last > today:
        return "ok"  # a contact dated ahead: not older than anything
    since = ref_days_between(last, today)
    if since > factor * days:
        return "overdue"
    return "due" if since > days else "ok"


def ymd(day: dt.date) -> tuple[int, int, int]:
    return (day.year, day.month, day.day)


# ---- the rule -----------------------------------------------------------------

dates = st.dates(min_value=dt.date(1999, 1, 1), max_value=dt.date(2031, 12, 31))


@settings(max_examples=300, deadline=None)
@given(last=dates, gap=st.integers(0, 800), days=st.integers(1, 400),
       factor=st.sampled_from([Fraction(1), Fraction(3, 2), Fraction(2), Fraction(5, 4)]))
def test_status_matches_the_calendar_reference(last, gap, days, factor):
    today = last + dt.timedelta(days=gap)
    if today > dt.date(2031, 12, 31):
        return
    assert status(last, days, today, factor) == ref_status(ymd(last), ymd(today), days, factor)


MONTH_ENDS = [dt.date(2024, 1, 31), dt.date(2024, 2, 28), dt.date(2024, 2, 29), dt.date(2023, 2, 28),
              dt.date(2100, 2, 28), dt.date(2000, 2, 29), dt.date(2025, 12, 31), dt.date(2024, 4, 30)]


def test_month_ends_and_leap_years_day_by_day():
    """Every day for a year after each month end: due and overdue flip exactly where the reference says."""
    for last in MONTH_ENDS:
        for days in (30, 60, 180):
            seen = set()
            for offset in range(0, 300):
                today = last + dt.timedelta(days=offset)
                got = status(last, days, today, Fraction(3, 2))
                assert got == ref_status(ymd(last), ymd(today), days, Fraction(3, 2)), (last, days, today)
                seen.add(got)
            assert seen == {"ok", "due", "overdue"} or days == 180  # 180 days: overdue only after 270


def test_never_contacted_is_due_and_a_zone_overrides_its_class():
    rhythm = Rhythm.from_config(config.DEFAULTS.updated("rhythm", {"zones": {"developpement": 45}}).rhythm)
    assert rhythm.of("B", "developpement") == 45 and rhythm.of("B", "fond_de_commerce") == 60
    assert rhythm.of("A", None) == 30 and rhythm.of("C", "gestion_economique") == 180
    assert status(None, 30, dt.date(2026, 1, 1), Fraction(3, 2)) == "due"


def test_due_clients_a_first_overdue_first_longest_silence_first():
    today = dt.date(2024, 3, 31)
    stand = [Standing(1, "B", None, None, 0), Standing(2, "A", None, None, 0), Standing(3, "A", None, None, 0),
             Standing(4, "A", None, None, 0), Standing(5, "C", None, None, 0), Standing(6, "A", None, None, 0)]
    last = {1: dt.date(2023, 12, 1), 2: dt.date(2024, 2, 29), 3: dt.date(2024, 1, 1), 4: dt.date(2024, 3, 20),
            5: dt.date(2023, 1, 1)}
    rhythm = Rhythm.from_config(config.DEFAULTS.rhythm)
    got = due_clients(stand, last, rhythm, today)
    # Reference: filter by the reference status, then the METHOD's order.
    rank = {"overdue": 0, "due": 1}
    expected = []
    for s in stand:
        days = {"A": 30, "B": 60, "C": 180}[s.cls]
        st_ = ref_status(ymd(last[s.client_id]) if s.client_id in last else None, ymd(today), days, Fraction(3, 2))
        if st_ != "ok":
            since = ref_days_between(ymd(last[s.client_id]), ymd(today)) if s.client_id in last else 10**9
            expected.append((s.cls, rank[st_], -since, s.client_id))
    assert [d.client_id for d in got] == [e[3] for e in sorted(expected)]
    # A first: overdue (90 days), then due, never contacted before 31 days; then B, then C.
    assert [d.client_id for d in got] == [3, 6, 2, 1, 5]
    assert 4 not in [d.client_id for d in got]  # contacted 11 days ago


def test_rhythm_section_in_config_and_shared_by_the_workspace(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[rhythm]\na_days = 20\nzones = { developpement = 45 }\n", encoding="utf-8")
    cfg, _ = config.load(path, explicit=True)
    assert (cfg.rhythm.a_days, cfg.rhythm.b_days, cfg.rhythm.zones["developpement"]) == (20, 60, 45)
    path.write_text("[rhythm]\nzones = { ailleurs = 45 }\n", encoding="utf-8")
    try:
        config.load(path, explicit=True)
    except config.ConfigError as exc:
        assert "rhythm.zones" in str(exc) and "fond_de_commerce" in str(exc)
    else:
        raise AssertionError("an unknown zone was accepted")
    ws = Workspace(tmp_path / "w.sqlite", who="claire")
    shared_settings.save(ws, "rhythm", {"b_days": 45, "call_weight": 0.5})
    other = Workspace(tmp_path / "w.sqlite", who="julien")
    applied = shared_settings.apply(config.DEFAULTS, other)
    assert (applied.rhythm.b_days, applied.rhythm.call_weight, applied.rhythm.a_days) == (45, 0.5, 30)
