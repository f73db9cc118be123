"""The CCG demo plan checked against its source document, item by item.

Where practical the expectations are parsed here from the source text itself, independently of
the transcription in fixtures/ccg-od-strategy-2018-21.yaml; the rest are literal checks against
the document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import pytest

from demo import ccg
from objectives.models import Goal, Objective, ProgressUpdate
from planning.models import Organisation, Plan, PlanSection, Programme, Role
from tests.demo.conftest import read_source

SOURCE_NAME = "ccg-od-strategy-action-plan-2018-21.txt"

ACTION_CELL = re.compile(r"^(\d\.\d{1,2})\s+(?:-\s+)?(.+)$", re.S)
NEW_MARK = re.compile(r"\s*\((?:NEW|New)(?: – (previously online))?\)(\s*\.)?$")
MONTHS = {dt.date(2000, m, 1).strftime("%b"): m for m in range(1, 13)}

# Progress cells as written, and the status each states (empty: not started, no update).
PROGRESS = {
    "Completed": "completed",
    "Completed and ongoing": "completed_ongoing",
    "Completed - ongoing": "completed_ongoing",
    "In progress": "in_progress",
    "In progress.": "in_progress",
    "In progress – applications received": "in_progress",
    "In progress – training booked.": "in_progress",
    "In progress – training provider being sourced.": "in_progress",
    "In progress – training sourced and staff identified.": "in_progress",
}

EXPECTED_REFERENCES = (
    [f"6.{n}" for n in range(1, 48)]
    + [f"7.{n}" for n in range(1, 6)]
    + [f"8.{n}" for n in range(1, 9)]
    + [f"9.{n}" for n in range(1, 5)]
)
EXPECTED_NEW = {"6.20", *(f"6.{n}" for n in range(26, 43)), "8.8", "9.4"}

SECTION_TITLES = [
    "1. Introduction",
    "2.1 National Context",
    "2.2 Local Context",
    "2.3 CCG Governing Body",
    "2.4 CCG Staff",
    "2.5 Member Practices",
    "2.6 Wider Stakeholders",
    "2.7 Engagement",
    "3. Our OD approach",
    "4. Talent Mapping and Succession Planning",
    "5. Vision and Values",
]


# --- the source, parsed independently -----------------------------------------------------


@dataclass
class Row:
    domain: int
    section: str
    goal: str
    reference: str
    text: str
    sro: str
    lead: str
    due: str
    measure: str
    progress: str
    is_new: bool = False


@cache
def source_text() -> str:
    return read_source(SOURCE_NAME)


def action_plan_text() -> str:
    text = source_text()
    return text[text.index("6. Organisational Development Domains") :]


def strip_new(text: str) -> tuple[str, bool]:
    """Remove the "(NEW)" mark, keeping "previously online" and a full stop written after it."""
    match = NEW_MARK.search(text)
    if not match:
        return text, False
    kept = text[: match.start()]
    if match.group(1):
        kept += f" ({match.group(1)})"
    if match.group(2):
        kept += "."
    return kept, True


@cache
def source_rows() -> tuple[Row, ...]:
    """Every action row of the tab-separated tables, with its domain, section and goal."""
    rows: list[Row] = []
    domain, section, goal = 0, "", ""
    for line in action_plan_text().splitlines():
        heading = re.match(r"^(\d)\. \S", line)
        if heading:
            domain, section, goal = int(heading.group(1)), "", ""
            continue
        if "\t" not in line:
            continue
        cells = [c.strip() for c in line.split("\t")]
        if cells[0] == "OD Goal":  # a repeated table header
            continue
        at = next((i for i, c in enumerate(cells) if ACTION_CELL.match(c)), None)
        if at is None:
            (only,) = [c for c in cells if c]
            if only[0].islower():  # the tail of the row above, broken off by the conversion
                rows[-1].text += " " + only
            else:  # a sub-heading such as "CCG Staff"
                section = only
            continue
        if at == 1 and cells[0]:
            goal = cells[0]
        # at == 0: the conversion dropped the empty goal cell, so the row keeps the goal above.
        reference, text = ACTION_CELL.match(cells[at]).groups()
        sro, lead, due, measure, progress = cells[at + 1 : at + 6]
        lead = re.sub(r"\bE TO\b", "ETO", lead)
        rows.append(Row(domain, section, goal, reference, text, sro, lead, due, measure, progress))
    for row in rows:
        row.text, row.is_new = strip_new(row.text)
    return tuple(rows)


def last_day_of(text: str) -> dt.date:
    month, year = text.split()
    first = dt.date(int(year), MONTHS[month[:3]], 1)
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def roles_in(text: str) -> set[str]:
    return {part.strip() for part in text.split("/")}


def squash(text: str) -> str:
    """Whitespace collapsed, and the conversion's *emphasis* marks and "- " bullets removed."""
    text = re.sub(r"(?m)^\s*- ", "", text.replace("*", ""))
    return " ".join(text.split())


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def plan(db):
    plan, created = ccg.load()
    assert created
    return plan


