from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from innovo_compliance.backup import BackupError, restore, verify_archive


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into an EMPTY database (DATABASE_URL) and "
        "empty storage: verify every SHA-256 first, load the database, put the files back, then "
        "check every file the database refers to. --check-only verifies the archive alone."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--check-only", action="store_true", help="verify the archive, change nothing")

    def handle(self, *args, path, check_only, **options):
        try:
            if check_only:
                manifest = verify_archive(Path(path))
                self.stdout.write(self.style.SUCCESS(f"Archive intact: database and {len(manifest['files'])} files."))
                return
            summary = restore(Path(path), log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for problem in summary.problems:
            self.stderr.write(problem)
        if summary.problems:
            raise CommandError(f"Restored, but {len(summary.problems)} file(s) do not match the database.")
        self.stdout.write(self.style.SUCCESS(f"Restored {summary.database} database and {summary.files} files."))
