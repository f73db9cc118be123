"""The delivery plan's sheets of the plan workbook (delivery, issue 15): the tree of delivery
items, their progress updates, money and people by financial year, dependencies, lineage, the
governance bodies that oversee the plan and their decisions.

Rows name items by the plan's own item reference (SS, CP1.HR), bodies by their name; never an
id. The rules are the delivery services' own, called on the rows before anything is written:
an item's place in the tree (`services_hierarchy.check_place_in_tree`), its timescale and due
dates (`resolve_dates`), a progress update (`check_update`), a year figure (`check_figure`),
a dependency cycle (`delivery.graph`), a body's parent loop (`graph.parent_cycle`), and the
organisations involved (`planning.partnerships.validate_members`).

What travels and how (docs/decisions/workbook.md, "Delivery plans"):

* Another plan's item is named by that plan's slug and the item's reference; an import accepts
  only a plan of the importing organisation. An external programme is named by its words.
* Governance bodies and decisions are organisations' records. A plan's workbook carries the
  bodies that oversee the plan or its items, or whose decisions name its items (with the bodies
  above them), and the decisions that name its items. An import matches a body by organisation
  and name and uses it as it is, adding the new plan's oversight; it creates the importing
  organisation's missing bodies, but never a body or decision of another organisation (a
  member's Cabinet): those must be there already.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils import timezone

from delivery import graph
from delivery.models import (
    BodyKind,
    Confidence,
    Decision,
    DeliveryItem,
    DeliveryUpdate,
    Dependency,
    DependencyKind,
    DependencyStatus,
    GovernanceBody,
    Level,
    Lineage,
    LineageKind,
    Measure,
    YearFigure,
)
from delivery.services_hierarchy import (
    check_figure,
    check_place_in_tree,
    check_update,
    item_apply_latest,
    resolve_dates,
)
from objectives.models import ProgressStatus
from planning import partnerships
from planning.models import Organisation, Plan
from planning.rag import RAG
from planning.spreadsheets import cells
from workbook.kinds import _create, _link, role_key
from workbook.kinds_risks import _unread, risk_key
from workbook.sheets import (
    REF_SEPARATOR,
    UPDATING,
    YES_NO,
    Col,
    SheetSpec,
    Type,
    choices_of,
    register,
    spec_for_model,
)

T = Type
ITEMS = "Delivery items"
BODIES = "Governance bodies"
ITEM = Col(
    "item", "Item", "The item's reference (a row of Delivery items).", T.REF, True, ref=ITEMS
)


# --- shared -----------------------------------------------------------------------------------


def _tree(plan) -> list[DeliveryItem]:
    """The plan's items depth first, children in their order: the sheet's order."""
    items = list(
        DeliveryItem.objects.filter(plan=plan)
        .select_related("parent", "sro_person")
        .order_by("order", "pk")
    )
    children: dict[int | None, list[DeliveryItem]] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
    ordered: list[DeliveryItem] = []

    def walk(parent_id):
        for child in children[parent_id]:
            ordered.append(child)
            walk(child.pk)

    walk(None)
    return ordered


def _position(plan) -> dict[int, int]:
    return {item.pk: n for n, item in enumerate(_tree(plan))}


def _plan_years(loader):
    """The plan's years from the Plan sheet (what the services read from the plan), or None
    when they could not be read."""
    rows = loader.rows.get("Plan") or []
    if len(rows) != 1 or rows[0]["start_year"] is None or rows[0]["end_year"] is None:
        return None
    return SimpleNamespace(pk=0, start_year=rows[0]["start_year"], end_year=rows[0]["end_year"])


def _errors(loader, row, error: ValidationError, columns: dict[str, str]) -> None:
    """A service's ValidationError as problems on the row, each field on its column."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                loader.problem(row, columns.get(field, columns.get("__all__", "")), message)
    else:
        for message in error.messages:
            loader.problem(row, columns.get("__all__", ""), message)


def _organisations(loader) -> dict[str, Organisation]:
    """Every organisation by its name and short name (casefolded), read once per import."""
    if "organisations" not in loader.cache:
        found: dict[str, Organisation] = {}
        for organisation in Organisation.objects.all():
            for name in (organisation.name, organisation.short_name):
                if name:
                    found.setdefault(name.casefold(), organisation)
        loader.cache["organisations"] = found
    return loader.cache["organisations"]


def _names(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(REF_SEPARATOR) if p.strip()]


def _organisation_check(loader, row, column: str, names: list[str]) -> list[Organisation]:
    """The organisations named, each known and the importing organisation or one of its
    members (planning.partnerships.validate_members); problems on the column otherwise."""
    known = _organisations(loader)
    found = []
    for name in names:
        organisation = known.get(name.casefold())
        if organisation is None:
            loader.problem(row, column, f"there is no organisation named “{cells.shown(name)}”")
        else:
            found.append(organisation)
    try:
        partnerships.validate_members(loader.organisation, found)
    except ValidationError as error:
        for message in error.messages:
            loader.problem(row, column, message)
        return []
    return found


def _other_plan(loader, row, column: str, slug: str):
    """Another plan, named by its slug: it must be the importing organisation's."""
    plans = loader.cache.setdefault("other plans", {})
    if slug not in plans:
        plans[slug] = Plan.objects.filter(slug=slug).select_related("organisation").first()
    plan = plans[slug]
    if plan is None:
        loader.problem(row, column, f"there is no plan “{cells.shown(slug)}”")
        return None
    if plan.organisation_id != loader.organisation.pk:
        loader.problem(
            row,
            column,
            f"“{slug}” is {plan.organisation.display_name}'s plan, not "
            f"{loader.organisation.display_name}'s: an import links only your organisation's "
            "plans (link it on the item's page, with that plan's planners' agreement)",
        )
        return None
    return plan


