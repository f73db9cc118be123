"""Sessions and caching (docs/decisions/sessions.md): no-store everywhere Django answers, the idle
timeout, "Keep me signed in", throttled sign-ins and the client address behind our proxy."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from planning import sessions, throttling
from planning.models import Plan
from tests.factories import UserFactory

LOGIN = reverse("login")
HOME = reverse("planning:home")
STATUS = reverse("planning:session_status")
KEEP_ALIVE = reverse("planning:session_keep_alive")
T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def named_patterns(patterns=None, namespace=None):
    """(name, pattern) for every URL in the project's URLconf, walked from the root."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, entry


def _delivery_links_records(plan) -> dict[str, int]:
    """delivery-links (issue 15): a dependency, a lineage and a body with a decision in the
    demo's plan (its demo has none yet), so their pages answer 200 rather than 404."""
    from tests.delivery.factories_links import (
        DecisionFactory,
        DeliveryItemFactory,
        DependencyFactory,
        GovernanceBodyFactory,
        LineageFactory,
    )

    item = DeliveryItemFactory(plan=plan)
    other = DeliveryItemFactory(plan=plan)
    body = GovernanceBodyFactory(organisation=plan.organisation)
    records = {
        "dependency": DependencyFactory(item=other, on_item=item).pk,
        "lineage": LineageFactory(item=other, other=item).pk,
        "decision": DecisionFactory(body=body).pk,
    }
    return {
        **{
            f"delivery:{name}": item.pk
            for name in ("dependency_create", "lineage_create", "item_risks")
        },
        **{f"delivery:{name}": body.pk for name in ("body_edit", "body_delete", "decision_create")},
        **{
            f"delivery:{kind}_{name}": pk
            for kind, pk in records.items()
            for name in ("edit", "delete")
        },
    }


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.django_db
class TestNoStore:
    @pytest.fixture
    def values(self, demo):
        """A real value for each URL parameter, from the loaded demo, so pages answer 200."""
        from budgets.models import SavingsScheme
        from kpis.models import KPI, Measurement
        from objectives.models import Objective

        plan = Plan.objects.get(slug="ssp-business-plan-2006-07")
        by_view = {
            "objectives": Objective.objects.filter(plan=plan).first().pk,
            "kpis": KPI.objects.filter(plan=plan).first().pk,
            "kpis:measurement_edit": Measurement.objects.filter(kpi__plan=plan).first().pk,
            "budgets:savings_edit": SavingsScheme.objects.create(plan=plan, title="Estates").pk,
            **_delivery_links_records(plan),  # delivery-links (issue 15)
        }
        # Delivery hierarchy (issue 15): an item and a figure of the SSP plan, for its pages.
        from tests.delivery.factories_hierarchy import DeliveryItemFactory, YearFigureFactory

        figure = YearFigureFactory(item=DeliveryItemFactory(plan=plan))
        for name in ("item", "item_update", "item_edit", "item_delete", "figure_create"):
            by_view[f"delivery:{name}"] = figure.item_id
        for name in ("figure_edit", "figure_delete"):
            by_view[f"delivery:{name}"] = figure.pk
        common = {
            "slug": plan.slug,
            "year": plan.start_year,
            "month": f"{plan.start_year}-04",
            "kind": "lines",
            "step": "ratify",  # the SSP plan is approved: its administrator may ratify it
            "quarter": f"{plan.start_year}-Q1",
            "provider_slug": plan.organisation.slug,
            "org": plan.organisation.slug,
            "organisation": plan.organisation.slug,
            # A member of the plan's organisation (the demo's manager).
            "user_id": get_user_model().objects.get(username="ssp-manager").pk,
            "app_label": "planning",
            "object_id": "1",
            "id": "1",
            "content_type_id": "1",
            "token": "not-a-token",
            "uidb64": "x",
            "url": "x",
        }

        def for_(name, param):
            if param == "pk":
                return by_view.get(name, by_view.get(name.split(":")[0], 1))
            return common[param]

        return for_

    def test_every_url_answers_a_signed_in_get_with_no_store(self, client, values):
        # The organisation's administrator, also a superuser so that the Django admin's pages
        # answer too instead of redirecting to the admin's sign-in.
        person = get_user_model().objects.get(username="ssp-admin")
        person.is_staff = person.is_superuser = True
        person.save()
        client.force_login(person)
        answered, statuses = [], {}
        for name, pattern in named_patterns():
            if name is None:
                continue
            regex = pattern.pattern.regex
            params = set(regex.groupindex)
            try:
                if params:
                    url = reverse(name, kwargs={p: values(name, p) for p in params})
                else:  # unnamed groups (simple_history's admin pages)
                    url = reverse(name, args=["1"] * regex.groups)
            except NoReverseMatch:
                pytest.fail(f"no URL for {name} with {params}")
            response = client.get(url)
            statuses[name] = response.status_code
            assert no_store(response), f"{url} ({name}): {response.get('Cache-Control')!r}"
            if response.streaming:
                # Read it to the end, as a WSGI server would: the test client then closes it
                # without firing request_finished's connection cleanup, which would close the
                # test's PostgreSQL connection in the middle of its transaction.
                b"".join(response.streaming_content)
            answered.append(name)
        # Real pages were asked for, not just 404s: the demo's own pages and downloads answer.
        for name in [
            "planning:home",
            "reporting:plan_detail",
            "objectives:detail",
            "kpis:detail",
            *("delivery:tree", "delivery:item", "delivery:benefits", "delivery:figure_edit"),
        ]:
            assert statuses[name] == 200, name
        for name in ["delivery:dependencies", "delivery:dependency_edit", "delivery:body_edit"]:
            assert statuses[name] == 200, name
        assert len(answered) > 50

    @pytest.mark.parametrize(
        ("name", "kwargs", "type_"),
        [
            ("objectives:export_csv", {}, "text/csv"),
            ("objectives:export_xlsx", {}, "spreadsheetml"),
            ("documents:plan_pdf", {"slug": "ssp-business-plan-2006-07"}, "application/pdf"),
            (
                "budgets:import_template",
                {"slug": "ssp-business-plan-2006-07", "year": 2006, "kind": "actuals"},
                "text/csv",
            ),
        ],
    )
    def test_downloads_are_not_stored(self, client, demo, name, kwargs, type_):
        client.force_login(get_user_model().objects.get(username="ssp-planner"))
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200
        assert type_ in response["Content-Type"]
        assert "attachment" in response["Content-Disposition"]
        assert no_store(response)
        if response.streaming:
            response.close()

    def test_static_files_stay_cacheable(self, client, viewer):
        client.force_login(viewer)
        response = client.get("/static/css/app.css")
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")
        response.close()


