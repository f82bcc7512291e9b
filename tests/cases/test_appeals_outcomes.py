"""What an appeal's outcome does: upheld, the application goes back to the level named (a
cancelled file back in file); dismissed, the decision stands. Both are on the
application's trail and chained; a decision taken twice is "already handled"."""

import pytest
from appealkit import decide, lodge
from casekit import act
from django.core.exceptions import ValidationError
from factories import HouseholdFactory

from audit import consistency
from audit.registry import CHAINS
from cases import appeals, engine
from cases.models import Appeal, AppealDecision, Application, Decision
from casework.selectors import inbox
from hardship.chain import verify
from households.models import Household

pytestmark = pytest.mark.django_db

State = Application.State


def trail(application):
    return list(application.decisions.order_by("pk").values_list("action", "resulting_state"))


def test_upheld_sends_the_application_back_to_the_level_named(
    rejected_at, caseworker_g1a, chair_g1a, reviewer2_c1
):
    application = rejected_at("submitted")
    appeal = decide(reviewer2_c1, lodge(caseworker_g1a, application), send_back_to="submitted")
    assert (appeal.state, appeal.send_back_to) == (Appeal.State.UPHELD, "submitted")
    assert appeal.decided_at is not None
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert trail(application)[-3:] == [
        (Decision.Action.REJECT, State.REJECTED),
        (Decision.Action.APPEAL, State.REJECTED),
        (Decision.Action.APPEAL_UPHELD, State.SUBMITTED),
    ]
    upheld = application.decisions.order_by("pk").last()
    assert (upheld.actor, upheld.acting_unit.code) == (reviewer2_c1, "C1")
    # The chair decides it again, from the inbox; the chain goes on from there.
    assert application in inbox(chair_g1a)
    act(chair_g1a, application, "approve", "复查后同意。")
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


def test_the_federation_may_send_a_committee_rejection_back_to_the_committee(
    rejected_at, caseworker_g1a, committee_fed, committee_c1
):
    application = rejected_at("company_verified")
    decide(committee_fed, lodge(caseworker_g1a, application), send_back_to="company_verified")
    application.refresh_from_db()
    assert application.state == State.COMPANY_VERIFIED
    assert application in inbox(committee_c1)


def test_an_upheld_appeal_does_not_skip_a_level_that_never_approved(
    rejected_at, caseworker_g1a, reviewer2_c1
):
    appeal = lodge(caseworker_g1a, rejected_at("submitted"))
    with pytest.raises(ValidationError, match="不能越过作出原决定的环节"):
        decide(reviewer2_c1, appeal, send_back_to="grassroots_approved")
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.AT_COMPANY
    assert appeal.decisions.count() == 1


def test_upholding_names_a_level(rejected_at, caseworker_g1a, reviewer2_c1):
    appeal = lodge(caseworker_g1a, rejected_at())
    with pytest.raises(ValidationError) as error:
        appeals.appeal_decide(
            actor=reviewer2_c1,
            appeal=appeal,
            uphold=True,
            expected_state=appeal.state,
            comment="属实。",
        )
    assert error.value.message_dict == {"send_back_to": ["申诉成立时须选择退回的环节。"]}


def test_dismissed_the_decision_stands(rejected_at, caseworker_g1a, reviewer2_c1):
    application = rejected_at()
    appeal = decide(
        reviewer2_c1, lodge(caseworker_g1a, application), uphold=False, comment="原决定正确。"
    )
    assert (appeal.state, appeal.send_back_to) == (Appeal.State.DISMISSED, "")
    application.refresh_from_db()
    assert application.state == State.REJECTED
    assert trail(application)[-1] == (Decision.Action.APPEAL_DISMISSED, State.REJECTED)
    assert application.decisions.order_by("pk").last().comment == "原决定正确。"


def test_a_decision_needs_a_comment(rejected_at, caseworker_g1a, reviewer2_c1):
    appeal = lodge(caseworker_g1a, rejected_at())
    with pytest.raises(ValidationError) as error:
        decide(reviewer2_c1, appeal, uphold=False, comment=" ")
    assert error.value.message_dict == {"comment": ["请填写复查意见。"]}


def test_an_upheld_cancellation_puts_the_file_back_in_file(
    cancelled, caseworker_g1a, committee_fed
):
    household = cancelled.household
    household.refresh_from_db()
    assert household.status == Household.Status.CANCELLED
    decide(committee_fed, lodge(caseworker_g1a, cancelled), send_back_to="grassroots_approved")
    household.refresh_from_db()
    assert (household.status, household.cancelled_on) == (Household.Status.IN_FILE, None)
    assert household.history.first().history_change_reason == cancelled.number
    cancelled.refresh_from_db()
    assert (cancelled.state, cancelled.effective_on) == (State.GRASSROOTS_APPROVED, None)


def test_an_upheld_cancellation_is_blocked_when_the_worker_is_in_file_elsewhere(
    cancelled, caseworker_g1a, committee_fed
):
    appeal = lodge(caseworker_g1a, cancelled)
    elsewhere = HouseholdFactory(in_file=True, union=cancelled.household.union)
    Household.objects.filter(pk=elsewhere.pk).update(id_number=cancelled.household.id_number)
    with pytest.raises(ValidationError, match="不能恢复被注销的档案"):
        decide(committee_fed, appeal, send_back_to="submitted")
    cancelled.refresh_from_db()
    assert cancelled.state == State.EFFECTIVE


def test_a_second_decision_is_already_handled(
    rejected_at, caseworker_g1a, reviewer_c1, reviewer2_c1
):
    appeal = lodge(caseworker_g1a, rejected_at())
    seen = appeal.state
    decide(reviewer2_c1, appeal, uphold=False, comment="原决定正确。")
    with pytest.raises(engine.AlreadyHandled, match="该申诉已由 卫复核 于 .* 处理（维持原决定）"):
        appeals.appeal_decide(
            actor=reviewer_c1,
            appeal=appeal,
            uphold=True,
            expected_state=seen,
            comment="属实。",
            send_back_to="submitted",
        )
    assert AppealDecision.objects.filter(appeal=appeal).count() == 2


def test_the_chains_and_the_consistency_check_hold(rejected_at, caseworker_g1a, reviewer2_c1):
    decide(reviewer2_c1, lodge(caseworker_g1a, rejected_at()), send_back_to="submitted")
    decide(reviewer2_c1, lodge(caseworker_g1a, rejected_at()), uphold=False, comment="正确。")
    for spec in CHAINS:
        if spec.name in ("decisions", "appeal_decisions"):
            walk = verify(spec.rows(), spec.content_of)
            assert (walk.checked > 0, walk.problems) == (True, []), spec.name
    ok, lines = consistency.applications()
    assert ok, lines
