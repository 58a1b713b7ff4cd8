"""Next-action dates as a rep types them, French or English, against a fixed today."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.io.dates_fr import add_months, parse_next_date
from cockpit.io.numbers_fr import ParseError

SUNDAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize("text, expected", [
    ("25/12", dt.date(2026, 12, 25)),
    ("28/11", dt.date(2027, 11, 28)),  # already past this year: next year's
    ("29/11", SUNDAY),  # today counts
    ("25/12/2026", dt.date(2026, 12, 25)),
    ("25/12/26", dt.date(2026, 12, 25)),
    ("2026-12-25", dt.date(2026, 12, 25)),
    ("+3j", dt.date(2026, 12, 2)),
    ("+3d", dt.date(2026, 12, 2)),
    ("+3", dt.date(2026, 12, 2)),
    ("+ 10 jours", dt.date(2026, 12, 9)),
    ("+2s", dt.date(2026, 12, 13)),
    ("+2w", dt.date(2026, 12, 13)),
    ("+1m", dt.date(2026, 12, 29)),
    ("+3 mois", dt.date(2027, 2, 28)),  # 29 February does not exist in 2027
    ("lundi", dt.date(2026, 11, 30)),
    ("Monday", dt.date(2026, 11, 30)),
    ("dimanche", dt.date(2026, 12, 6)),  # never today: the next one
    ("ven.", dt.date(2026, 12, 4)),
    ("demain", dt.date(2026, 11, 30)),
    ("tomorrow", dt.date(2026, 11, 30)),
    ("Après-demain", dt.date(2026, 12, 1)),
    ("aujourd'hui", SUNDAY),
    ("today", SUNDAY),
    ("29/02", dt.date(2028, 2, 29)),
])
def test_examples(text, expected):
    assert parse_next_date(text, SUNDAY) == expected


@pytest.mark.parametrize("text", ["", "bientôt", "+3x", "32/12", "31/02/2026", "lundy", "+"])
def test_nonsense_says_what_is_expected(text):
    with pytest.raises(ParseError) as exc:
        parse_next_date(text, SUNDAY)
    assert "+3j" in exc.value.expected and "+3d" in exc.value.expected_en


days = st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31))


@given(days, st.integers(0, 999))
def test_relative_days_and_weeks(today, n):
    assert parse_next_date(f"+{n}j", today) == today + dt.timedelta(days=n)
    assert parse_next_date(f"+{n}w", today) == today + dt.timedelta(weeks=n)


@given(days, st.sampled_from(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]))
def test_a_weekday_is_the_next_one_within_a_week(today, name):
    got = parse_next_date(name, today)
    assert 1 <= (got - today).days <= 7
    assert got.weekday() == ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"].index(name)


@given(days, st.integers(1, 28), st.integers(1, 12))
def test_day_month_is_the_next_occurrence(today, day, month):
    got = parse_next_date(f"{day:02d}/{month}", today)
    assert (got.day, got.month) == (day, month) and today <= got < add_months(today, 12) + dt.timedelta(days=1)
