"""The reporting window: a quarter stays open to correction until N working days after it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning import reporting_window as window
from planning.fy import Quarter

Q3 = Quarter(2026, 3)  # October to December 2026; 31 December 2026 is a Thursday


class TestReportingWindow:
    def test_working_days_skip_weekends(self):
        assert window.add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 1)
        assert window.add_working_days(dt.date(2026, 12, 31), 2) == dt.date(2027, 1, 4)
        assert window.add_working_days(dt.date(2026, 12, 31), 10) == dt.date(2027, 1, 14)

    def test_deadline_is_n_working_days_after_the_quarter(self):
        assert window.deadline(Q3, working_days=10) == dt.date(2027, 1, 14)
        assert window.deadline(Q3, working_days=0) == Q3.end

    @pytest.mark.parametrize(
        ("day", "open_"),
        [
            (dt.date(2026, 9, 30), False),  # before the quarter
            (dt.date(2026, 10, 1), True),
            (dt.date(2026, 12, 31), True),
            (dt.date(2027, 1, 14), True),  # the last working day of the window
            (dt.date(2027, 1, 15), False),
        ],
    )
    def test_is_open(self, day, open_):
        assert window.is_open(Q3, day, working_days=10) is open_

    def test_the_message_names_the_quarter_and_the_date(self):
        message = window.closed_message(Q3)
        assert str(Q3) in message and f"{window.deadline(Q3):%-d %B %Y}" in message

    @given(
        st.integers(min_value=2000, max_value=2100),
        st.integers(min_value=1, max_value=4),
        st.integers(min_value=0, max_value=40),
    )
    def test_the_deadline_is_a_weekday_after_the_quarter(self, year, number, days):
        quarter = Quarter(year, number)
        end = window.deadline(quarter, working_days=days)
        assert end >= quarter.end
        if days:
            assert end.weekday() < 5 and end < quarter.next().end
