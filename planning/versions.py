"""A plan's versions: frozen snapshots of its content (docs/decisions/plan-versions.md).

A version is not a copied plan. The plan keeps its rows; ratifying it freezes their content
(planning.plan_content.snapshot) as a PlanVersion with the document-control facts of that
moment, and the version ratified before it becomes superseded. Starting a refresh
(planning.lifecycle.start_refresh) makes the plan a draft again under the next label, so its
content can change; NEW then marks what is added since the last version. Any two versions, or a
version and the plan as it is now, are compared with planning.content_diff.

Writes here are called from lifecycle's steps, inside their transaction and after their checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from planning import content_diff, plan_content
from planning.models import Plan, PlanVersion, VersionStatus

# A plan ratified without a version label is frozen as this one (and labelled so).
FIRST_LABEL = "1.0"
CURRENT = "current"
LABEL_MAX = PlanVersion._meta.get_field("label").max_length


def used_labels(plan: Plan) -> set[str]:
    return set(PlanVersion.objects.filter(plan_id=plan.pk).values_list("label", flat=True))


def has_earlier_version(plan: Plan) -> bool:
    """Has the plan a frozen version? Then what is added to it now is NEW."""
    return PlanVersion.objects.filter(plan_id=plan.pk).exists()


def label_taken(plan: Plan, label: str) -> bool:
    return PlanVersion.objects.filter(plan_id=plan.pk, label=label.strip()).exists()


def label_refusal(label: str) -> str:
    return (
        f"Version {label} of this plan already exists: each version needs its own label. "
        "Choose another."
    )


def clean_label(label: str, *, field: str = "label") -> str:
    label = (label or "").strip()
    if len(label) > LABEL_MAX:
        raise ValidationError({field: f"Enter a version label of at most {LABEL_MAX} characters."})
    return label


def freeze(plan: Plan, *, by) -> PlanVersion:
    """Freeze `plan`'s content now, as its current label, ratified; the version ratified
    before it (if any) becomes superseded. Call inside the step's transaction, with `plan`
    locked and its ratification recorded. A label already frozen is refused (ValidationError:
    the caller's transaction rolls back)."""
    label = plan.version_label.strip()
    if label and label_taken(plan, label):
        raise ValidationError(
            f"Version {label} of this plan was frozen before: change the version label in the "
            "plan's details (for example to the next number) before recording its ratification.",
            code="label_taken",
        )
    for earlier in PlanVersion.objects.filter(plan_id=plan.pk, status=VersionStatus.RATIFIED):
        earlier.status = VersionStatus.SUPERSEDED
        earlier._history_user = by
        earlier._change_reason = f"Superseded by version {label}"
        earlier.save(update_fields=["status"])
    version = PlanVersion(
        plan=plan,
        label=label,
        status=VersionStatus.RATIFIED,
        approved_by=plan.approved_by,
        date_approved=plan.date_approved,
        ratified_by=plan.ratified_by,
        date_ratified=plan.date_ratified,
        board_minute_reference=plan.board_minute_reference,
        created_by=by,
        content=plan_content.snapshot(plan),
    )
    version.full_clean(exclude=["plan", "created_by"], validate_constraints=False)
    version._history_user = by
    version._change_reason = "Frozen at ratification"
    version.save()
    return version


def ensure_label(plan: Plan) -> None:
    """A plan about to be frozen without a label gets the first one (not saved here)."""
    if not plan.version_label.strip():
        plan.version_label = FIRST_LABEL


def suggested_label(plan: Plan) -> str | None:
    """The label a refresh gives when none is typed (4.0 → 4.1), or None if it cannot tell."""
    current = plan.version_label.strip() or FIRST_LABEL
    used = used_labels(plan) | {current}
    return content_diff.next_label(current, used)


def frozen_current(plan: Plan) -> PlanVersion | None:
    """The frozen version that is the plan's current label, if it was frozen."""
    return PlanVersion.objects.filter(plan_id=plan.pk, label=plan.version_label).first()


# ---------------------------------------------------------------------------------------------
# Reading: the version history and comparisons
# ---------------------------------------------------------------------------------------------


def history(plan: Plan) -> list[PlanVersion]:
    """The plan's frozen versions, oldest first, without their content (one query)."""
    return list(PlanVersion.objects.filter(plan_id=plan.pk).listed())


@dataclass(frozen=True)
class Choice:
    """One side of a comparison: a frozen version, or the plan as it is now."""

    key: str  # the version's id, or CURRENT
    label: str  # what the chooser shows


def choices(plan: Plan, versions: list[PlanVersion]) -> list[Choice]:
    """What a comparison may set side by side: every frozen version, newest first, and the plan
    as it is now (unless it is exactly its frozen current version: ratified, not changed since)."""
    result = [
        Choice(str(v.pk), f"Version {v.label} ({v.get_status_display().lower()})")
        for v in reversed(versions)
    ]
    if not _current_is_frozen(plan, versions):
        label = plan.version_label or "unlabelled"
        result.insert(0, Choice(CURRENT, f"Version {label} as it is now ({_status(plan)})"))
    return result


def _status(plan: Plan) -> str:
    return plan.get_status_display().lower()


def _current_is_frozen(plan: Plan, versions: list[PlanVersion]) -> bool:
    """A ratified plan's content is locked: the plan as it is now is its frozen version."""
    from planning.lifecycle import is_editable  # lifecycle imports this module

    return not is_editable(plan) and any(v.label == plan.version_label for v in versions)


def default_pair(plan: Plan, versions: list[PlanVersion]) -> tuple[str, str] | None:
    """The comparison a page opens with: the latest change (the version before the latest and
    the latest; or the latest frozen version and the draft that follows it)."""
    keys = [c.key for c in choices(plan, versions)]  # newest first
    if len(keys) < 2:
        return None
    return keys[1], keys[0]


def content_for(plan: Plan, key: str, loaded: dict[str, dict]) -> dict:
    if key == CURRENT:
        return plan_content.snapshot(plan)
    return loaded[key]


def load_contents(plan: Plan, keys: list[str]) -> dict[str, dict]:
    """The frozen contents of these versions (one query for both)."""
    ids = [int(key) for key in keys if key != CURRENT]
    if not ids:
        return {}
    rows = PlanVersion.objects.filter(plan_id=plan.pk, pk__in=ids).values_list("pk", "content")
    return {str(pk): content for pk, content in rows}


@dataclass
class Comparison:
    before: Choice
    after: Choice
    changes: list[content_diff.KindChanges]

    @property
    def rows(self) -> list[content_diff.Row]:
        return content_diff.rows(self.changes)

    @property
    def totals(self) -> dict[str, int]:
        return content_diff.totals(self.changes)


def compare(plan: Plan, before: str, after: str, versions: list[PlanVersion]) -> Comparison:
    """Compare two of `choices(plan, versions)` by key (ValueError for any other key). A
    constant number of queries: one for the two frozen contents, the registry's reads for the
    plan as it is now."""
    by_key = {c.key: c for c in choices(plan, versions)}
    if before not in by_key or after not in by_key:
        raise ValueError("Not a version of this plan.")
    loaded = load_contents(plan, [before, after])
    contents = {key: content_for(plan, key, loaded) for key in {before, after}}
    changes = content_diff.compare(contents[before], contents[after])
    return Comparison(by_key[before], by_key[after], changes)


def changes_since_previous(plan: Plan, versions: list[PlanVersion]) -> Comparison | None:
    """What the plan changed since its previous version, for the PDF's document control: a
    draft against the latest frozen version; a ratified plan's version against the one before.
    None when there is no earlier version to compare with."""
    pair = default_pair(plan, versions)
    if pair is None:
        return None
    return compare(plan, *pair, versions)


def version_rows(plan: Plan, versions: list[PlanVersion]) -> list[dict]:
    """The version history as table rows (the plan page, the details page and the PDF), oldest
    first. The plan's current label follows the frozen versions when it is not frozen itself: the
    draft of the next version, or a plan ratified before Waymark kept versions (its own record
    is all there is: no earlier content is invented)."""
    rows = [
        {
            "label": v.label,
            "status": v.get_status_display(),
            "approved": _fact(v.approved_by, v.date_approved),
            "ratified": _fact(v.ratified_by, v.date_ratified),
            "minute": v.board_minute_reference,
        }
        for v in versions
    ]
    if plan.version_label and plan.version_label not in {v.label for v in versions}:
        rows.append(
            {
                "label": plan.version_label,
                "status": plan.get_status_display(),
                "approved": _fact(plan.approved_by, plan.date_approved),
                "ratified": _fact(plan.ratified_by, plan.date_ratified),
                "minute": plan.board_minute_reference,
            }
        )
    return rows


def _fact(who: str, when) -> str:
    parts = [who, f"{when.day} {when:%B %Y}" if when else ""]
    return ", ".join(p for p in parts if p)
