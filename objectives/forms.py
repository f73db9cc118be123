from __future__ import annotations

import datetime as dt

from django import forms

from objectives import filter_form, rules
from objectives.models import ProgressStatus
from planning import idempotency
from planning.fy import Quarter
from planning.rag import RAG
from planning.validation import CheckedInputs, VersionField


def reportable_quarters(plan, today: dt.date) -> list[Quarter]:
    """Quarters of the plan's period up to the current one, newest first."""
    last = min(Quarter(plan.end_year, 4), Quarter.containing(today))
    quarters = []
    quarter = Quarter(plan.start_year, 1)
    while quarter <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    return list(reversed(quarters))


class ProgressUpdateForm(CheckedInputs, forms.Form):
    # Widgets that draw their templates' markup in Python (objectives.filter_form): the form is
    # on every item page its lead opens.
    period = forms.ChoiceField(
        widget=filter_form.Select,
        label="Quarter this update reports on",
        help_text="NHS financial-year quarters: Q1 is April to June.",
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=RAG.choices,
        widget=filter_form.RadioSelect,
        help_text="Blue means complete.",
    )
    status = forms.ChoiceField(
        label="Progress status", choices=ProgressStatus.choices, widget=filter_form.Select
    )
    percent_complete = forms.IntegerField(
        label="Percentage complete", min_value=0, max_value=100, widget=filter_form.NumberInput
    )
    narrative = forms.CharField(
        label="Narrative",
        required=False,
        widget=filter_form.Textarea(attrs={"rows": 4}),
        help_text="What has happened this quarter. Needed when the item is Red or Amber.",
    )
    next_steps = forms.CharField(
        label="Next steps", required=False, widget=filter_form.Textarea(attrs={"rows": 3})
    )
    evidence_url = forms.URLField(
        widget=filter_form.URLInput,
        label="Link to evidence",
        required=False,
        assume_scheme="https",
        help_text="For example a document on the intranet.",
    )
    version = VersionField(widget=filter_form.HiddenInput)
    submission_token = idempotency.TokenField(widget=filter_form.HiddenInput)

    def __init__(self, *args, objective, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.objective = objective
        self.today = today or dt.date.today()
        quarters = reportable_quarters(objective.plan, self.today)
        # A period outside the plan, or a quarter not yet started, is not offered; a tampered
        # value is refused as an invalid choice and again by the rules below.
        self.fields["period"].choices = [(q.key, str(q)) for q in quarters]
        if not self.is_bound:
            self.initial.setdefault("submission_token", idempotency.new_token())
            self.initial.setdefault("version", objective.version)
            self.initial.setdefault("status", objective.status)
            self.initial.setdefault("rag", objective.rag or None)
            self.initial.setdefault("percent_complete", objective.percent_complete)
            if quarters:
                self.initial.setdefault("period", quarters[0].key)

    def clean(self):
        data = super().clean()
        # Check the rules on whatever is valid, so every problem is reported at once; a field
        # that already has an error is not given a second one.
        quarter = self.reported_quarter(data)
        problems = rules.check_update(
            rag=data.get("rag", ""),
            status=data.get("status", ""),
            percent_complete=data.get("percent_complete"),
            narrative=data.get("narrative", ""),
            financial_year=quarter.year,
            quarter=quarter.number,
            today=self.today,
        )
        for field, messages in problems.items():
            field = "period" if field == "quarter" else field
            if field in self.errors or field not in self.fields or field not in data:
                continue
            for message in messages:
                self.add_error(field, message)
        return data

    def reported_quarter(self, data) -> Quarter:
        if "period" in data:
            quarter = Quarter.parse(data["period"])
            data["financial_year"], data["quarter"] = quarter.year, quarter.number
            return quarter
        return Quarter.containing(self.today)  # already an invalid choice: check the rest

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "submission_token": data.get("submission_token", ""),
            "expected_version": data["version"],
            "financial_year": data["financial_year"],
            "quarter": data["quarter"],
            "rag": data["rag"],
            "status": data["status"],
            "percent_complete": data["percent_complete"],
            "narrative": data.get("narrative", ""),
            "next_steps": data.get("next_steps", ""),
            "evidence_url": data.get("evidence_url", ""),
            "today": self.today,
        }
