"""What the portal delivers: complaint bundles, and the audit log of who saw and did what."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from evidence.models import Listing, Matter, Seller, TestPurchase
from ownership.models import IPRight, RightsHolder
from ownership.shared import access
from ownership.shared.choices import Platform
from ownership.shared.jobs import Job
from portal.statement_wording import SELLER_NOTICE, current_digest


class BundleQuerySet(models.QuerySet["Bundle"]):
    def visible_to(self, user) -> BundleQuerySet:
        return self.filter(matter__in=Matter.objects.visible_to(user))

    def active(self) -> BundleQuerySet:
        return self.filter(status__in=Bundle.ACTIVE_STATUSES)


class Bundle(Job):
    """One signed PDF complaint bundle of a matter for a platform. Never overwritten: a recompile is a new version."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued (waiting for a worker)"
        COMPILING = "compiling", "Compiling"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    ACTIVE_STATUSES = (Status.QUEUED, Status.COMPILING)
    job_task = "portal.tasks.bundle_compile_task"
    job_running = Status.COMPILING
    job_error_field = "error_message"

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="bundles")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    version = models.PositiveIntegerField()
    rights = models.ManyToManyField(IPRight, blank=True, related_name="bundles")
    listings = models.ManyToManyField(Listing, blank=True, related_name="bundles")
    purchases = models.ManyToManyField(TestPurchase, blank=True, related_name="bundles")
    inputs_digest = models.CharField(
        max_length=64, help_text="SHA-256 of everything the bundle is built from; equal inputs, equal digest."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_message = models.CharField(max_length=200, blank=True)
    error_message = models.TextField(blank=True, help_text="Why the compile failed, in words a person can act on.")

    file = models.FileField(max_length=300, blank=True)  # stored by the compile under a generated key
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    exhibit_count = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256 of the signed file", max_length=64, blank=True, db_index=True)
    unsigned_sha256 = models.CharField("SHA-256 of the unsigned content", max_length=64, blank=True)
    manifest_sha256 = models.CharField("SHA-256 of the exhibit manifest", max_length=64, blank=True)
    signer_fingerprint = models.CharField("signer certificate SHA-256", max_length=64, blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requested_bundles"
    )
    overruled_gaps = models.JSONField(
        "missing when compiled", default=list, blank=True,
        help_text="What the compile gate found missing, when the requester overruled it.",
    )  # fmt: skip
    overrule_reason = models.TextField("why the gate was overruled", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = BundleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "platform", "version"], name="bundle_unique_version"),
            # At most one compile of the same inputs is queued or running at any time.
            models.UniqueConstraint(
                fields=["matter", "platform", "inputs_digest"],
                condition=Q(status__in=["queued", "compiling"]),
                name="bundle_one_active_compile_per_inputs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter.reference} {self.get_platform_display()} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("web:matter_detail", args=[self.matter.reference]) + "#bundles"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def visible_to(self, user) -> SubmissionQuerySet:
        return self.filter(bundle__matter__in=Matter.objects.visible_to(user))


class Submission(models.Model):
    """A ready bundle filed with its platform: the complaint's reference there and the date it was filed.

    Each listing the bundle covers gets a ``ListingOutcome`` row, pending until the platform answers.
    """

    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="submissions")
    platform_reference = models.CharField(
        "complaint reference", max_length=100, help_text="The platform's number for the complaint, e.g. IPP-2026-88123."
    )
    submitted_on = models.DateField()
    notes = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.platform_reference} ({self.bundle})"

    def get_absolute_url(self) -> str:
        return reverse("web:submission_detail", args=[self.pk])


class ListingOutcomeQuerySet(models.QuerySet["ListingOutcome"]):
    def visible_to(self, user) -> ListingOutcomeQuerySet:
        return self.filter(submission__in=Submission.objects.visible_to(user))

    def awaiting_answer(self) -> ListingOutcomeQuerySet:
        """Complaints the platform has not settled: no answer yet, or a counter-notice to answer."""
        return self.filter(outcome__in=[ListingOutcome.Outcome.PENDING, ListingOutcome.Outcome.COUNTER_NOTICE])


