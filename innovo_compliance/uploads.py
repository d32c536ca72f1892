"""Upload limits that hold while the body streams in (issue 9, finding 12).

The largest form takes 5 attachments of 10 MB (cases/forms.py); nothing else
takes more. `RequestLimitsMiddleware` refuses a body whose declared length is
over MAX_REQUEST_BYTES before reading it. `CappedUploadHandler`, first in
FILE_UPLOAD_HANDLERS, bounds what the multipart parser keeps whatever the
declared length: past MAX_FILE_BYTES a file's bytes are dropped (the form then
sees a file larger than 10 MB and says so), and past MAX_REQUEST_BYTES in all
the upload stops with a 413.
"""

from __future__ import annotations

from io import BytesIO

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

MB = 1024 * 1024
MAX_FILE_BYTES = 10 * MB
MAX_FILES = 5
MAX_REQUEST_BYTES = MAX_FILES * MAX_FILE_BYTES + MB  # the files and the form's text


def describe_bytes(size: int) -> str:
    return f"{size / MB:g} MB"


class UploadTooBig(RequestDataTooBig):
    """More file data than any form takes."""


class OversizeUpload(UploadedFile):
    """Stands for a file that was too large to keep: its name and size, no content."""

    def __init__(self, name, content_type, size):
        super().__init__(BytesIO(b""), name=name, content_type=content_type, size=size)


class CappedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.total = 0
        self.file_bytes = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        self.file_bytes += len(raw_data)
        if self.total > MAX_REQUEST_BYTES:
            raise UploadTooBig(f"More than {describe_bytes(MAX_REQUEST_BYTES)} of files.")
        if self.file_bytes > MAX_FILE_BYTES:
            return None  # keep nothing more of this file; the next handlers stop getting it
        return raw_data

    def file_complete(self, file_size):
        if self.file_bytes > MAX_FILE_BYTES:
            return OversizeUpload(self.file_name, self.content_type, self.file_bytes)
        return None  # the next handler (memory or temporary file) has the file
