"""What each PDF shows, read through the same selectors as the pages that show it.

- The annual plan: `reporting.plan_page.plan_page()` (the plan page's own read: priorities,
  objectives and their grouping, the document-control block) plus the plan's narrative sections,
  SWOT, PESTEL, KPIs and budget.
- The action plan: the objectives table's own filters (`objectives.filters.objective_filter`, i.e.
  `ObjectiveFilter` over `Objective.objects.for_user(...).with_related()`), grouped by
  department, or programme and goal, as the plan page groups them.
- The board pack: `reporting.scorecard.scorecard_for()` and `kpis.charts`, as the scorecard page.

Each read runs a fixed number of queries, whatever the number of objectives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby

from django.db.models import prefetch_related_objects
from django.http import QueryDict
from django.utils import timezone

from assurance.selectors import BoardAssurance, board_assurance, plan_risk_assurance
from budgets.selectors import budget_summary_for
from delivery.models import DeliveryItem
from frameworks import selectors as framework_selectors
from kpis.models import KPI
from objectives.filters import (  # noqa: F401 (InvalidFilters re-exported)
    InvalidFilters,
    filter_summary,
    objective_filter,
    valid_objective_filter,
)
from objectives.models import Objective, ObjectiveKind
from planning import narrative, versions
from planning.fy import fy_label
from planning.models import Plan, Programme, SectionKind
from reporting import plan_page as plan_selectors
from reporting.scorecard import scorecard_for
from swot.models import PestelCategory, Quadrant

# ---------------------------------------------------------------------------------------------
# Narrative text: plain text with blank lines between paragraphs, "- " bullets, "1. " numbers
# ---------------------------------------------------------------------------------------------

BULLET = re.compile(r"^\s*[-•]\s+(?P<text>.*)$")
NUMBERED = re.compile(r"^\s*(?P<label>\d{1,3})[.)]\s+(?P<text>.*)$")


@dataclass
class ListItem:
    text: str
    label: str = ""  # "SP3", "4." … shown before the text; empty for a plain bullet


@dataclass
class Block:
    kind: str  # "p", "ul" or "ol"
    text: str = ""  # a paragraph (its single line breaks kept)
    items: list[ListItem] = field(default_factory=list)


def text_blocks(body: str) -> list[Block]:
    """Paragraphs, bulleted and numbered lists, in order. Everything stays text (escaped by the
    template): nothing in a body is ever read as markup."""
    blocks: list[Block] = []
    for paragraph in re.split(r"\n[ \t]*\n", body.strip()):
        lines = [line.rstrip() for line in paragraph.splitlines() if line.strip()]
        for kind, run in groupby(lines, key=_line_kind):
            run = list(run)
            if kind == "ul":
                items = [ListItem(BULLET.match(line)["text"]) for line in run]
            elif kind == "ol":
                items = [
                    ListItem(m["text"], f"{m['label']}.")
                    for m in (NUMBERED.match(line) for line in run)
                ]
            else:
                blocks.append(Block("p", text="\n".join(line.strip() for line in run)))
                continue
            blocks.append(Block(kind, items=items))
    return blocks


def _line_kind(line: str) -> str:
    if BULLET.match(line):
        return "ul"
    if NUMBERED.match(line):
        return "ol"
    return "p"


def normalise(text: str) -> str:
    """For comparing a record's text with a section's: quotes, spaces and case ignored."""
    text = text.translate({ord("‘"): "'", ord("’"): "'", ord("“"): '"', ord("”"): '"'})
    return " ".join(text.split()).casefold()


def _label_lists(blocks: list[Block], records: list[tuple[str, str]]) -> bool:
    """Number a list that is the plan's priorities (or short/medium-term objectives) as the
    records number them, so the appendices' cross-references can be followed. True if found."""
    wanted = [normalise(text) for _, text in records]
    found = False
    for block in blocks:
        if block.kind in ("ul", "ol") and [normalise(i.text) for i in block.items] == wanted:
            for item, (label, _) in zip(block.items, records, strict=True):
                item.label = label
            block.kind = "ol"
            found = True
    return found


# ---------------------------------------------------------------------------------------------
# The annual plan
# ---------------------------------------------------------------------------------------------


@dataclass
class Section:
    anchor: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    # Structured records shown with the section: "kpis", "priorities", "objectives", "aim",
    # "values" (see the template).
    extras: list[str] = field(default_factory=list)
    # A body written with markup: planning.narrative's safe HTML, shown as the plan page shows it.
    html: str = ""


