"""The figures of an open-books disclosure (账务公开), computed from the ledger alone.

A disclosure covers the funds owned by a unit and the units below it, from 1 January of its
year to its cut-off date (the year's end, or the day it was drawn up for the year in
course). The figures are a JSON snapshot: money as strings to the cent, counts as integers,
choices as their codes (labels are read when shown, in the reader's language), plan and
fund names as they stood. No name, file number or card of any household is in it.

The same function computes the snapshot when a disclosure is drawn up and again when it is
published; `differences` compares the two figure by figure, and `digest` seals a snapshot.

The balances add up: closing = opening + receipts − payments − loans lent + loans repaid,
all net of reversals (`adds_up`).
"""

import datetime
import hashlib
import json
from decimal import Decimal

from django.db.models import Case, Count, Q, Sum, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from funds.models import AidType, DistributionPlan, Fund, LedgerEntry
from hardship.templatetags.money import format_yuan
from reports.annual import ZERO

Kind = LedgerEntry.Kind
# Payments made outside any distribution plan, by the route they took.
ROUTE_APPLICATION = "application"
ROUTE_VISIT = "visit"
ROUTE_OTHER = "other"
ROUTES = (ROUTE_APPLICATION, ROUTE_VISIT, ROUTE_OTHER)


def route_label(route: str) -> str:
    return {
        ROUTE_APPLICATION: _("按申请审批发放"),
        ROUTE_VISIT: _("走访慰问物资"),
        ROUTE_OTHER: _("其他发放"),
    }[route]


def _money(value) -> str:
    return f"{Decimal(value or 0):.2f}"


def _flows(entries, *kinds):
    """Rows of `kinds` and the reversals of such rows."""
    return entries.filter(Q(kind__in=kinds) | Q(kind=Kind.REVERSAL, reverses__kind__in=kinds))


def _sum(qs) -> Decimal:
    return qs.aggregate(total=Sum("amount", default=ZERO))["total"]


class _Group:
    """Payments of one row of a table: net amount, households and person-times."""

    def __init__(self):
        self.amount = ZERO  # net paid, positive
        self.households: set[int] = set()
        self.person_times = 0

    def add(self, household, paid, reversed_, live) -> None:
        self.amount += paid - reversed_
        self.person_times += live
        if live:
            self.households.add(household)

    def as_dict(self, **key) -> dict:
        return {
            **key,
            "amount": _money(self.amount),
            "households": len(self.households),
            "person_times": self.person_times,
        }


def _payment_cells(entries, end: datetime.date):
    """The period's payments and the reversals of payments, grouped by household, aid type,
    plan and route, with a reversal counted where the payment it reverses was (its plan
    line and visit are the payment's alone). `live`: payments still standing at the cut-off."""
    is_payment = Q(kind=Kind.PAYMENT)
    standing = Q(reversed_by__isnull=True) | Q(reversed_by__posted_on__gt=end)
    return (
        _flows(entries, Kind.PAYMENT)
        .annotate(
            cell_household=Coalesce("household_id", "reverses__household_id"),
            cell_aid_type=Coalesce(NullIf("aid_type", Value("")), "reverses__aid_type"),
            cell_plan=Coalesce("plan_line__plan_id", "reverses__plan_line__plan_id"),
            cell_route=Case(
                When(
                    Q(application__isnull=False) | Q(reverses__application__isnull=False),
                    then=Value(ROUTE_APPLICATION),
                ),
                When(
                    Q(visit_id__isnull=False) | Q(reverses__visit_id__isnull=False),
                    then=Value(ROUTE_VISIT),
                ),
                default=Value(ROUTE_OTHER),
            ),
        )
        .values_list("cell_household", "cell_aid_type", "cell_plan", "cell_route")
        .annotate(
            paid=Sum("amount", filter=is_payment, default=ZERO),
            reversed=Sum("amount", filter=~is_payment, default=ZERO),
            live=Count("pk", filter=is_payment & standing),
        )
        .order_by()
    )


