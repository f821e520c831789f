from django.core.management.base import BaseCommand

from enterprises import spans


class Command(BaseCommand):
    help = ("Rewrite every enterprise's spans (what the registry's indicators count, from date "
            "to date) from the registry (after a bulk load that bypassed the application, e.g. "
            "loaddata or SQL).")

    def handle(self, *args, **options):
        self.stdout.write(f"{spans.rebuild()} spans written.")
