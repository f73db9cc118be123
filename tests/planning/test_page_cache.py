"""Pages kept under the content version (planning.page_cache): the scorecard, the KPI list,
the plan page and the objectives table. A second reader reads a few rows, not the plan; any
change shows at once; what one reader may do or see never shows to another; and the page
without the cache is the page with it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis import services as kpi_services
from kpis.models import Measurement
from planning import page_cache
from planning.models import ContentVersion, PlanSection, SectionKind
from tests.factories import (
    GoalFactory,
    KPIFactory,
    ObjectiveFactory,
    PlanFactory,
    reopen_reported_quarters,
)
from tests.reporting.test_scorecard import Q2, build

SCORECARD = "reporting:scorecard"
KPI_LIST = "kpis:list"
OBJECTIVES = "objectives:list"


PLAN_PAGE = "reporting:plan_detail"


def get(client, name, plan=None, params=None):
    """The page's main content (the layout around it carries per-request tokens) and its
    query count."""
    url = reverse(name, args=[plan.slug]) if plan is not None else reverse(name)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "csrfmiddlewaretoken" not in main and "nonce=" not in main
    return main, len(ctx.captured_queries)


@pytest.mark.django_db
class TestSecondReader:
    @pytest.mark.parametrize("name", [SCORECARD, KPI_LIST, PLAN_PAGE])
    def test_reads_less_and_sees_the_same(self, client, viewer, plan, organisation, name):
        build(plan, organisation, 3)
        client.force_login(viewer)
        first, cold = get(client, name, plan)
        second, warm = get(client, name, plan)
        assert warm < cold
        assert second == first

    @pytest.mark.parametrize("name", [SCORECARD, KPI_LIST, PLAN_PAGE])
    def test_cold_and_warm_queries_are_fixed(self, client, viewer, organisation, name):
        """Each constant in the plan's size, with an empty cache and with a full one."""
        small, large = (
            PlanFactory(organisation=organisation),
            PlanFactory(organisation=organisation),
        )
        build(small, organisation, 2)
        build(large, organisation, 20)
        client.force_login(viewer)
        counts = []
        for plan in (small, large):
            get(client, name, plan)  # the session
            for each in caches.all():
                each.clear()
            counts.append(get(client, name, plan)[1])
            counts.append(get(client, name, plan)[1])
        assert counts[0] == counts[2] and counts[1] == counts[3]

    def test_the_page_is_the_page_without_the_cache(self, client, viewer, plan, organisation):
        build(plan, organisation, 3)
        client.force_login(viewer)
        get(client, SCORECARD, plan, {"quarter": Q2.key})
        cached, _ = get(client, SCORECARD, plan, {"quarter": Q2.key})
        ContentVersion.objects.all().delete()  # nothing may be cached now
        uncached, _ = get(client, SCORECARD, plan, {"quarter": Q2.key})
        assert cached == uncached


@pytest.mark.django_db
class TestAChangeShowsAtOnce:
    def test_a_new_measurement(self, client, contributor, plan, organisation):
        kpi = KPIFactory(plan=plan, code="L1", name="Calls answered", target=D("90"))
        reopen_reported_quarters(plan)  # the plan's 2006 quarters are long past their deadlines
        client.force_login(contributor)
        before_card, _ = get(client, SCORECARD, plan, {"quarter": Q2.key})
        before_list, _ = get(client, KPI_LIST, plan)
        assert "1234.5" not in before_card and "1,234.5" not in before_list
        kpi_services.measurement_create(
            kpi=kpi, by=contributor, period_start=dt.date(2006, 7, 1), value=D("1234.5")
        )
        after_card, _ = get(client, SCORECARD, plan, {"quarter": Q2.key})
        after_list, _ = get(client, KPI_LIST, plan)
        assert after_card != before_card and after_list != before_list

    def test_a_value_changed_by_any_path(self, client, viewer, plan, organisation):
        kpi = KPIFactory(plan=plan, code="L1", name="Calls answered")
        measurement = Measurement.objects.create(
            kpi=kpi, period_start=dt.date(2006, 4, 1), value=D("11")
        )
        client.force_login(viewer)
        before, _ = get(client, KPI_LIST, plan)
        Measurement.objects.filter(pk=measurement.pk).update(value=D("77"))  # not a service
        after, _ = get(client, KPI_LIST, plan)
        assert before != after and "77" in after

    def test_a_renamed_kpi(self, client, viewer, plan):
        kpi = KPIFactory(plan=plan, code="L1", name="Calls answered")
        client.force_login(viewer)
        assert "Calls answered" in get(client, SCORECARD, plan)[0]
        type(kpi).objects.filter(pk=kpi.pk).update(name="Letters sent")
        page, _ = get(client, SCORECARD, plan)
        assert "Letters sent" in page and "Calls answered" not in page


