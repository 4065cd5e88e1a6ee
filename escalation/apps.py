from django.apps import AppConfig


class EscalationConfig(AppConfig):
    """The policy of time and seniority: working days, the chain of command, routing
    and the deadline sweep (DESIGN §8). Knows `people`, never `cases`."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "escalation"
