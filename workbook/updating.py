"""A workbook imported onto an existing, ratified plan as its next version.

In one transaction: `lifecycle.start_refresh` first (the ratified content is frozen, the next
label set, the plan a draft again), then every sheet's writer, as for a new plan, but in
*update mode*: `kinds._create` hands its records here, and each is matched to the plan's
existing record of its kind by the fields its sheet declares (`SheetSpec.match`: objectives by
reference, KPIs by code, priorities by number…). A matched record keeps its identity (its
primary key, which is what the version comparison follows) and has the sheet's `fields`
updated; a record with no match is created (NEW, where the kind has the mark); the plan's
records no row matched are removed, only where nothing refers to them (otherwise a problem,
and nothing is saved). History sheets (`SheetSpec.history`: progress updates, measurements,
actuals, reviews) add the rows not there and never change or remove a record.

A sheet that declares none of this (no `model`, not `shared`) cannot yet be imported onto an
existing plan: a workbook with rows in it is refused, naming the sheet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ManyToManyRel, ProtectedError, RestrictedError
from simple_history.utils import bulk_update_with_history

from planning import lifecycle
from planning.models import Plan, PlanStatus
from workbook.importing import Loader, check_workbook
from workbook.sheets import (
    IMPORTER,
    REMOVED_REASON,
    UPDATING,
    VERSION_REASON,
    SheetSpec,
    registered,
    spec_for_model,
)


class NotRefreshable(Exception):
    """The plan cannot take a workbook as its next version (its status, in words)."""


def refusal(plan: Plan) -> str:
    """Why a workbook cannot become this plan's next version now ("" if it can)."""
    if plan.status == PlanStatus.RATIFIED:
        return ""
    name = f"“{plan}”"
    words = {
        PlanStatus.DRAFT: "is a draft: its next version is being drafted already. Change the "
        "draft in Waymark, or import the workbook as a new plan",
        PlanStatus.SUBMITTED: "is submitted for approval: it becomes a new version only once "
        "it is ratified",
        PlanStatus.APPROVED: "is approved but not yet ratified: it becomes a new version only "
        "once it is ratified",
        PlanStatus.SUPERSEDED: "has been superseded: a newer plan has taken its place",
    }.get(plan.status, f"is {PlanStatus(plan.status).label.lower()}")
    return f"{name} {words}. Only a ratified plan takes a workbook as its next version."


def key_of(spec: SheetSpec, record) -> tuple:
    meta = spec.model._meta
    return tuple(getattr(record, meta.get_field(name).attname) for name in spec.match)


