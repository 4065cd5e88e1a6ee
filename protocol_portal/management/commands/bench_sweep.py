"""Benchmark the deadline sweep on PostgreSQL (docs/performance.md).

Builds a throw-away database (``test_<name>``, like the test runner's), fills it
with N open enquiries of which M are overdue and due to climb
(protocol_portal.bench.sweep), runs the sweep, then runs it again with nothing due,
and prints seconds, climbs and SQL statements for each. The database is dropped at
the end.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.deadlines import enquiry_deadline_sweep, escalations_notify
from protocol_portal.bench.sweep import build


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
        for label in ("due", "idle"):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                report = enquiry_deadline_sweep(now=now)
                seconds = time.perf_counter() - started
            self.stdout.write(
                f"Sweep ({label}): {seconds * 1000:,.1f} ms, {report.climbs:,} climbs, {report.reminders:,} reminders, "
                f"{len(queries.captured_queries)} SQL statements, {report.batches} batches of up to "
                f"{settings.DEADLINE_SWEEP_BATCH_SIZE:,}."
            )
            if label == "due":
                # What the sweep's after-commit task does next: the outbox of climbs to tell.
                started = time.perf_counter()
                told = escalations_notify(now=now)
                self.stdout.write(
                    f"Telling members and new owners (outbox, after the sweep): "
                    f"{(time.perf_counter() - started) * 1000:,.1f} ms for {told:,} climbs, "
                    f"{2 * told:,} notifications."
                )
