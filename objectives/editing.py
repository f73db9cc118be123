"""A planner's edits to a plan's objectives and actions: create, change (including moving to
another department), move up or down within its list, and delete while nothing reports on it.

Every write is keyword-only and transactional, refused on a locked (ratified or superseded) plan
(planning.lifecycle.require_editable), version-checked where it changes an existing item
(planning.concurrency.lock_at_version) and audited by simple-history (``_history_user``).
Closing or cancelling an item with a reason is progress, not content: it is recorded as a
progress update by the planner (objective_close; docs/decisions/item-editing.md).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from objectives import services
from objectives.models import Goal, Objective, ProgressStatus, ProgressUpdate
from planning import idempotency, ordering
from planning.concurrency import lock_at_version
from planning.fy import Quarter
from planning.lifecycle import require_editable
from planning.models import OrgUnit, Plan, Programme, StrategicObjective, StrategicPriority
from planning.rag import RAG

STALE_ITEM = (
    "Somebody else changed this item after you opened the page. Your changes were not saved: "
    "read theirs, then make yours again if they still stand."
)
DUPLICATE_REFERENCE = "Another item in this plan already has the reference {reference}."
REPORTED_ON = (
    "This item cannot be deleted: it has {what}, and deleting it would lose that record. "
    "Cancel it instead (a progress update with the status Cancelled, saying why): it stays in "
    "the plan and its history, marked cancelled."
)

# The fields the planner edits; everything else (progress, bookkeeping) belongs to services.
EDITABLE_FIELDS = [
    "kind",
    "reference",
    "text",
    "org_unit",
    "programme",
    "goal",
    "strategic_priority",
    "strategic_objective",
    "sro_text",
    "lead_text",
    "due_text",
    "due_date",
    "measure",
    "is_new",
]
ROLE_FIELDS = ["sro_roles", "lead_roles"]
MANY_FIELDS = [*ROLE_FIELDS, "kpis"]
# Where an item sits: moving it to another department, programme or goal puts it last there.
GROUP_FIELDS = ("kind", "org_unit_id", "programme_id", "goal_id")


def _check_belongs(plan: Plan, data: dict) -> None:
    """Every record the item links must be this plan's (or its organisation's): a tampered id
    of another plan is refused on its field."""
    errors = {}
    checks = {
        "org_unit": lambda v: isinstance(v, OrgUnit) and v.organisation_id == plan.organisation_id,
        "programme": lambda v: isinstance(v, Programme) and v.plan_id == plan.pk,
        "goal": lambda v: isinstance(v, Goal) and v.plan_id == plan.pk,
        "strategic_priority": lambda v: isinstance(v, StrategicPriority) and v.plan_id == plan.pk,
        "strategic_objective": lambda v: isinstance(v, StrategicObjective) and v.plan_id == plan.pk,
    }
    for name, ok in checks.items():
        value = data.get(name)
        if value is not None and not ok(value):
            errors[name] = "Choose one of this plan’s own."
    for name in ROLE_FIELDS:
        if any(role.organisation_id != plan.organisation_id for role in data.get(name, ())):
            errors[name] = "Choose roles of this plan’s organisation."
    if any(kpi.plan_id != plan.pk for kpi in data.get("kpis", ())):
        errors["kpis"] = "Choose KPIs of this plan."
    if errors:
        raise ValidationError(errors)


def _check_reference(plan: Plan, reference: str, *, exclude_pk: int | None = None) -> None:
    if not reference:
        return
    clash = Objective.objects.filter(plan=plan, reference=reference)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise _duplicate(reference)


def _duplicate(reference: str) -> ValidationError:
    return ValidationError({"reference": DUPLICATE_REFERENCE.format(reference=reference)})


def _last_order(plan: Plan) -> int:
    last = Objective.objects.filter(plan=plan).aggregate(last=Max("order"))["last"]
    return 0 if last is None else last + 1


def _save(item: Objective, *, by, update_fields: list[str] | None = None) -> None:
    """Save, turning a reference taken at the same moment into the field's message."""
    item._history_user = by
    try:
        with transaction.atomic():
            item.save(update_fields=update_fields)
    except IntegrityError as error:
        raise _duplicate(item.reference) from error


@transaction.atomic
def objective_create(*, plan: Plan, by, data: dict, submission_token: str = "") -> Objective:
    """A new item, last in the plan. `data`: EDITABLE_FIELDS and MANY_FIELDS. DuplicateSubmission
    if the form's one-time token was used already (nothing is created twice)."""
    require_editable(plan)
    idempotency.consume(submission_token, user=by)
    _check_belongs(plan, data)
    item = Objective(plan=plan, **{name: data[name] for name in EDITABLE_FIELDS if name in data})
    item.reference = item.reference.strip()
    item.text = item.text.strip()
    item.order = _last_order(plan)
    item.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    _check_reference(plan, item.reference)
    _save(item, by=by)
    for name in MANY_FIELDS:
        if name in data:
            getattr(item, name).set(data[name])
    return item


