"""Ward notices (DESIGN §6; 001 §9.4): an officer sends one for one or more wards; every
member of those wards is told, whatever their group; members see the notices for their
wards, officers those they sent.

Who sees a notice is cases.notices.selectors.ward_notices_visible_to: anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from cases.notices import services as notice_services
from cases.notices.forms import WardNoticeForm
from cases.notices.models import WardNoticeRecipient
from cases.notices.selectors import ward_notice_get_for_user, ward_notices_for_member, ward_notices_sent_by
from cases.shared.attachments import file_response
from cases.shared.errors import add_service_errors, already_submitted
from cases.shared.pages import paginate
from cases.shared.submissions import AlreadySubmitted


def _serving_officer(request: HttpRequest):
    officer = getattr(request.user, "officer", None)
    if officer is None or not officer.is_serving():
        raise PermissionDenied("Ward notices are sent by serving officers.")
    return officer


def _serving_member(request: HttpRequest):
    member = getattr(request.user, "member", None)
    if member is None or not member.is_in_office():
        raise PermissionDenied("Notices for my wards are for serving councillors.")
    return member


@require_safe
def ward_notices(request: HttpRequest) -> HttpResponse:
    """Notices for my wards: every notice for a ward the councillor represents now, and any
    sent to them, newest first, 50 a page."""
    member = _serving_member(request)
    paged = paginate(request, ward_notices_for_member(member))
    wards = list(member.wards.order_by("name"))
    return render(request, "cases/ward_notices.html", {"paged": paged, "notices": paged.rows, "wards": wards})


@require_safe
def ward_notices_sent(request: HttpRequest) -> HttpResponse:
    """Notices I have sent, newest first, 50 a page."""
    _serving_officer(request)
    paged = paginate(request, ward_notices_sent_by(request.user))
    return render(request, "cases/ward_notices_sent.html", {"paged": paged, "notices": paged.rows})


@require_http_methods(["GET", "POST"])
def ward_notice_new(request: HttpRequest) -> HttpResponse:
    _serving_officer(request)
    posted = request.method == "POST"
    form = WardNoticeForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notice_services.ward_notice_send(
                sent_by=request.user,
                kind=data["kind"],
                title=data["title"],
                concerns_on=data["concerns_on"],
                summary=data["summary"],
                wards=data["wards"],
                attachment=data["attachment"],
                confirmed_late=data["confirm_late"],
                submission_key=data["submission_key"],
            )
        except AlreadySubmitted as already:
            mine = already.case.sent_by_id == request.user.pk
            response = already_submitted(request, form, already.case, mine=mine, noun="ward notice")
            if response is not None:
                return response
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = notice.recipients.count()
            late = " It is recorded as sent after the consultation started." if notice.sent_late else ""
            messages.success(
                request,
                f"Ward notice {notice.reference} sent to {told} councillor{'s' if told != 1 else ''}, "
                f"by e-mail and in the portal.{late}",
            )
            return redirect(notice)
    return render(request, "cases/ward_notice_new.html", {"form": form})


@require_safe
def ward_notice_detail(request: HttpRequest, reference: str) -> HttpResponse:
    notice = ward_notice_get_for_user(request.user, reference)
    recipients = list(
        WardNoticeRecipient.objects.filter(notice=notice)
        .select_related("member__user")
        .order_by("member__user__last_name", "member__user__first_name", "pk")
    )
    member = getattr(request.user, "member", None)
    if notice.sent_by_id == request.user.pk:
        back = ("cases:ward_notices_sent", "Back to notices you have sent")
    elif member is not None and member.is_in_office():
        back = ("cases:ward_notices", "Back to notices for your wards")
    else:
        back = ("home", "Back to home")
    context = {
        "notice": notice,
        "wards": list(notice.wards.order_by("name")),
        "recipients": recipients,
        "back": back,
        "sender_officer": getattr(notice.sent_by, "officer", None),
    }
    return render(request, "cases/ward_notice_detail.html", context)


@require_safe
def ward_notice_attachment(request: HttpRequest, reference: str) -> FileResponse:
    notice = ward_notice_get_for_user(request.user, reference)
    if not notice.attachment:
        raise Http404("This notice has no file")
    return file_response(notice.attachment, notice.attachment_name)
