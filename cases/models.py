"""Members' enquiries (DESIGN §3; 001 §7–§9).

An enquiry is filed by a councillor, owned by one officer at a time, and
moves through a django-fsm-2 state machine. Transitions only set fields; the
services in ``cases.services`` call them, save, write the timeline and queue
notifications after commit.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from escalation.calendar import council_calendar, local_date
from escalation.deadlines import Deadline
from people.models import Committee, ContactProhibition, Member, Officer, PoliticalGroup, Service, Ward
from people.roles import SENIOR_MANAGEMENT_ROLES, Role
from people.selectors import runs_the_portal as user_runs_the_portal
from people.selectors import user_roles


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
# Everything but closed and withdrawn: what a member who leaves office hands on or has closed.
NOT_CLOSED_STATES = [*OPEN_STATES, EnquiryState.ANSWERED, EnquiryState.DECLINED]


class Marking(models.TextChoices):
    """001 §7.3: officers say whether what they disclose is confidential."""

    CONFIDENTIAL = "confidential", "Confidential"
    PUBLIC = "public", "May be shared with the public"


# --- Who may fire each transition (permission= callables) -----------------------


def _officer(user) -> Officer | None:
    return getattr(user, "officer", None) if user.is_authenticated else None


def is_owner(enquiry: Enquiry, user) -> bool:
    officer = _officer(user)
    return officer is not None and officer.pk == enquiry.owner_id


def is_filing_member(enquiry: Enquiry, user) -> bool:
    return user.is_authenticated and enquiry.member.user_id == user.pk


def is_chief_executive(enquiry: Enquiry, user) -> bool:
    return Role.CHIEF_EXECUTIVE in user_roles(user)


def runs_the_portal(enquiry: Enquiry | None, user) -> bool:
    """Democratic Services (DESIGN §1), or an administrator, who keeps the people up to date."""
    return user_runs_the_portal(user)


def may_decline(enquiry: Enquiry, user) -> bool:
    """001 §7.1: a Head of Service or above, over this enquiry, may decline it."""
    officer = _officer(user)
    if officer is None or not (user_roles(user) & SENIOR_MANAGEMENT_ROLES):
        return False
    return officer.pk == enquiry.owner_id or enquiry.is_managed_by(officer)


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

    # The key of the form that created it (cases.forms.SubmittedOnceForm): the same form sent
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

    class Meta:
        verbose_name_plural = "enquiries"
        ordering = ["-received_at"]
        indexes = [
            # The dashboards' recount of the enquiries received on given days (reporting).
            models.Index(fields=["received_at"], name="enquiry_received"),
            # List pages a page at a time (docs/performance.md): each reads its 50 rows in order
            # from an index, whatever the number of enquiries.
            #   My enquiries: WHERE member_id = %s ORDER BY received_at DESC, id DESC LIMIT 50 OFFSET …
            models.Index(fields=["member", "received_at", "id"], name="enquiry_by_member"),
            #   A Head of Service's queue: WHERE service_id = %s ORDER BY due_at, id LIMIT 50 OFFSET …
            models.Index(fields=["service", "due_at", "id"], name="enquiry_by_service"),
            #   The queue of several services, or all of them: … ORDER BY due_at, id LIMIT 50 OFFSET …
            models.Index(fields=["due_at", "id"], name="enquiry_by_due"),
            #   …and its open or overdue ones: WHERE state IN (…) AND due_at < %s ORDER BY due_at, id …
            models.Index(fields=["due_at", "id"], condition=Q(state__in=OPEN_STATES), name="enquiry_open_by_due"),
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
        """The owner, or a manager of the service or of the owner, may hand the enquiry on."""
        officer = _officer(user)
        if officer is None:
            return False
        return officer.pk == self.owner_id or is_chief_executive(self, user) or self.is_managed_by(officer)

    def reopen_window_open(self, *, now: datetime | None = None) -> bool:
        """A member may reopen within five working days of the answer."""
        if self.answered_at is None:
            return False
        days = settings.ENQUIRY_REOPEN_WORKING_DAYS
        last_day = council_calendar().add_working_days(local_date(self.answered_at), days)
        return local_date(now or timezone.now()) <= last_day

    # --- Transitions: they set fields only; cases.services does the rest --------

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
    # Indexed: an officer an enquiry climbed to may see it from then on (cases.selectors).
    to_owner = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="escalations_received")
    due_at = models.DateTimeField(help_text="The deadline that was missed.")
    scheduled_at = models.DateTimeField(help_text="When the climb fell due (the sweep may run later).")
    escalated_at = models.DateTimeField()
    after_holding_reply = models.BooleanField(
        default=False, help_text="The deadline missed was a holding reply's target, not the first."
    )
    # The outbox for telling the member and the new owner (cases.deadlines.escalations_notify).
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


class ReferenceSequence(models.Model):
    """The last number given in a year, so references read ENQ-2026-00042."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_sequence_per_prefix_and_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class HoldingReply(models.Model):
    """001 §7.1: a reason and a new target date when a full answer cannot be given in time."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="holding_replies")
    author = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    target_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

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


class Attachment(models.Model):
    """A file on an enquiry (or its answer) or, as evidence, on a concern."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    concern = models.ForeignKey("Concern", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    file = models.FileField(upload_to="enquiries/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enquiry__isnull=False, concern__isnull=True)
                | Q(enquiry__isnull=True, concern__isnull=False),
                name="attachment_on_one_case",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TimelineEvent(models.Model):
    """One append-only line in an enquiry's or a concern's history: who, when, what, why.

    Nothing edits or deletes an event: ``save`` refuses an update and ``delete``
    refuses outright, the admin is read-only, and enquiries are never deleted
    (PROTECT). The one exception is the retention schedule, which anonymises the events
    of a case past its period (cases.retention; the trigger lets it alone through).
    """

    class Kind(models.TextChoices):
        FILED = "filed", "Filed"
        REASSIGNED = "reassigned", "Reassigned"
        HOLDING_REPLY = "holding_reply", "Holding reply sent"
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Declined"
        DISPUTED = "disputed", "Disputed"
        DECLINE_UPHELD = "decline_upheld", "Decline upheld"
        ANSWER_DIRECTED = "answer_directed", "Answer directed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REOPENED = "reopened", "Reopened"
        CLOSED = "closed", "Closed"
        CONSENT_RECORDED = "consent_recorded", "Consent recorded"
        REMINDED = "reminded", "Reminder sent"
        ESCALATED = "escalated", "Escalated"
        DUE_DATE_CHANGED = "due_date_changed", "Due date recalculated"
        NOTIFIED = "notified", "Notification sent"
        # Concerns (DESIGN §4)
        RAISED = "raised", "Concern raised"
        STAGE_CHANGED = "stage_changed", "Moved to the next stage"
        RESOLVED = "resolved", "Resolved"
        INFORMAL_ACTION = "informal_action", "Informal action taken"
        FORMAL_ACTION_PROPOSED = "formal_action_proposed", "Formal action proposed"
        SANCTION_RECORDED = "sanction_recorded", "Sanction recorded"
        REFERRED = "referred", "Referred outside the council"
        SHARED = "shared", "Shared with the subject"
        NOTE = "note", "Note"
        PROHIBITION_LIFTED = "prohibition_lifted", "Contact prohibition ended early"
        # The filing member left office (003; cases.leavers).
        HANDED_OVER = "handed_over", "Handed to another councillor"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="timeline")
    concern = models.ForeignKey("Concern", on_delete=models.PROTECT, null=True, blank=True, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    # Events are read by enquiry only: the other keys carry no index to keep up.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    from_owner = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    to_owner = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    note = models.TextField(blank=True, help_text="What happened and why, in words the member can read.")
    # Events only officers see, such as a notification sent to an officer.
    internal = models.BooleanField(default=False)
    # Set by the retention schedule (cases.retention), the one change an event may undergo.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enquiry__isnull=False, concern__isnull=True)
                | Q(enquiry__isnull=True, concern__isnull=False),
                name="timeline_event_on_one_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enquiry_id or self.concern_id} {self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Timeline events are append-only: an event cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Timeline events are append-only: an event cannot be deleted.")


