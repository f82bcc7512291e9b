"""The year totals (funds.models.totals) kept in step with the ledger.

Both tables are a function of the ledger alone. `record(entries)` adds what rows just posted
change, in the posting's own transaction: the fund totals by the rows' amounts; the aid totals
by summing the touched households' rows of the touched years with and without the new rows
(a household has a few rows a year whatever the ledger's size), so that a household counts
once in a report row however many payments or funds paid it. Every posting holds the ledger
chain's head lock (hardship.chain), so the sums see every posting before this one.

`expected()` sums the whole ledger the same way: `verify_integrity` compares it with the
tables and names any difference; `rebuild()` writes it, after rows were loaded in bulk.
"""

import itertools
import operator
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum

from funds.models import AidType, AidYearTotal, FundYearTotal, LedgerEntry
from hardship.access import ancestor_ids

ZERO = Decimal("0")
Kind = LedgerEntry.Kind
Facet = AidYearTotal.Facet
Flow = FundYearTotal.Flow

FUND_KEY = ("fund_id", "year", "flow")
FUND_SUMS = ("amount", "entries")
AID_KEY = ("scope_id", "year", "union", "facet", "value", "quantity_unit")
# The facets a root scope keeps per union too, for the statistics page.
PER_UNION_AT_ROOT = (Facet.AID_TYPE, Facet.MONTH, Facet.MODEL_WORKER, Facet.SERIOUS_ILLNESS)
AID_SUMS = ("paid", "reversed", "standing", "standing_value", "standing_quantity", "households")

_REVERSAL_FLOWS = {
    Kind.RECEIPT: Flow.RECEIPT_REVERSAL,
    Kind.PAYMENT: Flow.PAYMENT_REVERSAL,
    Kind.LOAN_REPAYMENT: Flow.REPAYMENT_REVERSAL,
}

# A payment's dimensions; a reversal is counted under those of the payment it reverses.
_DIMS = (
    "aid_type",
    "method",
    "goods",
    "quantity_unit",
    "union",
    "main_cause",
    "model_worker",
    "serious_illness",
)
_ROW = (
    "pk",
    "household_id",
    "kind",
    "amount",
    "posted_on",
    "fund__unit__path",
    "quantity",
    "reversed_by__pk",
    "reversed_by__posted_on",
    *_DIMS,
    *(f"reverses__{name}" for name in _DIMS),
)


def flow_of(kind: str, reversed_kind: str | None) -> str:
    return _REVERSAL_FLOWS[reversed_kind] if kind == Kind.REVERSAL else Flow(kind)


def _facets(dims, posted_on) -> list[tuple[str, str, str]]:
    """The report rows a payment (or its reversal) counts in."""
    aid_type, method, goods, quantity_unit, union, main_cause, model_worker, serious = dims
    facets = [
        (Facet.ALL, "", ""),
        (Facet.AID_TYPE, aid_type, ""),
        (Facet.CAUSE, main_cause, ""),
        (Facet.MONTH, f"{posted_on.month:02d}", ""),
    ]
    if model_worker:
        facets.append((Facet.MODEL_WORKER, model_worker, ""))
    if serious:
        facets.append((Facet.SERIOUS_ILLNESS, "", ""))
    if method == LedgerEntry.Method.IN_KIND:
        facets.append((Facet.CONDOLENCE, "goods", ""))
        facets.append((Facet.GOODS, goods, quantity_unit))
    elif aid_type == AidType.FESTIVAL:
        facets.append((Facet.CONDOLENCE, "cash", ""))
    return facets


def _household_sums(rows, left_out=frozenset()) -> dict[tuple, list]:
    """One household's rows summed per AID_KEY, leaving out the rows whose ids are given."""
    sums: dict[tuple, list] = {}
    width = len(_DIMS)
    for row in rows:
        pk, _household, kind, amount, posted_on, path, quantity, reversal, reversed_on = row[:9]
        if pk in left_out:
            continue
        year = posted_on.year
        if kind == Kind.PAYMENT:
            dims = row[9 : 9 + width]
            paid, reversed_, standing = (
                -amount,
                ZERO,
                (reversal is None or reversal in left_out or reversed_on.year > year),
            )
        else:
            dims = row[9 + width :]
            paid, reversed_, standing = ZERO, amount, False
        union = dims[4] or 0
        facets = _facets(dims, posted_on)
        for depth, scope in enumerate(ancestor_ids(path)):
            keys = [(scope, year, 0, *facet) for facet in facets]
            keys.append((scope, year, union, Facet.ALL, "", ""))
            if depth == 0:
                keys += [(scope, year, union, *f) for f in facets if f[0] in PER_UNION_AT_ROOT]
            for key in keys:
                total = sums.setdefault(key, [ZERO, ZERO, 0, ZERO, ZERO, 0])
                total[0] += paid
                total[1] += reversed_
                if standing:
                    total[2] += 1
                    total[3] += paid
                    total[4] += quantity or ZERO
    for total in sums.values():
        total[5] = 1 if total[2] else 0
    return sums


def _aid_rows(entries):
    """Payments and the reversals of payments (loans name no household), with their dims."""
    return entries.filter(household__isnull=False).values_list(*_ROW)


def _add_into(target: dict, sums: dict, sign=1) -> None:
    # map() adds in C: summing the whole ledger (expected(), bulk loads) is mostly this loop.
    combine = operator.add if sign == 1 else operator.sub
    for key, values in sums.items():
        total = target.get(key)
        target[key] = list(map(combine, total, values)) if total else [sign * v for v in values]


