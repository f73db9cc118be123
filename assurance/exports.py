"""The risk register in and out of a spreadsheet, through the shared pipeline
(planning.spreadsheets): the export's first row names the columns the import reads, so an
exported register, edited, imports back.

Import: one risk a row, matched on its reference (required): a new reference adds a risk, a known
one updates it (version raised, history records who), the same values change nothing. Every row
is checked with the register's own rules (levels 1–5, both or neither of a pair, the target no
higher than the inherent score, a category of the organisation's own) and nothing is written
unless every row is good. The current score is exported for reading but never imported: it
comes from reviews.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from assurance import scoring
from assurance.models import Risk, RiskCategory, RiskStatus
from planning import permissions, spreadsheets
from planning.permissions import Action
from planning.spreadsheets import Column, ImportResult, Row
from planning.validation import CheckedInputs

LEVELS = ("inherent likelihood", "inherent consequence", "target likelihood", "target consequence")
TEXTS = ("cause", "event", "effect", "gaps in control", "gaps in assurance")

LAYOUT = spreadsheets.Layout(
    columns=(
        Column("reference", "reference", aliases=("ref",), max_length=20),
        Column("title", "risk", aliases=("title",), max_length=200),
        *(Column(k.replace(" ", "_"), k, required=False, multiline=True) for k in TEXTS),
        Column("category", "category", required=False, max_length=100),
        *(Column(k.replace(" ", "_"), k, required=False) for k in LEVELS),
        Column("status", "status", required=False),
        Column("principal", "principal", required=False),
        Column("review_date", "next review", aliases=("review date",), required=False),
    ),
    split_number="a level",
)
EXPORT_ONLY = ("current likelihood", "current consequence", "owner")


def _level(cell) -> int | None:
    if spreadsheets.blank(cell):
        return None
    value = spreadsheets.text(cell)
    if value not in {"1", "2", "3", "4", "5"}:
        raise ValueError(f"“{value}” is not a level from 1 to 5")
    return int(value)


def _date(cell) -> dt.date | None:
    if spreadsheets.blank(cell):
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    value = spreadsheets.text(cell)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"“{value}” is not a date: write it as 2026-03-31 or 31/03/2026")


def _status(cell) -> str:
    if spreadsheets.blank(cell):
        return RiskStatus.OPEN
    value = spreadsheets.text(cell).casefold()
    for member in RiskStatus:
        if value in (member.value, member.label.casefold()):
            return member.value
    raise ValueError(f"“{spreadsheets.text(cell)}” is not open, escalated or closed")


def _flag(cell) -> bool:
    return spreadsheets.text(cell).casefold() in {"yes", "y", "true", "1"}


@dataclass
class RiskRow:
    fields: dict


def _checker(organisation):
    categories = {
        c.name.casefold(): c for c in RiskCategory.objects.filter(organisation=organisation)
    }

    seen: dict[str, int] = {}

    def check(row: Row, reasons: list[str]) -> RiskRow | None:
        fields: dict = {
            "reference": spreadsheets.text(row["reference"]),
            "title": spreadsheets.text(row["title"]),
        }
        if not fields["reference"]:
            reasons.append("reference is missing: it is how a row finds its risk")
        elif fields["reference"] in seen:
            reasons.append(
                f"reference {fields['reference']} is also on row {seen[fields['reference']]}"
            )
        else:
            seen[fields["reference"]] = row.number
        if not fields["title"]:
            reasons.append("risk is missing")
        for key in TEXTS:
            fields[key.replace(" ", "_")] = spreadsheets.long_text(row[key.replace(" ", "_")])
        name = spreadsheets.text(row["category"])
        fields["category"] = categories.get(name.casefold()) if name else None
        if name and fields["category"] is None:
            reasons.append(f"category “{name}” is not one of this organisation’s")
        for key in LEVELS:
            name = key.replace(" ", "_")
            fields[name] = spreadsheets.check_cell(row, name, _level, reasons, title=key)
        for prefix in ("inherent", "target"):
            problems = scoring.pair_problems(
                prefix, fields[f"{prefix}_likelihood"], fields[f"{prefix}_consequence"]
            )
            reasons.extend(problems.values())
        problem = scoring.score_problems(
            inherent=(fields["inherent_likelihood"], fields["inherent_consequence"]),
            target=(fields["target_likelihood"], fields["target_consequence"]),
        )
        if problem:
            reasons.append(problem)
        fields["status"] = spreadsheets.check_cell(row, "status", _status, reasons, title="status")
        fields["is_principal"] = _flag(row["principal"])
        fields["review_date"] = spreadsheets.check_cell(
            row, "review_date", _date, reasons, title="next review"
        )
        return RiskRow(fields)

    return check


def import_register(organisation, table, *, by) -> ImportResult:
    def write(rows: list[RiskRow], result: ImportResult) -> None:
        existing = {r.reference: r for r in Risk.objects.filter(organisation=organisation)}
        for row in rows:
            risk = existing.get(row.fields["reference"])
            if risk is None:
                risk = Risk(organisation=organisation, **row.fields)
                result.created += 1
            else:
                changed = {k: v for k, v in row.fields.items() if getattr(risk, k) != v}
                if not changed:
                    result.unchanged += 1
                    continue
                for name, value in changed.items():
                    setattr(risk, name, value)
                risk.version += 1
                result.updated += 1
            risk._history_user = by
            risk._change_reason = "Imported from a spreadsheet"
            risk.save()

    with transaction.atomic():
        return spreadsheets.import_rows(table, check=_checker(organisation), write=write)


def register_workbook(organisation) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Risk register")
    headings = [c.title for c in LAYOUT.columns] + list(EXPORT_ONLY)
    sheet.append(headings)
    risks = Risk.objects.filter(organisation=organisation).with_related()
    for risk in risks:
        values = [
            risk.reference,
            risk.title,
            risk.cause,
            risk.event,
            risk.effect,
            risk.gaps_in_control,
            risk.gaps_in_assurance,
            risk.category.name if risk.category else "",
            risk.inherent_likelihood,
            risk.inherent_consequence,
            risk.target_likelihood,
            risk.target_consequence,
            risk.get_status_display(),
            "yes" if risk.is_principal else "no",
            risk.review_date,
            risk.current_likelihood,
            risk.current_consequence,
            risk.owner,
        ]
        sheet.append([spreadsheets.neutralise(v) if isinstance(v, str) else v for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@require_http_methods(["GET"])
def register_xlsx(request, org: str):
    organisation = permissions.organisation_for(request.user, Action.EXPORT, org)
    response = HttpResponse(
        register_workbook(organisation),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-risks.xlsx"'
    return response


class ImportForm(CheckedInputs, forms.Form):
    file = forms.FileField(
        label="Upload a CSV file or an Excel workbook (.xlsx)",
        help_text="Up to 5 MB. The first row names the columns; download the register for a "
        "file with the right columns.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.parsed = spreadsheets.read_upload(upload, LAYOUT)
        except spreadsheets.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


@require_http_methods(["GET", "POST"])
def register_import(request, org: str):
    organisation = permissions.organisation_for(request.user, Action.EDIT_PLAN, org)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_register(organisation, form.parsed, by=request.user)
        if result.ok:
            messages.success(request, f"Risks imported: {result}.")
            return redirect("assurance:register", org=organisation.slug)
    return TemplateResponse(
        request,
        "assurance/import.html",
        {
            "organisation": organisation,
            "form": form,
            "result": result,
            "columns": LAYOUT.describe(),
            "breadcrumbs": [
                {"text": "Home", "href": reverse("planning:home")},
                {
                    "text": f"Risk register: {organisation.display_name}",
                    "href": reverse("assurance:register", args=[organisation.slug]),
                },
            ],
        },
        status=400 if form.errors or (result and result.errors) else 200,
    )
