"""An administrator invites a colleague, who accepts the invitation and lands signed in, in
Chromium, with axe on every page on the way.

The e-mail is read from django.core.mail.outbox: the live server is a thread of this test's own
process, and the test settings send mail with Django's in-memory backend, which appends to that
same list. So the test follows the link exactly as the e-mail gives it (only the site's address,
SITE_URL, is swapped for the live server's), rather than reading the database, where only the
link's hash is kept.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail

from demo.loader import load_demo
from demo.users import DEMO_PASSWORD
from planning.models import Membership, User
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-unusual-passphrase-7"


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    return live_server


class TestInvitingAColleague:
    def test_invite_accept_and_land_signed_in(self, demo_site, new_page):
        admin = new_page()
        sign_in(admin, "ssp-admin", DEMO_PASSWORD)
        admin.get_by_role("link", name="People").first.click()
        assert admin.get_by_role("heading", level=1).inner_text() == "People"
        assert admin.get_by_role("cell", name="ssp-manager@example.org", exact=True).is_visible()
        assert_accessible(admin)

        admin.get_by_role("button", name="Invite a colleague").click()
        assert_accessible(admin)
        admin.get_by_label("E-mail address").fill("new.colleague@example.nhs.uk")
        admin.get_by_label("Contributor (manager)").check()
        admin.get_by_label("Estates").check()
        admin.get_by_role("button", name="Send the invitation").click()
        admin.wait_for_load_state()
        assert "Invitation sent to new.colleague@example.nhs.uk" in admin.content()
        assert admin.get_by_role(
            "cell", name="new.colleague@example.nhs.uk", exact=True
        ).is_visible()
        assert_accessible(admin)

        (message,) = mail.outbox
        assert message.to == ["new.colleague@example.nhs.uk"]
        link = re.search(re.escape(settings.SITE_URL) + r"(/invitations/\S+/)", message.body)
        assert link, message.body

        invitee = new_page()  # another browser: signed out
        invitee.goto(link.group(1))
        assert invitee.get_by_role("heading", level=1).inner_text().startswith("Join")
        assert_accessible(invitee)
        invitee.get_by_label("First name").fill("Nia")
        invitee.get_by_label("Last name").fill("Colleague")
        invitee.get_by_label("Choose a password").fill(PASSWORD)
        invitee.get_by_label("Type the password again").fill(PASSWORD)
        invitee.get_by_role("button", name="Create my account").click()
        invitee.wait_for_load_state()

        # Signed in, as a contributor lands: on My work, their name in the header.
        assert invitee.url == demo_site.url + "/my-work/"
        assert invitee.get_by_role("heading", level=1).inner_text() == "My work"
        assert "Nia Colleague" in invitee.locator("header").inner_text()
        assert_accessible(invitee)
        user = User.objects.get(username="new.colleague@example.nhs.uk")
        membership = Membership.objects.get(user=user)
        assert membership.role == "contributor"
        assert [u.name for u in membership.org_units.all()] == ["Estates"]

        # The link worked once.
        again = new_page()
        again.goto(link.group(1))
        assert "already been used" in again.locator("#refusal").inner_text()
        assert_accessible(again)

        # The administrator now sees them among the members.
        admin.reload()
        assert admin.get_by_role("link", name="Nia Colleague").is_visible()
