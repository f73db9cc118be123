"""python manage.py export_plan --plan <slug> -o plan.xlsx: a plan as its workbook."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planning.models import Plan
from workbook.export import plan_workbook


class Command(BaseCommand):
    help = "Write a plan as one workbook (.xlsx): a sheet per record kind."

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="The plan's slug; leave out for the blank template.")
        parser.add_argument("-o", "--output", required=True, help="The .xlsx file to write.")

    def handle(self, *args, plan=None, output, **options):
        record = None
        if plan:
            record = Plan.objects.select_related("organisation").filter(slug=plan).first()
            if record is None:
                raise CommandError(f"No plan has the slug {plan!r}.")
        Path(output).write_bytes(plan_workbook(record))
        self.stdout.write(f"Wrote {output}", self.style.SUCCESS)
