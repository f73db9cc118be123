"""Reads for the people pages, each in a fixed number of queries whatever the size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q

from objectives.models import Objective, ProgressUpdate
from people import chasing
from people.models import Invitation
from planning import fy, reporting_window
from planning.fy import Quarter
from planning.models import Membership, Organisation, Person, Plan, PlanStatus


def members(organisation: Organisation, *, homes: bool = False):
    """The organisation's memberships, active or not, with what the people table shows; with
    `homes` (a partnership with member organisations), each person's home organisations too
    (`user.home_memberships`: their active memberships of its members, one query more)."""
    queryset = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .prefetch_related(
            "org_units",
            Prefetch(
                "user__people",
                queryset=Person.objects.filter(organisation=organisation).prefetch_related("roles"),
                to_attr="linked_people",
            ),
        )
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    if homes:
        queryset = queryset.prefetch_related(
            Prefetch(
                "user__memberships",
                queryset=Membership.objects.filter(
                    is_active=True,
                    organisation__partnership_links__partnership=organisation,
                )
                .select_related("organisation")
                .order_by("organisation__name"),
                to_attr="home_memberships",
            )
        )
    return queryset


def pending_invitations(organisation: Organisation, now):
    return (
        Invitation.objects.pending(now)
        .filter(organisation=organisation)
        .select_related("invited_by")
        .prefetch_related("org_units")
        .order_by("-created_at")
    )


@dataclass
class PlanQuarter:
    plan: Plan
    quarter: Quarter
    deadline: dt.date | None  # None: reopened until a planner locks it again


@dataclass
class ChaseRow:
    membership: Membership
    items: list[Objective]


@dataclass
class ChaseReport:
    plans: list[PlanQuarter] = field(default_factory=list)
    rows: list[ChaseRow] = field(default_factory=list)
    unanswered: list[Objective] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len({o.pk for row in self.rows for o in row.items} | {o.pk for o in self.unanswered})


def _reporting_plans(organisation: Organisation, today: dt.date) -> list[PlanQuarter]:
    """The organisation's plans being reported on now, each with its reporting quarter. Two
    queries (the plans, their reopened quarters)."""
    year = fy.fy_start_year(today)
    plans = list(
        Plan.objects.filter(organisation=organisation)
        .exclude(status=PlanStatus.SUPERSEDED)
        .filter(
            Q(start_year__lte=year, end_year__gte=year - 1)
            | Q(
                quarter_reopenings__pk__isnull=False,
                quarter_reopenings__relocked_at__isnull=True,
            )
        )
        .distinct()
        .order_by("-start_year", "title")
    )
    calendars = reporting_window.for_plans(plans)
    found = []
    for plan in plans:
        picked = chasing.reporting_quarter(
            calendars[plan.pk].open_quarters(today),
            first_year=plan.start_year,
            last_year=plan.end_year,
        )
        if picked is not None:
            found.append(PlanQuarter(plan, *picked))
    return found


def not_updated(organisation: Organisation, today: dt.date) -> ChaseReport:
    """Who has not updated for the quarter being reported (people.chasing), and the items. A
    fixed number of queries: plans and calendars, items with their roles, members with their
    units and the roles of their linked plan records."""
    report = ChaseReport(plans=_reporting_plans(organisation, today))
    if not report.plans:
        return report
    reported = Q()
    for entry in report.plans:
        reported |= Q(
            objective__plan=entry.plan,
            financial_year=entry.quarter.year,
            quarter=entry.quarter.number,
        )
    has_update = ProgressUpdate.objects.filter(reported, objective=OuterRef("pk"))
    objectives = list(
        Objective.objects.open()
        .filter(plan__in=[entry.plan for entry in report.plans])
        .annotate(reported=Exists(has_update))
        .filter(reported=False)
        .select_related("plan")
        .prefetch_related("lead_roles", "sro_roles")
        .order_by("plan", "order")
    )
    by_pk = {o.pk: o for o in objectives}
    items = [
        chasing.Item(
            pk=o.pk,
            label=str(o),
            plan_id=o.plan_id,
            org_unit_id=o.org_unit_id,
            role_ids=frozenset(r.pk for r in [*o.lead_roles.all(), *o.sro_roles.all()]),
        )
        for o in objectives
    ]
    memberships = list(
        Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("user")
        .prefetch_related("org_units")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    roles_by_user: dict[int, set[int]] = defaultdict(set)
    for person in Person.objects.filter(
        organisation=organisation, user__isnull=False
    ).prefetch_related("roles"):
        roles_by_user[person.user_id].update(role.pk for role in person.roles.all())
    found = chasing.chase(
        [
            chasing.Member(
                membership_id=m.pk,
                unit_ids=frozenset(u.pk for u in m.org_units.all()),
                role_ids=frozenset(roles_by_user[m.user_id]),
            )
            for m in memberships
        ],
        items,
    )
    report.rows = [
        ChaseRow(m, [by_pk[item.pk] for item in found.by_member[m.pk]])
        for m in memberships
        if m.pk in found.by_member
    ]
    report.unanswered = [by_pk[item.pk] for item in found.unanswered]
    return report
