"""What the API returns: the same facts the pages show, named as the CSV export names them."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from evidence.models import Exhibit, Listing, Matter
from portal.models import Bundle, ClientReport, ListingOutcome, Submission


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class MatterSerializer(serializers.ModelSerializer):
    client = serializers.CharField(source="rights_holder.name")
    platforms = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Matter
        fields = ["reference", "title", "client", "platforms", "status", "opened_on"]


class ListingSerializer(serializers.ModelSerializer):
    """A listing as the matter recorded it (its title, the seller's name as shown, the price)."""

    title = serializers.CharField()
    seller_name = serializers.CharField()
    seller_id = serializers.CharField(source="seller.platform_seller_id", default="")
    item_id = serializers.CharField(source="platform_item_id")
    price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    first_seen = serializers.DateTimeField()

    class Meta:
        model = Listing
        fields = ["id", "url", "platform", "title", "price", "currency", "seller_name", "seller_id", "item_id",
                  "status", "first_seen"]  # fmt: skip


class BundleSerializer(serializers.ModelSerializer):
    matter = serializers.CharField(source="matter.reference")
    download = serializers.SerializerMethodField(help_text="Where a ready bundle downloads from; null until then.")

    class Meta:
        model = Bundle
        fields = ["id", "matter", "platform", "version", "status", "page_count", "size", "sha256", "created_at",
                  "download"]  # fmt: skip

    def get_download(self, bundle: Bundle) -> str | None:
        return reverse("api:bundle_download", args=[bundle.pk]) if bundle.status == Bundle.Status.READY else None


class ReportSerializer(serializers.ModelSerializer):
    client = serializers.CharField(source="rights_holder.name")
    download = serializers.SerializerMethodField(help_text="Where a ready report downloads from; null until then.")

    class Meta:
        model = ClientReport
        fields = ["id", "client", "month", "status", "sha256", "download"]

    def get_download(self, report: ClientReport) -> str | None:
        return reverse("api:report_download", args=[report.pk]) if report.status == ClientReport.Status.READY else None


class ExhibitSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    warning = serializers.CharField(source="upload_warning", read_only=True,
                                    help_text="E.g. active content in a PDF that bundles leave out.")  # fmt: skip

    class Meta:
        model = Exhibit
        fields = ["id", "label", "original_name", "kind", "size", "sha256", "warning"]


class ExhibitUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=Exhibit.Kind.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)
    purchase = serializers.IntegerField(required=False, help_text="A test purchase of the matter it belongs to.")
    store_duplicate = serializers.BooleanField(required=False, help_text="Store bytes the matter already holds.")


class ComplaintSerializer(serializers.ModelSerializer):
    matter = serializers.CharField(source="bundle.matter.reference")
    platform = serializers.CharField(source="bundle.platform")

    class Meta:
        model = Submission
        fields = ["id", "platform_reference", "platform", "matter", "submitted_on"]


class OutcomeSerializer(serializers.ModelSerializer):
    listing_url = serializers.URLField(source="listing.url")

    class Meta:
        model = ListingOutcome
        fields = ["listing_id", "listing_url", "outcome", "reason", "counter_notice_received_on", "answer_by",
                  "recorded_at"]  # fmt: skip


def page_of(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The paged answer: a page of ``item`` and the link to the next page (null on the last)."""
    return type(name, (serializers.Serializer,), {
        "results": item(many=True), "next": serializers.URLField(allow_null=True),
    })  # fmt: skip


MatterPage = page_of(MatterSerializer, "MatterPage")
ListingPage = page_of(ListingSerializer, "ListingPage")
ComplaintPage = page_of(ComplaintSerializer, "ComplaintPage")
OutcomePage = page_of(OutcomeSerializer, "OutcomePage")


class CountsSerializer(serializers.Serializer):
    reported = serializers.IntegerField()
    removed = serializers.IntegerField()
    rejected = serializers.IntegerField()
    counter_notices = serializers.IntegerField()
    pending = serializers.IntegerField()
    reappeared = serializers.IntegerField()
    takedown_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    counter_notice_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    found = serializers.IntegerField()
    counts = CountsSerializer()


class PlatformResultSerializer(serializers.Serializer):
    platform = serializers.CharField()
    counts = CountsSerializer()
    median_days = serializers.IntegerField(allow_null=True)
    p90_days = serializers.IntegerField(allow_null=True)


class ResultsSerializer(serializers.Serializer):
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end", help_text="The first day after the period.")
    found = serializers.IntegerField()
    totals = CountsSerializer()
    median_days = serializers.IntegerField(allow_null=True)
    p90_days = serializers.IntegerField(allow_null=True)
    months = MonthSerializer(many=True)
    platforms = PlatformResultSerializer(many=True)


class IntakeRowSerializer(serializers.Serializer):
    """One listing, with the columns of a listing file (``evidence.intake.columns``); every value as text."""

    url = serializers.CharField(max_length=2000)
    platform = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True)
    price = serializers.CharField(required=False, allow_blank=True)
    currency = serializers.CharField(required=False, allow_blank=True)
    seller_name = serializers.CharField(required=False, allow_blank=True)
    seller_id = serializers.CharField(required=False, allow_blank=True)
    store_url = serializers.CharField(required=False, allow_blank=True)
    item_id = serializers.CharField(required=False, allow_blank=True)
    first_seen = serializers.CharField(required=False, allow_blank=True, help_text="YYYY-MM-DD")
    notes = serializers.CharField(required=False, allow_blank=True)
    appears_in = serializers.CharField(required=False, allow_blank=True)

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        if unknown:
            raise serializers.ValidationError({name: ["Not a listing field."] for name in unknown})
        return super().to_internal_value(data)


class IntakeSerializer(serializers.Serializer):
    listings = IntakeRowSerializer(many=True, min_length=1, max_length=1000)


class RefusedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The listing's position in the call, from 1.")
    reason = serializers.CharField()


class IntakeResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    new = serializers.IntegerField(help_text="Listings added to the matter.")
    known_here = serializers.IntegerField(help_text="Already in the matter: nothing written (the call is idempotent).")
    known_elsewhere = serializers.DictField(
        child=serializers.IntegerField(), help_text="Already in the client's other matters, by reference: linked."
    )
    refused = RefusedRowSerializer(many=True)
    reappeared_listings = serializers.IntegerField()
    sellers_created = serializers.IntegerField()
    summary = serializers.ListField(child=serializers.CharField(), help_text="The same summary as the import page's.")
