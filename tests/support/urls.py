"""The project's URLs plus a page and endpoint that carry the upload component, for its tests.

The endpoint stores files with the real file policy (``ownership.shared.files.storage.store_upload``), so the
component is tested against real refusals and real hashes before the evidence app wires it to exhibits.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path, reverse
from django.views.decorators.http import require_POST

from ownership.shared.files.storage import store_upload
from portal.web.forms import EvidenceUploadForm
from portal.web.uploads import UploadResult, upload_response

KIND_CHOICES = [("listing", "Listing capture"), ("product", "Product photo"), ("other", "Other")]
KIND_HINTS = {"names": [[["order", "receipt"], "other"], [["listing"], "listing"]], "types": [["image/", "product"]]}

PAGE = engines["django"].from_string(
    '{% extends "portal/base.html" %}{% block content %}{% include "portal/web/includes/upload.html" %}{% endblock %}'
)


@login_required
def upload_page(request):
    form = EvidenceUploadForm(kind_choices=KIND_CHOICES, kind_hints=KIND_HINTS)
    return HttpResponse(PAGE.render({"upload_url": reverse("test_upload"), "upload_form": form}, request))


@require_POST
@login_required
def upload(request):
    def store(file, *, kind: str, description: str, allow_duplicate: bool) -> UploadResult:
        stored = store_upload(file, folder="test-uploads")
        return UploadResult(name=stored.original_name, sha256=stored.sha256, size=stored.size)

    return upload_response(request, kind_choices=KIND_CHOICES, store=store, redirect_url=reverse("test_upload_page"))


def inline_code_page(request):
    """Inline script and style, which the portal's pages never use: the browser tests' CSP harness must see them."""
    return HttpResponse(
        '<!doctype html><title>untouched</title><p style="color: red">x</p><script>document.title = "ran"</script>'
    )


urlpatterns = [
    path("test/inline-code/", inline_code_page, name="test_inline_code"),
    path("test/upload/", upload, name="test_upload"),
    path("test/upload/page/", upload_page, name="test_upload_page"),
    path("", include("portal.urls")),
]