def _apply(model, key_fields, sum_fields, deltas: dict) -> None:
    """Add `deltas` (key tuple → sums) to the table: the rows touched are read under a row
    lock, and written back with the new ones in one upsert, whatever their number."""
    deltas = {key: values for key, values in deltas.items() if any(values)}
    if not deltas:
        return
    lookups = {f"{field}__in": {key[i] for key in deltas} for i, field in enumerate(key_fields)}
    existing = {
        tuple(getattr(row, field) for field in key_fields): row
        for row in model.objects.select_for_update().filter(**lookups)
    }
    rows = []
    for key, values in deltas.items():
        held = existing.get(key)
        row = model(**dict(zip(key_fields, key, strict=True)))  # no id: one INSERT for all
        for name, value in zip(sum_fields, values, strict=True):
            setattr(row, name, (getattr(held, name) if held else 0) + value)
        rows.append(row)
    model.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=key_fields, update_fields=sum_fields
    )


def record(entries: list[LedgerEntry]) -> None:
    """Add the rows just posted (saved, in the caller's transaction) to the year totals."""
    fund_deltas: dict[tuple, list] = {}
    for entry in entries:
        reversed_kind = entry.reverses.kind if entry.reverses_id else None
        key = (entry.fund_id, entry.posted_on.year, flow_of(entry.kind, reversed_kind))
        _add_into(fund_deltas, {key: [entry.amount, 1]})
    _apply(FundYearTotal, FUND_KEY, FUND_SUMS, fund_deltas)

    paying = [entry for entry in entries if entry.household_id]
    if not paying:
        return
    years = sorted({entry.posted_on.year for entry in paying})
    rows = _aid_rows(
        LedgerEntry.objects.filter(
            household_id__in={entry.household_id for entry in paying},
            posted_on__year__gte=years[0],
            posted_on__year__lte=years[-1],
        ).order_by("household_id")
    )
    new = frozenset(entry.pk for entry in paying)
    aid_deltas: dict[tuple, list] = {}
    for _household, household_rows in itertools.groupby(rows, key=lambda row: row[1]):
        household_rows = list(household_rows)
        _add_into(aid_deltas, _household_sums(household_rows))
        _add_into(aid_deltas, _household_sums(household_rows, new), sign=-1)
    _apply(AidYearTotal, AID_KEY, AID_SUMS, aid_deltas)


def expected() -> tuple[dict, dict]:
    """The fund totals and the aid totals as the whole ledger sums them (key → sums)."""
    ledger = LedgerEntry.objects.all()
    fund: dict[tuple, list] = {}
    flows = (
        ledger.values_list("fund_id", "posted_on__year", "kind", "reverses__kind")
        .annotate(amount=Sum("amount"), entries=Count("pk"))
        .order_by()
    )
    for fund_id, year, kind, reversed_kind, amount, count in flows:
        _add_into(fund, {(fund_id, year, flow_of(kind, reversed_kind)): [amount, count]})
    aid: dict[tuple, list] = {}
    rows = _aid_rows(ledger).order_by("household_id").iterator(chunk_size=5000)
    for _household, household_rows in itertools.groupby(rows, key=lambda row: row[1]):
        add_household(aid, household_rows)
    return fund, aid


def stored() -> tuple[dict, dict]:
    """The tables as they stand (key → sums)."""
    return tuple(
        {
            row[: len(key)]: list(row[len(key) :])
            for row in model.objects.values_list(*key, *sums).iterator(chunk_size=5000)
        }
        for model, key, sums in (
            (FundYearTotal, FUND_KEY, FUND_SUMS),
            (AidYearTotal, AID_KEY, AID_SUMS),
        )
    )


def _nonzero(sums: dict) -> dict:
    return {key: tuple(values) for key, values in sums.items() if any(values)}


def differences() -> list[tuple[str, tuple, tuple | None, tuple | None]]:
    """Where the tables and the ledger disagree: (table, key, the ledger's sums, the
    table's), empty when they agree; a row of zeros counts as no row."""
    problems = []
    tables = ("FundYearTotal", "AidYearTotal")
    for name, want, have in zip(tables, expected(), stored(), strict=True):
        want, have = _nonzero(want), _nonzero(have)
        for key in sorted(want.keys() | have.keys(), key=str):
            if want.get(key) != have.get(key):
                shown = tuple(str(part) if isinstance(part, str) else part for part in key)
                problems.append((name, shown, want.get(key), have.get(key)))
    return problems


def add_posting(fund: dict, fund_id, posted_on, kind, reversed_kind, amount) -> None:
    """Count one ledger row into fund totals (as expected() does), for a loader that writes
    rows in bulk and counts them as it writes."""
    key = (fund_id, posted_on.year, flow_of(kind, reversed_kind))
    total = fund.setdefault(key, [0, 0])
    total[0] += amount
    total[1] += 1


def add_household(aid: dict, rows) -> None:
    """Count one household's payment and reversal rows, shaped as `_ROW` (a reversal of a
    payment in the set: any id), into aid totals, as expected() does."""
    _add_into(aid, _household_sums(rows))


def rebuild(sums: tuple[dict, dict] | None = None) -> None:
    """Write the tables afresh, after rows were loaded in bulk: from the ledger, or from the
    (fund, aid) totals the loader counted with add_posting() and add_household()."""
    fund, aid = sums or expected()
    with transaction.atomic():
        FundYearTotal.objects.all().delete()
        AidYearTotal.objects.all().delete()
        FundYearTotal.objects.bulk_create(
            FundYearTotal(**dict(zip(FUND_KEY + FUND_SUMS, key + tuple(sums), strict=True)))
            for key, sums in fund.items()
        )
        AidYearTotal.objects.bulk_create(
            (
                AidYearTotal(**dict(zip(AID_KEY + AID_SUMS, key + tuple(sums), strict=True)))
                for key, sums in aid.items()
            ),
            batch_size=5000,
        )
