"""Reads for the links between delivery items: dependencies (a plan's page, with its diagram),
lineage, governance bodies and their decisions, and an item's own links for its page. Each in a
fixed number of queries whatever the data (tests/delivery/test_links_queries.py counts them).

Links reach across plans: what is shown of another plan's item is limited to the plans the
reader may view (`visible`); a link to an item they may not see reads "an item of a plan you
cannot see", never its title.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from assurance.models import Risk, bands_of
from delivery import graph
from delivery.models import (
    Decision,
    DeliveryItem,
    Dependency,
    DependencyKind,
    GovernanceBody,
    Level,
    Lineage,
)
from planning import lifecycle, partnerships, permissions
from planning.models import Organisation, Plan
from planning.permissions import Action

ITEM_FIELDS = ("plan", "plan__organisation")


def item_url(item: DeliveryItem) -> str:
    """The item's own page (the hierarchy pages give every item one)."""
    return item.get_absolute_url()


def can_edit_links(user, plan: Plan) -> bool:
    """May the user add, change or remove the plan's dependencies, lineage and item risks?
    (EDIT_PLAN there, and the plan not locked.) The item page passes it as `can_edit`."""
    return permissions.has_permission(
        user, Action.EDIT_PLAN, plan.organisation_id
    ) and lifecycle.is_editable(plan)


def visible_plan_ids(user) -> set[int]:
    """The plans the user may read (one query)."""
    return set(
        Plan.objects.filter(
            organisation__in=permissions.organisations_where(user, Action.VIEW)
        ).values_list("pk", flat=True)
    )


# --- dependencies -----------------------------------------------------------------------------


def dependency_words(dependency: Dependency) -> str:
    """'CP1 needs CP2' (or the external programme's name)."""
    target = dependency.on_item.reference if dependency.on_item_id else dependency.external
    return f"{dependency.item.reference} {dependency.get_kind_display().lower()} {target}"


def _dependencies():
    return Dependency.objects.select_related(
        "item", "item__plan", "on_item", "on_item__plan", "owner_role"
    ).order_by("item__plan_id", "item__order", "item_id", "pk")


@dataclass
class Node:
    """A box on the diagram: an item (of this plan or another) or an external programme."""

    key: str
    label: str
    title: str
    href: str = ""
    column: int = 0
    row: int = 0
    outside: bool = False  # another plan's item, or a programme outside Waymark
    hidden: bool = False  # an item of a plan the reader may not see


@dataclass
class PlanDependencies:
    plan: Plan
    rows: list[Dependency]
    nodes: list[Node]
    edges: list[tuple[Node, Node, Dependency]]
    visible: set[int]

    @property
    def columns(self) -> int:
        return 1 + max((n.column for n in self.nodes), default=0)


def _node_for_item(item: DeliveryItem, plan: Plan, visible: set[int]) -> Node:
    if item.plan_id not in visible:
        return Node(
            f"item-{item.pk}", "Another plan", "An item of a plan you cannot see", hidden=True
        )
    outside = item.plan_id != plan.pk
    title = f"{item.title} ({item.plan})" if outside else item.title
    return Node(f"item-{item.pk}", item.reference, title, item_url(item), outside=outside)


def plan_dependencies(plan: Plan, user) -> PlanDependencies:
    """Every dependency with an end in `plan` (its items' own, and other items' on them), as a
    table and as a diagram's nodes and edges. Three queries."""
    visible = visible_plan_ids(user)
    rows = list(_dependencies().filter(Q(item__plan=plan) | Q(on_item__plan=plan)))
    nodes: dict[str, Node] = {}
    edges = []
    for dep in rows:
        source = nodes.setdefault(f"item-{dep.item_id}", _node_for_item(dep.item, plan, visible))
        if dep.on_item_id:
            target = nodes.setdefault(
                f"item-{dep.on_item_id}", _node_for_item(dep.on_item, plan, visible)
            )
        else:
            key = f"external-{dep.external.casefold()}"
            target = nodes.setdefault(
                key, Node(key, dep.external, "A programme outside Waymark", outside=True)
            )
        edges.append((source, target, dep))
    # Columns: what an item needs sits to its left ("needs" points back, "enables" forward).
    directed = []
    for source, target, dep in edges:
        if dep.kind == DependencyKind.NEEDS:
            directed.append(graph.Edge(target.key, source.key))
        elif dep.kind == DependencyKind.ENABLES:
            directed.append(graph.Edge(source.key, target.key))
    columns = graph.layers(nodes, directed)
    per_column: dict[int, int] = {}
    for node in nodes.values():
        node.column = columns[node.key]
        node.row = per_column.get(node.column, 0)
        per_column[node.column] = node.row + 1
    return PlanDependencies(plan, rows, list(nodes.values()), edges, visible)


