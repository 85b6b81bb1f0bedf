"""The audit log's model moves into the shared layer (``ownership.shared.audit``), which every layer's services
write to. Its table, ``portal_auditevent``, and the PostgreSQL trigger on it stay as they are: this migration
only records the model in this app's state; ``portal.0006`` removes it from the portal's state.

Then, for changes audited by the services: the fields a change set, and no status code where no request answered.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ACTIONS = [
    ("matter_viewed", "Matter page viewed"),
    ("exhibit_downloaded", "Exhibit downloaded"),
    ("bundle_downloaded", "Bundle downloaded"),
    ("staff_action", "Staff action"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("ownership", "0004_copyright_claim_statement"),
        ("portal", "0005_bundle_file_without_upload_to"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("sequence", models.PositiveBigIntegerField(unique=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("action", models.CharField(choices=ACTIONS, max_length=30)),
                        ("actor_name", models.CharField(help_text="Who, as named when the entry was written.", max_length=300)),
                        ("ip_address", models.GenericIPAddressField(null=True)),
                        ("method", models.CharField(max_length=10)),
                        ("path", models.CharField(max_length=500)),
                        ("view", models.CharField(help_text="The URL name the request resolved to.", max_length=100)),
                        ("object_ref", models.CharField(blank=True, help_text="The object asked for, as in the URL.", max_length=200)),
                        ("object_label", models.CharField(blank=True, max_length=300)),
                        ("status_code", models.PositiveSmallIntegerField(help_text="What the portal answered: 404 means refused.")),
                        ("previous_hash", models.CharField(max_length=64)),
                        ("entry_hash", models.CharField(max_length=64, unique=True)),
                        ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ["sequence"], "db_table": "portal_auditevent"},
                ),
            ],
            database_operations=[],
        ),
    ]
