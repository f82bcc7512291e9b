"""Drafts whose filing application (建档) is past its first level and still in the chain get
households.Household.filing_approval_begun, which the card-change rule now reads instead of
asking the applications (households.cards)."""

from django.db import migrations

PAST_FIRST_LEVEL = ("grassroots_approved", "company_verified", "in_notice")


def fill(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    Application = apps.get_model("cases", "Application")
    Household.objects.filter(
        status="draft",
        pk__in=Application.objects.filter(
            kind="establish", state__in=PAST_FIRST_LEVEL
        ).values("household"),
    ).update(filing_approval_begun=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_field_labels_for_the_audit_trail"),
        ("households", "0010_filing_approval_begun"),
    ]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
