"""Who may do what: the one place where roles turn into permissions.

Every view asks here. A record of an organisation the user does not belong to is reported as
not found (404), so an id in a URL never confirms that a record exists; a member whose role does
not allow the action gets 403.

It answers two questions, and no other module answers them itself:
- may this user do X in this organisation? (`has_permission`; `require`, `require_plan` and
  `plan_for` end the request with 404/403 when not);
- in which organisations may this user do X? (`organisations_where`, with `organisation_ids_where`
  and `may_anywhere` for concrete ids and a yes/no).
A superuser acts as an administrator of every organisation (`_is_superuser`'s callers here).

The partnership rule: a partnership whose member organisations are recorded
(`planning.PartnershipMember`) is acted on through a role held *in the partnership*, an ordinary
Membership of the partnership organisation. That membership counts only while the user also
holds an active membership of one of the partnership's member organisations (their home
organisation), checked at read time: leaving the home organisation, or the organisation leaving
the partnership, ends the partnership access at the next request. A person of a member
organisation without a partnership role is an outsider to the partnership (404), as is everyone
else. A partnership with no member organisations recorded (the SSP demo: a hosted body with
its own staff) is an ordinary organisation. Both readings (`memberships` for the cache,
`organisations_where` for SQL) apply the rule in the same query they already make, so the
number of queries per request does not change (docs/decisions/permissions.md).

The partner rule (a funder's members see what they pay a provider) lives here too.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from planning import partnerships
from planning.models import (
    ClientRelationship,
    Membership,
    MembershipRole,
    Organisation,
    Plan,
    Role,
)


class Action(StrEnum):
    VIEW = "view"
    UPDATE_PROGRESS = "update_progress"
    EDIT_PLAN = "edit_plan"
    EXPORT = "export"
    VIEW_AUDIT = "view_audit"
    MANAGE_MEMBERS = "manage_members"
    # Correct or withdraw somebody else's progress update or KPI value (authors may their own).
    CORRECT_OTHERS = "correct_others"
    # A plan's lifecycle (planning.lifecycle): the planner puts the draft forward; the
    # administrator approves it, records the board's ratification, and sends it back.
    SUBMIT_PLAN = "submit_plan"
    APPROVE_PLAN = "approve_plan"
    # Start a refresh of a ratified plan: the next version, a draft (planning.versions).
    START_REFRESH = "start_refresh"
    # Start next year's plan from this one (planning.rollforward): planners and administrators.
    ROLL_FORWARD = "roll_forward"
    # The whole plan as one workbook (workbook/): export it, or import one as a new draft plan.
    # Planners and administrators only: the workbook holds every record, people's emails too.
    EXCHANGE_WORKBOOK = "exchange_workbook"


R = MembershipRole
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    R.VIEWER: frozenset({Action.VIEW, Action.EXPORT}),
    # A contributor may update only the items they lead or that sit in their units:
    # can_update_objective() narrows this further. They may export what they can read, as a
    # board member may: an export shows nothing the pages do not.
    R.CONTRIBUTOR: frozenset({Action.VIEW, Action.UPDATE_PROGRESS, Action.EXPORT}),
    R.PLANNER: frozenset(
        {
            Action.VIEW,
            Action.UPDATE_PROGRESS,
            Action.EDIT_PLAN,
            Action.EXPORT,
            Action.VIEW_AUDIT,
            Action.CORRECT_OTHERS,
            Action.SUBMIT_PLAN,
            Action.START_REFRESH,
            Action.ROLL_FORWARD,
            Action.EXCHANGE_WORKBOOK,
        }
    ),
    R.ADMIN: frozenset(Action),
}


class PlanStep(StrEnum):
    """The steps of a plan's life (planning.lifecycle says from which status each may be taken)."""

    SUBMIT = "submit"
    APPROVE = "approve"
    RATIFY = "ratify"
    SEND_BACK = "send_back"
    REFRESH = "refresh"


