"""Members' enquiries (DESIGN §3; 001 §7–§9).

An enquiry is filed by a councillor, owned by one officer at a time, and
moves through a django-fsm-2 state machine. Transitions only set fields; the
services in ``cases.enquiries.services`` call them, save, write the timeline and queue
notifications after commit.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cases.shared.selectors import officer_of
from escalation.calendar import council_calendar, local_date
from escalation.deadlines import Deadline
from people.models import Member, Officer, Service, Ward
from people.roles import SENIOR_MANAGEMENT_ROLES, Role
from people.selectors import acts_as_cover, user_roles
from people.selectors import runs_the_portal as user_runs_the_portal


class Purpose(models.TextChoices):
    COMMITTEE = "committee", "Committee business"
    DECISION = "decision", "A decision I have to make"
    CASEWORK = "casework", "Ward casework"
    INFORMATION = "information", "General information"


class EnquiryState(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting answer"
    HOLDING_REPLY = "holding_reply", "Holding reply sent"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"
    DISPUTED = "disputed", "Disputed"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# States in which someone owes the member a response by a deadline.
AWAITING_RESPONSE = [EnquiryState.SUBMITTED, EnquiryState.HOLDING_REPLY]


# States in which the enquiry is still live (a deadline or a decision pending).
OPEN_STATES = [*AWAITING_RESPONSE, EnquiryState.DISPUTED]

# 001 §7: the order of an enquiry's life, for the lists' sort by status (enquiry_by_state_order).
STATE_ORDER = Case(
    *(When(state=state, then=Value(number)) for number, state in enumerate(EnquiryState.values)),
    output_field=IntegerField(),
)


# Everything but closed and withdrawn: what a member who leaves office hands on or has closed.
NOT_CLOSED_STATES = [*OPEN_STATES, EnquiryState.ANSWERED, EnquiryState.DECLINED]


class Marking(models.TextChoices):
    """001 §7.3: officers say whether what they disclose is confidential."""

    CONFIDENTIAL = "confidential", "Confidential"
    PUBLIC = "public", "May be shared with the public"


def is_owner(enquiry: Enquiry, user) -> bool:
    """The owner, or the colleague covering for them while they are away (``covers_owner``)."""
    officer = officer_of(user)
    return officer is not None and (officer.pk == enquiry.owner_id or covers_owner(enquiry, officer))


def covers_owner(enquiry: Enquiry, officer: Officer) -> bool:
    """Issue 15 C11: ``officer`` covers for the owner today, on an open enquiry from a member who
    may contact them (DESIGN §5), and so acts for the owner on it. One query, remembered on
    this enquiry object for its owner (a page asks for each button)."""
    if enquiry.state not in OPEN_STATES:
        return False
    key = (officer.pk, enquiry.owner_id, timezone.localdate())
    known = enquiry.__dict__.setdefault("_covers_owner", {})
    if key not in known:
        known[key] = acts_as_cover(colleague=officer, officer_id=enquiry.owner_id, member_id=enquiry.member_id)
    return known[key]


def is_filing_member(enquiry: Enquiry, user) -> bool:
    return user.is_authenticated and enquiry.member.user_id == user.pk


def is_chief_executive(enquiry: Enquiry, user) -> bool:
    return Role.CHIEF_EXECUTIVE in user_roles(user)


def runs_the_portal(enquiry: Enquiry | None, user) -> bool:
    """Democratic Services (DESIGN §1), or an administrator, who keeps the people up to date."""
    return user_runs_the_portal(user)


def may_decline(enquiry: Enquiry, user) -> bool:
    """001 §7.1: a Head of Service or above, over this enquiry, may decline it; 001 §7.4: never
    after the Chief Executive has directed it be answered, whose ruling is final (a decline
    upheld closes the enquiry, from which nothing declines)."""
    officer = officer_of(user)
    if officer is None or not (user_roles(user) & SENIOR_MANAGEMENT_ROLES):
        return False
    if not (officer.pk == enquiry.owner_id or enquiry.is_managed_by(officer)):
        return False
    return not enquiry.answer_directed()


class Enquiry(ConcurrentTransitionMixin, Deadline):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    # Found by member through enquiry_by_member, and by service through enquiry_by_service (below):
    # no single-column indexes to keep up beside them.
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="enquiries", db_index=False)
    subject = models.CharField(max_length=200)
    details = models.TextField()
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="enquiries", db_index=False)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="enquiries")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # 001 §8.1 (a)–(c): implicit consent to share a constituent's data holds only when all are yes.
    constituent_lives_in_ward = models.BooleanField(null=True)
    acting_for_constituent = models.BooleanField(null=True)
    information_needed_for_complaint = models.BooleanField(null=True)
    explicit_consent_needed = models.BooleanField(default=False)

    # The key of the form that created it (cases.shared.forms.SubmittedOnceForm): the same form sent
    # twice, as by a double click, creates one enquiry.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    state = FSMField(max_length=20, choices=EnquiryState.choices, default=EnquiryState.SUBMITTED, protected=True)
    # Found by owner only while open, through the partial index below: no index over every row.
    owner = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="owned_enquiries", db_index=False)
    received_at = models.DateTimeField(default=timezone.now)
    # When the current five-working-day clock started: receipt, a reopening or a direction.
    clock_started_at = models.DateTimeField(default=timezone.now)
    # Deadline gives due_at (the end of the working day a response is due, 001 §7.1, or the
    # holding reply's target), remind_at, escalate_at and rung.
    # What "answered within five working days" is measured against (001 §7.1; the
    # dashboards): the end of the fifth working day after receipt, kept in step when the
    # council's closure days change. Unlike due_at, a holding reply or a reopening leaves it.
    first_due_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True, help_text="First answer or holding reply.")
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set by the retention schedule (cases.retention): personal text blanked, people replaced.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Incremented by every change, so a form sent from an out-of-date page is refused.
    version = models.PositiveIntegerField(default=1)

    # Not columns: set on the enquiries of a list page by cases.enquiries.selectors.with_deadline_flags.
    overdue: bool
    due_soon: bool
    climbs_on: date | None
    at_top: bool

    class Meta:
        verbose_name_plural = "enquiries"
        ordering = ["-received_at"]
        indexes = [
            # The dashboards' recount of the enquiries received on given days (reporting).
            models.Index(fields=["received_at"], name="enquiry_received"),
            # List pages a page at a time (docs/performance.md): each reads its 50 rows in order
            # from an index, whatever the number of enquiries.
            #   My enquiries: WHERE member_id = %s ORDER BY received_at DESC, id DESC LIMIT 50 OFFSET …
            # …and searched (issue 15 C10): the subject and ward ride in the index, so a search of a
            # busy councillor's 20,000 enquiries reads the index alone (docs/performance.md).
            models.Index(fields=["member", "received_at", "id"], include=["subject", "ward"], name="enquiry_by_member"),
            #   A Head of Service's queue: WHERE service_id = %s ORDER BY due_at, id LIMIT 50 OFFSET …
            models.Index(fields=["service", "due_at", "id"], name="enquiry_by_service"),
            #   The queue of several services, or all of them: … ORDER BY due_at, id LIMIT 50 OFFSET …
            models.Index(fields=["due_at", "id"], name="enquiry_by_due"),
            #   …and its open or overdue ones: WHERE state IN (…) AND due_at < %s ORDER BY due_at, id …
            models.Index(fields=["due_at", "id"], condition=Q(state__in=OPEN_STATES), name="enquiry_open_by_due"),
            models.Index(STATE_ORDER, F("due_at"), F("id"), name="enquiry_by_state_order"),  # sorted by status
            # "My work" and the service queues: open enquiries of an owner or service by due date.
            models.Index(fields=["owner", "due_at"], condition=Q(state__in=OPEN_STATES), name="enquiry_open_by_owner"),
            models.Index(
                fields=["service", "due_at"], condition=Q(state__in=OPEN_STATES), name="enquiry_open_by_service"
            ),
            # The deadline sweep's claims (escalation.sweep):
            #   SELECT … FROM cases_enquiry WHERE state IN (…) AND remind_at <= %s
            #   ORDER BY remind_at, id LIMIT %s FOR UPDATE SKIP LOCKED
            models.Index(fields=["remind_at", "id"], condition=Q(remind_at__isnull=False), name="enquiry_remind_due"),
            #   SELECT … FROM cases_enquiry WHERE state IN (…) AND escalate_at <= %s
            #   ORDER BY escalate_at, id LIMIT %s FOR UPDATE SKIP LOCKED
            models.Index(
                fields=["escalate_at", "id"], condition=Q(escalate_at__isnull=False), name="enquiry_escalate_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("cases:enquiry", args=[self.reference])

    # --- Derived facts ---------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, *, now: datetime | None = None) -> bool:
        return self.state in AWAITING_RESPONSE and self.due_at is not None and (now or timezone.now()) > self.due_at

    @property
    def due_on(self) -> date | None:
        return local_date(self.due_at) if self.due_at else None

    def may_release_personal_data(self) -> bool:
        """001 §8.2: without implicit consent, personal data waits for recorded consent."""
        return not self.explicit_consent_needed or self.consent_records.exists()

    def is_managed_by(self, officer: Officer) -> bool:
        """Whether ``officer`` manages this enquiry's service or its owner."""
        service = self.service
        if officer.pk in (service.head_of_service_id, service.assistant_director_id, service.directorate.director_id):
            return True
        return officer in self.owner.management_chain()

    def may_reassign(self, user) -> bool:
        """The owner (or the colleague covering for them), or a manager of the service or of
        the owner, may hand the enquiry on."""
        officer = officer_of(user)
        if officer is None:
            return False
        return (
            officer.pk == self.owner_id
            or is_chief_executive(self, user)
            or self.is_managed_by(officer)
            or covers_owner(self, officer)
        )

    def pending_extension(self) -> HoldingReply | None:
        """The holding reply waiting for the councillor's agreement or a manager's approval,
        while a response is still owed (read from the prefetched holding replies)."""
        if self.state not in AWAITING_RESPONSE:
            return None
        waiting = [reply for reply in self.holding_replies.all() if reply.status == HoldingReply.Status.AWAITING]
        return waiting[-1] if waiting else None

    def may_decide_extension(self, user) -> bool:
        """The filing councillor agrees or not; a manager of the service (or the Chief
        Executive) approves or not, but never their own holding reply."""
        if self.pending_extension() is None:
            return False
        if is_filing_member(self, user):
            return True
        officer = officer_of(user)
        if officer is None or officer.pk == self.owner_id:
            return False
        # Nor the colleague covering for the owner, who asked for it in their place (issue 15 C11).
        return (is_chief_executive(self, user) or self.is_managed_by(officer)) and not covers_owner(self, officer)

    def answer_directed(self) -> bool:
        """001 §7.4: the Chief Executive ruled on a dispute that it be answered."""
        return self.disputes.filter(decision=Dispute.Decision.DIRECTED).exists()

    def reopen_window_open(self, *, now: datetime | None = None) -> bool:
        """A member may reopen within five working days of the answer."""
        if self.answered_at is None:
            return False
        days = settings.ENQUIRY_REOPEN_WORKING_DAYS
        last_day = council_calendar().add_working_days(local_date(self.answered_at), days)
        return local_date(now or timezone.now()) <= last_day

    # --- Transitions: they set fields only; cases.enquiries.services does the rest --------

    @transition(field=state, source=AWAITING_RESPONSE, target=EnquiryState.HOLDING_REPLY, permission=is_owner)
    def hold(self, *, due_at: datetime, at: datetime) -> None:
        self.due_at = due_at
        self.responded_at = self.responded_at or at

    @transition(field=state, source=AWAITING_RESPONSE, target=EnquiryState.ANSWERED, permission=is_owner)
    def answer(self, *, at: datetime) -> None:
        self.answered_at = at
        self.responded_at = self.responded_at or at

    @transition(field=state, source=AWAITING_RESPONSE, target=EnquiryState.DECLINED, permission=may_decline)
    def decline(self, *, at: datetime) -> None:
        self.responded_at = self.responded_at or at

    @transition(field=state, source=EnquiryState.DECLINED, target=EnquiryState.DISPUTED, permission=is_filing_member)
    def dispute(self, *, at: datetime, due_at: datetime) -> None:
        # 001 §7.4: the Chief Executive resolves disputes, on a five-working-day clock of their own.
        self.clock_started_at = at
        self.due_at = due_at

    @transition(field=state, source=EnquiryState.DISPUTED, target=EnquiryState.CLOSED, permission=is_chief_executive)
    def uphold_decline(self, *, at: datetime) -> None:
        self.closed_at = at

    @transition(field=state, source=EnquiryState.DISPUTED, target=EnquiryState.SUBMITTED, permission=is_chief_executive)
    def direct_answer(self, *, owner: Officer, at: datetime, due_at: datetime) -> None:
        self.owner = owner
        self.clock_started_at = at
        self.due_at = due_at

    @transition(
        field=state,
        source=[*AWAITING_RESPONSE, EnquiryState.DECLINED, EnquiryState.DISPUTED],
        target=EnquiryState.WITHDRAWN,
        permission=is_filing_member,
    )
    def withdraw(self, *, at: datetime) -> None:
        self.closed_at = at

    @transition(
        field=state,
        source=EnquiryState.ANSWERED,
        target=EnquiryState.SUBMITTED,
        # The five-working-day window is checked by the service against its own clock.
        permission=is_filing_member,
    )
    def reopen(self, *, at: datetime, due_at: datetime) -> None:
        self.clock_started_at = at
        self.due_at = due_at
        self.answered_at = None

    @transition(field=state, source=EnquiryState.ANSWERED, target=EnquiryState.CLOSED, permission=is_filing_member)
    def close(self, *, at: datetime) -> None:
        self.closed_at = at

    @transition(field=state, source=NOT_CLOSED_STATES, target=EnquiryState.CLOSED, permission=runs_the_portal)
    def close_as_member_left(self, *, at: datetime) -> None:
        """003: the member who filed it left office and no one took it on (cases.leavers)."""
        self.closed_at = at


