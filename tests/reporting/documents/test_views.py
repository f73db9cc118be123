"""The export views: who may export, the cache, and the background path with a real worker."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from planning.models import PlanSection, SectionKind
from reporting.documents import render
from tests.factories import ObjectiveFactory, UserFactory
from tests.reporting.documents.conftest import all_text, response_bytes

pytestmark = pytest.mark.django_db


def plan_urls(plan):
    return {
        "plan_exports": reverse("documents:plan_exports", args=[plan.slug]),
        "plan_pdf": reverse("documents:plan_pdf", args=[plan.slug]),
        "scorecard_pdf": reverse("documents:scorecard_pdf", args=[plan.slug]) + "?quarter=2006-Q1",
        "actions_pdf": reverse("documents:actions_pdf") + f"?plan={plan.pk}",
    }


@pytest.fixture
def renders(monkeypatch):
    """Counts the renders (each one a child process)."""
    calls = []
    real = render.render_pdf

    def counting(*args, **kwargs):
        calls.append(kwargs.get("target"))
        return real(*args, **kwargs)

    monkeypatch.setattr(render, "render_pdf", counting)
    return calls


class TestPermissions:
    @pytest.mark.parametrize("role", ["viewer", "contributor", "planner", "org_admin"])
    @pytest.mark.parametrize("view", ["plan_exports", "plan_pdf", "scorecard_pdf", "actions_pdf"])
    def test_every_role_may_export(self, client, request, plan, role, view):
        ObjectiveFactory(plan=plan)
        client.force_login(request.getfixturevalue(role))
        response = client.get(plan_urls(plan)[view])
        assert response.status_code == 200
        if view != "plan_exports":
            assert response["Content-Type"] == "application/pdf"
            assert "attachment" in response["Content-Disposition"]
            assert response_bytes(response).startswith(b"%PDF")

    def test_a_user_without_a_membership_may_not_export(self, client, db):
        client.force_login(UserFactory())
        assert client.get(reverse("documents:actions_pdf")).status_code == 403

    @pytest.mark.parametrize("view", ["plan_exports", "plan_pdf", "scorecard_pdf", "actions_pdf"])
    def test_outsiders_are_told_nothing_exists(self, client, outsider, plan, view):
        client.force_login(outsider)
        assert client.get(plan_urls(plan)[view]).status_code == 404

    @pytest.mark.parametrize("view", ["plan_exports", "plan_pdf", "scorecard_pdf", "actions_pdf"])
    def test_anonymous_users_are_sent_to_sign_in(self, client, plan, view):
        response = client.get(plan_urls(plan)[view])
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_an_outsiders_action_plan_holds_none_of_our_rows(self, client, outsider, plan):
        ObjectiveFactory(plan=plan, text="Our secret objective")
        client.force_login(outsider)
        response = client.get(reverse("documents:actions_pdf"))
        assert response.status_code == 200
        assert "Our secret objective" not in all_text(response_bytes(response))

    def test_bad_quarter_and_bad_filters(self, client, viewer, plan):
        client.force_login(viewer)
        url = reverse("documents:scorecard_pdf", args=[plan.slug])
        assert client.get(url, {"quarter": "2006-Q5"}).status_code == 400
        assert client.get(url, {"quarter": "2010-Q1"}).status_code == 400
        actions = reverse("documents:actions_pdf")
        assert client.get(actions, {"due_from": "not a date"}).status_code == 400


class TestExportPage:
    def test_links_to_each_document(self, client, planner, plan):
        client.force_login(planner)
        page = client.get(reverse("documents:plan_exports", args=[plan.slug])).text
        assert reverse("documents:plan_pdf", args=[plan.slug]) in page
        assert reverse("documents:scorecard_pdf", args=[plan.slug]) in page
        assert f"{reverse('documents:actions_pdf')}?plan={plan.pk}" in page
        assert 'name="quarter"' in page and "2006-Q4" in page


class TestCache:
    def test_an_unchanged_document_is_not_rendered_again(self, client, viewer, plan, renders):
        objective = ObjectiveFactory(plan=plan, text="First wording")
        client.force_login(viewer)
        url = reverse("documents:plan_pdf", args=[plan.slug])
        first = response_bytes(client.get(url))
        second = response_bytes(client.get(url))
        assert len(renders) == 1
        assert first == second

        # A saved change to a record it shows makes a new document.
        objective.text = "Second wording"
        objective.save()
        third = response_bytes(client.get(url))
        assert len(renders) == 2
        assert "Second wording" in all_text(third)

        # So does a record added without history (bulk_create) or one deleted.
        PlanSection.objects.bulk_create(
            [PlanSection(plan=plan, kind=SectionKind.CONCLUSION, title="Conclusion")]
        )
        client.get(url)
        assert len(renders) == 3
        PlanSection.objects.filter(plan=plan).delete()
        client.get(url)
        assert len(renders) == 4

    def test_each_kind_and_filter_has_its_own_cache_entry(self, client, viewer, plan, renders):
        ObjectiveFactory(plan=plan, rag="red")
        client.force_login(viewer)
        actions = reverse("documents:actions_pdf")
        client.get(actions, {"plan": plan.pk})
        client.get(actions, {"plan": plan.pk, "rag": "red"})
        client.get(actions, {"rag": "red", "plan": plan.pk, "sort": "due_date"})  # same filters
        assert len(renders) == 2

    def test_cached_files_live_under_media_exports(self, client, viewer, plan, media_root):
        client.force_login(viewer)
        client.get(reverse("documents:plan_pdf", args=[plan.slug]))
        files = list((media_root / "exports").glob("*.pdf"))
        assert len(files) == 1
        assert re.fullmatch(r"[0-9a-f]{40}\.pdf", files[0].name)


def status_token(response) -> str:
    match = re.search(r"/exports/([^/]+)/$", response["Location"])
    assert match, response["Location"]
    return match[1]


# The worker closes connections it finds inside a transaction (close_old_connections), as a
# test's wrapping transaction would be: its tests commit for real.
real_worker = pytest.mark.django_db(transaction=True)


class TestBackground:
    @real_worker
    def test_a_big_export_waits_for_a_real_worker_then_downloads(
        self, client, planner, plan, settings, renders
    ):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        settings.PDF_BACKGROUND_THRESHOLD = 2
        for n in range(3):
            ObjectiveFactory(plan=plan, text=f"Objective number {n}")
        client.force_login(planner)

        response = client.get(reverse("documents:plan_pdf", args=[plan.slug]))
        assert response.status_code == 302
        token = status_token(response)
        status_url = reverse("documents:status", args=[token])
        download_url = reverse("documents:download", args=[token])
        assert renders == []  # nothing rendered in the request

        page = client.get(status_url).text
        assert "Waiting for the export worker" in page
        assert 'hx-trigger="every 2s"' in page
        assert '<meta http-equiv="refresh" content="2">' in page  # without JavaScript
        assert download_url not in page
        assert client.get(download_url)["Location"] == status_url  # not ready yet

        panel = client.get(status_url, headers={"HX-Request": "true"}).text
        assert "<html" not in panel and 'hx-trigger="every 2s"' in panel

        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        assert len(renders) == 1

        page = client.get(status_url).text
        assert "Ready to download" in page
        assert download_url in page
        assert "hx-trigger" not in page and "http-equiv" not in page  # polling stops
        panel = client.get(status_url, headers={"HX-Request": "true"}).text
        assert download_url in panel and "hx-trigger" not in panel

        download = client.get(download_url)
        assert download.status_code == 200
        data = response_bytes(download)
        assert data.startswith(b"%PDF")
        assert "Objective number 2" in all_text(data)

        # Asked again, unchanged: straight from the cache, no task.
        again = client.get(reverse("documents:plan_pdf", args=[plan.slug]))
        assert again.status_code == 200 and len(renders) == 1

    def test_the_download_rechecks_who_asks(
        self, client, planner, viewer, contributor, plan, settings
    ):
        settings.PDF_BACKGROUND_THRESHOLD = 0
        ObjectiveFactory(plan=plan)
        client.force_login(planner)
        token = status_token(client.get(reverse("documents:plan_pdf", args=[plan.slug])))
        download_url = reverse("documents:download", args=[token])
        # The immediate backend (test settings) has run it: ready at once.
        assert response_bytes(client.get(download_url)).startswith(b"%PDF")

        # Another member cannot use the ticket; nor can the planner once they have left.
        client.force_login(viewer)
        assert client.get(download_url).status_code == 404
        planner.memberships.get().delete()
        client.force_login(planner)
        assert client.get(download_url).status_code == 404
        assert client.get(reverse("documents:status", args=[token])).status_code == 404

    def test_a_tampered_ticket_is_not_found(self, client, planner, plan):
        client.force_login(planner)
        assert client.get(reverse("documents:status", args=["nonsense:abc"])).status_code == 404

    @real_worker
    def test_a_failed_export_says_so(self, client, planner, plan, settings, monkeypatch):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        settings.PDF_BACKGROUND_THRESHOLD = 0
        ObjectiveFactory(plan=plan)

        def fail(*args, **kwargs):
            raise render.RenderTimeout("too slow")

        monkeypatch.setattr(render, "render_pdf", fail)
        client.force_login(planner)
        token = status_token(client.get(reverse("documents:plan_pdf", args=[plan.slug])))
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        page = client.get(reverse("documents:status", args=[token])).text
        assert "The export failed" in page
        assert "took too long" in page
        assert "Try the export again" in page

    def test_a_small_export_that_fails_says_so_at_once(self, client, planner, plan, monkeypatch):
        def fail(*args, **kwargs):
            raise render.RenderMemoryError("too big")

        monkeypatch.setattr(render, "render_pdf", fail)
        client.force_login(planner)
        response = client.get(reverse("documents:plan_pdf", args=[plan.slug]))
        assert response.status_code == 503
        assert "The export failed" in response.text
