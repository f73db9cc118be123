"""Demo organisation 1: Support Services Partnership South West London, Business Plan 2006/07.

The plan is transcribed, figure for figure, in fixtures/ssp-business-plan-2006-07.yaml, with the
judgements its rebuilding needed commented beside the data; this module loads it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from budgets.models import ExpenditureLine, IncomeLine, PrintedTotal, ServiceLine, TotalScope
from demo.fixtures import read_plan
from kpis.models import KPI, Frequency, KPITarget, Polarity
from objectives.duedates import due_words, parse_due
from objectives.models import Objective, ObjectiveKind
from planning import fy
from planning.models import (
    ClientRelationship,
    Organisation,
    OrganisationKind,
    OrgUnit,
    OrgUnitKind,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    RelationshipKind,
    SectionKind,
    StrategicObjective,
    StrategicPriority,
    Value,
    VisionBullet,
)
from swot.models import PestelCategory, PestelDriver, Quadrant, SwotItem

USER_PREFIX = "ssp"
PLAN_SLUG = "ssp-business-plan-2006-07"
DATA = read_plan(PLAN_SLUG)
YEAR = DATA["plan"]["start_year"]  # the financial year 2006/07

# A KPI code as printed in the "KPIs to Measure" texts ("L2 SSP % PDRs completed").
KPI_CODE = re.compile(r"\b([FCPL]\d{1,2})\b")


def money(printed: str) -> Decimal:
    """A printed figure as a Decimal: "1,329,709" -> Decimal("1329709")."""
    return Decimal(printed.replace(",", ""))


@transaction.atomic
def load() -> tuple[Plan, bool]:
    """Create SSP, its partners and its 2006/07 business plan unless the plan is already there."""
    existing = Plan.objects.filter(slug=PLAN_SLUG).first()
    if existing:
        return existing, False
    organisations = _create_organisations()
    ssp = organisations[DATA["organisation"]["slug"]]
    units = _create_org_units(ssp)
    plan = Plan.objects.create(organisation=ssp, slug=PLAN_SLUG, **_plan_fields(DATA["plan"]))
    _create_plan_texts(plan)
    _create_analysis(plan)
    kpis = _create_kpis(plan)
    _create_objectives(plan, units, kpis)
    _create_budget(plan, organisations)
    return plan, True


def _plan_fields(fields: dict) -> dict:
    return fields | {"kind": PlanKind(fields["kind"]), "status": PlanStatus(fields["status"])}


def _org(slug: str, **fields) -> Organisation:
    return Organisation.objects.get_or_create(slug=slug, defaults=fields)[0]


def _create_organisations() -> dict[str, Organisation]:
    """SSP, its host, its partners and other clients, by slug."""
    orgs = {
        o["slug"]: _org(o["slug"], name=o["name"], kind=OrganisationKind(o["kind"]))
        for o in DATA["partners"] + DATA["other_clients"]
    }
    fields = {k: v for k, v in DATA["organisation"].items() if k != "slug"}
    fields["kind"] = OrganisationKind(fields["kind"])
    ssp = _org(DATA["organisation"]["slug"], host=orgs[DATA["host"]], **fields)
    orgs[ssp.slug] = ssp
    relationships = [(o["slug"], RelationshipKind.PARTNER) for o in DATA["partners"]]
    relationships += [(o["slug"], RelationshipKind.CLIENT) for o in DATA["other_clients"]]
    for order, (slug, kind) in enumerate(relationships, start=1):
        ClientRelationship.objects.get_or_create(
            provider=ssp, client=orgs[slug], defaults={"kind": kind, "order": order}
        )
    return orgs


def _create_org_units(ssp: Organisation) -> dict[str, OrgUnit]:
    """Directorates and departments, by name, ordered as listed (directorate before its units)."""
    groups = [(d["name"], d["departments"]) for d in DATA["directorates"]]
    groups += [(d["directorate"], d["departments"]) for d in DATA["appendix_2_units"]]
    units: dict[str, OrgUnit] = {}
    order = 0
    for directorate, departments in groups:
        if directorate not in units:
            order += 1
            units[directorate] = OrgUnit.objects.get_or_create(
                organisation=ssp,
                name=directorate,
                defaults={"kind": OrgUnitKind.DIRECTORATE, "order": order},
            )[0]
        for name in departments:
            order += 1
            units[name] = OrgUnit.objects.get_or_create(
                organisation=ssp,
                name=name,
                defaults={
                    "kind": OrgUnitKind.DEPARTMENT,
                    "parent": units[directorate],
                    "order": order,
                },
            )[0]
    return units


def _create(objects) -> list:
    """bulk_create (of one model's rows) that also records each row's creation in its history,
    so the audit page shows what a record was loaded with and its first change before → after."""
    objects = list(objects)
    return bulk_create_with_history(objects, type(objects[0])) if objects else []


def _create_plan_texts(plan: Plan) -> None:
    _create(
        PlanSection(
            plan=plan, kind=SectionKind(s["kind"]), title=s["title"], body=s["body"], order=n
        )
        for n, s in enumerate(DATA["sections"], start=1)
    )
    _create(
        VisionBullet(plan=plan, text=text, order=n)
        for n, text in enumerate(DATA["vision_bullets"], start=1)
    )
    _create(Value(plan=plan, text=text, order=n) for n, text in enumerate(DATA["values"], start=1))
    _create(
        StrategicPriority(plan=plan, number=n, title=title)
        for n, title in enumerate(DATA["strategic_priorities"], start=1)
    )
    _create(
        StrategicObjective(plan=plan, number=n, text=text)
        for n, text in enumerate(DATA["strategic_objectives"], start=1)
    )


def _create_analysis(plan: Plan) -> None:
    _create(
        PestelDriver(plan=plan, category=PestelCategory(category), text=text, order=n)
        for category, drivers in DATA["pestel"].items()
        for n, text in enumerate(drivers, start=1)
    )
    # The fixture names the quadrants ("strength"); the model stores their letters ("S").
    _create(
        SwotItem(plan=plan, quadrant=Quadrant[quadrant.upper()], text=text, order=n)
        for quadrant, items in DATA["swot"].items()
        for n, text in enumerate(items, start=1)
    )


def _create_kpis(plan: Plan) -> dict[str, KPI]:
    # The perspective is the code's letter; frequency is the model's default, quarterly,
    # unless the KPI says otherwise.
    # A printed target (F3's 200%) is carried as it is, in force from the plan's start.
    kpis = _create(KPI(plan=plan, perspective=k["code"][0], **_kpi_fields(k)) for k in DATA["kpis"])
    printed = {k["code"]: Decimal(str(k["target"])) for k in DATA["kpis"] if "target" in k}
    _create(
        KPITarget(kpi=kpi, effective_from=kpi.existed_from, target=printed[kpi.code])
        for kpi in kpis
        if kpi.code in printed
    )
    return {kpi.code: kpi for kpi in kpis}


def _kpi_fields(fields: dict) -> dict:
    fields = fields | {"polarity": Polarity(fields["polarity"])}
    fields.pop("target", None)  # a KPITarget of its own (above)
    if "frequency" in fields:
        fields["frequency"] = Frequency(fields["frequency"])
    return fields


def _create_objectives(plan: Plan, units: dict[str, OrgUnit], kpis: dict[str, KPI]) -> None:
    priorities = {p.number: p for p in plan.strategic_priorities.all()}
    objectives = {o.number: o for o in plan.strategic_objectives.all()}
    cross_references = DATA["cross_references"]
    rows = []
    order = 0
    for block in DATA["appendix_2"]:
        for n, row in enumerate(block["objectives"], start=1):
            order += 1
            text, measure = row["objective"], row["kpis_to_measure"]
            reference = f"{block['prefix']}-{n}"
            links = cross_references.get(reference, {})
            # The due words come from the KPI text, else from the objective ("by Sept 06").
            dated = measure if due_words(measure) else text
            rows.append(
                Objective(
                    plan=plan,
                    kind=ObjectiveKind.OPERATIONAL,
                    org_unit=units[block["unit"]],
                    reference=reference,
                    text=text,
                    measure=measure,
                    due_text=due_words(dated),
                    # With no date printed, the objective is for the year: due at its end.
                    due_date=parse_due(dated, plan_start_year=YEAR) or fy.fy_end(YEAR),
                    strategic_priority=priorities.get(links.get("priority")),
                    strategic_objective=objectives.get(links.get("objective")),
                    order=order,
                )
            )
    created = _create(rows)
    Link = Objective.kpis.through
    Link.objects.bulk_create(
        Link(objective=objective, kpi=kpis[code])
        for objective in created
        for code in dict.fromkeys(KPI_CODE.findall(objective.measure))
    )


def _create_budget(plan: Plan, organisations: dict[str, Organisation]) -> None:
    budget = DATA["budget"]
    names = budget["service_lines"]
    service_lines = _create(
        ServiceLine(plan=plan, name=name, order=n) for n, name in enumerate(names, start=1)
    )
    income, totals = [], []
    for funder_order, row in enumerate(budget["income"], start=1):
        slug = row["organisation"]
        for service_line, cell in zip(service_lines, row["amounts"], strict=True):
            if cell is not None:
                income.append(
                    IncomeLine(
                        plan=plan,
                        financial_year=YEAR,
                        funder=organisations[slug] if slug else None,
                        funder_label=row["funder"],
                        funder_order=funder_order,
                        service_line=service_line,
                        amount=money(cell),
                    )
                )
        totals.append((TotalScope.INCOME_FUNDER, row["funder"], row["total"]))
    _create(income)
    for name, column_total in zip(names, budget["column_totals"], strict=True):
        totals.append((TotalScope.INCOME_SERVICE_LINE, name, column_total))
    totals.append((TotalScope.INCOME_GRAND, "", budget["grand_total"]))
    totals.append((TotalScope.EXPENDITURE_GRAND, "", budget["expenditure_total"]))
    PrintedTotal.objects.bulk_create(
        PrintedTotal(plan=plan, financial_year=YEAR, scope=scope, label=label, amount=money(amt))
        for scope, label, amt in totals
    )
    _create(
        ExpenditureLine(
            plan=plan,
            financial_year=YEAR,
            manager=row["manager"],
            description=row["description"],
            amount=money(row["amount"]),
            order=n,
        )
        for n, row in enumerate(budget["expenditure"], start=1)
    )
