"""factory-boy factories for every model the tests build by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from assurance.models import Control, Risk, RiskCategory, RiskReview
from budgets.models import ExpenditureLine, IncomeLine, ServiceLine
from kpis.models import KPI, KPITarget, Measurement
from objectives.models import Goal, Milestone, Objective, ObjectiveKind, ProgressUpdate
from people import tokens
from people.models import INVITATION_LIFETIME, Invitation
from planning.models import (
    Membership,
    Organisation,
    OrgUnit,
    Person,
    Plan,
    Programme,
    QuarterReopening,
    Role,
    StrategicObjective,
    StrategicPriority,
    User,
)
from swot.models import PestelDriver, SwotItem


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.Sequence(lambda n: f"test-org-{n}")
    kind = "partnership"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "viewer"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Department {n}")
    kind = "department"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Director {n}")
    abbreviation = factory.Sequence(lambda n: f"D{n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "business_plan"
    title = factory.Sequence(lambda n: f"Business Plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    start_year = 2006
    end_year = 2006


class StrategicPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicPriority

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Faker("sentence")


class StrategicObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicObjective

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Faker("sentence")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Faker("sentence", nb_words=3)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    title = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    kind = ObjectiveKind.OPERATIONAL
    text = factory.Faker("sentence")
    reference = factory.Sequence(lambda n: f"{n + 1}")
    order = factory.Sequence(lambda n: n)
    due_date = dt.date(2007, 3, 31)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    objective = factory.SubFactory(ObjectiveFactory)
    financial_year = 2006
    quarter = 1
    status = "in_progress"
    rag = "green"
    percent_complete = 25


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    objective = factory.SubFactory(ObjectiveFactory)
    text = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class KPIFactory(factory.django.DjangoModelFactory):
    """``target=`` and ``tolerance=`` give the KPI a KPITarget in force from its plan's start
    (as a KPI created with a target has)."""

    class Meta:
        model = KPI

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"L{n + 1}")
    name = factory.Faker("sentence", nb_words=4)
    perspective = "L"

    @classmethod
    def _create(cls, model_class, *args, target=None, tolerance=None, **kwargs):
        kpi = super()._create(model_class, *args, **kwargs)
        if target is not None or tolerance is not None:
            KPITarget.objects.create(
                kpi=kpi, effective_from=kpi.existed_from, target=target, tolerance=tolerance
            )
        return kpi


class KPITargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPITarget

    kpi = factory.SubFactory(KPIFactory)
    effective_from = factory.LazyAttribute(lambda o: o.kpi.existed_from)
    target = Decimal("90")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    kpi = factory.SubFactory(KPIFactory)
    period_start = dt.date(2006, 4, 1)
    value = Decimal("10")


class ServiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLine

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Service line {n}")


class IncomeLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncomeLine

    plan = factory.SubFactory(PlanFactory)
    financial_year = 2006
    funder_label = factory.Sequence(lambda n: f"Partner {n}")
    service_line = factory.SubFactory(ServiceLineFactory, plan=factory.SelfAttribute("..plan"))
    amount = Decimal("1000.00")


class ExpenditureLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpenditureLine

    plan = factory.SubFactory(PlanFactory)
    financial_year = 2006
    manager = "Head of Services"
    description = factory.Sequence(lambda n: f"Line {n}")
    amount = Decimal("500.00")


class SwotItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SwotItem

    plan = factory.SubFactory(PlanFactory)
    quadrant = "S"
    text = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class PestelDriverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PestelDriver

    plan = factory.SubFactory(PlanFactory)
    category = "political"
    text = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class RiskCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskCategory

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Category {n}")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"R{n}")
    title = factory.Faker("sentence", nb_words=5)
    inherent_likelihood = 4
    inherent_consequence = 4
    current_likelihood = 3
    current_consequence = 4
    target_likelihood = 2
    target_consequence = 3


class ControlFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Control

    risk = factory.SubFactory(RiskFactory)
    kind = "control"
    description = factory.Faker("sentence")
    line_of_defence = 1


class RiskReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskReview

    risk = factory.SubFactory(RiskFactory)
    reviewed_on = dt.date(2026, 1, 15)
    likelihood = 3
    consequence = 4
    note = "Reviewed at the risk committee"


def reopen_reported_quarters(plan, *, by=None) -> None:
    """Reopen every quarter a plan's records may fall in (two years before it, for baselines,
    to one after), as a planner would. The factory plans are 2006/07, whose quarters locked
    long ago (planning.reporting_window); tests that enter values for them say so by calling
    this. The lock itself is tested in tests/planning/test_reporting_window.py."""
    QuarterReopening.objects.bulk_create(
        QuarterReopening(
            plan=plan,
            financial_year=year,
            quarter=number,
            reason="Test data for a reported year",
            reopened_by=by,
            reopened_at=timezone.now(),
        )
        for year in range(plan.start_year - 2, plan.end_year + 2)
        for number in (1, 2, 3, 4)
    )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Person {n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation as people.services.invite saves it (the table keeps only its link's hash:
    use invitation_with_token() for a link that works)."""

    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = "contributor"
    token_hash = factory.LazyFunction(lambda: tokens.token_hash(tokens.new_token()))
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + INVITATION_LIFETIME)


def invitation_with_token(**kwargs) -> tuple[Invitation, str]:
    """An invitation and the secret of its link (/invitations/<secret>/)."""
    token = tokens.new_token()
    return InvitationFactory(token_hash=tokens.token_hash(token), **kwargs), token
