"""Assessments in and out of a spreadsheet, through the shared pipeline (planning.spreadsheets).

One row is one competency's score in one assessment. Columns (any order, any case): ``date``
(2006-09-30, or a spreadsheet date), ``kind`` (self, panel or external), ``competency`` (its
number in the framework), ``level`` (within the framework's levels) and, optionally,
``assessor`` and ``evidence``. Rows of the same date and kind are one assessment.

All or nothing, as every import: every row is checked first and every bad row reported with its
number and all its problems; only if all are good are they written, in one transaction. An
assessment of that date and kind already there has the rows' scores set (its version goes up,
its history says who); a new one is recorded. Importing the same file twice changes nothing the
second time. The export writes the same columns, so an export can be edited and imported back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django import forms

from frameworks import scoring
from frameworks.models import Assessment, AssessmentKind, AssessmentScore, Framework
from planning import spreadsheets
from planning.spreadsheets import ImportFileError, ImportResult, Row, Table
from planning.validation import EARLIEST_DATE, LATEST_DATE, CheckedInputs

LAYOUT = spreadsheets.Layout(
    columns=(
        spreadsheets.Column("date", "date", aliases=("assessed on", "date of the assessment")),
        spreadsheets.Column("kind", "kind"),
        spreadsheets.Column("competency", "competency", aliases=("competency number",)),
        spreadsheets.Column("level", "level", aliases=("score",)),
        spreadsheets.Column("assessor", "assessor", required=False, max_length=200),
        spreadsheets.Column("evidence", "evidence", required=False, multiline=True),
    ),
    split_number="a level",
)

KINDS = {k.value: k.value for k in AssessmentKind} | {
    k.label.casefold(): k.value for k in AssessmentKind
}


class ImportForm(CheckedInputs, forms.Form):
    file = forms.FileField(
        label="Upload a CSV file or an Excel workbook (.xlsx)",
        help_text="Columns: date, kind, competency, level and (optionally) assessor and "
        "evidence. Up to 5 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.parsed = spreadsheets.read_upload(upload, LAYOUT)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


def parse_date(cell: object) -> dt.date:
    if spreadsheets.blank(cell):
        raise spreadsheets.MissingCell("no date")
    if isinstance(cell, dt.datetime):
        day = cell.date()
    elif isinstance(cell, dt.date):
        day = cell
    else:
        try:
            day = dt.date.fromisoformat(spreadsheets.text(cell))
        except ValueError:
            raise ValueError(
                f"“{spreadsheets.shown(cell)}” is not a date: write it as 2006-09-30"
            ) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"“{spreadsheets.shown(cell)}” is outside the years a plan covers")
    return day


def parse_kind(cell: object) -> str:
    written = spreadsheets.text(cell).casefold()
    if not written:
        raise spreadsheets.MissingCell("no kind")
    if written not in KINDS:
        raise ValueError(f"“{spreadsheets.shown(cell)}” is not self, panel or external")
    return KINDS[written]


def parse_whole(cell: object) -> int:
    value = spreadsheets.parse_number(cell, places=0, below=Decimal(1000))
    return int(value)


@dataclass(frozen=True)
class _Good:
    on: dt.date
    kind: str
    competency_id: int
    level: int
    assessor: str
    evidence: str


class _RowCheck:
    def __init__(self, framework: Framework):
        self.framework = framework
        self.by_number = {c.number: c for c in framework.competencies.all()}
        self.seen: dict[tuple, int] = {}

    def __call__(self, row: Row, reasons: list[str]) -> _Good | None:
        on = spreadsheets.check_cell(row, "date", parse_date, reasons, title="date")
        kind = spreadsheets.check_cell(row, "kind", parse_kind, reasons, title="kind")
        number = spreadsheets.check_cell(
            row, "competency", parse_whole, reasons, title="competency"
        )
        competency = self.by_number.get(number) if number is not None else None
        if number is not None and competency is None:
            reasons.append(f"competency {number}: this framework has no competency numbered so")
        level = spreadsheets.check_cell(row, "level", parse_whole, reasons, title="level")
        if level is not None:
            problem = scoring.level_problem(level, self.framework.level_count)
            if problem:
                reasons.append(f"level {level}: {problem[0].lower()}{problem[1:]}")
        if on and kind and competency:
            first = self.seen.setdefault((on, kind, competency.pk), row.number)
            if first != row.number:
                reasons.append(
                    f"duplicate: row {first} already scores competency {number} in that assessment"
                )
        if reasons:
            return None
        return _Good(
            on,
            kind,
            competency.pk,
            level,
            spreadsheets.text(row["assessor"]),
            spreadsheets.long_text(row["evidence"]),
        )


def import_assessments(framework: Framework, table: Table, *, by) -> ImportResult:
    check = _RowCheck(framework)
    columns = table.columns

    def write(good: list[_Good], result: ImportResult) -> None:
        existing = {
            (a.assessed_on, a.kind): a
            for a in Assessment.objects.select_for_update().filter(framework=framework)
        }
        scores = {
            (s.assessment_id, s.competency_id): s
            for s in AssessmentScore.objects.filter(assessment__framework=framework)
        }
        touched: set[int] = set()
        for g in good:
            assessment = existing.get((g.on, g.kind))
            if assessment is None:
                assessment = Assessment(
                    framework=framework,
                    assessed_on=g.on,
                    kind=g.kind,
                    assessor=g.assessor,
                    evidence=g.evidence,
                    created_by=by,
                )
                assessment._history_user = by
                assessment.save()
                existing[(g.on, g.kind)] = assessment
                touched.add(assessment.pk)
            else:
                changed = False
                for name, present in (("assessor", "assessor"), ("evidence", "evidence")):
                    value = getattr(g, name)
                    if present in columns and getattr(assessment, name) != value:
                        setattr(assessment, name, value)
                        changed = True
                if changed and assessment.pk not in touched:
                    assessment.version += 1
                    assessment._history_user = by
                    assessment.save()
                    touched.add(assessment.pk)
            score = scores.get((assessment.pk, g.competency_id))
            if score is None:
                score = AssessmentScore(
                    assessment=assessment, competency_id=g.competency_id, level=g.level
                )
                result.created += 1
            elif score.level != g.level:
                score.level = g.level
                result.updated += 1
                if assessment.pk not in touched:  # a form opened before this import is stale
                    assessment.version += 1
                    assessment._history_user = by
                    assessment.save()
                    touched.add(assessment.pk)
            else:
                result.unchanged += 1
                continue
            score._history_user = by
            score.save()
            scores[(assessment.pk, g.competency_id)] = score

    return spreadsheets.import_rows(table, check=check, write=write)


def export_rows(framework: Framework) -> list[list]:
    """The rows of the export, in LAYOUT's column order."""
    scores = (
        AssessmentScore.objects.filter(assessment__framework=framework)
        .select_related("assessment", "competency")
        .order_by("assessment__assessed_on", "assessment_id", "competency__number")
    )
    return [
        [
            s.assessment.assessed_on.isoformat(),
            s.assessment.kind,
            s.competency.number,
            s.level,
            s.assessment.assessor,
            s.assessment.evidence,
        ]
        for s in scores
    ]
