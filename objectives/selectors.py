"""Reads that assemble what a page shows, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404

from kpis import lineage, periods
from kpis.models import KPI, Measurement
from objectives.filters import visible_organisations
from objectives.models import Milestone, Objective, ProgressUpdate
from objectives.services import update_refusal
from planning import page_cache, permissions, reporting_window
from planning.audit import object_changes
from planning.fy import Quarter
from planning.models import Programme
from planning.permissions import Action
from planning.rag import RAG


@dataclass
class MyWork:
    quarter: Quarter
    overdue: list[Objective] = field(default_factory=list)
    due_this_quarter: list[Objective] = field(default_factory=list)
    no_update_this_quarter: list[Objective] = field(default_factory=list)
    rest: list[Objective] = field(default_factory=list)
    rag_counts: list[tuple[str, str, int]] = field(default_factory=list)
    overdue_milestones: list[Milestone] = field(default_factory=list)
    # Per plan of the person's items: the quarters open for reporting and the day each locks
    # (planning.reporting_window; None: reopened until a planner locks it again).
    reporting: list[tuple[object, list]] = field(default_factory=list)
    # Per plan: the quarter whose reporting deadline comes next, that deadline, and what the
    # person still has to update for it (issue 16: the same rule as the e-mailed reminders).
    deadlines: list[Deadline] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            len(self.overdue)
            + len(self.due_this_quarter)
            + len(self.no_update_this_quarter)
            + len(self.rest)
        )

    @property
    def groups(self) -> list[WorkGroup]:
        """The four groups in order, each with words for when it is empty that are true of this
        person's items (an item sits in the first group that fits it)."""
        updated = [o for o in self.rest if not o.is_closed]
        if updated:
            count = len(updated)
            subject = (
                "The other open item has" if count == 1 else f"The other {count} open items have"
            )
            no_update = f"{subject} an update for {self.quarter}."
        else:
            no_update = "No other open items."
        return [
            WorkGroup("overdue", "Overdue", self.overdue, "Nothing is overdue."),
            WorkGroup("due", "Due this quarter", self.due_this_quarter, "Nothing else falls due."),
            WorkGroup(
                "no-update", "No update this quarter", self.no_update_this_quarter, no_update
            ),
            WorkGroup("rest", "Everything else", self.rest, "No other items."),
        ]


@dataclass
class Deadline:
    plan: object
    quarter: Quarter
    deadline: dt.date
    items: list[Objective] = field(default_factory=list)
    kpis: list = field(default_factory=list)  # KPIs with `missing`: period labels without a value

    @property
    def to_do(self) -> int:
        return len(self.items) + len(self.kpis)


@dataclass(frozen=True)
class WorkGroup:
    id: str
    heading: str
    items: list[Objective]
    empty: str


def objectives_led_by(user):
    """Items the user leads (through a role they hold) or that sit in their org units."""
    unit_ids = [
        unit_id
        for membership in permissions.memberships(user).values()
        for unit_id in membership.unit_ids
    ]
    role_ids = permissions.user_role_ids(user)
    led = Objective.objects.filter(
        Q(org_unit__in=unit_ids) | Q(lead_roles__in=role_ids) | Q(sro_roles__in=role_ids)
    )
    # for_user's rule, with the organisations as ids from the memberships the page has read
    # (objectives.filters.visible_organisations): quicker to compile than the permission subquery.
    return (
        Objective.objects.in_organisations(visible_organisations(user))
        .filter(pk__in=led.values("pk"))
        # What My work reads of each item: its plan and latest update (not with_related()'s
        # ten joins and KPIs, which cost more to build than the rows).
        .select_related("plan", "plan__organisation", "latest_update")
        .order_by("due_date", "plan", "order")
    )


