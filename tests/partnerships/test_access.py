"""The partnership rule (planning.permissions): a role held in a partnership counts only while
its holder belongs to one of the partnership's member organisations, read on each request."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning import permissions as perms
from planning.models import Membership, PartnershipMember, User
from planning.permissions import ROLE_ACTIONS, Action
from tests.factories import MembershipFactory, OrganisationFactory, PlanFactory, UserFactory
from tests.partnerships.factories import (
    PARTNERSHIP_PEOPLE,
    PARTNERSHIP_SECRET,
    add_member,
    build_partnership_world,
)


@pytest.fixture
def pw(db):
    return build_partnership_world()


def fresh(user) -> User:
    """The same user as the next request sees them: no memberships cached."""
    return User.objects.get(pk=user.pk)


def where(user, action) -> set[int]:
    return set(perms.organisations_where(user, action).values_list("pk", flat=True))


@pytest.mark.django_db
class TestTheRule:
    @pytest.mark.parametrize("name", ["p_admin", "p_planner", "p_contributor", "p_viewer"])
    def test_a_partnership_role_with_a_home_organisation_acts_by_that_role(self, pw, name):
        role = PARTNERSHIP_PEOPLE[name][0]
        user = pw[name]
        assert perms.role_in(user, pw["partnership"].pk) == role
        for action in Action:
            expected = action in ROLE_ACTIONS[role]
            assert perms.has_permission(user, action, pw["partnership"].pk) == expected
        perms.require_plan(user, Action.VIEW, pw["p_plan"])

    @pytest.mark.parametrize("name", ["member_only", "other_org", "no_home"])
    def test_everybody_else_is_an_outsider(self, pw, name):
        user = pw[name]
        assert not perms.is_member(user, pw["partnership"].pk)
        with pytest.raises(Http404):
            perms.require_plan(user, Action.VIEW, pw["p_plan"])
        assert pw["partnership"].pk not in where(user, Action.VIEW)

    def test_the_partnership_role_grants_nothing_in_the_member_organisations(self, pw):
        # A partnership planner is a viewer at home (the fixture): no more there.
        assert perms.role_in(pw["p_planner"], pw["council"].pk) == "viewer"
        assert not perms.is_member(pw["p_planner"], pw["trust"].pk)

    def test_deactivating_the_home_membership_ends_partnership_access(self, pw):
        user = pw["p_planner"]
        Membership.objects.filter(user=user, organisation=pw["council"]).update(is_active=False)
        user = fresh(user)
        assert not perms.is_member(user, pw["partnership"].pk)
        with pytest.raises(Http404):
            perms.plan_for(user, Action.VIEW, pw["p_plan"].slug)

    def test_a_home_in_another_member_keeps_access(self, pw):
        user = pw["p_planner"]
        MembershipFactory(user=user, organisation=pw["trust"], role="viewer")
        Membership.objects.filter(user=user, organisation=pw["council"]).update(is_active=False)
        assert perms.role_in(fresh(user), pw["partnership"].pk) == "planner"

    def test_removing_the_member_organisation_ends_partnership_access(self, pw):
        user = pw["p_contributor"]
        PartnershipMember.objects.filter(member=pw["council"]).delete()
        user = fresh(user)
        assert not perms.is_member(user, pw["partnership"].pk)
        assert pw["partnership"].pk not in where(user, Action.VIEW)
        # Their home organisation's own access stays.
        assert perms.role_in(user, pw["council"].pk) == "viewer"

    def test_the_partnership_role_deactivated_ends_it_too(self, pw):
        user = pw["p_viewer"]
        Membership.objects.filter(user=user, organisation=pw["partnership"]).update(is_active=False)
        assert not perms.is_member(fresh(user), pw["partnership"].pk)

    def test_a_partnership_without_members_recorded_is_an_ordinary_organisation(self, db):
        partnership = OrganisationFactory(kind="partnership")
        user = MembershipFactory(organisation=partnership, role="planner").user
        assert perms.role_in(user, partnership.pk) == "planner"
        assert where(user, Action.EDIT_PLAN) == {partnership.pk}

    def test_the_superuser_rule_is_unchanged(self, pw):
        superuser = UserFactory(is_superuser=True)
        assert perms.role_in(superuser, pw["partnership"].pk) == "admin"
        perms.require_plan(superuser, Action.APPROVE_PLAN, pw["p_plan"])

    def test_a_contributor_is_refused_editing_with_403(self, pw):
        with pytest.raises(PermissionDenied):
            perms.require_plan(pw["p_contributor"], Action.EDIT_PLAN, pw["p_plan"])

    @pytest.mark.parametrize("name", list(PARTNERSHIP_PEOPLE))
    def test_sql_and_cached_readings_agree(self, pw, name):
        user = fresh(pw[name])
        for action in Action:
            cached = set(perms.organisation_ids_where(user, action))
            assert where(user, action) == cached, (name, action)
            assert perms.may_anywhere(user, action) == bool(cached)

    def test_lists_show_nothing_of_the_partnership_to_outsiders(self, client, pw):
        for name in ("member_only", "other_org", "no_home"):
            client.force_login(pw[name])
            body = client.get(reverse("objectives:list")).content.decode()
            assert PARTNERSHIP_SECRET not in body, name
            assert (
                "Shire Partnership Plan"
                not in client.get(reverse("planning:home")).content.decode()
            )
        client.force_login(pw["p_viewer"])
        assert PARTNERSHIP_SECRET in client.get(reverse("objectives:list")).content.decode()


def _partnerships(count: int, user) -> list:
    """`count` partnerships, each with two members, the user a planner in each through a home
    membership of one of them, and a plan in each."""
    made = []
    for _ in range(count):
        partnership = OrganisationFactory(kind="partnership")
        home, other = OrganisationFactory(kind="trust"), OrganisationFactory(kind="council")
        add_member(partnership, home, 1)
        add_member(partnership, other, 2)
        MembershipFactory(user=user, organisation=home, role="viewer")
        MembershipFactory(user=user, organisation=partnership, role="planner")
        made.append((partnership, PlanFactory(organisation=partnership)))
    return made


@pytest.mark.django_db
class TestQueries:
    @pytest.mark.parametrize("count", [1, 10])
    def test_permission_checks_cost_the_same_whatever_the_partnerships(self, count):
        user = UserFactory()
        made = _partnerships(count, user)
        user = fresh(user)
        with CaptureQueriesContext(connection) as queries:
            for partnership, plan in made:
                perms.require_plan(user, Action.EDIT_PLAN, plan)
                assert perms.has_permission(user, Action.VIEW, partnership.pk)
            perms.may_anywhere(user, Action.EXPORT)
            perms.organisation_ids_where(user, Action.VIEW)
        # The memberships (the partnership rule inside, their units joined): one, once.
        assert len(queries) == 1

    def test_pages_run_the_same_queries_at_1x_and_10x_partnerships(self, client):
        user = UserFactory()
        made = _partnerships(1, user)
        client.force_login(user)
        urls = [
            reverse("reporting:plan_detail", args=[made[0][1].slug]),
            reverse("objectives:list"),
        ]

        def counts():
            found = []
            for url in urls:
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                found.append(len(queries))
            return found

        once = counts()
        _partnerships(9, user)
        assert counts() == once
