"""Per-capita income against the thresholds in force, and the screening points (审核要点)."""

import datetime
from decimal import Decimal

import pytest
from factories import (
    HardshipCauseFactory,
    HouseholdFactory,
    IncomeItemFactory,
    MemberFactory,
    PolicyParameterFactory,
)

from households.assessment import assess, screening_flags
from households.models import Evidence, Household, Member
from households.selectors import household_detail

ON = datetime.date(2025, 6, 1)


def household_with_income(union, *, member_incomes=(), items=()):
    household = HouseholdFactory(in_file=True, union=union)
    for amount in member_incomes:
        MemberFactory(household=household, monthly_income=Decimal(amount))
    for amount in items:
        IncomeItemFactory(household=household, monthly_amount=Decimal(amount))
    return household


def prefetched(household):
    return Household.objects.prefetch_related("members", "causes", "evidence").get(pk=household.pk)


def codes(flags) -> list[str]:
    return [flag.code for flag in flags]


def test_per_capita_income_counts_the_worker_and_every_member(org, policy):
    household = household_with_income(org.g1a, member_incomes=["100", "0"], items=["200"])

    result = assess(household, ON)

    assert result.total_income == Decimal("300")
    assert result.people == 3
    assert result.per_capita == Decimal("100.00")


def test_per_capita_income_is_rounded_to_the_fen(org, policy):
    household = household_with_income(org.g1a, member_incomes=["0", "0"], items=["1000"])
    assert assess(household, ON).per_capita == Decimal("333.33")


def test_a_worker_living_alone_is_a_household_of_one(org, policy):
    household = household_with_income(org.g1a, items=["600"])
    result = assess(household, ON)
    assert (result.people, result.per_capita) == (1, Decimal("600.00"))


def test_below_the_extreme_threshold_is_extreme_hardship(org, policy):
    household = household_with_income(org.g1a, member_incomes=["100", "0"], items=["200"])

    result = assess(household, ON)

    assert result.eligible_level == Household.Level.EXTREME
    assert result.explanation == "家庭人均月收入 100.00 元，低于特困标准 245.00 元，符合特困条件。"


def test_between_the_thresholds_is_hardship(org, policy):
    household = household_with_income(org.g1a, member_incomes=["260"], items=["260"])

    result = assess(household, ON)

    assert result.eligible_level == Household.Level.HARDSHIP
    assert result.explanation == "家庭人均月收入 260.00 元，低于困难标准 280.00 元，符合困难条件。"


def test_exactly_at_the_extreme_threshold_is_hardship_not_extreme(org, policy):
    household = household_with_income(org.g1a, items=["245"])
    assert assess(household, ON).eligible_level == Household.Level.HARDSHIP


def test_at_or_above_the_hardship_threshold_is_not_eligible(org, policy):
    household = household_with_income(org.g1a, member_incomes=["280"], items=["280"])

    result = assess(household, ON)

    assert result.eligible_level is None
    assert (
        result.explanation == "家庭人均月收入 280.00 元，不低于困难标准 280.00 元，不符合收入条件。"
    )


def test_without_a_threshold_in_force_nothing_is_decided(org):
    household = household_with_income(org.g1a, items=["100"])

    result = assess(household, ON)

    assert result.eligible_level is None
    assert result.hardship_threshold is None
    assert result.explanation == (
        "家庭人均月收入 100.00 元；本地区在该日期没有生效的困难标准，无法判定。"
    )


def test_the_thresholds_of_the_households_region_and_date_apply(org, policy):
    PolicyParameterFactory(
        key="hardship_threshold", value=Decimal("664"), unit=org.c2, valid_from=ON
    )
    in_c1 = household_with_income(org.g1a, items=["600"])
    in_c2 = household_with_income(org.g2a, items=["600"])

    assert assess(in_c1, ON).eligible_level is None
    assert assess(in_c2, ON).eligible_level == Household.Level.HARDSHIP
    assert assess(in_c2, ON).hardship_threshold == Decimal("664")
    # The day before the regional standard took effect, the system-wide one applied.
    assert assess(in_c2, ON - datetime.timedelta(days=1)).eligible_level is None


def test_without_an_extreme_threshold_a_very_low_income_is_hardship(org):
    PolicyParameterFactory(key="hardship_threshold", value=Decimal("280"))
    household = household_with_income(org.g1a, items=["10"])
    assert assess(household, ON).eligible_level == Household.Level.HARDSHIP


# Screening flags ---------------------------------------------------------------------


def test_an_ordinary_household_with_evidence_raises_no_flag(org, evidence_g1a):
    # The diagnosis is the worker's own chronic illness, recorded on the file.
    Household.objects.filter(pk=evidence_g1a.household_id).update(worker_health="chronic")
    household = prefetched(evidence_g1a.household)
    assert screening_flags(household, ON) == []


