"""Writes to the risk register: keyword-only, each in one transaction, version-checked
(planning.concurrency) and audited (simple-history's ``_history_user``; reviews are their own
record of who and when).

The register is the organisation's, not a plan's content: a ratified plan does not freeze its
risks, so these services do not call planning.lifecycle.require_editable (see
docs/decisions/risk-register.md).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assurance import scoring
from assurance.models import Control, Risk, RiskCategory, RiskReview, RiskSettings
from planning import idempotency
from planning.concurrency import lock_at_version

STALE_RISK = (
    "Somebody else changed this risk after you opened the page. Your changes were not saved: "
    "read theirs, then make yours again if they still stand."
)
STALE_CONTROL = (
    "Somebody else changed this control after you opened the page. Your changes were not saved."
)
STALE_SETTINGS = (
    "Somebody else changed the score bands after you opened the page. Your changes were not saved."
)
STALE_CATEGORY = (
    "Somebody else changed this category after you opened the page. Your changes were not saved."
)
FUTURE_REVIEW = "The review date cannot be in the future: enter the day the review took place"
OTHER_ORGANISATION = "Choose {what} of this organisation’s own"

# The fields a planner edits on the risk form; the current score comes from reviews.
RISK_FIELDS = [
    "reference",
    "title",
    "cause",
    "event",
    "effect",
    "category",
    "plan",
    "programme",
    "owner_person",
    "owner_role",
    "inherent_likelihood",
    "inherent_consequence",
    "target_likelihood",
    "target_consequence",
    "gaps_in_control",
    "gaps_in_assurance",
    "is_principal",
    "status",
    "review_date",
]
RISK_MANY = ["priorities", "strategic_objectives", "programmes", "mitigating_actions"]
CURRENT_FIELDS = ["current_likelihood", "current_consequence"]


def _organisation_checks(organisation_id: int, data: dict) -> dict[str, str]:
    """Every record the risk links must be its organisation's: another organisation's id is
    refused on its field."""

    def org_of(value):
        return getattr(value, "organisation_id", None) or getattr(
            getattr(value, "plan", None), "organisation_id", None
        )

    singles = {
        "category": "a category",
        "plan": "a plan",
        "programme": "a programme",
        "owner_person": "a person",
        "owner_role": "a role",
    }
    errors = {}
    for name, what in singles.items():
        value = data.get(name)
        if value is not None and org_of(value) != organisation_id:
            errors[name] = OTHER_ORGANISATION.format(what=what)
    many = {
        "priorities": "strategic priorities",
        "strategic_objectives": "objectives",
        "programmes": "programmes",
        "mitigating_actions": "plans’ actions",
    }
    for name, what in many.items():
        if any(org_of(value) != organisation_id for value in data.get(name, ())):
            errors[name] = OTHER_ORGANISATION.format(what=what)
    plan, programme = data.get("plan"), data.get("programme")
    if programme is not None and plan is not None and programme.plan_id != plan.pk:
        errors.setdefault("programme", "Choose a programme of the plan the risk belongs to")
    return errors


def _score_checks(data: dict, *, include_current: bool) -> dict[str, str]:
    errors = {}
    pairs = ["inherent", "target", *(["current"] if include_current else [])]
    for prefix in pairs:
        likelihood = data.get(f"{prefix}_likelihood")
        consequence = data.get(f"{prefix}_consequence")
        for key, message in scoring.pair_problems(prefix, likelihood, consequence).items():
            errors[f"{prefix}_{key}"] = message
    if not errors:
        problem = scoring.score_problems(
            inherent=(data.get("inherent_likelihood"), data.get("inherent_consequence")),
            target=(data.get("target_likelihood"), data.get("target_consequence")),
        )
        if problem:
            errors["target_likelihood"] = problem
    return errors


def check_risk(organisation_id: int, data: dict, *, include_current: bool) -> None:
    errors = _organisation_checks(organisation_id, data) | _score_checks(
        data, include_current=include_current
    )
    if errors:
        raise ValidationError(errors)


def _save(record, *, by) -> None:
    record._history_user = by
    try:
        with transaction.atomic():
            record.full_clean(exclude=["version"])
            record.save()
    except IntegrityError as error:
        raise ValidationError(
            "Somebody saved a record with the same reference or name at the same moment: "
            "check the register and try again.",
            code="clash",
        ) from error


def _set_many(risk: Risk, data: dict) -> None:
    for name in RISK_MANY:
        if name in data:
            getattr(risk, name).set(data[name])


@transaction.atomic
def risk_create(*, organisation, by, data: dict, submission_token: str = "") -> Risk:
    """Add a risk. A current score given now is its first review (dated today, by `by`), so
    the trend starts with it."""
    check_risk(organisation.pk, data, include_current=True)
    idempotency.consume(submission_token, user=by)
    fields = {name: data[name] for name in [*RISK_FIELDS, *CURRENT_FIELDS] if name in data}
    risk = Risk(organisation=organisation, **fields)
    _save(risk, by=by)
    _set_many(risk, data)
    if risk.current_likelihood is not None:
        RiskReview.objects.create(
            risk=risk,
            reviewed_on=timezone.localdate(),
            reviewed_by=by,
            likelihood=risk.current_likelihood,
            consequence=risk.current_consequence,
            note="Recorded when the risk was added to the register.",
        )
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, by, expected_version: int, data: dict) -> Risk:
    """Save the planner's edit of a risk unless it changed since ``expected_version``."""
    locked = lock_at_version(
        Risk.objects.all(),
        expected_version=expected_version,
        stale_message=STALE_RISK,
        pk=risk.pk,
    )
    check_risk(locked.organisation_id, data, include_current=False)
    for name in RISK_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    _save(locked, by=by)
    _set_many(locked, data)
    return locked


