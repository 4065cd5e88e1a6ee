from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """The organisation: who is who and who manages whom (DESIGN §2). Imports no
    other app of the portal."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = "Council organisation"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_migrate

        from people import audit

        post_migrate.connect(_ensure_role_groups, sender=self)
        # The audit log (docs/security.md).
        user_logged_in.connect(audit.on_sign_in, dispatch_uid="people.audit.sign_in")
        user_login_failed.connect(audit.on_sign_in_failed, dispatch_uid="people.audit.sign_in_failed")
        user_locked_out.connect(audit.on_locked_out, dispatch_uid="people.audit.locked_out")
        user_logged_out.connect(audit.on_sign_out, dispatch_uid="people.audit.sign_out")


def _ensure_role_groups(**kwargs) -> None:
    # Permissions exist only after migrate has run, so the role groups are made here.
    from people.services import role_groups_ensure

    role_groups_ensure()
