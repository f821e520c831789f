from django.core.management.base import BaseCommand

from core.retention import apply


class Command(BaseCommand):
    help = ("Apply the retention schedule of personal data: delete import uploads past their "
            "time, pseudonymise records kept past PSEUDONYMISE_AFTER_YEARS (the daily 02:30 "
            "job does the same). --dry-run only counts.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Count what would be deleted or pseudonymised; change nothing.")

    def handle(self, *args, **options):
        outcome = apply(dry_run=options["dry_run"])
        prefix = "(dry run) " if outcome.dry_run else ""
        for line in outcome.lines():
            self.stdout.write(prefix + line)
