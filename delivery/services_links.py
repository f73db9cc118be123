"""Writes for the links between delivery items: dependencies, lineage, the risks an item links
to, governance bodies and their decisions.

Every write is keyword-only and one transaction; refused with a ValidationError naming the
field (nothing saved) when a link is not allowed; version-checked when it changes or removes an
existing record (planning.concurrency.lock_at_version); refused on a locked plan where it
changes a plan's content (planning.lifecycle.require_editable); audited by simple-history
(``_history_user``). Who may open the page is the view's check (planning.permissions); what a
link may reach is checked here, because it depends on the record linked to:

- a dependency may point at an item of any plan the person may read, but at another
  organisation's (another partnership's) item only if they may edit that plan too;
- lineage may point at an item of the same plan, or of another plan the person may edit;
- a "needs" or "enables" dependency may not close a cycle, nor lineage a loop (an item going on,
  through merges, splits and replacements, as itself); delivery.graph names either;
- a body's parent may not be the body or one below it, and is of its organisation, as are its
  roles; it oversees plans, programmes and workstreams, and records decisions about items, of
  its organisation's plans or of a partnership's it is a member of, where the person may edit
  that partnership's plans (selectors_links.governable_plans); links the person may not change
  are kept as they are.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from delivery import graph, selectors_links
from delivery.models import (
    Decision,
    DeliveryItem,
    Dependency,
    DependencyKind,
    GovernanceBody,
    Lineage,
    LineageKind,
)
from planning import idempotency, permissions
from planning.concurrency import lock_at_version
from planning.lifecycle import require_editable
from planning.permissions import Action

STALE = (
    "Somebody else changed this {what} after you opened the page. Nothing was saved: read "
    "theirs, then make your change again if it still stands."
)
DIRECTED = (DependencyKind.NEEDS, DependencyKind.ENABLES)


def _save(record, *, by, duplicate: dict | None = None, **kwargs) -> None:
    """Save with its author for the history; a unique constraint met at the same moment
    becomes `duplicate`'s message."""
    record._history_user = by
    try:
        with transaction.atomic():
            record.save(**kwargs)
    except IntegrityError as error:
        if duplicate is None:
            raise
        raise ValidationError(duplicate) from error


def _delete(record, *, by) -> None:
    record._history_user = by
    record.delete()


# --- dependencies -----------------------------------------------------------------------------

DEPENDENCY_FIELDS = ("kind", "on_item", "external", "owner_text", "owner_role", "status", "note")


def _words(reference: str, kind: str, target: str) -> str:
    return f"{reference} {DependencyKind(kind).label.lower()} {target}"


def _check_target(item: DeliveryItem, by, on_item: DeliveryItem | None, external: str) -> None:
    if on_item is None and not external:
        raise ValidationError({"on_item": "Choose an item, or name an external programme."})
    if on_item is not None and external:
        raise ValidationError(
            {"external": "Name either an item or an external programme, not both."}
        )
    if on_item is None:
        return
    if on_item.pk == item.pk:
        raise ValidationError({"on_item": "An item cannot depend on itself."})
    target_org = on_item.plan.organisation_id
    if not permissions.has_permission(by, Action.VIEW, target_org):
        raise ValidationError({"on_item": "Choose an item of a plan you can see."})
    if target_org != item.plan.organisation_id and not permissions.has_permission(
        by, Action.EDIT_PLAN, target_org
    ):
        raise ValidationError(
            {
                "on_item": f"{on_item.reference} belongs to {on_item.plan}, another "
                "organisation's plan that you cannot edit: ask one of its planners to link it."
            }
        )


