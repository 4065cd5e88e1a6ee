"""The building blocks of the enquiry services: the deadline, the row lock and version
check, the timeline, the owner's access and the notifications. Public for the enquiry
services and for leaving office (cases.leavers), which changes enquiries the same way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from guardian.shortcuts import assign_perm

from cases.enquiries.models import Enquiry, EnquiryState, covers_owner
from cases.shared.models import Notification, TimelineEvent
from cases.shared.notifications import notification_render
from cases.shared.selectors import officer_of
from cases.shared.timeline import timeline_event_record
from cases.shared.versions import locked_current, transition_require
from escalation.calendar import council_calendar, end_of_day, local_date
from escalation.routing import Route
from people.models import Officer
from people.selectors import contact_prohibition_for


class EnquiryConflict(Exception):
    """Someone else changed the enquiry after this person's page was loaded."""

    def __init__(self, enquiry: Enquiry) -> None:
        self.enquiry = enquiry
        super().__init__(
            f"{enquiry.reference} was changed by someone else while you were working on it. "
            f"It is now “{enquiry.get_state_display()}”. Check the latest version below before you try again."
        )


def response_due_at(start: datetime) -> datetime:
    """The end of the fifth working day after ``start`` (001 §7.1; receipt day not counted)."""
    days = settings.ENQUIRY_RESPONSE_WORKING_DAYS
    return end_of_day(council_calendar().add_working_days(local_date(start), days))


def enquiry_locked(enquiry: Enquiry, expected_version: int | None) -> Enquiry:
    """The enquiry re-read under a row lock, refused if it changed since the page was loaded."""
    return locked_current(
        Enquiry.objects.select_related("member__user", "owner__user", "service"),
        pk=enquiry.pk,
        expected_version=expected_version,
        conflict=EnquiryConflict,
    )


def enquiry_require(bound_transition: Callable[..., object], user: User) -> None:
    transition_require(bound_transition, user, "You cannot do this to this enquiry now.")


def enquiry_reschedule(enquiry: Enquiry, *, now: datetime) -> None:
    """Set the reminder and the next climb after the deadline changed (escalation.deadlines):
    an enquiry awaiting a response is reminded and climbs; a dispute, with the Chief
    Executive at the top already, is reminded only; anything else has nothing due."""
    if enquiry.state in (EnquiryState.SUBMITTED, EnquiryState.HOLDING_REPLY):
        enquiry.schedule(now=now)
    elif enquiry.state == EnquiryState.DISPUTED:
        enquiry.schedule(now=now, climbs=False)
    else:
        enquiry.unschedule()


def enquiry_event(enquiry: Enquiry, **event: Any) -> TimelineEvent:
    """A line on the enquiry's timeline (cases.shared.timeline.timeline_event_record)."""
    return timeline_event_record(enquiry=enquiry, **event)


def enquiry_view_grant(enquiry: Enquiry, owner: Officer) -> None:
    """The owner and their management chain may see the enquiry from now on: one insert for
    them all, which leaves alone a grant someone already holds (a chain met before)."""
    officers = [owner, *owner.management_chain()]
    users = list(User.objects.filter(pk__in=[officer.user_id for officer in officers]))
    assign_perm("cases.view_enquiry", users, enquiry)


def cover_acting(enquiry: Enquiry, actor: User) -> Officer | None:
    """The owner, when ``actor`` acts on the enquiry as the colleague covering for them while
    they are away (issue 15 C11), else None. A colleague who acts on an enquiry keeps sight of
    it from then on, as a past owner does: their name is on its record."""
    officer = officer_of(actor)
    if officer is None or officer.pk == enquiry.owner_id or not covers_owner(enquiry, officer):
        return None
    assign_perm("cases.view_enquiry", actor, enquiry)
    return enquiry.owner


def covering_words(away: Officer | None) -> str:
    """Words to follow a colleague's name when they acted covering for ``away``."""
    return f", covering for {away.name} while they are away" if away is not None else ""


def notify(*, recipient: User, enquiry: Enquiry, template: str, context: dict[str, Any], at: datetime) -> Notification:
    """Tell ``recipient`` about ``enquiry`` in the portal and by e-mail (sent after commit),
    and note it on the timeline (shown to the member only when it was to them)."""
    context = {
        **context,
        "enquiry": enquiry,
        "enquiry_url": settings.PORTAL_BASE_URL + enquiry.get_absolute_url(),
    }
    notification = notification_render(recipient=recipient, template=template, context=context, at=at, enquiry=enquiry)
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.NOTIFIED,
        at=at,
        note=f"Told {recipient.get_full_name() or recipient.username} by e-mail and in the portal: "
        f"{notification.subject}",
        internal=enquiry.member.user_id != recipient.pk,
    )
    return notification


def prohibition_covers(route: Route) -> str:
    """What the contact prohibition that routed an enquiry covers, and for how long."""
    prohibition = route.prohibition
    assert prohibition is not None, "only for a route around a contact prohibition"
    return f"no contact with {prohibition.covers}, {prohibition.period}"


def prohibited_owner_refuse(enquiry: Enquiry, officer: Officer, *, field: str, now: datetime) -> None:
    """DESIGN §5: never hand a member's enquiry to an officer they may not contact."""
    prohibition = contact_prohibition_for(member=enquiry.member, officer=officer, on=local_date(now))
    if prohibition is not None:
        raise ValidationError(
            {
                field: f"{enquiry.member} may not contact {officer.name} while a contact prohibition is in force "
                f"({prohibition.period}). Choose someone else or leave it with the Monitoring Officer's office."
            }
        )
