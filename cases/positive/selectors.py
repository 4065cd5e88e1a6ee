"""Who sees a positive example (000 §VI): its recorder, the Assistant Director it went to,
and the Monitoring Officer. Anyone else is told there is no such page (404).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from cases.positive.models import PositiveExample
from cases.shared.selectors import is_monitoring_officer
from people.models import Member, Officer


def positive_examples_visible_to(user: User | AnonymousUser) -> QuerySet[PositiveExample]:
    """Its recorder, the Assistant Director it went to, and the Monitoring Officer."""
    base = PositiveExample.objects.select_related("service", "assistant_director__user", "recorded_by")
    if not user.is_authenticated:
        return PositiveExample.objects.none()
    if is_monitoring_officer(user):
        return base
    return base.filter(Q(recorded_by=user) | Q(assistant_director__user=user))


def positive_example_get_for_user(user: User | AnonymousUser, reference: str) -> PositiveExample:
    try:
        return (
            positive_examples_visible_to(user)
            .prefetch_related(
                Prefetch("members", queryset=Member.objects.select_related("user")),
                Prefetch("officers", queryset=Officer.objects.select_related("user")),
            )
            .get(reference=reference)
        )
    except PositiveExample.DoesNotExist:
        raise Http404("No positive example found") from None
