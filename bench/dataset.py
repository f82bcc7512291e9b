"""The benchmark's registry and ledger, written as tuples (bench.tables) in chunks.

Every row is chosen here, ids included, so that members, applications and ledger rows name
their household without reading anything back, and the year totals are counted as the rows
are made (the ledger is never read again). The hash chains are computed over the rows' content
exactly as the services chain a saved row; `verify_integrity` on a generated set passes.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from cases.models import Application, Decision
from funds import totals
from funds.models import AidType, Fund, LedgerEntry
from hardship import chain
from hardship.idnumber import check_character
from households.models import (
    Cause,
    HardshipCause,
    Health,
    Household,
    IncomeItem,
    Member,
    main_cause_by_default,
)

from .tables import Table, reset_sequences, unindexed

CHUNK = 20_000  # households per round of COPY statements
# What the payments are for, how often, and typical amounts (yuan).
AID_MIX = (
    (AidType.REGULAR, "定期补助", (300, 500, 800)),
    (AidType.EMERGENCY, "临时救助", (500, 1000, 2000)),
    (AidType.MEDICAL, "医疗救助", (1000, 2000, 3000)),
    (AidType.EDUCATION, "金秋助学", (1000, 2000)),
    (AidType.FESTIVAL, "春节慰问", (200, 300, 500)),
)
AID_WEIGHTS = (40, 20, 15, 10, 15)
PAYMENTS_PER_HOUSEHOLD = 10
REVERSED_SHARE = 0.01
REGIONS = ["230103", "230104", "230108", "230302", "230303", "230304", "230102"]
CAUSES = [Cause.ILLNESS, Cause.EDUCATION, Cause.LOW_INCOME, Cause.UNEMPLOYMENT]
RELATIONS = [Member.Relation.SPOUSE, Member.Relation.CHILD, Member.Relation.PARENT]
HIGH, NONE = Member.SchoolStage.HIGH, Member.SchoolStage.NONE


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _id_number(birth, sex, serial):
    region = REGIONS[serial % len(REGIONS)]
    seq = (serial % 450) * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


@dataclass
class Registry:
    """What the ledger needs of each household, by its index n (id = first_id + n)."""

    first_id: int
    unions: list = field(default_factory=list)  # (union id, company id)
    main_causes: list = field(default_factory=list)
    id_numbers: list = field(default_factory=list)
    first_application: int = 0

    def __len__(self):
        return len(self.unions)


def _serious(n: int) -> bool:
    """One worker in nine has a serious illness (大病) on the file."""
    return n % 9 == 0


def write_households(count, grassroots, rng, today, first_year) -> Registry:
    """Households with three members, an income and two causes each; one in six is not in
    file (exited, draft or cancelled)."""
    registry = Registry(first_id=_next_id(Household))
    households = Table(
        Household,
        ("id", "file_number", "union_id", "worker_name", "gender", "id_number", "phone")
        + ("employer", "employment_status", "category", "level", "status", "established_on")
        + ("exited_on", "cancelled_on", "review_due_on", "housing", "bank_account", "main_cause")
        + ("worker_health",),
    )
    members = Table(
        Member,
        ("household_id", "name", "relation", "birth_date", "employment", "school_stage")
        + ("monthly_income",),
    )
    incomes = Table(IncomeItem, ("household_id", "source", "monthly_amount"))
    causes = Table(HardshipCause, ("household_id", "cause"))
    categories, levels = Household.Category.values, Household.Level.values
    work = Household.EmploymentStatus.values
    Status = Household.Status
    statuses = [Status.IN_FILE] * 17 + [Status.EXITED, Status.DRAFT, Status.CANCELLED]
    birth_dates = [datetime.date(1960 + m * 20, 1, 1 + m) for m in range(3)]
    with transaction.atomic(), unindexed(Household, Member, IncomeItem, HardshipCause):
        for start in range(0, count, CHUNK):
            rows = ([], [], [], [])
            for n in range(start, min(count, start + CHUNK)):
                pk = registry.first_id + n
                sex = "M" if rng.random() < 0.76 else "F"
                # Unique ID numbers: each birth date carries 450 sequence numbers.
                birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=(n // 450) * 59)
                status = rng.choice(statuses)
                established = datetime.date(first_year, 1, 1) - datetime.timedelta(
                    days=rng.randint(30, 900)
                )
                union = grassroots[n % len(grassroots)]
                picked = rng.sample(CAUSES, 2)
                id_number, main_cause = _id_number(birth, sex, n), main_cause_by_default(picked)
                rows[0].append(
                    (
                        pk,
                        f"{union.code}-B-{n:07d}",
                        union.pk,
                        f"职工{n}",
                        sex,
                        id_number,
                        f"139{n:08d}",
                        union.name,
                        rng.choice(work),
                        rng.choice(categories),
                        rng.choice(levels),
                        status,
                        None if status == Status.DRAFT else established,
                        today if status == Status.EXITED else None,
                        today if status == Status.CANCELLED else None,
                        today + datetime.timedelta(days=rng.randint(-200, 300)),
                        Household.Housing.OWN,
                        f"6217{pk:015d}",
                        main_cause,
                        Health.SERIOUS if _serious(n) else Health.HEALTHY,
                    )
                )
                for m in range(3):
                    rows[1].append(
                        (pk, f"成员{pk}-{m}", RELATIONS[m], birth_dates[m])
                        + (Member.Employment.UNEMPLOYED, HIGH if m == 1 else NONE)
                        + (Decimal(rng.choice((0, 0, 300, 600))),)
                    )
                rows[2].append((pk, "wages", Decimal(rng.randint(800, 1600))))
                rows[3].extend((pk, cause) for cause in picked)
                registry.unions.append((union.pk, union.parent_id))
                registry.main_causes.append(main_cause)
                registry.id_numbers.append(id_number)
            for table, chunk in zip((households, members, incomes, causes), rows, strict=True):
                table.write(chunk)
        reset_sequences(Household)
    return registry


def write_applications(registry: Registry, filers, rng, today) -> None:
    """Two applications per household in random states, filed by the union's caseworker
    (`filers`: union id → user id), each with its submit decision, chained like real ones
    (the decision records the application's kind, amount and state, as verify_integrity
    expects)."""
    registry.first_application = first = _next_id(Application)
    applications = Table(
        Application,
        ("id", "number", "household_id", "kind", "reason", "amount", "state", "filed_by_id")
        + ("effective_on",),
    )
    decisions = Table(
        Decision,
        ("application_id", "round", "step", "action", "application_kind")
        + ("application_amount", "resulting_state", "chain_position", "prev_hash", "row_hash"),
    )
    states = Application.State.values
    kind, effective = Application.Kind.EMERGENCY, Application.State.EFFECTIVE
    with transaction.atomic(), unindexed(Application, Decision):
        linker = chain.BulkLinker(Decision.CHAIN)
        for start in range(0, len(registry), CHUNK):
            made, trail = [], []
            for n in range(start, min(len(registry), start + CHUNK)):
                for k in range(2):
                    pk, state = first + 2 * n + k, rng.choice(states)
                    amount = Decimal(rng.randint(5, 80) * 100)
                    made.append(
                        (pk, f"BENCH-{pk - first + 1:07d}", registry.first_id + n, kind)
                        + ("基准测试数据", amount, state, filers[registry.unions[n][0]])
                        + (today if state == effective else None,)
                    )
                    decision = (pk, 1, "submitted", "submit", kind, amount, state)
                    decision += (linker.rows + 1,)
                    prev = linker.prev
                    content = decisions.instance(decision + (prev, "")).chain_content()
                    trail.append(decision + (prev, linker.next(content)))
            applications.write(made)
            decisions.write(trail)
        linker.finish(last_id=_next_id(Decision) - 1)
        reset_sequences(Application)


def write_ledger(registry: Registry, companies, finance, years, rng, today) -> None:
    """Receipts that cover every payment, ten payments per household of several aid types,
    and one in a hundred reversed weeks later (some in the next year), all in one chain.
    The fund and aid year totals are counted from the same rows as they are made."""
    first_year = today.year - years + 1
    funds = {
        (company.pk, year): Fund.objects.create(
            name="帮扶资金",
            source=Fund.Source.GROUP,
            year=year,
            unit=company,
            aid_types=list(AidType.values),
        )
        for company in companies
        for year in range(first_year, today.year + 1)
    }
    paths = {company.pk: company.path for company in companies}
    fund_ids = {key: fund.pk for key, fund in funds.items()}
    days = [
        datetime.date(first_year, 1, 1) + datetime.timedelta(days=d) for d in range(400 * years)
    ]
    span = days.index(today) + 1
    amounts = [[Decimal(amount) for amount in mix[2]] for mix in AID_MIX]
    aid_sums, payments = {}, []
    for n, unions in enumerate(registry.unions):
        # Any day from the first year's 1 January up to today: none in the future. History
        # written in bulk, not through the services: the back-dating window (a service rule)
        # does not apply; the ledger trigger's guards do (no future date, no closed year).
        rows = []
        for _p in range(PAYMENTS_PER_HOUSEHOLD):
            day = rng.randrange(span)
            aid = rng.choices(range(len(AID_MIX)), weights=AID_WEIGHTS)[0]
            amount = rng.choice(amounts[aid])
            reversed_on = None
            if rng.random() < REVERSED_SHARE:
                reversed_on = days[min(day + rng.randint(3, 60), span - 1)]
            payment = (days[day], n, amount, aid, reversed_on)
            payments.append(payment)
            rows.extend(_totals_rows(payment, unions, paths, registry.main_causes[n]))
        totals.add_household(aid_sums, rows)
    payments.sort(key=lambda payment: payment[:2])
    with transaction.atomic():
        with unindexed(LedgerEntry):
            fund_sums = _post(registry, fund_ids, finance, payments)
        totals.rebuild((fund_sums, aid_sums))
        balances = {}
        for (fund, _year, _flow), (amount, _entries) in fund_sums.items():
            balances[fund] = balances.get(fund, 0) + amount
        for fund, balance in balances.items():
            Fund.objects.filter(pk=fund).update(balance=balance)


def _totals_rows(payment, unions, paths, main_cause):
    """The payment (and its reversal) as funds.totals reads ledger rows; `unions`: the
    household's (union id, company id)."""
    day, n, amount, aid, reversed_on = payment
    (union, company), aid_type = unions, AID_MIX[aid][0]
    dims = (aid_type, "bank", "", "", union, main_cause, "", _serious(n))
    path = paths[company]
    reversal = None if reversed_on is None else 0
    yield (0, n, "payment", -amount, day, path, None, reversal, reversed_on, *dims)
    if reversed_on:
        own = (aid_type, "", "", "", None, "", "", False)
        yield (0, n, "reversal", amount, reversed_on, path, None, None, None, *own, *dims)


