"""The front door's figures for a unit's subtree and a period (a year, or one month of
it): the statistics page and the annual report read them from here, so the two agree.
`front_door_figures` is the one selector; the appeals lodged in the period join it
(`cases.appeal_selectors.appeal_figures`), so complaints, appeals and legal aid read as one."""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from cases.appeal_selectors import appeal_figures
from intake.models import Channel, Contact, LegalAidCase, Topic

REACHED = (
    Contact.Satisfaction.SATISFIED,
    Contact.Satisfaction.BASIC,
    Contact.Satisfaction.UNSATISFIED,
)


@dataclass
class FrontDoorFigures:
    start: datetime.date
    end: datetime.date
    total: int = 0
    by_channel: list = field(default_factory=list)  # (label, count)
    by_topic: list = field(default_factory=list)
    closed: int = 0
    closed_on_time: int = 0
    overdue_open: int = 0
    followed_up: int = 0
    satisfied: int = 0  # satisfied or basically satisfied, of the callers reached
    reached: int = 0
    legal_opened: int = 0
    legal_concluded: int = 0
    legal_by_outcome: list = field(default_factory=list)
    amount_recovered: Decimal = Decimal("0.00")
    # Appeals (申诉) lodged in the period, by where they stand now.
    appeals: int = 0
    appeals_pending: int = 0
    appeals_upheld: int = 0
    appeals_dismissed: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.closed_on_time, self.closed)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _rate(self.satisfied, self.reached)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def period(year: int, month: int | None = None) -> tuple[datetime.date, datetime.date]:
    if month:
        return datetime.date(year, month, 1), datetime.date(
            year, month, calendar.monthrange(year, month)[1]
        )
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _counts(today) -> dict:
    """The contacts' closures and call-backs, as aggregates."""
    closed = Q(status=Contact.Status.CLOSED)
    return {
        "closed": Count("pk", filter=closed),
        "on_time": Count("pk", filter=closed & Q(closed_at__date__lte=F("due_on"))),
        "overdue": Count("pk", filter=~closed & Q(due_on__lt=today)),
        "followed": Count("pk", filter=~Q(satisfaction="")),
        "reached": Count("pk", filter=Q(satisfaction__in=REACHED)),
        "satisfied": Count("pk", filter=Q(satisfaction__in=REACHED[:2])),
    }


def _set_counts(figures: FrontDoorFigures, counts: dict) -> None:
    figures.closed = counts["closed"]
    figures.closed_on_time = counts["on_time"]
    figures.overdue_open = counts["overdue"]
    figures.followed_up = counts["followed"]
    figures.reached = counts["reached"]
    figures.satisfied = counts["satisfied"]


def front_door_figures(unit, year: int, month: int | None = None) -> FrontDoorFigures:
    """Contacts received in the period (by channel and topic; closed, on time, called back,
    satisfied), and legal-aid cases opened and concluded in it, for `unit`'s subtree. A
    handful of grouped queries, whatever the number of contacts."""
    start, end = period(year, month)
    figures = FrontDoorFigures(start=start, end=end)
    contacts = Contact.objects.filter(
        unit__path__startswith=unit.path,
        received_at__date__gte=start,
        received_at__date__lte=end,
    )
    channels = dict(contacts.values_list("channel").annotate(n=Count("pk")).order_by())
    topics = dict(contacts.values_list("topic").annotate(n=Count("pk")).order_by())
    figures.by_channel = [(c.label, channels.get(c.value, 0)) for c in Channel]
    figures.by_topic = [(t.label, topics.get(t.value, 0)) for t in Topic]
    figures.total = sum(channels.values())
    _set_counts(figures, contacts.aggregate(**_counts(timezone.localdate())))

    cases = LegalAidCase.objects.filter(unit__path__startswith=unit.path)
    figures.legal_opened = cases.filter(opened_on__gte=start, opened_on__lte=end).count()
    concluded = cases.filter(
        status=LegalAidCase.Status.CONCLUDED, concluded_on__gte=start, concluded_on__lte=end
    )
    outcomes = dict(concluded.values_list("outcome").annotate(n=Count("pk")).order_by())
    figures.legal_by_outcome = [(o.label, outcomes.get(o.value, 0)) for o in LegalAidCase.Outcome]
    figures.legal_concluded = sum(outcomes.values())
    figures.amount_recovered = concluded.aggregate(s=Sum("amount_recovered"))["s"] or Decimal(
        "0.00"
    )
    appeals = appeal_figures([unit.path], start, end)
    figures.appeals = appeals.lodged
    figures.appeals_pending = appeals.pending
    figures.appeals_upheld = appeals.upheld
    figures.appeals_dismissed = appeals.dismissed
    return figures


def monthly(unit, year: int) -> list[FrontDoorFigures]:
    """The twelve months of a year (up to the current month of the current year), as the
    month table shows them: contacts received, closed (on time), call-backs, legal-aid cases
    opened and money recovered, in three grouped queries (a month at a time took eight
    queries a month). The channels, topics and appeals are the year's figures'."""
    today = timezone.localdate()
    last = today.month if year == today.year else 12
    months = {month: FrontDoorFigures(*period(year, month)) for month in range(1, last + 1)}
    start, end = months[1].start, months[last].end
    contacts = (
        Contact.objects.filter(
            unit__path__startswith=unit.path,
            received_at__date__gte=start,
            received_at__date__lte=end,
        )
        .values("received_at__month")
        .annotate(total=Count("pk"), **_counts(today))
        .order_by()
    )
    for row in contacts:
        figures = months[row["received_at__month"]]
        figures.total = row["total"]
        _set_counts(figures, row)
    cases = LegalAidCase.objects.filter(unit__path__startswith=unit.path)
    opened = (
        cases.filter(opened_on__gte=start, opened_on__lte=end)
        .values_list("opened_on__month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for month, n in opened:
        months[month].legal_opened = n
    concluded = (
        cases.filter(
            status=LegalAidCase.Status.CONCLUDED, concluded_on__gte=start, concluded_on__lte=end
        )
        .values_list("concluded_on__month")
        .annotate(n=Count("pk"), recovered=Sum("amount_recovered"))
        .order_by()
    )
    for month, n, recovered in concluded:
        months[month].legal_concluded = n
        months[month].amount_recovered = recovered or Decimal("0.00")
    return list(months.values())
