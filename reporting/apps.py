from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Standards Committee dashboards, reports and exports (DESIGN §7). Reads the
    other apps and writes nothing of theirs."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