def _check_cycle(item: DeliveryItem, kind: str, on_item, *, exclude_pk: int | None) -> None:
    """Refuse a needs/enables dependency that would close a cycle, naming it. The directed
    dependencies are locked first, so two people adding the two halves of a cycle at the same
    moment are checked one after the other."""
    if on_item is None or kind not in DIRECTED:
        return
    DeliveryItem.objects.select_for_update().filter(pk__in=[item.pk, on_item.pk]).exists()
    existing = Dependency.objects.filter(on_item__isnull=False, kind__in=DIRECTED)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    list(existing.select_for_update().values_list("pk", flat=True))
    # Read again after the lock: a dependency committed while we waited is in this read.
    rows = list(existing.values_list("item_id", "kind", "on_item_id", "item__reference"))
    references = dict(
        DeliveryItem.objects.filter(
            pk__in={on_item_id for _, _, on_item_id, _ in rows}
        ).values_list("pk", "reference")
    )
    edges = [
        graph.directed(a, k, b, _words(ref, k, references.get(b, "?"))) for a, k, b, ref in rows
    ]
    new = graph.directed(item.pk, kind, on_item.pk, _words(item.reference, kind, on_item.reference))
    cycle = graph.closing_cycle([e for e in edges if e], new)
    if cycle:
        raise ValidationError(
            {
                "on_item": f"This would close a cycle: {graph.cycle_words(cycle)}. Change or "
                "remove one of those dependencies first, or record it as “related to”."
            },
            code="cycle",
        )


def _check_dependency(item: DeliveryItem, by, data: dict, *, exclude_pk=None) -> None:
    on_item, external = data.get("on_item"), (data.get("external") or "").strip()
    _check_target(item, by, on_item, external)
    role = data.get("owner_role")
    if role is not None and role.organisation_id != item.plan.organisation_id:
        raise ValidationError({"owner_role": "Choose a role of this plan’s organisation."})
    same = Dependency.objects.filter(item=item, kind=data["kind"])
    same = same.filter(on_item=on_item) if on_item else same.filter(external__iexact=external)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError({"kind": "This dependency is already recorded for this item."})
    _check_cycle(item, data["kind"], on_item, exclude_pk=exclude_pk)


def _apply(record, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            value = data[name]
            setattr(record, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def dependency_create(
    *, item: DeliveryItem, by, data: dict, submission_token: str = ""
) -> Dependency:
    """`item` needs, enables or is related to another item or an external programme."""
    require_editable(item.plan)
    idempotency.consume(submission_token, user=by)
    _check_dependency(item, by, data)
    dependency = Dependency(item=item)
    _apply(dependency, data, DEPENDENCY_FIELDS)
    dependency.full_clean(exclude=["item"], validate_constraints=False)
    _save(dependency, by=by)
    return dependency


@transaction.atomic
def dependency_update(
    *,
    dependency: Dependency,
    by,
    expected_version: int | None,
    data: dict,
    submission_token: str = "",
) -> Dependency:
    idempotency.consume(submission_token, user=by)
    locked = lock_at_version(
        Dependency.objects.select_related("item", "item__plan"),
        pk=dependency.pk,
        expected_version=expected_version,
        stale_message=STALE.format(what="dependency"),
    )
    require_editable(locked.item.plan)
    _check_dependency(locked.item, by, data, exclude_pk=locked.pk)
    _apply(locked, data, DEPENDENCY_FIELDS)
    locked.full_clean(exclude=["item"], validate_constraints=False)
    _save(locked, by=by)
    return locked


@transaction.atomic
def dependency_delete(*, dependency: Dependency, by, expected_version: int | None) -> None:
    locked = lock_at_version(
        Dependency.objects.select_related("item", "item__plan"),
        pk=dependency.pk,
        expected_version=expected_version,
        stale_message=STALE.format(what="dependency"),
        bump=False,
    )
    require_editable(locked.item.plan)
    _delete(locked, by=by)


# --- lineage ----------------------------------------------------------------------------------

LINEAGE_FIELDS = ("kind", "other", "reason", "date", "date_text")


def _check_lineage(item: DeliveryItem, by, data: dict, *, exclude_pk=None) -> None:
    if data.get("kind") not in LineageKind.values:
        raise ValidationError({"kind": "Choose merged into, split from or superseded by."})
    other = data.get("other")
    if other is None:
        raise ValidationError({"other": "Choose the other item."})
    if other.pk == item.pk:
        raise ValidationError(
            {"other": "An item cannot be merged into, split from or superseded by itself."}
        )
    if other.plan_id != item.plan_id and not permissions.has_permission(
        by, Action.EDIT_PLAN, other.plan.organisation_id
    ):
        raise ValidationError(
            {
                "other": f"{other.reference} belongs to {other.plan}, which you cannot edit: "
                "choose an item of this plan or of another plan you may edit."
            }
        )
    clash = Lineage.objects.filter(item=item, kind=data["kind"], other=other)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"other": "This is already recorded."})
    _check_lineage_loop(item, data["kind"], other, exclude_pk=exclude_pk)


