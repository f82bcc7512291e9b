"""Ledger rows are append-only in the database itself: UPDATE and DELETE are refused by a
trigger, whatever code (or person with a SQL prompt) tries them."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION funds_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funds_ledgerentry is append-only: post a reversal instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funds_ledger_append_only
    BEFORE UPDATE OR DELETE ON funds_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION funds_ledger_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS funds_ledger_append_only ON funds_ledgerentry;
DROP FUNCTION IF EXISTS funds_ledger_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER funds_ledger_no_update BEFORE UPDATE ON funds_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'funds_ledgerentry is append-only: post a reversal instead'); END;""",
    """CREATE TRIGGER funds_ledger_no_delete BEFORE DELETE ON funds_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'funds_ledgerentry is append-only: post a reversal instead'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS funds_ledger_no_update;",
    "DROP TRIGGER IF EXISTS funds_ledger_no_delete;",
]


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    statements = [postgres] if vendor == "postgresql" else sqlite if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)


def up(apps, schema_editor):
    _run(schema_editor, POSTGRES_UP, SQLITE_UP)


def down(apps, schema_editor):
    _run(schema_editor, POSTGRES_DOWN, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
