from django.apps import AppConfig


class EscalationConfig(AppConfig):
    """The policy of time and seniority: working days, the chain of command, routing
    and the deadline sweep (DESIGN §8). Knows `people`, never `cases`."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "escalation"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_grant_role_permissions, sender=self)


def _grant_role_permissions(**kwargs) -> None:
    """Democratic Services keep the council's closure days (DESIGN §1, §3)."""
    from django.contrib.auth.models import Group, Permission

    from people.roles import Role, role_group_name

    permissions = Permission.objects.filter(content_type__app_label="escalation", content_type__model="closureday")
    Group.objects.get_or_create(name=role_group_name(Role.DEMOCRATIC_SERVICES))[0].permissions.add(*permissions)
