"""How many applications each union has, by state and kind, kept by the database
(cases.ApplicationCount, by the year they take effect too): triggers add every insert, update and delete of an application,
whatever wrote it. PostgreSQL adds once per statement, from its transition tables, in one
upsert taken in key order so two writers cannot deadlock on the rows; SQLite once per row.
The counts of the applications already there are written here. (SQLite drops a table's
triggers when a later migration rebuilds it: such a migration must put these back, as
funds.0017 does for the ledger's.)"""

from django.db import migrations, models

KEY = "union_id, state, kind, effective_year"
YEAR = "COALESCE(EXTRACT(YEAR FROM effective_on)::integer, 0)"
UPSERT = f"""INSERT INTO cases_applicationcount ({KEY}, n)
    SELECT u, s, k, y, SUM(d) FROM ({{rows}}) AS changed(u, s, k, y, d)
    WHERE u IS NOT NULL GROUP BY 1, 2, 3, 4 HAVING SUM(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ({KEY}) DO UPDATE SET n = cases_applicationcount.n + EXCLUDED.n"""
NEW = f"SELECT union_id, state, kind, {YEAR}, 1 FROM new_rows"
OLD = f"SELECT union_id, state, kind, {YEAR}, -1 FROM old_rows"
POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION cases_application_counted() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {UPSERT.format(rows=NEW)};
    ELSIF TG_OP = 'DELETE' THEN
        {UPSERT.format(rows=OLD)};
    ELSE
        {UPSERT.format(rows=f"{NEW} UNION ALL {OLD}")};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql""",
    *(
        f"""CREATE TRIGGER cases_application_counted_{event.lower()} AFTER {event}
    ON cases_application REFERENCING {tables} FOR EACH STATEMENT
    EXECUTE FUNCTION cases_application_counted()"""
        for event, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        )
    ),
]
POSTGRES_DOWN = [
    *(
        f"DROP TRIGGER IF EXISTS cases_application_counted_{event} ON cases_application"
        for event in ("insert", "update", "delete")
    ),
    "DROP FUNCTION IF EXISTS cases_application_counted()",
]
# SQLite: the UPSERT after a SELECT needs its WHERE clause to parse.
SQLITE_ADD = f"""INSERT INTO cases_applicationcount ({KEY}, n)
    SELECT {{row}}.union_id, {{row}}.state, {{row}}.kind,
        COALESCE(CAST(strftime('%Y', {{row}}.effective_on) AS INTEGER), 0), {{d}}
    WHERE {{row}}.union_id IS NOT NULL
    ON CONFLICT ({KEY}) DO UPDATE SET n = n + excluded.n"""
SQLITE_UP = [
    f"""CREATE TRIGGER cases_application_counted_{event.lower()} AFTER {event}
    ON cases_application BEGIN {"; ".join(SQLITE_ADD.format(row=row, d=d) for row, d in rows)}; END"""
    for event, rows in (
        ("INSERT", [("NEW", 1)]),
        ("UPDATE", [("OLD", -1), ("NEW", 1)]),
        ("DELETE", [("OLD", -1)]),
    )
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS cases_application_counted_{event}"
    for event in ("insert", "update", "delete")
]
COUNT_ALL = {
    "postgresql": f"""INSERT INTO cases_applicationcount ({KEY}, n)
        SELECT union_id, state, kind, {YEAR}, COUNT(*) FROM cases_application
        WHERE union_id IS NOT NULL GROUP BY 1, 2, 3, 4""",
    "sqlite": f"""INSERT INTO cases_applicationcount ({KEY}, n)
        SELECT union_id, state, kind,
            COALESCE(CAST(strftime('%Y', effective_on) AS INTEGER), 0), COUNT(*)
        FROM cases_application WHERE union_id IS NOT NULL GROUP BY 1, 2, 3, 4""",
}


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    for statement in postgres if vendor == "postgresql" else sqlite if vendor == "sqlite" else []:
        schema_editor.execute(statement)


def up(apps, schema_editor):
    _run(schema_editor, POSTGRES_UP, SQLITE_UP)
    if schema_editor.connection.vendor in COUNT_ALL:
        schema_editor.execute(COUNT_ALL[schema_editor.connection.vendor])


def down(apps, schema_editor):
    _run(schema_editor, POSTGRES_DOWN, SQLITE_DOWN)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0016_application_effective_by_union'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApplicationCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('union_id', models.PositiveIntegerField()),
                ('state', models.CharField(max_length=24)),
                ('kind', models.CharField(max_length=16)),
                ('effective_year', models.PositiveSmallIntegerField(default=0)),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('union_id', 'state', 'kind', 'effective_year'), name='application_count_key')],
            },
        ),
        migrations.RunPython(up, down),
    ]