def compute(unit, year: int, end: datetime.date) -> dict:
    """The disclosure's snapshot for `unit` and `year` up to `end` (inclusive)."""
    start = datetime.date(year, 1, 1)
    funds = Fund.objects.filter(unit__path__startswith=unit.path)
    ledger = LedgerEntry.objects.filter(fund__in=funds)
    entries = ledger.filter(posted_on__gte=start, posted_on__lte=end)

    receipts = [
        {"source": source, "amount": _money(total)}
        for source, total in _flows(entries, Kind.RECEIPT)
        .values_list("fund__source")
        .annotate(total=Sum("amount"))
        .order_by("fund__source")
    ]

    by_aid_type: dict[str, _Group] = {}
    by_plan: dict[int, _Group] = {}
    outside: dict[str, _Group] = {}
    total = _Group()
    for household, aid_type, plan, route, paid, rev, live in _payment_cells(entries, end):
        # Payments are negative in the ledger, their reversals positive.
        if plan is not None:
            group = by_plan.setdefault(plan, _Group())
        else:
            group = outside.setdefault(route, _Group())
        for row in (group, by_aid_type.setdefault(aid_type or "", _Group()), total):
            row.add(household, -paid, rev, live)

    plan_names = dict(DistributionPlan.objects.filter(pk__in=by_plan).values_list("pk", "name"))
    opening = _sum(ledger.filter(posted_on__lt=start))
    return {
        "unit": unit.pk,
        "unit_name": unit.name,
        "year": year,
        "period_end": end.isoformat(),
        "entries": entries.count(),
        "opening": _money(opening),
        "closing": _money(opening + _sum(entries)),
        "funds": _fund_rows(funds, ledger, start, end),
        "receipts": receipts,
        "receipts_total": _money(sum((Decimal(r["amount"]) for r in receipts), ZERO)),
        "by_aid_type": [
            row.as_dict(aid_type=key) for key, row in sorted(by_aid_type.items(), key=_aid_order)
        ],
        "by_plan": [
            row.as_dict(plan=pk, name=plan_names[pk])
            for pk, row in sorted(by_plan.items(), key=lambda item: (plan_names[item[0]], item[0]))
        ],
        "outside_plans": [
            outside[route].as_dict(route=route) for route in ROUTES if route in outside
        ],
        "payments_total": _money(total.amount),
        "households": len(total.households),
        "person_times": total.person_times,
        "loans_out": _money(-_sum(_flows(entries, Kind.LOAN_OUT))),
        "loan_repayments": _money(_sum(_flows(entries, Kind.LOAN_REPAYMENT))),
    }


def _aid_order(item):
    codes = list(AidType.values)
    return codes.index(item[0]) if item[0] in codes else len(codes)


def _fund_rows(funds, ledger, start, end) -> list[dict]:
    """Opening and closing balance of each fund that had money or moved in the period."""
    sums = {
        fund: (before, during)
        for fund, before, during in ledger.filter(posted_on__lte=end)
        .values_list("fund")
        .annotate(
            before=Sum("amount", filter=Q(posted_on__lt=start), default=ZERO),
            during=Sum("amount", filter=Q(posted_on__gte=start), default=ZERO),
        )
        .order_by()
    }
    rows = []
    for fund in funds.order_by("name", "year", "pk"):
        before, during = sums.get(fund.pk, (ZERO, ZERO))
        if before or during or fund.year == start.year:
            rows.append(
                {
                    "fund": fund.pk,
                    "name": fund.name,
                    "year": fund.year,
                    "source": fund.source,
                    "opening": _money(before),
                    "closing": _money(before + during),
                }
            )
    return rows


def adds_up(snapshot: dict) -> bool:
    """closing = opening + receipts − payments − loans lent + loans repaid."""
    figures = {key: Decimal(snapshot[key]) for key in SUMS}
    return figures["closing"] == (
        figures["opening"]
        + figures["receipts_total"]
        - figures["payments_total"]
        - figures["loans_out"]
        + figures["loan_repayments"]
    )


SUMS = ("opening", "closing", "receipts_total", "payments_total", "loans_out", "loan_repayments")


def digest(snapshot: dict) -> str:
    """sha256 over the snapshot's canonical JSON: what the committee approved and what was
    published (audit.consistency recomputes it the same way)."""
    payload = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


# Comparing two snapshots ----------------------------------------------------------------


