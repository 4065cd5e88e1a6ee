"""The retention run: every kind of the schedule, what has passed its date, anonymised or
deleted a batch at a time (docs/retention.md).

It works from the data, like the deadline sweep: each night it disposes of everything
whose date has passed, so a night missed (the worker was down) is made good by the next.
Each batch is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and disposed of in one
transaction together with the run record's count, so two runs at once never handle the
same row twice and the record never says less than was done. A dry run counts what is due
and changes nothing but its own record.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from escalation.calendar import local_date
from protocol_portal.models import RetentionRun
from protocol_portal.retention.schedule import Entry, schedule

logger = logging.getLogger(__name__)


def _dispose_kind(*, run: RetentionRun, index: int, entry: Entry, cut_at: datetime, today: date, now: datetime) -> int:
    kind = entry.kind
    done = 0
    while True:
        with transaction.atomic():
            ids = list(
                kind.due(cut_at=cut_at, today=today)
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)[: settings.RETENTION_BATCH_SIZE]
            )
            if not ids:
                return done
            kind.dispose(ids=ids, now=now)
            done += len(ids)
            run.results[index]["count"] = done
            run.save(update_fields=["results"])


def retention_run(*, dry_run: bool | None = None, trigger: str, now: datetime | None = None) -> RetentionRun:
    """Apply the retention schedule as of ``now``; a dry run (``RETENTION_DRY_RUN`` when not
    given) only counts. Returns the run record."""
    now = now or timezone.now()
    dry_run = settings.RETENTION_DRY_RUN if dry_run is None else dry_run
    today = local_date(now)
    entries = schedule()
    run = RetentionRun.objects.create(
        started_at=now,
        dry_run=dry_run,
        trigger=trigger,
        results=[
            {
                "kind": entry.kind.slug,
                "name": entry.kind.name,
                "action": entry.kind.action,
                "months": entry.months,
                "cut_at": entry.cut_at(today).isoformat(),
                "count": 0,
            }
            for entry in entries
        ],
    )
    # A kind that fails leaves the others to run: one broken kind must not keep the rest.
    failures: list[Exception] = []
    for index, entry in enumerate(entries):
        cut_at = entry.cut_at(today)
        try:
            if dry_run:
                run.results[index]["count"] = entry.kind.due(cut_at=cut_at, today=today).count()
                run.save(update_fields=["results"])
            else:
                _dispose_kind(run=run, index=index, entry=entry, cut_at=cut_at, today=today, now=now)
        except Exception as error:
            logger.exception("Retention of %s failed", entry.kind.slug)
            failures.append(error)
            run.results[index]["error"] = repr(error)
            run.error += f"{entry.kind.slug}: {error!r}\n"
            run.save(update_fields=["results", "error"])
    if failures:
        run.status, run.finished_at = RetentionRun.Status.FAILED, timezone.now()
        run.save(update_fields=["status", "finished_at"])
        raise failures[0]
    run.status, run.finished_at = RetentionRun.Status.FINISHED, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    logger.info(
        "Retention %s: %s",
        "dry run" if dry_run else "run",
        ", ".join(f"{entry['kind']} {entry['count']}" for entry in run.results),
    )
    return run
