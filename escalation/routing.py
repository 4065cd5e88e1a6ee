"""Who first owns a member's enquiry (DESIGN §3 "Routing"; 001 §3.2(e), 003)."""

from __future__ import annotations

from datetime import date

from people.models import Member, Officer, Service


def enquiry_first_owner(*, service: Service, member: Member, on: date | None = None) -> Officer | None:
    """The service's Councillor Liaison Officer, else its Head of Service.

    With several liaison officers the first by name takes it; they can reassign
    within the service. ``member`` is here for contact prohibitions (DESIGN §5),
    which a later change honours.
    """
    liaison = service.liaison_officers.current(on=on).select_related("user").order_by("user__last_name", "pk").first()
    if liaison is not None:
        return liaison
    head = service.head_of_service
    if head is not None and head.is_serving(on=on):
        return head
    return None
