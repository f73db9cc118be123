"""Notices follow the partnership rule (planning.partnerships.honoured): a role in a partnership
counts for reminders, digests and board packs only while its holder belongs to one of the
partnership's member organisations, exactly as it counts for the permission checks."""

from __future__ import annotations

import pytest

from notices import collect
from planning import permissions
from planning.models import Membership, Person
from tests.factories import RoleFactory
from tests.partnerships.factories import build_partnership_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_partnership_world()


def test_a_partnership_role_without_a_home_organisation_gets_no_notices(world):
    partnership = world["partnership"]
    people = collect.directory([partnership.pk])
    planners = {r.user_id for r in people.with_role(partnership.pk, "planner")}
    assert world["p_planner"].pk in planners
    assert world["no_home"].pk not in planners
    assert (world["no_home"].pk, partnership.pk) not in people.role_in
    # The same people the permission checks let in, no more and no fewer.
    for name in ("p_admin", "p_planner", "p_contributor", "p_viewer", "no_home", "member_only"):
        user = world[name]
        assert ((user.pk, partnership.pk) in people.role_in) == permissions.is_member(
            user, partnership.pk
        ), name


def test_a_role_holder_leads_only_while_homed(world):
    partnership = world["partnership"]
    role = RoleFactory(organisation=partnership, title="Programme director")
    for name in ("p_contributor", "no_home"):
        person = Person.objects.create(organisation=partnership, name=name, user=world[name])
        person.roles.add(role)
    people = collect.directory([partnership.pk])
    assert people.leads(partnership.pk, None, [role.pk]) == {world["p_contributor"].pk}


def test_leaving_the_home_organisation_ends_the_notices(world):
    partnership, user = world["partnership"], world["p_planner"]
    Membership.objects.filter(user=user, organisation=world["council"]).update(is_active=False)
    people = collect.directory([partnership.pk])
    assert user.pk not in {r.user_id for r in people.with_role(partnership.pk, "planner")}


def test_the_member_organisations_own_notices_are_unchanged(world):
    council = world["council"]
    people = collect.directory([council.pk])
    # Everyone homed in the council is its viewer there, partnership role or not.
    homed = {"p_admin", "p_planner", "p_contributor", "p_viewer", "member_only"}
    assert {r.user_id for r in people.with_role(council.pk, "viewer")} == {
        world[name].pk for name in homed
    }
