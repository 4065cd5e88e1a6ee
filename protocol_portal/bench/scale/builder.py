"""The whole decade in one transaction: the council read, the enquiries and concerns
written, then ANALYZE, the dashboards' summaries rebuilt and VACUUM (``manage.py seed_scale``)."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from cases.models import (
    Concern,
    ConcernUserObjectPermission,
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    EnquiryUserObjectPermission,
    TimelineEvent,
)
from escalation.calendar import council_calendar
from protocol_portal.bench.scale.clock import Clock
from protocol_portal.bench.scale.concerns import Concerns
from protocol_portal.bench.scale.enquiries import Enquiries
from protocol_portal.bench.scale.organisation import load_council
from protocol_portal.bench.scale.writing import ScaleReport, Timer, Writer
from reporting import summaries
from reporting.models import DailyCount


def build(
    *,
    enquiries: int,
    concerns: int,
    seed: int = 2026,
    now: datetime | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> ScaleReport:
    """Add ``enquiries`` enquiries and ``concerns`` concerns over the last ten years to the
    council in the database (PostgreSQL only), then rebuild the dashboards' summaries."""
    if connection.vendor != "postgresql":
        raise ValueError("seed_scale writes with PostgreSQL's bulk inserts: set DATABASE_URL=postgres://…")
    now = now or timezone.now()
    report = ScaleReport()
    timer = Timer(report, log)
    rng = random.Random(seed)
    with timer.step("Reading the council"):
        council = load_council()
        clock = Clock(council_calendar(), now)
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        with connection.cursor() as cursor:
            # Re-derivable data: a crash loses the lot, which is fine for a benchmark build.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            # Check the foreign keys as each statement ends, not all at the commit: the same work,
            # without queueing millions of pending checks in memory.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        writer = Writer(report, timer)
        with timer.step(f"Enquiries ({enquiries:,}), their climbs, declines, disputes and access"):
            Enquiries(council, clock, rng, writer).build(enquiries, report)
        with timer.step(f"Concerns ({concerns:,}), their events, behaviours, access and sanctions"):
            Concerns(council, clock, rng, writer).build(concerns, report)
    except BaseException:
        atomic.__exit__(*sys.exc_info())
        raise
    with timer.step("Committing"):
        atomic.__exit__(None, None, None)
    tables = [
        connection.ops.quote_name(model._meta.db_table)
        for model in (
            Enquiry,
            EnquiryEscalation,
            Decline,
            Dispute,
            EnquiryUserObjectPermission,
            Concern,
            TimelineEvent,
            ConcernUserObjectPermission,
            Concern.behaviours.through,
        )
    ]
    with timer.step("ANALYZE"), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
    with timer.step("Rebuilding the dashboards' summaries"):
        rebuilt = summaries.rebuild(now=now)
    report.rows["reporting_dailycount"] = rebuilt.rows
    if not connection.in_atomic_block:
        # What autovacuum would do next: the visibility map lets the list pages count from their
        # indexes alone. (Not inside a transaction, as in the tests: VACUUM cannot run there.)
        with timer.step("VACUUM"), connection.cursor() as cursor:
            cursor.execute(f"VACUUM {', '.join([*tables, connection.ops.quote_name(DailyCount._meta.db_table)])}")
    return report
