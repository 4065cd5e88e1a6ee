"""Positive examples through Django's test client (000 §VI): recorded by a councillor or
an officer, passed on by the relevant Assistant Director (or the Director), recorded by
the Monitoring Officer, with everyone told at each step and nobody else seeing it."""

import re
from collections import Counter
from datetime import date, timedelta
from uuid import uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Notification, PositiveExample, PositiveExampleState
from cases.positive import services as positive_services
from cases.shared.submissions import AlreadySubmitted
from people.services import role_groups_sync
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def signed_in(client, person):
    client.force_login(person.user if hasattr(person, "user") else person)
    return client


def date_fields(name: str, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def form_data(org, **overrides) -> dict:
    return {
        "title": "Mill Lane flooding fixed in a day",
        "what_happened": "Cllr and the drainage team met residents and cleared the culvert the same afternoon.",
        **date_fields("happened_on", timezone.localdate() - timedelta(days=3)),
        "service": org.highways.pk,
        "members": [org.councillor.pk],
        "officers": [org.head.pk, org.colleague.pk],
        **overrides,
    }


def record(org, *, by=None, service=None, title="Good work") -> PositiveExample:
    return positive_services.positive_example_record(
        recorded_by=(by or org.councillor).user,
        title=title,
        what_happened="It went well.",
        happened_on=timezone.localdate() - timedelta(days=1),
        service=service or org.highways,
        members=[org.councillor],
        officers=[org.head],
    )


def forward(org, example) -> PositiveExample:
    return positive_services.positive_example_forward(
        example=example, actor=example.assistant_director.user, comment="A model of joint working."
    )


def acknowledge(org, example, *, publishable=True) -> PositiveExample:
    return positive_services.positive_example_acknowledge(
        example=example, actor=org.monitoring.user, comment="Thank you.", publishable=publishable
    )


def buttons(html: str) -> list[str]:
    return [label.strip() for label in re.findall(r'<a class="govuk-button[^"]*"[^>]*>([^<]+)</a>', html)]


def notified(user, example) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, positive_example=example))