def _lineage_words(reference: str, kind: str, other_reference: str) -> str:
    return f"{reference} {LineageKind(kind).label.lower()} {other_reference}"


def _check_lineage_loop(item: DeliveryItem, kind: str, other, *, exclude_pk: int | None) -> None:
    """Refuse an entry that would make an item go on, through lineage, as itself ("A merged
    into B" while B was superseded by A), naming the loop. Every lineage entry is locked first,
    so two people writing the two halves of a loop at once are checked one after the other."""
    DeliveryItem.objects.select_for_update().filter(pk__in=[item.pk, other.pk]).exists()
    existing = Lineage.objects.all()
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    list(existing.select_for_update().values_list("pk", flat=True))
    rows = list(
        existing.values_list("item_id", "kind", "other_id", "item__reference", "other__reference")
    )
    edges = [
        graph.lineage_edge(a, k, b, _lineage_words(ref_a, k, ref_b))
        for a, k, b, ref_a, ref_b in rows
    ]
    new = graph.lineage_edge(
        item.pk, kind, other.pk, _lineage_words(item.reference, kind, other.reference)
    )
    loop = graph.closing_cycle(edges, new)
    if loop:
        raise ValidationError(
            {
                "other": f"This would make {item.reference} go on as itself: "
                f"{graph.cycle_words(loop)}. Change or remove one of those records first."
            },
            code="cycle",
        )


LINEAGE_DUPLICATE = {"other": "This is already recorded."}


@transaction.atomic
def lineage_create(*, item: DeliveryItem, by, data: dict, submission_token: str = "") -> Lineage:
    """`item` was merged into, split from or superseded by `data["other"]`."""
    require_editable(item.plan)
    idempotency.consume(submission_token, user=by)
    _check_lineage(item, by, data)
    entry = Lineage(item=item)
    _apply(entry, data, LINEAGE_FIELDS)
    entry.full_clean(exclude=["item"], validate_unique=False, validate_constraints=False)
    _save(entry, by=by, duplicate=LINEAGE_DUPLICATE)
    return entry


@transaction.atomic
def lineage_update(
    *, lineage: Lineage, by, expected_version: int | None, data: dict, submission_token: str = ""
) -> Lineage:
    idempotency.consume(submission_token, user=by)
    locked = lock_at_version(
        Lineage.objects.select_related("item", "item__plan"),
        pk=lineage.pk,
        expected_version=expected_version,
        stale_message=STALE.format(what="record"),
    )
    require_editable(locked.item.plan)
    _check_lineage(locked.item, by, data, exclude_pk=locked.pk)
    _apply(locked, data, LINEAGE_FIELDS)
    locked.full_clean(exclude=["item"], validate_unique=False, validate_constraints=False)
    _save(locked, by=by, duplicate=LINEAGE_DUPLICATE)
    return locked


@transaction.atomic
def lineage_delete(*, lineage: Lineage, by, expected_version: int | None) -> None:
    locked = lock_at_version(
        Lineage.objects.select_related("item", "item__plan"),
        pk=lineage.pk,
        expected_version=expected_version,
        stale_message=STALE.format(what="record"),
        bump=False,
    )
    require_editable(locked.item.plan)
    _delete(locked, by=by)


# --- risks of an item ---------------------------------------------------------------------------