def my_work(user, *, today: dt.date | None = None) -> MyWork:
    today = today or dt.date.today()
    quarter = Quarter.containing(today)
    work = MyWork(quarter=quarter)
    counts: Counter[str] = Counter()
    plans = {}
    led = list(objectives_led_by(user))
    for objective in led:
        plans.setdefault(objective.plan_id, objective.plan)
        counts[RAG.reading(objective.rag, complete=objective.is_complete)] += 1
        update = objective.latest_update
        reported_this_quarter = update is not None and (
            update.financial_year,
            update.quarter,
        ) == (quarter.year, quarter.number)
        if objective.is_overdue(today):
            work.overdue.append(objective)
        elif objective.due_date and quarter.start <= objective.due_date <= quarter.end:
            work.due_this_quarter.append(objective)
        elif not reported_this_quarter and not objective.is_closed:
            work.no_update_this_quarter.append(objective)
        else:
            work.rest.append(objective)
    work.rag_counts = [
        (value, label, counts[value]) for value, label in RAG.choices_with_not_rated()
    ]
    work.overdue_milestones = overdue_milestones(user, today=today, objectives=led)
    owned_kpis = kpis_owned_by(user)
    led_plans = list(plans.values())
    for kpi in owned_kpis:
        plans.setdefault(kpi.plan_id, kpi.plan)
    calendars = reporting_window.for_plans(plans.values())
    work.reporting = [(plan, calendars[plan.pk].open_quarters(today)) for plan in led_plans]
    work.deadlines = _deadlines(
        plans,
        calendars,
        today,
        [*work.overdue, *work.due_this_quarter, *work.no_update_this_quarter, *work.rest],
        owned_kpis,
    )
    return work


def kpis_owned_by(user) -> list[KPI]:
    """The KPIs (not in development) whose owner role the user holds. One query."""
    role_ids = permissions.user_role_ids(user)
    if not role_ids:
        return []
    return list(
        KPI.objects.filter(plan__organisation__in=visible_organisations(user))  # for_user's rule
        .filter(owner_role__in=role_ids, in_development=False)
        .select_related("plan", "plan__organisation")
        .order_by("plan", "perspective", "code")
    )


def _deadlines(plans, calendars, today, objectives, kpis) -> list[Deadline]:
    """For each plan: the quarter whose deadline comes next, and the person's open items
    without an update for it and KPIs without its values. Two queries, whatever the plans."""
    quarter_of = {pk: calendars[pk].reporting_quarter(today) for pk in plans}
    condition = Q(pk__in=[])
    for pk, quarter in quarter_of.items():
        condition |= Q(objective__plan_id=pk, financial_year=quarter.year, quarter=quarter.number)
    open_items = [o for o in objectives if not o.is_closed]
    updated = (
        set(
            ProgressUpdate.objects.filter(objective__in=[o.pk for o in open_items])
            .filter(condition)
            .values_list("objective_id", flat=True)
        )
        if open_items
        else set()
    )
    wanted = {
        kpi.pk: periods.due_in_quarter(kpi.frequency, quarter_of[kpi.plan_id]) for kpi in kpis
    }
    have = (
        set(
            Measurement.objects.filter(
                kpi__in=[kpi.pk for kpi in kpis],
                period_start__in={start for starts in wanted.values() for start in starts},
            ).values_list("kpi_id", "period_start")
        )
        if kpis
        else set()
    )
    by_plan = {
        pk: Deadline(plan, quarter_of[pk], calendars[pk].deadline(quarter_of[pk]))
        for pk, plan in plans.items()
    }
    for objective in sorted(open_items, key=lambda o: (o.plan_id, o.order)):
        if objective.pk not in updated:
            by_plan[objective.plan_id].items.append(objective)
    for kpi in kpis:
        kpi.missing = [
            periods.label(start, kpi.frequency)
            for start in wanted[kpi.pk]
            if (kpi.pk, start) not in have
        ]
        if kpi.missing:
            by_plan[kpi.plan_id].kpis.append(kpi)
    return list(by_plan.values())


def overdue_milestones(user, *, today: dt.date, objectives: list[Objective] | None = None):
    """Milestones of the user's items that are past their due date and not complete. One query.
    `objectives`: the user's items (objectives_led_by) when the caller has read them already,
    so that their query is not built and run a second time as a subquery."""
    led = (
        [o.pk for o in objectives]
        if objectives is not None
        else objectives_led_by(user).order_by().values("pk")
    )
    return list(
        Milestone.objects.filter(
            objective__in=led,
            completed_on__isnull=True,
            due_date__lt=today,
        )
        .select_related("objective", "objective__plan")
        .order_by("due_date", "objective__order", "order")
    )


