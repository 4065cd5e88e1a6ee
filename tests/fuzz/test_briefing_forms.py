"""Hostile input at the briefing forms (001 §9.5.2): recording a briefing, recording a group's
response, offering it to the groups left out. Never a 500; what is stored is shown escaped; a
form sent twice is stored once."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.briefings.forms import BriefingForm, BriefingOfferLeftOutForm, BriefingResponseForm
from cases.models import Briefing, BriefingOffer
from people.models import PoliticalGroup
from tests.fuzz.harness import Page, assert_second_submission_refused, fuzz_page, signed_in, submission_key
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import bad_ids, choices, form_data, hostile_date, hostile_text

pytestmark = pytest.mark.django_db

COVERS = {BriefingForm, BriefingResponseForm, BriefingOfferLeftOutForm}


def ids(*valid) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from([str(pk) for pk in valid]), bad_ids)


def recording(org, briefings) -> Page:
    recorded = Briefing.objects.count()
    day = timezone.localdate() + timedelta(days=14)
    return Page(
        person=org.liaison,
        url=reverse("cases:briefing_new"),
        base={
            "subject": "Road safety around schools",
            "kind": "group_briefing",
            "offered_to": str(org.councillor.group_id),
            "given_by": str(org.head.pk),
            "takes_place_on_0": str(day.day),
            "takes_place_on_1": str(day.month),
            "takes_place_on_2": str(day.year),
            "for_leadership": "no",
        },
        stored=lambda: Briefing.objects.count() > recorded,
        shown=("subject",),
        records=Briefing.objects.count,
    )


def responding(org, briefings) -> Page:
    offer = briefings.offer
    return Page(
        person=org.councillor,  # the group's leader (the ``leader`` fixture)
        url=reverse("cases:briefing_response", args=[briefings.briefing.reference, offer.pk]),
        base={"version": str(offer.version), "response": "accepted"},
        stored=lambda: BriefingOffer.objects.get(pk=offer.pk).version != offer.version,
        records=lambda: BriefingOffer.objects.get(pk=offer.pk).version,
    )


def offering_to_groups_left_out(org, briefings) -> Page:
    briefing = briefings.briefing
    offers = briefing.offers.count()
    return Page(
        person=org.monitoring,
        url=reverse("cases:briefing_offer_left_out", args=[briefing.reference]),
        base={"version": str(offers)},
        stored=lambda: briefing.offers.count() > offers,
        records=briefing.offers.count,
    )


@pytest.fixture
def leader(org, briefings):
    """The councillor leads their group, so may record its response."""
    group = org.councillor.group
    group.leader = org.councillor
    group.save()
    return org.councillor


@fuzz(30)
@given(data=st.data())
def test_recording_a_briefing(client, org, briefings, data):
    page = recording(org, briefings)
    day = timezone.localdate() + timedelta(days=14)
    later = PoliticalGroup.objects.get(name="Breakaway Group")
    hostile = {
        "subject": hostile_text(200),
        "kind": choices(["group_briefing", "group_meeting"]),
        # A group formed after the day, an officer's id as a group's, nonsense.
        "offered_to": ids(org.councillor.group_id, later.pk, org.head.pk),
        "given_by": ids(org.head.pk, org.councillor.pk),
        "takes_place_on": hostile_date("takes_place_on", (day.day, day.month, day.year)),
        "for_leadership": choices(["yes", "no"]),
        "submission_key": st.one_of(st.just(str(uuid4())), hostile_text(36)),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(15)
@given(data=st.data())
def test_recording_a_response(client, org, briefings, leader, data):
    page = responding(org, briefings)
    offer = briefings.offer
    hostile = {
        "version": st.one_of(st.sampled_from([str(offer.version - 1), str(offer.version + 1)]), bad_ids),
        "response": choices(["accepted", "declined"]),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(10)
@given(data=st.data())
def test_offering_to_the_groups_left_out(client, org, briefings, data):
    page = offering_to_groups_left_out(org, briefings)
    hostile = {"version": st.one_of(st.sampled_from(["2", "4"]), bad_ids)}
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


def test_it_records_a_briefing_sent_twice_once(client, org, briefings):
    page = recording(org, briefings)
    data = {**page.base, "submission_key": submission_key(signed_in(client, page.person), page.url)}
    html = assert_second_submission_refused(client, page, data)
    assert "You have already sent this briefing: it is BRF-" in html


def test_it_records_a_response_sent_twice_once(client, org, briefings, leader):
    html = assert_second_submission_refused(client, responding(org, briefings))
    assert "your first submission was saved, and the second was not." in html


PAGES = [recording]
