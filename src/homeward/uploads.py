"""Upload size limits, enforced before and while a request body is read, never after.

Two guards, both from settings (``UPLOAD_MAX_BYTES``, 20 MiB: the largest file any form or API route takes):

* :class:`UploadLimitMiddleware` answers **413** to a request whose declared ``Content-Length`` is over the
  limit (plus :data:`FORM_MARGIN` for the other form fields) before anything reads its body: a 400 MB upload
  costs the server nothing.
* :class:`LimitedUploadHandler` (first of ``FILE_UPLOAD_HANDLERS``) counts each file's bytes as Django
  streams them and stops the upload at the first chunk past the limit (Django then answers 400), so that no
  handler after it (memory, temporary file) ever holds more than the limit.

Non-file bodies (JSON, form fields) are bounded by Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

FORM_MARGIN = 256 * 1024  # room for the form fields and multipart boundaries around the largest file


def max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


class UploadTooLarge(RequestDataTooBig):
    """A file of the upload passed ``UPLOAD_MAX_BYTES`` while it was being read."""


class LimitedUploadHandler(FileUploadHandler):
    """Stop reading a file the moment it passes the limit (see the module)."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > max_bytes():
            raise UploadTooLarge(f"An uploaded file is larger than {max_bytes()} bytes.")
        return raw_data  # pass it on to the next handler

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


class UploadLimitMiddleware:
    """Refuse (413) a body declared larger than the upload limit, before it is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = max_bytes() + FORM_MARGIN
        if declared > limit:
            return _too_large(request, limit)
        return self.get_response(request)


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    detail = _("The upload is larger than %(mb)d MB; nothing of it was read.") % {"mb": max_bytes() // 2**20}
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail, "errors": {"file": [detail]}}, status=413)
    else:
        response = HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"  # the unread body must not be taken for the next request
    return response


__all__: list[Any] = ["LimitedUploadHandler", "UploadLimitMiddleware", "UploadTooLarge", "max_bytes"]
