"""Every allowed move along the chain, and every forbidden one: wrong role, wrong level,
wrong scope, the same person at two levels, the filer approving, a person deciding about
their own household."""

import datetime

import pytest
from casekit import act, advance, edit_household, file, investigate, latest_version
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from factories import MemberFactory, make_id_number

from cases import chain, engine, services
from cases.models import Application, Decision

pytestmark = pytest.mark.django_db

State = Application.State


def test_chain_table_declares_three_levels_in_order():
    assert [
        (level.state, level.role, level.unit_kind, level.approve_to) for level in chain.CHAIN
    ] == [
        ("submitted", "grassroots_chair", "grassroots", "grassroots_approved"),
        ("grassroots_approved", "company_reviewer", "company", "company_verified"),
        ("company_verified", "committee", "company", "in_notice"),
    ]


# --- allowed --------------------------------------------------------------------------------


def test_chair_can_approve_at_grassroots_review(app_at, chair_g1a, org):
    application = app_at(State.SUBMITTED)
    version = latest_version(application.household)
    act(chair_g1a, application)
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED
    decision = application.decisions.latest("pk")
    assert (decision.step, decision.action, decision.actor, decision.acting_unit) == (
        State.SUBMITTED,
        Decision.Action.APPROVE,
        chair_g1a,
        org.g1a,
    )
    assert decision.round == 1
    assert decision.household_version == version


def test_reviewer_can_approve_at_company_verification(app_at, reviewer_c1, org):
    application = app_at(State.GRASSROOTS_APPROVED)
    investigate(reviewer_c1, application)
    act(reviewer_c1, application, comment="经入户调查核实。")
    application.refresh_from_db()
    assert application.state == State.COMPANY_VERIFIED
    decision = application.decisions.latest("pk")
    assert (decision.step, decision.actor, decision.acting_unit, decision.comment) == (
        State.GRASSROOTS_APPROVED,
        reviewer_c1,
        org.c1,
        "经入户调查核实。",
    )
    assert decision.household_version == latest_version(application.household)


def test_committee_can_sign_off_into_notice(app_at, committee_c1, org):
    application = app_at(State.COMPANY_VERIFIED)
    act(committee_c1, application)
    application.refresh_from_db()
    assert application.state == State.IN_NOTICE
    decision = application.decisions.latest("pk")
    assert (decision.step, decision.actor, decision.acting_unit) == (
        State.COMPANY_VERIFIED,
        committee_c1,
        org.c1,
    )
    assert application.notice.unit == org.c1


def test_chain_records_one_decision_per_step_with_the_version_seen(staff, household_g1a):
    application = file(staff["caseworker"], household_g1a)
    seen = [latest_version(household_g1a)]
    # The file changes between the levels: each decision pins the version its decider saw.
    act(staff["chair"], application)
    edit_household(household_g1a, staff["caseworker"], vehicles=1)
    seen.append(latest_version(household_g1a))
    investigate(staff["reviewer"], application)
    act(staff["reviewer"], application)
    edit_household(household_g1a, staff["caseworker"], savings=1200)
    seen.append(latest_version(household_g1a))
    act(staff["committee"], application)

    trail = list(application.decisions.order_by("pk"))
    assert [(d.step, d.action, d.actor) for d in trail] == [
        (State.SUBMITTED, "submit", staff["caseworker"]),
        (State.SUBMITTED, "approve", staff["chair"]),
        (State.GRASSROOTS_APPROVED, "approve", staff["reviewer"]),
        (State.COMPANY_VERIFIED, "approve", staff["committee"]),
    ]
    assert [d.household_version for d in trail[1:]] == seen
    assert len(set(seen)) == 3


def test_second_chair_of_the_union_can_approve(app_at, chair2_g1a):
    application = act(chair2_g1a, app_at(State.SUBMITTED))
    assert application.state == State.GRASSROOTS_APPROVED


def test_dual_role_user_can_act_at_company_level_when_someone_else_reviewed_first(
    app_at, dual_g1a, org
):
    application = app_at(State.GRASSROOTS_APPROVED)
    investigate(dual_g1a, application)
    application = act(dual_g1a, application)
    assert application.state == State.COMPANY_VERIFIED
    assert application.decisions.latest("pk").acting_unit == org.c1