def _target(loader, row, plan_column: str, item_column: str):
    """What a row's plan and item columns name: ("here", reference) for this plan's item,
    (plan, item) for another plan's, None when it names nothing or cannot be found."""
    slug, reference = row[plan_column], row[item_column]
    if not reference:
        if slug:
            loader.problem(row, item_column, "name the item of that plan, by its reference")
        return None
    if not slug:
        if reference not in loader.keys(ITEMS):
            loader.problem(
                row, item_column, f"“{cells.shown(reference)}” is not a row of the sheet “{ITEMS}”"
            )
            return None
        return ("here", reference)
    plan = _other_plan(loader, row, plan_column, slug)
    if plan is None:
        return None
    item = DeliveryItem.objects.filter(plan=plan, reference=reference).first()
    if item is None:
        loader.problem(row, item_column, f"there is no item “{cells.shown(reference)}” in {slug}")
        return None
    return (plan, item)


def _resolve(loader, target):
    if target is None:
        return None
    where, what = target
    return loader.made[ITEMS][what] if where == "here" else what


def _other_columns(plan_title: str, item_title: str, what: str) -> tuple[Col, Col]:
    return (
        Col(
            "on_plan",
            plan_title,
            f"Blank when {what} is an item of this plan; otherwise the other plan's slug (a "
            "plan of the same organisation), as in its web address.",
            max_length=80,
        ),
        Col(
            "on_item",
            item_title,
            f"The reference of {what}: a row of Delivery items, or an item of the plan named "
            "beside it.",
            max_length=20,
        ),
    )


def _link_cells(item: DeliveryItem | None, plan) -> dict:
    if item is None:
        return {"on_plan": None, "on_item": None}
    return {
        "on_plan": None if item.plan_id == plan.pk else item.plan.slug,
        "on_item": item.reference,
    }


# --- delivery items ---------------------------------------------------------------------------


def _item_links(plan, field: str, name: str, **only) -> dict[int, list[str]]:
    linked: dict[int, list[str]] = defaultdict(list)
    through = getattr(DeliveryItem, field).through
    rows = through.objects.filter(deliveryitem__plan=plan, **only).order_by(name)
    for item_id, value in rows.values_list("deliveryitem_id", name):
        linked[item_id].append(str(value))
    return linked


def _item_rows(plan):
    roles = {r.pk: role_key(r) for r in plan.organisation.roles.all()}  # the Roles sheet's keys
    # The Roles and People sheets hold the plan's organisation's: only those can be named.
    own = plan.organisation_id
    lead_roles = _item_links(plan, "lead_roles", "role_id", role__organisation=own)
    lead_people = _item_links(plan, "lead_people", "person__name", person__organisation=own)
    organisations = _item_links(plan, "organisations", "organisation__name")
    # Only this plan's risks are on the Risks sheet: links to the organisation's other risks
    # cannot be named in its workbook.
    risks = defaultdict(list)
    through = DeliveryItem.risks.through
    for item_id, risk in (
        (link.deliveryitem_id, link.risk)
        for link in through.objects.filter(deliveryitem__plan=plan, risk__plan=plan)
        .select_related("risk")
        .order_by("risk__reference", "risk__pk")
    ):
        risks[item_id].append(risk_key(risk))
    for item in _tree(plan):
        yield {
            "reference": item.reference,
            "level": item.level,
            "level_label": item.level_label,
            "parent": item.parent.reference if item.parent else None,
            "title": item.title,
            "description": item.description,
            "case_for_change": item.case_for_change,
            "scope": item.scope,
            "outcomes": item.outcomes,
            "sro_text": item.sro_text,
            "sro_person": item.sro_person.name
            if item.sro_person and item.sro_person.organisation_id == own
            else None,
            "lead_text": item.lead_text,
            "lead_roles": tuple(sorted(roles[int(pk)] for pk in lead_roles.get(item.pk, ()))),
            "lead_people": tuple(lead_people.get(item.pk, ())),
            "organisations": "; ".join(organisations.get(item.pk, ())) or None,
            "place": item.place,
            "timescale_text": item.timescale_text,
            "start_date": item.start_date,
            "due_date": item.due_date,
            "due_date_latest": item.due_date_latest,
            "risks": tuple(risks.get(item.pk, ())),
        }


def _item_check(loader, row) -> None:
    if row["level"] and not _unread(loader, row, "parent"):
        parent = None
        if row["parent"]:
            parent_row = loader.keys(ITEMS).get(row["parent"])
            if parent_row is not None and parent_row["level"]:
                parent = SimpleNamespace(
                    plan_id=0, level=parent_row["level"], reference=parent_row["reference"]
                )
        if parent is not None or not row["parent"]:
            try:
                check_place_in_tree(SimpleNamespace(pk=0), row["level"], parent)
            except ValidationError as error:
                _errors(loader, row, error, {"level": "level", "parent": "parent"})
    if row["organisations"]:
        loader.cache.setdefault("involved", {})[row.number] = _organisation_check(
            loader, row, "organisations", _names(row["organisations"])
        )
    if _unread(loader, row, "timescale_text", "start_date", "due_date", "due_date_latest"):
        return
    item = DeliveryItem(
        timescale_text=row["timescale_text"] or "",
        start_date=row["start_date"],
        due_date=row["due_date"],
        due_date_latest=row["due_date_latest"],
    )
    try:
        resolve_dates(item, before=(None, None))
    except ValidationError as error:
        _errors(loader, row, error, {"timescale_text": "timescale_text", "due_date": "due_date"})
        return
    if item.due_date and item.due_date_latest and item.due_date_latest < item.due_date:
        loader.problem(row, "due_date_latest", "The window cannot end before it starts.")
    # What the timescale gives, where the dates were left blank (as the item's page does).
    loader.cache.setdefault("item dates", {})[row.number] = (item.due_date, item.due_date_latest)


TEXTS = ("level_label", "description", "case_for_change", "scope", "outcomes", "sro_text")
MORE_TEXTS = ("lead_text", "place", "timescale_text")


