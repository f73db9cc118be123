"""Each document from small, hand-made records: the action plan, the board pack, the CCG plan's
document control, DRAFT marks, escaping, and the selectors behind them."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from planning.models import PlanSection, PlanStatus, SectionKind
from reporting.documents import exports, selectors
from reporting.documents.spec import DocumentSpec, Kind, normalise_query
from tests.factories import (
    GoalFactory,
    KPIFactory,
    MeasurementFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    PlanFactory,
    ProgrammeFactory,
    ProgressUpdateFactory,
    RoleFactory,
    StrategicObjectiveFactory,
    StrategicPriorityFactory,
)
from tests.reporting.documents.conftest import all_text, page_texts, reader, squash, struct_elements

pytestmark = pytest.mark.django_db


def pdf_of(spec: DocumentSpec):
    export = exports.get_or_render(spec)
    return export, export.path.read_bytes()


def actions_spec(user, plan, **filters) -> DocumentSpec:
    query = QueryDict(mutable=True)
    query.update({"plan": str(plan.pk), **filters})
    return DocumentSpec(
        Kind.ACTIONS,
        plan_id=plan.pk,
        query=normalise_query(query),
        org_ids=(plan.organisation_id,),
        user_id=user.pk,
    )


class TestActionPlan:
    def test_the_table_as_filtered_grouped_landscape_with_rag_words_and_new(self, viewer, plan):
        estates = OrgUnitFactory(organisation=plan.organisation, name="Estates", order=1)
        finance = OrgUnitFactory(organisation=plan.organisation, name="Finance", order=2)
        lead = RoleFactory(organisation=plan.organisation, title="Head of Estates")
        red = ObjectiveFactory(
            plan=plan,
            org_unit=estates,
            reference="EST-1",
            text="Relocate the headquarters",
            sro_text="COO",
            due_text="Sept 06",
            measure="Move completed",
            is_new=True,
        )
        red.lead_roles.add(lead)
        ProgressUpdateFactory(
            objective=red, rag="red", status="in_progress", narrative="Lease delayed"
        )
        red.rag, red.latest_update = "red", red.updates.get()
        red.save()
        ObjectiveFactory(plan=plan, org_unit=finance, reference="FIN-1", text="Set budgets")
        ObjectiveFactory(plan=plan, org_unit=estates, reference="EST-2", text="Survey the sites")

        export, data = pdf_of(actions_spec(viewer, plan, org_unit=str(estates.pk)))
        text = all_text(data)
        assert "Relocate the headquarters" in text and "Survey the sites" in text
        assert "Set budgets" not in text  # filtered out, as on screen
        assert "Estates" in text and "Department Estates" in text  # the filter is stated
        assert "EST-1 NEW" in text
        assert "COO" in text and "Head of Estates" in text and "Sept 06" in text
        assert "Move completed" in text and "Lease delayed" in text
        assert "Red" in text and "Not rated" in text  # the rating in words
        page = reader(data).pages[0]
        assert page.mediabox.width > page.mediabox.height  # landscape

    def test_groups_by_programme_and_goal(self, viewer, plan):
        programme = ProgrammeFactory(plan=plan, number=6, title="Leadership")
        goal = GoalFactory(plan=plan, programme=programme, title="An effective board", order=1)
        ObjectiveFactory(
            plan=plan, kind="action", goal=goal, programme=programme, text="Induct the board"
        )
        _, data = pdf_of(actions_spec(viewer, plan))
        text = all_text(data)
        assert "6. Leadership" in text
        assert "Goal: An effective board" in text
        assert text.index("Goal: An effective board") < text.index("Induct the board")

    def test_filters_the_user_cannot_see_are_refused(self, viewer, plan, other_organisation):
        foreign = PlanFactory(organisation=other_organisation)
        with pytest.raises(selectors.InvalidFilters):
            selectors.filtered_objectives(viewer, QueryDict(f"plan={foreign.pk}"))


class TestBoardPack:
    def test_scorecard_with_charts_that_have_alternative_text(self, viewer, plan):
        kpi = KPIFactory(
            plan=plan, code="L1", name="Mandatory training completed", unit="%", target=Decimal(90)
        )
        for month, value in enumerate([70, 72, 75, 80, 78, 82], start=4):
            MeasurementFactory(kpi=kpi, period_start=dt.date(2006, month, 1), value=value)
        ObjectiveFactory(plan=plan, text="Train everyone")
        spec = DocumentSpec(Kind.SCORECARD, plan_id=plan.pk, quarter="2006-Q3")
        _, data = pdf_of(spec)
        text = all_text(data)
        assert "Board pack: quarterly scorecard" in text
        assert "L1 Mandatory training completed" in text
        assert "Objectives by RAG" in text and "KPI charts" in text
        figures = [e for e in struct_elements(data) if e["tag"] == "/Figure"]
        assert len(figures) >= 3  # sparkline, icons, the XmR chart
        assert all(f["alt"] for f in figures)
        assert any("L1 Mandatory training completed" in str(f["alt"]) for f in figures)
        assert reader(data).metadata.title.startswith("Board pack")


class TestPlanDocument:
    def test_document_control_and_no_draft_mark_when_ratified(self, plan):
        plan.status = PlanStatus.RATIFIED
        plan.ratified_by = "CCG Governing Body"
        plan.date_ratified = dt.date(2020, 1, 1)
        plan.author = "AD of Assurance"
        plan.save()
        PlanSection.objects.create(
            plan=plan, kind=SectionKind.INTRODUCTION, title="1. Introduction", body="Hello."
        )
        _, data = pdf_of(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        text = all_text(data)
        assert "Document control" in text
        assert "Ratified by CCG Governing Body" in text
        assert "Date ratified January 2020" in text
        assert "DRAFT" not in text

    def test_draft_mark_on_every_page_when_not_ratified(self, plan):
        plan.status = PlanStatus.DRAFT
        plan.save()
        body = "\n\n".join(f"Paragraph {n} " + "of words " * 60 for n in range(40))
        PlanSection.objects.create(plan=plan, kind=SectionKind.BACKGROUND, title="Long", body=body)
        _, data = pdf_of(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        pages = page_texts(data)
        assert len(pages) > 4
        assert all("DRAFT" in page for page in pages)

    def test_user_text_is_text_never_markup_and_fetches_nothing(self, plan):
        hostile = (
            '<img src="http://evil.example/x.png"> <script>alert("x")</script> '
            '<link rel="stylesheet" href="file:///etc/passwd"> & <b>bold?</b>'
        )
        PlanSection.objects.create(
            plan=plan, kind=SectionKind.INTRODUCTION, title="Hostile <i>title</i>", body=hostile
        )
        ObjectiveFactory(plan=plan, text='<img src="https://evil.example/y.png">')
        export, data = pdf_of(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        text = all_text(data)
        # A narrative body with markup is formatted text, cleaned by planning.narrative: the
        # image, script and stylesheet are gone (the script's words too), the bold stays bold.
        assert "evil.example/x.png" not in text
        assert "alert" not in text
        assert "passwd" not in text
        assert "& bold?" in text
        # Every other field is text, never markup.
        assert "Hostile <i>title</i>" in text
        assert '<img src="https://evil.example/y.png">' in text
        assert export.result.refused == []
        assert all(u == "data:" or u.endswith("/static/css/pdf.css") for u in export.result.fetched)

    def test_rendered_at_the_cpu_priority_of_the_setting(self, plan, settings):
        # An export's render gives way to pages on a shared machine (PDF_RENDER_NICE).
        settings.PDF_RENDER_NICE = 4
        mine = os.nice(0)
        export, _ = pdf_of(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        assert export.result.niceness == min(19, mine + 4)

    def test_structured_records_appear_where_no_section_lists_them(self, plan):
        StrategicPriorityFactory(plan=plan, number=1, title="Deliver best value")
        StrategicObjectiveFactory(plan=plan, number=1, text="Meet every SLA")
        KPIFactory(plan=plan, code="F1", name="Cost per transaction")
        _, data = pdf_of(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        text = all_text(data)
        assert "SP1 Deliver best value" in text
        assert "1. Meet every SLA" in text
        assert "Key performance indicators" in text and "F1 Cost per transaction" in text


class TestSelectors:
    def test_text_blocks(self):
        blocks = selectors.text_blocks(
            "Intro line\nsecond line\n\n- one\n- two\n\n1. first\n2. second\nAfter"
        )
        assert [b.kind for b in blocks] == ["p", "ul", "ol", "p"]
        assert blocks[0].text == "Intro line\nsecond line"
        assert [i.text for i in blocks[1].items] == ["one", "two"]
        assert [(i.label, i.text) for i in blocks[2].items] == [("1.", "first"), ("2.", "second")]

    def test_a_section_listing_the_priorities_numbers_them(self, plan):
        StrategicPriorityFactory(plan=plan, number=1, title="Deliver “best” value")
        StrategicPriorityFactory(plan=plan, number=2, title="Work in partnership")
        PlanSection.objects.create(
            plan=plan,
            kind=SectionKind.STRATEGIC_OBJECTIVES,
            title="4. Strategic Objectives",
            body='Our priorities:\n\n- Deliver "best" value\n- Work in partnership',
        )
        doc = selectors.plan_document(selectors.plan_for_document(plan.pk))
        (section,) = doc.sections
        assert [(i.label, i.text) for i in section.blocks[1].items] == [
            ("SP1", 'Deliver "best" value'),
            ("SP2", "Work in partnership"),
        ]
        assert "priorities" not in section.extras

    def test_plan_document_reads_in_a_fixed_number_of_queries(self, plan):
        unit = OrgUnitFactory(organisation=plan.organisation)
        kpi = KPIFactory(plan=plan)

        def queries_with(count):
            while plan.objectives.count() < count:
                ObjectiveFactory(plan=plan, org_unit=unit).kpis.add(kpi)
            with CaptureQueriesContext(connection) as captured:
                selectors.plan_document(selectors.plan_for_document(plan.pk))
            return len(captured)

        assert queries_with(3) == queries_with(30)


def test_squash_helper():
    assert squash(" a \n b  ") == "a b"
