"""Briefings and the equal treatment of political groups (DESIGN §6; 001 §9.2, §9.5, 002)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from people.models import Officer, PoliticalGroup


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
    # The key of the form that recorded it (cases.shared.forms.SubmittedOnceForm): a double click records one briefing.
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
