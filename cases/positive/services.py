"""The only writers of positive examples (000 §VI): anyone records where member-officer
working went well; the relevant Assistant Director comments and passes it on; the
Monitoring Officer records it for the protocol's monitoring and reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.positive.models import PositiveExample
from cases.shared.notifications import display_name, letter, notification_create
from cases.shared.references import next_reference
from cases.shared.submissions import refuse_resubmission
from cases.shared.versions import locked_current, transition_require, version_save
from escalation.calendar import local_date
from people.models import Member, Officer, Service
from people.selectors import (
    monitoring_officer,
)


def _tell(*, recipient: User, example: PositiveExample, template: str, subject: str, body: str, at: datetime) -> None:
    """Tell ``recipient`` about ``example`` in the portal and by e-mail (sent after commit)."""
    notification_create(
        recipient=recipient,
        template=template,
        subject=subject,
        body=letter(recipient, body, example.get_absolute_url()),
        at=at,
        positive_example=example,
    )


def _example_assistant_director(service: Service) -> Officer | None:
    """The relevant Assistant Director (000 §VI), else the Director, else the MO."""
    for officer in (service.assistant_director, service.directorate.director if service.directorate_id else None):
        if officer is not None and officer.is_serving():
            return officer
    return monitoring_officer()


@transaction.atomic
def positive_example_record(
    *,
    recorded_by: User,
    title: str,
    what_happened: str,
    happened_on: date,
    service: Service,
    members: Iterable[Member] = (),
    officers: Iterable[Officer] = (),
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> PositiveExample:
    """Anyone records where member-officer working went well; it goes to the relevant
    Assistant Director, who passes it to the Monitoring Officer (000 §VI)."""
    now = now or timezone.now()
    if happened_on > local_date(now):
        raise ValidationError({"happened_on": "The date must be today or in the past"})
    reviewer = _example_assistant_director(service)
    if reviewer is None:
        raise ValidationError({"service": f"{service} has no Assistant Director or Director to send this to"})
    reference = next_reference("POS", local_date(now).year)
    refuse_resubmission(PositiveExample, submission_key)
    example = PositiveExample.objects.create(
        reference=reference,
        submission_key=submission_key,
        recorded_by=recorded_by,
        title=title,
        what_happened=what_happened,
        happened_on=happened_on,
        service=service,
        assistant_director=reviewer,
        recorded_at=now,
    )
    example.members.set(members)
    example.officers.set(officers)
    _tell(
        recipient=reviewer.user,
        example=example,
        template="positive_example_recorded",
        subject=f"{example.reference}: an example of good member-officer working",
        body=f"{display_name(recorded_by)} has recorded an example of member-officer working that went well in "
        f"{service}: “{title}”. Add your comment and pass it to the Monitoring Officer (000 §VI).",
        at=now,
    )
    return example


def _locked_example(example: PositiveExample, expected_version: int | None) -> PositiveExample:
    return locked_current(
        PositiveExample.objects.all(),
        pk=example.pk,
        expected_version=expected_version,
        conflict=lambda current: ValidationError(
            f"{current.reference} was changed by someone else. Check it and try again."
        ),
    )


@transaction.atomic
def positive_example_forward(
    *,
    example: PositiveExample,
    actor: User,
    comment: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> PositiveExample:
    now = now or timezone.now()
    example = _locked_example(example, expected_version)
    transition_require(example.forward, actor, "Only the Assistant Director it was sent to can pass it on.")
    example.forward(comment=comment, at=now)
    version_save(example)
    mo = monitoring_officer()
    if mo is not None:
        _tell(
            recipient=mo.user,
            example=example,
            template="positive_example_forwarded",
            subject=f"{example.reference}: an example of good member-officer working",
            body=f"{example.assistant_director.name} has passed on “{example.title}” for the protocol's "
            "monitoring (000 §VI).",
            at=now,
        )
    return example


@transaction.atomic
def positive_example_acknowledge(
    *,
    example: PositiveExample,
    actor: User,
    comment: str,
    publishable: bool,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> PositiveExample:
    now = now or timezone.now()
    example = _locked_example(example, expected_version)
    transition_require(example.acknowledge, actor, "Only the Monitoring Officer can record this example.")
    example.acknowledge(comment=comment, publishable=publishable, at=now)
    version_save(example)
    recorder = get_user_model().objects.get(pk=example.recorded_by_id)
    _tell(
        recipient=recorder,
        example=example,
        template="positive_example_acknowledged",
        subject=f"{example.reference}: thank you, your example has been recorded",
        body=f"The Monitoring Officer has recorded “{example.title}” in the protocol's monitoring (000 §VI)."
        + (" It may be published in the annual report." if publishable else ""),
        at=now,
    )
    return example
