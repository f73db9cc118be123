"""Editing a plan's ordered lists (sections, vision bullets, values, priorities, SWOT items…):
the generic parts, defined once and used by every app that has such a list.

An app describes its list with a `ListSpec` and `register`s it (from its AppConfig.ready(), as
the audit registry works, so this core module names no other app's models). The editing pages
(planning.editing_views) and services (planning.services) then work for every registered list:
the version check (planning.concurrency), moving up or down within the plan (never naming
another plan's item), and the "nothing refers to it" rule for deleting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max

from planning import idempotency
from planning.concurrency import lock_at_version
from planning.validation import CheckedInputs, VersionField

UP, DOWN = "up", "down"


class ItemForm(CheckedInputs, forms.ModelForm):
    """The base of every list item's form: its fields come from the ListSpec."""

    version = VersionField(required=False)
    submission_token = idempotency.TokenField()


@dataclass(frozen=True)
class ListSpec:
    key: str  # in the URL: /plans/<slug>/edit/<key>/
    model: type[models.Model]
    fields: tuple[str, ...]
    singular: str
    plural: str
    order_field: str = "order"  # "number" where the position is the item's number (SP3)
    group_field: str | None = None  # items are ordered within a quadrant or category
    # The organisation's records (departments) rather than the plan's own.
    organisation_level: bool = False
    labels: dict = field(default_factory=dict)
    help_texts: dict = field(default_factory=dict)
    widgets: dict = field(default_factory=dict)
    # Tidies submitted values before they are saved (the narrative's sanitising).
    clean: Callable[[dict], dict] | None = None
    rich_text_field: str | None = None  # shown rendered (planning.narrative) on the list page
    app_label: str = "planning"

    def scope(self, plan) -> models.QuerySet:
        """Every item of this kind that belongs to ``plan``: nothing else can be named."""
        if self.organisation_level:
            return self.model.objects.filter(organisation_id=plan.organisation_id)
        return self.model.objects.filter(plan_id=plan.pk)

    def owner_kwargs(self, plan) -> dict:
        if self.organisation_level:
            return {"organisation_id": plan.organisation_id}
        return {"plan_id": plan.pk}

    @cached_property
    def form_class(self) -> type[ItemForm]:
        return forms.modelform_factory(
            self.model,
            form=ItemForm,
            fields=list(self.fields),
            labels=self.labels,
            help_texts=self.help_texts,
            widgets=self.widgets,
        )

    def ordered(self, queryset: models.QuerySet) -> models.QuerySet:
        keys = [self.group_field] if self.group_field else []
        return queryset.order_by(*keys, self.order_field, "pk")


def _owned_by(queryset: models.QuerySet, plan) -> models.QuerySet:
    """The records of ``queryset`` that belong to ``plan`` (or to its organisation)."""
    names = {f.name for f in queryset.model._meta.get_fields()}
    if "plan" in names:
        return queryset.filter(plan_id=plan.pk)
    if "organisation" in names:
        return queryset.filter(organisation_id=plan.organisation_id)
    return queryset.none()


def form_for(spec: ListSpec, plan, *args, **kwargs) -> ItemForm:
    """The item's form, its choices of linked records (a programme's lead role…) narrowed to
    the plan's own, so another organisation's records are neither listed nor accepted."""
    form = spec.form_class(*args, **kwargs)
    for formfield in form.fields.values():
        if isinstance(formfield, forms.ModelChoiceField):
            formfield.queryset = _owned_by(formfield.queryset, plan)
    return form


def check_links(spec: ListSpec, plan, data: dict) -> None:
    """The service's own check of the same rule, whatever called it (ValidationError)."""
    for name, value in data.items():
        if (
            isinstance(value, models.Model)
            and not _owned_by(type(value)._default_manager.filter(pk=value.pk), plan).exists()
        ):
            raise ValidationError({name: "Choose one of this plan's own records."})


SPECS: dict[str, ListSpec] = {}


