from django.core.management.base import BaseCommand

from people.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the Code (version 1) and the demo roster. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        result = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {result['people']} people, {result['code']}."))
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
