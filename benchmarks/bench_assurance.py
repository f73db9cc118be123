"""The Board Assurance Framework and the risk register: 500 principal risks over 8 strategic
priorities, each with two mitigating actions and four reviews (target: the BAF under 150 ms)."""

from __future__ import annotations

import datetime as dt
import random

from benchmarks.harness import bench, time_request

RISKS, PRIORITIES, ACTIONS, REVIEWS = 500, 8, 300, 4


@bench("assurance")
def assurance_pages() -> None:
    from django.test import Client

    from assurance.models import Risk, RiskCategory, RiskReview
    from objectives.models import Objective
    from planning.models import Membership, Organisation, Plan, Role, StrategicPriority, User

    rng = random.Random(14)  # noqa: S311 - benchmark data
    org = Organisation.objects.create(name="Assurance Trust", slug="assurance-trust", kind="trust")
    plan = Plan.objects.create(
        organisation=org,
        kind="business_plan",
        title="Assurance Plan",
        slug="assurance-plan",
        start_year=2024,
        end_year=2026,
    )
    priorities = StrategicPriority.objects.bulk_create(
        StrategicPriority(plan=plan, number=i + 1, title=f"Priority {i + 1}")
        for i in range(PRIORITIES)
    )
    actions = Objective.objects.bulk_create(
        Objective(plan=plan, kind="action", text=f"Action {i}", reference=f"A-{i}", order=i)
        for i in range(ACTIONS)
    )
    categories = RiskCategory.objects.bulk_create(
        RiskCategory(organisation=org, name=f"Category {i}", appetite=8) for i in range(5)
    )
    roles = Role.objects.bulk_create(
        Role(organisation=org, title=f"Director {i}") for i in range(10)
    )
    risks = []
    for i in range(RISKS):
        inherent = (rng.randint(3, 5), rng.randint(3, 5))
        current = (rng.randint(2, inherent[0]), rng.randint(2, inherent[1]))
        risks.append(
            Risk(
                organisation=org,
                plan=plan,
                reference=f"BAF {i}",
                title=f"Principal risk {i}",
                category=categories[i % 5],
                owner_role=roles[i % 10],
                inherent_likelihood=inherent[0],
                inherent_consequence=inherent[1],
                current_likelihood=current[0],
                current_consequence=current[1],
                target_likelihood=1,
                target_consequence=2,
                gaps_in_control="No tested plan",
                is_principal=True,
                review_date=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 365)),
            )
        )
    risks = Risk.objects.bulk_create(risks)
    Risk.priorities.through.objects.bulk_create(
        Risk.priorities.through(risk=r, strategicpriority=priorities[i % PRIORITIES])
        for i, r in enumerate(risks)
    )
    Risk.mitigating_actions.through.objects.bulk_create(
        Risk.mitigating_actions.through(risk=r, objective=a)
        for r in risks
        for a in rng.sample(actions, 2)
    )
    RiskReview.objects.bulk_create(
        RiskReview(
            risk=r,
            reviewed_on=dt.date(2025, 1, 1) + dt.timedelta(days=90 * n),
            likelihood=rng.randint(1, 5),
            consequence=rng.randint(1, 5),
        )
        for r in risks
        for n in range(REVIEWS)
    )
    user = User.objects.create_user(username="assurance-board")
    Membership.objects.create(user=user, organisation=org, role="viewer")
    client = Client()
    client.force_login(user)
    print(f"{RISKS} principal risks, {PRIORITIES} priorities, {REVIEWS} reviews each")
    for label, page in [
        ("Board Assurance Framework", f"/plans/{plan.slug}/board-assurance-framework/"),
        ("Risk register", f"/organisations/{org.slug}/risks/"),
    ]:
        print(time_request(label, client, page, repeat=20).line())
