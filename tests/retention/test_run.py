"""The retention run (docs/retention.md): its record, the dry run, catching up after
missed nights, the periods set in the environment, the command and the beat entry."""

from dataclasses import replace
from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.core.management import call_command

from cases.models import Attachment, Concern, Enquiry, Notification, PositiveExample, TimelineEvent
from people.models import AuditEvent, Member, Officer
from protocol_portal.models import RetentionRun
from protocol_portal.retention.checks import (
    retention_keeps_concerns_through_the_pattern_window,
    retention_overrides_name_known_kinds,
)
from protocol_portal.retention.schedule import schedule
from protocol_portal.retention.services import retention_run
from tests.retention.conftest import NOW, answered_and_closed, london, notification

pytestmark = pytest.mark.django_db


def counts(run) -> dict[str, int]:
    return {entry["kind"]: entry["count"] for entry in run.results}


def snapshot() -> dict:
    """Everything retention may change, as it stands."""
    return {
        "enquiries": list(Enquiry.objects.order_by("pk").values()),
        "concerns": list(Concern.objects.order_by("pk").values()),
        "timeline": list(TimelineEvent.objects.order_by("pk").values()),
        "attachments": list(Attachment.objects.order_by("pk").values()),
        "examples": list(PositiveExample.objects.order_by("pk").values()),
        "notifications": list(Notification.objects.order_by("pk").values()),
        "audit": list(AuditEvent.objects.order_by("pk").values()),
        "members": list(Member.objects.order_by("pk").values()),
        "officers": list(Officer.objects.order_by("pk").values()),
    }


def test_it_records_what_it_did_per_kind(boundary):
    run = retention_run(dry_run=False, trigger="beat", now=NOW)
    run.refresh_from_db()
    assert (run.status, run.dry_run, run.trigger, run.started_at) == ("finished", False, "beat", NOW)
    assert run.finished_at is not None and run.error == ""
    enquiries = next(entry for entry in run.results if entry["kind"] == "enquiries")
    assert enquiries == {
        "kind": "enquiries",
        "name": enquiries["name"],
        "action": "anonymise",
        "months": 72,
        "cut_at": "2026-11-22T00:00:00+00:00",
        "count": 1,
    }
    assert counts(run)["audit_log"] == 1 and counts(run)["former_officers"] == 1
    assert run.total == sum(counts(run).values())


def test_a_dry_run_changes_nothing_and_records_what_it_would_have_done(boundary):
    before = snapshot()
    dry = retention_run(dry_run=True, trigger="command", now=NOW)
    assert snapshot() == before
    assert dry.dry_run and dry.status == "finished"
    real = retention_run(dry_run=False, trigger="command", now=NOW)
    assert counts(dry) == counts(real)
    assert counts(dry)["enquiries"] == 1 and counts(dry)["audit_log"] == 1


def test_the_dry_run_setting_makes_every_run_a_dry_run(boundary, settings):
    settings.RETENTION_DRY_RUN = True
    before = snapshot()
    run = retention_run(trigger="beat", now=NOW)
    assert run.dry_run and snapshot() == before


def test_it_catches_up_after_missed_nights_and_a_rerun_finds_nothing(org):
    """Three nights missed: the fourth disposes of everything that fell due on each of them."""
    nights = [london(2032, 11, day, 3) for day in (20, 21, 22, 23)]
    due = [notification(org, at=night.replace(year=2031) - timedelta(days=1)) for night in nights]
    first = retention_run(dry_run=False, trigger="beat", now=nights[0])
    assert counts(first)["notifications"] == 1
    assert list(Notification.objects.order_by("created_at")) == due[1:]
    # Nights 21, 22 and 23 November missed; the run of the 23rd catches up.
    late = retention_run(dry_run=False, trigger="beat", now=nights[3])
    assert counts(late)["notifications"] == 3
    assert not Notification.objects.exists()
    again = retention_run(dry_run=False, trigger="beat", now=nights[3])
    assert sum(counts(again).values()) == 0


def test_it_works_in_batches(boundary, settings):
    settings.RETENTION_BATCH_SIZE = 1
    run = retention_run(dry_run=False, trigger="beat", now=NOW)
    assert counts(run)["timeline"] > 1
    assert not TimelineEvent.objects.filter(enquiry=boundary.enquiry_past, anonymised_at__isnull=True).exists()


