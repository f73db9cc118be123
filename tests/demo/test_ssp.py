"""The SSP Business Plan 2006/07 demo, checked against the source document item by item.

Lists that the converted text keeps intact (priorities, objectives, vision, values, PESTEL, the
well-formed rows of Appendix 2, the narrative) are parsed from the document here, independently
of the loader. Tables whose layout the conversion lost (the SWOT, Appendix 3) and the judgements
made in rebuilding them are written out literally below, read from the document by hand.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from decimal import Decimal
from itertools import zip_longest

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Q, Sum

from budgets.models import ExpenditureLine, IncomeLine, PrintedTotal, ServiceLine, TotalScope
from demo import ssp
from kpis.models import KPI
from objectives.models import Objective
from planning.models import (
    ClientRelationship,
    ContentVersion,
    Organisation,
    OrgUnit,
    Plan,
    PlanSection,
    StrategicObjective,
    StrategicPriority,
    Value,
    VisionBullet,
)
from swot.models import PestelDriver, SwotItem
from tests.demo.conftest import read_source

SOURCE_NAME = "ssp-business-plan-2006-07.txt"


# ---------------------------------------------------------------------------------------------
# Reading the source
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return read_source(SOURCE_NAME).splitlines()


def index_of(lines: list[str], text: str, start: int = 0) -> int:
    """Index of the first line at or after ``start`` that is exactly ``text`` (stripped)."""
    for i in range(start, len(lines)):
        if lines[i].strip() == text:
            return i
    raise AssertionError(f"{text!r} not found in the source after line {start}")


def bullets_after(lines: list[str], start: int, *, skip_blank_lines: bool = False) -> list[str]:
    """The "- " bullets that follow line ``start``, up to the first other line."""
    found: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("- "):
            found.append(line[2:].strip())
        elif not line.strip() and (not found or skip_blank_lines):
            continue
        else:
            break
    return found


def paragraph_cells(cell: str) -> list[str]:
    return [p.strip() for p in re.findall(r"<p>(.*?)</p>", cell)]


def plain(text: str) -> str:
    """The source without the converter's markup."""
    text = text.replace("**", "").replace("<u>", "").replace("</u>", "")
    return re.sub(r"\[(Appendix \d)\]\(#\)", r"\1", text)


def straight(text: str) -> str:
    return text.translate({ord("‘"): "'", ord("’"): "'", ord("“"): '"', ord("”"): '"'})


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def ssp_plan(request, db) -> Plan:
    """The SSP plan as `make run` loads it, beside the CCG demo; loaded on its own while the
    CCG loader (another module) does not exist yet."""
    if importlib.util.find_spec("demo.ccg") is None:
        ssp.load()
    else:
        request.getfixturevalue("demo")
    return Plan.objects.get(slug=ssp.PLAN_SLUG)


@pytest.fixture
def ssp_alone(db) -> Plan:
    """The SSP plan loaded on its own, for counting every row that its loader makes."""
    plan, created = ssp.load()
    assert created
    return plan


def ssp_organisations():
    return Organisation.objects.filter(
        Q(slug="ssp") | Q(provider_relationships__provider__slug="ssp")
    ).distinct()


def objectives_of(plan: Plan) -> list[Objective]:
    return list(plan.objectives.select_related("org_unit").order_by("order"))


# ---------------------------------------------------------------------------------------------
# Organisations and units
# ---------------------------------------------------------------------------------------------


class TestOrganisations:
    def test_ssp(self, ssp_plan):
        org = ssp_plan.organisation
        assert org.name == "Support Services Partnership South West London"
        assert (org.short_name, org.slug, org.kind) == ("SSP", "ssp", "partnership")
        assert org.address == "The Wilson, Cranmer Road, Mitcham, CR4 4TP"
        assert org.telephone == "020 8687 4655"
        assert org.email == ""

    def test_host_is_wandsworth_pct(self, ssp_plan, lines):
        assert any("hosted by Wandsworth Primary Care Trust" in line for line in lines)
        host = ssp_plan.organisation.host
        assert (host.name, host.kind) == ("Wandsworth PCT", "pct")

    def test_partners_in_printed_order(self, ssp_plan, lines):
        start = next(i for i, line in enumerate(lines) if line.endswith("following Partners:"))
        printed = bullets_after(lines, start)
        assert len(printed) == 6
        partners = ClientRelationship.objects.filter(
            provider=ssp_plan.organisation, kind="partner"
        ).order_by("order")
        assert [r.client.name for r in partners] == printed
        kinds = {r.client.name: r.client.kind for r in partners}
        assert kinds["SWL Strategic Health Authority"] == "sha"
        del kinds["SWL Strategic Health Authority"]
        assert set(kinds.values()) == {"pct"}

    def test_st_georges_is_another_client(self, ssp_plan):
        rel = ClientRelationship.objects.get(provider=ssp_plan.organisation, kind="client")
        assert (rel.client.name, rel.client.kind) == ("St George's NHS Trust", "trust")

    def test_organisation_count(self, ssp_plan):
        # SSP, six partners and St George's; "Others" is no organisation.
        assert ssp_organisations().count() == 8
        assert not Organisation.objects.filter(name__iexact="others").exists()

    def test_no_personal_email_is_loaded(self, ssp_plan, lines):
        email = re.compile(r"\S+@\S+")
        assert any(email.search(line) for line in lines)  # the source prints one ...
        assert not ssp_organisations().exclude(email="").exists()  # ... and we keep none
        for section in PlanSection.objects.filter(plan=ssp_plan):
            assert not email.search(section.body), section.title
            assert "Email" not in section.body


