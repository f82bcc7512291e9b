"""The registry's composition kept per union (households.composition): database triggers bump a
union's change counter on every write of its files, their members, causes and tags,
whatever the code wrote, so kept counts are known current while the counter stands still.
PostgreSQL bumps once per statement and union (transition tables: a bulk import costs one
upsert per union it touched, taken in the unions' order so two writers cannot deadlock on
them); SQLite once per row. (SQLite drops a table's triggers when a
later migration rebuilds it: such a migration must put these back, as funds.0017 does for
the ledger's.)"""

import django.db.models.deletion
from django.db import migrations, models

# table: how a row of it names its union
TABLES = {
    "households_household": "union_id",
    "households_member": "(SELECT union_id FROM households_household WHERE id = {row}.household_id)",
    "households_hardshipcause": "(SELECT union_id FROM households_household WHERE id = {row}.household_id)",
    "households_household_tags": "(SELECT union_id FROM households_household WHERE id = {row}.household_id)",
}
BUMP = """INSERT INTO households_registrychange (union_id, changes)
    SELECT DISTINCT u, 1 FROM ({rows}) AS changed(u) WHERE u IS NOT NULL ORDER BY 1
    ON CONFLICT (union_id) DO UPDATE SET changes = households_registrychange.changes + 1"""

# SQLite: the UPSERT after a SELECT needs its WHERE clause to parse.
SQLITE_BUMP = """INSERT INTO households_registrychange (union_id, changes)
    SELECT {union}, 1 WHERE {union} IS NOT NULL
    ON CONFLICT (union_id) DO UPDATE SET changes = changes + 1"""


def _union_of(table, row):
    union = TABLES[table]
    return union.format(row=row) if "{row}" in union else f"{row}.{union}"


def _postgres_up():
    statements = []
    for table in TABLES:
        new = f"SELECT {_union_of(table, 'n')} FROM new_rows n"
        old = f"SELECT {_union_of(table, 'o')} FROM old_rows o"
        statements.append(
            f"""CREATE OR REPLACE FUNCTION {table}_registry_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {BUMP.format(rows=new)};
    ELSIF TG_OP = 'DELETE' THEN
        {BUMP.format(rows=old)};
    ELSE
        {BUMP.format(rows=f"{new} UNION {old}")};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql"""
        )
        for event, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            statements.append(
                f"""CREATE TRIGGER {table}_registry_{event.lower()} AFTER {event} ON {table}
    REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {table}_registry_changed()"""
            )
    return statements


def _postgres_down():
    statements = []
    for table in TABLES:
        for event in ("insert", "update", "delete"):
            statements.append(f"DROP TRIGGER IF EXISTS {table}_registry_{event} ON {table}")
        statements.append(f"DROP FUNCTION IF EXISTS {table}_registry_changed()")
    return statements


def _sqlite_up():
    statements = []
    for table in TABLES:
        for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["NEW", "OLD"]), ("DELETE", ["OLD"])):
            bumps = "; ".join(SQLITE_BUMP.format(union=_union_of(table, row)) for row in rows)
            statements.append(
                f"""CREATE TRIGGER {table}_registry_{event.lower()} AFTER {event} ON {table}
    BEGIN {bumps}; END"""
            )
    return statements


def _sqlite_down():
    return [
        f"DROP TRIGGER IF EXISTS {table}_registry_{event}"
        for table in TABLES
        for event in ("insert", "update", "delete")
    ]


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    statements = postgres() if vendor == "postgresql" else sqlite() if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)


def up(apps, schema_editor):
    _run(schema_editor, _postgres_up, _sqlite_up)


def down(apps, schema_editor):
    _run(schema_editor, _postgres_down, _sqlite_down)


class Migration(migrations.Migration):

    dependencies = [
        ('hardship', '0016_unit_headcount'),
        ('households', '0018_screening_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='RegistryChange',
            fields=[
                ('union', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='hardship.unit', verbose_name='基层工会')),
                ('changes', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': '档案变动计数',
                'verbose_name_plural': '档案变动计数',
            },
        ),
        migrations.CreateModel(
            name='RegistryCounts',
            fields=[
                ('union', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='hardship.unit', verbose_name='基层工会')),
                ('counted_on', models.DateField(verbose_name='统计日期')),
                ('changes', models.BigIntegerField()),
                ('counts', models.JSONField(default=dict)),
            ],
            options={
                'verbose_name': '在档构成统计',
                'verbose_name_plural': '在档构成统计',
            },
        ),
        migrations.RunPython(up, down),
    ]
