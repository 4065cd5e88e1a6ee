"""Producing a subject access export (UK GDPR Art. 15; docs/subject-access.md): the kinds of
record in the order of its index, and ``subject_access_export``, which builds the ZIP and
records who produced it in the audit log.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from people.audit import Origin, audit_event_record
from people.models import AuditEvent
from reporting.subject_access import accounts, concerns, enquiries, files, working_together
from reporting.subject_access.accounts import subject_access_detail
from reporting.subject_access.export import Export, ExportKind

# How an export's ZIP is held while it is built: in memory up to this size, then on disk.
SPOOL_MAX_BYTES = 16 * 1024 * 1024

# The kinds of record, in the order of the export's index (README.txt). A new kind is a
# function made into one by ``export_kind`` in the module of its subject, and a line here.
KINDS: list[ExportKind] = [
    accounts.account,
    accounts.councillor,
    accounts.officer,
    enquiries.enquiries,
    concerns.concerns,
    working_together.positive_examples,
    working_together.ward_notices,
    working_together.briefings,
    concerns.contact_prohibitions,
    accounts.notifications,
    accounts.audit_log,
    files.files,
]


# === Producing an export ===================================================================


@dataclass
class Produced:
    file: object  # a file object at its start, holding the ZIP
    filename: str
    counts: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def subject_access_export(
    *, subject: User, actor: User, origin: Origin, reference: str = "", now: datetime | None = None
) -> Produced:
    """Build the ZIP of everything the portal holds about ``subject`` and record in the audit
    log who produced it, for whom and when (UK GDPR Art. 15; docs/subject-access.md).

    The ZIP is built in a spooled temporary file: in memory while small, on disk past
    SPOOL_MAX_BYTES (attachments can be large)."""
    now = now or timezone.now()
    export = Export(subject=subject, now=now, kinds=KINDS)
    export.collect()
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115 (the response closes it)
    export.write_zip(spool)
    spool.seek(0)
    audit_event_record(
        kind=AuditEvent.Kind.SUBJECT_ACCESS_EXPORT,
        origin=origin,
        user=actor,
        detail=subject_access_detail(subject, reference=reference),
    )
    return Produced(file=spool, filename=f"{export.folder()}.zip", counts=export.counts)
