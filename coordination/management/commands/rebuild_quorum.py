from django.core.management.base import BaseCommand

from coordination import quorum


class Command(BaseCommand):
    help = ("Rewrite every enterprise's spans with three official party members from the "
            "placements (after a bulk load that bypassed the application, e.g. loaddata or SQL).")

    def handle(self, *args, **options):
        self.stdout.write(f"{quorum.rebuild()} spans written.")
