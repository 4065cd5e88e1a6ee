"""Who may set cover for whom, and what the cover pages show (issue 15 C11).

An officer sets and ends their own cover; their line manager does it for them; the colleague
covering may end it too (they can no longer cover). The officers who may cover are those
serving, with an account that can sign in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.shared.selectors import officer_of
from people.models import Cover, Officer


def serving_officer_of(user: User | AnonymousUser, *, on: date | None = None) -> Officer | None:
    """The signed-in person's officer record, while they serve."""
    officer = officer_of(user)
    return officer if officer is not None and officer.is_serving(on=on) else None


def may_set_cover(user: User | AnonymousUser, officer: Officer, *, on: date | None = None) -> bool:
    """The officer themselves, or their line manager, both serving on ``on`` (issue 15 C11)."""
    actor = serving_officer_of(user, on=on)
    if actor is None or not officer.is_serving(on=on):
        return False
    return actor.pk == officer.pk or actor.pk == officer.line_manager_id


def may_end_cover(user: User | AnonymousUser, cover: Cover, *, on: date | None = None) -> bool:
    """Those who may set it, and the colleague covering, who may find they cannot."""
    actor = serving_officer_of(user, on=on)
    return actor is not None and (actor.pk == cover.covered_by_id or may_set_cover(user, cover.officer, on=on))


def cover_officer_get(officer_id: int) -> Officer:
    """The officer whose cover a page sets, or 404. Officers are no secret (003: the directory):
    whether the person asking may set it is ``may_set_cover``'s to say."""
    try:
        return Officer.objects.select_related("user", "line_manager").get(pk=officer_id)
    except Officer.DoesNotExist:
        raise Http404("No officer found") from None


def cover_get_for_user(user: User | AnonymousUser, pk: int) -> Cover:
    """One cover, for those who may end it; 404 for anyone else: who is away is the
    officer's, their manager's and the colleague's business."""
    cover = (
        Cover.objects.select_related("officer__user", "officer__line_manager", "covered_by__user").filter(pk=pk).first()
    )
    if cover is None or not may_end_cover(user, cover):
        raise Http404("No cover found")
    return cover


def colleagues_to_cover(officer: Officer) -> QuerySet[Officer]:
    """Who may cover for ``officer``: serving officers other than them whose account can sign
    in, by name (the service tells two of the same name apart in the picker)."""
    return (
        Officer.objects.current()
        .filter(user__is_active=True, anonymised_at__isnull=True)
        .exclude(pk=officer.pk)
        .select_related("user", "service")
        .order_by("user__last_name", "user__first_name", "pk")
    )


@dataclass(frozen=True)
class CoverPage:
    """What a cover page shows about ``officer``."""

    officer: Officer
    covers: list[Cover]  # theirs, in force or to come
    covering: list[Cover]  # those they give, in force or to come
    reports: list[tuple[Officer, list[Cover]]]  # their serving direct reports, with theirs


def cover_page(officer: Officer) -> CoverPage:
    """The officer's covers and those they give, in force or to come, and their direct reports'
    (two queries)."""
    today = timezone.localdate()
    reports = list(
        Officer.objects.current().filter(line_manager=officer).select_related("user").order_by("user__last_name", "pk")
    )
    report_ids = {report.pk for report in reports}
    covers = list(
        Cover.objects.not_over(on=today)
        .filter(Q(officer=officer) | Q(covered_by=officer) | Q(officer__in=report_ids))
        .select_related("officer__user", "covered_by__user")
    )
    return CoverPage(
        officer=officer,
        covers=[cover for cover in covers if cover.officer_id == officer.pk],
        covering=[cover for cover in covers if cover.covered_by_id == officer.pk],
        reports=[(report, [cover for cover in covers if cover.officer_id == report.pk]) for report in reports],
    )