def test_a_vehicle_is_flagged(org):
    household = HouseholdFactory(union=org.g1a, vehicles=2)
    flags = screening_flags(household, ON)
    assert codes(flags) == ["vehicle"]
    assert flags[0].message == "登记有机动车 2 辆。"


def test_luxury_goods_are_flagged(org):
    household = HouseholdFactory(union=org.g1a, luxury_goods="钢琴")
    flags = screening_flags(household, ON)
    assert codes(flags) == ["luxury"]
    assert flags[0].message == "登记有高档消费品：钢琴。"


def test_blank_luxury_goods_are_not_flagged(org):
    assert screening_flags(HouseholdFactory(union=org.g1a, luxury_goods="   "), ON) == []


@pytest.mark.parametrize("employed_members, flagged", [(0, False), (1, True), (2, True)])
def test_employed_people_at_the_policy_line_are_flagged(org, employed_members, flagged):
    PolicyParameterFactory(key="employed_members_flag", value=Decimal("2"))
    household = HouseholdFactory(union=org.g1a, employment_status="active")
    for _ in range(employed_members):
        MemberFactory(household=household, employment=Member.Employment.EMPLOYED)
    MemberFactory(household=household, employment=Member.Employment.STUDENT)

    flags = screening_flags(household, ON)

    assert ("employed" in codes(flags)) is flagged
    if flagged:
        message = next(f.message for f in flags if f.code == "employed")
        assert message == f"家庭就业人数 {1 + employed_members} 人，达到提示线 2 人。"


def test_employment_is_not_flagged_without_a_policy_line(org):
    household = HouseholdFactory(union=org.g1a, employment_status="active")
    MemberFactory.create_batch(3, household=household, employment=Member.Employment.EMPLOYED)
    assert "employed" not in codes(screening_flags(household, ON))


def test_a_cause_without_evidence_is_flagged_per_cause(org, evidence_g1a):
    household = evidence_g1a.household  # illness, with a diagnosis certificate
    Household.objects.filter(pk=household.pk).update(worker_health="chronic")
    HardshipCauseFactory(household=household, cause="education")

    flags = screening_flags(prefetched(household), ON)

    assert codes(flags) == ["no_evidence"]
    assert flags[0].message == "致困原因“因学”没有上传证明材料。"


def test_a_cause_with_no_evidence_at_all_is_flagged(org, household_g1a):
    Household.objects.filter(pk=household_g1a.pk).update(worker_health="chronic")
    household_g1a.refresh_from_db()
    flags = screening_flags(household_g1a, ON)
    assert [f.message for f in flags] == ["致困原因“因病”没有上传证明材料。"]


@pytest.mark.parametrize("as_member", [False, True], ids=["as-worker", "as-member"])
def test_the_workers_id_on_another_live_file_is_flagged(org, as_member):
    household = HouseholdFactory(in_file=True, union=org.g1a)
    if as_member:
        other = HouseholdFactory(union=org.g2a)
        MemberFactory(household=other, id_number=household.id_number)
    else:
        other = HouseholdFactory(union=org.g2a, id_number=household.id_number)

    flags = screening_flags(household, ON)

    assert codes(flags) == ["duplicate_id"]
    assert flags[0].severity == "danger"
    assert flags[0].message == "本户职工或成员的身份证号已出现在其他档案中。"
    assert [o.pk for o in flags[0].links] == [other.pk]


def test_a_members_id_as_the_worker_of_another_file_is_flagged(org):
    household = HouseholdFactory(in_file=True, union=org.g1a)
    member = MemberFactory(household=household, relation="spouse")
    other = HouseholdFactory(union=org.g1b, id_number=member.id_number)

    flags = screening_flags(household, ON)

    assert [o.pk for o in flags[0].links] == [other.pk]


def test_a_closed_file_with_the_same_id_is_not_flagged(org):
    household = HouseholdFactory(in_file=True, union=org.g1a)
    HouseholdFactory(exited=True, union=org.g1a, id_number=household.id_number)
    HouseholdFactory(cancelled=True, union=org.g2a, id_number=household.id_number)
    assert screening_flags(household, ON) == []


def test_members_without_an_id_number_do_not_match_each_other(org):
    first = HouseholdFactory(union=org.g1a)
    MemberFactory(household=first, id_number="")
    second = HouseholdFactory(union=org.g1a)
    MemberFactory(household=second, id_number="")
    assert screening_flags(first, ON) == []


def test_the_household_page_reads_the_assessment_in_a_fixed_number_of_queries(
    org, policy, caseworker_g1a, evidence_g1a, django_assert_max_num_queries
):
    household = household_detail(caseworker_g1a, evidence_g1a.household.pk)
    assert isinstance(household.evidence.all()[0], Evidence)
    # Policy lookups and the duplicate-ID check (as worker, as member, then the files found);
    # members, income, causes and evidence are already prefetched.
    with django_assert_max_num_queries(5):
        assess(household, ON)
        screening_flags(household, ON)
