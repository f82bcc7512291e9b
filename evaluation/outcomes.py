"""Outcomes, not only money (成效): how the helped households' income moved from one annual
review to the next, who rose above the hardship threshold, and the exits of the year with
their reasons. Counted in the database: three queries whatever the number of files."""

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Window
from django.db.models.functions import Lag, Lead
from django.utils.translation import gettext as _

from casework.models import AnnualReview
from hardship.models import PolicyParameter
from hardship.policy import policy_lookup
from households.models import Cause, Household

CENT = Decimal("0.01")


@dataclass
class IncomeChanges:
    """Households whose last review up to the year's end fell in the year and had a review
    before it: per-capita monthly income (人均月收入) at the two reviews."""

    compared: int = 0
    rose: int = 0
    fell: int = 0
    unchanged: int = 0
    median_change: Decimal | None = None
    crossed: int = 0  # below the hardship threshold at the earlier review, not at the later
    changes: list = field(default_factory=list)


@dataclass
class Outcomes:
    income: IncomeChanges
    exits: int
    exits_by_reason: list  # (reason, count), most frequent first
    exits_by_cause: list  # (main cause label, count)


def income_changes(unit, year: int) -> IncomeChanges:
    order = [F("reviewed_on").asc(), F("pk").asc()]
    partition = [F("household_id")]
    rows = (
        AnnualReview.objects.filter(
            household__union__path__startswith=unit.path,
            reviewed_on__lte=datetime.date(year, 12, 31),
        )
        .annotate(
            before=Window(Lag("per_capita"), partition_by=partition, order_by=order),
            before_on=Window(Lag("reviewed_on"), partition_by=partition, order_by=order),
            later_on=Window(Lead("reviewed_on"), partition_by=partition, order_by=order),
        )
        # The household's last review up to the year's end, with one before it.
        .filter(before__isnull=False, later_on__isnull=True)
        .values_list("household__union__path", "before_on", "before", "reviewed_on", "per_capita")
    )
    threshold = policy_lookup(PolicyParameter.Key.HARDSHIP_THRESHOLD)
    result = IncomeChanges()
    for path, before_on, before, after_on, after in rows:
        if after_on.year != year:
            continue
        change = after - before
        result.changes.append(change)
        result.rose += change > 0
        result.fell += change < 0
        result.unchanged += change == 0
        line_before, line_after = threshold(path, before_on), threshold(path, after_on)
        if line_before is not None and line_after is not None:
            result.crossed += before < line_before and after >= line_after
    result.compared = len(result.changes)
    if result.changes:
        result.median_change = Decimal(statistics.median(result.changes)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
    return result


def outcomes(unit, year: int) -> Outcomes:
    exited = Household.objects.filter(
        union__path__startswith=unit.path, status=Household.Status.EXITED, exited_on__year=year
    )
    reasons = exited.values_list("status_reason").annotate(n=Count("pk")).order_by()
    # Most frequent first; exits with no reason written last among their equals.
    by_reason = [
        (reason or _("未写明原因"), n)
        for reason, n in sorted(reasons, key=lambda row: (-row[1], not row[0], row[0]))
    ]
    causes = dict(Cause.choices)
    by_cause = [
        (causes.get(cause, _("未登记")), n)
        for cause, n in exited.values_list("main_cause")
        .annotate(n=Count("pk"))
        .order_by("-n", "main_cause")
    ]
    return Outcomes(
        income=income_changes(unit, year),
        exits=sum(n for _reason, n in by_reason),
        exits_by_reason=by_reason,
        exits_by_cause=by_cause,
    )