def register(spec: ListSpec) -> None:
    SPECS[spec.key] = spec


def spec_for(key: str) -> ListSpec | None:
    return SPECS.get(key)


def locked_item(spec: ListSpec, plan, *, pk, expected_version: int | None, what: str = "it"):
    """The plan's item ``pk``, locked, if still at ``expected_version`` (StaleEditError if not).
    An id that is not one of this plan's items is refused (ValidationError), so a form cannot
    reorder, change or delete another plan's records by naming them."""
    try:
        return lock_at_version(
            spec.scope(plan),
            pk=pk,
            expected_version=expected_version,
            stale_message=f"Somebody else changed this {spec.singular} after you opened the "
            f"page, so {what} was not saved. The page now shows their version.",
        )
    except spec.model.DoesNotExist:
        raise ValidationError(
            f"That {spec.singular} is not part of this plan.", code="not_in_plan"
        ) from None


def group_of(spec: ListSpec, item) -> dict:
    return {spec.group_field: getattr(item, spec.group_field)} if spec.group_field else {}


def next_position(spec: ListSpec, plan, *, group: dict) -> int:
    """One after the last position in the item's group: a new item goes at the end."""
    last = spec.scope(plan).filter(**group).aggregate(last=Max(spec.order_field))["last"]
    return (last or 0) + 1


def move(
    item,
    siblings: models.QuerySet,
    direction: str,
    *,
    by,
    order_field: str = "order",
    raise_neighbour: bool = True,
) -> bool:
    """Move ``item`` one place up or down among ``siblings`` (its list, itself included: a
    plan's priorities, a SWOT quadrant, the objectives of one department…). The one reorder
    rule of the project: every list's service (planning.services, objectives.editing) calls it.

    ``item`` is the caller's locked row at its raised version (planning.concurrency), so a form
    opened before the move is refused. The two items exchange positions and keep the positions
    the list already used, so items outside the list keep their places; older data with equal
    positions is made distinct first. Returns False, changing nothing, at the top (bottom).

    ``raise_neighbour``: raise the neighbour's version too (a form opened on it before the move
    is refused). Objectives pass False: their version also guards progress updates, which a
    neighbour's move must not make stale (docs/decisions/item-editing.md).
    """
    items = list(siblings.order_by(order_field, "pk").select_for_update())
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(items):
        return False
    slots = sorted(getattr(row, order_field) for row in items)
    if len(set(slots)) != len(slots):  # older data with equal positions: make them distinct
        slots = [slots[0] + i for i in range(len(slots))]
    neighbour = items[other]
    items[index], items[other] = neighbour, item
    changed = [
        (row, slot)
        for row, slot in zip(items, slots, strict=True)
        if row is item or getattr(row, order_field) != slot
    ]
    # Park the rows that move past the end first: where positions are unique (a priority's
    # number, SP3) no two rows may share one, even for a moment.
    parked = max(slots) + 1
    for offset, (row, _) in enumerate(changed):
        type(row)._default_manager.filter(pk=row.pk).update(**{order_field: parked + offset})
    for row, slot in changed:
        setattr(row, order_field, slot)
        fields = [order_field]
        if row is item or (row is neighbour and raise_neighbour):
            if row is neighbour:
                row.version = (row.version or 0) + 1
            fields.append("version")
        row._history_user = by  # each save is audited (simple-history), with who moved it
        row.save(update_fields=fields)
    return True


def references(item) -> list[str]:
    """What still refers to ``item`` (objectives under a programme, a department's members…):
    it may be deleted only when this is empty. Read from the model's relations, so a new app's
    reference is counted without being named here; history rows do not count."""
    found = []
    for relation in item._meta.related_objects:
        related = relation.related_model
        if related._meta.model_name.startswith("historical"):
            continue
        name = relation.field.name
        if related._default_manager.filter(**{name: item}).exists():
            found.append(str(related._meta.verbose_name_plural))
    return found