@transaction.atomic
def item_risks_set(*, item: DeliveryItem, by, expected_version: int | None, risks) -> DeliveryItem:
    """Link exactly `risks` (of the item's organisation's register) to the item. The item's
    version is raised, so its history records who changed its risks and when."""
    require_editable(item.plan)
    locked = lock_at_version(
        DeliveryItem.objects.select_related("plan"),
        pk=item.pk,
        expected_version=expected_version,
        stale_message=STALE.format(what="item"),
    )
    risks = list(risks)
    if any(risk.organisation_id != locked.plan.organisation_id for risk in risks):
        raise ValidationError({"risks": "Choose risks of this plan’s organisation’s register."})
    _save(locked, by=by, update_fields=["version"])
    locked.risks.set(risks)
    return locked


# --- governance bodies --------------------------------------------------------------------------

BODY_FIELDS = (
    "name",
    "kind",
    "parent",
    "chair_text",
    "chair_role",
    "members_text",
    "meeting_frequency",
)
BODY_MANY = ("member_roles", "plans", "items")
BODY_DUPLICATE = {"name": "This organisation already has a body with this name."}


def _check_body(organisation_id: int, by, data: dict, *, pk: int | None = None) -> None:
    errors = {}
    parent = data.get("parent")
    if parent is not None:
        if parent.organisation_id != organisation_id:
            errors["parent"] = "Choose a body of this organisation."
        elif pk is not None:
            parents = dict(
                GovernanceBody.objects.filter(organisation_id=organisation_id).values_list(
                    "pk", "parent_id"
                )
            )
            loop = graph.parent_cycle(parents, pk, parent.pk)
            if loop:
                names = dict(GovernanceBody.objects.filter(pk__in=loop).values_list("pk", "name"))
                path = " → ".join(names[key] for key in reversed(loop))
                errors["parent"] = (
                    "A body cannot sit below itself or a body below it "
                    f"({path}): choose a body above it, or none."
                )
    role = data.get("chair_role")
    if role is not None and role.organisation_id != organisation_id:
        errors["chair_role"] = "Choose a role of this organisation."
    if any(r.organisation_id != organisation_id for r in data.get("member_roles", ())):
        errors["member_roles"] = "Choose roles of this organisation."
    if "plans" in data or "items" in data:
        governable = set(
            selectors_links.governable_plans(organisation_id, by).values_list("pk", flat=True)
        )
        if any(p.pk not in governable for p in data.get("plans", ())):
            errors["plans"] = GOVERNABLE.format(what="plans")
        items = list(data.get("items", ()))
        if any(i.plan_id not in governable for i in items):
            errors["items"] = GOVERNABLE.format(what="programmes and workstreams of plans")
        elif any(i.level not in selectors_links.OVERSEEN_LEVELS for i in items):
            low = ", ".join(
                f"{i.reference} is {i.get_level_display().lower()}"
                for i in items
                if i.level not in selectors_links.OVERSEEN_LEVELS
            )
            errors["items"] = (
                f"A body oversees programmes and workstreams ({low}): choose the workstream "
                "it belongs to."
            )
    if errors:
        raise ValidationError(errors)


GOVERNABLE = (
    "Choose {what} of this organisation, or of a partnership it is a member of whose plans "
    "you may edit."
)


def _kept(record, name: str, organisation_id: int, by, plan_id_of) -> list:
    """The links of `record` the person may not change (another organisation's plans they may
    not edit): not offered on the form, so a save keeps them rather than dropping them."""
    if record.pk is None:
        return []
    governable = set(
        selectors_links.governable_plans(organisation_id, by).values_list("pk", flat=True)
    )
    return [x for x in getattr(record, name).all() if plan_id_of(x) not in governable]


def _set_links(record, data: dict, names, organisation_id: int, by) -> None:
    """Set the many-to-many links of `data`, keeping those the person may not change."""
    plan_id_of = {"plans": lambda plan: plan.pk, "items": lambda item: item.plan_id}
    for name in names:
        if name not in data:
            continue
        if name in plan_id_of:
            kept = _kept(record, name, organisation_id, by, plan_id_of[name])
            getattr(record, name).set([*data[name], *kept])
        else:
            getattr(record, name).set(data[name])


