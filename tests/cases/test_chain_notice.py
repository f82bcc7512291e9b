"""Public notice (公示) and objections (异议): the notice period from policy, the masked list,
who may object and when, and how a company reviewer resolves an objection."""

import datetime
from decimal import Decimal

import pytest
from casekit import act, advance
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from factories import PolicyParameterFactory

from cases import services
from cases.models import Application, Decision, Notice, Objection
from hardship.idnumber import mask_id_number
from hardship.models import PolicyParameter

pytestmark = pytest.mark.django_db

State = Application.State


def lodge(actor, application, reason="听说该户新购置了小汽车，请核实。"):
    return services.objection_lodge(
        actor=actor, notice=Notice.objects.get(application=application), reason=reason
    )


def shift_notice(application, *, days):
    """Move the notice period `days` into the past."""
    notice = Notice.objects.get(application=application)
    notice.starts_on -= datetime.timedelta(days=days)
    notice.ends_on -= datetime.timedelta(days=days)
    notice.save()
    return notice


# --- the notice -------------------------------------------------------------------------------


def test_committee_sign_off_opens_a_notice_of_five_days_by_default(app_at, org):
    application = app_at(State.IN_NOTICE)
    notice = application.notice
    today = timezone.localdate()
    assert (notice.starts_on, notice.ends_on) == (today, today + datetime.timedelta(days=4))
    assert notice.unit == org.c1
    assert notice.closed_on is None


def test_notice_period_comes_from_policy_for_the_company(app_at, org):
    PolicyParameterFactory(key=PolicyParameter.Key.NOTICE_DAYS, value=Decimal("7"), unit=org.c1)
    PolicyParameterFactory(key=PolicyParameter.Key.NOTICE_DAYS, value=Decimal("3"), unit=org.c2)
    notice = app_at(State.IN_NOTICE).notice
    assert notice.ends_on - notice.starts_on == datetime.timedelta(days=6)


def test_notice_list_masks_name_and_id_number(client, app_at, caseworker_g1a, household_g1a):
    app_at(State.IN_NOTICE, amount="6000")
    client.force_login(caseworker_g1a)
    page = client.get(reverse("notice_list")).content.decode()
    assert "张*国" in page
    assert "张建国" not in page
    assert mask_id_number(household_g1a.id_number) in page
    assert household_g1a.id_number not in page
    assert "机修车间工会" in page
    assert "临时救助" in page
    assert "6,000.00" in page


@pytest.mark.parametrize(
    "who", ["worker_g1a", "committee_c1", "finance_c1", "auditor_fed", "chair_g1b"]
)
def test_anyone_in_the_company_sees_the_notice(request, client, app_at, who):
    app_at(State.IN_NOTICE)
    client.force_login(request.getfixturevalue(who))
    assert "张*国" in client.get(reverse("notice_list")).content.decode()


@pytest.mark.parametrize("who", ["caseworker_g2a", "reviewer_c2", "outsider"])
def test_user_of_another_company_does_not_see_the_notice(request, client, app_at, who):
    application = app_at(State.IN_NOTICE)
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("notice_list")).content.decode()
    assert "张*国" not in page
    assert reverse("objection_lodge", args=[application.notice.pk]) not in page


def test_closed_notice_leaves_the_list(client, app_at, caseworker_g1a):
    application = app_at(State.IN_NOTICE)
    notice = shift_notice(application, days=10)
    services.close_due_notices(timezone.localdate())
    notice.refresh_from_db()
    assert notice.closed_on == timezone.localdate()
    client.force_login(caseworker_g1a)
    assert "张*国" not in client.get(reverse("notice_list")).content.decode()


# --- objections --------------------------------------------------------------------------------


def test_worker_of_the_company_can_lodge_an_objection(client, app_at, worker_g1a):
    application = app_at(State.IN_NOTICE)
    client.force_login(worker_g1a)
    response = client.post(
        reverse("objection_lodge", args=[application.notice.pk]),
        {"reason": "该户子女已工作，收入较高。"},
        follow=True,
    )
    assert response.status_code == 200
    assert "异议已提交" in response.content.decode()
    objection = Objection.objects.get()
    assert (objection.lodged_by, objection.status, objection.reason) == (
        worker_g1a,
        Objection.Status.OPEN,
        "该户子女已工作，收入较高。",
    )


def test_chair_of_a_sibling_union_can_lodge_an_objection(app_at, chair_g1b):
    objection = lodge(chair_g1b, app_at(State.IN_NOTICE))
    assert objection.status == Objection.Status.OPEN


