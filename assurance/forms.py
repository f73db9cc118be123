"""The risk register's forms. Every choice is limited to the organisation's own records: a
tampered id of another organisation is refused on its field, in words, and nothing is saved.
Writes go through assurance.services, which checks the same again."""

from __future__ import annotations

from django import forms

from assurance import services
from assurance.models import (
    CONSEQUENCE_CHOICES,
    LEVEL_CHOICES,
    Control,
    Risk,
    RiskCategory,
)
from objectives.models import Objective
from planning import idempotency
from planning.forms import VersionForm
from planning.models import Person, Plan, Programme, Role, StrategicObjective, StrategicPriority
from planning.validation import INTEGER_MAX, CheckedInputs, VersionField

DATE = forms.DateInput(attrs={"type": "date"})
FOREIGN = "Choose {what} of this organisation’s own: %(value)s is not one of them"
FOREIGN_PK = "Choose {what} of this organisation’s own: %(pk)s is not one of them"
FOREIGN_ONE = "Choose {what} of this organisation’s own"


class OwnRecords(forms.ModelMultipleChoiceField):
    """Checkboxes of the organisation's records. An id that is not a whole number within the
    database's range is refused before it reaches a query (SQLite cannot even bind it)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not text.isdigit() or int(text) > INTEGER_MAX:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20]},
                )
        return super()._check_values(value)


def level_field(label: str, choices, *, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Not scored"), *choices],
        coerce=int,
        empty_value=None,
        required=required,
        error_messages={"invalid_choice": "Choose a level from 1 to 5"},
    )


class RiskForm(CheckedInputs, forms.ModelForm):
    version = VersionField(required=False)
    submission_token = idempotency.TokenField()
    inherent_likelihood = level_field("Inherent likelihood", LEVEL_CHOICES)
    inherent_consequence = level_field("Inherent consequence", CONSEQUENCE_CHOICES)
    current_likelihood = level_field("Current likelihood", LEVEL_CHOICES)
    current_consequence = level_field("Current consequence", CONSEQUENCE_CHOICES)
    target_likelihood = level_field("Target likelihood", LEVEL_CHOICES)
    target_consequence = level_field("Target consequence", CONSEQUENCE_CHOICES)

    class Meta:
        model = Risk
        fields = [
            "reference",
            "title",
            "cause",
            "event",
            "effect",
            "category",
            "plan",
            "programme",
            "owner_person",
            "owner_role",
            "priorities",
            "strategic_objectives",
            "programmes",
            "inherent_likelihood",
            "inherent_consequence",
            "current_likelihood",
            "current_consequence",
            "target_likelihood",
            "target_consequence",
            "gaps_in_control",
            "gaps_in_assurance",
            "mitigating_actions",
            "is_principal",
            "status",
            "review_date",
        ]
        labels = {
            "reference": "Reference",
            "title": "Risk",
            "cause": "Cause: because of …",
            "event": "Event: there is a risk that …",
            "effect": "Effect: which would mean …",
            "category": "Category",
            "plan": "Plan",
            "programme": "Programme it belongs to",
            "owner_person": "Owner (a person)",
            "owner_role": "Owner (a role)",
            "priorities": "Strategic priorities it threatens",
            "strategic_objectives": "Short/medium-term objectives it threatens",
            "programmes": "Programmes it threatens",
            "gaps_in_control": "Gaps in control",
            "gaps_in_assurance": "Gaps in assurance",
            "mitigating_actions": "Mitigating actions",
            "is_principal": "A principal risk: show it on the Board Assurance Framework",
            "status": "Status",
            "review_date": "Next review",
        }
        help_texts = {
            "reference": "For example BAF 3. Unique in the organisation.",
            "owner_role": "Holders of the role, like the person, may record the risk's reviews.",
            "mitigating_actions": "Objectives and actions of the plans: their RAG and progress "
            "show on the risk.",
            "review_date": "For example 31/3/2026. A risk past this date is shown as overdue.",
            "gaps_in_control": "Where a control is missing or does not work.",
            "gaps_in_assurance": "Where there is no evidence that a control works.",
        }
        widgets = {
            "reference": forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
            "cause": forms.Textarea(attrs={"rows": 3}),
            "event": forms.Textarea(attrs={"rows": 3}),
            "effect": forms.Textarea(attrs={"rows": 3}),
            "gaps_in_control": forms.Textarea(attrs={"rows": 3}),
            "gaps_in_assurance": forms.Textarea(attrs={"rows": 3}),
            "priorities": forms.CheckboxSelectMultiple,
            "strategic_objectives": forms.CheckboxSelectMultiple,
            "programmes": forms.CheckboxSelectMultiple,
            "mitigating_actions": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
            "review_date": DATE,
        }
        error_messages = {"title": {"required": "Enter the risk: a short title"}}
        field_classes = {
            "priorities": OwnRecords,
            "strategic_objectives": OwnRecords,
            "programmes": OwnRecords,
            "mitigating_actions": OwnRecords,
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        org = organisation.pk
        plans = Plan.objects.filter(organisation_id=org)
        limits = {
            "category": (RiskCategory.objects.filter(organisation_id=org), "a category"),
            "plan": (plans, "a plan"),
            "programme": (
                Programme.objects.filter(plan__organisation_id=org).select_related("plan"),
                "a programme",
            ),
            "owner_person": (Person.objects.filter(organisation_id=org), "a person"),
            "owner_role": (Role.objects.filter(organisation_id=org), "a role"),
            "priorities": (
                StrategicPriority.objects.filter(plan__organisation_id=org),
                "strategic priorities",
            ),
            "strategic_objectives": (
                StrategicObjective.objects.filter(plan__organisation_id=org),
                "objectives",
            ),
            "programmes": (Programme.objects.filter(plan__organisation_id=org), "programmes"),
            "mitigating_actions": (
                Objective.objects.filter(plan__organisation_id=org).order_by("plan", "order"),
                "plans’ actions",
            ),
        }
        for name, (queryset, what) in limits.items():
            field = self.fields[name]
            field.queryset = queryset
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.error_messages["invalid_choice"] = FOREIGN.format(what=what)
                field.error_messages["invalid_pk_value"] = FOREIGN_PK.format(what=what)
            else:
                field.error_messages["invalid_choice"] = FOREIGN_ONE.format(what=what)
                field.empty_label = "None"
        if self.instance.pk:
            # The current score is the latest review's: a review changes it, not this form.
            del self.fields["current_likelihood"]
            del self.fields["current_consequence"]
        if not self.is_bound:
            self.initial["submission_token"] = idempotency.new_token()
            if self.instance.pk:
                self.initial["version"] = self.instance.version

    def service_data(self) -> dict:
        names = [*services.RISK_FIELDS, *services.RISK_MANY]
        if "current_likelihood" in self.fields:
            names += services.CURRENT_FIELDS
        return {name: self.cleaned_data.get(name) for name in names}


class ReviewForm(VersionForm):
    reviewed_on = forms.DateField(
        label="Date of the review",
        widget=DATE,
        error_messages={"required": "Enter the date of the review"},
    )
    likelihood = level_field("Likelihood now", LEVEL_CHOICES)
    consequence = level_field("Consequence now", CONSEQUENCE_CHOICES)
    note = forms.CharField(
        label="What did the review find?",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="For example, which controls were tested and what changed since the last review.",
    )
    next_review = forms.DateField(label="Next review", widget=DATE, required=False)

    def __init__(self, *args, risk, today, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("version", risk.version)
            self.initial.setdefault("reviewed_on", today)
            self.initial.setdefault("likelihood", risk.current_likelihood)
            self.initial.setdefault("consequence", risk.current_consequence)
            self.issue_token()


class ControlForm(CheckedInputs, forms.ModelForm):
    version = VersionField(required=False)
    submission_token = idempotency.TokenField()
    line_of_defence = forms.TypedChoiceField(
        label="Line of defence",
        choices=[("", "Not stated"), *Control._meta.get_field("line_of_defence").choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Control
        fields = ["kind", "description", "line_of_defence"]
        labels = {"kind": "Is it a control or a source of assurance?", "description": "Description"}
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "description": {"required": "Describe the control or assurance"},
            "kind": {"required": "Choose control or assurance"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = self.fields["kind"].choices[1:]
        if not self.is_bound:
            self.initial["submission_token"] = idempotency.new_token()
            if self.instance.pk:
                self.initial["version"] = self.instance.version


class BandsForm(VersionForm):
    low_max = forms.IntegerField(label="Low runs from 1 up to", min_value=1, max_value=24)
    moderate_max = forms.IntegerField(label="Moderate runs up to", min_value=2, max_value=24)
    high_max = forms.IntegerField(
        label="High runs up to",
        min_value=3,
        max_value=24,
        help_text="Extreme runs from the next score up to 25.",
    )

    def __init__(self, *args, bands, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                version=version,
                low_max=bands.low_max,
                moderate_max=bands.moderate_max,
                high_max=bands.high_max,
            )
            self.issue_token()


class CategoryForm(CheckedInputs, forms.ModelForm):
    version = VersionField(required=False)
    submission_token = idempotency.TokenField()
    appetite = forms.IntegerField(
        label="Risk appetite (highest tolerable score)",
        min_value=1,
        max_value=25,
        required=False,
        help_text="A score from 1 to 25: risks above it stand out as outside appetite.",
    )

    class Meta:
        model = RiskCategory
        fields = ["name", "appetite", "appetite_statement"]
        labels = {"name": "Name", "appetite_statement": "Appetite statement"}
        widgets = {"appetite_statement": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"required": "Enter the category's name"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_token"] = idempotency.new_token()
            if self.instance.pk:
                self.initial["version"] = self.instance.version
