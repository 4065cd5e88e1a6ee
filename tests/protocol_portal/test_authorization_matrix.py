"""The authorization matrix: every URL pattern of the project, for every role of the demo
council, on each object that matters to it, with GET and with an empty POST (issue 7).

Who asks: every account of protocol_portal.demo DEMO_ACCOUNTS (the administrator among them), an
officer of another service who manages no one (drawn from the demo council), a deputy
Monitoring Officer, and someone not signed in. The admin's own pages answer by one rule
(staff or not) and are tried for four of them (ADMIN_VIEWERS).

What they should get comes from an oracle written here from the rules of DESIGN §3, §4, §6
and §7 (who may see an enquiry, a concern, a positive example, the reports; who may take
each step), reading the organisation and the cases straight from the models. It never asks
the portal's selectors or transition permissions, so a selector that lets too much through
fails here. Where DESIGN is silent the oracle follows the portal and says so (an
administrator sees every enquiry, as the Django admin lists them).

Zero leaks: every page that answers 200 is read for case references (ENQ-, CON-, POS-…),
and each must be one the viewer may see (DESIGN §4: "Visibility is need-to-know"), or, on
the notifications page, one they were told about (a past handler, a sanctioned subject). The
Standards Committee's pages are read for the names of every party to a concern and of the
demo accounts (DESIGN §7: "No names on the committee's pages").

One test per URL pattern makes every request for it (its objects × viewers × GET and POST)
and fails listing each one that went wrong: method, path, pattern, object, viewer, what came
back and what was expected. The demo council is built once for the module (``seed_demo``,
about 20 s) in a transaction rolled back at the end, as in tests/cases/test_seed_demo.py;
each pattern's requests run in a savepoint inside it, with one signed-in session per viewer.

Adding a URL (one line)
-----------------------
``test_every_url_pattern_is_in_the_matrix`` walks the resolver and fails for a pattern
without an entry in MATRIX, naming it: "Add it to the matrix". An entry is keyed by the
pattern's full name (``namespace:name``), or its route when it has none. It gives the
objects to try it on (labels of TARGETS built in ``_build``; NONE for a page without one)
and a rule from an ``Ask`` (viewer, target, method) to the expected answer, for example:

    "two_factor:setup": Page(NONE, page_or_form(lambda ask: True)),
    "audit:log": Page(LIST, signed_in(lambda ask: OK if ask.viewer.is_staff else FORBIDDEN), read_only=True),

``read_only=True`` says the view answers GET only (405 to a POST, tried on its first
target). A model newly registered in the admin is one line in ADMIN_MODELS.
"""

from __future__ import annotations

import io
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.template.defaultfilters import linebreaksbr
from django.test import Client, TestCase
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from cases.concerns import services as concern_services
from cases.cover.services import cover_set
from cases.enquiries import services
from cases.models import (
    Behaviour,
    Briefing,
    BriefingOffer,
    Concern,
    ConcernState,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    EnquiryState,
    HoldingReply,
    PositiveExample,
    PositiveExampleState,
    Purpose,
    TimelineEvent,
    WardNotice,
    WardNoticeKind,
    WardNoticeRecipient,
)
from cases.notices.services import ward_notice_send
from escalation.calendar import council_calendar, local_date
from escalation.models import ClosureDay
from people.models import (
    AuditEvent,
    Committee,
    ContactProhibition,
    Cover,
    Directorate,
    Member,
    Officer,
    PoliticalGroup,
    Service,
    StatutoryAppointment,
    StatutoryRole,
    Ward,
)
from people.roles import Role
from protocol_portal.demo import DEMO_ACCOUNTS, DEMO_SERVICE
from protocol_portal.retention.services import retention_run

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
REFERENCE = re.compile(r"\b(?:ENQ|CON|POS|BRF|WN)-\d{4}-\d{5}\b")
ANONYMOUS = "anonymous"
# Besides the demo accounts: an officer of another service who manages no one, drawn from the
# demo council, and a deputy Monitoring Officer (DESIGN §1: "Monitoring Officer (and deputies)").
PLAIN_OFFICER = "plain.officer.elsewhere"
DEPUTY_MO = "deputy.monitoring.officer"
VIEWERS = (*DEMO_ACCOUNTS, PLAIN_OFFICER, DEPUTY_MO, ANONYMOUS)
# The admin's pages answer by one rule (staff or not): tried for these.
DEMOCRATIC_SERVICES = "democratic.services"
ADMIN_VIEWERS = (ANONYMOUS, "councillor", "monitoring.officer", DEMOCRATIC_SERVICES, "admin")


# === Expected answers ====================================================================


@dataclass(frozen=True)
class Expect:
    status: int
    location: str = ""  # a redirect: how its Location starts
    form_errors: bool = False  # a POST answered with the form again: the GOV.UK error summary

    def __str__(self) -> str:
        return f"{self.status} {self.location}".strip()


OK = Expect(200)
FORM_ERRORS = Expect(200, form_errors=True)
FORBIDDEN = Expect(403)
NOT_FOUND = Expect(404)
NOT_ALLOWED = Expect(405)
SIGN_IN = Expect(302, "/sign-in/?next=")
ADMIN_SIGN_IN = Expect(302, "/admin/login/?next=")


def redirect(to: str) -> Expect:
    return Expect(302, to)


@dataclass(frozen=True)
class Ask:
    """One request: who asks, about what, how."""

    viewer: Viewer
    target: Target
    method: str
    oracle: Oracle

    @property
    def post(self) -> bool:
        return self.method == "POST"


Rule = Callable[[Ask], Expect]


def signed_in(rule: Rule) -> Rule:
    """LoginRequiredMiddleware: every page but the public ones sends a stranger to sign in."""
    return lambda ask: SIGN_IN if ask.viewer.anonymous else rule(ask)


def page_or_form(allowed: Callable[[Ask], bool]) -> Rule:
    """A page (GET) or its form (an empty POST shows the errors) for those allowed; 403 to others."""
    return signed_in(lambda ask: (FORM_ERRORS if ask.post else OK) if allowed(ask) else FORBIDDEN)


def case_action(sees: Callable[[Ask], bool], may: Callable[[Ask], bool]) -> Rule:
    """A case's page or action: 404 to anyone who may not see the case (its existence is not
    revealed), 403 to someone who sees it but may not do this now, else the page or form."""

    def rule(ask: Ask) -> Expect:
        if not sees(ask):
            return NOT_FOUND
        if not may(ask):
            return FORBIDDEN
        return FORM_ERRORS if ask.post else OK

    return signed_in(rule)


@dataclass(frozen=True)
class Page:
    targets: tuple[str, ...]
    rule: Rule
    read_only: bool = False  # answers GET only: a POST gets 405 (tried on the first target)
    viewers: tuple[str, ...] = VIEWERS

    def requests(self):
        for target in self.targets:
            yield target, "GET"
            if not self.read_only:
                yield target, "POST"
        if self.read_only:
            yield self.targets[0], "POST"

    def expect(self, ask: Ask) -> Expect:
        if self.read_only and ask.post and not ask.viewer.anonymous:
            return NOT_ALLOWED
        return self.rule(ask)


# === Who is asking: the facts DESIGN §1–§2 give each role, read from the organisation ===


@dataclass
class Viewer:
    key: str
    user: object | None = None
    member: Member | None = None
    officer: Officer | None = None
    is_monitoring_officer: bool = False  # the Monitoring Officer or a deputy
    is_chief_executive: bool = False  # the Head of Paid Service
    is_standards: bool = False  # a member or the chair of the Standards Committee
    runs_the_portal: bool = False  # Democratic Services (a role given by hand: DESIGN §1), or a superuser
    manages: frozenset[int] = frozenset()  # services they head, are assistant director or director of
    speaks_for: frozenset[int] = frozenset()  # political groups they lead or whip now
    senior: bool = False  # Head of Service or above (001 §7.1)
    may_see: set[str] = field(default_factory=set)  # references of the cases they may see
    told: set[str] = field(default_factory=set)  # references they may have been told about
    session: str = ""  # their signed-in session's key

    def __str__(self) -> str:
        return f"{self.key} ({self.user.username})" if self.user and self.user.username != self.key else self.key

    @property
    def anonymous(self) -> bool:
        return self.user is None

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user else None

    @property
    def is_staff(self) -> bool:
        return bool(self.user and self.user.is_staff)

    @property
    def is_superuser(self) -> bool:
        return bool(self.user and self.user.is_superuser)

    @property
    def serving_member(self) -> bool:
        return self.member is not None and self.member.is_in_office()

    @property
    def serving_officer(self) -> bool:
        return self.officer is not None and self.officer.is_serving()

    @property
    def operational(self) -> bool:
        """DESIGN §7: the Monitoring Officer and the Chief Executive see every number."""
        return self.is_monitoring_officer or self.is_chief_executive

    @property
    def reads_reports(self) -> bool:
        """DESIGN §1, §7: the Standards Committee, its Chair and the statutory officers."""
        return self.operational or self.is_standards


# === The oracle: who may see what, and who may do what (DESIGN §3, §4, §6) ===============


