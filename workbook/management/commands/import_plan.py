"""python manage.py import_plan plan.xlsx --organisation <slug>: a workbook as a new draft plan;
python manage.py import_plan plan.xlsx --plan <slug>: as the next version of a ratified plan
(workbook.updating).

Prints the new plan's slug on success; otherwise every problem, by sheet, row and column, and
exits with status 1 having saved nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planning.concurrency import StaleEditError
from planning.models import Organisation, Plan
from planning.spreadsheets.files import MAX_BYTES, ImportFileError
from workbook.importing import import_workbook
from workbook.updating import NotRefreshable, import_version


class Command(BaseCommand):
    help = "Import a plan workbook (.xlsx) into an organisation as a new draft plan."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The workbook to import.")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--organisation", help="The organisation's slug: a new draft plan.")
        where.add_argument("--plan", help="A ratified plan's slug: its next version.")

    def handle(self, *args, file, organisation=None, plan=None, **options):
        target = org = None
        if plan:
            target = Plan.objects.select_related("organisation").filter(slug=plan).first()
            if target is None:
                raise CommandError(f"No plan has the slug {plan!r}.")
        else:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CommandError(f"No organisation has the slug {organisation!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file} is not a file.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError("The file is larger than 5 MB: split it into smaller files")
        try:
            if target is not None:
                loader = import_version(path.name, path.read_bytes(), target)
            else:
                loader = import_workbook(path.name, path.read_bytes(), org)
        except (ImportFileError, NotRefreshable, StaleEditError) as error:
            raise CommandError(str(error)) from error
        if loader.problems:
            for problem in loader.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing was imported: the workbook has {len(loader.problems)} problem(s)."
            )
        self.stdout.write(loader.plan.slug)
