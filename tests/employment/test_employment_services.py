"""The employment services: each rule, scope and the placement confirmed onto the file."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from employkit import certificate_upload, hire, make_course, make_vacancy, refer, register
from factories import HouseholdFactory, IncomeItemFactory, MemberFactory
from fundkit import make_fund

from audit.checks import income_above_threshold
from employment import services
from employment.models import Enrolment, Placement, Referral
from households.models import AidMeasure, Household, Member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def spouse(household_g1a):
    return household_g1a.members.get()


@pytest.fixture
def partners(caseworker_g1a, org):
    return register(caseworker_g1a, org.g1a)


def test_a_confirmed_placement_updates_the_member_with_history(
    caseworker_g1a, chair_g1a, spouse, partners
):
    employer, _ = partners
    placement = hire(caseworker_g1a, refer(caseworker_g1a, spouse, employer), wage="3100.50")
    spouse.refresh_from_db()
    # Recorded, not confirmed: the file does not change yet.
    assert (spouse.employment, spouse.monthly_income) == ("unemployed", Decimal("0"))

    services.placement_confirm(actor=chair_g1a, placement=placement)

    spouse.refresh_from_db()
    assert spouse.employment == Member.Employment.EMPLOYED
    assert spouse.monthly_income == Decimal("3100.50")
    last = spouse.history.first()
    assert last.history_user == chair_g1a
    assert "就业安置" in last.history_change_reason and employer.name in last.history_change_reason
    placement.refresh_from_db()
    assert placement.confirmed_by == chair_g1a and placement.confirmed_at is not None


def test_a_placement_is_confirmed_once(caseworker_g1a, spouse, partners):
    placement = hire(caseworker_g1a, refer(caseworker_g1a, spouse, partners[0]))
    services.placement_confirm(actor=caseworker_g1a, placement=placement)
    with pytest.raises(ValidationError, match="已经确认"):
        services.placement_confirm(actor=caseworker_g1a, placement=placement)


def test_confirming_closes_the_employment_measure_of_the_plan(caseworker_g1a, spouse, partners):
    household = spouse.household
    measure = AidMeasure.objects.create(
        household=household, cause="illness", measure="employment", detail="推荐家政岗位"
    )
    placement = hire(caseworker_g1a, refer(caseworker_g1a, spouse, partners[0]))
    services.placement_confirm(actor=caseworker_g1a, placement=placement, measure=measure)
    measure.refresh_from_db()
    assert measure.completed_on == TODAY
    assert partners[0].name in measure.completion_note
    assert measure.history.first().history_user == caseworker_g1a
    placement.refresh_from_db()
    assert placement.measure == measure


def test_another_measure_is_refused_and_nothing_is_half_saved(caseworker_g1a, spouse, partners):
    medical = AidMeasure.objects.create(
        household=spouse.household, cause="illness", measure="medical"
    )
    placement = hire(caseworker_g1a, refer(caseworker_g1a, spouse, partners[0]))
    with pytest.raises(ValidationError, match="就业帮扶"):
        services.placement_confirm(actor=caseworker_g1a, placement=placement, measure=medical)
    spouse.refresh_from_db()
    placement.refresh_from_db()
    assert spouse.employment == "unemployed"  # the member's change was rolled back too
    assert placement.confirmed_at is None


def test_a_full_vacancy_stops_taking_referrals(caseworker_g1a, spouse, partners, household_g1a):
    vacancy = make_vacancy(caseworker_g1a, partners[0], openings=1)
    placement = hire(caseworker_g1a, refer(caseworker_g1a, spouse, partners[0], vacancy=vacancy))
    services.placement_confirm(actor=caseworker_g1a, placement=placement)
    vacancy.refresh_from_db()
    assert not vacancy.is_open
    other = MemberFactory(household=household_g1a, employment="unemployed")
    with pytest.raises(ValidationError, match="停止招聘"):
        refer(caseworker_g1a, other, partners[0], vacancy=vacancy)


def test_a_household_passing_the_threshold_becomes_an_exit_candidate(
    caseworker_g1a, policy, org, partners
):
    household = HouseholdFactory(in_file=True, union=org.g1a, address="哈尔滨市南岗区")
    IncomeItemFactory(household=household, monthly_amount=Decimal("500.00"))
    son = MemberFactory(household=household, employment="unemployed")
    in_file = Household.objects.filter(pk=household.pk)
    assert income_above_threshold(in_file, TODAY) == []  # 500 / 2 = 250 < 280

    placement = hire(caseworker_g1a, refer(caseworker_g1a, son, partners[0]), wage="2400")
    assert income_above_threshold(in_file, TODAY) == []  # not yet confirmed
    services.placement_confirm(actor=caseworker_g1a, placement=placement)

    (finding,) = income_above_threshold(in_file, TODAY)
    assert finding.household == household
    assert "1,450.00" in finding.detail  # (500 + 2,400) / 2


def test_help_waits_for_the_file_to_be_in_file(caseworker_g1a, org, partners):
    draft = HouseholdFactory(union=org.g1a)
    member = MemberFactory(household=draft, employment="unemployed")
    with pytest.raises(ValidationError, match="先建档后帮扶"):
        refer(caseworker_g1a, member, partners[0])
    course = make_course(caseworker_g1a, partners[1])
    with pytest.raises(ValidationError, match="先建档后帮扶"):
        services.enrolment_create(actor=caseworker_g1a, member=member, course=course)
    assert not Referral.objects.exists() and not Enrolment.objects.exists()


def test_a_referral_result_is_given_once_and_checked(caseworker_g1a, spouse, partners):
    referral = refer(caseworker_g1a, spouse, partners[0], days_ago=3)
    with pytest.raises(ValidationError, match="上岗日期"):
        services.referral_result(
            actor=caseworker_g1a,
            referral=referral,
            result="hired",
            result_on=TODAY,
            monthly_wage="2000",
        )
    with pytest.raises(ValidationError, match="不能早于推荐日期"):
        services.referral_result(
            actor=caseworker_g1a,
            referral=referral,
            result="refused",
            result_on=TODAY - datetime.timedelta(days=4),
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.referral_result(
            actor=caseworker_g1a,
            referral=referral,
            result="no_answer",
            result_on=TODAY + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="金额须大于零"):
        services.referral_result(
            actor=caseworker_g1a,
            referral=referral,
            result="hired",
            result_on=TODAY,
            start_on=TODAY,
            monthly_wage="0",
        )
    services.referral_result(
        actor=caseworker_g1a, referral=referral, result="no_answer", result_on=TODAY
    )
    with pytest.raises(ValidationError, match="已登记结果"):
        services.referral_result(
            actor=caseworker_g1a,
            referral=referral,
            result="hired",
            result_on=TODAY,
            start_on=TODAY,
            monthly_wage="2000",
        )
    assert not Placement.objects.exists()


def test_the_vacancy_age_band_is_kept(caseworker_g1a, spouse, partners):
    vacancy = make_vacancy(caseworker_g1a, partners[0], age_min=40, age_max=55)
    with pytest.raises(ValidationError, match="不在该岗位要求的 40–55 岁之间"):
        refer(caseworker_g1a, spouse, partners[0], vacancy=vacancy)


def test_a_course_with_a_cost_names_a_fund_of_its_union_and_year(caseworker_g1a, org, partners):
    provider = partners[1]
    with pytest.raises(ValidationError, match="须选择资金来源"):
        make_course(caseworker_g1a, provider, cost=Decimal("800"))
    other_company = make_fund(org.c2, year=TODAY.year)
    with pytest.raises(ValidationError, match="上级单位的资金账户"):
        make_course(caseworker_g1a, provider, cost=Decimal("800"), fund=other_company)
    last_year = make_fund(org.c1, year=TODAY.year - 1)
    with pytest.raises(ValidationError, match="年度的"):
        make_course(caseworker_g1a, provider, cost=Decimal("800"), fund=last_year)
    fund = make_fund(org.c1, year=TODAY.year)
    course = make_course(
        caseworker_g1a,
        provider,
        cost=Decimal("800"),
        fund=fund,
        starts_on=TODAY.replace(month=1, day=1),
        ends_on=TODAY,
    )
    assert course.fund == fund and course.cost == Decimal("800.00")
    with pytest.raises(ValidationError, match="结业日期不能早于开班日期"):
        make_course(
            caseworker_g1a, provider, starts_on=TODAY, ends_on=TODAY - datetime.timedelta(1)
        )


def test_enrolment_rules(caseworker_g1a, spouse, partners):
    course = make_course(caseworker_g1a, partners[1])
    enrolment = services.enrolment_create(actor=caseworker_g1a, member=spouse, course=course)
    with pytest.raises(ValidationError, match="已报名此课程"):
        services.enrolment_create(actor=caseworker_g1a, member=spouse, course=course)
    ended = make_course(
        caseworker_g1a,
        partners[1],
        name="已结业班",
        starts_on=TODAY - datetime.timedelta(days=30),
        ends_on=TODAY - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="已于"):
        services.enrolment_create(actor=caseworker_g1a, member=spouse, course=ended)
    with pytest.raises(ValidationError, match="结业证书"):
        services.enrolment_result(actor=caseworker_g1a, enrolment=enrolment, result="completed")
    services.enrolment_result(
        actor=caseworker_g1a,
        enrolment=enrolment,
        result="completed",
        upload=certificate_upload(),
        content_type="application/pdf",
    )
    enrolment.refresh_from_db()
    assert enrolment.result == "completed" and enrolment.certificate_name == "结业证书.pdf"
    assert enrolment.certificate.read().startswith(b"%PDF-")


def test_the_register_belongs_to_its_union(caseworker_g1a, caseworker_g2a, org, partners):
    with pytest.raises(PermissionDenied):
        services.partner_create(actor=caseworker_g2a, unit=org.g1a, kind="employer", name="某厂")
    with pytest.raises(PermissionDenied):
        make_vacancy(caseworker_g2a, partners[0])
    # an employer of another union's register is not offered to G2a's caseworker
    household = HouseholdFactory(in_file=True, union=org.g2a)
    member = MemberFactory(household=household, employment="unemployed")
    with pytest.raises(ValidationError, match="登记的用工单位"):
        refer(caseworker_g2a, member, partners[0])


def test_auditors_and_other_unions_change_nothing(
    auditor_fed, caseworker_g2a, committee_c1, caseworker_g1a, spouse, partners
):
    placement = hire(caseworker_g1a, refer(caseworker_g1a, spouse, partners[0]))
    for actor in (auditor_fed, caseworker_g2a, committee_c1):
        with pytest.raises(PermissionDenied):
            services.placement_confirm(actor=actor, placement=placement)
        with pytest.raises(PermissionDenied):
            refer(actor, spouse, partners[0])
        with pytest.raises(PermissionDenied):
            services.partner_create(actor=actor, unit=partners[0].unit, kind="employer", name="X")
    placement.refresh_from_db()
    assert placement.confirmed_at is None
    assert Referral.objects.count() == 1
