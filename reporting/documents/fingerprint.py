"""A fingerprint of everything a PDF is made from: equal fingerprints, equal documents.

It hashes the document spec (kind, plan, quarter, filters, organisations) with, for every kind of
record the document shows, a summary that changes whenever one of those records changes:

- the number of live rows (catches bulk inserts and deletes, which leave no history);
- the latest simple-history `history_date` and the number of history rows (catches every
  save and delete made through the ORM, the admin and the services);
- for link tables and history-less models, a count plus a sum of ids or amounts and the latest
  timestamp they keep.

and a digest of the PDF templates and print stylesheet, so a new layout is never served from
an old cache. What it cannot see: a raw `QuerySet.update()` on a model, which bypasses history.
Nothing in Waymark edits plan records that way.

A fingerprint costs a few cheap aggregate queries (two per kind of record), far less than a
render, so every export request computes it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from assurance.models import Control, Risk, RiskCategory, RiskReview, RiskSettings
from budgets.models import (
    BudgetSettings,
    ExpenditureLine,
    IncomeLine,
    MonthlyActual,
    PrintedTotal,
    SavingsScheme,
    SavingsTarget,
    ServiceLine,
)
from delivery.models import (
    Decision,
    DeliveryItem,
    DeliveryUpdate,
    Dependency,
    GovernanceBody,
    Lineage,
    YearFigure,
)
from frameworks.models import (
    Assessment,
    AssessmentScore,
    Competency,
    CompetencyTarget,
    Framework,
    GapAnalysis,
    GapDimension,
)
from kpis.models import KPI, KPITarget, Measurement
from objectives.models import Goal, Milestone, Objective, ProgressUpdate
from planning.models import (
    Organisation,
    OrgUnit,
    Plan,
    PlanSection,
    PlanVersion,
    Programme,
    Role,
    StrategicObjective,
    StrategicPriority,
    Value,
    VisionBullet,
)
from reporting.documents.spec import DocumentSpec, Kind
from swot.models import PestelDriver, SwotItem

# Bump when the way records become a PDF changes outside the templates and stylesheet.
FORMAT_VERSION = 1
# Where assemble.py's templates are (templates/reporting/pdf/documents/; this pointed at a
# templates/pdf/documents/ that no longer exists, so template edits did not change the key).
TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "reporting" / "pdf" / "documents"
STYLESHEETS = [Path(settings.BASE_DIR) / "static" / "css" / "pdf.css"]


def layout_digest() -> str:
    """A digest of the PDF templates and stylesheet, read fresh so edits show at once."""
    digest = hashlib.sha256()
    for path in sorted([*TEMPLATE_DIR.rglob("*.html"), *STYLESHEETS]):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _history(model, condition: Q) -> list:
    """Live rows and history rows matching `condition` (both tables share the field names)."""
    live = model.objects.filter(condition).aggregate(n=Count("pk"))
    history = model.history.filter(condition).aggregate(n=Count("pk"), at=Max("history_date"))
    return [model._meta.label, live["n"], history["n"], _iso(history["at"])]


def _rows(model, condition: Q, *fields: str, latest: str | None = None) -> list:
    """Rows of a model without history: count, sums of some columns, latest timestamp."""
    aggregates = {"n": Count("pk"), **{f"sum_{f}": Sum(f) for f in fields}}
    if latest:
        aggregates["at"] = Max(latest)
    values = model.objects.filter(condition).aggregate(**aggregates)
    return [model._meta.label, *(_iso(values[key]) for key in sorted(values))]


def _iso(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _plan_sources(plan_ids: list[int], org_ids: list[int], *, narrative: bool) -> list:
    in_plans = Q(plan__in=plan_ids)
    in_orgs = Q(organisation__in=org_ids)
    sources = [
        _history(Plan, Q(id__in=plan_ids)),  # not pk: a history row's pk is history_id
        _history(Organisation, Q(id__in=org_ids)),
        _history(OrgUnit, in_orgs),
        _history(Role, in_orgs),
        _history(Programme, in_plans),
        _history(Goal, in_plans),
        _history(StrategicPriority, in_plans),
        _history(StrategicObjective, in_plans),
        _history(Objective, in_plans),
        _rows(Objective.kpis.through, Q(objective__plan__in=plan_ids), "objective_id", "kpi_id"),
        _rows(Objective.lead_roles.through, Q(objective__plan__in=plan_ids), "objective", "role"),
        _rows(Objective.sro_roles.through, Q(objective__plan__in=plan_ids), "objective", "role"),
        _rows(
            ProgressUpdate, Q(objective__plan__in=plan_ids), "percent_complete", latest="created_at"
        ),
    ]
    if narrative:
        sources += [
            _history(PlanSection, in_plans),
            _history(VisionBullet, in_plans),
            _history(Value, in_plans),
            _history(KPI, in_plans),
            _history(KPITarget, Q(kpi__plan__in=plan_ids)),
            # The plan shows each KPI's target in force today: a dated target coming into
            # force changes the document with no record changing.
            _rows(
                KPITarget,
                Q(kpi__plan__in=plan_ids, effective_from__lte=timezone.localdate()),
                "kpi_id",
            ),
            _history(SwotItem, in_plans),
            _history(PestelDriver, in_plans),
            *_framework_sources(plan_ids, org_ids),
            _history(ServiceLine, in_plans),
            _history(IncomeLine, in_plans),
            _history(ExpenditureLine, in_plans),
            _rows(PrintedTotal, in_plans, "amount"),
            # Document control: the version history and the changes since the last version
            # (planning.versions), which milestones and savings schemes are part of.
            _history(PlanVersion, in_plans),
            _history(Milestone, Q(objective__plan__in=plan_ids)),
            _history(SavingsScheme, in_plans),
            _history(SavingsTarget, Q(scheme__plan__in=plan_ids)),
        ]
    return sources


def _framework_sources(plan_ids: list[int], org_ids: list[int]) -> list:
    """The competency frameworks and gap analyses the plan's appendices show (frameworks app)."""
    in_frameworks = Q(framework__organisation__in=org_ids)
    of_competencies = Q(competency__framework__organisation__in=org_ids)
    return [
        _history(Framework, Q(organisation__in=org_ids)),
        _rows(Framework.plans.through, Q(plan__in=plan_ids), "framework", "plan"),
        _history(Competency, in_frameworks),
        _rows(Competency.objectives.through, of_competencies, "competency", "objective"),
        _rows(Competency.programmes.through, of_competencies, "competency", "programme"),
        _history(Assessment, in_frameworks),
        _history(AssessmentScore, Q(assessment__framework__organisation__in=org_ids)),
        _history(CompetencyTarget, of_competencies),
        # The next target is the first not yet passed: a date going by changes the appendix.
        _rows(
            CompetencyTarget, of_competencies & Q(target_date__gte=timezone.localdate()), "level"
        ),
        _history(GapAnalysis, Q(plan__in=plan_ids)),
        _history(GapDimension, Q(analysis__plan__in=plan_ids)),
        _rows(
            GapDimension.actions.through, Q(gapdimension__analysis__plan__in=plan_ids), "objective"
        ),
    ]


