"""The API's endpoints: thin function views over the pages' own scoped querysets and selectors.

Everything is read through ``visible_to(request.user)``: a client token sees its client's matters, and another
client's reference answers 404, as the pages do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from evidence.intake.importing import listings_api_import
from evidence.models import Matter
from evidence.selectors import after, matter_listings
from ownership.shared import access
from portal.api import serializers as s
from portal.api.paging import DEFAULT_SIZE, LARGEST_SIZE, after_pk, keyset_page
from portal.models import ListingOutcome, Submission
from portal.results.cache import kept_results
from portal.web.forms import ResultsFilterForm
from portal.web.listings import ListingFilterForm

PAGING = [
    OpenApiParameter("cursor", str, description="The `next` link's cursor; leave out for the first page."),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": LARGEST_SIZE},
        description=f"Rows a page: 1 to {LARGEST_SIZE}, {DEFAULT_SIZE} if left out.",
    ),
]


def answers(ok) -> dict:
    """The success body, and the errors any call may meet."""
    return {
        200: ok,
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="A filter, the cursor or the page size is not valid: each field named with its messages.",
        ),
        401: OpenApiResponse(s.ErrorSerializer, description="No token, or one that is not valid or was revoked."),
        404: OpenApiResponse(s.ErrorSerializer, description="No such object among those the token's user sees."),
        429: OpenApiResponse(s.ErrorSerializer, description="Too many calls with this token; wait and retry."),
    }


def read_operation(operation_id: str, ok, parameters: list[OpenApiParameter] | tuple = ()) -> Callable:
    """A GET endpoint, described in the OpenAPI document with its parameters and answers. A query parameter it
    does not take is refused with a 400 naming it: a mistyped filter must never return unfiltered rows; so is one
    given empty."""
    allowed = sorted(parameter.name for parameter in parameters)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def checked(request: Request, *args, **kwargs) -> Response:
            unknown = sorted(set(request.query_params) - set(allowed))
            if unknown:
                takes = f"it takes {', '.join(allowed)}" if allowed else "it takes none"
                message = f"This call has no parameter of that name: {takes}."
                raise ValidationError({name: [message] for name in unknown})
            empty = sorted(name for name, value in request.query_params.items() if not value)
            if empty:
                raise ValidationError({name: ["Leave the parameter out, or give it a value."] for name in empty})
            return view(request, *args, **kwargs)

        described = extend_schema(operation_id=operation_id, responses=answers(ok), parameters=list(parameters))
        return described(api_view(["GET"])(checked))

    return decorate


def scoped_matter(request: Request, reference: str) -> Matter:
    """The matter of that reference among those the token's user sees; a 404 naming it otherwise."""
    matter = Matter.objects.visible_to(request.user).filter(reference=reference).first()
    if matter is None:
        raise NotFound(f"You have no matter with the reference “{reference}”.")
    return matter


@read_operation("matters_list", s.MatterPage, PAGING)
def matter_list(request: Request) -> Response:
    """The matters the token's user may see, oldest first."""
    matters = Matter.objects.visible_to(request.user).select_related("rights_holder").order_by("pk")
    page, following = keyset_page(request, matters, after=after_pk, key=lambda matter: [matter.pk])
    return Response({"results": s.MatterSerializer(page, many=True).data, "next": following})


@read_operation("matter_get", s.MatterSerializer)
def matter_detail(request: Request, reference: str) -> Response:
    return Response(s.MatterSerializer(scoped_matter(request, reference)).data)


def _after_listing(rows, cursor: list):
    seen, pk = parse_datetime(str(cursor[0])), int(cursor[1])
    if seen is None:
        raise ValueError("no time in the cursor")
    return after(rows, (seen, pk))


LISTING_COLUMNS = {  # the API's name: the column read (the matter's own facts carry the listing's names)
    "id": "id", "url": "url", "platform": "platform", "title": "title", "price": "price", "currency": "currency",
    "seller_name": "seller_name", "seller_id": "seller__platform_seller_id", "item_id": "platform_item_id",
    "status": "status", "first_seen": "first_seen",
}  # fmt: skip


def _listing_json(row: dict) -> dict:
    """One listing as ``ListingSerializer`` describes it, built straight from the row: 1,000 a call through
    DRF's field machinery cost several times the query (the fuzz test holds the two to the same schema)."""
    values = {name: row[column] for name, column in LISTING_COLUMNS.items()}
    values["price"] = None if values["price"] is None else f"{values['price']:.2f}"
    values["seller_id"] = values["seller_id"] or ""
    values["first_seen"] = values["first_seen"].isoformat().replace("+00:00", "Z")
    return values


LISTING_FILTERS = [
    OpenApiParameter(name, str, description=text)
    for name, text in (
        ("q", "Part of the title or the URL."), ("platform", "A platform code."), ("status", "A listing status."),
        ("seller", "Part of the seller's name as shown, or their store id."),
        ("seen_from", "First seen on or after (YYYY-MM-DD)."), ("seen_to", "First seen on or before (YYYY-MM-DD)."),
        ("reappeared", "true: only listings back after a removal, and new listings of sellers who had one removed."),
    )
]  # fmt: skip


