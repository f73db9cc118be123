"""One vocabulary on every page and PDF (docs/glossary.md): Quarterly scorecard, "Not rated" for
any blank rating, one written form per period frequency, quarter lists newest first."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.periods import label
from planning.fy import Quarter
from tests.factories import KPIFactory, MeasurementFactory, ObjectiveFactory


def options(html: str, select_name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]+)"', select.group(1))


class TestPeriods:
    def test_a_quarter_is_written_one_way(self):
        assert str(Quarter(2007, 4)) == "Q4 2007/08"
        assert label(dt.date(2008, 1, 1), "quarterly") == "Q4 2007/08"
        assert label(dt.date(2008, 1, 1), "monthly") == "Jan 2008"
        assert label(dt.date(2007, 4, 1), "annual") == "2007/08"


@pytest.mark.django_db
class TestPages:
    def test_scorecard_is_the_quarterly_scorecard(self, client, viewer, plan):
        kpi = KPIFactory(plan=plan)
        client.force_login(viewer)
        for url in (
            reverse("reporting:scorecard", args=[plan.slug]),
            reverse("kpis:list", args=[plan.slug]),
            reverse("kpis:detail", args=[kpi.pk]),
            plan.get_absolute_url(),
        ):
            text = client.get(url).text
            assert "Quarterly scorecard" in text or "quarterly scorecard" in text, url
            assert "alanced scorecard" not in text, url

    def test_quarter_lists_are_newest_first_on_every_page(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        scorecard = options(
            client.get(reverse("reporting:scorecard", args=[plan.slug])).text, "quarter"
        )
        exports = options(
            client.get(reverse("documents:plan_exports", args=[plan.slug])).text, "quarter"
        )
        update = options(
            client.get(reverse("objectives:update", args=[objective.pk])).text, "period"
        )
        for keys in (scorecard, exports, update):
            quarters = [Quarter.parse(k) for k in keys]
            assert quarters == sorted(quarters, reverse=True)
            assert len(quarters) > 1

    def test_a_kpi_without_a_rating_reads_not_rated_with_its_reason(self, client, viewer, plan):
        KPIFactory(plan=plan, code="F1", perspective="F", polarity="higher", target=None)
        untargeted = KPIFactory(plan=plan, code="F2", perspective="F", polarity="higher")
        MeasurementFactory(kpi=untargeted, period_start=dt.date(2006, 4, 1))
        neutral = KPIFactory(plan=plan, code="F3", perspective="F", polarity="neutral")
        MeasurementFactory(kpi=neutral, period_start=dt.date(2006, 4, 1))
        client.force_login(viewer)
        url = reverse("reporting:scorecard", args=[plan.slug]) + "?quarter=2006-Q1"
        text = client.get(url).text
        assert "Not rated (no data)" in text
        assert "Not rated (no target)" in text
        assert "Not rated (neutral measure)" in text
        assert "No RAG" not in text

    def test_the_item_page_writes_a_kpis_period_in_its_frequency(self, client, viewer, plan):
        kpi = KPIFactory(plan=plan, frequency="quarterly", target=Decimal("5"))
        MeasurementFactory(kpi=kpi, period_start=dt.date(2008, 1, 1))
        objective = ObjectiveFactory(plan=plan)
        objective.kpis.add(kpi)
        client.force_login(viewer)
        text = client.get(objective.get_absolute_url()).text
        assert "(Q4 2007/08)" in text
        assert "Jan 2008" not in text
