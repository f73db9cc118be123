"""Template filters of the delivery hierarchy: amounts printed as the sources print them."""

from __future__ import annotations

from django import template

from delivery import ranges
from delivery.models import Measure
from planning.fy import fy_label

register = template.Library()


@register.filter
def amount(value: ranges.Range | None, measure) -> str:
    """'£3.4m–£5.4m', '35–60' or '—' for nothing."""
    if value is None:
        return "—"
    return ranges.format_range(value, is_money=Measure(measure).is_money)


@register.filter
def cell(row: ranges.Row, confidence: str):
    return row.cell(confidence)


@register.filter
def financial_year(value: int | None) -> str:
    return "Year not stated" if value is None else fy_label(value)


@register.filter
def confidence_label(value: str) -> str:
    from delivery.models import Confidence

    return Confidence(value).label


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