def _labelled(snapshot: dict) -> dict[str, tuple[str, str]]:
    """Every figure of a snapshot under a stable key, with the name a reader knows it by."""
    sources = dict(Fund.Source.choices)
    aid_types = dict(AidType.choices)
    out: dict[str, tuple[str, str]] = {}
    # In the order a reader checks them: balances and totals, the tables' rows, the
    # counts, each fund, the number of ledger rows.
    totals = {
        "opening": _("期初余额"),
        "closing": _("期末余额"),
        "receipts_total": _("收入合计"),
        "payments_total": _("帮扶支出合计"),
        "loans_out": _("借出小额借款"),
        "loan_repayments": _("收回借款"),
    }
    counts = {"households": _("帮扶户数"), "person_times": _("帮扶人次")}
    for key, label in totals.items():
        out[key] = (str(label), str(snapshot.get(key, "")))
    for row in snapshot.get("receipts", []):
        label = _("收入·%(s)s") % {"s": sources.get(row["source"], row["source"])}
        out[f"receipt:{row['source']}"] = (label, row["amount"])
    tables = (
        ("by_aid_type", "aid_type", lambda row: aid_types.get(row["aid_type"], _("未登记"))),
        ("by_plan", "plan", lambda row: _("发放方案‘%(n)s’") % {"n": row["name"]}),
        ("outside_plans", "route", lambda row: route_label(row["route"])),
    )
    for table, key, name_of in tables:
        for row in snapshot.get(table, []):
            for part, word in (
                ("amount", _("金额")),
                ("households", _("户数")),
                ("person_times", _("人次")),
            ):
                label = _("%(row)s·%(what)s") % {"row": name_of(row), "what": word}
                out[f"{table}:{row[key]}:{part}"] = (label, str(row[part]))
    for key, label in counts.items():
        out[key] = (str(label), str(snapshot.get(key, "")))
    for row in snapshot.get("funds", []):
        for part, word in (("opening", _("期初余额")), ("closing", _("期末余额"))):
            label = _("资金账户‘%(n)s’（%(y)s 年）%(w)s") % {
                "n": row["name"],
                "y": row.get("year", ""),
                "w": word,
            }
            out[f"fund:{row['fund']}:{part}"] = (label, row[part])
    out["entries"] = (str(_("台账记录数")), str(snapshot.get("entries", "")))
    return out


def differences(stored: dict, current: dict) -> list[str]:
    """One sentence per figure that differs between two snapshots, naming it."""
    old, new = _labelled(stored), _labelled(current)
    lines = []
    for key in list(old) + [key for key in new if key not in old]:
        before, after = old.get(key), new.get(key)
        if before is not None and after is not None and before[1] == after[1]:
            continue
        label = (before or after)[0]
        lines.append(
            _("“%(f)s”公开稿为 %(was)s，按台账重算为 %(now)s")
            % {"f": label, "was": _shown(before), "now": _shown(after)}
        )
    return lines


def _shown(figure) -> str:
    if figure is None:
        return _("（无此项）")
    value = figure[1]
    return format_yuan(Decimal(value)) if "." in value else value


# Reading a snapshot ---------------------------------------------------------------------


def for_reading(snapshot: dict) -> dict:
    """The snapshot with labels in the reader's language and money as Decimal, for the page
    and the PDF."""
    sources = dict(Fund.Source.choices)
    aid_types = dict(AidType.choices)

    def rows(table, label_of):
        return [
            {
                "label": label_of(row),
                "amount": Decimal(row["amount"]),
                "households": row["households"],
                "person_times": row["person_times"],
            }
            for row in snapshot.get(table, [])
        ]

    money = {key: Decimal(snapshot[key]) for key in SUMS}
    return {
        **money,
        "period_start": datetime.date(snapshot["year"], 1, 1),
        "period_end": datetime.date.fromisoformat(snapshot["period_end"]),
        "households": snapshot["households"],
        "person_times": snapshot["person_times"],
        "receipts": [
            (sources.get(row["source"], row["source"]), Decimal(row["amount"]))
            for row in snapshot["receipts"]
        ],
        "funds": [
            {
                "name": row["name"],
                "year": row.get("year"),
                "source": sources.get(row["source"], row["source"]),
                "opening": Decimal(row["opening"]),
                "closing": Decimal(row["closing"]),
            }
            for row in snapshot["funds"]
        ],
        "by_aid_type": rows("by_aid_type", lambda r: aid_types.get(r["aid_type"], _("未登记"))),
        "by_plan": rows("by_plan", lambda r: r["name"]),
        "outside_plans": rows("outside_plans", lambda r: route_label(r["route"])),
        "has_loans": bool(money["loans_out"] or money["loan_repayments"]),
    }
