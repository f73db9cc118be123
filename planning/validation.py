"""What every form checks before a value can reach the database: one place for the whole project.

A value the database would refuse (text longer than its column, a NUL byte PostgreSQL cannot
store, an integer beyond its column's range, a decimal with too many digits) must come back to
the person as a message next to the field, never as a server error. Each form of the project
mixes in `CheckedInputs` (tests/test_no_500.py checks that every form class does, and drives
each through its view with generated values):

- text: no NUL or other control characters (tab, carriage return and line feed are fine);
- integers: within the range of PostgreSQL's ``integer`` column unless the field says less;
- dates: within `EARLIEST_DATE`–`LATEST_DATE` unless the field says less;
- decimals: Django already refuses NaN and infinities ("Enter a number") and checks
  ``max_digits``/``decimal_places``; a form's decimal fields must state both (checked by the test).

Version fields (the no-lost-update rule, planning.concurrency) use `VersionField`.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)

from planning.spreadsheets.cells import CONTROL_CHARACTERS

# PostgreSQL's ``integer`` (Django's IntegerField and PositiveIntegerField): the narrowest column a
# form's integer is written to. A smaller column states its own limits on the field.
INTEGER_MIN = -(2**31)
INTEGER_MAX = 2**31 - 1
# The widest key a choice of records can name (BigAutoField): a number beyond it overflows the
# database driver (SQLite raises OverflowError, PostgreSQL "out of range") before Django can
# say "not one of the choices".
KEY_MIN = -(2**63)
KEY_MAX = 2**63 - 1

# The NHS began on 5 July 1948; nothing a plan records is older. Plans run a few years ahead.
EARLIEST_DATE = dt.date(1948, 7, 5)
LATEST_DATE = dt.date(2100, 12, 31)


def no_control_characters(value) -> None:
    """Refuse NUL (PostgreSQL cannot store it) and the other invisible control characters, which
    arrive pasted from other programs and break exports and documents."""
    if not isinstance(value, str):
        return
    # One definition for forms and imports (planning.spreadsheets.cells).
    match = CONTROL_CHARACTERS.search(value)
    if match:
        raise ValidationError(
            "Remove the invisible control character (character %(position)s, often pasted "
            "from another program) from this text",
            code="control_character",
            params={"position": match.start() + 1},
        )


def max_length_validator(limit: int) -> MaxLengthValidator:
    """Django's "Ensure this value has at most 120 characters (it has 121)." in our words."""
    return MaxLengthValidator(
        limit, message="Enter %(limit_value)d characters or fewer: this has %(show_value)d"
    )


def _worded(validator):
    if type(validator) is MaxLengthValidator:
        return max_length_validator(validator.limit_value)
    return validator


def _integer_range(field: forms.IntegerField) -> None:
    if field.max_value is None:
        field.validators.append(
            MaxValueValidator(INTEGER_MAX, message="Enter a whole number below 2,147,483,648")
        )
    if field.min_value is None:
        field.validators.append(
            MinValueValidator(INTEGER_MIN, message="Enter a whole number above −2,147,483,649")
        )


def _date_range(field: forms.DateField) -> None:
    earliest = f"{EARLIEST_DATE.day} {EARLIEST_DATE:%B %Y}"
    latest = f"{LATEST_DATE.day} {LATEST_DATE:%B %Y}"
    field.validators += [
        MinValueValidator(EARLIEST_DATE, message=f"Enter a date on or after {earliest}"),
        MaxValueValidator(LATEST_DATE, message=f"Enter a date on or before {latest}"),
    ]


def _bounded_keys(field: forms.ModelChoiceField) -> None:
    """A chosen record's key beyond any key is refused as an invalid choice, before the query."""
    original = field.clean

    def clean(value):
        for item in value if isinstance(value, list | tuple) else [value]:
            text = str(item).strip()
            digits = text.lstrip("+-")
            # Too many digits to be a key: refused before int(), which refuses more than
            # 4,300 digits with a ValueError (a 500) rather than converting them.
            if digits.isdigit() and (
                len(digits.lstrip("0")) > 20 or not KEY_MIN <= int(text) <= KEY_MAX
            ):
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20]},
                )
        return original(value)

    field.clean = clean


def check_field(field: forms.Field) -> None:
    """Give one form field the checks above (a field of a bound form: fields are per instance)."""
    if getattr(field, "_inputs_checked", False):
        return
    field._inputs_checked = True
    if isinstance(field, forms.CharField):
        # Django's own NUL check gives way to ours, which words every control character alike.
        kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        field.validators = [_worded(v) for v in kept] + [no_control_characters]
    elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
        _integer_range(field)
    elif isinstance(field, forms.DateField):
        _date_range(field)
    elif isinstance(field, forms.ModelChoiceField):  # and ModelMultipleChoiceField
        _bounded_keys(field)


class CheckedInputs:
    """Mixed into every form (and a FilterSet's form): gives each field the checks above.

    Put it first, ``class MyForm(CheckedInputs, forms.Form)``, so it runs after the form's own
    ``__init__`` has added or removed fields.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            check_field(field)


class CheckedForm(CheckedInputs, forms.Form):
    """A plain form with the checks: the base of django-filter forms (``Meta.form``)."""


class VersionField(forms.IntegerField):
    """The version a page was opened at, sent back with the change (planning.concurrency).

    Versions are PositiveIntegerField columns: anything outside their range was not sent by a
    page of ours, so it is refused here rather than compared (and counted back) later.
    """

    default_error_messages = {
        "required": "This page was sent without its version: open it again and make your change",
        "invalid": "This page's version is not valid: open it again and make your change",
        "min_value": "This page's version is not valid: open it again and make your change",
        "max_value": "This page's version is not valid: open it again and make your change",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", INTEGER_MAX)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)
