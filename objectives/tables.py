from __future__ import annotations

import django_tables2 as tables

from objectives.models import Objective


class ObjectiveTable(tables.Table):
    # Names the table's scrolling region (components/table.html); the page's heading says it.
    region_label = "Objectives and actions"

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
    # Cells with markup are drawn by templates, so no HTML is built here. Like plain columns
    # (and unlike TemplateColumn's default) they show "—" for a blank value.
    due_date = tables.TemplateColumn(
        template_name="objectives/_due_cell.html",
        verbose_name="Due",
        order_by=("due_date",),
        empty_values=(None, ""),
    )
    status = tables.Column(verbose_name="Status")
    rag = tables.TemplateColumn(
        template_code="{% load waymark %}{% rag_tag record.rag complete=record.is_complete %}",
        verbose_name="RAG",
        order_by=("rag",),
        empty_values=(None, ""),
    )

    class Meta:
        model = Objective
        fields = ["reference", "text", "grouping", "lead_text", "due_date", "status", "rag"]
        order_by = ("reference",)
        attrs = {"class": "nhsuk-table app-table--objectives"}
        # components/table.html with the rows drawn in Python (objectives.rows).
        template_name = "objectives/_objective_table.html"

    def render_reference(self, record):
        return record.reference or "—"

    def render_lead_text(self, record):
        parts = [record.lead_text]
        if record.sro_text:
            parts.append(f"SRO: {record.sro_text}")
        return " · ".join(p for p in parts if p) or "—"

    def render_status(self, record):
        return record.get_status_display()
