"""Changes reported (情况变更, 动态管理): reporting, the must-visit a report opens, review by
the responsible person, acceptance updating the file with history, the exit proposal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from factories import HouseholdFactory, MemberFactory, person
from formdata import household_edit_data

from cases import services as case_services
from cases.models import Application
from casework import changes
from casework.models import ChangeReport, Duty
from hardship.models import Role
from households.models import Household, Member

KIND = ChangeReport.Kind
TODAY = timezone.localdate


def report(actor, household, kind=KIND.EMPLOYMENT, **fields):
    values = {"occurred_on": TODAY(), "description": "儿子大学毕业，已参加工作，月薪3000元。"}
    values.update(fields)
    return changes.change_report(actor=actor, household=household, kind=kind, **values)


def low_income(household):
    """Pension down to 400 yuan: 200 per person, below the 280 hardship threshold; the
    spouse's chronic illness bears out the cause (因病)."""
    household.income_items.update(monthly_amount="400.00")
    household.members.update(health=Member.Health.CHRONIC)
    return household


def accept_data(household, *, propose_exit=False, note="", **fields):
    data = household_edit_data(Household.objects.get(pk=household.pk), **fields)
    data["accept-note"] = note
    if propose_exit:
        data["accept-propose_exit"] = "on"
    return data


# Reporting ----------------------------------------------------------------------------------


def test_the_worker_reports_a_change_from_their_own_page(client, worker_g1a, worker_household):
    client.force_login(worker_g1a)
    assert (
        reverse("change_create", args=[worker_household.pk])
        in client.get(reverse("dashboard")).content.decode()
    )

    response = client.post(
        reverse("change_create", args=[worker_household.pk]),
        {
            "kind": KIND.GRADUATION,
            "occurred_on": TODAY().isoformat(),
            "description": "女儿考上大学。",
        },
    )

    row = ChangeReport.objects.get()
    assert response.status_code == 302 and response["Location"] == row.get_absolute_url()
    assert (row.household, row.reported_by) == (worker_household, worker_g1a)
    assert (row.source, row.status) == (ChangeReport.Source.WORKER, ChangeReport.Status.PENDING)
    assert not Duty.objects.exists()


def test_a_caseworker_reports_from_the_household_page(client, caseworker_g1a, household_g1a):
    client.force_login(caseworker_g1a)
    page = client.get(reverse("household_detail", args=[household_g1a.pk])).content.decode()
    assert reverse("change_create", args=[household_g1a.pk]) in page
    spouse = household_g1a.members.get()
    response = client.post(
        reverse("change_create", args=[household_g1a.pk]),
        {
            "kind": KIND.EMPLOYMENT,
            "occurred_on": TODAY().isoformat(),
            "member": spouse.pk,
            "description": "配偶在超市找到工作。",
        },
    )
    assert response.status_code == 302
    row = ChangeReport.objects.get()
    assert (row.member, row.source) == (spouse, ChangeReport.Source.CASEWORKER)


@pytest.mark.parametrize(
    ("kind", "duty_kind"),
    [
        (KIND.HOSPITAL, Duty.Kind.HOSPITAL_VISIT),
        (KIND.DEATH, Duty.Kind.BEREAVEMENT_VISIT),
        (KIND.EMERGENCY, Duty.Kind.EMERGENCY_VISIT),
    ],
)
def test_hospital_death_and_emergency_open_the_must_visit(
    caseworker_g1a, household_g1a, kind, duty_kind
):
    day = TODAY() - datetime.timedelta(days=2)
    row = report(caseworker_g1a, household_g1a, kind, occurred_on=day, description="突发情况")
    duty = Duty.objects.get(household=household_g1a)
    assert row.duty == duty
    assert (duty.kind, duty.event_on, duty.done_on) == (duty_kind, day, None)
    assert duty.due_on > day
    assert duty.reason.startswith(f"情况变更：{row.get_kind_display()}")


