"""`python manage.py send_notices`: one pass of the reminders and notices (notices.sender).

Run it once a day (docker-compose's scheduler does; see the README for cron or a systemd
timer). Running it again the same day sends nothing new: each notice is recorded per person,
plan, kind and period. By default the e-mails go to the task worker (`manage.py db_worker`),
which retries refused deliveries; `--inline` sends them here and now instead, for a machine
without a worker."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from notices.models import NoticeKind
from notices.sender import run_pass


class Command(BaseCommand):
    help = "Send the reminders and notices due today (each once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--inline",
            action="store_true",
            help="Send here and now (with retries) instead of through the task worker.",
        )
        parser.add_argument(
            "--kind",
            action="append",
            choices=NoticeKind.values,
            help="Only this kind of notice (repeatable). Default: every kind.",
        )
        parser.add_argument(
            "--date",
            help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up a missed day.",
        )

    def handle(self, *args, inline=False, kind=None, date=None, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"{date!r} is not a date such as 2026-11-26.") from None
        report = run_pass(today, kinds=kind, inline=inline)
        for name, kind_report in report.kinds.items():
            self.stdout.write(
                f"{name}: {kind_report.queued} queued, {kind_report.already} already sent, "
                f"{kind_report.switched_off} turned off"
            )
        if report.requeued:
            self.stdout.write(f"{report.requeued} failed earlier, queued again")
        if inline:
            self.stdout.write(f"{report.delivered} sent, {report.failed} not accepted")
        else:
            self.stdout.write(f"{report.queued + report.requeued} handed to the task worker")
