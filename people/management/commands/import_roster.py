from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.roster_import import RosterImportError, import_roster


class Command(BaseCommand):
    help = "Import the HR roster from CSV, all or nothing (columns: docs/roster-import.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Print what would change; change nothing.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            result = import_roster(text, dry_run=dry_run)
        except RosterImportError as error:
            raise CommandError("Nothing was imported.\n" + "\n".join(error.errors)) from None
        for change in result.changes:
            self.stdout.write(change)
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}: {result.created} new, {result.updated} updated, {result.unchanged} unchanged.")
        )
