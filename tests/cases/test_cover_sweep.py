"""The deadline sweep with cover while away (issue 15 C11), on the real PostgreSQL: a reminder
for an officer who is away goes to the colleague covering for them, and a climb that would
reach an officer who is away reaches their cover. The cover is read on the day of each
reminder and climb, so once it ends the officer is back on the ladder; a case that climbed to
a cover goes on up from that rung.

The worked example of test_deadline_sweep.py: filed on Friday 18 December 2026, due by the
end of Tuesday 29 December; the owner is reminded on Thursday 24 December; it climbs to the
Head of Service on Wednesday 30 December, to the Director on Thursday 7 January 2027 and to
the Chief Executive on Thursday 14 January. In ``org`` the Head of Libraries covers for the
Head of Highways, and the liaison officer's colleague for them.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.enquiries.deadlines import enquiry_deadline_sweep, enquiry_standing
from cases.enquiries.selectors import enquiries_visible_to
from cases.enquiries.services import enquiry_file, enquiry_reassign
from cases.models import Enquiry, EnquiryEscalation, EnquiryState, Notification, Purpose, TimelineEvent
from tests.cases.covering import cover, prohibition
from tests.cases.test_deadline_sweep import (
    FILED,
    FIRST_CLIMB,
    REMINDER,
    SECOND_CLIMB,
    SWEEP_STATEMENTS,
    THIRD_CLIMB,
    WHY,
    answer,
    climbs,
    london,
    reminded,
    sent,
)

pytestmark = pytest.mark.django_db

Kind = TimelineEvent.Kind


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run


@pytest.fixture
def sweep(committed, mailoutbox):
    """Sweep as of ``now``; mailoutbox then holds only what this sweep sent."""

    def run(now):
        mailoutbox.clear()
        return committed(enquiry_deadline_sweep, now=now)

    return run


@pytest.fixture
def file(org, committed):
    def run(*, service=None) -> Enquiry:
        return committed(
            enquiry_file,
            member=org.councillor,
            service=service or org.highways,
            subject="Pothole on Mill Road",
            details="A deep pothole outside number 12 has damaged two cars.",
            purpose=Purpose.INFORMATION,
            now=FILED,
        )

    return run


@pytest.fixture
def enquiry(file) -> Enquiry:
    return file()


def away(officer, colleague, first: date, last: date):
    """``colleague`` covers for ``officer`` from ``first`` to ``last``, set up when the enquiry
    was filed (its e-mails as sent then, so that the sweeps' outbox holds only their own)."""
    made = cover(officer, colleague, starts_on=first, ends_on=last, now=FILED)
    Notification.objects.filter(template="cover", emailed_at__isnull=True).update(emailed_at=FILED)
    return made


def escalation(enquiry, rung: int) -> EnquiryEscalation:
    return EnquiryEscalation.objects.get(enquiry=enquiry, rung=rung)


# --- Reminders -----------------------------------------------------------------------------------


def test_the_reminder_for_an_officer_who_is_away_goes_to_the_colleague(org, enquiry, sweep, mailoutbox):
    away(org.liaison, org.colleague, date(2026, 12, 23), date(2026, 12, 31))

    assert sweep(REMINDER).reminders == 1

    assert sent(mailoutbox) == [
        (org.colleague.user.email, "ENQ-2026-00001: reminder, due by the end of Tuesday 29 December 2026")
    ]
    assert f"You are covering for {org.liaison.name} while they are away: answer it" in mailoutbox[0].body
    [event] = reminded(enquiry)
    assert event.note == (
        f"Reminded {org.colleague.name}, covering for {org.liaison.name} while they are away, that it is due by "
        "the end of Tuesday 29 December 2026."
    )
    enquiry.refresh_from_db()
    assert enquiry.owner == org.liaison  # a reminder moves nothing


def test_the_reminder_goes_to_the_officer_once_the_cover_has_ended(org, enquiry, sweep, mailoutbox):
    away(org.liaison, org.colleague, date(2026, 12, 18), date(2026, 12, 23))
    sweep(REMINDER)
    assert sent(mailoutbox) == [
        (org.liaison.user.email, "ENQ-2026-00001: reminder, due by the end of Tuesday 29 December 2026")
    ]


def test_the_reminder_goes_to_the_officer_when_the_member_may_not_contact_the_colleague(
    org, enquiry, sweep, mailoutbox
):
    away(org.liaison, org.colleague, date(2026, 12, 23), date(2026, 12, 31))
    prohibition(org.councillor, officer=org.colleague, starts_on=date(2026, 12, 1))
    sweep(REMINDER)
    assert [to for to, _ in sent(mailoutbox)] == [org.liaison.user.email]


# --- Climbs ----------------------------------------------------------------------------------------------


def test_a_climb_to_a_head_of_service_who_is_away_reaches_their_cover(org, enquiry, sweep, mailoutbox, committed):
    away(org.head, org.other_head, date(2026, 12, 28), date(2027, 1, 8))

    assert sweep(FIRST_CLIMB).climbs == 1

    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.other_head, 1)
    step = escalation(enquiry, 1)
    assert (step.from_owner, step.to_owner, step.covering_for) == (org.liaison, org.other_head, org.head)
    [event] = enquiry.timeline.filter(kind=Kind.ESCALATED)
    assert not event.internal
    assert event.note == (
        f"Escalated from {org.liaison.name} to {org.other_head.name}, Head of Libraries, covering for "
        f"{org.head.name} while they are away, {WHY} (001 §7.1)."
    )
    assert sent(mailoutbox, "escalat") == sorted(
        [
            (org.councillor.user.email, f"ENQ-2026-00001: {org.other_head.name} is now accountable for your enquiry"),
            (org.other_head.user.email, "ENQ-2026-00001: an overdue enquiry has been escalated to you"),
        ]
    )
    to_member = next(message for message in mailoutbox if message.to == [org.councillor.user.email])
    assert (
        f"{org.other_head.name}, Head of Libraries, covering for {org.head.name} while they are away, "
        "is now accountable for it" in to_member.body
    )
    to_cover = next(message for message in mailoutbox if message.to == [org.other_head.user.email])
    assert f"escalated to you, covering for {org.head.name} while they are away, from {org.liaison.name}" in (
        to_cover.body
    )
    assert not Notification.objects.filter(enquiry=enquiry, recipient=org.head.user, template__contains="escal")
    # The cover owns it now: they see it and answer it.
    assert enquiries_visible_to(org.other_head.user).filter(pk=enquiry.pk).exists()
    enquiry = committed(answer, enquiry=enquiry, actor=org.other_head.user, now=london(2026, 12, 30, 11))
    assert enquiry.state == EnquiryState.ANSWERED


