"""Months, financial-year quarters and financial years as written and as dates."""

import datetime as dt

import pytest

from kpis import periods


class TestParse:
    @pytest.mark.parametrize(
        ("text", "kind", "start"),
        [
            ("2006-04", "monthly", dt.date(2006, 4, 1)),
            ("2007-1", "monthly", dt.date(2007, 1, 1)),
            ("2006-Q1", "quarterly", dt.date(2006, 4, 1)),
            ("2006-q4", "quarterly", dt.date(2007, 1, 1)),
            (" 2006-Q2 ", "quarterly", dt.date(2006, 7, 1)),
            ("2006/07", "annual", dt.date(2006, 4, 1)),
            ("1999/00", "annual", dt.date(1999, 4, 1)),
        ],
    )
    def test_good(self, text, kind, start):
        assert periods.parse(text) == (kind, start)

    @pytest.mark.parametrize(
        "text", ["2006-13", "2006-00", "2006-Q5", "2006-Q0", "2006/08", "Q1 2006", "April", ""]
    )
    def test_bad(self, text):
        with pytest.raises(periods.PeriodError):
            periods.parse(text)

    def test_frequency_must_match(self):
        assert periods.parse_for("2006-Q2", "quarterly") == dt.date(2006, 7, 1)
        with pytest.raises(periods.PeriodError, match="is a month but the KPI is measured"):
            periods.parse_for("2006-04", "quarterly")
        with pytest.raises(periods.PeriodError, match="such as 2006/07"):
            periods.parse_for("2006-Q1", "annual")


class TestWords:
    def test_labels_keys_and_ends(self):
        q3 = dt.date(2006, 10, 1)
        assert periods.label(q3, "quarterly") == "Q3 2006/07"
        assert periods.short_label(q3, "quarterly") == "Q3 06/07"
        assert periods.key(q3, "quarterly") == "2006-Q3"
        assert periods.end(q3, "quarterly") == dt.date(2006, 12, 31)
        assert periods.label(dt.date(2007, 2, 1), "monthly") == "Feb 2007"
        assert periods.key(dt.date(2007, 2, 1), "monthly") == "2007-02"
        assert periods.end(dt.date(2008, 2, 1), "monthly") == dt.date(2008, 2, 29)
        assert periods.end(dt.date(2006, 12, 1), "monthly") == dt.date(2006, 12, 31)
        assert periods.label(dt.date(2006, 4, 1), "annual") == "2006/07"
        assert periods.end(dt.date(2006, 4, 1), "annual") == dt.date(2007, 3, 31)

    def test_starts_and_kinds(self):
        assert len(periods.starts(2005, 2007, "monthly")) == 36
        quarters = periods.starts(2005, 2007, "quarterly")
        assert len(quarters) == 12
        assert quarters[0] == dt.date(2005, 4, 1) and quarters[-1] == dt.date(2008, 1, 1)
        assert periods.starts(2005, 2007, "annual")[-1] == dt.date(2007, 4, 1)
        assert periods.kind_of(dt.date(2006, 4, 1)) == {"monthly", "quarterly", "annual"}
        assert periods.kind_of(dt.date(2006, 5, 1)) == {"monthly"}
        assert periods.kind_of(dt.date(2006, 5, 2)) == set()
