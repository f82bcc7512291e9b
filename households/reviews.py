"""When a household's next annual review (年度复核) falls due: the registry keeps the date on
the file (`review_due_on`); the review itself is casework's (casework.services)."""

import calendar
import datetime

from hardship.models import PolicyParameter
from hardship.policy import policy_value
from households.models import Household

DEFAULT_MONTHS = 12


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_due(household: Household, after: datetime.date) -> datetime.date:
    months = policy_value(PolicyParameter.Key.REVIEW_MONTHS, household.union, after)
    return add_months(after, int(months) if months else DEFAULT_MONTHS)