# --- an item's links, for its page -----------------------------------------------------------


@dataclass
class RiskRow:
    risk: Risk

    @property
    def current(self):
        return self.risk.current


@dataclass
class ItemLinks:
    item: DeliveryItem
    dependencies: list[Dependency]  # this item needs / enables / is related to …
    dependents: list[Dependency]  # … other items' dependencies on this one
    lineage: list[Lineage]  # this item merged into / split from / superseded by …
    lineage_from: list[Lineage]  # … other items' lineage naming this one ("Absorbed Y")
    bodies: list[GovernanceBody]  # overseeing the item or its plan
    decisions: list[Decision]
    risks: list[Risk]
    visible: set[int] = field(default_factory=set)

    def sees(self, item: DeliveryItem) -> bool:
        return item.plan_id in self.visible


def item_links(item: DeliveryItem, user) -> ItemLinks:
    """What links `item` to the rest, for its page: eight queries whatever the numbers."""
    visible = visible_plan_ids(user)
    deps = list(_dependencies().filter(Q(item=item) | Q(on_item=item)))
    lineage = list(
        Lineage.objects.select_related("item", "item__plan", "other", "other__plan")
        .filter(Q(item=item) | Q(other=item))
        .order_by("date", "pk")
    )
    bodies = list(
        GovernanceBody.objects.filter(Q(items=item) | Q(plans=item.plan_id))
        .select_related("parent", "chair_role")
        .distinct()
        .order_by("order", "name")
    )
    decisions = list(
        Decision.objects.filter(items=item)
        .select_related("body")
        .prefetch_related(
            Prefetch("items", queryset=DeliveryItem.objects.select_related("plan").order_by("pk"))
        )
        .order_by("-date", "-pk")
    )
    bands = bands_of(item.plan.organisation)
    risks = list(
        item.risks.select_related("owner_person", "owner_role", "category").order_by(
            "reference", "pk"
        )
    )
    for risk in risks:
        risk._bands = bands
    _hide_unseen([], decisions, user, visible)
    return ItemLinks(
        item=item,
        dependencies=[d for d in deps if d.item_id == item.pk],
        dependents=[d for d in deps if d.on_item_id == item.pk],
        lineage=[entry for entry in lineage if entry.item_id == item.pk],
        lineage_from=[entry for entry in lineage if entry.other_id == item.pk],
        bodies=bodies,
        decisions=decisions,
        risks=risks,
        visible=visible,
    )


def linkable_risks(item: DeliveryItem):
    """The risks an item may be linked to: its plan's organisation's register."""
    return Risk.objects.filter(organisation_id=item.plan.organisation_id).order_by(
        "reference", "pk"
    )


# --- governance -------------------------------------------------------------------------------


@dataclass
class BodyNode:
    body: GovernanceBody
    depth: int
    children: list[BodyNode]
    highlighted: bool = False


@dataclass
class Governance:
    organisation: Organisation
    forest: list[BodyNode]
    bodies: list[GovernanceBody]
    decisions: list[Decision]
    plan: Plan | None = None


def _bodies(where: Q):
    return (
        GovernanceBody.objects.filter(where)
        .distinct()
        .select_related("chair_role", "parent", "organisation")
        .prefetch_related(
            "member_roles",
            Prefetch("plans", queryset=Plan.objects.order_by("start_year", "title")),
            Prefetch("items", queryset=DeliveryItem.objects.select_related("plan").order_by("pk")),
        )
        .order_by("order", "name", "pk")
    )


def _forest(bodies: list[GovernanceBody], keep: set[int] | None = None) -> list[BodyNode]:
    by_pk = {b.pk: b for b in bodies}
    parents = {b.pk: b.parent_id for b in bodies}
    shown = set(by_pk) if keep is None else _with_ancestors(keep, parents)

    def convert(node: graph.TreeNode) -> BodyNode:
        return BodyNode(
            by_pk[node.key],
            node.depth,
            [convert(c) for c in node.children if c.key in shown],
            highlighted=keep is not None and node.key in keep,
        )

    return [convert(n) for n in graph.tree(parents, [b.pk for b in bodies]) if n.key in shown]


