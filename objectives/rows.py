"""The rows of the plan page's objectives tables, drawn in Python.

A plan page lists every item of the plan (2,000 in the benchmark). Drawn by the template engine,
each row cost a dozen variable lookups, a URL reversal and an inclusion tag for its RAG: about
half a second for the page. Here a row is one str.format of escaped texts, URLs are built from
one reversal and each distinct tag (components/tag.html, still the one source of its markup) is
rendered once.

The markup and its whitespace are exactly those of the template loop this replaces: the test
(tests/objectives/test_rows.py) keeps that loop, renders both and compares them, so the page's
HTML is byte for byte what it was. docs/decisions/fast-rows.md says why.
"""

from __future__ import annotations

from html import escape

from django.template.loader import get_template
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from planning.rag import RAG
from planning.templatetags.waymark import merge_attrs

_ROW = (
    "\n"
    '        <tr class="nhsuk-table__row">\n'
    '          <td class="nhsuk-table__cell">{}</td>\n'
    '          <td class="nhsuk-table__cell">\n'
    '            <a href="{}">{}</a>\n'
    "            {}\n"
    "          </td>\n"
    "          {}\n"
    '          <td class="nhsuk-table__cell">{}</td>\n'
    '          <td class="nhsuk-table__cell">\n'
    "            {}\n"
    "            {}\n"
    "          </td>\n"
    '          <td class="nhsuk-table__cell app-nowrap">{}</td>\n'
    "        </tr>\n"
    "        "
)
_GROUPING = '<td class="nhsuk-table__cell">{}</td>'
_DUE = '<span class="app-due-date">{}</span>'
_DASH = "—"
# html.escape is what django.utils.html.escape calls (quotes too); called directly, without
# format_html's checks per argument, every text is escaped exactly once below.


class TagCache:
    """components/tag.html rendered once per distinct text and colour, for one page."""

    def __init__(self):
        self._template = get_template("components/tag.html")
        self._html: dict[tuple[str, str], SafeString] = {}
        self._rag: dict[tuple[str, bool], SafeString] = {}

    def __call__(self, text: str, colour: str) -> SafeString:
        key = (text, colour)
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = mark_safe(  # noqa: S308 - the template escaped it
                self._template.render({"text": text, "colour": colour})
            )
        return html

    def rag(self, value: str, *, complete: bool) -> SafeString:
        """{% rag_tag value complete=complete %}."""
        html = self._rag.get((value, complete))
        if html is None:
            tag = RAG.tag(value, complete=complete)
            html = self._rag[value, complete] = self(tag["text"], tag["colour"])
        return html


