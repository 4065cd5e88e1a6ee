"""Session time limits (docs/security.md): signed out after 30 minutes without a page,
and 12 hours after signing in however busy, told why on the sign-in page."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import AuditEvent
from protocol_portal.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

IDLE = "You have been signed out because you had not used the portal for 30 minutes. Sign in again to carry on."
TOO_LONG = "You have been signed out because you signed in more than 12 hours ago. Sign in again to carry on."


@contextmanager
def clock(start, **delta):
    """Django's clock moved to ``start + delta``."""
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(**delta)):
        yield


@pytest.fixture
def jo(client):
    user = UserFactory(username="jo")
    client.post(reverse("login"), {"username": "jo", "password": PASSWORD})
    return user


def test_it_signs_out_after_thirty_minutes_without_a_page_and_says_why(client, jo):
    start = timezone.now()
    with clock(start, minutes=29):
        assert client.get(reverse("home")).status_code == 200

    with clock(start, minutes=59, seconds=1):
        response = client.get(reverse("two_factor"), follow=True)

    assert response.redirect_chain == [(f"{reverse('login')}?next=/account/two-factor/", 302)]
    assert IDLE in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SESSION_EXPIRED)
    assert (event.user, event.detail) == (jo, "you had not used the portal for 30 minutes")


def test_it_keeps_a_busy_session_until_twelve_hours_after_signing_in(client, jo):
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):
        with clock(start, minutes=minutes):
            assert client.get(reverse("home")).status_code == 200, f"signed out after {minutes} minutes"

    with clock(start, hours=12, seconds=1):
        response = client.get(reverse("home"), follow=True)

    assert TOO_LONG in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_the_limits_come_from_the_settings(client, jo, settings):
    settings.SESSION_INACTIVITY_TIMEOUT = timedelta(minutes=5)
    start = timezone.now()

    with clock(start, minutes=5, seconds=1):
        response = client.get(reverse("home"), follow=True)

    assert "because you had not used the portal for 5 minutes" in response.content.decode()


def test_a_page_writes_the_session_at_most_once_a_minute(client, jo):
    first_seen = client.session[LAST_SEEN_AT]
    assert client.session[SIGNED_IN_AT] == first_seen

    client.get(reverse("home"))
    assert client.session[LAST_SEEN_AT] == first_seen

    start = timezone.now()
    with clock(start, minutes=2):
        client.get(reverse("home"))
    assert client.session[LAST_SEEN_AT] == pytest.approx((start + timedelta(minutes=2)).timestamp())
    assert client.session[SIGNED_IN_AT] == first_seen
