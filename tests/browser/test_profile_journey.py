"""The directory and a councillor's profile in a real browser (003): ``councillor`` finds
their Councillor Liaison Officer, edits their profile and sees the change; Democratic
Services changes the record and records that a councillor leaves office, handing their
enquiry to a ward colleague. axe-core checks every page on the way against WCAG 2.2 AA."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from cases.enquiries import services
from cases.models import Enquiry, Purpose
from people.roles import Role, role_group_name
from tests.browser.accessibility import Accessibility
from tests.factories import MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_a_councillor_edits_their_profile_and_democratic_services_records_a_leaver(page: Page, org, tmp_path):
    audit = Accessibility(page)
    org.councillor.user.first_name, org.councillor.user.last_name = "Aisha", "Rahman"
    org.councillor.user.save()
    colleague = MemberFactory(user__first_name="Daniel", user__last_name="Okafor", wards=[org.ward])
    enquiry = services.enquiry_file(
        member=org.councillor,
        subject="Pothole on Mill Lane",
        details="When?",
        service=org.highways,
        purpose=Purpose.INFORMATION,
    )

    # --- The councillor finds their liaison officer, then edits their profile ----------
    sign_in(page, "councillor")
    page.get_by_role("link", name="Directory", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Officer directory")
    audit.check("officer directory")
    page.get_by_label("Search by name, job title or service").fill("Highways")
    page.get_by_role("button", name="Search").click()
    row = page.get_by_role("row").filter(has_text=org.liaison.name)
    expect(row).to_contain_text("Councillor Liaison Officer")
    audit.check("officer directory, searched")
    page.get_by_role("link", name="Councillor Liaison Officers", exact=True).click()
    expect(page.locator("main")).to_contain_text(org.liaison.name)
    audit.check("liaison officers")
    page.get_by_role("link", name="Councillors", exact=True).click()
    audit.check("councillors")
    page.get_by_role("link", name="Your profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cllr Aisha Rahman")
    audit.check("own profile")
    page.get_by_role("link", name="Edit your profile").click()
    audit.check("edit profile")

    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Save your profile").click()
    expect(page).to_have_title(re.compile(r"^Error: Edit your profile"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address in the correct format")
    audit.check("edit profile, with errors")

    page.get_by_label("Email address").fill("aisha.rahman@example.org")
    page.get_by_label("Telephone number").fill("07700 900321")
    page.get_by_label("Skills, interests and expertise").fill("Chartered accountant; school governor")
    photo = tmp_path / "aisha.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "#1d70b8").save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())
    page.get_by_label("Photograph").set_input_files(str(photo))
    page.get_by_role("button", name="Save your profile").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your profile has been saved.")
    main = page.locator("main")
    expect(main).to_contain_text("07700 900321")
    expect(main).to_contain_text("Chartered accountant; school governor")
    expect(main).to_contain_text("aisha.rahman@example.org")
    expect(page.get_by_role("img", name="Photograph of Cllr Aisha Rahman")).to_be_visible()
    assert page.evaluate("document.querySelector('main img').naturalWidth") == 40
    audit.check("own profile, edited")
    sign_out(page)

    # --- Democratic Services: the record, then the councillor leaves office ------------
    clerk = UserFactory(username="democratic.services", first_name="Linn", last_name="Ashmore")
    clerk.groups.add(Group.objects.get(name=role_group_name(Role.DEMOCRATIC_SERVICES)))
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("democratic.services")
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/councillors/{org.councillor.pk}/")
    audit.check("profile (Democratic Services)")
    page.get_by_role("link", name=re.compile("Change group, wards, committees")).click()
    audit.check("councillor's record")
    page.get_by_label("Year").fill("2023")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Day").fill("4")
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator("main")).to_contain_text("4 May 2023")

    page.get_by_role("link", name="Record that Cllr Aisha Rahman leaves office").click()
    audit.check("leave office")
    page.get_by_role("button", name="Record that they leave office").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the last day in office")
    audit.check("leave office, with errors")
    today = timezone.localdate()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_label("Hand it to another councillor").check()
    expect(page.get_by_label(f"Councillor who takes on {enquiry.reference}")).to_have_value(str(colleague.pk))
    page.get_by_role("button", name="Record that they leave office").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("leaves office on")
    assert Enquiry.objects.get(pk=enquiry.pk).member == colleague
    audit.assert_no_violations()
