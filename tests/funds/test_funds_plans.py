"""Distribution plans (发放方案): households chosen by criteria, amount rules, the preview
against the balance, committee sign-off through PLAN_CHAIN, and posting that writes every
payment or none, once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import HouseholdFactory, PolicyParameterFactory
from fundkit import (
    ACCOUNT,
    SPRING_FESTIVAL,
    approve,
    balance_of,
    ledger_sum,
    make_fund,
    new_plan,
    pay,
    receive,
    set_account,
    submit,
)

from audit.services import verify_integrity
from cases import chain, engine
from casework import selectors
from funds import ledger, plans
from funds.models import AidType, DistributionPlan, LedgerEntry, PlanDecision
from hardship.models import PolicyParameter
from households.models import Household

pytestmark = pytest.mark.django_db

State = DistributionPlan.State


def in_file(union, **kwargs):
    kwargs.setdefault("bank_account", ACCOUNT)
    return HouseholdFactory(in_file=True, union=union, **kwargs)


@pytest.fixture
def roster(org, household):
    """Households of every kind around C1's Spring Festival plan (paid 2026-02-10)."""
    return {
        "g1a": household,  # in file, 低保边缘户, 困难
        "g1b_extreme": in_file(
            org.g1b, category=Household.Category.DIBAO, level=Household.Level.EXTREME
        ),
        "g1a_accident": in_file(org.g1a, category=Household.Category.ACCIDENT),
        "g2a": in_file(org.g2a),
        "draft": HouseholdFactory(union=org.g1a),
        "exited": HouseholdFactory(exited=True, union=org.g1a),
        "cancelled": HouseholdFactory(cancelled=True, union=org.g1a),
        "late": in_file(org.g1a, established_on=datetime.date(2026, 5, 1)),
    }


def chosen(plan):
    return set(plan.lines.values_list("household_id", flat=True))


def ids(roster, *names):
    return {roster[name].pk for name in names}


# Choosing households and amounts ---------------------------------------------------------


def test_finance_can_plan_for_households_in_file_on_the_pay_day_in_the_units_tree(
    org, finance_c1, fund_c1, roster
):
    plan = new_plan(finance_c1, fund_c1, org.c1)
    assert chosen(plan) == ids(roster, "g1a", "g1b_extreme", "g1a_accident")


def test_finance_can_plan_for_households_established_by_the_pay_day(
    org, finance_c1, fund_c1, roster
):
    plan = new_plan(finance_c1, fund_c1, org.c1, pay_on=datetime.date(2026, 5, 1))
    assert roster["late"].pk in chosen(plan)


def test_finance_can_plan_for_one_grassroots_union_only(org, finance_c1, fund_c1, roster):
    plan = new_plan(finance_c1, fund_c1, org.g1b)
    assert chosen(plan) == ids(roster, "g1b_extreme")


def test_finance_can_plan_by_category(org, finance_c1, fund_c1, roster):
    plan = new_plan(finance_c1, fund_c1, org.c1, category=Household.Category.ACCIDENT)
    assert chosen(plan) == ids(roster, "g1a_accident")


def test_finance_can_plan_by_level(org, finance_c1, fund_c1, roster):
    plan = new_plan(finance_c1, fund_c1, org.c1, level=Household.Level.EXTREME)
    assert chosen(plan) == ids(roster, "g1b_extreme")


def test_finance_can_plan_a_flat_amount_per_household(org, finance_c1, fund_c1, roster):
    plan = new_plan(finance_c1, fund_c1, org.c1, flat_amount=Decimal("600"))
    assert set(plan.lines.values_list("amount", flat=True)) == {Decimal("600")}
    assert plans.plan_total(plan) == Decimal("1800")


def test_finance_can_plan_amounts_per_level(org, finance_c1, fund_c1, roster):
    plan = new_plan(
        finance_c1,
        fund_c1,
        org.c1,
        rule=DistributionPlan.Rule.PER_LEVEL,
        flat_amount=None,
        hardship_amount=Decimal("500"),
        extreme_amount=Decimal("800"),
    )
    amounts = dict(plan.lines.values_list("household_id", "amount"))
    assert amounts == {
        roster["g1a"].pk: Decimal("500"),
        roster["g1a_accident"].pk: Decimal("500"),
        roster["g1b_extreme"].pk: Decimal("800"),
    }
    assert plans.plan_total(plan) == Decimal("1800")


