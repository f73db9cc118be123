"""Template tags for the KPI pages: the SVG charts and icons of kpis.charts, KPI RAG tags and
values with their units."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from kpis import charts, periods
from planning.rag import RAG

register = template.Library()


@register.simple_tag
def xmr_chart(chart, id_prefix="chart"):
    return charts.xmr_chart(chart, id_prefix=id_prefix)


@register.simple_tag
def sparkline(chart):
    return charts.sparkline(chart)


@register.simple_tag
def variation_icon(variation, size=40):
    return charts.variation_icon(variation, size=size)


@register.simple_tag
def assurance_icon(assurance, size=40):
    return charts.assurance_icon(assurance, size=size)


@register.filter
def variation_words(variation) -> str:
    return charts.variation_text(variation)


@register.filter
def assurance_words(assurance) -> str:
    return charts.assurance_text(assurance)


@register.filter
def kpi_value(value, unit="") -> str:
    """A value with its unit: {{ m.value|kpi_value:kpi.unit }} -> "82.5%"."""
    return charts.format_value(value, unit)


def _render_tag(text: str, colour: str) -> SafeString:
    return render_to_string("components/tag.html", {"text": text, "colour": colour})


_memo_tag = lru_cache(maxsize=256)(_render_tag)


def tag_html(text: str, colour: str) -> SafeString:
    """components/tag.html for (text, colour). Its output depends on nothing else, so it is
    rendered once per process and reused on every row (an inclusion tag renders it afresh each
    time); with DEBUG every time, so that an edited template shows at once."""
    return _render_tag(text, colour) if settings.DEBUG else _memo_tag(text, colour)


@register.simple_tag
def kpi_rag_tag(status):
    """A KPI's RAG as an NHS.UK tag, or why it has none (no data, no target, no direction)."""
    if status.rag:
        tag = RAG.tag(status.rag)
        return tag_html(tag["text"], tag["colour"])
    # One term for a blank rating, as for objectives (RAG.EMPTY_TEXT), with the reason after it.
    if status.latest is None:
        reason = "no data"
    elif status.kpi.polarity == "neutral":
        reason = "neutral measure"
    else:
        reason = "no target"
    return tag_html(f"{RAG.EMPTY_TEXT} ({reason})", "grey")


@register.simple_tag
def spc_variations() -> list[str]:
    """Every variation icon's name, for a key to the icons."""
    return list(charts.VARIATION_WORDS)


@register.simple_tag
def spc_assurances() -> list[str]:
    return list(charts.ASSURANCE_WORDS)


@register.filter
def period_label(period_start, frequency) -> str:
    """{{ m.period_start|period_label:kpi.frequency }} -> "Q1 2006/07"."""
    return periods.label(period_start, frequency)


@register.simple_tag
def kpi_rows(statuses, *, scorecard=False, can_edit=False):
    """The rows of a KPI table (kpis.rows: drawn in Python, the same markup as the template
    loop they replace)."""
    from kpis import rows  # kpis.rows draws its tags with this module's functions

    return rows.kpi_rows(statuses, scorecard=bool(scorecard), can_edit=bool(can_edit))
