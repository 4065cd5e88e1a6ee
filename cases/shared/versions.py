"""The version check and row lock every change to a case goes through: the case is read
again under a row lock, and a form sent from a page loaded before someone else's change
is refused (the page shows the latest version and says why)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django_fsm import has_transition_perm

Case = TypeVar("Case", bound=models.Model)


def locked_current(
    queryset: models.QuerySet[Case],
    *,
    pk: int,
    expected_version: int | None,
    conflict: Callable[[Case], Exception],
) -> Case:
    """The row ``pk`` of ``queryset`` re-read under a row lock; ``conflict(current)`` is
    raised if its version is no longer ``expected_version`` (None: no check)."""
    current = queryset.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        raise conflict(current)
    return current


def version_save(case: models.Model) -> None:
    """Save a change, moving the version on so older pages' forms are refused."""
    case.version += 1
    case.save()


def transition_require(bound_transition, user, message: str) -> None:
    """Refuse ``user`` a transition whose ``permission=`` does not allow them now."""
    if not has_transition_perm(bound_transition, user):
        raise PermissionDenied(message)
