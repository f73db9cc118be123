"""Forms that change an item's records: correcting or withdrawing a progress update, and the
item's milestones. Writes go through objectives.services (version checks, one-time tokens)."""

from __future__ import annotations

from django import forms

from objectives.forms import ProgressUpdateForm
from objectives.models import ProgressUpdate
from planning.forms import VersionForm, reason_field
from planning.fy import Quarter


class UpdateCorrectionForm(ProgressUpdateForm):
    """The update's own quarter, its words to correct, and why. The quarter itself cannot be
    corrected: a wrong quarter is withdrawn and reported again."""

    reason = reason_field(
        "Why are you correcting this update?",
        "For example “the percentage was mistyped”. Everybody who reads the history sees it.",
    )

    def __init__(self, *args, update: ProgressUpdate, **kwargs):
        self.update = update
        super().__init__(*args, objective=update.objective, **kwargs)
        del self.fields["period"]
        if not self.is_bound:
            self.initial.update(
                rag=update.rag or None,
                status=update.status,
                percent_complete=update.percent_complete,
                narrative=update.narrative,
                next_steps=update.next_steps,
                evidence_url=update.evidence_url,
            )

    def reported_quarter(self, data) -> Quarter:
        return self.update.period

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "submission_token": data.get("submission_token", ""),
            "expected_version": data["version"],
            "rag": data["rag"],
            "status": data["status"],
            "percent_complete": data["percent_complete"],
            "narrative": data.get("narrative", ""),
            "next_steps": data.get("next_steps", ""),
            "evidence_url": data.get("evidence_url", ""),
            "reason": data["reason"],
            "today": self.today,
        }


class MilestoneForm(VersionForm):
    text = forms.CharField(
        label="Milestone",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What will be done, in a sentence.",
        error_messages={"required": "Enter the milestone: what will be done."},
    )
    lead_text = forms.CharField(
        label="Lead (optional)",
        required=False,
        max_length=150,
        help_text="A person or a role, for example “Head of Estates”.",
    )
    due_date = forms.DateField(
        label="Due date (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For example 31/3/2027. Leave blank if there is no date yet.",
        error_messages={"invalid": "Enter the due date as a real date, for example 31/3/2027."},
    )

    def __init__(self, *args, milestone=None, **kwargs):
        super().__init__(*args, **kwargs)
        if milestone is None:
            self.fields["version"].required = False
        elif not self.is_bound:
            self.initial.update(
                text=milestone.text,
                lead_text=milestone.lead_text,
                due_date=milestone.due_date,
                version=milestone.version,
            )
        self.issue_token()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "lead_text": data.get("lead_text", ""),
            "due_date": data.get("due_date"),
            "submission_token": data.get("submission_token", ""),
        }
