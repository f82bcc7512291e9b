"""The notice (公示) of a campaign's approved list: opened at approval, posting held until
the period ended with no open objection, objections lodged and resolved by someone with no
part in the plan, an upheld objection changing the list through a recorded decision."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from factories import HouseholdFactory
from fundkit import ACCOUNT, approve, balance_of, new_campaign, submit

from audit.services import verify_integrity
from funds import campaign_services, plan_notices, plans
from funds.models import DistributionPlan, PlanAdjustment, PlanNotice, PlanObjection, PlanRule

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def model_workers(org):
    return [
        HouseholdFactory(
            in_file=True,
            union=org.g1a,
            bank_account=ACCOUNT,
            is_model_worker=True,
            model_worker_title="city",
            model_worker_year=2012,
        )
        for _ in range(3)
    ]


@pytest.fixture
def campaign(org, finance_c1, committee_c1, fund_c1, model_workers):
    """An approved 劳模慰问 of C1 for three households, 500 yuan each, paid 2026-08-20."""
    plan = new_campaign(
        finance_c1,
        fund_c1,
        org.c1,
        [PlanRule(kind=PlanRule.Kind.MODEL_WORKER)],
        kind=DistributionPlan.Kind.MODEL_WORKERS,
        name="2026年困难劳模慰问",
    )
    return approve(submit(plan), committee_c1)


def period_over(plan):
    PlanNotice.objects.filter(plan=plan).update(
        starts_on=TODAY - datetime.timedelta(days=10), ends_on=TODAY - datetime.timedelta(days=3)
    )


def lodge(actor, plan, household=None, reason="该户已于上月调离本单位。"):
    return campaign_services.plan_objection_lodge(
        actor=actor, notice=plan.notice, household=household, reason=reason
    )


def test_approval_opens_the_notice_of_a_campaign_and_not_of_a_regular_plan(campaign, approved_plan):
    notice = PlanNotice.objects.get(plan=campaign)
    assert notice.starts_on == TODAY and notice.ends_on >= TODAY
    assert notice.unit.code == "C1"
    assert not PlanNotice.objects.filter(plan=approved_plan).exists()
    assert plan_notices.posting_refusal(approved_plan) is None


def test_a_campaign_is_not_posted_while_its_list_is_on_notice(finance_c1, campaign, fund_c1):
    with pytest.raises(ValidationError, match="正在公示"):
        plans.plan_post(actor=finance_c1, plan=campaign)
    assert balance_of(fund_c1) == Decimal("10000")
    period_over(campaign)
    assert len(plans.plan_post(actor=finance_c1, plan=campaign)) == 3
    assert balance_of(fund_c1) == Decimal("8500")


def test_an_open_objection_holds_the_posting_and_the_closing(
    finance_c1, reviewer_c1, worker_g1a, campaign
):
    objection = lodge(worker_g1a, campaign)
    period_over(campaign)
    with pytest.raises(ValidationError, match="未处理的异议"):
        plans.plan_post(actor=finance_c1, plan=campaign)
    out = io.StringIO()
    call_command("close_due_plan_notices", stdout=out)
    assert "0 closed, 1 held back" in out.getvalue()
    campaign_services.plan_objection_resolve(
        actor=reviewer_c1, objection=objection, uphold=False, resolution="经核实，该户仍在本单位。"
    )
    call_command("daily_maintenance", stdout=io.StringIO(), stderr=io.StringIO())
    assert PlanNotice.objects.get(plan=campaign).closed_on == TODAY
    assert len(plans.plan_post(actor=finance_c1, plan=campaign)) == 3


def test_an_upheld_objection_takes_the_line_off_with_a_recorded_decision(
    finance_c1, reviewer_c1, worker_g1a, campaign, model_workers, fund_c1
):
    gone, other, _third = model_workers
    first = lodge(worker_g1a, campaign, household=gone)
    second = lodge(worker_g1a, campaign, household=other, reason="该户金额应按市级标准。")
    campaign_services.plan_objection_resolve(
        actor=reviewer_c1,
        objection=first,
        uphold=True,
        resolution="经核实，该户已调离，移出名单。",
        action="exclude",
    )
    campaign_services.plan_objection_resolve(
        actor=reviewer_c1,
        objection=second,
        uphold=True,
        resolution="按市级劳模标准调整为300元。",
        action="amount",
        amount=Decimal("300"),
    )
    assert set(campaign.lines.values_list("household_id", flat=True)) == {other.pk, _third.pk}
    assert campaign.lines.get(household=other).amount == Decimal("300")
    adjustment = PlanAdjustment.objects.get(plan=campaign, household=gone)
    assert adjustment.objection == first and adjustment.reason.startswith("公示异议成立")
    upheld = campaign.decisions.filter(action="objection_upheld")
    assert upheld.count() == 2 and {d.actor for d in upheld} == {reviewer_c1}
    # The list as changed is the list as decided: the integrity check agrees.
    run = verify_integrity()
    assert run.ok, run.report
    period_over(campaign)
    plans.plan_post(actor=finance_c1, plan=campaign)
    assert balance_of(fund_c1) == Decimal("10000") - Decimal("800")


def test_objections_only_in_the_period_and_never_through_an_auditor(
    worker_g1a, auditor_fed, campaign
):
    with pytest.raises(PermissionDenied):
        lodge(auditor_fed, campaign)
    period_over(campaign)
    with pytest.raises(ValidationError, match="公示期内"):
        lodge(worker_g1a, campaign)


@pytest.mark.parametrize("who", ["finance_c1", "committee_c1", "worker_g1a", "reviewer_c2"])
def test_no_one_with_a_part_in_the_plan_resolves_its_objections(request, org, campaign, who):
    from factories import person

    from hardship.models import Role

    if who == "reviewer_c2":
        actor = person("reviewer_c2", "郑复核", (Role.COMPANY_REVIEWER, org.c2))
    else:
        actor = request.getfixturevalue(who)
    objection = lodge(request.getfixturevalue("worker_g1a"), campaign)
    with pytest.raises(PermissionDenied):
        campaign_services.plan_objection_resolve(
            actor=actor, objection=objection, uphold=False, resolution="不成立"
        )
    assert PlanObjection.objects.get(pk=objection.pk).status == "open"


def test_the_lodger_cannot_resolve_it(reviewer_c1, worker_g1a, campaign):
    own = lodge(reviewer_c1, campaign)
    with pytest.raises(PermissionDenied):
        campaign_services.plan_objection_resolve(
            actor=reviewer_c1, objection=own, uphold=False, resolution="不成立"
        )


def test_upholding_names_the_household_and_what_happens_to_its_line(
    reviewer_c1, worker_g1a, campaign
):
    objection = lodge(worker_g1a, campaign)  # about the list as a whole
    resolve = campaign_services.plan_objection_resolve
    with pytest.raises(ValidationError, match="选择名单中要调整的家庭"):
        resolve(
            actor=reviewer_c1, objection=objection, uphold=True, resolution="成立", action="exclude"
        )
    household = campaign.lines.first().household
    with pytest.raises(ValidationError, match="移出名单或调整金额"):
        resolve(
            actor=reviewer_c1,
            objection=objection,
            uphold=True,
            resolution="成立",
            household=household,
        )
    assert PlanObjection.objects.get(pk=objection.pk).status == "open"
    assert campaign.lines.count() == 3


def test_the_notice_page_shows_the_list_masked_and_takes_an_objection(
    client, worker_g1a, campaign, model_workers
):
    client.force_login(worker_g1a)
    notice = campaign.notice
    board = client.get(reverse("plan_notice_list")).content.decode()
    assert "2026年困难劳模慰问" in board
    page = client.get(reverse("plan_notice_detail", args=[notice.pk])).content.decode()
    household = model_workers[0]
    assert household.worker_name not in page and household.id_number not in page
    response = client.post(
        reverse("plan_objection_lodge", args=[notice.pk]),
        {"household": household.pk, "reason": "该户不是劳模。"},
    )
    assert response.status_code == 302
    assert PlanObjection.objects.get(notice=notice).household == household


def test_a_notice_of_another_company_is_a_404(client, org, campaign):
    from factories import person

    from hardship.models import Role

    other = person("caseworker_c2", "外单位", (Role.CASEWORKER, org.g2a))
    client.force_login(other)
    url = reverse("plan_notice_detail", args=[campaign.notice.pk])
    assert client.get(url).status_code == 404


def test_an_open_objection_waits_in_the_inbox_of_a_reviewer_with_no_part_in_the_plan(
    client, org, finance_c1, reviewer_c1, worker_g1a, campaign
):
    from hardship.worklist import decisions_for

    lodge(worker_g1a, campaign)
    assert [item.subject for item in decisions_for(reviewer_c1)] == ["2026年困难劳模慰问"]
    assert decisions_for(finance_c1) == []
    client.force_login(reviewer_c1)
    assert "2026年困难劳模慰问" in client.get(reverse("inbox")).content.decode()


def test_an_objection_about_a_household_changes_that_households_line_and_none_other(
    reviewer_c1, worker_g1a, campaign
):
    named, other = [line.household for line in campaign.lines.order_by("pk")[:2]]
    objection = lodge(worker_g1a, campaign, household=named)
    campaign_services.plan_objection_resolve(
        actor=reviewer_c1,
        objection=objection,
        uphold=True,
        resolution="异议成立",
        household=other,  # a hand-made POST naming another household
        action="exclude",
    )
    assert not campaign.lines.filter(household=named).exists()
    assert campaign.lines.filter(household=other).exists()


def test_an_upheld_objection_cannot_raise_the_list_over_its_budget(
    reviewer_c1, worker_g1a, campaign
):
    DistributionPlan.objects.filter(pk=campaign.pk).update(budget=Decimal("1600"))
    household = campaign.lines.first().household
    objection = lodge(worker_g1a, campaign, household=household)
    with pytest.raises(ValidationError, match="超出预算"):
        campaign_services.plan_objection_resolve(
            actor=reviewer_c1,
            objection=objection,
            uphold=True,
            resolution="该户应多发",
            action="amount",
            amount=Decimal("900"),
        )
    assert campaign.lines.get(household=household).amount == Decimal("500")
    assert PlanObjection.objects.get(pk=objection.pk).status == "open"


def test_a_reviewer_of_the_family_concerned_neither_sees_nor_settles_the_objection(
    reviewer_c1, worker_g1a, campaign
):
    from hardship.worklist import decision_count_for, decisions_for

    household = campaign.lines.first().household
    household.worker_account = reviewer_c1
    household.save(update_fields=["worker_account"])
    general = lodge(worker_g1a, campaign)
    lodge(worker_g1a, campaign, household=household, reason="该户收入已超标。")
    assert len(decisions_for(reviewer_c1)) == decision_count_for(reviewer_c1) == 1
    with pytest.raises(PermissionDenied, match="回避"):
        campaign_services.plan_objection_resolve(
            actor=reviewer_c1,
            objection=general,
            uphold=True,
            resolution="成立",
            household=household,  # chosen for a whole-list objection: still their family
            action="exclude",
        )


def test_an_adjustment_undone_twice_is_undone_once(org, finance_c1, fund_c1, model_workers):
    plan = new_campaign(
        finance_c1,
        fund_c1,
        org.c1,
        [PlanRule(kind=PlanRule.Kind.MODEL_WORKER)],
        kind=DistributionPlan.Kind.MODEL_WORKERS,
    )
    adjustment = campaign_services.plan_adjust(
        actor=finance_c1,
        plan=plan,
        household=model_workers[0],
        action="exclude",
        amount=None,
        reason="已在本单位另行慰问",
    )
    campaign_services.plan_adjustment_undo(actor=finance_c1, adjustment=adjustment)
    with pytest.raises(ValidationError, match="已经撤销"):
        campaign_services.plan_adjustment_undo(actor=finance_c1, adjustment=adjustment)
    assert plan.lines.filter(household=model_workers[0]).exists()
