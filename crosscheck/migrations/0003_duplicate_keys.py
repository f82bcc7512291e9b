"""The suspected duplicates' keys (crosscheck.DuplicateKey), kept by the database.

On PostgreSQL, statement-level triggers on the household and member tables (transition
tables: a bulk import costs one upsert per key it touched, in the keys' order) keep, for
every key of the duplicate check (households.assessment.duplicate_matches: a worker's or a
member's ID number, the bank card, the phone, a person's name with the birth date), the ids
of the live files (draft or in file) that hold it. A write is one upsert on the key's row,
so two writers adding the same key queue on it and neither misses the other. The
suspected duplicates page then reads the keys two files share (`shared`, a partial index)
instead of every file in the reader's scope. The worker's birth date is read from the ID
number as hardship.idnumber.birth_date_of reads it (digits 7-14, none when no date).

Other databases get the table but no triggers: there the page compares the files in scope
in Python (crosscheck.selectors). The rows already there are counted once, here, after the
triggers are in place (creating them locks the two tables until this migration commits)."""

from django.db import migrations, models

import crosscheck.models.duplicates

LIVE = "('draft', 'in_file')"

FUNCTIONS = [
    # hardship.idnumber.birth_date_of: digits 7-14 as a date, NULL when they are none.
    # Nested CASEs: make_date is reached only with a real month and day.
    """CREATE OR REPLACE FUNCTION crosscheck_birth_of(number text) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN substr(number, 7, 8) !~ '^[0-9]{8}$' THEN NULL
        WHEN substr(number, 7, 4)::int < 1 OR substr(number, 11, 2)::int NOT BETWEEN 1 AND 12
            THEN NULL
        WHEN substr(number, 13, 2)::int NOT BETWEEN 1 AND extract(day FROM
            make_date(substr(number, 7, 4)::int, substr(number, 11, 2)::int, 1)
            + interval '1 month' - interval '1 day')::int THEN NULL
        ELSE make_date(
            substr(number, 7, 4)::int, substr(number, 11, 2)::int, substr(number, 13, 2)::int)
    END
$$""",
    # households.assessment._worker_keys
    """CREATE OR REPLACE FUNCTION crosscheck_worker_keys(
        id_number text, phone text, bank_account text, worker_name text)
    RETURNS TABLE (kind text, value text) LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT k.kind, k.value FROM (VALUES
        ('id_number', $1),
        ('bank_account', nullif($3, '')),
        ('phone', nullif($2, '')),
        ('name_birth', $4 || '|' || to_char(crosscheck_birth_of($1), 'YYYY-MM-DD'))
    ) AS k(kind, value) WHERE k.value IS NOT NULL
$$""",
    # households.assessment._member_keys
    """CREATE OR REPLACE FUNCTION crosscheck_member_keys(id_number text, name text, birth date)
    RETURNS TABLE (kind text, value text) LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT k.kind, k.value FROM (VALUES
        ('id_number', nullif($1, '')),
        ('name_birth', $2 || '|' || to_char($3, 'YYYY-MM-DD'))
    ) AS k(kind, value) WHERE k.value IS NOT NULL
$$""",
    # A key's holders after a change: a positive id is one more holder, a negative id one
    # fewer; kept sorted, so two different files hold it when the first id is not the last.
    """CREATE OR REPLACE FUNCTION crosscheck_holders_apply(holders bigint[], change bigint[])
    RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(c.holder ORDER BY c.holder), '{}')
    FROM (
        SELECT abs(u.id) AS holder, sum(sign(u.id))::int AS n
        FROM (SELECT unnest($1) UNION ALL SELECT unnest($2)) AS u(id)
        GROUP BY abs(u.id)
    ) AS c CROSS JOIN LATERAL generate_series(1, c.n) AS g
$$""",
    # Apply the (key, ±holder) changes of one statement in three set-wide steps: a key whose
    # every holder went is deleted; the others are upserted in key order (two writers lock
    # the rows they share in the same order), the holders worked out only where a row was
    # already there; what came out empty (a holder removed meanwhile) goes after.
    """CREATE OR REPLACE FUNCTION crosscheck_keys_change(
        change_kinds text[], change_values text[], change_holders bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    odd_kinds text[];
    odd_values text[];
BEGIN
    WITH per_holder AS (
        SELECT c.kind, c.value, abs(c.holder) AS holder, sum(sign(c.holder))::int AS net
        FROM unnest(change_kinds, change_values, change_holders) AS c(kind, value, holder)
        GROUP BY 1, 2, 3
        HAVING sum(sign(c.holder)) <> 0
    ), net AS (
        SELECT n.kind, n.value,
            array_agg(CASE WHEN n.net > 0 THEN n.holder ELSE -n.holder END
                      ORDER BY CASE WHEN n.net > 0 THEN n.holder ELSE -n.holder END) AS change,
            array_agg(n.holder ORDER BY n.holder) FILTER (WHERE n.net < 0) AS removed,
            bool_and(n.net < 0) AS only_removed
        FROM per_holder n CROSS JOIN LATERAL generate_series(1, abs(n.net)) AS g
        GROUP BY n.kind, n.value
    ), gone AS (
        DELETE FROM crosscheck_duplicatekey k USING net
        WHERE net.only_removed AND k.kind = net.kind AND k.value = net.value
            AND k.holders = net.removed
        RETURNING k.kind, k.value
    ), kept AS (
        INSERT INTO crosscheck_duplicatekey AS k (kind, value, holders, shared)
        SELECT net.kind, net.value, net.change,
            net.change[1] <> net.change[cardinality(net.change)]
        FROM net
        WHERE NOT EXISTS (
            SELECT 1 FROM gone WHERE gone.kind = net.kind AND gone.value = net.value)
        ORDER BY net.kind, net.value
        ON CONFLICT (kind, value) DO UPDATE SET (holders, shared) = (
            SELECT h, h[1] <> h[cardinality(h)]
            FROM crosscheck_holders_apply(k.holders, EXCLUDED.holders) AS h)
        RETURNING k.kind, k.value, k.holders
    )
    SELECT array_agg(kept.kind), array_agg(kept.value) INTO odd_kinds, odd_values
    FROM kept WHERE cardinality(kept.holders) = 0 OR kept.holders[1] < 0;
    IF odd_kinds IS NOT NULL THEN
        -- Only removals for a key not there, or every holder gone from one whose row had
        -- changed under this writer: nothing to remove from, nobody left.
        UPDATE crosscheck_duplicatekey k SET (holders, shared) = (
            SELECT h, h[1] <> h[cardinality(h)]
            FROM crosscheck_holders_apply('{}', k.holders) AS h)
        FROM unnest(odd_kinds, odd_values) AS o(kind, value)
        WHERE k.kind = o.kind AND k.value = o.value AND k.holders[1] < 0;
        DELETE FROM crosscheck_duplicatekey k USING unnest(odd_kinds, odd_values) AS o(kind, value)
        WHERE k.kind = o.kind AND k.value = o.value AND cardinality(k.holders) = 0;
    END IF;
END;
$$""",
]