def _items_write(loader, rows) -> None:
    made: dict[str, DeliveryItem] = {}
    dates = loader.cache.get("item dates", {})
    # Parents before children: level by level, each in the sheet's order.
    for level in Level:
        batch = []
        for n, r in enumerate(rows):
            if r["level"] != level:
                continue
            due, latest = dates.get(r.number, (r["due_date"], r["due_date_latest"]))
            batch.append(
                (
                    r,
                    DeliveryItem(
                        plan=loader.plan,
                        parent=made[r["parent"]] if r["parent"] else None,
                        level=level,
                        reference=r["reference"],
                        title=r["title"],
                        sro_person=loader.record("People", r["sro_person"]),
                        start_date=r["start_date"],
                        due_date=due,
                        due_date_latest=latest,
                        order=n,
                        status=ProgressStatus.NOT_STARTED,
                        **{name: r[name] or "" for name in (*TEXTS, *MORE_TEXTS)},
                    ),
                )
            )
        # Onto an existing plan, _create hands back the plan's matching items (updated).
        written = _create([item for _, item in batch], DeliveryItem)
        made |= {r["reference"]: item for (r, _), item in zip(batch, written, strict=True)}
    loader.made[ITEMS] = made
    involved = loader.cache.get("involved", {})
    owners = list(made.values())
    for field, other, of, among in (
        (
            "lead_roles",
            "role",
            lambda r: loader.records("Roles", r["lead_roles"]),
            loader.made["Roles"].values(),
        ),
        (
            "lead_people",
            "person",
            lambda r: loader.records("People", r["lead_people"]),
            loader.made["People"].values(),
        ),
        (
            "organisations",
            "organisation",
            lambda r: involved.get(r.number, []),
            # The column names any organisation by its name.
            _organisations(loader).values(),
        ),
        (
            "risks",
            "risk",
            lambda r: loader.records("Risks", r["risks"]),
            loader.made["Risks"].values(),
        ),
    ):
        _link(
            getattr(DeliveryItem, field).through,
            "deliveryitem",
            other,
            owners,
            ((made[r["reference"]], record) for r in rows for record in of(r)),
            {x.pk: x for x in among}.values(),
        )


register(
    SheetSpec(
        name=ITEMS,
        position=500,
        counted="delivery items",
        about="A delivery plan's tree: programmes (or clinical leadership groups), workstreams, "
        "interventions or projects, and milestones, parents before their children. Other "
        "sheets name an item by its reference. Its status and RAG are its latest update's "
        "(Delivery updates), as everywhere in Waymark.",
        key=lambda v: v.get("reference"),
        key_columns=("reference",),
        columns=(
            Col(
                "reference",
                "Reference",
                "The plan's own reference, e.g. CP2: unique in the plan.",
                required=True,
                max_length=20,
            ),
            Col(
                "level",
                "Level",
                "Programme (at the top), workstream (under a programme), intervention or "
                "project (under a workstream), or milestone (under an intervention).",
                T.CHOICE,
                True,
                choices_of(Level),
            ),
            Col(
                "level_label",
                "Level as the plan calls it",
                "E.g. Clinical leadership group, Opportunity (blank: the level's own word).",
                max_length=60,
            ),
            Col(
                "parent",
                "Part of",
                "The item it sits under (a row of this sheet); blank for a programme.",
                T.REF,
                ref=ITEMS,
            ),
            Col("title", "Title", "The item's title.", required=True, max_length=300),
            Col("description", "Description", "What it is.", T.LONG_TEXT),
            Col("case_for_change", "Case for change", "Why it is needed.", T.LONG_TEXT),
            Col("scope", "Scope", "What it covers.", T.LONG_TEXT),
            Col("outcomes", "Outcomes and benefits", "What it will achieve.", T.LONG_TEXT),
            Col("sro_text", "SRO (as written)", "The SRO as the plan names them.", max_length=150),
            Col("sro_person", "SRO", "The SRO, a row of People (if named).", T.REF, ref="People"),
            Col(
                "lead_text",
                "Leads (as written)",
                "The leads as the plan names them.",
                max_length=300,
            ),
            Col("lead_roles", "Lead roles", "Rows of Roles that lead it.", T.REFS, ref="Roles"),
            Col("lead_people", "Lead people", "Rows of People that lead it.", T.REFS, ref="People"),
            Col(
                "organisations",
                "Organisations involved",
                "Names of the organisations involved, separated by “;”: your organisation or, "
                "for a partnership's plan, its member organisations.",
                T.LONG_TEXT,
            ),
            Col("place", "Place", "The borough or locality, when it is local.", max_length=120),
            Col(
                "timescale_text",
                "Timescale (as written)",
                "E.g. within 3 months, by March 2010, 2016-17 to 20-21.",
                max_length=150,
            ),
            Col("start_date", "Start date", "When it starts.", T.DATE),
            Col(
                "due_date",
                "Due date",
                "When it is due, or its window's start (blank: what the timescale gives).",
                T.DATE,
            ),
            Col("due_date_latest", "Window ends", "The window's end, for a window.", T.DATE),
            Col(
                "risks",
                "Risks",
                "The plan's risks at this item's level (rows of Risks).",
                T.REFS,
                ref="Risks",
            ),
        ),
        export=_item_rows,
        check=_item_check,
        write=_items_write,
        model=DeliveryItem,
        match=("reference",),
        # Status, RAG and the latest update are its updates' (Delivery updates), never set here.
        fields=(
            "level",
            "parent",
            "title",
            "sro_person",
            "start_date",
            "due_date",
            "due_date_latest",
            *TEXTS,
            *MORE_TEXTS,
        ),
        quiet=("order",),
    )
)


# --- progress updates -------------------------------------------------------------------------


def _update_check(loader, row) -> None:
    years = _plan_years(loader)
    if years is None or _unread(loader, row, "as_at", "status", "rag"):
        return
    errors = check_update(
        plan=years,
        rag=row["rag"] or "",
        status=row["status"] or "",
        progress=row["progress"] or "",
        as_at=row["as_at"],
        today=dt.date.today(),
    )
    if not row["rag"]:
        # A blank RAG is "not rated": sources that print a status without a colour (the
        # demo's reports) are kept as printed, not given a colour.
        errors.pop("rag", None)
    columns = {"status": "status", "rag": "rag", "progress": "progress", "as_at": "as_at"}
    for field, messages in errors.items():
        for message in messages:
            loader.problem(row, columns[field], message)


