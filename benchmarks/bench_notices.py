"""One `send_notices` pass for 2,000 people and 20,000 items (issue 16): the time and the number
of queries of each kind of notice. Target: the whole pass under 30 s, with a number of queries
per kind that does not grow with the people or items.

Four organisations of 500 people and 5,000 items each. The clock is Monday 13 July 2026: two
plans are before their Q1 deadline (reminders), two past it (overdue notices, a 5-working-day
calendar); it is Monday (past-due notices and the planners' digest); each plan's Q1 board pack
was just published. Delivery is inline to Django's locmem mail backend (the test settings'),
which builds every message (MIME, both parts) and keeps it in memory instead of sending it."""

from __future__ import annotations

import datetime as dt
import os
import time

from benchmarks.harness import bench

ORGS, PEOPLE, ITEMS, KPIS, UNITS, ROLES = 4, 500, 5000, 100, 50, 100


def _build():
    from django.utils import timezone

    from kpis.models import KPI
    from notices.models import BoardPackPublication
    from objectives.models import Objective, ProgressUpdate
    from planning.models import Membership, Organisation, OrgUnit, Person, Plan, Role, User

    now = timezone.now()
    for o in range(ORGS):
        org = Organisation.objects.create(
            name=f"Notices Bench Trust {o}", short_name=f"NBT{o}", slug=f"nbt-{o}", kind="trust"
        )
        plan = Plan.objects.create(
            organisation=org,
            kind="business_plan",
            title=f"Bench Plan {o}",
            slug=f"notices-bench-{o}",
            start_year=2026,
            end_year=2026,
            reporting_working_days=15 if o < 2 else 5,
        )
        units = OrgUnit.objects.bulk_create(
            OrgUnit(organisation=org, name=f"Department {u}", kind="department", order=u)
            for u in range(UNITS)
        )
        roles = Role.objects.bulk_create(
            Role(organisation=org, title=f"Lead {r}", abbreviation=f"L{r}") for r in range(ROLES)
        )
        users = User.objects.bulk_create(
            User(
                username=f"nb{o}-{p}",
                email=f"nb{o}-{p}@example.org",
                first_name="Bench",
                last_name=str(p),
            )
            for p in range(PEOPLE)
        )
        # 440 contributors, 20 planners, 40 board members.
        role_of = ["planner"] * 20 + ["viewer"] * 40 + ["contributor"] * (PEOPLE - 60)
        memberships = Membership.objects.bulk_create(
            Membership(user=u, organisation=org, role=role_of[i]) for i, u in enumerate(users)
        )
        Membership.org_units.through.objects.bulk_create(
            Membership.org_units.through(membership=m, orgunit=units[i % UNITS])
            for i, m in enumerate(memberships)
            if m.role == "contributor"
        )
        contributors = [u for i, u in enumerate(users) if role_of[i] == "contributor"]
        people = Person.objects.bulk_create(
            Person(organisation=org, name=f"Person {r}", user=contributors[r]) for r in range(ROLES)
        )
        Person.roles.through.objects.bulk_create(
            Person.roles.through(person=p, role=roles[r]) for r, p in enumerate(people)
        )
        items = Objective.objects.bulk_create(
            Objective(
                plan=plan,
                kind="operational",
                text=f"Deliver improvement {i}",
                reference=f"{i}",
                order=i,
                org_unit=units[i % UNITS],
                due_date=dt.date(2026, 6, 30) if i % 10 == 0 else dt.date(2027, 3, 31),
                rag=["green", "amber", "red", "green"][i % 4],
                status="in_progress",
            )
            for i in range(ITEMS)
        )
        Objective.lead_roles.through.objects.bulk_create(
            Objective.lead_roles.through(objective=item, role=roles[i % ROLES])
            for i, item in enumerate(items)
            if i % 5 == 0
        )
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                objective=item,
                financial_year=2026,
                quarter=1,
                status="in_progress",
                rag=item.rag,
                percent_complete=40,
            )
            for i, item in enumerate(items)
            if i % 2
        )
        KPI.objects.bulk_create(
            KPI(
                plan=plan,
                code=f"P{k}",
                name=f"Measure {k}",
                perspective="P",
                frequency="monthly" if k % 3 else "quarterly",
                owner_role=roles[k % ROLES],
            )
            for k in range(KPIS)
        )
        BoardPackPublication.objects.create(
            plan=plan, financial_year=2026, quarter=1, published_by=users[0], published_at=now
        )


@bench("notices")
def notices_pass() -> None:
    from zoneinfo import ZoneInfo

    import time_machine
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notices.models import NoticeKind
    from notices.sender import run_pass

    when = dt.datetime(2026, 7, 13, 7, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(when, tick=False):
        _build()
    mail.outbox = []
    print(
        f"{ORGS * PEOPLE:,} people, {ORGS * ITEMS:,} items, {ORGS * KPIS} KPIs; "
        "delivery inline to the locmem backend (messages built, kept in memory)"
    )
    total = cpu_total = 0.0
    for kind in NoticeKind:
        marks = {}
        with time_machine.travel(when, tick=True), CaptureQueriesContext(connection) as queries:
            start, cpu_start = time.perf_counter(), time.process_time()
            run_pass(
                kinds=[kind],
                inline=True,
                on_kind=lambda k, ids, q=queries, m=marks: m.update(
                    read=len(q), at=time.perf_counter(), n=len(ids)
                ),
            )
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu_start
        total += elapsed
        cpu_total += cpu
        print(
            f"{kind.value:<11} {marks['n']:>5} notices   {elapsed:6.2f} s "
            f"(Python CPU {cpu:5.2f} s, "
            f"composing and queueing {marks['at'] - start:5.2f} s)   "
            f"queries: {marks['read']:>3} to read and queue, {len(queries) - marks['read']:>3} "
            "to deliver"
        )
    print(
        f"{'the pass':<11} {len(mail.outbox):>5} e-mails   {total:6.2f} s "
        f"(Python CPU {cpu_total:5.2f} s)   target < 30 s;   load average {os.getloadavg()[0]:.1f}"
    )
