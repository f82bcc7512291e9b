"""The money's models: funds and the ledger (ledger.py), distribution plans and year closings
(plans.py), campaigns' rules, adjustments and notices (campaigns.py)."""

from funds.models.campaigns import PlanAdjustment, PlanNotice, PlanObjection, PlanRule  # noqa: I001
from funds.models.ledger import MONEY, AidType, Fund, LedgerEntry
from funds.models.plans import DistributionPlan, PlanDecision, PlanLine, YearClosing

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
]
