import datetime as dt

import pytest

from objectives.rules import check_update

TODAY = dt.date(2006, 11, 15)  # Q3 2006/07


def check(**overrides):
    fields = {
        "rag": "green",
        "status": "in_progress",
        "percent_complete": 40,
        "narrative": "",
        "financial_year": 2006,
        "quarter": 2,
        "today": TODAY,
    }
    fields.update(overrides)
    return check_update(**fields)


class TestProgressRules:
    def test_a_plain_green_update_passes(self):
        assert check() == {}

    @pytest.mark.parametrize("rag", ["red", "amber"])
    def test_red_or_amber_needs_a_narrative(self, rag):
        assert "narrative" in check(rag=rag, narrative="  ")
        assert check(rag=rag, narrative="Contractor delayed.") == {}

    def test_completed_means_blue_and_100(self):
        errors = check(status="completed", rag="green", percent_complete=90)
        assert errors["rag"] == ["A completed item is Blue."]
        assert "percent_complete" in errors
        assert check(status="completed", rag="blue", percent_complete=100) == {}

    def test_blue_means_complete(self):
        errors = check(rag="blue", status="in_progress", percent_complete=100)
        assert "status" in errors
        assert "percent_complete" in check(rag="blue", status="completed", percent_complete=50)

    @pytest.mark.parametrize("value", [-1, 101, None])
    def test_percent_out_of_range(self, value):
        assert "percent_complete" in check(percent_complete=value)

    def test_current_quarter_allowed_future_quarter_refused(self):
        assert check(quarter=3) == {}
        errors = check(quarter=4)
        assert "has not started" in errors["quarter"][0]
        assert "quarter" in check(financial_year=2007, quarter=1)

    def test_invalid_quarter_number(self):
        assert check(quarter=5)["quarter"] == ["Choose a quarter from 1 to 4."]
