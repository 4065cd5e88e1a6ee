"""A ward notice in a real browser (001 §9.4; DESIGN §6; issue 8's "done means"): `officer`
posts a consultation notice for two wards, and every member of both wards, of every
political group and none, sees it in "Notices for my wards"; the notice's page lists the
whole recipient set with the time each was told. axe-core checks every page on the way.

The consultation started yesterday, so the form warns (001 §9.4.5: members are consulted
at the start) and the officer confirms before it is sent; the notice says it was late.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import WardNotice
from people.services import role_groups_sync
from tests.browser.accessibility import Accessibility
from tests.factories import PASSWORD, MemberFactory, OfficerFactory, PoliticalGroupFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def council(org):
    """Castle Hill (two Conservatives and a Liberal Democrat) and Millbrook (two Labour
    councillors and an independent), as in the demo council, and the demo's `officer`."""
    groups = {name: PoliticalGroupFactory(name=name) for name in ("Conservative", "Liberal Democrats", "Labour")}
    castle_hill, millbrook = WardFactory(name="Castle Hill"), WardFactory(name="Millbrook")

    def member(username, first, last, ward, group):
        return MemberFactory(
            user__username=username,
            user__first_name=first,
            user__last_name=last,
            wards=[ward],
            group=groups[group] if group else None,
        )

    members = {
        "con.one": member("con.one", "Oliver", "Grant", castle_hill, "Conservative"),
        "con.two": member("con.two", "Harriet", "Lowe", castle_hill, "Conservative"),
        "libdem": member("libdem", "Nia", "Evans", castle_hill, "Liberal Democrats"),
        "lab.one": member("lab.one", "Samir", "Khan", millbrook, "Labour"),
        "lab.two": member("lab.two", "Grace", "Booth", millbrook, "Labour"),
        "independent": member("independent", "Margaret", "Doyle", millbrook, None),
    }
    OfficerFactory(
        user__username="officer",
        user__first_name="Jamie",
        user__last_name="Collins",
        job_title="Highways Inspector",
        service=org.highways,
        line_manager=org.head,
    )
    role_groups_sync()
    return members


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_a_consultation_notice_reaches_every_member_of_both_wards_whatever_their_group(page: Page, org, council):
    audit = Accessibility(page)
    started = timezone.localdate() - timedelta(days=1)

    # --- The officer sends it ---------------------------------------------------------------
    sign_in(page, "officer")
    page.get_by_role("link", name="Ward notices", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notices I have sent")
    audit.check("notices I have sent, none yet")
    page.get_by_role("link", name="Send a ward notice").click()
    audit.check("send a ward notice")

    page.get_by_role("button", name="Send notice to ward members").click()
    expect(page).to_have_title(re.compile(r"^Error: Send a ward notice"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the wards the notice is for")
    audit.check("send a ward notice, sent empty")

    page.get_by_label("A public consultation").check()
    page.get_by_label("Castle Hill").check()
    page.get_by_label("Millbrook").check()
    page.get_by_label("Title").fill("Consultation on the school streets scheme")
    page.get_by_label("Day").fill(str(started.day))
    page.get_by_label("Month").fill(str(started.month))
    page.get_by_label("Year").fill(str(started.year))
    page.get_by_label("Summary").fill("Timed closures outside two primary schools. The consultation runs six weeks.")
    page.get_by_role("button", name="Send notice to ward members").click()

    # 001 §9.4.5: it started yesterday, so the form warns and asks to confirm.
    expect(page.locator(".govuk-warning-text")).to_contain_text("This consultation has already started")
    expect(page.locator(".govuk-error-summary")).to_contain_text("confirm that you want to send it now")
    assert not WardNotice.objects.exists()
    audit.check("send a ward notice, late consultation warning")
    # What was typed is kept (the wards stay ticked); the officer confirms and sends.
    expect(page.get_by_label("Castle Hill")).to_be_checked()
    page.get_by_label("Send it now, and record that it was sent after the consultation started").check()
    page.get_by_role("button", name="Send notice to ward members").click()

    notice = WardNotice.objects.get()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Ward notice {notice.reference} sent to 6 councillors"
    )
    expect(page.locator(".govuk-caption-l")).to_have_text(notice.reference)
    expect(page.locator("main")).to_contain_text("Sent late")
    audit.check("the ward notice, as its sender sees it")

    # The whole recipient set, of every group and none, each with the time they were told.
    rows = page.locator("#recipients tbody tr")
    expect(rows).to_have_count(6)
    told_at = timezone.localtime(notice.sent_at).strftime("%-d %B %Y, %H:%M")
    groups = {"con.one": "Conservative", "con.two": "Conservative", "libdem": "Liberal Democrats"}
    groups |= {"lab.one": "Labour", "lab.two": "Labour", "independent": "Independent"}
    for username, member in council.items():
        row = rows.filter(has_text=member.user.get_full_name())
        expect(row).to_have_count(1)
        expect(row).to_contain_text(groups[username])
        expect(row).to_contain_text("Castle Hill" if username in ("con.one", "con.two", "libdem") else "Millbrook")
        expect(row).to_contain_text(told_at)

    page.get_by_role("link", name="Back to notices you have sent").click()
    expect(page.get_by_role("link", name=notice.reference)).to_be_visible()
    audit.check("notices I have sent, one")
    sign_out(page)

    # --- Every member of both wards sees it; one of each group in each ward signs in ----------
    for username in ("con.one", "libdem", "lab.one", "independent", "con.two", "lab.two"):
        sign_in(page, username)
        page.get_by_role("link", name="Ward notices", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Notices for my wards")
        page.get_by_role("link", name=notice.reference).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Consultation on the school streets scheme")
        expect(page.locator("#recipients tbody tr")).to_have_count(6)
        if username == "con.one":
            page.go_back()
            audit.check("notices for my wards (councillor)")
            page.go_forward()
            audit.check("the ward notice, as a ward member sees it")
        # It is in their notifications too.
        page.get_by_role("link", name=re.compile(r"^Notifications")).click()
        expect(page.get_by_role("link", name=re.compile(notice.reference))).to_be_visible()
        sign_out(page)

    # --- A councillor for another ward does not -----------------------------------------------
    sign_in(page, "councillor")
    page.get_by_role("link", name="Ward notices", exact=True).click()
    expect(page.locator("main")).to_contain_text("There are no notices for your wards yet.")
    audit.check("notices for my wards, none")
    assert page.goto(notice.get_absolute_url()).status == 404

    audit.assert_no_violations()
