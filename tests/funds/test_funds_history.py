"""Who did it: fund and plan history rows record the acting user, and plan decisions the
person who signed."""

import pytest
from django.urls import reverse
from fundkit import approve, new_plan, submit

from cases import engine
from funds import ledger, plans
from funds.models import DistributionPlan, Fund

pytestmark = pytest.mark.django_db


def test_finance_can_create_a_fund_recorded_in_its_history_as_the_actor(client, org, finance_c1):
    client.force_login(finance_c1)
    response = client.post(
        reverse("fund_create"),
        {
            "name": "爱心一日捐",
            "source": "donation",
            "year": "2026",
            "unit": org.c1.pk,
            "aid_types": ["emergency", "medical"],
        },
    )
    assert response.status_code == 302
    fund = Fund.objects.get(name="爱心一日捐")
    assert fund.aid_types == ["emergency", "medical"]
    (record,) = fund.history.all()
    assert (record.history_type, record.history_user) == ("+", finance_c1)


def test_finance_cannot_create_a_fund_twice_with_the_same_name_unit_and_year(
    client, org, finance_c1, fund_c1
):
    client.force_login(finance_c1)
    response = client.post(
        reverse("fund_create"),
        {
            "name": fund_c1.name,
            "source": "group",
            "year": str(fund_c1.year),
            "unit": org.c1.pk,
            "aid_types": ["festival"],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Fund.objects.filter(name=fund_c1.name).count() == 1


def test_finance_can_create_a_fund_through_the_service_with_history_user(org, finance_c1):
    fund = ledger.fund_create(
        actor=finance_c1,
        name="地方配套资金",
        source="local",
        year=2026,
        unit=org.c1,
        aid_types=["education"],
    )
    assert fund.history.get().history_user == finance_c1


def test_fund_service_refuses_a_unit_where_the_actor_does_not_keep_the_books(org, finance_c1):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ledger.fund_create(
            actor=finance_c1,
            name="他单位资金",
            source="local",
            year=2026,
            unit=org.c2,
            aid_types=["education"],
        )
    assert not Fund.objects.filter(name="他单位资金").exists()


def test_finance_and_committee_can_carry_a_plan_with_each_history_user_recorded(
    org, finance_c1, committee_c1, fund_c1, household
):
    plan = new_plan(finance_c1, fund_c1, org.c1)
    submit(plan)
    approve(plan, committee_c1)
    plans.plan_post(actor=finance_c1, plan=plan)
    records = list(DistributionPlan.history.filter(id=plan.pk).order_by("history_id"))
    assert [(r.state, r.history_user) for r in records] == [
        ("draft", finance_c1),
        ("submitted", finance_c1),
        ("approved", committee_c1),
        ("posted", finance_c1),
    ]
    assert [(d.action, d.actor) for d in plan.decisions.order_by("pk")] == [
        ("submit", finance_c1),
        ("approve", committee_c1),
    ]


def test_finance_can_edit_a_plan_on_the_page_with_history_user_recorded(
    client, org, finance_c1, draft_plan
):
    client.force_login(finance_c1)
    response = client.post(
        reverse("plan_edit", args=[draft_plan.pk]),
        {
            "name": "改过名字的方案",
            "unit": org.c1.pk,
            "fund": draft_plan.fund_id,
            "aid_type": "festival",
            "category": "",
            "level": "",
            "rule": "flat",
            "flat_amount": "700",
            "method": "bank",
            "goods": "",
            "pay_on": "2026-02-10",
        },
    )
    assert response.status_code == 302
    latest = DistributionPlan.history.filter(id=draft_plan.pk).latest("history_id")
    assert (latest.name, latest.history_user) == ("改过名字的方案", finance_c1)
    assert plans.plan_total(draft_plan) == 700


def test_committee_can_return_a_plan_with_history_user_recorded(committee_c1, submitted_plan):
    engine.decide(
        chain=plans.PLAN_APPROVAL,
        actor=committee_c1,
        obj=submitted_plan,
        action="return",
        expected_state="submitted",
        comment="请核对名单。",
    )
    latest = DistributionPlan.history.filter(id=submitted_plan.pk).latest("history_id")
    assert (latest.state, latest.history_user) == ("returned", committee_c1)