def objectives_of(plan):
    return (
        Objective.objects.filter(plan=plan)
        .select_related("programme", "goal", "latest_update")
        .prefetch_related("sro_roles", "lead_roles")
        .order_by("order")
    )


# --- the parser itself ----------------------------------------------------------------------


def test_source_parser_finds_every_numbered_action():
    numbers = re.findall(r"(?m)(?:^|\t)(\d\.\d{1,2}) ", action_plan_text())
    assert numbers == EXPECTED_REFERENCES
    assert [r.reference for r in source_rows()] == EXPECTED_REFERENCES


# --- organisation and plan ------------------------------------------------------------------


def test_joint_organisation_holds_the_plan(plan):
    org = plan.organisation
    assert org.name == "Castle Point & Rochford and Southend CCGs"
    assert org.short_name == "CP&R and Southend CCGs"
    assert org.slug == "cpr-southend-ccgs"
    assert org.kind == "ccg"
    assert not org.client_relationships.exists()
    assert not org.provider_relationships.exists()


def test_document_control_block(plan):
    assert plan.slug == ccg.PLAN_SLUG == "ccg-od-strategy-2018-21"
    assert plan.kind == "od_strategy"
    assert plan.title == "Organisational Development Strategy and Action Plan"
    assert (plan.start_year, plan.end_year, plan.period_label) == (2018, 2020, "2018-21")
    assert plan.version_label == "4.0"
    assert plan.status == "ratified"
    assert not plan.is_draft_mark_needed
    assert plan.ratified_by == "CCG Governing Body"
    assert plan.date_ratified == dt.date(2020, 1, 1)
    assert plan.director_sponsor == "Director of Strategy and Planning"
    assert plan.author == "AD of Assurance"
    assert plan.date_issued == dt.date(2020, 1, 1)
    assert plan.review_date == dt.date(2022, 1, 1)
    assert plan.target_audience == "All CCG Staff"


def test_document_control_block_matches_source(plan):
    block = dict(
        line.split("\t", 1) for line in source_text().splitlines()[:16] if line.count("\t") == 1
    )
    assert block == {
        "Version:": plan.version_label,
        "Ratified by:": plan.ratified_by,
        "Date ratified:": plan.date_ratified.strftime("%B %Y"),
        "Name of Director Sponsor:": plan.director_sponsor,
        "Name of originator/author:": plan.author,
        "Date issued:": plan.date_issued.strftime("%B %Y"),
        "Review date:": plan.review_date.strftime("%B %Y"),
        "Target audience:": plan.target_audience,
    }