def update_history(
    user,
    objective: Objective,
    today: dt.date,
    calendar: reporting_window.Calendar | None = None,
) -> list[ProgressUpdate]:
    """The item's updates, newest first, current or not (from objective_for_page's prefetch),
    each with `may_correct` (the user may correct or withdraw it now) and, for a correction,
    `corrects_update` (the update it replaced). No query beyond the page's, given the plan's
    reporting calendar; one without it."""
    updates = list(objective.updates.all())
    by_correction = {u.correction_id: u for u in updates if u.correction_id}
    calendar = calendar or reporting_window.for_plan(objective.plan)
    for update in updates:
        update.corrects_update = by_correction.get(update.pk)
        open_ = update_refusal(update, today, calendar) is None
        update.may_correct = open_ and permissions.can_correct(
            user,
            organisation_id=objective.plan.organisation_id,
            author_id=update.created_by_id,
            objective=objective,
        )
    return updates


def history_mark(objective: Objective) -> tuple[int, int | None]:
    """How many history records the item has and the last one's id: a record added (even by a
    save that changed nothing) or removed changes it. One aggregate query."""
    mark = objective.history.order_by().aggregate(records=Count("pk"), last=Max("pk"))
    return mark["records"], mark["last"]


def audit_trail(objective: Objective) -> list[dict]:
    """The item's audit trail as its page shows it: every change, newest first."""
    return object_changes(objective.history.select_related("history_user").order_by("pk"))


def objective_for_page(user, pk: int, *, pages: page_cache.PageCache | None = None) -> Objective:
    """One item as its page draws it for each reader, or 404 if the user's organisations lack
    it.

    Most items have none of some relations (roles, KPIs, competencies, gaps): the item's own
    query says which it has (an EXISTS each, on the link tables), and an empty one is filled
    without a query. Every query a page costs is a round trip and a plan, which a quiet server
    spends more time on than on the rows (issue 17). `has_reopened_quarter`: for
    reporting_window.for_plan(…, any_reopened=).

    Only what the page draws for each reader: its updates, milestones and roles (who may
    update it). The rest, which the page keeps in the cache under the content version
    (objectives.views), is read by with_details() only when that copy is missing.

    The item as read here is the same for every reader: it is kept under the content version
    (planning.page_cache; `pages`, the page's own, reads that version once), so between two
    changes the page reads none of it again; who may see it is checked on every request."""
    pages = pages or page_cache.PageCache()
    objective = pages.value("item", pk, compute=lambda: _item_for_page(pk))
    if not permissions.has_permission(user, Action.VIEW, objective.plan.organisation_id):
        raise Http404("No such record.")  # another organisation's, as if it did not exist
    return objective


def _item_for_page(pk: int) -> Objective:
    """objective_for_page's item, read from the database (404 if there is none)."""
    objective = get_object_or_404(_item_query(), pk=pk)
    _prefetch_links(objective, _READER_LINKS, [Prefetch("updates", _updates_query().all())])
    return objective


def with_details(objective: Objective) -> Objective:
    """The item's links its page shows the same to every reader (its goal, priority, KPIs,
    competencies, gaps), added to an item from objective_for_page. Once."""
    if getattr(objective, "_waymark_details", False):
        return objective
    _select_rare_relations(objective)
    # Which of these links the item has: read only now (the item's own query asks only for
    # what every reader's page needs), in one query of EXISTS each.
    flags = _detail_flags().filter(pk=objective.pk).values(*map(_has, _DETAIL_LINKS)).get()
    for flag, present in flags.items():
        setattr(objective, flag, present)
    _prefetch_links(objective, _DETAIL_LINKS, [])
    objective._waymark_details = True
    return objective


def _prefetch_links(objective: Objective, names, lookups: list) -> None:
    """Prefetch each of ``names`` the item has (by its EXISTS flag); fill the others empty."""
    for name in names:
        if getattr(objective, _has(name)):
            lookups.append(Prefetch(name, _linked_kpis().all()) if name == "kpis" else name)
        elif name != "programme__competencies":
            _known_empty(objective, name)
        elif objective.programme is not None:
            _known_empty(objective.programme, "competencies")
    if lookups:
        prefetch_related_objects([objective], *lookups)


@functools.cache
def _updates_query():
    """The item's updates as its page shows them, newest first, current or not."""
    return ProgressUpdate.all_objects.select_related("created_by", "state_changed_by").order_by(
        "-created_at", "-pk"
    )


