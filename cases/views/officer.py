"""The officer's pages: My work and the service queue."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.forms import QueueFilterForm
from cases.models import EnquiryState
from cases.selectors import (
    QueueFilters,
    managed_services,
    may_see_service_queue,
    officer_work_queue,
    service_queue,
    with_deadline_flags,
)
from people.models import Service

QUEUE_PAGE_SIZE = 50


def my_work(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "officer", None) is None:
        raise PermissionDenied("My work is for officers.")
    enquiries = with_deadline_flags(list(officer_work_queue(request.user)))
    return render(request, "cases/my_work.html", {"enquiries": enquiries, "now": timezone.now()})


def service_queue_view(request: HttpRequest) -> HttpResponse:
    if not may_see_service_queue(request.user):
        raise PermissionDenied("The service queue is for Heads of Service and above.")
    officer = getattr(request.user, "officer", None)
    sees_all = request.user.is_superuser or request.user.has_perm("cases.view_enquiry")
    services = (
        Service.objects.order_by("name") if sees_all or officer is None else managed_services(officer).order_by("name")
    )
    form = QueueFilterForm(request.GET or None, services=services, states=EnquiryState.choices)
    filters = QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = QueueFilters(
            state=data["state"],
            service=data["service"].pk if data["service"] else None,
            ward=data["ward"].pk if data["ward"] else None,
            overdue=data["overdue"],
            text=data["q"],
        )
    page = Paginator(service_queue(request.user, filters), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "enquiries": with_deadline_flags(list(page)),
        "query": query.urlencode(),
        "now": timezone.now(),
    }
    return render(request, "cases/service_queue.html", context)