def test_a_hospitalisation_reported_by_the_worker_opens_the_hospital_visit(
    client, worker_g1a, worker_household
):
    client.force_login(worker_g1a)
    day = TODAY() - datetime.timedelta(days=1)
    response = client.post(
        reverse("change_create", args=[worker_household.pk]),
        {"kind": KIND.HOSPITAL, "occurred_on": day.isoformat(), "description": "本人住院。"},
        follow=True,
    )
    duty = Duty.objects.get(household=worker_household)
    assert (duty.kind, duty.event_on) == (Duty.Kind.HOSPITAL_VISIT, day)
    assert "住院必访" in response.content.decode()


def test_other_changes_open_no_duty(caseworker_g1a, household_g1a):
    for kind in (KIND.GRADUATION, KIND.RECOVERY, KIND.DIVORCE, KIND.MOVE, KIND.OTHER):
        report(caseworker_g1a, household_g1a, kind)
    assert not Duty.objects.exists()


def test_a_date_in_the_future_is_refused(client, caseworker_g1a, household_g1a):
    with pytest.raises(ValidationError) as error:
        report(caseworker_g1a, household_g1a, occurred_on=TODAY() + datetime.timedelta(days=1))
    assert "发生日期不能晚于今天" in str(error.value)
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("change_create", args=[household_g1a.pk]),
        {
            "kind": KIND.HOSPITAL,
            "occurred_on": (TODAY() + datetime.timedelta(days=3)).isoformat(),
            "description": "明天住院",
        },
    )
    assert response.status_code == 200
    assert "发生日期不能晚于今天" in response.content.decode()
    assert not ChangeReport.objects.exists() and not Duty.objects.exists()


@pytest.mark.parametrize(
    "status", [Household.Status.DRAFT, Household.Status.EXITED, Household.Status.CANCELLED]
)
def test_a_household_not_in_file_takes_no_report(caseworker_g1a, household_g1a, status):
    Household.objects.filter(pk=household_g1a.pk).update(
        status=status, exited_on=TODAY(), cancelled_on=TODAY()
    )
    household_g1a.refresh_from_db()
    with pytest.raises(ValidationError, match="只有在档的档案"):
        report(caseworker_g1a, household_g1a, KIND.HOSPITAL)
    assert not ChangeReport.objects.exists() and not Duty.objects.exists()


def test_a_draft_is_refused_on_the_page_with_the_reason(client, caseworker_g1a, household_g1a):
    Household.objects.filter(pk=household_g1a.pk).update(status=Household.Status.DRAFT)
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("change_create", args=[household_g1a.pk]),
        {"kind": KIND.OTHER, "occurred_on": TODAY().isoformat(), "description": "x"},
    )
    assert response.status_code == 200
    assert "只有在档的档案可以报告情况变更" in response.content.decode()
    assert not ChangeReport.objects.exists()


def test_a_member_of_another_household_is_refused(caseworker_g1a, household_g1a, org):
    stranger = MemberFactory(household=HouseholdFactory(in_file=True, union=org.g1a))
    with pytest.raises(ValidationError, match="不是本户的家庭成员"):
        report(caseworker_g1a, household_g1a, member=stranger)
    assert not ChangeReport.objects.exists()


def test_only_the_worker_and_editors_report(committee_c1, finance_c1, household_g1a):
    for user in (committee_c1, finance_c1):
        with pytest.raises(PermissionDenied):
            report(user, household_g1a)


# Review: who --------------------------------------------------------------------------------


def test_nobody_reviews_their_own_report(caseworker_g1a, chair_g1a, household_g1a):
    row = report(caseworker_g1a, household_g1a)
    assert "自己报告" in changes.review_refusal(caseworker_g1a, row)
    assert changes.review_refusal(chair_g1a, row) is None
    with pytest.raises(PermissionDenied):
        changes.change_reject(actor=caseworker_g1a, report=row, note="不属实")


