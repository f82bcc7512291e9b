"""An application carries its household's union, kept by the database: set on every insert
and update of the application whatever the code wrote, and moved when the file moves to
another union. The inbox then counts and lists a level's waiting applications of a scope
by an index on (state, union). (SQLite drops a table's triggers when a later migration
rebuilds it: such a migration must put these back, as funds.0017 does for the ledger's.)"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION cases_application_union() RETURNS trigger AS $$
BEGIN
    NEW.union_id := (SELECT union_id FROM households_household WHERE id = NEW.household_id);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_application_union
    BEFORE INSERT OR UPDATE ON cases_application
    FOR EACH ROW EXECUTE FUNCTION cases_application_union();
CREATE OR REPLACE FUNCTION cases_application_follows_household() RETURNS trigger AS $$
BEGIN
    UPDATE cases_application SET union_id = NEW.union_id WHERE household_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_application_follows_household
    AFTER UPDATE OF union_id ON households_household
    FOR EACH ROW WHEN (OLD.union_id IS DISTINCT FROM NEW.union_id)
    EXECUTE FUNCTION cases_application_follows_household();
UPDATE cases_application a SET union_id = h.union_id
    FROM households_household h WHERE h.id = a.household_id;
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS cases_application_follows_household ON households_household;
DROP FUNCTION IF EXISTS cases_application_follows_household();
DROP TRIGGER IF EXISTS cases_application_union ON cases_application;
DROP FUNCTION IF EXISTS cases_application_union();
"""
# SQLite cannot assign NEW in a trigger: the row is corrected right after it is written.
_OF_HOUSEHOLD = "(SELECT union_id FROM households_household WHERE id = NEW.household_id)"
SQLITE_UP = [
    f"""CREATE TRIGGER cases_application_union_insert AFTER INSERT ON cases_application
       BEGIN UPDATE cases_application SET union_id = {_OF_HOUSEHOLD} WHERE id = NEW.id; END;""",
    f"""CREATE TRIGGER cases_application_union_update AFTER UPDATE ON cases_application
       WHEN NEW.union_id IS NOT {_OF_HOUSEHOLD}
       BEGIN UPDATE cases_application SET union_id = {_OF_HOUSEHOLD} WHERE id = NEW.id; END;""",
    """CREATE TRIGGER cases_application_follows_household
       AFTER UPDATE OF union_id ON households_household
       WHEN OLD.union_id IS NOT NEW.union_id
       BEGIN UPDATE cases_application SET union_id = NEW.union_id WHERE household_id = NEW.id; END;""",
    """UPDATE cases_application SET union_id = (SELECT union_id FROM households_household
       WHERE households_household.id = cases_application.household_id)""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cases_application_union_insert;",
    "DROP TRIGGER IF EXISTS cases_application_union_update;",
    "DROP TRIGGER IF EXISTS cases_application_follows_household;",
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

    dependencies = [
        ('cases', '0011_application_measure'),
        ('hardship', '0016_unit_headcount'),
        ('households', '0018_screening_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='union',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='hardship.unit', verbose_name='基层工会'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['state', 'union', 'updated_at'], name='cases_appli_state_94eef2_idx'),
        ),
        migrations.RunPython(up, down),
    ]
