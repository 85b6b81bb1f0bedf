from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Register the Celery tasks in every process (web, worker, commands), so services can send a task by
        # its name without importing the tasks module, which imports them.
        from portal import tasks  # noqa: F401

        # Listen for the events every app announces, to write their webhook deliveries.
        from portal.services import webhooks  # noqa: F401
