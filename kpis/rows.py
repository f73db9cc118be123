"""The rows of the KPI table (templates/kpis/_kpi_table.html), drawn in Python.

The quarterly scorecard shows 200 KPIs in the benchmark and the KPI list as many: drawn by the
template engine, each row cost some forty variable lookups, a URL reversal, an include and
four simple tags. Here a row is one str.format of escaped texts (as objectives.rows draws the
plan page's rows: docs/decisions/fast-rows.md); the tags and icons come from the same functions
the template tags call (kpis.templatetags.kpi_charts, kpis.charts), rendered once per process.

The markup and its whitespace are exactly those of the template loop this replaces: the test
(tests/kpis/test_rows.py) keeps that loop, renders both on text full of markup and compares
them, so the pages' HTML is byte for byte what it was. The PDF's table (``print``) is still
drawn by the template.
"""

from __future__ import annotations

import re
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeData, SafeString, mark_safe

from kpis import charts
from kpis.models import KPI
from kpis.templatetags.kpi_charts import kpi_rag_tag, tag_html

_HEADING = '<span class="nhsuk-table__heading" aria-hidden="true">{} </span>'
_CELL = '<td class="nhsuk-table__cell" role="cell">'
_NOWRAP = '<td class="nhsuk-table__cell app-nowrap" role="cell">'

_ROW = (
    "\n"
    '        <tr class="nhsuk-table__row" role="row"{anchor}>\n'
    f"          {_CELL}{_HEADING.format('KPI')}<span>\n"
    '            <a href="{url}">{code} {name}</a>\n'
    "            {development}\n"
    "            {summary}\n"
    "          </span></td>\n"
    "          {list_cells}\n"
    f"          {_NOWRAP}{_HEADING.format('Latest')}<span>{{latest}}{{label}}</span></td>\n"
    f"          {_NOWRAP}{_HEADING.format('Target')}{{target}}</td>\n"
    f"          {_NOWRAP}{_HEADING.format('RAG')}<span>{{rag}}</span></td>\n"
    "          {last_cells}\n"
    "        </tr>\n"
    "        "
)
_LIST_CELLS = (
    f"\n          {_CELL}{_HEADING.format('Perspective')}{{}}</td>\n"
    f"          {_CELL}{_HEADING.format('Measured')}{{}}</td>\n"
    "          "
)
_SCORECARD_CELLS = (
    f"\n          {_CELL}{_HEADING.format('Trend')}<span>{{}}</span></td>\n"
    f"          {_CELL}{_HEADING.format('Variation')}<span>{{}}</span></td>\n"
    f"          {_CELL}{_HEADING.format('Assurance')}<span>{{}}</span></td>\n"
    "          "
)
_EDIT_CELL = (
    f'\n          {_CELL}<a href="{{}}">Edit'
    '<span class="nhsuk-u-visually-hidden"> {}</span></a></td>\n'
    "          "
)
_SECONDARY = '<span class="app-secondary-text">{}</span>'
_DASH = "—"


# What html.escape (quote=True) replaces: a text with none of them is returned as it is, one
# search instead of five replaces (a scorecard escapes some 4,000 texts, nearly all plain).
_SPECIAL = re.compile("[&<>\"']")


def text(value) -> str:
    """``{{ value }}`` of a text: escaped, unless it is already safe markup."""
    if isinstance(value, SafeData):
        return value
    value = str(value)
    return escape(value) if _SPECIAL.search(value) else value


def _display(field) -> dict:
    """A choice field's ``get_FOO_display`` as a dictionary, read once per table (the model
    method rebuilds the choices' dictionary on every call): value -> label."""
    return {value: str(label) for value, label in field.flatchoices}


class PkURL:
    """A URL taking only a pk (e.g. kpis:edit), reversed once for a whole table:
    ``PkURL("kpis:edit")(5)`` is ``reverse("kpis:edit", kwargs={"pk": 5})``."""

    def __init__(self, name: str):
        head, marker, tail = reverse(name, kwargs={"pk": 0}).rpartition("/0/")
        assert marker, name  # noqa: S101 - the URL patterns are ours
        self.head, self.tail = f"{head}/", f"/{tail}"

    def __call__(self, pk: int) -> str:
        return f"{self.head}{pk}{self.tail}"


def kpi_rows(statuses, *, scorecard: bool, can_edit: bool) -> SafeString:
    """The <tr> rows of the KPI table of ``statuses`` (kpis.selectors.KPIStatus): the
    scorecard's columns, or the list's (with an Edit link when ``can_edit``)."""
    edit_url = PkURL("kpis:edit")
    perspectives = frequencies = None
    if not scorecard:
        perspectives = _display(KPI._meta.get_field("perspective"))
        frequencies = _display(KPI._meta.get_field("frequency"))
    development = None
    rows = []
    for s in statuses:
        kpi, latest = s.kpi, s.latest
        if kpi.in_development:
            development = development or tag_html("In development", "yellow")
        if scorecard:
            anchor = f' id="{text(s.anchor)}"'
            summary = _SECONDARY.format(text(s.summary))
            list_cells = ""
            variation, assurance = s.variation, s.assurance
            last_cells = _SCORECARD_CELLS.format(
                text(s.sparkline),
                charts.variation_icon(variation) if variation else _DASH,
                charts.assurance_icon(assurance) if assurance else _DASH,
            )
        else:
            anchor = summary = ""
            # get_FOO_display: the label, or the stored value when it is not a choice.
            list_cells = _LIST_CELLS.format(
                text(perspectives.get(kpi.perspective, kpi.perspective)),
                text(frequencies.get(kpi.frequency, kpi.frequency)),
            )
            last_cells = _EDIT_CELL.format(edit_url(kpi.pk), text(kpi.code)) if can_edit else ""
        rows.append(
            _ROW.format(
                anchor=anchor,
                url=text(s.url),
                code=text(kpi.code),
                name=text(kpi.name),
                development=development if kpi.in_development else "",
                summary=summary,
                list_cells=list_cells,
                latest=text(s.latest_text),
                label=_SECONDARY.format(text(latest.label)) if latest else "",
                target=text(s.target_text),
                rag=kpi_rag_tag(s),
                last_cells=last_cells,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text in them escaped above
