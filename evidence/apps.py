from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = "Evidence"

    def ready(self) -> None:
        from evidence import tasks  # noqa: F401  (registers the app's Celery tasks)
