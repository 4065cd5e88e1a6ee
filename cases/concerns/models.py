"""Concerns and the escalation ladder (DESIGN §4; 000 §VII–§VIII, 001 §6, 002), with the
informal actions, formal sanctions and external referrals that close them.

Transitions only set fields; the services in ``cases.concerns.services`` call them, save,
grant need-to-know access, write the timeline and tell people after commit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cases.shared.selectors import officer_of, roles_of
from escalation.calendar import local_date
from escalation.deadlines import Deadline
from people.models import Committee, ContactProhibition, Member, Officer, Service
from people.roles import Role

if TYPE_CHECKING:
    from cases.shared.models import Attachment, TimelineEvent


class ConcernKind(models.TextChoices):
    MEMBER_ABOUT_OFFICER = "member_about_officer", "A councillor's concern about an officer"
    OFFICER_ABOUT_MEMBER = "officer_about_member", "An officer's concern about a councillor"
    DUTIES = "duties", "A disagreement over respective duties"


class ConcernState(models.TextChoices):
    DIRECT = "direct", "Stage 1: direct conversation"
    LINE_MANAGEMENT = "line_management", "Stage 2: line management"
    MO_REVIEW = "mo_review", "Stage 3: Monitoring Officer review"
    SANCTION = "sanction", "Stage 4: formal sanction"
    RESOLVED = "resolved", "Resolved"
    INFORMAL_ACTION = "informal_action", "Informal action taken"
    FORMAL_ACTION = "formal_action", "Formal action taken"
    REFERRED = "referred", "Referred outside the council"
    WITHDRAWN = "withdrawn", "Withdrawn"


CONCERN_OPEN_STATES = [
    ConcernState.DIRECT,
    ConcernState.LINE_MANAGEMENT,
    ConcernState.MO_REVIEW,
    ConcernState.SANCTION,
]


CONCERN_STAGE_NUMBERS = {state: number for number, state in enumerate(CONCERN_OPEN_STATES, start=1)}

# 000 §VIII: the Monitoring Officer and the Whip (or the Chair of Standards, or the Director of
# People Services and the line manager) "determine the seriousness of the issue and the nature
# of the sanction": the review runs through stage 3 and the sanction decided at stage 4.
CONCERN_REVIEW_STATES = [ConcernState.MO_REVIEW, ConcernState.SANCTION]


class Behaviour(models.Model):
    """A behaviour a concern may cite: the maintained list of DESIGN §4 (admin-editable)."""

    class Source(models.TextChoices):
        NOLAN = "nolan", "The seven principles of public life"
        PROTOCOL = "protocol", "Protocol behaviours (000 §IV)"
        LIMIT = "limit", "Specific limits of the protocol (001 §3–§5)"

    name = models.CharField(max_length=150, unique=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    citation = models.CharField(max_length=50, blank=True, help_text="For example 001 §3.2(h).")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Untick to stop offering it; past concerns keep it.")

    class Meta:
        ordering = ["source", "position", "name"]

    def __str__(self) -> str:
        return self.name


def is_monitoring_officer(concern: Concern | None, user) -> bool:
    """The Monitoring Officer or a deputy (000 §VIII), but not on a concern they are a party
    to: a deputy handles that one (escalation.routing.concern_reviewer)."""
    if Role.MONITORING_OFFICER not in roles_of(user):
        return False
    return not (isinstance(concern, Concern) and is_party(concern, user))


def is_party(concern: Concern, user) -> bool:
    """The complainant, or the officer the concern is about."""
    officer = officer_of(user)
    return user.pk == concern.complainant_user_id or (officer is not None and officer.pk == concern.subject_officer_id)


def is_complainant(concern: Concern, user) -> bool:
    return user.is_authenticated and user.pk == concern.complainant_user_id


def is_handler(concern: Concern, user) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.pk == concern.owner_id


def may_escalate_to_line_management(concern: Concern, user) -> bool:
    """001 §6.1, §6.2: talking directly did not help; the complainant (or the MO) takes it on."""
    return is_complainant(concern, user) or is_monitoring_officer(concern, user)


def may_escalate_to_monitoring_officer(concern: Concern, user) -> bool:
    """The line manager handling it, or the Monitoring Officer, sends it to stage 3 (000 §VIII)."""
    return is_handler(concern, user) or is_monitoring_officer(concern, user)


def may_resolve(concern: Concern, user) -> bool:
    """Stage 1: the complainant says talking settled it. Stage 2: the line manager.
    Stage 3: the Monitoring Officer."""
    if concern.state == ConcernState.DIRECT:
        return is_complainant(concern, user) or is_monitoring_officer(concern, user)
    if concern.state == ConcernState.LINE_MANAGEMENT:
        return is_handler(concern, user) or is_monitoring_officer(concern, user)
    return is_monitoring_officer(concern, user)


def may_refer(concern: Concern, user) -> bool:
    """External referral is open at any stage (DESIGN §4): the MO, or the line manager at stage 2."""
    if concern.state == ConcernState.LINE_MANAGEMENT and is_handler(concern, user):
        return True
    return is_monitoring_officer(concern, user)


class Concern(ConcurrentTransitionMixin, Deadline):
    """A concern about conduct between a councillor and an officer, climbing the ladder of
    DESIGN §4. Exactly one party is a member and the other an officer."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=ConcernKind.choices)
    complainant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_raised"
    )
    complainant_member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    complainant_officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns_about"
    )
    subject_officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns_about"
    )
    occurred_on = models.DateField("when it happened")
    what_happened = models.TextField()
    behaviours = models.ManyToManyField(Behaviour, blank=True, related_name="concerns")
    # 001 §6.1, §6.2: stage 1 is skipped when the complainant does not feel able to talk directly.
    feels_able_to_talk = models.BooleanField()
    # DESIGN §4: a safeguarding flag sends the concern straight to the Monitoring Officer.
    safeguarding = models.BooleanField(default=False)

    # The key of the form that created it (cases.shared.forms.SubmittedOnceForm): the same form sent
    # twice, as by a double click, creates one concern.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    state = FSMField(max_length=20, choices=ConcernState.choices, default=ConcernState.DIRECT, protected=True)
    # The officer handling the current stage: empty at stage 1, where the two people talk.
    owner = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The officer party's service, whose line management handles stage 2.
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    stage_started_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # 001 §6.1: the complainant is told the outcome.
    outcome = models.TextField(blank=True, help_text="What the complainant is told.")
    shared_with_subject_at = models.DateTimeField(null=True, blank=True)
    shared_with_subject_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by the retention schedule (cases.retention): personal text blanked, people replaced.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    # Not columns: what a concern's page shows, set by cases.concerns.selectors.concern_get_for_user.
    timeline_events: list[TimelineEvent]
    behaviour_list: list[Behaviour]
    evidence: list[Attachment]
    informal_action_list: list[InformalAction]
    sanction_list: list[Sanction]
    referral_list: list[ExternalReferral]

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="concern_by_state"),
            # The dashboards' recount of the concerns raised on given days (reporting).
            models.Index(fields=["raised_at"], name="concern_raised"),
            # Patterns (concern_selectors.patterns): WHERE state = 'informal_action' AND closed_at >= %s.
            models.Index(fields=["state", "closed_at"], name="concern_closed"),
            models.Index(fields=["remind_at", "id"], condition=Q(remind_at__isnull=False), name="concern_remind_due"),
            models.Index(
                fields=["escalate_at", "id"], condition=Q(escalate_at__isnull=False), name="concern_escalate_due"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(complainant_member__isnull=False, subject_officer__isnull=False)
                    & Q(complainant_officer__isnull=True, subject_member__isnull=True)
                    & ~Q(kind="officer_about_member")
                )
                | (
                    Q(complainant_officer__isnull=False, subject_member__isnull=False)
                    & Q(complainant_member__isnull=True, subject_officer__isnull=True)
                    & ~Q(kind="member_about_officer")
                ),
                name="concern_between_a_member_and_an_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("cases:concern", args=[self.reference])

    # --- Derived facts ---------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.state in CONCERN_OPEN_STATES

    @property
    def is_under_review(self) -> bool:
        """At stage 3 or 4, where those who joined the Monitoring Officer take part (000 §VIII)."""
        return self.state in CONCERN_REVIEW_STATES

    @property
    def stage(self) -> int | None:
        """1–4 while open; None once it has left the ladder."""
        return CONCERN_STAGE_NUMBERS.get(self.state)

    @property
    def complainant(self) -> Member | Officer:
        return self.complainant_member or self.complainant_officer

    @property
    def subject(self) -> Member | Officer:
        return self.subject_member or self.subject_officer

    @property
    def member_party(self) -> Member:
        return self.complainant_member or self.subject_member

    @property
    def officer_party(self) -> Officer:
        return self.complainant_officer or self.subject_officer

    @property
    def subject_name(self) -> str:
        return str(self.subject_member) if self.subject_member_id else self.subject_officer.name

    @property
    def complainant_name(self) -> str:
        return str(self.complainant_member) if self.complainant_member_id else self.complainant_officer.name

    def is_overdue(self, *, now: datetime | None = None) -> bool:
        return self.is_open and self.due_at is not None and (now or timezone.now()) > self.due_at

    @property
    def due_on(self) -> date | None:
        return local_date(self.due_at) if self.due_at else None

    # --- Transitions: they set fields only; cases.concerns.services does the rest --

    @transition(
        field=state,
        source=ConcernState.DIRECT,
        target=ConcernState.LINE_MANAGEMENT,
        permission=may_escalate_to_line_management,
    )
    def escalate_to_line_management(self, *, owner: Officer, at: datetime) -> None:
        self.owner = owner
        self.stage_started_at = at

    @transition(
        field=state,
        source=[ConcernState.DIRECT, ConcernState.LINE_MANAGEMENT],
        target=ConcernState.MO_REVIEW,
        permission=may_escalate_to_monitoring_officer,
    )
    def escalate_to_monitoring_officer(self, *, owner: Officer, at: datetime) -> None:
        self.owner = owner
        self.stage_started_at = at

    @transition(
        field=state,
        source=[ConcernState.DIRECT, ConcernState.LINE_MANAGEMENT, ConcernState.MO_REVIEW],
        target=ConcernState.RESOLVED,
        permission=may_resolve,
    )
    def resolve(self, *, outcome: str, at: datetime) -> None:
        self.outcome = outcome
        self.closed_at = at

    @transition(
        field=state,
        source=ConcernState.MO_REVIEW,
        target=ConcernState.INFORMAL_ACTION,
        permission=is_monitoring_officer,
    )
    def take_informal_action(self, *, outcome: str, at: datetime) -> None:
        self.outcome = outcome
        self.closed_at = at

    @transition(
        field=state, source=ConcernState.MO_REVIEW, target=ConcernState.SANCTION, permission=is_monitoring_officer
    )
    def propose_formal_action(self, *, at: datetime) -> None:
        self.stage_started_at = at

    @transition(
        field=state,
        source=ConcernState.SANCTION,
        target=ConcernState.FORMAL_ACTION,
        permission=is_monitoring_officer,
    )
    def record_sanctions(self, *, outcome: str, at: datetime) -> None:
        self.outcome = outcome
        self.closed_at = at

    @transition(field=state, source=CONCERN_OPEN_STATES, target=ConcernState.REFERRED, permission=may_refer)
    def refer(self, *, outcome: str, at: datetime) -> None:
        self.outcome = outcome
        self.closed_at = at

    @transition(field=state, source=CONCERN_OPEN_STATES, target=ConcernState.WITHDRAWN, permission=is_complainant)
    def withdraw(self, *, at: datetime) -> None:
        self.closed_at = at


