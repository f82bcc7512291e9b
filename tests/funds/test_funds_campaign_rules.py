"""Campaign targeting (funds.campaigns): each kind of rule as a condition and as an
addition, rules of one kind as alternatives and of different kinds all together, the
explanation kept on every line, a rule that selects nobody, adjustments with reasons and
the budget checked before the committee approves."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from factories import HardshipCauseFactory, HouseholdFactory, IncomeItemFactory, MemberFactory
from fundkit import ACCOUNT, approve, new_campaign, new_plan, submit

from funds import campaign_services, campaigns, plans
from funds.models import DistributionPlan, PlanAdjustment, PlanLine, PlanRule
from households.models import Household, Member, Tag

pytestmark = pytest.mark.django_db

Kind = PlanRule.Kind
UNIVERSITY = Member.SchoolStage.UNIVERSITY


def in_file(union, **kwargs):
    kwargs.setdefault("bank_account", ACCOUNT)
    return HouseholdFactory(in_file=True, union=union, **kwargs)


def student(household, stage=UNIVERSITY):
    return MemberFactory(household=household, school_stage=stage)


def chosen(plan):
    return set(plan.lines.values_list("household_id", flat=True))


def line_of(plan, household) -> PlanLine:
    return plan.lines.get(household=household)


@pytest.fixture
def families(org):
    """Households of C1 that the rules tell apart."""
    two_students = in_file(org.g1a, worker_name="两个大学生")
    student(two_students)
    student(two_students)
    pupil = in_file(org.g1b, worker_name="小学生")
    student(pupil, Member.SchoolStage.PRIMARY)
    national = in_file(
        org.g1a, is_model_worker=True, model_worker_title="national", model_worker_year=2010
    )
    city = in_file(org.g1a, is_model_worker=True, model_worker_title="city", model_worker_year=2015)
    return {"students": two_students, "pupil": pupil, "national": national, "city": city}


def test_a_school_stage_rule_chooses_students_and_adds_per_student(
    org, finance_c1, fund_c1, families
):
    plan = new_campaign(
        finance_c1,
        fund_c1,
        org.c1,
        [PlanRule(kind=Kind.SCHOOL_STAGE, value=UNIVERSITY, addition=Decimal("1000"))],
    )
    assert chosen(plan) == {families["students"].pk}
    line = line_of(plan, families["students"])
    assert line.amount == Decimal("2500")  # 500 + 2 × 1000
    assert "家庭成员就学：大学" in line.explanation["reasons"]
    assert line.explanation["amount"] == [
        ["每户统一金额", "500.00"],
        ["加发：家庭成员就学：大学 2 人 × 1,000.00 元", "2000.00"],
    ]


def test_rules_of_one_kind_are_alternatives_and_of_different_kinds_all_apply(
    org, finance_c1, fund_c1, families
):
    ill = families["students"]
    HardshipCauseFactory(household=ill, cause="illness")
    HardshipCauseFactory(household=families["pupil"], cause="disability")
    HardshipCauseFactory(household=families["national"], cause="illness")
    in_school = [
        PlanRule(kind=Kind.SCHOOL_STAGE, value=UNIVERSITY),
        PlanRule(kind=Kind.SCHOOL_STAGE, value=Member.SchoolStage.PRIMARY),
    ]
    plan = new_campaign(finance_c1, fund_c1, org.c1, in_school)
    assert chosen(plan) == {ill.pk, families["pupil"].pk}
    causes = [PlanRule(kind=Kind.CAUSE, value="illness")]
    plan = new_campaign(finance_c1, fund_c1, org.c1, in_school + causes)
    assert chosen(plan) == {ill.pk}  # in school and ill; the model worker is not in school


def test_a_model_worker_rule_takes_the_title_asked_for_and_higher(
    org, finance_c1, fund_c1, families
):
    plan = new_campaign(
        finance_c1,
        fund_c1,
        org.c1,
        [PlanRule(kind=Kind.MODEL_WORKER, value="provincial", addition=Decimal("300"))],
    )
    assert chosen(plan) == {families["national"].pk}
    assert line_of(plan, families["national"]).amount == Decimal("800")
    any_title = new_campaign(finance_c1, fund_c1, org.c1, [PlanRule(kind=Kind.MODEL_WORKER)])
    assert chosen(any_title) == {families["national"].pk, families["city"].pk}


def test_a_model_workers_campaign_takes_model_workers_only(org, finance_c1, fund_c1, families):
    plan = new_campaign(
        finance_c1, fund_c1, org.c1, kind=DistributionPlan.Kind.MODEL_WORKERS, name="劳模慰问"
    )
    assert chosen(plan) == {families["national"].pk, families["city"].pk}
    assert "劳模专项" in line_of(plan, families["city"]).explanation["reasons"]


def test_a_plan_paid_from_a_model_workers_fund_takes_model_workers_only(
    org, finance_c1, fund_c1, families
):
    fund_c1.model_workers_only = True
    fund_c1.save(update_fields=["model_workers_only"])
    plan = new_campaign(finance_c1, fund_c1, org.c1, name="两节送温暖（劳模专项资金）")
    assert chosen(plan) == {families["national"].pk, families["city"].pk}
    assert "劳模专项" in line_of(plan, families["national"]).explanation["reasons"]


def test_a_tag_rule_takes_households_carrying_any_of_the_tags(org, finance_c1, fund_c1, families):
    migrant, single = Tag.objects.create(name="农民工"), Tag.objects.create(name="单亲")
    families["pupil"].tags.add(migrant)
    families["city"].tags.add(single)
    plan = new_campaign(
        finance_c1,
        fund_c1,
        org.c1,
        [PlanRule(kind=Kind.TAG, tag=migrant), PlanRule(kind=Kind.TAG, tag=single)],
    )
    assert chosen(plan) == {families["pupil"].pk, families["city"].pk}
    assert "标签：农民工" in line_of(plan, families["pupil"]).explanation["reasons"]


def test_an_income_band_rule_reads_the_per_capita_income(org, finance_c1, fund_c1):
    poor = in_file(org.g1a)
    IncomeItemFactory(household=poor, monthly_amount=Decimal("600"))  # alone: 600 a head
    MemberFactory(household=poor, monthly_income=Decimal("0"))  # two people: 300 a head
    richer = in_file(org.g1a)
    IncomeItemFactory(household=richer, monthly_amount=Decimal("900"))
    rule = PlanRule(kind=Kind.INCOME_BAND, income_to=Decimal("500"), addition=Decimal("100"))
    plan = new_campaign(finance_c1, fund_c1, org.c1, [rule])
    assert chosen(plan) == {poor.pk}
    assert line_of(plan, poor).amount == Decimal("600")


def test_a_level_addition_adds_without_choosing(org, finance_c1, fund_c1):
    hard = in_file(org.g1a)
    extreme = in_file(org.g1a, level=Household.Level.EXTREME)
    rule = PlanRule(kind=Kind.LEVEL, value="extreme", required=False, addition=Decimal("200"))
    plan = new_campaign(finance_c1, fund_c1, org.c1, [rule], kind="festivals", name="春节")
    assert chosen(plan) == {hard.pk, extreme.pk}
    assert line_of(plan, hard).amount == Decimal("500")
    assert line_of(plan, extreme).amount == Decimal("700")
    assert line_of(plan, extreme).explanation["amount"][1] == ["加发：困难程度：特困", "200.00"]


def test_a_zero_employment_rule_chooses_households_with_no_one_in_work(org, finance_c1, fund_c1):
    workless = in_file(org.g1a, employment_status=Household.EmploymentStatus.LAID_OFF)
    MemberFactory(household=workless, employment="unemployed", birth_date=datetime.date(1985, 1, 1))
    working = in_file(org.g1a)
    MemberFactory(household=working, employment="unemployed", birth_date=datetime.date(1985, 1, 1))
    MemberFactory(household=working, employment="employed", birth_date=datetime.date(1990, 1, 1))
    plan = new_campaign(finance_c1, fund_c1, org.c1, [PlanRule(kind=Kind.ZERO_EMPLOYMENT)])
    assert workless.pk in chosen(plan) and working.pk not in chosen(plan)


def test_not_helped_last_year_leaves_out_households_paid_in_the_same_campaign_a_year_before(
    org, finance_c1, committee_c1, fund_c1, families
):
    last_year = new_campaign(
        finance_c1,
        fund_c1,
        org.c1,
        [PlanRule(kind=Kind.MODEL_WORKER, value="national")],
        pay_on=datetime.date(2025, 8, 20),
    )
    # A posted list of another kind the year before does not count.
    other = new_plan(finance_c1, fund_c1, org.c1, pay_on=datetime.date(2025, 2, 1))
    for plan in (last_year, other):
        plans.plan_post(actor=finance_c1, plan=_through_notice(approve(submit(plan), committee_c1)))
    plan = new_campaign(finance_c1, fund_c1, org.c1, [PlanRule(kind=Kind.NOT_HELPED_LAST_YEAR)])
    assert families["national"].pk not in chosen(plan)
    assert families["city"].pk in chosen(plan)
    assert "上年未获同类活动帮扶" in line_of(plan, families["city"]).explanation["reasons"]


def _through_notice(plan):
    """Let a campaign's notice period pass with no objection."""
    from funds.models import PlanNotice

    PlanNotice.objects.filter(plan=plan).update(
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 1, 7)
    )
    return plan


