from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Enquiries, concerns and sanctions: their state machines and pages (DESIGN §3–§5)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from escalation.signals import working_days_changed

        working_days_changed.connect(_recompute_due_dates, dispatch_uid="cases.recompute_due_dates")
        post_migrate.connect(_grant_role_permissions, sender=self)


def _recompute_due_dates(sender, *, days, actor, **kwargs) -> None:
    # The calendar lives in escalation, which cannot know about enquiries (DESIGN §8).
    from cases.services import enquiries_due_dates_recompute

    enquiries_due_dates_recompute(days=days, actor=actor)


def _grant_role_permissions(**kwargs) -> None:
    """The Monitoring Officer and the Chief Executive see every enquiry (DESIGN §3)."""
    from django.contrib.auth.models import Group, Permission

    from people.roles import Role, role_group_name

    view = Permission.objects.get(content_type__app_label="cases", codename="view_enquiry")
    for role in (Role.MONITORING_OFFICER, Role.CHIEF_EXECUTIVE):
        Group.objects.get_or_create(name=role_group_name(role))[0].permissions.add(view)