def test_nobody_reviews_a_report_on_their_own_household(org, caseworker_g1a, household_g1a):
    """The involvement rule: the chair whose ID number is a member's stands aside."""
    spouse = household_g1a.members.get()
    relative = person("chair_relative", "亲属主席", (Role.GRASSROOTS_CHAIR, org.g1a))
    relative.id_number = spouse.id_number.lower()
    relative.save()
    row = report(caseworker_g1a, household_g1a)
    assert "回避" in changes.review_refusal(relative, row)
    with pytest.raises(PermissionDenied):
        changes.change_reject(actor=relative, report=row, note="不属实")
    assert row not in changes.pending_for(relative)


def test_the_responsible_person_reviews(caseworker_g1a, chair_g1a, reviewer_c1, household_g1a):
    Household.objects.filter(pk=household_g1a.pk).update(responsible_user=chair_g1a)
    household_g1a.refresh_from_db()
    row = report(caseworker_g1a, household_g1a)
    assert "帮扶责任人" in changes.review_refusal(reviewer_c1, row)
    assert changes.review_refusal(chair_g1a, row) is None
    assert list(changes.pending_for(chair_g1a)) == [row]
    assert list(changes.pending_for(reviewer_c1)) == []


def test_a_responsible_person_who_reported_leaves_it_to_the_others(
    caseworker_g1a, chair_g1a, household_g1a
):
    Household.objects.filter(pk=household_g1a.pk).update(responsible_user=caseworker_g1a)
    household_g1a.refresh_from_db()
    row = report(caseworker_g1a, household_g1a)
    assert changes.review_refusal(chair_g1a, row) is None
    assert list(changes.pending_for(chair_g1a)) == [row]


def test_without_a_responsible_person_any_editor_reviews(
    caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, worker_g1a, worker_household
):
    row = report(worker_g1a, worker_household)
    for editor in (caseworker_g1a, chair_g1a, reviewer_c1):
        assert changes.review_refusal(editor, row) is None
        assert row in changes.pending_for(editor)
    assert changes.review_refusal(committee_c1, row) is not None
    assert changes.review_refusal(worker_g1a, row) is not None


# Accepting ----------------------------------------------------------------------------------


def test_accepting_updates_the_file_with_the_report_in_its_history(
    client, policy, chair_g1a, caseworker_g1a, household_g1a
):
    low_income(household_g1a)
    row = report(caseworker_g1a, household_g1a, description="配偶在超市工作，月薪900元。")
    client.force_login(chair_g1a)
    page = client.get(reverse("change_accept", args=[row.pk]))
    assert page.status_code == 200
    assert "配偶在超市工作" in page.content.decode()
    assert page.context["form"]["worker_name"].value() == household_g1a.worker_name
    assert not page.context["accept_form"]["propose_exit"].value()  # still qualifies

    data = accept_data(household_g1a, note="已电话核实。")
    data["members-0-employment"] = Member.Employment.EMPLOYED
    data["members-0-monthly_income"] = "900.00"
    response = client.post(reverse("change_accept", args=[row.pk]), data)

    assert response.status_code == 302 and response["Location"] == row.get_absolute_url()
    row.refresh_from_db()
    assert (row.status, row.reviewed_by, row.review_note) == (
        ChangeReport.Status.ACCEPTED,
        chair_g1a,
        "已电话核实。",
    )
    assert row.reviewed_at is not None and row.application is None
    spouse = household_g1a.members.get()
    assert (spouse.employment, str(spouse.monthly_income)) == ("employed", "900.00")
    latest = spouse.history.latest()
    assert latest.history_change_reason.startswith(f"情况变更 #{row.pk}: 家庭成员就业/新工作")
    assert latest.history_user == chair_g1a
    # The household's history lists the report with the file's own changes.
    history = client.get(reverse("household_detail", args=[household_g1a.pk])).context["history"]
    assert any(c.record.startswith("情况变更 · #") for c in history)
    # Per person (900 + 400) / 2 = 650, above 280: the report's page proposes an exit.
    page = client.get(row.get_absolute_url()).content.decode()
    assert "建议提出脱困申请" in page
    assert reverse("change_exit_propose", args=[row.pk]) in page