class ListingOutcome(models.Model):
    """What the platform did about one listing of a submitted complaint."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Awaiting the platform's answer"
        REMOVED = "removed", "Removed"
        REJECTED = "rejected", "Rejected"
        COUNTER_NOTICE = "counter_notice", "Counter-notice received"

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="outcomes")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="outcomes")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    reason = models.TextField(blank=True, help_text="Why the platform rejected the complaint, in its words.")
    counter_notice_received_on = models.DateField(null=True, blank=True)
    answer_by = models.DateField(null=True, blank=True, help_text="The date the counter-notice must be answered by.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = ListingOutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "listing"]
        constraints = [models.UniqueConstraint(fields=["submission", "listing"], name="one_outcome_per_listing")]
        indexes = [
            # A complaint's page: its items in order, all of them or those with one answer, paged by id.
            models.Index(fields=["submission", "id"], name="outcome_page_idx"),
            models.Index(fields=["submission", "outcome", "id"], name="outcome_answer_page_idx"),
        ]

    def __str__(self) -> str:
        due = f", answer by {self.answer_by:%d %b %Y}" if self.answer_by else ""
        return f"{self.submission.platform_reference}: {self.listing} — {self.get_outcome_display()}{due}"

    def get_absolute_url(self) -> str:
        return reverse("web:submission_detail", args=[self.submission_id]) + f"#outcome-{self.pk}"

    def clean(self) -> None:
        errors = {}
        if self.outcome == self.Outcome.REJECTED and not self.reason.strip():
            errors["reason"] = "Give the platform's reason for rejecting the complaint."
        if self.outcome == self.Outcome.COUNTER_NOTICE:
            if not self.counter_notice_received_on:
                errors["counter_notice_received_on"] = "Give the date the counter-notice was received."
            if not self.answer_by:
                errors["answer_by"] = "Give the date the counter-notice must be answered by."
            elif self.counter_notice_received_on and self.answer_by < self.counter_notice_received_on:
                errors["answer_by"] = "The answer is due after the counter-notice was received, not before."
        if errors:
            raise ValidationError(errors)


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def visible_to(self, user) -> CampaignQuerySet:
        """Campaigns are the firm's working papers: staff see them."""
        return self.all() if access.is_firm_staff(user) else self.none()


class Campaign(models.Model):
    """Selected listings of one matter and platform, split into the complaints the platform takes, with the
    bundle that supports them. Filings and answers attach to each complaint."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="campaigns")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.matter.reference} {self.get_platform_display()} campaign of {self.created_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("web:campaign_detail", args=[self.pk])


class CampaignComplaint(models.Model):
    """One complaint of a campaign, as the platform's form takes it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="complaints")
    number = models.PositiveSmallIntegerField()
    ip_kind = models.CharField(max_length=20)
    site = models.CharField(max_length=100, blank=True, help_text="The country site, where each has its own form.")
    purchase = models.ForeignKey(TestPurchase, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    listings = models.ManyToManyField(Listing, related_name="campaign_complaints")
    submission = models.OneToOneField(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="complaint"
    )

    class Meta:
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="campaign_complaint_number")]

    def __str__(self) -> str:
        return f"Complaint {self.number} of {self.campaign}"


class CompiledDocument(Job):
    """A signed PDF a worker compiles on request (a dossier, a notice): its progress, file and fingerprint."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued (waiting for a worker)"
        COMPILING = "compiling", "Compiling"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    job_running = Status.COMPILING
    job_error_field = "failure_reason"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.COMPILING)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    failure_reason = models.TextField(blank=True)
    file = models.FileField(max_length=300, blank=True)
    sha256 = models.CharField("SHA-256 of the signed file", max_length=64, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class DossierQuerySet(models.QuerySet["Dossier"]):
    def visible_to(self, user) -> DossierQuerySet:
        """Staff only: a dossier covers a whole network, which may span several clients."""
        return self.all() if access.is_firm_staff(user) else self.none()


class Dossier(CompiledDocument):
    """A signed repeat-infringer dossier of one seller's network, compiled by a worker."""

    job_task = "portal.tasks.dossier_compile_task"

    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="dossiers")
    sellers = models.PositiveIntegerField(default=0, help_text="Stores it covers.")

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Dossier {self.pk} of {self.seller} ({self.get_status_display().lower()})"


class ClientReportQuerySet(models.QuerySet["ClientReport"]):
    def visible_to(self, user) -> ClientReportQuerySet:
        """Staff, and the members of the report's client."""
        return self.filter(rights_holder__in=RightsHolder.objects.visible_to(user))