def test_finance_cannot_draw_up_a_plan_from_a_fund_not_for_its_aid(org, finance_c1, household):
    in_kind_only = make_fund(org.c1, name="物资专户", aid_types=[AidType.IN_KIND])
    with pytest.raises(ValidationError, match="专款专用"):
        new_plan(finance_c1, in_kind_only, org.c1)
    assert not DistributionPlan.objects.exists()


def test_finance_cannot_draw_up_a_plan_beyond_the_funds_unit(org, finance_c1, household):
    g1a_fund = make_fund(org.g1a, name="机修车间互助金")
    with pytest.raises(ValidationError):
        new_plan(finance_c1, g1a_fund, org.c1)
    assert not DistributionPlan.objects.exists()


def test_finance_of_another_company_cannot_draw_up_a_plan_for_it(org, finance_c2, fund_c1):
    with pytest.raises(PermissionDenied):
        new_plan(finance_c2, fund_c1, org.c1)


def test_finance_can_draw_up_a_plan_on_the_page_and_preview_it(
    client, org, finance_c1, fund_c1, roster
):
    client.force_login(finance_c1)
    response = client.post(
        reverse("plan_create"),
        {
            "name": "2026年春节送温暖",
            "unit": org.c1.pk,
            "fund": fund_c1.pk,
            "aid_type": "festival",
            "category": "",
            "level": "",
            "rule": "per_level",
            "hardship_amount": "500",
            "extreme_amount": "800",
            "method": "bank",
            "goods": "",
            "pay_on": "2026-02-10",
        },
    )
    assert response.status_code == 302
    plan = DistributionPlan.objects.get()
    assert (plan.state, plan.created_by) == (State.DRAFT, finance_c1)
    page = client.get(plan.get_absolute_url())
    assert page.context["total"] == Decimal("1800")
    assert len(page.context["lines"]) == 3
    assert page.context["short"] is None
    html = page.content.decode()
    assert roster["g1b_extreme"].worker_name in html
    assert roster["g2a"].worker_name not in html
    assert ACCOUNT not in html  # bank accounts masked in the list


def test_finance_can_see_how_much_the_balance_falls_short_of_a_plan(
    client, org, finance_c1, fund_c1, roster
):
    plan = new_plan(finance_c1, fund_c1, org.c1, flat_amount=Decimal("4000"))
    client.force_login(finance_c1)
    response = client.get(plan.get_absolute_url())
    assert response.context["total"] == Decimal("12000")
    assert response.context["short"] == Decimal("2000")
    assert "余额不足，还差 2,000.00 元" in response.content.decode()


def test_finance_can_edit_a_draft_plan_and_its_list_is_rebuilt(
    client, org, finance_c1, fund_c1, roster
):
    plan = new_plan(finance_c1, fund_c1, org.c1)
    plan.level = Household.Level.EXTREME
    plan = plans.plan_save(actor=finance_c1, plan=plan)
    assert chosen(plan) == ids(roster, "g1b_extreme")


# Committee sign-off ----------------------------------------------------------------------


def test_only_the_company_committee_can_sign_plans_in_plan_chain():
    (level,) = chain.PLAN_CHAIN
    assert (level.state, level.role, level.unit_kind, level.approve_to) == (
        "submitted",
        "committee",
        "company",
        "approved",
    )


def test_committee_can_approve_a_submitted_plan(committee_c1, submitted_plan):
    plan = approve(submitted_plan, committee_c1)
    assert plan.state == State.APPROVED
    decision = PlanDecision.objects.get(plan=plan, action="approve")
    assert (decision.actor, decision.step) == (committee_c1, State.SUBMITTED)


def test_plan_creator_cannot_approve_it(org, finance_committee_c1, fund_c1, household):
    plan = submit(new_plan(finance_committee_c1, fund_c1, org.c1))
    with pytest.raises(PermissionDenied, match="方案制定人不能审批"):
        approve(plan, finance_committee_c1)
    plan.refresh_from_db()
    assert plan.state == State.SUBMITTED
    assert not plan.decisions.filter(action="approve").exists()
    # Nor does the plan wait in the creator's own inbox.
    assert plan not in selectors.plans_to_decide(finance_committee_c1)


def test_committee_of_another_company_cannot_approve(committee_c2, submitted_plan):
    with pytest.raises(PermissionDenied):
        approve(submitted_plan, committee_c2)
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == State.SUBMITTED


