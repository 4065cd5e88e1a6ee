"""The audit log and the case timeline stay append-only (docs/security.md): retention is
let through the PostgreSQL triggers for one operation each — deleting an audit event,
anonymising a timeline event — and only inside its own block (people.retention). Nothing
else gets through, before, beside or after it.

Transactional tests: the triggers' setting is local to a transaction, so each step runs in
a real one of its own."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cases.models import TimelineEvent
from people.models import AuditEvent, AuditLogIsAppendOnly
from people.retention import retention_writes_allowed
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def sql(statement: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def event(db):
    return AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN, user=UserFactory(), username="someone")


@pytest.fixture
def timeline_event(org):
    from cases.enquiries.services import enquiry_file
    from cases.models import Purpose

    enquiry = enquiry_file(
        member=org.councillor, subject="Drain", details="Flooding.", service=org.highways, purpose=Purpose.INFORMATION
    )
    return enquiry.timeline.first()


def test_the_audit_log_refuses_an_ordinary_update_or_delete(event):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(detail="changed")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(DatabaseError, match="append-only"):
        sql("UPDATE people_auditevent SET detail = 'changed' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        sql("DELETE FROM people_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_retention_may_delete_an_audit_event_but_never_change_one(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), retention_writes_allowed():
        sql("UPDATE people_auditevent SET detail = 'changed' WHERE id = %s", [event.pk])
    with transaction.atomic(), retention_writes_allowed():
        sql("DELETE FROM people_auditevent WHERE id = %s", [event.pk])
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_timeline_refuses_an_ordinary_update_or_delete(timeline_event):
    with pytest.raises(ValueError, match="append-only"):
        timeline_event.save()
    with pytest.raises(ValueError, match="append-only"):
        timeline_event.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TimelineEvent.objects.filter(pk=timeline_event.pk).update(note="changed")
    with pytest.raises(DatabaseError, match="append-only"):
        sql("DELETE FROM cases_timelineevent WHERE id = %s", [timeline_event.pk])


def test_retention_may_anonymise_a_timeline_event_but_never_delete_one(timeline_event):
    with transaction.atomic(), retention_writes_allowed():
        TimelineEvent.objects.filter(pk=timeline_event.pk).update(note="", anonymised_at=timezone.now())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), retention_writes_allowed():
        sql("DELETE FROM cases_timelineevent WHERE id = %s", [timeline_event.pk])
    assert TimelineEvent.objects.get(pk=timeline_event.pk).note == ""


def test_the_permission_ends_with_retentions_block_even_inside_the_same_transaction(event, timeline_event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with retention_writes_allowed():
            pass
        sql("DELETE FROM people_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with retention_writes_allowed():
            pass
        TimelineEvent.objects.filter(pk=timeline_event.pk).update(note="changed")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_permission_never_outlives_its_transaction(event):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('portal.retention', 'on', true)")
    with pytest.raises(DatabaseError, match="append-only"):
        sql("DELETE FROM people_auditevent WHERE id = %s", [event.pk])
    # Set outside a transaction block, it lasts for its own statement only.
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('portal.retention', 'on', true)")
    with pytest.raises(DatabaseError, match="append-only"):
        sql("DELETE FROM people_auditevent WHERE id = %s", [event.pk])


def test_the_permission_is_only_given_inside_a_transaction():
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"), retention_writes_allowed():
        pass
