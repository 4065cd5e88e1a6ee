from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """The organisation: who is who and who manages whom (DESIGN §2). Imports no
    other app of the portal."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = "Council organisation"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_role_groups, sender=self)


def _ensure_role_groups(**kwargs) -> None:
    # Permissions exist only after migrate has run, so the role groups are made here.
    from people.services import role_groups_ensure

    role_groups_ensure()
