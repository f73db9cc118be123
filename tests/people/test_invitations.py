"""Inviting a colleague by e-mail and accepting: send, accept, expire, reuse, tamper."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from people import tokens
from people.models import Invitation
from planning.models import Membership, User
from tests.factories import (
    MembershipFactory,
    OrgUnitFactory,
    UserFactory,
    invitation_with_token,
)

PASSWORD = "a-long-unusual-passphrase-7"


def _invite(client, organisation, **data):
    page = client.get(reverse("people:invite", args=[organisation.slug]))
    token = page.context["form"].initial["submission_token"]
    form = {"email": "new.colleague@example.nhs.uk", "role": "contributor"}
    form.update(data)
    form["submission_token"] = token
    return client.post(reverse("people:invite", args=[organisation.slug]), form)


def _link(message) -> str:
    """The path of the invitation link in an e-mail's plain text, checked to be absolute."""
    match = re.search(r"(https?://\S+)(/invitations/[A-Za-z0-9_-]+/)", message.body)
    assert match, message.body
    assert match.group(1) == settings.SITE_URL
    return match.group(2)


def _accept(client, path, **data):
    form = {
        "first_name": "Nia",
        "last_name": "Colleague",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    form.update(data)
    return client.post(path, form)


@pytest.mark.django_db
class TestSending:
    def test_the_invitation_is_emailed_with_a_one_time_link(self, client, organisation, org_admin):
        unit = OrgUnitFactory(organisation=organisation, name="Estates")
        client.force_login(org_admin)
        response = _invite(client, organisation, org_units=[unit.pk])
        assert response.status_code == 302
        (message,) = mail.outbox
        assert message.to == ["new.colleague@example.nhs.uk"]
        assert organisation.display_name in message.subject
        path = _link(message)
        # Plain text and HTML, the same absolute link in both; nothing loaded from elsewhere.
        (html, mimetype), *_ = message.alternatives
        assert mimetype == "text/html"
        assert f'href="{settings.SITE_URL}{path}"' in html
        assert "<img" not in html
        invitation = Invitation.objects.get()
        assert invitation.role == "contributor"
        assert list(invitation.org_units.all()) == [unit]
        assert invitation.invited_by == org_admin
        assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
        # Only the link's hash is stored.
        secret = path.strip("/").split("/")[-1]
        assert invitation.token_hash == tokens.token_hash(secret)
        assert secret not in str(Invitation.objects.values().get())
        assert invitation.history.get().history_user == org_admin

    def test_a_member_address_is_refused(self, client, organisation, org_admin):
        member = UserFactory(email="Already.Here@example.org")
        MembershipFactory(user=member, organisation=organisation, role="viewer")
        client.force_login(org_admin)
        response = _invite(client, organisation, email="already.here@EXAMPLE.org")
        assert response.status_code == 400
        assert "is already a member of" in response.content.decode()
        assert mail.outbox == []
        assert not Invitation.objects.exists()

    def test_a_role_that_does_not_exist_is_refused(self, client, organisation, org_admin):
        client.force_login(org_admin)
        response = _invite(client, organisation, role="overlord")
        assert response.status_code == 400
        assert "Choose a role from the list" in response.content.decode()
        assert mail.outbox == []

    def test_another_organisations_unit_is_refused(
        self, client, organisation, other_organisation, org_admin
    ):
        theirs = OrgUnitFactory(organisation=other_organisation)
        client.force_login(org_admin)
        response = _invite(client, organisation, org_units=[theirs.pk])
        assert response.status_code == 400
        assert not Invitation.objects.exists()

    def test_a_second_invitation_replaces_the_first(self, client, organisation, org_admin):
        client.force_login(org_admin)
        _invite(client, organisation)
        _invite(client, organisation)
        first, second = (_link(m) for m in mail.outbox)
        client.logout()
        assert "withdrawn or replaced" in client.get(first).content.decode()
        assert client.get(second).status_code == 200

    def test_a_mail_server_failure_saves_nothing(self, client, organisation, org_admin, settings):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
            }
        }
        client.force_login(org_admin)
        response = _invite(client, organisation)
        assert response.status_code == 400
        assert "could not be sent" in response.content.decode()
        assert not Invitation.objects.exists()

    def test_withdrawing_stops_the_link(self, client, organisation, org_admin):
        invitation, token = invitation_with_token(organisation=organisation)
        client.force_login(org_admin)
        url = reverse("people:invitation_withdraw", args=[organisation.slug, invitation.pk])
        assert client.post(url).status_code == 302
        client.logout()
        response = client.get(reverse("people:accept", args=[token]))
        assert response.status_code == 400
        assert "withdrawn" in response.content.decode()


