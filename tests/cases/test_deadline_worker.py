"""The deadline sweep under real conditions (001 §7.1; escalation.sweep): beat and a worker
escalating an overdue enquiry, a worker killed with SIGKILL mid-sweep, two sweeps at once,
and the broker down while a sweep runs.

Real PostgreSQL (the pytest-django test database), real Redis and real worker processes.
Each test uses queues of its own, so no other portal's worker takes its tasks, and removes
them from Redis afterwards.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import redis
from celery import Celery
from django.core import mail
from django.db import connection
from django.db.models import Count, F, Max
from django.utils import timezone
from kombu.exceptions import OperationalError

from cases.enquiries.deadlines import enquiry_deadline_sweep, escalations_notify
from cases.enquiries.services import enquiry_file
from cases.models import Enquiry, EnquiryEscalation, Notification, Purpose, TimelineEvent
from cases.tasks import notifications_send_pending
from protocol_portal.celery import app as portal_app

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# Nothing listens here: the broker is down.
DEAD_BROKER_URL = "redis://127.0.0.1:6390/0"
LONDON = ZoneInfo("Europe/London")
ESCALATED = TimelineEvent.Kind.ESCALATED
REMINDED = TimelineEvent.Kind.REMINDED
SWEEP_TEMPLATES = ["enquiry_reminder", "enquiry_escalated_member", "enquiry_escalated_owner"]

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


# --- Helpers ------------------------------------------------------------------------


def _database_url() -> str:
    database = connection.settings_dict
    credentials = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
    return f"postgres://{credentials}@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{database['NAME']}"


def london(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


def _queue(label: str) -> str:
    return f"portal-test-deadline-{label}-{os.getpid()}-{time.monotonic_ns()}"


def _environment(tmp_path: Path, *, queue: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        # A queue of this test's own, so no other portal's worker takes its tasks.
        "CELERY_QUEUE": queue,
        "PORTAL_VAR_DIR": str(tmp_path),
        **extra,
    }


def _start_worker(tmp_path: Path, *, queue: str, name: str, beat: bool = False, concurrency: int = 1, **extra: str):
    log = tmp_path / f"{name}.log"
    command = [
        sys.executable, "-m", "celery", "-A", "protocol_portal", "worker", f"--hostname={name}-{os.getpid()}@%h",
        f"--concurrency={concurrency}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
        "--without-heartbeat",
    ]  # fmt: skip
    if beat:
        command += ["--beat", f"--schedule={tmp_path / 'beat-schedule'}"]
    environment = _environment(tmp_path, queue=queue, **extra)
    # Its database connections carry its name, so the test can tell them from any other.
    environment["DATABASE_URL"] += f"?application_name={_application_name(name)}"
    with log.open("w") as output:
        # A session of its own, so SIGKILL to the group takes the pool children (and beat) too.
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _log(tmp_path: Path, name: str) -> str:
    return (tmp_path / f"{name}.log").read_text(errors="replace")


def _stop(worker: subprocess.Popen, *, grace: float = 15) -> None:
    """Stop a worker this test started: warm shutdown, then SIGKILL to its process group."""
    if worker.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=grace)
    # Whatever is left of the group (pool children, beat) goes too.
    with suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()


def _unacked(queue: str) -> dict[bytes, str]:
    """This queue's tasks in Redis's shared table of delivered but unacknowledged messages
    (given back to the queue after the visibility timeout), by delivery tag."""
    tasks = {}
    for tag, raw in redis.Redis.from_url(BROKER_URL).hscan_iter("unacked"):
        payload, exchange, routing_key = json.loads(raw)
        if queue in (exchange, routing_key):
            tasks[tag] = payload["headers"]["task"]
    return tasks


def _clean_redis(queue: str) -> None:
    client = redis.Redis.from_url(BROKER_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.delete(*(f"{queue}\x06\x16{priority}" for priority in range(1, 10)))
    # A worker killed with SIGKILL leaves its task there: take out only this queue's.
    for tag in _unacked(queue):
        client.hdel("unacked", tag)
        client.zrem("unacked_index", tag)


def _send(task: str, *, queue: str) -> None:
    # An app of its own, pointed at Redis: the portal app runs tasks eagerly in tests.
    with Celery("deadline-worker-tests", broker=BROKER_URL, set_as_current=False) as client:
        client.send_task(task, queue=queue)


def _wait_for(condition: Callable[[], bool], *, timeout: float, what: str, workers=(), poll: float = 0.25) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        for worker, log in workers:
            assert worker.poll() is None, f"the worker died:\n{log()}"
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(poll)


def _application_name(worker_name: str) -> str:
    return f"portal-test-{os.getpid()}-{worker_name}"


def _worker_backends(worker_name: str) -> int:
    """The worker's open database connections (other tests' servers may hold their own)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [_application_name(worker_name)],
        )
        return cursor.fetchone()[0]


