"""Hostile input at the positive example forms (000 §VI): recording one, the Assistant
Director passing it on, the Monitoring Officer recording it. Never a 500; what is stored
is shown escaped; a form sent twice is stored once."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.models import Notification, PositiveExample
from cases.positive.forms import PositiveExampleAcknowledgeForm, PositiveExampleForm, PositiveExampleForwardForm
from tests.fuzz.harness import (
    Page,
    assert_second_submission_refused,
    each_rolled_back,
    fuzz_page,
    signed_in,
    submission_key,
)
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import bad_ids, choices, form_data, hostile_date, hostile_text

pytestmark = pytest.mark.django_db

COVERS = {PositiveExampleForm, PositiveExampleForwardForm, PositiveExampleAcknowledgeForm}


def ids(*valid) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from([str(pk) for pk in valid]), bad_ids)


def version(example: PositiveExample) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from([str(example.version - 1), str(example.version + 1)]), bad_ids)


def recording(org, examples) -> Page:
    recorded = PositiveExample.objects.count()
    happened_on = timezone.localdate() - timedelta(days=2)
    return Page(
        person=org.councillor,
        url=reverse("cases:positive_example_new"),
        base={
            "title": "Flood response",
            "what_happened": "Officers and councillors worked through the night together.",
            "happened_on_0": str(happened_on.day),
            "happened_on_1": str(happened_on.month),
            "happened_on_2": str(happened_on.year),
            "service": str(org.highways.pk),
            "members": [str(org.councillor2.pk)],
            "officers": [str(org.liaison.pk)],
        },
        stored=lambda: PositiveExample.objects.count() > recorded,
        shown=("title", "what_happened"),
        records=PositiveExample.objects.count,
    )


def step(person, name: str, example: PositiveExample, base: dict, *, shown=()) -> Page:
    return Page(
        person=person,
        url=reverse(f"cases:{name}", args=[example.reference]),
        base={"version": str(example.version), **base},
        stored=lambda: PositiveExample.objects.get(pk=example.pk).version != example.version,
        shown=shown,
        records=Notification.objects.count,
    )


def forwarding(org, examples) -> Page:
    base = {"comment": "A model of joint working."}
    return step(org.assistant, "positive_example_forward", examples.with_assistant_director, base, shown=("comment",))


def acknowledging(org, examples) -> Page:
    base = {"comment": "Thank you.", "publishable": "yes"}
    return step(
        org.monitoring, "positive_example_acknowledge", examples.with_monitoring_officer, base, shown=("comment",)
    )


@fuzz(30)
@given(data=st.data())
def test_recording_a_positive_example(client, org, positive_examples, data):
    page = recording(org, positive_examples)
    happened_on = timezone.localdate() - timedelta(days=2)
    hostile = {
        "title": hostile_text(200),
        "what_happened": hostile_text(),
        "happened_on": hostile_date("happened_on", (happened_on.day, happened_on.month, happened_on.year)),
        "service": ids(org.libraries.pk),
        # People who have left, a councillor's id as an officer's and an officer's as a councillor's.
        "members": st.lists(ids(org.councillor.pk, org.liaison.pk), max_size=3),
        "officers": st.lists(ids(org.outsider.pk, org.councillor.pk), max_size=3),
        "submission_key": st.one_of(st.just(str(uuid4())), hostile_text(36)),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(15)
@given(data=st.data())
def test_passing_one_on(client, org, positive_examples, data):
    page = forwarding(org, positive_examples)
    hostile = {"version": version(positive_examples.with_assistant_director), "comment": hostile_text()}
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(15)
@given(data=st.data())
def test_recording_one_for_the_monitoring(client, org, positive_examples, data):
    page = acknowledging(org, positive_examples)
    hostile = {
        "version": version(positive_examples.with_monitoring_officer),
        "comment": hostile_text(),
        "publishable": choices(["yes", "no"]),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


def test_it_stores_a_step_sent_twice_once(client, org, positive_examples):
    def check(build):
        html = assert_second_submission_refused(client, build(org, positive_examples))
        assert "your first submission was saved, and the second was not." in html

    each_rolled_back([forwarding, acknowledging], check)


def test_it_records_an_example_sent_twice_once(client, org, positive_examples):
    page = recording(org, positive_examples)
    data = {**page.base, "submission_key": submission_key(signed_in(client, page.person), page.url)}
    html = assert_second_submission_refused(client, page, data)
    assert "You have already sent this positive example: it is POS-" in html


PAGES = [recording, forwarding, acknowledging]
