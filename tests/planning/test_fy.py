import datetime as dt

import pytest

from planning import fy
from planning.fy import Quarter


class TestFinancialYear:
    def test_april_starts_the_year(self):
        assert fy.fy_start_year(dt.date(2006, 4, 1)) == 2006
        assert fy.fy_start_year(dt.date(2007, 3, 31)) == 2006

    def test_labels(self):
        assert fy.fy_label(2006) == "2006/07"
        assert fy.fy_label(1999) == "1999/00"
        assert fy.period_label(2006, 2006) == "2006/07"
        assert fy.period_label(2018, 2020) == "2018-21"


class TestQuarter:
    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (dt.date(2006, 4, 1), Quarter(2006, 1)),
            (dt.date(2006, 9, 30), Quarter(2006, 2)),
            (dt.date(2006, 12, 31), Quarter(2006, 3)),
            (dt.date(2007, 1, 1), Quarter(2006, 4)),
            (dt.date(2007, 3, 31), Quarter(2006, 4)),
        ],
    )
    def test_containing(self, day, expected):
        assert Quarter.containing(day) == expected

    def test_bounds(self):
        assert Quarter(2006, 4).start == dt.date(2007, 1, 1)
        assert Quarter(2006, 4).end == dt.date(2007, 3, 31)
        assert Quarter(2006, 3).end == dt.date(2006, 12, 31)

    def test_navigation_and_parse(self):
        assert Quarter(2006, 4).next() == Quarter(2007, 1)
        assert Quarter(2007, 1).previous() == Quarter(2006, 4)
        assert Quarter.parse("2006-Q2") == Quarter(2006, 2)
        with pytest.raises(ValueError, match="not a quarter"):
            Quarter.parse("2006 Q5")
        with pytest.raises(ValueError):
            Quarter(2006, 5)
