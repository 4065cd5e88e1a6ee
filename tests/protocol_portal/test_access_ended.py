"""A councillor's or officer's access ends after their last day (Member.left_office_on,
Officer.left_on; 003: a member who leaves office): they cannot sign in, and a session open
from before is ended on its next request, whatever the page. The last day itself is theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import AuditEvent
from people.selectors import access_ended_on
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAGES = ["home", "cases:my_enquiries", "people:member_directory", "cases:notifications"]


def test_the_last_day_is_still_theirs_and_the_next_is_not(org):
    member = org.councillor
    today = timezone.localdate()
    member.left_office_on = today
    member.save()
    assert access_ended_on(member.user) is None
    assert access_ended_on(member.user, on=today + timedelta(days=1)) == today
    assert access_ended_on(org.stranger) is None


@pytest.mark.parametrize("url_name", PAGES)
def test_a_session_from_before_is_ended_on_any_page(client, org, url_name):
    member = org.councillor
    client.force_login(member.user)
    assert client.get(reverse("home")).status_code == 200
    member.left_office_on = timezone.localdate() - timedelta(days=1)
    member.save()
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(user=member.user, kind=AuditEvent.Kind.SESSION_EXPIRED).exists()
    # Signed out for good: the next request is a stranger's.
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_post_from_before_is_refused_too(client, org):
    client.force_login(org.councillor.user)
    org.councillor.left_office_on = timezone.localdate() - timedelta(days=1)
    org.councillor.save()
    response = client.post(reverse("cases:enquiry_new"), {"subject": "Anything"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_on_their_last_day_they_still_use_the_portal(client, org):
    org.councillor.left_office_on = timezone.localdate()
    org.councillor.save()
    client.force_login(org.councillor.user)
    assert client.get(reverse("cases:my_enquiries")).status_code == 200


@pytest.mark.parametrize("days_ago", [0, 1, 400])
def test_they_cannot_sign_in_after_the_last_day(client, org, days_ago):
    member = org.councillor
    member.left_office_on = timezone.localdate() - timedelta(days=days_ago)
    member.save()
    response = client.post(reverse("login"), {"username": member.user.username, "password": PASSWORD})
    if days_ago == 0:
        assert response.status_code == 302  # the last day: signed in
    else:
        assert response.status_code == 200
        assert "Your access to the portal ended after" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_an_officer_who_left_is_signed_out_too(client, org):
    client.force_login(org.colleague.user)
    org.colleague.left_on = timezone.localdate() - timedelta(days=1)
    org.colleague.save()
    assert client.get(reverse("cases:my_work"))["Location"].startswith(reverse("login"))
    response = client.post(reverse("login"), {"username": org.colleague.user.username, "password": PASSWORD})
    assert "Your access to the portal ended after" in response.content.decode()