def _updates_write(loader, rows) -> None:
    now = timezone.now()
    updates = [
        DeliveryUpdate(
            item=loader.made[ITEMS][r["item"]],
            created_by=None,
            created_at=r["reported_at"] or now + dt.timedelta(microseconds=n),
            as_at=r["as_at"],
            status=r["status"],
            rag=r["rag"] or "",
            progress=r["progress"] or "",
            next_steps=r["next_steps"] or "",
        )
        for n, r in enumerate(rows)
    ]
    updates = _create(updates, DeliveryUpdate)
    if UPDATING.get() is not None:
        # Onto an existing plan: only the items with an update added have a new latest.
        updates = [u for u in updates if getattr(u, "_workbook_added", False)]
    items = {u.item.pk: u.item for u in updates}.values()
    for item in items:
        item_apply_latest(item=item)  # the one place an item's status is copied
    DeliveryItem.objects.bulk_update(items, ["status", "rag", "latest_update"], batch_size=500)


def _update_rows(plan):
    position = _position(plan)
    updates = DeliveryUpdate.objects.filter(item__plan=plan).select_related("item")
    for u in sorted(updates, key=lambda u: (position[u.item_id], u.as_at, u.created_at, u.pk)):
        yield {
            "item": u.item.reference,
            "as_at": u.as_at,
            "reported_at": u.created_at,
            "status": u.status,
            "rag": u.rag,
            "progress": u.progress,
            "next_steps": u.next_steps,
        }


