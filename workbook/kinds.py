"""Every record kind a plan holds today, each registered as one sheet of the plan workbook.

A sheet's rows refer to other sheets' rows by the plan's own references (objective references
such as EST-1 or 6.1, SP3, KPI codes, department names, role abbreviations), never by ids.
A new record kind adds one `register(SheetSpec(...))` here or in a module of its own imported
from WorkbookConfig.ready().
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from budgets.models import (
    BudgetSettings,
    ExpenditureLine,
    IncomeLine,
    MonthlyActual,
    PrintedTotal,
    SavingsScheme,
    SavingsStatus,
    SavingsTarget,
    ServiceLine,
    TotalScope,
)
from kpis import periods
from kpis.models import KPI, Frequency, KPITarget, Measurement, Perspective, Polarity
from objectives.models import (
    Goal,
    Milestone,
    Objective,
    ObjectiveKind,
    ProgressStatus,
    ProgressUpdate,
)
from objectives.services import objective_apply_update
from planning import fy
from planning.models import (
    ClientRelationship,
    OrgUnit,
    OrgUnitKind,
    Person,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    Programme,
    Role,
    SectionKind,
    StrategicObjective,
    StrategicPriority,
    Value,
    VisionBullet,
)
from planning.rag import RAG
from swot.models import PestelCategory, PestelDriver, Quadrant, SwotItem
from workbook.sheets import (
    CHANGE_REASON,
    IMPORTER,
    UPDATING,
    VERSION_REASON,
    Col,
    SheetSpec,
    Type,
    choices_of,
    register,
)

T = Type


def _create(objects: list, model, *, audited: bool = True) -> list:
    """bulk_create that records each row's creation in its history (the audit page), as the
    demo loader does (`audited=False`: a model with no history, e.g. risk reviews). While a
    workbook is written onto an existing plan (workbook.updating), each object is matched to
    the plan's record of its kind instead, and only the unmatched are created."""
    update = UPDATING.get()
    if update is not None:
        return update.merge(objects, model, lambda new: _insert(new, model, audited))
    return _insert(objects, model, audited)


def _insert(objects: list, model, audited: bool) -> list:
    if not objects:
        return []
    if not audited:
        return model.objects.bulk_create(objects)
    reason = VERSION_REASON if UPDATING.get() is not None else CHANGE_REASON
    return bulk_create_with_history(
        objects, model, default_user=IMPORTER.get(), default_change_reason=reason
    )


def _link(through, owner: str, other: str, owners: list, pairs, among) -> None:
    """Many-to-many links of the sheet's records (`owners`): (owner, other) pairs, `other`
    among the records the column names (loader.made of its sheet). Onto an existing plan, the
    owners' links to those become exactly these."""
    pairs = list(pairs)
    update = UPDATING.get()
    if update is not None:
        update.link(through, owner, other, owners, pairs, list(among))
        return
    through.objects.bulk_create(through(**{owner: o, other: x}) for o, x in pairs)


def _key(*names: str):
    """A row's reference from some of its columns ("2006/07 | Richmond PCT | Estates")."""

    def key(values: dict[str, Any]) -> str | None:
        parts = [values.get(n) for n in names]
        if any(p is None or p == "" for p in parts):
            return None
        return " | ".join(
            fy.fy_label(p) if n == "financial_year" else str(p)
            for n, p in zip(names, parts, strict=True)
        )

    return key


def role_key(role: Role) -> str:
    return role.abbreviation or role.title


# --- the plan and its document control ---------------------------------------------------------


def _plan_rows(plan: Plan):
    settings = BudgetSettings.objects.filter(plan=plan).first()
    yield {
        **{name: getattr(plan, name) for name in PLAN_FIELDS},
        "amber_at_percent": settings.amber_at_percent if settings else None,
        "red_at_percent": settings.red_at_percent if settings else None,
    }


PLAN_FIELDS = (
    "title",
    "kind",
    "start_year",
    "end_year",
    "version_label",
    "approved_by",
    "date_approved",
    "ratified_by",
    "date_ratified",
    "board_minute_reference",
    "director_sponsor",
    "author",
    "date_issued",
    "review_date",
    "target_audience",
    "aim",
    "vision",
    "core_purpose",
    "reporting_working_days",
)


