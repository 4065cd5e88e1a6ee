"""``dashboard(period, directorate=…, audience=…)``: every figure of one dashboard, gathered
from the modules by subject, then (for the committee) put through disclosure control."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from people.models import Directorate, Service
from reporting.figures.audiences import COMMITTEE
from reporting.figures.briefings import briefing_figures
from reporting.figures.committee import control_disclosure
from reporting.figures.concerns import concern_figures
from reporting.figures.counting import drill_link, period_sums
from reporting.figures.definitions import Dashboard
from reporting.figures.enquiries import enquiry_figures
from reporting.periods import Period


def dashboard(
    period: Period,
    *,
    directorate: Directorate | None = None,
    audience: str = COMMITTEE,
    now: datetime | None = None,
) -> Dashboard:
    """Every figure of DESIGN §7 for ``period`` (and ``directorate``), for ``audience``."""
    now = now or timezone.now()
    result = Dashboard(period=period, audience=audience, directorate=directorate)
    services = list(Service.objects.select_related("directorate").order_by("directorate__name", "name"))
    in_scope = [s.pk for s in services if directorate is None or s.directorate_id == directorate.pk]
    scope = None if directorate is None else in_scope
    sums = period_sums(period, scope)
    p = period.key
    d = directorate.pk if directorate else ""

    def drill(**params) -> str:
        return drill_link(audience, **{"period": p, "directorate": d, **params})

    directorate_parts = enquiry_figures(
        result, sums=sums, services=services, in_scope=in_scope, scope=scope, now=now, drill=drill
    )
    concern_figures(result, sums=sums, scope=scope, now=now, drill=drill)
    briefing_figures(result)
    if audience == COMMITTEE:
        control_disclosure(result, directorate_parts=directorate_parts)
    return result
