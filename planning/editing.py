"""The plan's own lists a planner edits (planning.ordering describes how)."""

from __future__ import annotations

from django import forms

from planning import narrative, ordering
from planning.models import (
    OrgUnit,
    PlanSection,
    Programme,
    StrategicObjective,
    StrategicPriority,
    Value,
    VisionBullet,
)

TEXT = {"text": forms.Textarea(attrs={"rows": 3})}


def _sanitised_body(data: dict) -> dict:
    if "body" in data:
        data["body"] = (
            narrative.sanitise(data["body"])
            if narrative.has_markup(data["body"])
            else (data["body"])
        )
    return data


SECTIONS = ordering.ListSpec(
    key="sections",
    model=PlanSection,
    fields=("kind", "title", "body"),
    singular="section",
    plural="Narrative sections",
    labels={"kind": "What kind of section is it?", "title": "Heading", "body": "Text"},
    help_texts={
        # Words only: a form's help text is shown as HTML, so no tag names written as tags here.
        "body": "Leave a blank line between paragraphs. You may format it in HTML: paragraphs, "
        "bulleted and numbered lists, emphasis, bold and links (https or mailto). Anything "
        "else (images, styles, scripts) is removed when you save."
    },
    widgets={"body": forms.Textarea(attrs={"rows": 12})},
    clean=_sanitised_body,
    rich_text_field="body",
)

SPECS = [
    SECTIONS,
    ordering.ListSpec(
        key="vision",
        model=VisionBullet,
        fields=("text",),
        singular="vision bullet",
        plural="Vision",
        labels={"text": "Vision bullet"},
        widgets=TEXT,
    ),
    ordering.ListSpec(
        key="values",
        model=Value,
        fields=("text",),
        singular="value",
        plural="Values",
        labels={"text": "Value"},
        widgets=TEXT,
    ),
    ordering.ListSpec(
        key="priorities",
        model=StrategicPriority,
        fields=("title",),
        singular="strategic priority",
        plural="Strategic priorities",
        order_field="number",
        labels={"title": "Strategic priority"},
        widgets={"title": forms.Textarea(attrs={"rows": 3})},
    ),
    ordering.ListSpec(
        key="objectives",
        model=StrategicObjective,
        fields=("text",),
        singular="short/medium-term objective",
        plural="Short and medium-term objectives",
        order_field="number",
        labels={"text": "Objective"},
        widgets=TEXT,
    ),
    ordering.ListSpec(
        key="programmes",
        model=Programme,
        fields=("title", "aim", "lead_text", "lead_role"),
        singular="programme or domain",
        plural="Programmes and domains",
        order_field="number",
        labels={
            "title": "Title",
            "aim": "Aim",
            "lead_text": "Lead (as written)",
            "lead_role": "Lead's role",
        },
        widgets={"aim": forms.Textarea(attrs={"rows": 4})},
    ),
    ordering.ListSpec(
        key="departments",
        model=OrgUnit,
        fields=("name", "kind"),
        singular="department",
        plural="Departments",
        organisation_level=True,
        labels={"name": "Name", "kind": "What is it?"},
    ),
]


def register_lists() -> None:
    for spec in SPECS:
        ordering.register(spec)
