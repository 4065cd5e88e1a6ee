"""The council's structure: wards, political groups, directorates, services and committees (DESIGN §2).

The people who fill it are in ``members`` and ``officers``, which need nothing from here
(they name these models by string); this module asks them who sits where.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from people.models.members import Member
from people.models.officers import Officer


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