class TestOrgUnits:
    def test_directorates_and_services_as_section_6_lists_them(self, ssp_plan, lines):
        start = index_of(lines, "Services are grouped into two directorates as follows:")
        services = bullets_after(lines, index_of(lines, "Services", start))
        corporate = bullets_after(lines, index_of(lines, "Corporate Operations", start))
        assert len(services) == 5
        assert len(corporate) == 8
        org = ssp_plan.organisation
        directorates = OrgUnit.objects.filter(organisation=org, kind="directorate")
        assert [d.name for d in directorates.order_by("order")] == [
            "Services",
            "Corporate Operations",
        ]
        services_units = OrgUnit.objects.filter(organisation=org, parent__name="Services")
        services_units = services_units.order_by("order")
        assert [u.name for u in services_units] == services
        corporate_units = OrgUnit.objects.filter(
            organisation=org, parent__name="Corporate Operations"
        )
        # Appendix 2's two extra headings follow section 6(ii)'s list.
        assert [u.name for u in corporate_units.order_by("order")] == [
            *corporate,
            "Corporate",
            "Procurement Shared Services",
        ]

    def test_all_units_are_departments_under_a_directorate(self, ssp_plan):
        departments = OrgUnit.objects.filter(organisation=ssp_plan.organisation, kind="department")
        assert departments.count() == 15
        assert not departments.filter(parent=None).exists()


# ---------------------------------------------------------------------------------------------
# The plan and its lists
# ---------------------------------------------------------------------------------------------


class TestPlan:
    def test_fields(self, ssp_plan):
        assert ssp_plan.slug == "ssp-business-plan-2006-07"
        assert (ssp_plan.kind, ssp_plan.title) == ("business_plan", "Business Plan")
        assert (ssp_plan.start_year, ssp_plan.end_year) == (2006, 2006)
        assert ssp_plan.status == "approved"
        assert ssp_plan.version_label == "2006/07"
        assert str(ssp_plan) == "Business Plan 2006/07"

    def test_aim(self, ssp_plan, lines):
        assert f"“{ssp_plan.aim}”" in lines
        assert ssp_plan.aim == "High Quality and Cost Effective Support Services to our clients"

    def test_vision(self, ssp_plan, lines):
        line = next(line for line in lines if line.startswith("Our Vision is"))
        assert plain(line).startswith(ssp_plan.vision)
        assert ssp_plan.vision.endswith("“can do” organisation.")

    def test_vision_bullets(self, ssp_plan, lines):
        start = next(i for i, line in enumerate(lines) if line.startswith("Our Vision is"))
        printed = bullets_after(lines, start)
        assert len(printed) == 7
        bullets = VisionBullet.objects.filter(plan=ssp_plan).order_by("order")
        assert [b.text for b in bullets] == printed

    def test_values(self, ssp_plan, lines):
        start = next(i for i, line in enumerate(lines) if line.startswith("SSP is a values-driven"))
        # The printed list has a stray blank line inside it.
        assert bullets_after(lines, start) != bullets_after(lines, start, skip_blank_lines=True)
        printed = bullets_after(lines, start, skip_blank_lines=True)
        assert len(printed) == 12
        values = Value.objects.filter(plan=ssp_plan).order_by("order")
        assert [v.text for v in values] == printed

    def test_strategic_priorities(self, ssp_plan, lines):
        section_4 = index_of(lines, "4. Strategic Objectives")
        start = index_of(lines, "The **strategic priorities** are as follows:", section_4)
        printed = bullets_after(lines, start)
        assert len(printed) == 7
        priorities = StrategicPriority.objects.filter(plan=ssp_plan)
        assert [(p.number, p.title) for p in priorities] == list(enumerate(printed, start=1))
        # The Executive Summary prints the same seven.
        summary = index_of(lines, "The **strategic priorities** are as follows:")
        assert summary < section_4
        assert bullets_after(lines, summary) == printed

    def test_short_and_medium_term_objectives(self, ssp_plan, lines):
        start = index_of(lines, "4. Strategic Objectives")
        end = index_of(lines, "5. Values", start)
        printed = [
            (int(m[1]), m[2].strip())
            for line in lines[start:end]
            if (m := re.match(r"^\s*(\d+)\. (To .*)$", line))
        ]
        assert [n for n, _ in printed] == list(range(1, 14))
        objectives = StrategicObjective.objects.filter(plan=ssp_plan)
        assert [(o.number, o.text) for o in objectives] == printed


# ---------------------------------------------------------------------------------------------
# Narrative sections
# ---------------------------------------------------------------------------------------------

SECTIONS = [
    ("executive_summary", "Executive Summary"),
    ("introduction", "1. Introduction"),
    ("background", "2. Background and Context"),
    ("aim_and_vision", "3. Aim and Vision"),
    ("strategic_objectives", "4. Strategic Objectives"),
    ("values", "5. Values"),
    ("strategic_analysis", "6. Strategic Analysis"),
    ("implementation", "7. Strategic Implementation"),
    ("implementation", "8. Implementation Plan"),
    ("finance_plan", "9. Financial Plan"),
    ("performance_management", "10. Performance Management"),
    ("conclusion", "11. Conclusion"),
    ("future_changes", "12. Future Changes"),
    ("contact", "Contact"),
    ("other", "Appendix 4: SSP approach to Performance Management"),
]


def body_lines(section: PlanSection) -> list[str]:
    """Each line of a body without its "- " or "n. " list mark."""
    return [
        re.sub(r"^(- |\d+\. )", "", line).strip()
        for line in section.body.splitlines()
        if line.strip()
    ]


