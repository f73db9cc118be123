"""One-time form tokens: a form posted twice (a double click, a resend after a timeout) saves once.

Each form that creates or changes records carries a hidden token (`TokenField`, filled by
`new_token()` when the form is shown). The service that saves the form calls `consume(token,
user=...)` inside its own transaction: the token is stored in a table with a unique column, so
of two posts of the same form only the first can store it, and the second's whole transaction
rolls back (`DuplicateSubmission`). Because the token is stored only when the save succeeds, a
form refused for bad input or a stale version keeps its token and may be posted again.

Views ask `already_used(token, user=...)` before doing anything, so a repeated post is answered
as the first one was (the same redirect and message), not refused as a stale edit. A post with
no token (an old page, a test client) is saved as before, without this protection.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.db import IntegrityError, transaction

from planning.models import SubmissionToken

FIELD = "submission_token"
# What new_token() makes: URL-safe base64. Anything else was not sent by a page of ours and is
# treated as no token (it never reaches a query: PostgreSQL refuses a NUL in a string).
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class DuplicateSubmission(Exception):
    """This form was already saved: the repeated post changed nothing."""


def new_token() -> str:
    return secrets.token_urlsafe(24)


class TokenField(forms.CharField):
    """The hidden one-time token. Optional: without one, the form saves unprotected."""

    default_error_messages = {
        "invalid": "This page's form token is not valid: open the page again and make your change",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not TOKEN_PATTERN.fullmatch(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def is_token(value) -> bool:
    return isinstance(value, str) and TOKEN_PATTERN.fullmatch(value) is not None


def token_from(data) -> str:
    """The token posted with a form (empty if none, or if it is not one of ours)."""
    token = data.get(FIELD) if data is not None else None
    return token if is_token(token) else ""


def already_used(token: str, *, user) -> bool:
    """Has this user's form with this token already been saved?"""
    if not is_token(token):
        return False
    return SubmissionToken.objects.filter(token=token, user=user).exists()


def consume(token: str, *, user) -> None:
    """Store the token, in the caller's transaction; DuplicateSubmission if it was stored
    before (the caller's transaction then rolls back, so nothing is saved twice)."""
    if not token:
        return
    if not is_token(token):
        raise ValueError("Not a submission token: the form should have refused it.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consume() belongs in the transaction of the save it guards.")
    try:
        with transaction.atomic():  # a savepoint: the error leaves the caller's transaction usable
            SubmissionToken.objects.create(token=token, user=user)
    except IntegrityError:
        raise DuplicateSubmission("This form has already been saved.") from None
