"""`manage.py restore PATH [--force]`: a backup back into an empty database and MEDIA_ROOT.

See planning/backup.py for the checks made before and after, and docs/operations.md.
"""

from django.core.management.base import BaseCommand, CommandError

from planning.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty PostgreSQL database."
    # The database may be empty: nothing here may need the project's tables to exist.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup directory (BACKUP_DIR/waymark-<time>).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore into a database (and MEDIA_ROOT) that is not empty, replacing every "
            "object the backup holds.",
        )

    def handle(self, *args, path, force, **options):
        try:
            outcome = restore_backup(path=path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        timing = ", ".join(f"{k} {v:.1f} s" for k, v in outcome.seconds.items())
        self.stdout.write(
            f"Restored {outcome.tables} tables ({outcome.rows} rows, every count as backed "
            f"up) and the media from {outcome.path} ({timing})."
        )
