"""Year closings are chained like the decisions, and the ledger's posting-date trigger reads
them to refuse rows in a closed year: a TRUNCATE would reopen every closed year without a
row trigger seeing it. The same statement-level trigger as the ledger's and the decision
tables' (0005) refuses it (PostgreSQL only)."""

from django.db import migrations

TABLE = "funds_yearclosing"


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();"
        )


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS audit_refuse_truncate ON {TABLE};")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_reveal_log_edit_form"),
        ("funds", "0007_ledger_posting_date_guard"),
    ]
    operations = [migrations.RunPython(up, down)]