class EnquiryEscalation(models.Model):
    """One climb of the ladder (001 §7.1): recorded once per enquiry and rung."""

    # The unique (enquiry, rung) index serves lookups by enquiry: no second index to keep up.
    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="escalations", db_index=False)
    rung = models.PositiveSmallIntegerField()
    from_owner = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Indexed: an officer an enquiry climbed to may see it from then on (cases.enquiries.selectors).
    to_owner = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="escalations_received")
    # The holder of the rung reached, when ``to_owner`` was covering for them while they were away
    # (issue 15 C11): the next climb goes on from that rung, whether or not the cover lasts.
    covering_for = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    due_at = models.DateTimeField(help_text="The deadline that was missed.")
    scheduled_at = models.DateTimeField(help_text="When the climb fell due (the sweep may run later).")
    escalated_at = models.DateTimeField()
    after_holding_reply = models.BooleanField(
        default=False, help_text="The deadline missed was a holding reply's target, not the first."
    )
    # The outbox for telling the member and the new owner (cases.enquiries.deadlines.escalations_notify).
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["enquiry", "rung"]
        indexes = [
            # escalations_notify: SELECT … WHERE notified_at IS NULL ORDER BY escalated_at, id FOR UPDATE SKIP LOCKED
            models.Index(
                fields=["escalated_at", "id"], condition=Q(notified_at__isnull=True), name="escalation_untold"
            ),
        ]
        constraints = [
            # A rung is climbed once, however many sweeps run or rerun.
            models.UniqueConstraint(fields=["enquiry", "rung"], name="one_escalation_per_enquiry_and_rung"),
        ]

    def __str__(self) -> str:
        return f"{self.enquiry_id} rung {self.rung}"


