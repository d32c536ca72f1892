from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from innovo_compliance.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one archive with the database (pg_dump, or the SQLite file) and every stored file "
        "(uploads, certificate PDFs, exports; on disk or in S3), each with its SHA-256. "
        "Secrets (signing key, secret key) are not included: back them up apart (docs/deploy.md)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="archive to write, e.g. /backups/innovo-2026-12-01.tar")

    def handle(self, *args, path, **options):
        try:
            summary = backup(Path(path), log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}: {summary.database}, {summary.files} files."))
