"""What a listing says moves from the shared listing row to each matter's link (issue 26).

The plain many-to-many table ``evidence_listing_matters`` becomes the ``MatterListing`` model in place (state
only: no table is rebuilt), gains the fact columns, and every link receives the facts its listing showed, so
each matter keeps what it showed before. Then the shared row loses them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

FACTS = ("seller_name", "title", "price", "currency", "first_seen", "notes", "infringement_appears_in")


def facts_to_links(apps, schema_editor):
    Listing = apps.get_model("evidence", "Listing")
    MatterListing = apps.get_model("evidence", "MatterListing")
    of_listing = Listing.objects.filter(pk=OuterRef("listing_id"))
    MatterListing.objects.update(**{name: Subquery(of_listing.values(name)[:1]) for name in FACTS})


def facts_to_listings(apps, schema_editor):
    """Reverse: the shared row takes the facts of its oldest link (a loss the forward step cannot undo)."""
    Listing = apps.get_model("evidence", "Listing")
    MatterListing = apps.get_model("evidence", "MatterListing")
    oldest = MatterListing.objects.filter(listing_id=OuterRef("pk")).order_by("pk")
    Listing.objects.update(**{name: Subquery(oldest.values(name)[:1]) for name in FACTS})


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0016_job_lifecycle"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MatterListing",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("listing", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="matter_links", to="evidence.listing")),
                        ("matter", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="listing_links", to="evidence.matter")),
                    ],
                    options={"db_table": "evidence_listing_matters", "unique_together": {("listing", "matter")}},
                ),
                migrations.AlterField(
                    model_name="listing",
                    name="matters",
                    field=models.ManyToManyField(blank=True, related_name="listings", through="evidence.MatterListing", to="evidence.matter"),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="matterlisting",
            name="seller_name",
            field=models.CharField(blank=True, help_text="The store's name as this matter's evidence shows it.", max_length=300, verbose_name="seller as shown"),
        ),
        migrations.AddField(model_name="matterlisting", name="title", field=models.CharField(blank=True, max_length=500)),
        migrations.AddField(
            model_name="matterlisting", name="price",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True),
        ),
        migrations.AddField(model_name="matterlisting", name="currency", field=models.CharField(blank=True, max_length=3)),
        migrations.AddField(
            model_name="matterlisting", name="first_seen", field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(model_name="matterlisting", name="notes", field=models.TextField(blank=True)),
        migrations.AddField(
            model_name="matterlisting",
            name="infringement_appears_in",
            field=models.JSONField(blank=True, default=list, help_text="Product, packaging, listing image or listing text (Amazon asks for it in every notice).", verbose_name="where the infringement appears"),
        ),
        migrations.RunPython(facts_to_links, facts_to_listings),
        migrations.AlterModelOptions(name="listing", options={"ordering": ["-pk"]}),
        *[migrations.RemoveField(model_name="listing", name=name) for name in FACTS],
        migrations.AddIndex(
            model_name="matterlisting",
            index=models.Index(fields=["matter", "-first_seen", "-listing"], name="listing_link_page_idx"),
        ),
    ]