@dataclass
class Update:
    loader: Loader
    plan: Plan
    by: Any = None
    # The plan's records of each kind not matched yet, by their key (in pk order).
    existing: dict[str, dict[tuple, list]] = field(default_factory=dict)
    added: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    changed: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    removed: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def _existing(self, spec: SheetSpec) -> dict[tuple, list]:
        if spec.name not in self.existing:
            records = (
                spec.records(self.plan)
                if spec.records is not None
                else spec.model.objects.filter(plan=self.plan)
            )
            groups: dict[tuple, list] = defaultdict(list)
            for record in records.order_by("pk"):
                groups[key_of(spec, record)].append(record)
            self.existing[spec.name] = groups
        return self.existing[spec.name]

    # --- records -------------------------------------------------------------------------------
    def merge(self, objects: list, model, create) -> list:
        """The sheet's records, each the plan's matching record (updated) or a new one
        (created through `create`, which records its history)."""
        spec = spec_for_model(model)
        if spec is None or spec.shared:
            return create(objects)
        groups = self._existing(spec)
        meta = model._meta
        fields = [meta.get_field(name) for name in spec.fields]
        quiet = [meta.get_field(name) for name in spec.quiet]
        result, fresh, dirty = [], [], []
        for obj in objects:
            candidates = groups.get(key_of(spec, obj))
            if not candidates:
                if spec.new_mark:
                    setattr(obj, spec.new_mark, True)
                obj._workbook_added = True
                fresh.append(len(result))
                result.append(obj)
                continue
            record = candidates.pop(0)
            result.append(record)
            if spec.history:
                continue  # history is never rewritten
            differs = [f for f in fields if getattr(record, f.attname) != getattr(obj, f.attname)]
            moved = [f for f in quiet if getattr(record, f.attname) != getattr(obj, f.attname)]
            for f in differs + moved:
                setattr(record, f.name, getattr(obj, f.name))
            if differs:
                self.changed[spec.name].add(record.pk)
            if differs or moved:
                dirty.append(record)
        if fresh:
            made = create([result[i] for i in fresh])
            for i, obj in zip(fresh, made, strict=True):
                obj._workbook_added = True
                result[i] = obj
                self.added[spec.name].add(obj.pk)
        if dirty:
            names = [f.name for f in fields + quiet]
            if hasattr(model, "history"):
                bulk_update_with_history(
                    dirty,
                    model,
                    names,
                    batch_size=500,
                    default_user=self.by,
                    default_change_reason=VERSION_REASON,
                )
            else:
                model.objects.bulk_update(dirty, names, batch_size=500)
        return result

    # --- links (many-to-many) ----------------------------------------------------------------
    def link(self, through, owner: str, other: str, owners: list, pairs: list, among) -> None:
        """Make the owners' links to `among` (the records the column can name) exactly
        `pairs` ((owner, other) records): links no longer named are deleted, new ones added; a
        matched owner whose links differ is changed. Links to anything the workbook cannot
        name (another plan's objectives) are left as they are."""
        owner_pks = {o.pk for o in owners}
        nameable = {x.pk for x in among}
        wanted = {(o.pk, x.pk) for o, x in pairs}
        have = {
            (a, b): pk
            for pk, a, b in through.objects.filter(
                **{f"{owner}_id__in": owner_pks, f"{other}_id__in": nameable}
            ).values_list("pk", f"{owner}_id", f"{other}_id")
        }
        stale = [pk for pair, pk in have.items() if pair not in wanted]
        if stale:
            through.objects.filter(pk__in=stale).delete()
        through.objects.bulk_create(
            through(**{f"{owner}_id": a, f"{other}_id": b}) for a, b in wanted - have.keys()
        )
        spec = spec_for_model(type(owners[0])) if owners else None
        if spec is None:
            return
        touched = {a for a, _ in wanted ^ have.keys()}
        for pk in touched - self.added[spec.name]:
            self.changed[spec.name].add(pk)

    # --- what the workbook no longer has ---------------------------------------------------
    def remove_missing(self) -> None:
        """The plan's records no row matched, removed where nothing refers to them; a problem
        on the sheet for each that something still refers to. Children first (the sheets in
        reverse order), so an objective's milestones go before it."""
        for spec in reversed(registered()):
            if spec.model is None or spec.shared or spec.history:
                continue
            gone = [r for group in self._existing(spec).values() for r in group]
            if not gone:
                continue
            referred = _referred(spec.model, gone)
            column = spec.column(spec.key_columns[0]).title if spec.key_columns else ""
            if not spec.removable:
                for record in gone:
                    self.loader.problem(
                        None,
                        column,
                        f"“{str(record)[:80]}” is not in the workbook, but a workbook cannot "
                        f"remove {spec.noun}: put its rows back, or remove it in Waymark",
                        sheet=spec.name,
                    )
                continue
            for record in gone:
                if record.pk in referred:
                    self.loader.problem(
                        None,
                        column,
                        f"“{str(record)[:80]}” is not in the workbook, so it would be removed, "
                        f"but {referred[record.pk]} still refer to it: put its row back, or "
                        "remove what refers to it in Waymark first",
                        sheet=spec.name,
                    )
                    continue
                record._history_user = self.by
                record._change_reason = REMOVED_REASON
                try:
                    with transaction.atomic():
                        record.delete()
                except (ProtectedError, RestrictedError):
                    self.loader.problem(
                        None,
                        column,
                        f"“{str(record)[:80]}” is not in the workbook, so it would be removed, "
                        "but other records still refer to it: put its row back",
                        sheet=spec.name,
                    )
                    continue
                self.removed[spec.name] += 1

    def counts(self) -> list[list]:
        """[[what, added, changed, removed], …] for the kinds the workbook changes."""
        rows = []
        for spec in registered():
            numbers = (
                len(self.added[spec.name]),
                len(self.changed[spec.name]),
                self.removed[spec.name],
            )
            if any(numbers):
                rows.append([spec.noun, *numbers])
        return rows