def test_user_of_another_company_cannot_lodge_an_objection(client, app_at, caseworker_g2a):
    application = app_at(State.IN_NOTICE)
    with pytest.raises(PermissionDenied):
        lodge(caseworker_g2a, application)
    client.force_login(caseworker_g2a)
    response = client.post(
        reverse("objection_lodge", args=[application.notice.pk]), {"reason": "有异议。"}
    )
    assert response.status_code == 404
    assert not Objection.objects.exists()


def test_user_cannot_lodge_an_objection_without_a_reason(client, app_at, worker_g1a):
    application = app_at(State.IN_NOTICE)
    with pytest.raises(ValidationError):
        lodge(worker_g1a, application, reason="  ")
    client.force_login(worker_g1a)
    response = client.post(
        reverse("objection_lodge", args=[application.notice.pk]), {"reason": ""}, follow=True
    )
    assert "请填写异议理由" in response.content.decode()
    assert not Objection.objects.exists()


def test_user_can_lodge_an_objection_on_the_last_day(app_at, worker_g1a):
    application = app_at(State.IN_NOTICE)
    shift_notice(application, days=4)  # ends today
    assert lodge(worker_g1a, application).status == Objection.Status.OPEN


def test_user_cannot_lodge_an_objection_after_the_period(client, app_at, worker_g1a):
    application = app_at(State.IN_NOTICE)
    shift_notice(application, days=5)  # ended yesterday
    with pytest.raises(ValidationError) as error:
        lodge(worker_g1a, application)
    assert "只能在公示期内提出异议" in " ".join(error.value.messages)
    client.force_login(worker_g1a)
    response = client.post(
        reverse("objection_lodge", args=[application.notice.pk]),
        {"reason": "有异议。"},
        follow=True,
    )
    assert "只能在公示期内提出异议" in response.content.decode()
    assert not Objection.objects.exists()


def test_user_cannot_lodge_an_objection_on_a_closed_notice(app_at, worker_g1a, reviewer2_c1):
    application = app_at(State.IN_NOTICE)
    objection = lodge(worker_g1a, application)
    services.objection_resolve(
        actor=reviewer2_c1, objection=objection, uphold=True, resolution="属实。"
    )
    with pytest.raises(ValidationError):
        lodge(worker_g1a, application, reason="再次异议。")
    assert Objection.objects.count() == 1


def test_open_objection_keeps_the_notice_from_closing(app_at, worker_g1a):
    application = app_at(State.IN_NOTICE)
    lodge(worker_g1a, application)
    day_after = application.notice.ends_on + datetime.timedelta(days=1)
    done, held = services.close_due_notices(day_after)
    assert done == []
    assert [notice.application_id for notice, _why in held] == [application.pk]
    application.refresh_from_db()
    assert application.state == State.IN_NOTICE
    assert application.notice.closed_on is None


def test_reviewer_can_dismiss_an_objection_and_the_notice_goes_on(app_at, worker_g1a, reviewer2_c1):
    application = app_at(State.IN_NOTICE)
    objection = lodge(worker_g1a, application)
    services.objection_resolve(
        actor=reviewer2_c1, objection=objection, uphold=False, resolution="经核实，车辆为借用。"
    )
    objection.refresh_from_db()
    assert (objection.status, objection.resolved_by) == (Objection.Status.DISMISSED, reviewer2_c1)
    assert objection.resolved_at is not None
    application.refresh_from_db()
    assert application.state == State.IN_NOTICE
    assert application.notice.closed_on is None
    # When the period ends it takes effect.
    day_after = application.notice.ends_on + datetime.timedelta(days=1)
    done, held = services.close_due_notices(day_after)
    assert [a.pk for a in done] == [application.pk] and held == []
    application.refresh_from_db()
    assert (application.state, application.effective_on) == (State.EFFECTIVE, day_after)


def test_reviewer_can_uphold_an_objection_back_to_verification(
    app_at, staff, worker_g1a, reviewer2_c1
):
    application = app_at(State.IN_NOTICE)
    objection = lodge(worker_g1a, application)
    services.objection_resolve(
        actor=reviewer2_c1,
        objection=objection,
        uphold=True,
        resolution="异议属实，需重新入户核实。",
    )
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED
    assert application.notice.closed_on == timezone.localdate()
    last = application.decisions.latest("pk")
    assert (last.step, last.action, last.actor, last.comment) == (
        State.IN_NOTICE,
        Decision.Action.OBJECTION_UPHELD,
        reviewer2_c1,
        "异议属实，需重新入户核实。",
    )
    # Verification again, then a fresh notice period.
    advance(
        application,
        State.IN_NOTICE,
        chair=None,
        reviewer=staff["reviewer"],
        committee=staff["committee"],
    )
    application.refresh_from_db()
    assert application.state == State.IN_NOTICE
    assert application.notice.closed_on is None
    assert Notice.objects.filter(application=application).count() == 1