class EnquiryUserObjectPermission(UserObjectPermissionBase):
    """Who may see an enquiry: guardian rows on a direct foreign key (fast to filter)."""

    content_object = models.ForeignKey(Enquiry, on_delete=models.CASCADE)


class EnquiryGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Enquiry, on_delete=models.CASCADE)


class HoldingReply(models.Model):
    """001 §7.1: a reason and a new target date when a full answer cannot be given in time.

    Within HOLDING_REPLY_MAX_WORKING_DAYS of the deadline it extends, the first holding reply
    takes effect on the owner's word. A later target, or a second holding reply, is an
    extension that needs agreement (001 §7.4, "unreasonable delays"): the owner records the
    councillor's agreement given by phone or e-mail, or asks for it, and then the councillor
    agrees in the portal or a manager of the service approves; until then the deadline stands."""

    class Status(models.TextChoices):
        WITHIN_LIMITS = "within_limits", "Within the limits"
        AWAITING = "awaiting", "Waiting for the councillor's agreement or a manager's approval"
        AGREEMENT_RECORDED = "agreement_recorded", "The councillor's agreement recorded by the owner"
        AGREED = "agreed", "Agreed by the councillor"
        APPROVED = "approved", "Approved by a manager of the service"
        REFUSED = "refused", "Not agreed"

    # The extensions that took effect with someone's agreement (the figures count them).
    AGREED_STATUSES = (Status.AGREEMENT_RECORDED, Status.AGREED, Status.APPROVED)

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="holding_replies")
    author = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    target_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WITHIN_LIMITS)
    # The deadline this holding reply extends: the five working days' (or a direction's) end.
    original_due_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # How the councillor agreed (recorded by the owner), or what the decider said.
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["sent_at"]
        verbose_name_plural = "holding replies"

    def __str__(self) -> str:
        return f"Holding reply on {self.enquiry.reference}, target {self.target_on:%d %B %Y}"


