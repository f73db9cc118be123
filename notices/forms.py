"""The notices' forms: they check the shape of the input; notices.services checks the rules."""

from __future__ import annotations

from django import forms

from notices.models import WEEKDAYS, NoticeSettings
from planning import idempotency
from planning.validation import CheckedInputs, VersionField


class _Versioned(CheckedInputs, forms.Form):
    version = VersionField()
    submission_token = idempotency.TokenField()

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", version)
        if not self.is_bound:
            self.initial.setdefault("submission_token", idempotency.new_token())

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class NoticeSettingsForm(_Versioned):
    reminder_days = forms.CharField(
        label="Reminders, in working days before each quarter's deadline",
        max_length=NoticeSettings._meta.get_field("reminder_days").max_length,
        help_text="Numbers separated by commas, for example 10, 3: a reminder 10 working days "
        "before the deadline and another 3 working days before.",
        error_messages={"required": "Enter when reminders go, for example 10, 3."},
    )
    weekly_day = forms.TypedChoiceField(
        label="Day of the week for the weekly notices and the planners' digest",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    enabled = forms.BooleanField(
        label="Send reminders and notices for this plan",
        required=False,
        help_text="Untick to send nothing for this plan (for example a plan no longer tracked).",
    )


class PreferencesForm(_Versioned):
    digests = forms.BooleanField(
        label="The weekly digest (planners)",
        required=False,
        help_text="Items not updated, Red and Amber items, overdue items and KPIs without a "
        "value, by department.",
    )
    board_packs = forms.BooleanField(
        label="When a quarter's board pack is published (board members)",
        required=False,
    )


class RemindersForm(_Versioned):
    reminders = forms.BooleanField(
        label="Send reminders and overdue notices about the items this person leads",
        required=False,
    )


class BoardPackForm(CheckedInputs, forms.Form):
    quarter = forms.ChoiceField(
        label="Quarter",
        error_messages={
            "required": "Choose the quarter whose board pack is published.",
            "invalid_choice": "Choose a quarter from the list.",
        },
    )
    submission_token = idempotency.TokenField()

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.key, str(q)) for q in reversed(quarters)]
        if not self.is_bound:
            self.initial.setdefault("submission_token", idempotency.new_token())
