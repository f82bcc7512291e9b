"""Demo results (绩效评价) for this year: the weights (18/32/25/25 as in the texts'
evaluation), targets for the federation and both companies, annual reviews of the
petrochemical company's households a year apart (so the outcomes have incomes to compare,
the households that exited this year rising above the threshold), and a satisfaction survey
of the company's helped households with about twenty answers. Targets, the sample and the
answers go through the services; the earlier reviews are history, written as rows.
seed_demo runs it (demo_module in apps.py); adds nothing when this year's sheet exists."""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from casework.models import AnnualReview
from evaluation import services
from evaluation.models import Survey, SurveyItem, WeightSheet
from evaluation.selectors import TARGET_DEFAULTS
from funds.models import LedgerEntry
from households.assessment import assess
from households.models import Household

SEED = 20261001
WEIGHTS = {
    "weight_fund_arrival": 10,  # 投入 18
    "weight_spending": 8,
    "weight_visit_coverage": 12,  # 过程 32
    "weight_intake_on_time": 10,
    "weight_duties_on_time": 10,
    "weight_person_times": 15,  # 产出 25
    "weight_serious_share": 10,
    "weight_exits": 10,  # 效果 25
    "weight_satisfaction": 15,
}
# Answers in the order of the sample: mostly satisfied, as the texts' 97.26%.
ANSWERS = ["satisfied"] * 16 + ["basic"] * 3 + ["dissatisfied"]


def _received(unit, year) -> Decimal:
    total = LedgerEntry.objects.filter(
        fund__unit__path__startswith=unit.path,
        posted_on__year=year,
        kind=LedgerEntry.Kind.RECEIPT,
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def _targets(run, year):
    # (unit, who sets it, share of the plan that arrived, person-times, exits)
    plans = [
        ("HSF", "hsf_committee", Decimal("0.95"), 220, 10),
        ("SH", "sh_committee", Decimal("1"), 150, 6),
        ("MY", "my_committee", Decimal("0.8"), 90, 4),
    ]
    for code, username, arrived, person_times, exits in plans:
        unit = run.units[code]
        received = _received(unit, year)
        data = dict(TARGET_DEFAULTS, person_times=person_times, exits=exits)
        data["planned_allocation"] = (received / arrived).quantize(Decimal("1")) or None
        services.target_save(actor=run.users[username][0], unit=unit, year=year, data=data)


def _reviews(run, year):
    """Two reviews a year apart for the company's households: in-file files a little better
    off than last year, the files that exited this year from below the threshold to above."""
    reviewer = run.users["sh_reviewer"][0]
    company = run.units["SH"]
    households = list(
        Household.objects.filter(union__path__startswith=company.path)
        .filter(status=Household.Status.IN_FILE)
        .prefetch_related("members", "income_items")
        .order_by("pk")[:30]
    )
    exited = list(
        Household.objects.filter(
            union__path__startswith=company.path,
            status=Household.Status.EXITED,
            exited_on__year=year,
        ).order_by("pk")
    )
    rows = []
    for index, household in enumerate(households):
        now = assess(household, datetime.date(year, 6, 1)).per_capita
        change = Decimal((index % 5) * 15 - 15)  # -15 to +45 yuan a month
        rows += _pair(household, reviewer, year, now - change, now, "continue")
    for household in exited:
        rows += _pair(
            household, reviewer, year, Decimal("600.00"), Decimal("720.00"), "propose_exit"
        )
    AnnualReview.objects.bulk_create(rows)
    return len(rows) // 2


def _pair(household, reviewer, year, before, after, outcome):
    common = {
        "household": household,
        "category_before": household.category,
        "level_before": household.level,
        "category_after": household.category,
        "level_after": household.level,
        "reviewer": reviewer,
    }
    return [
        AnnualReview(
            reviewed_on=datetime.date(year - 1, 5, 20),
            outcome="continue",
            per_capita=max(before, Decimal("0")),
            notes="年度复核：家庭情况无明显变化，继续在档帮扶。",
            **common,
        ),
        AnnualReview(
            reviewed_on=datetime.date(year, 5, 20),
            outcome=outcome,
            per_capita=after,
            notes="年度复核：核对家庭收入和成员情况。",
            **common,
        ),
    ]


def _survey(run, year):
    survey = services.survey_draw(
        actor=run.users["sh_reviewer"][0], unit=run.units["SH"], year=year, size=24, seed=SEED
    )
    items = survey.items.select_related("household__union").order_by("pk")
    for item, answer in zip(items, ANSWERS, strict=False):
        recorder = run.users[f"{item.household.union.code.lower()}_caseworker"][0]
        services.survey_answer(
            actor=recorder,
            item=item,
            channel=SurveyItem.Channel.PHONE if item.pk % 3 else SurveyItem.Channel.VISIT,
            answer=answer,
            comment="希望慰问金能早些发放。" if answer == "dissatisfied" else "",
        )
    return survey


def seed(run) -> None:
    year = timezone.localdate().year
    if Survey.objects.filter(unit=run.units["SH"], year=year).exists():
        run.report.append("Results: this year's targets and survey already there.")
        return
    WeightSheet.objects.get_or_create(valid_from_year=year, defaults=dict(WEIGHTS, note="演示"))
    _targets(run, year)
    pairs = _reviews(run, year)
    survey = _survey(run, year)
    answered = survey.items.exclude(answer="").count()
    run.report.append(
        f"Results: weights and targets for {year}, {pairs} households reviewed a year apart, "
        f"a survey of {survey.size} households with {answered} answers."
    )