@transaction.atomic
def risk_review(
    *,
    risk: Risk,
    by,
    expected_version: int,
    reviewed_on: dt.date,
    likelihood: int | None,
    consequence: int | None,
    note: str,
    next_review: dt.date | None = None,
    submission_token: str = "",
    today: dt.date | None = None,
) -> RiskReview:
    """Record a review: its score becomes the risk's current score, and the next review date
    is set. Refused: a date in the future, a score off the matrix, half a score."""
    today = today or timezone.localdate()
    errors = {}
    if reviewed_on > today:
        errors["reviewed_on"] = FUTURE_REVIEW
    errors |= scoring.pair_problems("current", likelihood, consequence)
    if errors:
        raise ValidationError(errors)
    locked = lock_at_version(
        Risk.objects.all(), expected_version=expected_version, stale_message=STALE_RISK, pk=risk.pk
    )
    idempotency.consume(submission_token, user=by)
    review = RiskReview.objects.create(
        risk=locked,
        reviewed_on=reviewed_on,
        reviewed_by=by,
        likelihood=likelihood,
        consequence=consequence,
        note=note,
    )
    latest = RiskReview.objects.filter(risk=locked).order_by("-reviewed_on", "-pk").first()
    locked.current_likelihood = latest.likelihood
    locked.current_consequence = latest.consequence
    if next_review is not None:
        locked.review_date = next_review
    locked._change_reason = "Reviewed"
    _save(locked, by=by)
    return review


# ---------------------------------------------------------------------------------------------
# Controls and assurances
# ---------------------------------------------------------------------------------------------

CONTROL_FIELDS = ["kind", "description", "line_of_defence"]


@transaction.atomic
def control_create(*, risk: Risk, by, data: dict, submission_token: str = "") -> Control:
    idempotency.consume(submission_token, user=by)
    last = Control.objects.filter(risk=risk).order_by("-order").values_list("order", flat=True)
    control = Control(
        risk=risk,
        order=(last.first() or 0) + 1,
        **{name: data[name] for name in CONTROL_FIELDS if name in data},
    )
    _save(control, by=by)
    return control


@transaction.atomic
def control_update(*, control: Control, by, expected_version: int, data: dict) -> Control:
    locked = lock_at_version(
        Control.objects.all(),
        expected_version=expected_version,
        stale_message=STALE_CONTROL,
        pk=control.pk,
    )
    for name in CONTROL_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    _save(locked, by=by)
    return locked


# ---------------------------------------------------------------------------------------------
# Score bands and categories
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def bands_update(
    *, organisation, by, expected_version: int, low_max: int, moderate_max: int, high_max: int
) -> RiskSettings:
    problems = scoring.Bands(low_max, moderate_max, high_max).problems()
    if problems:
        raise ValidationError({"high_max": problems})
    settings, _ = RiskSettings.objects.get_or_create(organisation=organisation)
    locked = lock_at_version(
        RiskSettings.objects.all(),
        expected_version=expected_version,
        stale_message=STALE_SETTINGS,
        pk=settings.pk,
    )
    locked.low_max, locked.moderate_max, locked.high_max = low_max, moderate_max, high_max
    _save(locked, by=by)
    return locked


CATEGORY_FIELDS = ["name", "appetite", "appetite_statement"]


@transaction.atomic
def category_create(*, organisation, by, data: dict, submission_token: str = "") -> RiskCategory:
    idempotency.consume(submission_token, user=by)
    category = RiskCategory(
        organisation=organisation, **{n: data[n] for n in CATEGORY_FIELDS if n in data}
    )
    _save(category, by=by)
    return category


@transaction.atomic
def category_update(
    *, category: RiskCategory, by, expected_version: int, data: dict
) -> RiskCategory:
    locked = lock_at_version(
        RiskCategory.objects.all(),
        expected_version=expected_version,
        stale_message=STALE_CATEGORY,
        pk=category.pk,
    )
    for name in CATEGORY_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    _save(locked, by=by)
    return locked


# ---------------------------------------------------------------------------------------------
# Deleting a control or a category
# ---------------------------------------------------------------------------------------------


def category_delete_refusal(category: RiskCategory) -> str | None:
    """Why the category may not be deleted (risks are in it: Risk.category is PROTECTed), or
    None if it may."""
    count = Risk.objects.filter(category=category).count()
    if not count:
        return None
    risks = "1 risk is" if count == 1 else f"{count} risks are"
    return (
        f"This category cannot be deleted: {risks} in it (closed risks count too). Change "
        f"{'that risk' if count == 1 else 'each of them'} to another category first."
    )


@transaction.atomic
def category_delete(*, category: RiskCategory, by, expected_version: int) -> None:
    """Delete a category no risk is in (ValidationError saying how many are, otherwise)."""
    locked = lock_at_version(
        RiskCategory.objects.filter(organisation_id=category.organisation_id),
        expected_version=expected_version,
        stale_message=STALE_CATEGORY,
        bump=False,
        pk=category.pk,
    )
    refusal = category_delete_refusal(locked)
    if refusal:
        raise ValidationError(refusal, code="referenced")
    locked._history_user = by
    locked.delete()


@transaction.atomic
def control_delete(*, control: Control, by, expected_version: int) -> None:
    """Delete a control or assurance (nothing refers to one); the history keeps it, with who."""
    locked = lock_at_version(
        Control.objects.filter(risk_id=control.risk_id),
        expected_version=expected_version,
        stale_message=STALE_CONTROL,
        bump=False,
        pk=control.pk,
    )
    locked._history_user = by
    locked.delete()