def _with_ancestors(keys: set[int], parents: dict[int, int | None]) -> set[int]:
    found = set()
    for key in keys:
        current = key
        while current is not None and current not in found:
            found.add(current)
            current = parents.get(current)
    return found


def _decisions():
    return (
        Decision.objects.select_related("body")
        .prefetch_related(
            Prefetch("items", queryset=DeliveryItem.objects.select_related("plan").order_by("pk"))
        )
        .order_by("-date", "-pk")
    )


def _hide_unseen(bodies: list[GovernanceBody], decisions: list[Decision], user, visible=None):
    """What a body oversees and what a decision is about, as `user` may see it: a plan (or an
    item of a plan) they may not view is never named, only counted (`shown_plans`,
    `shown_items`, `hidden`). `visible`: the plan ids they may read, when already read;
    otherwise their memberships say (the request's, read once: no query here)."""

    def sees(plan) -> bool:
        if visible is not None:
            return plan.pk in visible
        return user is None or permissions.has_permission(user, Action.VIEW, plan.organisation_id)

    for body in bodies:
        plans, items = list(body.plans.all()), list(body.items.all())
        body.shown_plans = [p for p in plans if sees(p)]
        body.shown_items = [i for i in items if sees(i.plan)]
        body.hidden = len(plans) + len(items) - len(body.shown_plans) - len(body.shown_items)
    for decision in decisions:
        items = list(decision.items.all())
        decision.shown_items = [i for i in items if sees(i.plan)]
        decision.hidden = len(items) - len(decision.shown_items)


def organisation_governance(organisation: Organisation, user=None) -> Governance:
    """The organisation's bodies as a tree and its decisions log: five queries."""
    bodies = list(_bodies(Q(organisation_id=organisation.pk)))
    decisions = list(_decisions().filter(body__organisation=organisation))
    _hide_unseen(bodies, decisions, user)
    return Governance(organisation, _forest(bodies), bodies, decisions)


def plan_governance(plan: Plan, user=None) -> Governance:
    """The bodies overseeing the plan or one of its items (with the bodies above them, so the
    tree reads), and the decisions of those bodies about the plan's items or taken by a body
    overseeing the whole plan. A member organisation's body overseeing a partnership's plan
    (a council's cabinet) is among them, with its own organisation's bodies above it."""
    outside = GovernanceBody.objects.filter(Q(plans=plan) | Q(items__plan=plan)).exclude(
        organisation_id=plan.organisation_id
    )
    bodies = list(
        _bodies(
            Q(organisation_id=plan.organisation_id)
            | Q(organisation__in=outside.values("organisation_id"))
        )
    )
    overseeing = {
        b.pk
        for b in bodies
        if any(p.pk == plan.pk for p in b.plans.all())
        or any(i.plan_id == plan.pk for i in b.items.all())
    }
    plan_body_ids = [b.pk for b in bodies if any(p.pk == plan.pk for p in b.plans.all())]
    decisions = list(
        _decisions()
        .filter(Q(items__plan=plan) | Q(body__in=plan_body_ids))
        .distinct()
        .order_by("-date", "-pk")
    )
    _hide_unseen(bodies, decisions, user)
    return Governance(plan.organisation, _forest(bodies, overseeing), bodies, decisions, plan=plan)


# A body oversees whole plans, their programmes and their workstreams (the Herefordshire report
# puts a workstream, the new transition team, "under the governance of" a board); interventions
# and milestones are overseen through the workstream they belong to.
OVERSEEN_LEVELS = (Level.PROGRAMME, Level.WORKSTREAM)


def governable_plans(organisation_id: int, user):
    """The plans a body of this organisation may oversee or record decisions about, as `user`
    may link them: the organisation's own, and those of a partnership it is a member of where
    the user may edit that partnership's plans (a council's cabinet receiving the shared
    services programme's report). A lazy queryset: one query where it is read."""
    return Plan.objects.filter(
        Q(organisation_id=organisation_id)
        | (
            Q(organisation__in=partnerships.partnerships_of(organisation_id).values("pk"))
            & Q(organisation__in=permissions.organisations_where(user, Action.EDIT_PLAN))
        )
    )


def body_for(user, action: Action, pk: int) -> GovernanceBody:
    """The body (404 outside the user's organisations), if they may do `action` (403)."""
    body = get_object_or_404(
        GovernanceBody.objects.filter(
            organisation__in=permissions.organisations_where(user, Action.VIEW)
        ).select_related("organisation"),
        pk=pk,
    )
    permissions.require(user, action, body.organisation_id)
    return body