LEDGER_COLUMNS = (
    ("id", "fund_id", "kind", "amount", "voucher", "posted_on", "note", "recorded_by_id")
    + ("household_id", "aid_type", "application_id", "payee_name", "payee_id_number")
    + ("method", "bank_account", "union_id", "main_cause", "serious_illness", "reverses_id")
    + ("chain_position", "prev_hash", "row_hash")
)


def _post(registry, funds, finance, payments) -> dict:  # funds: (company, year) → id
    """Write the ledger in chain order, in one COPY: a receipt per fund that covers its
    payments, the payments by date, then their reversals as a finance office records them
    later. Returns the fund year totals of the rows written."""
    table = Table(LedgerEntry, LEDGER_COLUMNS)
    linker = chain.BulkLinker(LedgerEntry.CHAIN)
    first = next_id = _next_id(LedgerEntry)
    fund_sums = {}
    Kind = LedgerEntry.Kind

    def chained(values):
        nonlocal next_id
        values = (next_id, *values, linker.rows + 1, linker.prev, "")
        next_id += 1
        fund, kind, amount, _voucher, posted_on = values[1:6]
        reversed_kind = Kind.PAYMENT if kind == Kind.REVERSAL else None
        totals.add_posting(fund_sums, fund, posted_on, kind, reversed_kind, amount)
        return values[:-1] + (linker.next(table.instance(values).chain_content()),)

    def rows():
        covered = {}
        for day, n, amount, _aid, _reversed in payments:
            key = (registry.unions[n][1], day.year)
            covered[key] = covered.get(key, 0) + amount
        voucher = 0
        for company, year in sorted(covered, key=lambda key: (key[1], key[0])):
            voucher += 1
            yield chained(
                (funds[company, year], Kind.RECEIPT, covered[company, year], f"R{voucher:08d}")
                + (datetime.date(year, 1, 1), "拨付", finance[company])
                + (None, "", None, "", "", "", "", None, "", False, None)
            )
        reversals = []
        for day, n, amount, aid, reversed_on in payments:
            voucher += 1
            (union, company), household = registry.unions[n], registry.first_id + n
            application = registry.first_application + 2 * n
            row = chained(
                (funds[company, day.year], Kind.PAYMENT, -amount, f"P{voucher:08d}", day)
                + (AID_MIX[aid][1], finance[company], household, AID_MIX[aid][0], application)
                + (f"职工{n}", registry.id_numbers[n], "bank", f"6217{household:015d}")
                + (union, registry.main_causes[n], _serious(n), None)
            )
            yield row
            if reversed_on:
                reversals.append((row, reversed_on))
        for payment, reversed_on in reversals:
            fund, _kind, amount, voucher_, _day, _note, by, household, aid_type, app = payment[1:11]
            yield chained(
                (fund, Kind.REVERSAL, -amount, f"{voucher_}-CX", reversed_on)
                + ("收款账户有误，冲销", by, household, aid_type, app)
                + ("", "", "", "", None, "", False, payment[0])
            )

    table.write(rows())
    linker.finish(last_id=next_id - 1 if next_id > first else None)
    reset_sequences(LedgerEntry)
    return fund_sums
