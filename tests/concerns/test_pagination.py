"""The concern lists, the triage queue and the sanctions register come 50 a page (issue 6
"fast at scale"): a Whip joins thousands of concerns in a decade."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def concern_references(html: str) -> list[str]:
    return re.findall(r">(CON-\d{4}-\d{5})</a>", html)


def raise_many(org, raise_concern, count: int) -> list:
    """``count`` concerns from the liaison officer about the councillor, with a safeguarding
    flag (so straight to stage 3, where the Whip joins), a day apart, the newest last."""
    start = timezone.now() - timedelta(days=count + 1)
    return [raise_concern(now=start + timedelta(days=n), safeguarding=True) for n in range(count)]


def test_it_pages_each_concern_list_on_its_own(client, org, whip, raise_concern):
    """Three lists share the page: 25 rows each."""
    raised = raise_many(org, raise_concern, 55)
    newest_first = [concern.reference for concern in reversed(raised)]

    client.force_login(whip.user)
    url = reverse("cases:concerns")
    page = client.get(url).content.decode()
    assert concern_references(page) == newest_first[:25]
    assert "Showing 1 to 25 of 55 concerns you joined or that were shared with you." in page
    assert 'href="?joined=2#joined"' in page
    page = client.get(url, {"joined": 3}).content.decode()
    assert concern_references(page) == newest_first[50:]

    # The complainant's raised list pages by its own number, and keeps the other list's.
    client.force_login(org.liaison.user)
    page = client.get(url, {"raised": 3, "joined": 1}).content.decode()
    assert concern_references(page) == newest_first[50:]
    assert "Showing 51 to 55 of 55 concerns you raised." in page
    assert 'href="?joined=1&amp;raised=2#raised"' in page


def test_it_pages_the_triage_queue_in_its_sort_order(client, org, raise_concern):
    raise_many(org, raise_concern, 55)
    client.force_login(org.monitoring.user)
    url = reverse("cases:triage")
    for sort in ("age", "reference"):
        first = client.get(url, {"sort": sort})
        second = client.get(url, {"sort": sort, "page": 2})
        items = first.context["items"] + second.context["items"]
        assert len(first.context["items"]) == 50 and len(items) == 55
        key = {"age": lambda item: -item.age_working_days, "reference": lambda item: item.reference}[sort]
        assert items == sorted(items, key=key)
        assert f"sort={sort}&amp;page=2" in first.content.decode()
    assert "55 waiting: page 1 of 2" in first.content.decode()
