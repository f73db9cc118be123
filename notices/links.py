"""Absolute links for e-mails, and the signed one-click link to a person's preference.

The link carries the user's id and the preference, signed with the project's secret and a salt
of its own (django.core.signing), so nobody can make one for somebody else or another setting;
a tampered or cut link is refused (notices.views.preference_link)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "waymark.notices.preference"
PREFERENCES = ("reminders", "digests", "board_packs")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def preference_token(user_id: int, preference: str) -> str:
    if preference not in PREFERENCES:
        raise ValueError(f"No such preference: {preference}")
    return signing.dumps({"u": user_id, "p": preference}, salt=SALT, compress=False)


def read_preference_token(token: str) -> tuple[int, str]:
    """(user id, preference); signing.BadSignature for anything tampered with or made up."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or data.get("p") not in PREFERENCES:
        raise signing.BadSignature("Not a preference link.")
    user_id = data.get("u")
    if not isinstance(user_id, int):
        raise signing.BadSignature("Not a preference link.")
    return user_id, data["p"]


def preference_url(user_id: int, preference: str) -> str:
    token = preference_token(user_id, preference)
    return absolute(_link_path().format(token))


@lru_cache(maxsize=1)
def _link_path() -> str:
    """The link's path with a slot for the token: reverse() once, not once per e-mail."""
    return reverse("notices:preference_link", args=["TOKEN"]).replace("TOKEN", "{}")
