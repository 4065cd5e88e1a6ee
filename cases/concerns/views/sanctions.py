"""The Monitoring Officer's pages on sanctions (issue 5; 000 §VIII): the sanctions register,
and bringing a contact prohibition's end forward or extending it (issue 15 A6). (The triage
queue is cases.monitoring.)"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from cases.concerns import services
from cases.concerns.forms import ProhibitionEndForm, ProhibitionExtendForm
from cases.concerns.models import Sanction
from cases.concerns.selectors import prohibition_get_for_user, sanctions_register
from cases.shared.errors import add_service_errors
from cases.shared.pages import paginate
from cases.shared.selectors import is_monitoring_officer
from people.models import ContactProhibition


def _require_monitoring_officer(request: HttpRequest) -> None:
    if not is_monitoring_officer(request.user):
        raise PermissionDenied("This page is for the Monitoring Officer.")


@require_safe
def sanctions_register_view(request: HttpRequest) -> HttpResponse:
    _require_monitoring_officer(request)
    today = timezone.localdate()
    paged = paginate(request, sanctions_register(request.user))
    sanctions = paged.rows
    for sanction in sanctions:
        prohibition = sanction.prohibition
        if sanction.kind == Sanction.Kind.CONTACT_PROHIBITION and prohibition is not None:
            sanction.in_force = prohibition.is_active(on=today)
            sanction.not_started = prohibition.starts_on > today
            # It can still be brought to an end while it is in force or yet to start, and
            # extended then too unless it is indefinite already.
            sanction.may_end = prohibition.ends_on is None or prohibition.ends_on >= today
            sanction.may_extend = prohibition.ends_on is not None and prohibition.ends_on >= today
        else:
            sanction.in_force = sanction.not_started = sanction.may_end = sanction.may_extend = None
    return render(request, "cases/sanctions.html", {"sanctions": sanctions, "paged": paged, "today": today})


def _prohibition_change_page(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[forms.Form],
    title: str,
    intro: str,
    perform: Callable[[ContactProhibition, dict], ContactProhibition],
    message: Callable[[ContactProhibition], str],
) -> HttpResponse:
    """Ending a contact prohibition early or extending it: the same page, the Monitoring
    Officer's only (404 to anyone else: a prohibition is a sanction's detail)."""
    prohibition = prohibition_get_for_user(request.user, pk)
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            prohibition = perform(prohibition, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message(prohibition))
            return redirect("cases:sanctions")
    context = {"prohibition": prohibition, "form": form, "title": title, "intro": intro}
    return render(request, "cases/prohibition_change.html", context)


@require_http_methods(["GET", "POST"])
def prohibition_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _prohibition_change_page(
        request,
        pk,
        form_class=ProhibitionEndForm,
        title="End a contact prohibition early",
        intro="Bring its last day forward. From the day after, the councillor's enquiries go to those officers "
        "again (DESIGN §5). The change is recorded on the concern.",
        perform=lambda prohibition, data: services.prohibition_end_early(
            prohibition=prohibition, actor=request.user, ends_on=data["ends_on"], reason=data["reason"]
        ),
        message=lambda prohibition: (
            f"The prohibition on {prohibition.member} contacting {prohibition.covers} now "
            f"ends on {prohibition.ends_on:%A %-d %B %Y}. The councillor has been told."
        ),
    )


@require_http_methods(["GET", "POST"])
def prohibition_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue 15 A6: a later last day, or indefinitely, where a second prohibition was refused."""

    def message(prohibition: ContactProhibition) -> str:
        until = f"until {prohibition.ends_on:%A %-d %B %Y}" if prohibition.ends_on else "indefinitely"
        return (
            f"The prohibition on {prohibition.member} contacting {prohibition.covers} now applies {until}. "
            "The councillor has been told."
        )

    return _prohibition_change_page(
        request,
        pk,
        form_class=ProhibitionExtendForm,
        title="Extend a contact prohibition",
        intro="Move its last day later, or make it apply indefinitely, rather than recording a second prohibition "
        "for the same contact. The change is recorded on the concern, and the councillor is told.",
        perform=lambda prohibition, data: services.prohibition_extend(
            prohibition=prohibition, actor=request.user, ends_on=data["ends_on"], reason=data["reason"]
        ),
        message=message,
    )
