"""Writes of the delivery hierarchy: items (create, change, move, delete), their progress
updates, and their money and people by financial year (YearFigure).

Every write is keyword-only and transactional, version-checked where it changes an existing row
(planning.concurrency.lock_at_version), audited by simple-history (``_history_user``), and
refused with a ValidationError naming the field when the input breaks a rule, nothing saved.

What is content and what is delivery (docs/decisions/delivery-hierarchy.md): an item's words,
place in the tree and planned figures are the plan's content, locked with a ratified plan
(planning.lifecycle.require_editable); progress updates and delivered figures are delivery,
recorded on a ratified plan too, as objectives' progress is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from delivery import timescales
from delivery.models import (
    Confidence,
    DeliveryItem,
    DeliveryUpdate,
    Level,
    Measure,
    YearFigure,
)
from objectives.models import ProgressStatus
from planning import idempotency, lifecycle, ordering, partnerships
from planning.concurrency import lock_at_version
from planning.fy import fy_label, fy_start
from planning.models import Organisation, Person, Plan, Role
from planning.rag import RAG

STALE_ITEM = (
    "Somebody else changed this item after you opened the page. Your changes were not saved: "
    "read theirs, then make yours again if they still stand."
)
STALE_UPDATE = (
    "Somebody else updated this item after you opened it. Your update was not saved: read "
    "their change, then submit yours again if it still stands."
)
STALE_FIGURE = (
    "Somebody else changed this figure after you opened the page. Your change was not saved: "
    "read theirs, then make yours again if it still stands."
)
DUPLICATE_REFERENCE = "Another item in this plan already has the reference {reference}."
NOT_DELETABLE = (
    "This item cannot be deleted: it has {what}, and deleting it would lose that record. "
    "Remove or move them first, or record it as cancelled in a progress update."
)

# The fields a planner edits on an item; progress and bookkeeping belong to the services.
EDITABLE_FIELDS = [
    "level",
    "parent",
    "level_label",
    "reference",
    "title",
    "description",
    "case_for_change",
    "scope",
    "outcomes",
    "sro_text",
    "sro_person",
    "lead_text",
    "place",
    "timescale_text",
    "start_date",
    "due_date",
    "due_date_latest",
]
MANY_FIELDS = ["lead_roles", "lead_people", "organisations"]


# --- organisations involved ------------------------------------------------------------------


def involvable_organisations(plan: Plan):
    """The organisations an item of `plan` may name as involved: the members of the plan's
    partnership (planning.PartnershipMember), and the plan's own organisation (which is all
    there is for a plan of a single organisation)."""
    return Organisation.objects.filter(
        Q(partnership_links__partnership_id=plan.organisation_id) | Q(pk=plan.organisation_id)
    ).distinct()


# --- items -----------------------------------------------------------------------------------


def _a(label: str) -> str:
    label = label.lower()
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def check_place_in_tree(plan: Plan, level: str, parent: DeliveryItem | None) -> None:
    """A level sits under its Level.parent_level, in the same plan; a programme at the top."""
    try:
        level = Level(level)
    except ValueError:
        raise ValidationError({"level": "Choose a level."}) from None
    wanted = level.parent_level
    if wanted is None:
        if parent is not None:
            raise ValidationError({"parent": "A programme is at the top: it has no parent."})
        return
    if parent is None:
        raise ValidationError(
            {"parent": f"Choose the {wanted.label.lower()} this {level.label.lower()} is part of."}
        )
    if parent.plan_id != plan.pk:
        raise ValidationError({"parent": "Choose an item of this plan."})
    if parent.level != wanted:
        raise ValidationError(
            {
                "parent": f"{_a(level.label).capitalize()} sits under {_a(wanted.label)}; "
                f"{parent.reference} is {_a(Level(parent.level).label)}."
            }
        )


def _check_links(plan: Plan, data: dict) -> None:
    errors = {}
    person = data.get("sro_person")
    if person is not None and not (
        isinstance(person, Person) and person.organisation_id == plan.organisation_id
    ):
        errors["sro_person"] = "Choose a person of this plan’s organisation."
    if any(p.organisation_id != plan.organisation_id for p in data.get("lead_people", ())):
        errors["lead_people"] = "Choose people of this plan’s organisation."
    if any(r.organisation_id != plan.organisation_id for r in data.get("lead_roles", ())):
        errors["lead_roles"] = "Choose roles of this plan’s organisation."
    if errors:
        raise ValidationError(errors)
    if "organisations" in data:
        partnerships.validate_members(
            plan.organisation, data["organisations"], field="organisations"
        )


def resolve_dates(item: DeliveryItem, *, before: tuple) -> None:
    """Due date or window from the timescale as written (delivery.timescales), when it says
    one. Dates typed in that disagree with it are refused; dates left as they were (or blank)
    are replaced by what the timescale says, so changing the timescale or the start moves
    them."""
    try:
        resolved = timescales.resolve(item.timescale_text, item.start_date)
    except timescales.TimescaleError as error:
        raise ValidationError({"timescale_text": str(error)}) from None
    if resolved.due_date is None:
        return
    found = (resolved.due_date, resolved.due_date_latest)
    typed = (item.due_date, item.due_date_latest)
    if typed not in (found, before, (None, None)):
        window = (
            f"{found[0]:%-d %B %Y} to {found[1]:%-d %B %Y}" if found[1] else f"{found[0]:%-d %B %Y}"
        )
        raise ValidationError(
            {
                "due_date": f"The timescale “{item.timescale_text}” gives {window}: leave the "
                "due dates blank, or change the timescale."
            }
        )
    item.due_date, item.due_date_latest = found


def _clean_text(item: DeliveryItem) -> None:
    for name in ("reference", "title", "level_label", "sro_text", "lead_text", "place"):
        setattr(item, name, getattr(item, name).strip())
    item.timescale_text = item.timescale_text.strip()


def _check_reference(plan: Plan, reference: str, *, exclude_pk: int | None = None) -> None:
    clash = DeliveryItem.objects.filter(plan=plan, reference=reference)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"reference": DUPLICATE_REFERENCE.format(reference=reference)})


def _last_order(plan: Plan, parent_id: int | None) -> int:
    last = DeliveryItem.objects.filter(plan=plan, parent_id=parent_id).aggregate(m=Max("order"))
    return 0 if last["m"] is None else last["m"] + 1


def _save(item: DeliveryItem, *, by, update_fields=None) -> None:
    item._history_user = by
    try:
        with transaction.atomic():
            item.save(update_fields=update_fields)
    except IntegrityError as error:  # the same reference taken at the same moment
        raise ValidationError(
            {"reference": DUPLICATE_REFERENCE.format(reference=item.reference)}
        ) from error


def _full_clean(item: DeliveryItem) -> None:
    try:
        item.full_clean(exclude=["plan", "parent"], validate_unique=False)
    except ValidationError as error:
        # The window constraint names no field: put it on the due date.
        if hasattr(error, "error_dict") and "__all__" in error.error_dict:
            raise ValidationError(
                {"due_date_latest": error.error_dict.pop("__all__"), **error.error_dict}
            ) from None
        raise


@transaction.atomic
def item_create(*, plan: Plan, by, data: dict, submission_token: str = "") -> DeliveryItem:
    """A new item, last among its parent's children. `data`: EDITABLE_FIELDS, MANY_FIELDS."""
    lifecycle.require_editable(plan)
    idempotency.consume(submission_token, user=by)
    check_place_in_tree(plan, data.get("level", ""), data.get("parent"))
    _check_links(plan, data)
    item = DeliveryItem(plan=plan, **{k: data[k] for k in EDITABLE_FIELDS if k in data})
    _clean_text(item)
    resolve_dates(item, before=(None, None))
    item.order = _last_order(plan, item.parent_id)
    _full_clean(item)
    _check_reference(plan, item.reference)
    _save(item, by=by)
    for name in MANY_FIELDS:
        if name in data:
            getattr(item, name).set(data[name])
    return item


