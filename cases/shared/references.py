"""Case references: ENQ-2026-00042, CON-2026-00007, one sequence per prefix and year."""

from __future__ import annotations

from django.db.models import F

from cases.shared.models import ReferenceSequence


def next_reference(prefix: str, year: int) -> str:
    """The next reference for ``prefix`` in ``year``. Call it inside the transaction that
    makes the case: the UPDATE locks the year's row until commit, so two filings never
    share a number, and a filing that fails gives its number back."""
    ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
    ReferenceSequence.objects.filter(prefix=prefix, year=year).update(last_number=F("last_number") + 1)
    number = ReferenceSequence.objects.get(prefix=prefix, year=year).last_number
    return f"{prefix}-{year}-{number:05d}"
