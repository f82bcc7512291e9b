"""Demo campaigns (called from funds.demo): the Spring Festival distributions are 两节送温暖
campaigns whose lists ran their notice before the payment day; a 金秋助学 campaign of the
petrochemical company is on notice now, chosen by its rules (children at university or in
high school, an addition per child) with two adjustments made before it was submitted."""

import datetime
from decimal import Decimal

from django.utils import timezone

from cases import engine
from funds import campaign_services, plans
from funds.models import AidType, DistributionPlan, LedgerEntry, PlanNotice, PlanRule
from households.models import Member

Kind = PlanRule.Kind


def notice_ran(plan, pay_on: datetime.date) -> None:
    """History: the list of a campaign paid in the past was publicised in the fortnight
    before its payment day, with no objection (the services open notices today)."""
    PlanNotice.objects.filter(plan=plan).update(
        starts_on=pay_on - datetime.timedelta(days=14),
        ends_on=pay_on - datetime.timedelta(days=8),
        closed_on=pay_on - datetime.timedelta(days=7),
    )


def golden_autumn(users, unit, fund) -> DistributionPlan | None:
    """金秋助学 this year: 500 yuan a household with a child at university or in high
    school, 2,000 more per university student and 1,000 more per high-school student;
    approved by the committee and now on notice."""
    company = unit.code.lower()
    finance, committee = users[f"{company}_finance"], users[f"{company}_committee"]
    today = timezone.localdate()
    plan = DistributionPlan(
        name=f"{today.year}年金秋助学",
        kind=DistributionPlan.Kind.GOLDEN_AUTUMN,
        unit=unit,
        fund=fund,
        budget=Decimal("150000"),
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=30),
        aid_type=AidType.EDUCATION,
        rule=DistributionPlan.Rule.FLAT,
        flat_amount=Decimal("500"),
        method=LedgerEntry.Method.BANK,
        pay_on=today + datetime.timedelta(days=14),
    )
    rules = [
        PlanRule(
            kind=Kind.SCHOOL_STAGE, value=Member.SchoolStage.UNIVERSITY, addition=Decimal("2000")
        ),
        PlanRule(kind=Kind.SCHOOL_STAGE, value=Member.SchoolStage.HIGH, addition=Decimal("1000")),
        PlanRule(kind=Kind.LEVEL, value="extreme", required=False, addition=Decimal("500")),
    ]
    plan = plans.plan_save(actor=finance, plan=plan, rules=rules)
    lines = list(plan.lines.select_related("household").order_by("pk")[:2])
    if len(lines) < 2:
        return plan
    campaign_services.plan_adjust(
        actor=finance,
        plan=plan,
        household=lines[0].household,
        action="exclude",
        reason="子女已获本年度市总工会金秋助学资助，不重复资助。",
    )
    campaign_services.plan_adjust(
        actor=finance,
        plan=plan,
        household=lines[1].household,
        action="amount",
        amount=lines[1].amount + Decimal("1000"),
        reason="子女考入外省高校，路费负担重，经帮扶中心研究增加1000元。",
    )
    plans.plan_submit(actor=finance, plan=plan)
    return engine.decide(
        chain=plans.PLAN_APPROVAL,
        actor=committee,
        obj=plan,
        action="approve",
        expected_state=DistributionPlan.State.SUBMITTED,
        comment="经党政班子会研究，同意金秋助学名单，按程序公示。",
    )
