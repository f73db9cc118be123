"""The register and the BAF read risks as plain values (assurance.selectors.RiskLine), not as
model instances: each line must say what the Risk itself says, in the same words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assurance import selectors
from assurance.models import Risk, bands_of
from tests.factories import (
    ObjectiveFactory,
    PersonFactory,
    PlanFactory,
    RiskCategoryFactory,
    RiskFactory,
    RiskReviewFactory,
    RoleFactory,
    StrategicPriorityFactory,
)


def _variety(organisation):
    """Risks with and without a reference, owners of every shape, appetite met and exceeded,
    unscored, overdue, closed, with reviews and actions."""
    plan = PlanFactory(organisation=organisation)
    appetite = RiskCategoryFactory(organisation=organisation, name="Finance", appetite=6)
    no_appetite = RiskCategoryFactory(organisation=organisation, name="People")
    role = RoleFactory(organisation=organisation, title="Director of Finance", abbreviation="DoF")
    plain_role = RoleFactory(organisation=organisation, title="Chief Nurse", abbreviation="")
    person = PersonFactory(organisation=organisation, name="Sam Lee", job_title="Head of Audit")
    bare = PersonFactory(organisation=organisation, name="Jo Bloggs")
    late = dt.date(2020, 1, 1)
    risks = [
        RiskFactory(organisation=organisation, category=appetite, owner_person=person,
                    owner_role=role, review_date=late),
        RiskFactory(organisation=organisation, reference="", category=no_appetite,
                    owner_role=plain_role, current_likelihood=1, current_consequence=2),
        RiskFactory(organisation=organisation, owner_person=bare, status="closed",
                    review_date=late),
        RiskFactory(organisation=organisation, inherent_likelihood=None,
                    inherent_consequence=None, current_likelihood=None,
                    current_consequence=None, target_likelihood=None, target_consequence=None,
                    synthetic=True, plan=plan),
    ]  # fmt: skip
    first, second = StrategicPriorityFactory(plan=plan), StrategicPriorityFactory(plan=plan)
    risks[0].priorities.add(first, second)
    for order in (3, 1, 2):
        action = ObjectiveFactory(plan=plan, order=order)
        risks[0].mitigating_actions.add(action)
        risks[1].mitigating_actions.add(action)
    for when, (likelihood, consequence) in (
        (dt.date(2025, 1, 1), (4, 4)),
        (dt.date(2025, 4, 1), (None, None)),
        (dt.date(2025, 7, 1), (3, 4)),
    ):
        RiskReviewFactory(
            risk=risks[0], reviewed_on=when, likelihood=likelihood, consequence=consequence
        )
    RiskReviewFactory(risk=risks[1], reviewed_on=dt.date(2025, 1, 1), likelihood=1, consequence=2)
    return risks


@pytest.mark.django_db
def test_a_line_says_what_its_risk_says(organisation):
    risks = _variety(organisation)
    today = timezone.localdate()
    bands = bands_of(organisation)
    lines = selectors.risk_lines(Risk.objects.filter(organisation=organisation), bands)
    models = list(Risk.objects.with_baf().filter(organisation=organisation))
    assert [line.pk for line in lines] == [risk.pk for risk in models]  # the register's order
    for line, risk in zip(lines, models, strict=True):
        assert str(line) == str(risk)
        assert line.owner == risk.owner
        assert line.get_absolute_url() == risk.get_absolute_url()
        assert line.category == (risk.category.name if risk.category else None)
        for name in ("inherent", "current", "target", "is_scored", "within_appetite", "trend"):
            assert getattr(line, name) == getattr(risk, name), name
        assert line.is_review_overdue(today) == risk.is_review_overdue(today)
        assert line.priority_ids == [p.pk for p in risk.priorities.all()]
        assert line.actions == list(risk.mitigating_actions.all())
        for name in ("reference", "title", "status", "review_date", "synthetic",
                     "gaps_in_control", "gaps_in_assurance", "current_likelihood",
                     "current_consequence", "target_likelihood", "target_consequence"):  # fmt: skip
            assert getattr(line, name) == getattr(risk, name), name
    # The variety is real: owners of both kinds, a trend, an overdue and an unscored risk.
    by_pk = {line.pk: line for line in lines}
    first, _, closed, unscored = (by_pk[risk.pk] for risk in risks)
    assert first.owner == "Sam Lee, Head of Audit; Director of Finance (DoF)"
    assert first.trend.value == "improving" and first.within_appetite is False
    assert first.is_review_overdue(today) and not closed.is_review_overdue(today)
    assert [a.order for a in first.actions] == [1, 2, 3]
    assert not unscored.is_scored and unscored.synthetic