class TestRecording:
    def test_it_sends_a_councillors_example_to_the_services_assistant_director_who_is_told(
        self, client, org, django_capture_on_commit_callbacks, mailoutbox
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in(client, org.councillor).post(
                reverse("cases:positive_example_new"), form_data(org), follow=True
            )

        example = PositiveExample.objects.get()
        assert response.redirect_chain == [(example.get_absolute_url(), 302)]
        assert example.state == PositiveExampleState.WITH_ASSISTANT_DIRECTOR
        assert example.assistant_director == org.assistant
        assert example.recorded_by == org.councillor.user
        assert set(example.members.all()) == {org.councillor}
        assert set(example.officers.all()) == {org.head, org.colleague}
        page = response.content.decode()
        assert f"sent to {org.assistant.name}, Assistant Director" in page
        assert "Mill Lane flooding fixed in a day" in page
        assert org.colleague.name in page
        assert len(notified(org.assistant.user, example)) == 1
        assert [mail.to for mail in mailoutbox] == [[org.assistant.user.email]]

    def test_it_lets_a_serving_officer_record_one_too(self, client, org):
        response = signed_in(client, org.colleague).post(reverse("cases:positive_example_new"), form_data(org))

        example = PositiveExample.objects.get()
        assert response.status_code == 302
        assert example.recorded_by == org.colleague.user

    def test_it_sends_it_to_the_director_when_the_service_has_no_assistant_director(self, client, org):
        signed_in(client, org.outsider).post(
            reverse("cases:positive_example_new"), form_data(org, service=org.libraries.pk)
        )

        example = PositiveExample.objects.get()
        assert example.assistant_director == org.director
        assert len(notified(org.director.user, example)) == 1
        assert notified(org.assistant.user, example) == []

    def test_it_refuses_a_date_in_the_future_with_a_message_on_the_field(self, client, org):
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = signed_in(client, org.councillor).post(
            reverse("cases:positive_example_new"), form_data(org, **date_fields("happened_on", tomorrow))
        )

        assert response.status_code == 200
        assert not PositiveExample.objects.exists()
        assert response.context["form"].errors["happened_on"] == ["The date must be today or in the past"]
        page = response.content.decode()
        assert "<title>Error: Record a positive example" in page
        assert '<a href="#id_happened_on_0">The date must be today or in the past</a>' in page

    def test_it_shows_the_error_summary_for_an_empty_form(self, client, org):
        response = signed_in(client, org.councillor).post(reverse("cases:positive_example_new"), {})

        assert response.status_code == 200
        assert not PositiveExample.objects.exists()
        page = response.content.decode()
        assert "<title>Error: Record a positive example" in page
        assert "There is a problem" in page
        for message in ("Enter a title", "Enter what happened", "Enter the date it happened", "Choose the service"):
            assert message in page

    def test_it_explains_where_the_example_goes(self, client, org):
        response = signed_in(client, org.councillor).get(reverse("cases:positive_example_new"))

        page = response.content.decode()
        assert response.status_code == 200
        assert "Assistant Director" in page
        assert "Monitoring Officer" in page
        assert "reports" in page
        assert 'name="officers"' in page

    def test_it_refuses_the_new_page_to_someone_who_is_neither_a_member_nor_an_officer(self, client, org):
        client = signed_in(client, org.stranger)

        assert client.get(reverse("cases:positive_example_new")).status_code == 403
        assert client.post(reverse("cases:positive_example_new"), form_data(org)).status_code == 403
        assert client.get(reverse("cases:positive_examples")).status_code == 403
        assert not PositiveExample.objects.exists()

    def test_it_refuses_a_councillor_who_has_left_office(self, client, org):
        org.councillor2.left_office_on = timezone.localdate() - timedelta(days=1)
        org.councillor2.save()

        response = signed_in(client, org.councillor2).get(reverse("cases:positive_example_new"))

        # Their access has ended: signed out at the next page (protocol_portal.middleware).
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_records_an_example_sent_twice_once(org):
    # A double click sends the form twice, with the key its page made (cases.shared.forms.SubmittedOnceForm).
    key = uuid4()
    first = positive_services.positive_example_record(
        recorded_by=org.councillor.user,
        title="Good work",
        what_happened="It went well.",
        happened_on=timezone.localdate(),
        service=org.highways,
        submission_key=key,
    )

    with pytest.raises(AlreadySubmitted) as already:
        positive_services.positive_example_record(
            recorded_by=org.councillor.user,
            title="Good work",
            what_happened="It went well.",
            happened_on=timezone.localdate(),
            service=org.highways,
            submission_key=key,
        )

    assert already.value.case == first
    assert PositiveExample.objects.count() == 1


class TestPassingOn:
    def test_it_tells_the_monitoring_officer_when_the_assistant_director_passes_it_on(
        self, client, org, django_capture_on_commit_callbacks
    ):
        example = record(org)
        url = reverse("cases:positive_example_forward", args=[example.reference])
        client = signed_in(client, org.assistant)
        page = client.get(url)
        assert page.status_code == 200
        assert f'name="version" value="{example.version}"' in page.content.decode()

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"comment": "A model of joint working.", "version": example.version})

        example = PositiveExample.objects.get(pk=example.pk)
        assert response.status_code == 302
        assert example.state == PositiveExampleState.WITH_MONITORING_OFFICER
        assert example.assistant_director_comment == "A model of joint working."
        assert len(notified(org.monitoring.user, example)) == 1
        detail = client.get(example.get_absolute_url()).content.decode()
        assert "passed to the Monitoring Officer" in detail
        assert "A model of joint working." in detail

    def test_it_offers_the_assistant_director_the_button_and_nobody_else(self, client, org):
        example = record(org)

        assert buttons(signed_in(client, org.assistant).get(example.get_absolute_url()).content.decode()) == [
            "Add your comment and pass it on"
        ]
        for person in (org.councillor, org.monitoring):
            assert buttons(signed_in(client, person).get(example.get_absolute_url()).content.decode()) == []

    def test_it_needs_a_comment(self, client, org):
        example = record(org)

        response = signed_in(client, org.assistant).post(
            reverse("cases:positive_example_forward", args=[example.reference]), {"version": example.version}
        )

        assert response.status_code == 200
        assert "Enter your comment for the Monitoring Officer" in response.content.decode()
        example = PositiveExample.objects.get(pk=example.pk)
        assert example.state == PositiveExampleState.WITH_ASSISTANT_DIRECTOR

    def test_it_does_not_let_another_services_assistant_director_see_or_forward_it(self, client, org):
        example = record(org)
        other = OfficerFactory(user__username="libraries.ad", job_title="Assistant Director", service=None)
        org.libraries.assistant_director = other
        org.libraries.save()
        role_groups_sync()
        url = reverse("cases:positive_example_forward", args=[example.reference])
        client = signed_in(client, other)

        assert client.get(url).status_code == 404
        assert client.post(url, {"comment": "Mine now.", "version": example.version}).status_code == 404
        assert client.get(example.get_absolute_url()).status_code == 404
        example = PositiveExample.objects.get(pk=example.pk)
        assert example.state == PositiveExampleState.WITH_ASSISTANT_DIRECTOR

    def test_it_refuses_people_who_see_it_but_may_not_pass_it_on(self, client, org):
        example = record(org)
        url = reverse("cases:positive_example_forward", args=[example.reference])

        for person in (org.councillor, org.monitoring):
            client = signed_in(client, person)
            assert client.get(url).status_code == 403
            assert client.post(url, {"comment": "x", "version": example.version}).status_code == 403
        example = PositiveExample.objects.get(pk=example.pk)
        assert example.state == PositiveExampleState.WITH_ASSISTANT_DIRECTOR

    def test_it_refuses_a_form_from_an_out_of_date_page(self, client, org):
        example = record(org)
        url = reverse("cases:positive_example_forward", args=[example.reference])

        response = signed_in(client, org.assistant).post(
            url, {"comment": "Late.", "version": example.version - 1}, follow=True
        )

        assert response.redirect_chain == [(example.get_absolute_url(), 302)]
        assert "has changed since you opened that page" in response.content.decode()
        example = PositiveExample.objects.get(pk=example.pk)
        assert example.state == PositiveExampleState.WITH_ASSISTANT_DIRECTOR