@dataclass
class BudgetYear:
    financial_year: int
    label: str
    summary: object  # budgets.summary.BudgetSummary


@dataclass
class Appendix:
    anchor: str
    number: str
    title: str
    kind: str  # "analysis", "objectives", "budget", "section", "framework", "gap_analysis"
    section: Section | None = None
    budget: BudgetYear | None = None
    wide: bool = False
    framework: object = None  # frameworks.selectors.FrameworkPage
    gap_analysis: object = None  # frameworks.models.GapAnalysis, its dimensions prefetched

    @property
    def heading(self) -> str:
        if self.kind == "section":
            return self.title
        return f"Appendix {self.number}: {self.title}"


@dataclass
class PlanDocument:
    plan: Plan
    page: plan_selectors.PlanPage
    sections: list[Section]
    appendices: list[Appendix]
    priorities: list
    short_term: list
    swot: list[tuple[str, list]]  # [(quadrant label, items)] in S, W, O, T order
    pestel: list[tuple[str, list]]
    departments: list
    programmes: list
    kpis: list[KPI]
    budgets: list[BudgetYear]
    # Document control: the version history, and what changed since the previous version.
    version_rows: list[dict] = field(default_factory=list)
    changes: versions.Comparison | None = None
    # The risk appendix (assurance): the plan's risks, as the BAF shows them; None without any.
    risks: BoardAssurance | None = None
    as_at: object = None

    @property
    def draft(self) -> bool:
        return self.plan.is_draft_mark_needed

    @cached_property
    def has_leads(self) -> bool:
        """Whether any objective names a lead or SRO: if none does, the column is left out."""
        return any(
            o.lead_text or o.sro_text or o.lead_roles.all() or o.sro_roles.all()
            for group in [*self.departments, *(g for p in self.programmes for g in p.goals)]
            for o in group.objectives
        )

    @property
    def swot_grid(self):
        """The four quadrants as two rows of two: (Strengths, Weaknesses), (Opportunities,
        Threats), as the source prints them."""
        quadrants = dict(self.swot)
        labels = [q.label for q in Quadrant]
        return [
            [(label, quadrants.get(label, [])) for label in labels[:2]],
            [(label, quadrants.get(label, [])) for label in labels[2:]],
        ]


def plan_for_document(plan_id: int) -> Plan:
    """The plan as the plan page reads it (Plan.objects.with_structure())."""
    return (
        Plan.objects.with_structure()
        .prefetch_related(
            "strategic_priorities", "kpis", "kpis__targets", "swot_items", "pestel_drivers"
        )
        .get(pk=plan_id)
    )


def plan_document(plan: Plan) -> PlanDocument:
    """Everything the annual plan PDF shows. Expects `plan` from plan_for_document()."""
    page = plan_selectors.plan_page(plan)
    priorities = list(plan.strategic_priorities.all())
    short_term = list(plan.strategic_objectives.all())

    sections, appendix_sections = _sections(plan, priorities, short_term)

    objectives = _all_objectives(page)
    prefetch_related_objects(objectives, "sro_roles")
    programmes_by_id = {p.pk: p for p in plan.programmes.all()}
    departments, programmes = plan_selectors._unlinked_groups(objectives, programmes_by_id)

    swot = _grouped(plan.swot_items.all(), "quadrant", Quadrant)
    pestel = _grouped(plan.pestel_drivers.all(), "category", PestelCategory)
    kpis = list(plan.kpis.all())
    budgets = [
        BudgetYear(year, _fy_label(year), summary)
        for year in plan.financial_years
        if (summary := budget_summary(plan, year)) is not None
    ]

    appendices: list[Appendix] = []

    def add(title, kind, *, wide=False):
        number = str(len(appendices) + 1)
        appendices.append(Appendix(f"appendix-{number}", number, title, kind, wide=wide))

    if swot or pestel:
        names = [n for n, has in (("SWOT", swot), ("PESTEL", pestel)) if has]
        add(f"{' and '.join(names)} analysis", "analysis")
    if objectives:
        kinds = {o.kind for o in objectives}
        if kinds == {ObjectiveKind.OPERATIONAL}:
            name = "Operational objectives"
        elif kinds == {ObjectiveKind.ACTION}:
            name = "Action plan"
        else:
            name = "Objectives and actions"
        add(f"{name} {plan.period_label}", "objectives", wide=True)
    for budget in budgets:
        add(f"Summary of proposed budgets {budget.label}", "budget", wide=True)
        appendices[-1].budget = budget
    as_at = timezone.localdate()
    risks = plan_risk_assurance(plan, as_at)
    for section in appendix_sections:
        appendices.append(Appendix(section.anchor, "", section.title, "section", section=section))
    # The assurance and frameworks appendices come after the plan's own, numbered on from the
    # highest number used (the plan's own appendix sections print theirs).
    if risks.rows:
        number = str(_next_appendix_number(appendices))
        appendices.append(
            Appendix(f"appendix-{number}", number, "Risk register", "risks", wide=True)
        )
    _add_framework_appendices(plan, appendices)

    return PlanDocument(
        plan=plan,
        page=page,
        sections=sections,
        appendices=appendices,
        priorities=priorities,
        short_term=short_term,
        swot=swot,
        pestel=pestel,
        departments=departments,
        programmes=programmes,
        kpis=kpis,
        budgets=budgets,
        version_rows=versions.version_rows(plan, history := versions.history(plan)),
        changes=versions.changes_since_previous(plan, history),
        risks=risks if risks.rows else None,
        as_at=as_at,
    )


