"""Finding your work (issue 15 C10): My enquiries, My work and the service queue searched,
filtered and sorted through the one filter (cases/shared/lists.py), and never showing more
through a filter than the list shows without one (DESIGN §3)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.urls import reverse

from cases.enquiries.forms import enquiry_list_form
from cases.enquiries.selectors import member_enquiries, officer_work_queue, service_queue
from cases.enquiries.services import enquiry_answer, enquiry_file, enquiry_reassign
from cases.models import EnquiryState, Marking, Purpose
from cases.shared.lists import ANY_STATE, DUE_SOON, OPEN, OVERDUE, ListFilters
from people.models import Service

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Tuesday 8 December 2026, noon: the pothole (due Monday) is overdue, the library enquiry is due
# tonight (due soon), the rest are due later in the week.
NOW = datetime(2026, 12, 8, 12, tzinfo=LONDON)


def london(day: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, 10, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


def file(org, *, member, subject, day, service=None, ward=None, month=12):
    return enquiry_file(
        member=member,
        service=service or org.highways,
        subject=subject,
        details="Please look into it.",
        purpose=Purpose.INFORMATION,
        ward=ward,
        now=london(day, month),
    )


@pytest.fixture
def cases(org):
    pothole = file(org, member=org.councillor, subject="Pothole on Mill Road", day=30, month=11, ward=org.ward)
    library = file(org, member=org.councillor, subject="Library opening hours", day=1, service=org.libraries)
    lights = file(org, member=org.councillor2, subject="Street lighting", day=2, ward=org.other_ward)
    lights = enquiry_answer(
        enquiry=lights, actor=org.liaison.user, text="Fixed.", marking=Marking.PUBLIC, contains_personal_data=False
    )
    gully = file(org, member=org.councillor2, subject="Blocked gully", day=3, ward=org.other_ward)
    gully = enquiry_reassign(enquiry=gully, actor=org.head.user, new_owner=org.colleague, reason="Drainage.")
    verge = file(org, member=org.councillor, subject="Overgrown verge", day=4, ward=org.other_ward)
    return {"pothole": pothole, "library": library, "lights": lights, "gully": gully, "verge": verge}


def names(found, cases) -> list[str]:
    by_pk = {enquiry.pk: name for name, enquiry in cases.items()}
    return [by_pk[enquiry.pk] for enquiry in found]


def form_filters(page: str, query: str = "") -> ListFilters:
    return enquiry_list_form(QueryDict(query), page=page, services=Service.objects.all()).filters()


# --- The service queue --------------------------------------------------------------------


def test_it_opens_the_service_queue_on_the_work_waiting_for_a_response_soonest_due_first(org, cases):
    filters = form_filters("queue")
    assert filters == ListFilters(state=OPEN, sort="due")
    # Answered enquiries wait for nothing: the Head of Highways sees their open work first.
    assert names(service_queue(org.head.user, filters, now=NOW), cases) == ["pothole", "gully", "verge"]


def test_it_still_offers_every_status_in_the_service_queue(org, cases):
    filters = form_filters("queue", "state=any")
    assert names(service_queue(org.head.user, filters), cases) == ["pothole", "lights", "gully", "verge"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=due", ["pothole", "lights", "gully", "verge"]),
        ("sort=newest", ["verge", "gully", "lights", "pothole"]),
        ("sort=oldest", ["pothole", "lights", "gully", "verge"]),
        # By the order of an enquiry's life: awaiting an answer before answered.
        ("sort=state", ["pothole", "gully", "verge", "lights"]),
    ],
)
def test_it_sorts_the_service_queue(org, cases, query, expected):
    filters = form_filters("queue", f"state=any&{query}")
    assert names(service_queue(org.head.user, filters), cases) == expected


def test_it_searches_the_service_queue_by_councillor_and_by_ward(org, cases):
    councillor2 = org.councillor2.user.last_name
    assert names(service_queue(org.head.user, ListFilters(text=councillor2)), cases) == ["lights", "gully"]
    assert names(service_queue(org.head.user, ListFilters(text="hilltop")), cases) == ["lights", "gully", "verge"]
    # Every word must match somewhere: the ward and a word of the subject.
    assert names(service_queue(org.head.user, ListFilters(text="Hilltop verge")), cases) == ["verge"]


def test_it_filters_the_service_queue_by_due_date(org, cases):
    overdue = ListFilters(due=OVERDUE)
    assert names(service_queue(org.chief.user, overdue, now=NOW), cases) == ["pothole"]
    soon = ListFilters(due=DUE_SOON)
    # Due by the end of the next working day (Wednesday 9): the library enquiry, not the answered lights.
    assert names(service_queue(org.chief.user, soon, now=NOW), cases) == ["library"]


def test_it_never_widens_the_service_queue_through_a_filter(org, cases):
    # The Head of Highways asks for the Libraries service, its enquiry's reference and its words.
    for filters in (
        ListFilters(service=org.libraries.pk),
        ListFilters(text=cases["library"].reference),
        ListFilters(text="library"),
        ListFilters(text=org.councillor.user.last_name, state=EnquiryState.SUBMITTED),
    ):
        assert "library" not in names(service_queue(org.head.user, filters), cases)


# --- My enquiries ---------------------------------------------------------------------------


def test_it_opens_my_enquiries_on_every_status_newest_first(org, cases):
    filters = form_filters("mine")
    assert filters == ListFilters(state=ANY_STATE, sort="newest")
    assert names(member_enquiries(org.councillor.user, filters), cases) == ["verge", "library", "pothole"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=verge", ["verge"]),
        ("q=Hilltop", ["verge"]),  # never councillor2's gully or lights in the same ward
        ("q=" + "ENQ-2026-00002", ["library"]),
        ("ward={other_ward}", ["verge"]),
        ("service={libraries}", ["library"]),
        ("state=open", ["verge", "library", "pothole"]),
        ("state=answered", []),
        ("due=overdue", ["pothole"]),
        ("due=soon", ["library"]),
        ("sort=due", ["pothole", "library", "verge"]),
        ("sort=oldest", ["pothole", "library", "verge"]),
    ],
)
def test_a_councillor_finds_their_own_enquiries(org, cases, query, expected):
    query = query.format(other_ward=org.other_ward.pk, libraries=org.libraries.pk)
    found = member_enquiries(org.councillor.user, form_filters("mine", query), now=NOW)
    assert names(found, cases) == expected


def test_a_councillors_search_never_shows_another_councillors_enquiry(org, cases):
    for text in (cases["gully"].reference, "gully", org.councillor2.user.last_name):
        assert names(member_enquiries(org.councillor.user, ListFilters(text=text)), cases) == []


# --- My work --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["pothole", "verge"]),
        ("q=mill", ["pothole"]),
        ("q=Riverside", ["pothole"]),
        ("ward={other_ward}", ["verge"]),
        ("due=overdue", ["pothole"]),
        ("sort=newest", ["verge", "pothole"]),
        ("state=holding_reply", []),
    ],
)
def test_an_officer_finds_their_own_work(org, cases, query, expected):
    query = query.format(other_ward=org.other_ward.pk)
    found = officer_work_queue(org.liaison.user, form_filters("work", query), now=NOW)
    assert names(found, cases) == expected


def test_a_search_of_my_work_never_shows_another_officers_enquiry(org, cases):
    # The gully is in Hilltop, from councillor2, in Highways: the colleague's, not the liaison officer's.
    for filters in (
        ListFilters(text="Hilltop"),
        ListFilters(text=org.councillor2.user.last_name),
        ListFilters(text=cases["gully"].reference),
        ListFilters(ward=org.other_ward.pk, state=ANY_STATE),
    ):
        assert "gully" not in names(officer_work_queue(org.liaison.user, filters), cases)
    assert names(officer_work_queue(org.colleague.user, ListFilters(text="Hilltop")), cases) == ["gully"]


# --- The filter form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("sort=due_at;drop table", "sort"),
        ("sort=-received_at", "sort"),
        ("state=nonsense", "state"),
        ("due=yesterday", "due"),
        ("ward=999999", "ward"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_it_refuses_a_filter_it_does_not_offer_and_applies_the_rest(org, cases, query, field):
    form = enquiry_list_form(
        QueryDict(f"{query}&service={org.highways.pk}"), page="queue", services=Service.objects.all()
    )
    filters = form.filters()
    assert list(form.errors) == [field]
    # The refused filter falls back to the queue's own; the service asked for still applies.
    assert filters.service == org.highways.pk
    assert (filters.state, filters.sort) == (OPEN, "due") or field not in ("state", "sort")
    assert names(service_queue(org.head.user, filters, now=NOW), cases)[0] == "pothole"


def test_it_offers_the_service_queue_only_the_services_the_officer_manages(client, org, cases):
    client.force_login(org.head.user)
    response = client.get(reverse("cases:service_queue"))
    assert list(response.context["form"].fields["service"].queryset) == [org.highways]


# --- The pages ----------------------------------------------------------------------------------


def test_the_service_queue_page_shows_the_filters_and_their_errors(client, org, cases):
    client.force_login(org.head.user)
    page = client.get(reverse("cases:service_queue")).content.decode()
    assert "Enquiries, soonest due first" in page
    assert cases["lights"].reference not in page  # answered: not waiting for a response
    page = client.get(reverse("cases:service_queue"), {"state": "any", "sort": "newest"}).content.decode()
    assert "Enquiries, newest received first" in page and cases["lights"].reference in page
    response = client.get(reverse("cases:service_queue"), {"due": "tomorrow", "q": "verge"})
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Select a due date from the list" in page
    assert "Error: Service queue" in page
    # The valid search still applies.
    assert cases["verge"].reference in page and cases["pothole"].reference not in page


def test_a_councillor_searches_my_enquiries_on_the_page(client, org, cases):
    client.force_login(org.councillor.user)
    page = client.get(reverse("cases:my_enquiries"), {"q": "pothole"}).content.decode()
    assert cases["pothole"].reference in page and cases["verge"].reference not in page
    page = client.get(reverse("cases:my_enquiries"), {"q": "swimming"}).content.decode()
    assert "None of your enquiries match." in page and "Clear filters" in page


def test_an_officer_filters_my_work_on_the_page(client, org, cases):
    client.force_login(org.liaison.user)
    page = client.get(reverse("cases:my_work"), {"ward": org.other_ward.pk}).content.decode()
    assert cases["verge"].reference in page and cases["pothole"].reference not in page
    assert cases["gully"].reference not in page