@transaction.atomic
def objective_update(
    *,
    objective: Objective,
    by,
    expected_version: int | None,
    data: dict,
    submission_token: str = "",
) -> Objective:
    """Save the planner's edit unless the item changed since `expected_version`. A new
    department, programme, goal or kind moves the item to the end of its new list. The same
    form saved twice (a double click) is DuplicateSubmission, not a stale edit."""
    require_editable(objective.plan)
    idempotency.consume(submission_token, user=by)
    locked = lock_at_version(
        Objective.objects.select_related("plan"),
        pk=objective.pk,
        expected_version=expected_version,
        stale_message=STALE_ITEM,
    )
    plan = locked.plan
    _check_belongs(plan, data)
    before = tuple(getattr(locked, name) for name in GROUP_FIELDS)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.reference = locked.reference.strip()
    locked.text = locked.text.strip()
    fields = [name for name in EDITABLE_FIELDS if name in data] + ["version"]
    if tuple(getattr(locked, name) for name in GROUP_FIELDS) != before:
        locked.order = _last_order(plan)
        fields.append("order")
    locked.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    _check_reference(plan, locked.reference, exclude_pk=locked.pk)
    _save(locked, by=by, update_fields=fields)
    for name in MANY_FIELDS:
        if name in data:
            getattr(locked, name).set(data[name])
    return locked


def _same_list(item: Objective):
    """The items listed with `item`: same plan, kind, department, programme and goal."""
    return Objective.objects.filter(
        plan_id=item.plan_id, **{name: getattr(item, name) for name in GROUP_FIELDS}
    ).order_by("order", "pk")


@transaction.atomic
def objective_move(*, objective: Objective, by, expected_version: int | None, up: bool) -> bool:
    """Move the item one place up or down within its list (department, programme or goal):
    planning.ordering.move, the project's one reorder rule. Returns False when it is already
    first (last) there. Only the moved item's version is raised: the neighbour's version also
    guards its progress updates, which somebody else's move must not make stale."""
    require_editable(objective.plan)
    locked = lock_at_version(
        Objective.objects.select_related("plan"),
        pk=objective.pk,
        expected_version=expected_version,
        stale_message=STALE_ITEM,
    )
    return ordering.move(
        locked,
        _same_list(locked),
        ordering.UP if up else ordering.DOWN,
        by=by,
        raise_neighbour=False,
    )


def delete_refusal(objective: Objective) -> str | None:
    """Why the item may not be deleted (something reports on it), or None if it may."""
    found = []
    if ProgressUpdate.all_objects.filter(objective=objective).exists():
        found.append("progress updates")
    if objective.milestones.exists():
        found.append("milestones")
    if objective.kpis.exists():
        found.append("linked KPIs")
    # Savings schemes (budgets) link items too; the reverse relation needs no import.
    schemes = getattr(objective, "savings_schemes", None)
    if schemes is not None and schemes.exists():
        found.append("linked savings schemes")
    if not found:
        return None
    what = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
    return REPORTED_ON.format(what=what)


@transaction.atomic
def objective_delete(*, objective: Objective, by, expected_version: int | None) -> None:
    """Delete an item nothing reports on (no progress update, milestone, KPI or savings
    scheme); otherwise ValidationError saying to cancel it instead. The history keeps the
    deleted row, with who deleted it."""
    require_editable(objective.plan)
    locked = lock_at_version(
        Objective.objects.select_related("plan"),
        pk=objective.pk,
        expected_version=expected_version,
        stale_message=STALE_ITEM,
        bump=False,
    )
    refusal = delete_refusal(locked)
    if refusal:
        raise ValidationError(refusal, code="reported_on")
    locked._history_user = by
    locked.delete()


# --- closing and cancelling ------------------------------------------------------------------

CLOSE_OUTCOMES = (ProgressStatus.COMPLETED, ProgressStatus.CANCELLED)
REASON_NEEDED = "Say why: the reason is the update's narrative, in the item's history."


def closing_quarter(plan: Plan, today: dt.date) -> Quarter:
    """The quarter a closing update reports on: the current one, or the plan's last quarter
    once the plan has ended."""
    return min(Quarter(plan.end_year, 4), Quarter.containing(today))


def objective_close(
    *,
    objective: Objective,
    by,
    expected_version: int,
    status: str,
    reason: str,
    today: dt.date | None = None,
    submission_token: str = "",
) -> ProgressUpdate:
    """Close (Completed: Blue, 100%) or cancel an item, saying why. Recorded as a progress
    update by the planner, so it is in the item's history beside every other report, follows
    the progress rules (version check, one-time token, the reporting calendar) and, being
    progress rather than content, is allowed on a ratified plan."""
    if status not in CLOSE_OUTCOMES:
        raise ValidationError({"status": "Choose Completed or Cancelled."})
    if not reason.strip():
        raise ValidationError({"reason": REASON_NEEDED})
    if objective.is_closed:
        raise ValidationError(
            f"This item is already {objective.get_status_display().lower()}: nothing was changed."
        )
    today = today or dt.date.today()
    quarter = closing_quarter(objective.plan, today)
    complete = status == ProgressStatus.COMPLETED
    return services.progress_update_create(
        objective=objective,
        by=by,
        expected_version=expected_version,
        financial_year=quarter.year,
        quarter=quarter.number,
        rag=RAG.BLUE if complete else "",  # a cancelled item is no longer rated
        status=status,
        percent_complete=100 if complete else objective.percent_complete,
        narrative=reason.strip(),
        today=today,
        submission_token=submission_token,
    )
