"""The council's organisation: who is who and who manages whom (DESIGN §2).

This app imports no other app of the portal: escalation, cases and reporting
ask it questions (the management chain, a ward's members, a member's whips,
the holders of statutory roles) and it answers from these facts alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from people.photos import validate_photo


class Ward(models.Model):
    name = models.CharField(max_length=100, unique=True)
    code = models.CharField(
        max_length=20, blank=True, help_text="The ward's official code, for example an ONS code such as E05001234."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def current_members(self) -> models.QuerySet[Member]:
        """The councillors who represent this ward now (001 §9.4: every one is told, whatever their group)."""
        return Member.objects.current().filter(wards=self)


class PoliticalGroupQuerySet(models.QuerySet["PoliticalGroup"]):
    def existing_on(self, on) -> PoliticalGroupQuerySet:
        """Groups formed by ``on`` and not dissolved before it (001 §9.5.2: a briefing offered to
        one group is offered to the others that exist then). ``on`` may be an expression
        (an OuterRef to a briefing's date)."""
        return self.filter(
            Q(formed_on__isnull=True) | Q(formed_on__lte=on), Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=on)
        )


class PoliticalGroup(models.Model):
    name = models.CharField(max_length=100, unique=True)
    short_name = models.CharField(max_length=20, blank=True, help_text="For example Lab, Con, LD.")
    leader = models.ForeignKey(
        "Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="groups_led",
        help_text="The Group Leader (002: unresolved complaints go through them).",
    )
    # 000 §VIII: the Whip joins the Monitoring Officer on concerns about their group's members.
    whips = models.ManyToManyField("Member", blank=True, related_name="groups_whipped")
    # When the group existed: a briefing offered to one group is offered to every group that
    # existed on its date (001 §9.5.2), and a group formed later is not counted as left out.
    formed_on = models.DateField(
        null=True, blank=True, help_text="Leave empty if the group existed before the portal's records begin."
    )
    dissolved_on = models.DateField(
        null=True, blank=True, help_text="The group's last day. Leave empty while it exists."
    )

    objects = PoliticalGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.leader_id and self.pk and self.leader.group_id != self.pk:
            raise ValidationError({"leader": "The Group Leader must be a member of this group."})
        if self.formed_on and self.dissolved_on and self.dissolved_on < self.formed_on:
            raise ValidationError({"dissolved_on": "The group cannot be dissolved before it was formed."})

    def existed_on(self, on: date) -> bool:
        return (self.formed_on is None or self.formed_on <= on) and (
            self.dissolved_on is None or self.dissolved_on >= on
        )