def test_committee_of_another_company_cannot_find_the_plan(client, committee_c2, submitted_plan):
    client.force_login(committee_c2)
    url = reverse("plan_act", args=[submitted_plan.pk])
    data = {"action": "approve", "comment": "", "expected_state": "submitted"}
    assert client.post(url, data).status_code == 404
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == State.SUBMITTED


@pytest.mark.parametrize("who", ["finance_c1", "reviewer_c1", "auditor_fed"])
def test_non_committee_cannot_approve(request, submitted_plan, who):
    with pytest.raises(PermissionDenied):
        approve(submitted_plan, request.getfixturevalue(who))
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == State.SUBMITTED


@pytest.mark.parametrize("action, state", [("return", State.RETURNED), ("reject", State.REJECTED)])
def test_committee_cannot_return_or_reject_without_a_comment(
    committee_c1, submitted_plan, action, state
):
    for comment in ("", "   "):
        with pytest.raises(ValidationError, match="必须填写意见"):
            engine.decide(
                chain=plans.PLAN_APPROVAL,
                actor=committee_c1,
                obj=submitted_plan,
                action=action,
                expected_state=State.SUBMITTED,
                comment=comment,
            )
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == State.SUBMITTED
    plan = engine.decide(
        chain=plans.PLAN_APPROVAL,
        actor=committee_c1,
        obj=submitted_plan,
        action=action,
        expected_state=State.SUBMITTED,
        comment="名单中有已脱困户，请核实。",
    )
    assert plan.state == state
    assert plan.decisions.get(action=action).comment == "名单中有已脱困户，请核实。"


def test_committee_cannot_return_without_a_comment_on_the_page(
    client, committee_c1, submitted_plan
):
    client.force_login(committee_c1)
    response = client.post(
        reverse("plan_act", args=[submitted_plan.pk]),
        {"action": "return", "comment": "", "expected_state": "submitted"},
        follow=True,
    )
    assert response.status_code == 200
    assert "必须填写意见" in response.content.decode()
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == State.SUBMITTED


def test_committee_acting_on_a_plan_that_changed_meanwhile_is_told_who_handled_it(
    committee_c1, approved_plan
):
    with pytest.raises(engine.AlreadyHandled) as error:
        approve(approved_plan, committee_c1)
    message = error.value.messages[0]
    assert f"已由 {committee_c1.full_name} 于" in message and "（同意）" in message
    assert approved_plan.decisions.filter(action="approve").count() == 1


def test_finance_can_correct_and_resubmit_a_returned_plan(
    finance_c1, committee_c1, submitted_plan, household
):
    engine.decide(
        chain=plans.PLAN_APPROVAL,
        actor=committee_c1,
        obj=submitted_plan,
        action="return",
        expected_state=State.SUBMITTED,
        comment="金额调整为800元。",
    )
    plan = DistributionPlan.objects.get(pk=submitted_plan.pk)
    plan.flat_amount = Decimal("800")
    plan = plans.plan_save(actor=finance_c1, plan=plan)
    assert plan.state == State.DRAFT
    assert plans.plan_total(plan) == Decimal("800")
    plan = approve(submit(plan), committee_c1)
    assert plan.state == State.APPROVED


def test_only_the_creator_can_submit_a_plan(finance_c1, finance_committee_c1, draft_plan):
    with pytest.raises(PermissionDenied):
        plans.plan_submit(actor=finance_committee_c1, plan=draft_plan)
    draft_plan.refresh_from_db()
    assert draft_plan.state == State.DRAFT


def test_finance_cannot_submit_a_plan_with_no_households(org, finance_c1, fund_c1):
    plan = new_plan(finance_c1, fund_c1, org.c1)
    assert not plan.lines.exists()
    with pytest.raises(ValidationError, match="没有符合条件的家庭"):
        submit(plan)


def test_finance_cannot_edit_a_submitted_plan(finance_c1, submitted_plan):
    with pytest.raises(ValidationError, match="只有草稿或退回的方案可以修改"):
        plans.plan_save(actor=finance_c1, plan=submitted_plan)


def test_committee_can_find_submitted_plans_in_the_inbox_and_nav_count(
    client, committee_c1, submitted_plan
):
    assert list(selectors.plans_to_decide(committee_c1)) == [submitted_plan]
    assert selectors.inbox_count(committee_c1) == 1
    client.force_login(committee_c1)
    response = client.get(reverse("inbox"))
    assert submitted_plan.name in response.content.decode()
    assert response.context["nav_inbox_count"] == 1
    approve(submitted_plan, committee_c1)
    assert selectors.inbox_count(committee_c1) == 0


