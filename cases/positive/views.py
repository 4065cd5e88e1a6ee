"""Positive examples (000 §VI): where member-officer working went well, recorded by a
councillor or an officer, passed on by the relevant Assistant Director and recorded by
the Monitoring Officer for the protocol's monitoring and reports.

Who sees one is cases.positive.selectors.positive_examples_visible_to (its recorder, the
Assistant Director it went to, the Monitoring Officer): anyone else gets 404. Each
action page checks the transition's permission for GET and POST alike: 403 when the
person sees the example but may not act on it now.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django_fsm import has_transition_perm

from cases.positive import services as services
from cases.positive.forms import PositiveExampleAcknowledgeForm, PositiveExampleForm, PositiveExampleForwardForm
from cases.positive.models import PositiveExample, PositiveExampleState
from cases.positive.selectors import positive_example_get_for_user, positive_examples_visible_to
from cases.shared.errors import (
    add_service_errors,
    already_submitted,
    changed_since_loaded,
    remember_sent,
    saved_already,
    sent_twice,
)
from cases.shared.selectors import is_monitoring_officer
from cases.shared.submissions import AlreadySubmitted
from people.roles import Role
from people.selectors import user_roles

INTRO = (
    "000 §VI: members and officers should think regularly about where they have achieved results, at least in "
    "part, through positive member-officer relationships. What you record goes to the service's Assistant "
    "Director (or its Director if it has none), who adds a comment and passes it to the Monitoring Officer. "
    "The Monitoring Officer records it, and it counts in the protocol's monitoring and reports to the "
    "Standards Committee."
)


def _may_record(user) -> bool:
    """A serving councillor or a serving officer (000 §VI: members and officers)."""
    member = getattr(user, "member", None)
    officer = getattr(user, "officer", None)
    return (member is not None and member.is_in_office()) or (officer is not None and officer.is_serving())


def _require_member_or_officer(request: HttpRequest) -> None:
    if not _may_record(request.user):
        raise PermissionDenied("Only serving councillors and officers record positive examples.")


@require_safe
def positive_examples(request: HttpRequest) -> HttpResponse:
    _require_member_or_officer(request)
    user = request.user
    # One query for every example this person may see, split here into the page's lists.
    examples = list(positive_examples_visible_to(user))
    roles = user_roles(user)
    waiting_for_you = [
        e
        for e in examples
        if e.state == PositiveExampleState.WITH_ASSISTANT_DIRECTOR and e.assistant_director.user_id == user.pk
    ]
    is_mo = is_monitoring_officer(user)
    context = {
        "mine": [e for e in examples if e.recorded_by_id == user.pk],
        "waiting_for_you": waiting_for_you,
        "show_waiting_for_you": bool(waiting_for_you) or bool(roles & {Role.ASSISTANT_DIRECTOR, Role.DIRECTOR}),
        "is_monitoring_officer": is_mo,
        "to_record": [e for e in examples if e.state == PositiveExampleState.WITH_MONITORING_OFFICER] if is_mo else [],
        "recorded": [e for e in examples if e.state == PositiveExampleState.RECORDED] if is_mo else [],
    }
    return render(request, "cases/positive_examples.html", context)


@require_http_methods(["GET", "POST"])
def positive_example_new(request: HttpRequest) -> HttpResponse:
    _require_member_or_officer(request)
    posted = request.method == "POST"
    officer = getattr(request.user, "officer", None)
    initial = {"service": officer.service_id} if officer is not None and officer.service_id else None
    form = PositiveExampleForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            example = services.positive_example_record(
                recorded_by=request.user,
                title=data["title"],
                what_happened=data["what_happened"],
                happened_on=data["happened_on"],
                service=data["service"],
                members=data["members"],
                officers=data["officers"],
                submission_key=data["submission_key"],
            )
        except AlreadySubmitted as already:
            mine = already.case.recorded_by_id == request.user.pk
            response = already_submitted(request, form, already.case, mine=mine, noun="positive example")
            if response is not None:
                return response
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Positive example {example.reference} sent to {example.assistant_director.name}, "
                f"{example.assistant_director.job_title}, who will pass it to the Monitoring Officer. Thank you.",
            )
            return redirect(example)
    return render(request, "cases/positive_example_new.html", {"form": form, "intro": INTRO})


def _actions(example: PositiveExample, user) -> list[tuple[str, str]]:
    """The buttons this person may use now: (label, URL name)."""
    actions = []
    if has_transition_perm(example.forward, user):
        actions.append(("Add your comment and pass it on", "cases:positive_example_forward"))
    if has_transition_perm(example.acknowledge, user):
        actions.append(("Record it", "cases:positive_example_acknowledge"))
    return actions


@require_safe
def positive_example_detail(request: HttpRequest, reference: str) -> HttpResponse:
    example = positive_example_get_for_user(request.user, reference)
    context = {
        "example": example,
        "members": list(example.members.all()),
        "officers": list(example.officers.all()),
        "actions": _actions(example, request.user),
    }
    return render(request, "cases/positive_example_detail.html", context)


def _action_page(
    request: HttpRequest,
    reference: str,
    *,
    transition: str,
    title: str,
    intro: str,
    form_class: type[forms.Form],
    perform: Callable[[PositiveExample, dict], str],
) -> HttpResponse:
    example = positive_example_get_for_user(request.user, reference)
    if sent_twice(request):
        messages.error(request, saved_already(example.reference))
        return redirect(example)
    if not has_transition_perm(getattr(example, transition), request.user):
        raise PermissionDenied("You cannot do this to this positive example now.")
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                message = perform(example, form.cleaned_data)
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    # The page was out of date (the services' version check): show the latest.
                    messages.error(request, changed_since_loaded(PositiveExample.objects.get(pk=example.pk)))
                    return redirect(example)
                add_service_errors(form, error)
            else:
                remember_sent(request, form.cleaned_data["version"])
                messages.success(request, message)
                return redirect(example)
    else:
        form = form_class(initial={"version": example.version})
    return render(
        request,
        "cases/positive_example_action.html",
        {"example": example, "form": form, "title": title, "intro": intro},
    )


@require_http_methods(["GET", "POST"])
def positive_example_forward(request: HttpRequest, reference: str) -> HttpResponse:
    def perform(example, data):
        services.positive_example_forward(
            example=example, actor=request.user, comment=data["comment"], expected_version=data["version"]
        )
        return f"{example.reference} passed to the Monitoring Officer."

    return _action_page(
        request,
        reference,
        transition="forward",
        title="Pass it to the Monitoring Officer",
        intro="000 §VI: examples of good member-officer working reach the Monitoring Officer through the "
        "relevant Assistant Director. Add what you think made it work, then pass it on.",
        form_class=PositiveExampleForwardForm,
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def positive_example_acknowledge(request: HttpRequest, reference: str) -> HttpResponse:
    def perform(example, data):
        services.positive_example_acknowledge(
            example=example,
            actor=request.user,
            comment=data["comment"],
            publishable=data["publishable"],
            expected_version=data["version"],
        )
        published = " It may be published in the annual report." if data["publishable"] else ""
        return (
            f"{example.reference} recorded for the protocol's monitoring. "
            f"The person who recorded it has been told.{published}"
        )

    return _action_page(
        request,
        reference,
        transition="acknowledge",
        title="Record the positive example",
        intro="Recorded examples count in the protocol's monitoring and reports (000 §VI). Say whether it may "
        "be described in the annual report.",
        form_class=PositiveExampleAcknowledgeForm,
        perform=perform,
    )
