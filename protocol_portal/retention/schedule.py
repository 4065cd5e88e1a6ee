"""The retention schedule: one entry per kind of record holding personal data
(docs/retention.md, where each default and its reason are set out for the council's records).

Adding a kind is one ``RecordKind`` in ``KINDS``: the app that owns the model gives a
function listing the rows past their date and one disposing of a batch of them (see
cases.retention and people.retention). Periods come from here and may be overridden in
the environment (``RETENTION_MONTHS``, settings), never from a page: shortening one is an
irreversible decision about the council's records, so it is made in the deployment's
configuration, reviewed like code, and not by a click in the admin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone

from cases import retention as cases_retention
from people import retention as people_retention
from people.models import Member, Officer

ANONYMISE = "anonymise"
DELETE = "delete"
ACTION_NAMES = {ANONYMISE: "Anonymise", DELETE: "Delete"}

LIMITATION_ACT = (
    "Six years: the Limitation Act 1980 (ss. 2 and 5) lets claims about how a case was handled be brought "
    "for six years, and the council must be able to answer them."
)


@dataclass(frozen=True)
class RecordKind:
    slug: str
    name: str
    counts_from: str
    action: str
    months: int
    reason: str
    # Rows past their date and not yet disposed of: due(cut_at=start of the cut-off day, today=…).
    due: Callable[..., models.QuerySet]
    # Dispose of a batch: dispose(ids=…, now=…) -> how many rows of the kind.
    dispose: Callable[..., int]


def _members_anonymise(*, ids: Iterable[int], now: datetime) -> int:
    ids = list(ids)
    cases_retention.object_permissions_remove(
        user_ids=Member.objects.filter(pk__in=ids).values_list("user_id", flat=True)
    )
    return people_retention.former_members_anonymise(ids=ids, now=now)


def _officers_anonymise(*, ids: Iterable[int], now: datetime) -> int:
    ids = list(ids)
    cases_retention.object_permissions_remove(
        user_ids=Officer.objects.filter(pk__in=ids).values_list("user_id", flat=True)
    )
    return people_retention.former_officers_anonymise(ids=ids, now=now)


KINDS: list[RecordKind] = [
    RecordKind(
        slug="enquiries",
        name="Members' enquiries, with their answers, holding replies, declines, disputes and consent records",
        counts_from="The day it was closed or withdrawn; if never closed, the day it was answered or declined",
        action=ANONYMISE,
        months=72,
        reason=LIMITATION_ACT + " Anonymised, not deleted, so the Standards Committee's figures stay as reported.",
        due=lambda *, cut_at, today: cases_retention.enquiries_due(before=cut_at),
        dispose=cases_retention.enquiries_anonymise,
    ),
    RecordKind(
        slug="attachments",
        name="Attachments to enquiries and answers, and evidence on concerns",
        counts_from="The day its enquiry or concern was finished (as for enquiries and concerns)",
        action=DELETE,
        months=72,
        reason=LIMITATION_ACT + " A file cannot be anonymised, and no figure counts files, so it is deleted.",
        due=lambda *, cut_at, today: cases_retention.attachments_due(before=cut_at, today=today),
        dispose=lambda *, ids, now: cases_retention.attachments_delete(ids=ids),
    ),
    RecordKind(
        slug="concerns",
        name="Concerns, with their informal actions, sanctions, contact prohibitions and referrals",
        counts_from="The day it left the ladder (resolved, action taken, referred or withdrawn); "
        "held while a contact prohibition it imposed is in force",
        action=ANONYMISE,
        months=72,
        reason=LIMITATION_ACT + " Conduct records may also be needed for employment claims; anonymised so the "
        "ladder, outcome and behaviour figures stay.",
        due=lambda *, cut_at, today: cases_retention.concerns_due(before=cut_at, today=today),
        dispose=cases_retention.concerns_anonymise,
    ),
    RecordKind(
        slug="timeline",
        name="Timeline events of enquiries and concerns",
        counts_from="The day its enquiry or concern was finished",
        action=ANONYMISE,
        months=72,
        reason="Kept as long as the case it belongs to. Anonymised, not deleted: the dashboards count how far each "
        "concern climbed from its events.",
        due=lambda *, cut_at, today: cases_retention.timeline_events_due(before=cut_at, today=today),
        dispose=cases_retention.timeline_events_anonymise,
    ),
    RecordKind(
        slug="positive_examples",
        name="Positive examples of member-officer working (000 §VI)",
        counts_from="The day it was recorded",
        action=ANONYMISE,
        months=36,
        reason="Three years: the annual report compares a year with the two before it. No legal claim turns on "
        "them; anonymised so the count in past reports stays.",
        due=lambda *, cut_at, today: cases_retention.positive_examples_due(before=cut_at),
        dispose=cases_retention.positive_examples_anonymise,
    ),
    RecordKind(
        slug="ward_notices",
        name="Ward notices (001 §9.4), with who was told and when, and their files",
        counts_from="The day it was sent",
        action=DELETE,
        months=72,
        reason=LIMITATION_ACT + " A notice is the evidence that every ward member was told; no figure counts "
        "them, so once that can no longer be questioned it is deleted.",
        due=lambda *, cut_at, today: cases_retention.ward_notices_due(before=cut_at),
        dispose=lambda *, ids, now: cases_retention.ward_notices_delete(ids=ids),
    ),
    RecordKind(
        slug="briefings",
        name="Briefings offered to the political groups (001 §9.5.2), with each group's response",
        counts_from="The day of the briefing",
        action=ANONYMISE,
        months=72,
        reason=LIMITATION_ACT + " Anonymised, not deleted: the dashboard counts briefings not offered to every "
        "group, and the groups and their responses stay.",
        due=lambda *, cut_at, today: cases_retention.briefings_due(before=cut_at),
        dispose=cases_retention.briefings_anonymise,
    ),
    RecordKind(
        slug="notifications",
        name="In-app notifications (and the e-mail outbox)",
        counts_from="The day it was sent",
        action=DELETE,
        months=12,
        reason="A year: each repeats what the case's own record holds, so once read and e-mailed it is only a copy.",
        due=lambda *, cut_at, today: cases_retention.notifications_due(before=cut_at),
        dispose=lambda *, ids, now: cases_retention.notifications_delete(ids=ids),
    ),
    RecordKind(
        slug="audit_log",
        name="The audit log: sign-ins, two-factor events and refused cases",
        counts_from="The day of the event",
        action=DELETE,
        months=12,
        reason="A year: long enough to investigate a security incident (NCSC logging guidance asks for at least "
        "six months); it holds IP addresses and usernames.",
        due=lambda *, cut_at, today: people_retention.audit_events_due(before=cut_at),
        dispose=lambda *, ids, now: people_retention.audit_events_delete(ids=ids),
    ),
    RecordKind(
        slug="sign_in_failures",
        name="Failed sign-ins (django-axes)",
        counts_from="The day of the failed sign-in (for a lockout count, the last one)",
        action=DELETE,
        months=12,
        reason="A year, as the audit log, which records the same sign-ins: usernames and IP addresses.",
        due=lambda *, cut_at, today: people_retention.sign_in_failures_due(before=cut_at),
        dispose=lambda *, ids, now: people_retention.sign_in_failures_delete(ids=ids),
    ),
    RecordKind(
        slug="lockout_counts",
        name="Counts of failed sign-ins behind a lockout (django-axes)",
        counts_from="The day of the last failed sign-in it counts",
        action=DELETE,
        months=12,
        reason="A year, as the audit log: long past any lockout, and it holds usernames and IP addresses.",
        due=lambda *, cut_at, today: people_retention.lockout_counts_due(before=cut_at),
        dispose=lambda *, ids, now: people_retention.lockout_counts_delete(ids=ids),
    ),
    RecordKind(
        slug="former_members",
        name="Accounts and profiles of councillors who left office",
        counts_from="Their last day in office",
        action=ANONYMISE,
        months=72,
        reason=LIMITATION_ACT + " Their name, contact details, photo and profile go; the account stays, unable to "
        "sign in, because their past cases point to it.",
        due=lambda *, cut_at, today: people_retention.former_members_due(before=cut_at.date()),
        dispose=_members_anonymise,
    ),
    RecordKind(
        slug="former_officers",
        name="Accounts of officers who left the council",
        counts_from="Their last working day",
        action=ANONYMISE,
        months=72,
        reason=LIMITATION_ACT + " Their name and contact details go; the account stays, unable to sign in, "
        "because their past cases point to it.",
        due=lambda *, cut_at, today: people_retention.former_officers_due(before=cut_at.date()),
        dispose=_officers_anonymise,
    ),
]
KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}


@dataclass(frozen=True)
class Entry:
    """A kind as the schedule applies it today: its period may differ from the default."""

    kind: RecordKind
    months: int

    @property
    def overridden(self) -> bool:
        return self.months != self.kind.months

    @property
    def period(self) -> str:
        years, months = divmod(self.months, 12)
        parts = [f"{years} year{'s' * (years != 1)}"] * bool(years) + [f"{months} month{'s' * (months != 1)}"] * bool(
            months
        )
        return " and ".join(parts)

    def cut_at(self, today: date) -> datetime:
        """Records whose date is before this moment are past their period: one dated exactly
        ``months`` before today is kept today and disposed of tomorrow."""
        day = today - relativedelta(months=self.months)
        return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def schedule() -> list[Entry]:
    overrides = settings.RETENTION_MONTHS
    return [Entry(kind=kind, months=overrides.get(kind.slug, kind.months)) for kind in KINDS]