def test_committee_of_another_company_cannot_find_the_plan_in_the_inbox(
    committee_c2, submitted_plan
):
    assert not selectors.plans_to_decide(committee_c2).exists()
    assert selectors.inbox_count(committee_c2) == 0


# Posting ---------------------------------------------------------------------------------


def test_finance_cannot_post_an_unapproved_plan(finance_c1, fund_c1, draft_plan):
    for plan in (draft_plan, submit(draft_plan)):
        with pytest.raises(ValidationError, match="尚未经党政班子会审定"):
            plans.plan_post(actor=finance_c1, plan=plan)
    assert LedgerEntry.objects.filter(kind="payment").count() == 0
    assert balance_of(fund_c1) == Decimal("10000")


def test_finance_cannot_post_a_rejected_plan(finance_c1, committee_c1, fund_c1, submitted_plan):
    engine.decide(
        chain=plans.PLAN_APPROVAL,
        actor=committee_c1,
        obj=submitted_plan,
        action="reject",
        expected_state=State.SUBMITTED,
        comment="资金另有安排。",
    )
    with pytest.raises(ValidationError, match="尚未经党政班子会审定"):
        plans.plan_post(actor=finance_c1, plan=submitted_plan)
    assert balance_of(fund_c1) == Decimal("10000")


def test_finance_can_post_an_approved_plan_one_payment_per_line(
    org, finance_c1, committee_c1, fund_c1, roster
):
    plan = new_plan(
        finance_c1,
        fund_c1,
        org.c1,
        rule=DistributionPlan.Rule.PER_LEVEL,
        flat_amount=None,
        hardship_amount=Decimal("500"),
        extreme_amount=Decimal("800"),
    )
    plan = approve(submit(plan), committee_c1)
    entries = plans.plan_post(actor=finance_c1, plan=plan)
    assert len(entries) == 3
    payments = LedgerEntry.objects.filter(kind="payment")
    assert payments.count() == 3
    for line in plan.lines.all():
        entry = payments.get(plan_line=line)
        assert entry.household == line.household
        assert entry.amount == -line.amount
        assert entry.payee_name == line.household.worker_name
        assert entry.payee_id_number == line.household.id_number
        assert entry.aid_type == AidType.FESTIVAL
        assert entry.posted_on == SPRING_FESTIVAL
        assert entry.application is None
    assert balance_of(fund_c1) == Decimal("8200") == ledger_sum(fund_c1)
    plan.refresh_from_db()
    assert plan.state == State.POSTED and plan.posted_at is not None


def test_finance_can_post_an_in_kind_plan(org, finance_c1, committee_c1, fund_c1, household):
    set_account(household, "")  # goods need no bank card
    plan = new_plan(
        finance_c1,
        fund_c1,
        org.c1,
        aid_type=AidType.IN_KIND,
        method="in_kind",
        goods="大米25公斤、食用油5升",
        flat_amount=Decimal("300"),
    )
    (entry,) = plans.plan_post(actor=finance_c1, plan=approve(submit(plan), committee_c1))
    assert (entry.method, entry.goods, entry.amount) == (
        "in_kind",
        "大米25公斤、食用油5升",
        Decimal("-300"),
    )


def test_finance_cannot_post_a_plan_twice(finance_c1, fund_c1, approved_plan):
    first = plans.plan_post(actor=finance_c1, plan=approved_plan)
    assert len(first) == 1
    rows, balance = LedgerEntry.objects.count(), balance_of(fund_c1)
    assert plans.plan_post(actor=finance_c1, plan=approved_plan) == []
    assert LedgerEntry.objects.count() == rows
    assert balance_of(fund_c1) == balance == Decimal("9400")


def test_finance_cannot_post_a_plan_twice_on_the_page(client, finance_c1, fund_c1, approved_plan):
    client.force_login(finance_c1)
    url = reverse("plan_post", args=[approved_plan.pk])
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert "没有重复发放" in response.content.decode()
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
    assert balance_of(fund_c1) == Decimal("9400")


