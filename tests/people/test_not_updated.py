"""Who has not updated for the quarter being reported (issue 16, item 6): the rule, the page, and a
fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from people import chasing, selectors
from planning.fy import Quarter
from tests.factories import (
    MembershipFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    PersonFactory,
    PlanFactory,
    ProgressUpdateFactory,
    RoleFactory,
    UserFactory,
)

# A Tuesday in Q3 2026/27: Q2's deadline (15 working days after 30 September) has passed.
TODAY = dt.date(2026, 11, 10)
# Early October: Q2 ended, its deadline still ahead.
EARLY_OCTOBER = dt.date(2026, 10, 6)


class TestTheReportingQuarter:
    def test_the_oldest_open_quarter_with_a_deadline(self):
        q2, q3 = Quarter(2026, 2), Quarter(2026, 3)
        picked = chasing.reporting_quarter(
            [(q2, dt.date(2026, 10, 21)), (q3, dt.date(2027, 1, 21))],
            first_year=2026,
            last_year=2026,
        )
        assert picked == (q2, dt.date(2026, 10, 21))

    def test_a_reopened_quarter_only_for_a_plan_of_past_years(self):
        old, now = Quarter(2006, 4), Quarter(2026, 3)
        opened = [(old, None), (now, dt.date(2027, 1, 21))]
        assert chasing.reporting_quarter(opened, first_year=2006, last_year=2006) == (old, None)
        assert chasing.reporting_quarter(opened, first_year=2026, last_year=2026)[0] == now
        assert chasing.reporting_quarter(opened, first_year=2010, last_year=2012) is None

    def test_members_answer_for_their_units_and_roles(self):
        item = chasing.Item(pk=1, label="1", plan_id=1, org_unit_id=5, role_ids=frozenset({7}))
        by_unit = chasing.Member(1, frozenset({5}), frozenset())
        by_role = chasing.Member(2, frozenset(), frozenset({7}))
        neither = chasing.Member(3, frozenset({6}), frozenset({8}))
        found = chasing.chase([by_unit, by_role, neither], [item])
        assert set(found.by_member) == {1, 2}
        orphan = chasing.Item(pk=2, label="2", plan_id=1, org_unit_id=None, role_ids=frozenset())
        assert chasing.chase([by_unit], [orphan]).unanswered == [orphan]


def _world(organisation, scale: int):
    """`scale` contributors, each with a unit item not updated, a role item updated this
    quarter, and a closed item; plus one item nobody answers for."""
    plan = PlanFactory(organisation=organisation, start_year=2026, end_year=2026)
    quarter = Quarter.containing(TODAY)
    people = []
    for _ in range(scale):
        user = UserFactory()
        membership = MembershipFactory(user=user, organisation=organisation, role="contributor")
        unit = OrgUnitFactory(organisation=organisation)
        membership.org_units.add(unit)
        role = RoleFactory(organisation=organisation)
        PersonFactory(organisation=organisation, user=user).roles.add(role)
        pending = ObjectiveFactory(plan=plan, org_unit=unit)
        done = ObjectiveFactory(plan=plan)
        done.lead_roles.add(role)
        ProgressUpdateFactory(objective=done, financial_year=quarter.year, quarter=quarter.number)
        ObjectiveFactory(plan=plan, org_unit=unit, status="completed")
        people.append((user, pending, done))
    orphan = ObjectiveFactory(plan=plan, lead_text="Director of Nursing")
    return plan, people, orphan


@pytest.mark.django_db
class TestTheReport:
    def test_lists_who_has_items_without_an_update(self, organisation):
        plan, people, orphan = _world(organisation, 2)
        report = selectors.not_updated(organisation, TODAY)
        assert [(e.plan, e.quarter) for e in report.plans] == [(plan, Quarter(2026, 3))]
        rows = {row.membership.user: row.items for row in report.rows}
        for user, pending, done in people:
            assert rows[user] == [pending]
        assert report.unanswered == [orphan]
        assert report.total == 3

    def test_a_deactivated_member_is_not_chased(self, organisation):
        _, people, _ = _world(organisation, 1)
        user = people[0][0]
        user.memberships.update(is_active=False)
        report = selectors.not_updated(organisation, TODAY)
        assert report.rows == []
        assert len(report.unanswered) == 2  # their item now has nobody to answer for it

    def test_after_a_quarter_ends_its_own_updates_count(self, organisation):
        plan, people, _ = _world(organisation, 1)
        user, pending, done = people[0]
        # Early October the quarter being reported is Q2: nothing has a Q2 update.
        report = selectors.not_updated(organisation, EARLY_OCTOBER)
        assert report.plans[0].quarter == Quarter(2026, 2)
        assert set(report.rows[0].items) == {pending, done}

    def test_a_withdrawn_update_does_not_count(self, organisation):
        _, people, _ = _world(organisation, 1)
        _, _, done = people[0]
        done.updates.update(
            state="withdrawn", state_changed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        )
        report = selectors.not_updated(organisation, TODAY)
        assert done in report.rows[0].items

    @pytest.mark.parametrize("scale", [1, 10])
    def test_the_pages_queries_do_not_grow(
        self, client, organisation, org_admin, planner, scale, django_assert_max_num_queries
    ):
        _world(organisation, scale)
        with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), tick=False):
            for user, name, most in (
                (planner, "people:not_updated", 14),
                # 21: the page asks whether the organisation is a partnership with members
                # (then it shows each person's home organisation).
                (org_admin, "people:list", 21),
            ):
                client.force_login(user)
                with django_assert_max_num_queries(most):
                    response = client.get(reverse(name, args=[organisation.slug]))
                assert response.status_code == 200
                assert response.context["report"].total == scale + 1

    def test_the_planners_page_names_them(self, client, organisation, planner):
        _, people, _ = _world(organisation, 1)
        user, pending, _ = people[0]
        client.force_login(planner)
        with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), tick=False):
            body = client.get(reverse("people:not_updated", args=[organisation.slug]))
        text = body.content.decode()
        assert str(user) in text
        assert reverse("objectives:detail", args=[pending.pk]) in text
        assert "Director of Nursing" in text
