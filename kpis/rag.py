"""Red, Amber or Green for a KPI's value against its target (planning.rag.RAG). Plain Python.

* Higher is better: Green at or above the target; Amber below it by no more than the tolerance;
  Red further below.
* Lower is better: Green at or below the target; Amber above it by no more than the tolerance;
  Red further above.
* Neither (neutral), no target or no value: no rating (None). A missing tolerance counts as
  zero, so there is no Amber band: on target is Green, anything short of it Red.

The boundaries belong to the better rating: exactly on the target is Green, exactly at target
minus tolerance (higher is better) is Amber. Values are compared as Decimals, so 89.99 against
90 is never rounded to on-target.
"""

from __future__ import annotations

from decimal import Decimal

from planning.rag import RAG

HIGHER, LOWER, NEUTRAL = "higher", "lower", "neutral"


def rate(
    value: Decimal | int | None,
    *,
    target: Decimal | int | None,
    tolerance: Decimal | int | None = None,
    polarity: str,
) -> RAG | None:
    """RAG.RED, RAG.AMBER, RAG.GREEN or None (see the module docstring)."""
    if polarity not in (HIGHER, LOWER, NEUTRAL):
        raise ValueError(f"polarity must be higher, lower or neutral, not {polarity!r}")
    if value is None or target is None or polarity == NEUTRAL:
        return None
    value, target = Decimal(value), Decimal(target)
    tolerance = Decimal(tolerance or 0)
    if tolerance < 0:
        raise ValueError("tolerance must not be negative")
    shortfall = target - value if polarity == HIGHER else value - target
    if shortfall <= 0:
        return RAG.GREEN
    if shortfall <= tolerance:
        return RAG.AMBER
    return RAG.RED
