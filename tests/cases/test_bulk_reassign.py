"""Reassigning several enquiries at once from the service queue (issue 15 C12): a manager ticks
enquiries, picks a colleague and gives a reason; one transaction, one timeline event and the
same notices as a single reassignment for each, or nothing at all, with the reason why."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.enquiries.services import Ticked, enquiries_reassign, enquiry_answer, enquiry_file
from cases.models import Enquiry, Marking, Notification, Purpose, TimelineEvent

pytestmark = pytest.mark.django_db

URL = "cases:service_queue_reassign"


def file(org, subject, *, member=None, service=None):
    return enquiry_file(
        member=member or org.councillor,
        service=service or org.highways,
        subject=subject,
        details="Please look.",
        purpose=Purpose.INFORMATION,
    )


@pytest.fixture
def pair(org):
    """Two Highways enquiries with the liaison officer, from two councillors."""
    return file(org, "Pothole on Mill Road"), file(org, "Blocked gully", member=org.councillor2)


def ticked(*enquiries) -> list[str]:
    return [f"{enquiry.reference}:{enquiry.version}" for enquiry in enquiries]


def post(client, user, enquiries, *, new_owner, reason="Drainage is the engineer's work.", query=""):
    client.force_login(user)
    data = {"enquiries": enquiries, "new_owner": new_owner.pk if new_owner else "", "reason": reason}
    return client.post(reverse(URL) + query, data)


def reassigned_events(enquiry) -> int:
    return TimelineEvent.objects.filter(enquiry=enquiry, kind=TimelineEvent.Kind.REASSIGNED).count()


def test_a_head_of_service_reassigns_the_ticked_enquiries_in_one_go(
    client, org, pair, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, org.head.user, ticked(*pair), new_owner=org.colleague, query="?q=road&sort=newest")
    # Back to the queue with the same filters, and told what happened.
    assert (
        response.status_code == 302 and response["Location"] == reverse("cases:service_queue") + "?q=road&sort=newest"
    )
    page = client.get(response["Location"]).content.decode()
    assert f"2 enquiries reassigned to {org.colleague.name}" in page and "Each councillor has been told." in page
    for enquiry in pair:
        enquiry.refresh_from_db()
        assert enquiry.owner == org.colleague
        # One timeline event each, by the head, with the reason.
        event = TimelineEvent.objects.get(enquiry=enquiry, kind=TimelineEvent.Kind.REASSIGNED)
        assert (event.actor, event.from_owner, event.to_owner) == (org.head.user, org.liaison, org.colleague)
        assert "Drainage is the engineer's work." in event.note
        # The councillor told once, and the new owner once, as for a single reassignment.
        assert Notification.objects.filter(enquiry=enquiry, recipient=enquiry.member.user).count() == 2
        assert Notification.objects.filter(enquiry=enquiry, recipient=org.colleague.user).count() == 1
    told = sorted(message.to[0] for message in mailoutbox)
    assert told.count(org.councillor.user.email) == 1 and told.count(org.councillor2.user.email) == 1
    assert told.count(org.colleague.user.email) == 2


def test_it_reassigns_nothing_if_any_one_cannot_be_reassigned(client, org, pair, mailoutbox):
    pothole, gully = pair
    answered = enquiry_answer(
        enquiry=file(org, "Street lighting"),
        actor=org.liaison.user,
        text="Fixed.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
    )
    notices = Notification.objects.count()
    response = post(client, org.head.user, ticked(pothole, answered, gully), new_owner=org.colleague)
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert f"{answered.reference} is “Answered”: only an enquiry waiting for a response can be reassigned." in page
    assert "Nothing was reassigned." in page
    for enquiry in pair:
        enquiry.refresh_from_db()
        assert enquiry.owner == org.liaison
        assert reassigned_events(enquiry) == 0
    assert Notification.objects.count() == notices
    # The boxes stay ticked for another try.
    assert page.count(" checked>") == 2


def test_it_refuses_a_colleague_outside_an_enquirys_service_naming_it(client, org, pair):
    library = file(org, "Library hours", service=org.libraries)
    pothole, _gully = pair
    response = post(client, org.chief.user, ticked(pothole, library), new_owner=org.colleague)
    page = response.content.decode()
    assert f"{library.reference}: Choose a serving officer in Libraries." in page
    pothole.refresh_from_db()
    assert pothole.owner == org.liaison and reassigned_events(pothole) == 0


def test_it_refuses_enquiries_outside_the_managers_services_naming_them(client, org, pair):
    library = file(org, "Library hours", service=org.libraries)
    pothole, _gully = pair
    response = post(client, org.head.user, ticked(pothole, library), new_owner=org.colleague)
    page = response.content.decode()
    assert f"Not in your service queue: {library.reference}. Nothing was reassigned." in page
    pothole.refresh_from_db()
    assert pothole.owner == org.liaison


@pytest.mark.parametrize("who", ["liaison", "colleague", "councillor", "monitoring"])
def test_it_refuses_anyone_but_a_manager(client, org, pair, who):
    user = getattr(org, who).user
    response = post(client, user, ticked(*pair), new_owner=org.colleague)
    assert response.status_code == 403
    assert not Enquiry.objects.filter(owner=org.colleague).exists()


def test_it_gives_no_ticks_to_those_who_cannot_reassign(client, org, pair):
    client.force_login(org.monitoring.user)
    page = client.get(reverse("cases:service_queue")).content.decode()
    assert pair[0].reference in page and 'name="enquiries"' not in page
    client.force_login(org.head.user)
    page = client.get(reverse("cases:service_queue")).content.decode()
    assert f'value="{pair[0].reference}:{pair[0].version}"' in page
    assert "Reassign the ticked enquiries" in page


def test_two_managers_at_once_the_second_is_told_of_the_conflict(client, org, pair):
    # Both loaded the queue; the head of service sends first, the assistant director second.
    stale = ticked(*pair)
    assert post(client, org.head.user, stale, new_owner=org.colleague).status_code == 302
    response = post(client, org.assistant.user, stale, new_owner=org.liaison)
    page = response.content.decode()
    assert "was changed by someone else since you loaded the queue. Nothing was reassigned" in page
    for enquiry in pair:
        enquiry.refresh_from_db()
        assert enquiry.owner == org.colleague and reassigned_events(enquiry) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Tick the enquiries to reassign"),
        ({"enquiries": ["ENQ-2026-00001:1"]}, "Choose who should own the enquiries"),
        ({"enquiries": ["ENQ-2026-00001:1"]}, "Enter why you are reassigning them"),
        ({"enquiries": ["'; drop table enquiries"]}, "Tick enquiries from the queue"),
    ],
)
def test_it_shows_what_is_missing_in_the_error_summary(client, org, pair, data, message):
    client.force_login(org.head.user)
    page = client.post(reverse(URL), data).content.decode()
    assert "govuk-error-summary" in page and message in page
    assert "Error: Service queue" in page


def test_the_service_collects_every_refusal_and_keeps_nothing(org, pair):
    pothole, gully = pair
    library = file(org, "Library hours", service=org.libraries)
    with pytest.raises(ValidationError) as refused:
        enquiries_reassign(
            ticked=[Ticked(pothole, pothole.version), Ticked(library, library.version), Ticked(gully, None)],
            actor=org.chief.user,
            new_owner=org.liaison,
            reason="Rebalancing.",
        )
    # The liaison officer owns the pothole and the gully already; the library is not their service.
    assert refused.value.messages == [
        f"{pothole.reference}: Choose someone other than the current owner.",
        f"{gully.reference}: Choose someone other than the current owner.",
        f"{library.reference}: Choose a serving officer in Libraries.",
    ]
    assert not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.REASSIGNED).exists()
