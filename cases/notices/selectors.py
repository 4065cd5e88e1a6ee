"""Who sees which ward notice (DESIGN §6; 001 §9.4).

A notice is seen by the officer who sent it; the members it went to; the members who
represent one of its wards now (a member elected since sees what their ward was told);
the Monitoring Officer and deputies, and Democratic Services, who keep the evidence that
ward members were told; and administrators, to whom the admin lists notices anyway.
Anyone else is told it does not exist (404), as on the other case pages.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cases.notices.models import WardNotice, WardNoticeRecipient
from people.models import Member, Ward
from people.roles import Role
from people.selectors import user_roles


def oversees_ward_notices(user: User | AnonymousUser) -> bool:
    """The Monitoring Officer (and deputies, who carry the role) and Democratic Services; and
    administrators, to whom the Django admin lists every notice (read-only) anyway, as it
    does every enquiry."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles(user) & {Role.MONITORING_OFFICER, Role.DEMOCRATIC_SERVICES})


def _for_member(member: Member) -> Q:
    """Notices sent to the member, or for a ward they represent now."""
    received = WardNoticeRecipient.objects.filter(notice=OuterRef("pk"), member=member)
    their_wards = WardNotice.wards.through.objects.filter(
        wardnotice=OuterRef("pk"), ward__in=Ward.objects.filter(members=member).values("pk")
    )
    return Q(Exists(received)) | Q(Exists(their_wards))


def ward_notices_visible_to(user: User | AnonymousUser) -> QuerySet[WardNotice]:
    if not user.is_authenticated:
        return WardNotice.objects.none()
    base = WardNotice.objects.select_related("sent_by")
    if oversees_ward_notices(user):
        return base
    condition = Q(sent_by=user)
    member = getattr(user, "member", None)
    if member is not None:
        # A member who has left office keeps the notices sent to them, not their old wards' new ones.
        condition |= (
            _for_member(member)
            if member.is_in_office()
            else Q(Exists(WardNoticeRecipient.objects.filter(notice=OuterRef("pk"), member=member)))
        )
    return base.filter(condition)


def ward_notice_get_for_user(user: User | AnonymousUser, reference: str) -> WardNotice:
    try:
        return ward_notices_visible_to(user).get(reference=reference)
    except WardNotice.DoesNotExist:
        raise Http404("No ward notice found") from None


def _list(queryset: QuerySet[WardNotice]) -> QuerySet[WardNotice]:
    """What a row of a notice list shows: its reference, title, kind, date, wards and sender."""
    return queryset.select_related("sent_by").prefetch_related("wards").order_by("-sent_at", "-pk")


def ward_notices_sent_by(user: User) -> QuerySet[WardNotice]:
    """Notices I have sent, newest first (the index ward_notice_by_sender)."""
    return _list(WardNotice.objects.filter(sent_by=user))


def ward_notices_for_member(member: Member) -> QuerySet[WardNotice]:
    """Notices for my wards: sent to me, or for a ward I represent now, newest first."""
    return _list(WardNotice.objects.filter(_for_member(member)))
