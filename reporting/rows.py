"""The quarterly scorecard's long tables, exceptions and changes, and its roll-ups' rows,
drawn in Python.

With 500 objectives, the scorecard lists a few hundred Red and Amber items and as many changes
since the last quarter; drawn by the template engine, each row cost a dozen variable lookups and
one or two ``{% rag_tag %}`` inclusion tags (a template rendered per tag). Here a row is one
str.format of escaped texts, and each RAG tag (components/tag.html, still the one source of its
markup) is rendered once per process (kpis.templatetags.kpi_charts.tag_html), as
objectives.rows and kpis.rows draw theirs (docs/decisions/fast-rows.md).

The markup and its whitespace are exactly those of the template loops these replace: the test
(tests/reporting/test_scorecard_rows.py) keeps those loops, renders both on text full of markup
and compares them, so the page is byte for byte what it was.
"""

from __future__ import annotations

import re
from html import escape

from django.utils.safestring import SafeData, SafeString, mark_safe

from kpis.rows import text
from kpis.templatetags.kpi_charts import tag_html
from planning.rag import RAG

_EXCEPTION = (
    "\n"
    '        <tr class="nhsuk-table__row">\n'
    '          <td class="nhsuk-table__cell"><a href="{}">{}{}</a>'
    '<span class="app-secondary-text">{}</span></td>\n'
    '          <td class="nhsuk-table__cell app-nowrap">{}</td>\n'
    '          <td class="nhsuk-table__cell">{}{}</td>\n'
    "        </tr>\n"
    "        "
)
_CHANGE = (
    "\n"
    '        <tr class="nhsuk-table__row">\n'
    '          <td class="nhsuk-table__cell"><a href="{}">{}{}</a>'
    '<span class="app-secondary-text">{}</span></td>\n'
    '          <td class="nhsuk-table__cell">{}</td>\n'
    "          {}\n"
    "        </tr>\n"
    "        "
)
_CHANGED_TAGS = (
    "\n"
    '          <td class="nhsuk-table__cell app-nowrap">{}</td>\n'
    '          <td class="nhsuk-table__cell app-nowrap">{}</td>\n'
    "          "
)
_CHANGED_TEXTS = (
    "\n"
    '          <td class="nhsuk-table__cell">{}</td>\n'
    '          <td class="nhsuk-table__cell">{}</td>\n'
    "          "
)
_PERIOD = '<span class="app-secondary-text">{}</span>'
_NO_NARRATIVE = "No narrative given."
_NEWLINES = re.compile(r"\r\n|\r")  # django.utils.text.normalize_newlines


def rag_tag(value, *, complete: bool = False) -> SafeString:
    """``{% rag_tag value complete=complete %}``, rendered once per process."""
    tag = RAG.tag(value, complete=bool(complete))
    return tag_html(tag["text"], tag["colour"])


def linebreaksbr(value) -> str:
    """``{{ value|linebreaksbr }}``: Django's filter without its lazy-text wrappers, which
    cost more than the rest of an exception's row."""
    safe = isinstance(value, SafeData)
    value = str(value)
    if "\r" in value:
        value = _NEWLINES.sub("\n", value)
    if not safe:
        value = escape(value)
    return value.replace("\n", "<br>")


def _reference(reference) -> str:
    return f"{text(reference)} " if reference else ""


def exception_rows(items) -> SafeString:
    """The <tr> rows of a table of reporting.scorecard.ExceptionItem."""
    rows = [
        _EXCEPTION.format(
            text(item.url),
            _reference(item.reference),
            text(item.title),
            text(item.group),
            rag_tag(item.rag),
            linebreaksbr(item.narrative) if item.narrative else _NO_NARRATIVE,
            _PERIOD.format(text(item.period)) if item.period else "",
        )
        for item in items
    ]
    return mark_safe("".join(rows))  # noqa: S308 - every text in them escaped above


def change_rows(changes) -> SafeString:
    """The <tr> rows of the table of reporting.scorecard.Change."""
    rows = []
    for c in changes:
        if c.what == "RAG":
            cells = _CHANGED_TAGS.format(
                rag_tag(c.before, complete=c.before_complete),
                rag_tag(c.after, complete=c.after_complete),
            )
        else:
            cells = _CHANGED_TEXTS.format(text(c.before_text), text(c.after_text))
        rows.append(
            _CHANGE.format(
                text(c.url),
                _reference(c.reference),
                text(c.title),
                text(c.kind),
                text(c.what),
                cells,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text in them escaped above


_ROLLUP = (
    "\n"
    '        <tr class="nhsuk-table__row">\n'
    '          <th scope="row" class="nhsuk-table__header">{}</th>\n'
    "          {}\n"
    '          <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{}</td>\n'
    "        </tr>\n"
    "        "
)
_COUNT = (
    "\n"
    '          <td class="nhsuk-table__cell nhsuk-table__cell--numeric app-nowrap">{}{}</td>\n'
    "          "
)
_SHARE = ' <span class="app-share">({}%)</span>'


def rollup_rows(rows) -> SafeString:
    """The <tr> rows of a table of reporting.scorecard.Rollup (objectives counted by RAG):
    some 30 rows of six numbers, which cost the template engine a few hundred lookups.
    Numbers are written as ``{{ }}`` writes an int without USE_THOUSAND_SEPARATOR."""
    drawn = []
    for row in rows:
        total = row.total
        cells = "".join(
            _COUNT.format(c.count, _SHARE.format(c.share) if total else "") for c in row.counts
        )
        drawn.append(_ROLLUP.format(text(row.label), cells, total))
    return mark_safe("".join(drawn))  # noqa: S308 - the label escaped above, the rest numbers