class MemberQuerySet(models.QuerySet["Member"]):
    def current(self, *, on: date | None = None) -> MemberQuerySet:
        """Members in office on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(left_office_on__isnull=True) | Q(left_office_on__gte=on))


class Member(models.Model):
    """A councillor. A user is a member or an officer, never both."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member")
    wards = models.ManyToManyField(Ward, blank=True, related_name="members")
    group = models.ForeignKey(
        PoliticalGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        help_text="Leave empty for an independent councillor.",
    )
    # Contact details and profile (003: member profiles).
    phone = models.CharField(max_length=40, blank=True)
    postal_address = models.TextField(blank=True)
    photo = models.ImageField(upload_to="members/photos/", blank=True, validators=[validate_photo])
    skills_and_interests = models.TextField(blank=True)
    other_responsibilities = models.TextField(blank=True)
    elected_on = models.DateField(null=True, blank=True)
    left_office_on = models.DateField(
        null=True, blank=True, help_text="The last day in office. Their access ends after this day."
    )
    # Incremented by every change through the portal's pages (people.services), so an edit sent
    # from an out-of-date page is refused rather than overwriting someone else's.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set by the retention schedule (people.retention) once their account and profile are anonymised.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"Cllr {self.user.get_full_name() or self.user.username}"

    def clean(self) -> None:
        if self.user_id and Officer.objects.filter(user_id=self.user_id).exists():
            raise ValidationError({"user": "This user is an officer. A user is a member or an officer, never both."})

    @property
    def is_independent(self) -> bool:
        """A councillor in no political group (000 §II.A: the Chair of Standards acts for them)."""
        return self.group_id is None

    def whips(self) -> models.QuerySet[Member]:
        """The whip(s) of this member's group; none for an independent."""
        if self.group_id is None:
            return Member.objects.none()
        return Member.objects.current().filter(groups_whipped=self.group_id).select_related("user")

    def is_in_office(self, *, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.left_office_on is None or self.left_office_on >= on

    def offices_held(self) -> list[str]:
        """Every office this member holds now, in words: council offices, committee
        chairs, and group leadership or whipping (DESIGN §2)."""
        offices = [str(held) for held in self.officeheld_set.current()]
        offices += [f"Chair of {committee.name}" for committee in self.committees_chaired.all()]
        offices += [f"Group Leader, {group.name}" for group in self.groups_led.all()]
        offices += [f"Whip, {group.name}" for group in self.groups_whipped.all()]
        return offices


class Office(models.TextChoices):
    LEADER = "leader", "Leader of the Council"
    DEPUTY_LEADER = "deputy_leader", "Deputy Leader of the Council"
    CABINET_MEMBER = "cabinet_member", "Cabinet Member"
    SHADOW_CABINET_MEMBER = "shadow_cabinet_member", "Shadow Cabinet Member"
    LORD_MAYOR = "lord_mayor", "Lord Mayor / Chair of Council"


# Offices that one person holds at a time.
SINGLE_HOLDER_OFFICES = [Office.LEADER, Office.DEPUTY_LEADER, Office.LORD_MAYOR]
OFFICES_WITH_PORTFOLIO = [Office.CABINET_MEMBER, Office.SHADOW_CABINET_MEMBER]


class OfficeHeldQuerySet(models.QuerySet["OfficeHeld"]):
    def current(self) -> OfficeHeldQuerySet:
        return self.filter(ended_on__isnull=True)


class OfficeHeld(models.Model):
    """A council office a member holds. Committee chairs, group leaders and whips
    are not repeated here: they come from Committee and PoliticalGroup."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE)
    office = models.CharField(max_length=30, choices=Office.choices)
    portfolio = models.CharField(max_length=150, blank=True, help_text="For a (shadow) Cabinet Member.")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    objects = OfficeHeldQuerySet.as_manager()

    class Meta:
        verbose_name = "office held"
        verbose_name_plural = "offices held"
        ordering = ["office", "portfolio"]
        constraints = [
            models.UniqueConstraint(
                fields=["office"],
                condition=Q(office__in=SINGLE_HOLDER_OFFICES, ended_on__isnull=True),
                name="one_current_holder_per_single_office",
                violation_error_message="Someone already holds this office: end their term first.",
            ),
            models.CheckConstraint(
                condition=~Q(office__in=OFFICES_WITH_PORTFOLIO) | ~Q(portfolio=""),
                name="cabinet_office_has_portfolio",
                violation_error_message="A (shadow) Cabinet Member needs a portfolio.",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_office_display()
        return f"{label} for {self.portfolio}" if self.portfolio else label


class OutsideAppointment(models.Model):
    """A seat on an outside body the council appoints to (003: member profiles)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="outside_appointments")
    organisation = models.CharField(max_length=200)
    role = models.CharField(max_length=150, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation"]

    def __str__(self) -> str:
        return f"{self.role}, {self.organisation}" if self.role else self.organisation


class Directorate(models.Model):
    name = models.CharField(max_length=150, unique=True)
    director = models.ForeignKey(
        "Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="directorates_led"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    name = models.CharField(max_length=150, unique=True)
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="services")
    assistant_director = models.ForeignKey(
        "Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="services_as_assistant_director"
    )
    head_of_service = models.ForeignKey(
        "Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="services_headed"
    )
    # 003: each service names Councillor Liaison Officers, the members' first point of contact.
    liaison_officers = models.ManyToManyField(
        "Officer", blank=True, related_name="services_as_liaison", verbose_name="Councillor Liaison Officers"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def director(self) -> Officer | None:
        return self.directorate.director


class OfficerQuerySet(models.QuerySet["Officer"]):
    def current(self, *, on: date | None = None) -> OfficerQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gte=on))