class Notification(models.Model):
    """An in-app notification, and the e-mail outbox: ``emailed_at`` is set when the e-mail
    is handed to the mail server (or found to have no address to go to)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    concern = models.ForeignKey("Concern", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    positive_example = models.ForeignKey(
        "PositiveExample", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    briefing = models.ForeignKey("Briefing", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    ward_notice = models.ForeignKey("WardNotice", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    template = models.CharField(max_length=50)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The header's unread count: SELECT count(*) … WHERE recipient_id = %s AND read_at IS NULL.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            # The outbox sweep: … WHERE emailed_at IS NULL ORDER BY created_at.
            models.Index(fields=["created_at"], condition=Q(emailed_at__isnull=True), name="notification_unsent"),
        ]

    def __str__(self) -> str:
        return self.subject


# ==================================================================================
# Concerns and the escalation ladder (DESIGN §4; 000 §VII–§VIII, 001 §6, 002)
# ==================================================================================


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


def _roles(user) -> set[Role]:
    return user_roles(user) if user.is_authenticated else set()


def is_monitoring_officer(concern: Concern | None, user) -> bool:
    """The Monitoring Officer or a deputy (000 §VIII), but not on a concern they are a party
    to: a deputy handles that one (escalation.routing.concern_reviewer)."""
    if Role.MONITORING_OFFICER not in _roles(user):
        return False
    return not (isinstance(concern, Concern) and is_party(concern, user))


def is_party(concern: Concern, user) -> bool:
    """The complainant, or the officer the concern is about."""
    officer = _officer(user)
    return user.pk == concern.complainant_user_id or (officer is not None and officer.pk == concern.subject_officer_id)


def is_complainant(concern: Concern, user) -> bool:
    return user.is_authenticated and user.pk == concern.complainant_user_id


def is_handler(concern: Concern, user) -> bool:
    officer = _officer(user)
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

    # The key of the form that created it (cases.forms.SubmittedOnceForm): the same form sent
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

    # --- Transitions: they set fields only; cases.concern_services does the rest --

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


class PositiveExampleState(models.TextChoices):
    WITH_ASSISTANT_DIRECTOR = "with_assistant_director", "With the Assistant Director"
    WITH_MONITORING_OFFICER = "with_monitoring_officer", "With the Monitoring Officer"
    RECORDED = "recorded", "Recorded for the protocol's reports"


class PositiveExample(models.Model):
    """000 §VI: member-officer working that went well, highlighted through the relevant
    Assistant Director to the Monitoring Officer, and counted in the reports."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    what_happened = models.TextField()
    happened_on = models.DateField()
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(Member, blank=True, related_name="+")
    officers = models.ManyToManyField(Officer, blank=True, related_name="+")
    # The key of the form that created it (cases.forms.SubmittedOnceForm): the same form sent
    # twice, as by a double click, creates one example.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    state = FSMField(
        max_length=30,
        choices=PositiveExampleState.choices,
        default=PositiveExampleState.WITH_ASSISTANT_DIRECTOR,
        protected=True,
    )
    assistant_director = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    assistant_director_comment = models.TextField(blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    monitoring_officer_comment = models.TextField(blank=True)
    # Approved by the Monitoring Officer for the annual report (DESIGN §7).
    publishable = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # Set by the retention schedule (cases.retention): personal text blanked, people replaced.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:positive_example", args=[self.reference])

    @transition(
        field=state,
        source=PositiveExampleState.WITH_ASSISTANT_DIRECTOR,
        target=PositiveExampleState.WITH_MONITORING_OFFICER,
        permission=lambda example, user: (
            _officer(user) is not None and _officer(user).pk == example.assistant_director_id
        ),
    )
    def forward(self, *, comment: str, at: datetime) -> None:
        self.assistant_director_comment = comment
        self.forwarded_at = at

    @transition(
        field=state,
        source=PositiveExampleState.WITH_MONITORING_OFFICER,
        target=PositiveExampleState.RECORDED,
        permission=is_monitoring_officer,
    )
    def acknowledge(self, *, comment: str, publishable: bool, at: datetime) -> None:
        self.monitoring_officer_comment = comment
        self.publishable = publishable
        self.acknowledged_at = at


# ==================================================================================
# Briefings and the equal treatment of political groups (DESIGN §6; 001 §9.2, §9.5, 002)
# ==================================================================================


class BriefingKind(models.TextChoices):
    # 001 §9.5.1: a private briefing for a party group on a matter of relevance to the Council.
    GROUP_BRIEFING = "group_briefing", "A private briefing for the group"
    # 002 "Support to Political Groups": an officer attends a group meeting, with the Chief
    # Executive's approval, to explain the background of professional advice.
    GROUP_MEETING = "group_meeting", "An officer attending a group meeting"


class Briefing(models.Model):
    """A briefing an officer offered to a political group. 001 §9.5.2: "Any briefings offered
    to a party group will be offered to the other party groups": the portal makes the same
    offer (a BriefingOffer) to every group that exists on the briefing's date, at once.

    Its content stays confidential between the officers and each group (001 §9.2.3, 002):
    the portal records the subject and the offers, not what was said."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    # The key of the form that recorded it (cases.forms.SubmittedOnceForm): a double click records one briefing.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    subject = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=BriefingKind.choices, default=BriefingKind.GROUP_BRIEFING)
    given_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    takes_place_on = models.DateField()
    # 001 §9.2.1–§9.2.2: some briefings are for a group's leadership (Cabinet or Shadow Cabinet
    # members, the Group Leader) rather than the whole group; the others get the same.
    for_leadership = models.BooleanField(default=False)
    # The group the officer first offered it to; every other group gets the same offer.
    first_offered_to = models.ForeignKey(PoliticalGroup, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # Set by the retention schedule (cases.retention) once the subject and the people are gone.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-takes_place_on", "-pk"]
        indexes = [
            # The dashboard's count for a period: … WHERE takes_place_on >= %s AND takes_place_on < %s.
            models.Index(fields=["takes_place_on"], name="briefing_date"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("cases:briefing", args=[self.reference])


class BriefingResponse(models.TextChoices):
    NO_REPLY = "no_reply", "No reply yet"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class BriefingOffer(models.Model):
    """The offer of a briefing to one political group, and the group's response."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="offers")
    group = models.ForeignKey(PoliticalGroup, on_delete=models.PROTECT, related_name="briefing_offers")
    offered_at = models.DateTimeField(default=timezone.now)
    response = models.CharField(max_length=20, choices=BriefingResponse.choices, default=BriefingResponse.NO_REPLY)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["group__name"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "group"], name="one_offer_per_briefing_and_group"),
        ]

    def __str__(self) -> str:
        return f"{self.briefing_id} to {self.group_id}: {self.get_response_display()}"


