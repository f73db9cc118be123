"""Comparing two versions of a 2,000-objective plan (planning.versions): the comparison page,
between two frozen versions and between a frozen version and the draft that follows it. Each
version changes a tenth of the items, removes 20 and adds 50. The same page of a 200-objective
plan shows that the number of queries does not grow with the plan."""

from __future__ import annotations

import datetime as dt

from benchmarks.harness import bench, time_request


def _versioned_plan(org, user, size: int):
    """A plan ratified at 4.0 (frozen), refreshed and changed, ratified at 4.1 (frozen), then
    refreshed and changed again: a 4.2 draft."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from objectives.models import Milestone, Objective
    from planning import lifecycle, versions
    from planning.models import Plan

    plan = Plan.objects.create(
        organisation=org,
        kind="business_plan",
        title=f"Versions Bench Plan {size}",
        slug=f"versions-bench-{size}",
        start_year=2025,
        end_year=2025,
        version_label="4.0",
        status="ratified",
        ratified_by="Trust Board",
        board_minute_reference="TB/2025/1",
    )
    Objective.objects.bulk_create(
        [
            Objective(
                plan=plan,
                kind="operational",
                text=f"Objective {i}",
                reference=f"V-{i}",
                measure=f"Measure {i}",
                due_text="March 2026",
                order=i,
            )
            for i in range(size)
        ]
    )
    Milestone.objects.bulk_create(
        [
            Milestone(objective=o, text="Milestone", order=1)
            for o in Objective.objects.filter(plan=plan)
        ]
    )
    versions.freeze(plan, by=user)

    def change_round(round_number: int):
        nonlocal plan
        plan = lifecycle.start_refresh(plan=plan, by=user, expected_version=plan.version)
        items = Objective.objects.filter(plan=plan).order_by("order")
        ids = list(items.values_list("pk", flat=True))
        Objective.objects.filter(pk__in=ids[round_number::10]).update(
            text=Concat(F("text"), Value(f" (revised {round_number})"))
        )
        doomed = ids[-20:]
        Milestone.objects.filter(objective_id__in=doomed).delete()
        Objective.objects.filter(pk__in=doomed).delete()
        last = size + 100 * round_number
        Objective.objects.bulk_create(
            [
                Objective(
                    plan=plan,
                    kind="operational",
                    text=f"Added {i}",
                    reference=f"N{round_number}-{i}",
                    is_new=True,
                    order=last + i,
                )
                for i in range(50)
            ]
        )
        plan = Plan.objects.get(pk=plan.pk)

    change_round(1)
    # Ratify 4.1 as the board would (the administrator records it): frozen, 4.0 superseded.
    plan.status = "approved"
    plan.save()
    plan = lifecycle.ratify(
        plan=plan,
        by=user,
        expected_version=plan.version,
        ratified_by="Trust Board",
        date_ratified=dt.date(2025, 6, 1),
        board_minute_reference="TB/2025/9",
    )
    change_round(2)
    return Plan.objects.get(pk=plan.pk)


@bench("versions")
def version_comparison() -> None:
    from django.test import Client

    from planning.models import Membership, Organisation, PlanVersion, User

    org = Organisation.objects.create(
        name="Versions Bench Trust", slug="versions-bench-trust", kind="trust"
    )
    user = User.objects.create_user("versions-bench", password="bench-password")  # noqa: S106
    Membership.objects.create(user=user, organisation=org, role="admin")
    client = Client()
    client.force_login(user)
    for size in (200, 2000):
        plan = _versioned_plan(org, user, size)
        v40, v41 = PlanVersion.objects.filter(plan=plan).order_by("created_at")
        base = f"/plans/{plan.slug}/versions/"
        print(f"{size:,} objectives, versions 4.0, 4.1 (frozen) and 4.2 (draft)")
        for label, url in [
            (f"compare 4.0 with 4.1 ({size:,})", f"{base}?before={v40.pk}&after={v41.pk}"),
            (f"compare 4.1 with the 4.2 draft ({size:,})", f"{base}?before={v41.pk}&after=current"),
        ]:
            print(time_request(label, client, url, repeat=15).line())