def test_the_exit_proposal_is_filed_when_ticked(
    client, policy, chair_g1a, caseworker_g1a, household_g1a
):
    row = report(caseworker_g1a, household_g1a)
    client.force_login(chair_g1a)
    page = client.get(reverse("change_accept", args=[row.pk]))
    # 600 / 2 = 300 per person, not below 280: ticked by default, the grounds shown.
    assert page.context["accept_form"]["propose_exit"].value() is True
    assert "不低于困难标准" in page.content.decode()

    response = client.post(
        reverse("change_accept", args=[row.pk]), accept_data(household_g1a, propose_exit=True)
    )

    assert response.status_code == 302
    row.refresh_from_db()
    application = row.application
    assert (application.kind, application.household_id) == (
        Application.Kind.EXIT,
        household_g1a.pk,
    )
    assert application.filed_by == chair_g1a
    assert f"情况变更 #{row.pk}" in application.reason
    assert "儿子大学毕业" in application.reason


def test_unticked_no_exit_is_filed_and_it_can_be_proposed_afterwards(
    client, policy, chair_g1a, caseworker_g1a, household_g1a
):
    row = report(caseworker_g1a, household_g1a)
    client.force_login(chair_g1a)
    client.post(reverse("change_accept", args=[row.pk]), accept_data(household_g1a))
    assert not Application.objects.filter(kind=Application.Kind.EXIT).exists()

    response = client.post(reverse("change_exit_propose", args=[row.pk]))

    row.refresh_from_db()
    assert row.application.kind == Application.Kind.EXIT
    assert response["Location"] == row.application.get_absolute_url()
    again = client.post(reverse("change_exit_propose", args=[row.pk]), follow=True)
    assert "该报告已提出脱困申请" in again.content.decode()
    assert Application.objects.filter(kind=Application.Kind.EXIT).count() == 1


def test_an_exit_already_under_way_undoes_the_whole_acceptance(
    client, policy, chair_g1a, caseworker_g1a, household_g1a
):
    case_services.application_file(
        actor=caseworker_g1a, household=household_g1a, kind=Application.Kind.EXIT, reason="复核"
    )
    row = report(caseworker_g1a, household_g1a)
    client.force_login(chair_g1a)
    data = accept_data(household_g1a, propose_exit=True, worker_name="改了名字")
    response = client.post(reverse("change_accept", args=[row.pk]), data)
    assert response.status_code == 200
    assert "已有一份同类申请在办理中" in response.content.decode()
    row.refresh_from_db()
    assert row.is_pending
    assert Household.objects.get(pk=household_g1a.pk).worker_name != "改了名字"


def test_accepting_twice_is_refused(client, chair_g1a, reviewer_c1, caseworker_g1a, household_g1a):
    row = report(caseworker_g1a, household_g1a)
    client.force_login(chair_g1a)
    client.post(reverse("change_accept", args=[row.pk]), accept_data(household_g1a))
    client.force_login(reviewer_c1)
    response = client.post(
        reverse("change_accept", args=[row.pk]), accept_data(household_g1a), follow=True
    )
    assert "该报告已由李主席" in response.content.decode()
    with pytest.raises(ValidationError, match="该报告已由"):
        changes.change_reject(actor=reviewer_c1, report=row, note="重复")
    row.refresh_from_db()
    assert (row.status, row.reviewed_by) == (ChangeReport.Status.ACCEPTED, chair_g1a)


# Rejecting ----------------------------------------------------------------------------------


