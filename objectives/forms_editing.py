"""The planner's form for an objective or action. Writes go through objectives.editing."""

from __future__ import annotations

from django import forms

from kpis.models import KPI
from objectives.editing import EDITABLE_FIELDS, MANY_FIELDS
from objectives.models import Goal, Objective, ObjectiveKind, ProgressStatus
from planning import idempotency
from planning.forms import VersionForm, reason_field
from planning.models import (
    OrgUnit,
    PlanKind,
    Programme,
    Role,
    StrategicObjective,
    StrategicPriority,
)
from planning.validation import CheckedInputs, VersionField


class ObjectiveForm(CheckedInputs, forms.ModelForm):
    """Every choice is limited to the plan's own records (or its organisation's): a tampered id
    of another plan is an invalid choice, reported on its field."""

    version = VersionField(required=False)
    submission_token = idempotency.TokenField()

    class Meta:
        model = Objective
        # The order a planner reads the item in (the service takes them by name).
        fields = [
            "kind",
            "reference",
            "text",
            "org_unit",
            "programme",
            "goal",
            "strategic_priority",
            "strategic_objective",
            "sro_text",
            "sro_roles",
            "lead_text",
            "lead_roles",
            "due_text",
            "due_date",
            "measure",
            "kpis",
            "is_new",
        ]
        labels = {
            "kind": "Kind of item",
            "reference": "Reference",
            "text": "Objective or action",
            "org_unit": "Department",
            "programme": "Programme or domain",
            "goal": "Goal",
            "strategic_priority": "Strategic priority",
            "strategic_objective": "Short/medium-term objective",
            "sro_text": "SRO, as the plan writes it",
            "lead_text": "Lead, as the plan writes it",
            "sro_roles": "SRO roles",
            "lead_roles": "Lead roles",
            "due_text": "Due, as the plan writes it",
            "due_date": "Due date",
            "measure": "Measure or evidence",
            "kpis": "Linked KPIs",
            "is_new": "Mark as NEW in this version of the plan",
        }
        help_texts = {
            "reference": "As the plan numbers it, for example 6.1. Unique in the plan.",
            "org_unit": "Choosing another department moves the item to the end of its list.",
            "sro_roles": "The roles whose holders answer for the item: they can update it.",
            "lead_roles": "The roles whose holders lead it: they can update it.",
            "due_text": "For example “Sept 06” or “Ongoing”.",
            "due_date": "For example 30/9/2006. Sorts the item and decides when it is overdue.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "reference": forms.TextInput(
                attrs={"class": "nhsuk-input--width-5", "spellcheck": "false"}
            ),
            "text": forms.Textarea(attrs={"rows": 3}),
            "measure": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "sro_roles": forms.CheckboxSelectMultiple,
            "lead_roles": forms.CheckboxSelectMultiple,
            "kpis": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "text": {"required": "Enter the objective or action: what will be done."},
            "kind": {"required": "Choose whether this is an operational objective or an action."},
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        org = plan.organisation_id
        limits = {
            "org_unit": OrgUnit.objects.filter(organisation_id=org),
            "programme": Programme.objects.filter(plan=plan),
            "goal": Goal.objects.filter(plan=plan),
            "strategic_priority": StrategicPriority.objects.filter(plan=plan),
            "strategic_objective": StrategicObjective.objects.filter(plan=plan),
            "sro_roles": Role.objects.filter(organisation_id=org),
            "lead_roles": Role.objects.filter(organisation_id=org),
            "kpis": KPI.objects.filter(plan=plan).order_by("code"),
        }
        for name, queryset in limits.items():
            self.fields[name].queryset = queryset
        for name in ("org_unit", "programme", "goal", "strategic_priority", "strategic_objective"):
            self.fields[name].empty_label = "None"
        self.fields["kind"].choices = self.fields["kind"].choices[1:]
        if not self.is_bound:
            self.initial["submission_token"] = idempotency.new_token()
            if self.instance.pk:
                self.initial["version"] = self.instance.version
            else:
                # A business plan lists departments' operational objectives; the others, actions.
                business = plan.kind == PlanKind.BUSINESS_PLAN
                self.initial["kind"] = (
                    ObjectiveKind.OPERATIONAL if business else ObjectiveKind.ACTION
                )

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*EDITABLE_FIELDS, *MANY_FIELDS]}


class ObjectiveDeleteForm(VersionForm):
    """The version the delete page was opened at."""

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", version)
        self.issue_token()


class ObjectiveCloseForm(VersionForm):
    """Close (completed) or cancel an item, and why: a progress update by the planner."""

    status = forms.ChoiceField(
        label="What happened to this item?",
        choices=[
            (ProgressStatus.COMPLETED, "Completed: it was delivered"),
            (ProgressStatus.CANCELLED, "Cancelled: it will not be delivered"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Completed or Cancelled."},
    )
    reason = reason_field(
        "Why?",
        "For example “superseded by the new estates strategy”. It is the update’s narrative: "
        "everybody who reads the item’s history sees it.",
    )

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", version)
        self.issue_token()
