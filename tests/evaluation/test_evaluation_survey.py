"""The satisfaction survey (满意度回访): the helped households of the unit's tree in the
year, a sample drawn with a recorded seed (the same seed draws the same households), one
answer per household recorded by its caseworker or chair, never by a member of it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from evalkit import YEAR, day, fund_of, pay, receive, reverse
from factories import HouseholdFactory, person

from crosscheck.verification import draw
from evaluation import services
from evaluation.models import Survey, SurveyItem
from hardship.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def helped(org, finance_c1):
    """Eight households of C1 paid in the year (one of them paid twice); one paid and
    reversed, one paid last year, one of C2: not helped this year in C1."""
    fund = fund_of(org.c1)
    receive(finance_c1, fund, "100000", day(1, 5, YEAR - 1))
    homes = [HouseholdFactory(in_file=True, union=org.g1a) for _ in range(5)]
    homes += [HouseholdFactory(in_file=True, union=org.g1b) for _ in range(3)]
    pay(finance_c1, fund, [(h, "300") for h in homes], day(2))
    pay(finance_c1, fund, [(homes[0], "200")], day(9))
    reversed_one = HouseholdFactory(in_file=True, union=org.g1a)
    (entry,) = pay(finance_c1, fund, [(reversed_one, "300")], day(2))
    reverse(finance_c1, entry, day(2, 3))
    pay(
        finance_c1,
        fund,
        [(HouseholdFactory(in_file=True, union=org.g1a), "300")],
        day(6, 1, YEAR - 1),
    )
    HouseholdFactory(in_file=True, union=org.g2a)
    return homes


def test_the_population_is_the_households_paid_in_the_year_in_the_tree(org, helped):
    assert services.helped_households(org.c1, YEAR) == sorted(h.pk for h in helped)
    assert len(services.helped_households(org.g1b, YEAR)) == 3


def test_the_sample_is_reproducible_from_its_seed(org, helped, reviewer_c1):
    survey = services.survey_draw(actor=reviewer_c1, unit=org.c1, year=YEAR, size=4, seed=424242)
    drawn = sorted(survey.items.values_list("household_id", flat=True))
    assert (survey.seed, survey.population, survey.size, len(drawn)) == (424242, 8, 4, 4)
    # The same seed over the same households draws the same ones again...
    assert draw(services.helped_households(org.c1, YEAR), 4, survey.seed) == drawn
    survey.delete()
    again = services.survey_draw(actor=reviewer_c1, unit=org.c1, year=YEAR, size=4, seed=424242)
    assert sorted(again.items.values_list("household_id", flat=True)) == drawn
    # ...and another seed, other households (for these eight and this seed pair).
    assert draw(services.helped_households(org.c1, YEAR), 4, 1) != drawn


def test_a_seed_is_drawn_and_recorded_when_none_is_given(org, helped, reviewer_c1):
    survey = services.survey_draw(actor=reviewer_c1, unit=org.c1, year=YEAR, size=3)
    drawn = sorted(survey.items.values_list("household_id", flat=True))
    assert draw(services.helped_households(org.c1, YEAR), 3, survey.seed) == drawn


def test_one_survey_per_unit_and_year(org, helped, reviewer_c1):
    services.survey_draw(actor=reviewer_c1, unit=org.c1, year=YEAR, size=2, seed=1)
    with pytest.raises(ValidationError, match="已抽样"):
        services.survey_draw(actor=reviewer_c1, unit=org.c1, year=YEAR, size=2, seed=2)
    assert Survey.objects.count() == 1


@pytest.mark.parametrize("size", [0, 9])
def test_the_sample_size_is_between_one_and_the_households_helped(org, helped, reviewer_c1, size):
    with pytest.raises(ValidationError) as error:
        services.survey_draw(actor=reviewer_c1, unit=org.c1, year=YEAR, size=size, seed=1)
    assert "size" in error.value.message_dict
    assert not Survey.objects.exists()


def test_a_year_without_payments_cannot_be_sampled(org, helped, reviewer_c1):
    with pytest.raises(ValidationError, match="没有发放记录"):
        services.survey_draw(actor=reviewer_c1, unit=org.c1, year=YEAR - 3, size=1, seed=1)


@pytest.mark.parametrize("who", ["caseworker_g1a", "committee_c1", "finance_c1", "auditor_fed"])
def test_only_the_company_reviewer_draws(org, helped, request, who):
    with pytest.raises(PermissionDenied):
        services.survey_draw(
            actor=request.getfixturevalue(who), unit=org.c1, year=YEAR, size=2, seed=1
        )


@pytest.fixture
def survey(org, helped, reviewer_c1):
    return services.survey_draw(actor=reviewer_c1, unit=org.c1, year=YEAR, size=8, seed=5)


def item_in(survey, union) -> SurveyItem:
    return survey.items.filter(household__union=union).order_by("pk").first()


def test_the_caseworker_records_an_answer_once(org, survey, caseworker_g1a):
    item = item_in(survey, org.g1a)
    services.survey_answer(
        actor=caseworker_g1a, item=item, channel="phone", answer="satisfied", comment=" 很好 "
    )
    item.refresh_from_db()
    assert (item.channel, item.answer, item.comment) == ("phone", "satisfied", "很好")
    assert item.recorded_by == caseworker_g1a and item.recorded_at is not None
    assert item.history.first().history_user == caseworker_g1a
    with pytest.raises(ValidationError, match="不能重复登记"):
        services.survey_answer(actor=caseworker_g1a, item=item, channel="visit", answer="basic")
    item.refresh_from_db()
    assert item.answer == "satisfied"


def test_nobody_records_the_answer_of_their_own_household(org, survey):
    item = item_in(survey, org.g1a)
    member = person("member_g1a", "户内干事", (Role.CASEWORKER, org.g1a))
    member.id_number = item.household.id_number
    member.save()
    with pytest.raises(PermissionDenied, match="不能登记本户"):
        services.survey_answer(actor=member, item=item, channel="phone", answer="satisfied")
    item.refresh_from_db()
    assert not item.is_answered


@pytest.mark.parametrize("who", ["reviewer_c1", "committee_c1", "caseworker_g2a"])
def test_others_cannot_record(org, survey, request, who):
    with pytest.raises(PermissionDenied):
        services.survey_answer(
            actor=request.getfixturevalue(who),
            item=item_in(survey, org.g1a),
            channel="phone",
            answer="satisfied",
        )


def test_a_caseworker_records_only_the_households_of_their_union(org, survey, caseworker_g1a):
    with pytest.raises(PermissionDenied):
        services.survey_answer(
            actor=caseworker_g1a, item=item_in(survey, org.g1b), channel="phone", answer="basic"
        )


@pytest.mark.parametrize(
    "channel, answer, comment, field",
    [
        ("", "satisfied", "", "channel"),
        ("phone", "", "", "answer"),
        ("phone", "great", "", "answer"),
        ("visit", "dissatisfied", "  ", "comment"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(
    org, survey, chair_g1a, channel, answer, comment, field
):
    item = item_in(survey, org.g1a)
    with pytest.raises(ValidationError) as error:
        services.survey_answer(
            actor=chair_g1a, item=item, channel=channel, answer=answer, comment=comment
        )
    assert field in error.value.message_dict
    item.refresh_from_db()
    assert not item.is_answered