class Officer(models.Model):
    """A member of staff. A user is a member or an officer, never both."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="officer")
    job_title = models.CharField(max_length=150)
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officers",
        help_text="Empty for officers above services, such as the Chief Executive.",
    )
    line_manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="direct_reports"
    )
    is_senior = models.BooleanField(
        "senior officer", default=False, help_text="JNC or Band H and above (002: the definition of senior officer)."
    )
    phone = models.CharField(max_length=40, blank=True)
    left_on = models.DateField(null=True, blank=True, help_text="The last working day. Access ends after this day.")
    # Set by the retention schedule (people.retention) once their account is anonymised.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username}, {self.job_title}"

    def clean(self) -> None:
        if self.user_id and Member.objects.filter(user_id=self.user_id).exists():
            raise ValidationError({"user": "This user is a councillor. A user is a member or an officer, never both."})
        if self.pk and self.line_manager_id:
            manager: Officer | None = self.line_manager
            while manager is not None:
                if manager.pk == self.pk:
                    raise ValidationError({"line_manager": "This would make the officer their own line manager."})
                manager = manager.line_manager

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username

    def is_serving(self, *, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.left_on is None or self.left_on >= on

    def management_chain(self) -> list[Officer]:
        """This officer's line managers, nearest first, ending with the Head of Paid
        Service (001 §7.4: the Chief Executive is the top of every chain).

        Where the recorded chain stops short of the Head of Paid Service (a gap in
        the data) they are added at the end, so escalation always has a top rung.
        """
        chain: list[Officer] = []
        seen = {self.pk}
        manager = self.line_manager
        while manager is not None and manager.pk not in seen:
            chain.append(manager)
            seen.add(manager.pk)
            manager = manager.line_manager
        head = StatutoryAppointment.holder(StatutoryRole.HEAD_OF_PAID_SERVICE)
        if head is not None and head.pk not in seen:
            chain.append(head)
        return chain


class StatutoryRole(models.TextChoices):
    HEAD_OF_PAID_SERVICE = "head_of_paid_service", "Head of Paid Service (Chief Executive)"
    MONITORING_OFFICER = "monitoring_officer", "Monitoring Officer"
    CHIEF_FINANCE_OFFICER = "chief_finance_officer", "Chief Finance Officer (s.151)"
    # 000 §VIII: joins the Monitoring Officer on concerns about officers.
    DIRECTOR_OF_PEOPLE_SERVICES = "director_of_people_services", "Director of People Services"


class StatutoryAppointment(models.Model):
    """An officer holding a statutory role, or deputising for its holder."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="statutory_appointments")
    role = models.CharField(max_length=40, choices=StatutoryRole.choices)
    is_deputy = models.BooleanField("deputy", default=False)

    class Meta:
        ordering = ["role", "is_deputy"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(is_deputy=False),
                name="one_holder_per_statutory_role",
                violation_error_message="Someone already holds this statutory role: remove them first.",
            ),
            models.UniqueConstraint(fields=["officer", "role"], name="one_appointment_per_officer_and_role"),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        return f"Deputy {label}" if self.is_deputy else label

    @classmethod
    def holder(cls, role: StatutoryRole) -> Officer | None:
        """The serving officer who holds ``role`` (not a deputy), if any."""
        appointment = (
            cls.objects.filter(role=role, is_deputy=False, officer__in=Officer.objects.current())
            .select_related("officer__user")
            .first()
        )
        return appointment.officer if appointment else None


