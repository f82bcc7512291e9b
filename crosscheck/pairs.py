"""Suspected duplicates as the database finds them (PostgreSQL).

The rule is households.assessment.duplicate_matches: two live files (draft or in file), in
any unit, whose workers or members share an ID number, or which share the bank card or the
phone, or in which a person (worker or member) has the same name and birth date. Its keys
are kept by database triggers in crosscheck.DuplicateKey (migration 0003), one row per key
with the ids of the files that hold it, so the pairs are read from the keys two files share
(`shared`, a partial index): the cost follows the number of suspected duplicates, not the
number of files in the reader's scope. One query counts the reader's pairs, one reads a page.

The database's triggers exist only on PostgreSQL; elsewhere crosscheck.selectors compares
the files in scope in Python."""

from django.db import connection, transaction

from households.models import Household

LIVE = [Household.Status.DRAFT.value, Household.Status.IN_FILE.value]


def supported() -> bool:
    """Whether the database keeps the keys (the triggers of migration 0003)."""
    return connection.vendor == "postgresql"


# Each pair (smaller id first) with its reasons, placed: whether each file is in the scope
# (its union among the units under one of the reader's paths, read once). Both files still
# live, the pair not decided, and at least one file in the scope.
_PAIRS = """
    WITH pair AS (
        SELECT a.holder AS first_id, b.holder AS second_id,
            array_agg(DISTINCT k.kind) AS reasons
        FROM crosscheck_duplicatekey k
        CROSS JOIN LATERAL unnest(k.holders) AS a(holder)
        CROSS JOIN LATERAL unnest(k.holders) AS b(holder)
        WHERE k.shared AND a.holder < b.holder
        GROUP BY a.holder, b.holder
    ), scope AS (
        SELECT id FROM hardship_unit WHERE path LIKE ANY (%(scope)s)
    ), placed AS (
        SELECT p.first_id, p.second_id, p.reasons,
            f.union_id IN (SELECT id FROM scope) AS first_in_scope,
            s.union_id IN (SELECT id FROM scope) AS second_in_scope
        FROM pair p
        JOIN households_household f ON f.id = p.first_id
        JOIN households_household s ON s.id = p.second_id
        WHERE f.status = ANY (%(live)s) AND s.status = ANY (%(live)s)
            AND NOT EXISTS (
                SELECT 1 FROM crosscheck_duplicatedecision d
                WHERE d.first_id = p.first_id AND d.second_id = p.second_id
            )
    )
"""
_IN_SCOPE = "WHERE first_in_scope OR second_in_scope"


def _like_prefixes(paths) -> list[str]:
    """The LIKE patterns of `startswith` each path (as access.path_q compares)."""
    escaped = (p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for p in paths)
    return [f"{p}%" for p in escaped]


def count_pairs(paths) -> int:
    """How many undecided pairs have at least one file under `paths`."""
    if not paths:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"{_PAIRS} SELECT count(*) FROM placed {_IN_SCOPE}",
            {"scope": _like_prefixes(paths), "live": LIVE},
        )
        return cursor.fetchone()[0]


def scope_pairs(paths, offset=0, limit=None) -> list[tuple[int, int, list[str]]]:
    """The undecided pairs with at least one file under `paths`, in order of (first id,
    second id), from `offset`, at most `limit` of them (all when None): (first id, second
    id, reasons). The caller reads which of the two it may name."""
    if not paths or limit == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"{_PAIRS} SELECT first_id, second_id, reasons"
            f" FROM placed {_IN_SCOPE} ORDER BY first_id, second_id"
            " LIMIT %(limit)s OFFSET %(offset)s",
            {"scope": _like_prefixes(paths), "live": LIVE, "limit": limit, "offset": offset},
        )
        return [tuple(row) for row in cursor.fetchall()]


# Every key of every live file, counted afresh: what the triggers keep (the tests compare
# the two; `rebuild` puts them back in step after a restore that bypassed the triggers).
_FRESH = """
    SELECT x.kind, x.value, array_agg(x.holder ORDER BY x.holder) AS holders
    FROM (
        SELECT k.kind, k.value, h.id AS holder FROM households_household h
        CROSS JOIN LATERAL crosscheck_worker_keys(h.id_number, h.phone, h.bank_account,
            h.worker_name) k
        WHERE h.status = ANY (%(live)s)
        UNION ALL
        SELECT k.kind, k.value, m.household_id FROM households_member m
        JOIN households_household h ON h.id = m.household_id AND h.status = ANY (%(live)s)
        CROSS JOIN LATERAL crosscheck_member_keys(m.id_number, m.name, m.birth_date) k
    ) AS x
    GROUP BY x.kind, x.value
"""


def fresh_keys() -> dict[tuple[str, str], list[int]]:
    """{(kind, value): sorted holder ids} counted from the registry as it stands."""
    with connection.cursor() as cursor:
        cursor.execute(_FRESH, {"live": LIVE})
        return {(kind, value): list(holders) for kind, value, holders in cursor.fetchall()}


def kept_keys() -> dict[tuple[str, str], list[int]]:
    """{(kind, value): holder ids} as the triggers keep them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, value, holders FROM crosscheck_duplicatekey")
        return {(kind, value): list(holders) for kind, value, holders in cursor}


def rebuild() -> None:
    """Count every key afresh (one pass over the registry, with its tables locked against
    writers meanwhile)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "LOCK TABLE households_household, households_member IN SHARE ROW EXCLUSIVE MODE"
        )
        cursor.execute("DELETE FROM crosscheck_duplicatekey")
        cursor.execute(
            "INSERT INTO crosscheck_duplicatekey (kind, value, holders, shared)"
            " SELECT s.kind, s.value, s.holders,"
            " s.holders[1] <> s.holders[cardinality(s.holders)]"
            f" FROM ({_FRESH}) AS s",
            {"live": LIVE},
        )
