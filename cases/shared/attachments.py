"""What may be attached to an enquiry, an answer or a concern: PDF, Word, Excel, plain
text, PNG or JPEG, each under ATTACHMENT_MAX_BYTES (10 MB by default).

A file is checked by what it contains, not only by its name: its bytes must be the kind
its extension says (filetype reads the binary formats' signatures; a .docx or .xlsx is
opened as the zip package it must be; a .txt must be text). A program or a web page
renamed ``invoice.pdf`` is refused with the GOV.UK message for a wrong file type.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat

from cases.shared.models import Attachment

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .xls


@dataclass(frozen=True)
class Kind:
    words: str  # "a real PDF", as a person says it
    content_type: str
    filetype_extensions: frozenset[str] = frozenset()  # what filetype may call it
    package_part: str = ""  # a .docx or .xlsx: the part its zip package must hold
    ole_container: bool = False  # a .doc or .xls
    text: bool = False


KINDS: dict[str, Kind] = {
    ".pdf": Kind("PDF", "application/pdf", frozenset({"pdf"})),
    ".docx": Kind(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        frozenset({"docx"}),
        package_part="word/document.xml",
    ),
    ".xlsx": Kind(
        "Excel spreadsheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        frozenset({"xlsx"}),
        package_part="xl/workbook.xml",
    ),
    ".doc": Kind("Word document", "application/msword", frozenset({"doc"}), ole_container=True),
    ".xls": Kind("Excel spreadsheet", "application/vnd.ms-excel", frozenset({"xls"}), ole_container=True),
    ".png": Kind("PNG image", "image/png", frozenset({"png"})),
    ".jpg": Kind("JPEG image", "image/jpeg", frozenset({"jpg"})),
    ".jpeg": Kind("JPEG image", "image/jpeg", frozenset({"jpg"})),
    ".txt": Kind("plain text file", "text/plain", text=True),
}
ALLOWED_TYPES = "a PDF, Word document, Excel spreadsheet, plain text file, PNG or JPEG image"
# Text may hold tabs, line and page breaks; any other control character means a binary file.
_CONTROL_CHARACTERS = {chr(code) for code in range(32)} - {"\t", "\n", "\r", "\f"}


def _size_in_words(size: int) -> str:
    megabytes, rest = divmod(size, 1024 * 1024)
    return f"{megabytes} MB" if megabytes and not rest else filesizeformat(size)


def _is_text(upload: UploadedFile) -> bool:
    """UTF-8 (with or without a byte-order mark) or, as Windows editors still write it,
    Windows-1252, and no NULs or other control characters, read to the end."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        upload.seek(0)
        try:
            for chunk in upload.chunks():
                if not _CONTROL_CHARACTERS.isdisjoint(decoder.decode(chunk)):
                    return False
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _is_package_with(upload: UploadedFile, part: str) -> bool:
    """A zip package holding ``part``: what Word and Excel write, whichever order their
    parts come in (filetype recognises only the commonest orders)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        return False
    return "[Content_Types].xml" in names and part in names


def _is_what_it_says(upload: UploadedFile, kind: Kind) -> bool:
    if kind.text:
        return _is_text(upload)
    upload.seek(0)
    head = upload.read(8192)
    guess = filetype.guess(head)
    if guess is not None and guess.extension in kind.filetype_extensions:
        return True
    if kind.package_part and guess is not None and guess.extension == "zip":
        return _is_package_with(upload, kind.package_part)
    if kind.ole_container and guess is None:
        # filetype names a .doc or .xls only from markers at fixed places that not every
        # Word or Excel writes; an OLE container that is nothing else it knows is accepted.
        return head.startswith(OLE)
    return False


def content_type_for(name: str) -> str:
    """The content type an accepted file is served with, from its (checked) extension."""
    kind = KINDS.get(PurePath(name).suffix.lower())
    return kind.content_type if kind else "application/octet-stream"


def validate_attachment(upload: UploadedFile) -> None:
    """Refuses, in the words of the GOV.UK file upload component, a file that is too big,
    empty, of a type the council does not take, or not what its name says."""
    name = upload.name or "file"
    selected = f"The selected file ‘{name}’"
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"{selected} must be smaller than {_size_in_words(limit)}")
    if upload.size == 0:
        raise ValidationError(f"{selected} is empty")
    kind = KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise ValidationError(f"{selected} must be {ALLOWED_TYPES}")
    try:
        matches = _is_what_it_says(upload, kind)
    finally:
        upload.seek(0)
    if not matches:
        raise ValidationError(f"{selected} is not a real {kind.words}: it must be {ALLOWED_TYPES}")


def attachments_save(
    files: Sequence[UploadedFile], *, user, enquiry=None, answer=None, concern=None
) -> list[Attachment]:
    """Keep each checked upload on its enquiry (and answer) or, as evidence, on its concern."""
    return [
        Attachment.objects.create(
            enquiry=enquiry,
            answer=answer,
            concern=concern,
            file=upload,
            name=upload.name,
            size=upload.size,
            # From the checked extension (validate_attachment), never the browser's say-so.
            content_type=content_type_for(upload.name),
            uploaded_by=user,
        )
        for upload in files
    ]


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download (``Content-Disposition: attachment``), never opened in the
    portal's own origin, with the type its checked extension gives and ``nosniff`` so the
    browser does not guess another. The caller has checked the reader may see its case."""
    return file_response(attachment.file, attachment.name)


def file_response(file, name: str) -> FileResponse:
    """A stored file as attachment_response serves it, under ``name`` (a ward notice's file)."""
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=content_type_for(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
