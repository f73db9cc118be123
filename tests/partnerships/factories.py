"""A partnership world (issue 15, item 1), shared by the partnership tests and the registries
(the permission matrix, no-500): a partnership with two member organisations, its plan, and
people of every kind the partnership rule tells apart."""

from __future__ import annotations

from planning.models import PartnershipMember
from tests.factories import (
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
)

# Who, by what they hold: (role in the partnership or None, has a home membership).
PARTNERSHIP_PEOPLE = {
    "p_admin": ("admin", True),
    "p_planner": ("planner", True),
    "p_contributor": ("contributor", True),
    "p_viewer": ("viewer", True),
    "member_only": (None, True),  # a member organisation's person without a partnership role
    "other_org": (None, False),  # a person of an organisation outside the partnership
    "no_home": ("planner", False),  # a partnership role, but no member organisation: nothing
}

PARTNERSHIP_SECRET = "Merge the back offices"


def add_member(partnership, member, order=1) -> PartnershipMember:
    return PartnershipMember.objects.create(partnership=partnership, member=member, order=order)


def build_partnership_world() -> dict:
    partnership = OrganisationFactory(name="Shire Partnership", kind="partnership")
    council = OrganisationFactory(name="Shire Council", kind="council")
    trust = OrganisationFactory(name="Shire Hospitals Trust", kind="trust")
    links = [add_member(partnership, council, 1), add_member(partnership, trust, 2)]
    elsewhere = OrganisationFactory(name="Elsewhere Trust", kind="trust")
    outsider_org = OrganisationFactory(name="Not A Member Trust", kind="trust")
    plan = PlanFactory(organisation=partnership, title="Shire Partnership Plan")
    objective = ObjectiveFactory(plan=plan, text=PARTNERSHIP_SECRET)
    world = {
        "partnership": partnership,
        "council": council,
        "trust": trust,
        "links": links,
        "elsewhere": elsewhere,
        "outsider_org": outsider_org,
        "p_plan": plan,
        "p_objective": objective,
    }
    for name, (role, homed) in PARTNERSHIP_PEOPLE.items():
        user = UserFactory(username=f"{name}-user", email=f"{name}@example.org")
        home = council if homed else (outsider_org if name == "other_org" else elsewhere)
        MembershipFactory(user=user, organisation=home, role="viewer")
        if role is not None:
            MembershipFactory(user=user, organisation=partnership, role=role)
        world[name] = user
    return world
