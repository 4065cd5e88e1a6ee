"""Concerns (DESIGN §4): the list, raising one, and its page, which shows only the buttons
for the steps this person may take now (ACTIONS; the step pages are in ``actions``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django_fsm import has_transition_perm

from cases.concerns import services
from cases.concerns.forms import ConcernForm, concern_list_form
from cases.concerns.models import Concern, ConcernState
from cases.concerns.models import is_monitoring_officer as may_act_as_monitoring_officer
from cases.concerns.selectors import (
    concern_get_for_user,
    concern_review,
    concerns_handled_by,
    concerns_joined_by,
    pattern_for,
    sees_internal_record,
)
from cases.concerns.selectors import my_concerns as concerns_raised_by
from cases.shared.attachments import attachment_response
from cases.shared.errors import (
    add_service_errors,
    already_submitted,
)
from cases.shared.pages import paginate
from cases.shared.selectors import is_monitoring_officer
from cases.shared.submissions import AlreadySubmitted


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
    # Why someone who would expect to take this step cannot now ("" for no reason given).
    refusal: Callable[[Concern, object], str] | None = None


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
    Action(_label("Add a note"), "concern_note", services.may_add_note, refusal=services.note_refusal),
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


# Three lists share the page, so 25 rows each rather than the usual 50.
CONCERN_LIST_PAGE_SIZE = 25


@require_safe
def my_concerns(request: HttpRequest) -> HttpResponse:
    """Three lists, each a page at a time with its own page number: a Whip can join thousands
    of concerns over the years, and the page costs the same whatever the number."""
    _serving_party(request)
    user = request.user
    size = CONCERN_LIST_PAGE_SIZE
    form = concern_list_form(request.GET)
    filters = form.filters()
    context = {
        "form": form,
        "raised": paginate(request, concerns_raised_by(user, filters), param="raised", per_page=size),
        "handled": paginate(request, concerns_handled_by(user, filters), param="handled", per_page=size),
        "joined": paginate(request, concerns_joined_by(user, filters), param="joined", per_page=size),
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


@require_safe
def concern_detail(request: HttpRequest, reference: str) -> HttpResponse:
    concern = concern_get_for_user(request.user, reference)
    user = request.user
    is_mo = is_monitoring_officer(user)
    sees_internal = sees_internal_record(concern, user)
    # 000 §VIII: who reviews it with the Monitoring Officer, for those deciding it.
    review = concern_review(concern) if sees_internal else None
    context = {
        "concern": concern,
        "actions": [
            {"label": action.label(concern), "url_name": action.url_name, "warning": action.warning}
            for action in ACTIONS
            if action.allowed(concern, user)
        ],
        "sees_internal": sees_internal,
        "review": review,
        "my_part": review.part_of(user) if review else None,
        "joined_review": review.joined(user) if review else False,
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