class TestSections:
    def test_titles_kinds_and_order(self, ssp_plan):
        sections = PlanSection.objects.filter(plan=ssp_plan).order_by("order")
        assert [(s.kind, s.title) for s in sections] == SECTIONS
        assert [s.order for s in sections] == list(range(1, 16))

    def test_numbered_headings_are_the_documents(self, ssp_plan, lines):
        for _, title in SECTIONS[1:13]:
            assert title in lines

    def test_every_line_loaded_is_printed(self, ssp_plan, lines):
        """Nothing is invented: each line of each body is in the document (or, for the
        Executive Summary, in it with straight quotes)."""
        source = plain("\n".join(lines))
        flat_source = " ".join(source.split())
        for section in PlanSection.objects.filter(plan=ssp_plan):
            for line in body_lines(section):
                assert line in source or straight(line) in straight(flat_source), (
                    section.title,
                    line,
                )

    def test_every_printed_line_is_loaded(self, ssp_plan, lines):
        """Nothing is lost: every line of the narrative, from the Executive Summary to section
        12 and all of Appendix 4, is in some body, except headings and the e-mail address."""
        loaded = "\n".join(s.body for s in PlanSection.objects.filter(plan=ssp_plan))
        flat_loaded = " ".join(straight(loaded).split())
        headings = {title for _, title in SECTIONS} | {"Executive Summary"}
        narrative = lines[
            index_of(lines, "Executive Summary", 20) : index_of(
                lines, "Political drivers for change include: -"
            )
        ]
        appendix_4 = lines[index_of(lines, "SSP approach to Performance Management") + 1 :]
        for raw in narrative + appendix_4:
            line = plain(raw).strip()
            if not line or line in headings:
                continue
            if line.startswith("Tel:"):
                line = line.split(" Email:")[0]
            line = re.sub(r"^(- |\d+\. )", "", line)
            assert straight(line) in flat_loaded, line

    def test_executive_summary_repeats_introduction_objectives_and_conclusion(self, ssp_plan):
        sections = {s.title: s.body for s in PlanSection.objects.filter(plan=ssp_plan)}
        summary = sections["Executive Summary"]
        for title in ("1. Introduction", "4. Strategic Objectives", "11. Conclusion"):
            assert straight(sections[title]) in summary
        assert summary.endswith(sections["Contact"])
        # Objective 3, split by the conversion in the summary, is whole.
        assert "organisational wide operational policy covering" in summary

    def test_contact(self, ssp_plan):
        contact = PlanSection.objects.get(plan=ssp_plan, kind="contact").body
        assert contact == (
            "Copies of the Business Plan are available from the Corporate Business Manager,"
            " Support Services Partnership South West London, The Wilson, Cranmer Road, Mitcham,"
            " CR4 4TP\n\nTel: 020 8687 4655."
        )

    def test_no_markup_left(self, ssp_plan):
        for section in PlanSection.objects.filter(plan=ssp_plan):
            for mark in ("**", "<p>", "<u>", "](#)", "&nbsp;"):
                assert mark not in section.body, (section.title, mark)

    def test_paragraphs(self, ssp_plan):
        intro = PlanSection.objects.get(plan=ssp_plan, kind="introduction")
        assert len(intro.paragraphs) == 2
        appendix = PlanSection.objects.get(plan=ssp_plan, kind="other")
        assert appendix.paragraphs[0].startswith("A key objective for the SSP next year")
        # The document's last line, which has no line break after it.
        assert appendix.paragraphs[-2:] == [
            "Personal Development Planning",
            "Developed in discussions with my line manager",
        ]


# ---------------------------------------------------------------------------------------------
# PESTEL and SWOT
# ---------------------------------------------------------------------------------------------


class TestPestel:
    COUNTS = {
        "political": 3,
        "economic": 6,
        "social": 4,
        "technological": 2,
        "environmental": 3,
        "legal": 3,
    }

    @pytest.mark.parametrize("category", list(COUNTS))
    def test_drivers_per_category(self, ssp_plan, lines, category):
        start = next(
            i
            for i, line in enumerate(lines)
            if line.startswith(f"{category.capitalize()} drivers for change include")
        )
        printed = bullets_after(lines, start)
        assert len(printed) == self.COUNTS[category]
        drivers = PestelDriver.objects.filter(plan=ssp_plan, category=category).order_by("order")
        assert [d.text for d in drivers] == printed

    def test_total(self, ssp_plan):
        assert PestelDriver.objects.filter(plan=ssp_plan).count() == 21


SWOT = {
    "S": [
        "Track record in successful delivery of operational services",
        "Source of wide ranging technical expertise to the sector",
        "Most significant experience of negotiations for public: private partnerships in sector",
        "Successful closure of PFI and LIFT projects",
        "Sector wide role in LIFT",
        "National links for Cleaning standards and NHS Design review",
        "Well thought of in Sector and Local networks",
        "Increasing role outside of core partners e.g. Shared Service review, Strategic Work for"
        " SGH, Enquiry by Design for Better Health Care Closer to Home",
        "Strong Corporate Memory",
    ],
    "W": [
        "Service focussed working and limited integration",
        "Poor presentation of success",
        "Management structure unsustainable",
        "Perceived as being expensive",
        "Mixed view on ability to deliver",
        "Limited commercial expertise for contract management",
        "Lack of focus on contractual relationship with clients",
        "Poor records on service quality making communications more difficult and time consuming",
    ],
    "O": [
        "Possible links to GP Commissioning groups",
        "More contracts to manage and output specifications to monitor",
        "Increasing impact of standards and regulations requiring more technical expertise to be"
        " available",
        "Proactive sharing of skills and knowledge of required in PFI /PPP negotiations / projects",
    ],
    "T": [
        "Reducing number of operational services, leading to lower income and increased incidence"
        " of overhead costs",
        "Increased pressure to merge shared service organisations",
    ],
}


class TestSwot:
    @pytest.mark.parametrize("quadrant", list(SWOT))
    def test_items(self, ssp_plan, quadrant):
        items = SwotItem.objects.filter(plan=ssp_plan, quadrant=quadrant).order_by("order")
        assert [i.text for i in items] == SWOT[quadrant]

    def test_counts(self, ssp_plan):
        counts = {q: SwotItem.objects.filter(plan=ssp_plan, quadrant=q).count() for q in SWOT}
        assert counts == {"S": 9, "W": 8, "O": 4, "T": 2}

    def test_items_rejoined_are_the_printed_cells(self, ssp_plan, lines):
        """Split at the right places and nothing lost: rejoined, each quadrant's items are the
        printed cell, character for character."""
        strengths_row = next(line for line in lines if line.startswith("Strengths\t"))
        opportunities_row = next(line for line in lines if line.startswith("Opportunities\t"))
        s_cell, w_cell = paragraph_cells(strengths_row)
        o_cell, t_cell = paragraph_cells(opportunities_row)
        assert strengths_row.endswith("Weaknesses")
        assert opportunities_row.endswith("Threats")
        for quadrant, cell in zip("SWOT", (s_cell, w_cell, o_cell, t_cell), strict=True):
            items = SwotItem.objects.filter(plan=ssp_plan, quadrant=quadrant).order_by("order")
            assert " ".join(i.text for i in items) == cell

    def test_each_item_starts_a_capitalised_phrase(self, ssp_plan):
        for item in SwotItem.objects.filter(plan=ssp_plan):
            assert item.text[0].isupper(), item.text


