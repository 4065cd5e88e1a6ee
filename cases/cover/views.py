"""Cover while away (issue 15 C11): the officer's own page, their line manager's page for
each of their reports, and ending a cover early."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cases.cover import services
from cases.cover.forms import CoverEndForm, CoverForm
from cases.cover.selectors import (
    colleagues_to_cover,
    cover_get_for_user,
    cover_officer_get,
    cover_page,
    may_set_cover,
    serving_officer_of,
)
from cases.shared.errors import add_service_errors
from people.models import Cover, Officer


def _page_url(officer: Officer, user) -> str:
    own = officer.user_id == user.pk
    return reverse("cases:cover") if own else reverse("cases:cover_for", args=[officer.pk])


@require_http_methods(["GET", "POST"])
def cover_mine(request: HttpRequest) -> HttpResponse:
    """ "Cover while I am away": the officer's own covers, those they give, and their team's."""
    officer = serving_officer_of(request.user)
    if officer is None:
        raise PermissionDenied("Cover while away is for serving officers.")
    return _cover_page(request, officer)


@require_http_methods(["GET", "POST"])
def cover_for(request: HttpRequest, officer_id: int) -> HttpResponse:
    """A line manager sets up cover for one of their reports."""
    officer = cover_officer_get(officer_id)
    if officer.user_id == request.user.pk:
        return redirect("cases:cover")
    return _cover_page(request, officer)


def _cover_page(request: HttpRequest, officer: Officer) -> HttpResponse:
    if not may_set_cover(request.user, officer):
        raise PermissionDenied("Only the officer or their line manager can set up cover for them.")
    own = officer.user_id == request.user.pk
    posted = request.method == "POST"
    colleagues = colleagues_to_cover(officer)
    form = CoverForm(request.POST if posted else None, officer=officer, colleagues=colleagues, own=own)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            cover = services.cover_set(
                officer=officer,
                covered_by=data["covered_by"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                actor=request.user,
                submission_key=data["submission_key"],
            )
        except services.CoverAlreadySet as already:
            if already.cover.created_by_id == request.user.pk:
                messages.info(
                    request,
                    f"You have already set up this cover: {already.cover}. If you pressed the button twice, "
                    "it was set up once.",
                )
                return redirect(_page_url(officer, request.user))
            form.add_error(None, "This form has already been used. Open the page again to start afresh.")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            colleague = cover.covered_by.name
            if own:
                told = f"{colleague} will cover for you {cover.period}. You and {colleague} have been told by e-mail."
            else:
                told = (
                    f"{colleague} will cover for {officer.name} {cover.period}. "
                    f"{officer.name} and {colleague} have been told by e-mail."
                )
            messages.success(request, told)
            return redirect(_page_url(officer, request.user))
    context = {"page": cover_page(officer), "form": form, "own": own}
    return render(request, "cases/cover.html", context)


@require_http_methods(["GET", "POST"])
def cover_end(request: HttpRequest, cover_id: int) -> HttpResponse:
    """End a cover early, or cancel one yet to start: the officer, their line manager or the colleague."""
    cover = cover_get_for_user(request.user, cover_id)
    started = cover.has_started()
    # The colleague goes back to their own page; the officer and their manager to the officer's.
    colleague = cover.covered_by.user_id == request.user.pk
    back = reverse("cases:cover") if colleague else _page_url(cover.officer, request.user)
    posted = request.method == "POST"
    submit = "End the cover now" if started else "Cancel the cover"
    form = CoverEndForm(request.POST if posted else None, initial={"version": cover.version}, submit=submit)
    if posted and form.is_valid():
        try:
            cover = services.cover_end(cover=cover, actor=request.user, expected_version=form.cleaned_data["version"])
        except services.CoverConflict as conflict:
            messages.error(request, str(conflict))
            return redirect(back)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _ended(cover, started=started))
            return redirect(back)
    context = {"cover": cover, "form": form, "started": started, "back": back}
    return render(request, "cases/cover_end.html", context)


def _ended(cover: Cover, *, started: bool) -> str:
    what = "has ended" if started else "is cancelled"
    return (
        f"The cover by {cover.covered_by.name} for {cover.officer.name} {what}. "
        f"{cover.officer.name} and {cover.covered_by.name} have been told by e-mail."
    )