def _referred(model, records: list) -> dict[int, str]:
    """{pk: what refers to it, in words} for the records something still refers to: any
    reverse relation (another record's foreign key, another model's many-to-many), except a
    model's own many-to-many links and simple-history's rows (hidden relations)."""
    pks = [r.pk for r in records]
    found: dict[int, list[str]] = defaultdict(list)
    for relation in model._meta.related_objects:
        related = relation.related_model
        name = relation.field.name
        # The base manager: withdrawn and corrected rows refer to it too.
        rows = related._base_manager.filter(**{f"{name}__in": pks})
        if isinstance(relation, ManyToManyRel):
            values = rows.values_list(name, flat=True)
        else:
            values = rows.values_list(relation.field.attname, flat=True)
        counts: dict[int, int] = defaultdict(int)
        for pk in values:
            counts[pk] += 1
        for pk, n in counts.items():
            noun = related._meta.verbose_name if n == 1 else related._meta.verbose_name_plural
            found[pk].append(f"{n} {noun}")
    return {pk: " and ".join(words) for pk, words in found.items()}


# ---------------------------------------------------------------------------------------------


class _Undo(Exception):
    pass


def check_version(name: str, content: bytes, plan: Plan) -> Loader:
    """The workbook read and checked as the plan's next version (no database change)."""
    reason = refusal(plan)
    if reason:
        raise NotRefreshable(reason)
    loader = check_workbook(name, content, plan.organisation, target=plan)
    if not loader.problems:
        for spec in registered():
            if loader.rows.get(spec.name) and not spec.updatable:
                loader.problem(
                    None,
                    "",
                    "This sheet cannot be imported onto an existing plan yet: leave it empty, "
                    "or import the workbook as a new plan",
                    sheet=spec.name,
                )
    return loader


def import_version(
    name: str,
    content: bytes,
    plan: Plan,
    *,
    by=None,
    expected_version: int | None = None,
    dry_run: bool = False,
) -> Loader:
    """Check the workbook and write it onto the plan as its next version: all or nothing.
    `loader.changes` says what changed ([[what, added, changed, removed], …]); with
    `dry_run`, everything is done and then undone (the preview's exact counts)."""
    loader = check_version(name, content, plan)
    if loader.problems:
        return loader
    try:
        with transaction.atomic():
            _write(
                loader,
                plan,
                by=by,
                expected_version=plan.version if expected_version is None else expected_version,
            )
            if loader.problems or dry_run:
                raise _Undo
    except _Undo:
        pass
    return loader


def _write(loader: Loader, plan: Plan, *, by, expected_version: int) -> None:
    written = loader.rows["Plan"][0]["version_label"] or ""
    label = written if written and written != plan.version_label else ""
    try:
        refreshed = lifecycle.start_refresh(
            plan=plan, by=by, expected_version=expected_version, label=label, trusted=by is None
        )
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for where, texts in messages.items():
            for text in texts:
                loader.problem(
                    loader.rows["Plan"][0] if where == "label" else None,
                    "version_label" if where == "label" else "",
                    text,
                    sheet="Plan",
                )
        return
    loader.plan = refreshed
    loader.by = by
    update = Update(loader=loader, plan=refreshed, by=by)
    importer, updating = IMPORTER.set(by), UPDATING.set(update)
    try:
        for spec in registered():
            loader.made.setdefault(spec.name, {})
            spec.write(loader, loader.rows.get(spec.name, []))
        update.remove_missing()
    finally:
        UPDATING.reset(updating)
        IMPORTER.reset(importer)
    loader.changes = update.counts()