# ---------------------------------------------------------------------------------------------
# Appendix 2: operational objectives
# ---------------------------------------------------------------------------------------------

# Appendix 2 heading -> the unit its objectives are loaded under.
UNIT_OF_HEADING = {
    "Estates": "Estates",
    "Facilities": "Facilities",
    "Supplies": "Supplies",
    "Primary Care": "Primary Care",
    "Major Capital Projects": "Major Capital Projects",
    "Performance Management": "Performance Management",
    "Finance": "Finance",
    "HR / OD / Training": "Human Resources / Organisational Development",
    "Corporate": "Corporate",
    "Procurement Shared Services": "Procurement Shared Services",
}

COUNTS = {
    "Estates": 7,
    "Facilities": 8,
    "Supplies": 5,
    "Primary Care": 5,
    "Major Capital Projects": 11,
    "Performance Management": 2,
    "Finance": 6,
    "Human Resources / Organisational Development": 5,
    "Corporate": 9,
    "Procurement Shared Services": 5,
}

FIRST_PSS_OBJECTIVE = "Work to develop race equality and diversity in procurement"


def appendix_2_rows(lines: list[str]) -> list[tuple[str, str, str]]:
    """(unit, objective, KPI text) for every row of Appendix 2, in document order, parsed from
    the converted text: tab rows, <p> blocks paired in order (a missing KPI is ""), and the
    block after the misplaced "Procurement Shared Services" heading, which prints its
    objectives and then as many KPI texts."""
    start = index_of(lines, "Objective\tKPIs to Measure")
    heading_at = index_of(lines, "**Procurement", start)
    rows: list[tuple[str, str, str]] = []
    heading = ""
    for line in lines[start + 1 : heading_at]:
        if "\t" not in line:
            continue
        cells = line.split("\t")
        heading = cells[0].strip() or heading
        if "<p>" in line:
            pairs = zip_longest(paragraph_cells(cells[1]), paragraph_cells(cells[2]), fillvalue="")
            rows += [(UNIT_OF_HEADING[heading], o, k) for o, k in pairs]
        else:
            rows.append((UNIT_OF_HEADING[heading], cells[1].strip(), cells[2].strip()))
    end = index_of(lines, "Support Services Partnership South West London", heading_at)
    block = [line.strip() for line in lines[heading_at + 3 : end] if line.strip()]
    half = len(block) // 2
    assert len(block) == 2 * half == 24
    objectives, kpis = block[:half], block[half:]
    unit = "Corporate"
    for objective, kpi in zip(objectives, kpis, strict=True):
        if objective.startswith(FIRST_PSS_OBJECTIVE):
            unit = "Procurement Shared Services"
        rows.append((unit, objective, kpi))
    return rows