PRINTED_APPENDIX = re.compile(r"^\s*Appendix\s+(\d{1,3})\b", re.IGNORECASE)


def _next_appendix_number(appendices: list[Appendix]) -> int:
    used = [int(a.number) for a in appendices if a.number.isdigit()]
    used += [int(m[1]) for a in appendices if (m := PRINTED_APPENDIX.match(a.title))]
    return max(used, default=0) + 1


def _add_framework_appendices(plan: Plan, appendices: list[Appendix]) -> None:
    """The competency frameworks linked to the plan and the plan's gap analyses, after every
    other appendix, numbered on from the highest number used (the plan's own appendix sections
    print theirs, "Appendix 4: …")."""
    frameworks, analyses = framework_selectors.plan_appendices(plan, today=timezone.localdate())
    number = _next_appendix_number(appendices) - 1
    for page in frameworks:
        number += 1
        appendices.append(
            Appendix(
                f"appendix-{number}", str(number), page.framework.name, "framework", framework=page
            )
        )
    for analysis in analyses:
        number += 1
        appendices.append(
            Appendix(
                f"appendix-{number}",
                str(number),
                f"Gap analysis: {analysis.title}",
                "gap_analysis",
                gap_analysis=analysis,
            )
        )


def _fy_label(year: int) -> str:
    return fy_label(year)


def _grouped(items, attribute: str, choices) -> list[tuple[str, list]]:
    by_value: dict[str, list] = {}
    for item in items:
        by_value.setdefault(getattr(item, attribute), []).append(item)
    return [(c.label, by_value[c.value]) for c in choices if c.value in by_value]


def _all_objectives(page) -> list[Objective]:
    """Every objective plan_page() read, in the plan's order."""
    objectives = [o for group in page.priorities for o in group.objectives]
    objectives += [o for group in page.departments for o in group.objectives]
    objectives += [o for group in page.programmes for goal in group.goals for o in goal.objectives]
    return sorted(objectives, key=lambda o: (o.order, o.pk))


APPENDIX_TITLE = re.compile(r"^\s*appendix\b", re.IGNORECASE)


def _sections(plan: Plan, priorities, short_term) -> tuple[list[Section], list[Section]]:
    """The narrative sections in order, with the structured records that belong to them; the
    sections titled "Appendix …" apart, for the end of the document."""
    main: list[Section] = []
    appendix: list[Section] = []
    by_kind: dict[str, Section] = {}
    for record in plan.sections.all():
        if narrative.has_markup(record.body):
            section = Section(
                f"section-{record.pk}", record.title, html=narrative.to_html(record.body)
            )
        else:
            section = Section(f"section-{record.pk}", record.title, text_blocks(record.body))
        (appendix if APPENDIX_TITLE.match(record.title) else main).append(section)
        by_kind.setdefault(record.kind, section)

    all_blocks = [b for s in main + appendix for b in s.blocks]
    corpus = normalise(" ".join(" ".join([b.text, *(i.text for i in b.items)]) for b in all_blocks))

    def covered(text: str) -> bool:
        return not text.strip() or normalise(text) in corpus

    def home(kind: str, title: str) -> Section:
        section = by_kind.get(kind)
        if section is None:
            section = by_kind[kind] = Section(f"generated-{kind}", title)
            main.append(section)
        return section

    # Priorities and short/medium-term objectives: numbered where a section lists them, shown
    # as records where none does.
    labelled = [(f"SP{p.number}", p.title) for p in priorities]
    if priorities and not _label_lists(all_blocks, labelled):
        home(SectionKind.STRATEGIC_OBJECTIVES, "Strategic objectives").extras.append("priorities")
    numbered = [(f"{o.number}.", o.text) for o in short_term]
    if short_term and not _label_lists(all_blocks, numbered):
        home(SectionKind.STRATEGIC_OBJECTIVES, "Strategic objectives").extras.append("objectives")

    bullets = [b.text for b in plan.vision_bullets.all()]
    if not all(covered(t) for t in [plan.aim, plan.vision, plan.core_purpose, *bullets]):
        home(SectionKind.AIM_AND_VISION, "Aim and vision").extras.append("aim")
    if not all(covered(v.text) for v in plan.values.all()):
        home(SectionKind.VALUES, "Values").extras.append("values")
    if plan.kpis.all():
        home(SectionKind.PERFORMANCE_MANAGEMENT, "Performance management").extras.append("kpis")
    return main, appendix


