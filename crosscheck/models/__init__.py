"""Cross-checks of the registry with the world outside: outside lists and their match
reports, suspected duplicates, the watch list, follow-ups, payment verification."""

from crosscheck.models.duplicates import DuplicateDecision, DuplicateKey, FraudMark
from crosscheck.models.lists import (
    AccessLog,
    ColumnMapping,
    FollowUp,
    MatchLine,
    OutsideList,
    OutsideRow,
)
from crosscheck.models.verification import Verification, VerificationItem

__all__ = [
    "AccessLog",
    "ColumnMapping",
    "DuplicateDecision",
    "DuplicateKey",
    "FollowUp",
    "FraudMark",
    "MatchLine",
    "OutsideList",
    "OutsideRow",
    "Verification",
    "VerificationItem",
]
