"""The planner's (and, where allowed, the manager's) forms for frameworks, assessments,
targets and gap analyses. Writes go through frameworks.services; every choice of a linked
record is limited to the organisation's own, and a tampered id is refused on its field."""

from __future__ import annotations

from django import forms

from frameworks.models import MAX_LEVELS, AssessmentKind, Competency, Framework
from frameworks.services import score_field
from objectives.models import Objective
from planning import idempotency
from planning.models import Plan, Programme
from planning.validation import CheckedInputs, VersionField, check_field

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Base(CheckedInputs, forms.Form):
    version = VersionField(required=False)
    submission_token = idempotency.TokenField()

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", idempotency.new_token())
            if version is not None:
                self.initial["version"] = version


def _own_choices(field: forms.ModelMultipleChoiceField, what: str) -> None:
    field.error_messages["invalid_choice"] = (
        f"Choose {what} of this organisation's own plans: %(value)s is not one of them"
    )
    field.error_messages["invalid_pk_value"] = f"Choose {what} from the list"


class FrameworkForm(_Base):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    level_names = forms.CharField(
        label="Level names",
        help_text=f"One a line, lowest first: for example “Developing”, “Established”, "
        f"“Leading”. Between 2 and {MAX_LEVELS} levels; level 1 is the first line.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )
    contributors_may_assess = forms.BooleanField(
        label="Managers (contributors) may record assessments", required=False
    )
    plans = forms.ModelMultipleChoiceField(
        label="Plans whose PDF shows this framework",
        queryset=Plan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = Plan.objects.filter(organisation=organisation)
        self.fields["plans"].error_messages["invalid_choice"] = (
            "Choose plans of this organisation: %(value)s is not one of them"
        )

    def clean_level_names(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["level_names"].splitlines()]
        names = [n for n in names if n]
        if any(len(n) > 60 for n in names):
            raise forms.ValidationError("Keep each level's name to 60 characters or fewer")
        return names

    def service_data(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("name", "description", "level_names", "contributors_may_assess", "plans")
        }


class CompetencyForm(_Base):
    name = forms.CharField(label="Competency", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    programmes = forms.ModelMultipleChoiceField(
        label="Programmes that develop it",
        queryset=Programme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objectives = forms.ModelMultipleChoiceField(
        label="Objectives and actions that develop it",
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        org = framework.organisation_id
        self.fields["programmes"].queryset = Programme.objects.filter(
            plan__organisation_id=org
        ).select_related("plan")
        self.fields["objectives"].queryset = Objective.objects.filter(
            plan__organisation_id=org
        ).order_by("plan", "order")
        _own_choices(self.fields["programmes"], "programmes")
        _own_choices(self.fields["objectives"], "objectives and actions")
        for level, name in framework.levels:
            self.fields[f"descriptor_{level}"] = forms.CharField(
                label=f"Level {level} ({name}): what it looks like",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.framework = framework
        for formfield in self.fields.values():
            check_field(formfield)  # the fields added above, too

    def service_data(self) -> dict:
        data = {
            k: self.cleaned_data[k] for k in ("name", "description", "programmes", "objectives")
        }
        data["descriptors"] = [
            self.cleaned_data.get(f"descriptor_{level}", "") for level, _ in self.framework.levels
        ]
        return data


class AssessmentForm(_Base):
    assessed_on = forms.DateField(
        label="Date of the assessment", widget=DATE_WIDGET, help_text="For example 2006-09-30."
    )
    kind = forms.ChoiceField(
        label="Kind of assessment",
        choices=AssessmentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose self-assessment, panel or external"},
    )
    assessor = forms.CharField(
        label="Assessor", required=False, max_length=200, help_text="Who assessed."
    )
    evidence = forms.CharField(
        label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, framework: Framework, competencies: list[Competency], **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = competencies
        top = framework.level_count
        for competency in competencies:
            # A number field, not a list of levels: a level outside the framework's is then
            # refused with words saying which levels there are (frameworks.scoring).
            self.fields[score_field(competency.pk)] = forms.IntegerField(
                label=f"{competency}: level",
                required=False,
                help_text=f"1 to {top}; leave empty if not assessed.",
                widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2"}),
                error_messages={"invalid": f"Enter a whole number from 1 to {top}"},
            )
        for formfield in self.fields.values():
            check_field(formfield)  # the fields added above, too

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("assessed_on", "kind", "assessor", "evidence")}
        data["scores"] = {c.pk: self.cleaned_data.get(score_field(c.pk)) for c in self.competencies}
        return data


ALL = "all"


class TargetForm(_Base):
    competency = forms.ChoiceField(label="Which competency?")
    target_date = forms.DateField(
        label="By when?",
        widget=DATE_WIDGET,
        help_text="A date within one of the organisation's plan periods.",
    )
    level = forms.IntegerField(
        label="Target level",
        help_text="At least this level by the date.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2"}),
    )

    def __init__(self, *args, framework: Framework, competencies: list[Competency], **kwargs):
        super().__init__(*args, **kwargs)
        self.by_id = {str(c.pk): c for c in competencies}
        self.fields["competency"].choices = [
            (ALL, "All competencies"),
            *[(str(c.pk), str(c)) for c in competencies],
        ]
        self.fields["competency"].error_messages["invalid_choice"] = (
            "Choose one of this framework's competencies, or all of them"
        )
        top = framework.level_count
        self.fields["level"].help_text = f"At least this level by the date: 1 to {top}."

    def chosen(self) -> list[Competency]:
        value = self.cleaned_data["competency"]
        return list(self.by_id.values()) if value == ALL else [self.by_id[value]]


class TargetEditForm(_Base):
    target_date = forms.DateField(label="By when?", widget=DATE_WIDGET)
    level = forms.IntegerField(
        label="Target level", widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2"})
    )


class GapAnalysisForm(_Base):
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class GapAnalysisCreateForm(GapAnalysisForm):
    dimensions = forms.ChoiceField(
        label="Which dimensions?",
        choices=[
            (
                "7s",
                "The McKinsey 7S set: strategy, structure, systems, shared values, style, "
                "staff, skills",
            ),
            ("own", "Dimensions I will name myself"),
        ],
        widget=forms.RadioSelect,
        initial="7s",
        error_messages={"required": "Choose the 7S set or your own dimensions"},
    )


class DimensionForm(_Base):
    name = forms.CharField(label="Dimension", max_length=120)
    current_state = forms.CharField(
        label="Where we are", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    desired_state = forms.CharField(
        label="Where we want to be", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions = forms.ModelMultipleChoiceField(
        label="Objectives and actions that close the gap",
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = Objective.objects.filter(
            plan__organisation_id=plan.organisation_id
        ).order_by("plan", "order")
        _own_choices(self.fields["actions"], "objectives and actions")

    def service_data(self) -> dict:
        return {
            k: self.cleaned_data[k] for k in ("name", "current_state", "desired_state", "actions")
        }
