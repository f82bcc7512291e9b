"""Rows written as plain tuples, the way a bulk load is done: COPY on PostgreSQL (a multi-row
INSERT elsewhere). Model instances and bulk_create's per-field preparation cost about a
millisecond a household at the benchmark's scale; tuples streamed into COPY cost a tenth.

A `Table` takes the values a generator chooses, in the order of its `given` attribute
names, and fills every other column with the field's default (prepared once), so the rows
are what the model would have saved.
"""

from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter


def _default(field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        now = timezone.now()
        return (
            now.date()
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
            else now
        )
    return field.get_default()


class Table:
    def __init__(self, model, given: tuple[str, ...]):
        self.model = model
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = set(given) - fields.keys()
        if unknown:
            raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
        # An auto-increment key left out is the sequence's to fill.
        rest = [
            field
            for name, field in fields.items()
            if name not in given and not (field.primary_key and field.auto_created)
        ]
        self.defaults = {field.attname: _default(field) for field in rest}
        self.constants = tuple(
            field.get_db_prep_save(self.defaults[field.attname], connection) for field in rest
        )
        self.given = given
        self.columns = [fields[name].column for name in given] + [field.column for field in rest]

    def instance(self, values: tuple):
        """The row as a bare model instance (its fields only, no __init__: a tenth of the
        cost), for a model method such as chain_content() to read as it reads a saved row."""
        row = self.model.__new__(self.model)
        row.__dict__.update(self.defaults)
        row.__dict__.update(zip(self.given, values, strict=True))
        return row

    def write(self, rows) -> int:
        """Write the rows (tuples of the given values); returns how many."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        constants, count = self.constants, 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The server takes in the rows on the other core while these are made.
                writer = QueuedLibpqWriter(cursor.cursor)
                sql = f"COPY {table} ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql, writer=writer) as copy:
                    for row in rows:
                        copy.write_row(row + constants)
                        count += 1
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                batch = [row + constants for row in rows]
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
                count = len(batch)
        return count


def reset_sequences(*models_) -> None:
    """After rows were written with their own ids: the next id follows the largest."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(statement)


@contextmanager
def unindexed(*models_):
    """Load the tables as pg_restore does (PostgreSQL; elsewhere nothing changes): their
    foreign keys, unique constraints and secondary indexes are dropped for the load, then
    built again, each in one pass that also validates every row loaded. Maintained row by
    row they cost five times the load itself (measured: 202,029 ledger rows take 1.5 s into
    the bare table, 5.0 s with its 14 indexes, 12.0 s with its foreign keys as well).
    Use it inside the load's transaction: a failed load leaves the tables as they were."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models_]
    with connection.cursor() as cursor:
        # Checks still pending (rows written earlier in the transaction) would forbid the
        # ALTER TABLEs: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) "
            "AND contype IN ('u', 'f') ORDER BY contype DESC",  # put back unique ones first
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [tables],
        )
        indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        for table, name, _definition in reversed(constraints):
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them
