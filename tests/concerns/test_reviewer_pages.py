"""A stage-3 reviewer's pages (issue 15 C13; 000 §VIII): the concern's page says what part they
take and names everyone reviewing it and who leads; they add a note, with the GOV.UK error
summary for an empty or too long one and their words kept when someone else acted first; once
they leave the role, or the review has ended, the page and the server say why they cannot.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.concerns import services as cs
from cases.models import Concern, TimelineEvent
from people.models import Committee
from protocol_portal.kit.forms import TEXT_MAX_LENGTH
from tests.concerns.test_views import buttons

pytestmark = pytest.mark.django_db


def signed_in(client, person):
    client.force_login(person.user if hasattr(person, "user") else person)
    return client


def note_url(concern: Concern) -> str:
    return reverse("cases:concern_note", args=[concern.reference])


def text(html: str) -> str:
    """The words of a page, tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def at_review(org, **kwargs) -> Concern:
    defaults = {
        "raised_by": org.liaison.user,
        "about_member": org.councillor,
        "occurred_on": timezone.localdate() - timedelta(days=2),
        "what_happened": "Shouted at me in the council chamber.",
        "feels_able_to_talk": False,
    }
    concern = cs.concern_raise(**{**defaults, **kwargs})
    return cs.concern_escalate(concern=concern, actor=concern.owner.user, reason="It carried on.")


@pytest.fixture
def reviewed(org, whip):
    return at_review(org)


def test_the_whip_sees_their_part_who_reviews_it_and_a_button_to_add_a_note(client, org, whip, reviewed):
    html = signed_in(client, whip).get(reviewed.get_absolute_url()).content.decode()

    assert buttons(html) == ["Add a note"]
    words = text(html)
    assert (
        f"You are reviewing this concern as Whip, Civic Party, with {org.monitoring.name}, Monitoring Officer, "
        "who leads the review (000 §VIII)." in words
    )
    assert f"Reviewed by {org.monitoring.name}, Monitoring Officer: leads the review {whip}, Whip, Civic Party" in words
    assert "Handled by" not in words


def test_the_monitoring_officer_reads_who_reviews_it(client, org, whip, reviewed):
    words = text(signed_in(client, org.monitoring).get(reviewed.get_absolute_url()).content.decode())
    assert f"{whip}, Whip, Civic Party" in words
    assert "You are reviewing this concern" not in words


def test_the_chair_of_standards_and_the_director_of_people_services_see_their_parts(
    client, org, independent, chair_of_standards, people_director
):
    about_independent = at_review(org, about_member=independent)
    words = text(signed_in(client, chair_of_standards).get(about_independent.get_absolute_url()).content.decode())
    assert "You are reviewing this concern as Chair of the Standards Committee, for an independent councillor" in words

    about_officer = at_review(org, raised_by=org.councillor.user, about_member=None, about_officer=org.liaison)
    page = signed_in(client, people_director).get(about_officer.get_absolute_url()).content.decode()
    assert buttons(page) == ["Add a note"]
    words = text(page)
    assert "You are reviewing this concern as Director of People Services" in words
    assert f"{org.head.name}, Line manager of {org.liaison.name}" in words
    words = text(signed_in(client, org.head).get(about_officer.get_absolute_url()).content.decode())
    assert f"You are reviewing this concern as Line manager of {org.liaison.name}" in words


def test_the_complainant_is_not_told_who_reviews_it(client, org, whip, reviewed):
    words = text(signed_in(client, org.liaison).get(reviewed.get_absolute_url()).content.decode())
    assert f"Handled by {org.monitoring.name}, Monitoring Officer" in words
    assert "Reviewed by" not in words and str(whip) not in words


