"""The risk register: services (bad input refused, nothing saved), review history and trend,
the pages, and the BAF's constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assurance import selectors, services
from assurance.models import Risk, RiskReview, RiskSettings
from planning.concurrency import StaleEditError
from planning.models import Person
from tests.factories import (
    ObjectiveFactory,
    OrganisationFactory,
    PlanFactory,
    RiskCategoryFactory,
    RiskFactory,
    RiskReviewFactory,
    RoleFactory,
    StrategicPriorityFactory,
)


def _data(**extra):
    data = {
        "reference": "BAF 1",
        "title": "Workforce shortfall",
        "inherent_likelihood": 4,
        "inherent_consequence": 5,
        "current_likelihood": 3,
        "current_consequence": 5,
        "target_likelihood": 2,
        "target_consequence": 4,
        "status": "open",
    }
    return data | extra


@pytest.mark.django_db
class TestServices:
    def test_create_records_the_first_review(self, organisation, planner):
        risk = services.risk_create(organisation=organisation, by=planner, data=_data())
        review = risk.reviews.get()
        assert (review.likelihood, review.consequence, review.reviewed_by) == (3, 5, planner)
        assert risk.history.first().history_user == planner

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("inherent_likelihood", 6),
            ("target_consequence", 0),
            ("current_likelihood", 9),
        ],
    )
    def test_levels_off_the_matrix_are_refused(self, organisation, planner, field, value):
        with pytest.raises(ValidationError) as error:
            services.risk_create(
                organisation=organisation, by=planner, data=_data(**{field: value})
            )
        assert field in error.value.message_dict
        assert not Risk.objects.exists()

    def test_target_above_inherent_is_refused(self, organisation, planner):
        data = _data(inherent_likelihood=2, inherent_consequence=2, target_likelihood=3)
        with pytest.raises(ValidationError) as error:
            services.risk_create(organisation=organisation, by=planner, data=data)
        assert "cannot be higher than the inherent score" in error.value.messages[0]
        assert not Risk.objects.exists()

    def test_mitigating_action_of_another_organisation_is_refused(self, organisation, planner):
        foreign = ObjectiveFactory(plan=PlanFactory(organisation=OrganisationFactory()))
        with pytest.raises(ValidationError) as error:
            services.risk_create(
                organisation=organisation, by=planner, data=_data(mitigating_actions=[foreign])
            )
        assert "mitigating_actions" in error.value.message_dict
        assert not Risk.objects.exists()

    def test_review_in_the_future_is_refused(self, organisation, planner):
        risk = RiskFactory(organisation=organisation)
        with pytest.raises(ValidationError) as error:
            services.risk_review(
                risk=risk,
                by=planner,
                expected_version=risk.version,
                reviewed_on=timezone.localdate() + dt.timedelta(days=1),
                likelihood=2,
                consequence=2,
                note="",
            )
        assert "reviewed_on" in error.value.message_dict
        assert not RiskReview.objects.exists()

    @pytest.mark.parametrize(("likelihood", "consequence"), [(6, 2), (2, 0), (3, None)])
    def test_review_score_off_the_matrix_or_half_given_is_refused(
        self, organisation, planner, likelihood, consequence
    ):
        risk = RiskFactory(organisation=organisation)
        with pytest.raises(ValidationError) as error:
            services.risk_review(
                risk=risk,
                by=planner,
                expected_version=risk.version,
                reviewed_on=timezone.localdate(),
                likelihood=likelihood,
                consequence=consequence,
                note="",
            )
        assert set(error.value.message_dict) & {"likelihood", "consequence"}
        assert not RiskReview.objects.exists()
        risk.refresh_from_db()
        assert (risk.current_likelihood, risk.version) == (3, 1)

    def test_target_above_inherent_is_refused_on_an_edit_too(self, organisation, planner):
        risk = RiskFactory(organisation=organisation)
        data = _data(inherent_likelihood=2, inherent_consequence=2, target_likelihood=3)
        with pytest.raises(ValidationError):
            services.risk_update(risk=risk, by=planner, expected_version=1, data=data)
        risk.refresh_from_db()
        assert (risk.inherent_likelihood, risk.target_likelihood, risk.version) == (4, 2, 1)

    def test_stale_review_is_refused(self, organisation, planner):
        risk = RiskFactory(organisation=organisation)
        with pytest.raises(StaleEditError):
            services.risk_review(
                risk=risk,
                by=planner,
                expected_version=risk.version + 1,
                reviewed_on=timezone.localdate(),
                likelihood=2,
                consequence=2,
                note="",
            )
        assert not RiskReview.objects.exists()

    def test_reviews_keep_history_and_give_the_trend(self, organisation, planner):
        risk = RiskFactory(organisation=organisation, current_likelihood=4, current_consequence=4)
        today = timezone.localdate()
        for days, (lk, c) in ((60, (4, 4)), (30, (3, 4)), (1, (3, 3))):
            risk.refresh_from_db()
            services.risk_review(
                risk=risk,
                by=planner,
                expected_version=risk.version,
                reviewed_on=today - dt.timedelta(days=days),
                likelihood=lk,
                consequence=c,
                note=f"{days} days ago",
                next_review=today + dt.timedelta(days=90),
            )
        risk = selectors.risk_for_page(risk.pk)
        assert [r.score for r in risk.reviews.all()] == [16, 12, 9]
        assert (risk.current_likelihood, risk.current_consequence) == (3, 3)
        assert risk.trend.value == "improving"
        assert risk.review_date == today + dt.timedelta(days=90)
        services.risk_review(
            risk=risk,
            by=planner,
            expected_version=risk.version,
            reviewed_on=today,
            likelihood=4,
            consequence=4,
            note="Worse",
        )
        assert selectors.risk_for_page(risk.pk).trend.value == "worsening"

    def test_configured_bands_change_the_band(self, organisation, planner):
        risk = RiskFactory(organisation=organisation, current_likelihood=2, current_consequence=4)
        assert Risk.objects.with_related().get(pk=risk.pk).current.band.value == "high"
        services.bands_update(
            organisation=organisation,
            by=planner,
            expected_version=1,
            low_max=4,
            moderate_max=8,
            high_max=14,
        )
        assert Risk.objects.with_related().get(pk=risk.pk).current.band.value == "moderate"
        with pytest.raises(ValidationError):
            services.bands_update(
                organisation=organisation,
                by=planner,
                expected_version=2,
                low_max=8,
                moderate_max=6,
                high_max=14,
            )
        assert RiskSettings.objects.get().low_max == 4

    def test_overdue_review_stands_out(self, organisation):
        overdue = RiskFactory(organisation=organisation, review_date=dt.date(2020, 1, 1))
        closed = RiskFactory(
            organisation=organisation, review_date=dt.date(2020, 1, 1), status="closed"
        )
        assert overdue.is_review_overdue() and not closed.is_review_overdue()


@pytest.mark.django_db
class TestPages:
    def test_form_refuses_bad_input_next_to_the_field(self, client, organisation, planner):
        foreign = ObjectiveFactory(plan=PlanFactory(organisation=OrganisationFactory()))
        client.force_login(planner)
        response = client.post(
            reverse("assurance:risk_create", args=[organisation.slug]),
            {
                "title": "A risk",
                "status": "open",
                "inherent_likelihood": "7",
                "mitigating_actions": [str(foreign.pk)],
            },
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert "Choose a level from 1 to 5" in form.errors["inherent_likelihood"][0]
        assert "this organisation’s own" in form.errors["mitigating_actions"][0]
        assert not Risk.objects.exists()

    def test_form_refuses_target_above_inherent(self, client, organisation, planner):
        client.force_login(planner)
        response = client.post(
            reverse("assurance:risk_create", args=[organisation.slug]),
            {
                "title": "A risk",
                "status": "open",
                "inherent_likelihood": "2",
                "inherent_consequence": "2",
                "target_likelihood": "3",
                "target_consequence": "3",
            },
        )
        assert response.status_code == 400, response.context["form"].errors
        assert "cannot be higher" in response.context["form"].errors["target_likelihood"][0]
        assert not Risk.objects.exists()

    def test_owner_contributor_reviews_their_risk(self, client, organisation, contributor):
        role = RoleFactory(organisation=organisation)
        person = Person.objects.create(organisation=organisation, name="Owner", user=contributor)
        person.roles.add(role)
        mine = RiskFactory(organisation=organisation, owner_role=role)
        other = RiskFactory(organisation=organisation)
        client.force_login(contributor)
        url = reverse("assurance:risk_review", args=[mine.pk])
        response = client.post(
            url,
            {
                "version": mine.version,
                "reviewed_on": timezone.localdate().isoformat(),
                "likelihood": "2",
                "consequence": "3",
                "note": "Controls tested",
            },
        )
        assert response.status_code == 302
        assert mine.reviews.get().reviewed_by == contributor
        assert client.get(reverse("assurance:risk_review", args=[other.pk])).status_code == 403

    def test_future_review_refused_on_the_page(self, client, organisation, planner):
        risk = RiskFactory(organisation=organisation)
        client.force_login(planner)
        response = client.post(
            reverse("assurance:risk_review", args=[risk.pk]),
            {
                "version": risk.version,
                "reviewed_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
                "likelihood": "2",
                "consequence": "3",
            },
        )
        assert response.status_code == 400
        assert "cannot be in the future" in response.context["form"].errors["reviewed_on"][0]
        assert not RiskReview.objects.exists()

    def test_review_score_off_the_matrix_refused_on_the_page(self, client, organisation, planner):
        risk = RiskFactory(organisation=organisation)
        client.force_login(planner)
        response = client.post(
            reverse("assurance:risk_review", args=[risk.pk]),
            {
                "version": risk.version,
                "reviewed_on": timezone.localdate().isoformat(),
                "likelihood": "6",
                "consequence": "3",
            },
        )
        assert response.status_code == 400
        assert response.context["form"].errors["likelihood"] == ["Choose a level from 1 to 5"]
        assert not RiskReview.objects.exists()

    def test_register_and_risk_page_show_scores_and_overdue(self, client, organisation, viewer):
        risk = RiskFactory(
            organisation=organisation, title="Estates backlog", review_date=dt.date(2020, 1, 1)
        )
        RiskReviewFactory(risk=risk, likelihood=4, consequence=4, reviewed_on=dt.date(2025, 1, 1))
        RiskReviewFactory(risk=risk, likelihood=3, consequence=4, reviewed_on=dt.date(2025, 6, 1))
        client.force_login(viewer)
        page = client.get(reverse("assurance:register", args=[organisation.slug])).text
        assert "Estates backlog" in page and "12 High" in page and "Review overdue" in page
        assert "Improving (score down)" in page
        detail = client.get(risk.get_absolute_url()).text
        assert "16 (4 × 4)" in detail and "12 (3 × 4)" in detail


def _baf_world(plan, count: int):
    priority = StrategicPriorityFactory(plan=plan)
    category = RiskCategoryFactory(organisation=plan.organisation, appetite=8)
    owner = RoleFactory(organisation=plan.organisation)
    for n in range(count):
        risk = RiskFactory(
            organisation=plan.organisation,
            plan=plan,
            is_principal=True,
            category=category,
            owner_role=owner,
            gaps_in_control="No audit",
            review_date=dt.date(2020, 1, 1),
        )
        risk.priorities.add(priority)
        risk.mitigating_actions.add(ObjectiveFactory(plan=plan))
        RiskReviewFactory(risk=risk, likelihood=4, consequence=4)
        RiskReviewFactory(risk=risk, reviewed_on=dt.date(2026, 2, 1))
        del n


@pytest.mark.django_db
class TestBoardAssurance:
    def test_principal_risks_by_priority_with_heat_map(self, client, plan, viewer):
        _baf_world(plan, 3)
        RiskFactory(organisation=plan.organisation, is_principal=False, title="Not principal")
        RiskFactory(organisation=plan.organisation, is_principal=True, title="Whole org", plan=None)
        baf = selectors.board_assurance(plan)
        assert len(baf.rows) == 4
        assert [len(g.rows) for g in baf.groups] == [3, 1]  # the priority, then unlinked
        assert baf.heat_map.total == 4
        assert {(c.likelihood, c.consequence): c.count for c in baf.heat_map.occupied} == {
            (3, 4): 4
        }
        client.force_login(viewer)
        page = client.get(reverse("assurance:baf", args=[plan.slug])).text
        assert "Not principal" not in page and "Whole org" in page
        assert "Improving (score down)" in page and "Outside appetite" in page
        assert "No audit" in page and "Review overdue" in page

    @pytest.mark.parametrize("count", [1, 10])
    def test_constant_queries(self, client, plan, viewer, count, django_assert_max_num_queries):
        _baf_world(plan, count)
        client.force_login(viewer)
        client.get(reverse("assurance:baf", args=[plan.slug]))  # warm the session
        with django_assert_max_num_queries(16):
            response = client.get(reverse("assurance:baf", args=[plan.slug]))
        assert response.status_code == 200
        assert len(response.context["baf"].rows) == count

    @pytest.mark.parametrize("count", [1, 10])
    def test_register_constant_queries(
        self, client, plan, viewer, count, django_assert_max_num_queries
    ):
        _baf_world(plan, count)
        client.force_login(viewer)
        client.get(reverse("assurance:register", args=[plan.organisation.slug]))
        with django_assert_max_num_queries(16):
            response = client.get(reverse("assurance:register", args=[plan.organisation.slug]))
        assert len(response.context["register"].rows) == count


@pytest.mark.django_db
class TestSpreadsheet:
    def test_export_imports_back_unchanged_and_bad_rows_refuse_all(
        self, client, organisation, planner
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        RiskCategoryFactory(organisation=organisation, name="Finance")
        RiskFactory(organisation=organisation, reference="R1", review_date=dt.date(2026, 5, 1))
        client.force_login(planner)
        workbook = client.get(reverse("assurance:export", args=[organisation.slug])).content
        url = reverse("assurance:import", args=[organisation.slug])
        response = client.post(url, {"file": SimpleUploadedFile("risks.xlsx", workbook)})
        assert response.status_code == 302
        assert Risk.objects.get().version == 1  # nothing changed

        csv = (
            "reference,risk,category,inherent likelihood,inherent consequence,"
            "target likelihood,target consequence\n"
            "R2,New risk,Finance,3,3,2,2\n"
            "R3,Bad risk,Finance,2,2,3,3\n"
            "R4,Off the matrix,Nowhere,6,1,,\n"
        )
        response = client.post(url, {"file": SimpleUploadedFile("r.csv", csv.encode())})
        assert response.status_code == 400
        errors = {e.row: e.reason for e in response.context["result"].errors}
        assert set(errors) == {3, 4}
        assert "cannot be higher" in errors[3]
        assert "not a level from 1 to 5" in errors[4] and "Nowhere" in errors[4]
        assert Risk.objects.count() == 1
        good = csv.splitlines()[:2]
        response = client.post(url, {"file": SimpleUploadedFile("r.csv", "\n".join(good).encode())})
        assert response.status_code == 302
        assert Risk.objects.get(reference="R2").category.name == "Finance"
