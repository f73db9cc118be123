"""Fictional demo sign-ins, one per role in each demo organisation."""

from __future__ import annotations

from planning.models import Membership, MembershipRole, Organisation, OrgUnit, Person, Role, User

# Printed by `make run`; the demo is for a laptop, never a server with real data.
DEMO_PASSWORD = "waymark-demo"  # noqa: S105

ROLE_PEOPLE = {
    MembershipRole.VIEWER: ("board", "Alex", "Board"),
    MembershipRole.CONTRIBUTOR: ("manager", "Sam", "Manager"),
    MembershipRole.PLANNER: ("planner", "Jo", "Planner"),
    MembershipRole.ADMIN: ("admin", "Chris", "Admin"),
}


# A partner's finance lead, who sees only their own organisation's contribution to SSP.
PARTNER_USERS = {"ssp": ("ssp-partner", "croydon-pct", "Pat", "Partner (Croydon PCT)")}

# What each demo manager leads: SSP's by department, the CCGs' by the role they hold.
MANAGER_UNITS = {"ssp": ["Estates", "Facilities"]}
MANAGER_ROLES = {"ccg": ["ADA"]}


def demo_username(prefix: str, role: str) -> str:
    return f"{prefix}-{ROLE_PEOPLE[role][0]}"


def ensure_demo_users(
    organisation: Organisation, *, prefix: str, member_of: Organisation | None = None
) -> list[str]:
    """Create the four demo users of an organisation if missing; never reset an existing one.

    `member_of`: for a partnership, the member organisation its demo users also belong to (as
    viewers): a role in a partnership counts only while its holder belongs to a member."""
    report = []
    for role, (suffix, first, last) in ROLE_PEOPLE.items():
        username = f"{prefix}-{suffix}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": f"{last} ({prefix.upper()})",
                # example.org is reserved for documentation: no real mailbox.
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            report.append(f"Created sign-in {username}")
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        if created and role == MembershipRole.CONTRIBUTOR:
            _give_manager_work(membership, prefix=prefix)
        if member_of is not None:
            Membership.objects.get_or_create(
                user=user, organisation=member_of, defaults={"role": MembershipRole.VIEWER}
            )
    if prefix in PARTNER_USERS:
        report.extend(_ensure_partner_user(*PARTNER_USERS[prefix]))
    return report


def _ensure_partner_user(username: str, org_slug: str, first: str, last: str) -> list[str]:
    partner = Organisation.objects.filter(slug=org_slug).first()
    if partner is None:
        return []
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, organisation=partner, defaults={"role": MembershipRole.VIEWER}
    )
    return [f"Created sign-in {username}"] if created else []


def _give_manager_work(membership: Membership, *, prefix: str) -> None:
    organisation, user = membership.organisation, membership.user
    units = OrgUnit.objects.filter(
        organisation=organisation, name__in=MANAGER_UNITS.get(prefix, [])
    )
    membership.org_units.set(units)
    roles = Role.objects.filter(
        organisation=organisation, abbreviation__in=MANAGER_ROLES.get(prefix, [])
    )
    if roles:
        person, _ = Person.objects.get_or_create(
            organisation=organisation,
            name=user.get_full_name(),
            defaults={"user": user, "job_title": ", ".join(r.title for r in roles)},
        )
        person.roles.set(roles)


def demo_signins() -> list[tuple[str, str, str]]:
    """(username, role, organisation) for every demo membership, for the README and `make run`."""
    rows = []
    memberships = Membership.objects.filter(user__email__endswith="@example.org").select_related(
        "user", "organisation"
    )
    for m in memberships.order_by("organisation__name", "role"):
        rows.append((m.user.username, m.get_role_display(), m.organisation.display_name))
    return rows
