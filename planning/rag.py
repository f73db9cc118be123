"""The RAG vocabulary: Red, Amber, Green and Blue (complete), for every app.

Objectives and savings schemes are rated by a person (any of the four, or not rated); a KPI is
rated against its target (kpis.rag) and a budget line against its variance (budgets.monitoring),
both Red, Amber or Green. They share one set of stored values, words and tag colours, so a rating
looks and reads the same on every page, export and PDF.
"""

from __future__ import annotations

import enum

from django.db import models

from planning.choices import TaggedChoices


class RAG(TaggedChoices, models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue (complete)"

    # The words for a blank rating (nonmember: not a choice of its own).
    EMPTY_TEXT = enum.nonmember("Not rated")
    # The words for an item recorded Completed without a rating: it counts as complete (Blue)
    # in roll-ups, but its stored RAG stays blank, so it is not called "Blue".
    COMPLETE_TEXT = enum.nonmember("Complete")

    @property
    def colour(self) -> str:
        """The NHS.UK tag modifier. Amber has no tag of its own: orange is the nearest."""
        return _COLOURS[self]

    @property
    def order(self) -> int:
        """Worst first: Red, Amber, Green, then Blue (complete)."""
        return _ORDER[self]

    @property
    def is_complete(self) -> bool:
        """Blue means the item is done (and 100% complete)."""
        return self is RAG.BLUE

    @property
    def is_exception(self) -> bool:
        """Red or Amber: needs a narrative, and is on the scorecard's exception report."""
        return self in (RAG.RED, RAG.AMBER)

    @classmethod
    def reading(cls, value, *, complete: bool = False) -> str:
        """The rating a roll-up counts: the stored one, or Blue for an item whose status says
        it is complete but which was recorded without a rating."""
        return value or (cls.BLUE.value if complete else "")

    @classmethod
    def tag(cls, value, *, complete: bool = False, empty_text: str | None = None):
        if not value and complete:
            return {"text": cls.COMPLETE_TEXT, "colour": _COLOURS[cls.BLUE]}
        return super().tag(value, empty_text=empty_text)

    @classmethod
    def words(cls, value, *, complete: bool = False) -> str:
        """The words for a stored value: its label; "Complete" when blank for a completed
        item, "Not rated" when blank otherwise; else the value itself."""
        if not value:
            return cls.COMPLETE_TEXT if complete else cls.EMPTY_TEXT
        try:
            return cls(value).label
        except ValueError:
            return str(value)

    @classmethod
    def choices_with_not_rated(cls) -> list[tuple[str, str]]:
        """The choices, then "" for not rated: the columns of a count by rating."""
        return [*cls.choices, ("", cls.EMPTY_TEXT)]


_COLOURS = {RAG.RED: "red", RAG.AMBER: "orange", RAG.GREEN: "green", RAG.BLUE: "blue"}
_ORDER = {member: position for position, member in enumerate(RAG)}