def test_vision_and_aim_are_the_documents_sentences(plan):
    assert plan.vision.startswith("Our vision is to enable the people of Castle Point, Rochford")
    assert plan.vision.endswith("caring and compassionate statutory services.")
    assert plan.aim.startswith("The key aim of the CCGs' OD Strategy is to ensure")
    assert plan.aim.endswith("transforming care across the local healthcare system.")
    source = source_text()
    assert plan.vision in source
    assert f"\n{plan.aim}\n" in source


# --- narrative sections ---------------------------------------------------------------------


def test_sections_in_document_order(plan):
    sections = list(plan.sections.order_by("order"))
    assert [s.title for s in sections] == SECTION_TITLES
    kinds = {s.title: s.kind for s in sections}
    assert kinds["1. Introduction"] == "introduction"
    assert {kinds[t] for t in SECTION_TITLES if t.startswith("2.")} == {"background"}
    assert kinds["5. Vision and Values"] == "values"
    source_lines = set(source_text().splitlines())
    assert all(title in source_lines for title in SECTION_TITLES)


def test_section_text_is_the_documents_own(plan):
    source = squash(source_text())
    for section in plan.sections.all():
        assert "*" not in section.body
        for paragraph in section.paragraphs:
            if ccg.FIGURE_MISSING in paragraph:
                continue
            assert squash(paragraph) in source, (section.title, paragraph[:60])


def test_sections_hold_every_line_of_the_narrative(plan):
    """Every prose line of sections 1 to 5 appears in some section (headings as titles)."""
    text = source_text()
    narrative = text[text.index("1. Introduction") : text.index("6. Organisational Development")]
    bodies = squash("\n\n".join(s.body for s in plan.sections.all()))
    # "2. Context" is the parent heading of the 2.x sections; "Fig. 1" a caption of an image.
    headings = {*SECTION_TITLES, "2. Context", "Fig. 1"}
    for line in narrative.splitlines():
        if line.strip() and line.strip() not in headings:
            assert squash(line) in bodies, line[:60]


def test_missing_figures_are_marked_not_invented(plan):
    body = plan.sections.get(title="5. Vision and Values").body
    assert body.count(ccg.FIGURE_MISSING) == 2
    assert "Fig. 1: [Figure not available in the source text]" in body
    assert "Fig. 2: [Figure not available in the source text]" in body


def test_od_approach_lists_domains_and_programme_areas_as_bullets(plan):
    section = plan.sections.get(title="3. Our OD approach")
    bullets = [line[2:] for line in section.body.splitlines() if line.startswith("- ")]
    assert bullets == [
        "As strong clinical and multi-professional focus with significant member engagement",
        "Meaningful involvement of patients, carers and the public",
        "Clear and credible plans",
        "Robust governance arrangements",
        "Collaborative commissioning",
        "Clinical leadership",
        "Leadership, structure and behaviours",
        "Financial management",
        "Governance and reporting arrangements",
        "Commissioning, contracting and transformation",
    ]


def test_paragraphs_broken_by_the_conversion_are_rejoined(plan):
    local = plan.sections.get(title="2.2 Local Context").paragraphs
    assert local[-1].endswith(
        "This engagement will be key to better understand those needs with local "
        "leadership/ownership and this OD Strategy is key to supporting this work."
    )
    engagement = plan.sections.get(title="2.7 Engagement").paragraphs
    assert "significant improvement upon the 2017/18 results. The CCGs continue" in engagement[-1]


# --- roles and domains ----------------------------------------------------------------------


def test_every_abbreviation_in_the_sro_and_lead_columns_is_a_role(plan):
    used = set().union(*(roles_in(r.sro) | roles_in(r.lead) for r in source_rows()))
    roles = Role.objects.filter(organisation=plan.organisation)
    assert {r.abbreviation for r in roles} == used
    assert len(used) == 19
    assert "DIP (CPR)" in used and "E TO" not in used
    assert set(ccg.ROLE_SOURCES) == used  # each title's provenance is recorded


