"""Councillors: who they are, the wards and group they belong to, and the offices and outside
appointments they hold (DESIGN §2; 003: member profiles).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from people.photos import validate_photo


class MemberQuerySet(models.QuerySet["Member"]):
    def current(self, *, on: date | None = None) -> MemberQuerySet:
        """Members in office on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(left_office_on__isnull=True) | Q(left_office_on__gte=on))


class Member(models.Model):
    """A councillor. A user is a member or an officer, never both."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member")
    wards = models.ManyToManyField("Ward", blank=True, related_name="members")
    group = models.ForeignKey(
        "PoliticalGroup",
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
        # Asked of the user's officer record, so that members and officers need nothing of each other.
        if self.user_id and get_user_model().objects.filter(pk=self.user_id, officer__isnull=False).exists():
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
