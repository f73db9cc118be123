"""A formatted narrative section reads the same in the plan PDF as on the page, and nothing a
planner smuggles into it (scripts, styles, event handlers, remote images) reaches the PDF's
HTML or its text."""

from __future__ import annotations

import pytest

from planning import ordering, services
from reporting.documents import assemble, exports
from reporting.documents.spec import DocumentSpec, Kind
from tests.planning.test_plan_editing import SMUGGLED, assert_safe
from tests.reporting.documents.conftest import all_text


@pytest.mark.django_db
class TestNarrativeInThePlanPdf:
    @pytest.fixture
    def section(self, plan, planner):
        return services.list_item_create(
            spec=ordering.spec_for("sections"),
            plan=plan,
            by=planner,
            data={"kind": "introduction", "title": "Our introduction", "body": SMUGGLED},
        )

    def test_the_pdf_html_holds_only_the_safe_markup(self, plan, section):
        html = assemble.html_for(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        body = html.split(">Our introduction</h2>", 1)[1].split("</section>", 1)[0]
        assert "<em>ambition</em>" in body
        assert "<li><strong>Second</strong></li>" in body
        assert_safe(body)

    def test_the_pdf_text_shows_the_words_and_none_of_the_code(self, plan, section):
        text = all_text(
            exports.get_or_render(DocumentSpec(Kind.PLAN, plan_id=plan.pk)).path.read_bytes()
        )
        assert "Our ambition" in text
        assert "Second" in text
        for banned in ("alert", "owned", "display:none", "steal"):
            assert banned not in text
