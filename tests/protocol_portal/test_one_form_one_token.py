"""Each form carries one CSRF token, and no form sits inside another (issue 15 C17).

The sign-in page rendered two CSRF inputs: its template's and crispy-forms' own. The
templates hold the <form> and its token, so the form helpers render neither.
"""

import re

import pytest
from django.urls import reverse

from cases.enquiries import services
from cases.models import Purpose

pytestmark = pytest.mark.django_db


def forms_on(html: str) -> list[str]:
    return re.findall(r"<form\b.*?</form>", html, flags=re.DOTALL)


def assert_one_token_per_form(html: str, page: str) -> None:
    posts = [form for form in forms_on(html) if 'method="post"' in form.split(">", 1)[0]]
    assert posts, f"{page}: no form"
    for form in posts:
        assert form.count('name="csrfmiddlewaretoken"') == 1, f"{page}: {form.count('csrfmiddlewaretoken')} tokens"
        assert form.count("<form") == 1, f"{page}: a form inside a form"


def test_the_sign_in_and_password_pages(client, org):
    assert_one_token_per_form(client.get(reverse("login")).content.decode(), "sign in")
    client.force_login(org.liaison.user)
    assert_one_token_per_form(client.get(reverse("password_change")).content.decode(), "change password")
    assert_one_token_per_form(client.get(reverse("two_factor_setup")).content.decode(), "two-factor set-up")


def test_the_case_forms(client, org):
    client.force_login(org.councillor.user)
    assert_one_token_per_form(client.get(reverse("cases:enquiry_new")).content.decode(), "file an enquiry")
    assert_one_token_per_form(client.get(reverse("cases:concern_new")).content.decode(), "raise a concern")
    enquiry = services.enquiry_file(
        member=org.councillor,
        subject="Pothole",
        details="Mill Lane.",
        service=org.highways,
        purpose=Purpose.INFORMATION,
    )
    client.force_login(org.liaison.user)
    for name in ("enquiry_hold", "enquiry_answer", "enquiry_move"):
        html = client.get(reverse(f"cases:{name}", args=[enquiry.reference])).content.decode()
        assert_one_token_per_form(html, name)
