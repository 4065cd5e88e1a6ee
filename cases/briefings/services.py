"""The only writers of briefings (DESIGN §6; 001 §9.2, §9.5, 002 "Support to Political Groups").

001 §9.5.2: "Any briefings offered to a party group will be offered to the other party
groups." Recording a briefing offered to one group makes the same offer to every political
group that exists on the briefing's date, in the same transaction, and tells each group's
leader and whips. Independent councillors are in no party group, so they get no offer (the
paragraph speaks of party groups; 001 §9.5.1 lets a group's Leader ask for one).

A briefing a group asked for is not for this page: the 2024 revision of 001 §9.5.2 struck
"or requested by", so only briefings an officer offers must be offered to every group.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.briefings.models import Briefing, BriefingKind, BriefingOffer, BriefingResponse, BriefingResponseChange
from cases.briefings.selectors import may_offer_to_groups_left_out, may_record_response, spokespeople
from cases.shared.notifications import notification_render
from cases.shared.references import next_reference
from cases.shared.submissions import refuse_resubmission
from escalation.calendar import local_date
from people.models import Officer, PoliticalGroup


class BriefingOfferConflict(Exception):
    """Someone else recorded this group's response after this person's page was loaded."""

    def __init__(self, offer: BriefingOffer) -> None:
        self.offer = offer
        super().__init__(
            f"{offer.group.name}'s response to {offer.briefing.reference} was changed by someone else while you were "
            f"working on it: it is now “{offer.get_response_display()}”. Check it below before you try again."
        )


def _offer(*, briefing: Briefing, group: PoliticalGroup, now: datetime) -> BriefingOffer:
    """Make the offer to ``group`` and tell its leader and whips (in the portal, and by e-mail after commit)."""
    offer = BriefingOffer.objects.create(briefing=briefing, group=group, offered_at=now)
    for member in spokespeople(group):
        notification_render(
            recipient=member.user,
            template="briefing_offered",
            context={
                "briefing": briefing,
                "group": group,
                "offer": offer,
                "briefing_url": settings.PORTAL_BASE_URL + briefing.get_absolute_url(),
            },
            at=now,
            briefing=briefing,
        )
    return offer


@transaction.atomic
def briefing_record(
    *,
    recorded_by: User,
    subject: str,
    kind: str = BriefingKind.GROUP_BRIEFING,
    given_by: Officer,
    takes_place_on: date,
    for_leadership: bool = False,
    offered_to: PoliticalGroup,
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> Briefing:
    """Record a briefing offered to ``offered_to`` and offer the same to every other group
    that exists on its date (001 §9.5.2), all in this one transaction."""
    now = now or timezone.now()
    if not offered_to.existed_on(takes_place_on):
        raise ValidationError({"offered_to": f"{offered_to.name} does not exist on the day of the briefing"})
    if not given_by.is_serving(on=min(takes_place_on, local_date(now))):
        raise ValidationError({"given_by": f"{given_by.name} is no longer at the council"})
    reference = next_reference("BRF", local_date(now).year)
    refuse_resubmission(Briefing, submission_key)
    briefing = Briefing.objects.create(
        reference=reference,
        submission_key=submission_key,
        subject=subject,
        kind=kind,
        given_by=given_by,
        takes_place_on=takes_place_on,
        for_leadership=for_leadership,
        first_offered_to=offered_to,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    for group in PoliticalGroup.objects.existing_on(takes_place_on):
        _offer(briefing=briefing, group=group, now=now)
    return briefing


@transaction.atomic
def briefing_offer_to_groups_left_out(
    *, briefing: Briefing, actor: User, expected_offers: int | None = None, now: datetime | None = None
) -> list[BriefingOffer]:
    """Offer the briefing to every group that existed on its date and has no offer (the
    compliance view's remedy: a group formed after the briefing was recorded, or offers
    made outside the portal). Returns the new offers; none if every group has one.
    ``expected_offers`` is how many offers the page showed: a form from an out-of-date page
    (sent twice, or after someone else made the offers) is refused."""
    now = now or timezone.now()
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if not may_offer_to_groups_left_out(briefing, actor):
        raise PermissionDenied("Only the officer who recorded it, the Monitoring Officer or Democratic Services can.")
    offered = BriefingOffer.objects.filter(briefing=briefing).values("group")
    if expected_offers is not None and offered.count() != expected_offers:
        raise ValidationError(
            f"{briefing.reference} has been offered to more groups since you opened that page. "
            "If you pressed the button twice, your first submission was saved."
        )
    left_out = PoliticalGroup.objects.existing_on(briefing.takes_place_on).exclude(pk__in=offered)
    return [_offer(briefing=briefing, group=group, now=now) for group in left_out]


@transaction.atomic
def briefing_response_record(
    *,
    offer: BriefingOffer,
    actor: User,
    response: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> BriefingOffer:
    """Record a group's response to its offer: its leader or a whip, or the officer who
    recorded the briefing (told by the group). A form from an out-of-date page is refused."""
    now = now or timezone.now()
    current = BriefingOffer.objects.select_for_update(of=("self",)).select_related("briefing", "group").get(pk=offer.pk)
    if expected_version is not None and current.version != expected_version:
        raise BriefingOfferConflict(current)
    if not may_record_response(current, actor):
        raise PermissionDenied("Only the group's leader or whips, or the officer who recorded it, can.")
    if response not in (BriefingResponse.ACCEPTED, BriefingResponse.DECLINED):
        raise ValidationError({"response": "Choose whether the group accepted or declined"})
    BriefingResponseChange.objects.create(
        offer=current, at=now, actor=actor, from_response=current.response, to_response=response
    )
    current.response = response
    current.responded_by = actor
    current.responded_at = now
    current.version += 1
    current.save()
    return current