# The changes of one statement on households_household, from its transition tables: the
# worker's keys of each row whose keys or liveness changed, and its members' keys when the
# file became live or stopped being live.
HOUSEHOLD_CHANGES = f"""
    WITH changed AS (
        SELECT o.id AS old_id, o.id_number AS old_id_number, o.phone AS old_phone,
            o.bank_account AS old_bank_account, o.worker_name AS old_worker_name,
            coalesce(o.status IN {LIVE}, false) AS was_live,
            n.id AS new_id, n.id_number AS new_id_number, n.phone AS new_phone,
            n.bank_account AS new_bank_account, n.worker_name AS new_worker_name,
            coalesce(n.status IN {LIVE}, false) AS is_live
        FROM {{old}} o FULL JOIN {{new}} n ON n.id = o.id
        WHERE (o.id_number, o.phone, o.bank_account, o.worker_name,
               coalesce(o.status IN {LIVE}, false))
            IS DISTINCT FROM (n.id_number, n.phone, n.bank_account, n.worker_name,
               coalesce(n.status IN {LIVE}, false))
    )
    SELECT array_agg(x.kind), array_agg(x.value), array_agg(x.holder) FROM (
        SELECT k.kind, k.value, -c.old_id AS holder FROM changed c CROSS JOIN LATERAL
            crosscheck_worker_keys(c.old_id_number, c.old_phone, c.old_bank_account,
                c.old_worker_name) k
        WHERE c.was_live
        UNION ALL
        SELECT k.kind, k.value, c.new_id FROM changed c CROSS JOIN LATERAL
            crosscheck_worker_keys(c.new_id_number, c.new_phone, c.new_bank_account,
                c.new_worker_name) k
        WHERE c.is_live
        UNION ALL
        SELECT k.kind, k.value, CASE WHEN c.is_live THEN m.household_id ELSE -m.household_id END
        FROM changed c
        JOIN households_member m ON m.household_id = coalesce(c.new_id, c.old_id)
        CROSS JOIN LATERAL crosscheck_member_keys(m.id_number, m.name, m.birth_date) k
        WHERE c.is_live <> c.was_live
    ) AS x
"""

