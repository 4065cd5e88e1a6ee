"""Where uploads are kept: on disk under MEDIA_ROOT, never at a public URL."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """MEDIA_ROOT with no URL: an attachment, evidence or a member's photo is served only by
    a view that checks who is asking (cases views, people.views), so a link straight to the
    file cannot be made by mistake."""

    def url(self, name: str | None) -> str:
        raise ValueError(
            f"{name} is a private upload with no public URL: link to the view that serves it after checking permission."
        )
