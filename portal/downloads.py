"""Serving a stored file to a person who may have it. The caller checks permission first; this only serves.

Files are never reachable from a public media URL: local files are streamed through Django, and on S3 the
browser is sent to a presigned URL that lives at most five minutes and forces the download name.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from storages.backends.s3 import S3Storage

from ownership.files import clean_original_name

MAX_PRESIGNED_SECONDS = 300


def content_disposition(original_name: str) -> str:
    """``attachment`` with the name per RFC 6266: an ASCII fallback and the exact name as UTF-8.

    Control characters (CR, LF) and path parts are removed first; quotes, backslashes and anything outside
    printable ASCII become "_" in the fallback, and the UTF-8 form is fully percent-encoded, so no name can
    end the header or add another.
    """
    name = clean_original_name(original_name)
    fallback = re.sub(r"[^A-Za-z0-9 !#$&+,\-.;=@^_`{}~()\[\]]", "_", name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_download(request: HttpRequest, *, storage_name: str, original_name: str, content_type: str) -> HttpResponse:
    """Answer with the stored file ``storage_name`` as a download named ``original_name``.

    Call only after the caller's permission check (an object resolved through ``visible_to(request.user)``).
    """
    disposition = content_disposition(original_name)
    if isinstance(default_storage, S3Storage):
        expiry = min(settings.PRESIGNED_URL_EXPIRY_SECONDS, MAX_PRESIGNED_SECONDS)
        url = default_storage.url(
            storage_name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=expiry,
        )
        response: HttpResponse = HttpResponseRedirect(url)
    else:
        response = FileResponse(default_storage.open(storage_name, "rb"), content_type=content_type)
        response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