@read_operation("matter_listings_list", s.ListingPage, [*LISTING_FILTERS, *PAGING])
def listing_list(request: Request, reference: str) -> Response:
    """A matter's listings, newest first, with the listings page's filters."""
    matter = scoped_matter(request, reference)
    form = ListingFilterForm(request.query_params, matter=matter)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    listings = matter_listings(matter, form.listing_filter()).values(*LISTING_COLUMNS.values())
    page, following = keyset_page(request, listings, after=_after_listing,
                                  key=lambda row: [row["first_seen"].isoformat(), row["id"]])  # fmt: skip
    return Response({"results": [_listing_json(row) for row in page], "next": following})


@read_operation("complaints_list", s.ComplaintPage, [
    OpenApiParameter("matter", str, description="Only this matter's complaints (its reference)."), *PAGING,
])  # fmt: skip
def complaint_list(request: Request) -> Response:
    """Filed complaints, oldest first."""
    complaints = Submission.objects.visible_to(request.user).select_related("bundle__matter").order_by("pk")
    if request.query_params.get("matter"):
        complaints = complaints.filter(bundle__matter=scoped_matter(request, request.query_params["matter"]))
    page, following = keyset_page(request, complaints, after=after_pk, key=lambda complaint: [complaint.pk])
    return Response({"results": s.ComplaintSerializer(page, many=True).data, "next": following})


@read_operation("complaint_outcomes_list", s.OutcomePage, [
    OpenApiParameter("outcome", str, enum=ListingOutcome.Outcome.values, description="Only items with this answer."),
    *PAGING,
])  # fmt: skip
def complaint_outcomes(request: Request, pk: int) -> Response:
    """What the platform answered for each item of one complaint."""
    complaint = Submission.objects.visible_to(request.user).filter(pk=pk).first()
    if complaint is None:
        raise NotFound("You have no complaint with that id.")
    outcomes = complaint.outcomes.select_related("listing").order_by("pk")
    wanted = request.query_params.get("outcome", "")
    if wanted:
        if wanted not in ListingOutcome.Outcome.values:
            raise ValidationError({"outcome": [f"Choose one of {', '.join(ListingOutcome.Outcome.values)}."]})
        outcomes = outcomes.filter(outcome=wanted)
    page, following = keyset_page(request, outcomes, after=after_pk, key=lambda outcome: [outcome.pk])
    return Response({"results": s.OutcomeSerializer(page, many=True).data, "next": following})


@read_operation("results_get", s.ResultsSerializer, [
    OpenApiParameter("rights_holder", int, description="A client's id (staff)."),
    OpenApiParameter("matter", str, description="A matter's reference."),
    OpenApiParameter("platform", str, description="A platform code."),
    OpenApiParameter("start", str, description="First month, YYYY-MM (twelve months to `end` if left out)."),
    OpenApiParameter("end", str, description="Last month, YYYY-MM (this month if left out)."),
])  # fmt: skip
def results(request: Request) -> Response:
    """The results page's figures, for the same filters."""
    form = ResultsFilterForm(request.query_params, user=request.user)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    matters, platform, period = form.scope()
    return Response(s.ResultsSerializer(kept_results(matters, period=period, platform=platform)).data)


@extend_schema(
    operation_id="matter_listings_intake", request=s.IntakeSerializer,
    responses={**answers(s.IntakeResultSerializer), 403: OpenApiResponse(s.ErrorSerializer, description="Staff only.")},
)  # fmt: skip
@api_view(["POST"])
def listing_intake(request: Request, reference: str) -> Response:
    """Add up to 1,000 listings to a matter with the checks of a listing file's import (the same refusals, by
    row); a listing already in the matter is left as it is, so the same call made twice adds nothing. Staff only,
    as the import page is."""
    if not access.is_firm_staff(request.user):
        raise PermissionDenied("Only the firm's staff add listings, as on the import page.")
    matter = scoped_matter(request, reference)
    if request.query_params:
        raise ValidationError({name: ["This call takes no query parameter."] for name in request.query_params})
    body = s.IntakeSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    rows = [{name: value for name, value in row.items() if value} for row in body.validated_data["listings"]]
    summary = listings_api_import(matter=matter, rows=rows, by=request.user, token_name=str(request.auth))
    return Response(s.IntakeResultSerializer({
        **{name: getattr(summary, name) for name in ("rows", "new", "known_here", "reappeared_listings",
                                                     "sellers_created")},
        "known_elsewhere": dict(summary.known_elsewhere),
        "refused": [{"row": number, "reason": reason} for number, reason in summary.refused],
        "summary": summary.lines(),
    }).data)  # fmt: skip


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(request: Request) -> Response:
    raise NotFound("The API has no such address: see /api/v1/schema/.")
