"""The BAF in the board pack PDF and the risk appendix in the plan PDF: the page's content, as
words (scores with their band, trend, RAG), the heat map's SVG with a title and its table; and
the cached PDF is remade when the register changes."""

from __future__ import annotations

import pytest

from assurance import services
from reporting.documents import assemble, exports
from reporting.documents.fingerprint import fingerprint
from reporting.documents.spec import DocumentSpec, Kind
from tests.factories import (
    ObjectiveFactory,
    RiskFactory,
    RiskReviewFactory,
    StrategicPriorityFactory,
)
from tests.reporting.documents.conftest import (
    all_text,
    media_root,  # noqa: F401 - autouse: PDFs in tmp
)


@pytest.fixture
def register(plan):
    # Numbered explicitly: the factory's sequence depends on which tests ran before this one.
    priority = StrategicPriorityFactory(plan=plan, number=1, title="Balance the books")
    risk = RiskFactory(
        organisation=plan.organisation,
        plan=plan,
        title="Savings slip",
        is_principal=True,
        gaps_in_assurance="No internal audit",
    )
    risk.priorities.add(priority)
    risk.mitigating_actions.add(ObjectiveFactory(plan=plan, reference="7.1", rag="amber"))
    RiskReviewFactory(risk=risk, likelihood=4, consequence=4)
    RiskReviewFactory(risk=risk, likelihood=3, consequence=4, reviewed_on="2026-02-01")
    return risk


@pytest.mark.django_db
class TestDocuments:
    def test_board_pack_has_the_baf_section(self, plan, register):
        html = assemble.html_for(DocumentSpec(Kind.SCORECARD, plan_id=plan.pk, quarter="2006-Q1"))
        section = html.split('<section id="baf"', 1)[1].split("</section>", 1)[0]
        assert "Board Assurance Framework" in section
        assert "SP1: Balance the books" in section
        assert "12 (high)" in section and "6 (moderate)" in section  # current, target
        assert "Improving (score down)" in section
        assert "No internal audit" in section
        assert "7.1" in section and "Amber" in section
        assert '<title id="pdf-baf-map-title">' in section  # the heat map's alternative text
        assert "<td>3</td><td>4</td><td>12 High</td>" in section  # and its table

    def test_no_baf_section_without_principal_risks(self, plan):
        html = assemble.html_for(DocumentSpec(Kind.SCORECARD, plan_id=plan.pk, quarter="2006-Q1"))
        assert 'id="baf"' not in html

    def test_plan_pdf_has_a_risk_appendix_when_it_has_risks(self, plan, register):
        html = assemble.html_for(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        assert ": Risk register</h2>" in html and "Savings slip" in html

    def test_plan_pdf_without_risks_has_no_risk_appendix(self, plan):
        html = assemble.html_for(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        assert "Risk register" not in html

    def test_a_review_changes_the_fingerprint(self, plan, register, planner):
        spec = DocumentSpec(Kind.SCORECARD, plan_id=plan.pk, quarter="2006-Q1")
        before = fingerprint(spec)
        services.risk_review(
            risk=register,
            by=planner,
            expected_version=register.version,
            reviewed_on=register.reviews.first().reviewed_on,
            likelihood=2,
            consequence=2,
            note="",
        )
        assert fingerprint(spec) != before

    def test_the_pdf_text_reads_the_baf(self, plan, register):
        spec = DocumentSpec(Kind.SCORECARD, plan_id=plan.pk, quarter="2006-Q1")
        text = all_text(exports.get_or_render(spec).path.read_bytes())
        assert "Board Assurance Framework" in text and "Savings slip" in text
