"""The Content-Security-Policy in a real browser: the guard every journey runs under
(tests/browser/conftest.py) notices a violation, and the admin works under the policy."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import Page, expect

from people.roles import Role
from tests.browser.conftest import CspViolations
from tests.factories import PASSWORD, MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_guard_reports_inline_code_the_policy_blocks(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    violations = CspViolations(context)
    page = context.new_page()
    page.goto("/sign-in/")

    page.evaluate(
        """() => {
        const script = document.createElement('script');
        script.textContent = 'window.ranInline = true';
        document.head.appendChild(script);
        document.querySelector('h1').setAttribute('style', 'color: red');
    }"""
    )
    page.wait_for_timeout(200)  # the violation events are dispatched after the change

    assert page.evaluate("window.ranInline") is None  # the browser did block it
    context.close()
    text = "\n".join(violations)
    assert "script-src" in text, text
    assert "style-src" in text, text


def test_democratic_services_use_the_admin_under_the_policy(page: Page):
    administrator = UserFactory(username="democratic.services", is_staff=True)
    Group.objects.get_or_create(name=Role.DEMOCRATIC_SERVICES.label)[0].user_set.add(administrator)
    administrator.is_superuser = True  # the role groups' permissions are not re-made after a flush
    administrator.save()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#1d70b8").save(buffer, "PNG")
    member = MemberFactory(user__first_name="Priya", user__last_name="Shah")
    member.photo = SimpleUploadedFile("priya.png", buffer.getvalue())
    member.save()

    page.goto("/admin/")
    page.get_by_label("Username").fill("democratic.services")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Council organisation and accounts")).to_be_visible()

    page.get_by_role("link", name="Members", exact=True).first.click()
    page.get_by_role("link", name="Cllr Priya Shah").click()
    page.get_by_role("link", name=member.photo.name).click()
    expect(page).to_have_url(f"/members/{member.pk}/photo/")
    page.go_back()
    page.locator(".breadcrumbs").get_by_role("link", name="Members").click()
    page.get_by_role("link", name="Add member").click()
    expect(page.get_by_role("heading", name="Add member")).to_be_visible()