# The changes of one statement on households_member: the keys of each row whose keys or
# file changed, counted while its file is live.
MEMBER_CHANGES = f"""
    WITH changed AS (
        SELECT o.household_id AS old_household, o.id_number AS old_id_number,
            o.name AS old_name, o.birth_date AS old_birth,
            n.household_id AS new_household, n.id_number AS new_id_number,
            n.name AS new_name, n.birth_date AS new_birth
        FROM {{old}} o FULL JOIN {{new}} n ON n.id = o.id
        WHERE (o.household_id, o.id_number, o.name, o.birth_date)
            IS DISTINCT FROM (n.household_id, n.id_number, n.name, n.birth_date)
    )
    SELECT array_agg(x.kind), array_agg(x.value), array_agg(x.holder) FROM (
        SELECT k.kind, k.value, -c.old_household AS holder
        FROM changed c
        JOIN households_household h ON h.id = c.old_household AND h.status IN {LIVE}
        CROSS JOIN LATERAL crosscheck_member_keys(c.old_id_number, c.old_name, c.old_birth) k
        UNION ALL
        SELECT k.kind, k.value, c.new_household
        FROM changed c
        JOIN households_household h ON h.id = c.new_household AND h.status IN {LIVE}
        CROSS JOIN LATERAL crosscheck_member_keys(c.new_id_number, c.new_name, c.new_birth) k
    ) AS x
"""

TABLES = {"households_household": HOUSEHOLD_CHANGES, "households_member": MEMBER_CHANGES}


def _trigger_function(table, changes):
    none = f"(SELECT * FROM {table} WHERE false)"
    branches = {
        "INSERT": changes.format(old=none, new="new_rows"),
        "DELETE": changes.format(old="old_rows", new=none),
        "UPDATE": changes.format(old="old_rows", new="new_rows"),
    }
    return f"""CREATE OR REPLACE FUNCTION {table}_duplicate_keys() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    change_kinds text[];
    change_values text[];
    change_holders bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        {branches["INSERT"]} INTO change_kinds, change_values, change_holders;
    ELSIF TG_OP = 'DELETE' THEN
        {branches["DELETE"]} INTO change_kinds, change_values, change_holders;
    ELSE
        {branches["UPDATE"]} INTO change_kinds, change_values, change_holders;
    END IF;
    IF change_kinds IS NOT NULL THEN
        PERFORM crosscheck_keys_change(change_kinds, change_values, change_holders);
    END IF;
    RETURN NULL;
END;
$$"""


# Every key of every live file, as the triggers would have written them one by one.
BACKFILL = f"""
    INSERT INTO crosscheck_duplicatekey (kind, value, holders, shared)
    SELECT s.kind, s.value, s.holders, s.holders[1] <> s.holders[cardinality(s.holders)]
    FROM (
        SELECT x.kind, x.value, array_agg(x.holder ORDER BY x.holder) AS holders
        FROM (
            SELECT k.kind, k.value, h.id AS holder FROM households_household h
            CROSS JOIN LATERAL crosscheck_worker_keys(h.id_number, h.phone, h.bank_account,
                h.worker_name) k
            WHERE h.status IN {LIVE}
            UNION ALL
            SELECT k.kind, k.value, m.household_id FROM households_member m
            JOIN households_household h ON h.id = m.household_id AND h.status IN {LIVE}
            CROSS JOIN LATERAL crosscheck_member_keys(m.id_number, m.name, m.birth_date) k
        ) AS x
        GROUP BY x.kind, x.value
    ) AS s
"""


def _postgres_up():
    statements = list(FUNCTIONS)
    for table, changes in TABLES.items():
        statements.append(_trigger_function(table, changes))
        for event, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            statements.append(
                f"""CREATE TRIGGER {table}_duplicate_keys_{event.lower()} AFTER {event} ON {table}
    REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {table}_duplicate_keys()"""
            )
    statements.append(BACKFILL)
    statements.append("ANALYZE crosscheck_duplicatekey")
    return statements


def _postgres_down():
    statements = []
    for table in TABLES:
        for event in ("insert", "update", "delete"):
            statements.append(f"DROP TRIGGER IF EXISTS {table}_duplicate_keys_{event} ON {table}")
        statements.append(f"DROP FUNCTION IF EXISTS {table}_duplicate_keys()")
    statements += [
        "DROP FUNCTION IF EXISTS crosscheck_keys_change(text[], text[], bigint[])",
        "DROP FUNCTION IF EXISTS crosscheck_holders_apply(bigint[], bigint[])",
        "DROP FUNCTION IF EXISTS crosscheck_member_keys(text, text, date)",
        "DROP FUNCTION IF EXISTS crosscheck_worker_keys(text, text, text, text)",
        "DROP FUNCTION IF EXISTS crosscheck_birth_of(text)",
    ]
    return statements


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _postgres_up():
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _postgres_down():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("crosscheck", "0002_verification_complaint"),
        ("households", "0020_statistics_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="DuplicateKey",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "kind", "value", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("kind", models.CharField(max_length=16)),
                ("value", models.CharField(max_length=80)),
                ("holders", crosscheck.models.duplicates.HolderIds()),
                ("shared", models.BooleanField(default=False)),
            ],
            options={
                "verbose_name": "疑似重复比对键",
                "verbose_name_plural": "疑似重复比对键",
                "indexes": [
                    models.Index(
                        condition=models.Q(("shared", True)),
                        fields=["kind", "value"],
                        name="duplicate_key_shared",
                    )
                ],
            },
        ),
        migrations.RunPython(up, down),
    ]
