"""The form renderer's markup, byte for byte, against a copy saved from the renderer before it
was made faster (issue 17): a faster path must draw exactly the same NHS.UK HTML.

If a template under templates/django/forms/ is changed on purpose, rewrite the saved copy with
`WAYMARK_WRITE_GOLDEN=1 pytest tests/planning/test_forms_golden.py` and read its diff.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django import forms

pytestmark = pytest.mark.django_db(databases=[])

GOLDEN = Path(__file__).parent / "golden"


class EveryWidgetForm(forms.Form):
    """Each widget the renderer draws, with grouped and ungrouped choices, values and flags."""

    name = forms.CharField(help_text="As it appears <em>in</em> the plan.", max_length=40)
    count = forms.IntegerField(min_value=0, max_value=100, widget=forms.NumberInput)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    department = forms.ChoiceField(
        choices=[("", "Choose"), ("Corporate", [("hr", "HR"), ("it", "IT & <data>")]), ("x", 1)]
    )
    status = forms.ChoiceField(choices=[("a", "Not started"), ("b", "In progress")])
    many = forms.MultipleChoiceField(
        choices=[("1", "One"), ("2", "Two"), ("3", "Three")], widget=forms.SelectMultiple
    )
    rag = forms.ChoiceField(choices=[("red", "Red"), ("green", "Green")], widget=forms.RadioSelect)
    quarters = forms.MultipleChoiceField(
        choices=[("1", "Q1"), ("2", "Q2")], widget=forms.CheckboxSelectMultiple, required=False
    )
    is_new = forms.BooleanField(required=False, label="New this year")
    due = forms.DateField(widget=forms.DateInput, required=False)
    reviewed = forms.DateField(widget=forms.SelectDateWidget(years=[2006, 2007]), required=False)
    link = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    disabled = forms.CharField(required=False, disabled=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


INITIAL = {
    "name": 'Waits & "delays"',
    "count": 0,
    "department": "it",
    "status": "b",
    "many": ["1", "3"],
    "rag": "green",
    "quarters": ["2"],
    "is_new": True,
    "due": dt.date(2007, 3, 31),
    "reviewed": dt.date(2006, 7, 1),
    "version": 3,
}
BOUND = {
    "name": "x" * 41,
    "count": "101",
    "notes": "A <b>bold</b> claim",
    "department": "nope",
    "status": "",
    "rag": "",
    "quarters": ["1", "2"],
    "due": "not a date",
    "reviewed_day": "31",
    "reviewed_month": "2",
    "reviewed_year": "2007",
    "link": "not a link",
    "version": "7",
}


def _rendered(form) -> str:
    parts = [str(form)]
    parts += [field.as_field_group() for field in form.visible_fields()]
    parts += [str(field) for field in form.hidden_fields()]
    return "\n----\n".join(parts) + "\n"


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("unbound", lambda: EveryWidgetForm(initial=INITIAL)),
        ("bound_with_errors", lambda: EveryWidgetForm(data=BOUND)),
    ],
)
def test_form_html_is_unchanged_byte_for_byte(name, build):
    form = build()
    form.is_valid()
    html = _rendered(form)
    golden = GOLDEN / f"form_{name}.html"
    if os.environ.get("WAYMARK_WRITE_GOLDEN"):
        golden.write_text(html)
    assert html == golden.read_text()