def test_a_rule_that_selects_nobody_says_so(
    client, monkeypatch, org, finance_c1, fund_c1, families
):
    plan = new_campaign(
        finance_c1,
        fund_c1,
        org.c1,
        [
            PlanRule(kind=Kind.SCHOOL_STAGE, value=UNIVERSITY),
            PlanRule(kind=Kind.CAUSE, value="disaster"),
        ],
    )
    assert not plan.lines.exists()
    client.force_login(finance_c1)
    with monkeypatch.context() as patched:  # said from the list's build, not selected again
        patched.setattr(campaigns, "select", lambda *args: pytest.fail("selected again"))
        page = client.get(plan.get_absolute_url()).content.decode()
    assert "规则“致困原因：因灾”在发放范围内没有选中任何家庭。" in page
    assert "家庭成员就学：大学”在发放范围内" not in page  # that rule does select
    assert "按这些条件和规则，没有家庭入选。" in page
    with pytest.raises(ValidationError, match="没有符合条件的家庭"):
        submit(plan)


# Adjustments ------------------------------------------------------------------------------


def test_the_drafter_excludes_or_adjusts_a_household_with_a_reason(
    org, finance_c1, fund_c1, families
):
    plan = new_campaign(finance_c1, fund_c1, org.c1, [PlanRule(kind=Kind.MODEL_WORKER)])
    adjust = campaign_services.plan_adjust
    with pytest.raises(ValidationError):
        adjust(
            actor=finance_c1, plan=plan, household=families["city"], action="exclude", reason=" "
        )
    adjust(
        actor=finance_c1,
        plan=plan,
        household=families["city"],
        action="exclude",
        reason="本年已获市总工会劳模慰问。",
    )
    adjust(
        actor=finance_c1,
        plan=plan,
        household=families["national"],
        action="amount",
        amount=Decimal("1200"),
        reason="全国劳模按集团规定提高标准。",
    )
    assert chosen(plan) == {families["national"].pk}
    line = line_of(plan, families["national"])
    assert line.amount == Decimal("1200")
    assert line.explanation["amount"][-1] == [
        "调整为 1,200.00 元：全国劳模按集团规定提高标准。",
        "1200.00",
    ]
    excluded = PlanAdjustment.objects.get(plan=plan, household=families["city"])
    assert excluded.created_by == finance_c1 and excluded.history.first().history_user == finance_c1
    # Saving the plan again keeps the adjustments.
    plan = plans.plan_save(actor=finance_c1, plan=plan)
    assert chosen(plan) == {families["national"].pk}
    campaign_services.plan_adjustment_undo(actor=finance_c1, adjustment=excluded)
    assert families["city"].pk in chosen(plan)


