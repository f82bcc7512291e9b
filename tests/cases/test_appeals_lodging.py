"""Lodging an appeal: who may, against what, within the period, once per decision; and the
level above the deciding one that receives it."""

import datetime
from decimal import Decimal

import pytest
from appealkit import decide, lodge
from casekit import act, file
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from factories import PolicyParameterFactory

from cases import appeals
from cases.models import Appeal, AppealDecision, Application, Decision
from hardship.models import PolicyParameter

pytestmark = pytest.mark.django_db

State = Application.State


def test_a_caseworker_lodges_for_the_worker_and_it_waits_at_the_company(
    rejected_at, caseworker_g1a
):
    application = rejected_at("submitted")
    appeal = lodge(caseworker_g1a, application)
    assert appeal.state == Appeal.State.AT_COMPANY
    assert appeal.decision == application.decisions.get(action=Decision.Action.REJECT)
    # The appeal's own chained trail starts with the lodging...
    (lodged,) = appeal.decisions.all()
    assert (lodged.action, lodged.actor, lodged.row_hash != "") == (
        AppealDecision.Action.LODGE,
        caseworker_g1a,
        True,
    )
    # ...and the application's trail says it was appealed, its state unchanged.
    last = application.decisions.order_by("-pk").first()
    assert (last.action, last.resulting_state) == (Decision.Action.APPEAL, State.REJECTED)
    application.refresh_from_db()
    assert application.state == State.REJECTED


def test_the_worker_lodges_their_own_appeal(worker_g1a, worker_household, chair_g1a):
    application = file(worker_g1a, worker_household, "emergency", "3000")
    act(chair_g1a, application, "reject", "家庭人均收入高于困难标准。")
    appeal = lodge(worker_g1a, application)
    assert appeal.lodged_by == worker_g1a
    assert appeal.state == Appeal.State.AT_COMPANY


@pytest.mark.parametrize(
    "state", ["grassroots_approved", "company_verified"], ids=["reviewer", "committee"]
)
def test_a_company_decision_is_appealed_to_the_federation(rejected_at, caseworker_g1a, state):
    appeal = lodge(caseworker_g1a, rejected_at(state))
    assert appeal.state == Appeal.State.AT_FEDERATION


def test_a_cancelled_file_is_appealed_to_the_federation(cancelled, caseworker_g1a):
    appeal = lodge(caseworker_g1a, cancelled)
    assert appeal.state == Appeal.State.AT_FEDERATION
    assert appeal.decision.action == Decision.Action.EFFECTIVE


@pytest.mark.parametrize("state", ["submitted", "in_notice", "effective"])
def test_only_a_rejection_or_a_cancellation_can_be_appealed(app_at, caseworker_g1a, state):
    if state == "effective":
        application = app_at("in_notice")
        Application.objects.filter(pk=application.pk).update(
            state=State.EFFECTIVE, effective_on=timezone.localdate()
        )
    else:
        application = app_at(state)
    with pytest.raises(ValidationError, match="只有未通过的申请和已生效的注销可以申诉"):
        lodge(caseworker_g1a, application)
    assert not Appeal.objects.exists()


def test_the_reason_is_required(rejected_at, caseworker_g1a):
    with pytest.raises(ValidationError) as error:
        lodge(caseworker_g1a, rejected_at(), reason="   ")
    assert error.value.message_dict == {"reason": ["请填写申诉理由。"]}
    assert not Appeal.objects.exists()


def _decided_days_ago(application, days):
    Decision.objects.filter(application=application, action=Decision.Action.REJECT).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_the_default_period_is_thirty_days(rejected_at, caseworker_g1a):
    application = rejected_at()
    _decided_days_ago(application, 31)
    with pytest.raises(ValidationError, match="申诉期已过.*申诉期为 30 天"):
        lodge(caseworker_g1a, application)
    _decided_days_ago(application, 30)
    assert lodge(caseworker_g1a, application).state == Appeal.State.AT_COMPANY


def test_the_period_is_a_policy_parameter(org, rejected_at, caseworker_g1a):
    PolicyParameterFactory(
        key=PolicyParameter.Key.APPEAL_DAYS,
        value=Decimal("10"),
        unit=org.c1,
        valid_from=datetime.date(2020, 1, 1),
    )
    application = rejected_at()
    _decided_days_ago(application, 11)
    with pytest.raises(ValidationError) as error:
        lodge(caseworker_g1a, application)
    last_day = timezone.localdate() - datetime.timedelta(days=1)
    assert f"申诉期为 10 天，最后一天是 {last_day:%Y-%m-%d}" in error.value.messages[0]
    assert not Appeal.objects.exists()


def test_a_cancellation_counts_from_its_effective_date(cancelled, caseworker_g1a):
    Application.objects.filter(pk=cancelled.pk).update(
        effective_on=timezone.localdate() - datetime.timedelta(days=31)
    )
    cancelled.refresh_from_db()
    with pytest.raises(ValidationError, match="申诉期已过"):
        lodge(caseworker_g1a, cancelled)


def test_a_decision_is_appealed_once(rejected_at, caseworker_g1a, worker_g1a, reviewer2_c1):
    application = rejected_at()
    lodge(caseworker_g1a, application)
    with pytest.raises(ValidationError, match="不能重复申诉"):
        lodge(caseworker_g1a, application)
    # Dismissed, the decision stands: no second appeal against it.
    decide(reviewer2_c1, Appeal.objects.get(), uphold=False, comment="原决定正确。")
    with pytest.raises(ValidationError, match="不能重复申诉"):
        lodge(caseworker_g1a, application)
    assert Appeal.objects.count() == 1


def test_a_new_rejection_after_an_upheld_appeal_may_be_appealed(
    rejected_at, caseworker_g1a, chair_g1a, reviewer2_c1
):
    application = rejected_at()
    decide(reviewer2_c1, lodge(caseworker_g1a, application), send_back_to="submitted")
    act(chair_g1a, application, "reject", "重新审查后仍不符合条件。")
    second = lodge(caseworker_g1a, application)
    assert Appeal.objects.filter(application=application).count() == 2
    assert second.decision.comment == "重新审查后仍不符合条件。"


@pytest.mark.parametrize(
    "who", ["chair_g1a", "reviewer_c1", "committee_c1", "auditor_fed", "caseworker_g2a"]
)
def test_only_the_worker_or_a_caseworker_of_the_union_lodges(rejected_at, request, who):
    application = rejected_at()
    with pytest.raises(PermissionDenied):
        appeals.appeal_lodge(
            actor=request.getfixturevalue(who), application=application, reason="请复查。"
        )
    assert not Appeal.objects.exists()