def test_chair_can_act_through_the_page(client, app_at, chair_g1a):
    application = app_at(State.SUBMITTED)
    client.force_login(chair_g1a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert reverse("application_act", args=[application.pk]) in page
    response = client.post(
        reverse("application_act", args=[application.pk]),
        {"action": "approve", "comment": "情况属实。", "expected_state": "submitted"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


# --- forbidden ------------------------------------------------------------------------------

# (state the application waits in, user fixture, answer of the act page: 403 in scope, 404 out)
FORBIDDEN = [
    # wrong role
    (State.SUBMITTED, "caseworker_g1a", 403),
    (State.SUBMITTED, "finance_c1", 403),
    (State.SUBMITTED, "auditor_fed", 403),
    (State.SUBMITTED, "worker_g1a", 404),
    (State.SUBMITTED, "outsider", 404),
    (State.GRASSROOTS_APPROVED, "finance_c1", 403),
    (State.GRASSROOTS_APPROVED, "auditor_fed", 403),
    (State.GRASSROOTS_APPROVED, "caseworker_g1a", 403),
    (State.COMPANY_VERIFIED, "finance_c1", 403),
    (State.COMPANY_VERIFIED, "auditor_fed", 403),
    # wrong level
    (State.SUBMITTED, "reviewer_c1", 403),
    (State.SUBMITTED, "committee_c1", 403),
    (State.GRASSROOTS_APPROVED, "chair2_g1a", 403),
    (State.GRASSROOTS_APPROVED, "committee_c1", 403),
    (State.COMPANY_VERIFIED, "chair2_g1a", 403),
    (State.COMPANY_VERIFIED, "reviewer2_c1", 403),
    # wrong scope
    (State.SUBMITTED, "chair_g1b", 404),
    (State.SUBMITTED, "chair_g2a", 404),
    (State.GRASSROOTS_APPROVED, "reviewer_c2", 404),
    (State.COMPANY_VERIFIED, "committee_c2", 404),
]


@pytest.mark.parametrize("state, who, status", FORBIDDEN)
def test_user_cannot_act_outside_role_level_or_scope(request, app_at, state, who, status):
    application = app_at(state)
    user = request.getfixturevalue(who)
    if state == State.GRASSROOTS_APPROVED:
        investigate(request.getfixturevalue("reviewer_c1"), application)
    decisions = application.decisions.count()
    for action, comment in (
        ("approve", ""),
        ("return", "请补充材料。"),
        ("reject", "不符合条件。"),
    ):
        with pytest.raises(PermissionDenied):
            engine.decide(
                chain=services.APPLICATION_APPROVAL,
                actor=user,
                obj=application,
                action=action,
                expected_state=state,
                comment=comment,
            )
    application.refresh_from_db()
    assert application.state == state
    assert application.decisions.count() == decisions


@pytest.mark.parametrize("state, who, status", FORBIDDEN)
def test_user_cannot_act_through_the_page(request, client, app_at, state, who, status):
    application = app_at(state)
    user = request.getfixturevalue(who)
    if state == State.GRASSROOTS_APPROVED:
        investigate(request.getfixturevalue("reviewer_c1"), application)
    client.force_login(user)
    if status == 403:
        page = client.get(application.get_absolute_url()).content.decode()
        assert reverse("application_act", args=[application.pk]) not in page
    response = client.post(
        reverse("application_act", args=[application.pk]),
        {"action": "approve", "comment": "", "expected_state": state},
    )
    assert response.status_code == status
    application.refresh_from_db()
    assert application.state == state


def test_dual_role_user_cannot_act_at_company_level_after_acting_as_chair(
    app_at, dual_g1a, reviewer_c1
):
    application = app_at(State.SUBMITTED)
    act(dual_g1a, application)
    investigate(reviewer_c1, application)  # so that only the same-person rule stands in the way
    with pytest.raises(PermissionDenied) as error:
        act(dual_g1a, application)
    assert "同一人不能在同一申请的两个审批环节办理" in str(error.value)
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


def test_dual_role_user_sees_why_not_on_the_page(client, app_at, dual_g1a, reviewer_c1):
    application = app_at(State.SUBMITTED)
    act(dual_g1a, application)
    investigate(reviewer_c1, application)
    client.force_login(dual_g1a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "同一人不能在同一申请的两个审批环节办理" in page
    assert reverse("application_act", args=[application.pk]) not in page
    response = client.post(
        reverse("application_act", args=[application.pk]),
        {"action": "approve", "comment": "", "expected_state": "grassroots_approved"},
    )
    assert response.status_code == 403


def test_dual_role_user_cannot_act_as_chair_in_a_later_round_after_acting_as_reviewer(
    staff, household_g1a, dual_g1a
):
    application = file(staff["caseworker"], household_g1a)
    act(staff["chair"], application)
    act(dual_g1a, application, "return", "请补充收入证明。")
    services.application_resubmit(
        actor=staff["caseworker"],
        application=application,
        reason="已补充收入证明。",
        amount=application.amount,
    )
    with pytest.raises(PermissionDenied):
        act(dual_g1a, application)


def test_filer_who_is_also_chair_cannot_approve_own_application(
    client, filer_chair_g1a, household_g1a
):
    application = file(filer_chair_g1a, household_g1a)
    with pytest.raises(PermissionDenied) as error:
        act(filer_chair_g1a, application)
    assert "不能审批自己提交的申请" in str(error.value)
    client.force_login(filer_chair_g1a)
    response = client.post(
        reverse("application_act", args=[application.pk]),
        {"action": "approve", "comment": "", "expected_state": "submitted"},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.decisions.count() == 1
    # Nor does it wait in the filer's inbox.
    assert application.number not in client.get(reverse("inbox")).content.decode()


def test_chair_who_is_the_households_worker_cannot_act(app_at, chair2_g1a, household_g1a):
    chair2_g1a.id_number = household_g1a.id_number
    chair2_g1a.save()
    application = app_at(State.SUBMITTED)
    with pytest.raises(PermissionDenied) as error:
        act(chair2_g1a, application)
    assert "应当回避" in str(error.value)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_reviewer_who_is_a_member_of_the_household_cannot_act(
    app_at, reviewer2_c1, reviewer_c1, household_g1a
):
    member = MemberFactory(
        household=household_g1a, relation="child", id_number=make_id_number(seq=321, sex="M")
    )
    reviewer2_c1.id_number = member.id_number
    reviewer2_c1.save()
    application = app_at(State.GRASSROOTS_APPROVED)
    investigate(reviewer_c1, application)
    with pytest.raises(PermissionDenied) as error:
        act(reviewer2_c1, application)
    assert "应当回避" in str(error.value)
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


def test_committee_member_with_an_unrelated_id_number_can_act(app_at, committee_c1):
    committee_c1.id_number = make_id_number(seq=444)
    committee_c1.save()
    assert act(committee_c1, app_at(State.COMPANY_VERIFIED)).state == State.IN_NOTICE


def test_chair_who_holds_the_worker_account_cannot_act(
    org, chair2_g1a, caseworker_g1a, household_g1a
):
    household_g1a.worker_account = chair2_g1a
    household_g1a.save()
    application = file(caseworker_g1a, household_g1a)
    with pytest.raises(PermissionDenied):
        act(chair2_g1a, application)


@pytest.mark.parametrize(
    "state", [State.IN_NOTICE, State.RETURNED, State.REJECTED, State.EFFECTIVE]
)
def test_nobody_can_approve_outside_the_review_levels(app_at, staff, state):
    target = {State.RETURNED: State.SUBMITTED, State.REJECTED: State.SUBMITTED}.get(
        state, State.IN_NOTICE
    )
    application = app_at(target)
    if state in (State.RETURNED, State.REJECTED):
        act(
            staff["chair"], application, "return" if state == State.RETURNED else "reject", "意见。"
        )
    if state == State.EFFECTIVE:
        services.close_due_notices(application.notice.ends_on + datetime.timedelta(days=1))
    application.refresh_from_db()
    assert application.state == state
    count = application.decisions.count()
    for actor in (staff["chair"], staff["reviewer"], staff["committee"]):
        with pytest.raises(PermissionDenied):
            engine.decide(
                chain=services.APPLICATION_APPROVAL,
                actor=actor,
                obj=application,
                action="approve",
                expected_state=state,
            )
    assert application.decisions.count() == count


def test_stale_state_is_already_handled(app_at, chair_g1a, chair2_g1a):
    application = app_at(State.SUBMITTED)
    act(chair_g1a, application)
    with pytest.raises(engine.AlreadyHandled) as error:
        engine.decide(
            chain=services.APPLICATION_APPROVAL,
            actor=chair2_g1a,
            obj=application,
            action="approve",
            expected_state="submitted",
        )
    assert "已由 李主席 于" in error.value.messages[0]
    assert "处理" in error.value.messages[0]


def test_chair_sees_already_handled_message_through_the_page(client, app_at, chair_g1a, chair2_g1a):
    application = app_at(State.SUBMITTED)
    act(chair_g1a, application)
    client.force_login(chair2_g1a)
    response = client.post(
        reverse("application_act", args=[application.pk]),
        {"action": "return", "comment": "请补充。", "expected_state": "submitted"},
        follow=True,
    )
    assert response.status_code == 200
    assert "已由 李主席 于" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


def test_invalid_action_is_refused(app_at, chair_g1a):
    application = app_at(State.SUBMITTED)
    with pytest.raises(ValidationError):
        engine.decide(
            chain=services.APPLICATION_APPROVAL,
            actor=chair_g1a,
            obj=application,
            action="effective",
            expected_state="submitted",
        )
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_applications_of_other_kinds_climb_the_same_chain(staff, household_g1a, medical_tiers):
    application = file(staff["caseworker"], household_g1a, "medical", "17775", self_paid="23500")
    application = advance(
        application,
        State.IN_NOTICE,
        chair=staff["chair"],
        reviewer=staff["reviewer"],
        committee=staff["committee"],
    )
    assert application.state == State.IN_NOTICE
    assert [d.action for d in application.decisions.order_by("pk")] == [
        "submit",
        "approve",
        "approve",
        "approve",
    ]
