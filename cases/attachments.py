"""What may be attached to an enquiry or an answer: PDF, Word, Excel, plain text,
PNG or JPEG, each under ATTACHMENT_MAX_BYTES (10 MB by default).

The name's extension must match what the file's first bytes say it is, so a
renamed program is refused.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

ZIP = b"PK\x03\x04"  # .docx and .xlsx are zip packages
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc and .xls
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".doc": (OLE,),
    ".xls": (OLE,),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (),  # checked as text instead
}
ALLOWED_TYPES = "PDF, Word, Excel, plain text, PNG or JPEG"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def _size_in_words(size: int) -> str:
    megabytes, rest = divmod(size, 1024 * 1024)
    return f"{megabytes} MB" if megabytes and not rest else filesizeformat(size)


def validate_attachment(upload: UploadedFile) -> None:
    name = upload.name or "file"
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"{name} must be smaller than {_size_in_words(limit)}")
    if upload.size == 0:
        raise ValidationError(f"{name} is empty")
    extension = PurePath(name).suffix.lower()
    if extension not in SIGNATURES:
        raise ValidationError(f"{name} must be a {ALLOWED_TYPES} file")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = SIGNATURES[extension]
    matches = _looks_like_text(head) if not signatures else any(head.startswith(sig) for sig in signatures)
    if not matches:
        raise ValidationError(f"{name} is not a real {extension.lstrip('.').upper()} file")
