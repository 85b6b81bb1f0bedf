from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ownership import choices, identifiers, readiness, schemas
from ownership.crosschecks import warnings_of
from ownership.models import IPRight, Membership, OwnershipDocument, RightsHolder, StatementDraft
from ownership.services import ownership_document_upload
from ownership.shared.admin import AuditedWritesAdminMixin, ReadOnlyAdminMixin, VisibleToAdminMixin, adopt
from ownership.shared.audit import AuditEvent, audit_change, save_audited
from ownership.shared.files.allowed import policy_summary
from ownership.shared.files.policy import check_file, clean_original_name
from ownership.shared.registry import IssuedDocument
from ownership.shared.users import User

# The badges' colours are classes in ownership/admin.css: the portal's CSP refuses inline styles.
ADMIN_MEDIA_CSS = {"all": ["ownership/admin.css"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "title", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(RightsHolder)
class RightsHolderAdmin(AuditedWritesAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    class Media:
        css = ADMIN_MEDIA_CSS

    list_display = ["name", "code", "country", "member_count", "created_at"]
    list_filter = ["country"]
    search_fields = ["name", "name_local", "code", "company_number"]
    readonly_fields = ["proof_of_identity_and_authority"]
    inlines = [MembershipInline]

    @admin.display(description="proof of identity and authority")
    def proof_of_identity_and_authority(self, obj: RightsHolder) -> str:
        if not obj.pk:
            return "Save the rights holder first, then upload its power of attorney and business licence."
        return readiness_panel(readiness.readiness_for_holder(obj).items, rights_holder=obj, right=None)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description="members", ordering="_member_count")
    def member_count(self, obj: RightsHolder) -> int:
        return obj._member_count


@admin.register(Membership)
class MembershipAdmin(AuditedWritesAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["user", "rights_holder", "role", "created_at"]
    list_filter = ["role", "rights_holder"]
    search_fields = ["user__email", "user__full_name", "rights_holder__name"]
    autocomplete_fields = ["user", "rights_holder"]
    list_select_related = ["user", "rights_holder"]


class PortalUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class PortalUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedWritesAdminMixin, DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "memberships__rights_holder"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "time_zone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    def user_change_password(self, request, id, form_url=""):
        """Django's password page saves the user itself: the change is audited in the same transaction."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                changed = User.objects.get(pk=id)
                audit_change(action=AuditEvent.Action.CHANGED, actor=request.user, obj=changed, fields=["password"])
        return response


# ---------------------------------------------------------------------------------------------------------
# IP rights and the proof of their ownership


def _status_badge(status: str, label: str) -> SafeString:
    return format_html('<strong class="readiness-badge readiness-badge--{}">{}</strong>', status, label)


def upload_url(*, rights_holder: RightsHolder, right: IPRight | None, doc_type: str = "") -> str:
    """The admin's upload page, with the rights holder, right and document type filled in."""
    params = {"rights_holder": rights_holder.pk, "doc_type": doc_type}
    if right is not None:
        params["right"] = right.pk
    return f"{reverse('admin:ownership_ownershipdocument_add')}?{urlencode(params)}"


def readiness_panel(items, *, rights_holder: RightsHolder, right: IPRight | None) -> SafeString:
    """Every rule with its status, what to do in plain words, the documents that satisfy it, and an upload link."""
    rows = []
    for item in items:
        if item.is_satisfied:
            detail = format_html_join(
                "", '<li><a href="{}">{}</a></li>', ((_document_url(d), str(d)) for d in item.documents)
            )
            action = format_html("<ul>{}</ul>", detail) if item.documents else ""
        else:
            link = ""
            if item.rule.document_types:
                url = upload_url(rights_holder=rights_holder, right=right, doc_type=item.rule.document_types[0])
                link = format_html(' <a class="button" href="{}">Upload</a>', url)
            action = format_html("{}{}", item.message, link)
        rows.append(
            format_html(
                "<tr><td>{}</td><td>{}<br><small>{}</small></td><td>{}</td></tr>",
                _status_badge(item.status, item.status.label),
                item.rule.title,
                item.rule.id,
                action,
            )
        )
    if not rows:
        return format_html("<p>{}</p>", "No requirements apply.")
    return format_html(
        "<table><thead><tr><th>Status</th><th>Requirement</th><th>What to do / documents</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        SafeString("".join(rows)),
    )


def _document_url(document: OwnershipDocument) -> str:
    return reverse("admin:ownership_ownershipdocument_change", args=[document.pk])


def _badge(ready: bool, open_count: int) -> SafeString:
    if ready:
        return _status_badge(readiness.Status.SATISFIED, "Ready")
    return _status_badge(readiness.Status.MISSING, f"{open_count} item{'s' if open_count != 1 else ''} missing")


class ListField(forms.CharField):
    """A list typed as text, e.g. Nice classes "9, 11" or countries "CN, US"."""

    def __init__(self, *, parse: Callable, **kwargs):
        self.parse = parse
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        return ", ".join(map(str, value)) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        try:
            return self.parse(super().to_python(value) or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class IPRightForm(forms.ModelForm):
    nice_classes = ListField(
        parse=identifiers.nice_classes, label="Nice classes", help_text="Trade marks: e.g. 9, 11 (1 to 45)."
    )
    designated_countries = ListField(
        parse=identifiers.country_codes, help_text="EU/WIPO marks: ISO codes, e.g. CN, US."
    )

    class Meta:
        model = IPRight
        fields = [
            "rights_holder",
            "kind",
            "jurisdiction",
            "title",
            "owner_name",
            "status",
            *schemas.IDENTIFIER_FIELDS,
        ]
        widgets = {"jurisdiction": forms.Select(choices=[("", "---------"), *choices.JURISDICTIONS.items()])}


class OwnershipDocumentInline(admin.TabularInline):
    """The right's documents, read-only: a document is added through the upload page (hashed on the way in)."""

    model = OwnershipDocument
    fk_name = "right"
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ["doc_type", "description", "language", "is_signed", "issued_on", "expires_on", "uploaded_at"]
    readonly_fields = fields


@admin.register(IPRight)
class IPRightAdmin(AuditedWritesAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    class Media:
        css = ADMIN_MEDIA_CSS

    form = IPRightForm
    list_display = ["title", "rights_holder", "kind", "jurisdiction", "identifier", "status", "proof"]
    list_filter = ["kind", "jurisdiction", "status", "rights_holder"]
    search_fields = ["title", "owner_name", "registration_number", "certificate_number", "rights_holder__name"]
    list_select_related = ["rights_holder"]
    autocomplete_fields = ["rights_holder"]
    readonly_fields = ["proof_of_ownership", "prima_facie"]
    inlines = [OwnershipDocumentInline]
    fieldsets = [
        (None, {"fields": ["rights_holder", "kind", "jurisdiction", "title", "owner_name", "status"]}),
        (
            "Registration",
            {"fields": ["registration_number", "certificate_number", "registration_date", "expiry_date"]},
        ),
        (
            "Creation and authorship",
            {
                "fields": [
                    "creation_date",
                    "authors",
                    "authorship",
                    "first_publication_date",
                    "first_publication_place",
                    "prima_facie",
                ]
            },
        ),
        ("Trade mark", {"fields": ["nice_classes", "goods_services", "designated_countries"]}),
        ("Proof of ownership", {"fields": ["proof_of_ownership"]}),
    ]

    @admin.display(description="number")
    def identifier(self, obj: IPRight) -> str:
        return obj.identifier_display

    @admin.display(description="proof of ownership")
    def proof(self, obj: IPRight) -> SafeString:
        report = readiness.readiness_for_right(obj)
        return _badge(report.ready, len(report.missing))

    @admin.display(description="what each requirement needs")
    def proof_of_ownership(self, obj: IPRight) -> str:
        if not obj.pk:
            return "Save the right first: the requirements depend on its jurisdiction and kind."
        report = readiness.readiness_for_right(obj)
        return readiness_panel(report.items, rights_holder=obj.rights_holder, right=obj)

    @admin.display(description="US: registered within 5 years of publication (prima facie evidence)")
    def prima_facie(self, obj: IPRight) -> str:
        value = obj.registered_within_five_years_of_publication
        return {True: "Yes", False: "No: the certificate is not prima facie evidence", None: "—"}[value]


class OwnershipDocumentForm(forms.ModelForm):
    upload = forms.FileField(label="File", help_text=lazy(policy_summary, str)())

    class Meta:
        model = OwnershipDocument
        fields = [
            "rights_holder",
            "right",
            "doc_type",
            "description",
            "language",
            "translation_of",
            "is_signed",
            "signatory_name",
            "signatory_title",
            "issued_on",
            "expires_on",
        ]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        check_file(upload, clean_original_name(upload.name))  # FileRejected is a ValidationError: a form error
        return upload


@admin.register(OwnershipDocument)
class OwnershipDocumentAdmin(AuditedWritesAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "rights_holder", "right", "language", "is_signed", "issued_on", "validity"]
    list_filter = ["doc_type", "language", "is_signed", "rights_holder"]
    search_fields = ["description", "original_name", "sha256", "signatory_name", "rights_holder__name", "right__title"]
    list_select_related = ["rights_holder", "right"]
    autocomplete_fields = ["rights_holder", "right", "translation_of"]
    stored = [
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "ocr_status",
        "ocr_error",
        "ocr_sha256",
        "checks",
        "check_overruled_by",
        "check_overruled_at",
        "check_overrule_reason",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = OwnershipDocumentForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", *OwnershipDocumentForm.Meta.fields]
        return [*OwnershipDocumentForm.Meta.fields, "validity", *self.stored]

    def get_readonly_fields(self, request, obj=None):
        # The file and what it was when it arrived never change; a new version is a new document.
        return [] if obj is None else ["rights_holder", "right", "doc_type", "validity", *self.stored]

    def save_model(self, request, obj, form, change):
        if change:
            save_audited(obj, by=request.user, fields=form.changed_data)
            return
        fields = {name: form.cleaned_data[name] for name in OwnershipDocumentForm.Meta.fields}
        adopt(obj, ownership_document_upload(upload=form.cleaned_data["upload"], uploaded_by=request.user, **fields))

    @admin.display(description="cross-checks of its text")
    def checks(self, obj: OwnershipDocument) -> str:
        return " ".join(warnings_of(obj)) or "—"

    @admin.display(description="validity")
    def validity(self, obj: OwnershipDocument) -> str:
        if obj.is_expired():
            return f"expired on {obj.expires_on:%d %b %Y}"
        return f"valid until {obj.expires_on:%d %b %Y}" if obj.expires_on else "no expiry"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    """The log is written by the services and the middleware only: staff read it."""

    list_display = [
        "sequence",
        "created_at",
        "action",
        "actor_name",
        "object_label",
        "changed_fields",
        "ip_address",
        "path",
        "status_code",
    ]
    ordering = ["-sequence"]  # the newest first
    list_filter = ["action", "status_code", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["actor_name", "path", "object_ref", "object_label", "ip_address"]
    date_hierarchy = "created_at"

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    @admin.display(description="fields")
    def changed_fields(self, obj: AuditEvent) -> str:
        return ", ".join(obj.changes)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    """The registry of issued documents is written as each document is issued: staff read it."""

    list_display = ["sequence", "created_at", "kind", "matter_reference", "recipient", "certifies", "sha256"]
    ordering = ["-sequence"]
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["sha256", "manifest_sha256", "matter_reference", "recipient", "certifies"]
    date_hierarchy = "created_at"

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(StatementDraft)
class StatementDraftAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    """Drafts are made from the matter page and signed there by the client (the services); shown here."""

    list_display = ["__str__", "rights_holder", "status", "signatory_name", "created_at", "signed_at"]
    list_filter = ["status", "kind", "rights_holder"]
    search_fields = ["rights_holder__name", "signatory_name", "sha256", "signed_sha256"]
    list_select_related = ["rights_holder", "right"]
    exclude = ["content", "subject_type", "subject_id", "file"]  # the file is private: the draft's page shows it
    readonly_fields = ["page"]

    @admin.display(description="draft page")
    def page(self, obj: StatementDraft) -> str:
        return format_html('<a href="{}">Open</a>', obj.get_absolute_url())
