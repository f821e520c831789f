"""Deterministic Vietnamese demo data for every area of the product.

Each app that has demo data registers ``seed(ctx)`` from its ``demo`` module
(:func:`core.registry.register_demo`); they run in INSTALLED_APPS order (the
registry, with the demo accounts, first; the reports last).
"""

import random
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.demo import describe
from core import registry


@dataclass
class SeedContext:
    size: str
    rng: random.Random
    stdout: object
    zones: list = field(default_factory=list)
    accounts: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def report(self, what: str, count: int) -> None:
        self.stdout.write(f"  {what}: {count}")


def analyze() -> None:
    """Refresh PostgreSQL's statistics after the bulk load: until autovacuum
    gets to the new tables the planner takes them for empty and picks nested
    loops over sixty thousand rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Fill an empty database with realistic, deterministic demo data."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but list the demo accounts) when data already exists.",
        )

    def handle(self, *args, size, seed, if_empty, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data is disabled here (DEMO_DATA_ALLOWED is false): it creates "
                "accounts with a published password."
            )
        if registry.data_present():
            if not if_empty:
                raise CommandError("The database already has data; seed_demo needs an empty one.")
            self.stdout.write("Demo data already present.")
        else:
            ctx = SeedContext(size=size, rng=random.Random(seed), stdout=self.stdout)
            self.stdout.write(f"Seeding {size} demo data (seed {seed})...")
            with transaction.atomic():
                for demo in registry.demos():
                    demo.seed(ctx)
            analyze()
        self._print_accounts()

    def _print_accounts(self):
        rows = describe()
        if not rows:
            return
        width = max(len(r[0]) for r in rows)
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {rows[0][1]}):")
        for username, _password, role in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
