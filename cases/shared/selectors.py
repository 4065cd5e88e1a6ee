"""Who a signed-in person is, for the rules of every kind of case: their officer record,
their roles, and the officers senior enough to handle a stage or decline an enquiry."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from people.models import Officer
from people.roles import SENIOR_MANAGEMENT_ROLES, Role, role_group_name
from people.selectors import user_roles


def officer_of(user: User | AnonymousUser) -> Officer | None:
    return getattr(user, "officer", None) if user.is_authenticated else None


def roles_of(user: User | AnonymousUser) -> set[Role]:
    return user_roles(user) if user.is_authenticated else set()


def is_monitoring_officer(user: User | AnonymousUser) -> bool:
    """The Monitoring Officer or a deputy (000 §VIII)."""
    return user.is_authenticated and Role.MONITORING_OFFICER in user_roles(user)


def senior_officers() -> QuerySet[Officer]:
    """Serving Heads of Service and above (SENIOR_MANAGEMENT_ROLES): who can handle line
    management of a concern (001 §6.1, §6.2) or decline an enquiry (001 §7.1)."""
    names = [role_group_name(role) for role in SENIOR_MANAGEMENT_ROLES]
    return Officer.objects.current().filter(user__groups__name__in=names).distinct().select_related("user")
