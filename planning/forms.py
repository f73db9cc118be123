"""Small forms shared by every app: the version and one-time token a page was opened with, and
the reason for withdrawing a record (a progress update, a KPI value)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from planning import idempotency
from planning.validation import CheckedInputs, VersionField


def reason_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": "Say why: the reason stays in the history."},
    )


class VersionForm(CheckedInputs, forms.Form):
    """The version a page was opened at and its one-time token: alone, the form behind a button
    (complete, reopen); as a base, every form here."""

    version = VersionField()
    submission_token = idempotency.TokenField()

    def issue_token(self) -> None:
        if not self.is_bound:
            self.initial.setdefault("submission_token", idempotency.new_token())


class WithdrawForm(VersionForm):
    """Why a progress update or a KPI value is withdrawn (it stays in the history, marked)."""

    reason = reason_field(
        "Why are you withdrawing it?",
        "For example “entered against the wrong item”. Everybody who reads the history sees it.",
    )

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", version)
        self.issue_token()


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: each message on its field where the form has
    it, else in the error summary."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
