"""The dashboards' summaries kept up by beat and a real Celery worker (reporting.tasks.summaries_refresh).

Real PostgreSQL (the pytest-django test database), real Redis and a real worker process
with beat, on a queue of the test's own; the worker is stopped by its process id. The
helpers are the deadline worker tests' (tests/cases/test_deadline_worker.py).
"""

import re

import pytest
from django.db import connection
from django.utils import timezone

from cases.enquiries.services import enquiry_file
from cases.models import Purpose
from escalation.calendar import local_date
from reporting import summaries
from reporting.models import DailyCount, SummaryState
from tests.cases.test_deadline_worker import _clean_redis, _log, _queue, _start_worker, _stop, _wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_it_brings_a_new_enquiry_into_the_summaries_with_a_real_worker_and_beat(org, tmp_path):
    assert connection.vendor == "postgresql", "the integration tests run on PostgreSQL"
    summaries.rebuild()
    rebuilt = SummaryState.objects.get()
    enquiry = enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Streetlight out",
        details="The light outside the school is out.",
        purpose=Purpose.INFORMATION,
    )
    today = local_date(enquiry.received_at)
    assert not DailyCount.objects.filter(metric="enq.received", day=today).exists()

    queue = _queue("summaries")
    # 10 s is the settings minimum; beat sends the first refresh one interval after it starts.
    worker = _start_worker(tmp_path, queue=queue, name="summaries", beat=True, REPORTING_REFRESH_SECONDS="10")
    try:
        _wait_for(
            lambda: DailyCount.objects.filter(metric="enq.received", day=today, service=org.highways).exists(),
            timeout=90,
            what="beat's refresh to count the new enquiry",
            workers=[(worker, lambda: _log(tmp_path, "summaries"))],
        )
        succeeded = re.compile(r"Task reporting\.tasks\.summaries_refresh\[[^]]+\] succeeded")
        assert succeeded.search(_log(tmp_path, "summaries"))
    finally:
        _stop(worker)
        _clean_redis(queue)

    state = SummaryState.objects.get()
    # A refresh, not a second rebuild, and it read the enquiry's timeline.
    assert state.rebuilt_at == rebuilt.rebuilt_at
    assert state.refreshed_at > rebuilt.refreshed_at
    assert state.last_event_id >= enquiry.timeline.order_by("-pk").values_list("pk", flat=True)[0]
    assert DailyCount.objects.get(metric="enq.received", day=today, service=org.highways).value == 1
    assert summaries.summarised() == summaries.recounted_for_check(now=timezone.now())