class ClientReport(CompiledDocument):
    """A client's signed monthly enforcement report, compiled by a worker and e-mailed to its members."""

    job_task = "portal.tasks.client_report_compile_task"

    rights_holder = models.ForeignKey(RightsHolder, on_delete=models.PROTECT, related_name="reports")
    month = models.DateField(help_text="The first day of the month it reports on.")
    next_steps = models.TextField(blank=True, help_text="Written by the firm's staff: printed as the last section.")
    requested_by = models.ForeignKey(  # empty: made by the monthly schedule
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    emailed_to = models.PositiveIntegerField(default=0, help_text="Client members it was e-mailed to.")

    objects = ClientReportQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-pk"]
        indexes = [models.Index(fields=["rights_holder", "-month", "-id"], name="report_page_idx")]

    def __str__(self) -> str:
        return f"Monthly report of {self.rights_holder} for {self.month:%B %Y} ({self.get_status_display().lower()})"


class WordingReviewQuerySet(models.QuerySet["WordingReview"]):
    def current(self, language: str, template: str = SELLER_NOTICE) -> WordingReviewQuerySet:
        """Reviews of the template's text in ``language`` as it stands now."""
        return self.filter(template=template, language=language, digest=current_digest(template, language))


class WordingReview(models.Model):
    """A firm member's record that they reviewed one language's notice wording, exactly as ``wording_digest``
    fingerprints it. Notices use a text only while a review of its current digest exists."""

    template = models.CharField(max_length=60, default=SELLER_NOTICE, help_text="Which text: notices or a statement.")
    language = models.CharField(max_length=10)
    digest = models.CharField("SHA-256 of the reviewed text", max_length=64)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(help_text="Who reviewed it in what capacity, and what was checked.")

    objects = WordingReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at"]
        permissions = [("review_notice_wording", "Can record a review of the wording of notices and statements")]

    def __str__(self) -> str:
        return f"Review of {self.template} ({self.language}) by {self.reviewed_by} on {self.reviewed_at:%Y-%m-%d}"


class NoticeQuerySet(models.QuerySet["Notice"]):
    def visible_to(self, user) -> NoticeQuerySet:
        """Staff only: the firm writes to sellers; recipients may come from any client's evidence."""
        return self.all() if access.is_firm_staff(user) else self.none()

    def awaiting_reply(self) -> NoticeQuerySet:
        return self.filter(sent_at__isnull=False, reply_received_on__isnull=True)

    def ready_to_send(self) -> NoticeQuerySet:
        return self.filter(status=Notice.Status.READY, sent_at__isnull=True)


class Notice(CompiledDocument):
    """A signed cease-and-desist notice from one matter to one store or to the stores of its network."""

    job_task = "portal.tasks.notice_compile_task"

    class Scope(models.TextChoices):
        SELLER = "seller", "This store"
        NETWORK = "network", "The stores of its network in this matter"

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="notices")
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="notices", help_text="Asked from.")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.SELLER)
    sellers = models.ManyToManyField(Seller, related_name="+", help_text="The stores it is addressed to.")
    rights = models.ManyToManyField(IPRight, related_name="notices")
    listings = models.ManyToManyField(Listing, related_name="notices")
    languages = models.JSONField(default=list)
    wording_digests = models.JSONField(default=dict, help_text="Language -> SHA-256 of the reviewed text used.")
    deadline = models.DateField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The firm's member who signs it, named with their role (notices asked before this have none).",
    )  # fmt: skip
    signer_role = models.CharField(max_length=100, blank=True, help_text="Their role when the notice was asked for.")
    sent_to = models.JSONField(default=list, blank=True, help_text="E-mail addresses it was sent to.")
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    message_id = models.CharField("Message-ID", max_length=300, blank=True)
    downloaded_for_platform = models.BooleanField(
        default=False, help_text="Downloaded to send through the platform's messaging."
    )
    reply_received_on = models.DateField(null=True, blank=True)
    reply_summary = models.TextField(blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        text = f"Notice {self.pk} ({self.matter.reference}) to {self.seller.store_name}"
        if self.sent_at and not self.reply_received_on:
            passed = "deadline passed" if self.overdue else "reply due"
            return f"{text}: {passed} {self.deadline:%d %b %Y}"
        return text

    def get_absolute_url(self) -> str:
        return reverse("web:notice_detail", args=[self.pk])

    @property
    def overdue(self) -> bool:
        return bool(self.sent_at and not self.reply_received_on and self.deadline < timezone.localdate())


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is kept (a token is 256 random bits, so a fast hash is enough to
    make the stored value useless to a reader of the database); the token itself is shown once, when made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “Monitoring dashboard”.")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to recognise it by.")
    digest = models.CharField("SHA-256 of the token", max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"API token “{self.name}” ({self.prefix}…) of {self.user}"


class WebhookSubscriptionQuerySet(models.QuerySet["WebhookSubscription"]):
    def for_client(self, rights_holder_id: int) -> WebhookSubscriptionQuerySet:
        """The active subscriptions a client's event may go to: the client's own and the firm-wide ones."""
        return self.filter(active=True).filter(Q(rights_holder_id=rights_holder_id) | Q(rights_holder__isnull=True))


class WebhookSubscription(models.Model):
    """Where to send which events: one client's (its own systems) or every client's (the firm's)."""

    rights_holder = models.ForeignKey(
        "ownership.RightsHolder", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty: firm-wide, every client's events.",
    )  # fmt: skip
    url = models.URLField("endpoint URL", max_length=500)
    events = models.JSONField(default=list, help_text="Event types sent (ownership.shared.events.EVENT_TYPES).")
    secret = models.CharField(max_length=100, editable=False, help_text="Standard Webhooks signing secret (whsec_…).")
    description = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Webhook {self.pk} to {self.url}"

    def get_absolute_url(self) -> str:
        return reverse("web:webhook_detail", args=[self.pk])


class WebhookDelivery(Job):
    """One event sent to one subscription, retried with pauses until the endpoint takes it (a 2xx answer)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        RUNNING = "running", "Being sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up"

    job_task = "portal.tasks.webhook_deliver_task"
    job_due_field = "next_attempt_at"

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40)
    message_id = models.CharField("webhook-id", max_length=40, unique=True)
    payload = models.JSONField(help_text="The body sent: type, timestamp and data.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="Empty: at once.")
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["subscription", "-id"], name="delivery_page_idx")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"


class WebhookAttempt(models.Model):
    """One try at delivering: what the endpoint answered, or why it could not be reached."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts_made")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Attempt at {self.attempted_at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error}"