def test_upholding_an_objection_cannot_reject_the_application_outright(
    client, app_at, worker_g1a, reviewer2_c1
):
    """Rejecting what the committee signed is the committee's decision: the page offers no
    such outcome, and a crafted one changes nothing."""
    application = app_at(State.IN_NOTICE)
    objection = lodge(worker_g1a, application)
    client.force_login(reviewer2_c1)
    page = client.get(application.get_absolute_url()).content.decode()
    assert reverse("objection_resolve", args=[objection.pk]) in page
    assert 'value="reject"' not in page.split('id="notice"')[1]
    client.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"outcome": "reject", "resolution": "隐瞒收入。"},
    )
    application.refresh_from_db()
    assert application.state == State.IN_NOTICE
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN
    # Upheld, it goes back to verification and never straight to "rejected".
    services.objection_resolve(
        actor=reviewer2_c1, objection=objection, uphold=True, resolution="隐瞒收入。"
    )
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


def test_reviewer_resolves_through_the_page(client, app_at, worker_g1a, reviewer2_c1):
    application = app_at(State.IN_NOTICE)
    objection = lodge(worker_g1a, application)
    client.force_login(reviewer2_c1)
    page = client.get(application.get_absolute_url()).content.decode()
    assert reverse("objection_resolve", args=[objection.pk]) in page
    response = client.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"outcome": "verify", "resolution": "重新核实。"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


def test_reviewer_cannot_resolve_without_a_resolution(app_at, worker_g1a, reviewer2_c1):
    application = app_at(State.IN_NOTICE)
    objection = lodge(worker_g1a, application)
    with pytest.raises(ValidationError):
        services.objection_resolve(
            actor=reviewer2_c1, objection=objection, uphold=False, resolution=" "
        )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN


def test_reviewer_cannot_resolve_an_objection_twice(app_at, worker_g1a, reviewer2_c1, org):
    from factories import MembershipFactory, UserFactory

    from hardship.models import Role

    reviewer3 = UserFactory(username="reviewer3_c1", full_name="秦复核")
    MembershipFactory(user=reviewer3, unit=org.c1, role=Role.COMPANY_REVIEWER)
    application = app_at(State.IN_NOTICE)
    objection = lodge(worker_g1a, application)
    services.objection_resolve(
        actor=reviewer2_c1, objection=objection, uphold=False, resolution="不属实。"
    )
    with pytest.raises(ValidationError):
        services.objection_resolve(
            actor=reviewer3, objection=objection, uphold=True, resolution="属实。"
        )
    objection.refresh_from_db()
    assert (objection.status, objection.resolved_by) == (Objection.Status.DISMISSED, reviewer2_c1)
    application.refresh_from_db()
    assert application.state == State.IN_NOTICE


@pytest.mark.parametrize("who", ["chair_g1a", "committee_c1", "caseworker_g1a", "worker_g1a"])
def test_others_cannot_resolve_an_objection(request, client, app_at, worker_g1a, who):
    application = app_at(State.IN_NOTICE)
    objection = lodge(worker_g1a, application)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.objection_resolve(
            actor=user, objection=objection, uphold=True, resolution="驳回。"
        )
    client.force_login(user)
    response = client.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"outcome": "verify", "resolution": "驳回。"},
    )
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN
    application.refresh_from_db()
    assert application.state == State.IN_NOTICE


def test_reviewer_of_another_company_cannot_resolve(client, app_at, worker_g1a, reviewer_c2):
    application = app_at(State.IN_NOTICE)
    objection = lodge(worker_g1a, application)
    with pytest.raises(PermissionDenied):
        services.objection_resolve(
            actor=reviewer_c2, objection=objection, uphold=False, resolution="不属实。"
        )
    client.force_login(reviewer_c2)
    response = client.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"outcome": "dismiss", "resolution": "不属实。"},
    )
    assert response.status_code == 404
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN


def test_reviewer_who_is_a_household_member_cannot_resolve(
    app_at, worker_g1a, reviewer2_c1, household_g1a
):
    reviewer2_c1.id_number = household_g1a.members.get().id_number
    reviewer2_c1.save()
    objection = lodge(worker_g1a, app_at(State.IN_NOTICE))
    with pytest.raises(PermissionDenied):
        services.objection_resolve(
            actor=reviewer2_c1, objection=objection, uphold=False, resolution="不属实。"
        )


def test_open_objection_waits_in_the_reviewers_inbox(
    client, app_at, worker_g1a, reviewer2_c1, chair_g1a
):
    application = app_at(State.IN_NOTICE)
    lodge(worker_g1a, application, reason="收入不实。")
    client.force_login(reviewer2_c1)
    page = client.get(reverse("inbox")).content.decode()
    assert "收入不实。" in page
    assert application.number in page
    client.force_login(chair_g1a)
    assert "收入不实。" not in client.get(reverse("inbox")).content.decode()


