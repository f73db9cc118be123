"""One pass of the sender (`manage.py send_notices`): for each kind of notice, read the records
(notices.collect, a fixed number of queries), ask the rules who is due what (notices.rules),
leave out what was already queued or sent (SentNotice) and whoever turned it off, compose the
e-mails, record them (one insert for all) and hand them to the task worker (notices.delivery).

The sent-once rule is the database's: SentNotice is unique per person, plan, kind and period,
and the rows are inserted with ignore_conflicts, so two passes at once cannot both queue a
notice: each delivers only the rows it inserted itself (its `batch`)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from notices import collect, delivery, emails, rules
from notices.emails import Notice
from notices.models import BoardPackPublication, NoticeKind, SentNotice, SentState
from planning.fy import Quarter
from planning.models import MembershipRole

# Board packs published longer ago than this are not announced any more (a first run on old
# data must not announce years of packs).
BOARD_PACK_FRESH_DAYS = 30
# A notice that failed every retry is queued again by the next passes for this long.
FAILED_RETRY_DAYS = 7


@dataclass
class KindReport:
    kind: str
    candidates: int = 0
    queued: int = 0
    already: int = 0
    switched_off: int = 0


@dataclass
class PassReport:
    today: dt.date
    kinds: dict[str, KindReport] = field(default_factory=dict)
    requeued: int = 0
    delivered: int = 0
    failed: int = 0

    @property
    def queued(self) -> int:
        return sum(k.queued for k in self.kinds.values())


# ---------------------------------------------------------------------------------------------
# Who is due what, kind by kind
# ---------------------------------------------------------------------------------------------


def _reminders(today: dt.date, contexts) -> list[Notice]:
    due = {c.plan.pk: rules.reminders_due(today, c.deadline_of, c.reminder_days) for c in contexts}
    notices: list[Notice] = []
    # A plan may have two quarters due at once (rare: a very short deadline): one read each.
    rounds = max((len(d) for d in due.values()), default=0)
    for index in range(rounds):
        round_contexts = [
            c
            for c in contexts
            if len(due[c.plan.pk]) > index and c.covers(due[c.plan.pk][index][0])
        ]
        if not round_contexts:
            continue
        quarter_of = {c.plan.pk: due[c.plan.pk][index][0] for c in round_contexts}
        people = collect.directory({c.plan.organisation_id for c in round_contexts})
        items = collect.item_facts(round_contexts, quarter_of, people)
        kpis = collect.kpi_facts(round_contexts, quarter_of, people)
        for context in round_contexts:
            quarter, stage, deadline = due[context.plan.pk][index]
            plan_items = [i for i in items if i.plan_id == context.plan.pk]
            plan_kpis = [k for k in kpis if k.plan_id == context.plan.pk]
            for user_id, work in rules.to_update_by_person(plan_items, plan_kpis).items():
                notices.append(
                    Notice(
                        NoticeKind.REMINDER,
                        people.people[user_id],
                        context.plan,
                        rules.reminder_period(quarter, stage),
                        quarter,
                        deadline=deadline,
                        stage=stage,
                        items=work.items,
                        kpis=work.kpis,
                    )
                )
    return notices


def _by_plan(facts):
    grouped: dict[int, list] = {}
    for fact in facts:
        grouped.setdefault(fact.plan_id, []).append(fact)
    return grouped


def _overdue(today: dt.date, contexts) -> list[Notice]:
    due = {}
    for c in contexts:
        found = rules.overdue_quarter(today, c.deadline_of)
        if found and c.covers(found[0]):
            due[c.plan.pk] = found
    contexts = [c for c in contexts if c.plan.pk in due]
    if not contexts:
        return []
    people = collect.directory({c.plan.organisation_id for c in contexts})
    items = _by_plan(collect.item_facts(contexts, {p: q for p, (q, _) in due.items()}, people))
    notices = []
    for context in contexts:
        quarter, deadline = due[context.plan.pk]
        for user_id, work in rules.to_update_by_person(items.get(context.plan.pk, [])).items():
            notices.append(
                Notice(
                    NoticeKind.OVERDUE,
                    people.people[user_id],
                    context.plan,
                    quarter.key,
                    quarter,
                    deadline=deadline,
                    items=work.items,
                )
            )
    return notices


def _weekly_contexts(today: dt.date, contexts):
    quarter = Quarter.containing(today)
    return [
        (c, period)
        for c in contexts
        if (period := rules.week_period(today, c.weekly_day)) and c.covers(quarter)
    ]


def _past_due(today: dt.date, contexts) -> list[Notice]:
    weekly = _weekly_contexts(today, contexts)
    if not weekly:
        return []
    plans = [c for c, _ in weekly]
    quarter = Quarter.containing(today)
    people = collect.directory({c.plan.organisation_id for c in plans})
    quarter_of = {c.plan.pk: c.calendar.reporting_quarter(today) for c in plans}
    items = _by_plan(collect.item_facts(plans, quarter_of, people))
    notices = []
    for context, period in weekly:
        for user_id, work in rules.past_due_by_person(
            items.get(context.plan.pk, []), today
        ).items():
            notices.append(
                Notice(
                    NoticeKind.PAST_DUE,
                    people.people[user_id],
                    context.plan,
                    period,
                    quarter,
                    items=work.items,
                )
            )
    return notices


def _digests(today: dt.date, contexts) -> list[Notice]:
    weekly = _weekly_contexts(today, contexts)
    if not weekly:
        return []
    plans = [c for c, _ in weekly]
    people = collect.directory({c.plan.organisation_id for c in plans})
    quarter_of = {c.plan.pk: c.calendar.reporting_quarter(today) for c in plans}
    items = _by_plan(collect.item_facts(plans, quarter_of, people))
    kpis = _by_plan(collect.kpi_facts(plans, quarter_of, people))
    notices = []
    for context, period in weekly:
        planners = people.with_role(context.plan.organisation_id, MembershipRole.PLANNER)
        if not planners:
            continue
        digest = rules.digest(items.get(context.plan.pk, []), kpis.get(context.plan.pk, []), today)
        for recipient in planners:
            notices.append(
                Notice(
                    NoticeKind.DIGEST,
                    recipient,
                    context.plan,
                    period,
                    quarter_of[context.plan.pk],
                    deadline=context.deadline_of(quarter_of[context.plan.pk]),
                    digest=digest,
                )
            )
    return notices


def _board_packs(today: dt.date, contexts) -> list[Notice]:
    plans = {c.plan.pk: c.plan for c in contexts}
    since = timezone.now() - dt.timedelta(days=BOARD_PACK_FRESH_DAYS)
    published = list(
        BoardPackPublication.objects.filter(plan_id__in=plans, published_at__gte=since)
    )
    if not published:
        return []
    people = collect.directory({plans[p.plan_id].organisation_id for p in published})
    notices = []
    for publication in published:
        plan = plans[publication.plan_id]
        for recipient in people.with_role(plan.organisation_id, MembershipRole.VIEWER):
            notices.append(
                Notice(
                    NoticeKind.BOARD_PACK,
                    recipient,
                    plan,
                    publication.period.key,
                    publication.period,
                )
            )
    return notices


KINDS = {
    NoticeKind.REMINDER: _reminders,
    NoticeKind.OVERDUE: _overdue,
    NoticeKind.PAST_DUE: _past_due,
    NoticeKind.DIGEST: _digests,
    NoticeKind.BOARD_PACK: _board_packs,
}


# ---------------------------------------------------------------------------------------------
# The pass
# ---------------------------------------------------------------------------------------------


def _already(kind: NoticeKind, notices: list[Notice]) -> set[tuple[int, int, str]]:
    """(user, plan, period) of this kind already queued or sent. One query."""
    if not notices:
        return set()
    periods = {n.period for n in notices}
    plans = {n.plan.pk for n in notices}
    return set(
        SentNotice.objects.filter(kind=kind, period__in=periods, plan_id__in=plans).values_list(
            "user_id", "plan_id", "period"
        )
    )


def queue_kind(kind: NoticeKind, today: dt.date, contexts, report: PassReport) -> list[int]:
    """Find, compose and record one kind's notices; the ids of the rows this pass inserted."""
    kind_report = report.kinds.setdefault(kind.value, KindReport(kind.value))
    notices = KINDS[kind](today, contexts)
    kind_report.candidates = len(notices)
    already = _already(kind, notices)
    batch = uuid.uuid4().hex
    rows = []
    for notice in notices:
        if (notice.recipient.user_id, notice.plan.pk, notice.period) in already:
            kind_report.already += 1
            continue
        if not notice.recipient.wants(kind.preference):
            kind_report.switched_off += 1
            continue
        composed = emails.compose(notice)
        rows.append(
            SentNotice(
                user_id=notice.recipient.user_id,
                plan=notice.plan,
                kind=kind,
                period=notice.period,
                state=SentState.QUEUED,
                batch=batch,
                to_email=notice.recipient.email,
                subject=composed.subject[:300],
                body_text=composed.text,
                body_html=composed.html,
                unsubscribe_url=composed.unsubscribe_url,
            )
        )
    if not rows:
        return []
    SentNotice.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    ids = list(SentNotice.objects.filter(batch=batch).values_list("pk", flat=True))
    kind_report.queued = len(ids)
    kind_report.already += len(rows) - len(ids)  # another pass queued them in the meantime
    return ids


