"""Template tags for objectives and actions: an item's progress status as an NHS.UK tag, and the
rows of a plan page's tables."""

from __future__ import annotations

from django import template

from kpis.templatetags.kpi_charts import tag_html
from objectives import filter_form, rows
from objectives.models import ProgressStatus

register = template.Library()


@register.simple_tag
def progress_tag(value):
    """A progress status as components/tag.html draws it: rendered once per (text, colour) per
    process (kpi_charts.tag_html), not once per row; the item page has one per update."""
    tag = ProgressStatus.tag(value)
    return tag_html(tag["text"], tag["colour"])


@register.simple_tag
def drawn_fields(fields):
    """`{% for field in fields %}{{ field.as_field_group }}{% endfor %}`, the widgets drawn in
    Python where they can be (objectives.filter_form: the same markup as the templates)."""
    return filter_form.drawn_fields(fields)


@register.simple_tag
def objective_rows(objectives, *, show_grouping=False, lead_names=None):
    """The rows of a plan page's table of items (objectives.rows: drawn in Python, the same
    markup as the template loop they replace)."""
    return rows.objective_rows(
        objectives, show_grouping=bool(show_grouping), lead_names=lead_names or {}
    )


@register.simple_tag
def objective_table_rows(table):
    """The rows of the objectives table's page (objectives.rows: drawn in Python, the same
    markup as components/table.html's loop)."""
    return rows.objective_table_rows(table)


@register.simple_tag(takes_context=True)
def objective_table_head(context, table):
    """The objectives table's header row (objectives.rows: drawn in Python, the same markup as
    components/table.html's table.thead block)."""
    return rows.objective_table_head(table, context["request"])


@register.simple_tag
def objective_filter_fields(form):
    """The objectives table's filter fields (objectives.filter_form: drawn in Python, the same
    markup as `{% for field in form %}<div>{{ field.as_field_group }}</div>{% endfor %}`)."""
    return filter_form.filter_fields(form)
