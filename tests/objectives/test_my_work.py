"""My work: each item sits in the first group that fits; an empty group says what is true."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from objectives import selectors
from tests.factories import ObjectiveFactory, OrgUnitFactory, ProgressUpdateFactory

TODAY = dt.date(2006, 11, 15)  # Q3 2006/07


@pytest.fixture
def unit(organisation, contributor):
    estates = OrgUnitFactory(organisation=organisation, name="Estates")
    contributor.memberships.get().org_units.add(estates)
    return estates


def reported(objective, quarter=3, **kwargs):
    update = ProgressUpdateFactory(objective=objective, quarter=quarter, **kwargs)
    objective.latest_update = update
    objective.status = update.status
    objective.save()
    return update


def group(work, group_id):
    return next(g for g in work.groups if g.id == group_id)


@pytest.mark.django_db
class TestMyWorkGroups:
    def test_no_items_says_so_instead_of_empty_groups(self, client, contributor):
        client.force_login(contributor)
        response = client.get(reverse("objectives:my_work"))
        assert "You lead no objectives or actions" in response.text
        assert "No update this quarter" not in response.text
        assert "has an update" not in response.text

    def test_empty_no_update_group_counts_the_items_that_have_one(self, plan, unit, contributor):
        reported(ObjectiveFactory(plan=plan, org_unit=unit, due_date=dt.date(2007, 3, 31)))
        reported(ObjectiveFactory(plan=plan, org_unit=unit, due_date=None))
        work = selectors.my_work(contributor, today=TODAY)
        assert group(work, "no-update").items == []
        assert group(work, "no-update").empty == (
            f"The other 2 open items have an update for {work.quarter}."
        )
        assert str(work.quarter).startswith("Q3 2006/07")

    def test_no_other_open_items(self, plan, unit, contributor):
        ObjectiveFactory(plan=plan, org_unit=unit, due_date=dt.date(2006, 6, 30), text="Late")
        work = selectors.my_work(contributor, today=TODAY)
        assert [o.text for o in group(work, "overdue").items] == ["Late"]
        assert group(work, "no-update").empty == "No other open items."

    @pytest.mark.parametrize("status", ["completed_ongoing", "cancelled", "completed"])
    def test_closed_items_are_not_overdue_nor_waiting_for_an_update(
        self, plan, unit, contributor, status
    ):
        item = ObjectiveFactory(plan=plan, org_unit=unit, due_date=dt.date(2006, 6, 30))
        reported(item, quarter=1, status=status, rag="", percent_complete=100)
        work = selectors.my_work(contributor, today=TODAY)
        assert group(work, "overdue").items == []
        assert group(work, "no-update").items == []
        assert group(work, "rest").items == [item]

    def test_rag_counts_read_a_completed_item_without_rating_as_complete(
        self, plan, unit, contributor
    ):
        item = ObjectiveFactory(plan=plan, org_unit=unit)
        reported(item, status="completed", rag="", percent_complete=100)
        item.rag = ""
        item.save()
        counts = {value: count for value, _, count in selectors.my_work(contributor).rag_counts}
        assert counts["blue"] == 1
        assert counts[""] == 0


@pytest.mark.django_db
class TestMyWorkQueries:
    def test_constant_number_of_queries(self, client, plan, unit, contributor):
        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("objectives:my_work")).status_code == 200
            return len(ctx.captured_queries)

        client.force_login(contributor)
        for item in ObjectiveFactory.create_batch(3, plan=plan, org_unit=unit):
            reported(item)
        small = count()
        for item in ObjectiveFactory.create_batch(30, plan=plan, org_unit=unit):
            reported(item, status="completed", rag="", percent_complete=100)
        ObjectiveFactory.create_batch(30, plan=plan, org_unit=unit, due_date=None)
        assert count() == small