def requeue_failed() -> list[int]:
    """Notices that failed every retry lately: queued again (never marked sent)."""
    since = timezone.now() - dt.timedelta(days=FAILED_RETRY_DAYS)
    batch = uuid.uuid4().hex
    SentNotice.objects.filter(
        state=SentState.FAILED, created_at__gte=since, user__is_active=True
    ).update(state=SentState.QUEUED, batch=batch)
    return list(SentNotice.objects.filter(batch=batch).values_list("pk", flat=True))


def run_pass(
    today: dt.date | None = None,
    *,
    kinds=None,
    inline: bool = False,
    plan_ids=None,
    on_kind=None,
) -> PassReport:
    """One pass. `inline` delivers here and now (with the retries, waiting between them)
    instead of through the task worker: for cron without a worker, and for tests.
    `on_kind(kind, ids)` is told after each kind is queued (the benchmark counts with it)."""
    today = today or timezone.localdate()
    report = PassReport(today)
    contexts = collect.plans_for(today, plan_ids=plan_ids)
    all_ids = []
    for kind in kinds or KINDS:
        kind = NoticeKind(kind)
        ids = queue_kind(kind, today, contexts, report)
        all_ids.extend(ids)
        if on_kind is not None:
            on_kind(kind, ids)
    ids = requeue_failed()
    report.requeued = len(ids)
    all_ids.extend(ids)
    if inline:
        result = delivery.deliver_with_retries(all_ids)
        report.delivered, report.failed = len(result.sent), len(result.failed)
    else:
        delivery.enqueue(all_ids)
    return report
