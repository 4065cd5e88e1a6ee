from django.conf import settings
from django.core import checks


@checks.register()
def retention_overrides_name_known_kinds(app_configs, **kwargs):
    """RETENTION_MONTHS may only change periods of kinds the schedule has (a typo would
    otherwise leave the default in place without anyone noticing)."""
    from protocol_portal.retention.schedule import KINDS_BY_SLUG

    return [
        checks.Error(
            f"RETENTION_MONTHS names {slug!r}, which is not a kind of record in the retention schedule.",
            hint=f"Use one of: {', '.join(KINDS_BY_SLUG)}.",
            id="retention.E001",
        )
        for slug in settings.RETENTION_MONTHS
        if slug not in KINDS_BY_SLUG
    ]


@checks.register()
def retention_keeps_concerns_through_the_pattern_window(app_configs, **kwargs):
    """000 §VIII: a pattern is three informal actions within CONCERN_PATTERN_MONTHS. Concerns
    anonymised sooner would all count against one placeholder, and real patterns would vanish."""
    months = settings.RETENTION_MONTHS.get("concerns")
    if months is None or months >= settings.CONCERN_PATTERN_MONTHS:
        return []
    return [
        checks.Error(
            f"RETENTION_MONTHS gives concerns {months} months, shorter than CONCERN_PATTERN_MONTHS "
            f"({settings.CONCERN_PATTERN_MONTHS}): patterns of informal action would be lost.",
            id="retention.E002",
        )
    ]
