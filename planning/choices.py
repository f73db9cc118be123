"""Behaviour shared by the choices that pages show as NHS.UK tags (RAG, plan and progress status).

A choices class says how its own members look, so every page shows a given value the same way:
a member's ``colour`` is one of NHS.UK frontend 10's tag modifiers (grey, green, aqua-green,
blue, purple, pink, red, orange, yellow, white).
"""

from __future__ import annotations


class TaggedChoices:
    """Mixin for a TextChoices whose members have a ``colour`` property."""

    # What a tag says for a blank value.
    EMPTY_TEXT = "Not set"

    @classmethod
    def tag(cls, value, *, empty_text: str | None = None) -> dict[str, str]:
        """The words and colour of the tag for a stored value (components/tag.html's context).

        A blank value shows ``empty_text``; a value the class does not know shows itself in grey,
        so old or imported data is still visible rather than an error.
        """
        if not value:
            return {"text": cls.EMPTY_TEXT if empty_text is None else empty_text, "colour": "grey"}
        try:
            member = cls(value)
        except ValueError:
            return {"text": str(value), "colour": "grey"}
        return {"text": member.label, "colour": member.colour}
