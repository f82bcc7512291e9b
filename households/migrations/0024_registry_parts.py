"""The registry's composition kept in parts (households.composition): the triggers of
households.0019 move, beside the union's change counter, the counter of the part of the union
the written file is in (its id modulo 16, composition's PARTS), so a changed union is counted
again only in the parts whose files changed, found by an index on (union, part). PostgreSQL:
the functions are replaced, once per statement and union or part, rows taken in key order
(union counters first, then parts) so two writers cannot deadlock on them; SQLite: the
per-row triggers are made again."""

import importlib

import django.db.models.deletion
import django.db.models.functions.math
from django.db import migrations, models


# Frozen here: composition.PARTS may not change without counting every union again.
PARTS = 16
# table: how a row of it names its union, and its file's id
TABLES = {
    "households_household": ("{row}.union_id", "{row}.id"),
    "households_member": (
        "(SELECT union_id FROM households_household WHERE id = {row}.household_id)",
        "{row}.household_id",
    ),
    "households_hardshipcause": (
        "(SELECT union_id FROM households_household WHERE id = {row}.household_id)",
        "{row}.household_id",
    ),
    "households_household_tags": (
        "(SELECT union_id FROM households_household WHERE id = {row}.household_id)",
        "{row}.household_id",
    ),
}
BUMP = """INSERT INTO households_registrychange (union_id, changes)
    SELECT DISTINCT u, 1 FROM ({rows}) AS changed(u, p) WHERE u IS NOT NULL ORDER BY 1
    ON CONFLICT (union_id) DO UPDATE SET changes = households_registrychange.changes + 1;
INSERT INTO households_registrypartchange (union_id, part, changes)
    SELECT DISTINCT u, p, 1 FROM ({rows}) AS changed(u, p) WHERE u IS NOT NULL ORDER BY 1, 2
    ON CONFLICT (union_id, part)
    DO UPDATE SET changes = households_registrypartchange.changes + 1"""
SQLITE_BUMP = """INSERT INTO households_registrychange (union_id, changes)
    SELECT {union}, 1 WHERE {union} IS NOT NULL
    ON CONFLICT (union_id) DO UPDATE SET changes = changes + 1;
INSERT INTO households_registrypartchange (union_id, part, changes)
    SELECT {union}, {part}, 1 WHERE {union} IS NOT NULL
    ON CONFLICT (union_id, part) DO UPDATE SET changes = changes + 1"""


def _of(table, row):
    union, file = TABLES[table]
    return union.format(row=row), f"({file.format(row=row)}) % {PARTS}"


def _rows(table, row, source):
    # mod(), not %: psycopg would read a bare % as a placeholder.
    union, file = TABLES[table]
    return f"SELECT {union.format(row=row)}, mod({file.format(row=row)}, {PARTS}) FROM {source} {row}"


def _postgres_up():
    statements = []
    for table in TABLES:
        new, old = _rows(table, "n", "new_rows"), _rows(table, "o", "old_rows")
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
    return statements


def _sqlite_up():
    statements = []
    for table in TABLES:
        for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["NEW", "OLD"]), ("DELETE", ["OLD"])):
            bumps = "; ".join(
                SQLITE_BUMP.format(union=union, part=part)
                for union, part in (_of(table, row) for row in rows)
            )
            statements.append(f"DROP TRIGGER IF EXISTS {table}_registry_{event.lower()}")
            statements.append(
                f"""CREATE TRIGGER {table}_registry_{event.lower()} AFTER {event} ON {table}
    BEGIN {bumps}; END"""
            )
    return statements


def _earlier():
    return importlib.import_module("households.migrations.0019_registry_counts")


def up(apps, schema_editor):
    _earlier()._run(schema_editor, _postgres_up, _sqlite_up)


def down(apps, schema_editor):
    earlier = _earlier()
    earlier._run(schema_editor, earlier._postgres_down, earlier._sqlite_down)
    earlier.up(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('hardship', '0016_unit_headcount'),
        ('households', '0023_in_file_since_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='RegistryPartChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('part', models.PositiveSmallIntegerField(verbose_name='部分')),
                ('changes', models.BigIntegerField(default=0)),
                ('union', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='hardship.unit', verbose_name='基层工会')),
            ],
            options={
                'verbose_name': '档案分部变动计数',
                'verbose_name_plural': '档案分部变动计数',
                'constraints': [models.UniqueConstraint(fields=('union', 'part'), name='registry_part_change_once'), models.CheckConstraint(condition=models.Q(('part__lt', 16)), name='registry_part_change_in_range')],
            },
        ),
        migrations.CreateModel(
            name='RegistryPartCounts',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('part', models.PositiveSmallIntegerField(verbose_name='部分')),
                ('counted_on', models.DateField(verbose_name='统计日期')),
                ('changes', models.BigIntegerField()),
                ('counts', models.JSONField(default=dict)),
                ('union', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='hardship.unit', verbose_name='基层工会')),
            ],
            options={
                'verbose_name': '在档构成分部统计',
                'verbose_name_plural': '在档构成分部统计',
                'constraints': [models.UniqueConstraint(fields=('union', 'part'), name='registry_part_counts_once'), models.CheckConstraint(condition=models.Q(('part__lt', 16)), name='registry_part_counts_in_range')],
            },
        ),
        migrations.AddIndex(
            model_name='household',
            index=models.Index(models.F('union'), django.db.models.functions.math.Mod('id', 16), condition=models.Q(('status', 'in_file')), name='household_part'),
        ),
        migrations.RunPython(up, down),
    ]
