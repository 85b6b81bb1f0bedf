"""Users: the people who sign in, firm staff or client users. Shared by every app, so it lives in the shared layer.

The model belongs to the ``ownership`` app (``AUTH_USER_MODEL = "ownership.User"``); ``ownership.models``
imports it so Django registers it with the app.
"""

from __future__ import annotations

import zoneinfo
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

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

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    def firm_signers(self) -> models.QuerySet[User]:
        """The firm's active members whose role is recorded: those who may sign for the firm (notices)."""
        return self.filter(is_staff=True, is_active=True).exclude(job_title="")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: firm staff (``is_staff``) or a client user (a member of rights holders)."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    job_title = models.CharField(
        "role", max_length=100, blank=True,
        help_text="As printed under the name when this person signs for the firm: 'Solicitor', 'Partner'.",
    )  # fmt: skip
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
    REQUIRED_FIELDS: ClassVar[list[str]] = []

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
