from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html

from objectives.models import Objective
from planning.rag import RAG


def rag_tag(objective: Objective) -> str:
    """The item's RAG as the same tag every page shows (components/tag.html)."""
    return render_to_string("components/tag.html", RAG.tag(objective.rag)).strip()


class ObjectiveTable(tables.Table):
    reference = tables.Column(
        verbose_name="Ref", linkify=True, order_by=("plan", "order"), empty_values=()
    )
    text = tables.Column(verbose_name="Objective or action", linkify=True)
    grouping = tables.Column(
        verbose_name="Department / goal",
        accessor="grouping",
        order_by=("org_unit__name", "goal__order", "programme__number"),
    )
    lead_text = tables.Column(verbose_name="Lead", order_by=("lead_text", "sro_text"))
    due_date = tables.Column(verbose_name="Due", order_by=("due_date",))
    status = tables.Column(verbose_name="Status")
    rag = tables.Column(verbose_name="RAG", order_by=("rag",))

    class Meta:
        model = Objective
        fields = ["reference", "text", "grouping", "lead_text", "due_date", "status", "rag"]
        order_by = ("reference",)
        attrs = {"class": "nhsuk-table app-table--objectives"}

    def render_reference(self, record):
        return record.reference or "—"

    def render_lead_text(self, record):
        parts = [record.lead_text]
        if record.sro_text:
            parts.append(f"SRO: {record.sro_text}")
        return " · ".join(p for p in parts if p) or "—"

    def render_due_date(self, record):
        if record.due_text and record.due_date:
            return format_html(
                '{}<br><span class="nhsuk-body-s">{}</span>',
                record.due_date.strftime("%-d %b %Y"),
                record.due_text,
            )
        return record.due_date.strftime("%-d %b %Y") if record.due_date else record.due_text

    def render_status(self, record):
        return record.get_status_display()

    def render_rag(self, record):
        return rag_tag(record)
