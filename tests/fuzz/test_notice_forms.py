"""Hostile input at the ward notice form (001 §9.4): never a 500; what is stored is shown
escaped; a consultation already started is sent only once confirmed; a form sent twice
sends one notice."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.models import WardNotice, WardNoticeKind
from cases.notices.forms import WardNoticeForm
from tests.fuzz.harness import Page, assert_second_submission_refused, fuzz_page, signed_in, submission_key
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import bad_ids, choices, form_data, hostile_date, hostile_text, uploads

pytestmark = pytest.mark.django_db

COVERS = {WardNoticeForm}


def sending(org, notice_wards) -> Page:
    sent = WardNotice.objects.count()
    on = timezone.localdate() + timedelta(days=10)
    return Page(
        person=org.liaison,
        url=reverse("cases:ward_notice_new"),
        base={
            "kind": WardNoticeKind.PUBLIC_MEETING,
            "wards": [str(ward.pk) for ward in notice_wards],
            "title": "Public meeting on the flood scheme",
            "concerns_on_0": str(on.day),
            "concerns_on_1": str(on.month),
            "concerns_on_2": str(on.year),
            "summary": "At the community centre, 7pm.",
        },
        stored=lambda: WardNotice.objects.count() > sent,
        shown=("title", "summary"),
        records=WardNotice.objects.count,
    )


@fuzz(30)
@given(data=st.data())
def test_sending_a_ward_notice(client, org, notice_wards, data):
    page = sending(org, notice_wards)
    started = timezone.localdate() - timedelta(days=2)
    hostile = {
        "kind": choices(list(WardNoticeKind.values)),
        "wards": st.lists(st.one_of(st.sampled_from([str(ward.pk) for ward in notice_wards]), bad_ids), max_size=3),
        "title": hostile_text(200),
        "summary": hostile_text(),
        # A consultation started two days ago needs the box ticked (001 §9.4.5).
        "concerns_on": hostile_date("concerns_on", (started.day, started.month, started.year)),
        "confirm_late": st.sampled_from(["on", "true", "false", "", "\x00", "x" * 5000]),
        "attachment": uploads().map(lambda files: files[:1]),
        "submission_key": st.one_of(st.just(str(uuid4())), hostile_text(36)),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


def test_it_sends_a_notice_sent_twice_once(client, org, notice_wards):
    page = sending(org, notice_wards)
    data = {**page.base, "submission_key": submission_key(signed_in(client, page.person), page.url)}
    html = assert_second_submission_refused(client, page, data)
    assert "You have already sent this ward notice: it is WN-" in html


PAGES = [sending]