def _file(org, *, now: datetime) -> Enquiry:
    return enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Pothole on Mill Road",
        details="A deep pothole outside number 12.",
        purpose=Purpose.INFORMATION,
        now=now,
    )


def _copies(enquiry: Enquiry, count: int) -> None:
    """``count`` more enquiries exactly as overdue as ``enquiry``, with one INSERT per thousand."""
    names = [field.attname for field in Enquiry._meta.concrete_fields if field.name not in ("id", "reference")]
    fields = Enquiry.objects.filter(pk=enquiry.pk).values(*names).get()
    Enquiry.objects.bulk_create(
        (Enquiry(reference=f"ENQ-LOAD-{number:05d}", **fields) for number in range(count)), batch_size=1000
    )


def _assert_every_climb_recorded_once() -> int:
    """Each climb has its rung record and timeline event, once, and each climb told (by the
    escalations outbox) has both its notifications, once; returns the climbs."""
    climbs = EnquiryEscalation.objects.count()
    duplicates = EnquiryEscalation.objects.values("enquiry", "rung").annotate(n=Count("pk")).filter(n__gt=1)
    assert not duplicates.exists()
    assert TimelineEvent.objects.filter(kind=ESCALATED).count() == climbs
    told = EnquiryEscalation.objects.filter(notified_at__isnull=False).count()
    assert Notification.objects.filter(template="enquiry_escalated_member").count() == told
    assert Notification.objects.filter(template="enquiry_escalated_owner").count() == told
    # An enquiry's rung is the number of its climbs, and they are rungs 1, 2, … with no gap.
    enquiries = Enquiry.objects.annotate(climbs=Count("escalations"), top=Max("escalations__rung"))
    assert not enquiries.exclude(rung=F("climbs")).exists()
    assert not enquiries.filter(climbs__gt=0).exclude(top=F("climbs")).exists()
    return climbs


def _told() -> int:
    return EnquiryEscalation.objects.filter(notified_at__isnull=False).count()


def _assert_every_reminder_recorded_once() -> int:
    """Each reminder has its timeline event and notification, once; returns the reminders."""
    reminders = TimelineEvent.objects.filter(kind=REMINDED).count()
    assert Notification.objects.filter(template="enquiry_reminder").count() == reminders
    duplicates = TimelineEvent.objects.filter(kind=REMINDED).values("enquiry").annotate(n=Count("pk")).filter(n__gt=1)
    assert not duplicates.exists()
    return reminders


@contextmanager
def _current_celery(*, broker_url: str, queue: str) -> Iterator[Celery]:
    """The in-process sweep queues its outbox tasks through this app, not eagerly.

    The tasks are shared tasks, so they are looked up on the current app; the portal's
    own app (eager in tests) is made current again afterwards.
    """
    celery = Celery("deadline-worker-tests", set_as_current=False)
    celery.config_from_object("django.conf:settings", namespace="CELERY")
    celery.conf.update(
        # Celery prefers the CELERY_BROKER_URL environment variable to broker_url; these two win.
        broker_read_url=broker_url,
        broker_write_url=broker_url,
        task_default_queue=queue,
        task_always_eager=False,
        # Fail at once when the broker is down, rather than retrying for seconds.
        broker_connection_timeout=1,
        broker_connection_retry=False,
        broker_connection_max_retries=0,
        broker_transport_options={**portal_app.conf.broker_transport_options, "max_retries": 0},
        task_publish_retry=False,
    )
    celery.set_current()
    try:
        yield celery
    finally:
        portal_app.set_current()
        celery.close()
        _clean_redis(queue)


# --- 1. Beat and a worker ------------------------------------------------------------


