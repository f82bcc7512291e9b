"""Reads of the results pages, each from the user's scope (evaluation.access)."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from evaluation import access
from evaluation.indicators import answer_counts, percent, weights_in_force
from evaluation.models import Survey, SurveyItem, Target
from households.involvement import involving

__all__ = ["weights_in_force"]

# What a new target form offers: the texts' evaluation reached 100% arrival; the rest are
# the figures a union would plan for, changed on the form.
TARGET_DEFAULTS = {
    "fund_arrival": Decimal("100"),
    "spending": Decimal("90"),
    "visit_coverage": Decimal("100"),
    "intake_on_time": Decimal("95"),
    "duties_on_time": Decimal("90"),
    "serious_share": Decimal("20"),
    "satisfaction": Decimal("95"),
}


def target_of(unit, year):
    return Target.objects.filter(unit=unit, year=year).first()


def units_with_results(user, year: int):
    """The units the user reads, in tree order, with whether the year's targets are set and
    the year's survey (one query)."""
    surveys = Survey.objects.filter(unit=OuterRef("pk"), year=year)
    return (
        access.units_evaluated_by(user)
        .annotate(
            has_target=Exists(Target.objects.filter(unit=OuterRef("pk"), year=year)),
            survey_id=Subquery(surveys.values("pk")[:1]),
        )
        .order_by("path")
    )


def survey_of(user, unit, year):
    return access.surveys_visible_to(user).filter(unit=unit, year=year).first()


def surveys_with_counts(user):
    answered = ~Q(items__answer="")
    satisfied = Q(items__answer__in=[SurveyItem.Answer.SATISFIED, SurveyItem.Answer.BASIC])
    return (
        access.surveys_visible_to(user)
        .select_related("unit", "drawn_by")
        .annotate(
            answered=Count("items", filter=answered),
            satisfied=Count("items", filter=satisfied),
        )
        .order_by("-year", "unit__path")
    )


def survey_page(user, survey) -> dict:
    """The survey's households the user sees, which of them the user may record, and the
    whole survey's answers and satisfaction rate."""
    items = list(
        access.items_visible_to(user, survey)
        .select_related("household__union", "recorded_by")
        .order_by("household__file_number", "pk")
    )
    involved = set(
        access.items_visible_to(user, survey)
        .filter(involving(user, "household"))
        .values_list("pk", flat=True)
    )
    recordable = {
        item.pk
        for item in items
        if not item.is_answered
        and item.pk not in involved
        and access.may_record(user, item.household)
    }
    counts = answer_counts(survey.items.all())
    by_answer = dict(
        survey.items.exclude(answer="").values_list("answer").annotate(n=Count("pk")).order_by()
    )
    return {
        "survey": survey,
        "items": items,
        "recordable": recordable,
        "counts": counts,
        "rate": percent(counts["satisfied"], counts["answered"]),
        "by_answer": [
            (label, by_answer.get(value, 0)) for value, label in SurveyItem.Answer.choices
        ],
    }
