"""An escalated enquiry shows where it stands (issue 15 A4; 001 §7.1, §7.4).

ENQ-2026-00361 still said "Due by end of Tuesday 1 December 2026 · Overdue" after it climbed
to the Head of Service, with no next date. The enquiry's page says which deadline was missed,
who is accountable now, and when and to whom it climbs next (as the sweep will choose), or
that it has reached the top; the councillor's list says the date missed and when it climbs.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enquiries.deadlines import enquiry_deadline_sweep, enquiry_standing
from cases.enquiries.services import enquiry_file, enquiry_hold
from cases.models import Enquiry, Purpose
from escalation.calendar import end_of_day

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


FILED = london(2026, 12, 18)  # a Friday: due by the end of Tuesday 29 December
DUE = end_of_day(date(2026, 12, 29))
FIRST_CLIMB = london(2026, 12, 30, 8)
SECOND_CLIMB = london(2027, 1, 7, 8)
THIRD_CLIMB = london(2027, 1, 14, 8)
AFTER_THE_TOP = london(2027, 1, 21, 8)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


def file(org, *, now=FILED) -> Enquiry:
    return enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Pothole on Mill Road",
        details="A deep pothole outside number 12.",
        purpose=Purpose.INFORMATION,
        now=now,
    )


def standing_at(enquiry: Enquiry, now: datetime):
    enquiry.refresh_from_db()
    return enquiry_standing(enquiry, now=now)


def test_it_says_nothing_while_the_deadline_stands(org):
    assert standing_at(file(org), london(2026, 12, 29, 17)) is None


def test_it_follows_the_enquiry_up_the_ladder_to_the_top(org):
    enquiry = file(org)

    missed = standing_at(enquiry, london(2026, 12, 30, 7))
    assert (missed.missed_on, missed.climbed, missed.climbs_at, missed.climbs_to) == (
        date(2026, 12, 29),
        0,
        FIRST_CLIMB,
        org.head,
    )

    enquiry_deadline_sweep(now=FIRST_CLIMB)
    first = standing_at(enquiry, FIRST_CLIMB)
    assert enquiry.owner == org.head
    assert (first.missed_on, first.climbed, first.climbs_at, first.climbs_to) == (
        date(2026, 12, 29),
        1,
        SECOND_CLIMB,
        org.director,
    )

    enquiry_deadline_sweep(now=SECOND_CLIMB)
    second = standing_at(enquiry, SECOND_CLIMB)
    assert (second.climbed, second.climbs_at, second.climbs_to) == (2, THIRD_CLIMB, org.chief)

    enquiry_deadline_sweep(now=THIRD_CLIMB)
    top = standing_at(enquiry, THIRD_CLIMB)
    assert enquiry.owner == org.chief
    assert (top.climbed, top.climbs_at, top.climbs_to, top.at_top) == (3, None, None, True)
    # The sweep finds nobody above the Chief Executive, and the enquiry says the same.
    enquiry_deadline_sweep(now=AFTER_THE_TOP)
    assert standing_at(enquiry, AFTER_THE_TOP).at_top


def test_a_holding_reply_after_a_climb_shows_the_new_target_and_whom_it_climbs_to(org):
    enquiry = file(org)
    enquiry_deadline_sweep(now=FIRST_CLIMB)
    enquiry.refresh_from_db()
    enquiry_hold(
        enquiry=enquiry, actor=org.head.user, reason="Survey booked.", target_on=date(2027, 1, 8), now=FIRST_CLIMB
    )
    standing = standing_at(enquiry, london(2027, 1, 4))
    # Not missed (the holding reply's target stands), but escalated once, and the Director is next.
    assert (standing.missed_on, standing.climbed, standing.climbs_to) == (None, 1, org.director)
    later = standing_at(enquiry, london(2027, 1, 11))
    assert later.missed_on == date(2027, 1, 8)


# --- The pages -----------------------------------------------------------------------------------


def overdue_and_climbed(org) -> Enquiry:
    """Filed ten working days ago and climbed once, as of now."""
    filed = timezone.now() - timedelta(days=16)
    enquiry = file(org, now=filed)
    enquiry_deadline_sweep(now=timezone.now())
    enquiry.refresh_from_db()
    return enquiry


def test_the_enquiry_page_says_which_date_was_missed_who_is_accountable_and_when_it_climbs(client, org):
    enquiry = overdue_and_climbed(org)
    assert enquiry.rung >= 1
    client.force_login(org.councillor.user)

    html = client.get(enquiry.get_absolute_url()).content.decode()

    assert "Deadline missed" in html
    assert f"End of {enquiry.due_on:%A %-d %B %Y}" in html
    assert '<dt class="govuk-summary-list__key">Due by</dt>' not in html
    times = "time" if enquiry.rung == 1 else "times"
    assert f"{enquiry.owner.name}, {enquiry.owner.job_title} (escalated {enquiry.rung} {times})" in html
    if enquiry.escalate_at is not None:
        assert f"At the start of {timezone.localtime(enquiry.escalate_at):%A %-d %B %Y}, to " in html
    else:
        assert "It has reached the top of the ladder and climbs no further" in html


def test_the_councillors_list_says_the_date_missed_and_when_it_climbs(client, org):
    enquiry = overdue_and_climbed(org)
    client.force_login(org.councillor.user)

    html = client.get(reverse("cases:my_enquiries")).content.decode()

    assert f"Missed {enquiry.due_on:%-d %b %Y}" in html
    assert enquiry.owner.name in html
    if enquiry.escalate_at is not None:
        assert f"Climbs {timezone.localtime(enquiry.escalate_at):%-d %b %Y}" in html
    else:
        assert "At the top: it climbs no further" in html


def test_the_list_says_when_the_enquiry_has_reached_the_top(client, org):
    now = timezone.now()
    enquiry = file(org, now=now - timedelta(days=60))
    # Head of Service, Director, Chief Executive, then nobody above: each a week after the last.
    for weeks in range(4):
        enquiry_deadline_sweep(now=now + timedelta(weeks=weeks))
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.escalate_at) == (org.chief, None)
    client.force_login(org.councillor.user)

    assert "At the top: it climbs no further" in client.get(reverse("cases:my_enquiries")).content.decode()
    page = client.get(enquiry.get_absolute_url()).content.decode()
    assert f"climbs no further: {org.chief.name} must answer it (001 §7.4)" in page
