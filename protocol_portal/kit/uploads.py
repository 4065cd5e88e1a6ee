"""Uploads are limited to ATTACHMENT_MAX_BYTES without first being written to disk in full."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for uploads too big to hold in memory, which keeps at most one
    byte more than ATTACHMENT_MAX_BYTES of each file and drops the rest, while the file's
    ``size`` still says how big it really was. The form then refuses it by name and size
    ("must be smaller than 10 MB"), and an upload of gigabytes never fills the disk."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = settings.ATTACHMENT_MAX_BYTES + 1 - self.kept
        if room > 0:
            piece = raw_data[:room]
            self.file.write(piece)
            self.kept += len(piece)
