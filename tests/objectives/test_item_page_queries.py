"""The item page reads each relation only when the item has some (issue 17): what it shows is
unchanged, its queries do not grow with the item's data, and a changed role or membership
counts on the very next request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frameworks.models import Competency, Framework, GapAnalysis, GapDimension
from objectives.models import Objective
from planning.models import Membership
from tests.factories import (
    GoalFactory,
    KPIFactory,
    KPITargetFactory,
    MeasurementFactory,
    MilestoneFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    PlanFactory,
    ProgrammeFactory,
    ProgressUpdateFactory,
    RoleFactory,
    StrategicObjectiveFactory,
    StrategicPriorityFactory,
    reopen_reported_quarters,
)


def _item_with_everything(plan, n: int) -> Objective:
    """An item with n of each relation its page shows."""
    org = plan.organisation
    programme = ProgrammeFactory(plan=plan)
    objective = ObjectiveFactory(plan=plan, programme=programme)
    framework = Framework.objects.create(
        organisation=org, name=f"Leadership {objective.pk}", level_names=["1"]
    )
    analysis = GapAnalysis.objects.create(plan=plan, title=f"Culture {objective.pk}")
    for i in range(n):
        ProgressUpdateFactory(objective=objective, narrative=f"Update {i}")
        MilestoneFactory(objective=objective, text=f"Milestone {i}", order=i)
        objective.lead_roles.add(
            RoleFactory(organisation=org, title=f"Lead role {i} of {objective.pk}")
        )
        objective.sro_roles.add(
            RoleFactory(organisation=org, title=f"SRO role {i} of {objective.pk}")
        )
        kpi = KPIFactory(plan=plan, code=f"K{objective.pk}-{i}", name=f"Measure {i}")
        KPITargetFactory(kpi=kpi, effective_from=dt.date(2006, 4, 1), target=Decimal(5))
        MeasurementFactory(kpi=kpi, period_start=dt.date(2006, 4, 1), value=Decimal(i))
        objective.kpis.add(kpi)
        mine = Competency.objects.create(framework=framework, number=2 * i, name=f"Own {i}")
        mine.objectives.add(objective)
        theirs = Competency.objects.create(framework=framework, number=2 * i + 1, name=f"Prog {i}")
        theirs.programmes.add(programme)
        dimension = GapDimension.objects.create(analysis=analysis, name=f"Gap {i}", order=i)
        dimension.actions.add(objective)
    return objective


def _clear_caches():
    """As after any change: the page's cached parts are read afresh (planning.page_cache)."""
    for cache in caches.all():
        cache.clear()


def _page(client, objective):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(objective.get_absolute_url())
    assert response.status_code == 200
    return response.text, len(queries.captured_queries)


@pytest.mark.django_db
class TestItemPageReads:
    def test_shows_every_relation_of_an_item_that_has_them(self, client, planner, plan):
        objective = _item_with_everything(plan, 2)
        client.force_login(planner)
        html, _ = _page(client, objective)
        for i in range(2):
            for text in (
                f"Update {i}",
                f"Milestone {i}",
                f"Lead role {i}",
                f"SRO role {i}",
                f"Measure {i}",
                f"Own {i}",
                f"Prog {i}",
                f"Gap {i}",
            ):
                assert text in html, text

    def test_an_item_without_them_shows_none_and_costs_fewer_queries(self, client, planner, plan):
        full = _item_with_everything(plan, 1)
        bare = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        _page(client, full)  # first request of the session out of the way
        # Both as their first reader after a change (nothing of either kept yet).
        _clear_caches()
        html, bare_queries = _page(client, bare)
        _clear_caches()
        _, full_queries = _page(client, full)
        assert "Linked KPIs" not in html
        assert "Develops competencies" not in html
        assert "Closes gaps" not in html
        assert bare_queries < full_queries

    def test_shows_the_rarer_links_read_only_when_the_item_has_them(self, client, planner, plan):
        """Goal, strategic priority and objective, and the item carried forward from: read by
        one more query joining just those, only for an item that has any."""
        last_year = PlanFactory(organisation=plan.organisation, title="Last Year's Plan")
        before = ObjectiveFactory(plan=last_year, reference="LY-7", rag="amber")
        linked = ObjectiveFactory(
            plan=plan,
            goal=GoalFactory(plan=plan, section="Section <A>", title="Goal <one>"),
            strategic_priority=StrategicPriorityFactory(plan=plan, number=4, title="People"),
            strategic_objective=StrategicObjectiveFactory(plan=plan, number=9, text="Grow"),
            carried_from=before,
        )
        bare = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        _page(client, bare)  # first request of the session out of the way
        # Both as their first reader (no cached copy of their particulars).
        _clear_caches()
        html, linked_queries = _page(client, linked)
        _clear_caches()
        bare_html, bare_queries = _page(client, bare)
        assert "Section &lt;A&gt;: Goal &lt;one&gt;" in html
        assert "SP4: People" in html
        assert "9. Grow" in html
        assert "LY-7 in Last Year&#x27;s Plan" in html or "LY-7 in Last Year&#39;s Plan" in html
        assert before.get_absolute_url() in html
        assert "Carried forward from" not in bare_html
        assert bare_html.count("Not linked") == 2
        assert linked_queries == bare_queries + 1

    @pytest.mark.parametrize("user", ["planner", "contributor", "viewer"])
    def test_queries_do_not_grow_with_the_items_data(self, client, plan, user, request):
        person = request.getfixturevalue(user)
        reopen_reported_quarters(plan)  # a calendar with quarters reopened is read too
        small, large = _item_with_everything(plan, 1), _item_with_everything(plan, 10)
        client.force_login(person)
        _page(client, small)  # the session; and the pages' cached parts (planning.page_cache)
        _page(client, large)
        _, once = _page(client, small)
        _, tenfold = _page(client, large)
        assert tenfold == once
        # The first reader after a change reads the item's particulars and KPIs too.
        _clear_caches()
        _, cold_once = _page(client, small)
        _, cold_tenfold = _page(client, large)
        assert cold_tenfold == cold_once > once
        # Between changes the item itself is kept too: at most session, user, the content
        # version, memberships, the reopened quarters (this plan has some) and the audit trail's
        # last record (planners).
        assert once <= 6
        # At most: session (none from Redis), user, memberships, the content version, the item,
        # its updates, milestones, lead and SRO roles, which other links it has, KPIs and their
        # targets, competencies (its own and its programme's), gaps, the reopened quarters, the
        # audit trail's last record and the trail itself (planners).
        assert cold_once <= 18


