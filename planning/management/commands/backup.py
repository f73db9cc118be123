"""`manage.py backup [--dir BACKUP_DIR]`: the database and MEDIA_ROOT in one timestamped directory.

See planning/backup.py for what a backup holds, and docs/operations.md for how to run it.
"""

import os

from django.core.management.base import BaseCommand, CommandError

from planning.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the PostgreSQL database (pg_dump, custom format) and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=os.environ.get("BACKUP_DIR", "backups"),
            help="Where to write the backup directory (default: $BACKUP_DIR or ./backups).",
        )

    def handle(self, *args, dir, **options):
        try:
            outcome = create_backup(directory=dir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        timing = ", ".join(f"{k} {v:.1f} s" for k, v in outcome.seconds.items())
        self.stdout.write(
            f"Backed up {outcome.tables} tables ({outcome.rows} rows) and the media to "
            f"{outcome.path} ({timing})."
        )
