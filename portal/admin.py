from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from ownership.shared.admin import ReadOnlyAdminMixin, VisibleToAdminMixin
from portal.models import Bundle, ListingOutcome, Notice, Submission, WordingReview


@admin.register(Bundle)
class BundleAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    """Bundles are requested and compiled through the service (staff pages, ``compile_bundle``), never edited."""

    list_display = ["matter", "platform", "version", "status", "progress", "page_count", "requested_by", "created_at"]
    list_filter = ["status", "platform", "matter__rights_holder"]
    search_fields = ["matter__reference", "sha256"]
    list_select_related = ["matter", "requested_by"]

    def get_fields(self, request, obj=None):
        # The file is private storage with no public URL: the admin shows its download link instead.
        fields = [f.name for f in Bundle._meta.fields if f.name not in {"id", "file"}]
        return [*fields, "rights", "listings", "purchases", "download"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    @admin.display(description="signed file")
    def download(self, obj: Bundle) -> str:
        if obj.status != Bundle.Status.READY:
            return "—"
        return format_html('<a href="{}">Download</a>', reverse("web:bundle_download", args=[obj.pk]))


class ListingOutcomeInline(admin.TabularInline):
    model = ListingOutcome
    extra = 0
    can_delete = False
    fields = ["listing", "outcome", "reason", "counter_notice_received_on", "answer_by", "recorded_by", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    """Filings and answers are recorded on the matter page (through the services), and shown here."""

    list_display = ["platform_reference", "bundle", "submitted_on", "submitted_by"]
    list_filter = ["bundle__platform", "bundle__matter__rights_holder"]
    search_fields = ["platform_reference", "bundle__matter__reference"]
    list_select_related = ["bundle__matter", "submitted_by"]
    inlines = [ListingOutcomeInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    """Notices are asked for, sent and answered on their staff pages (the services); shown here."""

    list_display = ["__str__", "matter", "status", "deadline", "sent_at", "reply_received_on"]
    list_filter = ["status", "matter__rights_holder"]
    search_fields = ["matter__reference", "seller__store_name", "message_id", "sha256"]
    list_select_related = ["matter", "seller"]
    exclude = ["file"]  # private storage, no public URL: the notice's page downloads it
    readonly_fields = ["page"]

    @admin.display(description="notice page")
    def page(self, obj: Notice) -> str:
        return format_html('<a href="{}">Open</a>', obj.get_absolute_url())


@admin.register(WordingReview)
class WordingReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Reviews are recorded on the wording page by lawyers given the permission; shown here."""

    list_display = ["template", "language", "reviewed_by", "reviewed_at", "digest"]
    list_filter = ["template", "language"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff
