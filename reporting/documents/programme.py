"""The programme report: a delivery plan (delivery app) as a cabinet or STP progress report.

Purpose; progress made (every item of the tree, programme by programme, with its description,
scope, outcomes, status, RAG and latest progress); next steps with their deadlines; benefits by
year (ranges added lows with lows and highs with highs, never across confidences, measures or
recurring and one-off figures); risks (the register's, linked at item level); dependencies and
lineage (both ends); governance (bodies, what they oversee, the decisions log); the plan's own
sections as an appendix.

A fixed number of queries whatever the plan's size (tests check 1x and 10x). Ranges are
delivery.ranges' (one idea, one place).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from assurance.models import Control, Risk, bands_of
from delivery.models import (
    Confidence,
    Decision,
    DeliveryItem,
    Dependency,
    GovernanceBody,
    Lineage,
    Measure,
    YearFigure,
)
from delivery.ranges import Range
from objectives.models import ProgressStatus
from planning.fy import fy_label
from planning.models import PartnershipMember, Plan
from planning.money import format_money
from reporting.documents.selectors import Block, Section, text_blocks


def add_ranges(ranges) -> Range | None:
    """The sum of one table cell's ranges (delivery.ranges: lows with lows, highs with highs);
    None for an empty cell. The cell is already one measure and one confidence."""
    ranges = list(ranges)
    return sum(ranges, Range.zero()) if ranges else None


# ---------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One item of the tree, in document order, with what the report prints of it."""

    item: DeliveryItem
    depth: int
    programme: DeliveryItem
    texts: list[tuple[str, list[Block]]]
    figures: list[YearFigure]

    @property
    def heading_level(self) -> int:
        return min(3 + self.depth, 6)

    @property
    def figure_rows(self) -> list[tuple[str, str, str]]:
        return [(f.get_measure_display(), figure_text(f), f.note) for f in self.figures]


@dataclass
class BenefitRow:
    measure: Measure
    confidence: Confidence
    recurring: bool
    cells: list[Range | None]

    @property
    def texts(self) -> list[str]:
        return [range_text(cell, self.measure) for cell in self.cells]

    @property
    def label(self) -> str:
        words = f"{self.measure.label}, {self.confidence.label.lower()}"
        return f"{words}, recurring" if self.recurring else words


@dataclass
class BenefitTable:
    title: str
    anchor: str
    rows: list[BenefitRow]


@dataclass
class RiskRow:
    risk: Risk
    items: list[DeliveryItem]


@dataclass
class BodyRow:
    body: GovernanceBody
    depth: int
    oversees_plan: bool
    items: list[DeliveryItem]


@dataclass
class ProgrammeDocument:
    plan: Plan
    entries: list[Entry]
    next_steps: list[Entry]
    years: list[int | None]
    benefits: list[BenefitTable]
    risks: list[RiskRow]
    dependencies: list[Dependency]
    lineage: list[Lineage]
    bodies: list[BodyRow]
    decisions: list[Decision]
    sections: list = field(default_factory=list)
    members: list[PartnershipMember] = field(default_factory=list)
    purpose: list[Block] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        return self.plan.is_draft_mark_needed

    @property
    def programmes(self) -> list[Entry]:
        return [e for e in self.entries if e.depth == 0]

    @property
    def year_labels(self) -> list[str]:
        return [year_label(y) for y in self.years]


def year_label(year: int | None) -> str:
    return fy_label(year) if year is not None else "Year not stated"


def amount_text(value: Decimal, measure: Measure) -> str:
    if measure.is_money:
        return format_money(value)
    return f"{value.normalize():f}".replace("-", "−") + " FTE"


def range_text(r: Range | None, measure: Measure) -> str:
    """ "£3,400,000 to £5,400,000", "£700,000", "−140 FTE to −104 FTE"; "—" for nothing."""
    if r is None:
        return "—"
    if r.is_point:
        return amount_text(r.low, measure)
    return f"{amount_text(r.low, measure)} to {amount_text(r.high, measure)}"


def figure_text(f: YearFigure) -> str:
    measure = Measure(f.measure)
    words = [range_text(Range(f.low, f.high), measure), year_label(f.financial_year)]
    if f.recurring:
        words.append("recurring")
    words.append(Confidence(f.confidence).label.lower())
    return ", ".join(words)


TEXT_FIELDS = [
    ("description", "Description"),
    ("case_for_change", "Case for change"),
    ("scope", "Scope"),
    ("outcomes", "Outcomes and benefits"),
]


def _items(plan: Plan) -> list[DeliveryItem]:
    return list(
        DeliveryItem.objects.filter(plan=plan)
        .select_related("parent", "latest_update", "sro_person")
        .prefetch_related(
            "organisations",
            "lead_roles",
            "lead_people",
            Prefetch("figures", queryset=YearFigure.objects.order_by("measure", "order", "pk")),
            Prefetch(
                "risks",
                queryset=Risk.objects.select_related("organisation").prefetch_related(
                    Prefetch("controls", queryset=Control.objects.order_by("order", "pk"))
                ),
            ),
        )
        .order_by("order", "pk")
    )


def _tree(items: list[DeliveryItem]) -> list[Entry]:
    """Depth first, children in their order, each with its programme."""
    children: dict[int | None, list[DeliveryItem]] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
    entries: list[Entry] = []

    def visit(item: DeliveryItem, depth: int, programme: DeliveryItem) -> None:
        texts = [
            (label, text_blocks(getattr(item, name)))
            for name, label in TEXT_FIELDS
            if getattr(item, name)
        ]
        entries.append(Entry(item, depth, programme, texts, list(item.figures.all())))
        for child in children[item.pk]:
            visit(child, depth + 1, programme)

    known = {i.pk for i in items}
    # Roots: programmes, and (defensively) any item whose parent is not in the plan.
    for root in [i for i in items if i.parent_id is None or i.parent_id not in known]:
        visit(root, 0, root)
    return entries


