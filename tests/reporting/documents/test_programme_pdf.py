"""The programme report PDF (issue 15, item 8): both demo delivery plans rendered once for the
module and read back with pypdf; every item is there as real text, with the report's sections in
a cabinet report's order, ranges added correctly, tagged for PDF/UA. Then the view's
permissions, the link, and a constant number of queries whatever the plan's size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assurance.models import Risk
from benchmarks.bench_programme_pdf import synthetic_programme
from delivery.models import DeliveryItem, Level, Lineage, Measure
from reporting.documents import assemble, exports
from reporting.documents.programme import Range, add_ranges, range_text
from reporting.documents.spec import DocumentSpec, Kind
from tests.factories import ObjectiveFactory
from tests.reporting.documents.conftest import (
    page_texts,
    reader,
    response_bytes,
    squash,
    struct_elements,
)

pytestmark = pytest.mark.django_db

PLANS = ["hssp-shared-services-2009-10", "sel-stp-delivery-plans-2016-21"]


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker, tmp_path_factory):
    """Render both demo delivery plans' reports once; with what the records say they hold."""
    from demo.loader import load_partnerships
    from planning.models import Plan

    media = tmp_path_factory.mktemp("media")
    found = {}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name  # never the development database
        with transaction.atomic():
            load_partnerships()
            for slug in PLANS:
                plan = Plan.objects.get(slug=slug)
                export = exports.get_or_render(DocumentSpec(Kind.PROGRAMME, plan_id=plan.pk))
                data = export.path.read_bytes()
                texts = page_texts(data)
                found[slug] = {
                    "data": data,
                    "result": export.result,
                    "pages": texts,
                    "text": squash(" ".join(texts)),
                    "items": list(
                        DeliveryItem.objects.filter(plan=plan).values_list("reference", "title")
                    ),
                    "lineage": list(
                        Lineage.objects.filter(item__plan=plan).values_list("reason", flat=True)
                    ),
                    # The register's risks linked to the plan's items, with their controls.
                    "risks": [
                        (
                            f"{risk.reference} {risk.title}",
                            [c.description for c in risk.controls.all()],
                        )
                        for risk in Risk.objects.filter(delivery_items__plan=plan).distinct()
                    ],
                }
            transaction.set_rollback(True)
    return found


@pytest.fixture(params=PLANS)
def report(request, reports):
    return reports[request.param]


class TestContents:
    def test_holds_every_item(self, report):
        assert len(report["items"]) >= 14
        for reference, title in report["items"]:
            assert f"{reference} {squash(title)}" in report["text"], reference

    def test_sections_in_a_cabinet_report_s_order(self, report):
        # The PDF's bookmarks (its headings), top level first.
        def titles(outline):
            for entry in outline:
                if isinstance(entry, list):
                    yield from titles(entry)
                else:
                    yield entry.title

        found = list(titles(reader(report["data"]).outline))
        headings = [
            "Purpose",
            "Progress made",
            "Next steps",
            "Benefits by year",
            "Risks",
            "Dependencies and lineage",
            "Governance",
            "Appendix: the plan's sections",
        ]
        assert [t for t in found if t in headings] == headings

    def test_herefordshire(self, reports):
        text = reports[PLANS[0]]["text"]
        cover = squash(reports[PLANS[0]]["pages"][0])
        assert "Herefordshire Shared Services Partnership" in cover
        assert "Members: Herefordshire Council; NHS Herefordshire; Hereford Hospitals Trust" in (
            cover
        )
        assert "DRAFT" in cover
        # Benefits: each year as printed; the programme's recurring savings with no year add
        # the £890K of its procurement centre, lows with lows and highs with highs.
        assert "£700,000" in text and "£1,000,000" in text
        assert "£4,290,000 to £6,290,000" in text
        assert "−140 FTE to −104 FTE" in text
        assert "Year not stated" in text
        for title in ("Programme Governance", "Return on Investment", "staff morale"):
            assert title in text
        for external in ("the Property Strategy", "World Class Commissioning"):
            assert external in text
        assert "Business Transformation Board" in text
        assert "18 Dec 2009" in text and "This is not a Key Decision." in text
        # Deadlines as written, with the window they resolve to.
        assert "in the last quarter of this financial year (1 Jan 2010 to 31 Mar 2010)" in text

    def test_the_registers_risks_with_their_mitigations(self, reports):
        """Item 7: risks at programme level are the assurance register's, shown in the report."""
        risks = reports[PLANS[0]]["risks"]
        assert risks  # the Herefordshire report's risks are linked at programme level
        # Without spaces: a narrow cell may break a line at "Commissioner/Provider".
        text = "".join(reports[PLANS[0]]["text"].split())
        for heading, controls in risks:
            assert "".join(heading.split()) in text, heading
            for control in controls:
                assert "".join(control.split()) in text, control

    def test_sel(self, reports):
        found = reports[PLANS[1]]
        text = found["text"]
        assert "Members: Dartford and Gravesham NHS Foundation Trust" in text
        # The five opportunities' savings, no year printed: £41m + £73m + £64m + £41m + £28m.
        assert "£247,000,000" in text
        assert "SRO: Martin Shaw" in text
        assert len(found["lineage"]) == 4
        for reason in found["lineage"]:
            assert squash(reason) in text


