"""A form that makes a case is made once, however many times it is sent
(cases.shared.forms.SubmittedOnceForm carries the key)."""

from __future__ import annotations

from uuid import UUID

from django.db import models


class AlreadySubmitted(Exception):
    """The form that would create this case was sent before: a double click sends it twice."""

    def __init__(self, case) -> None:
        self.case = case
        super().__init__(f"{case.reference} was already made from this form.")


def refuse_resubmission(model: type[models.Model], submission_key: UUID | None) -> None:
    """Refuse a form already used to make a case. Called after next_reference
    (cases.shared.references): its row lock makes a second submission of the form wait
    until the first commits, so this finds the first; the unique key is the backstop."""
    if submission_key is not None:
        existing = model.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            raise AlreadySubmitted(existing)
