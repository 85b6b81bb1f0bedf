from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from evidence.models import (
    Capture,
    CustodyEvent,
    Exhibit,
    Listing,
    Matter,
    MatterListing,
    Seller,
    SellerAlias,
    SellerIdentifier,
    SellerLink,
    TakedownWatch,
    TestPurchase,
)
from evidence.networks import seller_identifier_add, seller_link_decide
from evidence.services import exhibit_withdraw, matter_create
from ownership.shared.admin import AuditedWritesAdminMixin, ReadOnlyAdminMixin, VisibleToAdminMixin, adopt
from ownership.shared.choices import Platform
from ownership.shared.jobs import JOB_FIELDS


class MatterAdminForm(forms.ModelForm):
    platforms = forms.MultipleChoiceField(
        label="Target platforms", choices=Platform.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Matter
        fields = ["reference", "rights_holder", "title", "platforms", "status", "responsible", "opened_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].required = False
        self.fields["reference"].help_text = "Leave empty for the next one in the rights holder's sequence."


@admin.register(Matter)
class MatterAdmin(AuditedWritesAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    form = MatterAdminForm
    list_display = ["reference", "title", "rights_holder", "platform_list", "status", "responsible", "opened_on"]
    list_filter = ["status", "rights_holder", "responsible"]
    search_fields = ["reference", "title", "rights_holder__name"]
    list_select_related = ["rights_holder", "responsible"]
    autocomplete_fields = ["rights_holder"]
    date_hierarchy = "opened_on"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new matter takes the next reference under the service's lock when none was typed.
        fields = {name: form.cleaned_data[name] for name in MatterAdminForm.Meta.fields}
        adopt(obj, matter_create(by=request.user, **fields))

    @admin.display(description="platforms")
    def platform_list(self, obj: Matter) -> str:
        return ", ".join(obj.platform_labels)


class SellerAliasInline(admin.TabularInline):
    model = SellerAlias
    extra = 0
    fields = ["name", "first_seen"]
    readonly_fields = ["first_seen"]


class SellerIdentifierInline(admin.TabularInline):
    """Identifiers are added here (through the service) and never edited; a wrong one is withdrawn."""

    model = SellerIdentifier
    extra = 1
    fields = ["kind", "value", "exhibit", "capture", "seen_at", "withdrawn_at"]
    readonly_fields = ["withdrawn_at"]
    raw_id_fields = ["exhibit", "capture"]
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


class ListingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Listing
    fields = ["url", "platform_item_id", "status", "status_changed_at"]
    readonly_fields = fields
    show_change_link = True
    extra = 0


@admin.register(Seller)
class SellerAdmin(AuditedWritesAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["store_name", "platform", "platform_seller_id", "company_name", "listing_count", "matter_list"]
    list_filter = ["platform"]
    search_fields = ["store_name", "aliases__name", "platform_seller_id", "company_name", "store_url",
                     "identifiers__value"]  # fmt: skip
    inlines = [SellerAliasInline, SellerIdentifierInline, ListingInline]
    readonly_fields = ["matter_list", "first_seen", "network"]

    def save_formset(self, request, form, formset, change):
        """New identifiers go through the service, which checks them and updates the networks."""
        if formset.model is not SellerIdentifier:
            super().save_formset(request, form, formset, change)
            return
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []  # for the change message
        for row in formset.forms:
            if row.has_changed() and not row.instance.pk and row.is_valid():
                fields = {
                    name: row.cleaned_data.get(name) for name in ("kind", "value", "exhibit", "capture", "seen_at")
                }
                formset.new_objects.append(seller_identifier_add(seller=form.instance, by=request.user, **fields))

    @admin.display(description="network")
    def network(self, obj: Seller) -> str:
        if not obj.pk:
            return "—"
        url = reverse("web:seller_network", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, "Open the network page")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_listings=Count("listings", distinct=True))

    @admin.display(description="listings", ordering="_listings")
    def listing_count(self, obj: Seller) -> int:
        return obj._listings

    @admin.display(description="matters appeared in")
    def matter_list(self, obj: Seller) -> str:
        return ", ".join(obj.history().values_list("reference", flat=True)) or "—"


class MatterListingForm(forms.ModelForm):
    infringement_appears_in = forms.TypedMultipleChoiceField(
        choices=Listing.Appearance.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label="Where the infringement appears",
    )  # fmt: skip

    class Meta:
        model = MatterListing
        fields = ["matter", "seller_name", "title", "price", "currency", "first_seen", "notes",
                  "infringement_appears_in"]  # fmt: skip


class MatterListingInline(admin.StackedInline):
    """What each matter recorded of the listing: its facts are that matter's own."""

    model = MatterListing
    form = MatterListingForm
    autocomplete_fields = ["matter"]
    extra = 0
    verbose_name = "matter's record of the listing"
    verbose_name_plural = "what each matter recorded"


@admin.register(Listing)
class ListingAdmin(AuditedWritesAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    fields = ["url", "platform", "platform_item_id", "seller", "status"]
    list_display = ["__str__", "platform", "seller", "status", "status_changed_at"]
    list_filter = ["platform", "status"]
    search_fields = ["url", "matter_links__title", "seller__store_name", "platform_item_id"]
    list_select_related = ["seller"]
    autocomplete_fields = ["seller"]
    inlines = [MatterListingInline]


class ExhibitInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Exhibit
    fields = ["number", "kind", "original_name", "size", "sha256", "uploaded_by", "uploaded_at", "withdrawn_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(TestPurchase)
class TestPurchaseAdmin(AuditedWritesAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["order_number", "matter", "listing", "order_date", "amount", "currency", "result"]
    list_filter = ["result", "matter__rights_holder"]
    search_fields = ["order_number", "matter__reference", "listing__url", "purchaser_alias"]
    list_select_related = ["matter", "listing"]
    autocomplete_fields = ["listing"]
    filter_horizontal = ["rights"]
    inlines = [ExhibitInline]


@admin.register(Exhibit)
class ExhibitAdmin(VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "matter", "kind", "size", "short_hash", "uploaded_by", "uploaded_at", "withdrawn_at"]
    list_filter = ["kind", "matter__rights_holder"]
    search_fields = ["original_name", "sha256", "matter__reference", "description"]
    list_select_related = ["matter", "uploaded_by"]
    actions = ["withdraw_selected"]

    def has_add_permission(self, request):
        return False  # exhibits come in through the upload pages, which apply the file policy

    def has_change_permission(self, request, obj=None):
        return False  # never edited: withdrawn through the action, with a reason

    def has_delete_permission(self, request, obj=None):
        return False

    # Stored files are named, never linked: evidence is downloaded through its page, which logs it in custody
    # (and the storage has no public URL to link to).
    stored_names = {"file": "stored_file", "ocr_file": "stored_rendition"}

    def get_fields(self, request, obj=None):
        """The evidence first, then its OCR reading, then the reading's job (the lifecycle fields come first in
        the model only because they are inherited)."""
        names = [self.stored_names.get(f.name, f.name) for f in Exhibit._meta.fields if f.name != "id"]
        later = [name for name in names if name in JOB_FIELDS or name.startswith("ocr_") or name == "stored_rendition"]
        later.sort(key=lambda name: name in JOB_FIELDS)
        return [name for name in names if name not in later] + later

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="stored as")
    def stored_file(self, obj: Exhibit) -> str:
        return obj.file.name

    @admin.display(description="searchable rendition stored as")
    def stored_rendition(self, obj: Exhibit) -> str:
        return obj.ocr_file.name or "—"

    @admin.display(description="SHA-256")
    def short_hash(self, obj: Exhibit) -> str:
        return obj.sha256[:12] + "…"

    @admin.action(description="Withdraw the selected exhibits (the files are kept)")
    def withdraw_selected(self, request, queryset):
        reason = request.POST.get("reason", "").strip() or "Withdrawn by staff from the admin"
        for exhibit in queryset.filter(withdrawn_at__isnull=True):
            exhibit_withdraw(exhibit=exhibit, by=request.user, reason=reason)
        self.message_user(request, "The selected exhibits are withdrawn; their files are kept.", messages.SUCCESS)


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["matter", "sequence", "action", "exhibit", "item_label", "actor_name", "created_at", "short_hash"]
    list_filter = ["action", "matter__rights_holder"]
    search_fields = ["matter__reference", "item_label", "details", "entry_hash"]
    list_select_related = ["matter", "exhibit"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    @admin.display(description="entry hash")
    def short_hash(self, obj: CustodyEvent) -> str:
        return obj.entry_hash[:12] + "…"


@admin.register(Capture)
class CaptureAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    """Captures are made by the capture workers; staff read them here and ask for them on the listings page."""

    list_display = ["pk", "matter", "purpose", "status", "outcome", "requested_url", "http_status", "requested_at"]
    list_filter = ["purpose", "status", "outcome"]
    search_fields = ["matter__reference", "requested_url", "final_url", "record_sha256"]
    list_select_related = ["matter"]
    exclude = ["record_timestamp"]


@admin.register(TakedownWatch)
class TakedownWatchAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["listing", "matter", "filed_at", "next_check_at", "removal_confirmed_at", "online_flagged_at"]
    list_filter = ["matter__rights_holder"]
    search_fields = ["matter__reference", "listing__url"]
    list_select_related = ["listing", "matter"]


@admin.register(SellerLink)
class SellerLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Links a company name or an address suggests; staff confirm or reject them with the actions."""

    list_display = ["seller_a", "seller_b", "kind", "key", "decision", "decided_by", "decided_at"]
    list_filter = ["decision", "kind"]
    list_select_related = ["seller_a", "seller_b", "decided_by"]
    actions = ["confirm", "reject"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    @admin.action(description="Confirm the selected links (the sellers join one network)")
    def confirm(self, request, queryset):
        for link in queryset:
            seller_link_decide(link=link, decision=SellerLink.Decision.CONFIRMED, by=request.user)

    @admin.action(description="Reject the selected links")
    def reject(self, request, queryset):
        for link in queryset:
            seller_link_decide(link=link, decision=SellerLink.Decision.REJECTED, by=request.user)
