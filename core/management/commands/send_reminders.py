from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from core.notifications import send_reminders


class Command(BaseCommand):
    help = "Create today's reminders (bell and e-mail); the daily 07:00 job does the same."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Remind as of this day (dd/mm/yyyy); default today.")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = datetime.strptime(options["date"], "%d/%m/%Y").date()
            except ValueError as exc:
                raise CommandError("Ngày không hợp lệ: dùng dạng dd/mm/yyyy.") from exc
        result = send_reminders(day)
        self.stdout.write(f"created={result['created']} emailed={result['emailed']}")
