"""Helpers for checking a demo delivery plan's words against its source document.

The sources are text conversions: markup (**bold**, *italic*, <sup>), page breaks that split a
sentence ("specialist legal\\n\\n- advice is being sought") and line ends. `flat()` undoes
those; `pieces()` cuts a stored text into the sentences or bullets that must each be found in
it, without the list markers we write ("- ", "1. ").
"""

from __future__ import annotations

import re

from delivery.models import Decision, DeliveryItem, DeliveryUpdate, Dependency, Lineage, YearFigure
from planning.models import Plan, PlanSection


def flat(text: str) -> str:
    text = re.sub(r"</?sup>", "", text).replace("*", "").replace("#", "")
    # A page break inside a sentence reads as a new bullet after a blank line.
    text = re.sub(r"\s*\n\s*\n-\s+(?=[a-z])", " ", text)
    return " ".join(text.split())


MARKER = re.compile(r"^(- |\d+\. )")


def pieces(text: str) -> list[str]:
    """The paragraphs and bullets of a stored text, without their list markers."""
    return [MARKER.sub("", line.strip()) for line in text.splitlines() if line.strip()]


def missing_from(source: str, text: str) -> list[str]:
    return [piece for piece in pieces(text) if piece not in source]


def stored_texts(plan: Plan) -> list[tuple[str, str]]:
    """(where, text) for every text the demo loader stores from the source for this plan."""
    texts: list[tuple[str, str]] = [("plan purpose", plan.core_purpose)]
    for section in PlanSection.objects.filter(plan=plan):
        texts.append((f"section {section.title}", section.body))
    for item in DeliveryItem.objects.filter(plan=plan):
        for field in ("description", "case_for_change", "scope", "outcomes", "timescale_text"):
            texts.append((f"{item.reference} {field}", getattr(item, field)))
        texts.append((f"{item.reference} SRO", item.sro_text))
    for update in DeliveryUpdate.objects.filter(item__plan=plan).select_related("item"):
        texts.append((f"{update.item.reference} progress", update.progress))
        texts.append((f"{update.item.reference} next steps", update.next_steps))
    for figure in YearFigure.objects.filter(item__plan=plan).select_related("item"):
        texts.append((f"{figure.item.reference} figure note", figure.note))
    for dependency in Dependency.objects.filter(item__plan=plan).select_related("item"):
        texts.append((f"{dependency.item.reference} dependency", dependency.external))
        texts.append((f"{dependency.item.reference} dependency note", dependency.note))
    for lineage in Lineage.objects.filter(item__plan=plan).select_related("item"):
        texts.append((f"{lineage.item.reference} lineage", lineage.reason))
    for decision in Decision.objects.filter(items__plan=plan).distinct():
        texts.append((f"decision {decision.date}", decision.decision))
        texts.append((f"recommendation {decision.date}", decision.recommendation))
    return [(where, text) for where, text in texts if text]
