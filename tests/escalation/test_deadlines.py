"""When a case is reminded and when it climbs, and to whom (escalation.deadlines; 001 §7.1).

The timing functions are pure: they take a WorkingDayCalendar, so most of these
tests need no database. ``service_ladders`` reads the organisation.
"""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases.models import Enquiry
from escalation.calendar import WorkingDayCalendar, end_of_day
from escalation.deadlines import first_climb_time, next_climb_time, next_rung, reminder_time, service_ladders
from people.models import StatutoryAppointment, StatutoryRole
from tests.factories import DirectorateFactory, OfficerFactory, ServiceFactory

LONDON = ZoneInfo("Europe/London")
ENGLAND = WorkingDayCalendar(nation="england-and-wales")


def london(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


# --- reminder_time -----------------------------------------------------------------


def test_it_reminds_at_the_start_of_the_working_day_before_the_due_day():
    # Due Friday 15 January 2027: reminded Thursday 14 January at 08:00.
    due_at = end_of_day(date(2027, 1, 15))
    assert reminder_time(due_at, calendar=ENGLAND, now=london(2027, 1, 8)) == london(2027, 1, 14, 8)


def test_it_reminds_on_the_friday_before_a_monday_deadline():
    due_at = end_of_day(date(2027, 1, 18))
    assert reminder_time(due_at, calendar=ENGLAND, now=london(2027, 1, 11)) == london(2027, 1, 15, 8)


def test_it_reminds_before_christmas_for_a_deadline_after_it():
    # Due Tuesday 29 December 2026: Mon 28 (Boxing Day observed), the weekend and Fri 25
    # (Christmas Day) are skipped, so the reminder is on Thursday 24 December.
    due_at = end_of_day(date(2026, 12, 29))
    assert reminder_time(due_at, calendar=ENGLAND, now=london(2026, 12, 18, 10)) == london(2026, 12, 24, 8)


def test_it_reminds_before_new_years_day_for_a_deadline_after_it():
    # Due Monday 4 January 2027: Friday 1 January is a bank holiday, so Thursday 31 December.
    due_at = end_of_day(date(2027, 1, 4))
    assert reminder_time(due_at, calendar=ENGLAND, now=london(2026, 12, 24, 10)) == london(2026, 12, 31, 8)


def test_it_skips_a_council_closure_day_before_the_deadline():
    calendar = WorkingDayCalendar(nation="england-and-wales", closures={date(2026, 12, 24): "Christmas shutdown"})
    due_at = end_of_day(date(2026, 12, 29))
    assert reminder_time(due_at, calendar=calendar, now=london(2026, 12, 18, 10)) == london(2026, 12, 23, 8)


def test_it_gives_the_reminder_in_london_time_in_summer():
    # 08:00 British Summer Time is 07:00 UTC.
    reminder = reminder_time(end_of_day(date(2026, 7, 1)), calendar=ENGLAND, now=london(2026, 6, 24))
    assert reminder == london(2026, 6, 30, 8)
    assert reminder.astimezone(ZoneInfo("UTC")).hour == 7


def test_it_starts_the_working_day_when_the_council_says(settings):
    settings.WORKING_DAY_STARTS_AT = time(9, 30)
    due_at = end_of_day(date(2027, 1, 15))
    assert reminder_time(due_at, calendar=ENGLAND, now=london(2027, 1, 8)) == london(2027, 1, 14, 9, 30)


def test_it_still_reminds_when_the_reminder_time_has_passed_but_the_deadline_has_not():
    # A holding reply whose target is tomorrow: the reminder is due at once.
    due_at = end_of_day(date(2027, 1, 15))
    assert reminder_time(due_at, calendar=ENGLAND, now=london(2027, 1, 14, 15)) == london(2027, 1, 14, 8)


@pytest.mark.parametrize(
    "now",
    [
        end_of_day(date(2026, 12, 29)),  # the last moment of the due day
        end_of_day(date(2026, 12, 29)) + timedelta(microseconds=1),
        london(2027, 1, 5, 10),
    ],
)
def test_it_gives_no_reminder_once_the_deadline_has_passed(now):
    assert reminder_time(end_of_day(date(2026, 12, 29)), calendar=ENGLAND, now=now) is None


def test_it_reminds_up_to_the_last_moment_before_the_deadline():
    due_at = end_of_day(date(2026, 12, 29))
    assert reminder_time(due_at, calendar=ENGLAND, now=due_at - timedelta(microseconds=1)) == london(2026, 12, 24, 8)


# --- first_climb_time and next_climb_time ------------------------------------------------


def test_it_climbs_first_at_the_start_of_the_working_day_after_the_deadline():
    assert first_climb_time(end_of_day(date(2026, 12, 29)), calendar=ENGLAND) == london(2026, 12, 30, 8)


def test_it_climbs_first_after_christmas_for_a_deadline_before_it():
    # Due Thursday 24 December 2026: Fri 25, the weekend and Mon 28 are not working days.
    assert first_climb_time(end_of_day(date(2026, 12, 24)), calendar=ENGLAND) == london(2026, 12, 29, 8)


def test_it_climbs_first_on_the_monday_after_a_friday_deadline():
    assert first_climb_time(end_of_day(date(2027, 1, 15)), calendar=ENGLAND) == london(2027, 1, 18, 8)


def test_it_climbs_first_after_a_closure_day_that_follows_the_deadline():
    calendar = WorkingDayCalendar(nation="england-and-wales", closures={date(2026, 12, 30): "Christmas shutdown"})
    assert first_climb_time(end_of_day(date(2026, 12, 29)), calendar=calendar) == london(2026, 12, 31, 8)


def test_it_climbs_again_after_five_further_working_days():
    # From Wednesday 30 December 2026: Thu 31, (Fri 1 January a bank holiday), Mon 4, Tue 5,
    # Wed 6, Thu 7 January 2027.
    assert next_climb_time(london(2026, 12, 30, 8), calendar=ENGLAND) == london(2027, 1, 7, 8)
    assert next_climb_time(london(2027, 1, 7, 8), calendar=ENGLAND) == london(2027, 1, 14, 8)


def test_it_counts_the_next_climb_from_the_climb_day_whatever_the_hour():
    assert next_climb_time(london(2026, 12, 30, 17, 45), calendar=ENGLAND) == london(2027, 1, 7, 8)


def test_it_counts_a_closure_day_out_of_the_interval():
    calendar = WorkingDayCalendar(nation="england-and-wales", closures={date(2027, 1, 5): "Office move"})
    assert next_climb_time(london(2026, 12, 30, 8), calendar=calendar) == london(2027, 1, 8, 8)


def test_it_takes_the_interval_from_the_settings(settings):
    settings.ESCALATION_INTERVAL_WORKING_DAYS = 2
    assert next_climb_time(london(2026, 12, 30, 8), calendar=ENGLAND) == london(2027, 1, 4, 8)


# --- Deadline.schedule / unschedule ------------------------------------------------------


def test_it_schedules_the_reminder_and_the_first_climb_from_the_deadline():
    enquiry = Enquiry(due_at=end_of_day(date(2026, 12, 29)))
    enquiry.schedule(calendar=ENGLAND, now=london(2026, 12, 18, 10))
    assert (enquiry.remind_at, enquiry.escalate_at) == (london(2026, 12, 24, 8), london(2026, 12, 30, 8))


def test_it_schedules_a_reminder_only_for_a_case_that_does_not_climb():
    enquiry = Enquiry(due_at=end_of_day(date(2026, 12, 29)))
    enquiry.schedule(calendar=ENGLAND, climbs=False, now=london(2026, 12, 18, 10))
    assert (enquiry.remind_at, enquiry.escalate_at) == (london(2026, 12, 24, 8), None)


def test_it_schedules_nothing_without_a_deadline():
    enquiry = Enquiry(due_at=None, remind_at=london(2026, 12, 24), escalate_at=london(2026, 12, 30))
    enquiry.schedule(calendar=ENGLAND, now=london(2026, 12, 18, 10))
    assert (enquiry.remind_at, enquiry.escalate_at) == (None, None)


def test_it_unschedules_both():
    enquiry = Enquiry(remind_at=london(2026, 12, 24), escalate_at=london(2026, 12, 30))
    enquiry.unschedule()
    assert (enquiry.remind_at, enquiry.escalate_at) == (None, None)


# --- next_rung: owner → Head of Service → Director → Chief Executive ---------------------

HEAD, DIRECTOR, CHIEF, LIAISON = 1, 2, 3, 9


@pytest.mark.parametrize(
    ("ladder", "owner", "expected"),
    [
        pytest.param((HEAD, DIRECTOR, CHIEF), LIAISON, HEAD, id="owner-below-the-ladder-to-head-of-service"),
        pytest.param((HEAD, DIRECTOR, CHIEF), HEAD, DIRECTOR, id="head-of-service-to-director"),
        pytest.param((HEAD, DIRECTOR, CHIEF), DIRECTOR, CHIEF, id="director-to-chief-executive"),
        pytest.param((HEAD, DIRECTOR, CHIEF), CHIEF, None, id="at-the-top"),
        pytest.param((None, DIRECTOR, CHIEF), LIAISON, DIRECTOR, id="no-head-of-service"),
        pytest.param((HEAD, None, CHIEF), HEAD, CHIEF, id="no-director"),
        pytest.param((HEAD, None, None), HEAD, None, id="no-director-or-chief-executive"),
        pytest.param((DIRECTOR, DIRECTOR, CHIEF), LIAISON, DIRECTOR, id="director-is-also-head-to-director"),
        pytest.param((DIRECTOR, DIRECTOR, CHIEF), DIRECTOR, CHIEF, id="director-is-also-head-skips-themself"),
        pytest.param((HEAD, CHIEF, CHIEF), HEAD, CHIEF, id="chief-executive-is-also-director"),
        pytest.param((HEAD, CHIEF, CHIEF), CHIEF, None, id="chief-executive-is-also-director-at-the-top"),
        pytest.param((None, None, None), LIAISON, None, id="every-post-empty"),
        pytest.param((), LIAISON, None, id="no-ladder"),
    ],
)
def test_it_finds_the_next_rung(ladder, owner, expected):
    assert next_rung(ladder, owner) == expected


# --- service_ladders -----------------------------------------------------------------------


@pytest.fixture
def council(db):
    chief = OfficerFactory(job_title="Chief Executive", service=None)
    StatutoryAppointment.objects.create(officer=chief, role=StatutoryRole.HEAD_OF_PAID_SERVICE)
    director = OfficerFactory(job_title="Director of Place", service=None)
    directorate = DirectorateFactory(name="Place", director=director)
    head = OfficerFactory(job_title="Head of Highways", service=None)
    highways = ServiceFactory(name="Highways", directorate=directorate, head_of_service=head)
    parks = ServiceFactory(name="Parks", directorate=directorate, head_of_service=None)
    return SimpleNamespace(chief=chief, director=director, head=head, highways=highways, parks=parks)


def test_it_gives_each_service_its_head_director_and_chief_executive(council, django_assert_num_queries):
    with django_assert_num_queries(3):
        ladders = service_ladders([council.highways.pk, council.parks.pk, council.highways.pk], on=date(2027, 1, 4))
    assert ladders == {
        council.highways.pk: (council.head.pk, council.director.pk, council.chief.pk),
        council.parks.pk: (None, council.director.pk, council.chief.pk),
    }


def test_it_counts_an_officer_who_has_left_as_an_empty_post(council):
    on = timezone.localdate()
    council.head.left_on = on - timedelta(days=1)
    council.head.save()
    council.director.left_on = on - timedelta(days=30)
    council.director.save()
    assert service_ladders([council.highways.pk], on=on) == {council.highways.pk: (None, None, council.chief.pk)}


def test_it_counts_an_officer_who_has_not_left_yet_as_serving(council):
    on = timezone.localdate()
    council.head.left_on = on + timedelta(days=1)
    council.head.save()
    assert service_ladders([council.highways.pk], on=on) == {
        council.highways.pk: (council.head.pk, council.director.pk, council.chief.pk)
    }


def test_it_reads_who_is_serving_on_the_day_asked(council):
    council.head.left_on = timezone.localdate() + timedelta(days=10)
    council.head.save()
    later = timezone.localdate() + timedelta(days=30)
    assert service_ladders([council.highways.pk], on=later)[council.highways.pk][0] is None


def test_it_counts_a_chief_executive_who_has_left_by_the_day_asked_as_an_empty_post(council):
    # Like every other rung, the Chief Executive is read as of ``on``, not as of today.
    council.chief.left_on = timezone.localdate() + timedelta(days=10)
    council.chief.save()
    later = timezone.localdate() + timedelta(days=30)
    assert service_ladders([council.highways.pk], on=later) == {
        council.highways.pk: (council.head.pk, council.director.pk, None)
    }


def test_it_has_no_chief_executive_rung_without_a_head_of_paid_service(council):
    StatutoryAppointment.objects.all().delete()
    assert service_ladders([council.highways.pk]) == {council.highways.pk: (council.head.pk, council.director.pk, None)}


def test_it_has_no_director_rung_for_a_directorate_without_one(council):
    service = ServiceFactory(directorate=DirectorateFactory(director=None), head_of_service=council.head)
    assert service_ladders([service.pk]) == {service.pk: (council.head.pk, None, council.chief.pk)}


def test_it_gives_nothing_for_no_services(council):
    assert service_ladders([]) == {}