def test_adjustments_stop_at_submission_and_belong_to_the_drafter(
    org, finance_c1, reviewer_c1, fund_c1, families
):
    plan = new_campaign(finance_c1, fund_c1, org.c1, [PlanRule(kind=Kind.MODEL_WORKER)])
    args = {"household": families["city"], "action": "exclude", "reason": "重复"}
    with pytest.raises(PermissionDenied):
        campaign_services.plan_adjust(actor=reviewer_c1, plan=plan, **args)
    with pytest.raises(ValidationError, match="不在方案名单"):
        campaign_services.plan_adjust(
            actor=finance_c1, plan=plan, **{**args, "household": families["pupil"]}
        )
    submit(plan)
    with pytest.raises(ValidationError, match="提交后不能再调整"):
        campaign_services.plan_adjust(actor=finance_c1, plan=plan, **args)


# The budget ------------------------------------------------------------------------------


def test_the_committee_cannot_approve_a_campaign_over_its_budget(
    client, org, finance_c1, committee_c1, fund_c1, families
):
    rule = PlanRule(kind=Kind.MODEL_WORKER)
    plan = submit(new_campaign(finance_c1, fund_c1, org.c1, [rule], budget=Decimal("900")))
    client.force_login(committee_c1)
    assert "超出预算 100.00 元" in client.get(plan.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError, match="超出预算 900.00 元"):
        approve(plan, committee_c1)
    plan.refresh_from_db()
    assert plan.state == DistributionPlan.State.SUBMITTED
    assert not hasattr(plan, "notice") or plan.notice is None