def _locked_item(item: DeliveryItem, expected_version, message=STALE_ITEM, **kwargs):
    return lock_at_version(
        DeliveryItem.objects.select_related("plan", "plan__organisation"),
        pk=item.pk,
        expected_version=expected_version,
        stale_message=message,
        **kwargs,
    )


@transaction.atomic
def item_update(
    *, item: DeliveryItem, by, expected_version: int | None, data: dict, submission_token: str = ""
) -> DeliveryItem:
    """Save the planner's edit unless the item changed since `expected_version`. A new parent
    puts the item last among the new parent's children. An item with children keeps its level
    (they would no longer sit under the right level)."""
    lifecycle.require_editable(item.plan)
    idempotency.consume(submission_token, user=by)
    locked = _locked_item(item, expected_version)
    plan = locked.plan
    level = data.get("level", locked.level)
    parent = data.get("parent", locked.parent)
    if level != locked.level and locked.children.exists():
        raise ValidationError(
            {"level": "This item has items under it, so its level cannot change: move them first."}
        )
    check_place_in_tree(plan, level, parent)
    _check_links(plan, data)
    before = (locked.due_date, locked.due_date_latest)
    old_parent = locked.parent_id
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    _clean_text(locked)
    resolve_dates(locked, before=before)
    if locked.parent_id != old_parent:
        locked.order = _last_order(plan, locked.parent_id)
    _full_clean(locked)
    _check_reference(plan, locked.reference, exclude_pk=locked.pk)
    _save(locked, by=by)
    for name in MANY_FIELDS:
        if name in data:
            getattr(locked, name).set(data[name])
    return locked


