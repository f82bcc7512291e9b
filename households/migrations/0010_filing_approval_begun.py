"""Household.filing_approval_begun: the card-change rule (households.cards) reads it instead of
asking the applications; cases.0008 fills it for existing drafts."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0009_field_labels_for_the_audit_trail"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="filing_approval_begun",
            field=models.BooleanField(default=False, editable=False, verbose_name="建档审批已开始"),
        ),
        migrations.AddField(
            model_name="historicalhousehold",
            name="filing_approval_begun",
            field=models.BooleanField(default=False, editable=False, verbose_name="建档审批已开始"),
        ),
    ]
