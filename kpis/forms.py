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
from planning import idempotency, reporting_window
from planning.fy import Quarter
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

    # A new KPI's first target, in force from the plan's start. An existing KPI's target is
    # changed from a date on its own page (TargetForm), so that earlier periods keep theirs.
    target = _decimal(
        required=False,
        help_text="In the KPI's unit, from the start of the plan. Leave blank when the KPI has "
        "no target: it then has no RAG.",
    )
    tolerance = _decimal(
        required=False,
        min_value=0,
        help_text="How far short of the target is still Amber rather than Red. Blank means no "
        "Amber: anything short of the target is Red.",
    )
    version = VersionField(required=False)
    # A double click saves once (planning.idempotency): not a duplicate code, nor a stale edit.
    submission_token = idempotency.TokenField()

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
        if not self.is_bound:
            self.initial["submission_token"] = idempotency.new_token()
        if self.instance.pk:
            del self.fields["target"], self.fields["tolerance"]
            if not self.is_bound:
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
    """Periods of the KPI's frequency without a value yet, newest first, up to the current one
    (never the future): this financial year and last (kpis.periods.offered), and the plan's
    years with two before and one after. The first is the latest unreported period. A period
    whose quarter is locked (planning.reporting_window) is not offered: written in anyway, the
    service refuses it with the lock message."""
    plan = kpi.plan
    calendar = reporting_window.for_plan(plan)
    first_fy, last_fy = periods.plan_years(plan.start_year, plan.end_year)
    starts = periods.offered(kpi.frequency, today=today, first_fy=first_fy, last_fy=last_fy)
    return [
        (periods.key(start, kpi.frequency), periods.label(start, kpi.frequency))
        for start in starts
        if start not in taken
        and not calendar.is_locked(Quarter.containing(periods.end(start, kpi.frequency)), today)
    ]


class PeriodField(forms.ChoiceField):
    """Offers the choices, but any written period is read by MeasurementForm.clean_period, so
    a wrong one gets a message that says why (future, or not a period of the KPI's frequency)
    rather than "not one of the available choices"."""

    def valid_value(self, value) -> bool:
        return True


class MeasurementForm(CheckedInputs, forms.Form):
    """A new measurement (with a period to choose) or a correction (period fixed)."""

    period = PeriodField(label="Period")
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
                f"{kpi.get_frequency_display()} periods without a value yet, newest first, up "
                "to the current one. NHS financial-year quarters: Q1 is April to June."
            )
            self.today = today
            del self.fields["version"]

    def clean_period(self):
        try:
            start = periods.parse_for(self.cleaned_data["period"], self.kpi.frequency)
            periods.check(start, self.kpi.frequency, today=self.today)
        except periods.PeriodError as error:
            raise forms.ValidationError(f"{error}.") from None
        return start


class TargetForm(CheckedInputs, forms.Form):
    """A new target and tolerance from a date the planner chooses (kpis.services
    .kpi_target_change checks the date)."""

    effective_from = forms.DateField(
        label="Takes effect from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Periods that begin on or after this date are rated against the new target; "
        "earlier periods keep theirs.",
    )
    target = _decimal(
        label="Target",
        required=False,
        help_text="In the KPI's unit. Leave blank for no target from this date (no RAG).",
    )
    tolerance = _decimal(
        label="Tolerance",
        required=False,
        min_value=0,
        help_text="How far short of the target is still Amber rather than Red. Blank means no "
        "Amber: anything short of the target is Red.",
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=300,
        help_text="For example, the board's decision that set it.",
    )
    version = VersionField()
    submission_token = idempotency.TokenField()

    def __init__(self, *args, kpi: KPI, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        if not self.is_bound:
            self.initial["submission_token"] = idempotency.new_token()
        if kpi.unit:
            self.fields["target"].label = f"Target ({kpi.unit})"
            self.fields["tolerance"].label = f"Tolerance ({kpi.unit})"

    def clean(self):
        data = super().clean()
        if data.get("target") is None and data.get("tolerance") is not None:
            self.add_error("tolerance", "A tolerance needs a target: enter one or clear this.")
        return data


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
