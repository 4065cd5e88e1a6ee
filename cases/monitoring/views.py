"""The Monitoring Officer's triage queue (issue 5; 000 §VIII)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cases.monitoring.selectors import TRIAGE_SORTS, triage_queue, triage_titles
from cases.shared.pages import paginate
from cases.shared.selectors import is_monitoring_officer

TRIAGE_KINDS = {
    "concern": "Concern",
    "pattern": "Pattern",
    "dispute": "Disputed enquiry",
    "positive_example": "Positive example",
}


# The columns that sort, and which way each sorts (TRIAGE_SORTS: the oldest first by age).
TRIAGE_COLUMNS = {"reference": "ascending", "kind": "ascending", "age": "descending"}


def _require_monitoring_officer(request: HttpRequest) -> None:
    if not is_monitoring_officer(request.user):
        raise PermissionDenied("This page is for the Monitoring Officer.")


@require_safe
def triage(request: HttpRequest) -> HttpResponse:
    _require_monitoring_officer(request)
    sort = request.GET.get("sort", "age")
    if sort not in TRIAGE_SORTS:
        sort = "age"
    # Sorted whole, then shown 50 a page, so each page is in the right place in the order; only
    # the page's rows need their titles.
    paged = paginate(request, triage_queue(request.user, sort=sort, titles=False))
    triage_titles(paged.rows)
    for item in paged.rows:
        item.kind_label = TRIAGE_KINDS.get(item.kind, item.kind)
    columns = {name: {"sorted": name == sort, "direction": direction} for name, direction in TRIAGE_COLUMNS.items()}
    context = {"items": paged.rows, "paged": paged, "sort": sort, "columns": columns}
    return render(request, "cases/triage.html", context)
