"""Officers: the management chain, and the statutory roles some of them hold (DESIGN §2;
001 §7.4: the Head of Paid Service is the top of every chain).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OfficerQuerySet(models.QuerySet["Officer"]):
    def current(self, *, on: date | None = None) -> OfficerQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gte=on))


class Officer(models.Model):
    """A member of staff. A user is a member or an officer, never both."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="officer")
    job_title = models.CharField(max_length=150)
    service = models.ForeignKey(
        "Service",
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
        # Asked of the user's member record, so that members and officers need nothing of each other.
        if self.user_id and get_user_model().objects.filter(pk=self.user_id, member__isnull=False).exists():
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
