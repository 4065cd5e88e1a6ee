from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Enquiries, concerns and sanctions, positive examples, ward notices and briefings:
    their state machines and pages (DESIGN §3–§6), one sub-package each, on the machinery
    they share (cases.shared). Here the domains are joined where one must hear of another."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from cases import tasks  # noqa: F401  (registers the tasks the services queue by name)
        from cases.shared.signals import contact_prohibition_recorded
        from escalation.signals import working_days_changed

        working_days_changed.connect(_recompute_due_dates, dispatch_uid="cases.recompute_due_dates")
        contact_prohibition_recorded.connect(_route_around_prohibition, dispatch_uid="cases.route_around_prohibition")
        post_migrate.connect(_grant_role_permissions, sender=self)


def _recompute_due_dates(sender, *, days, actor, **kwargs) -> None:
    # The calendar lives in escalation, which cannot know about enquiries (DESIGN §8).
    from cases.concerns.services import concerns_due_dates_recompute
    from cases.enquiries.deadlines import enquiries_due_dates_recompute

    enquiries_due_dates_recompute(days=days, actor=actor)
    concerns_due_dates_recompute(actor=actor)


def _route_around_prohibition(sender, *, prohibition, actor, now, **kwargs) -> None:
    # A sanction (cases.concerns) made the prohibition; the enquiries it covers move at once (DESIGN §5).
    from cases.enquiries.services import enquiries_route_around_prohibition

    enquiries_route_around_prohibition(prohibition, actor=actor, now=now)


def _grant_role_permissions(**kwargs) -> None:
    """The Monitoring Officer and the Chief Executive see every enquiry (DESIGN §3). (Who sees
    a concern is need-to-know, worked out by ``cases.concerns.selectors``, not a permission.)"""
    from django.contrib.auth.models import Group, Permission

    from people.roles import Role, role_group_name

    def group(role: Role) -> Group:
        return Group.objects.get_or_create(name=role_group_name(role))[0]

    view_enquiry = Permission.objects.get(content_type__app_label="cases", codename="view_enquiry")
    for role in (Role.MONITORING_OFFICER, Role.CHIEF_EXECUTIVE):
        group(role).permissions.add(view_enquiry)
    # Democratic Services keep the list of behaviours a concern may cite (DESIGN §4).
    behaviours = Permission.objects.filter(
        content_type__app_label="cases", codename__in=["view_behaviour", "add_behaviour", "change_behaviour"]
    )
    group(Role.DEMOCRATIC_SERVICES).permissions.add(*behaviours)
