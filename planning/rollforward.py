"""Roll forward: start next year's plan from this one (issue 12, item 4).

A roll forward makes a NEW plan for the organisation, of the same kind, whose period is the
source's shifted so that it starts in the year asked. It is a draft, and it records where it
came from (`Plan.rolled_forward_from`). What it holds is copied by *carriers*: this module
names no sibling app, so each app `register`s a carrier from its AppConfig.ready() (as the
audit and list registries work). A carrier

- previews what of its records will and will not be carried (`preview(source)` → groups), and
- copies its records into the new plan (`carry(context)`), with bulk_create so that a plan of
  thousands of items rolls forward in a few queries per kind of record. `context.ids` maps each
  model's old ids to the new ones, filled by the carriers that ran earlier (`position`), so a
  later carrier can point its copies at the new programmes, priorities, KPIs…

`roll_forward` runs them all in one transaction. A plan is rolled forward once: running it again
(a second confirm, a repeated command) finds the plan already made from this source and changes
nothing (`RollForward.created` is False).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from planning import fy, idempotency, permissions
from planning.concurrency import lock_at_version
from planning.models import Plan, PlanStatus

STALE_SOURCE = (
    "Somebody else changed this plan after you opened the preview. Nothing was made: check "
    "the preview as it is now, then confirm again."
)


# --- what a preview shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    """One record in the preview: its words, a link to it, its latest RAG and status."""

    text: str
    reference: str = ""
    url: str = ""
    rag: str | None = None
    status: str = ""  # e.g. "In progress", "Completed"


@dataclass
class PreviewGroup:
    """One kind of record: what will be carried and what will not (closed items)."""

    key: str
    title: str  # "Objectives and actions"
    carried: list[PreviewRow] = field(default_factory=list)
    not_carried: list[PreviewRow] = field(default_factory=list)
    # Words for a group summarised rather than listed (budget lines): shown after the counts.
    note: str = ""
    # Listed one by one on the page (objectives); otherwise only counted and summarised.
    listed: bool = True
    # Whether items of this kind show a RAG column.
    rated: bool = False
    carried_count: int | None = None
    not_carried_count: int | None = None

    def __post_init__(self):
        if self.carried_count is None:
            self.carried_count = len(self.carried)
        if self.not_carried_count is None:
            self.not_carried_count = len(self.not_carried)


# --- carriers ------------------------------------------------------------------------------


@dataclass
class CarryContext:
    """What a carrier is given: the two plans, who asked, and the ids carried so far."""

    source: Plan
    target: Plan
    by: object  # the user, or None for a command run by the system
    reason: str  # the history rows' change reason
    ids: dict[str, dict[int, int]] = field(default_factory=dict)

    def mapping(self, model: type[models.Model]) -> dict[int, int]:
        """Old id → new id of `model`'s carried records (empty if none carried)."""
        return self.ids.setdefault(model._meta.label, {})

    def new_id(self, model: type[models.Model], old_id: int | None) -> int | None:
        """The copy of `old_id`, or None (not carried, or nothing to map)."""
        if old_id is None:
            return None
        return self.mapping(model).get(old_id)

    def create(self, model: type[models.Model], pairs: list[tuple[int, models.Model]]) -> None:
        """Save the new records in bulk, with a history row each saying who and why, and
        remember old id → new id. pairs: (old id, unsaved copy)."""
        if not pairs:
            return
        created = model._base_manager.bulk_create([copy for _, copy in pairs], batch_size=1000)
        mapping = self.mapping(model)
        for (old_id, _), new in zip(pairs, created, strict=True):
            mapping[old_id] = new.pk
        _history_rows(model, [new.pk for new in created], by=self.by, reason=self.reason)


