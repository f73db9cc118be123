"""objectives.duedates: due dates read from the free text of plans."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from objectives.duedates import due_words, parse_due

D = dt.date


def due(text: str, year: int = 2006) -> dt.date | None:
    return parse_due(text, plan_start_year=year)


class TestMonthForms:
    """Every form the two demo plans write, resolved to the month's last day."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Sept 06", D(2006, 9, 30)),
            ("Sep-06", D(2006, 9, 30)),
            ("Sept06", D(2006, 9, 30)),
            ("Jul-06", D(2006, 7, 31)),
            ("July 06", D(2006, 7, 31)),
            ("Apr06", D(2006, 4, 30)),
            ("Mar 07", D(2007, 3, 31)),
            ("May 06", D(2006, 5, 31)),
            ("May 2006", D(2006, 5, 31)),
            ("Feb 08", D(2008, 2, 29)),
            ("Feb 07", D(2007, 2, 28)),
            ("Sept. 06", D(2006, 9, 30)),
            ("Jan '07", D(2007, 1, 31)),
            ("SEPT 06", D(2006, 9, 30)),
            ("september 2006", D(2006, 9, 30)),
        ],
    )
    def test_month_and_year(self, text, expected):
        assert due(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Dec 2018", D(2018, 12, 31)),
            ("Sept 2018", D(2018, 9, 30)),
            ("March 2019", D(2019, 3, 31)),
            ("July 2018", D(2018, 7, 31)),
            ("Jan 2020", D(2020, 1, 31)),
            ("Jun 2020", D(2020, 6, 30)),
            ("April 2018", D(2018, 4, 30)),
            ("Feb 2020", D(2020, 2, 29)),
        ],
    )
    def test_ccg_plan_forms(self, text, expected):
        assert due(text, 2018) == expected


class TestInSentences:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Signed SLAs by Sept 06 to inform budget setting for 07/08", D(2006, 9, 30)),
            ("Submission complete - July 06", D(2006, 7, 31)),
            ("Trust commitment to process by May 2006", D(2006, 5, 31)),
            ("KPI being developed 30th June 06", D(2006, 6, 30)),
            ("Progress against plan – Mar 07", D(2007, 3, 31)),
            ("Progress against plan - Sept06", D(2006, 9, 30)),
            ("Be agreed by March 07", D(2007, 3, 31)),
            ("To identify staff for career development by Sept 06", D(2006, 9, 30)),
        ],
    )
    def test_date_inside_text(self, text, expected):
        assert due(text) == expected


class TestLatestDateWins:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Quarterly Reports to Partners - July06/Oct06/Jan 07/Apr07", D(2007, 4, 30)),
            ("Progress against plan April 06 Complete Dec 06", D(2006, 12, 31)),
            ("Standards for Better Healthcare / Audit Reviews - Sept06 / Apr07", D(2007, 4, 30)),
            ("Apr07 then Jan07", D(2007, 4, 30)),
            ("Review 30th June 06 and June 06", D(2006, 6, 30)),
            ("1st June 06 or 2nd June 06", D(2006, 6, 2)),
        ],
    )
    def test_latest(self, text, expected):
        assert due(text) == expected


class TestDays:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("30th June 06", D(2006, 6, 30)),
            ("1st April 2007", D(2007, 4, 1)),
            ("2nd May 06", D(2006, 5, 2)),
            ("3rd Mar 07", D(2007, 3, 3)),
            ("15 Oct 06", D(2006, 10, 15)),
            ("30th of June 2006", D(2006, 6, 30)),
            ("29th Feb 08", D(2008, 2, 29)),
        ],
    )
    def test_day_is_kept(self, text, expected):
        assert due(text) == expected

    @pytest.mark.parametrize("text", ["31st June 06", "29th Feb 07", "0 May 06", "32 Jan 07"])
    def test_impossible_day_is_no_date(self, text):
        assert due(text) is None

    def test_impossible_day_does_not_hide_other_dates(self):
        assert due("31st June 06 / Sept 06") == D(2006, 9, 30)