class ConcernUserObjectPermission(UserObjectPermissionBase):
    """Need-to-know grants beyond the complainant, the handler and the Monitoring Officer:
    the Whip, Chair of Standards, Director of People Services and line manager from stage 3,
    and the subject when the Monitoring Officer shares the record (DESIGN §4)."""

    content_object = models.ForeignKey(Concern, on_delete=models.CASCADE)


class ConcernGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Concern, on_delete=models.CASCADE)


class InformalAction(models.Model):
    """000 §VIII: words of advice from a manager, a Whip or the Monitoring Officer, or training."""

    class Kind(models.TextChoices):
        ADVICE = "advice", "Words of advice"
        TRAINING = "training", "Further training, learning and development"

    class GivenBy(models.TextChoices):
        MANAGER = "manager", "The line manager"
        WHIP = "whip", "The Whip"
        MONITORING_OFFICER = "monitoring_officer", "The Monitoring Officer"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="informal_actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    given_by = models.CharField(max_length=30, choices=GivenBy.choices, blank=True)
    details = models.TextField()
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.concern.reference}"


class Sanction(models.Model):
    """A formal sanction (000 §VIII; DESIGN §4 stage 4), on the Monitoring Officer's register."""

    class Kind(models.TextChoices):
        GROUP_DISCIPLINARY = "group_disciplinary", "Disciplinary action within the political group"
        COMMITTEE_REMOVAL = "committee_removal", "Removal from committees"
        CONTACT_PROHIBITION = "contact_prohibition", "Prohibition on contact with officers"
        OFFICER_DISCIPLINARY = "officer_disciplinary", "Formal disciplinary action (employment procedures)"

    MEMBER_KINDS = (Kind.GROUP_DISCIPLINARY, Kind.COMMITTEE_REMOVAL, Kind.CONTACT_PROHIBITION)

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="sanctions")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="sanctions")
    details = models.TextField(blank=True)
    committees = models.ManyToManyField(Committee, blank=True, related_name="+")
    prohibition = models.OneToOneField(
        ContactProhibition, on_delete=models.PROTECT, null=True, blank=True, related_name="sanction"
    )
    # A reference to the HR case, never the HR file itself.
    disciplinary_reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, officer__isnull=True) | Q(member__isnull=True, officer__isnull=False),
                name="sanction_on_one_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member or self.officer}"


class ExternalReferral(models.Model):
    """A concern referred outside the protocol at any stage (DESIGN §4)."""

    class Kind(models.TextChoices):
        SAFEGUARDING = "safeguarding", "Safeguarding"
        POLICE = "police", "Police"
        STANDARDS_COMPLAINT = "standards_complaint", "Formal standards complaint (Localism Act 2011 arrangements)"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    details = models.TextField()
    # The Localism Act 2011 s.28(7): the Independent Person's views are sought on a standards complaint.
    independent_person = models.CharField(max_length=150, blank=True)
    referred_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["referred_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} referral of {self.concern.reference}"
