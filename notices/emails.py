"""Compose a notice: its subject, plain text and HTML, from templates/notices/email/.

The HTML is a simple, accessible layout: one column, real headings and lists, no remote
images, no tracking pixels or redirecting links; every link is absolute (settings.SITE_URL).
The subject says the organisation, the quarter and what is asked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from notices import links
from notices.models import NoticeKind
from planning.fy import Quarter


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


def _date(day: dt.date | None) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


@dataclass
class Composed:
    subject: str
    text: str
    html: str
    unsubscribe_url: str


@dataclass
class Notice:
    """One notice for one person, before it is composed."""

    kind: NoticeKind
    recipient: object  # notices.collect.Recipient
    plan: object  # planning.models.Plan (organisation selected)
    period: str
    quarter: Quarter
    deadline: dt.date | None = None
    stage: int | None = None
    items: list = field(default_factory=list)
    kpis: list = field(default_factory=list)
    digest: object | None = None

    def subject(self) -> str:
        org = self.plan.organisation.display_name
        q = self.quarter
        if self.kind == NoticeKind.REMINDER:
            what = " and ".join(
                part
                for part in (
                    _count(len(self.items), "item") if self.items else "",
                    _count(len(self.kpis), "KPI") if self.kpis else "",
                )
                if part
            )
            return f"{org}: {q} updates due by {_date(self.deadline)} – {what} to update"
        if self.kind == NoticeKind.OVERDUE:
            return f"{org}: {q} updates overdue – {_count(len(self.items), 'item')} still to update"
        if self.kind == NoticeKind.PAST_DUE:
            return (
                f"{org}: {_count(len(self.items), 'item')} past the due date – update or close "
                f"them ({q})"
            )
        if self.kind == NoticeKind.DIGEST:
            c = self.digest.counts
            return (
                f"{org}: weekly digest for {q} – {c['not_updated']} not updated, "
                f"{c['red_amber']} Red or Amber, {c['overdue']} overdue, "
                f"{_count(c['kpis'], 'KPI')} without a value"
            )
        return f"{org}: the {q} board pack is published – please read it"


# A digest lists at most this many items in each section of each department, then says how
# many more there are and links to the objectives list: an e-mail is not the place for 5,000.
DIGEST_LIMIT = 10


@lru_cache(maxsize=200_000)
def _line(fact, show_due: bool, site: str) -> tuple[str, str]:
    """One listed item or KPI, as plain text and as HTML: made once per pass and reused in
    every e-mail that lists it (rendering thousands of lines through templates is slow)."""
    due = getattr(fact, "due_date", None)
    note = f" (due {due.day} {due:%B %Y})" if show_due and due else ""
    missing = getattr(fact, "missing", ())
    if missing:
        note += f": no value for {', '.join(missing)}"
    url = site + fact.path
    text = f"- {fact.label}{note}\n  {url}\n"
    html = (
        f'<li style="margin-bottom:4px;"><a href="{escape(url)}" style="color:#005eb8;">'
        f"{escape(fact.label)}</a>{escape(note)}</li>"
    )
    return text, html


@dataclass
class Listing:
    text: str
    html: str
    count: int
    more: int = 0


def listing(facts, site: str, *, show_due: bool = False, limit: int | None = None) -> Listing:
    shown = facts if limit is None else facts[:limit]
    lines = [_line(fact, show_due, site) for fact in shown]
    html = (
        '<ul style="margin:0 0 16px;padding-left:20px;">' + "".join(h for _, h in lines) + "</ul>"
        if lines
        else ""
    )
    return Listing(
        "".join(t for t, _ in lines),
        mark_safe(html),
        len(facts),
        len(facts) - len(shown),  # noqa: S308 (escaped above)
    )


def _digest_sections(digest, site: str):
    departments = []
    for department in digest.departments:
        sections = [
            (title, listing(facts, site, show_due=show_due, limit=DIGEST_LIMIT))
            for title, facts, show_due in (
                ("Not updated", department.not_updated, False),
                ("Red or Amber", department.red_amber, False),
                ("Overdue", department.overdue, True),
            )
            if facts
        ]
        departments.append({"name": department.name, "sections": sections})
    return departments


@lru_cache(maxsize=1024)
def _plan_urls(site: str, slug: str, plan_id: int, quarter_key: str) -> dict[str, str]:
    """The links every notice of a plan and quarter shares: reverse() once, not per e-mail."""
    return {
        "my_work_url": site + reverse("objectives:my_work"),
        "plan_url": site + reverse("reporting:plan_detail", args=[slug]),
        "scorecard_url": site
        + reverse("reporting:scorecard", args=[slug])
        + f"?quarter={quarter_key}",
        "board_pack_url": site
        + reverse("documents:scorecard_pdf", args=[slug])
        + f"?quarter={quarter_key}",
        "objectives_url": site + reverse("objectives:list") + f"?plan={plan_id}",
        "preferences_url": site + reverse("notices:preferences"),
    }


TEMPLATES = {}


def _templates(kind: str):
    if kind not in TEMPLATES:
        TEMPLATES[kind] = (
            get_template(f"notices/email/{kind}.txt"),
            get_template(f"notices/email/{kind}.html"),
        )
    return TEMPLATES[kind]


def compose(notice: Notice) -> Composed:
    preference = NoticeKind(notice.kind).preference
    unsubscribe = links.preference_url(notice.recipient.user_id, preference)
    plan = notice.plan
    site = settings.SITE_URL.rstrip("/")
    urls = _plan_urls(site, plan.slug, plan.pk, notice.quarter.key)
    context = {
        "notice": notice,
        "kind": notice.kind,
        "recipient": notice.recipient,
        "plan": plan,
        "organisation": plan.organisation.display_name,
        "quarter": notice.quarter,
        "deadline": _date(notice.deadline),
        "items": listing(notice.items, site, show_due=notice.kind == NoticeKind.PAST_DUE),
        "kpis": listing(notice.kpis, site),
        "digest": notice.digest,
        "departments": _digest_sections(notice.digest, site) if notice.digest else [],
        "digest_kpis": listing(notice.digest.kpis_missing, site, limit=DIGEST_LIMIT * 5)
        if notice.digest
        else None,
        **urls,
        "preference_url": unsubscribe,
        "may_turn_off": preference != "reminders",
    }
    subject = notice.subject()
    context["subject"] = subject
    text_template, html_template = _templates(notice.kind)
    return Composed(
        subject=subject,
        text=text_template.render(context),
        html=html_template.render(context),
        unsubscribe_url=unsubscribe,
    )


def message(row, connection=None) -> EmailMultiAlternatives:
    """The e-mail of a queued SentNotice, as stored (a retry sends the same words)."""
    headers = {"Auto-Submitted": "auto-generated"}
    if NoticeKind(row.kind).preference != "reminders":
        # RFC 8058: mail programs offer a one-click "unsubscribe" that posts to the link.
        headers["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        to=[row.to_email],
        headers=headers,
        connection=connection,
    )
    email.attach_alternative(row.body_html, "text/html")
    return email
