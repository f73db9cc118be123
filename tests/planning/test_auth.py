import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

LOGIN = reverse("login")


@pytest.mark.django_db
class TestSignIn:
    def test_sign_in_and_out(self, client, viewer):
        response = client.post(LOGIN, {"username": viewer.username, "password": "password"})
        assert response.status_code == 302
        assert client.get(reverse("planning:home")).status_code == 200
        client.post(reverse("logout"))
        assert client.get(reverse("planning:home")).status_code == 302

    def test_wrong_password_shows_error_summary(self, client, viewer):
        response = client.post(LOGIN, {"username": viewer.username, "password": "nope"})
        assert response.status_code == 200
        assert "There is a problem" in response.text

    def test_failed_sign_ins_are_rate_limited(self, client, settings):
        user = UserFactory()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(LOGIN, {"username": user.username, "password": "wrong"})
        response = client.post(LOGIN, {"username": user.username, "password": "password"})
        assert response.status_code == 429
        assert "Too many failed sign-in attempts" in response.text
        # The right password does not get through while locked.
        assert client.get(reverse("planning:home")).status_code == 302


@pytest.mark.django_db
class TestPasswordReset:
    def test_reset_by_email(self, client):
        user = UserFactory(email="reset-me@example.org")
        response = client.post(reverse("password_reset"), {"email": "reset-me@example.org"})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
        form_url = client.get(link).url  # Django swaps the token for a session marker
        response = client.post(
            form_url, {"new_password1": "a-long-new-pass-9", "new_password2": "a-long-new-pass-9"}
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password("a-long-new-pass-9")
