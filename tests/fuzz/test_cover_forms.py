"""Hostile input at cover while away (issue 15 C11): setting up cover, on the officer's own
page and on their line manager's, and ending it early. Never a 500: the error summary or a
redirect with a message; nothing printed raw; a form sent twice sets up one cover."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.cover.forms import CoverEndForm, CoverForm
from people.models import Cover
from tests.cases.covering import cover
from tests.fuzz.harness import Page, assert_second_submission_refused, fuzz_page, fuzz_post, signed_in, submission_key
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import bad_ids, form_data, hostile_date, hostile_text

pytestmark = pytest.mark.django_db

COVERS = {CoverForm, CoverEndForm}


def setting_up(org, *, by_manager: bool) -> Page:
    first = timezone.localdate() + timedelta(days=2)
    url = reverse("cases:cover_for", args=[org.liaison.pk]) if by_manager else reverse("cases:cover")
    return Page(
        person=org.head if by_manager else org.liaison,
        url=url,
        base={
            "covered_by": str(org.colleague.pk),
            "starts_on_0": str(first.day),
            "starts_on_1": str(first.month),
            "starts_on_2": str(first.year),
            "ends_on_0": str(first.day),
            "ends_on_1": str(first.month),
            "ends_on_2": str(first.year),
        },
        stored=Cover.objects.exists,
        records=Cover.objects.count,
    )


@fuzz(40)
@given(data=st.data())
@pytest.mark.parametrize("by_manager", [False, True], ids=["own", "line-manager"])
def test_setting_up_cover(client, org, by_manager, data):
    page = setting_up(org, by_manager=by_manager)
    first = timezone.localdate() + timedelta(days=2)
    valid = (first.day, first.month, first.year)
    colleagues = [org.colleague, org.liaison, org.outsider, org.chief]
    hostile = {
        # A colleague, the officer themselves, someone in another service, or no one at all.
        "covered_by": st.one_of(st.sampled_from([str(officer.pk) for officer in colleagues]), bad_ids),
        "starts_on": hostile_date("starts_on", valid),
        "ends_on": hostile_date("ends_on", valid),
        "submission_key": hostile_text(36),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


def test_it_sets_up_a_cover_sent_twice_once(client, org):
    page = setting_up(org, by_manager=False)
    data = {**page.base, "submission_key": submission_key(signed_in(client, page.person), page.url)}
    html = assert_second_submission_refused(client, page, data)
    assert "You have already set up this cover" in html


@pytest.fixture
def in_force(org):
    today = timezone.localdate()
    return cover(org.liaison, org.colleague, starts_on=today, ends_on=today + timedelta(days=3))


@fuzz(20)
@given(data=st.data())
def test_ending_cover_early(client, org, in_force, data):
    base = {"version": str(in_force.version)}
    hostile = {"version": st.one_of(st.sampled_from(["0", "2", "-1", "1.5", "99999999999999999999"]), bad_ids)}
    signed_in(client, org.liaison)
    fuzz_post(
        client,
        reverse("cases:cover_end", args=[in_force.pk]),
        data.draw(form_data(base, hostile), label="form"),
        accepted=lambda: Cover.objects.get(pk=in_force.pk).version > in_force.version,
    )


def test_it_ends_a_cover_sent_twice_once(client, org, in_force):
    page = Page(
        person=org.liaison,
        url=reverse("cases:cover_end", args=[in_force.pk]),
        base={"version": str(in_force.version)},
        stored=lambda: Cover.objects.get(pk=in_force.pk).version > in_force.version,
        records=lambda: Cover.objects.get(pk=in_force.pk).version,
    )
    html = assert_second_submission_refused(client, page)
    assert "This cover is already over" in html or "changed by someone else" in html
