"""``manage.py seed_scale``: a decade of enquiries and concerns for the benchmarks (issue 6;
docs/performance.md). See protocol_portal.bench.scale for what it writes and how."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from people.models import Service
from protocol_portal.bench.scale.builder import build
from protocol_portal.demo import build_demo_council


class Command(BaseCommand):
    help = (
        "Add ten years of enquiries and concerns (bulk inserts, PostgreSQL only) to the council in the database, "
        "building the demo council first if there is none, then rebuild the dashboards' summaries. It ADDS data "
        "every time it runs: use a throw-away database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--enquiries", type=int, default=1_000_000, help="Enquiries to add (default 1,000,000).")
        parser.add_argument("--concerns", type=int, default=50_000, help="Concerns to add (default 50,000).")
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random draw (default 2026).")

    def handle(self, *args, enquiries: int, concerns: int, seed: int, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (it writes with bulk inserts and array parameters). "
                "Set DATABASE_URL=postgres://… to a throw-away database and run it again."
            )
        if enquiries < 0 or concerns < 0:
            raise CommandError("--enquiries and --concerns must be 0 or more.")
        started = time.perf_counter()
        if not Service.objects.exists():
            step = time.perf_counter()
            summary = build_demo_council()
            self.stdout.write(f"Built the demo council, {summary.council}: {time.perf_counter() - step:,.1f} s")
        try:
            report = build(enquiries=enquiries, concerns=concerns, seed=seed, log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write("Time spent writing each table (within the steps above):")
        for label, seconds in sorted(report.seconds.items()):
            if label.startswith("writing "):
                self.stdout.write(f"  {label.removeprefix('writing '):<40} {seconds:8,.1f} s")
        self.stdout.write("Rows written:")
        for table, rows in sorted(report.rows.items()):
            self.stdout.write(f"  {table:<40} {rows:>12,}")
        self.stdout.write("Enquiries by state: " + _mix(report.enquiries))
        self.stdout.write("Concerns by state: " + _mix(report.concerns))
        self.stdout.write(self.style.SUCCESS(f"seed_scale done in {time.perf_counter() - started:,.1f} s."))


def _mix(counts) -> str:
    return ", ".join(f"{state} {number:,}" for state, number in counts.most_common()) or "none"
