"""Hostile input at signing in, giving a two-factor code and changing a password: a validation message or a
redirect to a page of the portal, never a 500 and never a redirect to another site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from protocol_portal.forms import PortalAuthenticationForm, PortalPasswordChangeForm, TwoFactorCodeForm
from tests.factories import PASSWORD
from tests.fuzz.harness import assert_handled, rolled_back, signed_in
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import form_data, hostile_text

pytestmark = pytest.mark.django_db

COVERS = {PortalAuthenticationForm, PortalPasswordChangeForm, TwoFactorCodeForm}

NEXT = ["/enquiries/", "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
NEXT += ["http://testserver@evil.example/", "/%0d%0aSet-Cookie:x=1", "\x00/", "/" + "a" * 5000]


def assert_stays_here(response) -> None:
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        assert not location.netloc and location.path.startswith("/"), response["Location"]


@fuzz(20)
@given(data=st.data())
def test_signing_in(client, org, data):
    base = {"username": "councillor", "password": PASSWORD}
    sent = data.draw(
        form_data(base, {"username": hostile_text(150), "password": hostile_text(), "next": st.sampled_from(NEXT)}),
        label="form",
    )
    with rolled_back():
        response = client.post(reverse("login"), sent)
        assert_handled(response, sent)
        assert_stays_here(response)


@fuzz(20)
@given(data=st.data())
def test_changing_a_password(client, org, data):
    signed_in(client, org.councillor)
    new = "a much longer passphrase 7"
    base = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    hostile = {"old_password": hostile_text(), "new_password1": hostile_text(), "new_password2": hostile_text()}
    sent = data.draw(form_data(base, hostile), label="form")
    with rolled_back():
        response = client.post(reverse("password_change"), sent)
        assert_handled(response, sent)
        assert_stays_here(response)


CODES = st.one_of(hostile_text(40), st.text(alphabet="0123456789 ", max_size=12), st.just("123456"))


@fuzz(20)
@given(data=st.data())
def test_setting_up_two_factor_sign_in(client, org, data):
    signed_in(client, org.councillor)
    sent = data.draw(form_data({"code": "123456"}, {"code": CODES}), label="form")
    with rolled_back():
        response = client.post(reverse("two_factor_setup"), sent)
        # A code is never right by chance here (the key is new): the page says what is wrong.
        assert_handled(response, sent)
        assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


@fuzz(20)
@given(data=st.data())
def test_giving_a_two_factor_code(client, org, settings, data):
    settings.TWO_FACTOR_ENFORCED = True
    TOTPDevice.objects.get_or_create(user=org.councillor.user, defaults={"name": "Phone", "confirmed": True})
    signed_in(client, org.councillor)
    sent = data.draw(form_data({"code": "123456"}, {"code": CODES}), label="form")
    with rolled_back():
        response = client.post(reverse("two_factor_verify"), sent)
        assert_handled(response, sent)
        assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
