"""TRUNCATE empties a table without firing row triggers: the ledger's append-only trigger
does not see it, and neither would a deleted decision show row by row. A statement-level
trigger refuses TRUNCATE on the ledger and on the decision tables (PostgreSQL; SQLite has no
TRUNCATE). Tests that flush the database with TRUNCATE switch these triggers off for the
flush only (tests/conftest.py)."""

from django.db import migrations

TABLES = ("funds_ledgerentry", "cases_decision", "funds_plandecision")

POSTGRES_UP = [
    """
CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only: TRUNCATE is refused';
END;
$$ LANGUAGE plpgsql;
"""
] + [
    f"CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();"
    for table in TABLES
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS audit_refuse_truncate ON {table};" for table in TABLES
] + ["DROP FUNCTION IF EXISTS audit_refuse_truncate();"]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_rechain_with_positions")]
    operations = [migrations.RunPython(up, down)]
