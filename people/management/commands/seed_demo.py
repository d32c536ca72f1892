from django.core.management.base import BaseCommand

from people.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Load the Code (version 1), the demo roster and a few weeks of demo work: reports, questions, "
        "filings, decisions, a legal hold, signed certificates. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--roster-only",
            action="store_true",
            help="Only the Code and the roster (no cases, filings or signatures).",
        )

    def handle(self, *args, roster_only=False, **options):
        result = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {result['people']} people, {result['code']}."))
        if not roster_only:
            self._work()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        logins = result["logins"]
        shown = logins[:14] + logins[14:17]
        for username, name, roles in shown:
            self.stdout.write(f"  {username:<12} {name:<30} {roles}")
        if len(logins) > len(shown):
            self.stdout.write(
                f"  … and {len(logins) - len(shown)} more employees (first initial + last name, e.g. "
                f"{logins[-1][0]}); aalvarez is a new hire."
            )

    def _work(self):
        from cases.demo import seed_demo_work
        from cases.models import Case

        try:
            import time_machine  # noqa: F401 (the demo sets the clock to each day's work)
        except ImportError:
            self.stdout.write(
                self.style.WARNING(
                    "No demo cases or filings: they need the development requirements (time-machine). "
                    "Only the roster and the Code were loaded."
                )
            )
            return

        demo = seed_demo_work()
        from governance.demo import seed_governance  # BOARD-1, BOARD-2, RPT-1 (issue 13)

        seed_governance()
        if demo.created:
            self.stdout.write(f"Demo work loaded: {len(demo.created)} reports, questions and filings.")
        else:
            self.stdout.write(f"Demo work already there ({Case.objects.count()} cases): nothing added.")
        if demo.receipt_keys:
            self.stdout.write(
                "Receipt keys of the anonymous demo reports (shown once; use them at /report/follow-up/):"
            )
            for reference, key in demo.receipt_keys:
                self.stdout.write(f"  {reference}  {key}")
