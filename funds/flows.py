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
