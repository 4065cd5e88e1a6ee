"""Run the deadline sweep once: for cron-only deployments and for operators."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.deadlines import enquiry_deadline_sweep


class Command(BaseCommand):
    help = "Send the reminders and make the escalations that are due (001 §7.1). --dry-run changes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen; change and send nothing.")
        parser.add_argument(
            "--now", help="Sweep as if it were this moment (ISO 8601, e.g. 2026-12-30T09:00), for checking a plan."
        )
        parser.add_argument("--list", action="store_true", help="List each reminder and climb.")

    def handle(self, *args, dry_run: bool, now: str | None, list: bool, **options) -> None:
        moment = timezone.now()
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now={now!r} is not an ISO 8601 date and time.") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, timezone.get_default_timezone())
        report = enquiry_deadline_sweep(now=moment, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        if list or dry_run:
            for line in report.lines:
                self.stdout.write(f"  {line}")
        self.stdout.write(
            f"{verb} {report.reminders} reminders and {'would make' if dry_run else 'made'} {report.climbs} "
            f"escalations ({report.at_top} already at the Chief Executive) as of {moment:%Y-%m-%d %H:%M %Z}."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed or sent.")