class Answer(models.Model):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="answers")
    author = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    marking = models.CharField(max_length=20, choices=Marking.choices)
    contains_personal_data = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at"]

    def __str__(self) -> str:
        return f"Answer to {self.enquiry.reference} ({self.get_marking_display()})"


class Decline(models.Model):
    """001 §7.1: an enquiry declined as inappropriate, with reasons the member sees."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="declines")
    declined_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField()
    declined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["declined_at"]

    def __str__(self) -> str:
        return f"Decline of {self.enquiry.reference}"


class Dispute(models.Model):
    """001 §7.4: the member disputes a decline; the Chief Executive decides."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", "Decline upheld"
        DIRECTED = "directed", "Answer directed"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="disputes")
    reasons = models.TextField()
    raised_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at"]

    def __str__(self) -> str:
        return f"Dispute of {self.enquiry.reference}"


class ConsentRecord(models.Model):
    """001 §8.2: the constituent's explicit consent to share their personal data with the member."""

    class Method(models.TextChoices):
        WRITING = "writing", "In writing or by e-mail"
        PHONE = "phone", "By telephone"
        IN_PERSON = "in_person", "In person"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="consent_records")
    given_by = models.CharField("who gave consent", max_length=150)
    given_on = models.DateField("when consent was given")
    method = models.CharField("how consent was given", max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"Consent from {self.given_by} on {self.given_on:%d %B %Y}"