def test_the_pay_date_lies_in_the_campaign_period(org, finance_c1, fund_c1):
    with pytest.raises(ValidationError, match="活动期间"):
        new_campaign(
            finance_c1,
            fund_c1,
            org.c1,
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2026, 9, 30),
        )


# The plan form with its rules -------------------------------------------------------------


def _form(org, fund, **rules):
    data = {
        "name": "2026年金秋助学",
        "kind": "golden_autumn",
        "unit": org.c1.pk,
        "fund": fund.pk,
        "budget": "50000",
        "aid_type": "living",
        "rule": "flat",
        "flat_amount": "500",
        "method": "bank",
        "pay_on": "2026-08-20",
        "rules-TOTAL_FORMS": "2",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "20",
        "rules-1-required": "on",
    }
    data.update({f"rules-0-{key}": value for key, value in rules.items()})
    return data


def test_finance_writes_the_rules_on_the_plan_form(client, org, finance_c1, fund_c1, families):
    client.force_login(finance_c1)
    data = _form(
        org, fund_c1, kind="school_stage", school_stage="university", required="on", addition="1000"
    )
    response = client.post(reverse("plan_create"), data)
    assert response.status_code == 302
    plan = DistributionPlan.objects.get(name="2026年金秋助学")
    assert plan.kind == "golden_autumn" and plan.budget == Decimal("50000")
    rule = plan.rules.get()
    assert (rule.kind, rule.value, rule.required, rule.addition) == (
        "school_stage",
        "university",
        True,
        Decimal("1000"),
    )
    assert chosen(plan) == {families["students"].pk}
    page = client.get(response["Location"]).content.decode()
    assert "加发：家庭成员就学：大学 2 人 × 1,000.00 元" in page
    # Editing shows the rule again and keeps it when saved unchanged.
    edit = client.get(reverse("plan_edit", args=[plan.pk])).content.decode()
    assert 'value="university" selected' in edit


def test_a_rule_without_its_condition_is_refused_and_nothing_is_saved(
    client, org, finance_c1, fund_c1
):
    client.force_login(finance_c1)
    response = client.post(reverse("plan_create"), _form(org, fund_c1, kind="tag", required="on"))
    assert response.status_code == 200
    assert "请选择标签。" in response.content.decode()
    not_helped = _form(org, fund_c1, kind="not_helped", required="on", addition="100")
    response = client.post(reverse("plan_create"), not_helped)
    assert "只作条件，不加发金额" in response.content.decode()
    neither = _form(org, fund_c1, kind="level", level="extreme")
    response = client.post(reverse("plan_create"), neither)
    assert "二者至少其一" in response.content.decode()
    assert not DistributionPlan.objects.exists() and not PlanRule.objects.exists()


def test_a_list_built_before_rules_kept_whether_they_select_is_selected_again(
    client, org, finance_c1, fund_c1, families
):
    plan = new_campaign(finance_c1, fund_c1, org.c1, [PlanRule(kind=Kind.CAUSE, value="disaster")])
    plan.rules.update(selects_nobody=None)  # as funds.0020 left the rules of older lists
    client.force_login(finance_c1)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "规则“致困原因：因灾”在发放范围内没有选中任何家庭。" in page
