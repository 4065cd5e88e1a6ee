"""No duplicate contact prohibitions (issue 15 A6; 000 §VIII; DESIGN §5).

The same councillor was once prohibited from contacting the same officer twice, by two
concerns, both in force on the register. A prohibition whose days meet one already recorded
for the same councillor and the same officer, service or all officers is refused with a
GOV.UK error that names the one in force and offers to extend it; the Monitoring Officer
extends it instead (a later last day, or indefinitely), on the concern that imposed it.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.concerns import services as cs
from cases.models import Concern, ConcernState, Notification, Sanction, TimelineEvent
from people.models import ContactProhibition
from tests.concerns.conftest import london
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

LATER = london(2027, 3, 1)


def proposed(org, raise_concern, *, member=None, now=LATER) -> Concern:
    """A second concern about the councillor, at stage 4 with formal action proposed."""
    concern = raise_concern(org.colleague.user, about=member or org.councillor, safeguarding=True, now=now)
    return cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="", now=now)


def record(org, concern, *, scope, officer=None, service=None, starts_on=date(2027, 3, 1), ends_on=None, now=LATER):
    spec = cs.SanctionSpec(
        kind="contact_prohibition",
        scope=scope,
        officer=officer,
        service=service,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return cs.concern_sanctions_record(
        concern=concern, actor=org.monitoring.user, sanctions=[spec], outcome="No contact.", now=now
    )


@pytest.mark.parametrize(
    ("scope", "target"),
    [("officer", "liaison"), ("service", "highways"), ("all", None)],
    ids=["officer", "service", "all"],
)
def test_it_refuses_a_second_prohibition_on_the_same_contact_and_names_the_one_in_force(
    org, prohibit, raise_concern, scope, target
):
    what = {"officer": {"officer": org.liaison}, "service": {"service": org.highways}, "all": {}}[scope]
    first = prohibit(scope, **what)
    second = proposed(org, raise_concern)

    with pytest.raises(ValidationError) as error:
        record(org, second, scope=scope, **what)

    assert isinstance(error.value, cs.DuplicateProhibition) and error.value.existing == first
    assert error.value.message_dict == {
        "scope": [
            f"{org.councillor} already may not contact {first.covers} (from 10 February 2027, indefinitely, "
            f"recorded on {first.sanction.concern.reference}). Extend that prohibition instead of recording another."
        ]
    }
    # Nothing of the second is kept: no prohibition, no sanction, the concern still awaiting it.
    assert ContactProhibition.objects.filter(member=org.councillor).count() == 1
    assert not Sanction.objects.filter(concern=second).exists()
    second.refresh_from_db()
    assert second.state == ConcernState.SANCTION


def test_it_refuses_a_prohibition_that_overlaps_only_at_the_ends(org, prohibit, raise_concern):
    prohibit("officer", officer=org.liaison, starts_on=date(2027, 3, 10), ends_on=date(2027, 3, 31))
    # Ending on the first one's first day, and starting on its last day: both meet it.
    for starts_on, ends_on in ((date(2027, 3, 1), date(2027, 3, 10)), (date(2027, 3, 31), None)):
        with pytest.raises(cs.DuplicateProhibition):
            record(
                org,
                proposed(org, raise_concern),
                scope="officer",
                officer=org.liaison,
                starts_on=starts_on,
                ends_on=ends_on,
            )
    assert ContactProhibition.objects.filter(member=org.councillor).count() == 1


def test_it_records_prohibitions_that_do_not_meet_or_cover_someone_else(org, prohibit, raise_concern):
    prohibit("officer", officer=org.liaison, starts_on=date(2027, 3, 10), ends_on=date(2027, 3, 31))
    # Another officer; the service (a different scope); the days after it ends; another councillor.
    record(org, proposed(org, raise_concern), scope="officer", officer=org.colleague)
    record(org, proposed(org, raise_concern), scope="service", service=org.highways)
    record(org, proposed(org, raise_concern), scope="officer", officer=org.liaison, starts_on=date(2027, 4, 1))
    other = MemberFactory()
    record(org, proposed(org, raise_concern, member=other), scope="officer", officer=org.liaison)
    assert ContactProhibition.objects.filter(member=org.councillor).count() == 4
    assert ContactProhibition.objects.filter(member=other).count() == 1


def test_a_prohibition_ended_early_leaves_room_for_a_new_one(org, prohibit, raise_concern):
    first = prohibit("officer", officer=org.liaison)
    cs.prohibition_end_early(
        prohibition=first, actor=org.monitoring.user, ends_on=date(2027, 2, 28), reason="On appeal.", now=LATER
    )
    record(org, proposed(org, raise_concern), scope="officer", officer=org.liaison)
    assert ContactProhibition.objects.filter(member=org.councillor, officer=org.liaison).count() == 2


# --- Extending the one in force -------------------------------------------------------------------


def test_the_monitoring_officer_extends_a_prohibition_to_a_later_day_then_indefinitely(org, prohibit):
    prohibition = prohibit("officer", officer=org.liaison, ends_on=date(2027, 3, 31))

    prohibition = cs.prohibition_extend(
        prohibition=prohibition,
        actor=org.monitoring.user,
        ends_on=date(2027, 6, 30),
        reason="A second concern.",
        now=LATER,
    )

    assert ContactProhibition.objects.get(pk=prohibition.pk).ends_on == date(2027, 6, 30)
    event = prohibition.sanction.concern.timeline.get(kind=TimelineEvent.Kind.PROHIBITION_EXTENDED)
    assert event.internal
    assert event.note == (
        f"Contact prohibition on {org.councillor} extended: it now applies until Wednesday 30 June 2027. "
        "A second concern."
    )
    told = Notification.objects.get(recipient=org.councillor.user, template="prohibition_extended")
    assert f"contact with {org.liaison.name} now applies until Wednesday 30 June 2027" in told.body

    cs.prohibition_extend(prohibition=prohibition, actor=org.monitoring.user, ends_on=None, reason="", now=LATER)
    assert ContactProhibition.objects.get(pk=prohibition.pk).ends_on is None


def test_it_refuses_an_extension_that_is_not_later_or_not_by_the_monitoring_officer(org, prohibit):
    prohibition = prohibit("all", ends_on=date(2027, 3, 31))
    for ends_on in (date(2027, 3, 31), date(2027, 3, 20)):
        with pytest.raises(ValidationError) as error:
            cs.prohibition_extend(
                prohibition=prohibition, actor=org.monitoring.user, ends_on=ends_on, reason="", now=LATER
            )
        assert error.value.message_dict == {"ends_on": ["The new last day must be after 31 March 2027"]}
    for outsider in (org.chief.user, org.head.user, org.councillor.user):
        with pytest.raises(PermissionDenied):
            cs.prohibition_extend(prohibition=prohibition, actor=outsider, ends_on=None, reason="", now=LATER)
    # One that has ended is a new prohibition, not an extension.
    with pytest.raises(ValidationError) as error:
        cs.prohibition_extend(
            prohibition=prohibition, actor=org.monitoring.user, ends_on=None, reason="", now=london(2027, 4, 1)
        )
    assert error.value.message_dict == {"ends_on": ["It has ended: record a new prohibition instead"]}
    assert ContactProhibition.objects.get(pk=prohibition.pk).ends_on == date(2027, 3, 31)


def test_an_indefinite_prohibition_cannot_be_extended(org, prohibit):
    prohibition = prohibit("all")
    with pytest.raises(ValidationError) as error:
        cs.prohibition_extend(prohibition=prohibition, actor=org.monitoring.user, ends_on=None, reason="", now=LATER)
    assert error.value.message_dict == {"ends_on": ["It already applies indefinitely"]}


# --- The pages ---------------------------------------------------------------------------------------


def test_the_sanctions_form_shows_the_refusal_in_the_error_summary(client, org, prohibit, raise_concern):
    # Real dates: the pages work on today.
    first = prohibit("officer", officer=org.liaison, now=london(2026, 12, 1))
    second = proposed(org, raise_concern, now=london(2026, 12, 2))
    client.force_login(org.monitoring.user)
    url = reverse("cases:concern_sanctions", args=[second.reference])
    page = client.get(url).content.decode()
    version = page.split('name="version" value="')[1].split('"')[0]
    today = date.today()
    response = client.post(
        url,
        {
            "version": version,
            "kinds": "contact_prohibition",
            "scope": "officer",
            "officer": org.liaison.pk,
            "starts_on_0": today.day,
            "starts_on_1": today.month,
            "starts_on_2": today.year,
            "outcome": "No contact.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert f"recorded on {first.sanction.concern.reference}). Extend that prohibition instead" in html
    assert ContactProhibition.objects.filter(member=org.councillor).count() == 1


def test_the_register_offers_to_extend_and_the_page_extends(client, org, prohibit):
    prohibition = prohibit("officer", officer=org.liaison, now=london(2026, 12, 1), ends_on=date(2027, 1, 31))
    client.force_login(org.monitoring.user)
    extend = reverse("cases:prohibition_extend", args=[prohibition.pk])
    assert f'href="{extend}"' in client.get(reverse("cases:sanctions")).content.decode()

    empty = client.post(extend, {}).content.decode()
    assert "govuk-error-summary" in empty
    assert "Choose how long the prohibition should apply" in empty
    assert "Enter why the prohibition is being extended" in empty
    no_date = client.post(extend, {"until": "date", "reason": "Again."}).content.decode()
    assert "Enter the new last day" in no_date
    assert ContactProhibition.objects.get(pk=prohibition.pk).ends_on == date(2027, 1, 31)

    response = client.post(
        extend,
        {"until": "date", "ends_on_0": "30", "ends_on_1": "4", "ends_on_2": "2027", "reason": "A further concern."},
        follow=True,
    )
    assert "now applies until Friday 30 April 2027. The councillor has been told." in response.content.decode()
    assert ContactProhibition.objects.get(pk=prohibition.pk).ends_on == date(2027, 4, 30)


def test_nobody_but_the_monitoring_officer_reaches_the_extend_page(client, org, prohibit):
    prohibition = prohibit("all", now=london(2026, 12, 1), ends_on=date(2027, 1, 31))
    extend = reverse("cases:prohibition_extend", args=[prohibition.pk])
    for person in (org.chief, org.councillor, org.head):
        client.force_login(person.user)
        assert client.post(extend, {"until": "indefinitely", "reason": "x"}).status_code in (403, 404)
    assert ContactProhibition.objects.get(pk=prohibition.pk).ends_on == date(2027, 1, 31)
