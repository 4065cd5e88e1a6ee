"""The officer directory and the councillors' profiles (003), and a councillor's photo."""

from __future__ import annotations

from pathlib import PurePath

from csp.decorators import csp_exempt
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from people import services
from people.forms import INDEPENDENT, MemberProfileForm, MemberRecordForm, MemberSearchForm, OfficerSearchForm
from people.models import Member
from people.photos import photo_content_type
from people.selectors import (
    may_use_directory,
    member_directory,
    member_profile,
    officer_directory,
    runs_the_portal,
    services_with_liaison_officers,
)

PAGE_SIZE = 50


# The photo is a checked PNG or JPEG sent with nosniff, so it is never read as a page; a
# Content-Security-Policy on it would only stop the browser's own viewer (shown when the
# photo is opened on its own) from styling it.
@csp_exempt()
@require_safe
def member_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A councillor's photo, for anyone signed in (LoginRequiredMiddleware): members are
    public figures, and their profile pages show it (003)."""
    member = get_object_or_404(Member.objects.exclude(photo=""), pk=pk)
    response = FileResponse(
        member.photo.open("rb"),
        filename=PurePath(member.photo.name).name,
        content_type=photo_content_type(member.photo.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The directory (003) -----------------------------------------------------------------


def _require_directory(request: HttpRequest) -> None:
    if not may_use_directory(request.user):
        raise PermissionDenied("The directory is for serving councillors and officers.")


def _paginate(request: HttpRequest, items: QuerySet) -> dict:
    """One page of 50: the count, the page's keys, then its rows with what they show (three
    queries, and the prefetches, however many rows match), as cases.shared.pages does."""
    paginator = Paginator(items.values_list("pk", flat=True), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    keys = list(page)
    by_pk = items.in_bulk(keys) if keys else {}
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "rows": [by_pk[pk] for pk in keys if pk in by_pk],
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
        "query": query.urlencode(),
    }


@require_safe
def officer_directory_view(request: HttpRequest) -> HttpResponse:
    """003: "an up to date online directory" of officers, with the Councillor Liaison
    Officers marked, so members can approach the right officer beyond the Leadership Team."""
    _require_directory(request)
    form = OfficerSearchForm(request.GET if request.GET else None)
    data = form.valid_data()
    officers = officer_directory(text=data.get("q", ""), service=data.get("service"))
    return render(request, "people/officer_directory.html", {"form": form, "paged": _paginate(request, officers)})


@require_safe
def liaison_officers_view(request: HttpRequest) -> HttpResponse:
    """003: each service's Councillor Liaison Officers, the members' first point of contact."""
    _require_directory(request)
    return render(request, "people/liaison_officers.html", {"services": services_with_liaison_officers()})


@require_safe
def member_directory_view(request: HttpRequest) -> HttpResponse:
    """003: the councillors' profiles, found by name, ward or political group."""
    _require_directory(request)
    form = MemberSearchForm(request.GET if request.GET else None)
    data = form.valid_data()
    group = data.get("group", "")
    members = member_directory(
        text=data.get("q", ""),
        ward=data.get("ward"),
        group=form.groups.get(group),
        independent=group == INDEPENDENT,
    )
    own = getattr(request.user, "member", None)
    context = {"form": form, "paged": _paginate(request, members), "own": own if own and own.is_in_office() else None}
    return render(request, "people/member_directory.html", context)


@require_safe
def member_profile_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_directory(request)
    member = member_profile(pk=pk)
    context = {
        "member": member,
        "is_own": member.user_id == request.user.pk and member.is_in_office(),
        "runs_the_portal": runs_the_portal(request.user),
    }
    return render(request, "people/member_profile.html", context)


def _conflict(request: HttpRequest, form, conflict: services.MemberConflict) -> None:
    form.add_error(None, str(conflict))
    # The form now carries the latest version, so sending it again applies it on top.
    form.data = form.data.copy()
    form.data["version"] = str(conflict.member.version)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def member_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """003: a councillor keeps their own contact details, photograph, additional
    responsibilities and skills up to date. Nobody else may, on the server too."""
    member = get_object_or_404(Member.objects.select_related("user"), pk=pk)
    if member.user_id != request.user.pk or not member.is_in_office():
        raise PermissionDenied("Only the councillor can change their own profile.")
    has_photo = bool(member.photo)
    if request.method == "POST":
        form = MemberProfileForm(request.POST, request.FILES, has_photo=has_photo)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.member_profile_update(
                    member=member,
                    actor=request.user,
                    expected_version=data["version"],
                    email=data["email"],
                    phone=data["phone"],
                    postal_address=data["postal_address"],
                    skills_and_interests=data["skills_and_interests"],
                    other_responsibilities=data["other_responsibilities"],
                    photo=data["photo"],
                    remove_photo=data.get("remove_photo", False),
                )
            except services.MemberConflict as conflict:
                _conflict(request, form, conflict)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Your profile has been saved.")
                return redirect("people:member_profile", pk=member.pk)
    else:
        form = MemberProfileForm(
            initial={
                "version": member.version,
                "email": member.user.email,
                "phone": member.phone,
                "postal_address": member.postal_address,
                "skills_and_interests": member.skills_and_interests,
                "other_responsibilities": member.other_responsibilities,
            },
            has_photo=has_photo,
        )
    return render(request, "people/member_profile_edit.html", {"form": form, "member": member})


def member_record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """DESIGN §1, 003: Democratic Services keeps the rest of a councillor's record."""
    if not runs_the_portal(request.user):
        raise PermissionDenied("Only Democratic Services can change a councillor's record.")
    member = get_object_or_404(Member.objects.select_related("user", "group"), pk=pk)
    if request.method == "POST":
        form = MemberRecordForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.member_record_update(
                    member=member,
                    actor=request.user,
                    expected_version=data["version"],
                    group=data["group"],
                    wards=data["wards"],
                    committees=data["committees"],
                    elected_on=data["elected_on"],
                )
            except services.MemberConflict as conflict:
                _conflict(request, form, conflict)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, f"The record of {member} has been saved.")
                return redirect("people:member_profile", pk=member.pk)
    else:
        form = MemberRecordForm(
            initial={
                "version": member.version,
                "group": member.group,
                "wards": list(member.wards.all()),
                "committees": list(member.committees.all()),
                "elected_on": member.elected_on,
            }
        )
    admin_url = reverse("admin:people_member_change", args=[member.pk]) if request.user.is_staff else ""
    return render(request, "people/member_record_edit.html", {"form": form, "member": member, "admin_url": admin_url})
