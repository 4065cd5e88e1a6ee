"""What every case's file in the export shares: its attachments (the subject's own included,
anyone else's only listed) and its timeline."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from django.utils.text import get_valid_filename

from cases.models import Attachment, TimelineEvent
from reporting.subject_access.export import Doc, Export, Free, when


def attachments_section(x: Export, doc: Doc, attachments: Iterable[Attachment]) -> None:
    attachments = list(attachments)
    if not attachments:
        return
    doc.heading("Attachments")
    for attachment in attachments:
        doc.line(
            "- ",
            Free(attachment.name),
            f" ({attachment.size:,} bytes), uploaded {when(attachment.uploaded_at)} "
            f"by {x.user(attachment.uploaded_by_id)}: {attachment_fate(x, attachment)}",
        )


def attachment_path(attachment: Attachment) -> str:
    # The name as uploaded, made safe as a file name (no folders, no "..").
    return f"files/{attachment.pk}-{get_valid_filename(PurePath(attachment.name.replace(chr(92), '/')).name)}"


def attachment_fate(x: Export, attachment: Attachment) -> str:
    if attachment.uploaded_by_id == x.subject.pk:
        return f"included as {attachment_path(attachment)}"
    return "not included (uploaded by someone else)"


def timeline_section(x: Export, doc: Doc, events: Iterable[TimelineEvent]) -> None:
    doc.heading("Timeline")
    for event in events:
        parts = [f"{when(event.at)}  {event.get_kind_display()}"]
        if event.actor_id:
            parts.append(f", by {x.user(event.actor_id)}")
        if event.from_state or event.to_state:
            parts.append(f", {event.from_state or '-'} → {event.to_state or '-'}")
        if event.from_owner_id or event.to_owner_id:
            parts.append(f", {x.officer_(event.from_owner_id) or '-'} → {x.officer_(event.to_owner_id) or '-'}")
        doc.line("".join(parts))
        if event.note:
            doc.line(Free(event.note, indent="    "))
