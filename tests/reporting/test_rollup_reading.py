"""An item recorded Completed without a RAG counts as complete (Blue) in the scorecard's roll-ups
and changes, and reads "Complete"; its stored RAG stays blank."""

from __future__ import annotations

import pytest
from django.urls import reverse

from planning.fy import Quarter
from planning.rag import RAG
from reporting.scorecard import scorecard_for
from tests.factories import ObjectiveFactory, ProgressUpdateFactory

Q1, Q2 = Quarter(2006, 1), Quarter(2006, 2)


def counts(rollup):
    return {c.rag: c.count for c in rollup.counts}


@pytest.mark.django_db
class TestCompletedWithoutRating:
    def test_counts_as_complete_not_as_not_rated(self, plan):
        done = ObjectiveFactory(plan=plan)
        ProgressUpdateFactory(
            objective=done, quarter=2, status="completed", rag="", percent_complete=100
        )
        ObjectiveFactory(plan=plan)  # never reported
        card = scorecard_for(plan, Q2)
        assert counts(card.objective_totals)[RAG.BLUE] == 1
        assert counts(card.objective_totals)[""] == 1
        status = next(s for s in card.objectives if s.objective.pk == done.pk)
        assert status.rag == "" and status.reading == RAG.BLUE

    def test_a_cancelled_item_without_rating_stays_not_rated(self, plan):
        item = ObjectiveFactory(plan=plan)
        ProgressUpdateFactory(objective=item, quarter=2, status="cancelled", rag="")
        assert counts(scorecard_for(plan, Q2).objective_totals)[""] == 1

    def test_change_reads_not_rated_to_complete(self, plan):
        item = ObjectiveFactory(plan=plan)
        ProgressUpdateFactory(objective=item, quarter=1, status="in_progress", rag="")
        ProgressUpdateFactory(
            objective=item, quarter=2, status="completed", rag="", percent_complete=100
        )
        (change,) = [c for c in scorecard_for(plan, Q2).changes if c.kind == "Objective"]
        assert (change.before_text, change.after_text) == ("Not rated", "Complete")
        assert change.after == "" and change.after_complete

    def test_page_shows_complete(self, client, viewer, plan):
        item = ObjectiveFactory(plan=plan)
        ProgressUpdateFactory(objective=item, quarter=1, status="in_progress", rag="")
        ProgressUpdateFactory(
            objective=item, quarter=2, status="completed", rag="", percent_complete=100
        )
        client.force_login(viewer)
        url = reverse("reporting:scorecard", args=[plan.slug]) + "?quarter=" + Q2.key
        assert '<strong class="nhsuk-tag nhsuk-tag--blue">Complete</strong>' in client.get(url).text
