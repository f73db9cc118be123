"""What a plan's content is: the registry of the kinds of record a plan holds.

A version of a plan (planning.versions) is a frozen snapshot of this content, and two versions
are compared item by item and field by field (planning.content_diff). Each app describes its
own kinds of record and registers them from its AppConfig.ready(), as planning.ordering's lists
are registered, so this core module names no other app's models:

- ``key`` and ``label``: how the kind is known ("objectives", "Objectives and actions");
- ``read(plan)``: the plan's records of that kind, in a constant number of queries whatever
  their number (select and prefetch what the fields and names need);
- ``fields``: the fields that make up the content, each with its label and, where the stored
  value is not what a reader recognises (a priority link, a set of roles), how to show it;
- ``name(record)``: how a user knows the record ("EST-1", "SP3", "L2").

Identity within a plan is the row's primary key: a refresh keeps the same rows, so an item is
the same item in every version whatever its reference became. Progress updates, KPI
measurements, RAG, status and milestone completion are delivery, not content: they are never in
a snapshot, and versions share them.

The same registry serves anything else that must walk "everything a plan holds" (the plan
workbook of issue 13 can read ``kinds()`` and ``read``/``fields`` the same way).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

# The snapshot's own format, stored with it, so a later change to this module can still read
# the versions frozen before it.
FORMAT = 1


@dataclass(frozen=True)
class ContentField:
    name: str
    label: str
    # How the value reads to a user; default: planning.plan_content.display(record, name).
    show: Callable[[models.Model], str] | None = None

    def value(self, record: models.Model) -> str:
        return self.show(record) if self.show else display(record, self.name)


@dataclass(frozen=True)
class ContentKind:
    key: str
    label: str  # a heading: "Objectives and actions"
    singular: str  # "objective or action"
    read: Callable[[object], Iterable[models.Model]]
    fields: tuple[ContentField, ...]
    name: Callable[[models.Model], str] = str
    # Where the kind sits in a comparison (smaller first): the plan's own order of reading.
    position: int = 100
    # Clears the plan's NEW marks of this kind (a refresh: NEW means added since the last
    # version). Called with (plan, by); audited by the app that owns the records.
    clear_new: Callable[[object, object], int] | None = None
    # The field whose value stands for an added or removed item (default: the first field).
    summary: str = ""
    # A kind with thousands of rows (objectives, milestones) may give its snapshot items
    # directly, read as plain values rather than model instances: [{"id", "name", "values":
    # {field name: text}}], the same as the generic reading through `read`, `fields` and `name`
    # would make. `read` stays the records, for other callers of the registry.
    items: Callable[[object], list[dict]] | None = None

    @property
    def summary_field(self) -> str:
        return self.summary or self.fields[0].name


KINDS: dict[str, ContentKind] = {}


def register(kind: ContentKind) -> None:
    KINDS[kind.key] = kind


def kinds() -> list[ContentKind]:
    return sorted(KINDS.values(), key=lambda kind: (kind.position, kind.key))


def field_spec(*names: str, labels: dict[str, str] | None = None, **shows) -> tuple:
    """ContentFields for a model's fields: its verbose names as labels unless given."""
    labels = labels or {}
    return tuple(ContentField(name, labels.get(name, ""), shows.get(name)) for name in names)


def with_labels(model: type[models.Model], fields: tuple[ContentField, ...]) -> tuple:
    """Fill each field's label from the model's verbose name where none was given."""
    result = []
    for item in fields:
        label = item.label
        if not label:
            try:
                label = str(model._meta.get_field(item.name).verbose_name)
            except Exception:  # a computed value, not a model field
                label = item.name.replace("_", " ")
            label = label[:1].upper() + label[1:]
        result.append(ContentField(item.name, label, item.show))
    return tuple(result)


def display(record: models.Model, name: str) -> str:
    """A stored value as words: a choice's label, a linked record's name, a set of linked
    records joined, a date written out, a decimal without trailing zeros, Yes/No."""
    try:
        model_field = record._meta.get_field(name)
    except Exception:
        model_field = None
    if model_field is not None and model_field.many_to_many:
        # Prefetched by the kind's read: .all() costs no query.
        return ", ".join(sorted(str(item) for item in getattr(record, name).all()))
    if model_field is not None and getattr(model_field, "choices", None):
        return str(getattr(record, f"get_{name}_display")())
    return as_text(getattr(record, name))


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


