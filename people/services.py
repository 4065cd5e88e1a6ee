"""The only writers of the organisation's derived data."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from people.models import Committee, Member, Officer, StatutoryRole
from people.roles import ASSIGNED_ROLES, Role, role_group_name

# What a Democratic Services administrator may change in the admin (DESIGN §1).
DEMOCRATIC_SERVICES_PERMISSION_APPS = ("people",)
DEMOCRATIC_SERVICES_EXTRA_PERMISSIONS = ("auth.add_user", "auth.change_user", "auth.view_user")


def _role_user_ids() -> dict[Role, set[int]]:
    """For each derived role, the users who hold it now: one query a role."""
    members = Member.objects.current()
    officers = Officer.objects.current()

    def ids(queryset, field: str) -> set[int]:
        return {user_id for user_id in queryset.values_list(field, flat=True) if user_id is not None}

    standards = Committee.objects.filter(kind=Committee.Kind.STANDARDS)
    return {
        Role.COUNCILLOR: ids(members, "user_id"),
        Role.OFFICER: ids(officers, "user_id"),
        Role.LIAISON_OFFICER: ids(officers.filter(services_as_liaison__isnull=False), "user_id"),
        Role.HEAD_OF_SERVICE: ids(officers.filter(services_headed__isnull=False), "user_id"),
        Role.ASSISTANT_DIRECTOR: ids(officers.filter(services_as_assistant_director__isnull=False), "user_id"),
        Role.DIRECTOR: ids(officers.filter(directorates_led__isnull=False), "user_id"),
        Role.CHIEF_EXECUTIVE: ids(
            officers.filter(
                statutory_appointments__role=StatutoryRole.HEAD_OF_PAID_SERVICE,
                statutory_appointments__is_deputy=False,
            ),
            "user_id",
        ),
        # Deputies act for the Monitoring Officer, so they carry the role too.
        Role.MONITORING_OFFICER: ids(
            officers.filter(statutory_appointments__role=StatutoryRole.MONITORING_OFFICER), "user_id"
        ),
        Role.DIRECTOR_OF_PEOPLE_SERVICES: ids(
            officers.filter(statutory_appointments__role=StatutoryRole.DIRECTOR_OF_PEOPLE_SERVICES), "user_id"
        ),
        Role.GROUP_LEADER: ids(members.filter(groups_led__isnull=False), "user_id"),
        Role.WHIP: ids(members.filter(groups_whipped__isnull=False), "user_id"),
        Role.CHAIR_OF_STANDARDS: ids(members.filter(committees_chaired__in=standards), "user_id"),
        Role.STANDARDS_COMMITTEE: ids(members.filter(committees__in=standards), "user_id")
        | ids(standards, "co_opted_members"),
    }


def role_groups_ensure() -> dict[Role, Group]:
    """Create any missing role group, and give Democratic Services its admin permissions."""
    groups = {role: Group.objects.get_or_create(name=role_group_name(role))[0] for role in Role}
    permissions = Permission.objects.filter(content_type__app_label__in=DEMOCRATIC_SERVICES_PERMISSION_APPS)
    extra = Q()
    for dotted in DEMOCRATIC_SERVICES_EXTRA_PERMISSIONS:
        app_label, codename = dotted.split(".")
        extra |= Q(content_type__app_label=app_label, codename=codename)
    # add, not set: other apps grant Democratic Services their own admin permissions too.
    groups[Role.DEMOCRATIC_SERVICES].permissions.add(*(permissions | Permission.objects.filter(extra)))
    return groups


@transaction.atomic
def role_groups_sync() -> None:
    """Make every derived role group hold exactly the users the organisation says.

    Set-based: a query per role to read the facts and a few per group to apply
    the difference, whatever the number of people.
    """
    groups = role_groups_ensure()
    for role, user_ids in _role_user_ids().items():
        if role not in ASSIGNED_ROLES:
            groups[role].user_set.set(user_ids)