@pytest.mark.django_db
class TestAccepting:
    def test_the_invitee_chooses_a_password_and_is_signed_in(self, client, organisation):
        unit = OrgUnitFactory(organisation=organisation)
        invitation, token = invitation_with_token(
            organisation=organisation, email="nia@example.nhs.uk", role="planner"
        )
        invitation.org_units.add(unit)
        path = reverse("people:accept", args=[token])
        assert client.get(path).status_code == 200
        response = _accept(client, path)
        assert response.status_code == 302
        user = User.objects.get(email="nia@example.nhs.uk")
        assert user.username == "nia@example.nhs.uk"
        assert user.check_password(PASSWORD)
        assert user.get_full_name() == "Nia Colleague"
        membership = Membership.objects.get(user=user)
        assert (membership.organisation, membership.role) == (organisation, "planner")
        assert list(membership.org_units.all()) == [unit]
        assert client.session[SESSION_KEY] == str(user.pk)
        invitation.refresh_from_db()
        assert invitation.accepted_at is not None and invitation.accepted_by == user
        # And they can sign in again with the address and the password.
        client.logout()
        signed_in = client.post(
            reverse("login"), {"username": "nia@example.nhs.uk", "password": PASSWORD}
        )
        assert signed_in.status_code == 302

    def test_a_weak_password_is_refused_and_nothing_is_created(self, client, organisation):
        _, token = invitation_with_token(organisation=organisation)
        path = reverse("people:accept", args=[token])
        response = _accept(client, path, password1="password", password2="password")
        assert response.status_code == 400
        assert "too common" in response.content.decode()
        assert not User.objects.exists()

    def test_passwords_that_differ_are_refused(self, client, organisation):
        _, token = invitation_with_token(organisation=organisation)
        response = _accept(client, reverse("people:accept", args=[token]), password2=PASSWORD + "x")
        assert response.status_code == 400
        assert not User.objects.exists()

    def test_an_expired_link_is_refused(self, client, organisation):
        with time_machine.travel(timezone.now() - dt.timedelta(days=7, minutes=1)):
            _, token = invitation_with_token(organisation=organisation)
        path = reverse("people:accept", args=[token])
        response = client.get(path)
        assert response.status_code == 400
        assert "expired" in response.content.decode()
        assert _accept(client, path).status_code == 400
        assert not User.objects.exists()

    def test_the_link_works_until_its_seventh_day_ends(self, client, organisation):
        with time_machine.travel(timezone.now() - dt.timedelta(days=7) + dt.timedelta(minutes=1)):
            _, token = invitation_with_token(organisation=organisation)
        assert _accept(client, reverse("people:accept", args=[token])).status_code == 302

    def test_a_used_link_is_refused(self, client, organisation):
        _, token = invitation_with_token(organisation=organisation)
        path = reverse("people:accept", args=[token])
        assert _accept(client, path).status_code == 302
        client.logout()
        response = client.get(path)
        assert response.status_code == 400
        assert "already been used" in response.content.decode()
        assert _accept(client, path, first_name="Mallory").status_code == 400
        assert User.objects.count() == 1

    @pytest.mark.parametrize("tamper", ["flip", "cut", "extend", "junk"])
    def test_a_tampered_link_is_refused(self, client, organisation, tamper):
        _, token = invitation_with_token(organisation=organisation)
        changed = {
            "flip": token[:-1] + ("A" if token[-1] != "A" else "B"),
            "cut": token[:-3],
            "extend": token + "x",
            "junk": "%00<script>",
        }[tamper]
        path = reverse("people:accept", args=[changed])
        response = client.get(path)
        assert response.status_code in (400, 404)
        if response.status_code == 400:
            assert "not valid" in response.content.decode()
        assert _accept(client, path).status_code in (400, 404)
        assert not User.objects.exists()

    def test_an_address_with_an_account_joins_with_it(self, client, organisation):
        existing = UserFactory(email="pat@example.org")
        MembershipFactory(user=existing, role="viewer")  # of another organisation
        invitation, token = invitation_with_token(
            organisation=organisation, email="pat@example.org", role="viewer"
        )
        path = reverse("people:accept", args=[token])
        # Signed out: told to sign in first, and no second account is made.
        assert "Sign in with it" in client.get(path).content.decode()
        assert _accept(client, path).status_code == 400
        assert User.objects.filter(email="pat@example.org").count() == 1
        client.force_login(existing)
        assert client.post(path).status_code == 302
        assert Membership.objects.filter(user=existing, organisation=organisation).exists()
        invitation.refresh_from_db()
        assert invitation.accepted_by == existing