def snapshot(plan) -> dict:
    """The plan's content now, every registered kind: a constant number of queries."""
    result = []
    for kind in kinds():
        items = kind.items(plan) if kind.items else read_items(kind, plan)
        result.append(
            {
                "key": kind.key,
                "label": kind.label,
                "singular": kind.singular,
                "summary": kind.summary_field,
                "fields": [[f.name, f.label] for f in kind.fields],
                "items": items,
            }
        )
    return {"format": FORMAT, "kinds": result}


def read_items(kind: ContentKind, plan) -> list[dict]:
    """A kind's snapshot items, read as records through its `read`, `fields` and `name`."""
    return [
        {
            "id": record.pk,
            "name": kind.name(record),
            "values": {f.name: f.value(record) for f in kind.fields},
        }
        for record in kind.read(plan)
    ]


def clear_new_marks(plan, *, by) -> int:
    """Clear every NEW mark of the plan (a refresh starts): how many were cleared."""
    return sum(kind.clear_new(plan, by) for kind in kinds() if kind.clear_new)


# ---------------------------------------------------------------------------------------------
# Planning's own kinds: the plan's details, narrative, vision, values, priorities, short and
# medium-term objectives, programmes and departments.
# ---------------------------------------------------------------------------------------------


def register_planning_kinds() -> None:
    from planning.models import (
        OrgUnit,
        Plan,
        PlanSection,
        Programme,
        StrategicObjective,
        StrategicPriority,
        Value,
        VisionBullet,
    )

    register(
        ContentKind(
            key="plan",
            label="Plan details and document control",
            singular="plan details",
            read=lambda plan: Plan.objects.filter(pk=plan.pk),
            fields=with_labels(
                Plan,
                field_spec(
                    "title",
                    "period",
                    "director_sponsor",
                    "author",
                    "date_issued",
                    "review_date",
                    "target_audience",
                    "aim",
                    "vision",
                    "core_purpose",
                    labels={
                        "period": "Period",
                        "director_sponsor": "Owner (director sponsor)",
                        "target_audience": "Distribution (target audience)",
                    },
                    period=lambda plan: plan.period_label,
                ),
            ),
            name=lambda plan: "The plan",
            position=0,
        )
    )
    register(
        ContentKind(
            key="sections",
            label="Narrative sections",
            singular="narrative section",
            read=lambda plan: PlanSection.objects.filter(plan_id=plan.pk).order_by("order", "pk"),
            fields=with_labels(PlanSection, field_spec("title", "kind", "body")),
            name=lambda section: section.title,
            position=10,
        )
    )
    for position, (key, model, label, singular) in enumerate(
        (
            ("vision", VisionBullet, "Vision", "vision bullet"),
            ("values", Value, "Values", "value"),
        )
    ):
        register(
            ContentKind(
                key=key,
                label=label,
                singular=singular,
                read=lambda plan, model=model: model.objects.filter(plan_id=plan.pk).order_by(
                    "order", "pk"
                ),
                fields=with_labels(model, field_spec("text")),
                name=lambda item, singular=singular: f"{singular.capitalize()} {item.order}",
                position=20 + position,
            )
        )
    register(
        ContentKind(
            key="priorities",
            label="Strategic priorities",
            singular="strategic priority",
            read=lambda plan: StrategicPriority.objects.filter(plan_id=plan.pk).order_by("number"),
            fields=with_labels(StrategicPriority, field_spec("number", "title")),
            name=lambda priority: f"SP{priority.number}",
            position=30,
            summary="title",
        )
    )
    register(
        ContentKind(
            key="short_term",
            label="Short and medium-term objectives",
            singular="short or medium-term objective",
            read=lambda plan: StrategicObjective.objects.filter(plan_id=plan.pk).order_by("number"),
            fields=with_labels(StrategicObjective, field_spec("number", "text")),
            name=lambda item: f"Objective {item.number}",
            position=31,
            summary="text",
        )
    )
    register(
        ContentKind(
            key="programmes",
            label="Programmes and domains",
            singular="programme or domain",
            read=lambda plan: (
                Programme.objects.filter(plan_id=plan.pk)
                .select_related("lead_role")
                .order_by("number")
            ),
            fields=with_labels(
                Programme, field_spec("number", "title", "aim", "lead_text", "lead_role")
            ),
            name=lambda programme: f"Programme {programme.number}",
            position=40,
            summary="title",
        )
    )
    register(
        ContentKind(
            key="departments",
            label="Departments",
            singular="department",
            # The organisation's structure, which the plan's objectives are grouped by.
            read=lambda plan: (
                OrgUnit.objects.filter(organisation_id=plan.organisation_id)
                .select_related("parent")
                .order_by("order", "name")
            ),
            fields=with_labels(OrgUnit, field_spec("name", "kind", "parent")),
            name=lambda unit: unit.name,
            position=50,
        )
    )
