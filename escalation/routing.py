"""Who a member's enquiry goes to (DESIGN §3 "Routing", §5; 001 §3.2(e), 003).

Routing honours contact prohibitions (000 §VIII): while one is in force, the
member's enquiries never reach an officer it covers. They go to the Monitoring
Officer's office instead, and climbs skip the covered rungs.

It honours cover while away too (issue 15 C11): while a colleague covers an officer, what
would go to the officer goes to the colleague, one step only (the colleague's own cover is
not followed: cases.cover.services refuses a chain, and nothing here can loop). A cover is a
routing like any other, so a prohibition that stops the member contacting the colleague is
honoured as for the officer themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from people.models import ContactProhibition, Cover, Member, Officer, Service
from people.selectors import (
    active_contact_prohibitions,
    cover_in_force,
    head_of_paid_service,
    monitoring_officer,
    monitoring_officer_team,
)


@dataclass(frozen=True)
class Route:
    owner: Officer | None
    # The prohibition that sent the enquiry to the Monitoring Officer's office instead.
    prohibition: ContactProhibition | None = None
    # The officer away whom the owner covers for (issue 15 C11), when a cover sent it to them.
    covering_for: Officer | None = None


def service_first_owner(*, service: Service, on: date | None = None) -> Officer | None:
    """The service's Councillor Liaison Officer, else its Head of Service.

    With several liaison officers the first by name takes it; they can reassign
    within the service.
    """
    liaison = service.liaison_officers.current(on=on).select_related("user").order_by("user__last_name", "pk").first()
    if liaison is not None:
        return liaison
    head = service.head_of_service
    if head is not None and head.is_serving(on=on):
        return head
    return None


def enquiry_route(*, service: Service, member: Member, on: date | None = None) -> Route:
    """The first owner of ``member``'s enquiry to ``service``, or the colleague covering for
    them while they are away (issue 15 C11); or the Monitoring Officer's office when a contact
    prohibition covers whichever of them it would reach (DESIGN §5)."""
    first = service_first_owner(service=service, on=on)
    if first is None:
        return Route(owner=None)
    prohibitions = active_contact_prohibitions(member_ids=[member.pk], on=on).get(member.pk, [])
    owner, cover = stand_in(first, on=on)
    for prohibition in prohibitions:
        if prohibition.forbids(officer_id=owner.pk, service_id=owner.service_id):
            office = monitoring_officer()
            if office is None:
                return Route(owner=None, prohibition=prohibition)
            # The Monitoring Officer's office is the place of last resort: their own cover takes it
            # while they are away, unless the member may not contact that colleague either.
            stand, office_cover = stand_in(office, on=on)
            if office_cover is not None and not forbidden(stand, prohibitions):
                return Route(owner=stand, prohibition=prohibition, covering_for=office)
            return Route(owner=office, prohibition=prohibition)
    return Route(owner=owner, covering_for=first if cover is not None else None)


def stand_in(officer: Officer, *, on: date | None = None) -> tuple[Officer, Cover | None]:
    """Who takes what would go to ``officer`` on ``on``: the colleague covering for them while
    they are away, with the cover, else the officer themselves (one step: issue 15 C11)."""
    cover = cover_in_force(officer=officer, on=on)
    return (cover.covered_by, cover) if cover is not None else (officer, None)


def forbidden(officer: Officer, prohibitions: Iterable[ContactProhibition]) -> bool:
    """Whether any of ``prohibitions`` stops its member contacting ``officer``."""
    return any(p.forbids(officer_id=officer.pk, service_id=officer.service_id) for p in prohibitions)


def enquiry_first_owner(*, service: Service, member: Member, on: date | None = None) -> Officer | None:
    return enquiry_route(service=service, member=member, on=on).owner


def covered_ladder(ladder: tuple[int | None, ...], covers: dict[int, Cover]) -> tuple[int | None, ...]:
    """``ladder`` with each rung whose holder is away held by the colleague covering for them
    (``covers``: people.selectors.covers_in_force), one step only (issue 15 C11)."""
    return tuple(
        covers[officer_id].covered_by_id if officer_id is not None and officer_id in covers else officer_id
        for officer_id in ladder
    )


def permitted_ladder(
    ladder: tuple[int | None, ...],
    prohibitions: Iterable[ContactProhibition],
    officer_services: dict[int, int | None],
) -> tuple[int | None, ...]:
    """``ladder`` with every rung a prohibition covers emptied, so a climb passes over it
    (``escalation.deadlines.next_rung`` skips empty rungs). ``officer_services`` gives
    each officer's service."""
    prohibitions = list(prohibitions)
    if not prohibitions:
        return ladder
    return tuple(
        None
        if officer_id is not None
        and any(p.forbids(officer_id=officer_id, service_id=officer_services.get(officer_id)) for p in prohibitions)
        else officer_id
        for officer_id in ladder
    )


# --- Concerns (DESIGN §4; 001 §6, 000 §VIII) ------------------------------------------


def concern_line_managers(officer_ids: Iterable[int], *, on: date | None = None) -> dict[int, int | None]:
    """Stage 2 of a concern: for each officer party, the manager who handles it (001 §6.1,
    §6.2): their service's Head of Service, or its Director where the officer is the Head
    of Service, else their own line manager, else the Chief Executive, and for the Chief
    Executive the Monitoring Officer. Serving people only, never the officer themselves.
    Five queries for any number of officers."""
    officer_ids = set(officer_ids)
    serving = set(Officer.objects.current(on=on).values_list("pk", flat=True))
    chief = head_of_paid_service()
    # Above the Chief Executive there is no line manager: the Monitoring Officer takes it.
    office = monitoring_officer()
    rows = Officer.objects.filter(pk__in=officer_ids).values_list(
        "pk", "service__head_of_service_id", "service__directorate__director_id", "line_manager_id"
    )
    managers = {}
    for officer_id, head_id, director_id, line_manager_id in rows:
        candidates = (head_id, director_id, line_manager_id, chief.pk if chief else None, office.pk if office else None)
        managers[officer_id] = next(
            (pk for pk in candidates if pk is not None and pk != officer_id and pk in serving), None
        )
    return managers


def concern_reviewer(*, excluding: Iterable[int] = ()) -> Officer | None:
    """Stage 3 and 4 of a concern: the Monitoring Officer (000 §VIII), or a deputy when
    the Monitoring Officer is a party to it."""
    excluding = set(excluding)
    holder = monitoring_officer()
    if holder is not None and holder.pk not in excluding:
        return holder
    return monitoring_officer_team().exclude(pk__in=excluding).order_by("pk").first()