def _benefit_rows(
    entries: list[Entry], years: list[int | None], programme: DeliveryItem | None
) -> list[BenefitRow]:
    cells: dict[tuple, dict[int | None, list[Range]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        if programme is not None and entry.programme.pk != programme.pk:
            continue
        for f in entry.figures:
            key = (Measure(f.measure), Confidence(f.confidence), f.recurring)
            cells[key][f.financial_year].append(Range(f.low, f.high))
    order = {m: n for n, m in enumerate(Measure)} | {c: n for n, c in enumerate(Confidence)}
    return [
        BenefitRow(m, c, r, [add_ranges(cells[(m, c, r)].get(y, [])) for y in years])
        for (m, c, r) in sorted(cells, key=lambda k: (order[k[0]], order[k[1]], k[2]))
    ]


def _years(plan: Plan, entries: list[Entry]) -> list[int | None]:
    stated = {f.financial_year for e in entries for f in e.figures}
    years = sorted({*plan.financial_years, *(y for y in stated if y is not None)})
    return [*years, None] if None in stated else years


def _bodies(plan: Plan, item_ids: set[int]) -> list[BodyRow]:
    overseeing = Q(plans=plan) | Q(items__plan=plan)
    bodies = list(
        GovernanceBody.objects.filter(overseeing | Q(organisation=plan.organisation_id))
        .distinct()
        .select_related("organisation", "chair_role", "parent")
        .prefetch_related(
            "member_roles",
            "plans",
            Prefetch("items", queryset=DeliveryItem.objects.filter(plan=plan).order_by("order")),
        )
        .order_by("organisation__name", "order", "name")
    )
    by_parent: dict[int | None, list[GovernanceBody]] = defaultdict(list)
    ids = {b.pk for b in bodies}
    for body in bodies:
        by_parent[body.parent_id if body.parent_id in ids else None].append(body)
    rows: list[BodyRow] = []

    def visit(body: GovernanceBody, depth: int) -> None:
        rows.append(
            BodyRow(body, depth, any(p.pk == plan.pk for p in body.plans.all()), body.items.all())
        )
        for child in by_parent[body.pk]:
            visit(child, depth + 1)

    for body in by_parent[None]:
        visit(body, 0)
    return rows


def programme_document(plan: Plan) -> ProgrammeDocument:
    items = _items(plan)
    entries = _tree(items)
    item_ids = {i.pk for i in items}
    years = _years(plan, entries)
    benefits = [
        BenefitTable(
            f"{e.item.reference} {e.item.title}",
            f"benefits-{e.item.pk}",
            _benefit_rows(entries, years, e.item),
        )
        for e in entries
        if e.depth == 0
    ]
    benefits = [t for t in benefits if t.rows]
    if len(benefits) > 1:
        benefits.append(
            BenefitTable("All programmes", "benefits-total", _benefit_rows(entries, years, None))
        )
    risks: dict[int, RiskRow] = {}
    bands: dict[int, object] = {}  # each register's scoring bands, read once
    for entry in entries:
        for risk in entry.item.risks.all():
            if risk.organisation_id not in bands:
                bands[risk.organisation_id] = bands_of(risk.organisation)
            risk._bands = bands[risk.organisation_id]
            risks.setdefault(risk.pk, RiskRow(risk, [])).items.append(entry.item)
    done = {ProgressStatus.COMPLETED, ProgressStatus.CANCELLED}
    next_steps = [
        e
        for e in entries
        if e.item.status not in done
        and (
            (e.item.latest_update and e.item.latest_update.next_steps)
            or e.item.timescale_text
            or e.item.due_date
        )
    ]
    dependencies = list(
        Dependency.objects.filter(Q(item__plan=plan) | Q(on_item__plan=plan))
        .select_related("item__plan", "on_item__plan", "owner_role")
        .order_by("item__order", "pk")
    )
    lineage = list(
        Lineage.objects.filter(Q(item__plan=plan) | Q(other__plan=plan))
        .select_related("item__plan", "other__plan")
        .order_by("item__order", "pk")
    )
    bodies = _bodies(plan, item_ids)
    decisions = list(
        Decision.objects.filter(Q(items__plan=plan) | Q(body__plans=plan))
        .distinct()
        .select_related("body")
        .prefetch_related(
            Prefetch("items", queryset=DeliveryItem.objects.filter(plan=plan).order_by("order"))
        )
        .order_by("date", "pk")
    )
    sections = [
        Section(anchor=f"section-{s.pk}", title=s.title, blocks=text_blocks(s.body))
        for s in plan.sections.all()
    ]
    return ProgrammeDocument(
        plan=plan,
        entries=entries,
        next_steps=next_steps,
        years=years,
        benefits=benefits,
        risks=sorted(risks.values(), key=lambda r: (r.risk.reference, r.risk.pk)),
        dependencies=dependencies,
        lineage=lineage,
        bodies=bodies,
        decisions=decisions,
        sections=sections,
        members=list(
            PartnershipMember.objects.filter(partnership=plan.organisation_id)
            .select_related("member")
            .order_by("order", "member__name")
        ),
        purpose=text_blocks(plan.core_purpose) if plan.core_purpose else [],
    )


def item_count(plan_id: int) -> int:
    """The document's size, for the background threshold: its items."""
    return DeliveryItem.objects.filter(plan_id=plan_id).count()
