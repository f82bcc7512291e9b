"""The money's models: funds and the ledger (ledger.py), distribution plans and year closings
(plans.py), campaigns' rules, adjustments and notices (campaigns.py), the year totals
kept beside the ledger (totals.py)."""

from funds.models.campaigns import PlanAdjustment, PlanNotice, PlanObjection, PlanRule  # noqa: I001
from funds.models.ledger import MONEY, AidType, Fund, LedgerEntry
from funds.models.plans import DistributionPlan, PlanDecision, PlanLine, YearClosing
from funds.models.totals import AidYearTotal, FundYearTotal

__all__ = [
    "MONEY",
    "AidType",
    "Fund",
    "LedgerEntry",
    "DistributionPlan",
    "PlanLine",
    "PlanDecision",
    "YearClosing",
    "PlanRule",
    "PlanAdjustment",
    "PlanNotice",
    "PlanObjection",
    "AidYearTotal",
    "FundYearTotal",
]