def test_it_escalates_an_overdue_enquiry_with_a_real_worker_and_beat(org, tmp_path):
    assert connection.vendor == "postgresql", "the integration tests run on PostgreSQL"
    enquiry = _file(org, now=timezone.now() - timedelta(weeks=3))
    expected = enquiry_deadline_sweep(dry_run=True)
    assert expected.climbs >= 1
    queue = _queue("beat")
    # 10 s is the settings minimum; beat sends the first sweep one interval after it starts.
    worker = _start_worker(tmp_path, queue=queue, name="beat", beat=True, DEADLINE_SWEEP_SECONDS="10")
    watch = [(worker, lambda: _log(tmp_path, "beat"))]
    try:
        _wait_for(
            lambda: EnquiryEscalation.objects.filter(enquiry=enquiry).count() == expected.climbs,
            timeout=90,
            what="the sweep to climb the enquiry",
            workers=watch,
        )
        enquiry.refresh_from_db()
        assert enquiry.owner != org.liaison
        # Beat's next tick finds nothing more to do; the worker tells the member and the new
        # owners (the escalations outbox) and e-mails them (the notifications outbox).
        succeeded = re.compile(r"Task cases\.tasks\.deadline_sweep\[[^]]+\] succeeded")
        _wait_for(
            lambda: (
                len(succeeded.findall(_log(tmp_path, "beat"))) >= 2
                and _told() == expected.climbs
                and not Notification.objects.filter(emailed_at__isnull=True).exists()
            ),
            timeout=60,
            what="a second sweep and the outboxes",
            workers=watch,
        )
    finally:
        _stop(worker)
        _clean_redis(queue)

    enquiry.refresh_from_db()
    escalations = list(enquiry.escalations.order_by("rung"))
    assert [escalation.rung for escalation in escalations] == list(range(1, expected.climbs + 1))
    assert enquiry.rung == expected.climbs
    chain = [org.liaison, org.head, org.director, org.chief][: expected.climbs + 1]
    assert [escalation.from_owner for escalation in escalations] == chain[:-1]
    assert [escalation.to_owner for escalation in escalations] == chain[1:]
    assert enquiry.owner == chain[-1]
    events = list(enquiry.timeline.filter(kind=ESCALATED).order_by("pk"))
    assert [(event.from_owner, event.to_owner) for event in events] == list(pairwise(chain))
    told = Notification.objects.filter(enquiry=enquiry, template="enquiry_escalated_member").order_by("pk")
    assert [(notification.recipient, notification.subject) for notification in told] == [
        (org.councillor.user, f"{enquiry.reference}: {officer.name} is now accountable for your enquiry")
        for officer in chain[1:]
    ]
    assert enquiry.timeline.filter(kind=REMINDED).count() == expected.reminders
    _assert_every_climb_recorded_once()


# --- 2. SIGKILL mid-sweep -------------------------------------------------------------


ENQUIRIES = 3000
# Small batches: the sweep must still be running when the test kills it.
BATCH_SIZE = 25


