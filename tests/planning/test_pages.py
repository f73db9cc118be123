"""The home page, the plan page, the sign-in pages and what every page must get right."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import django_tables2 as tables
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import mail
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.template import loader
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.defaults import permission_denied

from planning.models import PlanStatus, Value, VisionBullet
from planning.rag import RAG
from tests.factories import (
    GoalFactory,
    KPIFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PlanFactory,
    ProgrammeFactory,
    RoleFactory,
    StrategicObjectiveFactory,
    StrategicPriorityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data):
        self.text.append(data)


def parse(response) -> _Tags:
    parser = _Tags()
    parser.feed(response.content.decode())
    return parser


def text_of(response) -> str:
    """The page's visible words, whitespace collapsed: for "A comes before B" assertions."""
    return " ".join(" ".join(parse(response).text).split())


def title_of(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return " ".join(match.group(1).split())


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def member_client(client, viewer):
    client.force_login(viewer)
    return client


def full_plan(organisation, objectives: int, **plan_fields):
    """A plan with every kind of grouping, `objectives` items spread over them."""
    plan = PlanFactory(organisation=organisation, **plan_fields)
    priorities = [StrategicPriorityFactory(plan=plan, number=n) for n in (1, 2)]
    departments = [OrgUnitFactory(organisation=organisation) for _ in range(2)]
    programme = ProgrammeFactory(plan=plan, number=1, aim="Lead the change.", lead_text="AO")
    goals = [GoalFactory(plan=plan, programme=programme) for _ in range(2)]
    role = RoleFactory(organisation=organisation)
    kpi = KPIFactory(plan=plan)
    placements = [
        {"strategic_priority": priorities[0], "org_unit": departments[0]},
        {"strategic_priority": priorities[1], "org_unit": departments[1]},
        {"org_unit": departments[0]},
        {"org_unit": departments[1]},
        {"programme": programme, "goal": goals[0]},
        {"programme": programme, "goal": goals[1]},
        {},
    ]
    rags = ["red", "amber", "green", "blue", ""]
    for i in range(objectives):
        objective = ObjectiveFactory(
            plan=plan, rag=rags[i % len(rags)], due_text="Sept 06", **placements[i % 7]
        )
        if i % 3 == 0:
            objective.lead_roles.add(role)
            objective.kpis.add(kpi)
    StrategicObjectiveFactory(plan=plan, number=1, text="Reduce waiting times")
    VisionBullet.objects.create(plan=plan, text="Care closer to home", order=1)
    Value.objects.create(plan=plan, text="Respect", order=1)
    return plan


class TestHomePage:
    def test_lists_the_members_organisations_and_their_plans(self, member_client, plan):
        plan.version_label = "2.1"
        plan.status = PlanStatus.RATIFIED
        plan.save()
        response = member_client.get(reverse("planning:home"))

        assert response.status_code == 200
        assert title_of(response) == "Your plans – Waymark"
        words = text_of(response)
        assert plan.organisation.name in words
        assert f"{plan.title} 2006/07 Business plan 2.1 Ratified" in words
        assert ("a", {"href": plan.get_absolute_url()}) in parse(response).tags
        assert '<strong class="nhsuk-tag nhsuk-tag--green">Ratified</strong>' in (
            response.content.decode()
        )

    def test_hides_other_organisations(self, member_client, plan, other_organisation):
        hidden = PlanFactory(organisation=other_organisation)
        words = text_of(member_client.get(reverse("planning:home")))
        assert other_organisation.name not in words
        assert hidden.title not in words

    def test_superuser_sees_every_organisation(self, client, plan, other_organisation):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        words = text_of(client.get(reverse("planning:home")))
        assert plan.organisation.name in words
        assert other_organisation.name in words

    def test_user_without_organisation_is_told_what_to_do(self, client):
        client.force_login(UserFactory())
        assert "not a member of any organisation" in text_of(client.get("/"))

    def test_anonymous_user_is_sent_to_sign_in(self, client):
        response = client.get(reverse("planning:home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_header_navigation_marks_the_current_page(self, member_client):
        tags = parse(member_client.get(reverse("planning:home"))).tags
        link = {"class": "nhsuk-header__navigation-link"}
        assert ("a", {**link, "href": "/", "aria-current": "page"}) in tags
        assert ("a", {**link, "href": reverse("objectives:list")}) in tags

    def test_query_count_does_not_grow_with_plans(self, member_client, organisation, viewer):
        PlanFactory(organisation=organisation)
        member_client.get("/")  # first request of a session does one-off work
        few = count_queries(member_client, "/")

        for _ in range(9):
            PlanFactory(organisation=organisation)
        for _ in range(9):
            other = OrganisationFactory()
            MembershipFactory(user=viewer, organisation=other)
            PlanFactory(organisation=other)
        many = count_queries(member_client, "/")

        assert many == few


class TestPlanPage:
    def test_renders_for_a_member(self, member_client, organisation):
        plan = full_plan(
            organisation, 7, title="Business Plan", version_label="1.0", status="approved"
        )
        response = member_client.get(plan.get_absolute_url())

        assert response.status_code == 200
        assert title_of(response) == "Business Plan 2006/07 – Waymark"
        words = text_of(response)
        assert organisation.name in words
        assert "Business plan, 2006/07, version 1.0 Approved" in words

    def test_document_control_block(self, member_client, organisation):
        plan = PlanFactory(
            organisation=organisation,
            ratified_by="CCG Governing Body",
            date_ratified=dt.date(2020, 1, 1),
            director_sponsor="Director of Strategy",
            author="AD of Assurance",
            date_issued=dt.date(2020, 1, 1),
            review_date=dt.date(2022, 1, 1),
            target_audience="All CCG Staff",
        )
        response = member_client.get(plan.get_absolute_url())
        words = text_of(response)
        assert "nhsuk-summary-list" in response.content.decode()
        for row in (
            "Ratified by CCG Governing Body",
            "Date ratified January 2020",
            "Director sponsor Director of Strategy",
            "Author AD of Assurance",
            "Date issued January 2020",
            "Review date January 2022",
            "Target audience All CCG Staff",
        ):
            assert row in words

    def test_no_document_control_block_when_blank(self, member_client, plan):
        assert "Document control" not in text_of(member_client.get(plan.get_absolute_url()))

    def test_aim_vision_purpose_and_values(self, member_client, organisation):
        plan = full_plan(
            organisation, 1, aim="Our aim.", vision="Our vision.", core_purpose="Our purpose."
        )
        words = text_of(member_client.get(plan.get_absolute_url()))
        assert "Aim Our aim." in words
        assert "Vision Our vision. Care closer to home" in words
        assert "Core purpose Our purpose." in words
        assert "Values Respect" in words

    def test_objectives_sit_under_their_priority(self, member_client, organisation):
        plan = full_plan(organisation, 7)
        first, second = plan.strategic_priorities.order_by("number")
        under_first = plan.objectives.get(strategic_priority=first)
        under_second = plan.objectives.get(strategic_priority=second)
        words = text_of(member_client.get(plan.get_absolute_url()))

        assert words.index(f"SP1: {first.title}") < words.index(under_first.text)
        assert words.index(under_first.text) < words.index(f"SP2: {second.title}")
        assert words.index(f"SP2: {second.title}") < words.index(under_second.text)
        assert words.index(under_second.text) < words.index("Not linked to a strategic priority")

    def test_table_columns(self, member_client, organisation):
        plan = full_plan(organisation, 1)
        objective = plan.objectives.get()
        role = objective.lead_roles.get()
        response = member_client.get(plan.get_absolute_url())
        words = text_of(response)

        assert (
            "Reference Objective Department, programme or goal Lead Due RAG "
            f"{objective.reference} {objective.text} {objective.org_unit.name} {role} "
            "Sept 06 31 Mar 2007 Red"
        ) in words
        assert "nhsuk-table__caption" in response.content.decode()
        assert ("a", {"href": objective.get_absolute_url()}) in parse(response).tags

    def test_unlinked_objectives_by_department_then_programme_and_goal(
        self, member_client, organisation
    ):
        plan = full_plan(organisation, 7)
        programme = plan.programmes.get()
        goal = plan.goals.order_by("order").first()
        unlinked = plan.objectives.filter(strategic_priority=None)
        in_department = unlinked.exclude(org_unit=None).first()
        under_goal = unlinked.get(goal=goal)
        loose = unlinked.get(org_unit=None, goal=None, programme=None)
        words = text_of(member_client.get(plan.get_absolute_url()))

        section = words[words.index("Not linked to a strategic priority") :]
        assert section.index(in_department.org_unit.name) < section.index(in_department.text)
        assert "Other objectives" in section and loose.text in section
        assert f"1. {programme.title} Aim Lead the change. Lead AO" in section
        assert section.index(f"Goal: {goal.title}") < section.index(under_goal.text)

    def test_plan_without_priorities_says_so(self, member_client, organisation):
        plan = PlanFactory(organisation=organisation, kind="od_strategy")
        programme = ProgrammeFactory(plan=plan, number=6, title="Leadership", lead_text="AO")
        goal = GoalFactory(plan=plan, programme=programme, section="CCG Staff", title="Grow")
        action = ObjectiveFactory(plan=plan, kind="action", programme=programme, goal=goal)
        words = text_of(member_client.get(plan.get_absolute_url()))

        assert "Strategic priorities" not in words
        assert "This plan sets no strategic priorities" in words
        assert "6. Leadership Lead AO CCG Staff Goal: Grow" in words
        assert words.index("Goal: Grow") < words.index(action.text)

    def test_short_and_medium_term_objectives(self, member_client, organisation):
        plan = full_plan(organisation, 1)
        words = text_of(member_client.get(plan.get_absolute_url()))
        assert "Short and medium-term objectives 1. Reduce waiting times" in words

    @pytest.mark.parametrize(
        ("rag", "tag"),
        [
            (RAG.RED, '<strong class="nhsuk-tag nhsuk-tag--red">Red</strong>'),
            (RAG.AMBER, '<strong class="nhsuk-tag nhsuk-tag--orange">Amber</strong>'),
            (RAG.GREEN, '<strong class="nhsuk-tag nhsuk-tag--green">Green</strong>'),
            (RAG.BLUE, '<strong class="nhsuk-tag nhsuk-tag--blue">Blue (complete)</strong>'),
            ("", '<strong class="nhsuk-tag nhsuk-tag--grey">Not rated</strong>'),
        ],
    )
    def test_rag_is_a_tag_with_words(self, member_client, plan, rag, tag):
        ObjectiveFactory(plan=plan, rag=rag)
        assert tag in member_client.get(plan.get_absolute_url()).content.decode()

    def test_non_member_gets_404(self, client, outsider, plan):
        client.force_login(outsider)
        response = client.get(plan.get_absolute_url())
        assert response.status_code == 404
        assert title_of(response) == "Page not found – Waymark"
        assert plan.title not in response.content.decode()

    def test_unknown_plan_gets_404(self, member_client):
        assert member_client.get("/plans/no-such-plan/").status_code == 404

    def test_anonymous_user_is_sent_to_sign_in(self, client, plan):
        response = client.get(plan.get_absolute_url())
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_superuser_sees_any_plan(self, client, plan):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        assert client.get(plan.get_absolute_url()).status_code == 200

    def test_query_count_does_not_grow_with_objectives(self, member_client, organisation):
        small = full_plan(organisation, 5)
        large = full_plan(organisation, 50)
        member_client.get(small.get_absolute_url())  # first request of a session
        member_client.get(large.get_absolute_url())

        # Between changes (the plan's content kept by planning.page_cache) and as the first
        # reader after one.
        assert count_queries(member_client, large.get_absolute_url()) == count_queries(
            member_client, small.get_absolute_url()
        )
        for cache in caches.all():
            cache.clear()
        cold_large = count_queries(member_client, large.get_absolute_url())
        for cache in caches.all():
            cache.clear()
        assert cold_large == count_queries(member_client, small.get_absolute_url())


def _pages(client, plan):
    """(name, response) for one page of each template family, signed in where needed."""
    pages = [
        ("login", client.get(reverse("login"))),
        ("password reset", client.get(reverse("password_reset"))),
        ("password reset sent", client.get(reverse("password_reset_done"))),
        ("password reset done", client.get(reverse("password_reset_complete"))),
    ]
    member = UserFactory()
    MembershipFactory(user=member, organisation=plan.organisation)
    client.force_login(member)
    pages += [
        ("home", client.get(reverse("planning:home"))),
        ("plan", client.get(plan.get_absolute_url())),
        ("not found", client.get("/plans/no-such-plan/")),
    ]
    return pages


@pytest.fixture
def pages(client, organisation):
    plan = full_plan(organisation, 7, date_ratified=dt.date(2020, 1, 1), aim="Aim", vision="Vision")
    return _pages(client, plan)


class TestEveryPage:
    def test_language_and_title(self, pages):
        for name, response in pages:
            html = response.content.decode()
            assert '<html lang="en-GB">' in html, name
            assert title_of(response).endswith(" – Waymark"), name
            assert not title_of(response).startswith(" –"), name

    def test_no_external_urls(self, pages):
        for name, response in pages:
            for tag, attrs in parse(response).tags:
                for attr in ("src", "href", "action", "srcset", "poster", "data"):
                    value = attrs.get(attr, "")
                    assert not re.match(r"(https?:)?//", value), f"{name}: <{tag} {attr}={value}>"

    def test_csp_header_and_nonced_scripts(self, pages):
        for name, response in pages:
            policy = response.headers["Content-Security-Policy"]
            assert "default-src 'self'" in policy, name
            assert "style-src 'self'" in policy and "unsafe-inline" not in policy, name
            nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy).group(1)
            for tag, attrs in parse(response).tags:
                if tag == "script" and "src" not in attrs:
                    assert attrs.get("nonce") == nonce, f"{name}: inline script without nonce"

    def test_no_inline_styles(self, pages):
        for name, response in pages:
            assert "<style" not in response.content.decode(), name
            for tag, attrs in parse(response).tags:
                assert "style" not in attrs, f"{name}: <{tag} style=...>"

    def test_only_local_static_files_that_exist(self, pages):
        for name, response in pages:
            for _tag, attrs in parse(response).tags:
                for attr in ("src", "href"):
                    url = attrs.get(attr, "")
                    if url.startswith(settings.STATIC_URL):
                        path = url.removeprefix(settings.STATIC_URL)
                        assert finders.find(path), f"{name}: {url} is not a static file"

    def test_nhs_frontend_css_js_and_htmx_are_loaded(self, pages):
        for name, response in pages:
            html = response.content.decode()
            assert 'href="/static/vendor/nhsuk/nhsuk-frontend.min.css"' in html, name
            assert 'href="/static/css/app.css"' in html, name
            assert (
                '<script type="module" src="/static/vendor/nhsuk/nhsuk-frontend.min.js">' in html
            ), name
            assert 'src="/static/vendor/htmx/htmx.min.js"' in html, name

    def test_skip_link_header_main_footer(self, pages):
        for name, response in pages:
            tags = parse(response).tags
            skip_link = {
                "class": "nhsuk-skip-link",
                "data-module": "nhsuk-skip-link",
                "href": "#maincontent",
            }
            assert ("a", skip_link) in tags, name
            assert any(t == "header" and a.get("class") == "nhsuk-header" for t, a in tags), name
            assert ("main", {"class": "nhsuk-main-wrapper", "id": "maincontent"}) in tags, name
            assert any(t == "footer" for t, _ in tags), name


class TestErrorPages:
    def test_500_renders_without_a_request(self):
        # Django renders 500.html with an empty context: no request, user or nonce.
        html = loader.get_template("500.html").render()
        assert "<title>Sorry, there is a problem with the service – Waymark</title>" in html
        assert "<script nonce" not in html and "import { initAll }" not in html

    def test_403_shows_the_reason(self, viewer):
        request = RequestFactory().get("/")
        request.user = viewer
        response = permission_denied(request, PermissionDenied("Your role does not allow exports."))
        assert response.status_code == 403
        assert "Your role does not allow exports." in response.content.decode()


class TestOwnStylesheet:
    # Rules only: the comments may well mention what the rules must not do.
    css = re.sub(
        r"/\*.*?\*/", "", (Path(settings.BASE_DIR) / "static/css/app.css").read_text(), flags=re.S
    )

    def test_names_local_fonts_only(self):
        assert 'font-family: Arial, "Liberation Sans", Helvetica, sans-serif' in self.css
        assert "@font-face" not in self.css
        assert "@import" not in self.css
        assert "url(" not in self.css

    def test_leaves_the_focus_state_alone(self):
        assert ":focus" not in self.css

    def test_vendored_css_fetches_nothing_remote(self):
        vendored = finders.find("vendor/nhsuk/nhsuk-frontend.min.css")
        css = Path(vendored).read_text()
        assert "@font-face" not in css
        assert "http://" not in css and "https://" not in css
        for url in re.findall(r"url\(([^)]+)\)", css):
            if not url.startswith("data:"):
                assert finders.find(f"vendor/nhsuk/{url}"), url


class TestSignIn:
    def test_login_form_in_nhs_markup(self, client):
        response = client.get(reverse("login"))
        html = response.content.decode()
        assert title_of(response) == "Sign in – Waymark"
        assert '<label class="nhsuk-label" for="id_username">Username</label>' in html
        assert 'data-module="nhsuk-password-input"' in html
        assert "nhsuk-header__account" not in html  # nobody to sign out yet

    def test_wrong_password_shows_the_error_summary(self, client, viewer):
        response = client.post(reverse("login"), {"username": viewer.username, "password": "wrong"})
        assert response.status_code == 200
        assert title_of(response) == "Error: Sign in – Waymark"
        tags = parse(response).tags
        assert ("div", {"class": "nhsuk-error-summary", "data-module": "nhsuk-error-summary"}) in (
            tags
        )
        assert ("a", {"href": "#id_username"}) in tags

    def test_sign_in_then_out(self, client, viewer):
        response = client.post(
            reverse("login"), {"username": viewer.username, "password": "password"}
        )
        assert response.status_code == 302
        home = client.get(response.url)
        tags = parse(home).tags
        form = next(a for t, a in tags if t == "form" and a.get("action") == reverse("logout"))
        assert form["method"] == "post"
        assert "Sign out" in text_of(home)
        assert client.post(reverse("logout")).status_code == 302
        assert client.get("/").status_code == 302

    def test_password_reset(self, client, viewer):
        response = client.post(reverse("password_reset"), {"email": viewer.email})
        assert response.status_code == 302
        assert text_of(client.get(response.url)).count("Check your email") == 2  # title and h1

        (message,) = mail.outbox
        link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
        response = client.get(link, follow=True)
        assert "Choose a new password" in text_of(response)
        response = client.post(
            response.redirect_chain[-1][0],
            {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
            follow=True,
        )
        assert "Your password has been changed" in text_of(response)

    def test_invalid_reset_link(self, client):
        response = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
        assert "This reset link is not valid" in text_of(response)


class _PlanTable(tables.Table):
    caption = "Plans"
    title = tables.Column()
    start_year = tables.Column(verbose_name="Start")

    class Meta:
        attrs = {"class": "nhsuk-table app-extra"}


class TestTableTemplate:
    """components/table.html, the django-tables2 template, in NHS.UK markup."""

    def render(self, query: str):
        request = RequestFactory().get(f"/plans/?{query}")
        request.user = UserFactory.build()
        table = _PlanTable([{"title": f"Plan {n}", "start_year": 2000 + n} for n in range(30)])
        tables.RequestConfig(request, paginate={"per_page": 10}).configure(table)
        return table.as_html(request)

    def test_sortable_headers_and_caption(self):
        html = self.render("sort=-start_year")
        assert '<table class="nhsuk-table app-scroll-table nhsuk-table--sortable app-extra">' in (
            html
        )
        assert 'Plans<span class="nhsuk-u-visually-hidden"> (Column headers are sortable)' in html
        sorted_header = (
            r'<th class="nhsuk-table__header[^"]*" scope="col" data-sort aria-sort="descending">'
            r'\s*<a class="nhsuk-link" href="\?sort=start_year">Start</a>'
        )
        assert re.search(sorted_header, html)
        assert '<a class="nhsuk-link" href="?sort=title">Title</a>' in html
        assert '<td class="nhsuk-table__cell">Plan 29</td>' in html

    def test_nhs_pagination_keeps_the_query(self):
        html = self.render("sort=title&page=2")
        assert 'class="nhsuk-pagination nhsuk-pagination--numbered"' in html
        assert 'aria-current="page">2</a>' in html
        assert 'href="?sort=title&amp;page=1" class="nhsuk-pagination__previous"' in html
        assert 'href="?sort=title&amp;page=3" class="nhsuk-pagination__next"' in html
