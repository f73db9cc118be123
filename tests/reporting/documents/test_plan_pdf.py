"""The SSP Business Plan 2006/07 as a PDF, read back with pypdf: everything the source document
holds is there as real text, in the source's structure, with a contents page that is right.

The demo is loaded and the PDF rendered once for the module (in a transaction rolled back at the
end); each test then checks one thing against the records.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import override_settings

from budgets.selectors import budget_summary_for
from demo import ssp
from planning.money import format_money
from reporting.documents import exports
from reporting.documents.spec import DocumentSpec, Kind
from tests.reporting.documents.conftest import (
    CONTENTS_LINE,
    lines,
    page_texts,
    reader,
    squash,
    struct_elements,
)

# Marks the module as using the database, so that pytest-django sets up the test database
# before the module fixture below loads the demo into it.
pytestmark = pytest.mark.django_db


def money(amount) -> str:
    """As the budget tables print money (budgets.summary.format_money): £1,329,709."""
    return format_money(amount)


@pytest.fixture(scope="module")
def ssp_pdf(django_db_setup, django_db_blocker, tmp_path_factory):
    """Render the SSP plan once; return its pages' text and what the records say it must hold."""
    from django.db import connection

    from demo.loader import load_demo
    from planning.models import Plan

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        assert _is_test_database(connection)  # never the development database
        with transaction.atomic():
            load_demo()
            plan = Plan.objects.get(slug=ssp.PLAN_SLUG)
            export = exports.get_or_render(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
            data = export.path.read_bytes()
            summary = budget_summary_for(plan, ssp.YEAR)
            expected = {
                "priorities": [p.title for p in plan.strategic_priorities.all()],
                "short_term": [o.text for o in plan.strategic_objectives.all()],
                "objectives": list(plan.objectives.values_list("reference", "text", "measure")),
                "kpis": list(plan.kpis.values_list("code", flat=True)),
                "sections": list(plan.sections.values_list("title", flat=True)),
                "swot": list(plan.swot_items.values_list("text", flat=True)),
                "pestel": list(plan.pestel_drivers.values_list("text", flat=True)),
                "summary": summary,
            }
            transaction.set_rollback(True)
    texts = page_texts(data)
    return {
        "data": data,
        "result": export.result,
        "pages": texts,
        "text": squash(" ".join(texts)),
        "compact": compact(" ".join(texts)),
        **expected,
    }


def compact(text: str) -> str:
    return "".join(text.split())


def _is_test_database(connection) -> bool:
    name = str(connection.settings_dict["NAME"])
    return "test" in name or "memory" in name


class TestStructure:
    def test_cover_names_organisation_title_period_version_status_and_draft(self, ssp_pdf):
        cover = squash(ssp_pdf["pages"][0])
        assert "Support Services Partnership South West London" in cover
        assert "Business Plan 2006/07" in cover
        assert "Version 2006/07" in cover
        assert "Status: Approved" in cover
        # Approved but not ratified: marked DRAFT.
        assert "DRAFT" in cover
        assert "This plan has not been ratified." in cover

    def test_every_page_has_the_running_header_draft_mark_and_page_x_of_y(self, ssp_pdf):
        pages = ssp_pdf["pages"]
        for number, text in enumerate(pages, start=1):
            flat = squash(text)
            assert "SSP · Business Plan 2006/07" in flat, number
            assert "DRAFT" in flat, number
            assert f"Page {number} of {len(pages)}" in flat, number

    def test_sections_follow_the_source_in_order(self, ssp_pdf):
        text = ssp_pdf["text"]
        positions = []
        for title in ssp_pdf["sections"]:
            # The heading: after the contents page, so search from there.
            position = text.find(title, text.find("Appendix 4: SSP approach") + 1)
            assert position > 0, title
            positions.append(position)
        main = positions[:-1]  # the last section, Appendix 4, comes after the appendices
        assert main == sorted(main)

    def test_appendices_are_the_sources_in_its_order(self, ssp_pdf):
        text = ssp_pdf["text"]
        headings = [
            "Appendix 1: SWOT and PESTEL analysis",
            "Appendix 2: Operational objectives 2006/07",
            "Appendix 3: Summary of proposed budgets 2006/07",
            "Appendix 4: SSP approach to Performance Management",
            # Then the demo's synthetic risk register (demo.risks), competency framework and 7S
            # gap analysis (demo.frameworks), numbered on from the plan's own.
            "Appendix 5: Risk register",
            "Appendix 6: Capability framework (synthetic demo)",
            "Appendix 7: Gap analysis: McKinsey 7S (synthetic demo)",
        ]
        last = [text.rfind(h) for h in headings]
        assert all(p > 0 for p in last)
        assert last == sorted(last)

    def test_wide_appendices_are_on_landscape_pages(self, ssp_pdf):
        pdf = reader(ssp_pdf["data"])
        for page, text in zip(pdf.pages, ssp_pdf["pages"], strict=True):
            box = page.mediabox
            landscape = box.width > box.height
            if "Appendix 2: Operational objectives" in text.split("\n", 3)[-1][:300]:
                assert landscape
            if text.lstrip().startswith("DRAFT\nContents"):
                assert not landscape

    def test_objective_table_header_repeats_on_every_page_it_spans(self, ssp_pdf):
        # The risk appendix names objectives too (as mitigating actions): not an objective table.
        objective_pages = [
            t
            for t in ssp_pdf["pages"]
            if re.search(r"\b(EST|FAC|SUP|PC|MCP|PM|FIN|HR)-\d", t)
            and "Risk and owner" not in squash(t)
            and "Score and band" not in squash(t)
        ]
        assert len(objective_pages) > 3
        for text in objective_pages:
            assert "Reference Objective KPIs to measure" in squash(text)


class TestContents:
    def test_contents_lists_every_section_and_appendix_with_the_right_page(self, ssp_pdf):
        pages = ssp_pdf["pages"]
        contents_page = next(n for n, t in enumerate(pages) if "Contents" in lines(t)[:3])
        entries = {}
        for line in lines(pages[contents_page]):
            match = CONTENTS_LINE.match(line)
            if match:
                entries[match["title"].strip()] = int(match["page"])
        for title in ssp_pdf["sections"]:
            assert title in entries, title
        # and appendices 1-3, then after the plan's own printed appendix the (synthetic demo)
        # risk register, framework and gap analysis
        assert len(entries) == len(ssp_pdf["sections"]) + 6
        for title, page in entries.items():
            # The heading is a line of its own on that page, and on no page before it (after
            # the contents).
            assert title in lines(pages[page - 1]), (title, page)
            for earlier in range(contents_page + 1, page - 1):
                assert title not in lines(pages[earlier]), (title, page, earlier + 1)


class TestEverythingIsThere:
    def test_every_strategic_priority_numbered(self, ssp_pdf):
        text = ssp_pdf["text"]
        for number, title in enumerate(ssp_pdf["priorities"], start=1):
            assert squash(f"SP{number} {title}") in text

    def test_every_short_and_medium_term_objective(self, ssp_pdf):
        text = ssp_pdf["text"]
        for number, objective in enumerate(ssp_pdf["short_term"], start=1):
            assert squash(f"{number}. {objective}") in text

    def test_every_operational_objective_with_its_kpi_text(self, ssp_pdf):
        text = ssp_pdf["text"]
        assert len(ssp_pdf["objectives"]) > 50
        for reference, objective, measure in ssp_pdf["objectives"]:
            assert squash(f"{reference} {objective}") in text, reference
            if measure:
                # A long "Jul06/Oct06/…" may wrap after a slash: compare without spaces.
                assert compact(measure) in ssp_pdf["compact"], reference

    def test_cross_references(self, ssp_pdf):
        text = ssp_pdf["text"]
        assert "SP7 Objective 2" in text  # FAC-1 (Facilities), as the records cross-refer it
        assert "SP3 Objective 4" in text  # PM-1

    def test_every_kpi_code(self, ssp_pdf):
        text = ssp_pdf["text"]
        assert len(ssp_pdf["kpis"]) >= 12
        for code in ssp_pdf["kpis"]:
            assert re.search(rf"\b{code}\b", text), code

    def test_swot_and_pestel(self, ssp_pdf):
        text = ssp_pdf["text"]
        for label in ("Strengths", "Weaknesses", "Opportunities", "Threats"):
            assert label in text
        for item in ssp_pdf["swot"] + ssp_pdf["pestel"]:
            assert squash(item) in text, item

    def test_every_budget_line_and_computed_total(self, ssp_pdf):
        text = ssp_pdf["text"]
        summary = ssp_pdf["summary"]
        appendix = text[text.rfind("Appendix 3: Summary of proposed budgets") :]

        def in_order(*parts):
            """The parts appear in this order in the appendix, close together (a row)."""
            for start in re.finditer(re.escape(parts[0]), appendix):
                position = start.start()
                for part in parts[1:]:
                    found = appendix.find(part, position)
                    if not 0 <= found - position < 120:
                        break
                    position = found
                else:
                    return
            raise AssertionError(f"Not found in order: {parts}")

        for row in summary.income_rows:
            cells = [money(c) for c in row.cells if c is not None]
            in_order(row.funder_label, *cells, money(row.total))
        in_order("Total", *(money(c.total) for c in summary.column_totals))
        assert money(summary.income_total) in appendix
        for group in summary.expenditure_groups:
            for line in group.lines:
                in_order(line.description, money(line.amount))
            in_order(f"Subtotal: {group.manager}", money(group.subtotal))
        in_order("Total expenditure", money(summary.expenditure_total))
        # Computed, not printed: the source's printed totals have rounding errors.
        assert money(summary.income_total) == "£13,643,320"
        in_order("Income less expenditure", money(summary.balance))
        assert "Printed totals that differ from the lines" in appendix

    def test_appendix_4_performance_management(self, ssp_pdf):
        assert "A Team Perspective Vision Statement" in ssp_pdf["text"]
        assert "My Annual Objectives" in ssp_pdf["text"]


class TestAccessibility:
    def test_metadata_language_and_pdf_ua(self, ssp_pdf):
        pdf = reader(ssp_pdf["data"])
        meta = pdf.metadata
        assert meta.title == "Business Plan 2006/07"
        assert meta.author == "Support Services Partnership South West London"
        assert "Business plan 2006/07" in meta.subject
        root = pdf.trailer["/Root"]
        assert root["/Lang"] == "en-GB"
        assert root["/MarkInfo"]["/Marked"]
        xmp = root["/Metadata"].get_object().get_data().decode()
        assert "pdfuaid:part" in xmp and "1" in xmp

    def test_tagged_headings_lists_and_tables_with_header_cells(self, ssp_pdf):
        tags = [e["tag"] for e in struct_elements(ssp_pdf["data"])]
        for tag in ("/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link"):
            assert tag in tags, tag

    def test_only_the_stylesheet_was_fetched(self, ssp_pdf):
        assert ssp_pdf["result"].refused == []
        assert [u for u in ssp_pdf["result"].fetched if u != "data:"] == [
            u for u in ssp_pdf["result"].fetched if u.endswith("/css/pdf.css")
        ]