def test_finance_cannot_post_any_line_when_a_household_has_no_bank_account(
    client, org, finance_c1, committee_c1, fund_c1, roster
):
    no_card = set_account(roster["g1b_extreme"], "")
    plan = approve(submit(new_plan(finance_c1, fund_c1, org.c1)), committee_c1)
    with pytest.raises(ValidationError) as caught:
        plans.plan_post(actor=finance_c1, plan=plan)
    text = " ".join(caught.value.messages)
    assert no_card.worker_name in text and no_card.file_number in text and "银行卡号" in text
    assert LedgerEntry.objects.filter(kind="payment").count() == 0
    assert balance_of(fund_c1) == Decimal("10000")
    plan.refresh_from_db()
    assert plan.state == State.APPROVED and plan.posted_at is None
    # On the page finance is told that nothing was written, and why.
    client.force_login(finance_c1)
    response = client.post(reverse("plan_post", args=[plan.pk]), follow=True)
    html = response.content.decode()
    assert "没有写入任何记录" in html and no_card.worker_name in html
    assert LedgerEntry.objects.filter(kind="payment").count() == 0


def test_finance_cannot_post_any_line_when_a_household_would_pass_the_year_cap(
    org, finance_c1, committee_c1, fund_c1, roster, effective
):
    PolicyParameterFactory(key=PolicyParameter.Key.HOUSEHOLD_YEAR_CAP, value=Decimal("1000"))
    relief = effective("800", household=roster["g1a_accident"])
    pay(finance_c1, fund_c1, relief, "800", paid_on=datetime.date(2026, 1, 20))
    plan = approve(submit(new_plan(finance_c1, fund_c1, org.c1)), committee_c1)
    rows, balance = LedgerEntry.objects.count(), balance_of(fund_c1)
    with pytest.raises(ValidationError) as caught:
        plans.plan_post(actor=finance_c1, plan=plan)
    text = " ".join(caught.value.messages)
    assert roster["g1a_accident"].worker_name in text and "每户每年上限" in text
    assert LedgerEntry.objects.count() == rows
    assert balance_of(fund_c1) == balance == ledger_sum(fund_c1)


def test_finance_cannot_post_any_line_when_a_household_left_the_file(
    org, finance_c1, committee_c1, fund_c1, roster
):
    plan = approve(submit(new_plan(finance_c1, fund_c1, org.c1)), committee_c1)
    Household.objects.filter(pk=roster["g1b_extreme"].pk).update(
        status=Household.Status.EXITED, exited_on=datetime.date(2026, 1, 31)
    )
    with pytest.raises(ValidationError, match="先建档"):
        plans.plan_post(actor=finance_c1, plan=plan)
    assert LedgerEntry.objects.filter(kind="payment").count() == 0


def test_finance_cannot_post_any_line_when_the_balance_is_short(
    org, finance_c1, committee_c1, fund_c1, roster
):
    # Each plan fits the balance when approved (the approval checks it); the first one
    # posted leaves too little for the second.
    first = approve(
        submit(new_plan(finance_c1, fund_c1, org.c1, flat_amount=Decimal("2000"))), committee_c1
    )
    plan = new_plan(finance_c1, fund_c1, org.c1, flat_amount=Decimal("2000"), name="第二批")
    plan = approve(submit(plan), committee_c1)
    plans.plan_post(actor=finance_c1, plan=first)
    with pytest.raises(ValidationError, match="保持资金平衡"):
        plans.plan_post(actor=finance_c1, plan=plan)
    assert LedgerEntry.objects.filter(kind="payment").count() == 3
    assert balance_of(fund_c1) == Decimal("4000")
    # Once the money has arrived, the same plan posts.
    receive(finance_c1, fund_c1, "2000")
    assert len(plans.plan_post(actor=finance_c1, plan=plan)) == 3
    assert balance_of(fund_c1) == 0 == ledger_sum(fund_c1)


def test_the_committee_cannot_approve_a_plan_the_fund_cannot_pay(
    org, finance_c1, committee_c1, fund_c1, roster
):
    plan = submit(new_plan(finance_c1, fund_c1, org.c1, flat_amount=Decimal("4000")))
    with pytest.raises(ValidationError, match="超出资金账户"):
        approve(plan, committee_c1)
    plan.refresh_from_db()
    assert plan.state == State.SUBMITTED and not plan.decisions.filter(action="approve").exists()
    receive(finance_c1, fund_c1, "2000")
    assert approve(plan, committee_c1).state == State.APPROVED


