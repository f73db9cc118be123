"""Money as Waymark prints it, defined once: pounds with thousands separators, pence only when
there are any, a real minus sign (read aloud as "minus", unlike a hyphen); and, where the
sources print millions (the delivery plans' £3.4m), millions when nothing is lost by it.

Plain Python, no Django: budgets, delivery and the PDFs all print through it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
PENNY = Decimal("0.01")
MILLION = Decimal(1_000_000)


def format_money(amount: Decimal | None, *, signed: bool = True, millions: bool = False) -> str:
    """£1,234,567; £1,234.50 (pence only when there are any); −£300 for a negative; "—" for
    none. ``signed=False`` drops the sign, for figures whose direction is said in words.
    ``millions``: £3.4m for a whole number of ten-thousands of pounds of a million or more, as
    the delivery plans' sources print them, else the full figure."""
    if amount is None:
        return "—"
    if not isinstance(amount, Decimal):
        raise TypeError(f"Money must be a Decimal, not {type(amount).__name__}.")
    pounds = abs(amount).quantize(PENNY, rounding=ROUND_HALF_UP)
    if millions and pounds >= MILLION and pounds % 10_000 == 0:
        text = f"£{(pounds / MILLION).quantize(PENNY).normalize():f}m"
    elif pounds == pounds.to_integral_value():
        text = f"£{pounds:,.0f}"
    else:
        text = f"£{pounds:,.2f}"
    if signed and amount < 0 and pounds:
        return MINUS + text
    return text
