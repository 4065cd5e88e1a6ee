"""The objects the fuzzed forms act on, each in the state its forms start from. Every
test builds them once; each Hypothesis example then runs in a savepoint that is rolled
back (tests.fuzz.harness.rolled_back), so every example finds them as built here."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.concerns import services as cs
from cases.concerns.services import SanctionSpec
from cases.enquiries import services
from cases.models import Marking, Purpose, Sanction
from cases.positive import services as positive_services
from escalation.calendar import council_calendar
from people.models import ContactProhibition
from tests.factories import MemberFactory
from tests.fuzz import profiles  # noqa: F401  (loads the Hypothesis profile before the tests' decorators run)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def enquiries(org):
    """One enquiry in each state an action starts from, all filed by org.councillor to Highways."""

    def filed(**kwargs):
        defaults = {
            "member": org.councillor,
            "subject": "Pothole on Mill Lane",
            "details": "When will it be repaired?",
            "service": org.highways,
            "purpose": Purpose.INFORMATION,
        }
        return services.enquiry_file(**{**defaults, **kwargs})

    declined = services.enquiry_decline(enquiry=filed(), actor=org.head.user, reasons="A matter for the county.")
    disputed = services.enquiry_decline(enquiry=filed(), actor=org.head.user, reasons="A matter for the county.")
    return SimpleNamespace(
        submitted=filed(attachments=[SimpleUploadedFile("survey.pdf", PDF, content_type="application/pdf")]),
        # Casework for a ward the councillor does not represent: explicit consent needed (001 §8.2).
        needs_consent=filed(
            purpose=Purpose.CASEWORK,
            ward=org.other_ward,
            constituent_lives_in_ward=True,
            acting_for_constituent=True,
            information_needed_for_complaint=True,
        ),
        answered=services.enquiry_answer(
            enquiry=filed(),
            actor=org.liaison.user,
            text="Next week.",
            marking=Marking.PUBLIC,
            contains_personal_data=False,
        ),
        declined=declined,
        disputed=services.enquiry_dispute(enquiry=disputed, actor=org.councillor.user, reasons="It is our road."),
        # A holding reply asking the councillor to agree to a later date (issue 15 A3).
        extension=services.enquiry_hold(
            enquiry=filed(),
            actor=org.liaison.user,
            reason="Waiting for the survey.",
            target_on=council_calendar().add_working_days(timezone.localdate(), 30),
            agreement=services.Agreement.ASK,
        ),
    )


@pytest.fixture
def concerns(org):
    """A concern at each stage, each raised by the liaison officer about the councillor
    (or, for ``about_officer``, by the councillor about the liaison officer), and the Whip of
    the councillor's group, who joins those about the councillor from stage 3."""

    def raised(**kwargs):
        defaults = {
            "raised_by": org.liaison.user,
            "about_member": org.councillor,
            "occurred_on": timezone.localdate() - timedelta(days=2),
            "what_happened": "Shouted at me in the council chamber.",
            "feels_able_to_talk": True,
        }
        return cs.concern_raise(**{**defaults, **kwargs})

    # The Whip of the councillor's group, who joins the review at stage 3 (000 §VIII).
    whip = MemberFactory(user__username="whip", wards=[org.ward], group=org.councillor.group)
    org.councillor.group.whips.add(whip)

    def at_stage_three(**kwargs):
        concern = raised(feels_able_to_talk=False, **kwargs)
        return cs.concern_escalate(concern=concern, actor=org.head.user, reason="It carries on.")

    def at_stage_four(**kwargs):
        concern = at_stage_three(**kwargs)
        return cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="Serious.")

    about_officer = {"raised_by": org.councillor.user, "about_member": None, "about_officer": org.liaison}
    prohibited = cs.concern_sanctions_record(
        concern=at_stage_four(),
        actor=org.monitoring.user,
        sanctions=[
            SanctionSpec(
                kind=Sanction.Kind.CONTACT_PROHIBITION,
                scope=ContactProhibition.Scope.OFFICER,
                officer=org.liaison,
                starts_on=timezone.localdate(),
                ends_on=timezone.localdate() + timedelta(days=90),
            )
        ],
        outcome="A contact prohibition for three months.",
    )
    return SimpleNamespace(
        direct=raised(),
        line_management=raised(feels_able_to_talk=False),
        review=at_stage_three(),
        sanction=at_stage_four(),
        sanction_on_officer=at_stage_four(**about_officer),
        prohibition=ContactProhibition.objects.get(sanction__concern=prohibited),
        whip=whip,
    )


@pytest.fixture
def positive_examples(org):
    def recorded():
        return positive_services.positive_example_record(
            recorded_by=org.councillor.user,
            title="Flood response",
            what_happened="Officers and councillors worked through the night.",
            happened_on=timezone.localdate() - timedelta(days=3),
            service=org.highways,
        )

    forwarded = positive_services.positive_example_forward(
        example=recorded(), actor=org.assistant.user, comment="Well done."
    )
    return SimpleNamespace(with_assistant_director=recorded(), with_monitoring_officer=forwarded)


@pytest.fixture
def briefings(org):
    """A briefing the Head of Service recorded, offered to the councillor's group and so to the
    other two (001 §9.5.2), and a group formed since, left out of it."""
    from cases.briefings import services as briefing_services
    from tests.factories import PoliticalGroupFactory

    briefing = briefing_services.briefing_record(
        recorded_by=org.head.user,
        subject="Highways capital programme",
        given_by=org.head,
        takes_place_on=timezone.localdate() + timedelta(days=10),
        offered_to=org.councillor.group,
    )
    PoliticalGroupFactory(name="Breakaway Group", formed_on=timezone.localdate())
    return SimpleNamespace(briefing=briefing, offer=briefing.offers.get(group=org.councillor.group))


@pytest.fixture
def notice_wards(org):
    """The wards a fuzzed ward notice is sent to: org's two, with three councillors between them."""
    return [org.ward, org.other_ward]