class TestOperationalObjectives:
    def test_every_row_of_appendix_2(self, ssp_plan, lines):
        expected = appendix_2_rows(lines)
        loaded = [(o.org_unit.name, o.text, o.measure) for o in objectives_of(ssp_plan)]
        assert loaded == expected

    def test_counts_per_department(self, ssp_plan):
        objectives = objectives_of(ssp_plan)
        counts: dict[str, int] = {}
        for o in objectives:
            counts[o.org_unit.name] = counts.get(o.org_unit.name, 0) + 1
        assert counts == COUNTS
        assert len(objectives) == 63

    def test_references_order_and_kind(self, ssp_plan):
        objectives = objectives_of(ssp_plan)
        assert [o.order for o in objectives] == list(range(1, 64))
        assert {o.kind for o in objectives} == {"operational"}
        prefixes = {
            "Estates": "EST",
            "Facilities": "FAC",
            "Supplies": "SUP",
            "Primary Care": "PC",
            "Major Capital Projects": "MCP",
            "Performance Management": "PM",
            "Finance": "FIN",
            "Human Resources / Organisational Development": "HR",
            "Corporate": "CORP",
            "Procurement Shared Services": "PSS",
        }
        seen: dict[str, int] = {}
        for o in objectives:
            seen[o.org_unit.name] = seen.get(o.org_unit.name, 0) + 1
            assert o.reference == f"{prefixes[o.org_unit.name]}-{seen[o.org_unit.name]}"

    def test_supplies_pairing_leaves_eprocurement_without_a_kpi(self, ssp_plan):
        supplies = {o.reference: o for o in objectives_of(ssp_plan) if o.reference[:3] == "SUP"}
        assert supplies["SUP-1"].measure == "F2 SSP (2) Influencable spend (Supplies)"
        assert supplies["SUP-2"].measure == "Customer Satisfaction Survey"
        assert supplies["SUP-3"].measure == "Number of contracts sectorwide"
        assert supplies["SUP-4"].text.startswith("To identify areas where catalogue management")
        assert supplies["SUP-4"].measure == "Monitor number of requisitions"
        assert supplies["SUP-5"].text.startswith("To develop eprocurement")
        assert supplies["SUP-5"].measure == ""

    def test_primary_care_pairing(self, ssp_plan):
        measures = [o.measure for o in objectives_of(ssp_plan) if o.reference.startswith("PC-")]
        assert measures == [
            "Progress against plan",
            "KPI being developed 30th June 06",
            "KPI being developed 30th June 06",
            "Progress against plan",
            "Measure actual time spent vs SLA budget",
        ]

    def test_major_capital_projects_includes_the_row_after_the_page_break(self, ssp_plan):
        mcp = [o for o in objectives_of(ssp_plan) if o.reference.startswith("MCP-")]
        assert len(mcp) == 11
        assert mcp[0].measure == "Progress against plan April 06 Complete Dec 06"
        assert mcp[4].measure == "PID"
        assert mcp[9].measure == "Progress against plan - Sept06"
        assert mcp[10].text == (
            "To manage the development of the Strategic Outline Case for Surbiton Hospital"
        )
        assert mcp[10].measure == "Progress against plan - Dec 06"

    def test_corporate_runs_on_past_the_misplaced_heading(self, ssp_plan):
        by_ref = {o.reference: o for o in objectives_of(ssp_plan)}
        assert by_ref["CORP-1"].text.startswith("Risk - ")
        assert by_ref["CORP-2"].text.startswith("Governance - ")
        assert by_ref["CORP-3"].text.startswith("Business Planning - ")
        assert by_ref["CORP-3"].measure == "Progress against plan – June 06"
        assert by_ref["CORP-6"].text.startswith("SLAs - ")
        assert by_ref["CORP-6"].measure.startswith("Signed SLAs by Sept 06")
        assert by_ref["CORP-9"].text.startswith("To develop and implement a comprehensive initial")
        assert by_ref["PSS-1"].text.startswith(FIRST_PSS_OBJECTIVE)
        assert by_ref["PSS-1"].measure.endswith("(Through EIA)")
        assert by_ref["PSS-3"].measure == "Being discussed at First project team meeting"
        assert by_ref["PSS-5"].text.startswith("For the benefit of NHS Trusts and PCTs")
        assert by_ref["PSS-5"].measure == "F3 - 200% ROI in year"

    def test_hr_heading_is_the_hr_od_department(self, ssp_plan):
        hr = [o for o in objectives_of(ssp_plan) if o.reference.startswith("HR-")]
        assert {o.org_unit.name for o in hr} == {"Human Resources / Organisational Development"}
        assert not OrgUnit.objects.filter(
            organisation=ssp_plan.organisation, name="HR / OD / Training"
        ).exists()

    # Objectives with a date in their KPI text (or, for FAC-1, their own text).
    DUE = {
        "EST-3": ("Sept 06", dt.date(2006, 9, 30)),
        "EST-4": ("July 06", dt.date(2006, 7, 31)),
        "EST-6": ("May 2006", dt.date(2006, 5, 31)),
        "FAC-1": ("Sept 06", dt.date(2006, 9, 30)),
        "FAC-2": ("Sept 06", dt.date(2006, 9, 30)),
        "FAC-3": ("Mar 07", dt.date(2007, 3, 31)),
        "PC-2": ("30th June 06", dt.date(2006, 6, 30)),
        "PC-3": ("30th June 06", dt.date(2006, 6, 30)),
        "MCP-1": ("April 06, Dec 06", dt.date(2006, 12, 31)),
        "MCP-2": ("Dec 06", dt.date(2006, 12, 31)),
        "MCP-3": ("March 07", dt.date(2007, 3, 31)),
        "MCP-6": ("Oct 06", dt.date(2006, 10, 31)),
        "MCP-7": ("Oct 06", dt.date(2006, 10, 31)),
        "MCP-8": ("Nov 06", dt.date(2006, 11, 30)),
        "MCP-9": ("Apr06", dt.date(2006, 4, 30)),
        "MCP-10": ("Sept06", dt.date(2006, 9, 30)),
        "MCP-11": ("Dec 06", dt.date(2006, 12, 31)),
        "PM-1": ("July06/Oct06/Jan 07/Apr07", dt.date(2007, 4, 30)),
        "PM-2": ("Sep-06", dt.date(2006, 9, 30)),
        "FIN-1": ("May 06", dt.date(2006, 5, 31)),
        "FIN-6": ("Jul-06", dt.date(2006, 7, 31)),
        "HR-1": ("Oct06 / Apr07", dt.date(2007, 4, 30)),
        "HR-2": ("Oct06/Apr 07", dt.date(2007, 4, 30)),
        "HR-3": ("Oct06/Apr07", dt.date(2007, 4, 30)),
        "HR-4": ("Jul06/Oct06/Jan07/Apr07", dt.date(2007, 4, 30)),
        "HR-5": ("Jul06/Oct06/Jan07/Apr07", dt.date(2007, 4, 30)),
        "CORP-1": ("Sept06 / Apr07", dt.date(2007, 4, 30)),
        "CORP-2": ("Sept06 / Apr07", dt.date(2007, 4, 30)),
        "CORP-3": ("June 06", dt.date(2006, 6, 30)),
        "CORP-4": ("Apr06", dt.date(2006, 4, 30)),
        "CORP-5": ("July 06", dt.date(2006, 7, 31)),
        "CORP-6": ("Sept 06", dt.date(2006, 9, 30)),
    }

    def test_due_dates(self, ssp_plan):
        for o in objectives_of(ssp_plan):
            # Undated objectives are for the year: due at its end, with no due words.
            expected = self.DUE.get(o.reference, ("", dt.date(2007, 3, 31)))
            assert (o.due_text, o.due_date) == expected, o.reference

    def test_undated_ones_include_ongoing_and_financial_years(self, ssp_plan):
        by_ref = {o.reference: o for o in objectives_of(ssp_plan)}
        assert by_ref["FIN-4"].measure == "Ongoing – Monthly"
        assert by_ref["FIN-5"].measure == "Monthly"
        assert by_ref["CORP-9"].text.endswith("effective 2006/07")
        for ref in ("FIN-4", "FIN-5", "CORP-9"):
            assert (by_ref[ref].due_text, by_ref[ref].due_date) == ("", dt.date(2007, 3, 31))

    def test_no_progress_recorded(self, ssp_plan):
        objectives = ssp_plan.objectives.all()
        assert not objectives.exclude(status="not_started").exists()
        assert not objectives.filter(latest_update__isnull=False).exists()


