from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Personal data kept only as long as needed (UK GDPR Article 5(1)(e); README
    "Retention"): the schedule per record kind and the nightly run that anonymises or
    deletes what has passed its date. Sits above ``cases`` beside ``reporting``: it asks
    the apps below to dispose of their own records (people.retention, cases.retention)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "retention"
    verbose_name = "Retention of personal data"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from retention import checks  # noqa: F401  (registers the schedule's system check)

        post_migrate.connect(_grant_role_permissions, sender=self)


def _grant_role_permissions(**kwargs) -> None:
    """Democratic Services administrators read the schedule and the record of its runs."""
    from django.contrib.auth.models import Group, Permission

    from people.roles import Role, role_group_name

    view = Permission.objects.get(content_type__app_label="retention", codename="view_retentionrun")
    Group.objects.get_or_create(name=role_group_name(Role.DEMOCRATIC_SERVICES))[0].permissions.add(view)