def sign_in(client, user, *, keep=False, **extra):
    data = {"username": user.username, "password": "password"}
    if keep:
        data["keep_signed_in"] = "on"
    return client.post(LOGIN, data, **extra)


@pytest.mark.django_db
class TestIdleTimeout:
    def test_thirty_idle_minutes_end_the_session_with_a_message(self, client, viewer, settings):
        settings.SESSION_IDLE_TIMEOUT = 30 * 60  # the default, whatever the environment says
        with time_machine.travel(T0, tick=False) as clock:
            assert sign_in(client, viewer).status_code == 302
            assert client.get(HOME).status_code == 200
            clock.move_to(T0 + minutes(29))
            assert client.get(HOME).status_code == 200  # activity restarts the clock
            clock.move_to(T0 + minutes(58))
            assert client.get(HOME).status_code == 200
            clock.move_to(T0 + minutes(58 + 30) + dt.timedelta(seconds=1))
            response = client.get(HOME)
            assert response.status_code == 302
            assert response["Location"].startswith(LOGIN)
            page = client.get(response["Location"])
            assert "You were signed out because Waymark was not used for 30 minutes" in page.text
            # Signed out for good, not just for one request.
            assert client.get(HOME).status_code == 302

    def test_the_timeout_is_a_setting(self, client, viewer, settings):
        settings.SESSION_IDLE_TIMEOUT = 5 * 60
        with time_machine.travel(T0, tick=False) as clock:
            client.force_login(viewer)
            clock.move_to(T0 + minutes(4))
            assert client.get(HOME).status_code == 200
            clock.move_to(T0 + minutes(9.5))
            assert client.get(HOME).status_code == 302

    def test_the_status_check_does_not_extend_the_session(self, client, viewer, settings):
        with time_machine.travel(T0, tick=False) as clock:
            client.force_login(viewer)
            clock.move_to(T0 + minutes(20))
            state = client.get(STATUS).json()
            assert state == {
                "signed_in": True,
                "seconds_left": settings.SESSION_IDLE_TIMEOUT - 1200,
            }
            clock.move_to(T0 + minutes(30) + dt.timedelta(seconds=1))
            response = client.get(STATUS)
            assert response.status_code == 401
            assert response.json() == {"signed_in": False}

    def test_stay_signed_in_restarts_the_clock(self, client, viewer, settings):
        with time_machine.travel(T0, tick=False) as clock:
            client.force_login(viewer)
            clock.move_to(T0 + minutes(29))
            state = client.post(KEEP_ALIVE).json()
            assert state == {"signed_in": True, "seconds_left": settings.SESSION_IDLE_TIMEOUT}
            clock.move_to(T0 + minutes(58))
            assert client.get(HOME).status_code == 200

    def test_keep_alive_after_the_end_does_not_revive_the_session(self, client, viewer):
        with time_machine.travel(T0, tick=False) as clock:
            client.force_login(viewer)
            clock.move_to(T0 + minutes(31))
            assert client.post(KEEP_ALIVE).status_code == 401
            assert client.get(HOME).status_code == 302

    def test_keep_alive_needs_the_csrf_token(self, viewer):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(viewer)
        assert client.post(KEEP_ALIVE).status_code == 403

    def test_activity_is_written_at_most_once_a_minute(self, client, viewer):
        with time_machine.travel(T0, tick=False) as clock:
            client.force_login(viewer)
            clock.move_to(T0 + dt.timedelta(seconds=30))
            client.get(HOME)
            assert client.session[sessions.LAST_ACTIVITY] == int(T0.timestamp())
            clock.move_to(T0 + dt.timedelta(seconds=90))
            client.get(HOME)
            assert client.session[sessions.LAST_ACTIVITY] == int(T0.timestamp()) + 90

    def test_signed_in_pages_carry_the_warning(self, client, viewer, settings):
        client.force_login(viewer)
        text = client.get(HOME).text
        assert 'id="app-timeout"' in text
        assert f'data-warning="{settings.SESSION_IDLE_WARNING}"' in text
        assert "js/timeout.js" in text

    def test_the_sign_in_page_does_not(self, client):
        text = client.get(LOGIN).text
        assert 'id="app-timeout"' not in text
        assert "Keep me signed in" in text