register(
    SheetSpec(
        name="Delivery updates",
        position=510,
        counted="delivery progress updates",
        about="Every progress update of every delivery item, oldest first. An item's current "
        "status and RAG are its latest update's: the latest by the date it reports on (As at), "
        "then by Reported at. Who reported is not carried.",
        columns=(
            ITEM,
            Col("as_at", "As at", "The date the update reports on.", T.DATE, True),
            Col(
                "reported_at",
                "Reported at",
                "When it was entered (UTC), e.g. 2019-07-01 09:30:00+00:00; blank: when imported.",
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
            Col(
                "rag",
                "RAG",
                "Its rating (blank: not rated; Blue means completed).",
                T.CHOICE,
                choices=choices_of(RAG),
            ),
            Col(
                "progress", "Progress made", "What was done (needed for Red or Amber).", T.LONG_TEXT
            ),
            Col("next_steps", "Next steps", "What comes next.", T.LONG_TEXT),
        ),
        export=_update_rows,
        check=_update_check,
        write=_updates_write,
        model=DeliveryUpdate,
        match=("item", "as_at", "created_at"),
        history=True,
        records=lambda plan: DeliveryUpdate.objects.filter(item__plan=plan),
    )
)


# --- year figures -----------------------------------------------------------------------------

FIGURE_COLUMNS = {
    "low": "low",
    "high": "high",
    "financial_year": "financial_year",
    "measure": "measure",
    "confidence": "confidence",
}


def _figure_check(loader, row) -> None:
    years = _plan_years(loader)
    if years is None or _unread(loader, row, "item", *FIGURE_COLUMNS):
        return
    try:
        check_figure(
            years,
            {
                "measure": row["measure"],
                "financial_year": row["financial_year"],
                "low": row["low"],
                "high": row["high"],
                "confidence": row["confidence"],
                "note": row["note"],
            },
        )
    except ValidationError as error:
        _errors(loader, row, error, FIGURE_COLUMNS)
        return
    seen = loader.cache.setdefault("figures", {})
    key = (row["item"], row["measure"], row["financial_year"], row["confidence"])
    if key in seen:
        loader.problem(
            row,
            "financial_year",
            f"row {seen[key]} has this item's figure for this measure, year and confidence "
            "already: one row each",
        )
    else:
        seen[key] = row.number


def _figures_write(loader, rows) -> None:
    counts: dict[str, int] = defaultdict(int)
    figures = []
    for r in rows:
        counts[r["item"]] += 1
        low = r["high"] if r["low"] is None else r["low"]
        high = low if r["high"] is None else r["high"]
        figures.append(
            YearFigure(
                item=loader.made[ITEMS][r["item"]],
                measure=r["measure"],
                financial_year=r["financial_year"],
                low=low,
                high=high,
                confidence=r["confidence"],
                recurring=r["recurring"],
                note=r["note"] or "",
                order=counts[r["item"]],
            )
        )
    _create(figures, YearFigure)


def _figure_rows(plan):
    position = _position(plan)
    figures = YearFigure.objects.filter(item__plan=plan).select_related("item")
    for f in sorted(figures, key=lambda f: (position[f.item_id], f.order, f.pk)):
        yield {
            "item": f.item.reference,
            "measure": f.measure,
            "financial_year": f.financial_year,
            "low": f.low,
            "high": f.high,
            "confidence": f.confidence,
            "recurring": f.recurring,
            "note": f.note,
        }


AMOUNT = {"type": T.NUMBER, "places": 2, "digits": 14, "signed": True}

register(
    SheetSpec(
        name="Year figures",
        position=520,
        counted="year figures",
        about="Money and people by financial year for each item: one measure, one year (blank "
        "when the source states none), a low and a high (one alone is a point; a fall is "
        "negative) and how sure it is. One row per item, measure, year and confidence.",
        columns=(
            ITEM,
            Col("measure", "Measure", "What it counts.", T.CHOICE, True, choices_of(Measure)),
            Col(
                "financial_year",
                "Financial year",
                "A year of the plan, e.g. 2010/11; blank when the source states none.",
                T.YEAR,
            ),
            Col("low", "Low", "The low end (pounds, or FTE).", **AMOUNT),
            Col("high", "High", "The high end; equal to the low for a point.", **AMOUNT),
            Col(
                "confidence",
                "Confidence",
                "Estimate, validated or delivered.",
                T.CHOICE,
                True,
                choices_of(Confidence),
            ),
            Col(
                "recurring",
                "Recurring",
                "Yes when it recurs each year from this one on.",
                T.YES_NO,
                choices=YES_NO,
            ),
            Col("note", "Note", "As the source words it.", max_length=300),
        ),
        export=_figure_rows,
        check=_figure_check,
        write=_figures_write,
        model=YearFigure,
        # The model's own unique key: an estimate and a delivered figure of one year are two.
        match=("item", "financial_year", "measure", "confidence"),
        fields=("low", "high", "recurring", "note"),
        quiet=("order",),
        records=lambda plan: YearFigure.objects.filter(item__plan=plan),
    )
)


# --- dependencies -----------------------------------------------------------------------------


def _dependency_check(loader, row) -> None:
    if _unread(loader, row, "item", "kind", "on_plan", "on_item", "external"):
        return
    target = _target(loader, row, "on_plan", "on_item")
    external = row["external"] or ""
    if (target is None) == (not external):
        if target is None and not (row["on_item"] or row["on_plan"]):
            loader.problem(row, "on_item", "Name an item, or an external programme.")
        elif target is not None:
            loader.problem(
                row, "external", "Name either an item or an external programme, not both."
            )
        return
    if target == ("here", row["item"]):
        loader.problem(row, "on_item", "An item cannot depend on itself.")
        return
    loader.cache.setdefault("dependency targets", {})[row.number] = target
    seen = loader.cache.setdefault("dependencies", {})
    named = target[1] if target is not None else external.casefold()
    if target is not None and target[0] != "here":
        named = ("plan", target[1].pk)
    key = (row["item"], row["kind"], named)
    if key in seen:
        loader.problem(row, "kind", f"row {seen[key]} records this dependency already")
        return
    seen[key] = row.number
    if target is None or target[0] != "here":
        # Only an edge within the new plan can close a cycle: nothing in Waymark points at
        # items that do not exist yet.
        return
    words = f"{row['item']} {DependencyKind(row['kind']).label.lower()} {target[1]}"
    edge = graph.directed(row["item"], row["kind"], target[1], words)
    if edge is None:
        return
    _refuse_cycle(
        loader,
        row,
        "dependency edges",
        edge,
        lambda words: (
            f"This would close a cycle: {words}. Change or remove one of those "
            "dependencies, or record it as “related to”."
        ),
    )


def _refuse_cycle(loader, row, kind: str, edge, message) -> None:
    """Add `edge` to the workbook's edges of `kind`, or refuse the row, on its Other item
    column, if it closes a cycle among them (delivery.graph, as the pages do)."""
    edges = loader.cache.setdefault(kind, [])
    cycle = graph.closing_cycle(edges, edge)
    if cycle:
        loader.problem(row, "on_item", message(graph.cycle_words(cycle)))
    else:
        edges.append(edge)


def _dependencies_write(loader, rows) -> None:
    targets = loader.cache.get("dependency targets", {})
    _create(
        [
            Dependency(
                item=loader.made[ITEMS][r["item"]],
                kind=r["kind"],
                on_item=_resolve(loader, targets.get(r.number)),
                external=r["external"] or "",
                owner_text=r["owner_text"] or "",
                owner_role=loader.record("Roles", r["owner_role"]),
                status=r["status"] or DependencyStatus.OPEN,
                note=r["note"] or "",
            )
            for r in rows
        ],
        Dependency,
    )


def _dependency_rows(plan):
    position = _position(plan)
    dependencies = Dependency.objects.filter(item__plan=plan).select_related(
        "item", "on_item__plan", "owner_role"
    )
    for d in sorted(dependencies, key=lambda d: (position[d.item_id], d.pk)):
        yield {
            "item": d.item.reference,
            "kind": d.kind,
            **_link_cells(d.on_item, plan),
            "external": d.external,
            "owner_text": d.owner_text,
            "owner_role": role_key(d.owner_role)
            if d.owner_role and d.owner_role.organisation_id == plan.organisation_id
            else None,
            "status": d.status,
            "note": d.note,
        }


register(
    SheetSpec(
        name="Dependencies",
        position=530,
        counted="dependencies",
        about="What each item needs, enables or is related to: an item of this plan (by its "
        "reference), an item of another plan of your organisation (that plan's slug and the "
        "item's reference), or a programme outside Waymark (its name). Needs and enables may "
        "not go round in a cycle. What other plans' items depend on this plan's is theirs, "
        "not in this workbook.",
        columns=(
            ITEM,
            Col(
                "kind",
                "Kind",
                "Needs, enables, or related to.",
                T.CHOICE,
                True,
                choices_of(DependencyKind),
            ),
            *_other_columns("On plan", "On item", "the item depended on"),
            Col(
                "external",
                "External programme",
                "A programme not in Waymark, by name (instead of an item).",
                max_length=200,
            ),
            Col("owner_text", "Owner (as written)", "Who owns it, as written.", max_length=150),
            Col(
                "owner_role",
                "Owner role",
                "The role that owns it (a row of Roles).",
                T.REF,
                ref="Roles",
            ),
            Col(
                "status",
                "Status",
                "Open, at risk, met or closed (blank: open).",
                T.CHOICE,
                choices=choices_of(DependencyStatus),
            ),
            Col("note", "Note", "Anything more.", T.LONG_TEXT),
        ),
        export=_dependency_rows,
        check=_dependency_check,
        write=_dependencies_write,
        model=Dependency,
        match=("item", "kind", "on_item", "external"),
        fields=("owner_text", "owner_role", "status", "note"),
        records=lambda plan: Dependency.objects.filter(item__plan=plan),
    )
)


# --- lineage ----------------------------------------------------------------------------------


def _lineage_check(loader, row) -> None:
    if _unread(loader, row, "item", "kind", "on_plan", "on_item"):
        return
    target = _target(loader, row, "on_plan", "on_item")
    if target is None:
        if not row["on_item"] and not row["on_plan"]:
            loader.problem(row, "on_item", "is missing")
        return
    if target == ("here", row["item"]):
        loader.problem(
            row, "on_item", "An item cannot be merged into, split from or superseded by itself."
        )
        return
    loader.cache.setdefault("lineage targets", {})[row.number] = target
    seen = loader.cache.setdefault("lineage", {})
    named = target[1] if target[0] == "here" else ("plan", target[1].pk)
    key = (row["item"], row["kind"], named)
    if key in seen:
        loader.problem(row, "on_item", f"row {seen[key]} records this already")
        return
    seen[key] = row.number
    if target[0] != "here":
        return  # as for dependencies: only entries within the workbook can close a loop
    words = f"{row['item']} {LineageKind(row['kind']).label.lower()} {target[1]}"
    edge = graph.lineage_edge(row["item"], row["kind"], target[1], words)
    # The same rule as the pages (delivery.services_links._check_lineage_loop).
    _refuse_cycle(
        loader,
        row,
        "lineage edges",
        edge,
        lambda words: (
            f"This would make {row['item']} go on as itself: {words}. Change or "
            "remove one of those records."
        ),
    )


def _lineage_write(loader, rows) -> None:
    targets = loader.cache.get("lineage targets", {})
    _create(
        [
            Lineage(
                item=loader.made[ITEMS][r["item"]],
                kind=r["kind"],
                other=_resolve(loader, targets[r.number]),
                reason=r["reason"],
                date=r["date"],
                date_text=r["date_text"] or "",
            )
            for r in rows
        ],
        Lineage,
    )


def _lineage_rows(plan):
    position = _position(plan)
    entries = Lineage.objects.filter(item__plan=plan).select_related("item", "other__plan")
    for e in sorted(entries, key=lambda e: (position[e.item_id], e.date or dt.date.min, e.pk)):
        yield {
            "item": e.item.reference,
            "kind": e.kind,
            **_link_cells(e.other, plan),
            "reason": e.reason,
            "date": e.date,
            "date_text": e.date_text,
        }


register(
    SheetSpec(
        name="Lineage",
        position=540,
        counted="lineage records",
        about="Items merged into, split from or superseded by another item: of this plan (its "
        "reference) or of another plan of your organisation (that plan's slug and the item's "
        "reference). The other end shows it as absorbed, split into or supersedes.",
        columns=(
            ITEM,
            Col(
                "kind",
                "Kind",
                "What happened to the item.",
                T.CHOICE,
                True,
                choices_of(LineageKind),
            ),
            *_other_columns("Other plan", "Other item", "the other item"),
            Col("reason", "Reason", "Why, as the source says.", T.LONG_TEXT, True),
            Col("date", "Date", "When, if known.", T.DATE),
            Col(
                "date_text", "Date (as written)", "The date as the source words it.", max_length=60
            ),
        ),
        export=_lineage_rows,
        check=_lineage_check,
        write=_lineage_write,
        model=Lineage,
        match=("item", "kind", "other"),
        fields=("reason", "date", "date_text"),
        records=lambda plan: Lineage.objects.filter(item__plan=plan),
    )
)


# --- governance bodies ------------------------------------------------------------------------


def _bodies_of(plan) -> list[GovernanceBody]:
    """The bodies overseeing the plan or its items, or whose decisions name its items, with
    the bodies above them; the plan's organisation's first, then its members' in the
    partnership's order."""
    found = {
        b.pk: b
        for b in GovernanceBody.objects.filter(
            Q(plans=plan) | Q(items__plan=plan) | Q(decisions__items__plan=plan)
        ).distinct()
    }
    missing = {b.parent_id for b in found.values() if b.parent_id and b.parent_id not in found}
    while missing:
        for body in GovernanceBody.objects.filter(pk__in=missing):
            found[body.pk] = body
        missing = {b.parent_id for b in found.values() if b.parent_id and b.parent_id not in found}
    rank = {m.member_id: m.order + 1 for m in partnerships.links_of(plan.organisation_id)}
    rank[plan.organisation_id] = 0
    organisations = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in={b.organisation_id for b in found.values()})
    }
    for body in found.values():
        body.organisation = organisations[body.organisation_id]
    return sorted(
        found.values(),
        key=lambda b: (rank.get(b.organisation_id, 10**6), b.organisation.name, b.order, b.name),
    )


