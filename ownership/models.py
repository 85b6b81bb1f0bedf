"""Who owns what: rights holders (client organisations), their members, their rights and the proof of them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from ownership import choices, identifiers, rules, schemas
from ownership.shared import access

# The shared layer's models belong to this app: importing them here registers them with it.
from ownership.shared.audit import AuditEvent  # noqa: F401
from ownership.shared.choices import MemberRole
from ownership.shared.ocr import OcrRendition
from ownership.shared.registry import ArchivalCopy, IssuedDocument  # noqa: F401
from ownership.shared.users import User


class RightsHolderQuerySet(models.QuerySet["RightsHolder"]):
    def visible_to(self, user) -> RightsHolderQuerySet:
        if access.is_firm_staff(user):
            return self.all()
        if access.is_client_user(user):
            return self.filter(pk__in=Membership.objects.filter(user=user).values("rights_holder_id"))
        return self.none()


class RightsHolder(models.Model):
    """A client organisation that owns IP rights and instructs the firm."""

    name = models.CharField(max_length=200, unique=True, help_text="Legal name, as on its registrations.")
    name_local = models.CharField(
        "name in local script", max_length=200, blank=True, help_text="For example the Chinese company name."
    )
    code = models.CharField(
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", "Use 2 to 6 capital letters, e.g. LUM.")],
        help_text="Short code used in matter references, e.g. LUM for LUM-2026-001.",
    )
    country = models.CharField(
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Use the two-letter ISO country code, e.g. GB.")],
        help_text="Country of incorporation (ISO 3166-1 alpha-2).",
    )
    address = models.TextField(blank=True)
    company_number = models.CharField(max_length=64, blank=True, help_text="Registration or licence number.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RightsHolderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user) -> MembershipQuerySet:
        return self.filter(rights_holder__in=RightsHolder.objects.visible_to(user))


class Membership(models.Model):
    """A client user's place in a rights holder."""

    Role = MemberRole

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    rights_holder = models.ForeignKey(RightsHolder, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)
    title = models.CharField(
        max_length=200, blank=True, help_text="Their position, printed under their signature: e.g. Director."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["rights_holder__name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["user", "rights_holder"], name="membership_unique_user_holder")]

    def __str__(self) -> str:
        return f"{self.user} at {self.rights_holder} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.user_id and self.user.is_staff:
            raise ValidationError({"user": "Firm staff see every client already; they cannot be client members."})


class IPRightQuerySet(models.QuerySet["IPRight"]):
    def visible_to(self, user) -> IPRightQuerySet:
        return self.filter(rights_holder__in=RightsHolder.objects.visible_to(user))


class IPRight(models.Model):
    """A trademark, copyright, design or patent a rights holder asserts, in one jurisdiction.

    Which identifiers exist, which are required and their canonical forms depend on the jurisdiction and
    kind: ``ownership.schemas.SCHEMAS`` says, and ``clean()`` applies it.
    """

    class Kind(models.TextChoices):
        COPYRIGHT = choices.COPYRIGHT, "Copyright"
        TRADEMARK = choices.TRADEMARK, "Trade mark"
        DESIGN = choices.DESIGN, "Registered design"
        PATENT = choices.PATENT, "Patent"

    Status = choices.RightStatus
    Authorship = choices.Authorship

    rights_holder = models.ForeignKey(RightsHolder, on_delete=models.PROTECT, related_name="rights")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    jurisdiction = models.CharField(max_length=2, help_text="ISO country code, EU, or WO for an international mark.")
    title = models.CharField(max_length=300, help_text="The work or the mark, as a person would name it.")
    owner_name = models.CharField(max_length=300, blank=True, help_text="The owner as named on the certificate.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REGISTERED)
    registration_number = models.CharField(
        max_length=64,
        blank=True,
        help_text="As on the certificate; stored in one canonical form (e.g. VA0002123456). Never for UK copyright.",
    )
    certificate_number = models.CharField(
        max_length=64, blank=True, help_text="Chinese software copyright only, e.g. 软著登字第1234567号."
    )
    registration_date = models.DateField(
        null=True, blank=True, help_text="Registration date (US copyright: effective date of registration)."
    )
    expiry_date = models.DateField(
        null=True, blank=True, help_text="End of the current term (a Chinese mark: 10 years, filled in if empty)."
    )
    creation_date = models.DateField("date of creation", null=True, blank=True)
    authors = models.CharField("author(s)", max_length=500, blank=True)
    authorship = models.CharField(
        "how the rights holder owns it",
        max_length=20,
        choices=Authorship.choices,
        blank=True,
        help_text="UK copyright: decides which chain-of-title documents are needed.",
    )
    first_publication_date = models.DateField(null=True, blank=True)
    first_publication_place = models.CharField(max_length=200, blank=True)
    nice_classes = models.JSONField("Nice classes", default=list, blank=True, help_text="Trade marks: 1 to 45.")
    goods_services = models.TextField("goods and services", blank=True)
    designated_countries = models.JSONField(
        default=list, blank=True, help_text="EU/WIPO marks: ISO codes of the designated countries, e.g. CN, US."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IPRightQuerySet.as_manager()

    class Meta:
        ordering = ["rights_holder__name", "jurisdiction", "kind", "title"]
        verbose_name = "IP right"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.jurisdiction}): {self.title}"

    def clean(self) -> None:
        super().clean()
        self.jurisdiction = (self.jurisdiction or "").strip().upper()
        if self.jurisdiction not in choices.JURISDICTIONS:
            known = ", ".join(f"{code} ({label})" for code, label in choices.JURISDICTIONS.items())
            raise ValidationError(
                {"jurisdiction": f"The portal has no ownership rules for {self.jurisdiction!r}. Known: {known}."}
            )
        schema = schemas.schema_for(self.jurisdiction, self.kind)
        if schema is None:
            kinds = ", ".join(str(dict(self.Kind.choices)[k]).lower() for k in schemas.kinds_in(self.jurisdiction))
            raise ValidationError(
                {"kind": f"In {choices.JURISDICTIONS[self.jurisdiction]} the portal knows only these kinds: {kinds}."}
            )
        errors: dict[str, str] = {}
        for name, reason in schema.forbidden.items():
            if _filled(getattr(self, name)):
                errors[name] = reason
        for identifier in schema.identifiers:
            value = getattr(self, identifier.field)
            if not _filled(value):
                if identifier.required:
                    errors[identifier.field] = identifier.required_message or "This field is required here."
                continue
            if identifier.parse:
                try:
                    setattr(self, identifier.field, identifier.parse(value))
                except ValueError as exc:
                    errors[identifier.field] = str(exc)
        if self.expiry_date and self.registration_date and self.expiry_date < self.registration_date:
            errors["expiry_date"] = "The end of the term is before the registration date."
        if not errors:
            for check in schema.checks:
                errors.update(check(self))
        if errors:
            raise ValidationError(errors)

    @property
    def registered_within_five_years_of_publication(self) -> bool | None:
        """US copyright: registered before or within 5 years of first publication, so the certificate is prima
        facie evidence of validity and ownership (17 U.S.C. 410(c)). None when it cannot be told."""
        if self.jurisdiction != "US" or self.kind != choices.COPYRIGHT or not self.registration_date:
            return None
        if not self.first_publication_date:
            return True  # registered unpublished
        return self.registration_date <= schemas.add_years(self.first_publication_date, 5)

    @property
    def identifier_display(self) -> str:
        if self.jurisdiction == "US" and self.kind == choices.COPYRIGHT and self.registration_number:
            return identifiers.us_copyright_display(self.registration_number)
        return self.registration_number or self.certificate_number or "unregistered"

    def identifier_rows(self) -> list[tuple[str, str]]:
        """The identifiers its jurisdiction records for this kind of right, filled ones only, as a person reads them."""
        schema = schemas.schema_for(self.jurisdiction, self.kind)
        names = [identifier.field for identifier in schema.identifiers] if schema else list(schemas.IDENTIFIER_FIELDS)
        rows = []
        for name in names:
            value = getattr(self, name)
            if not _filled(value):
                continue
            if name == "registration_number":
                value = self.identifier_display
            elif name == "authorship":
                value = self.get_authorship_display()
            elif isinstance(value, datetime.date):
                value = f"{value:%d %B %Y}"
            elif isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            rows.append((capfirst(self._meta.get_field(name).verbose_name), str(value)))
        return rows


def _filled(value) -> bool:
    return value not in (None, "", [], ())


class OwnershipDocumentQuerySet(models.QuerySet["OwnershipDocument"]):
    def visible_to(self, user) -> OwnershipDocumentQuerySet:
        return self.filter(rights_holder__in=RightsHolder.objects.visible_to(user))


class OwnershipDocument(OcrRendition):
    """A document proving ownership, of one right or of the rights holder (power of attorney, licence).

    The file is stored once, at upload, through ``ownership.services.ownership_document_upload`` (hashed in
    the same pass), and never replaced: a new version is a new document.
    """

    job_task = "ownership.tasks.ocr_document_task"  # its OCR reading, on the "ocr" queue

    Type = choices.DocumentType

    rights_holder = models.ForeignKey(RightsHolder, on_delete=models.PROTECT, related_name="documents")
    right = models.ForeignKey(
        IPRight,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text="Leave empty for a document about the rights holder (power of attorney, business licence).",
    )
    doc_type = models.CharField("document type", max_length=40, choices=Type.choices)
    description = models.CharField(max_length=300, blank=True, help_text="e.g. CNIPA certificate no. 41234567")
    language = models.CharField(max_length=10, choices=choices.LANGUAGES, default="en")
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        help_text="For a translation: the document it translates.",
    )
    is_signed = models.BooleanField("signed or sealed", default=False)
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True, help_text="e.g. Director, Legal representative.")
    issued_on = models.DateField("issue date", null=True, blank=True)
    expires_on = models.DateField("expiry date", null=True, blank=True)
    file = models.FileField(max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    original_name = models.CharField(max_length=200, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    check_overruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    check_overruled_at = models.DateTimeField(null=True, blank=True, editable=False)
    check_overrule_reason = models.TextField(blank=True, editable=False)

    objects = OwnershipDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["rights_holder__name", "right_id", "doc_type", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()}: {self.description or self.original_name}"

    def get_absolute_url(self) -> str:
        """Documents are kept by the firm's staff, in the admin."""
        return reverse("admin:ownership_ownershipdocument_change", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.right_id and self.rights_holder_id and self.right.rights_holder_id != self.rights_holder_id:
            errors["right"] = f"{self.right} belongs to another rights holder."
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            errors["expires_on"] = (
                f"The expiry date ({self.expires_on:%d %b %Y}) is before the issue date ({self.issued_on:%d %b %Y})."
            )
        if self.translation_of_id:
            if self.pk and self.translation_of_id == self.pk:
                errors["translation_of"] = "A document cannot be a translation of itself."
            elif self.translation_of.rights_holder_id != self.rights_holder_id:
                errors["translation_of"] = "The translated document belongs to another rights holder."
            elif self.doc_type != self.Type.TRANSLATION:
                errors["doc_type"] = "A document that translates another must have the type Translation."
        elif self.doc_type == self.Type.TRANSLATION:
            errors["translation_of"] = "Choose the document this translates."
        if self.doc_type == self.Type.TRANSLATION and self.language not in rules.READABLE_LANGUAGES:
            errors["language"] = "A translation must be into English or Chinese."
        if errors:
            raise ValidationError(errors)

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return bool(self.expires_on and self.expires_on < (today or timezone.localdate()))

    @property
    def is_readable(self) -> bool:
        """In a language every platform reads (English or Chinese) without a translation."""
        return self.language in rules.READABLE_LANGUAGES


class StatementDraftQuerySet(models.QuerySet["StatementDraft"]):
    def visible_to(self, user) -> StatementDraftQuerySet:
        return self.filter(rights_holder__in=RightsHolder.objects.visible_to(user))


class StatementDraft(models.Model):
    """A statement the portal drafted from recorded facts for the rights holder to sign, and what became of it:
    signed in the portal (the signing record), declined, changes asked for, or signed in ink and uploaded."""

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", "Facts missing"
        READY = "ready", "Ready to sign"
        SIGNED = "signed", "Signed in the portal"
        WET_INK = "wet_ink", "Signed in ink and uploaded"
        DECLINED = "declined", "Declined"
        CHANGES_REQUESTED = "changes_requested", "Changes asked for"
        SUPERSEDED = "superseded", "Replaced by a newer draft"

    OPEN_STATUSES = (Status.INCOMPLETE, Status.READY)

    rights_holder = models.ForeignKey(RightsHolder, on_delete=models.PROTECT, related_name="statement_drafts")
    right = models.ForeignKey(IPRight, on_delete=models.PROTECT, null=True, blank=True, related_name="drafts")
    matter_reference = models.CharField(max_length=32, blank=True, help_text="The matter whose listings it names.")
    # What a statement about the evidence is about (a test purchase, for a test-buy report): generic, because
    # the evidence app sits above this one.
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(max_length=40)
    languages = models.JSONField(default=list)
    wording_digests = models.JSONField(default=dict, help_text="Language -> SHA-256 of the reviewed template.")
    missing = models.JSONField(default=list, blank=True, help_text="Facts it could not be drafted without.")
    content = models.JSONField(default=list, blank=True, help_text="Its text per language, as the PDF prints it.")
    signatory = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    file = models.FileField(max_length=300, blank=True, help_text="The draft exactly as the signer is shown it.")
    sha256 = models.CharField("SHA-256 of the draft", max_length=64, blank=True)
    signature_box = models.JSONField(default=dict, blank=True, help_text="Where the signature is written in.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.READY)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_from = models.GenericIPAddressField(null=True, blank=True)
    signed_sha256 = models.CharField("SHA-256 of the signed result", max_length=64, blank=True)
    document = models.OneToOneField(
        OwnershipDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_draft",
        help_text="The signed statement, as an ownership document.",
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    objects = StatementDraftQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        about = self.right.title if self.right_id else self.rights_holder.name
        return f"Draft {self.pk}: {self.kind.replace('_', ' ')} for {about} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("web:statement_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def can_be_signed_by(self, user) -> bool:
        """Only the member it is drafted in the name of, while their role gives them signing authority."""
        return (
            bool(self.signatory_id)
            and user.pk == self.signatory_id
            and access.can_sign_for(user, self.rights_holder_id)
        )