def test_it_records_every_climb_once_when_a_worker_is_killed_mid_sweep(org, tmp_path):
    template = _file(org, now=timezone.now() - timedelta(weeks=10))
    # Ten weeks overdue: every climb to the Chief Executive has fallen due.
    per_enquiry = enquiry_deadline_sweep(dry_run=True)
    assert per_enquiry.climbs == 3
    _copies(template, ENQUIRIES - 1)
    due = ENQUIRIES * per_enquiry.climbs
    queue = _queue("kill")
    # The dummy backend: tens of thousands of e-mails in the worker's log prove nothing here.
    worker_settings = {
        "DEADLINE_SWEEP_BATCH_SIZE": str(BATCH_SIZE),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    first = _start_worker(tmp_path, queue=queue, name="first", **worker_settings)
    second = None
    try:
        _send("cases.tasks.deadline_sweep", queue=queue)
        _wait_for(
            lambda: EnquiryEscalation.objects.count() >= 2 * BATCH_SIZE,
            timeout=60,
            what="the first worker's sweep to climb two batches",
            workers=[(first, lambda: _log(tmp_path, "first"))],
            poll=0.02,
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        # The killed worker's connections are gone, and with them its uncommitted batch and row locks.
        _wait_for(lambda: _worker_backends("first") == 0, timeout=30, what="the killed worker's connections to close")

        killed_at = _assert_every_climb_recorded_once()
        assert 0 < killed_at < due, "the sweep finished before it could be killed: make more enquiries due"
        # Every batch was committed whole, or not at all.
        assert killed_at % BATCH_SIZE == 0
        assert _assert_every_reminder_recorded_once() == ENQUIRIES * per_enquiry.reminders

        # acks_late: the killed task was never acknowledged, so Redis gives it back, but only
        # after the visibility timeout (an hour); the next sweep (beat's next tick in
        # production) is sent by hand to a fresh worker.
        assert "cases.tasks.deadline_sweep" in _unacked(queue).values()
        second = _start_worker(tmp_path, queue=queue, name="second", concurrency=4, **worker_settings)
        _send("cases.tasks.deadline_sweep", queue=queue)
        _wait_for(
            lambda: (
                EnquiryEscalation.objects.count() >= due
                and not Enquiry.objects.filter(escalate_at__lte=timezone.now()).exists()
                and _told() == due
            ),
            timeout=90,
            what="the second worker's sweep and escalations outbox to finish",
            workers=[(second, lambda: _log(tmp_path, "second"))],
            poll=0.5,
        )
    finally:
        _stop(first)
        if second is not None:
            # It may be e-mailing the outbox still, which this test does not wait for.
            _stop(second, grace=3)
        _clean_redis(queue)

    assert _assert_every_climb_recorded_once() == due
    assert _told() == due
    assert _assert_every_reminder_recorded_once() == ENQUIRIES * per_enquiry.reminders
    assert not Enquiry.objects.filter(remind_at__isnull=False).exists()
    assert set(Enquiry.objects.values_list("owner", flat=True)) == {org.chief.pk}


# --- 3. Two sweeps at once -------------------------------------------------------------

MADE = re.compile(r"Sent (\d+) reminders and made (\d+) escalations")


def test_it_climbs_each_rung_once_when_two_sweeps_run_at_once(org, tmp_path):
    template = _file(org, now=timezone.now() - timedelta(weeks=10))
    _copies(template, 999)
    now = timezone.now()
    due = enquiry_deadline_sweep(now=now, dry_run=True)
    assert due.climbs == 3000
    queue = _queue("pair")
    env = _environment(tmp_path, queue=queue, DEADLINE_SWEEP_BATCH_SIZE="25")
    # Two cron-style sweeps in two processes, as of the same moment, in small batches so they
    # interleave; then two runs of the escalations outbox at once.
    sweep = [sys.executable, "manage.py", "run_deadline_sweep", f"--now={now.isoformat()}"]
    notify = [
        sys.executable, "manage.py", "shell", "-c",
        "from cases.enquiries.deadlines import escalations_notify; print('Told', escalations_notify())",
    ]  # fmt: skip
    try:
        swept = _run_together(sweep, env=env)
        notified = _run_together(notify, env=env)
        # Each batch queued its outbox task in Redis.
        queued = redis.Redis.from_url(BROKER_URL).llen(queue)
    finally:
        _clean_redis(queue)

    made = [tuple(map(int, MADE.search(output).groups())) for output in swept]
    assert sum(reminders for reminders, _ in made) == due.reminders
    assert sum(climbs for _, climbs in made) == due.climbs
    assert all(climbs for _, climbs in made), f"the sweeps did not overlap: {made}"
    assert sum(int(re.search(r"Told (\d+)", output).group(1)) for output in notified) == due.climbs
    assert queued > 0
    assert _assert_every_climb_recorded_once() == due.climbs
    assert _told() == due.climbs
    assert _assert_every_reminder_recorded_once() == due.reminders
    assert not enquiry_deadline_sweep(now=now, dry_run=True).climbs


def _run_together(command: list[str], *, env: dict[str, str]) -> list[str]:
    """Run ``command`` in two processes at once; their outputs."""
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]
    try:
        outputs = [process.communicate(timeout=90)[0] for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert [process.returncode for process in processes] == [0, 0], outputs
    return outputs


# --- 4. The broker down --------------------------------------------------------------


def test_it_records_every_climb_while_the_broker_is_down_and_tells_everyone_once_it_is_back(org, settings):
    for _ in range(5):
        _file(org, now=timezone.now() - timedelta(weeks=10))
    mail.outbox.clear()
    settings.DEADLINE_SWEEP_BATCH_SIZE = 2
    now = timezone.now()
    due = enquiry_deadline_sweep(now=now, dry_run=True)
    assert due.climbs == 15

    failure = None
    with _current_celery(broker_url=DEAD_BROKER_URL, queue=_queue("down")):
        with pytest.raises(OperationalError):
            notifications_send_pending.delay()  # the premise: nothing can be queued
        try:
            report = enquiry_deadline_sweep(now=now)
        except OperationalError as error:
            failure = error

    # Nothing is half-recorded: each batch committed whole with its events, and the
    # climbs wait in the escalations outbox, the reminders in the notifications outbox.
    climbs = _assert_every_climb_recorded_once()
    reminders = _assert_every_reminder_recorded_once()
    assert _told() == 0
    assert not Notification.objects.filter(template__in=SWEEP_TEMPLATES, emailed_at__isnull=False).exists()
    # Queueing the outbox task is a nudge, not part of the sweep: beat runs both outboxes
    # too, so the broker being down must not stop the sweep after its first batch.
    assert failure is None, (
        f"the sweep raised {failure!r} from its after-commit step, after recording {reminders} of "
        f"{due.reminders} reminders and {climbs} of {due.climbs} climbs"
    )
    assert (report.reminders, report.climbs) == (due.reminders, due.climbs)
    assert (reminders, climbs) == (due.reminders, due.climbs)

    # The broker is back: beat's outbox tasks tell everyone, each once, and a rerun finds nothing.
    with _current_celery(broker_url=BROKER_URL, queue=_queue("back")):
        assert escalations_notify() == due.climbs
        unsent = Notification.objects.filter(emailed_at__isnull=True).count()
        assert unsent == due.reminders + 2 * due.climbs
        assert notifications_send_pending() == unsent
        again = enquiry_deadline_sweep(now=now)
    assert len(mail.outbox) == unsent
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert _assert_every_climb_recorded_once() == _told() == due.climbs
    assert (again.reminders, again.climbs, again.batches) == (0, 0, 0)


def test_it_makes_every_climb_that_fell_due_in_order_when_the_sweep_runs_late(org):
    # Filed Monday 1 February 2027, due by the end of Monday 8 February; climbs fall due at
    # 08:00 on Tuesday 9, 16 and 23 February (001 §7.1: every five working days).
    enquiry = _file(org, now=london(2027, 2, 1, 10))
    assert enquiry.escalate_at == london(2027, 2, 9, 8)
    queue = _queue("late")
    # Beat's ticks were lost while the broker was down; the next sweep comes a day after the third climb.
    with _current_celery(broker_url=BROKER_URL, queue=queue):
        report = enquiry_deadline_sweep(now=london(2027, 2, 24))
        rerun = enquiry_deadline_sweep(now=london(2027, 2, 24))

    assert report.climbs == 3
    assert (rerun.reminders, rerun.climbs, rerun.batches) == (0, 0, 0)
    enquiry.refresh_from_db()
    chain = [org.liaison, org.head, org.director, org.chief]
    assert [(e.rung, e.from_owner, e.to_owner) for e in enquiry.escalations.order_by("rung")] == [
        (1, chain[0], chain[1]),
        (2, chain[1], chain[2]),
        (3, chain[2], chain[3]),
    ]
    events = enquiry.timeline.filter(kind=ESCALATED).order_by("pk")
    assert [(event.from_owner, event.to_owner) for event in events] == list(pairwise(chain))
    assert (enquiry.owner, enquiry.rung) == (org.chief, 3)
    # The ladder keeps its own cadence, however late the sweep: the next climb is due a
    # week after the last one fell due, not a week after the sweep.
    assert enquiry.escalate_at == london(2027, 3, 2, 8)
    _assert_every_climb_recorded_once()


def test_it_sends_no_reminder_for_a_deadline_that_passed_while_the_sweep_was_down(org):
    # DESIGN §3: "A reminder goes to the owner one working day before the deadline";
    # escalation.deadlines.reminder_time: once the deadline has passed, "the climb, not a
    # reminder, is next".
    missed = _file(org, now=london(2027, 2, 1, 10))  # reminder Fri 5 Feb 08:00, due by the end of Mon 8 Feb
    pending = _file(org, now=london(2027, 2, 17, 10))  # reminder Tue 23 Feb 08:00, due by the end of Wed 24 Feb
    with _current_celery(broker_url=BROKER_URL, queue=_queue("stale")):
        report = enquiry_deadline_sweep(now=london(2027, 2, 24))

    missed.refresh_from_db()
    pending.refresh_from_db()
    assert (missed.remind_at, pending.remind_at) == (None, None)
    # Late, but before its deadline: still worth sending.
    assert pending.timeline.filter(kind=REMINDED).count() == 1
    # Sent on 24 February, "due by the end of Monday 8 February … or it will be escalated",
    # to the officer the same sweep then escalates it away from: it must not be sent.
    assert list(missed.timeline.filter(kind=REMINDED).values_list("note", flat=True)) == []
    assert not Notification.objects.filter(enquiry=missed, template="enquiry_reminder").exists()
    assert report.reminders == 1


def test_it_files_an_enquiry_while_the_broker_is_down(org):
    # The e-mails wait in the outbox for beat's outbox task; the member must not be shown an
    # error for an enquiry that was filed (and so file it again).
    with _current_celery(broker_url=DEAD_BROKER_URL, queue=_queue("filing")):
        try:
            enquiry = _file(org, now=timezone.now())
        except OperationalError as error:
            enquiry = None
            failure = error
        else:
            failure = None
    assert Enquiry.objects.count() == 1
    assert failure is None, f"enquiry_file committed the enquiry, then raised {failure!r} queueing its e-mail"
    assert Notification.objects.filter(enquiry=enquiry, emailed_at__isnull=True).count() == 2
