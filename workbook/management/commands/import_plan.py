"""python manage.py import_plan plan.xlsx --organisation <slug>: a workbook as a new draft plan.

Prints the new plan's slug on success; otherwise every problem, by sheet, row and column, and
exits with status 1 having saved nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planning.models import Organisation
from planning.spreadsheets.files import MAX_BYTES, ImportFileError
from workbook.importing import import_workbook


class Command(BaseCommand):
    help = "Import a plan workbook (.xlsx) into an organisation as a new draft plan."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The workbook to import.")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")

    def handle(self, *args, file, organisation, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation has the slug {organisation!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file} is not a file.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError("The file is larger than 5 MB: split it into smaller files")
        try:
            loader = import_workbook(path.name, path.read_bytes(), org)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if loader.problems:
            for problem in loader.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing was imported: the workbook has {len(loader.problems)} problem(s)."
            )
        self.stdout.write(loader.plan.slug)
