"""Records on either side of their retention date (docs/retention.md).

The run is tried as of 03:00 on Monday 22 November 2032, London. A kind kept six years
(72 months) cuts at the start of Monday 22 November 2026: a record dated that day is
"just inside" (kept tonight, disposed of tomorrow night); one dated the evening before is
"just past". Twelve-month kinds cut at 22 November 2031, the 36-month one at 22 November 2029.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.concerns import services as cs
from cases.enquiries.services import enquiry_answer, enquiry_close, enquiry_file
from cases.models import Marking, Notification, Purpose
from cases.positive import services as positive_services
from people.models import AuditEvent
from tests.factories import MemberFactory, OfficerFactory
from tests.reporting.conftest import history, london  # noqa: F401  (the reporting tests' history, reused)

NOW = london(2032, 11, 22, 3)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def inside(year: int) -> "datetime":  # noqa: F821
    """Just inside: the first minute of 22 November ``year``."""
    return london(year, 11, 22, 0, 1)


def past(year: int) -> "datetime":  # noqa: F821
    """Just past: the last minute of 21 November ``year``."""
    return london(year, 11, 21, 23, 59)


def answered_and_closed(org, *, closed_at, subject: str):
    """An enquiry filed a fortnight before, answered the week before, closed by the member at ``closed_at``."""
    enquiry = enquiry_file(
        member=org.councillor,
        subject=subject,
        details="Mrs Jones at 4 Mill Lane says the drain floods her kitchen.",
        service=org.highways,
        purpose=Purpose.CASEWORK,
        ward=org.ward,
        attachments=[SimpleUploadedFile("photo-of-the-drain.pdf", PDF, content_type="application/pdf")],
        now=closed_at.replace(day=closed_at.day - 14),
    )
    enquiry = enquiry_answer(
        enquiry=enquiry,
        actor=org.liaison.user,
        text="We cleared the drain outside Mrs Jones's house.",
        marking=Marking.CONFIDENTIAL,
        contains_personal_data=False,
        now=closed_at.replace(day=closed_at.day - 7),
    )
    return enquiry_close(enquiry=enquiry, actor=org.councillor.user, now=closed_at)


def resolved_concern(org, *, closed_at):
    concern = cs.concern_raise(
        raised_by=org.councillor.user,
        about_officer=org.liaison,
        occurred_on=date(closed_at.year, 11, 1),
        what_happened="The officer shouted at me in the Mill Lane meeting.",
        feels_able_to_talk=True,
        now=closed_at.replace(day=closed_at.day - 10),
    )
    return cs.concern_resolve(concern=concern, actor=org.councillor.user, outcome="We talked it over.", now=closed_at)


def example(org, *, at):
    return positive_services.positive_example_record(
        recorded_by=org.liaison.user,
        title="Councillor Smith's help with the flood",
        what_happened="Councillor Smith and the liaison officer visited Mill Lane together.",
        happened_on=at.date(),
        service=org.highways,
        members=[org.councillor],
        officers=[org.liaison],
        now=at,
    )


def notification(org, *, at):
    return Notification.objects.create(
        recipient=org.councillor.user, template="test", subject="About Mrs Jones", body="Mrs Jones", created_at=at
    )


def audit_event(org, *, at):
    return AuditEvent.objects.create(
        kind=AuditEvent.Kind.SIGN_IN, user=org.councillor.user, username="councillor", ip_address="192.0.2.1", at=at
    )


@pytest.fixture
def boundary(org):
    """For each kind, one record just inside and one just past its date (see the module's docstring)."""
    six_years, one_year, three_years = 2026, 2031, 2029
    return SimpleNamespace(
        enquiry_inside=answered_and_closed(org, closed_at=inside(six_years), subject="Kept"),
        enquiry_past=answered_and_closed(org, closed_at=past(six_years), subject="Past"),
        concern_inside=resolved_concern(org, closed_at=inside(six_years)),
        concern_past=resolved_concern(org, closed_at=past(six_years)),
        example_inside=example(org, at=inside(three_years)),
        example_past=example(org, at=past(three_years)),
        notification_inside=notification(org, at=inside(one_year)),
        notification_past=notification(org, at=past(one_year)),
        audit_inside=audit_event(org, at=inside(one_year)),
        audit_past=audit_event(org, at=past(one_year)),
        member_inside=MemberFactory(left_office_on=date(six_years, 11, 22), phone="01632 960001"),
        member_past=MemberFactory(left_office_on=date(six_years, 11, 21), phone="01632 960002"),
        officer_inside=OfficerFactory(left_on=date(six_years, 11, 22), job_title="Engineer", phone="01632 960003"),
        officer_past=OfficerFactory(left_on=date(six_years, 11, 21), job_title="Engineer", phone="01632 960004"),
    )