# Editorial cross-references (the source has no cross-reference table): reference ->
# (strategic priority, short/medium-term objective). All other objectives have neither.
CROSS_REFERENCES = {
    "FAC-1": (7, 2),
    "FAC-3": (None, 12),
    "FAC-4": (7, None),
    "FAC-5": (1, 1),
    "FAC-6": (None, 9),
    "SUP-2": (2, None),
    "SUP-3": (None, 10),
    "SUP-5": (None, 10),
    "PM-1": (3, 4),
    "PM-2": (3, None),
    "FIN-3": (None, 1),
    "HR-1": (7, 4),
    "HR-2": (7, 2),
    "HR-3": (7, 2),
    "HR-4": (7, None),
    "HR-5": (3, 3),
    "CORP-1": (4, None),
    "CORP-3": (None, 4),
    "CORP-4": (5, None),
    "CORP-5": (1, 1),
    "CORP-7": (None, 5),
    "CORP-8": (6, 6),
    "PSS-1": (None, 10),
    "PSS-2": (None, 10),
    "PSS-3": (None, 10),
    "PSS-4": (None, 10),
    "PSS-5": (None, 10),
}


class TestCrossReferences:
    def test_links(self, ssp_plan):
        objectives = ssp_plan.objectives.select_related("strategic_priority", "strategic_objective")
        for o in objectives:
            priority = o.strategic_priority.number if o.strategic_priority else None
            objective = o.strategic_objective.number if o.strategic_objective else None
            assert (priority, objective) == CROSS_REFERENCES.get(o.reference, (None, None)), (
                o.reference
            )

    def test_links_are_the_plans_own(self, ssp_plan):
        assert not ssp_plan.objectives.exclude(strategic_priority__plan=ssp_plan).exclude(
            strategic_priority=None
        )
        assert not ssp_plan.objectives.exclude(strategic_objective__plan=ssp_plan).exclude(
            strategic_objective=None
        )

    def test_named_examples(self, ssp_plan):
        by_ref = {o.reference: o for o in ssp_plan.objectives.all()}
        assert "Call-Centre" in by_ref["FAC-3"].text
        assert "call centre" in by_ref["FAC-3"].strategic_objective.text
        assert "Orchard Hill" in by_ref["FAC-6"].strategic_objective.text
        assert by_ref["PM-1"].strategic_priority.title.startswith(
            "Develop an approach to Performance Management"
        )
        assert by_ref["HR-1"].strategic_priority.title.startswith("Improve training")
        assert "Procurement" in by_ref["PSS-1"].strategic_objective.text


# ---------------------------------------------------------------------------------------------
# KPIs
# ---------------------------------------------------------------------------------------------

KPIS = {
    "F2": ("SSP (2) Influencable spend (Supplies)", "higher"),
    "F3": ("200% ROI in year", "higher"),
    "C5": ("PCT Site Running Cost per M2 by site", "lower"),
    "C6": ("Facilities helpdesk job nos and response times", "neutral"),
    "P1": ("Sickness Rate (Short/long term per dept)", "lower"),
    "P2": ("Sickness cost (per dept)", "lower"),
    "L1": ("% Mandatory staff training completed", "higher"),
    "L2": ("SSP % PDRs completed", "higher"),
    "L4": ("SSP Staff Survey Results", "higher"),
    "L5": ("staff demographics", "neutral"),
    "L6": ("Non Mandatory Staff Training completed", "higher"),
    "L7": ("SSP Staff Communications and Knowledge Transfer", "higher"),
}

KPI_LINKS = {
    "FAC-4": {"P1", "P2", "L1", "L2", "L6", "L7"},
    "FAC-8": {"C5", "C6"},
    "SUP-1": {"F2"},
    "HR-1": {"L2"},
    "HR-5": {"L4", "L5"},
    "CORP-4": {"L4", "L7"},
    "PSS-5": {"F3"},
}


class TestKPIs:
    def test_codes_names_perspectives_polarity(self, ssp_plan):
        kpis = KPI.objects.filter(plan=ssp_plan)
        assert {k.code: (k.name, k.polarity) for k in kpis} == KPIS
        for k in kpis:
            assert k.perspective == k.code[0]

    def test_every_code_and_name_is_printed(self, ssp_plan, lines):
        text = "\n".join(lines)
        for code, (name, _) in KPIS.items():
            assert re.search(rf"\b{code}\b", text), code
            assert name.lower() in text.lower(), name

    def test_f3_target(self, ssp_plan):
        f3 = KPI.objects.get(plan=ssp_plan, code="F3")
        assert (f3.current_target.target, f3.unit) == (Decimal("200"), "%")

    def test_frequency(self, ssp_plan):
        kpis = KPI.objects.filter(plan=ssp_plan)
        assert {k.code for k in kpis if k.frequency != "quarterly"} == {"L4"}
        assert kpis.get(code="L4").frequency == "annual"

    def test_links_to_objectives(self, ssp_plan):
        links = {
            o.reference: {k.code for k in o.kpis.all()}
            for o in ssp_plan.objectives.prefetch_related("kpis")
            if o.kpis.all()
        }
        assert links == KPI_LINKS

    def test_links_follow_the_codes_printed_in_each_kpi_text(self, ssp_plan, lines):
        objectives = objectives_of(ssp_plan)
        rows = appendix_2_rows(lines)
        assert len(rows) == len(objectives)
        for o, (_, _, kpi_text) in zip(objectives, rows, strict=True):
            printed = set(re.findall(r"\b([FCPL]\d)\b", kpi_text))
            assert {k.code for k in o.kpis.all()} == printed, o.reference

    def test_kpis_in_development_get_no_invented_code(self, ssp_plan):
        developing = ssp_plan.objectives.filter(measure__startswith="KPI being developed")
        assert developing.count() == 3
        assert not developing.filter(kpis__isnull=False).exists()
        assert KPI.objects.filter(plan=ssp_plan).count() == 12


