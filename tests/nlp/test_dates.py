"""Tests for sitrep.nlp.dates: absolute and relative dates, weekday mismatches, precision."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from sitrep.nlp.dates import DateMention, find_dates

SAT = date(2026, 1, 31)  # a Saturday
SUN = date(2026, 2, 1)


def one(text: str, published: date | None) -> DateMention:
    (m,) = find_dates(text, published)
    return m


# (sentence, published, mention text, date, precision)
CASES = [
    # absolute
    ("Attacks began on January 31, 2026 in Quetta.", None, "January 31, 2026", date(2026, 1, 31), 1),
    ("Attacks began on 31 January 2026.", None, "31 January 2026", date(2026, 1, 31), 1),
    ("Attacks began on the 31st of January.", SUN, "the 31st of January", date(2026, 1, 31), 1),
    ("Attacks began Jan. 31 in Quetta.", SUN, "Jan. 31", date(2026, 1, 31), 1),
    ("Attacks began on Sept. 3 in Quetta.", SUN, "Sept. 3", date(2025, 9, 3), 1),
    ("Dated 2026-01-31.", None, "2026-01-31", date(2026, 1, 31), 1),
    ("Dated 31/01/2026.", None, "31/01/2026", date(2026, 1, 31), 1),
    ("Dated 05/02/2026.", None, "05/02/2026", date(2026, 2, 5), 1),
    ("Dated 01/31/2026.", None, "01/31/2026", date(2026, 1, 31), 1),
    ("on Saturday, January 31, 2026, militants", None, "Saturday, January 31, 2026", date(2026, 1, 31), 1),
    ("Clashes on January 30-31 left 9 dead.", SUN, "January 30-31", date(2026, 1, 30), 2),
    ("Quetta, January 31 - 10 killed.", SUN, "January 31", date(2026, 1, 31), 1),
    ("The campaign began in Sept. last year.", SUN, "Sept.", date(2025, 9, 15), 3),
    # missing year: from the publication date, looking back
    ("Talks on December 30 failed.", date(2026, 1, 2), "December 30", date(2025, 12, 30), 1),
    ("Talks are due on February 5.", SUN, "February 5", date(2026, 2, 5), 1),
    ("It happened on 10 May.", SUN, "10 May", date(2025, 5, 10), 1),
    ("It happened on February 29.", date(2026, 3, 1), "February 29", date(2024, 2, 29), 1),
    ("It happened on February 30.", SUN, "February 30", None, 1),
    # relative to the publication date
    ("Gunmen attacked on Saturday.", SUN, "Saturday", date(2026, 1, 31), 1),
    ("Gunmen attacked on Saturday.", SAT, "Saturday", date(2026, 1, 31), 1),
    ("As of Sunday morning, fighting went on.", SAT, "Sunday morning", date(2026, 2, 1), 1),
    ("Gunmen attacked on Friday night.", SUN, "Friday night", date(2026, 1, 30), 1),
    ("Blasts were heard early Saturday.", SUN, "early Saturday", date(2026, 1, 31), 1),
    ("Gunmen attacked last Saturday.", SAT, "last Saturday", date(2026, 1, 24), 1),
    ("Talks resume next Monday.", SAT, "next Monday", date(2026, 2, 2), 1),
    ("Gunmen attacked yesterday.", SUN, "yesterday", date(2026, 1, 31), 1),
    ("Gunmen attacked last night.", SUN, "last night", date(2026, 1, 31), 1),
    ("Gunmen attacked the day before yesterday.", SUN, "the day before yesterday", date(2026, 1, 30), 1),
    ("Police said today that 4 died.", SUN, "today", date(2026, 2, 1), 1),
    ("A day earlier, a bomb went off.", SUN, "A day earlier", date(2026, 1, 31), 1),
    ("The previous day, a bomb went off.", SUN, "The previous day", date(2026, 1, 31), 1),
    ("Gunmen attacked two days ago.", SUN, "two days ago", date(2026, 1, 30), 1),
    ("Gunmen attacked 3 weeks ago.", SUN, "3 weeks ago", date(2026, 1, 11), 2),
    ("Gunmen attacked a month ago.", SUN, "a month ago", date(2026, 1, 1), 3),
    ("Gunmen attacked last week.", SUN, "last week", date(2026, 1, 21), 2),
    ("Gunmen attacked earlier this week.", SUN, "earlier this week", date(2026, 1, 28), 2),
    ("Gunmen attacked over the past week.", SUN, "the past week", date(2026, 1, 29), 2),
    ("Gunmen attacked last month.", SUN, "last month", date(2026, 1, 15), 3),
    ("Gunmen attacked earlier this month.", date(2026, 2, 10), "earlier this month", date(2026, 2, 10), 3),
    # months
    ("The campaign began in August 2024.", SUN, "August 2024", date(2024, 8, 15), 3),
    ("The campaign began in August.", SUN, "August", date(2025, 8, 15), 3),
    ("The campaign began in mid-January.", SUN, "mid-January", date(2026, 1, 15), 3),
    ("The campaign began in late December.", SUN, "late December", date(2025, 12, 25), 3),
    ("The campaign began in January 2026.", date(2026, 1, 10), "January 2026", date(2026, 1, 10), 3),
]


@pytest.mark.parametrize("text, published, span, expected, precision", CASES,
                         ids=[f"{c[0][:35]}|{c[1]}" for c in CASES])
def test_dates_are_found_and_resolved(text, published, span, expected, precision):
    m = one(text, published)
    assert (m.text, m.date, m.precision) == (span, expected, precision)
    assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("text, published, weekday, mismatch", [
    ("on Friday, January 31, attacks began", SUN, "Friday", True),   # 2026-01-31 was a Saturday
    ("on Saturday, January 31, attacks began", SUN, "Saturday", False),
    ("on Friday 30 January 2026, attacks began", None, "Friday", False),
    ("on Thursday 30 January 2026, attacks began", None, "Thursday", True),
    ("on Friday, January 31, attacks began", None, "Friday", False),  # no year: nothing to compare
    ("attacks began on Friday", SUN, "Friday", False),
    ("attacks began on January 31", SUN, None, False),
])
def test_a_weekday_that_contradicts_its_date_is_flagged(text, published, weekday, mismatch):
    m = one(text, published)
    assert (m.weekday, m.weekday_mismatch) == (weekday, mismatch)


@pytest.mark.parametrize("text", [
    "On Saturday, gunmen attacked.", "Attacks began on January 31.", "Two days ago.", "Last week.",
    "a day earlier", "in August",
])
def test_without_a_publication_date_only_full_dates_resolve(text):
    m = one(text, None)
    assert m.date is None


@pytest.mark.parametrize("text", [
    "Theresa May said 10 people died.", "May God protect them.", "a march on the capital",
    "They killed 31 soldiers.", "Operation Herof 2.0", "the 2024 offensive", "at 6 a.m. local time",
    "the day before the attack", "a few days' notice", "9/11", "24/7", "in 2024", "fighting in Marawi",
    "flights to Augusta", "shops close on Sundays", "MondayMotivation",
])
def test_non_dates_are_skipped(text):
    assert find_dates(text, SUN) == []


def test_relative_days_count_from_the_previous_dated_mention():
    text = "On January 28, militants attacked Mastung. Two days later, they hit Quetta. The next day, calm."
    got = [(m.text, m.date) for m in find_dates(text, SUN)]
    assert got == [("January 28", date(2026, 1, 28)), ("Two days later", date(2026, 1, 30)),
                   ("The next day", date(2026, 1, 31))]


def test_several_mentions_come_back_in_order_without_overlap():
    text = "Zeb, who has led since August 2024, said on Saturday, January 31 that Friday night was calm."
    got = [m.text for m in find_dates(text, SUN)]
    assert got == ["August 2024", "Saturday, January 31", "Friday night"]


def test_published_may_be_a_datetime():
    assert one("on Saturday", datetime(2026, 2, 1, 9, 30)).date == SAT


def test_date_mention_is_frozen_with_slots():
    m = one("on Saturday", SUN)
    assert not hasattr(m, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.date = SUN  # type: ignore[misc]


@pytest.mark.shared
def test_seed_articles_give_the_attack_date(shared):
    text = (shared / "seeds" / "002_dec6bd721ccdede6.txt").read_text(encoding="utf-8")
    found = find_dates(text, date(2026, 1, 31))
    assert ("Saturday, January 31", date(2026, 1, 31), False) in [
        (m.text, m.date, m.weekday_mismatch) for m in found]


def test_docstring_examples_run():
    import doctest

    import sitrep.nlp.dates as module

    assert doctest.testmod(module).failed == 0
