from django.core.management.base import BaseCommand

from people.demo import seed_demo
from people.scale import Generator, Sizes


class Command(BaseCommand):
    help = (
        "Generate a large, repeatable data set (people, cases of every kind, timeline events, "
        "certifications, gifts) for benchmarks. Loads the demo roster first. Adds to what is there."
    )

    def add_arguments(self, parser):
        defaults = Sizes()
        for name in ("people", "cases", "events", "certifications", "gifts"):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--batch", type=int, default=20_000)

    def handle(self, *args, seed, batch, **options):
        sizes = Sizes(**{name: options[name] for name in ("people", "cases", "events", "certifications", "gifts")})
        seed_demo()
        self.stdout.write(f"Generating {sizes} with seed {seed}…")
        timings = Generator(sizes=sizes, seed=seed, batch=batch, log=self.stdout.write).run()
        self.stdout.write(self.style.SUCCESS(f"Done in {timings['total']}s: {timings}"))