# ---------------------------------------------------------------------------------------------
# Appendix 3: budgets, as printed
# ---------------------------------------------------------------------------------------------

SERVICE_LINES = [
    "Membership Fee / O'heads",
    "Management Services",
    "Shared Services",
    "Estates Services",
    "Facilities Services",
]

# Funder as printed: its five cells (None for a blank cell) and its printed row total.
INCOME = {
    "Wandsworth PCT": ([101000, 1329709, 953541, 2372555, 475566], 5232372),
    "Sutton & Merton PCT": ([98653, 770536, 1318974, 1555099, 2082494], 5825756),
    "Richmond & Tw PCT": ([28510, 219152, 83145, 498871, 930352], 1760031),
    "Kingston PCT": ([9234, 187807, 59184, 0, 0], 256225),
    "Croydon PCT": ([9234, 203500, 12000, 17230, 0], 241964),
    "SW London Strat HA": ([1121, 2763, 16254, 0, 0], 20138),
    "St Georges NHS T": ([None, 60300, 24000, None, None], 84300),
    "Others": ([None, 102536, 120000, None, None], 222536),
}
FUNDER_ORGANISATION = {
    "Wandsworth PCT": "Wandsworth PCT",
    "Sutton & Merton PCT": "Sutton & Merton PCT",
    "Richmond & Tw PCT": "Richmond & Twickenham PCT",
    "Kingston PCT": "Kingston PCT",
    "Croydon PCT": "Croydon PCT",
    "SW London Strat HA": "SWL Strategic Health Authority",
    "St Georges NHS T": "St George's NHS Trust",
    "Others": None,
}
COLUMN_TOTALS = [247752, 2876303, 2587098, 4443756, 3488412]
GRAND_TOTAL = 13643321

EXPENDITURE = [
    (
        "Chief Operating Officer",
        "Chief Operating Officer (including Premises costs and Host Body costs)",
        1213905,
    ),
    ("Head of Operations", "Head of Operations", 487866),
    ("Head of Services", "Head of Services", 124823),
    ("Head of Services", "Major Projects", 722422),
    ("Head of Services", "Contract Management", 133250),
    ("Head of Services", "Primary Care Development", 92927),
    ("Head of Services", "Supplies", 350557),
    ("Head of Services", "Facilities - Management", 660688),
    ("Head of Services", "Transport", 438376),
    ("Head of Services", "Facilities- Premises", 3072760),
    ("Head of Services", "Estates - Management & Staff", 1635850),
    ("Head of Services", "Estates - Premises", 4709897),
]
EXPENDITURE_TOTAL = 13643321


