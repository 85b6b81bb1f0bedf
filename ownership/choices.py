"""Choice lists several modules need, in a leaf module that imports nothing of the project."""

from django.db import models


class MemberRole(models.TextChoices):
    """What a client user may do for the rights holder they belong to."""

    MANAGER = "manager", "Manager (instructs the firm, signs statements)"
    CONTRIBUTOR = "contributor", "Contributor (uploads evidence)"
    VIEWER = "viewer", "Viewer (reads matters and bundles)"