class TestAccessibility:
    def test_tagged_pdf_ua_with_language_and_title(self, reports):
        data = reports[PLANS[0]]["data"]
        pdf = reader(data)
        assert pdf.metadata.title.startswith("Programme report: Shared Services")
        assert pdf.metadata.author == "Herefordshire Shared Services Partnership"
        root = pdf.trailer["/Root"]
        assert root["/Lang"] == "en-GB"
        assert root["/MarkInfo"]["/Marked"]
        xmp = root["/Metadata"].get_object().get_data().decode()
        assert "pdfuaid:part" in xmp
        tags = [e["tag"] for e in struct_elements(data)]
        for tag in ("/H1", "/H2", "/H3", "/H4", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link"):
            assert tag in tags, tag

    def test_only_the_stylesheet_was_fetched(self, report):
        result = report["result"]
        assert result.refused == []
        assert all(u == "data:" or u.endswith("/css/pdf.css") for u in result.fetched)


class TestRanges:
    def test_lows_with_lows_and_highs_with_highs(self):
        total = add_ranges([Range(Decimal(1), Decimal(3)), Range(Decimal(2), Decimal(2))])
        assert total == Range(Decimal(3), Decimal(5))
        assert add_ranges([]) is None

    def test_words(self):
        money = Range(Decimal(3400000), Decimal(5400000))
        assert range_text(money, Measure.SAVINGS) == "£3,400,000 to £5,400,000"
        assert range_text(Range(Decimal(-2), Decimal(-2)), Measure.FTE) == "−2 FTE"
        assert range_text(None, Measure.FTE) == "—"


def _queries(plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        assemble.html_for(DocumentSpec(Kind.PROGRAMME, plan_id=plan.pk))
    return len(queries.captured_queries)


def test_constant_queries_at_1x_and_10x():
    small = synthetic_programme(3, slug="small")
    large = synthetic_programme(30, slug="large")
    assert DeliveryItem.objects.filter(plan=large, level=Level.INTERVENTION).count() == 30
    assert _queries(small) == _queries(large)


class TestView:
    def _plan_with_item(self, plan):
        DeliveryItem.objects.create(
            plan=plan, level=Level.PROGRAMME, reference="P1", title="Programme one"
        )
        return reverse("documents:programme_pdf", args=[plan.slug])

    @pytest.mark.parametrize("role", ["viewer", "contributor", "planner", "org_admin"])
    def test_every_role_may_export(self, client, request, plan, role):
        url = self._plan_with_item(plan)
        client.force_login(request.getfixturevalue(role))
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "programme-report" in response["Content-Disposition"]
        assert "P1 Programme one" in squash(" ".join(page_texts(response_bytes(response))))

    def test_outsiders_404_anonymous_to_sign_in(self, client, outsider, plan):
        url = self._plan_with_item(plan)
        assert client.get(url).status_code == 302
        client.force_login(outsider)
        assert client.get(url).status_code == 404

    def test_a_plan_without_items_has_no_report_and_no_link(self, client, viewer, plan):
        ObjectiveFactory(plan=plan)
        client.force_login(viewer)
        assert client.get(reverse("documents:programme_pdf", args=[plan.slug])).status_code == 404
        page = client.get(reverse("documents:plan_exports", args=[plan.slug])).text
        assert "Programme report" not in page
        url = self._plan_with_item(plan)
        page = client.get(reverse("documents:plan_exports", args=[plan.slug])).text
        assert url in page and "Programme report" in page
