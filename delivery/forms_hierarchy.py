"""Forms of the delivery hierarchy: an item, its progress update, a year figure, deleting."""

from __future__ import annotations

import datetime as dt

from django import forms

from delivery import services_hierarchy as services
from delivery.models import Confidence, DeliveryItem, Level, Measure, YearFigure
from objectives.models import ProgressStatus
from planning import idempotency
from planning.forms import VersionForm
from planning.fy import fy_label
from planning.rag import RAG
from planning.validation import CheckedInputs, VersionField

DATE = forms.DateInput(attrs={"type": "date"})


class ItemForm(CheckedInputs, forms.ModelForm):
    version = VersionField(required=False)
    submission_token = idempotency.TokenField()

    class Meta:
        model = DeliveryItem
        fields = [*services.EDITABLE_FIELDS, *services.MANY_FIELDS]
        labels = {
            "level": "Level",
            "parent": "Part of",
            "level_label": "What the plan calls this level (optional)",
            "reference": "Reference",
            "sro_person": "SRO (a person in Waymark)",
            "lead_roles": "Lead roles",
            "lead_people": "Lead people",
            "organisations": "Organisations involved",
            "start_date": "Start date",
            "due_date": "Due date, or the window's first day",
            "due_date_latest": "The window's last day",
        }
        help_texts = {
            "parent": "A workstream is part of a programme, an intervention of a workstream, a "
            "milestone of an intervention. A programme is part of nothing.",
            "level_label": "For example “Clinical leadership group” or “Opportunity”.",
            "reference": "As the plan numbers it, for example CP2. Unique in the plan.",
            "timescale_text": "For example “within 3 months”, “3 months – 3 years”, “by March "
            "2010” or “2016-17 to 20-21”. When Waymark can read it, it sets the due dates "
            "(counted from the start date when it is relative).",
            "due_date": "Only when the timescale does not give one.",
            "organisations": "Only the partnership's member organisations can be chosen.",
            "lead_roles": "The roles whose holders lead it: they can update its progress.",
            "lead_people": "They can update its progress.",
        }
        widgets = {
            "level": forms.RadioSelect,
            "reference": forms.TextInput(
                attrs={"class": "nhsuk-input--width-5", "spellcheck": "false"}
            ),
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "case_for_change": forms.Textarea(attrs={"rows": 4}),
            "scope": forms.Textarea(attrs={"rows": 3}),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE,
            "due_date": DATE,
            "due_date_latest": DATE,
            "lead_roles": forms.CheckboxSelectMultiple,
            "lead_people": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "title": {"required": "Enter the item's title."},
            "reference": {"required": "Enter the item's reference, for example CP2."},
            "level": {"required": "Choose a level."},
        }

    def __init__(self, *args, plan, parent: DeliveryItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        items = DeliveryItem.objects.filter(plan=plan).exclude(level=Level.MILESTONE)
        if self.instance.pk:
            items = items.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = items.order_by("level", "order", "pk")
        self.fields["parent"].empty_label = "Nothing: it is a programme"
        self.fields["parent"].label_from_instance = lambda i: (
            f"{i.reference} {i.title[:80]} ({Level(i.level).label.lower()})"
        )
        roles, people = services.roles_and_people(plan)
        self.fields["lead_roles"].queryset = roles
        self.fields["lead_people"].queryset = people
        self.fields["sro_person"].queryset = people
        self.fields["sro_person"].empty_label = "None"
        self.fields["organisations"].queryset = services.involvable_organisations(plan)
        if not self.is_bound:
            self.initial["submission_token"] = idempotency.new_token()
            if self.instance.pk:
                self.initial["version"] = self.instance.version
            elif parent is not None:
                self.initial["parent"] = parent.pk
                below = [lv for lv in Level if lv.parent_level == parent.level]
                if below:
                    self.initial["level"] = below[0]

    # The service checks the reference, the place in the tree and the window, each on its
    # field: the model's constraints would say them with no field to point at.
    def validate_unique(self):
        pass

    def validate_constraints(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ItemVersionForm(VersionForm):
    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", version)
        self.issue_token()


class UpdateForm(CheckedInputs, forms.Form):
    as_at = forms.DateField(
        label="Date the update reports on",
        widget=DATE,
        help_text="For example the date of the board or cabinet report.",
        error_messages={"required": "Enter the date the update reports on."},
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[("", "Not rated"), *RAG.choices],
        widget=forms.RadioSelect,
        required=False,
        help_text="Blue means complete.",
    )
    status = forms.ChoiceField(label="Progress status", choices=ProgressStatus.choices)
    progress = forms.CharField(
        label="Progress made",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when the item is Red or Amber.",
    )
    next_steps = forms.CharField(
        label="Next steps", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()
    submission_token = idempotency.TokenField()

    def __init__(self, *args, item: DeliveryItem, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.today = today or dt.date.today()
        if not self.is_bound:
            self.initial.update(
                submission_token=idempotency.new_token(),
                version=item.version,
                status=item.status,
                rag=item.rag,
                as_at=self.today,
            )

    def clean(self):
        data = super().clean()
        problems = services.check_update(
            plan=self.item.plan,
            rag=data.get("rag", ""),
            status=data.get("status", ""),
            progress=data.get("progress", ""),
            as_at=data.get("as_at"),
            today=self.today,
        )
        for field, messages in problems.items():
            if field in self.errors or field not in data:
                continue
            for message in messages:
                self.add_error(field, message)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "as_at": data["as_at"],
            "rag": data["rag"],
            "status": data["status"],
            "progress": data["progress"],
            "next_steps": data["next_steps"],
            "today": self.today,
            "submission_token": data.get("submission_token", ""),
        }


class FigureForm(CheckedInputs, forms.ModelForm):
    """One year figure: the year is a choice of the plan's years, or not stated."""

    financial_year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Leave as “Not stated” when the source gives no year.",
        error_messages={
            "invalid_choice": "Choose a year of the plan, or “Not stated” if the source gives none."
        },
    )
    low = forms.DecimalField(
        label="Low", max_digits=14, decimal_places=2, required=False, localize=False
    )
    high = forms.DecimalField(
        label="High", max_digits=14, decimal_places=2, required=False, localize=False
    )
    version = VersionField(required=False)
    submission_token = idempotency.TokenField()

    class Meta:
        model = YearFigure
        fields = services.FIGURE_FIELDS
        labels = {
            "measure": "What it counts",
            "confidence": "How sure is it?",
            "recurring": "Recurring: each year from this one on",
            "note": "Note, as the source words it",
        }
        widgets = {"confidence": forms.RadioSelect}
        help_texts = {"note": ""}

    def __init__(self, *args, item: DeliveryItem, **kwargs):
        super().__init__(*args, **kwargs)
        plan = item.plan
        self.fields["financial_year"].choices = [
            ("", "Not stated"),
            *[(y, fy_label(y)) for y in range(plan.start_year, plan.end_year + 1)],
        ]
        self.fields["measure"].choices = Measure.choices
        self.fields["confidence"].choices = Confidence.choices
        self.fields["low"].help_text = "Pounds or FTE. A point: enter it as the low alone."
        self.fields["high"].help_text = "Leave blank for a point."
        for name in ("low", "high"):
            self.fields[name].widget.attrs["class"] = "nhsuk-input--width-10"
        if not self.is_bound:
            self.initial["submission_token"] = idempotency.new_token()
            if self.instance.pk:
                self.initial["version"] = self.instance.version

    def _post_clean(self):
        # The service checks the figure (point or range, the plan's years, the clash with
        # another figure) and names the field; the model's own checks would say it twice.
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.FIGURE_FIELDS}


class FigureDeleteForm(ItemVersionForm):
    pass