def _history_rows(model: type[models.Model], pks: list[int], *, by, reason: str) -> None:
    """The "created" history row of each new record, written by the database from the rows
    just inserted (INSERT … SELECT): simple-history's own bulk writer builds a Python object
    per row, which at thousands of rows costs more than the copy itself."""
    history = getattr(model, "history", None)
    if history is None:
        return
    historical = history.model
    own = {f.column for f in model._meta.concrete_fields}
    stamp = {
        "history_date": connection.ops.adapt_datetimefield_value(timezone.now()),
        "history_change_reason": reason,
        "history_type": "+",
        "history_user": getattr(by, "pk", None),
    }
    columns, selected, params = [], [], []
    for f in historical._meta.concrete_fields:
        if f.name == "history_id":
            continue
        columns.append(connection.ops.quote_name(f.column))
        if f.name in stamp:
            selected.append("%s")
            params.append(stamp[f.name])
        elif f.column in own:
            selected.append(connection.ops.quote_name(f.column))
        else:  # a history field this writer does not know: let simple-history write them
            bulk_history = list(model._base_manager.filter(pk__in=pks))
            history.bulk_history_create(bulk_history, default_user=by, default_change_reason=reason)
            return
    table, pk = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    # Table and column names come from the models' meta, never from input; values are params.
    insert = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(selected)} FROM {quote(table)} WHERE {quote(pk)} IN "
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 1000):
            chunk = pks[start : start + 1000]
            cursor.execute(insert + f"({', '.join(['%s'] * len(chunk))})", [*params, *chunk])


@dataclass(frozen=True)
class Carrier:
    key: str
    position: int  # carriers run in this order: a later one may use an earlier one's ids
    preview: Callable[[Plan], list[PreviewGroup]]
    carry: Callable[[CarryContext], None]


_CARRIERS: dict[str, Carrier] = {}


def register(carrier: Carrier) -> None:
    _CARRIERS[carrier.key] = carrier


def carriers() -> list[Carrier]:
    return sorted(_CARRIERS.values(), key=lambda c: (c.position, c.key))


# --- the rules -----------------------------------------------------------------------------


def new_period(source: Plan, first_year: int) -> tuple[int, int]:
    """The source's period shifted to start in `first_year` (same length)."""
    return first_year, first_year + (source.end_year - source.start_year)


def existing_roll_forward(source: Plan) -> Plan | None:
    return Plan.objects.filter(rolled_forward_from=source).first()


def refusal(source: Plan, first_year: int | None) -> str | None:
    """Why `source` cannot be rolled forward into `first_year` (None: it can). Two queries."""
    if first_year is None:
        return "Enter the first financial year of the new plan, for example 2007."
    done = existing_roll_forward(source)
    if done is not None:
        if done.start_year == first_year:
            return None  # a repeat: it finds the plan already made, and changes nothing
        return (
            f"{source} has already been rolled forward, to {done.period_label} ({done.title}). "
            "A plan is rolled forward once: start from that plan instead."
        )
    if first_year <= source.start_year:
        return (
            f"Choose a year after {fy.fy_label(source.start_year)}, the first year of the plan "
            "you are rolling forward."
        )
    start, end = new_period(source, first_year)
    if not (1990 <= start <= 2100):
        return "Enter a first year between 1990 and 2100."
    clash = (
        Plan.objects.filter(
            organisation_id=source.organisation_id,
            kind=source.kind,
            start_year__lte=end,
            end_year__gte=start,
        )
        .exclude(pk=source.pk)
        .first()
    )
    if clash is not None:
        return (
            f"{source.organisation.display_name} already has a {clash.get_kind_display().lower()} "
            f"for {fy.period_label(start, end)}: {clash}. Roll forward into a year it does not "
            "cover, or change that plan instead."
        )
    return None


def preview(source: Plan) -> list[PreviewGroup]:
    """What every carrier would carry and leave behind, in carrier order."""
    groups: list[PreviewGroup] = []
    for carrier in carriers():
        groups.extend(carrier.preview(source))
    return groups


def _period_slug(start: int, end: int) -> str:
    """2006-07 for 2006/07; 2018-21 for 2018/19 to 2020/21 (as the demo plans' slugs)."""
    return f"{start}-{(end + 1) % 100:02d}"