class BriefingResponseChange(models.Model):
    """A response recorded on an offer (accepted or declined), kept when a later one replaces it:
    the record shows who said what for the group, and when (001 §9.5.2). Never changed."""

    offer = models.ForeignKey(BriefingOffer, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_response = models.CharField(max_length=20, choices=BriefingResponse.choices)
    to_response = models.CharField(max_length=20, choices=BriefingResponse.choices)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.from_response} to {self.to_response} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A recorded response is kept as it was: it cannot be changed.")
        super().save(*args, **kwargs)


# ==================================================================================
# Ward notices (DESIGN §6; 001 §9.4)
# ==================================================================================


class WardNoticeKind(models.TextChoices):
    """What 001 §9.4 says ward members are told about."""

    SIGNIFICANT_INCIDENT = "significant_incident", "A significant incident in the ward"  # §9.4.1
    PUBLIC_CONSULTATION = "public_consultation", "A public consultation"  # §9.4.1 (a), §9.4.5
    SERVICE_CHANGE = "service_change", "A proposed change to a service in the ward"  # §9.4.1 (b)
    APPLICATION = "application", "An application or proposal in the ward"  # §9.4.1 (c)
    PUBLIC_EVENT = "public_event", "An invitation to a public event"  # §9.4.2
    PUBLIC_MEETING = "public_meeting", "A public meeting about a ward issue"  # §9.4.4
    CONTROVERSIAL = "controversial", "A potentially controversial matter"  # §9.4.6