class Oracle:
    """Every case's audience, worked out from the facts, not from the portal's permissions."""

    def __init__(self) -> None:
        User = get_user_model()
        self.officers = {
            pk: (user_id, manager_id)
            for pk, user_id, manager_id in Officer.objects.values_list("pk", "user_id", "line_manager_id")
        }
        appointments = StatutoryAppointment.objects.filter(officer__in=Officer.objects.current())
        self.monitoring_team = set(
            appointments.filter(role=StatutoryRole.MONITORING_OFFICER).values_list("officer_id", flat=True)
        )
        chief = appointments.get(role=StatutoryRole.HEAD_OF_PAID_SERVICE, is_deputy=False).officer
        people_director = appointments.get(role=StatutoryRole.DIRECTOR_OF_PEOPLE_SERVICES, is_deputy=False).officer
        self.chief = chief
        self.service_managers = {
            service.pk: {service.head_of_service_id, service.assistant_director_id, service.directorate.director_id}
            - {None}
            for service in Service.objects.select_related("directorate")
        }
        mo_users = {self.officers[pk][0] for pk in self.monitoring_team}
        superusers = set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))

        # --- Enquiries (DESIGN §3; 001 §7.1, §7.4): the member who filed it; everyone who has
        # owned it (its first owner, reassignments, escalations up the ladder, a direction after
        # a dispute) and their line managers; the managers of its service; the Monitoring
        # Officer and deputies and the Chief Executive, who see every enquiry; and the
        # administrators, who have them read-only in the Django admin (cases/admin.py).
        self.everyone_sees_enquiries = mo_users | {chief.user_id} | superusers
        owners: dict[int, set[int]] = defaultdict(set)
        for enquiry_id, owner_id in Enquiry.objects.values_list("pk", "owner_id"):
            owners[enquiry_id].add(owner_id)
        for enquiry_id, *moved in TimelineEvent.objects.filter(enquiry__isnull=False).values_list(
            "enquiry_id", "from_owner_id", "to_owner_id"
        ):
            owners[enquiry_id].update(pk for pk in moved if pk)
        for enquiry_id, *moved in EnquiryEscalation.objects.values_list("enquiry_id", "from_owner_id", "to_owner_id"):
            owners[enquiry_id].update(moved)
        # Issue 15 C11: while a colleague covers for an officer who is away (a cover whose days
        # include today, by a colleague still serving), they see the officer's open enquiries,
        # but never those of a member who may not contact them (DESIGN §5).
        today = timezone.localdate()
        self.covering: dict[int, set[int]] = defaultdict(set)
        for officer_id, colleague_id, left_on in Cover.objects.filter(
            starts_on__lte=today, ends_on__gte=today
        ).values_list("officer_id", "covered_by_id", "covered_by__left_on"):
            if left_on is None or left_on >= today:
                self.covering[officer_id].add(colleague_id)
        self.prohibitions = list(ContactProhibition.objects.active(on=today))
        self.officer_services = dict(Officer.objects.values_list("pk", "service_id"))
        self.enquiry_audience: dict[str, set[int]] = {}
        for pk, reference, member_id, member_user_id, service_id, owner_id, state in Enquiry.objects.values_list(
            "pk", "reference", "member_id", "member__user_id", "service_id", "owner_id", "state"
        ):
            officers = set(self.service_managers[service_id])
            for owner in owners[pk]:
                officers |= {owner, *self.chain(owner)}
            if state in OPEN:
                officers |= {c for c in self.covering[owner_id] if self.may_contact(member_id, c)}
            self.enquiry_audience[reference] = {member_user_id} | {self.officers[o][0] for o in officers}

        # --- Concerns (DESIGN §4): the complainant; the handler of the current stage; the
        # Monitoring Officer and deputies, except on a concern about themselves; from stage 3
        # the subject's Whip(s), or the Chair of Standards for an independent (000 §II.A,
        # §VIII), or for an officer the Director of People Services and the line manager; and
        # the subject only once the Monitoring Officer shares it. Not the Chief Executive, not
        # an administrator.
        standards = Committee.objects.get(kind=Committee.Kind.STANDARDS)
        chair = standards.chair
        reached_review = set(
            TimelineEvent.objects.filter(
                concern__isnull=False,
                to_state__in=[ConcernState.MO_REVIEW, ConcernState.SANCTION],
            ).values_list("concern_id", flat=True)
        )
        handlers: dict[int, set[int]] = defaultdict(set)
        for concern_id, *moved in TimelineEvent.objects.filter(concern__isnull=False).values_list(
            "concern_id", "from_owner_id", "to_owner_id"
        ):
            handlers[concern_id].update(pk for pk in moved if pk)
        self.concern_audience: dict[str, set[int]] = {}
        # Told about it, though not (or no longer) entitled to see it: a past handler, who was
        # asked to handle it at their stage; the subject, who is told of a sanction on them
        # (000 §VIII) and of a prohibition's end.
        self.concern_told: dict[str, set[int]] = {}
        # Those who review it with the Monitoring Officer now, at stage 3 or 4 (000 §VIII).
        self.concern_reviewers: dict[str, set[int]] = {}
        concerns = Concern.objects.select_related("subject_member__group", "subject_officer", "owner")
        for concern in concerns:
            subject_user = (concern.subject_member or concern.subject_officer).user_id
            audience = {concern.complainant_user_id}
            if concern.owner_id:
                audience.add(concern.owner.user_id)
            audience |= {
                self.officers[pk][0]
                for pk in self.monitoring_team
                if pk != concern.subject_officer_id or concern.shared_with_subject_at
            }
            at_review = (
                concern.safeguarding
                or concern.pk in reached_review
                or concern.state
                in (
                    ConcernState.MO_REVIEW,
                    ConcernState.SANCTION,
                    ConcernState.INFORMAL_ACTION,
                    ConcernState.FORMAL_ACTION,
                )
            )
            if at_review:
                joined = self.stage_three(concern, chair=chair, people_director=people_director)
                audience |= joined
                if concern.state in (ConcernState.MO_REVIEW, ConcernState.SANCTION):
                    self.concern_reviewers[concern.reference] = joined - {concern.complainant_user_id}
            if concern.shared_with_subject_at:
                audience.add(subject_user)
            self.concern_audience[concern.reference] = audience
            told = {self.officers[pk][0] for pk in handlers[concern.pk]}
            if concern.state == ConcernState.FORMAL_ACTION:
                told.add(subject_user)
            self.concern_told[concern.reference] = told

        # --- Briefings (DESIGN §6; 001 §9.5.2): the officer who recorded it and the officer giving
        # it; the serving leader and whips of every group it was offered to; the Monitoring Officer
        # and deputies, and Democratic Services (DESIGN §6: they oversee the duty); the
        # administrators, who have them read-only in the Django admin.
        democratic_services = set(
            User.objects.filter(groups__name=Role.DEMOCRATIC_SERVICES.label).values_list("pk", flat=True)
        )
        today = timezone.localdate()
        serving = Member.objects.current(on=today)
        spokespeople: dict[int, set[int]] = defaultdict(set)
        for group_id, user_id in PoliticalGroup.objects.filter(leader__in=serving).values_list("pk", "leader__user_id"):
            spokespeople[group_id].add(user_id)
        for group_id, user_id in PoliticalGroup.whips.through.objects.filter(member__in=serving).values_list(
            "politicalgroup_id", "member__user_id"
        ):
            spokespeople[group_id].add(user_id)
        self.group_spokespeople = spokespeople
        self.briefing_audience: dict[str, set[int]] = {}
        for reference, recorded_by, given_by in Briefing.objects.values_list(
            "reference", "recorded_by_id", "given_by__user_id"
        ):
            self.briefing_audience[reference] = {recorded_by, given_by} | mo_users | democratic_services | superusers
        for reference, group_id in BriefingOffer.objects.values_list("briefing__reference", "group_id"):
            self.briefing_audience[reference] |= spokespeople[group_id]

        # --- Positive examples (000 §VI): who recorded it, the Assistant Director it went
        # through, and the Monitoring Officer who records it.
        self.example_audience = {
            reference: {recorded_by, self.officers[ad][0]} | mo_users
            for reference, recorded_by, ad in PositiveExample.objects.values_list(
                "reference", "recorded_by_id", "assistant_director_id"
            )
        }

        # --- Ward notices (DESIGN §6; 001 §9.4): the officer who sent it; the members it went
        # to; the members who represent one of its wards now; the Monitoring Officer and
        # deputies, and Democratic Services, who keep the evidence. The administrators too, as
        # the Django admin lists notices (read-only) to them, as it does enquiries.
        recipients: dict[int, set[int]] = defaultdict(set)
        for notice_id, user_id in WardNoticeRecipient.objects.values_list("notice_id", "member__user_id"):
            recipients[notice_id].add(user_id)
        ward_members: dict[int, set[int]] = defaultdict(set)
        for ward_id, user_id in Member.objects.current().values_list("wards", "user_id"):
            ward_members[ward_id].add(user_id)
        notice_wards: dict[int, set[int]] = defaultdict(set)
        for notice_id, ward_id in WardNotice.wards.through.objects.values_list("wardnotice_id", "ward_id"):
            notice_wards[notice_id].add(ward_id)
        self.notice_audience = {
            reference: {sent_by}
            | recipients[pk]
            | {user for ward in notice_wards[pk] for user in ward_members[ward]}
            | mo_users
            | democratic_services
            | superusers
            for pk, reference, sent_by in WardNotice.objects.values_list("pk", "reference", "sent_by_id")
        }

    def chain(self, officer_id: int) -> list[int]:
        """Line managers, nearest first, and the Chief Executive at the top (001 §7.4)."""
        found, seen = [], {officer_id}
        manager = self.officers[officer_id][1]
        while manager is not None and manager not in seen:
            found.append(manager)
            seen.add(manager)
            manager = self.officers[manager][1]
        if self.chief.pk not in seen:
            found.append(self.chief.pk)
        return found

    def stage_three(self, concern: Concern, *, chair: Member | None, people_director: Officer) -> set[int]:
        """000 §VIII: who joins the Monitoring Officer's review."""
        if concern.subject_member_id:
            member = concern.subject_member
            whips = (
                set(Member.objects.current().filter(groups_whipped=member.group_id).values_list("user_id", flat=True))
                if member.group_id
                else set()
            ) - {member.user_id}
            if whips:
                return whips
            return {chair.user_id} if chair and chair.pk != member.pk else set()
        officer = concern.subject_officer
        joined = set()
        if people_director.pk != officer.pk:
            joined.add(people_director.user_id)
        if officer.line_manager_id:
            joined.add(self.officers[officer.line_manager_id][0])
        return joined

    # --- Seeing ---------------------------------------------------------------------

    def sees_enquiry(self, viewer: Viewer, enquiry: Enquiry) -> bool:
        if viewer.anonymous:
            return False
        uid = viewer.user_id
        return uid in self.everyone_sees_enquiries or uid in self.enquiry_audience.get(enquiry.reference, set())

    def sees_concern(self, viewer: Viewer, concern: Concern) -> bool:
        return not viewer.anonymous and viewer.user_id in self.concern_audience.get(concern.reference, set())

    def sees_example(self, viewer: Viewer, example: PositiveExample) -> bool:
        return not viewer.anonymous and viewer.user_id in self.example_audience.get(example.reference, set())

    def sees_briefing(self, viewer: Viewer, briefing: Briefing) -> bool:
        return not viewer.anonymous and viewer.user_id in self.briefing_audience.get(briefing.reference, set())

    def sees_notice(self, viewer: Viewer, notice: WardNotice) -> bool:
        return not viewer.anonymous and viewer.user_id in self.notice_audience.get(notice.reference, set())

    def references_for(self, viewer: Viewer) -> tuple[set[str], set[str]]:
        """The references ``viewer`` may see, and those they may be told about."""
        if viewer.anonymous:
            return set(), set()
        uid = viewer.user_id
        every = uid in self.everyone_sees_enquiries
        may_see = {ref for ref, audience in self.enquiry_audience.items() if every or uid in audience}
        may_see |= {ref for ref, audience in self.concern_audience.items() if uid in audience}
        may_see |= {ref for ref, audience in self.example_audience.items() if uid in audience}
        may_see |= {ref for ref, audience in self.briefing_audience.items() if uid in audience}
        may_see |= {ref for ref, audience in self.notice_audience.items() if uid in audience}
        told = {ref for ref, audience in self.concern_told.items() if uid in audience}
        return may_see, may_see | told

    # --- Doing: enquiries (DESIGN §3; 001 §7–§8) -------------------------------------------

    def owns(self, viewer: Viewer, enquiry: Enquiry) -> bool:
        return viewer.officer is not None and viewer.officer.pk == enquiry.owner_id

    def over(self, viewer: Viewer, enquiry: Enquiry) -> bool:
        """The owner, or a manager of the enquiry's service or of its owner."""
        officer = viewer.officer
        if officer is None:
            return False
        return (
            officer.pk == enquiry.owner_id
            or officer.pk in self.service_managers[enquiry.service_id]
            or officer.pk in self.chain(enquiry.owner_id)
        )

    def files(self, viewer: Viewer, enquiry: Enquiry) -> bool:
        return viewer.member is not None and viewer.member.pk == enquiry.member_id

    def may_contact(self, member_id: int, officer_id: int) -> bool:
        """No contact prohibition in force stops the member contacting the officer (DESIGN §5)."""
        service_id = self.officer_services.get(officer_id)
        return not any(
            p.member_id == member_id and p.forbids(officer_id=officer_id, service_id=service_id)
            for p in self.prohibitions
        )

    def covers(self, viewer: Viewer, enquiry: Enquiry) -> bool:
        """Issue 15 C11: the viewer covers today for the owner of this open enquiry, from a
        member who may contact them, and so acts for the owner on it."""
        officer = viewer.officer
        return (
            officer is not None
            and enquiry.state in OPEN
            and officer.pk in self.covering[enquiry.owner_id]
            and self.may_contact(enquiry.member_id, officer.pk)
        )

    # --- Doing: concerns (DESIGN §4; 000 §VIII, 001 §6) ------------------------------------

    def acts_as_monitoring_officer(self, viewer: Viewer, concern: Concern) -> bool:
        """The Monitoring Officer or a deputy, but not on a concern they are a party to."""
        if not viewer.is_monitoring_officer:
            return False
        return viewer.user_id != concern.complainant_user_id and viewer.officer.pk != concern.subject_officer_id

    def complains(self, viewer: Viewer, concern: Concern) -> bool:
        return viewer.user_id == concern.complainant_user_id

    def handles(self, viewer: Viewer, concern: Concern) -> bool:
        return viewer.officer is not None and concern.owner_id == viewer.officer.pk


