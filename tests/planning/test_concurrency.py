"""planning.concurrency: the one stale-edit error and the check-version-then-write helper."""

from __future__ import annotations

import pytest
from django.db import transaction

from kpis.models import KPI
from planning.concurrency import StaleEditError, lock_at_version, opened_before
from tests.factories import KPIFactory


@pytest.mark.django_db
class TestLockAtVersion:
    def test_returns_the_row_with_its_version_raised_for_the_write(self):
        kpi = KPIFactory()
        with transaction.atomic():
            locked = lock_at_version(
                KPI.objects, pk=kpi.pk, expected_version=kpi.version, stale_message="Stale."
            )
            assert locked.version == kpi.version + 1
            locked.save()
        kpi.refresh_from_db()
        assert kpi.version == 2

    def test_without_bump_leaves_the_version_to_the_caller(self):
        kpi = KPIFactory()
        with transaction.atomic():
            locked = lock_at_version(
                KPI.objects, pk=kpi.pk, expected_version=1, stale_message="Stale.", bump=False
            )
        assert locked.version == 1

    def test_a_stale_version_is_refused_with_the_row_and_its_changes(self):
        kpi = KPIFactory()
        KPI.objects.filter(pk=kpi.pk).update(version=3, name="Renamed meanwhile")
        with pytest.raises(StaleEditError) as caught, transaction.atomic():
            lock_at_version(
                KPI.objects,
                pk=kpi.pk,
                expected_version=1,
                stale_message="Somebody else changed this.",
                changes=lambda row: [f"name: {row.name}"],
            )
        assert str(caught.value) == "Somebody else changed this."
        assert caught.value.current.version == 3
        assert caught.value.changes == ["name: Renamed meanwhile"]
        kpi.refresh_from_db()
        assert kpi.version == 3

    def test_no_expected_version_is_stale(self):
        kpi = KPIFactory()
        with pytest.raises(StaleEditError), transaction.atomic():
            lock_at_version(KPI.objects, pk=kpi.pk, expected_version=None, stale_message="x")

    def test_another_field_can_carry_the_version(self):
        kpi = KPIFactory()
        with pytest.raises(StaleEditError), transaction.atomic():
            lock_at_version(
                KPI.objects, pk=kpi.pk, field="pk", expected_version=kpi.pk + 1, stale_message="x"
            )


class TestOpenedBefore:
    @pytest.mark.parametrize(
        ("posted", "expected"),
        [({"version": "3"}, False), ({"version": "2"}, True), ({"version": "4"}, True)],
    )
    def test_a_form_opened_at_another_version(self, posted, expected):
        assert opened_before(posted, 3) is expected

    @pytest.mark.parametrize("posted", [{}, {"version": ""}, {"version": "three"}])
    def test_a_form_without_a_readable_version_is_left_to_its_validation(self, posted):
        assert opened_before(posted, 3) is False

    def test_another_field(self):
        assert opened_before({"revision": "1", "version": "3"}, 3, field="revision") is True