class TestNoDate:
    @pytest.mark.parametrize(
        "text",
        [
            "",
            "Ongoing – Monthly",
            "Monthly",
            "Quarterly",
            "Progress against plan",
            "Progress against plan – ongoing",
            "PID",
            "KPI being developed",
            "Reports to SMT / Exec / Board / Partners",
        ],
    )
    def test_no_date_words(self, text):
        assert due(text) is None
        assert due_words(text) == ""

    @pytest.mark.parametrize(
        "text",
        [
            "07/08",
            "2006/07",
            "2006-07",
            "for 2006/07",
            "To develop budgets for 2006-07",
            "Mar 2006/07",
        ],
    )
    def test_financial_years_are_not_dates(self, text):
        assert due(text) is None

    @pytest.mark.parametrize(
        "text",
        ["by June", "This may include", "March on", "Deliver in May", "Sept"],
    )
    def test_month_without_year_is_not_a_date(self, text):
        assert due(text) is None

    @pytest.mark.parametrize(
        "text",
        [
            "Decontamination 06",
            "Marketing 2006",
            "Mayor 2006",
            "Junior 06",
            "Remarch 06",
            "per M2 by site",
            "Phase II",
        ],
    )
    def test_words_that_merely_contain_a_month(self, text):
        assert due(text) is None
        assert due_words(text) == ""

    def test_none_is_treated_as_empty(self):
        assert parse_due(None, plan_start_year=2006) is None  # type: ignore[arg-type]
        assert due_words(None) == ""  # type: ignore[arg-type]


class TestTwoDigitYears:
    def test_read_in_the_plans_century(self):
        assert due("Sept 06", 2006) == D(2006, 9, 30)
        assert due("Sept 18", 2018) == D(2018, 9, 30)

    def test_nearest_century_to_the_plan(self):
        assert due("Dec 99", 2006) == D(1999, 12, 31)
        assert due("Jan 01", 1999) == D(2001, 1, 31)
        assert due("June 06", 2018) == D(2006, 6, 30)

    def test_four_digit_years_are_taken_as_written(self):
        assert due("May 2006", 2018) == D(2006, 5, 31)

    def test_plan_start_year_is_keyword_only(self):
        with pytest.raises(TypeError):
            parse_due("Sept 06", 2006)  # type: ignore[misc]


class TestDueWords:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Signed SLAs by Sept 06 to inform budget setting for 07/08", "Sept 06"),
            ("Submission complete - July 06", "July 06"),
            ("Trust commitment to process by May 2006", "May 2006"),
            ("KPI being developed 30th June 06", "30th June 06"),
            ("Sep-06", "Sep-06"),
            ("Jul-06", "Jul-06"),
            ("Apr06", "Apr06"),
            ("Sept06", "Sept06"),
            (
                "Quarterly Reports to Partners - July06/Oct06/Jan 07/Apr07",
                "July06/Oct06/Jan 07/Apr07",
            ),
            ("Progress against plan April 06 Complete Dec 06", "April 06, Dec 06"),
            ("Standards for Better Healthcare / Audit Reviews - Sept06 / Apr07", "Sept06 / Apr07"),
            ("Annual Review of Exit interview information – Oct06/Apr 07", "Oct06/Apr 07"),
            ("Progress against plan - Apr06 / L4 SSP Staff Survey Results", "Apr06"),
            ("Progress against plan – Mar 07", "Mar 07"),
            ("Dec 2018", "Dec 2018"),
            ("Oct 06 and Nov 06", "Oct 06 and Nov 06"),
        ],
    )
    def test_words_as_written(self, text, expected):
        assert due_words(text) == expected

    def test_impossible_day_is_still_shown_as_written(self):
        # The words are what the plan says; only the date is refused.
        assert due_words("31st June 06") == "31st June 06"


def test_module_does_not_import_django():
    root = Path(__file__).resolve().parents[2]
    code = "import sys, objectives.duedates; sys.exit('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=root, check=False)
    assert result.returncode == 0
