"""The money's models: funds and the ledger (ledger.py), distribution plans and year closings
(plans.py)."""

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
]