# === The objects each URL is tried on =======================================================


@dataclass(frozen=True)
class Target:
    label: str
    values: dict = field(default_factory=dict)  # the route's parameters
    query: str = ""
    path: str = ""  # instead of the route (regular-expression patterns)
    enquiry: Enquiry | None = None
    concern: Concern | None = None
    example: PositiveExample | None = None
    briefing: Briefing | None = None
    offer: BriefingOffer | None = None
    notice: WardNotice | None = None
    prohibition: ContactProhibition | None = None
    extra: dict = field(default_factory=dict)


NONE = ("none",)
# A list page, first and last (a page number past the end shows the last page).
LIST = ("none", "last_page")


# === Rules for each kind of page =========================================================


AWAITING = (EnquiryState.SUBMITTED, EnquiryState.HOLDING_REPLY)
OPEN = (*AWAITING, EnquiryState.DISPUTED)
CONCERN_OPEN = (ConcernState.DIRECT, ConcernState.LINE_MANAGEMENT, ConcernState.MO_REVIEW, ConcernState.SANCTION)


def _sees_enquiry(ask: Ask) -> bool:
    return ask.target.enquiry is not None and ask.oracle.sees_enquiry(ask.viewer, ask.target.enquiry)


def _reopen_window_open(enquiry: Enquiry) -> bool:
    """001 §7.1 as the portal applies it: a member may follow up within five working days."""
    if enquiry.answered_at is None:
        return False
    last = council_calendar().add_working_days(local_date(enquiry.answered_at), settings.ENQUIRY_REOPEN_WORKING_DAYS)
    return timezone.localdate() <= last


def enquiry_action(may: Callable[[Oracle, Viewer, Enquiry], bool]) -> Rule:
    return case_action(_sees_enquiry, lambda ask: may(ask.oracle, ask.viewer, ask.target.enquiry))


ENQUIRY_MAY = {
    # 001 §7.1: the owner answers, or sends a holding reply, while a response is owed; so does
    # the colleague covering for the owner while they are away (issue 15 C11).
    "answer": lambda o, v, e: e.state in AWAITING and (o.owns(v, e) or o.covers(v, e)),
    "hold": lambda o, v, e: e.state in AWAITING and (o.owns(v, e) or o.covers(v, e)),
    # 001 §8.2: explicit consent, recorded by the owner (or their cover) or a manager over it.
    "consent": lambda o, v, e: (
        e.explicit_consent_needed and e.state in AWAITING and (o.over(v, e) or v.is_chief_executive or o.covers(v, e))
    ),
    "reassign": lambda o, v, e: e.state in AWAITING and (o.over(v, e) or v.is_chief_executive or o.covers(v, e)),
    # Issue 15 A3: a later date a holding reply asks for: the filing councillor agrees or not; a
    # manager of the service, or the Chief Executive, approves or not, never as its owner (or
    # the owner's cover, who may have asked for it).
    "extension": lambda o, v, e: (
        e.state in AWAITING
        and e.holding_replies.filter(status=HoldingReply.Status.AWAITING).exists()
        and (o.files(v, e) or (not o.owns(v, e) and not o.covers(v, e) and (o.over(v, e) or v.is_chief_executive)))
    ),
    # Issue 15 A2: moving a misrouted enquiry to another service, by the same people.
    "move": lambda o, v, e: e.state in AWAITING and (o.over(v, e) or v.is_chief_executive or o.covers(v, e)),
    # 001 §7.1: a Head of Service or above, over this enquiry, may decline it as inappropriate;
    # 001 §7.4: not once the Chief Executive has directed it be answered (the ruling is final).
    "decline": lambda o, v, e: (
        e.state in AWAITING
        and v.senior
        and o.over(v, e)
        and not e.disputes.filter(decision=Dispute.Decision.DIRECTED).exists()
    ),
    # 001 §7.4: the member disputes a decline; the Chief Executive decides.
    "dispute": lambda o, v, e: e.state == EnquiryState.DECLINED and o.files(v, e),
    "decide": lambda o, v, e: e.state == EnquiryState.DISPUTED and v.is_chief_executive,
    "reopen": lambda o, v, e: e.state == EnquiryState.ANSWERED and o.files(v, e) and _reopen_window_open(e),
    "close": lambda o, v, e: e.state == EnquiryState.ANSWERED and o.files(v, e),
    "withdraw": lambda o, v, e: e.state in (*AWAITING, EnquiryState.DECLINED, EnquiryState.DISPUTED) and o.files(v, e),
}


def _sees_concern(ask: Ask) -> bool:
    return ask.target.concern is not None and ask.oracle.sees_concern(ask.viewer, ask.target.concern)


def concern_action(may: Callable[[Oracle, Viewer, Concern], bool]) -> Rule:
    return case_action(_sees_concern, lambda ask: may(ask.oracle, ask.viewer, ask.target.concern))


def _escalate(o: Oracle, v: Viewer, c: Concern) -> bool:
    # Stage 1 → 2: the complainant (001 §6.1, §6.2); stage 2 → 3: the line manager handling it
    # (000 §VIII); either, the Monitoring Officer.
    if c.state == ConcernState.DIRECT:
        return o.complains(v, c) or o.acts_as_monitoring_officer(v, c)
    if c.state == ConcernState.LINE_MANAGEMENT:
        return o.handles(v, c) or o.acts_as_monitoring_officer(v, c)
    return False


def _resolve(o: Oracle, v: Viewer, c: Concern) -> bool:
    mo = o.acts_as_monitoring_officer(v, c)
    if c.state == ConcernState.DIRECT:
        return o.complains(v, c) or mo
    if c.state == ConcernState.LINE_MANAGEMENT:
        return o.handles(v, c) or mo
    return c.state == ConcernState.MO_REVIEW and mo


CONCERN_MAY = {
    "escalate": _escalate,
    "resolve": _resolve,
    # 000 §VIII: the Monitoring Officer decides informal or formal action, records sanctions.
    "informal": lambda o, v, c: c.state == ConcernState.MO_REVIEW and o.acts_as_monitoring_officer(v, c),
    "formal": lambda o, v, c: c.state == ConcernState.MO_REVIEW and o.acts_as_monitoring_officer(v, c),
    "sanctions": lambda o, v, c: c.state == ConcernState.SANCTION and o.acts_as_monitoring_officer(v, c),
    # DESIGN §4: external referral at any stage, by the Monitoring Officer or the stage-2 handler.
    "refer": lambda o, v, c: (
        c.state in CONCERN_OPEN
        and (o.acts_as_monitoring_officer(v, c) or (c.state == ConcernState.LINE_MANAGEMENT and o.handles(v, c)))
    ),
    "withdraw": lambda o, v, c: c.state in CONCERN_OPEN and o.complains(v, c),
    # DESIGN §4: "The subject is not shown the record unless the MO shares it."
    "share": lambda o, v, c: o.acts_as_monitoring_officer(v, c) and c.shared_with_subject_at is None,
    "reassign": lambda o, v, c: (
        o.acts_as_monitoring_officer(v, c)
        and c.state in (ConcernState.LINE_MANAGEMENT, ConcernState.MO_REVIEW, ConcernState.SANCTION)
    ),
    # Internal notes: the Monitoring Officer and the handler while it is open; those reviewing it
    # with the Monitoring Officer at stages 3 and 4 (000 §VIII; issue 15 C13).
    "note": lambda o, v, c: (
        c.state in CONCERN_OPEN
        and (
            o.acts_as_monitoring_officer(v, c)
            or o.handles(v, c)
            or v.user_id in o.concern_reviewers.get(c.reference, ())
        )
    ),
}


def _sees_example(ask: Ask) -> bool:
    return ask.target.example is not None and ask.oracle.sees_example(ask.viewer, ask.target.example)


def _sees_notice(ask: Ask) -> bool:
    return ask.target.notice is not None and ask.oracle.sees_notice(ask.viewer, ask.target.notice)


def _forwards(ask: Ask) -> bool:
    example = ask.target.example
    officer = ask.viewer.officer
    return (
        example.state == PositiveExampleState.WITH_ASSISTANT_DIRECTOR
        and officer is not None
        and officer.pk == example.assistant_director_id
    )


def _acknowledges(ask: Ask) -> bool:
    return ask.target.example.state == PositiveExampleState.WITH_MONITORING_OFFICER and ask.viewer.is_monitoring_officer


def _sees_briefing(ask: Ask) -> bool:
    return ask.target.briefing is not None and ask.oracle.sees_briefing(ask.viewer, ask.target.briefing)


def _records_response(ask: Ask) -> bool:
    """001 §9.5.2: the group's serving leader or whips, or the officer who recorded the briefing."""
    briefing, offer = ask.target.briefing, ask.target.offer
    return ask.viewer.user_id == briefing.recorded_by_id or offer.group_id in ask.viewer.speaks_for


def _offers_to_groups_left_out(ask: Ask) -> bool:
    """The officer who recorded it, the Monitoring Officer and deputies, Democratic Services, administrators."""
    v = ask.viewer
    return v.user_id == ask.target.briefing.recorded_by_id or oversees_briefings(ask)


def oversees_briefings(ask: Ask) -> bool:
    """DESIGN §6: the Monitoring Officer and deputies and Democratic Services oversee the duty to
    offer every group a briefing (and administrators, who have briefings in the Django admin)."""
    v = ask.viewer
    return v.is_monitoring_officer or v.runs_the_portal


def sees_briefing_list(ask: Ask) -> bool:
    """Serving officers (theirs), group leaders and whips (their group's), and those overseeing (all)."""
    v = ask.viewer
    return v.serving_officer or bool(v.speaks_for) or oversees_briefings(ask)


def _attachment_is_the_cases(ask: Ask) -> bool:
    """A file is served only under the case it belongs to (no reaching another case's file)."""
    return ask.target.extra["belongs"]


def councillor_page(ask: Ask) -> bool:
    return ask.viewer.serving_member


def party_page(ask: Ask) -> bool:
    """DESIGN §4, §6: serving councillors and officers raise concerns and record examples."""
    return ask.viewer.serving_member or ask.viewer.serving_officer


def sees_service_queue(ask: Ask) -> bool:
    """Heads of Service and above over their services; the Monitoring Officer, the Chief
    Executive and administrators over every enquiry."""
    v = ask.viewer
    return bool(v.manages) or v.operational or v.is_superuser


def reassigns_from_queue(ask: Ask) -> Expect:
    """Issue 15 C12: reassigning ticked enquiries is a form sent from the service queue (GET: 405)
    for a manager of services, who may reassign their enquiries (DESIGN §1), and the Chief
    Executive; the Monitoring Officer and administrators see the queue but reassign nothing."""
    if not ask.post:
        return NOT_ALLOWED
    v = ask.viewer
    return FORM_ERRORS if v.officer is not None and (bool(v.manages) or v.is_chief_executive) else FORBIDDEN


def cover_for_report(ask: Ask) -> Expect:
    """Issue 15 C11: an officer's line manager sets up cover for them (both serving); the officer
    is sent to their own page; an officer who does not exist is not found."""
    officer, viewer = ask.target.extra.get("officer"), ask.viewer
    if officer is None:
        return NOT_FOUND
    if viewer.officer is not None and viewer.officer.pk == officer.pk:
        return redirect("/work/cover/")
    manages = viewer.serving_officer and officer.line_manager_id == viewer.officer.pk and officer.is_serving()
    return (FORM_ERRORS if ask.post else OK) if manages else FORBIDDEN