def test_a_signed_off_application_cannot_be_acted_on_during_notice(app_at, staff):
    application = app_at(State.IN_NOTICE)
    with pytest.raises(PermissionDenied):
        act(staff["committee"], application, "reject", "改变主意。")
    application.refresh_from_db()
    assert application.state == State.IN_NOTICE


def test_upholding_one_objection_settles_the_others_on_the_same_notice(
    app_at, reviewer2_c1, caseworker_g2a, chair_g1a
):
    from cases import services
    from cases.models import Objection

    application = app_at("in_notice")
    first = services.objection_lodge(
        actor=chair_g1a, notice=application.notice, reason="家中有车。"
    )
    second = services.objection_lodge(
        actor=chair_g1a, notice=application.notice, reason="收入不实。"
    )
    services.objection_resolve(
        actor=reviewer2_c1, objection=first, uphold=True, resolution="经核实属实。"
    )
    second.refresh_from_db()
    assert second.status == Objection.Status.UPHELD
    assert "经核实属实" in second.resolution
    assert not Objection.objects.filter(status=Objection.Status.OPEN).exists()


# --- nobody overturns a collective decision alone ----------------------------------------------


def test_reviewer_who_lodged_the_objection_cannot_resolve_it(client, app_at, reviewer2_c1):
    application = app_at(State.IN_NOTICE)
    objection = lodge(reviewer2_c1, application)
    with pytest.raises(PermissionDenied, match="提出异议的人"):
        services.objection_resolve(
            actor=reviewer2_c1, objection=objection, uphold=True, resolution="属实。"
        )
    client.force_login(reviewer2_c1)
    page = client.get(application.get_absolute_url()).content.decode()
    assert reverse("objection_resolve", args=[objection.pk]) not in page
    response = client.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"outcome": "verify", "resolution": "属实。"},
    )
    assert response.status_code == 403
    assert "提出异议的人不能处理该公示的异议" in response.content.decode()
    objection.refresh_from_db()
    application.refresh_from_db()
    assert (objection.status, application.state) == (Objection.Status.OPEN, State.IN_NOTICE)


def test_reviewer_who_acted_on_the_application_cannot_resolve_its_objection(
    client, app_at, staff, worker_g1a
):
    """staff["reviewer"] verified the application at the company level."""
    application = app_at(State.IN_NOTICE)
    objection = lodge(worker_g1a, application)
    with pytest.raises(PermissionDenied, match="办理过该申请"):
        services.objection_resolve(
            actor=staff["reviewer"], objection=objection, uphold=False, resolution="不属实。"
        )
    client.force_login(staff["reviewer"])
    response = client.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"outcome": "dismiss", "resolution": "不属实。"},
    )
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN


def test_reviewer_who_filed_the_application_cannot_resolve_its_objection(
    app_at, reviewer2_c1, household_g1a, worker_g1a, staff
):
    from casekit import file

    application = advance(
        file(reviewer2_c1, household_g1a),
        State.IN_NOTICE,
        chair=staff["chair"],
        reviewer=staff["reviewer"],
        committee=staff["committee"],
    )
    objection = lodge(worker_g1a, application)
    with pytest.raises(PermissionDenied):
        services.objection_resolve(
            actor=reviewer2_c1, objection=objection, uphold=False, resolution="不属实。"
        )


def test_an_objection_the_reviewer_may_not_settle_is_not_in_their_inbox(
    client, app_at, staff, worker_g1a, reviewer2_c1
):
    application = app_at(State.IN_NOTICE)
    lodge(worker_g1a, application, reason="收入不实。")
    client.force_login(staff["reviewer"])
    assert "收入不实。" not in client.get(reverse("inbox")).content.decode()
    client.force_login(reviewer2_c1)
    assert "收入不实。" in client.get(reverse("inbox")).content.decode()


def test_auditor_cannot_lodge_an_objection(client, app_at, auditor_fed):
    application = app_at(State.IN_NOTICE)
    notice = Notice.objects.get(application=application)
    with pytest.raises(PermissionDenied):
        services.objection_lodge(actor=auditor_fed, notice=notice, reason="有异议。")
    client.force_login(auditor_fed)
    for body in ({"reason": "有异议。"}, {}):
        response = client.post(reverse("objection_lodge", args=[notice.pk]), body)
        assert response.status_code == 403
    assert not Objection.objects.exists()


def test_the_notice_page_offers_the_auditor_no_objection_form(client, app_at, auditor_fed):
    application = app_at(State.IN_NOTICE)
    client.force_login(auditor_fed)
    page = client.get(reverse("notice_list")).content.decode()
    assert application.household.union.name in page
    assert reverse("objection_lodge", args=[application.notice.pk]) not in page