@pytest.mark.django_db
class TestKeepMeSignedIn:
    def test_by_default_the_session_ends_with_the_browser(self, client, viewer):
        response = sign_in(client, viewer)
        cookie = response.cookies["sessionid"]
        assert cookie["max-age"] == ""
        assert cookie["expires"] == ""
        assert client.session.get_expire_at_browser_close()

    def test_ticked_it_outlives_the_browser_up_to_the_remember_age(self, client, viewer, settings):
        with time_machine.travel(T0, tick=False) as clock:
            response = sign_in(client, viewer, keep=True)
            cookie = response.cookies["sessionid"]
            assert int(cookie["max-age"]) == settings.SESSION_REMEMBER_AGE
            assert not client.session.get_expire_at_browser_close()
            ends = T0 + dt.timedelta(seconds=settings.SESSION_REMEMBER_AGE)
            assert client.session.get_expiry_date() == ends
            # Fixed at sign-in: activity does not push it further.
            clock.move_to(T0 + minutes(20))
            assert client.get(HOME).status_code == 200
            assert client.session.get_expiry_date() == ends

    def test_ticked_the_idle_timeout_still_applies(self, client, viewer):
        with time_machine.travel(T0, tick=False) as clock:
            sign_in(client, viewer, keep=True)
            clock.move_to(T0 + minutes(31))
            assert client.get(HOME).status_code == 302


@pytest.mark.django_db
class TestSignInThrottling:
    def test_one_password_sprayed_over_many_user_names_is_locked_out(self, client, settings):
        target = UserFactory()
        for n in range(settings.AXES_IP_FAILURE_LIMIT):
            victim = UserFactory()
            client.post(LOGIN, {"username": victim.username, "password": f"Spring{n}"})
        # The same address, a user name it never tried, the right password: still refused.
        response = sign_in(client, target)
        assert response.status_code == 429
        assert "Too many failed sign-in attempts" in response.text
        assert client.get(HOME).status_code == 302

    def test_one_user_name_attacked_from_many_addresses_is_locked_out(self, client, settings):
        user = UserFactory()
        for n in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                LOGIN,
                {"username": user.username, "password": "wrong"},
                REMOTE_ADDR=f"198.51.100.{n + 1}",
            )
        response = sign_in(client, user, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 429
        assert "Too many failed sign-in attempts" in response.text

    def test_fewer_failures_do_not_lock_out(self, client, settings):
        user = UserFactory()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post(LOGIN, {"username": user.username, "password": "wrong"})
        assert sign_in(client, user).status_code == 302

    def test_an_address_shared_by_many_people_has_its_own_higher_limit(self, client, settings):
        # A trust's staff share one address: a few people's typos must not lock everyone out.
        assert settings.AXES_IP_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
        for _ in range(settings.AXES_IP_FAILURE_LIMIT - 1):
            client.post(LOGIN, {"username": UserFactory().username, "password": "typo"})
        assert sign_in(client, UserFactory()).status_code == 302


class TestClientAddress:
    def request(self, **meta):
        return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)

    def test_forwarded_for_is_ignored_without_the_proxy_switch(self, settings):
        settings.WAYMARK_BEHIND_PROXY = False
        request = self.request(HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert throttling.client_ip(request) == "10.0.0.2"

    def test_behind_the_proxy_the_address_it_appended_counts(self, settings):
        settings.WAYMARK_BEHIND_PROXY = True
        # The client forged the first entry; our proxy appended the real one.
        request = self.request(HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
        assert throttling.client_ip(request) == "203.0.113.9"
        assert throttling.client_ip(self.request()) == "10.0.0.2"