def cover_end_page(ask: Ask) -> Expect:
    """Issue 15 C11: the officer, their line manager or the colleague covering ends a cover early;
    anyone else is told there is no such cover (who is away is theirs to know)."""
    cover, viewer = ask.target.extra.get("cover"), ask.viewer
    if cover is None or not viewer.serving_officer:
        return NOT_FOUND
    away = Officer.objects.get(pk=cover.officer_id)
    if viewer.officer.pk not in (cover.officer_id, cover.covered_by_id, away.line_manager_id):
        return NOT_FOUND
    return FORM_ERRORS if ask.post else OK


def report(ask: Ask) -> Expect:
    """DESIGN §7: the dashboards and report for the Standards Committee, its Chair and the
    statutory officers; an unknown table or year is 404 to them."""
    if not ask.viewer.reads_reports:
        return FORBIDDEN
    return NOT_FOUND if ask.target.extra.get("unknown") else OK


def drilldown(ask: Ask) -> Expect:
    """Issue 6: the cases behind a figure, for the operational view only."""
    if not ask.viewer.operational:
        return FORBIDDEN
    return NOT_FOUND if ask.target.extra.get("unknown") else OK


def prohibition_page(ask: Ask) -> Expect:
    """A prohibition is a sanction's detail: the Monitoring Officer's only (404 to anyone else)."""
    if not ask.viewer.is_monitoring_officer or ask.target.prohibition is None:
        return NOT_FOUND
    return FORM_ERRORS if ask.post else OK


def runs_the_portal(ask: Ask) -> bool:
    """DESIGN §1: Democratic Services maintains people; an administrator may too."""
    return ask.viewer.runs_the_portal


def directory_user(ask: Ask) -> bool:
    """003: the directory and profiles are for serving councillors and officers (and whoever keeps them)."""
    return ask.viewer.serving_member or ask.viewer.serving_officer or runs_the_portal(ask)


def profile_page(ask: Ask) -> Expect:
    if not directory_user(ask):
        return FORBIDDEN
    return NOT_FOUND if ask.target.extra.get("unknown") else OK


def own_profile(ask: Ask) -> bool:
    """003: a councillor edits their own profile, and nobody else does."""
    return ask.viewer.serving_member and ask.viewer.member.pk == ask.target.values["pk"]


for_the_monitoring_officer = signed_in(lambda ask: OK if ask.viewer.is_monitoring_officer else FORBIDDEN)


def login_page(ask: Ask) -> Expect:
    if ask.viewer.anonymous:
        return FORM_ERRORS if ask.post else OK
    return redirect("/")  # redirect_authenticated_user


# --- The admin: one rule for all of its pages ------------------------------------------


