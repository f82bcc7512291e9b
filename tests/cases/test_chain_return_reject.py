"""Return for correction and reject, at every level: both need a comment; a return goes back
to the filer, whose resubmission starts the chain again and keeps the trail; a rejection ends
the application. Company verification needs an investigation and the required evidence."""

import datetime

import pytest
from casekit import act, advance, file, investigate
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from factories import HardshipCauseFactory, HouseholdFactory
from formdata import PDF_BYTES

from cases import engine, services
from cases.models import Application, EvidenceRequirement, Investigation
from households.models import Evidence

pytestmark = pytest.mark.django_db

State = Application.State
LEVELS = [
    (State.SUBMITTED, "chair"),
    (State.GRASSROOTS_APPROVED, "reviewer"),
    (State.COMPANY_VERIFIED, "committee"),
]


@pytest.mark.parametrize("state, who", LEVELS)
@pytest.mark.parametrize("action", ["return", "reject"])
def test_decider_cannot_return_or_reject_without_comment(app_at, staff, state, who, action):
    application = app_at(state)
    count = application.decisions.count()
    for comment in ("", "   "):
        with pytest.raises(ValidationError) as error:
            engine.decide(
                chain=services.APPLICATION_APPROVAL,
                actor=staff[who],
                obj=application,
                action=action,
                expected_state=state,
                comment=comment,
            )
        assert error.value.message_dict["comment"] == ["退回或不同意时必须填写意见。"]
    application.refresh_from_db()
    assert application.state == state
    assert application.decisions.count() == count


@pytest.mark.parametrize("action", ["return", "reject"])
def test_chair_sees_comment_required_through_the_page(client, app_at, chair_g1a, action):
    application = app_at(State.SUBMITTED)
    client.force_login(chair_g1a)
    response = client.post(
        reverse("application_act", args=[application.pk]),
        {"action": action, "comment": "", "expected_state": "submitted"},
    )
    assert response.status_code == 400
    assert "退回或不同意时必须填写意见" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


@pytest.mark.parametrize("state, who", LEVELS)
def test_decider_can_return_to_the_filer(client, app_at, staff, state, who):
    application = app_at(state)
    act(staff[who], application, "return", "请补充近三个月收入证明。")
    application.refresh_from_db()
    assert application.state == State.RETURNED
    decision = application.decisions.latest("pk")
    assert (decision.step, decision.action, decision.comment) == (
        state,
        "return",
        "请补充近三个月收入证明。",
    )
    # It now waits in the filer's inbox, and in nobody else's.
    client.force_login(staff["caseworker"])
    assert application.number in client.get(reverse("inbox")).content.decode()
    client.force_login(staff["chair"])
    assert application.number not in client.get(reverse("inbox")).content.decode()


@pytest.mark.parametrize("state, who", LEVELS)
def test_decider_can_reject_which_ends_the_application(app_at, staff, state, who):
    application = app_at(state)
    act(staff[who], application, "reject", "不符合临时救助条件。")
    application.refresh_from_db()
    assert application.state == State.REJECTED
    assert not application.is_open
    with pytest.raises(ValidationError):
        services.application_resubmit(
            actor=staff["caseworker"],
            application=application,
            reason="再试一次。",
            amount=application.amount,
        )
    with pytest.raises(engine.AlreadyHandled):
        engine.decide(
            chain=services.APPLICATION_APPROVAL,
            actor=staff[who],
            obj=application,
            action="approve",
            expected_state=state,
        )
    application.refresh_from_db()
    assert application.state == State.REJECTED


def test_filer_can_resubmit_a_returned_application_and_the_chain_restarts(staff, app_at):
    application = app_at(State.COMPANY_VERIFIED)
    act(staff["committee"], application, "return", "金额依据不足。")
    services.application_resubmit(
        actor=staff["caseworker"],
        application=application,
        reason="已补充医院费用清单，金额按实际损失核定。",
        amount=application.amount - 1000,
    )
    application.refresh_from_db()
    assert (application.state, application.round) == (State.SUBMITTED, 2)
    assert application.reason == "已补充医院费用清单，金额按实际损失核定。"
    trail = [(d.round, d.step, d.action) for d in application.decisions.order_by("pk")]
    assert trail == [
        (1, State.SUBMITTED, "submit"),
        (1, State.SUBMITTED, "approve"),
        (1, State.GRASSROOTS_APPROVED, "approve"),
        (1, State.COMPANY_VERIFIED, "return"),
        (2, State.SUBMITTED, "resubmit"),
    ]
    # The same people take it up again from the first level.
    application = advance(
        application,
        State.IN_NOTICE,
        chair=staff["chair"],
        reviewer=staff["reviewer"],
        committee=staff["committee"],
    )
    assert application.state == State.IN_NOTICE
    assert application.decisions.filter(round=2).count() == 4


