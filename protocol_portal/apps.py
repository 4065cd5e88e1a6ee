from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project itself: settings, root URLs, sign-in and the middleware around every page."""

    name = "protocol_portal"
    verbose_name = "Protocol Portal"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from protocol_portal.middleware import session_started
        from protocol_portal.retention import checks  # noqa: F401  (registers the schedule's system checks)

        # Stamped at sign-in rather than on the first page, so that page writes no session.
        user_logged_in.connect(session_started, dispatch_uid="protocol_portal.session_started")
        post_migrate.connect(_grant_role_permissions, sender=self)


def _grant_role_permissions(**kwargs) -> None:
    """Democratic Services administrators read the retention schedule and the record of its
    runs (docs/retention.md)."""
    from django.contrib.auth.models import Group, Permission

    from people.roles import Role, role_group_name

    view = Permission.objects.get(content_type__app_label="protocol_portal", codename="view_retentionrun")
    Group.objects.get_or_create(name=role_group_name(Role.DEMOCRATIC_SERVICES))[0].permissions.add(view)