def _line_roots(plan_ids: list[int]):
    """The first KPI of the line of each KPI of these plans (a subquery)."""
    return (
        KPI.objects.filter(plan__in=plan_ids)
        .annotate(line=Coalesce("lineage_root_id", "pk"))
        .values("line")
    )


def _scorecard_sources(plan_ids: list[int]) -> list:
    in_plans = Q(plan__in=plan_ids)
    return [
        _history(KPI, in_plans),
        _history(KPITarget, Q(kpi__plan__in=plan_ids)),
        # A carried KPI's chart reads its predecessors' values too (kpis.lineage): every KPI of
        # the plans' KPIs' lines counts (next years' too: a needless rebuild, never a stale one).
        _history(
            Measurement,
            Q(kpi__in=_line_roots(plan_ids)) | Q(kpi__lineage_root__in=_line_roots(plan_ids)),
        ),
        # The finance section.
        _history(ServiceLine, in_plans),
        _history(IncomeLine, in_plans),
        _history(ExpenditureLine, in_plans),
        _rows(PrintedTotal, in_plans, "amount"),
        _history(MonthlyActual, Q(income_line__plan__in=plan_ids)),
        _history(MonthlyActual, Q(expenditure_line__plan__in=plan_ids)),
        _history(BudgetSettings, in_plans),
    ]