def unique_plan_slug(title: str, period: str) -> str:
    """A slug for a new plan that no plan has: its title and period, then -2, -3…"""
    base = slugify(f"{title} {period}")[:70].strip("-") or "plan"
    taken = set(Plan.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _plan_check(loader, row) -> None:
    start, end = row["start_year"], row["end_year"]
    for name, year in (("start_year", start), ("end_year", end)):
        if year is not None and not 1990 <= year <= 2100:
            loader.problem(row, name, "must be a financial year from 1990/91 to 2100/01")
    if start is not None and end is not None and end < start:
        loader.problem(row, "end_year", "is before the first financial year")
    amber, red = row["amber_at_percent"], row["red_at_percent"]
    if (amber is None) != (red is None):
        loader.problem(row, "red_at_percent", "give both budget thresholds, or neither")
    elif amber is not None and red < amber:
        loader.problem(row, "red_at_percent", "must be at least the Amber threshold")


def _plan_write(loader, rows) -> None:
    values = rows[0].values
    fields = {name: values[name] for name in PLAN_FIELDS}
    fields = {k: ("" if v is None and k not in DATE_OR_NUMBER else v) for k, v in fields.items()}
    if fields["reporting_working_days"] is None:
        fields.pop("reporting_working_days")
    if loader.target is not None:
        _plan_update(loader, fields, values)
        return
    period = fy.period_label(fields["start_year"], fields["end_year"])
    plan = Plan(
        organisation=loader.organisation,
        slug=unique_plan_slug(fields["title"], period),
        status=PlanStatus.DRAFT,
        **fields,
    )
    plan._history_user = loader.by
    plan._change_reason = CHANGE_REASON
    plan.save()
    if values["amber_at_percent"] is not None:
        BudgetSettings.objects.create(
            plan=plan,
            amber_at_percent=values["amber_at_percent"],
            red_at_percent=values["red_at_percent"],
        )
    loader.plan = plan


# The document-control facts a refresh sets (the next label) or clears (approval and
# ratification): onto an existing plan, the workbook's are not used.
REFRESHED = (
    "version_label",
    "approved_by",
    "date_approved",
    "ratified_by",
    "date_ratified",
    "board_minute_reference",
)


def _plan_update(loader, fields, values) -> None:
    """The plan as its next version (workbook.updating): its details as the workbook has them,
    apart from what the refresh decided."""
    plan = loader.plan
    differs = [k for k, v in fields.items() if k not in REFRESHED and getattr(plan, k) != v]
    if differs:
        for name in differs:
            setattr(plan, name, fields[name])
        plan._history_user = loader.by
        plan._change_reason = VERSION_REASON
        plan.save()
        UPDATING.get().changed["Plan"].add(plan.pk)
    if values["amber_at_percent"] is not None:
        BudgetSettings.objects.update_or_create(
            plan=plan,
            defaults={
                "amber_at_percent": values["amber_at_percent"],
                "red_at_percent": values["red_at_percent"],
            },
        )


DATE_OR_NUMBER = {
    "date_approved",
    "date_ratified",
    "date_issued",
    "review_date",
    "reporting_working_days",
}

register(
    SheetSpec(
        name="Plan",
        position=10,
        single_row=True,
        counted="plan and document control",
        about="The plan itself and its document-control block: exactly one row. The import "
        "makes it a new draft plan of your organisation, whatever status the plan had.",
        columns=(
            Col(
                "title",
                "Title",
                "The plan's title, e.g. Business Plan.",
                required=True,
                max_length=200,
            ),
            Col("kind", "Kind", "What sort of plan it is.", T.CHOICE, True, choices_of(PlanKind)),
            Col(
                "start_year",
                "First financial year",
                "The first financial year covered, e.g. 2006/07.",
                T.YEAR,
                True,
            ),
            Col(
                "end_year",
                "Last financial year",
                "The last financial year covered: the first again for a one-year plan.",
                T.YEAR,
                True,
            ),
            Col(
                "version_label",
                "Version",
                "The document's version as printed, e.g. Version 4.0.",
                max_length=60,
            ),
            Col("approved_by", "Approved by", "Who approved the plan.", max_length=150),
            Col("date_approved", "Date approved", "When it was approved.", T.DATE),
            Col("ratified_by", "Ratified by", "Who ratified it (the board).", max_length=150),
            Col("date_ratified", "Date ratified", "When it was ratified.", T.DATE),
            Col(
                "board_minute_reference",
                "Board minute reference",
                "The minute recording the ratification.",
                max_length=100,
            ),
            Col(
                "director_sponsor",
                "Director sponsor",
                "The director who sponsors the plan.",
                max_length=150,
            ),
            Col("author", "Author", "Who wrote it.", max_length=150),
            Col("date_issued", "Date issued", "When it was issued.", T.DATE),
            Col("review_date", "Review date", "When it is due for review.", T.DATE),
            Col("target_audience", "Target audience", "Who the plan is for.", max_length=200),
            Col("aim", "Aim", "The plan's aim.", T.LONG_TEXT),
            Col(
                "vision",
                "Vision",
                "The vision statement (its bullets are on the Vision sheet).",
                T.LONG_TEXT,
            ),
            Col("core_purpose", "Core purpose", "The organisation's core purpose.", T.LONG_TEXT),
            Col(
                "reporting_working_days",
                "Reporting working days",
                "Working days after a quarter ends before its updates lock (blank: 15).",
                T.WHOLE,
                low=0,
                high=60,
            ),
            Col(
                "amber_at_percent",
                "Budget Amber at %",
                "A budget line is Amber when adverse by this % of its budget to date (blank: 2).",
                T.NUMBER,
                places=2,
                digits=5,
            ),
            Col(
                "red_at_percent",
                "Budget Red at %",
                "…and Red at this % or more (blank: 5).",
                T.NUMBER,
                places=2,
                digits=5,
            ),
        ),
        export=_plan_rows,
        check=_plan_check,
        write=_plan_write,
    )
)


# --- narrative -----------------------------------------------------------------------------------


def _texts(model, rows_of):
    def export(plan):
        return ({"text": t.text} for t in rows_of(plan).order_by("order"))

    def write(loader, rows):
        _create(
            [model(plan=loader.plan, text=r["text"], order=n) for n, r in enumerate(rows, 1)],
            model,
        )

    return export, write


register(
    SheetSpec(
        name="Sections",
        model=PlanSection,
        match=("title",),
        fields=("kind", "body"),
        quiet=("order",),
        position=20,
        counted="narrative sections",
        about="The plan document's narrative sections, in the order they are printed.",
        key=_key("title"),
        key_columns=("title",),
        columns=(
            Col("kind", "Kind", "What the section is.", T.CHOICE, True, choices_of(SectionKind)),
            Col(
                "title",
                "Title",
                "The section's heading: each section's is its own.",
                required=True,
                max_length=200,
            ),
            Col("body", "Body", "Its text: blank lines separate paragraphs.", T.LONG_TEXT),
        ),
        export=lambda plan: (
            {"kind": s.kind, "title": s.title, "body": s.body}
            for s in plan.sections.order_by("order")
        ),
        write=lambda loader, rows: _create(
            [
                PlanSection(
                    plan=loader.plan,
                    kind=r["kind"],
                    title=r["title"],
                    body=r["body"] or "",
                    order=n,
                )
                for n, r in enumerate(rows, 1)
            ],
            PlanSection,
        ),
    )
)

_vision_export, _vision_write = _texts(VisionBullet, lambda plan: plan.vision_bullets)
register(
    SheetSpec(
        name="Vision",
        model=VisionBullet,
        match=("order",),
        fields=("text",),
        position=30,
        counted="vision statements",
        about="The vision's bullets, in order.",
        columns=(Col("text", "Text", "One bullet of the vision.", T.LONG_TEXT, True),),
        export=_vision_export,
        write=_vision_write,
    )
)
_values_export, _values_write = _texts(Value, lambda plan: plan.values)
register(
    SheetSpec(
        name="Values",
        model=Value,
        match=("order",),
        fields=("text",),
        position=40,
        counted="values",
        about="The organisation's values, in order.",
        columns=(Col("text", "Text", "One value.", T.LONG_TEXT, True),),
        export=_values_export,
        write=_values_write,
    )
)

# No leading zero: SP03 and SP3 would be two rows of the sheet but one priority number.
PRIORITY = re.compile(r"^SP([1-9]\d{0,3})$")


def _priority_check(loader, row) -> None:
    if row["reference"] and not PRIORITY.match(row["reference"]):
        loader.problem(row, "reference", f"“{row['reference']}” is not a reference like SP3")


def _priority_write(loader, rows) -> None:
    made = _create(
        [
            StrategicPriority(
                plan=loader.plan, number=int(PRIORITY.match(r["reference"])[1]), title=r["title"]
            )
            for r in rows
        ],
        StrategicPriority,
    )
    loader.made["Priorities"] = {r.key: p for r, p in zip(rows, made, strict=True)}


register(
    SheetSpec(
        name="Priorities",
        model=StrategicPriority,
        match=("number",),
        fields=("title",),
        position=50,
        counted="strategic priorities",
        about="The plan's strategic priorities. Objectives name them by reference (SP1, SP2…).",
        key=_key("reference"),
        key_columns=("reference",),
        columns=(
            Col(
                "reference",
                "Reference",
                "SP and the priority's number, e.g. SP3.",
                required=True,
                max_length=10,
            ),
            Col("title", "Title", "The priority.", T.LONG_TEXT, True),
        ),
        export=lambda plan: (
            {"reference": f"SP{p.number}", "title": p.title}
            for p in plan.strategic_priorities.order_by("number")
        ),
        check=_priority_check,
        write=_priority_write,
    )
)


def _numbered_write(model, sheet, **build):
    def write(loader, rows):
        made = _create([model(plan=loader.plan, **build["fields"](loader, r)) for r in rows], model)
        loader.made[sheet] = {r.key: m for r, m in zip(rows, made, strict=True)}

    return write


register(
    SheetSpec(
        name="Short-term objectives",
        model=StrategicObjective,
        match=("number",),
        fields=("text",),
        position=60,
        counted="short/medium-term objectives",
        about="The plan's short/medium-term objectives. Objectives name them by number.",
        key=_key("number"),
        key_columns=("number",),
        columns=(
            Col("number", "Number", "Its number, e.g. 4.", T.WHOLE, True, low=1, high=32767),
            Col("text", "Text", "The objective.", T.LONG_TEXT, True),
        ),
        export=lambda plan: (
            {"number": o.number, "text": o.text}
            for o in plan.strategic_objectives.order_by("number")
        ),
        write=_numbered_write(
            StrategicObjective,
            "Short-term objectives",
            fields=lambda loader, r: {"number": r["number"], "text": r["text"]},
        ),
    )
)


# --- the organisation's structure: departments, roles and people --------------------------------


def _departments_check(loader, row) -> None:
    if row["parent"] is not None and row["parent"] == row["name"]:
        loader.problem(row, "parent", "a department cannot sit under itself")


def _departments_write(loader, rows) -> None:
    """Matched by name to the organisation's units; the others created (never changed)."""
    org = loader.organisation
    existing = {u.name: u for u in OrgUnit.objects.filter(organisation=org)}
    start = max((u.order for u in existing.values()), default=0)
    made, created = {}, []
    for n, row in enumerate(rows, 1):
        unit = existing.get(row["name"])
        if unit is None:
            unit = OrgUnit(organisation=org, name=row["name"], kind=row["kind"], order=start + n)
            created.append((unit, row))
        made[row.key] = unit
    _create([u for u, _ in created], OrgUnit)
    parented = []
    for unit, row in created:
        if row["parent"] is not None:
            unit.parent = made[row["parent"]]
            parented.append(unit)
    OrgUnit.objects.bulk_update(parented, ["parent"])
    loader.made["Departments"] = made


register(
    SheetSpec(
        name="Departments",
        shared=True,
        position=70,
        counted="departments and directorates",
        about="Your organisation's directorates, departments, services and teams. A name "
        "that is already your organisation's is that unit (left as it is); the others are "
        "created.",
        key=_key("name"),
        key_columns=("name",),
        columns=(
            Col(
                "name",
                "Name",
                "The unit's name, as objectives name it.",
                required=True,
                max_length=120,
            ),
            Col("kind", "Kind", "What the unit is.", T.CHOICE, True, choices_of(OrgUnitKind)),
            Col(
                "parent",
                "Part of",
                "The unit it sits under (a row of this sheet), if any.",
                T.REF,
                ref="Departments",
            ),
        ),
        export=lambda plan: (
            {"name": u.name, "kind": u.kind, "parent": u.parent.name if u.parent else None}
            for u in OrgUnit.objects.filter(organisation=plan.organisation).select_related("parent")
        ),
        check=_departments_check,
        write=_departments_write,
    )
)


def _roles_write(loader, rows) -> None:
    """Matched to the organisation's roles by abbreviation, else by title; others created."""
    org = loader.organisation
    roles = list(Role.objects.filter(organisation=org))
    by_abbreviation = {r.abbreviation: r for r in roles if r.abbreviation}
    by_title = {r.title: r for r in roles}
    made, created = {}, []
    for row in rows:
        abbreviation = row["abbreviation"] or ""
        role = by_abbreviation.get(abbreviation) if abbreviation else None
        role = role or by_title.get(row["title"])
        if role is None:
            role = Role(organisation=org, abbreviation=abbreviation, title=row["title"])
            created.append(role)
            by_title[role.title] = role
            if abbreviation:
                by_abbreviation[abbreviation] = role
        made[row.key] = role
    _create(created, Role)
    loader.made["Roles"] = made


register(
    SheetSpec(
        name="Roles",
        shared=True,
        position=80,
        counted="roles",
        about="The posts the plan names (SROs, leads, owners). Other sheets name a role by its "
        "abbreviation, or by its title when it has none. A role your organisation has already "
        "is that role; the others are created as roles, never as users.",
        key=lambda v: v.get("abbreviation") or v.get("title"),
        key_columns=("abbreviation",),
        columns=(
            Col("abbreviation", "Abbreviation", "As the plan writes it, e.g. AO.", max_length=30),
            Col(
                "title",
                "Title",
                "The post's title, e.g. Accountable Officer.",
                required=True,
                max_length=150,
            ),
        ),
        export=lambda plan: (
            {"abbreviation": r.abbreviation, "title": r.title}
            for r in Role.objects.filter(organisation=plan.organisation)
        ),
        write=_roles_write,
    )
)


def _people_check(loader, row) -> None:
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            loader.problem(row, "email", f"“{row['email']}” is not an email address")


def _people_write(loader, rows) -> None:
    """Matched by name to the organisation's people (left as they are); the others created as
    role holders, never as users."""
    org = loader.organisation
    existing = {p.name: p for p in Person.objects.filter(organisation=org)}
    created = [
        (
            Person(
                organisation=org,
                name=r["name"],
                job_title=r["job_title"] or "",
                email=r["email"] or "",
            ),
            r,
        )
        for r in rows
        if r["name"] not in existing
    ]
    _create([p for p, _ in created], Person)
    # What other sheets name (a risk's owner): the organisation's person, or the one made.
    loader.made["People"] = existing | {p.name: p for p, _ in created}
    Link = Person.roles.through
    Link.objects.bulk_create(
        Link(person=person, role=loader.made["Roles"][ref])
        for person, r in created
        for ref in r["roles"]
    )


register(
    SheetSpec(
        name="People",
        shared=True,
        position=90,
        counted="people",
        about="People named in the plan and the roles they hold. A name your organisation has "
        "already is that person (left as they are); the others are created as role holders, "
        "never as users: nobody can sign in as them.",
        key=_key("name"),
        key_columns=("name",),
        columns=(
            Col("name", "Name", "The person's name.", required=True, max_length=150),
            Col("job_title", "Job title", "Their job title.", max_length=150),
            Col("email", "Email", "Their email address.", max_length=254),
            Col("roles", "Roles", "The roles they hold (rows of Roles).", T.REFS, ref="Roles"),
        ),
        export=lambda plan: (
            {
                "name": p.name,
                "job_title": p.job_title,
                "email": p.email,
                "roles": tuple(role_key(r) for r in p.roles.all()),
            }
            for p in Person.objects.filter(organisation=plan.organisation).prefetch_related("roles")
        ),
        check=_people_check,
        write=_people_write,
    )
)


# --- programmes and goals -----------------------------------------------------------------------

register(
    SheetSpec(
        name="Programmes",
        model=Programme,
        match=("number",),
        fields=("title", "aim", "lead_text", "lead_role"),
        position=100,
        counted="programmes or domains",
        about="Programmes of work or OD domains: goals and actions name them by number.",
        key=_key("number"),
        key_columns=("number",),
        columns=(
            Col("number", "Number", "Its number, e.g. 2.", T.WHOLE, True, low=1, high=32767),
            Col("title", "Title", "The programme or domain.", required=True, max_length=200),
            Col("aim", "Aim", "What it is for.", T.LONG_TEXT),
            Col(
                "lead_text", "Lead (as written)", "Its lead as the plan writes it.", max_length=150
            ),
            Col("lead_role", "Lead role", "The lead's role (a row of Roles).", T.REF, ref="Roles"),
        ),
        export=lambda plan: (
            {
                "number": p.number,
                "title": p.title,
                "aim": p.aim,
                "lead_text": p.lead_text,
                "lead_role": role_key(p.lead_role) if p.lead_role else None,
            }
            for p in plan.programmes.select_related("lead_role").order_by("number")
        ),
        write=_numbered_write(
            Programme,
            "Programmes",
            fields=lambda loader, r: {
                "number": r["number"],
                "title": r["title"],
                "aim": r["aim"] or "",
                "lead_text": r["lead_text"] or "",
                "lead_role": loader.record("Roles", r["lead_role"]),
            },
        ),
    )
)

register(
    SheetSpec(
        name="Goals",
        model=Goal,
        match=("order",),
        fields=("programme", "section", "title"),
        position=110,
        counted="goals",
        about="Headings that group actions (OD goals), numbered in order: actions name them by "
        "number.",
        key=_key("number"),
        key_columns=("number",),
        columns=(
            Col(
                "number",
                "Number",
                "Its number, in order: 1, 2, 3…",
                T.WHOLE,
                True,
                low=0,
                high=2**31 - 1,
            ),
            Col(
                "programme",
                "Programme",
                "The programme or domain it belongs to (its number).",
                T.REF,
                ref="Programmes",
            ),
            Col("section", "Section", "The heading it sits under, e.g. CCG Staff.", max_length=150),
            Col("title", "Title", "The goal.", T.LONG_TEXT, True),
        ),
        export=lambda plan: (
            {
                "number": g.order,
                "programme": str(g.programme.number) if g.programme else None,
                "section": g.section,
                "title": g.title,
            }
            for g in plan.goals.select_related("programme").order_by("order")
        ),
        write=_numbered_write(
            Goal,
            "Goals",
            fields=lambda loader, r: {
                "order": r["number"],
                "programme": loader.record("Programmes", r["programme"]),
                "section": r["section"] or "",
                "title": r["title"],
            },
        ),
    )
)


# --- KPIs, their targets and measurements --------------------------------------------------------


def _kpi_write(loader, rows) -> None:
    made = _create(
        [
            KPI(
                plan=loader.plan,
                code=r["code"],
                name=r["name"],
                description=r["description"] or "",
                perspective=r["perspective"],
                unit=r["unit"] or "",
                polarity=r["polarity"] or Polarity.HIGHER,
                frequency=r["frequency"] or Frequency.QUARTERLY,
                owner_text=r["owner_text"] or "",
                owner_role=loader.record("Roles", r["owner_role"]),
                data_source=r["data_source"] or "",
                in_development=r["in_development"],
                definition_due=r["definition_due"],
            )
            for r in rows
        ],
        KPI,
    )
    loader.made["KPIs"] = {r.key: k for r, k in zip(rows, made, strict=True)}


register(
    SheetSpec(
        name="KPIs",
        model=KPI,
        match=("code",),
        fields=(
            "name",
            "description",
            "perspective",
            "unit",
            "polarity",
            "frequency",
            "owner_text",
            "owner_role",
            "data_source",
            "in_development",
            "definition_due",
        ),
        position=120,
        counted="KPIs",
        about="Key performance indicators: other sheets name them by code.",
        key=_key("code"),
        key_columns=("code",),
        columns=(
            Col(
                "code",
                "Code",
                "Perspective letter and number, e.g. L2.",
                required=True,
                max_length=20,
            ),
            Col("name", "Name", "What it measures.", required=True, max_length=200),
            Col("description", "Description", "More about it.", T.LONG_TEXT),
            Col(
                "perspective",
                "Perspective",
                "Its balanced-scorecard perspective.",
                T.CHOICE,
                True,
                choices_of(Perspective),
            ),
            Col("unit", "Unit", "E.g. %, £, days.", max_length=40),
            Col(
                "polarity",
                "Polarity",
                "Which way is better (blank: higher).",
                T.CHOICE,
                choices=choices_of(Polarity),
            ),
            Col(
                "frequency",
                "Frequency",
                "How often it is measured (blank: quarterly).",
                T.CHOICE,
                choices=choices_of(Frequency),
            ),
            Col(
                "owner_text",
                "Owner (as written)",
                "Its owner as the plan writes it.",
                max_length=150,
            ),
            Col(
                "owner_role", "Owner role", "The owner's role (a row of Roles).", T.REF, ref="Roles"
            ),
            Col("data_source", "Data source", "Where the figures come from.", max_length=200),
            Col(
                "in_development",
                "In development",
                "Yes while it is still being defined.",
                T.YES_NO,
                choices=(("yes", "Yes"), ("no", "No")),
            ),
            Col(
                "definition_due",
                "Definition due",
                "When a KPI in development is due to be defined.",
                T.DATE,
            ),
        ),
        export=lambda plan: (
            {
                **{
                    f: getattr(k, f)
                    for f in (
                        "code",
                        "name",
                        "description",
                        "perspective",
                        "unit",
                        "polarity",
                        "frequency",
                        "owner_text",
                        "data_source",
                        "in_development",
                        "definition_due",
                    )
                },
                "owner_role": role_key(k.owner_role) if k.owner_role else None,
            }
            for k in plan.kpis.select_related("owner_role")
        ),
        write=_kpi_write,
    )
)


def _target_check(loader, row) -> None:
    if row["target"] is None and row["tolerance"] is not None:
        loader.problem(row, "tolerance", "a tolerance needs a target")


register(
    SheetSpec(
        name="KPI targets",
        model=KPITarget,
        match=("kpi", "effective_from"),
        fields=("target", "tolerance", "reason"),
        records=lambda plan: KPITarget.objects.filter(kpi__plan=plan),
        position=130,
        counted="KPI targets",
        about="Each KPI's target and tolerance from the date it takes effect until the next "
        "one. A blank target from a date means no target from then on.",
        key=_key("kpi", "effective_from"),
        key_columns=("effective_from",),
        columns=(
            Col("kpi", "KPI", "The KPI's code (a row of KPIs).", T.REF, True, ref="KPIs"),
            Col("effective_from", "Effective from", "The day it takes effect.", T.DATE, True),
            Col("target", "Target", "The target, in the KPI's unit.", T.NUMBER, signed=True),
            Col("tolerance", "Tolerance", "How far short of target is still Amber.", T.NUMBER),
            Col("reason", "Reason", "Why it was set or changed.", max_length=300),
        ),
        export=lambda plan: (
            {
                "kpi": t.kpi.code,
                "effective_from": t.effective_from,
                "target": t.target,
                "tolerance": t.tolerance,
                "reason": t.reason,
            }
            for t in KPITarget.objects.filter(kpi__plan=plan)
            .select_related("kpi")
            .order_by("kpi__perspective", "kpi__code", "effective_from")
        ),
        check=_target_check,
        write=lambda loader, rows: _create(
            [
                KPITarget(
                    kpi=loader.made["KPIs"][r["kpi"]],
                    effective_from=r["effective_from"],
                    target=r["target"],
                    tolerance=r["tolerance"],
                    reason=r["reason"] or "",
                    created_by=loader.by,
                )
                for r in rows
            ],
            KPITarget,
        ),
    )
)


def _measurement_check(loader, row) -> None:
    """The period must begin a period of the KPI's frequency, and have started."""
    kpi = loader.keys("KPIs").get(row["kpi"])
    if kpi is None or row["period_start"] is None:
        return
    try:
        periods.check(
            row["period_start"],
            kpi["frequency"] or Frequency.QUARTERLY,
            today=timezone.localdate(),
        )
    except periods.PeriodError as error:
        loader.problem(row, "period_start", str(error))


register(
    SheetSpec(
        name="Measurements",
        model=Measurement,
        match=("kpi", "period_start"),
        history=True,
        records=lambda plan: Measurement.objects.filter(kpi__plan=plan),
        position=140,
        counted="KPI measurements",
        about="The figures measured for each KPI, one period a row (withdrawn values stay in "
        "Waymark's history and are not exported).",
        key=_key("kpi", "period_start"),
        key_columns=("period_start",),
        columns=(
            Col("kpi", "KPI", "The KPI's code (a row of KPIs).", T.REF, True, ref="KPIs"),
            Col(
                "period_start",
                "Period start",
                "The first day of the month, quarter or year measured.",
                T.DATE,
                True,
            ),
            Col(
                "value",
                "Value",
                "The figure, at most 4 decimal places.",
                T.NUMBER,
                True,
                signed=True,
            ),
            Col("commentary", "Commentary", "What explains it.", T.LONG_TEXT),
            Col(
                "starts_new_limits",
                "Recalculate limits from here",
                "Yes when a deliberate change starts here (SPC).",
                T.YES_NO,
                choices=(("yes", "Yes"), ("no", "No")),
            ),
            Col(
                "synthetic",
                "Synthetic",
                "Yes for generated demonstration figures.",
                T.YES_NO,
                choices=(("yes", "Yes"), ("no", "No")),
            ),
        ),
        export=lambda plan: (
            {
                "kpi": m.kpi.code,
                "period_start": m.period_start,
                "value": m.value,
                "commentary": m.commentary,
                "starts_new_limits": m.starts_new_limits,
                "synthetic": m.synthetic,
            }
            for m in Measurement.objects.filter(kpi__plan=plan)
            .select_related("kpi")
            .order_by("kpi__perspective", "kpi__code", "period_start")
        ),
        check=_measurement_check,
        write=lambda loader, rows: _create(
            [
                Measurement(
                    kpi=loader.made["KPIs"][r["kpi"]],
                    period_start=r["period_start"],
                    value=r["value"],
                    commentary=r["commentary"] or "",
                    starts_new_limits=r["starts_new_limits"],
                    synthetic=r["synthetic"],
                    created_by=loader.by,
                )
                for r in rows
            ],
            Measurement,
        ),
    )
)


# --- objectives and actions, milestones, progress ------------------------------------------------

OBJECTIVE_TEXT = ("sro_text", "lead_text", "due_text", "measure")


def _objective_rows(plan):
    objectives = plan.objectives.select_related(
        "org_unit", "programme", "goal", "strategic_priority", "strategic_objective"
    ).order_by("order")
    # The links as (objective id, reference) pairs: a prefetch would build a model and a
    # manager per link, the slowest part of a large export.
    links = {
        field: _linked(plan, getattr(Objective, field).through, order, *names)
        for field, order, names in (
            ("sro_roles", ("role__title",), ("role__abbreviation", "role__title")),
            ("lead_roles", ("role__title",), ("role__abbreviation", "role__title")),
            ("kpis", ("kpi__perspective", "kpi__code"), ("kpi__code",)),
        )
    }
    for o in objectives:
        yield {
            "reference": o.reference,
            "kind": o.kind,
            "department": o.org_unit.name if o.org_unit else None,
            "programme": str(o.programme.number) if o.programme else None,
            "goal": str(o.goal.order) if o.goal else None,
            "text": o.text,
            "priority": f"SP{o.strategic_priority.number}" if o.strategic_priority else None,
            "short_objective": str(o.strategic_objective.number) if o.strategic_objective else None,
            "sro_text": o.sro_text,
            "sro_roles": tuple(links["sro_roles"].get(o.pk, ())),
            "lead_text": o.lead_text,
            "lead_roles": tuple(links["lead_roles"].get(o.pk, ())),
            "due_text": o.due_text,
            "due_date": o.due_date,
            "measure": o.measure,
            "kpis": tuple(links["kpis"].get(o.pk, ())),
            "is_new": o.is_new,
        }


def _linked(plan, through, order, *names) -> dict[int, list[str]]:
    """{objective id: [the linked rows' references]} for one many-to-many field of objectives,
    in the linked model's order (a role is named by its abbreviation, else its title)."""
    linked: dict[int, list[str]] = defaultdict(list)
    rows = through.objects.filter(objective__plan=plan).order_by(*order)
    for objective_id, *values in rows.values_list("objective_id", *names):
        linked[objective_id].append(next((v for v in values if v), ""))
    return linked


def _objectives_write(loader, rows) -> None:
    made = _create(
        [
            Objective(
                plan=loader.plan,
                kind=r["kind"],
                reference=r["reference"] or "",
                text=r["text"],
                org_unit=loader.record("Departments", r["department"]),
                programme=loader.record("Programmes", r["programme"]),
                goal=loader.record("Goals", r["goal"]),
                strategic_priority=loader.record("Priorities", r["priority"]),
                strategic_objective=loader.record("Short-term objectives", r["short_objective"]),
                due_date=r["due_date"],
                is_new=r["is_new"],
                order=n,
                **{f: r[f] or "" for f in OBJECTIVE_TEXT},
            )
            for n, r in enumerate(rows, 1)
        ],
        Objective,
    )
    loader.made["Objectives"] = {r.key: o for r, o in zip(rows, made, strict=True) if r.key}
    for field, target in (("sro_roles", "Roles"), ("lead_roles", "Roles"), ("kpis", "KPIs")):
        _link(
            getattr(Objective, field).through,
            "objective",
            "kpi" if target == "KPIs" else "role",
            made,
            (
                (o, loader.made[target][ref])
                for r, o in zip(rows, made, strict=True)
                for ref in r[field]
            ),
            loader.made[target].values(),
        )


register(
    SheetSpec(
        name="Objectives",
        model=Objective,
        match=("reference",),
        fields=(
            "kind",
            "text",
            "org_unit",
            "programme",
            "goal",
            "strategic_priority",
            "strategic_objective",
            "due_date",
            *OBJECTIVE_TEXT,
        ),
        quiet=("order",),
        new_mark="is_new",
        records=lambda plan: Objective.objects.filter(plan=plan).select_related("latest_update"),
        position=150,
        counted="objectives and actions",
        about="The plan's deliverables: departmental operational objectives and action-plan "
        "items, in order. Their current status, RAG and % complete are their latest row in "
        "Progress history.",
        key=_key("reference"),
        key_columns=("reference",),
        columns=(
            Col(
                "reference",
                "Reference",
                "As numbered, e.g. EST-1 or 6.1: milestones, progress and savings name it.",
                max_length=20,
            ),
            Col(
                "kind",
                "Kind",
                "An operational objective or an action.",
                T.CHOICE,
                True,
                choices_of(ObjectiveKind),
            ),
            Col(
                "department",
                "Department",
                "The unit that owns it (a row of Departments).",
                T.REF,
                ref="Departments",
            ),
            Col(
                "programme",
                "Programme",
                "Its programme or domain (a number on Programmes).",
                T.REF,
                ref="Programmes",
            ),
            Col("goal", "Goal", "The goal it sits under (a number on Goals).", T.REF, ref="Goals"),
            Col("text", "Text", "The objective or action.", T.LONG_TEXT, True),
            Col(
                "priority",
                "Strategic priority",
                "The priority it serves, e.g. SP2.",
                T.REF,
                ref="Priorities",
            ),
            Col(
                "short_objective",
                "Short-term objective",
                "The short/medium-term objective it serves (its number).",
                T.REF,
                ref="Short-term objectives",
            ),
            Col(
                "sro_text",
                "SRO (as written)",
                "Its senior responsible officer as the plan writes it.",
                max_length=150,
            ),
            Col("sro_roles", "SRO roles", "The SRO's roles (rows of Roles).", T.REFS, ref="Roles"),
            Col(
                "lead_text", "Lead (as written)", "Its lead as the plan writes it.", max_length=150
            ),
            Col(
                "lead_roles", "Lead roles", "The lead's roles (rows of Roles).", T.REFS, ref="Roles"
            ),
            Col(
                "due_text",
                "Due (as written)",
                "When it is due as the plan writes it, e.g. Sept 06, Ongoing.",
                max_length=150,
            ),
            Col("due_date", "Due date", "The date it is due: sorts and drives overdue.", T.DATE),
            Col("measure", "Measure", "The measure or evidence of delivery.", T.LONG_TEXT),
            Col("kpis", "KPIs", "The KPIs that measure it (codes on KPIs).", T.REFS, ref="KPIs"),
            Col(
                "is_new",
                "New",
                "Yes for an item new in this version of the plan.",
                T.YES_NO,
                choices=(("yes", "Yes"), ("no", "No")),
            ),
        ),
        export=_objective_rows,
        write=_objectives_write,
    )
)


def _milestones_write(loader, rows) -> None:
    counts: dict[str, int] = defaultdict(int)
    milestones = []
    for r in rows:
        counts[r["objective"]] += 1
        milestones.append(
            Milestone(
                objective=loader.made["Objectives"][r["objective"]],
                text=r["text"],
                lead_text=r["lead_text"] or "",
                due_text=r["due_text"] or "",
                due_date=r["due_date"],
                completed_on=r["completed_on"],
                order=counts[r["objective"]],
            )
        )
    _create(milestones, Milestone)


register(
    SheetSpec(
        name="Milestones",
        model=Milestone,
        match=("objective", "order"),
        fields=("text", "lead_text", "due_text", "due_date"),
        records=lambda plan: Milestone.objects.filter(objective__plan=plan),
        position=160,
        counted="milestones",
        about="Milestones of objectives and actions, in order under each.",
        columns=(
            Col(
                "objective",
                "Objective",
                "The objective's reference (a row of Objectives).",
                T.REF,
                True,
                ref="Objectives",
            ),
            Col("text", "Text", "The milestone.", T.LONG_TEXT, True),
            Col("lead_text", "Lead (as written)", "Its lead.", max_length=150),
            Col("due_text", "Due (as written)", "When it is due, as written.", max_length=150),
            Col("due_date", "Due date", "The date it is due.", T.DATE),
            Col("completed_on", "Completed on", "When it was completed.", T.DATE),
        ),
        export=lambda plan: (
            {
                "objective": m.objective.reference,
                "text": m.text,
                "lead_text": m.lead_text,
                "due_text": m.due_text,
                "due_date": m.due_date,
                "completed_on": m.completed_on,
            }
            for m in Milestone.objects.filter(objective__plan=plan)
            .select_related("objective")
            .order_by("objective__order", "order", "pk")
        ),
        write=_milestones_write,
    )
)


def _progress_check(loader, row) -> None:
    if row["rag"] == RAG.BLUE and (row["percent_complete"] or 0) != 100:
        loader.problem(row, "percent_complete", "Blue means complete: the percentage must be 100")
    if row["evidence_url"]:
        try:
            URLValidator()(row["evidence_url"])
        except ValidationError:
            loader.problem(
                row, "evidence_url", f"“{row['evidence_url'][:40]}” is not a web address"
            )


def _progress_write(loader, rows) -> None:
    now = timezone.now()
    updates = [
        ProgressUpdate(
            objective=loader.made["Objectives"][r["objective"]],
            created_by=None,
            # A row without its time comes after the others, in the sheet's order.
            created_at=r["reported_at"] or now + dt.timedelta(microseconds=n),
            financial_year=r["financial_year"],
            quarter=r["quarter"],
            status=r["status"],
            rag=r["rag"] or "",
            percent_complete=r["percent_complete"] or 0,
            narrative=r["narrative"] or "",
            next_steps=r["next_steps"] or "",
            evidence_url=r["evidence_url"] or "",
        )
        for n, r in enumerate(rows)
    ]
    updates = _create(updates, ProgressUpdate)
    if UPDATING.get() is not None:
        # Onto an existing plan: only the updates added count, and only where they are later
        # than the item's latest already.
        updates = [u for u in updates if getattr(u, "_workbook_added", False)]
    latest: dict[int, ProgressUpdate] = {}
    for update in updates:  # the latest by time; of two at the same time, the later row
        current = latest.get(update.objective.pk) or update.objective.latest_update
        if current is None or update.created_at >= current.created_at:
            latest[update.objective.pk] = update
    objectives = []
    for update in latest.values():
        objective_apply_update(objective=update.objective, update=update)
        objectives.append(update.objective)
    Objective.objects.bulk_update(
        objectives, ["status", "rag", "percent_complete", "latest_update"], batch_size=500
    )


register(
    SheetSpec(
        name="Progress history",
        model=ProgressUpdate,
        match=("objective", "created_at"),
        history=True,
        records=lambda plan: ProgressUpdate.objects.filter(objective__plan=plan),
        position=170,
        counted="progress updates",
        about="Progress reported on objectives and actions, quarter by quarter. An item's "
        "latest row (by Reported at) is its current status, RAG and % complete. Corrected and "
        "withdrawn updates stay in Waymark's history and are not exported.",
        columns=(
            Col(
                "objective",
                "Objective",
                "The objective's reference (a row of Objectives).",
                T.REF,
                True,
                ref="Objectives",
            ),
            Col(
                "financial_year",
                "Financial year",
                "The year reported on, e.g. 2019/20.",
                T.YEAR,
                True,
            ),
            Col(
                "quarter",
                "Quarter",
                "The quarter reported on: 1 (April to June) to 4.",
                T.WHOLE,
                True,
                low=1,
                high=4,
            ),
            Col(
                "reported_at",
                "Reported at",
                "When it was reported (UTC), e.g. 2019-07-01 09:30:00+00:00; blank: when imported.",
                T.TIMESTAMP,
            ),
            Col(
                "status",
                "Status",
                "Where the item stands.",
                T.CHOICE,
                True,
                choices_of(ProgressStatus),
            ),
            Col("rag", "RAG", "Its rating (blank: not rated).", T.CHOICE, choices=choices_of(RAG)),
            Col("percent_complete", "% complete", "From 0 to 100.", T.WHOLE, low=0, high=100),
            Col("narrative", "Narrative", "What was done.", T.LONG_TEXT),
            Col("next_steps", "Next steps", "What comes next.", T.LONG_TEXT),
            Col("evidence_url", "Evidence link", "A web address of the evidence.", max_length=200),
        ),
        export=lambda plan: (
            {
                "objective": u.objective.reference,
                "financial_year": u.financial_year,
                "quarter": u.quarter,
                "reported_at": u.created_at,
                "status": u.status,
                "rag": u.rag,
                "percent_complete": u.percent_complete,
                "narrative": u.narrative,
                "next_steps": u.next_steps,
                "evidence_url": u.evidence_url,
            }
            for u in ProgressUpdate.objects.filter(objective__plan=plan)
            .select_related("objective")
            .order_by("objective__order", "created_at", "pk")
        ),
        check=_progress_check,
        write=_progress_write,
    )
)


# --- strategic analysis ---------------------------------------------------------------------------


def _ordered_within(model, group: str):
    def write(loader, rows):
        counts: dict[str, int] = defaultdict(int)
        objects = []
        for r in rows:
            counts[r[group]] += 1
            objects.append(
                model(plan=loader.plan, text=r["text"], order=counts[r[group]], **{group: r[group]})
            )
        _create(objects, model)

    return write


register(
    SheetSpec(
        name="SWOT",
        model=SwotItem,
        match=("quadrant", "order"),
        fields=("text",),
        position=180,
        counted="SWOT items",
        about="The SWOT analysis: one strength, weakness, opportunity or threat a row, in order "
        "within each.",
        columns=(
            Col(
                "quadrant",
                "Quadrant",
                "Strengths, Weaknesses, Opportunities or Threats.",
                T.CHOICE,
                True,
                choices_of(Quadrant),
            ),
            Col("text", "Text", "The item.", T.LONG_TEXT, True),
        ),
        export=lambda plan: (
            {"quadrant": s.quadrant, "text": s.text} for s in plan.swot_items.all()
        ),
        write=_ordered_within(SwotItem, "quadrant"),
    )
)
register(
    SheetSpec(
        name="PESTEL",
        model=PestelDriver,
        match=("category", "order"),
        fields=("text",),
        position=190,
        counted="PESTEL drivers",
        about="The PESTEL analysis: one driver a row, in order within each category.",
        columns=(
            Col(
                "category",
                "Category",
                "Political, Economic, Social, Technological, Environmental or Legal.",
                T.CHOICE,
                True,
                choices_of(PestelCategory),
            ),
            Col("text", "Text", "The driver.", T.LONG_TEXT, True),
        ),
        export=lambda plan: (
            {"category": d.category, "text": d.text} for d in plan.pestel_drivers.all()
        ),
        write=_ordered_within(PestelDriver, "category"),
    )
)


# --- budget ------------------------------------------------------------------------------------

register(
    SheetSpec(
        name="Service lines",
        model=ServiceLine,
        match=("name",),
        quiet=("order",),
        position=200,
        counted="service lines",
        about="The budget's income categories, in order.",
        key=_key("name"),
        key_columns=("name",),
        columns=(
            Col(
                "name",
                "Name",
                "The service line, e.g. Management Services.",
                required=True,
                max_length=120,
            ),
        ),
        export=lambda plan: ({"name": s.name} for s in plan.service_lines.order_by("order")),
        write=lambda loader, rows: loader.made.__setitem__(
            "Service lines",
            {
                r.key: s
                for r, s in zip(
                    rows,
                    _create(
                        [
                            ServiceLine(plan=loader.plan, name=r["name"], order=n)
                            for n, r in enumerate(rows, 1)
                        ],
                        ServiceLine,
                    ),
                    strict=True,
                )
            },
        ),
    )
)


def _funders(loader) -> dict[str, Any]:
    """The organisation's partners and other clients, by their names and short names."""
    cached = getattr(loader, "_funders", None)
    if cached is None:
        cached = {}
        for relationship in ClientRelationship.objects.filter(
            provider=loader.organisation
        ).select_related("client"):
            client = relationship.client
            for name in (client.name, client.short_name):
                if name:
                    cached[name.casefold()] = client
        loader._funders = cached
    return cached


def _income_check(loader, row) -> None:
    name = row["funder_organisation"]
    if name and name.casefold() not in _funders(loader):
        loader.problem(
            row,
            "funder_organisation",
            f"“{name[:40]}” is not one of {loader.organisation.display_name}'s partners or "
            "clients: leave it blank, or ask an administrator to add it first",
        )


def _income_write(loader, rows) -> None:
    funder_order: dict[str, int] = {}
    lines = []
    for r in rows:
        funder_order.setdefault(r["funder_label"], len(funder_order) + 1)
        name = r["funder_organisation"]
        lines.append(
            IncomeLine(
                plan=loader.plan,
                financial_year=r["financial_year"],
                funder=_funders(loader)[name.casefold()] if name else None,
                funder_label=r["funder_label"],
                funder_order=funder_order[r["funder_label"]],
                service_line=loader.made["Service lines"][r["service_line"]],
                amount=r["amount"],
            )
        )
    loader.made["Income"] = {
        r.key: line for r, line in zip(rows, _create(lines, IncomeLine), strict=True)
    }


register(
    SheetSpec(
        name="Income",
        model=IncomeLine,
        match=("financial_year", "funder_label", "service_line"),
        fields=("funder", "amount"),
        quiet=("funder_order",),
        position=210,
        counted="income lines",
        about="What each funder pays for each service line in each year.",
        key=_key("financial_year", "funder_label", "service_line"),
        key_columns=("service_line",),
        columns=(
            Col("financial_year", "Financial year", "E.g. 2006/07.", T.YEAR, True),
            Col(
                "funder_label",
                "Funder",
                "The funder as printed, e.g. Richmond & Tw PCT.",
                required=True,
                max_length=120,
            ),
            Col(
                "funder_organisation",
                "Funder organisation",
                "The funder's name in Waymark, when it is one of your organisation's partners or "
                "clients (blank for a catch-all such as Others).",
                max_length=200,
            ),
            Col(
                "service_line",
                "Service line",
                "A row of Service lines.",
                T.REF,
                True,
                ref="Service lines",
            ),
            Col("amount", "Amount", "In pounds, £0 or more.", T.MONEY, True),
        ),
        export=lambda plan: (
            {
                "financial_year": i.financial_year,
                "funder_label": i.funder_label,
                "funder_organisation": i.funder.name if i.funder else None,
                "service_line": i.service_line.name,
                "amount": i.amount,
            }
            for i in plan.income_lines.select_related("funder", "service_line")
        ),
        check=_income_check,
        write=_income_write,
    )
)

register(
    SheetSpec(
        name="Expenditure",
        model=ExpenditureLine,
        match=("financial_year", "manager", "description"),
        fields=("amount",),
        quiet=("order",),
        position=220,
        counted="expenditure lines",
        about="Budget lines under the manager responsible for each, in order.",
        key=_key("financial_year", "manager", "description"),
        key_columns=("description",),
        columns=(
            Col("financial_year", "Financial year", "E.g. 2006/07.", T.YEAR, True),
            Col(
                "manager",
                "Manager",
                "The responsible manager, as printed.",
                required=True,
                max_length=120,
            ),
            Col("description", "Description", "The budget line.", required=True, max_length=200),
            Col("amount", "Amount", "In pounds, £0 or more.", T.MONEY, True),
        ),
        export=lambda plan: (
            {
                "financial_year": e.financial_year,
                "manager": e.manager,
                "description": e.description,
                "amount": e.amount,
            }
            for e in plan.expenditure_lines.all()
        ),
        write=lambda loader, rows: loader.made.__setitem__(
            "Expenditure",
            {
                r.key: e
                for r, e in zip(
                    rows,
                    _create(
                        [
                            ExpenditureLine(
                                plan=loader.plan,
                                financial_year=r["financial_year"],
                                manager=r["manager"],
                                description=r["description"],
                                amount=r["amount"],
                                order=n,
                            )
                            for n, r in enumerate(rows, 1)
                        ],
                        ExpenditureLine,
                    ),
                    strict=True,
                )
            },
        ),
    )
)

LINE_KINDS = (("income", "Income"), ("expenditure", "Expenditure"))


def _actual_line_key(values) -> str | None:
    parts = [values.get(k) for k in ("financial_year", "who", "what")]
    if any(p is None for p in parts):
        return None
    return f"{fy.fy_label(parts[0])} | {parts[1]} | {parts[2]}"


def _actual_check(loader, row) -> None:
    line_sheet = "Income" if row["line"] == "income" else "Expenditure"
    line_key = _actual_line_key(row.values)
    named = "funder and service line" if line_sheet == "Income" else "manager and description"
    if row["line"] and line_key and line_key not in loader.keys(line_sheet):
        loader.problem(
            row,
            "who",
            f"“{line_key}” is not a row of the sheet “{line_sheet}” (financial year, {named})",
        )
    year, month = row["financial_year"], row["month"]
    if year is not None and month is not None and not fy.fy_start(year) <= month <= fy.fy_end(year):
        loader.problem(
            row, "month", f"{month:%B %Y} is outside the financial year {fy.fy_label(year)}"
        )


def _actual_rows(plan):
    income = {line.pk: n for n, line in enumerate(plan.income_lines.all())}
    spend = {line.pk: n for n, line in enumerate(plan.expenditure_lines.all())}
    actuals = MonthlyActual.objects.filter(
        Q(income_line__plan=plan) | Q(expenditure_line__plan=plan)
    ).select_related("income_line__service_line", "expenditure_line")
    rows = []
    for a in actuals:
        if a.income_line_id:
            line = a.income_line
            place = (0, income[line.pk])
            who, what = line.funder_label, line.service_line.name
        else:
            line = a.expenditure_line
            place = (1, spend[line.pk])
            who, what = line.manager, line.description
        rows.append(
            (
                (*place, a.month),
                {
                    "line": "income" if a.income_line_id else "expenditure",
                    "financial_year": line.financial_year,
                    "who": who,
                    "what": what,
                    "month": a.month,
                    "amount": a.amount,
                },
            )
        )
    return (row for _, row in sorted(rows, key=lambda pair: pair[0]))


def _actuals_write(loader, rows) -> None:
    actuals = []
    for r in rows:
        line = loader.made["Income" if r["line"] == "income" else "Expenditure"][
            _actual_line_key(r.values)
        ]
        actuals.append(
            MonthlyActual(
                income_line=line if r["line"] == "income" else None,
                expenditure_line=line if r["line"] == "expenditure" else None,
                financial_year=line.financial_year,  # save() is not called by bulk_create
                month=r["month"],
                amount=r["amount"],
            )
        )
    _create(actuals, MonthlyActual)


register(
    SheetSpec(
        name="Monthly actuals",
        model=MonthlyActual,
        match=("income_line", "expenditure_line", "month"),
        history=True,
        records=lambda plan: MonthlyActual.objects.filter(
            Q(income_line__plan=plan) | Q(expenditure_line__plan=plan)
        ),
        position=230,
        counted="monthly actuals",
        about="What an income or expenditure line actually received or spent in a month. "
        "The line is named by its financial year, funder and service line (income) or manager "
        "and description (expenditure).",
        key=lambda v: (
            None
            if _actual_line_key(v) is None or v.get("month") is None or v.get("line") is None
            else f"{v['line']} | {_actual_line_key(v)} | {v['month']:%Y-%m}"
        ),
        key_columns=("month",),
        columns=(
            Col("line", "Line", "Income or Expenditure.", T.CHOICE, True, LINE_KINDS),
            Col(
                "financial_year",
                "Financial year",
                "The line's financial year, e.g. 2006/07.",
                T.YEAR,
                True,
            ),
            Col(
                "who",
                "Funder or manager",
                "The income line's funder, or the expenditure line's manager.",
                required=True,
                max_length=120,
            ),
            Col(
                "what",
                "Service line or description",
                "The income line's service line, or the expenditure line's description.",
                required=True,
                max_length=200,
            ),
            Col("month", "Month", "The month, e.g. 2006-09.", T.MONTH, True),
            Col("amount", "Amount", "In pounds, £0 or more.", T.MONEY, True),
        ),
        export=_actual_rows,
        check=_actual_check,
        write=_actuals_write,
    )
)

register(
    SheetSpec(
        name="Printed totals",
        model=PrintedTotal,
        match=("financial_year", "scope", "label"),
        fields=("amount",),
        position=240,
        counted="printed totals",
        about="Budget totals as the source document printed them, kept only to show where "
        "they differ from the lines' sums (which Waymark always computes).",
        # A grand total's label is blank: the key is the year, the scope and any label.
        key=lambda v: (
            None
            if v.get("financial_year") is None or v.get("scope") is None
            else f"{fy.fy_label(v['financial_year'])} | {v['scope']} | {v.get('label') or ''}"
        ),
        key_columns=("label",),
        columns=(
            Col("financial_year", "Financial year", "E.g. 2006/07.", T.YEAR, True),
            Col("scope", "Scope", "Which total it is.", T.CHOICE, True, choices_of(TotalScope)),
            Col(
                "label",
                "Label",
                "The funder or service line it totals (blank for a grand total).",
                max_length=120,
            ),
            Col("amount", "Amount", "In pounds, as printed.", T.MONEY, True),
        ),
        export=lambda plan: (
            {
                "financial_year": t.financial_year,
                "scope": t.scope,
                "label": t.label,
                "amount": t.amount,
            }
            for t in plan.printed_totals.all()
        ),
        write=lambda loader, rows: _create(
            [
                PrintedTotal(
                    plan=loader.plan,
                    financial_year=r["financial_year"],
                    scope=r["scope"],
                    label=r["label"] or "",
                    amount=r["amount"],
                )
                for r in rows
            ],
            PrintedTotal,
            audited=False,
        ),
    )
)


def _savings_write(loader, rows) -> None:
    made = _create(
        [
            SavingsScheme(
                plan=loader.plan,
                title=r["title"],
                owner_text=r["owner_text"] or "",
                owner_role=loader.record("Roles", r["owner_role"]),
                fte_effect=r["fte_effect"] if r["fte_effect"] is not None else Decimal("0"),
                status=r["status"],
                rag=r["rag"] or "",
                order=n,
            )
            for n, r in enumerate(rows, 1)
        ],
        SavingsScheme,
    )
    loader.made["Savings schemes"] = {r.key: s for r, s in zip(rows, made, strict=True)}
    _link(
        SavingsScheme.objectives.through,
        "savingsscheme",
        "objective",
        made,
        (
            (s, loader.made["Objectives"][ref])
            for r, s in zip(rows, made, strict=True)
            for ref in r["objectives"]
        ),
        loader.made["Objectives"].values(),
    )


register(
    SheetSpec(
        name="Savings schemes",
        model=SavingsScheme,
        match=("title",),
        fields=("owner_text", "owner_role", "fte_effect", "status", "rag"),
        quiet=("order",),
        position=250,
        counted="savings schemes",
        about="The plan's savings programme (cost improvement, QIPP and the like), in order.",
        key=_key("title"),
        key_columns=("title",),
        columns=(
            Col(
                "title",
                "Title",
                "The scheme: each scheme's title is its own.",
                required=True,
                max_length=200,
            ),
            Col(
                "owner_text",
                "Owner (as written)",
                "Its owner as the plan writes it.",
                max_length=150,
            ),
            Col(
                "owner_role", "Owner role", "The owner's role (a row of Roles).", T.REF, ref="Roles"
            ),
            Col(
                "fte_effect",
                "Effect on staff (FTE)",
                "Whole-time equivalents: negative for a reduction.",
                T.NUMBER,
                places=2,
                digits=7,
                signed=True,
            ),
            Col(
                "status",
                "Status",
                "Where the scheme stands.",
                T.CHOICE,
                True,
                choices_of(SavingsStatus),
            ),
            Col("rag", "RAG", "Its rating (blank: not rated).", T.CHOICE, choices=choices_of(RAG)),
            Col(
                "objectives",
                "Objectives",
                "The objectives it delivers (references on Objectives).",
                T.REFS,
                ref="Objectives",
            ),
        ),
        export=lambda plan: (
            {
                "title": s.title,
                "owner_text": s.owner_text,
                "owner_role": role_key(s.owner_role) if s.owner_role else None,
                "fte_effect": s.fte_effect,
                "status": s.status,
                "rag": s.rag,
                "objectives": tuple(o.reference for o in s.objectives.all() if o.reference),
            }
            for s in plan.savings_schemes.select_related("owner_role").prefetch_related(
                "objectives"
            )
        ),
        write=_savings_write,
    )
)

register(
    SheetSpec(
        name="Savings targets",
        model=SavingsTarget,
        match=("scheme", "financial_year"),
        fields=("amount", "delivered"),
        records=lambda plan: SavingsTarget.objects.filter(scheme__plan=plan),
        position=260,
        counted="savings targets",
        about="Each savings scheme's target for a financial year, and what it has delivered.",
        key=_key("scheme", "financial_year"),
        key_columns=("financial_year",),
        columns=(
            Col(
                "scheme",
                "Scheme",
                "The scheme's title (a row of Savings schemes).",
                T.REF,
                True,
                ref="Savings schemes",
            ),
            Col("financial_year", "Financial year", "E.g. 2006/07.", T.YEAR, True),
            Col("amount", "Target", "The target saving, in pounds.", T.MONEY, True),
            Col(
                "delivered",
                "Delivered to date",
                "The recurrent saving achieved, in pounds (blank: £0).",
                T.MONEY,
            ),
        ),
        export=lambda plan: (
            {
                "scheme": t.scheme.title,
                "financial_year": t.financial_year,
                "amount": t.amount,
                "delivered": t.delivered,
            }
            for t in SavingsTarget.objects.filter(scheme__plan=plan)
            .select_related("scheme")
            .order_by("scheme__order", "scheme__title", "financial_year")
        ),
        write=lambda loader, rows: _create(
            [
                SavingsTarget(
                    scheme=loader.made["Savings schemes"][r["scheme"]],
                    financial_year=r["financial_year"],
                    amount=r["amount"],
                    delivered=r["delivered"] if r["delivered"] is not None else Decimal("0"),
                )
                for r in rows
            ],
            SavingsTarget,
        ),
    )
)
