"""The form renderer (templates/django/forms/) draws every field in NHS.UK markup."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db(databases=[])


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str, tag: str | None = None, **attrs) -> list[dict[str, str]]:
    """Start tags of `html` (their attributes) matching the tag name and exact attributes."""
    parser = _Elements()
    parser.feed(str(html))
    return [
        found
        for name, found in parser.found
        if (tag is None or name == tag) and all(found.get(k) == v for k, v in attrs.items())
    ]


def element(html: str, tag: str | None = None, **attrs) -> dict[str, str]:
    matches = elements(html, tag, **attrs)
    assert len(matches) == 1, f"expected one <{tag or '*'} {attrs}>, found {len(matches)}"
    return matches[0]


def classes(found: dict[str, str]) -> set[str]:
    return set(found.get("class", "").split())


class ThrowawayForm(forms.Form):
    """One field of each kind the renderer styles."""

    name = forms.CharField(help_text="As it appears in the plan.")
    notes = forms.CharField(widget=forms.Textarea, required=False, max_length=20)
    department = forms.ChoiceField(choices=[("", "Choose"), ("hr", "HR"), ("it", "IT")])
    rag = forms.ChoiceField(choices=[("red", "Red"), ("green", "Green")], widget=forms.RadioSelect)
    quarters = forms.MultipleChoiceField(
        choices=[("1", "Q1"), ("2", "Q2")], widget=forms.CheckboxSelectMultiple, required=False
    )
    is_new = forms.BooleanField(required=False, label="New this year")
    due = forms.DateField(widget=forms.DateInput, required=False)
    reviewed = forms.DateField(widget=forms.SelectDateWidget(years=[2006, 2007]), required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") == "clash":
            raise forms.ValidationError("This plan already has an objective with that name.")
        return cleaned


def invalid_form(**data):
    form = ThrowawayForm(data={"department": "", "rag": "", **data})
    assert not form.is_valid()
    return form


class TestFieldWithError:
    def test_form_group_error_message_and_described_by(self):
        html = invalid_form()["name"].as_field_group()

        group = element(html, "div", **{"class": "nhsuk-form-group nhsuk-form-group--error"})
        assert group is not None
        message = element(html, "span", id="id_name_error")
        assert classes(message) == {"nhsuk-error-message"}
        assert "Error: </span>This field is required." in html
        text_input = element(html, "input", name="name")
        assert {"nhsuk-input", "nhsuk-input--error"} <= classes(text_input)
        assert text_input["aria-describedby"] == "id_name_helptext id_name_error"
        assert text_input["aria-invalid"] == "true"
        assert element(html, "div", id="id_name_helptext")["class"] == "nhsuk-hint"
        assert element(html, "label", **{"for": "id_name"})["class"] == "nhsuk-label"

    def test_label_has_no_colon_and_required_field_no_marker(self):
        html = ThrowawayForm()["name"].as_field_group()
        assert ">Name</label>" in html

    def test_optional_field_is_marked_optional(self):
        html = ThrowawayForm()["notes"].as_field_group()
        assert "Notes (optional)</label>" in html

    def test_select_and_textarea_error_modifiers(self):
        form = invalid_form(notes="x" * 21)
        select = element(form["department"].as_field_group(), "select")
        assert {"nhsuk-select", "nhsuk-select--error"} <= classes(select)
        textarea = element(form["notes"].as_field_group(), "textarea")
        assert {"nhsuk-textarea", "nhsuk-textarea--error"} <= classes(textarea)

    def test_valid_field_has_no_error_markup(self):
        form = ThrowawayForm(data={"name": "Fine", "department": "hr", "rag": "red"})
        assert form.is_valid(), form.errors
        html = form["name"].as_field_group()
        assert "nhsuk-form-group--error" not in html
        assert "nhsuk-error-message" not in html
        assert "nhsuk-input--error" not in classes(element(html, "input", name="name"))


class TestGroupedInputs:
    def test_radios_in_a_fieldset_described_by_the_error(self):
        html = invalid_form()["rag"].as_field_group()

        fieldset = element(html, "fieldset")
        assert fieldset["class"] == "nhsuk-fieldset"
        assert fieldset["aria-describedby"] == "id_rag_error"
        assert "nhsuk-fieldset__legend" in html
        assert element(html, "div", **{"class": "nhsuk-radios"})["data-module"] == "nhsuk-radios"
        first = element(html, "input", id="id_rag_0")
        assert first["class"] == "nhsuk-radios__input"
        assert first["type"] == "radio"
        assert element(html, "label", **{"for": "id_rag_0"})["class"] == (
            "nhsuk-label nhsuk-radios__label"
        )

    def test_checkboxes(self):
        html = ThrowawayForm()["quarters"].as_field_group()
        assert element(html, "input", id="id_quarters_1")["class"] == "nhsuk-checkboxes__input"
        assert "nhsuk-checkboxes__label" in html

    def test_single_checkbox_label_follows_the_box(self):
        html = ThrowawayForm()["is_new"].as_field_group()
        box = element(html, "input", type="checkbox")
        assert box["class"] == "nhsuk-checkboxes__input"
        assert html.index('type="checkbox"') < html.index(">New this year</label>")
        assert "(optional)" not in html

    def test_select_date_as_nhs_date_input(self):
        html = ThrowawayForm()["reviewed"].as_field_group()
        assert element(html, "fieldset")["role"] == "group"
        assert "nhsuk-date-input__item" in html
        for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
            assert f'for="id_reviewed_{part}">{label}</label>' in html
            assert "nhsuk-select" in classes(element(html, "select", id=f"id_reviewed_{part}"))

    def test_date_input_is_a_narrow_text_box(self):
        html = ThrowawayForm()["due"].as_field_group()
        assert {"nhsuk-input", "nhsuk-input--width-10"} <= classes(element(html, "input"))

    def test_password_input_with_hidden_toggle(self):
        html = ThrowawayForm()["secret"].as_field_group()
        group = element(html, "div", **{"data-module": "nhsuk-password-input"})
        assert "nhsuk-password-input" in classes(group)
        assert "nhsuk-password-input__input" in classes(element(html, "input", type="password"))
        toggle = element(html, "button")
        assert toggle["aria-controls"] == "id_secret"
        assert "hidden" in toggle

    def test_file_inputs(self):
        form = ThrowawayForm()
        form.fields["attachment"] = forms.FileField(required=False, widget=forms.FileInput)
        form.fields["evidence"] = forms.FileField(required=False)  # ClearableFileInput
        html = form["attachment"].as_field_group()
        assert element(html, "input", type="file")["class"] == "nhsuk-file-upload__input"
        assert element(html, "div", **{"data-module": "nhsuk-file-upload"})
        html = form["evidence"].as_field_group()
        assert element(html, "input", type="file")["class"] == "nhsuk-file-upload__input"

    def test_hidden_input_takes_no_nhs_class(self):
        html = ThrowawayForm()["version"].as_field_group()
        assert "class" not in element(html, "input", type="hidden")
        assert "nhsuk-form-group" not in html


class TestWholeForm:
    def test_form_renders_every_field_as_a_form_group(self):
        html = str(ThrowawayForm())
        # Nine visible fields, plus the day, month and year of the date input, each in a group of
        # its own as in NHS.UK's date input.
        assert html.count('class="nhsuk-form-group') == 9 + 3
        assert element(html, "input", type="hidden", name="version")

    def test_non_field_errors_shown_as_error_messages(self):
        html = str(invalid_form(name="clash"))
        assert "This plan already has an objective with that name." in html
        assert "nhsuk-error-message" in html


class TestErrorSummary:
    def test_lists_each_error_linking_to_its_field(self):
        form = invalid_form(name="clash")
        form.add_error("name", "Use a shorter name.")
        html = render_to_string("components/error_summary.html", {"form": form})

        summary = element(html, "div", **{"class": "nhsuk-error-summary"})
        assert summary["data-module"] == "nhsuk-error-summary"
        assert element(html, "div", role="alert") is not None
        assert "There is a problem" in html
        assert elements(html, "a", href="#id_name")  # the field's own error
        assert elements(html, "a", href="#id_rag_0")  # a radio group links to its first radio
        assert elements(html, "a", href="#id_department")
        # An error of the whole form links to its first field.
        assert html.count('href="#id_name"') == 2

    def test_nothing_when_the_form_is_valid(self):
        form = ThrowawayForm(data={"name": "Fine", "department": "hr", "rag": "red"})
        form.is_valid()
        assert render_to_string("components/error_summary.html", {"form": form}).strip() == ""
