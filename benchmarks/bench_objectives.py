"""The objectives table and the plan page at 2,000 items."""

from __future__ import annotations

from benchmarks.harness import bench, time_request


@bench("objectives")
def objectives_pages() -> None:
    from django.test import Client

    from objectives.models import Objective
    from planning.models import Membership, Organisation, Plan, User

    org = Organisation.objects.create(
        name="Objectives Bench Trust", slug="objectives-bench-trust", kind="trust"
    )
    plan = Plan.objects.create(
        organisation=org,
        kind="business_plan",
        title="Bench Plan",
        slug="objectives-bench-plan",
        start_year=2025,
        end_year=2025,
    )
    Objective.objects.bulk_create(
        [
            Objective(
                plan=plan, kind="operational", text=f"Objective {i}", reference=f"B-{i}", order=i
            )
            for i in range(2000)
        ]
    )
    user = User.objects.create_user("objectives-bench", password="bench-password")  # noqa: S106
    Membership.objects.create(user=user, organisation=org, role="viewer")
    client = Client()
    client.force_login(user)
    print("2,000 objectives in one plan")
    for label, url in [
        ("objectives table (page 1 of 40)", "/objectives/"),
        ("objectives table filtered (q=1)", "/objectives/?q=1"),
        ("plan page (all 2,000)", f"/plans/{plan.slug}/"),
    ]:
        print(time_request(label, client, url, repeat=15).line())
