"""Reassigning several enquiries at once from the service queue (issue 15 C12).

A manager ticks enquiries, picks a colleague and gives a reason. Each enquiry goes through
``enquiry_reassign``, the same as one reassigned from its own page: the same permission
checks, the same timeline event, the same notices to the new owner and the councillor. The
batch is one transaction: if any one may not be reassigned, or changed since the queue was
loaded, nothing is, and the manager is told which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.enquiries.models import AWAITING_RESPONSE, Enquiry
from cases.enquiries.services.filing import enquiry_reassign
from people.models import Officer


@dataclass(frozen=True)
class Ticked:
    """An enquiry ticked in the queue, and its version when the queue was loaded."""

    enquiry: Enquiry
    version: int | None


@transaction.atomic
def enquiries_reassign(
    *, ticked: Sequence[Ticked], actor: User, new_owner: Officer, reason: str, now: datetime | None = None
) -> list[Enquiry]:
    """Reassign every ticked enquiry to ``new_owner``, or none of them.

    Refusals (an enquiry no longer waiting for a response, one the actor may not reassign,
    a colleague outside its service or one its councillor may not contact) are collected and
    raised together as one ValidationError naming each enquiry; a change made by someone else
    since the queue was loaded raises EnquiryConflict at once. Either rolls back the batch.
    The rows are locked in a fixed order (by key), so two managers reassigning overlapping
    batches at once wait for each other rather than deadlock."""
    now = now or timezone.now()
    refusals: list[str] = []
    done: list[Enquiry] = []
    for item in sorted(ticked, key=lambda item: item.enquiry.pk):
        enquiry = item.enquiry
        if enquiry.state not in AWAITING_RESPONSE:
            refusals.append(
                f"{enquiry.reference} is “{enquiry.get_state_display()}”: only an enquiry waiting for "
                "a response can be reassigned."
            )
            continue
        try:
            # A savepoint each: a refusal undoes only its own enquiry until the batch is refused.
            done.append(
                enquiry_reassign(
                    enquiry=enquiry,
                    actor=actor,
                    new_owner=new_owner,
                    reason=reason,
                    expected_version=item.version,
                    now=now,
                )
            )
        except PermissionDenied:
            refusals.append(f"You cannot reassign {enquiry.reference}.")
        except ValidationError as error:
            refusals.extend(f"{enquiry.reference}: {message}" for message in error.messages)
    if refusals:
        raise ValidationError(refusals)
    return done
