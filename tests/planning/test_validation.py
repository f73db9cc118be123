"""planning.validation: the checks every form gets, and the sign-in form that uses them."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django import forms
from django.urls import reverse

from planning.validation import CheckedInputs, VersionField


class Sample(CheckedInputs, forms.Form):
    text = forms.CharField(required=False, max_length=20)
    number = forms.IntegerField(required=False)
    small = forms.IntegerField(required=False, max_value=5)
    when = forms.DateField(required=False)
    version = VersionField(required=False)


def errors(**data):
    form = Sample(data)
    form.is_valid()
    return {name: " ".join(messages) for name, messages in form.errors.items()}


class TestCheckedInputs:
    @pytest.mark.parametrize("text", ["a\x00b", "\x01", "bell\x07", "\x1b[0m", "\x7f", "a\x85b"])
    def test_control_characters_are_refused(self, text):
        assert "Remove the invisible control character" in errors(text=text)["text"]

    @pytest.mark.parametrize("text", ["tab\there", "line\r\nbreak", "café ☕ ✓", "\u202f"])
    def test_tabs_new_lines_and_unicode_are_fine(self, text):
        assert errors(text=text) == {}

    def test_the_position_is_given(self):
        assert "(character 4," in errors(text="abc\x00")["text"]

    def test_length_in_our_words(self):
        assert errors(text="x" * 21)["text"] == "Enter 20 characters or fewer: this has 21"

    @pytest.mark.parametrize("number", [str(2**31), str(-(2**31) - 1), str(2**63), "9" * 30])
    def test_integers_stay_within_the_database_column(self, number):
        assert "number" in errors(number=number)

    def test_integers_within_range_are_fine(self):
        assert errors(number=str(2**31 - 1)) == {}
        assert errors(number=str(-(2**31))) == {}

    def test_a_fields_own_limit_is_kept(self):
        assert "small" in errors(small="6")

    @pytest.mark.parametrize(
        ("when", "ok"),
        [
            ("1948-07-04", False),
            ("1948-07-05", True),
            ("2100-12-31", True),
            ("2101-01-01", False),
            ("9999-12-31", False),
        ],
    )
    def test_dates_within_a_sane_range(self, when, ok):
        assert ("when" not in errors(when=when)) is ok

    @pytest.mark.parametrize("version", ["-1", str(-(2**63)), str(2**31), "1.5", "NaN"])
    def test_versions_out_of_range_are_refused(self, version):
        assert "open it again" in errors(version=version)["version"]

    def test_fields_are_checked_per_form_not_shared(self):
        Sample({})
        assert not any(
            getattr(v, "__name__", "") == "no_control_characters"
            for v in Sample.base_fields["text"].validators
        )


@pytest.mark.django_db
class TestSignIn:
    def test_a_long_user_name_is_refused_before_it_is_looked_up(self, client):
        """Django's sign-in form never checked the name's length: the name went to
        authenticate() and django-axes logged it in a 255-character column (a 500 on
        PostgreSQL)."""
        response = client.post(reverse("login"), {"username": "x" * 300, "password": "p"})
        assert response.status_code == 200
        assert "Enter 150 characters or fewer: this has 300" in response.text
        assert not AccessAttempt.objects.exists()

    def test_a_wrong_password_is_still_logged(self, client, viewer):
        client.post(reverse("login"), {"username": viewer.username, "password": "nope"})
        assert AccessAttempt.objects.filter(username=viewer.username).exists()


def test_the_date_range_holds_every_demo_plan():
    from planning.validation import EARLIEST_DATE, LATEST_DATE

    assert dt.date(2006, 4, 1) > EARLIEST_DATE and dt.date(2021, 3, 31) < LATEST_DATE


@pytest.mark.django_db
class TestRecordChoices:
    """A key beyond any key overflowed the driver (a 500): now an invalid choice."""

    class Choose(CheckedInputs, forms.Form):
        one = forms.ModelChoiceField(queryset=None, required=False)
        many = forms.ModelMultipleChoiceField(queryset=None, required=False)

        def __init__(self, *args, **kwargs):
            from planning.models import Organisation

            super().__init__(*args, **kwargs)
            self.fields["one"].queryset = Organisation.objects.all()
            self.fields["many"].queryset = Organisation.objects.all()

    @pytest.mark.parametrize("field", ["one", "many"])
    def test_a_key_too_big_for_the_database_is_not_a_choice(self, field, organisation):
        huge = str(2**64)
        form = self.Choose({field: [huge] if field == "many" else huge})
        assert not form.is_valid()
        assert list(form.errors) == [field]

    def test_a_real_choice_still_validates(self, organisation):
        form = self.Choose({"one": str(organisation.pk), "many": [str(organisation.pk)]})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["one"] == organisation
