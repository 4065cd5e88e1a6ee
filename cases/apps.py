from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Enquiries, concerns and sanctions: their state machines and pages (DESIGN §3–§5)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
