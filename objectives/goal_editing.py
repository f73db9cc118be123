"""The plan's goals (headings that group actions) as a list a planner edits: planning.ordering
describes how; this only says which fields."""

from __future__ import annotations

from django import forms

from objectives.models import Goal
from planning import ordering

GOALS = ordering.ListSpec(
    key="goals",
    model=Goal,
    fields=("title", "section", "programme"),
    singular="goal",
    plural="Goals",
    labels={
        "title": "Goal",
        "section": "Section (optional)",
        "programme": "Programme or domain (optional)",
    },
    help_texts={"section": "A heading the goal sits under, for example “CCG Staff”."},
    widgets={"title": forms.Textarea(attrs={"rows": 3})},
    app_label="objectives",
)


def register_lists() -> None:
    ordering.register(GOALS)
