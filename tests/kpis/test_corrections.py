"""Correcting and withdrawing KPI values: who may, within the reporting window, and what a
withdrawn value no longer counts in."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpis import selectors, services
from kpis.models import Measurement
from planning import idempotency
from planning.concurrency import StaleEditError
from planning.fy import Quarter
from reporting.scorecard import scorecard_for
from tests.factories import KPIFactory, MeasurementFactory, PlanFactory

TODAY = timezone.localdate()
NOW = Quarter.containing(TODAY)
OLD = NOW.previous().previous()  # its window has closed


@pytest.fixture
def kpi(organisation):
    plan = PlanFactory(organisation=organisation, start_year=NOW.year - 1, end_year=NOW.year + 1)
    return KPIFactory(plan=plan, code="L2", unit="%", frequency="quarterly", target=D("50"))


def value(kpi, quarter, amount, by=None, **kw):
    return MeasurementFactory(
        kpi=kpi, period_start=quarter.start, value=D(amount), created_by=by, **kw
    )


def withdraw(measurement, by, **kw):
    measurement.refresh_from_db()
    return services.measurement_withdraw(
        measurement=measurement,
        by=by,
        expected_version=kw.pop("expected_version", measurement.version),
        reason=kw.pop("reason", "Counted twice"),
        today=TODAY,
        **kw,
    )


def edit_url(m):
    return reverse("kpis:measurement_edit", args=[m.pk])


def withdraw_url(m):
    return reverse("kpis:measurement_withdraw", args=[m.pk])


@pytest.mark.django_db
class TestWithdrawService:
    def test_a_withdrawn_value_no_longer_counts_and_its_period_reopens(self, kpi, contributor):
        value(kpi, NOW.previous(), "60", by=contributor)
        wrong = value(kpi, NOW, "10", by=contributor)
        status = selectors.kpi_list(kpi.plan)[0]
        assert status.latest.value == D("10") and status.rag == "red"
        withdraw(wrong, contributor)
        wrong = Measurement.all_objects.get(pk=wrong.pk)
        assert (wrong.withdrawn_by, wrong.withdrawal_reason) == (contributor, "Counted twice")
        status = selectors.kpi_list(kpi.plan)[0]
        assert status.latest.value == D("60") and status.rag == "green"
        card = scorecard_for(kpi.plan, NOW)
        assert [s.latest.value for group in card.perspectives for s in group.kpis] == [D("60")]
        again = services.measurement_create(
            kpi=kpi, by=contributor, period_start=NOW.start, value=D("55")
        )
        assert Measurement.objects.get(kpi=kpi, period_start=NOW.start) == again

    def test_withdrawing_twice_is_refused(self, kpi, contributor, planner):
        m = value(kpi, NOW, "10", by=contributor)
        withdraw(m, contributor)
        m = Measurement.all_objects.get(pk=m.pk)
        with pytest.raises(ValidationError, match="already withdrawn"):
            services.measurement_withdraw(
                measurement=m, by=planner, expected_version=m.version, reason="Again"
            )
        assert Measurement.all_objects.get(pk=m.pk).withdrawn_by == contributor

    def test_outside_the_window_is_refused_unless_generated(self, kpi, planner):
        real = value(kpi, OLD, "10", by=planner)
        with pytest.raises(ValidationError, match=f"{OLD} is locked"):
            withdraw(real, planner)
        with pytest.raises(ValidationError, match=f"{OLD} is locked"):
            services.measurement_update(
                measurement=real, by=planner, expected_version=1, value=D("11"), today=TODAY
            )
        real.refresh_from_db()
        assert (real.value, real.withdrawn_at) == (D("10"), None)
        generated = value(kpi, OLD.previous(), "7", synthetic=True)
        withdraw(generated, planner)
        assert Measurement.all_objects.get(pk=generated.pk).withdrawn_at is not None

    def test_a_reason_is_needed_and_the_version_checked(self, kpi, contributor):
        m = value(kpi, NOW, "10", by=contributor)
        with pytest.raises(ValidationError):
            withdraw(m, contributor, reason=" ")
        with pytest.raises(StaleEditError):
            services.measurement_withdraw(
                measurement=m, by=contributor, expected_version=m.version + 1, reason="x"
            )
        assert Measurement.objects.filter(pk=m.pk).exists()


@pytest.mark.django_db
class TestWhoMayCorrect:
    def test_author_and_planner_may_others_may_not(self, client, kpi, contributor, planner):
        mine = value(kpi, NOW, "10", by=contributor)
        theirs = value(kpi, NOW.previous(), "20", by=planner)
        client.force_login(contributor)
        page = client.get(kpi.get_absolute_url()).text
        assert edit_url(mine) in page and withdraw_url(mine) in page
        assert edit_url(theirs) not in page
        assert client.get(edit_url(theirs)).status_code == 403
        assert client.post(withdraw_url(theirs), {"reason": "x", "version": "1"}).status_code == 403
        client.force_login(planner)
        response = client.post(withdraw_url(mine), {"reason": "Wrong KPI", "version": "1"})
        assert response.status_code == 302
        page = client.get(kpi.get_absolute_url()).text
        assert "has been withdrawn" in page and "Withdrawn" in page and "Wrong KPI" in page

    def test_board_member_and_outsider(self, client, kpi, viewer, outsider, contributor):
        m = value(kpi, NOW, "10", by=contributor)
        client.force_login(viewer)
        assert client.get(withdraw_url(m)).status_code == 403
        client.force_login(outsider)
        assert client.get(withdraw_url(m)).status_code == 404
        assert client.post(withdraw_url(m), {"reason": "x", "version": "1"}).status_code == 404
        assert Measurement.objects.filter(pk=m.pk).exists()

    def test_closed_window_page_says_why(self, client, kpi, planner):
        old = value(kpi, OLD, "10", by=planner)
        client.force_login(planner)
        page = client.get(edit_url(old))
        assert page.status_code == 200 and f"{OLD} is locked" in page.text
        assert 'name="value"' not in page.text
        response = client.post(edit_url(old), {"value": "12", "version": "1"})
        assert response.status_code == 400 and "<title>Error:" in response.text
        old.refresh_from_db()
        assert old.value == D("10")

    def test_withdrawing_twice_on_the_page_says_so(self, client, kpi, contributor):
        m = value(kpi, NOW, "10", by=contributor)
        client.force_login(contributor)
        data = {"reason": "Counted twice", "version": "1"}
        assert client.post(withdraw_url(m), data).status_code == 302
        response = client.post(withdraw_url(m), data)
        # The second form was opened before the first withdrawal: told as a stale edit.
        assert response.status_code == 409 and "already withdrawn" in response.text


@pytest.mark.django_db
class TestChangedAndClosedMeanwhile:
    """A generated value in a closed quarter may be replaced until somebody does: their
    correction makes it a reported value, closed. A form opened before it is refused as
    stale (409, the value now and why), not as a bare refusal, and changes nothing."""

    def opened_then_corrected(self, client, kpi, planner, contributor):
        generated = value(kpi, OLD, "7", synthetic=True)
        client.force_login(planner)
        assert 'name="value"' in client.get(edit_url(generated)).text
        services.measurement_update(
            measurement=generated, by=contributor, expected_version=1, value=D("8"), today=TODAY
        )
        return generated

    def test_the_service_says_stale_before_closed(self, kpi, planner, contributor):
        m = value(kpi, OLD, "7", synthetic=True)
        services.measurement_update(
            measurement=m, by=contributor, expected_version=1, value=D("8"), today=TODAY
        )
        for write in (
            lambda: services.measurement_update(
                measurement=m, by=planner, expected_version=1, value=D("9"), today=TODAY
            ),
            lambda: withdraw(m, planner, expected_version=1),
        ):
            with pytest.raises(StaleEditError):
                write()
        with pytest.raises(ValidationError, match=f"{OLD} is locked"):
            withdraw(m, planner)  # at its current version: closed, said as such
        m.refresh_from_db()
        assert (m.value, m.withdrawn_at, m.version) == (D("8"), None, 2)

    def test_the_correction_page(self, client, kpi, planner, contributor):
        m = self.opened_then_corrected(client, kpi, planner, contributor)
        response = client.post(edit_url(m), {"value": "9", "version": "1"})
        text = response.text
        assert response.status_code == 409 and "<title>Error:" in text
        assert services.STALE_MEASUREMENT in text and f"{OLD} is locked" in text
        assert "<strong>8%</strong>" in text and 'name="value"' not in text
        m.refresh_from_db()
        assert (m.value, m.created_by) == (D("8"), contributor)

    def test_the_withdrawal_page(self, client, kpi, planner, contributor):
        m = self.opened_then_corrected(client, kpi, planner, contributor)
        response = client.post(withdraw_url(m), {"reason": "Wrong", "version": "1"})
        assert response.status_code == 409
        assert f"{OLD} is locked" in response.text and 'name="reason"' not in response.text
        assert Measurement.all_objects.get(pk=m.pk).withdrawn_at is None

    def test_a_form_at_the_current_version_is_refused_as_closed(self, client, kpi, planner):
        m = self.opened_then_corrected(client, kpi, planner, planner)
        response = client.post(edit_url(m), {"value": "9", "version": "2"})
        assert response.status_code == 400 and services.STALE_MEASUREMENT not in response.text
        assert f"{OLD} is locked" in response.text


@pytest.mark.django_db
class TestDoubleSubmission:
    def test_the_measurement_form_saves_once(self, client, kpi, contributor):
        client.force_login(contributor)
        url = reverse("kpis:measurement_create", args=[kpi.pk])
        assert 'name="submission_token"' in client.get(url).text
        data = {"period": NOW.key, "value": "40", "submission_token": idempotency.new_token()}
        first, second = client.post(url, data), client.post(url, data)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert "The measurement has been saved" in client.get(second["Location"]).text
        assert Measurement.all_objects.filter(kpi=kpi).count() == 1

    def test_the_withdrawal_form_answers_the_second_post_as_the_first(
        self, client, kpi, contributor
    ):
        m = value(kpi, NOW, "10", by=contributor)
        client.force_login(contributor)
        token = client.get(withdraw_url(m)).context["form"].initial["submission_token"]
        data = {"reason": "Counted twice", "version": "1", "submission_token": token}
        first, second = client.post(withdraw_url(m), data), client.post(withdraw_url(m), data)
        assert first.status_code == second.status_code == 302
        assert "has been withdrawn" in client.get(second["Location"]).text


@pytest.mark.django_db
def test_kpi_page_queries_do_not_grow_with_withdrawn_values(client, kpi, contributor):
    client.force_login(contributor)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(kpi.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    quarter = NOW
    for _ in range(2):
        withdraw(value(kpi, quarter, "5", synthetic=True), contributor)
        value(kpi, quarter, "6", by=contributor)
        quarter = quarter.previous()
    small = count()
    for _ in range(12):
        withdraw(value(kpi, quarter, "5", synthetic=True), contributor)
        value(kpi, quarter, "6", by=contributor)
        quarter = quarter.previous()
    assert count() == small
