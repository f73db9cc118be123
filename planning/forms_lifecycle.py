"""The forms of a plan's lifecycle steps and of its details page (planning.lifecycle,
planning.plan_details). They check the shape of the input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from planning import idempotency
from planning.forms import VersionForm, reason_field
from planning.models import Plan
from planning.permissions import PlanStep
from planning.plan_details import DETAIL_FIELDS
from planning.validation import CheckedInputs, VersionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _StepForm(VersionForm):
    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", plan.version)
        self.issue_token()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data


class SubmitForm(_StepForm):
    pass


class ApproveForm(_StepForm):
    approved_by = forms.CharField(
        label="Approved by",
        max_length=150,
        help_text="Who approved it, for example Executive team.",
        error_messages={"required": "Enter who approved the plan, e.g. Executive team."},
    )
    date_approved = forms.DateField(
        label="Date approved",
        widget=DATE,
        error_messages={"required": "Enter the date the plan was approved."},
    )


class RatifyForm(_StepForm):
    ratified_by = forms.CharField(
        label="Ratified by",
        max_length=150,
        help_text="The board or committee, for example Trust Board.",
        error_messages={"required": "Enter who ratified the plan, e.g. Trust Board."},
    )
    date_ratified = forms.DateField(
        label="Date ratified",
        widget=DATE,
        error_messages={"required": "Enter the date the plan was ratified."},
    )
    board_minute_reference = forms.CharField(
        label="Board minute reference",
        max_length=100,
        help_text="As it appears in the minutes, for example TB/2026/114.",
        error_messages={"required": "Enter the board minute reference."},
    )


class SendBackForm(_StepForm):
    reason = reason_field(
        "Why is it being sent back?",
        "The planner sees this on the plan's page. It stays in the plan's history.",
    )


STEP_FORMS: dict[PlanStep, type[_StepForm]] = {
    PlanStep.SUBMIT: SubmitForm,
    PlanStep.APPROVE: ApproveForm,
    PlanStep.RATIFY: RatifyForm,
    PlanStep.SEND_BACK: SendBackForm,
}


class PlanDetailsForm(CheckedInputs, forms.ModelForm):
    version = VersionField()
    submission_token = idempotency.TokenField()

    class Meta:
        model = Plan
        fields = DETAIL_FIELDS
        labels = {
            "version_label": "Version",
            "director_sponsor": "Owner (director sponsor)",
            "start_year": "First financial year",
            "end_year": "Last financial year",
            "target_audience": "Distribution (target audience)",
            "core_purpose": "Core purpose",
            "reporting_working_days": "Reporting deadline (working days after a quarter ends)",
        }
        help_texts = {
            "start_year": "The year it starts in, for example 2006 for 2006/07.",
            "end_year": "The same as the first year for a one-year plan.",
            "version_label": "For example 4.0.",
            "aim": "Plain text: leave a blank line between paragraphs.",
            "reporting_working_days": "Progress updates and KPI values for a quarter can be "
            "entered until this many working days (Monday to Friday) after it ends; then the "
            "quarter locks. Between 1 and 60; 15 unless the plan needs otherwise.",
        }
        widgets = {
            "date_issued": DATE,
            "review_date": DATE,
            "aim": forms.Textarea(attrs={"rows": 3}),
            "vision": forms.Textarea(attrs={"rows": 3}),
            "core_purpose": forms.Textarea(attrs={"rows": 3}),
            "reporting_working_days": forms.NumberInput(
                attrs={"class": "nhsuk-input--width-2", "inputmode": "numeric"}
            ),
        }
        error_messages = {
            "reporting_working_days": {
                "required": "Enter the number of working days, for example 15.",
                "min_value": "Enter at least 1 working day.",
                "max_value": "Enter at most 60 working days.",
                "invalid": "Enter a whole number of working days, for example 15.",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = self.fields["reporting_working_days"]
        days.min_value, days.max_value = 1, 60
        days.validators = [MinValueValidator(1), MaxValueValidator(60)]
        days.widget.attrs.update(min=1, max=60)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["submission_token"] = idempotency.new_token()

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in DETAIL_FIELDS}
