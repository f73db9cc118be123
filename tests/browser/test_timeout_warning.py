"""The timeout warning in Chromium, with a short idle timeout so it shows within seconds."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def person(transactional_db):
    return MembershipFactory(role="viewer").user


def dialog_has_focus(page) -> bool:
    return page.evaluate("document.activeElement.closest('#app-timeout') !== null")


class TestTimeoutWarning:
    def test_warning_takes_focus_and_stay_signed_in_extends_the_session(
        self, page, person, settings
    ):
        settings.SESSION_IDLE_TIMEOUT = 14
        settings.SESSION_IDLE_WARNING = 10
        page.goto("/accounts/login/")
        assert_accessible(page)  # with its "Keep me signed in" box
        sign_in(page, person.username)
        dialog = page.get_by_role("alertdialog", name="You're about to be signed out")
        dialog.wait_for(state="visible", timeout=15_000)
        assert "You'll be signed out in" in dialog.inner_text()
        # Focus moved into the dialog, onto its first action.
        assert dialog_has_focus(page)
        assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
        assert_accessible(page)

        page.keyboard.press("Enter")  # keyboard operable
        dialog.wait_for(state="hidden")
        state = page.request.get("/session/status").json()
        assert state["signed_in"] is True
        assert state["seconds_left"] > settings.SESSION_IDLE_WARNING
        assert "/accounts/login/" not in page.url

    def test_escape_also_stays_signed_in(self, page, person, settings):
        settings.SESSION_IDLE_TIMEOUT = 14
        settings.SESSION_IDLE_WARNING = 10
        sign_in(page, person.username)
        dialog = page.get_by_role("alertdialog")
        dialog.wait_for(state="visible", timeout=15_000)
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        assert page.request.get("/session/status").json()["seconds_left"] > 10

    def test_when_time_is_up_the_person_is_sent_to_sign_in_with_a_message(
        self, page, person, settings
    ):
        settings.SESSION_IDLE_TIMEOUT = 6
        settings.SESSION_IDLE_WARNING = 4
        sign_in(page, person.username)
        page.get_by_role("alertdialog").wait_for(state="visible", timeout=15_000)
        page.wait_for_url("**/accounts/login/**", timeout=20_000)
        assert "You were signed out because Waymark was not used" in page.content()
        assert_accessible(page)

    def test_sign_out_in_the_dialog_signs_out(self, page, person, settings):
        settings.SESSION_IDLE_TIMEOUT = 14
        settings.SESSION_IDLE_WARNING = 10
        sign_in(page, person.username)
        dialog = page.get_by_role("alertdialog")
        dialog.wait_for(state="visible", timeout=15_000)
        dialog.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/accounts/login/")  # LOGOUT_REDIRECT_URL
        assert page.request.get("/session/status").status == 401
