"""Who sees which enquiry, and the work queues built on that (DESIGN §3, STYLE §5)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404

from cases.enquiries.selectors import (
    enquiries_visible_to,
    enquiry_get_for_user,
    officer_work_queue,
    service_queue,
)
from cases.enquiries.services import enquiry_answer, enquiry_decline, enquiry_dispute, enquiry_file, enquiry_hold
from cases.models import EnquiryState, Marking, Purpose, TimelineEvent
from cases.shared.lists import OVERDUE, ListFilters

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


def file_enquiry(org, *, member=None, service=None, subject="Pothole on Mill Road", **fields):
    fields = {"details": "A deep pothole outside number 12.", "purpose": Purpose.INFORMATION, **fields}
    return enquiry_file(member=member or org.councillor, service=service or org.highways, subject=subject, **fields)


def user_of(org, who):
    person = getattr(org, who)
    return getattr(person, "user", person)


@pytest.fixture
def enquiry(org):
    return file_enquiry(org, ward=org.ward)


# --- Who sees an enquiry -----------------------------------------------------------------------

VISIBLE = ["councillor", "liaison", "head", "assistant", "director", "chief", "monitoring"]
INVISIBLE = ["councillor2", "outsider", "other_head", "colleague", "standards_member", "stranger"]


@pytest.mark.parametrize("who", VISIBLE)
def test_it_shows_the_enquiry_to_the_member_the_owner_their_managers_and_the_statutory_officers(org, enquiry, who):
    user = user_of(org, who)
    assert list(enquiries_visible_to(user)) == [enquiry]
    assert enquiry_get_for_user(user, enquiry.reference) == enquiry


@pytest.mark.parametrize("who", INVISIBLE)
def test_it_hides_the_enquiry_from_everyone_else(org, enquiry, who):
    # Another councillor, an officer of another service (or a colleague who does not own it),
    # the head of another service, a Standards Committee member and a stranger see nothing.
    user = user_of(org, who)
    assert not enquiries_visible_to(user).exists()
    with pytest.raises(Http404):
        enquiry_get_for_user(user, enquiry.reference)


def test_it_hides_every_enquiry_from_someone_signed_out(enquiry):
    from django.contrib.auth.models import AnonymousUser

    assert not enquiries_visible_to(AnonymousUser()).exists()


def test_it_shows_the_member_only_the_timeline_events_meant_for_them(org, enquiry):
    for_member = enquiry_get_for_user(org.councillor.user, enquiry.reference)
    for_owner = enquiry_get_for_user(org.liaison.user, enquiry.reference)
    assert [event.kind for event in for_member.timeline.all()] == [
        TimelineEvent.Kind.FILED,
        TimelineEvent.Kind.NOTIFIED,
    ]
    assert len(for_owner.timeline.all()) == 3


def test_it_answers_404_for_a_reference_that_does_not_exist(org, enquiry):
    with pytest.raises(Http404):
        enquiry_get_for_user(org.chief.user, "ENQ-2026-99999")


# --- My work ---------------------------------------------------------------------------------------


def test_it_lists_an_officers_open_enquiries_soonest_due_first(org):
    later = file_enquiry(org, subject="Later", now=london(2026, 12, 2))  # due Wednesday 9 December
    sooner = file_enquiry(org, subject="Sooner", now=london(2026, 11, 30))  # due Monday 7 December
    held = file_enquiry(org, subject="Held", now=london(2026, 12, 3))  # due Thursday 10 December …
    held = enquiry_hold(  # … until a holding reply sets Friday 4 December
        enquiry=held, actor=org.liaison.user, reason="Survey.", target_on=date(2026, 12, 4), now=london(2026, 12, 3, 12)
    )
    answered = file_enquiry(org, subject="Answered", now=london(2026, 11, 30))
    enquiry_answer(
        enquiry=answered, actor=org.liaison.user, text="Done.", marking=Marking.PUBLIC, contains_personal_data=False
    )
    file_enquiry(org, subject="Libraries", service=org.libraries)

    assert list(officer_work_queue(org.liaison.user)) == [held, sooner, later]
    assert list(officer_work_queue(org.colleague.user)) == []


def test_it_puts_every_dispute_in_the_chief_executives_work(org):
    enquiry = file_enquiry(org)
    enquiry = enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="Planning matter.")
    assert list(officer_work_queue(org.chief.user)) == []
    enquiry = enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="It is about a road.")
    assert list(officer_work_queue(org.chief.user)) == [enquiry]
    assert list(officer_work_queue(org.director.user)) == []


# --- The service queue -----------------------------------------------------------------------------


@pytest.fixture
def queue(org):
    """Two Highways enquiries (one answered) and one for Libraries."""
    pothole = file_enquiry(org, ward=org.ward, now=london(2026, 11, 30))  # ENQ-2026-00001, due Mon 7 Dec
    library = file_enquiry(
        org, service=org.libraries, subject="Library opening hours", now=london(2026, 12, 1)
    )  # ENQ-2026-00002, due Tue 8 Dec
    lights = file_enquiry(
        org,
        member=org.councillor2,
        ward=org.other_ward,
        subject="Street lighting on Hill Lane",
        details="Three lamps are out.",
        now=london(2026, 12, 2),
    )  # ENQ-2026-00003, due Wed 9 Dec
    lights = enquiry_answer(
        enquiry=lights, actor=org.liaison.user, text="Fixed.", marking=Marking.PUBLIC, contains_personal_data=False
    )
    return pothole, library, lights


def test_it_scopes_the_service_queue_to_the_services_an_officer_manages(org, queue):
    pothole, library, lights = queue
    everything = ListFilters()
    assert list(service_queue(org.head.user, everything)) == [pothole, lights]
    assert list(service_queue(org.other_head.user, everything)) == [library]
    assert list(service_queue(org.director.user, everything)) == [pothole, library, lights]
    assert list(service_queue(org.chief.user, everything)) == [pothole, library, lights]
    assert list(service_queue(org.monitoring.user, everything)) == [pothole, library, lights]
    # The owner who manages nothing, and a councillor, have no service queue.
    assert list(service_queue(org.liaison.user, everything)) == []
    assert list(service_queue(org.councillor.user, everything)) == []


def test_it_filters_the_service_queue_by_state(org, queue):
    pothole, _library, lights = queue
    assert list(service_queue(org.head.user, ListFilters(state=EnquiryState.ANSWERED))) == [lights]
    assert list(service_queue(org.head.user, ListFilters(state=EnquiryState.SUBMITTED))) == [pothole]


def test_it_filters_the_service_queue_by_service(org, queue):
    pothole, library, lights = queue
    assert list(service_queue(org.chief.user, ListFilters(service=org.libraries.pk))) == [library]
    assert list(service_queue(org.chief.user, ListFilters(service=org.highways.pk))) == [pothole, lights]
    # A head cannot widen their queue by asking for another service.
    assert list(service_queue(org.head.user, ListFilters(service=org.libraries.pk))) == []


def test_it_filters_the_service_queue_by_ward(org, queue):
    pothole, _library, lights = queue
    assert list(service_queue(org.chief.user, ListFilters(ward=org.ward.pk))) == [pothole]
    assert list(service_queue(org.chief.user, ListFilters(ward=org.other_ward.pk))) == [lights]


def test_it_filters_the_service_queue_to_overdue_enquiries(org, queue):
    # At noon on Tuesday 8 December the pothole (due Monday) is overdue; the library enquiry
    # is due tonight and the answered one is not overdue whatever its date.
    pothole, library, _lights = queue
    assert list(service_queue(org.chief.user, ListFilters(due=OVERDUE), now=london(2026, 12, 8, 12))) == [pothole]
    assert list(service_queue(org.chief.user, ListFilters(due=OVERDUE), now=london(2026, 12, 9, 9))) == [
        pothole,
        library,
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lighting", ["lights"]),
        ("hill LANE", ["lights"]),
        ("three lamps", []),  # the details are not searched (issue 15 C10: reference, subject, councillor, ward)
        ("ENQ-2026-00002", ["library"]),
        ("enq-2026-00001", ["pothole"]),
        ("  ENQ-2026-00003 ", ["lights"]),
        ("swimming", []),
    ],
)
def test_it_searches_the_service_queue_by_words_and_reference(org, queue, text, expected):
    by_name = dict(zip(["pothole", "library", "lights"], queue, strict=True))
    found = service_queue(org.chief.user, ListFilters(text=text))
    assert list(found) == [by_name[name] for name in expected]


def test_it_searches_the_service_queue_by_words_in_any_order(org, queue):
    # The search box says "Search by reference or words": each word must appear, wherever it is.
    pothole, _library, lights = queue
    assert list(service_queue(org.chief.user, ListFilters(text="Mill pothole"))) == [pothole]
    assert list(service_queue(org.chief.user, ListFilters(text="Hill lighting"))) == [lights]


def test_it_keeps_searches_inside_the_officers_scope(org, queue):
    assert list(service_queue(org.head.user, ListFilters(text="ENQ-2026-00002"))) == []
    assert list(service_queue(org.head.user, ListFilters(text="library"))) == []


def test_it_lists_a_disputed_enquiry_in_the_service_queue_by_state(org):
    enquiry = enquiry_decline(enquiry=file_enquiry(org), actor=org.head.user, reasons="Planning matter.")
    enquiry = enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="Roads.")
    assert list(service_queue(org.head.user, ListFilters(state=EnquiryState.DISPUTED))) == [enquiry]