def test_the_whip_adds_a_note_that_the_monitoring_officer_reads(client, org, whip, reviewed):
    page = signed_in(client, whip).get(note_url(reviewed)).content.decode()
    assert f'name="version" value="{reviewed.version}"' in page
    assert "Notes are read by the Monitoring Officer and deputies, and " in text(page)
    assert "Neither the person who raised the concern nor the person it is about sees them" in text(page)

    response = client.post(
        note_url(reviewed), {"version": reviewed.version, "note": "Spoke to him at group; he accepts it."}, follow=True
    )

    assert response.redirect_chain == [(reviewed.get_absolute_url(), 302)]
    assert "Note added." in response.content.decode()
    (note,) = reviewed.timeline.filter(kind=TimelineEvent.Kind.NOTE)
    assert (note.actor, note.internal) == (whip.user, True)
    assert "Spoke to him at group; he accepts it." in (
        signed_in(client, org.monitoring).get(reviewed.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("note", "error"),
    [
        ("", "Enter the note"),
        (" \n\t ", "Enter the note"),
        ("x" * (TEXT_MAX_LENGTH + 1), f"Shorten this text to {TEXT_MAX_LENGTH:,} characters or fewer"),
    ],
    ids=["empty", "blank", "too long"],
)
def test_it_shows_the_error_summary_for_an_empty_or_too_long_note(client, whip, reviewed, note, error):
    response = signed_in(client, whip).post(note_url(reviewed), {"version": reviewed.version, "note": note})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add a note" in html
    assert f'<a href="#id_note">{error}' in html
    assert not reviewed.timeline.filter(kind=TimelineEvent.Kind.NOTE).exists()


def test_a_note_written_while_someone_else_acted_is_kept_and_can_be_sent_again(client, org, whip, reviewed):
    loaded = reviewed.version
    cs.concern_note_add(concern=reviewed, actor=org.monitoring.user, note="Meeting him on Friday.")
    reviewed.refresh_from_db()

    response = signed_in(client, whip).post(note_url(reviewed), {"version": loaded, "note": "He has apologised."})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f"{reviewed.reference} has changed since you opened this page. Your note has not been added yet" in html
    assert "He has apologised.</textarea>" in html
    assert f'name="version" value="{reviewed.version}"' in html
    assert not reviewed.timeline.filter(actor=whip.user, kind=TimelineEvent.Kind.NOTE).exists()

    again = client.post(note_url(reviewed), {"version": reviewed.version, "note": "He has apologised."})
    assert again.status_code == 302
    assert reviewed.timeline.filter(actor=whip.user, note="He has apologised.").exists()


def test_a_whip_who_left_the_role_reads_the_concern_but_is_told_they_can_no_longer_add_notes(
    client, org, whip, reviewed
):
    org.councillor.group.whips.remove(whip)
    signed_in(client, whip)

    words = text(client.get(reviewed.get_absolute_url()).content.decode())
    assert "You joined this review, but you no longer hold the role in which you joined it" in words
    assert f"{whip}: joined the review, no longer in that role" in words
    assert "Add a note" not in words

    for response in (client.get(note_url(reviewed)), client.post(note_url(reviewed), {"version": reviewed.version})):
        assert response.status_code == 403
        words = text(response.content.decode())
        assert "You cannot add a note" in words
        assert f"You no longer hold the role in which you joined the review of {reviewed.reference}" in words
    sent = client.post(note_url(reviewed), {"version": reviewed.version, "note": "Still the Whip in spirit."})
    assert sent.status_code == 403
    assert not reviewed.timeline.filter(kind=TimelineEvent.Kind.NOTE).exists()


def test_the_monitoring_officer_is_told_when_a_new_chair_was_not_asked_to_join(
    client, org, independent, chair_of_standards
):
    concern = at_review(org, about_member=independent)
    standards = Committee.objects.get(kind=Committee.Kind.STANDARDS)
    standards.chair = org.standards_member
    standards.save()

    words = text(signed_in(client, org.monitoring).get(concern.get_absolute_url()).content.decode())
    assert f"{chair_of_standards}: joined the review, no longer in that role" in words
    assert (
        f"{org.standards_member}, Chair of the Standards Committee, for an independent councillor: not asked to "
        "join (took on the role after the review began)" in words
    )
    assert signed_in(client, org.standards_member).get(concern.get_absolute_url()).status_code == 404


def test_once_the_review_has_ended_the_whip_reads_it_but_adds_nothing(client, org, whip, reviewed):
    concern = cs.concern_resolve(concern=reviewed, actor=org.monitoring.user, outcome="Apology accepted.")
    signed_in(client, whip)

    html = client.get(concern.get_absolute_url()).content.decode()
    assert buttons(html) == []
    words = text(html)
    assert "You reviewed this concern as Whip, Civic Party. The review has ended (Resolved" in words
    assert f"Reviewed by {org.monitoring.name}, Monitoring Officer: led the review {whip}, Whip, Civic Party" in words

    response = client.post(note_url(concern), {"version": concern.version, "note": "Afterthought."})
    assert response.status_code == 403
    assert f"{concern.reference} was closed on" in text(response.content.decode())
    assert not concern.timeline.filter(kind=TimelineEvent.Kind.NOTE).exists()


def test_a_refusal_names_no_reason_to_someone_who_never_took_part(client, org, whip, reviewed):
    # The complainant sees the concern but never handled or reviewed it: the plain refusal.
    response = signed_in(client, org.liaison).get(note_url(reviewed))
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()
    assert "joined the review" not in response.content.decode()
