"""The monthly digest: last month's headline figures e-mailed to the Standards Committee
(DESIGN §7; 004: the committee monitors and reviews the protocol).

The figures are the committee's (disclosure-controlled, no names), as on its dashboard.
Reporting writes nothing of the cases app's (DESIGN §8), so the digest does not use
cases' notification outbox: it sends directly, one e-mail a recipient, and records the
month in ``DigestSent`` in the same transaction. A rerun, or a second worker, finds the
month recorded and sends nothing; if sending fails, the record is rolled back and the
next run tries again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from people.models import Committee, Member
from reporting.figures import COMMITTEE, dashboard
from reporting.models import DigestSent
from reporting.periods import Period, month_of


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str


def digest_month(today: date) -> Period:
    """The month a digest sent on ``today`` reports on: the last whole month."""
    return month_of(today.replace(day=1) - timedelta(days=1))


def digest_recipients() -> list[Recipient]:
    """Everyone on the Standards Committee with an e-mail address: its councillors in office
    (and its chair) and its co-opted members, each once. Three queries."""
    committee = Committee.objects.filter(kind=Committee.Kind.STANDARDS).first()
    if committee is None:
        return []
    members = Member.objects.current().filter(Q(committees=committee) | Q(committees_chaired=committee))
    users = [member.user for member in members.select_related("user").distinct()]
    users += list(committee.co_opted_members.all())
    recipients: dict[str, Recipient] = {}
    for user in users:
        if user.is_active and user.email and user.email.lower() not in recipients:
            recipients[user.email.lower()] = Recipient(user.get_full_name() or user.username, user.email)
    return sorted(recipients.values(), key=lambda recipient: recipient.email.lower())


def _messages(month: Period, recipients: list[Recipient], *, now: datetime) -> list[tuple[str, str, str, list[str]]]:
    figures = dashboard(month, audience=COMMITTEE, now=now)
    dashboard_path = f"{reverse('reporting:dashboard')}?{urlencode({'period': month.key})}"
    context = {
        "month": month,
        "figures": figures,
        "council_name": settings.COUNCIL_NAME,
        "dashboard_url": f"{settings.PORTAL_BASE_URL}{dashboard_path}",
        "reports_url": f"{settings.PORTAL_BASE_URL}{reverse('reporting:annual_reports')}",
    }
    subject = render_to_string("emails/reporting_digest_subject.txt", context).strip()
    return [
        (
            subject,
            render_to_string("emails/reporting_digest_body.txt", {**context, "recipient": recipient}).strip(),
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
        )
        for recipient in recipients
    ]


def digest_send(*, month: Period | None = None, now: datetime | None = None) -> int:
    """Send ``month``'s digest (last month's by default) unless it has been sent; the
    number of e-mails sent. Nothing is sent, or recorded, when no one has an address."""
    now = now or timezone.now()
    month = month or digest_month(timezone.localdate(now))
    if DigestSent.objects.filter(month=month.start).exists():
        return 0
    recipients = digest_recipients()
    if not recipients:
        return 0
    messages = _messages(month, recipients, now=now)
    with transaction.atomic():
        # Two runs at once: the second one's insert waits for the first to commit, then finds the row.
        _, created = DigestSent.objects.get_or_create(
            month=month.start, defaults={"sent_at": now, "recipients": len(messages)}
        )
        if not created:
            return 0
        # Inside the transaction: if the mail server refuses, the month is not recorded as sent.
        send_mass_mail(messages, fail_silently=False)
    return len(messages)
