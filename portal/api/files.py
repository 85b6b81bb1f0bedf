"""The API's file endpoints: a matter's bundles and the client's monthly reports, listed and downloaded, and
exhibits uploaded, streamed and hashed by the same file policy as the matter page's upload."""

from __future__ import annotations

from django.core.exceptions import ValidationError as RefusedFile
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, content_negotiation_class, parser_classes
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from evidence.models import TestPurchase
from evidence.services import DuplicateExhibit, exhibit_upload
from ownership.shared import access
from ownership.shared.files.storage import STORAGE_ERRORS, StorageUnavailable
from portal.api import serializers as s
from portal.api.views import answers, read_operation, scoped_matter
from portal.downloads import file_download
from portal.models import Bundle, ClientReport
from portal.web.uploads import refusal_status


class JsonErrorsOnly(BaseContentNegotiation):
    """A download answers a file whatever the client accepts, and its errors in JSON: no 406."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class StoreUnreachable(APIException):
    status_code = 503
    default_detail = "The file could not be read from the file store. Try again later; if it persists, tell the firm."


def _pdf_answers() -> dict:
    errors = {code: value for code, value in answers(None).items() if code != 200}
    unreadable = OpenApiResponse(s.ErrorSerializer, description="The file store could not be read; try again.")
    return {(200, "application/pdf"): OpenApiTypes.BINARY, **errors, 503: unreadable}


@read_operation("matter_bundles_list", s.BundleSerializer(many=True))
def bundle_list(request: Request, reference: str) -> Response:
    """A matter's complaint bundles, newest first; only ready ones can be downloaded."""
    bundles = Bundle.objects.visible_to(request.user).filter(matter=scoped_matter(request, reference)).order_by("-pk")
    return Response(s.BundleSerializer(bundles[:200], many=True).data)


@extend_schema(operation_id="bundle_download", responses=_pdf_answers())
@api_view(["GET"])
@content_negotiation_class(JsonErrorsOnly)
def bundle_download(request: Request, pk: int) -> HttpResponse:
    bundle = Bundle.objects.visible_to(request.user).select_related("matter").filter(pk=pk).first()
    if bundle is None or bundle.status != Bundle.Status.READY or not bundle.file:
        raise NotFound("You have no ready bundle with that id.")
    return _pdf(request, bundle.file.name, f"{bundle.matter.reference}-{bundle.platform}-v{bundle.version}.pdf")


@read_operation("reports_list", s.ReportSerializer(many=True))
def report_list(request: Request) -> Response:
    """The monthly reports of the clients the token's user sees, newest month first."""
    reports = ClientReport.objects.visible_to(request.user).select_related("rights_holder")
    return Response(s.ReportSerializer(reports[:200], many=True).data)


@extend_schema(operation_id="report_download", responses=_pdf_answers())
@api_view(["GET"])
@content_negotiation_class(JsonErrorsOnly)
def report_download(request: Request, pk: int) -> HttpResponse:
    report = ClientReport.objects.visible_to(request.user).select_related("rights_holder").filter(pk=pk).first()
    if report is None or report.status != ClientReport.Status.READY or not report.file:
        raise NotFound("You have no ready report with that id.")
    return _pdf(request, report.file.name, f"report-{report.rights_holder.code}-{report.month:%Y-%m}.pdf")


def _pdf(request: Request, storage_name: str, name: str) -> HttpResponse:
    try:
        return file_download(request, storage_name=storage_name, original_name=name, content_type="application/pdf")
    except STORAGE_ERRORS:  # the store is down, or the file cannot be found in it
        raise StoreUnreachable from None


@extend_schema(
    operation_id="matter_exhibits_upload", request={"multipart/form-data": s.ExhibitUploadSerializer},
    responses={201: s.ExhibitSerializer, **{code: value for code, value in answers(None).items() if code != 200},
               403: OpenApiResponse(s.ErrorSerializer, description="The user may not add evidence to this matter."),
               409: OpenApiResponse(s.ErrorSerializer, description="The matter already holds these bytes."),
               413: OpenApiResponse(s.ErrorSerializer, description="Larger than the upload limit."),
               503: OpenApiResponse(s.ErrorSerializer, description="The file store is down: nothing was kept.")},
)  # fmt: skip
@api_view(["POST"])
@parser_classes([MultiPartParser])
def exhibit_create(request: Request, reference: str) -> Response:
    """Upload one evidence file to a matter, as the matter page does: type-checked, hashed while stored, logged
    in the custody chain. Client members who may add evidence, and staff."""
    matter = scoped_matter(request, reference)
    if not access.can_upload_evidence(request.user, matter.rights_holder_id):
        raise PermissionDenied("You may read this matter but not add evidence to it.")
    body = s.ExhibitUploadSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data, purchase = body.validated_data, None
    if data.get("purchase"):
        purchase = TestPurchase.objects.filter(matter=matter, pk=data["purchase"]).first()
        if purchase is None:
            raise ValidationError({"purchase": ["No test purchase of this matter has that id."]})
    try:
        exhibit = exhibit_upload(matter=matter, upload=data["file"], kind=data["kind"], purchase=purchase,
                                 description=data.get("description", ""), uploaded_by=request.user,
                                 allow_duplicate=data.get("store_duplicate", False))  # fmt: skip
    except DuplicateExhibit as exc:
        return Response({"detail": " ".join(exc.messages)}, status=409)
    except StorageUnavailable:
        return Response({"detail": "The file store could not be reached; nothing was kept. Try again."}, status=503)
    except RefusedFile as exc:  # the file policy's refusal, in the words the page gives
        return Response({"detail": " ".join(exc.messages)}, status=refusal_status(exc))
    return Response(s.ExhibitSerializer(exhibit).data, status=201)
