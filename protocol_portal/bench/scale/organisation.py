"""The organisation to hang a decade of cases on: the council already in the database
(``protocol_portal.demo``'s, as seed_demo builds it), read once into plain ids."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import Permission

from cases.models import Behaviour
from escalation.routing import concern_line_managers
from people.models import Committee, Member, Officer, Service
from people.selectors import chair_of_standards, director_of_people_services, head_of_paid_service, monitoring_officer
from protocol_portal.demo import DEMO_ACCOUNTS

SERVICE_WEIGHTS = {
    "Highways and Transport": 24,
    "Waste and Recycling": 11,
    "Housing": 11,
    "Planning and Building Control": 8,
    "Adult Social Care": 6,
    "Revenues and Benefits": 6,
    "Parks and Green Spaces": 5,
    "Education and Skills": 6,
    "Legal and Democratic Services": 4,
}


@dataclass
class ServiceLadder:
    pk: int
    owners: list[int]
    ladder: tuple[int, ...]  # the rungs above a liaison officer: head, director, chief executive
    decliner: int


@dataclass
class Council:
    members: list[tuple[int, int, int | None, int | None]]  # pk, user, first ward, group
    member_weights: list[float]
    services: list[ServiceLadder]
    service_weights: list[float]
    officer_user: dict[int, int]
    chains: dict[int, tuple[int, ...]]  # officer -> users of the officer and their management chain
    concern_officers: list[tuple[int, int]]  # (officer, service) who may be a concern's party
    line_managers: dict[int, int | None]  # officer -> stage-2 handler
    officer_line_manager: dict[int, int | None]
    serving: set[int]
    chief: int
    monitoring_officer: int
    people_director: int | None
    chair: tuple[int, int] | None  # member, user
    whips: dict[int, list[tuple[int, int]]]  # group -> [(member, user)]
    behaviours: list[int]
    committees: list[int]
    view_enquiry: int
    view_concern: int


def load_council() -> Council:
    """The organisation to hang the cases on, in a few dozen queries."""
    chief, mo = head_of_paid_service(), monitoring_officer()
    if chief is None or mo is None:
        raise ValueError("The council needs a Head of Paid Service and a Monitoring Officer (seed_demo builds one).")
    officers = list(Officer.objects.current().select_related("line_manager"))
    officer_user = {o.pk: o.user_id for o in officers}
    serving = set(officer_user)
    by_pk = {o.pk: o for o in officers}
    wards = dict(Member.wards.through.objects.order_by("pk").values_list("member_id", "ward_id"))
    rows = Member.objects.current().order_by("pk").values_list("pk", "user_id", "group_id", "user__username")
    members = [(pk, user_id, wards.get(pk), group_id) for pk, user_id, group_id, _ in rows]
    # Some councillors ask more than others; the demo accounts ask an average share (a million
    # enquiries among fifty councillors: about 20,000 each), so the benchmarks see a typical one.
    rng = random.Random(len(members))
    member_weights = [1.0 if username in DEMO_ACCOUNTS else rng.uniform(0.5, 1.5) for *_, username in rows]
    services, service_weights = [], []
    liaison = defaultdict(list)
    for service_id, officer_id in Service.liaison_officers.through.objects.values_list("service_id", "officer_id"):
        if officer_id in serving:
            liaison[service_id].append(officer_id)
    for service in Service.objects.select_related("directorate").order_by("pk"):
        head, director = service.head_of_service_id, service.directorate.director_id
        owners = sorted(liaison[service.pk]) or [o for o in (head, director, chief.pk) if o in serving][:1]
        ladder = tuple(o for o in (head, director, chief.pk) if o in serving)
        decliner = next(o for o in (head, director, chief.pk) if o in serving)
        services.append(ServiceLadder(service.pk, owners, ladder, decliner))
        service_weights.append(SERVICE_WEIGHTS.get(service.name, 2))

    def chain(officer_id: int) -> tuple[int, ...]:
        users = [officer_user[officer_id]]
        users += [manager.user_id for manager in by_pk[officer_id].management_chain()]
        return tuple(dict.fromkeys(users))

    owners = {o for s in services for o in s.owners} | {o for s in services for o in s.ladder}
    chains = {officer_id: chain(officer_id) for officer_id in owners}
    mo_team = {mo.pk, chief.pk}
    concern_officers = [(o.pk, o.service_id) for o in officers if o.service_id and o.pk not in mo_team]
    chair = chair_of_standards()
    whips = defaultdict(list)
    for group_id, member_id, user_id in Member.groups_whipped.through.objects.values_list(
        "politicalgroup_id", "member_id", "member__user_id"
    ):
        whips[group_id].append((member_id, user_id))
    people_director = director_of_people_services()
    return Council(
        members=members,
        member_weights=member_weights,
        services=services,
        service_weights=service_weights,
        officer_user=officer_user,
        chains=chains,
        concern_officers=concern_officers,
        line_managers=concern_line_managers([o for o, _ in concern_officers]),
        officer_line_manager={o.pk: o.line_manager_id for o in officers},
        serving=serving,
        chief=chief.pk,
        monitoring_officer=mo.pk,
        people_director=people_director.pk if people_director else None,
        chair=(chair.pk, chair.user_id) if chair else None,
        whips=dict(whips),
        behaviours=list(Behaviour.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)),
        committees=list(Committee.objects.order_by("pk").values_list("pk", flat=True)),
        view_enquiry=Permission.objects.get(codename="view_enquiry", content_type__app_label="cases").pk,
        view_concern=Permission.objects.get(codename="view_concern", content_type__app_label="cases").pk,
    )