def test_filer_can_resubmit_through_the_page(client, app_at, staff):
    application = app_at(State.SUBMITTED)
    act(staff["chair"], application, "return", "理由过于简单。")
    client.force_login(staff["caseworker"])
    url = reverse("application_resubmit", args=[application.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"reason": "配偶住院两个月，收入中断，已附诊断证明。", "amount": "4000"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.round, str(application.amount)) == (
        State.SUBMITTED,
        2,
        "4000.00",
    )
    page = client.get(application.get_absolute_url()).content.decode()
    assert "理由过于简单。" in page  # the earlier trail is kept on the page
    assert "第2次提交" in page


def test_filer_cannot_resubmit_above_the_cap(app_at, staff, emergency_cap):
    application = app_at(State.SUBMITTED)
    act(staff["chair"], application, "return", "请核实金额。")
    with pytest.raises(ValidationError) as error:
        services.application_resubmit(
            actor=staff["caseworker"],
            application=application,
            reason="改为两万五。",
            amount=application.amount * 5,
        )
    assert "20,000.00" in " ".join(error.value.messages)
    application.refresh_from_db()
    assert (application.state, application.round) == (State.RETURNED, 1)


@pytest.mark.parametrize("who", ["chair", "reviewer", "committee"])
def test_others_cannot_resubmit(client, app_at, staff, who):
    application = app_at(State.SUBMITTED)
    act(staff["chair"], application, "return", "请补充。")
    with pytest.raises(PermissionDenied):
        services.application_resubmit(
            actor=staff[who], application=application, reason="改。", amount=application.amount
        )
    client.force_login(staff[who])
    assert client.get(reverse("application_resubmit", args=[application.pk])).status_code == 403
    application.refresh_from_db()
    assert application.state == State.RETURNED


def test_filer_cannot_resubmit_an_application_that_was_not_returned(client, app_at, staff):
    application = app_at(State.SUBMITTED)
    with pytest.raises(ValidationError):
        services.application_resubmit(
            actor=staff["caseworker"],
            application=application,
            reason="改。",
            amount=application.amount,
        )
    client.force_login(staff["caseworker"])
    assert client.get(reverse("application_resubmit", args=[application.pk])).status_code == 403
    application.refresh_from_db()
    assert application.round == 1


# --- company verification --------------------------------------------------------------------


def test_reviewer_cannot_approve_without_an_investigation(app_at, reviewer_c1):
    application = app_at(State.GRASSROOTS_APPROVED)
    with pytest.raises(ValidationError) as error:
        act(reviewer_c1, application)
    assert "复核前须先登记入户调查" in " ".join(error.value.messages)
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


def test_reviewer_can_return_without_an_investigation(app_at, reviewer_c1):
    """Only approval needs the investigation."""
    application = act(reviewer_c1, app_at(State.GRASSROOTS_APPROVED), "return", "材料不全。")
    assert application.state == State.RETURNED


@pytest.fixture
def establishment(org, app_at):
    """An establishment application (建档) for a draft household of G1a whose cause is illness:
    policy asks for the evidence of every cause of a new file."""
    draft = HouseholdFactory(union=org.g1a, worker_name="钱新户")
    HardshipCauseFactory(household=draft, cause="illness")
    return lambda state: app_at(state, household=draft, kind="establish", amount=None)


def add_diagnosis(household):
    evidence = Evidence(
        household=household,
        cause="illness",
        kind="diagnosis",
        original_name="诊断证明.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    evidence.file.save("诊断证明.pdf", ContentFile(PDF_BYTES), save=True)


def test_reviewer_cannot_approve_while_required_evidence_is_missing(
    establishment, reviewer_c1, illness_needs_diagnosis
):
    application = establishment(State.GRASSROOTS_APPROVED)
    investigate(reviewer_c1, application)
    with pytest.raises(ValidationError) as error:
        act(reviewer_c1, application)
    assert "缺少证明材料：因病：诊断证明" in " ".join(error.value.messages)
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


def test_reviewer_sees_blockers_and_a_disabled_approve_button(
    client, establishment, reviewer_c1, illness_needs_diagnosis
):
    application = establishment(State.GRASSROOTS_APPROVED)
    client.force_login(reviewer_c1)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "复核前须先登记入户调查" in page
    assert "缺少证明材料：因病：诊断证明" in page
    assert 'value="approve" type="submit" disabled' in page
    response = client.post(
        reverse("application_act", args=[application.pk]),
        {"action": "approve", "comment": "", "expected_state": "grassroots_approved"},
    )
    assert response.status_code == 400
    assert "复核前须先登记入户调查" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


def test_reviewer_can_approve_after_investigation_and_evidence(
    establishment, reviewer_c1, illness_needs_diagnosis
):
    application = establishment(State.GRASSROOTS_APPROVED)
    investigate(reviewer_c1, application)
    with pytest.raises(ValidationError):
        act(reviewer_c1, application)
    add_diagnosis(application.household)
    assert act(reviewer_c1, application).state == State.COMPANY_VERIFIED


def test_reviewer_can_approve_aid_without_cause_evidence_checked_at_establishment(
    app_at, reviewer_c1, illness_needs_diagnosis
):
    """Per-cause documents are checked when the file is established; relief for a household
    already in file needs only what policy asks of its own kind."""
    application = app_at(State.GRASSROOTS_APPROVED)
    investigate(reviewer_c1, application)
    assert act(reviewer_c1, application).state == State.COMPANY_VERIFIED


def test_reviewer_cannot_approve_medical_aid_without_the_bills(
    staff, household_g1a, evidence_g1a, medical_tiers
):
    EvidenceRequirement.objects.create(application_kind="medical", evidence_kind="medical_bills")
    application = file(staff["caseworker"], household_g1a, "medical", "17775", self_paid="23500")
    advance(
        application, State.GRASSROOTS_APPROVED, chair=staff["chair"], reviewer=None, committee=None
    )
    investigate(staff["reviewer"], application)
    with pytest.raises(ValidationError) as error:
        act(staff["reviewer"], application)
    assert "医疗费用票据" in " ".join(error.value.messages)
    bills = Evidence(
        household=household_g1a,
        cause="illness",
        kind="medical_bills",
        original_name="住院发票.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    bills.file.save("住院发票.pdf", ContentFile(PDF_BYTES), save=True)
    assert act(staff["reviewer"], application).state == State.COMPANY_VERIFIED


def test_submission_page_shows_what_evidence_is_missing(
    client, establishment, caseworker_g1a, illness_needs_diagnosis
):
    application = establishment(State.SUBMITTED)
    client.force_login(caseworker_g1a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "尚缺" in page
    assert "因病：诊断证明" in page
    add_diagnosis(application.household)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "尚缺" not in page
    assert "政策要求的证明材料已齐全" in page


def test_reviewer_can_record_an_investigation_through_the_page(client, app_at, reviewer_c1):
    application = app_at(State.GRASSROOTS_APPROVED)
    client.force_login(reviewer_c1)
    response = client.post(
        reverse("investigation_add", args=[application.pk]),
        {
            "method": "home_visit",
            "visited_on": timezone.localdate().isoformat(),
            "investigators": "孙复核",
            "findings": "入户核实，情况属实。",
        },
    )
    assert response.status_code == 302
    investigation = Investigation.objects.get()
    assert (investigation.application, investigation.recorded_by) == (application, reviewer_c1)


def test_reviewer_cannot_record_an_investigation_dated_in_the_future(app_at, reviewer_c1):
    application = app_at(State.GRASSROOTS_APPROVED)
    with pytest.raises(ValidationError):
        services.investigation_record(
            actor=reviewer_c1,
            application=application,
            method="home_visit",
            visited_on=timezone.localdate() + datetime.timedelta(days=1),
            investigators="孙复核",
            findings="……",
        )
    assert not Investigation.objects.exists()


def test_chair_cannot_record_an_investigation(client, app_at, chair2_g1a):
    application = app_at(State.GRASSROOTS_APPROVED)
    with pytest.raises(PermissionDenied):
        investigate(chair2_g1a, application)
    client.force_login(chair2_g1a)
    response = client.post(
        reverse("investigation_add", args=[application.pk]),
        {
            "method": "home_visit",
            "visited_on": timezone.localdate().isoformat(),
            "investigators": "马",
            "findings": "…",
        },
    )
    assert response.status_code == 403
    assert not Investigation.objects.exists()


def test_reviewer_cannot_record_an_investigation_at_the_first_level(app_at, reviewer_c1):
    application = app_at(State.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        investigate(reviewer_c1, application)
    assert "不需要登记调查" in " ".join(error.value.messages)


def test_dual_role_user_cannot_record_the_investigation_after_acting_as_chair(app_at, dual_g1a):
    application = app_at(State.SUBMITTED)
    act(dual_g1a, application)
    with pytest.raises(PermissionDenied) as error:
        investigate(dual_g1a, application)
    assert "同一人不能在同一申请的两个审批环节办理" in str(error.value)
    assert not Investigation.objects.exists()


def test_reviewer_cannot_investigate_own_family(app_at, reviewer2_c1, household_g1a):
    reviewer2_c1.id_number = household_g1a.members.get().id_number
    reviewer2_c1.save()
    application = app_at(State.GRASSROOTS_APPROVED)
    with pytest.raises(PermissionDenied):
        investigate(reviewer2_c1, application)
    assert not Investigation.objects.exists()
