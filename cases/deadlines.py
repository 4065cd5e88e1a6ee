"""What the deadline sweep means for members' enquiries (001 §7.1, §7.4; DESIGN §3).

``escalation.sweep`` finds the enquiries whose reminder or climb is due and moves
their owner up the ladder; this handler writes, for a whole batch at once, the
rung record, the timeline events, the notifications and the new owner's access,
each with one statement.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import F
from django.utils import timezone

from cases.models import (
    OPEN_STATES,
    Enquiry,
    EnquiryEscalation,
    EnquiryState,
    EnquiryUserObjectPermission,
    Notification,
    TimelineEvent,
)
from escalation.sweep import Claimed, Climb, SweepReport, sweep
from people.models import Officer
from people.selectors import head_of_paid_service


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment, timezone.get_default_timezone()):%A %-d %B %Y}"


def _link(reference: str) -> str:
    return f"{settings.PORTAL_BASE_URL}/enquiries/{reference}/"


class EnquirySweep:
    def open_cases(self):
        return Enquiry.objects.filter(state__in=OPEN_STATES)

    def reminded(self, cases: list[Claimed], *, now: datetime) -> None:
        enquiries = Enquiry.objects.filter(pk__in=[case.pk for case in cases]).values(
            "pk", "reference", "subject", "state", "due_at", "owner__user_id", "owner__user__first_name",
            "owner__user__last_name",
        )  # fmt: skip
        chief = head_of_paid_service()
        events, notifications = [], []
        for enquiry in enquiries:
            due = _day(enquiry["due_at"])
            if enquiry["state"] == EnquiryState.DISPUTED:
                if chief is None:
                    continue
                # 001 §7.4: the Chief Executive owes the decision on a dispute.
                recipient_id, name = chief.user_id, chief.name
                to_do = "Uphold the decline or direct an answer"
            else:
                recipient_id = enquiry["owner__user_id"]
                name = f"{enquiry['owner__user__first_name']} {enquiry['owner__user__last_name']}"
                to_do = "Answer it or send a holding reply by then, or it will be escalated to a more senior officer"
            subject = f"{enquiry['reference']}: reminder, due by the end of {due}"
            body = (
                f"Dear {name},\n\n"
                f'The councillor\'s enquiry "{enquiry["subject"]}" is due by the end of {due}. '
                f"{to_do} (001 §7.1).\n\n{_link(enquiry['reference'])}\n\n{settings.COUNCIL_NAME} Protocol Portal"
            )
            notifications.append(
                Notification(
                    recipient_id=recipient_id,
                    enquiry_id=enquiry["pk"],
                    template="enquiry_reminder",
                    subject=subject,
                    body=body,
                    created_at=now,
                )
            )
            events.append(
                TimelineEvent(
                    enquiry_id=enquiry["pk"],
                    at=now,
                    kind=TimelineEvent.Kind.REMINDED,
                    note=f"Reminded {name} that it is due by the end of {due}.",
                    internal=True,
                )
            )
        Notification.objects.bulk_create(notifications)
        TimelineEvent.objects.bulk_create(events)

    def climbed(self, climbs: list[Climb], *, now: datetime) -> None:
        ids = [climb.case.pk for climb in climbs]
        enquiries = {
            row["pk"]: row
            for row in Enquiry.objects.filter(pk__in=ids).values(
                "pk", "reference", "subject", "member__user_id", "member__user__first_name", "member__user__last_name"
            )
        }
        officer_ids = {climb.case.owner_id for climb in climbs} | {climb.new_owner_id for climb in climbs}
        officers = {
            officer.pk: officer for officer in Officer.objects.filter(pk__in=officer_ids).select_related("user")
        }
        EnquiryEscalation.objects.bulk_create(
            EnquiryEscalation(
                enquiry_id=climb.case.pk,
                rung=climb.rung,
                from_owner_id=climb.case.owner_id,
                to_owner_id=climb.new_owner_id,
                due_at=climb.case.due_at,
                escalated_at=now,
            )
            for climb in climbs
        )
        Enquiry.objects.filter(pk__in=ids).update(version=F("version") + 1)
        events, notifications, grants = [], [], []
        view = Permission.objects.get(content_type__app_label="cases", codename="view_enquiry")
        for climb in climbs:
            enquiry = enquiries[climb.case.pk]
            previous, accountable = officers[climb.case.owner_id], officers[climb.new_owner_id]
            due = _day(climb.case.due_at)
            why = f"it was due by the end of {due} and has had no answer or holding reply"
            reference, link = enquiry["reference"], _link(enquiry["reference"])
            events.append(
                TimelineEvent(
                    enquiry_id=climb.case.pk,
                    at=now,
                    kind=TimelineEvent.Kind.ESCALATED,
                    from_owner_id=previous.pk,
                    to_owner_id=accountable.pk,
                    note=f"Escalated from {previous.name} to {accountable.name}, {accountable.job_title}, "
                    f"because {why} (001 §7.1).",
                )
            )
            notifications.append(
                Notification(
                    recipient_id=enquiry["member__user_id"],
                    enquiry_id=climb.case.pk,
                    template="enquiry_escalated_member",
                    subject=f"{reference}: {accountable.name} is now accountable for your enquiry",
                    body=f"Dear {enquiry['member__user__first_name']} {enquiry['member__user__last_name']},\n\n"
                    f'Your enquiry "{enquiry["subject"]}" has been escalated because {why}.\n\n'
                    f"{accountable.name}, {accountable.job_title}, is now accountable for it (001 §7.1).\n\n"
                    f"{link}\n\n{settings.COUNCIL_NAME} Protocol Portal",
                    created_at=now,
                )
            )
            notifications.append(
                Notification(
                    recipient_id=accountable.user_id,
                    enquiry_id=climb.case.pk,
                    template="enquiry_escalated_owner",
                    subject=f"{reference}: an overdue enquiry has been escalated to you",
                    body=f"Dear {accountable.name},\n\n"
                    f'The councillor\'s enquiry "{enquiry["subject"]}" has been escalated to you from '
                    f"{previous.name}, {previous.job_title}, because {why}. You now own it: answer it, send a "
                    f"holding reply or hand it to someone who can.\n\n{link}\n\n"
                    f"{settings.COUNCIL_NAME} Protocol Portal",
                    created_at=now,
                )
            )
            grants.append(
                EnquiryUserObjectPermission(
                    user_id=accountable.user_id, permission=view, content_object_id=climb.case.pk
                )
            )
        TimelineEvent.objects.bulk_create(events)
        Notification.objects.bulk_create(notifications)
        EnquiryUserObjectPermission.objects.bulk_create(grants, ignore_conflicts=True)

    def after_commit(self) -> None:
        from cases.tasks import notifications_send_pending

        notifications_send_pending.delay()


def enquiry_deadline_sweep(*, now: datetime | None = None, dry_run: bool = False) -> SweepReport:
    """Remind owners and climb every overdue enquiry due by ``now`` (001 §7.1)."""
    return sweep(EnquirySweep(), now=now, batch_size=settings.DEADLINE_SWEEP_BATCH_SIZE, dry_run=dry_run)
