"""Issue 11, item 4: a board paper once published reads the same later. Changing a KPI's
target from a date leaves every earlier quarter's scorecard page and board pack as they were;
the quarter from that date on is rated against the new target."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from kpis import services
from planning.fy import Quarter
from reporting.documents import assemble, exports
from reporting.documents.spec import DocumentSpec, Kind
from reporting.scorecard import scorecard_for
from tests.factories import KPIFactory, MeasurementFactory
from tests.reporting.documents.conftest import all_text

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2007, 1, 15, 12)  # Q4 2006/07: Q1 to Q3 have been reported
QUARTERS = [Quarter(2006, n) for n in (1, 2, 3, 4)]
EARLIER, NEW = QUARTERS[:3], QUARTERS[3]


@pytest.fixture
def kpi(plan):
    """Higher is better, 90% ± 5: Q1 92 Green, Q2 88 Amber, Q3 80 Red, Q4 86 Amber."""
    kpi = KPIFactory(
        plan=plan, code="L2", name="PDRs completed", unit="%", target=D("90"), tolerance=D("5")
    )
    for quarter, value in zip(QUARTERS, (92, 88, 80, 86), strict=True):
        MeasurementFactory(kpi=kpi, period_start=quarter.start, value=D(value))
    return kpi


def page_main(client, plan, quarter) -> str:
    url = reverse("reporting:scorecard", args=[plan.slug])
    response = client.get(url, {"quarter": quarter.key})
    assert response.status_code == 200
    text = response.text
    main = text[text.index("<main") : text.index("</main>")]
    return re.sub(r'(nonce|value)="[A-Za-z0-9+/=_-]{20,}"', "", main)


def board_pack_html(plan, quarter) -> str:
    return assemble.html_for(DocumentSpec(Kind.SCORECARD, plan_id=plan.pk, quarter=quarter.key))


def kpi_reading(plan, quarter):
    status = scorecard_for(plan, quarter).kpis[0]
    return status.rag, status.target_text, status.previous_rag


def change_target(kpi, planner):
    services.kpi_target_change(
        kpi=kpi,
        by=planner,
        expected_version=kpi.version,
        effective_from=NEW.start,
        target=D("85"),
        tolerance=None,
    )


class TestATargetChangeKeepsThePast:
    def test_scorecard_and_board_pack_of_earlier_quarters_unchanged(
        self, client, viewer, planner, plan, kpi
    ):
        client.force_login(viewer)
        with time_machine.travel(NOW, tick=False):
            before = {q: (page_main(client, plan, q), board_pack_html(plan, q)) for q in QUARTERS}
            readings = {q: kpi_reading(plan, q) for q in QUARTERS}
            change_target(kpi, planner)
            after = {q: (page_main(client, plan, q), board_pack_html(plan, q)) for q in QUARTERS}
            new_readings = {q: kpi_reading(plan, q) for q in QUARTERS}

        assert [readings[q][0] for q in QUARTERS] == ["green", "amber", "red", "amber"]
        for quarter in EARLIER:
            assert after[quarter][0] == before[quarter][0], f"{quarter} page changed"
            assert after[quarter][1] == before[quarter][1], f"{quarter} board pack changed"
            assert new_readings[quarter] == readings[quarter]
        # The new quarter follows the new target: 86% against 85% is Green.
        assert new_readings[NEW] == ("green", "85%", "red")
        assert after[NEW][1] != before[NEW][1]
        assert "85%" in after[NEW][1]

    def test_the_published_pdf_reads_the_same(self, planner, plan, kpi):
        spec = DocumentSpec(Kind.SCORECARD, plan_id=plan.pk, quarter=EARLIER[-1].key)
        with time_machine.travel(NOW, tick=False):
            before = all_text(exports.get_or_render(spec).path.read_bytes())
            change_target(kpi, planner)
            # A new fingerprint (the targets changed), so a fresh render: the same text.
            after = all_text(exports.get_or_render(spec).path.read_bytes())
        assert "Red" in before and "90%" in before
        assert after == before

    def test_a_reported_quarter_cannot_be_recoloured(self, planner, plan, kpi):
        from django.core.exceptions import ValidationError

        with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError):
            services.kpi_target_change(
                kpi=kpi,
                by=planner,
                expected_version=kpi.version,
                effective_from=EARLIER[-1].start,
                target=D("70"),
                tolerance=None,
            )
        assert kpi_reading(plan, EARLIER[-1])[0] == "red"
