"""A published disclosure never changes, in the database itself: a trigger refuses UPDATE
and DELETE of a published row, whatever code (or person with a SQL prompt) tries them, and
lets a row become published only from approved with the figures the committee approved
(snapshot and digest unchanged). A correction is a new row (a new version).

TRUNCATE fires no row trigger: a statement trigger refuses it on the disclosures' hash-chained
decisions, named as audit's is on the other chained tables (the test database's flush switches
it off by that name); the disclosures cannot be truncated without their decisions (the foreign
key), so it guards them too."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION reports_disclosure_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state = 'published' THEN
            RAISE EXCEPTION 'reports_disclosure: a disclosure is published from approved, never inserted published';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.state = 'published' THEN
        RAISE EXCEPTION 'reports_disclosure %% is published and cannot change: draft a new version', OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.state = 'published' AND (
        OLD.state <> 'approved' OR NEW.snapshot IS DISTINCT FROM OLD.snapshot
        OR NEW.digest IS DISTINCT FROM OLD.digest
    ) THEN
        RAISE EXCEPTION 'reports_disclosure %%: only an approved disclosure is published, with the figures approved', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_disclosure_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON reports_disclosure
    FOR EACH ROW EXECUTE FUNCTION reports_disclosure_frozen();
CREATE OR REPLACE FUNCTION reports_disclosure_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%% is hash-chained: TRUNCATE is refused', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON reports_disclosuredecision
    FOR EACH STATEMENT EXECUTE FUNCTION reports_disclosure_no_truncate();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_refuse_truncate ON reports_disclosuredecision;
DROP FUNCTION IF EXISTS reports_disclosure_no_truncate();
DROP TRIGGER IF EXISTS reports_disclosure_frozen ON reports_disclosure;
DROP FUNCTION IF EXISTS reports_disclosure_frozen();
"""
MESSAGE = "reports_disclosure is published and cannot change: draft a new version"
SQLITE_UP = [
    f"""CREATE TRIGGER reports_disclosure_no_update BEFORE UPDATE ON reports_disclosure
       WHEN OLD.state = 'published' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER reports_disclosure_no_delete BEFORE DELETE ON reports_disclosure
       WHEN OLD.state = 'published' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS reports_disclosure_no_update;",
    "DROP TRIGGER IF EXISTS reports_disclosure_no_delete;",
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
    dependencies = [("reports", "0003_disclosures")]
    operations = [migrations.RunPython(up, down)]