@pytest.mark.django_db
class TestReadersApart:
    def test_a_planners_links_never_show_to_a_viewer(self, client, planner, viewer, plan):
        KPIFactory(plan=plan, code="L1")
        manage = reverse(KPI_LIST, args=[plan.slug])
        client.force_login(planner)
        assert f'href="{manage}">Manage KPIs' in get(client, SCORECARD, plan)[0]
        client.force_login(viewer)
        assert "Manage KPIs" not in get(client, SCORECARD, plan)[0]

    def test_a_planners_edit_links_never_show_in_a_viewers_kpi_list(
        self, client, planner, viewer, plan
    ):
        kpi = KPIFactory(plan=plan, code="L1")
        edit = reverse("kpis:edit", args=[kpi.pk])
        client.force_login(planner)
        assert edit in get(client, KPI_LIST, plan)[0]
        client.force_login(viewer)
        assert edit not in get(client, KPI_LIST, plan)[0]
        client.force_login(planner)
        assert edit in get(client, KPI_LIST, plan)[0]

    def test_another_plans_page_is_its_own(self, client, viewer, plan, organisation):
        other = PlanFactory(organisation=organisation)
        KPIFactory(plan=plan, code="L1", name="Only in the first")
        client.force_login(viewer)
        assert "Only in the first" in get(client, KPI_LIST, plan)[0]
        assert "Only in the first" not in get(client, KPI_LIST, other)[0]

    def test_no_access_is_not_served_from_the_cache(self, client, viewer, outsider, plan):
        KPIFactory(plan=plan, code="L1")
        client.force_login(viewer)
        get(client, SCORECARD, plan)
        client.force_login(outsider)
        assert client.get(reverse(SCORECARD, args=[plan.slug])).status_code == 404


@pytest.mark.django_db
class TestPageCache:
    def test_html_with_a_csrf_token_is_never_kept(self):
        calls = []

        def render():
            calls.append(1)
            return '<input type="hidden" name="csrfmiddlewaretoken" value="x">'

        for _ in range(2):
            page_cache.PageCache().html("form", 1, render=render)
        assert len(calls) == 2

    def test_kept_by_parts(self):
        calls = []

        def render():
            calls.append(1)
            return "<p>Hello</p>"

        for parts in [(1, True), (1, True), (1, False), (2, True)]:
            assert page_cache.PageCache().html("part", *parts, render=render) == "<p>Hello</p>"
        assert len(calls) == 3

    def test_parts_made_together_are_read_in_one_round_trip(self, monkeypatch):
        real = page_cache._cache()
        reads = []

        class Counting:
            def get(self, *args, **kwargs):
                reads.append("get")
                return real.get(*args, **kwargs)

            def get_many(self, keys):
                reads.append(("get_many", len(keys)))
                return real.get_many(keys)

            def set(self, *args, **kwargs):
                return real.set(*args, **kwargs)

        monkeypatch.setattr(page_cache, "_cache", Counting)
        drawn = []

        def render(text):
            return lambda: drawn.append(text) or f"<p>{text}</p>"

        for _ in range(2):  # the second page finds what the first kept
            pages = page_cache.PageCache()
            first = pages.part("first", 1, render=render("first"))
            second = pages.part("second", 1, render=render("second"))
            pages.part("never-drawn", 1, render=render("never-drawn"))
            assert (first(), second()) == ("<p>first</p>", "<p>second</p>")
        assert reads == [("get_many", 3), ("get_many", 3)]
        assert drawn == ["first", "second"]

    def test_the_version_is_read_once_per_page(self):
        pages = page_cache.PageCache()
        with CaptureQueriesContext(connection) as ctx:
            pages.value("a", compute=lambda: 1)
            pages.html("b", render=lambda: "")
        assert len(ctx.captured_queries) == 1

    def test_a_new_day_is_a_new_key(self, monkeypatch):
        pages = page_cache.PageCache()
        today = pages.key("part", ())
        monkeypatch.setattr(
            page_cache.timezone, "localdate", lambda: dt.date.today() + dt.timedelta(days=1)
        )
        assert pages.key("part", ()) != today


