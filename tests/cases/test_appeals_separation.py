"""Who decides an appeal: the level's role at the tier above the deciding level, over the
household, and nobody who took part in the decision appealed. Each rule is held by the
service (inside the lock) and by the list of appeals waiting for the person."""

import pytest
from appealkit import decide, lodge
from casekit import act, advance, file
from django.core.exceptions import PermissionDenied
from factories import MemberFactory, person

from cases import services
from cases.appeal_selectors import appeals_to_decide
from cases.models import Appeal, Application, Notice
from hardship.models import Role

pytestmark = pytest.mark.django_db


def refused(user, appeal, reason):
    with pytest.raises(PermissionDenied, match=reason):
        decide(user, appeal)
    assert appeal not in appeals_to_decide(user)
    appeal.refresh_from_db()
    assert appeal.is_open


def allowed(user, appeal):
    assert appeal in appeals_to_decide(user)
    assert decide(user, appeal).state == Appeal.State.UPHELD


def test_a_grassroots_rejection_is_decided_by_a_company_reviewer(
    rejected_at, caseworker_g1a, reviewer_c1
):
    allowed(reviewer_c1, lodge(caseworker_g1a, rejected_at("submitted")))


@pytest.mark.parametrize("who", ["chair_g1a", "chair2_g1a", "committee_c1", "committee_fed"])
def test_no_other_role_or_tier_decides_at_the_company(rejected_at, caseworker_g1a, request, who):
    appeal = lodge(caseworker_g1a, rejected_at("submitted"))
    refused(request.getfixturevalue(who), appeal, "不是“公司工会复查”的办理人")


def test_a_reviewer_of_another_company_does_not_decide(rejected_at, caseworker_g1a, reviewer_c2):
    refused(reviewer_c2, lodge(caseworker_g1a, rejected_at()), "不在您的工作范围内")


@pytest.mark.parametrize("state", ["grassroots_approved", "company_verified"])
def test_a_company_decision_is_decided_by_the_federation_committee(
    rejected_at, caseworker_g1a, committee_fed, reviewer2_c1, state
):
    appeal = lodge(caseworker_g1a, rejected_at(state))
    # A company reviewer with no part in it is still the wrong tier.
    refused(reviewer2_c1, appeal, "不是“上级工会复查”的办理人")
    allowed(committee_fed, appeal)


def test_the_appellant_does_not_decide(org, rejected_at):
    """A caseworker of G1a who is also a reviewer of C1 lodges the appeal."""
    both = person("both_g1a", "顾兼职", (Role.CASEWORKER, org.g1a), (Role.COMPANY_REVIEWER, org.c1))
    appeal = lodge(both, rejected_at())
    refused(both, appeal, "提出申诉的人不能处理该申诉")


def test_the_filer_does_not_decide(org, household_g1a, chair_g1a, caseworker_g1a):
    both = person("both_g1a", "顾兼职", (Role.CASEWORKER, org.g1a), (Role.COMPANY_REVIEWER, org.c1))
    application = file(both, household_g1a)
    act(chair_g1a, application, "reject", "不符合条件。")
    refused(both, lodge(caseworker_g1a, application), "申请人（经办人）不能处理")


def test_the_family_stands_aside(rejected_at, caseworker_g1a, reviewer2_c1, household_g1a):
    reviewer2_c1.id_number = "110101199003078515"
    reviewer2_c1.save()
    MemberFactory(household=household_g1a, relation="child", id_number="110101199003078515")
    refused(reviewer2_c1, lodge(caseworker_g1a, rejected_at()), "应当回避")


def test_whoever_decided_at_any_level_in_any_round_stands_aside(household_g1a, staff, reviewer2_c1):
    """Round 1 reached the company, where reviewer_c1 returned it; round 2 was rejected at
    the grassroots level. The appeal goes to the company: reviewer_c1 took part."""
    caseworker, chair, reviewer = staff["caseworker"], staff["chair"], staff["reviewer"]
    application = file(caseworker, household_g1a)
    advance(application, "grassroots_approved", chair=chair, reviewer=reviewer, committee=None)
    act(reviewer, application, "return", "请补充收入证明。")
    application.refresh_from_db()
    services.application_resubmit(
        actor=caseworker, application=application, reason="已补充。", amount=application.amount
    )
    act(chair, application, "reject", "补充后仍不符合条件。")
    appeal = lodge(caseworker, application)
    refused(reviewer, appeal, "参与过该申请的审批")
    allowed(reviewer2_c1, appeal)


def test_whoever_resolved_an_objection_on_it_stands_aside(
    org, app_at, staff, reviewer2_c1, committee_fed
):
    """A federation committee member who is also a reviewer of C1 dismissed an objection on
    the notice; a second objection was upheld, and the reviewer then rejected it."""
    both = person("both_fed", "钟兼职", (Role.COMMITTEE, org.fed), (Role.COMPANY_REVIEWER, org.c1))
    application = app_at("in_notice")
    notice = Notice.objects.get(application=application)
    first = services.objection_lodge(actor=staff["caseworker"], notice=notice, reason="有车。")
    services.objection_resolve(actor=both, objection=first, uphold=False, resolution="无车。")
    second = services.objection_lodge(actor=staff["chair"], notice=notice, reason="有房。")
    services.objection_resolve(
        actor=reviewer2_c1, objection=second, uphold=True, resolution="属实。"
    )
    act(staff["reviewer"], application, "reject", "经再次核查，不符合条件。")
    application.refresh_from_db()
    assert application.state == Application.State.REJECTED
    appeal = lodge(staff["caseworker"], application)
    refused(both, appeal, "处理过该申请的公示异议")
    allowed(committee_fed, appeal)


def test_an_upheld_objection_is_taking_part(org, app_at, staff):
    """The reviewer who upheld the objection (a decision on the application's trail) and
    is also on the federation's committee does not decide the appeal."""
    both = person("both_fed", "钟兼职", (Role.COMMITTEE, org.fed), (Role.COMPANY_REVIEWER, org.c1))
    application = app_at("in_notice")
    notice = Notice.objects.get(application=application)
    objection = services.objection_lodge(actor=staff["chair"], notice=notice, reason="有房。")
    services.objection_resolve(actor=both, objection=objection, uphold=True, resolution="属实。")
    act(staff["reviewer"], application, "reject", "不符合条件。")
    refused(both, lodge(staff["caseworker"], application), "参与过该申请的审批")


def test_the_auditor_decides_nothing(rejected_at, caseworker_g1a, auditor_fed):
    refused(auditor_fed, lodge(caseworker_g1a, rejected_at()), "不是“公司工会复查”的办理人")
