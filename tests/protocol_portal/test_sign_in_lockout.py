"""Brute force at the sign-in page (django-axes): five failures lock the username and the
address for fifteen minutes, and the sign-in page says so (docs/security.md)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.db.models import F
from django.urls import reverse

from people.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED_OUT = "There have been too many failed attempts to sign in with this username or from this network."
ATTACKER, OFFICE, HOME = "203.0.113.7", "198.51.100.20", "192.0.2.44"


@pytest.fixture(autouse=True)
def lockout_on(settings):
    settings.AXES_ENABLED = True


def sign_in(client, username: str, password: str, *, ip: str):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in_as(client) -> str | None:
    user = client.get(reverse("home")).wsgi_request.user
    return user.username if user.is_authenticated else None


def assert_locked_out(response) -> None:
    assert response.status_code == 429
    html = response.content.decode()
    assert "<title>Error: Sign in" in html
    assert 'class="govuk-error-summary"' in html
    assert LOCKED_OUT in html
    assert "Wait 15 minutes, then try again." in html


def move_attempts_back(**delta) -> None:
    """As if the failures happened this much earlier (axes compares attempt_time with its cool-off)."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(**delta))


def test_it_locks_a_username_after_five_wrong_passwords_even_for_the_right_password(client):
    UserFactory(username="jo")
    for attempt in range(4):
        assert sign_in(client, "jo", f"guess-{attempt}", ip=ATTACKER).status_code == 200

    assert_locked_out(sign_in(client, "jo", "guess-4", ip=ATTACKER))
    # The sixth, with the right password and from another address, is refused too.
    assert_locked_out(sign_in(client, "jo", PASSWORD, ip=OFFICE))
    assert signed_in_as(client) is None


def test_it_locks_an_address_after_five_wrong_passwords_whatever_the_usernames(client):
    UserFactory(username="sam")
    for name in ["ann", "bob", "cat", "dan", "eve"]:
        sign_in(client, name, "guess", ip=ATTACKER)

    assert_locked_out(sign_in(client, "sam", PASSWORD, ip=ATTACKER))
    assert signed_in_as(client) is None

    # sam is not locked: from another address the password works.
    assert sign_in(client, "sam", PASSWORD, ip=HOME).status_code == 302
    assert signed_in_as(client) == "sam"


def test_it_lets_the_username_in_again_after_fifteen_minutes(client):
    UserFactory(username="jo")
    for attempt in range(6):
        sign_in(client, "jo", f"guess-{attempt}", ip=ATTACKER)

    move_attempts_back(minutes=14)
    assert_locked_out(sign_in(client, "jo", PASSWORD, ip=OFFICE))

    # Each try while locked out starts the fifteen minutes again.
    move_attempts_back(minutes=15, seconds=1)
    assert sign_in(client, "jo", PASSWORD, ip=OFFICE).status_code == 302
    assert signed_in_as(client) == "jo"


def test_a_successful_sign_in_clears_the_count(client):
    UserFactory(username="jo")
    for attempt in range(4):
        sign_in(client, "jo", f"guess-{attempt}", ip=OFFICE)
    assert sign_in(client, "jo", PASSWORD, ip=OFFICE).status_code == 302
    client.post(reverse("logout"))

    for attempt in range(4):
        assert sign_in(client, "jo", f"typo-{attempt}", ip=OFFICE).status_code == 200
    assert sign_in(client, "jo", PASSWORD, ip=OFFICE).status_code == 302
    assert signed_in_as(client) == "jo"


def test_it_offers_the_sign_in_form_again_on_the_lockout_page(client):
    UserFactory(username="jo")
    for attempt in range(5):
        response = sign_in(client, "jo", f"guess-{attempt}", ip=ATTACKER)

    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert 'name="username"' in html and 'name="password"' in html
    assert "If you have forgotten your password, contact Democratic Services." in html


def test_it_takes_the_client_address_from_the_proxy_behind_tls(client, settings):
    # Behind the proxy every request comes from the proxy: locking its address would lock everyone.
    settings.BEHIND_TLS_PROXY = True
    UserFactory(username="sam")
    proxy = "10.0.0.2"
    for name in ["ann", "bob", "cat", "dan", "eve"]:
        client.post(
            reverse("login"),
            {"username": name, "password": "guess"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}",
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    response = client.post(
        reverse("login"), {"username": "sam", "password": PASSWORD}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=HOME
    )
    assert response.status_code == 302


def test_democratic_services_can_lift_a_lockout_early(client):
    UserFactory(username="jo")
    administrator = UserFactory(username="democratic.services", is_staff=True)
    administrator.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES.label))
    for attempt in range(5):
        sign_in(client, "jo", f"guess-{attempt}", ip=OFFICE)

    client.force_login(administrator)
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "jo" in changelist.content.decode()
    attempt = AccessAttempt.objects.get(username="jo")
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    client.post(reverse("logout"))

    assert sign_in(client, "jo", PASSWORD, ip=OFFICE).status_code == 302