@transaction.atomic
def item_move(*, item: DeliveryItem, by, expected_version: int | None, up: bool) -> bool:
    """One place up or down among its parent's children (planning.ordering.move, the project's
    one reorder rule). Only the moved item's version rises: the neighbour's also guards its
    progress updates, which somebody else's move must not make stale."""
    lifecycle.require_editable(item.plan)
    locked = _locked_item(item, expected_version)
    siblings = DeliveryItem.objects.filter(plan_id=locked.plan_id, parent_id=locked.parent_id)
    return ordering.move(
        locked, siblings, ordering.UP if up else ordering.DOWN, by=by, raise_neighbour=False
    )


def delete_refusal(item: DeliveryItem) -> str | None:
    """Why the item may not be deleted, or None. Whatever refers to it (items under it,
    progress updates, figures, dependencies, lineage, governance, decisions) is found from
    the model's relations (planning.ordering.references), so a link added later counts."""
    found = ordering.references(item)
    if not found:
        return None
    what = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
    return NOT_DELETABLE.format(what=what)


@transaction.atomic
def item_delete(*, item: DeliveryItem, by, expected_version: int | None) -> None:
    lifecycle.require_editable(item.plan)
    locked = _locked_item(item, expected_version, bump=False)
    refusal = delete_refusal(locked)
    if refusal:
        raise ValidationError(refusal, code="referred_to")
    locked._history_user = by
    locked.delete()


# --- progress updates ------------------------------------------------------------------------