@transaction.atomic
def body_create(*, organisation, by, data: dict, submission_token: str = "") -> GovernanceBody:
    idempotency.consume(submission_token, user=by)
    _check_body(organisation.pk, by, data)
    body = GovernanceBody(organisation=organisation)
    _apply(body, data, BODY_FIELDS)
    last = GovernanceBody.objects.filter(organisation=organisation).aggregate(m=Max("order"))["m"]
    body.order = 0 if last is None else last + 1
    body.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
    _save(body, by=by, duplicate=BODY_DUPLICATE)
    _set_links(body, data, BODY_MANY, organisation.pk, by)
    return body


@transaction.atomic
def body_update(
    *,
    body: GovernanceBody,
    by,
    expected_version: int | None,
    data: dict,
    submission_token: str = "",
) -> GovernanceBody:
    idempotency.consume(submission_token, user=by)
    # Every body of the organisation is locked: two people each moving a body below the other
    # at the same moment would otherwise make a loop that neither check saw.
    list(
        GovernanceBody.objects.select_for_update()
        .filter(organisation_id=body.organisation_id)
        .values_list("pk", flat=True)
    )
    locked = lock_at_version(
        GovernanceBody.objects.all(),
        pk=body.pk,
        expected_version=expected_version,
        stale_message=STALE.format(what="body"),
    )
    _check_body(locked.organisation_id, by, data, pk=locked.pk)
    _apply(locked, data, BODY_FIELDS)
    locked.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
    _save(locked, by=by, duplicate=BODY_DUPLICATE)
    _set_links(locked, data, BODY_MANY, locked.organisation_id, by)
    return locked


def body_delete_refusal(body: GovernanceBody) -> str | None:
    found = []
    if body.children.exists():
        found.append("bodies below it")
    if body.decisions.exists():
        found.append("decisions in its log")
    if not found:
        return None
    return (
        f"This body cannot be deleted: it has {' and '.join(found)}. Move or delete those "
        "first; its decisions are the record of what it agreed."
    )


@transaction.atomic
def body_delete(*, body: GovernanceBody, by, expected_version: int | None) -> None:
    locked = lock_at_version(
        GovernanceBody.objects.all(),
        pk=body.pk,
        expected_version=expected_version,
        stale_message=STALE.format(what="body"),
        bump=False,
    )
    refusal = body_delete_refusal(locked)
    if refusal:
        raise ValidationError(refusal, code="in_use")
    _delete(locked, by=by)


# --- decisions ----------------------------------------------------------------------------------

DECISION_FIELDS = ("date", "decision", "recommendation")


def _check_decision(body: GovernanceBody, by, data: dict) -> None:
    if "items" not in data:
        return
    governable = set(
        selectors_links.governable_plans(body.organisation_id, by).values_list("pk", flat=True)
    )
    if any(i.plan_id not in governable for i in data["items"]):
        raise ValidationError({"items": GOVERNABLE.format(what="items of plans")})


@transaction.atomic
def decision_create(
    *, body: GovernanceBody, by, data: dict, submission_token: str = ""
) -> Decision:
    idempotency.consume(submission_token, user=by)
    _check_decision(body, by, data)
    decision = Decision(body=body)
    _apply(decision, data, DECISION_FIELDS)
    decision.full_clean(exclude=["body"])
    _save(decision, by=by)
    _set_links(decision, data, ("items",), body.organisation_id, by)
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    by,
    expected_version: int | None,
    data: dict,
    submission_token: str = "",
) -> Decision:
    idempotency.consume(submission_token, user=by)
    locked = lock_at_version(
        Decision.objects.select_related("body"),
        pk=decision.pk,
        expected_version=expected_version,
        stale_message=STALE.format(what="decision"),
    )
    _check_decision(locked.body, by, data)
    _apply(locked, data, DECISION_FIELDS)
    locked.full_clean(exclude=["body"])
    _save(locked, by=by)
    _set_links(locked, data, ("items",), locked.body.organisation_id, by)
    return locked


@transaction.atomic
def decision_delete(*, decision: Decision, by, expected_version: int | None) -> None:
    locked = lock_at_version(
        Decision.objects.all(),
        pk=decision.pk,
        expected_version=expected_version,
        stale_message=STALE.format(what="decision"),
        bump=False,
    )
    _delete(locked, by=by)