def test_rejecting_needs_a_note(client, chair_g1a, caseworker_g1a, household_g1a):
    row = report(caseworker_g1a, household_g1a)
    client.force_login(chair_g1a)
    response = client.post(reverse("change_reject", args=[row.pk]), {"review_note": "  "})
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.is_pending

    response = client.post(
        reverse("change_reject", args=[row.pk]), {"review_note": "经核实，孩子尚未就业。"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.reviewed_by, row.review_note) == (
        ChangeReport.Status.REJECTED,
        chair_g1a,
        "经核实，孩子尚未就业。",
    )
    again = client.post(
        reverse("change_reject", args=[row.pk]), {"review_note": "再次"}, follow=True
    )
    assert "该报告已由李主席" in again.content.decode()


def test_the_database_keeps_review_and_rejection_whole(caseworker_g1a, household_g1a):
    row = report(caseworker_g1a, household_g1a)
    for values in (
        {"status": ChangeReport.Status.ACCEPTED},  # reviewed without a reviewer
        {"reviewed_by": caseworker_g1a, "reviewed_at": timezone.now()},  # pending, reviewed
        {
            "status": ChangeReport.Status.REJECTED,
            "reviewed_by": caseworker_g1a,
            "reviewed_at": timezone.now(),
        },  # rejected without a note
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ChangeReport.objects.filter(pk=row.pk).update(**values)


# Lists and scope ----------------------------------------------------------------------------


def test_pending_reports_show_on_the_list_and_the_household_page(
    client, chair_g1a, caseworker_g1a, household_g1a
):
    row = report(caseworker_g1a, household_g1a, KIND.MOVE, description="搬到新小区")
    client.force_login(chair_g1a)
    listing = client.get(reverse("change_list"))
    assert [r.pk for r in listing.context["mine"]] == [row.pk]
    client.force_login(caseworker_g1a)  # the reporter: pending in the unit, not theirs
    listing = client.get(reverse("change_list"))
    assert listing.context["mine"] == [] and list(listing.context["pending"]) == [row]
    page = client.get(reverse("household_detail", args=[household_g1a.pk])).content.decode()
    assert f"情况变更 #{row.pk}" in page and row.get_absolute_url() in page


def test_another_unions_report_is_not_found(client, caseworker_g2a, caseworker_g1a, household_g1a):
    row = report(caseworker_g1a, household_g1a)
    client.force_login(caseworker_g2a)
    for name in ("change_detail", "change_accept"):
        assert client.get(reverse(name, args=[row.pk])).status_code == 404
    for name in ("change_reject", "change_exit_propose"):
        assert client.post(reverse(name, args=[row.pk]), {"review_note": "x"}).status_code == 404
    assert client.get(reverse("change_create", args=[household_g1a.pk])).status_code == 404
    assert list(client.get(reverse("change_list")).context["pending"]) == []


def test_the_worker_sees_only_their_household_and_cannot_review(
    client, worker_g1a, worker_household, caseworker_g1a, household_g1a
):
    own = report(worker_g1a, worker_household)
    other = report(caseworker_g1a, household_g1a)
    client.force_login(worker_g1a)
    listing = client.get(reverse("change_list"))
    assert list(listing.context["pending"]) == [own] and listing.context["mine"] == []
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("change_create", args=[household_g1a.pk])).status_code == 404
    assert (
        reverse("change_create", args=[worker_household.pk])
        in client.get(reverse("online_contact")).content.decode()
    )
    assert client.get(reverse("change_accept", args=[own.pk])).status_code == 403
    response = client.post(reverse("change_reject", args=[own.pk]), {"review_note": "不"})
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.is_pending


def test_finance_and_audit_do_not_read_the_reports(
    client, finance_c1, auditor_fed, caseworker_g1a, household_g1a
):
    row = report(caseworker_g1a, household_g1a, KIND.HOSPITAL)
    for user in (finance_c1, auditor_fed):
        client.force_login(user)
        assert client.get(row.get_absolute_url()).status_code == 403
        assert client.get(reverse("change_list")).status_code == 403
