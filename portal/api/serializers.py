"""What the API returns: the same facts the pages show, named as the CSV export names them."""

from __future__ import annotations

from rest_framework import serializers

from evidence.models import Listing, Matter
from portal.models import ListingOutcome, Submission


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
