"""The Django layer of the notices: read the records the rules need, in a fixed number of
queries for each kind of notice whatever the number of people, items and KPIs.

Each reader returns the plain facts of notices.rules (Item, Kpi) or small dataclasses; nothing
here decides who is told what.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from kpis import periods
from kpis.models import KPI, Measurement
from notices import rules
from notices.models import NoticePreference, NoticeSettings
from objectives.models import Objective, ProgressStatus, ProgressUpdate
from planning import partnerships, reporting_window
from planning.fy import Quarter, fy_start_year
from planning.models import Membership, Person, Plan, PlanStatus
from planning.permissions import ROLE_ACTIONS, Action

CLOSED = frozenset(ProgressStatus.closed_values())
UPDATERS = frozenset(
    role for role, actions in ROLE_ACTIONS.items() if Action.UPDATE_PROGRESS in actions
)


@dataclass
class PlanContext:
    """A plan that may send notices today, with its reporting calendar and settings."""

    plan: Plan
    calendar: reporting_window.Calendar
    reminder_days: list[int]
    weekly_day: int

    def deadline_of(self, quarter: Quarter) -> dt.date | None:
        if self.calendar.is_reopened(quarter):
            return None
        return self.calendar.deadline(quarter)

    def covers(self, quarter: Quarter) -> bool:
        return self.plan.start_year <= quarter.year <= self.plan.end_year


def plans_for(today: dt.date, *, plan_ids=None) -> list[PlanContext]:
    """Plans that send notices around `today`: not superseded, not switched off, and covering
    this financial year or the last. Two queries (the plans with their settings; reopenings)."""
    year = fy_start_year(today)
    queryset = (
        Plan.objects.exclude(status=PlanStatus.SUPERSEDED)
        .filter(start_year__lte=year, end_year__gte=year - 1)
        .exclude(notice_settings__enabled=False)
        .select_related("organisation", "notice_settings")
        .order_by("pk")
    )
    if plan_ids is not None:
        queryset = queryset.filter(pk__in=plan_ids)
    plans = list(queryset)
    calendars = reporting_window.for_plans(plans)
    contexts = []
    for plan in plans:
        settings = getattr(plan, "notice_settings", None) or NoticeSettings(plan=plan)
        try:
            days = rules.parse_reminder_days(settings.reminder_days)
        except ValueError:
            days = rules.parse_reminder_days(
                NoticeSettings._meta.get_field("reminder_days").default
            )
        contexts.append(PlanContext(plan, calendars[plan.pk], days, settings.weekly_day))
    return contexts


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    name: str
    reminders: bool = True
    digests: bool = True
    board_packs: bool = True

    def wants(self, preference: str) -> bool:
        return getattr(self, preference)


@dataclass
class Directory:
    """The active members of some organisations: who they are, their roles, and who leads what
    (their units, and the plan roles held by the people records linked to them)."""

    people: dict[int, Recipient] = field(default_factory=dict)
    role_in: dict[tuple[int, int], str] = field(default_factory=dict)  # (user, org) -> role
    unit_members: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    role_holders: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def updaters(self, user_ids, organisation_id: int) -> frozenset[int]:
        """Those of `user_ids` who may update progress in the organisation (viewers may not)."""
        return frozenset(u for u in user_ids if self.role_in.get((u, organisation_id)) in UPDATERS)

    def leads(self, organisation_id: int, unit_id: int | None, role_ids) -> frozenset[int]:
        """planning.permissions.leads, for every person at once."""
        users = set(self.unit_members.get(unit_id, ())) if unit_id else set()
        for role_id in role_ids:
            users |= self.role_holders.get(role_id, set())
        return self.updaters(users, organisation_id)

    def with_role(self, organisation_id: int, role: str) -> list[Recipient]:
        return [
            self.people[u]
            for (u, org), r in self.role_in.items()
            if org == organisation_id and r == role and u in self.people
        ]


def directory(organisation_ids) -> Directory:
    """Four queries: memberships with their users, their units, role holders, preferences.
    Deactivated users and users without an e-mail address are left out: they get nothing."""
    organisation_ids = list(organisation_ids)
    found = Directory()
    # A membership an administrator deactivated (people app) counts as none; so does a role in
    # a partnership held by someone of none of its member organisations (the partnership rule,
    # planning.partnerships.honoured, as the permission checks read it).
    members = Membership.objects.filter(
        partnerships.honoured_memberships(),
        organisation_id__in=organisation_ids,
        is_active=True,
        user__is_active=True,
    ).exclude(user__email="")
    users = {}
    for user_id, org_id, role, email, first, last, username in members.values_list(
        "user_id",
        "organisation_id",
        "role",
        "user__email",
        "user__first_name",
        "user__last_name",
        "user__username",
    ):
        found.role_in[(user_id, org_id)] = role
        users[user_id] = (email, f"{first} {last}".strip() or username)
    for user_id, unit_id in Membership.org_units.through.objects.filter(
        membership__in=members
    ).values_list("membership__user_id", "orgunit_id"):
        found.unit_members[unit_id].add(user_id)
    for role_id, user_id in Person.roles.through.objects.filter(
        role__organisation_id__in=organisation_ids,
        person__user__is_active=True,
    ).values_list("role_id", "person__user_id"):
        if user_id is not None and user_id in users:  # active members only
            found.role_holders[role_id].add(user_id)
    preferences = {
        p.user_id: p for p in NoticePreference.objects.filter(user_id__in=members.values("user_id"))
    }
    for user_id, (email, name) in users.items():
        preference = preferences.get(user_id)
        found.people[user_id] = Recipient(
            user_id,
            email,
            name,
            reminders=preference.reminders if preference else True,
            digests=preference.digests if preference else True,
            board_packs=preference.board_packs if preference else True,
        )
    return found


# ---------------------------------------------------------------------------------------------
# Items and KPIs
# ---------------------------------------------------------------------------------------------


def _path_maker(name: str):
    """reverse() once, then format: 20,000 links cost no more than one."""
    marker = 987654321
    pattern = reverse(name, args=[marker]).replace(str(marker), "{}")
    return pattern.format


def item_facts(
    contexts: list[PlanContext], quarter_of: dict[int, Quarter], people: Directory
) -> list[rules.Item]:
    """Every item of the plans, with whether it has a current update for its plan's quarter
    (`quarter_of`, by plan id) and who leads it. Four queries."""
    plans = {c.plan.pk: c.plan for c in contexts}
    if not plans:
        return []
    rows = list(
        Objective.objects.filter(plan_id__in=plans)
        .order_by("plan_id", "order", "pk")
        .values(
            "pk",
            "plan_id",
            "reference",
            "text",
            "due_date",
            "status",
            "rag",
            "org_unit_id",
            "org_unit__name",
        )
    )
    roles: dict[int, set[int]] = defaultdict(set)
    for through in (Objective.lead_roles.through, Objective.sro_roles.through):
        for objective_id, role_id in through.objects.filter(
            objective__plan_id__in=plans
        ).values_list("objective_id", "role_id"):
            roles[objective_id].add(role_id)
    by_quarter: dict[Quarter, list[int]] = defaultdict(list)
    for plan_id, quarter in quarter_of.items():
        by_quarter[quarter].append(plan_id)
    condition = Q()
    for quarter, plan_ids in by_quarter.items():
        condition |= Q(
            objective__plan_id__in=plan_ids,
            financial_year=quarter.year,
            quarter=quarter.number,
        )
    updated = (
        set(ProgressUpdate.objects.filter(condition).values_list("objective_id", flat=True))
        if by_quarter
        else set()
    )
    path = _path_maker("objectives:detail")
    facts = []
    for row in rows:
        plan = plans[row["plan_id"]]
        text = row["text"] if len(row["text"]) <= 100 else row["text"][:97] + "…"
        facts.append(
            rules.Item(
                id=row["pk"],
                plan_id=row["plan_id"],
                label=f"{row['reference']} {text}" if row["reference"] else text,
                path=path(row["pk"]),
                department=row["org_unit__name"] or "",
                due_date=row["due_date"],
                closed=row["status"] in CLOSED,
                rag=row["rag"],
                updated=row["pk"] in updated,
                leads=people.leads(plan.organisation_id, row["org_unit_id"], roles[row["pk"]]),
            )
        )
    return facts


def kpi_facts(
    contexts: list[PlanContext], quarter_of: dict[int, Quarter], people: Directory
) -> list[rules.Kpi]:
    """The plans' KPIs (not those still in development) with the periods of their plan's
    quarter that have no value, and their owners. Two queries."""
    plans = {c.plan.pk: c.plan for c in contexts if c.plan.pk in quarter_of}
    if not plans:
        return []
    kpis = list(
        KPI.objects.filter(plan_id__in=plans, in_development=False)
        .order_by("plan_id", "perspective", "code")
        .values("pk", "plan_id", "code", "name", "frequency", "owner_role_id")
    )
    earliest = min(q.year for q in quarter_of.values()) - 1
    latest = max(q.end for q in quarter_of.values())
    have = set(
        Measurement.objects.filter(
            kpi__plan_id__in=plans,
            period_start__gte=dt.date(earliest, 4, 1),
            period_start__lte=latest,
        ).values_list("kpi_id", "period_start")
    )
    path = _path_maker("kpis:detail")
    facts = []
    for row in kpis:
        plan = plans[row["plan_id"]]
        quarter = quarter_of[row["plan_id"]]
        missing = tuple(
            periods.label(start, row["frequency"])
            for start in periods.due_in_quarter(row["frequency"], quarter)
            if (row["pk"], start) not in have
        )
        owners = (
            people.updaters(people.role_holders.get(row["owner_role_id"], ()), plan.organisation_id)
            if row["owner_role_id"]
            else frozenset()
        )
        facts.append(
            rules.Kpi(
                id=row["pk"],
                plan_id=row["plan_id"],
                label=f"{row['code']} {row['name']}",
                path=path(row["pk"]),
                missing=missing,
                owners=owners,
            )
        )
    return facts
