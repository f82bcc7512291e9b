"""Casework's records, one module per kind of work."""

from casework.models.duties import Duty
from casework.models.notifications import Notification
from casework.models.visits import AnnualReview, Visit

__all__ = ["AnnualReview", "Duty", "Notification", "Visit"]
