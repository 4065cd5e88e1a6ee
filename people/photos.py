"""A councillor's photo (003: member profiles): a PNG or JPEG by its content, not only its
name, no bigger than an attachment (ATTACHMENT_MAX_BYTES), and served only by
people.views.member_photo to someone signed in, never from a public media URL."""

from __future__ import annotations

from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile

# A photo's extension, and the filetype name its bytes must have.
PHOTO_TYPES = {".png": ("png", "image/png"), ".jpg": ("jpg", "image/jpeg"), ".jpeg": ("jpg", "image/jpeg")}


def photo_content_type(name: str) -> str:
    return PHOTO_TYPES.get(PurePath(name).suffix.lower(), ("", "application/octet-stream"))[1]


def validate_photo(photo: FieldFile) -> None:
    """Checks a newly chosen photo; one already stored was checked when it came."""
    if getattr(photo, "_committed", True):
        return
    limit = settings.ATTACHMENT_MAX_BYTES
    if photo.size > limit:
        raise ValidationError(f"The selected file must be smaller than {limit // (1024 * 1024)} MB")
    expected = PHOTO_TYPES.get(PurePath(photo.name).suffix.lower())
    photo.seek(0)
    guess = filetype.guess(photo.read(8192))
    photo.seek(0)
    if expected is None or guess is None or guess.extension != expected[0]:
        raise ValidationError("The selected file must be a PNG or JPEG image")