def test_role_titles(plan):
    titles = dict(
        Role.objects.filter(organisation=plan.organisation).values_list("abbreviation", "title")
    )
    assert titles["AO"] == "Accountable Officer"
    assert titles["CFO"] == "Chief Finance Officer"
    assert titles["DSP"] == "Director of Strategy and Planning"
    assert titles["ADA"] == "Associate Director of Assurance"
    assert titles["CN"] == "Chief Nurse"
    assert titles["DIP (CPR)"] == (
        "Director of Integration and Partnerships (Castle Point and Rochford)"
    )
    assert titles["DCFO"] == "Deputy Chief Finance Officer"
    assert titles["HRBP"] == "HR Business Partner"
    assert titles["ETO"] == "Education and Training Officer"
    assert titles["ADQ"] == "Associate Director of QIPP"
    # Never expanded anywhere: kept as written rather than guessed.
    for unknown in ("ID", "CETO", "ADO", "MA", "DPCO"):
        assert titles[unknown] == unknown


def test_the_four_od_domains(plan):
    domains = [
        (p.number, p.title, p.aim, p.lead_text, p.lead_role.abbreviation)
        for p in Programme.objects.filter(plan=plan).select_related("lead_role")
    ]
    assert domains == [
        (
            6,
            "Leadership, Structure and Behaviours",
            "To reset the CCGs leadership, management structures and organisational behaviours"
            " / culture.",
            "Accountable Officer",
            "AO",
        ),
        (
            7,
            "Financial Management",
            "Develop a clearly defined Financial Recovery Plan and ensure appropriate capacity"
            " and capability is in place to deliver the plan.",
            "Chief Finance Officer",
            "CFO",
        ),
        (
            8,
            "Governance and Reporting Arrangements",
            "Committee structures should be fit for purpose, focused on areas of responsibility"
            " and provide timely assurance to the Governing Body.",
            "Accountable Officer",
            "AO",
        ),
        (
            9,
            "Commissioning, Contracting and Transformation",
            "Ensure GB members and Staff are supported to deliver the CCGs' organisational"
            " objectives and transformation plans",
            "Chief Finance Officer",
            "CFO",
        ),
    ]
    source = action_plan_text()
    for _, title, aim, lead, _ in domains[1:]:
        assert title in source and lead in source
        if not aim.startswith("Committee"):  # domain 8's aim is scrambled in the text
            assert aim in source


# --- goals ----------------------------------------------------------------------------------


def test_goals_in_order_with_domain_and_section(plan):
    expected: list[tuple[int, str, str]] = []
    for row in source_rows():
        key = (row.domain, row.section, row.goal)
        if not expected or expected[-1] != key:
            expected.append(key)
    goals = Goal.objects.filter(plan=plan).select_related("programme").order_by("order")
    assert [(g.programme.number, g.section, g.title) for g in goals] == expected
    assert len(expected) == 21
    assert [g.order for g in goals] == list(range(1, 22))
    sections = [s for _, s, _ in expected]
    assert sorted(set(sections), key=sections.index) == [
        "Governing Body",
        "Member Practices",
        "CCG Staff",
        "Organisational Level",
        "",
    ]


def test_row_with_dropped_goal_cell_keeps_the_goal_above(plan):
    goal = Objective.objects.get(plan=plan, reference="6.42").goal
    assert goal == Objective.objects.get(plan=plan, reference="6.41").goal
    assert goal.title == (
        "Workforce development and resilience/supporting staff through the change process"
    )


# --- actions --------------------------------------------------------------------------------


def test_action_counts(plan):
    objectives = Objective.objects.filter(plan=plan)
    assert objectives.count() == len(EXPECTED_REFERENCES) == 64
    per_domain = {n: objectives.filter(programme__number=n).count() for n in (6, 7, 8, 9)}
    assert per_domain == {6: 47, 7: 5, 8: 8, 9: 4}
    assert set(objectives.values_list("kind", flat=True)) == {"action"}


