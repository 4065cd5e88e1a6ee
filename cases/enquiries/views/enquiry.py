"""One enquiry: its page, and a page for each thing that can be done to it.

Every action page checks on the server, for GET and POST alike, that this user
may fire this transition now; the enquiry page shows only the buttons that
would pass the same checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django_fsm import ConcurrentTransition, has_transition_perm

from cases.enquiries import services
from cases.enquiries.deadlines import enquiry_standing
from cases.enquiries.forms import (
    AnswerForm,
    ConfirmForm,
    ConsentForm,
    DisputeDecisionForm,
    ExtensionDecisionForm,
    HoldingReplyForm,
    MoveForm,
    ReasonsForm,
    ReassignForm,
)
from cases.enquiries.models import AWAITING_RESPONSE, Enquiry, EnquiryState
from cases.enquiries.selectors import enquiry_get_for_user, reassignable_officers, services_to_move_to
from cases.shared.attachments import attachment_response
from cases.shared.errors import add_service_errors, changed_since_loaded, remember_sent, saved_already, sent_twice
from escalation.calendar import council_calendar, local_date


@dataclass(frozen=True)
class Action:
    label: str
    url_name: str
    allowed: Callable[[Enquiry, object], bool]
    warning: bool = False


ACTIONS = (
    Action("Answer", "enquiry_answer", lambda e, u: has_transition_perm(e.answer, u)),
    Action("Send a holding reply", "enquiry_hold", lambda e, u: has_transition_perm(e.hold, u)),
    Action("Agree or not to the later date", "enquiry_extension", lambda e, u: e.may_decide_extension(u)),
    Action(
        "Record consent",
        "enquiry_consent",
        lambda e, u: e.explicit_consent_needed and e.state in AWAITING_RESPONSE and e.may_reassign(u),
    ),
    Action("Reassign", "enquiry_reassign", lambda e, u: e.state in AWAITING_RESPONSE and e.may_reassign(u)),
    Action("Move to another service", "enquiry_move", lambda e, u: e.state in AWAITING_RESPONSE and e.may_reassign(u)),
    Action("Decline as inappropriate", "enquiry_decline", lambda e, u: has_transition_perm(e.decline, u), True),
    Action("Decide the dispute", "enquiry_decide", lambda e, u: has_transition_perm(e.uphold_decline, u)),
    Action(
        "Follow up (reopen)", "enquiry_reopen", lambda e, u: e.reopen_window_open() and has_transition_perm(e.reopen, u)
    ),
    Action("Dispute the decline", "enquiry_dispute", lambda e, u: has_transition_perm(e.dispute, u)),
    Action("Close: the answer settled it", "enquiry_close", lambda e, u: has_transition_perm(e.close, u)),
    Action("Withdraw", "enquiry_withdraw", lambda e, u: has_transition_perm(e.withdraw, u), True),
)
ACTIONS_BY_URL = {action.url_name: action for action in ACTIONS}


@require_safe
def enquiry_detail(request: HttpRequest, reference: str) -> HttpResponse:
    enquiry = enquiry_get_for_user(request.user, reference)
    user = request.user
    context = {
        "enquiry": enquiry,
        "actions": [action for action in ACTIONS if action.allowed(enquiry, user)],
        "is_officer": getattr(user, "officer", None) is not None,
        "deadline": _deadline_explanation(enquiry),
        "standing": enquiry_standing(enquiry),
        "pending": enquiry.pending_extension(),
        "timeline": list(enquiry.timeline.all()),
    }
    return render(request, "cases/enquiry_detail.html", context)


def _deadline_explanation(enquiry: Enquiry):
    """How the current five-working-day deadline was worked out (None under a holding reply)."""
    if enquiry.state != EnquiryState.SUBMITTED:
        return None
    from django.conf import settings

    explanation = council_calendar().explain(
        local_date(enquiry.clock_started_at), settings.ENQUIRY_RESPONSE_WORKING_DAYS
    )
    # Every day from the receipt day to the due day, in order, each counted or skipped with why.
    rows = [(day, f"Working day {number}") for number, day in enumerate(explanation.counted, start=1)]
    rows += [(skipped.day, f"Not counted: {skipped.reason}") for skipped in explanation.skipped]
    return {"start": explanation.start, "due_on": explanation.due_on, "days": sorted(rows)}


@require_safe
def attachment_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    enquiry = enquiry_get_for_user(request.user, reference)
    attachment = next((a for a in enquiry.attachments.all() if a.pk == pk), None)
    if attachment is None:
        raise Http404("No attachment found")
    return attachment_response(attachment)


# --- Action pages ------------------------------------------------------------------


def _action_page(
    request: HttpRequest,
    reference: str,
    *,
    url_name: str,
    title: str,
    make_form: Callable[..., forms.Form],
    perform: Callable[[Enquiry, dict], str],
    intro: str = "",
) -> HttpResponse:
    enquiry = enquiry_get_for_user(request.user, reference)
    if sent_twice(request):
        messages.error(request, saved_already(enquiry.reference))
        return redirect(enquiry)
    if not ACTIONS_BY_URL[url_name].allowed(enquiry, request.user):
        raise PermissionDenied("You cannot do this to this enquiry now.")
    if request.method == "POST":
        form = make_form(enquiry, request.POST, request.FILES)
        if form.is_valid():
            try:
                message = perform(enquiry, {**form.cleaned_data, "expected_version": form.cleaned_data["version"]})
            except services.EnquiryConflict as conflict:
                messages.error(request, changed_since_loaded(conflict.enquiry))
                return redirect(enquiry)
            except ConcurrentTransition:
                messages.error(
                    request,
                    f"{enquiry.reference} was changed by someone else at the same moment. Check it and try again.",
                )
                return redirect(enquiry)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                remember_sent(request, form.cleaned_data["version"])
                messages.success(request, message)
                return redirect(enquiry)
    else:
        form = make_form(enquiry, None, None, initial={"version": enquiry.version})
    return render(
        request,
        "cases/enquiry_action.html",
        {"enquiry": enquiry, "form": form, "title": title, "intro": intro, "multipart": form.is_multipart()},
    )


def _kwargs(data: dict, *names: str) -> dict:
    return {name: data[name] for name in names}


@require_http_methods(["GET", "POST"])
def enquiry_hold(request, reference):
    def perform(enquiry, data):
        enquiry = services.enquiry_hold(
            enquiry=enquiry,
            actor=request.user,
            **_kwargs(data, "reason", "target_on", "agreement", "agreement_note", "expected_version"),
        )
        if enquiry.pending_extension():
            return (
                f"The councillor has been asked to agree to {data['target_on']:%A %-d %B %Y}. Until they do, or a "
                f"manager of the service approves it, it is still due by the end of {enquiry.due_on:%A %-d %B %Y}."
            )
        return f"Holding reply sent. The new target is {data['target_on']:%A %-d %B %Y}."

    return _action_page(
        request,
        reference,
        url_name="enquiry_hold",
        title="Send a holding reply",
        make_form=lambda e, *a, **k: HoldingReplyForm(*a, limit=services.holding_reply_limit(e), **k),
        perform=perform,
        intro="001 §7.1: when you cannot answer in full within five working days, "
        "tell the councillor why and when they will hear.",
    )


@require_http_methods(["GET", "POST"])
def enquiry_extension(request, reference):
    def perform(enquiry, data):
        enquiry = services.enquiry_extension_decide(
            enquiry=enquiry, actor=request.user, **_kwargs(data, "agree", "note", "expected_version")
        )
        if data["agree"]:
            return f"Agreed. The enquiry is now due by the end of {enquiry.due_on:%A %-d %B %Y}."
        due = f"{enquiry.due_on:%A %-d %B %Y}"
        return f"Not agreed. The enquiry is still due by the end of {due}; the officer has been told."

    def make_form(enquiry, *args, **kwargs):
        reply = enquiry.pending_extension()
        mine = enquiry.member.user_id == request.user.pk
        date = f"the end of {reply.target_on:%A %-d %B %Y}" if reply else "the later date"
        question = f"Do you agree to {date}?" if mine else f"Do you approve {date}?"
        return ExtensionDecisionForm(*args, label=question, **kwargs)

    return _action_page(
        request,
        reference,
        url_name="enquiry_extension",
        title="A later date for the enquiry",
        intro="001 §7.1, §7.4: a holding reply later than the protocol allows an officer to set alone, or a second "
        "one, needs the councillor's agreement or a manager's approval. Until then the deadline stands.",
        make_form=make_form,
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def enquiry_answer(request, reference):
    def perform(enquiry, data):
        services.enquiry_answer(
            enquiry=enquiry,
            actor=request.user,
            **_kwargs(data, "text", "marking", "contains_personal_data", "attachments", "expected_version"),
        )
        return "Answer sent to the councillor."

    return _action_page(
        request,
        reference,
        url_name="enquiry_answer",
        title="Answer the enquiry",
        make_form=lambda e, *a, **k: AnswerForm(*a, **k),
        perform=perform,
    )


def _reasons_page(
    request, reference, *, url_name, title, label, required_message, submit, perform, required=True, intro=""
):
    return _action_page(
        request,
        reference,
        url_name=url_name,
        title=title,
        intro=intro,
        make_form=lambda e, *a, **k: ReasonsForm(
            *a, label=label, required_message=required_message, submit=submit, required=required, **k
        ),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def enquiry_decline(request, reference):
    def perform(enquiry, data):
        services.enquiry_decline(
            enquiry=enquiry, actor=request.user, reasons=data["reasons"], expected_version=data["expected_version"]
        )
        return "Enquiry declined. The councillor has been told your reasons and may dispute them."

    return _reasons_page(
        request,
        reference,
        url_name="enquiry_decline",
        title="Decline the enquiry as inappropriate",
        label="Why is the enquiry inappropriate?",
        required_message="Enter why the enquiry is inappropriate",
        submit="Decline enquiry",
        perform=perform,
        intro="001 §7.1: the councillor sees your reasons and may dispute them with the Chief Executive.",
    )


@require_http_methods(["GET", "POST"])
def enquiry_dispute(request, reference):
    def perform(enquiry, data):
        services.enquiry_dispute(
            enquiry=enquiry, actor=request.user, reasons=data["reasons"], expected_version=data["expected_version"]
        )
        return "Dispute sent to the Chief Executive, who will decide it."

    return _reasons_page(
        request,
        reference,
        url_name="enquiry_dispute",
        title="Dispute the decline",
        label="Why should the enquiry be answered?",
        required_message="Enter why the enquiry should be answered",
        submit="Send dispute",
        perform=perform,
        intro="001 §7.4: the Chief Executive resolves disputes about the reasonableness of requests.",
    )


@require_http_methods(["GET", "POST"])
def enquiry_withdraw(request, reference):
    def perform(enquiry, data):
        services.enquiry_withdraw(
            enquiry=enquiry, actor=request.user, reason=data["reasons"], expected_version=data["expected_version"]
        )
        return "Enquiry withdrawn."

    return _reasons_page(
        request,
        reference,
        url_name="enquiry_withdraw",
        title="Withdraw the enquiry",
        label="Why are you withdrawing it? (optional)",
        required_message="",
        required=False,
        submit="Withdraw enquiry",
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def enquiry_reopen(request, reference):
    def perform(enquiry, data):
        enquiry = services.enquiry_reopen(
            enquiry=enquiry, actor=request.user, follow_up=data["reasons"], expected_version=data["expected_version"]
        )
        return f"Follow-up sent. It is due by the end of {enquiry.due_on:%A %-d %B %Y}."

    return _reasons_page(
        request,
        reference,
        url_name="enquiry_reopen",
        title="Follow up the answer",
        label="What is still unanswered?",
        required_message="Enter what is still unanswered",
        submit="Send follow-up",
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def enquiry_close(request, reference):
    def perform(enquiry, data):
        services.enquiry_close(enquiry=enquiry, actor=request.user, expected_version=data["expected_version"])
        return "Enquiry closed."

    return _action_page(
        request,
        reference,
        url_name="enquiry_close",
        title="Close the enquiry",
        intro="Close the enquiry if the answer settled it. You will not be able to follow it up afterwards.",
        make_form=lambda e, *a, **k: ConfirmForm(*a, submit="Close enquiry", **k),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def enquiry_decide(request, reference):
    def perform(enquiry, data):
        enquiry = services.enquiry_dispute_decide(
            enquiry=enquiry, actor=request.user, **_kwargs(data, "decision", "reasons", "owner", "expected_version")
        )
        if enquiry.state == EnquiryState.CLOSED:
            return "Decision recorded: the decline is upheld and the enquiry is closed. The councillor has been told."
        # Issue 15 C17: who must answer, and by when, not only "awaiting answer".
        owner = enquiry.owner
        return (
            f"Decision recorded: an answer is directed. {owner.name}, {owner.job_title}, must answer by the end of "
            f"{enquiry.due_on:%A %-d %B %Y}. The councillor has been told."
        )

    return _action_page(
        request,
        reference,
        url_name="enquiry_decide",
        title="Decide the dispute",
        intro="001 §7.4: uphold the decline, which closes the enquiry, "
        "or direct an answer with a fresh five-working-day deadline.",
        make_form=lambda e, *a, **k: DisputeDecisionForm(*a, officers=reassignable_officers(e), **k),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def enquiry_reassign(request, reference):
    def perform(enquiry, data):
        enquiry = services.enquiry_reassign(
            enquiry=enquiry, actor=request.user, **_kwargs(data, "new_owner", "reason", "expected_version")
        )
        return f"Enquiry reassigned to {enquiry.owner.name}."

    return _action_page(
        request,
        reference,
        url_name="enquiry_reassign",
        title="Reassign the enquiry",
        intro="Hand the enquiry to a colleague in the same service. The deadline does not change.",
        make_form=lambda e, *a, **k: ReassignForm(*a, officers=reassignable_officers(e), **k),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def enquiry_move(request, reference):
    def perform(enquiry, data):
        enquiry = services.enquiry_move(
            enquiry=enquiry, actor=request.user, **_kwargs(data, "service", "reason", "expected_version")
        )
        owner = enquiry.owner
        return (
            f"Enquiry moved to {enquiry.service}. {owner.name}, {owner.job_title}, owns it now"
            f"{services.enquiry_owner_because(enquiry)}. The councillor has been told; the due date does not change."
        )

    return _action_page(
        request,
        reference,
        url_name="enquiry_move",
        title="Move the enquiry to another service",
        intro="It goes to that service's Councillor Liaison Officer, or its Head of Service. "
        "The due date does not change: the councillor asked once.",
        make_form=lambda e, *a, **k: MoveForm(*a, services=services_to_move_to(e), **k),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def enquiry_consent(request, reference):
    def perform(enquiry, data):
        services.enquiry_consent_record(
            enquiry=enquiry, actor=request.user, **_kwargs(data, "given_by", "given_on", "method", "expected_version")
        )
        return "Consent recorded. You may now send an answer containing the constituent's personal data."

    return _action_page(
        request,
        reference,
        url_name="enquiry_consent",
        title="Record the constituent's consent",
        intro="001 §8.2: record who gave explicit consent to share their personal data "
        "with the councillor, when and how.",
        make_form=lambda e, *a, **k: ConsentForm(*a, **k),
        perform=perform,
    )