# ---------------------------------------------------------------------------------------------
# The budget summary (Appendix 3)
# ---------------------------------------------------------------------------------------------


def budget_summary(plan: Plan, year: int):
    """The year's budget summary (budgets.selectors, as the budget pages), or None if the plan
    has no budget lines that year."""
    summary = budget_summary_for(plan, year)
    return None if summary.is_empty else summary


# ---------------------------------------------------------------------------------------------
# The action plan: the objectives table as filtered on screen
# ---------------------------------------------------------------------------------------------


@dataclass
class PlanActions:
    plan: Plan
    departments: list
    programmes: list
    count: int


@dataclass
class ActionPlanDocument:
    plans: list[PlanActions]
    filters: list[tuple[str, str]]  # (label, value) of each filter applied
    count: int

    @property
    def draft(self) -> bool:
        return any(p.plan.is_draft_mark_needed for p in self.plans)

    @property
    def single_plan(self) -> Plan | None:
        return self.plans[0].plan if len(self.plans) == 1 else None


def filtered_objectives(user, data: QueryDict):
    """The objectives table's filterset for these query-string filters (the table's own)."""
    return valid_objective_filter(user, data)


def action_objectives(user, data: QueryDict, org_ids):
    """The rows of the action plan: filtered as on screen, within the organisations given."""
    filterset = filtered_objectives(user, data)
    queryset = filterset.qs.filter(plan__organisation__in=list(org_ids)).order_by("plan", "order")
    return filterset, queryset


def action_plan_document(user, data: QueryDict, org_ids) -> ActionPlanDocument:
    filterset, queryset = action_objectives(user, data, org_ids)
    objectives = list(queryset.prefetch_related("lead_roles", "sro_roles"))
    plans = {o.plan_id: o.plan for o in objectives}
    programmes = Programme.objects.filter(plan__in=list(plans)).select_related("lead_role")
    programmes_by_id = {p.pk: p for p in programmes}
    groups = []
    for plan_id, rows in groupby(objectives, key=lambda o: o.plan_id):
        rows = list(rows)
        departments, programme_groups = plan_selectors._unlinked_groups(rows, programmes_by_id)
        groups.append(PlanActions(plans[plan_id], departments, programme_groups, len(rows)))
    return ActionPlanDocument(
        plans=groups, filters=filter_summary(filterset), count=len(objectives)
    )


# ---------------------------------------------------------------------------------------------
# Sizes: what decides between rendering now and rendering in the background
# ---------------------------------------------------------------------------------------------


def has_delivery_items(plan_id: int) -> bool:
    """Whether the plan has a delivery hierarchy to print as a programme report."""
    return DeliveryItem.objects.filter(plan_id=plan_id).exists()


def objective_count(plan_id: int) -> int:
    return Objective.objects.filter(plan_id=plan_id).count()


# ---------------------------------------------------------------------------------------------
# The board pack: the scorecard page's own read
# ---------------------------------------------------------------------------------------------


def baf_document(plan: Plan, as_at) -> BoardAssurance:
    """The board pack's BAF section: the BAF page's own read (assurance.selectors)."""
    return board_assurance(plan, as_at)


def scorecard_document(plan: Plan, quarter):
    """The quarterly balanced scorecard (reporting.scorecard), as the page shows it."""
    return scorecard_for(plan, quarter)
