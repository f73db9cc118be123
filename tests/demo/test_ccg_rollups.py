"""The CCG demo plan as the board reads it: its actions were recorded Completed with the source's
empty RAG column, and they count as complete in the scorecard's roll-ups, not "Not rated"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demo import ccg
from objectives.models import Objective, ProgressStatus
from planning.rag import RAG
from reporting.scorecard import default_quarter, scorecard_for
from tests.factories import MembershipFactory

COMPLETE_TAG = '<strong class="nhsuk-tag nhsuk-tag--blue">Complete</strong>'


@pytest.fixture
def plan(db):
    plan, _ = ccg.load()
    return plan


def counts(rollup) -> dict[str, int]:
    return {c.rag: c.count for c in rollup.counts}


@pytest.mark.django_db
class TestCCGRollups:
    def test_completed_actions_count_as_complete(self, plan):
        objectives = Objective.objects.filter(plan=plan)
        complete = objectives.filter(status__in=ProgressStatus.complete_values(), rag="")
        assert complete.exists()  # the premise: the source's RAG column is empty
        card = scorecard_for(plan, default_quarter(plan))
        totals = counts(card.objective_totals)
        assert totals[RAG.BLUE] == complete.count()
        assert totals[""] == objectives.count() - complete.count()
        for row in card.by_department:
            in_row = [s for s in card.objectives if s.group_label == row.label]
            assert counts(row)[RAG.BLUE] == sum(1 for s in in_row if s.complete)

    def test_their_rag_stays_blank_as_recorded(self, plan):
        card = scorecard_for(plan, default_quarter(plan))
        completed = [s for s in card.objectives if s.complete]
        assert completed and all(s.rag == "" for s in completed)
        assert not Objective.objects.filter(plan=plan, rag=RAG.BLUE).exists()

    def test_board_reads_complete_on_the_plan_page_and_scorecard(self, client, plan):
        client.force_login(MembershipFactory(organisation=plan.organisation, role="viewer").user)
        page = client.get(reverse("reporting:plan_detail", args=[plan.slug]))
        assert COMPLETE_TAG in page.text
        card = client.get(reverse("reporting:scorecard", args=[plan.slug])).context["card"]
        not_rated = next(c for c in card.objective_totals.counts if c.rag == "")
        complete = next(c for c in card.objective_totals.counts if c.rag == RAG.BLUE)
        assert complete.count == sum(1 for s in card.objectives if s.complete) > 0
        assert not_rated.count < len(card.objectives)