def test_cover_starts_an_enquiry_arrives_the_cover_ends_and_the_climb_goes_to_the_officer(org, file, sweep):
    away(org.head, org.other_head, date(2026, 12, 18), date(2026, 12, 29))
    enquiry = file()  # filed while the Head of Service is away: the liaison officer owns it
    assert enquiry.owner == org.liaison

    sweep(FIRST_CLIMB)  # Wednesday 30 December: the Head of Service is back

    enquiry.refresh_from_db()
    assert enquiry.owner == org.head
    assert escalation(enquiry, 1).covering_for is None
    assert "covering" not in enquiry.timeline.get(kind=Kind.ESCALATED).note


def test_an_enquiry_that_climbed_to_a_cover_goes_on_up_after_the_cover_ends(org, enquiry, sweep):
    away(org.head, org.other_head, date(2026, 12, 28), date(2027, 1, 4))
    sweep(FIRST_CLIMB)
    sweep(SECOND_CLIMB)  # Thursday 7 January: the cover is over, and the next rung is the Director's

    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 2)
    assert climbs(enquiry) == [(1, org.liaison.pk, org.other_head.pk), (2, org.other_head.pk, org.director.pk)]
    sweep(THIRD_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.chief, 3)


def test_an_enquiry_that_climbed_to_a_cover_goes_on_up_while_the_cover_lasts(org, enquiry, sweep):
    away(org.head, org.other_head, date(2026, 12, 28), date(2027, 1, 15))
    sweep(FIRST_CLIMB)
    sweep(SECOND_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 2)


