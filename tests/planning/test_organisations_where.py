"""organisations_where(user, action): the one answer to "where may this user do X?", with its
two cached readings (organisation_ids_where, may_anywhere) and the partner rule beside it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from objectives.models import Objective
from planning import permissions as perms
from planning.models import ClientRelationship, Membership, User
from planning.permissions import ROLE_ACTIONS, Action
from tests.factories import (
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
)


def where(user, action) -> set[int]:
    return set(perms.organisations_where(user, action).values_list("pk", flat=True))


def fresh(user) -> User:
    """The same user without memberships cached: as the next request would see them."""
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
class TestOrganisationsWhere:
    def test_superuser_everywhere_for_every_action_without_membership(self):
        first, second = OrganisationFactory(), OrganisationFactory()
        superuser = UserFactory(is_superuser=True)
        for action in Action:
            assert where(superuser, action) == {first.pk, second.pk}
            assert set(perms.organisation_ids_where(superuser, action)) == {first.pk, second.pk}
            assert perms.may_anywhere(superuser, action)

    @pytest.mark.parametrize("role", list(ROLE_ACTIONS))
    def test_member_where_the_role_allows(self, organisation, role):
        user = MembershipFactory(organisation=organisation, role=role).user
        OrganisationFactory()  # another organisation, never included
        for action in Action:
            expected = {organisation.pk} if action in ROLE_ACTIONS[role] else set()
            assert where(user, action) == expected, (role, action)
            assert set(perms.organisation_ids_where(user, action)) == expected, (role, action)
            assert perms.may_anywhere(user, action) == bool(expected), (role, action)

    def test_each_organisation_by_its_own_role(self):
        read_only, planned = OrganisationFactory(), OrganisationFactory()
        user = UserFactory()
        MembershipFactory(user=user, organisation=read_only, role="viewer")
        MembershipFactory(user=user, organisation=planned, role="planner")
        assert where(user, Action.VIEW) == {read_only.pk, planned.pk}
        assert where(user, Action.EXPORT) == {read_only.pk, planned.pk}
        assert where(user, Action.EDIT_PLAN) == {planned.pk}
        assert where(user, Action.MANAGE_MEMBERS) == set()

    def test_non_member_and_anonymous_nowhere(self, organisation, outsider):
        for action in Action:
            assert organisation.pk not in where(outsider, action)
            assert where(AnonymousUser(), action) == set()
            assert perms.organisation_ids_where(AnonymousUser(), action) == []
            assert not perms.may_anywhere(AnonymousUser(), action)
            assert not perms.may_anywhere(None, action)

    def test_agrees_with_the_single_organisation_check(self, organisation, other_organisation):
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation, role="contributor")
        MembershipFactory(user=user, organisation=other_organisation, role="admin")
        for action in Action:
            assert where(user, action) == {
                org.pk
                for org in (organisation, other_organisation)
                if perms.has_permission(user, action, org.pk)
            }


@pytest.mark.django_db
class TestQueries:
    def test_building_the_queryset_runs_no_query(self, viewer):
        user = fresh(viewer)
        with CaptureQueriesContext(connection) as ctx:
            perms.organisations_where(user, Action.VIEW)
        assert len(ctx.captured_queries) == 0

    def test_filtering_costs_the_same_however_many_organisations(self):
        user = UserFactory()

        def count() -> int:
            again = fresh(user)
            with CaptureQueriesContext(connection) as ctx:
                list(Objective.objects.for_user(again))
            return len(ctx.captured_queries)

        MembershipFactory(user=user)
        ObjectiveFactory(plan=PlanFactory(organisation=Membership.objects.get().organisation))
        few = count()
        for _ in range(10):
            ObjectiveFactory(
                plan=PlanFactory(organisation=MembershipFactory(user=user).organisation)
            )
        assert count() == few == 1  # the objectives; the rule is a subquery

    def test_cached_readings_cost_only_the_memberships(self):
        user = UserFactory()

        def count() -> int:
            again = fresh(user)
            with CaptureQueriesContext(connection) as ctx:
                perms.organisation_ids_where(again, Action.EXPORT)
                perms.may_anywhere(again, Action.VIEW_AUDIT)
                perms.organisation_ids_where(again, Action.VIEW)
            return len(ctx.captured_queries)

        MembershipFactory(user=user)
        few = count()
        for _ in range(10):
            MembershipFactory(user=user, role="planner")
        assert count() == few  # read once, cached on the user object

    def test_superuser_yes_no_costs_no_query(self):
        superuser = UserFactory(is_superuser=True)
        with CaptureQueriesContext(connection) as ctx:
            assert perms.may_anywhere(superuser, Action.VIEW_AUDIT)
        assert len(ctx.captured_queries) == 0


@pytest.mark.django_db
class TestPartnerRule:
    def test_funder_relationships_are_those_of_the_users_memberships(self):
        provider, funder, stranger = (OrganisationFactory() for _ in range(3))
        mine = ClientRelationship.objects.create(provider=provider, client=funder, kind="partner")
        ClientRelationship.objects.create(provider=provider, client=stranger, kind="partner")
        member = MembershipFactory(organisation=funder, role="viewer").user
        assert list(perms.funder_relationships(member)) == [mine]
        assert perms.funders_user_represents(member, provider) == [funder]

    def test_a_superuser_is_not_a_member_of_every_funder(self):
        provider, funder = OrganisationFactory(), OrganisationFactory()
        ClientRelationship.objects.create(provider=provider, client=funder, kind="partner")
        superuser = UserFactory(is_superuser=True)
        assert list(perms.funder_relationships(superuser)) == []
        # …they see the provider's own view instead, as its administrator.
        assert perms.partner_funders(superuser, provider) == (True, [funder])
