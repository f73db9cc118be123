"""Demo delivery plans of two partnerships (issue 15), transcribed in fixtures/:

- hssp-shared-services-2009-10.yaml: Herefordshire Shared Services Partnership's shared
  services programme, from Herefordshire Council's Cabinet report of 18 December 2009;
- sel-stp-delivery-plans-2016-21.yaml: South East London STP's CLG and Collaborative
  Productivity delivery plans, from the briefing note to its 21 October 2016 submission.

Each fixture names the partnership organisation and its members, the plan and its sections, the
tree of delivery items (with their progress as at the source's date, year figures and the risks
of the register that they carry), dependencies, lineage, governance bodies and decisions. This
module maps it onto the models, checking every choice value, and leaves a plan that is already
there as it is. The judgements the transcription needed are comments in the fixtures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from assurance.models import Risk
from delivery.models import (
    BodyKind,
    Confidence,
    Decision,
    DeliveryItem,
    DeliveryUpdate,
    Dependency,
    DependencyKind,
    GovernanceBody,
    Level,
    Lineage,
    LineageKind,
    Measure,
    YearFigure,
)
from demo.fixtures import read_plan
from objectives.models import ProgressStatus
from planning.models import (
    Organisation,
    OrganisationKind,
    PartnershipMember,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    SectionKind,
)

PLAN_SLUGS = ["hssp-shared-services-2009-10", "sel-stp-delivery-plans-2016-21"]
TEXT_FIELDS = ("description", "case_for_change", "scope", "outcomes")
ITEM_FIELDS = (
    "level_label", "sro_text", "lead_text", "place", "timescale_text", "start_date",
    "due_date", "due_date_latest",
)  # fmt: skip


def walk(items: list[dict], parent: dict | None = None):
    """Every item of a fixture's tree with its parent, depth first in document order."""
    for item in items:
        yield item, parent
        yield from walk(item.get("children", []), item)


def _organisation(fields: dict) -> Organisation:
    defaults = {k: v for k, v in fields.items() if k not in ("slug", "other_names")}
    defaults["kind"] = OrganisationKind(defaults["kind"])
    return Organisation.objects.get_or_create(slug=fields["slug"], defaults=defaults)[0]


@transaction.atomic
def load(slug: str) -> tuple[Plan, bool]:
    """Load one fixture's partnership and plan unless the plan is already there."""
    data = read_plan(slug)
    partnership = _organisation(data["organisation"])
    existing = Plan.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    organisations = {partnership.slug: partnership}
    for order, member in enumerate(data["members"], start=1):
        organisation = _organisation(member)
        organisations[organisation.slug] = organisation
        PartnershipMember.objects.get_or_create(
            partnership=partnership, member=organisation, defaults={"order": order}
        )
    fields = dict(data["plan"])
    fields.pop("slug")
    fields["kind"] = PlanKind(fields["kind"])
    fields["status"] = PlanStatus(fields["status"])
    plan = Plan.objects.create(organisation=partnership, slug=slug, **fields)
    for order, section in enumerate(data["sections"], start=1):
        PlanSection.objects.create(
            plan=plan,
            kind=SectionKind(section["kind"]),
            title=section["title"],
            body=section["body"],
            order=order,
        )
    items = _create_items(plan, data, organisations)
    _create_links(data, items, organisations, partnership)
    return plan, True


def _create_items(
    plan: Plan, data: dict[str, Any], organisations: dict[str, Organisation]
) -> dict[str, DeliveryItem]:
    items: dict[str, DeliveryItem] = {}
    risks = {r.reference: r for r in Risk.objects.filter(organisation=plan.organisation)}
    as_at: dt.date = data["updates_as_at"]
    for order, (row, parent) in enumerate(walk(data["items"]), start=1):
        level = Level(row["level"])
        parent_item = items[parent["reference"]] if parent else None
        if level.parent_level != (Level(parent["level"]) if parent else None):
            raise ValueError(f"{row['reference']}: a {level} cannot sit under {parent}")
        item = DeliveryItem.objects.create(
            plan=plan,
            parent=parent_item,
            level=level,
            reference=row["reference"],
            title=row["title"],
            order=order,
            **{f: row[f] for f in TEXT_FIELDS if f in row},
            **{f: row[f] for f in ITEM_FIELDS if f in row},
        )
        item.organisations.set(organisations[s] for s in row.get("organisations", []))
        item.risks.set(risks[letter] for letter in row.get("risks", []))
        if "update" in row:
            update = row["update"]
            status = ProgressStatus(update["status"])
            latest = DeliveryUpdate.objects.create(
                item=item,
                as_at=as_at,
                status=status,
                progress=update.get("progress", ""),
                next_steps=update.get("next_steps", ""),
            )
            # What the progress service does: the item shows its latest update.
            item.status, item.latest_update = status, latest
            item.save(update_fields=["status", "latest_update"])
        for n, figure in enumerate(row.get("figures", []), start=1):
            YearFigure.objects.create(
                item=item,
                measure=Measure(figure["measure"]),
                financial_year=figure["year"],
                low=Decimal(figure["low"]),
                high=Decimal(figure["high"]),
                confidence=Confidence(figure.get("confidence", Confidence.ESTIMATE)),
                recurring=figure.get("recurring", False),
                note=figure["note"],
                order=n,
            )
        items[item.reference] = item
    return items


def _create_links(
    data: dict[str, Any],
    items: dict[str, DeliveryItem],
    organisations: dict[str, Organisation],
    partnership: Organisation,
) -> None:
    for row in data["dependencies"]:
        Dependency.objects.create(
            item=items[row["item"]],
            kind=DependencyKind(row["kind"]),
            on_item=items[row["on_item"]] if "on_item" in row else None,
            external=row.get("external", ""),
            note=data.get("dependency_note", ""),
        )
    for row in data["lineage"]:
        Lineage.objects.create(
            item=items[row["item"]],
            kind=LineageKind(row["kind"]),
            other=items[row["other"]],
            reason=row["reason"],
            date=row.get("date"),
            date_text=row.get("date_text", ""),
        )
    plan = next(iter(items.values())).plan
    for order, row in enumerate(data["bodies"], start=1):
        body, _ = GovernanceBody.objects.get_or_create(
            organisation=organisations[row["organisation"]],
            name=row["name"],
            defaults={
                "kind": BodyKind(row["kind"]),
                "chair_text": row.get("chair_text", ""),
                "members_text": row.get("members_text", ""),
                "meeting_frequency": row.get("meeting_frequency", ""),
                "order": order,
            },
        )
        if row.get("oversees_plan"):
            body.plans.add(plan)
        body.items.add(*(items[r] for r in row["items"]))
        for decision in row["decisions"]:
            entry = Decision.objects.create(
                body=body,
                date=decision["date"],
                decision=decision["decision"],
                recommendation=decision.get("recommendation", ""),
            )
            entry.items.set(items[r] for r in decision["items"])


def load_all() -> list[tuple[Plan, bool, dict[str, Any]]]:
    """Both plans: (plan, created, fixture) each."""
    result = []
    for slug in PLAN_SLUGS:
        plan, created = load(slug)
        result.append((plan, created, read_plan(slug)))
    return result