class Committee(models.Model):
    class Kind(models.TextChoices):
        STANDARDS = "standards", "Standards"
        AUDIT = "audit", "Audit"
        SCRUTINY = "scrutiny", "Scrutiny"
        PLANNING = "planning", "Planning"
        LICENSING = "licensing", "Licensing"
        OTHER = "other", "Other"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    chair = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="committees_chaired"
    )
    members = models.ManyToManyField(Member, blank=True, related_name="committees")
    co_opted_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_opted_committees",
        help_text="People on the committee who are not councillors, such as independent members of Standards.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # The Chair of Standards acts for independent members (000 §II.A): there must be one committee to ask.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="standards"),
                name="one_standards_committee",
                violation_error_message="The council already has a Standards Committee.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactProhibitionQuerySet(models.QuerySet["ContactProhibition"]):
    def active(self, *, on: date | None = None) -> ContactProhibitionQuerySet:
        """Prohibitions in force on ``on``: started, and not yet past their last day. Expiry
        needs no job: a prohibition simply stops matching the day after ``ends_on``."""
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class ContactProhibition(models.Model):
    """A councillor may not contact an officer, a service's officers or any officer (000 §VIII).

    A fact about who may contact whom, so it lives here and routing honours it
    without knowing about cases (DESIGN §5). The sanction that imposed it is in
    ``cases`` and points here.
    """

    class Scope(models.TextChoices):
        OFFICER = "officer", "A named officer"
        SERVICE = "service", "Every officer in a service"
        ALL = "all", "All officers"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="contact_prohibitions")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The last day it applies. Empty: indefinitely.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContactProhibitionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="officer", officer__isnull=False, service__isnull=True)
                    | Q(scope="service", officer__isnull=True, service__isnull=False)
                    | Q(scope="all", officer__isnull=True, service__isnull=True)
                ),
                name="contact_prohibition_names_what_it_covers",
            ),
            models.CheckConstraint(
                # The day before it starts is allowed: a prohibition ended early before it came into
                # force, or on the day it started (cases.concerns.services.prohibition_end_early).
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on") - timedelta(days=1)),
                name="contact_prohibition_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: no contact with {self.covers}, {self.period}"

    @property
    def covers(self) -> str:
        if self.scope == self.Scope.OFFICER:
            return self.officer.name
        if self.scope == self.Scope.SERVICE:
            return f"the officers of {self.service}"
        return "any officer"

    @property
    def period(self) -> str:
        start = f"{self.starts_on:%-d %B %Y}"
        if self.ends_on is not None and self.ends_on < self.starts_on:
            return f"ended before it came into force on {start}"
        return f"from {start} until {self.ends_on:%-d %B %Y}" if self.ends_on else f"from {start}, indefinitely"

    def is_active(self, *, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def forbids(self, *, officer_id: int, service_id: int | None) -> bool:
        """Whether this prohibition covers the officer (whose service is ``service_id``)."""
        if self.scope == self.Scope.ALL:
            return True
        if self.scope == self.Scope.SERVICE:
            return service_id is not None and service_id == self.service_id
        return officer_id == self.officer_id

    def clean(self) -> None:
        if self.scope == self.Scope.OFFICER and self.officer_id is None:
            raise ValidationError({"officer": "Choose the officer the councillor may not contact."})
        if self.scope == self.Scope.SERVICE and self.service_id is None:
            raise ValidationError({"service": "Choose the service whose officers the councillor may not contact."})
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    """The audit log is append-only: a queryset cannot change or remove its rows either."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("The audit log is append-only: its events cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("The audit log is append-only: its events cannot be deleted.")


class AuditEvent(models.Model):
    """Something about signing in, or a refused case, kept for administrators (docs/security.md).

    Append-only three times over: ``save`` refuses an existing row, the queryset refuses
    ``update``/``delete``, and on PostgreSQL a trigger rejects UPDATE and DELETE (migration 0003).
    The one exception: the retention schedule deletes events past their period (people.retention).
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        SIGN_OUT = "sign_out", "Signed out"
        SESSION_EXPIRED = "session_expired", "Session expired"
        TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor sign-in set up"
        TWO_FACTOR_VERIFIED = "two_factor_verified", "Two-factor code accepted"
        TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
        TWO_FACTOR_REMOVED = "two_factor_removed", "Two-factor sign-in turned off"
        CASE_REFUSED = "case_refused", "Case refused (403 or 404)"
        # UK GDPR Art. 15: who produced an export, for whom (the detail) and when (reporting.subject_access).
        SUBJECT_ACCESS_EXPORT = "subject_access_export", "Subject access export produced"

    at = models.DateTimeField("when", default=timezone.now, db_index=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # PROTECT: someone with a history is made inactive, never deleted, so the history stays.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    username = models.CharField("username given", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # An administrator's "what has this person done" in the admin (list filter on user).
            models.Index(fields=["user", "-at"], name="auditevent_user_at"),
        ]

    def __str__(self) -> str:
        who = self.username or (str(self.user) if self.user_id else "someone")
        return f"{self.get_kind_display()}: {who} at {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("The audit log is append-only: its events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("The audit log is append-only: its events cannot be deleted.")
