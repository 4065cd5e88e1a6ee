"""The officer's pages: My work and the service queue."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.enquiries.forms import enquiry_list_form
from cases.enquiries.selectors import (
    managed_services,
    may_see_service_queue,
    officer_work_queue,
    service_queue,
    with_deadline_flags,
)
from cases.shared.pages import paginate
from people.models import Service
from people.selectors import covers_involving

QUEUE_COUNT_CAP = 10_000


def my_work(request: HttpRequest) -> HttpResponse:
    """Open enquiries the officer owns, and those of colleagues they cover for while they are
    away (issue 15 C11), soonest due first, 50 a page (the Chief Executive's also holds every
    dispute waiting for a decision); and who covers for whom."""
    officer = getattr(request.user, "officer", None)
    if officer is None:
        raise PermissionDenied("My work is for officers.")
    covers = covers_involving(officer=officer)
    covering = [cover.officer_id for cover in covers if cover.covered_by_id == officer.pk and cover.is_in_force()]
    form = enquiry_list_form(request.GET, page="work", services=Service.objects.order_by("name"))
    paged = paginate(request, officer_work_queue(request.user, form.filters(), covering=covering))
    context = {
        "form": form,
        "enquiries": with_deadline_flags(paged.rows),
        "paged": paged,
        "now": timezone.now(),
        "officer": officer,
        "covers": covers,
        "covering": covering,
    }
    return render(request, "cases/my_work.html", context)


def service_queue_view(request: HttpRequest) -> HttpResponse:
    if not may_see_service_queue(request.user):
        raise PermissionDenied("The service queue is for Heads of Service and above.")
    officer = getattr(request.user, "officer", None)
    sees_all = request.user.is_superuser or request.user.has_perm("cases.view_enquiry")
    services = (
        Service.objects.order_by("name") if sees_all or officer is None else managed_services(officer).order_by("name")
    )
    form = enquiry_list_form(request.GET, page="queue", services=services)
    filters = form.filters()
    # A service's queue holds every enquiry it has had: a quarter of a million in a decade for the
    # busiest, so the count stops at QUEUE_COUNT_CAP (the filters find the rest).
    paged = paginate(request, service_queue(request.user, filters), cap=QUEUE_COUNT_CAP)
    context = {
        "form": form,
        "paged": paged,
        "enquiries": with_deadline_flags(paged.rows),
        "now": timezone.now(),
    }
    return render(request, "cases/service_queue.html", context)
