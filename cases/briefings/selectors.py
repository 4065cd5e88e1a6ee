"""Permission-scoped reads of briefings (DESIGN §6; 001 §9.2, §9.5, 002).

Who sees a briefing: the officer who recorded it and the officer giving it; the leader and
whips of every group it was offered to (each sees their own group's response, and that the
others were offered the same); and the Monitoring Officer (and deputies), Democratic
Services and administrators, who see every briefing and the compliance view. Anyone else
gets 404.

The compliance rule (``briefings_not_offered_to_every_group``): a briefing was not offered to
every group when a political group that existed on the briefing's date (its ``formed_on`` on
or before that day, and not dissolved before it) has no offer for it. The portal offers every
such group when the briefing is recorded, so a gap means a group was formed (or its formation
date entered) after the briefing was recorded, or a briefing was entered outside the portal's
pages (a data import, the database). An offer cannot be withdrawn; a group that does not want
the briefing declines it, and a decline is equal treatment.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from cases.briefings.models import Briefing, BriefingOffer, BriefingResponseChange
from people.models import Member, PoliticalGroup
from people.roles import Role
from people.selectors import user_roles

OVERSEEING_ROLES = frozenset({Role.MONITORING_OFFICER, Role.DEMOCRATIC_SERVICES})


def spokespeople(group: PoliticalGroup) -> list[Member]:
    """The group's serving leader and whips: told of each offer, and record the group's response."""
    whips = Member.objects.current().filter(groups_whipped=group).select_related("user")
    people = {member.pk: member for member in whips}
    if group.leader_id and group.leader_id not in people:
        leader = Member.objects.current().filter(pk=group.leader_id).select_related("user").first()
        if leader is not None:
            people[leader.pk] = leader
    return list(people.values())


def groups_spoken_for(user: User | AnonymousUser) -> set[int]:
    """The groups ``user`` leads or whips now (read once per user object)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_groups_spoken_for", None)
    if cached is None:
        serving = Member.objects.current().filter(user_id=user.pk)
        cached = frozenset(
            PoliticalGroup.objects.filter(Q(leader__in=serving) | Q(whips__in=serving)).values_list("pk", flat=True)
        )
        user._groups_spoken_for = cached  # type: ignore[attr-defined]  # a cache on this user object, not a field
    return set(cached)


def oversees_briefings(user: User | AnonymousUser) -> bool:
    """The Monitoring Officer (and deputies) and Democratic Services see every briefing; so do
    administrators, who have them read-only in the Django admin (cases.admin)."""
    return user.is_authenticated and (user.is_superuser or bool(user_roles(user) & OVERSEEING_ROLES))


def may_record_briefing(user: User | AnonymousUser) -> bool:
    """A serving officer records a briefing they, or a colleague, offered (001 §9.5)."""
    officer = getattr(user, "officer", None)
    return user.is_authenticated and officer is not None and officer.is_serving()


def may_see_briefings(user: User | AnonymousUser) -> bool:
    return may_record_briefing(user) or oversees_briefings(user) or bool(groups_spoken_for(user))


def briefings_visible_to(user: User | AnonymousUser) -> QuerySet[Briefing]:
    if not user.is_authenticated:
        return Briefing.objects.none()
    briefings = Briefing.objects.select_related("given_by__user", "first_offered_to")
    if oversees_briefings(user):
        return briefings
    mine = Q(recorded_by_id=user.pk) | Q(given_by__user_id=user.pk)
    groups = groups_spoken_for(user)
    if groups:
        mine |= Q(pk__in=BriefingOffer.objects.filter(group_id__in=groups).values("briefing_id"))
    return briefings.filter(mine)


def briefing_get_for_user(user: User | AnonymousUser, reference: str) -> Briefing:
    """One briefing with its offers, or 404 for anyone who may not see it."""
    # Each offer's earlier responses, for the record of who said what (BriefingResponseChange).
    changes = BriefingResponseChange.objects.select_related("actor")
    offers = BriefingOffer.objects.select_related("group", "responded_by").prefetch_related(
        Prefetch("changes", queryset=changes)
    )
    try:
        return (
            briefings_visible_to(user)
            .select_related("recorded_by")
            .prefetch_related(Prefetch("offers", queryset=offers))
            .get(reference=reference)
        )
    except Briefing.DoesNotExist:
        raise Http404("No such briefing") from None


def sees_every_response(briefing: Briefing, user: User | AnonymousUser) -> bool:
    """The officers concerned and those overseeing see every group's response; a group's
    leader and whips see their own group's, and that the others were offered the same."""
    return user.pk in (briefing.recorded_by_id, briefing.given_by.user_id) or oversees_briefings(user)


def may_record_response(offer: BriefingOffer, user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (
        user.pk == offer.briefing.recorded_by_id or offer.group_id in groups_spoken_for(user)
    )


def may_offer_to_groups_left_out(briefing: Briefing, user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (user.pk == briefing.recorded_by_id or oversees_briefings(user))


def groups_left_out(briefing: Briefing, groups: list[PoliticalGroup] | None = None) -> list[PoliticalGroup]:
    """The groups that existed on the briefing's date with no offer for it. With ``groups``
    (every group, read once for a page) and the briefing's offers prefetched: no query."""
    groups = groups if groups is not None else list(PoliticalGroup.objects.all())
    offered = {offer.group_id for offer in briefing.offers.all()}
    return [g for g in groups if g.pk not in offered and g.existed_on(briefing.takes_place_on)]


def briefings_not_offered_to_every_group() -> QuerySet[Briefing]:
    """Every briefing some group was left out of (the rule in this module's docstring), one query."""
    offered = BriefingOffer.objects.filter(briefing_id=OuterRef(OuterRef("pk")), group_id=OuterRef("pk"))
    left_out = PoliticalGroup.objects.existing_on(OuterRef("takes_place_on")).filter(~Exists(offered))
    return Briefing.objects.filter(Exists(left_out))


def briefings_left_out_for(user: User | AnonymousUser) -> QuerySet[Briefing]:
    """The compliance view: for the Monitoring Officer (and deputies) and Democratic Services."""
    if not oversees_briefings(user):
        return Briefing.objects.none()
    return briefings_not_offered_to_every_group().select_related("given_by__user", "first_offered_to")
