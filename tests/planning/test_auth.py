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


@pytest.mark.django_db
class TestPasswordHashing:
    """The site's hashers (config.settings.base; the test settings swap in MD5 for speed)."""

    @pytest.fixture
    def site_hashers(self, settings):
        from config.settings import base

        settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS

    def test_new_passwords_are_hashed_with_argon2(self, site_hashers):
        user = UserFactory()
        user.set_password("a long enough passphrase")
        user.save()
        assert user.password.startswith("argon2$argon2id$")
        assert user.check_password("a long enough passphrase")
        assert not user.check_password("another passphrase")

    def test_a_pbkdf2_hash_still_signs_in_and_is_upgraded(self, client, site_hashers):
        from django.contrib.auth.hashers import make_password

        user = UserFactory()
        user.password = make_password("an older passphrase", hasher="pbkdf2_sha256")
        user.save()
        response = client.post(
            LOGIN, {"username": user.username, "password": "an older passphrase"}
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$")
