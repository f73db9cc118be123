"""The plan page shows the plan's narrative sections, in their order, through the one sanitiser
(planning.narrative.to_html) the PDF uses: what a planner smuggles in (scripts, styles, event
handlers, remote images) reaches neither, even in a row written without the editing service.
The page's queries do not grow with the number of sections."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planning.models import PlanSection
from reporting.documents import assemble
from reporting.documents.spec import DocumentSpec, Kind
from tests.factories import PlanFactory
from tests.planning.test_plan_editing import SMUGGLED, assert_safe, section


def _block(body: str, record: PlanSection) -> str:
    """The section's own markup on the page: its details element."""
    return body.split(f'id="section-{record.pk}"', 1)[1].split("</details>", 1)[0]


@pytest.mark.django_db
class TestNarrativeOnThePlanPage:
    def test_sections_are_shown_in_order_with_their_formatting(self, client, plan, planner, viewer):
        second = section(plan, planner, title="Background", body="Plain & simple\n\nTwo")
        first = section(plan, planner, title="Introduction")
        PlanSection.objects.filter(pk=first.pk).update(order=0)
        client.force_login(viewer)  # a board member reads them too
        body = client.get(plan.get_absolute_url()).content.decode()
        assert body.index(">Introduction<") < body.index(">Background<")
        intro = _block(body, first)
        assert "<em>ambition</em>" in intro
        assert "<ul><li>First</li><li><strong>Second</strong></li></ul>" in intro
        assert '<a href="https://www.nhs.uk/" rel="noopener noreferrer">NHS</a>' in intro
        assert_safe(intro)
        assert "<p>Plain &amp; simple</p><p>Two</p>" in _block(body, second)

    def test_a_row_written_without_the_service_is_sanitised_on_the_page_and_in_the_pdf(
        self, client, plan, viewer
    ):
        raw = PlanSection.objects.create(plan=plan, kind="other", title="Raw", body=SMUGGLED)
        client.force_login(viewer)
        block = _block(client.get(plan.get_absolute_url()).content.decode(), raw)
        assert "<em>ambition</em>" in block
        assert_safe(block)
        pdf_html = assemble.html_for(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        in_pdf = pdf_html.split(">Raw</h2>", 1)[1].split("</section>", 1)[0]
        assert "<em>ambition</em>" in in_pdf
        assert_safe(in_pdf)

    def test_a_blank_section_is_left_out(self, client, plan, viewer):
        PlanSection.objects.create(plan=plan, kind="other", title="Empty heading", body="  ")
        client.force_login(viewer)
        assert "Empty heading" not in client.get(plan.get_absolute_url()).content.decode()

    def test_queries_do_not_grow_with_sections(self, client, organisation, viewer):
        def count(plan):
            # As the first reader after a change: planning.page_cache keeps the plan's content.
            for cache in caches.all():
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(plan.get_absolute_url()).status_code == 200
            return len(queries)

        client.force_login(viewer)
        one, many = PlanFactory(organisation=organisation), PlanFactory(organisation=organisation)
        PlanSection.objects.create(plan=one, kind="other", title="Only", body="<p>x</p>")
        for n in range(10):
            PlanSection.objects.create(
                plan=many, kind="other", title=f"Part {n}", body=f"<p>{n}</p>", order=n
            )
        count(one)  # the session's first request
        assert count(many) == count(one)