def check_update(
    *, plan: Plan, rag: str, status: str, progress: str, as_at: dt.date | None, today: dt.date
) -> dict[str, list[str]]:
    """The rules of a progress update, as objectives' (objectives.rules), for a dated report
    with no percentage: {field: [messages]}, empty when it may be saved."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        member = ProgressStatus(status)
    except ValueError:
        add("status", "Choose a progress status.")
        member = None
    if rag not in RAG.values and rag != "":
        add("rag", "Choose a RAG rating.")
    if rag in (RAG.RED, RAG.AMBER) and not progress.strip():
        add("progress", "Explain why the item is Red or Amber: say what progress was made.")
    if member is not None and member.is_complete and rag != RAG.BLUE:
        add("rag", "A completed item is Blue.")
    if rag == RAG.BLUE and (member is None or not member.is_complete):
        add("status", "Blue means complete: choose Completed or Completed and ongoing.")
    if as_at is None:
        add("as_at", "Enter the date the update reports on.")
    elif as_at > today:
        add("as_at", "The date cannot be in the future.")
    elif as_at < fy_start(plan.start_year):
        first = fy_start(plan.start_year)
        add("as_at", f"The date cannot be before the plan starts ({first:%-d %B %Y}).")
    return errors


def _updates_since(expected_version: int) -> Callable[[DeliveryItem], list[DeliveryUpdate]]:
    def newer(item: DeliveryItem) -> list[DeliveryUpdate]:
        count = max(1, min(item.version - expected_version, item.version))
        return list(
            item.updates.select_related("created_by").order_by("-created_at", "-pk")[:count]
        )

    return newer


def item_apply_latest(*, item: DeliveryItem) -> None:
    """Copy the newest update's status and RAG onto the item (newest by the date it reports
    on, then by when it was entered): the one place the copy happens."""
    latest = (
        DeliveryUpdate.objects.filter(item=item).order_by("-as_at", "-created_at", "-pk").first()
    )
    item.latest_update = latest
    item.status = latest.status if latest else ProgressStatus.NOT_STARTED
    item.rag = latest.rag if latest else ""


@transaction.atomic
def update_create(
    *,
    item: DeliveryItem,
    by,
    expected_version: int,
    as_at: dt.date,
    rag: str,
    status: str,
    progress: str = "",
    next_steps: str = "",
    today: dt.date | None = None,
    submission_token: str = "",
) -> DeliveryUpdate:
    """Record a progress update unless the item changed since `expected_version`
    (StaleEditError, its ``changes`` the updates made since); ValidationError for a broken
    rule. Delivery, not content: allowed on a ratified plan."""
    idempotency.consume(submission_token, user=by)
    errors = check_update(
        plan=item.plan,
        rag=rag,
        status=status,
        progress=progress,
        as_at=as_at,
        today=today or dt.date.today(),
    )
    if errors:
        raise ValidationError(errors)
    locked = _locked_item(
        item, expected_version, STALE_UPDATE, changes=_updates_since(expected_version)
    )
    update = DeliveryUpdate(
        item=locked,
        created_by=by,
        as_at=as_at,
        rag=rag,
        status=status,
        progress=progress.strip(),
        next_steps=next_steps.strip(),
    )
    # The constraints' rules (RAG and status valid) are check_update's, checked above with the
    # form's words; asking the database each again is a query in a savepoint apiece, and it
    # still enforces them on the INSERT (objectives.services.progress_update_create, the same).
    update.full_clean(validate_constraints=False)
    update._history_user = by
    update.save()
    item_apply_latest(item=locked)
    locked._history_user = by
    locked.save(update_fields=["status", "rag", "latest_update", "version"])
    return update


# --- money and people by financial year ------------------------------------------------------

FIGURE_FIELDS = ["measure", "financial_year", "low", "high", "confidence", "recurring", "note"]


def check_figure(plan: Plan, data: dict) -> dict:
    """The figure's values, checked: a point when one of low and high is given; low not above
    high; a year within the plan (blank: the source states none). ValidationError by field."""
    errors = {}
    low, high = data.get("low"), data.get("high")
    if low is None and high is None:
        errors["low"] = "Enter the figure: a low and a high for a range, or one of them alone."
    else:
        low = high if low is None else low
        high = low if high is None else high
        if low > high:
            errors["low"] = "The low figure cannot be more than the high figure."
    year = data.get("financial_year")
    if year is not None and not plan.start_year <= year <= plan.end_year:
        errors["financial_year"] = (
            f"Choose a year of the plan, {fy_label(plan.start_year)} to {fy_label(plan.end_year)}"
            ", or leave it blank if the source states none."
        )
    if data.get("measure") not in Measure.values:
        errors["measure"] = "Choose what the figure counts."
    if data.get("confidence") not in Confidence.values:
        errors["confidence"] = "Choose how sure the figure is."
    if errors:
        raise ValidationError(errors)
    note = (data.get("note") or "").strip()
    return {**data, "low": Decimal(low), "high": Decimal(high), "note": note}


def _require_figure_editable(plan: Plan, *confidences: str) -> None:
    """Planned figures are content (locked with a ratified plan); delivered ones are delivery."""
    if any(c != Confidence.DELIVERED for c in confidences):
        try:
            lifecycle.require_editable(plan)
        except ValidationError as error:
            raise ValidationError(
                f"{error.messages[0]} Delivered figures may still be recorded."
            ) from None


def _save_figure(figure: YearFigure, *, by) -> None:
    figure._history_user = by
    figure.full_clean(exclude=["item"], validate_constraints=False, validate_unique=False)
    clash = YearFigure.objects.filter(
        item_id=figure.item_id,
        measure=figure.measure,
        financial_year=figure.financial_year,
        confidence=figure.confidence,
    ).exclude(pk=figure.pk)
    message = (
        "This item already has a figure for this measure, year and confidence: change that one."
    )
    if clash.exists():
        raise ValidationError({"financial_year": message})
    try:
        with transaction.atomic():
            figure.save()
    except IntegrityError as error:
        raise ValidationError({"financial_year": message}) from error


@transaction.atomic
def figure_create(*, item: DeliveryItem, by, data: dict, submission_token: str = "") -> YearFigure:
    idempotency.consume(submission_token, user=by)
    data = check_figure(item.plan, data)
    _require_figure_editable(item.plan, data["confidence"])
    last = YearFigure.objects.filter(item=item).aggregate(m=Max("order"))["m"]
    figure = YearFigure(
        item=item, order=0 if last is None else last + 1, **{k: data[k] for k in FIGURE_FIELDS}
    )
    _save_figure(figure, by=by)
    return figure


def _locked_figure(figure: YearFigure, expected_version, **kwargs) -> YearFigure:
    return lock_at_version(
        YearFigure.objects.select_related("item", "item__plan"),
        pk=figure.pk,
        expected_version=expected_version,
        stale_message=STALE_FIGURE,
        **kwargs,
    )


@transaction.atomic
def figure_update(
    *, figure: YearFigure, by, expected_version: int | None, data: dict, submission_token: str = ""
) -> YearFigure:
    idempotency.consume(submission_token, user=by)
    locked = _locked_figure(figure, expected_version)
    data = check_figure(locked.item.plan, data)
    _require_figure_editable(locked.item.plan, locked.confidence, data["confidence"])
    for name in FIGURE_FIELDS:
        setattr(locked, name, data[name])
    _save_figure(locked, by=by)
    return locked


@transaction.atomic
def figure_delete(*, figure: YearFigure, by, expected_version: int | None) -> None:
    locked = _locked_figure(figure, expected_version, bump=False)
    _require_figure_editable(locked.item.plan, locked.confidence)
    locked._history_user = by
    locked.delete()


def roles_and_people(plan: Plan) -> tuple:
    """The choices an item's form offers: the plan organisation's roles and people."""
    return (
        Role.objects.filter(organisation_id=plan.organisation_id),
        Person.objects.filter(organisation_id=plan.organisation_id),
    )