class WardNotice(models.Model):
    """An officer tells every member of one or more wards about something there (001 §9.4),
    whatever their political group. Its recipients, each with the time they were told, are
    the evidence that the protocol was kept. Nothing edits a notice once it is sent."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=WardNoticeKind.choices)
    title = models.CharField(max_length=200)
    # The date the notice is about: for a consultation, the day it starts (001 §9.4.5).
    concerns_on = models.DateField()
    summary = models.TextField()
    wards = models.ManyToManyField(Ward, related_name="notices")
    # "Notices I have sent" reads by sender, newest first, through the index below.
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    sent_at = models.DateTimeField(default=timezone.now)
    # 001 §9.4.5: ward members are consulted at the start of a consultation. Set when the
    # officer confirmed sending a consultation notice after its start date had passed.
    sent_late = models.BooleanField(default=False)
    # One optional file, checked as every attachment is (cases.attachments) and served only
    # to those who may see the notice.
    attachment = models.FileField(upload_to="ward-notices/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    # The key of the form that created it (cases.forms.SubmittedOnceForm): the same form sent
    # twice, as by a double click, sends one notice.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            #   Notices I have sent: WHERE sent_by_id = %s ORDER BY sent_at DESC, id DESC LIMIT 50 OFFSET …
            models.Index(fields=["sent_by", "sent_at", "id"], name="ward_notice_by_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:ward_notice", args=[self.reference])

    @property
    def is_consultation(self) -> bool:
        return self.kind == WardNoticeKind.PUBLIC_CONSULTATION


class WardNoticeRecipient(models.Model):
    """One member told about a notice, and when: a row per member, however many of the
    notice's wards they represent. Their group and wards are kept as they were then, so the
    record still shows that every group was told after a member moves or leaves."""

    notice = models.ForeignKey(WardNotice, on_delete=models.PROTECT, related_name="recipients")
    # "Notices for my wards" finds a member's notices through the index below.
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", db_index=False)
    group_name = models.CharField(max_length=100, blank=True, help_text="Empty for an independent councillor.")
    ward_names = models.CharField(max_length=500, help_text="The notice's wards this member represented.")
    notified_at = models.DateTimeField()
    notification = models.OneToOneField(
        "Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["notice", "pk"]
        indexes = [models.Index(fields=["member", "notice"], name="ward_notice_by_member")]
        constraints = [
            # 001 §9.4: one notification per member, however many of the wards they represent.
            models.UniqueConstraint(fields=["notice", "member"], name="one_recipient_row_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} to {self.member_id}"
