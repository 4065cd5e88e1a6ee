"""Bring the dashboards' summary tables up to date (beat does this every few minutes)."""

from django.core.management.base import BaseCommand, CommandError

from reporting import summaries


class Command(BaseCommand):
    help = "Recount the dashboards' figures for the days whose cases changed (or all of them with --rebuild)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="Recount every day from the first case.")
        parser.add_argument(
            "--check", action="store_true", help="Recount everything from the cases and compare; fail on a difference."
        )

    def handle(self, *args, rebuild: bool, check: bool, **options) -> None:
        report = summaries.rebuild() if rebuild else summaries.refresh()
        self.stdout.write(
            f"Dashboards: {report.enquiry_days:,} enquiry days and {report.concern_days:,} concern days recounted, "
            f"{report.rows:,} rows written."
        )
        if check:
            expected, actual = summaries.recounted_for_check(), summaries.summarised()
            if expected != actual:
                differences = sorted(set(expected.items()) ^ set(actual.items()))[:20]
                raise CommandError(f"The summary tables disagree with a recount: {differences}")
            self.stdout.write("The summary tables agree with a recount of the cases.")
