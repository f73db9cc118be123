import datetime as dt

import pytest

from objectives.models import Objective, ProgressStatus
from objectives.rules import check_update
from tests.factories import ObjectiveFactory

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


class TestStatusAndPercentageAgree:
    def test_not_started_means_0_percent(self):
        errors = check(status="not_started", percent_complete=20)
        assert errors["percent_complete"] == [
            "Not started means 0% complete: enter 0%, or choose In progress."
        ]
        assert check(status="not_started", percent_complete=0) == {}

    @pytest.mark.parametrize("status", ["completed_ongoing"])
    def test_completed_and_ongoing_means_100_percent(self, status):
        errors = check(status=status, percent_complete=80)
        assert errors["percent_complete"] == [
            "Completed and ongoing means 100% complete: enter 100%."
        ]
        assert check(status=status, percent_complete=100) == {}

    @pytest.mark.parametrize("status", ["in_progress", "on_hold", "cancelled"])
    def test_other_statuses_take_any_percentage(self, status):
        assert check(status=status, percent_complete=0) == {}
        assert check(status=status, percent_complete=60) == {}


class TestClosedStatuses:
    @pytest.mark.parametrize(
        ("status", "closed", "complete"),
        [
            ("not_started", False, False),
            ("in_progress", False, False),
            ("on_hold", False, False),
            ("completed", True, True),
            ("completed_ongoing", True, True),
            ("cancelled", True, False),
        ],
    )
    def test_closed_and_complete(self, status, closed, complete):
        member = ProgressStatus(status)
        assert member.is_closed is closed
        assert member.is_complete is complete
        assert (status in ProgressStatus.closed_values()) is closed
        assert (status in ProgressStatus.complete_values()) is complete


@pytest.mark.django_db
class TestOverdue:
    @pytest.mark.parametrize(
        ("status", "overdue"),
        [
            ("in_progress", True),
            ("on_hold", True),
            ("completed", False),
            ("completed_ongoing", False),
            ("cancelled", False),
        ],
    )
    def test_closed_items_are_never_overdue(self, status, overdue):
        objective = ObjectiveFactory(due_date=dt.date(2006, 5, 31), status=status)
        assert objective.is_overdue(TODAY) is overdue
        assert Objective.objects.overdue(TODAY).filter(pk=objective.pk).exists() is overdue
