"""One history row's changes (planning.audit's ``changes`` lists) drawn in Python.

The audit page lists a hundred changes of a few fields each; through the template
planning/_audit_changes.html each field cost an include's loop, filters and two or four
``truncatechars``, whose translated ellipsis is looked up on every call: about half the page's
time. This draws the same bytes (docs/decisions/fast-rows.md): the template stays, for the pages
that show one record's history, and tests/planning/test_audit_rows.py renders both on values full
of markup, long and short texts, choices and dates, and compares them.
"""

from __future__ import annotations

import unicodedata

from django.template.defaultfilters import capfirst
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

LIMIT = 200  # the template's truncatechars:200


def _text(value) -> str:
    """``value|default:""|truncatechars:200``, before autoescaping. The values are the
    records' own (planning.audit), never strings marked safe, so they are always escaped."""
    text = str(value or "")
    if len(text) > LIMIT:
        return Truncator(text).chars(LIMIT)
    # Not longer than the limit: Truncator returns the text NFC-normalised, nothing cut.
    return unicodedata.normalize("NFC", text)


def _item(change: dict, last: bool) -> str:
    field = capfirst(change["field"])
    if change.get("created"):
        text = format_html("{}: none → “{}”", field, _text(change["new"]))
    elif change.get("unknown_before"):
        text = format_html("{}: not recorded → “{}”", field, _text(change["new"]))
    else:
        text = format_html("{}: “{}” → “{}”", field, _text(change["old"]), _text(change["new"]))
    return text if last else format_html("{}<br>", text)


def changes_html(changes: list[dict]):
    """planning/_audit_changes.html with ``changes``, byte for byte (the newlines after its
    comment and at its end too)."""
    if not changes:
        return format_html("\n{}\n", "No field changed")
    last = len(changes) - 1
    items = ((_item(change, i == last),) for i, change in enumerate(changes))
    return format_html("\n{}\n", format_html_join("", "{}", items))
