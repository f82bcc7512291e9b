"""The chain head and the export log now belong to the core (hardship 0010), the reveal log
to the registry (households 0010): audit only reads them. State only: the tables, their rows
and the triggers stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0007_refuse_truncate_year_closing"),
        ("hardship", "0010_chain_head_and_export_log_from_audit"),
        ("households", "0012_reveal_log_from_audit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ChainHead"),
                migrations.DeleteModel(name="ExportLog"),
                migrations.DeleteModel(name="RevealLog"),
            ],
            database_operations=[],
        ),
    ]
