"""The NHS.UK components: the error summary takes {text, href} items; details and tags take any
content ({% capture %}); the error summary's items for a form or formset (waymark.error_items)."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string

from planning.templatetags.waymark import error_items


class NameForm(forms.Form):
    key = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField()

    def clean(self):
        raise forms.ValidationError("The whole row is wrong.")


NameFormSet = forms.formset_factory(NameForm, extra=0)


def formset(**data):
    prefix = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0"}
    bound = NameFormSet({**prefix, **data})
    bound.is_valid()
    return bound


class TestErrorSummary:
    def test_takes_items_as_the_design_system_does(self):
        html = render_to_string(
            "components/error_summary.html",
            {
                "title": "Nothing was imported",
                "items": [{"text": "Row 2: no amount", "href": "#row-2"}, {"text": "No link"}],
            },
        )
        assert '<h2 class="nhsuk-error-summary__heading">Nothing was imported</h2>' in html
        assert '<li><a href="#row-2">Row 2: no amount</a></li>' in html
        assert "<li>No link</li>" in html

    def test_escapes_item_text(self):
        html = render_to_string(
            "components/error_summary.html", {"items": [{"text": "<b>", "href": "#x"}]}
        )
        assert "&lt;b&gt;" in html and "<b>" not in html

    def test_a_description_alone_with_an_id(self):
        html = render_to_string(
            "components/stale_edit.html", {"title": "Changed meanwhile", "body": "Theirs stands."}
        )
        assert 'id="stale-edit"' in html and "Theirs stands." in html
        assert "nhsuk-error-summary__list" not in html

    def test_nothing_without_items_or_description(self):
        assert render_to_string("components/error_summary.html", {"items": []}).strip() == ""


class TestErrorItems:
    def test_a_formsets_errors_name_their_row(self):
        items = error_items(formset(**{"form-0-key": "1", "form-1-name": "B"}), "Service line")
        assert {"text": "Service line 1: This field is required.", "href": "#id_form-0-name"} in (
            items
        )
        assert {"text": "Service line 1: The whole row is wrong.", "href": "#line-1"} in items
        # A hidden key fails only when the row changed meanwhile: linked to the row, in words.
        assert {
            "text": "Service line 2: this line changed after you opened the page; open it again",
            "href": "#line-2",
        } in items

    def test_a_formset_row_is_a_line_unless_told(self):
        items = error_items(formset(**{"form-0-key": "1", "form-0-name": "A"}))
        assert items[0]["text"] == "Line 1: The whole row is wrong."

    def test_a_forms_errors_link_to_their_fields(self):
        form = NameForm({"key": "1"})
        form.is_valid()
        assert error_items(form) == [
            {"text": "The whole row is wrong.", "href": "#id_name"},
            {"text": "This field is required.", "href": "#id_name"},
        ]


class TestCapture:
    def test_details_take_captured_html(self):
        html = Template(
            "{% load waymark %}{% capture as body %}<p>Any <em>content</em> {{ who }}</p>"
            "{% endcapture %}"
            '{% include "components/details.html" with summary="More" html=body id="more" %}'
        ).render(Context({"who": "<script>"}))
        assert '<details class="nhsuk-details" id="more">' in html
        assert "<p>Any <em>content</em> &lt;script&gt;</p>" in html

    def test_summary_items_in_a_template(self):
        html = Template(
            '{% load waymark %}{% summary_items "See the rows" "#rows" as items %}'
            '{% include "components/error_summary.html" with items=items %}'
        ).render(Context())
        assert '<a href="#rows">See the rows</a>' in html
