"""A tree's funds as their year totals tell it (funds.models.FundYearTotal): the opening
balance of a year and what flowed in it, read from a few rows per fund and year whatever
the length of the ledger. The annual report and the indicator sheet read it; and the
payments to the households of a set of unions, from the aid totals the root scopes keep
per union (funds.models.AidYearTotal)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from funds.models import AidYearTotal, FundYearTotal
from funds.totals import PER_UNION_AT_ROOT

ZERO = Decimal("0")
Flow = FundYearTotal.Flow
Facet = AidYearTotal.Facet


@dataclass
class FundFlows:
    """The funds' year totals (funds.models.FundYearTotal) up to the report's year."""

    opening: Decimal = ZERO
    in_year: dict = field(default_factory=dict)  # flow → amount (signed as in the ledger)
    receipts_by_source: dict = field(default_factory=dict)

    def of(self, *flows) -> Decimal:
        return sum((self.in_year.get(flow, ZERO) for flow in flows), ZERO)


def fund_flows(year: int, funds) -> FundFlows:
    flows = FundFlows()
    rows = (
        FundYearTotal.objects.filter(fund__in=funds, year__lte=year)
        .values_list("year", "flow", "fund__source")
        .annotate(total=Sum("amount"))
        .order_by("fund__source")
    )
    for row_year, flow, source, total in rows:
        if row_year < year:
            flows.opening += total
            continue
        flows.in_year[flow] = flows.in_year.get(flow, ZERO) + total
        if flow == Flow.RECEIPT:
            flows.receipts_by_source[source] = flows.receipts_by_source.get(source, ZERO) + total
    return flows


# The flows of each kind of ledger row (a reversal's flow is the reversed row's kind's).
FLOWS_OF_KIND = {
    "receipt": [Flow.RECEIPT],
    "payment": [Flow.PAYMENT],
    "reversal": [Flow.RECEIPT_REVERSAL, Flow.PAYMENT_REVERSAL, Flow.REPAYMENT_REVERSAL],
    "loan_out": [Flow.LOAN_OUT],
    "loan_repayment": [Flow.LOAN_REPAYMENT],
}


@dataclass
class FundTotals:
    """One fund's rows over all its years, by kind: their sum (None: no such row) and
    their number, read from its year totals."""

    sums: dict
    counts: dict


def fund_totals(fund) -> FundTotals:
    rows = (
        FundYearTotal.objects.filter(fund=fund)
        .values_list("flow")
        .annotate(total=Sum("amount"), entries=Sum("entries"))
        .order_by()
    )
    by_flow = {flow: (total, entries) for flow, total, entries in rows}
    sums, counts = {}, {}
    for kind, flows in FLOWS_OF_KIND.items():
        found = [by_flow[flow] for flow in flows if flow in by_flow]
        sums[kind] = sum((total for total, _n in found), ZERO) if found else None
        counts[kind] = sum(n for _total, n in found)
    return FundTotals(sums, counts)


def paid_in_unions(union_ids, year: int) -> dict[tuple[str, str], tuple[Decimal, int]]:
    """The year's payments to the households of `union_ids`, by the unions they had when
    paid, as (net paid, payments still standing) per (facet, value) of the year totals that
    the root scopes keep per union (funds.totals): a few rows per union, whatever the size
    of the ledger."""
    rows = (
        AidYearTotal.objects.filter(
            scope__parent__isnull=True,
            year=year,
            union__in=union_ids,
            facet__in=[Facet.ALL, *PER_UNION_AT_ROOT],
        )
        .values_list("facet", "value")
        .annotate(paid=Sum("paid"), reversed=Sum("reversed"), standing=Sum("standing"))
        .order_by()
    )
    return {
        (facet, value): (paid - reversed_, standing)
        for facet, value, paid, reversed_, standing in rows
    }
