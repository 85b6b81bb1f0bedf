"""Who owns what: users, rights holders (client organisations) and their members."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from ownership import access

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: firm staff (``is_staff``) or a client user (a member of rights holders)."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        "firm staff",
        default=False,
        help_text="Law-firm staff see every client's matters and may use the admin.",
    )
    is_active = models.BooleanField(default=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/London")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


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

    class Role(models.TextChoices):
        MANAGER = "manager", "Manager (instructs the firm, signs statements)"
        CONTRIBUTOR = "contributor", "Contributor (uploads evidence)"
        VIEWER = "viewer", "Viewer (reads matters and bundles)"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    rights_holder = models.ForeignKey(RightsHolder, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["rights_holder__name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["user", "rights_holder"], name="membership_unique_user_holder")]

    def __str__(self) -> str:
        return f"{self.user} at {self.rights_holder} ({self.get_role_display()})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.user_id and self.user.is_staff:
            raise ValidationError({"user": "Firm staff see every client already; they cannot be client members."})


class IPRightQuerySet(models.QuerySet["IPRight"]):
    def visible_to(self, user) -> IPRightQuerySet:
        return self.filter(rights_holder__in=RightsHolder.objects.visible_to(user))


class IPRight(models.Model):
    """A trademark, copyright, design or patent a rights holder asserts, in one jurisdiction."""

    class Kind(models.TextChoices):
        COPYRIGHT = "copyright", "Copyright"
        TRADEMARK = "trademark", "Trade mark"
        DESIGN = "design", "Registered design"
        PATENT = "patent", "Patent"

    rights_holder = models.ForeignKey(RightsHolder, on_delete=models.PROTECT, related_name="rights")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    jurisdiction = models.CharField(max_length=2, help_text="ISO country code, EU, or WO for an international mark.")
    title = models.CharField(max_length=300, help_text="The work or the mark, as a person would name it.")
    owner_name = models.CharField(max_length=300, blank=True, help_text="The owner as named on the certificate.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IPRightQuerySet.as_manager()

    class Meta:
        ordering = ["rights_holder__name", "jurisdiction", "kind", "title"]
        verbose_name = "IP right"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.jurisdiction}): {self.title}"
