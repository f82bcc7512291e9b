"""The indicator sheet (绩效评价表) of a unit and a year: each indicator's actual figure
from the records of the unit's tree, its target, its weight and its score.

Scoring rule (shown on the page): every indicator is "the more the better"; its score is
weight × min(actual ÷ target, 1) (a target of 0 is met by anything); an indicator with
nothing to measure (no contact closed, no duty due, no survey answered, no planned
allocation) is not scored, and the total is scaled to 100 over the weights scored:
total = Σ scores ÷ Σ weights scored × 100.

Each actual is one aggregate query, whatever the number of households or ledger rows."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Duty, Visit, VisitRound
from evaluation.models import (
    COUNTS,
    GROUP_OF,
    Group,
    Indicator,
    SurveyItem,
    Target,
    WeightSheet,
)
from funds.flows import Flow, fund_flows, paid_in_unions
from funds.models import AidYearTotal, Fund
from hardship import access
from hardship.models import Unit
from hardship.templatetags.money import format_yuan as yuan
from households.models import Household
from intake.models import Contact

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")
Facet = AidYearTotal.Facet

# 大病救助: aid of any kind paid to a household where the worker or a family member had a
# serious illness (大病) on the file when paid (LedgerEntry.serious_illness): how much of the
# money reaches the families the texts name first (medical aid alone is the statistics
# page's 医疗救助占比).


def percent(part, whole) -> Decimal | None:
    if not whole or whole <= 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Measure:
    actual: Decimal | int | None  # None: nothing to measure this year
    detail: str  # the figures behind it


def _money(unit, year, target) -> dict:
    """Fund arrival and spending, over the funds of the unit's tree, from their year totals
    (funds.flows): receipts net of receipt reversals, payments net of reversals."""
    flows = fund_flows(year, Fund.objects.filter(unit__path__startswith=unit.path))
    opening = flows.opening
    received = flows.of(Flow.RECEIPT, Flow.RECEIPT_REVERSAL)
    paid = -flows.of(Flow.PAYMENT, Flow.PAYMENT_REVERSAL)
    planned = target.planned_allocation if target else None
    arrival = Measure(
        percent(received, planned) if planned else None,
        _("到账 %(r)s 元 ÷ 计划拨付 %(p)s 元")
        % {"r": yuan(received), "p": yuan(planned) if planned else "—"},
    )
    available = opening + received
    spending = Measure(
        percent(paid, available),
        _("净发放 %(paid)s 元 ÷（年初余额 %(o)s 元 + 到账 %(r)s 元）")
        % {"paid": yuan(paid), "o": yuan(opening), "r": yuan(received)},
    )
    return {Indicator.FUND_ARRIVAL: arrival, Indicator.SPENDING: spending}


def _help(unit, year) -> dict:
    """Payments to the households of the unit's tree in the year (from whichever fund), by
    the union the household had when paid (as the annual report and the statistics count
    them; a reversal with its payment): person-times and the serious-illness share of the
    net paid, from the aid totals kept per union (funds.flows.paid_in_unions)."""
    unions = Unit.objects.filter(path__startswith=unit.path).values("pk")
    paid = paid_in_unions(unions, year)
    net, person_times = paid.get((Facet.ALL, ""), (ZERO, 0))
    serious = paid.get((Facet.SERIOUS_ILLNESS, ""), (ZERO, 0))[0]
    return {
        Indicator.PERSON_TIMES: Measure(person_times, _("当年发放且未冲销的笔数（人次）")),
        Indicator.SERIOUS_SHARE: Measure(
            percent(serious, net),
            _("发给有大病患者家庭 %(s)s 元 ÷ 净发放 %(n)s 元")
            % {"s": yuan(serious), "n": yuan(net)},
        ),
    }


def _count(queryset):
    counted = queryset.order_by().annotate(one=Value(1)).values("one")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)


def _coverage(unit, year) -> Measure:
    """Visit rounds ending in the year that reach the unit's households (rounds of the unit,
    of a unit above it, or of a union below it): households in file that each round had to
    reach, and those visited in it, summed over the rounds (one query)."""
    rounds = VisitRound.objects.filter(ends_on__year=year).filter(
        Q(unit__path__in=access.ancestor_paths(unit.path)) | Q(unit__path__startswith=unit.path)
    )
    households = Household.objects.filter(
        union__path__startswith=unit.path,
        status=Household.Status.IN_FILE,
        established_on__lte=OuterRef("ends_on"),
    ).filter(union__path__startswith=OuterRef("unit__path"))
    visited = households.filter(
        Exists(Visit.objects.filter(round=OuterRef(OuterRef("pk")), household=OuterRef("pk")))
    )
    counts = list(
        rounds.annotate(to_visit=_count(households), visited=_count(visited)).values_list(
            "to_visit", "visited"
        )
    )
    to_visit, done = sum(n for n, _v in counts), sum(v for _n, v in counts)
    return Measure(
        percent(done, to_visit),
        _("%(n)d 个走访轮次：已走访 %(v)d 户次 ÷ 应走访 %(t)d 户次")
        % {"n": len(counts), "v": done, "t": to_visit},
    )


def _intake(unit, year) -> Measure:
    """Contacts received in the year and closed: closed by their deadline, as the front
    door's own figures count it (intake.figures)."""
    closed = Q(status=Contact.Status.CLOSED)
    counts = Contact.objects.filter(
        unit__path__startswith=unit.path, received_at__year=year
    ).aggregate(
        closed=Count("pk", filter=closed),
        on_time=Count("pk", filter=closed & Q(closed_at__date__lte=F("due_on"))),
    )
    return Measure(
        percent(counts["on_time"], counts["closed"]),
        _("按期办结 %(o)d 件 ÷ 已办结 %(c)d 件") % {"o": counts["on_time"], "c": counts["closed"]},
    )


