"""Finding a concern (issue 15 C10): the concerns page's three lists searched, filtered and
sorted through one filter, and a search never showing a concern the person may not see
(DESIGN §4: need-to-know)."""

from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse

from cases.concerns.forms import concern_list_form
from cases.concerns.selectors import concerns_handled_by, concerns_joined_by, my_concerns
from cases.concerns.services import concern_raise, concern_resolve
from cases.models import ConcernState
from cases.shared.lists import OPEN, ListFilters

pytestmark = pytest.mark.django_db


def raise_about(org, *, by, member=None, officer=None, day, talk=False):
    return concern_raise(
        raised_by=by.user,
        about_member=member,
        about_officer=officer,
        occurred_on=date(2026, 11, day),
        what_happened="It happened again.",
        feels_able_to_talk=talk,
    )


@pytest.fixture
def concerns(org):
    # The liaison officer raised two about councillors; councillor2 one about the librarian.
    about_councillor = raise_about(org, by=org.liaison, member=org.councillor, day=2)
    about_councillor2 = raise_about(org, by=org.liaison, member=org.councillor2, day=3)
    about_librarian = raise_about(org, by=org.councillor2, officer=org.outsider, day=4)
    settled = raise_about(org, by=org.liaison, member=org.councillor2, day=5, talk=True)
    settled = concern_resolve(concern=settled, actor=org.liaison.user, outcome="We talked it through.")
    return {
        "about_councillor": about_councillor,
        "about_councillor2": about_councillor2,
        "about_librarian": about_librarian,
        "settled": settled,
    }


def names(found, concerns) -> list[str]:
    by_pk = {concern.pk: name for name, concern in concerns.items()}
    return [by_pk[concern.pk] for concern in found]


def filters(query: str) -> ListFilters:
    return concern_list_form(QueryDict(query)).filters()


def test_it_opens_each_list_in_its_own_order(org, concerns):
    assert filters("") == ListFilters()
    assert names(my_concerns(org.liaison.user, filters("")), concerns) == [
        "settled",
        "about_councillor2",
        "about_councillor",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q={councillor2}", ["settled", "about_councillor2"]),
        ("q=Hilltop", ["settled", "about_councillor2"]),  # councillor2's ward
        ("ward={ward}", ["about_councillor"]),
        ("q={reference}", ["about_councillor"]),
        ("state=open", ["about_councillor2", "about_councillor"]),
        ("state=resolved", ["settled"]),
        ("sort=oldest", ["about_councillor", "about_councillor2", "settled"]),
        ("sort=stage", ["about_councillor", "about_councillor2", "settled"]),
    ],
)
def test_the_complainant_finds_the_concerns_they_raised(org, concerns, query, expected):
    query = query.format(
        councillor2=org.councillor2.user.last_name, ward=org.ward.pk, reference=concerns["about_councillor"].reference
    )
    assert names(my_concerns(org.liaison.user, filters(query)), concerns) == expected


def test_the_handler_finds_the_concerns_they_handle(org, concerns):
    # The Head of Highways handles the liaison officer's two open concerns at stage 2 (001 §6.1).
    handled = concerns_handled_by(org.head.user, filters(f"q={org.councillor.user.last_name}"))
    assert names(handled, concerns) == ["about_councillor"]
    assert names(concerns_handled_by(org.head.user, ListFilters(state=OPEN, sort="newest")), concerns) == [
        "about_councillor2",
        "about_councillor",
    ]


def test_a_search_never_finds_a_concern_the_person_may_not_see(org, concerns):
    # The librarian's concern is councillor2's and their line manager's, not the liaison officer's,
    # the Head of Highways' or councillor's, however they search.
    librarian = concerns["about_librarian"]
    for user in (org.liaison.user, org.head.user, org.councillor.user):
        for text in (librarian.reference, org.outsider.user.last_name, org.councillor2.user.last_name, "Hilltop"):
            for found in (
                my_concerns(user, ListFilters(text=text)),
                concerns_handled_by(user, ListFilters(text=text)),
                concerns_joined_by(user, ListFilters(text=text)),
            ):
                assert "about_librarian" not in names(found, concerns)
    # The subject is not shown a concern about them unless the Monitoring Officer shares it.
    assert list(concerns_joined_by(org.councillor.user, ListFilters(text=org.councillor.user.last_name))) == []
    assert names(my_concerns(org.councillor2.user, ListFilters(text=librarian.reference)), concerns) == [
        "about_librarian"
    ]


def test_it_refuses_an_order_it_does_not_offer(org, concerns):
    form = concern_list_form(QueryDict("sort=raised_at&state=resolved"))
    applied = form.filters()
    assert list(form.errors) == ["sort"]
    assert applied == ListFilters(state=ConcernState.RESOLVED)


def test_the_concerns_page_filters_all_three_lists(client, org, concerns):
    client.force_login(org.liaison.user)
    page = client.get(reverse("cases:concerns"), {"q": org.councillor.user.last_name}).content.decode()
    assert concerns["about_councillor"].reference in page
    assert concerns["about_councillor2"].reference not in page
    page = client.get(reverse("cases:concerns"), {"state": "withdrawn"}).content.decode()
    assert "None match." in page and "Clear filters" in page
    response = client.get(reverse("cases:concerns"), {"sort": "'; drop table"})
    assert "Select an order from the list" in response.content.decode()
