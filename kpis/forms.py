"""Forms for KPIs, measurements, the measurement import and the scorecard's quarter switcher.

They render as NHS.UK form groups through the project's form renderer; pages put the error
summary first. Writes go through kpis.services (version checks), not ModelForm.save().
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from kpis import imports, periods
from kpis.models import KPI
from kpis.services import KPI_FIELDS
from planning.models import Role
from planning.validation import CheckedInputs, VersionField

DECIMAL_ATTRS = {"inputmode": "decimal", "class": "nhsuk-input--width-10", "spellcheck": "false"}


def _decimal(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=14,
        decimal_places=4,
        widget=forms.TextInput(attrs=DECIMAL_ATTRS),
        **kwargs,
    )


class KPIForm(CheckedInputs, forms.ModelForm):
    """A KPI's definition. The code must be unique in the plan (reported on the field)."""

    target = _decimal(
        required=False,
        help_text="In the KPI's unit. Leave blank when the KPI has no target: it then has no RAG.",
    )
    tolerance = _decimal(
        required=False,
        min_value=0,
        help_text="How far short of the target is still Amber rather than Red. Blank means no "
        "Amber: anything short of the target is Red.",
    )
    version = VersionField(required=False)

    class Meta:
        model = KPI
        fields = KPI_FIELDS
        labels = {
            "code": "Code",
            "name": "Name",
            "perspective": "Scorecard perspective",
            "polarity": "Which direction is better?",
            "frequency": "How often is it measured?",
            "owner_text": "Owner (as written)",
            "owner_role": "Owner's role",
            "data_source": "Data source",
            "in_development": "This KPI is still being developed",
            "definition_due": "Date the KPI is due to be defined",
        }
        help_texts = {
            "code": "The perspective's letter and a number, for example L2.",
            "unit": "For example %, £ or days. Leave blank for a count or a score.",
            "owner_text": "As the plan writes it, for example “Head of HR”.",
            "definition_due": "For a KPI still being developed.",
        }
        widgets = {
            "code": forms.TextInput(attrs={"class": "nhsuk-input--width-5", "spellcheck": "false"}),
            "unit": forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "polarity": forms.RadioSelect,
            "definition_due": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["owner_role"].queryset = Role.objects.filter(
            organisation_id=plan.organisation_id
        )
        self.fields["owner_role"].empty_label = "No role chosen"
        self.fields["perspective"].choices = self.fields["perspective"].choices[1:]
        self.fields["frequency"].choices = self.fields["frequency"].choices[1:]
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        clash = KPI.objects.filter(plan=self.plan, code=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"This plan already has a KPI with the code {code}.")
        return code

    def clean(self):
        data = super().clean()
        if data.get("in_development") is False and data.get("definition_due"):
            self.add_error(
                "definition_due",
                "Only a KPI still being developed has a date to be defined: tick the box above "
                "or clear the date.",
            )
        return data

    def validate_unique(self):
        """The code is checked in clean_code (on the field); the plan is not a form field."""

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def plain_number(value):
    """82.5000 -> "82.5", 200.0000 -> "200" (never "2E+2")."""
    if value is None:
        return None
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def period_choices(kpi: KPI, today: dt.date, *, taken: set[dt.date]) -> list[tuple[str, str]]:
    """Periods of the KPI's frequency from two financial years before the plan to one after,
    that have started and have no measurement yet: newest first."""
    plan = kpi.plan
    starts = periods.starts(plan.start_year - 2, plan.end_year + 1, kpi.frequency)
    return [
        (periods.key(start, kpi.frequency), periods.label(start, kpi.frequency))
        for start in reversed(starts)
        if start <= today and start not in taken
    ]


class MeasurementForm(CheckedInputs, forms.Form):
    """A new measurement (with a period to choose) or a correction (period fixed)."""

    period = forms.ChoiceField(label="Period")
    value = _decimal(label="Value")
    commentary = forms.CharField(
        label="Commentary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What explains this value, and what is being done about it.",
    )
    starts_new_limits = forms.BooleanField(
        label="Recalculate the SPC limits from this period",
        required=False,
        help_text="Only when a deliberate change to the process starts here, for example a new "
        "system or a new way of counting.",
    )
    version = VersionField(required=False)

    def __init__(self, *args, kpi: KPI, measurement=None, taken=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.measurement = measurement
        self.fields["value"].label = f"Value{f' ({kpi.unit})' if kpi.unit else ''}"
        if measurement is not None:
            del self.fields["period"]
            if not self.is_bound:
                self.initial.update(
                    value=plain_number(measurement.value),
                    commentary=measurement.commentary,
                    starts_new_limits=measurement.starts_new_limits,
                    version=measurement.version,
                )
        else:
            today = today or timezone.localdate()
            # A period filled since the form was opened stays a valid choice, so that the
            # service can report who filled it (a lost update) rather than "not a choice".
            choices = period_choices(kpi, today, taken=set() if self.is_bound else set(taken))
            self.fields["period"].choices = choices
            self.fields["period"].help_text = (
                f"{kpi.get_frequency_display()} periods without a value yet. NHS financial-year "
                "quarters: Q1 is April to June."
            )
            del self.fields["version"]

    def clean_period(self):
        return periods.parse_for(self.cleaned_data["period"], self.kpi.frequency)


class ImportForm(CheckedInputs, forms.Form):
    file = forms.FileField(
        label="Upload a CSV file or an Excel workbook (.xlsx)",
        help_text="Columns: kpi code, period, value and (optionally) commentary. Up to 5 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.parsed = imports.read_upload(upload)
        except imports.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload
