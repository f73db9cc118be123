"""The SWOT and PESTEL lists a planner edits (planning.ordering describes how)."""

from __future__ import annotations

from django import forms

from planning import ordering
from swot.models import PestelDriver, SwotItem

SWOT = ordering.ListSpec(
    key="swot",
    model=SwotItem,
    fields=("quadrant", "text"),
    singular="SWOT item",
    plural="SWOT analysis",
    group_field="quadrant",
    labels={"quadrant": "Which quadrant?", "text": "Text"},
    widgets={"text": forms.Textarea(attrs={"rows": 3})},
    app_label="swot",
)
PESTEL = ordering.ListSpec(
    key="pestel",
    model=PestelDriver,
    fields=("category", "text"),
    singular="PESTEL driver",
    plural="PESTEL drivers",
    group_field="category",
    labels={"category": "Which category?", "text": "Text"},
    widgets={"text": forms.Textarea(attrs={"rows": 3})},
    app_label="swot",
)


def register_lists() -> None:
    ordering.register(SWOT)
    ordering.register(PESTEL)