# The models in the admin, each with the object its pages open. Read-only admins (DESIGN §8:
# enquiries and their timeline change only through the portal's services) refuse add,
# change and delete; behaviours are never deleted (past concerns keep them).
ADMIN_MODELS = {
    "auth_group": "admin.group",
    "auth_user": "admin.user",
    "people_ward": "admin.ward",
    "people_politicalgroup": "admin.politicalgroup",
    "people_member": "admin.member",
    "people_directorate": "admin.directorate",
    "people_service": "admin.service",
    "people_officer": "admin.officer",
    "people_committee": "admin.committee",
    "escalation_closureday": "admin.closureday",
    "cases_enquiry": "admin.enquiry",
    "cases_timelineevent": "admin.enquiry_event",
    "cases_behaviour": "admin.behaviour",
    "cases_briefing": "admin.briefing",
    "cases_wardnotice": "admin.wardnotice",
    "people_auditevent": "admin.auditevent",
    "otp_totp_totpdevice": "admin.totpdevice",
    "axes_accessattempt": "admin.accessattempt",
    "axes_accessfailurelog": "admin.accessfailurelog",
    "axes_accesslog": "admin.accesslog",
    "protocol_portal_retentionrun": "admin.retentionrun",
}
# The audit log is append-only (issue 7); a two-factor app is only ever deleted here (people.admin);
# axes' records are written by sign-ins, never by hand; retention runs are the record of what was disposed of.
# A ward notice and who was told are the evidence 001 §9.4 asks for; briefings' offers are made only
# by the portal (001 §9.5.2): both read-only, never deleted here.
READ_ONLY_ADMIN = {
    "cases_enquiry",
    "cases_timelineevent",
    "cases_briefing",
    "people_auditevent",
    "otp_totp_totpdevice",
    "protocol_portal_retentionrun",
    "cases_wardnotice",
}
NO_ADD_ADMIN = {"axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}
NO_DELETE_ADMIN = {
    "cases_enquiry",
    "cases_timelineevent",
    "cases_behaviour",
    "cases_briefing",
    "people_auditevent",
    "protocol_portal_retentionrun",
    "cases_wardnotice",
}


# What Democratic Services keep in the admin (DESIGN §1: "maintains people, wards, groups, services,
# calendars"): the organisation (people), the accounts (docs/production.md: add and change, never
# delete: retention anonymises a leaver), closure days (the council's calendar, DESIGN §3), the
# behaviours a concern may cite (DESIGN §4, never deleted); they read the audit log and the
# retention runs (docs/security.md, docs/retention.md), delete a lost phone's
# authenticator and a lockout's access attempt (docs/security.md). Nothing of the cases (enquiries,
# timelines, briefings, ward notices: they read those in the portal), no role groups (derived from
# the organisation, people.roles), none of axes' logs. A superuser has every permission.
ALL = frozenset({"view", "add", "change", "delete"})
DEMOCRATIC_SERVICES_ADMIN = {
    **dict.fromkeys(
        (
            "people_ward",
            "people_politicalgroup",
            "people_member",
            "people_directorate",
            "people_service",
            "people_officer",
            "people_committee",
            "escalation_closureday",
        ),
        ALL,
    ),
    "people_auditevent": frozenset({"view"}),
    "auth_user": frozenset({"view", "add", "change"}),
    "cases_behaviour": frozenset({"view", "add", "change"}),
    "otp_totp_totpdevice": frozenset({"view", "delete"}),
    "axes_accessattempt": frozenset({"view", "delete"}),
    "protocol_portal_retentionrun": frozenset({"view"}),
}


def admin_permissions(viewer: Viewer, model: str) -> frozenset[str]:
    """What ``viewer`` may do to ``model`` in the admin, before the admin's own refusals."""
    if viewer.is_superuser:
        return ALL
    if viewer.runs_the_portal:
        return DEMOCRATIC_SERVICES_ADMIN.get(model, frozenset())
    return frozenset()


def admin_rule(staff: Callable[[Ask], Expect], *, site: bool = True) -> Rule:
    """Non-staff are sent to the admin's sign-in (strangers to the portal's, from a model's
    pages); staff get ``staff``."""

    def rule(ask: Ask) -> Expect:
        if ask.viewer.anonymous:
            return ADMIN_SIGN_IN if site else SIGN_IN
        if not ask.viewer.is_staff:
            return ADMIN_SIGN_IN
        return staff(ask)

    return rule


def admin_model_view(model: str, view: str) -> Rule:
    def staff(ask: Ask) -> Expect:
        may = admin_permissions(ask.viewer, model)
        if model in READ_ONLY_ADMIN:
            may -= {"add", "change"}
        if model in NO_ADD_ADMIN:
            may -= {"add"}
        if model in NO_DELETE_ADMIN:
            may -= {"delete"}
        hidden = ask.target.extra.get("hidden")
        # Django asks for the permission before looking the object up, except on its history.
        refused = {
            "changelist": not may & {"view", "change"},
            "add": "add" not in may,
            "change": "change" not in may if ask.post else not may & {"view", "change"},
            "history": not hidden and not may & {"view", "change"},
            "delete": "delete" not in may,
        }
        if refused.get(view):
            return FORBIDDEN
        if hidden and view != "redirect":
            # DESIGN §4: a concern's timeline is need-to-know, not in the admin: "does not exist".
            return redirect("/admin/")
        if view == "change" and ask.post and model in NO_ADD_ADMIN:
            return redirect(f"/admin/{'/'.join(model.rsplit('_', 1))}/")  # every field is read-only
        if view == "redirect":
            return redirect(f"/admin/{'/'.join(model.rsplit('_', 1))}/")
        return OK

    return admin_rule(staff, site=False)


def admin_pages() -> dict[str, Page]:
    pages = {}
    for model, target in ADMIN_MODELS.items():
        app, name = model.rsplit("_", 1)
        targets = (target,)
        if model == "cases_timelineevent":
            targets = (target, "admin.concern_event")
        pages |= {
            f"admin:{model}_changelist": Page(NONE, admin_model_view(model, "changelist"), viewers=ADMIN_VIEWERS),
            f"admin:{model}_add": Page(NONE, admin_model_view(model, "add"), viewers=ADMIN_VIEWERS),
            f"admin:{model}_history": Page(targets, admin_model_view(model, "history"), viewers=ADMIN_VIEWERS),
            f"admin:{model}_delete": Page(targets, admin_model_view(model, "delete"), viewers=ADMIN_VIEWERS),
            f"admin:{model}_change": Page(targets, admin_model_view(model, "change"), viewers=ADMIN_VIEWERS),
            f"admin/{app}/{name}/<path:object_id>/": Page(
                targets, admin_model_view(model, "redirect"), viewers=ADMIN_VIEWERS
            ),
        }
    return pages


def admin_logout(ask: Ask) -> Expect:
    """Staff sign out with a POST; the admin sends anyone else back to its front page."""
    if ask.viewer.anonymous:
        return ADMIN_SIGN_IN
    if not ask.viewer.is_staff:
        return redirect("/admin/")
    return redirect("/sign-in/") if ask.post else NOT_ALLOWED


def admin_get_only(staff: Expect) -> Rule:
    """A site-wide admin page that answers GET only (once the visitor is known to be staff)."""
    return admin_rule(lambda ask: NOT_ALLOWED if ask.post else staff)


# === The matrix ============================================================================

E, C = ENQUIRY_MAY, CONCERN_MAY
ENQUIRIES = (
    "enq.open",
    "enq.held",
    "enq.consent",
    "enq.answered",
    "enq.declined",
    "enq.disputed",
    "enq.elsewhere",
    "enq.parks",
    "enq.plain_officer",
    "enq.attached",
    "enq.missing",
)
CONCERNS = (
    "con.stage1",
    "con.stage2",
    "con.stage3_member",
    "con.stage3_officer",
    "con.stage3_independent",
    "con.stage4",
    "con.closed",
    "con.evidence",
    "con.shared",
    "con.about_mo",
    "con.missing",
)


def administers(ask: Ask) -> bool:
    """DESIGN §1: Democratic Services run the portal, and superusers with them (issue 8: the
    subject access export is theirs alone)."""
    return ask.viewer.runs_the_portal


def has_app(ask: Ask) -> bool:
    """Has a two-factor app (every demo account with one has a role that requires it)."""
    return TOTPDevice.objects.filter(user_id=ask.viewer.user_id, confirmed=True).exists()


MATRIX: dict[str, Page] = {
    # --- The portal's own pages
    "home": Page(NONE, signed_in(lambda ask: OK)),
    "accessibility": Page(NONE, lambda ask: OK),
    "login": Page(NONE, login_page),
    "logout": Page(NONE, signed_in(lambda ask: redirect("/sign-in/") if ask.post else NOT_ALLOWED)),
    "password_change": Page(NONE, page_or_form(lambda ask: True)),
    "password_change_done": Page(NONE, signed_in(lambda ask: OK), read_only=True),
    # Issue 15 C16: the account area: who you are, your password, two-factor sign-in, your profile.
    "account": Page(NONE, signed_in(lambda ask: OK), read_only=True),
    # --- Two-factor sign-in (issue 7). The suite runs with TWO_FACTOR_ENFORCED off, so a session
    # is never verified; seed_demo gives an app only to the roles that require one.
    "two_factor": Page(NONE, signed_in(lambda ask: OK)),
    "two_factor_setup": Page(
        NONE,
        signed_in(lambda ask: redirect("/sign-in/code/") if has_app(ask) else FORM_ERRORS if ask.post else OK),
    ),
    "two_factor_verify": Page(
        NONE, signed_in(lambda ask: (FORM_ERRORS if ask.post else OK) if has_app(ask) else redirect("/"))
    ),
    "two_factor_turn_off": Page(
        NONE, signed_in(lambda ask: FORBIDDEN if has_app(ask) else redirect("/account/two-factor/"))
    ),
    # A councillor's photo: members are public figures (003), so anyone signed in; 404 without one.
    "people:member_photo": Page(
        ("photo.councillor", "photo.none"),
        signed_in(lambda ask: NOT_FOUND if ask.target.extra.get("unknown") else OK),
        read_only=True,
    ),
    # --- The directory and councillors' profiles (003)
    "people:officer_directory": Page(
        ("none", "last_page", "directory.search"),
        signed_in(lambda ask: OK if directory_user(ask) else FORBIDDEN),
        read_only=True,
    ),
    "people:liaison_officers": Page(
        NONE, signed_in(lambda ask: OK if directory_user(ask) else FORBIDDEN), read_only=True
    ),
    "people:member_directory": Page(
        ("none", "last_page", "directory.search"),
        signed_in(lambda ask: OK if directory_user(ask) else FORBIDDEN),
        read_only=True,
    ),
    "people:member_profile": Page(("profile.councillor", "profile.missing"), signed_in(profile_page), read_only=True),
    "people:member_profile_edit": Page(("profile.councillor", "profile.councillor2"), page_or_form(own_profile)),
    "people:member_record_edit": Page(("profile.councillor",), page_or_form(runs_the_portal)),
    # A councillor leaves office: Democratic Services hands on or closes their enquiries (003).
    "cases:member_leave": Page(("leaver.councillor",), page_or_form(runs_the_portal)),
    # --- Enquiries (DESIGN §3)
    "cases:my_enquiries": Page(LIST, signed_in(lambda ask: OK if councillor_page(ask) else FORBIDDEN)),
    "cases:enquiry_new": Page(NONE, page_or_form(councillor_page)),
    "cases:enquiry": Page(ENQUIRIES, case_action(_sees_enquiry, lambda ask: True), read_only=True),
    "cases:enquiry_answer": Page(
        ("enq.open", "enq.answered", "enq.elsewhere", "enq.plain_officer"), enquiry_action(E["answer"])
    ),
    "cases:enquiry_hold": Page(("enq.held", "enq.answered", "enq.plain_officer"), enquiry_action(E["hold"])),
    "cases:enquiry_consent": Page(("enq.consent", "enq.open", "enq.elsewhere"), enquiry_action(E["consent"])),
    "cases:enquiry_reassign": Page(
        ("enq.open", "enq.answered", "enq.parks", "enq.elsewhere"), enquiry_action(E["reassign"])
    ),
    "cases:enquiry_extension": Page(("enq.extension", "enq.open", "enq.elsewhere"), enquiry_action(E["extension"])),
    "cases:enquiry_move": Page(
        ("enq.open", "enq.held", "enq.answered", "enq.parks", "enq.elsewhere"), enquiry_action(E["move"])
    ),
    "cases:enquiry_decline": Page(
        ("enq.open", "enq.declined", "enq.parks", "enq.elsewhere", "enq.directed"), enquiry_action(E["decline"])
    ),
    "cases:enquiry_dispute": Page(("enq.declined", "enq.open", "enq.elsewhere"), enquiry_action(E["dispute"])),
    "cases:enquiry_decide": Page(("enq.disputed", "enq.declined", "enq.elsewhere"), enquiry_action(E["decide"])),
    "cases:enquiry_reopen": Page(("enq.answered", "enq.open", "enq.elsewhere"), enquiry_action(E["reopen"])),
    "cases:enquiry_close": Page(("enq.answered", "enq.open", "enq.elsewhere"), enquiry_action(E["close"])),
    "cases:enquiry_withdraw": Page(
        ("enq.open", "enq.disputed", "enq.answered", "enq.elsewhere"), enquiry_action(E["withdraw"])
    ),
    "cases:attachment": Page(
        ("att.own", "att.elsewhere", "att.crossed"),
        case_action(lambda ask: _sees_enquiry(ask) and _attachment_is_the_cases(ask), lambda ask: True),
        read_only=True,
    ),
    "cases:my_work": Page(LIST, signed_in(lambda ask: OK if ask.viewer.officer else FORBIDDEN)),
    # Cover while away (issue 15 C11): the officer's own page, their line manager's page for them,
    # ending a cover early (404 to anyone but the officer, their manager and the colleague).
    "cases:cover": Page(NONE, page_or_form(lambda ask: ask.viewer.serving_officer)),
    "cases:cover_for": Page(("cover.report", "cover.no_officer"), signed_in(cover_for_report)),
    "cases:cover_end": Page(("cover.in_force", "cover.ended", "cover.missing"), signed_in(cover_end_page)),
    "cases:service_queue": Page(
        ("none", "last_page", "queue.search_elsewhere", "queue.search_open", "queue.search_parks", "queue.revenues"),
        signed_in(lambda ask: OK if sees_service_queue(ask) else FORBIDDEN),
    ),
    "cases:service_queue_reassign": Page(NONE, signed_in(reassigns_from_queue)),
    # --- Concerns (DESIGN §4)
    "cases:concerns": Page(LIST, signed_in(lambda ask: OK if party_page(ask) else FORBIDDEN), read_only=True),
    "cases:concern_new": Page(NONE, page_or_form(party_page)),
    "cases:concern": Page(CONCERNS, case_action(_sees_concern, lambda ask: True), read_only=True),
    "cases:concern_escalate": Page(
        ("con.stage1", "con.stage2", "con.about_mo", "con.stage3_member", "con.closed"), concern_action(C["escalate"])
    ),
    "cases:concern_resolve": Page(
        ("con.stage1", "con.stage2", "con.stage3_member", "con.stage4"), concern_action(C["resolve"])
    ),
    "cases:concern_informal": Page(("con.stage3_member", "con.stage2"), concern_action(C["informal"])),
    "cases:concern_formal": Page(("con.stage3_officer", "con.stage2"), concern_action(C["formal"])),
    "cases:concern_sanctions": Page(("con.stage4", "con.stage3_member"), concern_action(C["sanctions"])),
    "cases:concern_refer": Page(("con.stage2", "con.stage3_independent", "con.closed"), concern_action(C["refer"])),
    "cases:concern_withdraw": Page(
        ("con.stage1", "con.stage2", "con.shared", "con.closed"), concern_action(C["withdraw"])
    ),
    "cases:concern_share": Page(("con.stage3_member", "con.shared", "con.about_mo"), concern_action(C["share"])),
    "cases:concern_reassign": Page(("con.stage2", "con.stage1", "con.stage4"), concern_action(C["reassign"])),
    "cases:concern_note": Page(
        (
            "con.stage2",
            "con.stage3_member",
            "con.stage3_officer",
            "con.stage3_independent",
            "con.stage4",
            "con.about_mo",
            "con.closed",
        ),
        concern_action(C["note"]),
    ),
    "cases:concern_evidence": Page(
        ("ev.own", "ev.crossed"),
        case_action(lambda ask: _sees_concern(ask) and _attachment_is_the_cases(ask), lambda ask: True),
        read_only=True,
    ),
    # --- The Monitoring Officer (000 §VIII)
    "cases:triage": Page(LIST, for_the_monitoring_officer, read_only=True),
    "cases:sanctions": Page(LIST, for_the_monitoring_officer, read_only=True),
    # A prohibition is a sanction's detail: the Monitoring Officer's only (404 to anyone else).
    "cases:prohibition_end": Page(
        ("prohibition.in_force", "prohibition.ended", "prohibition.missing"), signed_in(prohibition_page)
    ),
    "cases:prohibition_extend": Page(
        ("prohibition.in_force", "prohibition.ended", "prohibition.missing"), signed_in(prohibition_page)
    ),
    # --- Positive examples (000 §VI)
    "cases:positive_examples": Page(NONE, signed_in(lambda ask: OK if party_page(ask) else FORBIDDEN), read_only=True),
    "cases:positive_example_new": Page(NONE, page_or_form(party_page)),
    "cases:positive_example": Page(
        ("pos.with_ad", "pos.with_mo", "pos.recorded", "pos.elsewhere", "pos.missing"),
        case_action(_sees_example, lambda ask: True),
        read_only=True,
    ),
    "cases:positive_example_forward": Page(
        ("pos.with_ad", "pos.with_mo", "pos.elsewhere"), case_action(_sees_example, _forwards)
    ),
    "cases:positive_example_acknowledge": Page(
        ("pos.with_mo", "pos.with_ad"), case_action(_sees_example, _acknowledges)
    ),
    # --- Briefings offered to every political group (DESIGN §6; 001 §9.5.2)
    "cases:briefings": Page(LIST, signed_in(lambda ask: OK if sees_briefing_list(ask) else FORBIDDEN), read_only=True),
    "cases:briefing_new": Page(NONE, page_or_form(lambda ask: ask.viewer.serving_officer)),
    "cases:briefings_compliance": Page(
        LIST,
        signed_in(lambda ask: OK if oversees_briefings(ask) else FORBIDDEN),
        read_only=True,
    ),
    "cases:briefing": Page(
        ("brf.officer", "brf.left_out", "brf.chief", "brf.missing"),
        case_action(_sees_briefing, lambda ask: True),
        read_only=True,
    ),
    "cases:briefing_response": Page(
        ("brf.offer_lab", "brf.offer_con", "brf.offer_crossed"),
        case_action(lambda ask: _sees_briefing(ask) and _attachment_is_the_cases(ask), _records_response),
    ),
    "cases:briefing_offer_left_out": Page(
        ("brf.left_out", "brf.officer"), case_action(_sees_briefing, _offers_to_groups_left_out)
    ),
    # --- Ward notices (DESIGN §6; 001 §9.4): serving officers send them; serving councillors
    # see those for their wards; a notice is 404 to anyone outside its audience.
    "cases:ward_notices": Page(LIST, signed_in(lambda ask: OK if councillor_page(ask) else FORBIDDEN), read_only=True),
    "cases:ward_notices_sent": Page(
        LIST, signed_in(lambda ask: OK if ask.viewer.serving_officer else FORBIDDEN), read_only=True
    ),
    "cases:ward_notice_new": Page(NONE, page_or_form(lambda ask: ask.viewer.serving_officer)),
    "cases:ward_notice": Page(
        ("wn.brookside", "wn.late", "wn.attached", "wn.missing"),
        case_action(_sees_notice, lambda ask: True),
        read_only=True,
    ),
    "cases:ward_notice_attachment": Page(
        ("wn.attached", "wn.brookside"),
        case_action(lambda ask: _sees_notice(ask) and ask.target.extra.get("has_file", False), lambda ask: True),
        read_only=True,
    ),
    # --- Notifications: one's own
    "cases:notifications": Page(NONE, signed_in(lambda ask: OK)),
    "cases:notifications_read": Page(
        NONE, signed_in(lambda ask: redirect("/notifications/") if ask.post else NOT_ALLOWED)
    ),
    # --- Reports (DESIGN §7)
    "reporting:dashboard": Page(("none", "dashboard.quarter"), signed_in(report), read_only=True),
    "reporting:table_csv": Page(
        (
            "csv.escalations",
            "csv.by_directorate",
            "csv.by_service",
            "csv.by_month",
            "csv.promised",
            "csv.concerns_by_kind",
            "csv.ladder",
            "csv.outcomes",
            "csv.behaviours",
            "csv.briefings",
            "csv.unknown",
        ),
        signed_in(report),
        read_only=True,
    ),
    "reporting:drilldown": Page(
        (
            "drill.received",
            "drill.late",
            "drill.overdue",
            "drill.escalated",
            "drill.declined",
            "drill.disputed",
            "drill.extended",
            "drill.concerns",
            "drill.concerns_stage3",
            "drill.received_last_page",
            "drill.unknown",
        ),
        signed_in(drilldown),
        read_only=True,
    ),
    "reporting:annual_reports": Page(NONE, signed_in(report), read_only=True),
    "reporting:annual_report": Page(("year.this", "year.unknown"), signed_in(report), read_only=True),
    "reporting:annual_report_pdf": Page(("year.this",), signed_in(report), read_only=True),
    # UK GDPR Art. 15: Democratic Services and superusers only (an empty POST: no person chosen).
    "reporting:subject_access": Page(("none", "sar.search"), page_or_form(administers)),
    # --- The Django admin: staff only (non-staff go to the admin's sign-in)
    "admin:index": Page(NONE, admin_rule(lambda ask: OK), viewers=VIEWERS),
    "admin:login": Page(
        NONE, lambda ask: redirect("/admin/") if ask.viewer.is_staff and not ask.post else OK, viewers=ADMIN_VIEWERS
    ),
    "admin:logout": Page(NONE, admin_logout, viewers=ADMIN_VIEWERS),
    "admin:password_change": Page(NONE, admin_rule(lambda ask: OK), viewers=ADMIN_VIEWERS),
    "admin:password_change_done": Page(NONE, admin_get_only(OK), viewers=ADMIN_VIEWERS),
    "admin:autocomplete": Page(NONE, admin_get_only(FORBIDDEN), viewers=ADMIN_VIEWERS),  # no field asked for
    "admin:jsi18n": Page(NONE, admin_get_only(OK), viewers=ADMIN_VIEWERS),
    "admin:auth_user_password_change": Page(
        ("admin.user",), admin_rule(lambda ask: OK, site=False), viewers=ADMIN_VIEWERS
    ),
    # The admin's "view on site" sends staff to an object's page, where the page's own rule applies
    # (a concern's page is 404 to an administrator: DESIGN §4).
    "admin:view_on_site": Page(
        ("admin.site_enquiry", "admin.site_concern"),
        admin_rule(lambda ask: redirect(f"http://testserver{ask.target.extra['page']}")),
        viewers=ADMIN_VIEWERS,
    ),
    "admin:app_list": Page(("admin.app_people",), admin_rule(lambda ask: OK), viewers=ADMIN_VIEWERS),
    "admin/(?P<url>.*)$": Page(("admin.unknown",), admin_rule(lambda ask: NOT_FOUND), viewers=ADMIN_VIEWERS),
    **admin_pages(),
}


# === The project's URL patterns, from the resolver =========================================


def url_patterns() -> dict[str, str]:
    """Every pattern, keyed by its full name (namespace:name) or, unnamed, its route."""
    found: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, route, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
                found[name or route] = route

    walk(get_resolver(), "", None)
    return found


def test_every_url_pattern_is_in_the_matrix():
    patterns = url_patterns()
    missing = sorted(set(patterns) - set(MATRIX))
    assert not missing, (
        "URL patterns with no entry in the authorization matrix: "
        + ", ".join(f"{name} ({patterns[name]})" for name in missing)
        + ". Add it to the matrix: one line in MATRIX, tests/protocol_portal/test_authorization_matrix.py."
    )
    stale = sorted(set(MATRIX) - set(patterns))
    assert not stale, f"Entries in the matrix for URL patterns that no longer exist: {', '.join(stale)}"


# === The demo council, once for the module =================================================


def _plain_officer_elsewhere() -> Officer:
    """An officer outside the demo service who manages no one, liaises for no service, holds
    no statutory role, and owns an open enquiry (so the matrix sees them see something)."""
    managers = set(Officer.objects.exclude(line_manager=None).values_list("line_manager_id", flat=True))
    senior = set(Service.objects.values_list("head_of_service_id", flat=True))
    senior |= set(Service.objects.values_list("assistant_director_id", flat=True))
    senior |= set(Directorate.objects.values_list("director_id", flat=True))
    senior |= set(Service.liaison_officers.through.objects.values_list("officer_id", flat=True))
    senior |= set(StatutoryAppointment.objects.values_list("officer_id", flat=True))
    candidates = (
        Officer.objects.current()
        .exclude(service__name=DEMO_SERVICE)
        .exclude(service=None)
        .exclude(pk__in=managers | senior)
        .filter(owned_enquiries__state__in=AWAITING)
        .exclude(user__username__in=DEMO_ACCOUNTS)
        .order_by("user__username")
    )
    return candidates.select_related("user").first()


def _viewer(key: str, user, oracle: Oracle) -> Viewer:
    if user is None:
        return Viewer(key)
    member = Member.objects.filter(user=user).first()
    officer = Officer.objects.filter(user=user).first()
    viewer = Viewer(key, user, member, officer)
    viewer.runs_the_portal = user.is_superuser or user.groups.filter(name=Role.DEMOCRATIC_SERVICES.label).exists()
    if officer is not None:
        viewer.is_monitoring_officer = officer.pk in oracle.monitoring_team
        viewer.is_chief_executive = officer.pk == oracle.chief.pk
        viewer.manages = frozenset(
            Service.objects.filter(head_of_service=officer)
            .values_list("pk", flat=True)
            .union(
                Service.objects.filter(assistant_director=officer).values_list("pk", flat=True),
                Service.objects.filter(directorate__director=officer).values_list("pk", flat=True),
            )
        )
        viewer.senior = bool(viewer.manages) or viewer.is_chief_executive
    if member is not None:
        standards = Committee.objects.get(kind=Committee.Kind.STANDARDS)
        viewer.is_standards = standards.chair_id == member.pk or standards.members.filter(pk=member.pk).exists()
        viewer.speaks_for = frozenset(
            group for group, users in oracle.group_spokespeople.items() if member.user_id in users
        )
    viewer.may_see, viewer.told = oracle.references_for(viewer)
    return viewer


def _build(media) -> SimpleNamespace:
    User = get_user_model()
    users = {username: User.objects.get(username=username) for username in DEMO_ACCOUNTS}
    councillor, councillor2 = users["councillor"].member, users["councillor2"].member
    highways = Service.objects.get(name=DEMO_SERVICE)

    # The demo has no files: an enquiry with one in the demo service, one elsewhere, and a
    # concern with evidence (the councillor about the demo officer, who does not see it).
    def filed(member, service, name):
        pdf = SimpleUploadedFile(name, PDF, content_type="application/pdf")
        return services.enquiry_file(
            member=member,
            subject=f"Survey {name}",
            details="Please see the attached survey.",
            service=service,
            purpose=Purpose.INFORMATION,
            attachments=[pdf],
        )

    attached = filed(councillor, highways, "survey.pdf")
    attached_elsewhere = filed(councillor2, Service.objects.get(name="Revenues and Benefits"), "arrears.pdf")
    with_evidence = concern_services.concern_raise(
        raised_by=users["councillor"],
        about_officer=users["officer"].officer,
        occurred_on=timezone.localdate(),
        what_happened="Refused to tell me when the pothole would be repaired.",
        feels_able_to_talk=False,
        evidence=[SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf")],
    )
    # Shared with its subject, councillor2, by the Monitoring Officer (a safeguarding flag took it to stage 3).
    shared = concern_services.concern_raise(
        raised_by=users["officer"],
        about_member=councillor2,
        occurred_on=timezone.localdate(),
        what_happened="Shouted at me across the reception desk.",
        feels_able_to_talk=False,
        safeguarding=True,
    )
    shared = concern_services.concern_share_with_subject(
        concern=shared, actor=users["monitoring.officer"], note="For your reply."
    )
    # About the Monitoring Officer: a deputy's, and their line manager's at stage 2; never theirs.
    about_monitoring_officer = concern_services.concern_raise(
        raised_by=users["councillor2"],
        about_officer=users["monitoring.officer"].officer,
        occurred_on=timezone.localdate(),
        what_happened="Refused to advise me on a declaration of interest.",
        feels_able_to_talk=False,
    )
    ClosureDay.objects.create(date=date(2030, 12, 27), reason="Christmas shutdown")
    # Ward notices (001 §9.4): the demo's, for the councillor's ward and a late consultation, and
    # one with a file, from the demo officer to Kingsmead (councillor2's ward).
    notices = {
        "wn.brookside": WardNotice.objects.filter(wards__name="Brookside", sent_by=users["officer"]).first(),
        "wn.late": WardNotice.objects.filter(sent_late=True).first(),
        "wn.attached": ward_notice_send(
            sent_by=users["officer"],
            kind=WardNoticeKind.PUBLIC_MEETING,
            title="Public meeting on Kingsmead parking",
            concerns_on=timezone.localdate(),
            summary="At the library, 7pm.",
            wards=[Ward.objects.get(name="Kingsmead")],
            attachment=SimpleUploadedFile("agenda.pdf", PDF, content_type="application/pdf"),
        ),
    }
    for label, found in notices.items():
        assert found is not None, f"the demo council has no ward notice for {label}"

    def enquiry(**filters) -> Enquiry:
        return Enquiry.objects.filter(**filters).order_by("-received_at").first()

    plain = _plain_officer_elsewhere()
    users[PLAIN_OFFICER] = plain.user
    deputy = StatutoryAppointment.objects.get(role=StatutoryRole.MONITORING_OFFICER, is_deputy=True).officer
    users[DEPUTY_MO] = deputy.user
    mine = {"member": councillor}
    enquiries = {
        # The councillor's, in the demo service, with the demo officer (the liaison officer had it first).
        "enq.open": enquiry(**mine, service=highways, state=EnquiryState.SUBMITTED, owner=users["officer"].officer),
        "enq.held": enquiry(**mine, state=EnquiryState.HOLDING_REPLY, owner=users["officer"].officer),
        "enq.consent": enquiry(**mine, explicit_consent_needed=True, state=EnquiryState.SUBMITTED),
        "enq.answered": enquiry(**mine, service=highways, state=EnquiryState.ANSWERED),
        # The councillor's, in another service (Planning).
        "enq.declined": enquiry(**mine, state=EnquiryState.DECLINED),
        "enq.disputed": enquiry(**mine, state=EnquiryState.DISPUTED),
        "enq.elsewhere": enquiry(member=councillor2, state=EnquiryState.SUBMITTED),
        # The independent's, in Parks (no liaison officer: with its Head of Service; the demo
        # assistant director and director manage Parks too).
        "enq.parks": enquiry(
            member=users["independent"].member, service__name="Parks and Green Spaces", state=EnquiryState.SUBMITTED
        ),
        "enq.plain_officer": enquiry(owner=plain, state__in=AWAITING),
        # Awaiting the answer the Chief Executive directed after a dispute (001 §7.4).
        "enq.directed": enquiry(state=EnquiryState.SUBMITTED, disputes__decision=Dispute.Decision.DIRECTED),
        "enq.attached": attached,
    }
    # A holding reply asking the councillor to agree to a later date (issue 15 A3).
    extension = services.enquiry_file(
        member=councillor,
        service=highways,
        subject="Gritting on Mill Lane",
        details="Will Mill Lane be gritted this winter?",
        purpose=Purpose.INFORMATION,
    )
    HoldingReply.objects.create(
        enquiry=extension,
        author=extension.owner,
        reason="Waiting for the winter plan.",
        target_on=timezone.localdate() + timedelta(days=40),
        status=HoldingReply.Status.AWAITING,
        original_due_on=extension.due_on,
    )
    enquiries["enq.extension"] = extension
    for label, found in enquiries.items():
        assert found is not None, f"the demo council has no enquiry for {label}"
    assert _reopen_window_open(enquiries["enq.answered"]), "the demo's recent answer can no longer be reopened"

    def concern(**filters) -> Concern:
        return Concern.objects.filter(**filters).order_by("-raised_at").first()

    concerns = {
        "con.stage1": concern(state=ConcernState.DIRECT, complainant_user=users["councillor2"]),
        "con.stage2": concern(state=ConcernState.LINE_MANAGEMENT, complainant_user=users["liaison"]),
        "con.stage3_member": concern(
            state=ConcernState.MO_REVIEW,
            subject_member__group__whips=users["whip"].member,
            shared_with_subject_at=None,
            safeguarding=False,
        ),
        "con.stage3_officer": concern(state=ConcernState.MO_REVIEW, subject_officer__isnull=False),
        "con.stage3_independent": concern(state=ConcernState.MO_REVIEW, subject_member__group=None),
        "con.stage4": concern(state=ConcernState.SANCTION, shared_with_subject_at=None),
        "con.closed": concern(state=ConcernState.RESOLVED, complainant_user=users["councillor"]),
        "con.evidence": with_evidence,
        "con.shared": shared,
        "con.about_mo": about_monitoring_officer,
    }
    for label, found in concerns.items():
        assert found is not None, f"the demo council has no concern for {label}"

    examples = {
        "pos.with_ad": PositiveExample.objects.filter(
            state=PositiveExampleState.WITH_ASSISTANT_DIRECTOR, recorded_by=users["councillor"]
        ).first(),
        "pos.with_mo": PositiveExample.objects.filter(
            state=PositiveExampleState.WITH_MONITORING_OFFICER, assistant_director=users["assistant.director"].officer
        ).first(),
        "pos.recorded": PositiveExample.objects.filter(
            state=PositiveExampleState.RECORDED, recorded_by=users["head"]
        ).first(),
        "pos.elsewhere": PositiveExample.objects.filter(recorded_by=users["councillor2"]).first(),
    }
    # Briefings (protocol_portal/demo/data/briefings.toml): the demo officer's, the spreadsheet's (a group left
    # out) and the Chief Executive's.
    briefings = {
        "brf.officer": Briefing.objects.filter(recorded_by=users["officer"]).first(),
        "brf.left_out": Briefing.objects.filter(offers__isnull=False).exclude(offers__group__short_name="LD").first(),
        "brf.chief": Briefing.objects.filter(recorded_by=users["chief.executive"]).first(),
    }
    for label, found in briefings.items():
        assert found is not None, f"the demo council has no briefing for {label}"
    today = timezone.localdate()
    prohibitions = {
        "prohibition.in_force": ContactProhibition.objects.active(on=today).first(),
        "prohibition.ended": ContactProhibition.objects.filter(ends_on__lt=today).first(),
    }
    for label, found in {**examples, **prohibitions}.items():
        assert found is not None, f"the demo council has no object for {label}"

    targets: dict[str, Target] = {"none": Target("none")}
    for label, found in enquiries.items():
        targets[label] = Target(label, {"reference": found.reference}, enquiry=found)
    targets["enq.missing"] = Target("enq.missing", {"reference": "ENQ-1999-99999"})
    own, other = attached.attachments.get(), attached_elsewhere.attachments.get()
    targets |= {
        "att.own": Target(
            "att.own", {"reference": attached.reference, "pk": own.pk}, enquiry=attached, extra={"belongs": True}
        ),
        "att.elsewhere": Target(
            "att.elsewhere",
            {"reference": attached_elsewhere.reference, "pk": other.pk},
            enquiry=attached_elsewhere,
            extra={"belongs": True},
        ),
        # The councillor's enquiry, asking for the file of councillor2's: never served.
        "att.crossed": Target(
            "att.crossed", {"reference": attached.reference, "pk": other.pk}, enquiry=attached, extra={"belongs": False}
        ),
    }
    for label, found in concerns.items():
        targets[label] = Target(label, {"reference": found.reference}, concern=found)
    targets["con.missing"] = Target("con.missing", {"reference": "CON-1999-99999"})
    evidence = with_evidence.attachments.get()
    stage2 = concerns["con.stage2"]
    targets |= {
        "ev.own": Target(
            "ev.own",
            {"reference": with_evidence.reference, "pk": evidence.pk},
            concern=with_evidence,
            extra={"belongs": True},
        ),
        "ev.crossed": Target(
            "ev.crossed", {"reference": stage2.reference, "pk": evidence.pk}, concern=stage2, extra={"belongs": False}
        ),
    }
    for label, found in examples.items():
        targets[label] = Target(label, {"reference": found.reference}, example=found)
    targets["pos.missing"] = Target("pos.missing", {"reference": "POS-1999-99999"})
    for label, found in briefings.items():
        targets[label] = Target(label, {"reference": found.reference}, briefing=found)
    targets["brf.missing"] = Target("brf.missing", {"reference": "BRF-1999-99999"})
    by_officer, spreadsheet = briefings["brf.officer"], briefings["brf.left_out"]
    lab_offer = by_officer.offers.get(group__short_name="Lab")
    con_offer = spreadsheet.offers.get(group__short_name="Con")
    crossed = spreadsheet.offers.get(group__short_name="Lab")
    targets |= {
        "brf.offer_lab": Target(
            "brf.offer_lab",
            {"reference": by_officer.reference, "pk": lab_offer.pk},
            briefing=by_officer,
            offer=lab_offer,
            extra={"belongs": True},
        ),
        "brf.offer_con": Target(
            "brf.offer_con",
            {"reference": spreadsheet.reference, "pk": con_offer.pk},
            briefing=spreadsheet,
            offer=con_offer,
            extra={"belongs": True},
        ),
        # The officer's briefing, asking for an offer of another briefing: never found.
        "brf.offer_crossed": Target(
            "brf.offer_crossed",
            {"reference": by_officer.reference, "pk": crossed.pk},
            briefing=by_officer,
            offer=crossed,
            extra={"belongs": False},
        ),
    }
    for label, found in notices.items():
        targets[label] = Target(
            label, {"reference": found.reference}, notice=found, extra={"has_file": bool(found.attachment)}
        )
    targets["wn.missing"] = Target("wn.missing", {"reference": "WN-1999-99999"})
    for label, found in prohibitions.items():
        targets[label] = Target(label, {"pk": found.pk}, prohibition=found)
    targets["prohibition.missing"] = Target("prohibition.missing", {"pk": 999999})
    # Cover while away (issue 15 C11): Democratic Services' officer covers for the demo officer this
    # week (so sees and answers the demo officer's open enquiries), and covered for them last week.
    away, colleague = users["officer"].officer, users[DEMOCRATIC_SERVICES].officer
    in_force = cover_set(
        officer=away, covered_by=colleague, starts_on=today, ends_on=today + timedelta(days=6), actor=away.user
    )
    ended = Cover.objects.create(
        officer=away,
        covered_by=colleague,
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=3),
        created_by=away.user,
    )
    liaison = users["liaison"].officer
    targets |= {
        "cover.report": Target("cover.report", {"officer_id": liaison.pk}, extra={"officer": liaison}),
        "cover.no_officer": Target("cover.no_officer", {"officer_id": 999999}),
        "cover.in_force": Target("cover.in_force", {"cover_id": in_force.pk}, extra={"cover": in_force}),
        "cover.ended": Target("cover.ended", {"cover_id": ended.pk}, extra={"cover": ended}),
        "cover.missing": Target("cover.missing", {"cover_id": 999999}),
    }
    # Searching the service queue for an enquiry of another service, and for one of one's own.
    targets["queue.search_elsewhere"] = Target(
        "queue.search_elsewhere", query=f"q={enquiries['enq.elsewhere'].reference}"
    )
    targets["queue.search_open"] = Target("queue.search_open", query=f"q={enquiries['enq.open'].reference}")
    # Asking the queue for another service's enquiries by its id.
    revenues = enquiries["enq.elsewhere"].service_id
    targets["queue.revenues"] = Target("queue.revenues", query=f"service={revenues}&state=submitted")
    targets["queue.search_parks"] = Target("queue.search_parks", query=f"q={enquiries['enq.parks'].reference}")
    # Reports: a quarter, every table's CSV, every drill-down, this year's report; unknown ones.
    from reporting.periods import municipal_year_of, recent_periods

    quarter = next(period for period in recent_periods(today=today) if period.kind == "quarter")
    targets["dashboard.quarter"] = Target("dashboard.quarter", query=f"period={quarter.key}")
    for table in (
        "escalations",
        "by_directorate",
        "by_service",
        "by_month",
        "promised",
        "concerns_by_kind",
        "ladder",
        "outcomes",
        "behaviours",
        "briefings",
    ):
        targets[f"csv.{table}"] = Target(f"csv.{table}", {"table": table})
    targets["csv.unknown"] = Target("csv.unknown", {"table": "members-names"}, extra={"unknown": True})
    for metric in ("received", "late", "overdue", "escalated", "declined", "disputed", "extended", "concerns"):
        targets[f"drill.{metric}"] = Target(f"drill.{metric}", query=f"metric={metric}")
    targets["drill.concerns_stage3"] = Target("drill.concerns_stage3", query="metric=concerns&stage=3")
    targets["drill.received_last_page"] = Target("drill.received_last_page", query="metric=received&page=999")
    targets["last_page"] = Target("last_page", query="page=999&raised=999&handled=999&joined=999")
    targets["drill.unknown"] = Target("drill.unknown", query="metric=names", extra={"unknown": True})
    targets["sar.search"] = Target("sar.search", query="q=councillor&kind=councillor")
    year = municipal_year_of(today).start.year
    targets["year.this"] = Target("year.this", {"year": year})
    targets["year.unknown"] = Target("year.unknown", {"year": 1990}, extra={"unknown": True})
    # A councillor's photo, and a councillor without one.
    portrait = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(portrait, "PNG")
    councillor.photo = SimpleUploadedFile("portrait.png", portrait.getvalue(), content_type="image/png")
    councillor.save()
    targets["photo.councillor"] = Target("photo.councillor", {"pk": councillor.pk})
    targets["photo.none"] = Target("photo.none", {"pk": councillor2.pk}, extra={"unknown": True})
    # Profiles (003): the councillor's and councillor2's, and one that does not exist.
    targets["profile.councillor"] = Target("profile.councillor", {"pk": councillor.pk})
    targets["profile.councillor2"] = Target("profile.councillor2", {"pk": councillor2.pk})
    targets["profile.missing"] = Target("profile.missing", {"pk": 999999}, extra={"unknown": True})
    # docs/directory.md: Democratic Services hand on or close each enquiry the leaver filed that is
    # not yet closed, so the page lists those (to whoever records the leaving, and no one else).
    handed_on = Enquiry.objects.filter(member=councillor).exclude(
        state__in=[EnquiryState.CLOSED, EnquiryState.WITHDRAWN]
    )
    targets["leaver.councillor"] = Target(
        "leaver.councillor",
        {"member_id": councillor.pk},
        extra={"hands_on": set(handed_on.values_list("reference", flat=True))},
    )
    targets["directory.search"] = Target("directory.search", query="q=a&service=999999&ward=1&group=independent")
    # The admin's objects: the sign-in records (axes') and the audit log have none in the demo.
    now = timezone.now()
    attempt_fields = {
        "user_agent": "matrix",
        "ip_address": "192.0.2.1",
        "username": "no.such.person",
        "http_accept": "*/*",
    }
    attempt = AccessAttempt.objects.create(**attempt_fields, path_info="/sign-in/", failures_since_start=1)
    failure = AccessFailureLog.objects.create(**attempt_fields, path_info="/sign-in/", locked_out=False)
    access = AccessLog.objects.create(**attempt_fields, path_info="/sign-in/")
    # The retention schedule's record of a run (a dry run: the demo council keeps everything).
    retention_dry_run = retention_run(dry_run=True, trigger="command")
    AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN, user=users["councillor"], username="councillor", at=now)
    event_of = TimelineEvent.objects.filter
    targets |= {
        "admin.group": Target("admin.group", {"object_id": Group.objects.first().pk}),
        "admin.user": Target("admin.user", {"object_id": users["councillor"].pk, "id": users["councillor"].pk}),
        "admin.ward": Target("admin.ward", {"object_id": Ward.objects.first().pk}),
        "admin.politicalgroup": Target("admin.politicalgroup", {"object_id": PoliticalGroup.objects.first().pk}),
        "admin.member": Target("admin.member", {"object_id": councillor.pk}),
        "admin.directorate": Target("admin.directorate", {"object_id": highways.directorate_id}),
        "admin.service": Target("admin.service", {"object_id": highways.pk}),
        "admin.officer": Target("admin.officer", {"object_id": users["officer"].officer.pk}),
        "admin.committee": Target("admin.committee", {"object_id": Committee.objects.first().pk}),
        "admin.closureday": Target("admin.closureday", {"object_id": ClosureDay.objects.first().pk}),
        "admin.enquiry": Target("admin.enquiry", {"object_id": attached.pk}),
        "admin.enquiry_event": Target("admin.enquiry_event", {"object_id": event_of(enquiry=attached).first().pk}),
        # A concern's timeline is need-to-know (DESIGN §4): the admin does not show it.
        "admin.concern_event": Target(
            "admin.concern_event", {"object_id": event_of(concern=with_evidence).first().pk}, extra={"hidden": True}
        ),
        "admin.behaviour": Target("admin.behaviour", {"object_id": Behaviour.objects.first().pk}),
        "admin.briefing": Target("admin.briefing", {"object_id": briefings["brf.left_out"].pk}),
        "admin.wardnotice": Target("admin.wardnotice", {"object_id": notices["wn.attached"].pk}),
        "admin.auditevent": Target("admin.auditevent", {"object_id": AuditEvent.objects.order_by("pk").first().pk}),
        "admin.totpdevice": Target(
            "admin.totpdevice",
            {
                "object_id": TOTPDevice.objects.order_by("pk").first().pk,
                "pk": TOTPDevice.objects.order_by("pk").first().pk,
            },
        ),
        "admin.accessattempt": Target("admin.accessattempt", {"object_id": attempt.pk}),
        "admin.accessfailurelog": Target("admin.accessfailurelog", {"object_id": failure.pk}),
        "admin.accesslog": Target("admin.accesslog", {"object_id": access.pk}),
        "admin.retentionrun": Target("admin.retentionrun", {"object_id": retention_dry_run.pk}),
        "admin.site_enquiry": Target(
            "admin.site_enquiry",
            {"content_type_id": ContentType.objects.get_for_model(Enquiry).pk, "object_id": attached.pk},
            extra={"page": attached.get_absolute_url()},
        ),
        "admin.site_concern": Target(
            "admin.site_concern",
            {"content_type_id": ContentType.objects.get_for_model(Concern).pk, "object_id": with_evidence.pk},
            extra={"page": with_evidence.get_absolute_url()},
        ),
        "admin.app_people": Target("admin.app_people", path="/admin/people/"),
        "admin.unknown": Target("admin.unknown", path="/admin/no-such-page/"),
    }

    oracle = Oracle()
    viewers = {key: _viewer(key, users.get(key), oracle) for key in VIEWERS}
    names = _names(viewers)
    published = [
        linebreaksbr(text, autoescape=True)
        for text in PositiveExample.objects.filter(publishable=True).values_list("what_happened", flat=True)
    ]
    return SimpleNamespace(
        oracle=oracle, viewers=viewers, targets=targets, media=media, names=names, published=published
    )


