"""A page for each step on a concern (DESIGN §4). As for enquiries, every step page checks
on the server, for GET and POST alike, that this person may take this step now (404 to
anyone who may not see the concern, 403 to someone who sees it but may not act).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods
from django_fsm import ConcurrentTransition

from cases.concerns import services
from cases.concerns.forms import HandlerForm, InformalActionForm, ReferralForm, SanctionsForm, TextForm
from cases.concerns.models import Concern, ConcernState
from cases.concerns.selectors import (
    concern_get_for_user,
    concern_review,
    concerns_visible_to,
)
from cases.concerns.views.concern import ACTIONS_BY_URL
from cases.shared.errors import (
    add_service_errors,
    changed_since_loaded,
    remember_sent,
    saved_already,
    sent_twice,
)


def _action_page(
    request: HttpRequest,
    reference: str,
    *,
    url_name: str,
    title: str | Callable[[Concern], str],
    make_form: Callable[..., forms.Form],
    perform: Callable[[Concern, forms.Form], str],
    intro: str | Callable[[Concern], str] = "",
    kept_on_conflict: str = "",
) -> HttpResponse:
    """A step's page. With ``kept_on_conflict`` (what the person wrote), a form sent from an
    out-of-date page comes back with their text and the error, rather than the concern's page,
    when the step can still be taken: a note written while someone else acted is not lost."""
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
    title = title(concern) if callable(title) else title
    action = ACTIONS_BY_URL[url_name]
    if not action.allowed(concern, request.user):
        reason = action.refusal(concern, request.user) if action.refusal else ""
        if not reason:
            raise PermissionDenied("You cannot do this to this concern now.")
        # Someone who took part and would expect to act is told why not (the server refuses).
        heading = f"You cannot {title[:1].lower()}{title[1:]}"
        context = {"concern": concern, "heading": heading, "reason": reason}
        return render(request, "cases/concern_refused.html", context, status=403)
    intro = intro(concern) if callable(intro) else intro
    if request.method == "POST":
        form = make_form(concern, request.POST, request.FILES)
        if form.is_valid():
            try:
                message = perform(concern, form)
            except services.ConcernConflict as conflict:
                current = conflict.concern
                if not (kept_on_conflict and action.allowed(current, request.user)):
                    messages.error(request, changed_since_loaded(current))
                    return _back_to(request, concern)
                form = make_form(current, {**request.POST.dict(), "version": current.version}, request.FILES)
                form.is_valid()
                form.add_error(
                    None,
                    f"{current.reference} has changed since you opened this page. Your {kept_on_conflict} has not "
                    "been added yet: read the concern's latest changes, then send it again.",
                )
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


def _note_intro(concern: Concern) -> str:
    """Who will read a note, said before it is written (DESIGN §4: need-to-know)."""
    if concern.is_under_review:
        review = concern_review(concern)
        names = [f"{reviewer.name} ({reviewer.part})" for reviewer in review.reviewers] if review else []
        readers = "the Monitoring Officer and deputies" + (f", and {', '.join(names)}" if names else "")
        what = "Add what you know or think for the review (000 §VIII). "
    else:
        readers = "the Monitoring Officer and deputies, and whoever handles the concern"
        what = "Record what you did, such as talking to the councillor or their Group Leader (001 §6.1, 002). "
    return (
        f"{what}Notes are read by {readers}. Neither the person who raised the concern nor the person it is "
        "about sees them in the portal, though a note about someone may be given to them if they ask the "
        "council for their personal data (a subject access request)."
    )


@require_http_methods(["GET", "POST"])
def concern_note(request, reference):
    def perform(concern, form):
        services.concern_note_add(
            concern=concern, actor=request.user, note=form.cleaned_data["note"], expected_version=_version(form)
        )
        return "Note added. Those handling and reviewing the concern can read it."

    return _action_page(
        request,
        reference,
        url_name="concern_note",
        title="Add a note",
        intro=_note_intro,
        make_form=_text_form(name="note", label="Note", submit="Add note", required_message="Enter the note"),
        perform=perform,
        kept_on_conflict="note",
    )
