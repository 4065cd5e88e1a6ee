"""What each role does in the portal, and where to start (DESIGN §1).

The home page shows a signed-in person a card for each of their roles, each with at least
one link (issue 15 C16). Later features add their links here, next to the role that uses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse

from people.roles import Role


@dataclass(frozen=True)
class NextStep:
    text: str
    url_name: str
    # The page is the person's own councillor profile (the URL takes their record's key).
    own_profile: bool = False

    def url_for(self, user: AbstractBaseUser | AnonymousUser) -> str | None:
        """Where the link goes for ``user``; None when it has nowhere to go for them."""
        if not self.own_profile:
            return reverse(self.url_name)
        member = getattr(user, "member", None)
        return reverse(self.url_name, args=[member.pk]) if member is not None else None


@dataclass(frozen=True)
class RoleGuide:
    role: Role
    summary: str
    next_steps: tuple[NextStep, ...] = field(default=())


@dataclass(frozen=True)
class Card:
    """A role's card on the home page: what the role does here, and links to do it."""

    guide: RoleGuide
    links: list[tuple[str, str]]


SERVICE_QUEUE = NextStep("See your services' enquiries", "cases:service_queue")
RAISE_CONCERN = NextStep("Raise a concern", "cases:concern_new")
CONCERNS = NextStep("Follow your concerns", "cases:concerns")
JOINED_CONCERNS = NextStep("See the concerns you have joined", "cases:concerns")
DASHBOARDS = NextStep("See the dashboards and reports", "reporting:dashboard")
MY_WORK = NextStep("Answer the enquiries assigned to you", "cases:my_work")
GROUP_BRIEFINGS = NextStep("See briefings offered to your group and record its response", "cases:briefings")
RECORD_BRIEFING = NextStep("Record a briefing offered to a political group", "cases:briefing_new")
BRIEFINGS_LEFT_OUT = NextStep("See briefings not offered to every political group", "cases:briefings_compliance")

ADMIN_STEPS = (
    NextStep("Keep councillors' profiles up to date, or record that one leaves office", "people:member_directory"),
    NextStep("Keep wards up to date", "admin:people_ward_changelist"),
    NextStep("Keep political groups, leaders and whips up to date", "admin:people_politicalgroup_changelist"),
    NextStep("Keep councillors' records up to date", "admin:people_member_changelist"),
    NextStep("Keep directorates and services up to date", "admin:people_service_changelist"),
    NextStep("Keep officers and line managers up to date", "admin:people_officer_changelist"),
    NextStep("Keep committees, chairs and members up to date", "admin:people_committee_changelist"),
    NextStep("Keep the council's closure days up to date", "admin:escalation_closureday_changelist"),
    # UK GDPR Art. 15: a person's own records, with other people's data redacted.
    NextStep("Answer a subject access request", "reporting:subject_access"),
)

ROLE_GUIDES = (
    RoleGuide(
        Role.COUNCILLOR,
        "You file enquiries to officers and follow them to an answer within five working days, "
        "dispute an enquiry that was declined, raise concerns and record examples of good working.",
        (
            NextStep("File an enquiry", "cases:enquiry_new"),
            NextStep("Follow your enquiries", "cases:my_enquiries"),
            NextStep("See notices for your wards", "cases:ward_notices"),
            NextStep("Find an officer or your Councillor Liaison Officer", "people:officer_directory"),
            NextStep("Keep your profile up to date", "people:member_profile", own_profile=True),
            RAISE_CONCERN,
            CONCERNS,
        ),
    ),
    RoleGuide(
        Role.WHIP,
        "You join the Monitoring Officer when a concern is about a councillor in your group, and record "
        "whether your group accepts the briefings officers offer it (001 §9.5.2).",
        (JOINED_CONCERNS, GROUP_BRIEFINGS),
    ),
    RoleGuide(
        Role.GROUP_LEADER,
        "Unresolved concerns about councillors in your group can be channelled through you. Officers' "
        "briefings are offered to every group alike: you record whether your group accepts (001 §9.5.2).",
        (GROUP_BRIEFINGS,),
    ),
    RoleGuide(
        Role.CHAIR_OF_STANDARDS,
        "You do the Whip's part for independent councillors and see the Standards Committee's dashboards.",
        (JOINED_CONCERNS, DASHBOARDS),
    ),
    RoleGuide(
        Role.STANDARDS_COMMITTEE,
        "You see whether the protocol works: dashboards and reports, with no names.",
        (DASHBOARDS,),
    ),
    RoleGuide(
        Role.OFFICER,
        "You answer enquiries assigned to you, send holding replies, reassign within your service, raise concerns "
        "and tell ward councillors about what affects their wards. "
        "A briefing you offer to one political group is offered to all of them (001 §9.5.2).",
        (MY_WORK, RAISE_CONCERN, CONCERNS, NextStep("Send a ward notice", "cases:ward_notice_new"), RECORD_BRIEFING),
    ),
    RoleGuide(
        Role.LIAISON_OFFICER,
        "You are the first owner of councillors' enquiries about your service.",
        (MY_WORK, NextStep("See every service's Councillor Liaison Officers", "people:liaison_officers")),
    ),
    RoleGuide(
        Role.HEAD_OF_SERVICE,
        "You own enquiries that were escalated to you, may decline an enquiry as inappropriate "
        "and handle concerns at line-management stage.",
        (SERVICE_QUEUE,),
    ),
    RoleGuide(
        Role.ASSISTANT_DIRECTOR,
        "You handle concerns at line-management stage and pass examples of good working to the Monitoring Officer.",
        (
            NextStep("Handle concerns at line-management stage", "cases:concerns"),
            NextStep("Pass examples of good working to the Monitoring Officer", "cases:positive_examples"),
        ),
    ),
    RoleGuide(
        Role.DIRECTOR,
        "You own enquiries that were escalated to you and handle concerns at line-management stage.",
        (SERVICE_QUEUE,),
    ),
    RoleGuide(
        Role.CHIEF_EXECUTIVE,
        "You receive enquiries at the top of the escalation ladder and decide disputes about declined enquiries.",
        (NextStep("Decide disputes and see your enquiries", "cases:my_work"), SERVICE_QUEUE),
    ),
    RoleGuide(
        Role.MONITORING_OFFICER,
        "You triage every concern that reaches stage 3, decide informal or formal action, record sanctions "
        "and see patterns.",
        (
            NextStep("Triage what is waiting for you", "cases:triage"),
            NextStep("See the sanctions register", "cases:sanctions"),
            NextStep("See every enquiry", "cases:service_queue"),
            BRIEFINGS_LEFT_OUT,
        ),
    ),
    RoleGuide(
        Role.DIRECTOR_OF_PEOPLE_SERVICES,
        "You join the Monitoring Officer when a concern is about an officer.",
        (JOINED_CONCERNS,),
    ),
    RoleGuide(
        Role.DEMOCRATIC_SERVICES,
        "You keep the council's organisation up to date: wards, groups, councillors, services, "
        "officers and committees, and see that briefings are offered to every political group.",
        (*ADMIN_STEPS, BRIEFINGS_LEFT_OUT),
    ),
)


def guides_for(roles: set[Role]) -> list[RoleGuide]:
    return [guide for guide in ROLE_GUIDES if guide.role in roles]


def cards_for(guides: list[RoleGuide], user: AbstractBaseUser | AnonymousUser) -> list[Card]:
    cards = []
    for guide in guides:
        links = [(step.text, url) for step in guide.next_steps if (url := step.url_for(user)) is not None]
        cards.append(Card(guide, links))
    return cards
