"""Bad workbooks: every problem listed by sheet, row and column, with a reason; nothing saved."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from planning.spreadsheets.files import MAX_BYTES, ImportFileError
from tests.workbook.handmade import SHEETS, changed, workbook_bytes
from workbook.importing import import_workbook
from workbook.sheets import registered


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in (
            "planning",
            "objectives",
            "kpis",
            "budgets",
            "swot",
            "assurance",
            "frameworks",
            "delivery",
        )
    }


def problems_of(content: bytes, organisation) -> list[tuple]:
    before = row_counts()
    loader = import_workbook("plan.xlsx", content, organisation)
    assert loader.plan is None
    assert row_counts() == before, "a refused workbook saved something"
    return [(p.sheet, p.row, p.column, p.reason) for p in loader.problems]


def without(sheet: str) -> dict:
    return {name: rows for name, rows in SHEETS.items() if name != sheet}


@pytest.mark.django_db
class TestBadInput:
    def test_a_missing_sheet_is_named(self, organisation):
        problems = problems_of(workbook_bytes(without("KPIs")), organisation)
        assert problems == [("KPIs", None, "", "The workbook has no sheet named “KPIs”")]

    def test_a_missing_column_is_named(self, organisation):
        sheets = dict(SHEETS)
        sheets["Objectives"] = [
            ["Txt" if h == "Text" else h for h in SHEETS["Objectives"][0]],
            *SHEETS["Objectives"][1:],
        ]
        problems = problems_of(workbook_bytes(sheets), organisation)
        assert problems == [("Objectives", None, "Text", "The sheet has no column “Text”")]

    def test_a_reference_to_a_row_that_does_not_exist(self, organisation):
        problems = problems_of(changed("Milestones", 2, "Objective", "EST-9"), organisation)
        assert problems == [
            (
                "Milestones",
                2,
                "Objective",
                "“EST-9” is not a row of the sheet “Objectives”",
            )
        ]

    def test_a_reference_to_a_missing_role_and_kpi(self, organisation):
        problems = problems_of(changed("Objectives", 3, "KPIs", "P1; Z9"), organisation)
        assert problems == [
            ("Objectives", 3, "KPIs", "“Z9” is not a row of the sheet “KPIs”"),
        ]

    def test_duplicate_references(self, organisation):
        sheets = dict(SHEETS)
        sheets["KPIs"] = [*SHEETS["KPIs"], SHEETS["KPIs"][1]]
        problems = problems_of(workbook_bytes(sheets), organisation)
        assert problems == [
            (
                "KPIs",
                3,
                "Code",
                "“P1” is already used by row 2: each row needs a reference of its own",
            )
        ]

    def test_a_date_in_a_text_column(self, organisation):
        problems = problems_of(changed("Objectives", 2, "Text", dt.date(2024, 1, 2)), organisation)
        assert len(problems) == 1
        sheet, row, column, reason = problems[0]
        assert (sheet, row, column) == ("Objectives", 2, "Text")
        assert reason.startswith("Holds a date (2024-01-02) where text belongs")

    def test_a_negative_amount(self, organisation):
        problems = problems_of(changed("Expenditure", 2, "Amount", -5), organisation)
        assert problems == [
            ("Expenditure", 2, "Amount", "-5 is negative: amounts must be £0 or more")
        ]

    def test_a_formula_where_a_value_belongs(self, organisation):
        problems = problems_of(changed("Income", 2, "Amount", "=SUM(1,2)"), organisation)
        assert problems == [
            (
                "Income",
                2,
                "Amount",
                "Holds a formula (=SUM(1,2)) where a value belongs: type the value",
            )
        ]

    def test_every_problem_is_listed_at_once(self, organisation):
        sheets = {name: [list(r) for r in rows] for name, rows in SHEETS.items()}
        sheets["Progress history"][1][2] = 7  # quarter
        sheets["Progress history"][2][5] = "Purple"  # RAG
        sheets["Plan"][1][1] = "Shopping list"  # kind
        sheets["Measurements"][1][2] = "1,5"  # a decimal comma
        problems = problems_of(workbook_bytes(sheets), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [
            ("Plan", 2, "Kind"),
            ("Measurements", 2, "Value"),
            ("Progress history", 2, "Quarter"),
            ("Progress history", 3, "RAG"),
        ]

    def test_blue_must_be_complete(self, organisation):
        problems = problems_of(changed("Progress history", 2, "RAG", "Blue"), organisation)
        assert problems == [
            (
                "Progress history",
                2,
                "% complete",
                "Blue means complete: the percentage must be 100",
            )
        ]

    def test_a_month_outside_its_financial_year(self, organisation):
        problems = problems_of(changed("Monthly actuals", 2, "Month", "2025-04"), organisation)
        assert problems == [
            ("Monthly actuals", 2, "Month", "April 2025 is outside the financial year 2024/25")
        ]

    def test_an_unknown_funder_organisation(self, organisation):
        problems = problems_of(
            changed("Income", 2, "Funder organisation", "Nowhere PCT"), organisation
        )
        assert [(s, r, c) for s, r, c, _ in problems] == [("Income", 2, "Funder organisation")]


@pytest.mark.django_db
class TestFilesThatAreNotWorkbooks:
    def test_a_file_that_is_not_a_workbook(self, organisation):
        before = row_counts()
        with pytest.raises(ImportFileError, match="could not be read as an Excel workbook"):
            import_workbook("plan.xlsx", b"Title,Kind\nPlan,Business plan\n", organisation)
        assert row_counts() == before

    def test_a_zip_that_is_not_a_workbook(self, organisation):
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("hello.txt", "hello")
        with pytest.raises(ImportFileError, match="could not be read as an Excel workbook"):
            import_workbook("plan.xlsx", archive.getvalue(), organisation)

    def test_a_file_of_another_type(self, organisation):
        with pytest.raises(ImportFileError, match=r"must be an Excel workbook \(\.xlsx\)"):
            import_workbook("plan.csv", workbook_bytes(), organisation)

    def test_an_oversized_file_is_refused_before_it_is_read(self, organisation):
        started = time.monotonic()
        with pytest.raises(ImportFileError, match="larger than 5 MB"):
            import_workbook("plan.xlsx", b"PK" + b"\0" * MAX_BYTES, organisation)
        assert time.monotonic() - started < 1

    def test_a_deeply_compressed_file_is_refused_quickly(self, organisation):
        """A zip bomb dressed as a workbook: a sheet that unpacks 1,000 times its size."""
        content = workbook_bytes()
        archive = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(content)) as source,
            zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb,
        ):
            for item in source.infolist():
                bomb.writestr(item, source.read(item))
            bomb.writestr("xl/worksheets/sheet99.xml", b"<" + b" " * (30 * 1024 * 1024))
        started = time.monotonic()
        before = row_counts()
        with pytest.raises(ImportFileError, match="zip bombs"):
            import_workbook("plan.xlsx", archive.getvalue(), organisation)
        assert time.monotonic() - started < 1
        assert row_counts() == before

    def test_too_many_rows_on_a_sheet(self, organisation):
        sheets = dict(SHEETS)
        sheets["Vision"] = [["Text"], *[[f"Bullet {n}"] for n in range(10_001)]]
        with pytest.raises(ImportFileError, match="Sheet “Vision” has more than 10,000 rows"):
            import_workbook("plan.xlsx", workbook_bytes(sheets), organisation)

    def test_too_many_cells_in_a_row(self, organisation):
        sheets = dict(SHEETS)
        sheets["Vision"] = [["Text"], ["A vision", *["x"] * 60]]
        with pytest.raises(ImportFileError, match="at most 60 columns"):
            import_workbook("plan.xlsx", workbook_bytes(sheets), organisation)


@pytest.mark.django_db
class TestMeasurementPeriods:
    def test_a_period_that_does_not_begin_a_quarter(self, organisation):
        problems = problems_of(
            changed("Measurements", 2, "Period start", dt.date(2024, 5, 1)), organisation
        )
        assert [(s, r, c) for s, r, c, _ in problems] == [("Measurements", 2, "Period start")]
        assert "does not begin a quarter" in problems[0][3]


@pytest.mark.django_db
class TestSheetRules:
    def test_blue_without_a_percentage(self, organisation):
        problems = problems_of(changed("Progress history", 4, "% complete", None), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Progress history", 4, "% complete")]

    def test_a_priority_reference_with_a_leading_zero(self, organisation):
        problems = problems_of(changed("Priorities", 2, "Reference", "SP01"), organisation)
        # The priority itself, and the objective and the risk that name it as SP1.
        assert [(s, r, c) for s, r, c, _ in problems] == [
            ("Objectives", 2, "Strategic priority"),
            ("Risks", 2, "Threatens priorities"),
            ("Priorities", 2, "Reference"),
        ]


@pytest.mark.django_db
class TestRiskRegisterSheets:
    def test_a_reference_to_a_missing_risk(self, organisation):
        problems = problems_of(changed("Risk controls", 3, "Risk", "EST R9"), organisation)
        assert problems == [
            ("Risk controls", 3, "Risk", "“EST R9” is not a row of the sheet “Risks”")
        ]

    def test_a_score_outside_1_to_5(self, organisation):
        problems = problems_of(changed("Risks", 2, "Inherent likelihood", 6), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Risks", 2, "Inherent likelihood")]
        assert "6" in problems[0][3] and "5" in problems[0][3]

    def test_a_review_score_outside_1_to_5(self, organisation):
        problems = problems_of(changed("Risk reviews", 2, "Consequence", 0), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Risk reviews", 2, "Consequence")]

    def test_a_target_above_the_inherent_score(self, organisation):
        sheets = {name: [list(r) for r in rows] for name, rows in SHEETS.items()}
        headings = sheets["Risks"][0]
        sheets["Risks"][1][headings.index("Target likelihood")] = 5
        sheets["Risks"][1][headings.index("Target consequence")] = 5
        problems = problems_of(workbook_bytes(sheets), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Risks", 2, "Target likelihood")]
        assert "25" in problems[0][3] and "20" in problems[0][3]

    def test_half_a_score(self, organisation):
        problems = problems_of(changed("Risks", 2, "Current consequence", None), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Risks", 2, "Current consequence")]

    def test_duplicate_risk_references(self, organisation):
        problems = problems_of(changed("Risks", 3, "Reference", "EST R1"), organisation)
        # The duplicate, and the control that named the second risk by its title.
        assert [(s, r, c) for s, r, c, _ in problems] == [
            ("Risks", 3, "Reference"),
            ("Risk controls", 4, "Risk"),
        ]
        assert "already used by row 2" in problems[0][3]

    def test_a_reference_to_a_missing_category_and_action(self, organisation):
        sheets = {name: [list(r) for r in rows] for name, rows in SHEETS.items()}
        headings = sheets["Risks"][0]
        sheets["Risks"][1][headings.index("Category")] = "Clinical"
        sheets["Risks"][1][headings.index("Mitigating actions")] = "EST-1; EST-7"
        problems = problems_of(workbook_bytes(sheets), organisation)
        assert [(s, r, c, reason) for s, r, c, reason in problems] == [
            ("Risks", 2, "Category", "“Clinical” is not a row of the sheet “Risk categories”"),
            ("Risks", 2, "Mitigating actions", "“EST-7” is not a row of the sheet “Objectives”"),
        ]

    def test_bands_out_of_order(self, organisation):
        problems = problems_of(changed("Risk bands", 2, "Moderate runs up to", 3), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Risk bands", 2, "High runs up to")]


@pytest.mark.django_db
class TestFrameworkSheets:
    def test_a_reference_to_a_missing_competency(self, organisation):
        problems = problems_of(changed("Assessment scores", 3, "Competency", 9), organisation)
        assert problems == [
            (
                "Assessment scores",
                3,
                "Competency",
                "Competency 9 of “Estates maturity” is not a row of the sheet “Competencies”",
            )
        ]

    def test_a_reference_to_a_missing_framework(self, organisation):
        problems = problems_of(changed("Competency targets", 2, "Framework", "Nope"), organisation)
        assert ("Competency targets", 2, "Framework") in [(s, r, c) for s, r, c, _ in problems]

    def test_an_assessment_score_outside_the_frameworks_levels(self, organisation):
        problems = problems_of(changed("Assessment scores", 2, "Level", 4), organisation)
        assert problems == [
            (
                "Assessment scores",
                2,
                "Level",
                "Enter a level from 1 to 3: this framework has 3 levels",
            )
        ]

    def test_a_target_outside_the_frameworks_levels(self, organisation):
        problems = problems_of(changed("Competency targets", 2, "Target level", 5), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Competency targets", 2, "Target level")]

    def test_a_score_for_a_missing_assessment(self, organisation):
        problems = problems_of(changed("Assessment scores", 4, "Kind", "Panel"), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Assessment scores", 4, "Assessed on")]

    def test_duplicate_competency_numbers(self, organisation):
        problems = problems_of(changed("Competencies", 3, "Number", 1), organisation)
        assert ("Competencies", 3, "Number") in [(s, r, c) for s, r, c, _ in problems]

    def test_duplicate_scores(self, organisation):
        problems = problems_of(changed("Assessment scores", 3, "Competency", 1), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Assessment scores", 3, "Competency")]
        assert "already used by row 2" in problems[0][3]

    def test_levels_with_a_gap(self, organisation):
        problems = problems_of(changed("Framework levels", 4, "Level", 5), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Framework levels", 4, "Level")]

    def test_a_framework_of_one_level(self, organisation):
        sheets = dict(SHEETS)
        sheets["Framework levels"] = SHEETS["Framework levels"][:2]
        sheets["Competency descriptors"] = SHEETS["Competency descriptors"][:2]
        sheets["Assessment scores"] = SHEETS["Assessment scores"][:2]
        sheets["Competency targets"] = SHEETS["Competency targets"][:1]
        problems = problems_of(workbook_bytes(sheets), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Frameworks", 2, "Name")]
        assert "a framework has 2 to 10" in problems[0][3]

    def test_a_gap_dimension_of_a_missing_analysis(self, organisation):
        problems = problems_of(changed("Gap dimensions", 3, "Gap analysis", "7S"), organisation)
        assert problems == [
            ("Gap dimensions", 3, "Gap analysis", "“7S” is not a row of the sheet “Gap analyses”")
        ]


HOSTILE = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=300),
    st.sampled_from(["\x00", "'=1+1", "SP0", "2024/25", "2024-13", "1e9999", "£-5", "Blue"]),
    st.dates(),
    st.booleans(),
    st.none(),
)
CELLS = [(spec.name, col.title) for spec in registered() for col in spec.columns]


@pytest.mark.django_db
class TestNoCellReachesTheDatabaseUnchecked:
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(cell=st.sampled_from(CELLS), value=HOSTILE)
    def test_any_value_in_any_cell_is_a_problem_or_imports(self, organisation, cell, value):
        """Whatever one cell holds, the import lists a problem or saves: never an error from
        the database (a constraint, a length, a number too large)."""
        sheet, column = cell
        try:
            content = changed(sheet, 2, column, value)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl will not write it
            return
        with transaction.atomic():
            try:
                loader = import_workbook("plan.xlsx", content, organisation)
            except ImportFileError:
                pass
            else:
                assert loader.problems or loader.plan is not None
            transaction.set_rollback(True)
