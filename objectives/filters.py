"""The objectives-and-actions table's filters. They live in the query string, so a filtered
view can be bookmarked and shared."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from objectives import filter_form
from objectives.models import Goal, Objective, ProgressStatus
from planning import permissions
from planning.models import OrgUnit, Plan, Programme, Role, StrategicPriority
from planning.permissions import Action
from planning.rag import RAG
from planning.validation import CheckedForm

NOT_RATED = "none"


class ListedChoices(ModelChoiceIterator):
    """A drop-down's records read by one plain query, kept on the field's queryset, instead of
    Django's default of a server-side cursor (on PostgreSQL a DECLARE, FETCH and CLOSE: three
    round trips) opened again at every iteration. Validation still looks the chosen record up in
    the same queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(ModelChoiceField):
    iterator = ListedChoices
    widget = filter_form.Select


class RecordFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter whose drop-down reads its records once (ListedChoices)."""

    field_class = ListedModelChoiceField


class ObjectiveFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_text",
        help_text="Words in the reference, text, measure or lead.",
        widget=filter_form.TextInput,
    )
    plan = RecordFilter(queryset=Plan.objects.none(), empty_label="All plans")
    org_unit = RecordFilter(
        label="Department", queryset=OrgUnit.objects.none(), empty_label="All departments"
    )
    programme = RecordFilter(
        label="Programme or domain", queryset=Programme.objects.none(), empty_label="All"
    )
    goal = RecordFilter(label="Goal", queryset=Goal.objects.none(), empty_label="All goals")
    strategic_priority = RecordFilter(
        label="Strategic priority", queryset=StrategicPriority.objects.none(), empty_label="All"
    )
    rag = django_filters.ChoiceFilter(
        label="RAG",
        choices=[*RAG.choices, (NOT_RATED, RAG.EMPTY_TEXT)],
        method="filter_rag",
        empty_label="Any RAG",
        widget=filter_form.Select,
    )
    status = django_filters.ChoiceFilter(
        label="Progress status",
        choices=ProgressStatus.choices,
        empty_label="Any status",
        widget=filter_form.Select,
    )
    role = RecordFilter(
        label="Lead or SRO",
        queryset=Role.objects.none(),
        method="filter_role",
        empty_label="Anyone",
    )
    due_from = django_filters.DateFilter(
        label="Due from",
        field_name="due_date",
        lookup_expr="gte",
        widget=filter_form.DateInput(attrs={"type": "date"}),
    )
    due_to = django_filters.DateFilter(
        label="Due by",
        field_name="due_date",
        lookup_expr="lte",
        widget=filter_form.DateInput(attrs={"type": "date"}),
    )
    is_new = django_filters.BooleanFilter(
        label="New items only",
        widget=filter_form.CheckboxInput,
        method="filter_new",
    )

    class Meta:
        model = Objective
        fields: list[str] = []
        form = CheckedForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come only from the user's own organisations: nothing of another's leaks
        # into a drop-down, and a tampered id simply fails validation.
        visible = visible_organisations(user)
        plans = Plan.objects.in_organisations(visible).select_related("organisation")
        org_ids = plans.values("organisation_id")
        self.filters["plan"].queryset = plans
        self.filters["org_unit"].queryset = OrgUnit.objects.filter(organisation__in=org_ids)
        self.filters["programme"].queryset = Programme.objects.filter(plan__in=plans)
        self.filters["goal"].queryset = Goal.objects.filter(plan__in=plans)
        self.filters["strategic_priority"].queryset = StrategicPriority.objects.filter(
            plan__in=plans
        )
        self.filters["role"].queryset = Role.objects.filter(organisation__in=org_ids)

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(reference__icontains=word)
                | Q(text__icontains=word)
                | Q(measure__icontains=word)
                | Q(lead_text__icontains=word)
                | Q(sro_text__icontains=word)
                | Q(goal__title__icontains=word)
            )
        return queryset

    def filter_rag(self, queryset, name, value):
        return queryset.filter(rag="" if value == NOT_RATED else value)

    def filter_role(self, queryset, name, value):
        matching = Objective.objects.filter(Q(lead_roles=value) | Q(sro_roles=value))
        return queryset.filter(pk__in=matching.values("pk"))

    def filter_new(self, queryset, name, value):
        return queryset.filter(is_new=True) if value else queryset


def visible_organisations(user):
    """The organisations where the user may view (Objective.objects.for_user's rule), for
    filtering: planning.permissions.organisations_for_filter."""
    return permissions.organisations_for_filter(user, Action.VIEW)


def objective_filter(user, data, *, for_table: bool = False) -> ObjectiveFilter:
    """The objectives table's filterset over the user's items: the page, its exports and the
    action-plan PDF all filter through here. ``data`` is a QueryDict (empty: unbound).
    ``for_table``: only the relations the table shows (ObjectiveQuerySet.for_table)."""
    objectives = Objective.objects.in_organisations(visible_organisations(user))
    queryset = objectives.for_table() if for_table else objectives.with_related()
    return ObjectiveFilter(data or None, queryset=queryset, user=user)


def filter_summary(filterset) -> list[tuple[str, str]]:
    """The filters in force, as the table's form labels and shows them: the action-plan PDF's
    list of filters, and the spreadsheet exports' title row and file name."""
    if not filterset.is_bound:
        return []
    summary = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", False, [], ()):
            continue
        field = filterset.form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        if hasattr(value, "strftime"):
            shown = value.strftime("%-d %B %Y")
        elif value is True:
            shown = "Yes"
        else:
            shown = str(choices.get(value, value))
        summary.append((str(field.label or name), shown))
    return summary


# The filters that name a record (a plan, a department…). One the user cannot see is refused as
# "not found" (404), as a record of another organisation is everywhere else; other bad filters
# (a malformed date) are the person's to correct (400).
RECORD_FILTERS = frozenset({"plan", "org_unit", "programme", "goal", "strategic_priority", "role"})


class InvalidFilters(ValueError):
    """The filters do not validate (e.g. a plan or department the user cannot see)."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors

    @property
    def names_unknown_record(self) -> bool:
        return bool(RECORD_FILTERS & set(self.errors))


def valid_objective_filter(user, data) -> ObjectiveFilter:
    """The filterset as `objective_filter`, refusing filters that do not validate (raises
    InvalidFilters) instead of dropping them: an export of "plan X" must never quietly be an
    export of everything."""
    filterset = objective_filter(user, data)
    if filterset.is_bound and not filterset.is_valid():
        raise InvalidFilters(filterset.errors)
    return filterset
