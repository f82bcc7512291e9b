"""A tree's funds as their year totals tell it (funds.models.FundYearTotal): the opening
balance of a year and what flowed in it, read from a few rows per fund and year whatever
the length of the ledger. The annual report and the indicator sheet read it."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from funds.models import FundYearTotal

ZERO = Decimal("0")
Flow = FundYearTotal.Flow


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
