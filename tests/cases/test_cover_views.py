"""The cover pages (issue 15 C11) through Django's test client: "Cover while I am away" for
the officer, the line manager's page for a report, ending a cover early, and My work's
section. Each with the three people: the officer, a colleague, an outsider."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.cover.services import cover_end
from people.models import Cover
from tests.cases.covering import cover
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def signed_in(client, person):
    client.force_login(person.user if hasattr(person, "user") else person)
    return client


def dates(name: str, day) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def cover_data(colleague, *, first=None, last=None, **extra) -> dict:
    first = first or today() + timedelta(days=1)
    return {"covered_by": colleague.pk, **dates("starts_on", first), **dates("ends_on", last or first), **extra}


def options(html: str) -> list[str]:
    select = re.search(r'<select name="covered_by".*?</select>', html, re.S)
    assert select, "no picker"
    return re.findall(r'<option value="(\d+)"', select.group(0))


def banner(client, response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]).content.decode()


# --- The officer's own page -------------------------------------------------------------------------


def test_an_officer_sets_up_cover_on_their_own_page(client, org):
    url = reverse("cases:cover")
    html = signed_in(client, org.liaison).get(url).content.decode()
    assert '<h1 class="govuk-heading-l">Cover while I am away</h1>' in html
    assert "Nobody covers for you" in html
    picker = options(html)
    assert str(org.colleague.pk) in picker and str(org.outsider.pk) in picker
    assert str(org.liaison.pk) not in picker  # never themselves

    first = today() + timedelta(days=1)
    page = banner(client, client.post(url, cover_data(org.colleague, first=first, last=first + timedelta(days=2))))

    made = Cover.objects.get()
    assert (made.officer, made.covered_by, made.created_by) == (org.liaison, org.colleague, org.liaison.user)
    assert f"{org.colleague.name} will cover for you" in page
    assert "You and" in page and "have been told by e-mail" in page
    assert reverse("cases:cover_end", args=[made.pk]) in page  # the cover, with a way to cancel it


def test_the_picker_leaves_out_leavers_and_accounts_that_cannot_sign_in(client, org):
    org.outsider.left_on = today() - timedelta(days=1)
    org.outsider.save()
    org.other_head.user.is_active = False
    org.other_head.user.save()
    picker = options(signed_in(client, org.liaison).get(reverse("cases:cover")).content.decode())
    assert str(org.outsider.pk) not in picker and str(org.other_head.pk) not in picker
    response = client.post(reverse("cases:cover"), cover_data(org.outsider))
    assert "Choose a colleague from the list" in response.content.decode()


def test_a_form_sent_empty_shows_the_error_summary(client, org):
    response = signed_in(client, org.liaison).post(reverse("cases:cover"), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Cover while I am away" in html
    assert "There is a problem" in html
    for message in ("Choose the colleague who will cover", "Enter the first day", "Enter the last day"):
        assert message in html
    assert not Cover.objects.exists()


def test_the_rules_show_as_gov_uk_errors(client, org):
    cover(org.liaison, org.colleague, starts_on=today() + timedelta(days=1), ends_on=today() + timedelta(days=3))
    response = signed_in(client, org.liaison).post(
        reverse("cases:cover"), cover_data(org.outsider, first=today() + timedelta(days=2))
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert f"{org.liaison.name} already has cover" in html
    assert 'href="#id_starts_on_0"' in html  # the summary links to the first day's input
    response = client.post(reverse("cases:cover"), cover_data(org.colleague, first=today() - timedelta(days=1)))
    assert "The first day must be today or later" in response.content.decode()


def test_a_form_sent_twice_sets_up_one_cover(client, org):
    data = cover_data(org.colleague, submission_key="0b7c4f1e-9f0a-4c83-9d5e-3a1f6b2c8d90")
    signed_in(client, org.liaison)
    banner(client, client.post(reverse("cases:cover"), data))  # shows, and so clears, the first's message
    page = banner(client, client.post(reverse("cases:cover"), data))
    assert Cover.objects.count() == 1
    assert "You have already set up this cover" in page


def test_the_page_shows_whom_the_officer_covers_for(client, org):
    cover(org.outsider, org.liaison, starts_on=today(), ends_on=today() + timedelta(days=2))
    html = signed_in(client, org.liaison).get(reverse("cases:cover")).content.decode()
    assert "You are covering for" in html
    assert org.outsider.name in html
    assert "I cannot cover" in html


@pytest.mark.parametrize("who", ["councillor", "stranger"])
def test_the_page_is_for_serving_officers(client, org, who):
    assert signed_in(client, getattr(org, who)).get(reverse("cases:cover")).status_code == 403


def test_an_officer_who_has_left_cannot_set_up_cover(client, org):
    org.liaison.left_on = today() - timedelta(days=1)
    org.liaison.save()
    client.force_login(org.liaison.user)
    assert client.get(reverse("cases:cover")).status_code in (302, 403)  # access ended, or refused


def test_someone_not_signed_in_is_sent_to_sign_in(client, org):
    response = client.get(reverse("cases:cover"))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


# --- The line manager's page for a report ------------------------------------------------------------


def test_the_line_manager_sees_their_team_and_sets_up_cover_for_a_report(client, org):
    html = signed_in(client, org.head).get(reverse("cases:cover")).content.decode()
    assert "Your team" in html
    url = reverse("cases:cover_for", args=[org.liaison.pk])
    assert url in html and reverse("cases:cover_for", args=[org.colleague.pk]) in html

    html = client.get(url).content.decode()
    assert f"Cover while {org.liaison.name} is away" in html
    page = banner(client, client.post(url, cover_data(org.colleague)))

    made = Cover.objects.get()
    assert (made.officer, made.covered_by, made.created_by) == (org.liaison, org.colleague, org.head.user)
    assert f"{org.liaison.name} and {org.colleague.name} have been told by e-mail" in page
    # The report sees it on their own page.
    html = signed_in(client, org.liaison).get(reverse("cases:cover")).content.decode()
    assert org.colleague.name in html


@pytest.mark.parametrize("who", ["colleague", "outsider", "assistant", "councillor"])
def test_only_the_line_manager_may_use_a_reports_page(client, org, who):
    url = reverse("cases:cover_for", args=[org.liaison.pk])
    signed_in(client, getattr(org, who))
    assert client.get(url).status_code == 403
    assert client.post(url, cover_data(org.colleague)).status_code == 403
    assert not Cover.objects.exists()


def test_an_officers_own_id_leads_to_their_own_page_and_an_unknown_one_is_not_found(client, org):
    signed_in(client, org.liaison)
    response = client.get(reverse("cases:cover_for", args=[org.liaison.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("cases:cover"))
    assert client.get(reverse("cases:cover_for", args=[999999])).status_code == 404


# --- Ending a cover early ------------------------------------------------------------------------------


@pytest.fixture
def in_force(org):
    return cover(org.liaison, org.colleague, starts_on=today(), ends_on=today() + timedelta(days=4))


@pytest.mark.parametrize("who", ["liaison", "head", "colleague"])
def test_the_officer_their_manager_or_the_colleague_ends_a_cover_early(client, org, in_force, who):
    url = reverse("cases:cover_end", args=[in_force.pk])
    html = signed_in(client, getattr(org, who)).get(url).content.decode()
    assert "End cover early" in html and "End the cover now" in html
    page = banner(client, client.post(url, {"version": in_force.version}))
    in_force.refresh_from_db()
    assert in_force.ends_on == today() - timedelta(days=1)
    assert "has ended" in page


def test_a_cover_yet_to_start_is_cancelled(client, org):
    later = cover(
        org.liaison, org.colleague, starts_on=today() + timedelta(days=3), ends_on=today() + timedelta(days=4)
    )
    url = reverse("cases:cover_end", args=[later.pk])
    assert "Cancel the cover" in signed_in(client, org.liaison).get(url).content.decode()
    assert "is cancelled" in banner(client, client.post(url, {"version": later.version}))
    later.refresh_from_db()
    assert later.ends_on < later.starts_on


def test_ending_a_cover_someone_else_changed_says_so(client, org, in_force):
    url = reverse("cases:cover_end", args=[in_force.pk])
    signed_in(client, org.liaison).get(url)
    cover_end(cover=in_force, actor=org.head.user)
    page = banner(client, client.post(url, {"version": 1}))
    assert "was changed by someone else" in page


def test_ending_a_cover_already_over_shows_an_error(client, org, in_force):
    cover_end(cover=in_force, actor=org.head.user)
    in_force.refresh_from_db()
    response = signed_in(client, org.liaison).post(
        reverse("cases:cover_end", args=[in_force.pk]), {"version": in_force.version}
    )
    assert "This cover is already over" in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "assistant", "councillor", "stranger"])
def test_nobody_else_learns_of_a_cover(client, org, in_force, who):
    url = reverse("cases:cover_end", args=[in_force.pk])
    signed_in(client, getattr(org, who))
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": in_force.version}).status_code == 404
    in_force.refresh_from_db()
    assert in_force.ends_on == today() + timedelta(days=4)
    assert client.get(reverse("cases:cover_end", args=[999999])).status_code == 404


# --- My work --------------------------------------------------------------------------------------------


def test_my_work_says_who_covers_for_whom_and_links_to_the_cover_page(client, org, in_force):
    html = signed_in(client, org.liaison).get(reverse("cases:my_work")).content.decode()
    assert "Cover while I am away" in html
    assert f"{org.colleague.name} is covering for you" in html
    assert reverse("cases:cover") in html
    html = signed_in(client, org.colleague).get(reverse("cases:my_work")).content.decode()
    assert f"You are covering for {org.liaison.name}" in html
    html = signed_in(client, org.outsider).get(reverse("cases:my_work")).content.decode()
    assert "Nobody covers for you, and you cover for nobody" in html
    assert org.liaison.name not in html


def test_a_planner_elsewhere_in_the_council_can_be_chosen(client, org):
    planner = OfficerFactory(user__username="planner", job_title="Planner")
    picker = options(signed_in(client, org.liaison).get(reverse("cases:cover")).content.decode())
    assert str(planner.pk) in picker
