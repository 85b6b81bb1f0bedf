"""The public verification page: anyone holding a document this portal signed (a bundle, a notice, a dossier, a
signed statement or test-buy report, a capture record) learns whether the portal issued it unaltered, and what
it certifies. It says nothing the document does not say itself."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ownership.shared.registry import issued_with
from portal.bundle.verify import verify_document_file


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("The PDF you received"), required=False)
    sha256 = forms.CharField(label=_("or its SHA-256"), required=False, max_length=64)

    def clean_sha256(self) -> str:
        value = self.cleaned_data["sha256"].strip().lower()
        if value and not re.fullmatch(r"[0-9a-f]{64}", value):
            raise forms.ValidationError(_("A SHA-256 is 64 hexadecimal characters."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("sha256"):
            raise forms.ValidationError(_("Choose the PDF or paste its SHA-256."))
        return cleaned


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["file"]:
            with tempfile.TemporaryDirectory() as workdir:
                path = Path(workdir) / "document.pdf"
                with open(path, "wb") as target:
                    for chunk in form.cleaned_data["file"].chunks():
                        target.write(chunk)
                verdict = verify_document_file(path)
            records = [verdict.record] if verdict.genuine else []
            result = {"genuine": verdict.genuine, "records": records, "reasons": verdict.reasons, "by": "file"}
        else:
            digest = form.cleaned_data["sha256"]
            records = issued_with(digest)
            by = "file_hash" if records and records[0].sha256 == digest else "manifest"
            result = {"genuine": bool(records), "records": records, "reasons": (), "by": by}
    return render(request, "portal/web/verify.html", {"form": form, "result": result})
