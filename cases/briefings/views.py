"""Briefings and the equal treatment of political groups (DESIGN §6; 001 §9.2, §9.5, 002).

Who sees what is cases.briefings.selectors: officers see the briefings they recorded or give,
group leaders and whips the offers to their group, the Monitoring Officer (and deputies) and
Democratic Services every briefing and the compliance view. A briefing someone may not see is
404; an action on one they see but may not take is 403, for GET and POST alike.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from cases.briefings import services as briefing_services
from cases.briefings.forms import BriefingForm, BriefingOfferLeftOutForm, BriefingResponseForm
from cases.briefings.models import Briefing, BriefingOffer, BriefingResponse
from cases.briefings.selectors import (
    briefing_get_for_user,
    briefings_left_out_for,
    briefings_visible_to,
    groups_left_out,
    groups_spoken_for,
    may_offer_to_groups_left_out,
    may_record_briefing,
    may_record_response,
    may_see_briefings,
    oversees_briefings,
    sees_every_response,
)
from cases.shared.errors import add_service_errors, already_submitted, remember_sent, saved_already, sent_twice
from cases.shared.pages import paginate
from cases.shared.submissions import AlreadySubmitted
from people.models import PoliticalGroup

# A list's offers, with the group each names (a leader's or whip's list shows their group's response).
OFFERS = Prefetch("offers", queryset=BriefingOffer.objects.select_related("group"))

INTRO = (
    "001 §9.5.2: any briefing offered to a political group will be offered to the other political groups. "
    "Record a briefing an officer has offered to one group: the portal offers the same to every other group "
    "at once, tells each group's leader and whips, and keeps their responses. Independent councillors are in "
    "no group and get no offer. A briefing a group asked for (001 §9.5.1) need not be offered to the others."
)


def _rows(briefings: list[Briefing], user) -> list[dict]:
    """Each briefing with what a list shows about it: the groups left out (one query for every
    group, whatever the number of rows) and, for a group's leader or whip, their group's response."""
    groups = list(PoliticalGroup.objects.all())
    mine = groups_spoken_for(user)
    rows = []
    for briefing in briefings:
        offers = list(briefing.offers.all())
        rows.append(
            {
                "briefing": briefing,
                "offers": len(offers),
                "accepted": sum(1 for offer in offers if offer.response == BriefingResponse.ACCEPTED),
                "declined": sum(1 for offer in offers if offer.response == BriefingResponse.DECLINED),
                "own": [offer for offer in offers if offer.group_id in mine],
                "left_out": groups_left_out(briefing, groups),
            }
        )
    return rows


@require_safe
def briefings(request: HttpRequest) -> HttpResponse:
    if not may_see_briefings(request.user):
        raise PermissionDenied("Briefings are for officers, group leaders and whips.")
    paged = paginate(request, briefings_visible_to(request.user).prefetch_related(OFFERS))
    context = {
        "paged": paged,
        "rows": _rows(paged.rows, request.user),
        "may_record": may_record_briefing(request.user),
        "oversees": oversees_briefings(request.user),
        "speaks_for_a_group": bool(groups_spoken_for(request.user)),
    }
    return render(request, "cases/briefings.html", context)


@require_safe
def briefings_compliance(request: HttpRequest) -> HttpResponse:
    """Every briefing a political group was left out of (cases.briefings.selectors)."""
    if not oversees_briefings(request.user):
        raise PermissionDenied("The equal treatment check is for the Monitoring Officer and Democratic Services.")
    paged = paginate(request, briefings_left_out_for(request.user).prefetch_related(OFFERS))
    return render(request, "cases/briefings_compliance.html", {"paged": paged, "rows": _rows(paged.rows, request.user)})


@require_http_methods(["GET", "POST"])
def briefing_new(request: HttpRequest) -> HttpResponse:
    if not may_record_briefing(request.user):
        raise PermissionDenied("Only serving officers record briefings.")
    posted = request.method == "POST"
    form = BriefingForm(request.POST if posted else None, initial={"given_by": request.user.officer.pk})
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            briefing = briefing_services.briefing_record(
                recorded_by=request.user,
                subject=data["subject"],
                kind=data["kind"],
                given_by=data["given_by"],
                takes_place_on=data["takes_place_on"],
                for_leadership=data["for_leadership"],
                offered_to=data["offered_to"],
                submission_key=data["submission_key"],
            )
        except AlreadySubmitted as already:
            mine = already.case.recorded_by_id == request.user.pk
            response = already_submitted(request, form, already.case, mine=mine, noun="briefing")
            if response is not None:
                return response
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = briefing.offers.count()
            messages.success(
                request,
                f"Briefing {briefing.reference} recorded and offered to every political group ({count}). "
                "Their leaders and whips have been told.",
            )
            return redirect(briefing)
    return render(request, "cases/briefing_new.html", {"form": form, "intro": INTRO})


@require_safe
def briefing_detail(request: HttpRequest, reference: str) -> HttpResponse:
    briefing = briefing_get_for_user(request.user, reference)
    every = sees_every_response(briefing, request.user)
    mine = groups_spoken_for(request.user)
    offers = [
        {
            "offer": offer,
            "shows_response": every or offer.group_id in mine,
            "may_respond": may_record_response(offer, request.user),
        }
        for offer in briefing.offers.all()
    ]
    left_out = groups_left_out(briefing)
    context = {
        "briefing": briefing,
        "offers": offers,
        "left_out": left_out,
        "may_offer": bool(left_out) and may_offer_to_groups_left_out(briefing, request.user),
    }
    return render(request, "cases/briefing_detail.html", context)


@require_http_methods(["GET", "POST"])
def briefing_response(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    briefing = briefing_get_for_user(request.user, reference)
    offer = next((offer for offer in briefing.offers.all() if offer.pk == pk), None)
    if offer is None:
        raise Http404("No such offer")
    if sent_twice(request):
        messages.error(request, saved_already(briefing.reference))
        return redirect(briefing)
    if not may_record_response(offer, request.user):
        raise PermissionDenied("Only the group's leader or whips, or the officer who recorded it, can.")
    if request.method == "POST":
        form = BriefingResponseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                offer = briefing_services.briefing_response_record(
                    offer=offer, actor=request.user, response=data["response"], expected_version=data["version"]
                )
            except briefing_services.BriefingOfferConflict as conflict:
                messages.error(request, str(conflict))
                return redirect(briefing)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                remember_sent(request, data["version"])
                messages.success(
                    request, f"{offer.group.name}'s response recorded: {offer.get_response_display().lower()}."
                )
                return redirect(briefing)
    else:
        initial = {"version": offer.version}
        if offer.response != BriefingResponse.NO_REPLY:
            initial["response"] = offer.response
        form = BriefingResponseForm(initial=initial)
    return render(
        request,
        "cases/briefing_action.html",
        {
            "briefing": briefing,
            "form": form,
            "title": f"Record the {offer.group.name}'s response",
            "intro": f"Did the {offer.group.name} accept or decline the offer of this briefing? "
            "You can change the response later.",
        },
    )


@require_http_methods(["GET", "POST"])
def briefing_offer_left_out(request: HttpRequest, reference: str) -> HttpResponse:
    briefing = briefing_get_for_user(request.user, reference)
    if not may_offer_to_groups_left_out(briefing, request.user):
        raise PermissionDenied("Only the officer who recorded it, the Monitoring Officer or Democratic Services can.")
    offers = len(briefing.offers.all())
    if request.method == "POST":
        form = BriefingOfferLeftOutForm(request.POST)
        if form.is_valid():
            try:
                made = briefing_services.briefing_offer_to_groups_left_out(
                    briefing=briefing, actor=request.user, expected_offers=form.cleaned_data["version"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(briefing)
            names = ", ".join(offer.group.name for offer in made)
            if made:
                messages.success(
                    request, f"{briefing.reference} offered to {names}. Their leaders and whips have been told."
                )
            else:
                messages.info(request, f"Every political group already has an offer of {briefing.reference}.")
            return redirect(briefing)
    else:
        form = BriefingOfferLeftOutForm(initial={"version": offers})
    left_out = groups_left_out(briefing)
    names = ", ".join(group.name for group in left_out) or "none"
    return render(
        request,
        "cases/briefing_action.html",
        {
            "briefing": briefing,
            "form": form,
            "title": "Offer it to the groups left out",
            "intro": f"Groups that existed on {briefing.takes_place_on:%-d %B %Y} with no offer of this briefing: "
            f"{names}. 001 §9.5.2: a briefing offered to one group is offered to the others. Their leaders and "
            "whips will be told.",
        },
    )
