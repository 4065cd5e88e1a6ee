"""Two retention runs at once (docs/retention.md): each batch is claimed
with FOR UPDATE SKIP LOCKED, so no row is handled twice and the two records add up to
exactly what was disposed of. Real PostgreSQL, two connections, committed data."""

import threading

import pytest
from django.db import connection

from cases.models import Enquiry, Notification
from protocol_portal.models import RetentionRun
from protocol_portal.retention.services import retention_run
from tests.retention.conftest import NOW, answered_and_closed, london, notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_runs_at_once_never_handle_a_row_twice(org, settings):
    assert connection.vendor == "postgresql"
    settings.RETENTION_BATCH_SIZE = 2
    for day in range(1, 21):
        notification(org, at=london(2020, 1, day))
    enquiries = [answered_and_closed(org, closed_at=london(2026, 6, day), subject="Past") for day in (15, 16, 17)]
    due = Notification.objects.filter(created_at__lt=london(2031, 11, 22)).count()
    errors = []

    def run() -> None:
        try:
            retention_run(dry_run=False, trigger="beat", now=NOW)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    runs = list(RetentionRun.objects.all())
    done = [(entry["kind"], entry["count"]) for run in runs for entry in run.results]
    totals = {kind: sum(count for name, count in done if name == kind) for kind in ("notifications", "enquiries")}
    assert totals == {"notifications": due, "enquiries": len(enquiries)}
    assert not Notification.objects.filter(created_at__lt=london(2031, 11, 22)).exists()
    assert Enquiry.objects.filter(anonymised_at=NOW).count() == len(enquiries)
