"""Run the deadline sweep once: for cron-only deployments and for operators."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.concerns.deadlines import concern_deadline_sweep
from cases.enquiries.deadlines import enquiry_deadline_sweep


class Command(BaseCommand):
    help = (
        "Send the reminders and make the escalations that are due: members' enquiries (001 §7.1) and "
        "concerns' stage targets (DESIGN §4). --dry-run changes nothing."
    )

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
        concerns = concern_deadline_sweep(now=moment, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        if list or dry_run:
            for line in report.lines:
                self.stdout.write(f"  {line}")
            for line in concerns.lines:
                self.stdout.write(f"  concern: {line}")
        self.stdout.write(
            f"{verb} {report.reminders} reminders and {'would make' if dry_run else 'made'} {report.climbs} "
            f"escalations ({report.at_top} already at the Chief Executive) as of {moment:%Y-%m-%d %H:%M %Z}."
        )
        # Concerns are few: their line only when the sweep found something to do for them.
        if concerns.reminders or concerns.climbs:
            self.stdout.write(
                f"Concerns: {verb.lower()} {concerns.reminders} reminders and {'would move' if dry_run else 'moved'} "
                f"{concerns.climbs} to their next stage (DESIGN §4)."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed or sent.")
