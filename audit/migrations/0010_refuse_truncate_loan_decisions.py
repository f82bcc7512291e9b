"""Loan decisions are chained like the other decision tables: a TRUNCATE would empty their
table without a row trigger seeing it. The same statement-level trigger as the other decision
tables' (0005) refuses it (PostgreSQL only)."""

from django.db import migrations

TABLE = "loans_loandecision"


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
        ("audit", "0009_refuse_truncate_appeal_decisions"),
        ("loans", "0002_loan_decision_appeal_actions"),
    ]
    operations = [migrations.RunPython(up, down)]