class TestRecordingByTheMonitoringOfficer:
    def test_it_tells_the_recorder_when_the_monitoring_officer_records_it_as_publishable(
        self, client, org, django_capture_on_commit_callbacks
    ):
        example = forward(org, record(org))
        url = reverse("cases:positive_example_acknowledge", args=[example.reference])
        client = signed_in(client, org.monitoring)
        assert buttons(client.get(example.get_absolute_url()).content.decode()) == ["Record it"]
        assert client.get(url).status_code == 200

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"comment": "One for the annual report.", "publishable": "yes", "version": example.version}
            )

        example = PositiveExample.objects.get(pk=example.pk)
        assert response.status_code == 302
        assert example.state == PositiveExampleState.RECORDED
        assert example.publishable is True
        assert example.monitoring_officer_comment == "One for the annual report."
        [notification] = notified(org.councillor.user, example)
        assert "may be published in the annual report" in notification.body
        detail = signed_in(client, org.councillor).get(example.get_absolute_url()).content.decode()
        assert "One for the annual report." in detail
        assert "May be published in the annual report" in detail

    def test_it_records_one_not_for_publication(self, client, org):
        example = forward(org, record(org))

        signed_in(client, org.monitoring).post(
            reverse("cases:positive_example_acknowledge", args=[example.reference]),
            {"comment": "", "publishable": "no", "version": example.version},
        )

        example = PositiveExample.objects.get(pk=example.pk)
        assert example.state == PositiveExampleState.RECORDED
        assert example.publishable is False

    def test_it_asks_whether_it_may_be_published(self, client, org):
        example = forward(org, record(org))

        response = signed_in(client, org.monitoring).post(
            reverse("cases:positive_example_acknowledge", args=[example.reference]), {"version": example.version}
        )

        assert response.status_code == 200
        page = response.content.decode()
        assert "Say whether it may be published in the annual report" in page
        assert '<a href="#id_publishable_1">' in page

    def test_it_refuses_the_assistant_director_and_the_recorder(self, client, org):
        example = forward(org, record(org))
        url = reverse("cases:positive_example_acknowledge", args=[example.reference])

        for person in (org.assistant, org.councillor):
            client = signed_in(client, person)
            assert client.get(url).status_code == 403
            assert client.post(url, {"publishable": "yes", "version": example.version}).status_code == 403
        # Passed on already: nobody may pass it on again.
        forward_url = reverse("cases:positive_example_forward", args=[example.reference])
        assert signed_in(client, org.assistant).get(forward_url).status_code == 403

    def test_it_refuses_to_record_before_the_assistant_director_has_passed_it_on(self, client, org):
        example = record(org)

        response = signed_in(client, org.monitoring).get(
            reverse("cases:positive_example_acknowledge", args=[example.reference])
        )

        assert response.status_code == 403