@functools.cache
def _linked_kpis():
    """The item's KPIs as its page shows them: with targets and latest value and period."""
    latest = lineage.history_of_outer_kpi()  # a carried KPI's latest may be last year's
    return (
        KPI.objects.with_targets()
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_period=Subquery(latest.values("period_start")[:1]),
        )
        .order_by("code")
    )


def _known_empty(instance, name: str) -> None:
    """Cache an empty result for the relation, as prefetch_related_objects would after a query
    that found nothing, without one: reading it on the page costs nothing."""
    manager = getattr(instance, name)
    cache_name = getattr(manager, "prefetch_cache_name", None)
    if cache_name is None:  # a reverse foreign key's manager (milestones)
        cache_name = manager.field.remote_field.cache_name
    empty = manager.model._default_manager.none()
    empty._result_cache = []
    empty._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = empty


# The relations an item may lack, each with a superset of the rows the page shows of it (the
# link tables): an EXISTS each, read with the item (objective_for_page).
_LINKS = {
    "milestones": lambda here: Milestone.objects.filter(objective=here),
    "lead_roles": lambda here: Objective.lead_roles.through.objects.filter(objective=here),
    "sro_roles": lambda here: Objective.sro_roles.through.objects.filter(objective=here),
    "kpis": lambda here: Objective.kpis.through.objects.filter(objective=here),
    "competencies": lambda here: Objective.competencies.through.objects.filter(objective=here),
    "gap_dimensions": lambda here: Objective.gap_dimensions.through.objects.filter(objective=here),
    "programme__competencies": lambda here: Programme.competencies.through.objects.filter(
        programme=OuterRef("programme")
    ),
}
# Drawn for each reader: milestones (with their forms), and the roles that decide who leads the
# item. The rest only into the page's cached copy (with_details).
_READER_LINKS = ("milestones", "lead_roles", "sro_roles")
_DETAIL_LINKS = tuple(name for name in _LINKS if name not in _READER_LINKS)


@functools.cache
def _item_query():
    """The query of objective_for_page's item, less its pk: built once per process (never
    evaluated itself, each request filters a copy). Its EXISTS annotations, resolved on every
    request, cost more than the query takes to run: only the links every reader's page draws
    (the others: with_details, when the page's cached copy is missing)."""
    here = OuterRef("pk")
    flags = {_has(name): Exists(_LINKS[name](here)) for name in _READER_LINKS}
    # The page's reporting calendar needs no query of its own when nothing is reopened.
    flags["has_reopened_quarter"] = reporting_window.reopened_exists()
    return (
        # Who may see it is checked on the row, against the memberships every page reads
        # anyway: the same rule as Objective.objects.for_user without its subqueries to compile
        # and plan (planning.permissions keeps the two readings in agreement).
        Objective.objects
        # Only what the page shows: each join more costs PostgreSQL more to plan than to run
        # (with_related's thirteen tables took ~45 ms to plan under load, 0.5 ms to execute).
        # Each optional relation (a LEFT JOIN) doubles the orders the planner weighs: with all
        # seven the row took 7-15 ms to plan and 0.5 ms to run, with two 0.3 ms. The commonest
        # two are joined here; the rest by _select_rare_relations, only when the row has them.
        .select_related("plan__organisation", "org_unit", "programme").annotate(**flags)
    )


# The item's rarer links (docs/decisions/objective-page-speed.md): name, and its own relations.
_RARE = {
    "goal": (),
    "strategic_priority": (),
    "strategic_objective": (),
    "carried_from": ("carried_from__plan",),  # a carried item links to last year's
}


def _select_rare_relations(objective: Objective) -> None:
    """Fill the item's rarer links it has (goal, strategic priority and objective, the item
    it was carried from) by one query joining just those; none when it has none of them."""
    present = [name for name in _RARE if getattr(objective, f"{name}_id") is not None]
    if not present:
        return
    paths = [path for name in present for path in (_RARE[name] or (name,))]
    other = Objective.objects.select_related(*paths).get(pk=objective.pk)
    for name in present:
        setattr(objective, name, getattr(other, name))


@functools.cache
def _detail_flags():
    """with_details()'s query: does the item have each of the links only its cached copy
    shows. Built once per process."""
    here = OuterRef("pk")
    return Objective.objects.annotate(
        **{_has(name): Exists(_LINKS[name](here)) for name in _DETAIL_LINKS}
    ).order_by()


def _has(name: str) -> str:
    return f"has_{name.replace('__', '_')}"
