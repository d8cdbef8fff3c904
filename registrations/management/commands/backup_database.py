"""Write a consistent backup of the database (see docs/deploying.md "Backups and restore")."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrations.core.backups import BackupError, backups_prune, database_backup


class Command(BaseCommand):
    help = "Back up the database into BACKUP_DIR (pg_dump custom format for PostgreSQL, a copy for SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, help="Where to write the backup (default: BACKUP_DIR).")
        parser.add_argument("--keep", type=int, default=0, help="Then delete all but the newest N backups there (0: keep all).")

    def handle(self, *args, directory: Path | None = None, keep: int = 0, **options):
        directory = directory or settings.BACKUP_DIR
        try:
            path = database_backup(directory=directory)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {path} ({path.stat().st_size} bytes)")
        if keep > 0:
            for old in backups_prune(directory=directory, keep=keep):
                self.stdout.write(f"Deleted old backup: {old}")