@pytest.mark.django_db
class TestPermissionChangesCountAtOnce:
    """Nothing about who may do what is kept between requests: a role changed (or a membership
    ended) between two requests of the same session decides the second."""

    def test_a_manager_made_viewer_loses_the_form_on_the_next_request(
        self, client, contributor, plan
    ):
        unit = OrgUnitFactory(organisation=plan.organisation)
        objective = ObjectiveFactory(plan=plan, org_unit=unit)  # in the manager's unit: theirs
        membership = Membership.objects.get(user=contributor, organisation=plan.organisation)
        membership.org_units.add(unit)
        client.force_login(contributor)
        html, _ = _page(client, objective)
        assert "Update progress" in html
        membership.role = "viewer"
        membership.save()
        html, _ = _page(client, objective)
        assert "Update progress" not in html

    def test_a_manager_taken_out_of_the_unit_loses_the_form_on_the_next_request(
        self, client, contributor, plan
    ):
        unit = OrgUnitFactory(organisation=plan.organisation)
        objective = ObjectiveFactory(plan=plan, org_unit=unit)
        membership = Membership.objects.get(user=contributor, organisation=plan.organisation)
        membership.org_units.add(unit)
        client.force_login(contributor)
        assert "Update progress" in _page(client, objective)[0]
        membership.org_units.remove(unit)
        assert "Update progress" not in _page(client, objective)[0]

    def test_a_planner_made_viewer_loses_the_audit_trail_on_the_next_request(
        self, client, planner, plan
    ):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        html, _ = _page(client, objective)
        assert "Audit trail" in html
        Membership.objects.filter(user=planner).update(role="viewer")
        html, _ = _page(client, objective)
        assert "Audit trail" not in html

    def test_an_ended_membership_is_not_found_on_the_next_request(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        assert client.get(objective.get_absolute_url()).status_code == 200
        Membership.objects.filter(user=planner).update(is_active=False)
        assert client.get(objective.get_absolute_url()).status_code == 404


@pytest.mark.django_db
class TestTheItemIsKeptBetweenChanges:
    """The item as its page reads it (its updates, milestones, roles) and its update history are
    kept under the content version (planning.page_cache): not read again until something
    changes, and never shown stale after a change, whoever made it and however."""

    def test_a_second_reader_reads_none_of_the_items_rows(self, client, viewer, plan):
        objective = _item_with_everything(plan, 2)
        client.force_login(viewer)
        _page(client, objective)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(objective.get_absolute_url()).status_code == 200
        read = " ".join(query["sql"] for query in queries.captured_queries)
        for table in ("objectives_objective", "objectives_progressupdate", "objectives_milestone"):
            assert f'"{table}"' not in read, table

    def test_an_update_saved_elsewhere_shows_on_the_next_request(self, client, viewer, plan):
        objective = _item_with_everything(plan, 1)
        client.force_login(viewer)
        assert "Clinic lists validated" not in _page(client, objective)[0]
        ProgressUpdateFactory(objective=objective, narrative="Clinic lists validated")
        assert "Clinic lists validated" in _page(client, objective)[0]

    def test_a_change_by_a_bulk_update_shows_on_the_next_request(self, client, viewer, plan):
        objective = _item_with_everything(plan, 1)
        client.force_login(viewer)
        _page(client, objective)
        Objective.objects.filter(pk=objective.pk).update(text="Renamed by the planner")
        assert "Renamed by the planner" in _page(client, objective)[0]

    def test_who_may_correct_an_update_decides_its_links_not_who_read_it_first(
        self, client, contributor, viewer, plan
    ):
        """The history is kept per set of "may correct" flags: the author's Correct link is
        never served to a reader who may not use it, nor withheld from the author."""
        unit = OrgUnitFactory(organisation=plan.organisation)
        objective = ObjectiveFactory(plan=plan, org_unit=unit)
        Membership.objects.get(user=contributor, organisation=plan.organisation).org_units.add(unit)
        reopen_reported_quarters(plan)  # the update's quarter may still be corrected
        ProgressUpdateFactory(objective=objective, created_by=contributor)
        client.force_login(contributor)
        assert "Correct<span" in _page(client, objective)[0]
        client.force_login(viewer)
        assert "Correct<span" not in _page(client, objective)[0]
        client.force_login(contributor)
        assert "Correct<span" in _page(client, objective)[0]

    def test_a_save_that_changed_nothing_still_shows_in_the_audit_trail(
        self, client, planner, plan
    ):
        """Such a save leaves the content version where it was but adds a history record: the
        kept audit trail is keyed by the history's last record too."""
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        changed = '<td class="nhsuk-table__cell">Changed</td>'
        before = _page(client, objective)[0].count(changed)
        Objective.objects.get(pk=objective.pk).save()
        assert _page(client, objective)[0].count(changed) == before + 1
