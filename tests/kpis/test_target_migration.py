"""The data migration carries each KPI's old target and tolerance as its first dated target,
from its plan's start or its earliest measurement, whichever is earlier (kpis 0006)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from planning import content_version

BEFORE = [("kpis", "0005_measurement_withdrawal")]
AFTER = [("kpis", "0006_targets_by_period")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def every_migration_applied_afterwards():
    """Stepping kpis back also unapplies every later migration that depends on it (other
    apps' too): put the whole schema back to the latest, or the transactional tests that run
    after this one find columns missing."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    # And the content version's triggers, as `migrate` puts them back (planning.apps): SQLite
    # drops a table's triggers with the table when a migration rebuilds it.
    content_version.install()


@pytest.mark.django_db(transaction=True)
def test_targets_are_carried_from_the_earlier_of_plan_start_and_first_measurement():
    apps = migrate(BEFORE)
    Organisation = apps.get_model("planning", "Organisation")
    Plan = apps.get_model("planning", "Plan")
    KPI = apps.get_model("kpis", "KPI")
    Measurement = apps.get_model("kpis", "Measurement")
    org = Organisation.objects.create(name="Trust", slug="trust", kind="trust")
    plan = Plan.objects.create(
        organisation=org,
        kind="business_plan",
        title="Plan",
        slug="plan",
        start_year=2006,
        end_year=2007,
    )
    early = KPI.objects.create(plan=plan, code="L1", name="a", perspective="L", target=D("90"))
    Measurement.objects.create(kpi=early, period_start=dt.date(2005, 7, 1), value=1)
    late = KPI.objects.create(
        plan=plan, code="L2", name="b", perspective="L", target=D("4"), tolerance=D("0.5")
    )
    Measurement.objects.create(kpi=late, period_start=dt.date(2007, 1, 1), value=1)
    KPI.objects.create(plan=plan, code="L3", name="c", perspective="L")  # no target

    apps = migrate(AFTER)
    KPITarget = apps.get_model("kpis", "KPITarget")
    rows = {
        t.kpi.code: (t.effective_from, t.target, t.tolerance)
        for t in KPITarget.objects.select_related("kpi")
    }
    assert rows == {
        "L1": (dt.date(2005, 7, 1), D("90"), None),  # its first value came before the plan
        "L2": (dt.date(2006, 4, 1), D("4"), D("0.5")),  # the plan's first day
    }
    KPI = migrate(BEFORE).get_model("kpis", "KPI")  # and back: the first target returns
    assert KPI.objects.get(code="L2").tolerance == D("0.5")
    migrate([("kpis", "0006_targets_by_period")])
