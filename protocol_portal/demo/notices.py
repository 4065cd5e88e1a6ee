"""Ward notices (DESIGN §6; 001 §9.4), from data/notices.toml, sent in the past through
cases.notice_services to every member of their wards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.models import Notification, WardNotice, WardNoticeKind
from cases.notices import services as notice_services
from cases.shared.notifications import recording_history
from escalation.calendar import local_date
from people.models import Ward
from protocol_portal.demo.accounts import DEMO_ACCOUNTS
from protocol_portal.demo.content import content


@dataclass(frozen=True)
class NoticePlan:
    sent_by: str  # a demo account's username
    kind: str
    title: str
    summary: str
    wards: tuple[str, ...]
    # Calendar days before today it was sent, and the date it concerns relative to that.
    sent_days_ago: int
    concerns_days_after: int
    minute: int = 10 * 60
    # A consultation sent after it started: the officer confirmed it (001 §9.4.5).
    late: bool = False


def _notice(table: dict) -> NoticePlan:
    sent_at: time = table.get("sent_at", time(10, 0))
    return NoticePlan(
        sent_by=table["sent_by"],
        kind=WardNoticeKind(table["kind"]),
        title=table["title"],
        summary=table["summary"],
        wards=tuple(table["wards"]),
        sent_days_ago=table["sent_days_ago"],
        concerns_days_after=table["concerns_days_after"],
        minute=sent_at.hour * 60 + sent_at.minute,
        late=table.get("late", False),
    )


DEMO_NOTICES = tuple(_notice(table) for table in content("notices")["notice"])


@transaction.atomic
def build_demo_ward_notices(*, now: datetime | None = None) -> int:
    """Send the demo ward notices in the past, unless there are notices already. Returns how
    many notices there are."""
    if WardNotice.objects.exists():
        return WardNotice.objects.count()
    now = now or timezone.now()
    today = local_date(now)
    users = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_ACCOUNTS)}
    wards = {ward.name: ward for ward in Ward.objects.all()}
    with recording_history():
        for plan in sorted(DEMO_NOTICES, key=lambda plan: -plan.sent_days_ago):
            day = today - timedelta(days=plan.sent_days_ago)
            sent_at = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone()) + timedelta(
                minutes=plan.minute
            )
            notice_services.ward_notice_send(
                sent_by=users[plan.sent_by],
                kind=plan.kind,
                title=plan.title,
                concerns_on=day + timedelta(days=plan.concerns_days_after),
                summary=plan.summary,
                wards=[wards[name] for name in plan.wards],
                confirmed_late=plan.late,
                now=sent_at,
            )
    # Read a day after they were sent, but for the last few days'.
    read_before = now - timedelta(days=3)
    Notification.objects.filter(ward_notice__isnull=False, created_at__lt=read_before, read_at__isnull=True).update(
        read_at=F("created_at") + timedelta(days=1)
    )
    return WardNotice.objects.count()
