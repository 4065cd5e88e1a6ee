"""What each person reads on a concern's page (DESIGN §4: need-to-know; 001 §6.1: the
complainant is told the outcome, not the deliberations)."""

from datetime import date

import pytest
from django.urls import reverse

from cases.concerns import services as concern_services
from cases.concerns.services import InformalStep, SanctionSpec
from people.models import ContactProhibition

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_review(org):
    concern = concern_services.concern_raise(
        raised_by=org.liaison.user,
        about_member=org.councillor,
        occurred_on=date(2026, 11, 2),
        what_happened="Raised voice at me in the lobby.",
        feels_able_to_talk=False,
    )
    return concern_services.concern_escalate(concern=concern, actor=org.head.user, reason="Again last week.")


def page_for(client, user, concern) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:concern", args=[concern.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_complainant_reads_the_outcome_but_not_the_words_of_advice(client, org, at_review):
    concern = concern_services.concern_informal_action(
        concern=at_review,
        actor=org.monitoring.user,
        steps=[
            InformalStep(kind="advice", given_by="monitoring_officer", details="Reminded of 001 §3.2(h) privately.")
        ],
        outcome="The councillor has been given advice about how to raise concerns with officers.",
    )

    complainant_page = page_for(client, org.liaison.user, concern)
    assert "The councillor has been given advice" in complainant_page
    assert "Reminded of 001 §3.2(h) privately" not in complainant_page

    client.logout()
    assert "Reminded of 001 §3.2(h) privately" in page_for(client, org.monitoring.user, concern)


def test_the_complainant_is_not_shown_the_sanction_register_entry(client, org, at_review):
    concern = concern_services.concern_propose_formal_action(concern=at_review, actor=org.monitoring.user, reason="")
    concern = concern_services.concern_sanctions_record(
        concern=concern,
        actor=org.monitoring.user,
        sanctions=[
            SanctionSpec(
                kind="contact_prohibition",
                scope=ContactProhibition.Scope.SERVICE,
                service=org.libraries,
                starts_on=date.today(),
            ),
        ],
        outcome="Formal action has been taken under the Members' Code of Conduct.",
    )

    complainant_page = page_for(client, org.liaison.user, concern)
    assert "Formal action has been taken under the Members" in complainant_page
    assert "the officers of Libraries" not in complainant_page
