"""The audit view's reads: recent changes to plan records, with before → after.

django-simple-history keeps a history table per model; this merges them for the organisations
a user may audit, in a fixed number of queries: on PostgreSQL one for the newest changes of
every audited model together, then one per model on the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import connection
from django.db.models import CharField, Value
from django.utils.text import capfirst

# The audit registry: model label → path from the model to its organisation id. Each app adds
# its own audited models from its AppConfig.ready(), so this core module names none of them.
AUDITED: dict[str, str] = {}


def register(label: str, organisation_path: str) -> None:
    """Show changes to the model ``label`` ("app.Model", with simple-history) on the audit page,
    to the members of the organisation reached through ``organisation_path``."""
    AUDITED[label] = organisation_path


HIDDEN_FIELDS = ["latest_update", "version"]

# The "before" of a record's first history row when that row is a change: the record was
# created without history (an older demo load, or a bulk load), so its earlier values are unknown.
NOT_RECORDED = "not recorded"


@dataclass
class Change:
    when: object
    who: object
    kind: str
    model: str
    record: str
    record_id: int
    changes: list[dict] = field(default_factory=list)


@cache
def _history_model(label: str):
    """The historical model of ``label``, looked up once per process: reading ``Model.history``
    builds a new manager class each time (simple-history's descriptor, an inspect.getmembers
    over the queryset class), which cost more than the audit page's queries together."""
    return apps.get_model(label).history.model


@cache
def _kinds(label: str) -> dict[str, object]:
    """history_type → its label ("Created", "Changed", "Deleted"), for the model ``label``:
    what get_history_type_display() answers, without its per-call lookup of the choices."""
    return dict(_history_model(label)._meta.get_field("history_type").flatchoices)


def _label(row) -> str:
    """A recognisable name from the row's own columns (a model's __str__ may follow a foreign
    key, which would cost a query per row)."""
    parts = [
        str(getattr(row, attr))
        for attr in ("code", "reference", "title", "name", "funder_label", "description", "text")
        if getattr(row, attr, "")
    ]
    text = " ".join(parts[:2]) or f"#{row.id}"
    return text if len(text) <= 120 else text[:119] + "…"


def _diff(record, previous) -> list[dict]:
    """Before → after against the previous history row (simple-history's ``prev_record``,
    passed in so a page of rows costs no query each). With no previous row, the row's own values:
    what it was created with ("+": before is blank), or what it held at its first recorded
    change (before is not recorded)."""
    if previous is None:
        return _first_values(record)
    return labelled_changes(record, record.diff_against(previous, excluded_fields=HIDDEN_FIELDS))


def _first_values(record) -> list[dict]:
    created = record.history_type == "+"
    if record.history_type == "-":
        return []
    changes = []
    # The model's fields from the history row's class (``record.instance`` would build a record).
    for model_field in record.instance_type._meta.concrete_fields:
        # The record's own values: its id, links (named by the record's label) and bookkeeping
        # fields say nothing a reader needs.
        if model_field.primary_key or model_field.is_relation or model_field.name in HIDDEN_FIELDS:
            continue
        value = getattr(record, model_field.attname, None)
        if value in (None, "") and created:
            continue
        labels = dict(model_field.flatchoices) if model_field.choices else {}
        changes.append(
            {
                "field": model_field.verbose_name,
                "old": "" if created else NOT_RECORDED,
                "new": _shown(value, labels),
                # A created record shows what it was set to; otherwise the earlier value is unknown.
                "created": created,
                "unknown_before": not created,
            }
        )
    return changes


def _shown(value, labels: dict):
    """A value as the audit page shows it: a choice as its label; a list (a JSON field, such as
    a framework's level names) as its items, one after another."""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    return labels.get(value, value) if labels else value


def labelled_changes(record, delta) -> list[dict]:
    """Field names as users know them, and choice values as their labels."""
    meta = record.instance_type._meta
    changes = []
    for c in delta.changes:
        model_field = meta.get_field(c.field)
        labels = dict(model_field.flatchoices) if model_field.choices else {}
        changes.append(
            {
                "field": model_field.verbose_name,
                "old": _shown(c.old, labels),
                "new": _shown(c.new, labels),
            }
        )
    return changes


def recent_changes(organisation_ids, *, limit: int = 50) -> list[Change]:
    candidates = _newest_keys(organisation_ids, limit)
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    page = candidates[:limit]

    # One more query per model on the page: every version of the objects shown (the rows on
    # the page among them), so each change can be diffed against the version before it.
    wanted: dict[str, set[int]] = defaultdict(set)
    for _, _, label, pk in page:
        wanted[label].add(pk)
    earlier: dict[tuple[str, int], list] = defaultdict(list)
    for label, ids in wanted.items():
        history = _history_model(label)
        versions = (
            history.objects.filter(id__in=ids)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for row in versions:
            earlier[(label, row.id)].append(row)

    changes = []
    for _, history_id, label, pk in page:
        versions = earlier[(label, pk)]
        position = next(i for i, v in enumerate(versions) if v.history_id == history_id)
        row = versions[position]
        previous = versions[position - 1] if position else None
        model = apps.get_model(label)
        changes.append(
            Change(
                when=row.history_date,
                who=row.history_user,
                kind=str(_kinds(label).get(row.history_type, row.history_type)),
                # capfirst, not capitalize: "KPI target", not "Kpi target".
                model=capfirst(model._meta.verbose_name),
                record=_label(row),
                record_id=row.id,
                changes=_diff(row, previous),
            )
        )
    return changes


def _newest_keys(organisation_ids, limit: int) -> list[tuple]:
    """(when, history id, model label, record id) of the newest `limit` changes of each audited
    model: keys only, since building up to `limit` history records per audited model (forty of
    them) to keep `limit` in all cost more than the rest of the page. On PostgreSQL one query,
    a UNION ALL of each model's newest: forty round trips, each parsed and planned, cost the
    page more than its rows. SQLite allows no LIMIT inside a UNION: there, a query per model."""
    queries = [
        _history_model(label)
        .objects.filter(**{f"{org_path}__in": organisation_ids})
        .order_by("-history_date", "-history_id")
        .annotate(audited_model=Value(label, output_field=CharField()))
        .values_list("history_date", "history_id", "audited_model", "id")[:limit]
        for label, org_path in AUDITED.items()
    ]
    if not queries:
        return []
    if connection.features.supports_slicing_ordering_in_compound:
        return list(queries[0].union(*queries[1:], all=True))
    return [row for query in queries for row in query]


def object_changes(history_records) -> list[dict]:
    """One object's history (records oldest first) as before → after, newest first."""
    changes = []
    previous = None
    for record in history_records:
        changes.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "type": record.get_history_type_display(),
                "changes": _diff(record, previous),
            }
        )
        previous = record
    return list(reversed(changes))
