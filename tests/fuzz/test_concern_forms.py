"""Hostile input at every concern form (DESIGN §4; 000 §VIII, 001 §6): raising one, each
step up the ladder, the Monitoring Officer's tools and ending a contact prohibition.
Never a 500; what is stored is shown escaped; a form sent twice is stored once."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.concerns.forms import (
    ConcernForm,
    HandlerForm,
    InformalActionForm,
    ProhibitionEndForm,
    ProhibitionExtendForm,
    ReferralForm,
    SanctionsForm,
    TextForm,
)
from cases.models import Behaviour, Concern, ExternalReferral, InformalAction, Notification, Sanction, TimelineEvent
from people.models import ContactProhibition
from tests.factories import CommitteeFactory
from tests.fuzz.harness import (
    Page,
    assert_second_submission_refused,
    each_rolled_back,
    fuzz_page,
    signed_in,
    submission_key,
)
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import bad_ids, choices, form_data, hostile_date, hostile_text, uploads

pytestmark = pytest.mark.django_db

COVERS = {ConcernForm, TextForm, InformalActionForm, SanctionsForm, ReferralForm, HandlerForm, ProhibitionEndForm}
COVERS |= {ProhibitionExtendForm}


def date_data(name: str, day) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def parts(day) -> tuple[int, int, int]:
    return (day.day, day.month, day.year)


def version(concern: Concern) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from([str(concern.version - 1), str(concern.version + 1)]), bad_ids)


def ids(*valid) -> st.SearchStrategy[str]:
    """An id from ``valid`` (someone the form may not offer), or one that is no one's."""
    return st.one_of(st.sampled_from([str(pk) for pk in valid]), bad_ids)


def many_ids(*valid) -> st.SearchStrategy[list[str]]:
    return st.lists(ids(*valid), max_size=4)


def step(person, name: str, concern: Concern, base: dict, *, shown=()) -> Page:
    """A step on a concern: stored when the concern's version moves on."""
    return Page(
        person=person,
        url=reverse(f"cases:{name}", args=[concern.reference]),
        base={"version": str(concern.version), **base},
        stored=lambda: Concern.objects.get(pk=concern.pk).version != concern.version,
        shown=shown,
        records=lambda: TimelineEvent.objects.filter(concern=concern).count() + Notification.objects.count(),
    )


# --- The pages, each with valid data ------------------------------------------------------


def raising_about_a_councillor(org, concerns) -> Page:
    raised = Concern.objects.count()
    return Page(
        person=org.liaison,
        url=reverse("cases:concern_new"),
        base={
            "about_member": str(org.councillor.pk),
            "duties": "no",
            **date_data("occurred_on", timezone.localdate() - timedelta(days=3)),
            "what_happened": "Told me in front of residents that I was useless.",
            "feels_able_to_talk": "yes",
        },
        stored=lambda: Concern.objects.count() > raised,
        shown=("what_happened",),
        records=Concern.objects.count,
    )


def raising_about_an_officer(org, concerns) -> Page:
    page = raising_about_a_councillor(org, concerns)
    page.person = org.councillor
    page.base = {**page.base, "about_officer": str(org.liaison.pk)}
    del page.base["about_member"]
    return page


def escalating_to_line_management(org, concerns) -> Page:
    base = {"reason": "We talked and it carried on."}
    return step(org.liaison, "concern_escalate", concerns.direct, base, shown=("reason",))


def escalating_to_the_monitoring_officer(org, concerns) -> Page:
    base = {"reason": "It needs the Monitoring Officer."}
    page = step(org.head, "concern_escalate", concerns.line_management, base, shown=("reason",))
    page.shown_to = org.monitoring  # the head no longer sees it
    return page


def resolving(org, concerns) -> Page:
    base = {"outcome": "Both agreed to meet monthly."}
    return step(org.head, "concern_resolve", concerns.line_management, base, shown=("outcome",))


def informal_action(org, concerns) -> Page:
    base = {
        "kinds": [InformalAction.Kind.ADVICE, InformalAction.Kind.TRAINING],
        "given_by": InformalAction.GivenBy.MONITORING_OFFICER,
        "advice_details": "Keep to the protocol.",
        "training_details": "The member-officer relations course.",
        "outcome": "Words of advice and training.",
    }
    return step(org.monitoring, "concern_informal", concerns.review, base, shown=("advice_details", "outcome"))


def formal_action(org, concerns) -> Page:
    base = {"reason": "Repeated and serious."}
    return step(org.monitoring, "concern_formal", concerns.review, base, shown=("reason",))


def sanctions_on_a_councillor(org, concerns) -> Page:
    base = {
        "kinds": [Sanction.Kind.GROUP_DISCIPLINARY, Sanction.Kind.CONTACT_PROHIBITION],
        "group_details": "Suspended from the group for a month.",
        "scope": ContactProhibition.Scope.OFFICER,
        # Not the liaison officer: the councillor may not contact them already (tests/fuzz/conftest.py),
        # and a second prohibition on the same contact is refused.
        "officer": str(org.colleague.pk),
        **date_data("starts_on", timezone.localdate()),
        **date_data("ends_on", timezone.localdate() + timedelta(days=30)),
        "outcome": "Sanctions recorded.",
    }
    page = step(org.monitoring, "concern_sanctions", concerns.sanction, base, shown=("group_details", "outcome"))
    page.records = lambda: Sanction.objects.count() + ContactProhibition.objects.count()
    return page


