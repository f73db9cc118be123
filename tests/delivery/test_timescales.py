"""delivery.timescales: the text as written, the due date or window it resolves to."""

from __future__ import annotations

import datetime as dt

import pytest

from delivery.timescales import Offset, TimescaleError, add_months, parse, resolve

D = dt.date
START = D(2016, 10, 14)  # the day the SEL delivery plans were agreed


@pytest.mark.parametrize(
    ("text", "due", "latest"),
    [
        ("within 3 months", D(2017, 1, 14), None),
        ("Within three months", D(2017, 1, 14), None),
        ("within 6 weeks", D(2016, 11, 25), None),
        ("within a year", D(2017, 10, 14), None),
        ("12 months", D(2017, 10, 14), None),
        ("3 months – 3 years", D(2017, 1, 14), D(2019, 10, 14)),
        ("3 months - 3 years", D(2017, 1, 14), D(2019, 10, 14)),
        ("3–6 months", D(2017, 1, 14), D(2017, 4, 14)),
        ("12 to 18 months", D(2017, 10, 14), D(2018, 4, 14)),
        ("between 2 and 4 quarters", D(2017, 4, 14), D(2017, 10, 14)),
    ],
)
def test_relative_timescales_count_from_the_start(text, due, latest):
    found = resolve(text, START)
    assert (found.due_date, found.due_date_latest) == (due, latest)
    assert parse(text).is_relative


@pytest.mark.parametrize("text", ["within 3 months", "3 months – 3 years"])
def test_a_relative_timescale_without_a_start_resolves_to_nothing(text):
    found = resolve(text, None)
    assert found.due_date is None and found.due_date_latest is None
    assert parse(text).understood


@pytest.mark.parametrize(
    ("text", "due", "latest"),
    [
        ("by March 2010", D(2010, 3, 31), None),
        ("By end of March 2010", D(2010, 3, 31), None),
        ("by 2010/11", D(2011, 3, 31), None),
        ("by 31 March 2010", D(2010, 3, 31), None),
        ("Oct 2009", D(2009, 10, 1), D(2009, 10, 31)),
        ("September 2009", D(2009, 9, 1), D(2009, 9, 30)),
        ("Sept 2009", D(2009, 9, 1), D(2009, 9, 30)),
        ("2016/17", D(2016, 4, 1), D(2017, 3, 31)),
        ("2016-17 to 20-21", D(2016, 4, 1), D(2021, 3, 31)),
        ("2016/17 – 2020/21", D(2016, 4, 1), D(2021, 3, 31)),
        ("Oct 2009 to March 2010", D(2009, 10, 1), D(2010, 3, 31)),
        ("Q3 2009/10", D(2009, 10, 1), D(2009, 12, 31)),
        ("Q4 2009-10", D(2010, 1, 1), D(2010, 3, 31)),
        ("31st March 2010", D(2010, 3, 31), None),
        ("31/03/2010", D(2010, 3, 31), None),
        ("2010-03-31", D(2010, 3, 31), None),
        ("2010", D(2010, 1, 1), D(2010, 12, 31)),
    ],
)
def test_absolute_timescales_need_no_start(text, due, latest):
    for start in (None, START):
        found = resolve(text, start)
        assert (found.due_date, found.due_date_latest) == (due, latest)


def test_the_end_of_a_century_is_crossed_by_short_years():
    found = resolve("2098-99 to 00-01")
    assert (found.due_date, found.due_date_latest) == (D(2098, 4, 1), D(2101, 3, 31))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ongoing",
        "the last quarter of this financial year",
        "6 months – 3 weeks",  # ends before it starts
        "2016-18",  # not one financial year
        "by the summer",
        "March 2010 to Oct 2009",
    ],
)
def test_what_it_cannot_read_stays_unresolved(text):
    timescale = parse(text)
    assert not timescale.understood
    assert timescale.text == text
    assert resolve(text, START).due_date is None


def test_an_impossible_date_is_an_error_not_a_guess():
    with pytest.raises(TimescaleError):
        parse("31 February 2010")


def test_months_are_added_within_the_month():
    assert add_months(D(2010, 1, 31), 1) == D(2010, 2, 28)
    assert add_months(D(2012, 1, 31), 1) == D(2012, 2, 29)
    assert add_months(D(2010, 11, 30), 3) == D(2011, 2, 28)
    assert Offset(2, "quarter").after(D(2010, 1, 15)) == D(2010, 7, 15)
