"""The files on the subject's records, or uploaded by them: all listed, their own included."""

from __future__ import annotations

from django.db.models import Q

from cases.models import Attachment
from reporting.subject_access.case_files import attachment_fate, attachment_path
from reporting.subject_access.concerns import concerns_of
from reporting.subject_access.enquiries import enquiries_of
from reporting.subject_access.export import Export, Free, export_kind, when


@export_kind(
    "files",
    title="Files",
    explains="files.csv lists every file on your records or uploaded by you; files/ holds the ones you "
    "uploaded. Files other people uploaded are listed but not included.",
)
def files(x: Export) -> int:
    attachments = list(
        Attachment.objects.filter(
            Q(uploaded_by=x.subject)
            | Q(enquiry__in=enquiries_of(x).values("pk"))
            | Q(concern__in=concerns_of(x).values("pk"))
        )
        .select_related("enquiry", "concern")
        .order_by("uploaded_at", "pk")
    )
    rows = []
    for attachment in attachments:
        fate = attachment_fate(x, attachment)
        if attachment.uploaded_by_id == x.subject.pk and not x.stored(attachment_path(attachment), attachment.file):
            fate = "missing from the portal's storage"
        rows.append(
            [
                (attachment.enquiry or attachment.concern).reference,
                Free(attachment.name),
                str(attachment.size),
                attachment.content_type,
                x.user(attachment.uploaded_by_id),
                when(attachment.uploaded_at),
                fate,
            ]
        )
    x.csv("files.csv", ["Case", "File name", "Bytes", "Type", "Uploaded by", "Uploaded", "In this export"], rows)
    return len(attachments)