# Who may take each step: the one rule. A planner submits and starts a refresh of a ratified
# plan; an administrator approves, records ratification (which supersedes the version ratified
# before) and sends a plan back to draft.
STEP_ACTIONS: dict[PlanStep, Action] = {
    PlanStep.SUBMIT: Action.SUBMIT_PLAN,
    PlanStep.APPROVE: Action.APPROVE_PLAN,
    PlanStep.RATIFY: Action.APPROVE_PLAN,
    PlanStep.SEND_BACK: Action.APPROVE_PLAN,
    PlanStep.REFRESH: Action.START_REFRESH,
}

STEP_REFUSALS: dict[PlanStep, str] = {
    PlanStep.SUBMIT: "Only a planner or an administrator can submit a plan for approval.",
    PlanStep.APPROVE: "Only an administrator can approve a plan.",
    PlanStep.RATIFY: "Only an administrator can record a plan's ratification.",
    PlanStep.SEND_BACK: "Only an administrator can send a plan back to draft.",
    PlanStep.REFRESH: "Only a planner or an administrator can start a refresh of a plan.",
}


ROLL_FORWARD_REFUSAL = "Only a planner or an administrator can roll a plan forward."


def may_take_step(user, step: PlanStep, plan: Plan) -> bool:
    return has_permission(user, STEP_ACTIONS[step], plan.organisation_id)


_CACHE_ATTR = "_waymark_memberships"


def honoured(user, organisation: str = "organisation") -> Q:
    """The partnership rule as a condition on a membership's organisation (the path to it is
    `organisation`), for this user: planning.partnerships.honoured, where the rule is written."""
    return partnerships.honoured(user, organisation)


