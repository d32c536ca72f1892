from django.core.management.base import BaseCommand, CommandError

from cases import counts


class Command(BaseCommand):
    help = (
        "Rebuild the kept case counts (cases.CaseCount) from a full count of the cases: after a bulk "
        "load that bypassed the ORM. With --check, only compare and exit 1 on drift."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare with a full count; change nothing")

    def handle(self, *args, check, **options):
        if check:
            drifted = counts.drift()
            if drifted:
                for key, (kept, counted) in sorted(drifted.items()):
                    self.stderr.write(f"{key}: kept {kept}, counted {counted}")
                raise CommandError(f"{len(drifted)} kept count row(s) differ from a full count.")
            self.stdout.write(self.style.SUCCESS("The kept case counts equal a full count."))
            return
        rows = counts.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Kept case counts rebuilt: {rows} rows."))
