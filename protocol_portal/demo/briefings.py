"""Briefings offered to every political group (DESIGN §6; 001 §9.5.2), from
data/briefings.toml, recorded through cases.briefing_services with the groups' responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cases.briefings import services as briefing_services
from cases.briefings.selectors import briefings_not_offered_to_every_group, spokespeople
from cases.models import Briefing, BriefingKind, BriefingOffer, BriefingResponse, Notification
from cases.shared.notifications import recording_history
from cases.shared.references import next_reference
from escalation.calendar import council_calendar, local_date
from people.models import PoliticalGroup
from protocol_portal.demo.content import content
from protocol_portal.demo.history import WorkingDays, settle_notifications


@dataclass(frozen=True)
class BriefingStory:
    recorded: int  # working days ago it was recorded
    held: int  # working days ago it takes place (negative: ahead)
    subject: str
    kind: str
    given_by: str  # demo account
    recorded_by: str  # demo account
    first_group: str  # short name
    for_leadership: bool
    # short name -> "accepted" or "declined"; a group not named has not replied.
    responses: dict[str, str]


def _story(table: dict) -> BriefingStory:
    return BriefingStory(
        **{
            **table,
            "kind": BriefingKind(table["kind"]),
            "responses": {group: BriefingResponse(answer) for group, answer in table["responses"].items()},
        }
    )


BRIEFINGS = content("briefings")
BRIEFING_STORIES = [_story(table) for table in BRIEFINGS["briefing"]]
# Recorded from the Democratic Services spreadsheet the council kept before the portal, which
# shows offers to two groups only: the compliance view and the dashboard count it.
SPREADSHEET_BRIEFING = _story(BRIEFINGS["spreadsheet_briefing"])


@dataclass(frozen=True)
class BriefingsSummary:
    created: bool
    count: int
    left_out: int


def briefing_counts(*, created: bool) -> BriefingsSummary:
    return BriefingsSummary(
        created=created, count=Briefing.objects.count(), left_out=briefings_not_offered_to_every_group().count()
    )


@transaction.atomic
def build_demo_briefings(*, now: datetime | None = None) -> BriefingsSummary:
    """Record the demo briefings through cases.briefing_services, with the groups' responses,
    unless there are briefings already."""
    if Briefing.objects.exists():
        return briefing_counts(created=False)
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    stories = [SPREADSHEET_BRIEFING, *BRIEFING_STORIES]
    days = WorkingDays(council_calendar(), today=local_date(now), back=max(s.recorded for s in stories), ahead=30)
    users = {user.username: user for user in get_user_model().objects.select_related("officer")}
    groups = {group.short_name: group for group in PoliticalGroup.objects.all()}

    def moment(day: int, hour: int) -> datetime:
        return datetime.combine(days.date(day), time(hour, 0), tzinfo=zone)

    def respond(briefing: Briefing, story: BriefingStory) -> None:
        for offer in briefing.offers.select_related("group", "briefing"):
            answer = story.responses.get(offer.group.short_name)
            if answer:
                speaker = spokespeople(offer.group)
                actor = speaker[0].user if speaker else users[story.recorded_by]
                briefing_services.briefing_response_record(
                    offer=offer, actor=actor, response=answer, now=moment(max(story.recorded - 2, 1), 11)
                )

    with recording_history():
        # The spreadsheet's briefing, as the council recorded it then: offers to two groups only.
        story = SPREADSHEET_BRIEFING
        at = moment(story.recorded, 10)
        briefing = Briefing.objects.create(
            reference=next_reference("BRF", at.year),
            subject=story.subject,
            kind=story.kind,
            given_by=users[story.given_by].officer,
            takes_place_on=days.date(story.held),
            first_offered_to=groups[story.first_group],
            recorded_by=users[story.recorded_by],
            recorded_at=at,
        )
        for short in story.responses:
            BriefingOffer.objects.create(briefing=briefing, group=groups[short], offered_at=at)
        respond(briefing, story)
        for story in BRIEFING_STORIES:
            briefing = briefing_services.briefing_record(
                recorded_by=users[story.recorded_by],
                subject=story.subject,
                kind=story.kind,
                given_by=users[story.given_by].officer,
                takes_place_on=days.date(story.held),
                for_leadership=story.for_leadership,
                offered_to=groups[story.first_group],
                now=moment(story.recorded, 9),
            )
            respond(briefing, story)
    settle_notifications(days, Notification.objects.filter(briefing__isnull=False))
    return briefing_counts(created=True)
