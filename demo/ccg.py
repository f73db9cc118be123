"""Demo organisation 2: Castle Point & Rochford and Southend CCGs' OD Strategy and Action Plan.

The plan (Version 4.0, ratified January 2020) is transcribed in
fixtures/ccg-od-strategy-2018-21.yaml, with the repairs of rows that the text conversion broke
noted where they are made; this module loads it.
"""

from __future__ import annotations

from django.db import transaction

from demo.fixtures import read_plan
from objectives.duedates import parse_due
from objectives.models import Goal, Objective, ObjectiveKind, ProgressStatus, ProgressUpdate
from objectives.services import objective_apply_update
from planning.models import (
    Organisation,
    OrganisationKind,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    Programme,
    Role,
    SectionKind,
)

USER_PREFIX = "ccg"
PLAN_SLUG = "ccg-od-strategy-2018-21"
DATA = read_plan(PLAN_SLUG)
FIGURE_MISSING = DATA["figure_missing"]
# Where each role's title comes from (the document itself expands none of the abbreviations).
ROLE_SOURCES = {role["abbreviation"]: role["source"] for role in DATA["roles"]}
# The document's Progress column gives each item's status as at this quarter.
PROGRESS_YEAR = DATA["progress_as_at"]["financial_year"]
PROGRESS_QUARTER = DATA["progress_as_at"]["quarter"]


def progress_status(text: str) -> str:
    """The status a Progress cell states; an empty cell means not started."""
    lowered = text.lower()
    if not lowered:
        return ProgressStatus.NOT_STARTED
    if lowered.startswith("completed"):
        return (
            ProgressStatus.COMPLETED_ONGOING if "ongoing" in lowered else ProgressStatus.COMPLETED
        )
    if lowered.startswith("in progress"):
        return ProgressStatus.IN_PROGRESS
    raise ValueError(f"Unknown progress text {text!r}")


def split_roles(text: str) -> list[str]:
    """'AO/ DIP (CPR)' -> ['AO', 'DIP (CPR)']."""
    return [part.strip() for part in text.split("/") if part.strip()]


def record_progress(objective: Objective, text: str) -> ProgressUpdate | None:
    """Record the document's Progress cell as an update and make it the item's current progress.

    Not through services.progress_update_create: that is for people reporting now, and its rules
    would make a completed item Blue, whereas the source's RAG column is empty throughout."""
    if not text:
        return None
    status = progress_status(text)
    done = status in (ProgressStatus.COMPLETED, ProgressStatus.COMPLETED_ONGOING)
    update = ProgressUpdate.objects.create(
        objective=objective,
        created_by=None,
        financial_year=PROGRESS_YEAR,
        quarter=PROGRESS_QUARTER,
        status=status,
        rag="",
        percent_complete=100 if done else 0,
        narrative=text,
    )
    objective_apply_update(objective=objective, update=update)
    objective.save(update_fields=["status", "rag", "percent_complete", "latest_update"])
    return update


@transaction.atomic
def load() -> tuple[Plan, bool]:
    """Create the organisation, plan and action plan unless the plan is already there."""
    existing = Plan.objects.filter(slug=PLAN_SLUG).first()
    if existing:
        return existing, False

    fields = DATA["organisation"] | {"kind": OrganisationKind(DATA["organisation"]["kind"])}
    org, _ = Organisation.objects.get_or_create(slug=fields["slug"], defaults=fields)
    plan_fields = DATA["plan"] | {
        "kind": PlanKind(DATA["plan"]["kind"]),
        "status": PlanStatus(DATA["plan"]["status"]),
    }
    plan = Plan.objects.create(organisation=org, slug=PLAN_SLUG, **plan_fields)
    for order, section in enumerate(DATA["sections"], start=1):
        PlanSection.objects.create(
            plan=plan,
            kind=SectionKind(section["kind"]),
            title=section["title"],
            body=section["body"],
            order=order,
        )

    roles = {
        role["abbreviation"]: Role.objects.get_or_create(
            organisation=org, abbreviation=role["abbreviation"], defaults={"title": role["title"]}
        )[0]
        for role in DATA["roles"]
    }
    programmes = {
        d["number"]: Programme.objects.create(
            plan=plan,
            number=d["number"],
            title=d["title"],
            aim=d["aim"],
            lead_text=d["lead"],
            lead_role=roles[d["lead_role"]],
        )
        for d in DATA["domains"]
    }

    order = 0
    for goal_order, g in enumerate(DATA["goals"], start=1):
        programme = programmes[g["domain"]]
        goal = Goal.objects.create(
            plan=plan,
            programme=programme,
            section=g["section"],
            title=g["od_goal"],
            order=goal_order,
        )
        for a in g["actions"]:
            order += 1
            objective = Objective.objects.create(
                plan=plan,
                kind=ObjectiveKind.ACTION,
                programme=programme,
                goal=goal,
                reference=a["reference"],
                text=a["action"],
                sro_text=a["sro"],
                lead_text=a["op_lead"],
                due_text=a["by_when"],
                due_date=parse_due(a["by_when"], plan_start_year=plan.start_year),  # month end
                measure=a["measure"],
                is_new=a.get("new", False),
                order=order,
            )
            objective.sro_roles.set([roles[r] for r in split_roles(a["sro"])])
            objective.lead_roles.set([roles[r] for r in split_roles(a["op_lead"])])
            record_progress(objective, a["progress"])
    return plan, True
