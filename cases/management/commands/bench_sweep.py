"""Benchmark the deadline sweep on PostgreSQL (docs/performance.md).

Builds a throw-away database (``test_<name>``, like the test runner's), fills it
with N open enquiries of which M are overdue and due to climb, runs the sweep,
then runs it again with nothing due, and prints seconds, climbs and SQL
statements for each. The database is dropped at the end.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.enquiries.deadlines import enquiry_deadline_sweep, escalations_notify

SERVICES = 20
MEMBERS = 60


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
        _build(enquiries=enquiries, due=due, now=now)
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


def _build(*, enquiries: int, due: int, now) -> None:
    """A small council through the ORM, then the enquiries with one INSERT … SELECT."""
    from django.contrib.auth import get_user_model

    from people.models import Directorate, Member, Officer, Service, StatutoryAppointment, StatutoryRole
    from people.services import role_groups_sync

    User = get_user_model()

    def officer(username: str, title: str, **fields) -> Officer:
        user = User.objects.create(username=username, first_name=username.title(), last_name="Bench")
        return Officer.objects.create(user=user, job_title=title, **fields)

    chief = officer("chief", "Chief Executive")
    StatutoryAppointment.objects.create(officer=chief, role=StatutoryRole.HEAD_OF_PAID_SERVICE)
    director = officer("director", "Director", line_manager=chief)
    directorate = Directorate.objects.create(name="Bench", director=director)
    owners, services = [], []
    for number in range(SERVICES):
        head = officer(f"head{number}", "Head of Service", line_manager=director)
        service = Service.objects.create(name=f"Service {number}", directorate=directorate, head_of_service=head)
        liaison = officer(f"liaison{number}", "Liaison Officer", service=service, line_manager=head)
        service.liaison_officers.add(liaison)
        owners.append(liaison.pk)
        services.append(service.pk)
    members = [
        Member.objects.create(user=User.objects.create(username=f"member{number}", last_name="Bench")).pk
        for number in range(MEMBERS)
    ]
    role_groups_sync()
    overdue_at, future_at = now - timedelta(days=10), now + timedelta(days=3)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_enquiry (
                reference, member_id, subject, details, service_id, purpose, explicit_consent_needed,
                state, owner_id, received_at, clock_started_at, due_at, remind_at, escalate_at, rung, version
            )
            SELECT 'BEN-' || g, (%(members)s::bigint[])[1 + g %% %(member_count)s], 'Benchmark enquiry ' || g,
                   'Generated by bench_sweep', (%(services)s::bigint[])[1 + g %% %(service_count)s], 'information',
                   false, 'submitted', (%(owners)s::bigint[])[1 + g %% %(service_count)s],
                   %(received)s, %(received)s,
                   CASE WHEN g <= %(due)s THEN %(overdue)s ELSE %(future)s END,
                   CASE WHEN g <= %(due)s THEN NULL ELSE %(future)s - interval '1 day' END,
                   CASE WHEN g <= %(due)s THEN %(climb)s ELSE %(future)s + interval '1 day' END,
                   0, 1
            FROM generate_series(1, %(count)s) AS g
            """,
            {
                "members": members,
                "member_count": len(members),
                "services": services,
                "owners": owners,
                "service_count": len(services),
                "received": now - timedelta(days=20),
                "due": due,
                "overdue": overdue_at,
                "climb": now - timedelta(hours=1),
                "future": future_at,
                "count": enquiries,
            },
        )
        cursor.execute("ANALYZE cases_enquiry")
