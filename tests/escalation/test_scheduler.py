"""The scheduler heartbeat: beat, the broker and a worker all running."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from escalation.models import SchedulerHeartbeat
from escalation.selectors import scheduler_status
from escalation.services import scheduler_heartbeat_record
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
class TestSchedulerStatus:
    def test_it_is_not_running_before_the_first_heartbeat(self):
        assert scheduler_status() == scheduler_status().__class__(last_beat_at=None, is_running=False)

    def test_it_is_running_after_a_recent_heartbeat(self, settings):
        settings.SCHEDULER_HEARTBEAT_SECONDS = 60
        now = timezone.now()
        scheduler_heartbeat_record(at=now - timedelta(seconds=170))
        assert scheduler_status(now=now).is_running is True

    def test_it_is_stale_after_three_missed_heartbeats(self, settings):
        settings.SCHEDULER_HEARTBEAT_SECONDS = 60
        now = timezone.now()
        scheduler_heartbeat_record(at=now - timedelta(seconds=181))
        assert scheduler_status(now=now).is_running is False

    def test_it_warns_the_administrator_on_the_home_page(self, client):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        html = client.get(reverse("home")).content.decode()
        assert "The deadline scheduler has never run" in html

    def test_it_says_nothing_of_the_scheduler_to_a_councillor(self, client):
        client.force_login(UserFactory())
        assert "deadline scheduler" not in client.get(reverse("home")).content.decode()


def _database_url() -> str:
    database = connection.settings_dict
    credentials = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
    return f"postgres://{credentials}@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_and_beat_record_heartbeats_through_redis(tmp_path):
    assert connection.vendor == "postgresql", "the integration test runs on PostgreSQL"
    broker_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    queue = f"portal-test-{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        # A queue of this run's own, so no other portal's worker takes the task.
        "CELERY_QUEUE": queue,
        "SCHEDULER_HEARTBEAT_SECONDS": "1",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "protocol_portal", "worker", "--beat",
            "--concurrency=1", "--loglevel=INFO", f"--schedule={tmp_path / 'beat-schedule'}",
        ],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not SchedulerHeartbeat.objects.filter(name="beat").exists():
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.5)
        first = SchedulerHeartbeat.objects.get(name="beat").last_beat_at
        # It keeps beating: a later heartbeat replaces the first, in the same row.
        while time.monotonic() < deadline and SchedulerHeartbeat.objects.get(name="beat").last_beat_at == first:
            time.sleep(0.5)
        assert SchedulerHeartbeat.objects.get(name="beat").last_beat_at > first
        assert SchedulerHeartbeat.objects.count() == 1
        assert scheduler_status().is_running
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        # Heartbeats queued after the worker stopped would otherwise linger in Redis.
        redis.Redis.from_url(broker_url).delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