def test_a_period_set_in_the_environment_replaces_the_default(org, settings):
    settings.RETENTION_MONTHS = {"notifications": 1}
    entry = next(entry for entry in schedule() if entry.kind.slug == "notifications")
    assert (entry.months, entry.overridden, entry.period) == (1, True, "1 month")
    kept = notification(org, at=london(2032, 10, 22, 0, 1))
    gone = notification(org, at=london(2032, 10, 21, 23, 59))
    run = retention_run(dry_run=False, trigger="beat", now=NOW)
    assert counts(run)["notifications"] == 1
    assert list(Notification.objects.all()) == [kept] and gone.pk not in Notification.objects.values("pk")


def test_it_refuses_to_start_with_a_period_for_a_kind_it_does_not_have(settings):
    settings.RETENTION_MONTHS = {"enquries": 84}
    errors = retention_overrides_name_known_kinds(None)
    assert [error.id for error in errors] == ["retention.E001"]
    assert "enquries" in errors[0].msg


def test_it_refuses_a_concern_period_shorter_than_the_pattern_window(settings):
    """000 §VIII: patterns look back CONCERN_PATTERN_MONTHS; anonymised concerns would all count
    against one placeholder within it."""
    settings.RETENTION_MONTHS = {"concerns": 6}
    assert [error.id for error in retention_keeps_concerns_through_the_pattern_window(None)] == ["retention.E002"]


def test_it_holds_a_concern_while_its_contact_prohibition_is_in_force(org, history):
    """DESIGN §5: the dashboards count prohibitions in force, and routing honours them."""
    formal = history.concerns.formal
    # Six years after the sanction (1 July 2026), but the prohibition runs to 30 June 2027.
    prohibition = formal.sanctions.get(prohibition__isnull=False).prohibition
    prohibition.ends_on = None
    prohibition.save()
    retention_run(dry_run=False, trigger="beat", now=london(2032, 7, 3, 3))
    formal.refresh_from_db()
    assert formal.anonymised_at is None and formal.what_happened
    assert Concern.objects.filter(pk=history.concerns.resolved.pk, anonymised_at__isnull=False).exists()


def test_the_command_with_dry_run_changes_nothing_and_says_what_it_would_do(boundary, capsys):
    before = snapshot()
    call_command("retention_run", "--dry-run")
    assert snapshot() == before
    run = RetentionRun.objects.get()
    assert (run.dry_run, run.trigger) == (True, "command")
    out = capsys.readouterr().out
    assert "  enquiries: " in out and "would be anonymised" in out
    assert f"Dry run {run.pk}: nothing was changed." in out


def test_the_command_without_dry_run_disposes(org, capsys):
    notification(org, at=london(2020, 1, 1))
    call_command("retention_run")
    assert not Notification.objects.exists()
    assert "1 records anonymised or deleted" in capsys.readouterr().out


def test_beat_runs_it_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["retention-nightly"]
    assert entry["task"] == "protocol_portal.tasks.retention_nightly"
    assert entry["schedule"] == crontab(minute=30, hour=settings.RETENTION_HOUR)
    assert settings.RETENTION_HOUR == 2


def test_a_kind_that_fails_is_recorded_and_the_others_still_run(org, monkeypatch):
    def broken(*, ids, now):
        raise RuntimeError("storage unreachable")

    entries = [
        replace(entry, kind=replace(entry.kind, dispose=broken)) if entry.kind.slug == "enquiries" else entry
        for entry in schedule()
    ]
    monkeypatch.setattr("protocol_portal.retention.services.schedule", lambda: entries)
    enquiry_past = answered_and_closed(org, closed_at=london(2026, 11, 21, 23, 59), subject="Past")
    due = notification(org, at=london(2020, 1, 1))
    with pytest.raises(RuntimeError, match="storage unreachable"):
        retention_run(dry_run=False, trigger="beat", now=NOW)
    run = RetentionRun.objects.get()
    assert run.status == "failed" and "enquiries: RuntimeError('storage unreachable')" in run.error
    assert next(entry for entry in run.results if entry["kind"] == "enquiries")["count"] == 0
    assert Enquiry.objects.get(pk=enquiry_past.pk).anonymised_at is None
    assert not Notification.objects.filter(pk=due.pk).exists()
    assert counts(run)["notifications"] >= 1
