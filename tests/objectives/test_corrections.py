"""Correcting and withdrawing progress updates: the services, the pages and who may."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from objectives import services
from objectives.models import ProgressUpdate, UpdateState
from planning import idempotency
from planning.concurrency import StaleEditError
from planning.fy import Quarter
from reporting.scorecard import objective_statuses
from tests.factories import (
    MembershipFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    PlanFactory,
)

TODAY = timezone.localdate()
NOW = Quarter.containing(TODAY)


@pytest.fixture
def unit(organisation):
    return OrgUnitFactory(organisation=organisation, name="Estates")


@pytest.fixture
def item(organisation, unit):
    plan = PlanFactory(organisation=organisation, start_year=NOW.year - 1, end_year=NOW.year + 1)
    return ObjectiveFactory(plan=plan, org_unit=unit)


@pytest.fixture
def lead(organisation, unit):
    """A contributor whose unit owns `item`: may update it."""
    membership = MembershipFactory(organisation=organisation, role="contributor")
    membership.org_units.add(unit)
    return membership.user


def report(item, by, *, quarter=NOW, rag="green", percent=20, status="in_progress", **kw):
    item.refresh_from_db()
    return services.progress_update_create(
        objective=item,
        by=by,
        expected_version=item.version,
        financial_year=quarter.year,
        quarter=quarter.number,
        rag=rag,
        status=status,
        percent_complete=percent,
        **{"today": TODAY, **kw},
    )


def correct(update, by, **overrides):
    update.objective.refresh_from_db()
    kwargs = {
        "update": update,
        "by": by,
        "expected_version": update.objective.version,
        "reason": "Mistyped the percentage",
        "rag": "amber",
        "status": "in_progress",
        "percent_complete": 35,
        "narrative": "Behind on the survey",
        "today": TODAY,
    }
    kwargs.update(overrides)
    return services.progress_update_correct(**kwargs)


def withdraw(update, by, **overrides):
    update.objective.refresh_from_db()
    kwargs = {
        "update": update,
        "by": by,
        "expected_version": update.objective.version,
        "reason": "Entered against the wrong item",
        "today": TODAY,
    }
    kwargs.update(overrides)
    return services.progress_update_withdraw(**kwargs)


def state_of(item):
    item.refresh_from_db()
    return (item.rag, item.status, item.percent_complete, item.latest_update_id)


@pytest.mark.django_db
class TestCorrectService:
    def test_correction_replaces_the_update_and_keeps_the_original(self, item, lead):
        original = report(item, lead)
        correction = correct(original, lead)
        original.refresh_from_db()
        assert original.state == UpdateState.CORRECTED
        assert original.correction == correction
        assert original.state_changed_by == lead
        assert original.state_reason == "Mistyped the percentage"
        assert original.state_changed_at is not None
        assert correction.created_at == original.created_at
        assert state_of(item) == ("amber", "in_progress", 35, correction.pk)
        assert list(ProgressUpdate.objects.filter(objective=item)) == [correction]
        assert ProgressUpdate.all_objects.filter(objective=item).count() == 2

    def test_correcting_an_earlier_update_keeps_the_later_one_current(self, item, lead):
        earlier = report(item, lead, percent=10)
        later = report(item, lead, percent=50)
        correct(earlier, lead, percent_complete=15, rag="green", narrative="")
        assert state_of(item) == ("green", "in_progress", 50, later.pk)

    def test_the_correction_keeps_the_update_rules(self, item, lead):
        original = report(item, lead)
        with pytest.raises(ValidationError) as error:
            correct(original, lead, rag="red", narrative="")
        assert "narrative" in error.value.message_dict
        original.refresh_from_db()
        assert original.state == UpdateState.CURRENT
        assert ProgressUpdate.all_objects.count() == 1

    def test_a_reason_is_needed(self, item, lead):
        original = report(item, lead)
        with pytest.raises(ValidationError) as error:
            correct(original, lead, reason="  ")
        assert "reason" in error.value.message_dict
        assert ProgressUpdate.all_objects.count() == 1

    def test_outside_the_reporting_window_is_refused(self, item, lead):
        # Reported while its quarter was open; two quarters on, the quarter is locked.
        quarter = NOW.previous().previous()
        old = report(item, lead, quarter=quarter, today=quarter.end)
        before = state_of(item)
        with pytest.raises(ValidationError, match=f"{quarter} is locked"):
            correct(old, lead)
        with pytest.raises(ValidationError, match=f"{quarter} is locked"):
            withdraw(old, lead)
        old.refresh_from_db()
        assert old.state == UpdateState.CURRENT and state_of(item) == before

    def test_a_stale_version_is_refused(self, item, lead, planner):
        original = report(item, lead)
        item.refresh_from_db()
        opened_at = item.version
        report(item, planner, percent=40)  # somebody reports meanwhile
        with pytest.raises(StaleEditError):
            correct(original, lead, expected_version=opened_at)
        original.refresh_from_db()
        assert original.state == UpdateState.CURRENT
        assert ProgressUpdate.all_objects.count() == 2

    def test_a_corrected_update_cannot_be_corrected_again(self, item, lead):
        original = report(item, lead)
        correct(original, lead)
        original.refresh_from_db()
        with pytest.raises(ValidationError, match="already been corrected"):
            correct(original, lead)


@pytest.mark.django_db
class TestWithdrawService:
    def test_withdrawing_the_latest_goes_back_to_the_one_before(self, item, lead):
        first = report(item, lead, rag="green", percent=10)
        second = report(item, lead, rag="red", percent=15, narrative="Stalled")
        withdraw(second, lead)
        second.refresh_from_db()
        assert second.state == UpdateState.WITHDRAWN
        assert second.state_changed_by == lead
        assert second.state_reason == "Entered against the wrong item"
        assert state_of(item) == ("green", "in_progress", 10, first.pk)

    def test_withdrawing_the_only_update_leaves_the_item_not_started(self, item, lead):
        only = report(item, lead, rag="amber", percent=30, narrative="Late")
        withdraw(only, lead)
        assert state_of(item) == ("", "not_started", 0, None)

    def test_withdrawing_twice_is_refused_and_changes_nothing(self, item, lead, planner):
        update = report(item, lead)
        withdraw(update, lead)
        update.refresh_from_db()
        stamp = update.state_changed_at
        with pytest.raises(ValidationError, match="already withdrawn"):
            withdraw(update, planner, reason="Again")
        update.refresh_from_db()
        assert (update.state_changed_at, update.state_changed_by, update.state_reason) == (
            stamp,
            lead,
            "Entered against the wrong item",
        )

    def test_the_withdrawal_is_in_the_history_with_who(self, item, lead):
        update = report(item, lead)
        withdraw(update, lead)
        latest = update.history.order_by("-history_id").first()
        assert latest.state == UpdateState.WITHDRAWN and latest.history_user == lead
        assert item.history.order_by("-history_id").first().history_user == lead

    def test_the_scorecard_ignores_withdrawn_and_corrected_updates(self, item, lead):
        report(item, lead, rag="green", percent=10)
        wrong = report(item, lead, rag="red", percent=10, narrative="Wrong item")
        (status,) = objective_statuses(item.plan, NOW)
        assert status.rag == "red"
        withdraw(wrong, lead)
        (status,) = objective_statuses(item.plan, NOW)
        assert status.rag == "green"


@pytest.mark.django_db
class TestOneTimeToken:
    def test_the_same_token_saves_once(self, item, lead):
        token = idempotency.new_token()
        report(item, lead, submission_token=token)
        with pytest.raises(idempotency.DuplicateSubmission):
            report(item, lead, submission_token=token)
        assert ProgressUpdate.all_objects.count() == 1
        assert idempotency.already_used(token, user=lead)

    def test_a_refused_save_does_not_use_up_the_token(self, item, lead):
        token = idempotency.new_token()
        with pytest.raises(ValidationError):
            report(item, lead, rag="red", narrative="", submission_token=token)
        assert not idempotency.already_used(token, user=lead)
        report(item, lead, submission_token=token)
        assert ProgressUpdate.all_objects.count() == 1


# --- the pages -------------------------------------------------------------------------------


def correct_url(update):
    return reverse("objectives:update_correct", args=[update.pk])


def withdraw_url(update):
    return reverse("objectives:update_withdraw", args=[update.pk])


def correction_data(item, **overrides):
    item.refresh_from_db()
    data = {
        "rag": "green",
        "status": "in_progress",
        "percent_complete": "45",
        "narrative": "",
        "next_steps": "",
        "evidence_url": "",
        "reason": "Mistyped the percentage",
        "version": str(item.version),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestCorrectionPages:
    def test_the_author_corrects_their_update(self, client, item, lead):
        update = report(item, lead, percent=4)
        client.force_login(lead)
        page = client.get(item.get_absolute_url()).text
        assert correct_url(update) in page and withdraw_url(update) in page
        assert 'name="reason"' in client.get(correct_url(update)).text
        response = client.post(correct_url(update), correction_data(item))
        assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
        page = client.get(item.get_absolute_url()).text
        assert "The update has been corrected" in page
        assert "Corrected" in page and "Mistyped the percentage" in page
        assert state_of(item)[:3] == ("green", "in_progress", 45)

    def test_someone_elses_update_is_403_unless_planner(self, client, item, lead, planner):
        theirs = report(item, planner)
        client.force_login(lead)
        assert correct_url(theirs) not in client.get(item.get_absolute_url()).text
        assert client.get(correct_url(theirs)).status_code == 403
        assert client.post(correct_url(theirs), correction_data(item)).status_code == 403
        assert client.post(withdraw_url(theirs), correction_data(item)).status_code == 403
        mine = report(item, lead)
        client.force_login(planner)
        assert correct_url(mine) in client.get(item.get_absolute_url()).text
        assert client.post(withdraw_url(mine), correction_data(item)).status_code == 302
        mine.refresh_from_db()
        assert mine.state == UpdateState.WITHDRAWN and mine.state_changed_by == planner

    def test_another_organisations_update_is_404(self, client, item, lead, outsider):
        update = report(item, lead)
        client.force_login(outsider)
        assert client.get(correct_url(update)).status_code == 404
        assert client.post(withdraw_url(update), correction_data(item)).status_code == 404

    def test_outside_the_window_the_page_says_why_and_saves_nothing(self, client, item, lead):
        quarter = NOW.previous().previous()  # reported while open; locked since
        old = report(item, lead, quarter=quarter, today=quarter.end)
        client.force_login(lead)
        assert correct_url(old) not in client.get(item.get_absolute_url()).text
        page = client.get(correct_url(old))
        assert page.status_code == 200
        assert f"{quarter} is locked" in page.text and 'name="reason"' not in page.text
        response = client.post(correct_url(old), correction_data(item))
        assert response.status_code == 400
        assert response.text.count("nhsuk-error-summary__heading") == 1
        assert "<title>Error:" in response.text
        old.refresh_from_db()
        assert old.state == UpdateState.CURRENT

    def test_missing_reason_is_reported_on_the_field(self, client, item, lead):
        update = report(item, lead)
        client.force_login(lead)
        response = client.post(withdraw_url(update), correction_data(item, reason=""))
        assert response.status_code == 400
        assert '<a href="#id_reason">' in response.text
        update.refresh_from_db()
        assert update.state == UpdateState.CURRENT

    def test_withdrawing_twice_says_so(self, client, item, lead):
        update = report(item, lead)
        client.force_login(lead)
        assert client.post(withdraw_url(update), correction_data(item)).status_code == 302
        response = client.post(withdraw_url(update), correction_data(item))
        assert response.status_code == 400
        assert "already withdrawn" in response.text

    def test_a_stale_correction_is_409_and_keeps_the_words(self, client, item, lead, planner):
        update = report(item, lead)
        data = correction_data(item, narrative="My careful words")
        report(item, planner, percent=60)
        client.force_login(lead)
        response = client.post(correct_url(update), data)
        assert response.status_code == 409
        assert "My careful words" in response.text
        update.refresh_from_db()
        assert update.state == UpdateState.CURRENT

    def test_a_double_post_is_saved_once_and_answered_the_same(self, client, item, lead):
        client.force_login(lead)
        form = client.get(reverse("objectives:update", args=[item.pk])).context["form"]
        token = form.initial["submission_token"]
        data = {
            "period": NOW.key,
            "rag": "green",
            "status": "in_progress",
            "percent_complete": "30",
            "version": str(item.version),
            "submission_token": token,
        }
        url = reverse("objectives:update", args=[item.pk])
        first, second = client.post(url, data), client.post(url, data)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert "Your progress update has been saved" in client.get(second["Location"]).text
        assert ProgressUpdate.all_objects.filter(objective=item).count() == 1

    def test_a_double_withdrawal_post_is_answered_as_the_first(self, client, item, lead):
        update = report(item, lead)
        client.force_login(lead)
        token = client.get(withdraw_url(update)).context["form"].initial["submission_token"]
        data = correction_data(item, submission_token=token)
        first, second = (
            client.post(withdraw_url(update), data),
            client.post(withdraw_url(update), data),
        )
        assert first.status_code == second.status_code == 302
        assert "has been withdrawn" in client.get(second["Location"]).text

    def test_item_page_queries_do_not_grow_with_corrections(self, client, item, lead):
        client.force_login(lead)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(item.get_absolute_url()).status_code == 200
            return len(ctx.captured_queries)

        for _ in range(2):
            correct(report(item, lead), lead)
        withdraw(report(item, lead), lead)
        small = count()
        for _ in range(15):
            correct(report(item, lead), lead)
            withdraw(report(item, lead), lead)
        assert count() == small


@pytest.mark.django_db
def test_an_htmx_double_post_answers_with_the_saved_partial(client, item, lead):
    client.force_login(lead)
    url = reverse("objectives:update", args=[item.pk])
    data = {
        "period": NOW.key,
        "rag": "green",
        "status": "in_progress",
        "percent_complete": "30",
        "version": str(item.version),
        "submission_token": idempotency.new_token(),
    }
    first = client.post(url, data, headers={"HX-Request": "true"})
    second = client.post(url, data, headers={"HX-Request": "true"})
    assert first.status_code == second.status_code == 200
    assert "Your progress update has been saved." in second.text
    assert ProgressUpdate.all_objects.filter(objective=item).count() == 1