def test_every_action_matches_its_source_row(plan):
    rows = source_rows()
    objectives = list(objectives_of(plan))
    assert [o.reference for o in objectives] == [r.reference for r in rows]
    problems = []
    for row, obj in zip(rows, objectives, strict=True):
        got = {
            "text": obj.text,
            "is_new": obj.is_new,
            "domain": obj.programme.number,
            "goal": obj.goal.title,
            "section": obj.goal.section,
            "sro": obj.sro_text,
            "lead": obj.lead_text,
            "sro_roles": {r.abbreviation for r in obj.sro_roles.all()},
            "lead_roles": {r.abbreviation for r in obj.lead_roles.all()},
            "due": obj.due_text,
            "due_date": obj.due_date,
            "measure": obj.measure,
        }
        want = {
            "text": row.text,
            "is_new": row.is_new,
            "domain": row.domain,
            "goal": row.goal,
            "section": row.section,
            "sro": row.sro,
            "lead": row.lead,
            "sro_roles": roles_in(row.sro),
            "lead_roles": roles_in(row.lead),
            "due": row.due,
            "due_date": last_day_of(row.due),
            "measure": row.measure,
        }
        problems += [(row.reference, k, got[k], want[k]) for k in want if got[k] != want[k]]
    assert problems == []
    assert [o.order for o in objectives] == list(range(1, 65))


def test_new_flags(plan):
    new = set(Objective.objects.filter(plan=plan, is_new=True).values_list("reference", flat=True))
    assert new == EXPECTED_NEW == {r.reference for r in source_rows() if r.is_new}
    assert len(new) == 20
    assert not Objective.objects.filter(plan=plan, text__icontains="(new").exists()


def test_repaired_rows(plan):
    def action(ref):
        return Objective.objects.get(plan=plan, reference=ref)

    # 6.30's last words were moved to a line of their own.
    assert action("6.30").text.endswith("supporting a healthy workforce sessions for staff")
    assert action("6.30").is_new
    # "(NEW – previously online)" keeps its information.
    assert action("6.35").text.endswith("mandatory training programme (previously online)")
    # "(NEW) ." keeps the sentence's full stop; "8.2 - 100% ..." loses only the separator.
    assert action("6.34").text.endswith("to support discussions at the meeting.")
    assert action("8.2").text.startswith("100% of governance breaches investigated")
    # "ADA/E TO" is "ADA/ETO" broken by the conversion.
    assert action("6.35").lead_text == "ADA/ETO"
    assert {r.abbreviation for r in action("6.35").lead_roles.all()} == {"ADA", "ETO"}
    # "AO/ DIP (CPR)" is written with a space but is two roles.
    assert action("6.6").sro_text == "AO/ DIP (CPR)"
    assert {r.abbreviation for r in action("6.6").sro_roles.all()} == {"AO", "DIP (CPR)"}
    # 9.1's run-together list is kept as written.
    assert "Establishing ambitious but realistic targets Ensuring the value" in action("9.1").text


def test_due_dates_are_month_ends(plan):
    due = dict(Objective.objects.filter(plan=plan).values_list("reference", "due_date"))
    assert due["6.1"] == dt.date(2018, 12, 31)  # "Dec 2018"
    assert due["6.22"] == dt.date(2018, 9, 30)  # "Sept 2018"
    assert due["7.2"] == dt.date(2018, 3, 31)  # "March 2018"
    assert due["6.39"] == dt.date(2020, 2, 29)  # "Feb 2020", a leap year
    assert due["9.1"] == dt.date(2018, 4, 30)  # "April 2018"


# --- progress -------------------------------------------------------------------------------


def test_progress_updates_record_the_documents_progress_column(plan):
    rows = {r.reference: r for r in source_rows()}
    assert {r.progress for r in rows.values()} - {""} <= set(PROGRESS)
    updates = ProgressUpdate.objects.filter(objective__plan=plan).select_related("objective")
    assert updates.count() == sum(1 for r in rows.values() if r.progress) == 62
    for update in updates:
        row = rows[update.objective.reference]
        assert update.narrative == row.progress
        assert update.status == PROGRESS[row.progress]
        assert (update.financial_year, update.quarter) == (2019, 4)
        assert update.created_by is None
        assert update.rag == ""
        assert update.percent_complete == (100 if update.status.startswith("completed") else 0)


