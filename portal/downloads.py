"""Every file download (exhibits, ownership documents, bundles) leaves through here, after its permission check.

On local storage the file is streamed as an attachment; on S3 the browser is sent to a presigned URL that
expires within five minutes and tells S3 to answer with the same attachment header. The original name is
encoded per RFC 6266 / RFC 5987, so no name can inject a header.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from ownership.shared.files.policy import clean_original_name


def file_download(request: HttpRequest, *, storage_name: str, original_name: str, content_type: str) -> HttpResponse:
    filename = clean_original_name(original_name)
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    if _is_s3():
        url = default_storage.url(
            storage_name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=min(settings.PRESIGNED_URL_EXPIRY_SECONDS, 300),
        )
        response: HttpResponse = HttpResponseRedirect(url)
        response["Cache-Control"] = "no-store"
        return response
    response = FileResponse(default_storage.open(storage_name, "rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _is_s3() -> bool:
    return settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
