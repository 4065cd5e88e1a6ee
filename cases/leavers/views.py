"""Democratic Services records that a councillor leaves office (003; cases.leavers)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cases.leavers import services as leavers
from cases.leavers.forms import LeaveOfficeForm
from cases.shared.errors import add_service_errors
from people.models import Member
from people.selectors import runs_the_portal
from people.services import MemberConflict


def member_leave(request: HttpRequest, member_id: int) -> HttpResponse:
    if not runs_the_portal(request.user):
        raise PermissionDenied("Only Democratic Services can record that a councillor left office.")
    member = get_object_or_404(Member.objects.select_related("user"), pk=member_id)
    if not member.is_in_office():
        raise PermissionDenied(f"{member} has already left office.")
    enquiries = leavers.open_enquiries_filed_by(member)
    posted = request.method == "POST"
    form = _form(request, member, enquiries, posted=posted)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            leavers.member_leave_office(
                member=member,
                actor=request.user,
                left_on=data["left_on"],
                dispositions={
                    pk: leavers.Disposition(successor=successor, reason=reason)
                    for pk, (successor, reason) in form.dispositions.items()
                },
                expected_version=data["version"],
            )
        except (MemberConflict, leavers.LeaverConflict) as conflict:
            member.refresh_from_db()
            form = _form(request, member, leavers.open_enquiries_filed_by(member), posted=False)
            form.add_error(None, str(conflict))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{member} leaves office on {data['left_on']:%-d %B %Y}: "
                f"{len(form.dispositions)} enquiries handed on or closed. Their access ends after that day.",
            )
            return redirect("people:member_profile", pk=member.pk)
    context = {
        "form": form,
        "member": member,
        "concerns": leavers.open_concerns_involving(member),
    }
    return render(request, "cases/member_leave.html", context)


def _form(request: HttpRequest, member: Member, enquiries, *, posted: bool) -> LeaveOfficeForm:
    successors = leavers.successors_for(member)
    colleagues = successors[0]
    return LeaveOfficeForm(
        request.POST if posted else None,
        initial={"version": member.version},
        enquiries=enquiries,
        successors=successors,
        suggested=colleagues[0] if colleagues else None,
    )