def memberships(user) -> dict[int, Membership]:
    """The user's active memberships by organisation id, fetched once per request (user
    object), each with `unit_ids`: the ids of its org units. A deactivated membership
    (people.services) grants nothing; nor does a role in a partnership while the user belongs
    to none of its member organisations (`honoured`)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        # One query, not a second for the org units: a row per (membership, unit), joined.
        cached = {}
        for m in _memberships_rows(user.pk):
            membership = cached.setdefault(m.organisation_id, m)
            if not hasattr(membership, "unit_ids"):
                membership.unit_ids = set()
            if m.unit_id is not None:
                membership.unit_ids.add(m.unit_id)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _memberships_queryset(user_id):
    return Membership.objects.filter(honoured(user_id), user=user_id, is_active=True).annotate(
        unit_id=F("org_units__id")
    )


# Every signed-in page reads the memberships, and building and compiling their queryset (the
# partnership rule's two subqueries) cost ten times the CPU of running it. The SQL is the same
# for every user but for the user's id, so it is compiled once per process and database, from
# the queryset above with a placeholder id, and run with the user's id in the placeholder's
# places. Nothing but SQL text is kept: the rows are read afresh on every request.
_PLACEHOLDER_ID = -7_919_317  # no user has a negative id
_compiled_memberships: dict[str, tuple[str, tuple, list[int]] | None] = {}


def _memberships_rows(user_id: int):
    db = router.db_for_read(Membership)
    compiled = _compiled_memberships.get(db, False)
    if compiled is False:
        sql, params = _memberships_queryset(_PLACEHOLDER_ID).query.get_compiler(db).as_sql()
        places = [i for i, value in enumerate(params) if value == _PLACEHOLDER_ID]
        # The user's id appears exactly twice (the membership's user, the partnership rule's
        # home membership); anything else and the queryset is simply run as it is.
        compiled = (sql, tuple(params), places) if len(places) == 2 else None
        _compiled_memberships[db] = compiled
    if compiled is None:
        return _memberships_queryset(user_id)
    sql, params, places = compiled
    params = list(params)
    for i in places:
        params[i] = user_id
    return Membership.objects.using(db).raw(sql, params)


def _is_superuser(user) -> bool:
    """The superuser rule: a superuser may do everything, everywhere, without a membership."""
    return user is not None and user.is_authenticated and user.is_superuser


def role_in(user, organisation_id: int) -> str | None:
    if _is_superuser(user):
        return R.ADMIN  # the superuser rule, for one organisation
    membership = memberships(user).get(organisation_id)
    return membership.role if membership else None


def is_member(user, organisation_id: int) -> bool:
    return role_in(user, organisation_id) is not None


def has_permission(user, action: Action, organisation_id: int) -> bool:
    role = role_in(user, organisation_id)
    return role is not None and action in ROLE_ACTIONS[role]


def leads(user, objective) -> bool:
    """Does the user lead this item, or does it sit in one of their org units?

    Expects `objective.lead_roles` / `sro_roles` prefetched where called in a loop.
    """
    membership = memberships(user).get(objective.plan.organisation_id)
    if membership is None:
        return False
    if objective.org_unit_id and objective.org_unit_id in membership.unit_ids:
        return True
    role_ids = user_role_ids(user)
    item_roles = {r.pk for r in objective.lead_roles.all()} | {
        r.pk for r in objective.sro_roles.all()
    }
    return bool(role_ids & item_roles)


def user_role_ids(user) -> set[int]:
    """Ids of the plan roles (AO, ADA, …) held by the people this user is."""
    cached = getattr(user, "_waymark_role_ids", None)
    if cached is None:
        cached = set(Role.objects.filter(holders__user=user).values_list("pk", flat=True))
        user._waymark_role_ids = cached
    return cached


def can_update_objective(user, objective) -> bool:
    role = role_in(user, objective.plan.organisation_id)
    if role is None or Action.UPDATE_PROGRESS not in ROLE_ACTIONS[role]:
        return False
    if role == R.CONTRIBUTOR:
        return leads(user, objective)
    return True


def can_correct(user, *, organisation_id: int, author_id: int | None, objective=None) -> bool:
    """May the user correct or withdraw a record (a progress update of `objective`, or a KPI
    value) that `author_id` entered? Its author may, while they may still update the item (or
    enter values); a planner may correct anybody's. The reporting window is the caller's rule."""
    if has_permission(user, Action.CORRECT_OTHERS, organisation_id):
        return True
    if author_id is None or author_id != user.pk:
        return False
    if objective is not None:
        return can_update_objective(user, objective)
    return has_permission(user, Action.UPDATE_PROGRESS, organisation_id)


def may_record_assessment(user, organisation_id: int, *, contributors_may: bool) -> bool:
    """May the user record or correct a competency framework's assessments? Planners and
    administrators may (EDIT_PLAN); contributors only where the framework's planner allows it
    (``contributors_may``, the framework's flag); viewers never."""
    if has_permission(user, Action.EDIT_PLAN, organisation_id):
        return True
    return contributors_may and role_in(user, organisation_id) == R.CONTRIBUTOR


def require_assessment(user, organisation_id: int, *, contributors_may: bool) -> None:
    """404 for an outsider; 403 unless may_record_assessment()."""
    require(user, Action.VIEW, organisation_id)
    if not may_record_assessment(user, organisation_id, contributors_may=contributors_may):
        raise PermissionDenied(
            "Only planners record this framework's assessments"
            + ("." if contributors_may else ", unless they let managers do so too.")
        )


# ---------------------------------------------------------------------------------------------
# In which organisations may the user do X?
# ---------------------------------------------------------------------------------------------


# One rule, two readings that must agree (tests/planning/test_organisations_where.py checks
# that they do for every role and action): organisations_where() is SQL, to filter querysets
# without a query of its own, even for a user whose memberships are not loaded (a document built
# in the background); the other two read the memberships cached on the user, so a page asking
# "may they export anywhere?" costs no query.


def roles_allowed(action: Action) -> list[str]:
    """The membership roles that allow `action`."""
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def organisations_where(user, action: Action) -> QuerySet[Organisation]:
    """The organisations where this user may do `action`, as a lazy queryset.

    Filter with it (`plan__organisation__in=organisations_where(user, Action.VIEW)`): it becomes
    a subquery, so the number of queries does not depend on the user's organisations.
    """
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    if _is_superuser(user):
        return Organisation.objects.all()  # the superuser rule, for every organisation
    return Organisation.objects.filter(
        honoured(user, "pk"),
        memberships__user=user,
        memberships__is_active=True,
        memberships__role__in=roles_allowed(action),
    )


def _member_organisation_ids(user, action: Action) -> list[int]:
    """Where the user's own memberships allow `action` (no superuser rule), from the cache."""
    if user is None or not user.is_authenticated:
        return []
    return [
        org_id
        for org_id, membership in memberships(user).items()
        if action in ROLE_ACTIONS[membership.role]
    ]


def organisation_ids_where(user, action: Action) -> list[int]:
    """organisations_where() as a list of ids, for a value that must be concrete (a document's
    specification, a history filter). A member's costs no query; a superuser's costs one."""
    if _is_superuser(user):
        return list(organisations_where(user, action).values_list("pk", flat=True))
    return _member_organisation_ids(user, action)


def organisations_for_filter(user, action: Action = Action.VIEW):
    """organisations_where() for filtering a queryset (`__in`): a member's as ids from the
    memberships every page reads once, since a short `IN (…)` of ids is quicker to compile and
    to plan than the permission subquery; a superuser's stays the subquery (every
    organisation), whose ids would cost a query."""
    if _is_superuser(user):
        return organisations_where(user, action)
    return _member_organisation_ids(user, action)


def reach(user, *actions: Action) -> tuple:
    """Where the user may take each of ``actions``, as a value to key a cached page by: two
    readers with the same reach see the same page of the organisations' content
    (planning.page_cache). A superuser's is everywhere; a member's, the organisations' ids.
    No query beyond the memberships."""
    if _is_superuser(user):
        return ("everywhere",)
    return tuple(tuple(sorted(_member_organisation_ids(user, a))) for a in actions)


def may_anywhere(user, action: Action) -> bool:
    """Is organisations_where() not empty? Answered without a query beyond the memberships."""
    return _is_superuser(user) or bool(_member_organisation_ids(user, action))


# ---------------------------------------------------------------------------------------------
# Checks that end a request: 404 for an outsider, 403 for a member without the right
# ---------------------------------------------------------------------------------------------


def require(user, action: Action, organisation_id: int) -> None:
    """404 for an outsider, 403 for a member without the permission."""
    if not is_member(user, organisation_id):
        raise Http404("No such record.")
    if not has_permission(user, action, organisation_id):
        raise PermissionDenied("Your role does not allow this.")


def require_plan(user, action: Action, plan: Plan) -> None:
    require(user, action, plan.organisation_id)


def require_step(user, step: PlanStep, plan: Plan) -> None:
    """404 for an outsider; 403, saying who may, for a member whose role may not take `step`."""
    if not is_member(user, plan.organisation_id):
        raise Http404("No such record.")
    if not may_take_step(user, step, plan):
        raise PermissionDenied(STEP_REFUSALS[step])


def plan_for(user, action: Action, slug: str) -> Plan:
    """The plan with this slug (its organisation selected), if the user may do `action` there.

    404 if there is no such plan or the user is an outsider; 403 for a member without the right.
    """
    plan = get_object_or_404(Plan.objects.select_related("organisation"), slug=slug)
    require_plan(user, action, plan)
    return plan


def organisation_for(user, action: Action, slug: str) -> Organisation:
    """The organisation with this slug, if the user may do `action` there (404 for an outsider
    or no such organisation; 403 for a member without the right)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    require(user, action, organisation.pk)
    return organisation


# ---------------------------------------------------------------------------------------------
# Risks (assurance): planners maintain the register; a risk's owner reviews it
# ---------------------------------------------------------------------------------------------
#
# A risk is owned by a person (who may sign in as a user) or a role (whose holders may): the
# contributors who own it record its reviews; planners and administrators may review any risk
# and maintain the register (EDIT_PLAN). Duck-typed: planning imports no sibling app.


def owns_risk(user, risk) -> bool:
    """Is the user the risk's owner, as its person or as a holder of its role? Expects
    `risk.owner_person` selected."""
    if not user.is_authenticated:
        return False
    person = risk.owner_person
    if person is not None and person.user_id == user.pk:
        return True
    return risk.owner_role_id is not None and risk.owner_role_id in user_role_ids(user)


def can_review_risk(user, risk) -> bool:
    role = role_in(user, risk.organisation_id)
    if role is None or Action.UPDATE_PROGRESS not in ROLE_ACTIONS[role]:
        return False
    if role == R.CONTRIBUTOR:
        return owns_risk(user, risk)
    return True


def require_risk_review(user, risk) -> None:
    """404 for an outsider; 403 for a member who neither owns the risk nor plans."""
    require(user, Action.VIEW, risk.organisation_id)
    if not can_review_risk(user, risk):
        raise PermissionDenied(
            "You can review only the risks you own; a planner can review any risk."
        )


def require_objective_update(user, objective) -> None:
    require(user, Action.VIEW, objective.plan.organisation_id)
    if not can_update_objective(user, objective):
        raise PermissionDenied("You can update only the items you lead or that your units own.")


def require_correction(user, *, organisation_id: int, author_id: int | None, objective=None):
    """404 for an outsider; 403 unless can_correct()."""
    require(user, Action.VIEW, organisation_id)
    if not can_correct(
        user, organisation_id=organisation_id, author_id=author_id, objective=objective
    ):
        raise PermissionDenied(
            "You can correct or withdraw only what you entered yourself; a planner can correct "
            "anybody's."
        )


# ---------------------------------------------------------------------------------------------
# The partner rule
# ---------------------------------------------------------------------------------------------
#
# A member of an organisation that funds a provider under a ClientRelationship (a partner, or
# another client) sees that provider's income lines whose funder is their own organisation, and
# nothing else of the provider's. A member of the provider sees every funder's view. Anybody
# else gets 404, so the URL confirms nothing. Being a funder's member is about memberships: the
# superuser rule does not make a superuser a member of every funder (they see the provider's
# view, as its administrator, instead).


def funder_relationships(user) -> QuerySet[ClientRelationship]:
    """The relationships in which the user is a member of the client (funder) who may view."""
    return ClientRelationship.objects.filter(client__in=_member_organisation_ids(user, Action.VIEW))


def funders_user_represents(user, provider: Organisation) -> list[Organisation]:
    """The provider's partners and clients in which the user holds a membership that may view."""
    relationships = funder_relationships(user).filter(provider=provider).select_related("client")
    return [r.client for r in relationships.order_by("kind", "order")]


def partner_funders(user, provider: Organisation, *, requested_slug: str = "") -> tuple[bool, list]:
    """(is the user a member of the provider, the funders whose view they may see).

    Raises Http404 unless the user is a member of the provider or of one of its funders, or if
    they ask (`requested_slug`) for a funder whose view they may not see.
    """
    if has_permission(user, Action.VIEW, provider.pk):
        clients = [
            r.client
            for r in ClientRelationship.objects.filter(provider=provider)
            .select_related("client")
            .order_by("kind", "order")
        ]
        if requested_slug:
            clients = [c for c in clients if c.slug == requested_slug]
            if not clients:
                raise Http404("No such partner.")
        return True, clients
    funders = funders_user_represents(user, provider)
    if requested_slug:
        funders = [f for f in funders if f.slug == requested_slug]
    if not funders:
        raise Http404("No such record.")
    return False, funders


# ---------------------------------------------------------------------------------------------
# Delivery items (delivery/, issue 15 hierarchy): progress as for objectives
# ---------------------------------------------------------------------------------------------
#
# A contributor updates the delivery items they lead: as the SRO or a lead person (a Person
# they sign in as) or through a lead role they hold; planners and administrators update any.
# Duck-typed: planning imports no sibling app. Expects `sro_person`, `lead_people` and
# `lead_roles` selected/prefetched where called in a loop.


def leads_delivery_item(user, item) -> bool:
    if not user.is_authenticated:
        return False
    if item.sro_person is not None and item.sro_person.user_id == user.pk:
        return True
    if any(person.user_id == user.pk for person in item.lead_people.all()):
        return True
    return bool(user_role_ids(user) & {role.pk for role in item.lead_roles.all()})


def can_update_delivery_item(user, item) -> bool:
    role = role_in(user, item.plan.organisation_id)
    if role is None or Action.UPDATE_PROGRESS not in ROLE_ACTIONS[role]:
        return False
    if role == R.CONTRIBUTOR:
        return leads_delivery_item(user, item)
    return True


def require_delivery_item_update(user, item) -> None:
    """404 for an outsider; 403 for a member who may not update this item's progress."""
    require(user, Action.VIEW, item.plan.organisation_id)
    if not can_update_delivery_item(user, item):
        raise PermissionDenied(
            "You can update only the items you lead (as SRO, lead or through a lead role); a "
            "planner can update any."
        )