def _body_rows(plan):
    bodies = _bodies_of(plan)
    names = {b.pk: b.name for b in bodies}
    position = _position(plan)
    references = {i.pk: i.reference for i in DeliveryItem.objects.filter(plan=plan)}
    overseen = defaultdict(list)
    through = GovernanceBody.items.through
    for body_id, item_id in through.objects.filter(
        governancebody__in=names, deliveryitem__plan=plan
    ).values_list("governancebody_id", "deliveryitem_id"):
        overseen[body_id].append(item_id)
    overseeing_plan = set(
        GovernanceBody.plans.through.objects.filter(plan=plan).values_list(
            "governancebody_id", flat=True
        )
    )
    roles = defaultdict(list)
    for link in GovernanceBody.member_roles.through.objects.filter(
        governancebody__in=names,
        governancebody__organisation=plan.organisation,
        role__organisation=plan.organisation,
    ).select_related("role"):
        roles[link.governancebody_id].append(role_key(link.role))
    chair_roles = {b.chair_role_id for b in bodies if b.chair_role_id}
    chairs = {r.pk: role_key(r) for r in plan.organisation.roles.filter(pk__in=chair_roles)}
    for b in bodies:
        own = b.organisation_id == plan.organisation_id
        yield {
            "name": b.name,
            "organisation": None if own else b.organisation.name,
            "kind": b.kind,
            "parent": names.get(b.parent_id),
            "chair_text": b.chair_text,
            # Another organisation's roles are not on the Roles sheet.
            "chair_role": chairs.get(b.chair_role_id) if own else None,
            "members_text": b.members_text,
            "member_roles": tuple(sorted(roles.get(b.pk, ()))),
            "meeting_frequency": b.meeting_frequency,
            "oversees_plan": b.pk in overseeing_plan,
            "items": tuple(
                references[i] for i in sorted(overseen.get(b.pk, ()), key=position.__getitem__)
            ),
        }


def _existing_bodies(loader) -> dict[tuple[int, str], GovernanceBody]:
    if "bodies" not in loader.cache:
        organisations = {loader.organisation.pk} | partnerships.member_ids(loader.organisation)
        loader.cache["bodies"] = {
            (b.organisation_id, b.name): b
            for b in GovernanceBody.objects.filter(organisation_id__in=organisations)
        }
    return loader.cache["bodies"]


def _body_organisation(loader, row):
    """The row's organisation (the importing one when blank), or None if it cannot be."""
    if not row["organisation"]:
        return loader.organisation
    cached = loader.cache.setdefault("body organisations", {})
    if row.number not in cached:
        found = _organisation_check(loader, row, "organisation", [row["organisation"]])
        cached[row.number] = found[0] if found else None
    return cached[row.number]


