"""The database backs the posting-date rules: no ledger row dated in the future, and none
dated in a year its fund has closed (or before it).

"Today" is approximate here on purpose. Django's connections run in UTC, while the books
keep local dates (settings.TIME_ZONE), which may be up to 14 hours ahead of UTC; a CHECK
cannot use the clock at all. So the trigger allows up to tomorrow in UTC, the bound that
is right for every time zone, and the services refuse anything after the local today
exactly. The back-dating window is a policy parameter per unit and is enforced by the
services only (bench data, written in bulk, is back-dated by design)."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION funds_ledger_posting_date() RETURNS trigger AS $$
BEGIN
    IF NEW.posted_on > (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date + 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'funds_ledgerentry: posted_on ' || NEW.posted_on || ' is in the future';
    END IF;
    IF EXISTS (
        SELECT 1 FROM funds_yearclosing c
        WHERE c.fund_id = NEW.fund_id AND c.year >= EXTRACT(YEAR FROM NEW.posted_on)
    ) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'funds_ledgerentry: ' || NEW.posted_on || ' is in a closed year of fund '
                || NEW.fund_id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funds_ledger_posting_date
    BEFORE INSERT ON funds_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION funds_ledger_posting_date();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS funds_ledger_posting_date ON funds_ledgerentry;
DROP FUNCTION IF EXISTS funds_ledger_posting_date();
"""
SQLITE_UP = [
    """CREATE TRIGGER funds_ledger_posting_date BEFORE INSERT ON funds_ledgerentry
       WHEN NEW.posted_on > date('now', '+1 day')
         OR EXISTS (SELECT 1 FROM funds_yearclosing c WHERE c.fund_id = NEW.fund_id
                    AND c.year >= CAST(substr(NEW.posted_on, 1, 4) AS INTEGER))
       BEGIN SELECT RAISE(ABORT, 'funds_ledgerentry: posted_on in the future or a closed year'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS funds_ledger_posting_date;"]


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
    dependencies = [("funds", "0006_year_closing_chain_position")]
    operations = [migrations.RunPython(up, down)]