def _names(viewers) -> list[str]:
    """Names the Standards Committee's pages must never show (DESIGN §7): the parties to
    every concern and the demo accounts."""
    found = set()
    for concern in Concern.objects.select_related("complainant_user", "subject_member__user", "subject_officer__user"):
        found.add(concern.complainant_user.get_full_name())
        found.add((concern.subject_member or concern.subject_officer).user.get_full_name())
    found |= {viewer.user.get_full_name() for viewer in viewers.values() if viewer.user}
    return sorted(name for name in found if name.strip())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo council with its files, and a signed-in session for each viewer, in a
    transaction rolled back after the module's tests."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        with TestCase.captureOnCommitCallbacks():
            call_command("seed_demo", stdout=io.StringIO())
            built = _build(media)
        for viewer in built.viewers.values():
            if viewer.user is not None:
                client = Client()
                client.force_login(viewer.user)
                viewer.session = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_root(request, settings):
    """The demo's files (tests/conftest.py gives each test an empty folder of its own)."""
    if "demo" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("demo").media


@pytest.fixture
def quiet():
    """Thousands of refusals: Django logs each 403 and 404 with its traceback. Errors still show."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


# === The matrix ============================================================================


_ROUTES: dict[str, str] = {}
# Pages in reporting that are not the committee's: the subject access export finds a person by
# name for Democratic Services (UK GDPR Art. 15), and is refused to the committee.
NOT_COMMITTEE_PAGES = {"reporting:subject_access"}


def url_for(pattern: str, target: Target) -> str:
    if target.path:
        return target.path
    if not _ROUTES:
        _ROUTES.update(url_patterns())
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(target.values[m.group(1)]), _ROUTES[pattern])
    return f"{path}?{target.query}" if target.query else path


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def check(demo, pattern: str, target: str, viewer: str, method: str) -> str | None:
    """One request: what went wrong, or None."""
    who, what = demo.viewers[viewer], demo.targets[target]
    ask = Ask(viewer=who, target=what, method=method, oracle=demo.oracle)
    expected = MATRIX[pattern].expect(ask)
    path = url_for(pattern, what)
    where = f"{method} {path} ({pattern}, {target}) as {who}"
    client = Client()
    if who.user is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = who.session
    try:
        response = client.post(path, {}) if method == "POST" else client.get(path)
    except Exception as error:  # a 500: the test client raises what the view raised
        return f"{where}: raised {error!r}, expected {expected}"
    if response.status_code != expected.status:
        return f"{where}: got {response.status_code}, expected {expected}"
    if expected.status == 302 and not response["Location"].startswith(expected.location):
        return f"{where}: went to {response['Location']}, expected {expected}"
    if response.status_code != 200:
        return None
    body = body_of(response)
    if expected.form_errors and "There is a problem" not in body:
        return f"{where}: the form's errors are not shown"
    # What the viewer typed (a search) is shown back to them: not a leak.
    for _, value in parse_qsl(what.query):
        body = body.replace(f'value="{value}"', "")
    # Zero leaks: every case the page names is one this viewer may see (DESIGN §4), or on
    # the notifications page one they were told about.
    allowed = who.told if pattern == "cases:notifications" else who.may_see
    if expected.status == 200 and pattern == "cases:member_leave":
        allowed = allowed | what.extra["hands_on"]
    leaked = sorted(set(REFERENCE.findall(body)) - allowed)
    if leaked:
        return f"{where}: shows cases the viewer may not see: {', '.join(leaked)}"
    # DESIGN §7: "No names on the committee's pages."
    if pattern.startswith("reporting:") and pattern not in NOT_COMMITTEE_PAGES and not who.operational:
        # 000 §VI: the Monitoring Officer approves a positive example's text for publication as written.
        for text in demo.published:
            body = body.replace(text, "")
        named = [name for name in demo.names if name in body]
        if named:
            return f"{where}: the committee's page names {', '.join(named)}"
    return None


@pytest.mark.parametrize("pattern", list(MATRIX))
def test_matrix(demo, quiet, pattern):
    """Every request to one URL pattern: each of its objects, each viewer, GET and POST."""
    page = MATRIX[pattern]
    requests = [(target, viewer, method) for target, method in page.requests() for viewer in page.viewers]
    failures = [
        failure for target, viewer, method in requests if (failure := check(demo, pattern, target, viewer, method))
    ]
    assert not failures, f"{len(failures)} of {len(requests)} requests to {pattern} went wrong:\n" + "\n".join(failures)


# The leak check reads real rows: each of these pages shows its viewer cases of their own.
SHOWN = [
    ("cases:my_enquiries", "none", "councillor", ("enq.attached", "enq.consent")),
    ("cases:my_work", "none", "officer", ("enq.open", "enq.held")),
    ("cases:my_work", "none", DEMOCRATIC_SERVICES, ("enq.open", "enq.held")),  # covering for the officer
    ("cases:service_queue", "queue.search_open", "head", ("enq.open",)),
    ("cases:service_queue", "queue.search_parks", "assistant.director", ("enq.parks",)),
    ("cases:concerns", "none", "whip", ("con.stage3_member",)),  # joined at stage 3
    ("cases:concerns", "none", "councillor2", ("con.stage1", "con.shared", "con.about_mo")),  # raised; shared
    ("cases:triage", "none", "monitoring.officer", ("con.stage3_member", "con.shared")),
    ("cases:positive_examples", "none", "assistant.director", ("pos.with_ad",)),
    ("cases:ward_notices", "none", "councillor", ("wn.brookside",)),
    ("cases:ward_notices", "none", "councillor2", ("wn.attached",)),
    ("cases:ward_notices_sent", "none", "officer", ("wn.brookside", "wn.attached")),
    ("cases:notifications", "none", "head", ("con.stage3_member",)),  # told while handling stage 2
    ("cases:briefings", "none", "whip", ("brf.officer", "brf.chief")),  # offered to their group
    ("cases:briefings", "none", "officer", ("brf.officer",)),  # recorded by them
    ("cases:briefings_compliance", "none", "monitoring.officer", ("brf.left_out",)),
    ("cases:briefings_compliance", "none", DEMOCRATIC_SERVICES, ("brf.left_out",)),
    ("cases:member_leave", "leaver.councillor", DEMOCRATIC_SERVICES, ("enq.open", "enq.disputed")),  # to hand on
    ("reporting:drilldown", "drill.concerns", "monitoring.officer", ("con.evidence", "con.shared")),
    ("reporting:drilldown", "drill.concerns", DEPUTY_MO, ("con.about_mo",)),  # not the Monitoring Officer's
    ("reporting:drilldown", "drill.received", "chief.executive", ("enq.attached",)),
]


@pytest.mark.parametrize(("pattern", "target", "viewer", "labels"), SHOWN, ids=[f"{p}|{v}" for p, _, v, _ in SHOWN])
def test_the_pages_the_leak_check_reads_show_the_viewers_own_cases(demo, pattern, target, viewer, labels):
    who, what = demo.viewers[viewer], demo.targets[target]
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = who.session

    body = body_of(client.get(url_for(pattern, what)))

    for label in labels:
        shown = demo.targets[label]
        reference = (shown.enquiry or shown.concern or shown.example or shown.briefing or shown.notice).reference
        assert reference in body, f"{pattern} does not show {viewer} {label} ({reference})"
