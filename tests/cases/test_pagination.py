"""Enquiry lists come 50 a page (issue 6 "fast at scale"): a councillor files thousands over
the years, and a service's queue holds every enquiry it has had."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enquiries import services
from cases.models import Purpose

pytestmark = pytest.mark.django_db


def file_many(org, count: int) -> list:
    """``count`` enquiries from org.councillor, an hour apart, the newest last."""
    start = timezone.now() - timedelta(hours=count + 1)
    return [
        services.enquiry_file(
            member=org.councillor,
            subject=f"Enquiry q{n}",
            details="Details.",
            service=org.highways,
            purpose=Purpose.INFORMATION,
            now=start + timedelta(hours=n),
        )
        for n in range(count)
    ]


def references(response) -> list[str]:
    return re.findall(r">(ENQ-\d{4}-\d{5})</a>", response.content.decode())


def test_it_shows_my_enquiries_50_a_page_newest_first(client, org):
    filed = file_many(org, 55)
    newest_first = [enquiry.reference for enquiry in reversed(filed)]
    client.force_login(org.councillor.user)
    url = reverse("cases:my_enquiries")

    first = client.get(url)
    assert references(first) == newest_first[:50]
    assert "Showing 1 to 50 of 55 enquiries." in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()

    second = client.get(url, {"page": 2})
    assert references(second) == newest_first[50:]
    assert "Showing 51 to 55 of 55 enquiries." in second.content.decode()
    assert 'rel="prev"' in second.content.decode()
    # A page past the end shows the last one; nonsense shows the first.
    assert references(client.get(url, {"page": 99})) == newest_first[50:]
    assert references(client.get(url, {"page": "x"})) == newest_first[:50]


def test_it_pages_my_work_soonest_due_first(client, org):
    filed = file_many(org, 55)
    client.force_login(org.liaison.user)
    url = reverse("cases:my_work")
    shown = references(client.get(url)) + references(client.get(url, {"page": 2}))
    # Each filed an hour after the last: due in the same order, or later.
    assert sorted(shown) == sorted(enquiry.reference for enquiry in filed)
    assert len(references(client.get(url))) == 50


def test_it_stops_counting_a_long_service_queue_and_says_there_are_more(client, org, monkeypatch):
    file_many(org, 55)
    client.force_login(org.head.user)
    url = reverse("cases:service_queue")
    assert "of 55 enquiries" in client.get(url).content.decode()

    monkeypatch.setattr("cases.enquiries.views.officer.QUEUE_COUNT_CAP", 50)
    page = client.get(url).content.decode()
    assert "Showing 1 to 50 of more than 50 enquiries. Use the filters to find the others." in page
    # Filtered down below the cap, the count is exact again.
    # A search reads the councillor's name too (issue 15 C10), and factory names carry numbers
    # ("Alex15"): "Enquiry 5" matched every enquiry when the councillor's name held a 5.
    page = client.get(url, {"q": "Enquiry q5", "state": "any"}).content.decode()
    assert "Showing 1 to 6 of 6 enquiries." in page  # q5 and q50 to q54
