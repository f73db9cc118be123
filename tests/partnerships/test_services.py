"""Managing a partnership: its member organisations and its roles (people.services_partnerships),
the checks other apps call (planning.partnerships), and the pages (people.views_partnerships)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from people import services_partnerships as services
from planning import partnerships
from planning import permissions as perms
from planning.models import Membership, PartnershipMember, User
from tests.factories import MembershipFactory, OrganisationFactory, PlanFactory, UserFactory
from tests.partnerships.factories import build_partnership_world


@pytest.fixture
def pw(db):
    return build_partnership_world()


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
class TestReads:
    def test_member_ids_and_members(self, pw):
        assert partnerships.member_ids(pw["partnership"]) == {pw["council"].pk, pw["trust"].pk}
        assert list(partnerships.members_of(pw["partnership"])) == [pw["council"], pw["trust"]]
        assert list(partnerships.partnerships_of(pw["trust"])) == [pw["partnership"]]
        assert partnerships.member_ids(pw["council"]) == set()

    def test_a_member_or_the_partnership_itself_passes(self, pw):
        partnerships.validate_members(
            pw["partnership"], [pw["council"], pw["trust"], pw["partnership"]]
        )

    def test_an_organisation_outside_the_partnership_is_refused_by_name(self, pw):
        with pytest.raises(ValidationError) as refused:
            partnerships.validate_members(
                pw["partnership"], [pw["council"], pw["elsewhere"]], field="organisations"
            )
        assert refused.value.message_dict == {
            "organisations": ["Elsewhere Trust is not a member of Shire Partnership."]
        }
        with pytest.raises(ValidationError, match="not a member of Shire Partnership"):
            partnerships.validate_member(pw["partnership"], pw["elsewhere"])

    def test_a_plan_of_another_partnership_is_refused(self, pw):
        other = OrganisationFactory(name="Other Partnership", kind="partnership")
        other_plan = PlanFactory(organisation=other, title="Their plan")
        with pytest.raises(ValidationError, match="belongs to Other Partnership, not to Shire"):
            partnerships.validate_same_plan_owner(pw["p_plan"], other_plan)
        partnerships.validate_same_plan_owner(
            pw["p_plan"], PlanFactory(organisation=pw["partnership"])
        )


@pytest.mark.django_db
class TestMemberOrganisations:
    def test_add_records_it_last_with_its_history(self, pw):
        newcomer = OrganisationFactory(name="Shire CCG", kind="ccg")
        link = services.add_member_organisation(
            partnership=pw["partnership"], member=newcomer, by=pw["p_admin"]
        )
        assert link.order == 3
        history = link.history.get()
        assert (history.history_type, history.history_user) == ("+", pw["p_admin"])

    @pytest.mark.parametrize(
        "case, message",
        [
            ("not_a_partnership", "is not a partnership"),
            ("itself", "cannot be a member of itself"),
            ("a_partnership", "is a partnership: a member organisation is where people work"),
            ("already", "is already a member of Shire Partnership"),
        ],
    )
    def test_add_refusals_save_nothing(self, pw, case, message):
        partnership, member = pw["partnership"], OrganisationFactory(kind="trust")
        if case == "not_a_partnership":
            partnership = pw["council"]
        elif case == "itself":
            member = partnership
        elif case == "a_partnership":
            member = OrganisationFactory(kind="partnership")
        elif case == "already":
            member = pw["trust"]
        before = PartnershipMember.objects.count()
        with pytest.raises(ValidationError, match=message):
            services.add_member_organisation(
                partnership=partnership, member=member, by=pw["p_admin"]
            )
        assert PartnershipMember.objects.count() == before

    def test_removing_names_who_loses_access_and_ends_it(self, pw):
        council_link = pw["links"][0]
        both = pw["p_planner"]
        MembershipFactory(user=both, organisation=pw["trust"], role="viewer")
        losing = services.losing_access(partnership=pw["partnership"], link_id=council_link.pk)
        assert {m.user for m in losing} == {pw["p_admin"], pw["p_contributor"], pw["p_viewer"]}
        services.remove_member_organisation(
            partnership=pw["partnership"], link_id=council_link.pk, by=pw["p_admin"]
        )
        assert not perms.is_member(fresh(pw["p_viewer"]), pw["partnership"].pk)
        assert perms.role_in(fresh(both), pw["partnership"].pk) == "planner"
        removed = PartnershipMember.history.filter(history_type="-").get()
        assert removed.history_user == pw["p_admin"]

    def test_the_last_member_organisation_stays(self, pw):
        first, last = pw["links"]
        services.remove_member_organisation(
            partnership=pw["partnership"], link_id=first.pk, by=pw["p_admin"]
        )
        with pytest.raises(ValidationError, match="only member organisation"):
            services.remove_member_organisation(
                partnership=pw["partnership"], link_id=last.pk, by=pw["p_admin"]
            )
        assert PartnershipMember.objects.filter(pk=last.pk).exists()

    def test_a_member_already_removed_is_refused(self, pw):
        link = pw["links"][0]
        services.remove_member_organisation(
            partnership=pw["partnership"], link_id=link.pk, by=pw["p_admin"]
        )
        with pytest.raises(ValidationError, match="no longer a member"):
            services.remove_member_organisation(
                partnership=pw["partnership"], link_id=link.pk, by=pw["p_admin"]
            )


@pytest.mark.django_db
class TestRoles:
    def test_grant_to_a_member_organisations_person(self, pw):
        user = pw["member_only"]
        membership = services.grant_partnership_role(
            partnership=pw["partnership"], user=user, role="contributor", by=pw["p_admin"]
        )
        assert membership.history.get().history_user == pw["p_admin"]
        assert perms.role_in(fresh(user), pw["partnership"].pk) == "contributor"

    def test_a_person_of_no_member_organisation_is_refused(self, pw):
        with pytest.raises(ValidationError) as refused:
            services.grant_partnership_role(
                partnership=pw["partnership"], user=pw["other_org"], role="viewer", by=pw["p_admin"]
            )
        assert refused.value.message_dict == {
            "email": [
                "other_org@example.org is not in any member organisation of this partnership."
            ]
        }
        assert not Membership.objects.filter(
            user=pw["other_org"], organisation=pw["partnership"]
        ).exists()

    def test_a_deactivated_home_membership_does_not_count(self, pw):
        user = pw["member_only"]
        Membership.objects.filter(user=user).update(is_active=False)
        with pytest.raises(ValidationError, match="not in any member organisation"):
            services.grant_partnership_role(
                partnership=pw["partnership"], user=user, role="viewer", by=pw["p_admin"]
            )

    def test_a_holder_is_refused_and_a_revoked_role_is_granted_again(self, pw):
        user = pw["p_viewer"]
        with pytest.raises(ValidationError, match="already holds a role"):
            services.grant_partnership_role(
                partnership=pw["partnership"], user=user, role="planner", by=pw["p_admin"]
            )
        membership = Membership.objects.get(user=user, organisation=pw["partnership"])
        services.revoke_partnership_role(
            partnership=pw["partnership"],
            membership_id=membership.pk,
            by=pw["p_admin"],
            expected_version=membership.version,
        )
        user = fresh(user)
        assert not perms.is_member(user, pw["partnership"].pk)
        assert user.is_active and perms.role_in(user, pw["council"].pk) == "viewer"
        services.grant_partnership_role(
            partnership=pw["partnership"], user=user, role="planner", by=pw["p_admin"]
        )
        assert perms.role_in(fresh(user), pw["partnership"].pk) == "planner"
        reasons = list(
            Membership.objects.get(pk=membership.pk)
            .history.order_by("history_id")
            .values_list("history_change_reason", flat=True)
        )
        assert reasons[-2:] == ["Partnership role revoked", "Partnership role granted again"]

    def test_revoking_at_a_stale_version_is_refused(self, pw):
        from planning.concurrency import StaleEditError

        membership = Membership.objects.get(user=pw["p_viewer"], organisation=pw["partnership"])
        with pytest.raises(StaleEditError):
            services.revoke_partnership_role(
                partnership=pw["partnership"],
                membership_id=membership.pk,
                by=pw["p_admin"],
                expected_version=membership.version + 1,
            )

    def test_the_last_administrator_keeps_their_role(self, pw):
        membership = Membership.objects.get(user=pw["p_admin"], organisation=pw["partnership"])
        with pytest.raises(ValidationError, match="only administrator"):
            services.revoke_partnership_role(
                partnership=pw["partnership"],
                membership_id=membership.pk,
                by=pw["p_admin"],
                expected_version=membership.version,
            )


@pytest.mark.django_db
class TestPages:
    def test_the_members_list_shows_each_persons_home_organisation(self, client, pw):
        client.force_login(pw["p_admin"])
        response = client.get(reverse("people:list", args=[pw["partnership"].slug]))
        body = response.content.decode()
        assert "Home organisation" in body
        assert "Shire Council" in body
        assert "None: no access" in body  # the planner with no home organisation
        assert reverse("people:partnership_members", args=[pw["partnership"].slug]) in body

    def test_an_ordinary_organisations_list_has_no_home_column(self, client, pw):
        client.force_login(UserFactory(is_superuser=True))
        body = client.get(reverse("people:list", args=[pw["council"].slug])).content.decode()
        assert "Home organisation" not in body

    def test_grant_page(self, client, pw):
        client.force_login(pw["p_admin"])
        url = reverse("people:partnership_role_grant", args=[pw["partnership"].slug])
        token = client.get(url).context["form"].initial["submission_token"]
        response = client.post(
            url,
            {"email": "other_org@example.org", "role": "viewer", "submission_token": token},
        )
        assert response.status_code == 400
        assert "is not in any member organisation of this partnership" in response.content.decode()
        response = client.post(
            url,
            {"email": "nobody@example.org", "role": "viewer", "submission_token": token},
        )
        assert "nobody@example.org is not in any member organisation" in response.content.decode()
        response = client.post(
            url,
            {"email": "MEMBER_ONLY@example.org", "role": "planner", "submission_token": token},
        )
        assert response.status_code == 302
        assert perms.role_in(fresh(pw["member_only"]), pw["partnership"].pk) == "planner"

    def test_add_and_remove_pages(self, client, pw):
        client.force_login(pw["p_admin"])
        slug = pw["partnership"].slug
        newcomer = OrganisationFactory(name="Shire CCG", kind="ccg")
        url = reverse("people:partnership_member_add", args=[slug])
        token = client.get(url).context["form"].initial["submission_token"]
        response = client.post(url, {"member": newcomer.pk, "submission_token": token})
        assert response.status_code == 302
        assert newcomer.pk in partnerships.member_ids(pw["partnership"])
        link = pw["links"][1]  # the trust: nobody's home
        remove = reverse("people:partnership_member_remove", args=[slug, link.pk])
        assert "Nobody loses their access" in client.get(remove).content.decode()
        council = reverse("people:partnership_member_remove", args=[slug, pw["links"][0].pk])
        assert "lose their access" in client.get(council).content.decode()
        assert client.post(remove).status_code == 302
        assert pw["trust"].pk not in partnerships.member_ids(pw["partnership"])

    def test_an_ordinary_organisation_has_no_member_organisations_page(self, client, pw):
        client.force_login(UserFactory(is_superuser=True))
        url = reverse("people:partnership_members", args=[pw["council"].slug])
        assert client.get(url).status_code == 404

    def test_deactivating_on_the_partnership_page_revokes_the_role_only(self, client, pw):
        client.force_login(pw["p_admin"])
        membership = Membership.objects.get(user=pw["p_viewer"], organisation=pw["partnership"])
        url = reverse("people:member_deactivate", args=[pw["partnership"].slug, membership.pk])
        token = client.get(url).context["form"].initial["submission_token"]
        response = client.post(
            url, {"version": membership.version, "submission_token": token}, follow=True
        )
        assert "role in this partnership is revoked" in response.content.decode()
        user = fresh(pw["p_viewer"])
        assert user.is_active and not perms.is_member(user, pw["partnership"].pk)


@pytest.mark.django_db
def test_an_invitation_to_a_partnership_with_members_is_refused(pw):
    from people import services as people_services
    from people.models import Invitation

    with pytest.raises(ValidationError, match="invite them to their own organisation"):
        people_services.invite(
            organisation=pw["partnership"],
            email="new@example.org",
            role="viewer",
            by=pw["p_admin"],
        )
    assert not Invitation.objects.exists()