def sanctions_on_an_officer(org, concerns) -> Page:
    base = {"disciplinary_reference": "HR-2026-014", "officer_details": "A final warning.", "outcome": "Recorded."}
    return step(
        org.monitoring,
        "concern_sanctions",
        concerns.sanction_on_officer,
        base,
        shown=("disciplinary_reference", "officer_details", "outcome"),
    )


def referring(org, concerns) -> Page:
    base = {
        "kind": ExternalReferral.Kind.STANDARDS_COMPLAINT,
        "details": "Referred under the arrangements.",
        "independent_person": "Pat Independent",
        "outcome": "A formal standards complaint.",
    }
    return step(org.monitoring, "concern_refer", concerns.review, base, shown=("details", "outcome"))


def withdrawing(org, concerns) -> Page:
    return step(org.liaison, "concern_withdraw", concerns.direct, {"reason": "We sorted it out."}, shown=("reason",))


def sharing(org, concerns) -> Page:
    return step(org.monitoring, "concern_share", concerns.review, {"note": "For your information."})


def reassigning(org, concerns) -> Page:
    base = {"new_owner": str(org.other_head.pk), "reason": "A fresh pair of eyes."}
    return step(org.monitoring, "concern_reassign", concerns.line_management, base, shown=("reason",))


def noting(org, concerns) -> Page:
    return step(
        org.head, "concern_note", concerns.line_management, {"note": "Spoke to the Group Leader."}, shown=("note",)
    )


def noting_as_a_reviewer(org, concerns) -> Page:
    """The Whip's note on the concern they review with the Monitoring Officer (000 §VIII)."""
    base = {"note": "Spoke to the councillor after the group meeting."}
    return step(concerns.whip, "concern_note", concerns.review, base, shown=("note",))


def ending_a_prohibition(org, concerns) -> Page:
    prohibition = concerns.prohibition
    return Page(
        person=org.monitoring,
        url=reverse("cases:prohibition_end", args=[prohibition.pk]),
        base={**date_data("ends_on", timezone.localdate() + timedelta(days=10)), "reason": "Appeal upheld."},
        stored=lambda: ContactProhibition.objects.get(pk=prohibition.pk).ends_on != prohibition.ends_on,
        records=lambda: TimelineEvent.objects.count() + Notification.objects.count(),
    )


STEPS = [
    escalating_to_line_management,
    escalating_to_the_monitoring_officer,
    resolving,
    informal_action,
    formal_action,
    sanctions_on_a_councillor,
    sanctions_on_an_officer,
    referring,
    withdrawing,
    sharing,
    reassigning,
    noting,
    noting_as_a_reviewer,
]


# --- Hostile input --------------------------------------------------------------------------


@pytest.fixture
def committee(org):
    """A committee the councillor sits on, to be removed from."""
    committee = CommitteeFactory(name="Planning")
    committee.members.add(org.councillor)
    return committee


def raising_hostile(org, page: Page) -> dict:
    behaviours = Behaviour.objects.values_list("pk", flat=True)[:3]
    occurred_on = timezone.localdate() - timedelta(days=3)
    hostile = {
        "duties": choices(["yes", "no"]),
        "occurred_on": hostile_date("occurred_on", parts(occurred_on)),
        "what_happened": hostile_text(),
        "feels_able_to_talk": choices(["yes", "no"]),
        "safeguarding": st.sampled_from(["on", "off", "\x00", ""]),
        "behaviours_nolan": many_ids(*behaviours),
        "behaviours_limit": many_ids(*behaviours),
        "evidence": uploads(),
        "submission_key": st.one_of(st.just(str(uuid4())), hostile_text(36)),
    }
    # The other party: a councillor for an officer, an officer for a councillor.
    if "about_member" in page.base:
        hostile["about_member"] = ids(org.councillor2.pk, org.liaison.pk, org.stranger.pk)
    else:
        hostile["about_officer"] = ids(org.outsider.pk, org.councillor.pk, org.chief.pk)
    return hostile


@fuzz(40)
@given(data=st.data())
def test_raising_a_concern(client, org, concerns, data):
    build = data.draw(st.sampled_from([raising_about_a_councillor, raising_about_an_officer]), label="page")
    page = build(org, concerns)
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, raising_hostile(org, page)), label="form"))


TEXT_STEPS = {
    escalating_to_line_management: ("reason", lambda c: c.direct),
    escalating_to_the_monitoring_officer: ("reason", lambda c: c.line_management),
    resolving: ("outcome", lambda c: c.line_management),
    formal_action: ("reason", lambda c: c.review),
    withdrawing: ("reason", lambda c: c.direct),
    sharing: ("note", lambda c: c.review),
    noting: ("note", lambda c: c.line_management),
    noting_as_a_reviewer: ("note", lambda c: c.review),
}


