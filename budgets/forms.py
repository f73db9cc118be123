"""Forms and formsets for budgets. Every field renders through the NHS.UK form renderer
({{ field.as_field_group }}), so each problem shows next to its field."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseModelFormSet, modelformset_factory

from budgets import monitoring
from budgets.models import (
    MONEY,
    ExpenditureLine,
    IncomeLine,
    SavingsScheme,
    SavingsStatus,
    ServiceLine,
)
from budgets.selectors import clients_of
from budgets.services import ExpenditureLineValues, IncomeLineValues, ServiceLineValues
from planning import fy, spreadsheets
from planning.money import format_money
from planning.rag import RAG
from planning.validation import CheckedInputs, VersionField

MONEY_MESSAGES = {
    "required": "Enter an amount in pounds",
    "invalid": "Enter an amount in pounds as a number, like 1,234,567 or 1234.50",
    "min_value": "Enter an amount of £0 or more: amounts cannot be negative",
    "max_digits": "Enter an amount below £1,000,000,000,000",
    "max_whole_digits": "Enter an amount below £1,000,000,000,000",
    "max_decimal_places": "Enter pounds and pence, with no more than 2 digits after the point",
}


class MoneyField(forms.DecimalField):
    """Pounds and pence, never negative. Accepts '£1,234.50'. A text box, not type=number
    (NHS.UK advice: number inputs change with the scroll wheel and mangle large figures)."""

    default_error_messages = MONEY_MESSAGES

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MONEY["max_digits"])
        kwargs.setdefault("decimal_places", MONEY["decimal_places"])
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "spellcheck": "false",
                    "class": "nhsuk-input--width-10",
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                value = spreadsheets.money_text(value)
            except ValueError:
                raise ValidationError(
                    "Enter an amount in pounds, with commas only between thousands, "
                    "like 1,234,567 or 1234.50",
                    code="invalid",
                ) from None
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return str(value.quantize(Decimal("1")))  # 1329709, not 1329709.00
        return value


class VersionForm(CheckedInputs, forms.Form):
    """The version a page was loaded at, sent back with the changes."""

    version = VersionField()


# ---------------------------------------------------------------------------------------------
# Line formsets
# ---------------------------------------------------------------------------------------------


class BaseLineFormSet(BaseModelFormSet):
    """A model formset of one plan year's lines: duplicates refused, deletions of lines with
    actuals refused, choices fetched once for every row."""

    duplicate_fields: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def __init__(self, *args, plan, financial_year, **kwargs):
        self.plan = plan
        self.financial_year = financial_year
        self.with_actuals = set(
            self.model.objects.filter(
                plan=plan, financial_year=financial_year, actuals__isnull=False
            ).values_list("pk", flat=True)
        )
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["formset"] = self
        return kwargs

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            queryset = self.model.objects.filter(
                plan=self.plan, financial_year=self.financial_year
            ).order_by(*self.ordering)
            if self.related:
                queryset = queryset.select_related(*self.related)
            self._queryset = queryset
        return self._queryset

    def duplicate_key(self, form):
        raise NotImplementedError

    def row_name(self, form) -> str:
        raise NotImplementedError

    def clean(self):
        super().clean()
        seen: dict[tuple, tuple[int, forms.Form]] = {}
        for number, form in enumerate(self.forms, start=1):
            if number <= self.initial_form_count() and form.instance.pk is None:
                # The line this row was showing is no longer in this year's budget.
                raise ValidationError(
                    f"Line {number} was changed or deleted by somebody else after you opened "
                    "this page. Nothing was saved: open the page again.",
                    code="stale",
                )
            if not hasattr(form, "cleaned_data"):
                continue
            if self.can_delete and self._should_delete_form(form):
                if form.instance.pk in self.with_actuals:
                    raise ValidationError(
                        f"Line {number} ({self.row_name(form)}) has monthly actuals recorded, "
                        "so it cannot be deleted. Set its amount to 0 instead, or clear its "
                        "actuals first.",
                        code="has_actuals",
                    )
                continue
            if not form.has_changed() and form.instance.pk is None:
                continue
            key = self.duplicate_key(form)
            if key is None:
                continue
            if key in seen:
                first_number, first = seen[key]
                form.add_error(
                    self.duplicate_fields[-1],
                    f"Line {first_number} is already {self.row_name(first)}: "
                    "a line may appear only once",
                )
            else:
                seen[key] = (number, form)

    def deleted_pks(self) -> list[int]:
        """The saved lines the user ticked for deletion."""
        return [f.instance.pk for f in self.deleted_forms if f.instance.pk is not None]

    def forms_to_save(self):
        deleted = set(map(id, self.deleted_forms))
        return [
            form
            for form in self.forms
            if id(form) not in deleted
            and form.has_changed()
            and not (form.instance.pk is None and not form.cleaned_data)
        ]

    def saved_values(self) -> list:
        """The rows to create or change, as the services take them (cleaned values)."""
        return [self.values(form) for form in self.forms_to_save()]

    def values(self, form):
        raise NotImplementedError


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class IncomeLineForm(CheckedInputs, forms.ModelForm):
    funder = forms.TypedChoiceField(
        label="Partner or client",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Choose “None” for a catch-all such as “Others”.",
    )
    funder_label = forms.CharField(
        label="Name as shown in the budget",
        max_length=120,
        required=False,
        help_text="Leave blank to use the organisation's name.",
    )
    service_line = forms.TypedChoiceField(label="Service line", coerce=int)
    amount = MoneyField(label="Amount (£)")

    class Meta:
        model = IncomeLine
        fields = ["funder_label", "amount"]

    field_order = ["funder", "funder_label", "service_line", "amount"]

    def __init__(self, *args, formset, **kwargs):
        super().__init__(*args, **kwargs)
        self.formset = formset
        self.fields["funder"].choices = formset.funder_choices
        self.fields["service_line"].choices = formset.service_line_choices
        if self.instance.pk:
            self.initial.setdefault("funder", self.instance.funder_id)
            self.initial.setdefault("service_line", self.instance.service_line_id)

    def clean(self):
        data = super().clean()
        funder_id = data.get("funder")
        funder = self.formset.funders.get(funder_id) if funder_id else None
        label = " ".join((data.get("funder_label") or "").split())
        if not label and funder is not None:
            label = funder.short_name or funder.name
        if not label and "funder" not in self.errors:
            self.add_error(
                "funder_label", "Enter a name, such as “Others”, or choose a partner or client"
            )
        data["funder_label"] = label
        self.instance.funder = funder
        if data.get("service_line") is not None:
            self.instance.service_line = self.formset.service_lines[data["service_line"]]
        return data


class BaseIncomeFormSet(BaseLineFormSet):
    ordering = ("funder_order", "service_line__order", "pk")
    related = ("service_line",)
    duplicate_fields = ("funder_label", "service_line")

    def __init__(self, *args, plan, financial_year, **kwargs):
        self.funders = {r.client.pk: r.client for r in clients_of(plan.organisation)}
        self.funder_choices = [("", "None (not an organisation)")] + [
            (pk, org.name) for pk, org in self.funders.items()
        ]
        self.service_lines = {
            s.pk: s for s in ServiceLine.objects.filter(plan=plan).order_by("order", "pk")
        }
        self.service_line_choices = [("", "Choose a service line")] + [
            (pk, s.name) for pk, s in self.service_lines.items()
        ]
        super().__init__(*args, plan=plan, financial_year=financial_year, **kwargs)
        self.label_funders: dict[str, int | None] = {}

    def duplicate_key(self, form):
        data = form.cleaned_data
        if not data.get("funder_label") or data.get("service_line") is None:
            return None
        return (_fold(data["funder_label"]), data["service_line"])

    def values(self, form) -> IncomeLineValues:
        data = form.cleaned_data
        return IncomeLineValues(
            pk=form.instance.pk,
            funder_id=data.get("funder"),
            funder_label=data["funder_label"],
            service_line_id=data["service_line"],
            amount=data["amount"],
        )

    def row_name(self, form) -> str:
        data = getattr(form, "cleaned_data", {}) or {}
        line = self.service_lines.get(data.get("service_line"))
        label = data.get("funder_label") or form.instance.funder_label
        return f"{label}, {line or form.instance.service_line}"

    def clean(self):
        super().clean()
        # One name, one funder: the summary shows a row per name.
        names: dict[str, tuple[int | None, int]] = {}
        for number, form in enumerate(self.forms, start=1):
            data = getattr(form, "cleaned_data", None)
            if not data or not data.get("funder_label") or self._should_delete_form(form):
                continue
            if not form.has_changed() and form.instance.pk is None:
                continue
            folded = _fold(data["funder_label"])
            funder = data.get("funder")
            if folded in names and names[folded][0] != funder:
                form.add_error(
                    "funder",
                    f"Line {names[folded][1]} names “{data['funder_label']}” with a different "
                    "partner: use one partner for each name",
                )
            names.setdefault(folded, (funder, number))


IncomeFormSet = modelformset_factory(
    IncomeLine, form=IncomeLineForm, formset=BaseIncomeFormSet, extra=3, can_delete=True
)


class ExpenditureLineForm(CheckedInputs, forms.ModelForm):
    manager = forms.CharField(label="Responsible manager", max_length=120)
    description = forms.CharField(label="Budget line", max_length=200)
    amount = MoneyField(label="Amount (£)")

    class Meta:
        model = ExpenditureLine
        fields = ["manager", "description", "amount"]

    def __init__(self, *args, formset, **kwargs):
        super().__init__(*args, **kwargs)
        self.formset = formset

    def clean_manager(self):
        return " ".join(self.cleaned_data["manager"].split())

    def clean_description(self):
        return " ".join(self.cleaned_data["description"].split())


class BaseExpenditureFormSet(BaseLineFormSet):
    ordering = ("order", "pk")
    duplicate_fields = ("manager", "description")

    def duplicate_key(self, form):
        data = form.cleaned_data
        if not data.get("manager") or not data.get("description"):
            return None
        return (_fold(data["manager"]), _fold(data["description"]))

    def values(self, form) -> ExpenditureLineValues:
        data = form.cleaned_data
        return ExpenditureLineValues(
            pk=form.instance.pk,
            manager=data["manager"],
            description=data["description"],
            amount=data["amount"],
        )

    def row_name(self, form) -> str:
        data = getattr(form, "cleaned_data", {}) or {}
        manager = data.get("manager") or form.instance.manager
        description = data.get("description") or form.instance.description
        return f"{manager}, {description}"


ExpenditureFormSet = modelformset_factory(
    ExpenditureLine,
    form=ExpenditureLineForm,
    formset=BaseExpenditureFormSet,
    extra=3,
    can_delete=True,
)


# ---------------------------------------------------------------------------------------------
# Service lines
# ---------------------------------------------------------------------------------------------


class ServiceLineForm(CheckedInputs, forms.ModelForm):
    name = forms.CharField(label="Service line", max_length=120)
    order = forms.IntegerField(
        label="Column position",
        min_value=0,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        help_text="Columns are shown in this order. Leave blank to add at the end.",
    )

    class Meta:
        model = ServiceLine
        fields = ["name", "order"]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_order(self):
        return self.cleaned_data.get("order") or 0


class BaseServiceLineFormSet(BaseModelFormSet):
    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        self.in_use = set(
            IncomeLine.objects.filter(plan=plan).values_list("service_line_id", flat=True)
        )
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            self._queryset = ServiceLine.objects.filter(plan=self.plan).order_by("order", "pk")
        return self._queryset

    def clean(self):
        super().clean()
        seen: dict[str, int] = {}
        for number, form in enumerate(self.forms, start=1):
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self._should_delete_form(form):
                if form.instance.pk in self.in_use:
                    raise ValidationError(
                        f"{form.instance.name} has income lines, so it cannot be deleted. "
                        "Delete or move its income lines first."
                    )
                continue
            name = _fold(form.cleaned_data.get("name", ""))
            if name in seen:
                form.add_error("name", f"Service line {seen[name]} already has this name")
            elif name:
                seen[name] = number

    deleted_pks = BaseLineFormSet.deleted_pks
    forms_to_save = BaseLineFormSet.forms_to_save
    saved_values = BaseLineFormSet.saved_values

    def values(self, form) -> ServiceLineValues:
        data = form.cleaned_data
        return ServiceLineValues(pk=form.instance.pk, name=data["name"], order=data["order"])


ServiceLineFormSet = modelformset_factory(
    ServiceLine,
    form=ServiceLineForm,
    formset=BaseServiceLineFormSet,
    extra=2,
    can_delete=True,
)


# ---------------------------------------------------------------------------------------------
# Monthly actuals
# ---------------------------------------------------------------------------------------------


class ActualForm(CheckedInputs, forms.Form):
    """One line's actual for one month; blank means none recorded."""

    line = forms.CharField(widget=forms.HiddenInput)
    amount = MoneyField(label="Actual, in pounds", required=False)

    def __init__(self, *args, line_label: str = "", line_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if line_label:
            self.fields["amount"].label = f"Actual for {line_label}, in pounds"
        self.fields["amount"].help_text = line_hint


def line_key(line) -> str:
    return f"{'i' if isinstance(line, IncomeLine) else 'e'}{line.pk}"


class BaseActualFormSet(forms.BaseFormSet):
    def __init__(self, *args, lines, actuals, **kwargs):
        self.lines = lines  # [(key, label, line)]
        initial = [
            {"line": key, "amount": actuals.get(key).amount if key in actuals else None}
            for key, _label, _line in lines
        ]
        super().__init__(*args, initial=initial, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.lines):
            _key, label, line = self.lines[index]
            monthly = monitoring.budget_to_date(line.amount, 1)
            kwargs["line_label"] = label
            kwargs["line_hint"] = f"Budget for the month: {format_money(monthly)}"
        return kwargs

    def total_form_count(self):
        return len(self.lines)

    def clean(self):
        super().clean()
        keys = [key for key, _label, _line in self.lines]
        sent = [form.cleaned_data.get("line") for form in self.forms if form.cleaned_data]
        if sent != keys[: len(sent)] or len(sent) != len(keys):
            raise ValidationError(
                "The budget lines changed after you opened this page. Nothing was saved: "
                "open the month again to enter its actuals.",
                code="stale",
            )

    def entries(self):
        return [
            (line, form.cleaned_data.get("amount"))
            for form, (_key, _label, line) in zip(self.forms, self.lines, strict=True)
        ]


ActualFormSet = forms.formset_factory(ActualForm, formset=BaseActualFormSet, extra=0)


# ---------------------------------------------------------------------------------------------
# Thresholds
# ---------------------------------------------------------------------------------------------

PERCENT_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"})


class ThresholdsForm(CheckedInputs, forms.Form):
    amber_at_percent = forms.DecimalField(
        label="Amber when adverse by (%)",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        widget=PERCENT_WIDGET,
        help_text="Of the budget to date. For example, 2 turns a line Amber when it is 2% or "
        "more worse than its budget so far.",
        error_messages={
            "invalid": "Enter the Amber threshold as a number, like 2 or 2.5",
            # Django interpolates these messages (%(limit_value)s): a percent sign is %%.
            "min_value": "Enter an Amber threshold of 0%% or more",
            "max_value": "Enter an Amber threshold of 100%% or less",
        },
    )
    red_at_percent = forms.DecimalField(
        label="Red when adverse by (%)",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        widget=PERCENT_WIDGET,
        help_text="Must be at least the Amber threshold.",
        error_messages={
            "invalid": "Enter the Red threshold as a number, like 5",
            "min_value": "Enter a Red threshold of 0%% or more",
            "max_value": "Enter a Red threshold of 100%% or less",
        },
    )
    version = VersionField()

    def clean(self):
        data = super().clean()
        amber, red = data.get("amber_at_percent"), data.get("red_at_percent")
        if amber is not None and red is not None and red < amber:
            self.add_error(
                "red_at_percent", "Enter a Red threshold at least as large as the Amber one"
            )
        return data


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


class ImportKind:
    LINES = "lines"
    ACTUALS = "actuals"
    CHOICES = [
        (LINES, "Budget lines (income and expenditure)"),
        (ACTUALS, "Monthly actuals"),
    ]


class ImportForm(CheckedInputs, forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=ImportKind.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file holds"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV file or an Excel workbook (.xlsx), up to 5 MB, laid out as the template.",
        error_messages={
            "required": "Choose a CSV or Excel file to import",
            "empty": "The file is empty",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            spreadsheets.check_upload(upload.name, upload.size)
        except spreadsheets.ImportFileError as error:
            raise ValidationError(str(error)) from None
        return upload


# ---------------------------------------------------------------------------------------------
# Savings schemes
# ---------------------------------------------------------------------------------------------


class SavingsSchemeForm(CheckedInputs, forms.Form):
    title = forms.CharField(label="Scheme name", max_length=200)
    owner_text = forms.CharField(
        label="Owner", max_length=150, required=False, help_text="As the plan names them."
    )
    owner_role = forms.TypedChoiceField(
        label="Owner's role", coerce=int, empty_value=None, required=False
    )
    status = forms.ChoiceField(label="Status", choices=SavingsStatus.choices)
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[("", RAG.EMPTY_TEXT), *RAG.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    fte_effect = forms.DecimalField(
        label="Effect on staff (FTE)",
        max_digits=7,
        decimal_places=2,
        initial=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
        help_text="Whole-time equivalents: negative for fewer posts, like −2.5.",
        error_messages={
            "required": "Enter the effect on staff in FTE, or 0",
            "invalid": "Enter the effect on staff as a number of FTE, like −2.5 or 1",
        },
    )
    objectives = forms.TypedMultipleChoiceField(
        label="Linked objectives",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = VersionField(required=False)

    def __init__(self, *args, plan, scheme=None, roles=(), objectives=(), **kwargs):
        self.plan = plan
        self.scheme = scheme
        self.roles = {r.pk: r for r in roles}
        self.objective_map = {o.pk: o for o in objectives}
        super().__init__(*args, **kwargs)
        self.fields["owner_role"].choices = [("", "None")] + [
            (pk, str(role)) for pk, role in self.roles.items()
        ]
        self.fields["objectives"].choices = [
            (pk, f"{o.reference} {o.text}".strip()) for pk, o in self.objective_map.items()
        ]
        self.years = plan.financial_years
        for year in self.years:
            label = fy.fy_label(year)
            self.fields[f"target_{year}"] = MoneyField(
                label=f"Target saving {label} in pounds", required=False
            )
            self.fields[f"delivered_{year}"] = MoneyField(
                label=f"Delivered to date {label} in pounds", required=False
            )
        if scheme is not None and not self.is_bound:
            self.initial.update(
                {
                    "title": scheme.title,
                    "owner_text": scheme.owner_text,
                    "owner_role": scheme.owner_role_id,
                    "status": scheme.status,
                    "rag": scheme.rag,
                    "fte_effect": scheme.fte_effect,
                    "objectives": [o.pk for o in scheme.objectives.all()],
                    "version": scheme.version,
                }
            )
            for target in scheme.targets.all():
                self.initial[f"target_{target.financial_year}"] = target.amount
                self.initial[f"delivered_{target.financial_year}"] = target.delivered

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        clash = SavingsScheme.objects.filter(plan=self.plan, title__iexact=title)
        if self.scheme is not None:
            clash = clash.exclude(pk=self.scheme.pk)
        if clash.exists():
            raise ValidationError("This plan already has a scheme with this name")
        return title

    def clean(self):
        data = super().clean()
        for year in self.years:
            target, delivered = data.get(f"target_{year}"), data.get(f"delivered_{year}")
            if delivered is not None and target is None and f"target_{year}" not in self.errors:
                self.add_error(
                    f"target_{year}",
                    f"Enter the target for {fy.fy_label(year)}, or 0, as well as its delivery",
                )
        return data

    @property
    def year_fields(self):
        return [(fy.fy_label(y), self[f"target_{y}"], self[f"delivered_{y}"]) for y in self.years]

    @property
    def main_fields(self):
        return [self[name] for name in ("title", "owner_text", "owner_role", "status", "rag")]

    def service_kwargs(self) -> dict:
        """The cleaned values as budgets.services.scheme_save takes them."""
        data = self.cleaned_data
        return {
            "fields": {
                "title": data["title"],
                "owner_text": data["owner_text"],
                "owner_role": self.roles.get(data["owner_role"]),
                "status": data["status"],
                "rag": data["rag"],
                "fte_effect": data["fte_effect"],
            },
            "objectives": [self.objective_map[pk] for pk in data["objectives"]],
            "targets": {
                year: (data.get(f"target_{year}"), data.get(f"delivered_{year}"))
                for year in self.years
            },
            "expected_version": data.get("version"),
        }


def month_choices(financial_year: int) -> list[tuple[str, str]]:
    return [(monitoring.month_key(m), f"{m:%B %Y}") for m in monitoring.months_of(financial_year)]


class MonthForm(CheckedInputs, forms.Form):
    """The month switcher on the monitoring page (GET)."""

    month = forms.ChoiceField(label="Month")

    def __init__(self, *args, financial_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(financial_year)
