"""Apply the retention schedule once: for operators, and to see what a first run would do."""

from django.core.management.base import BaseCommand

from protocol_portal.retention.schedule import ACTION_NAMES
from protocol_portal.retention.services import retention_run


class Command(BaseCommand):
    help = (
        "Anonymise or delete the personal data past its retention period (docs/retention.md). "
        "--dry-run changes nothing and records what it would have done."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")

    def handle(self, *args, dry_run: bool, **options) -> None:
        # Without --dry-run the RETENTION_DRY_RUN setting decides, as for the nightly task.
        run = retention_run(dry_run=True if dry_run else None, trigger="command")
        would = "would be " if run.dry_run else ""
        for entry in run.results:
            action = ACTION_NAMES[entry["action"]].lower() + "d"
            self.stdout.write(f"  {entry['kind']}: {entry['count']} {would}{action} (before {entry['cut_at'][:10]})")
        if run.dry_run:
            self.stdout.write(f"Dry run {run.pk}: nothing was changed.")
        else:
            self.stdout.write(f"Run {run.pk}: {run.total} records anonymised or deleted.")
