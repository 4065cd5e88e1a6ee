"""Concerns (DESIGN §4): the list, raising one, its page, and a page for each step.

As for enquiries, every action page checks on the server, for GET and POST alike,
that this person may take this step now (404 to anyone who may not see the
concern, 403 to someone who sees it but may not act), and the concern page shows
only the buttons that would pass the same checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_safe
from django_fsm import ConcurrentTransition, has_transition_perm

from cases import concern_services as services
from cases.attachments import attachment_response
from cases.concern_forms import (
    ConcernForm,
    HandlerForm,
    InformalActionForm,
    ReferralForm,
    SanctionsForm,
    TextForm,
)
from cases.concern_selectors import (
    concern_get_for_user,
    concerns_handled_by,
    concerns_joined_by,
    concerns_visible_to,
    is_monitoring_officer,
    pattern_for,
    sees_internal_record,
)
from cases.concern_selectors import my_concerns as concerns_raised_by
from cases.models import Concern, ConcernState
from cases.models import is_monitoring_officer as may_act_as_monitoring_officer
from cases.services import AlreadySubmitted
from cases.views.errors import (
    add_service_errors,
    already_submitted,
    changed_since_loaded,
    remember_sent,
    saved_already,
    sent_twice,
)
from cases.views.pages import paginate


def _label(text: str) -> Callable[[Concern], str]:
    return lambda concern: text


def _may_escalate(concern: Concern, user) -> bool:
    if concern.state == ConcernState.DIRECT and has_transition_perm(concern.escalate_to_line_management, user):
        return True
    return has_transition_perm(concern.escalate_to_monitoring_officer, user)


def _escalate_label(concern: Concern) -> str:
    if concern.state == ConcernState.DIRECT:
        return "Talking directly did not help: take it to line management"
    return "Send to the Monitoring Officer"


@dataclass(frozen=True)
class Action:
    label: Callable[[Concern], str]
    url_name: str
    allowed: Callable[[Concern, object], bool]
    warning: bool = False


ACTIONS = (
    Action(_escalate_label, "concern_escalate", _may_escalate),
    Action(
        lambda c: "Talking settled it: resolve" if c.state == ConcernState.DIRECT else "Resolve with an outcome",
        "concern_resolve",
        lambda c, u: has_transition_perm(c.resolve, u),
    ),
    Action(
        _label("Take informal action"), "concern_informal", lambda c, u: has_transition_perm(c.take_informal_action, u)
    ),
    Action(
        _label("Propose formal action"), "concern_formal", lambda c, u: has_transition_perm(c.propose_formal_action, u)
    ),
    Action(
        _label("Record the sanctions"), "concern_sanctions", lambda c, u: has_transition_perm(c.record_sanctions, u)
    ),
    Action(_label("Refer outside the council"), "concern_refer", lambda c, u: has_transition_perm(c.refer, u)),
    Action(_label("Add a note"), "concern_note", services.may_add_note),
    Action(
        _label("Share with the subject"),
        "concern_share",
        lambda c, u: may_act_as_monitoring_officer(c, u) and c.shared_with_subject_at is None,
    ),
    Action(
        _label("Reassign"),
        "concern_reassign",
        lambda c, u: (
            may_act_as_monitoring_officer(c, u)
            and c.state in (ConcernState.LINE_MANAGEMENT, ConcernState.MO_REVIEW, ConcernState.SANCTION)
        ),
    ),
    Action(_label("Withdraw"), "concern_withdraw", lambda c, u: has_transition_perm(c.withdraw, u), warning=True),
)
ACTIONS_BY_URL = {action.url_name: action for action in ACTIONS}


def _serving_party(request: HttpRequest):
    """The serving councillor or officer signed in: only they raise and follow concerns."""
    user = request.user
    member, officer = getattr(user, "member", None), getattr(user, "officer", None)
    if member is not None and member.is_in_office():
        return member
    if officer is not None and officer.is_serving():
        return officer
    raise PermissionDenied("Concerns are for serving councillors and officers.")


# --- The list and raising a concern ------------------------------------------------------


# Three lists share the page, so 25 rows each rather than the usual 50.
CONCERN_LIST_PAGE_SIZE = 25


@require_safe
def my_concerns(request: HttpRequest) -> HttpResponse:
    """Three lists, each a page at a time with its own page number: a Whip can join thousands
    of concerns over the years, and the page costs the same whatever the number."""
    _serving_party(request)
    user = request.user
    size = CONCERN_LIST_PAGE_SIZE
    context = {
        "raised": paginate(request, concerns_raised_by(user), param="raised", per_page=size),
        "handled": paginate(request, concerns_handled_by(user), param="handled", per_page=size),
        "joined": paginate(request, concerns_joined_by(user), param="joined", per_page=size),
    }
    return render(request, "cases/concerns.html", context)


def _where_it_went(concern: Concern) -> str:
    due = f"{concern.due_on:%A %-d %B %Y}"
    if concern.state == ConcernState.DIRECT:
        return (
            f"The first step is a direct conversation with {concern.subject_name} (001 §6.1, §6.2). "
            f"Record by the end of {due} whether it settled things; if it did not, take it to line management."
        )
    who = f"{concern.owner.name}, {concern.owner.job_title}"
    if concern.state == ConcernState.LINE_MANAGEMENT:
        return f"It has gone to {who}, for line management (001 §6.1, §6.2). The target is the end of {due}."
    return (
        f"Because of the safeguarding flag it has gone straight to the Monitoring Officer, {who}. "
        f"The target is the end of {due}."
    )


@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest) -> HttpResponse:
    party = _serving_party(request)
    complainant_is_member = getattr(request.user, "member", None) is party
    posted = request.method == "POST"
    form = ConcernForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        complainant_is_member=complainant_is_member,
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        about = (
            {"about_officer": data["about_officer"]}
            if complainant_is_member
            else {"about_member": data["about_member"]}
        )
        try:
            concern = services.concern_raise(
                raised_by=request.user,
                duties=data["duties"],
                occurred_on=data["occurred_on"],
                what_happened=data["what_happened"],
                behaviours=data["behaviours"],
                feels_able_to_talk=data["feels_able_to_talk"],
                safeguarding=data["safeguarding"],
                evidence=data["evidence"],
                submission_key=data["submission_key"],
                **about,
            )
        except AlreadySubmitted as already:
            mine = already.case.complainant_user_id == request.user.pk
            response = already_submitted(request, form, already.case, mine=mine, noun="concern")
            if response is not None:
                return response
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Concern {concern.reference} recorded. {_where_it_went(concern)}")
            return redirect(concern)
    return render(request, "cases/concern_new.html", {"form": form, "complainant_is_member": complainant_is_member})


# --- The concern page ---------------------------------------------------------------------


@require_safe
def concern_detail(request: HttpRequest, reference: str) -> HttpResponse:
    concern = concern_get_for_user(request.user, reference)
    user = request.user
    is_mo = is_monitoring_officer(user)
    context = {
        "concern": concern,
        "actions": [
            {"label": action.label(concern), "url_name": action.url_name, "warning": action.warning}
            for action in ACTIONS
            if action.allowed(concern, user)
        ],
        "sees_internal": sees_internal_record(concern, user),
        "is_monitoring_officer": is_mo,
        # 000 §VIII: repeated informal intervention calls for formal steps.
        "pattern": pattern_for(concern) if is_mo else None,
        "timeline": concern.timeline_events,
    }
    return render(request, "cases/concern_detail.html", context)


@require_safe
def evidence_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    concern = concern_get_for_user(request.user, reference)
    attachment = next((a for a in concern.evidence if a.pk == pk), None)
    if attachment is None:
        raise Http404("No evidence found")
    return attachment_response(attachment)


# --- Action pages ---------------------------------------------------------------------------


def _action_page(
    request: HttpRequest,
    reference: str,
    *,
    url_name: str,
    title: str | Callable[[Concern], str],
    make_form: Callable[..., forms.Form],
    perform: Callable[[Concern, forms.Form], str],
    intro: str | Callable[[Concern], str] = "",
) -> HttpResponse:
    try:
        concern = concern_get_for_user(request.user, reference)
    except Http404:
        if not sent_twice(request):
            raise
        # The first press sent it on to someone this person does not follow it to.
        messages.error(request, f"{saved_already(reference)} You no longer handle it.")
        return redirect("cases:concerns")
    if sent_twice(request):
        messages.error(request, saved_already(concern.reference))
        return _back_to(request, concern)
    if not ACTIONS_BY_URL[url_name].allowed(concern, request.user):
        raise PermissionDenied("You cannot do this to this concern now.")
    title = title(concern) if callable(title) else title
    intro = intro(concern) if callable(intro) else intro
    if request.method == "POST":
        form = make_form(concern, request.POST, request.FILES)
        if form.is_valid():
            try:
                message = perform(concern, form)
            except services.ConcernConflict as conflict:
                messages.error(request, changed_since_loaded(conflict.concern))
                return _back_to(request, concern)
            except ConcurrentTransition:
                messages.error(
                    request,
                    f"{concern.reference} was changed by someone else at the same moment. Check it and try again.",
                )
                return _back_to(request, concern)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                remember_sent(request, form.cleaned_data["version"])
                messages.success(request, message)
                return _back_to(request, concern)
    else:
        form = make_form(concern, None, None, initial={"version": concern.version})
    return render(
        request,
        "cases/concern_action.html",
        {"concern": concern, "form": form, "title": title, "intro": intro, "multipart": form.is_multipart()},
    )


def _back_to(request: HttpRequest, concern: Concern) -> HttpResponse:
    """The concern's page, or the list if this person no longer sees it (a line manager who
    sent it to the Monitoring Officer)."""
    if concerns_visible_to(request.user).filter(pk=concern.pk).exists():
        return redirect(concern)
    return redirect("cases:concerns")


def _text_form(**options) -> Callable[..., forms.Form]:
    return lambda concern, *args, **kwargs: TextForm(*args, **options, **kwargs)


def _version(form: forms.Form) -> int:
    return form.cleaned_data["version"]


ESCALATION_PAGES = {
    # Stage 1 → 2 (001 §6.1, §6.2), and stage 2 → 3 (000 §VIII).
    ConcernState.DIRECT: {
        "title": "Talking directly did not help: take it to line management",
        "intro": "001 §6.1, §6.2: when talking directly does not settle it, line management takes it on: for a "
        "councillor's concern about an officer, that officer's Head of Service or Director; for an officer's "
        "concern about a councillor, the officer's own.",
        "label": "What happened when you talked, and why did it not settle things?",
        "submit": "Take it to line management",
    },
    ConcernState.LINE_MANAGEMENT: {
        "title": "Send to the Monitoring Officer",
        "intro": "000 §VIII: the Monitoring Officer reviews it with the councillor's Whip (or the Chair of Standards "
        "for an independent councillor), or, about an officer, with the Director of People Services and the "
        "officer's line manager.",
        "label": "Why can line management not settle it?",
        "submit": "Send to the Monitoring Officer",
    },
}


def _escalation_page(concern: Concern) -> dict[str, str]:
    return ESCALATION_PAGES.get(concern.state, ESCALATION_PAGES[ConcernState.LINE_MANAGEMENT])


@require_http_methods(["GET", "POST"])
def concern_escalate(request, reference):
    def perform(concern, form):
        concern = services.concern_escalate(
            concern=concern, actor=request.user, reason=form.cleaned_data["reason"], expected_version=_version(form)
        )
        return (
            f"{concern.reference} is now at {concern.get_state_display()}, with {concern.owner.name}, "
            f"{concern.owner.job_title}. The target is the end of {concern.due_on:%A %-d %B %Y}."
        )

    def make_form(concern, *args, **kwargs):
        page = _escalation_page(concern)
        return TextForm(
            *args,
            name="reason",
            label=page["label"],
            submit=page["submit"],
            required_message="Enter why it needs to go further",
            **kwargs,
        )

    return _action_page(
        request,
        reference,
        url_name="concern_escalate",
        title=lambda concern: _escalation_page(concern)["title"],
        intro=lambda concern: _escalation_page(concern)["intro"],
        make_form=make_form,
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def concern_resolve(request, reference):
    def perform(concern, form):
        services.concern_resolve(
            concern=concern, actor=request.user, outcome=form.cleaned_data["outcome"], expected_version=_version(form)
        )
        return "Concern resolved. The complainant has been told the outcome."

    return _action_page(
        request,
        reference,
        url_name="concern_resolve",
        title="Resolve the concern",
        intro="001 §6.1: the complainant is told the outcome, in the words you write here.",
        make_form=_text_form(
            name="outcome",
            label="The outcome the complainant is told",
            submit="Resolve concern",
            required_message="Enter the outcome the complainant is told",
        ),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def concern_informal_action(request, reference):
    def perform(concern, form):
        services.concern_informal_action(
            concern=concern,
            actor=request.user,
            steps=form.steps(),
            outcome=form.cleaned_data["outcome"],
            expected_version=_version(form),
        )
        return "Informal action recorded. The complainant has been told the outcome."

    return _action_page(
        request,
        reference,
        url_name="concern_informal",
        title="Take informal action",
        intro="000 §VIII: usually words of advice and further training. Each step is recorded, and three "
        "concerns ended in informal action within twelve months are flagged as a pattern.",
        make_form=lambda concern, *a, **k: InformalActionForm(*a, concern=concern, **k),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def concern_formal_action(request, reference):
    def perform(concern, form):
        services.concern_propose_formal_action(
            concern=concern, actor=request.user, reason=form.cleaned_data["reason"], expected_version=_version(form)
        )
        return "Formal action proposed: the concern is at stage 4. Record the sanctions when they are decided."

    return _action_page(
        request,
        reference,
        url_name="concern_formal",
        title="Propose formal action",
        intro="000 §VIII: the concern is serious enough for formal action. It moves to stage 4, "
        "where you record the sanctions.",
        make_form=_text_form(
            name="reason",
            label="Why is formal action needed?",
            submit="Move to stage 4",
            required_message="Enter why formal action is needed",
            help_text="Only those deciding the concern see this.",
        ),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def concern_sanctions(request, reference):
    def perform(concern, form):
        services.concern_sanctions_record(
            concern=concern,
            actor=request.user,
            sanctions=form.specs(),
            outcome=form.cleaned_data["outcome"],
            expected_version=_version(form),
        )
        return "Sanctions recorded on the register. The complainant and the subject have been told."

    return _action_page(
        request,
        reference,
        url_name="concern_sanctions",
        title="Record the sanctions",
        intro="000 §VIII: the formal sanctions go on the Monitoring Officer's register.",
        make_form=lambda concern, *a, **k: SanctionsForm(*a, concern=concern, **k),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def concern_refer(request, reference):
    def perform(concern, form):
        data = form.cleaned_data
        services.concern_refer(
            concern=concern,
            actor=request.user,
            kind=data["kind"],
            details=data["details"],
            independent_person=data["independent_person"],
            outcome=data["outcome"],
            expected_version=_version(form),
        )
        return "Referral recorded. The complainant has been told the outcome."

    return _action_page(
        request,
        reference,
        url_name="concern_refer",
        title="Refer the concern outside the council",
        intro="At any stage a concern may go to safeguarding, the police, or become a formal standards complaint "
        "under the council's Localism Act 2011 arrangements. This closes it here.",
        make_form=lambda concern, *a, **k: ReferralForm(*a, **k),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def concern_withdraw(request, reference):
    def perform(concern, form):
        services.concern_withdraw(
            concern=concern, actor=request.user, reason=form.cleaned_data["reason"], expected_version=_version(form)
        )
        return "Concern withdrawn."

    return _action_page(
        request,
        reference,
        url_name="concern_withdraw",
        title="Withdraw the concern",
        intro="Withdrawing stops the concern at its current stage. Whoever is handling it is told.",
        make_form=_text_form(
            name="reason", label="Why are you withdrawing it? (optional)", submit="Withdraw concern", warning=True
        ),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def concern_share(request, reference):
    def perform(concern, form):
        services.concern_share_with_subject(
            concern=concern, actor=request.user, note=form.cleaned_data["note"], expected_version=_version(form)
        )
        return f"Shared with {concern.subject_name}, who has been told."

    return _action_page(
        request,
        reference,
        url_name="concern_share",
        title=lambda concern: f"Share the concern with {concern.subject_name}",
        intro="DESIGN §4: the subject does not see the record unless you share it. They will see the concern, "
        "its stages and outcome, not the notes of those deciding it. This cannot be undone.",
        make_form=lambda concern, *a, **k: TextForm(
            *a,
            name="note",
            # crispy-forms-gds prints labels as they are (|safe): the name is escaped here.
            label=format_html("A note for {} (optional)", concern.subject_name),
            submit="Share the concern",
            **k,
        ),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def concern_reassign(request, reference):
    def perform(concern, form):
        concern = services.concern_reassign(
            concern=concern,
            actor=request.user,
            new_owner=form.cleaned_data["new_owner"],
            reason=form.cleaned_data["reason"],
            expected_version=_version(form),
        )
        return f"{concern.reference} is now with {concern.owner.name}, {concern.owner.job_title}."

    return _action_page(
        request,
        reference,
        url_name="concern_reassign",
        title="Reassign the concern",
        intro="Hand the current stage to another handler: at line management a Head of Service or more senior "
        "officer, at stages 3 and 4 the Monitoring Officer's team. The stage's target does not change.",
        make_form=lambda concern, *a, **k: HandlerForm(*a, officers=services.reassignable_handlers(concern), **k),
        perform=perform,
    )


@require_http_methods(["GET", "POST"])
def concern_note(request, reference):
    def perform(concern, form):
        services.concern_note_add(
            concern=concern, actor=request.user, note=form.cleaned_data["note"], expected_version=_version(form)
        )
        return "Note added."

    return _action_page(
        request,
        reference,
        url_name="concern_note",
        title="Add a note",
        intro="Record what you did, such as talking to the councillor or their Group Leader (001 §6.1, 002). "
        "Notes are for those handling the concern: the complainant does not see them.",
        make_form=_text_form(name="note", label="Note", submit="Add note", required_message="Enter the note"),
        perform=perform,
    )