class TestVisibility:
    def test_it_hides_the_example_from_everyone_else(self, client, org):
        example = forward(org, record(org))

        for person in (org.outsider, org.councillor2, org.chief, org.head, org.director, org.stranger):
            assert signed_in(client, person).get(example.get_absolute_url()).status_code == 404, person
        for person in (org.councillor, org.assistant, org.monitoring):
            assert signed_in(client, person).get(example.get_absolute_url()).status_code == 200, person

    def test_it_lists_each_persons_examples_in_their_sections(self, client, org):
        waiting = record(org, title="Waiting with the AD")
        to_record = forward(org, record(org, title="Waiting for the MO"))
        recorded = acknowledge(org, forward(org, record(org, title="Already recorded")), publishable=True)
        theirs = record(org, by=org.councillor2, service=org.libraries, title="Someone else's")
        url = reverse("cases:positive_examples")

        councillor = signed_in(client, org.councillor).get(url).content.decode()
        assert "Record a positive example" in councillor
        assert all(e.reference in councillor for e in (waiting, to_record, recorded))
        assert theirs.reference not in councillor
        assert "Waiting for you to pass on" not in councillor
        assert "Waiting to be recorded" not in councillor

        assistant = signed_in(client, org.assistant).get(url).content.decode()
        section = table_captioned(assistant, "Waiting for you to pass on")
        assert waiting.reference in section
        assert to_record.reference not in section
        assert theirs.reference not in assistant

        monitoring = signed_in(client, org.monitoring).get(url).content.decode()
        waiting_section = table_captioned(monitoring, "Waiting to be recorded")
        assert to_record.reference in waiting_section
        assert waiting.reference not in waiting_section
        recorded_section = table_captioned(monitoring, "Recorded")
        assert "Recorded" in recorded_section
        assert recorded.reference in recorded_section
        assert "May be published" in recorded_section


def table_captioned(page: str, caption: str) -> str:
    """The rows of the table captioned ``caption`` (its scrolling region's label names it too)."""
    return page.split(f">{caption}</caption>")[1].split("</table>")[0]


def get_counted(client, url: str) -> CaptureQueriesContext:
    client.get(url)  # warm the process-wide caches (content types) so the count is the page's own
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries


def make_examples(org, count: int) -> None:
    """``count`` examples in every state, from two recorders, for two services."""
    for n in range(count):
        by = org.councillor if n % 2 else org.colleague
        example = record(org, by=by, service=org.highways if n % 3 else org.libraries, title=f"Example {n}")
        if n % 3 == 1:
            forward(org, example)
        elif n % 3 == 2:
            acknowledge(org, forward(org, example), publishable=bool(n % 2))


@pytest.mark.parametrize("person", ["monitoring", "assistant", "councillor"])
def test_it_lists_examples_with_the_same_number_of_queries_for_3_and_20(client, org, person):
    url = reverse("cases:positive_examples")
    client = signed_in(client, getattr(org, person))
    make_examples(org, 3)
    few = get_counted(client, url)
    make_examples(org, 17)
    many = get_counted(client, url)

    repeated = Counter(query["sql"] for query in many.captured_queries)
    assert len(many) == len(few), "\n".join(f"{n}× {sql}" for sql, n in repeated.items() if n > 1)