def computed(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or Decimal("0")


class TestBudget:
    def test_service_lines(self, ssp_plan):
        lines = ServiceLine.objects.filter(plan=ssp_plan).order_by("order")
        assert [s.name for s in lines] == SERVICE_LINES

    def test_every_income_cell(self, ssp_plan):
        loaded = {
            (i.funder_label, i.service_line.name): i.amount
            for i in IncomeLine.objects.filter(plan=ssp_plan).select_related("service_line")
        }
        expected = {
            (funder, SERVICE_LINES[n]): Decimal(amount)
            for funder, (cells, _) in INCOME.items()
            for n, amount in enumerate(cells)
            if amount is not None
        }
        assert loaded == expected
        assert len(loaded) == 34

    def test_printed_zero_is_a_line_and_blank_is_none(self, ssp_plan):
        income = IncomeLine.objects.filter(plan=ssp_plan)
        assert income.get(funder_label="Kingston PCT", service_line__name="Estates Services")
        assert income.filter(amount=0).count() == 5
        assert not income.filter(funder_label="Others", service_line__name="Estates Services")
        assert income.filter(funder_label="St Georges NHS T").count() == 2

    def test_income_year_and_funder_order(self, ssp_plan):
        income = IncomeLine.objects.filter(plan=ssp_plan)
        assert set(income.values_list("financial_year", flat=True)) == {2006}
        order = {i.funder_label: i.funder_order for i in income}
        assert sorted(order, key=order.get) == list(INCOME)

    def test_funders_are_linked_to_organisations(self, ssp_plan):
        for i in IncomeLine.objects.filter(plan=ssp_plan).select_related("funder"):
            name = i.funder.name if i.funder else None
            assert name == FUNDER_ORGANISATION[i.funder_label]

    def test_expenditure_lines(self, ssp_plan):
        loaded = ExpenditureLine.objects.filter(plan=ssp_plan).order_by("order")
        assert [(e.manager, e.description, e.amount) for e in loaded] == [
            (m, d, Decimal(a)) for m, d, a in EXPENDITURE
        ]
        assert {e.financial_year for e in loaded} == {2006}

    def test_printed_totals_are_stored_as_printed(self, ssp_plan):
        printed = {(p.scope, p.label): p.amount for p in PrintedTotal.objects.filter(plan=ssp_plan)}
        expected = {(TotalScope.INCOME_FUNDER, f): Decimal(t) for f, (_, t) in INCOME.items()}
        expected |= {
            (TotalScope.INCOME_SERVICE_LINE, s): Decimal(t)
            for s, t in zip(SERVICE_LINES, COLUMN_TOTALS, strict=True)
        }
        expected[(TotalScope.INCOME_GRAND, "")] = Decimal(GRAND_TOTAL)
        expected[(TotalScope.EXPENDITURE_GRAND, "")] = Decimal(EXPENDITURE_TOTAL)
        assert printed == expected

    def test_computed_row_totals_against_printed(self, ssp_plan):
        """Lines are as printed, so the printed rounding shows: two rows are £1 short."""
        income = IncomeLine.objects.filter(plan=ssp_plan)
        differences = {}
        for funder, (_, printed) in INCOME.items():
            total = computed(income.filter(funder_label=funder))
            if total != printed:
                differences[funder] = (total, Decimal(printed))
        assert differences == {
            "Wandsworth PCT": (Decimal(5232371), Decimal(5232372)),
            "Richmond & Tw PCT": (Decimal(1760030), Decimal(1760031)),
        }

    def test_computed_column_totals_against_printed(self, ssp_plan):
        income = IncomeLine.objects.filter(plan=ssp_plan)
        differences = {}
        for name, printed in zip(SERVICE_LINES, COLUMN_TOTALS, strict=True):
            total = computed(income.filter(service_line__name=name))
            if total != printed:
                differences[name] = (total, Decimal(printed))
        assert differences == {"Estates Services": (Decimal(4443755), Decimal(4443756))}

    def test_computed_grand_totals_against_printed(self, ssp_plan):
        income = computed(IncomeLine.objects.filter(plan=ssp_plan))
        expenditure = computed(ExpenditureLine.objects.filter(plan=ssp_plan))
        assert income == Decimal(13643320)  # printed 13,643,321
        assert expenditure == Decimal(13643321)  # printed 13,643,321
        assert income != GRAND_TOTAL
        assert expenditure == EXPENDITURE_TOTAL
        # Even the printed totals disagree: the rows add to 13,643,322, the columns to 13,643,321.
        assert sum(t for _, t in INCOME.values()) == 13643322
        assert sum(COLUMN_TOTALS) == 13643321

    def test_the_source_prints_these_figures(self, lines):
        """The literal tables above are the document's: each figure appears on its row."""
        text = {line.split("\t")[0].strip(): line for line in lines if "\t" in line}
        for funder, (cells, total) in INCOME.items():
            printed = [c.strip() for c in text[funder].split("\t")[1:]]
            assert printed == ["" if c is None else f"{c:,}" for c in cells] + [f"{total:,}"]
        column_totals = next(line for line in lines if re.match(r"\t<u>[\d,]+</u>", line))
        assert re.findall(r"<u>([\d,]+)</u>", column_totals) == [
            f"{t:,}" for t in [*COLUMN_TOTALS, GRAND_TOTAL]
        ]
        expenditure_total = next(line for line in lines if line.startswith("\t\t\t\t\t\t<u>"))
        assert expenditure_total.strip() == f"<u>{EXPENDITURE_TOTAL:,}</u>"
        for _, description, amount in EXPENDITURE:
            row = next(line for line in lines if f"\t{description}\t" in line)
            assert row.rstrip().endswith(f"{amount:,}") or f"<u>{amount:,}</u>" in row


# ---------------------------------------------------------------------------------------------
# Loading: idempotent and all-or-nothing
# ---------------------------------------------------------------------------------------------

MODELS = [
    Organisation,
    ClientRelationship,
    OrgUnit,
    Plan,
    PlanSection,
    VisionBullet,
    Value,
    StrategicPriority,
    StrategicObjective,
    PestelDriver,
    SwotItem,
    Objective,
    Objective.kpis.through,
    KPI,
    ServiceLine,
    IncomeLine,
    ExpenditureLine,
    PrintedTotal,
]

EXPECTED_COUNTS = {
    "Organisation": 8,
    "ClientRelationship": 7,
    "OrgUnit": 17,
    "Plan": 1,
    "PlanSection": 15,
    "VisionBullet": 7,
    "Value": 12,
    "StrategicPriority": 7,
    "StrategicObjective": 13,
    "PestelDriver": 21,
    "SwotItem": 23,
    "Objective": 63,
    "Objective_kpis": 15,
    "KPI": 12,
    "ServiceLine": 5,
    "IncomeLine": 34,
    "ExpenditureLine": 12,
    "PrintedTotal": 15,
}


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def all_row_counts() -> dict[str, int]:
    """Rows in every table of the project's apps, history and link tables included; not the
    content version, whose single row exists from the migration on whatever is loaded."""
    return {
        model._meta.label: model._default_manager.count()
        for name in ("planning", "objectives", "kpis", "budgets", "swot")
        for model in apps.get_app_config(name).get_models(include_auto_created=True)
        if model is not ContentVersion
    }


class TestLoading:
    def test_counts(self, ssp_alone):
        assert row_counts() == EXPECTED_COUNTS

    def test_loading_twice_changes_nothing(self, ssp_alone):
        before = all_row_counts()
        plan, created = ssp.load()
        assert (plan, created) == (ssp_alone, False)
        assert all_row_counts() == before

    def test_existing_plan_is_left_as_it_is(self, ssp_alone):
        Plan.objects.filter(pk=ssp_alone.pk).update(title="Edited")
        plan, created = ssp.load()
        assert not created
        assert plan.title == "Edited"

    def test_failure_half_way_leaves_nothing(self, db, monkeypatch):
        def fail(*args, **kwargs):
            raise RuntimeError("budget step failed")

        monkeypatch.setattr(ssp, "_create_budget", fail)
        with pytest.raises(RuntimeError), transaction.atomic():
            ssp.load()
        assert set(all_row_counts().values()) == {0}

    def test_failure_inside_load_alone_leaves_nothing(self, db, monkeypatch):
        """load() is atomic by itself too, not only inside load_demo()'s transaction."""
        monkeypatch.setattr(ssp, "_create_budget", lambda *a: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            ssp.load()
        assert set(all_row_counts().values()) == {0}
        monkeypatch.undo()
        plan, created = ssp.load()  # and a later load succeeds
        assert created

    def test_load_demo_twice_changes_nothing(self, db):
        pytest.importorskip("demo.ccg")
        from demo.loader import load_demo

        load_demo()
        before = all_row_counts()
        report = load_demo()
        assert all_row_counts() == before
        assert "Already loaded: Business Plan 2006/07" in report
        assert Plan.objects.get(slug=ssp.PLAN_SLUG).objectives.count() == 63

    def test_load_demo_failure_leaves_nothing(self, db, monkeypatch):
        pytest.importorskip("demo.ccg")
        from demo.loader import load_demo

        monkeypatch.setattr(ssp, "_create_budget", lambda *a: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            load_demo()
        assert set(all_row_counts().values()) == {0}
