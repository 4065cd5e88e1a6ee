"""The nightly retention task on a real Celery worker (docs/retention.md): real PostgreSQL
(the pytest-django test database, committed), real Redis, a worker process of its own
started by the deadline tests' harness (tests/cases/test_deadline_worker.py), on a queue of
its own. Beat's entry is checked in test_run.py; at 02:30 it cannot be waited for here."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cases.enquiries.services import enquiry_answer, enquiry_file
from cases.models import Enquiry, Marking, Notification, Purpose, TimelineEvent
from people.models import AuditEvent
from protocol_portal.models import RetentionRun
from tests.cases.test_deadline_worker import _clean_redis, _log, _queue, _send, _start_worker, _stop, _wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_it_runs_the_nightly_task_on_a_real_worker(org, tmp_path):
    assert connection.vendor == "postgresql", "the integration tests run on PostgreSQL"
    long_ago = timezone.now() - timedelta(days=7 * 366)
    enquiry = enquiry_file(
        member=org.councillor,
        subject="Pothole on Mill Road",
        details="Outside Mr Patel's house at number 12.",
        service=org.highways,
        purpose=Purpose.CASEWORK,
        now=long_ago,
    )
    enquiry_answer(
        enquiry=enquiry,
        actor=org.liaison.user,
        text="Filled.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
        now=long_ago + timedelta(days=1),
    )
    recent = enquiry_file(
        member=org.councillor,
        subject="Bins",
        details="Missed collection.",
        service=org.highways,
        purpose=Purpose.INFORMATION,
    )
    AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN, user=org.councillor.user, at=long_ago)
    queue = _queue("retention")
    worker = _start_worker(tmp_path, queue=queue, name="retention")
    watch = [(worker, lambda: _log(tmp_path, "retention"))]
    try:
        _send("protocol_portal.tasks.retention_nightly", queue=queue)
        _wait_for(
            lambda: RetentionRun.objects.filter(status=RetentionRun.Status.FINISHED).exists(),
            timeout=90,
            what="the retention run",
            workers=watch,
        )
    finally:
        _stop(worker)
        _clean_redis(queue)

    run = RetentionRun.objects.get()
    done = {entry["kind"]: entry["count"] for entry in run.results}
    assert (run.trigger, run.dry_run) == ("beat", False)
    assert done["enquiries"] == 1 and done["audit_log"] == 1 and done["timeline"] > 0
    enquiry.refresh_from_db()
    assert (enquiry.details, enquiry.anonymised_at is not None) == ("", True)
    assert not TimelineEvent.objects.filter(enquiry=enquiry).exclude(note="").exists()
    assert Enquiry.objects.get(pk=recent.pk).details == "Missed collection."
    assert not AuditEvent.objects.exists()
    assert not Notification.objects.filter(enquiry=enquiry).exists()
