"""The subject access export's page (UK GDPR Art. 15; reporting.subject_access): Democratic
Services (and superusers) find the person and download the ZIP. Refused to everyone else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from people.audit import Origin
from people.roles import Role
from people.selectors import user_roles
from reporting.subject_access.forms import (
    ACCOUNT_KINDS,
    SUBJECT_SEARCH_LIMIT,
    SubjectAccessExportForm,
    SubjectSearchForm,
)
from reporting.subject_access.services import KINDS, subject_access_export


def may_export_subject_access(user) -> bool:
    """Democratic Services administrators and superusers (DESIGN §1: they run the portal)."""
    return user.is_authenticated and (user.is_superuser or Role.DEMOCRATIC_SERVICES in user_roles(user))


def _account_kind(user) -> str:
    if hasattr(user, "member"):
        return "Councillor"
    if hasattr(user, "officer"):
        return f"Officer, {user.officer.job_title}"
    return ACCOUNT_KINDS["neither"]


@require_http_methods(["GET", "HEAD", "POST"])
def subject_access(request: HttpRequest) -> HttpResponse:
    if not may_export_subject_access(request.user):
        raise PermissionDenied("Subject access exports are produced by Democratic Services.")
    searched = "q" in request.GET or "kind" in request.GET
    search = SubjectSearchForm(request.GET if searched else None)
    people = search.people() if searched and search.is_valid() else None
    form = SubjectAccessExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        produced = subject_access_export(
            subject=form.cleaned_data["person"],
            actor=request.user,
            origin=Origin.of(request),
            reference=form.cleaned_data["reference"],
        )
        return FileResponse(
            produced.file, as_attachment=True, filename=produced.filename, content_type="application/zip"
        )
    context = {
        "search": search,
        "form": form,
        "people": [(person, _account_kind(person)) for person in (people or [])[:SUBJECT_SEARCH_LIMIT]],
        "searched": people is not None,
        "more": people is not None and len(people) > SUBJECT_SEARCH_LIMIT,
        "limit": SUBJECT_SEARCH_LIMIT,
        "kinds": KINDS,
        "chosen": str(form["person"].value() or ""),
    }
    return render(request, "reporting/subject_access.html", context)
