"""What the tests of cover while away (issue 15 C11) share: setting a cover as a person would
(cases.cover.services) or, to test what routing does with data the rules would refuse, as a
row; a contact prohibition as a row (a people fact: routing reads it whoever recorded it)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from cases.cover.services import cover_set
from people.models import ContactProhibition, Cover, Member, Officer


def cover(officer: Officer, covered_by: Officer, *, starts_on: date, ends_on: date, now: datetime | None = None):
    """``covered_by`` covers for ``officer``, set up by the officer through the service."""
    return cover_set(
        officer=officer,
        covered_by=covered_by,
        starts_on=starts_on,
        ends_on=ends_on,
        actor=officer.user,
        now=now or timezone.now(),
    )


def cover_row(officer: Officer, covered_by: Officer, *, starts_on: date, ends_on: date) -> Cover:
    """A cover written straight to the table, past the service's rules (a chain, a loop)."""
    return Cover.objects.create(
        officer=officer, covered_by=covered_by, starts_on=starts_on, ends_on=ends_on, created_by=officer.user
    )


def prohibition(member: Member, *, officer: Officer | None = None, service=None, starts_on: date) -> ContactProhibition:
    """``member`` may not contact ``officer`` (or ``service``'s officers, or with neither, any
    officer) from ``starts_on``, indefinitely."""
    scope = "officer" if officer is not None else "service" if service is not None else "all"
    return ContactProhibition.objects.create(
        member=member, scope=scope, officer=officer, service=service, starts_on=starts_on
    )
