"""One history row's changes (planning.audit's ``changes`` lists) drawn in Python.

The audit page lists a hundred changes of a few fields each; through the template
planning/_audit_changes.html each field cost an include's loop, filters and two or four
``truncatechars``, whose translated ellipsis is looked up on every call: about half the page's
time. Here a field is one f-string of escaped texts, the same bytes (docs/decisions/
fast-rows.md): the template stays, for the pages that show one record's history, and
tests/planning/test_audit_rows.py renders both on values full of markup, long and short
texts, choices and dates, and compares them.
"""

from __future__ import annotations

import unicodedata
from html import escape

from django.template.defaultfilters import capfirst
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

LIMIT = 200  # the template's truncatechars:200


def _text(value) -> str:
    """``value|default:""|truncatechars:200``, escaped. The values are the records' own
    (planning.audit), never strings marked safe, so they are always escaped, as
    django.utils.html.escape does (html.escape of the text)."""
    text = str(value or "")
    if len(text) > LIMIT:
        return escape(Truncator(text).chars(LIMIT))
    # Not longer than the limit: Truncator returns the text NFC-normalised, nothing cut.
    return escape(unicodedata.normalize("NFC", text))


def _item(change: dict) -> str:
    field = escape(capfirst(str(change["field"])))
    if change.get("created"):
        return f"{field}: none → “{_text(change['new'])}”"
    if change.get("unknown_before"):
        return f"{field}: not recorded → “{_text(change['new'])}”"
    return f"{field}: “{_text(change['old'])}” → “{_text(change['new'])}”"


def changes_html(changes: list[dict]):
    """planning/_audit_changes.html with ``changes``, byte for byte (the newlines after its
    comment and at its end too). Every text in it went through escape()."""
    if not changes:
        return mark_safe("\nNo field changed\n")
    items = "<br>".join(_item(change) for change in changes)
    return mark_safe(f"\n{items}\n")  # noqa: S308 - every text in them escaped above