@pytest.mark.parametrize("who", ["committee_c1", "reviewer_c1", "auditor_fed", "finance_c2"])
def test_non_finance_of_the_fund_cannot_post(request, fund_c1, approved_plan, who):
    with pytest.raises(PermissionDenied):
        plans.plan_post(actor=request.getfixturevalue(who), plan=approved_plan)
    assert LedgerEntry.objects.filter(kind="payment").count() == 0
    approved_plan.refresh_from_db()
    assert approved_plan.state == State.APPROVED


@pytest.mark.parametrize("who", ["committee_c1", "auditor_fed"])
@pytest.mark.parametrize("plan_kind", ["submitted_plan", "posted_plan"])
def test_non_finance_posting_a_plan_in_any_state_gets_403_not_a_message(
    client, request, finance_c1, fund_c1, who, plan_kind
):
    if plan_kind == "posted_plan":
        plan = request.getfixturevalue("approved_plan")
        plans.plan_post(actor=finance_c1, plan=plan)
    else:
        plan = request.getfixturevalue("submitted_plan")
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("plan_post", args=[plan.pk]))
    assert response.status_code == 403


def test_a_plan_payment_can_be_reversed(finance_c1, fund_c1, approved_plan):
    (entry,) = plans.plan_post(actor=finance_c1, plan=approved_plan)
    reversal = ledger.entry_reverse(actor=finance_c1, entry=entry, reason="职工已去世。")
    assert reversal.reverses == entry and reversal.plan_line is None
    assert balance_of(fund_c1) == Decimal("10000") == ledger_sum(fund_c1)


def test_the_plan_page_says_who_handled_a_plan_that_changed_meanwhile(
    client, committee_c1, approved_plan
):
    client.force_login(committee_c1)
    response = client.post(
        reverse("plan_act", args=[approved_plan.pk]),
        {"action": "return", "comment": "请核实。", "expected_state": "submitted"},
        follow=True,
    )
    assert f"已由 {committee_c1.full_name} 于" in response.content.decode()
    approved_plan.refresh_from_db()
    assert approved_plan.state == DistributionPlan.State.APPROVED
    assert not approved_plan.decisions.filter(action="return").exists()


def test_posting_a_plan_costs_the_same_queries_for_3_lines_as_for_30(
    org, finance_c1, committee_c1, fund_c1, household, django_assert_max_num_queries
):
    """Posting runs under the fund's lock: its queries must not grow with the plan's lines
    (households locked at once, policy read per union, the year's payments summed at once,
    the rows written in one insert)."""
    PolicyParameterFactory(key=PolicyParameter.Key.HOUSEHOLD_YEAR_CAP, value=Decimal("6000"))
    receive(finance_c1, fund_c1, "20000")
    for _ in range(3):
        in_file(org.g1b)
    for _ in range(29):
        in_file(org.g1a)
    small = approve(submit(new_plan(finance_c1, fund_c1, org.g1b)), committee_c1)
    large = approve(submit(new_plan(finance_c1, fund_c1, org.g1a)), committee_c1)
    assert (small.lines.count(), large.lines.count()) == (3, 30)

    with CaptureQueriesContext(connection) as posting_small:
        assert len(plans.plan_post(actor=finance_c1, plan=small)) == 3
    with django_assert_max_num_queries(len(posting_small)):
        assert len(plans.plan_post(actor=finance_c1, plan=large)) == 30
    assert balance_of(fund_c1) == Decimal("30000") - 33 * Decimal("600")
    assert ledger_sum(fund_c1) == balance_of(fund_c1)
    # The rows written in one insert join the ledger's hash chain like any other.
    run = verify_integrity()
    assert run.ok, run.report


def test_a_long_list_is_shown_a_page_at_a_time_in_the_order_it_pays(
    client, monkeypatch, org, finance_c1, fund_c1, roster
):
    from funds import campaign_selectors

    monkeypatch.setattr(campaign_selectors, "LINES_PER_PAGE", 2)
    plan = new_plan(finance_c1, fund_c1, org.c1)
    built = list(plan.lines.order_by("pk").values_list("household__file_number", flat=True))
    assert len(built) == 3  # C1's in file: g1a, g1a_accident, g1b_extreme, by union
    client.force_login(finance_c1)
    url = reverse("plan_detail", args=[plan.pk])
    pages = [client.get(url, {"page": n}) for n in (1, 2)]
    shown = [[n for n in built if n in page.content.decode()] for page in pages]
    assert shown == [built[:2], built[2:]]
    # The household count is the whole list's, not the page's.
    assert pages[0].context["page"].paginator.count == 3
    assert "第 1 / 2 页" in pages[0].content.decode()
