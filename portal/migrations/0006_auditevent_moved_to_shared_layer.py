"""The audit log's model now belongs to the ownership app (``ownership.shared.audit``); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_bundle_file_without_upload_to"),
        ("ownership", "0005_auditevent_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="AuditEvent")]),
    ]