@pytest.mark.django_db
class TestPlanPage:
    def test_an_edited_section_shows_at_once(self, client, viewer, plan):
        section = PlanSection.objects.create(
            plan=plan, kind=SectionKind.values[0], title="Summary", body="First words."
        )
        client.force_login(viewer)
        assert "First words." in get(client, PLAN_PAGE, plan)[0]
        PlanSection.objects.filter(pk=section.pk).update(body="Second words.")
        page, _ = get(client, PLAN_PAGE, plan)
        assert "Second words." in page and "First words." not in page

    def test_a_planners_links_never_show_to_a_viewer(self, client, planner, viewer, plan):
        ObjectiveFactory(plan=plan)
        add = reverse("objectives:create", args=[plan.slug])
        client.force_login(planner)
        assert add in get(client, PLAN_PAGE, plan)[0]
        client.force_login(viewer)
        assert add not in get(client, PLAN_PAGE, plan)[0]


@pytest.mark.django_db
class TestObjectivesTable:
    def test_each_reader_sees_their_own_organisations(self, client, viewer, outsider, plan):
        ObjectiveFactory(plan=plan, text="Only ours to see")
        client.force_login(viewer)
        assert "Only ours to see" in get(client, OBJECTIVES)[0]
        client.force_login(outsider)
        assert "Only ours to see" not in get(client, OBJECTIVES)[0]

    def test_each_query_is_its_own(self, client, viewer, plan):
        ObjectiveFactory(plan=plan, text="Alpha item")
        ObjectiveFactory(plan=plan, text="Beta item")
        client.force_login(viewer)
        alpha = get(client, OBJECTIVES, params={"q": "Alpha"})[0]
        beta = get(client, OBJECTIVES, params={"q": "Beta"})[0]
        assert "Alpha item" in alpha and "Beta item" not in alpha
        assert "Beta item" in beta and "Alpha item" not in beta

    def test_a_new_item_shows_at_once_and_warm_reads_less(self, client, viewer, plan):
        ObjectiveFactory(plan=plan, text="The first")
        client.force_login(viewer)
        _, cold = get(client, OBJECTIVES)
        _, warm = get(client, OBJECTIVES)
        assert warm < cold
        ObjectiveFactory(plan=plan, text="The second")
        assert "The second" in get(client, OBJECTIVES)[0]

    def test_a_planner_is_offered_to_add_and_a_viewer_not(self, client, planner, viewer, plan):
        add = reverse("objectives:create", args=[plan.slug])
        client.force_login(planner)
        assert add in get(client, OBJECTIVES, params={"plan": plan.pk})[0]
        client.force_login(viewer)
        assert add not in get(client, OBJECTIVES, params={"plan": plan.pk})[0]


@pytest.mark.django_db
class TestItemPage:
    def item(self, client, objective):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(objective.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")], len(ctx.captured_queries)

    def test_a_kpi_value_shows_at_once_and_warm_reads_less(self, client, viewer, plan):
        objective = ObjectiveFactory(plan=plan)
        kpi = KPIFactory(plan=plan, code="L1", name="Calls answered")
        objective.kpis.add(kpi)
        Measurement.objects.create(kpi=kpi, period_start=dt.date(2006, 4, 1), value=D("11"))
        client.force_login(viewer)
        _, cold = self.item(client, objective)
        page, warm = self.item(client, objective)
        assert warm < cold and "Calls answered" in page and "987" not in page
        Measurement.objects.filter(kpi=kpi).update(value=D("987"))
        assert "987" in self.item(client, objective)[0]

    def test_a_renamed_goal_shows_at_once(self, client, viewer, plan):
        goal = GoalFactory(plan=plan, title="First goal")
        objective = ObjectiveFactory(plan=plan, goal=goal)
        client.force_login(viewer)
        assert "First goal" in self.item(client, objective)[0]
        type(goal).objects.filter(pk=goal.pk).update(title="Second goal")
        page, _ = self.item(client, objective)
        assert "Second goal" in page and "First goal" not in page

    def test_a_planners_controls_never_show_to_a_viewer(self, client, planner, viewer, plan):
        objective = ObjectiveFactory(plan=plan)
        edit = reverse("objectives:edit", args=[objective.pk])
        client.force_login(planner)
        assert edit in self.item(client, objective)[0]
        client.force_login(viewer)
        page, _ = self.item(client, objective)
        assert edit not in page and "csrfmiddlewaretoken" not in page
