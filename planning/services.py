"""Writes to a plan's own records: keyword-only, each in one transaction, refused on a locked
plan (planning.lifecycle) and audited (django-simple-history, with who made the change).

The list services serve every list registered in planning.ordering (this app's and others',
e.g. swot's), so the version check and the reorder rule exist once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from planning import idempotency, lifecycle, ordering
from planning.ordering import ListSpec


def _cleaned(spec: ListSpec, plan, data: dict) -> dict:
    data = {name: data[name] for name in spec.fields if name in data}
    data = spec.clean(data) if spec.clean else data
    ordering.check_links(spec, plan, data)
    return data


def _save(item, *, by) -> None:
    item._history_user = by
    try:
        with transaction.atomic():
            item.full_clean(exclude=["plan", "organisation", "version"])
            item.save()
    except IntegrityError as error:  # a unique title or name taken by a concurrent save
        raise ValidationError(
            "Somebody saved a record with the same name or place at the same moment: "
            "check the list and try again.",
            code="clash",
        ) from error


@transaction.atomic
def list_item_create(*, spec: ListSpec, plan, by, data: dict, submission_token: str = ""):
    """Add an item at the end of its list (or of its quadrant/category)."""
    lifecycle.require_editable(plan)
    idempotency.consume(submission_token, user=by)
    item = spec.model(**spec.owner_kwargs(plan), **_cleaned(spec, plan, data))
    group = ordering.group_of(spec, item)
    setattr(item, spec.order_field, ordering.next_position(spec, plan, group=group))
    _save(item, by=by)
    return item


@transaction.atomic
def list_item_update(*, spec: ListSpec, plan, pk: int, by, expected_version: int, data: dict):
    """Save the planner's edit unless the item changed since ``expected_version``. An item
    moved to another quadrant/category goes to the end of it."""
    lifecycle.require_editable(plan)
    item = ordering.locked_item(spec, plan, pk=pk, expected_version=expected_version)
    before = ordering.group_of(spec, item)
    for name, value in _cleaned(spec, plan, data).items():
        setattr(item, name, value)
    after = ordering.group_of(spec, item)
    if after != before:
        setattr(item, spec.order_field, ordering.next_position(spec, plan, group=after))
    _save(item, by=by)
    return item


@transaction.atomic
def list_item_move(*, spec: ListSpec, plan, pk: int, direction: str, by, expected_version: int):
    """Move an item one place up or down. Refused: an item of another plan (ValidationError),
    a stale page (StaleEditError); at the top (or bottom) already, nothing changes."""
    if direction not in (ordering.UP, ordering.DOWN):
        raise ValidationError("Choose to move the item up or down.", code="direction")
    lifecycle.require_editable(plan)
    item = ordering.locked_item(
        spec, plan, pk=pk, expected_version=expected_version, what="the move"
    )
    siblings = spec.scope(plan).filter(**ordering.group_of(spec, item))
    ordering.move(item, siblings, direction, by=by, order_field=spec.order_field)
    return item


@transaction.atomic
def list_item_delete(*, spec: ListSpec, plan, pk: int, by, expected_version: int) -> None:
    """Delete an item nothing refers to (ValidationError naming what does, otherwise)."""
    lifecycle.require_editable(plan)
    item = ordering.locked_item(
        spec, plan, pk=pk, expected_version=expected_version, what="the deletion"
    )
    found = ordering.references(item)
    if found:
        raise ValidationError(
            f"This {spec.singular} cannot be deleted: {', '.join(found)} still refer to it. "
            "Move or remove them first.",
            code="referenced",
        )
    item._history_user = by
    item.delete()