def _body_check(loader, row) -> None:
    organisation = _body_organisation(loader, row)
    if organisation is None or not row["name"]:
        return
    existing = _existing_bodies(loader).get((organisation.pk, row["name"]))
    if organisation.pk != loader.organisation.pk:
        if existing is None:
            loader.problem(
                row,
                "name",
                f"{organisation.display_name} has no body named “{cells.shown(row['name'])}”: "
                "an import links the plan to other organisations' bodies but does not create "
                "them (ask its planners to add it first)",
            )
        for column in ("chair_role", "member_roles"):
            if row[column]:
                loader.problem(
                    row,
                    column,
                    f"the body is {organisation.display_name}'s: its roles are its own, not "
                    "rows of Roles; leave this blank",
                )
    parent_row = loader.keys(BODIES).get(row["parent"]) if row["parent"] else None
    if parent_row is not None:
        parent_organisation = _body_organisation(loader, parent_row)
        if parent_organisation is not None and parent_organisation.pk != organisation.pk:
            loader.problem(row, "parent", "Choose a body of the same organisation.")
            return
        parents = {r["name"]: r["parent"] for r in loader.rows[BODIES] if r["name"]}
        parents[row["name"]] = None
        loop = graph.parent_cycle(parents, row["name"], row["parent"])
        if loop:
            loader.problem(
                row,
                "parent",
                "A body cannot sit below itself or a body below it "
                f"({' → '.join(reversed(loop))}): choose a body above it, or none.",
            )


def _updatable(model) -> dict[tuple, list]:
    """Onto an existing plan: the plan's records of the kind that the import may change, by
    their key (workbook.updating); {} for a new plan."""
    update = UPDATING.get()
    return {} if update is None else update._existing(spec_for_model(model))


def _bodies_write(loader, rows) -> None:
    existing = _existing_bodies(loader)
    organisations = {r.number: _body_organisation(loader, r) for r in rows}
    # Onto an existing plan, the plan's own organisation's bodies it already had are written
    # through _create, which updates them; any other body found is used as it is (a member's
    # is never changed).
    updatable = _updatable(GovernanceBody)
    made: dict[str, GovernanceBody] = {}
    rewritten = []
    for r in rows:
        key = (organisations[r.number].pk, r["name"])
        body = existing.get(key)
        if body is None:
            continue
        if key in updatable:
            rewritten.append(r)
        made[r["name"]] = body
    last = GovernanceBody.objects.filter(organisation=loader.organisation).aggregate(
        m=Max("order")
    )["m"]
    order = 0 if last is None else last + 1
    pending = [r for r in rows if r["name"] not in made]
    created: list[tuple] = []

    def body_of(r) -> GovernanceBody:
        return GovernanceBody(
            organisation=loader.organisation,
            parent=made.get(r["parent"]) if r["parent"] else None,
            name=r["name"],
            kind=r["kind"],
            chair_text=r["chair_text"] or "",
            chair_role=loader.record("Roles", r["chair_role"]),
            members_text=r["members_text"] or "",
            meeting_frequency=r["meeting_frequency"] or "",
            order=order + rows.index(r),
        )

    while pending:  # parents first (a loop was refused by the check)
        ready = [r for r in pending if not r["parent"] or r["parent"] in made]
        assert ready, "a loop of bodies passed the check"  # _body_check refuses loops
        batch = [(r, body_of(r)) for r in ready]
        written = _create([b for _, b in batch], GovernanceBody)
        batch = [(r, b) for (r, _), b in zip(batch, written, strict=True)]
        made |= {r["name"]: b for r, b in batch}
        created += batch
        pending = [r for r in pending if r["name"] not in made]
    if rewritten:  # every parent is made now
        written = _create([body_of(r) for r in rewritten], GovernanceBody)
        made |= {r["name"]: b for r, b in zip(rewritten, written, strict=True)}
        created += list(zip(rewritten, written, strict=True))
    loader.made[BODIES] = made
    _link(
        GovernanceBody.member_roles.through,
        "governancebody",
        "role",
        [b for _, b in created],
        ((body, loader.made["Roles"][ref]) for r, body in created for ref in r["member_roles"]),
        loader.made["Roles"].values(),
    )
    bodies = list({b.pk: b for b in made.values()}.values())
    _link(
        GovernanceBody.plans.through,
        "governancebody",
        "plan",
        bodies,
        ((made[r["name"]], loader.plan) for r in rows if r["oversees_plan"]),
        [loader.plan],
    )
    _link(
        GovernanceBody.items.through,
        "governancebody",
        "deliveryitem",
        bodies,
        ((made[r["name"]], loader.made[ITEMS][ref]) for r in rows for ref in r["items"]),
        loader.made[ITEMS].values(),
    )


def _own_bodies(plan):
    """The plan's own organisation's bodies as its workbook carries them: those an import onto
    the plan may change (another organisation's are used as they are)."""
    return GovernanceBody.objects.filter(
        pk__in=[b.pk for b in _bodies_of(plan) if b.organisation_id == plan.organisation_id]
    )