def _duties(unit, year, today) -> Measure:
    """Duties (三必访, keeping in touch, reviews, renewals) whose deadline fell in the year
    and has passed: done by the deadline."""
    counts = Duty.objects.filter(
        household__union__path__startswith=unit.path, due_on__year=year, due_on__lt=today
    ).aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(done_on__isnull=False, done_on__lte=F("due_on"))),
    )
    return Measure(
        percent(counts["on_time"], counts["due"]),
        _("按期完成 %(o)d 项 ÷ 已到期 %(d)d 项") % {"o": counts["on_time"], "d": counts["due"]},
    )


def answer_counts(items) -> dict:
    """Drawn, answered, and satisfied or basically satisfied (the front door counts its
    callbacks the same way) among survey items."""
    return items.aggregate(
        drawn=Count("pk"),
        answered=Count("pk", filter=~Q(answer="")),
        satisfied=Count(
            "pk", filter=Q(answer__in=[SurveyItem.Answer.SATISFIED, SurveyItem.Answer.BASIC])
        ),
    )


def survey_counts(unit, year) -> dict:
    """The answers of the year's surveys about the households of the unit and the units
    below it (a company union's survey asks its grassroots unions' households too)."""
    return answer_counts(
        SurveyItem.objects.filter(household__union__path__startswith=unit.path, survey__year=year)
    )


def _satisfaction(unit, year) -> Measure:
    counts = survey_counts(unit, year)
    return Measure(
        percent(counts["satisfied"], counts["answered"]),
        _("满意和基本满意 %(s)d 户 ÷ 已回访 %(a)d 户（抽样 %(d)d 户）")
        % {"s": counts["satisfied"], "a": counts["answered"], "d": counts["drawn"]},
    )


def _exits(unit, year) -> Measure:
    n = Household.objects.filter(
        union__path__startswith=unit.path, status=Household.Status.EXITED, exited_on__year=year
    ).count()
    return Measure(n, _("当年脱困的档案"))


def actuals(unit, year, target=None, today=None) -> dict:
    today = today or timezone.localdate()
    return {
        **_money(unit, year, target),
        **_help(unit, year),
        Indicator.VISIT_COVERAGE: _coverage(unit, year),
        Indicator.INTAKE_ON_TIME: _intake(unit, year),
        Indicator.DUTIES_ON_TIME: _duties(unit, year, today),
        Indicator.EXITS: _exits(unit, year),
        Indicator.SATISFACTION: _satisfaction(unit, year),
    }


def score(weight: int, target, actual) -> Decimal | None:
    """weight × min(actual ÷ target, 1); None when there is nothing to score."""
    if actual is None or target is None:
        return None
    ratio = Decimal(1) if target <= 0 else min(Decimal(actual) / Decimal(target), Decimal(1))
    return (Decimal(weight) * ratio).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Line:
    indicator: Indicator
    weight: int | None
    target: Decimal | int | None
    measure: Measure
    score: Decimal | None

    @property
    def group(self) -> Group:
        return GROUP_OF[self.indicator]

    @property
    def is_count(self) -> bool:
        return self.indicator in COUNTS


@dataclass
class Sheet:
    unit: object
    year: int
    target: Target | None
    weights: WeightSheet | None
    lines: list[Line] = field(default_factory=list)

    @property
    def scored(self) -> list[Line]:
        return [line for line in self.lines if line.score is not None]

    @property
    def weight_scored(self) -> int:
        return sum(line.weight for line in self.scored)

    @property
    def points(self) -> Decimal:
        return sum((line.score for line in self.scored), ZERO)

    @property
    def total(self) -> Decimal | None:
        """Σ scores ÷ Σ weights scored × 100."""
        if not self.weight_scored:
            return None
        return (self.points * HUNDRED / self.weight_scored).quantize(CENT, rounding=ROUND_HALF_UP)

    def groups(self) -> list[tuple[str, list[Line], int, Decimal]]:
        """The lines by group, with the group's weight and score."""
        rows = []
        for group in Group:
            lines = [line for line in self.lines if line.group == group]
            rows.append(
                (
                    group.label,
                    lines,
                    sum(line.weight or 0 for line in lines),
                    sum((line.score or ZERO for line in lines), ZERO),
                )
            )
        return rows


def weights_in_force(year: int) -> WeightSheet | None:
    return (
        WeightSheet.objects.filter(valid_from_year__lte=year).order_by("-valid_from_year").first()
    )


def indicator_sheet(unit, year: int, today=None) -> Sheet:
    target = Target.objects.filter(unit=unit, year=year).first()
    weights = weights_in_force(year)
    measures = actuals(unit, year, target, today)
    sheet = Sheet(unit=unit, year=year, target=target, weights=weights)
    for indicator in Indicator:
        weight = weights.weight_of(indicator) if weights else None
        goal = target.target_of(indicator) if target else None
        measure = measures[indicator]
        points = score(weight, goal, measure.actual) if weight is not None else None
        sheet.lines.append(Line(indicator, weight, goal, measure, points))
    return sheet
