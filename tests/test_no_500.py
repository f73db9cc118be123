"""No input reaches a 500: every form of the project, driven through its real view with
generated values, answers 2xx, 3xx or 4xx, and an answer that refuses writes nothing.

How it works. Each `Case` names a page and the user who opens it. The test signs in, GETs the
page and reads its form out of the HTML (the values a browser would send back, version and
management fields included), then Hypothesis tampers with a few of those fields — or adds a few
the page did not offer — using hostile values (huge and negative integers, NaN, NUL and other
control characters, long and odd Unicode text, impossible dates, another organisation's ids) and
sends the form to the view. Each example runs in a transaction rolled back afterwards, so the
examples are independent and the run is deterministic (derandomized, no example database).

Adding a form: add one `Case` to `CASES` (and, if it needs a record, build it in `World`).

Also here: every form class of the project mixes in planning.validation.CheckedInputs, and its
decimal fields state max_digits and decimal_places (TestEveryFormIsChecked).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets.models import ExpenditureLine, IncomeLine, SavingsScheme, ServiceLine
from notices import links
from planning.fy import Quarter
from planning.lifecycle import start_refresh
from planning.models import ClientRelationship, PlanSection
from planning.validation import CheckedInputs
from planning.versions import freeze
from tests.delivery.factories_links import add_links_no_500_records
from tests.factories import (
    ControlFactory,
    GoalFactory,
    KPIFactory,
    MeasurementFactory,
    MembershipFactory,
    MilestoneFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    PlanFactory,
    ProgrammeFactory,
    ProgressUpdateFactory,
    RiskCategoryFactory,
    RiskFactory,
    RoleFactory,
    StrategicPriorityFactory,
    SwotItemFactory,
    UserFactory,
    invitation_with_token,
    reopen_reported_quarters,
)
from tests.frameworks.factories import add_no_500_records
from tests.partnerships.factories import build_partnership_world
from tests.workbook.handmade import workbook_bytes as handmade_workbook
from workbook.models import PendingImport

PROJECT_APPS = (
    "planning",
    "people",
    "kpis",
    "objectives",
    "budgets",
    "swot",
    "notices",
    "frameworks",
    "assurance",
    "delivery",
    "reporting",
    "workbook",
    "demo",
)

# ---------------------------------------------------------------------------------------------
# The records the forms work on: one organisation's plan with something of everything, and
# another organisation's, whose ids are fair game for tampering.
# ---------------------------------------------------------------------------------------------


class World:
    def __init__(self):
        self.organisation = OrganisationFactory()
        self.plan = PlanFactory(organisation=self.organisation)
        # Its 2006/07 quarters locked long ago (planning.reporting_window): reopened, so that
        # the untouched progress-update form (a 2006/07 quarter) saves.
        reopen_reported_quarters(self.plan)
        self.planner = UserFactory()
        MembershipFactory(user=self.planner, organisation=self.organisation, role="planner")
        self.contributor = UserFactory()
        MembershipFactory(user=self.contributor, organisation=self.organisation, role="contributor")
        self.admin = UserFactory()
        MembershipFactory(user=self.admin, organisation=self.organisation, role="admin")
        # Plans waiting for an administrator's step (approve or send back; ratify).
        self.submitted_plan = PlanFactory(organisation=self.organisation, status="submitted")
        self.approved_plan = PlanFactory(organisation=self.organisation, status="approved")
        self.department = OrgUnitFactory(organisation=self.organisation)
        self.role = RoleFactory(organisation=self.organisation)
        self.goal = GoalFactory(plan=self.plan)
        self.programme = ProgrammeFactory(plan=self.plan)
        self.objective = ObjectiveFactory(plan=self.plan, goal=self.goal)
        self.deletable = ObjectiveFactory(plan=self.plan)  # nothing reports on it
        self.kpi = KPIFactory(plan=self.plan, target=Decimal("90"))
        # This quarter's value: its reporting window is open, so it may be corrected.
        this_quarter = Quarter.containing(dt.date.today()).start
        self.measurement = MeasurementFactory(kpi=self.kpi, period_start=this_quarter)
        current = Quarter.containing(dt.date.today())
        self.update = ProgressUpdateFactory(
            objective=self.objective,
            created_by=self.planner,
            financial_year=current.year,
            quarter=current.number,
        )
        self.milestone = MilestoneFactory(objective=self.objective)
        # One record of each list a planner edits that the cases below change.
        self.section = PlanSection.objects.create(
            plan=self.plan, kind="background", title="Background", body="<p>Words</p>"
        )
        self.priority = StrategicPriorityFactory(plan=self.plan, number=1)
        StrategicPriorityFactory(plan=self.plan, number=2)
        self.swot_item = SwotItemFactory(plan=self.plan, quadrant="S")
        lines = [ServiceLine.objects.create(plan=self.plan, name=f"Line {n}") for n in (1, 2)]
        funder = OrganisationFactory(short_name="Funder")
        ClientRelationship.objects.create(provider=self.organisation, client=funder, kind="partner")
        for line in lines:
            IncomeLine.objects.create(
                plan=self.plan,
                financial_year=2006,
                funder=funder,
                funder_label="Funder",
                service_line=line,
                amount=Decimal("1000"),
            )
        for n in (1, 2):
            ExpenditureLine.objects.create(
                plan=self.plan,
                financial_year=2006,
                manager="Head of Estates",
                description=f"Budget line {n}",
                amount=Decimal("400"),
                order=n,
            )
        # An uploaded plan workbook waiting for the planner's confirmation (workbook/).
        self.pending = PendingImport.objects.create(
            organisation=self.organisation,
            user=self.planner,
            name="estates.xlsx",
            content=handmade_workbook(),
        )
        self.scheme = SavingsScheme.objects.create(plan=self.plan, title="Shared estates")
        self.scheme.objectives.add(self.objective)
        # The risk register (assurance): a risk with a control, and a category.
        self.risk = RiskFactory(organisation=self.organisation, plan=self.plan)
        self.risk.mitigating_actions.add(self.objective)
        self.control = ControlFactory(risk=self.risk)
        self.risk_category = RiskCategoryFactory(organisation=self.organisation)

        add_no_500_records(self)  # competency frameworks and gap analysis
        self.add_delivery_hierarchy()
        # A ratified plan with a frozen version: a refresh may start, versions compared.
        self.ratified = PlanFactory(
            organisation=self.organisation, status="ratified", version_label="2.0"
        )
        ObjectiveFactory(plan=self.ratified)
        freeze(self.ratified, by=self.planner)
        # A workbook waiting to become its next version (the administrator's: one upload per
        # user and organisation, and the planner has one waiting already).
        self.version_pending = PendingImport.objects.create(
            organisation=self.organisation,
            user=self.admin,
            plan=self.ratified,
            plan_version=self.ratified.version,
            name="estates.xlsx",
            content=handmade_workbook(),
        )
        # A refreshed plan: version 1.0 frozen, 1.1 a draft, so there are two to compare.
        refreshed = PlanFactory(
            organisation=self.organisation, status="ratified", version_label="1.0"
        )
        ObjectiveFactory(plan=refreshed)
        self.refreshed = start_refresh(
            plan=refreshed, by=self.planner, expected_version=refreshed.version
        )
        # The people pages (the administrator above): a colleague to change, a former colleague
        # to reactivate, a plan record to link, an invitation to accept.
        self.colleague = MembershipFactory(organisation=self.organisation, role="contributor")
        self.former = MembershipFactory(
            organisation=self.organisation, role="viewer", is_active=False
        )
        PersonFactory(organisation=self.organisation, name="Jan Lead").roles.add(self.role)
        _, self.invitation_token = invitation_with_token(organisation=self.organisation)
        # --- partnership access (issue 15, item 1): a partnership with two member
        # organisations, its administrator (at home in one), a member's person to give a role
        # and an organisation to add.
        pw = build_partnership_world()
        self.partnership = pw["partnership"]
        self.partnership_admin = pw["p_admin"]
        self.partnership_link = pw["links"][1]
        self.partnership_candidate = OrganisationFactory(kind="trust")
        # --- end partnership access

        other = OrganisationFactory()
        other_plan = PlanFactory(organisation=other)
        self.foreign_ids = [
            other_plan.pk,
            ObjectiveFactory(plan=other_plan).pk,
            OrgUnitFactory(organisation=other).pk,
            RoleFactory(organisation=other).pk,
            PersonFactory(organisation=other).pk,
            MembershipFactory(organisation=other).pk,
            GoalFactory(plan=other_plan).pk,
            KPIFactory(plan=other_plan).pk,
            self.delivery_foreign.pk,  # delivery hierarchy (issue 15)
        ]
        add_links_no_500_records(self)  # delivery-links (issue 15)

    def add_delivery_hierarchy(self):
        """Delivery hierarchy (issue 15): a programme with a workstream and a year figure, and
        an item nothing refers to (to delete); another plan's item, fair game for tampering."""
        from tests.delivery.factories_hierarchy import DeliveryItemFactory, YearFigureFactory

        self.delivery_programme = DeliveryItemFactory(plan=self.plan, reference="DP1")
        self.delivery_workstream = DeliveryItemFactory(parent=self.delivery_programme)
        self.delivery_deletable = DeliveryItemFactory(plan=self.plan, reference="DP2")
        self.delivery_figure = YearFigureFactory(item=self.delivery_workstream)
        self.delivery_foreign = DeliveryItemFactory()


