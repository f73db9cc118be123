"""planning.rag.RAG and planning.choices.TaggedChoices: the one RAG vocabulary and its behaviour."""

from __future__ import annotations

import pytest

from objectives.models import ProgressStatus
from planning.models import PlanStatus
from planning.rag import RAG


class TestRAG:
    def test_stored_values_and_labels(self):
        assert RAG.choices == [
            ("red", "Red"),
            ("amber", "Amber"),
            ("green", "Green"),
            ("blue", "Blue (complete)"),
        ]

    def test_not_rated_is_not_a_choice(self):
        assert "" not in RAG.values
        assert RAG.choices_with_not_rated()[-1] == ("", "Not rated")

    @pytest.mark.parametrize(
        ("member", "colour"),
        [(RAG.RED, "red"), (RAG.AMBER, "orange"), (RAG.GREEN, "green"), (RAG.BLUE, "blue")],
    )
    def test_colour_is_an_nhsuk_tag_modifier(self, member, colour):
        assert member.colour == colour

    def test_order_is_worst_first(self):
        assert sorted(RAG, key=lambda r: r.order, reverse=True) == [
            RAG.BLUE,
            RAG.GREEN,
            RAG.AMBER,
            RAG.RED,
        ]

    def test_only_blue_is_complete(self):
        assert [r for r in RAG if r.is_complete] == [RAG.BLUE]

    def test_red_and_amber_are_exceptions(self):
        assert [r for r in RAG if r.is_exception] == [RAG.RED, RAG.AMBER]

    @pytest.mark.parametrize(
        ("value", "words"),
        [("red", "Red"), ("blue", "Blue (complete)"), ("", "Not rated"), (None, "Not rated")],
    )
    def test_words(self, value, words):
        assert RAG.words(value) == words

    def test_an_unknown_value_shows_itself(self):
        assert RAG.words("purple") == "purple"
        assert RAG.tag("purple") == {"text": "purple", "colour": "grey"}

    def test_tag(self):
        assert RAG.tag("amber") == {"text": "Amber", "colour": "orange"}
        assert RAG.tag("") == {"text": "Not rated", "colour": "grey"}


class TestStatusTags:
    def test_plan_status(self):
        assert PlanStatus.tag("ratified") == {"text": "Ratified", "colour": "green"}
        assert PlanStatus.tag("") == {"text": "Not set", "colour": "grey"}

    def test_progress_status(self):
        assert ProgressStatus.tag("on_hold") == {"text": "On hold", "colour": "yellow"}
        assert {s.colour for s in ProgressStatus} <= {
            "grey",
            "blue",
            "green",
            "aqua-green",
            "yellow",
            "red",
        }