def test_objectives_carry_their_latest_update(plan):
    rows = {r.reference: r for r in source_rows()}
    for obj in objectives_of(plan):
        progress = rows[obj.reference].progress
        if not progress:
            assert obj.latest_update is None
            assert (obj.status, obj.rag, obj.percent_complete) == ("not_started", "", 0)
            assert not obj.updates.exists()
            continue
        update = obj.latest_update
        assert update is not None and update.objective_id == obj.pk
        assert (obj.status, obj.rag, obj.percent_complete) == (
            update.status,
            update.rag,
            update.percent_complete,
        )


def test_progress_literals(plan):
    def status_and_narrative(ref):
        obj = Objective.objects.select_related("latest_update").get(plan=plan, reference=ref)
        return obj.status, obj.latest_update.narrative if obj.latest_update else ""

    assert status_and_narrative("6.1") == ("completed", "Completed")
    assert status_and_narrative("6.8") == ("completed_ongoing", "Completed - ongoing")
    assert status_and_narrative("6.9") == ("completed_ongoing", "Completed and ongoing")
    assert status_and_narrative("6.26") == ("in_progress", "In progress – applications received")
    assert status_and_narrative("6.42") == ("in_progress", "In progress")
    assert status_and_narrative("6.20") == ("not_started", "")
    assert status_and_narrative("6.27") == ("not_started", "")
    assert not Objective.objects.filter(plan=plan).exclude(rag="").exists()


# --- loading --------------------------------------------------------------------------------

COUNTED = {
    "organisations": lambda: Organisation.objects.filter(slug="cpr-southend-ccgs"),
    "plans": lambda: Plan.objects.filter(slug=ccg.PLAN_SLUG),
    "sections": lambda: PlanSection.objects.filter(plan__slug=ccg.PLAN_SLUG),
    "roles": lambda: Role.objects.filter(organisation__slug="cpr-southend-ccgs"),
    "programmes": lambda: Programme.objects.filter(plan__slug=ccg.PLAN_SLUG),
    "goals": lambda: Goal.objects.filter(plan__slug=ccg.PLAN_SLUG),
    "objectives": lambda: Objective.objects.filter(plan__slug=ccg.PLAN_SLUG),
    "updates": lambda: ProgressUpdate.objects.filter(objective__plan__slug=ccg.PLAN_SLUG),
    "objective history": lambda: Objective.history.filter(plan__slug=ccg.PLAN_SLUG),
}


def counts() -> dict[str, int]:
    return {name: query().count() for name, query in COUNTED.items()}


def test_loading_twice_changes_nothing(plan):
    before = counts()
    assert before == {
        "organisations": 1,
        "plans": 1,
        "sections": 11,
        "roles": 19,
        "programmes": 4,
        "goals": 21,
        "objectives": 64,
        "updates": 62,
        "objective history": before["objective history"],
    }
    again, created = ccg.load()
    assert (again.pk, created) == (plan.pk, False)
    assert counts() == before


def test_a_failure_half_way_leaves_nothing(db, monkeypatch):
    calls = []
    real = ccg.record_progress

    def fail_half_way(objective, text):
        calls.append(objective.reference)
        if len(calls) == 32:
            raise RuntimeError("disk full")
        return real(objective, text)

    monkeypatch.setattr(ccg, "record_progress", fail_half_way)
    with pytest.raises(RuntimeError, match="disk full"):
        ccg.load()
    assert calls[-1] == "6.32"
    assert set(counts().values()) == {0}
    monkeypatch.undo()
    plan, created = ccg.load()
    assert created and counts()["objectives"] == 64
