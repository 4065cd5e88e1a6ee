"""Benchmark the deadline sweep on PostgreSQL (docs/performance.md).

Builds a throw-away database (``test_<name>``, like the test runner's), fills it
with N open enquiries of which M are overdue and due to climb
(protocol_portal.bench.sweep), runs the sweep, then runs it again with nothing due,
and prints seconds, climbs and SQL statements for each. The database is dropped at
the end. It exits non-zero when the sweep does not do what the data was built for (every
due enquiry climbs once and is told, nothing else), so a figure never measures less work
than it says.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from protocol_portal.bench.sweep import NotAsBuilt, build, measure


class Command(BaseCommand):
    help = "Time the deadline sweep over N open enquiries with M due to climb (PostgreSQL only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--enquiries", type=int, default=1_000_000, help="Open enquiries (default 1,000,000).")
        parser.add_argument("--due", type=int, default=50_000, help="Of those, overdue and due to climb (50,000).")

    def handle(self, *args, enquiries: int, due: int, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        if not 0 <= due <= enquiries:
            raise CommandError("--due must be between 0 and --enquiries.")
        settings.DEBUG = False
        original = connection.settings_dict["NAME"]
        self.stdout.write(f"Creating a throw-away database beside {original}…")
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            self._run(enquiries=enquiries, due=due)
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)

    def _run(self, *, enquiries: int, due: int) -> None:
        started = time.perf_counter()
        now = timezone.now()
        build(enquiries=enquiries, due=due, now=now)
        self.stdout.write(
            f"Built {enquiries:,} open enquiries, {due:,} of them due to climb, "
            f"in {time.perf_counter() - started:.1f} s."
        )
        try:
            measure(due=due, now=now, log=self.stdout.write)
        except NotAsBuilt as error:
            raise CommandError(f"The benchmark did not measure what it says: {error}") from None
