"""The item page's progress form draws its text boxes, drop-downs and the quarters' radios in
Python (objectives.filter_form): byte for byte what the form renderer's templates draw (kept here
as the reference), whatever the values entered; the radios' fieldset, and the group of a field
with errors, are still drawn by the templates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines

from objectives import filter_form
from objectives.forms import ProgressUpdateForm
from tests.factories import ObjectiveFactory

# The loops of templates/objectives/_progress.html (the second before {% drawn_fields %}
# replaced it); the drawn form goes through the first as it is and the second's replacement.
HIDDEN = "{% for field in form.hidden_fields %}{{ field }}{% endfor %}"
REFERENCE = "{% for field in form.visible_fields %}{{ field.as_field_group }}{% endfor %}"
TODAY = dt.date(2006, 11, 15)

MARKUP = {
    "period": "2006-Q2",
    "rag": "red",
    "status": "in_progress",
    "percent_complete": "40",
    "narrative": "Line one <script>alert(\"x\")</script>\nLine two & 'three'",
    "next_steps": "<b>Hire</b>\r\n\r\n& train",
    "evidence_url": 'https://intranet.example/doc?a=1&b="2"',
    "version": "3",
    "submission_token": 'tok<en>"1"',
}


def _both_ways(objective, data=None) -> tuple[str, str]:
    """The visible fields through the templates (`drawn` off) and drawn, for the same data."""
    reference = ProgressUpdateForm(data, objective=objective, today=TODAY)
    for field in reference.fields.values():
        field.widget.drawn = False
    form = ProgressUpdateForm(data, objective=objective, today=TODAY)
    if data is not None:
        reference.is_valid()
        form.is_valid()
    if data is None:  # the same token in both, as a page's form sends back
        form.initial["submission_token"] = reference.initial["submission_token"]
    django = engines["django"]
    expected = django.from_string(HIDDEN + REFERENCE).render({"form": reference})
    drawn = django.from_string(HIDDEN).render({"form": form})
    return expected, drawn + filter_form.drawn_fields(form.visible_fields())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        MARKUP,
        # Errors: those fields are drawn by the templates, the others in Python.
        {**MARKUP, "narrative": "", "percent_complete": "140", "period": "1999-Q1"},
        {**MARKUP, "evidence_url": "not a <url>", "status": "nonsense"},
    ],
)
def test_progress_fields_are_the_templates_byte_for_byte(plan, data):
    objective = ObjectiveFactory(plan=plan, status="in_progress", percent_complete=30)
    expected, drawn = _both_ways(objective, data)
    assert drawn == expected
    assert drawn.count("<select") == 2
    assert drawn.count("<textarea") == 2
    assert drawn.count('type="hidden"') == 2
    assert drawn.count('class="nhsuk-radios__item"') >= 1  # the open quarters


@pytest.mark.django_db
def test_entered_values_are_escaped_and_errors_shown(plan):
    objective = ObjectiveFactory(plan=plan)
    _, drawn = _both_ways(objective, MARKUP)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in drawn
    assert "<script>" not in drawn
    assert 'value="https://intranet.example/doc?a=1&amp;b=&quot;2&quot;"' in drawn
    assert '<option value="2006-Q2" selected>' in drawn
    _, drawn = _both_ways(objective, {**MARKUP, "percent_complete": "140"})
    assert "nhsuk-form-group--error" in drawn
    assert 'aria-invalid="true"' in drawn


def test_the_form_uses_the_drawn_widgets():
    drawn = {
        name
        for name, field in ProgressUpdateForm.base_fields.items()
        if isinstance(field.widget, filter_form.DRAWN_WIDGETS)
    }
    assert drawn == set(ProgressUpdateForm.base_fields) - {"rag"}  # radios: the templates'