def test_an_enquiry_handed_back_to_the_officer_after_the_cover_still_goes_on_up(org, enquiry, sweep, committed):
    away(org.head, org.other_head, date(2026, 12, 28), date(2027, 1, 4))
    sweep(FIRST_CLIMB)
    # Back on Tuesday 5 January, the Head of Service is handed it by the Head of Libraries' manager.
    committed(
        enquiry_reassign,
        enquiry=Enquiry.objects.get(pk=enquiry.pk),
        actor=org.director.user,
        new_owner=org.head,
        reason="Back from leave.",
        now=london(2027, 1, 5),
    )
    sweep(SECOND_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 2)


def test_a_climb_passes_over_a_rung_covered_by_the_owner(org, enquiry, sweep):
    """The Director is away and the Head of Service covers for them: a case the Head of Service
    owns climbs past the Director's rung, which its owner holds, to the Chief Executive."""
    sweep(FIRST_CLIMB)
    away(org.director, org.head, date(2027, 1, 6), date(2027, 1, 8))
    sweep(SECOND_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.chief, 2)


def test_a_climb_passes_over_a_cover_the_member_may_not_contact(org, enquiry, sweep):
    away(org.head, org.other_head, date(2026, 12, 28), date(2027, 1, 8))
    prohibition(org.councillor, officer=org.other_head, starts_on=date(2026, 12, 1))
    sweep(FIRST_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 1)
    assert escalation(enquiry, 1).covering_for is None


def test_the_owners_own_cover_does_not_change_where_it_climbs(org, enquiry, sweep):
    away(org.liaison, org.colleague, date(2026, 12, 28), date(2027, 1, 8))
    sweep(FIRST_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.head, 1)


def test_the_enquiry_page_says_it_will_climb_to_the_cover(org, enquiry, sweep):
    away(org.head, org.other_head, date(2026, 12, 30), date(2027, 1, 8))
    # Overnight after the missed deadline, before the climb at the start of Wednesday.
    standing = enquiry_standing(Enquiry.objects.get(pk=enquiry.pk), now=london(2026, 12, 30, 1))
    assert (standing.climbs_to, standing.covering_for) == (org.other_head, org.head)


@pytest.mark.parametrize("due", [5, 50])
def test_it_climbs_5_or_50_enquiries_with_covers_in_the_same_statements(org, file, due):
    services = [org.highways, org.libraries]
    away(org.head, org.other_head, date(2026, 12, 28), date(2027, 1, 8))
    away(org.director, org.assistant, date(2026, 12, 28), date(2027, 1, 8))
    for n in range(due):
        file(service=services[n % 2])
    enquiry_deadline_sweep(now=REMINDER)

    with CaptureQueriesContext(connection) as queries:
        report = enquiry_deadline_sweep(now=FIRST_CLIMB)

    assert report.climbs == due
    assert len(queries) == SWEEP_STATEMENTS, "\n".join(query["sql"][:200] for query in queries.captured_queries)
    assert EnquiryEscalation.objects.filter(covering_for__isnull=False).count() == due


@pytest.mark.parametrize("due", [5, 50])
def test_it_reminds_5_or_50_owners_some_away_in_the_same_statements(org, file, due):
    away(org.liaison, org.colleague, date(2026, 12, 23), date(2026, 12, 31))
    for n in range(due):
        file(service=[org.highways, org.libraries][n % 2])

    with CaptureQueriesContext(connection) as queries:
        report = enquiry_deadline_sweep(now=REMINDER)

    assert report.reminders == due
    # The calendar; in each of three batches (the reminders, the empty reminder claim and the
    # empty climb claim that end the sweep) its savepoint, SET LOCAL synchronous_commit, claim
    # and release; in the first, the reminders taken off the claimed rows, the cases, the Chief
    # Executive, the covers in force and the members' prohibitions, the notifications and the
    # timeline events.
    assert len(queries) == 20, "\n".join(query["sql"][:200] for query in queries.captured_queries)
    assert (
        Notification.objects.filter(template="enquiry_reminder", recipient=org.colleague.user).count() == (due + 1) // 2
    )
