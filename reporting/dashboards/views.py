"""The dashboards (DESIGN §7; issue 6): the figures, their CSV downloads, and the
drill-down from a figure to the cases behind it.

Two audiences, decided by role: the Standards Committee's members and its Chair see
the committee view (disclosure-controlled, no names, no links to cases); the
Monitoring Officer and the Chief Executive see the operational view (every number,
and each figure links to the cases behind it that they may see). Anyone else: 403.
"""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from cases.enquiries.selectors import with_deadline_flags
from cases.models import ConcernKind
from cases.shared.pages import paginate
from people.models import Directorate
from reporting import charts
from reporting.dashboards.drilldown import Drill, concerns_behind, enquiries_behind
from reporting.dashboards.forms import METRICS, DashboardFilterForm, DrilldownForm
from reporting.disclosure import Cell, Table
from reporting.figures import OPERATIONAL, OUTCOME_NAMES, RUNG_NAMES, STAGE_NAMES, audience_for, dashboard
from reporting.models import SummaryState
from reporting.periods import parse
from reporting.summaries import STATE_NAME

# A drill-down counts at most this many cases (cases.shared.pages.CappedPaginator): the
# figure it came from gives the full number, and twenty pages is as far as anyone reads;
# past it the directorate and service narrow the list. Counting the ten thousand enquiries
# a busy year missed would cost more than the rest of the page (docs/performance.md).
DRILLDOWN_COUNT_CAP = 1_000

# What each table's rows are, for its first column (on the page and in the CSV).
ROW_HEADINGS = {
    "escalations": "Rung",
    "by_directorate": "Directorate",
    "by_service": "Service",
    "by_month": "Month",
    "promised": "Month",
    "concerns_by_kind": "Kind",
    "ladder": "Stage",
    "outcomes": "Outcome",
    "behaviours": "Behaviour",
    "briefings": "Briefings",
}


def _require_audience(request: HttpRequest) -> str:
    audience = audience_for(request.user)
    if audience is None:
        raise PermissionDenied("The dashboards are for the Standards Committee and the statutory officers.")
    return audience


# --- The dashboard ---------------------------------------------------------------------------


@require_safe
def dashboard_view(request: HttpRequest) -> HttpResponse:
    audience = _require_audience(request)
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, today=today)
    period, directorate = form.filters()
    figures = dashboard(period, directorate=directorate, audience=audience)
    tables = figures.tables
    for slug, table in tables.items():
        table.row_heading = ROW_HEADINGS.get(slug, "")
    by_directorate = tables["by_directorate"]
    state = SummaryState.objects.filter(name=STATE_NAME).first()
    context = {
        "form": form,
        "figures": figures,
        "period": period,
        "directorate": directorate,
        "operational": audience == OPERATIONAL,
        "filters": urlencode({"period": period.key, "directorate": directorate.pk if directorate else ""}),
        "refreshed_at": state.refreshed_at if state else None,
        "tables": tables,
        "headline": _figures(figures.headline, figures.definitions),
        "concern_headline": _figures(figures.concern_headline, figures.definitions),
        "briefing_headline": _figures(figures.briefing_headline, figures.definitions),
        "trend_chart": charts.trend_chart(figures.trend, period_label=period.label),
        "directorate_chart": charts.directorate_chart(
            [row for n, row in enumerate(by_directorate.rows) if n != by_directorate.total_row],
            period_label=period.label,
        ),
        "ladder_chart": charts.ladder_chart(tables["ladder"].rows, period_label=period.label),
    }
    return render(request, "reporting/dashboard.html", context)


def _figures(headline: list[tuple[str, Cell, str]], definitions: dict[str, str]) -> list[dict]:
    return [{"label": label, "cell": cell, "definition": definitions.get(key, "")} for label, cell, key in headline]


# --- CSV -------------------------------------------------------------------------------------


def _csv_text(text: str) -> str:
    """A label as a spreadsheet will show it, never as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_value(cell: Cell) -> str:
    if cell.suppressed:
        return cell.text
    if cell.value is None:
        return ""
    if isinstance(cell.value, float):
        return f"{cell.value:g}"
    return str(cell.value)


def _directorate_from(value: str) -> Directorate | None:
    if not value:
        return None
    try:
        return Directorate.objects.get(pk=int(value))
    except (ValueError, Directorate.DoesNotExist):
        raise Http404("No such directorate") from None


@require_safe
def table_csv(request: HttpRequest, table: str) -> HttpResponse:
    audience = _require_audience(request)
    if table not in ROW_HEADINGS:
        raise Http404("No such table")
    period = parse(request.GET.get("period", ""), today=timezone.localdate())
    directorate = _directorate_from(request.GET.get("directorate", ""))
    found: Table = dashboard(period, directorate=directorate, audience=audience).tables[table]
    name = "-".join(part for part in (slugify(found.title), slugify(directorate.name) if directorate else "") if part)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{period.key}.csv"'
    writer = csv.writer(response)
    writer.writerow([ROW_HEADINGS[table], *found.columns])
    for label, cells in found.rows:
        writer.writerow([_csv_text(label), *(_csv_value(cell) for cell in cells)])
    return response


# --- Drill-down ------------------------------------------------------------------------------


def _drill_from(request: HttpRequest) -> Drill:
    form = DrilldownForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        raise Http404("No such figure")
    data = form.cleaned_data
    return Drill(
        metric=data["metric"],
        period=data["period"],
        directorate=data["directorate"],
        service=data["service"],
        rung=data["rung"],
        kind=data["kind"],
        stage=data["stage"],
        outcome=data["outcome"],
    )


def _describe(drill: Drill) -> str:
    title = METRICS[drill.metric]
    if drill.rung is not None:
        title += f" ({RUNG_NAMES.get(str(drill.rung), f'rung {drill.rung}').lower()})"
    if drill.kind:
        title += f": {ConcernKind(drill.kind).label.lower()}"
    if drill.stage is not None:
        title += f" that reached {STAGE_NAMES[str(drill.stage)].lower()}"
    if drill.outcome:
        title += f", ended: {OUTCOME_NAMES[drill.outcome].lower()}"
    return title


@require_safe
def drilldown(request: HttpRequest) -> HttpResponse:
    if _require_audience(request) != OPERATIONAL:
        raise PermissionDenied("The cases behind the figures are for the Monitoring Officer and Chief Executive.")
    drill = _drill_from(request)
    now = timezone.now()
    if drill.is_about_concerns:
        cases = concerns_behind(request.user, drill)
    else:
        cases = enquiries_behind(request.user, drill, now=now)
    paged = paginate(request, cases, cap=DRILLDOWN_COUNT_CAP)
    rows = paged.rows if drill.is_about_concerns else with_deadline_flags(paged.rows, now=now)
    back = {"period": drill.period.key, "directorate": drill.directorate.pk if drill.directorate else ""}
    context = {
        "drill": drill,
        "title": _describe(drill),
        "paged": paged,
        "rows": rows,
        "noun": "concerns" if drill.is_about_concerns else "enquiries",
        "dashboard_query": urlencode(back),
    }
    return render(request, "reporting/drilldown.html", context)
