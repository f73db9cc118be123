"""Managing members: the list, role and unit changes, linked plan records, deactivation, and the
last-administrator rule."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from people import services
from planning.models import Membership, Person
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    PlanFactory,
    RoleFactory,
    UserFactory,
    invitation_with_token,
)


def _membership(user, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def _url(name, membership, *args):
    return reverse(f"people:{name}", args=[membership.organisation.slug, membership.pk, *args])


@pytest.mark.django_db
class TestTheList:
    def test_lists_members_with_role_units_last_sign_in_and_access(
        self, client, organisation, org_admin, contributor
    ):
        unit = OrgUnitFactory(organisation=organisation, name="Estates")
        member = _membership(contributor, organisation)
        member.org_units.add(unit)
        member.is_active = False
        member.save()
        client.force_login(org_admin)
        response = client.get(reverse("people:list", args=[organisation.slug]))
        assert response.status_code == 200
        body = response.content.decode()
        for text in (str(contributor), contributor.email, "Contributor (manager)", "Estates"):
            assert text in body
        assert "Deactivated" in body
        assert "Never" in body  # the contributor has not signed in
        assert '<th class="nhsuk-table__header"' in body

    def test_filters(self, client, organisation, org_admin, contributor, viewer):
        client.force_login(org_admin)
        url = reverse("people:list", args=[organisation.slug])
        body = client.get(url, {"role": "viewer"}).content.decode()
        assert viewer.email in body and contributor.email not in body
        body = client.get(url, {"q": contributor.last_name}).content.decode()
        assert contributor.email in body and viewer.email not in body

    def test_only_the_organisations_own_members(
        self, client, organisation, org_admin, outsider, other_organisation
    ):
        client.force_login(org_admin)
        body = client.get(reverse("people:list", args=[organisation.slug])).content.decode()
        assert outsider.email not in body
        theirs = _membership(outsider, other_organisation)
        # Their page by id under our organisation, and their organisation's pages: not found.
        url = reverse("people:member", args=[organisation.slug, theirs.pk])
        assert client.get(url).status_code == 404
        assert client.get(_url("member", theirs)).status_code == 404
        assert client.get(reverse("people:list", args=[other_organisation.slug])).status_code == (
            404
        )
        post = client.post(_url("member_deactivate", theirs), {"version": theirs.version})
        assert post.status_code == 404
        theirs.refresh_from_db()
        assert theirs.is_active

    @pytest.mark.parametrize("scale", [1, 10])
    def test_constant_queries(
        self, client, organisation, org_admin, scale, django_assert_max_num_queries
    ):
        plan = PlanFactory(organisation=organisation, start_year=2026, end_year=2026)
        for n in range(3 * scale):
            user = UserFactory()
            membership = MembershipFactory(user=user, organisation=organisation, role="contributor")
            membership.org_units.add(OrgUnitFactory(organisation=organisation))
            person = PersonFactory(organisation=organisation, user=user)
            person.roles.add(RoleFactory(organisation=organisation))
            invitation_with_token(organisation=organisation)
        del plan
        client.force_login(org_admin)
        with django_assert_max_num_queries(20):
            response = client.get(reverse("people:list", args=[organisation.slug]))
        assert response.status_code == 200
        assert response.context["table"].paginator.count == 3 * scale + 1
        assert len(response.context["invitations"]) == 3 * scale
        # The member page lists every plan record of the organisation to link.
        with django_assert_max_num_queries(13):
            response = client.get(_url("member", _membership(org_admin, organisation)))
        assert response.status_code == 200


@pytest.mark.django_db
class TestChangingRoleAndUnits:
    def test_saved_version_checked_and_audited(self, client, organisation, org_admin, contributor):
        unit = OrgUnitFactory(organisation=organisation, name="Facilities")
        member = _membership(contributor, organisation)
        client.force_login(org_admin)
        response = client.post(
            _url("member_change", member),
            {"role": "planner", "org_units": [unit.pk], "version": member.version},
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.role == "planner"
        assert list(member.org_units.all()) == [unit]
        assert member.version == 2
        latest = member.history.latest()
        assert latest.history_user == org_admin
        assert latest.history_change_reason == "Units: Facilities"
        # The change shows on the member's page and on the audit page.
        page = client.get(_url("member", member)).content.decode()
        assert "Units: Facilities" in page
        audit = client.get(reverse("reporting:audit")).content.decode()
        assert "Planner (corporate business manager)" in audit

    def test_a_stale_page_is_refused(self, client, organisation, org_admin, contributor):
        member = _membership(contributor, organisation)
        client.force_login(org_admin)
        data = {"role": "planner", "version": member.version}
        assert client.post(_url("member_change", member), data).status_code == 302
        stale = client.post(_url("member_change", member), {"role": "viewer", "version": 1})
        assert stale.status_code == 409
        member.refresh_from_db()
        assert member.role == "planner"

    def test_a_role_that_does_not_exist_is_refused(
        self, client, organisation, org_admin, contributor
    ):
        member = _membership(contributor, organisation)
        client.force_login(org_admin)
        response = client.post(
            _url("member_change", member), {"role": "superuser", "version": member.version}
        )
        assert response.status_code == 400
        assert "Choose a role from the list" in response.content.decode()
        member.refresh_from_db()
        assert member.role == "contributor"


@pytest.mark.django_db
class TestLinkingPlanRecords:
    def test_a_member_becomes_the_person_plans_name(
        self, client, organisation, org_admin, contributor
    ):
        member = _membership(contributor, organisation)
        ao = RoleFactory(organisation=organisation, title="Assistant Director", abbreviation="AO")
        person = PersonFactory(organisation=organisation, name="Jan Lead")
        person.roles.add(ao)
        old = PersonFactory(organisation=organisation, user=contributor)
        client.force_login(org_admin)
        response = client.post(
            _url("member_people", member), {"people": [person.pk], "version": member.version}
        )
        assert response.status_code == 302
        person.refresh_from_db()
        old.refresh_from_db()
        assert person.user == contributor
        assert old.user is None
        assert person.history.latest().history_user == org_admin

    def test_another_organisations_person_is_refused(
        self, client, organisation, other_organisation, org_admin, contributor
    ):
        member = _membership(contributor, organisation)
        theirs = PersonFactory(organisation=other_organisation)
        client.force_login(org_admin)
        response = client.post(
            _url("member_people", member), {"people": [theirs.pk], "version": member.version}
        )
        assert response.status_code == 400
        theirs.refresh_from_db()
        assert theirs.user is None


def _signed_in_client(user) -> Client:
    other = Client()
    other.force_login(user)
    return other


@pytest.mark.django_db
class TestDeactivation:
    def test_sessions_end_sign_in_is_refused_and_history_stays(
        self, client, organisation, org_admin, contributor
    ):
        plan = PlanFactory(organisation=organisation)
        theirs = _signed_in_client(contributor)
        elsewhere = _signed_in_client(contributor)  # a second device
        assert theirs.get(plan.get_absolute_url()).status_code == 200
        mine = Session.objects.count()
        member = _membership(contributor, organisation)
        client.force_login(org_admin)
        response = client.post(_url("member_deactivate", member), {"version": member.version})
        assert response.status_code == 302
        member.refresh_from_db()
        contributor.refresh_from_db()
        assert not member.is_active
        assert not contributor.is_active
        # Both of their sessions were deleted from the store; the administrator's stays.
        assert Session.objects.count() == mine - 2 + 1
        for device in (theirs, elsewhere):
            response = device.get(plan.get_absolute_url())
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        # Signing in again is refused.
        refused = Client().post(
            reverse("login"), {"username": contributor.username, "password": "password"}
        )
        assert refused.status_code == 200  # the form again, with its error
        assert not refused.wsgi_request.user.is_authenticated
        history = [h.history_change_reason for h in member.history.order_by("history_id")]
        assert history[-1] == "Deactivated"
        assert member.history.latest().history_user == org_admin
        # Reactivated, they may sign in again.
        member.refresh_from_db()
        response = client.post(_url("member_reactivate", member), {"version": member.version})
        assert response.status_code == 302
        again = Client().post(
            reverse("login"), {"username": contributor.username, "password": "password"}
        )
        assert again.status_code == 302

    def test_a_member_of_another_organisation_keeps_that_access(
        self, client, organisation, org_admin, contributor
    ):
        elsewhere = OrganisationFactory()
        MembershipFactory(user=contributor, organisation=elsewhere, role="viewer")
        their_plan = PlanFactory(organisation=elsewhere)
        our_plan = PlanFactory(organisation=organisation)
        member = _membership(contributor, organisation)
        client.force_login(org_admin)
        client.post(_url("member_deactivate", member), {"version": member.version})
        contributor.refresh_from_db()
        assert contributor.is_active
        theirs = _signed_in_client(contributor)
        assert theirs.get(their_plan.get_absolute_url()).status_code == 200
        # This organisation's records are now another organisation's to them: not found.
        assert theirs.get(our_plan.get_absolute_url()).status_code == 404

    def test_end_sessions_leaves_other_peoples(self, organisation, contributor, viewer):
        _signed_in_client(contributor)
        _signed_in_client(viewer)
        assert services.end_sessions(contributor) == 1
        assert Session.objects.count() == 1

    def test_end_sessions_also_ends_a_session_read_from_the_cache(
        self, settings, organisation, contributor, viewer
    ):
        # With REDIS_URL sessions are cached_db: read from the cache before the database.
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        store = import_module(settings.SESSION_ENGINE).SessionStore
        theirs, other = _signed_in_client(contributor), _signed_in_client(viewer)
        key = theirs.session.session_key
        assert store(session_key=key).load().get(SESSION_KEY) == str(contributor.pk)
        assert services.end_sessions(contributor) == 1
        assert store(session_key=key).load() == {}
        assert store(session_key=other.session.session_key).load().get(SESSION_KEY) == str(
            viewer.pk
        )


@pytest.mark.django_db
class TestTheLastAdministrator:
    def test_cannot_demote_themselves(self, client, organisation, org_admin):
        member = _membership(org_admin, organisation)
        client.force_login(org_admin)
        response = client.post(
            _url("member_change", member), {"role": "planner", "version": member.version}
        )
        assert response.status_code == 400
        assert "the only administrator" in response.content.decode()
        member.refresh_from_db()
        assert member.role == "admin"

    def test_cannot_deactivate_themselves(self, client, organisation, org_admin):
        member = _membership(org_admin, organisation)
        client.force_login(org_admin)
        response = client.post(_url("member_deactivate", member), {"version": member.version})
        assert response.status_code == 400
        assert "the only administrator" in response.content.decode()
        member.refresh_from_db()
        assert member.is_active

    def test_nobody_can_demote_the_last_administrator(self, client, organisation, org_admin):
        superuser = UserFactory(is_superuser=True, is_staff=True)
        member = _membership(org_admin, organisation)
        client.force_login(superuser)
        response = client.post(
            _url("member_change", member), {"role": "viewer", "version": member.version}
        )
        assert response.status_code == 400
        member.refresh_from_db()
        assert member.role == "admin"

    def test_a_deactivated_administrator_does_not_count(self, organisation, org_admin):
        other = MembershipFactory(organisation=organisation, role="admin", is_active=False)
        member = _membership(org_admin, organisation)
        with pytest.raises(Exception, match="the only administrator"):
            services.deactivate(
                organisation=organisation,
                membership_id=member.pk,
                by=org_admin,
                expected_version=member.version,
            )
        assert other.is_active is False

    def test_with_a_second_administrator_one_may_step_down(self, client, organisation, org_admin):
        MembershipFactory(organisation=organisation, role="admin")
        member = _membership(org_admin, organisation)
        client.force_login(org_admin)
        response = client.post(
            _url("member_change", member), {"role": "planner", "version": member.version}
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.role == "planner"
        # No longer an administrator: the people pages are closed to them now.
        assert client.get(reverse("people:list", args=[organisation.slug])).status_code == 403


@pytest.mark.django_db
class TestWhoMayOpen:
    def test_the_people_link_and_the_index(self, client, organisation, org_admin, planner, viewer):
        client.force_login(org_admin)
        response = client.get(reverse("people:index"))
        assert response["Location"] == reverse("people:list", args=[organisation.slug])
        client.force_login(planner)
        response = client.get(reverse("people:index"))
        assert response["Location"] == reverse("people:not_updated", args=[organisation.slug])
        assert client.get(reverse("people:list", args=[organisation.slug])).status_code == 403
        client.force_login(viewer)
        assert client.get(reverse("people:index")).status_code == 403
        assert 'href="/people/"' not in client.get(reverse("planning:home")).content.decode()

    def test_demo_administrators_open_the_people_page(self, client, demo):
        from django.contrib.auth import get_user_model

        for username in ("ssp-admin", "ccg-admin"):
            client.force_login(get_user_model().objects.get(username=username))
            response = client.get(reverse("people:index"), follow=True)
            assert response.status_code == 200
            assert response.context["table"].paginator.count >= 4
        assert Person.objects.exists()


@pytest.mark.django_db
class TestADeactivatedMembershipGrantsNothing:
    def test_both_readings_of_the_permission_rule_agree(self, organisation, contributor):
        from planning import permissions
        from planning.permissions import Action

        Membership.objects.filter(user=contributor).update(is_active=False)
        contributor.refresh_from_db()
        assert permissions.memberships(contributor) == {}
        assert not permissions.organisations_where(contributor, Action.VIEW).exists()
        assert not permissions.may_anywhere(contributor, Action.VIEW)
