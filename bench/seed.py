"""Seed one bench database with demo data and say how long it took.

    python bench/seed.py DATABASE small|large|double

``small`` and ``large`` run ``manage.py seed_demo --size ...``. ``double`` is
twice the large data (10,000 enterprises, 120,000 members, 30,000
candidates, same 20 zones), made by the same demo modules with every count
of their ``large`` size doubled, to see whether report memory stays flat.
"""

from __future__ import annotations

import io
import random
import sys

from common import Stopwatch, note, setup_django

DOUBLE = "double"


def _double_sizes(modules) -> None:
    """Give every demo module a ``double`` size: its ``large`` counts times two."""
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, dict) and "large" in value and DOUBLE not in value:
                large = value["large"]
                if isinstance(large, dict):
                    value[DOUBLE] = {key: count * 2 if isinstance(count, int) and "zone" not in key
                                     else count for key, count in large.items()}
                elif isinstance(large, int):
                    value[DOUBLE] = large * 2


def main(database: str, size: str) -> None:
    setup_django(database)
    from django.core.management import call_command
    from django.core.management.base import OutputWrapper

    watch = Stopwatch()
    if size == DOUBLE:
        from django.db import transaction

        from core import registry
        from core.management.commands.seed_demo import SeedContext, analyze

        demos = registry.demos()
        _double_sizes(sys.modules[demo.seed.__module__] for demo in demos)
        buffer = io.StringIO()
        ctx = SeedContext(size=DOUBLE, rng=random.Random(2021), stdout=OutputWrapper(buffer))
        with transaction.atomic():
            for demo in demos:
                demo.seed(ctx)
        analyze()
        output = buffer.getvalue()
    else:
        out = io.StringIO()
        call_command("seed_demo", size=size, stdout=out)
        output = out.getvalue()
    counts = [line.strip() for line in output.splitlines() if line.startswith("  ") and ":" in line
              and not line.strip().startswith(("canbo", "lanhdao", "quantri"))]
    note(f"seeded {size} into {database} in {watch.seconds:.1f} s: " + "; ".join(counts[:6]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
