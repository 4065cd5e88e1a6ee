"""The councillor's pages: My enquiries and filing a new enquiry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.enquiries import services
from cases.enquiries.forms import EnquiryForm, enquiry_list_form
from cases.enquiries.selectors import member_enquiries, with_deadline_flags
from cases.shared.errors import add_service_errors, already_submitted
from cases.shared.pages import paginate
from cases.shared.submissions import AlreadySubmitted
from people.models import Service


def _member(request: HttpRequest):
    member = getattr(request.user, "member", None)
    if member is None or not member.is_in_office():
        raise PermissionDenied("Only serving councillors file enquiries.")
    return member


def my_enquiries(request: HttpRequest) -> HttpResponse:
    """A councillor's enquiries, newest first, 50 a page: a busy councillor files thousands
    over the years, and the page costs the same whatever the number."""
    _member(request)
    form = enquiry_list_form(request.GET, page="mine", services=Service.objects.order_by("name"))
    paged = paginate(request, member_enquiries(request.user, form.filters()))
    context = {"form": form, "enquiries": with_deadline_flags(paged.rows), "paged": paged}
    return render(request, "cases/my_enquiries.html", context)


def enquiry_new(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    posted = request.method == "POST"
    form = EnquiryForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry = services.enquiry_file(
                member=member,
                subject=data["subject"],
                details=data["details"],
                service=data["service"],
                purpose=data["purpose"],
                ward=data["ward"],
                constituent_lives_in_ward=data["constituent_lives_in_ward"],
                acting_for_constituent=data["acting_for_constituent"],
                information_needed_for_complaint=data["information_needed_for_complaint"],
                attachments=data["attachments"],
                submission_key=data["submission_key"],
            )
        except AlreadySubmitted as already:
            response = already_submitted(
                request, form, already.case, mine=already.case.member_id == member.pk, noun="enquiry"
            )
            if response is not None:
                return response
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Enquiry {enquiry.reference} sent to {enquiry.owner.name}, {enquiry.owner.job_title}"
                f"{services.enquiry_owner_because(enquiry)}. "
                f"It is due by the end of {enquiry.due_on:%A %-d %B %Y}.",
            )
            return redirect(enquiry)
    return render(request, "cases/enquiry_new.html", {"form": form})