# ---------------------------------------------------------------------------------------------
# The registry: one entry per form
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A form of the project, as a browser meets it.

    `page`: the URL of the page showing the form. `target`: where the form is sent, if not the
    page itself (an export sends the list page's filters). `method`: "post", or "get" for the
    filters and switchers that live in the query string. `user`: a World attribute, or None for
    a signed-out visitor. `extra`: field names the page may not show (e.g. a filter with no
    value offered), which the tampering may add. `on_page`: False when the page offers links
    rather than a form (the query string is still the page's input). `fill`: values a person
    would enter to make the page's form valid, so that untouched fields reach the write.
    `button`: the form is a button's on the page, sent to this URL (moving, completing).
    """

    name: str
    page: Callable[[World], str]
    method: str = "post"
    target: Callable[[World], str] | None = None
    user: str | None = "planner"
    extra: tuple[str, ...] = field(default=())
    on_page: bool = True
    # A fill is a dict, or a function of the world returning one; a value in it may itself be a
    # function of the world (a record's id).
    fill: dict[str, str | Callable[[World], str]] | Callable[[World], dict[str, str]] = field(
        default_factory=dict
    )
    button: Callable[[World], str] | None = None

    def __str__(self):
        return self.name


OBJECTIVE_FILTERS = (
    "q",
    "plan",
    "org_unit",
    "programme",
    "goal",
    "strategic_priority",
    "rag",
    "status",
    "role",
    "due_from",
    "due_to",
    "is_new",
    "sort",
    "page",
)


def _budget(name, *args):
    return lambda w: reverse(f"budgets:{name}", args=[w.plan.slug, *args])


CASES = [
    # objectives
    Case(
        "progress update",
        lambda w: reverse("objectives:update", args=[w.objective.pk]),
        fill={"rag": "green", "status": "in_progress", "percent_complete": "50"},
    ),
    Case(
        "objectives table filters",
        lambda w: reverse("objectives:list"),
        method="get",
        extra=OBJECTIVE_FILTERS,
    ),
    Case(
        "objectives CSV export filters",
        lambda w: reverse("objectives:list"),
        method="get",
        target=lambda w: reverse("objectives:export_csv"),
        extra=OBJECTIVE_FILTERS,
    ),
    Case(
        "objectives Excel export filters",
        lambda w: reverse("objectives:list"),
        method="get",
        target=lambda w: reverse("objectives:export_xlsx"),
        extra=OBJECTIVE_FILTERS,
    ),
    Case(
        "new objective or action",
        lambda w: reverse("objectives:create", args=[w.plan.slug]),
        fill={"text": "Open the new clinic", "reference": "N1"},
    ),
    Case("objective edit", lambda w: reverse("objectives:edit", args=[w.objective.pk])),
    Case(
        "objective close",
        lambda w: reverse("objectives:close", args=[w.deletable.pk]),
        fill={"status": "cancelled", "reason": "No longer funded"},
    ),
    Case(
        "objective delete",
        lambda w: reverse("objectives:delete", args=[w.deletable.pk]),
    ),
    # KPIs
    Case(
        "new KPI",
        lambda w: reverse("kpis:create", args=[w.plan.slug]),
        fill={"code": "L90", "name": "Staff turnover"},
    ),
    Case("KPI edit", lambda w: reverse("kpis:edit", args=[w.kpi.pk])),
    Case(
        "new measurement",
        lambda w: reverse("kpis:measurement_create", args=[w.kpi.pk]),
        fill={"value": "12.5"},
    ),
    Case(
        "measurement correction",
        lambda w: reverse("kpis:measurement_edit", args=[w.measurement.pk]),
    ),
    # corrections and milestones
    Case(
        "progress update correction",
        lambda w: reverse("objectives:update_correct", args=[w.update.pk]),
        fill={"reason": "Mistyped the percentage"},
    ),
    Case(
        "progress update withdrawal",
        lambda w: reverse("objectives:update_withdraw", args=[w.update.pk]),
        fill={"reason": "Entered against the wrong item"},
    ),
    Case(
        "measurement withdrawal",
        lambda w: reverse("kpis:measurement_withdraw", args=[w.measurement.pk]),
        fill={"reason": "Entered against the wrong KPI"},
    ),
    Case(
        "new milestone",
        lambda w: reverse("objectives:milestone_create", args=[w.objective.pk]),
        fill={"text": "Business case approved"},
    ),
    Case("milestone edit", lambda w: reverse("objectives:milestone_edit", args=[w.milestone.pk])),
    # budgets
    Case("income lines", _budget("income_edit", 2006)),
    Case("expenditure lines", _budget("expenditure_edit", 2006)),
    Case("service lines", _budget("service_lines")),
    Case("monthly actuals", _budget("actuals", 2006, "2006-09")),
    Case("budget thresholds", _budget("thresholds")),
    # The plan workbook's confirmation (its upload form takes a file: tests/workbook).
    Case(
        "plan workbook import confirmation",
        lambda w: reverse("workbook:import_preview", args=[w.organisation.slug, w.pending.token]),
    ),
    Case(
        "plan workbook next version confirmation",
        lambda w: reverse(
            "workbook:version_preview", args=[w.ratified.slug, w.version_pending.token]
        ),
        user="admin",
    ),
    Case("new savings scheme", _budget("savings_create"), fill={"title": "Agency staff"}),
    Case(
        "savings scheme edit",
        lambda w: reverse("budgets:savings_edit", args=[w.plan.slug, w.scheme.pk]),
    ),
    Case("monitoring month switcher", _budget("monitoring", 2006), method="get", extra=("month",)),
    Case(
        "partner view",
        lambda w: reverse("budgets:partner", args=[w.organisation.slug]),
        method="get",
        extra=("partner",),
        on_page=False,
    ),
    # editing a plan's lists (planning.editing_views)
    Case(
        "new narrative section",
        lambda w: reverse("planning:edit_add", args=[w.plan.slug, "sections"]),
        fill={"kind": "introduction", "title": "Introduction", "body": "<p>Our <em>aim</em></p>"},
    ),
    Case(
        "programme edit",
        lambda w: reverse("planning:edit_item", args=[w.plan.slug, "programmes", w.programme.pk]),
    ),
    Case(
        "new SWOT item",
        lambda w: reverse("planning:edit_add", args=[w.plan.slug, "swot"]),
        fill={"quadrant": "S", "text": "Committed staff"},
    ),
    Case(
        "department delete",
        lambda w: reverse(
            "planning:edit_delete", args=[w.plan.slug, "departments", w.department.pk]
        ),
    ),
    Case(
        "narrative section edit",
        lambda w: reverse("planning:edit_item", args=[w.plan.slug, "sections", w.section.pk]),
    ),
    Case(
        "new vision bullet",
        lambda w: reverse("planning:edit_add", args=[w.plan.slug, "vision"]),
        fill={"text": "Care closer to home"},
    ),
    Case(
        "new value",
        lambda w: reverse("planning:edit_add", args=[w.plan.slug, "values"]),
        fill={"text": "Respect"},
    ),
    Case(
        "strategic priority edit",
        lambda w: reverse("planning:edit_item", args=[w.plan.slug, "priorities", w.priority.pk]),
    ),
    Case(
        "new short/medium-term objective",
        lambda w: reverse("planning:edit_add", args=[w.plan.slug, "objectives"]),
        fill={"text": "Reduce waiting times"},
    ),
    Case(
        "new programme",
        lambda w: reverse("planning:edit_add", args=[w.plan.slug, "programmes"]),
        fill={"title": "Workforce"},
    ),
    Case(
        "goal edit",
        lambda w: reverse("planning:edit_item", args=[w.plan.slug, "goals", w.goal.pk]),
    ),
    Case(
        "new department",
        lambda w: reverse("planning:edit_add", args=[w.plan.slug, "departments"]),
        fill={"name": "Pharmacy", "kind": "department"},
    ),
    Case(
        "SWOT item edit",
        lambda w: reverse("planning:edit_item", args=[w.plan.slug, "swot", w.swot_item.pk]),
    ),
    Case(
        "new PESTEL driver",
        lambda w: reverse("planning:edit_add", args=[w.plan.slug, "pestel"]),
        fill={"category": "legal", "text": "A new act"},
    ),
    Case(
        "list item move",
        lambda w: reverse("planning:edit_list", args=[w.plan.slug, "priorities"]),
        button=lambda w: reverse(
            "planning:edit_move", args=[w.plan.slug, "priorities", w.priority.pk]
        ),
    ),
    Case(
        "objective move",
        lambda w: reverse("objectives:detail", args=[w.objective.pk]),
        button=lambda w: reverse("objectives:move", args=[w.objective.pk]),
        fill={"direction": "down"},
    ),
    Case(
        "milestone complete",
        lambda w: reverse("objectives:detail", args=[w.objective.pk]),
        button=lambda w: reverse("objectives:milestone_complete", args=[w.milestone.pk]),
    ),
    Case(
        "KPI target change",
        lambda w: reverse("kpis:target_change", args=[w.kpi.pk]),
        fill={"target": "95", "tolerance": "2", "reason": "Board decision"},
    ),
    # the plan's details, lifecycle and reporting calendar
    Case("plan details", lambda w: reverse("planning:plan_details", args=[w.plan.slug])),
    Case("plan submit", lambda w: reverse("planning:plan_step", args=[w.plan.slug, "submit"])),
    Case(
        "plan approve",
        lambda w: reverse("planning:plan_step", args=[w.submitted_plan.slug, "approve"]),
        user="admin",
        fill={"approved_by": "Executive team", "date_approved": "2006-05-02"},
    ),
    Case(
        "plan send back",
        lambda w: reverse("planning:plan_step", args=[w.submitted_plan.slug, "send_back"]),
        user="admin",
        fill={"reason": "The finance section needs the new figures"},
    ),
    Case(
        "plan ratify",
        lambda w: reverse("planning:plan_step", args=[w.approved_plan.slug, "ratify"]),
        user="admin",
        fill={
            "ratified_by": "Trust Board",
            "date_ratified": "2006-05-30",
            "board_minute_reference": "TB/06/41",
        },
    ),
    Case(
        "quarter reopen",
        lambda w: reverse("planning:quarter_reopen", args=[w.plan.slug, "2010-Q1"]),
        fill={"reason": "A late figure from Estates"},
    ),
    Case(
        "quarter lock again",
        lambda w: reverse("planning:reporting_calendar", args=[w.plan.slug]),
        button=lambda w: reverse("planning:quarter_relock", args=[w.plan.slug, "2006-Q1"]),
    ),
    # competency frameworks and gap analysis
    Case(
        "new framework",
        lambda w: reverse("frameworks:create", args=[w.organisation.slug]),
        fill={"name": "Commissioning competencies", "level_names": "One\nTwo\nThree\nFour"},
    ),
    Case("framework edit", lambda w: reverse("frameworks:edit", args=[w.framework.pk])),
    Case(
        "new competency",
        lambda w: reverse("frameworks:competency_create", args=[w.framework.pk]),
        fill={"name": "Engaging with clinicians"},
    ),
    Case(
        "competency edit",
        lambda w: reverse("frameworks:competency_edit", args=[w.competency.pk]),
    ),
    Case(
        "new assessment",
        lambda w: reverse("frameworks:assessment_create", args=[w.framework.pk]),
        fill={"assessed_on": "2006-09-30", "kind": "panel"},
    ),
    Case(
        "assessment edit",
        lambda w: reverse("frameworks:assessment_edit", args=[w.assessment.pk]),
    ),
    Case(
        "new target",
        lambda w: reverse("frameworks:target_create", args=[w.framework.pk]),
        fill={"competency": "all", "target_date": "2006-09-30", "level": "2"},
    ),
    Case("target edit", lambda w: reverse("frameworks:target_edit", args=[w.target.pk])),
    Case("target delete", lambda w: reverse("frameworks:target_delete", args=[w.target.pk])),
    Case(
        "assessment delete",
        lambda w: reverse("frameworks:assessment_delete", args=[w.assessment.pk]),
    ),
    Case(
        "new gap analysis",
        lambda w: reverse("frameworks:gap_create", args=[w.plan.slug]),
        fill={"title": "Where we are and where we want to be"},
    ),
    Case("gap analysis edit", lambda w: reverse("frameworks:gap_edit", args=[w.gap_analysis.pk])),
    Case(
        "new gap dimension",
        lambda w: reverse("frameworks:dimension_create", args=[w.gap_analysis.pk]),
        fill={"name": "Shared values"},
    ),
    Case(
        "gap dimension edit",
        lambda w: reverse("frameworks:dimension_edit", args=[w.dimension.pk]),
    ),
    Case(
        "framework delete",
        lambda w: reverse("frameworks:delete", args=[w.empty_framework.pk]),
    ),
    Case(
        "competency delete",
        lambda w: reverse("frameworks:competency_delete", args=[w.spare_competency.pk]),
    ),
    Case(
        "competency move",
        lambda w: reverse("frameworks:detail", args=[w.framework.pk]),
        button=lambda w: reverse("frameworks:competency_move", args=[w.competency.pk]),
    ),
    Case(
        "gap analysis delete",
        lambda w: reverse("frameworks:gap_delete", args=[w.gap_analysis.pk]),
    ),
    Case(
        "gap dimension delete",
        lambda w: reverse("frameworks:dimension_delete", args=[w.dimension.pk]),
    ),
    # a plan's versions (planning.versions)
    Case(
        "start a refresh",
        lambda w: reverse("planning:plan_step", args=[w.ratified.slug, "refresh"]),
        fill={"label": "2.1"},
    ),
    Case(
        "compare versions",
        lambda w: reverse("planning:plan_versions", args=[w.refreshed.slug]),
        method="get",
        extra=("before", "after"),
    ),
    # rolling a plan forward (planning.rollforward): the page's year makes a plan
    Case("roll forward", lambda w: reverse("planning:roll_forward", args=[w.plan.slug])),
    # the risk register (assurance)
    Case(
        "new risk",
        lambda w: reverse("assurance:risk_create", args=[w.organisation.slug]),
        fill={"title": "Staff shortage", "status": "open"},
    ),
    Case("risk edit", lambda w: reverse("assurance:risk_edit", args=[w.risk.pk])),
    Case("risk review", lambda w: reverse("assurance:risk_review", args=[w.risk.pk])),
    Case(
        "new risk control",
        lambda w: reverse("assurance:control_create", args=[w.risk.pk]),
        fill={"kind": "control", "description": "Weekly audit"},
    ),
    Case("risk control edit", lambda w: reverse("assurance:control_edit", args=[w.control.pk])),
    Case(
        "risk score bands",
        lambda w: reverse("assurance:settings", args=[w.organisation.slug]),
    ),
    Case(
        "new risk category",
        lambda w: reverse("assurance:category_create", args=[w.organisation.slug]),
        fill={"name": "Finance"},
    ),
    Case(
        "risk category edit",
        lambda w: reverse("assurance:category_edit", args=[w.risk_category.pk]),
    ),
    Case(
        "risk control delete",
        lambda w: reverse("assurance:control_delete", args=[w.control.pk]),
    ),
    Case(
        "risk category delete",
        lambda w: reverse("assurance:category_delete", args=[w.risk_category.pk]),
    ),
    # reporting
    Case(
        "scorecard quarter switcher",
        lambda w: reverse("reporting:scorecard", args=[w.plan.slug]),
        method="get",
        extra=("quarter",),
    ),
    # people (administrators)
    Case(
        "invite a colleague",
        lambda w: reverse("people:invite", args=[w.organisation.slug]),
        user="admin",
        fill={"email": "new.colleague@example.org"},
    ),
    Case(
        "people filters",
        lambda w: reverse("people:list", args=[w.organisation.slug]),
        method="get",
        user="admin",
        extra=("q", "role", "status", "sort", "page"),
    ),
    Case(
        "member role and units",
        lambda w: reverse("people:member_change", args=[w.organisation.slug, w.colleague.pk]),
        user="admin",
    ),
    Case(
        "member plan records",
        lambda w: reverse("people:member_people", args=[w.organisation.slug, w.colleague.pk]),
        user="admin",
    ),
    Case(
        "member deactivate",
        lambda w: reverse("people:member_deactivate", args=[w.organisation.slug, w.colleague.pk]),
        user="admin",
    ),
    Case(
        "member reactivate",
        lambda w: reverse("people:member_reactivate", args=[w.organisation.slug, w.former.pk]),
        user="admin",
    ),
    Case(
        "accept an invitation",
        lambda w: reverse("people:accept", args=[w.invitation_token]),
        user=None,
        fill={
            "first_name": "Nia",
            "last_name": "Colleague",
            "password1": "a-long-unusual-passphrase-7",
            "password2": "a-long-unusual-passphrase-7",
        },
    ),
    # --- partnership access (issue 15, item 1): the partnership's administrator
    Case(
        "partnership member organisation add",
        lambda w: reverse("people:partnership_member_add", args=[w.partnership.slug]),
        user="partnership_admin",
        fill={"member": lambda w: str(w.partnership_candidate.pk)},
    ),
    Case(
        "partnership member organisation remove",
        lambda w: reverse(
            "people:partnership_member_remove", args=[w.partnership.slug, w.partnership_link.pk]
        ),
        user="partnership_admin",
    ),
    Case(
        "partnership role",
        lambda w: reverse("people:partnership_role_grant", args=[w.partnership.slug]),
        user="partnership_admin",
        fill={"email": "member_only@example.org"},
    ),
    # --- end partnership access
    # notices (issue 16)
    Case("notification settings", lambda w: reverse("notices:preferences")),
    Case(
        "reminder settings",
        lambda w: reverse("notices:plan_settings", args=[w.plan.slug]),
        fill={"reminder_days": "10, 3"},
    ),
    Case("board pack publish", lambda w: reverse("notices:board_pack", args=[w.plan.slug])),
    Case(
        "member reminders",
        lambda w: reverse("notices:member_reminders", args=[w.contributor.pk]),
        user="admin",
    ),
    Case(
        "preference link",
        lambda w: reverse(
            "notices:preference_link", args=[links.preference_token(w.planner.pk, "digests")]
        ),
        user=None,
    ),
    # delivery hierarchy (issue 15)
    Case(
        "delivery progress update",
        lambda w: reverse("delivery:item_update", args=[w.delivery_programme.pk]),
        fill={"rag": "green", "status": "in_progress"},
    ),
    Case(
        "new delivery item",
        lambda w: reverse("delivery:item_create", args=[w.plan.slug]),
        fill={"level": "programme", "reference": "DP9", "title": "Shared estates"},
    ),
    Case(
        "delivery item edit",
        lambda w: reverse("delivery:item_edit", args=[w.delivery_workstream.pk]),
    ),
    Case(
        "delivery item delete",
        lambda w: reverse("delivery:item_delete", args=[w.delivery_deletable.pk]),
    ),
    Case(
        "delivery item move",
        lambda w: reverse("delivery:item", args=[w.delivery_deletable.pk]),
        button=lambda w: reverse("delivery:item_move", args=[w.delivery_deletable.pk]),
        fill={"direction": "up"},
    ),
    Case(
        "new delivery year figure",
        lambda w: reverse("delivery:figure_create", args=[w.delivery_workstream.pk]),
        fill={"measure": "capital", "low": "100000", "high": "250000", "confidence": "estimate"},
    ),
    Case(
        "delivery year figure edit",
        lambda w: reverse("delivery:figure_edit", args=[w.delivery_figure.pk]),
    ),
    Case(
        "delivery year figure delete",
        lambda w: reverse("delivery:figure_delete", args=[w.delivery_figure.pk]),
    ),
    # signing in
    # delivery-links (issue 15): dependencies, lineage, an item's risks, governance
    Case(
        "new dependency",
        lambda w: reverse("delivery:dependency_create", args=[w.links_item.pk]),
        fill={"kind": "needs", "external": "Herefordshire Connects"},
    ),
    Case(
        "dependency edit",
        lambda w: reverse("delivery:dependency_edit", args=[w.links_dependency.pk]),
    ),
    Case(
        "dependency delete",
        lambda w: reverse("delivery:dependency_delete", args=[w.links_dependency.pk]),
    ),
    Case(
        "new lineage",
        lambda w: reverse("delivery:lineage_create", args=[w.links_item.pk]),
        fill=lambda w: {
            "kind": "merged_into",
            # Not links_other: it is already merged into links_item, so this would be a loop.
            "other": str(w.links_third.pk),
            "reason": "One programme board for both",
        },
    ),
    Case("lineage edit", lambda w: reverse("delivery:lineage_edit", args=[w.links_lineage.pk])),
    Case("lineage delete", lambda w: reverse("delivery:lineage_delete", args=[w.links_lineage.pk])),
    Case("item risks", lambda w: reverse("delivery:item_risks", args=[w.links_item.pk])),
    Case(
        "new governance body",
        lambda w: reverse("delivery:body_create", args=[w.organisation.slug]),
        fill={"name": "Shared Services Board", "kind": "board"},
    ),
    Case("governance body edit", lambda w: reverse("delivery:body_edit", args=[w.links_body.pk])),
    Case(
        "governance body delete",
        lambda w: reverse("delivery:body_delete", args=[w.links_spare_body.pk]),
    ),
    Case(
        "new decision",
        lambda w: reverse("delivery:decision_create", args=[w.links_body.pk]),
        fill={"date": "2009-07-14", "decision": "Merge the programme boards"},
    ),
    Case("decision edit", lambda w: reverse("delivery:decision_edit", args=[w.links_decision.pk])),
    Case(
        "decision delete",
        lambda w: reverse("delivery:decision_delete", args=[w.links_decision.pk]),
    ),
    Case(
        "sign-in",
        lambda w: reverse("login"),
        user=None,
        fill={"username": "someone", "password": "not-the-password"},
    ),
    Case(
        "password reset",
        lambda w: reverse("password_reset"),
        user=None,
        fill={"email": "someone@example.org"},
    ),
]


# ---------------------------------------------------------------------------------------------
# Reading a form out of a page, as a browser would submit it
# ---------------------------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """The fields of each <form> on a page: (method, action, [(name, value)])."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, str, list[tuple[str, str]]]] = []
        self.hidden: set[str] = set()
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._fields = []
            method = (a.get("method") or "get").lower()
            self.forms.append((method, a.get("action") or "", self._fields))
        elif self._fields is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind == "hidden" and a["name"] != "csrfmiddlewaretoken":
                self.hidden.add(a["name"])
            self._fields.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if self._fields is None:
            return
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self._fields.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._fields.append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self._fields = None


def page_form(
    client: Client, url: str, method: str, action: str | None = None
) -> tuple[dict[str, list[str]], set[str]]:
    """The form of `method` on the page at `url` that is sent to that page (or to `action`,
    a button's form), not, say, the header's sign-out form, as the browser would send it
    untouched; and its hidden fields."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    reader = _FormReader()
    reader.feed(response.content.decode())
    path = urlsplit(action or url).path
    for form_method, action, fields in reader.forms:
        if form_method == method and (not action or urlsplit(action).path == path):
            data: dict[str, list[str]] = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            return data, reader.hidden & set(data)
    raise AssertionError(f"no {method} form sent to {url} on that page")


# ---------------------------------------------------------------------------------------------
# Hostile values
# ---------------------------------------------------------------------------------------------

# Values aimed at what a database, a parser or an interpolation refuses. A field gets mostly
# those of its own shape (a number for a number), so that the rest of the form stays valid
# and the value reaches the deepest check, and sometimes anything at all.
NUMBERS = [
    "-9223372036854775808",
    "9223372036854775808",
    "-2147483649",
    "2147483648",
    "-1",
    "1" * 5000,
    "NaN",
    "-Infinity",
    "1e999999",
    "-0.000000001",
    "1,2,3",
    "£1,000.005",
]
TEXTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31mred",
    "\x7f",
    "\u0085",
    "\u202eevil",
    "\ufeff",
    "\U0001f600" * 300,
    "x" * 121,
    "x" * 151,
    "x" * 201,
    "é" * 256,
    "y" * 10_000,
    "%s%(x)s%",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
]
DATES = [
    "0000-00-00",
    "0001-01-01",
    "1900-01-01",
    "9999-12-31",
    "2006-02-30",
    "99999-01-01",
    "2006-13",
    "2006-Q9",
    "2006-Q1",
    "99999999999-Q1",
    "-2006-Q1",
    "2006-M13",
]
ANYTHING = st.one_of(
    st.sampled_from(NUMBERS + TEXTS + DATES),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def _shaped(value: str):
    """Values of the shape of `value`, as the page filled it in."""
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return st.sampled_from(NUMBERS)
    if re.fullmatch(r"\d{4}-(\d\d|Q\d|M\d\d)(-\d\d)?", value):
        return st.sampled_from(DATES)
    return st.sampled_from(TEXTS)


@st.composite
def tampered(draw, form: OpenedForm, foreign_ids: list[int]):
    """The page's own form with a few fields changed, dropped, repeated or added. Hidden
    fields (versions, management forms, line keys) are what a person cannot change in the
    browser and a tamperer can: one example in three changes only those."""
    data = {name: list(values) for name, values in form.data.items()}
    names = sorted(set(data) | set(form.extra))
    if form.hidden and draw(st.integers(0, 2)) == 0:
        names = sorted(form.hidden)
    if not names:
        return data
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=3)):
        shown = (data.get(name) or [""])[0]
        value = st.one_of(
            _shaped(shown), _shaped(shown), ANYTHING, st.sampled_from(foreign_ids).map(str)
        )
        action = draw(st.sampled_from(["replace", "replace", "replace", "drop", "several"]))
        if action == "drop":
            data.pop(name, None)
        elif action == "several":
            data[name] = draw(st.lists(value, min_size=2, max_size=3))
        else:
            data[name] = [draw(value)]
    return data


# ---------------------------------------------------------------------------------------------
# What must hold
# ---------------------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    """Rows in every table the project and its history records own."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    }


@pytest.fixture
def world(db):
    return World()


@dataclass
class OpenedForm:
    client: Client
    data: dict[str, list[str]]  # as the page filled it in (and the case's `fill`)
    hidden: set[str]
    extra: tuple[str, ...]


_OPENED: dict[tuple[str, int], OpenedForm] = {}


def _opened(case: Case, world: World) -> OpenedForm:
    """The signed-in client and the page's form filled in: read once per test, not per example."""
    key = (case.name, id(world))
    if key not in _OPENED:
        _OPENED.clear()
        client = Client()
        if case.user:
            client.force_login(getattr(world, case.user))
        action = case.button(world) if case.button else None
        data, hidden = (
            page_form(client, case.page(world), case.method, action)
            if case.on_page
            else ({}, set())
        )
        # A fill may depend on the world's records (an id to choose): then it is a function,
        # or its values are.
        fill = case.fill(world) if callable(case.fill) else case.fill
        data.update(
            {name: [value(world) if callable(value) else value] for name, value in fill.items()}
        )
        _OPENED[key] = OpenedForm(client, data, hidden, case.extra)
    return _OPENED[key]


@pytest.mark.django_db
class TestNoInputReachesA500:
    @pytest.mark.parametrize("case", CASES, ids=str)
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def test_form(self, case: Case, world: World, data):
        form = _opened(case, world)
        client, page = form.client, case.page(world)
        values = data.draw(tampered(form, world.foreign_ids), label="form")
        target = case.button or case.target
        target = target(world) if target else page
        with transaction.atomic():
            before = row_counts()
            send = client.get if case.method == "get" else client.post
            response = send(target, values)  # a server error raises here, with its traceback
            assert response.status_code < 500, (response.status_code, values)
            if response.status_code >= 400:
                assert row_counts() == before, "a refused form wrote something"
                # The page's own form, as filled in, is accepted: the registry entry reaches
                # the write, so the tampering tests more than the first check.
                assert values != form.data, f"the untouched form got {response.status_code}"
            transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# Every form class is checked
# ---------------------------------------------------------------------------------------------


def _project_classes(base: type) -> list[type]:
    seen, todo = [], list(base.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS and cls not in seen:
            seen.append(cls)
    return seen


class TestEveryFormIsChecked:
    def test_every_form_mixes_in_the_checks(self):
        get_resolver().url_patterns  # imports every view, and so every form a view uses
        form_classes = [
            cls for cls in _project_classes(forms.BaseForm) if not inspect.isabstract(cls)
        ]
        assert form_classes, "no forms found"
        unchecked = [cls.__qualname__ for cls in form_classes if not issubclass(cls, CheckedInputs)]
        assert unchecked == []
        filtersets = _project_classes(django_filters.FilterSet)
        assert filtersets
        for filterset in filtersets:
            assert issubclass(filterset._meta.form, CheckedInputs), filterset

    def test_text_fits_its_column(self):
        """A model form's text field is no longer than the column it is saved to."""
        for cls in _project_classes(forms.BaseModelForm):
            model = getattr(getattr(cls, "_meta", None), "model", None)
            if model is None:
                continue
            for name, formfield in cls.base_fields.items():
                try:
                    column = model._meta.get_field(name)
                except FieldDoesNotExist:
                    continue
                if isinstance(formfield, forms.CharField) and column.max_length:
                    assert formfield.max_length and formfield.max_length <= column.max_length, (
                        cls,
                        name,
                    )

    def test_decimal_fields_state_their_digits(self):
        for cls in _project_classes(forms.BaseForm):
            for name, formfield in cls.base_fields.items():
                if isinstance(formfield, forms.DecimalField):
                    assert formfield.max_digits and formfield.decimal_places is not None, (
                        cls,
                        name,
                    )
