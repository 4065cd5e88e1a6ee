"""The officer's pages: My work and the service queue, and reassigning from the queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition

from cases.enquiries import services
from cases.enquiries.forms import BulkReassignForm, enquiry_list_form
from cases.enquiries.models import AWAITING_RESPONSE
from cases.enquiries.selectors import (
    managed_services,
    may_reassign_from_queue,
    may_see_service_queue,
    officer_work_queue,
    queue_colleagues,
    service_queue,
    with_deadline_flags,
)
from cases.shared.lists import ListFilters
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


def _queue_services(request: HttpRequest) -> QuerySet[Service]:
    officer = getattr(request.user, "officer", None)
    sees_all = request.user.is_superuser or request.user.has_perm("cases.view_enquiry")
    if sees_all or officer is None:
        return Service.objects.order_by("name")
    return managed_services(officer).order_by("name")


def _bulk_form(request: HttpRequest, data=None) -> BulkReassignForm | None:
    """Issue 15 C12: the form to reassign the ticked enquiries, for those who may reassign what
    their queue holds (a manager of its services, the Chief Executive), else None."""
    if not may_reassign_from_queue(request.user):
        return None
    return BulkReassignForm(data, officers=queue_colleagues(request.user))


def _queue_page(request: HttpRequest, *, bulk_form: BulkReassignForm | None) -> HttpResponse:
    form = enquiry_list_form(request.GET, page="queue", services=_queue_services(request))
    filters = form.filters()
    # A service's queue holds every enquiry it has had: a quarter of a million in a decade for the
    # busiest, so the count stops at QUEUE_COUNT_CAP (the filters find the rest).
    paged = paginate(request, service_queue(request.user, filters), cap=QUEUE_COUNT_CAP)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "paged": paged,
        "enquiries": with_deadline_flags(paged.rows),
        "now": timezone.now(),
        "bulk_form": bulk_form,
        "bulk_action": reverse("cases:service_queue_reassign") + (f"?{query}" if query else ""),
        "awaiting": AWAITING_RESPONSE,
    }
    return render(request, "cases/service_queue.html", context)


def service_queue_view(request: HttpRequest) -> HttpResponse:
    if not may_see_service_queue(request.user):
        raise PermissionDenied("The service queue is for Heads of Service and above.")
    return _queue_page(request, bulk_form=_bulk_form(request))


@require_POST
def service_queue_reassign(request: HttpRequest) -> HttpResponse:
    """Issue 15 C12: reassign the enquiries ticked in the queue to one colleague, with a reason,
    all or none (services.enquiries_reassign); the queue comes back with the same filters."""
    if not may_see_service_queue(request.user):
        raise PermissionDenied("The service queue is for Heads of Service and above.")
    form = _bulk_form(request, request.POST)
    if form is None:
        raise PermissionDenied("Only a manager of the service can reassign its enquiries.")
    if form.is_valid():
        ticked = dict(form.cleaned_data["enquiries"])
        # Only what this person's queue holds: anything else is refused by name, as not theirs.
        found = service_queue(request.user, ListFilters()).filter(reference__in=ticked).in_bulk(field_name="reference")
        missing = [reference for reference in ticked if reference not in found]
        if missing:
            form.add_error("enquiries", f"Not in your service queue: {', '.join(missing)}. Nothing was reassigned.")
        else:
            try:
                done = services.enquiries_reassign(
                    ticked=[services.Ticked(found[reference], version) for reference, version in ticked.items()],
                    actor=request.user,
                    new_owner=form.cleaned_data["new_owner"],
                    reason=form.cleaned_data["reason"],
                )
            except (services.EnquiryConflict, ConcurrentTransition) as conflict:
                changed = getattr(conflict, "enquiry", None)
                what = changed.reference if changed is not None else "One of the enquiries"
                form.add_error(
                    None,
                    f"{what} was changed by someone else since you loaded the queue. Nothing was reassigned: "
                    "check the queue below, which shows the latest, and try again.",
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                form.add_error(None, "Nothing was reassigned.")
            else:
                owner = form.cleaned_data["new_owner"]
                count = f"{len(done)} enquiries" if len(done) != 1 else "1 enquiry"
                messages.success(
                    request,
                    f"{count} reassigned to {owner.name}, {owner.job_title}: {', '.join(sorted(ticked))}. "
                    "Each councillor has been told.",
                )
                query = request.GET.urlencode()
                return redirect(reverse("cases:service_queue") + (f"?{query}" if query else ""))
    return _queue_page(request, bulk_form=form)