register(
    SheetSpec(
        name=BODIES,
        position=550,
        counted="governance bodies",
        about="The boards, committees and groups that oversee the plan or its items, or whose "
        "decisions name its items, with the bodies above them. Other sheets name a body by its "
        "name. A body your organisation (or the member named) has already, by name, is that "
        "body, used as it is: the import adds its oversight of the new plan. Your "
        "organisation's other bodies are created; a member organisation's must be there "
        "already.",
        key=lambda v: v.get("name"),
        key_columns=("name",),
        columns=(
            Col("name", "Name", "The body's name.", required=True, max_length=200),
            Col(
                "organisation",
                "Organisation",
                "Blank for your organisation's own body; otherwise the member organisation "
                "whose body it is (e.g. a council's Cabinet).",
                max_length=200,
            ),
            Col("kind", "Kind", "What sort of body it is.", T.CHOICE, True, choices_of(BodyKind)),
            Col(
                "parent",
                "Part of",
                "The body above it (a row of this sheet, of the same organisation).",
                T.REF,
                ref=BODIES,
            ),
            Col("chair_text", "Chair (as written)", "Its chair, as written.", max_length=150),
            Col(
                "chair_role",
                "Chair role",
                "The role that chairs it (a row of Roles; your organisation's bodies only).",
                T.REF,
                ref="Roles",
            ),
            Col("members_text", "Members (as written)", "Its members, as written.", T.LONG_TEXT),
            Col(
                "member_roles",
                "Member roles",
                "The roles that sit on it (rows of Roles; your organisation's bodies only).",
                T.REFS,
                ref="Roles",
            ),
            Col("meeting_frequency", "Meets", "How often it meets.", max_length=100),
            Col(
                "oversees_plan",
                "Oversees the plan",
                "Yes when it oversees the whole plan.",
                T.YES_NO,
                choices=YES_NO,
            ),
            Col(
                "items",
                "Oversees items",
                "The items it oversees (rows of Delivery items).",
                T.REFS,
                ref=ITEMS,
            ),
        ),
        export=_body_rows,
        check=_body_check,
        write=_bodies_write,
        model=GovernanceBody,
        match=("organisation", "name"),
        # Its place among the organisation's bodies is the organisation's, not the plan's.
        fields=(
            "kind",
            "parent",
            "chair_text",
            "chair_role",
            "members_text",
            "meeting_frequency",
        ),
        records=_own_bodies,
        # A body is the organisation's and may oversee other plans: taken off in Waymark.
        removable=False,
    )
)


# --- decisions --------------------------------------------------------------------------------


def _decision_check(loader, row) -> None:
    body_row = loader.keys(BODIES).get(row["body"]) if row["body"] else None
    if body_row is None or row["date"] is None or not row["decision"]:
        return
    organisation = _body_organisation(loader, body_row)
    if organisation is None or organisation.pk == loader.organisation.pk:
        return
    body = _existing_bodies(loader).get((organisation.pk, body_row["name"]))
    if body is None:
        return  # refused on the body's row
    if not _existing_decision(loader, body, row):
        loader.problem(
            row,
            "decision",
            f"{organisation.display_name}'s {body.name} has no decision of "
            f"{row['date']:%-d %B %Y} in these words: an import links the plan's items to "
            "another organisation's decisions but does not add to its log",
        )


def _existing_decision(loader, body, row) -> Decision | None:
    decisions = loader.cache.setdefault("decisions", {})
    if body.pk not in decisions:
        decisions[body.pk] = {(d.date, d.decision): d for d in Decision.objects.filter(body=body)}
    return decisions[body.pk].get((row["date"], row["decision"]))


def _decisions_write(loader, rows) -> None:
    # Onto an existing plan, the decisions of the plan's own organisation's bodies that named
    # its items are written through _create (their recommendation updated); another found
    # decision is used as it is, and a member's decision is never changed.
    updatable = _updatable(Decision)
    found: list[tuple] = []  # (row, the decision used as it is, or the key of one written)
    written: dict[tuple, Decision] = {}
    for r in rows:
        body = loader.made[BODIES][r["body"]]
        key = (body.pk, r["date"], r["decision"])
        decision = _existing_decision(loader, body, r)
        if decision is None or key in updatable:
            written.setdefault(
                key,
                Decision(
                    body=body,
                    date=r["date"],
                    decision=r["decision"],
                    recommendation=r["recommendation"] or "",
                ),
            )
            decision = None
        found.append((r, decision, key))
    keys = list(written)
    for key, decision in zip(keys, _create(list(written.values()), Decision), strict=True):
        written[key] = decision
        loader.cache.setdefault("decisions", {}).setdefault(key[0], {})[key[1:]] = decision
    made = [(r, decision or written[key]) for r, decision, key in found]
    _link(
        Decision.items.through,
        "decision",
        "deliveryitem",
        list({d.pk: d for _, d in made}.values()),
        ((decision, loader.made[ITEMS][ref]) for r, decision in made for ref in r["items"]),
        loader.made[ITEMS].values(),
    )


def _own_decisions(plan):
    """The decisions naming the plan's items of its own organisation's bodies: those an import
    onto the plan may change."""
    return Decision.objects.filter(
        items__plan=plan, body__organisation_id=plan.organisation_id
    ).distinct()


def _decision_rows(plan):
    bodies = _bodies_of(plan)
    rank = {b.pk: n for n, b in enumerate(bodies)}
    position = _position(plan)
    references = {i.pk: i.reference for i in DeliveryItem.objects.filter(plan=plan)}
    linked = defaultdict(list)
    for decision_id, item_id in Decision.items.through.objects.filter(
        deliveryitem__plan=plan
    ).values_list("decision_id", "deliveryitem_id"):
        linked[decision_id].append(item_id)
    decisions = Decision.objects.filter(pk__in=linked).select_related("body")
    for d in sorted(decisions, key=lambda d: (rank[d.body_id], d.date, d.pk)):
        yield {
            "body": d.body.name,
            "date": d.date,
            "decision": d.decision,
            "recommendation": d.recommendation,
            "items": tuple(references[i] for i in sorted(linked[d.pk], key=position.__getitem__)),
        }


register(
    SheetSpec(
        name="Decisions",
        position=560,
        counted="decisions",
        about="The entries of the bodies' decisions logs that name this plan's items, oldest "
        "first. A decision of the same body, date and words already in Waymark is that "
        "decision: the import links the new plan's items to it.",
        columns=(
            Col(
                "body",
                "Body",
                "The body that decided (a row of Governance bodies).",
                T.REF,
                True,
                ref=BODIES,
            ),
            Col("date", "Date", "When it decided.", T.DATE, True),
            Col("decision", "Decision", "What it decided.", T.LONG_TEXT, True),
            Col("recommendation", "Recommendation", "What it was asked to decide.", T.LONG_TEXT),
            Col(
                "items",
                "Items",
                "The items it concerns (rows of Delivery items).",
                T.REFS,
                ref=ITEMS,
            ),
        ),
        export=_decision_rows,
        check=_decision_check,
        write=_decisions_write,
        model=Decision,
        match=("body", "date", "decision"),
        fields=("recommendation",),
        records=_own_decisions,
        # A decisions log is the body's record: an entry is taken off in Waymark.
        removable=False,
    )
)