def _slug_for(source: Plan, start: int, end: int) -> str:
    """The source's slug with its period replaced (ssp-business-plan-2006-07 → …-2007-08),
    or one made from the organisation and title; unique (-2, -3… if taken)."""
    old, new = _period_slug(source.start_year, source.end_year), _period_slug(start, end)
    if old in source.slug:
        base = source.slug.replace(old, new)
    else:
        base = slugify(f"{source.organisation.slug} {source.title} {new}")
    base = base[:72]
    taken = set(Plan.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _version_label(source: Plan, start: int, end: int) -> str:
    """A label that was the period ("2006/07") becomes the new period; any other is left for
    the planner to set."""
    if source.version_label == source.period_label:
        return fy.period_label(start, end)
    return ""


# Copied to the new plan as its starting draft; the document-control record (approval,
# ratification, issue and review dates) belongs to the old plan's life and is not.
COPIED_FIELDS = (
    "organisation_id",
    "kind",
    "title",
    "director_sponsor",
    "author",
    "target_audience",
    "aim",
    "vision",
    "core_purpose",
    "reporting_working_days",
)


@dataclass(frozen=True)
class RollForward:
    plan: Plan
    created: bool  # False: it had been rolled forward already, and nothing changed


def may_roll_forward(user, plan: Plan) -> bool:
    return permissions.has_permission(user, permissions.Action.ROLL_FORWARD, plan.organisation_id)


@transaction.atomic
def roll_forward(
    *,
    plan: Plan,
    first_year: int,
    by=None,
    expected_version: int | None = None,
    submission_token: str = "",
) -> RollForward:
    """Start the plan for `first_year` from `plan`: a new draft holding what the carriers
    carry. `by` None is the system (the management command); a user must have the right.
    ValidationError (nothing made) for a refused year; StaleEditError when the plan changed
    since `expected_version`; DuplicateSubmission for a form posted twice."""
    if by is not None and not may_roll_forward(by, plan):
        raise PermissionDenied(permissions.ROLL_FORWARD_REFUSAL)
    source = lock_at_version(
        Plan.objects.select_related("organisation"),
        pk=plan.pk,
        expected_version=plan.version if expected_version is None else expected_version,
        stale_message=STALE_SOURCE,
        bump=False,  # the source's content does not change
    )
    problem = refusal(source, first_year)
    if problem:
        raise ValidationError({"first_year": problem}, code="roll_forward_refused")
    done = existing_roll_forward(source)
    if done is not None:
        return RollForward(plan=done, created=False)
    idempotency.consume(submission_token, user=by)
    start, end = new_period(source, first_year)
    target = Plan(
        **{name: getattr(source, name) for name in COPIED_FIELDS},
        slug=_slug_for(source, start, end),
        start_year=start,
        end_year=end,
        version_label=_version_label(source, start, end),
        status=PlanStatus.DRAFT,
        rolled_forward_from=source,
    )
    reason = f"Rolled forward from {source.period_label}"
    target.full_clean(validate_unique=False, validate_constraints=False)
    target._history_user = by
    target._change_reason = reason
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        # Another run made it between our check and our insert (the unique constraint on
        # rolled_forward_from): theirs stands.
        return RollForward(plan=existing_roll_forward(source), created=False)
    context = CarryContext(source=source, target=target, by=by, reason=reason)
    context.mapping(Plan)[source.pk] = target.pk
    for carrier in carriers():
        carrier.carry(context)
    return RollForward(plan=target, created=True)


# --- helpers for carriers ------------------------------------------------------------------


def copy_fields(model: type[models.Model], *, skip: tuple[str, ...] = ()) -> list[str]:
    """The concrete, editable field names a copy takes as they are (attnames: `plan_id`…),
    leaving out the id, the version (a new record starts at 1) and `skip`."""
    names = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in ("version", *skip) or f.attname in skip:
            continue
        names.append(f.attname)
    return names


def copy_of(model: type[models.Model], row: models.Model, names: list[str], **changes):
    """An unsaved copy of `row` with `changes` (attnames) applied: a new id, version 1, the
    fields not in `names` at their defaults. Built positionally, Django's fast path (thousands
    of copies are made at a time)."""
    taken = set(names)
    values = []
    for f in model._meta.concrete_fields:
        if f.attname in changes:
            values.append(changes[f.attname])
        elif f.attname in taken:
            values.append(getattr(row, f.attname))
        elif f.primary_key:
            values.append(None)
        else:
            values.append(f.get_default())
    return model(*values)


def carry_all(context: CarryContext, model: type[models.Model], queryset) -> None:
    """Copy every row of `queryset` into the new plan, as they are (ordered lists: vision,
    values, sections, priorities…)."""
    names = copy_fields(model)
    context.create(
        model,
        [(row.pk, copy_of(model, row, names, plan_id=context.target.pk)) for row in queryset],
    )
