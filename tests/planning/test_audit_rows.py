"""planning.audit_rows draws a history row's changes byte for byte as the template it stands in
for (planning/_audit_changes.html), on values full of markup, long and short, choices and dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from planning.audit_rows import changes_html

pytestmark = pytest.mark.django_db(databases=[])

LONG = "Word " * 60  # 300 characters: cut at 200
MARKUP = "<script>alert(\"x\")</script> & 'quoted' “curly”"
EXACTLY = "x" * 200
ONE_MORE = "y" * 201
COMBINING = "e\u0301" * 150  # 300 code points, 150 characters as truncatechars counts them


def _template(changes) -> str:
    return render_to_string("planning/_audit_changes.html", {"changes": changes})


CASES = {
    "empty": [],
    "created": [
        {"field": "title", "old": "", "new": MARKUP, "created": True, "unknown_before": False},
        {"field": "due date", "old": "", "new": dt.date(2024, 3, 31), "created": True},
        {"field": "value", "old": "", "new": Decimal("54636.0000"), "created": True},
    ],
    "not recorded": [
        {"field": "text", "old": "not recorded", "new": LONG, "unknown_before": True},
        {"field": "new", "old": "not recorded", "new": False, "unknown_before": True},
    ],
    "changed": [
        {"field": "status", "old": gettext_lazy("Not started"), "new": gettext_lazy("Done")},
        {"field": gettext_lazy("percent complete"), "old": None, "new": 100},
        {"field": "<b>field</b>", "old": MARKUP, "new": ""},
        {"field": "", "old": 0, "new": 1},
    ],
    "lengths": [
        {"field": "exactly", "old": EXACTLY, "new": ONE_MORE},
        {"field": "combining", "old": COMBINING, "new": "e\u0301" * 201},
        {"field": "long markup", "old": MARKUP * 20, "new": "x" * 199 + "<"},
        {"field": "unicode", "old": "e\u0301tude", "new": "Ａ" * 250},
    ],
    "one": [{"field": "order", "old": 1, "new": 2}],
    "times": [
        {
            "field": "updated at",
            "old": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
            "new": dt.datetime(2026, 1, 2, 3, 4, 6, 123456, tzinfo=dt.UTC),
        }
    ],
}


class TestAuditChangesHtml:
    @pytest.mark.parametrize("name", CASES)
    def test_same_bytes_as_the_template(self, name):
        assert str(changes_html(CASES[name])) == _template(CASES[name])

    def test_markup_in_values_and_names_is_escaped(self):
        html = str(changes_html(CASES["changed"]))
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "<b>" not in html and "&lt;b&gt;field&lt;/b&gt;" in html

    def test_long_values_are_cut_with_an_ellipsis(self):
        html = str(changes_html(CASES["lengths"]))
        assert "x" * 200 in html and "y" * 199 + "…" in html and "y" * 200 not in html
