"""The timeline cannot be rewritten even by code that bypasses the model (PostgreSQL trigger)."""

import pytest
from django.db import DatabaseError, connection, transaction

from cases.enquiries import services
from cases.models import Purpose, TimelineEvent

pytestmark = pytest.mark.django_db


def test_it_refuses_an_update_or_delete_that_bypasses_the_model(org):
    assert connection.vendor == "postgresql"
    enquiry = services.enquiry_file(
        member=org.councillor, subject="Streetlight out", details="On Elm Road", service=org.highways,
        purpose=Purpose.INFORMATION,
    )  # fmt: skip
    events = TimelineEvent.objects.filter(enquiry=enquiry)
    count = events.count()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        events.update(note="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        events._raw_delete(events.db)
    assert events.count() == count
    assert not events.filter(note="rewritten").exists()
