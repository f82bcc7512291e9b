"""Casework's records, one module per kind of work."""

from casework.models.changes import ChangeReport
from casework.models.duties import Duty
from casework.models.notifications import Notification
from casework.models.rounds import VisitRound
from casework.models.visits import AnnualReview, Visit

__all__ = ["AnnualReview", "ChangeReport", "Duty", "Notification", "Visit", "VisitRound"]