def objective_rows(objectives, *, show_grouping: bool, lead_names) -> SafeString:
    """The <tr> rows of the plan page's table of `objectives`. ``lead_names``: objective id →
    its lead roles' names, in the roles' order (shown when it has no lead as written)."""
    tags = TagCache()
    new_tag = None
    url_prefix = _url_prefix()
    dates: dict = {}
    rows = []
    for objective in objectives:
        if objective.is_new:
            new_tag = new_tag or tags("New", "purple")
        if objective.lead_text:
            lead = escape(objective.lead_text)
        else:
            lead = ", ".join(escape(name) for name in lead_names.get(objective.pk, ())) or _DASH
        due_date = objective.due_date
        if due_date:
            due = dates.get(due_date)
            if due is None:
                due = dates[due_date] = _DUE.format(escape(format_date(due_date, "j M Y")))
        else:
            due = "" if objective.due_text else _DASH
        rows.append(
            _ROW.format(
                escape(objective.reference) or _DASH,
                f"{url_prefix}{objective.pk}/",
                escape(objective.text),
                new_tag if objective.is_new else "",
                _GROUPING.format(escape(objective.grouping) or _DASH) if show_grouping else "",
                lead,
                escape(objective.due_text),
                due,
                tags.rag(objective.rag, complete=objective.is_complete),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text in them escaped above


def _url_prefix() -> str:
    """ "/objectives/" of "/objectives/<pk>/" (objectives:detail), reversed once."""
    url = reverse("objectives:detail", kwargs={"pk": 0})
    assert url.endswith("/0/"), url  # noqa: S101 - the URL pattern is ours
    return url[:-2]


# The objectives table (objectives.tables.ObjectiveTable): django-tables2 still sorts and pages
# it and draws its pagination; its rows (and its header, below) are drawn here, as
# components/table.html's loop drew them (tests/objectives/test_rows.py renders the table both
# ways and compares).
_TABLE_ROW = (
    "\n"
    "        \n"
    '        <tr class="nhsuk-table__row {}">\n'
    "          {}\n"
    "        </tr>\n"
    "        \n"
    "        "
)
_TABLE_CELL = '\n          <td class="nhsuk-table__cell">{}</td>\n          '
_LINK = '<a href="{}">{}</a>'
_DUE_CELL = '{}<br><span class="nhsuk-body-s">{}</span>'


def objective_table_rows(table) -> SafeString:
    """The rows of the table's current page, in the table's column order."""
    columns = [column.name for column in table.columns]
    if columns != ["reference", "text", "grouping", "lead_text", "due_date", "status", "rag"]:
        raise ValueError(f"objective_table_rows draws ObjectiveTable's columns, not {columns}")
    tags = TagCache()
    url_prefix = _url_prefix()
    rows = []
    for row in table.paginated_rows:
        record = row.record
        url = f"{url_prefix}{record.pk}/"
        lead = record.lead_text
        if lead and record.sro_text:
            lead = f"{lead} · SRO: {record.sro_text}"
        due = record.due_date
        if due is not None:
            due = escape(format_date(due, "j M Y"))
            if record.due_text:
                due = _DUE_CELL.format(due, escape(record.due_text))
        cells = (
            _LINK.format(url, escape(record.reference) or _DASH),
            _LINK.format(url, escape(record.text)) if record.text else _DASH,
            escape(record.grouping) or _DASH,
            escape(lead) or _DASH,
            due or _DASH,
            escape(record.get_status_display()) or _DASH,
            tags.rag(record.rag, complete=record.is_complete) if record.rag else _DASH,
        )
        rows.append(
            _TABLE_ROW.format(
                row.get_even_odd_css_class(),
                "".join(_TABLE_CELL.format(cell) for cell in cells),
            )
        )
    if not rows:
        return mark_safe("\n        \n        ")  # noqa: S308 - the empty loop's whitespace
    return mark_safe("".join(rows))  # noqa: S308 - every text in them escaped above


# The table's header row, as components/table.html's table.thead block drew it: a link per
# orderable column to the page sorted by it (django-tables2's querystring_replace), aria-sort on
# the column the table is sorted by.
_HEAD = (
    '\n      <thead class="nhsuk-table__head">\n        <tr class="nhsuk-table__row">\n          {}'
    "\n        </tr>\n      </thead>\n      "
)
_SORTABLE_TH = (
    '\n          \n          <th{} scope="col" data-sort{}>\n'
    '            <a class="nhsuk-link" href="{}">{}</a>\n          </th>\n          \n          '
)
_TH = '\n          \n          <th{} scope="col">{}</th>\n          \n          '


def objective_table_head(table, request) -> SafeString:
    """The table.thead block of components/table.html for `table` (`request`: the page's)."""
    if not table.show_header:
        return mark_safe("\n      \n      ")  # noqa: S308 - the block's whitespace
    cells = []
    for column in table.columns:
        attrs = merge_attrs(column.attrs["th"], "nhsuk-table__header")
        header = conditional_escape(column.header)
        if not column.orderable:
            cells.append(_TH.format(attrs, header))
            continue
        aria = ""
        if column.is_ordered:
            order = "descending" if column.order_by_alias.is_descending else "ascending"
            aria = f' aria-sort="{order}"'
        params = dict(request.GET)
        params[table.prefixed_order_by_field] = column.order_by_alias.next
        href = conditional_escape("?" + urlencode(params, doseq=True))
        cells.append(_SORTABLE_TH.format(attrs, aria, href, header))
    # Every text above escaped (conditional_escape), attributes by merge_attrs' format_html.
    return mark_safe("\n      " + _HEAD.format("".join(cells)) + "\n      ")  # noqa: S308