def _risk_sources(org_ids: list[int]) -> list:
    """The risk register (the board pack's BAF section, the plan's risk appendix). Reviews
    fall due with the calendar, not with a change, so today's date is part of it too."""
    in_orgs = Q(organisation__in=org_ids)
    of_risks = Q(risk__organisation__in=org_ids)
    return [
        _history(Risk, in_orgs),
        _history(Control, of_risks),
        _history(RiskCategory, in_orgs),
        _history(RiskSettings, in_orgs),
        _rows(RiskReview, of_risks, "likelihood", "consequence", latest="created_at"),
        _rows(Risk.priorities.through, Q(risk__organisation__in=org_ids), "strategicpriority_id"),
        _rows(Risk.mitigating_actions.through, Q(risk__organisation__in=org_ids), "objective_id"),
        ["today", timezone.localdate().isoformat()],
    ]


def _delivery_sources(plan_ids: list[int]) -> list:
    """The programme report: the plan's delivery items and everything hung on them. Bodies,
    decisions and risks may belong to other organisations (a member's cabinet, a member's
    register), so those are summarised whole: a needless rebuild now and then, never a stale
    file."""
    of_items = Q(item__plan__in=plan_ids)
    return [
        _history(PlanSection, Q(plan__in=plan_ids)),
        _history(DeliveryItem, Q(plan__in=plan_ids)),
        _history(DeliveryUpdate, of_items),
        _history(YearFigure, of_items),
        _history(Dependency, Q()),
        _history(Lineage, Q()),
        _history(GovernanceBody, Q()),
        _history(Decision, Q()),
        _history(Risk, Q()),
        _history(Control, Q()),
        *(
            _rows(model.through, Q(), *columns)
            for model, columns in (
                (DeliveryItem.organisations, ("deliveryitem", "organisation")),
                (DeliveryItem.risks, ("deliveryitem", "risk")),
                (DeliveryItem.lead_roles, ("deliveryitem", "role")),
                (DeliveryItem.lead_people, ("deliveryitem", "person")),
                (GovernanceBody.items, ("governancebody", "deliveryitem")),
                (GovernanceBody.plans, ("governancebody", "plan")),
                (GovernanceBody.member_roles, ("governancebody", "role")),
                (Decision.items, ("decision", "deliveryitem")),
            )
        ),
    ]


def fingerprint(spec: DocumentSpec) -> str:
    if spec.kind == Kind.ACTIONS:
        org_ids = list(spec.org_ids)
        plan_ids = list(Plan.objects.filter(organisation__in=org_ids).values_list("pk", flat=True))
    else:
        plan_ids = [spec.plan_id]
        org_ids = list(Plan.objects.filter(pk=spec.plan_id).values_list("organisation", flat=True))
    sources = _plan_sources(plan_ids, org_ids, narrative=spec.kind == Kind.PLAN)
    if spec.kind == Kind.SCORECARD:
        sources += _scorecard_sources(plan_ids)
    if spec.kind in (Kind.SCORECARD, Kind.PLAN):
        sources += _risk_sources(org_ids)
    if spec.kind == Kind.PROGRAMME:
        sources += _delivery_sources(plan_ids)
    material = {
        "format": FORMAT_VERSION,
        "layout": layout_digest(),
        "spec": {**spec.to_dict(), "user_id": None},
        "records": sources,
    }
    encoded = json.dumps(material, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:40]