@fuzz(40)
@given(data=st.data())
def test_steps_with_one_text_box(client, org, concerns, data):
    build = data.draw(st.sampled_from(list(TEXT_STEPS)), label="page")
    page = build(org, concerns)
    name, concern = TEXT_STEPS[build]
    hostile = {"version": version(concern(concerns)), name: hostile_text()}
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(25)
@given(data=st.data())
def test_informal_action(client, org, concerns, data):
    page = informal_action(org, concerns)
    hostile = {
        "version": version(concerns.review),
        "kinds": st.lists(choices(list(InformalAction.Kind.values)), max_size=3),
        "given_by": choices(list(InformalAction.GivenBy.values)),
        "advice_details": hostile_text(),
        "training_details": hostile_text(),
        "outcome": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(25)
@given(data=st.data())
def test_sanctions_on_a_councillor(client, org, concerns, committee, data):
    page = sanctions_on_a_councillor(org, concerns)
    today = timezone.localdate()
    hostile = {
        "version": version(concerns.sanction),
        "kinds": st.lists(choices([kind.value for kind in Sanction.Kind]), max_size=4),
        "group_details": hostile_text(),
        # The councillor's committee, one they do not sit on, or none at all.
        "committees": many_ids(committee.pk, *org.standards_member.committees.values_list("pk", flat=True)),
        "scope": choices(list(ContactProhibition.Scope.values)),
        "officer": ids(org.outsider.pk, org.councillor.pk),
        "service": ids(org.libraries.pk, org.highways.pk),
        "starts_on": hostile_date("starts_on", parts(today)),
        "ends_on": hostile_date("ends_on", parts(today + timedelta(days=30))),
        "outcome": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(15)
@given(data=st.data())
def test_sanctions_on_an_officer(client, org, concerns, data):
    page = sanctions_on_an_officer(org, concerns)
    hostile = {
        "version": version(concerns.sanction_on_officer),
        "disciplinary_reference": hostile_text(100),
        "officer_details": hostile_text(),
        "outcome": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(20)
@given(data=st.data())
def test_referring(client, org, concerns, data):
    page = referring(org, concerns)
    hostile = {
        "version": version(concerns.review),
        "kind": choices(list(ExternalReferral.Kind.values)),
        "details": hostile_text(),
        "independent_person": hostile_text(150),
        "outcome": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(20)
@given(data=st.data())
def test_reassigning(client, org, concerns, data):
    page = reassigning(org, concerns)
    hostile = {
        "version": version(concerns.line_management),
        # Officers the Monitoring Officer may not hand it to, a councillor's id, or no one.
        "new_owner": ids(org.outsider.pk, org.liaison.pk, org.councillor.pk, org.head.pk),
        "reason": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(20)
@given(data=st.data())
def test_ending_a_prohibition(client, org, concerns, data):
    page = ending_a_prohibition(org, concerns)
    hostile = {
        "ends_on": hostile_date("ends_on", parts(timezone.localdate() + timedelta(days=10))),
        "reason": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


def extending_a_prohibition(org, concerns) -> Page:
    prohibition = concerns.prohibition
    later = prohibition.ends_on + timedelta(days=30)
    return Page(
        person=org.monitoring,
        url=reverse("cases:prohibition_extend", args=[prohibition.pk]),
        base={"until": "date", **date_data("ends_on", later), "reason": "A further concern."},
        stored=lambda: ContactProhibition.objects.get(pk=prohibition.pk).ends_on != prohibition.ends_on,
        records=lambda: TimelineEvent.objects.count() + Notification.objects.count(),
    )


@fuzz(20)
@given(data=st.data())
def test_extending_a_prohibition(client, org, concerns, data):
    page = extending_a_prohibition(org, concerns)
    hostile = {
        "until": st.one_of(st.sampled_from(["date", "indefinitely", "forever"]), hostile_text()),
        "ends_on": hostile_date("ends_on", parts(concerns.prohibition.ends_on + timedelta(days=30))),
        "reason": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


# --- Sent twice -----------------------------------------------------------------------------


def test_it_stores_a_step_sent_twice_once(client, org, concerns):
    def check(build):
        html = assert_second_submission_refused(client, build(org, concerns))
        assert "your first submission was saved, and the second was not." in html

    each_rolled_back(STEPS, check)


def test_it_raises_a_concern_sent_twice_once(client, org, concerns):
    def check(build):
        page = build(org, concerns)
        data = {**page.base, "submission_key": submission_key(signed_in(client, page.person), page.url)}
        html = assert_second_submission_refused(client, page, data)
        assert "You have already sent this concern: it is CON-" in html

    each_rolled_back([raising_about_a_councillor, raising_about_an_officer], check)


def test_it_ends_a_prohibition_sent_twice_once(client, org, concerns):
    html = assert_second_submission_refused(client, ending_a_prohibition(org, concerns))
    assert "It already ends on" in html


def test_it_extends_a_prohibition_sent_twice_once(client, org, concerns):
    html = assert_second_submission_refused(client, extending_a_prohibition(org, concerns))
    assert "The new last day must be after" in html
