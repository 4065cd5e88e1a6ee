"""The concern sweep under real conditions (DESIGN §4: a stage's target runs on "the same
reminder and escalation machinery as enquiries"): beat and a real Celery worker, on real
PostgreSQL (the pytest-django test database, committed) and real Redis, move an overdue
stage-1 concern to line management (001 §6.1, §6.2).

The worker listens on a queue of this test's own, so no other portal's worker takes its
tasks; the test stops it by its process group and removes the queue from Redis afterwards.
"""

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection
from django.utils import timezone

from cases.models import ConcernState, Notification, TimelineEvent

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    database = connection.settings_dict
    credentials = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
    return f"postgres://{credentials}@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{database['NAME']}"


def _start_worker_with_beat(tmp_path: Path, *, queue: str) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "protocol_portal", "worker", f"--hostname=concerns-{os.getpid()}@%h",
        "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--beat", f"--schedule={tmp_path / 'beat-schedule'}",
    ]  # fmt: skip
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_QUEUE": queue,
        "PORTAL_VAR_DIR": str(tmp_path),
        # 10 s is the settings minimum; beat sends the first sweep one interval after it starts.
        "DEADLINE_SWEEP_SECONDS": "10",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    with (tmp_path / "worker.log").open("w") as output:
        # A session of its own, so the whole group (pool children and beat) can be stopped.
        return subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(worker: subprocess.Popen) -> None:
    """Stop the worker this test started, by its process group: warm shutdown, then SIGKILL."""
    if worker.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=15)
    with suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()


def _clean_redis(queue: str) -> None:
    client = redis.Redis.from_url(BROKER_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.delete(*(f"{queue}\x06\x16{priority}" for priority in range(1, 10)))


def _wait_for(condition, *, timeout: float, what: str, worker: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert worker.poll() is None, f"the worker died:\n{log.read_text(errors='replace')}"
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}:\n{log.read_text()}"
        time.sleep(0.25)


def test_it_moves_an_overdue_stage_1_concern_to_line_management_with_a_real_worker_and_beat(
    org, raise_concern, tmp_path
):
    assert connection.vendor == "postgresql", "the integration tests run on PostgreSQL"
    # Raised four weeks ago, feeling able to talk directly: its stage-1 target of ten working
    # days has passed without an outcome.
    concern = raise_concern(now=timezone.now() - timedelta(weeks=4))
    assert concern.state == ConcernState.DIRECT
    assert concern.escalate_at < timezone.now()
    queue = f"portal-test-concerns-{os.getpid()}-{time.monotonic_ns()}"
    log = tmp_path / "worker.log"
    worker = _start_worker_with_beat(tmp_path, queue=queue)
    try:
        _wait_for(
            lambda: concern.__class__.objects.filter(pk=concern.pk, state=ConcernState.LINE_MANAGEMENT).exists(),
            timeout=90,
            what="beat's deadline sweep to move the concern to line management",
            worker=worker,
            log=log,
        )
        # Beat's next tick finds nothing more to do, and the worker e-mails the notifications.
        succeeded = re.compile(r"Task cases\.tasks\.deadline_sweep\[[^]]+\] succeeded")
        _wait_for(
            lambda: (
                len(succeeded.findall(log.read_text(errors="replace"))) >= 2
                and not Notification.objects.filter(concern=concern, emailed_at__isnull=True).exists()
            ),
            timeout=60,
            what="a second sweep and the outbox",
            worker=worker,
            log=log,
        )
    finally:
        _stop(worker)
        _clean_redis(queue)

    concern.refresh_from_db()
    assert (concern.state, concern.owner, concern.rung) == (ConcernState.LINE_MANAGEMENT, org.head, 1)
    assert concern.due_at > timezone.now()
    (moved,) = concern.timeline.filter(kind=TimelineEvent.Kind.STAGE_CHANGED)
    assert (moved.from_state, moved.to_state, moved.to_owner, moved.actor) == (
        ConcernState.DIRECT,
        ConcernState.LINE_MANAGEMENT,
        org.head,
        None,
    )
    assert Notification.objects.filter(concern=concern, recipient=org.head.user, template="concern_assigned").exists()
    assert Notification.objects.filter(
        concern=concern, recipient=org.liaison.user, template="concern_stage_changed"
    ).exists()
