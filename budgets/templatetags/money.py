"""Money and variance as budget pages print them: {% load money %}.

{{ amount|money }}           £1,234,567 (−£1 for a negative; pence only when there are any)
{{ amount|money_unsigned }}  £1 whatever the sign, for figures whose direction is in words
{{ percent|percent }}        2.5% ; "—" when there is no percentage (a £0 budget)
{{ number|plain_decimal }}   2.5 for Decimal("2.50"), 5 for Decimal("5.0"): no trailing zeros
{% variance_words value %}   "£1,200 adverse", "£300 favourable" or "£0"
{{ decimal|figure }}         2.5 for Decimal("2.50"), 5 for Decimal("5.00"): no trailing zeros
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from planning.money import MINUS, format_money

register = template.Library()


@register.filter
def money(value):
    return format_money(value)


@register.filter
def money_unsigned(value):
    return format_money(value, signed=False)


@register.filter
def percent(value):
    if value is None:
        return "—"
    if not isinstance(value, Decimal):
        raise TypeError("Percentages are Decimals.")
    text = f"{abs(value):,}%"
    return (MINUS + text) if value < 0 else text


@register.filter
def plain_decimal(value: Decimal) -> str:
    return f"{value.normalize():f}"


@register.filter
def fte(value):
    """−2.50 FTE with a real minus sign; 0 for none."""
    if value is None:
        return "—"
    text = f"{abs(value).normalize():f}"
    return (MINUS + text) if value < 0 else text


@register.simple_tag
def variance_words(value):
    """A variance, positive favourable, in words that do not rely on sign or colour."""
    if value is None:
        return "—"
    if value > 0:
        return f"{format_money(value, signed=False)} favourable"
    if value < 0:
        return f"{format_money(value, signed=False)} adverse"
    return format_money(value)


@register.simple_tag
def percent_words(value):
    if value is None:
        return "—"
    if value > 0:
        return f"{abs(value)}% favourable"
    if value < 0:
        return f"{abs(value)}% adverse"
    return "0%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
